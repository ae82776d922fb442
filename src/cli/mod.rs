//! The command line's clap types, and their conversion into the library's options. No logic lives here.

mod groups;

use groups::parse_segmenting;
pub use groups::{
    ChartArgs, CollocationArgs, CommonArgs, ContextArg, CorpusArgs, MinCountArg, NgramArgs, RawCsv, SentimentArgs,
    SortBy, ThemeArgs, ToneArgs,
};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use marginalia::analysis::segments::Segmenting;
use marginalia::analysis::themes::ThemeOptions;
use marginalia::lexicon::Lexicon;
use marginalia::run::Options;
use marginalia::{Error, Result};

/// marginalia: count what a critic would count by hand in a review, a folder of reviews or a novel.
#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 every input analysed; 1 finished, but some inputs were skipped (named on \
stderr); 2 bad command line, or nothing could be analysed (older results are left as they were); 130 \
interrupted by Ctrl-C or SIGTERM (nothing of the run is kept).\n\n\
Example: marginalia analyze texts/ --out results/")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
// Parsed once per run: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Analyse texts and write every table (documents, chapters, vocabulary, n-grams, collocations, sentences with
    /// sentiment, quotes, characters, voices, themes, theme terms, theme trend, theme sentiment, concordance, tone
    /// markers, tone, the sentiment arc, metadata, the corpus vocabulary, keyness; with --source, provenance and the
    /// quoted passages) and draw the charts. Files, folders, or tables of documents (CSV,
    /// TSV, JSON Lines), analysed on every core.
    ///
    /// Example: marginalia analyze texts/never-let-me-go-review.txt --out results/
    Analyze(AnalyzeArgs),
    /// Combine the folders written by `analyze --shard K/N` (every K from 1 to N, in any order) into the tables
    /// and charts one run over the whole corpus writes: the shards' rows in input order, and the corpus-level
    /// tables recomputed from their counts.
    ///
    /// Example: marginalia merge shards/1 shards/2 shards/3 --out results/
    Merge {
        /// The shards' output folders.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Folder for the merged tables; created if missing. Example: --out results/
        #[arg(short, long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// No progress bar (it is shown only on a terminal, for runs longer than a second).
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print a methods paragraph and the references for a run, from the manifest.json in its output folder: the
    /// version, what was run, the lexicons, the options that differ from the defaults, then each lexicon's
    /// citation and any notice its licence requires.
    ///
    /// Example: marginalia cite results/
    Cite {
        /// The --out folder of an `analyze` or `merge` run.
        #[arg(value_name = "OUT")]
        out: PathBuf,
    },
    /// Print every quotation (any language's marks, nesting, kind, speaker and character) as CSV on standard
    /// output.
    ///
    /// Example: marginalia quotes texts/never-let-me-go-review.txt
    Quotes {
        /// Files or folders to read (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Print where each quotation comes from in the novels given with --source (exact, normalised, cut with
    /// ellipses, fuzzy, a term counted, or none), as CSV on standard output: the rows of provenance.csv.
    ///
    /// Example: marginalia provenance reviews/ --source pride-and-prejudice.txt
    Provenance {
        /// Files or folders to read (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// A novel the quotations are looked for in; repeatable. Example: --source pride-and-prejudice.txt
        #[arg(long = "source", value_name = "FILE", required = true)]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Print every character (names clustered, gender, mentions, quotations, words spoken, mean sentiment, top
    /// words) as CSV on standard output.
    ///
    /// Example: marginalia characters novel.txt
    Characters {
        /// Files or folders to read (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        sentiment: SentimentArgs,
    },
    /// List the active theme lexicon as CSV (theme, label, number of terms, the terms), or --export it as TOML.
    ///
    /// Example: marginalia themes --export > my-themes.toml
    Themes {
        #[command(flatten)]
        themes: ThemeArgs,
        /// Print the lexicon as TOML, ready to edit and pass back with --themes.
        #[arg(long)]
        export: bool,
        #[command(flatten)]
        raw: RawCsv,
    },
    /// Print a concordance (keyword in context) of any terms: stems, globs (`nostalgi*`) or phrases ("told and
    /// not told"). CSV, or aligned text when standard output is a terminal.
    ///
    /// Example: marginalia kwic memory "soft-focus memor*" texts/never-let-me-go-review.txt
    #[command(override_usage = "marginalia kwic [OPTIONS] <TERM>... <PATH>")]
    Kwic(KwicArgs),
    /// Print the recurring n-grams (runs of words inside sentences) as CSV on standard output, with corpus rows
    /// (document empty) after the documents' when there are several.
    ///
    /// Example: marginalia ngrams texts/never-let-me-go-review.txt --n 3 --top 20
    Ngrams(NgramsArgs),
    /// Print the collocates of terms (stems, globs or phrases): the words within a window around them, with MI,
    /// t-score, logDice and log-likelihood, as CSV on standard output.
    ///
    /// Example: marginalia collocates memor* texts/never-let-me-go-review.txt --window 5,5 --min-count 1
    #[command(override_usage = "marginalia collocates [OPTIONS] <TERM>... <PATH>")]
    Collocates(CollocatesArgs),
    /// Print the vocabulary (stems with their forms and counts) as CSV on standard output, stopwords included
    /// unless --no-stopwords.
    ///
    /// Example: marginalia vocab texts/never-let-me-go-review.txt --top 25
    Vocab {
        /// Files or folders to read (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Only the N most frequent stems of each document. Example: --top 25
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Leave stopwords out (as top_words.png does), so --top gives the most frequent words that carry meaning.
        /// Example: --no-stopwords --top 10
        #[arg(long)]
        no_stopwords: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
}

impl Command {
    /// Whether `--quiet` turned the progress bar off (only `analyze` and `merge` have one).
    pub fn quiet(&self) -> bool {
        match self {
            Command::Analyze(args) => args.corpus.quiet,
            Command::Merge { quiet, .. } => *quiet,
            _ => false,
        }
    }

    /// Whether `--all-warnings` lifts the limit on printed warnings (only `analyze` has it).
    pub fn all_warnings(&self) -> bool {
        matches!(self, Command::Analyze(args) if args.corpus.all_warnings)
    }
}

/// `marginalia analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Files or folders to analyse (folders recursively), or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Folder for the tables; created if missing. Example: --out results/
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    themes: ThemeArgs,
    /// How theme_trend.csv and theme_sentiment.csv cut the text: into N runs of equal length, or by chapter.
    /// Example: --segments 20, --segments chapters
    #[arg(long, value_name = "N|chapters", default_value = "10", value_parser = parse_segmenting)]
    segments: Segmenting,
    #[command(flatten)]
    context: ContextArg,
    #[command(flatten)]
    tone: ToneArgs,
    #[command(flatten)]
    ngrams: NgramArgs,
    #[command(flatten)]
    collocations: CollocationArgs,
    #[command(flatten)]
    min_count: MinCountArg,
    #[command(flatten)]
    charts: ChartArgs,
    #[command(flatten)]
    corpus: CorpusArgs,
    /// A collocation node (stem, glob or phrase, as in lexicons) instead of the theme terms; repeatable.
    /// Example: --node memory --node "told and not told"
    #[arg(long = "node", value_name = "TERM")]
    nodes: Vec<String>,
    /// A novel the quotations are looked for in, for provenance.csv and quoted_passages.csv; repeatable.
    /// Example: --source pride-and-prejudice.txt
    #[arg(long = "source", value_name = "FILE")]
    sources: Vec<PathBuf>,
}

impl AnalyzeArgs {
    /// The library options, and warnings about the theme and tone lexicons (terms that can never match). Loads
    /// the chart font on the way.
    pub fn options(&self) -> Result<(Options, Vec<String>)> {
        let mut options = self.common.options()?;
        // Walking a folder passes over this one, so a run never reads its own earlier tables.
        options.input.output = Some(self.out.clone());
        self.charts.apply(&mut options)?;
        self.corpus.apply(&mut options);
        self.ngrams.apply(&mut options, &self.min_count);
        self.collocations.apply(&mut options, &self.min_count);
        if !self.nodes.is_empty() {
            options.nodes = Some(Lexicon::from_terms(&self.nodes)?);
        }
        options.sources = self.sources.clone();
        let (themes, mut warnings) = self.themes.lexicon()?;
        options.themes = themes;
        options.theme_options = ThemeOptions { segments: self.segments, context: self.context.context };
        warnings.extend(self.tone.apply(&mut options)?);
        Ok((options, warnings))
    }
}

/// `marginalia kwic`.
#[derive(Debug, Args)]
pub struct KwicArgs {
    #[command(flatten)]
    pub target: TermsThenPath,
    #[command(flatten)]
    context: ContextArg,
    #[command(flatten)]
    common: CommonArgs,
}

impl KwicArgs {
    /// The library options.
    pub fn options(&self) -> Result<Options> {
        let mut options = self.common.options()?;
        options.theme_options.context = self.context.context;
        Ok(options)
    }
}

/// `marginalia ngrams`.
#[derive(Debug, Args)]
pub struct NgramsArgs {
    /// Files or folders to read (folders recursively), or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Only the N most frequent n-grams of each size in each document. Example: --top 20
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[command(flatten)]
    ngrams: NgramArgs,
    #[command(flatten)]
    min_count: MinCountArg,
    #[command(flatten)]
    common: CommonArgs,
}

impl NgramsArgs {
    /// The library options.
    pub fn options(&self) -> Result<Options> {
        let mut options = self.common.options()?;
        self.ngrams.apply(&mut options, &self.min_count);
        Ok(options)
    }
}

/// `marginalia collocates`.
#[derive(Debug, Args)]
pub struct CollocatesArgs {
    #[command(flatten)]
    pub target: TermsThenPath,
    /// Only the N strongest collocates of each term in each document. Example: --top 20
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// The measure collocates are ranked by, strongest first.
    #[arg(long, value_enum, default_value_t = SortBy::LogDice)]
    pub sort: SortBy,
    #[command(flatten)]
    collocations: CollocationArgs,
    #[command(flatten)]
    min_count: MinCountArg,
    #[command(flatten)]
    common: CommonArgs,
}

impl CollocatesArgs {
    /// The library options.
    pub fn options(&self) -> Result<Options> {
        let mut options = self.common.options()?;
        self.collocations.apply(&mut options, &self.min_count);
        Ok(options)
    }
}

/// `TERM... PATH`, as `kwic` and `collocates` take them.
#[derive(Debug, Args)]
pub struct TermsThenPath {
    /// One or more terms, then the file or folder to search (or - for standard input).
    #[arg(required = true, num_args = 2.., value_names = ["TERM", "PATH"])]
    terms_then_path: Vec<String>,
}

impl TermsThenPath {
    /// The path and the terms (clap requires at least one of each).
    pub fn split(&self) -> Result<(PathBuf, &[String])> {
        let (path, terms) = self
            .terms_then_path
            .split_last()
            .ok_or_else(|| Error::Usage("give one or more terms, then a file or folder".into()))?;
        Ok((path.into(), terms))
    }
}
