//! `ngrams.csv`: the runs of words a text returns to ("quiet horror", "told and not told"), counted inside
//! sentences, per document and over the corpus.
//!
//! Counting works on token ids, never on strings: every normalised form gets a corpus-wide id, and an n-gram is a
//! fixed-size key of ids (a `u128` up to four words), counted per document in a small table that is then merged
//! into the corpus's. Strings are built only for the rows written.
//!
//! ```
//! use marginalia::{input::Source, text::Pipeline, analysis::ngrams::{NgramCounter, NgramOptions}};
//! let text = "It is told and not told. They are told and not told again.";
//! let doc = Pipeline::default().document(Source::from_text("review", text));
//! let rows = NgramCounter::new(NgramOptions { min_n: 4, max_n: 4, ..NgramOptions::default() }).document(&doc);
//! assert_eq!((rows[0].ngram.as_str(), rows[0].count), ("told and not told", 2));
//! ```

use std::cmp::Ordering;
use std::hash::Hash;

use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::report::schema::{NgramRow, per_10k};
use crate::text::{Document, Token};

/// The longest n-gram counted (`--ngrams 2..8`).
pub const MAX_N: usize = 8;

/// What to do with n-grams that begin or end with a stopword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EdgeStopwords {
    /// Drop them ("of the", "the quiet"), as AntConc's cluster tool does; stopwords inside are kept
    /// ("told and not told").
    #[default]
    Drop,
    /// Keep every n-gram.
    Keep,
}

/// Which n-grams are counted and which are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Distinct corpus n-grams kept in memory before rare ones are pruned. At about 25 bytes each in a hash table
/// of 4 million slots, the corpus counts stay near 100 MB.
pub const DEFAULT_CORPUS_CAPACITY: usize = 3_500_000;

/// An n-gram packed into a fixed-size key of form ids, so counting one costs a hash of a few words and no
/// allocation. Ids must be below `u32::MAX`.
trait Key: Copy + Eq + Hash + Send + Sync {
    fn pack(ids: impl Iterator<Item = u32>) -> Self;
    fn ids(&self) -> impl Iterator<Item = u32>;
    /// The corpus table for keys of this type.
    fn table(corpus: &Corpus) -> &FxHashMap<Self, CorpusCount>;
    fn table_mut(corpus: &mut Corpus) -> &mut FxHashMap<Self, CorpusCount>;
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

    fn table(corpus: &Corpus) -> &FxHashMap<Self, CorpusCount> {
        &corpus.short
    }

    fn table_mut(corpus: &mut Corpus) -> &mut FxHashMap<Self, CorpusCount> {
        &mut corpus.short
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

    fn table(corpus: &Corpus) -> &FxHashMap<Self, CorpusCount> {
        &corpus.long
    }

    fn table_mut(corpus: &mut Corpus) -> &mut FxHashMap<Self, CorpusCount> {
        &mut corpus.long
    }
}

/// The longest n-gram packed into a `u128`.
const SHORT: usize = 4;

#[derive(Debug, Clone, Copy, Default)]
struct CorpusCount {
    count: u32,
    documents: u32,
}

/// The corpus counts, by corpus-wide ids: n-grams of up to four words, and longer ones. Bounded by lossy
/// counting (Manku & Motwani 2002): when the tables reach capacity, what is still rare is dropped.
#[derive(Debug)]
struct Corpus {
    short: FxHashMap<u128, CorpusCount>,
    long: FxHashMap<[u32; MAX_N], CorpusCount>,
    capacity: usize,
    /// Pruning drops n-grams seen fewer times than this (`min_count`, at least 2).
    bar: u32,
    /// How many occurrences of one n-gram pruning may have dropped, in total (0: the counts are exact).
    undercount: u32,
}

impl Corpus {
    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Adds a document's counts (keyed by its form ids) to the corpus's (keyed by corpus-wide ids).
    fn merge<K: Key>(&mut self, counts: &FxHashMap<K, u32>, corpus_ids: &[u32]) {
        for (key, &c) in counts {
            if self.len() >= self.capacity {
                self.prune();
            }
            let total = K::table_mut(self).entry(K::pack(key.ids().map(|f| corpus_ids[f as usize]))).or_default();
            total.count += c;
            total.documents += 1;
        }
    }

