//! Sentiment and tone: each sentence's VADER scores, every word that moved a score (and by which rule), and the
//! tone categories of criticism (praise, censure, dread, …) found by a category lexicon.
//!
//! ```
//! use marginalia::analysis::tone::{Scorer, tone};
//! use marginalia::{input::Source, lexicon::Lexicon, text::Pipeline};
//! let pipeline = Pipeline::default();
//! let doc = pipeline.document(Source::from_text("r", "Kathy’s voice is never bitter, never angry."));
//! let lexicon = Lexicon::default_tone();
//! let result = tone(&doc, &Scorer::Vader, &lexicon, &lexicon.compile(&pipeline));
//! assert_eq!(result.scores[0].unwrap().compound, 0.0187);
//! let angry = result.marker_rows(&doc, &lexicon).find(|m| m.marker == "angry").unwrap();
//! // Both "never"s are within VADER's three-word reach, so "angry" is negated twice (and stays negative).
//! assert_eq!((angry.modifiers.as_str(), &*angry.tone), ("negated:never|negated:never", "anger"));
//! ```

use std::borrow::Cow;

use rayon::prelude::*;

use crate::lexicon::{Hit, Lexicon, Matcher, forms_by_category, join_counts};
use crate::report::schema::{ToneMarkerRow, ToneRow, per_10k, round4};
use crate::sentiment::{ValenceLexicon, vader};
use crate::text::{Document, Span};

/// How sentences are scored.
#[derive(Debug, Clone)]
pub enum Scorer {
    /// VADER (English), exactly as vaderSentiment 3.3.2.
    Vader,
    /// A user's word → valence list, for any language, without VADER's English rules.
    Valence(ValenceLexicon),
    /// No sentiment scores (a language VADER does not know, and no valence list): the columns stay empty.
    None,
}

/// What the tone analysis finds in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneAnalysis {
    /// Each sentence's scores, indexed like the document's sentences; `None` when sentences are not scored.
    pub scores: Vec<Option<vader::Scores>>,
    /// Each sentence's dominant tone category (an index into the lexicon's categories), if it has any marker.
    pub sentence_tones: Vec<Option<usize>>,
    /// Every word (or phrase) that carries valence or tone, in text order; [`ToneAnalysis::marker_rows`] turns
    /// them into the rows of `tone_markers.csv`.
    pub markers: Vec<Marker>,
    /// The rows of `tone.csv`.
    pub tones: Vec<ToneRow>,
}

/// A word (or a tone phrase) that carries valence or tone.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where it is in the document.
    pub span: Span,
    /// Index of its sentence.
    pub sentence: u32,
    /// Its valence in the sentiment lexicon (0 for a tone word without one).
    pub lexicon_valence: f64,
    /// The VADER rules that changed it.
    pub modifiers: Vec<vader::Modifier>,
    /// What it contributed to the sentence's raw score.
    pub effective_valence: f64,
    /// Its tone categories (indices into the lexicon's categories), in lexicon order.
    pub tones: Vec<usize>,
}

impl ToneAnalysis {
    /// The rows of `tone_markers.csv`, made as they are written (so a novel's markers are not held twice).
    pub fn marker_rows<'a>(
        &'a self,
        doc: &'a Document,
        lexicon: &'a Lexicon,
    ) -> impl Iterator<Item = ToneMarkerRow<'a>> + 'a {
        self.markers.iter().map(move |m| ToneMarkerRow {
            document: &doc.id,
            sentence_id: m.sentence + 1,
            start_byte: m.span.start,
            end_byte: m.span.end,
            marker: m.span.of(&doc.text),
            lexicon_valence: m.lexicon_valence,
            modifiers: m.modifiers.iter().map(ToString::to_string).collect::<Vec<_>>().join("|"),
            effective_valence: round4(m.effective_valence),
            tone: match m.tones.as_slice() {
                [] => Cow::Borrowed(""),
                [c] => Cow::Borrowed(lexicon.categories[*c].key.as_str()),
                many => {
                    Cow::Owned(many.iter().map(|&c| lexicon.categories[c].key.as_str()).collect::<Vec<_>>().join("|"))
                }
            },
        })
    }
}

