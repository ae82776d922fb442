//! `collocations.csv`: the company a node term keeps. For every node (a theme term that occurs, or a `--node`
//! query), the words within L words to its left and R to its right, inside its sentence, are counted and scored
//! against chance with four association measures.
//!
//! The contingency table of a node and a collocate in a document of N words:
//!
//! |                       | collocate   | other words      | total  |
//! |-----------------------|-------------|------------------|--------|
//! | in the node's windows | O11         | O12              | R1     |
//! | elsewhere             | O21         | O22              | N − R1 |
//! | total                 | C1          | N − C1           | N      |
//!
//! R1 counts each word position once even where two windows overlap, and leaves out the node's own words, so
//! every cell is a count of positions and none is negative.
//!
//! ```
//! use marginalia::analysis::collocations::Contingency;
//! // 10 of the 100 words around the node are the collocate, which occurs 50 times in 10,000 words.
//! let t = Contingency { observed: 10, window: 100, collocate: 50, words: 10_000 };
//! assert_eq!(t.expected(), 0.5);
//! assert_eq!(t.mi(), 20f64.log2());
//! ```

use std::collections::BTreeMap;

use crate::lexicon::{Hit, Lexicon};
use crate::report::schema::{CollocationRow, round4};
use crate::text::Document;

/// Windows and filters for the collocation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CollocationOptions {
    /// Words looked at left of the node (`--window L,R`).
    pub left: usize,
    /// Words looked at right of the node.
    pub right: usize,
    /// Pairs seen fewer times than this in the windows are not scored (`--min-count`).
    pub min_count: u32,
    /// Score stopwords as collocates too (`--collocate-stopwords`); by default they are left out.
    pub stopwords: bool,
}

impl Default for CollocationOptions {
    /// Four words either side, pairs seen at least twice, no stopword collocates.
    fn default() -> Self {
        CollocationOptions { left: 4, right: 4, min_count: 2, stopwords: false }
    }
}

/// The 2×2 contingency table of a node and a collocate (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contingency {
    /// O11: the collocate's occurrences inside the node's windows.
    pub observed: u64,
    /// R1: word positions inside the node's windows.
    pub window: u64,
    /// C1: the collocate's occurrences in the whole text.
    pub collocate: u64,
    /// N: words in the text.
    pub words: u64,
}

impl Contingency {
    /// E11 = R1 · C1 / N: how often the collocate would fall in the windows if words were placed at random.
    pub fn expected(&self) -> f64 {
        self.window as f64 * self.collocate as f64 / self.words as f64
    }

    /// Pointwise mutual information: MI = log2(O11 / E11), Church & Hanks' (1990) association ratio with the
    /// expectation adjusted for the window, as in Evert (2008). High for rare pairs even when seen once or twice;
    /// read it with `observed`.
    pub fn mi(&self) -> f64 {
        (self.observed as f64 / self.expected()).log2()
    }

    /// t-score (Church, Gale, Hanks & Hindle 1991; Evert 2005, §4.1): t = (O11 − E11) / √O11. Grows with the
    /// evidence, so it favours frequent pairs.
    pub fn t_score(&self) -> f64 {
        let o = self.observed as f64;
        (o - self.expected()) / o.sqrt()
    }

    /// Log-likelihood (Dunning 1993): G² = 2 Σᵢⱼ Oᵢⱼ · ln(Oᵢⱼ / Eᵢⱼ) over the four cells, with Eᵢⱼ = Rᵢ · Cⱼ / N
    /// and 0 · ln 0 = 0. Unsigned: compare O11 with E11 for the direction.
    pub fn g2(&self) -> f64 {
        let (o11, r1, c1, n) = (self.observed as f64, self.window as f64, self.collocate as f64, self.words as f64);
        let cells = [
            (o11, r1 * c1),
            (r1 - o11, r1 * (n - c1)),
            (c1 - o11, (n - r1) * c1),
            (n - r1 - c1 + o11, (n - r1) * (n - c1)),
        ];
        2.0 * cells.iter().filter(|(o, _)| *o > 0.0).map(|&(o, rc)| o * (o * n / rc).ln()).sum::<f64>()
    }
}

