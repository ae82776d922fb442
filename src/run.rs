//! Whole jobs, as the command line runs them: read every input, build each document, write the tables. Messages
//! for the user (skipped files, guessed encodings, empty documents) go to a callback, so the library never prints.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::analysis::arc::{self, arc};
use crate::analysis::collocations::{CollocationOptions, Measure, collocations};
use crate::analysis::corpus::{Corpus, DocumentCounts};
use crate::analysis::groups::{GroupPart, Groups};
use crate::analysis::ngrams::NgramOptions;
use crate::analysis::quotes::quotes;
use crate::analysis::stats::Sums;
use crate::analysis::themes::{ThemeOptions, concordance, themes};
use crate::analysis::tone::{Scorer, ToneBlock, marker_rows, tone};
use crate::analysis::{sentences::sentence_rows, stats::document_row, vocabulary::vocabulary};
use crate::charts::{ChartOptions, DocumentData, Drawn, Folders, Formats, corpus_charts, document_charts};
use crate::error::{Error, Result};
use crate::input::{self, Input, InputList, InputOptions};
use crate::lexicon::{Hit, Lexicon, Matcher};
use crate::report::cells::{Cells, neutralise};
use crate::report::csv::{
    CsvSink, OutputLock, Rendered, RowBuffer, Table, into_io, prepare_dir, remove_new_dirs, remove_table,
};
use crate::report::schema::{
    ArcRow, CollocationRow, ConcordanceRow, CorpusVocabularyRow, DocumentRow, KeynessRow, MetadataRow, NgramRow,
    QuoteRow, Row, SentenceRow, ThemeRow, ThemeTermRow, ThemeTrendRow, ToneMarkerRow, ToneRow, VocabularyRow, round4,
};
use crate::shard::{self, Entry, Header, Shard, StateWriter, Totals};
use crate::text::{Document, Pipeline, PipelineOptions};

/// Everything a run needs to know besides its inputs and outputs.
#[derive(Debug, Clone)]
pub struct Options {
    /// How inputs are found and decoded.
    pub input: InputOptions,
    /// How texts are segmented.
    pub pipeline: PipelineOptions,
    /// The themes (`--themes FILE`…, or the embedded lexicon).
    pub themes: Lexicon,
    /// How the theme tables are cut (`--segments`, `--context`).
    pub theme_options: ThemeOptions,
    /// The tone categories (`--tone FILE`, or the embedded lexicon).
    pub tone: Lexicon,
    /// How sentences are scored for sentiment.
    pub scorer: Scorer,
    /// Points along the sentiment arc (`--arc-points`).
    pub arc_points: usize,
    /// Which n-grams are counted (`--ngrams`, `--min-count`, `--ngram-stopwords`).
    pub ngrams: NgramOptions,
    /// Collocation windows and filters (`--window`, `--min-count`, `--collocate-stopwords`).
    pub collocations: CollocationOptions,
    /// The collocation nodes (`--node TERM`…); `None` for the theme terms that occur in each text.
    pub nodes: Option<Lexicon>,
    /// Which charts are drawn, and how (`--charts`, `--chart-size`, `--chart-order`).
    pub charts: ChartOptions,
    /// The font file registered for the charts (`--chart-font`, with [`crate::charts::register_font`]); `None`
    /// for the embedded one. Kept so that `merge` draws the corpus heatmap as the shards drew their charts.
    pub chart_font: Option<PathBuf>,
    /// Whether text cells that a spreadsheet would run as formulas are neutralised (`--raw-csv` turns it off).
    pub cells: Cells,
    /// Documents analysed at once (`--threads`); the output is the same whatever the number.
    pub threads: usize,
    /// Rows of `keyness.csv` each way for each document or group (`--keyness-top`).
    pub keyness_top: usize,
    /// How documents are grouped for the group rows and group keyness (`--group-by`); `None` for no groups.
    pub group_by: Option<GroupBy>,
    /// Analyse only this slice of the documents, for `merge` to combine with the others (`--shard K/N`); `None`
    /// for all of them.
    pub shard: Option<Shard>,
    /// Tables not written, by name without `.csv` (`--skip-tables vocabulary,sentences`), each one of
    /// [`skippable_tables`], in any order: a run checks and sorts them before it starts.
    pub skip_tables: Vec<String>,
}

/// How documents are grouped (`--group-by`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GroupBy {
    /// By the folder holding each file, relative to the folder named (`--group-by dir`); a table's rows are in
    /// the table's folder.
    Folder,
    /// By the value of a table column (`--group-by rating`); documents without it are in no group.
    Column(String),
}

impl Default for Options {
    /// English, embedded stopwords, theme and tone lexicons, VADER, 10 trend segments, 8 words of context,
    /// 20 arc points, bigrams and trigrams, collocations of the theme terms in windows of 4 words either side.
    fn default() -> Self {
        Options {
            input: InputOptions::default(),
            pipeline: PipelineOptions::default(),
            themes: Lexicon::default_themes(),
            theme_options: ThemeOptions::default(),
            tone: Lexicon::default_tone(),
            scorer: Scorer::Vader,
            arc_points: arc::DEFAULT_POINTS,
            ngrams: NgramOptions::default(),
            collocations: CollocationOptions::default(),
            nodes: None,
            charts: ChartOptions::default(),
            chart_font: None,
            cells: Cells::Safe,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            keyness_top: DEFAULT_KEYNESS_TOP,
            group_by: None,
            shard: None,
            skip_tables: Vec::new(),
        }
    }
}

/// Rows of `keyness.csv` each way for each document or group, unless `--keyness-top` says otherwise.
pub const DEFAULT_KEYNESS_TOP: usize = 20;

/// The tables `--skip-tables` can leave out, by name without `.csv`, in the order they are written: every table but
/// `documents.csv`, the run's index of its documents.
pub fn skippable_tables() -> Vec<&'static str> {
    let files = Tables::FILES.iter().chain(&CORPUS_TABLES).filter(|&&file| file != DocumentRow::FILE);
    files.map(|file| file.trim_end_matches(".csv")).collect()
}

/// The tables that span documents, written by a whole run or a merge, never by a shard.
const CORPUS_TABLES: [&str; 2] = [CorpusVocabularyRow::FILE, KeynessRow::FILE];

