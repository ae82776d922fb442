//! One CSV writer for every row type, and tables (and charts) written atomically: rows go to a temporary file in the output
//! folder, which is renamed over the final name only when the whole run has succeeded. An interrupted or failed
//! run leaves the previous tables untouched and no half-written one.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

use crate::error::{Error, Result};
use crate::report::cells::{Cells, Safe};
use crate::report::schema::Row;

/// Writes rows of the table `S` (a [`Row`] type, `'static` for rows that borrow) as CSV to any writer, header
/// first.
pub struct CsvSink<W: Write, S> {
    writer: csv::Writer<W>,
    cells: Cells,
    schema: PhantomData<fn(&S)>,
}

impl<W: Write, S: Row> CsvSink<W, S> {
    /// Starts a table on `out`, writing the header at once; text cells are written as `cells` says.
    pub fn new(out: W, cells: Cells) -> io::Result<Self> {
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(out);
        writer.write_record(S::COLUMNS).map_err(into_io)?;
        Ok(CsvSink { writer, cells, schema: PhantomData })
    }

    /// Writes one row (borrowing from any document).
    pub fn write<R: Row<Schema = S::Schema>>(&mut self, row: &R) -> io::Result<()> {
        match self.cells {
            Cells::Safe => self.writer.serialize(Safe(row)),
            Cells::Raw => self.writer.serialize(row),
        }
        .map_err(into_io)
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// The csv crate wraps I/O errors; unwrap them so a broken pipe stays recognisable.
pub fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Rows of the table `S` rendered as CSV without a header, in whatever thread made them, to be appended to their
/// [`Table`] in order.
pub struct RowBuffer<S> {
    sink: CsvSink<Spill, S>,
    /// Rows are not rendered: the table is left out (`--skip-tables`).
    discarding: bool,
}

impl<S: Row> RowBuffer<S> {
    /// An empty buffer in memory; text cells are written as `cells` says.
    pub fn new(cells: Cells) -> Self {
        Self::with(Spill { bytes: Vec::new(), file: None, dir: None }, cells)
    }

    /// An empty buffer that moves to a hidden temporary file in `dir` once it holds [`SPILL_BYTES`], so the
    /// rows of a huge document do not wait in memory for their turn beside the document itself.
    pub fn spilling(cells: Cells, dir: &Path) -> Self {
        Self::with(Spill { bytes: Vec::new(), file: None, dir: Some(dir.to_path_buf()) }, cells)
    }

    /// A buffer for a table left out: rows given to it are dropped unrendered, and it renders as no rows.
    pub fn discarding(cells: Cells) -> Self {
        RowBuffer { discarding: true, ..Self::new(cells) }
    }

    fn with(spill: Spill, cells: Cells) -> Self {
        let writer = csv::WriterBuilder::new().has_headers(false).from_writer(spill);
        RowBuffer { sink: CsvSink { writer, cells, schema: PhantomData }, discarding: false }
    }

    /// Renders one row. Rendering into memory fails only for a row type that cannot be written as CSV.
    pub fn write<R: Row<Schema = S::Schema>>(&mut self, row: &R) -> io::Result<()> {
        if self.discarding {
            return Ok(());
        }
        self.sink.write(row)
    }

    /// Renders every row.
    pub fn write_all<'r, R: Row<Schema = S::Schema> + 'r>(
        &mut self,
        rows: impl IntoIterator<Item = &'r R>,
    ) -> io::Result<()> {
        rows.into_iter().try_for_each(|row| self.write(row))
    }

    /// The rendered rows.
    pub fn into_rendered(self) -> io::Result<Rendered> {
        let Spill { bytes, file, .. } = self.sink.finish()?;
        Ok(match file {
            Some(file) => Rendered::File(file.into_temp_path()),
            None => Rendered::Memory(bytes),
        })
    }
}

/// A document's rows of one table that fill more bytes than this wait in a temporary file rather than in memory:
/// only documents of megabytes (a novel) have such tables; a review's take kilobytes.
pub const SPILL_BYTES: usize = 4 << 20;

/// Rows rendered by a [`RowBuffer`]: in memory, or (past [`SPILL_BYTES`]) in a hidden temporary file.
#[derive(Debug)]
pub enum Rendered {
    /// The rows' bytes.
    Memory(Vec<u8>),
    /// A closed file holding them (so documents waiting for their turn hold no file open), removed when this is
    /// dropped.
    File(TempPath),
}

impl Default for Rendered {
    fn default() -> Self {
        Rendered::Memory(Vec::new())
    }
}

/// Where a [`RowBuffer`] renders: memory, then, if it may spill and grows past [`SPILL_BYTES`], a file.
struct Spill {
    bytes: Vec<u8>,
    file: Option<NamedTempFile>,
    /// The folder for the file; `None` for a buffer that stays in memory.
    dir: Option<PathBuf>,
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(dir) = &self.dir
            && self.file.is_none()
            && self.bytes.len() + buf.len() > SPILL_BYTES
        {
            let mut file = hidden_temporary(dir)?;
            file.write_all(&self.bytes)?;
            (self.bytes, self.file) = (Vec::new(), Some(file));
        }
        match &mut self.file {
            Some(file) => file.write_all(buf)?,
            None => self.bytes.extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |file| file.flush())
    }
}

/// A table being written into an output folder, invisible under its final name until [`Table::persist`]; or a
/// table the run leaves out, which takes rows and writes nothing.
pub struct Table<S> {
    /// Rows written one by one are rendered here, then copied to `out` in blocks.
    rows: RowBuffer<S>,
    /// Rows in `rows`.
    buffered: usize,
    /// `None` for a table left out.
    out: Option<BufWriter<WriteBehind>>,
    path: PathBuf,
}

impl<S: Row> Table<S> {
    /// Starts `S::FILE` in `dir` (which must exist), its text cells written as `cells` says.
    pub fn create(dir: &Path, cells: Cells) -> Result<Self> {
        let path = dir.join(S::FILE);
        let file = WriteBehind { file: temporary(dir)?, written: 0, started: 0, dropped: 0 };
        let header = CsvSink::<_, S>::new(BufWriter::new(file), cells).and_then(|sink| sink.finish());
        let out = header.map_err(|source| Error::Output { path: dir.to_path_buf(), source })?;
        Ok(Table { rows: RowBuffer::new(cells), buffered: 0, out: Some(out), path })
    }

