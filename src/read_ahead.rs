//! Read-ahead for a corpus of many small files. Each document's file is read by the thread that analyses it, so on
//! a cold cache (a corpus just copied to a cluster node, a network file system) every file is a wait for the disk.
//! A [`ReadAhead`] thread asks the kernel for the next files while the current ones are analysed: on Linux,
//! `posix_fadvise(WILLNEED)`, which starts reading a file into the page cache and returns at once. A gigabyte of
//! 10 KB reviews read cold takes ten seconds of waiting without it. Elsewhere there is no thread and no hint.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{JoinHandle, Thread};

/// How many files ahead of the one being read are asked for.
const FILES_AHEAD: usize = 64;

/// Files larger than this are not asked for: the kernel already reads ahead within a file read from start to end,
/// and a hint for a whole novel could push the files before it out of a small cache.
const LARGEST_HINTED: u64 = 8 << 20;

/// A thread asking the kernel for files before they are read. It stops when this is dropped.
#[derive(Debug)]
pub struct ReadAhead {
    /// Files read so far (or passed by).
    consumed: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Thread,
}

impl ReadAhead {
    /// Starts asking for `paths`, the files in the order they will be read; `None` is one not to ask for (standard
    /// input, a table read row by row). `None` where there is nothing to ask for, no way to ask, or no thread.
    pub fn start(paths: Vec<Option<PathBuf>>) -> Option<ReadAhead> {
        if !cfg!(target_os = "linux") || paths.iter().all(Option::is_none) {
            return None;
        }
        Self::spawn(paths, hint).map(|(ahead, _detached)| ahead)
    }

    /// Starts the thread, calling `hint` for each file in turn.
    fn spawn(
        paths: Vec<Option<PathBuf>>,
        hint: impl Fn(&Path) + Send + 'static,
    ) -> Option<(ReadAhead, JoinHandle<()>)> {
        let (consumed, stop) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        let (seen, stopped) = (Arc::clone(&consumed), Arc::clone(&stop));
        let handle = std::thread::Builder::new()
            .name("marginalia-read-ahead".into())
            .spawn(move || ask_for(paths, &seen, &stopped, hint))
            .ok()?;
        let thread = handle.thread().clone();
        Some((ReadAhead { consumed, stop, thread }, handle))
    }

    /// Says that the next file is being read.
    pub fn advance(&self) {
        self.consumed.fetch_add(1, Ordering::Relaxed);
        self.thread.unpark();
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.unpark();
    }
}

/// The thread: asks for each file once it is within [`FILES_AHEAD`] of the one being read, and passes over those
/// already read.
fn ask_for(paths: Vec<Option<PathBuf>>, consumed: &AtomicUsize, stop: &AtomicBool, hint: impl Fn(&Path)) {
    for (i, path) in paths.into_iter().enumerate() {
        while i >= consumed.load(Ordering::Relaxed) + FILES_AHEAD {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::park();
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
        if let Some(path) = path.filter(|_| i >= consumed.load(Ordering::Relaxed)) {
            hint(&path);
        }
    }
}

/// Asks the kernel to start reading `path`. Only regular files are opened, and without waiting (opening a FIFO
/// would wait for a writer, should one replace the file after it was looked at); any failure is left for the
/// reader to meet and report.
#[cfg(target_os = "linux")]
fn hint(path: &Path) {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let small_file = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= LARGEST_HINTED);
    let open = || std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path).ok();
    if let Some(file) = small_file.then(open).flatten() {
        // SAFETY: the descriptor is open, owned by `file`, for the call, which takes no pointers.
        unsafe {
            libc::posix_fadvise64(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn hint(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    /// Waits up to ten seconds for `done`.
    fn eventually(what: &str, done: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn files_are_asked_for_in_order_at_most_so_far_ahead_and_the_thread_stops_when_dropped() {
        let files = 3 * FILES_AHEAD;
        // Every tenth file is not to be asked for (a table, say).
        let paths = (0..files).map(|i| (i % 10 != 3).then(|| PathBuf::from(i.to_string()))).collect();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&asked);
        let hint = move |path: &Path| record.lock().unwrap().push(path.to_str().unwrap().parse::<usize>().unwrap());
        let (ahead, handle) = ReadAhead::spawn(paths, hint).unwrap();
        let wanted = |upto: usize| (0..upto).filter(|i| i % 10 != 3).collect::<Vec<_>>();
        eventually("the first files are asked for", || *asked.lock().unwrap() == wanted(FILES_AHEAD));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(*asked.lock().unwrap(), wanted(FILES_AHEAD), "asked for more than {FILES_AHEAD} files ahead");
        for _ in 0..10 {
            ahead.advance();
        }
        eventually("ten more are asked for", || *asked.lock().unwrap() == wanted(FILES_AHEAD + 10));
        drop(ahead);
        eventually("the thread stops", || handle.is_finished());
        assert_eq!(*asked.lock().unwrap(), wanted(FILES_AHEAD + 10));
    }

    #[test]
    fn files_already_read_are_passed_over() {
        let paths = (0..4 * FILES_AHEAD).map(|i| Some(PathBuf::from(i.to_string()))).collect();
        let record = Arc::new(Mutex::new(Vec::new()));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (entered, first_hint) = std::sync::mpsc::channel::<()>();
        let (wait, entered) = (Mutex::new(wait), Mutex::new(entered));
        let recorded = Arc::clone(&record);
        // The first hint waits until the reader has raced past every file, as when it skips the documents before
        // a shard's slice.
        let hint = move |path: &Path| {
            if recorded.lock().unwrap().is_empty() {
                entered.lock().unwrap().send(()).unwrap();
                wait.lock().unwrap().recv().unwrap();
            }
            recorded.lock().unwrap().push(path.to_path_buf());
        };
        let (ahead, handle) = ReadAhead::spawn(paths, hint).unwrap();
        first_hint.recv().unwrap();
        for _ in 0..4 * FILES_AHEAD {
            ahead.advance();
        }
        release.send(()).unwrap();
        eventually("the thread has nothing left to ask for", || handle.is_finished());
        assert_eq!(*record.lock().unwrap(), [PathBuf::from("0")]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_a_folder_and_a_missing_file_are_not_opened_and_do_not_stop_the_thread() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let text = dir.path().join("review.txt");
        std::fs::write(&text, "A quiet, devastating novel.").unwrap();
        let paths = vec![Some(fifo), Some(dir.path().to_path_buf()), Some(dir.path().join("gone.txt")), Some(text)];
        // `hint` itself: opening the FIFO would wait for a writer forever.
        let (_ahead, handle) = ReadAhead::spawn(paths, hint).unwrap();
        eventually("every path has been dealt with", || handle.is_finished());
    }
}
