//! VADER sentiment scoring: a faithful port of vaderSentiment 3.3.2
//! (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based Model for
//! Sentiment Analysis of Social Media Text", ICWSM-14).
//!
//! [`polarity_scores`] returns exactly what vaderSentiment 3.3.2's
//! `SentimentIntensityAnalyzer().polarity_scores` returns (same `f64`s, same
//! rounding), quirks included; [`analyze`] adds which words contributed what.
//!
//! # Input preparation
//! Curly apostrophes (’ ‘ ʼ) are folded to `'` before scoring, so `It’s` and
//! `It's` score the same (vaderSentiment itself only knows `'`). Everything
//! else is as in 3.3.2: emojis are replaced by their description from
//! `emoji_utf8_lexicon.txt`, the text is split on (Python) whitespace, and each
//! word loses its edge ASCII punctuation unless that would leave two
//! characters or fewer (so `no,` stays `no,` and `:)` stays `:)`). Curly
//! double quotes are not punctuation to 3.3.2: in `“Great!”` the word is
//! `“Great!”`, which is not in the lexicon.
//!
//! # Python runtime details matched
//! - Whitespace, `isupper` and `lower` follow Python's definitions (Python
//!   also splits on U+001C..U+001F; titlecase letters are not upper case;
//!   full Unicode lowercasing). Rust's Unicode tables are newer than Python
//!   3.11's (14.0): letters added to Unicode since may be cased differently.
//! - The raw sum is added up left to right, as `sum()` does up to Python 3.11.
//!   Python 3.12 made `sum()` of floats compensated, which changes the
//!   compound's last digit for about 3 sentences in 100,000.
//! - `round()` is Python's: correctly rounded, ties to even.
//!
//! # Quirks of 3.3.2 that are reproduced on purpose
//! - Lexicon look-ups use the lowercased word, so the lexicon's mixed-case
//!   emoticons (`:D`, `O_o`, ...) and its multi-word entries never match.
//! - The "but" rule looks each value up with `list.index`, so when an earlier
//!   word already holds the same value, that earlier word is scaled instead.
//! - In the three-words-back negation check, a `so`/`this` right before the
//!   word multiplies it by 1.25 even without a preceding `never` (operator
//!   precedence in 3.3.2).
//! - ALL-CAPS emphasis subtracts 0.733 from a valence of exactly 0 (e.g. a
//!   capitalised `NO` that was zeroed as a negator).
//! - Special-case idioms are only checked for words with three or more words
//!   before them, the fourth of which is not a lexicon word, and they also
//!   fire on phrases that merely precede the word.
//! - `_sentiment_laden_idioms_check` is never called in 3.3.2 and the "least"
//!   branch of `negated()` is commented out: neither is ported.
//! - Emojis are looked up one code point at a time, so only single-code-point
//!   entries of the emoji lexicon are ever used; their descriptions' `!` count
//!   towards the exclamation emphasis.
//!
//! # Licence
//! The embedded lexicons are vaderSentiment 3.3.2's, MIT-licensed,
//! Copyright (c) 2016 C.J. Hutto: see `data/VADER-LICENSE.txt`.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

/// vaderSentiment 3.3.2's `vader_lexicon.txt`, verbatim.
const VADER_LEXICON: &str = include_str!("../../data/vader_lexicon.txt");
/// vaderSentiment 3.3.2's `emoji_utf8_lexicon.txt`, verbatim.
const EMOJI_LEXICON: &str = include_str!("../../data/emoji_utf8_lexicon.txt");

/// Mean intensity increase (or decrease) caused by a booster (dampener) word.
const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
/// Mean intensity increase of a word written in ALL CAPS among other words.
const C_INCR: f64 = 0.733;
/// Factor applied to a negated word's valence.
const N_SCALAR: f64 = -0.74;
/// Exclamation marks add this much each, up to four of them.
const EXCLAMATION_INCR: f64 = 0.292;
/// Two or three question marks add this much each...
const QUESTION_INCR: f64 = 0.18;
/// ...and more than three add this in total.
const QUESTION_MAX: f64 = 0.96;
/// `normalize`'s alpha: approximates the largest expected raw sum.
const NORMALIZE_ALPHA: f64 = 15.0;

/// Scores of one sentence, as vaderSentiment's polarity_scores returns them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    /// Normalised sum of valences in [-1, 1], rounded to 4 decimals.
    pub compound: f64,
    /// Proportion of positive sentiment, rounded to 3 decimals.
    pub positive: f64,
    /// Proportion of neutral words, rounded to 3 decimals.
    pub neutral: f64,
    /// Proportion of negative sentiment, rounded to 3 decimals.
    pub negative: f64,
}

/// One word's contribution: which word (byte span into the text passed in),
/// its lexicon valence, the rules that changed it, and the valence it ended
/// up contributing to the sum.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Byte offset of the word's start in the analysed text.
    pub start: usize,
    /// Byte offset just past the word's end: `&text[start..end]` is the word
    /// as written, without the edge punctuation VADER strips (for a word of an
    /// emoji's description, the span is the emoji's).
    pub end: usize,
    /// The word's valence in the lexicon (0 for a word not in it).
    pub lexicon_valence: f64,
    /// The rules that changed the valence, in the order VADER applied them.
    pub modifiers: Vec<Modifier>,
    /// The word's entry in vaderSentiment's `sentiments` list once every
    /// word-level rule and the "but" rule have run: the contributions'
    /// `effective_valence`s add up (in text order) to the raw sum that
    /// `score_valence` then amplifies for `!`/`?` and normalises.
    pub effective_valence: f64,
}

