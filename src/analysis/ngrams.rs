//! `ngrams.csv`: the runs of words a text returns to ("quiet horror", "told and not told"), counted inside
//! sentences, per document and over the corpus.
//!
//! Counting works on ids, never on strings: an n-gram is a fixed-size key of form ids (a `u128` up to four
//! words). A document is counted on its own, with its own form ids, in whatever thread analyses it; its table is
//! then added to the corpus's, its ids mapped to corpus-wide ones, so the corpus costs one lookup per distinct
//! n-gram of a document. Strings are built only for the rows written. The corpus counter ([`NgramCounter`]) lives
//! here, beside the document counter whose packed keys it shares; [`crate::corpus::Corpus`] owns one (and lends it to a
//! merge's thread that counts the n-grams).
//!
//! ```
//! use marginalia::{input::Source, text::Pipeline, analysis::ngrams::{count, NgramOptions}};
//! let text = "It is told and not told. They are told and not told again.";
//! let doc = Pipeline::default().document(Source::from_text("review", text));
//! let mut counted = count(&doc, &NgramOptions { min_n: 4, max_n: 4, ..NgramOptions::default() });
//! let rows: Vec<_> = counted.take_rows(&doc).collect();
//! assert_eq!((rows[0].ngram.as_str(), rows[0].count), ("told and not told", 2));
//! ```

use std::hash::Hash;
use std::rc::Rc;

use indexmap::IndexSet;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::parallel::{self, SHARED_FROM_TOKENS};
use crate::report::schema::{NgramRow, per_10k};
use crate::text::{Document, Token};

/// The longest n-gram counted (`--ngrams 2..8`).
pub const MAX_N: usize = 8;

/// What to do with n-grams that begin or end with a stopword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum EdgeStopwords {
    /// Drop them ("of the", "the quiet"), as AntConc's cluster tool does; stopwords inside are kept
    /// ("told and not told").
    #[default]
    Drop,
    /// Keep every n-gram.
    Keep,
}

/// Which n-grams are counted and which are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NgramOptions {
    /// Shortest n-gram (at least 1).
    pub min_n: usize,
    /// Longest n-gram (at most [`MAX_N`]).
    pub max_n: usize,
    /// Rows are written only for n-grams occurring at least this often (`--min-count`).
    pub min_count: u32,
    /// Stopwords at the edges (`--ngram-stopwords`).
    pub edge_stopwords: EdgeStopwords,
}

impl Default for NgramOptions {
    /// Bigrams and trigrams occurring at least twice, without stopwords at their edges.
    fn default() -> Self {
        NgramOptions { min_n: 2, max_n: 3, min_count: 2, edge_stopwords: EdgeStopwords::Drop }
    }
}

/// Distinct corpus n-grams kept in memory before rare ones are pruned, shared among the sizes counted. A slot
/// takes 33 bytes for n-grams of up to four words (49 for longer ones), so the tables stay near 130 MB (plus
/// the doubling of a table as it grows).
pub const DEFAULT_CORPUS_CAPACITY: usize = 3_500_000;

/// An n-gram packed into a fixed-size key of form ids, so counting one costs a hash of a few words and no
/// allocation. Ids must be below `u32::MAX`.
trait Key: Copy + Ord + Hash + Send + Sync {
    fn pack(ids: impl Iterator<Item = u32>) -> Self;
    fn ids(&self) -> impl Iterator<Item = u32>;
}

/// Up to four ids, one per 32-bit lane, stored plus one so that an empty lane is 0; the first id is in the
/// highest lane in use.
impl Key for u128 {
    fn pack(ids: impl Iterator<Item = u32>) -> Self {
        ids.fold(0, |key, id| (key << 32) | (id as u128 + 1))
    }

    fn ids(&self) -> impl Iterator<Item = u32> {
        (0..4).rev().map(move |lane| (self >> (32 * lane)) as u32).filter(|&lane| lane != 0).map(|lane| lane - 1)
    }
}

