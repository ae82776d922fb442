//! End-to-end tests of n-grams and collocations: the binary on the sample review, figures counted by hand (with
//! `grep -oi` on the text, noted beside each).

mod common;

use std::collections::HashMap;
use std::fs;

use common::{analyze_sample, run, sample_path, stderr, stdout_table, table};

fn find<'a>(rows: &'a [HashMap<String, String>], column: &str, value: &str) -> &'a HashMap<String, String> {
    rows.iter().find(|r| r[column] == value).unwrap_or_else(|| panic!("no row with {column} = {value}"))
}

#[test]
fn sample_ngrams_counted_by_hand() {
    let dir = analyze_sample(&["--ngrams", "2..4"]);
    let rows = table(&dir.path().join("results/ngrams.csv"));
    // grep -oi "never let me go": 6 (the title, five times in the text and once in the heading).
    let title = find(&rows, "ngram", "never let me go");
    assert_eq!((title["n"].as_str(), title["count"].as_str(), title["documents"].as_str()), ("4", "6", ""));
    // grep -oi "kazuo ishiguro": 4, but one is "Kazuo Ishiguro’s", a different form.
    assert_eq!(find(&rows, "ngram", "kazuo ishiguro")["count"], "3");
    // 901 words: 6 per 10,000 words is 66.5927.
    assert_eq!(title["per_10k"], "66.5927");
    // Edge stopwords are dropped by default; the minimum count is 2.
    assert!(rows.iter().all(|r| r["count"].parse::<u32>().unwrap() >= 2));
    assert!(!rows.iter().any(|r| r["ngram"].starts_with("the ") || r["ngram"].ends_with(" of")));
    // One document: no corpus rows.
    assert!(rows.iter().all(|r| r["document"] == "never-let-me-go-review"));
}

#[test]
fn two_documents_get_corpus_rows() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(sample_path(), dir.path().join("a.txt")).unwrap();
    fs::write(dir.path().join("b.txt"), "Never Let Me Go is quiet. Never let me go, she sang.").unwrap();
    let out = run(&["ngrams", ".", "--n", "3"], dir.path());
    let rows = stdout_table(&out);
    let corpus: Vec<_> = rows.iter().filter(|r| r["document"].is_empty()).collect();
    let let_me_go = corpus.iter().find(|r| r["ngram"] == "let me go").expect("a corpus row");
    // 6 in the review and 2 in b.txt.
    assert_eq!((let_me_go["count"].as_str(), let_me_go["documents"].as_str()), ("8", "2"));
    // Corpus rows come after every document's rows.
    let first_corpus = rows.iter().position(|r| r["document"].is_empty()).unwrap();
    assert!(rows[first_corpus..].iter().all(|r| r["document"].is_empty()));
    assert!(rows[..first_corpus].iter().any(|r| r["document"] == "b" && r["ngram"] == "let me go"));
}

#[test]
fn ngrams_top_keeps_the_most_frequent_of_each_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["ngrams", sample_path().to_str().unwrap(), "--n", "2..3", "--top", "1"], dir.path());
    let rows = stdout_table(&out);
    let grams: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r["n"].as_str(), r["ngram"].as_str(), r["count"].as_str())).collect();
    // "never let" and "let me go" are the title's: 6 each (grep -oi), more than any other.
    assert_eq!(grams, [("2", "never let", "6"), ("3", "let me go", "6")]);
}

#[test]
fn sample_collocation_of_die_worked_by_hand() {
    // "Before she had to watch Tommy die, piece by piece." The window of 4 takes "had to watch Tommy" on the left
    // and "piece by piece" on the right, where the sentence ends: 7 positions, "piece" twice, and grep -oiw finds
    // "piece" only there. The document has 901 words, so E = 7 × 2 / 901.
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["collocates", "die", sample_path().to_str().unwrap()], dir.path());
    let rows = stdout_table(&out);
    assert_eq!(rows.len(), 1, "only 'piece' is seen twice: {rows:?}");
    let r = &rows[0];
    assert_eq!((r["node"].as_str(), r["collocate"].as_str(), r["window"].as_str()), ("die", "piece", "4,4"));
    assert_eq!((r["node_count"].as_str(), r["collocate_count"].as_str(), r["observed"].as_str()), ("1", "2", "2"));
    let e = 7.0 * 2.0 / 901.0;
    let round = |x: f64| format!("{}", (x * 10_000.0).round() / 10_000.0);
    assert_eq!(r["expected"], round(e));
    assert_eq!(r["mi"], round((2.0 / e).log2()));
    assert_eq!(r["t_score"], round((2.0 - e) / 2f64.sqrt()));
    assert_eq!(r["log_dice"], round(14.0 + (4.0f64 / 3.0).log2()));
    // G² from the four cells: O = [[2, 5], [0, 894]], row sums 7 and 894, column sums 2 and 899.
    let cells: [(f64, f64); 4] = [(2.0, 7.0 * 2.0), (5.0, 7.0 * 899.0), (0.0, 894.0 * 2.0), (894.0, 894.0 * 899.0)];
    let g2 = 2.0 * cells.iter().filter(|c| c.0 > 0.0).map(|&(o, rc)| o * (o * 901.0 / rc).ln()).sum::<f64>();
    assert_eq!(r["g2"], round(g2));
}

