//! One document's rows of every table, its corpus counts and its charts, made in whichever thread analyses it.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::arc::arc;
use crate::analysis::chapters::{chapter_rows, chapter_spans, chapter_starts};
use crate::analysis::collocations::{CollocationOptions, collocations};
use crate::analysis::quotes::{QuoteAnalysis, QuoteTally, quotes};
use crate::analysis::segments::{Segment, segments};
use crate::analysis::sentences::{sentence_rows, with_tone};
use crate::analysis::speakers;
use crate::analysis::stats::{SentimentSums, Sums, document_row, with_quotes, with_sentiment};
use crate::analysis::theme_sentiment::theme_sentiment_rows;
use crate::analysis::themes::{ThemeTables, concordance, themes};
use crate::analysis::tone::{Marker, Scorer, ToneAnalysis, marker_rows, score_span, tone};
use crate::analysis::vocabulary::vocabulary;
use crate::analysis::voices::{ToneMark, VoiceInput, VoiceTables, voice_tables};
use crate::charts::{DocumentData, Drawn, Formats, document_charts};
use crate::corpus::DocumentCounts;
use crate::corpus::groups::GroupPart;
use crate::error::{Error, Result};
use crate::input::Input;
use crate::lexicon::{Hit, Lexicon, Matcher};
use crate::output::{Place, Rendered, check_stop};
use crate::provenance::{Located, Sources};
use crate::report::schema::{
    CharacterRow, CollocationRow, DocumentRow, MetadataRow, NgramRow, ThemeRow, ThemeSentimentRow,
};
use crate::text::{Document, Pipeline, Span};

use super::Message;
use super::options::{Options, leaves_out};
use super::provenance::document_rows;
use super::reading::{Loaded, load};
use super::tables::Parts;

/// An input in run order, waiting for a thread to analyse it, and its chart folder.
/// (`None`: its charts are not drawn.)
pub(super) type Pending = (Input, Option<PathBuf>);

/// What analysing one input gave.
pub(super) enum Outcome {
    /// It could not be read (the message says why).
    Skipped(String),
    /// Its rows and counts.
    Analysed(Box<Analysed>),
}

/// One document, analysed: everything the writer needs, and nothing of its tokens.
pub(super) struct Analysed {
    pub(super) messages: Vec<Message>,
    /// Its rows of each of [`Tables`], rendered.
    pub(super) rows: Vec<Rendered>,
    pub(super) drawn: Drawn,
    pub(super) record: Record,
    /// The file it was read from, for the run's manifest.
    pub(super) file: Option<crate::input::InputDigest>,
}

/// What the corpus-level tables and charts need of one document: added to the [`Gathered`] counts, or written to
/// a shard's state for `merge` to add. Its encoding (and that of every type in it, and of [`Settings`]) is the
/// layout of `shard.bin`: a change to any of them needs a new `MAGIC` in `shard.rs`, so older states are refused
/// (a test pins the layout and says so).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Record {
    pub(super) counts: DocumentCounts,
    /// What its group's rows need (only with `--group-by`).
    pub(super) group: Option<GroupPart>,
    /// Its `themes.csv` rows, for the corpus heatmap (only when its charts are drawn).
    pub(super) themes: Vec<ThemeRow>,
    /// Whether its charts are drawn.
    pub(super) charted: bool,
    pub(super) bytes: usize,
    /// Its quotations located in the `--source` texts, for `quoted_passages.csv` (none without `--source`).
    pub(super) provenance: Vec<Located>,
}

/// What every thread analysing documents shares.
pub(super) struct Analyser<'o> {
    pub(super) options: &'o Options,
    /// Where the run writes: a huge document's rows wait in its folder ([`Parts::new`]); errors name it.
    pub(super) place: Place<'o>,
    pub(super) pipeline: Pipeline,
    pub(super) theme_matcher: Matcher,
    pub(super) tone_matcher: Matcher,
    pub(super) nodes: Nodes<'o>,
    /// The `--source` texts, indexed (none without `--source`).
    pub(super) sources: &'o Sources,
}

impl<'o> Analyser<'o> {
    /// What the threads analysing a run's documents share: its lexicons compiled, its nodes and its `--source`
    /// texts, writing into `place`.
    pub(super) fn new(options: &'o Options, place: Place<'o>, sources: &'o Sources) -> Self {
        let pipeline = Pipeline::new(options.pipeline.clone());
        Analyser {
            options,
            place,
            theme_matcher: options.themes.compile(&pipeline),
            tone_matcher: options.tone.compile(&pipeline),
            nodes: Nodes::new(options, &pipeline),
            pipeline,
            sources,
        }
    }

