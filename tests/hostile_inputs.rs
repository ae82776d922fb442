//! Hostile input, second round (issue 26): text that is almost UTF-8, UTF-32 and UTF-16 without a BOM, inputs that
//! never end, and an output folder inside the input folder. Each test runs the binary with a time limit and watches
//! its peak memory (the bound is given beside each), and checks: no panic, every message on stderr is one line
//! starting `marginalia:` and names the input, the documented exit code.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, bounded, sample, table};

/// The figures `documents.csv` gives a text, and its quotations, from a run over `file` in `dir` (`extra` added).
fn figures(dir: &Path, file: &str, extra: &[&str]) -> (String, String, String, Vec<String>) {
    let out = format!("out-{file}");
    let mut args = vec!["analyze", file, "--out", &out, "--charts", "none"];
    args.extend_from_slice(extra);
    let run = bounded(&args, dir, 20, 300);
    assert_eq!(run.code(), Some(0), "{file}: {}", run.stderr());
    let doc = table(&dir.join(&out).join("documents.csv")).remove(0);
    let quotes = table(&dir.join(&out).join("quotes.csv")).into_iter().map(|q| q["text"].clone()).collect();
    (doc["sentences"].clone(), doc["tokens"].clone(), doc["encoding"].clone(), quotes)
}

/// 1-based line and column (in characters) just after `before`.
fn place(before: &str) -> (usize, usize) {
    let line = before.matches('\n').count() + 1;
    (line, before.rsplit('\n').next().unwrap().chars().count() + 1)
}

