//! A table being written into the output folder: rows go to a hidden temporary file there, written behind so
//! that a gigabyte of tables does not fill the page cache, and renamed over the table's name only by the run's
//! [`Publication`], once the whole run has succeeded. Or a table held in memory, for a text analysed without
//! writing any file ([`Place::Memory`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::output::temporary;
use crate::output::{Place, Publication, Rendered, RowBuffer};
use crate::report::cells::Cells;
use crate::report::csv::CsvSink;
use crate::report::schema::Row;

/// A table being written into an output folder, invisible under its final name until its [`Publication`] is
/// published; or held in memory; or a table the run leaves out, which takes rows and writes nothing.
pub struct Table<S> {
    /// Rows written one by one are rendered here, then copied to `out` in blocks.
    rows: RowBuffer<S>,
    /// Rows in `rows`.
    buffered: usize,
    /// Rows written in all, for the run's manifest.
    written: u64,
    /// `None` for a table left out.
    out: Option<Out>,
    /// Shards' tables whose rows come next, not copied yet, with how many rows each holds: [`Table::rewrite`]
    /// reads them where they are.
    deferred: Vec<(PathBuf, u64)>,
    /// Where a document's rows (one [`Table::append`]) start in the file, about every [`MARK_BYTES`]:
    /// [`Table::rewrite`] cuts the table's own rows in two there.
    marks: Vec<Mark>,
    /// The table's final path, named in errors (for a table in memory, `memory/` and its file name).
    path: PathBuf,
}

/// Where a table's bytes go: its hidden file in the output folder, or memory.
enum Out {
    File(BufWriter<WriteBehind>),
    Memory(Vec<u8>),
}

impl Out {
    /// Bytes written, the header's included.
    fn len(&self) -> u64 {
        match self {
            Out::File(out) => out.get_ref().written + out.buffer().len() as u64,
            Out::Memory(bytes) => bytes.len() as u64,
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::File(out) => out.write(buf),
            Out::Memory(bytes) => bytes.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Out::File(out) => out.write_all(buf),
            Out::Memory(bytes) => bytes.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::File(out) => out.flush(),
            Out::Memory(_) => Ok(()),
        }
    }
}

/// The start of a document's rows in a table's file: its byte offset, and how many rows come before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    bytes: u64,
    rows: u64,
}

/// Bytes between two [`Mark`]s: a gigabyte of reviews writes 5.4 GB of `vocabulary.csv`, 5,000 marks.
const MARK_BYTES: u64 = 1 << 20;

impl<S: Row> Table<S> {
    /// Starts `S::FILE` in `dir` (which must exist), its text cells written as `cells` says.
    pub fn create(dir: &Path, cells: Cells) -> Result<Self> {
        let path = dir.join(S::FILE);
        let file = WriteBehind { file: temporary(dir)?, written: 0, started: 0, dropped: 0 };
        let header = CsvSink::<_, S>::new(BufWriter::new(file), cells).finish();
        let out = header.map_err(|source| Error::Output { path: dir.to_path_buf(), source })?;
        Ok(Self::with(cells, Some(Out::File(out)), path))
    }

    /// Starts `S::FILE` in memory, its text cells written as `cells` says: [`Table::into_bytes`] gives it.
    pub fn in_memory(cells: Cells) -> Result<Self> {
        let path = Place::Memory.path().join(S::FILE);
        let header = CsvSink::<_, S>::new(Vec::new(), cells).finish();
        let header = header.map_err(|source| Error::Output { path: path.clone(), source })?;
        Ok(Self::with(cells, Some(Out::Memory(header)), path))
    }

    /// [`Table::create`] in a folder or [`Table::in_memory`], as `place` says; or, when `leave_out`
    /// (`--skip-tables`), a table that drops the rows given to it and writes nothing. (An earlier run's table of
    /// that name is for [`remove_table`](super::remove_table) to take away once the run has succeeded.)
    pub fn create_unless(place: Place, cells: Cells, leave_out: bool) -> Result<Self> {
        match (leave_out, place) {
            (false, Place::Folder(dir)) => Self::create(dir, cells),
            (false, Place::Memory) => Self::in_memory(cells),
            (true, _) => Ok(Self::with(cells, None, place.path().join(S::FILE))),
        }
    }

    fn with(cells: Cells, out: Option<Out>, path: PathBuf) -> Self {
        let (rows, deferred, marks) = (RowBuffer::new(cells), Vec::new(), Vec::new());
        Table { rows, buffered: 0, written: 0, out, deferred, marks, path }
    }

    /// Whether the table is left out: rows given to it are dropped, so there is no need to make them.
    pub fn is_left_out(&self) -> bool {
        self.out.is_none()
    }

