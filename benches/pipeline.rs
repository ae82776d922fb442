//! Throughput of the core pipeline against bare UAX #29 word iteration, and of the pipeline with sentiment and
//! tone, on ≥ 20 MB built from `texts/`: as one text, and as one document per copy of the review.
//!
//! Run with `cargo bench --bench pipeline`; criterion reports MB/s for each. Each benchmark checks its own result
//! inside the timed loop: the sample review has 901 words (hand-checked in `tests/cli.rs`), so the text built
//! from N copies of it must give 901 × N.

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use marginalia::analysis::arc::arc;
use marginalia::analysis::segments::{Segmenting, segments};
use marginalia::analysis::themes::{DEFAULT_CONTEXT, DEFAULT_SEGMENTS, concordance, themes};
use marginalia::analysis::tone::{Scorer, marker_rows, tone_in_full};
use marginalia::analysis::{sentences::sentence_rows, stats::document_row, vocabulary::vocabulary};
use marginalia::input::Source;
use marginalia::lexicon::Lexicon;
use marginalia::text::{Document, Pipeline};
use unicode_segmentation::UnicodeSegmentation;

const TARGET_BYTES: usize = 20 * 1024 * 1024;
const SAMPLE_WORDS: usize = 901;

/// The sample review repeated to at least 20 MB, one copy after another, and how many copies that is.
fn corpus() -> (String, usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/never-let-me-go-review.txt");
    let sample = std::fs::read_to_string(&path).expect("texts/never-let-me-go-review.txt is shipped with the repo");
    let copies = TARGET_BYTES.div_ceil(sample.len() + 1);
    let mut text = String::with_capacity(copies * (sample.len() + 1));
    for _ in 0..copies {
        text.push_str(&sample);
        text.push('\n');
    }
    (text, copies)
}

fn bench(c: &mut Criterion) {
    let (text, copies) = corpus();
    let expected = SAMPLE_WORDS * copies;
    let mut group = c.benchmark_group("core");
    group.sample_size(10).throughput(Throughput::Bytes(text.len() as u64));

    group.bench_function("unicode_words", |b| {
        b.iter(|| {
            let n = black_box(&text).unicode_words().count();
            assert_eq!(n, expected);
        })
    });

    let pipeline = Pipeline::default();
    let source = Source::from_text("bench", text.as_str());
    group.bench_function("segment_normalise_stem", |b| {
        b.iter_batched(
            || source.clone(),
            |s| {
                let doc = pipeline.document(s);
                assert_eq!(doc.tokens.len(), expected);
                doc
            },
            BatchSize::PerIteration,
        )
    });

    // The whole analysis without sentiment (the core tables' rows) and with it (scores, tone markers and their
    // rows, the arc). The first sentence of the sample has VADER compound −0.7964 in
    // shared/reference/vader_sample.csv (vaderSentiment 3.3.2).
    let core_tables = |doc: &Document| {
        let row = document_row(doc);
        let vocab = vocabulary(doc);
        let sentences = sentence_rows(doc).count();
        assert_eq!(row.tokens, expected);
        assert_eq!(vocab.iter().map(|r| r.count as usize).sum::<usize>(), expected);
        assert_eq!(sentences, 64 * copies);
    };
    group.bench_function("analysis_without_sentiment", |b| {
        b.iter_batched(
            || source.clone(),
            |s| {
                let doc = pipeline.document(s);
                core_tables(&doc);
                doc
            },
            BatchSize::PerIteration,
        )
    });
    // Themes with the embedded lexicon (11 themes, ~370 terms) on top of the core tables. The sample names the
    // "memory" theme 5 times (hand-checked in tests/themes.rs for a similar lexicon; the default's figure is in
    // themes.csv of the sample run).
    let themes_lexicon = Lexicon::default_themes();
    let themes_matcher = themes_lexicon.compile(&pipeline);
    group.bench_function("analysis_with_themes", |b| {
        b.iter_batched(
            || source.clone(),
            |s| {
                let doc = pipeline.document(s);
                core_tables(&doc);
                let hits = themes_matcher.find(&doc);
                let cut = segments(&doc, Segmenting::Equal(DEFAULT_SEGMENTS));
                let tables = themes(&doc, &themes_lexicon, &hits, &cut);
                assert_eq!(tables.themes[0].count as usize, 5 * copies);
                let lines = concordance(&doc, &themes_lexicon, &hits, DEFAULT_CONTEXT).count();
                assert_eq!(lines, tables.themes.iter().map(|t| t.count as usize).sum::<usize>());
                drop(tables);
                doc
            },
            BatchSize::PerIteration,
        )
    });
    let lexicon = Lexicon::default_tone();
    let matcher = lexicon.compile(&pipeline);
    group.bench_function("analysis_with_sentiment", |b| {
        b.iter_batched(
            || source.clone(),
            |s| {
                let doc = pipeline.document(s);
                core_tables(&doc);
                let found = tone_in_full(&doc, &Scorer::Vader, &lexicon, &matcher);
                assert_eq!(found.scores[0].map(|s| s.compound), Some(-0.7964));
                let markers = marker_rows(&doc, &lexicon, &found.markers).count();
                let compounds = &found.analysis.compounds;
                assert_eq!(compounds.len(), 64 * copies);
                assert_eq!(arc(&doc, compounds, 20).len(), 20);
                assert!(markers > 0);
                (doc, found)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    short_documents(c, &text, copies);
}

/// The same 20 MB as documents of one review each (5 KB, the shape of a scraped review corpus), every table's
/// per-document work done for each: what a corpus of short texts pays per document (stems, lexicon look-ups and
/// rows for each document's distinct words) shows here and not in one long text.
fn short_documents(c: &mut Criterion, text: &str, copies: usize) {
    // The copies are all of one length, each the review and a newline.
    let length = text.len() / copies;
    let reviews: Vec<&str> = (0..copies).map(|i| &text[i * length..(i + 1) * length]).collect();
    let pipeline = Pipeline::default();
    let (themes_lexicon, tone_lexicon) = (Lexicon::default_themes(), Lexicon::default_tone());
    let (themes_matcher, tone_matcher) = (themes_lexicon.compile(&pipeline), tone_lexicon.compile(&pipeline));
    let mut group = c.benchmark_group("short_documents");
    group.sample_size(10).throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("analysis_with_themes_and_sentiment", |b| {
        b.iter(|| {
            let (mut words, mut memory) = (0, 0);
            for (i, review) in reviews.iter().enumerate() {
                let doc = pipeline.document(Source::from_text(format!("review-{i}"), *review));
                words += vocabulary(&doc).iter().map(|r| r.count as usize).sum::<usize>();
                let hits = themes_matcher.find(&doc);
                let cut = segments(&doc, Segmenting::Equal(DEFAULT_SEGMENTS));
                memory += themes(&doc, &themes_lexicon, &hits, &cut).themes[0].count as usize;
                let found = tone_in_full(&doc, &Scorer::Vader, &tone_lexicon, &tone_matcher);
                assert_eq!(found.scores[0].map(|s| s.compound), Some(-0.7964));
                black_box(marker_rows(&doc, &tone_lexicon, &found.markers).count());
            }
            assert_eq!(words, SAMPLE_WORDS * copies);
            assert_eq!(memory, 5 * copies);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