    /// Drops what is still rarer than the bar, doubling the bar until the tables are at most half full, then
    /// compacts them (a hash table's freed slots would otherwise make it double in size soon after). A pass can hide fewer than its bar occurrences of an
    /// n-gram (and as many documents). A document adds each of its n-grams once, so pruning in the middle of one
    /// never counts a document twice.
    fn prune(&mut self) {
        let mut bar = self.bar;
        loop {
            self.short.retain(|_, c| c.count >= bar);
            self.long.retain(|_, c| c.count >= bar);
            self.undercount = self.undercount.saturating_add(bar - 1);
            if self.len() <= self.capacity / 2 || bar == u32::MAX {
                break;
            }
            bar = bar.saturating_mul(2);
        }
        self.short.shrink_to_fit();
        self.long.shrink_to_fit();
    }

    /// The entries counted at least `min_count` times, in row order: by n, most frequent first, then by their
    /// words in alphabetical order (`ranks` gives each corpus id its word's rank).
    fn sorted<K: Key>(&self, min_count: u32, ranks: &[u32]) -> Vec<(K, CorpusCount)> {
        let mut entries: Vec<(K, CorpusCount)> =
            K::table(self).iter().filter(|(_, c)| c.count >= min_count).map(|(k, c)| (*k, *c)).collect();
        entries.par_sort_unstable_by(|(a, ca), (b, cb)| {
            (a.ids().count().cmp(&b.ids().count()))
                .then(cb.count.cmp(&ca.count))
                .then_with(|| a.ids().map(|id| ranks[id as usize]).cmp(b.ids().map(|id| ranks[id as usize])))
        });
        entries
    }
}

/// Counts n-grams document by document, and over the corpus for the corpus rows.
#[derive(Debug)]
pub struct NgramCounter {
    options: NgramOptions,
    /// Corpus-wide id of each normalised form, and the forms by id.
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    corpus: Corpus,
    documents: usize,
    tokens: usize,
}

impl NgramCounter {
    /// A counter with an empty corpus and [`DEFAULT_CORPUS_CAPACITY`].
    pub fn new(options: NgramOptions) -> Self {
        NgramCounter::with_capacity(options, DEFAULT_CORPUS_CAPACITY)
    }

    /// A counter that keeps at most `capacity` distinct corpus n-grams. When the corpus tables reach it, n-grams
    /// seen fewer than `min_count` times so far (at least twice) are dropped; the corpus counts are then lower
    /// bounds, short by at most [`NgramCounter::undercount`]. Per-document rows are always exact.
    pub fn with_capacity(options: NgramOptions, capacity: usize) -> Self {
        NgramCounter {
            options,
            ids: FxHashMap::default(),
            words: Vec::new(),
            corpus: Corpus {
                short: FxHashMap::default(),
                long: FxHashMap::default(),
                capacity: capacity.max(1),
                bar: options.min_count.max(2),
                undercount: 0,
            },
            documents: 0,
            tokens: 0,
        }
    }

    /// Counts `doc`'s n-grams into the corpus and returns its rows: by n, most frequent first, then
    /// alphabetically. Each size is counted on its own thread (rayon's pool).
    pub fn document(&mut self, doc: &Document) -> Vec<NgramRow> {
        let corpus_ids: Vec<u32> = doc.forms.iter().map(|f| self.intern(&f.norm)).collect();
        let sizes = self.options.min_n.max(1)..=self.options.max_n.min(MAX_N);
        let edges = self.options.edge_stopwords;
        let counts: Vec<Counts> = sizes
            .into_par_iter()
            .map(|n| match n {
                ..=SHORT => Counts::Short(count(doc, n, edges)),
                _ => Counts::Long(count(doc, n, edges)),
            })
            .collect();
        let min_count = self.options.min_count;
        let corpus = &mut self.corpus;
        let ((), rows) = rayon::join(
            || {
                for c in &counts {
                    match c {
                        Counts::Short(c) => corpus.merge(c, &corpus_ids),
                        Counts::Long(c) => corpus.merge(c, &corpus_ids),
                    }
                }
            },
            || {
                let mut rows = Vec::new();
                for c in &counts {
                    match c {
                        Counts::Short(c) => document_rows(doc, c, min_count, &mut rows),
                        Counts::Long(c) => document_rows(doc, c, min_count, &mut rows),
                    }
                }
                rows.sort_unstable_by(order);
                rows
            },
        );
        self.documents += 1;
        self.tokens += doc.tokens.len();
        rows
    }

    /// The corpus rows (document empty, with `documents` filled in) in row order, made one at a time as they are
    /// written; none when fewer than two documents were counted.
    pub fn corpus_rows(&self) -> impl Iterator<Item = NgramRow> + '_ {
        let (mut short, mut long) = (Vec::new(), Vec::new());
        if self.documents >= 2 {
            let ranks = self.alphabetical_ranks();
            short = self.corpus.sorted::<u128>(self.options.min_count, &ranks);
            long = self.corpus.sorted::<[u32; MAX_N]>(self.options.min_count, &ranks);
        }
        // Every short n-gram comes before every long one.
        let short = short.into_iter().map(|(key, c)| self.corpus_row(&key, c));
        short.chain(long.into_iter().map(|(key, c)| self.corpus_row(&key, c)))
    }

