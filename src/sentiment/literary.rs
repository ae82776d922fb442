//! The literary preset (`--sentiment vader-literary`): the words of a passage VADER should not read as feelings
//! because they are parts of names: a title before a name (`Miss` in `Miss Bates`, VADER's −0.6) and the
//! words of a multi-word proper name (`Hope Street`, `Mock Turtle`, `Frank Churchill`).
//!
//! Found on the document's tokens, which know where the passage starts: a capitalised word that opens the passage
//! (or a quotation inside it) is not taken for a name on its own, since any word is capitalised there (`Poor Miss
//! Taylor`, `Hope Street was quiet`: `Poor` and `Hope` keep their valence).

use crate::text::titles::title_of;
use crate::text::{Document, Span};

use super::vader::{NameWord, Neutral};

/// The name words among the tokens of `span` in `doc`, with byte offsets relative to `span.start` (the scored
/// text), in text order.
///
/// - a **title** ([`crate::text::titles::TITLES`], capitalised) directly before a capitalised word is neutral
///   wherever it is (`Miss Emily asked.`);
/// - a capitalised word that does not open the passage or a quotation is a **name** word when it is directly
///   after or before another capitalised word (`in Hope Street`, `the Mock Turtle`, `Mr. Knightley`).
///
/// "Capitalised" is an upper-case first letter with a lower-case letter after it: not `I`, not an initial, not a
/// word in capitals (a heading, a shout). "Directly" is across spaces and at most one line break, and after a
/// title its full stop (`Mr. Knightley`): a comma, a dash or a quotation mark between two words parts them.
pub fn name_words(doc: &Document, span: Span) -> Vec<Neutral> {
    let first = doc.tokens.partition_point(|t| t.start() < span.start);
    let end = doc.tokens.partition_point(|t| t.start() < span.end).max(first);
    let capital: Vec<bool> = (first..end).map(|t| capitalised(doc, t)).collect();
    let cap = |t: usize| capital[t - first];
    let title = |t: usize| cap(t) && title_of(doc.norm(&doc.tokens[t])).is_some();
    let mut found = Vec::new();
    for t in first..end {
        if !cap(t) {
            continue;
        }
        let next_capital = t + 1 < end && cap(t + 1) && joined(doc, t, t + 1);
        let why = if title(t) && next_capital {
            NameWord::Title
        } else if !opens(doc, first, t) && (next_capital || (t > first && cap(t - 1) && joined(doc, t - 1, t))) {
            NameWord::Name
        } else {
            continue;
        };
        let Span { start, end: stop } = doc.span(&doc.tokens[t]);
        found.push(Neutral { start: start - span.start, end: stop.min(span.end) - span.start, why });
    }
    found
}

/// An upper-case first letter with a lower-case letter after it (`Emma`, `Mr`, `McAllister`).
fn capitalised(doc: &Document, t: usize) -> bool {
    let word = doc.span(&doc.tokens[t]).of(&doc.text);
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Whether token `t` opens the passage (whose first token is `first`) or a quotation within it.
fn opens(doc: &Document, first: usize, t: usize) -> bool {
    t == first || gap(doc, t - 1, t).chars().any(|c| matches!(c, '"' | '“' | '‘' | '«' | '„' | '(' | '['))
}

/// Only spaces (and at most one line break: a hard-wrapped line) between tokens `a` and `b`, after a title's
/// full stop.
fn joined(doc: &Document, a: usize, b: usize) -> bool {
    let gap = gap(doc, a, b);
    let gap = if title_of(doc.norm(&doc.tokens[a])).is_some() { gap.strip_prefix('.').unwrap_or(gap) } else { gap };
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1
}

/// The text between tokens `a` and `b` (`a < b`).
fn gap(doc: &Document, a: usize, b: usize) -> &str {
    let end = doc.span(&doc.tokens[a]).end;
    doc.text.get(end..doc.tokens[b].start()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name words of a one-passage text, as (word, why).
    fn names(text: &str) -> Vec<(String, NameWord)> {
        let doc = Document::from_text("t", text);
        let span = Span { start: 0, end: doc.text.len() };
        name_words(&doc, span).into_iter().map(|n| (text[n.start..n.end].to_string(), n.why)).collect()
    }

    fn words(found: &[(String, NameWord)]) -> Vec<&str> {
        found.iter().map(|(w, _)| w.as_str()).collect()
    }

    #[test]
    fn titles_before_a_name_and_names_of_several_words() {
        let found = names("Miss Emily asked Mr. Knightley about the Mock Turtle in Hope Street.");
        assert_eq!(found[0], ("Miss".to_string(), NameWord::Title));
        assert_eq!(words(&found), ["Miss", "Emily", "Mr", "Knightley", "Mock", "Turtle", "Hope", "Street"]);
        assert_eq!(found.iter().filter(|(_, why)| *why == NameWord::Title).count(), 2);
    }

    #[test]
    fn feelings_stay_feelings() {
        // The verb, a capitalised word alone, one opening the passage or a quotation, words parted by a comma,
        // and words in capitals are no names.
        for text in [
            "I miss her.",
            "Hope Street was quiet.",
            "Poor thing, said Frank.",
            "She said, “Good Heavens” and left.",
            "Emma, Harriet and I.",
            "It was GOOD NEWS.",
            "Miss, I beg you.",
        ] {
            let found = names(text);
            assert!(
                !found.iter().any(|(w, _)| ["miss", "Hope", "Good", "Frank", "GOOD", "Miss"].contains(&w.as_str())),
                "{text}: {found:?}"
            );
        }
        assert_eq!(words(&names("Poor Miss Taylor wept.")), ["Miss", "Taylor"]);
    }
}
