//! The look shared by every chart: the embedded font, a colour-blind-safe palette, text sizes that scale with
//! the chart, and labels shortened to fit.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font as plotters_register_font};
use resvg::usvg::fontdb;

use crate::error::{Error, Result};

/// Noto Sans Regular (Apache-2.0, `data/NotoSans-LICENSE.txt`): Latin, Greek and Cyrillic with accents and curly
/// quotes.
const NOTO_SANS: &[u8] = include_bytes!("../../data/NotoSans-Regular.ttf");

/// The family every chart asks for. SVG files name it as it is, so a viewer with Noto Sans uses it and one
/// without falls back to its own sans-serif.
pub const FAMILY: &str = "Noto Sans, sans-serif";

/// The font charts are drawn in, as the rasteriser needs it.
#[derive(Debug)]
pub(super) struct ChartFont {
    /// A font database holding this font alone, which is also its sans-serif: PNG text is shaped in it whatever
    /// family the SVG names, and never in a system font.
    pub database: Arc<fontdb::Database>,
    /// The font size to write in the SVG for each pixel of plotters' text size. plotters measures text (to lay
    /// labels out and shorten them) with the font's ascent to descent at that size, but writes `size / 1.24` as
    /// the em; the SVG is given the size plotters measured, so that what fitted still fits.
    pub em_per_size: f64,
}

/// The font in use: the embedded one until [`register_font`] gives another.
static CHART_FONT: Mutex<Option<Arc<ChartFont>>> = Mutex::new(None);

/// Makes the embedded font the one charts use, once per process. Charts never look for system fonts.
pub fn ensure_font() {
    chart_font();
}

/// The font charts are drawn in, set up on first use.
pub(super) fn chart_font() -> Arc<ChartFont> {
    let mut current = CHART_FONT.lock().unwrap_or_else(PoisonError::into_inner);
    // The embedded font is checked by a unit test, so it always parses.
    current.get_or_insert_with(|| Arc::new(install(NOTO_SANS).expect("the embedded font parses"))).clone()
}

/// Draws charts with the TrueType or OpenType font in `path` instead of the embedded one (`--chart-font`).
pub fn register_font(path: &Path) -> Result<()> {
    ensure_font();
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    // plotters keeps fonts for the life of the process.
    let font = install(Box::leak(bytes.into_boxed_slice())).map_err(|()| {
        Error::Usage(format!("{}: not a TrueType or OpenType font (give a .ttf or .otf file)", path.display()))
    })?;
    *CHART_FONT.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(font));
    Ok(())
}

/// Registers `bytes` with plotters for every style, so a bold or italic request never fails for want of a face,
/// and makes the rasteriser's font of it.
fn install(bytes: &'static [u8]) -> std::result::Result<ChartFont, ()> {
    let face = ttf_parser::Face::parse(bytes, 0).map_err(|_| ())?;
    let height = f64::from(face.ascender()) - f64::from(face.descender());
    if height <= 0.0 {
        return Err(());
    }
    for style in [FontStyle::Normal, FontStyle::Bold, FontStyle::Italic, FontStyle::Oblique] {
        plotters_register_font(FAMILY, style, bytes).map_err(|_| ())?;
    }
    let mut database = fontdb::Database::new();
    database.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
    let family = database.faces().next().and_then(|f| f.families.first()).map(|(name, _)| name.clone()).ok_or(())?;
    database.set_sans_serif_family(family);
    Ok(ChartFont { database: Arc::new(database), em_per_size: f64::from(face.units_per_em()) / height })
}

/// Okabe & Ito (2008), the palette designed to be told apart with any kind of colour blindness.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito vermillion.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito sky blue.
pub const SKY: RGBColor = RGBColor(86, 180, 233);
/// Okabe–Ito bluish green.
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Text and axes.
pub const INK: RGBColor = RGBColor(34, 34, 34);
/// The zero line and chapter lines.
pub const GREY: RGBColor = RGBColor(150, 150, 150);
/// Grid lines: [`GREY`] at 30% on white, as an opaque colour, which the rasteriser draws without a layer of its
/// own. (The minor grid lines are not drawn at all: they were white on white.)
pub const GRID: RGBColor = RGBColor(224, 224, 224);

/// Text sizes for a chart `height` pixels tall (22 px labels at the default 1000).
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// The title.
    pub title: u32,
    /// Axis descriptions.
    pub axis: u32,
    /// Tick and bar labels.
    pub label: u32,
    /// The margin around the plot.
    pub margin: u32,
    /// The width of thin lines.
    pub stroke: u32,
}

impl Sizes {
    /// The sizes for a drawing area: those of 1600 × 1000, scaled by the smaller of the two ratios so a tall or
    /// wide chart keeps room for its text.
    pub fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Sizes {
        let (w, h) = area.dim_in_pixel();
        let ratio = (w as f64 / 1600.0).min(h as f64 / 1000.0);
        let scale = |px: f64, least: u32| ((px * ratio).round() as u32).max(least);
        Sizes {
            title: scale(36.0, 12),
            axis: scale(24.0, 11),
            label: scale(21.0, 11),
            margin: scale(24.0, 8),
            stroke: scale(2.0, 1),
        }
    }
}

/// The font at `size` pixels, in `color`.
pub fn font(size: u32, color: &RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(color)
}

/// `text` shortened with an ellipsis until it is at most `width` pixels wide in `style`.
pub fn fit<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle, width: u32) -> String {
    let wide = |t: &str| area.estimate_text_size(t, style).map(|(w, _)| w > width).unwrap_or(false);
    if !wide(text) {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let shorter: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if !wide(&shorter) {
            return shorter;
        }
    }
    "…".to_string()
}

/// Writes a message in the middle of the area: what a chart shows when it has no data.
pub fn message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let sizes = Sizes::of(area);
    let (w, h) = area.dim_in_pixel();
    let style = font(sizes.axis, &INK).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Center,
    ));
    area.draw_text(&fit(area, text, &style, w * 9 / 10), &style, (w as i32 / 2, h as i32 / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_parses() {
        assert!(install(NOTO_SANS).is_ok());
    }

    #[test]
    fn a_file_that_is_not_a_font_is_a_usage_error() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), b"not a font").unwrap();
        let err = register_font(file.path()).unwrap_err();
        assert!(matches!(err, Error::Usage(_)) && err.to_string().contains("not a TrueType"), "{err}");
    }

    #[test]
    fn long_labels_are_shortened_with_an_ellipsis() {
        ensure_font();
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (400, 100)).into_drawing_area();
        let style = font(20, &INK);
        assert_eq!(fit(&area, "Memory", &style, 300), "Memory");
        let long = fit(&area, "Identity and what makes us human, in every sense of the word", &style, 150);
        assert!(long.ends_with('…') && long.chars().count() < 30, "{long}");
        assert!(area.estimate_text_size(&long, &style).unwrap().0 <= 150);
    }
}
