//! Hostile input to the quotation analysis (issue 26, second round): time linear in a sentence's quotations however
//! long the sentence, quotation marks set against CJK text without spaces, and zero-width format characters (a BOM
//! left in mid-text by concatenated files) beside a mark. Each runs `marginalia quotes` with a time limit and a
//! memory bound (`bounded`), and reads back the table it prints.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{bounded, table};

type Row = HashMap<String, String>;

/// Runs `marginalia quotes FILE` on `text` in `dir`, within `seconds` and `max_mb`: its standard error and how long
/// it took. The table it printed is left in `dir/.stdout`.
fn run_quotes(dir: &Path, text: &str, seconds: u64, max_mb: u64) -> (String, Duration) {
    fs::write(dir.join("text.txt"), text).unwrap();
    let start = Instant::now();
    let run = bounded(&["quotes", "text.txt"], dir, seconds, max_mb);
    let took = start.elapsed();
    assert_eq!(run.code(), Some(0), "{}", run.stderr());
    (run.stderr(), took)
}

/// As [`run_quotes`], with the rows it printed.
fn quotes_of(dir: &Path, text: &str, seconds: u64, max_mb: u64) -> (Vec<Row>, String, Duration) {
    let (stderr, took) = run_quotes(dir, text, seconds, max_mb);
    (table(&dir.join(".stdout")), stderr, took)
}

/// How many rows `run_quotes` printed, counted without holding them.
fn rows_printed(dir: &Path) -> usize {
    let mut reader = csv::Reader::from_path(dir.join(".stdout")).unwrap();
    let mut rows = 0;
    for record in reader.records() {
        record.unwrap();
        rows += 1;
    }
    rows
}

/// `unit` repeated to `bytes` bytes, with no sentence end anywhere: one paragraph, one sentence.
fn one_sentence(head: &str, unit: &str, bytes: usize) -> String {
    head.to_string() + &unit.repeat(bytes / unit.len())
}

/// Checks that doubling a sentence of quotations at most about doubles the time: each size takes at most three
/// times the one half its size (the faster of two runs of each), plus half a second for the start-up and the
/// noise of a busy machine. Quadratic
/// work takes four times as long at each doubling (and the largest size alone took minutes).
fn assert_linear(head: &str, unit: &str, check: impl Fn(&[Row])) {
    let dir = tempfile::tempdir().unwrap();
    let mut previous: Option<Duration> = None;
    let mut times = Vec::new();
    for kb in [120, 240, 480] {
        let text = one_sentence(head, unit, kb << 10);
        let (rows, _, first) = quotes_of(dir.path(), &text, 60, 400);
        assert_eq!(rows.len(), (kb << 10) / unit.len(), "{kb} KB");
        check(&rows);
        // The faster of two runs, so that a moment of load on the machine is not taken for the work growing.
        let took = first.min(run_quotes(dir.path(), &text, 60, 400).1);
        times.push((kb, took));
        if let Some(before) = previous {
            assert!(took <= before * 3 + Duration::from_millis(500), "not linear: {times:?}");
        }
        previous = Some(took);
    }
}

#[test]
fn quotations_in_one_long_sentence_without_a_speech_verb_take_linear_time() {
    assert_linear("", "he saw “a b” and ", |rows| {
        assert!(rows.iter().all(|r| r["speaker"].is_empty() && r["kind"] == "term"));
    });
}

#[test]
fn quotations_in_one_long_sentence_after_its_speech_verb_take_linear_time_and_keep_it() {
    // The nearest active speech verb earlier in the sentence attributes every quotation, however far back it is.
    assert_linear("As one guardian says, ", "they are “cared for” or ", |rows| {
        assert!(rows.iter().all(|r| r["speaker"] == "one guardian" && r["speech_verb"] == "says"));
        assert!(rows.iter().all(|r| r["kind"] == "dialogue"));
    });
}

