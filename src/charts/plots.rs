//! The chart kinds (horizontal bars, paired bars, arc, strip; the heatmap has its own module) and the charts built from them.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::heatmap::{Heatmap, Scale};
use super::style::{BLUE, GREEN, GREY, GRID, INK, ORANGE, SKY, Sizes, VERMILLION, ensure_font, fit, font, message};
use super::{Chart, CorpusOrder, DocumentData, DrawResult};
use crate::analysis::voices::VOICES;
use crate::report::schema::ThemeRow;

/// The x axis of every chart that runs along a text.
const ALONG_THE_TEXT: &str = "position in the text (% of its length)";
pub(super) const PER_10K: &str = "per 10,000 words";
/// The x axis of a heatmap of segments.
const SEGMENTS: &str = "segment of the text, beginning to end";
/// What a chart of themes says when there are none.
const NO_THEMES: &str = "No theme words found in this text";
/// What a chart of sentiment says when no sentence was scored.
const NO_SCORES: &str = "No sentiment scores (VADER scores English; give --valence FILE for other languages)";

/// Bars from the top down, longest first: label and value.
pub(super) struct Bars {
    title: String,
    x_desc: &'static str,
    bars: Vec<(String, f64)>,
    /// Decimals of the values and ticks: 1 for rates, 0 for counts.
    decimals: usize,
    /// Shown instead of bars when there are none.
    empty: &'static str,
}

/// Sentence scores as points along the text, the smoothed arc as a line.
pub(super) struct Arc {
    title: String,
    /// Position (0–100), compound score and sentence_id of each scored sentence.
    points: Vec<(f64, f64, u32)>,
    /// Position (0–100) and smoothed score of each arc point.
    line: Vec<(f64, f64)>,
    /// Position (0–100) of each chapter's start after the first.
    chapters: Vec<f64>,
    empty: &'static str,
}

/// How many marks fall in each hundredth of the text, one row per kind.
pub(super) struct Strip {
    title: String,
    /// Row labels: each kind with its count and, past 1, the count in its busiest hundredth (its peak).
    kinds: Vec<String>,
    /// For each kind, the marks in each hundredth of the text.
    bins: Vec<[u32; 100]>,
    empty: &'static str,
}

/// `themes.png`: the themes by rate, with their counts.
pub(super) fn themes(data: &DocumentData) -> Bars {
    let mut bars: Vec<(String, f64)> =
        data.themes.iter().filter(|t| t.count > 0).map(|t| (format!("{} ({})", t.label, t.count), t.per_10k)).collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    Bars {
        title: format!("{}: themes, {PER_10K}", data.document),
        x_desc: PER_10K,
        bars,
        decimals: 1,
        empty: NO_THEMES,
    }
}

/// `tone.png`: the tone categories by rate, with their counts.
pub(super) fn tone(data: &DocumentData) -> Bars {
    let mut bars: Vec<(String, f64)> =
        data.tone.iter().filter(|t| t.count > 0).map(|t| (format!("{} ({})", t.label, t.count), t.per_10k)).collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let title = format!("{}: tone, {PER_10K}", data.document);
    Bars { title, x_desc: PER_10K, bars, decimals: 1, empty: "No tone words found" }
}

/// The number of words in `top_words.png`.
const TOP_WORDS: usize = 25;

/// `top_words.png`: the most frequent stems that are not stopwords, by their most frequent form.
pub(super) fn top_words(data: &DocumentData) -> Bars {
    let bars: Vec<(String, f64)> = data
        .vocabulary
        .iter()
        .filter(|v| !v.stopword)
        .take(TOP_WORDS)
        .map(|v| (format!("{} ({})", v.term, v.count), v.per_10k))
        .collect();
    Bars {
        title: format!("{}: the {} most frequent words, stopwords left out", data.document, bars.len()),
        x_desc: PER_10K,
        bars,
        decimals: 1,
        empty: "No words besides stopwords",
    }
}

/// The number of characters in `speakers.png`.
const TOP_SPEAKERS: usize = 15;

/// `speakers.png`: who speaks, by words spoken, with their quotations.
pub(super) fn speakers(data: &DocumentData) -> Bars {
    let bars: Vec<(String, f64)> = data
        .characters
        .iter()
        .filter(|c| c.words_spoken > 0)
        .take(TOP_SPEAKERS)
        .map(|c| (format!("{} ({} quotations)", c.character, c.quotations), c.words_spoken as f64))
        .collect();
    Bars {
        title: format!("{}: who speaks, words in their quotations", data.document),
        x_desc: "words spoken",
        bars,
        decimals: 0,
        empty: "No quotation was given a character",
    }
}

