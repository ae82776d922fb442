//! Who speaks: the characters a text names ([`characters`]), the character of each of its quotations
//! ([`resolve()`]), and `characters.csv` ([`character_rows`]).

pub mod characters;
mod resolve;
mod table;

pub use characters::{Cast, Character, Gender, Mention, cast};
pub use resolve::resolve;
pub use table::character_rows;

use crate::analysis::quotes::QuoteAnalysis;
use crate::text::Document;

/// Finds the cast of `doc` and gives each of its quotations its character; returns the cast.
pub fn attribute(doc: &Document, quotes: &mut QuoteAnalysis<'_>) -> Cast {
    let cast = cast(doc);
    let (names, speakers) = resolve(doc, &cast, quotes);
    quotes.set_speakers(names, speakers);
    cast
}