    /// Writes one row (borrowing from any document).
    pub fn write<R: Row<Schema = S::Schema>>(&mut self, row: &R) -> Result<()> {
        if self.is_left_out() {
            return Ok(());
        }
        self.rows.write(row).map_err(|source| self.output_error(source))?;
        self.buffered += 1;
        if self.buffered >= 1024 {
            self.drain()?;
        }
        Ok(())
    }

    /// Appends rows rendered by a [`RowBuffer`] of this table.
    pub fn append(&mut self, rows: Rendered) -> Result<()> {
        if self.buffered > 0 || !self.deferred.is_empty() {
            self.drain()?;
        }
        let Some(out) = &mut self.out else { return Ok(()) };
        let bytes = out.len();
        if bytes >= self.marks.last().map_or(0, |m| m.bytes) + MARK_BYTES {
            self.marks.push(Mark { bytes, rows: self.written });
        }
        let written = match rows {
            Rendered::Memory { bytes, rows } => {
                self.written += rows;
                out.write_all(&bytes)
            }
            Rendered::File { path, rows } => {
                self.written += rows;
                File::open(&path).and_then(|mut file| io::copy(&mut file, out).map(drop))
            }
        };
        written.map_err(|source| self.output_error(source))
    }

    /// Appends the rows of `file`, a table of the same kind (a shard's, for `marginalia merge`), after checking
    /// that its header is this table's; `rows` is how many rows it holds (its shard's manifest says).
    pub fn append_file(&mut self, file: &Path, rows: u64) -> Result<()> {
        self.defer_file(file, rows)?;
        self.copy_deferred()
    }

    /// [`Table::append_file`], but the rows stay in `file` until the next [`Table::rewrite`] reads them there, or
    /// anything else is written: a table rewritten at the end of a merge (`vocabulary.csv`, the largest) is then
    /// copied once instead of twice.
    pub fn defer_file(&mut self, file: &Path, rows: u64) -> Result<()> {
        if self.is_left_out() {
            return Ok(());
        }
        shard_rows::<S>(file)?;
        self.written += rows;
        if self.buffered > 0 {
            self.drain()?;
        }
        self.deferred.push((file.to_path_buf(), rows));
        Ok(())
    }

    /// Copies the rows of the deferred files ([`Table::defer_file`]) to the table.
    fn copy_deferred(&mut self) -> Result<()> {
        for (file, _) in std::mem::take(&mut self.deferred) {
            let mut reader = shard_rows::<S>(&file)?;
            if let Some(out) = &mut self.out {
                copy_rows(&mut reader, &file, out, &self.path)?;
            }
        }
        Ok(())
    }

