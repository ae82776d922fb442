//! `sentences.csv`: every sentence with its position and exact text.

use crate::report::schema::SentenceRow;
use crate::text::Document;

/// One row per sentence, in text order, with the sentiment and tone columns empty (the tone analysis's results
/// are filled in by the caller).
pub fn sentence_rows(doc: &Document) -> impl Iterator<Item = SentenceRow<'_>> + '_ {
    doc.sentences.iter().enumerate().map(|(i, s)| SentenceRow {
        document: &doc.id,
        sentence_id: i as u32 + 1,
        paragraph_id: s.paragraph + 1,
        start_byte: s.span.start,
        end_byte: s.span.end,
        words: s.words(),
        text: s.span.of(&doc.text),
        compound: None,
        positive: None,
        neutral: None,
        negative: None,
        tone: "",
    })
}