/// Scores every sentence with `scorer` and finds the tone markers of `lexicon` (compiled as `matcher`).
///
/// Sentences are scored in parallel (rayon's pool, one thread per core by default); the result is the same
/// whatever the number of threads.
pub fn tone(doc: &Document, scorer: &Scorer, lexicon: &Lexicon, matcher: &Matcher) -> ToneAnalysis {
    let hits = matcher.find(doc);
    // Hits come in token order, so each sentence's hits are one run of them: `hits[bounds[s]..bounds[s + 1]]`.
    let mut bounds = Vec::with_capacity(doc.sentences.len() + 1);
    let mut h = 0;
    for s in 0..doc.sentences.len() {
        bounds.push(h);
        while h < hits.len() && doc.tokens[hits[h].first_token].sentence as usize == s {
            h += 1;
        }
    }
    bounds.push(h);
    let per_sentence: Vec<(Option<vader::Scores>, Option<usize>, Vec<Marker>)> = (0..doc.sentences.len())
        .into_par_iter()
        .with_min_len(64)
        .map(|s| {
            let sentence_hits = &hits[bounds[s]..bounds[s + 1]];
            let (score, valued) = score_sentence(doc, s, scorer);
            let markers = sentence_markers(doc, valued, sentence_hits);
            (score, dominant(sentence_hits), markers)
        })
        .collect();
    let mut analysis = ToneAnalysis {
        scores: Vec::with_capacity(per_sentence.len()),
        sentence_tones: Vec::with_capacity(per_sentence.len()),
        markers: Vec::new(),
        tones: tone_rows(doc, &hits, lexicon),
    };
    for (score, tone, markers) in per_sentence {
        analysis.scores.push(score);
        analysis.sentence_tones.push(tone);
        analysis.markers.extend(markers);
    }
    analysis
}

/// A sentence's scores and the words that carry valence in it (as markers without tones yet).
fn score_sentence(doc: &Document, s: usize, scorer: &Scorer) -> (Option<vader::Scores>, Vec<Marker>) {
    let sentence = &doc.sentences[s];
    let marker = |span, lexicon_valence, modifiers, effective_valence| Marker {
        span,
        sentence: s as u32,
        lexicon_valence,
        modifiers,
        effective_valence,
        tones: Vec::new(),
    };
    match scorer {
        Scorer::Vader => {
            let analysis = vader::analyze(sentence.span.of(&doc.text));
            let start = sentence.span.start;
            let valued = analysis
                .contributions
                .into_iter()
                .map(|c| {
                    let span = Span { start: start + c.start, end: start + c.end };
                    marker(span, c.lexicon_valence, c.modifiers, c.effective_valence)
                })
                .collect();
            (Some(analysis.scores), valued)
        }
        Scorer::Valence(lexicon) => {
            let tokens = &doc.tokens[sentence.first_token as usize..sentence.end_token as usize];
            let valences: Vec<f64> = tokens.iter().map(|t| lexicon.get(doc.norm(t)).unwrap_or(0.0)).collect();
            let valued = tokens
                .iter()
                .zip(&valences)
                .filter(|&(_, &v)| v != 0.0)
                .map(|(t, &v)| marker(t.span, v, Vec::new(), v))
                .collect();
            (Some(vader::score_valence(&valences, sentence.span.of(&doc.text))), valued)
        }
        Scorer::None => (None, Vec::new()),
    }
}

/// The category with the most hits (ties to the lexicon's first), if any. A sentence has few hits, so counting
/// them pairwise beats allocating a count per category.
fn dominant(hits: &[Hit]) -> Option<usize> {
    let count = |c: usize| hits.iter().filter(|h| h.term.category == c).count();
    hits.iter().map(|h| h.term.category).max_by(|&a, &b| count(a).cmp(&count(b)).then(b.cmp(&a)))
}

/// Gives each valued word the tones of the hits it overlaps, and adds one marker per remaining tone span.
fn sentence_markers(doc: &Document, mut markers: Vec<Marker>, hits: &[Hit]) -> Vec<Marker> {
    if hits.is_empty() {
        return markers;
    }
    let sentence = doc.tokens[hits[0].first_token].sentence;
    let mut used = vec![false; hits.len()];
    for m in &mut markers {
        for (h, hit) in hits.iter().enumerate() {
            let span = hit.span(doc);
            if span.start < m.span.end && m.span.start < span.end {
                used[h] = true;
                m.tones.push(hit.term.category);
            }
        }
        m.tones.sort_unstable();
        m.tones.dedup();
    }
    // Tone words that carry no valence (hedges, most irony): one marker per span, with every category it is in.
    let mut rest: Vec<(Span, usize)> =
        hits.iter().zip(&used).filter(|(_, u)| !**u).map(|(h, _)| (h.span(doc), h.term.category)).collect();
    rest.sort_unstable();
    for group in rest.chunk_by(|a, b| a.0 == b.0) {
        markers.push(Marker {
            span: group[0].0,
            sentence,
            lexicon_valence: 0.0,
            modifiers: Vec::new(),
            effective_valence: 0.0,
            tones: group.iter().map(|g| g.1).collect(),
        });
    }
    markers.sort_by_key(|m| m.span);
    markers
}

