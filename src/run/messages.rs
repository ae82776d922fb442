//! What a run tells its caller: [`Message`]s as it goes, a [`Summary`] at the end.

use std::path::PathBuf;
use std::time::Duration;

use crate::charts::Drawn;

/// Something the user should hear about; the run goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// An input was skipped (binary, unreadable).
    Skipped(String),
    /// An input was read, but with a caveat (a guessed encoding, replaced bytes).
    Warning(String),
    /// Information (an empty document, a renamed id).
    Note(String),
    /// A document has been written: how far the run is.
    Progress {
        /// Documents written so far.
        documents: usize,
        /// Bytes of text written so far.
        bytes: usize,
        /// The size of the inputs named, in bytes (0 when unknown: standard input).
        total_bytes: u64,
    },
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents analysed.
    pub documents: usize,
    /// Bytes of decoded text analysed.
    pub bytes: usize,
    /// Inputs skipped.
    pub skipped: usize,
    /// Tables written.
    pub tables: Vec<PathBuf>,
    /// Chart files written.
    pub charts: usize,
    /// Time spent drawing them.
    pub chart_time: Duration,
}

impl Summary {
    /// Counts a document of `bytes` bytes of text.
    pub(super) fn add_document(&mut self, bytes: usize) {
        self.documents += 1;
        self.bytes += bytes;
    }

    /// Counts the charts drawn.
    pub(super) fn add_charts(&mut self, drawn: &Drawn) {
        self.charts += drawn.files.len();
        self.chart_time += drawn.time;
    }
}
