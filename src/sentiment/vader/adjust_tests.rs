//! The lexicon overrides and the neutral words keep every VADER rule: expected values computed by hand from the
//! lexicon valences and VADER's constants.

use super::py::py_round;
use super::rules::{C_INCR, N_SCALAR};
use super::*;

/// The compound score of a raw sum, as `score_valence` computes it.
fn compound(sum: f64) -> f64 {
    py_round(sum / (sum * sum + 15.0).sqrt(), 4)
}

/// `quiet` given 2.0 (VADER has none for it), and `miss` taken out.
fn overrides() -> Overrides {
    Overrides::new(vec![("quiet".into(), Some(2.0)), ("miss".into(), None)])
}

/// A contribution as (word, lexicon valence, modifiers, effective valence).
type Row<'t> = (&'t str, f64, Vec<String>, f64);

/// `text` analysed with `adjust`, whole and in pieces of every size (which must agree), as (word, lexicon
/// valence, modifiers, effective valence), and the compound.
fn scored<'t>(text: &'t str, adjust: Adjust<'_>) -> (Vec<Row<'t>>, f64) {
    let whole = analyze_with(text, adjust);
    for piece_bytes in [1, 3, 7, 64] {
        let mut found = Vec::new();
        let scores = analyze_pieces_of(text, piece_bytes, adjust, |c, _| {
            found.extend(c);
            Ok::<(), ()>(())
        });
        assert_eq!(
            Analysis { scores: scores.unwrap(), contributions: found },
            whole,
            "{text} in pieces of {piece_bytes}"
        );
    }
    assert_eq!(polarity_scores_with(text, adjust), whole.scores, "{text}");
    let rows = whole
        .contributions
        .iter()
        .map(|c| {
            let modifiers = c.modifiers.iter().map(ToString::to_string).collect();
            (&text[c.start..c.end], c.lexicon_valence, modifiers, c.effective_valence)
        })
        .collect();
    (rows, whole.scores.compound)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn an_overridden_word_is_negated_boosted_capitalised_and_weighed_after_but() {
    let o = overrides();
    let adjust = Adjust { overrides: Some(&o), neutral: &[] };
    assert_ne!(lexicon_valence("quiet"), Some(2.0), "the test needs a valence VADER does not give");
    // Negation: 2.0 × N_SCALAR (−0.74).
    let (rows, c) = scored("It was not quiet", adjust);
    assert_eq!(rows, [("quiet", 2.0, strings(&["negated:not"]), 2.0 * N_SCALAR)]);
    assert_eq!(c, compound(-1.48));
    // After "but": × 1.5.
    let (rows, c) = scored("x but quiet", adjust);
    assert_eq!(rows, [("quiet", 2.0, strings(&["after_but"]), 3.0)]);
    assert_eq!(c, compound(3.0));
    // Before "but": × 0.5, after the negation.
    let (rows, _) = scored("not quiet but fine", adjust);
    assert_eq!(rows[0], ("quiet", 2.0, strings(&["negated:not", "before_but"]), 2.0 * N_SCALAR * 0.5));
    // A booster (very: +0.293) and capitals among lower-case words (+0.733).
    let (rows, _) = scored("it is very QUIET here", adjust);
    assert_eq!(rows, [("QUIET", 2.0, strings(&["caps", "booster:very"]), 2.0 + C_INCR + 0.293)]);
    // Exclamation marks amplify the sum as for any word: 2.0 + 0.292 × 2.
    assert_eq!(scored("quiet!!", adjust).1, compound(2.0 + 0.292 * 2.0));
}

#[test]
fn a_word_taken_out_counts_as_a_word_outside_the_lexicon() {
    let o = overrides();
    let adjust = Adjust { overrides: Some(&o), neutral: &[] };
    assert_eq!(polarity_scores("I miss her").compound, compound(-0.6));
    let (rows, c) = scored("I miss her", adjust);
    assert_eq!((rows, c), (vec![], 0.0));
    // Still a word: "good" keeps its 1.9 among four words (neutral share 3 of 4.9).
    let s = polarity_scores_with("I miss good her", adjust);
    assert_eq!((s.compound, s.neutral), (compound(1.9), py_round(3.0 / 5.9, 3)));
    // Other words are untouched.
    assert_eq!(polarity_scores_with("It is not good", adjust), polarity_scores("It is not good"));
}

#[test]
fn a_neutral_word_reports_its_valence_and_why_and_contributes_nothing() {
    let title = [Neutral { start: 0, end: 4, why: NameWord::Title }];
    let (rows, c) = scored("Miss Emily asked.", Adjust { overrides: None, neutral: &title });
    assert_eq!((rows, c), (vec![("Miss", -0.6, strings(&["title"]), 0.0)], 0.0));
    // The span may lie inside VADER's word (`“Hope`, which VADER does not strip), and offsets are the caller's
    // through folded apostrophes: only the word whose span holds it is neutral.
    let text = "It’s not Hope Street, hope.";
    let at = text.find("Hope").unwrap();
    let name = [Neutral { start: at, end: at + 4, why: NameWord::Name }];
    let (rows, c) = scored(text, Adjust { overrides: None, neutral: &name });
    assert_eq!(rows[0], ("Hope", 1.9, strings(&["name"]), 0.0));
    // The last "hope" is still negated by "not", three words back (VADER's reach), as without the preset.
    assert_eq!(rows[1], ("hope", 1.9, strings(&["negated:not"]), 1.9 * N_SCALAR));
    assert_eq!(c, compound(1.9 * N_SCALAR));
}
