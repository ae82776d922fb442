//! The analyses: plain functions from a [`Document`](crate::text::Document) to the rows of one table, run on each
//! document in whatever thread analyses it. An analysis never writes files, and never uses what spans documents
//! ([`crate::corpus`]). It may take another analysis's output as plain data — the sentence rows take the tone
//! analysis's scores ([`sentences::with_tone`]), the statistics row the quotations' tally
//! ([`stats::with_quotes`]) — but never calls it, and no two analyses import each other.

pub mod arc;
pub mod chapters;
pub mod collocations;
pub mod diversity;
pub mod ngrams;
pub mod quotes;
pub mod readability;
pub mod segments;
pub mod sentences;
pub mod speakers;
pub mod stats;
pub mod theme_sentiment;
pub mod themes;
pub mod tone;
pub mod vocabulary;
pub mod voices;
