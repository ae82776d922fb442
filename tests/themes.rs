//! End-to-end tests of the theme tables and `kwic`, with figures counted by hand on the sample review.

mod common;

use std::collections::HashMap;
use std::fs;

use common::{analyze_sample, run, sample, sample_path, stderr, table};

/// A small lexicon for hand-counting: a possessive, a glob, a phrase, a name.
const TEST_THEMES: &str = r#"
[place]
label = "Places"
terms = ["hailsham"]

[memory]
label = "Memory"
terms = ["memory", "nostalgi*"]

[told]
terms = ["told and not told"]

[gallery]
terms = ["gallery", "madame"]
"#;

fn count_of<'a>(rows: &'a [HashMap<String, String>], theme: &str) -> &'a str {
    &rows.iter().find(|r| r["theme"] == theme).unwrap()["count"]
}

#[test]
fn theme_counts_counted_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("test.toml"), TEST_THEMES).unwrap();
    let sample = sample_path();
    let out = run(&["analyze", sample.to_str().unwrap(), "--themes", "test.toml", "--out", "r"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let themes = table(&dir.path().join("r/themes.csv"));
    // Hailsham ×2 and Hailsham’s ×1 (the possessive stems to hailsham).
    assert_eq!(count_of(&themes, "place"), "3");
    // Memory, memory, memories ×2 (by stem), and nostalgic (by the glob).
    assert_eq!(count_of(&themes, "memory"), "5");
    assert_eq!(themes.iter().find(|r| r["theme"] == "memory").unwrap()["distinct_terms"], "2");
    // “told and not told.” — the phrase inside curly quotes, once.
    assert_eq!(count_of(&themes, "told"), "1");
    // Gallery ×3 (“Gallery,” and Hailsham’s Gallery and The Gallery), Madame ×2.
    assert_eq!(count_of(&themes, "gallery"), "5");
    let terms = table(&dir.path().join("r/theme_terms.csv"));
    let place: Vec<(&str, &str)> =
        terms.iter().filter(|r| r["theme"] == "place").map(|r| (r["form"].as_str(), r["count"].as_str())).collect();
    assert_eq!(place, [("hailsham", "2"), ("hailsham's", "1")]);
}

#[test]
fn concordance_rows_are_exact_and_agree_with_the_counts() {
    let dir = analyze_sample(&[]);
    let source = sample();
    let themes = table(&dir.path().join("results/themes.csv"));
    let concordance = table(&dir.path().join("results/concordance.csv"));
    let trend = table(&dir.path().join("results/theme_trend.csv"));
    for row in &concordance {
        let (start, end) = (row["start_byte"].parse::<usize>().unwrap(), row["end_byte"].parse::<usize>().unwrap());
        assert_eq!(&source[start..end], row["keyword"]);
    }
    for theme in &themes {
        let name = &theme["theme"];
        let rows = concordance.iter().filter(|r| &r["theme"] == name).count();
        assert_eq!(theme["count"], rows.to_string(), "themes.csv and concordance.csv disagree on {name}");
        let in_segments: u32 =
            trend.iter().filter(|r| &r["theme"] == name).map(|r| r["count"].parse::<u32>().unwrap()).sum();
        assert_eq!(theme["count"], in_segments.to_string(), "theme_trend.csv loses occurrences of {name}");
    }
    assert_eq!(themes.len(), 11, "the embedded lexicon's themes, zeros included");
    let memory_segments: Vec<&HashMap<String, String>> = trend.iter().filter(|r| r["theme"] == "memory").collect();
    assert_eq!(memory_segments.len(), 10);
    let tokens: u32 = memory_segments.iter().map(|r| r["tokens"].parse::<u32>().unwrap()).sum();
    assert_eq!(tokens, 901, "the segments cover every word once");
}

#[test]
fn concordance_context_is_words_each_side() {
    let dir = analyze_sample(&["--context", "3"]);
    let concordance = table(&dir.path().join("results/concordance.csv"));
    let first = &concordance[0];
    // "… a haunting unraveling of memory, loss, and the quiet horror …"
    assert_eq!((first["left"].as_str(), first["keyword"].as_str()), ("haunting unraveling of", "memory"));
    assert_eq!(first["right"], ", loss, and the");
}

#[test]
fn liwc_dictionaries_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("lab.dic"),
        "%\n1\tschool\n2\tfeeling\n%\nschool\t1\nstudent*\t1\nheartbreak*\t2\nhope\t2\n",
    )
    .unwrap();
    let sample = sample_path();
    let out = run(&["analyze", sample.to_str().unwrap(), "--themes", "lab.dic", "--out", "r"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let themes = table(&dir.path().join("r/themes.csv"));
    // school ×1 ("boarding school"), students ×1; heartbreak + heartbreakingly, hope ×2 (exact word).
    assert_eq!((count_of(&themes, "school"), count_of(&themes, "feeling")), ("2", "4"));
}

#[test]
fn exported_default_reads_back_to_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["themes", "--export"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    fs::write(dir.path().join("mine.toml"), &out.stdout).unwrap();
    let sample = sample_path();
    let a = run(&["analyze", sample.to_str().unwrap(), "--out", "default"], dir.path());
    let b = run(&["analyze", sample.to_str().unwrap(), "--themes", "mine.toml", "--out", "mine"], dir.path());
    assert!(a.status.success() && b.status.success());
    assert_eq!(
        fs::read(dir.path().join("default/themes.csv")).unwrap(),
        fs::read(dir.path().join("mine/themes.csv")).unwrap()
    );
    let listed = run(&["themes"], dir.path());
    let listing = String::from_utf8(listed.stdout).unwrap();
    assert!(listing.starts_with("theme,label,terms,term_list\nmemory,Memory and nostalgia,"), "{listing}");
}

#[test]
fn broken_theme_lexicons_name_the_place() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.toml"), "[memory]\nterms = [\"memory\", \"*\"]\n").unwrap();
    let sample = sample_path();
    let out = run(&["analyze", sample.to_str().unwrap(), "--themes", "bad.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.toml:2:20: [memory]: the term '*' is only `*`"), "{}", stderr(&out));
    fs::write(dir.path().join("empty.toml"), "[memory]\nlabel = \"Memory\"\nterms = []\n").unwrap();
    let out = run(&["themes", "--themes", "empty.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("empty.toml:3:9: category [memory] has no terms"), "{}", stderr(&out));
    fs::write(dir.path().join("punct.toml"), "[memory]\nterms = [\"memory\", \"—\"]\n").unwrap();
    let out = run(&["themes", "--themes", "punct.toml"], dir.path());
    assert!(out.status.success());
    assert!(stderr(&out).contains("warning: punct.toml:2:20: term '—' in [memory] has no letters"), "{}", stderr(&out));
}

#[test]
fn kwic_prints_a_concordance_of_any_terms() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let out = run(&["kwic", "gallery", "told and not told", sample.to_str().unwrap(), "--context", "2"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let keywords: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    assert_eq!(keywords, ["Gallery", "told and not told", "Gallery", "Gallery"]);
    assert_eq!(&rows[1][6], "they’ve been “");
    let out = run(&["kwic", "*", sample.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
}