/// Two bars a row, one for each of two series (the first above the second), from the top down.
pub(super) struct Pairs {
    title: String,
    x_desc: &'static str,
    /// The two series' names, for the legend.
    series: [String; 2],
    /// Row labels, top to bottom, and each row's two values.
    rows: Vec<(String, [f64; 2])>,
    /// Shown instead of bars when there are none.
    empty: &'static str,
}

/// The colours of the two series of [`Pairs`].
const PAIR_COLOURS: [RGBColor; 2] = [BLUE, VERMILLION];

/// `voices.png`: each theme and tone category that occurs in the text, its rate in narration beside its rate in
/// dialogue, from the whole document's rows of `voice_themes.csv`.
pub(super) fn voices(data: &DocumentData) -> Pairs {
    // (kind, key) → rates and counts in each voice, in the order of the table.
    let mut found: Vec<(&str, &str, [f64; 2], [u32; 2])> = Vec::new();
    for r in data.voice_themes.iter().filter(|r| r.chapter_id.is_none()) {
        let Some(voice) = VOICES.iter().position(|v| *v == r.voice) else { continue };
        let at = found.iter().position(|f| f.0 == r.kind && f.1 == r.category).unwrap_or_else(|| {
            found.push((r.kind, &r.category, [0.0; 2], [0; 2]));
            found.len() - 1
        });
        found[at].2[voice] = r.per_10k;
        found[at].3[voice] = r.count;
    }
    // Each voice's words, from any rate of a category it names: a rate from a few words swings wide, so the
    // legend says how many there are.
    let words = |voice: usize| {
        let named = found.iter().find(|f| f.3[voice] > 0 && f.2[voice] > 0.0);
        named.map(|f| (f.3[voice] as f64 * 10_000.0 / f.2[voice]).round())
    };
    let series = [0, 1].map(|voice| match words(voice) {
        Some(words) => format!("{} ({words:.0} words)", VOICES[voice]),
        None => VOICES[voice].to_string(),
    });
    found.retain(|f| f.3.iter().any(|&c| c > 0));
    // Themes, then tones; each by the higher of its two rates.
    let kind_order = |kind: &str| if kind == "theme" { 0 } else { 1 };
    found.sort_by(|a, b| {
        let top = |f: &(&str, &str, [f64; 2], [u32; 2])| f.2[0].max(f.2[1]);
        kind_order(a.0).cmp(&kind_order(b.0)).then(top(b).total_cmp(&top(a)))
    });
    let rows =
        found.iter().map(|&(kind, key, rates, _)| (format!("{kind}: {}", category_label(data, kind, key)), rates));
    let (rows, empty) = if found.is_empty() {
        (Vec::new(), "No theme or tone words found in this text")
    } else if data.quotes.is_empty() {
        // No quotation, so no dialogue: a column of zeros would read as a finding.
        (Vec::new(), "No quotations: this text has no dialogue to set beside its narration")
    } else {
        (rows.collect(), "")
    };
    Pairs {
        title: format!("{}: themes and tones in narration and in dialogue, {PER_10K} of each", data.document),
        x_desc: "per 10,000 words of narration, or of dialogue",
        series,
        rows,
        empty,
    }
}

/// The label of a theme or tone category (`Memory` for `memory`), or its key if its row is missing.
fn category_label<'a>(data: &'a DocumentData, kind: &str, key: &'a str) -> &'a str {
    let label = match kind {
        "theme" => data.themes.iter().find(|t| t.theme == key).map(|t| t.label.as_str()),
        _ => data.tone.iter().find(|t| t.tone == key).map(|t| t.label.as_str()),
    };
    label.unwrap_or(key)
}

/// `theme_trend.png`: each theme that occurs, across the text's segments from beginning to end.
pub(super) fn theme_trend(data: &DocumentData) -> Heatmap {
    let segments = data.trend.iter().map(|r| r.segment as usize).max().unwrap_or(0);
    let rows = data
        .themes
        .iter()
        .filter(|t| t.count > 0)
        .map(|t| {
            let mut values = vec![Some(0.0); segments];
            for r in data.trend.iter().filter(|r| r.theme == t.theme) {
                if let Some(cell) = cell(&mut values, r.segment) {
                    *cell = Some(r.per_10k);
                }
            }
            (t.label.clone(), values)
        })
        .collect();
    Heatmap {
        title: format!("{}: where each theme lives, {PER_10K} in each segment", data.document),
        x_desc: SEGMENTS,
        columns: (1..=segments).map(|s| s.to_string()).collect(),
        rows,
        scale: Scale::Sequential,
        legend: PER_10K,
        empty: NO_THEMES,
    }
}

