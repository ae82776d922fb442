//! `report.html` opened in a real browser: Debian's chromium, headless, driven over the DevTools protocol
//! (`headless_chrome`). The CSV tables the same run wrote are the truth the rendered page is checked against.
//!
//! Chromium must be installed (`apt-get install chromium`; `.ci/run` does it): without it these tests fail, they
//! never skip. `cargo test --test report -- --ignored screenshots` redraws `docs/report-document.png` and
//! `docs/report-corpus.png`.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Log, Network, Page, Runtime};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

use common::{run, sample_path, stderr, table};

/// The most rows a table of the page holds (`marginalia::html::CAP`).
const CAP: usize = marginalia::html::CAP;

/// What the page did that it must not: errors, requests, dialogs.
#[derive(Debug, Default)]
struct Seen {
    errors: Vec<String>,
    requests: Vec<String>,
    dialogs: Vec<String>,
}

/// A report open in a headless chromium.
struct Opened {
    _browser: Browser,
    _profile: tempfile::TempDir,
    tab: Arc<Tab>,
    seen: Arc<Mutex<Seen>>,
    url: String,
}

/// Debian's chromium, or a failure that says how to install it.
fn chromium() -> PathBuf {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists());
    found.unwrap_or_else(|| {
        panic!("chromium is not installed: install Debian's chromium: apt-get install chromium; .ci/run does it")
    })
}

/// Opens `report` from `file://` in a fresh headless chromium, recording errors, requests and dialogs.
fn open(report: &Path, size: (u32, u32)) -> Opened {
    let profile = tempfile::tempdir().unwrap();
    // Without the background-networking flags chromium reaches for the network itself, which a closed machine
    // refuses; none of it comes from the page, whose own requests are what the tests count.
    let flags = [
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
    ];
    let options = LaunchOptions::default_builder()
        .path(Some(chromium()))
        .headless(true)
        .sandbox(false)
        .window_size(Some(size))
        .user_data_dir(Some(profile.path().to_path_buf()))
        .args(flags.iter().map(OsStr::new).collect())
        .idle_browser_timeout(Duration::from_secs(300))
        .build()
        .unwrap();
    let browser =
        Browser::new(options).unwrap_or_else(|e| panic!("chromium ({}) did not start: {e}", chromium().display()));
    let tab = browser.new_tab().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = seen.clone();
    // A dialog stops the page until it is answered: it is recorded, then dismissed from another thread (the
    // listener runs on the thread that reads the browser's replies, so it cannot wait for one).
    let (dialogs, opened) = std::sync::mpsc::channel::<()>();
    let weak = Arc::downgrade(&tab);
    std::thread::spawn(move || {
        while opened.recv().is_ok() {
            if let Some(tab) = weak.upgrade() {
                let _ = tab.call_method(Page::HandleJavaScriptDialog { accept: false, prompt_text: None });
            }
        }
    });
    let dialogs = Mutex::new(dialogs);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let mut seen = record.lock().unwrap();
        match event {
            Event::RuntimeExceptionThrown(e) => seen.errors.push(format!("{:?}", e.params.exception_details)),
            Event::RuntimeConsoleAPICalled(e) if e.params.Type == Runtime::ConsoleAPICalledEventTypeOption::Error => {
                seen.errors.push(format!("console.error: {:?}", e.params.args))
            }
            Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
                seen.errors.push(format!("log: {}", e.params.entry.text))
            }
            Event::NetworkRequestWillBeSent(e) => seen.requests.push(e.params.request.url.clone()),
            Event::PageJavascriptDialogOpening(e) => {
                seen.dialogs.push(e.params.message.clone());
                let _ = dialogs.lock().unwrap().send(());
            }
            _ => {}
        }
    }))
    .unwrap();
    tab.enable_runtime().unwrap();
    tab.enable_log().unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    tab.call_method(Page::Enable { enable_file_chooser_opened_event: None }).unwrap();
    let url = format!("file://{}", report.canonicalize().unwrap().display());
    tab.navigate_to(&url).unwrap().wait_until_navigated().unwrap();
    Opened { _browser: browser, _profile: profile, tab, seen, url }
}

