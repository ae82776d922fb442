//! A tabular corpus: one CSV, TSV or JSON Lines file in which each row is one document.
//!
//! Rows are read one at a time, so a corpus far larger than memory can be analysed. A file that cannot be a
//! table at all (empty, or without the text column) is refused when it is opened; a single bad row is reported as
//! a [`BadRecord`] naming its line, and the rows after it are still read.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

/// The UTF-8 byte order mark, which editors on Windows write at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A tabular corpus format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma separated values with a header row and RFC 4180 quoting.
    Csv,
    /// Tab separated values with a header row; quotes are literal characters.
    Tsv,
    /// JSON Lines: one JSON object per line.
    Jsonl,
}

impl Format {
    /// From a file name's extension: `csv`, `tsv` (also `tab`), `jsonl` (also `ndjson`); case-insensitive. `None`
    /// otherwise.
    ///
    /// ```
    /// use marginalia::tabular::Format;
    /// assert_eq!(Format::from_path("reviews.NDJSON".as_ref()), Some(Format::Jsonl));
    /// assert_eq!(Format::from_path("review.txt".as_ref()), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }

    /// From a `--format` value: `csv`, `tsv` or `jsonl` (case-insensitive). `Err` says which values are valid.
    pub fn parse(s: &str) -> Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "jsonl" => Ok(Format::Jsonl),
            _ => Err(format!("unknown format '{s}' (use csv, tsv or jsonl)")),
        }
    }

    /// What one named value is called in this format, for messages.
    fn noun(self) -> &'static str {
        match self {
            Format::Csv | Format::Tsv => "column",
            Format::Jsonl => "field",
        }
    }
}

/// Which columns (JSONL: which keys) hold what.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The column holding the document's text; `text` by default.
    pub text: String,
    /// The column holding the document's id; `None` numbers the rows instead (1, 2, …).
    pub id: Option<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns { text: "text".to_string(), id: None }
    }
}

/// One document read from a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// The id column's value, trimmed, or the 1-based row number when no id column is named.
    pub id: String,
    /// The text column's value, as written.
    pub text: String,
    /// Every other column, in header order (JSONL: the key order of the object as written).
    pub metadata: Vec<(String, String)>,
}

/// A row that was skipped, and why. It names the line; the caller prefixes the file name.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRecord {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// A one-line reason.
    pub reason: String,
}

/// Opens `reader` as a table of documents. The header (CSV, TSV) is read now; rows are read as the iterator is
/// advanced. `Err` means the whole file is unusable: it is empty, its header is not UTF-8, or the header lacks the
/// text column (or the id column, when one is named). The message does not name the file; the caller prefixes it.
///
/// ```
/// use marginalia::tabular::{records, Columns, Format};
///
/// let csv = "title,text\nNever Let Me Go,\"Told and\nnot told.\"\nKlara,The Sun\n";
/// let rows: Vec<_> = records(csv.as_bytes(), Format::Csv, &Columns::default()).unwrap().collect();
/// let second = rows[1].as_ref().unwrap();
/// assert_eq!((second.line, second.id.as_str(), second.text.as_str()), (4, "2", "The Sun"));
/// assert_eq!(second.metadata, [("title".to_string(), "Klara".to_string())]);
/// ```
pub fn records<R: Read>(reader: R, format: Format, columns: &Columns) -> Result<Records<R>, String> {
    let reader = Unbom::new(reader).map_err(|e| format!("cannot read: {e}"))?;
    let inner = match format {
        Format::Csv | Format::Tsv => Inner::Delimited(Box::new(Delimited::open(reader, format, columns)?)),
        Format::Jsonl => {
            let mut reader = BufReader::new(reader);
            if reader.fill_buf().map_err(|e| format!("cannot read: {e}"))?.is_empty() {
                return Err("the file is empty".to_string());
            }
            Inner::Jsonl(Jsonl { reader, columns: columns.clone(), line: 0, buf: Vec::new() })
        }
    };
    Ok(Records { inner, noun: format.noun(), row: 0, done: false })
}

/// Iterator over the rows of a table opened with [`records`]: a [`Record`] per usable row, a [`BadRecord`] per
/// skipped one. A read error ends the iteration after one last `BadRecord`.
pub struct Records<R> {
    inner: Inner<R>,
    /// "column" or "field", for messages.
    noun: &'static str,
    /// Data rows met so far, bad ones included, so a row's number does not change when an earlier row is fixed.
    row: u64,
    done: bool,
}

