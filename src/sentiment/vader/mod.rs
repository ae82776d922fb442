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

mod lexicons;
mod py;
mod rules;
mod score;
#[cfg(test)]
mod tests;
mod tokens;

use std::fmt;

use rules::valences;
pub use score::score_valence;
use tokens::{Words, prepare};

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
