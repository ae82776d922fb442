//! `theme_sentiment.csv`: where in the text each theme is named, and in what mood — for each theme and segment,
//! how many of its occurrences fall in positive, neutral and negative sentences, with the sentences to read as
//! evidence. A critic sees whether "memory" is named in grief early and in comfort late.

use crate::analysis::segments::{Segment, segment_of};
use crate::analysis::stats::{NEGATIVE, POSITIVE};
use crate::lexicon::{Hit, Lexicon};
use crate::report::schema::{ThemeSentimentRow, round4};
use crate::text::Document;

/// One theme in one segment.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    positive: u32,
    neutral: u32,
    negative: u32,
    /// Distinct sentences, and the sum of their compounds in ten-thousandths (exact).
    sentences: u32,
    compound: i64,
    /// The last sentence counted, so that a sentence naming the theme twice counts once.
    last: Option<usize>,
    /// The most positive and most negative sentence: (compound, index).
    best: Option<(f64, usize)>,
    worst: Option<(f64, usize)>,
}

impl Cell {
    fn add(&mut self, sentence: usize, compound: f64) {
        if compound >= POSITIVE {
            self.positive += 1;
        } else if compound <= NEGATIVE {
            self.negative += 1;
        } else {
            self.neutral += 1;
        }
        if self.last == Some(sentence) {
            return;
        }
        self.last = Some(sentence);
        self.sentences += 1;
        self.compound += (compound * 10_000.0).round() as i64;
        if compound >= POSITIVE && self.best.is_none_or(|(c, _)| compound > c) {
            self.best = Some((compound, sentence));
        }
        if compound <= NEGATIVE && self.worst.is_none_or(|(c, _)| compound < c) {
            self.worst = Some((compound, sentence));
        }
    }
}

/// The rows of `theme_sentiment.csv` for `doc`: each theme of `lexicon` × each segment it occurs in, in lexicon
/// then text order (a theme's absence from a segment is in `theme_trend.csv`). `hits` are the theme occurrences (in text order), `compounds` each sentence's compound (empty when
/// sentences are not scored: then there are no rows).
pub fn theme_sentiment_rows(
    doc: &Document,
    lexicon: &Lexicon,
    hits: &[Hit],
    segments: &[Segment],
    compounds: &[f64],
) -> Vec<ThemeSentimentRow> {
    if compounds.len() != doc.sentences.len() || segments.is_empty() {
        return Vec::new();
    }
    let mut cells = vec![vec![Cell::default(); segments.len()]; lexicon.categories.len()];
    let mut sentence = 0;
    for hit in hits {
        // Hits come in text order: the sentence only moves forward.
        while doc.sentences[sentence].end_token as usize <= hit.first_token && sentence + 1 < doc.sentences.len() {
            sentence += 1;
        }
        cells[hit.term.category][segment_of(segments, hit.first_token)].add(sentence, compounds[sentence]);
    }
    let mut rows = Vec::with_capacity(lexicon.categories.len() * segments.len());
    for (category, cells) in lexicon.categories.iter().zip(cells) {
        for (segment, cell) in segments.iter().zip(cells).filter(|(_, cell)| cell.sentences > 0) {
            let id = |found: Option<(f64, usize)>| found.map(|(_, s)| s as u32 + 1);
            rows.push(ThemeSentimentRow {
                document: doc.id.clone(),
                theme: category.key.clone(),
                segment: segment.id,
                count: cell.positive + cell.neutral + cell.negative,
                positive: cell.positive,
                neutral: cell.neutral,
                negative: cell.negative,
                sentences: cell.sentences,
                mean_compound: round4(cell.compound as f64 / 10_000.0 / cell.sentences as f64),
                most_positive_sentence: id(cell.best),
                most_negative_sentence: id(cell.worst),
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::segments::{Segmenting, segments};
    use crate::sentiment::vader::polarity_scores;
    use crate::text::Pipeline;

    const LEXICON: &str = "[memory]\nterms = [\"memor*\"]\n[loss]\nterms = [\"lost\", \"loss\"]\n";

    fn rows(text: &str, n: usize) -> Vec<ThemeSentimentRow> {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", text);
        let lexicon = Lexicon::parse_toml(LEXICON, Path::new("t.toml")).unwrap().0;
        let hits = lexicon.compile(&pipeline).find(&doc);
        let compounds: Vec<f64> =
            doc.sentences.iter().map(|s| polarity_scores(s.span.of(&doc.text)).compound).collect();
        theme_sentiment_rows(&doc, &lexicon, &hits, &segments(&doc, Segmenting::Equal(n)), &compounds)
    }

    #[test]
    fn occurrences_are_split_by_their_sentences_mood() {
        // VADER's lexicon: "wonderful" +, "terrible" and "loss" −, nothing in the third sentence.
        let text = "A wonderful memory, memory kept. A terrible loss of memory. Memory and time.";
        let r = rows(text, 1);
        let memory = &r[0];
        assert_eq!((memory.positive, memory.neutral, memory.negative), (2, 1, 1));
        assert_eq!((memory.count, memory.sentences), (4, 3));
        assert_eq!((memory.most_positive_sentence, memory.most_negative_sentence), (Some(1), Some(2)));
        let a = polarity_scores("A wonderful memory, memory kept.").compound;
        let b = polarity_scores("A terrible loss of memory.").compound;
        assert!(a >= POSITIVE && b <= NEGATIVE);
        assert_eq!(memory.mean_compound, round4((a + b) / 3.0));
        let loss = &r[1];
        assert_eq!((loss.positive, loss.neutral, loss.negative), (0, 0, 1));
        assert_eq!((loss.most_positive_sentence, loss.most_negative_sentence), (None, Some(2)));
    }

    #[test]
    fn segments_hold_their_own_occurrences() {
        let r = rows("Memory is good. Nothing here at all. Loss is bad. Memory again, sadly lost.", 2);
        // Loss is not named in the first segment: no row.
        let counts: Vec<(&str, u32, u32)> = r.iter().map(|r| (r.theme.as_str(), r.segment, r.count)).collect();
        assert_eq!(counts, [("memory", 1, 1), ("memory", 2, 1), ("loss", 2, 2)]);
    }
}
