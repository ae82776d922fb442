//! Shards: `analyze --shard K/N` on slices of one corpus, then `merge`, must write exactly what one run writes.

mod common;

use std::fs;
use std::path::Path;

use common::{run, sample, stderr, table, take_manifest, tree};

/// A corpus cut from the sample review: one file per paragraph in two folders, and a CSV with a row per
/// paragraph (stars 1 to 5) plus a row with no text, which is skipped, as is a broken link found in a folder.
/// Returns the documents it holds.
fn corpus(dir: &Path) -> usize {
    let text = sample();
    let paragraphs: Vec<&str> = text.split('\n').filter(|p| !p.trim().is_empty()).collect();
    let mut csv = String::from("stars,text\n");
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let folder = dir.join("corpus").join(if i % 2 == 0 { "even" } else { "odd" });
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(format!("p{i:02}.txt")), paragraph).unwrap();
        csv.push_str(&format!("{},\"{}\"\n", i % 5 + 1, paragraph.replace('"', "\"\"")));
    }
    csv.push_str("3,\n");
    fs::write(dir.join("reviews.csv"), csv).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", dir.join("corpus/odd/broken.txt")).unwrap();
    2 * paragraphs.len()
}

/// The options every run of these tests shares: groups, and charts for the first few documents (so the shards
/// must agree on which documents are charted, and in which folders, and which similarity.csv compares), and
/// fewer most frequent words than the default (which merge must take from the shards).
const OPTIONS: [&str; 8] = ["--group-by", "stars", "--document-charts", "5", "--keyness-top", "5", "--mfw", "20"];

/// Runs `analyze` on the corpus with `extra` arguments; returns its exit code (0, or 1 when it skipped the empty
/// row) and what it said.
fn analyze(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["analyze", "corpus", "reviews.csv"];
    args.extend(OPTIONS);
    args.extend(extra);
    let out = run(&args, dir);
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "{}", stderr(&out));
    (code, stderr(&out))
}

#[test]
fn three_shards_merged_are_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let documents = corpus(dir.path());
    assert_eq!(analyze(dir.path(), &["--out", "whole"]).0, 1);
    let mut said = Vec::new();
    for (k, threads) in [("1", "2"), ("2", "1"), ("3", "2")] {
        said.push(analyze(
            dir.path(),
            &["--shard", &format!("{k}/3"), "--threads", threads, "--out", &format!("s{k}")],
        ));
    }
    // The empty row (the last) is reported by the one shard whose slice holds it, the broken link (found before
    // the documents are numbered) by the first.
    let reported: Vec<(bool, bool)> =
        said.iter().map(|(_, s)| (s.contains("broken.txt"), s.contains("reviews.csv:"))).collect();
    assert_eq!(reported, [(true, false), (false, false), (false, true)]);
    assert_eq!(said.iter().map(|(code, _)| *code).collect::<Vec<_>>(), [1, 0, 1]);
    let shard_rows: usize = (1..=3).map(|k| table(&dir.path().join(format!("s{k}/documents.csv"))).len()).sum();
    assert_eq!(shard_rows, documents);
    assert!(!dir.path().join("s1/keyness.csv").exists(), "a shard alone writes no corpus table");
    // In any order: merge puts the shards in order.
    let out = run(&["merge", "s2", "s3", "s1", "--out", "merged"], dir.path());
    assert_eq!(out.status.code(), Some(1), "merge reports the shards' skipped input: {}", stderr(&out));
    assert!(stderr(&out).contains("the shards skipped 2 input(s)"), "{}", stderr(&out));
    let (mut whole, mut merged) = (tree(&dir.path().join("whole")), tree(&dir.path().join("merged")));
    // The manifests differ in their times and command lines, deliberately: compared apart, they list the same
    // inputs, skipped inputs and rows.
    let (whole_manifest, merged_manifest) = (take_manifest(&mut whole), take_manifest(&mut merged));
    for key in ["inputs", "skipped", "tables", "lexicons"] {
        assert_eq!(whole_manifest[key], merged_manifest[key], "{key} differ between one run and the merge");
    }
    assert_eq!(merged_manifest["inputs"].as_array().unwrap().len(), documents / 2 + 1, "each file, the table once");
    assert_eq!(merged_manifest["command"][1], "merge");
    assert_eq!(merged_manifest["options"]["shard"], serde_json::Value::Null);
    assert_eq!(whole.keys().collect::<Vec<_>>(), merged.keys().collect::<Vec<_>>());
    for (name, bytes) in &whole {
        assert!(merged[name] == *bytes, "{name} differs between one run and three merged shards");
    }
    // What is compared is the real thing: every table, documents and groups, and the charts of five documents
    // plus the corpus heatmap.
    let groups = table(&dir.path().join("merged/documents.csv")).iter().filter(|d| d["document"].is_empty()).count();
    assert_eq!(groups, 5);
    assert!(whole.keys().filter(|k| k.starts_with("charts/") && k.ends_with(".png")).count() > 5 * 5);
    assert!(whole.contains_key("charts/corpus/themes_by_document.png"), "{:?}", whole.keys());
    // tf_idf: each shard leaves it empty (its own counts would give shard-local idfs), and the merge fills it
    // from the merged counts: the vocabulary.csv compared above holds the values of one run.
    assert!(table(&dir.path().join("s2/vocabulary.csv")).iter().all(|r| r["tf_idf"].is_empty()));
    let vocabulary = table(&dir.path().join("merged/vocabulary.csv"));
    assert!(vocabulary.len() > 100 && vocabulary.iter().all(|r| r["tf_idf"].parse::<f64>().is_ok()));
    // The dendrogram of the five documents compared.
    assert!(whole.contains_key("charts/corpus/dendrogram.png"), "{:?}", whole.keys());
    // similarity.csv: the 10 pairs of the first 5 documents, 3 measures each, over 20 words, not 100.
    assert_eq!(table(&dir.path().join("merged/similarity.csv")).len(), 10 * 3);
    let default_mfw =
        run(&["analyze", "corpus", "reviews.csv", "--document-charts", "5", "--out", "mfw100"], dir.path());
    assert_eq!(default_mfw.status.code(), Some(1), "{}", stderr(&default_mfw));
    let similarity = |folder: &str| fs::read(dir.path().join(folder).join("similarity.csv")).unwrap();
    assert_ne!(similarity("mfw100"), similarity("merged"), "--mfw 20 reached the merge");
}

