//! Lexicon terms catch only their words: the embedded lexicons' exclude lists and the case rule for proper names,
//! through the library and the command line, and on real text (*Alice*'s Mock Turtle) where the corpus is present.

mod common;

use std::fs;
use std::path::Path;

use common::{run, table};
use marginalia::input::Source;
use marginalia::lexicon::Lexicon;
use marginalia::text::Pipeline;

/// (category key, matched text) of every hit of `lexicon` in `text`.
fn hits(lexicon: &Lexicon, text: &str) -> Vec<(String, String)> {
    let pipeline = Pipeline::default();
    let doc = pipeline.document(Source::from_text("t", text));
    let found = lexicon.compile(&pipeline).find(&doc);
    found
        .iter()
        .map(|h| (lexicon.categories[h.term.category].key.clone(), h.span(&doc).of(&doc.text).to_string()))
        .collect()
}

fn pairs(hits: &[(String, String)]) -> Vec<(&str, &str)> {
    hits.iter().map(|(c, w)| (c.as_str(), w.as_str())).collect()
}

#[test]
fn no_embedded_theme_matches_identical_hopefully_or_painfully() {
    let themes = Lexicon::default_themes();
    let unrelated = "The twins were identical. Hopefully it clears. She walked painfully. Identically dressed.";
    assert_eq!(hits(&themes, unrelated), []);
    // The words those forms were caught by still count.
    let related = "Her identity. There is hope. The pain.";
    assert_eq!(pairs(&hits(&themes, related)), [("identity", "identity"), ("fate", "hope"), ("body", "pain")]);
}

#[test]
fn the_embedded_irony_skips_the_mock_turtle_but_not_a_mocking_smile() {
    let tone = Lexicon::default_tone();
    let got = hits(&tone, "The Mock Turtle sighed deeply, and they mocked him with a mocking smile.");
    let irony: Vec<&str> = got.iter().filter(|(c, _)| c == "irony").map(|(_, w)| w.as_str()).collect();
    assert_eq!(irony, ["mocked", "mocking"]);
}

#[test]
fn words_of_names_are_not_matched_and_the_same_words_elsewhere_are() {
    let (lexicon, _) =
        Lexicon::parse_toml("[loss]\nterms = [\"miss\"]\n[fate]\nterms = [\"hope\"]\n", Path::new("names.toml"))
            .unwrap();
    let text = "We miss her. She called on Miss Havisham in Hope Street. There is hope.";
    assert_eq!(pairs(&hits(&lexicon, text)), [("loss", "miss"), ("fate", "hope")]);
    assert_eq!(pairs(&hits(&Lexicon::default_themes(), text)), [("fate", "hope")]);
}

#[test]
fn an_exclude_glob_works_from_the_command_line_and_a_bad_one_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Identical twins share an identity, identically.\n").unwrap();
    fs::write(dir.path().join("mine.toml"), "[identity]\nterms = [\"identity\"]\nexclude = [\"identic*\"]\n").unwrap();
    let out = run(&["analyze", "a.txt", "--out", "out", "--themes", "mine.toml", "--charts", "none", "-q"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = table(&dir.path().join("out/concordance.csv"));
    let keywords: Vec<&str> = rows.iter().map(|r| r["keyword"].as_str()).collect();
    assert_eq!(keywords, ["identity"]);

    fs::write(dir.path().join("bad.toml"), "[identity]\nterms = [\"identity\"]\nexclude = [\"sense of self\"]\n")
        .unwrap();
    let out = run(&["analyze", "a.txt", "--out", "out2", "--themes", "bad.toml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.toml:3:12: [identity]: exclude entry 'sense of self' must be one word"), "{stderr}");
}

/// The literary corpus beside the project (`../shared`, not shipped; `LITERARY_CORPUS` overrides the path).
#[test]
#[ignore = "needs ../shared/corpus/literary"]
fn alices_irony_does_not_count_the_mock_turtle() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/literary");
    let root = std::path::PathBuf::from(std::env::var("LITERARY_CORPUS").unwrap_or(default.into()));
    let text = fs::read_to_string(root.join("nltk-gutenberg/carroll-alice.txt")).unwrap();
    // Every "mock" in Alice is the Mock Turtle's name (53 times "Mock Turtle", 3 more across a line break).
    let mocks = text.matches("Mock").count();
    assert_eq!((mocks, text.matches("Mock Turtle").count()), (56, 53));
    assert_eq!(text.to_lowercase().matches("mock").count(), mocks);
    let got = hits(&Lexicon::default_tone(), &text);
    let irony: Vec<&str> = got.iter().filter(|(c, _)| c == "irony").map(|(_, w)| w.as_str()).collect();
    assert!(!irony.is_empty(), "Alice has irony words (absurd, sly…)");
    assert!(irony.iter().all(|w| !w.to_lowercase().starts_with("mock")), "{irony:?}");
}
