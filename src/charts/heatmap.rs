//! The heatmap kind: a grid of labelled rows and columns, each cell coloured by its value, with a colour bar.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plots::{fitted, segments, titled};
use super::style::{INK, Sizes, fit, font, message};
use super::{Chart, DrawResult};

/// A grid of values coloured on a colour-blind-safe scale: sequential (viridis) for rates, diverging (RdBu) for
/// scores on either side of 0.
pub(super) struct Heatmap {
    /// The title, above the grid.
    pub(super) title: String,
    /// What the columns are.
    pub(super) x_desc: &'static str,
    /// Column labels, left to right.
    pub(super) columns: Vec<String>,
    /// Row labels, top to bottom, and each row's values (one per column; `None` where there is none, drawn grey).
    pub(super) rows: Vec<(String, Vec<Option<f64>>)>,
    /// How values are coloured.
    pub(super) scale: Scale,
    /// What the values are, under the colour bar.
    pub(super) legend: &'static str,
    /// Shown instead of the grid when there are no rows.
    pub(super) empty: &'static str,
}

/// How a [`Heatmap`] colours its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    /// Viridis from 0 to the largest value: for rates, which are never below 0.
    Sequential,
    /// ColorBrewer's RdBu, red below 0, near-white at 0 and blue above, symmetric about 0: for scores whose sign
    /// matters (a compound from −1 to +1).
    Diverging,
}

/// The colour of a cell without a value: a grey no scale uses, so that it does not read as 0.
pub(super) const NO_VALUE: RGBColor = RGBColor(204, 204, 204);

impl Chart for Heatmap {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let plot = titled(area, &self.title)?;
        if self.rows.is_empty() || self.columns.is_empty() {
            return message(&plot, self.empty);
        }
        let s = Sizes::of(area);
        let (w, _) = area.dim_in_pixel();
        let (main, legend) = plot.split_horizontally(w - w / 10);
        let label_width = w / 4;
        let (n, m) = (self.rows.len(), self.columns.len());
        let rows = RowLabels::fit(main.dim_in_pixel().1.saturating_sub(s.axis * 3 + 2 * s.margin), n, s.label);
        let names: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let names = fitted(area, &names, rows.size, label_width - s.margin);
        let plot_width = (w - w / 10).saturating_sub(label_width + 2 * s.margin).max(1);
        let columns = ColumnLabels::fit(area, &self.columns, s.label, plot_width);
        let max = self.max();
        let mut chart = ChartBuilder::on(&main)
            .margin(s.margin)
            .x_label_area_size(s.axis * 3)
            .y_label_area_size(label_width)
            .build_cartesian_2d(segments(m).into_segmented(), segments(n).into_segmented())?;
        let column_label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if *i < m && i % columns.every == 0 => columns.labels[*i].clone(),
            _ => String::new(),
        };
        let row_label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if *i < n && (n - 1 - i) % rows.every == 0 => names[n - 1 - i].clone(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(m)
            .y_labels(n)
            .x_label_formatter(&column_label)
            .y_label_formatter(&row_label)
            .x_label_style(font(columns.size, &INK))
            .y_label_style(font(rows.size, &INK))
            .y_desc(rows.note())
            .x_desc(self.x_desc)
            .axis_desc_style(font(s.axis, &INK))
            .label_style(font(s.label, &INK))
            .draw()?;
        chart.draw_series(self.cells(max))?;
        self.colour_bar(&legend, max, &s)
    }
}

impl Heatmap {
    /// The value at the top of the scale: the largest (sequential), or the largest distance from 0 rounded up to
    /// a tenth (diverging, whose bottom is its negative), so that 0 stays in the middle.
    fn max(&self) -> f64 {
        let values = self.rows.iter().flat_map(|r| &r.1).flatten().copied();
        match self.scale {
            Scale::Sequential => values.fold(0.0, f64::max),
            Scale::Diverging => {
                let max = values.map(f64::abs).fold(0.0, f64::max);
                if max > 0.0 { (max * 10.0).ceil() / 10.0 } else { 1.0 }
            }
        }
    }

    /// A rectangle per value, coloured on the scale up to `max`; the first row at the top.
    fn cells(&self, max: f64) -> impl Iterator<Item = Rectangle<(SegmentValue<usize>, SegmentValue<usize>)>> + '_ {
        let n = self.rows.len();
        self.rows.iter().enumerate().flat_map(move |(r, (_, values))| {
            let y = n - 1 - r;
            values.iter().enumerate().map(move |(c, &v)| {
                let colour = v.map_or(NO_VALUE, |v| self.scale.colour(v, max));
                Rectangle::new(
                    [
                        (SegmentValue::Exact(c), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(c + 1), SegmentValue::Exact(y + 1)),
                    ],
                    colour.filled(),
                )
            })
        })
    }
}

