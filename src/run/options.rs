//! What a run is asked to do: [`Options`], and the tables it may leave out.

use std::path::PathBuf;

use crate::analysis::arc;
use crate::analysis::collocations::CollocationOptions;
use crate::analysis::ngrams::NgramOptions;
use crate::analysis::themes::ThemeOptions;
use crate::analysis::tone::Scorer;
use crate::charts::ChartOptions;
use crate::error::{Error, Result};
use crate::html::Report;
use crate::input::InputOptions;
use crate::lexicon::Lexicon;
use crate::report::cells::Cells;
use crate::report::schema::{DocumentRow, ProvenanceRow, QuotedPassageRow, Row};
use crate::shard::Shard;
use crate::text::PipelineOptions;

use super::tables::{CORPUS_TABLES, Tables};

/// Everything a run needs to know besides its inputs and outputs.
#[derive(Debug, Clone)]
pub struct Options {
    /// How inputs are found and decoded.
    pub input: InputOptions,
    /// How texts are segmented.
    pub pipeline: PipelineOptions,
    /// The themes (`--themes FILE`…, or the embedded lexicon).
    pub themes: Lexicon,
    /// How the theme tables are cut (`--segments`, `--context`).
    pub theme_options: ThemeOptions,
    /// The tone categories (`--tone FILE`, or the embedded lexicon).
    pub tone: Lexicon,
    /// How sentences are scored for sentiment.
    pub scorer: Scorer,
    /// Points along the sentiment arc (`--arc-points`).
    pub arc_points: usize,
    /// Which n-grams are counted (`--ngrams`, `--min-count`, `--ngram-stopwords`).
    pub ngrams: NgramOptions,
    /// Collocation windows and filters (`--window`, `--min-count`, `--collocate-stopwords`).
    pub collocations: CollocationOptions,
    /// The collocation nodes (`--node TERM`…); `None` for the theme terms that occur in each text.
    pub nodes: Option<Lexicon>,
    /// Which charts are drawn, and how (`--charts`, `--chart-size`, `--chart-order`).
    pub charts: ChartOptions,
    /// The font file registered for the charts (`--chart-font`, with [`crate::charts::register_font`]); `None`
    /// for the embedded one. Kept so that `merge` draws the corpus heatmap as the shards drew their charts.
    pub chart_font: Option<PathBuf>,
    /// Whether text cells that a spreadsheet would run as formulas are neutralised (`--excel-safe`); by default
    /// every cell is written as it is.
    pub cells: Cells,
    /// Documents analysed at once (`--threads`); the output is the same whatever the number.
    pub threads: usize,
    /// Rows of `keyness.csv` each way for each document or group (`--keyness-top`).
    pub keyness_top: usize,
    /// The least count in target and reference together for a stem to be listed in `keyness.csv`
    /// (`--keyness-min-count`); 1 lists every stem.
    pub keyness_min_count: u64,
    /// Whether `keyness.csv` lists stems whose term is a stopword (`--keyness-no-stopwords` sets it false).
    pub keyness_stopwords: bool,
    /// A reference corpus or word list that keyness compares each document and group with (`--reference`);
    /// `None` for the rest of the corpus.
    pub reference: Option<PathBuf>,
    /// The most frequent words `similarity.csv` compares documents over (`--mfw`).
    pub mfw: usize,
    /// How documents are grouped for the group rows and group keyness (`--group-by`); `None` for no groups.
    pub group_by: Option<GroupBy>,
    /// Analyse only this slice of the documents, for `merge` to combine with the others (`--shard K/N`); `None`
    /// for all of them.
    pub shard: Option<Shard>,
    /// Tables not written, by name without `.csv` (`--skip-tables vocabulary,sentences`), each one of
    /// [`skippable_tables`], in any order: a run checks and sorts them before it starts.
    pub skip_tables: Vec<String>,
    /// Whether `report.html` is written (`--report`); a shard writes none.
    pub report: Report,
    /// The command line that asked for the run, as its manifest records it; empty for a library call.
    pub command: Vec<String>,
    /// The novels each quotation is looked for in (`--source FILE`…), for `provenance.csv` and
    /// `quoted_passages.csv`; none leaves both tables out.
    pub sources: Vec<PathBuf>,
}

