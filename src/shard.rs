//! Shards: one corpus cut into N slices, analysed apart (on the nodes of a cluster), then merged into exactly what
//! one run over the whole corpus writes.
//!
//! `analyze --shard K/N` numbers the documents of its inputs as a whole run would (every file and every table row,
//! readable or not) and analyses the K-th of N contiguous slices of that numbering. It writes its documents' rows
//! of the per-document tables and, in [`STATE_FILE`], what the corpus-level tables need of each document (its word
//! and n-gram counts, its group sums, its theme rows for the heatmap), in input order. `marginalia merge` copies
//! the shards' rows in shard order (contiguous slices keep input order) and adds their counts to one corpus in the
//! order one run does, so every table comes out the same, byte for byte.
//!
//! ```
//! use marginalia::shard::Shard;
//! let shard: Shard = "2/3".parse().unwrap();
//! assert_eq!(shard.slice(10), 3..6);
//! assert!("4/3".parse::<Shard>().is_err());
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::output::{Publication, temporary, while_running};

/// One slice of a corpus cut into `count`: the `index`-th, counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    /// The `index`-th of `count` slices; `index` runs from 1 to `count`.
    pub fn new(index: usize, count: usize) -> std::result::Result<Shard, String> {
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index}/{count} does not exist: K/N needs 1 ≤ K ≤ N, as in --shard 2/8"));
        }
        Ok(Shard { index, count })
    }

    /// Which slice, from 1.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Of how many.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The numbers (from 0) of the documents it analyses, of `items` in all: contiguous, as even as can be, and
    /// together every number once.
    pub fn slice(&self, items: usize) -> Range<usize> {
        let at = |k: usize| (items as u128 * k as u128 / self.count as u128) as usize;
        at(self.index - 1)..at(self.index)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N`, as in `--shard 2/8`.
    fn from_str(text: &str) -> std::result::Result<Shard, String> {
        let number = |part: &str| part.trim().parse::<usize>().ok();
        match text.split_once('/').map(|(k, n)| (number(k), number(n))) {
            Some((Some(index), Some(count))) => Shard::new(index, count),
            _ => Err(format!("'{text}' is not a shard: write K/N, the K-th of N slices, as in --shard 2/8")),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The file in a shard's output folder that `marginalia merge` reads besides its tables.
pub const STATE_FILE: &str = "shard.bin";

/// The first and last bytes of a state file, with the format's version: another format is refused, not misread.
/// The last are written only when the state is complete, so a state cut short is refused before a merge begins.
/// Change the digit when anything written in a state changes its layout: the test
/// `the_layout_of_shard_bin_cannot_change_without_a_new_magic` (in `run/analyze.rs`) pins the layout and fails
/// until you do.
pub(crate) const MAGIC: &[u8; 8] = b"mrgshrd9";

/// What a state file starts with: which shard of which run, and what `merge` needs to finish it (`S`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Header<S> {
    /// The marginalia version that wrote it.
    pub version: String,
    /// Which shard it is.
    pub shard: Shard,
    /// Documents (readable or not) in the whole run: what was sliced.
    pub items: usize,
    /// A hash of the inputs (their names, sizes and times) and the options, so shards of different runs, or of
    /// inputs changed between shards, are not merged.
    pub fingerprint: u64,
    /// What finishing the run needs of its options.
    pub settings: S,
}

/// A document's entry in a state file, after the header, in input order; the [`Totals`] come last.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Entry<R> {
    /// A document's record.
    Document(R),
    /// The end of the documents.
    End,
}

/// What a shard wrote, kept at the end of its state (and found from the end when it is opened), so a merge
/// checks a shard's folder before it writes anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Totals {
    /// Documents analysed.
    pub documents: usize,
    /// Their bytes of text.
    pub bytes: usize,
    /// Inputs the shard skipped.
    pub skipped: usize,
    /// Chart files under its `charts/`; `None` when charts were not drawn (`--charts none`: whatever is there is
    /// an older run's, and merge copies none).
    pub charts: Option<usize>,
    /// Each table's file name and size: a table written again after the shard (say, by a run without `--shard`
    /// into the same folder) no longer matches.
    pub tables: Vec<(String, u64)>,
}

/// A state file being written; it appears under [`STATE_FILE`] only when the [`Publication`] that
/// [`StateWriter::stage`] adds it to is published.
pub(crate) struct StateWriter {
    out: BufWriter<NamedTempFile>,
    path: PathBuf,
    /// Bytes written so far.
    written: u64,
    frame: Vec<u8>,
}

impl StateWriter {
    /// Starts the state in `dir` with its header.
    pub fn create<S: Serialize>(dir: &Path, header: &Header<S>) -> Result<Self> {
        let path = dir.join(STATE_FILE);
        let mut writer = StateWriter { out: BufWriter::new(temporary(dir)?), path, written: 0, frame: Vec::new() };
        writer.put(MAGIC)?;
        writer.write(header)?;
        Ok(writer)
    }

    /// Appends one frame: the length of its postcard encoding (8 bytes, little-endian), the encoding's CRC-32 (4
    /// bytes), then the encoding.
    pub fn write<T: Serialize>(&mut self, entry: &T) -> Result<()> {
        let mut frame = std::mem::take(&mut self.frame);
        frame.clear();
        frame = postcard::to_extend(entry, frame).map_err(|e| self.error(io::Error::other(e)))?;
        self.put(&(frame.len() as u64).to_le_bytes())?;
        self.put(&crc32fast::hash(&frame).to_le_bytes())?;
        self.put(&frame)?;
        self.frame = frame;
        Ok(())
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(|source| Error::Output { path: self.path.clone(), source })?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Ends the documents, writes the totals and where they start, then the closing magic bytes, and adds the
    /// state to `publication`, which moves it to its final name (last: it vouches for the files before it).
    pub fn stage(mut self, totals: &Totals, publication: &mut Publication) -> Result<()> {
        self.write(&Entry::<()>::End)?;
        let at = self.written;
        self.write(totals)?;
        self.put(&at.to_le_bytes())?;
        self.put(MAGIC)?;
        let StateWriter { out, path, .. } = self;
        let file = out.into_inner().map_err(|e| Error::Output { path: path.clone(), source: e.into_error() })?;
        publication.file(file, path);
        Ok(())
    }

    /// [`StateWriter::stage`], and the state published alone; returns its path.
    #[cfg(test)]
    pub fn persist(self, totals: &Totals) -> Result<PathBuf> {
        let mut publication = Publication::new(self.path.parent().unwrap_or(Path::new(".")));
        self.stage(totals, &mut publication)?;
        Ok(publication.publish()?.remove(0))
    }

    fn error(&self, source: io::Error) -> Error {
        Error::Output { path: self.path.clone(), source }
    }
}

/// A shard's folder, its state's header and totals read.
#[derive(Debug)]
pub(crate) struct ShardFolder<S> {
    /// The shard's output folder.
    pub dir: PathBuf,
    /// Its state's header.
    pub header: Header<S>,
    /// Its state's totals.
    pub totals: Totals,
}

/// A shard's state opened for reading its documents' records, after its header.
pub(crate) struct StateReader {
    frames: Frames,
}

/// Why a state that stops before its end is refused.
const CUT_SHORT: &str =
    "ends early: its shard was stopped before it finished, or the file was cut; run that shard again";

impl<S: DeserializeOwned> ShardFolder<S> {
    /// Opens the state in the shard folder `dir`: its header, and its totals from the end.
    pub fn open(dir: &Path) -> Result<(Self, StateReader)> {
        let not_a_shard = |what: &str| Error::Shard {
            path: dir.to_path_buf(),
            message: format!("{what}: give merge the --out folders of `marginalia analyze --shard K/N` runs"),
        };
        if !dir.is_dir() {
            return Err(not_a_shard(if dir.exists() { "is not a folder" } else { "no such folder" }));
        }
        let path = dir.join(STATE_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(not_a_shard(&format!("no {STATE_FILE} here"))),
            Err(source) => return Err(Error::Read { path, source }),
        };
        let length = file.metadata().map_err(|source| Error::Read { path: path.clone(), source })?.len();
        let mut frames = Frames { path, reader: BufReader::new(file), left: length, frame: Vec::new() };
        let mut first = [0; MAGIC.len()];
        if length >= MAGIC.len() as u64 && (frames.read_exact(&mut first).is_err() || &first != MAGIC) {
            return Err(frames.error("is not a shard state of this version of marginalia; run the shards again"));
        }
        // The end: where the totals start, then the magic bytes.
        let mut end = [0; 8 + MAGIC.len()];
        let footer = length.checked_sub(end.len() as u64).filter(|&at| at >= MAGIC.len() as u64);
        let Some(footer) = footer else { return Err(frames.error(CUT_SHORT)) };
        frames
            .seek(footer, end.len() as u64)
            .and_then(|()| frames.read_exact(&mut end))
            .map_err(|_| frames.error(CUT_SHORT))?;
        let (at, magic) = end.split_at(8);
        let at = u64::from_le_bytes(at.try_into().unwrap_or_default());
        if magic != MAGIC || !(MAGIC.len() as u64..footer).contains(&at) {
            return Err(frames.error(CUT_SHORT));
        }
        frames.seek(at, footer - at).map_err(|e| frames.error(&e.to_string()))?;
        let totals = frames.read()?;
        frames.seek(MAGIC.len() as u64, at - MAGIC.len() as u64).map_err(|e| frames.error(&e.to_string()))?;
        let header = frames.read()?;
        Ok((ShardFolder { dir: dir.to_path_buf(), header, totals }, StateReader { frames }))
    }

    /// Checks that the folder's tables and charts are the ones its shard wrote: each table of the size it had,
    /// and as many chart files.
    fn check_files(&self) -> Result<()> {
        for (name, size) in &self.totals.tables {
            let path = self.dir.join(name);
            match path.metadata() {
                Ok(m) if m.len() == *size => {}
                found => {
                    let message = match found {
                        Ok(m) => format!("has {} bytes, but its shard wrote {size}", m.len()),
                        Err(_) => "is missing".to_string(),
                    };
                    let message = format!(
                        "{message}: the folder was changed after its shard ran (by another run?); run that shard again"
                    );
                    return Err(Error::Shard { path, message });
                }
            }
        }
        let Some(drawn) = self.totals.charts else { return Ok(()) };
        let charts = count_files(&self.dir.join("charts"))?;
        if charts != drawn {
            let message = format!(
                "holds {charts} chart files, but its shard drew {drawn}: the folder was changed after its shard ran; \
                 run that shard again"
            );
            return Err(Error::Shard { path: self.dir.join("charts"), message });
        }
        Ok(())
    }
}

impl StateReader {
    /// The next document's record, or `None` after the last.
    pub fn next_record<R: DeserializeOwned>(&mut self) -> Result<Option<R>> {
        Ok(match self.frames.read()? {
            Entry::Document(record) => Some(record),
            Entry::End => None,
        })
    }
}

/// The chart files (`.png`, `.svg`) under `dir` (none if it is missing), leaving out symbolic links and anything
/// else a file manager or editor may leave there: the files [`copy_files`] copies.
fn count_files(dir: &Path) -> Result<usize> {
    walk(dir, &mut |_, _| Ok(()))
}

/// Copies the chart files under `from` (if it exists) into `to`, keeping their paths; returns how many.
pub(crate) fn copy_files(from: &Path, to: &Path) -> Result<usize> {
    walk(from, &mut |source, relative| {
        let target = to.join(relative);
        let output_error = |source| Error::Output { path: target.clone(), source };
        // Made only while the run goes on, and synced, so that the staged charts are durable before they are
        // published.
        let copied = while_running(|| {
            std::fs::create_dir_all(target.parent().unwrap_or(to))?;
            std::fs::copy(source, &target)
        });
        copied.and_then(|_| File::open(&target)?.sync_all()).map_err(output_error)
    })
}

/// Calls `each` with every chart file (a regular `.png` or `.svg` file) under `root` and its path relative to
/// `root`; returns how many.
fn walk(root: &Path, each: &mut dyn FnMut(&Path, &Path) -> Result<()>) -> Result<usize> {
    fn visit(root: &Path, dir: &Path, each: &mut dyn FnMut(&Path, &Path) -> Result<()>) -> Result<usize> {
        let read_error = |source| Error::Read { path: dir.to_path_buf(), source };
        let entries = match std::fs::read_dir(dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && dir == root => return Ok(0),
            entries => entries.map_err(read_error)?,
        };
        let mut found = 0;
        for entry in entries {
            let entry = entry.map_err(read_error)?;
            let (path, kind) = (entry.path(), entry.file_type().map_err(read_error)?);
            if kind.is_dir() {
                found += visit(root, &path, each)?;
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "png" || e == "svg") {
                each(&path, path.strip_prefix(root).unwrap_or(&path))?;
                found += 1;
            }
        }
        Ok(found)
    }
    visit(root, root, each)
}

/// Length-prefixed, checksummed postcard frames, read one after another.
struct Frames {
    path: PathBuf,
    reader: BufReader<File>,
    /// Bytes left to read in the current stretch, so a corrupt length is caught before it is allocated.
    left: u64,
    frame: Vec<u8>,
}

impl Frames {
    fn read<T: DeserializeOwned>(&mut self) -> Result<T> {
        let mut head = [0; 12];
        self.read_exact(&mut head).map_err(|_| self.error(CUT_SHORT))?;
        let (length, crc) = head.split_at(8);
        let length = u64::from_le_bytes(length.try_into().unwrap_or_default());
        let crc = u32::from_le_bytes(crc.try_into().unwrap_or_default());
        if length > self.left {
            return Err(self.error(CUT_SHORT));
        }
        let mut frame = std::mem::take(&mut self.frame);
        frame.resize(length as usize, 0);
        let read = self.read_exact(&mut frame);
        self.frame = frame;
        read.map_err(|_| self.error(CUT_SHORT))?;
        let damaged = "is damaged (a checksum does not match): run that shard again";
        if crc32fast::hash(&self.frame) != crc {
            return Err(self.error(damaged));
        }
        postcard::from_bytes(&self.frame)
            .map_err(|e| self.error(&format!("cannot be read ({e}); run the shard again with this marginalia")))
    }

    /// Goes to byte `at`, with `left` bytes to read from there.
    fn seek(&mut self, at: u64, left: u64) -> io::Result<()> {
        self.reader.seek(SeekFrom::Start(at))?;
        self.left = left;
        Ok(())
    }

    /// Reads `buf` full from what is left.
    fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()> {
        if buf.len() as u64 > self.left {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.reader.read_exact(buf)?;
        self.left -= buf.len() as u64;
        Ok(())
    }

    fn error(&self, message: &str) -> Error {
        Error::Shard { path: self.path.clone(), message: message.to_string() }
    }
}

/// Opens the states of the shard folders `dirs`, in shard order, checking that they are the shards of one run,
/// each once, and that each folder holds what its shard wrote.
pub(crate) fn open_all<S: DeserializeOwned + PartialEq>(dirs: &[PathBuf]) -> Result<Vec<ShardFolder<S>>> {
    // Each state is closed once its header and totals are read: a merge of many shards opens one at a time.
    let mut shards =
        dirs.iter().map(|dir| ShardFolder::open(dir).map(|(folder, _)| folder)).collect::<Result<Vec<_>>>()?;
    shards.sort_by_key(|s| s.header.shard.index);
    let Some(first) = shards.first() else {
        return Err(Error::Usage("merge needs the folders the shards were written to".into()));
    };
    let version = env!("CARGO_PKG_VERSION");
    let (count, first_dir) = (first.header.shard.count, first.dir.display());
    for s in &shards {
        let h = &s.header;
        let message = if h.version != version {
            format!(
                "was written by marginalia {}, and this is {version}: analyse and merge with one version",
                h.version
            )
        } else if h.shard.count != count {
            format!(
                "is shard {}, and {first_dir} is shard {}: merge the N shards of one run",
                h.shard, first.header.shard
            )
        } else if (h.items, h.fingerprint) != (first.header.items, first.header.fingerprint)
            || h.settings != first.header.settings
        {
            format!(
                "was analysed with other inputs or options than {first_dir}, or the input files changed between \
                 them: run every shard with the same command, changing only --shard, --out and --threads"
            )
        } else {
            continue;
        };
        return Err(Error::Shard { path: s.dir.clone(), message });
    }
    for pair in shards.windows(2) {
        if pair[0].header.shard == pair[1].header.shard {
            let message = format!(
                "is shard {}, as {} is: give each shard's folder once",
                pair[1].header.shard,
                pair[0].dir.display()
            );
            return Err(Error::Shard { path: pair[1].dir.clone(), message });
        }
    }
    if shards.len() < count {
        // Each index is at most `count` and given once, so exactly `count - len` are missing; name a few.
        let mut given = shards.iter().map(|s| s.header.shard.index).peekable();
        let mut missing = (1..=count).filter(|k| given.next_if_eq(k).is_none()).map(|k| format!("{k}/{count}"));
        let mut named: Vec<String> = missing.by_ref().take(5).collect();
        if count - shards.len() > named.len() {
            named.push(format!("and {} more", count - shards.len() - named.len()));
        }
        return Err(Error::Usage(format!(
            "shard {} missing: merge needs the folder of every shard, 1/{count} to {count}/{count}",
            named.join(", ")
        )));
    }
    shards.iter().try_for_each(ShardFolder::check_files)?;
    Ok(shards)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slices_of_a_run_cover_every_document_once_in_order() {
        for items in 0..40 {
            for count in 1..12 {
                let slices: Vec<Range<usize>> =
                    (1..=count).map(|k| Shard::new(k, count).unwrap().slice(items)).collect();
                assert_eq!(slices[0].start, 0);
                assert_eq!(slices[count - 1].end, items);
                for pair in slices.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start, "{items} in {count}");
                }
                let sizes: Vec<usize> = slices.iter().map(|s| s.len()).collect();
                let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(max - min <= 1, "{items} in {count}: {sizes:?}");
            }
        }
        // Where items × K would overflow 64 bits, the slices still meet and differ in size by at most one.
        let (items, count) = (usize::MAX - 7, 1000);
        let slices: Vec<Range<usize>> = (1..=count).map(|k| Shard::new(k, count).unwrap().slice(items)).collect();
        assert_eq!((slices[0].start, slices[count - 1].end), (0, items));
        assert!(slices.windows(2).all(|pair| pair[0].end == pair[1].start));
        assert!(slices.iter().all(|s| s.len().abs_diff(items / count) <= 1));
    }

    #[test]
    fn shards_are_written_k_of_n() {
        assert_eq!("2/8".parse::<Shard>().map(|s| (s.index(), s.count())), Ok((2, 8)));
        assert_eq!(" 8 / 8 ".parse::<Shard>().map(|s| s.to_string()), Ok("8/8".to_string()));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/2/3", "-1/2", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    fn header() -> Header<String> {
        let shard = Shard::new(1, 2).unwrap();
        Header { version: "0.1.0".into(), shard, items: 3, fingerprint: 42, settings: "settings".into() }
    }

    fn totals() -> Totals {
        Totals { documents: 2, bytes: 11, skipped: 1, charts: Some(0), tables: vec![("documents.csv".into(), 8)] }
    }

    /// A state of two documents (strings here) written into `dir`, beside the table its totals list.
    fn written(dir: &Path) -> PathBuf {
        std::fs::write(dir.join("documents.csv"), "a,b\n1,2\n").unwrap();
        let mut state = StateWriter::create(dir, &header()).unwrap();
        assert!(!dir.join(STATE_FILE).exists(), "a state appears only when it is complete");
        state.write(&Entry::Document("first".to_string())).unwrap();
        state.write(&Entry::Document("second".to_string())).unwrap();
        state.persist(&totals()).unwrap()
    }

    /// The documents of the state in `dir`, or the error reading it gives.
    fn read(dir: &Path) -> std::result::Result<Vec<String>, String> {
        let (_, mut state) = ShardFolder::<String>::open(dir).map_err(|e| e.to_string())?;
        let mut documents = Vec::new();
        while let Some(document) = state.next_record().map_err(|e| e.to_string())? {
            documents.push(document);
        }
        Ok(documents)
    }

    #[test]
    fn a_state_reads_back_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        written(dir.path());
        let (folder, _) = ShardFolder::<String>::open(dir.path()).unwrap();
        assert_eq!((folder.header, folder.totals), (header(), totals()));
        assert_eq!(read(dir.path()).unwrap(), ["first", "second"]);
    }

    #[test]
    fn a_state_cut_short_or_damaged_says_so_instead_of_losing_documents_quietly() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path());
        let bytes = std::fs::read(&path).unwrap();
        // Cut anywhere: refused when opened, before a merge writes anything.
        for cut in [bytes.len() - 1, bytes.len() - 12, 20, 8, 0] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let error = ShardFolder::<String>::open(dir.path()).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains("ends early") && error.contains("run that shard again"), "{cut}: {error}");
        }
        // Any one bit flipped is noticed by a checksum or a length, never read as other documents.
        for at in MAGIC.len()..bytes.len() - MAGIC.len() {
            for bit in [0, 3, 7] {
                let mut damaged = bytes.clone();
                damaged[at] ^= 1 << bit;
                std::fs::write(&path, damaged).unwrap();
                let error = read(dir.path()).err().unwrap_or_else(|| panic!("byte {at} bit {bit} went unnoticed"));
                assert!(error.contains("run that shard again"), "byte {at} bit {bit}: {error}");
            }
        }
    }

    #[test]
    fn a_folder_changed_after_its_shard_ran_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        written(dir.path());
        let (folder, _) = ShardFolder::<String>::open(dir.path()).unwrap();
        assert!(folder.check_files().is_ok());
        std::fs::write(dir.path().join("documents.csv"), "a,b\n1,2\n3,4\n").unwrap();
        let error = folder.check_files().unwrap_err().to_string();
        assert!(error.contains("documents.csv: has 12 bytes, but its shard wrote 8"), "{error}");
        std::fs::write(dir.path().join("documents.csv"), "a,b\n1,2\n").unwrap();
        std::fs::create_dir_all(dir.path().join("charts/.extra")).unwrap();
        std::fs::write(dir.path().join("charts/.DS_Store"), "").unwrap();
        assert!(folder.check_files().is_ok(), "what is not a chart is not counted");
        std::fs::write(dir.path().join("charts/.extra/themes.png"), "").unwrap();
        let error = folder.check_files().unwrap_err().to_string();
        assert!(error.contains("holds 1 chart files, but its shard drew 0"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_a_state_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE_FILE), b"document,group\n").unwrap();
        let error = ShardFolder::<String>::open(dir.path()).err().unwrap().to_string();
        assert!(error.contains("shard.bin: is not a shard state"), "{error}");
        std::fs::remove_file(dir.path().join(STATE_FILE)).unwrap();
        let error = ShardFolder::<String>::open(dir.path()).err().unwrap().to_string();
        assert!(error.contains("no shard.bin here"), "{error}");
        let error = ShardFolder::<String>::open(&dir.path().join("nowhere")).err().unwrap().to_string();
        assert!(error.contains("nowhere: no such folder: give merge the --out folders"), "{error}");
    }
}
