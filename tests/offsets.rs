//! The offsets promise: in `sentences.csv`, `quotes.csv`, `concordance.csv` and `tone_markers.csv`,
//! `text[start_byte..end_byte]` is the row's text, by default even where a cell begins with a character a
//! spreadsheet takes for a formula; `--excel-safe` neutralises those cells instead.

mod common;

use std::fs;

use common::{bounded, stderr, table};

/// Austen's dashes (Emma, ch. 1), a sentence opening on `--`, and a marker and keyword inside them.
const TEXT: &str = "\u{201c}--Mrs. Weston, I suppose,\u{201d} said Emma, and her memory was bitter.\n\
                    --Poor Miss Taylor! It was a great pity, and nostalgia was a terrible thing.\n\
                    \"=HYPERLINK(1)\" was written on the wall.\n";

/// Every (table, column) whose README entry says `text[start_byte..end_byte]` is its value.
const PROMISED: [(&str, &str); 4] =
    [("sentences.csv", "text"), ("quotes.csv", "text"), ("concordance.csv", "keyword"), ("tone_markers.csv", "marker")];

#[test]
fn by_default_every_offset_carrying_cell_is_its_byte_range_of_the_text_even_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("emma.txt"), TEXT).unwrap();
    let run = bounded(&["analyze", "emma.txt", "--out", "results", "--charts", "none"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    for (file, column) in PROMISED {
        let rows = table(&dir.path().join("results").join(file));
        assert!(!rows.is_empty(), "{file} has rows");
        for row in rows {
            let (start, end): (usize, usize) = (row["start_byte"].parse().unwrap(), row["end_byte"].parse().unwrap());
            assert_eq!(&TEXT[start..end], row[column], "{file} {column}: {row:?}");
        }
    }
    let quotes = table(&dir.path().join("results/quotes.csv"));
    assert_eq!(quotes[0]["text"], "--Mrs. Weston, I suppose,");
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert!(sentences.iter().any(|s| s["text"].starts_with("--Poor Miss Taylor!")), "{sentences:?}");
}

#[test]
fn excel_safe_neutralises_the_cells_a_spreadsheet_would_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("emma.txt"), TEXT).unwrap();
    let args = ["analyze", "emma.txt", "--out", "results", "--charts", "none", "--excel-safe"];
    let run = bounded(&args, dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let quotes: Vec<String> =
        table(&dir.path().join("results/quotes.csv")).into_iter().map(|q| q["text"].clone()).collect();
    assert_eq!(quotes, ["'--Mrs. Weston, I suppose,", "'=HYPERLINK(1)"]);
    // The offsets still point at the text; the cell has the one ' more that the README names.
    let sentences = table(&dir.path().join("results/sentences.csv"));
    let dash = sentences.iter().find(|s| s["text"].starts_with("'--Poor")).expect("the dash sentence is guarded");
    let (start, end): (usize, usize) = (dash["start_byte"].parse().unwrap(), dash["end_byte"].parse().unwrap());
    assert_eq!(format!("'{}", &TEXT[start..end]), dash["text"]);
    // --raw-csv (the default now) and --excel-safe together are a contradiction, refused.
    let both = common::run(&["analyze", "emma.txt", "--out", "both", "--excel-safe", "--raw-csv"], dir.path());
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
    assert!(stderr(&both).contains("'--excel-safe' cannot be used with '--raw-csv'"), "{}", stderr(&both));
}