    /// Passes the rows written so far (without the header) through `edit`, which reads them and writes what
    /// replaces them, in one streaming pass into a new temporary file: for a column whose values are known only
    /// once every row is written (`tf_idf`). `edit` is called for the rows in the table's file, then for each
    /// shard's table deferred ([`Table::defer_file`]), and told which rows (numbered from 0) it is given. The later
    /// half is passed on a second thread into a file of its own, copied after the rest: with two deferred tables
    /// or more, the later half of them; with none, the table's own rows from the start of the document nearest
    /// their middle ([`Mark`]), so `edit` is always given whole documents. A table in memory is passed in one part,
    /// on this thread, into memory. Nothing for a table left out.
    pub fn rewrite(
        &mut self,
        edit: impl Fn(Range<u64>, &mut dyn BufRead, &mut dyn Write) -> io::Result<()> + Sync,
    ) -> Result<()> {
        if self.is_left_out() {
            return Ok(());
        }
        if self.buffered > 0 {
            self.drain()?;
        }
        let old = match self.out.take() {
            None => return Ok(()),
            Some(Out::File(old)) => old.into_inner().map_err(|e| self.output_error(e.into_error()))?,
            Some(Out::Memory(bytes)) => {
                self.out = Some(Out::Memory(self.rewritten_in_memory(&bytes, &edit)?));
                self.marks.clear();
                return Ok(());
            }
        };
        let dir = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut fresh = Table::<S>::create(&dir, self.rows.cells())?;
        let Some(out) = &mut fresh.out else { return Ok(()) };
        let mut written = BufReader::with_capacity(1 << 16, old.file.reopen().map_err(|e| self.output_error(e))?);
        // The header is the columns' names, one line: the rows start after it.
        let header = written.read_until(b'\n', &mut Vec::new()).map_err(|e| self.output_error(e))? as u64;
        let mut earlier = std::mem::take(&mut self.deferred);
        let own = self.written - rows_of(&earlier);
        // Own rows are cut only when they are all there is: the second half is copied last.
        let cut = if earlier.is_empty() { self.middle(own, old.written) } else { None };
        let later = earlier.split_off(earlier.len().div_ceil(2));
        let split = own + rows_of(&earlier);
        let (path, edit, old, dir) = (&self.path, &edit, &old.file, dir.as_path());
        let later = std::thread::scope(|scope| -> Result<Option<NamedTempFile>> {
            let second = match cut {
                Some(mark) => Some(scope.spawn(move || edited_from(old, mark, own, (dir, path), edit))),
                None => (!later.is_empty()).then(|| scope.spawn(|| edited::<S>(&later, split, (dir, path), edit))),
            };
            let first_rows = cut.map_or(own, |mark| mark.rows);
            let mut first = (&mut written).take(cut.map_or(u64::MAX, |mark| mark.bytes.saturating_sub(header)));
            let first = edit(0..first_rows, &mut first, out)
                .map_err(|source| Error::Output { path: path.clone(), source })
                .and_then(|()| edit_files::<S>(&earlier, own, out, path, edit));
            let second = second.map(|s| s.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            first.and(second.transpose())
        })?;
        if let Some(later) = later {
            let mut reader = BufReader::with_capacity(1 << 16, later.reopen().map_err(|e| self.output_error(e))?);
            copy_rows(&mut reader, later.path(), out, &self.path)?;
        }
        self.out = fresh.out.take();
        // The rows moved: the marks were offsets in the old file.
        self.marks.clear();
        Ok(())
    }

    /// `written`, a table in memory, with its rows passed through `edit` (one pass, on this thread: such a table is
    /// one text's), then those of the deferred files.
    fn rewritten_in_memory(&mut self, written: &[u8], edit: &impl Edit) -> Result<Vec<u8>> {
        let header = written.iter().position(|&b| b == b'\n').map_or(written.len(), |end| end + 1);
        let (head, mut rows) = written.split_at(header);
        let deferred = std::mem::take(&mut self.deferred);
        let own = self.written - rows_of(&deferred);
        let mut fresh = head.to_vec();
        edit(0..own, &mut rows, &mut fresh).map_err(|source| self.output_error(source))?;
        edit_files::<S>(&deferred, own, &mut fresh, &self.path, edit)?;
        Ok(fresh)
    }

    /// The [`Mark`] nearest the middle of the table's own `rows` in its file of `bytes`, unless it is the first
    /// row or past the last.
    fn middle(&self, rows: u64, bytes: u64) -> Option<Mark> {
        let mark = self.marks.iter().min_by_key(|m| m.bytes.abs_diff(bytes / 2))?;
        (mark.rows > 0 && mark.rows < rows).then_some(*mark)
    }

    /// Moves the rows rendered so far to the file.
    fn drain(&mut self) -> Result<()> {
        self.copy_deferred()?;
        self.buffered = 0;
        let fresh = RowBuffer::new(self.rows.cells());
        let rows = std::mem::replace(&mut self.rows, fresh);
        let rendered = rows.into_rendered().map_err(|source| self.output_error(source))?;
        self.append(rendered)
    }

    fn output_error(&self, source: io::Error) -> Error {
        Error::Output { path: self.path.clone(), source }
    }

    /// Flushes the table and adds it to `publication`, which moves it to its final name with the run's other
    /// files; a table left out adds nothing. A table in memory is written to a hidden file in the publication's
    /// folder first.
    pub fn stage(mut self, publication: &mut Publication) -> Result<()> {
        self.drain()?;
        let Table { out, path, written, .. } = self;
        let (tmp, target) = match out {
            None => return Ok(()),
            Some(Out::File(out)) => {
                (out.into_inner().map_err(|e| Error::Output { path: path.clone(), source: e.into_error() })?.file, path)
            }
            Some(Out::Memory(bytes)) => {
                let target = publication.dir().join(S::FILE);
                let mut tmp = temporary(publication.dir())?;
                tmp.write_all(&bytes).map_err(|source| Error::Output { path: target.clone(), source })?;
                (tmp, target)
            }
        };
        publication.count_rows(S::FILE, written);
        publication.file(tmp, target);
        Ok(())
    }

    /// The table's bytes, header and rows, as its CSV file holds them; `None` for a table left out.
    pub fn into_bytes(mut self) -> Result<Option<Vec<u8>>> {
        self.drain()?;
        let output_error = |source| Error::Output { path: self.path.clone(), source };
        match self.out.take() {
            None => Ok(None),
            Some(Out::Memory(bytes)) => Ok(Some(bytes)),
            Some(Out::File(out)) => {
                let file = out.into_inner().map_err(|e| output_error(e.into_error()))?.file;
                let mut bytes = Vec::new();
                file.reopen().and_then(|mut read| read.read_to_end(&mut bytes)).map_err(output_error)?;
                Ok(Some(bytes))
            }
        }
    }
}

/// How much of a table is handed to the disk at a time by [`WriteBehind`].
const WRITE_BEHIND_BYTES: u64 = 8 << 20;

/// A table's temporary file, written behind: on Linux, each [`WRITE_BEHIND_BYTES`] written are handed to the disk
/// at once, and the block before them, on disk by then, is dropped from the page cache (the way `dd oflag=nocache`
/// and PostgreSQL's `backend_flush_after` write). A gigabyte of reviews writes twelve of tables; left to the
/// kernel, they would fill memory with dirty pages, push out the user's cache, and leave the final sync seconds of
/// waiting. Elsewhere the kernel is left to it.
struct WriteBehind {
    file: NamedTempFile,
    /// Bytes written.
    written: u64,
    /// Bytes handed to the disk.
    started: u64,
    /// Bytes waited for and dropped from the cache.
    dropped: u64,
}

impl WriteBehind {
    /// Counts `n` bytes more written, and hands the next block to the disk once there is one.
    fn wrote(&mut self, n: u64) -> io::Result<()> {
        self.written += n;
        if self.written - self.started >= WRITE_BEHIND_BYTES {
            write_behind(self.file.as_file(), (self.dropped, self.started), (self.started, self.written))?;
            (self.dropped, self.started) = (self.started, self.written);
        }
        Ok(())
    }

