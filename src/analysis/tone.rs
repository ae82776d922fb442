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

use crate::lexicon::{Finder, Hit, Lexicon, Matcher, join_counts, sort_counts};
use crate::parallel::{self, SHARED_FROM_TOKENS};
use crate::report::schema::{ToneMarkerRow, ToneRow, per_10k, round4};
use crate::sentiment::{VaderSettings, ValenceLexicon, literary, vader};
use crate::text::{Document, Span, normalize_into};

/// How sentences are scored.
#[derive(Debug, Clone)]
pub enum Scorer {
    /// VADER (English), exactly as vaderSentiment 3.3.2.
    Vader,
    /// VADER with a critic's changes to its lexicon, or the literary preset, or both; every rule as in
    /// [`Scorer::Vader`].
    VaderWith(VaderSettings),
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
/// of them, which is not kept after. A sentence too long for a block comes as blocks of its markers alone (no
/// scores, `first_sentence` its index), a piece of it at a time, then a block of its scores alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToneBlock<'a> {
    /// The index of its first sentence in the document (of the sentence its markers are in, when it has no
    /// scores).
    pub first_sentence: usize,
    /// Each sentence's scores, in order; `None` when sentences are not scored. Empty in a block of a long
    /// sentence's markers.
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

/// How much of a document is scored and handed over at a time.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Sentences in a block: enough to share among threads, few enough that their markers are a small part of a
    /// novel's.
    sentences: usize,
    /// Words in a block: a block of long sentences dense with sentiment words would otherwise hold millions of
    /// markers.
    tokens: usize,
    /// Bytes of text in a block (VADER's words are not the document's: `:)` is one, and no word of it).
    bytes: usize,
    /// A sentence longer than a block (in words or bytes) is scored alone, a piece of about this many bytes at a
    /// time (VADER's), or `tokens` words at a time (a valence list, or no scorer).
    piece_bytes: usize,
}

impl Limits {
    const DEFAULT: Limits =
        Limits { sentences: 1 << 14, tokens: 1 << 16, bytes: 1 << 18, piece_bytes: vader::PIECE_BYTES };

    /// Whether sentence `s` is too long for a block.
    fn too_long(&self, doc: &Document, s: usize) -> bool {
        let sentence = &doc.sentences[s];
        sentence.words() > self.tokens || sentence.span.end - sentence.span.start > self.bytes
    }

    /// The end of the block of sentences starting at `start` (not too long, which is scored alone).
    fn block_end(&self, doc: &Document, start: usize) -> usize {
        let (mut tokens, mut bytes) = (0, 0);
        let mut end = start;
        while end < doc.sentences.len() && end - start < self.sentences && !self.too_long(doc, end) {
            let sentence = &doc.sentences[end];
            tokens += sentence.words();
            bytes += sentence.span.end - sentence.span.start;
            if end > start && (tokens > self.tokens || bytes > self.bytes) {
                break;
            }
            end += 1;
        }
        end
    }
}

/// Scores every sentence with `scorer` and finds the tone markers of `lexicon` (compiled as `matcher`), handing
/// the sentences' scores, dominant tones and markers to `each_block` a block of sentences at a time, in text
/// order: a novel's are written as they are found, never all held at once. A block holds at most 16,384
/// sentences, 65,536 words and 256 KiB of text; a sentence longer than that (a text without full stops) is scored
/// alone, and its markers are handed over a piece of it at a time (blocks with markers and no sentences), before
/// a block with its scores. The first error `each_block` returns ends the analysis.
///
/// The sentences of a long document are scored in parallel (rayon's pool); the result is the same whatever the
/// number of threads, and whatever the blocks.
pub fn tone<E>(
    doc: &Document,
    scorer: &Scorer,
    lexicon: &Lexicon,
    matcher: &Matcher,
    each_block: impl FnMut(&ToneBlock) -> Result<(), E>,
) -> Result<ToneAnalysis, E> {
    tone_with(doc, scorer, lexicon, matcher, Limits::DEFAULT, each_block)
}