/// A rule that changed a word's valence (Display gives e.g. `booster:deeply`,
/// `negated:never`, `caps`, `after_but`, `before_but`, `kind_of`, `least`,
/// `idiom:the shit`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// `no` followed by a lexicon word is taken as that word's negator, so its
    /// own valence becomes 0 (`no_as_negator`).
    NoAsNegator,
    /// `kind` followed by `of` is a dampener, not the adjective: valence 0
    /// (`kind_of`).
    KindOf,
    /// Multiplied by -0.74 because of the negation word shown (for `no`, the
    /// lexicon valence itself is negated) (`negated:WORD`).
    Negated(String),
    /// Written in ALL CAPS while other words are not: ±0.733 (`caps`).
    Caps,
    /// Intensified or dampened by the booster word shown, one to three words
    /// before it (`booster:WORD`).
    Booster(String),
    /// Dampened by the two-word phrase shown (`kind of`, `sort of`,
    /// `just enough`) just before it (`booster_phrase:PHRASE`).
    BoosterPhrase(String),
    /// Multiplied by 1.25 after `never so` / `never this`
    /// (`never_so_this:WORD`).
    NeverSoThis(String),
    /// Multiplied by 1.25 because `so` or `this` directly precedes it, a
    /// side effect of operator precedence in 3.3.2 (`so_this:WORD`).
    SoThis(String),
    /// Replaced by the valence of the special-case idiom shown
    /// (`idiom:PHRASE`).
    Idiom(String),
    /// Multiplied by -0.74 after `least` not preceded by `at` or `very`
    /// (`least`).
    Least,
    /// Halved as it comes before the first `but` (`before_but`).
    BeforeBut,
    /// Multiplied by 1.5 as it comes after the first `but` (`after_but`).
    AfterBut,
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Modifier::NoAsNegator => f.write_str("no_as_negator"),
            Modifier::KindOf => f.write_str("kind_of"),
            Modifier::Negated(word) => write!(f, "negated:{word}"),
            Modifier::Caps => f.write_str("caps"),
            Modifier::Booster(word) => write!(f, "booster:{word}"),
            Modifier::BoosterPhrase(phrase) => write!(f, "booster_phrase:{phrase}"),
            Modifier::NeverSoThis(word) => write!(f, "never_so_this:{word}"),
            Modifier::SoThis(word) => write!(f, "so_this:{word}"),
            Modifier::Idiom(phrase) => write!(f, "idiom:{phrase}"),
            Modifier::Least => f.write_str("least"),
            Modifier::BeforeBut => f.write_str("before_but"),
            Modifier::AfterBut => f.write_str("after_but"),
        }
    }
}

/// Full analysis: scores plus the per-word contributions.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The same scores [`polarity_scores`] returns.
    pub scores: Scores,
    /// One entry per word with a nonzero lexicon or effective valence, in
    /// text order.
    pub contributions: Vec<Contribution>,
}

/// Scores `text` exactly as vaderSentiment 3.3.2's `polarity_scores` does
/// (after folding curly apostrophes to `'`). Meant for one sentence at a time.
pub fn polarity_scores(text: &str) -> Scores {
    let prepared = prepare(text);
    let words = Words::new(&prepared.text);
    let sentiments = valences(&words, &mut ());
    score_valence(&sentiments, &prepared.text)
}

/// Scores `text` like [`polarity_scores`] and reports each word's
/// contribution, with byte spans into `text`.
pub fn analyze(text: &str) -> Analysis {
    let prepared = prepare(text);
    let words = Words::new(&prepared.text);
    let mut notes: Vec<(usize, Modifier)> = Vec::new();
    let sentiments = valences(&words, &mut notes);
    // Group the notes by word, keeping the order the rules ran in for each word.
    notes.sort_by_key(|(word, _)| *word);
    let mut notes = notes.into_iter().peekable();
    let contributions = sentiments
        .iter()
        .enumerate()
        .filter_map(|(i, &effective_valence)| {
            let mut modifiers = Vec::new();
            while let Some((_, m)) = notes.next_if(|(word, _)| *word == i) {
                modifiers.push(m);
            }
            let lexicon_valence = words.valence(i).unwrap_or(0.0);
            if lexicon_valence == 0.0 && effective_valence == 0.0 {
                return None;
            }
            let (start, end) = prepared.original_span(words.span(i));
            // A first push makes room for four; a novel has millions of contributions, most with one modifier.
            modifiers.shrink_to_fit();
            Some(Contribution { start, end, lexicon_valence, modifiers, effective_valence })
        })
        .collect();
    Analysis { scores: score_valence(&sentiments, &prepared.text), contributions }
}

// ---------------------------------------------------------------------------
// Lexicons

/// The lexicons and 3.3.2's word lists, built on first use.
struct Lexicons {
    /// Lowercase-looked-up word valences (`make_lex_dict`).
    words: HashMap<String, f64, FastHash>,
    /// Emoji descriptions keyed by code point (`make_emoji_dict`; only
    /// single-code-point entries, as 3.3.2 looks emojis up per code point).
    emojis: HashMap<char, &'static str, FastHash>,
    /// The one-word keys of BOOSTER_DICT.
    boosters: HashMap<&'static str, f64, FastHash>,
    /// NEGATE.
    negations: HashSet<&'static str, FastHash>,
}

/// Every word of every text is looked up, and SipHash was a tenth of the running time; the keys are fixed, so
/// flooding is no concern.
type FastHash = rustc_hash::FxBuildHasher;

/// The lexicons, parsed once (lazily, on the first call) per process.
fn lexicons() -> &'static Lexicons {
    static LEXICONS: OnceLock<Lexicons> = OnceLock::new();
    LEXICONS.get_or_init(|| Lexicons {
        words: tab_separated(VADER_LEXICON)
            .filter_map(|(word, measure)| Some((word.to_owned(), measure.parse().ok()?)))
            .collect(),
        emojis: tab_separated(EMOJI_LEXICON)
            .filter_map(|(emoji, description)| Some((single_char(emoji)?, description)))
            .collect(),
        boosters: BOOSTER_INCR
            .iter()
            .map(|&word| (word, B_INCR))
            .chain(BOOSTER_DECR.iter().map(|&word| (word, B_DECR)))
            .collect(),
        negations: NEGATE.into_iter().collect(),
    })
}