#[test]
fn tables_left_out_are_left_out_of_the_shards_and_the_merge_alike() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let skip = ["--charts", "none", "--skip-tables", "vocabulary,keyness,sentences,ngrams"];
    analyze(dir.path(), &[&skip[..], &["--out", "whole"]].concat());
    for k in 1..=2 {
        analyze(dir.path(), &[&skip[..], &["--shard", &format!("{k}/2"), "--out", &format!("s{k}")]].concat());
    }
    // Left out, the n-grams are not even counted: the shard's state is kilobytes smaller than with them counted
    // (it would be a few bytes larger, for the longer list of tables left out).
    let counted = ["--charts", "none", "--skip-tables", "vocabulary,keyness,sentences", "--shard", "1/2"];
    analyze(dir.path(), &[&counted[..], &["--out", "counted"]].concat());
    let state = |shard: &str| fs::metadata(dir.path().join(shard).join("shard.bin")).unwrap().len();
    assert!(state("s1") + 1000 < state("counted"), "{} against {}", state("s1"), state("counted"));
    // An earlier run's full tables in --out: the merge takes away those it leaves out.
    analyze(dir.path(), &["--charts", "none", "--out", "merged"]);
    assert!(dir.path().join("merged/vocabulary.csv").exists());
    let out = run(&["merge", "s1", "s2", "--out", "merged"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let (mut whole, mut merged) = (tree(&dir.path().join("whole")), tree(&dir.path().join("merged")));
    assert_eq!(take_manifest(&mut whole)["tables"], take_manifest(&mut merged)["tables"]);
    assert_eq!(whole, merged);
    for gone in ["vocabulary.csv", "keyness.csv", "sentences.csv", "ngrams.csv"] {
        assert!(!merged.contains_key(gone), "{gone} was written");
    }
    assert!(merged.contains_key("documents.csv") && merged.contains_key("corpus_vocabulary.csv"));
    // Shards that left out different tables are different runs.
    analyze(dir.path(), &["--charts", "none", "--skip-tables", "vocabulary", "--shard", "2/2", "--out", "s2"]);
    let out = run(&["merge", "s1", "s2", "--out", "mixed"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_shard_into_a_folder_of_a_whole_run_takes_away_its_corpus_tables() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    analyze(dir.path(), &["--charts", "none", "--out", "out"]);
    let tables = |dir: &Path| tree(&dir.join("out"));
    assert!(tables(dir.path()).contains_key("corpus_vocabulary.csv") && tables(dir.path()).contains_key("keyness.csv"));
    analyze(dir.path(), &["--charts", "none", "--shard", "1/2", "--out", "out"]);
    let shard = tables(dir.path());
    for gone in ["corpus_vocabulary.csv", "keyness.csv", "similarity.csv"] {
        assert!(!shard.contains_key(gone), "the whole run's {gone} was left beside the shard's tables");
    }
    assert!(shard.contains_key("shard.bin") && shard.contains_key("vocabulary.csv"));
}

#[test]
fn more_shards_than_documents_still_merge_into_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let documents = corpus(dir.path());
    let shards = documents + 4;
    analyze(dir.path(), &["--charts", "none", "--out", "whole"]);
    let mut folders = Vec::new();
    for k in 1..=shards {
        let folder = format!("shards/{k}");
        analyze(dir.path(), &["--charts", "none", "--shard", &format!("{k}/{shards}"), "--out", &folder]);
        folders.push(folder);
    }
    let mut args = vec!["merge", "--out", "merged"];
    args.extend(folders.iter().map(String::as_str));
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let (mut whole, mut merged) = (tree(&dir.path().join("whole")), tree(&dir.path().join("merged")));
    let (whole_manifest, merged_manifest) = (take_manifest(&mut whole), take_manifest(&mut merged));
    assert_eq!(
        (&whole_manifest["inputs"], &whole_manifest["tables"]),
        (&merged_manifest["inputs"], &merged_manifest["tables"])
    );
    assert_eq!(whole, merged);
}

#[test]
fn merge_refuses_shards_that_are_not_one_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let shard = |k: usize, extra: &[&str]| {
        let (shard, out) = (format!("{k}/3"), format!("s{k}"));
        analyze(dir.path(), &[&["--charts", "none", "--shard", &shard, "--out", &out], extra].concat());
    };
    (1..=3).for_each(|k| shard(k, &[]));
    analyze(dir.path(), &["--charts", "none", "--shard", "3/3", "--ngrams", "2", "--out", "other"]);
    let refused = |args: &[&str], expected: &str| {
        let out = run(&[&["merge"], args].concat(), dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert!(!dir.path().join("merged").exists(), "{args:?} left an output folder behind");
    };
    refused(&["s1", "s3", "--out", "merged"], "shard 2/3 missing");
    refused(&["s1", "s2", "other", "--out", "merged"], "other: was analysed with other inputs or options than s1");
    refused(&["s1", "s2", "s3", "s3", "--out", "merged"], "s3: is shard 3/3, as s3 is");
    refused(&["s1", "s2", "s3", "--out", "s1"], "s1: holds the output folder s1: merge into a folder apart");
    refused(&["s1", "s2", "s3", "--out", "nope/../s1/charts/merged"], "s1: holds the output folder nope/../s1/charts");
    assert!(!dir.path().join("s1/charts").exists() && !dir.path().join("nope").exists(), "refused before writing");
    fs::create_dir_all(dir.path().join("merged/charts")).unwrap();
    fs::rename(dir.path().join("s1"), dir.path().join("merged/charts/s1")).unwrap();
    let out = run(&["merge", "merged/charts/s1", "s2", "s3", "--out", "merged"], dir.path());
    assert!(stderr(&out).contains("is inside merged, whose charts/ the merge replaces"), "{}", stderr(&out));
    assert!(dir.path().join("merged/charts/s1/shard.bin").exists());
    fs::rename(dir.path().join("merged/charts/s1"), dir.path().join("s1")).unwrap();
    fs::remove_dir_all(dir.path().join("merged")).unwrap();
    refused(&["s1", "s2", "corpus", "--out", "merged"], "corpus: no shard.bin here");
    refused(&["s1", "s2", "nowhere", "--out", "merged"], "nowhere: no such folder: give merge the --out folders");
    // A damaged entry is found as the merge reads it: the folders the merge made go, and only those.
    let state = dir.path().join("s2/shard.bin");
    let bytes = fs::read(&state).unwrap();
    let mut damaged = bytes.clone();
    damaged[bytes.len() / 2] ^= 1;
    fs::write(&state, damaged).unwrap();
    fs::create_dir_all(dir.path().join("keep/E")).unwrap();
    refused(&["s1", "s2", "s3", "--out", "nope/../keep/E/merged"], "s2/shard.bin: is damaged");
    assert!(dir.path().join("keep/E").is_dir() && !dir.path().join("keep/E/merged").exists());
    assert!(!dir.path().join("nope").exists());
    // A shard stopped before it finished leaves no state, or a cut one: never a quietly shorter corpus.
    fs::write(&state, &bytes[..bytes.len() / 2]).unwrap();
    refused(&["s1", "s2", "s3", "--out", "merged"], "s2/shard.bin: ends early");
    // A run without --shard into a shard's folder takes its state away with the old tables; a table changed by
    // hand no longer matches the state.
    analyze(dir.path(), &["--charts", "none", "--out", "s2"]);
    refused(&["s1", "s2", "s3", "--out", "merged"], "s2: no shard.bin here");
    shard(2, &[]);
    fs::write(
        dir.path().join("s2/documents.csv"),
        [fs::read(dir.path().join("s2/documents.csv")).unwrap(), b"x\n".to_vec()].concat(),
    )
    .unwrap();
    refused(&["s1", "s2", "s3", "--out", "merged"], "s2/documents.csv: has");
    // The input changed between shards: shard 2 read a file edited to the same size, then a longer reviews.csv.
    shard(2, &[]);
    let file = dir.path().join("corpus/even/p00.txt");
    fs::write(&file, fs::read_to_string(&file).unwrap().replace("the ", "THE ")).unwrap();
    shard(2, &[]);
    refused(&["s1", "s2", "s3", "--out", "merged"], "was analysed with other inputs or options than s1");
    let reviews = dir.path().join("reviews.csv");
    fs::write(&reviews, [fs::read(&reviews).unwrap(), b"4,An added review.\n".to_vec()].concat()).unwrap();
    shard(2, &[]);
    refused(&["s1", "s2", "s3", "--out", "merged"], "was analysed with other inputs or options than s1");
    // Inputs are read twice, so a shard refuses what can be read only once.
    for input in ["-", "/dev/null"] {
        let out = run(&["analyze", input, "--shard", "1/2"], dir.path());
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("not standard input or a pipe"), "{}", stderr(&out));
    }
}

#[test]
fn a_keyness_reference_reaches_the_merge_and_shards_of_another_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    fs::write(dir.path().join("reference.tsv"), "memory\t40\nthe\t500\nclone\t3\nbanana\t457\n").unwrap();
    let with = ["--charts", "none", "--reference", "reference.tsv", "--keyness-min-count", "2"];
    analyze(dir.path(), &[&with[..], &["--out", "whole"]].concat());
    for k in 1..=2 {
        let (shard, out) = (format!("{k}/2"), format!("s{k}"));
        analyze(dir.path(), &[&with[..], &["--shard", &shard, "--out", &out]].concat());
    }
    let out = run(&["merge", "s1", "s2", "--out", "merged"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let whole = fs::read(dir.path().join("whole/keyness.csv")).unwrap();
    assert_eq!(whole, fs::read(dir.path().join("merged/keyness.csv")).unwrap());
    // The merge compared with the reference, not the rest of the corpus: banana is in no document.
    let banana = table(&dir.path().join("merged/keyness.csv")).into_iter().find(|k| k["stem"] == "banana");
    assert_eq!(banana.map(|k| k["reference_count"].clone()).as_deref(), Some("457"));
    // The same file name holding other counts is another reference: its shard does not merge with these.
    fs::write(dir.path().join("reference.tsv"), "memory\t41\nthe\t500\nclone\t3\nbanana\t457\n").unwrap();
    analyze(dir.path(), &[&with[..], &["--shard", "2/2", "--out", "other"]].concat());
    let out = run(&["merge", "s1", "other", "--out", "refused"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("was analysed with other inputs or options than s1"), "{}", stderr(&out));
}

#[test]
fn a_shards_vocabulary_damaged_in_place_is_refused_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    for k in 1..=3 {
        analyze(dir.path(), &["--charts", "none", "--shard", &format!("{k}/3"), "--out", &format!("s{k}")]);
    }
    // The first row's count turned to letters, the file's size and time kept, so the merge's checks of the
    // folders pass: only the rows themselves show it.
    let table = dir.path().join("s2/vocabulary.csv");
    let modified = fs::metadata(&table).unwrap().modified().unwrap();
    let text = fs::read_to_string(&table).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let (first, others) = rest.split_once('\n').unwrap();
    let mut cells: Vec<String> = first.split(',').map(String::from).collect();
    cells[4] = "x".repeat(cells[4].len());
    fs::write(&table, format!("{header}\n{}\n{others}", cells.join(","))).unwrap();
    fs::File::options().write(true).open(&table).unwrap().set_modified(modified).unwrap();
    let out = run(&["merge", "s1", "s2", "s3", "--out", "merged"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("s2/vocabulary.csv: is damaged: vocabulary.csv row 1: its count \"x"), "{said}");
    assert!(said.contains("run that shard again") && !dir.path().join("merged").exists(), "{said}");
}