/// [`tone`], a block at a time as `limits` says.
fn tone_with<E>(
    doc: &Document,
    scorer: &Scorer,
    lexicon: &Lexicon,
    matcher: &Matcher,
    limits: Limits,
    mut each_block: impl FnMut(&ToneBlock) -> Result<(), E>,
) -> Result<ToneAnalysis, E> {
    let mut finder = Finder::new(matcher, doc);
    let shared = doc.tokens.len() >= SHARED_FROM_TOKENS;
    let scored = !matches!(scorer, Scorer::None);
    let mut compounds = Vec::with_capacity(if scored { doc.sentences.len() } else { 0 });
    let mut counts = MarkerCounts::new(lexicon);
    let (mut scores, mut sentence_tones, mut markers, mut hits) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut bounds = Vec::new();
    let mut start = 0;
    while start < doc.sentences.len() {
        if limits.too_long(doc, start) {
            let (score, tone) =
                long_sentence(doc, start, scorer, lexicon, &mut finder, &mut counts, limits, &mut each_block)?;
            compounds.extend(score.map(|s| s.compound));
            each_block(&ToneBlock { first_sentence: start, scores: &[score], sentence_tones: &[tone], markers: &[] })?;
            start += 1;
            continue;
        }
        let end = limits.block_end(doc, start);
        hits.clear();
        finder.find_until(doc.sentences[end - 1].end_token as usize, &mut hits);
        // Hits come in token order, so each sentence's hits are one run of them: `hits[bounds[i]..bounds[i + 1]]`
        // for sentence `start + i`.
        bounds.clear();
        let mut h = 0;
        for sentence in &doc.sentences[start..end] {
            bounds.push(h);
            while h < hits.len() && hits[h].first_token < sentence.end_token as usize {
                h += 1;
            }
        }
        bounds.push(h);
        let block = (start..end).collect();
        let per_sentence: Vec<(Option<vader::Scores>, Vec<Marker>)> = parallel::map(block, shared, |s| {
            let (score, valued) = score_sentence(doc, s, scorer);
            let i = s - start;
            (score, sentence_markers(doc, s as u32, valued, &hits[bounds[i]..bounds[i + 1]]))
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
        start = end;
    }
    let marker_counts = counts.finish();
    let tones = tone_rows(doc, &marker_counts, lexicon);
    Ok(ToneAnalysis { compounds, tones, marker_counts })
}

/// Sentence `s`, too long for a block: scored a piece at a time, its markers handed to `each_block` as they are
/// found (blocks without sentences). Returns its scores and dominant tone, which the caller hands over.
#[allow(clippy::too_many_arguments)] // one call, from `tone_with`
fn long_sentence<'d, E>(
    doc: &'d Document,
    s: usize,
    scorer: &Scorer,
    lexicon: &Lexicon,
    finder: &mut Finder<'_, 'd>,
    counts: &mut MarkerCounts,
    limits: Limits,
    each_block: &mut dyn FnMut(&ToneBlock) -> Result<(), E>,
) -> Result<(Option<vader::Scores>, Option<usize>), E> {
    let mut long = LongSentence {
        doc,
        s,
        finder,
        counts,
        each_block,
        pending: Vec::new(),
        per_category: vec![0; lexicon.categories.len()],
    };
    let score = match scorer {
        Scorer::Vader => Some(long.vader(limits, None)?),
        Scorer::VaderWith(settings) => Some(long.vader(limits, Some(settings))?),
        Scorer::Valence(valences) => long.by_tokens(Some(valences), limits)?,
        Scorer::None => long.by_tokens(None, limits)?,
    };
    Ok((score, long.dominant()))
}

/// A sentence too long for a block, handed over a piece at a time.
struct LongSentence<'a, 'd, 'm, E> {
    doc: &'d Document,
    /// Its index.
    s: usize,
    finder: &'a mut Finder<'m, 'd>,
    counts: &'a mut MarkerCounts,
    each_block: &'a mut dyn FnMut(&ToneBlock) -> Result<(), E>,
    /// Hits found but not yet handed over.
    pending: Vec<Hit>,
    /// Each category's markers so far (for the dominant tone).
    per_category: Vec<u32>,
}

