//! The tables a run writes: those every document adds rows to ([`Tables`], and [`Parts`] for one document's
//! rows), and those that span documents ([`CORPUS_TABLES`]). Adding a per-document table is one line in
//! `document_tables!` below.

use std::path::Path;

use crate::error::{Error, Result};
use crate::output::{Place, Publication, Rendered, RowBuffer};
use crate::output::{Table, remove_table};
use crate::report::cells::Cells;
use crate::report::schema::{
    ArcRow, ChapterRow, CharacterRow, CollocationRow, ConcordanceRow, CorpusVocabularyRow, DocumentRow, KeynessRow,
    MetadataRow, NgramRow, ProvenanceRow, QuoteRow, QuotedPassageRow, Row, SentenceRow, SimilarityRow, ThemeRow,
    ThemeSentimentRow, ThemeTermRow, ThemeTrendRow, ToneMarkerRow, ToneRow, VocabularyRow, VoiceRow, VoiceThemeRow,
};

use super::Message;
use super::options::leaves_out;

/// The tables that span documents, written by a whole run or a merge, never by a shard.
pub(super) const CORPUS_TABLES: [&str; 4] =
    [CorpusVocabularyRow::FILE, KeynessRow::FILE, SimilarityRow::FILE, QuotedPassageRow::FILE];

/// The tables every document adds rows to, in the order they are written and listed: `Tables` open in the
/// output folder, `Parts` one document's rows of each, rendered in the thread that analysed it.
macro_rules! document_tables {
    ($($field:ident: $row:ty),* $(,)?) => {
        pub(super) struct Tables {
            $(pub(super) $field: Table<$row>,)*
        }

        pub(super) struct Parts {
            $(pub(super) $field: RowBuffer<$row>,)*
        }

        impl Tables {
            /// The tables in `place`, those named in `skip` left out.
            pub(super) fn create(place: Place, cells: Cells, skip: &[String]) -> Result<Self> {
                Ok(Tables { $($field: Table::create_unless(place, cells, leaves_out::<$row>(skip))?,)* })
            }

            /// The names of the tables (`vocabulary.csv`), in order.
            pub(super) const FILES: &[&str] = &[$(<$row as Row>::FILE,)*];

            /// Appends one document's rows, rendered by [`Parts::render`].
            pub(super) fn append(&mut self, rendered: Vec<Rendered>) -> Result<()> {
                let mut rendered = rendered.into_iter();
                $(self.$field.append(rendered.next().unwrap_or_default())?;)*
                Ok(())
            }

            /// Appends the rows of each table of the shard folder `dir` (`marginalia merge`); `rows` gives how
            /// many rows a table of the shard holds, by file name. The rows of `vocabulary.csv`, whose `tf_idf`
            /// the merge fills in at the end, are read there from the shard's file ([`Table::defer_file`]).
            pub(super) fn append_shard(&mut self, dir: &Path, rows: &dyn Fn(&str) -> u64) -> Result<()> {
                $({
                    let file = <$row as crate::report::schema::Row>::FILE;
                    if file == VocabularyRow::FILE {
                        self.$field.defer_file(&dir.join(file), rows(file))?;
                    } else {
                        self.$field.append_file(&dir.join(file), rows(file))?;
                    }
                })*
                Ok(())
            }

            /// Adds the tables written (not those left out) to `publication`, in order.
            pub(super) fn stage(self, publication: &mut Publication) -> Result<()> {
                $(self.$field.stage(publication)?;)*
                Ok(())
            }

            /// Adds each table's file name and bytes (not those left out) to `bytes`, in order.
            pub(super) fn into_bytes(self, bytes: &mut Vec<(&'static str, Vec<u8>)>) -> Result<()> {
                $(bytes.extend(self.$field.into_bytes()?.map(|table| (<$row as Row>::FILE, table)));)*
                Ok(())
            }

            /// Removes an earlier run's tables in `dir` of the kinds `skip` leaves out; what cannot be removed
            /// goes to `failed`.
            pub(super) fn remove_left_out(dir: &Path, skip: &[String], failed: &mut Vec<Error>) {
                $(if leaves_out::<$row>(skip) {
                    failed.extend(remove_table::<$row>(dir).err());
                })*
            }
        }

        impl Parts {
            /// Empty rows; a huge document's rows wait in temporary files in the output folder, if `place` is
            /// one. The rows of a table named in `skip` are not rendered.
            pub(super) fn new(cells: Cells, place: Place, skip: &[String]) -> Self {
                Parts {
                    $($field: match (leaves_out::<$row>(skip), place) {
                        (true, _) => RowBuffer::discarding(cells),
                        (false, Place::Folder(dir)) => RowBuffer::spilling(cells, dir),
                        (false, Place::Memory) => RowBuffer::new(cells),
                    },)*
                }
            }

            /// Each table's rows, in field order.
            pub(super) fn render(self) -> std::io::Result<Vec<Rendered>> {
                Ok(vec![$(self.$field.into_rendered()?,)*])
            }
        }
    };
}

document_tables! {
    documents: DocumentRow,
    chapters: ChapterRow,
    vocabulary: VocabularyRow<'static>,
    ngrams: NgramRow,
    collocations: CollocationRow,
    sentences: SentenceRow<'static>,
    quotes: QuoteRow<'static>,
    provenance: ProvenanceRow<'static>,
    characters: CharacterRow,
    voices: VoiceRow,
    voice_themes: VoiceThemeRow,
    themes: ThemeRow,
    theme_terms: ThemeTermRow,
    theme_trend: ThemeTrendRow,
    theme_sentiment: ThemeSentimentRow,
    concordance: ConcordanceRow<'static>,
    tone_markers: ToneMarkerRow<'static>,
    tone: ToneRow,
    arc: ArcRow,
    metadata: MetadataRow<'static>,
}

/// Once a run has succeeded, removes an earlier run's tables in `out` of the kinds it left out. The run's own
/// results are in place by then, so a table that cannot be removed is a warning, not a failure.
pub(super) fn remove_left_out(out: &Path, skip: &[String], on_message: &mut dyn FnMut(Message)) {
    let mut failed = Vec::new();
    Tables::remove_left_out(out, skip, &mut failed);
    if leaves_out::<CorpusVocabularyRow>(skip) {
        failed.extend(remove_table::<CorpusVocabularyRow>(out).err());
    }
    if leaves_out::<KeynessRow>(skip) {
        failed.extend(remove_table::<KeynessRow>(out).err());
    }
    if leaves_out::<SimilarityRow>(skip) {
        failed.extend(remove_table::<SimilarityRow>(out).err());
    }
    if leaves_out::<QuotedPassageRow>(skip) {
        failed.extend(remove_table::<QuotedPassageRow>(out).err());
    }
    for error in failed {
        on_message(Message::Warning(format!("{error}; it is an earlier run's, left out of this one: delete it")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::columns::TABLES;

    #[test]
    fn the_list_of_every_table_is_the_tables_a_run_writes_in_order() {
        let listed: Vec<&str> = TABLES.iter().map(|t| t.file).collect();
        let written: Vec<&str> = Tables::FILES.iter().chain(&CORPUS_TABLES).copied().collect();
        assert_eq!(listed, written);
    }
}
