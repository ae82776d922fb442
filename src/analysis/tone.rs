//! Sentiment and tone: each sentence's VADER scores, every word that moved a score (and by which rule), and the
//! tone categories of criticism (praise, censure, dread, …) found by a category lexicon.
//!
//! ```
//! use marginalia::analysis::tone::{Scorer, marker_rows, tone_in_full};
//! use marginalia::{input::Source, lexicon::Lexicon, text::Pipeline};
//! let pipeline = Pipeline::default();
//! let doc = pipeline.document(Source::from_text("r", "Kathy’s voice is never bitter, never angry."));
//! let lexicon = Lexicon::default_tone();
//! let found = tone_in_full(&doc, &Scorer::Vader, &lexicon, &lexicon.compile(&pipeline));
//! assert_eq!(found.scores[0].unwrap().compound, 0.0187);
//! let angry = marker_rows(&doc, &lexicon, &found.markers).find(|m| m.marker == "angry").unwrap();
//! // Both "never"s are within VADER's three-word reach, so "angry" is negated twice (and stays negative).
//! assert_eq!((angry.modifiers.as_str(), &*angry.tone), ("negated:never|negated:never", "anger"));
//! ```

use std::borrow::Cow;
use std::convert::Infallible;

use rustc_hash::FxHashMap;

use crate::lexicon::{Hit, Lexicon, Matcher, join_counts, sort_counts};
use crate::parallel::{self, SHARED_FROM_TOKENS};
use crate::report::schema::{ToneMarkerRow, ToneRow, per_10k, round4};
use crate::sentiment::{ValenceLexicon, vader};
use crate::text::{Document, Span, normalize_into};

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

/// What the tone analysis finds in one document, once its blocks of sentences ([`ToneBlock`]) are handed over.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneAnalysis {
    /// Each sentence's compound score, indexed like the document's sentences (for the arc); empty when sentences
    /// are not scored.
    pub compounds: Vec<f64>,
    /// The rows of `tone.csv`.
    pub tones: Vec<ToneRow>,
    /// For each category (as `tones`), its markers (normalised) with their counts, most frequent first.
    pub marker_counts: Vec<Vec<(String, u32)>>,
}

/// A block of consecutive sentences as [`tone`] hands it over: what `sentences.csv` and `tone_markers.csv` need
/// of them, which is not kept after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneBlock<'a> {
    /// The index of its first sentence in the document.
    pub first_sentence: usize,
    /// Each sentence's scores, in order; `None` when sentences are not scored.
    pub scores: &'a [Option<vader::Scores>],
    /// Each sentence's dominant tone category (an index into the lexicon's categories), if it has any marker.
    pub sentence_tones: &'a [Option<usize>],
    /// Its markers, in text order.
    pub markers: &'a [Marker],
}

/// Everything [`tone`] finds in a document, kept: for a review or a test, where it is little.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneInFull {
    /// Each sentence's scores, indexed like the document's sentences; `None` when sentences are not scored.
    pub scores: Vec<Option<vader::Scores>>,
    /// Each sentence's dominant tone category (an index into the lexicon's categories), if it has any marker.
    pub sentence_tones: Vec<Option<usize>>,
    /// Every marker, in text order.
    pub markers: Vec<Marker>,
    /// The rest: compounds, `tone.csv`'s rows and the markers' counts.
    pub analysis: ToneAnalysis,
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

/// The rows of `tone_markers.csv` for `markers` (found by [`tone`]), made as they are written.
pub fn marker_rows<'a>(
    doc: &'a Document,
    lexicon: &'a Lexicon,
    markers: &'a [Marker],
) -> impl Iterator<Item = ToneMarkerRow<'a>> + 'a {
    markers.iter().map(move |m| ToneMarkerRow {
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
            many => Cow::Owned(many.iter().map(|&c| lexicon.categories[c].key.as_str()).collect::<Vec<_>>().join("|")),
        },
    })
}

/// Sentences scored at a time: enough to share among threads, few enough that their markers are a small part of a
/// novel's.
const SENTENCES_PER_BLOCK: usize = 1 << 14;

