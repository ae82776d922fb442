//! The word-level rules of `polarity_scores` and the "but" rule: one valence per word.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

use super::Modifier;
use super::lexicons::{booster_phrase, booster_scalar, negated, special_case};
use super::tokens::{Words, allcap_differential};

/// Mean intensity increase of a word written in ALL CAPS among other words.
pub(super) const C_INCR: f64 = 0.733;
/// Factor applied to a negated word's valence.
pub(super) const N_SCALAR: f64 = -0.74;

/// Where the rules report what they did: nowhere for [`polarity_scores`](super::polarity_scores),
/// one list per word for [`analyze`](super::analyze).
pub(super) trait Trace {
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
pub(super) fn valences(words: &Words, trace: &mut impl Trace) -> Vec<f64> {
    let is_cap_diff = allcap_differential(words);
    let mut sentiments = Vec::with_capacity(words.len());
    for i in 0..words.len() {
        sentiments.push(word_valence(words, i, is_cap_diff, trace));
    }
    but_check(words, &mut sentiments, trace);
    sentiments
}

/// One pass of the main loop of `polarity_scores`: the valence of word `i` before the "but" rule. It reads words
/// `i - 3` to `i + 2` only, so a long text can be scored through a window of its words.
#[inline]
pub(super) fn word_valence(words: &Words, i: usize, is_cap_diff: bool, trace: &mut impl Trace) -> f64 {
    // Boosters and the "kind" of "kind of" only modify other words. (3.3.2
    // checks those first, but a word outside the lexicon counts 0 either
    // way, and most words are: look up the rarer boosters only for the rest.)
    if !words.in_lexicon(i) || booster_scalar(words.lower(i)).is_some() {
        0.0
    } else if words.lower(i) == "kind" && words.lower_at(i + 1) == Some("of") {
        trace.note(i, || Modifier::KindOf);
        0.0
    } else {
        sentiment_valence(words, i, is_cap_diff, trace)
    }
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

/// [`but_check`] replayed word by word as the valences come, for a text too long to hold a valence per word: it
/// keeps, per word of nonzero valence, how often the rule rescaled it (2 bytes) and its place in its value's heap
/// (4 bytes), which is all the rule needs to know, and all it leaves to know: a word rescaled `n` times ends at
/// its valence times 0.5ⁿ before the "but" (1.5ⁿ after), multiplied one factor at a time as 3.3.2 does.
pub(super) struct ButReplay {
    /// The index of the first "but".
    but: usize,
    /// Words of nonzero valence before the "but": the index, among words of nonzero valence, of the first at or
    /// after it.
    before: u32,
    /// Whether the "but" itself has a nonzero valence (it is not in VADER's lexicon, so never).
    but_valued: bool,
    /// Per value (its bits), the words of nonzero valence holding it now, by their index among those words.
    holders: HashMap<u64, BinaryHeap<Reverse<u32>>>,
    /// Per word of nonzero valence, in order, how many times the rule rescaled it.
    rescaled: Vec<u16>,
}

impl ButReplay {
    /// Ready for the valences of a text whose first "but" is word `but`.
    pub(super) fn new(but: usize) -> ButReplay {
        ButReplay { but, before: 0, but_valued: false, holders: HashMap::new(), rescaled: Vec::new() }
    }

    /// Word `k`'s valence before the rule (words given in order, from the first).
    pub(super) fn push(&mut self, k: usize, sentiment: f64) {
        if sentiment == 0.0 {
            return;
        }
        // A text has fewer than 2³² words (a document is at most 4 GiB).
        let d = u32::try_from(self.rescaled.len()).unwrap_or(u32::MAX);
        self.rescaled.push(0);
        match k.cmp(&self.but) {
            Ordering::Less => self.before += 1,
            Ordering::Equal => self.but_valued = true,
            Ordering::Greater => {}
        }
        let same_value = self.holders.entry(sentiment.to_bits()).or_default();
        same_value.push(Reverse(d));
        let Some(&Reverse(si)) = same_value.peek() else {
            return;
        };
        let factor = if si < self.before {
            0.5
        } else if si == self.before && self.but_valued {
            return;
        } else {
            1.5
        };
        same_value.pop();
        if let Some(n) = self.rescaled.get_mut(si as usize) {
            // A valence rescaled 2,048 times by 0.5 or 1.5 is 0 or infinite, and then equals no new one: never
            // reached.
            *n = n.saturating_add(1);
        }
        self.holders.entry((sentiment * factor).to_bits()).or_default().push(Reverse(si));
    }

    /// The final valence of the `d`-th word of nonzero valence, word `k`, whose valence before the rule was
    /// `sentiment`; notes the rescalings on `trace`.
    pub(super) fn apply(&self, d: usize, k: usize, mut sentiment: f64, trace: &mut impl Trace) -> f64 {
        let n = self.rescaled.get(d).copied().unwrap_or(0);
        let (factor, modifier) = if k < self.but { (0.5, Modifier::BeforeBut) } else { (1.5, Modifier::AfterBut) };
        for _ in 0..n {
            sentiment *= factor;
            trace.note(k, || modifier.clone());
        }
        sentiment
    }
}
