//! Whole jobs, as the command line runs them: read every input, build each document, write the tables. Messages
//! for the user (skipped files, guessed encodings, empty documents) go to a callback, so the library never prints.
//!
//! - [`options`](Options): what a run is asked to do;
//! - `document`: one document's rows of every table, made in the thread that analyses it;
//! - `analyze`: the whole run, documents written in input order, then the tables that span documents;
//! - `merge`: a sharded run's folders combined;
//! - `text`: one text given in memory, its tables returned rather than written;
//! - `commands`: the commands that print one table to standard output.

mod analyze;
mod commands;
mod document;
mod merge;
mod messages;
mod options;
mod provenance;
mod reading;
mod recorded;
mod settings;
mod tables;
mod text;

pub use analyze::analyze;
pub use commands::{character_table, collocates, kwic, list_lexicon, ngrams, provenance_table, quote_table, vocab};
pub use merge::merge;
pub use messages::{Message, Summary};
pub use options::{DEFAULT_KEYNESS_TOP, GroupBy, Options, skippable_tables};
pub use reading::for_each_document;
pub use recorded::{lexicons, resolved};
pub use text::analyze_text;
