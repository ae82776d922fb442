//! The case rule: a lexicon term does not match a word of a multi-word proper name (`the Mock Turtle`, `Hope
//! Street`, `Miss Hope`). Checked only for tokens a term matched, so it costs nothing on the other words.

use crate::text::titles::title_of;
use crate::text::{Document, Sentence};

/// True if token `i` (in `sentence`) is a capitalised word inside a multi-word proper name: it follows a title
/// (`Miss Hope`, `Mr. Hope`), or is a title before a capitalised word (`Miss Havisham`), or, not starting its
/// sentence, it has a capitalised neighbour that does not start the sentence either (`the Mock Turtle`, `on Hope
/// Street`), unless the sentence is a heading in title case and the pair occurs nowhere else; a possessive ends a name (`Hailsham's Gallery`). A
/// sentence's first word is capitalised whatever it is, so it neither is caught nor catches by adjacency: `Hope
/// Street was quiet.` and `Perhaps Emma knew.` still match (a name opening a sentence is missed).
/// "Capitalised" is an upper-case letter followed by a lower-case one somewhere (`Mock`, `McHope`, `O'Brien`), so
/// that `I`, `I'm`, `A` and words in capitals (`HOPE`) are never names.
pub(super) fn in_proper_name(doc: &Document, i: usize, sentence: &Sentence) -> bool {
    if !capitalised(doc, i) {
        return false;
    }
    let (first, end) = (sentence.first_token as usize, sentence.end_token as usize);
    let prev = (i > first).then(|| i - 1);
    let next = (i + 1 < end).then_some(i + 1);
    if prev.is_some_and(|p| is_title(doc, p) && capitalised(doc, p) && joined(doc, p, i, true)) {
        return true;
    }
    if next.is_some_and(|n| is_title(doc, i) && capitalised(doc, n) && joined(doc, i, n, true)) {
        return true;
    }
    if i == first {
        return false;
    }
    let before = prev.filter(|&p| p != first && name_like(doc, p) && joined(doc, p, i, false));
    let after = next.filter(|&n| name_like(doc, n) && joined(doc, i, n, false));
    let pair = before.map(|p| (p, i)).or(after.map(|n| (i, n)));
    // In a heading in title case capitals say nothing, unless the pair recurs in the text: the chapter "The Mock
    // Turtle's Story" names the Mock Turtle of the story.
    pair.is_some_and(|(a, b)| !title_case(doc, sentence) || recurs(doc, a, b))
}

/// Whether the words of tokens `a` and `b` (`b` without a possessive), as written, occur twice in the text.
fn recurs(doc: &Document, a: usize, b: usize) -> bool {
    let (Some(ta), Some(tb)) = (doc.tokens.get(a), doc.tokens.get(b)) else { return false };
    let end = doc.span(tb).end;
    let Some(pair) = doc.text.get(ta.start()..end) else { return false };
    let pair = pair.split(['\'', '’']).next().unwrap_or(pair);
    doc.text.matches(pair).nth(1).is_some()
}

/// Whether token `i` is capitalised as a name is, not as a line of verse is: a capitalised word that opens a
/// line of verse (`many shapes / Of Death`) says nothing of names, one that opens a line of prose does (`the Mock
/// / Turtle`).
fn name_like(doc: &Document, i: usize) -> bool {
    if !capitalised(doc, i) {
        return false;
    }
    let start = doc.tokens.get(i).map_or(0, |t| t.start());
    // Only the spaces before the word are read: a search back for the line's start would read a text without
    // line breaks from its beginning for every word (quadratic on a 200 MB line).
    let before = doc.text.get(..start).unwrap_or("").trim_end_matches([' ', '\t']);
    let opens_line = before.ends_with('\n');
    !(opens_line && verse_at(&doc.text, before.len()))
}

/// Whether the lines around the one starting at byte `line` read as verse: each of the next three lines opens with a
/// capital although the line before it ends mid-sentence (prose wraps onto a lower-case word nine times in ten).
fn verse_at(text: &str, line: usize) -> bool {
    let mut at = line;
    for _ in 0..3 {
        // Lines of verse and of wrapped prose are short: a long one is not worth the scan.
        let Some(rest) = text.get(at..(at + 400).min(text.len())) else { return false };
        let Some(end) = rest.find('\n') else { return false };
        let ended = rest[..end].trim_end().ends_with(['.', '!', '?', '"', '\'', '”', '’', ':', ';']);
        let next = rest[end + 1..].trim_start_matches([' ', '\t']);
        if ended || !next.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        at += end + 1;
    }
    true
}

