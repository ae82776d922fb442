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

/// `doc` cut as `how` says; `sentence_chapters[i]` is the index of sentence `i`'s chapter (used when cut by
/// chapter). Every word is in exactly one segment; a text without words has none.
pub fn segments(doc: &Document, how: Segmenting, sentence_chapters: &[u32]) -> Vec<Segment> {
    match how {
        Segmenting::Equal(n) => equal_runs(doc.tokens.len(), n),
        Segmenting::Chapters => chapter_runs(doc, sentence_chapters),
    }
}

/// `tokens` words cut into `n` runs of (nearly) equal length: run `k` starts at word ⌊k·T/n⌋.
fn equal_runs(tokens: usize, n: usize) -> Vec<Segment> {
    let n = n.min(tokens);
    let bound = |k: usize| k * tokens / n;
    (0..n).map(|k| Segment { id: k as u32 + 1, first_token: bound(k), end_token: bound(k + 1) }).collect()
}

/// One segment per run of sentences in the same chapter (a chapter's words are consecutive, so one run each).
fn chapter_runs(doc: &Document, sentence_chapters: &[u32]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for (sentence, &chapter) in doc.sentences.iter().zip(sentence_chapters) {
        let (first, end) = (sentence.first_token as usize, sentence.end_token as usize);
        match out.last_mut() {
            Some(last) if last.id == chapter + 1 => last.end_token = end,
            _ => out.push(Segment { id: chapter + 1, first_token: first, end_token: end }),
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
        let doc = Pipeline::default().document(Source::from_text("t", "One two. Three. Four five six. Seven."));
        // Sentences 0 and 1 in chapter 0, 2 in chapter 2 (chapter 1, a volume heading, holds none), 3 in chapter 3.
        let runs = chapter_runs(&doc, &[0, 0, 2, 3]);
        let got: Vec<(u32, usize, usize)> = runs.iter().map(|s| (s.id, s.first_token, s.end_token)).collect();
        assert_eq!(got, [(1, 0, 3), (3, 3, 6), (4, 6, 7)]);
        assert_eq!((segment_of(&runs, 0), segment_of(&runs, 3), segment_of(&runs, 6)), (0, 1, 2));
    }
}