    fn corpus_row<K: Key>(&self, key: &K, c: CorpusCount) -> NgramRow {
        let (n, ngram) = spell(key, |id| &self.words[id as usize]);
        NgramRow {
            document: String::new(),
            n,
            ngram,
            count: c.count,
            per_10k: per_10k(c.count as usize, self.tokens),
            documents: Some(c.documents),
        }
    }

    /// Each corpus id's place in the alphabetical order of the words. Comparing n-grams word by word in this
    /// order is comparing their spelled-out strings, since no word holds a space.
    fn alphabetical_ranks(&self) -> Vec<u32> {
        let mut by_word: Vec<u32> = (0..self.words.len() as u32).collect();
        by_word.par_sort_unstable_by(|&a, &b| self.words[a as usize].cmp(&self.words[b as usize]));
        let mut ranks = vec![0; by_word.len()];
        for (rank, id) in by_word.into_iter().enumerate() {
            ranks[id as usize] = rank as u32;
        }
        ranks
    }

    /// At most how many occurrences (and documents) of any n-gram the corpus rows may be missing because rare
    /// n-grams were pruned to bound memory; 0 when the corpus counts are exact.
    pub fn undercount(&self) -> u32 {
        self.corpus.undercount
    }

    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }
}

/// Every n-gram of `n` tokens inside a sentence, keyed by the document's form ids, with its count. With
/// [`EdgeStopwords::Keep`] a sentence of k words gives k − n + 1 n-grams.
fn count<K: Key>(doc: &Document, n: usize, edges: EdgeStopwords) -> FxHashMap<K, u32> {
    // Reserving for a share of the tokens saves the first rehashes of growing; more would waste memory on long
    // texts, whose distinct n-grams grow slower than their length.
    let reserve = (doc.tokens.len() / 8).min(1 << 17);
    let mut counts: FxHashMap<K, u32> = FxHashMap::with_capacity_and_hasher(reserve, FxBuildHasher);
    for sentence in &doc.sentences {
        let tokens = &doc.tokens[sentence.first_token as usize..sentence.end_token as usize];
        for gram in tokens.windows(n) {
            let stop = |t: &Token| doc.forms[t.form as usize].stopword;
            if edges == EdgeStopwords::Drop && (stop(&gram[0]) || stop(&gram[n - 1])) {
                continue;
            }
            *counts.entry(K::pack(gram.iter().map(|t| t.form))).or_default() += 1;
        }
    }
    counts
}

/// A document's n-grams of one size, keyed by its own form ids.
enum Counts {
    Short(FxHashMap<u128, u32>),
    Long(FxHashMap<[u32; MAX_N], u32>),
}

/// The document's rows for the n-grams in `counts` that reach `min_count`.
fn document_rows<K: Key>(doc: &Document, counts: &FxHashMap<K, u32>, min_count: u32, rows: &mut Vec<NgramRow>) {
    rows.extend(counts.iter().filter(|&(_, &c)| c >= min_count).map(|(key, &c)| {
        let (n, ngram) = spell(key, |f| &doc.forms[f as usize].norm);
        NgramRow {
            document: doc.id.clone(),
            n,
            ngram,
            count: c,
            per_10k: per_10k(c as usize, doc.tokens.len()),
            documents: None,
        }
    }));
}

/// The words of an n-gram, given each id's word, joined by spaces; and how many there are.
fn spell<'w, K: Key>(key: &K, word: impl Fn(u32) -> &'w str) -> (usize, String) {
    let mut text = String::with_capacity(32);
    let mut n = 0;
    for id in key.ids() {
        if n > 0 {
            text.push(' ');
        }
        text.push_str(word(id));
        n += 1;
    }
    (n, text)
}

