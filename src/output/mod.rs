//! The output folder, as one transaction: created if need be ([`into_output`]), held against other runs
//! ([`OutputLock`]), every table and chart written hidden ([`Table`], [`charts_staging`]) and moved into place
//! together only once the whole run has succeeded ([`Publication`]: every target checked and every file made
//! durable before the first rename), an earlier run's tables of kinds this run leaves out removed
//! ([`remove_table`]), and, if the run fails or is interrupted ([`request_stop`], [`abandon`]), its hidden files,
//! its lock and the folders it created taken away again. A failed or interrupted run leaves the previous results
//! untouched and no half-written file.

mod interrupt;
mod lock;
mod publish;
mod rows;
mod table;

use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::report::schema::Row;

pub(crate) use interrupt::while_running;
pub use interrupt::{
    Abandoned, abandon, check_stop, clear_stop, holds_a_folder, interrupted, is_interruption, request_stop,
    stop_requested,
};
pub use lock::{LOCK_FILE, OutputLock};
pub use publish::Publication;
pub use rows::{Rendered, RowBuffer, SPILL_BYTES};
pub use table::Table;

/// Where a run's tables go: into an output folder, or only into memory (a text analysed for the Python package,
/// which writes no file).
#[derive(Debug, Clone, Copy)]
pub enum Place<'p> {
    /// The output folder (which must exist): tables are written there hidden and moved into place at the end.
    Folder(&'p Path),
    /// Memory: tables are held as the bytes of their CSV files.
    Memory,
}

impl Place<'_> {
    /// What an error names as the place it could not write: the folder, or `memory`.
    pub fn path(&self) -> &Path {
        match self {
            Place::Folder(dir) => dir,
            Place::Memory => Path::new("memory"),
        }
    }
}

/// Runs `write` into the output folder `out`: created if needed, held against other runs while `write` runs (see
/// [`OutputLock`]) and known to [`abandon`], and, if it fails, the folders this created taken away again.
pub fn into_output<T>(out: &Path, write: impl FnOnce() -> Result<T>) -> Result<T> {
    let (number, lock, created) = interrupt::enter(out)?;
    let written = write();
    interrupt::leave(number, lock, &created, written.is_err());
    written
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
    let ours = std::fs::File::open(&path).and_then(|file| table::starts_with_header::<S>(&mut BufReader::new(file)));
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

/// A temporary file in `dir` named `.marginalia-*.tmp`, removed when dropped (none once the run is stopping).
pub(crate) fn hidden_temporary(dir: &Path) -> io::Result<NamedTempFile> {
    while_running(|| tempfile::Builder::new().prefix(".marginalia-").suffix(".tmp").tempfile_in(dir))
}

/// Moves a finished temporary file over `path`, replacing what was there.
fn persist(tmp: NamedTempFile, path: &Path) -> Result<()> {
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

/// Removes the folders [`prepare_dir`] created, innermost first, each only if it is empty: whatever else is there
/// is not this run's.
pub fn remove_new_dirs(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// A hidden folder in `out` for this run's charts, removed if the run fails; [`Publication::folder`] moves it to
/// `charts/`.
pub fn charts_staging(out: &Path) -> Result<tempfile::TempDir> {
    while_running(|| tempfile::Builder::new().prefix(".marginalia-charts-").tempdir_in(out))
        .map_err(|source| Error::Output { path: out.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn output_that_is_a_file_is_refused() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let err = prepare_dir(file.path()).unwrap_err();
        assert!(err.to_string().contains("choose another folder with --out"), "{err}");
    }
}
