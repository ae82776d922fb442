//! Charts a critic can put in a paper, each drawn from rows of a table the same run writes: per document
//! `themes`, `top_words`, `theme_trend`, `sentiment_arc`, `tone`, `quotes`, `characters`, `theme_sentiment` and
//! `voice_themes`, and for a corpus `themes_by_document` and `dendrogram`. SVG, or PNG: the same SVG rasterised
//! by resvg with the embedded Noto Sans (or `--chart-font`) alone, so no system font is needed.
//!
//! Every chart file is written to a temporary file and renamed into place, so a stopped run never leaves half
//! an image. A chart that cannot be drawn or written is reported in [`Drawn::failed`], not an error: the run's
//! tables do not depend on it.

mod dendrogram;
mod heatmap;
mod plots;
mod raster;
mod style;

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use crate::corpus::clustering::Dendrogram;
use crate::error::{Error, Result};
use crate::output::{while_running, write_atomically};
use crate::report::schema::{
    ArcRow, CharacterRow, ThemeRow, ThemeSentimentRow, ThemeTrendRow, ToneRow, VocabularyRow, VoiceThemeRow,
};

pub use style::register_font;

/// Which files each chart is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Formats {
    /// No charts (`--charts none`).
    None,
    /// PNG only (the default).
    Png,
    /// SVG only.
    Svg,
    /// Both.
    Both,
}

/// How the documents of the corpus heatmap are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CorpusOrder {
    /// The dendrogram's leaf order (Ward's method on Burrows's Delta, as `stylo` clusters): documents alike in
    /// their most frequent words next to each other (the default).
    Similarity,
    /// Alphabetically by document id.
    Alphabetical,
}

/// What charts are drawn, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChartOptions {
    /// PNG, SVG, both or none (`--charts`).
    pub formats: Formats,
    /// Width and height in pixels (`--chart-size`).
    pub size: (u32, u32),
    /// Row order of the corpus heatmap (`--chart-order`).
    pub order: CorpusOrder,
    /// Draw the charts of the first this many documents only, and show only them in the corpus heatmap
    /// (`--document-charts`); `None` for every document.
    pub documents: Option<usize>,
}

/// Documents charted unless `--document-charts` says otherwise: a corpus of 100,000 reviews would otherwise take
/// an hour to draw 600,000 charts no one could look through, and a heatmap with a row per review.
pub const DEFAULT_DOCUMENT_CHARTS: usize = 100;

impl Default for ChartOptions {
    /// PNG at 1600 × 1000, the corpus heatmap in the dendrogram's order, the first 100 documents charted.
    fn default() -> Self {
        ChartOptions {
            formats: Formats::Png,
            size: (1600, 1000),
            order: CorpusOrder::Similarity,
            documents: Some(DEFAULT_DOCUMENT_CHARTS),
        }
    }
}

/// The smallest chart that still has room for its labels.
pub const MIN_SIZE: (u32, u32) = (640, 400);
/// The largest chart: nine are drawn at a time, each a buffer of width × height × 3 bytes (190 MB at this size).
pub const MAX_SIZE: (u32, u32) = (8000, 8000);

/// The rows one document's charts are drawn from: the same rows its tables hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocumentData<'a> {
    /// The document id, named in every title.
    pub document: &'a str,
    /// Its size in bytes, for placing quotations along the text.
    pub bytes: usize,
    /// `themes.csv`.
    pub themes: &'a [ThemeRow],
    /// `vocabulary.csv`, most frequent first.
    pub vocabulary: &'a [VocabularyRow<'a>],
    /// `theme_trend.csv`.
    pub trend: &'a [ThemeTrendRow],
    /// Every sentence (`sentences.csv`): its `sentence_id`, where its middle falls in the text (0 to 1, by bytes,
    /// as in `arc.csv`) and its compound score.
    pub sentences: &'a [(u32, f64, Option<f64>)],
    /// `arc.csv`.
    pub arc: &'a [ArcRow],
    /// `tone.csv`.
    pub tone: &'a [ToneRow],
    /// Each quotation of `quotes.csv`: where it opens (`start_byte`) and its `kind`.
    pub quotes: &'a [(usize, &'static str)],
    /// Its rows of `characters.csv`, most words spoken first.
    pub characters: &'a [CharacterRow],
    /// Its rows of `voice_themes.csv` (the whole document's, then each chapter's).
    pub voice_themes: &'a [VoiceThemeRow],
    /// Its rows of `theme_sentiment.csv`.
    pub theme_sentiment: &'a [ThemeSentimentRow],
    /// Where each chapter after the first starts (0 to 1 along the text, by bytes), in order.
    pub chapter_starts: &'a [f64],
}