/// Whether `skip` (from `--skip-tables`) leaves out the table of rows `S`.
fn leaves_out<S: Row>(skip: &[String]) -> bool {
    skip.iter().any(|name| S::FILE.strip_suffix(".csv") == Some(name.as_str()))
}

/// `skip` checked (each one of [`skippable_tables`]), sorted and without repeats: library callers give any list.
fn checked_skip(skip: &[String]) -> Result<Vec<String>> {
    let known = skippable_tables();
    if let Some(unknown) = skip.iter().find(|name| !known.contains(&name.as_str())) {
        let known = known.join(", ");
        return Err(Error::Usage(format!("--skip-tables: '{unknown}' is not a table that can be left out ({known})")));
    }
    let mut skip = skip.to_vec();
    skip.sort();
    skip.dedup();
    Ok(skip)
}

/// Once a run has succeeded, removes an earlier run's tables in `out` of the kinds it left out. The run's own
/// results are in place by then, so a table that cannot be removed is a warning, not a failure.
fn remove_left_out(out: &Path, skip: &[String], on_message: &mut dyn FnMut(Message)) {
    let mut failed = Vec::new();
    Tables::remove_left_out(out, skip, &mut failed);
    if leaves_out::<CorpusVocabularyRow>(skip) {
        failed.extend(remove_table::<CorpusVocabularyRow>(out).err());
    }
    if leaves_out::<KeynessRow>(skip) {
        failed.extend(remove_table::<KeynessRow>(out).err());
    }
    for error in failed {
        on_message(Message::Warning(format!("{error}; it is an earlier run's, left out of this one: delete it")));
    }
}

/// Something the user should hear about; the run goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// An input was skipped (binary, unreadable).
    Skipped(String),
    /// An input was read, but with a caveat (a guessed encoding, replaced bytes).
    Warning(String),
    /// Information (an empty document, a renamed id).
    Note(String),
    /// A document has been written: how far the run is.
    Progress {
        /// Documents written so far.
        documents: usize,
        /// Bytes of text written so far.
        bytes: usize,
        /// The size of the inputs named, in bytes (0 when unknown: standard input).
        total_bytes: u64,
    },
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents analysed.
    pub documents: usize,
    /// Bytes of decoded text analysed.
    pub bytes: usize,
    /// Inputs skipped.
    pub skipped: usize,
    /// Tables written.
    pub tables: Vec<PathBuf>,
    /// Chart files written.
    pub charts: usize,
    /// Time spent drawing them.
    pub chart_time: Duration,
}

impl Summary {
    /// Counts a document of `bytes` bytes of text.
    fn add_document(&mut self, bytes: usize) {
        self.documents += 1;
        self.bytes += bytes;
    }

    /// Counts the charts drawn.
    fn add_charts(&mut self, drawn: &Drawn) {
        self.charts += drawn.files.len();
        self.chart_time += drawn.time;
    }
}

/// Reads every input and calls `each` with its document, in input order. Skipped inputs are reported and
/// counted; if nothing could be read at all, that is an error.
pub fn for_each_document(
    mut list: InputList,
    pipeline: &Pipeline,
    input_options: &InputOptions,
    on_message: &mut dyn FnMut(Message),
    each: &mut dyn FnMut(&Document) -> Result<()>,
) -> Result<Summary> {
    let mut summary = Summary { skipped: list.skipped.len(), ..Summary::default() };
    for s in &list.skipped {
        on_message(Message::Skipped(format!("{}: {}", s.path, s.reason)));
    }
    for note in std::mem::take(&mut list.notes) {
        on_message(Message::Note(note));
    }
    for input in input::documents(list, input_options).reading_ahead() {
        let Loaded { doc, messages, .. } = match load(input, input_options, pipeline) {
            Ok(loaded) => loaded,
            Err(skipped) => {
                on_message(Message::Skipped(skipped));
                summary.skipped += 1;
                continue;
            }
        };
        messages.into_iter().for_each(&mut *on_message);
        each(&doc)?;
        summary.documents += 1;
        summary.bytes += doc.text.len();
    }
    if summary.documents == 0 {
        return Err(Error::NothingReadable);
    }
    Ok(summary)
}

/// A document read and segmented, with the table columns and folder it came with, and what the user should hear
/// about it.
struct Loaded {
    doc: Document,
    metadata: Vec<(String, String)>,
    folder: String,
    messages: Vec<Message>,
}

/// Reads (if need be) and segments one input; `Err` says why it was skipped.
fn load(input: Input, options: &InputOptions, pipeline: &Pipeline) -> std::result::Result<Loaded, String> {
    let mut source = input.load(options).map_err(|s| format!("{}: {}", s.path, s.reason))?;
    let mut messages: Vec<Message> = source.warning.take().map(Message::Warning).into_iter().collect();
    let (metadata, folder) = (std::mem::take(&mut source.metadata), std::mem::take(&mut source.folder));
    let doc = pipeline.document(source);
    if doc.tokens.is_empty() {
        messages.push(Message::Note(format!("{}: no words found; its row in the tables is all zeros", doc.path)));
    }
    Ok(Loaded { doc, metadata, folder, messages })
}

