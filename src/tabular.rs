//! A tabular corpus: one CSV, TSV or JSON Lines file in which each row is one document.
//!
//! Rows are read one at a time, so a corpus far larger than memory can be analysed. A file that cannot be a
//! table at all (empty, without the text column, or with two columns of one name) is refused when it is opened; a
//! single bad row is reported as a [`BadRecord`] naming its line, and the rows after it are still read, even after
//! a CSV quote that never closes.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::marker::PhantomData;
use std::path::Path;

/// The UTF-8 byte order mark, which editors on Windows write at the start of a file.
use jsonl::Jsonl;

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
    /// The 1-based line where the row starts; for a CSV quoted field that never closes where a field ends, the line
    /// its quote is on (the lines after it are read again as rows).
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

/// How far a quoted field may run before it is taken for one whose closing quote is missing: 64 MiB, twenty times
/// *War and Peace*. Without a bound, a stray quote near the top of a gigabyte export would make the rest of the file
/// one field, held in memory to its end; with it, at most this much is held, twice (the field, and the bytes after
/// its first line to read again).
const QUOTED_FIELD_LIMIT: u64 = 64 << 20;

/// A row's values, sorted by role, before the checks every format shares.
struct Fields {
    text: String,
    id: Option<String>,
    metadata: Vec<(String, String)>,
}

/// A CSV or TSV table, header already read. csv-core is driven directly rather than through `csv::Reader`, whose
/// record positions point at the blank line before a record rather than at the record.
///
/// A quoted field ends at a quote followed by a comma, a line end or the end of the file. One that never does (a
/// stray quote, a file cut off while it was written) would run to the end of the file and swallow every row after
/// it; one that a later quote closes with more text after it (`"a⏎b"c`, a stray quote meeting the quote that opens
/// a later row's field) would swallow the rows between. Its row is reported instead, at the line its quote is on,
/// and the lines after that line are read again, afresh, as rows of their own, as a careful CSV reader would. A
/// quoted field that runs on for more than [`QUOTED_FIELD_LIMIT`] bytes is given up the same way, so memory stays
/// bounded. On one line, `"Told" and not told` is read as csv-core reads it (`Told and not told`): no row is
/// swallowed. No byte is read more than twice (see [`Scan`]).
struct Delimited<R> {
    input: Source<R>,
    parser: csv_core::Reader,
    /// Lines and quoting, byte for byte with the parser.
    scan: Scan,
    headers: Vec<String>,
    text: usize,
    id: Option<usize>,
    /// The current record's unquoted bytes, where each of its fields ends in them, and how many fields it has.
    bytes: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
    /// [`QUOTED_FIELD_LIMIT`], lower in tests.
    limit: u64,
}

/// Why a quoted field is given up.
#[derive(Clone, Copy)]
enum Unclosed {
    /// It reached the end of the input.
    End,
    /// It ran on past the limit.
    Limit(u64),
    /// It closed on this line, but not at the end of a field.
    Misclosed(u64),
}

impl fmt::Display for Unclosed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Unclosed::End => write!(f, "is never closed"),
            Unclosed::Limit(limit) => write!(f, "runs on for more than {} without closing", bytes(*limit)),
            Unclosed::Misclosed(line) => write!(
                f,
                "is not closed at the end of a field (the quote that closes it, on line {line}, has more text right \
                 after it)"
            ),
        }
    }
}

/// What reading one record gave.
enum Got {
    /// A record, starting on this line.
    Record(u64),
    /// A record whose quoted field, opened on `line`, is given up for `why`; the lines after `line` are to be read
    /// again.
    Unclosed { line: u64, row_line: u64, why: Unclosed },
    /// The end of the input.
    End,
}

impl<R: Read> Delimited<R> {
    fn open(reader: Unbom<R>, format: Format, columns: &Columns) -> Result<Self, String> {
        Self::open_with_limit(reader, format, columns, QUOTED_FIELD_LIMIT)
    }

