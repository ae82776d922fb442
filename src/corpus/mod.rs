//! What spans documents: the corpus-level tables `corpus_vocabulary.csv`, `keyness.csv`, `similarity.csv`
//! ([`similarity`]) and the corpus rows of `ngrams.csv`, and the group rows ([`groups`]).
//!
//! This is the aggregation side of the house: [`crate::analysis`] turns one document into its rows, and this module
//! adds up what documents give it (their counts, their rows, as plain data), in input order. It may use the
//! analyses; no analysis uses it.
//!
//! Documents are counted on their own, in parallel ([`DocumentCounts::of`]), then added to the [`Corpus`] one after
//! another in input order, so the corpus tables do not depend on the number of threads. Memory holds the corpus
//! counts, never a document's tokens: what keyness needs of each document (its stem counts) waits in a temporary
//! file until the corpus totals are known.
//!
//! Keyness compares a document (or a group of documents) with the rest of the corpus, or with a [`reference`]
//! corpus or word list, word by word, as AntConc and quanteda's `textstat_keyness` do; [`KeynessOptions`] also
//! leave out rare stems and stopwords. For a stem seen `a` times in a target of `c` words and `b` times in the
//! `d` words of the reference (the other documents, or the reference):
//! - `g2` is the log-likelihood of the 2×2 table (target / reference × this stem / other words), 2 Σ O ln(O/E) over
//!   the four cells, without a continuity correction (Dunning 1993; Rayson & Garside 2000);
//! - `log_ratio` is the effect size, log₂((a/c) / (b/d)), a zero count taken as 0.5 (Hardie 2014): +1 means
//!   twice as frequent in the target, −1 half as frequent.
//!
//! ```
//! use marginalia::{input::Source, text::Pipeline, analysis::ngrams::NgramOptions, corpus::{Corpus, DocumentCounts}};
//! use marginalia::output::Place;
//! let pipeline = Pipeline::default();
//! // Keyness's counts wait in memory until the corpus is complete (`Place::Folder`: in a file there).
//! let mut corpus = Corpus::new(NgramOptions::default(), Some(Place::Memory)).unwrap();
//! for (id, text) in [("a", "Memory fails. Memories fade."), ("b", "The clones remember nothing.")] {
//!     let doc = pipeline.document(Source::from_text(id, text));
//!     corpus.add(DocumentCounts::of(&doc, Some(&NgramOptions::default()))).unwrap();
//! }
//! let rows: Vec<_> = corpus.vocabulary_rows().collect();
//! assert_eq!((rows[0].stem.as_str(), rows[0].term.as_str(), rows[0].count, rows[0].documents), ("memori", "memory", 2, 1));
//! ```

pub mod clustering;
pub mod groups;
mod numbered;
pub mod reference;
pub mod similarity;
pub mod tf_idf;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::collocations::Contingency;
use crate::analysis::ngrams::{self, DocumentNgrams, Forms, NgramCounter, NgramOptions};
use crate::error::{Error, Result};
use crate::output::Place;
use crate::report::schema::{CorpusVocabularyRow, KeynessRow, NgramRow, per_10k, round4};
use crate::text::{Document, NOT_KEPT, TableNumbers};

use numbered::{Numbered, id_of};
use reference::{Reference, ReferenceStem};

/// What the corpus needs from one document, counted in whatever thread analysed it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DocumentCounts {
    document: String,
    group: Option<String>,
    tokens: usize,
    /// Each normalised form with its stem (an index into `stems`), its count and whether it is a stopword, in the
    /// document's form order.
    forms: Vec<(Box<str>, u32, u32, bool)>,
    stems: Vec<Box<str>>,
    /// The document's n-grams; their rows are taken out for `ngrams.csv` before the counts are added.
    pub ngrams: DocumentNgrams,
    /// The forms' and stems' numbers in the word table that built the document; not kept in a shard's state,
    /// whose counts are found by their strings.
    #[serde(skip)]
    numbers: TableNumbers,
}

impl DocumentCounts {
    /// Counts `doc`, and its n-grams with `ngrams` (none without: `ngrams.csv` left out).
    pub fn of(doc: &Document, ngrams: Option<&NgramOptions>) -> Self {
        DocumentCounts {
            document: doc.id.clone(),
            group: (!doc.group.is_empty()).then(|| doc.group.clone()),
            tokens: doc.tokens.len(),
            forms: doc.forms.iter().map(|f| (f.norm.clone(), f.stem, f.count, f.stopword)).collect(),
            stems: doc.stems.clone(),
            ngrams: ngrams.map_or_else(|| DocumentNgrams::none(doc), |options| ngrams::count(doc, options)),
            numbers: doc.numbers.clone(),
        }
    }
}

impl DocumentCounts {
    /// Whether every id in the counts refers to a word they list, as counts made by [`DocumentCounts::of`] always
    /// do; counts read back from a shard's state are checked before they are added.
    pub fn fits(&self) -> bool {
        self.forms.iter().all(|(_, stem, _, _)| (*stem as usize) < self.stems.len())
            && self.ngrams.fits(self.forms.len())
    }
}

/// A document or group that keyness compares with the rest of the corpus.
#[derive(Debug)]
struct Target {
    document: String,
    group: String,
    tokens: u64,
    /// Distinct stems it holds: how many (stem, count) pairs it has in the spill file.
    stems: u32,
}

