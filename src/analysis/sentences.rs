//! `sentences.csv`: every sentence with its position and exact text, and, from the tone analysis, its sentiment
//! scores and dominant tone.

use crate::analysis::tone::ToneBlock;
use crate::lexicon::Lexicon;
use crate::report::schema::SentenceRow;
use crate::text::Document;

/// One row per sentence, in text order, with the sentiment and tone columns empty: [`with_tone`] fills them in
/// from the tone analysis, a block of sentences at a time.
pub fn sentence_rows(doc: &Document) -> impl Iterator<Item = SentenceRow<'_>> + '_ {
    doc.sentences.iter().enumerate().map(|(i, s)| SentenceRow {
        document: &doc.id,
        sentence_id: i as u32 + 1,
        paragraph_id: s.paragraph + 1,
        chapter_id: s.chapter + 1,
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

/// The next rows of `sentences`, one per sentence of `block` (a tone analysis's, with `lexicon` its tone
/// categories), with their scores and tone.
pub fn with_tone<'d, 'b>(
    sentences: impl Iterator<Item = SentenceRow<'d>> + 'b,
    block: &'b ToneBlock,
    lexicon: &'d Lexicon,
) -> impl Iterator<Item = SentenceRow<'d>> + 'b
where
    'd: 'b,
{
    // The block first: zipped the other way round, the row after the block's last would be taken and lost.
    let rows = block.scores.iter().zip(block.sentence_tones).zip(sentences).enumerate();
    rows.map(|(i, ((scores, tone), mut row))| {
        debug_assert_eq!(row.sentence_id as usize, block.first_sentence + i + 1, "rows and scores out of step");
        if let Some(s) = scores {
            (row.compound, row.positive, row.neutral, row.negative) =
                (Some(s.compound), Some(s.positive), Some(s.neutral), Some(s.negative));
        }
        if let Some(c) = tone {
            row.tone = &lexicon.categories[*c].key;
        }
        row
    })
}