/// Scores every sentence with `scorer` and finds the tone markers of `lexicon` (compiled as `matcher`), handing
/// the sentences' scores, dominant tones and markers to `each_block` a block of sentences at a time, in text
/// order: a novel's are written as they are found, never all held at once. The first error `each_block` returns
/// ends the analysis.
///
/// The sentences of a long document are scored in parallel (rayon's pool); the result is the same whatever the
/// number of threads.
pub fn tone<E>(
    doc: &Document,
    scorer: &Scorer,
    lexicon: &Lexicon,
    matcher: &Matcher,
    mut each_block: impl FnMut(&ToneBlock) -> Result<(), E>,
) -> Result<ToneAnalysis, E> {
    let hits = matcher.find(doc);
    // Hits come in token order, so each sentence's hits are one run of them: `hits[bounds[s]..bounds[s + 1]]`.
    let mut bounds = Vec::with_capacity(doc.sentences.len() + 1);
    let mut h = 0;
    for s in 0..doc.sentences.len() {
        bounds.push(h);
        while h < hits.len() && hits[h].first_token < doc.sentences[s].end_token as usize {
            h += 1;
        }
    }
    bounds.push(h);
    let shared = doc.tokens.len() >= SHARED_FROM_TOKENS;
    let scored = !matches!(scorer, Scorer::None);
    let mut compounds = Vec::with_capacity(if scored { doc.sentences.len() } else { 0 });
    let mut counts = MarkerCounts::new(lexicon);
    let (mut scores, mut sentence_tones, mut markers) = (Vec::new(), Vec::new(), Vec::new());
    for start in (0..doc.sentences.len()).step_by(SENTENCES_PER_BLOCK) {
        let block = (start..doc.sentences.len().min(start + SENTENCES_PER_BLOCK)).collect();
        let per_sentence: Vec<(Option<vader::Scores>, Vec<Marker>)> = parallel::map(block, shared, |s| {
            let (score, valued) = score_sentence(doc, s, scorer);
            (score, sentence_markers(doc, s as u32, valued, &hits[bounds[s]..bounds[s + 1]]))
        });
        scores.clear();
        sentence_tones.clear();
        markers.clear();
        for (score, found) in per_sentence {
            compounds.extend(score.map(|s| s.compound));
            scores.push(score);
            sentence_tones.push(dominant(&found));
            markers.extend(found);
        }
        counts.add(doc, &markers);
        each_block(&ToneBlock {
            first_sentence: start,
            scores: &scores,
            sentence_tones: &sentence_tones,
            markers: &markers,
        })?;
    }
    let marker_counts = counts.finish();
    let tones = tone_rows(doc, &marker_counts, lexicon);
    Ok(ToneAnalysis { compounds, tones, marker_counts })
}

/// [`tone`], with every sentence's scores and tone and every marker kept and returned.
pub fn tone_in_full(doc: &Document, scorer: &Scorer, lexicon: &Lexicon, matcher: &Matcher) -> ToneInFull {
    let (mut scores, mut sentence_tones, mut markers) = (Vec::new(), Vec::new(), Vec::new());
    let found = tone(doc, scorer, lexicon, matcher, |block| {
        scores.extend_from_slice(block.scores);
        sentence_tones.extend_from_slice(block.sentence_tones);
        markers.extend_from_slice(block.markers);
        Ok::<(), Infallible>(())
    });
    match found {
        Ok(analysis) => ToneInFull { scores, sentence_tones, markers, analysis },
        Err(never) => match never {},
    }
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
                .map(|(t, &v)| marker(doc.span(t), v, Vec::new(), v))
                .collect();
            (Some(vader::score_valence(&valences, sentence.span.of(&doc.text))), valued)
        }
        Scorer::None => (None, Vec::new()),
    }
}

/// The category most markers belong to (ties to the lexicon's first), if any.
fn dominant(markers: &[Marker]) -> Option<usize> {
    let mut categories: Vec<usize> = markers.iter().flat_map(|m| m.tones.iter().copied()).collect();
    categories.sort_unstable();
    // Runs of one category, in lexicon order: the first longest run wins.
    categories
        .chunk_by(|a, b| a == b)
        .fold(None, |best: Option<&[usize]>, run| match best {
            Some(b) if b.len() >= run.len() => Some(b),
            _ => Some(run),
        })
        .map(|run| run[0])
}