/// A group's words (`--group-by`): its stem counts (for keyness) and form counts (for its row's types).
#[derive(Debug, Default)]
struct Group {
    tokens: u64,
    counts: FxHashMap<u32, u64>,
    forms: FxHashMap<u32, u64>,
}

/// The vocabulary figures of a group's row in `documents.csv`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupVocabulary {
    /// Distinct normalised forms.
    pub types: usize,
    /// Distinct stems.
    pub stems: usize,
    /// Forms that occur once in the group.
    pub hapax: usize,
}

/// The corpus counts, documents added in input order.
#[derive(Debug)]
pub struct Corpus {
    forms: Forms,
    /// Per corpus form: its stem's corpus id, its count and whether it is a stopword.
    form_stem: Vec<u32>,
    form_count: Vec<u64>,
    form_stopword: Vec<bool>,
    stems: Forms,
    /// Per corpus stem: its count, the documents holding it, and the last document (numbered from 1) that did.
    stem_count: Vec<u64>,
    stem_documents: Vec<u32>,
    stem_last: Vec<u32>,
    ngrams: NgramCounter,
    tokens: u64,
    targets: Vec<Target>,
    groups: BTreeMap<String, Group>,
    /// For keyness: each document's (stem id, count) pairs as little-endian u32s; `None` without keyness.
    spill: Option<Spill>,
    /// The corpus ids of the forms and stems the word tables numbered.
    numbered: Numbered,
}

/// Where each document's stem counts wait for keyness: a temporary file in the output folder (named in errors),
/// or, for a run that writes no file, memory.
#[derive(Debug)]
enum Spill {
    File(BufWriter<File>, PathBuf),
    Memory(Vec<u8>),
}

impl Spill {
    fn write(&mut self, pair: &[u8]) -> Result<()> {
        match self {
            Spill::File(file, dir) => {
                file.write_all(pair).map_err(|source| Error::Output { path: dir.clone(), source })
            }
            Spill::Memory(bytes) => {
                bytes.extend_from_slice(pair);
                Ok(())
            }
        }
    }

    /// Everything written: for a file, what it holds, then what its writer still buffers, read without flushing,
    /// so that a shared corpus can make keyness beside the other tables that read it.
    fn reader(&self) -> Box<dyn Read + '_> {
        match self {
            Spill::File(file, _) => {
                Box::new(BufReader::new(ReadAt { file: file.get_ref(), at: 0 }).chain(file.buffer()))
            }
            Spill::Memory(bytes) => Box::new(bytes.as_slice()),
        }
    }

    /// What an error reading it back names.
    fn path(&self) -> &Path {
        match self {
            Spill::File(_, dir) => dir,
            Spill::Memory(_) => Place::Memory.path(),
        }
    }
}

impl Corpus {
    /// An empty corpus whose n-grams are counted with `options`. For keyness, each document's stem counts wait
    /// until the corpus totals are known, in an unnamed temporary file in `keyness`'s folder or in memory; `None`
    /// leaves keyness out.
    pub fn new(options: NgramOptions, keyness: Option<Place>) -> Result<Self> {
        let spill = match keyness {
            Some(Place::Folder(dir)) => {
                let file = tempfile::tempfile_in(dir).map_err(|source| Error::Output { path: dir.into(), source })?;
                Some(Spill::File(BufWriter::new(file), dir.to_path_buf()))
            }
            Some(Place::Memory) => Some(Spill::Memory(Vec::new())),
            None => None,
        };
        Ok(Corpus {
            forms: Forms::default(),
            form_stem: Vec::new(),
            form_count: Vec::new(),
            form_stopword: Vec::new(),
            stems: Forms::default(),
            stem_count: Vec::new(),
            stem_documents: Vec::new(),
            stem_last: Vec::new(),
            ngrams: NgramCounter::new(options),
            tokens: 0,
            targets: Vec::new(),
            groups: BTreeMap::new(),
            spill,
            numbered: Numbered::default(),
        })
    }

    /// Adds one document's counts. Fails only if the spill file cannot be written (a full disk).
    pub fn add(&mut self, counts: DocumentCounts) -> Result<()> {
        let (ngrams, form_ids) = self.add_apart(counts)?;
        self.ngrams.add(&ngrams, &form_ids);
        Ok(())
    }

