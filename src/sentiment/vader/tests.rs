use super::lexicons::{B_DECR, B_INCR, NEGATE, lexicons};
use super::py::{py_round, py_round_exact};
use super::rules::{C_INCR, N_SCALAR, valences};
use super::tokens::{Words, prepare};
use super::*;

const SAMPLE_CSV: &str = include_str!("../../../tests/data/vader_sample.csv");
const PROBES_CSV: &str = include_str!("../../../tests/data/vader_probes.csv");

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
                scores: Scores { compound: number(1), positive: number(2), neutral: number(3), negative: number(4) },
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
    let expected = vec![("good", 1.9 * 0.5, strings(&["before_but"])), ("bad", -2.5 * 1.5, strings(&["after_but"]))];
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
    let expected = vec![("no", 0.0, strings(&["no_as_negator"])), ("good", 1.9 * N_SCALAR, strings(&["negated:no"]))];
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
        let words = Words::new(&prepared, super::Adjust::default());
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

/// Analyses `text`, asserting that it scores as [`polarity_scores`] does and that every contribution's span is a
/// slice of it.
fn analyze_consistently(text: &str) -> Analysis {
    let analysis = analyze(text);
    assert_eq!(analysis.scores, polarity_scores(text), "{text:?}");
    for c in &analysis.contributions {
        assert!(text.get(c.start..c.end).is_some(), "{text:?} {c:?}");
    }
    analysis
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
        let s = analyze_consistently(text).scores;
        for score in [s.compound, s.positive, s.neutral, s.negative] {
            assert!(score.is_finite() && (-1.0..=1.0).contains(&score));
        }
    }
    assert_eq!(polarity_scores(""), Scores::default());
    assert_eq!(polarity_scores("!!!!").neutral, 1.0);
}

/// Words and characters that exercise every path, for [`random_text`] to glue together.
#[rustfmt::skip]
const PIECES: [&str; 44] = [
    "good", "BAD", "not", "no", "but", "kind", "of", "least", "at", "very", "so", "never", "this",
    "without", "doubt", "the", "shit", "isn’t", "it's", ":)", ":’(",
    "!", "?", ".", ",", "\"", "“", " ", "  ", "\n", "\u{1c}", "\u{a0}",
    "😁", "❤️", "\u{1f3fd}", "\u{200d}", "©", "🔛", "é", "\u{301}", "Σ", "ǅ", "\u{212a}", "İ",
];

/// A xorshift generator, so that every run tries the same texts.
struct XorShift(u64);

impl XorShift {
    /// The next number below `bound`.
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

/// Up to 29 [`PIECES`] and arbitrary characters (one in four), glued at random.
fn random_text(rng: &mut XorShift) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(30) {
        match rng.below(4) {
            0 => text.extend(char::from_u32(rng.below(0x11_0000) as u32)),
            _ => text.push_str(PIECES[rng.below(PIECES.len())]),
        }
    }
    text
}

#[test]
fn random_text_does_not_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5_000 {
        analyze_consistently(&random_text(&mut rng));
    }
}

/// `text` scored in pieces of about `piece_bytes`, checking what [`analyze_in_pieces`] promises of the pieces:
/// ends in order, the last at the text's end, each piece's contributions starting after the previous end and
/// before its own.
fn in_pieces(text: &str, piece_bytes: usize) -> Analysis {
    let mut contributions = Vec::new();
    let mut last_end = 0;
    let scores = analyze_pieces_of(text, piece_bytes, super::Adjust::default(), |found, end| {
        assert!(end >= last_end && end <= text.len(), "{text:?}: piece ends at {end} after {last_end}");
        for c in &found {
            assert!(c.start >= last_end && c.start < end, "{text:?} ({piece_bytes}): {c:?} outside {last_end}..{end}");
        }
        last_end = end;
        contributions.extend(found);
        Ok::<(), ()>(())
    });
    assert!(text.is_empty() || last_end == text.len(), "{text:?}: the last piece ends at {last_end}");
    Analysis { scores: scores.unwrap(), contributions }
}

/// Asserts that `text` scored in pieces of every size gives what it gives whole.
fn assert_pieces_match_whole(text: &str) {
    let whole = analyze_whole(text, super::Adjust::default());
    for piece_bytes in [1, 2, 3, 7, 16, 64, 1000] {
        assert_eq!(in_pieces(text, piece_bytes), whole, "{text:?} in pieces of {piece_bytes}");
    }
}

#[test]
fn a_text_scored_in_pieces_scores_as_it_does_whole() {
    for reference in all_references() {
        assert_pieces_match_whole(&reference.text);
    }
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    for _ in 0..3_000 {
        assert_pieces_match_whole(&random_text(&mut rng));
    }
    // Long texts with many "but"s, equal values and capitals, where the rule's quirk reaches back over pieces.
    for _ in 0..30 {
        let text: Vec<String> = (0..100).map(|_| random_text(&mut rng)).collect();
        assert_pieces_match_whole(&text.join(" "));
    }
    // fine 0.8 is halved before "but"; yoyo's 0.4 then rescales the first word holding 0.4, pieces before.
    let quirk = format!("fine {} but {} yoyo fine", "x ".repeat(50), "y ".repeat(50));
    assert_pieces_match_whole(&quirk);
    // After the "but", acquitted 1.0 becomes 1.5; admires 1.5 then rescales it again, not itself.
    let chain = format!("{} but acquitted {} admires", "z ".repeat(40), "w ".repeat(40));
    let found = contributions(&chain);
    assert_eq!(found[0], ("acquitted", 2.25, strings(&["after_but", "after_but"])));
    assert_eq!(found[1], ("admires", 1.5, strings(&[])));
    assert_pieces_match_whole(&chain);
}

#[test]
fn a_text_longer_than_a_piece_is_analysed_in_pieces_with_the_same_result() {
    let review = include_str!("../../../texts/never-let-me-go-review.txt").replace(['.', '\n'], " ");
    let text = format!("{} but {}", review.repeat(20), review.repeat(20));
    assert!(text.len() > 2 * PIECE_BYTES);
    let whole = analyze_whole(&text, super::Adjust::default());
    assert!(whole.contributions.iter().any(|c| c.modifiers.contains(&Modifier::AfterBut)));
    assert_eq!(analyze(&text), whole);
    assert_eq!(polarity_scores(&text), whole.scores);
    // Each piece hands over at most the contributions of about a piece of text.
    let mut most = 0;
    let scores = analyze_in_pieces(&text, |found, _| {
        most = most.max(found.len());
        Ok::<(), ()>(())
    });
    assert_eq!(scores, Ok(whole.scores));
    assert!(most > 0 && most < PIECE_BYTES / 4, "{most} contributions in a piece");
    // An error from the caller ends the scoring.
    let mut calls = 0;
    let stopped = analyze_in_pieces(&text, |_, _| {
        calls += 1;
        Err("disk full")
    });
    assert_eq!((stopped, calls), (Err("disk full"), 1));
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