/// The tables every document adds rows to, in the order they are written and listed: `Tables` open in the
/// output folder, `Parts` one document's rows of each, rendered in the thread that analysed it.
macro_rules! document_tables {
    ($($field:ident: $row:ty),* $(,)?) => {
        struct Tables {
            $($field: Table<$row>,)*
        }

        struct Parts {
            $($field: RowBuffer<$row>,)*
        }

        impl Tables {
            /// The tables in `dir`, those named in `skip` left out.
            fn create(dir: &Path, cells: Cells, skip: &[String]) -> Result<Self> {
                Ok(Tables { $($field: Table::create_unless(dir, cells, leaves_out::<$row>(skip))?,)* })
            }

            /// The names of the tables (`vocabulary.csv`), in order.
            const FILES: &[&str] = &[$(<$row as Row>::FILE,)*];

            /// Appends one document's rows, rendered by [`Parts::render`].
            fn append(&mut self, rendered: Vec<Rendered>) -> Result<()> {
                let mut rendered = rendered.into_iter();
                $(self.$field.append(rendered.next().unwrap_or_default())?;)*
                Ok(())
            }

            /// Appends the rows of each table of the shard folder `dir` (`marginalia merge`).
            fn append_shard(&mut self, dir: &Path) -> Result<()> {
                $(self.$field.append_file(&dir.join(<$row as crate::report::schema::Row>::FILE))?;)*
                Ok(())
            }

            /// The tables written (not those left out).
            fn persist(self) -> Result<Vec<PathBuf>> {
                Ok([$(self.$field.persist()?,)*].into_iter().flatten().collect())
            }

            /// Removes an earlier run's tables in `dir` of the kinds `skip` leaves out; what cannot be removed
            /// goes to `failed`.
            fn remove_left_out(dir: &Path, skip: &[String], failed: &mut Vec<Error>) {
                $(if leaves_out::<$row>(skip) {
                    failed.extend(remove_table::<$row>(dir).err());
                })*
            }
        }

        impl Parts {
            /// Empty rows; a huge document's rows wait in temporary files in `dir`, the output folder. The rows of
            /// a table named in `skip` are not rendered.
            fn new(cells: Cells, dir: &Path, skip: &[String]) -> Self {
                Parts {
                    $($field: if leaves_out::<$row>(skip) {
                        RowBuffer::discarding(cells)
                    } else {
                        RowBuffer::spilling(cells, dir)
                    },)*
                }
            }

            /// Each table's rows, in field order.
            fn render(self) -> std::io::Result<Vec<Rendered>> {
                Ok(vec![$(self.$field.into_rendered()?,)*])
            }
        }
    };
}

document_tables! {
    documents: DocumentRow,
    vocabulary: VocabularyRow<'static>,
    ngrams: NgramRow,
    collocations: CollocationRow,
    sentences: SentenceRow<'static>,
    quotes: QuoteRow<'static>,
    themes: ThemeRow,
    theme_terms: ThemeTermRow,
    theme_trend: ThemeTrendRow,
    concordance: ConcordanceRow<'static>,
    tone_markers: ToneMarkerRow<'static>,
    tone: ToneRow,
    arc: ArcRow,
    metadata: MetadataRow<'static>,
}

/// An input in run order, waiting for a thread to analyse it, and its chart folder.
/// (`None`: its charts are not drawn.)
type Pending = (Input, Option<PathBuf>);

/// What analysing one input gave.
enum Outcome {
    /// It could not be read (the message says why).
    Skipped(String),
    /// Its rows and counts.
    Analysed(Box<Analysed>),
}

/// One document, analysed: everything the writer needs, and nothing of its tokens.
struct Analysed {
    messages: Vec<Message>,
    /// Its rows of each of [`Tables`], rendered.
    rows: Vec<Rendered>,
    drawn: Drawn,
    record: Record,
}

/// What the corpus-level tables and charts need of one document: added to the [`Gathered`] counts, or written to
/// a shard's state for `merge` to add. Its encoding (and that of every type in it, and of [`Settings`]) is the
/// layout of `shard.bin`: a change to any of them needs a new `MAGIC` in `shard.rs`, so older states are refused.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    counts: DocumentCounts,
    /// What its group's rows need (only with `--group-by`).
    group: Option<GroupPart>,
    /// Its `themes.csv` rows, for the corpus heatmap (only when its charts are drawn).
    themes: Vec<ThemeRow>,
    /// Whether its charts are drawn.
    charted: bool,
    bytes: usize,
}

/// The counts behind the corpus-level tables and the corpus heatmap, documents added in input order.
struct Gathered {
    corpus: Corpus,
    groups: Groups,
    themes: Vec<ThemeRow>,
    charted: usize,
}

impl Gathered {
    /// No documents yet; the keyness spill file goes in `out`.
    fn new(settings: &Settings, out: &Path) -> Result<Self> {
        Ok(Gathered {
            // Each document's counts wait in a file in `out` for keyness, unless keyness.csv is left out.
            corpus: Corpus::new(settings.ngrams, (!leaves_out::<KeynessRow>(&settings.skip_tables)).then_some(out))?,
            groups: Groups::new(settings.english),
            themes: Vec::new(),
            charted: 0,
        })
    }

    fn add(&mut self, record: Record) -> Result<()> {
        record.group.into_iter().for_each(|part| self.groups.add(part));
        self.corpus.add(record.counts)?;
        self.themes.extend(record.themes);
        self.charted += usize::from(record.charted);
        Ok(())
    }
}

/// What finishing a run (the corpus-level tables, the corpus heatmap) needs of its options; a shard keeps it in
/// its state, so `merge` finishes as the run would have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Settings {
    ngrams: NgramOptions,
    keyness_top: usize,
    group_by: Option<GroupBy>,
    cells: Cells,
    /// Whether group rows get Flesch reading ease.
    english: bool,
    charts: ChartOptions,
    /// The charts' font file (absolute) and a hash of its contents, so that merge draws with the same font.
    chart_font: Option<(PathBuf, u64)>,
    /// The tables left out (`--skip-tables`).
    skip_tables: Vec<String>,
}

impl Settings {
    fn of(options: &Options) -> Result<Self> {
        let chart_font = match &options.chart_font {
            Some(font) => {
                let hash = font_hash(font).map_err(|source| Error::Read { path: font.clone(), source })?;
                Some((std::path::absolute(font).unwrap_or(font.clone()), hash))
            }
            None => None,
        };
        Ok(Settings {
            ngrams: options.ngrams,
            keyness_top: options.keyness_top,
            group_by: options.group_by.clone(),
            cells: options.cells,
            english: options.pipeline.language.is_english(),
            charts: options.charts,
            chart_font,
            skip_tables: checked_skip(&options.skip_tables)?,
        })
    }

    /// Registers the shards' chart font for the corpus heatmap, when one is drawn: the same file, unchanged.
    fn register_font(&self) -> Result<()> {
        let Some((font, hash)) = &self.chart_font else { return Ok(()) };
        if !self.drawing() {
            return Ok(());
        }
        let changed = |message: String| Error::Shard {
            path: font.clone(),
            message: format!(
                "{message}: the shards drew their charts with this --chart-font, and merge draws the corpus heatmap with it"
            ),
        };
        match font_hash(font) {
            Ok(found) if found == *hash => crate::charts::register_font(font),
            Ok(_) => Err(changed("has changed since the shards ran".into())),
            Err(e) => Err(changed(format!("cannot be read here ({e})"))),
        }
    }

    /// Whether charts are drawn at all (not `--charts none`).
    fn drawing(&self) -> bool {
        self.charts.formats != Formats::None
    }