    /// Appends the rest of `reader`, a block of [`WRITE_BEHIND_BYTES`] at a time, each handed to the disk as
    /// [`Write::write`] hands what it writes. `io::copy` between two files copies in the kernel where it can
    /// (`copy_file_range` on Linux): the bytes do not pass through this process, and a file system that shares
    /// blocks (XFS, Btrfs) or copies on the server (NFS 4.2) need not copy them at all.
    fn copy_from(&mut self, reader: &mut BufReader<File>) -> io::Result<()> {
        loop {
            let room = WRITE_BEHIND_BYTES - (self.written - self.started);
            match io::copy(&mut reader.take(room), self.file.as_file_mut())? {
                0 => return Ok(()),
                n => self.wrote(n)?,
            }
        }
    }
}

impl Write for WriteBehind {
    /// Fails also when a block written earlier could not be written out: the kernel reports that once, to the
    /// first call that waits for it, so the final `sync_all` would not hear of it.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.wrote(n as u64)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Waits for the byte range `done` of `file` to reach the disk and drops it from the page cache, then starts
/// writing the range `next`. An error writing either out is returned: waiting uses up the kernel's note of it.
/// Dropping pages is a hint, and its result is not needed.
#[cfg(target_os = "linux")]
fn write_behind(file: &File, done: (u64, u64), next: (u64, u64)) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    let range = |(start, end): (u64, u64)| (start as libc::off64_t, (end - start) as libc::off64_t);
    let checked = |result: libc::c_int| if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) };
    let wait = libc::SYNC_FILE_RANGE_WAIT_BEFORE | libc::SYNC_FILE_RANGE_WRITE | libc::SYNC_FILE_RANGE_WAIT_AFTER;
    let (start, len) = range(done);
    if len > 0 {
        // SAFETY: `fd` is an open descriptor owned by `file` for the duration of the call, which takes no pointers.
        checked(unsafe { libc::sync_file_range(fd, start, len, wait) })?;
        // SAFETY: as above.
        unsafe { libc::posix_fadvise64(fd, start, len, libc::POSIX_FADV_DONTNEED) };
    }
    let (start, len) = range(next);
    // SAFETY: as above.
    checked(unsafe { libc::sync_file_range(fd, start, len, libc::SYNC_FILE_RANGE_WRITE) })
}

#[cfg(not(target_os = "linux"))]
fn write_behind(_: &File, _: (u64, u64), _: (u64, u64)) -> io::Result<()> {
    Ok(())
}

/// `file`, a shard's table of kind `S`, opened after its header, which must be this version's.
fn shard_rows<S: Row>(file: &Path) -> Result<BufReader<File>> {
    let read_error = |source| Error::Read { path: file.to_path_buf(), source };
    let mut reader = BufReader::with_capacity(1 << 16, File::open(file).map_err(read_error)?);
    if !starts_with_header::<S>(&mut reader).map_err(read_error)? {
        let message = "does not start with this version's header for that table: merge the folders of \
                       `marginalia analyze --shard K/N` runs made with this version"
            .into();
        return Err(Error::Shard { path: file.to_path_buf(), message });
    }
    Ok(reader)
}

/// The function a [`Table::rewrite`] passes rows through.
trait Edit: Fn(Range<u64>, &mut dyn BufRead, &mut dyn Write) -> io::Result<()> + Sync {}
impl<E: Fn(Range<u64>, &mut dyn BufRead, &mut dyn Write) -> io::Result<()> + Sync> Edit for E {}