/// Up to [`MAX_N`] ids, padded with `u32::MAX`.
impl Key for [u32; MAX_N] {
    fn pack(ids: impl Iterator<Item = u32>) -> Self {
        let mut key = [u32::MAX; MAX_N];
        key.iter_mut().zip(ids).for_each(|(slot, id)| *slot = id);
        key
    }

    fn ids(&self) -> impl Iterator<Item = u32> {
        self.iter().copied().take_while(|&id| id != u32::MAX)
    }
}

/// The longest n-gram packed into a `u128`.
const SHORT: usize = 4;

/// An n-gram's corpus counts.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    /// Occurrences in the corpus.
    count: u32,
    /// Documents it occurs in.
    documents: u32,
}

/// One size's n-grams in one document, keyed by the document's own form ids, with their counts: the table they
/// were counted in (a novel's would take as much again copied into a list).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
enum Local {
    Short(FxHashMap<u128, u32>),
    Long(FxHashMap<[u32; MAX_N], u32>),
}

/// One size's rows in one document: its size, and the n-grams reaching `min_count` in row order (most frequent
/// first, then alphabetically), spelled out only as they are written.
#[derive(Debug)]
enum Ranked {
    Short(usize, Vec<(u128, u32)>),
    Long(usize, Vec<([u32; MAX_N], u32)>),
}

/// One document's n-grams, counted on their own (in any thread) and then added to the corpus with
/// [`NgramCounter::add`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DocumentNgrams {
    /// The document's rows, by size: taken out by [`DocumentNgrams::take_rows`] before the counts are added to
    /// the corpus, and left out of a shard's state (`--shard`).
    #[serde(skip)]
    rows: Vec<Ranked>,
    /// Every n-gram of each size counted, shortest size first.
    sizes: Vec<Local>,
    tokens: usize,
}

impl DocumentNgrams {
    /// No n-grams of `doc`: it was not counted.
    pub fn none(doc: &Document) -> Self {
        DocumentNgrams { rows: Vec::new(), sizes: Vec::new(), tokens: doc.tokens.len() }
    }

    /// Whether every word id in the n-grams is below `forms`, the document's number of forms.
    pub fn fits(&self, forms: usize) -> bool {
        let below = |id: u32| (id as usize) < forms;
        self.sizes.iter().all(|size| match size {
            Local::Short(keys) => keys.keys().all(|key| key.ids().all(below)),
            Local::Long(keys) => keys.keys().all(|key| key.ids().all(below)),
        })
    }

    /// Takes out the rows of `doc` (the document counted): by n, most frequent first, then alphabetically, each
    /// spelled out as it is made.
    pub fn take_rows<'d>(&mut self, doc: &'d Document) -> impl Iterator<Item = NgramRow> + 'd {
        std::mem::take(&mut self.rows).into_iter().flat_map(move |ranked| -> Box<dyn Iterator<Item = NgramRow>> {
            match ranked {
                Ranked::Short(n, keys) => Box::new(keys.into_iter().map(move |(key, c)| document_row(doc, n, &key, c))),
                Ranked::Long(n, keys) => Box::new(keys.into_iter().map(move |(key, c)| document_row(doc, n, &key, c))),
            }
        })
    }
}

/// The row of `doc`'s n-gram `key` of size `n`, counted `count` times.
fn document_row<K: Key>(doc: &Document, n: usize, key: &K, count: u32) -> NgramRow {
    NgramRow {
        document: doc.id.clone(),
        n,
        ngram: spell(key, |id| &doc.forms[id as usize].norm),
        count,
        per_10k: per_10k(count as usize, doc.tokens.len()),
        documents: None,
    }
}

