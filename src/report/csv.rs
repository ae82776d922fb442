//! One CSV writer for every row type ([`CsvSink`]), writing each cell straight into the line's bytes: integers with
//! `itoa`, 4-decimal values with [`push_round4`], text quoted only where needed, byte for byte what the csv crate's
//! serde writer wrote, at a fraction of its instructions (it was a fifth of a run's). Where the tables go, and how
//! they appear there only when a run has succeeded, is [`crate::output`]'s job.

use std::borrow::Cow;
use std::io::{self, Write};
use std::marker::PhantomData;

use crate::report::cells::{Cells, neutralise};
use crate::report::number::push_round4;
use crate::report::schema::{Row, round4};

/// Rows are passed to the writer in blocks of about this many bytes, as the csv crate's own buffer did.
const BLOCK: usize = 8 << 10;

/// Writes rows of the table `S` (a [`Row`] type, `'static` for rows that borrow) as CSV to any writer, header
/// first.
pub struct CsvSink<W: Write, S> {
    out: W,
    /// Rows not yet passed to `out`.
    line: Line,
    schema: PhantomData<fn(&S)>,
}

impl<W: Write, S: Row> CsvSink<W, S> {
    /// Starts a table on `out`, its header first; text cells are written as `cells` says.
    pub fn new(out: W, cells: Cells) -> Self {
        let mut sink = Self::headless(out, cells);
        // The header's names are written as they are, whatever `cells` says.
        let line = &mut sink.line;
        for column in S::COLUMNS {
            line.separate();
            push_text(column.as_bytes(), &mut line.bytes);
        }
        line.end();
        sink
    }

    /// Starts a table's rows on `out` without its header: rows rendered apart, to be appended to the table.
    pub fn headless(out: W, cells: Cells) -> Self {
        let line = Line { bytes: Vec::new(), cells, row_start: 0, fields: 0 };
        CsvSink { out, line, schema: PhantomData }
    }

    /// How its text cells are written.
    pub fn cells(&self) -> Cells {
        self.line.cells
    }

    /// Writes one row (borrowing from any document).
    pub fn write<R: Row<Schema = S::Schema>>(&mut self, row: &R) -> io::Result<()> {
        row.write_cells(&mut self.line);
        self.line.end();
        if self.line.bytes.len() >= BLOCK {
            self.out.write_all(&self.line.bytes)?;
            self.line.bytes.clear();
        }
        Ok(())
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.line.bytes)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The csv crate wraps I/O errors; unwrap them so a broken pipe stays recognisable.
pub fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Rows being written as CSV lines, the way the csv crate writes them: cells separated by `,`, a line ended by
/// `\n`, a text cell quoted only when it holds `,`, `"`, `\r` or `\n`, its quotes doubled.
pub struct Line {
    bytes: Vec<u8>,
    cells: Cells,
    /// Where the row being written starts in `bytes`.
    row_start: usize,
    /// Cells of that row written so far.
    fields: usize,
}

impl Line {
    /// Writes one cell of the row.
    pub fn cell<C: Cell + ?Sized>(&mut self, value: &C) {
        self.separate();
        value.write(self);
    }

    fn separate(&mut self) {
        if self.fields > 0 {
            self.bytes.push(b',');
        }
        self.fields += 1;
    }

    /// Ends the row; a row that wrote no byte at all (one empty cell) is `""`, as the csv crate writes it.
    fn end(&mut self) {
        if self.bytes.len() == self.row_start {
            self.bytes.extend_from_slice(b"\"\"");
        }
        self.bytes.push(b'\n');
        (self.row_start, self.fields) = (self.bytes.len(), 0);
    }

    /// Writes a text cell, neutralised if the cells are to be spreadsheet-safe.
    fn text(&mut self, text: &str) {
        match self.cells {
            Cells::Raw => push_text(text.as_bytes(), &mut self.bytes),
            Cells::Safe => push_text(neutralise(text).as_bytes(), &mut self.bytes),
        }
    }
}

/// Appends `text` as one CSV cell: as it is, or in quotes with its quotes doubled if it holds `,`, `"`, `\r` or
/// `\n` (the csv crate's `QuoteStyle::Necessary` with its default `\n` terminator).
fn push_text(text: &[u8], out: &mut Vec<u8>) {
    if !needs_quotes(text) {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    for (i, part) in text.split(|&b| b == b'"').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(part);
    }
    out.push(b'"');
}

/// Whether `text` holds `,`, `"`, `\r` or `\n`. Most cells are a word or a number: for them a plain loop costs a
/// few instructions a byte where a call to memchr costs a hundred; a long cell (a sentence) is left to memchr.
fn needs_quotes(text: &[u8]) -> bool {
    if text.len() < 64 {
        return text.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    }
    memchr::memchr3(b',', b'"', b'\n', text).is_some() || memchr::memchr(b'\r', text).is_some()
}

/// A value that is one cell of a row.
pub trait Cell {
    /// Appends the cell to the row being written.
    fn write(&self, line: &mut Line);
}

impl<T: Cell + ?Sized> Cell for &T {
    fn write(&self, line: &mut Line) {
        (**self).write(line);
    }
}

impl Cell for str {
    fn write(&self, line: &mut Line) {
        line.text(self);
    }
}

impl Cell for String {
    fn write(&self, line: &mut Line) {
        line.text(self);
    }
}

impl Cell for Cow<'_, str> {
    fn write(&self, line: &mut Line) {
        line.text(self);
    }
}

