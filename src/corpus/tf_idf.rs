//! The `tf_idf` column of `vocabulary.csv`, as tidytext's `bind_tf_idf` computes it: tf = the stem's count over
//! the document's words (the column `count` over the sum of the document's counts), idf = ln(documents in the
//! corpus / documents holding the stem), tf_idf = tf × idf, rounded to 4 decimals.
//!
//! A document's rows are written before the corpus is counted, so the column is left empty then and filled in
//! one streaming pass over the finished table: each document's rows (as many as it has stems, in input order,
//! as [`Corpus`] keeps its documents) get their values from the corpus counts. A shard writes the column empty,
//! and the merge fills it from the merged counts, so its table is the one run's.

use std::io::{self, BufRead, Write};
use std::ops::Range;

use crate::report::number::push_round4;

use super::Corpus;

/// The columns of `vocabulary.csv` the pass reads: `stem` and `count` (its last, `tf_idf`, is replaced).
const STEM: usize = 1;
const COUNT: usize = 4;

impl Corpus {
    /// What the `tf_idf` pass needs from the counts, computed once for every part of the table it fills.
    pub fn tf_idf(&self) -> TfIdf<'_> {
        let documents = self.targets.len() as f64;
        let idf = if self.targets.len() < 2 {
            Vec::new()
        } else {
            self.stem_documents.iter().map(|&holding| (documents / f64::from(holding)).ln()).collect()
        };
        let starts = std::iter::once(0)
            .chain(self.targets.iter().scan(0, |row, target| {
                *row += u64::from(target.stems);
                Some(*row)
            }))
            .collect();
        TfIdf { corpus: self, idf, starts }
    }
}

/// The corpus counts the `tf_idf` pass reads ([`Corpus::tf_idf`]).
pub struct TfIdf<'c> {
    corpus: &'c Corpus,
    /// Each stem's idf, ln(documents / documents holding it), by stem id; empty with fewer than two documents.
    idf: Vec<f64>,
    /// The row (numbered from 0) each document's rows start at, then one past the last row.
    starts: Vec<u64>,
}

impl TfIdf<'_> {
    /// Copies the rows of `vocabulary.csv` numbered `range` (from 0, without its header) from `rows` to `out`, its
    /// last column (`tf_idf`, empty) filled in; a corpus of one document copies them unchanged, its column empty.
    /// Fails (`InvalidData`) if the rows are not the stems of whole documents, one row each, in order, or a row's
    /// stem or count is not one the counts know. The rows are copied as bytes, only the two cells it needs read:
    /// the table is the largest a run writes (60 MB for 10 MB of reviews), and parsing and writing it again as
    /// CSV cost a fifth of a run.
    pub fn fill(&self, range: Range<u64>, rows: &mut dyn BufRead, out: &mut dyn Write) -> io::Result<()> {
        let first = self.starts.partition_point(|&start| start < range.start);
        let last = self.starts.partition_point(|&start| start < range.end);
        if last == self.starts.len() {
            return Err(damaged("has more rows than the documents have stems".into()));
        }
        if self.starts.get(first) != Some(&range.start) || self.starts[last] != range.end {
            return Err(damaged("is cut between the rows of a document".into()));
        }
        let mut record = Vec::with_capacity(256);
        let mut row = 0;
        for target in self.corpus.targets.get(first..last).unwrap_or_default() {
            // A document's rows all start with its cell: once read in the first, it is skipped in the others.
            let mut document = Vec::new();
            for _ in 0..target.stems {
                row += 1;
                let Some(cells) = read_record(rows, &mut record, &mut document)? else {
                    return Err(damaged("has fewer rows than the documents have stems".into()));
                };
                if !self.idf.is_empty() {
                    let value =
                        self.value(&record, cells, target.tokens).map_err(|e| damaged(format!("row {row}: {e}")))?;
                    // Written as serde writes every other float column (`0.0`, `0.2027`).
                    record.pop();
                    push_round4(value, &mut record);
                    record.push(b'\n');
                }
                out.write_all(&record)?;
            }
        }
        if read_record(rows, &mut record, &mut Vec::new())?.is_some() {
            return Err(damaged("has more rows than the documents have stems".into()));
        }
        out.flush()
    }

    /// The tf-idf of the row `record`, with its `cells`, of a document of `tokens` words.
    fn value(&self, record: &[u8], cells: Cells, tokens: u64) -> std::result::Result<f64, String> {
        let (stem, count) = (cell(record, cells.stem), cell(record, cells.count));
        let count = parse_count(count).ok_or_else(|| format!("its count {:?} is not a whole number", lossy(count)))?;
        let idf = std::str::from_utf8(stem).ok().and_then(|stem| self.idf_of(stem));
        let idf = idf.ok_or_else(|| format!("its stem {:?} is none the documents hold", lossy(stem)))?;
        if tokens == 0 || record.last() != Some(&b'\n') {
            return Err("it is cut short".into());
        }
        Ok(count as f64 / tokens as f64 * idf)
    }

    /// The idf of the stem written as `cell` (with `--excel-safe`, a stem a spreadsheet would read as a formula
    /// has a `'` in front), if some document holds it.
    fn idf_of(&self, cell: &str) -> Option<f64> {
        let stems = &self.corpus.stems;
        let id = stems.id(cell).or_else(|| stems.id(cell.strip_prefix('\'')?))? as usize;
        (self.corpus.stem_documents.get(id).copied()? > 0).then(|| self.idf.get(id).copied()).flatten()
    }
}

