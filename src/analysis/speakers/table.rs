//! `characters.csv`: each character with its names, gender, mentions, and what its quotations say.

use rustc_hash::FxHashMap;

use super::{Cast, Gender};
use crate::analysis::quotes::QuoteAnalysis;
use crate::report::schema::{CharacterRow, round4};
use crate::text::Document;

/// Words listed in `top_words`.
const TOP_WORDS: usize = 10;

/// What a character's quotations add up to.
#[derive(Debug, Default)]
struct Speech {
    quotations: usize,
    words: usize,
    /// Quotations scored, and the sum of their compounds.
    scored: usize,
    compound: f64,
    counts: FxHashMap<u32, u32>,
}

/// The rows of `characters.csv` for `doc`: every character of `cast`, then every name only a speech tag gives,
/// with what the quotations `quotes` give them add up to. Most words spoken first, then most mentions, then by
/// name. `compounds` are the top-level quotations' scores, in order (`None` when not scored).
pub fn character_rows(
    doc: &Document,
    cast: &Cast,
    quotes: &QuoteAnalysis<'_>,
    compounds: &[Option<f64>],
) -> Vec<CharacterRow> {
    // By character id: the cast's characters first, in its order, then the names only a tag gives.
    let mut speech: Vec<Speech> =
        (0..quotes.characters().max(cast.characters.len())).map(|_| Speech::default()).collect();
    for (q, compound) in quotes.top_level().into_iter().zip(compounds) {
        let Some(said) = quotes.speaker(q.index).and_then(|s| speech.get_mut(s.character as usize)) else { continue };
        let first = doc.tokens.partition_point(|t| t.start() < q.open.end);
        let end = doc.tokens.partition_point(|t| t.start() < q.close.start);
        said.quotations += 1;
        said.words += end.saturating_sub(first);
        if let Some(c) = compound {
            said.scored += 1;
            said.compound += c;
        }
        for t in &doc.tokens[first..end.max(first)] {
            if !doc.forms[t.form() as usize].stopword {
                *said.counts.entry(t.form()).or_default() += 1;
            }
        }
    }
    let mut speech = speech.into_iter();
    let mut rows: Vec<CharacterRow> = cast
        .characters
        .iter()
        .zip(speech.by_ref())
        .map(|(c, s)| row(doc, &c.name, c.aliases.join("|"), c.gender, c.mentions, s))
        .collect();
    // Names only a tag gives (a character named once, as it speaks).
    for (id, s) in (cast.characters.len()..).zip(speech).filter(|(_, s)| s.quotations > 0) {
        let name = quotes.character_name(id as u32);
        rows.push(row(doc, name, name.to_string(), Gender::Unknown, 0, s));
    }
    rows.sort_by(|a, b| {
        (b.words_spoken, b.mentions).cmp(&(a.words_spoken, a.mentions)).then_with(|| a.character.cmp(&b.character))
    });
    rows
}

fn row(doc: &Document, name: &str, aliases: String, gender: Gender, mentions: usize, s: Speech) -> CharacterRow {
    let mut words: Vec<(u32, &str)> = s.counts.iter().map(|(&f, &n)| (n, &*doc.forms[f as usize].norm)).collect();
    words.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let top: Vec<&str> = words.iter().take(TOP_WORDS).map(|w| w.1).collect();
    CharacterRow {
        document: doc.id.clone(),
        character: name.to_string(),
        aliases,
        gender: gender.name(),
        mentions,
        quotations: s.quotations,
        words_spoken: s.words,
        mean_compound: (s.scored > 0).then(|| round4(s.compound / s.scored as f64)),
        top_words: top.join(" "),
    }
}