    /// Reads and analyses one input; an input that cannot be read is skipped, not an error. Once the run is
    /// stopping (Ctrl-C), fails at once, or between the steps of a document.
    pub(super) fn analyse(&self, (input, folder): Pending) -> Result<Outcome> {
        check_stop(self.place.path())?;
        let options = self.options;
        match load(input, &options.input, &self.pipeline, options.group_by.as_ref()) {
            Ok(Loaded { doc, metadata, messages, file }) => {
                let analysed = self.document(&doc, &metadata, folder.as_deref(), messages)?;
                Ok(Outcome::Analysed(Box::new(Analysed { file, ..analysed })))
            }
            Err(skipped) => Ok(Outcome::Skipped(skipped)),
        }
    }

    /// Every per-document table of `doc`, its corpus counts and its charts (drawn into `folder`). Each table's rows
    /// are rendered as they are made, so that a novel's are never all held at once.
    fn document(
        &self,
        doc: &Document,
        metadata: &[(String, String)],
        folder: Option<&Path>,
        mut messages: Vec<Message>,
    ) -> Result<Analysed> {
        let options = self.options;
        // Rendering rows into memory fails only for a row type that cannot be written as CSV.
        let rendering = |source| Error::Output { path: self.place.path().to_path_buf(), source };
        let mut parts = Parts::new(options.cells, self.place, &options.skip_tables);
        // What only its charts need is gathered only when they are drawn.
        let charted = options.charts.formats != Formats::None && folder.is_some();
        for (column, value) in metadata {
            parts.metadata.write(&MetadataRow { document: &doc.id, column, value }).map_err(rendering)?;
        }
        check_stop(self.place.path())?;
        let quoted = self.statistics_and_quotes(doc, &mut parts, charted, &mut messages).map_err(rendering)?;
        let provenance = match self.sources.is_empty() {
            true => Vec::new(),
            false => document_rows(doc, self.sources, &quoted.spans, &mut parts.provenance).map_err(rendering)?,
        };
        let vocabulary_rows = vocabulary(doc);
        parts.vocabulary.write_all(&vocabulary_rows).map_err(rendering)?;
        check_stop(self.place.path())?;
        let counts = self.counts(doc, &mut parts).map_err(rendering)?;
        check_stop(self.place.path())?;
        let cut = segments(doc, options.theme_options.segments);
        let (theme_tables, theme_hits) = self.themes(doc, &cut, &mut parts).map_err(rendering)?;
        check_stop(self.place.path())?;
        let (found, sentence_points, tone_marks) = self.tone(doc, &mut parts, charted).map_err(rendering)?;
        check_stop(self.place.path())?;
        let scored = self.scored(doc, &mut parts, &quoted, (&theme_hits, &cut), &found, &tone_marks);
        let Scored { by_mood, voices, document_row, sentiment } = scored.map_err(rendering)?;
        let arc_rows = arc(doc, &found.compounds, options.arc_points);
        parts.arc.write_all(&arc_rows).map_err(rendering)?;
        let data = DocumentData {
            document: &doc.id,
            bytes: doc.text.len(),
            themes: &theme_tables.themes,
            vocabulary: &vocabulary_rows,
            trend: &theme_tables.trend,
            sentences: &sentence_points,
            arc: &arc_rows,
            tone: &found.tones,
            quotes: &quoted.marks,
            characters: &quoted.characters,
            voice_themes: &voices.themes,
            theme_sentiment: &by_mood,
            chapter_starts: &chapter_starts(doc),
        };
        let drawn = self.draw(doc, folder, &data, &mut messages);
        let group = (!doc.group.is_empty()).then(|| GroupPart {
            document: document_row,
            sums: Sums::of(doc),
            quoted_words: quoted.tally.quoted_words,
            sentiment,
            voices: voices.sums,
            themes: theme_tables.themes.clone(),
            theme_terms: theme_tables.terms,
            tones: found.tones,
            markers: found.marker_counts,
        });
        let themes = if charted { theme_tables.themes } else { Vec::new() };
        let record = Record { counts, group, themes, charted, bytes: doc.text.len(), provenance };
        Ok(Analysed { messages, rows: parts.render().map_err(rendering)?, drawn, record, file: None })
    }

    /// Its charts, drawn into `folder` (none without one); a chart that could not be drawn is a warning.
    fn draw(&self, doc: &Document, folder: Option<&Path>, data: &DocumentData, messages: &mut Vec<Message>) -> Drawn {
        let drawn = match folder {
            Some(folder) => document_charts(folder, data, &self.options.charts),
            None => Drawn::default(),
        };
        if !drawn.failed.is_empty() {
            messages.push(Message::Warning(format!(
                "{}: charts not drawn ({}); the document's rows are in every table",
                doc.path,
                drawn.failures()
            )));
        }
        drawn
    }

