//! Segmentation of any text: no panic, and every span is a slice of the text, in order, each token inside its
//! sentence and each sentence inside its paragraph.

#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::input::Source;
use marginalia::text::{Layout, Pipeline, PipelineOptions, Span};

fn valid(text: &str, span: Span) -> bool {
    span.start < span.end && span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    for layout in [None, Some(Layout::Paragraphs), Some(Layout::Wrapped)] {
        let pipeline = Pipeline::new(PipelineOptions { layout, ..PipelineOptions::default() });
        let doc = pipeline.document(Source::from_text("fuzz", text.as_str()));
        let mut last = 0;
        for s in &doc.sentences {
            assert!(valid(&doc.text, s.span) && s.span.start >= last);
            let p = doc.paragraphs[s.paragraph as usize].span;
            assert!(p.start <= s.span.start && s.span.end <= p.end);
            last = s.span.end;
        }
        last = 0;
        for (i, t) in doc.tokens.iter().enumerate() {
            let span = doc.span(t);
            assert!(valid(&doc.text, span) && span.start >= last);
            let s = doc.sentences[doc.sentence_of(i)].span;
            assert!(s.start <= span.start && span.end <= s.end);
            assert!(!doc.norm(t).is_empty() && !doc.norm(t).contains(char::is_whitespace));
            assert_eq!(marginalia::text::normalize(span.of(&doc.text)), doc.norm(t));
            last = span.end;
        }
    }
});
