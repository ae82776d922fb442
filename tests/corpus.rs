//! Corpora: tables of documents (CSV, TSV, JSON Lines), groups, the corpus tables, and output that does not depend
//! on the number of threads.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use common::{run, run_with_stdin, sample, stderr, table, take_manifest, tree};

/// A folder of documents cut from the sample review (one per paragraph) in two subfolders.
fn corpus_folder(dir: &Path) -> usize {
    let text = sample();
    let paragraphs: Vec<&str> = text.split('\n').filter(|p| !p.trim().is_empty()).collect();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let folder = dir.join("corpus").join(if i % 2 == 0 { "even" } else { "odd" });
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join(format!("p{i:02}.txt")), paragraph).unwrap();
    }
    paragraphs.len()
}

#[test]
fn the_tables_are_the_same_byte_for_byte_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let documents = corpus_folder(dir.path());
    assert!(documents > 10);
    let mut outputs = Vec::new();
    for threads in ["1", "2", "5"] {
        let out_dir = format!("out{threads}");
        let out = run(&["analyze", "corpus", "--charts", "none", "--threads", threads, "--out", &out_dir], dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let mut output = tree(&dir.path().join(out_dir));
        // The manifest records --threads: the tables are what must not change.
        let manifest = take_manifest(&mut output);
        assert_eq!(manifest["options"]["threads"], threads.parse::<u64>().unwrap());
        outputs.push(output);
    }
    // 22 tables and report.html, which is the same whatever the threads too.
    assert_eq!(outputs[0].len(), 23, "{:?}", outputs[0].keys());
    assert_eq!(table(&dir.path().join("out1/documents.csv")).len(), documents);
    for other in &outputs[1..] {
        for (name, bytes) in &outputs[0] {
            assert!(other[name] == *bytes, "{name} differs between thread counts");
        }
    }
}

#[test]
fn a_csv_of_reviews_is_one_document_per_row_with_its_columns_kept() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "review_id,stars,text\n\
               r1,5,\"A haunting novel about memory.\nIt is \"\"told and not told\"\".\"\n\
               r2,1,\n\
               r3,1,Dull and slow. The clones never rebel.\n\
               r4,1,\"broken\n";
    fs::write(dir.path().join("reviews.csv"), csv).unwrap();
    let out = run(&["analyze", "reviews.csv", "--id-column", "review_id", "--charts", "none"], dir.path());
    let err = stderr(&out);
    // Row r2 (line 4) has no text; the quoted field opened on line 6 never closes.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("reviews.csv:4: the text column is empty"), "{err}");
    let documents = table(&dir.path().join("output/documents.csv"));
    let ids: Vec<&str> = documents.iter().map(|d| d["document"].as_str()).collect();
    assert_eq!(ids[..2], ["r1", "r3"], "{err}");
    assert_eq!(documents[0]["path"], "reviews.csv:2");
    assert_eq!(documents[0]["sentences"], "2", "the quoted newline is inside the text");
    let metadata = table(&dir.path().join("output/metadata.csv"));
    let r3: Vec<(&str, &str)> = metadata
        .iter()
        .filter(|m| m["document"] == "r3")
        .map(|m| (m["column"].as_str(), m["value"].as_str()))
        .collect();
    assert_eq!(r3, [("stars", "1")]);
    let quotes = table(&dir.path().join("output/quotes.csv"));
    assert_eq!(quotes[0]["text"], "told and not told");
}

#[test]
fn json_lines_skip_a_malformed_line_by_number_and_read_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = "{\"text\": \"Memory is everything here.\", \"year\": 2005}\n\
                 {\"text\": \"broken\n\
                 \n\
                 {\"year\": 2006}\n\
                 {\"text\": \"The clones remember.\", \"year\": 2006, \"tags\": [\"sf\"]}\n";
    fs::write(dir.path().join("reviews.jsonl"), jsonl).unwrap();
    let out = run(&["analyze", "reviews.jsonl", "--charts", "none", "--out", "out"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("reviews.jsonl:2: not valid JSON"), "{err}");
    assert!(err.contains("reviews.jsonl:4: no \"text\" field"), "{err}");
    let ids: Vec<String> =
        table(&dir.path().join("out/documents.csv")).into_iter().map(|d| d["document"].clone()).collect();
    // Rows are numbered as they come, bad ones included, so fixing one does not renumber the others.
    assert_eq!(ids, ["1", "4"]);
    let metadata = table(&dir.path().join("out/metadata.csv"));
    let values: Vec<&str> = metadata.iter().map(|m| m["value"].as_str()).collect();
    assert_eq!(values, ["2005", "2006", "[\"sf\"]"]);
}

