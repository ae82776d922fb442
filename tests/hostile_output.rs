//! Hostile conditions around the output folder (issue 26): something in the way of a table or of `charts/` as a run
//! publishes, document ids that make odd chart folders, a chart that cannot be written, Ctrl-C and SIGTERM, and
//! thousands of notes. Each test runs the binary with a time limit (and, through `bounded`, watches its peak
//! memory; the bound is given beside each) and checks: no panic, every message one line starting `marginalia:`,
//! the documented exit code, and an output folder that never mixes two runs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, bounded, nothing_written, sample, sample_path, table, tree};

/// Runs the sample review into `dir/results` (`extra` added) and returns every file there with its bytes: the
/// earlier run a later one must not mix with.
fn earlier_results(dir: &Path, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    fs::copy(sample_path(), dir.join("review.txt")).unwrap();
    fs::copy(sample_path(), dir.join("second.txt")).unwrap();
    let mut args = vec!["analyze", "review.txt", "second.txt", "--out", "results"];
    args.extend_from_slice(extra);
    let run = bounded(&args, dir, 30, 400);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    tree(&dir.join("results"))
}

/// The files under `dir` whose name starts with a dot (hidden files, the lock), anywhere.
fn hidden(dir: &Path) -> Vec<String> {
    tree(dir).into_keys().filter(|name| name.split('/').any(|part| part.starts_with('.'))).collect()
}

/// The hidden names in `dir` as a run writes there (files come and go: nothing is read).
fn hidden_now(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let names = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned());
    names.filter(|name| name.starts_with('.')).collect()
}

#[test]
fn something_in_the_way_of_a_table_or_the_charts_replaces_nothing() {
    // A folder where similarity.csv (the last table) goes; a file where charts/ (moved last) goes.
    for (name, in_the_way, says) in [
        ("similarity.csv", true, "a folder is where this file goes"),
        ("documents.csv", true, "a folder is where this file goes"),
        ("charts", false, "a file is where this folder goes"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        earlier_results(dir.path(), &[]);
        let results = dir.path().join("results");
        let path = results.join(name);
        if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) }.unwrap();
        if in_the_way {
            fs::create_dir(&path).unwrap();
            fs::write(path.join("mine.txt"), "the user's").unwrap();
        } else {
            fs::write(&path, "the user's").unwrap();
        }
        let expected = tree(&results);
        // Another run, with other tables: had it replaced any, they would differ.
        let run = bounded(&["analyze", "review.txt", "--out", "results", "--ngrams", "4"], dir.path(), 30, 400);
        assert_eq!(run.code(), Some(2), "{name}: {}", run.stderr());
        let err = run.stderr();
        assert!(err.contains(&format!("results/{name}: cannot write results here: {says}")), "{err}");
        assert!(err.contains("nothing was replaced, the earlier results are as they were"), "{err}");
        assert_eq!(tree(&results), expected, "{name}: the folder changed");
        assert!(hidden(&results).is_empty(), "{name}: left behind: {:?}", hidden(&results));
    }
}

#[test]
fn a_shard_or_a_merge_with_something_in_the_way_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(sample_path(), dir.path().join("review.txt")).unwrap();
    fs::copy(sample_path(), dir.path().join("second.txt")).unwrap();
    for k in ["1", "2"] {
        let out = format!("shard{k}");
        let run = bounded(&["analyze", ".", "--shard", &format!("{k}/2"), "--out", &out], dir.path(), 30, 400);
        assert_eq!(run.code(), Some(0), "{}", run.stderr());
    }
    // A merge whose last table cannot be put in place.
    let run = bounded(&["analyze", "review.txt", "--out", "merged"], dir.path(), 30, 400);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let merged = dir.path().join("merged");
    fs::remove_file(merged.join("keyness.csv")).unwrap();
    fs::create_dir(merged.join("keyness.csv")).unwrap();
    let before = tree(&merged);
    let run = bounded(&["merge", "shard1", "shard2", "--out", "merged"], dir.path(), 30, 400);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("keyness.csv: cannot write results here: a folder is where"), "{}", run.stderr());
    assert_eq!(tree(&merged), before);
    // A shard whose charts/ is a file: its tables and its state (which vouches for them) stay as they were.
    let shard = dir.path().join("shard1");
    fs::remove_dir_all(shard.join("charts")).unwrap();
    fs::write(shard.join("charts"), "the user's").unwrap();
    let before = tree(&shard);
    let run = bounded(&["analyze", ".", "--shard", "1/2", "--out", "shard1", "--ngrams", "4"], dir.path(), 30, 400);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("a file is where this folder goes"), "{}", run.stderr());
    assert_eq!(tree(&shard), before);
}

