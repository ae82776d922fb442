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
use crate::report::csv::{persist, temporary};

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

/// The first bytes of a state file, with the format's version: another format is refused, not misread. They are
/// also its last, written when it is complete, so a state cut short is refused before a merge begins.
const MAGIC: &[u8; 8] = b"mrgshrd1";

/// What a state file starts with: which shard of which run, and what `merge` needs to finish it (`S`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Header<S> {
    /// The marginalia version that wrote it.
    pub version: String,
    pub shard: Shard,
    /// Documents (readable or not) in the whole run: what was sliced.
    pub items: usize,
    /// A hash of the inputs and options named, so shards of different runs are not merged.
    pub fingerprint: u64,
    pub settings: S,
}

/// One entry of a state file after its header: a document's record (`R`), in input order, then the totals.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Entry<R> {
    Document(R),
    End(Totals),
}

/// What a shard did, written last, so a state cut short by a stopped shard is recognised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Totals {
    pub documents: usize,
    pub bytes: usize,
    pub skipped: usize,
}

/// A state file being written; it appears under [`STATE_FILE`] only when [`StateWriter::persist`] is called.
pub(crate) struct StateWriter {
    out: BufWriter<NamedTempFile>,
    path: PathBuf,
    frame: Vec<u8>,
}

impl StateWriter {
    /// Starts the state in `dir` with its header.
    pub fn create<S: Serialize>(dir: &Path, header: &Header<S>) -> Result<Self> {
        let path = dir.join(STATE_FILE);
        let mut writer = StateWriter { out: BufWriter::new(temporary(dir)?), path, frame: Vec::new() };
        writer.out.write_all(MAGIC).map_err(|source| writer.error(source))?;
        writer.write(header)?;
        Ok(writer)
    }

    /// Appends one entry: its length in 8 bytes (little-endian), then its postcard encoding.
    pub fn write<T: Serialize>(&mut self, entry: &T) -> Result<()> {
        self.frame.clear();
        let frame = std::mem::take(&mut self.frame);
        self.frame = postcard::to_extend(entry, frame).map_err(|e| self.error(io::Error::other(e)))?;
        let length = (self.frame.len() as u64).to_le_bytes();
        let written = self.out.write_all(&length).and_then(|()| self.out.write_all(&self.frame));
        written.map_err(|source| self.error(source))
    }

    /// Writes the totals and moves the state to its final name.
    pub fn persist(mut self, totals: Totals) -> Result<PathBuf> {
        self.write(&Entry::<()>::End(totals))?;
        self.out.write_all(MAGIC).map_err(|source| self.error(source))?;
        let StateWriter { out, path, .. } = self;
        let file = out.into_inner().map_err(|e| Error::Output { path: path.clone(), source: e.into_error() })?;
        persist(file, &path)?;
        Ok(path)
    }

    fn error(&self, source: io::Error) -> Error {
        Error::Output { path: self.path.clone(), source }
    }
}

/// A shard's folder, its state opened and its header read.
pub(crate) struct StateReader<S> {
    /// The shard's output folder.
    pub dir: PathBuf,
    pub header: Header<S>,
    frames: Frames,
}

impl<S: DeserializeOwned> StateReader<S> {
    /// Opens the state in the shard folder `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        let path = dir.join(STATE_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound && dir.is_dir() => {
                let message = format!(
                    "no {STATE_FILE} here: give merge the --out folders of `marginalia analyze --shard K/N` runs"
                );
                return Err(Error::Shard { path: dir.to_path_buf(), message });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Error::MissingPath(dir.to_path_buf())),
            Err(source) => return Err(Error::Read { path, source }),
        };
        let length = file.metadata().map_err(|source| Error::Read { path: path.clone(), source })?.len();
        let mut frames = Frames { path, reader: BufReader::new(file), left: length, frame: Vec::new() };
        let (mut first, mut last) = ([0; MAGIC.len()], [0; MAGIC.len()]);
        if frames.read_exact(&mut first).is_err() || &first != MAGIC {
            return Err(frames.error("is not a shard state of this version of marginalia; run the shards again"));
        }
        let end = frames.reader.seek(SeekFrom::End(-(MAGIC.len() as i64)));
        if end.is_err() || frames.reader.read_exact(&mut last).is_err() || &last != MAGIC {
            return Err(frames.error(CUT_SHORT));
        }
        frames.reader.seek(SeekFrom::Start(MAGIC.len() as u64)).map_err(|e| frames.error(&e.to_string()))?;
        frames.left = length.checked_sub(2 * MAGIC.len() as u64).ok_or_else(|| frames.error(CUT_SHORT))?;
        let header = frames.read()?;
        Ok(StateReader { dir: dir.to_path_buf(), header, frames })
    }

    /// The next entry.
    pub fn next<R: DeserializeOwned>(&mut self) -> Result<Entry<R>> {
        self.frames.read()
    }
}

/// Length-prefixed postcard frames, read one after another.
struct Frames {
    path: PathBuf,
    reader: BufReader<File>,
    /// Bytes of the file not yet read, so a corrupt length is caught before it is allocated.
    left: u64,
    frame: Vec<u8>,
}

/// Why a state that stops before its end is refused.
const CUT_SHORT: &str =
    "ends early: its shard was stopped before it finished, or the file was cut; run that shard again";

