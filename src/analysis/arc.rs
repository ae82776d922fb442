//! `arc.csv`: the shape of a document's feeling from its first sentence to its last (what syuzhet calls the
//! plot arc).
//!
//! The sentences are cut into N runs of (nearly) equal length; each point gives its run's mean compound score and
//! a smoothed value. Smoothing is a centred rolling mean over a tenth of the document's sentences, shrinking at the
//! ends. Unlike syuzhet's Fourier smoothing it cannot ring, and it never wraps the end of a text onto its beginning.
//!
//! ```
//! use marginalia::{analysis::arc::arc, input::Source, text::Pipeline};
//! let doc = Pipeline::default().document(Source::from_text("r", "Good. Bad. Good. Bad."));
//! let rows = arc(&doc, &[0.5, -0.5, 0.5, -0.5], 2);
//! assert_eq!(rows.len(), 2);
//! assert_eq!((rows[0].sentences, rows[0].mean_compound), (2, 0.0));
//! ```

use crate::report::schema::{ArcRow, round4};
use crate::text::Document;

/// The default number of points.
pub const DEFAULT_POINTS: usize = 20;

/// The arc of `doc` from each sentence's compound score (`compounds[i]` for sentence `i`), in `points` points (one
/// per sentence when there are fewer sentences than points; none for a document without sentences).
pub fn arc(doc: &Document, compounds: &[f64], points: usize) -> Vec<ArcRow> {
    let n = compounds.len().min(doc.sentences.len());
    let points = points.min(n);
    if points == 0 {
        return Vec::new();
    }
    let smoothed = rolling_mean(&compounds[..n], (n / 10).max(1));
    let text_len = doc.text.len().max(1) as f64;
    (0..points)
        .map(|k| {
            let (first, end) = (k * n / points, (k + 1) * n / points);
            let middle = (doc.sentences[first].span.start + doc.sentences[end - 1].span.end) as f64 / 2.0;
            ArcRow {
                document: doc.id.clone(),
                point: k as u32 + 1,
                position: round4(middle / text_len),
                sentences: (end - first) as u32,
                mean_compound: round4(mean(&compounds[first..end])),
                smoothed: round4(mean(&smoothed[first..end])),
            }
        })
        .collect()
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 }
}

/// For each index, the mean of the values within `window / 2` on either side (fewer at the ends).
fn rolling_mean(xs: &[f64], window: usize) -> Vec<f64> {
    let half = window / 2;
    let mut prefix = Vec::with_capacity(xs.len() + 1);
    prefix.push(0.0);
    for &x in xs {
        prefix.push(prefix[prefix.len() - 1] + x);
    }
    (0..xs.len())
        .map(|i| {
            let (lo, hi) = (i.saturating_sub(half), (i + half + 1).min(xs.len()));
            (prefix[hi] - prefix[lo]) / (hi - lo) as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(sentences: usize) -> Document {
        Document::from_text("t", "Word here. ".repeat(sentences))
    }

    #[test]
    fn rolling_mean_is_centred_and_shrinks_at_the_ends() {
        let got = rolling_mean(&[1.0, 2.0, 3.0, 4.0, 5.0], 3);
        assert_eq!(got, [1.5, 2.0, 3.0, 4.0, 4.5]);
        assert_eq!(rolling_mean(&[1.0, -1.0], 1), [1.0, -1.0]);
    }

    #[test]
    fn points_cut_sentences_into_equal_runs() {
        let d = doc(40);
        let compounds: Vec<f64> = (0..40).map(|i| if i < 20 { 1.0 } else { -1.0 }).collect();
        let rows = arc(&d, &compounds, 4);
        let runs: Vec<u32> = rows.iter().map(|r| r.sentences).collect();
        assert_eq!(runs, [10, 10, 10, 10]);
        let means: Vec<f64> = rows.iter().map(|r| r.mean_compound).collect();
        assert_eq!(means, [1.0, 1.0, -1.0, -1.0]);
        // Window of 4 sentences (±2): the runs next to the turn are pulled towards it, the outer ones are not.
        assert_eq!(rows[0].smoothed, 1.0);
        assert!(rows[1].smoothed < 1.0 && rows[2].smoothed > -1.0);
        assert!(rows.windows(2).all(|w| w[0].position < w[1].position));
        assert!(rows[0].position > 0.0 && rows[3].position < 1.0);
    }

    #[test]
    fn fewer_sentences_than_points_gives_one_point_each_and_empty_gives_none() {
        assert_eq!(arc(&doc(3), &[0.1, 0.2, 0.3], 20).len(), 3);
        assert!(arc(&doc(0), &[], 20).is_empty());
    }
}
