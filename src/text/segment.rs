//! Paragraphs, sentences and words, with byte spans into the text.
//!
//! Sentences are UAX #29 sentence boundaries (`unicode-segmentation`) plus the repairs literary text needs:
//! no break after a title (`Mr.`, `Dr.`) or an initial before a capitalised name (`J. K. Rowling`), and no break
//! between a closing `?”`/`!”` and a lowercase dialogue tag (`“Is that all?” she asked.`). Sentences never cross a
//! paragraph. Words are UAX #29 words.
//!
//! ```
//! use marginalia::text::{Layout, Segmenter};
//! let text = "On the surface, it’s the story of Kathy H., a “carer”. Mr. Ishiguro knows it.";
//! let mut seg = Segmenter::default();
//! let paragraphs = marginalia::text::paragraphs(text, Layout::Paragraphs);
//! let mut sentences = Vec::new();
//! seg.sentences(text, paragraphs[0], &mut sentences);
//! assert_eq!(sentences.len(), 2);
//! assert_eq!(sentences[1].of(text), "Mr. Ishiguro knows it.");
//! ```

use unicode_segmentation::UnicodeSegmentation;

use crate::text::boundaries::SentenceBreaks;

/// A half-open byte range `start..end` into a document's text, always on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The text the span covers.
    pub fn of<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// How lines relate to paragraphs in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Each line is a paragraph (web reviews, the sample review).
    Paragraphs,
    /// Lines are hard-wrapped inside paragraphs separated by blank lines (Project Gutenberg); a single line break
    /// inside a paragraph is read as a space.
    Wrapped,
}

impl Layout {
    /// The name used on the command line and in `documents.csv`.
    pub fn name(&self) -> &'static str {
        match self {
            Layout::Paragraphs => "paragraphs",
            Layout::Wrapped => "wrapped",
        }
    }
}

/// Line breaks: `\n`, `\r\n` and a lone `\r`. Yields each line's span without its terminator.
fn lines(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let rest = &bytes[start..];
        match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => {
                let end = start + i;
                pos = end + if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') { 2 } else { 1 };
                Some(Span { start, end })
            }
            None => {
                pos = bytes.len();
                Some(Span { start, end: bytes.len() })
            }
        }
    })
}

/// Chooses the layout of a text: wrapped when it has blank-line separated paragraphs and the lines inside them
/// are short (at most 100 characters for 80% of them), as hard-wrapped text is; otherwise one paragraph a line.
pub fn detect_layout(text: &str) -> Layout {
    const WRAP_WIDTH: usize = 100;
    let (mut inner, mut short, mut blank_between) = (0usize, 0usize, false);
    let mut prev: Option<&str> = None;
    let mut seen_text = false;
    for span in lines(text) {
        let line = span.of(text);
        let is_blank = line.trim().is_empty();
        if let Some(p) = prev.filter(|_| !is_blank) {
            inner += 1;
            if p.chars().count() <= WRAP_WIDTH {
                short += 1;
            }
        }
        if is_blank && seen_text {
            blank_between = true;
        }
        seen_text |= !is_blank;
        prev = (!is_blank).then_some(line);
    }
    if blank_between && inner > 0 && short * 5 >= inner * 4 { Layout::Wrapped } else { Layout::Paragraphs }
}

/// The paragraphs of `text` as spans trimmed of surrounding whitespace. In [`Layout::Paragraphs`] every non-blank
/// line is one (but for closing marks that open it, which close the line before and stay with it); in
/// [`Layout::Wrapped`] every run of non-blank lines is one.
pub fn paragraphs(text: &str, layout: Layout) -> Vec<Span> {
    let mut out = Vec::new();
    let mut current: Option<Span> = None;
    for line in lines(text) {
        let Some(trimmed) = trim_span(text, line) else {
            out.extend(current.take());
            continue;
        };
        match (layout, current.as_mut()) {
            (Layout::Wrapped, Some(p)) => p.end = trimmed.end,
            (Layout::Paragraphs, Some(p)) if closes_the_line_before(trimmed.of(text)) > 0 => {
                // `» Le lecteur…`: the mark closes the quotation of the line before, and stays with it.
                let mark_end = trimmed.start + closes_the_line_before(trimmed.of(text));
                p.end = mark_end;
                let rest = trim_span(text, Span { start: mark_end, end: trimmed.end });
                if rest.is_some() {
                    out.extend(current.take());
                    current = rest;
                }
            }
            _ => {
                out.extend(current.take());
                current = Some(trimmed);
            }
        }
    }
    out.extend(current);
    out
}