/// The charts' palette (Okabe & Ito, told apart with any kind of colour blindness) as RGB, for other views of the
/// same rows (the report) to draw in the same colours.
pub fn palette() -> [(u8, u8, u8); 6] {
    [style::BLUE, style::VERMILLION, style::SKY, style::GREEN, style::ORANGE, style::INK].map(|c| (c.0, c.1, c.2))
}

/// The charts of a document, by file name without extension, in the order they are drawn.
pub const DOCUMENT_CHARTS: [&str; 9] =
    ["themes", "top_words", "theme_trend", "sentiment_arc", "tone", "quotes", "speakers", "theme_sentiment", "voices"];
/// The corpus heatmap's file name without extension, in `<charts>/corpus/`.
pub const CORPUS_CHART: &str = "themes_by_document";
/// The cluster analysis's file name without extension, in `<charts>/corpus/`.
pub const DENDROGRAM_CHART: &str = "dendrogram";
/// Where the quoted passages come from in the sources, without extension, in `<charts>/corpus/`.
pub const PASSAGES_CHART: &str = "quoted_passages";

/// What drawing charts wrote, and how long it took (summed over the threads that drew them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Time spent drawing and encoding them.
    pub time: Duration,
    /// The charts that could not be drawn or written, each as `file: reason` (`themes.png: File name too long`).
    pub failed: Vec<String>,
}

impl Drawn {
    /// Adds what another drawing wrote.
    pub fn add(&mut self, other: Drawn) {
        self.files.extend(other.files);
        self.time += other.time;
        self.failed.extend(other.failed);
    }

    /// Draws a chart file with `write`, and lists it as written or as failed.
    fn write(&mut self, path: PathBuf, write: impl FnOnce(&Path) -> Result<()>) {
        match write(&path) {
            Ok(()) => self.files.push(path),
            Err(e) => self.failed.push(failure(&path, e)),
        }
    }

    /// What could not be drawn, as one clause: the files, grouped by the reason they give.
    pub fn failures(&self) -> String {
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for failure in &self.failed {
            let (file, reason) = failure.split_once(": ").unwrap_or(("", failure));
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, files)) => files.push(file),
                None => reasons.push((reason, vec![file])),
            }
        }
        let each = reasons.iter().map(|(reason, files)| format!("{}: {reason}", files.join(", ")));
        each.collect::<Vec<_>>().join("; ")
    }
}

/// Gives each document its own chart folder, `<charts>/<document>/`: the id made safe as a path, with `-2`,
/// `-3`… added when two ids come out the same (`a:b` and `a_b`), or when a document is called `corpus`, so no
/// document's charts mix with another's; and `-2` added to any part of the path named like a chart file
/// (`x/themes.png` → `x/themes.png-2/`), so that no folder is where another document's chart goes.
#[derive(Debug)]
pub struct Folders {
    charts: PathBuf,
    used: std::collections::HashSet<PathBuf>,
}

impl Folders {
    /// The folders under `charts`, with `corpus/` kept for the corpus charts.
    pub fn new(charts: &Path) -> Self {
        let charts = charts.to_path_buf();
        Folders { used: [charts.join("corpus")].into(), charts }
    }

    /// The chart folder for the document `id`, never given out before.
    pub fn claim(&mut self, id: &str) -> PathBuf {
        let safe = safe_path(id);
        let parts = safe.iter().map(|part| match part.to_str() {
            Some(name) if is_chart_file(name) => format!("{name}-2").into(),
            _ => part.to_os_string(),
        });
        let base = self.charts.join(parts.collect::<PathBuf>());
        let mut dir = base.clone();
        for n in 2.. {
            if self.used.insert(dir.clone()) {
                break;
            }
            dir = PathBuf::from(format!("{}-{n}", base.display()));
        }
        dir
    }
}

