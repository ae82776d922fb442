//! Charts a critic can put in a paper, each drawn from rows of a table the same run writes: per document
//! `themes`, `top_words`, `theme_trend`, `sentiment_arc`, `tone` and `quotes`, and for a corpus
//! `themes_by_document`. PNG (rasterised with the embedded Noto Sans, so no system font is needed) or SVG.
//!
//! Every chart file is written to a temporary file and renamed into place, so a stopped run never leaves half
//! an image.

mod plots;
mod style;

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output::write_atomically;
use crate::report::schema::{ArcRow, ThemeRow, ThemeTrendRow, ToneRow, VocabularyRow};

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
    /// Documents with similar theme profiles next to each other (the default).
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
    /// PNG at 1600 × 1000, the corpus heatmap ordered by similarity, the first 100 documents charted.
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
/// The largest chart: six are drawn at a time, each a buffer of width × height × 3 bytes (190 MB at this size).
pub const MAX_SIZE: (u32, u32) = (8000, 8000);

/// The rows one document's charts are drawn from: the same rows its tables hold.
#[derive(Debug, Clone, Copy)]
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
}

/// What drawing charts wrote, and how long it took (summed over the threads that drew them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Time spent drawing and encoding them.
    pub time: Duration,
}

impl Drawn {
    /// Adds what another drawing wrote.
    pub fn add(&mut self, other: Drawn) {
        self.files.extend(other.files);
        self.time += other.time;
    }
}

/// Gives each document its own chart folder, `<charts>/<document>/`: the id made safe as a path, with `-2`,
/// `-3`… added when two ids come out the same (`a:b` and `a_b`), or when a document is called `corpus`, so no
/// document's charts mix with another's.
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
        let base = self.charts.join(safe_path(id));
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

/// Draws the six charts of one document into `dir` (from [`Folders::claim`]).
pub fn document_charts(dir: &Path, data: &DocumentData, options: &ChartOptions) -> Result<Drawn> {
    let dir = dir.to_path_buf();
    let mut drawn = Drawn::default();
    if options.formats == Formats::None {
        return Ok(drawn);
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
    // Drawn side by side on rayon's pool: rasterising and compressing are most of a chart's cost.
    let charts: [&(dyn Fn() -> Result<Drawn> + Sync); 6] = [
        &|| render(&plots::themes(data), &dir, "themes", options),
        &|| render(&plots::top_words(data), &dir, "top_words", options),
        &|| render(&plots::theme_trend(data), &dir, "theme_trend", options),
        &|| render(&plots::sentiment_arc(data), &dir, "sentiment_arc", options),
        &|| render(&plots::tone(data), &dir, "tone", options),
        &|| render(&plots::quotes(data), &dir, "quotes", options),
    ];
    for chart in charts.par_iter().map(|draw| draw()).collect::<Result<Vec<Drawn>>>()? {
        drawn.add(chart);
    }
    Ok(drawn)
}

/// Draws `<charts>/corpus/themes_by_document.png`: documents × themes, per 10,000 words, from the rows of
/// `themes.csv` of every document (grouped by document, in the order they were written).
pub fn corpus_charts(charts: &Path, themes: &[ThemeRow], options: &ChartOptions) -> Result<Drawn> {
    let dir = charts.join("corpus");
    if options.formats == Formats::None {
        return Ok(Drawn::default());
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Output { path: dir.clone(), source })?;
    render(&plots::themes_by_document(themes, options.order), &dir, "themes_by_document", options)
}

/// A chart that can be drawn on any plotters backend.
trait Chart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

type DrawResult<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws `chart` as `<dir>/<name>.png` and/or `.svg`.
fn render<C: Chart>(chart: &C, dir: &Path, name: &str, options: &ChartOptions) -> Result<Drawn> {
    let start = Instant::now();
    let (w, h) = options.size;
    let mut files = Vec::new();
    if matches!(options.formats, Formats::Png | Formats::Both) {
        let path = dir.join(format!("{name}.png"));
        let mut pixels = vec![0u8; w as usize * h as usize * 3];
        {
            let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
            chart.draw(&area).and_then(|()| area.present()).map_err(|e| draw_error(&path, e))?;
        }
        write_atomically(&path, &encode_png(&pixels, w, h).map_err(|e| draw_error(&path, e))?)?;
        files.push(path);
    }
    if matches!(options.formats, Formats::Svg | Formats::Both) {
        let path = dir.join(format!("{name}.svg"));
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            chart.draw(&area).and_then(|()| area.present()).map_err(|e| draw_error(&path, e))?;
        }
        write_atomically(&path, svg.as_bytes())?;
        files.push(path);
    }
    Ok(Drawn { files, time: start.elapsed() })
}

fn draw_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output { path: path.to_path_buf(), source: std::io::Error::other(format!("cannot draw the chart: {e}")) }
}

/// RGB pixels as a PNG, compressed for speed: a chart is mostly flat colour, so fast compression costs little.
fn encode_png(pixels: &[u8], w: u32, h: u32) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// A document id as a relative path that stays inside the charts folder: each part keeps its letters but loses
/// control characters and the characters file systems refuse, `.` and `..` parts are replaced, and the length
/// is capped.
pub fn safe_path(id: &str) -> PathBuf {
    const MAX_PART: usize = 100;
    let parts: Vec<String> = id
        .split(['/', '\\'])
        .map(|part| {
            let clean: String = part
                .chars()
                .map(|c| if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
                .take(MAX_PART)
                .collect();
            let clean = clean.trim().to_string();
            if clean.is_empty() || clean.chars().all(|c| c == '.') { "_".to_string() } else { clean }
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
}
