//! The README documents every column of every table, under the table's own heading.

use marginalia::report::schema::{
    ArcRow, ChapterRow, CharacterRow, CollocationRow, ConcordanceRow, CorpusVocabularyRow, DocumentRow, KeynessRow,
    MetadataRow, NgramRow, QuoteRow, Row, SentenceRow, SimilarityRow, ThemeRow, ThemeSentimentRow, ThemeTermRow,
    ThemeTrendRow, ToneMarkerRow, ToneRow, VocabularyRow, VoiceRow, VoiceThemeRow,
};

/// The README's section for one table: from its `### `file`` heading to the next heading.
fn section<'a>(readme: &'a str, file: &str) -> &'a str {
    let heading = format!("### `{file}`");
    let start = readme.find(&heading).unwrap_or_else(|| panic!("README has no section {heading}"));
    let rest = &readme[start + heading.len()..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

fn documented_columns(readme: &str, file: &str) -> Vec<String> {
    section(readme, file)
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(col, _)| col.to_string()))
        .collect()
}

fn check<R: Row>(readme: &str) {
    assert_eq!(documented_columns(readme, R::FILE), R::COLUMNS, "README's columns for {}", R::FILE);
}

#[test]
fn readme_lists_every_column_in_order() {
    let readme = include_str!("../README.md");
    check::<DocumentRow>(readme);
    check::<ChapterRow>(readme);
    check::<VocabularyRow>(readme);
    check::<NgramRow>(readme);
    check::<CollocationRow>(readme);
    check::<SentenceRow>(readme);
    check::<QuoteRow>(readme);
    check::<CharacterRow>(readme);
    check::<VoiceRow>(readme);
    check::<VoiceThemeRow>(readme);
    check::<ThemeRow>(readme);
    check::<ThemeTermRow>(readme);
    check::<ThemeTrendRow>(readme);
    check::<ThemeSentimentRow>(readme);
    check::<ConcordanceRow>(readme);
    check::<ToneMarkerRow>(readme);
    check::<ToneRow>(readme);
    check::<ArcRow>(readme);
    check::<MetadataRow>(readme);
    check::<CorpusVocabularyRow>(readme);
    check::<KeynessRow>(readme);
    check::<SimilarityRow>(readme);
}

#[test]
fn readme_opens_with_the_two_commands() {
    let readme = include_str!("../README.md");
    let opening: Vec<&str> = readme.lines().take(6).collect();
    assert!(opening.iter().any(|l| l.starts_with("cargo run --release -- analyze texts/")), "{opening:?}");
    assert!(opening.iter().any(|l| l.starts_with("cargo test")), "{opening:?}");
}
