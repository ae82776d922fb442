//! What vaderSentiment scores: the text with apostrophes folded and emojis replaced, split into words.

use std::borrow::Cow;

use super::lexicons::{Valences, lexicons};
use super::py::{is_py_space, is_py_upper, push_py_lower, push_py_lower_is_upper, split_py_whitespace};
use super::{Adjust, NameWord, Neutral};

/// Folds the curly apostrophes the reference scores were computed without.
fn fold_apostrophe(c: char) -> char {
    if crate::text::is_apostrophe(c) { '\'' } else { c }
}

/// The text vaderSentiment actually scores (apostrophes folded, emojis
/// replaced by descriptions), with the way back to the caller's offsets.
pub(super) struct Prepared<'a> {
    pub(super) text: Cow<'a, str>,
    /// Where `text` differs from the caller's text: one piece per replaced character, in order. Between pieces
    /// the bytes are the caller's, shifted. Empty when `text` is the caller's text unchanged.
    pieces: Vec<Piece>,
}

/// A replaced character: bytes `prepared.0..prepared.1` of the prepared text stand for bytes
/// `original.0..original.1` of the caller's.
struct Piece {
    prepared: (usize, usize),
    original: (usize, usize),
}

impl Prepared<'_> {
    /// The caller's span for a span of the prepared text.
    pub(super) fn original_span(&self, (start, end): (usize, usize)) -> (usize, usize) {
        if end <= start {
            return (start, end);
        }
        (self.original_byte(start).0, self.original_byte(end - 1).1)
    }

    /// The caller's span of the character that prepared byte `at` came from (one byte outside replacements).
    fn original_byte(&self, at: usize) -> (usize, usize) {
        let i = self.pieces.partition_point(|p| p.prepared.0 <= at);
        match i.checked_sub(1).map(|i| &self.pieces[i]) {
            Some(p) if at < p.prepared.1 => p.original,
            Some(p) => {
                let o = p.original.1 + (at - p.prepared.1);
                (o, o + 1)
            }
            None => (at, at + 1),
        }
    }
}

/// `polarity_scores`' emoji replacement, after folding apostrophes. The
/// description of an emoji not preceded by a space gets a space before it, and
/// none after it. Runs of ASCII, which nothing changes, are checked and copied
/// whole; only the other characters are looked at one by one.
pub(super) fn prepare(text: &str) -> Prepared<'_> {
    let untouched = |c: char| fold_apostrophe(c) == c && emoji_description(c).is_none();
    if text.is_ascii() || non_ascii_chars(text).all(|(_, c)| untouched(c)) {
        return Prepared { text: Cow::Borrowed(text), pieces: Vec::new() };
    }
    let mut out = String::with_capacity(text.len());
    let mut pieces = Vec::new();
    let mut prev_space = true;
    let mut copied = 0;
    for (start, c) in non_ascii_chars(text) {
        if let Some(run) = text.get(copied..start).filter(|run| !run.is_empty()) {
            out.push_str(run);
            prev_space = run.ends_with(' ');
        }
        copied = start + c.len_utf8();
        let from = out.len();
        if push_prepared(c, &mut out, &mut prev_space) {
            pieces.push(Piece { prepared: (from, out.len()), original: (start, copied) });
        }
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    Prepared { text: Cow::Owned(out), pieces }
}

/// Appends what character `c` becomes in [`prepare`]'s text to `out`: an emoji's description (after a space,
/// unless `prev_space` says one is there), or the character with its apostrophe folded. Returns whether it changed,
/// so a piece maps it back to the original.
fn push_prepared(c: char, out: &mut String, prev_space: &mut bool) -> bool {
    if let Some(description) = emoji_description(c) {
        if !*prev_space {
            out.push(' ');
        }
        out.push_str(description);
        *prev_space = false;
        return true;
    }
    let folded = fold_apostrophe(c);
    out.push(folded);
    *prev_space = folded == ' ';
    folded != c
}

/// The characters of `text` that are not ASCII, with their offsets: the ASCII bytes between them are skipped a
/// byte at a time, without decoding.
fn non_ascii_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        at += text.as_bytes().get(at..)?.iter().position(|b| !b.is_ascii())?;
        let c = text.get(at..)?.chars().next()?;
        let found = (at, c);
        at += c.len_utf8();
        Some(found)
    })
}

/// The emoji lexicon's description of `c`.
fn emoji_description(c: char) -> Option<&'static str> {
    // The emoji lexicon has no ASCII entries (see the tests): skip the look-up.
    if c.is_ascii() {
        return None;
    }
    lexicons().emojis.get(&c).copied()
}

