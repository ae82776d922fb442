//! Sentence scores from word valences: punctuation emphasis, normalisation, and the proportions.

use super::Scores;
use super::py::py_round;

/// Exclamation marks add this much each, up to four of them.
const EXCLAMATION_INCR: f64 = 0.292;
/// Two or three question marks add this much each...
const QUESTION_INCR: f64 = 0.18;
/// ...and more than three add this in total.
const QUESTION_MAX: f64 = 0.96;
/// `normalize`'s alpha: approximates the largest expected raw sum.
const NORMALIZE_ALPHA: f64 = 15.0;

/// `score_valence`: the scores from the word valences and the punctuation of
/// the (prepared) text. Public so that a user's own valence list (any
/// language) is scored with VADER's arithmetic: the sum amplified by `!` and
/// `?`, normalised as `s / √(s² + 15)`, and the positive, neutral and negative
/// proportions.
pub fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    let mut sums = Sums::default();
    sentiments.iter().for_each(|&s| sums.add(s));
    sums.scores(text)
}

/// [`score_valence`] a valence at a time, for a text too long to hold a valence per word: the same additions in
/// the same order, so the same scores.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sums {
    /// `sum()` up to Python 3.11: plain left-to-right addition.
    sum: f64,
    pos_sum: f64,
    neg_sum: f64,
    neu_count: f64,
    words: usize,
}

impl Sums {
    /// Adds the next word's valence.
    pub fn add(&mut self, s: f64) {
        self.sum += s;
        // `_sift_sentiment_scores`: each word counted one further from 0, for the neutral words' sake.
        if s > 0.0 {
            self.pos_sum += s + 1.0;
        }
        if s < 0.0 {
            self.neg_sum += s - 1.0;
        }
        if s == 0.0 {
            self.neu_count += 1.0;
        }
        self.words += 1;
    }

    /// The scores, with the `!` and `?` emphasis of `text` (the whole text the valences are of).
    pub fn scores(&self, text: &str) -> Scores {
        self.with_emphasis(punctuation_emphasis(count_byte(text, b'!'), count_byte(text, b'?')))
    }

    /// The scores, given the punctuation emphasis.
    pub(super) fn with_emphasis(&self, punct_emph_amplifier: f64) -> Scores {
        if self.words == 0 {
            return Scores::default();
        }
        let mut sum_s = self.sum;
        if sum_s > 0.0 {
            sum_s += punct_emph_amplifier;
        } else if sum_s < 0.0 {
            sum_s -= punct_emph_amplifier;
        }
        let compound = normalize(sum_s);

        let (mut pos_sum, mut neg_sum, neu_count) = (self.pos_sum, self.neg_sum, self.neu_count);
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
}

/// `_punctuation_emphasis`: up to four "!" and, if two or more, the "?"s (given their counts).
pub(super) fn punctuation_emphasis(bangs: usize, questions: usize) -> f64 {
    let ep_amplifier = bangs.min(4) as f64 * EXCLAMATION_INCR;
    let qm_amplifier = match questions {
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
