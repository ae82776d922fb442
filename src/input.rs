//! From what the user named (files, folders, `-` for standard input) to decoded texts with stable document ids.
//!
//! Folders are walked recursively and sorted, so a run's output never depends on the order the file system lists
//! things in; the run's own output folder is passed over. Text is decoded to UTF-8 once, here: a BOM is removed,
//! UTF-16 and UTF-32 with a BOM are decoded, text that is UTF-8 but for a few bytes is read as UTF-8, and other
//! text that is not valid UTF-8 is decoded with a detected (or forced) legacy encoding (see [`decode`]). Inputs
//! are read no further than a document can hold ([`MAX_DOCUMENT_BYTES`]), so a device or a pipe that never ends
//! is cut off instead of filling memory. All byte offsets in marginalia's tables are offsets into the decoded
//! text.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::Encoding;

use crate::error::{Error, Result};
use crate::read_ahead::ReadAhead;
use crate::tabular::{self, Columns, Format, Records};

mod decode;
mod reading;
mod walk;

pub use decode::{Decoded, Invalid, NEAR_UTF8_RATIO, decode};
pub use reading::{read, read_list_file, read_list_with_resource};

use decode::utf32_bom;
use reading::too_long;
use walk::{Walk, describe_exts};

/// The largest document, in bytes of text: 4 GiB, since a token's offset takes 32 bits
/// ([`crate::text::Token`]). Longer inputs are skipped with a message saying to split them.
pub const MAX_DOCUMENT_BYTES: usize = u32::MAX as usize;

/// The longest word list, lexicon or dictionary file read (`--stopwords`, `--themes`, `--tone`, `--valence`): 1 GiB,
/// hundreds of times the largest real one, so that naming a device or an endless pipe ends in an error.
pub const MAX_LIST_BYTES: usize = 1 << 30;

/// The document id and path used for standard input.
pub const STDIN_ID: &str = "stdin";

/// How inputs are found and decoded.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// File extensions (without the dot, lowercase) accepted when walking a folder.
    pub extensions: Vec<String>,
    /// Decode every input with this encoding instead of detecting it.
    pub encoding: Option<&'static Encoding>,
    /// Read every file as a table of documents in this format (`--format`); `None` reads files named `.csv`,
    /// `.tsv` and `.jsonl` as tables, and any other as one document.
    pub format: Option<Format>,
    /// The columns of tables holding each document's text and id (`--text-column`, `--id-column`).
    pub columns: Columns,
    /// The run's output folder (`analyze --out`), passed over when walking a folder so that a run never reads
    /// its own earlier tables (`--ext txt,csv` with `--out` inside the input folder); `None` for commands that
    /// write no folder. A folder named on the command line is walked even when it is this one.
    pub output: Option<PathBuf>,
    /// The most bytes of text a document may hold: [`MAX_DOCUMENT_BYTES`] (a larger value counts as that),
    /// lowered by tests to check the limit without a 4 GiB input.
    pub max_document_bytes: usize,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            extensions: vec!["txt".into(), "md".into()],
            encoding: None,
            format: None,
            columns: Columns::default(),
            output: None,
            max_document_bytes: MAX_DOCUMENT_BYTES,
        }
    }
}

impl InputOptions {
    /// Parses an encoding label as the WHATWG Encoding Standard names them (`latin1`, `windows-1252`, `utf-16le`,
    /// `shift_jis`, …).
    pub fn encoding_from_label(label: &str) -> Result<&'static Encoding> {
        // WHATWG maps a few dangerous labels (iso-2022-kr, …) to "replacement", which decodes any text to one U+FFFD.
        let found = Encoding::for_label(label.trim().as_bytes()).filter(|e| *e != encoding_rs::REPLACEMENT);
        found.ok_or_else(|| {
            Error::Usage(format!(
                "unknown encoding '{label}' (use a WHATWG label such as utf-8, windows-1252, latin1, utf-16le, shift_jis)"
            ))
        })
    }

    /// The document limit in force: [`Self::max_document_bytes`], never above [`MAX_DOCUMENT_BYTES`].
    fn document_limit(&self) -> usize {
        self.max_document_bytes.min(MAX_DOCUMENT_BYTES)
    }
}

/// One input to analyse: where it comes from and the id its rows will carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The document id: the path relative to the input root, without extension, `/`-separated.
    pub id: String,
    /// Where to read it from; `None` is standard input.
    pub path: Option<PathBuf>,
}

