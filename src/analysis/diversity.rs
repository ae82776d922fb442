//! The lexical-diversity battery of `documents.csv` beside TTR and MATTR: MTLD, HD-D and Yule's K. Each needs one
//! text's words (MTLD their order too), so a group's row leaves them empty, as it does MATTR.
//!
//! ```
//! use marginalia::analysis::diversity::yules_k;
//! // "a a b": Σ f² = 4 + 1 = 5, N = 3 → 10⁴ × (5 − 3) / 9.
//! assert_eq!(yules_k([2, 1].into_iter(), 3), Some(10_000.0 * 2.0 / 9.0));
//! ```

/// MTLD's factor threshold (McCarthy & Jarvis 2010).
pub const MTLD_THRESHOLD: f64 = 0.72;

/// HD-D's sample size, in tokens (McCarthy & Jarvis 2007).
pub const HDD_SAMPLE: usize = 42;

/// Measure of textual lexical diversity (McCarthy & Jarvis 2010) of `n` words whose `i`th has form `form(i)`, of
/// `forms` distinct forms at most: the mean length of the runs of words whose type-token ratio stays above
/// `threshold`, the mean of a forward and a backward pass. A run cut short by the text's end counts as the fraction
/// (1 − its TTR) / (1 − threshold) of a run. A text in which no word repeats has no run to cut: it counts as one,
/// so MTLD is its length (as `lexicalrichness` gives it; the formula would divide by zero). `None` with no words.
pub fn mtld(n: usize, forms: usize, form: impl Fn(usize) -> usize, threshold: f64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let forward = n as f64 / factors(n, forms, &form, threshold);
    let backward = n as f64 / factors(n, forms, |i| form(n - 1 - i), threshold);
    Some((forward + backward) / 2.0)
}

/// The factors of one MTLD pass (at least one).
fn factors(n: usize, forms: usize, form: impl Fn(usize) -> usize, threshold: f64) -> f64 {
    // A form's last run, by number: a run's types are counted without a set to clear at each cut.
    let mut run_of = vec![0u32; forms];
    let (mut run, mut len, mut types, mut ttr, mut factors) = (1u32, 0usize, 0usize, 1.0, 0.0);
    for i in 0..n {
        let f = form(i);
        len += 1;
        if run_of[f] != run {
            run_of[f] = run;
            types += 1;
        }
        ttr = types as f64 / len as f64;
        if ttr <= threshold {
            factors += 1.0;
            (run, len, types) = (run + 1, 0, 0);
        }
    }
    if len > 0 {
        factors += (1.0 - ttr) / (1.0 - threshold);
    }
    if factors > 0.0 { factors } else { 1.0 }
}

/// HD-D (McCarthy & Jarvis 2007) of a text of `n` words whose types occur `counts` times: for each type, the
/// hypergeometric probability that a random sample of `sample` of the words (drawn without replacement) holds it
/// at least once, divided by `sample` and summed. Times `sample`, it is the expected number of types in the sample.
/// `None` when the text is shorter than the sample.
pub fn hdd(counts: impl Iterator<Item = u32>, n: usize, sample: usize) -> Option<f64> {
    if sample == 0 || n < sample {
        return None;
    }
    // Most types share their count with many others (half are hapaxes): each count's term is worked out once.
    let mut known: Vec<Option<f64>> = vec![None; n.min(HDD_KNOWN_COUNTS) + 1];
    let total: f64 = counts
        .map(|f| match known.get_mut(f as usize) {
            Some(Some(term)) => *term,
            Some(slot) => *slot.insert(hdd_term(f, n, sample)),
            None => hdd_term(f, n, sample),
        })
        .sum();
    Some(total / sample as f64)
}

/// Counts below which [`hdd`] remembers each count's term.
const HDD_KNOWN_COUNTS: usize = 1024;

/// A type's term of [`hdd`]'s sum: the probability that a sample holds at least one of its `f` occurrences.
fn hdd_term(f: u32, n: usize, sample: usize) -> f64 {
    // P(none of the f drawn) = C(n − f, sample) / C(n, sample) = Π (n − f − i) / (n − i), i < sample.
    let rest = n.saturating_sub(f as usize);
    let absent = if rest < sample { 0.0 } else { (0..sample).map(|i| (rest - i) as f64 / (n - i) as f64).product() };
    1.0 - absent
}

