//! What a run's manifest records of its [`Options`]: every option as resolved, by its flag's name, and the
//! lexicons, word lists and font it used.

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::analysis::ngrams::EdgeStopwords;
use crate::analysis::segments::Segmenting;
use crate::analysis::tone::Scorer;
use crate::charts::{CorpusOrder, Formats};
use crate::error::{Error, Result};
use crate::input::InputDigest;
use crate::lexicon::Lexicon;
use crate::manifest::Manifest;
use crate::report::cells::Cells;
use crate::resource::{Resource, noto_sans_meta, sha256_file, vader_meta};
use crate::text::ChapterRule;

use crate::report::schema::KeynessRow;

use super::options::{GroupBy, Options, checked_skip, leaves_out};

/// Every option of `options` as resolved, keyed by its command-line flag (without `--`), in the order `analyze
/// --help` lists them. Lexicons and lists are named by their source (`embedded:…` or the path as given); their
/// hashes are in the manifest's `lexicons`.
pub fn resolved(options: &Options) -> IndexMap<String, Value> {
    let input = &options.input;
    let pipeline = &options.pipeline;
    let source = |r: Option<&Resource>| r.map_or(json!("none"), |r| json!(r.source));
    let sources = |l: &Lexicon| l.sources.iter().map(|r| r.source.clone()).collect::<Vec<_>>();
    let (min_n, max_n) = (options.ngrams.min_n, options.ngrams.max_n);
    let (width, height) = options.charts.size;
    let entries = [
        ("ext", json!(input.extensions)),
        ("encoding", json!(input.encoding.map(|e| e.name()))),
        ("format", json!(input.format.map(|f| format!("{f:?}").to_lowercase()))),
        ("text-column", json!(input.columns.text)),
        ("id-column", json!(input.columns.id)),
        ("max-document-bytes", json!(input.max_document_bytes)),
        ("lang", json!(pipeline.language.name())),
        ("stopwords", source(pipeline.stopwords.source())),
        ("speech-verbs", source(pipeline.speech_verbs.source())),
        ("lines", json!(pipeline.layout.map_or("auto", |l| l.name()))),
        ("chapters", json!(chapter_rule(&pipeline.chapters))),
        ("excel-safe", json!(options.cells == Cells::Safe)),
        ("themes", json!(sources(&options.themes))),
        ("segments", segments(options.theme_options.segments)),
        ("context", json!(options.theme_options.context)),
        ("tone", json!(sources(&options.tone))),
        ("sentiment", json!(sentiment(&options.scorer))),
        ("valence", source(valence_source(&options.scorer))),
        ("valence-override", source(override_source(&options.scorer))),
        ("arc-points", json!(options.arc_points)),
        ("ngrams", json!(if min_n == max_n { min_n.to_string() } else { format!("{min_n}..{max_n}") })),
        ("ngram-stopwords", json!(if options.ngrams.edge_stopwords == EdgeStopwords::Keep { "keep" } else { "edge" })),
        ("min-count", json!(options.ngrams.min_count)),
        ("window", json!(format!("{},{}", options.collocations.left, options.collocations.right))),
        ("collocate-stopwords", json!(options.collocations.stopwords)),
        ("node", json!(options.nodes.as_ref().map(|n| n.categories.iter().map(|c| &c.key).collect::<Vec<_>>()))),
        ("source", json!(options.sources.iter().map(|p| p.display().to_string()).collect::<Vec<_>>())),
        ("charts", json!(chart_formats(options.charts.formats))),
        ("chart-size", json!(format!("{width}x{height}"))),
        (
            "chart-order",
            json!(if options.charts.order == CorpusOrder::Alphabetical { "alphabetical" } else { "similarity" }),
        ),
        ("document-charts", options.charts.documents.map_or(json!("all"), |n| json!(n))),
        ("chart-font", json!(options.chart_font.as_ref().map(|p| p.display().to_string()))),
        ("threads", json!(options.threads)),
        ("keyness-top", json!(options.keyness_top)),
        ("keyness-min-count", json!(options.keyness_min_count)),
        ("keyness-no-stopwords", json!(!options.keyness_stopwords)),
        ("reference", json!(options.reference.as_ref().map(|p| p.display().to_string()))),
        ("mfw", json!(options.mfw)),
        ("group-by", json!(options.group_by.as_ref().map(group_by))),
        ("shard", json!(options.shard.map(|s| s.to_string()))),
        ("skip-tables", json!(checked_skip(&options.skip_tables).unwrap_or_else(|_| options.skip_tables.clone()))),
        ("report", json!(options.report.name())),
    ];
    entries.into_iter().map(|(key, value)| (key.to_string(), value)).collect()
}

fn chapter_rule(rule: &ChapterRule) -> String {
    match rule {
        ChapterRule::None => "none".to_string(),
        ChapterRule::Auto => "auto".to_string(),
        ChapterRule::Pattern(regex) => regex.as_str().to_string(),
    }
}