/// Passes the rows of each of `files` (shards' tables of kind `S`, [`Table::defer_file`]; the first row of the
/// first numbered `first` in the table at `path`) through `edit` into `out`, one file at a time.
fn edit_files<S: Row>(
    files: &[(PathBuf, u64)],
    first: u64,
    out: &mut dyn Write,
    path: &Path,
    edit: &impl Edit,
) -> Result<()> {
    let mut start = first;
    for (file, rows) in files {
        let mut reader = shard_rows::<S>(file)?;
        edit(start..start + rows, &mut reader, out).map_err(|source| match source.kind() {
            // The edit's word on rows it cannot take: the shard's table is not what its shard wrote.
            io::ErrorKind::InvalidData => {
                Error::Shard { path: file.clone(), message: format!("is damaged: {source}; run that shard again") }
            }
            _ => Error::Output { path: path.into(), source },
        })?;
        start += rows;
    }
    Ok(())
}

/// [`edit_files`] into a new temporary file in `dir`, without a header: the later half of a [`Table::rewrite`].
fn edited<S: Row>(
    files: &[(PathBuf, u64)],
    first: u64,
    (dir, path): (&Path, &Path),
    edit: &impl Edit,
) -> Result<NamedTempFile> {
    let mut out = BufWriter::with_capacity(1 << 16, temporary(dir)?);
    edit_files::<S>(files, first, &mut out, path, edit)?;
    out.into_inner().map_err(|e| Error::Output { path: path.into(), source: e.into_error() })
}

/// `edit` of a table's own rows from `mark` to row `rows` (the end of `file`, the table's file) into a new temporary
/// file in `dir`, without a header: the later half of a [`Table::rewrite`] of a table with no shard tables.
fn edited_from(
    file: &NamedTempFile,
    mark: Mark,
    rows: u64,
    (dir, path): (&Path, &Path),
    edit: &impl Edit,
) -> Result<NamedTempFile> {
    let output_error = |source| Error::Output { path: path.into(), source };
    let mut reader = file.reopen().map_err(output_error)?;
    reader.seek(io::SeekFrom::Start(mark.bytes)).map_err(output_error)?;
    let mut out = BufWriter::with_capacity(1 << 16, temporary(dir)?);
    edit(mark.rows..rows, &mut BufReader::with_capacity(1 << 16, reader), &mut out).map_err(output_error)?;
    out.into_inner().map_err(|e| output_error(e.into_error()))
}

/// Copies the rest of `reader` (reading `file`) to `out`, the table at `path`: from file to file in the kernel
/// ([`WriteBehind::copy_from`]), where an error may be either file's, so it names both.
fn copy_rows(reader: &mut BufReader<File>, file: &Path, out: &mut Out, path: &Path) -> Result<()> {
    match out {
        Out::File(out) => {
            let copied = out.flush().and_then(|()| out.get_mut().copy_from(reader));
            copied.map_err(|e| Error::Output {
                path: path.to_path_buf(),
                source: io::Error::new(e.kind(), format!("copying the rows of {}: {e}", file.display())),
            })
        }
        // Memory takes any bytes: only reading can fail.
        Out::Memory(bytes) => match reader.read_to_end(bytes) {
            Ok(_) => Ok(()),
            Err(source) => Err(Error::Read { path: file.to_path_buf(), source }),
        },
    }
}

/// How many rows `files` (deferred shards' tables, [`Table::defer_file`]) hold together.
fn rows_of(files: &[(PathBuf, u64)]) -> u64 {
    files.iter().map(|(_, rows)| rows).sum()
}

