//! What vaderSentiment scores: the text with apostrophes folded and emojis replaced, split into words.

use std::borrow::Cow;

use super::lexicons::lexicons;
use super::py::{is_py_upper, push_py_lower, split_py_whitespace};

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
/// none after it.
pub(super) fn prepare(text: &str) -> Prepared<'_> {
    let untouched = |c: char| fold_apostrophe(c) == c && emoji_description(c).is_none();
    if text.is_ascii() || text.chars().all(untouched) {
        return Prepared { text: Cow::Borrowed(text), pieces: Vec::new() };
    }
    let mut out = String::with_capacity(text.len());
    let mut pieces = Vec::new();
    let mut prev_space = true;
    for (start, c) in text.char_indices() {
        let original = (start, start + c.len_utf8());
        let from = out.len();
        if let Some(description) = emoji_description(c) {
            if !prev_space {
                out.push(' ');
            }
            out.push_str(description);
            prev_space = false;
        } else {
            let folded = fold_apostrophe(c);
            out.push(folded);
            prev_space = folded == ' ';
            if folded == c {
                continue;
            }
        }
        pieces.push(Piece { prepared: (from, out.len()), original });
    }
    Prepared { text: Cow::Owned(out), pieces }
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
    valence: Option<f64>,
}

/// `SentiText.words_and_emoticons`, with lowercase forms stored in one buffer
/// so that tokenising allocates nothing per (ASCII) word.
pub(super) struct Words {
    words: Vec<Word>,
    lowercase: String,
}

thread_local! {
    /// The buffers of the last `Words` dropped on this thread, reused by the next: scoring sentence after sentence
    /// then allocates nothing for them.
    static SPARE_WORDS: std::cell::Cell<Option<(Vec<Word>, String)>> = const { std::cell::Cell::new(None) };
}

impl Drop for Words {
    fn drop(&mut self) {
        let buffers = (std::mem::take(&mut self.words), std::mem::take(&mut self.lowercase));
        SPARE_WORDS.with(|spare| spare.set(Some(buffers)));
    }
}

impl Words {
    pub(super) fn new(text: &str) -> Words {
        let lexicon = &lexicons().words;
        let (mut word_buf, mut lowercase) = SPARE_WORDS.with(|spare| spare.take()).unwrap_or_default();
        word_buf.clear();
        lowercase.clear();
        // Prose averages over five bytes a word.
        word_buf.reserve(text.len() / 4 + 1);
        lowercase.reserve(text.len());
        let mut words = Words { words: word_buf, lowercase };
        for (start, end) in split_py_whitespace(text) {
            let (start, end) = strip_punc_if_word(text, start, end);
            let word = &text[start..end];
            let lower_start = words.lowercase.len();
            push_py_lower(&mut words.lowercase, word);
            let lower = (lower_start, words.lowercase.len());
            let lower_word = &words.lowercase[lower.0..lower.1];
            words.words.push(Word {
                span: (start, end),
                lower,
                upper: is_py_upper(word),
                valence: lexicon.get(lower_word).copied(),
            });
        }
        words
    }

    pub(super) fn len(&self) -> usize {
        self.words.len()
    }

    /// The lowercase form of word `i`.
    pub(super) fn lower(&self, i: usize) -> &str {
        let (start, end) = self.words[i].lower;
        &self.lowercase[start..end]
    }

    /// The lowercase form of word `i`, if there is such a word.
    pub(super) fn lower_at(&self, i: usize) -> Option<&str> {
        (i < self.len()).then(|| self.lower(i))
    }

    pub(super) fn valence(&self, i: usize) -> Option<f64> {
        self.words[i].valence
    }

    /// The lexicon valence of word `i`, if there is such a word.
    pub(super) fn valence_at(&self, i: usize) -> Option<f64> {
        self.words.get(i)?.valence
    }

    pub(super) fn in_lexicon(&self, i: usize) -> bool {
        self.words[i].valence.is_some()
    }

    pub(super) fn is_upper(&self, i: usize) -> bool {
        self.words[i].upper
    }

    pub(super) fn span(&self, i: usize) -> (usize, usize) {
        self.words[i].span
    }
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
pub(super) fn allcap_differential(words: &Words) -> bool {
    let allcap_words = words.words.iter().filter(|w| w.upper).count();
    let cap_differential = words.len() - allcap_words;
    0 < cap_differential && cap_differential < words.len()
}