    /// How many documents are charted: the first `--document-charts`, or none without charts.
    fn chart_limit(&self) -> usize {
        if self.drawing() { self.charts.documents.unwrap_or(usize::MAX) } else { 0 }
    }
}

/// Where the writer puts each document's [`Record`]: into the counts, or (for a shard) into its state.
enum Sink {
    Counts(Box<Gathered>),
    Shard(StateWriter),
}

/// What every thread analysing documents shares.
struct Analyser<'o> {
    options: &'o Options,
    /// The output folder, for error messages.
    out: &'o Path,
    pipeline: Pipeline,
    theme_matcher: Matcher,
    tone_matcher: Matcher,
    nodes: Nodes<'o>,
}

impl Analyser<'_> {
    fn analyse(&self, (input, folder): Pending) -> Result<Outcome> {
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
    fn document(
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

/// `marginalia analyze`: writes every table (`documents.csv`, `vocabulary.csv`, `ngrams.csv`, `collocations.csv`,
/// `sentences.csv`, `quotes.csv`, `themes.csv`, `theme_terms.csv`, `theme_trend.csv`, `concordance.csv`,
/// `tone_markers.csv`, `tone.csv`, `arc.csv`, `corpus_vocabulary.csv`, `keyness.csv`) into `out`, created if
/// needed, and draws the charts into `out/charts/`. Documents are analysed on `options.threads` threads and
/// written in input order, so the output does not depend on the thread count. Tables and charts appear only when
/// every document has been written, replacing the previous run's.
///
/// With `options.shard`, only that slice of the documents is analysed, and instead of the corpus-level tables
/// and the corpus heatmap `out` gets [`shard::STATE_FILE`], for [`merge`] to finish the whole run from.
pub fn analyze(
    paths: &[PathBuf],
    options: &Options,
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    // Inputs first: a missing path must not leave an empty output folder behind.
    let list = input::collect(paths, &options.input)?;
    let slice = match options.shard {
        Some(shard) => Some((shard, count_documents(&list, options)?)),
        None => None,
    };
    into_output(out, || analyze_into(list, slice, options, out, on_message))
}

/// Runs `write` into the output folder `out`: created if needed, held against other runs while `write` runs (see
/// [`OutputLock`]), and, if it fails, the folders this created taken away again.
fn into_output<T>(out: &Path, write: impl FnOnce() -> Result<T>) -> Result<T> {
    let created = prepare_dir(out)?;
    let written = OutputLock::take(out).and_then(|lock| {
        let written = write();
        drop(lock);
        written
    });
    if written.is_err() {
        remove_new_dirs(&created);
    }
    written
}

/// [`analyze`] of `list` into `out`, which exists: every document, or with `--shard` its slice of them (the shard,
/// and how many documents the whole run has).
fn analyze_into(
    mut list: InputList,
    slice: Option<(Shard, usize)>,
    options: &Options,
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let pipeline = Pipeline::new(options.pipeline.clone());
    let analyser = Analyser {
        options,
        out,
        theme_matcher: options.themes.compile(&pipeline),
        tone_matcher: options.tone.compile(&pipeline),
        nodes: Nodes::new(options, &pipeline),
        pipeline,
    };
    if matches!(options.scorer, Scorer::None) {
        on_message(Message::Note(format!(
            "VADER scores English only: the sentiment columns and arc.csv stay empty for {} (give --valence FILE to score it)",
            options.pipeline.language
        )));
    }
    let mut summary = Summary::default();
    // Inputs skipped before the documents are numbered (an unreadable folder) are reported by the first shard.
    if slice.is_none_or(|(shard, _)| shard.index() == 1) {
        summary.skipped = list.skipped.len();
        for s in &list.skipped {
            on_message(Message::Skipped(format!("{}: {}", s.path, s.reason)));
        }
        std::mem::take(&mut list.notes).into_iter().for_each(|note| on_message(Message::Note(note)));
    }
    let settings = Settings::of(options)?;
    let mut tables = Tables::create(out, options.cells, &settings.skip_tables)?;
    let mut sink = match slice {
        None => Sink::Counts(Box::new(Gathered::new(&settings, out)?)),
        Some((shard, items)) => {
            let version = env!("CARGO_PKG_VERSION").to_string();
            let fingerprint = fingerprint(&list, options);
            StateWriter::create(out, &Header { version, shard, items, fingerprint, settings: settings.clone() })
                .map(Sink::Shard)?
        }
    };
    // Charts are drawn into a hidden folder and swapped in with the tables, so a stopped run leaves the old
    // charts beside the old tables.
    let staging = charts_staging(out)?;
    let mut folders = Folders::new(staging.path());
    let corpus_bytes: u64 =
        list.files.iter().filter_map(|f| f.path.as_ref()).filter_map(|p| p.metadata().ok()).map(|m| m.len()).sum();
    // A shard's share, by its count of documents: the sizes of its slice's rows are not known before they are read.
    let total_bytes = match slice {
        Some((shard, items)) if items > 0 => {
            (u128::from(corpus_bytes) * shard.slice(items).len() as u128 / items as u128) as u64
        }
        _ => corpus_bytes,
    };
    let chart_limit = settings.chart_limit();
    let mut charted = 0;
    let mut prepare = |mut input: Input| {
        // A file is read here, before it is given a chart folder, so an unreadable one takes no charted place.
        // This runs under the feed's lock, one file at a time, but only for the documents charted (100 by
        // default); every other file is read in the thread that analyses it.
        if charted < chart_limit && matches!(input, Input::File(_)) {
            input = match input.load(&options.input) {
                Ok(source) => Input::Loaded(source),
                Err(skipped) => Input::Skipped(skipped),
            };
        }
        let draw = !matches!(input, Input::Skipped(_)) && charted < chart_limit;
        charted += usize::from(draw);
        let folder = draw.then(|| folders.claim(input.id()));
        (input, folder)
    };
    // A shard goes through the documents before its slice as one run would, so that it charts the same documents
    // into the same folders, but analyses only its own.
    let range = slice.map_or(0..usize::MAX, |(shard, items)| shard.slice(items));
    let pending =
        input::documents(list, &options.input).reading_ahead().take(range.end).enumerate().filter_map(|(i, input)| {
            let pending = prepare(input);
            (i >= range.start).then_some(pending)
        });
    crate::parallel::ordered(
        pending,
        options.threads,
        |p| analyser.analyse(p),
        |outcome| {
            match outcome? {
                Outcome::Skipped(message) => {
                    on_message(Message::Skipped(message));
                    summary.skipped += 1;
                }
                Outcome::Analysed(analysed) => {
                    let Analysed { messages, rows, drawn, record } = *analysed;
                    messages.into_iter().for_each(&mut *on_message);
                    tables.append(rows)?;
                    summary.add_document(record.bytes);
                    summary.add_charts(&drawn);
                    match &mut sink {
                        Sink::Counts(gathered) => gathered.add(record)?,
                        Sink::Shard(state) => state.write(&Entry::Document(record))?,
                    }
                    on_message(Message::Progress { documents: summary.documents, bytes: summary.bytes, total_bytes });
                }
            }
            Ok(())
        },
    )?;
    match sink {
        Sink::Counts(_) if summary.documents == 0 => Err(Error::NothingReadable),
        Sink::Counts(gathered) => finish_run(summary, *gathered, tables, staging, &settings, out, on_message),
        Sink::Shard(state) => {
            let shard = slice.map_or(String::new(), |(shard, _)| shard.to_string());
            if summary.documents == 0 {
                on_message(Message::Note(format!(
                    "shard {shard} analysed no documents (its slice is empty, or none of it could be read); merge still \
                     needs its folder"
                )));
            }
            summary.tables = tables.persist()?;
            let drawing = settings.drawing();
            if drawing {
                publish_charts(staging, &out.join("charts"))?;
            }
            // The state last: it vouches for the tables and charts beside it.
            let mut totals = Totals {
                documents: summary.documents,
                bytes: summary.bytes,
                skipped: summary.skipped,
                charts: drawing.then_some(summary.charts),
                tables: Vec::new(),
            };
            for table in &summary.tables {
                let size = table.metadata().map_err(|source| Error::Read { path: table.clone(), source })?.len();
                let name = table.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                totals.tables.push((name, size));
            }
            summary.tables.push(state.persist(&totals)?);
            // A shard has no corpus tables: an earlier whole run's, left in this folder, would not go with its
            // documents.
            let mut left_out = settings.skip_tables.clone();
            left_out.extend(CORPUS_TABLES.map(|file| file.trim_end_matches(".csv").to_string()));
            remove_left_out(out, &left_out, on_message);
            Ok(summary)
        }
    }
}

/// Documents (readable or not) in the whole run, which a shard takes its slice of. Only tables are read; files
/// are counted by name. Every input is read again after, so each must be a file or folder, not a pipe.
fn count_documents(list: &InputList, options: &Options) -> Result<usize> {
    for file in &list.files {
        let is_file = file.path.as_ref().and_then(|p| p.metadata().ok()).is_some_and(|m| m.is_file());
        if !is_file {
            return Err(Error::Usage(format!(
                "{}: --shard reads its inputs twice (once to number the documents), so each must be a file or a \
                 folder, not standard input or a pipe: save it to a file first",
                file.display_path()
            )));
        }
    }
    Ok(input::documents(list.clone(), &options.input).count())
}

/// A hash of the inputs — each file's id and path as the tables show them, its size and its modification time —
/// and of every option but `--threads` and `--shard`, file names as typed (the chart font's contents are in the
/// [`Settings`]): shards whose hashes differ are not parts of one run.
fn fingerprint(list: &InputList, options: &Options) -> u64 {
    // The tables left out as `Settings` keeps them (checked, sorted), so that their order does not matter.
    let skip_tables = checked_skip(&options.skip_tables).unwrap_or_else(|_| options.skip_tables.clone());
    let same = Options { threads: 1, shard: None, skip_tables, ..options.clone() };
    let mut hasher = rustc_hash::FxHasher::default();
    format!("{same:?}").hash(&mut hasher);
    for file in &list.files {
        let metadata = file.path.as_ref().and_then(|p| p.metadata().ok());
        let modified = metadata.as_ref().and_then(|m| m.modified().ok());
        (&file.id, file.display_path(), metadata.map(|m| m.len()), modified).hash(&mut hasher);
    }
    hasher.finish()
}

/// A hash of a font file's contents.
fn font_hash(font: &Path) -> std::io::Result<u64> {
    let mut hasher = rustc_hash::FxHasher::default();
    std::fs::read(font)?.hash(&mut hasher);
    Ok(hasher.finish())
}

/// `marginalia merge`: combines the folders of every shard of one run (`analyze --shard K/N`, K from 1 to N, in
/// any order) into `out`, which then holds exactly what one run over the whole corpus writes: the shards' rows in
/// input order, their charts, and the corpus-level tables and heatmap recomputed from their counts. The shards'
/// folders are checked before anything is written; if the merge fails, the folders it created are removed.
pub fn merge(dirs: &[PathBuf], out: &Path, on_message: &mut dyn FnMut(Message)) -> Result<Summary> {
    let shards = shard::open_all::<Settings>(dirs)?;
    let folder = resolved(out).map_err(|source| Error::Output { path: out.to_path_buf(), source })?;
    check_out(&shards, out, &folder)?;
    shards[0].header.settings.register_font()?;
    into_output(out, || merge_into(&shards, out, on_message))
}

/// `path` made absolute, with symbolic links and `..` resolved by the file system as far as it exists, and `..`
/// taken off by name beyond: where the folder is, or would be once created.
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    let mut existing = std::path::absolute(path)?;
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().map_or_else(|| "..".into(), |name| name.to_os_string()));
        if !existing.pop() {
            break;
        }
    }
    let mut folder = existing.canonicalize()?;
    for part in rest.iter().rev() {
        if part == ".." {
            folder.pop();
        } else {
            folder.push(part);
        }
    }
    Ok(folder)
}