/// The first two tab-separated fields of each non-empty line, as 3.3.2's
/// `line.strip().split('\t')[0:2]` reads them.
fn tab_separated(data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    data.split('\n').filter_map(|line| {
        let mut fields = line.trim_matches(is_py_space).split('\t');
        Some((fields.next()?, fields.next()?))
    })
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// vaderSentiment's NEGATE list.
#[rustfmt::skip]
const NEGATE: [&str; 59] = [
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
    "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
    "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
    "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
    "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
    "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
    "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
    "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
];

/// The one-word keys of vaderSentiment's BOOSTER_DICT worth B_INCR.
#[rustfmt::skip]
const BOOSTER_INCR: [&str; 60] = [
    "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
    "decidedly", "deeply", "effing", "enormous", "enormously",
    "entirely", "especially", "exceptional", "exceptionally", "extreme", "extremely",
    "fabulously", "flipping", "flippin", "frackin", "fracking",
    "fricking", "frickin", "frigging", "friggin", "fully",
    "fuckin", "fucking", "fuggin", "fugging",
    "greatly", "hella", "highly", "hugely",
    "incredible", "incredibly", "intensely",
    "major", "majorly", "more", "most", "particularly",
    "purely", "quite", "really", "remarkably", "so", "substantially",
    "thoroughly", "total", "totally", "tremendous", "tremendously",
    "uber", "unbelievably", "unusually", "utter", "utterly", "very",
];

/// The one-word keys of vaderSentiment's BOOSTER_DICT worth B_DECR (its
/// two-word keys are in [`booster_phrase`]).
#[rustfmt::skip]
const BOOSTER_DECR: [&str; 21] = [
    "almost", "barely", "hardly", "kinda", "kindof", "kind-of",
    "less", "little", "marginal", "marginally", "occasional", "occasionally", "partly",
    "scarce", "scarcely", "slight", "slightly", "somewhat", "sorta", "sortof", "sort-of",
];

/// vaderSentiment's `negated([word])` on a lowercased word.
fn negated(word: &str) -> bool {
    lexicons().negations.contains(word) || word.contains("n't")
}

/// BOOSTER_DICT's scalar for a (lowercase) word.
fn booster_scalar(word: &str) -> Option<f64> {
    lexicons().boosters.get(word).copied()
}

/// The multi-word keys of BOOSTER_DICT, matched against the n-gram `words`.
fn booster_phrase(words: &[&str]) -> Option<f64> {
    match words {
        ["just", "enough"] | ["kind", "of"] | ["sort", "of"] => Some(B_DECR),
        _ => None,
    }
}

/// vaderSentiment's SPECIAL_CASES, matched against the n-gram `words`. Its
/// one-word key `badass` is left out: 3.3.2 only ever looks up two- and
/// three-word sequences.
fn special_case(words: &[&str]) -> Option<f64> {
    match words {
        ["the", "shit"] | ["the", "bomb"] | ["to", "die", "for"] => Some(3.0),
        ["bad", "ass"] => Some(1.5),
        ["bus", "stop"] => Some(0.0),
        ["yeah", "right"] => Some(-2.0),
        ["kiss", "of", "death"] => Some(-1.5),
        ["beating", "heart"] => Some(3.5),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Text preparation and tokenisation

/// Python's `str.isspace`, which `str.split()` and `str.strip()` use: Rust's
/// `char::is_whitespace` plus the information separators U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Folds the curly apostrophes the reference scores were computed without.
fn fold_apostrophe(c: char) -> char {
    if crate::text::is_apostrophe(c) { '\'' } else { c }
}

/// The text vaderSentiment actually scores (apostrophes folded, emojis
/// replaced by descriptions), with the way back to the caller's offsets.
struct Prepared<'a> {
    text: Cow<'a, str>,
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
    fn original_span(&self, (start, end): (usize, usize)) -> (usize, usize) {
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
fn prepare(text: &str) -> Prepared<'_> {
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
struct Words {
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
    fn new(text: &str) -> Words {
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

    fn len(&self) -> usize {
        self.words.len()
    }

    /// The lowercase form of word `i`.
    fn lower(&self, i: usize) -> &str {
        let (start, end) = self.words[i].lower;
        &self.lowercase[start..end]
    }

    /// The lowercase form of word `i`, if there is such a word.
    fn lower_at(&self, i: usize) -> Option<&str> {
        (i < self.len()).then(|| self.lower(i))
    }

    fn valence(&self, i: usize) -> Option<f64> {
        self.words[i].valence
    }

    /// The lexicon valence of word `i`, if there is such a word.
    fn valence_at(&self, i: usize) -> Option<f64> {
        self.words.get(i)?.valence
    }

    fn in_lexicon(&self, i: usize) -> bool {
        self.words[i].valence.is_some()
    }

    fn is_upper(&self, i: usize) -> bool {
        self.words[i].upper
    }

    fn span(&self, i: usize) -> (usize, usize) {
        self.words[i].span
    }
}

/// Python's `str.split()`: byte spans of the runs of non-whitespace.
fn split_py_whitespace(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        at = skip_while_space(text, at, true);
        let start = at;
        at = skip_while_space(text, at, false);
        (start < at).then_some((start, at))
    })
}

/// The offset of the first char at or after `at` whose being whitespace
/// differs from `space` (or the end of `text`). Bytewise for ASCII, as
/// this is the innermost loop of scoring.
fn skip_while_space(text: &str, mut at: usize, space: bool) -> usize {
    while let Some(&byte) = text.as_bytes().get(at) {
        let (is_space, len) = if byte.is_ascii() {
            (matches!(byte, b'\t'..=b'\r' | 0x1c..=b' '), 1)
        } else {
            match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (is_py_space(c), c.len_utf8()),
                None => return text.len(),
            }
        };
        if is_space != space {
            break;
        }
        at += len;
    }
    at
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

/// Appends Python's `str.lower()` of `word` (full Unicode lowercasing, final
/// sigma included) to `out`.
fn push_py_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&word.to_lowercase());
    }
}

/// Python's `str.isupper()`: at least one uppercase character and no
/// lowercase or titlecase one.
fn is_py_upper(word: &str) -> bool {
    if word.is_ascii() {
        let bytes = word.as_bytes();
        return bytes.iter().any(u8::is_ascii_uppercase) && !bytes.iter().any(u8::is_ascii_lowercase);
    }
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Unicode general category Lt, which is neither upper- nor lowercase.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}' | '\u{1f88}'..='\u{1f8f}'
        | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}' | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// `allcap_differential`: some, but not all, words are ALL CAPS.