    /// Adds one document's counts but its n-grams, which it returns with the corpus id of each of the document's
    /// forms, for the caller to add to the counter it took with [`Corpus::take_ngrams`] (on another thread, say),
    /// in the same order. Fails as [`Corpus::add`] does. N-grams returned and not added are not counted.
    pub(crate) fn add_apart(&mut self, counts: DocumentCounts) -> Result<(DocumentNgrams, Vec<u32>)> {
        let document = self.targets.len() as u32 + 1;
        let numbers = &counts.numbers;
        let numbered = numbers.table != 0
            && (numbers.forms.len(), numbers.stems.len()) == (counts.forms.len(), counts.stems.len());
        let mut ids = numbered.then(|| self.numbered.of(numbers.table));
        let stem_ids: Vec<u32> = (counts.stems.iter().zip(numbers.stems.iter().chain(std::iter::repeat(&NOT_KEPT))))
            .map(|(s, &number)| id_of(&mut self.stems, ids.as_mut().map(|ids| &mut ids.stems), number, s))
            .collect();
        self.stem_count.resize(self.stems.len(), 0);
        self.stem_documents.resize(self.stems.len(), 0);
        self.stem_last.resize(self.stems.len(), 0);
        let mut form_ids = Vec::with_capacity(counts.forms.len());
        let mut in_document: Vec<u32> = vec![0; stem_ids.len()];
        let form_numbers = numbers.forms.iter().chain(std::iter::repeat(&NOT_KEPT));
        for ((norm, stem, count, stopword), &number) in counts.forms.iter().zip(form_numbers) {
            let id = id_of(&mut self.forms, ids.as_mut().map(|ids| &mut ids.forms), number, norm);
            if id as usize == self.form_stem.len() {
                self.form_stem.push(stem_ids[*stem as usize]);
                self.form_count.push(0);
                self.form_stopword.push(*stopword);
            }
            self.form_count[id as usize] += *count as u64;
            form_ids.push(id);
            in_document[*stem as usize] += count;
        }
        let group = counts.group.unwrap_or_default();
        let mut group_counts = (!group.is_empty()).then(|| self.groups.entry(group.clone()).or_default());
        if let Some(g) = group_counts.as_mut() {
            for (&id, (_, _, count, _)) in form_ids.iter().zip(&counts.forms) {
                *g.forms.entry(id).or_default() += u64::from(*count);
            }
        }
        for (&stem, &count) in stem_ids.iter().zip(&in_document) {
            let s = stem as usize;
            self.stem_count[s] += count as u64;
            if self.stem_last[s] != document {
                self.stem_last[s] = document;
                self.stem_documents[s] += 1;
            }
            if let Some(spill) = &mut self.spill {
                spill.write(&(u64::from(count) << 32 | u64::from(stem)).to_le_bytes())?;
            }
            if let Some(g) = group_counts.as_mut() {
                *g.counts.entry(stem).or_default() += count as u64;
            }
        }
        if let Some(g) = group_counts {
            g.tokens += counts.tokens as u64;
        }
        self.tokens += counts.tokens as u64;
        let stems = stem_ids.len() as u32;
        self.targets.push(Target { document: counts.document, group, tokens: counts.tokens as u64, stems });
        Ok((counts.ngrams, form_ids))
    }

    /// The corpus's n-gram counter, for documents added with [`Corpus::add_apart`]. Until [`Corpus::put_ngrams`]
    /// gives it back, an empty one takes its place: documents given to [`Corpus::add`] meanwhile have their
    /// n-grams counted there and lost, and the corpus has no n-gram rows.
    pub(crate) fn take_ngrams(&mut self) -> NgramCounter {
        std::mem::replace(&mut self.ngrams, NgramCounter::new(NgramOptions::default()))
    }

    /// Gives back the counter [`Corpus::take_ngrams`] took, with the n-grams of every document added since.
    pub(crate) fn put_ngrams(&mut self, ngrams: NgramCounter) {
        debug_assert_eq!(ngrams.documents(), self.documents(), "every document's n-grams are counted once");
        self.ngrams = ngrams;
    }

    /// How many documents were added.
    pub fn documents(&self) -> usize {
        self.targets.len()
    }

