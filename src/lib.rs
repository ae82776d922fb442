//! marginalia: a toolkit for literary criticism. Point it at a review, a folder of reviews or a novel and get
//! the vocabulary, the sentences and the lexical statistics as tidy CSV tables, every number traceable to the
//! byte offsets it came from.
//!
//! The pipeline runs one way: [`input`] (files, folders, stdin; decoding) → [`text`] (paragraphs, UAX #29
//! sentences and words, normalised and stemmed tokens: a [`text::Document`]) → [`analysis`] (plain functions
//! from one document to its rows) → [`corpus`] (what spans documents, added up from their counts) → [`report`]
//! (the row types and the CSV writer) and [`charts`] (PNG and SVG figures drawn from those rows), written into an
//! [`output`] folder that changes only when a run succeeds. [`run`] ties them together as the command line uses
//! them.
//!
//! ```
//! use marginalia::input::Source;
//! use marginalia::text::Pipeline;
//! use marginalia::analysis::vocabulary::vocabulary;
//!
//! let text = "As one guardian says, they’ve been “told and not told.” And that line? It stays with you.";
//! let doc = Pipeline::default().document(Source::from_text("review", text));
//! assert_eq!(doc.sentences.len(), 3);
//! let told = vocabulary(&doc).into_iter().find(|row| row.term == "told").unwrap();
//! assert_eq!(told.count, 2);
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod charts;
pub mod corpus;
pub mod error;
pub mod html;
pub mod input;
pub mod lexicon;
pub mod manifest;
pub mod output;
pub mod parallel;
pub mod provenance;
mod read_ahead;
pub mod report;
pub mod resource;
pub mod run;
pub mod sentiment;
pub mod shard;
pub mod tabular;
pub mod text;
mod vecs;

pub use error::{Error, Result};