/// The length of the closing marks a line (or a piece of a sentence) starts with (`» `, `” `), when they stand
/// alone before a space or the end: they close a quotation of the line or sentence before (a German `»Hallo`
/// opens one and is not counted).
fn closes_the_line_before(line: &str) -> usize {
    let marks = line.len() - line.trim_start_matches(['»', '”', '›', '」', '』']).len();
    let rest = &line[marks..];
    if marks > 0 && rest.chars().next().is_none_or(char::is_whitespace) { marks } else { 0 }
}

/// `span` without leading and trailing whitespace, or `None` if nothing is left.
fn trim_span(text: &str, span: Span) -> Option<Span> {
    let s = span.of(text);
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.start + s.trim_end().len();
    (start < end).then_some(Span { start, end })
}

/// Splits the elided articles and pronouns of `elisions` (`l`, `qu`, `dell`: see [`Language::elisions`]) off the
/// words in `spans` that begin with one and an apostrophe: `l'amour` becomes `l'` and `amour`, each with its own
/// span, so that a lexicon or valence list finds "amour". UAX #29 keeps them one word.
///
/// [`Language::elisions`]: crate::text::Language::elisions
pub fn split_elisions(text: &str, elisions: &[&str], spans: &mut Vec<Span>) {
    if elisions.is_empty() {
        return;
    }
    let mut i = 0;
    while i < spans.len() {
        let word = spans[i].of(text);
        if let Some(cut) = elision_end(word, elisions) {
            let whole = spans[i];
            spans[i] = Span { start: whole.start, end: whole.start + cut };
            spans.insert(i + 1, Span { start: whole.start + cut, end: whole.end });
            i += 1;
        }
        i += 1;
    }
}

/// Where the elision `word` starts with ends (just past its apostrophe), if it starts with one of `elisions`
/// followed by an apostrophe and a letter.
fn elision_end(word: &str, elisions: &[&str]) -> Option<usize> {
    let (at, apostrophe) = word.char_indices().find(|&(_, c)| c == '\'' || c == '’')?;
    let end = at + apostrophe.len_utf8();
    let head = &word[..at];
    let known = elisions.iter().any(|e| e.eq_ignore_ascii_case(head));
    (known && word[end..].chars().next().is_some_and(char::is_alphabetic)).then_some(end)
}

/// Titles after which a full stop does not end a sentence.
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "St", "Prof", "Rev", "Revd", "Fr", "Sr", "Hon", "Capt", "Col", "Gen", "Lt", "Sgt",
    "Cpl", "Maj", "Adm", "Gov", "Sen", "Rep", "Pres", "Messrs", "Mme", "Mlle", "Mmes", "Hr", "Fru", "Sra", "Srta",
];

/// Closing quotation marks and brackets that may stand between `?`/`!` and a dialogue tag.
fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '«' | '›' | '‹' | '」' | '』' | '“' | ')' | ']')
}

/// Splits paragraphs into sentences, reusing one buffer for the line-joined copy of wrapped paragraphs.
#[derive(Debug, Default)]
pub struct Segmenter {
    finder: SentenceBreaks,
    joined: String,
    breaks: Vec<usize>,
    raw: Vec<Span>,
}

