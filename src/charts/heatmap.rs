//! The heatmap kind: a grid of labelled rows and columns, each cell coloured by its value, with a colour bar.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plots::{PER_10K, fitted, segments, titled};
use super::style::{INK, Sizes, fit, font, message};
use super::{Chart, DrawResult};

/// A grid of values coloured on a sequential, colour-blind-safe scale (viridis).
pub(super) struct Heatmap {
    pub(super) title: String,
    pub(super) x_desc: &'static str,
    pub(super) columns: Vec<String>,
    /// Row labels, top to bottom, and each row's values (one per column).
    pub(super) rows: Vec<(String, Vec<f64>)>,
    pub(super) empty: &'static str,
}

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
        let names: Vec<String> = self.rows.iter().map(|r| r.0.clone()).collect();
        let names = fitted(area, &names, s.label, label_width - s.margin);
        let (n, m) = (self.rows.len(), self.columns.len());
        let plot_width = (w - w / 10).saturating_sub(label_width + 2 * s.margin).max(1);
        let columns = ColumnLabels::fit(area, &self.columns, s.label, plot_width);
        let max = self.rows.iter().flat_map(|r| &r.1).copied().fold(0.0, f64::max);
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
            SegmentValue::CenterOf(i) if *i < n => names[n - 1 - i].clone(),
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
            .x_desc(self.x_desc)
            .axis_desc_style(font(s.axis, &INK))
            .label_style(font(s.label, &INK))
            .draw()?;
        chart.draw_series(self.cells(max))?;
        colour_bar(&legend, max, &s)
    }
}

impl Heatmap {
    /// A rectangle per value, coloured on the scale up to `max`; the first row at the top.
    fn cells(&self, max: f64) -> impl Iterator<Item = Rectangle<(SegmentValue<usize>, SegmentValue<usize>)>> + '_ {
        let n = self.rows.len();
        self.rows.iter().enumerate().flat_map(move |(r, (_, values))| {
            let y = n - 1 - r;
            values.iter().enumerate().map(move |(c, &v)| {
                let colour = colour_of(v, max);
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

/// Viridis: dark purple for 0 through green to yellow for `max`; readable in grey and with colour blindness.
fn colour_of(value: f64, max: f64) -> RGBColor {
    use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
    ViridisRGB.get_color_normalized(value as f32, 0.0, max.max(1e-9) as f32)
}

/// The heatmap's legend: the colour scale from 0 to `max`, per 10,000 words.
fn colour_bar<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, max: f64, s: &Sizes) -> DrawResult<DB> {
    let (w, h) = area.dim_in_pixel();
    let (top, bottom) = (s.margin as i32 * 2, h as i32 - s.axis as i32 * 4);
    let left = s.margin as i32 / 2;
    let right = left + (w as i32 / 4).max(8);
    let steps = 64;
    for i in 0..steps {
        let y0 = bottom - (bottom - top) * i / steps;
        let y1 = bottom - (bottom - top) * (i + 1) / steps;
        let colour = colour_of(max * (i as f64 + 0.5) / steps as f64, max);
        area.draw(&Rectangle::new([(left, y1), (right, y0)], colour.filled()))?;
    }
    let style = font(s.label, &INK).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw_text(&format!("{max:.0}"), &style, (right + 6, top))?;
    area.draw_text("0", &style, (right + 6, bottom))?;
    let caption = font(s.label, &INK).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw_text(&fit(area, PER_10K, &caption, w), &caption, (0, bottom + s.label as i32))
}
