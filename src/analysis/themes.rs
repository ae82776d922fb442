//! Theme-word frequencies: how often each theme of a lexicon is named, by which terms, where in the text, and
//! every occurrence in its context (`themes.csv`, `theme_terms.csv`, `theme_trend.csv`, `concordance.csv`).
//!
//! ```
//! use marginalia::analysis::segments::{Segmenting, segments};
//! use marginalia::analysis::themes::{concordance, themes};
//! use marginalia::{input::Source, lexicon::Lexicon, text::Pipeline};
//! let pipeline = Pipeline::default();
//! let doc = pipeline.document(Source::from_text("r", "She clings to memories because they’re all she has left."));
//! let lexicon = Lexicon::default_themes();
//! let hits = lexicon.compile(&pipeline).find(&doc);
//! let tables = themes(&doc, &lexicon, &hits, &segments(&doc, Segmenting::Equal(10)));
//! let memory = tables.themes.iter().find(|t| t.theme == "memory").unwrap();
//! assert_eq!((memory.count, memory.top_terms.as_str()), (1, "memories:1"));
//! assert_eq!(concordance(&doc, &lexicon, &hits, 8).next().unwrap().left, "She clings to");
//! ```

use rustc_hash::FxHashMap;

use crate::analysis::segments::{Segment, Segmenting, segment_of};
use crate::lexicon::{Hit, Lexicon, forms_by_category, join_counts};
use crate::report::schema::{ConcordanceRow, ThemeRow, ThemeTermRow, ThemeTrendRow, per_10k};
use crate::text::{Document, collapse_whitespace};

/// The default number of segments in `theme_trend.csv`.
pub const DEFAULT_SEGMENTS: usize = 10;
/// The default number of context words on each side in `concordance.csv`.
pub const DEFAULT_CONTEXT: usize = 8;

/// How the theme tables are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeOptions {
    /// How `theme_trend.csv` and `theme_sentiment.csv` cut the text (`--segments`).
    pub segments: Segmenting,
    /// Words of context on each side in `concordance.csv` (`--context`).
    pub context: usize,
}

impl Default for ThemeOptions {
    fn default() -> Self {
        ThemeOptions { segments: Segmenting::Equal(DEFAULT_SEGMENTS), context: DEFAULT_CONTEXT }
    }
}

/// Three theme tables of one document; the fourth, a line per occurrence, is made as it is written
/// ([`concordance`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeTables {
    /// `themes.csv`.
    pub themes: Vec<ThemeRow>,
    /// `theme_terms.csv`.
    pub terms: Vec<ThemeTermRow>,
    /// `theme_trend.csv`.
    pub trend: Vec<ThemeTrendRow>,
}

/// The theme tables of `doc` from the hits of `lexicon` in it (`lexicon.compile(…).find(doc)`, which the
/// collocations and the concordance reuse).
pub fn themes(doc: &Document, lexicon: &Lexicon, hits: &[Hit], segments: &[Segment]) -> ThemeTables {
    ThemeTables {
        themes: theme_rows(doc, lexicon, hits),
        terms: term_rows(doc, lexicon, hits),
        trend: trend_rows(doc, lexicon, hits, segments),
    }
}

fn theme_rows(doc: &Document, lexicon: &Lexicon, hits: &[Hit]) -> Vec<ThemeRow> {
    let forms = forms_by_category(doc, hits, lexicon.categories.len());
    let mut terms: Vec<Vec<usize>> = vec![Vec::new(); lexicon.categories.len()];
    for hit in hits {
        terms[hit.term.category].push(hit.term.term);
    }
    lexicon
        .categories
        .iter()
        .zip(forms)
        .zip(terms)
        .map(|((category, forms), mut terms)| {
            terms.sort_unstable();
            terms.dedup();
            let count: u32 = forms.iter().map(|(_, n)| n).sum();
            ThemeRow {
                document: doc.id.clone(),
                group: doc.group.clone(),
                theme: category.key.clone(),
                label: category.label.clone(),
                count,
                per_10k: per_10k(count as usize, doc.tokens.len()),
                distinct_terms: terms.len() as u32,
                top_terms: join_counts(&forms, 10),
            }
        })
        .collect()
}

