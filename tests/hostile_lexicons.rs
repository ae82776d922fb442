//! Hostile lexicons and hostile text for the sentiment and tone analysis, and values on their way out: text dense
//! with sentiment words, valences no scale has, empty lexicon files, numbers the spreadsheet guard must leave alone.
//! Each runs the binary with a time limit and watches its peak memory (the bound is given beside each), and checks:
//! no panic, every message on stderr one line starting `marginalia:` and naming the input, the documented exit
//! code, and nothing written when the run is refused.

mod common;

use std::fs;
use std::path::Path;

use common::{bounded, nothing_written, sample, table};

/// The memory the README promises for one huge document: 3 to 4 times its size, over a fixed 40 MB or so (the
/// program, its lexicons, the charts' font and buffers, whatever the input). The program's own pages, which vary by
/// a few megabytes with what the page cache holds, are left out of both sides ([`common::Run::held_mb`]): 4 times
/// the text over 20 MB.
fn promised_mb(text_bytes: usize) -> u64 {
    4 * (text_bytes as u64).div_ceil(1 << 20) + 20
}

/// Runs `analyze FILE` without charts into `results/`; checks exit 0 and that it held at most [`promised_mb`].
fn analyze_bounded(dir: &Path, file: &str, text_bytes: usize) -> common::Run {
    let args = ["analyze", file, "--out", "results", "--charts", "none"];
    // The whole peak too: the bound, and at most 25 MB of the program's own pages.
    let bound = promised_mb(text_bytes);
    let run = bounded(&args, dir, 120, bound + 25);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let (held, program) = (run.held_mb, run.program_mb);
    eprintln!("{file}: {text_bytes} bytes, held {held} MB besides its program's {program} MB (bound {bound} MB)");
    assert!(held <= bound, "{file}: held {held} MB besides its program's {program} MB (bound {bound} MB)");
    run
}

#[test]
fn text_dense_with_sentiment_words_is_held_in_the_memory_the_readme_promises() {
    // 2 MB of "good ": one sentence of 400,000 words, each a VADER word (of valence 1.9). Every one was a
    // marker held at once with the whole document's tone hits and VADER's words (222 MB for 4 MB in a release
    // build, 55 times the text); they are now scored and written a piece of the sentence at a time.
    // Bound: 4 × 2 MB + 20 MB held.
    let dir = tempfile::tempdir().unwrap();
    let text = "good ".repeat(400_000);
    fs::write(dir.path().join("good.txt"), &text).unwrap();
    analyze_bounded(dir.path(), "good.txt", text.len());
    let markers = table(&dir.path().join("results/tone_markers.csv"));
    assert_eq!(markers.len(), 400_000);
    assert!(markers.iter().all(|m| m["marker"] == "good" && m["lexicon_valence"] == "1.9" && m["tone"].is_empty()));
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert_eq!((sentences.len(), sentences[0]["compound"].as_str()), (1, "1.0"));
}

#[test]
fn text_dense_with_tone_words_is_held_in_the_memory_the_readme_promises() {
    // 2 MB of "furious ": each word a VADER word and a word of anger, so a marker with a tone, counted in
    // tone.csv. Bound: 4 × 2 MB + 20 MB held.
    let dir = tempfile::tempdir().unwrap();
    let text = "furious ".repeat(250_000);
    fs::write(dir.path().join("furious.txt"), &text).unwrap();
    analyze_bounded(dir.path(), "furious.txt", text.len());
    let sentences = table(&dir.path().join("results/sentences.csv"));
    let first = &sentences[0];
    assert_eq!((sentences.len(), first["compound"].as_str(), first["tone"].as_str()), (1, "-1.0", "anger"));
    let tone = table(&dir.path().join("results/tone.csv"));
    let anger = tone.iter().find(|t| t["tone"] == "anger").unwrap();
    assert_eq!((anger["count"].as_str(), anger["top_markers"].as_str()), ("250000", "furious:250000"));
    let markers = table(&dir.path().join("results/tone_markers.csv"));
    assert_eq!(markers.len(), 250_000);
    assert!(markers.iter().all(|m| m["marker"] == "furious" && m["tone"] == "anger"));
}

