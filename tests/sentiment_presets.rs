//! End-to-end tests of the changes a critic can make to VADER: `--valence-override` (rules kept on an overridden
//! word, a word taken out, bad lines), the literary preset `--sentiment vader-literary`, and `vocab --no-stopwords`.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use common::{run, stderr, stdout_table, table};

/// VADER's compound of a raw sum (no `!` or `?`): s / √(s² + 15), to 4 decimals.
fn compound(sum: f64) -> f64 {
    (sum / (sum * sum + 15.0).sqrt() * 10_000.0).round() / 10_000.0
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// Runs `analyze` on `text` with `extra` options in `dir`; the sentences and tone markers it wrote.
type Rows = Vec<HashMap<String, String>>;
fn analyze(dir: &Path, text: &str, extra: &[&str]) -> (Rows, Rows) {
    fs::write(dir.join("t.txt"), text).unwrap();
    let mut args = vec!["analyze", "t.txt", "--out", "out", "--charts", "none", "--quiet"];
    args.extend(extra);
    let out = run(&args, dir);
    assert!(out.status.success(), "{}", stderr(&out));
    (table(&dir.join("out/sentences.csv")), table(&dir.join("out/tone_markers.csv")))
}

fn compounds(sentences: &Rows) -> Vec<f64> {
    sentences.iter().map(|s| num(&s["compound"])).collect()
}

#[test]
fn an_overridden_word_keeps_negation_and_but_and_a_word_can_be_taken_out() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("mine.tsv"), "# quiet is praise in these reviews\nquiet\t2.0\nmiss\n").unwrap();
    let text = "It was not quiet. Then, but quiet. I miss her.\n";
    let (plain, _) = analyze(dir.path(), text, &[]);
    // VADER has no "quiet"; "miss" is −0.6.
    assert_eq!(compounds(&plain), [0.0, 0.0, compound(-0.6)]);
    let (sentences, markers) = analyze(dir.path(), text, &["--valence-override", "mine.tsv"]);
    // "not quiet": 2.0 × −0.74 (VADER's N_SCALAR); "Then, but quiet": 2.0 × 1.5 after "but"; "miss" taken out.
    assert_eq!(compounds(&sentences), [compound(2.0 * -0.74), compound(3.0), 0.0]);
    assert_eq!(compounds(&sentences)[..2], [-0.357, 0.6124]);
    let rows: Vec<(&str, &str, &str)> = markers
        .iter()
        .map(|m| (m["marker"].as_str(), m["modifiers"].as_str(), m["effective_valence"].as_str()))
        .collect();
    assert_eq!(rows, [("quiet", "negated:not", "-1.48"), ("quiet", "after_but", "3.0")]);
    assert!(markers.iter().all(|m| m["lexicon_valence"] == "2.0"));
}

