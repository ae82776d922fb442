//! `chapters.csv`: a document's chapters (volumes, books, parts, acts, scenes, sections) as its headings give
//! them, each with its size, its quotations, how much of it is dialogue and its mean sentiment. A volume's row
//! spans its chapters; each sentence belongs to its innermost chapter ([`crate::text::Sentence::chapter`]).

use crate::report::schema::{ChapterRow, VoiceRow, round4};
use crate::text::{Document, Span};

/// Each chapter's id (its index + 1) and span, in order: the scopes of the chapter rows of `voices.csv`. None
/// for a text that is one chapter: its whole-document rows are its chapter's (a corpus of reviews would otherwise
/// write every row twice).
pub fn chapter_spans(doc: &Document) -> Vec<(u32, Span)> {
    let chapters = doc.chapters.as_slice();
    if chapters.len() == 1 {
        return Vec::new();
    }
    (1..).zip(chapters).map(|(id, c)| (id, Span { start: c.start, end: c.end })).collect()
}

/// Where each chapter after the first starts, 0 to 1 along the text by bytes (for the charts).
pub fn chapter_starts(doc: &Document) -> Vec<f64> {
    let len = doc.text.len().max(1) as f64;
    doc.chapters.as_slice().iter().skip(1).map(|c| c.start as f64 / len).collect()
}

/// The rows of `chapters.csv`. `quotation_starts` are where each row of `quotes.csv` starts, in order;
/// `compounds` each sentence's compound (empty when not scored); `voices` the document's rows of `voices.csv`,
/// whose chapter rows (its whole-document rows, for a text of one chapter) give each chapter's dialogue share.
pub fn chapter_rows(
    doc: &Document,
    quotation_starts: &[usize],
    compounds: &[f64],
    voices: &[VoiceRow],
) -> Vec<ChapterRow> {
    let one = doc.chapters.len() == 1;
    let dialogue_share = |id: u32| {
        let scope = if one { None } else { Some(id) };
        let row = voices.iter().find(|v| v.chapter_id == scope && v.voice == "dialogue");
        row.and_then(|v| v.share)
    };
    (1..)
        .zip(doc.chapters.as_slice())
        .map(|(id, chapter)| {
            let span = Span { start: chapter.start, end: chapter.end };
            let sentences = in_span(&doc.sentences, span, |s| s.span.start);
            let scored = compounds.get(sentences.clone()).unwrap_or(&[]);
            let sum: i64 = scored.iter().map(|c| (c * 10_000.0).round() as i64).sum();
            ChapterRow {
                document: doc.id.clone(),
                chapter_id: id,
                level: chapter.level.name(),
                title: chapter.title.of(&doc.text).to_string(),
                start_byte: chapter.start,
                end_byte: chapter.end,
                sentences: sentences.len(),
                words: in_span(&doc.tokens, span, |t| t.start()).len(),
                quotations: in_span(quotation_starts, span, |&q| q).len(),
                dialogue_share: dialogue_share(id),
                mean_compound: (!scored.is_empty()).then(|| round4(sum as f64 / 10_000.0 / scored.len() as f64)),
            }
        })
        .collect()
}

/// The indices of the items of `list` (in text order) that start inside `span`.
fn in_span<T>(list: &[T], span: Span, start: impl Fn(&T) -> usize) -> std::ops::Range<usize> {
    let first = list.partition_point(|x| start(x) < span.start);
    let end = list.partition_point(|x| start(x) < span.end);
    first..end.max(first)
}