    /// Once its sentences are scored: its rows of `theme_sentiment.csv` (from the theme occurrences `hits` and
    /// the segments `cut`), `voices.csv`, `voice_themes.csv` and `chapters.csv`, and its row of `documents.csv`.
    fn scored(
        &self,
        doc: &Document,
        parts: &mut Parts,
        quoted: &Quoted,
        (hits, cut): (&[Hit], &[Segment]),
        found: &ToneAnalysis,
        tone_marks: &[ToneMark],
    ) -> io::Result<Scored> {
        let options = self.options;
        let by_mood = theme_sentiment_rows(doc, &options.themes, hits, cut, &found.compounds);
        parts.theme_sentiment.write_all(&by_mood)?;
        let input = VoiceInput {
            doc,
            dialogue: &quoted.dialogue.spans,
            dialogue_compounds: &quoted.dialogue.compounds,
            sentence_compounds: &found.compounds,
            themes: &options.themes,
            theme_hits: hits,
            tones: &options.tone,
            tone_marks,
        };
        let voices = voice_tables(&input, &chapter_spans(doc), |span| score_span(doc, span, &options.scorer));
        parts.voices.write_all(&voices.voices)?;
        parts.voice_themes.write_all(&voices.themes)?;
        parts.chapters.write_all(&chapter_rows(doc, &quoted.starts, &found.compounds, &voices.voices))?;
        let sentiment = SentimentSums::of(&found.compounds);
        let document_row = with_sentiment(quoted.row.clone(), &sentiment);
        parts.documents.write(&document_row)?;
        Ok(Scored { by_mood, voices, document_row, sentiment })
    }

    /// Its rows of `quotes.csv` and `characters.csv`, and its row of `documents.csv` but for its sentiment (written
    /// once its sentences are scored); the statistics first, so that a novel's are not held while its quotations
    /// are found.
    fn statistics_and_quotes(
        &self,
        doc: &Document,
        parts: &mut Parts,
        charted: bool,
        messages: &mut Vec<Message>,
    ) -> io::Result<Quoted> {
        let statistics = document_row(doc);
        let mut found = quotes(doc);
        let cast = speakers::attribute(doc, &mut found);
        let dialogue = Dialogue::of(doc, &found, &self.options.scorer);
        let characters = speakers::character_rows(doc, &cast, &found, &dialogue.compounds);
        parts.characters.write_all(&characters)?;
        messages.extend(found.warnings.drain(..).map(Message::Warning));
        let mut marks = Vec::with_capacity(if charted { found.len() } else { 0 });
        let mut starts = Vec::with_capacity(found.len());
        let mut spans = Vec::new();
        let mut tally = QuoteTally::default();
        for row in found.rows() {
            if charted {
                marks.push((row.start_byte, row.kind));
            }
            if !self.sources.is_empty() {
                spans.push((row.quote_id, row.start_byte, row.end_byte));
            }
            starts.push(row.start_byte);
            tally.add(&row);
            parts.quotes.write(&row)?;
        }
        let row = with_quotes(statistics, &tally);
        let characters = if charted { characters } else { Vec::new() };
        Ok(Quoted { row, tally, marks, starts, spans, characters, dialogue })
    }

    /// What the corpus tables need of `doc`, and its rows of `ngrams.csv`.
    fn counts(&self, doc: &Document, parts: &mut Parts) -> io::Result<DocumentCounts> {
        // Left out, the n-grams are not even counted.
        let ngrams = (!leaves_out::<NgramRow>(&self.options.skip_tables)).then_some(&self.options.ngrams);
        let mut counts = DocumentCounts::of(doc, ngrams);
        counts.ngrams.take_rows(doc).try_for_each(|row| parts.ngrams.write(&row))?;
        Ok(counts)
    }

    /// Its rows of `collocations.csv` and of the four theme tables, cut into segments as `cut` says; the
    /// concordance a line at a time (a novel's, held, would take as much memory as its text). Returns the theme
    /// tables and the occurrences, which `theme_sentiment.csv` needs once sentences are scored.
    fn themes(&self, doc: &Document, cut: &[Segment], parts: &mut Parts) -> io::Result<(ThemeTables, Vec<Hit>)> {
        let options = self.options;
        let hits = self.theme_matcher.find(doc);
        parts.collocations.write_all(&self.nodes.collocations(doc, &hits, &options.collocations))?;
        let tables = themes(doc, &options.themes, &hits, cut);
        parts.themes.write_all(&tables.themes)?;
        parts.theme_terms.write_all(&tables.terms)?;
        parts.theme_trend.write_all(&tables.trend)?;
        concordance(doc, &options.themes, &hits, options.theme_options.context)
            .try_for_each(|row| parts.concordance.write(&row))?;
        Ok((tables, hits))
    }