/// logDice (Rychlý 2008): 14 + log2(2 · f(x,y) / (f(x) + f(y))), with f(x,y) the co-occurrences and f(x), f(y)
/// the node's and the collocate's frequencies. It is 14 when the two always occur together (above 14 only when a
/// window holds the collocate more than once); it does not depend on the size of the text, so it compares across
/// documents.
pub fn log_dice(observed: u64, node: u64, collocate: u64) -> f64 {
    14.0 + (2.0 * observed as f64 / (node + collocate) as f64).log2()
}

/// The collocation rows of `doc` for the nodes in `hits` (occurrences of `lexicon`'s terms, one node per term
/// text): by node alphabetically, strongest logDice first, then by collocate.
pub fn collocations(
    doc: &Document,
    lexicon: &Lexicon,
    hits: &[Hit],
    options: &CollocationOptions,
) -> Vec<CollocationRow> {
    let mut nodes: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for hit in hits {
        let text = &lexicon.categories[hit.term.category].terms[hit.term.term].text;
        nodes.entry(text).or_default().push((hit.first_token, hit.end_token));
    }
    if nodes.is_empty() {
        return Vec::new();
    }
    let window = format!("{},{}", options.left, options.right);
    let mut windows = Windows::new(doc);
    let mut rows = Vec::new();
    for (node, mut spans) in nodes {
        // The same words can be one term's hit in two categories.
        spans.sort_unstable();
        spans.dedup();
        let (observed, window_words) = windows.count(&spans, options);
        for (form, o) in observed {
            let f = &doc.forms[form as usize];
            if o < options.min_count || (f.stopword && !options.stopwords) {
                continue;
            }
            let table = Contingency {
                observed: o.into(),
                window: window_words,
                collocate: f.count.into(),
                words: doc.tokens.len() as u64,
            };
            rows.push(CollocationRow {
                document: doc.id.clone(),
                node: node.to_string(),
                collocate: f.norm.to_string(),
                window: window.clone(),
                node_count: spans.len() as u32,
                collocate_count: f.count,
                observed: o,
                expected: round4(table.expected()),
                mi: round4(table.mi()),
                t_score: round4(table.t_score()),
                log_dice: round4(log_dice(table.observed, spans.len() as u64, table.collocate)),
                g2: round4(table.g2()),
            });
        }
    }
    Measure::LogDice.sort(&mut rows);
    rows
}

/// A measure to rank collocates by (`marginalia collocates --sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Co-occurrences in the windows.
    Observed,
    /// Pointwise mutual information.
    Mi,
    /// t-score.
    TScore,
    /// logDice (the default, as in Sketch Engine).
    #[default]
    LogDice,
    /// Log-likelihood G².
    G2,
}

impl Measure {
    fn of(self, row: &CollocationRow) -> f64 {
        match self {
            Measure::Observed => row.observed.into(),
            Measure::Mi => row.mi,
            Measure::TScore => row.t_score,
            Measure::LogDice => row.log_dice,
            Measure::G2 => row.g2,
        }
    }

    /// Orders rows by document and node, then strongest first by this measure, then by collocate.
    pub fn sort(self, rows: &mut [CollocationRow]) {
        rows.sort_by(|a, b| {
            (&a.document, &a.node)
                .cmp(&(&b.document, &b.node))
                .then(self.of(b).total_cmp(&self.of(a)))
                .then_with(|| a.collocate.cmp(&b.collocate))
        });
    }
}

/// Counts the forms inside the windows around one node after another, with buffers sized once per document.
struct Windows<'d> {
    doc: &'d Document,
    /// Co-occurrences by form for the current node, and the forms seen.
    counts: Vec<u32>,
    seen: Vec<u32>,
    /// The current node's own words: its token ranges, overlapping ones merged.
    own: Vec<(usize, usize)>,
}

impl<'d> Windows<'d> {
    fn new(doc: &'d Document) -> Self {
        Windows { doc, counts: vec![0; doc.forms.len()], seen: Vec::new(), own: Vec::new() }
    }

