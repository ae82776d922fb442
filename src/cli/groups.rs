//! The option groups the subcommands flatten into their arguments (`#[command(flatten)]`), each with its
//! conversion into the library's options.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use marginalia::analysis::collocations::{CollocationOptions, Measure};
use marginalia::analysis::ngrams::{EdgeStopwords, MAX_N, NgramOptions};
use marginalia::analysis::segments::Segmenting;
use marginalia::analysis::tone::Scorer;
use marginalia::charts::{ChartOptions, CorpusOrder, Formats, MAX_SIZE, MIN_SIZE};
use marginalia::html::Report;
use marginalia::input::{InputOptions, MAX_DOCUMENT_BYTES};
use marginalia::lexicon::{DEFAULT_THEMES, Lexicon};
use marginalia::report::cells::Cells;
use marginalia::run::{GroupBy, Options};
use marginalia::sentiment::{VaderSettings, ValenceLexicon, read_overrides};
use marginalia::shard::Shard;
use marginalia::tabular::{Columns, Format};
use marginalia::text::{ChapterRule, Language, Layout, PipelineOptions, SpeechVerbs, Stopwords};
use marginalia::{Error, Result};

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
    /// A speech-verb file (one word per line in every form a tag uses: say, says, said; # comments; no blank
    /// lines) replacing the embedded list of --lang (English, French and German have one), or `none`. Example:
    /// --speech-verbs verbes.txt
    #[arg(long, value_name = "FILE|none")]
    speech_verbs: Option<PathBuf>,
    /// How chapter headings are found: `auto` (CHAPTER I, Chapter the First, BOOK II, ACT I, SCENE II, # …, a roman
    /// numeral alone, Preface, Epilogue), `none` (the text is one chapter), or a regular expression matched against
    /// each trimmed line. Example: --chapters '^Letter [0-9]+'
    #[arg(long, value_name = "none|auto|REGEX", default_value = "auto", value_parser = str::parse::<ChapterRule>)]
    chapters: ChapterRule,
    /// Read every file as a table with one document per row: csv, tsv or jsonl. Without it, files named .csv,
    /// .tsv, .tab, .jsonl or .ndjson are read as tables and others as one document. Example: --format jsonl
    #[arg(long, value_name = "FORMAT", value_parser = Format::parse)]
    format: Option<Format>,
    /// The column (JSONL: key) of a table holding each document's text. Example: --text-column review_text
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_column: String,
    /// The column of a table holding each document's id (default: the row number). Example: --id-column review_id
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    #[command(flatten)]
    raw: RawCsv,
    /// The most bytes of text a document may hold (at most the 4 GiB a document can hold): hidden, for the tests
    /// to check the limit on an endless input without reading 4 GiB.
    #[arg(long, value_name = "BYTES", hide = true, default_value_t = MAX_DOCUMENT_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_DOCUMENT_BYTES as u64))]
    max_document_bytes: u64,
}

/// Raw or spreadsheet-safe CSV.
#[derive(Debug, Args)]
pub struct RawCsv {
    /// For opening the tables in Excel, LibreOffice or Google Sheets: a text cell beginning with = + - @, a tab or
    /// a carriage return gets a leading ' so the spreadsheet cannot run it as a formula. The ' is then part of
    /// the cell, so text[start_byte..end_byte] no longer equals such a row's text (strip it first). By default
    /// every cell is written exactly as it is, for pandas, R and other programs.
    #[arg(long, conflicts_with = "raw_csv")]
    excel_safe: bool,
    /// Write every cell exactly as it is: the default since --excel-safe exists, kept so that scripts giving it
    /// still run.
    #[arg(long, hide = true)]
    raw_csv: bool,
}

impl RawCsv {
    /// The library's setting.
    pub fn cells(&self) -> Cells {
        if self.excel_safe { Cells::Safe } else { Cells::Raw }
    }
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
    pub(super) context: usize,
}

/// Options of the sentiment and tone analysis.
#[derive(Debug, Args)]
pub struct ToneArgs {
    /// A tone lexicon (TOML: [category] label = "…", terms = ["…"]) replacing the embedded one. Example:
    /// --tone my-tone.toml
    #[arg(long, value_name = "FILE")]
    tone: Option<PathBuf>,
    #[command(flatten)]
    sentiment: SentimentArgs,
    /// Points along the sentiment arc in arc.csv. Example: --arc-points 50
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    arc_points: u32,
}

