//! The command line's clap types, and their conversion into the library's options. No logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use marginalia::Result;
use marginalia::analysis::tone::Scorer;
use marginalia::input::InputOptions;
use marginalia::lexicon::{DEFAULT_THEMES, Lexicon};
use marginalia::run::Options;
use marginalia::sentiment::ValenceLexicon;
use marginalia::text::{Language, Layout, PipelineOptions, Stopwords};

/// marginalia: count what a critic would count by hand in a review, a folder of reviews or a novel.
#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about, long_about = None)]
#[command(after_help = "Exit codes: 0 success; 1 error (nothing written); 2 bad command line; \
3 finished, but some inputs were skipped.\n\nExample: marginalia analyze texts/ --out results/")]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse texts and write every table: documents, vocabulary, sentences (with sentiment), quotes, themes,
    /// theme terms, theme trend, concordance, tone markers, tone and the sentiment arc.
    ///
    /// Example: marginalia analyze texts/never-let-me-go-review.txt --out results/
    Analyze {
        /// Files or folders to analyse (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Folder for the tables; created if missing. Example: --out results/
        #[arg(short, long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        themes: ThemeArgs,
        /// Segments the text is cut into for theme_trend.csv. Example: --segments 20
        #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        segments: u32,
        #[command(flatten)]
        context: ContextArg,
        #[command(flatten)]
        tone: ToneArgs,
    },
    /// Print every quotation (any language's marks, nesting, kind, speaker) as CSV on standard output.
    ///
    /// Example: marginalia quotes texts/never-let-me-go-review.txt
    Quotes {
        /// Files or folders to read (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
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
    },
    /// Print a concordance (keyword in context) of any terms: stems, globs (`nostalgi*`) or phrases ("told and
    /// not told"). CSV, or aligned text when standard output is a terminal.
    ///
    /// Example: marginalia kwic memory "soft-focus memor*" texts/never-let-me-go-review.txt
    #[command(override_usage = "marginalia kwic [OPTIONS] <TERM>... <PATH>")]
    Kwic {
        /// One or more terms, then the file or folder to search (or - for standard input).
        #[arg(required = true, num_args = 2.., value_names = ["TERM", "PATH"])]
        terms_then_path: Vec<String>,
        #[command(flatten)]
        context: ContextArg,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Print the vocabulary (stems with their forms and counts) as CSV on standard output.
    ///
    /// Example: marginalia vocab texts/never-let-me-go-review.txt --top 25
    Vocab {
        /// Files or folders to read (folders recursively), or - for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Only the N most frequent stems of each document. Example: --top 25
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// Options every subcommand that reads texts shares.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// File extensions to read when walking folders, comma-separated. Example: --ext txt,md,markdown
    #[arg(long, value_name = "LIST", value_delimiter = ',', default_value = "txt,md")]
    ext: Vec<String>,
    /// Decode every input with this encoding instead of detecting it (WHATWG labels). Example: --encoding latin1
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// How lines make paragraphs: auto (detect per file), paragraphs (one per line) or wrapped (blank-line
    /// separated, hard-wrapped lines joined). Example: --lines wrapped
    #[arg(long, value_enum, default_value_t = Lines::Auto)]
    lines: Lines,
    /// Language for stemming and stopwords, by name or ISO code. Example: --lang fr
    #[arg(long, value_name = "LANG", default_value = "english")]
    lang: String,
    /// A stopword file (one word per line, # comments) replacing the embedded list, or `none`. Example:
    /// --stopwords my-stopwords.txt
    #[arg(long, value_name = "FILE|none")]
    stopwords: Option<PathBuf>,
}

/// The theme lexicons.
#[derive(Debug, Args)]
pub struct ThemeArgs {
    /// A theme lexicon (TOML, or LIWC/WordStat .dic) to use instead of the embedded one; repeat to use several.
    /// Example: --themes my-themes.toml --themes lab.dic
    #[arg(long = "themes", value_name = "FILE")]
    files: Vec<PathBuf>,
}

impl ThemeArgs {
    /// The chosen lexicon (the embedded one without --themes) and warnings about terms that can never match.
    pub fn lexicon(&self) -> Result<(Lexicon, Vec<String>)> {
        if self.files.is_empty() {
            Ok((Lexicon::default_themes(), Vec::new()))
        } else {
            Lexicon::from_files(&self.files)
        }
    }

    /// What `--export` prints: the embedded file as it is (comments included), or the user's lexicons as TOML.
    pub fn export(&self) -> Result<String> {
        if self.files.is_empty() { Ok(DEFAULT_THEMES.to_string()) } else { self.lexicon()?.0.to_toml() }
    }
}

/// Words of context in concordances.
#[derive(Debug, Args)]
pub struct ContextArg {
    /// Words of context on each side of a concordance keyword. Example: --context 12
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub context: usize,
}

/// Options of the sentiment and tone analysis.
#[derive(Debug, Args)]
pub struct ToneArgs {
    /// A tone lexicon (TOML: [category] label = "…", terms = ["…"]) replacing the embedded one. Example:
    /// --tone my-tone.toml
    #[arg(long, value_name = "FILE")]
    tone: Option<PathBuf>,
    /// Score sentences with this word<TAB>valence list instead of VADER (any language; VADER's English rules are
    /// not applied). Example: --valence french-valence.tsv
    #[arg(long, value_name = "FILE")]
    valence: Option<PathBuf>,
    /// Points along the sentiment arc in arc.csv. Example: --arc-points 50
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    arc_points: u32,
}

impl ToneArgs {
    /// Sets the tone options; returns warnings about the tone lexicon (terms that can never match).
    pub fn apply(&self, options: &mut Options) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        if let Some(path) = &self.tone {
            let (lexicon, lexicon_warnings) = Lexicon::from_file(path)?;
            options.tone = lexicon;
            warnings = lexicon_warnings;
        }
        options.scorer = match &self.valence {
            Some(path) => Scorer::Valence(ValenceLexicon::from_file(path)?),
            None if options.pipeline.language.is_english() => Scorer::Vader,
            None => Scorer::None,
        };
        options.arc_points = self.arc_points as usize;
        Ok(warnings)
    }
}

/// `--lines` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Lines {
    Auto,
    Paragraphs,
    Wrapped,
}

impl CommonArgs {
    /// The library options these arguments ask for.
    pub fn options(&self) -> Result<Options> {
        let language = Language::parse(&self.lang)?;
        let stopwords = match &self.stopwords {
            None => Stopwords::embedded(language),
            Some(p) if p.as_os_str() == "none" => Stopwords::none(),
            Some(p) => Stopwords::from_file(p)?,
        };
        let layout = match self.lines {
            Lines::Auto => None,
            Lines::Paragraphs => Some(Layout::Paragraphs),
            Lines::Wrapped => Some(Layout::Wrapped),
        };
        let encoding = self.encoding.as_deref().map(InputOptions::encoding_from_label).transpose()?;
        let extensions = self.ext.iter().map(|e| e.trim().trim_start_matches('.').to_lowercase()).collect();
        Ok(Options {
            input: InputOptions { extensions, encoding },
            pipeline: PipelineOptions { language, stopwords, layout },
            ..Options::default()
        })
    }
}