    /// Counts each form at the positions inside the windows around `spans` (token ranges of one node, sorted),
    /// each position once, the node's own words left out. Returns the counts by form and the number of
    /// positions.
    fn count(&mut self, spans: &[(usize, usize)], options: &CollocationOptions) -> (Vec<(u32, u32)>, u64) {
        let doc = self.doc;
        self.own.clear();
        let mut windows: Vec<(usize, usize)> = Vec::with_capacity(spans.len() * 2);
        for &(first, end) in spans {
            match self.own.last_mut() {
                Some(last) if first <= last.1 => last.1 = last.1.max(end),
                _ => self.own.push((first, end)),
            }
            let sentence = &doc.sentences[doc.sentence_of(first)];
            let (lo, hi) = (sentence.first_token as usize, sentence.end_token as usize);
            windows.push((first.saturating_sub(options.left).max(lo), first));
            windows.push((end, end.saturating_add(options.right).min(hi)));
        }
        windows.sort_unstable();
        let mut positions = 0;
        let mut next = 0; // Positions before `next` have been counted.
        // Positions are visited in increasing order, so the node's own range holding or following one only moves
        // forward.
        let mut own = 0;
        for (start, end) in windows {
            for i in start.max(next)..end {
                while own < self.own.len() && self.own[own].1 <= i {
                    own += 1;
                }
                if !(own < self.own.len() && self.own[own].0 <= i) {
                    let form = doc.tokens[i].form();
                    if self.counts[form as usize] == 0 {
                        self.seen.push(form);
                    }
                    self.counts[form as usize] += 1;
                    positions += 1;
                }
            }
            next = next.max(end);
        }
        let observed = self.seen.drain(..).map(|f| (f, std::mem::take(&mut self.counts[f as usize]))).collect();
        (observed, positions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Pipeline;

    /// A table worked out by hand: O11 = 10, R1 = 100, C1 = 50, N = 10,000.
    ///   E11 = 100 · 50 / 10,000 = 0.5
    ///   MI = log2(10 / 0.5) = log2 20 = 4.321928
    ///   t = (10 − 0.5) / √10 = 9.5 / 3.162278 = 3.004164
    ///   cells: O12 = 90, O21 = 40, O22 = 9,860; E12 = 99.5, E21 = 49.5, E22 = 9,850.5
    ///   G² = 2 (10 ln 20 + 90 ln(90/99.5) + 40 ln(40/49.5) + 9,860 ln(9,860/9,850.5))
    ///      = 2 (29.957323 − 9.031318 − 8.523729 + 9.504580) = 43.813712
    const TABLE: Contingency = Contingency { observed: 10, window: 100, collocate: 50, words: 10_000 };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-6
    }

    #[test]
    fn measures_match_a_table_worked_by_hand() {
        assert!(close(TABLE.expected(), 0.5));
        assert!(close(TABLE.mi(), 4.321928));
        assert!(close(TABLE.t_score(), 3.004164));
        assert!(close(TABLE.g2(), 43.813712), "{}", TABLE.g2());
        // logDice with the node seen 25 times: 14 + log2(20 / 75) = 14 − 1.906891.
        assert!(close(log_dice(10, 25, 50), 12.093109));
    }

    #[test]
    fn g2_of_a_perfect_two_by_two_is_4_ln_2() {
        // O = [[1, 0], [0, 1]]: every E is 1/2, so G² = 2 (ln 2 + ln 2).
        let t = Contingency { observed: 1, window: 1, collocate: 1, words: 2 };
        assert!(close(t.g2(), 4.0 * 2f64.ln()));
        // Independence gives 0: O = [[1, 1], [1, 1]].
        let t = Contingency { observed: 1, window: 2, collocate: 2, words: 4 };
        assert!(close(t.g2(), 0.0));
        assert!(close(t.mi(), 0.0));
        // logDice peaks at 14 when the two always occur together.
        assert!(close(log_dice(5, 5, 5), 14.0));
    }

    fn rows(text: &str, terms: &[&str], options: CollocationOptions) -> Vec<CollocationRow> {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", text);
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let lexicon = Lexicon::from_terms(&terms).unwrap();
        let hits = lexicon.compile(&pipeline).find(&doc);
        collocations(&doc, &lexicon, &hits, &options)
    }

    #[test]
    fn windows_stop_at_the_sentence_and_count_by_hand() {
        let options = CollocationOptions { left: 2, right: 2, min_count: 1, stopwords: true };
        // Sentence 1: "soft focus memory blurs truth"; sentence 2: "memory fades".
        let r = rows("Soft focus memory blurs truth. Memory fades.", &["memory"], options);
        let got: Vec<(&str, u32, u32)> =
            r.iter().map(|r| (r.collocate.as_str(), r.observed, r.collocate_count)).collect();
        // Windows: soft focus | blurs truth, then fades (the window does not reach back into sentence 1).
        let mut words: Vec<&str> = got.iter().map(|g| g.0).collect();
        words.sort();
        assert_eq!(words, ["blurs", "fades", "focus", "soft", "truth"]);
        assert!(got.iter().all(|&(_, o, c)| (o, c) == (1, 1)));
        let blurs = r.iter().find(|r| r.collocate == "blurs").unwrap();
        // N = 7 words, R1 = 5 window positions, C1 = 1: E = 5/7.
        assert_eq!((blurs.node_count, blurs.window.as_str(), blurs.expected), (2, "2,2", round4(5.0 / 7.0)));
        assert_eq!(blurs.mi, round4((7.0f64 / 5.0).log2()));
        assert_eq!(blurs.log_dice, round4(14.0 + (2.0f64 / 3.0).log2()));
    }

    #[test]
    fn overlapping_windows_count_a_word_once_and_skip_the_node() {
        let options = CollocationOptions { left: 3, right: 3, min_count: 1, stopwords: true };
        // Both "grief" windows cover "quiet"; the second node is not a collocate of the first.
        let r = rows("grief quiet grief", &["grief"], options);
        let got: Vec<(&str, u32)> = r.iter().map(|r| (r.collocate.as_str(), r.observed)).collect();
        assert_eq!(got, [("quiet", 1)]);
        assert_eq!(r[0].expected, round4(1.0 * 1.0 / 3.0));
    }

    #[test]
    fn min_count_and_stopwords_filter_before_scoring() {
        let text = "The memory of the school. The memory of the lake. A memory of the cottages.";
        let default = rows(text, &["memory"], CollocationOptions::default());
        let got: Vec<(&str, u32)> = default.iter().map(|r| (r.collocate.as_str(), r.observed)).collect();
        assert!(got.is_empty(), "{got:?}: only stopwords recur, and they are left out");
        let with_stop =
            rows(text, &["memory"], CollocationOptions { stopwords: true, ..CollocationOptions::default() });
        let got: Vec<(&str, u32)> = with_stop.iter().map(|r| (r.collocate.as_str(), r.observed)).collect();
        // Windows of four: "the" twice in each of the first two sentences and once in the third.
        assert_eq!(got, [("the", 5), ("of", 3)]);
    }

    #[test]
    fn phrase_and_glob_nodes_are_one_node_each() {
        let options = CollocationOptions { left: 1, right: 1, min_count: 1, stopwords: true };
        let r = rows(
            "They are told and not told again. Memories fade, memory stays.",
            &["told and not told", "memor*"],
            options,
        );
        let nodes: Vec<(&str, &str, u32)> =
            r.iter().map(|r| (r.node.as_str(), r.collocate.as_str(), r.node_count)).collect();
        assert!(nodes.contains(&("told and not told", "are", 1)));
        assert!(nodes.contains(&("told and not told", "again", 1)));
        assert!(nodes.contains(&("memor*", "fade", 2)));
        assert!(
            !nodes.iter().any(|n| n.0 == "told and not told" && n.1 == "not"),
            "the node's own words are not collocates"
        );
    }

    #[test]
    fn a_nodes_own_words_are_left_out_even_inside_the_window_of_its_other_hits() {
        let options = CollocationOptions { left: 2, right: 2, min_count: 1, stopwords: true };
        // Words 0, 1 and 4 are the node; the windows around them cover words 0 to 5, each position once.
        let r = rows("Told, told and then told again.", &["told"], options);
        let mut got: Vec<(&str, u32, u32)> =
            r.iter().map(|r| (r.collocate.as_str(), r.observed, r.node_count)).collect();
        got.sort_unstable();
        assert_eq!(got, [("again", 1, 3), ("and", 1, 3), ("then", 1, 3)]);
    }
}
