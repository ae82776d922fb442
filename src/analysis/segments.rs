//! How a text is cut for the tables that follow a theme through it (`theme_trend.csv`, `theme_sentiment.csv`):
//! into equal runs of words (`--segments N`) or by chapter (`--segments chapters`). Not an analysis of its own:
//! the cut those analyses share.

use crate::text::Document;

/// How the text is cut (`--segments`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmenting {
    /// Into this many runs of (nearly) equal numbers of words (fewer when there are fewer words).
    Equal(usize),
    /// By chapter: one segment per row of `chapters.csv` that holds words of its own.
    Chapters,
}

/// One piece of the text: a run of consecutive words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// 1..N for equal runs; the chapter's id when cut by chapter.
    pub id: u32,
    /// Index of its first word.
    pub first_token: usize,
    /// One past its last word.
    pub end_token: usize,
}

impl Segment {
    /// Its words.
    pub fn tokens(&self) -> usize {
        self.end_token - self.first_token
    }
}

/// `doc` cut as `how` says. Every word is in exactly one segment; a text without words has none.
pub fn segments(doc: &Document, how: Segmenting) -> Vec<Segment> {
    match how {
        Segmenting::Equal(n) => equal_runs(doc.tokens.len(), n),
        Segmenting::Chapters => chapter_runs(doc),
    }
}

/// `tokens` words cut into `n` runs of (nearly) equal length: run `k` starts at word ⌊k·T/n⌋.
fn equal_runs(tokens: usize, n: usize) -> Vec<Segment> {
    let n = n.min(tokens);
    let bound = |k: usize| k * tokens / n;
    (0..n).map(|k| Segment { id: k as u32 + 1, first_token: bound(k), end_token: bound(k + 1) }).collect()
}

/// One segment per run of sentences in the same innermost chapter (a chapter's own words are consecutive, so
/// one run each: a volume's are its heading's, before its first chapter).
fn chapter_runs(doc: &Document) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for sentence in &doc.sentences {
        let (first, end, id) = (sentence.first_token as usize, sentence.end_token as usize, sentence.chapter + 1);
        match out.last_mut() {
            Some(last) if last.id == id => last.end_token = end,
            _ => out.push(Segment { id, first_token: first, end_token: end }),
        }
    }
    out.retain(|s| s.tokens() > 0);
    out
}

/// The index in `segments` (in text order, as [`segments`] gives them) of the segment holding word `token`.
pub fn segment_of(segments: &[Segment], token: usize) -> usize {
    segments.partition_point(|s| s.end_token <= token).min(segments.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::text::Pipeline;

    #[test]
    fn equal_runs_cover_every_word_once() {
        for tokens in 0..30 {
            for n in 1..12 {
                let runs = equal_runs(tokens, n);
                assert_eq!(runs.len(), n.min(tokens));
                let mut next = 0;
                for r in &runs {
                    assert_eq!(r.first_token, next);
                    assert!(r.tokens() > 0);
                    next = r.end_token;
                }
                assert_eq!(next, tokens);
            }
        }
    }

    #[test]
    fn chapter_runs_follow_the_sentences_chapters() {
        let text = "Title page.\n\nVOLUME I\n\nCHAPTER I\n\nOne two. Three.\n\nCHAPTER II\n\nFour five six.\n";
        let doc = Pipeline::default().document(Source::from_text("t", text));
        let runs = chapter_runs(&doc);
        let got: Vec<(u32, usize)> = runs.iter().map(|s| (s.id, s.tokens())).collect();
        // The title page (a section), the volume's heading, each chapter's heading and text.
        assert_eq!(got, [(1, 2), (2, 2), (3, 5), (4, 5)]);
        assert_eq!(runs.iter().map(Segment::tokens).sum::<usize>(), doc.tokens.len());
        assert_eq!((segment_of(&runs, 0), segment_of(&runs, 5), segment_of(&runs, 13)), (0, 2, 3));
    }
}