/// Refuses an output folder (`folder`, [`resolved`]) inside a shard's folder, whose tables are read as the merged
/// ones are written, and a shard inside the output's `charts/`, which the merge replaces.
fn check_out(shards: &[shard::ShardFolder<Settings>], out: &Path, folder: &Path) -> Result<()> {
    for shard in shards {
        let shard_folder =
            shard.dir.canonicalize().map_err(|source| Error::Read { path: shard.dir.clone(), source })?;
        let message = if folder.starts_with(&shard_folder) {
            format!("holds the output folder {}: merge into a folder apart from every shard's", out.display())
        } else if shard_folder.starts_with(folder.join("charts")) {
            format!("is inside {}, whose charts/ the merge replaces: merge into another folder", out.display())
        } else {
            continue;
        };
        return Err(Error::Shard { path: shard.dir.clone(), message });
    }
    Ok(())
}

/// Writes the merge of `shards` (checked, in order) into `out`.
fn merge_into(
    shards: &[shard::ShardFolder<Settings>],
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let settings = &shards[0].header.settings;
    let mut tables = Tables::create(out, settings.cells, &settings.skip_tables)?;
    let mut gathered = Gathered::new(settings, out)?;
    let staging = charts_staging(out)?;
    let mut summary = Summary::default();
    for shard in shards {
        let (opened, mut state) = shard::ShardFolder::<Settings>::open(&shard.dir)?;
        let damaged = |what: &str| Error::Shard {
            path: shard.dir.join(shard::STATE_FILE),
            message: format!("is damaged: {what}; run that shard again"),
        };
        if (&opened.header, &opened.totals) != (&shard.header, &shard.totals) {
            return Err(damaged("it changed while the merge was reading it"));
        }
        tables.append_shard(&shard.dir)?;
        if settings.drawing() {
            summary.charts += shard::copy_files(&shard.dir.join("charts"), staging.path())?;
        }
        let before = (summary.documents, summary.bytes);
        while let Some(record) = state.next_record::<Record>()? {
            if !record.counts.fits() {
                return Err(damaged("a document's counts refer to words it does not list"));
            }
            summary.add_document(record.bytes);
            gathered.add(record)?;
            on_message(Message::Progress { documents: summary.documents, bytes: summary.bytes, total_bytes: 0 });
        }
        if (summary.documents - before.0, summary.bytes - before.1) != (shard.totals.documents, shard.totals.bytes) {
            return Err(damaged("it does not hold the documents it lists"));
        }
        summary.skipped += shard.totals.skipped;
    }
    if summary.skipped > 0 {
        on_message(Message::Note(format!(
            "the shards skipped {} input(s), named in their own messages; the merged tables leave them out, as one \
             run would",
            summary.skipped
        )));
    }
    if summary.documents == 0 {
        return Err(Error::NothingReadable);
    }
    finish_run(summary, gathered, tables, staging, settings, out, on_message)
}