/// A CSV of reviews, one a row, with the ids given.
fn reviews_with_ids(dir: &Path, ids: &[&str]) {
    let review = sample().replace('"', "\"\"");
    let rows: Vec<String> = ids.iter().map(|id| format!("\"{id}\",\"{review}\"")).collect();
    fs::write(dir.join("reviews.csv"), format!("id,text\n{}\n", rows.join("\n"))).unwrap();
}

#[test]
fn odd_document_ids_get_chart_folders_of_their_own_and_cost_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let cjk = "記憶".repeat(45); // 90 characters, 270 bytes: more than a file name may hold
    let ids = [cjk.as_str(), "x", "x/themes.png", "x/Quotes.SVG/y", "corpus/themes_by_document.png"];
    reviews_with_ids(dir.path(), &ids);
    let args = ["analyze", "reviews.csv", "--id-column", "id", "--out", "results", "--charts", "both"];
    let run = bounded(&args, dir.path(), 60, 500);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let results = dir.path().join("results");
    let documents: Vec<String> =
        table(&results.join("documents.csv")).into_iter().map(|d| d["document"].clone()).collect();
    assert_eq!(documents, ids);
    let charts = results.join("charts");
    // Cut to 200 bytes on a character's boundary: 66 characters of three bytes.
    assert!(charts.join("記憶".repeat(33)).join("themes.png").is_file());
    // No folder is where a chart goes: x's and the corpus's charts are files, the others' folders lie beside.
    for chart in ["x/themes.png", "x/quotes.svg", "corpus/themes_by_document.png"] {
        assert!(charts.join(chart).is_file(), "{chart}");
    }
    for folder in ["x/themes.png-2", "x/Quotes.SVG-2/y", "corpus/themes_by_document.png-2"] {
        assert!(charts.join(folder).join("tone.svg").is_file(), "{folder}");
    }
    assert!(hidden(&results).is_empty());
}

#[test]
fn a_chart_that_cannot_be_written_is_a_warning_naming_its_document() {
    let dir = tempfile::tempdir().unwrap();
    // An output folder so deep that a chart under a 200-byte folder name would pass the 4,096 bytes a path may
    // hold, though its tables and a short id's charts fit.
    let mut out = vec!["d".repeat(200); 19].join("/");
    out.push('/');
    out.push_str(&"e".repeat(3950 - out.len()));
    let long = "l".repeat(200);
    reviews_with_ids(dir.path(), &["short", &long]);
    let run = bounded(&["analyze", "reviews.csv", "--id-column", "id", "--out", &out], dir.path(), 60, 500);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let err = run.stderr();
    let results = dir.path().join(&out);
    let documents = table(&results.join("documents.csv"));
    assert_eq!(documents.len(), 2);
    let warning = err.lines().find(|l| l.contains("charts not drawn")).unwrap_or_else(|| panic!("no warning: {err}"));
    let named = format!("marginalia: warning: {}: charts not drawn (", documents[1]["path"]);
    assert!(warning.starts_with(&named), "{warning}");
    assert!(warning.contains("File name too long") && warning.contains("rows are in every table"), "{warning}");
    assert!(!err.contains("choose another folder"), "{err}");
    assert!(results.join("charts/short/themes.png").is_file());
    assert!(results.join("charts/corpus/themes_by_document.png").is_file());
    assert!(hidden(&results).is_empty());
}

#[test]
fn notes_past_the_hundredth_are_counted_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    for i in 0..150 {
        fs::write(dir.path().join(format!("empty/{i:03}.txt")), "").unwrap();
    }
    let args = ["analyze", "empty", "--out", "results", "--charts", "none"];
    let run = bounded(&args, dir.path(), 60, 300);
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    let err = run.stderr();
    assert_eq!(err.lines().filter(|l| l.contains("no words found")).count(), 100, "{err}");
    // 50 more files without words, and the note that similarity.csv compares only the first 100 documents.
    assert!(err.contains("marginalia: note: 51 more notes were not shown (--all-warnings shows every one)"), "{err}");
    let run = bounded(&[&args[..], &["--all-warnings"]].concat(), dir.path(), 60, 300);
    assert_eq!(run.stderr().lines().filter(|l| l.contains("no words found")).count(), 150);
    assert!(!run.stderr().contains("more notes"));
}