/// How a heatmap's rows are labelled so that no two labels overlap: a hundred documents in 800 pixels left
/// their names written over each other.
#[derive(Debug, PartialEq)]
struct RowLabels {
    /// Their font size: the row's height, down to 70% of the label size.
    size: u32,
    /// Only every `every`-th row is labelled, from the first, when even that size is taller than a row.
    every: usize,
}

impl RowLabels {
    /// Fits labels to `n` rows in `height` pixels, at most `label_size`.
    fn fit(height: u32, n: usize, label_size: u32) -> RowLabels {
        let row = f64::from(height) / n.max(1) as f64;
        let least = (label_size * 7 / 10).max(8);
        let size = (row.floor() as u32).clamp(least, label_size);
        RowLabels { size, every: (f64::from(size) / row).ceil().max(1.0) as usize }
    }

    /// What the y axis says when rows go unlabelled.
    fn note(&self) -> String {
        if self.every > 1 { format!("one row in {} named", self.every) } else { String::new() }
    }
}

/// A heatmap's column labels, fitted under their columns.
struct ColumnLabels {
    /// Their font size.
    size: u32,
    /// Only every `every`-th column is labelled.
    every: usize,
    /// The labels, shortened to fit their share of the width.
    labels: Vec<String>,
}

impl ColumnLabels {
    /// Fits `columns` under `plot_width` pixels: the labels shrink (to 70% of `label_size`) to fit under their
    /// columns; if they still do not, every k-th is shown.
    fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        columns: &[String],
        label_size: u32,
        plot_width: u32,
    ) -> ColumnLabels {
        let m = columns.len();
        let widest = |size: u32| {
            let width = |c: &String| area.estimate_text_size(c, &font(size, &INK)).map_or(0, |(cw, _)| cw + size);
            columns.iter().map(width).max().unwrap_or(1)
        };
        let mut size = label_size;
        while size > label_size * 7 / 10 && widest(size) * m as u32 > plot_width {
            size -= 1;
        }
        let every = (widest(size) as usize * m).div_ceil(plot_width as usize).max(1);
        let labels = fitted(area, columns, size, plot_width * every as u32 / m as u32);
        ColumnLabels { size, every, labels }
    }
}

impl Scale {
    /// The colour of `value` on a scale whose top is `max` (and whose bottom is 0, or `-max` if diverging).
    pub(super) fn colour(self, value: f64, max: f64) -> RGBColor {
        match self {
            Scale::Sequential => colour_of(value, max),
            Scale::Diverging => diverging(value, max),
        }
    }
}

/// Viridis: dark purple for 0 through green to yellow for `max`; readable in grey and with colour blindness.
fn colour_of(value: f64, max: f64) -> RGBColor {
    use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
    ViridisRGB.get_color_normalized(value as f32, 0.0, max.max(1e-9) as f32)
}

/// ColorBrewer's RdBu (11 classes), from its dark red end to its dark blue end; the middle class is near-white.
pub(super) const RD_BU: [RGBColor; 11] = [
    RGBColor(103, 0, 31),
    RGBColor(178, 24, 43),
    RGBColor(214, 96, 77),
    RGBColor(244, 165, 130),
    RGBColor(253, 219, 199),
    RGBColor(247, 247, 247),
    RGBColor(209, 229, 240),
    RGBColor(146, 197, 222),
    RGBColor(67, 147, 195),
    RGBColor(33, 102, 172),
    RGBColor(5, 48, 97),
];