/// Counts `doc`'s n-grams inside sentences. With [`EdgeStopwords::Keep`] a sentence of k words gives k − n + 1
/// n-grams of size n. The sizes of a long document are counted in parallel (rayon's pool).
pub fn count(doc: &Document, options: &NgramOptions) -> DocumentNgrams {
    let shared = doc.tokens.len() >= SHARED_FROM_TOKENS;
    let sizes: Vec<(Local, Ranked)> = parallel::map(sizes(options).collect(), shared, |n| match n {
        ..=SHORT => {
            let (local, rows) = count_size::<u128>(doc, n, options);
            (Local::Short(local), Ranked::Short(n, rows))
        }
        _ => {
            let (local, rows) = count_size::<[u32; MAX_N]>(doc, n, options);
            (Local::Long(local), Ranked::Long(n, rows))
        }
    });
    let (sizes, rows): (Vec<Local>, Vec<Ranked>) = sizes.into_iter().unzip();
    DocumentNgrams { rows, sizes, tokens: doc.tokens.len() }
}

/// The sizes counted, shortest first.
fn sizes(options: &NgramOptions) -> std::ops::RangeInclusive<usize> {
    options.min_n.max(1)..=options.max_n.min(MAX_N)
}

/// The n-grams of size `n` in `doc` with their counts, and those reaching `min_count` in row order.
fn count_size<K: Key>(doc: &Document, n: usize, options: &NgramOptions) -> (FxHashMap<K, u32>, Vec<(K, u32)>) {
    let mut table: FxHashMap<K, u32> = FxHashMap::default();
    let stop = |t: &Token| doc.forms[t.form() as usize].stopword;
    for sentence in &doc.sentences {
        let tokens = &doc.tokens[sentence.first_token as usize..sentence.end_token as usize];
        for gram in tokens.windows(n) {
            if options.edge_stopwords == EdgeStopwords::Drop && (stop(&gram[0]) || stop(&gram[n - 1])) {
                continue;
            }
            *table.entry(K::pack(gram.iter().map(|t| t.form()))).or_default() += 1;
        }
    }
    let min_count = options.min_count.max(1);
    let mut rows: Vec<(K, u32)> = table.iter().filter(|&(_, &c)| c >= min_count).map(|(&key, &c)| (key, c)).collect();
    // Word by word is the order of the spelled-out n-grams: no word holds a space, and n is the same.
    let word = |id: u32| &*doc.forms[id as usize].norm;
    rows.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.ids().map(word).cmp(b.0.ids().map(word))));
    (table, rows)
}

/// Strings numbered in order of first appearance, each stored once.
#[derive(Debug, Default)]
pub struct Forms {
    set: IndexSet<Box<str>, FxBuildHasher>,
}

impl Forms {
    /// The id of `word`, numbering it if it is new.
    pub fn intern(&mut self, word: &str) -> u32 {
        match self.set.get_index_of(word) {
            Some(id) => id as u32,
            None => self.set.insert_full(word.into()).0 as u32,
        }
    }

    /// The id of `word`, if it is numbered.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.set.get_index_of(word).map(|id| id as u32)
    }

    /// The string numbered `id`.
    pub fn get(&self, id: u32) -> &str {
        self.set.get_index(id as usize).map_or("", |word| word)
    }

    /// How many strings are numbered.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// The corpus n-grams of one size. The table is bounded by lossy counting (Manku & Motwani 2002): past
/// capacity, between two documents, what is still rare is dropped.
#[derive(Debug)]
struct Sized<K> {
    n: usize,
    table: FxHashMap<K, Counts>,
    capacity: usize,
    /// Pruning drops n-grams seen fewer times than this (`min_count`, at least 2).
    bar: u32,
    /// How many occurrences of one n-gram pruning may have dropped, in total (0: the counts are exact).
    undercount: u32,
}

impl<K: Key> Sized<K> {
    fn new(n: usize, capacity: usize, bar: u32) -> Self {
        Sized { n, table: FxHashMap::default(), capacity: capacity.max(1), bar, undercount: 0 }
    }