impl<E> LongSentence<'_, '_, '_, E> {
    /// Scored by VADER (changed as `settings` say), a piece of about `limits.piece_bytes` at a time.
    fn vader(&mut self, limits: Limits, settings: Option<&VaderSettings>) -> Result<vader::Scores, E> {
        let (s, span) = (self.s, self.doc.sentences[self.s].span);
        let neutral = settings.map(|settings| neutral_words(self.doc, span, settings)).unwrap_or_default();
        let adjust = vader::Adjust { overrides: settings.and_then(|s| s.overrides.as_ref()), neutral: &neutral };
        vader::analyze_pieces_of(span.of(&self.doc.text), limits.piece_bytes, adjust, |found, end| {
            let valued = found.into_iter().map(|c| contribution_marker(span.start, s, c)).collect();
            self.hand_over(valued, span.start + end)
        })
    }

    /// Scored by a valence list (or not scored, without one), `limits.tokens` words at a time.
    fn by_tokens(&mut self, valences: Option<&ValenceLexicon>, limits: Limits) -> Result<Option<vader::Scores>, E> {
        let (doc, sentence) = (self.doc, self.doc.sentences[self.s]);
        let (first_token, end_token) = (sentence.first_token as usize, sentence.end_token as usize);
        let mut sums = vader::Sums::default();
        for from in (first_token..end_token).step_by(limits.tokens.max(1)) {
            let to = end_token.min(from + limits.tokens.max(1));
            let mut valued = Vec::new();
            for t in valences.map_or(&[][..], |_| &doc.tokens[from..to]) {
                let v = valences.and_then(|valences| valences.get(doc.norm(t))).unwrap_or(0.0);
                sums.add(v);
                if v != 0.0 {
                    valued.push(valued_marker(doc.span(t), self.s, v, Vec::new(), v));
                }
            }
            let cut = if to < end_token { doc.tokens[to].start() } else { sentence.span.end };
            self.hand_over(valued, cut)?;
        }
        Ok(valences.map(|_| sums.scores(sentence.span.of(&doc.text))))
    }

    /// Hands over the valued markers of a piece, which end before byte `cut`, with the hits that go with them.
    fn hand_over(&mut self, valued: Vec<Marker>, cut: usize) -> Result<(), E> {
        let (doc, sentence) = (self.doc, self.doc.sentences[self.s]);
        let tokens = &doc.tokens[sentence.first_token as usize..sentence.end_token as usize];
        let end = sentence.first_token as usize + tokens.partition_point(|t| t.start() < cut);
        self.finder.find_until(end, &mut self.pending);
        // A hit starting before the cut goes with this piece, unless it runs past the cut and no valued marker of
        // the piece ends after its start: then the word it belongs to (if any) is in the next piece, and it waits
        // for it, with the hits after it (so that markers stay in text order).
        let last_end = valued.last().map(|m| m.span.end);
        let waits = self.pending.iter().position(|h| {
            let span = h.span(doc);
            span.end > cut && last_end.is_none_or(|e| span.start >= e)
        });
        let later = self.pending.split_off(waits.unwrap_or(self.pending.len()));
        let hits = std::mem::replace(&mut self.pending, later);
        let found = sentence_markers(doc, self.s as u32, valued, &hits);
        for c in found.iter().flat_map(|m| &m.tones) {
            if let Some(n) = self.per_category.get_mut(*c) {
                *n += 1;
            }
        }
        self.counts.add(doc, &found);
        (self.each_block)(&ToneBlock { first_sentence: self.s, scores: &[], sentence_tones: &[], markers: &found })
    }

    /// The category most markers belong to, ties to the lexicon's first: what `dominant` finds in a short sentence.
    fn dominant(&self) -> Option<usize> {
        let most = self.per_category.iter().copied().max().filter(|&n| n > 0)?;
        self.per_category.iter().position(|&n| n == most)
    }
}

