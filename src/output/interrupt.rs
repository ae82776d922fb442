//! Stopping a run on Ctrl-C (SIGINT) or SIGTERM without leaving anything behind in its output folder.
//!
//! The command line's handler does no more than call [`request_stop`], and it does so from an ordinary thread, not
//! inside a signal handler (the `ctrlc` crate's handler only writes a byte to a pipe that thread reads). The run
//! sees the request between documents and between the steps of one ([`check_stop`]) and unwinds through its normal
//! error path, which drops its hidden files and its lock. When it cannot unwind soon enough (a thread deep in a
//! long document), or on a second signal, the command line calls [`abandon`]: it removes what every run of this
//! process has in its output folder — hidden files, staging folders, the lock, folders it created — and keeps
//! every run from making or publishing anything more until the process exits.
//!
//! One mutex orders all of it: taking and letting go of an output folder, creating a hidden file or folder in it
//! ([`while_running`]), publishing ([`publishing`]) and [`abandon`], which never lets go of it. So nothing is made
//! after the clean-up has looked, and a publication is either whole before it or never begins.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::{Error, Result};

use super::lock::{LOCK_FILE, OutputLock, remove_leftovers};
use super::{prepare_dir, remove_new_dirs};

/// Set by [`request_stop`]: every run of this process stops as soon as it can.
static STOP: AtomicBool = AtomicBool::new(false);

/// The output folders the runs of this process hold, guarded with everything made in them.
static HELD: Mutex<Vec<Held>> = Mutex::new(Vec::new());

/// The output folders runs of this process have published into and let go of (changed under [`HELD`]).
static PUBLISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Numbers the folders held, so that a run lets go of its own.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// An output folder a run holds: its lock is taken, and whatever hidden file in it has a run's temporary name is
/// this run's.
struct Held {
    number: u64,
    dir: PathBuf,
    /// The folders the run created for it, outermost first.
    created: Vec<PathBuf>,
    /// Whether the run's results have been moved into place.
    published: bool,
}

/// Asks every run of this process to stop: each unwinds as if it had failed, so its hidden files and lock go and
/// the previous results stay as they were. Called on the first Ctrl-C or SIGTERM.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Lets runs start again after [`request_stop`], for a process that outlives an interrupted run (the Python
/// package, in a notebook). Does nothing while a run still holds an output folder: a run asked to stop must not
/// carry on. Never after [`abandon`], whose process is about to exit.
pub fn clear_stop() {
    let held = held();
    if held.is_empty() {
        STOP.store(false, Ordering::SeqCst);
    }
}

/// Whether [`request_stop`] has been called.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Fails with [`interrupted`] once a stop has been requested: called by a run between documents and between the
/// steps of one.
pub fn check_stop(dir: &Path) -> Result<()> {
    if stop_requested() { Err(interrupted(dir)) } else { Ok(()) }
}

/// The error a run stopped by [`request_stop`] unwinds with.
pub fn interrupted(dir: &Path) -> Error {
    Error::Output { path: dir.to_path_buf(), source: stopping() }
}

fn stopping() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "the run was interrupted")
}

/// Whether `error` is a run's unwinding after [`request_stop`] (rather than a failure of its own).
pub fn is_interruption(error: &Error) -> bool {
    matches!(error, Error::Output { source, .. } if source.kind() == io::ErrorKind::Interrupted) && stop_requested()
}

fn held() -> MutexGuard<'static, Vec<Held>> {
    HELD.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes something in a held output folder (a hidden file, a staging folder, a chart's folder), unless the run
/// is stopping: then it fails with [`io::ErrorKind::Interrupted`], and nothing is made that a clean-up might miss.
pub(crate) fn while_running<T>(make: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    let _held = held();
    if stop_requested() {
        return Err(stopping());
    }
    make()
}

/// Runs the renames of a publication into `dir`, unless the run is stopping; [`abandon`] waits for them to end.
pub(super) fn publishing<T>(dir: &Path, rename: impl FnOnce() -> Result<T>) -> Result<T> {
    let mut held = held();
    check_stop(dir)?;
    let renamed = rename();
    held.iter_mut().filter(|h| h.dir == dir).for_each(|h| h.published = true);
    renamed
}

/// Whether a run of this process holds an output folder (between taking it and letting it go).
pub fn holds_a_folder() -> bool {
    !held().is_empty()
}

/// The output folder `out` taken for a run: created if needed, its lock taken, and known to [`abandon`] until
/// [`leave`].
pub(super) fn enter(out: &Path) -> Result<(u64, OutputLock, Vec<PathBuf>)> {
    let mut held = held();
    check_stop(out)?;
    let created = prepare_dir(out)?;
    match OutputLock::take(out) {
        Ok(lock) => {
            let number = NEXT.fetch_add(1, Ordering::Relaxed);
            held.push(Held { number, dir: out.to_path_buf(), created: created.clone(), published: false });
            Ok((number, lock, created))
        }
        Err(e) => {
            remove_new_dirs(&created);
            Err(e)
        }
    }
}

/// Lets go of the folder [`enter`] took: its lock released, and, if the run `failed`, the folders it created
/// taken away again (each only if empty).
pub(super) fn leave(number: u64, lock: OutputLock, created: &[PathBuf], failed: bool) {
    let mut held = held();
    if let Some(at) = held.iter().position(|h| h.number == number) {
        let Held { dir, published, .. } = held.remove(at);
        if published {
            PUBLISHED.lock().unwrap_or_else(PoisonError::into_inner).push(dir);
        }
    }
    drop(lock);
    if failed {
        remove_new_dirs(created);
    }
}

/// What [`abandon`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abandoned {
    /// The output folders cleaned up.
    pub folders: Vec<PathBuf>,
    /// The output folders, held or let go of, whose run's results had been moved into place (some or all of
    /// them, if a rename failed) before it was interrupted.
    pub published: Vec<PathBuf>,
}

/// Cleans up after every run of this process at once, for a process about to exit without waiting for its runs
/// to unwind: each held output folder loses the hidden files and staging folders its run made, its lock file and,
/// if the run created it, the folder itself (when empty). Waits for a publication under way to end; from then on
/// no run can make or publish anything, so the caller must exit.
pub fn abandon() -> Abandoned {
    request_stop();
    let held = held();
    let (mut folders, mut published) = (Vec::new(), Vec::new());
    for Held { dir, created, published: done, .. } in held.iter() {
        // The run holds the lock, so every hidden file of a run's name there is its own. A file being renamed as
        // the folder is read can make the first pass miss a name; nothing new is made after this one.
        for _ in 0..3 {
            remove_leftovers(dir);
        }
        let _ = std::fs::remove_file(dir.join(LOCK_FILE));
        if !done {
            remove_new_dirs(created);
        } else {
            published.push(dir.clone());
        }
        folders.push(dir.clone());
    }
    published.extend(PUBLISHED.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned());
    // Held until the process exits.
    std::mem::forget(held);
    Abandoned { folders, published }
}