#[test]
fn a_huge_sentence_with_but_in_it_is_scored_in_bounded_memory() {
    // VADER's "but" rule halves every valence before the first "but" and multiplies those after by 1.5 (with
    // vaderSentiment 3.3.2's quirk of scaling the first word holding an equal value): the one rule that needs the
    // whole sentence. 2 MB of one sentence with a "but" in the middle: bound 4 × 2 MB + 40 MB.
    let dir = tempfile::tempdir().unwrap();
    let half = "Good, happy and sad ".repeat(50_000);
    let text = format!("{half}but {half}");
    fs::write(dir.path().join("but.txt"), &text).unwrap();
    analyze_bounded(dir.path(), "but.txt", text.len());
    let markers = table(&dir.path().join("results/tone_markers.csv"));
    assert_eq!(markers.len(), 300_000);
    let first = &markers[0];
    assert_eq!((first["marker"].as_str(), first["modifiers"].as_str()), ("Good", "before_but"));
    let last = &markers[markers.len() - 1];
    assert_eq!((last["marker"].as_str(), last["modifiers"].as_str()), ("sad", "after_but"));
    for m in &markers {
        let (start, end): (usize, usize) = (m["start_byte"].parse().unwrap(), m["end_byte"].parse().unwrap());
        assert_eq!(&text[start..end], m["marker"]);
    }
}

#[test]
fn long_sentences_dense_with_sentiment_words_are_handed_over_in_bounded_blocks() {
    // 2 MB of 300-word sentences of "furious": a block of 16,384 sentences was 4.9 million markers (423 MB for 10
    // MB of such sentences of "good"); blocks are now bounded by words and bytes as well as sentences.
    // Bound: 4 × 2 MB + 20 MB held.
    let dir = tempfile::tempdir().unwrap();
    let sentence = format!("Furious{}. ", " furious".repeat(299));
    let text = sentence.repeat(2 * 1024 * 1024 / sentence.len());
    fs::write(dir.path().join("long.txt"), &text).unwrap();
    analyze_bounded(dir.path(), "long.txt", text.len());
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert_eq!(sentences.len(), 2 * 1024 * 1024 / sentence.len());
    assert!(sentences.iter().all(|s| s["compound"] == "-1.0" && s["tone"] == "anger"));
}

/// Writes `name` with `contents` into `dir` and runs `analyze` on the sample review with `option name`; returns
/// the run (which must be refused).
fn refused_with(dir: &Path, option: &str, name: &str, contents: &str) -> common::Run {
    fs::write(dir.join(name), contents).unwrap();
    fs::write(dir.join("review.txt"), sample()).unwrap();
    let run = bounded(&["analyze", "review.txt", "--out", "results", option, name], dir, 20, 300);
    assert_eq!(run.code(), Some(2), "{option} {name} ({contents:?}) was accepted: {}", run.stderr());
    assert!(nothing_written(&dir.join("results")), "{option} {name}: tables written");
    run
}