/// One of `SentiText.words_and_emoticons`, with what the rules ask of it.
struct Word {
    /// Byte span in the prepared text.
    span: (usize, usize),
    /// Byte span of its lowercase form in `Words::lowercase`.
    lower: (usize, usize),
    /// Python's `str.isupper()` of the word.
    upper: bool,
    /// Lexicon valence of the lowercase form.
    entry: Entry,
}

/// A word's entry in the lexicon, as the rules see it.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// Not in the lexicon.
    Absent,
    /// In the lexicon, with this valence.
    Valence(f64),
    /// In the lexicon with this valence, but a part of a name ([`Adjust::neutral`]): the rules see a word outside
    /// the lexicon, and the valence is kept only to report.
    Neutral(f64, NameWord),
}

impl Entry {
    /// The valence the rules see.
    #[inline]
    fn valence(self) -> Option<f64> {
        match self {
            Entry::Valence(v) => Some(v),
            _ => None,
        }
    }
}

/// `SentiText.words_and_emoticons`, with lowercase forms stored in one buffer
/// so that tokenising allocates nothing per (ASCII) word.
///
/// For a long text ([`Words::window`]) it holds a window of the words, filled a piece of the text at a time
/// ([`Words::push_piece`]) and emptied behind ([`Words::forget_before`]): words are still indexed from the start of
/// the whole text, and [`Words::len`] is the whole text's count, so the rules read it as they read a short text's.
pub(super) struct Words<'a> {
    words: Vec<Word>,
    lowercase: String,
    /// The index in the whole text of `words[0]`: 0 unless a window has moved on.
    first: usize,
    /// How many words the whole text has (a window holds fewer).
    total: usize,
    /// How many of them are ALL CAPS.
    upper: usize,
    /// The lexicon words are looked up in, and the words scored as neutral.
    adjust: Adjust<'a>,
    /// Lexicon, VADER's own or a changed copy.
    lexicon: &'a Valences,
}

thread_local! {
    /// The buffers of the last `Words` dropped on this thread, reused by the next: scoring sentence after sentence
    /// then allocates nothing for them.
    static SPARE_WORDS: std::cell::Cell<Option<(Vec<Word>, String)>> = const { std::cell::Cell::new(None) };
}

impl Drop for Words<'_> {
    fn drop(&mut self) {
        let buffers = (std::mem::take(&mut self.words), std::mem::take(&mut self.lowercase));
        SPARE_WORDS.with(|spare| spare.set(Some(buffers)));
    }
}