impl Segmenter {
    /// Appends the sentences of `paragraph` (a span of `text`) to `out`, each trimmed of surrounding whitespace.
    pub fn sentences(&mut self, text: &str, paragraph: Span, out: &mut Vec<Span>) {
        let para = paragraph.of(text);
        // UAX #29 always breaks at a line break; inside a wrapped paragraph a line break is a space. Both are one
        // byte (and `\r\n` two spaces), so offsets into the copy are offsets into the text.
        let seg_text = if para.contains(['\n', '\r']) {
            self.joined.clear();
            for (i, piece) in para.split(['\n', '\r']).enumerate() {
                if i > 0 {
                    self.joined.push(' ');
                }
                self.joined.push_str(piece);
            }
            self.joined.as_str()
        } else {
            para
        };
        self.breaks.clear();
        self.finder.find(seg_text, &mut self.breaks);
        self.breaks.push(seg_text.len());
        self.raw.clear();
        let mut start = 0;
        for &end in &self.breaks {
            let span = Span { start: paragraph.start + start, end: paragraph.start + end };
            self.raw.extend(trim_span(text, span));
            start = end;
        }
        let mut pending: Option<Span> = None;
        for &raw in &self.raw {
            // `« Non. » Puis rien.`: UAX #29 breaks before a closing mark after a space; it closes the sentence
            // before.
            let marks = closes_the_line_before(raw.of(text));
            let next = match pending.as_mut() {
                Some(prev) if marks > 0 => {
                    prev.end = raw.start + marks;
                    match trim_span(text, Span { start: raw.start + marks, end: raw.end }) {
                        Some(rest) => rest,
                        None => continue,
                    }
                }
                _ => raw,
            };
            pending = match pending {
                Some(prev) if joins(prev.of(text), next.of(text)) => Some(Span { start: prev.start, end: next.end }),
                Some(prev) => {
                    out.push(prev);
                    Some(next)
                }
                None => Some(next),
            };
        }
        out.extend(pending);
    }
}

/// True when UAX #29 broke between `prev` and `next` but a reader would not.
fn joins(prev: &str, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    if let Some(before_stop) = prev.strip_suffix('.') {
        let word_start =
            before_stop.char_indices().rev().find(|(_, c)| !c.is_alphabetic()).map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before_stop[word_start..];
        if TITLES.contains(&word) {
            return true;
        }
        // A single capital is an initial, but "I" is more often the pronoun ending a sentence.
        let mut chars = word.chars();
        let is_initial = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase() && c != 'I');
        return is_initial && first.is_uppercase();
    }
    // `“Is that all?” she asked.`: a closing mark after ? or ! and then a lowercase word is a dialogue tag.
    let unquoted = prev.trim_end_matches(is_closing);
    unquoted.len() < prev.len() && unquoted.ends_with(['?', '!']) && first.is_lowercase()
}

/// Appends the spans of the UAX #29 words of `sentence` (a span of `text`) to `out`. Underscores at a word's
/// edges (Gutenberg's `_italics_`) are left out of its span, and so is whitespace: UAX #29 attaches a combining
/// mark to the space before it, which would make " ̀" a word. A sentence of ASCII, as most of an English book's
/// are, takes `ascii_words`, which finds the same words in half the instructions; so does one whose only other
/// characters are curly quotes, dashes and ellipses ([`ascii_words`] gives up on any other).
pub fn words(text: &str, sentence: Span, out: &mut Vec<Span>) {
    let s = sentence.of(text);
    let kept = out.len();
    if !ascii_words(s, sentence.start, out) {
        out.truncate(kept);
        uax29_words(s, sentence.start, out);
    }
}

/// [`words`] by the UAX #29 rules for any text, `s` starting at byte `base` of the document.
fn uax29_words(s: &str, base: usize, out: &mut Vec<Span>) {
    let edge = |c: char| c == '_' || c.is_whitespace();
    for (offset, w) in s.unicode_word_indices() {
        let trimmed = w.trim_matches(edge);
        if trimmed.is_empty() {
            continue;
        }
        let start = base + offset + (w.len() - w.trim_start_matches(edge).len());
        out.push(Span { start, end: start + trimmed.len() });
    }
}