fn allcap_differential(words: &Words) -> bool {
    let allcap_words = words.words.iter().filter(|w| w.upper).count();
    let cap_differential = words.len() - allcap_words;
    0 < cap_differential && cap_differential < words.len()
}

// ---------------------------------------------------------------------------
// Word valences

/// Where the rules report what they did: nowhere for [`polarity_scores`],
/// one list per word for [`analyze`].
trait Trace {
    /// Records that `modifier` changed the valence of word `word`.
    fn note(&mut self, word: usize, modifier: impl FnOnce() -> Modifier);
}

impl Trace for () {
    fn note(&mut self, _: usize, _: impl FnOnce() -> Modifier) {}
}

/// Notes as (word, modifier) pairs: few words are modified, so nothing is allocated for the others.
impl Trace for Vec<(usize, Modifier)> {
    fn note(&mut self, word: usize, modifier: impl FnOnce() -> Modifier) {
        self.push((word, modifier()));
    }
}

/// The main loop of `polarity_scores` plus `_but_check`: one valence per word.
fn valences(words: &Words, trace: &mut impl Trace) -> Vec<f64> {
    let is_cap_diff = allcap_differential(words);
    let mut sentiments = Vec::with_capacity(words.len());
    for i in 0..words.len() {
        // Boosters and the "kind" of "kind of" only modify other words. (3.3.2
        // checks those first, but a word outside the lexicon counts 0 either
        // way, and most words are: look up the rarer boosters only for the rest.)
        let valence = if !words.in_lexicon(i) || booster_scalar(words.lower(i)).is_some() {
            0.0
        } else if words.lower(i) == "kind" && words.lower_at(i + 1) == Some("of") {
            trace.note(i, || Modifier::KindOf);
            0.0
        } else {
            sentiment_valence(words, i, is_cap_diff, trace)
        };
        sentiments.push(valence);
    }
    but_check(words, &mut sentiments, trace);
    sentiments
}

/// `sentiment_valence`: the valence of word `i` after the rules that look at
/// its neighbours (0 for a word not in the lexicon).
fn sentiment_valence(words: &Words, i: usize, is_cap_diff: bool, trace: &mut impl Trace) -> f64 {
    let Some(lexicon_valence) = words.valence(i) else {
        return 0.0;
    };
    let mut valence = lexicon_valence;
    // "no" before a lexicon word negates that word instead of counting itself.
    if words.lower(i) == "no" && words.valence_at(i + 1).is_some() {
        valence = 0.0;
        trace.note(i, || Modifier::NoAsNegator);
    }
    if preceded_by_no(words, i) {
        valence = lexicon_valence * N_SCALAR;
        trace.note(i, || Modifier::Negated("no".to_owned()));
    }
    if words.is_upper(i) && is_cap_diff {
        valence += if valence > 0.0 { C_INCR } else { -C_INCR };
        trace.note(i, || Modifier::Caps);
    }
    for start_i in 0..3 {
        if i > start_i && !words.in_lexicon(i - (start_i + 1)) {
            valence = booster_check(valence, words, start_i, i, is_cap_diff, trace);
            valence = negation_check(valence, words, start_i, i, trace);
            if start_i == 2 {
                valence = special_idioms_check(valence, words, i, trace);
            }
        }
    }
    least_check(valence, words, i, trace)
}

/// "no" one or two words before, or three words before with "or"/"nor" just
/// before the word.
fn preceded_by_no(words: &Words, i: usize) -> bool {
    (i > 0 && words.lower(i - 1) == "no")
        || (i > 1 && words.lower(i - 2) == "no")
        || (i > 2 && words.lower(i - 3) == "no" && matches!(words.lower(i - 1), "or" | "nor"))
}

/// Adds `scalar_inc_dec` of the word `start_i + 1` words before word `i`,
/// dampened with distance.
fn booster_check(
    valence: f64,
    words: &Words,
    start_i: usize,
    i: usize,
    is_cap_diff: bool,
    trace: &mut impl Trace,
) -> f64 {
    let j = i - (start_i + 1);
    let s = scalar_inc_dec(words, j, valence, is_cap_diff);
    let s = match start_i {
        1 => s * 0.95,
        2 => s * 0.9,
        _ => s,
    };
    if s != 0.0 {
        trace.note(i, || Modifier::Booster(words.lower(j).to_owned()));
    }
    valence + s
}