impl ToneArgs {
    /// Sets the tone options; returns warnings about the tone lexicon (terms that can never match).
    pub(super) fn apply(&self, options: &mut Options) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        if let Some(path) = &self.tone {
            let (lexicon, lexicon_warnings) = Lexicon::from_file(path)?;
            options.tone = lexicon;
            warnings = lexicon_warnings;
        }
        self.sentiment.apply(options)?;
        options.arc_points = self.arc_points as usize;
        Ok(warnings)
    }
}

/// How sentences are scored: VADER (plain, changed, or the literary preset), or a valence list.
#[derive(Debug, Args)]
pub struct SentimentArgs {
    /// Score sentences with this word<TAB>valence list instead of VADER (any language; VADER's English rules are
    /// not applied). Example: --valence french-valence.tsv
    #[arg(long, value_name = "FILE", conflicts_with_all = ["valence_override", "sentiment"])]
    valence: Option<PathBuf>,
    /// Change VADER's lexicon: word<TAB>valence lines give a word another valence, a word alone takes it out;
    /// VADER's rules still apply. Example: --valence-override my-vader.tsv
    #[arg(long, value_name = "FILE")]
    valence_override: Option<PathBuf>,
    /// VADER as published (`vader`, the default), or `vader-literary`: titles before a name (Miss Bates) and the
    /// words of multi-word names (Hope Street) are neutral. Example: --sentiment vader-literary
    #[arg(long, value_enum, default_value_t = SentimentArg::Vader)]
    sentiment: SentimentArg,
}

/// `--sentiment` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SentimentArg {
    Vader,
    VaderLiterary,
}

impl SentimentArgs {
    /// Sets how sentences (and quotations) are scored, in `options`' language.
    fn apply(&self, options: &mut Options) -> Result<()> {
        options.scorer = self.scorer(options.pipeline.language.is_english())?;
        Ok(())
    }

    /// [`SentimentArgs::apply`] when any of these options is given; otherwise the scorer is left as it is (the
    /// `characters` command scored with plain VADER in every language before it had them, and still does).
    pub fn apply_if_given(&self, options: &mut Options) -> Result<()> {
        let given = self.valence.is_some() || self.valence_override.is_some() || self.sentiment != SentimentArg::Vader;
        if given { self.apply(options) } else { Ok(()) }
    }

    /// The scorer for a run in English (`english`) or another language.
    fn scorer(&self, english: bool) -> Result<Scorer> {
        if let Some(path) = &self.valence {
            return Ok(Scorer::Valence(ValenceLexicon::from_file(path)?));
        }
        let literary = self.sentiment == SentimentArg::VaderLiterary;
        let overrides = self.valence_override.as_deref().map(read_overrides).transpose()?;
        if !english {
            if literary || overrides.is_some() {
                return Err(Error::Usage(
                    "--sentiment and --valence-override change VADER, which scores English only: give a \
                     word<TAB>valence list with --valence for this language"
                        .into(),
                ));
            }
            return Ok(Scorer::None);
        }
        Ok(if literary || overrides.is_some() {
            Scorer::VaderWith(VaderSettings { overrides, literary })
        } else {
            Scorer::Vader
        })
    }
}

/// N-gram sizes and which to keep.
#[derive(Debug, Args)]
pub struct NgramArgs {
    /// N-gram sizes, one number or a range, up to 8. Example: --ngrams 2..5
    #[arg(long = "ngrams", visible_alias = "n", value_name = "N|MIN..MAX", default_value = "2..3",
          value_parser = parse_sizes)]
    sizes: Sizes,
    /// N-grams beginning or ending with a stopword: `edge` drops them (as AntConc's clusters), `keep` keeps them.
    #[arg(long, value_enum, default_value_t = EdgeArg::Edge)]
    ngram_stopwords: EdgeArg,
}

