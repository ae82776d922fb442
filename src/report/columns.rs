//! What each table's columns hold, for readers that want values rather than text: the Python package reads a
//! table into pandas with these kinds, so a document named `001` stays text, and an empty count stays missing
//! instead of turning the whole column into decimals.

use super::schema::{
    ArcRow, ChapterRow, CharacterRow, CollocationRow, ConcordanceRow, CorpusVocabularyRow, DocumentRow, KeynessRow,
    MetadataRow, NgramRow, ProvenanceRow, QuoteRow, QuotedPassageRow, Row, SentenceRow, SimilarityRow, ThemeRow,
    ThemeSentimentRow, ThemeTermRow, ThemeTrendRow, ToneMarkerRow, ToneRow, VocabularyRow, VoiceRow, VoiceThemeRow,
};

/// What a column holds, as its cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Any text, possibly empty.
    Text,
    /// A whole number, never empty.
    Integer,
    /// A whole number, or an empty cell where there is none.
    OptionalInteger,
    /// A decimal number, or an empty cell where it cannot be computed.
    Number,
    /// `true` or `false`.
    Flag,
}

impl ColumnKind {
    /// The kind of a column whose field has the Rust type `ty`, as `stringify!` writes it (`usize`,
    /// `Option<f64>`, `&'a str`); `None` for a type no table used when this was written (a test lists them all).
    pub fn of(ty: &str) -> Option<ColumnKind> {
        let ty: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
        let integer = |t: &str| matches!(t, "usize" | "u64" | "u32");
        Some(match ty.as_str() {
            "String" | "&'astr" | "&'staticstr" | "Cow<'a,str>" => ColumnKind::Text,
            "f64" | "Option<f64>" => ColumnKind::Number,
            "bool" => ColumnKind::Flag,
            t if integer(t) => ColumnKind::Integer,
            t if t.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')).is_some_and(integer) => {
                ColumnKind::OptionalInteger
            }
            _ => return None,
        })
    }

    /// Its name, as the Python package receives it: `text`, `integer`, `optional integer`, `number`, `flag`.
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Text => "text",
            ColumnKind::Integer => "integer",
            ColumnKind::OptionalInteger => "optional integer",
            ColumnKind::Number => "number",
            ColumnKind::Flag => "flag",
        }
    }
}

/// One table: its file, its columns in order and their fields' Rust types (see [`Row`]).
#[derive(Debug, Clone, Copy)]
pub struct TableColumns {
    /// The table's file name (`documents.csv`).
    pub file: &'static str,
    /// Its columns, in order.
    pub columns: &'static [&'static str],
    /// The Rust type of each column's field, for [`ColumnKind::of`].
    pub types: &'static [&'static str],
}

impl TableColumns {
    /// Each column with its kind; a column of a type [`ColumnKind::of`] does not know is [`ColumnKind::Text`],
    /// which reads any cell.
    pub fn kinds(&self) -> impl Iterator<Item = (&'static str, ColumnKind)> + '_ {
        let kind = |ty: &str| ColumnKind::of(ty).unwrap_or(ColumnKind::Text);
        self.columns.iter().zip(self.types).map(move |(column, ty)| (*column, kind(ty)))
    }
}

macro_rules! every_table {
    ($($row:ident),* $(,)?) => {
        /// Every table marginalia writes, in the order a run lists them.
        pub const TABLES: &[TableColumns] = &[$(TableColumns {
            file: <$row as Row>::FILE,
            columns: <$row as Row>::COLUMNS,
            types: <$row as Row>::TYPES,
        }),*];
    };
}

every_table![
    DocumentRow,
    ChapterRow,
    VocabularyRow,
    NgramRow,
    CollocationRow,
    SentenceRow,
    QuoteRow,
    ProvenanceRow,
    CharacterRow,
    VoiceRow,
    VoiceThemeRow,
    ThemeRow,
    ThemeTermRow,
    ThemeTrendRow,
    ThemeSentimentRow,
    ConcordanceRow,
    ToneMarkerRow,
    ToneRow,
    ArcRow,
    MetadataRow,
    CorpusVocabularyRow,
    KeynessRow,
    SimilarityRow,
    QuotedPassageRow,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_of_every_table_has_a_known_kind() {
        for table in TABLES {
            assert_eq!(table.columns.len(), table.types.len(), "{}", table.file);
            for (column, ty) in table.columns.iter().zip(table.types) {
                assert!(ColumnKind::of(ty).is_some(), "{}: {column} is a {ty}: give it a kind", table.file);
            }
        }
    }

    #[test]
    fn kinds_are_read_from_the_types_as_stringify_writes_them() {
        let kind = |ty| ColumnKind::of(ty);
        assert_eq!(kind("& 'a str"), Some(ColumnKind::Text));
        assert_eq!(kind("Cow < 'a, str >"), Some(ColumnKind::Text));
        assert_eq!(kind("Option<u32>"), Some(ColumnKind::OptionalInteger));
        assert_eq!(kind("Option<f64>"), Some(ColumnKind::Number));
        assert_eq!(kind("usize"), Some(ColumnKind::Integer));
        assert_eq!(kind("bool"), Some(ColumnKind::Flag));
        assert_eq!(kind("Vec<String>"), None);
        let documents = TABLES.iter().find(|t| t.file == "documents.csv").map(|t| t.kinds().take(6).collect());
        let expected: Vec<_> = [
            ("document", ColumnKind::Text),
            ("group", ColumnKind::Text),
            ("path", ColumnKind::Text),
            ("encoding", ColumnKind::Text),
            ("layout", ColumnKind::Text),
            ("bytes", ColumnKind::Integer),
        ]
        .into();
        assert_eq!(documents, Some(expected));
    }
}
