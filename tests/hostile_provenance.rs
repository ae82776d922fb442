//! Hostile input for `provenance` and `analyze --source`: each bounded in time and peak memory (sampled from
//! /proc as the binary runs, by `common::bounded`), with no panic.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use common::{bounded, table};
use marginalia::provenance::{Match, Source, Sources};
use marginalia::text::ChapterRule;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/provenance").join(name)
}

/// The rows a run printed on stdout.
fn rows(run: &common::Run) -> Vec<std::collections::HashMap<String, String>> {
    common::stdout_table(&run.out)
}

#[test]
fn a_review_of_only_quotation_marks_locates_nothing() {
    // 60,000 marks of every kind, paired and not, and nothing else: the quotation finder finds no quotation in it
    // (a mark needs text beside it). Beside it, empty quotations in prose (`“…”`, `“?!”`, `« »`; the finder takes
    // `“ ”` for no quotation): each is `none` at once, having no letter to look for. Bounds 60 s, 200 MB.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("marks.txt"), "“” \"\" ‘’ « » „“ ''\n".repeat(6_000)).unwrap();
    fs::write(dir.path().join("empty.txt"), "She said “ ” and “…” and “?!” then « » too.\n".repeat(1_000)).unwrap();
    let novel = data("pride-and-prejudice-excerpt.txt");
    let args = ["provenance", "marks.txt", "empty.txt", "--source", novel.to_str().unwrap()];
    let rows = rows(&bounded(&args, dir.path(), 60, 200));
    assert_eq!(rows.len(), 3_000, "three quotations a line: `“ ”` is none");
    assert!(rows.iter().all(|r| r["document"] == "empty" && r["match"] == "none" && r["source_text"].is_empty()));
}

/// `words` words of running text, no two 3-grams alike (`w0 w1 … `), wrapped at 70 bytes.
fn running_text(words: usize) -> String {
    let mut text = String::new();
    let mut line = 0;
    for i in 0..words {
        let word = format!("w{i} ");
        line += word.len();
        text.push_str(&word);
        if line > 70 {
            text.push('\n');
            line = 0;
        }
    }
    text
}

/// About `bytes` of `source` from the word `w10000` on, ending on a word.
fn passage(source: &str, bytes: usize) -> (usize, &str) {
    let start = source.find("w10000 ").unwrap();
    let quoted = &source[start..start + bytes];
    (start, &quoted[..quoted.rfind(' ').unwrap()])
}

#[test]
fn a_quotation_of_100_kb_is_found_or_not_in_bounded_time() {
    // The locator given 100 KB quotations of a 250 KB source: one in it (line wraps and all: `exact`), one not
    // (too long to align: `none`). Under 5 s in a debug build.
    let source = running_text(36_000);
    let sources = Sources { list: vec![Source::new("source", source.clone(), &ChapterRule::Auto).unwrap()] };
    let (start, quoted) = passage(&source, 100_000);
    let invented = "nowhere ".repeat(12_500);
    let clock = Instant::now();
    let found = sources.locate(quoted);
    assert_eq!((found[0].kind, found[0].span), (Match::Exact, Some((start, start + quoted.len()))));
    assert_eq!(sources.locate(&invented)[0].kind, Match::None);
    assert!(clock.elapsed() < Duration::from_secs(5), "{:?}", clock.elapsed());
}

#[test]
fn a_quotation_of_60_kb_in_a_review_is_found_in_bounded_time_and_memory() {
    // The quotation finder closes no quotation over 64 KB, so the longest a review can give the locator is a
    // little under: 60 KB of the source on one line (`normalised`: its line wraps gone), and 60 KB that is not
    // in it (`none`). Bounds 30 s, 300 MB.
    let dir = tempfile::tempdir().unwrap();
    let source = running_text(36_000);
    fs::write(dir.path().join("source.txt"), &source).unwrap();
    let (start, quoted) = passage(&source, 60_000);
    let invented = "nowhere ".repeat(7_500);
    let review = format!("“{}” and “{}”", quoted.replace('\n', ""), invented.trim_end());
    fs::write(dir.path().join("review.txt"), review).unwrap();
    let run = bounded(&["provenance", "review.txt", "--source", "source.txt"], dir.path(), 30, 300);
    let rows = rows(&run);
    let found: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["match"].as_str(), r["source_start_byte"].as_str(), r["source_end_byte"].as_str()))
        .collect();
    let (from, to) = (start.to_string(), (start + quoted.len()).to_string());
    assert_eq!(found, [("normalised", from.as_str(), to.as_str()), ("none", "", "")]);
}

/// The excerpt of Pride and Prejudice repeated to `mb` megabytes, as `novel.txt` in `dir`, with the review.
fn big_source(dir: &Path, mb: usize) {
    let excerpt = fs::read_to_string(data("pride-and-prejudice-excerpt.txt")).unwrap();
    let mut file = std::io::BufWriter::new(fs::File::create(dir.join("novel.txt")).unwrap());
    for _ in 0..mb * 1024 * 1024 / excerpt.len() {
        std::io::Write::write_all(&mut file, excerpt.as_bytes()).unwrap();
    }
    drop(file);
    fs::copy(data("review.txt"), dir.join("review.txt")).unwrap();
}

#[test]
fn a_20_mb_source_is_read_and_indexed_once_in_bounded_time_and_memory() {
    // In a debug build 11 s and 126 MB on a shared 2-core host (the text, its normalised copy and 16 bytes of
    // index a word); bounds 60 s and 300 MB.
    let dir = tempfile::tempdir().unwrap();
    big_source(dir.path(), 20);
    let run = bounded(&["provenance", "review.txt", "--source", "novel.txt"], dir.path(), 60, 300);
    let rows = rows(&run);
    // The first occurrence of each passage, as in the excerpt alone; the scare quote counted in every copy.
    assert_eq!(rows[1]["source_start_byte"], "170");
    assert_eq!(rows[6]["match"], "fuzzy");
    let copies = 20 * 1024 * 1024 / fs::metadata(data("pride-and-prejudice-excerpt.txt")).unwrap().len();
    assert_eq!(rows[9]["count"], (9 * copies).to_string());
}

#[test]
#[ignore = "writes 200 MB; run with cargo test --release -- --ignored"]
fn a_200_mb_source_is_bounded() {
    // Release build, a shared 2-core host: 9–11 s and 1,050 MB (the text, its normalised copy and 16 bytes of
    // index a word, 36 million words); bounds 60 s and 1,500 MB. `analyze` reads it once for a whole run.
    let dir = tempfile::tempdir().unwrap();
    big_source(dir.path(), 200);
    let run = bounded(&["provenance", "review.txt", "--source", "novel.txt"], dir.path(), 60, 1_500);
    assert_eq!(rows(&run)[1]["match"], "exact");
    let args = ["analyze", "review.txt", "--source", "novel.txt", "--out", "results", "--charts", "none"];
    let run = bounded(&args, dir.path(), 60, 1_500);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert_eq!(table(&dir.path().join("results/provenance.csv")).len(), 10);
}
