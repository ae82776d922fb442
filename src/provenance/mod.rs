//! Where a review's quotations come from: each quotation located in the novel (or novels) the run is given with
//! `--source`, as `provenance.csv` lists them, and the passages quoted across a corpus (`quoted_passages.csv`,
//! [`passages`]).
//!
//! A source is read, normalised ([`normalise`]) and indexed ([`index`]) once per run, then shared by every thread.
//! A quotation is then, in this order: with no word, `none`; of one or two words, a `term`, counted in the source
//! and not located; cut by ellipses, each part located in order ([`locate`]); found whole as written (`exact`) or
//! once both are normalised (`normalised`); else aligned word by word near the places its word 3-grams occur
//! ([`align`]), `fuzzy` when similar enough; else `none`.

pub mod align;
pub mod index;
mod locate;
pub mod normalise;
pub mod passages;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::{self, Input, InputDigest, InputOptions};
use crate::report::schema::{ProvenanceRow, round4};
use crate::text::{ChapterRule, Chapters};

use index::Index;
pub use locate::{MAX_FUZZY_WORDS, MAX_GAP, MIN_SIMILARITY, split_ellipsis};
use normalise::Normalised;

/// A novel quotations are looked for in: its text, normalised and indexed.
#[derive(Debug)]
pub struct Source {
    /// Its id, made as a document's is (the file name without extension).
    pub id: String,
    /// Its text, decoded; offsets in the tables index into it.
    pub text: String,
    norm: Normalised,
    index: Index,
    /// Its chapters, when it has headings.
    chapters: Option<Chapters>,
}

impl Source {
    /// `text` as a source called `id`, its chapters found by `rule` (at most `u32::MAX` bytes).
    pub fn new(id: impl Into<String>, text: impl Into<String>, rule: &ChapterRule) -> Result<Source> {
        let (id, text) = (id.into(), text.into());
        if u32::try_from(text.len()).is_err() {
            return Err(Error::Usage(format!("{id}: a --source may hold at most 4 GiB of text")));
        }
        let norm = Normalised::of(&text);
        let index = Index::of(&norm.text);
        let chapters = Some(Chapters::find(&text, rule)).filter(|c| c.len() > 1);
        Ok(Source { id, text, norm, index, chapters })
    }

    /// The `chapter_id` (as `chapters.csv` numbers them) of the innermost chapter holding `byte`, when the
    /// source has chapters.
    fn chapter_of(&self, byte: usize) -> Option<u32> {
        let chapters = self.chapters.as_ref()?.as_slice();
        Some(chapters.partition_point(|c| c.start <= byte).max(1) as u32)
    }
}

/// The sources of a run (`--source FILE`…), in the order given.
#[derive(Debug, Default)]
pub struct Sources {
    /// Each source.
    pub list: Vec<Source>,
}

impl Sources {
    /// Reads the files (or every file of the folders) `paths` as `input` says, and indexes each; with their
    /// sizes and SHA-256, for the manifest. A missing file is an error naming it.
    pub fn read(paths: &[PathBuf], input: &InputOptions, rule: &ChapterRule) -> Result<(Sources, Vec<InputDigest>)> {
        if paths.iter().any(|p| p.as_os_str() == "-") {
            return Err(Error::Usage("--source -: a source must be a file or a folder, not standard input".into()));
        }
        let list = input::collect(paths, input).map_err(|e| match e {
            Error::MissingPath(path) => {
                Error::Usage(format!("{}: no such file (check the path given to --source)", path.display()))
            }
            e => e,
        })?;
        if let Some(skipped) = list.skipped.first() {
            return Err(Error::Usage(format!("--source {}: {}", skipped.path, skipped.reason)));
        }
        let (mut sources, mut digests) = (Sources::default(), Vec::new());
        for file in list.files {
            let source = Input::File(file)
                .load(input)
                .map_err(|skipped| Error::Usage(format!("--source {}: {}", skipped.path, skipped.reason)))?;
            digests.extend(source.file.clone());
            sources.list.push(Source::new(source.id, source.text, rule)?);
        }
        Ok((sources, digests))
    }

