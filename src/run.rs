//! Whole jobs, as the command line runs them: read every input, build each document, write the tables. Messages
//! for the user (skipped files, guessed encodings, empty documents) go to a callback, so the library never prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::analysis::arc::{self, arc};
use crate::analysis::quotes::quotes;
use crate::analysis::themes::{ThemeOptions, concordance, themes};
use crate::analysis::tone::{Scorer, ToneAnalysis, tone};
use crate::analysis::{sentences::sentence_rows, stats::document_row, vocabulary::vocabulary};
use crate::error::{Error, Result};
use crate::input::{self, InputList, InputOptions};
use crate::lexicon::Lexicon;
use crate::report::csv::{CsvSink, Table, into_io, prepare_dir};
use crate::report::schema::{
    ArcRow, ConcordanceRow, DocumentRow, QuoteRow, Row, SentenceRow, ThemeRow, ThemeTermRow, ThemeTrendRow,
    ToneMarkerRow, ToneRow, VocabularyRow, round4,
};
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
}

impl Default for Options {
    /// English, embedded stopwords, theme and tone lexicons, VADER, 10 trend segments, 8 words of context,
    /// 20 arc points.
    fn default() -> Self {
        Options {
            input: InputOptions::default(),
            pipeline: PipelineOptions::default(),
            themes: Lexicon::default_themes(),
            theme_options: ThemeOptions::default(),
            tone: Lexicon::default_tone(),
            scorer: Scorer::Vader,
            arc_points: arc::DEFAULT_POINTS,
        }
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
}

/// Reads every input and calls `each` with its document, in input order. Skipped inputs are reported and
/// counted; if nothing could be read at all, that is an error.
pub fn for_each_document(
    list: InputList,
    pipeline: &Pipeline,
    input_options: &InputOptions,
    on_message: &mut dyn FnMut(Message),
    each: &mut dyn FnMut(&Document) -> Result<()>,
) -> Result<Summary> {
    let mut summary = Summary { skipped: list.skipped.len(), ..Summary::default() };
    for s in &list.skipped {
        on_message(Message::Skipped(format!("{}: {}", s.path, s.reason)));
    }
    for note in list.notes {
        on_message(Message::Note(note));
    }
    for file in &list.files {
        let source = match input::read(file, input_options) {
            Ok(source) => source,
            Err(s) => {
                on_message(Message::Skipped(format!("{}: {}", s.path, s.reason)));
                summary.skipped += 1;
                continue;
            }
        };
        if let Some(w) = &source.warning {
            on_message(Message::Warning(w.clone()));
        }
        let doc = pipeline.document(source);
        if doc.tokens.is_empty() {
            on_message(Message::Note(format!("{}: no words found; its row in the tables is all zeros", doc.path)));
        }
        each(&doc)?;
        summary.documents += 1;
        summary.bytes += doc.text.len();
    }
    if summary.documents == 0 {
        return Err(Error::NothingReadable);
    }
    Ok(summary)
}

/// `marginalia analyze`: writes every table (`documents.csv`, `vocabulary.csv`, `sentences.csv`, `quotes.csv`, `themes.csv`,
/// `theme_terms.csv`, `theme_trend.csv`, `concordance.csv`, `tone_markers.csv`, `tone.csv`, `arc.csv`) into
/// `out`, created if needed. Tables appear only when every document has been written, each replacing the previous
/// run's.
pub fn analyze(
    paths: &[PathBuf],
    options: &Options,
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    // Inputs first: a missing path must not leave an empty output folder behind.
    let list = input::collect(paths, &options.input)?;
    prepare_dir(out)?;
    let pipeline = Pipeline::new(options.pipeline.clone());
    let theme_matcher = options.themes.compile(&pipeline);
    let tone_matcher = options.tone.compile(&pipeline);
    if matches!(options.scorer, Scorer::None) {
        on_message(Message::Note(format!(
            "VADER scores English only: the sentiment columns and arc.csv stay empty for {} (give --valence FILE to score it)",
            options.pipeline.language
        )));
    }
    let mut documents = Table::<DocumentRow>::create(out)?;
    let mut vocab = Table::<VocabularyRow>::create(out)?;
    let mut sentences = Table::<SentenceRow<'static>>::create(out)?;
    let mut quote_table = Table::<QuoteRow<'static>>::create(out)?;
    let mut quote_warnings = Vec::new();
    let mut theme_table = Table::<ThemeRow>::create(out)?;
    let mut theme_terms = Table::<ThemeTermRow>::create(out)?;
    let mut theme_trend = Table::<ThemeTrendRow>::create(out)?;
    let mut contexts = Table::<ConcordanceRow<'static>>::create(out)?;
    let mut markers = Table::<ToneMarkerRow<'static>>::create(out)?;
    let mut tones = Table::<ToneRow>::create(out)?;
    let mut arcs = Table::<ArcRow>::create(out)?;
    let mut summary = for_each_document(list, &pipeline, &options.input, on_message, &mut |doc| {
        let found_quotes = quotes(doc);
        quote_warnings.extend(found_quotes.warnings.iter().cloned());
        documents.write(&DocumentRow {
            quotes: found_quotes.rows.len(),
            quoted_words: (!doc.tokens.is_empty())
                .then(|| round4(found_quotes.quoted_words as f64 / doc.tokens.len() as f64)),
            ..document_row(doc)
        })?;
        write_all(&mut quote_table, &found_quotes.rows)?;
        for row in vocabulary(doc) {
            vocab.write(&row)?;
        }
        let theme_tables = themes(doc, &options.themes, &theme_matcher, &options.theme_options);
        write_all(&mut theme_table, &theme_tables.themes)?;
        write_all(&mut theme_terms, &theme_tables.terms)?;
        write_all(&mut theme_trend, &theme_tables.trend)?;
        write_all(&mut contexts, &theme_tables.concordance)?;
        let found = tone(doc, &options.scorer, &options.tone, &tone_matcher);
        for row in sentences_with_tone(doc, &found, &options.tone) {
            sentences.write(&row)?;
        }
        for row in found.marker_rows(doc, &options.tone) {
            markers.write(&row)?;
        }
        write_all(&mut tones, &found.tones)?;
        let compounds: Option<Vec<f64>> = found.scores.iter().map(|s| s.map(|s| s.compound)).collect();
        for row in arc(doc, &compounds.unwrap_or_default(), options.arc_points) {
            arcs.write(&row)?;
        }
        Ok(())
    })?;
    quote_warnings.into_iter().for_each(|w| on_message(Message::Warning(w)));
    summary.tables = vec![
        documents.persist()?,
        vocab.persist()?,
        sentences.persist()?,
        quote_table.persist()?,
        theme_table.persist()?,
        theme_terms.persist()?,
        theme_trend.persist()?,
        contexts.persist()?,
        markers.persist()?,
        tones.persist()?,
        arcs.persist()?,
    ];
    Ok(summary)
}

fn write_all<S: Row, R: Row<Schema = S::Schema>>(table: &mut Table<S>, rows: &[R]) -> Result<()> {
    rows.iter().try_for_each(|row| table.write(row))
}

/// The rows of `sentences.csv` with each sentence's scores and dominant tone filled in.
fn sentences_with_tone<'d>(
    doc: &'d Document,
    found: &'d ToneAnalysis,
    lexicon: &'d Lexicon,
) -> impl Iterator<Item = SentenceRow<'d>> + 'd {
    sentence_rows(doc).zip(found.scores.iter().zip(&found.sentence_tones)).map(|(mut row, (scores, tone))| {
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
    print_table::<VocabularyRow>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
        vocabulary(doc).iter().take(top.unwrap_or(usize::MAX)).try_for_each(|row| sink.write(row))
    })
}

