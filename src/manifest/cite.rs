//! `marginalia cite OUT`: a methods paragraph and the references, from a run's manifest.

use indexmap::IndexMap;
use serde_json::Value;

use crate::resource::{MARGINALIA_CITATION, Resource};

use super::Manifest;

/// Options that describe the machine a run used, not its method: left out of the methods paragraph.
const NOT_METHOD: [&str; 2] = ["threads", "shard"];

/// The methods paragraph of `manifest` (its options compared with `defaults`, a default run's), its references
/// (each lexicon's citation, once), and the notices the lexicons' licences ask for.
pub fn cite(manifest: &Manifest, defaults: &IndexMap<String, Value>) -> String {
    let mut text = String::from("Methods\n\n");
    text.push_str(&methods(manifest, defaults));
    text.push_str("\n\nReferences\n\n");
    let mut cited: Vec<&str> = vec![MARGINALIA_CITATION];
    text.push_str(&format!("- {MARGINALIA_CITATION} Version {}.\n", manifest.marginalia));
    for resource in &manifest.lexicons {
        match resource.meta.citation.as_deref() {
            Some(citation) if cited.contains(&citation) => {}
            Some(citation) => {
                cited.push(citation);
                text.push_str(&format!("- {citation}{}\n", details(resource)));
            }
            None => text.push_str(&format!("- {}: no citation given{}\n", name(resource), details(resource))),
        }
    }
    let notices: Vec<String> = manifest.lexicons.iter().filter_map(notice).collect();
    if !notices.is_empty() {
        text.push_str("\nNotices\n\n");
        let mut seen: Vec<String> = Vec::new();
        for notice in notices {
            if !seen.contains(&notice) {
                text.push_str(&format!("- {notice}\n"));
                seen.push(notice);
            }
        }
    }
    text
}

/// The paragraph: version, command, inputs, lexicons, and the options that differ from the defaults.
fn methods(manifest: &Manifest, defaults: &IndexMap<String, Value>) -> String {
    let bytes: u64 = manifest.inputs.iter().map(|i| i.bytes).sum();
    let mut text = format!(
        "The texts were analysed with marginalia {} (`{}`), which read {} input file(s) of {bytes} bytes in all{}, \
         listed with their SHA-256 hashes in manifest.json.",
        manifest.marginalia,
        manifest.command.join(" "),
        manifest.inputs.len(),
        if manifest.skipped > 0 { format!(" ({} skipped as unreadable)", manifest.skipped) } else { String::new() },
    );
    let used: Vec<String> = manifest.lexicons.iter().map(|r| format!("{} for {}", name(r), r.role)).collect::<Vec<_>>();
    if !used.is_empty() {
        text.push_str(&format!(" It used {}.", used.join("; ")));
    }
    let changed: Vec<String> = manifest
        .options
        .iter()
        .filter(|(key, value)| !NOT_METHOD.contains(&key.as_str()) && defaults.get(*key) != Some(*value))
        .map(|(key, value)| flag(key, value))
        .collect();
    if changed.is_empty() {
        text.push_str(" Every option was left at its default.");
    } else {
        text.push_str(&format!(" Options that differ from the defaults: {}.", changed.join(", ")));
    }
    text
}

/// An option as it is typed: `--ngrams 2..5`, `--collocate-stopwords`, `--themes a.toml,b.dic`.
fn flag(key: &str, value: &Value) -> String {
    match value {
        Value::Bool(true) => format!("--{key}"),
        Value::Bool(false) => format!("--{key} off"),
        Value::Null => format!("--{key} (none)"),
        Value::String(s) => format!("--{key} {s}"),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|i| i.as_str().map_or(i.to_string(), str::to_string)).collect();
            format!("--{key} {}", items.join(","))
        }
        other => format!("--{key} {other}"),
    }
}

/// A lexicon's name and version, or its source.
fn name(resource: &Resource) -> String {
    let name = resource.meta.name.clone().unwrap_or_else(|| resource.source.clone());
    match &resource.meta.version {
        Some(version) => format!("{name} {version}"),
        None => name,
    }
}

/// ` (name, licence, url)` after a reference.
fn details(resource: &Resource) -> String {
    let mut parts = vec![name(resource)];
    parts.extend(resource.meta.licence.as_ref().map(|l| format!("licence: {l}")));
    parts.extend(resource.meta.url.clone());
    format!(" [{}]", parts.join("; "))
}

/// The notice a lexicon's licence asks a work that uses it to carry, if any.
fn notice(resource: &Resource) -> Option<String> {
    let licence = resource.meta.licence.as_deref()?;
    let name = name(resource);
    if licence.contains("ODbL") {
        return Some(format!(
            "{name}: contains information from {name}, which is made available under the Open Database License \
             (ODbL) v1.0, https://opendatacommons.org/licenses/odbl/1-0/"
        ));
    }
    if licence.starts_with("unknown") {
        return Some(format!("{name}: {licence}"));
    }
    if resource.meta.citation.as_deref() == Some(crate::resource::VADER_CITATION) {
        return Some(
            "VADER's lexicons: MIT licence, Copyright (c) 2016 C.J. Hutto; the licence's copyright and permission \
             notice must go with any copy of them (data/VADER-LICENSE.txt)"
                .to_string(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Meta;

    fn manifest(lexicons: Vec<Resource>) -> Manifest {
        let options: IndexMap<String, Value> =
            [("ngrams".to_string(), Value::from("2..5")), ("threads".to_string(), Value::from(8))].into();
        Manifest {
            marginalia: "0.1.0".into(),
            command: vec!["marginalia".into(), "analyze".into(), "r.txt".into()],
            started: "2025-01-01T00:00:00Z".into(),
            finished: "2025-01-01T00:00:01Z".into(),
            options,
            inputs: Vec::new(),
            skipped: 0,
            lexicons,
            tables: IndexMap::new(),
        }
    }

    #[test]
    fn the_paragraph_names_the_options_changed_and_the_references_carry_their_notices() {
        let afinn = Meta {
            name: Some("AFINN-165".into()),
            licence: Some("ODbL-1.0".into()),
            citation: Some("Nielsen, F. Å. (2011). A new ANEW.".into()),
            ..Meta::default()
        };
        let lexicons = vec![
            Resource::file("sentiment", "afinn.tsv".as_ref(), b"good\t3\n", afinn),
            Resource::embedded("sentiment", "vader_lexicon.txt", b"", crate::resource::vader_meta("VADER")),
            Resource::embedded("sentiment", "emoji_utf8_lexicon.txt", b"", crate::resource::vader_meta("VADER")),
        ];
        let defaults: IndexMap<String, Value> =
            [("ngrams".to_string(), Value::from("2..3")), ("threads".to_string(), Value::from(2))].into();
        let text = cite(&manifest(lexicons), &defaults);
        assert!(text.contains("marginalia 0.1.0 (`marginalia analyze r.txt`)"), "{text}");
        assert!(text.contains("Options that differ from the defaults: --ngrams 2..5."), "{text}");
        assert!(text.contains("- Nielsen, F. Å. (2011). A new ANEW. [AFINN-165; licence: ODbL-1.0]"), "{text}");
        assert!(text.contains("AFINN-165: contains information from AFINN-165, which is made available under"));
        assert_eq!(text.matches("Hutto, C.J. & Gilbert").count(), 1, "one reference for both files: {text}");
        assert!(text.contains("VADER's lexicons: MIT licence, Copyright (c) 2016 C.J. Hutto"), "{text}");
    }
}