/// One row per theme × term × form, in lexicon order, most frequent forms first.
fn term_rows(doc: &Document, lexicon: &Lexicon, hits: &[Hit]) -> Vec<ThemeTermRow> {
    // Count by the hit's form ids; spell out only the distinct ones.
    let mut counts: FxHashMap<(usize, usize, Vec<u32>), u32> = FxHashMap::default();
    for hit in hits {
        let forms = doc.tokens[hit.first_token..hit.end_token].iter().map(|t| t.form()).collect();
        *counts.entry((hit.term.category, hit.term.term, forms)).or_default() += 1;
    }
    let mut rows: Vec<(usize, usize, String, u32)> = counts
        .into_iter()
        .map(|((c, t, forms), n)| {
            let words: Vec<&str> = forms.iter().map(|&f| &*doc.forms[f as usize].norm).collect();
            (c, t, words.join(" "), n)
        })
        .collect();
    rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.3.cmp(&a.3)).then_with(|| a.2.cmp(&b.2)));
    rows.into_iter()
        .map(|(c, t, form, count)| ThemeTermRow {
            document: doc.id.clone(),
            theme: lexicon.categories[c].key.clone(),
            term: lexicon.categories[c].terms[t].text.clone(),
            form,
            count,
        })
        .collect()
}

/// Each theme's occurrences in each of `segments` (see [`crate::analysis::segments`]), counted by the segment
/// its first word is in.
fn trend_rows(doc: &Document, lexicon: &Lexicon, hits: &[Hit], segments: &[Segment]) -> Vec<ThemeTrendRow> {
    let n = segments.len();
    if n == 0 {
        return Vec::new();
    }
    let mut counts = vec![vec![0u32; n]; lexicon.categories.len()];
    for hit in hits {
        counts[hit.term.category][segment_of(segments, hit.first_token)] += 1;
    }
    let mut rows = Vec::with_capacity(lexicon.categories.len() * n);
    for (category, counts) in lexicon.categories.iter().zip(counts) {
        for (segment, count) in segments.iter().zip(counts) {
            rows.push(ThemeTrendRow {
                document: doc.id.clone(),
                theme: category.key.clone(),
                segment: segment.id,
                segment_start_byte: doc.tokens[segment.first_token].start(),
                segment_end_byte: doc.span(&doc.tokens[segment.end_token - 1]).end,
                tokens: segment.tokens() as u32,
                count,
                per_10k: per_10k(count as usize, segment.tokens()),
            });
        }
    }
    rows
}

