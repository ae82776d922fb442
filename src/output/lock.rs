//! The lock a run holds on its output folder, so that two runs into one folder cannot mix their tables, and the
//! clean-up of what killed runs left there.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

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
pub(super) fn remove_leftovers(dir: &Path) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