/// `theme_sentiment.png`: the mean compound score of the sentences naming each theme that occurs, in each
/// segment, on a scale centred on 0; blank where the theme is not named, so that an absence does not read as a
/// neutral mood.
pub(super) fn theme_sentiment(data: &DocumentData) -> Heatmap {
    let ids = data.theme_sentiment.iter().map(|r| r.segment).chain(data.trend.iter().map(|r| r.segment));
    let segments = ids.max().unwrap_or(0) as usize;
    let rows: Vec<(String, Vec<Option<f64>>)> = data
        .themes
        .iter()
        .filter(|t| t.count > 0)
        .map(|t| {
            let mut values = vec![None; segments];
            for r in data.theme_sentiment.iter().filter(|r| r.theme == t.theme) {
                if let Some(cell) = cell(&mut values, r.segment) {
                    *cell = Some(r.mean_compound);
                }
            }
            (t.label.clone(), values)
        })
        // Without scores there are no rows: nothing to show.
        .filter(|(_, values)| values.iter().any(Option::is_some))
        .collect();
    let empty = if data.themes.iter().any(|t| t.count > 0) { NO_SCORES } else { NO_THEMES };
    Heatmap {
        title: format!("{}: the mood where each theme is named, mean compound score in each segment", data.document),
        x_desc: SEGMENTS,
        columns: (1..=segments).map(|s| s.to_string()).collect(),
        rows,
        scale: Scale::Diverging,
        legend: "mean compound",
        empty,
    }
}

/// The cell of a segment (numbered from 1, as in `theme_trend.csv`) in a row of a heatmap, if there is one.
fn cell<T>(values: &mut [T], segment: u32) -> Option<&mut T> {
    (segment as usize).checked_sub(1).and_then(|i| values.get_mut(i))
}

/// `sentiment_arc.png`: every sentence's compound score, the smoothed arc, the most positive and negative
/// sentences numbered as in `sentences.csv`.
pub(super) fn sentiment_arc(data: &DocumentData) -> Arc {
    let points: Vec<(f64, f64, u32)> =
        data.sentences.iter().filter_map(|&(id, position, compound)| Some((position * 100.0, compound?, id))).collect();
    let line = data.arc.iter().map(|a| (a.position * 100.0, a.smoothed)).collect();
    let empty = if data.sentences.iter().all(|s| s.2.is_none()) { NO_SCORES } else { "Too few sentences for an arc" };
    let chapters: Vec<f64> =
        data.chapter_starts.iter().map(|start| start * 100.0).filter(|x| (0.0..=100.0).contains(x)).collect();
    let marks = if chapters.is_empty() { "" } else { "; grey lines: chapters" };
    let title =
        format!("{}: sentiment arc (dots: sentences; line: smoothed{marks}; VADER compound score)", data.document);
    Arc { title, points, line, chapters, empty }
}

/// The kinds of quotation in `quotes.csv`, as the rows of `quotes.png`.
const QUOTE_KINDS: &[&str] = &["term", "phrase", "dialogue"];

/// `quotes.png`: where the quotations open, by kind, counted in each hundredth of the text. A novel's thousands
/// of quotations drawn one mark each ran together into one solid band.
pub(super) fn quotes(data: &DocumentData) -> Strip {
    let mut bins = vec![[0u32; 100]; QUOTE_KINDS.len()];
    let mut total = 0;
    for &(start_byte, kind) in data.quotes {
        let Some(kind) = QUOTE_KINDS.iter().position(|k| *k == kind) else { continue };
        let bin = (start_byte as f64 * 100.0 / data.bytes.max(1) as f64) as usize;
        bins[kind][bin.min(99)] += 1;
        total += 1;
    }
    let kinds = QUOTE_KINDS.iter().zip(&bins).map(|(kind, bins)| {
        let (count, peak) = (bins.iter().sum::<u32>(), bins.iter().max().copied().unwrap_or(0));
        if peak > 1 { format!("{kind} ({count}; peak {peak})") } else { format!("{kind} ({count})") }
    });
    Strip {
        title: format!("{}: where the {total} quotations fall, per 1% of the text", data.document),
        kinds: kinds.collect(),
        bins,
        empty: "No quotations found",
    }
}