#[test]
fn a_table_without_its_text_column_says_which_columns_it_has() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("reviews.tsv"), "id\tbody\n1\tFine.\n").unwrap();
    let out = run(&["analyze", "reviews.tsv", "--charts", "none"], dir.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("reviews.tsv: no \"text\" column") && err.contains("--text-column"), "{err}");
    // Naming the column reads it; the quotes of a TSV are text.
    let out = run(&["analyze", "reviews.tsv", "--text-column", "body", "--charts", "none"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn group_rows_sum_their_documents() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "stars,text\n\
               5,\"A haunting, beautiful novel about memory and love.\"\n\
               1,\"Boring and slow. The clones never rebel, which is dull.\"\n\
               5,\"Stunning. Memory, loss and love: a masterpiece.\"\n\
               1,\"Dull, dull, dull. I hated her memories.\"\n";
    fs::write(dir.path().join("reviews.csv"), csv).unwrap();
    let out = run(&["analyze", "reviews.csv", "--group-by", "stars", "--charts", "none"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let output = dir.path().join("output");
    let documents = table(&output.join("documents.csv"));
    let (members, groups): (Vec<_>, Vec<_>) = documents.iter().partition(|d| !d["document"].is_empty());
    assert_eq!(members.len(), 4);
    let names: Vec<&str> = groups.iter().map(|g| g["group"].as_str()).collect();
    assert_eq!(names, ["1", "5"]);
    let sum = |group: &str, column: &str| -> usize {
        members.iter().filter(|d| d["group"] == group).map(|d| d[column].parse::<usize>().unwrap()).sum()
    };
    for g in &groups {
        for column in ["bytes", "sentences", "tokens", "syllables", "polysyllables", "letters"] {
            assert_eq!(g[column].parse::<usize>().unwrap(), sum(&g["group"], column), "{column} of {}", g["group"]);
        }
        // Readability from the summed counts; the diversity measures need one text's words.
        let count = |column: &str| g[column].parse::<f64>().unwrap();
        let (w, s) = (count("tokens"), count("sentences"));
        let grade = 0.39 * w / s + 11.8 * count("syllables") / w - 15.59;
        assert_eq!(count("flesch_kincaid_grade"), (grade * 10_000.0).round() / 10_000.0);
        let ari = 4.71 * count("letters") / w + 0.5 * w / s - 21.43;
        assert_eq!(count("automated_readability_index"), (ari * 10_000.0).round() / 10_000.0);
        assert_eq!((g["mtld"].as_str(), g["hdd"].as_str(), g["yules_k"].as_str()), ("", "", ""));
    }
    // Counted by hand: the one-star reviews have 10 + 7 words in 2 + 2 sentences, and 10 + 5 distinct forms of
    // which one ("dull") they share: types are the distinct forms of the group, not a sum.
    let one = groups.iter().find(|g| g["group"] == "1").unwrap();
    assert_eq!((one["tokens"].as_str(), one["sentences"].as_str()), ("17", "4"));
    assert_eq!(one["mean_sentence_words"], "4.25");
    assert_eq!(one["types"], "14");
    let themes = table(&output.join("themes.csv"));
    let memory = |doc: &str, group: &str| -> u32 {
        let row = themes.iter().find(|t| t["document"] == doc && t["group"] == group && t["theme"] == "memory");
        row.map(|t| t["count"].parse().unwrap()).unwrap()
    };
    assert_eq!(memory("", "5"), memory("1", "5") + memory("3", "5"));
    assert_eq!(memory("", "5"), 2);
    let tone = table(&output.join("tone.csv"));
    let censure = tone.iter().find(|t| t["document"].is_empty() && t["group"] == "1" && t["tone"] == "censure");
    assert_eq!(censure.map(|t| t["top_markers"].as_str()), Some("dull:4|boring:1"));
    // Keyness compares each group with the rest.
    let keyness = table(&output.join("keyness.csv"));
    let dull = keyness.iter().find(|k| k["document"].is_empty() && k["group"] == "1" && k["stem"] == "dull").unwrap();
    assert_eq!((dull["count"].as_str(), dull["reference_count"].as_str()), ("4", "0"));
}

#[test]
fn group_by_dir_groups_files_by_their_folder() {
    let dir = tempfile::tempdir().unwrap();
    let documents = corpus_folder(dir.path());
    let out = run(&["analyze", "corpus", "--group-by", "dir", "--charts", "none"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = table(&dir.path().join("output/documents.csv"));
    assert_eq!(rows.len(), documents + 2);
    let groups: Vec<(&str, &str)> =
        rows.iter().filter(|d| d["document"].is_empty()).map(|d| (d["group"].as_str(), d["tokens"].as_str())).collect();
    assert_eq!(groups.iter().map(|g| g.0).collect::<Vec<_>>(), ["even", "odd"]);
    let total: usize =
        rows.iter().filter(|d| !d["document"].is_empty()).map(|d| d["tokens"].parse::<usize>().unwrap()).sum();
    assert_eq!(groups.iter().map(|g| g.1.parse::<usize>().unwrap()).sum::<usize>(), total);
}

#[test]
fn corpus_vocabulary_adds_up_the_documents_vocabularies() {
    let dir = tempfile::tempdir().unwrap();
    corpus_folder(dir.path());
    let out = run(&["analyze", "corpus", "--charts", "none"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let vocabulary = table(&dir.path().join("output/vocabulary.csv"));
    let corpus = table(&dir.path().join("output/corpus_vocabulary.csv"));
    let mut counts: HashMap<&str, (u64, u32)> = HashMap::new();
    for row in &vocabulary {
        let entry = counts.entry(row["stem"].as_str()).or_default();
        entry.0 += row["count"].parse::<u64>().unwrap();
        entry.1 += 1;
    }
    assert_eq!(corpus.len(), counts.len());
    for row in &corpus {
        let (count, documents) = counts[row["stem"].as_str()];
        assert_eq!(
            (row["count"].parse::<u64>().unwrap(), row["documents"].parse::<u32>().unwrap()),
            (count, documents)
        );
    }
    // "Never Let Me Go": the title is named 6 times in the review (grep -o).
    let go = corpus.iter().find(|r| r["stem"] == "go").unwrap();
    assert_eq!(go["count"], "6");
    // Keyness has rows for every document, overused first.
    let keyness = table(&dir.path().join("output/keyness.csv"));
    assert!(!keyness.is_empty());
    assert!(keyness.iter().all(|k| !k["document"].is_empty() && k["group"].is_empty()));
}

#[test]
fn one_document_writes_the_corpus_tables_with_their_header_only() {
    let dir = common::analyze_sample(&["--charts", "none"]);
    for file in ["corpus_vocabulary.csv", "keyness.csv", "similarity.csv", "metadata.csv"] {
        let path = dir.path().join("results").join(file);
        assert!(table(&path).is_empty(), "{file}");
        assert!(
            fs::read_to_string(&path).unwrap().starts_with(|c: char| c.is_ascii_lowercase()),
            "{file} has a header"
        );
    }
}

#[test]
fn quiet_runs_and_runs_off_a_terminal_print_no_progress() {
    let dir = tempfile::tempdir().unwrap();
    corpus_folder(dir.path());
    for extra in [&[][..], &["--quiet"][..]] {
        let mut args = vec!["analyze", "corpus", "--charts", "none"];
        args.extend_from_slice(extra);
        let out = run(&args, dir.path());
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(!err.contains('\r') && !err.contains("left"), "{err}");
    }
}

#[test]
fn warnings_past_the_hundredth_are_counted_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("novels")).unwrap();
    for i in 0..120 {
        fs::write(dir.path().join(format!("novels/{i:03}.txt")), "He said, \"it never ends.").unwrap();
    }
    let warnings = |out: &std::process::Output| stderr(out).lines().filter(|l| l.contains("warning:")).count();
    let out = run(&["analyze", "novels", "--charts", "none"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(warnings(&out), 100);
    assert!(stderr(&out).contains("20 more warnings were not shown"), "{}", stderr(&out));
    let out = run(&["analyze", "novels", "--charts", "none", "--all-warnings"], dir.path());
    assert_eq!(warnings(&out), 120);
}

#[test]
fn a_table_with_only_its_header_is_named_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.csv"), "id,text\n").unwrap();
    fs::write(dir.path().join("one.csv"), "id,text\n1,Memory.\n").unwrap();
    let out = run(&["analyze", "empty.csv", "one.csv", "--charts", "none"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("skipped: empty.csv: the table has no rows"), "{}", stderr(&out));
    let out = run(&["analyze", "empty.csv", "--charts", "none"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("empty.csv: the table has no rows"), "{}", stderr(&out));
}

#[test]
fn rows_from_standard_input_are_stdin_and_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["analyze", "-", "--format", "jsonl", "--charts", "none"];
    let out = run_with_stdin(&args, dir.path(), b"\n{\"text\": \"Memory.\"}\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let documents = table(&dir.path().join("output/documents.csv"));
    assert_eq!((documents[0]["document"].as_str(), documents[0]["path"].as_str()), ("1", "stdin:2"));
    // A table on standard input with no rows is named stdin too.
    let out = run_with_stdin(&["analyze", "-", "--format", "csv", "--charts", "none"], dir.path(), b"text\n");
    assert!(stderr(&out).contains("skipped: stdin: the table has no rows"), "{}", stderr(&out));
}

#[test]
fn tables_saved_as_utf16_or_in_a_legacy_encoding_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
    let tsv = "id\ttext\nr1\tThe narrator’s café memories.\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tsv.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(dir.path().join("export.tsv"), utf16).unwrap();
    let out = run(&["analyze", "export.tsv", "--id-column", "id", "--charts", "none", "--out", "a"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let vocabulary = table(&dir.path().join("a/vocabulary.csv"));
    assert!(vocabulary.iter().any(|v| v["document"] == "r1" && v["term"] == "café"), "{vocabulary:?}");
    assert_eq!(table(&dir.path().join("a/documents.csv"))[0]["encoding"], "UTF-16LE");
    // A Windows-1252 CSV (é is the byte 0xE9) with --encoding.
    fs::write(dir.path().join("old.csv"), b"text\nA caf\xE9 of memories.\n").unwrap();
    let out = run(&["analyze", "old.csv", "--encoding", "windows-1252", "--charts", "none", "--out", "b"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let vocabulary = table(&dir.path().join("b/vocabulary.csv"));
    assert!(vocabulary.iter().any(|v| v["term"] == "café"), "{vocabulary:?}");
    assert_eq!(table(&dir.path().join("b/documents.csv"))[0]["encoding"], "windows-1252");
    // Bytes the named encoding cannot map are replaced, and the table is named once.
    fs::write(dir.path().join("mixed.csv"), b"text\nFine prose.\nA \xFF gap.\nMore \xFF gaps.\n").unwrap();
    let out = run(&["analyze", "mixed.csv", "--encoding", "utf-8", "--charts", "none", "--out", "d"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let replaced = stderr(&out).lines().filter(|l| l.contains("replaced with U+FFFD")).count();
    assert_eq!(replaced, 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("mixed.csv: some bytes are not valid UTF-8"), "{}", stderr(&out));
    // Without it, the row is not UTF-8: skipped, with its line.
    let out = run(&["analyze", "old.csv", "--charts", "none", "--out", "c"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("old.csv:2"), "{}", stderr(&out));
}

#[test]
fn tables_can_be_left_out_and_the_others_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    corpus_folder(dir.path());
    let texts = "corpus";
    let full = run(&["analyze", texts, "--charts", "none", "--out", "full"], dir.path());
    assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
    // Into a folder holding a full run's tables: those left out are removed, not left to mix with the new ones.
    let full_tables = tree(&dir.path().join("full"));
    let copy = dir.path().join("some");
    fs::create_dir(&copy).unwrap();
    for (name, bytes) in &full_tables {
        fs::write(copy.join(name), bytes).unwrap();
    }
    // A file of the user's that only has a table's name is not a table, and stays.
    fs::write(copy.join("tone_markers.csv"), "my notes on tone\n").unwrap();
    let args = ["analyze", texts, "--charts", "none", "--skip-tables", "vocabulary,sentences,tone_markers,keyness"];
    // A run that fails takes nothing away: ngrams.csv cannot be replaced while it is a folder with a file in it.
    fs::rename(copy.join("ngrams.csv"), dir.path().join("ngrams.csv")).unwrap();
    fs::create_dir_all(copy.join("ngrams.csv/inside")).unwrap();
    let failed = run(&[&args[..], &["--out", "some"]].concat(), dir.path());
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert!(copy.join("vocabulary.csv").exists() && copy.join("keyness.csv").exists(), "a failed run removed tables");
    fs::remove_dir_all(copy.join("ngrams.csv")).unwrap();
    let some = run(&[&args[..], &["--out", "some"]].concat(), dir.path());
    assert_eq!(some.status.code(), Some(0), "{}", stderr(&some));
    let some_tables = tree(&copy);
    let left_out = ["vocabulary.csv", "sentences.csv", "keyness.csv"];
    let expected: Vec<&String> = full_tables.keys().filter(|name| !left_out.contains(&name.as_str())).collect();
    assert_eq!(some_tables.keys().collect::<Vec<_>>(), expected);
    assert_eq!(some_tables["tone_markers.csv"], b"my notes on tone\n");
    let mut some_tables = some_tables;
    // The manifest lists the tables written, and only those.
    let manifest = take_manifest(&mut some_tables);
    let listed: Vec<&String> = manifest["tables"].as_object().unwrap().keys().collect();
    assert_eq!(listed.len(), 22 - 4, "{listed:?}");
    assert!(listed.iter().all(|name| !left_out.contains(&name.as_str()) && *name != "tone_markers.csv"));
    // The report shows the tables left out as not written, so it differs; the tables written must not.
    for (name, bytes) in
        some_tables.iter().filter(|(name, _)| !["tone_markers.csv", "report.html"].contains(&name.as_str()))
    {
        assert!(full_tables[name] == *bytes, "{name} differs when other tables are left out");
    }
    assert!(table(&dir.path().join("full/keyness.csv")).len() > 10, "keyness had rows to leave out");
    assert!(!stderr(&some).contains("some/vocabulary.csv"), "{}", stderr(&some));
    // documents.csv indexes the run: it cannot be left out, and a name that is no table says which are.
    for bad in ["documents", "vocab"] {
        let out = run(&["analyze", texts, "--skip-tables", bad, "--out", "bad"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("possible values: chapters, vocabulary, ngrams"), "{}", stderr(&out));
        assert!(!dir.path().join("bad").exists());
    }
}

#[test]
fn tf_idf_in_vocabulary_equals_the_arithmetic_by_hand_and_is_empty_for_one_document() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    for (name, text) in [("a", "Memory fades. Memory stays."), ("b", "Memory of clones."), ("c", "Clones fade.")] {
        fs::write(dir.path().join("in").join(format!("{name}.txt")), text).unwrap();
    }
    let out = run(&["analyze", "in", "--charts", "none", "--out", "out"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = table(&dir.path().join("out/vocabulary.csv"));
    let value = |doc: &str, stem: &str| {
        let row = rows.iter().find(|r| r["document"] == doc && r["stem"] == stem).unwrap();
        row["tf_idf"].parse::<f64>().unwrap()
    };
    // 3 documents; memori, fade and clone are each in 2 (idf ln 1.5 = 0.405465), stay and of in 1 (ln 3 =
    // 1.098612). a has 4 words, b 3, c 2.
    assert_eq!(value("a", "memori"), 0.2027, "2/4 × 0.405465 = 0.202733");
    assert_eq!(value("a", "stay"), 0.2747, "1/4 × 1.098612 = 0.274653");
    assert_eq!(value("b", "of"), 0.3662, "1/3 × 1.098612 = 0.366204");
    assert_eq!(value("b", "clone"), 0.1352, "1/3 × 0.405465 = 0.135155");
    assert_eq!(value("c", "fade"), 0.2027, "1/2 × 0.405465 = 0.202733");
    // One document: no idf, an empty cell.
    let out = run(&["analyze", "in/a.txt", "--charts", "none", "--out", "one"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(table(&dir.path().join("one/vocabulary.csv")).iter().all(|r| r["tf_idf"].is_empty()));
}