/// An empty cell for `None`.
impl<T: Cell> Cell for Option<T> {
    fn write(&self, line: &mut Line) {
        if let Some(value) = self {
            value.write(line);
        }
    }
}

impl Cell for bool {
    fn write(&self, line: &mut Line) {
        line.bytes.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

/// Implements [`Cell`] for integer types, written with `itoa` as the csv crate writes them.
macro_rules! integer_cells {
    ($($t:ty),*) => {
        $(impl Cell for $t {
            fn write(&self, line: &mut Line) {
                line.bytes.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
            }
        })*
    };
}

integer_cells!(u32, u64, usize);

/// Written as `ryu` writes it, as the csv crate did; a value already rounded to 4 decimals, as nearly every one in
/// the tables is, by [`push_round4`], which writes the same bytes without ryu's search.
impl Cell for f64 {
    fn write(&self, line: &mut Line) {
        if round4(*self).to_bits() == self.to_bits() {
            push_round4(*self, &mut line.bytes);
        } else {
            line.bytes.extend_from_slice(ryu::Buffer::new().format(*self).as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::cells::by_serde::Safe;
    use crate::report::schema::{DocumentRow, QuoteRow, VocabularyRow};
    use proptest::prelude::*;

    fn written<S: Row>(rows: &[S], cells: Cells) -> String {
        let mut sink = CsvSink::<Vec<u8>, S>::new(Vec::new(), cells);
        rows.iter().for_each(|row| sink.write(row).unwrap());
        String::from_utf8(sink.finish().unwrap()).unwrap()
    }

    /// What the csv crate's serde writer wrote for the same rows: the truth the row writer must equal.
    fn by_serde<S: Row>(rows: &[S], cells: Cells) -> String {
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        writer.write_record(S::COLUMNS).unwrap();
        for row in rows {
            match cells {
                Cells::Safe => writer.serialize(Safe(row)).unwrap(),
                Cells::Raw => writer.serialize(row).unwrap(),
            }
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn empty_table_still_has_its_header() {
        let bytes = CsvSink::<Vec<u8>, VocabularyRow>::new(Vec::new(), Cells::Safe).finish().unwrap();
        assert_eq!(bytes, b"document,stem,term,forms,count,per_10k,rank,stopword,first_sentence,tf_idf\n");
    }

    #[test]
    fn a_row_of_one_empty_cell_is_a_pair_of_quotes_as_the_csv_crate_writes_it() {
        let mut line = Line { bytes: Vec::new(), cells: Cells::Raw, row_start: 0, fields: 0 };
        line.cell("");
        line.end();
        line.cell("");
        line.cell("");
        line.end();
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        writer.write_record([""]).unwrap();
        writer.write_record(["", ""]).unwrap();
        assert_eq!(line.bytes, writer.into_inner().unwrap());
    }

    #[test]
    fn rows_of_every_cell_type_are_written_as_serde_wrote_them() {
        let quote = QuoteRow {
            document: "=doc",
            parent_id: None,
            sentence_id: Some(7),
            text: "He said, \"no\"\r\nthen\tleft",
            phrase: Cow::Owned("-cmd".into()),
            speaker: "@me".into(),
            context: "-2",
            ..QuoteRow::default()
        };
        let document = DocumentRow {
            document: "a,b".into(),
            mattr: Some(0.2027),
            mean_compound: Some(-0.0),
            flesch_reading_ease: Some(f64::NAN),
            yules_k: Some(1e17),
            hdd: Some(0.1 + 0.2),
            syllables: Some(12),
            ..DocumentRow::default()
        };
        for cells in [Cells::Raw, Cells::Safe] {
            let quotes = std::slice::from_ref(&quote);
            assert_eq!(written(quotes, cells), by_serde(quotes, cells));
            assert_eq!(
                written(&[document.clone(), DocumentRow::default()], cells),
                by_serde(&[document.clone(), DocumentRow::default()], cells)
            );
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof!["[,\"\r\n=+@\t a-z0-9.eE'-]{0,12}", ".{0,100}", "[a-z ,\"]{60,200}"]
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![any::<f64>(), (-1e7..1e7f64).prop_map(round4), (-2.0..2.0f64).prop_map(round4), Just(-0.0)]
    }

    proptest! {
        #[test]
        fn any_row_is_written_as_serde_wrote_it(
            strings in proptest::collection::vec(text(), 4),
            numbers in (any::<u32>(), number(), any::<u32>(), any::<bool>(), any::<u32>()),
            tf_idf in proptest::option::of(number()),
            safe in any::<bool>(),
        ) {
            let row = VocabularyRow {
                document: &strings[0],
                stem: &strings[1],
                term: &strings[2],
                forms: Cow::Borrowed(&strings[3]),
                count: numbers.0,
                per_10k: numbers.1,
                rank: numbers.2,
                stopword: numbers.3,
                first_sentence: numbers.4,
                tf_idf,
            };
            let cells = if safe { Cells::Safe } else { Cells::Raw };
            let rows = [row.clone(), row];
            prop_assert_eq!(written(&rows, cells), by_serde(&rows, cells));
        }
    }
}
