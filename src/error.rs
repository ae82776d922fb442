//! The library's error type. Every variant names the file (and, where it can, the line) and says what to do,
//! so the command line can print it as one line without adding context of its own.

use std::io;
use std::path::PathBuf;

/// Everything that can stop marginalia from finishing a job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input path given on the command line does not exist.
    #[error("{}: no such file or folder (check the path, or use - to read standard input)", .0.display())]
    MissingPath(PathBuf),

    /// A folder was given but holds no file with one of the accepted extensions.
    #[error("{}: no files ending in {exts} found (use --ext to choose other extensions)", path.display())]
    NoInputs {
        /// The folder that was searched.
        path: PathBuf,
        /// The accepted extensions, as the user would write them (`.txt, .md`).
        exts: String,
    },

    /// Every input was skipped (binary or unreadable), so there is nothing to analyse.
    #[error("none of the inputs could be read as text (see the messages above)")]
    NothingReadable,

    /// A file or folder could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },

    /// The output folder could not be created or written to.
    #[error("{}: cannot write results here: {source} (choose another folder with --out)", path.display())]
    Output {
        /// The output folder or file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },

    /// Standard output could not be written (`vocab`, `kwic`, `themes`).
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),

    /// A lexicon or word list (stopwords, themes, tone) is malformed.
    #[error("{}: {message}", place(path, *line, *column))]
    Lexicon {
        /// The lexicon file.
        path: PathBuf,
        /// The 1-based line of the problem.
        line: usize,
        /// The 1-based column (in characters), where known.
        column: Option<usize>,
        /// What is wrong and how to fix it.
        message: String,
    },

    /// A shard's folder cannot be merged (`marginalia merge`): its state is missing, truncated or from other
    /// options, or a shard is missing.
    #[error("{}: {message}", path.display())]
    Shard {
        /// The shard's folder or state file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },

    /// A run's `manifest.json` is missing or cannot be read (`marginalia cite`, `marginalia merge`).
    #[error("{}: {message}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },

    /// An option's value was not understood (an unknown encoding label, a language the stemmer lacks, …).
    #[error("{0}")]
    Usage(String),
}

/// `file:line` or `file:line:column`, as compilers point at a place.
fn place(path: &std::path::Path, line: usize, column: Option<usize>) -> String {
    match column {
        Some(column) => format!("{}:{line}:{column}", path.display()),
        None => format!("{}:{line}", path.display()),
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
