//! The look shared by every chart: the embedded font, a colour-blind-safe palette, text sizes that scale with
//! the chart, and labels shortened to fit.

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font as plotters_register_font};

use crate::error::{Error, Result};

/// Noto Sans Regular (Apache-2.0, `data/NotoSans-LICENSE.txt`): Latin, Greek and Cyrillic with accents and curly
/// quotes.
const NOTO_SANS: &[u8] = include_bytes!("../../data/NotoSans-Regular.ttf");

/// The family every chart asks for. SVG files name it as it is, so a viewer with Noto Sans uses it and one
/// without falls back to its own sans-serif.
pub const FAMILY: &str = "Noto Sans, sans-serif";

static EMBEDDED: Once = Once::new();

/// Makes the embedded font the one charts use, once per process. Charts never look for system fonts.
pub fn ensure_font() {
    EMBEDDED.call_once(|| {
        // The embedded font is checked by a unit test, so it always parses.
        let _ = install(NOTO_SANS);
    });
}

/// Draws charts with the TrueType or OpenType font in `path` instead of the embedded one (`--chart-font`).
pub fn register_font(path: &Path) -> Result<()> {
    ensure_font();
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    // plotters keeps fonts for the life of the process.
    install(Box::leak(bytes.into_boxed_slice())).map_err(|()| {
        Error::Usage(format!("{}: not a TrueType or OpenType font (give a .ttf or .otf file)", path.display()))
    })
}

/// Registers `bytes` for every style, so a bold or italic request never fails for want of a face.
fn install(bytes: &'static [u8]) -> std::result::Result<(), ()> {
    for style in [FontStyle::Normal, FontStyle::Bold, FontStyle::Italic, FontStyle::Oblique] {
        plotters_register_font(FAMILY, style, bytes).map_err(|_| ())?;
    }
    Ok(())
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
/// Grid lines and the zero line.
pub const GREY: RGBColor = RGBColor(150, 150, 150);

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
        let mut pixels = vec![0u8; 400 * 100 * 3];
        let area = BitMapBackend::with_buffer(&mut pixels, (400, 100)).into_drawing_area();
        let style = font(20, &INK);
        assert_eq!(fit(&area, "Memory", &style, 300), "Memory");
        let long = fit(&area, "Identity and what makes us human, in every sense of the word", &style, 150);
        assert!(long.ends_with('…') && long.chars().count() < 30, "{long}");
        assert!(area.estimate_text_size(&long, &style).unwrap().0 <= 150);
    }
}
