//! `marginalia._native`: the library's commands for the Python package. Each call is a command line, parsed by the
//! `marginalia` binary's own parser, so that a keyword of the Python API means exactly what its flag means; the
//! command runs in a thread of its own with the GIL released, while the calling thread watches for Ctrl-C
//! ([`watched`]).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use clap::Parser;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use marginalia::Error;
use marginalia::output::{clear_stop, is_interruption, request_stop};
use marginalia::run::{self, Message, Summary};

// The binary's clap types, compiled here from the same file: the other commands' accessors are not used.
#[allow(dead_code)]
#[path = "../../src/cli/mod.rs"]
mod cli;

use cli::{Cli, Command};

pyo3::create_exception!(
    _native,
    MarginaliaError,
    pyo3::exceptions::PyException,
    "A run that failed: the message is the command line's (the file, the line, what to do)."
);

/// jemalloc, as the binary has: the library's allocations are as fast as the binary's (Python's own are not
/// affected: they go through its allocator).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How often the calling thread looks for Ctrl-C while a command runs.
const POLL: Duration = Duration::from_millis(100);

/// What a command gave: what it printed on standard output, its messages as (`skipped` | `warning` | `note`,
/// text), and the documents it analysed and skipped.
type Outcome = (Vec<u8>, Vec<(String, String)>, Summary);

/// What [`run_command`] returns to Python: standard output, the messages, the documents analysed and skipped.
type Returned<'py> = (Bound<'py, PyBytes>, Vec<(String, String)>, usize, usize);

/// What [`analyze_text`] returns to Python: each table's file name and bytes, and the messages.
type Tables<'py> = (Vec<(&'static str, Bound<'py, PyBytes>)>, Vec<(String, String)>);

/// Runs the command line `args` (without the program's name: `["analyze", "texts/", "--out", "output"]`) as the
/// `marginalia` binary would, and returns `(stdout, messages, documents, skipped)`. Only `analyze`, `merge`,
/// `quotes` and `kwic` are offered. A bad command line raises `ValueError` with clap's message, a failed run
/// `MarginaliaError` with the binary's, Ctrl-C `KeyboardInterrupt` once the run has unwound (its output folder
/// is then as it was before the run).
#[pyfunction]
fn run_command<'py>(py: Python<'py>, args: Vec<String>) -> PyResult<Returned<'py>> {
    let argv: Vec<String> = std::iter::once("marginalia".to_string()).chain(args).collect();
    let cli = parsed(&argv)?;
    let (stdout, messages, summary) = watched(py, move || command(&cli.command, argv))?;
    Ok((PyBytes::new(py, &stdout), messages, summary.documents, summary.skipped))
}

/// Every table of `marginalia analyze` for `text`, the document `id`, computed in memory with no file written:
/// `(tables, messages)`, the tables as `(file name, CSV bytes)` in the order a run writes them, the messages as
/// [`run_command`] gives them. `args` are `analyze`'s options (`["--tone", "my-tone.txt"]`); charts and the report,
/// which are files, are not made. Errors are raised as [`run_command`] raises them.
#[pyfunction]
fn analyze_text<'py>(py: Python<'py>, text: String, id: String, args: Vec<String>) -> PyResult<Tables<'py>> {
    // The command line needs a path, which is not read: `-`, so that an id such as `--help` is not a flag.
    let argv: Vec<String> = ["marginalia", "analyze", "-"].into_iter().map(String::from).chain(args).collect();
    let Command::Analyze(args) = parsed(&argv)?.command else {
        return Err(PyRuntimeError::new_err("the analyze command line was not parsed as analyze: a bug"));
    };
    let (tables, messages) = watched(py, move || {
        let mut messages = Vec::new();
        let (options, warnings) = args.options()?;
        warnings.into_iter().for_each(|w| messages.push(("warning".to_string(), w)));
        let tables = in_pool(options.threads, || {
            marginalia::run::analyze_text(&text, &id, &options, &mut |message| keep(&mut messages, message))
        })?;
        Ok((tables, messages))
    })?;
    Ok((tables.into_iter().map(|(name, bytes)| (name, PyBytes::new(py, &bytes))).collect(), messages))
}

/// A command line parsed by the binary's parser; a bad one is a `ValueError` with clap's message.
fn parsed(argv: &[String]) -> PyResult<Cli> {
    Cli::try_parse_from(argv).map_err(|e| PyValueError::new_err(e.render().to_string()))
}