/// `corpus/quoted_passages.png`: where the located quotations (each part of one cut with ellipses) start in each
/// source, counted in each hundredth of its length, one row per source.
pub(super) fn quoted_passages(positions: &[(String, [u32; 100])]) -> Strip {
    let total: u32 = positions.iter().map(|(_, bins)| bins.iter().sum::<u32>()).sum();
    let kinds = positions.iter().map(|(source, bins)| {
        let (count, peak) = (bins.iter().sum::<u32>(), bins.iter().max().copied().unwrap_or(0));
        if peak > 1 { format!("{source} ({count}; peak {peak})") } else { format!("{source} ({count})") }
    });
    Strip {
        title: format!("Where the {total} located quotations come from, per 1% of the source"),
        kinds: kinds.collect(),
        bins: positions.iter().map(|(_, bins)| *bins).collect(),
        empty: "No quotation was found in the sources",
    }
}

pub(super) fn themes_by_document(themes: &[ThemeRow], order: CorpusOrder, leaf_order: &[&str]) -> Heatmap {
    let mut columns: Vec<String> = Vec::new();
    let mut rows: Vec<(String, Vec<f64>)> = Vec::new();
    for t in themes {
        let column = columns.iter().position(|c| *c == t.theme).unwrap_or_else(|| {
            columns.push(t.theme.clone());
            columns.len() - 1
        });
        if rows.last().is_none_or(|(document, _)| *document != t.document) {
            rows.push((t.document.clone(), Vec::new()));
        }
        if let Some((_, values)) = rows.last_mut() {
            values.resize(values.len().max(column + 1), 0.0);
            values[column] = t.per_10k;
        }
    }
    rows.iter_mut().for_each(|(_, values)| values.resize(columns.len(), 0.0));
    match order {
        CorpusOrder::Alphabetical => rows.sort_by(|a, b| a.0.cmp(&b.0)),
        CorpusOrder::Similarity => {
            let place: rustc_hash::FxHashMap<&str, usize> =
                leaf_order.iter().enumerate().rev().map(|(i, &d)| (d, i)).collect();
            // A stable sort: documents the dendrogram lacks keep their input order, after the others.
            rows.sort_by_key(|(document, _)| place.get(document.as_str()).copied().unwrap_or(usize::MAX));
        }
    }
    Heatmap {
        title: format!("Themes by document, {PER_10K} ({} documents)", rows.len()),
        x_desc: "theme",
        columns,
        rows: rows.into_iter().map(|(document, values)| (document, values.into_iter().map(Some).collect())).collect(),
        scale: Scale::Sequential,
        legend: PER_10K,
        empty: "No documents",
    }
}

/// The title, and the area under it.
pub(super) fn titled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    ensure_font();
    area.fill(&WHITE)?;
    let sizes = Sizes::of(area);
    let (w, _) = area.dim_in_pixel();
    // A band twice the title's size, so accents above capitals are not cut off at the top edge.
    let (band, plot) = area.split_vertically(sizes.title * 2);
    let style = font(sizes.title, &INK).pos(Pos::new(HPos::Center, VPos::Center));
    band.draw_text(&fit(area, title, &style, w - 2 * sizes.margin), &style, (w as i32 / 2, sizes.title as i32))?;
    Ok(plot)
}

/// Labels shortened to fit `width` pixels.
pub(super) fn fitted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[String],
    size: u32,
    width: u32,
) -> Vec<String> {
    labels.iter().map(|l| fit(area, l, &font(size, &INK), width)).collect()
}

/// The x axis of a chart of labelled rows.
pub(super) struct Axis<'a> {
    /// Its values, left to right.
    pub(super) range: std::ops::Range<f64>,
    /// What it measures.
    pub(super) desc: &'a str,
    /// How a tick is written.
    pub(super) ticks: &'a dyn Fn(&f64) -> String,
}

/// A chart with a continuous x `axis` and one row per label, the first label at the top, its mesh drawn: the
/// frame of the bar charts and the quotation strip. Row i is segment `labels.len() - 1 - i`.
pub(super) fn labelled_rows<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    s: &Sizes,
    axis: Axis,
    labels: &[String],
    label_width: u32,
) -> Result<RowsChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let n = labels.len();
    let mut chart = ChartBuilder::on(plot)
        .margin(s.margin)
        .x_label_area_size(s.axis * 3)
        .y_label_area_size(label_width)
        .build_cartesian_2d(axis.range, segments(n).into_segmented())?;
    // Segment 0 is at the bottom, so the first label goes on top.
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i < n => labels[n - 1 - i].clone(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&label)
        .x_label_formatter(axis.ticks)
        .x_desc(axis.desc)
        .axis_desc_style(font(s.axis, &INK))
        .label_style(font(s.label, &INK))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .draw()?;
    Ok(chart)
}

