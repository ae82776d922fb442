//! The group rows of `documents.csv`, `themes.csv` and `tone.csv` (`--group-by`): each group of documents summed
//! as if it were one text, so a critic can set one-star reviews beside five-star ones, or one decade beside another.
//!
//! Counts are summed; rates and ratios are recomputed from the sums (a group's `per_10k` is per 10,000 of its
//! words, not a mean of its documents' rates). MATTR, MTLD, HD-D and Yule's K need one text's words and are left
//! empty.
//! Groups are kept in memory with their vocabularies, so group by a column with a modest number of values.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::analysis::stats::{SentimentSums, Sums, empty_row};
use crate::analysis::voices::{Scope, VoiceSums, VoiceTables};
use crate::corpus::Corpus;
use crate::lexicon::{join_counts, sort_counts};
use crate::report::schema::{DocumentRow, ThemeRow, ThemeTermRow, ToneRow, per_10k, round4};

/// What a group needs from one document, gathered in the thread that analysed it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GroupPart {
    /// The document's row of `documents.csv`, with its group.
    pub document: DocumentRow,
    /// The sums behind its ratios.
    pub sums: Sums,
    /// Words inside its top-level quotations.
    pub quoted_words: usize,
    /// Its sentences' scores.
    pub sentiment: SentimentSums,
    /// Its narration's and its dialogue's sums.
    pub voices: [VoiceSums; 2],
    /// Its rows of `themes.csv` (every theme, in lexicon order).
    pub themes: Vec<ThemeRow>,
    /// Its rows of `theme_terms.csv`.
    pub theme_terms: Vec<ThemeTermRow>,
    /// Its rows of `tone.csv` (every category, in lexicon order).
    pub tones: Vec<ToneRow>,
    /// Each tone category's markers with their counts (as `tones`).
    pub markers: Vec<Vec<(String, u32)>>,
}

/// One group's totals.
#[derive(Debug, Default)]
struct Totals {
    bytes: usize,
    paragraphs: usize,
    quotes: usize,
    quoted_words: usize,
    sums: Sums,
    sentiment: SentimentSums,
    voices: [VoiceSums; 2],
    themes: Vec<Category>,
    tones: Vec<Category>,
}

/// A theme's or tone category's totals in a group.
#[derive(Debug, Clone, Default)]
struct Category {
    key: String,
    label: String,
    count: u32,
    /// Lexicon terms matched (themes only).
    terms: BTreeSet<String>,
    /// Matched forms (themes) or markers (tone), with counts.
    forms: FxHashMap<String, u32>,
}

/// The groups of a run, by name.
#[derive(Debug, Default)]
pub struct Groups {
    groups: BTreeMap<String, Totals>,
    english: bool,
}

impl Groups {
    /// No groups yet; `english` says whether Flesch reading ease is computed.
    pub fn new(english: bool) -> Self {
        Groups { groups: BTreeMap::new(), english }
    }

    /// Adds a document to its group (none if its group is empty).
    pub fn add(&mut self, part: GroupPart) {
        if part.document.group.is_empty() {
            return;
        }
        let totals = self.groups.entry(part.document.group.clone()).or_default();
        totals.bytes += part.document.bytes;
        totals.paragraphs += part.document.paragraphs;
        totals.quotes += part.document.quotes;
        totals.quoted_words += part.quoted_words;
        totals.sums.add(&part.sums);
        totals.sentiment.add(&part.sentiment);
        totals.voices.iter_mut().zip(&part.voices).for_each(|(total, voice)| total.add(voice));
        let themes = categories(&mut totals.themes, part.themes.iter().map(|r| (&r.theme, &r.label, r.count)));
        for term in &part.theme_terms {
            if let Some(theme) = themes.iter_mut().find(|t| t.key == term.theme) {
                theme.terms.insert(term.term.clone());
                *theme.forms.entry(term.form.clone()).or_default() += term.count;
            }
        }
        let tones = categories(&mut totals.tones, part.tones.iter().map(|r| (&r.tone, &r.label, r.count)));
        for (tone, markers) in tones.iter_mut().zip(part.markers) {
            for (marker, count) in markers {
                *tone.forms.entry(marker).or_default() += count;
            }
        }
    }