impl InputFile {
    /// The folder holding the file, relative to the folder named: its id up to the last `/` (`.` if none).
    pub fn folder(&self) -> &str {
        self.id.rsplit_once('/').map_or(".", |(folder, _)| folder)
    }

    /// The path as shown in messages and in `documents.csv` (`-` for standard input).
    pub fn display_path(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "-".to_string(),
        }
    }
}

/// An input that was passed over, and why, so the run can go on with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path as given or found.
    pub path: String,
    /// A one-line reason that says what to do.
    pub reason: String,
}

/// Every input a run will read, in order, and the ones already known to be unreadable.
#[derive(Debug, Clone, Default)]
pub struct InputList {
    /// Files to analyse, in a deterministic order.
    pub files: Vec<InputFile>,
    /// Folders or entries that could not be listed.
    pub skipped: Vec<Skipped>,
    /// Notes for the user (ids that had to be made unique).
    pub notes: Vec<String>,
}

/// A decoded input.
#[derive(Debug, Clone)]
pub struct Source {
    /// The document id.
    pub id: String,
    /// The path as shown to the user (`-` for standard input).
    pub path: String,
    /// The decoded text, without a BOM. Offsets in every table index into this.
    pub text: String,
    /// The encoding the text was decoded from (`UTF-8`, `windows-1252`, …).
    pub encoding: &'static str,
    /// Set when the encoding was guessed or the decoder met bytes it had to replace: a warning for the user.
    pub warning: Option<String>,
    /// A table row's other columns, in order (empty for a file).
    pub metadata: Vec<(String, String)>,
    /// The folder holding its file, relative to the folder named (`.` for a file named directly or at the top).
    pub folder: String,
    /// The `--group-by` group a run puts it in, from its folder or one of its columns; empty for none.
    pub group: String,
    /// The file it was read from, for the run's manifest; `None` for text given in memory.
    pub file: Option<InputDigest>,
}

/// An input file as a run's manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InputDigest {
    /// The path as given or found (`-` for standard input).
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes, in lowercase hex: computed from the bytes as a document is read; `None` for a
    /// table until the run's end, when it is read once more for its hash (its rows are streamed, never held
    /// whole), and for a table on standard input, which cannot be.
    pub sha256: Option<String>,
}

impl Source {
    /// A source made from text already in memory, for library users and tests: UTF-8, its path is its id.
    ///
    /// ```
    /// let source = marginalia::input::Source::from_text("review", "It stays with you.");
    /// assert_eq!((source.path.as_str(), source.encoding), ("review", "UTF-8"));
    /// ```
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Source {
        let id = id.into();
        let (text, folder) = (text.into(), ".".to_string());
        Source {
            path: id.clone(),
            id,
            text,
            encoding: "UTF-8",
            warning: None,
            metadata: Vec::new(),
            folder,
            group: String::new(),
            file: None,
        }
    }
}

/// Resolves the paths the user named into the files to analyse. A missing path is an error (nothing has been done
/// yet, so nothing is lost); a folder with no matching file is an error too. Unreadable entries inside a folder are
/// listed in `skipped` and the rest goes on.
pub fn collect(paths: &[PathBuf], opts: &InputOptions) -> Result<InputList> {
    let mut list = InputList::default();
    let mut ids = HashSet::new();
    let mut seen_files = HashSet::new();
    // The output folder as the walk will meet it; one that does not exist yet holds nothing to pass over.
    let output = opts.output.as_ref().and_then(|out| fs::canonicalize(out).ok());
    for path in paths {
        if path.as_os_str() == "-" {
            if list.files.iter().any(|f| f.path.is_none()) {
                return Err(Error::Usage("standard input (-) can be read only once; name it once".into()));
            }
            push_unique(&mut list, &mut ids, STDIN_ID.to_string(), None);
            continue;
        }
        let meta = fs::metadata(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Error::MissingPath(path.clone()),
            _ => Error::Read { path: path.clone(), source: e },
        })?;
        if meta.is_dir() {
            let mut walk = Walk::new(opts, output.clone());
            walk.folder(path, true);
            let Walk { mut found, mut skipped, mut notes, .. } = walk;
            if found.is_empty() && skipped.is_empty() {
                return Err(Error::NoInputs { path: path.clone(), exts: describe_exts(&opts.extensions) });
            }
            list.skipped.append(&mut skipped);
            list.notes.append(&mut notes);
            found.sort();
            for file in found {
                if first_time(&mut seen_files, &file, &mut list.notes) {
                    let id = relative_id(path, &file);
                    push_unique(&mut list, &mut ids, id, Some(file));
                }
            }
        } else if first_time(&mut seen_files, path, &mut list.notes) {
            let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            push_unique(&mut list, &mut ids, id, Some(path.clone()));
        }
    }
    Ok(list)
}

