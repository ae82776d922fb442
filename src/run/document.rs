//! One document's rows of every table, its corpus counts and its charts, made in whichever thread analyses it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::arc::arc;
use crate::analysis::collocations::{CollocationOptions, collocations};
use crate::analysis::corpus::DocumentCounts;
use crate::analysis::groups::GroupPart;
use crate::analysis::quotes::quotes;
use crate::analysis::stats::Sums;
use crate::analysis::themes::{concordance, themes};
use crate::analysis::tone::{ToneBlock, marker_rows, tone};
use crate::analysis::{sentences::sentence_rows, stats::document_row, vocabulary::vocabulary};
use crate::charts::{DocumentData, Drawn, Formats, document_charts};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::lexicon::{Hit, Lexicon, Matcher};
use crate::report::csv::Rendered;
use crate::report::schema::{CollocationRow, DocumentRow, MetadataRow, NgramRow, SentenceRow, ThemeRow, round4};
use crate::text::{Document, Pipeline};

use super::Message;
use super::options::{GroupBy, Options, leaves_out};
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
}

/// What the corpus-level tables and charts need of one document: added to the [`Gathered`] counts, or written to
/// a shard's state for `merge` to add. Its encoding (and that of every type in it, and of [`Settings`]) is the
/// layout of `shard.bin`: a change to any of them needs a new `MAGIC` in `shard.rs`, so older states are refused.
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
}

/// What every thread analysing documents shares.
pub(super) struct Analyser<'o> {
    pub(super) options: &'o Options,
    /// The output folder, for error messages.
    pub(super) out: &'o Path,
    pub(super) pipeline: Pipeline,
    pub(super) theme_matcher: Matcher,
    pub(super) tone_matcher: Matcher,
    pub(super) nodes: Nodes<'o>,
}

