//! The word alignment behind a `fuzzy` match: the run of source words nearest a quotation by edit distance over
//! words, where changing, adding or dropping a word costs 1, and so does swapping two neighbours ("In vain have I
//! struggled" for "In vain I have struggled" is one edit). The quotation is aligned whole, the source only in part
//! (semi-global alignment: the run may start and end anywhere), as Sellers's approximate matching does with
//! letters; swaps make it the optimal string alignment distance (restricted Damerau–Levenshtein).

/// The best run of source words for a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alignment {
    /// The first source word of the run.
    pub start: usize,
    /// One past its last.
    pub end: usize,
    /// The edits between the quotation and the run.
    pub distance: usize,
}

impl Alignment {
    /// 1 − distance / the longer of the quotation (`quote_words`) and the run, in words: 1 for the same words.
    pub fn similarity(&self, quote_words: usize) -> f64 {
        let longer = quote_words.max(self.end - self.start).max(1);
        1.0 - self.distance.min(longer) as f64 / longer as f64
    }
}

/// The run of `source` nearest `quote` (the fewest edits; of runs as near, the most similar, then the first), or
/// `None` when either is empty. Takes `quote.len() × source.len()` steps and as many cells.
pub fn align(quote: &[&str], source: &[&str]) -> Option<Alignment> {
    let (n, m) = (quote.len(), source.len());
    if n == 0 || m == 0 {
        return None;
    }
    let width = m + 1;
    // d[i * width + j]: edits between the first i quotation words and a run of source words ending at j.
    let mut d = vec![0u32; (n + 1) * width];
    for i in 1..=n {
        d[i * width] = i as u32;
        for j in 1..=m {
            let substitution = d[(i - 1) * width + j - 1] + u32::from(quote[i - 1] != source[j - 1]);
            let mut best = substitution.min(d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1);
            if i > 1 && j > 1 && quote[i - 1] == source[j - 2] && quote[i - 2] == source[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    let last = &d[n * width..];
    let distance = (1..=m).map(|j| last[j]).min()?;
    // Of the runs as near, the most similar (the longest, when the quotation has more words), the first of those.
    let runs = (1..=m).filter(|&j| last[j] == distance).map(|end| {
        let start = start_of(&d, width, quote, source, end);
        Alignment { start, end, distance: distance as usize }
    });
    runs.fold(None, |best: Option<Alignment>, run| match best {
        Some(b) if b.similarity(n) >= run.similarity(n) => Some(b),
        _ => Some(run),
    })
}

/// Where the run ending at `end` starts: back from (quotation's end, `end`) to row 0 of the table `d`,
/// preferring a match or change, so the run is as short as it can be.
fn start_of(d: &[u32], width: usize, quote: &[&str], source: &[&str], end: usize) -> usize {
    let (mut i, mut j) = (quote.len(), end);
    while i > 0 {
        let here = d[i * width + j];
        if j > 0 && d[(i - 1) * width + j - 1] + u32::from(quote[i - 1] != source[j - 1]) == here {
            (i, j) = (i - 1, j - 1);
        } else if i > 1
            && j > 1
            && quote[i - 1] == source[j - 2]
            && quote[i - 2] == source[j - 1]
            && d[(i - 2) * width + j - 2] + 1 == here
        {
            (i, j) = (i - 2, j - 2);
        } else if d[(i - 1) * width + j] + 1 == here {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        text.split(' ').collect()
    }

    fn aligned(quote: &str, source: &str) -> Alignment {
        align(&words(quote), &words(source)).unwrap()
    }

    #[test]
    fn a_word_moved_changed_or_dropped_is_one_edit() {
        let source = "he said in vain i have struggled it will not do";
        // Two neighbours swapped: one edit, the run `in vain i have struggled` (words 2..7).
        let moved = aligned("in vain have i struggled", source);
        assert_eq!(moved, Alignment { start: 2, end: 7, distance: 1 });
        assert!((moved.similarity(5) - 0.8).abs() < 1e-9);
        assert_eq!(aligned("in vain i had struggled", source), Alignment { start: 2, end: 7, distance: 1 });
        assert_eq!(aligned("in vain i struggled", source), Alignment { start: 2, end: 7, distance: 1 });
        assert_eq!(aligned("it will not do", source), Alignment { start: 7, end: 11, distance: 0 });
        assert!(align(&[], &words(source)).is_none());
    }

    #[test]
    fn the_distance_is_levenshtein_over_words_when_the_quotation_spans_the_source() {
        // kitten → sitting, a word a letter: 3 edits (two changes, one added).
        let quote: Vec<&str> = "k i t t e n".split(' ').collect();
        let source: Vec<&str> = "s i t t i n g".split(' ').collect();
        let found = align(&quote, &source).unwrap();
        // Aligned freely in the source, `i t t i n` is 2 edits from `k i t t e n`, and shorter.
        assert_eq!(found.distance, 2);
        assert_eq!((found.start, found.end), (0, 6));
        // A quotation that shares nothing is as many edits as it has words.
        assert_eq!(aligned("x y z", "a b c d").distance, 3);
    }
}