    /// [`Table::create`], or, when `leave_out` (`--skip-tables`), a table that drops the rows given to it and
    /// writes nothing. (An earlier run's table of that name is for [`remove_table`] to take away once the run has
    /// succeeded.)
    pub fn create_unless(dir: &Path, cells: Cells, leave_out: bool) -> Result<Self> {
        if !leave_out {
            return Self::create(dir, cells);
        }
        Ok(Table { rows: RowBuffer::new(cells), buffered: 0, out: None, path: dir.join(S::FILE) })
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
        if self.buffered > 0 {
            self.drain()?;
        }
        let Some(out) = &mut self.out else { return Ok(()) };
        let written = match rows {
            Rendered::Memory(bytes) => out.write_all(&bytes),
            Rendered::File(path) => File::open(&path).and_then(|mut file| io::copy(&mut file, out).map(drop)),
        };
        written.map_err(|source| self.output_error(source))
    }

    /// Appends the rows of `file`, a table of the same kind (a shard's, for `marginalia merge`), after checking
    /// that its header is this table's.
    pub fn append_file(&mut self, file: &Path) -> Result<()> {
        if self.is_left_out() {
            return Ok(());
        }
        let read_error = |source| Error::Read { path: file.to_path_buf(), source };
        let mut reader = BufReader::with_capacity(1 << 16, File::open(file).map_err(read_error)?);
        if !starts_with_header::<S>(&mut reader).map_err(read_error)? {
            let message = "does not start with this version's header for that table: merge the folders of \
                           `marginalia analyze --shard K/N` runs made with this version"
                .into();
            return Err(Error::Shard { path: file.to_path_buf(), message });
        }
        if self.buffered > 0 {
            self.drain()?;
        }
        let Some(out) = &mut self.out else { return Ok(()) };
        loop {
            let block = reader.fill_buf().map_err(read_error)?;
            if block.is_empty() {
                return Ok(());
            }
            let length = block.len();
            out.write_all(block).map_err(|source| Error::Output { path: self.path.clone(), source })?;
            reader.consume(length);
        }
    }

