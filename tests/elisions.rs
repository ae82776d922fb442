//! End to end: French and Italian elisions are words of their own, so lexicons and valence lists find the word
//! after the apostrophe; a closing guillemet stays with the sentence it closes.

mod common;

use std::fs;

use common::{run, stderr, table};

#[test]
fn lamour_counts_as_amour_for_a_lexicon_and_a_valence_list() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Il parle de l'amour et de la haine. C'était l’amour, dit-elle : « Je ne sais pas.\n» Fin.\n";
    fs::write(dir.path().join("roman.txt"), text).unwrap();
    fs::write(dir.path().join("themes.toml"), "[amour]\nterms = [\"amour\"]\n").unwrap();
    fs::write(dir.path().join("valences.tsv"), "amour\t3.0\nhaine\t-3.0\n").unwrap();
    let args = ["analyze", "roman.txt", "--lang", "fr", "--themes", "themes.toml", "--valence", "valences.tsv"];
    let out = run(&[&args[..], &["--charts", "none"]].concat(), dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let output = dir.path().join("output");
    let themes = table(&output.join("themes.csv"));
    assert_eq!(themes[0]["count"], "2", "{themes:?}");
    // Each elision is a word with its own span, and the text at its offsets.
    let concordance = table(&output.join("concordance.csv"));
    let keywords: Vec<&str> = concordance.iter().map(|r| r["keyword"].as_str()).collect();
    assert_eq!(keywords, ["amour", "amour"]);
    let markers = table(&output.join("tone_markers.csv"));
    let valued: Vec<(&str, &str)> =
        markers.iter().map(|m| (m["marker"].as_str(), m["lexicon_valence"].as_str())).collect();
    assert_eq!(valued, [("amour", "3.0"), ("haine", "-3.0"), ("amour", "3.0")]);
    let vocabulary = table(&output.join("vocabulary.csv"));
    let l = vocabulary.iter().find(|v| v["term"] == "l").unwrap();
    assert_eq!((l["count"].as_str(), l["stopword"].as_str()), ("2", "true"));
    // « Je ne sais pas.\n» is one sentence; "Fin." the next.
    let sentences = table(&output.join("sentences.csv"));
    let last: Vec<&str> = sentences.iter().rev().take(2).map(|s| s["text"].as_str()).collect();
    assert_eq!(last, ["Fin.", "C'était l’amour, dit-elle : « Je ne sais pas.\n»"]);
}