/// Whether `name` is that of a chart file (`themes.png`, `quotes.svg`, …; in any case, as some file systems
/// compare names).
fn is_chart_file(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let Some((stem, extension)) = name.rsplit_once('.') else { return false };
    matches!(extension, "png" | "svg")
        && (DOCUMENT_CHARTS.contains(&stem) || [CORPUS_CHART, DENDROGRAM_CHART, PASSAGES_CHART].contains(&stem))
}

/// Draws the charts of one document ([`DOCUMENT_CHARTS`]) into `dir` (from [`Folders::claim`]). A chart that cannot be drawn or
/// written is listed in [`Drawn::failed`]; the others are still drawn.
pub fn document_charts(dir: &Path, data: &DocumentData, options: &ChartOptions) -> Drawn {
    let dir = dir.to_path_buf();
    if options.formats == Formats::None {
        return Drawn::default();
    }
    if let Err(failed) = make_folder(&dir) {
        return failed;
    }
    // Drawn side by side on rayon's pool: rasterising and compressing are most of a chart's cost.
    let charts: [&(dyn Fn() -> Drawn + Sync); DOCUMENT_CHARTS.len()] = [
        &|| render(&plots::themes(data), &dir, DOCUMENT_CHARTS[0], options),
        &|| render(&plots::top_words(data), &dir, DOCUMENT_CHARTS[1], options),
        &|| render(&plots::theme_trend(data), &dir, DOCUMENT_CHARTS[2], options),
        &|| render(&plots::sentiment_arc(data), &dir, DOCUMENT_CHARTS[3], options),
        &|| render(&plots::tone(data), &dir, DOCUMENT_CHARTS[4], options),
        &|| render(&plots::quotes(data), &dir, DOCUMENT_CHARTS[5], options),
        &|| render(&plots::speakers(data), &dir, DOCUMENT_CHARTS[6], options),
        &|| render(&plots::theme_sentiment(data), &dir, DOCUMENT_CHARTS[7], options),
        &|| render(&plots::voices(data), &dir, DOCUMENT_CHARTS[8], options),
    ];
    let mut drawn = Drawn::default();
    for chart in charts.par_iter().map(|draw| draw()).collect::<Vec<Drawn>>() {
        drawn.add(chart);
    }
    drawn
}

/// Draws `<charts>/corpus/themes_by_document.png`: documents × themes, per 10,000 words, from the rows of
/// `themes.csv` of every document (grouped by document, in the order they were written); and with three or more
/// documents clustered, `<charts>/corpus/dendrogram.png`, whose leaf order the heatmap follows under
/// [`CorpusOrder::Similarity`]. A failure is listed in [`Drawn::failed`].
pub fn corpus_charts(
    charts: &Path,
    themes: &[ThemeRow],
    dendrogram: Option<&Dendrogram>,
    options: &ChartOptions,
) -> Drawn {
    let dir = charts.join("corpus");
    if options.formats == Formats::None {
        return Drawn::default();
    }
    if let Err(failed) = make_folder(&dir) {
        return failed;
    }
    let leaf_order: Vec<&str> = dendrogram.map_or_else(Vec::new, |d| {
        d.tree.order().iter().filter_map(|&l| d.labels.get(l)).map(|l| l.as_str()).collect()
    });
    let mut drawn = render(&plots::themes_by_document(themes, options.order, &leaf_order), &dir, CORPUS_CHART, options);
    if let Some(dendrogram) = dendrogram.filter(|d| d.tree.leaves >= 3) {
        drawn.add(render(&dendrogram::DendrogramChart { dendrogram }, &dir, DENDROGRAM_CHART, options));
    }
    drawn
}

/// Draws `<charts>/corpus/quoted_passages.png`: where in each `--source` the corpus's located quotations start,
/// from `positions` (each source's id and its quotations in each hundredth of its length, as
/// `quoted_passages.csv`'s rows are counted). A failure is listed in [`Drawn::failed`].
pub fn quoted_passages_chart(charts: &Path, positions: &[(String, [u32; 100])], options: &ChartOptions) -> Drawn {
    let dir = charts.join("corpus");
    if options.formats == Formats::None {
        return Drawn::default();
    }
    if let Err(failed) = make_folder(&dir) {
        return failed;
    }
    render(&plots::quoted_passages(positions), &dir, PASSAGES_CHART, options)
}