/// Whether the sentence is a heading in title case (`When Memory Becomes the Only Thing You Can Keep`), whose
/// capitals say nothing of names: at most 30 words, at least 4 of them capitalised, and two thirds. Asked only when
/// the neighbours rule fires, so the bounded scan is rare.
fn title_case(doc: &Document, sentence: &Sentence) -> bool {
    let (first, end) = (sentence.first_token as usize, sentence.end_token as usize);
    let words = end.saturating_sub(first);
    if words > 30 {
        return false;
    }
    let capitals = (first..end).filter(|&t| capitalised(doc, t)).count();
    capitals >= 4 && capitals * 3 >= words * 2
}

/// Whether token `i` is written with an initial capital and a lower-case letter after it.
fn capitalised(doc: &Document, i: usize) -> bool {
    let Some(token) = doc.tokens.get(i) else { return false };
    let span = doc.span(token);
    let Some(word) = doc.text.get(span.start..span.end) else { return false };
    let mut chars = word.chars();
    let initial = chars.next().is_some_and(char::is_uppercase);
    // `I'm`, `I'll`: the pronoun, not a name.
    initial && !word.starts_with("I'") && !word.starts_with("I’") && chars.any(char::is_lowercase)
}

/// Whether token `i` is a title (`Miss`, `Mr`, `Dr`, `Captain`: the table in `text::titles`).
fn is_title(doc: &Document, i: usize) -> bool {
    doc.tokens.get(i).is_some_and(|t| title_of(doc.norm(t)).is_some())
}

/// Whether tokens `a` and `b` (`a` before `b`) are separated only by spaces or a line break, as the words of one
/// name are; `after_title` also allows the full stop of `Mr. Hope`. A comma or a dash between them (`Emma, Hope
/// said`) parts them, and so does a possessive (`Hailsham's Gallery` is Hailsham's, not a name of two words).
fn joined(doc: &Document, a: usize, b: usize, after_title: bool) -> bool {
    let (Some(ta), Some(tb)) = (doc.tokens.get(a), doc.tokens.get(b)) else { return false };
    if doc.norm(ta).ends_with("'s") {
        return false;
    }
    let Some(gap) = doc.text.get(doc.span(ta).end..tb.start()) else { return false };
    let gap = if after_title { gap.strip_prefix('.').unwrap_or(gap) } else { gap };
    !gap.is_empty() && gap.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::lexicon::Lexicon;
    use crate::text::{Document, Pipeline};

    /// The words `toml`'s lexicon matches in `text`, in order.
    fn matched(toml: &str, text: &str) -> Vec<String> {
        let (lexicon, _) = Lexicon::parse_toml(toml, Path::new("t.toml")).unwrap();
        let doc = Document::from_text("t", text);
        let hits = lexicon.compile(&Pipeline::default()).find(&doc);
        hits.iter().map(|h| h.span(&doc).of(&doc.text).to_string()).collect()
    }

    const TERMS: &str = "[t]\nterms = [\"hope\", \"mock*\", \"miss\", \"perhaps\", \"mock turtle\"]\n";

    #[test]
    fn a_term_does_not_match_a_word_of_a_multi_word_name() {
        let text = "They lived on Hope Street. There is hope. The Mock Turtle sighed; a mocking smile. \
                    We miss Estella and Miss Havisham. Then Miss Havisham rose. I met Mr. Hope and the Mock Turtle.";
        assert_eq!(matched(TERMS, text), ["hope", "mocking", "miss"]);
    }

    #[test]
    fn a_sentence_opening_word_capitals_and_punctuation_are_not_names() {
        // A sentence's first word is capitalised anyway, so "Hope Street" opening one is missed (honestly: the
        // rule cannot tell it from "Perhaps Emma"); `I`, words in capitals and a comma part no name.
        let text = "Hope Street was quiet. Perhaps Emma knew. And Hope I keep. We HOPE SO. They told Emma, Hope is here. \
             It is in Mock's Gallery and the Mock Turtle's shell.\n\nWhen Hope Becomes the Only Thing You Keep\n\nThe Mock Turtle's Story\n\n\
             The Mock Turtle sighed.\n\nOf Man's first disobedience, and\nBrought Hope into the World,\nWith loss of Eden, till one greater Man\nRestore us, and regain the blissful seat,\nSing, Heavenly Muse\n";
        assert_eq!(matched(TERMS, text), ["Hope", "Perhaps", "Hope", "HOPE", "Hope", "Mock's", "Hope", "Hope"]);
    }

    #[test]
    fn proper_names_true_matches_inside_names() {
        let toml = format!("{TERMS}proper_names = true\n");
        let text = "They lived on Hope Street. The Mock Turtle sighed. I met Mr. Hope.";
        assert_eq!(matched(&toml, text), ["Hope", "Mock Turtle", "Hope"]);
    }
}
