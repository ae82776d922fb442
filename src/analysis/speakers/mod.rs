//! Who speaks: the characters of a text ([`characters`]), for attributing its quotations to them.

pub mod characters;

pub use characters::{Cast, Character, Gender, Mention, cast};