/// Writes what spans documents — the corpus heatmap, the group rows, the corpus rows of `ngrams.csv`,
/// `corpus_vocabulary.csv` and `keyness.csv` — and moves every table and chart into place.
fn finish_run(
    mut summary: Summary,
    gathered: Gathered,
    tables: Tables,
    staging: tempfile::TempDir,
    settings: &Settings,
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let (drawing, chart_limit) = (settings.drawing(), settings.chart_limit());
    if drawing && chart_limit > 0 && summary.documents > chart_limit {
        on_message(Message::Note(format!(
            "charts were drawn for the first {chart_limit} of {} documents, and the corpus heatmap shows those \
             (--document-charts all draws every one)",
            summary.documents
        )));
    }
    if summary.documents > 1 && gathered.charted > 0 {
        summary.add_charts(&corpus_charts(staging.path(), &gathered.themes, &settings.charts)?);
    }
    summary.tables = finish_tables(tables, gathered.corpus, &gathered.groups, out, settings, on_message)?;
    if drawing {
        publish_charts(staging, &out.join("charts"))?;
    }
    // A shard's state left from an earlier run no longer goes with these tables.
    match std::fs::remove_file(out.join(shard::STATE_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::Output { path: out.join(shard::STATE_FILE), source: e });
        }
        _ => {}
    }
    remove_left_out(out, &settings.skip_tables, on_message);
    Ok(summary)
}

/// Writes the tables that span documents and moves every table into place.
fn finish_tables(
    mut tables: Tables,
    mut corpus: Corpus,
    groups: &Groups,
    out: &Path,
    settings: &Settings,
    on_message: &mut dyn FnMut(Message),
) -> Result<Vec<PathBuf>> {
    if let Some(GroupBy::Column(column)) = &settings.group_by
        && groups.is_empty()
    {
        on_message(Message::Note(format!(
            "no document has a value in a column '{column}', so there are no group rows (--group-by names a column \
             of a CSV, TSV or JSONL table, or is `dir`)"
        )));
    }
    groups.document_rows(&corpus).iter().try_for_each(|row| tables.documents.write(row))?;
    groups.theme_rows().iter().try_for_each(|row| tables.themes.write(row))?;
    groups.tone_rows().iter().try_for_each(|row| tables.tone.write(row))?;
    let skip = &settings.skip_tables;
    if !tables.ngrams.is_left_out() {
        corpus_ngrams(&corpus, settings.ngrams.min_count, on_message).try_for_each(|row| tables.ngrams.write(&row))?;
    }
    // Rows of a table left out are not even made.
    let mut corpus_vocabulary =
        Table::<CorpusVocabularyRow>::create_unless(out, settings.cells, leaves_out::<CorpusVocabularyRow>(skip))?;
    if !corpus_vocabulary.is_left_out() {
        corpus.vocabulary_rows().try_for_each(|row| corpus_vocabulary.write(&row))?;
    }
    let mut keyness = Table::<KeynessRow>::create_unless(out, settings.cells, leaves_out::<KeynessRow>(skip))?;
    if !keyness.is_left_out() {
        corpus.keyness_rows(settings.keyness_top, &mut |row| keyness.write(row))?;
    }
    let mut written = tables.persist()?;
    written.extend(corpus_vocabulary.persist()?);
    written.extend(keyness.persist()?);
    Ok(written)
}

/// A hidden folder in `out` for this run's charts, removed if the run fails.
fn charts_staging(out: &Path) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(".marginalia-charts-")
        .tempdir_in(out)
        .map_err(|source| Error::Output { path: out.to_path_buf(), source })
}

/// Moves the staged charts to `charts`, replacing the previous run's: the old folder is first renamed aside, so
/// `charts` is missing only between two renames.
fn publish_charts(staging: tempfile::TempDir, charts: &Path) -> Result<()> {
    let output_error = |source| Error::Output { path: charts.to_path_buf(), source };
    let parent = charts.parent().unwrap_or(Path::new("."));
    // An empty folder that the old charts are renamed over; it and they are removed when it is dropped.
    let old = tempfile::Builder::new().prefix(".marginalia-charts-old-").tempdir_in(parent).map_err(output_error)?;
    if charts.exists() {
        std::fs::rename(charts, old.path()).map_err(output_error)?;
    }
    std::fs::rename(staging.keep(), charts).map_err(output_error)?;
    drop(old);
    Ok(())
}