/// True the first time a file is met (by its canonical path); a repeat is noted and analysed once only.
fn first_time(seen: &mut HashSet<PathBuf>, path: &Path, notes: &mut Vec<String>) -> bool {
    let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let first = seen.insert(canonical);
    if !first {
        notes.push(format!("{}: named more than once; analysed once", path.display()));
    }
    first
}

/// Adds a file, making its id unique within the run by appending `-2`, `-3`, … where needed.
fn push_unique(list: &mut InputList, ids: &mut HashSet<String>, id: String, path: Option<PathBuf>) {
    let (id, note) = unique(ids, id);
    if let Some(note) = note {
        let shown = path.as_ref().map_or("-".to_string(), |p| p.display().to_string());
        list.notes.push(format!("{shown}: {note}"));
    }
    list.files.push(InputFile { id, path });
}

/// The id of a file found under `root`: its relative path without extension, with `/` separators.
fn relative_id(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file).with_extension("");
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// One input in run order: a file to read, a table row already read, or something that could not be read.
#[derive(Debug)]
pub enum Input {
    /// A file (or standard input) holding one document, read when [`Input::load`] is called (in any thread).
    File(InputFile),
    /// A document already read: a table's row (its other columns as metadata), or a file read early.
    Loaded(Source),
    /// A table, or a row of one, that could not be read.
    Skipped(Skipped),
}

impl Input {
    /// The document id.
    pub fn id(&self) -> &str {
        match self {
            Input::File(file) => &file.id,
            Input::Loaded(source) => &source.id,
            Input::Skipped(skipped) => &skipped.path,
        }
    }

    /// The decoded document, or why it was skipped (unreadable, binary, or over [`MAX_DOCUMENT_BYTES`]).
    pub fn load(self, opts: &InputOptions) -> std::result::Result<Source, Skipped> {
        let source = match self {
            Input::File(file) => read(&file, opts)?,
            Input::Loaded(source) => source,
            Input::Skipped(skipped) => return Err(skipped),
        };
        let limit = opts.document_limit();
        if source.text.len() > limit {
            return Err(Skipped { reason: too_long(source.text.len() as u64, limit), path: source.path });
        }
        Ok(source)
    }
}

/// Every document of `list` in order: a file is one document, a table (`.csv`, `.tsv`, `.jsonl`, or any file
/// with `--format`) one per row. Tables are read a row at a time as the iterator advances, so a large one is
/// never held in memory. A row's id is its id column's value (or its row number); when the run reads more than
/// one input it is prefixed with the table's own id (`reviews/17`). Ids are kept unique as files' are.
pub fn documents(list: InputList, opts: &InputOptions) -> Documents {
    let prefix_rows = list.files.len() > 1;
    let ids = list.files.iter().map(|f| f.id.clone()).collect();
    Documents { files: list.files.into_iter(), table: None, ids, prefix_rows, opts: opts.clone(), read_ahead: None }
}

/// The iterator [`documents`] returns.
pub struct Documents {
    files: std::vec::IntoIter<InputFile>,
    /// The table being read.
    table: Option<OpenTable>,
    /// Every id given out so far.
    ids: HashSet<String>,
    prefix_rows: bool,
    opts: InputOptions,
    read_ahead: Option<ReadAhead>,
}

impl Documents {
    /// Asks the kernel for the next files while the current ones are analysed (see `src/read_ahead.rs`): for runs
    /// that read the files, not for ones that only count documents.
    pub fn reading_ahead(mut self) -> Self {
        let format = |path: &Path| self.opts.format.or_else(|| Format::from_path(path));
        let plain = |file: &InputFile| file.path.clone().filter(|path| format(path).is_none());
        self.read_ahead = ReadAhead::start(self.files.as_slice().iter().map(plain).collect());
        self
    }
}