/// RdBu, interpolated: dark red for `-max`, near-white for 0, dark blue for `max`; told apart with the common
/// colour blindnesses, and lightness alone shows how far from 0 a value is.
fn diverging(value: f64, max: f64) -> RGBColor {
    let t = ((value / max.max(1e-9)).clamp(-1.0, 1.0) + 1.0) / 2.0 * (RD_BU.len() - 1) as f64;
    let low = (t.floor() as usize).min(RD_BU.len() - 2);
    let (a, b, f) = (RD_BU[low], RD_BU[low + 1], t - low as f64);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl Heatmap {
    /// The legend: the colour scale from its bottom (0, or `-max`) to `max`, its ends (and 0) labelled, what the
    /// values are under it, and the grey of a cell without a value if there is one.
    fn colour_bar<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, max: f64, s: &Sizes) -> DrawResult<DB> {
        let (w, h) = area.dim_in_pixel();
        let (top, bottom) = (s.margin as i32 * 2, h as i32 - s.axis as i32 * 4);
        let left = s.margin as i32 / 2;
        let right = left + (w as i32 / 4).max(8);
        let least = if self.scale == Scale::Diverging { -max } else { 0.0 };
        let steps = 64;
        for i in 0..steps {
            let y0 = bottom - (bottom - top) * i / steps;
            let y1 = bottom - (bottom - top) * (i + 1) / steps;
            let colour = self.scale.colour(least + (max - least) * (i as f64 + 0.5) / steps as f64, max);
            area.draw(&Rectangle::new([(left, y1), (right, y0)], colour.filled()))?;
        }
        let style = font(s.label, &INK).pos(Pos::new(HPos::Left, VPos::Center));
        match self.scale {
            Scale::Sequential => {
                area.draw_text(&format!("{max:.0}"), &style, (right + 6, top))?;
                area.draw_text("0", &style, (right + 6, bottom))?;
            }
            Scale::Diverging => {
                area.draw_text(&format!("+{max:.1}"), &style, (right + 6, top))?;
                area.draw_text("0", &style, (right + 6, (top + bottom) / 2))?;
                area.draw_text(&format!("\u{2212}{max:.1}"), &style, (right + 6, bottom))?;
            }
        }
        let caption = font(s.label, &INK).pos(Pos::new(HPos::Left, VPos::Top));
        area.draw_text(&fit(area, self.legend, &caption, w), &caption, (0, bottom + s.label as i32))?;
        if self.rows.iter().any(|r| r.1.iter().any(Option::is_none)) {
            // The grey of a blank cell, explained: no value, not 0.
            let (y, side) = (bottom + s.label as i32 * 3, s.label as i32);
            area.draw(&Rectangle::new([(left, y), (left + side, y + side)], NO_VALUE.filled()))?;
            let x = left + side * 3 / 2;
            area.draw_text(&fit(area, "not named", &caption, w.saturating_sub(x as u32)), &caption, (x, y))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diverging_scale_is_neutral_at_0_and_red_and_blue_at_its_ends() {
        let colour = |v: f64| Scale::Diverging.colour(v, 1.0);
        assert_eq!(colour(0.0), RGBColor(247, 247, 247));
        assert_eq!(colour(-1.0), RD_BU[0]);
        assert_eq!(colour(1.0), RD_BU[10]);
        // Beyond the ends, the ends.
        assert_eq!(colour(-3.0), RD_BU[0]);
        assert_eq!(colour(3.0), RD_BU[10]);
        // As far from 0 on either side: as light as each other, one red and one blue.
        let (below, above) = (colour(-0.5), colour(0.5));
        assert!(below.0 > below.2 + 50 && above.2 > above.0 + 50, "{below:?} {above:?}");
        let lightness = |c: RGBColor| c.0 as i32 + c.1 as i32 + c.2 as i32;
        assert!((lightness(below) - lightness(above)).abs() < 60, "{below:?} {above:?}");
        // The further from 0, the darker.
        assert!(lightness(colour(0.9)) < lightness(colour(0.3)) && lightness(colour(-0.9)) < lightness(colour(-0.3)));
    }

    #[test]
    fn the_sequential_scale_is_still_viridis() {
        use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
        for v in [0.0, 2.5, 10.0] {
            assert_eq!(Scale::Sequential.colour(v, 10.0), ViridisRGB.get_color_normalized(v as f32, 0.0, 10.0));
        }
    }

    fn map(scale: Scale, values: Vec<Option<f64>>) -> Heatmap {
        let columns = (1..=values.len()).map(|c| c.to_string()).collect();
        let rows = vec![("Memory".to_string(), values)];
        Heatmap { title: String::new(), x_desc: "", columns, rows, scale, legend: "", empty: "" }
    }

    #[test]
    fn a_diverging_scale_is_symmetric_about_0_and_ignores_blank_cells() {
        assert_eq!(map(Scale::Diverging, vec![Some(-0.26), None, Some(0.1)]).max(), 0.3);
        assert_eq!(map(Scale::Diverging, vec![Some(0.61), Some(-0.2)]).max(), 0.7);
        assert_eq!(map(Scale::Diverging, vec![None, Some(0.0)]).max(), 1.0);
        assert_eq!(map(Scale::Sequential, vec![Some(3.0), None, Some(12.5)]).max(), 12.5);
    }

    #[test]
    fn row_labels_never_overlap() {
        // Eleven themes in 800 pixels: every row named at the full size.
        assert_eq!(RowLabels::fit(800, 11, 21), RowLabels { size: 21, every: 1 });
        // A hundred documents: smaller labels, and every second row named.
        assert_eq!(RowLabels::fit(800, 100, 21), RowLabels { size: 14, every: 2 });
        for n in 1..300 {
            let rows = RowLabels::fit(800, n, 21);
            assert!(rows.size as usize <= 800 / n * rows.every + rows.every, "{n}: {rows:?}");
        }
    }

    #[test]
    fn a_cell_without_a_value_is_grey_not_the_colour_of_0() {
        let heatmap = map(Scale::Diverging, vec![Some(0.0), None, Some(-0.5)]);
        let cells: Vec<_> = heatmap.cells(1.0).collect();
        assert_eq!(cells.len(), 3);
        let pixels = crate::charts::raster::rasterised(&heatmap, (640, 400));
        let count = |colour: RGBColor| pixels.chunks(3).filter(|p| *p == [colour.0, colour.1, colour.2]).count();
        assert!(count(NO_VALUE) > 100, "no grey cell");
        assert!(count(RGBColor(247, 247, 247)) > 100, "no neutral cell");
    }
}