#[test]
fn utf8_with_a_few_bad_bytes_is_read_as_utf8_with_a_warning_saying_where() {
    // A file cut in the middle of its last character was read whole as a legacy encoding (IBM866, windows-1250:
    // quotations 6 → 0), and one stray Latin-1 byte in a UTF-8 review turned every curly quote into mojibake.
    let dir = tempfile::tempdir().unwrap();
    let clean = format!("{}\n“Déjà vu,” said Tommy, “déjà”", sample().trim_end());
    fs::write(dir.path().join("clean.txt"), &clean).unwrap();
    // Cut: the last ” (three bytes) loses its last byte. Against it, the same text without that ”.
    let cut = &clean.as_bytes()[..clean.len() - 1];
    fs::write(dir.path().join("cut.txt"), cut).unwrap();
    let shorter = clean.strip_suffix('”').unwrap();
    fs::write(dir.path().join("shorter.txt"), shorter).unwrap();
    let run = bounded(&["analyze", "cut.txt", "--out", "cut", "--charts", "none"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let (line, column) = place(shorter);
    let expected = format!(
        "cut.txt: not valid UTF-8; decoded as UTF-8 with U+FFFD for 1 invalid byte sequence (2 bytes), the first at \
         line {line}, column {column}"
    );
    assert!(run.stderr().contains(&expected), "{expected}\n{}", run.stderr());
    let (cut_figures, shorter_figures) = (figures(dir.path(), "cut.txt", &[]), figures(dir.path(), "shorter.txt", &[]));
    assert_eq!(cut_figures.2, "UTF-8");
    assert_eq!((&cut_figures.0, &cut_figures.1), (&shorter_figures.0, &shorter_figures.1));
    assert_eq!(cut_figures.3.len(), shorter_figures.3.len(), "{:?}", cut_figures.3);
    assert!(cut_figures.3.iter().any(|q| q == "Déjà vu,"), "{:?}", cut_figures.3);

    // One Latin-1 byte (é) in the middle: every curly quote still read as one, and the place of the byte given.
    let middle = (clean.len() / 2..clean.len()).find(|&i| clean.as_bytes()[i] == b' ').unwrap();
    let mut stray = clean.as_bytes().to_vec();
    stray.splice(middle..middle, *b" caf\xe9");
    fs::write(dir.path().join("stray.txt"), &stray).unwrap();
    let run = bounded(&["analyze", "stray.txt", "--out", "stray", "--charts", "none"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let (line, column) = place(&format!("{} caf", &clean[..middle]));
    let expected = format!("1 invalid byte sequence (1 byte), the first at line {line}, column {column}");
    assert!(run.stderr().contains(&expected), "{expected}\n{}", run.stderr());
    let (stray_figures, clean_figures) = (figures(dir.path(), "stray.txt", &[]), figures(dir.path(), "clean.txt", &[]));
    assert_eq!(stray_figures.2, "UTF-8");
    assert_eq!(stray_figures.3, clean_figures.3, "the quotations are those of the clean text");
}

#[test]
fn a_windows_1252_or_latin1_review_is_still_read_as_such() {
    // The review saved as windows-1252 (curly quotes 0x93/0x94, apostrophes 0x92, dashes 0x97) and a Latin-1
    // note with accents only: neither is near-UTF-8, both are decoded with a warning naming the encoding.
    let dir = tempfile::tempdir().unwrap();
    let text = sample();
    let (legacy, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    fs::write(dir.path().join("utf8.txt"), &text).unwrap();
    fs::write(dir.path().join("cp1252.txt"), &legacy).unwrap();
    fs::write(dir.path().join("latin1.txt"), b"Un caf\xe9 cr\xe8me, dit-elle \xe0 la serveuse na\xefve.").unwrap();
    let run = bounded(&["analyze", "cp1252.txt", "latin1.txt", "--out", "results"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    for file in ["cp1252.txt", "latin1.txt"] {
        assert!(
            run.stderr().contains(&format!("{file}: not valid UTF-8; decoded as windows-1252")),
            "{}",
            run.stderr()
        );
    }
    let (cp1252, utf8) = (figures(dir.path(), "cp1252.txt", &[]), figures(dir.path(), "utf8.txt", &[]));
    assert_eq!(cp1252.2, "windows-1252");
    assert_eq!((cp1252.0, cp1252.1, cp1252.3), (utf8.0, utf8.1, utf8.3));
}

#[test]
fn utf32_with_a_bom_is_decoded_not_read_as_utf16() {
    // UTF-32LE's BOM starts with UTF-16LE's: it was read as UTF-16 with a NUL between letters, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let text = "Kathy’s “told and not told” childhood. Déjà vu 🌊 at Hailsham.\n";
    let mut le = vec![0xFF, 0xFE, 0, 0];
    le.extend(text.chars().flat_map(|c| u32::from(c).to_le_bytes()));
    let mut be = vec![0, 0, 0xFE, 0xFF];
    be.extend(text.chars().flat_map(|c| u32::from(c).to_be_bytes()));
    fs::write(dir.path().join("le.txt"), le).unwrap();
    fs::write(dir.path().join("be.txt"), be).unwrap();
    fs::write(dir.path().join("utf8.txt"), text).unwrap();
    let utf8 = figures(dir.path(), "utf8.txt", &[]);
    for (file, encoding) in [("le.txt", "UTF-32LE"), ("be.txt", "UTF-32BE")] {
        let (sentences, tokens, found, quotes) = figures(dir.path(), file, &[]);
        assert_eq!(found, encoding);
        assert_eq!((&sentences, &tokens, &quotes), (&utf8.0, &utf8.1, &utf8.3), "{file}");
        let first = &table(&dir.path().join(format!("out-{file}/sentences.csv")))[0];
        assert_eq!(first["text"], "Kathy’s “told and not told” childhood.");
    }
    // A table is read as it streams, in UTF-8 or UTF-16: in UTF-32 it is refused by name.
    let mut table32 = vec![0xFF, 0xFE, 0, 0];
    table32.extend("id,text\n1,It stays with you.\n".chars().flat_map(|c| u32::from(c).to_le_bytes()));
    fs::write(dir.path().join("reviews.csv"), table32).unwrap();
    let run = bounded(&["analyze", "reviews.csv", "--out", "table"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("skipped: reviews.csv: the table is UTF-32LE (its BOM says so)"), "{}", run.stderr());
}

#[test]
fn utf16_without_a_bom_gets_a_hint_naming_its_byte_order() {
    // The hint named utf-16le whatever the byte order, so a UTF-16BE file was sent the wrong way.
    let dir = tempfile::tempdir().unwrap();
    let text = "Kathy’s “told and not told” childhood at Hailsham.\n";
    fs::write(dir.path().join("be.txt"), text.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<_>>()).unwrap();
    fs::write(dir.path().join("le.txt"), text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()).unwrap();
    fs::write(dir.path().join("utf8.txt"), text).unwrap();
    let run = bounded(&["analyze", "be.txt", "le.txt", "--out", "results"], dir.path(), 20, 300);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let said = |file: &str| run.stderr().lines().find(|l| l.contains(file)).unwrap_or_default().to_string();
    assert!(
        said("be.txt").contains("--encoding utf-16be") && !said("be.txt").contains("utf-16le"),
        "{}",
        said("be.txt")
    );
    assert!(
        said("le.txt").contains("--encoding utf-16le") && !said("le.txt").contains("utf-16be"),
        "{}",
        said("le.txt")
    );
    // And the hint is right: with it, the same figures as UTF-8.
    let utf8 = figures(dir.path(), "utf8.txt", &[]);
    let be = figures(dir.path(), "be.txt", &["--encoding", "utf-16be"]);
    assert_eq!((be.0, be.1, be.3), (utf8.0, utf8.1, utf8.3));
}

#[test]
fn dev_zero_named_directly_is_refused_at_once() {
    // /dev/zero was read until memory ran out (4.1 GB). Its NUL bytes make it binary from the first block; with
    // --encoding utf-16le NULs are text (U+0000), and the document limit stops the read (lowered here to 1 MB by
    // the hidden --max-document-bytes, so the test does not need 4 GiB). Bound: 20 s, 100 MB each.
    let dir = tempfile::tempdir().unwrap();
    let run = bounded(&["analyze", "/dev/zero", "--out", "results"], dir.path(), 20, 100);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("/dev/zero: binary file (contains NUL bytes)"), "{}", run.stderr());
    let args =
        ["analyze", "/dev/zero", "--encoding", "utf-16le", "--max-document-bytes", "1000000", "--out", "results"];
    let run = bounded(&args, dir.path(), 20, 100);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let expected = "/dev/zero: reading stopped after 2000000 bytes, more than a document can hold (1000000 bytes of \
                    text): split it into several files";
    assert!(run.stderr().contains(expected), "{}", run.stderr());
}

/// Writes lines of text to `pipe` (a FIFO) until its reader goes away or `most` bytes are written; returns how
/// many bytes were written.
fn feed(pipe: PathBuf, most: usize) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let Ok(mut writer) = fs::OpenOptions::new().write(true).open(pipe) else { return 0 };
        let line = format!("{}\n", sample().lines().next().unwrap_or("It stays with you."));
        let mut written = 0;
        while written < most && writer.write_all(line.as_bytes()).is_ok() {
            written += line.len();
        }
        written
    })
}

#[cfg(unix)]
#[test]
fn a_pipe_named_directly_stops_at_the_document_limit() {
    // A pipe named on the command line was read to its end, however far. The limit is enforced as the bytes
    // arrive (lowered to 1 MB here; 4 GiB in use): the writer, offering 64 MB, is cut off. Bound: 30 s, 100 MB.
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("endless.txt");
    assert!(Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let writer = feed(pipe.clone(), 64 << 20);
    let args = ["analyze", "endless.txt", "--max-document-bytes", "1000000", "--out", "results", "--charts", "none"];
    let run = bounded(&args, dir.path(), 30, 100);
    // A writer still waiting for a reader (if the run never opened the pipe) is let go: on Linux, opening a FIFO
    // to read and write does not wait, and closing it leaves the writer with no reader.
    drop(fs::OpenOptions::new().read(true).write(true).open(&pipe));
    let written = writer.join().unwrap();
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let expected = "endless.txt: reading stopped after 1000000 bytes, more than a document can hold (1000000 bytes \
                    of text): split it into several files";
    assert!(run.stderr().contains(expected), "{}", run.stderr());
    assert!(written < 64 << 20, "the pipe was read to its end");
}

#[test]
fn standard_input_stops_at_the_document_limit() {
    // Standard input was read to its end too. A writer offering 64 MB is cut off at the (lowered) limit; the run's
    // peak memory is watched as `bounded` does. Bound: 30 s, 100 MB.
    let dir = tempfile::tempdir().unwrap();
    let args = ["analyze", "-", "--max-document-bytes", "1000000", "--out", "results", "--charts", "none"];
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = "It stays with you, the told and not told.\n";
        let mut written = 0;
        while written < 64 << 20 && stdin.write_all(line.as_bytes()).is_ok() {
            written += line.len();
        }
        written
    });
    let (start, mut peak_kb) = (Instant::now(), 0u64);
    while child.try_wait().unwrap().is_none() {
        if let Ok(s) = fs::read_to_string(format!("/proc/{}/status", child.id())) {
            let hwm = s.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().split(' ').next());
            peak_kb = peak_kb.max(hwm.and_then(|v| v.parse().ok()).unwrap_or(0));
        }
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("standard input took longer than 30 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && err.lines().all(|l| l.starts_with("marginalia: ")), "{err}");
    assert!(peak_kb / 1024 <= 100, "held {} MB", peak_kb / 1024);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("-: reading stopped after 1000000 bytes, more than a document can hold"), "{err}");
    assert!(written < 64 << 20, "standard input was read to its end");
}

#[test]
fn the_output_folder_inside_the_input_folder_is_not_read_as_input() {
    // `analyze . --ext txt,csv --out results` a second time read the first run's tables as reviews (every
    // sentence of sentences.csv a document). The run's own --out is passed over, with a note once it holds files
    // that would have been read. Bound: 20 s, 300 MB each.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("review.txt"), sample()).unwrap();
    fs::write(dir.path().join("reviews.csv"), "id,text\na,It stays with you.\nb,A quiet and sad book.\n").unwrap();
    let args = ["analyze", ".", "--ext", "txt,csv", "--out", "results", "--charts", "none"];
    let documents = |run: &common::Run| -> Vec<HashMap<String, String>> {
        assert_eq!(run.code(), Some(0), "{}", run.stderr());
        table(&dir.path().join("results/documents.csv"))
    };
    let first = bounded(&args, dir.path(), 20, 300);
    assert!(!first.stderr().contains("--out"), "{}", first.stderr());
    let first = documents(&first);
    assert_eq!(first.len(), 3);
    let second = bounded(&args, dir.path(), 20, 300);
    let note = "note: ./results: not read: it is this run's output folder (--out)";
    assert_eq!(second.stderr().matches(note).count(), 1, "{}", second.stderr());
    assert_eq!(documents(&second), first);
    // Also when the output folder is deeper down, and named another way (the first one gone, as it is no longer
    // this run's output).
    fs::remove_dir_all(dir.path().join("results")).unwrap();
    let args = ["analyze", ".", "--ext", "txt,csv", "--out", "./runs/../runs/latest", "--charts", "none"];
    bounded(&args, dir.path(), 20, 300);
    let run = bounded(&args, dir.path(), 20, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    assert!(run.stderr().contains("note: ./runs/latest: not read: it is this run's output folder"), "{}", run.stderr());
    assert_eq!(table(&dir.path().join("runs/latest/documents.csv")).len(), 3);
}