#[test]
fn valences_outside_any_published_scale_are_refused_with_their_line() {
    // 1e308 summed over two words overflows to infinity, and ∞/√∞ is NaN: the scores were NaN, exit 0.
    let dir = tempfile::tempdir().unwrap();
    for (value, line) in [("1e308", 2), ("-1e308", 2), ("10.5", 2), ("-11", 2), ("1e3", 2)] {
        let run = refused_with(dir.path(), "--valence", "v.tsv", &format!("# mine\ngood\t{value}\nbad\t-2\n"));
        let err = run.stderr();
        assert!(err.contains(&format!("error: v.tsv:{line}: valence {value} is outside -10 to 10")), "{err}");
        assert!(err.contains("rescale"), "{err}");
    }
    // The edges of the range, VADER's ±4 and AFINN's ±5 are valences.
    fs::write(dir.path().join("ok.tsv"), "good\t10\nbad\t-10\nfine\t4\nawful\t-5\n").unwrap();
    let run = bounded(&["analyze", "review.txt", "--out", "results", "--valence", "ok.tsv"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert!(sentences.iter().all(|s| s["compound"].parse::<f64>().is_ok_and(f64::is_finite)), "{sentences:?}");
}

#[test]
fn empty_lexicon_files_are_refused_saying_what_they_need() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("--themes", "empty.toml", "", "empty.toml:1: no categories"),
        ("--themes", "comments.toml", "# to do\n\n", "comments.toml:1: no categories"),
        ("--tone", "empty-tone.toml", " \n", "empty-tone.toml:1: no categories"),
        ("--themes", "empty.dic", "", "empty.dic:1: the file is empty"),
        ("--themes", "header.dic", "%\n%\n", "header.dic:2: no categories between the % lines"),
        ("--themes", "entries.dic", "%\n1\tposemo\n%\n", "entries.dic:3: no entries after the % lines"),
        ("--valence", "empty.tsv", "", "empty.tsv:1: no valences"),
        ("--valence", "comments.tsv", "# word<TAB>valence\n\n", "comments.tsv:1: no valences"),
    ];
    for (option, name, contents, message) in cases {
        let run = refused_with(dir.path(), option, name, contents);
        let err = run.stderr();
        assert!(err.contains(&format!("error: {message}")), "{option} {name}: {err}");
        // Each says what the file needs.
        assert!(err.contains("[category]") || err.contains("word<TAB>valence") || err.contains('%'), "{err}");
    }
}

#[test]
fn a_dic_category_without_entries_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("lab.dic"), "%\n1\tposemo\n2\tunused\n%\nhapp*\t1\n").unwrap();
    fs::write(dir.path().join("review.txt"), sample()).unwrap();
    let run = bounded(&["analyze", "review.txt", "--out", "results", "--themes", "lab.dic"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert!(run.stderr().contains("warning: lab.dic:3: category 'unused' has no entries"), "{}", run.stderr());
}

#[test]
fn numbers_in_metadata_and_ids_are_not_taken_for_formulas() {
    // The spreadsheet guard (--excel-safe) put a ' before "-2" and "-7" although a spreadsheet reads them as numbers; formulas
    // (and anything else starting with a trigger) are still neutralised.
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,text,score,change,note\n\
               -7,It was good.,-2,+3,=1+1\n\
               -7.5,It was bad.,-1e5,1E5,-2+3\n\
               =2+2,It was fine.,.5,-0.25,\"-cmd|' /C calc'!A0\"\n\
               +8,It was awful.,-,@SUM(A1),-1.5e-3\n";
    fs::write(dir.path().join("reviews.csv"), csv).unwrap();
    let args = ["analyze", "reviews.csv", "--id-column", "id", "--out", "results", "--charts", "none", "--excel-safe"];
    let run = bounded(&args, dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let ids: Vec<String> =
        table(&dir.path().join("results/documents.csv")).into_iter().map(|d| d["document"].clone()).collect();
    assert_eq!(ids, ["-7", "-7.5", "'=2+2", "+8"]);
    let values: Vec<(String, String)> = table(&dir.path().join("results/metadata.csv"))
        .into_iter()
        .filter(|m| m["column"] != "id")
        .map(|m| (m["column"].clone(), m["value"].clone()))
        .collect();
    let want = [
        ("score", "-2"),
        ("change", "+3"),
        ("note", "'=1+1"),
        ("score", "-1e5"),
        ("change", "1E5"),
        ("note", "'-2+3"),
        ("score", ".5"),
        ("change", "-0.25"),
        ("note", "'-cmd|' /C calc'!A0"),
        ("score", "-"),
        ("change", "'@SUM(A1)"),
        ("note", "-1.5e-3"),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(c, v)| (c.to_string(), v.to_string())).collect();
    assert_eq!(values, want);
    // The same id in every table.
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert_eq!(sentences[0]["document"], "-7");
}