/// Creates a chart folder (unless the run is stopping); the failure, as a drawing that failed.
fn make_folder(dir: &Path) -> std::result::Result<(), Drawn> {
    while_running(|| std::fs::create_dir_all(dir)).map_err(|e| {
        let name = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        Drawn { failed: vec![format!("its folder {name}/: {e}")], ..Drawn::default() }
    })
}

/// A chart that can be drawn on any plotters backend.
trait Chart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `chart` as `<dir>/<name>.png` and/or `.svg`, both from one SVG drawing; a file that cannot be drawn or
/// written is listed in [`Drawn::failed`].
fn render<C: Chart>(chart: &C, dir: &Path, name: &str, options: &ChartOptions) -> Drawn {
    let start = Instant::now();
    let mut drawn = Drawn::default();
    let svg = raster::svg(chart, options.size);
    let drawing = |path: &Path| svg.as_deref().map_err(|e| draw_error(path, e));
    if matches!(options.formats, Formats::Png | Formats::Both) {
        drawn.write(dir.join(format!("{name}.png")), |path| {
            write_atomically(path, &raster::png(drawing(path)?, options.size).map_err(|e| draw_error(path, e))?)
        });
    }
    if matches!(options.formats, Formats::Svg | Formats::Both) {
        drawn.write(dir.join(format!("{name}.svg")), |path| write_atomically(path, drawing(path)?.as_bytes()));
    }
    drawn.time = start.elapsed();
    drawn
}

/// A chart that could not be drawn or written, as [`Drawn::failed`] lists it: its file name and the reason.
fn failure(path: &Path, error: Error) -> String {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    match error {
        Error::Output { source, .. } => format!("{name}: {source}"),
        other => format!("{name}: {other}"),
    }
}

fn draw_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output { path: path.to_path_buf(), source: std::io::Error::other(format!("cannot draw the chart: {e}")) }
}

/// A part of a chart folder's path keeps at most this many characters …
const MAX_PART_CHARS: usize = 100;
/// … and this many bytes: file systems cap a name at 255 bytes (not characters), and `-2`, `-3`… may be added.
const MAX_PART_BYTES: usize = 200;
/// A chart folder's path (under `charts/`) keeps the parts that fit in this many bytes, so that with the output
/// folder's path it stays within what a system takes as one path (4,096 bytes on Linux).
const MAX_PATH_BYTES: usize = 1000;