enum Inner<R> {
    // Boxed: csv-core's parser carries its transition tables inline and would make every Records that large.
    Delimited(Box<Delimited<R>>),
    Jsonl(Jsonl<R>),
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Record, BadRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let step = match &mut self.inner {
            Inner::Delimited(table) => table.next_row(),
            Inner::Jsonl(table) => table.next_row(),
        };
        match step {
            Step::End => {
                self.done = true;
                None
            }
            Step::Failed(bad) => {
                self.done = true;
                Some(Err(bad))
            }
            Step::Row { line, fields } => {
                self.row += 1;
                let record = fields.and_then(|fields| document(fields, line, self.row, self.noun));
                Some(record.map_err(|reason| BadRecord { line, reason }))
            }
        }
    }
}

/// What reading one row gave: its line and its fields (or why it is unusable); the end; or a read error after
/// which nothing more can be read.
enum Step {
    Row { line: u64, fields: Result<Fields, String> },
    End,
    Failed(BadRecord),
}

/// Line ends in `block` that csv-core does not count (it counts line feeds): carriage returns not followed by a
/// line feed, as a spreadsheet saved as "CSV (Macintosh)" ends every line. `next` is the byte after the block, if
/// known; a return ending the input read so far leaves `pending` set for the next block to settle.
fn lone_returns(block: &[u8], next: Option<u8>, pending: &mut bool) -> u64 {
    let mut count = 0;
    if *pending {
        let Some(after) = block.first().copied().or(next) else { return 0 };
        *pending = false;
        count += u64::from(after != b'\n');
    }
    for (i, _) in block.iter().enumerate().filter(|&(_, &b)| b == b'\r') {
        match block.get(i + 1).copied().or(next) {
            Some(b'\n') => {}
            Some(_) => count += 1,
            None => *pending = true,
        }
    }
    count
}

/// A row's values, sorted by role, before the checks every format shares.
struct Fields {
    text: String,
    id: Option<String>,
    metadata: Vec<(String, String)>,
}

/// A CSV or TSV table, header already read. csv-core is driven directly rather than through `csv::Reader`, whose
/// record positions point at the blank line before a record rather than at the record.
struct Delimited<R> {
    input: BufReader<Unbom<R>>,
    parser: csv_core::Reader,
    headers: Vec<String>,
    text: usize,
    id: Option<usize>,
    /// The current record's unquoted bytes, where each of its fields ends in them, and how many fields it has.
    bytes: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
    /// The last block read ended with a carriage return: whether it ended a line depends on the next byte.
    return_pending: bool,
}

impl<R: Read> Delimited<R> {
    fn open(reader: Unbom<R>, format: Format, columns: &Columns) -> Result<Self, String> {
        let mut builder = csv_core::ReaderBuilder::new();
        if format == Format::Tsv {
            builder.delimiter(b'\t').quoting(false);
        }
        let mut table = Delimited {
            input: BufReader::new(reader),
            parser: builder.build(),
            headers: Vec::new(),
            text: 0,
            id: None,
            bytes: vec![0; 4096],
            ends: vec![0; 64],
            fields: 0,
            return_pending: false,
        };
        if table.read_record().map_err(|e| format!("cannot read: {e}"))?.is_none() {
            return Err("the file is empty (it needs a header row naming its columns)".to_string());
        }
        let headers =
            table.fields().map(|name| String::from_utf8(name.to_vec())).collect::<Result<Vec<_>, _>>().map_err(
                |_| {
                    "the header row is not valid UTF-8 (save the file as UTF-8, or name its encoding with --encoding)"
                        .to_string()
                },
            )?;
        let find = |name: &str, option: &str| {
            headers.iter().position(|h| h == name).ok_or_else(|| {
                // At most a dozen names of at most 40 characters: a file that is not a table has one huge "header".
                let short = |h: &String| match h.char_indices().nth(40) {
                    Some((end, _)) => format!("\"{}…\"", &h[..end]),
                    None => format!("\"{h}\""),
                };
                let mut found = headers.iter().take(12).map(short).collect::<Vec<_>>().join(", ");
                if headers.len() > 12 {
                    found.push_str(&format!(" and {} more", headers.len() - 12));
                }
                format!("no \"{name}\" column; the header has {found} (use {option} to name the column to use)")
            })
        };
        table.text = find(&columns.text, "--text-column")?;
        table.id = columns.id.as_deref().map(|name| find(name, "--id-column")).transpose()?;
        table.headers = headers;
        Ok(table)
    }