/// The chart [`labelled_rows`] builds.
pub(super) type RowsChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>;

impl Chart for Bars {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let plot = titled(area, &self.title)?;
        if self.bars.is_empty() {
            return message(&plot, self.empty);
        }
        let s = Sizes::of(area);
        let (w, _) = area.dim_in_pixel();
        let label_width = w * 3 / 10;
        let labels: Vec<String> = self.bars.iter().map(|(l, _)| l.clone()).collect();
        let labels = fitted(area, &labels, s.label, label_width - s.margin);
        let n = self.bars.len();
        let max = self.bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9) * 1.15;
        let decimals = self.decimals;
        let axis = Axis { range: 0.0..max, desc: self.x_desc, ticks: &|x| format!("{x:.decimals$}") };
        let mut chart = labelled_rows(&plot, &s, axis, &labels, label_width)?;
        let gap = (plot.dim_in_pixel().1 / n as u32 / 6).min(12);
        chart.draw_series(self.bars.iter().enumerate().map(|(i, (_, v))| {
            let y = n - 1 - i;
            let mut bar =
                Rectangle::new([(0.0, SegmentValue::Exact(y)), (*v, SegmentValue::Exact(y + 1))], BLUE.filled());
            bar.set_margin(gap, gap, 0, 0);
            bar
        }))?;
        let value_style = font(s.label, &INK).pos(Pos::new(HPos::Left, VPos::Center));
        chart.draw_series(self.bars.iter().enumerate().map(|(i, (_, v))| {
            Text::new(format!(" {v:.decimals$}"), (*v, SegmentValue::CenterOf(n - 1 - i)), value_style.clone())
        }))?;
        Ok(())
    }
}

/// The range whose segmented axis has a segment for each of `n` items: plotters gives `0..k` one segment per
/// value and one more, so `0..n-1` for n ≥ 2; with one item, `0..1` (an empty segment above it), since `0..0`
/// draws nothing.
pub(super) fn segments(n: usize) -> std::ops::Range<usize> {
    0..n.max(2) - 1
}

/// A tick along the text: `40%`.
fn percent(x: &f64) -> String {
    format!("{x:.0}%")
}