impl<'a> Words<'a> {
    /// The words of `prepared`, all held, looked up as `adjust` says; their spans are in the prepared text.
    pub(super) fn new(prepared: &Prepared, adjust: Adjust<'a>) -> Words<'a> {
        let text = &*prepared.text;
        let mut words = Words::empty(text.len(), adjust);
        for (start, end) in split_py_whitespace(text) {
            let (start, end) = strip_punc_if_word(text, start, end);
            // Neutral spans are the caller's: mapped only when there are any.
            let original = if adjust.neutral.is_empty() { (start, end) } else { prepared.original_span((start, end)) };
            words.upper += usize::from(words.push(text, (start, end), (start, end), original));
        }
        words.total = words.words.len();
        words
    }

    /// An empty window over a text of `total` words, `upper` of them ALL CAPS (as [`scan`] counts them).
    pub(super) fn window(total: usize, upper: usize, adjust: Adjust<'a>) -> Words<'a> {
        let mut words = Words::empty(0, adjust);
        (words.total, words.upper) = (total, upper);
        words
    }

    /// No words, with buffers (reused when a `Words` was dropped on this thread) room for a text of `bytes`.
    fn empty(bytes: usize, adjust: Adjust<'a>) -> Words<'a> {
        let (mut word_buf, mut lowercase) = SPARE_WORDS.with(|spare| spare.take()).unwrap_or_default();
        word_buf.clear();
        lowercase.clear();
        // Prose averages over five bytes a word.
        word_buf.reserve(bytes / 4 + 1);
        lowercase.reserve(bytes);
        let lexicon = adjust.overrides.map_or(&lexicons().words, |o| &*o.words);
        Words { words: word_buf, lowercase, first: 0, total: 0, upper: 0, adjust, lexicon }
    }

    /// Appends word `text[start..end]`, whose span for contributions is `span` and in the caller's text
    /// `original`; returns whether it is ALL CAPS.
    #[inline]
    fn push(
        &mut self,
        text: &str,
        (start, end): (usize, usize),
        span: (usize, usize),
        original: (usize, usize),
    ) -> bool {
        let word = &text[start..end];
        let lower_start = self.lowercase.len();
        let upper = push_py_lower_is_upper(&mut self.lowercase, word);
        let lower = (lower_start, self.lowercase.len());
        let lower_word = &self.lowercase[lower.0..lower.1];
        let entry = match self.lexicon.get(lower_word) {
            None => Entry::Absent,
            Some(&v) => match neutral_at(self.adjust.neutral, original) {
                Some(why) => Entry::Neutral(v, why),
                None => Entry::Valence(v),
            },
        };
        self.words.push(Word { span, lower, upper, entry });
        upper
    }

    /// Appends the words of a piece of a long text, `prepared` from the caller's bytes starting at `offset`: their
    /// spans are the caller's, in the whole text.
    pub(super) fn push_piece(&mut self, prepared: &Prepared, offset: usize) {
        let text = &prepared.text;
        for (start, end) in split_py_whitespace(text) {
            let stripped = strip_punc_if_word(text, start, end);
            let (span_start, span_end) = prepared.original_span(stripped);
            let span = (offset + span_start, offset + span_end);
            // The window's capitals were counted by the scan.
            self.push(text, stripped, span, span);
        }
    }

    /// Forgets the words before word `i` (of the whole text), keeping the buffers small.
    pub(super) fn forget_before(&mut self, i: usize) {
        let gone = i.saturating_sub(self.first).min(self.words.len());
        if gone == 0 {
            return;
        }
        // The words left have their lowercase forms at the end of the buffer, in order.
        let cut = self.words.get(gone).map_or(self.lowercase.len(), |w| w.lower.0);
        self.lowercase.drain(..cut);
        self.words.drain(..gone);
        for w in &mut self.words {
            w.lower = (w.lower.0 - cut, w.lower.1 - cut);
        }
        self.first += gone;
    }

    /// The index in the whole text just past the last word held.
    pub(super) fn loaded_end(&self) -> usize {
        self.first + self.words.len()
    }

    /// Word `i` of the whole text (which must be held).
    #[inline]
    fn word(&self, i: usize) -> &Word {
        &self.words[i - self.first]
    }

    /// How many words the whole text has.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.total
    }

    /// The lowercase form of word `i`.
    #[inline]
    pub(super) fn lower(&self, i: usize) -> &str {
        let (start, end) = self.word(i).lower;
        &self.lowercase[start..end]
    }

    /// The lowercase form of word `i`, if there is such a word.
    #[inline]
    pub(super) fn lower_at(&self, i: usize) -> Option<&str> {
        (i < self.len()).then(|| self.lower(i))
    }

    /// The lexicon valence of word `i` as the rules see it (none for a word scored as neutral).
    #[inline]
    pub(super) fn valence(&self, i: usize) -> Option<f64> {
        self.word(i).entry.valence()
    }

    /// The lexicon valence of word `i`, if there is such a word.
    #[inline]
    pub(super) fn valence_at(&self, i: usize) -> Option<f64> {
        if i < self.len() { self.valence(i) } else { None }
    }

    #[inline]
    pub(super) fn in_lexicon(&self, i: usize) -> bool {
        self.valence(i).is_some()
    }

    /// Word `i`'s valence in the lexicon (0 if not in it), even when it is scored as neutral, and why it is.
    pub(super) fn reported(&self, i: usize) -> (f64, Option<NameWord>) {
        match self.word(i).entry {
            Entry::Absent => (0.0, None),
            Entry::Valence(v) => (v, None),
            Entry::Neutral(v, why) => (v, Some(why)),
        }
    }

    #[inline]
    pub(super) fn is_upper(&self, i: usize) -> bool {
        self.word(i).upper
    }

    /// Word `i`'s span: in the prepared text for [`Words::new`], in the caller's whole text for a window.
    pub(super) fn span(&self, i: usize) -> (usize, usize) {
        self.word(i).span
    }
}

/// Why the word of the caller's span `(start, end)` is neutral, if it is: a neutral span lies within it (a
/// VADER word may carry punctuation a document's token does not, as `Mr.` or `“Miss`).
fn neutral_at(neutral: &[Neutral], (start, end): (usize, usize)) -> Option<NameWord> {
    if neutral.is_empty() {
        return None;
    }
    let at = neutral.partition_point(|n| n.start < start);
    neutral.get(at).filter(|n| n.start < end && n.end <= end).map(|n| n.why)
}

/// What scoring a long text needs to know of all of it before it scores its first word: what
/// `allcap_differential`, the "but" rule and the punctuation emphasis look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Scan {
    /// Its words.
    pub(super) total: usize,
    /// How many of them are ALL CAPS.
    pub(super) upper: usize,
    /// The index of the first word whose lowercase form is `but`.
    pub(super) but: Option<usize>,
    /// `!` in the prepared text (emoji descriptions included).
    pub(super) bangs: usize,
    /// `?` in the prepared text.
    pub(super) questions: usize,
}

/// [`Scan`]s `text` a piece at a time, holding no word.
pub(super) fn scan(text: &str, piece_bytes: usize) -> Scan {
    let mut found = Scan::default();
    let mut lower = String::new();
    for (_, piece) in pieces(text, piece_bytes) {
        let prepared = prepare(piece);
        let text = &*prepared.text;
        found.bangs += text.bytes().filter(|&b| b == b'!').count();
        found.questions += text.bytes().filter(|&b| b == b'?').count();
        for (start, end) in split_py_whitespace(text) {
            let (start, end) = strip_punc_if_word(text, start, end);
            let word = &text[start..end];
            found.upper += usize::from(is_py_upper(word));
            // Only `B`, `U`, `T` and their lowercase letters lowercase to `b`, `u`, `t`.
            if found.but.is_none() && word.len() == 3 {
                lower.clear();
                push_py_lower(&mut lower, word);
                if lower == "but" {
                    found.but = Some(found.total);
                }
            }
            found.total += 1;
        }
    }
    found
}

/// The pieces a long text is scored in, with where each starts: about `piece_bytes` each, each cut just before a
/// (Python) whitespace character, so that no word is cut and, prepared one by one, they make the whole text
/// prepared (a piece begins with the whitespace, which settles whether an emoji after it gets a space).
pub(super) fn pieces(text: &str, piece_bytes: usize) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        let mut target = (start + piece_bytes.max(1)).min(text.len());
        while !text.is_char_boundary(target) {
            target += 1;
        }
        at = text[target..].char_indices().find(|&(_, c)| is_py_space(c)).map_or(text.len(), |(i, _)| target + i);
        Some((start, &text[start..at]))
    })
}