    fn next_row(&mut self) -> Step {
        match self.read_record() {
            Ok(Some(line)) => Step::Row { line, fields: self.values() },
            Ok(None) => Step::End,
            Err(e) => {
                let line = self.parser.line();
                Step::Failed(BadRecord { line, reason: format!("cannot read further: {e}") })
            }
        }
    }

    /// Reads the next record into `bytes` and `ends`: the line it starts on, or `None` at the end of the input.
    fn read_record(&mut self) -> io::Result<Option<u64>> {
        self.skip_blank_lines()?;
        let line = self.parser.line();
        let (mut written, mut ended) = (0, 0);
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (result, read, wrote, ends) =
                self.parser.read_record(input, &mut self.bytes[written..], &mut self.ends[ended..]);
            let returns = lone_returns(&input[..read], input.get(read).copied(), &mut self.return_pending);
            self.input.consume(read);
            self.parser.set_line(self.parser.line() + returns);
            written += wrote;
            ended += ends;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => self.bytes.resize(self.bytes.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => {
                    self.fields = ended;
                    return Ok(Some(line));
                }
                csv_core::ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// Passes over the line ends before a record (csv-core would too, but after the record's line was taken),
    /// counting the lines.
    fn skip_blank_lines(&mut self) -> io::Result<()> {
        loop {
            let input = match self.input.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let blank = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            let more = blank > 0 && blank == input.len();
            let returns = lone_returns(&input[..blank], input.get(blank).copied(), &mut self.return_pending);
            let newlines = input[..blank].iter().filter(|&&b| b == b'\n').count() as u64 + returns;
            self.input.consume(blank);
            self.parser.set_line(self.parser.line() + newlines);
            if !more {
                return Ok(());
            }
        }
    }

    /// The current record's fields, as bytes.
    fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends[..self.fields].iter().map(move |&end| {
            let field = self.bytes.get(start..end).unwrap_or_default();
            start = end;
            field
        })
    }

    /// The current record's values, each checked to be UTF-8.
    fn values(&self) -> Result<Fields, String> {
        if self.fields != self.headers.len() {
            let plural = if self.fields == 1 { "" } else { "s" };
            return Err(format!("has {} field{plural}, the header has {}", self.fields, self.headers.len()));
        }
        let mut text = String::new();
        let mut id = None;
        let mut metadata = Vec::with_capacity(self.headers.len().saturating_sub(1));
        for (i, (name, field)) in self.headers.iter().zip(self.fields()).enumerate() {
            let value = std::str::from_utf8(field)
                .map_err(|_| format!("column \"{name}\" is not valid UTF-8 (save the file as UTF-8)"))?;
            if i == self.text {
                text = value.to_string();
            } else if Some(i) == self.id {
                id = Some(value.to_string());
            } else {
                metadata.push((name.clone(), value.to_string()));
            }
        }
        // The text and id columns may be the same one.
        if Some(self.text) == self.id {
            id = Some(text.clone());
        }
        Ok(Fields { text, id, metadata })
    }
}

/// A JSON Lines table.
struct Jsonl<R> {
    reader: BufReader<Unbom<R>>,
    columns: Columns,
    /// Lines read so far, blank ones included.
    line: u64,
    buf: Vec<u8>,
}

impl<R: Read> Jsonl<R> {
    fn next_row(&mut self) -> Step {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return Step::End,
                Ok(_) => self.line += 1,
                Err(e) => {
                    let reason = format!("cannot read further: {e}");
                    return Step::Failed(BadRecord { line: self.line + 1, reason });
                }
            }
            if !self.buf.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        Step::Row { line: self.line, fields: self.fields() }
    }