/// How documents are grouped (`--group-by`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GroupBy {
    /// By the folder holding each file, relative to the folder named (`--group-by dir`); a table's rows are in
    /// the table's folder.
    Folder,
    /// By the value of a table column (`--group-by rating`); documents without it are in no group.
    Column(String),
}

impl Default for Options {
    /// English, embedded stopwords, theme and tone lexicons, VADER, 10 trend segments, 8 words of context,
    /// 20 arc points, bigrams and trigrams, collocations of the theme terms in windows of 4 words either side.
    fn default() -> Self {
        Options {
            input: InputOptions::default(),
            pipeline: PipelineOptions::default(),
            themes: Lexicon::default_themes(),
            theme_options: ThemeOptions::default(),
            tone: Lexicon::default_tone(),
            scorer: Scorer::Vader,
            arc_points: arc::DEFAULT_POINTS,
            ngrams: NgramOptions::default(),
            collocations: CollocationOptions::default(),
            nodes: None,
            charts: ChartOptions::default(),
            chart_font: None,
            cells: Cells::Raw,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            keyness_top: DEFAULT_KEYNESS_TOP,
            keyness_min_count: 1,
            keyness_stopwords: true,
            reference: None,
            mfw: crate::corpus::similarity::DEFAULT_MFW,
            group_by: None,
            shard: None,
            skip_tables: Vec::new(),
            report: Report::Html,
            command: Vec::new(),
            sources: Vec::new(),
        }
    }
}

/// Rows of `keyness.csv` each way for each document or group, unless `--keyness-top` says otherwise.
pub const DEFAULT_KEYNESS_TOP: usize = 20;

/// The tables `--skip-tables` can leave out, by name without `.csv`, in the order they are written: every table but
/// `documents.csv`, the run's index of its documents.
pub fn skippable_tables() -> Vec<&'static str> {
    let files = Tables::FILES.iter().chain(&CORPUS_TABLES).filter(|&&file| file != DocumentRow::FILE);
    files.map(|file| file.trim_end_matches(".csv")).collect()
}

/// Whether `skip` (from `--skip-tables`) leaves out the table of rows `S`.
pub(super) fn leaves_out<S: Row>(skip: &[String]) -> bool {
    skip.iter().any(|name| S::FILE.strip_suffix(".csv") == Some(name.as_str()))
}

/// The tables a run with `options` leaves out, checked and sorted: those `--skip-tables` names, and without
/// `--source` the two of provenance (an earlier run's are then removed, as for any table left out).
pub(super) fn tables_left_out(options: &Options) -> Result<Vec<String>> {
    let mut skip = options.skip_tables.clone();
    if options.sources.is_empty() {
        skip.extend(
            [ProvenanceRow::FILE, QuotedPassageRow::FILE].map(|file| file.trim_end_matches(".csv").to_string()),
        );
    }
    checked_skip(&skip)
}

/// `skip` checked (each one of [`skippable_tables`]), sorted and without repeats: library callers give any list.
pub(super) fn checked_skip(skip: &[String]) -> Result<Vec<String>> {
    let known = skippable_tables();
    if let Some(unknown) = skip.iter().find(|name| !known.contains(&name.as_str())) {
        let known = known.join(", ");
        return Err(Error::Usage(format!("--skip-tables: '{unknown}' is not a table that can be left out ({known})")));
    }
    let mut skip = skip.to_vec();
    skip.sort();
    skip.dedup();
    Ok(skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_to_leave_out_are_checked_sorted_and_counted_once() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(checked_skip(&names(&["vocabulary", "arc", "vocabulary"])).unwrap(), names(&["arc", "vocabulary"]));
        for bad in ["documents", "vocabulary.csv", ""] {
            let error = checked_skip(&names(&["arc", bad])).unwrap_err().to_string();
            assert!(error.contains(&format!("'{bad}' is not a table that can be left out")), "{error}");
        }
        let all = skippable_tables();
        assert_eq!(all.len(), 23);
        assert!(
            !all.contains(&"documents")
                && all.contains(&"keyness")
                && all.contains(&"similarity")
                && all.contains(&"characters")
                && all.contains(&"voices")
                && all.contains(&"theme_sentiment")
                && all.contains(&"corpus_vocabulary")
        );
    }
}