impl Opened {
    /// The value of a JavaScript expression (JSON-serialisable) in the page.
    fn js(&self, expression: &str) -> Value {
        let wrapped = format!("JSON.stringify((() => {{ {expression} }})())");
        let result =
            self.tab.evaluate(&wrapped, false).unwrap_or_else(|e| panic!("{expression}: {e}; {:?}", self.seen));
        match result.value {
            Some(Value::String(json)) => serde_json::from_str(&json).unwrap(),
            other => panic!("{expression} gave {other:?}"),
        }
    }

    /// How many rows the page's table `name` shows.
    fn rows(&self, name: &str) -> usize {
        let n = self.js(&format!("return document.querySelectorAll('[data-table=\"{name}\"] tbody tr').length;"));
        n.as_u64().unwrap() as usize
    }

    /// The cells of column `column` (0-based) of the page's table `name`, top to bottom.
    fn column(&self, name: &str, column: usize) -> Vec<String> {
        let script = format!(
            "return [...document.querySelectorAll('[data-table=\"{name}\"] tbody tr')].map(tr => tr.cells[{column}].textContent);"
        );
        serde_json::from_value(self.js(&script)).unwrap()
    }

    /// Fails on any error, request other than the page itself, or dialog seen so far.
    fn check_clean(&self) {
        let seen = self.seen.lock().unwrap();
        assert!(seen.errors.is_empty(), "errors in the page: {:#?}", seen.errors);
        assert!(seen.dialogs.is_empty(), "the page opened dialogs: {:?}", seen.dialogs);
        let others: Vec<_> = seen.requests.iter().filter(|u| **u != self.url).collect();
        assert!(others.is_empty(), "the page requested {others:?}");
        assert!(seen.requests.contains(&self.url), "the page's own request was not seen: {:?}", seen.requests);
    }
}

/// Analyses `paths` into `out` with `args`; fails with the run's messages.
fn analyze(paths: &[&Path], out: &Path, args: &[&str]) {
    let mut all: Vec<&str> = vec!["analyze"];
    all.extend(paths.iter().map(|p| p.to_str().unwrap()));
    all.extend(["--out", out.to_str().unwrap(), "--quiet", "--charts", "none"]);
    all.extend(args);
    let ran = run(&all, Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(ran.status.success(), "{}", stderr(&ran));
}

/// The rows of `file` in `out` whose `document` is `document`.
fn rows_of(out: &Path, file: &str, document: &str) -> Vec<std::collections::HashMap<String, String>> {
    table(&out.join(file)).into_iter().filter(|r| r.get("document").map(String::as_str) == Some(document)).collect()
}

#[test]
fn the_document_view_shows_the_sample_reviews_tables_and_leads_to_its_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze(&[&sample_path()], &out, &[]);
    let page = open(&out.join("report.html"), (1400, 1000));
    let id = "never-let-me-go-review";
    assert_eq!(page.js("return document.getElementById('document-heading').textContent;"), id);
    let documents = table(&out.join("documents.csv"));
    let tokens = page.js("return document.querySelector('[data-field=tokens]').textContent;");
    assert_eq!(tokens, documents[0]["tokens"].as_str());
    for (name, file) in [
        ("themes", "themes.csv"),
        ("tone", "tone.csv"),
        ("vocabulary", "vocabulary.csv"),
        ("ngrams", "ngrams.csv"),
        ("collocations", "collocations.csv"),
        ("quotes", "quotes.csv"),
        ("keyness", "keyness.csv"),
        ("concordance", "concordance.csv"),
    ] {
        let expected = rows_of(&out, file, id).len().min(CAP);
        assert_eq!(page.rows(name), expected, "rows of {name} against {file}");
    }
    // The text view holds every sentence, each its row's text.
    let sentences = rows_of(&out, "sentences.csv", id);
    let shown: Vec<String> = serde_json::from_value(
        page.js("return [...document.querySelectorAll('.text .s')].map(s => s.dataset.sid + '|' + s.textContent);"),
    )
    .unwrap();
    let expected: Vec<String> = sentences.iter().map(|r| format!("{}|{}", r["sentence_id"], r["text"])).collect();
    assert_eq!(shown, expected);
    page.check_clean();
}