    /// `corpus_vocabulary.csv`: every stem, most frequent first (ties alphabetically by term). A stem's term is
    /// its most frequent form in the corpus (ties: the form seen first).
    /// The rows are made one at a time as they are written: a corpus can have millions of stems. None with fewer
    /// than two documents, whose own `vocabulary.csv` says the same.
    pub fn vocabulary_rows(&self) -> impl Iterator<Item = CorpusVocabularyRow> + '_ {
        let terms = self.terms();
        let stems = if self.targets.len() >= 2 { self.stems.len() as u32 } else { 0 };
        let mut order: Vec<u32> = (0..stems).collect();
        let (count, term) = (|s: u32| self.stem_count[s as usize], |s: u32| self.forms.get(terms[s as usize]));
        order.par_sort_unstable_by(|&a, &b| count(b).cmp(&count(a)).then_with(|| term(a).cmp(term(b))));
        order.into_iter().map(move |s| CorpusVocabularyRow {
            stem: self.stems.get(s).to_string(),
            term: self.forms.get(terms[s as usize]).to_string(),
            count: self.stem_count[s as usize],
            documents: self.stem_documents[s as usize],
            per_10k: per_10k(self.stem_count[s as usize] as usize, self.tokens as usize),
        })
    }

    /// Each stem's term: the id of its most frequent form.
    fn terms(&self) -> Vec<u32> {
        let mut best = vec![u32::MAX; self.stems.len()];
        for (f, &s) in self.form_stem.iter().enumerate() {
            let b = &mut best[s as usize];
            if *b == u32::MAX || self.form_count[f] > self.form_count[*b as usize] {
                *b = f as u32;
            }
        }
        best
    }

    /// The corpus rows of `ngrams.csv` (see [`NgramCounter::corpus_rows`]).
    pub fn ngram_rows(&self) -> impl Iterator<Item = NgramRow> + '_ {
        self.ngrams.corpus_rows(&self.forms)
    }

    /// The vocabulary of the group `name` (all zeros for a group never seen).
    pub fn group_vocabulary(&self, name: &str) -> GroupVocabulary {
        self.groups.get(name).map_or_else(GroupVocabulary::default, |g| GroupVocabulary {
            types: g.forms.len(),
            stems: g.counts.len(),
            hapax: g.forms.values().filter(|&&n| n == 1).count(),
        })
    }

    /// See [`NgramCounter::undercount`].
    pub fn ngram_undercount(&self) -> u32 {
        self.ngrams.undercount()
    }

    /// `keyness.csv` (nothing for a corpus made without keyness), calling `each` with every row: for each
    /// document, then each group (when there are two or more, or one and a reference), the `options.top` stems
    /// most overused against the rest of the corpus or the reference (positive `log_ratio`), then the `top` most
    /// underused, each by `g2`, strongest first. Nothing with a single document and no reference.
    pub fn keyness_rows(
        &self,
        options: &KeynessOptions,
        each: &mut dyn FnMut(&KeynessRow) -> Result<()>,
    ) -> Result<()> {
        let Some(spill) = &self.spill else { return Ok(()) };
        let against_reference = options.reference.is_some();
        if (self.targets.len() < 2 && !against_reference) || options.top == 0 {
            return Ok(());
        }
        let spill_error = |source| Error::Output { path: spill.path().to_path_buf(), source };
        let mut counts_read = spill.reader();
        let terms = self.terms();
        let mut by_frequency: Vec<u32> = (0..self.stem_count.len() as u32).collect();
        // Ties in alphabetical order, as the rows are, so the rows cut by --keyness-top are the same either way.
        let stem = |s: u32| self.stems.get(s);
        by_frequency.sort_by(|&a, &b| {
            self.stem_count[b as usize].cmp(&self.stem_count[a as usize]).then_with(|| stem(a).cmp(stem(b)))
        });
        let reference = options.reference.as_ref().map(|r| ReferenceIndex {
            reference: r,
            places: r.stems.iter().enumerate().map(|(i, s)| (&*s.stem, i)).collect(),
            corpus_ids: (0..self.stems.len() as u32).map(|s| (self.stems.get(s), s)).collect(),
        });
        let keyness = Keyness { corpus: self, terms: &terms, by_frequency: &by_frequency, options, reference };
        let mut counts = Vec::new();
        for target in &self.targets {
            counts.clear();
            for _ in 0..target.stems {
                let mut pair = [0u8; 8];
                counts_read.read_exact(&mut pair).map_err(spill_error)?;
                let pair = u64::from_le_bytes(pair);
                counts.push((pair as u32, pair >> 32));
            }
            for row in keyness.rows(&target.document, &target.group, target.tokens, &counts) {
                each(&row)?;
            }
        }
        if self.groups.len() >= 2 || (against_reference && !self.groups.is_empty()) {
            for (name, group) in &self.groups {
                let counts: Vec<(u32, u64)> = group.counts.iter().map(|(&s, &c)| (s, c)).collect();
                for row in keyness.rows("", name, group.tokens, &counts) {
                    each(&row)?;
                }
            }
        }
        Ok(())
    }
}

/// Reads `file` from `at` on by position, leaving the file's own offset (its writer's) where it is.
struct ReadAt<'f> {
    file: &'f File,
    at: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.at)?;
        // Elsewhere the file's offset moves with the reading: keyness is the spill's last use.
        #[cfg(not(unix))]
        let n = {
            use std::io::Seek;
            let mut file = self.file;
            file.seek(std::io::SeekFrom::Start(self.at))?;
            file.read(buf)?
        };
        self.at += n as u64;
        Ok(n)
    }
}

/// How `keyness.csv` is made: how many rows, which words, compared with what.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeynessOptions {
    /// Rows each way for each document or group (`--keyness-top`).
    pub top: usize,
    /// The least count in target and reference together that a stem needs to be listed (`--keyness-min-count`;
    /// 1 lists every stem, as before the option existed).
    pub min_count: u64,
    /// Whether stems whose term is a stopword are listed (`--keyness-no-stopwords` leaves them out).
    pub stopwords: bool,
    /// What each target is compared with (`--reference`); `None` for the rest of the corpus.
    pub reference: Option<Reference>,
}

/// A stem that may make a row: its name, its term, its counts in the target (`a`) and the reference (`b`).
struct Candidate<'c> {
    stem: &'c str,
    term: &'c str,
    a: u64,
    b: u64,
    stopword: bool,
}

/// Keeps the `top` rows of the greatest G² (`.0`), ties by stem, in that order: the `top` first of `rows` sorted
/// so. Only those are sorted: a document's candidates are every stem of the corpus, its rows a few dozen.
fn strongest<T, K: Ord + ?Sized>(rows: &mut Vec<(f64, f64, T)>, top: usize, stem: impl Fn(&T) -> &K) {
    let order = |x: &(f64, f64, T), y: &(f64, f64, T)| y.0.total_cmp(&x.0).then_with(|| stem(&x.2).cmp(stem(&y.2)));
    if top == 0 {
        rows.clear();
        return;
    }
    if rows.len() > top {
        rows.select_nth_unstable_by(top - 1, order);
        rows.truncate(top);
    }
    rows.sort_by(order);
}

/// What keyness needs of the corpus.
struct Keyness<'c> {
    corpus: &'c Corpus,
    /// Each stem's term (a form id).
    terms: &'c [u32],
    /// Stem ids, most frequent first.
    by_frequency: &'c [u32],
    options: &'c KeynessOptions,
    reference: Option<ReferenceIndex<'c>>,
}

