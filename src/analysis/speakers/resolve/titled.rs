//! Characters named by a title alone: `the Colonel` is Colonel Brandon when no one else in the cast is a colonel.
//! The narration calls people so as often as by name, and a pronoun after it refers to them.

use super::super::{Cast, Character, Mention};
use crate::text::Document;
use crate::text::titles::title_of;

/// True if one of `c`'s names is `title` and a name (`Lady Bertram`).
pub(super) fn has_title(c: &Character, title: u8) -> bool {
    c.aliases.iter().any(|a| {
        a.split_whitespace().count() > 1
            && a.split_whitespace().next().and_then(|w| title_of(&w.trim_end_matches('.').to_lowercase()))
                == Some(title)
    })
}

/// The one character of `cast` whose names have `title`, if exactly one has.
pub(super) fn only_with_title(cast: &Cast, title: u8) -> Option<usize> {
    let mut with = cast.characters.iter().enumerate().filter(|(_, c)| has_title(c, title));
    let (one, _) = with.next()?;
    with.next().is_none().then_some(one)
}

/// The cast's mentions with those by a title alone added (`the Colonel`, `the Professor's`, `the staring
/// Colonel`: a capitalised title after `the` and before no other name word), in text order.
pub(super) fn with_titles(doc: &Document, cast: &Cast) -> Vec<Mention> {
    let mut titled = Vec::new();
    let mut only: Vec<(u8, Option<usize>)> = Vec::new();
    for t in 1..doc.tokens.len() {
        let word = doc.span(&doc.tokens[t]).of(&doc.text);
        if !word.starts_with(char::is_uppercase) || !after_the(doc, t) {
            continue;
        }
        let norm = doc.norm(&doc.tokens[t]);
        let Some(title) = title_of(norm.strip_suffix("'s").unwrap_or(norm)) else { continue };
        let named_after =
            doc.tokens.get(t + 1).is_some_and(|n| doc.span(n).of(&doc.text).starts_with(char::is_uppercase));
        if named_after {
            continue;
        }
        let character = match only.iter().find(|(k, _)| *k == title) {
            Some(&(_, c)) => c,
            None => {
                let c = only_with_title(cast, title);
                only.push((title, c));
                c
            }
        };
        if let Some(c) = character {
            titled.push(Mention { first_token: t as u32, end_token: t as u32 + 1, character: c as u32 });
        }
    }
    let mut all = cast.mentions.clone();
    all.extend(titled);
    all.sort_by_key(|m| m.first_token);
    all
}

/// Lowercase words that may stand between `the` and a title (`the staring Colonel`, `the poor old Professor`).
const MAX_ADJECTIVES: usize = 2;

/// True if word `t` follows `the`, directly or after at most [`MAX_ADJECTIVES`] lowercase words, with only spaces
/// between them: `the end. Colonel` is not one phrase.
fn after_the(doc: &Document, t: usize) -> bool {
    let mut k = t;
    for _ in 0..=MAX_ADJECTIVES {
        let Some(before) = k.checked_sub(1) else { return false };
        let gap = doc.text.get(doc.span(&doc.tokens[before]).end..doc.span(&doc.tokens[k]).start);
        if !gap.is_some_and(|g| g.chars().all(char::is_whitespace)) {
            return false;
        }
        k = before;
        if doc.norm(&doc.tokens[k]) == "the" {
            return true;
        }
        if !doc.span(&doc.tokens[k]).of(&doc.text).starts_with(char::is_lowercase) {
            return false;
        }
    }
    false
}