#[test]
fn sorting_a_column_reorders_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze(&[&sample_path()], &out, &[]);
    let page = open(&out.join("report.html"), (1400, 1000));
    // vocabulary: term, stem, forms, count, per_10k, rank, …; written most frequent first.
    let before = page.column("vocabulary", 0);
    let click = "document.querySelectorAll('[data-table=\"vocabulary\"] thead th button')[0].click(); return 0;";
    page.js(click);
    let ascending = page.column("vocabulary", 0);
    assert_ne!(ascending, before, "sorting by term changed nothing");
    let (mut a, mut b) = (ascending.clone(), before.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "sorting lost or added rows");
    // The header is a button, so Enter on it sorts too: count, numerically, largest first, then smallest first.
    let press = "[...document.querySelectorAll('[role=tab]')].find(t => t.textContent === 'Vocabulary').click(); \
                 const b = document.querySelectorAll('[data-table=\"vocabulary\"] thead th button')[3]; b.focus(); \
                 return document.activeElement === b;";
    assert_eq!(page.js(press), true);
    page.tab.press_key("Enter").unwrap();
    let counts: Vec<u64> = page.column("vocabulary", 3).iter().map(|c| c.parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    page.tab.press_key("Enter").unwrap();
    let counts: Vec<u64> = page.column("vocabulary", 3).iter().map(|c| c.parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    page.check_clean();
}

#[test]
fn choosing_a_theme_a_word_or_a_quotation_leads_to_its_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze(&[&sample_path()], &out, &[]);
    let page = open(&out.join("report.html"), (1400, 1000));
    let id = "never-let-me-go-review";
    // The theme "memory", chosen in the themes chart: exactly its rows of concordance.csv.
    page.js("document.querySelector('svg [data-key=\"memory\"]').dispatchEvent(new MouseEvent('click')); return 0;");
    let lines: Vec<String> = page
        .column("concordance-lines", 0)
        .into_iter()
        .zip(page.column("concordance-lines", 2))
        .map(|(s, k)| format!("{s}:{k}"))
        .collect();
    let expected: Vec<String> = rows_of(&out, "concordance.csv", id)
        .iter()
        .filter(|r| r["theme"] == "memory")
        .map(|r| format!("{}:{}", r["sentence_id"], r["keyword"]))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(lines, expected);
    // A line opens the text at its sentence.
    page.js("document.querySelector('[data-table=\"concordance-lines\"] tbody tr:nth-child(2)').click(); return 0;");
    let highlighted = page.js("return document.querySelector('.text .s.highlight').dataset.sid;");
    assert_eq!(highlighted, expected[1].split(':').next().unwrap());
    // A word from the vocabulary: a line per occurrence (its count in vocabulary.csv).
    let memory = rows_of(&out, "vocabulary.csv", id).into_iter().find(|r| r["term"] == "memory").unwrap();
    page.js("[...document.querySelectorAll('[data-table=\"vocabulary\"] tbody tr')].find(tr => tr.cells[0].textContent === 'memory').click(); return 0;");
    assert_eq!(page.rows("concordance-lines").to_string(), memory["count"]);
    // A quotation: its sentence highlighted in the text, the quotation's own words marked there.
    let quotes = rows_of(&out, "quotes.csv", id);
    let quote = quotes.iter().find(|q| q["depth"] == "0").unwrap();
    let choose = format!(
        "[...document.querySelectorAll('[data-table=\"quotes\"] tbody tr')].find(tr => tr.cells[0].textContent === '{}').click(); return 0;",
        quote["quote_id"]
    );
    page.js(&choose);
    let sentence = page.js("return document.querySelector('.text .s.highlight').dataset.sid;");
    assert_eq!(sentence, quote["sentence_id"].as_str());
    let marked = page.js(&format!(
        "return [...document.querySelectorAll('.text .m-quote[data-key=\"{}\"]')].map(m => m.textContent).join('');",
        quote["quote_id"]
    ));
    assert_eq!(marked, quote["text"].as_str());
    let visible = page.js("const r = document.querySelector('.text .s.highlight').getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight;");
    assert_eq!(visible, true, "the highlighted sentence is not scrolled into view");
    // A point of the arc: the sentence nearest its place in the text (arc.csv's `position`, by bytes).
    let arc = rows_of(&out, "arc.csv", id);
    let last = arc.last().unwrap();
    let position: f64 = last["position"].parse().unwrap();
    let bytes: f64 = table(&out.join("documents.csv"))[0]["bytes"].parse().unwrap();
    let middle = |r: &std::collections::HashMap<String, String>| {
        (r["start_byte"].parse::<f64>().unwrap() + r["end_byte"].parse::<f64>().unwrap()) / 2.0 / bytes
    };
    let nearest = sentences_nearest(&rows_of(&out, "sentences.csv", id), position, middle);
    page.js(&format!(
        "document.querySelector('circle[data-point=\"{}\"]').dispatchEvent(new MouseEvent('click')); return 0;",
        last["point"]
    ));
    assert_eq!(page.js("return document.querySelector('.text .s.highlight').dataset.sid;"), nearest.as_str());
    page.check_clean();
}