/// A table being printed to standard output.
type StdoutTable<'w, S> = CsvSink<&'w mut dyn Write, S>;

/// Writes the table `S` to standard output (`out`), with the rows `each` writes for every document.
fn print_table<S: Row>(
    list: InputList,
    pipeline: &Pipeline,
    options: &Options,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
    each: &mut dyn FnMut(&Document, &mut StdoutTable<'_, S>) -> std::io::Result<()>,
) -> Result<Summary> {
    let mut sink = CsvSink::<_, S>::new(out).map_err(Error::Stdout)?;
    let summary = for_each_document(list, pipeline, &options.input, on_message, &mut |doc| {
        each(doc, &mut sink).map_err(Error::Stdout)
    })?;
    sink.finish().map_err(Error::Stdout)?.flush().map_err(Error::Stdout)?;
    Ok(summary)
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
    let summary = print_table::<QuoteRow<'static>>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
        let found = quotes(doc);
        warnings.extend(found.warnings);
        found.rows.iter().try_for_each(|row| sink.write(row))
    })?;
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
            let rows = concordance(doc, &lexicon, &matcher.find(doc), context);
            rows.iter().try_for_each(|row| write_aligned(&mut *out, row)).map_err(Error::Stdout)
        })?;
        out.flush().map_err(Error::Stdout)?;
        return Ok(summary);
    }
    print_table::<ConcordanceRow<'static>>(list, &pipeline, options, out, on_message, &mut |doc, sink| {
        concordance(doc, &lexicon, &matcher.find(doc), context).iter().try_for_each(|row| sink.write(row))
    })
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
pub fn list_lexicon(lexicon: &Lexicon, out: &mut dyn Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut write = |record: [&str; 4]| writer.write_record(record).map_err(|e| Error::Stdout(into_io(e)));
    write(["theme", "label", "terms", "term_list"])?;
    for c in &lexicon.categories {
        let list: Vec<&str> = c.terms.iter().map(|t| t.text.as_str()).collect();
        write([&c.key, &c.label, &c.terms.len().to_string(), &list.join("|")])?;
    }
    writer.flush().map_err(Error::Stdout)
}
