//! The lexicons and the word lists of vaderSentiment 3.3.2, parsed once per process.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::py::is_py_space;

/// vaderSentiment 3.3.2's `vader_lexicon.txt`, verbatim.
pub(super) const VADER_LEXICON: &str = include_str!("../../../data/vader_lexicon.txt");
/// vaderSentiment 3.3.2's `emoji_utf8_lexicon.txt`, verbatim.
pub(super) const EMOJI_LEXICON: &str = include_str!("../../../data/emoji_utf8_lexicon.txt");

/// Mean intensity increase (or decrease) caused by a booster (dampener) word.
pub(super) const B_INCR: f64 = 0.293;
pub(super) const B_DECR: f64 = -0.293;

/// The lexicons and 3.3.2's word lists, built on first use.
pub(super) struct Lexicons {
    /// Lowercase-looked-up word valences (`make_lex_dict`).
    pub(super) words: Valences,
    /// Emoji descriptions keyed by code point (`make_emoji_dict`; only
    /// single-code-point entries, as 3.3.2 looks emojis up per code point).
    pub(super) emojis: HashMap<char, &'static str, FastHash>,
    /// The one-word keys of BOOSTER_DICT.
    pub(super) boosters: HashMap<&'static str, f64, FastHash>,
    /// NEGATE.
    pub(super) negations: HashSet<&'static str, FastHash>,
}

/// Word valences by lowercase word.
pub(super) type Valences = HashMap<String, f64, FastHash>;

/// Every word of every text is looked up, and SipHash was a tenth of the running time; the keys are fixed, so
/// flooding is no concern.
type FastHash = rustc_hash::FxBuildHasher;

/// The lexicons, parsed once (lazily, on the first call) per process.
pub(super) fn lexicons() -> &'static Lexicons {
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
pub(super) const NEGATE: [&str; 59] = [
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
pub(super) fn negated(word: &str) -> bool {
    lexicons().negations.contains(word) || word.contains("n't")
}

/// BOOSTER_DICT's scalar for a (lowercase) word.
pub(super) fn booster_scalar(word: &str) -> Option<f64> {
    lexicons().boosters.get(word).copied()
}

/// The multi-word keys of BOOSTER_DICT, matched against the n-gram `words`.
pub(super) fn booster_phrase(words: &[&str]) -> Option<f64> {
    match words {
        ["just", "enough"] | ["kind", "of"] | ["sort", "of"] => Some(B_DECR),
        _ => None,
    }
}

/// vaderSentiment's SPECIAL_CASES, matched against the n-gram `words`. Its
/// one-word key `badass` is left out: 3.3.2 only ever looks up two- and
/// three-word sequences.
pub(super) fn special_case(words: &[&str]) -> Option<f64> {
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
