//! `keyness.csv` steered: against a reference word list or corpus (`--reference`), with a least count
//! (`--keyness-min-count`) and without stopwords (`--keyness-no-stopwords`).

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use common::{run, stderr, table};

/// The document: 7 words, stems memori ×3, fade, the, clone, rememb.
const REVIEW: &str = "Memory memory memory fades. The clones remember.\n";

/// The reference as a word list: memory and memories make the stem memori 5 times; 100 words in all.
const LIST: &str = "memory\t2\nmemories\t3\nthe\t50\nclone\t1\nbanana\t44\n";

/// Dunning's log-likelihood of the 2×2 table, worked cell by cell: `a` of the target's `c` words are the stem,
/// `b` of the reference's `d`.
fn dunning(a: f64, c: f64, b: f64, d: f64) -> f64 {
    let n = c + d;
    let (stem, other) = (a + b, n - (a + b));
    // Observed and expected (row total × column total / n) for target×stem, target×other, reference×stem,
    // reference×other; a zero cell adds nothing (0 ln 0 = 0).
    let cells = [(a, c * stem / n), (c - a, c * other / n), (b, d * stem / n), (d - b, d * other / n)];
    2.0 * cells.iter().filter(|(o, _)| *o > 0.0).map(|(o, e)| o * (o / e).ln()).sum::<f64>()
}

/// Hardie's Log Ratio, a zero count taken as 0.5.
fn log_ratio(a: f64, c: f64, b: f64, d: f64) -> f64 {
    let share = |x: f64, n: f64| if x == 0.0 { 0.5 } else { x } / n;
    (share(a, c) / share(b, d)).log2()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Runs `analyze` on `review.txt` (and `more`) with `extra`; returns keyness.csv by stem.
fn keyness(dir: &Path, more: &[&str], extra: &[&str]) -> HashMap<String, HashMap<String, String>> {
    let mut args = vec!["analyze", "review.txt"];
    args.extend(more);
    args.extend(["--out", "results", "--charts", "none"]);
    args.extend(extra);
    let out = run(&args, dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = table(&dir.join("results/keyness.csv"));
    let by_stem: HashMap<_, _> = rows.iter().map(|r| (r["stem"].clone(), r.clone())).collect();
    assert_eq!(by_stem.len(), rows.len(), "one row per stem for one document: {rows:?}");
    by_stem
}

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("review.txt"), REVIEW).unwrap();
    fs::write(dir.path().join("list.tsv"), LIST).unwrap();
    dir
}

#[test]
fn keyness_against_a_reference_word_list_equals_the_log_likelihood_worked_by_hand() {
    let dir = folder();
    let rows = keyness(dir.path(), &[], &["--reference", "list.tsv"]);
    let (c, d) = (7.0, 100.0);
    // stem, term, count in the review, count in the list.
    for (stem, term, a, b) in [
        ("memori", "memory", 3, 5),
        ("fade", "fades", 1, 0),
        ("clone", "clones", 1, 1),
        ("rememb", "remember", 1, 0),
        ("the", "the", 1, 50),
        ("banana", "banana", 0, 44),
    ] {
        let row = rows.get(stem).unwrap_or_else(|| panic!("no row for {stem}: {rows:?}"));
        let (a_f, b_f) = (f64::from(a), f64::from(b));
        let want = (term.to_string(), a.to_string(), b.to_string(), round4(dunning(a_f, c, b_f, d)));
        let got =
            (row["term"].clone(), row["count"].clone(), row["reference_count"].clone(), row["g2"].parse().unwrap());
        assert_eq!(got, want, "{stem}");
        assert_eq!(row["log_ratio"].parse::<f64>().unwrap(), round4(log_ratio(a_f, c, b_f, d)), "{stem}");
    }
    // The same figures, computed apart (Python, the four cells): memori 7.6168, the 3.7287, banana 7.7557.
    let g2 = |stem: &str| rows[stem]["g2"].parse::<f64>().unwrap();
    assert_eq!((g2("memori"), g2("the"), g2("banana")), (7.6168, 3.7287, 7.7557));
    assert_eq!(rows.len(), 6, "{rows:?}");
}