/// `SentiText._strip_punc_if_word`: strip ASCII punctuation from both edges,
/// unless that leaves two characters or fewer (likely an emoticon).
fn strip_punc_if_word(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    // Punctuation is ASCII, so byte-wise stripping stays on char boundaries.
    let mut stripped = (start, end);
    while stripped.0 < stripped.1 && bytes[stripped.0].is_ascii_punctuation() {
        stripped.0 += 1;
    }
    while stripped.0 < stripped.1 && bytes[stripped.1 - 1].is_ascii_punctuation() {
        stripped.1 -= 1;
    }
    // Most words have nothing to strip, and then nothing needs counting.
    if stripped == (start, end) || text[stripped.0..stripped.1].chars().nth(2).is_none() {
        (start, end)
    } else {
        stripped
    }
}

/// `allcap_differential`: some, but not all, words are ALL CAPS.
pub(super) fn allcap_differential(words: &Words<'_>) -> bool {
    cap_differential(words.total, words.upper)
}

/// `allcap_differential` of a text of `total` words, `upper` of them ALL CAPS.
pub(super) fn cap_differential(total: usize, upper: usize) -> bool {
    let cap_differential = total - upper;
    0 < cap_differential && cap_differential < total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A piece as (prepared span, original span).
    type Spans = ((usize, usize), (usize, usize));

    /// [`prepare`] a character at a time, as it was written first (no ASCII run copied whole): its text and pieces.
    fn prepare_char_by_char(text: &str) -> (String, Vec<Spans>) {
        let mut out = String::new();
        let mut pieces = Vec::new();
        let mut prev_space = true;
        for (start, c) in text.char_indices() {
            let from = out.len();
            if push_prepared(c, &mut out, &mut prev_space) {
                pieces.push(((from, out.len()), (start, start + c.len_utf8())));
            }
        }
        (out, pieces)
    }

    proptest! {
        #[test]
        fn preparing_ascii_runs_whole_is_preparing_char_by_char(text in "[a' .’‘ʼé😀☺ \u{2003}]{0,16}") {
            let prepared = prepare(&text);
            let pieces: Vec<_> = prepared.pieces.iter().map(|p| (p.prepared, p.original)).collect();
            let (expected, expected_pieces) = prepare_char_by_char(&text);
            prop_assert_eq!(&*prepared.text, expected.as_str());
            prop_assert_eq!(pieces, expected_pieces);
            prop_assert_eq!(matches!(prepared.text, Cow::Borrowed(_)), prepared.pieces.is_empty() && text == expected);
        }
    }
}
