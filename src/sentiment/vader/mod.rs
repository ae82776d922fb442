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

#[cfg(test)]
mod adjust_tests;
mod lexicons;
mod py;
mod rules;
mod score;
#[cfg(test)]
mod tests;
mod tokens;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;

use lexicons::{Valences, lexicons};

/// VADER's lexicon files as built in (their names under `data/`, their text), for a run's manifest.
pub const LEXICON_FILES: [(&str, &str); 2] =
    [("vader_lexicon.txt", lexicons::VADER_LEXICON), ("emoji_utf8_lexicon.txt", lexicons::EMOJI_LEXICON)];

use rules::{ButReplay, valences, word_valence};
use score::punctuation_emphasis;
pub use score::{Sums, score_valence};
use tokens::{Scan, Words, cap_differential, pieces, prepare, scan};

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
    /// Scored as a word outside the lexicon: a title before a name (`Miss Bates`), under the literary preset
    /// (`title`).
    Title,
    /// Scored as a word outside the lexicon: a word of a multi-word proper name (`Hope Street`), under the
    /// literary preset (`name`).
    Name,
}

/// Why a word is scored as neutral ([`Neutral`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameWord {
    /// A title before a name (`Miss` in `Miss Bates`).
    Title,
    /// A word of a multi-word proper name (`Hope` in `Hope Street`).
    Name,
}

impl NameWord {
    /// The modifier a neutral word's contribution shows.
    fn modifier(self) -> Modifier {
        match self {
            NameWord::Title => Modifier::Title,
            NameWord::Name => Modifier::Name,
        }
    }
}

/// A word to score as if it were not in the lexicon: the caller's byte span of it (a VADER word is neutral when
/// such a span lies within it), and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neutral {
    /// Byte offset of its start in the scored text.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    /// Why it is neutral.
    pub why: NameWord,
}

/// VADER's lexicon with a critic's changes: words given another valence, words taken out. Every rule still
/// applies to a changed word, as to any word of the lexicon.
#[derive(Clone)]
pub struct Overrides {
    /// The changes, by lexicon key (as [`lexicon_key`] makes them): a valence, or `None` to take the word out.
    changes: Vec<(String, Option<f64>)>,
    /// VADER's lexicon with the changes made.
    words: Arc<Valences>,
    /// The file the changes were read from, for the run's manifest.
    source: Option<crate::resource::Resource>,
}

impl Overrides {
    /// VADER's lexicon with `changes` (keys as [`lexicon_key`] makes them; a later change of a word wins).
    pub fn new(changes: Vec<(String, Option<f64>)>) -> Overrides {
        let mut words = lexicons().words.clone();
        for (word, valence) in &changes {
            match valence {
                Some(v) => words.insert(word.clone(), *v),
                None => words.remove(word),
            };
        }
        Overrides { changes, words: Arc::new(words), source: None }
    }

    /// The same changes, read from the file `source` (for the manifest).
    pub fn with_source(self, source: crate::resource::Resource) -> Overrides {
        Overrides { source: Some(source), ..self }
    }

    /// The file the changes were read from, as the run's manifest lists it.
    pub fn source(&self) -> Option<&crate::resource::Resource> {
        self.source.as_ref()
    }

    /// The changes, in the order given.
    pub fn changes(&self) -> &[(String, Option<f64>)] {
        &self.changes
    }
}

/// Only the changes: the lexicon is VADER's with them made.
impl fmt::Debug for Overrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Overrides").field("changes", &self.changes).finish()
    }
}

impl PartialEq for Overrides {
    fn eq(&self, other: &Self) -> bool {
        self.changes == other.changes
    }
}

/// A word as VADER's lexicon is looked up: curly apostrophes folded, lowercased as Python does.
pub fn lexicon_key(word: &str) -> String {
    let folded: String = word.chars().map(|c| if crate::text::is_apostrophe(c) { '\'' } else { c }).collect();
    let mut key = String::with_capacity(folded.len());
    py::push_py_lower(&mut key, &folded);
    key
}

/// VADER's own valence of a lexicon key, if the word is in its lexicon.
pub fn lexicon_valence(key: &str) -> Option<f64> {
    lexicons().words.get(key).copied()
}

/// What is changed of plain VADER: the lexicon (with [`Overrides`]), and words scored as neutral (spans in the
/// scored text, in order and not overlapping). The default changes nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Adjust<'a> {
    /// The lexicon with a critic's changes; VADER's own if `None`.
    pub overrides: Option<&'a Overrides>,
    /// Words scored as if outside the lexicon, in text order.
    pub neutral: &'a [Neutral],
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
            Modifier::Title => f.write_str("title"),
            Modifier::Name => f.write_str("name"),
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

