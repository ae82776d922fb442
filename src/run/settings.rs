//! What finishing a run needs of its options, kept in a shard's state so that `merge` finishes as the run would.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::ngrams::NgramOptions;
use crate::charts::{ChartOptions, Formats};
use crate::corpus::KeynessOptions;
use crate::corpus::reference::Reference;
use crate::error::{Error, Result};
use crate::report::cells::Cells;

use super::options::{GroupBy, Options, tables_left_out};

/// What finishing a run (the corpus-level tables, the corpus heatmap) needs of its options; a shard keeps it in
/// its state, so `merge` finishes as the run would have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Settings {
    pub(super) ngrams: NgramOptions,
    /// How keyness.csv is made, the reference's counts included, so that merge compares with what the shards
    /// read (and shards of different references are refused).
    pub(super) keyness: KeynessOptions,
    /// The most frequent words similarity.csv compares over (`--mfw`).
    pub(super) mfw: usize,
    pub(super) group_by: Option<GroupBy>,
    pub(super) cells: Cells,
    /// Whether group rows get Flesch reading ease.
    pub(super) english: bool,
    pub(super) charts: ChartOptions,
    /// The charts' font file (absolute) and a hash of its contents, so that merge draws with the same font.
    pub(super) chart_font: Option<(PathBuf, u64)>,
    /// The tables left out (`--skip-tables`, and the provenance tables without `--source`).
    pub(super) skip_tables: Vec<String>,
}

impl Settings {
    pub(super) fn of(options: &Options) -> Result<Self> {
        let chart_font = match &options.chart_font {
            Some(font) => {
                let hash = font_hash(font).map_err(|source| Error::Read { path: font.clone(), source })?;
                Some((std::path::absolute(font).unwrap_or(font.clone()), hash))
            }
            None => None,
        };
        Ok(Settings {
            ngrams: options.ngrams,
            keyness: KeynessOptions {
                top: options.keyness_top,
                min_count: options.keyness_min_count,
                stopwords: options.keyness_stopwords,
                reference: reference(options)?,
            },
            mfw: options.mfw,
            group_by: options.group_by.clone(),
            cells: options.cells,
            english: options.pipeline.language.is_english(),
            charts: options.charts,
            chart_font,
            skip_tables: tables_left_out(options)?,
        })
    }

    /// Registers the shards' chart font for the corpus heatmap, when one is drawn: the same file, unchanged.
    pub(super) fn register_font(&self) -> Result<()> {
        let Some((font, hash)) = &self.chart_font else { return Ok(()) };
        if !self.drawing() {
            return Ok(());
        }
        let changed = |message: String| Error::Shard {
            path: font.clone(),
            message: format!(
                "{message}: the shards drew their charts with this --chart-font, and merge draws the corpus heatmap with it"
            ),
        };
        match font_hash(font) {
            Ok(found) if found == *hash => crate::charts::register_font(font),
            Ok(_) => Err(changed("has changed since the shards ran".into())),
            Err(e) => Err(changed(format!("cannot be read here ({e})"))),
        }
    }

    /// Whether charts are drawn at all (not `--charts none`).
    pub(super) fn drawing(&self) -> bool {
        self.charts.formats != Formats::None
    }

    /// How many documents are charted: the first `--document-charts`, or none without charts.
    pub(super) fn chart_limit(&self) -> usize {
        if self.drawing() { self.charts.documents.unwrap_or(usize::MAX) } else { 0 }
    }
}

/// The keyness reference (`--reference`), read with the run's input and pipeline options; none unless
/// keyness.csv is written.
fn reference(options: &Options) -> Result<Option<Reference>> {
    let Some(path) = &options.reference else { return Ok(None) };
    if super::options::leaves_out::<crate::report::schema::KeynessRow>(&options.skip_tables) {
        return Ok(None);
    }
    Reference::read(path, &options.input, &options.pipeline).map(Some)
}

/// A hash of a font file's contents.
pub(super) fn font_hash(font: &Path) -> std::io::Result<u64> {
    let mut hasher = rustc_hash::FxHasher::default();
    std::fs::read(font)?.hash(&mut hasher);
    Ok(hasher.finish())
}