impl Analyser<'_> {
    pub(super) fn analyse(&self, (input, folder): Pending) -> Result<Outcome> {
        let Loaded { doc, metadata, folder: parent, messages } = match load(input, &self.options.input, &self.pipeline)
        {
            Ok(loaded) => loaded,
            Err(skipped) => return Ok(Outcome::Skipped(skipped)),
        };
        let group = match &self.options.group_by {
            None => String::new(),
            Some(GroupBy::Folder) => parent,
            Some(GroupBy::Column(column)) => {
                metadata.iter().find(|(name, _)| name == column).map(|(_, value)| value.clone()).unwrap_or_default()
            }
        };
        Ok(Outcome::Analysed(Box::new(self.document(&doc, group, &metadata, folder.as_deref(), messages)?)))
    }

    /// Every per-document table of `doc`, its corpus counts and its charts (drawn into `folder`).
    pub(super) fn document(
        &self,
        doc: &Document,
        group: String,
        metadata: &[(String, String)],
        folder: Option<&Path>,
        mut messages: Vec<Message>,
    ) -> Result<Analysed> {
        let options = self.options;
        // Rendering rows into memory fails only for a row type that cannot be written as CSV.
        let rendering = |source| Error::Output { path: self.out.to_path_buf(), source };
        let mut parts = Parts::new(options.cells, self.out, &options.skip_tables);
        for (column, value) in metadata {
            parts.metadata.write(&MetadataRow { document: &doc.id, column, value }).map_err(rendering)?;
        }
        // What only its charts need is gathered only when they are drawn.
        let charted = options.charts.formats != Formats::None && folder.is_some();
        // Its statistics before its quotations, so that a novel's are not held while they are counted.
        let statistics = document_row(doc);
        let mut found_quotes = quotes(doc);
        messages.extend(found_quotes.warnings.drain(..).map(Message::Warning));
        // A row at a time; the chart keeps only where each quotation opens, and its kind.
        let mut quote_marks: Vec<(usize, &str)> = Vec::with_capacity(if charted { found_quotes.len() } else { 0 });
        let mut quoted_words = 0;
        for row in found_quotes.rows() {
            if charted {
                quote_marks.push((row.start_byte, row.kind));
            }
            if row.depth == 0 {
                quoted_words += row.words;
            }
            parts.quotes.write(&row).map_err(rendering)?;
        }
        let document = DocumentRow {
            group: group.clone(),
            quotes: found_quotes.len(),
            quoted_words: (!doc.tokens.is_empty()).then(|| round4(quoted_words as f64 / doc.tokens.len() as f64)),
            ..statistics
        };
        parts.documents.write(&document).map_err(rendering)?;
        drop(found_quotes);
        let vocabulary_rows = vocabulary(doc);
        parts.vocabulary.write_all(&vocabulary_rows).map_err(rendering)?;
        // Left out, the n-grams are not even counted.
        let ngrams = (!leaves_out::<NgramRow>(&options.skip_tables)).then_some(&options.ngrams);
        let mut counts = DocumentCounts::of(doc, ngrams, (!group.is_empty()).then(|| group.clone()));
        counts.ngrams.take_rows(doc).try_for_each(|row| parts.ngrams.write(&row)).map_err(rendering)?;
        let theme_hits = self.theme_matcher.find(doc);
        parts
            .collocations
            .write_all(&self.nodes.collocations(doc, &theme_hits, &options.collocations))
            .map_err(rendering)?;
        let mut theme_tables = themes(doc, &options.themes, &theme_hits, &options.theme_options);
        theme_tables.themes.iter_mut().for_each(|row| row.group.clone_from(&group));
        parts.themes.write_all(&theme_tables.themes).map_err(rendering)?;
        parts.theme_terms.write_all(&theme_tables.terms).map_err(rendering)?;
        parts.theme_trend.write_all(&theme_tables.trend).map_err(rendering)?;
        // A line at a time: a novel's concordance, held, would take as much memory as its text.
        concordance(doc, &options.themes, &theme_hits, options.theme_options.context)
            .try_for_each(|row| parts.concordance.write(&row))
            .map_err(rendering)?;
        drop(theme_hits);
        // A block of sentences at a time: a novel's markers and sentence rows are rendered as they are found, not
        // held. Where each sentence falls is kept for its charts only: a novel has a million sentences.
        let mut sentence_points = Vec::with_capacity(if charted { doc.sentences.len() } else { 0 });
        let mut sentences = sentence_rows(doc);
        let mut found = tone(doc, &options.scorer, &options.tone, &self.tone_matcher, |block| {
            marker_rows(doc, &options.tone, block.markers).try_for_each(|row| parts.tone_markers.write(&row))?;
            for row in with_tone(sentences.by_ref(), block, &options.tone) {
                if charted {
                    let middle = (row.start_byte + row.end_byte) as f64 / 2.0 / doc.text.len().max(1) as f64;
                    sentence_points.push((row.sentence_id, middle, row.compound));
                }
                parts.sentences.write(&row)?;
            }
            Ok(())
        })
        .map_err(rendering)?;
        found.tones.iter_mut().for_each(|row| row.group.clone_from(&group));
        parts.tone.write_all(&found.tones).map_err(rendering)?;
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
            quotes: &quote_marks,
        };
        let drawn = match folder {
            Some(folder) => document_charts(folder, &data, &options.charts)?,
            None => Drawn::default(),
        };
        let group_part = (!group.is_empty()).then(|| GroupPart {
            document,
            sums: Sums::of(doc),
            quoted_words,
            themes: theme_tables.themes.clone(),
            theme_terms: theme_tables.terms,
            tones: found.tones,
            markers: found.marker_counts,
        });
        Ok(Analysed {
            messages,
            rows: parts.render().map_err(rendering)?,
            drawn,
            record: Record {
                counts,
                group: group_part,
                themes: if charted { theme_tables.themes } else { Vec::new() },
                charted,
                bytes: doc.text.len(),
            },
        })
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

/// The next rows of `sentences`, one per sentence of `block`, with their scores and tone.
pub(super) fn with_tone<'d, 'b>(
    sentences: impl Iterator<Item = SentenceRow<'d>> + 'b,
    block: &'b ToneBlock,
    lexicon: &'d Lexicon,
) -> impl Iterator<Item = SentenceRow<'d>> + 'b
where
    'd: 'b,
{
    // The block first: zipped the other way round, the row after the block's last would be taken and lost.
    let rows = block.scores.iter().zip(block.sentence_tones).zip(sentences).enumerate();
    rows.map(|(i, ((scores, tone), mut row))| {
        debug_assert_eq!(row.sentence_id as usize, block.first_sentence + i + 1, "rows and scores out of step");
        if let Some(s) = scores {
            (row.compound, row.positive, row.neutral, row.negative) =
                (Some(s.compound), Some(s.positive), Some(s.neutral), Some(s.negative));
        }
        if let Some(c) = tone {
            row.tone = &lexicon.categories[*c].key;
        }
        row
    })
}