impl Frames {
    fn read<T: DeserializeOwned>(&mut self) -> Result<T> {
        let mut length = [0; 8];
        self.read_exact(&mut length).map_err(|_| self.error(CUT_SHORT))?;
        let length = u64::from_le_bytes(length);
        if length > self.left {
            return Err(self.error(CUT_SHORT));
        }
        let mut frame = std::mem::take(&mut self.frame);
        frame.resize(length as usize, 0);
        let read = self.read_exact(&mut frame);
        self.frame = frame;
        read.map_err(|_| self.error(CUT_SHORT))?;
        postcard::from_bytes(&self.frame)
            .map_err(|e| self.error(&format!("cannot be read ({e}); run the shard again with this marginalia")))
    }

    /// Reads `buf` full from what is left before the closing magic bytes.
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

/// Opens the states of the shard folders `dirs` and puts them in shard order, checking that they are the shards
/// of one run, each once.
pub(crate) fn open_all<S: DeserializeOwned + PartialEq>(dirs: &[PathBuf]) -> Result<Vec<StateReader<S>>> {
    let mut shards = dirs.iter().map(|dir| StateReader::open(dir)).collect::<Result<Vec<StateReader<S>>>>()?;
    shards.sort_by_key(|s| s.header.shard.index);
    let Some(first) = shards.first() else {
        return Err(Error::Usage("merge needs the folders the shards were written to".into()));
    };
    let version = env!("CARGO_PKG_VERSION");
    let count = first.header.shard.count;
    for s in &shards {
        let h = &s.header;
        let message = if h.version != version {
            format!(
                "was written by marginalia {}, and this is {version}: analyse and merge with one version",
                h.version
            )
        } else if (h.shard.count, h.items, h.fingerprint) != (count, first.header.items, first.header.fingerprint)
            || h.settings != first.header.settings
        {
            format!(
                "was analysed with other inputs or options than {}: run every shard with the same command, changing \
                 only --shard and --out",
                first.dir.display()
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
        let missing: Vec<usize> = (1..=count).filter(|k| !shards.iter().any(|s| s.header.shard.index == *k)).collect();
        let mut named: Vec<String> = missing.iter().take(5).map(|k| format!("{k}/{count}")).collect();
        if missing.len() > named.len() {
            named.push(format!("and {} more", missing.len() - named.len()));
        }
        return Err(Error::Usage(format!(
            "shard {} missing: merge needs the folder of every shard, 1/{count} to {count}/{count}",
            named.join(", ")
        )));
    }
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
        // A corpus too big for usize arithmetic in 64 bits times the shard number still slices exactly.
        let shard = Shard::new(3, 4).unwrap();
        assert_eq!(shard.slice(usize::MAX / 2).end, (usize::MAX / 2 / 4) * 3 + (usize::MAX / 2 % 4) * 3 / 4);
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

    /// A state of two documents (strings here) written into `dir`.
    fn written(dir: &Path) -> PathBuf {
        let mut state = StateWriter::create(dir, &header()).unwrap();
        assert!(!dir.join(STATE_FILE).exists(), "a state appears only when it is complete");
        state.write(&Entry::Document("first".to_string())).unwrap();
        state.write(&Entry::Document("second".to_string())).unwrap();
        state.persist(Totals { documents: 2, bytes: 11, skipped: 1 }).unwrap()
    }

    #[test]
    fn a_state_reads_back_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        written(dir.path());
        let mut state = StateReader::<String>::open(dir.path()).unwrap();
        assert_eq!(state.header, header());
        let mut documents = Vec::new();
        let totals = loop {
            match state.next::<String>().unwrap() {
                Entry::Document(d) => documents.push(d),
                Entry::End(totals) => break totals,
            }
        };
        assert_eq!(documents, ["first", "second"]);
        assert_eq!(totals, Totals { documents: 2, bytes: 11, skipped: 1 });
    }

    /// The error reading the state in `dir` to its end gives.
    fn read_to_end(dir: &Path) -> String {
        let mut state = match StateReader::<String>::open(dir) {
            Ok(state) => state,
            Err(e) => return e.to_string(),
        };
        loop {
            match state.next::<String>() {
                Ok(Entry::Document(_)) => continue,
                Ok(Entry::End(_)) => panic!("a damaged state read to its end"),
                Err(e) => return e.to_string(),
            }
        }
    }

    #[test]
    fn a_state_cut_short_says_so_instead_of_losing_documents_quietly() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path());
        let bytes = std::fs::read(&path).unwrap();
        // Cut anywhere: refused when opened, before a merge writes anything.
        for cut in [bytes.len() - 1, bytes.len() - 12, 15, 8] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let error = StateReader::<String>::open(dir.path()).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains("ends early") && error.contains("run that shard again"), "{cut}: {error}");
        }
        // Frames missing from the middle, the end intact: noticed as the frames are read.
        for cut in [1, 5, 9] {
            let damaged = [&bytes[..bytes.len() - MAGIC.len() - cut], MAGIC.as_slice()].concat();
            std::fs::write(&path, damaged).unwrap();
            let error = read_to_end(dir.path());
            assert!(error.contains("ends early") || error.contains("cannot be read"), "{cut}: {error}");
        }
    }

    #[test]
    fn a_file_that_is_not_a_state_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE_FILE), b"document,group\n").unwrap();
        let error = StateReader::<String>::open(dir.path()).err().unwrap().to_string();
        assert!(error.contains("shard.bin: is not a shard state"), "{error}");
        std::fs::remove_file(dir.path().join(STATE_FILE)).unwrap();
        let error = StateReader::<String>::open(dir.path()).err().unwrap().to_string();
        assert!(error.contains("no shard.bin here"), "{error}");
    }
}