/// `scalar_inc_dec`: the booster or dampener effect of word `j` on a word of
/// the given valence (0 if word `j` is no booster).
fn scalar_inc_dec(words: &Words, j: usize, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(mut scalar) = booster_scalar(words.lower(j)) else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if words.is_upper(j) && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check` for the word `start_i + 1` words before word `i`.
fn negation_check(valence: f64, words: &Words, start_i: usize, i: usize, trace: &mut impl Trace) -> f64 {
    let w = |back: usize| words.lower(i - back);
    let so_or_this = |word: &str| matches!(word, "so" | "this");
    let negator = w(start_i + 1);
    let emphasis = match start_i {
        1 if w(2) == "never" && so_or_this(w(1)) => Some(Modifier::NeverSoThis(w(1).to_owned())),
        // 3.3.2 parses `never and (so or this) or (so or this)`, so a "so" or
        // "this" right before the word is enough.
        2 if w(3) == "never" && so_or_this(w(2)) => Some(Modifier::NeverSoThis(w(2).to_owned())),
        2 if so_or_this(w(1)) => Some(Modifier::SoThis(w(1).to_owned())),
        _ => None,
    };
    if let Some(modifier) = emphasis {
        trace.note(i, || modifier);
        return valence * 1.25;
    }
    let without_doubt = match start_i {
        1 => w(2) == "without" && w(1) == "doubt",
        2 => w(3) == "without" && (w(2) == "doubt" || w(1) == "doubt"),
        _ => false,
    };
    if !without_doubt && negated(negator) {
        trace.note(i, || Modifier::Negated(negator.to_owned()));
        return valence * N_SCALAR;
    }
    valence
}

/// `_special_idioms_check` for word `i` (which has at least three words
/// before it).
fn special_idioms_check(mut valence: f64, words: &Words, i: usize, trace: &mut impl Trace) -> f64 {
    let (w3, w2, w1, w0) = (words.lower(i - 3), words.lower(i - 2), words.lower(i - 1), words.lower(i));
    let onezero: &[&str] = &[w1, w0];
    let twoonezero: &[&str] = &[w2, w1, w0];
    let twoone: &[&str] = &[w2, w1];
    let threetwoone: &[&str] = &[w3, w2, w1];
    let threetwo: &[&str] = &[w3, w2];
    for sequence in [onezero, twoonezero, twoone, threetwoone, threetwo] {
        if replace_by_idiom(&mut valence, sequence, i, trace) {
            break;
        }
    }
    if let Some(next) = words.lower_at(i + 1) {
        replace_by_idiom(&mut valence, &[w0, next], i, trace);
        if let Some(after_next) = words.lower_at(i + 2) {
            replace_by_idiom(&mut valence, &[w0, next, after_next], i, trace);
        }
    }
    for n_gram in [threetwoone, threetwo, twoone] {
        if let Some(scalar) = booster_phrase(n_gram) {
            valence += scalar;
            trace.note(i, || Modifier::BoosterPhrase(n_gram.join(" ")));
        }
    }
    valence
}

/// Sets `valence` to the special case `sequence` is, if it is one.
fn replace_by_idiom(valence: &mut f64, sequence: &[&str], i: usize, trace: &mut impl Trace) -> bool {
    let Some(idiom_valence) = special_case(sequence) else {
        return false;
    };
    *valence = idiom_valence;
    trace.note(i, || Modifier::Idiom(sequence.join(" ")));
    true
}

/// `_least_check`: "least" before the word negates it, unless "at least" or
/// "very least".
fn least_check(valence: f64, words: &Words, i: usize, trace: &mut impl Trace) -> f64 {
    let least_before = i > 0 && !words.in_lexicon(i - 1) && words.lower(i - 1) == "least";
    let excused = i > 1 && matches!(words.lower(i - 2), "at" | "very");
    if least_before && !excused {
        trace.note(i, || Modifier::Least);
        return valence * N_SCALAR;
    }
    valence
}

/// `_but_check`: halve the valences before the first "but" and multiply
/// those after it by 1.5.
///
/// 3.3.2 iterates over the list while finding each value's position with
/// `list.index`, so a value is scaled at the *first* position currently
/// holding an equal value. Replayed here with, per value, a min-heap of the
/// already visited positions holding it, so long texts stay O(n log n).
/// Zeros are skipped: scaling a zero anywhere changes nothing.
fn but_check(words: &Words, sentiments: &mut [f64], trace: &mut impl Trace) {
    let Some(bi) = (0..words.len()).find(|&i| words.lower(i) == "but") else {
        return;
    };
    // Nonzero finite floats are equal exactly when their bits are.
    let mut holders: HashMap<u64, BinaryHeap<Reverse<usize>>> = HashMap::new();
    for k in 0..sentiments.len() {
        // Only positions <= k are ever rescaled, so position k still holds
        // its own valence.
        let sentiment = sentiments[k];
        if sentiment == 0.0 {
            continue;
        }
        let same_value = holders.entry(sentiment.to_bits()).or_default();
        same_value.push(Reverse(k));
        let Some(&Reverse(si)) = same_value.peek() else {
            continue;
        };
        let (factor, modifier) = match si.cmp(&bi) {
            Ordering::Less => (0.5, Modifier::BeforeBut),
            Ordering::Greater => (1.5, Modifier::AfterBut),
            Ordering::Equal => continue,
        };
        same_value.pop();
        sentiments[si] = sentiment * factor;
        trace.note(si, || modifier);
        holders.entry(sentiments[si].to_bits()).or_default().push(Reverse(si));
    }
}

// ---------------------------------------------------------------------------
// Sentence scores

/// `score_valence`: the scores from the word valences and the punctuation of
/// the (prepared) text. Public so that a user's own valence list (any
/// language) is scored with VADER's arithmetic: the sum amplified by `!` and
/// `?`, normalised as `s / √(s² + 15)`, and the positive, neutral and negative
/// proportions.
pub fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let punct_emph_amplifier = punctuation_emphasis(text);
    // `sum()` up to Python 3.11: plain left-to-right addition.
    let mut sum_s: f64 = sentiments.iter().fold(0.0, |sum, &s| sum + s);
    if sum_s > 0.0 {
        sum_s += punct_emph_amplifier;
    } else if sum_s < 0.0 {
        sum_s -= punct_emph_amplifier;
    }
    let compound = normalize(sum_s);

    let (mut pos_sum, mut neg_sum, neu_count) = sift_sentiment_scores(sentiments);
    if pos_sum > neg_sum.abs() {
        pos_sum += punct_emph_amplifier;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct_emph_amplifier;
    }
    let total = pos_sum + neg_sum.abs() + neu_count;
    Scores {
        compound: py_round(compound, 4),
        positive: py_round((pos_sum / total).abs(), 3),
        neutral: py_round((neu_count / total).abs(), 3),
        negative: py_round((neg_sum / total).abs(), 3),
    }
}

/// `_punctuation_emphasis`: up to four "!" and, if two or more, the "?"s.
fn punctuation_emphasis(text: &str) -> f64 {
    let ep_amplifier = count_byte(text, b'!').min(4) as f64 * EXCLAMATION_INCR;
    let qm_amplifier = match count_byte(text, b'?') {
        0 | 1 => 0.0,
        n @ 2..=3 => n as f64 * QUESTION_INCR,
        _ => QUESTION_MAX,
    };
    ep_amplifier + qm_amplifier
}

/// How many times `byte` occurs in `text`.
fn count_byte(text: &str, byte: u8) -> usize {
    text.bytes().filter(|&b| b == byte).count()
}

/// `normalize`: maps the raw sum into [-1, 1].
fn normalize(score: f64) -> f64 {
    let norm_score = score / (score * score + NORMALIZE_ALPHA).sqrt();
    norm_score.clamp(-1.0, 1.0)
}

/// `_sift_sentiment_scores`: positive sum, negative sum (each word counted
/// one further from 0, for the neutral words' sake) and neutral count.
fn sift_sentiment_scores(sentiments: &[f64]) -> (f64, f64, f64) {
    let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0, 0.0, 0.0);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1.0;
        }
    }
    (pos_sum, neg_sum, neu_count)
}

/// Python's `round(x, ndigits)`: the double nearest to the decimal that is
/// nearest to the exact binary value of `x` (ties to even).
fn py_round(x: f64, ndigits: u8) -> f64 {
    let scale = (0..ndigits).fold(1.0, |scale, _| scale * 10.0);
    let y = x * scale;
    // `y` is within half an ulp of the exact product; unless that could put
    // it on the other side of a ".5", its nearest integer is the answer, and
    // dividing by `scale` rounds correctly just as Python's strtod does.
    let distance_from_half = ((y - y.trunc()).abs() - 0.5).abs();
    if distance_from_half > y.abs() * 1e-15 {
        return y.round() / scale;
    }
    py_round_exact(x, ndigits)
}

/// `py_round` for the close calls: Rust's precision formatting is exact and
/// rounds ties to even, like CPython's `_Py_dg_dtoa` mode 3.
fn py_round_exact(x: f64, ndigits: u8) -> f64 {
    let mut digits = StackString::default();
    let precision = usize::from(ndigits);
    match write!(digits, "{x:.precision$}") {
        Ok(()) => digits.as_str().parse().unwrap_or(x),
        Err(_) => x,
    }
}

/// A fixed buffer to format one `f64` into without allocating.
struct StackString {
    bytes: [u8; 400],
    len: usize,
}

impl Default for StackString {
    fn default() -> Self {
        StackString { bytes: [0; 400], len: 0 }
    }
}

impl StackString {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for StackString {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE_CSV: &str = include_str!("../../tests/data/vader_sample.csv");
    const PROBES_CSV: &str = include_str!("../../tests/data/vader_probes.csv");

    /// One reference row: the text and its scores from vaderSentiment 3.3.2.
    struct Reference {
        text: String,
        scores: Scores,
    }

    /// Reads `text,compound,pos,neu,neg` rows (RFC 4180 quoting).
    fn references(csv: &str) -> Vec<Reference> {
        csv.lines()
            .skip(1)
            .filter(|line| !line.is_empty())
            .map(|line| {
                let fields = csv_fields(line);
                assert_eq!(fields.len(), 5, "malformed row {line:?}");
                let number = |i: usize| fields[i].parse::<f64>().expect("a number");
                Reference {
                    text: fields[0].clone(),
                    scores: Scores {
                        compound: number(1),
                        positive: number(2),
                        neutral: number(3),
                        negative: number(4),
                    },
                }
            })
            .collect()
    }

    fn csv_fields(line: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            let field = fields.last_mut().expect("at least one field");
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(String::new()),
                _ => field.push(c),
            }
        }
        fields
    }

    fn all_references() -> Vec<Reference> {
        let mut all = references(SAMPLE_CSV);
        all.extend(references(PROBES_CSV));
        all
    }

    fn assert_matches_reference(csv: &str) {
        let rows = references(csv);
        assert!(!rows.is_empty());
        for row in rows {
            assert_eq!(polarity_scores(&row.text), row.scores, "{:?}", row.text);
            assert_eq!(analyze(&row.text).scores, row.scores, "{:?}", row.text);
        }
    }

    #[test]
    fn matches_reference_sample() {
        assert_matches_reference(SAMPLE_CSV);
    }

    #[test]
    fn matches_reference_probes() {
        assert_matches_reference(PROBES_CSV);
    }

    /// The compound score of a raw sum, as `score_valence` computes it.
    fn compound(sum: f64) -> f64 {
        py_round(sum / (sum * sum + 15.0).sqrt(), 4)
    }

    /// The contributions of `text` as (word, effective valence, modifiers).
    fn contributions(text: &str) -> Vec<(&str, f64, Vec<String>)> {
        analyze(text)
            .contributions
            .into_iter()
            .map(|c| {
                let modifiers = c.modifiers.iter().map(ToString::to_string).collect();
                (&text[c.start..c.end], c.effective_valence, modifiers)
            })
            .collect()
    }

    /// Asserts a sentence whose only sentiment word is `word`: its valence,
    /// its modifiers and the compound score.
    fn assert_single(text: &str, word: &str, valence: f64, modifiers: &[&str]) {
        assert_eq!(contributions(text), vec![(word, valence, strings(modifiers))], "{text}");
        assert_eq!(polarity_scores(text).compound, compound(valence), "{text}");
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    // Lexicon: good 1.9, bad -2.5, kind 2.4, no -1.2, bomb -2.2.

    #[test]
    fn negation_by_not_and_never() {
        assert_single("The food is not good", "good", 1.9 * N_SCALAR, &["negated:not"]);
        assert_single("It is never good", "good", 1.9 * N_SCALAR, &["negated:never"]);
        assert_single("It isn’t good", "good", 1.9 * N_SCALAR, &["negated:isn't"]);
        let scores = polarity_scores("The food is not good");
        // neg_sum = -1.406 - 1 against 4 neutral words.
        assert_eq!(scores.negative, 0.376);
        assert_eq!(scores.neutral, 0.624);
        assert_eq!(scores.compound, -0.3412);
    }

    #[test]
    fn never_so_and_the_so_this_quirk() {
        // "so" boosts (+0.293); "never so" gives x1.25; then, three words
        // back, "so" just before the word gives x1.25 again.
        let valence = (1.9 + B_INCR) * 1.25 * 1.25;
        let modifiers = ["booster:so", "never_so_this:so", "so_this:so"];
        assert_single("It was never so good", "good", valence, &modifiers);
        assert_eq!(polarity_scores("It was never so good").compound, 0.6626);
    }

    #[test]
    fn but_halves_before_and_amplifies_after() {
        let text = "It was good but it was bad";
        let expected =
            vec![("good", 1.9 * 0.5, strings(&["before_but"])), ("bad", -2.5 * 1.5, strings(&["after_but"]))];
        assert_eq!(contributions(text), expected);
        assert_eq!(polarity_scores(text).compound, compound(0.95 - 3.75));
        assert_eq!(polarity_scores(text).compound, -0.5859);
    }

    #[test]
    fn but_rescales_the_first_equal_value() {
        // fine 0.8 is halved to 0.4 before "but"; yoyo's 0.4 is then found
        // first at fine's position (list.index), so fine is halved again and
        // yoyo keeps 0.4.
        let expected = vec![("fine", 0.2, strings(&["before_but", "before_but"])), ("yoyo", 0.4, vec![])];
        assert_eq!(contributions("fine but yoyo"), expected);
        assert_eq!(polarity_scores("fine but yoyo").compound, 0.1531);
    }

    #[test]
    fn caps_among_lowercase_words() {
        assert_single("It is GOOD", "GOOD", 1.9 + C_INCR, &["caps"]);
        // Everything in caps: no differential, no emphasis.
        assert_single("IT IS GOOD", "GOOD", 1.9, &[]);
    }

    #[test]
    fn exclamation_marks() {
        let text = "It is good!!!";
        assert_eq!(contributions(text), vec![("good", 1.9, vec![])]);
        let amplifier = 3.0 * 0.292;
        let scores = polarity_scores(text);
        assert_eq!(scores.compound, compound(1.9 + amplifier));
        let pos_sum = 1.9 + 1.0 + amplifier;
        assert_eq!(scores.positive, py_round(pos_sum / (pos_sum + 2.0), 3));
        // At most four count.
        assert_eq!(polarity_scores("It is good!!!!!!!!").compound, compound(1.9 + 4.0 * 0.292));
    }

    #[test]
    fn question_marks() {
        assert_eq!(contributions("Is it good??"), vec![("good", 1.9, vec![])]);
        assert_eq!(polarity_scores("Is it good?").compound, compound(1.9));
        assert_eq!(polarity_scores("Is it good??").compound, compound(1.9 + 2.0 * 0.18));
        assert_eq!(polarity_scores("Is it good???").compound, compound(1.9 + 3.0 * 0.18));
        assert_eq!(polarity_scores("Is it good?????").compound, compound(1.9 + 0.96));
    }

    #[test]
    fn kind_of_dampens() {
        // "kind" (2.4) before "of" counts 0; "kind of" then dampens "good".
        let expected =
            vec![("kind", 0.0, strings(&["kind_of"])), ("good", 1.9 + B_DECR, strings(&["booster_phrase:kind of"]))];
        assert_eq!(contributions("It was kind of good"), expected);
        assert_eq!(polarity_scores("It was kind of good").compound, 0.3832);
    }

    #[test]
    fn least_negates_unless_at_least() {
        assert_single("the least good idea", "good", 1.9 * N_SCALAR, &["least"]);
        assert_single("at least good", "good", 1.9, &[]);
    }

    #[test]
    fn booster_and_dampener() {
        assert_single("It is very good", "good", 1.9 + B_INCR, &["booster:very"]);
        assert_single("It is slightly good", "good", 1.9 + B_DECR, &["booster:slightly"]);
        // A dampener pulls a negative word towards zero too.
        assert_single("It is slightly bad", "bad", -2.5 + B_INCR, &["booster:slightly"]);
        // Two words back, a booster counts 95%.
        let valence = 1.9 + B_INCR + B_INCR * 0.95;
        assert_single("It is very very good", "good", valence, &["booster:very", "booster:very"]);
    }

    #[test]
    fn special_case_idiom() {
        assert_single("the movie was the bomb", "bomb", 3.0, &["idiom:the bomb"]);
    }

    #[test]
    fn no_negates_the_next_lexicon_word() {
        let expected =
            vec![("no", 0.0, strings(&["no_as_negator"])), ("good", 1.9 * N_SCALAR, strings(&["negated:no"]))];
        assert_eq!(contributions("There is no good answer"), expected);
        assert_eq!(polarity_scores("There is no good answer").compound, -0.3412);
    }

    #[test]
    fn short_words_keep_their_punctuation() {
        // "no," keeps its comma (stripping would leave 2 chars), so it is not
        // the lexicon's "no"; ":)" survives as an emoticon (2.0).
        assert_eq!(contributions("no, good"), vec![("good", 1.9, vec![])]);
        assert_eq!(contributions("oh :)"), vec![(":)", 2.0, vec![])]);
    }

    #[test]
    fn effective_valences_sum_to_the_raw_sum() {
        let own = [
            "It was never so good",
            "fine but yoyo",
            "It was fine, but fine was not fine.",
            "No, no, NO good at all but I LOVE it 😁!!",
            "The plot was good, but the characters are uncompelling and the dialog is not great.",
            "Today only kinda sux! But I'll get by, lol",
            "Not such a badass after all.",
        ];
        let texts = all_references().into_iter().map(|r| r.text).chain(own.iter().map(|s| s.to_string()));
        for text in texts {
            let prepared = prepare(&text);
            let words = Words::new(&prepared.text);
            let raw_sum = valences(&words, &mut ()).iter().fold(0.0, |sum, &s| sum + s);
            let contributed = analyze(&text).contributions.iter().fold(0.0, |sum, c| sum + c.effective_valence);
            assert_eq!(contributed, raw_sum, "{text}");
        }
    }

    #[test]
    fn curly_and_straight_apostrophes_score_alike() {
        for (curly, straight) in [
            ("It isn’t good, it’s bad.", "It isn't good, it's bad."),
            ("‘Not bad,’ she said.", "'Not bad,' she said."),
            ("It didnʼt hurt.", "It didn't hurt."),
        ] {
            assert_eq!(polarity_scores(curly), polarity_scores(straight), "{curly}");
        }
    }

    #[test]
    fn spans_point_into_the_original_text() {
        // 😁 is "beaming face with smiling eyes": "smiling" scores.
        let text = "\"This isn’t GREAT!!!\" she said — 😁 really";
        let words: Vec<&str> = contributions(text).into_iter().map(|(w, _, _)| w).collect();
        assert_eq!(words, ["GREAT", "😁"]);
        // Curly double quotes are no punctuation to VADER: “GREAT!!!” is not
        // stripped and so not found in the lexicon.
        assert!(contributions("“This isn’t GREAT!!!” she said").is_empty());
        // The emoticon :'( written with a curly apostrophe (3 bytes).
        assert_eq!(contributions("oh :’( today"), vec![(":’(", -2.2, vec![])]);
    }

    #[test]
    fn emojis_score_as_their_descriptions() {
        // 😁 is "beaming face with smiling eyes".
        assert_eq!(polarity_scores("I am 😁"), polarity_scores("I am beaming face with smiling eyes"));
        // No space is added after a description.
        assert_eq!(polarity_scores("😁smiling"), polarity_scores("beaming face with smiling eyessmiling"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long_word = "a".repeat(10_000);
        let long_mixed = "é😁’!".repeat(2_500);
        let inputs = [
            "",
            " \t\n ",
            "!!!!",
            "?!?!",
            "...",
            "😁😁😁",
            "👩‍👩‍👧‍👦 ❤️ 🇫🇷",
            "e\u{301}\u{301}\u{301} good\u{308}",
            "\u{1c}good\u{1f}bad\u{85}",
            "ǅ \u{212a}ind of good İ ΣΑΣ",
            "\u{0}\u{feff}\u{200b}",
            "مرحبا good שלום",
            long_word.as_str(),
            long_mixed.as_str(),
        ];
        for text in inputs {
            let analysis = analyze(text);
            assert_eq!(analysis.scores, polarity_scores(text));
            for c in &analysis.contributions {
                assert!(text.get(c.start..c.end).is_some(), "{text:?} {c:?}");
            }
            let s = analysis.scores;
            for score in [s.compound, s.positive, s.neutral, s.negative] {
                assert!(score.is_finite() && (-1.0..=1.0).contains(&score));
            }
        }
        assert_eq!(polarity_scores(""), Scores::default());
        assert_eq!(polarity_scores("!!!!").neutral, 1.0);
    }

    #[test]
    fn random_text_does_not_panic() {
        // Words and characters that exercise every path, glued at random.
        let pieces = [
            "good",
            "BAD",
            "not",
            "no",
            "but",
            "kind",
            "of",
            "least",
            "at",
            "very",
            "so",
            "never",
            "this",
            "without",
            "doubt",
            "the",
            "shit",
            "isn’t",
            "it's",
            ":)",
            ":’(",
            "!",
            "?",
            ".",
            ",",
            "\"",
            "“",
            " ",
            "  ",
            "\n",
            "\u{1c}",
            "\u{a0}",
            "😁",
            "❤️",
            "\u{1f3fd}",
            "\u{200d}",
            "©",
            "🔛",
            "é",
            "\u{301}",
            "Σ",
            "ǅ",
            "\u{212a}",
            "İ",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..next(30) {
                match next(4) {
                    0 => text.extend(char::from_u32(next(0x11_0000) as u32)),
                    _ => text.push_str(pieces[next(pieces.len())]),
                }
            }
            let analysis = analyze(&text);
            assert_eq!(analysis.scores, polarity_scores(&text), "{text:?}");
            for c in &analysis.contributions {
                assert!(text.get(c.start..c.end).is_some(), "{text:?} {c:?}");
            }
        }
    }

    #[test]
    fn python_round_semantics() {
        // Decided by the exact binary value, ties to even.
        assert_eq!(py_round(0.1235, 3), 0.123);
        assert_eq!(py_round(2.675, 2), 2.67);
        assert_eq!(py_round(0.125, 2), 0.12);
        assert_eq!(py_round(0.375, 2), 0.38);
        assert_eq!(py_round(0.0625, 3), 0.062);
        assert_eq!(py_round(-0.0625, 3), -0.062);
        assert_eq!(py_round(0.5, 0), 0.0);
        assert_eq!(py_round(1.5, 0), 2.0);
        assert_eq!(py_round(0.33333, 4), 0.3333);
        assert_eq!(py_round(-0.99995, 4), -1.0);
        // The fast path agrees with the exact one.
        for i in 0..100_000 {
            let x = f64::from(i) * 1e-5 - 0.5;
            assert_eq!(py_round(x, 4), py_round_exact(x, 4), "{x}");
            assert_eq!(py_round(x, 3), py_round_exact(x, 3), "{x}");
        }
    }

    #[test]
    fn lexicons_parse_like_python() {
        let lexicons = lexicons();
        // 7,520 lines, 14 words listed twice (the later value wins).
        assert_eq!(lexicons.words.len(), 7506);
        assert_eq!(lexicons.words.get("ok"), Some(&1.2));
        assert_eq!(lexicons.emojis.len(), 1212);
        assert_eq!(lexicons.emojis.get(&'😁'), Some(&"beaming face with smiling eyes"));
        // `emoji_description` relies on this.
        assert!(lexicons.emojis.keys().all(|c| !c.is_ascii()));
        // BOOSTER_DICT has 84 keys, three of them two-word phrases.
        assert_eq!(lexicons.boosters.len(), 81);
        assert_eq!(lexicons.negations.len(), NEGATE.len());
        // No booster is a lexicon word, so no word loses its own valence for
        // being one (and `Modifier` needs no variant for that).
        assert!(lexicons.boosters.keys().all(|b| !lexicons.words.contains_key(*b)));
    }

    #[test]
    fn modifier_display() {
        assert_eq!(Modifier::Booster("deeply".into()).to_string(), "booster:deeply");
        assert_eq!(Modifier::Negated("never".into()).to_string(), "negated:never");
        assert_eq!(Modifier::Idiom("the shit".into()).to_string(), "idiom:the shit");
        assert_eq!(Modifier::AfterBut.to_string(), "after_but");
    }
}