    /// The values of the object on the current line.
    fn fields(&self) -> Result<Fields, String> {
        let text = std::str::from_utf8(&self.buf).map_err(|e| {
            format!("not valid UTF-8 after byte {} of the line (save the file as UTF-8)", e.valid_up_to())
        })?;
        // Without its line end, so a truncated line's error points at its last column.
        let object = match serde_json::from_str::<Value>(text.trim_end()) {
            Ok(Value::Object(object)) => object,
            Ok(other) => return Err(format!("{} is not a JSON object; each line must be one {{…}}", kind(&other))),
            // Every line is parsed alone, so serde_json's "at line 1" would mislead: keep only the column.
            Err(e) => {
                let full = e.to_string();
                let message =
                    full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full);
                return Err(format!("not valid JSON: {message} at column {}", e.column()));
            }
        };
        let columns = &self.columns;
        let mut text = None;
        let mut id = None;
        let mut metadata = Vec::with_capacity(object.len().saturating_sub(1));
        for (key, value) in object {
            let is_id = columns.id.as_deref() == Some(key.as_str());
            if key == columns.text {
                match value {
                    Value::String(s) => {
                        if is_id {
                            id = Some(s.clone());
                        }
                        text = Some(s);
                    }
                    other => return Err(format!("the text field is {}, not a string", kind(&other))),
                }
            } else if is_id {
                id = Some(plain(value));
            } else {
                metadata.push((key, plain(value)));
            }
        }
        let text = text.ok_or_else(|| {
            format!("no \"{}\" field (use --text-column to name the field that holds the text)", columns.text)
        })?;
        if let Some(name) = &columns.id
            && id.is_none()
        {
            return Err(format!("no \"{name}\" field (use --id-column to name the field that holds the id)"));
        }
        Ok(Fields { text, id, metadata })
    }
}

