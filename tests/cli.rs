//! End-to-end tests: run the real binary on the shipped sample and on files made here, read the CSV back, and
//! check figures counted by hand (or by an independent method, named beside each figure).

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use common::{analyze_sample, run, run_with_stdin, sample, sample_path, stderr, table};

#[test]
fn sample_review_figures_counted_by_hand() {
    let dir = analyze_sample(&[]);
    let docs = table(&dir.path().join("results/documents.csv"));
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d["document"], "never-let-me-go-review");
    assert_eq!(d["encoding"], "UTF-8");
    assert_eq!(d["layout"], "paragraphs");
    assert_eq!(d["bytes"], "5309"); // wc -c
    assert_eq!(d["paragraphs"], "19"); // the non-blank lines
    // 59 sentences of prose plus the five headings; the same 64 as the reference scores in shared/reference.
    assert_eq!(d["sentences"], "64");
    // Counted independently with the regex [^\W_]+(?:['’][^\W_]+)* (letters and digits, inner apostrophes).
    assert_eq!(d["tokens"], "901");
}

#[test]
fn sample_review_headings_are_sentences_of_their_own() {
    let dir = analyze_sample(&[]);
    let sentences = table(&dir.path().join("results/sentences.csv"));
    let texts: Vec<&str> = sentences.iter().map(|s| s["text"].as_str()).collect();
    for heading in [
        "Never Let Me Go by Kazuo Ishiguro",
        "The Illusion of Childhood and the Things Left Unsaid",
        "What Makes Us Human Isn’t Always Enough",
        "When Memory Becomes the Only Thing You Can Keep",
        "About Kazuo Ishiguro:",
    ] {
        assert!(texts.contains(&heading), "heading not a sentence of its own: {heading}");
    }
    // An initial followed by a comma does not end a sentence.
    assert!(texts.contains(
        &"On the surface, it’s the story of Kathy H., a “carer” reflecting on her youth at an exclusive English boarding school."
    ));
    assert!(texts.contains(&"And that line?"));
    assert!(texts.contains(&"Before Ruth “completed.”"));
}

#[test]
fn sentence_offsets_slice_the_source_exactly() {
    let dir = analyze_sample(&[]);
    let source = sample();
    let sentences = table(&dir.path().join("results/sentences.csv"));
    let mut last_end = 0;
    for (i, s) in sentences.iter().enumerate() {
        let (start, end): (usize, usize) = (s["start_byte"].parse().unwrap(), s["end_byte"].parse().unwrap());
        assert_eq!(&source[start..end], s["text"], "sentence {}", i + 1);
        assert!(start >= last_end, "sentences overlap or go backwards at {}", i + 1);
        assert_eq!(s["sentence_id"], (i + 1).to_string());
        last_end = end;
    }
}

#[test]
fn sample_review_word_counts_counted_by_hand() {
    let dir = analyze_sample(&[]);
    let vocab = table(&dir.path().join("results/vocabulary.csv"));
    let by_stem: HashMap<&str, &HashMap<String, String>> = vocab.iter().map(|r| (r["stem"].as_str(), r)).collect();
    // grep -oiw never | wc -l → 9; "told" → 4; Memory, memory, memories ×2 → 4; Hailsham ×2 + Hailsham’s → 3.
    assert_eq!(by_stem["never"]["count"], "9");
    assert_eq!(by_stem["never"]["stopword"], "false");
    assert_eq!(by_stem["told"]["count"], "4");
    assert_eq!(by_stem["memori"]["count"], "4");
    assert_eq!(by_stem["memori"]["forms"], "memory|memories");
    assert_eq!(by_stem["hailsham"]["count"], "3");
    assert_eq!(by_stem["hailsham"]["forms"], "hailsham|hailsham's");
    // "the" 56 times in 901 words: 621.5316 per 10,000.
    assert_eq!(by_stem["the"]["count"], "56");
    assert_eq!(by_stem["the"]["per_10k"], "621.5316");
    assert_eq!(by_stem["the"]["rank"], "1");
    assert_eq!(by_stem["the"]["stopword"], "true");
    // Ishiguro is named in the first sentence, Hailsham first in sentence 8 ("Hailsham is idyllic at first glance.").
    assert_eq!(by_stem["ishiguro"]["first_sentence"], "1");
    assert_eq!(by_stem["hailsham"]["first_sentence"], "8");
    let total: usize = vocab.iter().map(|r| r["count"].parse::<usize>().unwrap()).sum();
    assert_eq!(total, 901, "vocabulary counts must sum to the document's tokens");
}