/// Whether what `reader` reads next is the header of table `S` (reading no further than a header's length).
pub(crate) fn starts_with_header<S: Row>(reader: &mut impl BufRead) -> io::Result<bool> {
    let expected = CsvSink::<_, S>::new(Vec::new(), Cells::Raw).finish()?;
    let mut header = Vec::new();
    io::Read::take(&mut *reader, expected.len() as u64 + 1).read_until(b'\n', &mut header)?;
    Ok(header == expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SPILL_BYTES;
    use crate::report::schema::VocabularyRow;

    fn row() -> VocabularyRow<'static> {
        VocabularyRow {
            document: "d",
            stem: "rememb",
            term: "remember",
            forms: "remember|remembered".into(),
            count: 3,
            per_10k: 12.5,
            rank: 1,
            stopword: false,
            first_sentence: 2,
            tf_idf: None,
        }
    }

    /// Publishes `table` alone; returns its path.
    fn persist<S: Row>(table: Table<S>, dir: &Path) -> PathBuf {
        let mut publication = Publication::new(dir);
        table.stage(&mut publication).unwrap();
        publication.publish().unwrap().pop().unwrap()
    }

    #[test]
    fn table_appears_only_when_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        t.write(&row()).unwrap();
        assert!(!dir.path().join("vocabulary.csv").exists());
        let path = persist(t, dir.path());
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            "document,stem,term,forms,count,per_10k,rank,stopword,first_sentence,tf_idf\nd,rememb,remember,remember|remembered,3,12.5,1,false,2,\n"
        );
    }

    #[test]
    fn a_huge_documents_rows_wait_in_a_file_and_come_out_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let (mut small, mut big) = (
            RowBuffer::<VocabularyRow>::new(Cells::Safe),
            RowBuffer::<VocabularyRow>::spilling(Cells::Safe, dir.path()),
        );
        let rows = SPILL_BYTES / 40; // rows of 52 to 58 bytes
        for rank in 0..rows {
            let row = VocabularyRow { count: rank as u32, ..row() };
            small.write(&row).unwrap();
            big.write(&row).unwrap();
        }
        let Rendered::Memory { bytes: expected, .. } = small.into_rendered().unwrap() else {
            panic!("an in-memory buffer spilled")
        };
        assert!(expected.len() > SPILL_BYTES);
        let spilled = big.into_rendered().unwrap();
        assert!(matches!(spilled, Rendered::File { .. }), "{} bytes stayed in memory", expected.len());
        assert_eq!(spilled.rows(), rows as u64);
        let mut table = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        table.append(spilled).unwrap();
        let written = std::fs::read(persist(table, dir.path())).unwrap();
        assert_eq!(&written[written.len() - expected.len()..], expected);
        // Only the table is left: the spill file went when it was copied.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_block_that_cannot_be_written_out_is_an_error_not_a_silence() {
        // A pipe cannot be synced (ESPIPE): it stands in for a disk that fails as a block is written out.
        let (_reader, writer) = io::pipe().unwrap();
        let pipe = File::from(std::os::fd::OwnedFd::from(writer));
        let block = WRITE_BEHIND_BYTES;
        assert!(write_behind(&pipe, (0, block), (block, 2 * block)).is_err());
        assert!(write_behind(&pipe, (0, 0), (0, block)).is_err(), "starting a block's write-out");
        let file = tempfile::tempfile().unwrap();
        assert!(write_behind(&file, (0, 0), (0, 0)).is_ok());
    }

    #[test]
    fn a_table_written_behind_and_dropped_from_the_cache_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = RowBuffer::<VocabularyRow>::new(Cells::Safe);
        let mut table = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        // Three and a half blocks of rows of 52 to 58 bytes, a few not on any block's edge.
        let rows = (WRITE_BEHIND_BYTES as usize * 7 / 2) / 52;
        for rank in 0..rows {
            let row = VocabularyRow { count: rank as u32, ..row() };
            expected.write(&row).unwrap();
            table.write(&row).unwrap();
        }
        let Rendered::Memory { bytes: expected, .. } = expected.into_rendered().unwrap() else {
            panic!("an in-memory buffer spilled")
        };
        assert!(expected.len() as u64 > 3 * WRITE_BEHIND_BYTES);
        let written = std::fs::read(persist(table, dir.path())).unwrap();
        let header = b"document,stem,term,forms,count,per_10k,rank,stopword,first_sentence,tf_idf\n";
        assert_eq!(&written[..header.len()], header);
        assert!(written[header.len()..] == expected[..], "the table differs from its rows");
    }

    #[test]
    fn a_rewritten_table_keeps_its_header_and_takes_the_edited_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        for count in 1..=3 {
            t.write(&VocabularyRow { count, ..row() }).unwrap();
        }
        // The edit sees the three rows, not the header, and writes one line per row.
        t.rewrite(|_, rows, out| {
            for line in rows.lines() {
                writeln!(out, "{}", line?.len())?;
            }
            Ok(())
        })
        .unwrap();
        t.write(&row()).unwrap();
        let text = std::fs::read_to_string(persist(t, dir.path())).unwrap();
        let row = "d,rememb,remember,remember|remembered,3,12.5,1,false,2,";
        let header = "document,stem,term,forms,count,per_10k,rank,stopword,first_sentence,tf_idf";
        assert_eq!(text, format!("{header}\n{0}\n{0}\n{0}\n{row}\n", row.len()));
    }

    /// A shard's `vocabulary.csv` in `dir/name`, one row for each of `counts`.
    fn shard_table(dir: &Path, name: &str, counts: std::ops::RangeInclusive<u32>) -> (PathBuf, u64) {
        let folder = dir.join(name);
        std::fs::create_dir(&folder).unwrap();
        let mut t = Table::<VocabularyRow>::create(&folder, Cells::Raw).unwrap();
        counts.clone().for_each(|count| t.write(&VocabularyRow { count, ..row() }).unwrap());
        (persist(t, &folder), counts.count() as u64)
    }

    /// The count cell of each line of `text` after its header.
    fn counts(text: &str) -> Vec<String> {
        text.lines().skip(1).map(|line| line.split(',').nth(4).unwrap_or(line).to_string()).collect()
    }

    #[test]
    fn a_shard_table_longer_than_a_write_behind_block_is_copied_whole_after_the_rows_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let (file, rows) = shard_table(dir.path(), "a", 0..=180_000);
        let shard = std::fs::read_to_string(&file).unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        t.write(&VocabularyRow { count: 7, ..row() }).unwrap();
        t.append_file(&file, rows).unwrap();
        let text = std::fs::read_to_string(persist(t, dir.path())).unwrap();
        assert!(shard.len() as u64 > WRITE_BEHIND_BYTES, "{} bytes", shard.len());
        let (header, shard_rows) = shard.split_once('\n').unwrap();
        assert_eq!(text, format!("{header}\nd,rememb,remember,remember|remembered,7,12.5,1,false,2,\n{shard_rows}"));
    }

    #[test]
    fn deferred_shard_tables_are_rewritten_on_two_threads_each_told_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let shards = [shard_table(dir.path(), "a", 1..=2), shard_table(dir.path(), "b", 3..=5)];
        let shards = [shards[0].clone(), shards[1].clone(), shard_table(dir.path(), "c", 6..=6)];
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        t.write(&VocabularyRow { count: 0, ..row() }).unwrap();
        shards.iter().for_each(|(file, rows)| t.defer_file(file, *rows).unwrap());
        // Seven rows, passed one source at a time: the row written (0..1) and the first two shards' (1..3, 3..6)
        // on one thread, the third shard's (6..7) on the other.
        let ranges = [0..1, 1..3, 1..3, 3..6, 3..6, 3..6, 6..7];
        let expected: Vec<(Range<u64>, u32)> = ranges.into_iter().zip(0..).collect();
        assert_eq!(rewritten(t, dir.path()), expected);
    }

    /// Appends `documents` documents' rows, `per_document` each, their counts numbering them from 0: with 40 of
    /// 1,000, about 2.3 MB, marks every MiB or so.
    fn append_documents(t: &mut Table<VocabularyRow>, documents: u32, per_document: u32) {
        for d in 0..documents {
            let mut rendered = RowBuffer::<VocabularyRow>::new(Cells::Raw);
            for r in 0..per_document {
                rendered.write(&VocabularyRow { count: d * per_document + r, ..row() }).unwrap();
            }
            t.append(rendered.into_rendered().unwrap()).unwrap();
        }
    }

    /// Rewrites `t` with an edit that writes, for each row, the rows it was told of and the row's count; then
    /// persists it in `dir` and reads those back, one (range, count) per row.
    fn rewritten(mut t: Table<VocabularyRow>, dir: &Path) -> Vec<(Range<u64>, u32)> {
        t.rewrite(|range, rows, out| {
            for line in rows.lines() {
                writeln!(out, "{} {} {}", range.start, range.end, line?.split(',').nth(4).unwrap_or_default())?;
            }
            Ok(())
        })
        .unwrap();
        let text = std::fs::read_to_string(persist(t, dir)).unwrap();
        let number = |cell: Option<&str>| cell.unwrap().parse::<u64>().unwrap();
        let row = |line: &str| {
            let mut cells = line.split(' ');
            let range = number(cells.next())..number(cells.next());
            (range, number(cells.next()) as u32)
        };
        text.lines().skip(1).map(row).collect()
    }

    #[test]
    fn a_tables_bytes_are_its_files_whether_held_in_memory_or_in_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let fill = |mut t: Table<VocabularyRow>| {
            append_documents(&mut t, 2, 3);
            t.write(&VocabularyRow { count: 99, ..row() }).unwrap();
            t
        };
        let persisted =
            std::fs::read(persist(fill(Table::create(dir.path(), Cells::Raw).unwrap()), dir.path())).unwrap();
        assert_eq!(counts(std::str::from_utf8(&persisted).unwrap()), ["0", "1", "2", "3", "4", "5", "99"]);
        let from_file = fill(Table::create(dir.path(), Cells::Raw).unwrap()).into_bytes().unwrap();
        let from_memory = fill(Table::in_memory(Cells::Raw).unwrap()).into_bytes().unwrap();
        assert_eq!((from_file.as_ref(), from_memory.as_ref()), (Some(&persisted), Some(&persisted)));
        let left_out = Table::<VocabularyRow>::create_unless(Place::Memory, Cells::Raw, true).unwrap();
        assert_eq!(left_out.into_bytes().unwrap(), None);
    }

    #[test]
    fn a_shard_table_appended_to_a_table_in_memory_follows_its_rows_as_in_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let (file, rows) = shard_table(dir.path(), "a", 1..=3);
        let fill = |mut t: Table<VocabularyRow>| {
            t.write(&VocabularyRow { count: 9, ..row() }).unwrap();
            t.append_file(&file, rows).unwrap();
            t.into_bytes().unwrap().unwrap()
        };
        let in_memory = fill(Table::in_memory(Cells::Raw).unwrap());
        assert_eq!(counts(std::str::from_utf8(&in_memory).unwrap()), ["9", "1", "2", "3"]);
        assert_eq!(in_memory, fill(Table::create(dir.path(), Cells::Raw).unwrap()));
    }

    #[test]
    fn a_table_in_memory_is_rewritten_and_staged_as_one_in_a_file_is() {
        let dir = tempfile::tempdir().unwrap();
        let (file, rows) = shard_table(dir.path(), "a", 1..=2);
        let fill = |mut t: Table<VocabularyRow>| {
            append_documents(&mut t, 3, 5);
            t.write(&VocabularyRow { count: 99, ..row() }).unwrap();
            t.defer_file(&file, rows).unwrap();
            t
        };
        // Staged into a folder of its own: the shard's table stays as it was for the second rewrite.
        let elsewhere = tempfile::tempdir().unwrap();
        let in_memory = rewritten(fill(Table::in_memory(Cells::Raw).unwrap()), elsewhere.path());
        // Its own 16 rows told 0..16, then the deferred table's two told 16..18.
        let expected: Vec<(Range<u64>, u32)> =
            (0..15).chain([99]).map(|count| (0..16, count)).chain([(16..18, 1), (16..18, 2)]).collect();
        assert_eq!(in_memory, expected);
        assert_eq!(rewritten(fill(Table::create(dir.path(), Cells::Raw).unwrap()), dir.path()), expected);
    }

    #[test]
    fn own_rows_and_a_deferred_table_after_them_keep_their_order_in_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        append_documents(&mut t, 40, 1000);
        let (file, rows) = shard_table(dir.path(), "a", 1..=2);
        t.defer_file(&file, rows).unwrap();
        let counts: Vec<u32> = rewritten(t, dir.path()).into_iter().map(|(_, count)| count).collect();
        assert_eq!(counts, (0..40_000).chain(1..=2).collect::<Vec<_>>());
    }

    #[test]
    fn a_tables_own_rows_are_rewritten_in_two_halves_cut_where_a_document_starts() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        let (documents, per_document) = (40, 1000);
        append_documents(&mut t, documents, per_document);
        let lines = rewritten(t, dir.path());
        let total = documents * per_document;
        // Every row once, in order, each part given exactly the rows it was told of.
        assert_eq!(lines.iter().map(|l| l.1).collect::<Vec<_>>(), (0..total).collect::<Vec<_>>());
        assert!(lines.iter().all(|(range, count)| range.contains(&u64::from(*count))));
        let cut =
            lines.iter().find(|l| l.0.start > 0).map(|l| l.0.start as u32).expect("the rows were passed in two parts");
        assert_eq!(cut % per_document, 0, "cut inside a document");
        assert!((total / 3..2 * total / 3).contains(&cut), "cut at row {cut} of {total}, far from the middle");
    }

    #[test]
    fn deferred_rows_keep_their_place_when_the_table_is_written_without_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let (file, rows) = shard_table(dir.path(), "a", 1..=2);
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        t.write(&VocabularyRow { count: 0, ..row() }).unwrap();
        t.defer_file(&file, rows).unwrap();
        t.write(&VocabularyRow { count: 3, ..row() }).unwrap();
        t.defer_file(&file, rows).unwrap();
        // A document's rows appended whole come after the deferred rows too.
        let mut rendered = RowBuffer::<VocabularyRow>::new(Cells::Raw);
        rendered.write(&VocabularyRow { count: 4, ..row() }).unwrap();
        t.append(rendered.into_rendered().unwrap()).unwrap();
        let text = std::fs::read_to_string(persist(t, dir.path())).unwrap();
        assert_eq!(counts(&text), ["0", "1", "2", "3", "1", "2", "4"]);
    }

    #[test]
    fn a_deferred_table_of_another_kind_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("other.csv");
        std::fs::write(&file, "document,stem\nd,rememb\n").unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Raw).unwrap();
        let error = t.defer_file(&file, 1).unwrap_err().to_string();
        assert!(error.contains("other.csv") && error.contains("header"), "{error}");
    }

    #[test]
    fn dropped_table_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let t = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        drop(t);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