#[test]
fn analyze_writes_collocations_of_the_theme_terms() {
    let dir = analyze_sample(&[]);
    let rows = table(&dir.path().join("results/collocations.csv"));
    // The embedded lexicon's "die" (death) is among the nodes, with the same row as above.
    let die = rows.iter().find(|r| r["node"] == "die").expect("a row for the theme term die");
    assert_eq!((die["collocate"].as_str(), die["observed"].as_str()), ("piece", "2"));
    // Every row passes the minimum count, and no stopword is a collocate by default.
    assert!(rows.iter().all(|r| r["observed"].parse::<u32>().unwrap() >= 2));
    assert!(!rows.iter().any(|r| ["the", "of", "and", "a", "to"].contains(&r["collocate"].as_str())));
    // --node replaces the theme terms.
    let dir = analyze_sample(&["--node", "memor*", "--min-count", "1"]);
    let rows = table(&dir.path().join("results/collocations.csv"));
    assert!(!rows.is_empty() && rows.iter().all(|r| r["node"] == "memor*"));
    // grep -oiw "memor[a-z]*": memory, memories ×2, memory's… four occurrences of the glob.
    assert!(rows.iter().all(|r| r["node_count"] == "4"));
}

#[test]
fn collocates_sort_and_top() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_path();
    let args = ["collocates", "memor*", "told", path.to_str().unwrap(), "--min-count", "1", "--top", "3"];
    let out = run(&[&args[..], &["--sort", "g2"]].concat(), dir.path());
    let rows = stdout_table(&out);
    for node in ["memor*", "told"] {
        let of_node: Vec<f64> = rows.iter().filter(|r| r["node"] == node).map(|r| r["g2"].parse().unwrap()).collect();
        assert_eq!(of_node.len(), 3, "{node}");
        assert!(of_node.windows(2).all(|w| w[0] >= w[1]), "{node}: {of_node:?} not strongest first");
    }
}

#[test]
fn bad_phrase_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_path();
    let path = path.to_str().unwrap();
    for args in [
        vec!["ngrams", path, "--n", "5..2"],
        vec!["ngrams", path, "--n", "0"],
        vec!["ngrams", path, "--n", "9"],
        vec!["collocates", "memory", path, "--window", "four"],
        vec!["collocates", "memory", path, "--window", "0,0"],
        vec!["analyze", path, "--min-count", "0"],
    ] {
        let out = run(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error"), "{args:?}");
    }
    let out = run(&["collocates", "—", path], dir.path());
    assert_eq!(out.status.code(), Some(2), "a term without letters: {}", stderr(&out));
}

#[test]
fn ngram_stopwords_keep_and_collocate_stopwords_options() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_path();
    let path = path.to_str().unwrap();
    // grep -oiw "of the": 6 in the review, dropped by default because both ends are stopwords.
    let rows = stdout_table(&run(&["ngrams", path, "--n", "2"], dir.path()));
    assert!(!rows.iter().any(|r| r["ngram"] == "of the"));
    let rows = stdout_table(&run(&["ngrams", path, "--n", "2", "--ngram-stopwords", "keep"], dir.path()));
    assert_eq!(find(&rows, "ngram", "of the")["count"], "6");
    // "memor*" with stopwords as collocates: "the" is among them.
    let args = ["collocates", "memor*", path, "--min-count", "1"];
    assert!(!stdout_table(&run(&args, dir.path())).iter().any(|r| r["collocate"] == "the"));
    let rows = stdout_table(&run(&[&args[..], &["--collocate-stopwords"]].concat(), dir.path()));
    assert!(rows.iter().any(|r| r["collocate"] == "the"));
}

#[test]
fn uneven_windows_look_one_way() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.txt"), "Dark quiet memory fades slowly away.").unwrap();
    let collocates = |window: &str| -> Vec<String> {
        let out = run(&["collocates", "memory", "t.txt", "--min-count", "1", "--window", window], dir.path());
        let mut words: Vec<String> = stdout_table(&out).iter().map(|r| r["collocate"].clone()).collect();
        words.sort();
        words
    };
    assert_eq!(collocates("0,2"), ["fades", "slowly"]);
    assert_eq!(collocates("2,0"), ["dark", "quiet"]);
    assert_eq!(collocates("1"), ["fades", "quiet"]);
}

#[test]
fn a_phrase_can_be_a_node() {
    let dir = analyze_sample(&["--node", "told and not told", "--min-count", "1", "--window", "4,3"]);
    let rows = table(&dir.path().join("results/collocations.csv"));
    // "As one guardian says, they’ve been “told and not told.”": four words to the left are guardian, says,
    // they've and been (two stopwords), and the sentence ends after the phrase.
    assert!(rows.iter().all(|r| r["node"] == "told and not told" && r["node_count"] == "1"));
    let mut words: Vec<&str> = rows.iter().map(|r| r["collocate"].as_str()).collect();
    words.sort();
    assert_eq!(words, ["guardian", "says"]);
}