/// Gives each valued word the tones of the one-word hits inside it, and adds a marker for every other tone span
/// (tone words without valence, and tone phrases, which are markers of their own): so each category's count in
/// `tone.csv` is its number of marker rows. `hits` are those of sentence `sentence`.
fn sentence_markers(doc: &Document, sentence: u32, mut markers: Vec<Marker>, hits: &[Hit]) -> Vec<Marker> {
    if hits.is_empty() {
        return markers;
    }
    let valued = markers.len();
    let mut rest: Vec<(Span, usize)> = Vec::new();
    for hit in hits {
        let span = hit.span(doc);
        // Valued markers are in text order and do not overlap (VADER's words are whitespace-separated).
        let at = markers[..valued].partition_point(|m| m.span.end <= span.start);
        match markers[..valued].get_mut(at) {
            Some(m) if hit.end_token - hit.first_token == 1 && m.span.start < span.end => {
                if !m.tones.contains(&hit.term.category) {
                    m.tones.push(hit.term.category);
                    m.tones.sort_unstable();
                }
            }
            _ => rest.push((span, hit.term.category)),
        }
    }
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

/// Each category's markers (normalised) with their counts, gathered a block of markers at a time.
struct MarkerCounts {
    forms: Vec<FxHashMap<String, u32>>,
    /// The marker being normalised (kept to reuse its allocation).
    form: String,
}

impl MarkerCounts {
    fn new(lexicon: &Lexicon) -> Self {
        MarkerCounts { forms: vec![FxHashMap::default(); lexicon.categories.len()], form: String::new() }
    }

    fn add(&mut self, doc: &Document, markers: &[Marker]) {
        for m in markers.iter().filter(|m| !m.tones.is_empty()) {
            normalize_into(m.span.of(&doc.text), &mut self.form);
            for &c in &m.tones {
                match self.forms[c].get_mut(self.form.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        self.forms[c].insert(self.form.clone(), 1);
                    }
                }
            }
        }
    }

    /// For each category (in lexicon order), its markers with their counts, most frequent first, then
    /// alphabetically.
    fn finish(self) -> Vec<Vec<(String, u32)>> {
        self.forms
            .into_iter()
            .map(|forms| {
                let mut forms: Vec<(String, u32)> = forms.into_iter().collect();
                sort_counts(&mut forms);
                forms
            })
            .collect()
    }
}