/// An error about the table the pass reads.
fn damaged(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("vocabulary.csv {what}"))
}

/// A cell as text for a message.
fn lossy(cell: &[u8]) -> String {
    String::from_utf8_lossy(cell).into_owned()
}

/// Where the two cells the pass reads are in a record.
struct Cells {
    stem: Range<usize>,
    count: Range<usize>,
}

/// Reads one CSV record, through its line end, into `record` and finds its cells; `None` at the end. A quoted
/// cell (a document id) may hold line ends: while its quotes are unbalanced, the record goes on. `document` is
/// the first cell, with its comma, of the document's rows read so far (empty before its first): a record that
/// starts with it is read from the second cell.
fn read_record(rows: &mut dyn BufRead, record: &mut Vec<u8>, document: &mut Vec<u8>) -> io::Result<Option<Cells>> {
    record.clear();
    if rows.read_until(b'\n', record)? == 0 {
        return Ok(None);
    }
    let from = if !document.is_empty() && record.starts_with(document) { document.len() } else { 0 };
    if from > 0
        && let Some(cells) = unquoted(record, from)
    {
        return Ok(Some(cells));
    }
    loop {
        let scanned = scan(record, from);
        if scanned.balanced || rows.read_until(b'\n', record)? == 0 {
            if from == 0 {
                document.clear();
                document.extend_from_slice(&record[..scanned.first]);
            }
            return Ok(Some(scanned.cells));
        }
    }
}

/// The cells of a record read from `from`, the start of its second cell, when no quote follows: the usual row,
/// found by commas alone.
fn unquoted(record: &[u8], from: usize) -> Option<Cells> {
    let rest = record.get(from..)?;
    if memchr::memchr(b'"', rest).is_some() {
        return None;
    }
    let mut cells = Cells { stem: 0..0, count: 0..0 };
    let mut start = from;
    for (field, cell) in (STEM..).zip(rest.split(|&byte| byte == b',')) {
        let end = start + cell.len();
        match field {
            STEM => cells.stem = start..end,
            COUNT => return Some(Cells { count: start..end, ..cells }),
            _ => {}
        }
        start = end + 1;
    }
    None
}

/// What [`scan`] finds.
struct Scanned {
    cells: Cells,
    /// Where the second cell starts (0 if the scan started there).
    first: usize,
    /// Whether every quote opened is closed.
    balanced: bool,
}

