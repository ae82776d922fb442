//! Who speaks: the characters a document names ([`cast`]) and the character of each quotation ([`resolve`]).
//! (Placeholder cast until the characters module lands.)
#![allow(missing_docs)]

mod resolve;
mod table;

pub use resolve::resolve;
pub use table::character_rows;

/// Finds the cast of `doc` and gives each of its quotations its character; returns the cast.
pub fn attribute(doc: &Document, quotes: &mut crate::analysis::quotes::QuoteAnalysis<'_>) -> Cast {
    let cast = cast(doc);
    quotes.set_speakers(resolve(doc, &cast, quotes));
    cast
}

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::analysis::quotes::TITLES;
use crate::text::Document;

/// Gender shown by titles or pronouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
    Unknown,
}

impl Gender {
    pub fn name(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Unknown => "",
        }
    }
}

/// A character.
#[derive(Debug, Clone)]
pub struct Character {
    pub name: String,
    pub aliases: Vec<String>,
    pub gender: Gender,
    pub mentions: usize,
}

/// A mention of a character.
#[derive(Debug, Clone, Copy)]
pub struct Mention {
    pub first_token: u32,
    pub end_token: u32,
    pub character: u32,
}

/// The characters of a document and their mentions.
#[derive(Debug, Clone, Default)]
pub struct Cast {
    pub characters: Vec<Character>,
    pub mentions: Vec<Mention>,
}

fn name_word(doc: &Document, t: usize) -> bool {
    let tok = &doc.tokens[t];
    let f = &doc.forms[tok.form() as usize];
    doc.span(tok).of(&doc.text).starts_with(char::is_uppercase) && (!f.stopword) && !f.speech_verb
}

/// Placeholder: capitalised runs not opening a sentence, each distinct form a character.
pub fn cast(doc: &Document) -> Cast {
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut cast = Cast::default();
    let mut t = 0;
    let starts: rustc_hash::FxHashSet<u32> = doc.sentences.iter().map(|s| s.first_token).collect();
    while t < doc.tokens.len() {
        if !name_word(doc, t) || starts.contains(&(t as u32)) {
            t += 1;
            continue;
        }
        let first = t;
        while t + 1 < doc.tokens.len() && name_word(doc, t + 1) && {
            let g = &doc.text[doc.span(&doc.tokens[t]).end..doc.tokens[t + 1].start()];
            g == " " || (TITLES.contains(&doc.norm(&doc.tokens[t])) && g == ". ")
        } {
            t += 1;
        }
        let name = doc.text[doc.tokens[first].start()..doc.span(&doc.tokens[t]).end].to_string();
        let title = doc.norm(&doc.tokens[first]).to_string();
        let gender = match title.as_str() {
            "mr" | "sir" | "lord" | "captain" | "colonel" => Gender::Male,
            "mrs" | "miss" | "lady" => Gender::Female,
            _ => Gender::Unknown,
        };
        let id = *ids.entry(name.clone()).or_insert_with(|| {
            cast.characters.push(Character { name: name.clone(), aliases: vec![name], gender, mentions: 0 });
            cast.characters.len() as u32 - 1
        });
        cast.characters[id as usize].mentions += 1;
        cast.mentions.push(Mention { first_token: first as u32, end_token: t as u32 + 1, character: id });
        t += 1;
    }
    cast
}

impl Cast {
    /// The character a name phrase names.
    pub fn named(&self, doc: &Document, tokens: Range<usize>) -> Option<u32> {
        let mut first = tokens.start;
        while first < tokens.end && !name_word(doc, first) {
            first += 1;
        }
        if first >= tokens.end {
            return None;
        }
        let name = &doc.text[doc.tokens[first].start()..doc.span(&doc.tokens[tokens.end - 1]).end];
        self.characters.iter().position(|c| c.name == name).map(|i| i as u32)
    }

    /// The mentions that start in `tokens`.
    pub fn mentions_in(&self, tokens: Range<usize>) -> &[Mention] {
        let a = self.mentions.partition_point(|m| (m.first_token as usize) < tokens.start);
        let b = self.mentions.partition_point(|m| (m.first_token as usize) < tokens.end);
        &self.mentions[a..b.max(a)]
    }
}
