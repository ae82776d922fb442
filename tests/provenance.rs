//! Where a review's quotations come from (`marginalia provenance`, `analyze --source`), checked on a review written
//! for these tests against a cut of *Pride and Prejudice* (Project Gutenberg, public domain): the novel's title and
//! the start of chapter 1, chapter 5 up to Elizabeth's "forgive his pride", and chapter 34 up to the proposal, as
//! they are in `../shared/corpus/literary/janeausten/austen-pride-and-prejudice.txt` (lines 1–35, 518–615 and
//! 6332–6380, a blank line between the three).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{run, stderr, stdout_table, table, take_manifest, tree};
use sha2::{Digest, Sha256};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/provenance").join(name)
}

const NOVEL: &str = "pride-and-prejudice-excerpt";

/// Each quotation of `review.txt` as it should come out: quote_id, part, match, source start and end, chapter_id,
/// similarity, count. The offsets were found by hand, not by marginalia: with Python,
/// `open('tests/data/provenance/pride-and-prejudice-excerpt.txt', 'rb').read().find(PASSAGE)`, PASSAGE typed from
/// the novel with its line breaks (`b"could easily forgive\n_his_ pride, if he had not mortified _mine_"`), and the end
/// as the start plus the passage's length in bytes. The chapters of the excerpt are its untitled opening (1),
/// `Chapter 1` (2), `Chapter 5` (3) and `Chapter 34` (4); `pride` occurs 9 times in it as a word, in any case
/// (`grep -o -i -w pride … | wc -l`).
type Expected =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

const EXPECTED: [Expected; 10] = [
    // Case changed throughout, and the novel wraps the line after "possession".
    ("1", "1", "normalised", "51", "167", "2", "1.0", ""),
    // Word for word.
    ("2", "1", "exact", "170", "233", "2", "1.0", ""),
    // The novel prints `_You_`: the span takes in the underscores.
    ("3", "1", "normalised", "770", "830", "2", "1.0", ""),
    // `_his_ pride` and `_mine_`, over a line wrap.
    ("4", "1", "normalised", "5151", "5215", "3", "1.0", ""),
    // Cut with `…`: two parts, each where the novel has it.
    ("5", "1", "ellipsis", "7998", "8022", "4", "1.0", ""),
    ("5", "2", "ellipsis", "8075", "8139", "4", "1.0", ""),
    // "In vain have I struggled": two words swapped, 1 edit in 15 words, 1 - 1/15 = 0.9333.
    ("6", "1", "fuzzy", "7998", "8073", "4", "0.9333", ""),
    // The films' line, not the novel's.
    ("7", "1", "none", "", "", "", "", ""),
    // A curly apostrophe where the novel has a straight one.
    ("8", "1", "normalised", "8143", "8189", "4", "1.0", ""),
    // A scare quote: counted, not located.
    ("9", "1", "term", "", "", "", "", "9"),
];

fn check_rows(rows: &[std::collections::HashMap<String, String>]) {
    let novel = fs::read(data("pride-and-prejudice-excerpt.txt")).unwrap();
    assert_eq!(rows.len(), EXPECTED.len(), "{rows:#?}");
    for (row, expected) in rows.iter().zip(EXPECTED) {
        let (quote_id, part, kind, start, end, chapter, similarity, count) = expected;
        let got = |column: &str| row[column].as_str();
        let found = (got("quote_id"), got("part"), got("match"), got("source_start_byte"), got("source_end_byte"));
        assert_eq!(found, (quote_id, part, kind, start, end), "{row:?}");
        assert_eq!((got("chapter_id"), got("similarity"), got("count")), (chapter, similarity, count), "{row:?}");
        assert_eq!(got("document"), "review");
        if start.is_empty() {
            assert_eq!(got("source_text"), "");
            continue;
        }
        assert_eq!(got("source"), NOVEL);
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        assert_eq!(got("source_text").as_bytes(), &novel[start..end], "{row:?}");
    }
    assert_eq!(rows[9]["source"], NOVEL, "a term names the source it is counted in");
    assert_eq!(rows[6]["text"], "In vain have I struggled. It will not do. My feelings will not be repressed");
}

#[test]
fn each_quotation_of_the_review_is_found_where_the_novel_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let (review, novel) = (data("review.txt"), data("pride-and-prejudice-excerpt.txt"));
    let out = run(&["provenance", review.to_str().unwrap(), "--source", novel.to_str().unwrap()], dir.path());
    check_rows(&stdout_table(&out));
}