/// The `sentence_id` of the sentence whose `middle` is nearest `position`.
fn sentences_nearest(
    sentences: &[std::collections::HashMap<String, String>],
    position: f64,
    middle: impl Fn(&std::collections::HashMap<String, String>) -> f64,
) -> String {
    let distance = |r: &std::collections::HashMap<String, String>| (middle(r) - position).abs();
    let nearest = sentences.iter().min_by(|a, b| distance(a).total_cmp(&distance(b))).unwrap();
    nearest["sentence_id"].clone()
}

#[test]
fn report_none_writes_no_page_and_takes_an_earlier_one_away() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze(&[&sample_path()], &out, &[]);
    assert!(out.join("report.html").exists());
    analyze(&[&sample_path()], &out, &["--report", "none"]);
    assert!(!out.join("report.html").exists(), "an earlier run's report outlived --report none");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["options"]["report"], "none");
}

#[test]
fn the_corpus_view_lists_every_document_and_opens_each() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts");
    for (group, name, text) in [
        ("praise", "review.txt", common::sample()),
        ("praise", "short.txt", "A quiet, luminous novel about memory and loss. I loved it.\n".repeat(3)),
        ("doubt", "doubt.txt", "The plot is thin and the memory of it fades. Not worth the hype.\n".repeat(4)),
    ] {
        std::fs::create_dir_all(texts.join(group)).unwrap();
        std::fs::write(texts.join(group).join(name), text).unwrap();
    }
    let out = dir.path().join("out");
    analyze(&[&texts], &out, &["--group-by", "dir"]);
    let page = open(&out.join("report.html"), (1400, 1000));
    assert_eq!(page.js("return document.getElementById('corpus-view').hidden;"), false);
    let documents: Vec<_> =
        table(&out.join("documents.csv")).into_iter().filter(|r| !r["document"].is_empty()).collect();
    assert_eq!(documents.len(), 3);
    let ids: Vec<String> = documents.iter().map(|r| r["document"].clone()).collect();
    assert_eq!(page.column("documents", 0), ids);
    let vocabulary = table(&out.join("corpus_vocabulary.csv")).len().min(CAP);
    assert_eq!(page.rows("corpus_vocabulary"), vocabulary);
    assert_eq!(page.rows("corpus_keyness"), table(&out.join("keyness.csv")).len().min(CAP));
    // The groups side by side: a column per group of themes.csv.
    let groups = page.js(
        "return [...document.querySelectorAll('[data-table=\"group_themes\"] thead th')].map(th => th.textContent);",
    );
    assert_eq!(groups, serde_json::json!(["theme", "doubt", "praise"]));
    // The similarity heatmap: a cell per ordered pair.
    assert_eq!(page.js("return document.querySelectorAll('[aria-label=\"Similarity heatmap\"] rect').length;"), 9);
    for (i, id) in ids.iter().enumerate() {
        page.js(&format!("document.getElementById('corpus-button').click(); document.querySelectorAll('[data-table=\"documents\"] tbody tr')[{i}].click(); return 0;"));
        assert_eq!(page.js("return document.getElementById('document-heading').textContent;"), id.as_str());
        assert_eq!(page.js("return document.getElementById('corpus-view').hidden;"), true);
        let sentences = rows_of(&out, "sentences.csv", id).len();
        assert_eq!(page.js("return document.querySelectorAll('.text .s').length;"), sentences);
    }
    page.check_clean();
}

