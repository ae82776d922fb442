//! What `analyze --source` adds to a run: the sources read once, each document's rows of `provenance.csv`, and at
//! the end `quoted_passages.csv` with its chart. Without `--source` none of it runs.

use std::io;
use std::path::Path;

use crate::charts::{Drawn, quoted_passages_chart};
use crate::error::Result;
use crate::input::InputDigest;
use crate::output::{Place, RowBuffer, Table, check_stop};
use crate::provenance::passages::Passages;
use crate::provenance::{self, Located, Sources};
use crate::report::schema::{ProvenanceRow, QuotedPassageRow};
use crate::text::Document;

use super::Message;
use super::options::{Options, leaves_out};
use super::settings::Settings;

/// The run's `--source` files, read and indexed, and their digests for the manifest; none without `--source`.
pub(super) fn read_sources(options: &Options) -> Result<(Sources, Vec<InputDigest>)> {
    if options.sources.is_empty() {
        return Ok((Sources::default(), Vec::new()));
    }
    Sources::read(&options.sources, &options.input, &options.pipeline.chapters)
}

/// Writes the rows of `provenance.csv` for the quotations `quoted` of `doc` (each its `quote_id` and the byte span
/// of its text) into `table`; returns the located ones, for `quoted_passages.csv`.
pub(super) fn document_rows(
    doc: &Document,
    sources: &Sources,
    quoted: &[(u32, usize, usize)],
    table: &mut RowBuffer<ProvenanceRow<'static>>,
) -> io::Result<Vec<Located>> {
    let mut located = Vec::new();
    for &(quote_id, start, end) in quoted {
        let found = sources.locate(doc.text.get(start..end).unwrap_or(""));
        provenance::rows(&doc.id, quote_id, &found).try_for_each(|row| table.write(&row))?;
        located.extend(provenance::located(quote_id, &found));
    }
    Ok(located)
}

/// `quoted_passages.csv` in `place`, from every document's located quotations (unless it is left out).
pub(super) fn passages_table(
    passages: &Passages,
    place: Place,
    settings: &Settings,
) -> Result<Table<QuotedPassageRow>> {
    let left_out = leaves_out::<QuotedPassageRow>(&settings.skip_tables);
    let mut table = Table::<QuotedPassageRow>::create_unless(place, settings.cells, left_out)?;
    if !left_out {
        check_stop(place.path())?;
        passages.rows().iter().try_for_each(|row| table.write(row))?;
    }
    Ok(table)
}

/// Draws `charts/corpus/quoted_passages.png` into `staging` when charts are drawn, `quoted_passages.csv` is not
/// left out and any quotation was located.
pub(super) fn passages_chart(
    passages: &Passages,
    settings: &Settings,
    staging: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Drawn {
    let left_out = leaves_out::<QuotedPassageRow>(&settings.skip_tables);
    if left_out || !settings.drawing() || passages.is_empty() {
        return Drawn::default();
    }
    let drawn = quoted_passages_chart(staging, &passages.positions(), &settings.charts);
    for failed in &drawn.failed {
        on_message(Message::Warning(format!("a corpus chart could not be drawn ({failed}); every table is complete")));
    }
    drawn
}