/// `tone.csv`: every category, its count, rate and most frequent markers.
fn tone_rows(doc: &Document, hits: &[Hit], lexicon: &Lexicon) -> Vec<ToneRow> {
    let tokens = doc.tokens.len();
    let forms = forms_by_category(doc, hits, lexicon.categories.len());
    lexicon
        .categories
        .iter()
        .zip(forms)
        .map(|(category, forms)| {
            let count: u32 = forms.iter().map(|(_, n)| n).sum();
            ToneRow {
                document: doc.id.clone(),
                tone: category.key.clone(),
                label: category.label.clone(),
                count,
                per_10k: per_10k(count as usize, tokens),
                top_markers: join_counts(&forms, 10),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::text::{Pipeline, PipelineOptions};

    /// The document, the analysis and its marker rows.
    fn analyse(text: &str, scorer: &Scorer) -> (Document, ToneAnalysis, Vec<ToneMarkerRow<'static>>) {
        let pipeline = Pipeline::default();
        let doc = pipeline.document(Source::from_text("t", text));
        let lexicon = Lexicon::default_tone();
        let result = tone(&doc, scorer, &lexicon, &lexicon.compile(&pipeline));
        let rows = result.marker_rows(&doc, &lexicon).map(owned).collect();
        (doc, result, rows)
    }

    /// A marker row that outlives the document (leaked; fine in a test).
    fn owned(row: ToneMarkerRow<'_>) -> ToneMarkerRow<'static> {
        let leak = |s: &str| &*Box::leak(s.to_string().into_boxed_str());
        ToneMarkerRow {
            document: leak(row.document),
            marker: leak(row.marker),
            tone: Cow::Owned(row.tone.into_owned()),
            ..row
        }
    }

    #[test]
    fn markers_slice_the_source_and_sum_to_the_raw_score() {
        let (doc, _, markers) = analyse(
            "It's quiet, precise, and all the more devastating for it. The brilliance of the novel is deeply disturbing.",
            &Scorer::Vader,
        );
        for m in &markers {
            assert_eq!(&doc.text[m.start_byte..m.end_byte], m.marker);
        }
        let disturbing = markers.iter().find(|m| m.marker == "disturbing").unwrap();
        assert!(disturbing.modifiers.contains("booster:deeply"), "{disturbing:?}");
        // The table gives contributions to 4 decimals; they add up to the raw sum to that precision.
        let sum: f64 = markers.iter().filter(|m| m.sentence_id == 2).map(|m| m.effective_valence).sum();
        let raw = vader::analyze("The brilliance of the novel is deeply disturbing.");
        let expected: f64 = raw.contributions.iter().map(|c| c.effective_valence).sum();
        assert!((sum - expected).abs() < 1e-3, "{sum} vs {expected}");
    }

    #[test]
    fn hedges_without_valence_are_markers_too() {
        let (_, result, markers) = analyse("Perhaps it might seem contradictory.", &Scorer::Vader);
        let hedges: Vec<&str> = markers.iter().filter(|m| m.tone.contains("hedging")).map(|m| m.marker).collect();
        assert!(hedges.contains(&"Perhaps") && hedges.contains(&"might"), "{hedges:?}");
        assert!(markers.iter().filter(|m| m.tone.contains("hedging")).all(|m| m.lexicon_valence == 0.0));
        assert_eq!(
            result.sentence_tones[0],
            Lexicon::default_tone().categories.iter().position(|c| c.key == "hedging")
        );
    }

    #[test]
    fn tone_counts_agree_with_markers() {
        let text = include_str!("../../texts/never-let-me-go-review.txt");
        let (_, result, markers) = analyse(text, &Scorer::Vader);
        for row in &result.tones {
            let tagged = markers.iter().filter(|m| m.tone.split('|').any(|t| t == row.tone)).count();
            assert_eq!(row.count as usize, tagged, "{}", row.tone);
        }
    }

    #[test]
    fn no_scorer_leaves_scores_empty_but_finds_tone() {
        let (_, result, markers) = analyse("A haunting, devastating book.", &Scorer::None);
        assert_eq!(result.scores, [None]);
        assert!(markers.iter().all(|m| m.lexicon_valence == 0.0));
        assert!(!markers.is_empty());
    }

    #[test]
    fn a_valence_list_scores_any_language() {
        let source = Source::from_text("fr", "Un livre magnifique et triste.");
        let french = crate::text::Language::parse("fr").unwrap();
        let options = PipelineOptions { language: french, ..PipelineOptions::default() };
        let pipeline = Pipeline::new(options);
        let doc = pipeline.document(source);
        let valences = ValenceLexicon::parse("magnifique\t3\ntriste\t-2\n", std::path::Path::new("v")).unwrap();
        let lexicon = Lexicon::default_tone();
        let result = tone(&doc, &Scorer::Valence(valences), &lexicon, &lexicon.compile(&pipeline));
        // sum 1 → 1/√16 = 0.25; pos 4, neg −3, neu 3 → 0.4, 0.3, 0.3.
        let s = result.scores[0].unwrap();
        assert_eq!((s.compound, s.positive, s.neutral, s.negative), (0.25, 0.4, 0.3, 0.3));
        let markers: Vec<&str> = result.markers.iter().map(|m| m.span.of(&doc.text)).collect();
        assert_eq!(markers, ["magnifique", "triste"]);
    }
}