impl Chart for Arc {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let plot = titled(area, &self.title)?;
        if self.points.len() < 2 {
            return message(&plot, self.empty);
        }
        let s = Sizes::of(area);
        let mut chart = ChartBuilder::on(&plot)
            .margin(s.margin)
            .x_label_area_size(s.axis * 3)
            .y_label_area_size(s.axis * 4)
            .build_cartesian_2d(0.0..100.0, -1.05..1.05)?;
        chart
            .configure_mesh()
            .x_label_formatter(&percent)
            .y_label_formatter(&|y: &f64| format!("{:+.1}", y).replace("+0.0", "0").replace("-0.0", "0"))
            .x_desc(ALONG_THE_TEXT)
            .y_desc("compound score, −1 to +1")
            .axis_desc_style(font(s.axis, &INK))
            .label_style(font(s.label, &INK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .draw()?;
        // Chapter starts first, so the sentences and the arc are drawn over them.
        let chapter = |x: f64| PathElement::new([(x, -1.05), (x, 1.05)], GREY.stroke_width(s.stroke));
        chart.draw_series(self.chapters.iter().map(|&x| chapter(x)))?;
        chart.draw_series(LineSeries::new([(0.0, 0.0), (100.0, 0.0)], GREY.stroke_width(s.stroke)))?;
        // A novel has thousands of sentences: fainter points keep the arc readable over them.
        let radius = (s.label / 5).max(2);
        let alpha = (300.0 / self.points.len() as f64).clamp(0.2, 0.7);
        chart.draw_series(self.points.iter().map(|&(x, y, _)| Circle::new((x, y), radius, SKY.mix(alpha).filled())))?;
        chart.draw_series(LineSeries::new(self.line.iter().copied(), VERMILLION.stroke_width(s.stroke * 2)))?;
        // The extremes, numbered as in sentences.csv.
        let most = |better: fn(f64, f64) -> bool| {
            self.points.iter().copied().reduce(|a, b| if better(b.1, a.1) { b } else { a })
        };
        let marked: Vec<(f64, f64, u32)> = [most(|b, a| b > a), most(|b, a| b < a)].into_iter().flatten().collect();
        let ring = radius * 3;
        chart.draw_series(marked.iter().map(|&(x, y, _)| Circle::new((x, y), ring, INK.stroke_width(s.stroke))))?;
        // Each label beside its ring, on the side with room, clear of the ring.
        chart.draw_series(marked.iter().map(|&(x, y, id)| {
            let right = x > 70.0;
            let dx = (ring + s.stroke * 3) as i32 * if right { -1 } else { 1 };
            let style = font(s.label, &INK).pos(Pos::new(if right { HPos::Right } else { HPos::Left }, VPos::Center));
            EmptyElement::at((x, y)) + Text::new(format!("sentence {id} ({y:+.2})"), (dx, 0), style)
        }))?;
        Ok(())
    }
}

impl Chart for Pairs {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let plot = titled(area, &self.title)?;
        if self.rows.is_empty() {
            return message(&plot, self.empty);
        }
        let s = Sizes::of(area);
        let (w, _) = area.dim_in_pixel();
        let label_width = w * 3 / 10;
        let labels: Vec<String> = self.rows.iter().map(|(l, _)| l.clone()).collect();
        let labels = fitted(area, &labels, s.label, label_width - s.margin);
        let n = self.rows.len();
        // Room on the right for the values and, above the shortest bars' ends, the legend.
        let max = self.rows.iter().flat_map(|r| r.1).fold(0.0, f64::max).max(1e-9) * 1.4;
        let axis = Axis { range: 0.0..max, desc: self.x_desc, ticks: &|x| format!("{x:.1}") };
        let mut chart = labelled_rows(&plot, &s, axis, &labels, label_width)?;
        // A row's height in pixels (plotters gives a single row two segments), shared by its two bars.
        let row = chart.plotting_area().dim_in_pixel().1 / n.max(2) as u32;
        let gap = (row / 8).min(10);
        let half = row / 2;
        let value_size = s.label.min(half.saturating_sub(gap).max(8));
        for (k, colour) in PAIR_COLOURS.into_iter().enumerate() {
            let (top, bottom) = if k == 0 { (gap, row - half) } else { (half, gap) };
            chart
                .draw_series(self.rows.iter().enumerate().map(|(i, (_, v))| {
                    let y = n - 1 - i;
                    let mut bar = Rectangle::new(
                        [(0.0, SegmentValue::Exact(y)), (v[k], SegmentValue::Exact(y + 1))],
                        colour.filled(),
                    );
                    bar.set_margin(top, bottom, 0, 0);
                    bar
                }))?
                .label(self.series[k].as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], colour.filled()));
            // Each value beside its bar, in the middle of its half of the row; a zero is written, not left out.
            let dy = (top as i32 - bottom as i32) / 2;
            let style = font(value_size, &INK).pos(Pos::new(HPos::Left, VPos::Center));
            chart.draw_series(self.rows.iter().enumerate().map(|(i, (_, v))| {
                EmptyElement::at((v[k], SegmentValue::CenterOf(n - 1 - i)))
                    + Text::new(format!(" {:.1}", v[k]), (0, dy), style.clone())
            }))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(font(s.label, &INK))
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .draw()?;
        Ok(())
    }
}

impl Chart for Strip {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let plot = titled(area, &self.title)?;
        if self.bins.iter().flatten().all(|&n| n == 0) {
            return message(&plot, self.empty);
        }
        let s = Sizes::of(area);
        let n = self.kinds.len();
        let axis = Axis { range: 0.0..100.0, desc: ALONG_THE_TEXT, ticks: &percent };
        let kinds = fitted(area, &self.kinds, s.label, s.label * 12);
        let mut chart = labelled_rows(&plot, &s, axis, &kinds, s.label * 12 + s.margin)?;
        const COLOURS: [RGBColor; 3] = [ORANGE, BLUE, GREEN];
        // One row has an empty segment above it (see `segments`): it takes half the height, not all.
        let row = plot.dim_in_pixel().1 / n.max(2) as u32;
        let gap = (row / 5).min(40);
        // Each row scaled to its peak (in its label), so a kind with few quotations still shows where they are.
        let bars = self.bins.iter().enumerate().flat_map(|(kind, bins)| {
            let peak = f64::from(bins.iter().copied().max().unwrap_or(0).max(1));
            bins.iter().enumerate().filter(|(_, count)| **count > 0).map(move |(bin, &count)| {
                let y = n - 1 - kind;
                let shown = f64::from(count) / peak;
                let top = gap + ((row - 2 * gap) as f64 * (1.0 - shown)) as u32;
                let mut bar = Rectangle::new(
                    [(bin as f64, SegmentValue::Exact(y)), (bin as f64 + 1.0, SegmentValue::Exact(y + 1))],
                    COLOURS[kind % COLOURS.len()].filled(),
                );
                bar.set_margin(top, gap, 0, 1);
                bar
            })
        });
        chart.draw_series(bars)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::schema::{ThemeSentimentRow, ThemeTrendRow, VoiceThemeRow};