#[test]
fn antconcs_word_list_and_a_reference_text_give_the_same_rows_as_the_tab_list() {
    let dir = folder();
    let tab = keyness(dir.path(), &[], &["--reference", "list.tsv"]);
    let antconc = "#Word Types: 5\n#Word Tokens: 100\n#Search Hits: 0\n1\t50\tthe\n2\t44\tbanana\n3\t3\tmemories\n\
                   4\t2\tmemory\n5\t1\tclone\n";
    fs::write(dir.path().join("antconc.txt"), antconc).unwrap();
    assert_eq!(keyness(dir.path(), &[], &["--reference", "antconc.txt"]), tab);
    // A folder of texts holding the same words, analysed as one text.
    fs::create_dir(dir.path().join("reference")).unwrap();
    let words = ["memory ".repeat(2), "Memories ".repeat(3), "the ".repeat(50), "clone ".to_string()].concat();
    fs::write(dir.path().join("reference/a.txt"), format!("{words}.\n")).unwrap();
    fs::write(dir.path().join("reference/b.txt"), format!("{}.\n", "banana ".repeat(44))).unwrap();
    assert_eq!(keyness(dir.path(), &[], &["--reference", "reference"]), tab);
}

#[test]
fn a_least_count_and_leaving_stopwords_out_only_take_rows_away() {
    let dir = folder();
    let all = keyness(dir.path(), &[], &["--reference", "list.tsv"]);
    let frequent = keyness(dir.path(), &[], &["--reference", "list.tsv", "--keyness-min-count", "3"]);
    let mut stems: Vec<&String> = frequent.keys().collect();
    stems.sort();
    // fades (1 + 0), remember (1 + 0) and clones (1 + 1) are under 3 in review and reference together.
    assert_eq!(stems, ["banana", "memori", "the"]);
    assert!(frequent.iter().all(|(stem, row)| all[stem] == *row));
    let content = keyness(dir.path(), &[], &["--reference", "list.tsv", "--keyness-no-stopwords"]);
    assert!(!content.contains_key("the") && content.len() == all.len() - 1, "{content:?}");
    assert!(content.iter().all(|(stem, row)| all[stem] == *row));
}

#[test]
fn without_the_new_options_a_corpus_is_compared_with_its_rest_and_stopwords_stay() {
    // Two documents, no reference: the rows are today's (the unit tests in src/corpus pin the figures); the
    // defaults, --keyness-min-count 1 and stopwords kept, change nothing.
    let dir = folder();
    fs::write(dir.path().join("other.txt"), "The bananas were the best of the year.\n").unwrap();
    let plain = table(&dir.path().join({
        let out = run(&["analyze", "review.txt", "other.txt", "--out", "plain", "--charts", "none"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        "plain/keyness.csv"
    }));
    let args = ["analyze", "review.txt", "other.txt", "--out", "same", "--charts", "none", "--keyness-min-count", "1"];
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(table(&dir.path().join("same/keyness.csv")), plain);
    assert!(plain.iter().any(|r| r["stem"] == "the"), "stopwords are listed by default: {plain:?}");
    let the = plain.iter().find(|r| r["document"] == "review" && r["stem"] == "the").unwrap();
    // "the" is once in the review's 7 words and 3 times in the other's 8: the rest of the corpus.
    assert_eq!((the["count"].as_str(), the["reference_count"].as_str()), ("1", "3"));
    assert_eq!(the["g2"].parse::<f64>().unwrap(), round4(dunning(1.0, 7.0, 3.0, 8.0)));
}

#[test]
fn a_bad_line_in_a_reference_word_list_is_an_error_naming_the_file_and_line() {
    let dir = folder();
    fs::write(dir.path().join("bad.tsv"), "memory\t2\nthe\t50\nclone\tone\n").unwrap();
    let out = run(&["analyze", "review.txt", "--out", "results", "--reference", "bad.tsv"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.tsv:3") && stderr(&out).contains("'one' is not a count"), "{}", stderr(&out));
    assert!(!dir.path().join("results/keyness.csv").exists(), "nothing written");
}
