//! End to end: `chapters.csv`, the `chapter_id` of sentences and quotations, `--chapters` and `--segments
//! chapters`, checked on two chapters of *Alice* and on texts written here.

mod common;

use std::collections::HashMap;
use std::fs;

use common::{alice, analyze_without_charts, run, stderr, table};

type Row = HashMap<String, String>;

fn number(row: &Row, column: &str) -> usize {
    row[column].parse().unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

#[test]
fn alices_chapters_are_found_with_their_titles_and_hold_every_word() {
    let dir = tempfile::tempdir().unwrap();
    let output = analyze_without_charts(&[alice().to_str().unwrap()], &[], dir.path());
    let chapters = table(&output.join("chapters.csv"));
    let heads: Vec<(&str, &str)> = chapters.iter().map(|c| (c["level"].as_str(), c["title"].as_str())).collect();
    assert_eq!(
        heads,
        [("section", ""), ("chapter", "CHAPTER I. Down the Rabbit-Hole"), ("chapter", "CHAPTER II. The Pool of Tears")]
    );
    let text = fs::read_to_string(alice()).unwrap();
    // Each title is the text at its start; the chapters tile the text.
    let mut next = 0;
    for c in &chapters {
        let (start, end) = (number(c, "start_byte"), number(c, "end_byte"));
        assert_eq!(start, next);
        assert!(text[start..end].trim_start().starts_with(c["title"].as_str()));
        next = end;
    }
    assert_eq!(next, text.len());
    let document = &table(&output.join("documents.csv"))[0];
    for column in ["words", "sentences"] {
        let sum: usize = chapters.iter().map(|c| number(c, column)).sum();
        let whole = if column == "words" { "tokens" } else { column };
        assert_eq!(sum, number(document, whole), "{column}");
    }
    let quotations: usize = chapters.iter().map(|c| number(c, "quotations")).sum();
    assert_eq!(quotations, number(document, "quotes"));
    // Every sentence and quotation names the chapter whose span it starts in.
    let span_of = |id: &str| {
        let c = chapters.iter().find(|c| c["chapter_id"] == id).unwrap();
        number(c, "start_byte")..number(c, "end_byte")
    };
    for s in table(&output.join("sentences.csv")) {
        assert!(span_of(&s["chapter_id"]).contains(&number(&s, "start_byte")), "{s:?}");
    }
    for q in table(&output.join("quotes.csv")) {
        assert!(span_of(&q["chapter_id"]).contains(&number(&q, "start_byte")), "{q:?}");
    }
}

#[test]
fn each_chapters_voices_add_up_to_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let output = analyze_without_charts(&[alice().to_str().unwrap()], &[], dir.path());
    let chapters = table(&output.join("chapters.csv"));
    let voices = table(&output.join("voices.csv"));
    for voice in ["narration", "dialogue"] {
        let rows: Vec<&Row> = voices.iter().filter(|v| v["voice"] == voice).collect();
        let whole = rows.iter().find(|v| v["chapter_id"].is_empty()).unwrap();
        let by_chapter: usize = rows.iter().filter(|v| !v["chapter_id"].is_empty()).map(|v| number(v, "words")).sum();
        assert_eq!(by_chapter, number(whole, "words"), "{voice}");
    }
    // chapters.csv's dialogue share is its dialogue row's share.
    for c in &chapters {
        let dialogue = voices.iter().find(|v| v["chapter_id"] == c["chapter_id"] && v["voice"] == "dialogue").unwrap();
        assert_eq!(c["dialogue_share"], dialogue["share"]);
    }
}

#[test]
fn segments_by_chapter_cut_the_theme_tables_at_the_headings() {
    let dir = tempfile::tempdir().unwrap();
    let output = analyze_without_charts(&[alice().to_str().unwrap()], &["--segments", "chapters"], dir.path());
    let chapters = table(&output.join("chapters.csv"));
    let trend = table(&output.join("theme_trend.csv"));
    let themes = table(&output.join("themes.csv"));
    let theme = &themes[0]["theme"];
    let rows: Vec<&Row> = trend.iter().filter(|r| &r["theme"] == theme).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["segment"].as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    for r in &rows {
        let c = chapters.iter().find(|c| c["chapter_id"] == r["segment"]).unwrap();
        assert_eq!(r["tokens"], c["words"], "segment {}", r["segment"]);
    }
    let by_mood = table(&output.join("theme_sentiment.csv"));
    assert!(by_mood.iter().all(|r| ["1", "2", "3"].contains(&r["segment"].as_str())));
}

#[test]
fn chapters_none_or_a_pattern_and_a_bad_pattern_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Letter 1\n\nMy dear sister, I write from the ice.\n\nLetter 2\n\nThe ship is caught fast.\n";
    fs::write(dir.path().join("letters.txt"), text).unwrap();
    let levels = |extra: &[&str]| {
        let output = analyze_without_charts(&["letters.txt"], extra, dir.path());
        table(&output.join("chapters.csv")).iter().map(|c| c["title"].clone()).collect::<Vec<_>>()
    };
    // No heading of the kinds known: one chapter.
    assert_eq!(levels(&[]), [""]);
    assert_eq!(levels(&["--chapters", "^Letter [0-9]+$"]), ["Letter 1", "Letter 2"]);
    assert_eq!(levels(&["--chapters", "none"]), [""]);
    let out = run(&["analyze", "letters.txt", "--chapters", "Letter (", "--charts", "none"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("Letter ("), "{}", stderr(&out));
}

#[test]
fn a_table_of_contents_and_a_heading_in_dialogue_start_no_chapter() {
    let dir = tempfile::tempdir().unwrap();
    let text = "CONTENTS\n\nCHAPTER I. The Start\nCHAPTER II. The End\n\n\
                CHAPTER I. The Start\n\n\"Chapter the first,\" said he, \"is always the hardest.\"\n\n\
                CHAPTER II. The End\n\nAnd so it ended.\n";
    fs::write(dir.path().join("book.txt"), text).unwrap();
    let output = analyze_without_charts(&["book.txt"], &[], dir.path());
    let chapters = table(&output.join("chapters.csv"));
    let chapter_starts: Vec<usize> =
        chapters.iter().filter(|c| c["level"] == "chapter").map(|c| number(c, "start_byte")).collect();
    let first = text.find("CHAPTER I. The Start\n\n").unwrap();
    assert_eq!(chapter_starts, [first, text.rfind("CHAPTER II.").unwrap()]);
}

#[test]
fn the_sample_review_is_one_chapter() {
    let dir = common::analyze_sample(&["--charts", "none"]);
    let chapters = table(&dir.path().join("results/chapters.csv"));
    assert_eq!(chapters.len(), 1);
    assert_eq!((chapters[0]["level"].as_str(), chapters[0]["title"].as_str()), ("chapter", ""));
    assert_eq!(number(&chapters[0], "end_byte"), common::sample().len());
}
