//! Rows rendered ahead of their turn, in whatever thread made them, waiting to be appended to their [`Table`] in
//! input order: in memory, or, for a huge document's, in a hidden temporary file in the output folder.
//!
//! [`Table`]: crate::output::Table

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

use crate::output::hidden_temporary;
use crate::report::cells::Cells;
use crate::report::csv::CsvSink;
use crate::report::schema::Row;

/// Rows of the table `S` rendered as CSV without a header, in whatever thread made them, to be appended to their
/// table in order.
pub struct RowBuffer<S> {
    sink: CsvSink<Spill, S>,
    /// Rows are not rendered: the table is left out (`--skip-tables`).
    discarding: bool,
    /// Rows rendered, for the run's manifest.
    rows: u64,
}

impl<S: Row> RowBuffer<S> {
    /// An empty buffer in memory; text cells are written as `cells` says.
    pub fn new(cells: Cells) -> Self {
        Self::with(Spill { bytes: Vec::new(), file: None, dir: None }, cells)
    }

    /// An empty buffer that moves to a hidden temporary file in `dir` once it holds [`SPILL_BYTES`], so the
    /// rows of a huge document do not wait in memory for their turn beside the document itself.
    pub fn spilling(cells: Cells, dir: &Path) -> Self {
        Self::with(Spill { bytes: Vec::new(), file: None, dir: Some(dir.to_path_buf()) }, cells)
    }

    /// A buffer for a table left out: rows given to it are dropped unrendered, and it renders as no rows.
    pub fn discarding(cells: Cells) -> Self {
        RowBuffer { discarding: true, ..Self::new(cells) }
    }

    fn with(spill: Spill, cells: Cells) -> Self {
        RowBuffer { sink: CsvSink::headless(spill, cells), discarding: false, rows: 0 }
    }

    /// Renders one row. Rendering into memory fails only for a row type that cannot be written as CSV.
    pub fn write<R: Row<Schema = S::Schema>>(&mut self, row: &R) -> io::Result<()> {
        if self.discarding {
            return Ok(());
        }
        self.rows += 1;
        self.sink.write(row)
    }

    /// Renders every row.
    pub fn write_all<'r, R: Row<Schema = S::Schema> + 'r>(
        &mut self,
        rows: impl IntoIterator<Item = &'r R>,
    ) -> io::Result<()> {
        rows.into_iter().try_for_each(|row| self.write(row))
    }

    /// How its text cells are written.
    pub fn cells(&self) -> Cells {
        self.sink.cells()
    }

    /// The rendered rows.
    pub fn into_rendered(self) -> io::Result<Rendered> {
        let rows = self.rows;
        let Spill { bytes, file, .. } = self.sink.finish()?;
        Ok(match file {
            Some(file) => Rendered::File { path: file.into_temp_path(), rows },
            None => Rendered::Memory { bytes, rows },
        })
    }
}

/// A document's rows of one table that fill more bytes than this wait in a temporary file rather than in memory:
/// only documents of megabytes (a novel) have such tables; a review's take kilobytes.
pub const SPILL_BYTES: usize = 4 << 20;

/// Rows rendered by a [`RowBuffer`]: in memory, or (past [`SPILL_BYTES`]) in a hidden temporary file.
#[derive(Debug)]
pub enum Rendered {
    /// The rows in memory.
    Memory {
        /// Their bytes.
        bytes: Vec<u8>,
        /// How many rows they are.
        rows: u64,
    },
    /// The rows in a file.
    File {
        /// A closed file holding them (so documents waiting for their turn hold no file open), removed when this
        /// is dropped.
        path: TempPath,
        /// How many rows it holds.
        rows: u64,
    },
}

impl Rendered {
    /// How many rows it holds (counted as they were rendered: a cell may hold a line break).
    pub fn rows(&self) -> u64 {
        match self {
            Rendered::Memory { rows, .. } | Rendered::File { rows, .. } => *rows,
        }
    }
}

impl Default for Rendered {
    fn default() -> Self {
        Rendered::Memory { bytes: Vec::new(), rows: 0 }
    }
}

/// Where a [`RowBuffer`] renders: memory, then, if it may spill and grows past [`SPILL_BYTES`], a file.
struct Spill {
    bytes: Vec<u8>,
    file: Option<NamedTempFile>,
    /// The folder for the file; `None` for a buffer that stays in memory.
    dir: Option<PathBuf>,
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(dir) = &self.dir
            && self.file.is_none()
            && self.bytes.len() + buf.len() > SPILL_BYTES
        {
            let mut file = hidden_temporary(dir)?;
            file.write_all(&self.bytes)?;
            (self.bytes, self.file) = (Vec::new(), Some(file));
        }
        match &mut self.file {
            Some(file) => file.write_all(buf)?,
            None => self.bytes.extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |file| file.flush())
    }
}