#[test]
fn a_bad_override_line_is_an_error_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.txt"), "It was quiet.\n").unwrap();
    for (file, message) in [
        ("quiet\t2\nlaid -2\n", "mine.tsv:2: 'laid -2' has a space in it"),
        ("quiet\tvery\n", "mine.tsv:1: 'very' is not a number"),
        ("# only\n\nzzyzx\n", "mine.tsv:3: 'zzyzx' is not in VADER's lexicon"),
    ] {
        fs::write(dir.path().join("mine.tsv"), file).unwrap();
        let out = run(&["analyze", "t.txt", "--out", "out", "--valence-override", "mine.tsv"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{file:?}");
        assert!(stderr(&out).contains(message), "{file:?}: {}", stderr(&out));
        assert!(!dir.path().join("out").exists(), "nothing is written");
    }
    // A valence list replaces VADER: changing VADER as well makes no sense.
    fs::write(dir.path().join("mine.tsv"), "quiet\t2\n").unwrap();
    let out = run(&["analyze", "t.txt", "--valence", "mine.tsv", "--sentiment", "vader-literary"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // VADER scores English only.
    let out = run(&["analyze", "t.txt", "--lang", "french", "--sentiment", "vader-literary"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("which scores English only: give a word<TAB>valence list"), "{}", stderr(&out));
}

#[test]
fn the_literary_preset_reads_miss_before_a_name_as_a_title() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Miss Emily asked. I miss her. They walked down Hope Street.\n";
    let (plain, plain_markers) = analyze(dir.path(), text, &[]);
    // "Miss" and "miss" are −0.6; "Hope" 1.9.
    assert_eq!(compounds(&plain), [compound(-0.6), compound(-0.6), compound(1.9)]);
    assert_eq!(plain_markers.len(), 3);
    let (sentences, markers) = analyze(dir.path(), text, &["--sentiment", "vader-literary"]);
    assert_eq!(compounds(&sentences), [0.0, -0.1531, 0.0]);
    let rows: Vec<(&str, &str, &str, &str)> = markers
        .iter()
        .map(|m| {
            (
                m["marker"].as_str(),
                m["lexicon_valence"].as_str(),
                m["modifiers"].as_str(),
                m["effective_valence"].as_str(),
            )
        })
        .collect();
    assert_eq!(rows, [("Miss", "-0.6", "title", "0.0"), ("miss", "-0.6", "", "-0.6"), ("Hope", "1.9", "name", "0.0")]);
    // The neutral words are still words: the neutral share counts them.
    assert_eq!(sentences[0]["neutral"], "1.0");
}

#[test]
fn vocab_without_stopwords_leaves_out_exactly_the_stopwords() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample_path();
    let all = stdout_table(&run(&["vocab", sample.to_str().unwrap()], dir.path()));
    assert!(all.iter().take(10).any(|r| r["stopword"] == "true"), "the sample's commonest words include stopwords");
    let top = stdout_table(&run(&["vocab", sample.to_str().unwrap(), "--no-stopwords", "--top", "10"], dir.path()));
    let expected: Vec<&HashMap<String, String>> = all.iter().filter(|r| r["stopword"] == "false").take(10).collect();
    assert_eq!(top.len(), 10);
    assert_eq!(top.iter().collect::<Vec<_>>(), expected);
    let stopwords = ["the", "and", "of", "a", "to", "it", "is", "in"];
    assert!(top.iter().all(|r| !stopwords.contains(&r["term"].as_str())), "{top:?}");
}

#[test]
fn shards_scored_with_other_sentiment_settings_are_not_one_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("corpus")).unwrap();
    fs::write(dir.path().join("corpus/a.txt"), "Miss Bates was quiet.\n").unwrap();
    fs::write(dir.path().join("corpus/b.txt"), "I miss her.\n").unwrap();
    let shard = |k: &str, out: &str, extra: &[&str]| {
        let mut args = vec!["analyze", "corpus", "--charts", "none", "--quiet", "--shard", k, "--out", out];
        args.extend(extra);
        let done = run(&args, dir.path());
        assert!(done.status.success(), "{}", stderr(&done));
    };
    fs::write(dir.path().join("one.tsv"), "quiet\t2\n").unwrap();
    fs::write(dir.path().join("two.tsv"), "quiet\t-2\n").unwrap();
    shard("1/2", "s1", &["--sentiment", "vader-literary", "--valence-override", "one.tsv"]);
    shard("2/2", "s2", &["--sentiment", "vader-literary", "--valence-override", "one.tsv"]);
    shard("2/2", "plain", &["--valence-override", "one.tsv"]);
    shard("2/2", "other", &["--sentiment", "vader-literary", "--valence-override", "two.tsv"]);
    for odd in ["plain", "other"] {
        let out = run(&["merge", "s1", odd, "--out", "merged"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{odd}: {}", stderr(&out));
        assert!(stderr(&out).contains("other inputs or options"), "{}", stderr(&out));
    }
    let out = run(&["merge", "s1", "s2", "--out", "merged"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn the_characters_command_takes_the_preset_too() {
    let dir = tempfile::tempdir().unwrap();
    let text = "“I shall go,” said Miss Emily. “Miss Emily is here,” said Miss Emily.\n";
    fs::write(dir.path().join("t.txt"), text).unwrap();
    let mean = |extra: &[&str]| {
        let rows = stdout_table(&run(&[&["characters", "t.txt"], extra].concat(), dir.path()));
        let emily = rows.iter().find(|r| r["character"].contains("Emily")).expect("Emily is a character");
        num(&emily["mean_compound"])
    };
    // Plain VADER reads the quoted "Miss" as −0.6: −0.6/√(0.36 + 15) = −0.1531 for the second quotation.
    // The mean is written to 4 decimals.
    let plain = mean(&[]);
    assert!((plain - compound(-0.6) / 2.0).abs() <= 0.5e-4, "{plain}");
    assert_eq!(mean(&["--sentiment", "vader-literary"]), 0.0);
}
