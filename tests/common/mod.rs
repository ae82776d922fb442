//! Helpers shared by the end-to-end tests: run the binary, read its tables back.

#![allow(dead_code)] // each test file uses its own subset

use std::collections::{BTreeMap, HashMap};
use std::fs;
#[cfg(target_os = "linux")]
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_marginalia");

/// The shipped sample review.
pub fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("texts/never-let-me-go-review.txt")
}

/// The sample review's text.
pub fn sample() -> String {
    std::fs::read_to_string(sample_path()).unwrap()
}

/// Runs the binary with `args` in `dir`.
pub fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN).args(args).current_dir(dir).output().unwrap()
}

/// Runs the binary with `args` in `dir`, `input` on its standard input.
pub fn run_with_stdin(args: &[&str], dir: &Path, input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// What the binary said on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A CSV table as a list of column → value maps.
pub fn table(path: &Path) -> Vec<HashMap<String, String>> {
    rows_of(csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The CSV table a successful run printed on stdout, as a list of column → value maps.
pub fn stdout_table(out: &Output) -> Vec<HashMap<String, String>> {
    assert!(out.status.success(), "{}", stderr(out));
    rows_of(csv::Reader::from_reader(out.stdout.as_slice()))
}

fn rows_of<R: std::io::Read>(mut reader: csv::Reader<R>) -> Vec<HashMap<String, String>> {
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().map(String::from).zip(r.unwrap().iter().map(String::from)).collect())
        .collect()
}

/// Two chapters of *Alice's Adventures in Wonderland* (Project Gutenberg, public domain), as NLTK ships them.
pub fn alice() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/alice-chapters-1-2.txt")
}

/// Runs `analyze` on `inputs` in `dir`, without charts, with `extra` arguments; returns the output folder.
pub fn analyze_without_charts(inputs: &[&str], extra: &[&str], dir: &Path) -> PathBuf {
    let mut args = vec!["analyze"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--charts", "none"]);
    args.extend_from_slice(extra);
    let out = run(&args, dir);
    assert!(out.status.success(), "{}", stderr(&out));
    dir.join("output")
}

/// Runs `analyze` on the sample review (with `extra` arguments) into `results/` of a fresh folder.
pub fn analyze_sample(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let mut args = vec!["analyze", sample.to_str().unwrap(), "--out", "results"];
    args.extend_from_slice(extra);
    let out = run(&args, dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// Every file under `dir` (charts included), by path relative to it, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, found);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                found.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found);
    found
}

/// A finished run and the most memory it held.
pub struct Run {
    /// What it printed and how it exited.
    pub out: Output,
    /// Its peak resident memory (VmHWM, what `/usr/bin/time` reports), in MiB.
    pub peak_mb: u64,
    /// Of its resident memory as it exited, the pages mapped from files (RssFile), in MiB: its program and shared
    /// libraries, with the lexicons and font built into it (no input is mapped). 17 to 25 MB for a debug build,
    /// by how much of the file the page cache held when it started, whatever the input.
    pub program_mb: u64,
    /// The most memory it held for its work, in MiB: its peak less its program's pages ([`Run::program_mb`]). What
    /// its input costs, without the megabytes by which the program's own pages vary from run to run. (A page of the
    /// program first touched after the peak is subtracted too, so this can fall short of what was held then by as
    /// much: the whole peak is bounded as well where this is.)
    pub held_mb: u64,
}

impl Run {
    /// Its standard error.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    /// Its exit code.
    pub fn code(&self) -> Option<i32> {
        self.out.status.code()
    }
}

/// Runs the binary in `dir`, killing it after `seconds`, and checks the contract every run keeps: no panic, at
/// most `max_mb` of peak resident memory, one-line messages.
pub fn bounded(args: &[&str], dir: &Path, seconds: u64, max_mb: u64) -> Run {
    let (stdout, stderr) = (dir.join(".stdout"), dir.join(".stderr"));
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout).unwrap())
        .stderr(fs::File::create(&stderr).unwrap());
    let (status, memory) = traced_to_its_exit(command, args, seconds);
    let run = Run {
        out: Output { status, stdout: fs::read(&stdout).unwrap(), stderr: fs::read(&stderr).unwrap() },
        peak_mb: memory.peak_kb / 1024,
        program_mb: memory.file_kb / 1024,
        held_mb: memory.peak_kb.saturating_sub(memory.file_kb) / 1024,
    };
    let err = run.stderr();
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    assert!(err.lines().all(|l| l.starts_with("marginalia: ")), "{args:?}: stray output on stderr: {err}");
    assert!(run.peak_mb <= max_mb, "{args:?} held {} MB (bound {max_mb} MB)", run.peak_mb);
    run
}

/// No table and no temporary file in `dir`.
pub fn nothing_written(dir: &Path) -> bool {
    !dir.exists() || fs::read_dir(dir).unwrap().all(|e| e.unwrap().file_name().to_string_lossy() == "charts")
}

/// Takes `manifest.json` out of a folder's [`tree`] and parses it: the one file two runs of the same tables
/// write differently (their times, command lines and threads), compared apart.
pub fn take_manifest(tree: &mut BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    let bytes = tree.remove("manifest.json").expect("a run writes manifest.json");
    serde_json::from_slice(&bytes).unwrap()
}

/// A process's memory as it exits, in KiB.
#[derive(Default)]
struct Memory {
    /// Its peak resident memory (VmHWM).
    peak_kb: u64,
    /// Its resident pages mapped from files (RssFile).
    file_kb: u64,
}

/// Runs `command` traced, so that it stops as it exits with its memory still mapped, and returns its exit status and
/// its memory read at that stop. Exact where sampling VmHWM every few milliseconds misses a peak in a run's last
/// moments; and `wait4`'s maxrss will not do, since Linux carries the test process's own peak across the child's
/// `exec` into it. Kills the run after `seconds`; a run killed by a signal is a failure.
#[cfg(target_os = "linux")]
fn traced_to_its_exit(mut command: Command, args: &[&str], seconds: u64) -> (ExitStatus, Memory) {
    // SAFETY: between fork and exec the child only makes the ptrace system call.
    unsafe {
        command.pre_exec(|| match libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) {
            -1 => Err(std::io::Error::last_os_error()),
            _ => Ok(()),
        })
    };
    #[allow(clippy::zombie_processes, reason = "reaped by the waitpid below, which reads its stops too")]
    let mut child = command.spawn().unwrap_or_else(|e| {
        panic!("running {args:?} traced, to read its peak memory as it exits: {e} (ptrace allowed?)")
    });
    let pid = child.id() as libc::pid_t;
    let (start, mut memory, mut exec_seen, mut timed_out) = (Instant::now(), Memory::default(), false, false);
    loop {
        let mut status = 0;
        // Once it is killed, wait for it to go (it still stops at its exit).
        let flags = if timed_out { 0 } else { libc::WNOHANG };
        // SAFETY: waits on our own child, with a valid pointer for its status.
        match unsafe { libc::waitpid(pid, &mut status, flags) } {
            0 if start.elapsed() > Duration::from_secs(seconds) => {
                child.kill().unwrap();
                timed_out = true;
                continue;
            }
            0 => {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            }
            -1 => panic!("waiting for {args:?}: {}", std::io::Error::last_os_error()),
            _ => {}
        }
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            assert!(!timed_out, "{args:?} took longer than {seconds} s");
            assert!(!libc::WIFSIGNALED(status), "{args:?} was killed by signal {}", libc::WTERMSIG(status));
            assert!(memory.peak_kb > 0, "{args:?} exited without stopping at its exit");
            return (ExitStatus::from_raw(status), memory);
        }
        // A stop: the exec's trap (ask for a stop at exit from then on), the exit itself (read the peak), or a
        // signal to pass on.
        let signal = match (libc::WSTOPSIG(status), status >> 16) {
            (libc::SIGTRAP, libc::PTRACE_EVENT_EXIT) => {
                memory = memory_of(pid);
                0
            }
            (libc::SIGTRAP, 0) if !exec_seen => {
                exec_seen = true;
                let options = (libc::PTRACE_O_TRACEEXIT | libc::PTRACE_O_EXITKILL) as libc::c_long;
                // SAFETY: our traced child, stopped at its exec.
                assert_ne!(
                    unsafe {
                        libc::ptrace(libc::PTRACE_SETOPTIONS, pid, std::ptr::null_mut::<libc::c_void>(), options)
                    },
                    -1
                );
                0
            }
            (signal, _) => signal,
        };
        // SAFETY: our traced child, stopped; `signal` is the one it stopped on, or none.
        unsafe { libc::ptrace(libc::PTRACE_CONT, pid, std::ptr::null_mut::<libc::c_void>(), signal as libc::c_long) };
    }
}

/// Elsewhere, the run without its memory: the bounds hold trivially.
#[cfg(not(target_os = "linux"))]
fn traced_to_its_exit(mut command: Command, args: &[&str], seconds: u64) -> (ExitStatus, Memory) {
    let mut child = command.spawn().unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, Memory::default());
        }
        if start.elapsed() > Duration::from_secs(seconds) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{args:?} took longer than {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A live process's memory, from `/proc/PID/status`.
#[cfg(target_os = "linux")]
fn memory_of(pid: libc::pid_t) -> Memory {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb = |field: &str| {
        let value = status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().split(' ').next());
        value.and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
    };
    Memory { peak_kb: kb("VmHWM:"), file_kb: kb("RssFile:") }
}
