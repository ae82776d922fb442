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
///   before another capitalised word, or directly after one that is a title or opens nothing (`in Hope Street`,
///   `the Mock Turtle`, `Mr. Knightley`; not `God` in `Good God!`).
///
/// "Capitalised" is an upper-case first letter with a lower-case letter after it: not `I`, not an initial, not a
/// word in capitals (a heading, a shout); a title may also go before an initial (`Miss W.`) or a dash standing
/// for a name (`Miss ----`). "Directly" is across spaces, at most one line break and emphasis marks
/// (`_Miss_ _Taylor_`), and after a title its full stop (`Mr. Knightley`): a comma, a dash or a quotation mark
/// between two words parts them. A word after a quotation mark, a stop or a dash opens a clause, as the
/// passage's first word does.
pub fn name_words(doc: &Document, span: Span) -> Vec<Neutral> {
    let first = doc.tokens.partition_point(|t| t.start() < span.start);
    let end = doc.tokens.partition_point(|t| t.start() < span.end).max(first);
    let shapes: Vec<Shape> = (first..end).map(|t| shape(doc, t)).collect();
    let cap = |t: usize| shapes[t - first] == Shape::Capital;
    let title = |t: usize| cap(t) && title_of(doc.norm(&doc.tokens[t])).is_some();
    let mut found = Vec::new();
    for t in first..end {
        if !cap(t) {
            continue;
        }
        let next_joined = t + 1 < end && joined(doc, t, t + 1);
        let next_capital = next_joined && cap(t + 1);
        // A title also goes before an initial (`Miss W.`) or a name left out (`Miss ----`, `To Miss--`).
        let named = next_capital
            || (next_joined && shapes[t + 1 - first] == Shape::Initial)
            || after(doc, t).trim_start_matches(' ').starts_with("--")
            || after(doc, t).trim_start_matches(' ').starts_with('—');
        // The word before counts only if it is no opening word itself (`Good God!`, `Good Heaven!`), or a title.
        let after_capital =
            t > first && cap(t - 1) && joined(doc, t - 1, t) && (title(t - 1) || !opens(doc, first, t - 1));
        let why = if title(t) && named {
            NameWord::Title
        } else if !opens(doc, first, t) && (next_capital || after_capital) {
            NameWord::Name
        } else {
            continue;
        };
        let Span { start, end: stop } = doc.span(&doc.tokens[t]);
        found.push(Neutral { start: start - span.start, end: stop.min(span.end) - span.start, why });
    }
    found
}

/// How a word is written, as far as names go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// An upper-case first letter with a lower-case letter after it (`Emma`, `Mr`, `McAllister`).
    Capital,
    /// One upper-case letter, not `I`: an initial (`Miss W.`).
    Initial,
    /// Anything else: lower case, capitals (a heading, a shout), `I`, digits.
    Other,
}

fn shape(doc: &Document, t: usize) -> Shape {
    let word = doc.span(&doc.tokens[t]).of(&doc.text);
    let mut chars = word.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(c), Some(_)) if c.is_uppercase() && chars.any(char::is_lowercase) => Shape::Capital,
        (Some(c), None) if c.is_uppercase() && c != 'I' => Shape::Initial,
        _ => Shape::Other,
    }
}

/// Whether token `t` opens the passage (whose first token is `first`), a quotation, or a clause after a stop or a
/// dash the sentences were not cut at (`--Good Heaven!`): there a capital says nothing of a name.
fn opens(doc: &Document, first: usize, t: usize) -> bool {
    t == first
        || gap(doc, t - 1, t).chars().any(|c| {
            matches!(c, '"' | '“' | '‘' | '«' | '„' | '(' | '[' | '.' | '!' | '?' | ';' | ':' | '-' | '—' | '–')
        })
}

/// Only spaces (and at most one line break: a hard-wrapped line) between tokens `a` and `b`, after a title's
/// full stop, and emphasis marks (`_Miss_ _Taylor_`).
fn joined(doc: &Document, a: usize, b: usize) -> bool {
    let gap = gap(doc, a, b).trim_matches(|c| c == '_' || c == '*');
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1
}

/// The text between tokens `a` and `b` (`a < b`); after a title, the full stop is its own and not a stop.
fn gap(doc: &Document, a: usize, b: usize) -> &str {
    let end = doc.span(&doc.tokens[a]).end;
    let gap = doc.text.get(end..doc.tokens[b].start()).unwrap_or("");
    if title_of(doc.norm(&doc.tokens[a])).is_some() { gap.strip_prefix('.').unwrap_or(gap) } else { gap }
}

/// The text right after token `t`.
fn after(doc: &Document, t: usize) -> &str {
    doc.text.get(doc.span(&doc.tokens[t]).end..).unwrap_or("")
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
        // A clause the sentences were not cut at, after a dash.
        assert_eq!(words(&names("What do you mean?-- Good Heaven!")), Vec::<&str>::new());
    }

    #[test]
    fn titles_before_initials_dashes_and_emphasis() {
        for (text, title) in [
            ("unpleasant to Miss W., in", "Miss"),
            ("To Miss--", "Miss"),
            ("For Miss ----, read", "Miss"),
            ("read _Miss_ _Taylor_ now", "Miss"),
        ] {
            assert_eq!(names(text).first(), Some(&(title.to_string(), NameWord::Title)), "{text}");
        }
    }
}