/// A JSON value as a table cell: strings as they are, null as nothing, anything else as its compact JSON text.
fn plain(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// "a number", "an array", …: what a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The checks every format shares: the text must say something, a named id must not be blank. Without an id
/// column the row number is the id.
fn document(fields: Fields, line: u64, row: u64, noun: &str) -> Result<Record, String> {
    let Fields { text, id, metadata } = fields;
    if text.trim().is_empty() {
        return Err(format!("the text {noun} is empty"));
    }
    let id = match id {
        Some(id) if id.trim().is_empty() => return Err(format!("the id {noun} is empty")),
        Some(id) => id.trim().to_string(),
        None => row.to_string(),
    };
    Ok(Record { line, id, text, metadata })
}

/// `R` with a UTF-8 byte order mark at its very start removed, so it never reaches a column name or a JSON parser.
struct Unbom<R> {
    inner: R,
    /// The first bytes, read ahead to look for the mark, and how many of them are still to be served.
    head: [u8; 3],
    start: usize,
    end: usize,
}

impl<R: Read> Unbom<R> {
    fn new(mut inner: R) -> io::Result<Self> {
        let mut head = [0; 3];
        let mut end = 0;
        // A reader may hand out fewer bytes than asked for: keep asking until three or the end.
        while end < head.len() {
            match inner.read(&mut head[end..]) {
                Ok(0) => break,
                Ok(n) => end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let start = if head[..end] == *BOM { end } else { 0 };
        Ok(Unbom { inner, head, start, end })
    }
}

impl<R: Read> Read for Unbom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.start < self.end {
            let n = (self.end - self.start).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.start..self.start + n]);
            self.start += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], format: Format, columns: &Columns) -> Vec<Result<Record, BadRecord>> {
        records(input, format, columns).unwrap().collect()
    }

    fn ok(row: &Result<Record, BadRecord>) -> &Record {
        row.as_ref().unwrap()
    }

    fn bad(line: u64, reason: &str) -> Result<Record, BadRecord> {
        Err(BadRecord { line, reason: reason.to_string() })
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_truncated_json_line_points_at_its_last_column_not_past_its_line_end() {
        let rows = read(b"{\"text\": \"cut\r\n", Format::Jsonl, &Columns::default());
        let reason = &rows[0].as_ref().unwrap_err().reason;
        assert!(reason.ends_with("at column 13"), "{reason}");
    }

    #[test]
    fn formats_from_extensions_and_names() {
        assert_eq!(Format::from_path(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.tab")), Some(Format::Tsv));
        assert_eq!(Format::from_path(Path::new("b.jsonl")), Some(Format::Jsonl));
        assert_eq!(Format::from_path(Path::new("jsonl")), None);
        assert_eq!(Format::parse("TSV"), Ok(Format::Tsv));
        assert!(Format::parse("xlsx").unwrap_err().contains("csv, tsv or jsonl"));
    }

    #[test]
    fn csv_quoted_multi_line_text_and_the_next_line() {
        // A blank line between rows is passed over, and counted.
        let csv = "id,text,stars\nklara,\"The Sun, she says,\n\"\"is kind.\"\"\n\",5\n\nnllmg,Told and not told.,4\n";
        let rows = read(csv.as_bytes(), Format::Csv, &Columns { id: Some("id".into()), ..Columns::default() });
        assert_eq!(rows.len(), 2);
        assert_eq!(
            ok(&rows[0]),
            &Record {
                line: 2,
                id: "klara".into(),
                text: "The Sun, she says,\n\"is kind.\"\n".into(),
                metadata: pairs(&[("stars", "5")]),
            }
        );
        assert_eq!((ok(&rows[1]).line, ok(&rows[1]).id.as_str()), (6, "nllmg"));
    }

    #[test]
    fn carriage_returns_alone_end_lines_too() {
        // Saved as "CSV (Macintosh)": every line ends in a return; a blank line, a quoted line break, an empty text.
        let csv = "id,text\r1,Good\r\r2,\"Two\rlines\"\r3,\r4,Last";
        let rows = read(csv.as_bytes(), Format::Csv, &Columns { id: Some("id".into()), ..Columns::default() });
        let lines = |rows: &[Result<Record, BadRecord>]| {
            rows.iter().map(|row| row.as_ref().map_or_else(|bad| bad.line, |ok| ok.line)).collect::<Vec<_>>()
        };
        assert_eq!(lines(&rows), [2, 4, 6, 7]);
        assert_eq!(rows[2], bad(6, "the text column is empty"));
        // Read a byte at a time, every return meets the end of a block before its next byte is known.
        let rows: Vec<_> = records(OneByte(csv.as_bytes()), Format::Csv, &Columns::default()).unwrap().collect();
        assert_eq!(lines(&rows), [2, 4, 6, 7]);
        let crlf = csv.replace('\r', "\r\n");
        let rows: Vec<_> = records(OneByte(crlf.as_bytes()), Format::Csv, &Columns::default()).unwrap().collect();
        assert_eq!(lines(&rows), [2, 4, 6, 7], "CRLF counts once, even split across blocks");
    }

    /// A reader that gives one byte per read.
    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else { return Ok(0) };
            if buf.is_empty() {
                return Ok(0);
            }
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn crlf_line_ends_and_blank_lines_count_once() {
        let csv = "text,n\r\n\r\n\r\nx,1\r\n\"y\r\nz\",2\r\nw,3";
        let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
        let lines: Vec<_> = rows.iter().map(|row| (ok(row).line, ok(row).id.as_str())).collect();
        assert_eq!(lines, [(4, "1"), (5, "2"), (7, "3")]);
        assert_eq!(ok(&rows[1]).text, "y\r\nz");
    }

    #[test]
    fn records_larger_than_the_buffers() {
        let header: Vec<String> = (0..200).map(|i| format!("c{i}")).collect();
        let long = "word ".repeat(5_000);
        let csv = format!(
            "text,{}\n\"{long}\",{}\nshort,{}\n",
            header.join(","),
            "1,".repeat(199) + "1",
            "2,".repeat(199) + "2"
        );
        let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
        assert_eq!((ok(&rows[0]).text.len(), ok(&rows[0]).metadata.len()), (long.len(), 200));
        assert_eq!((ok(&rows[1]).line, ok(&rows[1]).metadata[199].1.as_str()), (3, "2"));
    }

    #[test]
    fn tsv_keeps_quotes_literal() {
        let tsv = "text\tauthor\n\"Told and not told.\"\tIshiguro\nHe said \"no\r\n";
        let rows = read(tsv.as_bytes(), Format::Tsv, &Columns::default());
        assert_eq!(ok(&rows[0]).text, "\"Told and not told.\"");
        assert_eq!(ok(&rows[0]).metadata, pairs(&[("author", "Ishiguro")]));
        assert_eq!(rows[1], bad(3, "has 1 field, the header has 2"));
    }

    #[test]
    fn jsonl_keeps_key_order_and_writes_values_as_text() {
        let jsonl = concat!(
            r#"{"zeta":1.5,"text":"It stays.","alpha":null,"ok":true,"tags":["a", "b"],"by":{"n":"K"}}"#,
            "\n\n   \r\n",
            r#"{"text":"Second."}"#,
        );
        let rows = read(jsonl.as_bytes(), Format::Jsonl, &Columns::default());
        assert_eq!(rows.len(), 2);
        let first = ok(&rows[0]);
        assert_eq!((first.line, first.id.as_str(), first.text.as_str()), (1, "1", "It stays."));
        let expected =
            pairs(&[("zeta", "1.5"), ("alpha", ""), ("ok", "true"), ("tags", r#"["a","b"]"#), ("by", r#"{"n":"K"}"#)]);
        assert_eq!(first.metadata, expected);
        // Blank lines count as lines, not as rows.
        assert_eq!((ok(&rows[1]).line, ok(&rows[1]).id.as_str()), (4, "2"));
    }

    #[test]
    fn a_malformed_jsonl_line_is_reported_and_the_next_is_read() {
        let jsonl =
            "{\"text\":\"one\"}\n{\"text\": \"two\"\n[1, 2]\n{\"text\": 3}\n{\"body\": \"x\"}\n{\"text\":\"six\"}\n";
        let rows = read(jsonl.as_bytes(), Format::Jsonl, &Columns::default());
        assert_eq!(rows.len(), 6);
        let malformed = rows[1].as_ref().unwrap_err();
        assert_eq!(malformed.line, 2);
        assert!(malformed.reason.starts_with("not valid JSON: EOF while parsing an object at column"), "{malformed:?}");
        assert_eq!(rows[2], bad(3, "an array is not a JSON object; each line must be one {…}"));
        assert_eq!(rows[3], bad(4, "the text field is a number, not a string"));
        assert!(rows[4].as_ref().unwrap_err().reason.starts_with("no \"text\" field"));
        // Bad rows keep their numbers, so the good ones after them keep their ids.
        assert_eq!((ok(&rows[5]).line, ok(&rows[5]).id.as_str()), (6, "6"));
    }

    #[test]
    fn a_missing_text_column_refuses_the_file() {
        let Err(message) = records("id,body\n1,x\n".as_bytes(), Format::Csv, &Columns::default()) else {
            panic!("a header without the text column was accepted");
        };
        assert_eq!(
            message,
            "no \"text\" column; the header has \"id\", \"body\" (use --text-column to name the column to use)"
        );
        let columns = Columns { text: "body".into(), id: Some("isbn".into()) };
        let Err(message) = records("id,body\n1,x\n".as_bytes(), Format::Csv, &columns) else {
            panic!("a header without the id column was accepted");
        };
        assert!(message.starts_with("no \"isbn\" column") && message.contains("--id-column"), "{message}");
        // Prose read as a table has one huge "header": a dozen names, each cut at 40 characters.
        let prose = format!("{},end\n", ["word"; 20].map(|w| w.repeat(30)).join(","));
        let Err(message) = records(prose.as_bytes(), Format::Csv, &Columns::default()) else {
            panic!("prose was read as a table");
        };
        assert!(message.contains("and 9 more") && message.len() < 700, "{} bytes: {message}", message.len());
    }

    #[test]
    fn empty_files_and_non_utf8_headers_are_refused() {
        for format in [Format::Csv, Format::Tsv, Format::Jsonl] {
            assert!(records(&b""[..], format, &Columns::default()).is_err());
            assert!(records(&b"\xEF\xBB\xBF"[..], format, &Columns::default()).is_err());
        }
        let Err(message) = records(&b"text,r\xE9sum\xE9\nx,y\n"[..], Format::Csv, &Columns::default()) else {
            panic!("a header that is not UTF-8 was accepted");
        };
        assert!(message.contains("not valid UTF-8"));
    }

    #[test]
    fn wrong_field_count_and_empty_text_are_skipped() {
        let csv = "text,stars\na,1,extra\n  ,2\n\"\",3\nfine,4\n";
        let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
        assert_eq!(rows[0], bad(2, "has 3 fields, the header has 2"));
        assert_eq!(rows[1], bad(3, "the text column is empty"));
        assert_eq!(rows[2], bad(4, "the text column is empty"));
        assert_eq!((ok(&rows[3]).id.as_str(), ok(&rows[3]).text.as_str()), ("4", "fine"));
        let jsonl = read(b"{\"text\":\" \\n \"}\n", Format::Jsonl, &Columns::default());
        assert_eq!(jsonl[0], bad(1, "the text field is empty"));
    }

    #[test]
    fn the_id_column_is_trimmed_and_left_out_of_the_metadata() {
        let columns = Columns { text: "review".into(), id: Some("isbn".into()) };
        let csv = "isbn,year,review\n 978-0571224142 ,2005,Quiet.\n,2021,Warm.\n";
        let rows = read(csv.as_bytes(), Format::Csv, &columns);
        assert_eq!(ok(&rows[0]).id, "978-0571224142");
        assert_eq!(ok(&rows[0]).metadata, pairs(&[("year", "2005")]));
        assert_eq!(rows[1], bad(3, "the id column is empty"));

        let jsonl =
            "{\"isbn\": 42, \"review\": \"Quiet.\"}\n{\"review\": \"Warm.\"}\n{\"isbn\": null, \"review\": \"x\"}";
        let rows = read(jsonl.as_bytes(), Format::Jsonl, &columns);
        assert_eq!((ok(&rows[0]).id.as_str(), ok(&rows[0]).metadata.len()), ("42", 0));
        assert!(rows[1].as_ref().unwrap_err().reason.starts_with("no \"isbn\" field"));
        assert_eq!(rows[2], bad(3, "the id field is empty"));
    }

    #[test]
    fn the_text_column_may_also_be_the_id() {
        let columns = Columns { text: "text".into(), id: Some("text".into()) };
        let rows = read(b"text,n\n Hello ,1\n", Format::Csv, &columns);
        assert_eq!((ok(&rows[0]).id.as_str(), ok(&rows[0]).text.as_str()), ("Hello", " Hello "));
        let rows = read(b"{\"text\":\"Hi\"}", Format::Jsonl, &columns);
        assert_eq!(ok(&rows[0]).id, "Hi");
    }

    #[test]
    fn a_bom_is_removed() {
        let rows = read(b"\xEF\xBB\xBF\"text\",n\nHello,1\n", Format::Csv, &Columns::default());
        assert_eq!(ok(&rows[0]).text, "Hello");
        let rows = read(b"\xEF\xBB\xBF{\"text\":\"Hi\"}\n", Format::Jsonl, &Columns::default());
        assert_eq!(ok(&rows[0]).text, "Hi");
    }

    #[test]
    fn an_invalid_utf8_row_is_skipped_and_the_rest_read() {
        let rows = read(b"text,who\ncaf\xE9,a\nfine,b\n", Format::Csv, &Columns::default());
        assert_eq!(rows[0], bad(2, "column \"text\" is not valid UTF-8 (save the file as UTF-8)"));
        assert_eq!((ok(&rows[1]).id.as_str(), ok(&rows[1]).text.as_str()), ("2", "fine"));
        let rows = read(b"{\"text\":\"caf\xE9\"}\n{\"text\":\"fine\"}\n", Format::Jsonl, &Columns::default());
        assert_eq!(rows[0], bad(1, "not valid UTF-8 after byte 12 of the line (save the file as UTF-8)"));
        assert_eq!((ok(&rows[1]).line, ok(&rows[1]).id.as_str()), (2, "2"));
    }

    /// Hands out one byte per read, as a pipe may, and then fails.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.0.split_first() {
                Some((first, rest)) if !buf.is_empty() => {
                    buf[0] = *first;
                    self.0 = rest;
                    Ok(1)
                }
                Some(_) => Ok(0),
                None => Err(io::Error::other("the disk went away")),
            }
        }
    }

    #[test]
    fn short_reads_then_a_read_error_end_the_rows() {
        for format in [Format::Csv, Format::Jsonl] {
            let input: &[u8] = match format {
                Format::Jsonl => b"\xEF\xBB\xBF{\"text\":\"one\"}\n{\"text\":\"two\"}\n",
                _ => b"\xEF\xBB\xBFtext\none\ntwo\n",
            };
            let rows: Vec<_> = records(Trickle(input), format, &Columns::default()).unwrap().collect();
            assert_eq!(rows.len(), 3, "{format:?}: {rows:?}");
            assert_eq!((ok(&rows[0]).text.as_str(), ok(&rows[1]).text.as_str()), ("one", "two"));
            assert!(rows[2].as_ref().unwrap_err().reason.contains("the disk went away"), "{rows:?}");
        }
    }
}