/// Rows by n, most frequent first, then alphabetically.
fn order(a: &NgramRow, b: &NgramRow) -> Ordering {
    a.n.cmp(&b.n).then(b.count.cmp(&a.count)).then_with(|| a.ngram.cmp(&b.ngram))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::text::Pipeline;

    fn doc(id: &str, text: &str) -> Document {
        Pipeline::default().document(Source::from_text(id, text))
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
            let rows = NgramCounter::new(keep_all(n, n)).document(&d);
            assert_eq!(rows.iter().map(|r| r.count as usize).sum::<usize>(), k - n + 1, "n = {n}");
        }
        // A sentence shorter than n has none.
        assert!(NgramCounter::new(keep_all(5, 5)).document(&doc("t", "Too short.")).is_empty());
    }

    #[test]
    fn no_ngram_crosses_a_sentence() {
        let d = doc("t", "Quiet horror. Horror returns. Quiet horror again.");
        let rows = NgramCounter::new(keep_all(2, 2)).document(&d);
        let grams: Vec<(&str, u32)> = rows.iter().map(|r| (r.ngram.as_str(), r.count)).collect();
        // "horror horror" and "returns quiet" would cross a boundary.
        assert_eq!(grams, [("quiet horror", 2), ("horror again", 1), ("horror returns", 1)]);
    }

    #[test]
    fn edge_stopwords_are_dropped_inner_ones_kept() {
        let d = doc("t", "They are told and not told, and then told and not told of the end.");
        let options = NgramOptions { min_n: 2, max_n: 4, min_count: 1, edge_stopwords: EdgeStopwords::Drop };
        let rows = NgramCounter::new(options).document(&d);
        let grams: Vec<&str> = rows.iter().map(|r| r.ngram.as_str()).collect();
        assert!(grams.contains(&"told and not told"));
        assert!(!grams.iter().any(|g| g.starts_with("and ") || g.ends_with(" the") || g.starts_with("of ")));
        let four = rows.iter().find(|r| r.ngram == "told and not told").unwrap();
        assert_eq!((four.n, four.count), (4, 2));
    }

    #[test]
    fn min_count_filters_rows_and_forms_are_normalised() {
        let d = doc("t", "Quiet Horror. QUIET horror. Quiet terror.");
        let rows = NgramCounter::new(NgramOptions::default()).document(&d);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].ngram.as_str(), rows[0].count, rows[0].per_10k), ("quiet horror", 2, 3333.3333));
    }

    #[test]
    fn corpus_rows_sum_documents_and_count_where_they_occur() {
        let mut counter = NgramCounter::new(NgramOptions { min_count: 2, ..keep_all(2, 2) });
        let a = counter.document(&doc("a", "quiet horror"));
        let b = counter.document(&doc("b", "quiet horror and quiet horror"));
        assert!(a.is_empty(), "one occurrence is under min_count in a");
        assert_eq!(b.len(), 1);
        let corpus: Vec<NgramRow> = counter.corpus_rows().collect();
        assert_eq!(corpus.len(), 1);
        let r = &corpus[0];
        assert_eq!((r.document.as_str(), r.ngram.as_str(), r.count, r.documents), ("", "quiet horror", 3, Some(2)));
        assert_eq!(r.per_10k, per_10k(3, 2 + 5));
        assert_eq!(counter.undercount(), 0);
    }

    #[test]
    fn corpus_rows_are_in_the_order_of_document_rows() {
        // Word-by-word order must agree with the order of the spelled-out strings: "ma ze" < "maze zo".
        let mut counter = NgramCounter::new(keep_all(2, 3));
        let text = "Maze zo. Ma ze. Maze zu. Zz top. Zz top. Maze zu. Ma ze. Maze zo. Ze ma.";
        counter.document(&doc("x", text));
        counter.document(&doc("y", text));
        let corpus: Vec<NgramRow> = counter.corpus_rows().collect();
        let mut sorted = corpus.clone();
        sorted.sort_by(order);
        assert_eq!(corpus, sorted);
        let bigrams: Vec<&str> = corpus.iter().filter(|r| r.count == 4).map(|r| r.ngram.as_str()).collect();
        assert_eq!(bigrams, ["ma ze", "maze zo", "maze zu", "zz top"]);
    }

    #[test]
    fn one_document_has_no_corpus_rows() {
        let mut counter = NgramCounter::new(keep_all(2, 2));
        counter.document(&doc("a", "quiet horror quiet horror"));
        assert_eq!(counter.corpus_rows().count(), 0);
    }

    #[test]
    fn pruning_bounds_the_table_and_reports_the_undercount() {
        // Every document has one shared bigram and one of its own; a capacity of 4 forces pruning.
        let mut counter = NgramCounter::with_capacity(keep_all(2, 2), 4);
        for i in 0..20 {
            counter.document(&doc(&format!("d{i}"), &format!("quiet horror. unique{i} word{i}")));
            assert!(counter.corpus.len() <= 4);
        }
        assert!(counter.undercount() > 0);
        let corpus: Vec<NgramRow> = counter.corpus_rows().collect();
        let shared = corpus.iter().find(|r| r.ngram == "quiet horror").expect("the frequent bigram survives");
        assert!(shared.count <= 20 && shared.count + counter.undercount() >= 20);
    }
}