/// [`tone`], with every sentence's scores and tone and every marker kept and returned.
pub fn tone_in_full(doc: &Document, scorer: &Scorer, lexicon: &Lexicon, matcher: &Matcher) -> ToneInFull {
    in_full_with(doc, scorer, lexicon, matcher, Limits::DEFAULT)
}

/// [`tone_in_full`], a block at a time as `limits` says.
fn in_full_with(doc: &Document, scorer: &Scorer, lexicon: &Lexicon, matcher: &Matcher, limits: Limits) -> ToneInFull {
    let (mut scores, mut sentence_tones, mut markers) = (Vec::new(), Vec::new(), Vec::new());
    let found = tone_with(doc, scorer, lexicon, matcher, limits, |block| {
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

/// A marker for a word that carries valence (without tones yet), in sentence `s`.
fn valued_marker(
    span: Span,
    s: usize,
    lexicon_valence: f64,
    modifiers: Vec<vader::Modifier>,
    effective: f64,
) -> Marker {
    Marker { span, sentence: s as u32, lexicon_valence, modifiers, effective_valence: effective, tones: Vec::new() }
}

/// The marker of a VADER contribution in sentence `s`, which starts at byte `start`.
fn contribution_marker(start: usize, s: usize, c: vader::Contribution) -> Marker {
    let span = Span { start: start + c.start, end: start + c.end };
    valued_marker(span, s, c.lexicon_valence, c.modifiers, c.effective_valence)
}

/// A sentence's scores and the words that carry valence in it (as markers without tones yet).
fn score_sentence(doc: &Document, s: usize, scorer: &Scorer) -> (Option<vader::Scores>, Vec<Marker>) {
    let sentence = &doc.sentences[s];
    match scorer {
        Scorer::Vader | Scorer::VaderWith(_) => {
            let text = sentence.span.of(&doc.text);
            let analysis = match scorer {
                Scorer::VaderWith(settings) => {
                    let neutral = neutral_words(doc, sentence.span, settings);
                    let overrides = settings.overrides.as_ref();
                    vader::analyze_with(text, vader::Adjust { overrides, neutral: &neutral })
                }
                _ => vader::analyze(text),
            };
            let start = sentence.span.start;
            let valued = analysis.contributions.into_iter().map(|c| contribution_marker(start, s, c)).collect();
            (Some(analysis.scores), valued)
        }
        Scorer::Valence(lexicon) => {
            let tokens = &doc.tokens[sentence.first_token as usize..sentence.end_token as usize];
            let valences: Vec<f64> = tokens.iter().map(|t| lexicon.get(doc.norm(t)).unwrap_or(0.0)).collect();
            let valued = tokens
                .iter()
                .zip(&valences)
                .filter(|&(_, &v)| v != 0.0)
                .map(|(t, &v)| valued_marker(doc.span(t), s, v, Vec::new(), v))
                .collect();
            (Some(vader::score_valence(&valences, sentence.span.of(&doc.text))), valued)
        }
        Scorer::None => (None, Vec::new()),
    }
}

/// The compound score of a passage of `doc` (a quotation, a run of narration), scored whole as a sentence is;
/// `None` when nothing is scored.
pub fn score_span(doc: &Document, span: Span, scorer: &Scorer) -> Option<f64> {
    let text = span.of(&doc.text);
    match scorer {
        Scorer::Vader => Some(vader::polarity_scores(text).compound),
        Scorer::VaderWith(settings) => {
            let neutral = neutral_words(doc, span, settings);
            let adjust = vader::Adjust { overrides: settings.overrides.as_ref(), neutral: &neutral };
            Some(vader::polarity_scores_with(text, adjust).compound)
        }
        Scorer::Valence(lexicon) => {
            let first = doc.tokens.partition_point(|t| t.start() < span.start);
            let end = doc.tokens.partition_point(|t| t.start() < span.end);
            let tokens = &doc.tokens[first..end.max(first)];
            let valences: Vec<f64> = tokens.iter().map(|t| lexicon.get(doc.norm(t)).unwrap_or(0.0)).collect();
            Some(vader::score_valence(&valences, text).compound)
        }
        Scorer::None => None,
    }
}

/// The words of a passage scored as neutral under `settings` (none without the literary preset), with offsets
/// relative to the passage.
fn neutral_words(doc: &Document, span: Span, settings: &VaderSettings) -> Vec<vader::Neutral> {
    if settings.literary { literary::name_words(doc, span) } else { Vec::new() }
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
        let pairs = Limits::DEFAULT.sentences + 3; // two blocks and a bit
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
        let sentences = 2 * Limits::DEFAULT.sentences + 5;
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
        let block = Limits::DEFAULT.sentences as u32;
        let n = Limits::DEFAULT.sentences;
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

    /// Words, phrases and characters that exercise the long-sentence path: VADER's rules ("but", negations,
    /// capitals, emoji), tone words and phrases, words VADER and the document cut differently
    /// (`flatness\u{202f}good` is one word to the document, a tone word by its glob `flatness*`, and two to VADER,
    /// the second of valence 1.9; `well-known` the reverse), punctuation VADER strips.
    #[rustfmt::skip]
    const WORDS: [&str; 40] = [
        "good", "BAD", "but", "not", "never", "so", "kind", "of", "perhaps", "might", "seem", "tour", "de", "force",
        "heavy", "handed", "sense", "loss", "isn’t", "😁", "❤️", ":)", "(sad", "_sad", "furious", "good\u{202f}bad",
        "well-known", "arguably", "!", "?", "the", "a", "very", "least", "at", "wry", "arguably\u{202f}so",
        "perhaps\u{202f}good", "flatness\u{202f}good", "boring\u{202f}good",
    ];

    /// A sentence (no full stop) of `n` words of [`WORDS`], chosen by a xorshift seeded with `seed`.
    fn long_sentence_text(seed: u64, n: usize) -> String {
        let mut state = seed;
        let mut words = Vec::with_capacity(n);
        for _ in 0..n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            words.push(WORDS[(state % WORDS.len() as u64) as usize]);
        }
        words.join(" ")
    }

    /// Limits small enough that a sentence of a few words is too long for a block.
    fn tiny(piece_bytes: usize) -> Limits {
        Limits { sentences: 3, tokens: 5, bytes: 64, piece_bytes }
    }

    #[test]
    fn a_sentence_too_long_for_a_block_is_scored_in_pieces_as_it_is_whole() {
        let pipeline = Pipeline::default();
        let lexicon = Lexicon::default_tone();
        let matcher = lexicon.compile(&pipeline);
        let valences =
            ValenceLexicon::parse("good\t2\nbad\t-1.5\nsad\t-3\nforce\t1\n", std::path::Path::new("v")).unwrap();
        let review = include_str!("../../texts/never-let-me-go-review.txt");
        let mut texts = vec![review.replace(['.', '!', '?', '\n'], " "), review.to_string()];
        texts.extend((1..40).map(|seed| long_sentence_text(seed * 7919, 20 + seed as usize * 13)));
        texts.push(format!("{}. Short one. {}", long_sentence_text(5, 300), long_sentence_text(6, 200)));
        for text in &texts {
            let doc = Document::from_text("t", text.as_str());
            let literary = Scorer::VaderWith(VaderSettings {
                overrides: Some(vader::Overrides::new(vec![("good".into(), Some(-1.0)), ("sad".into(), None)])),
                literary: true,
            });
            for scorer in [Scorer::Vader, literary, Scorer::Valence(valences.clone()), Scorer::None] {
                let whole = in_full_with(&doc, &scorer, &lexicon, &matcher, Limits::DEFAULT);
                for piece_bytes in [1, 5, 16, 200] {
                    let pieces = in_full_with(&doc, &scorer, &lexicon, &matcher, tiny(piece_bytes));
                    assert_eq!(pieces, whole, "{scorer:?} in pieces of {piece_bytes}: {text:?}");
                }
            }
        }
    }

    #[test]
    fn a_long_sentences_markers_come_in_pieces_then_its_scores() {
        let pipeline = Pipeline::default();
        let lexicon = Lexicon::default_tone();
        let matcher = lexicon.compile(&pipeline);
        let doc = Document::from_text("t", format!("It is good. It is{}. It is bad.", " furious".repeat(1_000)));
        let mut blocks: Vec<(usize, usize, usize)> = Vec::new();
        let limits = Limits { sentences: 10, tokens: 100, bytes: 1_000, piece_bytes: 500 };
        tone_with(&doc, &Scorer::Vader, &lexicon, &matcher, limits, |block| {
            blocks.push((block.first_sentence, block.scores.len(), block.markers.len()));
            assert_eq!(block.sentence_tones.len(), block.scores.len());
            Ok::<(), ()>(())
        })
        .unwrap();
        // The first sentence alone (the next is too long for a block), the long one's markers in pieces of about
        // 500 bytes (62 or 63 words of 8 bytes), its scores, then the last sentence.
        assert_eq!(blocks[0], (0, 1, 1));
        let pieces = &blocks[1..blocks.len() - 2];
        assert!(
            pieces.len() >= 15 && pieces.iter().all(|&(s, scores, markers)| s == 1 && scores == 0 && markers <= 63)
        );
        assert_eq!(pieces.iter().map(|b| b.2).sum::<usize>(), 1_000);
        assert_eq!(blocks[blocks.len() - 2], (1, 1, 0));
        assert_eq!(blocks[blocks.len() - 1], (2, 1, 1));
    }

    #[test]
    fn blocks_are_bounded_by_words_and_bytes_as_well_as_sentences() {
        let pipeline = Pipeline::default();
        let lexicon = Lexicon::default_tone();
        let matcher = lexicon.compile(&pipeline);
        // 300-word sentences of "furious" (a valence and a tone): 16,384 of them in a block were 4.9 million
        // markers.
        let sentence = format!("Furious{}. ", " furious".repeat(299));
        let doc = Document::from_text("t", sentence.repeat(500));
        let mut most = 0;
        let found = tone(&doc, &Scorer::Vader, &lexicon, &matcher, |block| {
            most = most.max(block.markers.len());
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(most <= Limits::DEFAULT.tokens, "{most} markers in a block");
        assert_eq!(found.compounds.len(), 500);
        assert_eq!(found.tones.iter().find(|t| t.tone == "anger").unwrap().count, 150_000);
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
    fn the_literary_preset_neutralises_titles_and_names_and_says_so() {
        let literary = Scorer::VaderWith(VaderSettings { overrides: None, literary: true });
        let (_, plain, _) = analyse("Miss Emily asked. I miss her.", &Scorer::Vader);
        let (_, found, markers) = analyse("Miss Emily asked. I miss her.", &literary);
        // Plain VADER: "Miss" is −0.6, −0.6/√(0.36 + 15) = −0.1531 in both sentences.
        assert_eq!(plain.scores.iter().map(|s| s.unwrap().compound).collect::<Vec<_>>(), [-0.1531, -0.1531]);
        assert_eq!(found.scores.iter().map(|s| s.unwrap().compound).collect::<Vec<_>>(), [0.0, -0.1531]);
        let rows: Vec<_> = markers.iter().map(|m| (m.marker, m.modifiers.as_str(), m.effective_valence)).collect();
        assert_eq!(rows, [("Miss", "title", 0.0), ("miss", "", -0.6)]);
        // Quotations and voices are scored as sentences are.
        let doc = Document::from_text("t", "Miss Emily asked.");
        assert_eq!(score_span(&doc, Span { start: 0, end: doc.text.len() }, &literary), Some(0.0));
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