fn segments(segmenting: Segmenting) -> Value {
    match segmenting {
        Segmenting::Equal(n) => json!(n),
        Segmenting::Chapters => json!("chapters"),
    }
}

fn sentiment(scorer: &Scorer) -> &'static str {
    match scorer {
        Scorer::Vader => "vader",
        Scorer::VaderWith(settings) if settings.literary => "vader-literary",
        Scorer::VaderWith(_) => "vader",
        Scorer::Valence(_) => "valence",
        Scorer::None => "none",
    }
}

fn valence_source(scorer: &Scorer) -> Option<&Resource> {
    if let Scorer::Valence(lexicon) = scorer { lexicon.source() } else { None }
}

fn override_source(scorer: &Scorer) -> Option<&Resource> {
    if let Scorer::VaderWith(settings) = scorer { settings.overrides.as_ref().and_then(|o| o.source()) } else { None }
}

fn chart_formats(formats: Formats) -> &'static str {
    match formats {
        Formats::None => "none",
        Formats::Png => "png",
        Formats::Svg => "svg",
        Formats::Both => "both",
    }
}

fn group_by(group: &GroupBy) -> String {
    match group {
        GroupBy::Folder => "dir".to_string(),
        GroupBy::Column(column) => column.clone(),
    }
}

/// The lexicons, word lists and font a run with `options` uses, each with its role, source, hash and metadata.
/// The reference and a font given by path are hashed here, read once more (a reference folder by its files'
/// hashes, in run order).
pub fn lexicons(options: &Options) -> Result<Vec<Resource>> {
    let with_role = |role: &str, r: &Resource| Resource { role: role.to_string(), ..r.clone() };
    let mut used: Vec<Resource> = Vec::new();
    used.extend(options.themes.sources.iter().map(|r| with_role("themes", r)));
    used.extend(options.tone.sources.iter().map(|r| with_role("tone", r)));
    if matches!(options.scorer, Scorer::Vader | Scorer::VaderWith(_)) {
        let vader = crate::sentiment::vader::LEXICON_FILES;
        used.extend(vader.iter().map(|(file, text)| {
            Resource::embedded("sentiment", file, text.as_bytes(), vader_meta(&format!("VADER ({file})")))
        }));
    }
    used.extend(valence_source(&options.scorer).map(|r| with_role("sentiment", r)));
    used.extend(override_source(&options.scorer).cloned());
    used.extend(options.pipeline.stopwords.source().cloned());
    used.extend(options.pipeline.speech_verbs.source().cloned());
    // The reference is read only for keyness.csv.
    if let Some(path) = options.reference.as_ref().filter(|_| !leaves_out::<KeynessRow>(&options.skip_tables)) {
        used.push(reference(path, options)?);
    }
    if options.charts.formats != Formats::None {
        used.push(match &options.chart_font {
            Some(path) => {
                let (bytes, sha256) = sha256_file(path).map_err(|source| Error::Read { path: path.clone(), source })?;
                let meta = crate::resource::Meta::default();
                Resource { role: "font".into(), source: path.display().to_string(), bytes, sha256, meta }
            }
            None => Resource::embedded("font", "NotoSans-Regular.ttf", crate::resource::NOTO_SANS, noto_sans_meta()),
        });
    }
    Ok(used)
}

/// The keyness reference as a resource: a file by its bytes, a folder by the SHA-256 of its files' hashes.
fn reference(path: &std::path::Path, options: &Options) -> Result<Resource> {
    let read = |p: &std::path::Path| sha256_file(p).map_err(|source| Error::Read { path: p.to_path_buf(), source });
    let (bytes, sha256) = if path.is_dir() {
        let list = crate::input::collect(&[path.to_path_buf()], &options.input)?;
        let (mut bytes, mut hashes) = (0, String::new());
        for file in list.files.iter().filter_map(|f| f.path.as_ref()) {
            let (size, sha256) = read(file)?;
            bytes += size;
            hashes.push_str(&format!("{sha256}  {}\n", file.display()));
        }
        (bytes, crate::resource::sha256_hex(hashes.as_bytes()))
    } else {
        read(path)?
    };
    let meta = crate::resource::Meta::default();
    Ok(Resource { role: "reference".into(), source: path.display().to_string(), bytes, sha256, meta })
}

/// The manifest of a run with `options`, started at `started`, of the input files `inputs` (hashed), having
/// skipped `skipped` inputs; its tables and end are filled in as it is published.
pub(super) fn manifest(
    options: &Options,
    started: String,
    inputs: Vec<InputDigest>,
    skipped: usize,
) -> Result<Manifest> {
    Ok(Manifest {
        marginalia: env!("CARGO_PKG_VERSION").to_string(),
        command: options.command.clone(),
        started,
        finished: String::new(),
        options: resolved(options),
        inputs,
        skipped,
        lexicons: lexicons(options)?,
        tables: IndexMap::new(),
    })
}
