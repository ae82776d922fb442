//! End to end: sentiment per document and group, `theme_sentiment.csv` and `voices.csv`, checked against
//! independent arithmetic on the other tables of the same run.

mod common;

use std::collections::HashMap;
use std::fs;

use common::{alice, analyze_without_charts, table};

type Row = HashMap<String, String>;

fn number(row: &Row, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

#[test]
fn voices_add_up_to_the_documents_words() {
    let dir = tempfile::tempdir().unwrap();
    let output = analyze_without_charts(&[alice().to_str().unwrap()], &[], dir.path());
    let document = &table(&output.join("documents.csv"))[0];
    let voices = table(&output.join("voices.csv"));
    let whole: Vec<&Row> = voices.iter().filter(|r| r["chapter_id"].is_empty()).collect();
    assert_eq!(whole.iter().map(|r| r["voice"].as_str()).collect::<Vec<_>>(), ["narration", "dialogue"]);
    let words = |r: &Row| number(r, "words");
    assert_eq!(words(whole[0]) + words(whole[1]), number(document, "tokens"));
    // The dialogue is the words inside top-level quotations, which quotes.csv counts.
    let quotes = table(&output.join("quotes.csv"));
    let quoted: f64 = quotes.iter().filter(|q| q["depth"] == "0").map(|q| number(q, "words")).sum();
    assert_eq!(words(whole[1]), quoted);
    // One passage per top-level quotation; Alice's speeches are livelier than the narration around them.
    assert_eq!(number(whole[1], "passages"), quotes.iter().filter(|q| q["depth"] == "0").count() as f64);
    assert!(words(whole[1]) > 1000.0 && words(whole[0]) > words(whole[1]), "{whole:?}");
    // Each voice's theme counts add up to the document's.
    let themes = table(&output.join("themes.csv"));
    let voice_themes = table(&output.join("voice_themes.csv"));
    for theme in &themes {
        let in_voices: f64 = voice_themes
            .iter()
            .filter(|r| r["chapter_id"].is_empty() && r["kind"] == "theme" && r["category"] == theme["theme"])
            .map(|r| number(r, "count"))
            .sum();
        assert_eq!(in_voices, number(theme, "count"), "{}", theme["theme"]);
    }
    // And each tone category's.
    for tone in &table(&output.join("tone.csv")) {
        let in_voices: f64 = voice_themes
            .iter()
            .filter(|r| r["chapter_id"].is_empty() && r["kind"] == "tone" && r["category"] == tone["tone"])
            .map(|r| number(r, "count"))
            .sum();
        assert_eq!(in_voices, number(tone, "count"), "{}", tone["tone"]);
    }
}

#[test]
fn theme_sentiment_splits_each_themes_count_by_mood() {
    let dir = tempfile::tempdir().unwrap();
    let output = analyze_without_charts(&[alice().to_str().unwrap()], &[], dir.path());
    let themes = table(&output.join("themes.csv"));
    let by_mood = table(&output.join("theme_sentiment.csv"));
    let sentences = table(&output.join("sentences.csv"));
    let compound: HashMap<&str, f64> =
        sentences.iter().map(|s| (s["sentence_id"].as_str(), number(s, "compound"))).collect();
    for theme in &themes {
        let rows: Vec<&Row> = by_mood.iter().filter(|r| r["theme"] == theme["theme"]).collect();
        let sum = |column: &str| rows.iter().map(|r| number(r, column)).sum::<f64>();
        assert_eq!(sum("positive") + sum("neutral") + sum("negative"), number(theme, "count"), "{}", theme["theme"]);
        assert_eq!(sum("count"), number(theme, "count"));
        // The evidence is what it says: the sentence named is positive, or negative.
        for r in &rows {
            if !r["most_positive_sentence"].is_empty() {
                assert!(compound[r["most_positive_sentence"].as_str()] >= 0.05, "{r:?}");
            }
            if !r["most_negative_sentence"].is_empty() {
                assert!(compound[r["most_negative_sentence"].as_str()] <= -0.05, "{r:?}");
            }
        }
    }
}

#[test]
fn a_groups_sentiment_is_the_mean_over_its_documents_sentences() {
    let dir = tempfile::tempdir().unwrap();
    // The sample review's paragraphs, as rows of a table, given one to five stars in turn.
    let review = common::sample();
    let mut writer = csv::Writer::from_path(dir.path().join("reviews.csv")).unwrap();
    writer.write_record(["id", "stars", "text"]).unwrap();
    for (i, paragraph) in review.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        writer.write_record([&format!("p{i}"), &(i % 5 + 1).to_string(), paragraph]).unwrap();
    }
    writer.flush().unwrap();
    let output = analyze_without_charts(&["reviews.csv"], &["--group-by", "stars"], dir.path());
    let documents = table(&output.join("documents.csv"));
    let sentences = table(&output.join("sentences.csv"));
    let group_of: HashMap<&str, &str> =
        documents.iter().map(|d| (d["document"].as_str(), d["group"].as_str())).collect();
    let groups: Vec<&Row> = documents.iter().filter(|d| d["document"].is_empty()).collect();
    assert_eq!(groups.len(), 5);
    for g in groups {
        let scores: Vec<f64> = sentences
            .iter()
            .filter(|s| group_of[s["document"].as_str()] == g["group"])
            .map(|s| number(s, "compound"))
            .collect();
        let n = scores.len() as f64;
        let share = |keep: fn(f64) -> bool| scores.iter().filter(|&&c| keep(c)).count() as f64 / n;
        let round4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        assert_eq!(number(g, "mean_compound"), round4(scores.iter().sum::<f64>() / n), "group {}", g["group"]);
        assert_eq!(number(g, "positive_sentences"), round4(share(|c| c >= 0.05)));
        assert_eq!(number(g, "negative_sentences"), round4(share(|c| c <= -0.05)));
    }
    // The group's voices add up to its documents' words.
    let voices = table(&output.join("voices.csv"));
    for g in documents.iter().filter(|d| d["document"].is_empty()) {
        let words: f64 = voices
            .iter()
            .filter(|v| v["document"].is_empty() && v["group"] == g["group"])
            .map(|v| number(v, "words"))
            .sum();
        assert_eq!(words, number(g, "tokens"), "group {}", g["group"]);
    }
}

#[test]
fn without_scores_the_sentiment_columns_are_empty_not_zero() {
    let dir = tempfile::tempdir().unwrap();
    // VADER is English: a French review without a valence list (`--valence`) is not scored.
    fs::write(dir.path().join("r.txt"), "« Un livre merveilleux », dit-elle. Un livre terrible sur la mémoire.")
        .unwrap();
    let output = analyze_without_charts(&["r.txt"], &["--lang", "fr"], dir.path());
    let document = &table(&output.join("documents.csv"))[0];
    for column in ["mean_compound", "positive_sentences", "negative_sentences"] {
        assert_eq!(document[column], "", "{column}");
    }
    assert!(table(&output.join("theme_sentiment.csv")).is_empty());
    let voices = table(&output.join("voices.csv"));
    assert!(voices.iter().all(|v| v["mean_compound"].is_empty()), "{voices:?}");
}
