//! `manifest.json` and `marginalia cite`: what a run did, recorded for a methods section.

mod common;

use std::fs;
use std::path::Path;

use common::{run, sample, stderr, table};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest in `dir/out`, parsed.
fn manifest(dir: &Path, out: &str) -> Value {
    let text = fs::read_to_string(dir.join(out).join("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Runs `analyze review.txt --out results` with `extra` arguments in `dir`, and returns its manifest.
fn analyze(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["analyze", "review.txt", "--out", "results", "--charts", "none"];
    args.extend_from_slice(extra);
    let out = run(&args, dir);
    assert!(out.status.success(), "{}", stderr(&out));
    manifest(dir, "results")
}

/// The lexicon of `role` a manifest lists.
fn lexicon<'m>(manifest: &'m Value, role: &str) -> &'m Value {
    let lexicons = manifest["lexicons"].as_array().unwrap();
    lexicons.iter().find(|l| l["role"] == role).unwrap_or_else(|| panic!("no {role} in {lexicons:?}"))
}

#[test]
fn a_run_records_what_it_did_and_a_second_run_records_the_same_but_its_times() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("review.txt"), sample()).unwrap();
    let first = analyze(dir.path(), &["--ngrams", "2..4"]);
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["marginalia", "command", "started", "finished", "options", "inputs", "skipped", "lexicons", "tables"]
    );
    assert_eq!(first["marginalia"], env!("CARGO_PKG_VERSION"));
    let command = ["marginalia", "analyze", "review.txt", "--out", "results", "--charts", "none", "--ngrams", "2..4"];
    assert_eq!(first["command"], serde_json::json!(command));
    for time in [&first["started"], &first["finished"]] {
        let time = time.as_str().unwrap();
        assert!(time.len() == 20 && time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
    }
    // Options as resolved: the one given, and the defaults.
    assert_eq!(first["options"]["ngrams"], "2..4");
    assert_eq!(first["options"]["arc-points"], 20);
    assert_eq!(first["options"]["themes"], serde_json::json!(["embedded:data/themes.toml"]));
    // The input, hashed from the bytes read.
    let bytes = sample().into_bytes();
    let input = serde_json::json!([{"path": "review.txt", "bytes": bytes.len(), "sha256": sha256(&bytes)}]);
    assert_eq!(first["inputs"], input);
    // The lexicons, with their metadata.
    assert_eq!(lexicon(&first, "themes")["meta"]["name"], "marginalia themes");
    let vader = lexicon(&first, "sentiment");
    assert_eq!((&vader["meta"]["licence"], &vader["meta"]["version"]), (&Value::from("MIT"), &Value::from("3.3.2")));
    assert!(vader["meta"]["citation"].as_str().unwrap().contains("Hutto, C.J. & Gilbert, E.E. (2014)"));
    assert_eq!(lexicon(&first, "stopwords")["source"], "embedded:data/stopwords/english.txt");
    // Each table's rows, as a CSV reader counts them (a cell may hold a line break).
    let tables = first["tables"].as_object().unwrap();
    assert!(tables.len() >= 20, "{tables:?}");
    for (file, rows) in tables {
        assert_eq!(rows.as_u64().unwrap() as usize, table(&dir.path().join("results").join(file)).len(), "{file}");
    }
    // Again, into the same folder: only the times may differ.
    let second = analyze(dir.path(), &["--ngrams", "2..4"]);
    let without_times = |mut m: Value| {
        let object = m.as_object_mut().unwrap();
        object.remove("started");
        object.remove("finished");
        m
    };
    assert_eq!(without_times(first), without_times(second));
}

#[test]
fn one_byte_changed_in_a_lexicon_changes_its_hash_and_its_meta_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("review.txt"), sample()).unwrap();
    let tone = "[meta]\nname = \"AFINN tones\"\nversion = \"165\"\nlicence = \"ODbL-1.0\"\n\
                citation = \"Nielsen, F. Å. (2011). A new ANEW.\"\n\n[praise]\nterms = [\"brilliant\", \"quiet\"]\n";
    fs::write(dir.path().join("tone.toml"), tone).unwrap();
    let before = analyze(dir.path(), &["--tone", "tone.toml"]);
    let recorded = lexicon(&before, "tone");
    assert_eq!(recorded["source"], "tone.toml");
    assert_eq!(recorded["sha256"], sha256(tone.as_bytes()));
    assert_eq!(recorded["meta"]["licence"], "ODbL-1.0");
    let changed = tone.replace("quiet", "quieT");
    fs::write(dir.path().join("tone.toml"), &changed).unwrap();
    let after = analyze(dir.path(), &["--tone", "tone.toml"]);
    assert_eq!(lexicon(&after, "tone")["sha256"], sha256(changed.as_bytes()));
    assert_ne!(lexicon(&after, "tone")["sha256"], recorded["sha256"]);
    // cite: the options changed, the references, and the notices the licences ask for.
    let out = run(&["cite", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Options that differ from the defaults: --tone tone.toml, --charts none."), "{text}");
    assert!(text.contains("- Nielsen, F. Å. (2011). A new ANEW. [AFINN tones 165; licence: ODbL-1.0]"), "{text}");
    assert!(text.contains("made available under the Open Database License (ODbL)"), "{text}");
    assert!(text.contains("VADER's lexicons: MIT licence, Copyright (c) 2016 C.J. Hutto"), "{text}");
}

#[test]
fn a_lexicon_with_bad_metadata_is_refused_by_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("review.txt"), sample()).unwrap();
    fs::write(
        dir.path().join("tone.toml"),
        "[meta]\nname = \"t\"\nlicense = \"MIT\"\n\n[praise]\nterms = [\"fine\"]\n",
    )
    .unwrap();
    let out = run(&["analyze", "review.txt", "--tone", "tone.toml", "--out", "results"], dir.path());
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("tone.toml:3:1: unknown field `license`"), "{}", stderr(&out));
    assert!(!dir.path().join("results").exists());
}

#[test]
fn cite_without_a_manifest_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("results")).unwrap();
    let out = run(&["cite", "results"], dir.path());
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("results/manifest.json: no manifest.json here: give the --out folder"),
        "{}",
        stderr(&out)
    );
    fs::write(dir.path().join("results/manifest.json"), "{").unwrap();
    let out = run(&["cite", "results"], dir.path());
    assert!(stderr(&out).contains("manifest.json: is not a manifest marginalia can read"), "{}", stderr(&out));
}
