//! `manifest.json`: what a run did, for a paper's methods section — marginalia's version, the command line, every
//! option as resolved, each input with its size and SHA-256, each lexicon, word list and font with its SHA-256
//! and metadata, the rows of each table, and when the run started and finished. Written by `analyze` (a shard's
//! too) and `merge`, and published with the tables, never half-written; `marginalia cite` reads it ([`cite`]).
//!
//! Two runs of the same inputs and options write manifests that differ only in their times: keys keep one order,
//! paths are as given, and nothing depends on the machine but the options themselves.

mod cite;

use std::io::{Read, Write};
use std::path::Path;
use std::time::SystemTime;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::InputDigest;
use crate::output::{Publication, temporary};
use crate::resource::{Resource, sha256_file};

pub use cite::cite;

/// The manifest's file name in an output folder.
pub const FILE: &str = "manifest.json";

/// The most bytes of a manifest read back (`cite`, `merge`): 1 GiB.
const MAX_BYTES: u64 = 1 << 30;

/// What a run did; serialised as `manifest.json`, its keys in this order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The marginalia version that ran.
    pub marginalia: String,
    /// The command line, as typed (empty for a library call).
    pub command: Vec<String>,
    /// When the run started, RFC 3339 UTC (for a merge, when its first shard started).
    pub started: String,
    /// When it finished writing, RFC 3339 UTC.
    pub finished: String,
    /// Every option, as resolved: defaults filled in, by the name of its command-line flag.
    pub options: IndexMap<String, serde_json::Value>,
    /// The input files whose documents were analysed, in run order.
    pub inputs: Vec<InputDigest>,
    /// Inputs (files, or rows of a table) skipped as unreadable.
    pub skipped: usize,
    /// The lexicons, word lists and font used.
    pub lexicons: Vec<Resource>,
    /// The rows of each table written (besides its header), by file name, in the order written.
    pub tables: IndexMap<String, u64>,
}

/// The current time, RFC 3339 UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

impl Manifest {
    /// Records the rows of each table `publication` has staged, and the time: the run is done but for its
    /// publication.
    pub fn finish(&mut self, publication: &Publication) {
        self.tables = publication.row_counts().iter().cloned().collect();
        self.finished = now();
    }

    /// Writes the manifest into `out` hidden and adds it to `publication`, which moves it into place with the
    /// tables it describes.
    pub fn stage(&self, out: &Path, publication: &mut Publication) -> Result<()> {
        let path = out.join(FILE);
        let output_error = |source| Error::Output { path: path.clone(), source };
        let mut tmp = temporary(out)?;
        let mut text = serde_json::to_string_pretty(self).map_err(|e| output_error(e.into()))?;
        text.push('\n');
        tmp.write_all(text.as_bytes()).and_then(|()| tmp.flush()).map_err(output_error)?;
        publication.file(tmp, path);
        Ok(())
    }

    /// Reads the manifest in the output folder `out`; a missing or malformed one is an error naming it and
    /// saying what to do.
    pub fn read(out: &Path) -> Result<Manifest> {
        let path = out.join(FILE);
        // A device or a huge file put there is refused instead of filling memory (a manifest lists a million
        // inputs in about 200 MB); the read is bounded too, for a file that grows.
        let read = std::fs::File::open(&path).and_then(|file| {
            let mut text = String::new();
            if file.metadata()?.is_file() {
                file.take(MAX_BYTES + 1).read_to_string(&mut text)?;
            }
            Ok(text)
        });
        let text = match read {
            Ok(text) if text.is_empty() || text.len() as u64 > MAX_BYTES => {
                let message = "is empty, not a file, or over 1 GiB: not a manifest marginalia wrote; run the \
                               analysis again to write it afresh"
                    .to_string();
                return Err(Error::Manifest { path, message });
            }
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let message = format!(
                    "no {FILE} here: give the --out folder of a `marginalia analyze` or `merge` run, or run the \
                     analysis again with this version (older ones wrote none)"
                );
                return Err(Error::Manifest { path, message });
            }
            Err(source) => return Err(Error::Read { path, source }),
        };
        serde_json::from_str(&text).map_err(|e| Error::Manifest {
            path,
            message: format!(
                "is not a manifest marginalia can read ({e}): it was edited, or written by another version; run \
                 the analysis again to write it afresh"
            ),
        })
    }
}

/// The input files of a run, in run order, as its documents are written.
#[derive(Debug, Default)]
pub struct Inputs {
    files: Vec<InputDigest>,
}

impl Inputs {
    /// Adds the file a document came from; a table's rows name their table once.
    pub fn add(&mut self, file: Option<InputDigest>) {
        let Some(file) = file else { return };
        if self.files.last().is_none_or(|last| *last != file) {
            self.files.push(file);
        }
    }

    /// Adds a shard's files after the earlier shards': a table cut between two shards is listed once.
    pub fn extend(&mut self, files: Vec<InputDigest>) {
        files.into_iter().for_each(|file| self.add(Some(file)));
    }

    /// The files, each table's hash and size read now (standard input's cannot be: they stay empty).
    pub fn finish(self) -> Result<Vec<InputDigest>> {
        let mut files = self.files;
        for file in files.iter_mut().filter(|f| f.sha256.is_none() && f.path != "-") {
            let path = Path::new(&file.path);
            let (bytes, sha256) = sha256_file(path).map_err(|source| Error::Read { path: path.into(), source })?;
            (file.bytes, file.sha256) = (bytes, Some(sha256));
        }
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(path: &str, sha256: Option<&str>) -> InputDigest {
        InputDigest { path: path.into(), bytes: 3, sha256: sha256.map(str::to_string) }
    }

    #[test]
    fn a_tables_rows_list_it_once_and_its_hash_is_read_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("reviews.csv");
        std::fs::write(&table, "text\nabc\n").unwrap();
        let table = table.display().to_string();
        let mut inputs = Inputs::default();
        inputs.add(Some(digest("a.txt", Some("aa"))));
        inputs.add(None);
        for _ in 0..3 {
            inputs.add(Some(digest(&table, None)));
        }
        inputs.extend(vec![digest(&table, None), digest("b.txt", Some("bb"))]);
        let files = inputs.finish().unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.txt", table.as_str(), "b.txt"]);
        assert_eq!(files[1].bytes, 9);
        assert_eq!(files[1].sha256.as_deref(), Some(crate::resource::sha256_hex(b"text\nabc\n").as_str()));
    }

    #[test]
    fn a_missing_or_malformed_manifest_says_so_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let error = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(error.contains("manifest.json: no manifest.json here: give the --out folder"), "{error}");
        std::fs::write(dir.path().join(FILE), "{\"marginalia\": 3}").unwrap();
        let error = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(error.contains("manifest.json: is not a manifest marginalia can read"), "{error}");
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join(FILE)).unwrap();
        let error = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(error.contains("manifest.json: is empty, not a file, or over 1 GiB"), "{error}");
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        std::fs::write(dir.path().join(FILE), "{").unwrap();
        let error = Manifest::read(dir.path()).unwrap_err().to_string();
        assert!(error.contains("manifest.json: is not a manifest marginalia can read"), "{error}");
    }
}
