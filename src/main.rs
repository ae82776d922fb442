//! The `marginalia` command: parse the command line, call the library, turn the outcome into messages and an
//! exit code.

mod cli;

use std::io::{self, ErrorKind, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{AnalyzeArgs, Cli, Command};
use marginalia::Error;
use marginalia::report::cells::Cells;
use marginalia::run::{self, Message, Summary};

/// `eprintln!` that does not panic when stderr is closed (`2>&1 | head`): a message lost there is no reason to
/// stop a run.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// Warnings printed before the rest are only counted: a corpus of novels can have thousands of unclosed quotation
/// marks, each also in quotes.csv. Notes are counted the same way, apart (a folder of 5,000 empty files).
const MAX_WARNINGS: usize = 100;

/// Finished, but some inputs were skipped (each named on stderr).
const EXIT_SKIPPED: u8 = 1;
/// Nothing was analysed: a bad command line (as clap's own usage errors), or an error that stopped the run.
const EXIT_FAILED: u8 = 2;
/// Stopped by Ctrl-C or SIGTERM: 128 + SIGINT, as a shell reports a command a Ctrl-C ended. Nothing of the run is
/// kept, and the previous results are as they were.
const EXIT_INTERRUPTED: u8 = 130;

/// How long a run has after the first Ctrl-C to unwind by itself (it looks between documents and between the
/// steps of one) before its files are removed from under it and the process exits.
const GRACE: Duration = Duration::from_secs(2);

/// jemalloc: see Cargo.toml for why.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    stop_on_signals(out_folder(&cli.command));
    let (quiet, all_warnings) = (cli.command.quiet(), cli.command.all_warnings());
    let progress = Progress::new(!quiet && io::stderr().is_terminal(), (!all_warnings).then_some(MAX_WARNINGS));
    // Counted here as well as in the summary, which a closed stdout never returns.
    let mut skipped = 0;
    let outcome = run_command(&cli.command, &progress, &mut |message| {
        if matches!(message, Message::Skipped(_)) {
            skipped += 1;
        }
        progress.report(message);
    });
    progress.finish();
    exit_code(outcome, skipped, out_folder(&cli.command))
}

/// The output folder of a command that writes one (`analyze`, `merge`).
fn out_folder(command: &Command) -> Option<&Path> {
    match command {
        Command::Analyze(args) => Some(&args.out),
        Command::Merge { out, .. } => Some(out),
        _ => None,
    }
}

/// Makes Ctrl-C (SIGINT) and SIGTERM stop a run cleanly. The first asks the run to stop: it unwinds as a failed run
/// does, its hidden files and lock removed, and exits with [`EXIT_INTERRUPTED`]. If it has not within [`GRACE`]
/// (deep in a long document), or on a second signal, or at once when no output folder is held (a command that
/// prints to standard output), its files are removed from under it and the process exits.
fn stop_on_signals(out: Option<&Path>) {
    let out = out.map(Path::to_path_buf);
    let signals = AtomicUsize::new(0);
    // The handler runs in a thread of its own, which the signal only wakes (ctrlc's handler writes a byte to a
    // pipe, all that is safe in a signal handler), so it may take locks and remove files.
    let handler = move || {
        if signals.fetch_add(1, Ordering::SeqCst) > 0 || !marginalia::output::holds_a_folder() {
            exit_interrupted(out.as_deref());
        }
        marginalia::output::request_stop();
        let out = out.clone();
        std::thread::spawn(move || {
            std::thread::sleep(GRACE);
            exit_interrupted(out.as_deref());
        });
    };
    // Without a handler (none can be set), a signal ends the process outright, as it always did: the next run
    // into the folder removes what it left.
    let _ = ctrlc::set_handler(handler);
}

/// Removes what the runs of this process have in their output folders, says so and exits.
fn exit_interrupted(out: Option<&Path>) -> ! {
    let abandoned = marginalia::output::abandon();
    say_interrupted(out, !abandoned.published.is_empty());
    std::process::exit(i32::from(EXIT_INTERRUPTED))
}

