//! The dendrogram kind: `stylo`'s cluster analysis drawn sideways, as its default horizontal layout draws it —
//! a row per document in the tree's leaf order, and each merge a bracket at its Ward distance along the x axis.

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::plots::{Axis, fitted, labelled_rows, titled};
use super::style::{INK, Sizes, message};
use super::{Chart, DrawResult};
use crate::corpus::clustering::{Dendrogram, Node};

/// `dendrogram.png`: the documents compared in `similarity.csv`, clustered.
pub(super) struct DendrogramChart<'a> {
    pub(super) dendrogram: &'a Dendrogram,
}

impl Chart for DendrogramChart<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let Dendrogram { labels, tree } = self.dendrogram;
        let n = tree.leaves;
        let title = format!("Cluster analysis: Ward's method on Burrows's Delta ({n} documents)");
        let plot = titled(area, &title)?;
        if n < 2 || tree.merges.len() + 1 != n {
            return message(&plot, "Fewer than two documents to cluster");
        }
        let mut s = Sizes::of(area);
        // A hundred rows share the height: the labels shrink to their row, down to a size still legible.
        let row = plot.dim_in_pixel().1 / n as u32;
        s.label = s.label.min(row * 9 / 10).max(6);
        let (w, _) = area.dim_in_pixel();
        let label_width = w * 3 / 10;
        let order = tree.order();
        let names: Vec<String> = order.iter().map(|&leaf| labels.get(leaf).cloned().unwrap_or_default()).collect();
        let names = fitted(area, &names, s.label, label_width - s.margin);
        let top = tree.merges.iter().map(|m| m.height).fold(0.0, f64::max).max(1e-9) * 1.05;
        let axis =
            Axis { range: 0.0..top, desc: "Ward distance (ward.D) on Burrows's Delta", ticks: &|x| format!("{x:.1}") };
        let chart = labelled_rows(&plot, &s, axis, &names, label_width)?;
        // Pixel positions: a leaf at its row's centre, height 0; a merge at its height, midway between its sides.
        let mut leaf_y = vec![0; n];
        for (rank, &leaf) in order.iter().enumerate() {
            leaf_y[leaf % n] = chart.backend_coord(&(0.0, SegmentValue::CenterOf(n - 1 - rank))).1;
        }
        let x_of = |height: f64| chart.backend_coord(&(height, SegmentValue::CenterOf(0))).0;
        let mut at: Vec<(i32, i32)> = Vec::with_capacity(tree.merges.len());
        let style = ShapeStyle::from(&INK).stroke_width(s.stroke);
        for merge in &tree.merges {
            let place = |node: Node| match node {
                Node::Leaf(leaf) => (x_of(0.0), leaf_y.get(leaf).copied().unwrap_or_default()),
                Node::Cluster(m) => at.get(m).copied().unwrap_or_default(),
            };
            let (left, right, x) = (place(merge.left), place(merge.right), x_of(merge.height));
            area.draw(&PathElement::new(vec![left, (x, left.1), (x, right.1), right], style))?;
            at.push((x, (left.1 + right.1) / 2));
        }
        Ok(())
    }
}