#[test]
fn hostile_text_shows_as_text_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts");
    std::fs::create_dir_all(&texts).unwrap();
    let hostile = "A review of <script>alert(1)</script> and \"</script><script>alert(2)</script>\", which says \
                   \"\"><img src=x onerror=alert(3)>\" and links <a href=\"javascript:alert(4)\">here</a> and \
                   javascript:alert(5). Memory, memory & <!-- nothing --> \u{2028} lines.\n\nThe second \
                   paragraph: </script> again, <iframe src=\"https://example.com/\"></iframe> too.\n";
    std::fs::write(texts.join("\"><img src=x onerror=alert(6)>.txt"), hostile).unwrap();
    std::fs::write(texts.join("plain.txt"), "A plain review. It remembers nothing at all.\n").unwrap();
    let out = dir.path().join("out");
    analyze(&[&texts], &out, &[]);
    let page = open(&out.join("report.html"), (1400, 1000));
    page.js("document.querySelectorAll('[data-table=\"documents\"] tbody tr')[0].click(); return 0;");
    let id = page.js("return document.getElementById('document-heading').textContent;");
    assert_eq!(id, "\"><img src=x onerror=alert(6)>");
    // Nothing injected: no image, frame or link, and no script but the page's own.
    assert_eq!(
        page.js("return document.querySelectorAll('img, iframe, a[href^=\"javascript\"], [onerror]').length;"),
        0
    );
    assert_eq!(page.js("return document.querySelectorAll('script:not([type=\"application/json\"])').length;"), 1);
    // The text reads as written.
    let text = page.js("return document.querySelector('.text').textContent;");
    let text = text.as_str().unwrap();
    for literal in
        ["<script>alert(1)</script>", "\"><img src=x onerror=alert(3)>", "javascript:alert(5)", "</script> again"]
    {
        assert!(text.contains(literal), "{literal} is not shown as text in {text}");
    }
    // Every sentence and table was drawn without a dialog, an error or a request.
    page.js("document.querySelectorAll('input[type=checkbox]').forEach(b => b.click()); return 0;");
    std::thread::sleep(Duration::from_millis(300));
    page.check_clean();
}

