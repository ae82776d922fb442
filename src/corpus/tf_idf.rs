//! The `tf_idf` column of `vocabulary.csv`, as tidytext's `bind_tf_idf` computes it: tf = the stem's count over
//! the document's words (the column `count` over the sum of the document's counts), idf = ln(documents in the
//! corpus / documents holding the stem), tf_idf = tf × idf, rounded to 4 decimals.
//!
//! A document's rows are written before the corpus is counted, so the column is left empty then and filled in
//! one streaming pass over the finished table: each document's rows (as many as it has stems, in input order,
//! as [`Corpus`] keeps its documents) get their values from the corpus counts. A shard writes the column empty,
//! and the merge fills it from the merged counts, so its table is the one run's.

use std::io::{self, BufRead, Write};

use crate::report::number::push_round4;

use super::Corpus;

/// The columns of `vocabulary.csv` the pass reads: `stem` and `count` (its last, `tf_idf`, is replaced).
const STEM: usize = 1;
const COUNT: usize = 4;

impl Corpus {
    /// Copies the rows of `vocabulary.csv` (without its header) from `rows` to `out`, its last column (`tf_idf`,
    /// empty) filled in; a corpus of one document copies them unchanged, its column empty. Fails if the rows are
    /// not the documents' stems, one row each, in order. The rows are copied as bytes, only the two cells it
    /// needs read: the table is the largest a run writes (60 MB for 10 MB of reviews), and parsing and writing
    /// it again as CSV cost a fifth of a run.
    pub fn fill_tf_idf(&self, rows: &mut dyn BufRead, out: &mut dyn Write) -> io::Result<()> {
        let documents = self.targets.len() as f64;
        let mut record = Vec::with_capacity(256);
        let mismatch = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("vocabulary.csv {what}"));
        for target in &self.targets {
            for _ in 0..target.stems {
                if !read_record(rows, &mut record)? {
                    return Err(mismatch("has fewer rows than the documents have stems"));
                }
                let [stem, count] = cells(&record, [STEM, COUNT]);
                let count = std::str::from_utf8(count).ok().and_then(|c| c.parse::<f64>().ok());
                let tf_idf = match (count, self.documents_holding(stem)) {
                    (Some(count), Some(holding)) if self.targets.len() >= 2 && target.tokens > 0 => {
                        Some(count / target.tokens as f64 * (documents / f64::from(holding)).ln())
                    }
                    _ => None,
                };
                if let Some(value) = tf_idf
                    && record.last() == Some(&b'\n')
                {
                    // Written as serde writes every other float column (`0.0`, `0.2027`).
                    record.pop();
                    push_round4(value, &mut record);
                    record.push(b'\n');
                }
                out.write_all(&record)?;
            }
        }
        if read_record(rows, &mut record)? {
            return Err(mismatch("has more rows than the documents have stems"));
        }
        out.flush()
    }

    /// How many documents hold the stem written as `cell` (with `--excel-safe`, a stem a spreadsheet would read
    /// as a formula has a `'` in front).
    fn documents_holding(&self, cell: &[u8]) -> Option<u32> {
        let stem = std::str::from_utf8(cell).ok()?;
        let id = self.stems.id(stem).or_else(|| self.stems.id(stem.strip_prefix('\'')?))?;
        self.stem_documents.get(id as usize).copied().filter(|&n| n > 0)
    }
}

/// Reads one CSV record, through its line end, into `record`; false at the end. A quoted cell (a document id) may
/// hold line ends: while its quotes are unbalanced, the record goes on.
fn read_record(rows: &mut dyn BufRead, record: &mut Vec<u8>) -> io::Result<bool> {
    record.clear();
    if rows.read_until(b'\n', record)? == 0 {
        return Ok(false);
    }
    while memchr::memchr_iter(b'"', record).count() % 2 == 1 {
        if rows.read_until(b'\n', record)? == 0 {
            break;
        }
    }
    Ok(true)
}

/// The cells of `record` at `wanted` (ascending), as written; a quoted one without its outer quotes (its
/// doubled quotes are left, as no stem or count has one).
fn cells<const N: usize>(record: &[u8], wanted: [usize; N]) -> [&[u8]; N] {
    let mut found: [&[u8]; N] = [&[]; N];
    let (mut field, mut start, mut quoted) = (0, 0, false);
    // Only commas, line ends and quotes matter; memchr skips the bytes between them.
    for i in memchr::memchr3_iter(b',', b'\n', b'"', record) {
        match record[i] {
            b'"' => quoted = !quoted,
            _ if !quoted => {
                if let Some(slot) = wanted.iter().position(|&w| w == field) {
                    let cell = &record[start..i];
                    found[slot] = cell.strip_prefix(b"\"").and_then(|c| c.strip_suffix(b"\"")).unwrap_or(cell);
                }
                field += 1;
                start = i + 1;
                if field > wanted[N - 1] {
                    break;
                }
            }
            _ => {}
        }
    }
    found
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

    /// The vocabulary rows of `texts` as written, and again with `tf_idf` filled in from their corpus.
    fn filled(texts: &[(&str, &str)]) -> (String, String) {
        let pipeline = Pipeline::default();
        let mut corpus = Corpus::new(NgramOptions::default(), None).unwrap();
        let mut sink = CsvSink::<Vec<u8>, VocabularyRow>::headless(Vec::new(), Cells::Raw);
        for (id, text) in texts {
            let doc = pipeline.document(Source::from_text(*id, *text));
            vocabulary(&doc).iter().for_each(|row| sink.write(row).unwrap());
            corpus.add(DocumentCounts::of(&doc, None)).unwrap();
        }
        let written = sink.finish().unwrap();
        let mut out = Vec::new();
        corpus.fill_tf_idf(&mut written.as_slice(), &mut out).unwrap();
        (String::from_utf8(written).unwrap(), String::from_utf8(out).unwrap())
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