/// Says, once, that the run was interrupted, and what became of the output folder `out`.
fn say_interrupted(out: Option<&Path>, published: bool) {
    static SAID: AtomicBool = AtomicBool::new(false);
    if SAID.swap(true, Ordering::SeqCst) {
        return;
    }
    if io::stderr().is_terminal() {
        // The progress bar may be on the line: the message goes over it.
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
    match out {
        Some(out) if published => {
            say!("marginalia: error: interrupted once this run's results were in place in {}", out.display())
        }
        Some(out) => say!(
            "marginalia: error: interrupted: nothing of this run was kept; any earlier results in {} are as they were",
            out.display()
        ),
        None => say!("marginalia: error: interrupted"),
    }
}

/// Runs one subcommand: its options from the command line, then one library call.
fn run_command(command: &Command, progress: &Progress, report: &mut dyn FnMut(Message)) -> marginalia::Result<Summary> {
    match command {
        Command::Analyze(args) => analyze(args, progress, report),
        Command::Merge { dirs, out, .. } => run::merge(dirs, out, &command_line(), report).inspect(|summary| {
            progress.finish();
            say_written("merged", summary, out, false);
        }),
        Command::Vocab { paths, top, no_stopwords, common } => {
            run::vocab(paths, &common.options()?, *top, !no_stopwords, &mut io::stdout().lock(), report)
        }
        Command::Quotes { paths, common } => {
            run::quote_table(paths, &common.options()?, &mut io::stdout().lock(), report)
        }
        Command::Provenance { paths, sources, common } => {
            run::provenance_table(paths, sources, &common.options()?, &mut io::stdout().lock(), report)
        }
        Command::Characters { paths, common, sentiment } => {
            let mut options = common.options()?;
            sentiment.apply_if_given(&mut options)?;
            run::character_table(paths, &options, &mut io::stdout().lock(), report)
        }
        Command::Ngrams(args) => run::ngrams(&args.paths, &args.options()?, args.top, &mut io::stdout().lock(), report),
        Command::Collocates(args) => {
            let options = args.options()?;
            let (path, terms) = args.target.split()?;
            let (measure, out) = (args.sort.measure(), &mut io::stdout().lock());
            run::collocates(&[path], &options, terms, measure, args.top, out, report)
        }
        Command::Cite { out } => {
            let manifest = marginalia::manifest::Manifest::read(out)?;
            let text = marginalia::manifest::cite(&manifest, &run::resolved(&run::Options::default()));
            io::stdout().lock().write_all(text.as_bytes()).map_err(Error::Stdout)?;
            Ok(Summary::default())
        }
        Command::Themes { themes, export, raw } => list_themes(themes, *export, raw.cells(), report),
        Command::Kwic(args) => {
            let options = args.options()?;
            let (path, terms) = args.target.split()?;
            let aligned = io::stdout().is_terminal();
            run::kwic(&[path], &options, terms, aligned, &mut io::stdout().lock(), report)
        }
    }
}

/// `marginalia analyze`: reports the lexicons' warnings before the run, and says what it wrote after.
fn analyze(args: &AnalyzeArgs, progress: &Progress, report: &mut dyn FnMut(Message)) -> marginalia::Result<Summary> {
    let (mut options, warnings) = args.options()?;
    options.command = command_line();
    warnings.into_iter().for_each(|w| report(Message::Warning(w)));
    // rayon's pool draws a document's charts and counts its n-gram sizes: `--threads` sizes it too.
    rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build_global()
        .map_err(|e| Error::Usage(format!("cannot start {} threads: {e}", options.threads)))?;
    let summary = run::analyze(&args.paths, &options, &args.out, report)?;
    progress.finish();
    say_written("analysed", &summary, &args.out, true);
    Ok(summary)
}

/// The command line as the manifest records it: the program by its name (not where it was run from), then every
/// argument as typed.
fn command_line() -> Vec<String> {
    let args = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned());
    std::iter::once("marginalia".to_string()).chain(args).collect()
}

/// A progress bar on stderr for runs longer than a second (when stderr is a terminal and `--quiet` is not given):
/// documents done, MB/s and time left.
struct Progress {
    enabled: bool,
    /// Warnings, and notes, printed before the rest are only counted (`None`: no limit).
    max_warnings: Option<usize>,
    warnings: Cell<usize>,
    notes: Cell<usize>,
    started: Instant,
    /// Made once the run has lasted a second.
    bar: RefCell<Option<ProgressBar>>,
}

impl Progress {
    fn new(enabled: bool, max_warnings: Option<usize>) -> Self {
        let (started, bar, warnings, notes) = (Instant::now(), RefCell::new(None), Cell::new(0), Cell::new(0));
        Progress { enabled, max_warnings, warnings, notes, started, bar }
    }

    /// Shows a message from the library: a line on stderr, or the bar's progress.
    fn report(&self, message: Message) {
        match message {
            Message::Skipped(s) => self.print(&format!("marginalia: skipped: {s}")),
            Message::Warning(s) => self.limited(&self.warnings, &format!("marginalia: warning: {s}")),
            Message::Note(s) => self.limited(&self.notes, &format!("marginalia: note: {s}")),
            Message::Progress { documents, bytes, total_bytes } => self.update(documents, bytes, total_bytes),
        }
    }