    /// Its rows of `tone_markers.csv`, `sentences.csv` and `tone.csv`, a block of sentences at a time: a novel's
    /// markers and sentences are rendered as they are found, not held. For its charts, where each sentence falls
    /// and its score (a novel has a million sentences: kept only when charted). And each tone marker's start and
    /// category (a marker of two categories twice), for `voice_themes.csv`.
    fn tone(
        &self,
        doc: &Document,
        parts: &mut Parts,
        charted: bool,
    ) -> io::Result<(ToneAnalysis, Vec<SentencePoint>, Vec<ToneMark>)> {
        let options = self.options;
        let mut points = Vec::with_capacity(if charted { doc.sentences.len() } else { 0 });
        let mut marks = Vec::new();
        let mut sentences = sentence_rows(doc);
        let found = tone(doc, &options.scorer, &options.tone, &self.tone_matcher, |block| {
            marker_rows(doc, &options.tone, block.markers).try_for_each(|row| parts.tone_markers.write(&row))?;
            let start = |m: &Marker| u32::try_from(m.span.start).unwrap_or(u32::MAX);
            marks.extend(block.markers.iter().flat_map(|m| m.tones.iter().map(|&c| (start(m), c as u32))));
            for row in with_tone(sentences.by_ref(), block, &options.tone) {
                if charted {
                    let middle = (row.start_byte + row.end_byte) as f64 / 2.0 / doc.text.len().max(1) as f64;
                    points.push((row.sentence_id, middle, row.compound));
                }
                parts.sentences.write(&row)?;
            }
            Ok::<_, io::Error>(())
        })?;
        parts.tone.write_all(&found.tones)?;
        Ok((found, points, marks))
    }
}

/// A sentence as its charts place it: its id, where its middle falls (0 to 1 along the text), its score.
type SentencePoint = (u32, f64, Option<f64>);

/// A document's quotations as the rest of its analysis needs them.
struct Quoted {
    /// Its row of `documents.csv`, quotation columns filled in, sentiment columns not yet.
    row: DocumentRow,
    tally: QuoteTally,
    /// For its charts: where each quotation opens, and its kind.
    marks: Vec<(usize, &'static str)>,
    /// Where each quotation's text starts, in order (for `chapters.csv`).
    starts: Vec<usize>,
    /// With `--source`, each quotation's `quote_id` and the span of its text (for `provenance.csv`).
    spans: Vec<(u32, usize, usize)>,
    /// For its charts: its rows of `characters.csv`.
    characters: Vec<CharacterRow>,
    dialogue: Dialogue,
}

/// What a document's tables give once its sentences are scored.
struct Scored {
    by_mood: Vec<ThemeSentimentRow>,
    voices: VoiceTables,
    /// Its row of `documents.csv`, complete.
    document_row: DocumentRow,
    sentiment: SentimentSums,
}

/// A document's top-level quotations, scored: what `characters.csv` and `voices.csv` need of them.
pub(super) struct Dialogue {
    /// Their inner spans (marks excluded), in text order.
    pub(super) spans: Vec<Span>,
    /// Their compounds, as `spans`; `None` when not scored.
    pub(super) compounds: Vec<Option<f64>>,
}

impl Dialogue {
    pub(super) fn of(doc: &Document, found: &QuoteAnalysis, scorer: &Scorer) -> Dialogue {
        let spans: Vec<Span> =
            found.top_level().iter().map(|q| Span { start: q.open.end, end: q.close.start }).collect();
        let compounds = spans.iter().map(|&span| score_span(doc, span, scorer)).collect();
        Dialogue { spans, compounds }
    }
}

/// The collocation nodes: the `--node` terms, or the theme terms that occur.
pub(super) struct Nodes<'o> {
    pub(super) lexicon: &'o Lexicon,
    /// `None` when the nodes are the theme terms, whose hits are already at hand.
    pub(super) matcher: Option<Matcher>,
}

impl<'o> Nodes<'o> {
    pub(super) fn new(options: &'o Options, pipeline: &Pipeline) -> Self {
        match &options.nodes {
            Some(lexicon) => Nodes { lexicon, matcher: Some(lexicon.compile(pipeline)) },
            None => Nodes { lexicon: &options.themes, matcher: None },
        }
    }

    /// The collocation rows of `doc`, given the theme hits in it.
    pub(super) fn collocations(
        &self,
        doc: &Document,
        theme_hits: &[Hit],
        options: &CollocationOptions,
    ) -> Vec<CollocationRow> {
        match &self.matcher {
            Some(matcher) => collocations(doc, self.lexicon, &matcher.find(doc), options),
            None => collocations(doc, self.lexicon, theme_hits, options),
        }
    }
}