#[test]
fn analyze_with_a_source_writes_both_tables_and_lists_the_source_as_an_input() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(data("review.txt"), dir.path().join("review.txt")).unwrap();
    // A second review quoting the opening (overlapping the first's) and the proposal again.
    let second = "“a single man in possession of a good fortune” and “In vain I have struggled.” Again.";
    fs::write(dir.path().join("second.txt"), second).unwrap();
    fs::copy(data("pride-and-prejudice-excerpt.txt"), dir.path().join("novel.txt")).unwrap();
    let out = run(&["analyze", "review.txt", "second.txt", "--source", "novel.txt", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let results = dir.path().join("results");
    let provenance = table(&results.join("provenance.csv"));
    let first: Vec<_> = provenance.iter().filter(|r| r["document"] == "review").cloned().collect();
    // The source is called `novel` here.
    let renamed = first.into_iter().map(|mut r| {
        let source = r["source"].replace("novel", NOVEL);
        r.insert("source".into(), source);
        r
    });
    check_rows(&renamed.collect::<Vec<_>>());
    let passages = table(&results.join("quoted_passages.csv"));
    let spans: Vec<(&str, &str, &str, &str)> = passages
        .iter()
        .map(|p| {
            (
                p["source_start_byte"].as_str(),
                p["source_end_byte"].as_str(),
                p["reviews"].as_str(),
                p["quotations"].as_str(),
            )
        })
        .collect();
    // The second review's "a single man in possession of a good fortune" (96..140) lies inside the opening
    // (51..167); its "In vain I have struggled" (7998..8022) inside the proposal (7998..8073), which the first
    // quotes twice (quotations 5 and 6).
    assert_eq!(
        spans,
        [
            ("51", "167", "2", "2"),
            ("170", "233", "1", "1"),
            ("770", "830", "1", "1"),
            ("5151", "5215", "1", "1"),
            ("7998", "8073", "2", "3"),
            ("8075", "8139", "1", "1"),
            ("8143", "8189", "1", "1"),
        ]
    );
    assert!(results.join("charts/corpus/quoted_passages.png").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(results.join("manifest.json")).unwrap()).unwrap();
    let novel = fs::read(dir.path().join("novel.txt")).unwrap();
    let sha: String = Sha256::digest(&novel).iter().map(|b| format!("{b:02x}")).collect();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    assert_eq!(inputs[2], serde_json::json!({"path": "novel.txt", "bytes": novel.len(), "sha256": sha}));
    assert_eq!(manifest["options"]["source"], serde_json::json!(["novel.txt"]));
    assert_eq!(manifest["tables"]["provenance.csv"], 12);
}

#[test]
fn without_a_source_neither_table_is_written_and_an_earlier_runs_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(data("review.txt"), dir.path().join("review.txt")).unwrap();
    fs::copy(data("pride-and-prejudice-excerpt.txt"), dir.path().join("novel.txt")).unwrap();
    let with = run(&["analyze", "review.txt", "--source", "novel.txt", "--out", "r", "--charts", "none"], dir.path());
    assert!(with.status.success(), "{}", stderr(&with));
    assert!(dir.path().join("r/provenance.csv").exists());
    let without = run(&["analyze", "review.txt", "--out", "r", "--charts", "none"], dir.path());
    assert!(without.status.success(), "{}", stderr(&without));
    assert!(!dir.path().join("r/provenance.csv").exists() && !dir.path().join("r/quoted_passages.csv").exists());
    // And --skip-tables leaves one out with a source.
    let skip = ["analyze", "review.txt", "--source", "novel.txt", "--out", "s", "--skip-tables", "quoted_passages"];
    assert!(run(&skip, dir.path()).status.success());
    assert!(dir.path().join("s/provenance.csv").exists() && !dir.path().join("s/quoted_passages.csv").exists());
}

#[test]
fn a_missing_source_is_an_error_naming_it_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(data("review.txt"), dir.path().join("review.txt")).unwrap();
    for args in [
        &["analyze", "review.txt", "--source", "missing.txt", "--out", "results"][..],
        &["provenance", "review.txt", "--source", "missing.txt"][..],
    ] {
        let out = run(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("error: missing.txt: no such file"), "{}", stderr(&out));
        assert!(!dir.path().join("results").exists());
    }
    let out = run(&["provenance", "review.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2), "provenance needs a --source");
}

#[test]
fn shards_with_a_source_merge_into_what_one_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = dir.path().join("reviews");
    fs::create_dir(&reviews).unwrap();
    let review = fs::read_to_string(data("review.txt")).unwrap();
    for i in 0..4 {
        // Each review a little different, so each shard has passages of its own.
        let extra =
            ["", " “It will not do.”", " “My feelings will not be repressed.”", " “Netherfield Park is let at last”"];
        fs::write(reviews.join(format!("r{i}.txt")), format!("{review}{}", extra[i])).unwrap();
    }
    fs::copy(data("pride-and-prejudice-excerpt.txt"), dir.path().join("novel.txt")).unwrap();
    let analyze = |extra: &[&str]| {
        let mut args = vec!["analyze", "reviews", "--source", "novel.txt", "--charts", "svg"];
        args.extend_from_slice(extra);
        let out = run(&args, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
    };
    analyze(&["--out", "whole"]);
    analyze(&["--out", "s1", "--shard", "1/2"]);
    analyze(&["--out", "s2", "--shard", "2/2"]);
    assert!(!dir.path().join("s1/quoted_passages.csv").exists(), "a shard writes no corpus table");
    let out = run(&["merge", "s2", "s1", "--out", "merged"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let (mut whole, mut merged) = (tree(&dir.path().join("whole")), tree(&dir.path().join("merged")));
    let (whole_manifest, merged_manifest) = (take_manifest(&mut whole), take_manifest(&mut merged));
    assert_eq!(whole_manifest["inputs"], merged_manifest["inputs"], "the source listed once, after the reviews");
    assert_eq!(whole_manifest["inputs"].as_array().unwrap().len(), 5);
    for name in ["provenance.csv", "quoted_passages.csv", "charts/corpus/quoted_passages.svg"] {
        assert!(whole.contains_key(name), "{name}");
        assert!(merged[name] == whole[name], "{name} differs between one run and two merged shards");
    }
    assert_eq!(table(&dir.path().join("merged/quoted_passages.csv"))[0]["reviews"], "4");
}
