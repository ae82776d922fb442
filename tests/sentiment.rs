//! End-to-end tests of sentiment and tone: the binary's scores against vaderSentiment 3.3.2's on the sample
//! review, the markers against the text, and the tables against each other.

mod common;

use std::fs;
use std::path::Path;

use common::{analyze_sample, run, sample_path, stderr, table};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

#[test]
fn sentence_scores_equal_vadersentiment_on_the_sample_review() {
    let dir = analyze_sample(&[]);
    let ours = table(&dir.path().join("results/sentences.csv"));
    let reference = table(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vader_sample.csv"));
    assert_eq!(ours.len(), reference.len());
    for (o, r) in ours.iter().zip(&reference) {
        // The reference was scored after folding curly apostrophes; the text is otherwise the same sentence.
        assert_eq!(o["text"].replace('’', "'"), r["text"].replace('’', "'"));
        for (col, ref_col) in [("compound", "compound"), ("positive", "pos"), ("neutral", "neu"), ("negative", "neg")] {
            assert_eq!(num(&o[col]), num(&r[ref_col]), "{col} of {:?}", o["text"]);
        }
    }
}

#[test]
fn markers_are_exact_slices_and_explain_the_negations() {
    let dir = analyze_sample(&[]);
    let source = fs::read_to_string(sample_path()).unwrap();
    let markers = table(&dir.path().join("results/tone_markers.csv"));
    for m in &markers {
        let (start, end) = (m["start_byte"].parse::<usize>().unwrap(), m["end_byte"].parse::<usize>().unwrap());
        assert_eq!(&source[start..end], m["marker"]);
    }
    // "Kathy’s voice is never bitter, never angry." — both words negated by "never" (VADER: × −0.74).
    let bitter = markers.iter().find(|m| m["marker"] == "bitter").unwrap();
    assert_eq!((bitter["lexicon_valence"].as_str(), bitter["modifiers"].as_str()), ("-1.8", "negated:never"));
    assert_eq!(num(&bitter["effective_valence"]), 1.332);
    assert_eq!(bitter["tone"], "anger");
}

#[test]
fn tone_counts_by_hand_and_against_the_markers() {
    let dir = analyze_sample(&[]);
    let tones = table(&dir.path().join("results/tone.csv"));
    let markers = table(&dir.path().join("results/tone_markers.csv"));
    let anger = tones.iter().find(|t| t["tone"] == "anger").unwrap();
    // Counted in the review: "unfiltered rage", "there’s rage buried", "never bitter", "never angry".
    assert_eq!(anger["count"], "4");
    assert!(anger["top_markers"].starts_with("rage:2|"), "{}", anger["top_markers"]);
    // "kind of" three times ("a kind of sanctuary", "a kind of quiet grace", "the kind of ache").
    let hedging = tones.iter().find(|t| t["tone"] == "hedging").unwrap();
    assert!(hedging["top_markers"].contains("kind of:3"), "{}", hedging["top_markers"]);
    for t in &tones {
        let tagged = markers.iter().filter(|m| m["tone"].split('|').any(|x| x == t["tone"])).count();
        assert_eq!(t["count"], tagged.to_string(), "{}", t["tone"]);
    }
    assert_eq!(tones.len(), 9, "every category is listed, zeros included");
}

#[test]
fn the_arc_summarises_the_sentence_scores() {
    let dir = analyze_sample(&["--arc-points", "10"]);
    let sentences = table(&dir.path().join("results/sentences.csv"));
    let arc = table(&dir.path().join("results/arc.csv"));
    assert_eq!(arc.len(), 10);
    let mut first = 0;
    for point in &arc {
        let n: usize = point["sentences"].parse().unwrap();
        let run: Vec<f64> = sentences[first..first + n].iter().map(|s| num(&s["compound"])).collect();
        let mean = run.iter().sum::<f64>() / n as f64;
        assert!((num(&point["mean_compound"]) - mean).abs() < 1e-4, "point {}", point["point"]);
        first += n;
    }
    assert_eq!(first, 64, "the runs cover every sentence once");
}

#[test]
fn other_languages_get_empty_sentiment_and_a_note_unless_given_valences() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("critique.txt"), "Un livre magnifique. Une fin triste et cruelle.").unwrap();
    let out = run(&["analyze", "critique.txt", "--lang", "fr", "--out", "plain"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("VADER scores English only"), "{}", stderr(&out));
    let sentences = table(&dir.path().join("plain/sentences.csv"));
    assert!(sentences.iter().all(|s| s["compound"].is_empty() && s["positive"].is_empty()));
    assert!(table(&dir.path().join("plain/arc.csv")).is_empty());

    fs::write(dir.path().join("valence.tsv"), "magnifique\t3\ntriste\t-2\ncruel\t-3\n").unwrap();
    let out =
        run(&["analyze", "critique.txt", "--lang", "fr", "--valence", "valence.tsv", "--out", "scored"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let sentences = table(&dir.path().join("scored/sentences.csv"));
    // 3/√(9 + 15) = 0.6124; "cruelle" is not "cruel": only "triste" counts, −2/√19 = −0.4588.
    assert_eq!((num(&sentences[0]["compound"]), num(&sentences[1]["compound"])), (0.6124, -0.4588));
}

#[test]
fn a_malformed_tone_lexicon_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("tone.toml"),
        "[praise]\nterms = [\"masterpiece\"]\n[censure]\nlable = \"x\"\nterms = [\"dull\"]\n",
    )
    .unwrap();
    let out = run(&["analyze", sample_path().to_str().unwrap(), "--tone", "tone.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tone.toml:4:1: unknown field `lable`"), "{}", stderr(&out));
    fs::write(dir.path().join("valence.tsv"), "good\t2\nbad -2\n").unwrap();
    let out = run(&["analyze", sample_path().to_str().unwrap(), "--valence", "valence.tsv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("valence.tsv:2: expected word<TAB>valence"), "{}", stderr(&out));
}

#[test]
fn a_users_tone_lexicon_replaces_the_default() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("tone.toml"), "[place]\nlabel = \"Places\"\nterms = [\"hailsham\", \"britain\"]\n")
        .unwrap();
    let out = run(&["analyze", sample_path().to_str().unwrap(), "--tone", "tone.toml", "--out", "r"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let tones = table(&dir.path().join("r/tone.csv"));
    assert_eq!(tones.len(), 1);
    // Hailsham ×2, Hailsham’s ×1, Britain ×1.
    assert_eq!((tones[0]["label"].as_str(), tones[0]["count"].as_str()), ("Places", "4"));
}

#[test]
fn a_novel_of_many_blocks_of_sentences_has_every_row_once_in_order() {
    // Sentences are scored and written 16,384 at a time: 33,000 sentences make three blocks. Each pair is the
    // same two sentences, so every row must equal its twin in the first pair, at its own place in the text.
    let pair = "It is awful. Perhaps I love it. ";
    let pairs = 16_500;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("novel.txt"), pair.repeat(pairs)).unwrap();
    let out = run(&["analyze", "novel.txt", "--charts", "none", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert_eq!(sentences.len(), 2 * pairs);
    let columns = ["text", "compound", "positive", "neutral", "negative", "tone"];
    assert_ne!(sentences[0]["compound"], sentences[1]["compound"]);
    for (i, row) in sentences.iter().enumerate() {
        assert_eq!(row["sentence_id"], (i + 1).to_string());
        let twin = &sentences[i % 2];
        for column in columns {
            assert_eq!(row[column], twin[column], "{column} of sentence {}", i + 1);
        }
        let start: usize = row["start_byte"].parse().unwrap();
        assert_eq!(start, (i / 2) * pair.len() + twin["start_byte"].parse::<usize>().unwrap());
    }
    // "awful" and "love" are markers: one per sentence, in sentence order.
    let markers = table(&dir.path().join("results/tone_markers.csv"));
    let ids: Vec<usize> = markers.iter().map(|m| m["sentence_id"].parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]) && ids[ids.len() - 1] == 2 * pairs);
    assert_eq!(markers.iter().filter(|m| m["marker"] == "awful").count(), pairs);
    let arc = table(&dir.path().join("results/arc.csv"));
    assert_eq!(arc.iter().map(|p| p["sentences"].parse::<usize>().unwrap()).sum::<usize>(), 2 * pairs);
}