/// The collocation nodes: the `--node` terms, or the theme terms that occur.
struct Nodes<'o> {
    lexicon: &'o Lexicon,
    /// `None` when the nodes are the theme terms, whose hits are already at hand.
    matcher: Option<Matcher>,
}

impl<'o> Nodes<'o> {
    fn new(options: &'o Options, pipeline: &Pipeline) -> Self {
        match &options.nodes {
            Some(lexicon) => Nodes { lexicon, matcher: Some(lexicon.compile(pipeline)) },
            None => Nodes { lexicon: &options.themes, matcher: None },
        }
    }

    /// The collocation rows of `doc`, given the theme hits in it.
    fn collocations(&self, doc: &Document, theme_hits: &[Hit], options: &CollocationOptions) -> Vec<CollocationRow> {
        match &self.matcher {
            Some(matcher) => collocations(doc, self.lexicon, &matcher.find(doc), options),
            None => collocations(doc, self.lexicon, theme_hits, options),
        }
    }
}

/// The corpus rows of `ngrams.csv`, with a note when memory bounds made their counts lower bounds.
fn corpus_ngrams<'c>(
    corpus: &'c Corpus,
    min_count: u32,
    on_message: &mut dyn FnMut(Message),
) -> impl Iterator<Item = NgramRow> + 'c {
    let undercount = corpus.ngram_undercount();
    if undercount > 0 {
        on_message(Message::Note(format!(
            "the corpus rows of ngrams.csv are lower bounds: to bound memory, rare n-grams were pruned as the counts \
             grew, so a count or a number of documents may be short by up to {undercount}, and an n-gram seen fewer \
             than {} times may have no corpus row (the documents' own rows are exact)",
            undercount.saturating_add(min_count),
        )));
    }
    corpus.ngram_rows()
}

/// The next rows of `sentences`, one per sentence of `block`, with their scores and tone.
fn with_tone<'d, 'b>(
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

/// `marginalia vocab`: the vocabulary of every document as CSV on `out`, the `top` most frequent stems of each
/// (all with `None`).
pub fn vocab(
    paths: &[PathBuf],
    options: &Options,
    top: Option<usize>,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let list = input::collect(paths, &options.input)?;
    let pipeline = Pipeline::new(options.pipeline.clone());
    let (summary, sink) = print_table::<VocabularyRow>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
        vocabulary(doc).iter().take(top.unwrap_or(usize::MAX)).try_for_each(|row| sink.write(row))
    })?;
    finish(sink)?;
    Ok(summary)
}

/// `marginalia ngrams`: the n-grams of every document as CSV on `out`, the `top` most frequent of each size
/// (all with `None`), then the corpus rows when there are several documents.
pub fn ngrams(
    paths: &[PathBuf],
    options: &Options,
    top: Option<usize>,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let list = input::collect(paths, &options.input)?;
    let pipeline = Pipeline::new(options.pipeline.clone());
    let mut corpus = Corpus::new(options.ngrams, None)?;
    // Rows come sorted by n, most frequent first.
    let write_top = |rows: &mut dyn Iterator<Item = NgramRow>, sink: &mut StdoutTable<'_, NgramRow>| {
        top_per(rows, top, |row| row.n).try_for_each(|row| sink.write(&row))
    };
    let (summary, mut sink) = print_table::<NgramRow>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
        let mut counts = DocumentCounts::of(doc, Some(&options.ngrams), None);
        write_top(&mut counts.ngrams.take_rows(doc), sink)?;
        corpus.add(counts).map_err(|e| std::io::Error::other(e.to_string()))
    })?;
    write_top(&mut corpus_ngrams(&corpus, options.ngrams.min_count, on_message), &mut sink).map_err(Error::Stdout)?;
    finish(sink)?;
    Ok(summary)
}

/// The first `top` rows (all with `None`) of each run of consecutive rows with the same `key`.
fn top_per<R, K: PartialEq>(
    rows: impl IntoIterator<Item = R>,
    top: Option<usize>,
    key: impl Fn(&R) -> K,
) -> impl Iterator<Item = R> {
    let top = top.unwrap_or(usize::MAX);
    let (mut last, mut run) = (None, 0);
    rows.into_iter().filter(move |row| {
        let k = Some(key(row));
        run = if k == last { run + 1 } else { 1 };
        last = k;
        run <= top
    })
}

/// A table being printed to standard output.
type StdoutTable<'w, S> = CsvSink<&'w mut dyn Write, S>;

/// Starts the table `S` on standard output (`out`) and writes the rows `each` gives for every document. Returns
/// the table open, for any closing rows, to be [`finish`]ed.
fn print_table<'w, S: Row>(
    list: InputList,
    pipeline: &Pipeline,
    options: &Options,
    out: &'w mut dyn Write,
    on_message: &mut dyn FnMut(Message),
    each: &mut dyn FnMut(&Document, &mut StdoutTable<'w, S>) -> std::io::Result<()>,
) -> Result<(Summary, StdoutTable<'w, S>)> {
    let mut sink = CsvSink::<_, S>::new(out, options.cells).map_err(Error::Stdout)?;
    let summary = for_each_document(list, pipeline, &options.input, on_message, &mut |doc| {
        each(doc, &mut sink).map_err(Error::Stdout)
    })?;
    Ok((summary, sink))
}

/// Flushes a table printed by [`print_table`].
fn finish<S: Row>(sink: StdoutTable<'_, S>) -> Result<()> {
    sink.finish().map_err(Error::Stdout)?.flush().map_err(Error::Stdout)
}

/// `marginalia quotes`: every quotation of every document as CSV on `out`; unclosed marks are reported as
/// warnings.
pub fn quote_table(
    paths: &[PathBuf],
    options: &Options,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let list = input::collect(paths, &options.input)?;
    let pipeline = Pipeline::new(options.pipeline.clone());
    let mut warnings = Vec::new();
    let (summary, sink) =
        print_table::<QuoteRow<'static>>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
            let mut found = quotes(doc);
            warnings.append(&mut found.warnings);
            found.rows().try_for_each(|row| sink.write(&row))
        })?;
    finish(sink)?;
    warnings.into_iter().for_each(|w| on_message(Message::Warning(w)));
    Ok(summary)
}