/// A reference, with the place of each of its stems and the corpus id of each corpus stem.
struct ReferenceIndex<'c> {
    reference: &'c Reference,
    places: FxHashMap<&'c str, usize>,
    corpus_ids: FxHashMap<&'c str, u32>,
}

impl<'c> Keyness<'c> {
    /// The rows of one target of `tokens` words holding `counts` (stem id, count). The candidates are its own
    /// stems and, for underuse, the `top` most frequent reference stems it lacks (of those the filters keep):
    /// among absent stems, G² and the size of the log ratio grow with the reference count, so no other absent
    /// stem can rank higher.
    fn rows(&self, document: &str, group: &str, tokens: u64, counts: &[(u32, u64)]) -> Vec<KeynessRow> {
        let corpus = self.corpus;
        let rest = self.reference.as_ref().map_or(corpus.tokens - tokens, |r| r.reference.tokens);
        if tokens == 0 || rest == 0 {
            return Vec::new();
        }
        let keep = |c: &Candidate| c.a + c.b >= self.options.min_count && (self.options.stopwords || !c.stopword);
        let present = counts.iter().map(|&(stem, a)| self.in_target(stem, a));
        let (mut over, mut under) = (Vec::new(), Vec::new());
        for c in present.filter(keep).chain(self.absent(counts, &keep)) {
            let table = Contingency { observed: c.a, window: tokens, collocate: c.a + c.b, words: tokens + rest };
            let ratio = log_ratio(c.a, tokens, c.b, rest);
            // The direction is the sign of the log ratio, so the two never disagree; the 0.5 that stands in for a
            // zero count never makes a row: a stem the target lacks is not overused, nor one only it uses
            // underused, whatever the sizes of the two sides.
            if ratio > 0.0 && c.a > 0 {
                over.push((table.g2(), ratio, c));
            } else if ratio < 0.0 && c.b > 0 {
                under.push((table.g2(), ratio, c));
            }
        }
        strongest(&mut over, self.options.top, |c| c.stem);
        strongest(&mut under, self.options.top, |c| c.stem);
        over.into_iter()
            .chain(under)
            .map(|(g2, ratio, c)| KeynessRow {
                document: document.to_string(),
                group: group.to_string(),
                stem: c.stem.to_string(),
                term: c.term.to_string(),
                count: c.a,
                reference_count: c.b,
                g2: round4(g2),
                log_ratio: round4(ratio),
            })
            .collect()
    }

    /// A stem of the target, seen `a` times in it.
    fn in_target(&self, stem: u32, a: u64) -> Candidate<'c> {
        let corpus = self.corpus;
        let term = self.terms[stem as usize];
        let name = corpus.stems.get(stem);
        let b = match &self.reference {
            Some(r) => r.places.get(name).map_or(0, |&i| r.reference.stems[i].count),
            None => corpus.stem_count[stem as usize] - a,
        };
        let stopword = corpus.form_stopword[term as usize];
        Candidate { stem: name, term: corpus.forms.get(term), a, b, stopword }
    }

    /// The most frequent stems of the reference that the target (`counts`) lacks and `keep` keeps, at most `top`.
    fn absent(&self, counts: &[(u32, u64)], keep: &dyn Fn(&Candidate) -> bool) -> Vec<Candidate<'c>> {
        let present: rustc_hash::FxHashSet<u32> = counts.iter().map(|&(s, _)| s).collect();
        let top = self.options.top;
        let Some(r) = &self.reference else {
            let lacking = self.by_frequency.iter().filter(|s| !present.contains(s));
            return lacking.map(|&s| self.in_target(s, 0)).filter(|c| keep(c)).take(top).collect();
        };
        // A stem the corpus has keeps its corpus term (and that term's stopword flag), as every other row does;
        // one only the reference has shows the reference's.
        let candidate = |s: &'c ReferenceStem| match r.corpus_ids.get(&*s.stem) {
            Some(&id) => self.in_target(id, 0),
            None => Candidate { stem: &s.stem, term: &s.term, a: 0, b: s.count, stopword: s.stopword },
        };
        let lacking =
            r.reference.stems.iter().filter(|s| r.corpus_ids.get(&*s.stem).is_none_or(|id| !present.contains(id)));
        lacking.map(candidate).filter(|c| keep(c)).take(top).collect()
    }
}