/// Runs `job` in a thread of its own with the GIL released, while this thread looks for Ctrl-C: a failed run is
/// `MarginaliaError` with the binary's message, Ctrl-C `KeyboardInterrupt` once the run has unwound.
fn watched<T: Send + 'static>(
    py: Python<'_>,
    job: impl FnOnce() -> marginalia::Result<T> + Send + 'static,
) -> PyResult<T> {
    let (tx, rx) = mpsc::channel();
    // Waited on with the GIL released, from a closure that must be `Send`: a `Receiver` is only that behind a lock.
    let rx = Mutex::new(rx);
    let receiver = || rx.lock().unwrap_or_else(PoisonError::into_inner);
    let worker = std::thread::spawn(move || {
        let _ = tx.send(job());
    });
    let outcome = loop {
        match py.detach(|| receiver().recv_timeout(POLL)) {
            Ok(outcome) => break outcome,
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    // The run sees the request between documents and between a document's steps, and unwinds as a
                    // failed run does: its hidden files and lock removed, the folder as it was.
                    request_stop();
                    let _ = py.detach(|| receiver().recv());
                    let _ = worker.join();
                    // This process goes on (a notebook): later runs must not see the stop.
                    clear_stop();
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err("marginalia's run panicked: please report it as a bug"));
            }
        }
    };
    let _ = worker.join();
    match outcome {
        Ok(done) => Ok(done),
        Err(e) if is_interruption(&e) => {
            clear_stop();
            Err(PyKeyboardInterrupt::new_err("interrupted: nothing of this run was kept"))
        }
        Err(e) => Err(MarginaliaError::new_err(e.to_string())),
    }
}

/// Runs one command, as the binary's `run_command` does, with standard output in memory; `argv` is recorded in a
/// run's manifest as its command line.
fn command(command: &Command, argv: Vec<String>) -> marginalia::Result<Outcome> {
    let mut messages = Vec::new();
    let mut report = |message: Message| keep(&mut messages, message);
    let mut stdout = Vec::new();
    let summary = match command {
        Command::Analyze(args) => {
            let (mut options, warnings) = args.options()?;
            options.command = argv;
            warnings.into_iter().for_each(|w| report(Message::Warning(w)));
            in_pool(options.threads, || run::analyze(&args.paths, &options, &args.out, &mut report))?
        }
        Command::Merge { dirs, out, .. } => run::merge(dirs, out, &argv, &mut report)?,
        Command::Quotes { paths, common } => run::quote_table(paths, &common.options()?, &mut stdout, &mut report)?,
        Command::Kwic(args) => {
            let options = args.options()?;
            let (path, terms) = args.target.split()?;
            run::kwic(&[path], &options, terms, false, &mut stdout, &mut report)?
        }
        _ => return Err(Error::Usage("only analyze, merge, quotes and kwic are offered to Python".into())),
    };
    Ok((stdout, messages, summary))
}

/// Adds `message` to `messages` as (`skipped` | `warning` | `note`, text); progress is not kept.
fn keep(messages: &mut Vec<(String, String)>, message: Message) {
    match message {
        Message::Skipped(s) => messages.push(("skipped".to_string(), s)),
        Message::Warning(s) => messages.push(("warning".to_string(), s)),
        Message::Note(s) => messages.push(("note".to_string(), s)),
        Message::Progress { .. } => {}
    }
}

/// Runs `analysis` in a pool of `threads` threads. rayon's global pool is the binary's: in a process that runs
/// many commands, each run gets a pool of its own size.
fn in_pool<T: Send>(threads: usize, analysis: impl FnOnce() -> marginalia::Result<T> + Send) -> marginalia::Result<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    pool.install(analysis)
}

/// Every table's columns, in order, with what each holds: `{"documents.csv": [("document", "text"), ("bytes",
/// "integer"), …], …}`; the kinds are `text`, `integer`, `optional integer`, `number` and `flag`.
#[pyfunction]
fn table_columns() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    marginalia::report::columns::TABLES
        .iter()
        .map(|table| (table.file, table.kinds().map(|(column, kind)| (column, kind.name())).collect()))
        .collect()
}

/// The native part of the `marginalia` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_command, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_text, m)?)?;
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    m.add("MarginaliaError", m.py().get_type::<MarginaliaError>())?;
    Ok(())
}