/// Yule's K (Yule 1944) of a text of `n` words whose types occur `counts` times: 10⁴ × (Σ m² V_m − N) / N², where
/// V_m types occur m times (so Σ m² V_m is the sum of each type's count squared). `None` with no words.
pub fn yules_k(counts: impl Iterator<Item = u32>, n: usize) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let squares: u128 = counts.map(|f| u128::from(f) * u128::from(f)).sum();
    let n2 = (n as f64) * (n as f64);
    Some(10_000.0 * (squares as f64 - n as f64) / n2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms of `words` by first appearance, and their counts.
    fn forms(words: &[&str]) -> (Vec<usize>, Vec<u32>) {
        let mut seen: Vec<&str> = Vec::new();
        let mut counts = Vec::new();
        let ids = words
            .iter()
            .map(|w| match seen.iter().position(|s| s == w) {
                Some(i) => {
                    counts[i] += 1;
                    i
                }
                None => {
                    seen.push(w);
                    counts.push(1);
                    seen.len() - 1
                }
            })
            .collect();
        (ids, counts)
    }

    fn all(words: &[&str]) -> (Option<f64>, Option<f64>, Option<f64>) {
        let (ids, counts) = forms(words);
        let n = words.len();
        (
            mtld(n, counts.len(), |i| ids[i], MTLD_THRESHOLD),
            hdd(counts.iter().copied(), n, HDD_SAMPLE),
            yules_k(counts.iter().copied(), n),
        )
    }

    #[test]
    fn mtld_by_hand() {
        // Forward: a(1) b(1) a(2/3 ≤ .72 → factor) | b c d: TTR 1 → partial 0 → 1 factor: 6/1 = 6.
        // Backward: d c b a(1) b(4/5=.8) a(4/6=.667 → factor) → 6/1 = 6.
        let (ids, counts) = forms(&["a", "b", "a", "b", "c", "d"]);
        assert_eq!(mtld(6, counts.len(), |i| ids[i], MTLD_THRESHOLD), Some(6.0));
        // Forward "a a b": a(1) a(1/2 → factor) | b (TTR 1, partial 0) → 3/1; backward "b a a": b a a(2/3 → factor) →
        // 3/1. Both 3.
        let (ids, counts) = forms(&["a", "a", "b"]);
        assert_eq!(mtld(3, counts.len(), |i| ids[i], MTLD_THRESHOLD), Some(3.0));
        // "a b c a": forward TTR 3/4 = .75 at the end: partial .25/.28 → 4/(.25/.28) = 4.48 both ways.
        let (ids, counts) = forms(&["a", "b", "c", "a"]);
        let expected = 4.0 / (0.25 / 0.28);
        assert!((mtld(4, counts.len(), |i| ids[i], MTLD_THRESHOLD).unwrap_or(0.0) - expected).abs() < 1e-12);
        // No repeat: one factor, MTLD = length.
        assert_eq!(all(&["a", "b", "c"]).0, Some(3.0));
        assert_eq!(all(&[]), (None, None, None));
    }

    #[test]
    fn hdd_by_hand() {
        // 2 words, sample 1: each type is drawn with probability 1/2 → (1/2 + 1/2) / 1 = 1.
        assert_eq!(hdd([1, 1].into_iter(), 2, 1), Some(1.0));
        // "a a b", sample 2: P(no b) = C(2,2)/C(3,2) = 1/3, P(no a) = 0 → (1 + 2/3) / 2.
        assert_eq!(hdd([2, 1].into_iter(), 3, 2).map(|x| (x * 1e12).round()), Some((5.0 / 6.0 * 1e12_f64).round()));
        assert_eq!(hdd([1; 41].into_iter(), 41, HDD_SAMPLE), None);
        // 42 distinct words: the sample is the text, every type in it → 42/42.
        assert_eq!(hdd([1; 42].into_iter(), 42, HDD_SAMPLE), Some(1.0));
    }

    proptest::proptest! {
        #[test]
        fn hdd_remembering_each_counts_term_sums_the_same_bits(
            counts in proptest::collection::vec(proptest::sample::select(vec![1u32, 1, 2, 3, 7, 40, 1023, 1024, 1025, 5000]), 1..300),
            extra in 0usize..3000,
        ) {
            let n = counts.iter().map(|&c| c as usize).sum::<usize>() + extra;
            let each_anew: f64 = counts.iter().map(|&f| hdd_term(f, n, HDD_SAMPLE)).sum();
            let expected = (n >= HDD_SAMPLE).then(|| each_anew / HDD_SAMPLE as f64);
            proptest::prop_assert_eq!(hdd(counts.iter().copied(), n, HDD_SAMPLE).map(f64::to_bits), expected.map(f64::to_bits));
        }
    }

    // lexicalrichness 0.5.1 on these 44 tokens (a fixture written for this test), produced once with
    //   /tmp/rv/bin/python tools/reference_figures.py texts/never-let-me-go-review.txt fixture-tokens.txt
    // (fixture-tokens.txt: FIXTURE, one a line): mtld(threshold=0.72), hdd(draws=42), yulek.
    const FIXTURE: &str = "the house by the sea was quiet we walked to the sea and back to the house and the sea was \
        grey nobody spoke of the house or of the sea again we only walked and we remembered what we could of the summer";

    #[test]
    fn the_fixture_equals_lexicalrichness() {
        let words: Vec<&str> = FIXTURE.split_whitespace().collect();
        assert_eq!(words.len(), 44);
        let (mtld, hdd, k) = all(&words);
        let close = |ours: Option<f64>, theirs: f64| assert!(ours.is_some_and(|x| (x - theirs).abs() < 1e-9));
        close(mtld, 18.097560975609756);
        close(hdd, 0.5096647538508001);
        close(k, 537.1900826446281);
    }
}
