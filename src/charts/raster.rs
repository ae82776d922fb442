//! Every chart is drawn once, as SVG; a PNG is that SVG rasterised by resvg, which shapes the text with the chart
//! font (harfrust) and sets it on its baseline as a browser would. plotters' own bitmap text placed each glyph
//! by hand: letters unevenly spaced ("sen tence") and a full stop at mid-height ("111-0").

use plotters::prelude::{IntoDrawingArea, SVGBackend};
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontFamily,
    FontStyle, FontTransform,
};
use resvg::{tiny_skia, usvg};

use super::Chart;
use super::style::chart_font;

/// `chart` drawn as an SVG document of `size` pixels.
pub(super) fn svg<C: Chart>(chart: &C, size: (u32, u32)) -> Result<String, String> {
    let mut svg = String::new();
    {
        let scale = chart_font().em_per_size * SVG_EM_PER_SIZE;
        let area = Svg { inner: SVGBackend::with_string(&mut svg, size), scale }.into_drawing_area();
        chart.draw(&area).and_then(|()| area.present()).map_err(|e| e.to_string())?;
    }
    Ok(paint_opacity(&svg))
}

/// plotters writes a translucent colour as `opacity`, which makes each shape a layer of its own to composite
/// (in resvg a pixmap per shape: 80 ms for the 7,000 sentence dots of a novel's arc). A shape with only a fill,
/// or only a stroke, looks the same with `fill-opacity` or `stroke-opacity`, painted directly.
fn paint_opacity(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 16);
    // Each piece ends with a tag; text before it has its quotes escaped, so ` opacity="` is in the tag.
    for piece in svg.split_inclusive('>') {
        let paint = if !piece.contains(" opacity=\"") || piece.contains(" opacity=\"1\"") {
            None
        } else if piece.contains(" fill=\"none\"") {
            Some(" stroke-opacity=\"")
        } else if piece.contains(" stroke=\"none\"") || !piece.contains(" stroke=\"") {
            Some(" fill-opacity=\"")
        } else {
            None
        };
        match paint {
            Some(paint) => out.push_str(&piece.replacen(" opacity=\"", paint, 1)),
            None => out.push_str(piece),
        }
    }
    out
}

/// An SVG from [`svg`] as a PNG of `size` pixels.
pub(super) fn png(svg: &str, size: (u32, u32)) -> Result<Vec<u8>, String> {
    encode_png(&pixels(svg, size)?, size.0, size.1).map_err(|e| e.to_string())
}

/// An SVG from [`svg`] rasterised on white: `size.0 × size.1` RGB pixels, row by row.
pub(super) fn pixels(svg: &str, (w, h): (u32, u32)) -> Result<Vec<u8>, String> {
    let options = usvg::Options { fontdb: chart_font().database.clone(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("no room for {w} × {h} pixels"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    // On an opaque background every pixel is opaque, so its premultiplied colour is its colour.
    let mut rgb = vec![0; w as usize * h as usize * 3];
    for (to, from) in rgb.chunks_exact_mut(3).zip(pixmap.data().chunks_exact(4)) {
        to.copy_from_slice(&from[..3]);
    }
    Ok(rgb)
}

/// RGB pixels as a PNG, compressed for speed: a chart is mostly flat colour, so fast compression costs little.
fn encode_png(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
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

/// plotters' SVG backend writes a text of size `s` with `font-size` `s / 1.24`.
const SVG_EM_PER_SIZE: f64 = 1.24;

/// plotters' SVG backend, with text written at the size plotters measured it ([`super::style::ChartFont`]).
struct Svg<'a> {
    inner: SVGBackend<'a>,
    /// What each text size is multiplied by before the SVG backend divides it by 1.24.
    scale: f64,
}

/// A text style at another size.
struct Scaled<'a, S> {
    style: &'a S,
    scale: f64,
}

impl<S: BackendTextStyle> BackendTextStyle for Scaled<'_, S> {
    type FontError = S::FontError;
    fn color(&self) -> BackendColor {
        self.style.color()
    }
    fn size(&self) -> f64 {
        self.style.size() * self.scale
    }
    fn transform(&self) -> FontTransform {
        self.style.transform()
    }
    fn style(&self) -> FontStyle {
        self.style.style()
    }
    fn anchor(&self) -> Pos {
        self.style.anchor()
    }
    fn family(&self) -> FontFamily<'_> {
        self.style.family()
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.style.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.style.draw(text, pos, draw)
    }
}

type Drawing<E> = Result<(), DrawingErrorKind<E>>;

impl DrawingBackend for Svg<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawing<Self::ErrorType> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawing<Self::ErrorType> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawing<Self::ErrorType> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawing<Self::ErrorType> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawing<Self::ErrorType> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawing<Self::ErrorType> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawing<Self::ErrorType> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawing<Self::ErrorType> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Drawing<Self::ErrorType> {
        // SVG drops a text's leading and trailing spaces and joins runs of them; plotters measured and placed
        // them (" 88.8" beside its bar), so they are kept as no-break spaces.
        let kept;
        let text = if text.starts_with(' ') || text.ends_with(' ') || text.contains("  ") {
            kept = text.replace(' ', "\u{a0}");
            &kept
        } else {
            text
        };
        self.inner.draw_text(text, &Scaled { style, scale: self.scale }, pos)
    }
}

/// `chart` drawn at `size` as the PNG would show it: RGB pixels, row by row.
#[cfg(test)]
pub(super) fn rasterised<C: Chart>(chart: &C, size: (u32, u32)) -> Vec<u8> {
    pixels(&svg(chart, size).unwrap(), size).unwrap()
}

