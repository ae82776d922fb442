//! `similarity.csv`: how alike each pair of documents is in its most frequent words, as stylometry measures it.
//!
//! The words are normalised word forms (`ishiguro's`, not the stem `ishiguro`), as R's `stylo` counts words; the
//! most frequent words (MFW) are the `--mfw` forms most frequent in the documents compared, by count (ties
//! alphabetically). A document's relative frequency of a word is its count over the document's words. Then, for
//! documents a and b, over the n MFW (`stylo`'s `dist.cosine`, `dist.delta` and `dist.eder`):
//! - `cosine`: Σ fₐ·f_b / (√Σ fₐ² · √Σ f_b²) of the relative frequencies (`stylo` gives 1 − this as a distance);
//! - `burrows_delta`: (1/n) Σ |zₐ − z_b| (Burrows 2002), where z = (f − mean) / sd, the mean and the sample
//!   standard deviation (n − 1 in the denominator, as R's `scale`) of the word's relative frequencies over the
//!   documents compared;
//! - `eder_delta`: Σ |zₐ − z_b| · (n − i + 2) / n for the word of rank i (Eder 2015), as `dist.eder` computes it:
//!   weights from (n + 1)/n for the most frequent word down to 2/n, and, unlike Burrows's Delta, not divided by n.
//!
//! A word whose relative frequency is the same in every document has no z-score; as R's `dist` does with such a
//! column, it is left out and the sum scaled up by n / (words used). A pair with no varying word has Deltas of 0;
//! a document with none of the MFW has a cosine of 0.

use rustc_hash::FxHashMap;

use crate::report::schema::{SimilarityRow, round4};

use super::DocumentCounts;
use super::clustering::{Dendrogram, ward};

/// The most frequent words compared unless `--mfw` says otherwise: the classic setting.
pub const DEFAULT_MFW: usize = 100;

/// The word counts of the documents compared, gathered in input order.
#[derive(Debug)]
pub struct Similarity {
    mfw: usize,
    limit: usize,
    /// Documents added, those past `limit` included.
    seen: usize,
    words: FxHashMap<Box<str>, u32>,
    /// Per word id: its count over the documents compared.
    counts: Vec<u64>,
    names: Vec<Box<str>>,
    documents: Vec<Compared>,
}

/// One document compared: its id, its words and its (word id, count) pairs.
#[derive(Debug)]
struct Compared {
    document: String,
    tokens: u64,
    counts: Vec<(u32, u64)>,
}

impl Similarity {
    /// Compares the first `limit` documents added over their `mfw` most frequent words.
    pub fn new(mfw: usize, limit: usize) -> Self {
        Similarity {
            mfw,
            limit,
            seen: 0,
            words: FxHashMap::default(),
            counts: Vec::new(),
            names: Vec::new(),
            documents: Vec::new(),
        }
    }

    /// Adds a document's word counts, if it is one of the first `limit`.
    pub fn add(&mut self, counts: &DocumentCounts) {
        self.seen += 1;
        if self.documents.len() >= self.limit {
            return;
        }
        let mut pairs = Vec::with_capacity(counts.forms.len());
        for (norm, _, count, _) in &counts.forms {
            let next = self.names.len() as u32;
            let id = *self.words.entry(norm.clone()).or_insert(next);
            if id == next {
                self.names.push(norm.clone());
                self.counts.push(0);
            }
            self.counts[id as usize] += u64::from(*count);
            pairs.push((id, u64::from(*count)));
        }
        self.documents.push(Compared {
            document: counts.document.clone(),
            tokens: counts.tokens as u64,
            counts: pairs,
        });
    }

    /// Documents added beyond those compared.
    pub fn left_out(&self) -> usize {
        self.seen - self.documents.len()
    }

    /// How many documents are compared.
    pub fn compared(&self) -> usize {
        self.documents.len()
    }

    /// The most frequent words: ids by count, most frequent first, ties alphabetically.
    fn most_frequent(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.names.len() as u32).collect();
        let (count, name) = (|w: u32| self.counts[w as usize], |w: u32| &self.names[w as usize]);
        ids.sort_unstable_by(|&a, &b| count(b).cmp(&count(a)).then_with(|| name(a).cmp(name(b))));
        ids.truncate(self.mfw);
        ids
    }

    /// The rows: for each pair of documents compared, in input order, `cosine`, `burrows_delta`, `eder_delta`.
    /// None with fewer than two documents.
    pub fn rows(&self) -> Vec<SimilarityRow> {
        if self.documents.len() < 2 {
            return Vec::new();
        }
        let (freqs, z) = self.profiles();
        let mut rows = Vec::new();
        for a in 0..freqs.len() {
            for b in a + 1..freqs.len() {
                let (delta, eder) = deltas(&z[a], &z[b]);
                let pair = [("cosine", cosine(&freqs[a], &freqs[b])), ("burrows_delta", delta), ("eder_delta", eder)];
                rows.extend(pair.into_iter().map(|(measure, value)| SimilarityRow {
                    document_a: self.documents[a].document.clone(),
                    document_b: self.documents[b].document.clone(),
                    measure: measure.to_string(),
                    value: round4(value),
                }));
            }
        }
        rows
    }

    /// Each document's relative frequencies of the MFW (one column per word, in rank order) and their z-scores.
    fn profiles(&self) -> (Vec<Vec<f64>>, Vec<Vec<Option<f64>>>) {
        let mfw = self.most_frequent();
        let column: FxHashMap<u32, usize> = mfw.iter().enumerate().map(|(i, &w)| (w, i)).collect();
        let freqs: Vec<Vec<f64>> = self.documents.iter().map(|d| d.frequencies(&column, mfw.len())).collect();
        let z = z_scores(&freqs, mfw.len());
        (freqs, z)
    }

    /// The cluster analysis `stylo` draws: Ward's method (`ward.D`) on the Burrows's Deltas of the documents
    /// compared, unrounded. None with fewer than two documents.
    pub fn dendrogram(&self) -> Option<Dendrogram> {
        if self.documents.len() < 2 {
            return None;
        }
        let (_, z) = self.profiles();
        let delta: Vec<Vec<f64>> = z.iter().map(|a| z.iter().map(|b| deltas(a, b).0).collect()).collect();
        let labels = self.documents.iter().map(|d| d.document.clone()).collect();
        Some(Dendrogram { labels, tree: ward(&delta) })
    }
}