    /// Whether any document had a group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The group rows of `documents.csv`, alphabetically by group; the groups' vocabularies are counted by the
    /// corpus, which sees every document's words.
    pub fn document_rows(&self, corpus: &Corpus) -> Vec<DocumentRow> {
        let rows = self.groups.iter().map(|(name, t)| {
            let vocabulary = corpus.group_vocabulary(name);
            let mut row = DocumentRow {
                bytes: t.bytes,
                paragraphs: t.paragraphs,
                sentences: t.sums.sentences,
                tokens: t.sums.tokens,
                types: vocabulary.types,
                stems: vocabulary.stems,
                hapax: vocabulary.hapax,
                quotes: t.quotes,
                quoted_words: (t.sums.tokens > 0).then(|| round4(t.quoted_words as f64 / t.sums.tokens as f64)),
                ..empty_row(String::new(), name.clone())
            };
            t.sums.fill(&mut row, self.english);
            t.sentiment.fill(&mut row);
            row
        });
        rows.collect()
    }

    /// The group rows of `themes.csv`: by group, then in lexicon order.
    pub fn theme_rows(&self) -> Vec<ThemeRow> {
        let rows = self.groups.iter().flat_map(|(name, t)| {
            t.themes.iter().map(|theme| ThemeRow {
                document: String::new(),
                group: name.clone(),
                theme: theme.key.clone(),
                label: theme.label.clone(),
                count: theme.count,
                per_10k: per_10k(theme.count as usize, t.sums.tokens),
                distinct_terms: theme.terms.len() as u32,
                top_terms: join_counts(&sorted(&theme.forms), 10),
            })
        });
        rows.collect()
    }

    /// The group rows of `tone.csv`: by group, then in lexicon order.
    pub fn tone_rows(&self) -> Vec<ToneRow> {
        let rows = self.groups.iter().flat_map(|(name, t)| {
            t.tones.iter().map(|tone| ToneRow {
                document: String::new(),
                group: name.clone(),
                tone: tone.key.clone(),
                label: tone.label.clone(),
                count: tone.count,
                per_10k: per_10k(tone.count as usize, t.sums.tokens),
                top_markers: join_counts(&sorted(&tone.forms), 10),
            })
        });
        rows.collect()
    }

    /// The group rows of `voices.csv` and `voice_themes.csv`: by group, narration then dialogue. TTR and MATTR,
    /// which need a text's words in order, are empty.
    pub fn voice_rows(&self) -> VoiceTables {
        let mut tables = VoiceTables::default();
        for (name, t) in &self.groups {
            let themes: Vec<&str> = t.themes.iter().map(|c| c.key.as_str()).collect();
            let tones: Vec<&str> = t.tones.iter().map(|c| c.key.as_str()).collect();
            let scope = Scope { document: "", chapter_id: None, group: name, themes: &themes, tones: &tones };
            scope.push_rows(&t.voices, [(None, None); 2], &mut tables);
        }
        tables
    }
}

/// Adds a document's category counts (every category, in lexicon order) to a group's, the first time setting up
/// the categories.
fn categories<'c, 'r>(
    totals: &'c mut Vec<Category>,
    rows: impl Iterator<Item = (&'r String, &'r String, u32)>,
) -> &'c mut Vec<Category> {
    for (i, (key, label, count)) in rows.enumerate() {
        if i == totals.len() {
            totals.push(Category { key: key.clone(), label: label.clone(), ..Category::default() });
        }
        totals[i].count += count;
    }
    totals
}

/// Counts, most frequent first, then alphabetically (as the documents' own `top_terms` and `top_markers`).
fn sorted(counts: &FxHashMap<String, u32>) -> Vec<(String, u32)> {
    let mut sorted: Vec<(String, u32)> = counts.iter().map(|(k, &n)| (k.clone(), n)).collect();
    sort_counts(&mut sorted);
    sorted
}
