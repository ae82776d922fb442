//! `marginalia._native`: the library's commands for the Python package. Each call is a command line, parsed by the
//! `marginalia` binary's own parser, so that a keyword of the Python API means exactly what its flag means; the
//! command runs in a thread of its own with the GIL released, while the calling thread watches for Ctrl-C.

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

/// Runs the command line `args` (without the program's name: `["analyze", "texts/", "--out", "output"]`) as the
/// `marginalia` binary would, and returns `(stdout, messages, documents, skipped)`. Only `analyze`, `merge`,
/// `quotes` and `kwic` are offered. A bad command line raises `ValueError` with clap's message, a failed run
/// `MarginaliaError` with the binary's, Ctrl-C `KeyboardInterrupt` once the run has unwound (its output folder
/// is then as it was before the run).
#[pyfunction]
fn run_command<'py>(py: Python<'py>, args: Vec<String>) -> PyResult<Returned<'py>> {
    let argv: Vec<String> = std::iter::once("marginalia".to_string()).chain(args).collect();
    let cli = Cli::try_parse_from(&argv).map_err(|e| PyValueError::new_err(e.render().to_string()))?;
    let (tx, rx) = mpsc::channel();
    // Waited on with the GIL released, from a closure that must be `Send`: a `Receiver` is only that behind a lock.
    let rx = Mutex::new(rx);
    let receiver = || rx.lock().unwrap_or_else(PoisonError::into_inner);
    let worker = std::thread::spawn(move || {
        let _ = tx.send(command(&cli.command, argv));
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
        Ok((stdout, messages, summary)) => {
            Ok((PyBytes::new(py, &stdout), messages, summary.documents, summary.skipped))
        }
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
    let mut report = |message: Message| match message {
        Message::Skipped(s) => messages.push(("skipped".to_string(), s)),
        Message::Warning(s) => messages.push(("warning".to_string(), s)),
        Message::Note(s) => messages.push(("note".to_string(), s)),
        Message::Progress { .. } => {}
    };
    let mut stdout = Vec::new();
    let summary = match command {
        Command::Analyze(args) => {
            let (mut options, warnings) = args.options()?;
            options.command = argv;
            warnings.into_iter().for_each(|w| report(Message::Warning(w)));
            // rayon's global pool is the binary's: in a process that runs many commands, each run gets a pool
            // of its own size.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(options.threads)
                .build()
                .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", options.threads)))?;
            pool.install(|| run::analyze(&args.paths, &options, &args.out, &mut report))?
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
    m.add_function(wrap_pyfunction!(table_columns, m)?)?;
    m.add("MarginaliaError", m.py().get_type::<MarginaliaError>())?;
    Ok(())
}