impl NgramArgs {
    /// Sets the n-gram options.
    pub(super) fn apply(&self, options: &mut Options, min_count: &MinCountArg) {
        let edge_stopwords = match self.ngram_stopwords {
            EdgeArg::Edge => EdgeStopwords::Drop,
            EdgeArg::Keep => EdgeStopwords::Keep,
        };
        let Sizes(min_n, max_n) = self.sizes;
        options.ngrams = NgramOptions { min_n, max_n, min_count: min_count.min_count, edge_stopwords };
    }
}

/// N-gram sizes, `min..=max`.
#[derive(Debug, Clone, Copy)]
struct Sizes(usize, usize);

fn parse_sizes(text: &str) -> std::result::Result<Sizes, String> {
    let size = |s: &str| match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_N).contains(&n) => Ok(n),
        _ => Err(format!("'{s}' is not an n-gram size from 1 to {MAX_N}")),
    };
    let (min, max) = match text.split_once("..") {
        Some((min, max)) => (size(min)?, size(max.trim_start_matches('='))?),
        None => (size(text)?, size(text)?),
    };
    if min > max {
        return Err(format!("the range {text} is empty: give the smaller size first (2..5)"));
    }
    Ok(Sizes(min, max))
}

/// `--ngram-stopwords` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum EdgeArg {
    Edge,
    Keep,
}

/// Collocation windows.
#[derive(Debug, Args)]
pub struct CollocationArgs {
    /// Words looked at left and right of a collocation node, inside its sentence: L,R or one number for both.
    /// Example: --window 5,5
    #[arg(long, value_name = "L,R", default_value = "4,4", value_parser = parse_window)]
    window: Window,
    /// Score stopwords as collocates too (left out by default).
    #[arg(long)]
    collocate_stopwords: bool,
}

impl CollocationArgs {
    /// Sets the collocation options.
    pub(super) fn apply(&self, options: &mut Options, min_count: &MinCountArg) {
        let Window(left, right) = self.window;
        options.collocations =
            CollocationOptions { left, right, min_count: min_count.min_count, stopwords: self.collocate_stopwords };
    }
}

/// Words left and right of a node.
#[derive(Debug, Clone, Copy)]
struct Window(usize, usize);

fn parse_window(text: &str) -> std::result::Result<Window, String> {
    let side = |s: &str| s.trim().parse::<usize>().map_err(|_| format!("'{s}' is not a number of words"));
    let window = match text.split_once(',') {
        Some((left, right)) => Window(side(left)?, side(right)?),
        None => Window(side(text)?, side(text)?),
    };
    if window.0 + window.1 == 0 {
        return Err("the window is empty: give at least one word on one side (4,4)".into());
    }
    Ok(window)
}

/// The minimum count shared by n-grams and collocations.
#[derive(Debug, Args)]
pub struct MinCountArg {
    /// Leave out n-grams and collocations seen fewer times than this. Example: --min-count 5
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
    min_count: u32,
}

/// `collocates --sort` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortBy {
    /// Co-occurrences in the windows.
    Observed,
    /// Pointwise mutual information.
    Mi,
    /// t-score.
    TScore,
    /// logDice.
    LogDice,
    /// Log-likelihood G².
    G2,
}

impl SortBy {
    /// The library's measure.
    pub fn measure(self) -> Measure {
        match self {
            SortBy::Observed => Measure::Observed,
            SortBy::Mi => Measure::Mi,
            SortBy::TScore => Measure::TScore,
            SortBy::LogDice => Measure::LogDice,
            SortBy::G2 => Measure::G2,
        }
    }
}