    /// Adds one document's n-grams, keyed by its form ids; `corpus_ids` maps them to corpus ids.
    fn add(&mut self, local: &FxHashMap<K, u32>, corpus_ids: &[u32]) {
        for (key, c) in local {
            let counts = self.table.entry(K::pack(key.ids().map(|id| corpus_ids[id as usize]))).or_default();
            counts.count = counts.count.saturating_add(*c);
            counts.documents += 1;
        }
        if self.table.len() > self.capacity {
            self.prune();
        }
    }

    /// Drops what is still rarer than the bar, doubling the bar until the table is at most half full, then
    /// compacts it (a hash table's freed slots would otherwise make it double in size soon after). A pass can
    /// hide fewer than its bar occurrences of an n-gram (and as many documents). Pruning runs between documents
    /// only, so documents' own counts are always exact.
    fn prune(&mut self) {
        let mut bar = self.bar;
        loop {
            self.table.retain(|_, c| c.count >= bar);
            self.undercount = self.undercount.saturating_add(bar - 1);
            if self.table.len() <= self.capacity / 2 || bar == u32::MAX {
                break;
            }
            bar = bar.saturating_mul(2);
        }
        self.table.shrink_to_fit();
    }

    /// The corpus entries counted at least `min_count` times as (count, documents, key of the words' alphabetical
    /// ranks), most frequent first, then in alphabetical order. `ranks` gives each corpus id its word's rank; keys
    /// of one size compare as their words do.
    fn sorted(&self, min_count: u32, ranks: &[u32]) -> Vec<(u32, u32, K)> {
        let mut entries: Vec<(u32, u32, K)> = self
            .table
            .iter()
            .filter(|(_, c)| c.count >= min_count)
            .map(|(key, c)| (c.count, c.documents, K::pack(key.ids().map(|id| ranks[id as usize]))))
            .collect();
        entries.par_sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
        entries
    }
}

/// One size's counts, with the key type its n needs.
#[derive(Debug)]
enum Size {
    Short(Sized<u128>),
    Long(Sized<[u32; MAX_N]>),
}

/// The corpus n-gram counts, document after document. N-grams are keys of corpus-wide form ids, which the caller
/// assigns (see [`crate::corpus::Corpus`]), so strings are built only for the rows written.
#[derive(Debug)]
pub struct NgramCounter {
    options: NgramOptions,
    /// One counter per n-gram size, shortest first.
    sizes: Vec<Size>,
    documents: usize,
    tokens: usize,
}

impl NgramCounter {
    /// A counter with an empty corpus and [`DEFAULT_CORPUS_CAPACITY`].
    pub fn new(options: NgramOptions) -> Self {
        NgramCounter::with_capacity(options, DEFAULT_CORPUS_CAPACITY)
    }

    /// A counter that keeps at most `capacity` distinct corpus n-grams, shared equally among the sizes. When a
    /// size's table is full, n-grams seen fewer than `min_count` times so far (at least twice) are dropped; the
    /// corpus counts are then lower bounds, short by at most [`NgramCounter::undercount`]. Per-document rows are
    /// always exact.
    pub fn with_capacity(options: NgramOptions, capacity: usize) -> Self {
        let (share, bar) = (capacity / sizes(&options).count().max(1), options.min_count.max(2));
        let sizes = sizes(&options)
            .map(|n| match n {
                ..=SHORT => Size::Short(Sized::new(n, share, bar)),
                _ => Size::Long(Sized::new(n, share, bar)),
            })
            .collect();
        NgramCounter { options, sizes, documents: 0, tokens: 0 }
    }

    /// Adds a document's n-grams (counted with this counter's options) to the corpus; `corpus_ids` gives the
    /// corpus id of each of the document's forms. Ids must be below `u32::MAX`.
    pub fn add(&mut self, counted: &DocumentNgrams, corpus_ids: &[u32]) {
        for (size, local) in self.sizes.iter_mut().zip(&counted.sizes) {
            match (size, local) {
                (Size::Short(counts), Local::Short(local)) => counts.add(local, corpus_ids),
                (Size::Long(counts), Local::Long(local)) => counts.add(local, corpus_ids),
                // Counted with other options: nothing of this size to add.
                _ => debug_assert!(false, "a document's sizes are counted with the corpus's options"),
            }
        }
        self.documents += 1;
        self.tokens += counted.tokens;
    }

