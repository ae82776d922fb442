//! Invariants of the pipeline on arbitrary input: spans on char boundaries, increasing and non-overlapping,
//! nested (token in sentence in paragraph), tables that agree with each other, and no panic.

use marginalia::analysis::collocations::{CollocationOptions, collocations};
use marginalia::analysis::ngrams::{EdgeStopwords, NgramOptions, count};
use marginalia::analysis::quotes::quotes;
use marginalia::analysis::segments::{Segmenting, segments};
use marginalia::analysis::themes::{concordance, themes};
use marginalia::analysis::tone::{Scorer, marker_rows, tone_in_full};
use marginalia::analysis::{sentences::sentence_rows, stats::document_row, vocabulary::vocabulary};
use marginalia::input::Source;
use marginalia::lexicon::Lexicon;
use marginalia::text::{Document, Layout, Pipeline, PipelineOptions, Span, normalize};
use proptest::prelude::*;

fn build(text: String, layout: Option<Layout>) -> Document {
    let source = Source::from_text("p", text);
    Pipeline::new(PipelineOptions { layout, ..PipelineOptions::default() }).document(source)
}

fn valid(text: &str, span: Span) -> bool {
    span.start < span.end
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
        && span.end <= text.len()
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Text made of the pieces literary text is made of, so the interesting cases come up often: quotes,
/// apostrophes, abbreviations, line breaks of every kind, and any Unicode at all.
fn literary_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Mr. ".to_string()),
        Just("H. ".to_string()),
        Just("“Is that all?” she asked. ".to_string()),
        Just("Kathy’s ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\n\n".to_string()),
        Just("_word_ ".to_string()),
        Just("soft-focus memories ".to_string()),
        Just("Hailsham’s memory, ".to_string()),
        Just("what makes us human ".to_string()),
        Just("“".to_string()),
        Just("” ".to_string()),
        Just(" ‘".to_string()),
        Just("’ ".to_string()),
        Just("boys’ ".to_string()),
        Just(" \"".to_string()),
        Just("\" ".to_string()),
        Just("« ".to_string()),
        Just(" »".to_string()),
        Just("「".to_string()),
        Just("」".to_string()),
        "[a-zA-Z]{1,8}[ .,!?]{0,2}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn check(text: String, layout: Option<Layout>) -> Result<(), TestCaseError> {
    let doc = build(text, layout);
    let text = &doc.text;
    let mut last = 0;
    for p in &doc.paragraphs {
        prop_assert!(valid(text, p.span) && p.span.start >= last);
        last = p.span.end;
    }
    last = 0;
    for s in &doc.sentences {
        prop_assert!(valid(text, s.span) && s.span.start >= last, "sentence {:?}", s.span);
        prop_assert!(contains(doc.paragraphs[s.paragraph as usize].span, s.span));
        prop_assert!(s.words() > 0);
        last = s.span.end;
    }
    last = 0;
    for (i, t) in doc.tokens.iter().enumerate() {
        let span = doc.span(t);
        prop_assert!(valid(text, span) && span.start >= last, "token {:?}", span);
        // Its end, found from its form's length or kept aside, bounds exactly the word its form was made from.
        prop_assert_eq!(normalize(span.of(text)), doc.norm(t));
        let sentence = &doc.sentences[doc.sentence_of(i)];
        prop_assert!((sentence.first_token as usize..sentence.end_token as usize).contains(&i));
        prop_assert!(contains(sentence.span, span));
        last = span.end;
    }
    let row = document_row(&doc);
    let vocab = vocabulary(&doc);
    prop_assert_eq!(vocab.iter().map(|r| r.count as usize).sum::<usize>(), row.tokens);
    prop_assert_eq!(row.sentences, sentence_rows(&doc).count());
    for s in sentence_rows(&doc) {
        prop_assert_eq!(&text[s.start_byte..s.end_byte], s.text);
    }
    // Quotations: exact slices; two either nest (and then depth and parent say so) or do not overlap.
    let found = quotes(&doc);
    let rows: Vec<_> = found.rows().collect();
    for (i, q) in rows.iter().enumerate() {
        prop_assert_eq!(&text[q.start_byte..q.end_byte], q.text);
        prop_assert_eq!(q.quote_id as usize, i + 1);
        match q.parent_id {
            Some(p) => {
                let parent = &rows[p as usize - 1];
                prop_assert!(parent.start_byte <= q.start_byte && q.end_byte <= parent.end_byte);
                prop_assert_eq!(q.depth, parent.depth + 1);
            }
            None => prop_assert_eq!(q.depth, 0),
        }
        for earlier in &rows[..i] {
            let nested = earlier.start_byte <= q.start_byte && q.end_byte <= earlier.end_byte;
            prop_assert!(nested || earlier.end_byte <= q.start_byte, "{earlier:?} and {q:?} overlap");
        }
    }
    // Themes: every keyword is its source slice, and each theme's count is its number of concordance rows.
    let lexicon = Lexicon::default_themes();
    let hits = lexicon.compile(&Pipeline::default()).find(&doc);
    let tables = themes(&doc, &lexicon, &hits, &segments(&doc, Segmenting::Equal(7)));
    let lines: Vec<_> = concordance(&doc, &lexicon, &hits, 3).collect();
    for c in &lines {
        prop_assert_eq!(&text[c.start_byte..c.end_byte], c.keyword);
    }
    for t in &tables.themes {
        prop_assert_eq!(t.count as usize, lines.iter().filter(|c| c.theme == t.theme).count());
        let in_trend: u32 = tables.trend.iter().filter(|r| r.theme == t.theme).map(|r| r.count).sum();
        prop_assert_eq!(t.count, in_trend);
    }
    // Theme trend segments: their offsets are char boundaries and the segments tile the words in order.
    let mut last_end = 0;
    for r in tables.trend.iter().filter(|r| r.theme == lexicon.categories[0].key) {
        prop_assert!(text.is_char_boundary(r.segment_start_byte) && text.is_char_boundary(r.segment_end_byte));
        prop_assert!(r.segment_start_byte >= last_end && r.segment_start_byte <= r.segment_end_byte);
        last_end = r.segment_end_byte;
    }
    // Quotations hold no more words than the document.
    let quoted_words: usize = rows.iter().filter(|q| q.depth == 0).map(|q| q.words).sum();
    prop_assert!(quoted_words <= doc.tokens.len());
    prop_assert!(rows.iter().all(|q| q.words <= doc.tokens.len()));
    // Tone markers: every marker is its source slice, inside its sentence.
    let tone_lexicon = Lexicon::default_tone();
    let pipeline = Pipeline::default();
    let found = tone_in_full(&doc, &Scorer::Vader, &tone_lexicon, &tone_lexicon.compile(&pipeline));
    for m in marker_rows(&doc, &tone_lexicon, &found.markers) {
        prop_assert_eq!(text.get(m.start_byte..m.end_byte), Some(m.marker));
        let sentence = doc.sentences[m.sentence_id as usize - 1].span;
        prop_assert!(sentence.start <= m.start_byte && m.end_byte <= sentence.end);
    }
    // N-grams: with every n-gram kept, a sentence of k words gives k − n + 1 of each size, and none crosses a
    // sentence (so none is longer than the longest sentence).
    for n in 1..=4 {
        let options = NgramOptions { min_n: n, max_n: n, min_count: 1, edge_stopwords: EdgeStopwords::Keep };
        let rows: Vec<_> = count(&doc, &options).take_rows(&doc).collect();
        let expected: usize = doc.sentences.iter().map(|s| (s.words() + 1).saturating_sub(n)).sum();
        prop_assert_eq!(rows.iter().map(|r| r.count as usize).sum::<usize>(), expected, "n = {}", n);
        prop_assert!(rows.iter().all(|r| r.n == n && r.ngram.split(' ').count() == n));
    }
    // Collocations of every theme term: the 2×2 table's cells are counts, so none is negative and the measures
    // are finite.
    let options = CollocationOptions { left: 2, right: 3, min_count: 1, stopwords: true };
    for c in collocations(&doc, &lexicon, &lexicon.compile(&Pipeline::default()).find(&doc), &options) {
        prop_assert!(c.observed <= c.collocate_count && c.observed >= 1);
        prop_assert!(c.expected > 0.0 && c.mi.is_finite() && c.t_score.is_finite() && c.g2 >= 0.0);
        prop_assert!(c.log_dice.is_finite());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_and_totals_hold_on_literary_text(text in literary_text()) {
        check(text, None)?;
    }

    #[test]
    fn spans_and_totals_hold_when_wrapped(text in literary_text()) {
        check(text, Some(Layout::Wrapped))?;
    }

    #[test]
    fn spans_and_totals_hold_on_any_unicode(text in any::<String>()) {
        check(text, None)?;
    }
}

/// Text without emoji (whose descriptions VADER scores, `!` included, in place of the emoji) in the styles
/// reviews are written in: negations, boosters, "but", caps, "kind of", `!` and `?`.
fn review_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("never ".to_string()),
        Just("not ".to_string()),
        Just("isn’t ".to_string()),
        Just("but ".to_string()),
        Just("kind of ".to_string()),
        Just("at least ".to_string()),
        Just("deeply ".to_string()),
        Just("GREAT ".to_string()),
        Just("devastating, ".to_string()),
        Just("good ".to_string()),
        Just("bitter ".to_string()),
        Just("the ".to_string()),
        Just("!".to_string()),
        Just("?".to_string()),
        "[a-z]{1,8} ",
    ];
    prop::collection::vec(piece, 0..25).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The compound score depends only on the raw sum and the text's `!`/`?`; rebuilding it from the sum of the
    /// word contributions gives the same score, so the contributions account for all of it.
    #[test]
    fn marker_contributions_reproduce_the_sentence_score(text in review_text()) {
        use marginalia::sentiment::vader;
        let analysis = vader::analyze(&text);
        let sum = analysis.contributions.iter().fold(0.0, |s, c| s + c.effective_valence);
        prop_assert_eq!(vader::score_valence(&[sum], &text).compound, analysis.scores.compound);
        prop_assert_eq!(analysis.scores, vader::polarity_scores(&text));
        for c in &analysis.contributions {
            prop_assert!(text.get(c.start..c.end).is_some_and(|w| !w.is_empty()));
        }
    }
}