impl Iterator for Documents {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(OpenTable { file, rows, encoding, given, replaced }) = &mut self.table {
                *given += 1;
                let shown = table_name(file);
                match rows.next() {
                    Some(Ok(record)) => {
                        let (id, path) = (record.id.clone(), format!("{shown}:{}", record.line));
                        let id = if self.prefix_rows { format!("{}/{id}", file.id) } else { id };
                        let (id, renamed) = unique(&mut self.ids, id);
                        let mut warning = renamed.map(|note| format!("{path}: {note}"));
                        // Told once, with the first row read after the decoder met bytes it could not map; then the
                        // flag is let go, and the decoder's later flips go unheard.
                        if warning.is_none() && replaced.load(Ordering::Relaxed) {
                            warning = Some(format!(
                                "{shown}: some bytes are not valid {encoding}; they were replaced with U+FFFD from \
                                 about line {} (use --encoding to choose another)",
                                record.line
                            ));
                            *replaced = Arc::new(AtomicBool::new(false));
                        }
                        let (text, metadata, folder) = (record.text, record.metadata, file.folder().to_string());
                        let table = Some(InputDigest { path: file.display_path(), bytes: 0, sha256: None });
                        let (group, file) = (String::new(), table);
                        let source = Source { id, path, text, encoding, warning, metadata, folder, group, file };
                        return Some(Input::Loaded(source));
                    }
                    Some(Err(bad)) => {
                        let path = format!("{shown}:{}", bad.line);
                        return Some(Input::Skipped(Skipped { path, reason: bad.reason }));
                    }
                    None if *given == 1 => {
                        let reason = "the table has no rows".to_string();
                        let skipped = Skipped { path: shown, reason };
                        self.table = None;
                        return Some(Input::Skipped(skipped));
                    }
                    None => self.table = None,
                }
            }
            let file = self.files.next()?;
            if let Some(ahead) = &self.read_ahead {
                ahead.advance();
            }
            let format = self.opts.format.or_else(|| file.path.as_deref().and_then(Format::from_path));
            let Some(format) = format else { return Some(Input::File(file)) };
            match open_table(&file, format, &self.opts) {
                Ok((rows, encoding, replaced)) => {
                    self.table = Some(OpenTable { file, rows, encoding, given: 0, replaced })
                }
                Err(reason) => return Some(Input::Skipped(Skipped { path: table_name(&file), reason })),
            }
        }
    }
}

/// The rows of a table file or of standard input.
type TableRows = Records<Box<dyn Read + Send>>;

/// A table being read: its file, its rows, the encoding they are decoded from, and how many rows (good or bad)
/// it has given.
struct OpenTable {
    file: InputFile,
    rows: TableRows,
    encoding: &'static str,
    given: usize,
    /// Set by the decoder when it replaced a byte; taken when the user has been told.
    replaced: Arc<AtomicBool>,
}

/// A table as messages and paths name it: standard input is `stdin`, since `-:LINE` would read as a formula in a
/// spreadsheet.
fn table_name(file: &InputFile) -> String {
    if file.path.is_some() { file.display_path() } else { STDIN_ID.to_string() }
}

/// Opens a table file (or standard input) for reading row by row, decoded to UTF-8 as it is read when it is
/// UTF-16 with a BOM (as Excel's "Unicode text") or when `--encoding` names its encoding; UTF-32 with a BOM is
/// refused by name. Returns the rows, the name of the encoding they are decoded from, and a flag the decoder sets when it replaces
/// a byte it cannot map.
fn open_table(
    file: &InputFile,
    format: Format,
    opts: &InputOptions,
) -> std::result::Result<(TableRows, &'static str, Arc<AtomicBool>), String> {
    let replaced = Arc::new(AtomicBool::new(false));
    let cannot_read = |e: io::Error| format!("cannot read: {e}");
    let mut raw: Box<dyn Read + Send> = match &file.path {
        Some(p) => Box::new(io::BufReader::new(fs::File::open(p).map_err(cannot_read)?)),
        None => Box::new(io::stdin()),
    };
    // The first four bytes, however few a pipe hands out at a time, for the BOM; then they are read again.
    let mut head = Vec::with_capacity(4);
    raw.by_ref().take(4).read_to_end(&mut head).map_err(cannot_read)?;
    // UTF-32's BOM starts as UTF-16LE's: refused by name rather than read as UTF-16 with a NUL in every other unit.
    if let Some(order) = utf32_bom(&head) {
        return Err(format!(
            "the table is {} (its BOM says so), which tables cannot be read in: save it as UTF-8 (or UTF-16)",
            order.name()
        ));
    }
    let bom = Encoding::for_bom(&head).map(|(encoding, _)| encoding);
    let raw: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(raw));
    let utf16 = bom.filter(|e| *e != encoding_rs::UTF_8);
    let (reader, encoding): (Box<dyn Read + Send>, _) = match utf16.or(opts.encoding) {
        // A decoder that sniffs the BOM: one at the start wins over --encoding, and is removed.
        Some(encoding) => {
            let decoding = Decoding::new(raw, encoding.new_decoder(), Arc::clone(&replaced));
            (Box::new(decoding), bom.unwrap_or(encoding))
        }
        None => (raw, encoding_rs::UTF_8),
    };
    Ok((tabular::records(reader, format, &opts.columns)?, encoding.name(), replaced))
}