    /// The corpus rows (document empty, with `documents` filled in) in row order, made one at a time as they are
    /// written; none when fewer than two documents were counted. `words` spells each corpus id.
    pub fn corpus_rows<'c>(&'c self, words: &'c Forms) -> impl Iterator<Item = NgramRow> + 'c {
        let sizes = if self.documents >= 2 { &self.sizes[..] } else { &[] };
        let alphabet = Rc::new(Alphabet::new(words, if sizes.is_empty() { 0 } else { words.len() }));
        sizes.iter().flat_map(move |size| -> Box<dyn Iterator<Item = NgramRow>> {
            match size {
                Size::Short(counts) => Box::new(self.corpus_rows_of(counts, &alphabet, words)),
                Size::Long(counts) => Box::new(self.corpus_rows_of(counts, &alphabet, words)),
            }
        })
    }

    fn corpus_rows_of<'s, K: Key + 's>(
        &'s self,
        counts: &'s Sized<K>,
        alphabet: &Rc<Alphabet>,
        words: &'s Forms,
    ) -> impl Iterator<Item = NgramRow> + 's {
        let alphabet = Rc::clone(alphabet);
        counts.sorted(self.options.min_count, &alphabet.ranks).into_iter().map(move |(count, documents, key)| {
            NgramRow {
                document: String::new(),
                n: counts.n,
                ngram: spell(&key, |rank| words.get(alphabet.by_rank[rank as usize])),
                count,
                per_10k: per_10k(count as usize, self.tokens),
                documents: Some(documents),
            }
        })
    }

    /// How many documents' n-grams were added.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// At most how many occurrences (and documents) of any n-gram the corpus rows may be missing because rare
    /// n-grams were pruned to bound memory; 0 when the corpus counts are exact, or when there are no corpus rows
    /// (fewer than two documents). An n-gram whose true count is below `min_count` plus this may be missing
    /// from the corpus rows altogether.
    pub fn undercount(&self) -> u32 {
        if self.documents < 2 {
            return 0;
        }
        let undercount = |size: &Size| match size {
            Size::Short(counts) => counts.undercount,
            Size::Long(counts) => counts.undercount,
        };
        self.sizes.iter().map(undercount).max().unwrap_or(0)
    }
}

/// The corpus words in alphabetical order. Comparing n-grams word by word in this order is comparing their
/// spelled-out strings, since no word holds a space.
struct Alphabet {
    /// Each corpus id's rank.
    ranks: Vec<u32>,
    /// The id of each rank.
    by_rank: Vec<u32>,
}

impl Alphabet {
    /// The alphabet of the first `count` words.
    fn new(words: &Forms, count: usize) -> Self {
        let mut by_rank: Vec<u32> = (0..count as u32).collect();
        by_rank.par_sort_unstable_by(|&a, &b| words.get(a).cmp(words.get(b)));
        let mut ranks = vec![0; by_rank.len()];
        for (rank, &id) in by_rank.iter().enumerate() {
            ranks[id as usize] = rank as u32;
        }
        Alphabet { ranks, by_rank }
    }
}