    /// Whether there are none (no `--source`).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Where `quotation` (the text inside its marks) comes from: one answer, or one per part for a quotation cut
    /// with ellipses; from the source where it is found best (the first of those as good).
    pub fn locate<'a>(&'a self, quotation: &'a str) -> Vec<Found<'a>> {
        locate::locate(&self.list, quotation)
    }
}

/// How a quotation (or a part of one) was found in a source: the `match` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The same characters.
    Exact,
    /// The same once both are normalised.
    Normalised,
    /// A part of a quotation cut with ellipses, found normalised, in order with the others.
    Ellipsis,
    /// Similar enough word by word.
    Fuzzy,
    /// One or two words: counted, not located.
    Term,
    /// Not found.
    None,
}

impl Match {
    /// The name in the `match` column.
    pub fn name(self) -> &'static str {
        match self {
            Match::Exact => "exact",
            Match::Normalised => "normalised",
            Match::Ellipsis => "ellipsis",
            Match::Fuzzy => "fuzzy",
            Match::Term => "term",
            Match::None => "none",
        }
    }
}

/// A quotation, or a part of one, and where it was found.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    /// 1, or the part's place among the parts of a quotation cut with ellipses.
    pub part: u32,
    /// The text looked for: the quotation (or part) from its first letter or digit to its last.
    pub text: &'a str,
    /// The source it was found in (for a term, the one it occurs in most), or `None`.
    pub source: Option<&'a Source>,
    /// Its span in the source's text.
    pub span: Option<(usize, usize)>,
    /// How it was found.
    pub kind: Match,
    /// For a located quotation, 1, or a fuzzy match's similarity.
    pub similarity: Option<f64>,
    /// For a term, its occurrences in the source.
    pub count: Option<u64>,
}

/// A located quotation (or part) as the corpus summary needs it: kept in a shard's state, so that `merge` makes
/// `quoted_passages.csv` from the shards' documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Located {
    /// The source's id.
    pub source: String,
    /// The source's length in bytes, for the chart's positions.
    pub source_bytes: usize,
    /// The span in the source.
    pub start: usize,
    /// One past its end.
    pub end: usize,
    /// Its chapter in the source, if known.
    pub chapter_id: Option<u32>,
    /// The quotation it belongs to (`quote_id`), so the parts of one count once.
    pub quote_id: u32,
    /// `source[start..end]`.
    pub text: String,
}

/// The rows of `provenance.csv` for the quotation `quote_id` of `document`, found as `found` says.
pub fn rows<'a>(document: &'a str, quote_id: u32, found: &[Found<'a>]) -> impl Iterator<Item = ProvenanceRow<'a>> {
    found.iter().map(move |f| {
        let span = f.span.filter(|_| f.source.is_some());
        ProvenanceRow {
            document,
            quote_id,
            part: f.part,
            text: f.text,
            source: f.source.map_or("", |s| s.id.as_str()),
            source_start_byte: span.map(|s| s.0),
            source_end_byte: span.map(|s| s.1),
            chapter_id: f.source.zip(span).and_then(|(s, (start, _))| s.chapter_of(start)),
            r#match: f.kind.name(),
            similarity: f.similarity.map(round4),
            count: f.count,
            source_text: f.source.zip(span).and_then(|(s, (a, b))| s.text.get(a..b)).unwrap_or(""),
        }
    })
}

/// The located ones among `found` (of the quotation `quote_id`), for the corpus summary.
pub fn located(quote_id: u32, found: &[Found]) -> impl Iterator<Item = Located> {
    found.iter().filter_map(move |f| {
        let (source, (start, end)) = f.source.zip(f.span)?;
        Some(Located {
            source: source.id.clone(),
            source_bytes: source.text.len(),
            start,
            end,
            chapter_id: source.chapter_of(start),
            quote_id,
            text: source.text.get(start..end)?.to_string(),
        })
    })
}