/// `tone.csv`: every category, how many markers belong to it, their rate and the most frequent of them.
fn tone_rows(doc: &Document, marker_counts: &[Vec<(String, u32)>], lexicon: &Lexicon) -> Vec<ToneRow> {
    lexicon
        .categories
        .iter()
        .zip(marker_counts)
        .map(|(category, forms)| {
            let count: u32 = forms.iter().map(|(_, n)| n).sum();
            ToneRow {
                document: doc.id.clone(),
                group: doc.group.clone(),
                tone: category.key.clone(),
                label: category.label.clone(),
                count,
                per_10k: per_10k(count as usize, doc.tokens.len()),
                top_markers: join_counts(forms, 10),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::text::{Pipeline, PipelineOptions};

    /// The document, what was found and its marker rows.
    fn analyse(text: &str, scorer: &Scorer) -> (Document, ToneInFull, Vec<ToneMarkerRow<'static>>) {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", text);
        let lexicon = Lexicon::default_tone();
        let found = tone_in_full(&doc, scorer, &lexicon, &lexicon.compile(&pipeline));
        let rows = marker_rows(&doc, &lexicon, &found.markers).map(owned).collect();
        (doc, found, rows)
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
        for row in &result.analysis.tones {
            let tagged = markers.iter().filter(|m| m.tone.split('|').any(|t| t == row.tone)).count();
            assert_eq!(row.count as usize, tagged, "{}", row.tone);
        }
    }

    #[test]
    fn a_tone_phrase_is_one_marker_even_over_valued_words() {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", "It was good bad. Good.");
        let lexicon =
            Lexicon::parse_toml("[mixed]\nterms = [\"good bad\", \"good\"]", std::path::Path::new("t")).unwrap().0;
        let result = tone_in_full(&doc, &Scorer::Vader, &lexicon, &lexicon.compile(&pipeline));
        let rows: Vec<(&str, &str)> = marker_rows(&doc, &lexicon, &result.markers)
            .map(|m| (m.marker, if m.tone.is_empty() { "" } else { "mixed" }))
            .collect();
        // "good" and "bad" keep their valence rows; the phrase is a row of its own; the last "Good" is both.
        assert_eq!(rows, [("good", ""), ("good bad", "mixed"), ("bad", ""), ("Good", "mixed")]);
        assert_eq!(result.analysis.tones[0].count, 2);
        assert_eq!(result.analysis.tones[0].top_markers, "good:1|good bad:1");
    }

    #[test]
    fn a_document_of_several_blocks_of_sentences_is_scored_as_each_sentence_alone() {
        let pair = "Perhaps I love it. It is awful. ";
        let (_, alone, alone_markers) = analyse(pair, &Scorer::Vader);
        let pairs = SENTENCES_PER_BLOCK + 3; // two blocks and a bit
        let (doc, result, markers) = analyse(&pair.repeat(pairs), &Scorer::Vader);
        assert_eq!(doc.sentences.len(), 2 * pairs);
        assert_eq!(result.scores.len(), 2 * pairs);
        assert_eq!(result.sentence_tones.len(), 2 * pairs);
        assert_eq!(markers.len(), alone_markers.len() * pairs);
        for (i, m) in markers.iter().enumerate() {
            let (copy, first) = (i / alone_markers.len(), &alone_markers[i % alone_markers.len()]);
            assert_eq!((m.marker, m.sentence_id), (first.marker, first.sentence_id + 2 * copy as u32), "marker {i}");
            assert_eq!(m.start_byte, first.start_byte + copy * pair.len(), "marker {i}");
        }
        for s in 0..2 * pairs {
            assert_eq!(result.scores[s], alone.scores[s % 2], "sentence {s}");
            assert_eq!(result.sentence_tones[s], alone.sentence_tones[s % 2], "sentence {s}");
        }
    }

    #[test]
    fn markers_are_handed_over_a_block_of_sentences_at_a_time_and_an_error_stops_the_analysis() {
        let pipeline = Pipeline::default();
        let sentences = 2 * SENTENCES_PER_BLOCK + 5;
        let doc = Document::from_text("t", "It is furious. ".repeat(sentences));
        let lexicon = Lexicon::default_tone();
        let matcher = lexicon.compile(&pipeline);
        let mut blocks: Vec<(usize, usize, u32, u32, usize)> = Vec::new();
        let found = tone(&doc, &Scorer::Vader, &lexicon, &matcher, |block| {
            let markers = block.markers;
            let (first, last) = (markers[0].sentence, markers[markers.len() - 1].sentence);
            blocks.push((block.first_sentence, block.scores.len(), first, last, markers.len()));
            assert_eq!(block.sentence_tones.len(), block.scores.len());
            Ok::<(), ()>(())
        });
        let block = SENTENCES_PER_BLOCK as u32;
        let n = SENTENCES_PER_BLOCK;
        // "furious" (valued, and a word of anger) is one marker per sentence: three blocks, each of its own
        // sentences with their scores, in order.
        assert_eq!(
            blocks,
            [(0, n, 0, block - 1, n), (n, n, block, 2 * block - 1, n), (2 * n, 5, 2 * block, 2 * block + 4, 5)]
        );
        let anger = lexicon.categories.iter().position(|c| c.key == "anger").unwrap();
        let found = found.unwrap();
        assert_eq!(found.tones[anger].count as usize, sentences, "counts gathered over every block");
        assert_eq!(found.compounds.len(), sentences, "a compound for every sentence, for the arc");
        let mut calls = 0;
        let stopped = tone(&doc, &Scorer::Vader, &lexicon, &matcher, |_| {
            calls += 1;
            Err("disk full")
        });
        assert_eq!((stopped, calls), (Err("disk full"), 1));
    }

    #[test]
    fn many_categories_on_one_word_stay_fast() {
        let terms: String = (0..2_000).map(|i| format!("[c{i}]\nterms = [\"good\"]\n")).collect();
        let lexicon = Lexicon::parse_toml(&terms, std::path::Path::new("t")).unwrap().0;
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", "good ".repeat(50));
        let result = tone_in_full(&doc, &Scorer::Vader, &lexicon, &lexicon.compile(&pipeline));
        assert_eq!(result.sentence_tones, [Some(0)]);
        assert!(result.analysis.tones.iter().all(|t| t.count == 50));
    }

    #[test]
    fn no_scorer_leaves_scores_empty_but_finds_tone() {
        let (_, result, markers) = analyse("A haunting, devastating book.", &Scorer::None);
        assert_eq!(result.scores, [None]);
        assert!(result.analysis.compounds.is_empty());
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
        let result = tone_in_full(&doc, &Scorer::Valence(valences), &lexicon, &lexicon.compile(&pipeline));
        // sum 1 → 1/√16 = 0.25; pos 4, neg −3, neu 3 → 0.4, 0.3, 0.3.
        let s = result.scores[0].unwrap();
        assert_eq!((s.compound, s.positive, s.neutral, s.negative), (0.25, 0.4, 0.3, 0.3));
        let markers: Vec<&str> = result.markers.iter().map(|m| m.span.of(&doc.text)).collect();
        assert_eq!(markers, ["magnifique", "triste"]);
    }
}