/// The words of an n-gram, given each id's word, joined by spaces.
fn spell<'w, K: Key>(key: &K, word: impl Fn(u32) -> &'w str) -> String {
    let mut text = String::with_capacity(32);
    for (i, id) in key.ids().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(word(id));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;

    /// The rows of `d`, counted with `options`.
    fn rows_of(d: &Document, options: &NgramOptions) -> Vec<NgramRow> {
        count(d, options).take_rows(d).collect()
    }

    /// Rows by n, most frequent first, then alphabetically.
    fn order(a: &NgramRow, b: &NgramRow) -> Ordering {
        a.n.cmp(&b.n).then(b.count.cmp(&a.count)).then_with(|| a.ngram.cmp(&b.ngram))
    }

    /// A counter and the forms its ids stand for.
    struct Counter {
        counter: NgramCounter,
        forms: Forms,
    }

    impl Counter {
        fn new(options: NgramOptions, capacity: usize) -> Self {
            Counter { counter: NgramCounter::with_capacity(options, capacity), forms: Forms::default() }
        }

        fn document(&mut self, d: &Document) -> Vec<NgramRow> {
            let mut counted = count(d, &self.counter.options);
            let rows = counted.take_rows(d).collect();
            let ids: Vec<u32> = d.forms.iter().map(|f| self.forms.intern(&f.norm)).collect();
            self.counter.add(&counted, &ids);
            rows
        }

        fn corpus_rows(&self) -> Vec<NgramRow> {
            self.counter.corpus_rows(&self.forms).collect()
        }
    }

    fn doc(id: &str, text: &str) -> Document {
        Document::from_text(id, text)
    }

    fn keep_all(min_n: usize, max_n: usize) -> NgramOptions {
        NgramOptions { min_n, max_n, min_count: 1, edge_stopwords: EdgeStopwords::Keep }
    }

    #[test]
    fn a_sentence_of_k_words_has_k_minus_n_plus_1_ngrams() {
        let d = doc("t", "the quiet horror of the book is that nobody in it ever runs");
        let k = d.tokens.len();
        assert_eq!(k, 13);
        for n in 1..=MAX_N {
            let rows = rows_of(&d, &keep_all(n, n));
            assert_eq!(rows.iter().map(|r| r.count as usize).sum::<usize>(), k - n + 1, "n = {n}");
        }
        // A sentence shorter than n has none.
        assert!(rows_of(&doc("t", "Too short."), &keep_all(5, 5)).is_empty());
    }

    #[test]
    fn no_ngram_crosses_a_sentence() {
        let d = doc("t", "Quiet horror. Horror returns. Quiet horror again.");
        let rows = rows_of(&d, &keep_all(2, 2));
        let grams: Vec<(&str, u32)> = rows.iter().map(|r| (r.ngram.as_str(), r.count)).collect();
        // "horror horror" and "returns quiet" would cross a boundary.
        assert_eq!(grams, [("quiet horror", 2), ("horror again", 1), ("horror returns", 1)]);
    }

    #[test]
    fn edge_stopwords_are_dropped_inner_ones_kept() {
        let d = doc("t", "They are told and not told, and then told and not told of the end.");
        let options = NgramOptions { min_n: 2, max_n: 4, min_count: 1, edge_stopwords: EdgeStopwords::Drop };
        let rows = rows_of(&d, &options);
        let grams: Vec<&str> = rows.iter().map(|r| r.ngram.as_str()).collect();
        assert!(grams.contains(&"told and not told"));
        assert!(!grams.iter().any(|g| g.starts_with("and ") || g.ends_with(" the") || g.starts_with("of ")));
        let four = rows.iter().find(|r| r.ngram == "told and not told").unwrap();
        assert_eq!((four.n, four.count), (4, 2));
    }

    #[test]
    fn min_count_filters_rows_and_forms_are_normalised() {
        let d = doc("t", "Quiet Horror. QUIET horror. Quiet terror.");
        let rows = rows_of(&d, &NgramOptions::default());
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].ngram.as_str(), rows[0].count, rows[0].per_10k), ("quiet horror", 2, 3333.3333));
    }

    #[test]
    fn corpus_rows_sum_documents_and_count_where_they_occur() {
        let mut counter = Counter::new(NgramOptions { min_count: 2, ..keep_all(2, 2) }, DEFAULT_CORPUS_CAPACITY);
        let a = counter.document(&doc("a", "quiet horror"));
        let b = counter.document(&doc("b", "quiet horror and quiet horror"));
        assert!(a.is_empty(), "one occurrence is under min_count in a");
        assert_eq!(b.len(), 1);
        let corpus = counter.corpus_rows();
        assert_eq!(corpus.len(), 1);
        let r = &corpus[0];
        assert_eq!((r.document.as_str(), r.ngram.as_str(), r.count, r.documents), ("", "quiet horror", 3, Some(2)));
        assert_eq!(r.per_10k, per_10k(3, 2 + 5));
        assert_eq!(counter.counter.undercount(), 0);
    }

    #[test]
    fn corpus_rows_are_in_the_order_of_document_rows() {
        // Word-by-word order must agree with the order of the spelled-out strings: "ma ze" < "maze zo".
        let mut counter = Counter::new(keep_all(2, 3), DEFAULT_CORPUS_CAPACITY);
        let text = "Maze zo. Ma ze. Maze zu. Zz top. Zz top. Maze zu. Ma ze. Maze zo. Ze ma.";
        counter.document(&doc("x", text));
        counter.document(&doc("y", text));
        let corpus = counter.corpus_rows();
        let mut sorted = corpus.clone();
        sorted.sort_by(order);
        assert_eq!(corpus, sorted);
        let bigrams: Vec<&str> = corpus.iter().filter(|r| r.count == 4).map(|r| r.ngram.as_str()).collect();
        assert_eq!(bigrams, ["ma ze", "maze zo", "maze zu", "zz top"]);
    }

    #[test]
    fn document_rows_are_most_frequent_first_then_in_the_order_of_their_spelling() {
        // Ties in count go in the order of the spelled-out n-grams: "ma zz" before "maze zo", as a space sorts
        // before any letter.
        let d = doc("x", "Maze zo. Ma zz. Maze zu. Zz top. Zz top. Maze zu. Ma zz. Maze zo. Ze ma. Zz top.");
        let rows = rows_of(&d, &keep_all(2, 2));
        let mut sorted = rows.clone();
        sorted.sort_by(order);
        assert_eq!(rows, sorted);
        let spelled: Vec<(&str, u32)> = rows.iter().map(|r| (r.ngram.as_str(), r.count)).collect();
        assert_eq!(spelled, [("zz top", 3), ("ma zz", 2), ("maze zo", 2), ("maze zu", 2), ("ze ma", 1)]);
    }

    #[test]
    fn one_document_has_no_corpus_rows() {
        let mut counter = Counter::new(keep_all(2, 2), DEFAULT_CORPUS_CAPACITY);
        counter.document(&doc("a", "quiet horror quiet horror"));
        assert_eq!(counter.corpus_rows().len(), 0);
    }

    #[test]
    fn pruning_bounds_the_table_and_reports_the_undercount() {
        // Every document has five bigrams of its own; "quiet horror" occurs once in each of the first ten and
        // twice in each of the next ten. A capacity of 4 forces a prune after every document, which drops it
        // while it has been seen only once: its true count is 30 in 20 documents.
        let mut counter = Counter::new(keep_all(2, 2), 4);
        for i in 0..20 {
            let shared = if i < 10 { "quiet horror." } else { "quiet horror. quiet horror." };
            let own: String = (0..5).map(|k| format!(" w{i}x{k} v{i}x{k}.")).collect();
            counter.document(&doc(&format!("d{i}"), &format!("{shared}{own}")));
            assert!(counter.counter.sizes.iter().all(|s| matches!(s, Size::Short(c) if c.table.len() <= 4)));
        }
        let corpus = counter.corpus_rows();
        let shared = corpus.iter().find(|r| r.ngram == "quiet horror").expect("the frequent bigram survives");
        let (count, documents, slack) = (shared.count, shared.documents.unwrap(), counter.counter.undercount());
        assert!(count < 30 && documents < 20, "it was pruned, so the counts are short: {count}, {documents}");
        assert!(count + slack >= 30 && documents + slack >= 20, "short by more than {slack}: {count}, {documents}");
    }
}