#[test]
fn crlf_and_cr_line_ends_give_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = sample();
    fs::write(dir.path().join("crlf.txt"), text.replace('\n', "\r\n")).unwrap();
    fs::write(dir.path().join("cr.txt"), text.replace('\n', "\r")).unwrap();
    fs::write(dir.path().join("bom.txt"), format!("\u{feff}{text}")).unwrap();
    let out = run(&["analyze", ".", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    for d in table(&dir.path().join("results/documents.csv")) {
        assert_eq!((d["paragraphs"].as_str(), d["sentences"].as_str(), d["tokens"].as_str()), ("19", "64", "901"));
    }
}

#[test]
fn folders_are_walked_recursively_in_order_with_relative_ids() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts");
    fs::create_dir_all(texts.join("b/deeper")).unwrap();
    fs::write(texts.join("z.txt"), "Last one.").unwrap();
    fs::write(texts.join("a.md"), "First one.").unwrap();
    fs::write(texts.join("b/deeper/m.txt"), "Middle one.").unwrap();
    fs::write(texts.join("b/notes.csv"), "note,text\nfirst,A note.\n").unwrap();
    let out = run(&["analyze", "texts", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<String> =
        table(&dir.path().join("results/documents.csv")).into_iter().map(|d| d["document"].clone()).collect();
    assert_eq!(ids, ["a", "b/deeper/m", "z"]);
    // --ext chooses other extensions; a .csv file is a table, one document per row, numbered.
    let out = run(&["analyze", "texts", "--ext", "csv", "--out", "csvs"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let documents = table(&dir.path().join("csvs/documents.csv"));
    assert_eq!((documents.len(), documents[0]["document"].as_str()), (1, "1"));
    assert!(documents[0]["path"].ends_with("notes.csv:2"), "{}", documents[0]["path"]);
}

#[test]
fn stdin_is_document_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_with_stdin(&["analyze", "-", "--out", "results"], dir.path(), sample().as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let d = &table(&dir.path().join("results/documents.csv"))[0];
    assert_eq!((d["document"].as_str(), d["path"].as_str(), d["tokens"].as_str()), ("stdin", "-", "901"));
}

#[test]
fn vocab_prints_the_top_stems_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["vocab", sample_path().to_str().unwrap(), "--top", "3"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("document,stem,term,forms,count"));
    assert!(lines[1].starts_with("never-let-me-go-review,the,the,the,56,"));
}

#[test]
fn stopwords_can_be_replaced_or_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let out = run(&["vocab", sample.to_str().unwrap(), "--stopwords", "none"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!String::from_utf8(out.stdout).unwrap().contains(",true,"), "no stem may be a stopword");
    fs::write(dir.path().join("mine.txt"), "# critics' list\nnever\n").unwrap();
    let out = run(&["vocab", sample.to_str().unwrap(), "--stopwords", "mine.txt", "--top", "10"], dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("never-let-me-go-review,never,never,never,9,99.889,10,true,1"), "{text}");
    fs::write(dir.path().join("bad.txt"), "never\nnot this\n").unwrap();
    let out = run(&["vocab", sample.to_str().unwrap(), "--stopwords", "bad.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.txt:2: expected one word per line"), "{}", stderr(&out));
}

#[test]
fn wrapped_text_joins_lines_but_not_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let text = "It is a truth universally acknowledged, that a single man in possession\n\
                of a good fortune, must be in want of a wife.\n\n\
                However little known the feelings or views of such a man may be on his\n\
                first entering a neighbourhood, this truth is so well fixed. Mr. Bennet\n\
                replied that he had not.\n";
    fs::write(dir.path().join("austen.txt"), text).unwrap();
    let out = run(&["analyze", "austen.txt", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let d = &table(&dir.path().join("results/documents.csv"))[0];
    assert_eq!((d["layout"].as_str(), d["paragraphs"].as_str(), d["sentences"].as_str()), ("wrapped", "2", "3"));
    let s = table(&dir.path().join("results/sentences.csv"));
    assert_eq!(
        s[0]["text"],
        "It is a truth universally acknowledged, that a single man in possession\nof a good fortune, must be in want of a wife."
    );
    assert_eq!(s[2]["text"], "Mr. Bennet\nreplied that he had not.");
    assert_eq!(s[2]["paragraph_id"], "2");
    // Forcing one paragraph a line gives five paragraphs instead.
    let out = run(&["analyze", "austen.txt", "--lines", "paragraphs", "--out", "lines"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(table(&dir.path().join("lines/documents.csv"))[0]["paragraphs"], "5");
}

#[test]
fn legacy_and_utf16_encodings_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    // Windows-1252: curly apostrophe 0x92, é 0xE9.
    fs::write(dir.path().join("latin.txt"), b"Kathy\x92s caf\xe9 memories, the na\xefve carers and the d\xe9j\xe0 vu.")
        .unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("Ruth’s café.".encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(dir.path().join("wide.txt"), utf16).unwrap();
    let out = run(&["analyze", ".", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("latin.txt: not valid UTF-8; decoded as windows-1252"), "{}", stderr(&out));
    let docs = table(&dir.path().join("results/documents.csv"));
    assert_eq!(docs[0]["encoding"], "windows-1252");
    assert_eq!(docs[1]["encoding"], "UTF-16LE");
    let sentences = table(&dir.path().join("results/sentences.csv"));
    assert_eq!(sentences[0]["text"], "Kathy’s café memories, the naïve carers and the déjà vu.");
    assert_eq!(sentences[1]["text"], "Ruth’s café.");
    // --encoding forces a decoder: as Latin-1 (which WHATWG maps to windows-1252) nothing is guessed.
    let out = run(&["analyze", "latin.txt", "--encoding", "latin1", "--out", "forced"], dir.path());
    assert!(out.status.success() && !stderr(&out).contains("warning"), "{}", stderr(&out));
}

#[test]
fn binary_files_are_skipped_and_the_rest_analysed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("cover.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fs::copy(sample_path(), dir.path().join("review.txt")).unwrap();
    let out = run(&["analyze", ".", "--out", "results"], dir.path());
    assert_eq!(out.status.code(), Some(1), "skipping an input must show in the exit code");
    assert!(stderr(&out).contains("cover.txt: binary file"), "{}", stderr(&out));
    let docs = table(&dir.path().join("results/documents.csv"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["document"], "review");
}

#[test]
fn empty_file_gets_a_row_of_zeros_and_a_note() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    fs::write(dir.path().join("blank.txt"), " \n\t\n").unwrap();
    let out = run(&["analyze", ".", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("empty.txt: no words found"), "{}", stderr(&out));
    for d in table(&dir.path().join("results/documents.csv")) {
        assert_eq!((d["sentences"].as_str(), d["tokens"].as_str(), d["type_token_ratio"].as_str()), ("0", "0", ""));
    }
    assert!(table(&dir.path().join("results/vocabulary.csv")).is_empty());
}

#[test]
fn missing_path_and_empty_folder_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["analyze", "no-such-review.txt"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no-such-review.txt: no such file or folder"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
    fs::create_dir(dir.path().join("empty")).unwrap();
    let out = run(&["analyze", "empty"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no files ending in .txt, .md found (use --ext"), "{}", stderr(&out));
    assert!(!dir.path().join("output").exists(), "nothing is written when nothing was read");
}

#[test]
fn unwritable_output_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("taken"), "a file, not a folder").unwrap();
    let out = run(&["analyze", sample_path().to_str().unwrap(), "--out", "taken"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("taken: cannot write results here"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(dir.path().join("taken")).unwrap(), "a file, not a folder");
}

#[test]
fn a_failed_run_leaves_the_previous_tables_untouched() {
    let dir = analyze_sample(&[]);
    let before = fs::read(dir.path().join("results/vocabulary.csv")).unwrap();
    fs::write(dir.path().join("cover.txt"), b"\0\0binary").unwrap();
    let out = run(&["analyze", "cover.txt", "--out", "results"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(dir.path().join("results/vocabulary.csv")).unwrap(), before);
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("results"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn two_runs_into_one_folder_cannot_mix_their_tables_and_a_killed_runs_leftovers_go() {
    let dir = analyze_sample(&[]);
    let results = dir.path().join("results");
    let before = fs::read(results.join("vocabulary.csv")).unwrap();
    // Another run is writing there: it holds the folder's lock.
    let lock = fs::File::create(results.join(".marginalia.lock")).unwrap();
    lock.lock().unwrap();
    let sample = sample_path();
    let out = run(&["analyze", sample.to_str().unwrap(), "--ngrams", "3", "--out", "results"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("another marginalia run is writing to this folder"), "{stderr}");
    assert_eq!(fs::read(results.join("vocabulary.csv")).unwrap(), before);
    // It was killed: its lock is gone with it, its temporary files are not.
    drop(lock);
    fs::write(results.join(".marginalia-k1LL3d.tmp"), "half a table").unwrap();
    fs::create_dir(results.join(".marginalia-charts-k1LL3d")).unwrap();
    let out = run(&["analyze", sample.to_str().unwrap(), "--out", "results"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let hidden: Vec<String> = fs::read_dir(&results)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "left in the output folder: {hidden:?}");
}

#[test]
fn bad_option_values_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    for (flag, value, says) in
        [("--lang", "klingon", "unknown language 'klingon'"), ("--encoding", "ebcdic-9", "unknown encoding 'ebcdic-9'")]
    {
        let out = run(&["analyze", sample.to_str().unwrap(), flag, value], dir.path());
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}

#[test]
fn help_explains_every_option_with_an_example() {
    let out = run(&["analyze", "--help"], Path::new("."));
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in ["--out", "--ext", "--encoding", "--lines", "--lang", "--stopwords"] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    assert!(help.matches("Example:").count() >= 6, "{help}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts");
    fs::create_dir(&texts).unwrap();
    fs::write(texts.join("review.txt"), "A review.").unwrap();
    std::os::unix::fs::symlink(&texts, texts.join("again")).unwrap();
    let out = run(&["analyze", "texts", "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(table(&dir.path().join("results/documents.csv")).len(), 1);
}

#[test]
fn paths_with_spaces_and_accents_work() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("critiques récentes");
    fs::create_dir(&folder).unwrap();
    fs::copy(sample_path(), folder.join("Ne me quitte pas – revue.txt")).unwrap();
    let out = run(&["analyze", "critiques récentes", "--out", "résultats 1"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let d = &table(&dir.path().join("résultats 1/documents.csv"))[0];
    assert_eq!((d["document"].as_str(), d["tokens"].as_str()), ("Ne me quitte pas – revue", "901"));
}