    /// Prints a warning or a note, unless as many as `max_warnings` of its kind (counted in `count`) have been
    /// printed already.
    fn limited(&self, count: &Cell<usize>, line: &str) {
        count.set(count.get() + 1);
        if self.max_warnings.is_none_or(|max| count.get() <= max) {
            self.print(line);
        }
    }

    fn update(&self, documents: usize, bytes: usize, total_bytes: u64) {
        if !self.enabled {
            return;
        }
        let mut bar = self.bar.borrow_mut();
        // Made hidden at the first document, so its rate counts from the start, and shown after a second.
        let bar = bar.get_or_insert_with(|| {
            // Standard input has no size to count down from: a spinner, without a percentage or time left.
            let (template, length) = match total_bytes {
                0 => ("{spinner}  {msg} documents  {binary_bytes_per_sec}", None),
                total => ("{bar:30} {percent:>3}%  {msg} documents  {binary_bytes_per_sec}  {eta} left", Some(total)),
            };
            let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
            ProgressBar::with_draw_target(length, ProgressDrawTarget::hidden()).with_style(style)
        });
        if bar.is_hidden() && self.started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        {
            bar.set_position(bytes as u64);
            bar.set_message(documents.to_string());
        }
    }

    /// Prints a message line, above the bar if there is one.
    fn print(&self, line: &str) {
        match self.bar.borrow().as_ref() {
            Some(bar) => bar.suspend(|| say!("{line}")),
            None => say!("{line}"),
        }
    }

    /// Clears the bar, and says how many warnings and notes were not printed (once).
    fn finish(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
        let Some(max) = self.max_warnings else { return };
        for (count, kind) in [(&self.warnings, "warnings"), (&self.notes, "notes")] {
            if count.get() > max {
                say!(
                    "marginalia: note: {} more {kind} were not shown (--all-warnings shows every one)",
                    count.get() - max
                );
                count.set(max);
            }
        }
    }
}

/// Says what a run wrote into `out`: how many documents it `did` (analysed, merged), the tables, and the charts
/// (with how long each took to draw, when `drew` them all).
fn say_written(did: &str, summary: &Summary, out: &Path, drew: bool) {
    let tables: Vec<String> = summary.tables.iter().map(|p| p.display().to_string()).collect();
    say!("marginalia: {did} {} document(s), {} bytes; wrote {}", summary.documents, summary.bytes, tables.join(", "));
    let (charts, folder) = (summary.charts, out.join("charts"));
    if charts > 0 && drew {
        let each = summary.chart_time.as_secs_f64() * 1000.0 / charts as f64;
        say!("marginalia: drew {charts} chart(s) into {} ({each:.0} ms each)", folder.display());
    } else if charts > 0 {
        say!("marginalia: {charts} chart(s) in {}", folder.display());
    }
}

/// `marginalia themes`: the active lexicon as CSV, or `--export`ed as TOML.
fn list_themes(
    themes: &cli::ThemeArgs,
    export: bool,
    cells: Cells,
    report: &mut dyn FnMut(Message),
) -> marginalia::Result<Summary> {
    if export {
        io::stdout().lock().write_all(themes.export()?.as_bytes()).map_err(Error::Stdout)?;
    } else {
        let (lexicon, warnings) = themes.lexicon()?;
        warnings.into_iter().for_each(|w| report(Message::Warning(w)));
        run::list_lexicon(&lexicon, cells, &mut io::stdout().lock())?;
    }
    Ok(Summary::default())
}

/// The exit code for a run's outcome, with `skipped` the inputs reported as skipped on the way and `out` the
/// output folder (if the command has one).
fn exit_code(outcome: marginalia::Result<Summary>, skipped: usize, out: Option<&Path>) -> ExitCode {
    let finished = if skipped > 0 { ExitCode::from(EXIT_SKIPPED) } else { ExitCode::SUCCESS };
    match outcome {
        Ok(summary) if summary.skipped > 0 => ExitCode::from(EXIT_SKIPPED),
        Ok(_) => finished,
        // A reader that stops early (`| head`) is not an error.
        Err(Error::Stdout(source)) if source.kind() == ErrorKind::BrokenPipe => finished,
        Err(e) if marginalia::output::is_interruption(&e) => {
            say_interrupted(out, false);
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(e) => {
            say!("marginalia: error: {e}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}
