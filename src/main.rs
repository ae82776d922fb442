//! The `marginalia` command: parse the command line, call the library, turn the outcome into messages and an
//! exit code.

mod cli;

use std::io::{self, ErrorKind};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use marginalia::Error;
use marginalia::run::{self, Message, Summary};

/// A value on the command line was not understood (as clap's own usage errors).
const EXIT_USAGE: u8 = 2;
/// Finished, but some inputs were skipped.
const EXIT_SKIPPED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut report = |m: Message| match m {
        Message::Skipped(s) => eprintln!("marginalia: skipped: {s}"),
        Message::Warning(s) => eprintln!("marginalia: warning: {s}"),
        Message::Note(s) => eprintln!("marginalia: note: {s}"),
    };
    let outcome = match &cli.command {
        Command::Analyze { paths, out, common, tone } => common.options().and_then(|mut options| {
            for warning in tone.apply(&mut options)? {
                report(Message::Warning(warning));
            }
            let summary = run::analyze(paths, &options, out, &mut report)?;
            let tables: Vec<String> = summary.tables.iter().map(|p| p.display().to_string()).collect();
            eprintln!(
                "marginalia: analysed {} document(s), {} bytes; wrote {}",
                summary.documents,
                summary.bytes,
                tables.join(", ")
            );
            Ok(summary)
        }),
        Command::Vocab { paths, top, common } => common
            .options()
            .and_then(|options| run::vocab(paths, &options, *top, &mut io::stdout().lock(), &mut report)),
    };
    exit_code(outcome)
}

fn exit_code(outcome: marginalia::Result<Summary>) -> ExitCode {
    match outcome {
        Ok(summary) if summary.skipped > 0 => ExitCode::from(EXIT_SKIPPED),
        Ok(_) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(Error::Output { source, .. }) if source.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("marginalia: error: {e}");
            match e {
                Error::Usage(_) => ExitCode::from(EXIT_USAGE),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