/// Texts longer than this are scored a piece of about this many bytes at a time ([`analyze_in_pieces`]), in
/// memory that does not grow with them: a "sentence" of megabytes (a text without full stops) is scored exactly
/// as it would be whole, without a word's worth of memory per word.
pub const PIECE_BYTES: usize = 1 << 16;

/// Scores `text` exactly as vaderSentiment 3.3.2's `polarity_scores` does
/// (after folding curly apostrophes to `'`). Meant for one sentence at a time;
/// a longer text is scored a piece at a time, in bounded memory.
pub fn polarity_scores(text: &str) -> Scores {
    polarity_scores_with(text, Adjust::default())
}

/// [`polarity_scores`] with the lexicon and the neutral words of `adjust`.
pub fn polarity_scores_with(text: &str, adjust: Adjust<'_>) -> Scores {
    if text.len() > PIECE_BYTES {
        return match analyze_pieces_of(text, PIECE_BYTES, adjust, |_, _| Ok::<(), Infallible>(())) {
            Ok(scores) => scores,
            Err(never) => match never {},
        };
    }
    let prepared = prepare(text);
    let words = Words::new(&prepared, adjust);
    let sentiments = valences(&words, &mut ());
    score_valence(&sentiments, &prepared.text)
}

/// Scores `text` like [`polarity_scores`] and reports each word's
/// contribution, with byte spans into `text`. (A text longer than
/// [`PIECE_BYTES`] is scored by [`analyze_in_pieces`], with the same result:
/// to hand its contributions over without holding them, call that.)
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, Adjust::default())
}

/// [`analyze`] with the lexicon and the neutral words of `adjust`. A neutral word in the lexicon is a
/// contribution of its lexicon valence, with the modifier `title` or `name` and an effective valence of 0.
pub fn analyze_with(text: &str, adjust: Adjust<'_>) -> Analysis {
    if text.len() > PIECE_BYTES {
        let mut contributions = Vec::new();
        let scores = analyze_pieces_of(text, PIECE_BYTES, adjust, |found, _| {
            contributions.extend(found);
            Ok::<(), Infallible>(())
        });
        return match scores {
            Ok(scores) => Analysis { scores, contributions },
            Err(never) => match never {},
        };
    }
    analyze_whole(text, adjust)
}

/// [`analyze`] with every word of `text` held at once.
fn analyze_whole(text: &str, adjust: Adjust<'_>) -> Analysis {
    let prepared = prepare(text);
    let words = Words::new(&prepared, adjust);
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
            let (lexicon_valence, neutral) = words.reported(i);
            if lexicon_valence == 0.0 && effective_valence == 0.0 {
                return None;
            }
            modifiers.extend(neutral.map(NameWord::modifier));
            let (start, end) = prepared.original_span(words.span(i));
            // A first push makes room for four; a novel has millions of contributions, most with one modifier.
            modifiers.shrink_to_fit();
            Some(Contribution { start, end, lexicon_valence, modifiers, effective_valence })
        })
        .collect();
    Analysis { scores: score_valence(&sentiments, &prepared.text), contributions }
}

/// [`analyze`] for a text of any length, in memory that does not grow with it: the contributions are handed to
/// `each` a piece of the text at a time (pieces of about [`PIECE_BYTES`], cut at whitespace), in text order, with
/// the byte offset where the piece ends: every contribution starting before it has been handed over, and none
/// after it. The first error `each` returns ends the scoring. The scores and contributions are exactly
/// [`analyze`]'s for the text whole.
///
/// The text is read two or three times: once for what the rules need of all of it (how many words are in capitals,
/// where the first "but" is, the `!` and `?`), once more if it has a "but" (whose rule, with vaderSentiment
/// 3.3.2's quirk of rescaling the first word holding an equal value, can change any earlier word: what it did is
/// kept in 6 bytes per word of nonzero valence), then to score. Each pass holds a window of the words.
pub fn analyze_in_pieces<E>(
    text: &str,
    each: impl FnMut(Vec<Contribution>, usize) -> Result<(), E>,
) -> Result<Scores, E> {
    analyze_pieces_of(text, PIECE_BYTES, Adjust::default(), each)
}

/// [`analyze_in_pieces`] with the lexicon and the neutral words of `adjust`.
pub fn analyze_in_pieces_with<E>(
    text: &str,
    adjust: Adjust<'_>,
    each: impl FnMut(Vec<Contribution>, usize) -> Result<(), E>,
) -> Result<Scores, E> {
    analyze_pieces_of(text, PIECE_BYTES, adjust, each)
}