/// A document id as a relative path that stays inside the charts folder: each part keeps its letters but loses
/// control characters and the characters file systems refuse, `.` and `..` parts are replaced, and the length
/// of each part (100 characters, 200 bytes, cut on a character's boundary) and of the whole (1,000 bytes) is
/// capped.
pub fn safe_path(id: &str) -> PathBuf {
    let mut total = 0;
    let parts: Vec<String> = id
        .split(['/', '\\'])
        .map(|part| {
            let mut bytes = 0;
            let clean: String = part
                .chars()
                .map(|c| if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
                .take(MAX_PART_CHARS)
                .take_while(|c| {
                    bytes += c.len_utf8();
                    bytes <= MAX_PART_BYTES
                })
                .collect();
            let clean = clean.trim().to_string();
            if clean.is_empty() || clean.chars().all(|c| c == '.') { "_".to_string() } else { clean }
        })
        .take_while(|part| {
            total += part.len() + 1;
            total <= MAX_PATH_BYTES + 1
        })
        .collect();
    let path: PathBuf = parts.iter().collect();
    debug_assert!(path.components().all(|c| matches!(c, Component::Normal(_))));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_sanitise_alike_get_their_own_folders() {
        let mut folders = Folders::new(Path::new("out/charts"));
        assert_eq!(folders.claim("a:b"), Path::new("out/charts/a_b"));
        assert_eq!(folders.claim("a_b"), Path::new("out/charts/a_b-2"));
        assert_eq!(folders.claim("a?b"), Path::new("out/charts/a_b-3"));
        assert_eq!(folders.claim("corpus"), Path::new("out/charts/corpus-2"));
        assert_eq!(folders.claim("c"), Path::new("out/charts/c"));
    }

    #[test]
    fn document_ids_cannot_leave_the_charts_folder() {
        for (id, want) in [
            ("never-let-me-go-review", "never-let-me-go-review"),
            ("reviews/ishiguro", "reviews/ishiguro"),
            ("../../etc/passwd", "_/_/etc/passwd"),
            ("/abs", "_/abs"),
            ("a\\..\\b", "a/_/b"),
            ("con:tro\u{7}l?", "con_tro_l_"),
            ("", "_"),
            ("…", "…"),
        ] {
            let path = safe_path(id);
            assert_eq!(path, PathBuf::from(want), "{id:?}");
            assert!(path.components().all(|c| matches!(c, Component::Normal(_))), "{id:?}");
        }
        assert!(safe_path(&"x".repeat(1000)).as_os_str().len() <= 100);
    }

    #[test]
    fn chart_folder_names_are_capped_by_bytes_on_a_character_boundary() {
        // 90 CJK characters are 270 bytes: more than a file name may hold.
        let path = safe_path(&"記憶".repeat(45));
        assert_eq!(path, PathBuf::from("記憶".repeat(33)), "66 characters, 198 bytes");
        for id in ["é".repeat(150), "a".repeat(199) + "€€", "🙂".repeat(60)] {
            let name = safe_path(&id).into_os_string().into_string().unwrap();
            assert!(name.len() <= MAX_PART_BYTES && id.starts_with(&name), "{id}: {name}");
        }
        // However many parts, the whole path stays short enough to sit under any output folder.
        let deep = safe_path(&vec!["é".repeat(150); 40].join("/"));
        assert!(deep.as_os_str().len() <= MAX_PATH_BYTES && deep.components().count() == 4, "{deep:?}");
    }

    #[test]
    fn no_chart_folder_is_where_another_documents_chart_goes() {
        let mut folders = Folders::new(Path::new("charts"));
        assert_eq!(folders.claim("x"), Path::new("charts/x"));
        assert_eq!(folders.claim("x/themes.png"), Path::new("charts/x/themes.png-2"));
        assert_eq!(folders.claim("x/themes.png-2"), Path::new("charts/x/themes.png-2-2"));
        assert_eq!(folders.claim("x/Quotes.SVG/y"), Path::new("charts/x/Quotes.SVG-2/y"));
        assert_eq!(folders.claim("corpus/themes_by_document.png"), Path::new("charts/corpus/themes_by_document.png-2"));
        // Named like a chart but not one: kept.
        assert_eq!(folders.claim("x/themes.jpg"), Path::new("charts/x/themes.jpg"));
        assert_eq!(folders.claim("x/arc.png"), Path::new("charts/x/arc.png"));
    }

    #[test]
    fn a_chart_that_cannot_be_written_is_reported_and_the_others_drawn() {
        let dir = tempfile::tempdir().unwrap();
        let data = DocumentData { document: "review", ..DocumentData::default() };
        let options = ChartOptions { size: MIN_SIZE, ..ChartOptions::default() };
        // A folder where one chart goes.
        std::fs::create_dir_all(dir.path().join("review/tone.png")).unwrap();
        let drawn = document_charts(&dir.path().join("review"), &data, &options);
        assert_eq!(drawn.files.len(), DOCUMENT_CHARTS.len() - 1);
        assert_eq!(drawn.failed.len(), 1, "{:?}", drawn.failed);
        assert!(drawn.failures().starts_with("tone.png: "), "{}", drawn.failures());
        // A file where the folder goes: nothing is drawn, and the one reason is given once.
        std::fs::write(dir.path().join("file"), "").unwrap();
        let drawn = document_charts(&dir.path().join("file"), &data, &options);
        assert!(drawn.files.is_empty() && drawn.failed.len() == 1, "{drawn:?}");
        assert!(drawn.failures().starts_with("its folder file/: "), "{}", drawn.failures());
    }
}