#[test]
fn merge_writes_the_report_of_the_merged_tables() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts");
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::write(texts.join("a.txt"), common::sample()).unwrap();
    std::fs::write(texts.join("b.txt"), "Memory fails them. They remember Hailsham.\n").unwrap();
    for k in ["1/2", "2/2"] {
        let shard = dir.path().join(k.replace('/', "-"));
        analyze(&[&texts], &shard, &["--shard", k]);
        assert!(!shard.join("report.html").exists(), "a shard writes no report");
    }
    let out = dir.path().join("merged");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (one, two) = (dir.path().join("1-2"), dir.path().join("2-2"));
    let ran =
        run(&["merge", one.to_str().unwrap(), two.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"], root);
    assert!(ran.status.success(), "{}", stderr(&ran));
    let page = open(&out.join("report.html"), (1200, 900));
    assert_eq!(page.column("documents", 0), ["a", "b"]);
    page.check_clean();
}

/// Redraws the README's screenshots: `cargo test --test report -- --ignored screenshots` (the corpus view's needs
/// `../shared/corpus/literary`, or `LITERARY_CORPUS=DIR`).
#[test]
#[ignore]
fn screenshots() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyze(&[&sample_path()], &out, &[]);
    let page = open(&out.join("report.html"), (1400, 1000));
    page.js("document.querySelector('svg [data-key=\"memory\"]').dispatchEvent(new MouseEvent('click')); document.getElementById('toggle-theme').click(); document.getElementById('toggle-quote').click(); window.scrollTo(0, 0); return 0;");
    let shot = page.tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
    std::fs::write(docs.join("report-document.png"), shot).unwrap();
    // As the README's corpus charts: the sample review and five books of ../shared/corpus/literary.
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/literary");
    let literary = PathBuf::from(std::env::var("LITERARY_CORPUS").unwrap_or(default.into())).join("nltk-gutenberg");
    let books = ["austen-emma", "blake-poems", "carroll-alice", "melville-moby_dick", "shakespeare-hamlet"];
    let books: Vec<PathBuf> = books.iter().map(|b| literary.join(format!("{b}.txt"))).collect();
    let mut paths: Vec<&Path> = books.iter().map(PathBuf::as_path).collect();
    let sample = sample_path();
    paths.push(&sample);
    let corpus = dir.path().join("corpus");
    analyze(&paths, &corpus, &[]);
    let page = open(&corpus.join("report.html"), (1400, 1000));
    let shot = page.tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
    std::fs::write(docs.join("report-corpus.png"), shot).unwrap();
}

/// How long a report takes to open (navigation start to the end of the load event, as the browser measures it,
/// which includes drawing the first view) and what it weighs: `REPORT=OUT/report.html cargo test --release --test
/// report -- --ignored --nocapture open_time` (without `REPORT`, the sample review's).
#[test]
#[ignore]
fn open_time() {
    let dir = tempfile::tempdir().unwrap();
    let report = match std::env::var("REPORT") {
        Ok(report) => PathBuf::from(report),
        Err(_) => {
            analyze(&[&sample_path()], dir.path(), &[]);
            dir.path().join("report.html")
        }
    };
    let bytes = std::fs::metadata(&report).unwrap().len();
    for _ in 0..3 {
        let page = open(&report, (1400, 1000));
        let ms = page.js("const t = performance.timing; return t.loadEventEnd - t.navigationStart;");
        let parts = page.js(
            "const t = performance.timing, s = t.navigationStart; return [t.domInteractive - s, t.domContentLoadedEventEnd - s, t.domComplete - s, t.loadEventStart - s, t.responseEnd - s, \
             t.domContentLoadedEventEnd - t.domContentLoadedEventStart];",
        );
        println!(
            "{}: {:.1} MB, opened in {ms} ms (parsed by {} ms, first view drawn in {} ms) {parts}",
            report.display(),
            bytes as f64 / 1e6,
            parts[0],
            parts[1]
        );
        let view = page.js("const t = performance.now(); marginalia.showDocument(0); document.body.offsetHeight; \
             return Math.round(performance.now() - t);");
        println!("  the first document's view drawn in {view} ms");
        page.check_clean();
    }
}