#[test]
fn six_megabytes_of_alternating_marks_finish_in_seconds() {
    // 1.5 million quotations in one sentence (before, it did not finish in 600 s). Most of the time goes to writing
    // their rows, 430 MB with their contexts, in the unoptimised build the tests run: 35 s there, 4 s in release.
    let dir = tempfile::tempdir().unwrap();
    let text = one_sentence("", "“a” ", 6 << 20);
    let (stderr, _) = run_quotes(dir.path(), &text, 150, 400);
    assert_eq!(rows_printed(dir.path()), text.len() / "“a” ".len(), "{stderr}");
    assert!(!stderr.contains("never closed"), "{stderr}");
}

#[test]
fn a_quarter_megabyte_of_every_kind_of_alternating_marks_finishes_in_seconds() {
    // 250 KB of quotations took a minute before; each kind of mark pairs as it should.
    let dir = tempfile::tempdir().unwrap();
    for (unit, quotations) in [("“a”‘b’", 2), ("\"a\" 'b' ", 2), ("«a»„b“", 2), ("「a」『b』", 2), ("‹a› ›b‹ ", 2)]
    {
        let text = one_sentence("", unit, 1 << 18);
        let (stderr, _) = run_quotes(dir.path(), &text, 30, 300);
        assert_eq!(rows_printed(dir.path()), text.len() / unit.len() * quotations, "{unit}: {stderr}");
        assert!(!stderr.contains("never closed"), "{unit}: {stderr}");
    }
}

/// The phrases of the rows, in order.
fn phrases(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r["phrase"].as_str()).collect()
}

#[test]
fn curly_quotes_beside_cjk_text_open_and_close_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for (text, want) in [
        // Chinese: marks straight after a verb and a colon, closing before the next word or a full stop.
        ("他说：“你好。”她笑了。", &["你好。"][..]),
        ("我读了“别让我走”这本书，他说“好”。", &["别让我走", "好"]),
        ("她写道‘记忆’和“失去”。", &["记忆", "失去"]),
        ("石黑一雄的“Never Let Me Go”很好。", &["Never Let Me Go"]),
        // Japanese with curly quotes, Korean with a particle after the closing mark.
        ("彼は“こんにちは”と言った。", &["こんにちは"]),
        ("カズオ・イシグロの“わたしを離さないで”を読んだ。", &["わたしを離さないで"]),
        ("그는 “안녕”이라고 말했다.", &["안녕"]),
        // CJK brackets as before.
        ("介護人「カレラ」です。", &["カレラ"]),
    ] {
        let (rows, stderr, _) = quotes_of(dir.path(), text, 20, 300);
        assert_eq!(phrases(&rows), want, "{text}");
        assert!(!stderr.contains("never closed"), "{text}: {stderr}");
    }
}

#[test]
fn a_quotation_after_a_bom_in_mid_text_is_found() {
    let dir = tempfile::tempdir().unwrap();
    // Two reviews concatenated, the second with its byte order mark.
    let text = "The first review ends here.\n\u{FEFF}“We’re special,” Ruth said.\n";
    let (rows, stderr, _) = quotes_of(dir.path(), text, 20, 300);
    assert_eq!(phrases(&rows), ["We’re special"], "{stderr}");
    assert_eq!((rows[0]["speaker"].as_str(), rows[0]["speech_verb"].as_str()), ("Ruth", "said"));
    assert_eq!(rows[0]["kind"], "dialogue");
    assert_eq!(rows[0]["text"], "We’re special,");
}

#[test]
fn zero_width_format_characters_beside_a_mark_do_not_hide_it() {
    let dir = tempfile::tempdir().unwrap();
    for invisible in ['\u{FEFF}', '\u{200B}', '\u{2060}', '\u{200E}', '\u{200F}', '\u{00AD}'] {
        let text =
            format!("He called it {invisible}“the gallery”{invisible} then. {invisible}“Yes,”{invisible} she said.");
        let (rows, stderr, _) = quotes_of(dir.path(), &text, 20, 300);
        assert_eq!(phrases(&rows), ["the gallery", "Yes"], "U+{:04X}: {stderr}", invisible as u32);
        assert_eq!(rows[1]["speaker"], "she", "U+{:04X}", invisible as u32);
        assert!(!stderr.contains("never closed"), "U+{:04X}: {stderr}", invisible as u32);
    }
}
