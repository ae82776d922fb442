//! The word index of a normalised source, built once per run: one entry per word, keyed by a hash of that word
//! and the two after it (a word 3-gram), sorted. The key keeps each word's hash in its own bits (22, 21 and 21),
//! so the entries that start with one word, or with two, are a range too: a scare quote's occurrences are counted
//! from the same index that finds a passage's candidates.

use std::hash::Hasher;

use rayon::slice::ParallelSliceMut;

use super::normalise::words;

/// The sorted entries: a word 3-gram's key and where its first word starts in the normalised text.
#[derive(Debug, Clone, Default)]
pub struct Index {
    entries: Vec<(u64, u32)>,
}

/// Bits of the key given to the first, second and third word.
const BITS: [u32; 3] = [22, 21, 21];

fn word_hash(word: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(word.as_bytes());
    // Never 0, which stands for no word (past the text's end).
    hasher.finish() | 1
}

/// The key of `words` (up to three; absent ones are 0), and the mask of the bits they fill.
fn key(words: &[&str]) -> (u64, u64) {
    let (mut key, mut mask, mut shift) = (0u64, 0u64, 64);
    for (i, bits) in BITS.iter().enumerate() {
        shift -= bits;
        let part = (1u64 << bits) - 1;
        if let Some(word) = words.get(i) {
            key |= (word_hash(word) & part) << shift;
            mask |= part << shift;
        }
    }
    (key, mask)
}

impl Index {
    /// The index of the normalised text `text` (at most `u32::MAX` bytes).
    pub fn of(text: &str) -> Index {
        // Counted first: a vector grown by doubling would, for a 200 MB source, hold twice its 600 MB at once.
        let mut entries = Vec::with_capacity(words(text).count());
        let mut window: [(usize, &str); 3] = [(0, ""); 3];
        let mut seen = 0usize;
        for (start, end) in words(text) {
            window = [window[1], window[2], (start, &text[start..end])];
            seen += 1;
            if seen >= 3 {
                entries.push((key(&[window[0].1, window[1].1, window[2].1]).0, window[0].0 as u32));
            }
        }
        // The last two words start 3-grams cut short by the text's end.
        let tail = &window[3 - seen.min(2)..];
        for i in 0..tail.len() {
            let rest: Vec<&str> = tail[i..].iter().map(|w| w.1).collect();
            entries.push((key(&rest).0, tail[i].0 as u32));
        }
        entries.par_sort_unstable();
        entries.shrink_to_fit();
        Index { entries }
    }

    /// Where the words starting with `words` (one to three normalised words; more are ignored) may start in the
    /// normalised text, in text order within a key. A hash may collide: the caller checks each.
    pub fn starting<'i>(&'i self, words: &[&str]) -> impl ExactSizeIterator<Item = usize> + use<'i> {
        let (key, mask) = key(&words[..words.len().min(3)]);
        let from = self.entries.partition_point(|e| e.0 < key);
        let to = from + self.entries[from..].partition_point(|e| e.0 & mask == key);
        self.entries[from..to].iter().map(|e| e.1 as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_two_or_three_words_find_where_they_start() {
        let text = "it is a truth it is a lie it is";
        let index = Index::of(text);
        let at = |words: &[&str]| {
            let mut found: Vec<usize> = index.starting(words).collect();
            found.sort();
            found
        };
        assert_eq!(at(&["it", "is", "a"]), [0, 14]);
        assert_eq!(at(&["it", "is"]), [0, 14, 26]);
        assert_eq!(at(&["lie"]), [22]);
        assert_eq!(at(&["is"]), [3, 17, 29]);
        assert!(at(&["truth", "it", "was"]).is_empty());
        assert!(Index::of("").starting(&["a"]).next().is_none());
        assert_eq!(Index::of("one").starting(&["one"]).collect::<Vec<_>>(), [0]);
    }
}