/// Scans `record` from `from`, the start of its first cell (0) or of its second, for the cells `stem` and
/// `count`, as written (a quoted cell with its outer quotes).
fn scan(record: &[u8], from: usize) -> Scanned {
    let mut cells = Cells { stem: 0..0, count: 0..0 };
    let (mut field, mut start, mut quoted, mut first) = (usize::from(from > 0), from, false, 0);
    for (i, &byte) in record.iter().enumerate().skip(from) {
        match byte {
            b'"' => quoted = !quoted,
            b',' | b'\n' if !quoted => {
                match field {
                    0 => first = i + 1,
                    STEM => cells.stem = start..i,
                    COUNT => cells.count = start..i,
                    _ => {}
                }
                field += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    Scanned { cells, first, balanced: !quoted }
}

/// The cell of `record` at `range`, without its outer quotes (its doubled quotes are left, as no stem or count
/// has one).
fn cell(record: &[u8], range: Range<usize>) -> &[u8] {
    let cell = record.get(range).unwrap_or_default();
    cell.strip_prefix(b"\"").and_then(|c| c.strip_suffix(b"\"")).unwrap_or(cell)
}

/// A count as written: digits only.
fn parse_count(cell: &[u8]) -> Option<u64> {
    if cell.is_empty() || cell.len() > 19 || !cell.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(cell.iter().fold(0, |n, &digit| n * 10 + u64::from(digit - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ngrams::NgramOptions;
    use crate::analysis::vocabulary::vocabulary;
    use crate::corpus::DocumentCounts;
    use crate::input::Source;
    use crate::report::cells::Cells;
    use crate::report::csv::CsvSink;
    use crate::report::schema::VocabularyRow;
    use crate::text::Pipeline;

    /// The corpus of `texts` and their vocabulary rows as written.
    fn written(texts: &[(&str, &str)]) -> (Corpus, Vec<u8>) {
        let pipeline = Pipeline::default();
        let mut corpus = Corpus::new(NgramOptions::default(), None).unwrap();
        let mut sink = CsvSink::<Vec<u8>, VocabularyRow>::headless(Vec::new(), Cells::Raw);
        for (id, text) in texts {
            let doc = pipeline.document(Source::from_text(*id, *text));
            vocabulary(&doc).iter().for_each(|row| sink.write(row).unwrap());
            corpus.add(DocumentCounts::of(&doc, None)).unwrap();
        }
        (corpus, sink.finish().unwrap())
    }

    /// `rows` (numbered `range`) of `corpus` with `tf_idf` filled in.
    fn fill(corpus: &Corpus, range: Range<u64>, mut rows: &[u8]) -> io::Result<String> {
        let mut out = Vec::new();
        corpus.tf_idf().fill(range, &mut rows, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    /// The vocabulary rows of `texts` as written, and again with `tf_idf` filled in from their corpus.
    fn filled(texts: &[(&str, &str)]) -> (String, String) {
        let (corpus, written) = written(texts);
        let all = 0..corpus.targets.iter().map(|t| u64::from(t.stems)).sum::<u64>();
        (String::from_utf8(written.clone()).unwrap(), fill(&corpus, all, &written).unwrap())
    }

    #[test]
    fn rows_filled_in_parts_that_end_with_documents_are_the_rows_filled_in_one_pass() {
        // a has three stems (memori, fade, stay), b three (memori, of, clone), c two (clone, fade).
        let (corpus, written) =
            written(&[("a", "Memory fades. Memory stays."), ("b", "Memory of clones."), ("c", "Clones fade.")]);
        let at = |row: usize| written.split_inclusive(|&b| b == b'\n').take(row).map(<[u8]>::len).sum::<usize>();
        let whole = fill(&corpus, 0..8, &written).unwrap();
        let parts = [fill(&corpus, 0..3, &written[..at(3)]), fill(&corpus, 3..8, &written[at(3)..])];
        assert_eq!(parts.map(Result::unwrap).concat(), whole);
        let cut = fill(&corpus, 0..2, &written[..at(2)]).unwrap_err().to_string();
        assert!(cut.contains("cut between the rows of a document"), "{cut}");
        let short = fill(&corpus, 3..8, &written[at(3)..at(7)]).unwrap_err().to_string();
        assert!(short.contains("fewer rows"), "{short}");
    }

    #[test]
    fn a_row_whose_count_or_stem_the_counts_do_not_know_is_an_error_not_an_empty_cell() {
        let (corpus, written) = written(&[("a", "Memory fades."), ("b", "Memory stays.")]);
        let text = String::from_utf8(written).unwrap();
        let bad_count = text.replacen(",1,", ",x,", 1);
        let error = fill(&corpus, 0..4, bad_count.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("row 1: its count \"x\" is not a whole number"), "{error}");
        let bad_stem = text.replacen("fade,", "faded,", 1);
        let error = fill(&corpus, 0..4, bad_stem.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("its stem \"faded\" is none the documents hold"), "{error}");
    }

    proptest::proptest! {
        /// The cells found by commas alone after a document's first row, or by the full scan, are the cells
        /// written, whatever the document ids and stems hold (commas, quotes, line ends).
        #[test]
        fn every_records_stem_and_count_are_found_whatever_the_cells_hold(
            rows in proptest::collection::vec(("[ab,\"\n]{1,3}", "[a-z',]{1,4}", 0u32..100_000), 1..40),
        ) {
            let mut sink = CsvSink::<Vec<u8>, VocabularyRow>::headless(Vec::new(), Cells::Raw);
            for (document, stem, count) in &rows {
                let row = VocabularyRow { document, stem, term: stem, forms: stem.as_str().into(), count: *count,
                    per_10k: 1.5, rank: 1, stopword: false, first_sentence: 1, tf_idf: None };
                sink.write(&row).unwrap();
            }
            let written = sink.finish().unwrap();
            let (mut reader, mut record, mut document) = (written.as_slice(), Vec::new(), Vec::new());
            for (_, stem, count) in &rows {
                let cells = read_record(&mut reader, &mut record, &mut document).unwrap().unwrap();
                proptest::prop_assert_eq!(cell(&record, cells.stem), stem.as_bytes());
                let count = count.to_string();
                proptest::prop_assert_eq!(cell(&record, cells.count), count.as_bytes());
            }
            proptest::prop_assert!(read_record(&mut reader, &mut record, &mut document).unwrap().is_none());
        }
    }

    #[test]
    fn tf_idf_equals_the_arithmetic_by_hand() {
        // a: memory fades memory stays (4 words); b: memory of clones (3); c: clones fade (2). Stems in
        // documents: memori 2 (a, b), fade 2 (a, c), clone 2 (b, c), stay 1, of 1. idf = ln(3/2) = 0.405465 for
        // the stems in two documents, ln 3 = 1.098612 for those in one.
        // a: memori 2/4 × 0.405465 = 0.202733; fade 1/4 × 0.405465 = 0.101366; stay 1/4 × 1.098612 = 0.274653.
        // b: memori, clone 1/3 × 0.405465 = 0.135155; of 1/3 × 1.098612 = 0.366204. c: clone, fade 1/2 ×
        // 0.405465 = 0.202733.
        let (_, rows) =
            filled(&[("a", "Memory fades. Memory stays."), ("b", "Memory of clones."), ("c", "Clones fade.")]);
        let mut values: Vec<(String, String)> = rows
            .lines()
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                (format!("{}:{}", cells[0], cells[1]), cells[cells.len() - 1].to_string())
            })
            .collect();
        values.sort();
        let expected = [
            ("a:fade", "0.1014"),
            ("a:memori", "0.2027"),
            ("a:stay", "0.2747"),
            ("b:clone", "0.1352"),
            ("b:memori", "0.1352"),
            ("b:of", "0.3662"),
            ("c:clone", "0.2027"),
            ("c:fade", "0.2027"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(values, expected);
    }

    #[test]
    fn one_document_keeps_the_column_empty_and_other_cells_are_copied_as_written() {
        let (written, rows) = filled(&[("only", "Memory fades, memory stays.")]);
        assert_eq!(rows, written);
        assert!(rows.lines().all(|line| line.ends_with(',')), "{rows}");
        // A document id that needs quoting, a line end in it, survives the pass. memori is in both documents:
        // idf ln(2/2) = 0; fades in one: 1/2 × ln 2 = 0.346574.
        let (_, rows) = filled(&[("a, \"b\"\nc", "Memory fades."), ("c", "Memory stays.")]);
        assert!(rows.contains("\"a, \"\"b\"\"\nc\",memori,memory,memory,1,5000.0,1,false,1,0.0\n"), "{rows}");
        assert!(rows.contains("\"a, \"\"b\"\"\nc\",fade,fades,fades,1,5000.0,1,false,1,0.3466\n"), "{rows}");
    }
}
