//! The analyses: plain functions from a [`Document`](crate::text::Document) to the rows of one table. An analysis
//! never reads another analysis or writes files.

pub mod arc;
pub mod collocations;
pub mod corpus;
pub mod groups;
pub mod ngrams;
pub mod quotes;
pub mod sentences;
pub mod stats;
pub mod themes;
pub mod tone;
pub mod vocabulary;