/// Bytes in some encoding, read as UTF-8: decoded a block at a time, so a table in any encoding streams as one in
/// UTF-8 does. Bytes the encoding cannot map become U+FFFD.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    /// Set once a byte had to be replaced, for the reader of the rows to say so.
    replaced: Arc<AtomicBool>,
    raw: Vec<u8>,
    /// Decoded bytes, and how many of them have been handed out.
    decoded: Vec<u8>,
    given: usize,
    done: bool,
}

impl<R: Read> Decoding<R> {
    fn new(inner: R, decoder: encoding_rs::Decoder, replaced: Arc<AtomicBool>) -> Self {
        Decoding { inner, decoder, replaced, raw: vec![0; 1 << 16], decoded: Vec::new(), given: 0, done: false }
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.given == self.decoded.len() && !self.done {
            let n = match self.inner.read(&mut self.raw) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.done = n == 0;
            // Room for the worst case, so each block is decoded whole in one call.
            let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
            self.decoded.resize(room, 0);
            let (_, _, written, replaced) = self.decoder.decode_to_utf8(&self.raw[..n], &mut self.decoded, self.done);
            if replaced {
                self.replaced.store(true, Ordering::Relaxed);
            }
            self.decoded.truncate(written);
            self.given = 0;
        }
        let n = (self.decoded.len() - self.given).min(buf.len());
        buf[..n].copy_from_slice(&self.decoded[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

/// `id`, or `id-2`, `id-3`… if it is taken, and a note saying so.
fn unique(ids: &mut HashSet<String>, id: String) -> (String, Option<String>) {
    let mut unique = id.clone();
    let mut n = 2;
    while !ids.insert(unique.clone()) {
        unique = format!("{id}-{n}");
        n += 1;
    }
    let note = (unique != id).then(|| format!("document id '{id}' is already taken in this run; using '{unique}'"));
    (unique, note)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte at a time, as a pipe may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else { return Ok(0) };
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn decoding_reads_utf16_split_anywhere_as_utf8() {
        let text = "Kathy’s “told and not told” 🌊 ends.";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut decoded = String::new();
        Decoding::new(Trickle(&bytes), encoding_rs::UTF_8.new_decoder(), Arc::default())
            .read_to_string(&mut decoded)
            .unwrap();
        assert_eq!(decoded, text, "the BOM chose UTF-16LE and was removed");
    }

    #[test]
    fn unknown_encoding_label_is_a_usage_error() {
        assert!(matches!(InputOptions::encoding_from_label("klingon-8"), Err(Error::Usage(_))));
    }

    #[test]
    fn the_replacement_encoding_is_refused() {
        assert!(InputOptions::encoding_from_label("iso-2022-kr").is_err());
        assert!(InputOptions::encoding_from_label("replacement").is_err());
    }

    #[test]
    fn stdin_once_and_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.txt");
        fs::write(&file, "x").unwrap();
        let opts = InputOptions::default();
        assert!(matches!(collect(&["-".into(), "-".into()], &opts), Err(Error::Usage(_))));
        let list = collect(&[file.clone(), dir.path().to_path_buf()], &opts).unwrap();
        assert_eq!(list.files.len(), 1);
        assert_eq!(list.notes.len(), 1);
    }

    #[test]
    fn ids_are_relative_paths_without_extension() {
        assert_eq!(relative_id(Path::new("texts"), Path::new("texts/reviews/ishiguro.txt")), "reviews/ishiguro");
    }

    #[test]
    fn duplicate_ids_are_made_unique() {
        let mut list = InputList::default();
        let mut ids = HashSet::new();
        push_unique(&mut list, &mut ids, "a".into(), Some("x/a.txt".into()));
        push_unique(&mut list, &mut ids, "a".into(), Some("y/a.txt".into()));
        assert_eq!(list.files[1].id, "a-2");
        assert_eq!(list.notes.len(), 1);
    }
}
