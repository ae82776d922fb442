//! The commands that print one table to standard output: `vocab`, `ngrams`, `quotes`, `provenance`, `kwic`,
//! `collocates` and `themes`.

use std::io::Write;
use std::path::PathBuf;

use crate::analysis::collocations::{Measure, collocations};
use crate::analysis::quotes::quotes;
use crate::analysis::speakers;
use crate::analysis::themes::concordance;
use crate::analysis::vocabulary::vocabulary;
use crate::corpus::{Corpus, DocumentCounts};
use crate::error::{Error, Result};
use crate::input::{self, InputList};
use crate::lexicon::Lexicon;
use crate::provenance::{self, Sources};
use crate::report::cells::{Cells, neutralise};
use crate::report::csv::{CsvSink, into_io};
use crate::report::schema::{
    CharacterRow, CollocationRow, ConcordanceRow, NgramRow, ProvenanceRow, QuoteRow, Row, VocabularyRow,
};
use crate::text::{Document, Pipeline};

use super::analyze::corpus_ngrams;
use super::document::Dialogue;
use super::reading::for_each_document;
use super::{Message, Options, Summary};

/// `marginalia vocab`: the vocabulary of every document as CSV on `out`, the `top` most frequent stems of each
/// (all with `None`), stopwords among them unless `stopwords` is false (then the `top` are the most frequent other
/// stems, as `top_words.png` shows; each row keeps its rank among all the document's stems, as in
/// `vocabulary.csv`).
pub fn vocab(
    paths: &[PathBuf],
    options: &Options,
    top: Option<usize>,
    stopwords: bool,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let (summary, sink) =
        Inputs::collect(paths, options)?.print::<VocabularyRow>(out, on_message, &mut |doc, sink| {
            let rows = vocabulary(doc);
            let kept = rows.iter().filter(|row| stopwords || !row.stopword);
            kept.take(top.unwrap_or(usize::MAX)).try_for_each(|row| sink.write(row))
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
    let inputs = Inputs::collect(paths, options)?;
    let mut corpus = Corpus::new(options.ngrams, None)?;
    // Rows come sorted by n, most frequent first.
    let write_top = |rows: &mut dyn Iterator<Item = NgramRow>, sink: &mut StdoutTable<'_, NgramRow>| {
        top_per(rows, top, |row| row.n).try_for_each(|row| sink.write(&row))
    };
    let (summary, mut sink) = inputs.print::<NgramRow>(out, on_message, &mut |doc, sink| {
        let mut counts = DocumentCounts::of(doc, Some(&options.ngrams));
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

/// The inputs of a command that prints one table, and the pipeline that segments them.
struct Inputs<'o> {
    list: InputList,
    pipeline: Pipeline,
    options: &'o Options,
}

impl<'o> Inputs<'o> {
    /// The inputs named by `paths`, found and to be read as `options` say.
    fn collect(paths: &[PathBuf], options: &'o Options) -> Result<Self> {
        let list = input::collect(paths, &options.input)?;
        Ok(Inputs { list, pipeline: Pipeline::new(options.pipeline.clone()), options })
    }

    /// Calls `each` with every document, in input order.
    fn each(
        self,
        on_message: &mut dyn FnMut(Message),
        each: &mut dyn FnMut(&Document) -> Result<()>,
    ) -> Result<Summary> {
        for_each_document(self.list, &self.pipeline, &self.options.input, on_message, each)
    }

    /// Starts the table `S` on standard output (`out`) and writes the rows `each` gives for every document.
    /// Returns the table open, for any closing rows, to be [`finish`]ed.
    fn print<'w, S: Row>(
        self,
        out: &'w mut dyn Write,
        on_message: &mut dyn FnMut(Message),
        each: &mut dyn FnMut(&Document, &mut StdoutTable<'w, S>) -> std::io::Result<()>,
    ) -> Result<(Summary, StdoutTable<'w, S>)> {
        let mut sink = CsvSink::<_, S>::new(out, self.options.cells);
        let summary = self.each(on_message, &mut |doc| each(doc, &mut sink).map_err(Error::Stdout))?;
        Ok((summary, sink))
    }
}

/// Flushes a table printed by [`Inputs::print`].
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
    let mut warnings = Vec::new();
    let (summary, sink) =
        Inputs::collect(paths, options)?.print::<QuoteRow<'static>>(out, on_message, &mut |doc, sink| {
            let mut found = quotes(doc);
            speakers::attribute(doc, &mut found);
            warnings.append(&mut found.warnings);
            found.rows().try_for_each(|row| sink.write(&row))
        })?;
    finish(sink)?;
    warnings.into_iter().for_each(|w| on_message(Message::Warning(w)));
    Ok(summary)
}

/// `marginalia provenance`: where each quotation of every document comes from in `sources` (read and indexed
/// once), as CSV on `out`: the rows of `provenance.csv`.
pub fn provenance_table(
    paths: &[PathBuf],
    sources: &[PathBuf],
    options: &Options,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let inputs = Inputs::collect(paths, options)?;
    let (sources, _) = Sources::read(sources, &options.input, &options.pipeline.chapters)?;
    let (summary, sink) = inputs.print::<ProvenanceRow<'static>>(out, on_message, &mut |doc, sink| {
        for quote in quotes(doc).rows() {
            let found = sources.locate(quote.text);
            provenance::rows(&doc.id, quote.quote_id, &found).try_for_each(|row| sink.write(&row))?;
        }
        Ok(())
    })?;
    finish(sink)?;
    Ok(summary)
}

/// `marginalia characters`: every character of every document as CSV on `out`, as `characters.csv` has them.
pub fn character_table(
    paths: &[PathBuf],
    options: &Options,
    out: &mut dyn Write,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let (summary, sink) =
        Inputs::collect(paths, options)?.print::<CharacterRow>(out, on_message, &mut |doc, sink| {
            let mut found = quotes(doc);
            let cast = speakers::attribute(doc, &mut found);
            let dialogue = Dialogue::of(doc, &found, &options.scorer);
            speakers::character_rows(doc, &cast, &found, &dialogue.compounds).iter().try_for_each(|row| sink.write(row))
        })?;
    finish(sink)?;
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
    let inputs = Inputs::collect(paths, options)?;
    let matcher = lexicon.compile(&inputs.pipeline);
    let context = options.theme_options.context;
    if aligned {
        let summary = inputs.each(on_message, &mut |doc| {
            let hits = matcher.find(doc);
            concordance(doc, &lexicon, &hits, context)
                .try_for_each(|row| write_aligned(&mut *out, &row))
                .map_err(Error::Stdout)
        })?;
        out.flush().map_err(Error::Stdout)?;
        return Ok(summary);
    }
    let (summary, sink) = inputs.print::<ConcordanceRow<'static>>(out, on_message, &mut |doc, sink| {
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
    let inputs = Inputs::collect(paths, options)?;
    let matcher = lexicon.compile(&inputs.pipeline);
    let (summary, sink) = inputs.print::<CollocationRow>(out, on_message, &mut |doc, sink| {
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