    /// Moves the rows rendered so far to the file.
    fn drain(&mut self) -> Result<()> {
        self.buffered = 0;
        let fresh = RowBuffer::new(self.rows.sink.cells);
        let rows = std::mem::replace(&mut self.rows, fresh);
        let rendered = rows.into_rendered().map_err(|source| self.output_error(source))?;
        self.append(rendered)
    }

    fn output_error(&self, source: io::Error) -> Error {
        Error::Output { path: self.path.clone(), source }
    }

    /// Flushes the table and moves it to its final name, replacing an older table there; `None` for a table left
    /// out, which writes nothing.
    pub fn persist(mut self) -> Result<Option<PathBuf>> {
        self.drain()?;
        let Table { out, path, .. } = self;
        let Some(out) = out else { return Ok(None) };
        let tmp = out.into_inner().map_err(|e| Error::Output { path: path.clone(), source: e.into_error() })?;
        persist(tmp.file, &path)?;
        Ok(Some(path))
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

impl Write for WriteBehind {
    /// Fails also when a block written earlier could not be written out: the kernel reports that once, to the
    /// first call that waits for it, so the final `sync_all` would not hear of it.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= WRITE_BEHIND_BYTES {
            write_behind(self.file.as_file(), (self.dropped, self.started), (self.started, self.written))?;
            (self.dropped, self.started) = (self.started, self.written);
        }
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

/// Whether what `reader` reads next is the header of table `S` (reading no further than a header's length).
fn starts_with_header<S: Row>(reader: &mut impl BufRead) -> io::Result<bool> {
    let expected = CsvSink::<_, S>::new(Vec::new(), Cells::Raw).and_then(|sink| sink.finish())?;
    let mut header = Vec::new();
    io::Read::take(&mut *reader, expected.len() as u64 + 1).read_until(b'\n', &mut header)?;
    Ok(header == expected)
}

/// Removes `dir`'s `S::FILE` if it is a table of that kind (a regular file, not a link, starting with its header):
/// an earlier run's table, which a run that left it out (`--skip-tables`) must not leave beside tables it does not
/// go with. Anything else of that name, or a file that cannot be read, is the user's and stays. Called once the
/// run has succeeded; fails only when such a table cannot be removed.
pub fn remove_table<S: Row>(dir: &Path) -> Result<()> {
    let path = dir.join(S::FILE);
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let ours = File::open(&path).and_then(|file| starts_with_header::<S>(&mut BufReader::new(file)));
    if !ours.unwrap_or(false) {
        return Ok(());
    }
    match std::fs::remove_file(&path) {
        Err(source) if source.kind() != io::ErrorKind::NotFound => Err(Error::Output { path, source }),
        _ => Ok(()),
    }
}

/// A hidden temporary file in `dir`, removed if dropped before [`persist`].
pub(crate) fn temporary(dir: &Path) -> Result<NamedTempFile> {
    hidden_temporary(dir).map_err(|source| Error::Output { path: dir.to_path_buf(), source })
}

/// A temporary file in `dir` named `.marginalia-*.tmp`, removed when dropped.
fn hidden_temporary(dir: &Path) -> io::Result<NamedTempFile> {
    tempfile::Builder::new().prefix(".marginalia-").suffix(".tmp").tempfile_in(dir)
}

/// Moves a finished temporary file over `path`, replacing what was there.
pub(crate) fn persist(tmp: NamedTempFile, path: &Path) -> Result<()> {
    let output_error = |source| Error::Output { path: path.to_path_buf(), source };
    tmp.as_file().sync_all().map_err(output_error)?;
    // Temporary files are private (0600); an output is as readable as any file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(output_error)?;
    }
    tmp.persist(path).map_err(|e| output_error(e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` (whose folder must exist) through a temporary file, so the file is either the old
/// one or the new one, never half of either.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = temporary(dir)?;
    tmp.write_all(bytes).map_err(|source| Error::Output { path: path.to_path_buf(), source })?;
    persist(tmp, path)
}

/// Creates the output folder if needed and checks it is a folder. Returns the folders it created, outermost first,
/// for [`remove_new_dirs`] to take away if the run fails.
pub fn prepare_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        let source = io::Error::new(io::ErrorKind::AlreadyExists, "it is a file, not a folder");
        return Err(Error::Output { path: dir.to_path_buf(), source });
    }
    // One part at a time, as the path is written, so that `..` after a new folder is that folder's parent.
    let mut created = Vec::new();
    let mut path = PathBuf::new();
    for part in dir.components() {
        path.push(part);
        if !path.exists() {
            match std::fs::create_dir(&path) {
                Ok(()) => created.push(path.clone()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
                Err(source) => {
                    remove_new_dirs(&created);
                    return Err(Error::Output { path: dir.to_path_buf(), source });
                }
            }
        }
    }
    Ok(created)
}

/// The file a run holds locked in its output folder while it writes there, so that two runs into one folder cannot
/// mix their tables. Removed when the run ends.
pub const LOCK_FILE: &str = ".marginalia.lock";

/// An output folder held by this run against others, from [`OutputLock::take`] until dropped.
#[derive(Debug)]
pub struct OutputLock {
    /// Open, and locked where the file system can lock files.
    _file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the folder `dir` (which exists) for this run, or says that another run is writing there. Once it is
    /// held, whatever runs killed there left behind (files and folders of exact tempfile names) is removed. Where
    /// the file system cannot lock files, the folder is used without a lock and nothing is removed.
    pub fn take(dir: &Path) -> Result<OutputLock> {
        let output_error = |source| Error::Output { path: dir.to_path_buf(), source };
        let path = dir.join(LOCK_FILE);
        // Another run may remove the file between our opening and locking it (it does so as it ends): then the
        // lock is on a file no longer there, and is taken again.
        let open =
            |write| std::fs::OpenOptions::new().read(true).write(write).create(write).truncate(false).open(&path);
        for _ in 0..8 {
            // A lock file another user's killed run left can be locked read-only.
            let file = match open(true) {
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied && path.exists() => open(false),
                opened => opened,
            }
            .map_err(output_error)?;
            match file.try_lock() {
                Ok(()) if is_at(&file, &path) => {
                    remove_leftovers(dir);
                    return Ok(OutputLock { _file: file, path });
                }
                Ok(()) => continue,
                Err(std::fs::TryLockError::WouldBlock) => break,
                Err(std::fs::TryLockError::Error(_)) => return Ok(OutputLock { _file: file, path }),
            }
        }
        let busy = "another marginalia run is writing to this folder; wait for it to finish";
        Err(output_error(io::Error::new(io::ErrorKind::ResourceBusy, busy)))
    }
}

impl Drop for OutputLock {
    /// Removes the lock file while still holding it; closing the file then lets it go.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether `file` is still the file at `path`.
fn is_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Removes the temporary files and chart folders that killed runs left in `dir` (only a run holding the folder's
/// lock may: another's would be in use). What cannot be removed stays; it is hidden and harmless.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let (Some(name), Ok(kind)) = (entry.file_name().to_str().map(str::to_string), entry.file_type()) else {
            continue;
        };
        if kind.is_file() && is_leftover(&name, false) {
            let _ = std::fs::remove_file(entry.path());
        } else if kind.is_dir() && is_leftover(&name, true) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether `name` is one that a run gives its temporary files (`.marginalia-XXXXXX.tmp`) or chart folders
/// (`.marginalia-charts-XXXXXX`, `.marginalia-charts-old-XXXXXX`): `tempfile`'s six random letters and digits
/// exactly, so that nothing of the user's named alike is taken.
fn is_leftover(name: &str, folder: bool) -> bool {
    let random =
        |part: Option<&str>| part.is_some_and(|p| p.len() == 6 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if folder {
        let charts = name.strip_prefix(".marginalia-charts-");
        random(charts.and_then(|rest| rest.strip_prefix("old-")).or(charts))
    } else {
        random(name.strip_prefix(".marginalia-").and_then(|rest| rest.strip_suffix(".tmp")))
    }
}

/// Removes the folders [`prepare_dir`] created, innermost first, each only if it is empty: whatever else is there
/// is not this run's.
pub fn remove_new_dirs(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        }
    }

    #[test]
    fn table_appears_only_when_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        t.write(&row()).unwrap();
        assert!(!dir.path().join("vocabulary.csv").exists());
        let path = t.persist().unwrap().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            "document,stem,term,forms,count,per_10k,rank,stopword,first_sentence\nd,rememb,remember,remember|remembered,3,12.5,1,false,2\n"
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
        let Rendered::Memory(expected) = small.into_rendered().unwrap() else { panic!("an in-memory buffer spilled") };
        assert!(expected.len() > SPILL_BYTES);
        let spilled = big.into_rendered().unwrap();
        assert!(matches!(spilled, Rendered::File(_)), "{} bytes stayed in memory", expected.len());
        let mut table = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        table.append(spilled).unwrap();
        let written = std::fs::read(table.persist().unwrap().unwrap()).unwrap();
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
        let Rendered::Memory(expected) = expected.into_rendered().unwrap() else {
            panic!("an in-memory buffer spilled")
        };
        assert!(expected.len() as u64 > 3 * WRITE_BEHIND_BYTES);
        let written = std::fs::read(table.persist().unwrap().unwrap()).unwrap();
        let header = b"document,stem,term,forms,count,per_10k,rank,stopword,first_sentence\n";
        assert_eq!(&written[..header.len()], header);
        assert!(written[header.len()..] == expected[..], "the table differs from its rows");
    }

    #[test]
    fn dropped_table_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let t = Table::<VocabularyRow>::create(dir.path(), Cells::Safe).unwrap();
        drop(t);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn empty_table_still_has_its_header() {
        let sink = CsvSink::<Vec<u8>, VocabularyRow>::new(Vec::new(), Cells::Safe).unwrap();
        let bytes = sink.finish().unwrap();
        assert_eq!(bytes, b"document,stem,term,forms,count,per_10k,rank,stopword,first_sentence\n");
    }

    #[test]
    fn a_failed_run_takes_away_the_folders_it_made_and_no_others() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("keep/E")).unwrap();
        // `nope/..` is the parent of a folder made for the purpose, so `keep` is the one that already exists.
        let created = prepare_dir(&dir.path().join("nope/../keep/E/out")).unwrap();
        assert_eq!(created, [dir.path().join("nope"), dir.path().join("nope/../keep/E/out")]);
        assert!(dir.path().join("keep/E/out").is_dir());
        remove_new_dirs(&created);
        assert!(dir.path().join("keep/E").is_dir());
        assert!(!dir.path().join("keep/E/out").exists() && !dir.path().join("nope").exists());
    }

    #[test]
    fn a_folder_held_by_one_run_is_refused_to_another_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputLock::take(dir.path()).unwrap();
        let err = OutputLock::take(dir.path()).unwrap_err().to_string();
        assert!(err.contains("another marginalia run is writing to this folder"), "{err}");
        assert!(err.contains("choose another folder with --out"), "{err}");
        drop(first);
        assert!(!dir.path().join(LOCK_FILE).exists(), "the lock file outlived its run");
        let second = OutputLock::take(dir.path()).unwrap();
        drop(second);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn what_killed_runs_left_is_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path(".marginalia-a1B2c3.tmp"), "half a table").unwrap();
        std::fs::create_dir_all(path(".marginalia-charts-x9Y8z7/doc")).unwrap();
        std::fs::write(path(".marginalia-charts-x9Y8z7/doc/themes.png"), "png").unwrap();
        std::fs::create_dir(path(".marginalia-charts-old-Ab12Cd")).unwrap();
        for kept in [".marginalia-notes.txt", ".marginalia-mine.tmp", "mine.tmp", "vocabulary.csv"] {
            std::fs::write(path(kept), "the user's").unwrap();
        }
        for kept in ["charts", ".marginalia-charts-mine", ".marginalia-charts-old-my-drafts"] {
            std::fs::create_dir(path(kept)).unwrap();
        }
        // A killed run's lock file is not locked: it is taken over.
        std::fs::write(path(LOCK_FILE), "").unwrap();
        let lock = OutputLock::take(dir.path()).unwrap();
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".marginalia-charts-mine",
                ".marginalia-charts-old-my-drafts",
                ".marginalia-mine.tmp",
                ".marginalia-notes.txt",
                LOCK_FILE,
                "charts",
                "mine.tmp",
                "vocabulary.csv"
            ]
        );
        drop(lock);
    }

    #[test]
    fn output_that_is_a_file_is_refused() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let err = prepare_dir(file.path()).unwrap_err();
        assert!(err.to_string().contains("choose another folder with --out"), "{err}");
    }
}