/// [`analyze_in_pieces`] with pieces of about `piece_bytes` (tests make them tiny).
pub(crate) fn analyze_pieces_of<E>(
    text: &str,
    piece_bytes: usize,
    adjust: Adjust<'_>,
    each: impl FnMut(Vec<Contribution>, usize) -> Result<(), E>,
) -> Result<Scores, E> {
    let scan = scan(text, piece_bytes);
    let is_cap_diff = cap_differential(scan.total, scan.upper);
    let replay = match scan.but {
        Some(but) => {
            let mut replaying = Replaying { replay: ButReplay::new(but), is_cap_diff };
            match walk(text, piece_bytes, &scan, adjust, &mut replaying) {
                Ok(()) => Some(replaying.replay),
                Err(never) => match never {},
            }
        }
        None => None,
    };
    let mut emitting =
        Emitting { is_cap_diff, replay, valued: 0, sums: Sums::default(), notes: Vec::new(), found: Vec::new(), each };
    walk(text, piece_bytes, &scan, adjust, &mut emitting)?;
    Ok(emitting.sums.with_emphasis(punctuation_emphasis(scan.bangs, scan.questions)))
}

/// What is done with each word of a long text, and at the end of each piece ([`walk`]).
trait Walker {
    type Error;
    /// Word `i`, with words `i - 3` to `i + 2` held in `words`.
    fn word(&mut self, words: &Words, i: usize);
    /// Every word before the piece's end (byte `end`) has been seen, and none after it.
    fn piece_done(&mut self, end: usize) -> Result<(), Self::Error>;
}

/// Calls `walker` on every word of `text` in order, a piece at a time, holding only the words of the pieces not
/// yet done and the three before them. `scan` is the text's.
fn walk<W: Walker>(
    text: &str,
    piece_bytes: usize,
    scan: &Scan,
    adjust: Adjust<'_>,
    walker: &mut W,
) -> Result<(), W::Error> {
    let mut words = Words::window(scan.total, scan.upper, adjust);
    // Pieces read but not done: where their words end, and where they end in the text.
    let mut waiting: VecDeque<(usize, usize)> = VecDeque::new();
    let mut next = 0;
    for (offset, piece) in pieces(text, piece_bytes) {
        words.push_piece(&prepare(piece), offset);
        let held = words.loaded_end();
        waiting.push_back((held, offset + piece.len()));
        // A word's rules read the two words after it: a piece is done once they are held (or there are none).
        while let Some(&(end_word, end_byte)) = waiting.front() {
            if end_word + 2 > held && held < scan.total {
                break;
            }
            for i in next..end_word {
                walker.word(&words, i);
            }
            next = end_word;
            walker.piece_done(end_byte)?;
            waiting.pop_front();
        }
        words.forget_before(next.saturating_sub(3));
    }
    debug_assert!(waiting.is_empty() && next == scan.total, "the pieces gave other words than the scan");
    Ok(())
}

/// The first walk of a text with a "but": the rule replayed.
struct Replaying {
    replay: ButReplay,
    is_cap_diff: bool,
}

impl Walker for Replaying {
    type Error = Infallible;

    fn word(&mut self, words: &Words, i: usize) {
        self.replay.push(i, word_valence(words, i, self.is_cap_diff, &mut ()));
    }

    fn piece_done(&mut self, _: usize) -> Result<(), Infallible> {
        Ok(())
    }
}

/// The walk that scores: each word's final valence, summed, and its contribution, handed over a piece at a time.
struct Emitting<F> {
    is_cap_diff: bool,
    replay: Option<ButReplay>,
    /// Words of nonzero valence (before the "but" rule) so far.
    valued: usize,
    sums: Sums,
    notes: Vec<(usize, Modifier)>,
    found: Vec<Contribution>,
    each: F,
}

impl<F, E> Walker for Emitting<F>
where
    F: FnMut(Vec<Contribution>, usize) -> Result<(), E>,
{
    type Error = E;

    fn word(&mut self, words: &Words, i: usize) {
        self.notes.clear();
        let mut effective_valence = word_valence(words, i, self.is_cap_diff, &mut self.notes);
        if effective_valence != 0.0 {
            if let Some(replay) = &self.replay {
                effective_valence = replay.apply(self.valued, i, effective_valence, &mut self.notes);
            }
            self.valued += 1;
        }
        self.sums.add(effective_valence);
        let (lexicon_valence, neutral) = words.reported(i);
        if lexicon_valence == 0.0 && effective_valence == 0.0 {
            return;
        }
        let (start, end) = words.span(i);
        let modifiers = self.notes.drain(..).map(|(_, m)| m).chain(neutral.map(NameWord::modifier)).collect();
        self.found.push(Contribution { start, end, lexicon_valence, modifiers, effective_valence });
    }

    fn piece_done(&mut self, end: usize) -> Result<(), E> {
        (self.each)(std::mem::take(&mut self.found), end)
    }
}