    fn row(document: &str, theme: &str, per_10k: f64) -> ThemeRow {
        let (document, theme, label) = (document.to_string(), theme.to_string(), theme.to_string());
        ThemeRow {
            document,
            group: String::new(),
            theme,
            label,
            count: 1,
            per_10k,
            distinct_terms: 1,
            top_terms: String::new(),
        }
    }

    /// A document's chart data with no rows at all.
    fn nothing() -> DocumentData<'static> {
        DocumentData { document: "review", bytes: 1000, ..DocumentData::default() }
    }

    fn mood(theme: &str, segment: u32, count: u32, mean_compound: f64) -> ThemeSentimentRow {
        ThemeSentimentRow { theme: theme.to_string(), segment, count, mean_compound, ..Default::default() }
    }

    #[test]
    fn theme_sentiment_leaves_unnamed_cells_blank_and_unnamed_themes_out() {
        let themes = [
            ThemeRow { count: 3, ..row("review", "memory", 1.0) },
            ThemeRow { count: 0, ..row("review", "love", 0.0) },
        ];
        // Rows only where a theme is named; the segments are those of the trend.
        let trend: Vec<ThemeTrendRow> =
            (1..=3).map(|segment| ThemeTrendRow { theme: "memory".into(), segment, ..Default::default() }).collect();
        let moods = [mood("memory", 1, 2, -0.4), mood("memory", 3, 1, 0.0)];
        let map =
            theme_sentiment(&DocumentData { themes: &themes, theme_sentiment: &moods, trend: &trend, ..nothing() });
        assert_eq!(map.columns, ["1", "2", "3"]);
        assert_eq!(map.rows, [("memory".to_string(), vec![Some(-0.4), None, Some(0.0)])]);
        assert_eq!(map.scale, Scale::Diverging);
        // Themes named, but no sentence scored (so no rows): nothing to show, and the reason given.
        let map = theme_sentiment(&DocumentData { themes: &themes, trend: &trend, ..nothing() });
        assert!(map.rows.is_empty() && map.empty == NO_SCORES);
        assert_eq!(theme_sentiment(&nothing()).empty, NO_THEMES);
    }

    fn voice(
        chapter_id: Option<u32>,
        voice: &'static str,
        kind: &'static str,
        category: &str,
        count: u32,
        per_10k: f64,
    ) -> VoiceThemeRow {
        VoiceThemeRow { chapter_id, voice, kind, category: category.to_string(), count, per_10k, ..Default::default() }
    }

    #[test]
    fn voices_sets_the_whole_documents_dialogue_beside_its_narration() {
        let themes = [ThemeRow { label: "Memory".to_string(), ..row("review", "memory", 1.0) }];
        let rows = [
            voice(None, "narration", "theme", "memory", 2, 20.0),
            voice(None, "narration", "theme", "love", 0, 0.0),
            voice(None, "narration", "tone", "irony", 1, 10.0),
            voice(None, "dialogue", "theme", "memory", 0, 0.0),
            voice(None, "dialogue", "theme", "love", 0, 0.0),
            voice(None, "dialogue", "tone", "irony", 1, 50.0),
            // A chapter's rows are not the whole document's.
            voice(Some(1), "narration", "theme", "love", 5, 500.0),
            voice(Some(1), "dialogue", "theme", "love", 5, 500.0),
        ];
        let quotes = [(10, "dialogue")];
        let data = DocumentData { themes: &themes, voice_themes: &rows, quotes: &quotes, ..nothing() };
        let pairs = voices(&data);
        // Themes before tones; a tone without a label row keeps its key; love occurs in neither voice.
        assert_eq!(pairs.rows, [("theme: Memory".to_string(), [20.0, 0.0]), ("tone: irony".to_string(), [10.0, 50.0])]);
        // 1 in 50 per 10,000 words: 200 words of dialogue; 2 in 20: 1,000 of narration.
        assert_eq!(pairs.series, ["narration (1000 words)", "dialogue (200 words)"]);
        // No quotation, no dialogue: said, not drawn as a column of zeros.
        let unquoted = voices(&DocumentData { quotes: &[], ..data });
        assert!(unquoted.rows.is_empty() && unquoted.empty.starts_with("No quotations"), "{}", unquoted.empty);
        let none = voices(&nothing());
        assert!(none.rows.is_empty() && none.empty.starts_with("No theme or tone words"), "{}", none.empty);
    }

    #[test]
    fn quotations_are_counted_in_each_hundredth_of_the_text() {
        // A novel's worth: 3,000 dialogue quotations, ten times as dense in the first tenth; one term at the end.
        let mut opening: Vec<(usize, &'static str)> = (0..1000).map(|i| (i * 10, "dialogue")).collect();
        opening.extend((0..2000).map(|i| (10_000 + i * 45, "dialogue")));
        opening.push((99_999, "term"));
        let strip = quotes(&DocumentData { bytes: 100_000, quotes: &opening, ..nothing() });
        let [term, phrase, dialogue] = [&strip.bins[0], &strip.bins[1], &strip.bins[2]];
        assert_eq!(dialogue.iter().sum::<u32>(), 3000);
        assert!(dialogue[..10].iter().all(|&n| n == 100) && dialogue[10..].iter().all(|&n| (22..=23).contains(&n)));
        assert_eq!((term[99], term.iter().sum::<u32>(), phrase.iter().sum::<u32>()), (1, 1, 0));
        assert_eq!(strip.kinds, ["term (1)", "phrase (0)", "dialogue (3000; peak 100)"]);
    }

    /// Columns of an arc drawn at 800 × 500 that are grey over most of the plot's height: chapter lines. A line
    /// one pixel wide between two columns of pixels is drawn half in each, so grey is a neutral tone from
    /// [`GREY`] to halfway to white (the grid lines are lighter; the axis, black, is darker even when halved).
    fn grey_columns(chapter_starts: &[f64]) -> Vec<u32> {
        let sentences: Vec<(u32, f64, Option<f64>)> =
            (0..60).map(|i| (i, i as f64 / 60.0, Some(((i as f64) / 5.0).sin() * 0.8))).collect();
        let arc = sentiment_arc(&DocumentData { sentences: &sentences, chapter_starts, ..nothing() });
        let (w, h) = (800u32, 500u32);
        let pixels = crate::charts::raster::rasterised(&arc, (w, h));
        let grey = |x: u32, y: u32| {
            let at = ((y * w + x) * 3) as usize;
            let [r, g, b] = [pixels[at], pixels[at + 1], pixels[at + 2]];
            let (grey, r) = (u16::from(GREY.0), u16::from(r));
            r == u16::from(g) && g == b && (grey - 2..=(255 + grey) / 2 + 1).contains(&r)
        };
        (0..w).filter(|&x| (0..h).filter(|&y| grey(x, y)).count() > h as usize / 2).collect()
    }

    #[test]
    fn the_arc_marks_where_chapters_start() {
        assert_eq!(grey_columns(&[]), Vec::<u32>::new());
        let columns = grey_columns(&[0.25, 0.5, 0.75]);
        // One line (a pixel or two wide) per chapter, evenly spaced as the starts are.
        let lines: Vec<u32> = columns.iter().copied().filter(|x| !columns.contains(&(x + 1))).collect();
        assert_eq!(lines.len(), 3, "{columns:?}");
        let (a, b) = (lines[1] - lines[0], lines[2] - lines[1]);
        assert!(a.abs_diff(b) <= 1 && a > 100, "{lines:?}");
    }

    #[test]
    fn the_heatmap_follows_the_dendrograms_leaf_order() {
        let rows = [
            row("a", "grief", 10.0),
            row("a", "love", 0.0),
            row("b", "grief", 0.0),
            row("b", "love", 10.0),
            row("c", "grief", 9.0),
            row("c", "love", 1.0),
            row("d", "grief", 1.0),
        ];
        let names = |map: Heatmap| map.rows.into_iter().map(|r| r.0).collect::<Vec<_>>();
        // d is not in the dendrogram (not among the documents compared): after the others.
        assert_eq!(names(themes_by_document(&rows, CorpusOrder::Similarity, &["c", "a", "b"])), ["c", "a", "b", "d"]);
        assert_eq!(names(themes_by_document(&rows, CorpusOrder::Alphabetical, &["c", "a", "b"])), ["a", "b", "c", "d"]);
        let map = themes_by_document(&rows, CorpusOrder::Alphabetical, &[]);
        assert_eq!(map.columns, ["grief", "love"]);
        assert_eq!(map.rows[2].1, [Some(9.0), Some(1.0)]);
    }
}
