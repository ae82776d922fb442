//! The tables a run wrote, read back a row at a time into what the page shows: each capped at [`CAP`] rows, the
//! per-document ones only for the documents that get a view.

use std::io;
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Serialize;

/// The most rows of one table the page holds (per document for a document's tables); the rest are in the CSV,
/// which the page names.
pub const CAP: usize = 2_000;

/// The most sentences of one document the text view holds.
pub const SENTENCE_CAP: usize = 20_000;

/// The most spans (theme words, tone markers, quotations) of one document the text view highlights: a text dense
/// with sentiment words (300,000 markers in 2 MB) must not fill memory, nor the page.
pub const MARK_CAP: usize = 50_000;

/// Rows of a table as the page holds them: the cells of the chosen columns, as written.
#[derive(Debug, Default, Serialize)]
pub struct Table {
    /// The CSV it comes from (`vocabulary.csv`).
    pub file: String,
    /// Whether the run wrote it (not left out by `--skip-tables`).
    pub written: bool,
    /// The columns kept, in the order given.
    pub columns: Vec<String>,
    /// The first [`CAP`] rows.
    pub rows: Vec<Vec<String>>,
    /// Rows the CSV holds (of this document, for a document's table).
    pub total: u64,
}

impl Table {
    /// An empty table of `file` with these columns.
    pub fn new(file: &str, columns: &[&str]) -> Table {
        Table { file: file.to_string(), columns: columns.iter().map(|c| c.to_string()).collect(), ..Table::default() }
    }

    /// Counts a row and keeps it if the cap allows.
    pub fn push(&mut self, row: impl FnOnce() -> Vec<String>, cap: usize) {
        self.total += 1;
        if self.rows.len() < cap {
            self.rows.push(row());
        }
    }
}

/// The columns of a CSV the page keeps, by index, found by name in its header.
pub struct Picker {
    /// The `document` column (for a document's table), if the table has one.
    pub document: Option<usize>,
    /// The kept columns' names: those asked for, or the whole header.
    pub names: Vec<String>,
    /// Each kept column's index, `None` for a column this version's table lacks (an empty cell).
    keep: Vec<Option<usize>>,
}

impl Picker {
    /// The cells of the kept columns of `record`.
    pub fn cells(&self, record: &csv::StringRecord) -> Vec<String> {
        self.keep.iter().map(|i| i.and_then(|i| record.get(i)).unwrap_or("").to_string()).collect()
    }

    /// The cell of `record` in the column at `index` of [`Picker::cells`].
    pub fn cell<'r>(&self, record: &'r csv::StringRecord, index: usize) -> &'r str {
        self.keep.get(index).copied().flatten().and_then(|i| record.get(i)).unwrap_or("")
    }

    /// The document a row belongs to (empty for a corpus or group row).
    pub fn document<'r>(&self, record: &'r csv::StringRecord) -> &'r str {
        self.document.and_then(|i| record.get(i)).unwrap_or("")
    }
}

/// What [`each_row`] does after a row.
pub enum Next {
    /// Read on.
    More,
    /// Stop reading: nothing further is wanted.
    Stop,
}

/// Reads the CSV at `path` a row at a time, giving `row` each record and a [`Picker`] of `columns` (every column
/// when `columns` is empty); `Ok(false)` when the file does not exist (a table left out).
pub fn each_row(
    path: Option<&Path>,
    columns: &[&str],
    mut row: impl FnMut(&Picker, &csv::StringRecord) -> Next,
) -> io::Result<bool> {
    let Some(path) = path else { return Ok(false) };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(io::BufReader::with_capacity(1 << 16, file));
    let header = reader.headers().map_err(io::Error::other)?.clone();
    let index = |name: &str| header.iter().position(|h| h == name);
    let names: Vec<String> = if columns.is_empty() {
        header.iter().map(str::to_string).collect()
    } else {
        columns.iter().map(|c| c.to_string()).collect()
    };
    let keep = names.iter().map(|c| index(c)).collect();
    let picker = Picker { document: index("document"), names, keep };
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(io::Error::other)? {
        if let Next::Stop = row(&picker, &record) {
            break;
        }
    }
    Ok(true)
}

/// The documents that get a view, by id, each with its place in the page's list.
pub struct Views {
    /// Each id's place (looked up for every row of every table the report reads).
    places: FxHashMap<String, usize>,
}

impl Views {
    /// The views of `ids`, in order.
    pub fn new(ids: &[String]) -> Views {
        let mut places = FxHashMap::with_capacity_and_hasher(ids.len(), Default::default());
        for (i, id) in ids.iter().enumerate() {
            places.entry(id.clone()).or_insert(i);
        }
        Views { places }
    }

    /// Reads a per-document table: `add` gets each row of a document with a view and its place. Documents are
    /// written in run order and the viewed ones come first, so reading stops at the first row of another
    /// document: a large corpus's tables are not read through for the first documents' rows.
    pub fn read(
        &self,
        path: Option<&Path>,
        columns: &[&str],
        mut add: impl FnMut(usize, &Picker, &csv::StringRecord),
    ) -> io::Result<bool> {
        each_row(path, columns, |picker, record| {
            let document = picker.document(record);
            match self.places.get(document) {
                Some(&place) => {
                    add(place, picker, record);
                    Next::More
                }
                // A corpus or group row (no document) comes after every document's.
                None => Next::Stop,
            }
        })
    }
}