/// Keyword-in-context rows for `hits` (`concordance.csv`): `context` words each side, never past the document's
/// ends. Whitespace in the context is collapsed to single spaces so a row reads as one line. Rows are made one
/// at a time, as they are written: a novel has hundreds of thousands.
pub fn concordance<'a>(
    doc: &'a Document,
    lexicon: &'a Lexicon,
    hits: &'a [Hit],
    context: usize,
) -> impl Iterator<Item = ConcordanceRow<'a>> + 'a {
    hits.iter().map(move |hit| {
        let span = hit.span(doc);
        let left_start = doc.tokens[hit.first_token.saturating_sub(context)].start();
        let right_last = hit.end_token.saturating_add(context).min(doc.tokens.len()) - 1;
        let right_end = doc.span(&doc.tokens[right_last]).end.max(span.end);
        let category = &lexicon.categories[hit.term.category];
        ConcordanceRow {
            document: &doc.id,
            theme: &category.key,
            term: &category.terms[hit.term.term].text,
            sentence_id: doc.sentence_of(hit.first_token) as u32 + 1,
            start_byte: span.start,
            end_byte: span.end,
            left: collapse_whitespace(&doc.text[left_start..span.start]),
            keyword: span.of(&doc.text),
            right: collapse_whitespace(&doc.text[span.end..right_end]),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Pipeline;
    use std::path::Path;

    /// The theme tables of `text` (document and lexicon leaked so the rows can outlive this call; fine in a test).
    /// The tables of `text`, cut into `n` equal segments.
    fn tables(toml: &str, text: &str, n: usize) -> ThemeTables {
        let pipeline = Pipeline::default();
        let doc = Box::leak(Box::new(Document::from_text("t", text)));
        let lexicon = Box::leak(Box::new(Lexicon::parse_toml(toml, Path::new("t.toml")).unwrap().0));
        let cut = crate::analysis::segments::segments(doc, Segmenting::Equal(n));
        themes(doc, lexicon, &lexicon.compile(&pipeline).find(doc), &cut)
    }

    const LEXICON: &str = "[memory]\nlabel = \"Memory\"\nterms = [\"memory\", \"remember\", \"nostalgi*\"]\n\
                           [place]\nterms = [\"hailsham\"]\n";

    #[test]
    fn counts_terms_and_forms() {
        let t = tables(LEXICON, "Memories, memory; he remembered. Nostalgic Hailsham’s memory.", DEFAULT_SEGMENTS);
        let memory = &t.themes[0];
        assert_eq!((memory.count, memory.distinct_terms), (5, 3));
        assert_eq!(memory.top_terms, "memory:2|memories:1|nostalgic:1|remembered:1");
        assert_eq!(memory.per_10k, 7142.8571); // 5 of 7 words
        let rows: Vec<(&str, &str, u32)> =
            t.terms.iter().map(|r| (r.term.as_str(), r.form.as_str(), r.count)).collect();
        assert_eq!(
            rows,
            [
                ("memory", "memory", 2),
                ("memory", "memories", 1),
                ("remember", "remembered", 1),
                ("nostalgi*", "nostalgic", 1),
                ("hailsham", "hailsham's", 1)
            ]
        );
    }

    #[test]
    fn concordance_keeps_context_within_the_document() {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", "One two three memory four five.\nSix Hailsham");
        let lexicon = Lexicon::parse_toml(LEXICON, Path::new("t.toml")).unwrap().0;
        let hits = lexicon.compile(&pipeline).find(&doc);
        let c: Vec<ConcordanceRow> = concordance(&doc, &lexicon, &hits, 2).collect();
        assert_eq!((&*c[0].left, c[0].keyword, &*c[0].right), ("two three", "memory", "four five"));
        assert_eq!((&*c[1].left, c[1].keyword, &*c[1].right), ("five. Six", "Hailsham", ""));
        assert_eq!(c[1].sentence_id, 2);
    }

    #[test]
    fn trend_cuts_the_text_into_equal_runs() {
        let text = "memory a b c d e f g h i j k l m n o p q r memory";
        let t = tables(LEXICON, text, 4);
        let memory: Vec<(u32, u32)> =
            t.trend.iter().filter(|r| r.theme == "memory").map(|r| (r.tokens, r.count)).collect();
        assert_eq!(memory, [(5, 1), (5, 0), (5, 0), (5, 1)]);
        assert_eq!(t.trend[0].segment_start_byte, 0);
        assert_eq!(t.trend[3].segment_end_byte, text.len());
        // Fewer tokens than segments: one segment per token.
        let t = tables(LEXICON, "memory loss", 10);
        assert_eq!(t.trend.len(), 2 * 2);
    }

    #[test]
    fn segment_of_every_token_is_the_one_whose_bounds_hold_it() {
        // Every token is a hit; each segment must count exactly its own tokens, whatever the rounding.
        for words in 1..60 {
            for segments in 1..12 {
                let text = vec!["memory"; words].join(" ");
                let t = tables(LEXICON, &text, segments);
                for r in t.trend.iter().filter(|r| r.theme == "memory") {
                    assert_eq!(r.count, r.tokens, "{words} words, {segments} segments");
                }
            }
        }
    }
}