    fn open_with_limit(reader: Unbom<R>, format: Format, columns: &Columns, limit: u64) -> Result<Self, String> {
        let mut builder = csv_core::ReaderBuilder::new();
        let (delimiter, quoting) = if format == Format::Tsv { (b'\t', false) } else { (b',', true) };
        builder.delimiter(delimiter).quoting(quoting);
        let mut parser = builder.build();
        prime(&mut parser);
        let mut table = Delimited {
            input: Source { input: BufReader::new(reader), again: Vec::new(), at: 0, skip: Skip::Nothing },
            parser,
            scan: Scan::new(delimiter, quoting),
            headers: Vec::new(),
            text: 0,
            id: None,
            bytes: vec![0; 4096],
            ends: vec![0; 64],
            fields: 0,
            limit,
        };
        let header_line = match table.read_record().map_err(|e| format!("cannot read: {e}"))? {
            Got::Record(line) => line,
            Got::End => return Err("the file is empty (it needs a header row naming its columns)".to_string()),
            Got::Unclosed { line, why, .. } => {
                return Err(format!(
                    "line {line}: the quoted column name opened here {why} (end it with a quote, and double any quote \
                     inside it: \"\")"
                ));
            }
        };
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
                let mut found = headers.iter().take(12).map(|h| quoted(h)).collect::<Vec<_>>().join(", ");
                if headers.len() > 12 {
                    found.push_str(&format!(" and {} more", headers.len() - 12));
                }
                format!("no \"{name}\" column; the header has {found} (use {option} to name the column to use)")
            })
        };
        table.text = find(&columns.text, "--text-column")?;
        table.id = columns.id.as_deref().map(|name| find(name, "--id-column")).transpose()?;
        // Two columns of one name (checked once the text is known to be there, the more useful message for a file
        // that is not a table at all): which is the text, which value is "stars"? Refused rather than guessed.
        if let Some((first, second)) = repeated(headers.iter().map(String::as_str)) {
            let name = &headers[first];
            let what = if name.is_empty() {
                "a column without a name".to_string()
            } else {
                format!("the column {}", quoted(name))
            };
            return Err(format!(
                "line {header_line} has {what} twice (columns {} and {}): rename one of them, so that each column \
                 can be told apart",
                first + 1,
                second + 1
            ));
        }
        table.headers = headers;
        Ok(table)
    }

    fn next_row(&mut self) -> Step {
        match self.read_record() {
            Ok(Got::Record(line)) => Step::Row { line, fields: self.values() },
            Ok(Got::Unclosed { line, row_line, why }) => {
                let row = if row_line < line { format!(" (with the row from line {row_line})") } else { String::new() };
                let reason = format!(
                    "quoted field opened here {why}; it is skipped{row} and the lines after this one are read as rows \
                     of their own (end the field with a quote, and double any quote inside it: \"\")"
                );
                Step::Row { line, fields: Err(reason) }
            }
            Ok(Got::End) => Step::End,
            Err(e) => Step::Failed(BadRecord { line: self.scan.line, reason: format!("cannot read further: {e}") }),
        }
    }

    /// Reads the next record into `bytes` and `ends`.
    fn read_record(&mut self) -> io::Result<Got> {
        self.skip_blank_lines()?;
        let line = self.scan.line;
        let (mut written, mut ended) = (0, 0);
        loop {
            let block = self.input.fill()?;
            let input = &block[..self.scan.readable(block)];
            let (result, read, wrote, ends) =
                self.parser.read_record(input, &mut self.bytes[written..], &mut self.ends[ended..]);
            self.scan.feed(&input[..read]);
            let at_end = input.is_empty();
            self.input.consume(read);
            written += wrote;
            ended += ends;
            if let Some(open) = &self.scan.open {
                let why = match open.misclosed {
                    Some(closed) => Some(Unclosed::Misclosed(closed)),
                    None if at_end => Some(Unclosed::End),
                    None => (open.size > self.limit).then_some(Unclosed::Limit(self.limit)),
                };
                if let Some(why) = why {
                    return Ok(self.unclosed(line, why));
                }
            }
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => self.bytes.resize(self.bytes.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => {
                    self.fields = ended;
                    return Ok(Got::Record(line));
                }
                csv_core::ReadRecordResult::End => return Ok(Got::End),
            }
        }
    }

    /// Gives up the open quoted field of the record that started on `row_line`: the lines after the quote's are put
    /// back to be read again, and the parser starts afresh on the line after it.
    fn unclosed(&mut self, row_line: u64, why: Unclosed) -> Got {
        let Some(open) = self.scan.open.take() else { return Got::End };
        let skip = match open.line_end {
            LineEnd::NotYet => Skip::Line,
            LineEnd::Return => Skip::LineFeed,
            LineEnd::Past => Skip::Nothing,
        };
        self.input.put_back(std::mem::take(&mut self.scan.after), skip);
        self.parser.reset();
        prime(&mut self.parser);
        self.scan.restart(open.line + 1);
        Got::Unclosed { line: open.line, row_line, why }
    }

    /// Passes over the line ends before a record (csv-core would too, but after the record's line was taken).
    fn skip_blank_lines(&mut self) -> io::Result<()> {
        loop {
            let input = self.input.fill()?;
            let blank = input.iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
            let more = blank > 0 && blank == input.len();
            self.scan.feed(&input[..blank]);
            self.input.consume(blank);
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

/// Makes a new or reset parser read a UTF-8 byte order mark as text, as [`Scan`] does. csv-core passes over one at
/// the start of what it reads first, where [`Unbom`] has already removed the file's: on a line read again, it would
/// take `\u{feff}"x` for a quoted field where the scan sees text. A line end read before a record changes nothing
/// else.
fn prime(parser: &mut csv_core::Reader) {
    let _ = parser.read_record(b"\n", &mut [0], &mut [0]);
}

/// The bytes of a table, with the lines after a quoted field that never closed put back in front, to be read
/// again.
struct Source<R> {
    input: BufReader<Unbom<R>>,
    /// Bytes put back, and how many of them have been read.
    again: Vec<u8>,
    at: usize,
    /// What to pass over before the next byte: the rest of a line, or the line feed of a CRLF.
    skip: Skip,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    Nothing,
    /// Up to and including the next line end.
    Line,
    /// A line feed, if one comes next.
    LineFeed,
}

impl<R: Read> Source<R> {
    /// The next bytes; empty at the end of the input.
    fn fill(&mut self) -> io::Result<&[u8]> {
        while self.skip != Skip::Nothing {
            let skip = self.skip;
            let block = self.peek()?;
            let (passed, next) = match (skip, block.iter().position(|&b| b == b'\n' || b == b'\r')) {
                _ if block.is_empty() => (0, Skip::Nothing),
                (Skip::LineFeed, _) => (usize::from(block[0] == b'\n'), Skip::Nothing),
                (_, Some(i)) if block[i] == b'\r' => (i + 1, Skip::LineFeed),
                (_, Some(i)) => (i + 1, Skip::Nothing),
                (_, None) => (block.len(), Skip::Line),
            };
            self.skip = next;
            self.consume(passed);
        }
        self.peek()
    }

    fn peek(&mut self) -> io::Result<&[u8]> {
        if self.at < self.again.len() {
            return Ok(&self.again[self.at..]);
        }
        loop {
            match self.input.fill_buf() {
                Ok(_) => return Ok(self.input.buffer()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn consume(&mut self, n: usize) {
        if self.at < self.again.len() {
            self.at += n;
            if self.at >= self.again.len() {
                (self.again, self.at) = (Vec::new(), 0);
            }
        } else {
            self.input.consume(n);
        }
    }

    /// Puts `bytes` back in front of what is still to be read, to be read after passing over `skip`.
    fn put_back(&mut self, mut bytes: Vec<u8>, skip: Skip) {
        if let Some(rest) = self.again.get(self.at..) {
            bytes.extend_from_slice(rest);
        }
        (self.again, self.at, self.skip) = (bytes, 0, skip);
    }
}

/// What csv-core keeps to itself, followed byte for byte beside it: the line (csv-core counts line feeds only,
/// where a carriage return alone, as a spreadsheet's "CSV (Macintosh)" writes, ends a line too), and whether a
/// quoted field is open, since which line, with the bytes after that line kept to be read again if it never
/// closes.
///
/// No byte is read a third time. The bytes read again, from the line after the quote's to where the field was
/// given up, were all read inside the quoted field, so every run of quotes in them has an even length (an odd one
/// would have closed the field) but perhaps the last, and a run of even length at the start of a field opens a
/// quoted field and closes it again. So the next field given up opens on the line where the last one was given up
/// or later, and what is read again for it starts on the line after: it never overlaps what was read again
/// before. [`Scan::readable`] keeps the parser from reading past the byte where a field is given up.
struct Scan {
    /// The 1-based line of the next byte. A line ends in LF, CRLF or CR.
    line: u64,
    after_return: bool,
    state: Quoting,
    delimiter: u8,
    quoting: bool,
    open: Option<OpenQuote>,
    /// The bytes after the line of the open quote. Kept from one quoted field to the next for its allocation.
    after: Vec<u8>,
    /// Bytes followed, for the tests to check that none is read more than twice.
    fed: u64,
}

/// csv-core's states, folded to what decides what a quote means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field or a record: a quote opens a quoted field.
    FieldStart,
    /// In an unquoted field, or after a quoted one closed: a quote is text.
    Unquoted,
    Quoted,
    /// After a quote in a quoted field: another quote makes `""`, anything else closes the field.
    QuoteInQuote,
}

/// A quoted field not yet closed.
struct OpenQuote {
    /// The line its quote is on.
    line: u64,
    /// Bytes read since the quote.
    size: u64,
    line_end: LineEnd,
    /// The line of a quote that closed the field, after its line end, with more text right after it: `"a⏎b"c`.
    /// A field closes with a quote followed by a comma, a line end or the end of the file; such a quote is far
    /// more likely the opening quote of a later row, and the quote that opened the field a stray one.
    misclosed: Option<u64>,
}

/// How far the end of an open quote's line has been read.
#[derive(Clone, Copy)]
enum LineEnd {
    NotYet,
    /// A carriage return: a line feed next belongs to it.
    Return,
    Past,
}

impl Scan {
    fn new(delimiter: u8, quoting: bool) -> Self {
        Scan {
            line: 1,
            after_return: false,
            state: Quoting::FieldStart,
            delimiter,
            quoting,
            open: None,
            after: Vec::new(),
            fed: 0,
        }
    }

    /// Starts afresh at the start of `line`.
    fn restart(&mut self, line: u64) {
        (self.line, self.after_return, self.state, self.open) = (line, false, Quoting::FieldStart, None);
        self.after.clear();
    }

    /// How much of `block` the parser may read next: up to its first line end; or, in a quoted field whose line
    /// has ended, up to the byte after its next quote, which decides whether the field closes where a field ends.
    /// So the parser stops at the byte that [misclosed](OpenQuote::misclosed) a field, and the bytes after it are
    /// read afresh only once.
    fn readable(&self, block: &[u8]) -> usize {
        let end = match &self.open {
            Some(open) if !matches!(open.line_end, LineEnd::NotYet) => match self.state {
                Quoting::QuoteInQuote => Some(0),
                _ => find(block, [b'"'; 3]).map(|quote| quote + 1),
            },
            _ => find(block, [b'\n', b'\r', b'\r']),
        };
        end.map_or(block.len(), |end| (end + 1).min(block.len()))
    }

    /// Follows the bytes the parser has just read. A quoted field found [misclosed](OpenQuote::misclosed) stays
    /// open, and the rest of the block is only kept.
    fn feed(&mut self, block: &[u8]) {
        self.fed += block.len() as u64;
        let mut i = 0;
        while let Some(rest) = block.get(i..).filter(|rest| !rest.is_empty()) {
            // Runs that change nothing but the line and the open field's size are taken whole: text and line ends
            // inside a quoted field, text in an unquoted one, blank lines between records.
            let run = match self.state {
                Quoting::Quoted => find(rest, [b'"'; 3]),
                Quoting::Unquoted => find(rest, [self.delimiter, b'\n', b'\r']),
                Quoting::FieldStart => Some(rest.iter().take_while(|&&b| b == b'\n' || b == b'\r').count()),
                Quoting::QuoteInQuote => Some(0),
            }
            .unwrap_or(rest.len());
            if run > 0 {
                self.run(&rest[..run]);
                i += run;
                continue;
            }
            if self.step(rest[0]) {
                self.after.extend_from_slice(&rest[1..]);
                return;
            }
            i += 1;
        }
    }

    /// Follows a run of bytes that leaves the state as it is: no quote, and, outside a quoted field, no delimiter
    /// (and line ends only at the start of a field).
    fn run(&mut self, run: &[u8]) {
        if let Some(open) = &mut self.open {
            open.size += run.len() as u64;
            // The bytes after the first line end since the quote are kept.
            let kept = match open.line_end {
                LineEnd::Past => Some(run),
                LineEnd::Return => run.strip_prefix(b"\n").or(Some(run)),
                LineEnd::NotYet => match find(run, [b'\n', b'\r', b'\r']) {
                    Some(end) if run[end] == b'\r' && run.get(end + 1) == Some(&b'\n') => run.get(end + 2..),
                    Some(end) if run[end] == b'\r' && end + 1 == run.len() => {
                        open.line_end = LineEnd::Return;
                        None
                    }
                    Some(end) => run.get(end + 1..),
                    None => None,
                },
            };
            if let Some(kept) = kept {
                open.line_end = LineEnd::Past;
                self.after.extend_from_slice(kept);
            }
        }
        let (mut line, mut after_return) = (self.line, self.after_return);
        for &b in run {
            line += u64::from(b == b'\r' || (b == b'\n' && !after_return));
            after_return = b == b'\r';
        }
        (self.line, self.after_return) = (line, after_return);
    }

    /// Follows one byte; true if it [misclosed](OpenQuote::misclosed) the open field.
    fn step(&mut self, b: u8) -> bool {
        let line_end = b == b'\n' || b == b'\r';
        if let Some(open) = &mut self.open {
            open.size += 1;
            match (open.line_end, b) {
                (LineEnd::Past, _) => self.after.push(b),
                (LineEnd::Return, b'\n') => open.line_end = LineEnd::Past,
                (LineEnd::Return, _) => {
                    open.line_end = LineEnd::Past;
                    self.after.push(b);
                }
                (LineEnd::NotYet, b'\n') => open.line_end = LineEnd::Past,
                (LineEnd::NotYet, b'\r') => open.line_end = LineEnd::Return,
                (LineEnd::NotYet, _) => {}
            }
        }
        self.state = match self.state {
            Quoting::FieldStart | Quoting::Unquoted if line_end || b == self.delimiter => Quoting::FieldStart,
            Quoting::FieldStart if b == b'"' && self.quoting => {
                self.open = Some(OpenQuote { line: self.line, size: 0, line_end: LineEnd::NotYet, misclosed: None });
                self.after.clear();
                Quoting::Quoted
            }
            Quoting::FieldStart | Quoting::Unquoted => Quoting::Unquoted,
            Quoting::Quoted if b == b'"' => Quoting::QuoteInQuote,
            Quoting::Quoted => Quoting::Quoted,
            Quoting::QuoteInQuote if b == b'"' => Quoting::Quoted,
            Quoting::QuoteInQuote if line_end || b == self.delimiter => {
                self.open = None;
                Quoting::FieldStart
            }
            Quoting::QuoteInQuote => match &mut self.open {
                Some(open) if !matches!(open.line_end, LineEnd::NotYet) => {
                    open.misclosed = Some(self.line);
                    return true;
                }
                _ => {
                    self.open = None;
                    Quoting::Unquoted
                }
            },
        };
        self.line += u64::from(b == b'\r' || (b == b'\n' && !self.after_return));
        self.after_return = b == b'\r';
        false
    }
}

/// Where the first of the `needles` is in `haystack`. A block of 32 bytes at a time is first checked for any of
/// them, which the compiler turns into vector instructions: the scan of a table's bytes beside the parser costs a
/// fraction of the parser's time instead of more than it.
fn find(haystack: &[u8], needles: [u8; 3]) -> Option<usize> {
    let [a, b, c] = needles;
    let is_needle = |x: u8| x == a || x == b || x == c;
    let mut start = 0;
    for block in haystack.chunks_exact(32) {
        if block.iter().fold(false, |found, &x| found | is_needle(x)) {
            break;
        }
        start += 32;
    }
    haystack.get(start..)?.iter().position(|&x| is_needle(x)).map(|i| start + i)
}

/// "64 MiB", or a number of bytes when it is not a whole number of MiB.
fn bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) { format!("{} MiB", n >> 20) } else { format!("{n} bytes") }
}

/// A name as a message shows it: quoted, and cut at 40 characters.
fn quoted(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((end, _)) => format!("\"{}…\"", &name[..end]),
        None => format!("\"{name}\""),
    }
}

/// The first name given twice: where it is first, and where again.
fn repeated<'a>(names: impl Iterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut seen = std::collections::HashMap::new();
    names.enumerate().find_map(|(i, name)| seen.insert(name, i).map(|first| (first, i)))
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

mod jsonl;
#[cfg(test)]
mod tests;
