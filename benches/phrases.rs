//! What n-grams and collocations add to the core pipeline, on real books: the 24 public-domain texts of
//! `../shared/corpus/literary/` (15.8 MB) where that folder exists, else the sample review repeated to 16 MB (whose
//! n-grams repeat far more than a real corpus's, so the figure flatters them).
//!
//! Run with `cargo bench --bench phrases`; criterion reports MB/s for three runs over every document: the core
//! pipeline; the core plus the theme hits (which `analyze` finds anyway for the theme tables); and that plus
//! n-grams (bigrams and trigrams, corpus rows included) and the collocations of the theme terms, as `analyze` runs
//! them. The difference between the last two, over the time of `core`, is what phrases add.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use marginalia::analysis::collocations::{CollocationOptions, collocations};
use marginalia::analysis::ngrams::NgramOptions;
use marginalia::corpus::{Corpus, DocumentCounts};
use marginalia::input::Source;
use marginalia::lexicon::Lexicon;
use marginalia::text::{Document, Pipeline};

/// The literary corpus, or the sample review repeated, as sources.
fn corpus() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let literary = root.join("../shared/corpus/literary");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&literary)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|dir| std::fs::read_dir(dir.path()).into_iter().flatten().flatten())
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        eprintln!("{} not found: using the sample review repeated", literary.display());
        let sample = std::fs::read_to_string(root.join("texts/never-let-me-go-review.txt"))
            .expect("texts/never-let-me-go-review.txt is shipped with the repo");
        return (0..3000).map(|i| Source::from_text(format!("copy{i}"), sample.as_str())).collect();
    }
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("the literary corpus is UTF-8");
            Source::from_text(p.display().to_string(), text.as_str())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let sources = corpus();
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    let pipeline = Pipeline::default();
    let documents =
        |sources: &[Source]| -> Vec<Document> { sources.iter().map(|s| pipeline.document(s.clone())).collect() };
    let mut group = c.benchmark_group("phrases");
    group.sample_size(10).throughput(Throughput::Bytes(bytes as u64));

    group.bench_function("core", |b| b.iter(|| black_box(documents(&sources))));
    // The theme hits are found once in `analyze` and shared by the theme tables and the collocations, so both
    // variants find them: the difference between the two is what n-grams and collocations add.
    let themes = Lexicon::default_themes();
    let matcher = themes.compile(&pipeline);
    group.bench_function("core_and_theme_hits", |b| {
        b.iter(|| {
            let docs = documents(&sources);
            let hits: Vec<_> = docs.iter().map(|doc| matcher.find(doc)).collect();
            assert!(hits.iter().any(|h| !h.is_empty()));
            black_box((docs, hits))
        })
    });
    group.bench_function("core_and_theme_hits_ngrams_collocations", |b| {
        b.iter(|| {
            let docs = documents(&sources);
            let mut corpus = Corpus::new(NgramOptions::default(), None).unwrap();
            let mut collocation_rows = 0;
            for doc in &docs {
                let mut counts = DocumentCounts::of(doc, Some(&NgramOptions::default()));
                assert!(counts.ngrams.take_rows(doc).all(|r| r.count >= 2 && (2..=3).contains(&r.n)));
                corpus.add(counts).unwrap();
                let hits = matcher.find(doc);
                collocation_rows += collocations(doc, &themes, &hits, &CollocationOptions::default()).len();
            }
            let rows: Vec<_> = corpus.ngram_rows().collect();
            assert!(!rows.is_empty() && collocation_rows > 0);
            assert_eq!(corpus.ngram_undercount(), 0);
            black_box((docs, rows))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