/// How charts are drawn.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Chart files to draw into OUT/charts/: png, svg, both or none. Example: --charts svg
    #[arg(long = "charts", value_enum, default_value_t = ChartFormat::Png)]
    formats: ChartFormat,
    /// Chart size in pixels, WIDTHxHEIGHT. Example: --chart-size 1200x800
    #[arg(long, value_name = "WxH", default_value = "1600x1000", value_parser = parse_size)]
    chart_size: (u32, u32),
    /// Order of the documents in the corpus heatmap: similarity (the dendrogram's order: documents alike in
    /// their most frequent words side by side) or alphabetical.
    #[arg(long, value_enum, default_value_t = ChartOrder::Similarity)]
    chart_order: ChartOrder,
    /// Draw the charts of the first N documents only (they are also the rows of the corpus heatmap), or `all`.
    /// Example: --document-charts all
    #[arg(long, value_name = "N|all", default_value = "100", value_parser = parse_document_charts)]
    document_charts: DocumentCharts,
    /// A TrueType or OpenType font to draw charts with instead of the embedded Noto Sans (for scripts it lacks).
    /// Example: --chart-font NotoSansCJK.otf
    #[arg(long, value_name = "FILE")]
    chart_font: Option<PathBuf>,
    /// Write OUT/report.html, one self-contained page of the run's tables, figures and text (html), or not
    /// (none). A shard writes none; merge writes it as its shards were asked. Example: --report none
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    report: ReportFormat,
}

/// `--report`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReportFormat {
    Html,
    None,
}

impl ChartArgs {
    /// Sets the chart options (and loads the font).
    pub(super) fn apply(&self, options: &mut Options) -> Result<()> {
        if let Some(path) = &self.chart_font {
            marginalia::charts::register_font(path)?;
            options.chart_font = Some(path.clone());
        }
        let formats = match self.formats {
            ChartFormat::Png => Formats::Png,
            ChartFormat::Svg => Formats::Svg,
            ChartFormat::Both => Formats::Both,
            ChartFormat::None => Formats::None,
        };
        let order = match self.chart_order {
            ChartOrder::Similarity => CorpusOrder::Similarity,
            ChartOrder::Alphabetical => CorpusOrder::Alphabetical,
        };
        options.charts = ChartOptions { formats, size: self.chart_size, order, documents: self.document_charts.0 };
        options.report = match self.report {
            ReportFormat::Html => Report::Html,
            ReportFormat::None => Report::None,
        };
        Ok(())
    }
}

/// How a corpus is analysed: threads, keyness, groups, shards, which tables, progress.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Documents analysed at once (default: one per core). The tables are the same, byte for byte, whatever the
    /// number. Example: --threads 1
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Rows of keyness.csv each way (overused, underused) for each document or group. Example: --keyness-top 50
    #[arg(long, value_name = "N", default_value_t = marginalia::run::DEFAULT_KEYNESS_TOP)]
    keyness_top: usize,
    /// List a stem in keyness.csv only if it occurs at least N times in the target and its reference together
    /// (the default, 1, lists every stem; 5 leaves out hapax noise such as a review's one "looooot").
    /// Example: --keyness-min-count 5
    #[arg(long, value_name = "N", default_value_t = 1)]
    keyness_min_count: u64,
    /// Leave stopwords (the --stopwords list: the, i, have…) out of keyness.csv; by default they are listed.
    #[arg(long)]
    keyness_no_stopwords: bool,
    /// Compare each document and group with this reference instead of the rest of the corpus: a folder or file
    /// of texts (analysed as one text, as the inputs are), or a word list with counts: word<TAB>count lines, or
    /// AntConc's exported word list. Example: --reference bnc-wordlist.txt
    #[arg(long, value_name = "PATH")]
    reference: Option<PathBuf>,
    /// The most frequent words (normalised forms) that similarity.csv compares documents over. Example: --mfw 500
    #[arg(long, value_name = "N", default_value_t = marginalia::corpus::similarity::DEFAULT_MFW as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    mfw: u32,
    /// Sum documents by group too: `dir` (the folder holding each file) or a column of a CSV, TSV or JSONL table.
    /// Adds group rows to documents.csv, themes.csv and tone.csv, and group rows to keyness.csv. Example:
    /// --group-by rating
    #[arg(long, value_name = "COLUMN|dir")]
    group_by: Option<String>,
    /// Analyse only the K-th of N slices of the documents, for `marginalia merge` to combine with the other
    /// shards' folders into exactly what one run writes (on a cluster, one job per shard). Give every shard the
    /// same inputs and options. Example: --shard 2/8 --out shards/2
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
    /// Tables not to write, comma-separated (every table but documents.csv can be left out): on a large corpus,
    /// the biggest are vocabulary, sentences and tone_markers. An earlier run's table of that name is removed
    /// from --out. Example: --skip-tables vocabulary,sentences
    #[arg(long, value_name = "TABLE,...", value_delimiter = ',',
          value_parser = clap::builder::PossibleValuesParser::new(marginalia::run::skippable_tables()))]
    skip_tables: Vec<String>,
    /// No progress bar (it is shown only on a terminal, for runs longer than a second).
    #[arg(short, long)]
    pub(super) quiet: bool,
    /// Print every warning and note; by default the first 100 of each are printed and the rest counted.
    #[arg(long)]
    pub(super) all_warnings: bool,
}