impl Compared {
    /// The document's relative frequency of each word of `column` (word id → column).
    fn frequencies(&self, column: &FxHashMap<u32, usize>, words: usize) -> Vec<f64> {
        let mut row = vec![0.0; words];
        if self.tokens > 0 {
            for (id, count) in &self.counts {
                if let Some(&i) = column.get(id) {
                    row[i] = *count as f64 / self.tokens as f64;
                }
            }
        }
        row
    }
}

/// Each document's z-scores (`None` for a word of the same frequency in every document): (f − mean) / sd, the
/// sample standard deviation over the documents, as R's `scale`.
fn z_scores(freqs: &[Vec<f64>], words: usize) -> Vec<Vec<Option<f64>>> {
    let n = freqs.len() as f64;
    let mut z = vec![vec![None; words]; freqs.len()];
    for w in 0..words {
        let mean = freqs.iter().map(|f| f[w]).sum::<f64>() / n;
        let sd = (freqs.iter().map(|f| (f[w] - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        if sd > 0.0 {
            for (d, f) in freqs.iter().enumerate() {
                z[d][w] = Some((f[w] - mean) / sd);
            }
        }
    }
    z
}

/// Burrows's and Eder's Delta between two documents' z-scores (MFW in rank order). A word without z-scores is
/// left out and the sums scaled up by n / (words used), as R's `dist` treats a column of NaN.
fn deltas(a: &[Option<f64>], b: &[Option<f64>]) -> (f64, f64) {
    let n = a.len() as f64;
    let (mut plain, mut weighted, mut used) = (0.0, 0.0, 0usize);
    for (i, (za, zb)) in a.iter().zip(b).enumerate() {
        if let (Some(za), Some(zb)) = (za, zb) {
            let d = (za - zb).abs();
            plain += d;
            // stylo's weight (1 + n:1) / n: n + 1 for rank 1 (i = 0), down to 2 for rank n.
            weighted += d * (n + 1.0 - i as f64) / n;
            used += 1;
        }
    }
    if used == 0 {
        return (0.0, 0.0);
    }
    let scale = n / used as f64;
    (plain * scale / n, weighted * scale)
}

/// The cosine of two frequency vectors; 0 if either is all zeros.
fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let (na, nb) = (norm(a), norm(b));
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::text::Pipeline;

    fn similarity(texts: &[(&str, &str)], mfw: usize, limit: usize) -> Similarity {
        let pipeline = Pipeline::default();
        let mut similarity = Similarity::new(mfw, limit);
        for (id, text) in texts {
            similarity.add(&DocumentCounts::of(&pipeline.document(Source::from_text(*id, *text)), None));
        }
        similarity
    }

    #[test]
    fn the_most_frequent_words_are_cut_by_count_then_alphabetically() {
        let s = similarity(&[("a", "b b a c d"), ("b", "c d e")], 3, 10);
        let names: Vec<&str> = s.most_frequent().iter().map(|&w| &*s.names[w as usize]).collect();
        assert_eq!(names, ["b", "c", "d"]);
    }

    #[test]
    fn documents_past_the_limit_are_counted_not_compared() {
        let s = similarity(&[("a", "one two"), ("b", "two three"), ("c", "three four")], 100, 2);
        assert_eq!((s.compared(), s.left_out()), (2, 1));
        let rows = s.rows();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| (r.document_a.as_str(), r.document_b.as_str()) == ("a", "b")));
        // Words seen only past the limit are not among the MFW.
        assert!(!s.words.contains_key("four"));
    }

    #[test]
    fn identical_documents_are_at_distance_zero_and_one_document_has_no_pairs() {
        let s = similarity(&[("a", "the cat sat"), ("b", "the cat sat")], 100, 100);
        let rows = s.rows();
        let values: Vec<(&str, f64)> = rows.iter().map(|r| (r.measure.as_str(), r.value)).collect();
        assert_eq!(values, [("cosine", 1.0), ("burrows_delta", 0.0), ("eder_delta", 0.0)]);
        assert!(similarity(&[("a", "the cat sat")], 100, 100).rows().is_empty());
    }
}