/// Starts `analyze` on `inputs` into `dir/results`, and once it holds the folder and has begun writing, sends it
/// `signals` (`-INT`, `-TERM`), `gap` apart. Returns how it exited, what it said, and how long it took to exit
/// after the first signal.
fn interrupted(dir: &Path, inputs: &[&str], signals: &[&str], gap: Duration) -> (ExitStatus, String, Duration) {
    let mut args = vec!["analyze"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--out", "results", "--threads", "2"]);
    let stderr = fs::File::create(dir.join(".stderr")).unwrap();
    let mut child = Command::new(BIN).args(&args).current_dir(dir).stdin(Stdio::null()).stderr(stderr).spawn().unwrap();
    let results = dir.join("results");
    let started = Instant::now();
    let writing = |names: Vec<String>| {
        names.iter().any(|n| n == ".marginalia.lock") && names.iter().any(|n| n.starts_with(".marginalia-"))
    };
    while !writing(hidden_now(&results)) {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be interrupted");
        assert!(started.elapsed() < Duration::from_secs(60), "the run never began writing");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let signalled = Instant::now();
    for signal in signals {
        let kill = Command::new("kill").args([*signal, &child.id().to_string()]).status().unwrap();
        assert!(kill.success());
        std::thread::sleep(gap);
    }
    let status = wait(&mut child, Duration::from_secs(30));
    let took = signalled.elapsed();
    (status, fs::read_to_string(dir.join(".stderr")).unwrap(), took)
}

fn wait(child: &mut Child, limit: Duration) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("the run did not exit within {limit:?} of being interrupted");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn ctrl_c_or_sigterm_leaves_the_earlier_results_and_nothing_hidden() {
    for signal in ["-INT", "-TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let before = earlier_results(dir.path(), &[]);
        // 400 reviews: a minute's work in a debug build, interrupted between documents.
        fs::create_dir(dir.path().join("many")).unwrap();
        for i in 0..400 {
            fs::copy(sample_path(), dir.path().join(format!("many/{i:03}.txt"))).unwrap();
        }
        let (status, err, took) = interrupted(dir.path(), &["many"], &[signal], Duration::ZERO);
        assert_eq!(status.code(), Some(130), "{signal}: {err}");
        assert!(err.lines().all(|l| l.starts_with("marginalia: ")) && !err.contains("panicked"), "{err}");
        assert!(err.contains("marginalia: error: interrupted: nothing of this run was kept; any earlier results in results are as they were"), "{err}");
        assert!(took < Duration::from_secs(10), "{signal}: took {took:?} to stop");
        assert_eq!(tree(&dir.path().join("results")), before, "{signal}: the earlier results changed");
    }
}

#[test]
fn ctrl_c_in_a_long_document_still_ends_the_run_soon_and_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let before = earlier_results(dir.path(), &[]);
    // One document of 20 MB: tens of seconds of analysis in a debug build, in steps longer than the run waits.
    let review = sample();
    fs::write(dir.path().join("novel.txt"), review.repeat(20_000_000 / review.len())).unwrap();
    let (status, err, took) = interrupted(dir.path(), &["novel.txt"], &["-INT"], Duration::ZERO);
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?} to stop");
    assert_eq!(tree(&dir.path().join("results")), before);
    // A second Ctrl-C does not wait at all.
    let (status, err, took) = interrupted(dir.path(), &["novel.txt"], &["-INT", "-INT"], Duration::from_millis(50));
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(err.matches("interrupted").count(), 1, "{err}");
    assert!(took < Duration::from_secs(2), "took {took:?} to stop on a second Ctrl-C");
    assert_eq!(tree(&dir.path().join("results")), before);
}

#[test]
fn ctrl_c_takes_away_the_output_folder_the_run_created() {
    let dir = tempfile::tempdir().unwrap();
    let review = sample();
    fs::write(dir.path().join("novel.txt"), review.repeat(20_000_000 / review.len())).unwrap();
    let mut child = Command::new(BIN)
        .args(["analyze", "novel.txt", "--out", "new/results"])
        .current_dir(dir.path())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !dir.path().join("new/results/.marginalia.lock").exists() {
        assert!(started.elapsed() < Duration::from_secs(60) && child.try_wait().unwrap().is_none());
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    assert_eq!(wait(&mut child, Duration::from_secs(30)).code(), Some(130));
    assert!(nothing_written(&dir.path().join("new")), "the folders the run made are still there");
    assert!(!dir.path().join("new").exists());
}