impl CorpusArgs {
    /// Sets the thread count and the keyness rows.
    pub(super) fn apply(&self, options: &mut Options) {
        if let Some(threads) = self.threads {
            options.threads = threads.into();
        }
        options.keyness_top = self.keyness_top;
        options.keyness_min_count = self.keyness_min_count;
        options.keyness_stopwords = !self.keyness_no_stopwords;
        options.reference = self.reference.clone();
        options.mfw = self.mfw as usize;
        options.group_by = self.group_by.as_ref().map(|g| match g.as_str() {
            "dir" => GroupBy::Folder,
            column => GroupBy::Column(column.to_string()),
        });
        options.shard = self.shard;
        options.skip_tables = self.skip_tables.clone();
    }
}

/// `--charts` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ChartFormat {
    Png,
    Svg,
    Both,
    None,
}

/// `--chart-order` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ChartOrder {
    Similarity,
    Alphabetical,
}

/// `--document-charts`: how many documents are charted (`None`: all).
#[derive(Debug, Clone, Copy)]
struct DocumentCharts(Option<usize>);

fn parse_document_charts(text: &str) -> std::result::Result<DocumentCharts, String> {
    match text {
        "all" => Ok(DocumentCharts(None)),
        n => n
            .parse()
            .map(|n| DocumentCharts(Some(n)))
            .map_err(|_| format!("'{text}' is not a number of documents, or all")),
    }
}

fn parse_size(text: &str) -> std::result::Result<(u32, u32), String> {
    let bad = || format!("'{text}' is not a size like 1600x1000");
    let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (w.trim().parse().map_err(|_| bad())?, h.trim().parse().map_err(|_| bad())?);
    let ((min_w, min_h), (max_w, max_h)) = (MIN_SIZE, MAX_SIZE);
    if w < min_w || h < min_h || w > max_w || h > max_h {
        return Err(format!("{w}x{h}: charts must be from {min_w}x{min_h} to {max_w}x{max_h} pixels"));
    }
    Ok((w, h))
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
        let speech_verbs = match &self.speech_verbs {
            None => SpeechVerbs::embedded(language),
            Some(p) if p.as_os_str() == "none" => SpeechVerbs::default(),
            Some(p) => SpeechVerbs::from_file(p)?,
        };
        let layout = match self.lines {
            Lines::Auto => None,
            Lines::Paragraphs => Some(Layout::Paragraphs),
            Lines::Wrapped => Some(Layout::Wrapped),
        };
        let encoding = self.encoding.as_deref().map(InputOptions::encoding_from_label).transpose()?;
        let extensions = self.ext.iter().map(|e| e.trim().trim_start_matches('.').to_lowercase()).collect();
        Ok(Options {
            input: InputOptions {
                extensions,
                encoding,
                format: self.format,
                columns: Columns { text: self.text_column.clone(), id: self.id_column.clone() },
                output: None,
                max_document_bytes: usize::try_from(self.max_document_bytes).unwrap_or(MAX_DOCUMENT_BYTES),
            },
            pipeline: PipelineOptions { language, stopwords, speech_verbs, layout, chapters: self.chapters.clone() },
            cells: self.raw.cells(),
            ..Options::default()
        })
    }
}

/// `--segments`: a positive number of equal runs, or `chapters`.
pub(super) fn parse_segmenting(value: &str) -> std::result::Result<Segmenting, String> {
    if value == "chapters" {
        return Ok(Segmenting::Chapters);
    }
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(Segmenting::Equal(n)),
        _ => Err(format!("`{value}` is neither a number of segments (1 or more) nor `chapters`")),
    }
}
