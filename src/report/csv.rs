//! One CSV writer for every row type ([`CsvSink`]). Where the tables go, and how they appear there only when a
//! run has succeeded, is [`crate::output`]'s job.

use crate::report::cells::{Cells, Safe};
use crate::report::schema::Row;
use std::io::{self, Write};
use std::marker::PhantomData;

/// Writes rows of the table `S` (a [`Row`] type, `'static` for rows that borrow) as CSV to any writer, header
/// first.
pub struct CsvSink<W: Write, S> {
    writer: csv::Writer<W>,
    cells: Cells,
    schema: PhantomData<fn(&S)>,
}

impl<W: Write, S: Row> CsvSink<W, S> {
    /// Starts a table on `out`, writing the header at once; text cells are written as `cells` says.
    pub fn new(out: W, cells: Cells) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        writer.write_record(S::COLUMNS).map_err(into_io)?;
        Ok(CsvSink { writer, cells, schema: PhantomData })
    }

    /// Starts a table's rows on `out` without its header: rows rendered apart, to be appended to the table.
    pub fn headless(out: W, cells: Cells) -> Self {
        let writer = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        CsvSink { writer, cells, schema: PhantomData }
    }

    /// How its text cells are written.
    pub fn cells(&self) -> Cells {
        self.cells
    }

    /// Writes one row (borrowing from any document).
    pub fn write<R: Row<Schema = S::Schema>>(&mut self, row: &R) -> io::Result<()> {
        match self.cells {
            Cells::Safe => self.writer.serialize(Safe(row)),
            Cells::Raw => self.writer.serialize(row),
        }
        .map_err(into_io)
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// The csv crate wraps I/O errors; unwrap them so a broken pipe stays recognisable.
pub fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::schema::VocabularyRow;

    #[test]
    fn empty_table_still_has_its_header() {
        let sink = CsvSink::<Vec<u8>, VocabularyRow>::new(Vec::new(), Cells::Safe).unwrap();
        let bytes = sink.finish().unwrap();
        assert_eq!(bytes, b"document,stem,term,forms,count,per_10k,rank,stopword,first_sentence,tf_idf\n");
    }
}