#[cfg(test)]
mod tests {
    use plotters::coord::Shift;
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};

    use super::*;
    use crate::charts::DrawResult;
    use crate::charts::style::{INK, font};

    /// Plotters' size of the test texts: 132 px to the em in Noto Sans, so a pixel is a small fraction of a glyph
    /// (and the title's size in a chart of 8000 × 5000).
    const SIZE: u32 = 180;
    /// Where the text starts.
    const LEFT: i32 = 20;

    /// A chart that is one line of text.
    struct Text(&'static str);

    impl Chart for Text {
        fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
            area.fill(&WHITE)?;
            area.draw_text(self.0, &font(SIZE, &INK).pos(Pos::new(HPos::Left, VPos::Top)), (LEFT, 20))
        }
    }

    /// The text drawn as a PNG would show it: for each column, the rows with any ink (a tenth of the way to black),
    /// so a letter's ink starts in the column where its outline does.
    fn ink(text: &'static str) -> Vec<Vec<u32>> {
        let (w, h) = (1200u32, 300u32);
        let pixels = rasterised(&Text(text), (w, h));
        let dark =
            |x: u32, y: u32| pixels[((y * w + x) * 3) as usize..][..3].iter().map(|&c| c as u32).sum::<u32>() < 3 * 230;
        (0..w).map(|x| (0..h).filter(|&y| dark(x, y)).collect()).collect()
    }

    /// Runs of columns with ink, left to right: the glyphs, where no two touch.
    fn glyphs(columns: &[Vec<u32>]) -> Vec<std::ops::Range<usize>> {
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        for (x, column) in columns.iter().enumerate() {
            match runs.last_mut() {
                _ if column.is_empty() => {}
                Some(run) if run.end == x => run.end = x + 1,
                _ => runs.push(x..x + 1),
            }
        }
        runs
    }

    #[test]
    fn a_translucent_shape_with_one_paint_is_not_a_layer() {
        let svg = concat!(
            r##"<circle cx="1" cy="2" r="3" opacity="0.4" fill="#56B4E9" stroke="none" stroke-width="1"/>"##,
            r##"<polyline fill="none" opacity="0.5" stroke="#000000" stroke-width="1" points="1,2 3,4 "/>"##,
            r##"<rect x="0" y="0" width="9" height="9" opacity="0.8" fill="#FFFFFF" stroke="#000000"/>"##,
            r##"<line opacity="1" stroke="#FFFFFF" stroke-width="1" x1="5" y1="9" x2="5" y2="1"/>"##,
            r##"<text x="1" y="2" opacity="0.5" fill="#222222">a &quot;opacity=&quot;0.5</text>"##,
        );
        let painted = paint_opacity(svg);
        assert!(painted.contains(r##"r="3" fill-opacity="0.4" fill"##), "{painted}");
        assert!(painted.contains(r##"<polyline fill="none" stroke-opacity="0.5""##), "{painted}");
        // Fill and stroke both: a layer, so that where they overlap is not darker.
        assert!(painted.contains(r##"height="9" opacity="0.8""##), "{painted}");
        assert!(painted.contains(r##"<line opacity="1""##), "{painted}");
        assert!(painted.contains(r##"y="2" fill-opacity="0.5" fill="#222222">a &quot;opacity=&quot;0.5</text>"##));
    }

    #[test]
    fn png_text_sets_the_decimal_point_on_the_baseline() {
        let columns = ink("0.5");
        let runs = glyphs(&columns);
        assert_eq!(runs.len(), 3, "{runs:?}");
        let rows = |run: &std::ops::Range<usize>| columns[run.clone()].iter().flatten().copied().collect::<Vec<u32>>();
        let all = rows(&(runs[0].start..runs[2].end));
        let (top, bottom) = (*all.iter().min().unwrap(), *all.iter().max().unwrap());
        let point = rows(&runs[1]);
        // The digits stand on the baseline and so does the point: all of its ink in the bottom third of theirs.
        let third = bottom - (bottom - top) / 3;
        assert!(point.iter().all(|&y| y >= third), "point in rows {point:?}, text from {top} to {bottom}");
        assert_eq!(point.iter().max(), Some(&bottom), "the point ends where the digits do");
    }

    #[test]
    fn png_text_spaces_letters_as_the_font_does() {
        let text = "Childhood";
        let runs = glyphs(&ink(text));
        assert_eq!(runs.len(), text.len(), "{runs:?}");
        // Where each letter's ink starts, by the font's own metrics: the advances of the letters before it, and
        // its left side bearing.
        let face = ttf_parser::Face::parse(include_bytes!("../../data/NotoSans-Regular.ttf"), 0).unwrap();
        let px = SIZE as f64 * chart_font().em_per_size / face.units_per_em() as f64;
        let mut pen = 0.0;
        let mut starts = Vec::new();
        for c in text.chars() {
            let glyph = face.glyph_index(c).unwrap();
            starts.push(LEFT as f64 + (pen + face.glyph_bounding_box(glyph).unwrap().x_min as f64) * px);
            pen += face.glyph_hor_advance(glyph).unwrap() as f64;
        }
        // Each letter where the font puts it, to a pixel: in the title of a chart of 8000 × 5000 for a document
        // called Childhood, plotters' bitmap text set h, i, l and d three to four pixels left of where resvg sets
        // them ("Ch ildhood").
        for (run, want) in runs.iter().zip(&starts) {
            assert!(
                (run.start as f64 - want.floor()).abs() <= 1.0,
                "letters start at {runs:?}, the font says {starts:?}"
            );
        }
    }
}