/// Hardie's (2014) Log Ratio: log₂ of the ratio of relative frequencies, a zero count taken as 0.5.
pub fn log_ratio(count: u64, tokens: u64, reference_count: u64, reference_tokens: u64) -> f64 {
    let share = |c: u64, n: u64| if c == 0 { 0.5 } else { c as f64 } / n as f64;
    (share(count, tokens) / share(reference_count, reference_tokens)).log2()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The rows kept are those a full sort would put first, in its order (stems are distinct, as a
        /// document's are; G² values collide often, and NaN and -0.0 turn up).
        #[test]
        fn strongest_keeps_what_a_full_sort_puts_first(
            g2 in prop::collection::vec(prop_oneof![Just(0.0), Just(-0.0), Just(1.5), Just(f64::NAN), any::<f64>()], 0..60),
            top in 0usize..70,
        ) {
            let rows: Vec<(f64, f64, String)> = g2.iter().enumerate().map(|(i, &g)| (g, 0.0, format!("s{i}"))).collect();
            let mut sorted = rows.clone();
            sorted.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.2.cmp(&y.2)));
            sorted.truncate(top);
            let mut kept = rows;
            super::strongest(&mut kept, top, |s: &String| s.as_str());
            let bits = |rows: &[(f64, f64, String)]| rows.iter().map(|r| (r.0.to_bits(), r.2.clone())).collect::<Vec<_>>();
            prop_assert_eq!(bits(&kept), bits(&sorted));
        }
    }

    use super::*;
    use crate::input::Source;
    use crate::text::Pipeline;

    fn corpus(texts: &[(&str, &str, Option<&str>)]) -> Corpus {
        let dir = tempfile::tempdir().unwrap();
        corpus_in(Place::Folder(dir.path()), texts)
    }

    /// `texts` counted, their keyness counts waiting in `place`.
    fn corpus_in(place: Place, texts: &[(&str, &str, Option<&str>)]) -> Corpus {
        let pipeline = Pipeline::default();
        let mut corpus = Corpus::new(NgramOptions::default(), Some(place)).unwrap();
        for (id, text, group) in texts {
            let source = Source { group: group.unwrap_or_default().to_string(), ..Source::from_text(*id, *text) };
            corpus.add(DocumentCounts::of(&pipeline.document(source), Some(&NgramOptions::default()))).unwrap();
        }
        corpus
    }

    #[test]
    fn ngrams_counted_apart_are_counted_as_in_place() {
        // Counted by hand: "clones remember" three times, in both documents; "remember hailsham" twice, in one.
        let texts = ["Clones remember Hailsham. Clones remember Hailsham.", "Clones remember Tommy."];
        let (pipeline, options) = (Pipeline::default(), NgramOptions::default());
        let counts = |text: &str| DocumentCounts::of(&pipeline.document(Source::from_text("d", text)), Some(&options));
        let rows = |corpus: &Corpus| -> Vec<(String, u32, Option<u32>)> {
            corpus.ngram_rows().map(|r| (r.ngram, r.count, r.documents)).collect()
        };
        let mut in_place = Corpus::new(options, None).unwrap();
        let mut apart = Corpus::new(options, None).unwrap();
        let mut counter = apart.take_ngrams();
        for text in texts {
            in_place.add(counts(text)).unwrap();
            let (ngrams, ids) = apart.add_apart(counts(text)).unwrap();
            counter.add(&ngrams, &ids);
        }
        apart.put_ngrams(counter);
        let found = rows(&apart);
        assert!(found.contains(&("clones remember".into(), 3, Some(2))), "{found:?}");
        assert!(found.contains(&("remember hailsham".into(), 2, Some(1))), "{found:?}");
        assert_eq!(found, rows(&in_place));
    }

    /// The corpus vocabulary's rows (stem, term, count, documents), and the corpus id of each of some forms.
    type Counted = (Vec<(String, String, u64, u32)>, Vec<Option<u32>>);

    /// Every figure of the corpus vocabulary, and the corpus id of each of the words `forms`.
    fn counted(corpus: &Corpus, forms: &[&str]) -> Counted {
        let rows = corpus.vocabulary_rows().map(|r| (r.stem, r.term, r.count, r.documents)).collect();
        (rows, forms.iter().map(|f| corpus.forms.id(f)).collect())
    }

    #[test]
    fn words_found_by_their_table_numbers_are_counted_as_by_their_strings() {
        let texts = ["Memories fade. The clones remember.", "Memory stays; Ruth remembers the clones.", "Tommy."];
        let pipeline = Pipeline::default();
        let counts = || texts.map(|t| DocumentCounts::of(&pipeline.document(Source::from_text("d", t)), None));
        let mut by_numbers = Corpus::new(NgramOptions::default(), Some(Place::Memory)).unwrap();
        let mut by_strings = Corpus::new(NgramOptions::default(), Some(Place::Memory)).unwrap();
        for (numbered, mut unnumbered) in counts().into_iter().zip(counts()) {
            assert_ne!(numbered.numbers.table, 0, "built by a pipeline, the counts carry its table's numbers");
            unnumbered.numbers = TableNumbers::default();
            by_numbers.add(numbered).unwrap();
            by_strings.add(unnumbered).unwrap();
        }
        // The numbers were used (the one thread's table is known, each of its ten words with its id), and the
        // strings alone were.
        assert_eq!((by_numbers.numbered.tables.len(), by_strings.numbered.tables.len()), (1, 0));
        let known = by_numbers.numbered.tables[0].1.forms.iter().filter(|&&id| id != u32::MAX).count();
        assert_eq!(known, 10);
        let words = ["memories", "memory", "clones", "tommy", "the"];
        let (rows, ids) = counted(&by_numbers, &words);
        assert_eq!((rows.clone(), ids.clone()), counted(&by_strings, &words));
        // By hand: "memori" twice (memories, memory) in two documents, its term the form met first.
        assert!(rows.contains(&("memori".into(), "memories".into(), 2, 2)), "{rows:?}");
        // Forms are numbered as first met: memories 0, fade 1, the 2, clones 3, remember 4, memory 5, … tommy 9.
        assert_eq!(ids, [Some(0), Some(5), Some(3), Some(9), Some(2)]);
    }

    #[test]
    fn numbers_that_do_not_match_their_words_are_not_trusted() {
        let pipeline = Pipeline::default();
        let counts = |text: &str| DocumentCounts::of(&pipeline.document(Source::from_text("d", text)), None);
        let mut corpus = Corpus::new(NgramOptions::default(), None).unwrap();
        let clones = counts("Clones remember.");
        // Two words and two stems as well, but given the numbers of the first document's.
        let mut ruth = counts("Ruth sleeps.");
        ruth.numbers = clones.numbers.clone();
        corpus.add(clones).unwrap();
        corpus.add(ruth).unwrap();
        let (rows, ids) = counted(&corpus, &["clones", "remember", "ruth", "sleeps"]);
        assert_eq!(ids, [Some(0), Some(1), Some(2), Some(3)]);
        assert!(rows.iter().all(|r| (r.2, r.3) == (1, 1)), "{rows:?}");
    }

    #[test]
    fn numbers_of_more_tables_than_are_kept_are_still_counted_right_and_the_busiest_table_stays() {
        let pipeline = Pipeline::default();
        let mut corpus = Corpus::new(NgramOptions::default(), None).unwrap();
        let capacity = corpus.numbered.capacity;
        let mut add = |table: u64, text: &str| {
            let mut counts = DocumentCounts::of(&pipeline.document(Source::from_text("d", text)), None);
            counts.numbers.table = table;
            corpus.add(counts).unwrap();
        };
        // Table 1 between each of ever new tables, which come once each, then one of those long let go.
        for table in 2..=capacity as u64 + 3 {
            add(1, "Clones remember.");
            add(table, "Clones remember.");
        }
        add(2, "Clones remember.");
        assert_eq!(corpus.numbered.tables.len(), capacity);
        assert!(corpus.numbered.tables.iter().any(|(table, _)| *table == 1), "the table used most stays");
        let documents = 2 * (capacity as u32 + 2) + 1;
        let rows = counted(&corpus, &["clones"]).0;
        assert_eq!(
            rows,
            [
                ("clone".into(), "clones".into(), documents.into(), documents),
                ("rememb".into(), "remember".into(), documents.into(), documents)
            ]
        );
    }

    fn keyness(corpus: &Corpus, top: usize) -> Vec<(String, String, String, u64, u64, f64, f64)> {
        let mut rows = Vec::new();
        corpus
            .keyness_rows(&KeynessOptions { top, min_count: 1, stopwords: true, reference: None }, &mut |r| {
                let row = (r.document.clone(), r.group.clone(), r.stem.clone(), r.count, r.reference_count);
                rows.push((row.0, row.1, row.2, row.3, row.4, r.g2, r.log_ratio));
                Ok(())
            })
            .unwrap();
        rows
    }

    #[test]
    fn keyness_matches_the_log_likelihood_and_log_ratio_worked_by_hand() {
        // a: dull ×4, slow ×1 (5 words); b: fine ×5, slow ×1 (6 words). Expected values computed separately from
        // the formulas (G² over the four cells of the 2×2 table; log2 of the ratio of relative frequencies, a zero
        // count taken as 0.5): dull in a: G² 9.4166, LR 3.263; fine absent from a: 9.7515, −3.0589; slow in a:
        // 0.0203, 0.263.
        let c = corpus(&[("a", "Dull dull dull dull. Slow.", None), ("b", "Fine slow fine fine fine fine.", None)]);
        let s = |x: &str| x.to_string();
        assert_eq!(
            keyness(&c, 20),
            [
                (s("a"), s(""), s("dull"), 4, 0, 9.4166, 3.263),
                (s("a"), s(""), s("slow"), 1, 1, 0.0203, 0.263),
                (s("a"), s(""), s("fine"), 0, 5, 9.7515, -3.0589),
                (s("b"), s(""), s("fine"), 5, 0, 9.7515, 3.0589),
                (s("b"), s(""), s("dull"), 0, 4, 9.4166, -3.263),
                (s("b"), s(""), s("slow"), 1, 1, 0.0203, -0.263),
            ]
        );
        // --keyness-top 1: the strongest each way.
        let top: Vec<String> = keyness(&c, 1).into_iter().map(|r| format!("{}:{}", r.0, r.2)).collect();
        assert_eq!(top, ["a:dull", "a:fine", "b:fine", "b:dull"]);
    }

    #[test]
    fn groups_are_compared_with_the_rest_and_documents_still_are() {
        let c = corpus(&[
            ("a", "Dull dull. Slow.", Some("one star")),
            ("b", "Dull dull.", Some("one star")),
            ("c", "Fine slow fine fine fine fine.", Some("five stars")),
        ]);
        let rows = keyness(&c, 20);
        // The group "one star" is a and b together: the same table as document a of the test above.
        let one = rows.iter().find(|r| r.1 == "one star" && r.0.is_empty() && r.2 == "dull").unwrap();
        assert_eq!((one.3, one.4, one.5, one.6), (4, 0, 9.4166, 3.263));
        assert!(rows.iter().any(|r| r.0 == "a"), "documents keep their own rows");
        // Groups come after the documents, alphabetically.
        let groups: Vec<&str> = rows.iter().filter(|r| r.0.is_empty()).map(|r| r.1.as_str()).collect();
        assert_eq!(groups.first(), Some(&"five stars"));
        assert_eq!(groups.last(), Some(&"one star"));
    }

    #[test]
    fn corpus_vocabulary_sums_the_documents_and_counts_where_stems_occur() {
        let c = corpus(&[
            ("a", "Memories fade. Memory fails. Memory stays.", None),
            ("b", "The memories of clones.", None),
            ("c", "Nothing here.", None),
        ]);
        let rows: Vec<_> = c.vocabulary_rows().collect();
        let memori = rows.iter().find(|r| r.stem == "memori").unwrap();
        // memory ×2, memories ×2: a tie, broken by the form seen first ("memories").
        assert_eq!((memori.term.as_str(), memori.count, memori.documents), ("memories", 4, 2));
        assert_eq!(memori.per_10k, per_10k(4, 6 + 4 + 2));
        assert_eq!(rows[0].stem, "memori", "most frequent first");
        let total: u64 = rows.iter().map(|r| r.count).sum();
        assert_eq!(total, 12);
    }

    #[test]
    fn the_direction_of_a_row_is_the_sign_of_its_log_ratio() {
        let c = corpus(&[("a", "Cat.", None), ("b", "Dog cat cat cat cat cat cat cat cat cat.", None)]);
        let rows = keyness(&c, 20);
        // "dog" is absent from a, but a one-word text cannot show it rarer than 1 in 10: 0.5 / 1 > 1 / 10.
        assert!(!rows.iter().any(|r| r.0 == "a" && r.2 == "dog"), "{rows:?}");
        for target in ["a", "b"] {
            let over: Vec<bool> = rows.iter().filter(|r| r.0 == target).map(|r| r.6 > 0.0).collect();
            assert!(over.windows(2).all(|w| w[0] >= w[1]), "overused first, then underused: {over:?}");
        }
        assert!(rows.iter().all(|r| r.6 < 0.0 || r.3 > 0), "only stems it uses are overused");
    }

    #[test]
    fn a_stem_only_the_target_uses_is_never_underused() {
        // zyzzyva is once in 100 words of "long" and nowhere else; 1/100 is less than 0.5/10, the stand-in for
        // the rest's zero, yet it cannot be underused.
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
        let long: Vec<&str> = (0..99).map(|i| words[i % 10]).chain(["zyzzyva"]).collect();
        let c = corpus(&[
            ("long", &format!("{}.", long.join(" ")), None),
            ("short", &format!("{}.", words.join(" ")), None),
        ]);
        let rows = keyness(&c, 20);
        assert!(!rows.iter().any(|r| r.2 == "zyzzyva" && r.6 < 0.0), "{rows:?}");
        assert!(rows.iter().all(|r| (r.6 > 0.0 && r.3 > 0) || (r.6 < 0.0 && r.4 > 0)));
    }

    #[test]
    fn ties_at_the_cut_are_broken_alphabetically() {
        // zebra and apple are equally frequent; zebra is seen first, but apple comes first in the rows.
        let c = corpus(&[("a", "Cat cat.", None), ("b", "Zebra apple.", None)]);
        let under = |top| -> Vec<String> {
            keyness(&c, top).into_iter().filter(|r| r.0 == "a" && r.6 < 0.0).map(|r| r.2).collect()
        };
        assert_eq!(under(2), ["appl", "zebra"]);
        assert_eq!(under(1), ["appl"]);
    }

    #[test]
    fn keyness_reads_counts_from_the_spill_file_and_from_its_writer_alike() {
        // 1,500 distinct words spill 12 KB of counts, more than the writer holds: the first part is read from
        // the file, the rest from the writer's buffer, never flushed. b repeats one of a's words three times.
        let many: Vec<String> = (0..1500).map(|n| format!("w{n:04}")).collect();
        let a = many.join(" ");
        let c = corpus(&[("a", &a, None), ("b", "w0007 w0007 w0007 zebra.", None)]);
        let rows = keyness(&c, 1);
        let b: Vec<_> = rows.iter().filter(|r| r.0 == "b").map(|r| (r.2.as_str(), r.3, r.4)).collect();
        assert_eq!(b, [("w0007", 3, 1)]);
        assert!(rows.iter().filter(|r| r.0 == "a").all(|r| r.3 <= 1), "{rows:?}");
    }

    #[test]
    fn keyness_from_counts_waiting_in_memory_is_keyness_from_the_spill_file() {
        let many: Vec<String> = (0..1500).map(|n| format!("w{n:04}")).collect();
        let a = many.join(" ");
        let texts = [("a", a.as_str(), None), ("b", "w0007 w0007 w0007 zebra.", None), ("c", "Zebra w0001.", None)];
        let dir = tempfile::tempdir().unwrap();
        let in_memory = keyness(&corpus_in(Place::Memory, &texts), 2);
        assert_eq!(in_memory, keyness(&corpus_in(Place::Folder(dir.path()), &texts), 2));
        let b: Vec<_> = in_memory.iter().filter(|r| r.0 == "b").map(|r| (r.2.as_str(), r.3, r.4)).collect();
        assert_eq!(b, [("w0007", 3, 1), ("zebra", 1, 1)]);
    }

    #[test]
    fn one_document_has_no_keyness() {
        let c = corpus(&[("a", "Dull dull dull.", None)]);
        assert!(keyness(&c, 20).is_empty());
    }
}