/// `marginalia kwic`: a concordance of `terms` (each a stem, glob or phrase as in lexicons) in every document, as
/// CSV on `out` or, with `aligned`, as text lines with the keywords lined up.
pub fn kwic(
    paths: &[PathBuf],
    options: &Options,
    terms: &[String],
    aligned: bool,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let lexicon = Lexicon::from_terms(terms)?;
    let list = input::collect(paths, &options.input)?;
    let pipeline = Pipeline::new(options.pipeline.clone());
    let matcher = lexicon.compile(&pipeline);
    let context = options.theme_options.context;
    if aligned {
        let summary = for_each_document(list, &pipeline, &options.input, on_message, &mut |doc| {
            let hits = matcher.find(doc);
            concordance(doc, &lexicon, &hits, context)
                .try_for_each(|row| write_aligned(&mut *out, &row))
                .map_err(Error::Stdout)
        })?;
        out.flush().map_err(Error::Stdout)?;
        return Ok(summary);
    }
    let (summary, sink) =
        print_table::<ConcordanceRow<'static>>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
            concordance(doc, &lexicon, &matcher.find(doc), context).try_for_each(|row| sink.write(&row))
        })?;
    finish(sink)?;
    Ok(summary)
}

/// `marginalia collocates`: the collocations of `terms` (each a stem, glob or phrase as in lexicons) in every
/// document as CSV on `out`, the `top` strongest by `measure` for each term (all with `None`).
pub fn collocates(
    paths: &[PathBuf],
    options: &Options,
    terms: &[String],
    measure: Measure,
    top: Option<usize>,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let lexicon = Lexicon::from_terms(terms)?;
    let list = input::collect(paths, &options.input)?;
    let pipeline = Pipeline::new(options.pipeline.clone());
    let matcher = lexicon.compile(&pipeline);
    let (summary, sink) =
        print_table::<CollocationRow>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
            let mut rows = collocations(doc, &lexicon, &matcher.find(doc), &options.collocations);
            measure.sort(&mut rows);
            top_per(&rows, top, |row| &row.node).try_for_each(|row| sink.write(row))
        })?;
    finish(sink)?;
    Ok(summary)
}

/// A concordance line as a reader scans it: where, the left context right-aligned, the keyword, the right context.
fn write_aligned(out: &mut dyn Write, row: &ConcordanceRow) -> std::io::Result<()> {
    const SIDE: usize = 40;
    let (left, right) = (row.left.chars().count(), row.right.chars().count());
    let left = if left <= SIDE {
        row.left.to_string()
    } else {
        format!("…{}", row.left.chars().skip(left - SIDE + 1).collect::<String>())
    };
    let right = if right <= SIDE {
        row.right.to_string()
    } else {
        format!("{}…", row.right.chars().take(SIDE - 1).collect::<String>())
    };
    let place = format!("{}:{}", row.document, row.sentence_id);
    writeln!(out, "{place:<24} {left:>SIDE$}  {}  {right}", row.keyword)
}

/// `marginalia themes`: the active theme lexicon as CSV, one row per theme (key, label, how many terms, the terms).
pub fn list_lexicon(lexicon: &Lexicon, cells: Cells, out: &mut dyn Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut write = |record: [&str; 4]| {
        let record = record.map(|cell| if cells == Cells::Safe { neutralise(cell) } else { cell.into() });
        writer.write_record(record.iter().map(|c| c.as_bytes())).map_err(|e| Error::Stdout(into_io(e)))
    };
    write(["theme", "label", "terms", "term_list"])?;
    for c in &lexicon.categories {
        let list: Vec<&str> = c.terms.iter().map(|t| t.text.as_str()).collect();
        write([&c.key, &c.label, &c.terms.len().to_string(), &list.join("|")])?;
    }
    writer.flush().map_err(Error::Stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_to_leave_out_are_checked_sorted_and_counted_once() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(checked_skip(&names(&["vocabulary", "arc", "vocabulary"])).unwrap(), names(&["arc", "vocabulary"]));
        for bad in ["documents", "vocabulary.csv", ""] {
            let error = checked_skip(&names(&["arc", bad])).unwrap_err().to_string();
            assert!(error.contains(&format!("'{bad}' is not a table that can be left out")), "{error}");
        }
        let all = skippable_tables();
        assert_eq!(all.len(), 15);
        assert!(!all.contains(&"documents") && all.contains(&"keyness") && all.contains(&"corpus_vocabulary"));
        // Shards given the same tables in another order are one run.
        let with = |skip: &[&str]| Options { skip_tables: names(skip), ..Options::default() };
        let list = InputList::default();
        assert_eq!(
            fingerprint(&list, &with(&["vocabulary", "arc"])),
            fingerprint(&list, &with(&["arc", "vocabulary"]))
        );
        assert_ne!(fingerprint(&list, &with(&["arc"])), fingerprint(&list, &with(&["arc", "vocabulary"])));
    }

    #[test]
    fn a_shards_progress_is_measured_against_its_share_of_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let review = "The clones remember Hailsham. They do not rebel; that is the horror of it.\n";
        for i in 0..8 {
            std::fs::write(dir.path().join(format!("r{i}.txt")), review).unwrap();
        }
        let corpus = 8 * review.len() as u64;
        let totals = |shard: Option<&str>| {
            let options = Options {
                charts: ChartOptions { formats: Formats::None, ..ChartOptions::default() },
                shard: shard.map(|s| s.parse().unwrap()),
                threads: 1,
                ..Options::default()
            };
            let mut totals = Vec::new();
            let out = dir.path().join(shard.map_or("whole".to_string(), |s| s.replace('/', "-")));
            analyze(&[dir.path().to_path_buf()], &options, &out, &mut |message| {
                if let Message::Progress { total_bytes, .. } = message {
                    totals.push(total_bytes);
                }
            })
            .unwrap();
            totals
        };
        assert_eq!(totals(None), [corpus; 8]);
        // Two of eight equal files: a quarter of the bytes, the whole bar.
        assert_eq!(totals(Some("3/4")), [corpus / 4; 2]);
    }
}