/// How UAX #29 treats the non-ASCII characters [`ascii_words`] knows: `‘` and `’` are MidNumLet, as `.` is (they
/// join two letters or two digits); `“`, `”`, `–`, `—` and `…` are Other, standing alone as most ASCII punctuation
/// does. `None` for any other character.
fn known_non_ascii(c: char) -> Option<bool> {
    match c {
        '\u{2018}' | '\u{2019}' => Some(true),
        '\u{201C}' | '\u{201D}' | '\u{2013}' | '\u{2014}' | '\u{2026}' => Some(false),
        _ => None,
    }
}

/// [`words`] for an `s` of ASCII and the few characters of [`known_non_ascii`], equal to [`uax29_words`] (property
/// tests and every book of the literary corpus check it); false, with some words appended, when `s` has another
/// character. In ASCII the UAX #29 word rules come to this: letters, digits and `_` hold together (WB5, WB8–10,
/// WB13a–b); `.` and `'` (and `‘` `’`) join two letters or two digits (WB6–7, WB11–12), `:` two letters, `,` and `;`
/// two digits; every other character stands alone, and a piece without a letter or digit is no word.
fn ascii_words(s: &str, base: usize, out: &mut Vec<Span>) -> bool {
    let bytes = s.as_bytes();
    let holds = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let joins = |before: u8, mid: u8, after: u8| match mid {
        b'.' | b'\'' => {
            (before.is_ascii_alphabetic() && after.is_ascii_alphabetic())
                || (before.is_ascii_digit() && after.is_ascii_digit())
        }
        b':' => before.is_ascii_alphabetic() && after.is_ascii_alphabetic(),
        b',' | b';' => before.is_ascii_digit() && after.is_ascii_digit(),
        _ => false,
    };
    // The character at `at` when it is not ASCII: its length and whether it joins as `.` does (`None` if unknown).
    let non_ascii = |at: usize| {
        let c = s.get(at..).and_then(|rest| rest.chars().next())?;
        Some((c.len_utf8(), known_non_ascii(c)?))
    };
    let mut at = 0;
    while at < bytes.len() {
        if !holds(bytes[at]) {
            at += match bytes[at] {
                b if b.is_ascii() => 1,
                _ => match non_ascii(at) {
                    Some((len, _)) => len,
                    None => return false,
                },
            };
            continue;
        }
        let start = at;
        let mut end = at + 1;
        loop {
            while end < bytes.len() && holds(bytes[end]) {
                end += 1;
            }
            // The joining character after the run, as the byte `joins` reads for it, and its length.
            let (mid, len) = match bytes.get(end) {
                Some(&b) if b.is_ascii() => (b, 1),
                Some(_) => match non_ascii(end) {
                    Some((len, true)) => (b'.', len),
                    Some((_, false)) => break,
                    None => return false,
                },
                None => break,
            };
            match bytes.get(end + len) {
                Some(&after) if joins(bytes[end - 1], mid, after) => end += len + 1,
                _ => break,
            }
        }
        at = end;
        // Without its edge underscores; nothing is left of a piece of underscores alone.
        let word = &bytes[start..end];
        let Some(first) = word.iter().position(|&b| b != b'_') else { continue };
        let last = word.iter().rposition(|&b| b != b'_').unwrap_or(first);
        out.push(Span { start: base + start + first, end: base + start + last + 1 });
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The words of `s` by [`ascii_words`] and by [`uax29_words`]. For ASCII text `unicode_word_indices` takes a
    /// fast path of its own, so the second is checked here against the crate's full UAX #29 state machine
    /// (`split_word_bound_indices`, which has no such path): both shortcuts answer to the rules.
    fn both_ways(s: &str) -> (Vec<Span>, Vec<Span>) {
        let (mut fast, mut uax29) = (Vec::new(), Vec::new());
        assert!(ascii_words(s, 3, &mut fast), "{s:?} is for the fast path");
        uax29_words(s, 3, &mut uax29);
        let edge = |c: char| c == '_' || c.is_whitespace();
        let by_the_rules: Vec<Span> = s
            .split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .map(|(offset, w)| {
                let start = 3 + offset + (w.len() - w.trim_start_matches(edge).len());
                Span { start, end: start + w.trim_matches(edge).len() }
            })
            .collect();
        assert_eq!(uax29, by_the_rules, "unicode_word_indices against the UAX #29 state machine: {s:?}");
        (fast, uax29)
    }

    #[test]
    fn ascii_words_are_the_uax29_words_of_the_sample_and_of_tricky_cases() {
        let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/texts/never-let-me-go-review.txt"))
            .unwrap()
            .replace(|c: char| !c.is_ascii(), "'");
        for text in [
            sample.as_str(),
            "can't rock'n'roll 1,000.50 3:30 a:b a.b. _italics_ __ _._ a_.b 1.a a.1 1;2 a;b x''y 'quoted' e.g. U.S.A.",
            "",
            "_",
            "a",
            "1,",
            ",1",
            "a:b: a::b :a 1:2 1.2.3 1..2 1,2,3 1,,2 a'b'c a''b 'a' a' 'a 1'2 a'1 1'a a1.b 1a.b a.1b a1.2 _1.2 a_1 _a_ ___ a__b",
            "x\r\ny\r\rz\n\n \t\u{b}\u{c}\u{0}a\u{7f}b\u{1f}c \u{0}_\u{0} a.\nb a\r.b",
            "1 000 2.5e10 3.14159 v1.2.3 http://x.y/z?q=1&r=2 a@b.c $1,000,000.00 9:30:00 __init__ x_y_z _._._ _1_",
            "“Don’t,” she said—‘rock’n’roll’… 1’000 a’1 a’’b ’tis o’ a‘b a’.b a.’b –a– “”",
        ] {
            let (fast, uax29) = both_ways(text);
            assert_eq!(fast, uax29, "{text:?}");
        }
    }

    /// Every string of up to four bytes over one byte of each kind the rules tell apart (and a few they do not):
    /// the rules look at no more than a byte either side of a `.`, `'`, `:`, `,` or `;`.
    #[test]
    fn ascii_words_are_the_uax29_words_of_every_short_string() {
        let kinds = b"aZ19_.':,;\" \r\n\t\x00\x0b-@";
        let mut s = Vec::new();
        for len in 0..=4u32 {
            for mut n in 0..kinds.len().pow(len) {
                s.clear();
                for _ in 0..len {
                    s.push(kinds[n % kinds.len()]);
                    n /= kinds.len();
                }
                let text = std::str::from_utf8(&s).unwrap();
                let (fast, uax29) = both_ways(text);
                assert_eq!(fast, uax29, "{text:?}");
            }
        }
    }

    /// Every paragraph of every book of the literary corpus that the fast path takes (`../shared/corpus/literary` beside the
    /// repository, or `MARGINALIA_LITERARY`), both ways: `cargo test --release -- --ignored every_literary_book`.
    #[test]
    #[ignore = "needs the literary corpus, outside the repository"]
    fn ascii_words_are_the_uax29_words_of_every_literary_book() {
        let root = std::env::var("MARGINALIA_LITERARY")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/literary").into());
        let (mut books, mut paragraphs_compared, mut words) = (0, 0, 0);
        let mut folders = vec![std::path::PathBuf::from(root)];
        while let Some(folder) = folders.pop() {
            let entries = std::fs::read_dir(&folder)
                .unwrap_or_else(|e| panic!("{} (set MARGINALIA_LITERARY): {e}", folder.display()));
            for entry in entries {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                books += 1;
                for paragraph in paragraphs(&text, detect_layout(&text)) {
                    let s = paragraph.of(&text);
                    if ascii_words(s, 3, &mut Vec::new()) {
                        let (fast, uax29) = both_ways(s);
                        assert_eq!(fast, uax29, "{}: {s:?}", path.display());
                        paragraphs_compared += 1;
                        words += fast.len();
                    }
                }
            }
        }
        eprintln!("{books} books, {paragraphs_compared} fast-path paragraphs, {words} words: the same both ways");
        assert!(books > 0);
    }

    proptest! {
        #[test]
        fn ascii_words_are_the_uax29_words(s in "[a-zA-Z0-9_.':,;\" \t\r\n!?()@-]{0,40}") {
            let (fast, uax29) = both_ways(&s);
            prop_assert_eq!(fast, uax29);
        }

        #[test]
        fn ascii_words_are_the_uax29_words_of_any_ascii(s in "[\\x00-\\x7f]{0,40}") {
            let (fast, uax29) = both_ways(&s);
            prop_assert_eq!(fast, uax29);
        }

        #[test]
        fn ascii_words_are_the_uax29_words_with_curly_quotes_and_dashes(
            s in "[aZ19_.':,; \n‘’“”–—…-]{0,40}"
        ) {
            let (fast, uax29) = both_ways(&s);
            prop_assert_eq!(fast, uax29);
        }

        #[test]
        fn words_with_any_other_character_are_the_uax29_words(s in "[aZ1_.' ’“—éß\u{301}\u{a0}\u{2019}]{0,24}") {
            let mut spans = Vec::new();
            words(&s, Span { start: 0, end: s.len() }, &mut spans);
            let mut uax29 = Vec::new();
            uax29_words(&s, 0, &mut uax29);
            prop_assert_eq!(spans, uax29);
        }
    }

    fn split(text: &str, layout: Layout) -> Vec<&str> {
        let mut seg = Segmenter::default();
        let mut out = Vec::new();
        for p in paragraphs(text, layout) {
            seg.sentences(text, p, &mut out);
        }
        out.iter().map(|s| s.of(text)).collect()
    }

    #[test]
    fn words_never_hold_whitespace() {
        // U+1182C is a combining vowel sign: UAX #29 glues it to the space before it.
        let text = "\u{1E8C7} \u{1182C} a\u{2003}\u{301}";
        let mut spans = Vec::new();
        words(text, Span { start: 0, end: text.len() }, &mut spans);
        let words: Vec<&str> = spans.iter().map(|s| s.of(text)).collect();
        assert!(words.iter().all(|w| !w.is_empty() && !w.contains(char::is_whitespace)), "{words:?}");
        assert!(words.contains(&"\u{1182C}"));
    }

    #[test]
    fn a_closing_guillemet_at_a_lines_start_stays_with_the_sentence_it_closes() {
        let text = "Il dit : « Je ne sais pas.\n» Le lecteur, lui, comprend trop bien.\n";
        assert_eq!(
            split(text, Layout::Paragraphs),
            ["Il dit : « Je ne sais pas.\n»", "Le lecteur, lui, comprend trop bien."]
        );
        // A German opening » (no space after it) starts its line's paragraph as before.
        let text = "Er sagte nichts.\n»Hallo«, rief sie.";
        assert_eq!(split(text, Layout::Paragraphs), ["Er sagte nichts.", "»Hallo«, rief sie."]);
        // A lone closing mark after a space, inside a paragraph.
        assert_eq!(split("« Non. » Puis rien.", Layout::Paragraphs), ["« Non. »", "Puis rien."]);
    }

    /// The words of `text` with `elisions` split off.
    fn split_words<'t>(text: &'t str, elisions: &[&str]) -> Vec<&'t str> {
        let mut spans = Vec::new();
        words(text, Span { start: 0, end: text.len() }, &mut spans);
        split_elisions(text, elisions, &mut spans);
        spans.iter().map(|s| s.of(text)).collect()
    }

    #[test]
    fn elisions_are_words_of_their_own() {
        let french = crate::text::Language::parse("fr").unwrap().elisions();
        assert_eq!(
            split_words("C'était l’amour, jusqu'à aujourd'hui : qu'il vienne.", french),
            ["C'", "était", "l’", "amour", "jusqu'", "à", "aujourd'hui", "qu'", "il", "vienne"]
        );
        let italian = crate::text::Language::parse("it").unwrap().elisions();
        assert_eq!(split_words("Dell'amore, un'altra volta.", italian), ["Dell'", "amore", "un'", "altra", "volta"]);
        // English has none: "don't" and "o'clock" stay whole.
        assert_eq!(split_words("I don't know, o'clock.", &[]), ["I", "don't", "know", "o'clock"]);
    }

    #[test]
    fn titles_do_not_end_sentences() {
        assert_eq!(
            split(
                "They confront Madame and Miss Emily. Mrs. Dalloway and Dr. Watson met St. John.",
                Layout::Paragraphs
            ),
            ["They confront Madame and Miss Emily.", "Mrs. Dalloway and Dr. Watson met St. John."]
        );
    }

    #[test]
    fn initials_before_names_do_not_end_sentences() {
        assert_eq!(
            split("She met J. K. Rowling there. It rained.", Layout::Paragraphs),
            ["She met J. K. Rowling there.", "It rained."]
        );
    }

    #[test]
    fn sentence_ending_in_a_quotation_before_a_stop_splits_cleanly() {
        assert_eq!(
            split("Before Ruth “completed”. Before she had to watch Tommy die.", Layout::Paragraphs),
            ["Before Ruth “completed”.", "Before she had to watch Tommy die."]
        );
    }

    #[test]
    fn the_pronoun_i_ends_a_sentence() {
        assert_eq!(
            split("Nobody knew but I. The next day she left.", Layout::Paragraphs),
            ["Nobody knew but I.", "The next day she left."]
        );
    }

    #[test]
    fn initial_followed_by_comma_stays_in_the_sentence() {
        let s = "On the surface, it’s the story of Kathy H., a “carer” reflecting on her youth.";
        assert_eq!(split(s, Layout::Paragraphs), [s]);
    }

    #[test]
    fn dialogue_tags_stay_with_their_question() {
        assert_eq!(
            split("“Is that all?” she asked. “No!” he shouted. ‘Why?’ Tommy said.", Layout::Paragraphs),
            ["“Is that all?” she asked.", "“No!” he shouted.", "‘Why?’", "Tommy said."]
        );
    }

    #[test]
    fn headings_are_sentences_of_their_own() {
        let text =
            "It’s worse.\nThe Illusion of Childhood and the Things Left Unsaid\nHailsham is idyllic at first glance.";
        assert_eq!(
            split(text, Layout::Paragraphs),
            [
                "It’s worse.",
                "The Illusion of Childhood and the Things Left Unsaid",
                "Hailsham is idyllic at first glance."
            ]
        );
    }

    #[test]
    fn wrapped_lines_join_into_sentences_but_paragraphs_do_not() {
        let text = "It is a truth universally\r\nacknowledged, that a single man\nmust be in want of a wife\n\nHowever little known";
        let got = split(text, Layout::Wrapped);
        assert_eq!(
            got,
            [
                "It is a truth universally\r\nacknowledged, that a single man\nmust be in want of a wife",
                "However little known"
            ]
        );
    }

    #[test]
    fn layouts_are_told_apart() {
        let review = include_str!("../../texts/never-let-me-go-review.txt");
        assert_eq!(detect_layout(review), Layout::Paragraphs);
        let wrapped = "It is a truth universally acknowledged, that a single man in possession\nof a good fortune, must be in want of a wife.\n\nHowever little known the feelings\nor views of such a man may be.\n";
        assert_eq!(detect_layout(wrapped), Layout::Wrapped);
        assert_eq!(detect_layout("one line\nanother line\n"), Layout::Paragraphs);
    }

    #[test]
    fn cr_and_crlf_end_lines() {
        let text = "First.\r\nSecond.\rThird.";
        assert_eq!(paragraphs(text, Layout::Paragraphs).len(), 3);
    }

    #[test]
    fn words_keep_apostrophes_and_drop_underscores() {
        let text = "Kazuo Ishiguro’s _Never_ Let Me Go, coming-of-age.";
        let mut out = Vec::new();
        words(text, Span { start: 0, end: text.len() }, &mut out);
        let got: Vec<&str> = out.iter().map(|s| s.of(text)).collect();
        assert_eq!(got, ["Kazuo", "Ishiguro’s", "Never", "Let", "Me", "Go", "coming", "of", "age"]);
    }
}
