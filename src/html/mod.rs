//! `OUT/report.html`: one self-contained page that shows a run's tables and leads every figure back to its
//! sentence. It is made from the CSV files the run wrote (or a merge combined), read back a row at a time and
//! capped ([`CAP`] rows a table), so it shows exactly what the tables hold and works the same after `merge`.
//!
//! The data goes into the page as JSON inside `<script type="application/json">` elements, with `<`, `>`, `&`,
//! U+2028 and U+2029 written as `\uXXXX` escapes so that no text can end the element; the page's script puts every
//! cell into the document as text (`textContent`), never as markup. Styles and script are `data/report.css` and
//! `data/report.js`, compiled in; a Content-Security-Policy forbids the page any request.

mod document;
mod read;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use read::{CAP, MARK_CAP, SENTENCE_CAP};

use read::{Next, Table, each_row};

/// The report's file name in an output folder.
pub const FILE: &str = "report.html";

/// The most pairs of documents the similarity heatmap holds (the first 200 documents').
pub const SIMILARITY_CAP: usize = 19_900;

/// Whether a run writes [`FILE`] (`--report`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Report {
    /// `report.html` (the default).
    #[default]
    Html,
    /// No report (`--report none`).
    None,
}

impl Report {
    /// The name `--report` and the manifest give it.
    pub fn name(self) -> &'static str {
        match self {
            Report::Html => "html",
            Report::None => "none",
        }
    }
}

/// What the page's main data element holds.
#[derive(Serialize)]
struct Page {
    /// The most rows a table holds.
    cap: usize,
    /// `documents.csv`: the documents' rows (every column), capped.
    documents: Table,
    /// Its group rows (`--group-by`).
    groups: Table,
    /// The documents with a view, in run order; view `i` is in the element `doc-i`.
    views: Vec<String>,
    /// The corpus view's tables (two documents or more).
    corpus: Option<Corpus>,
    /// The chart palette (Okabe & Ito), as CSS colours.
    palette: Vec<String>,
}

/// The corpus view's tables.
#[derive(Serialize)]
struct Corpus {
    vocabulary: Table,
    keyness: Table,
    /// The cosine rows of `similarity.csv`.
    similarity: Table,
    /// The group rows of `themes.csv` and `tone.csv`.
    group_themes: Table,
    group_tone: Table,
}

/// Writes the report of the tables `file` finds (the path of `documents.csv` and the others, wherever they are
/// staged; `None` for a table the run left out) into a hidden file in `out`, with views of the first `views`
/// documents (`None`: all, up to [`CAP`]). The caller publishes it with the tables.
pub fn write(
    out: &Path,
    file: &dyn Fn(&str) -> Option<PathBuf>,
    views: Option<usize>,
) -> io::Result<tempfile::NamedTempFile> {
    let (documents, groups) = documents(file)?;
    let ids: Vec<String> =
        documents.rows.iter().take(views.unwrap_or(CAP).min(CAP)).filter_map(|row| row.first().cloned()).collect();
    let corpus = if documents.total >= 2 { Some(corpus(file)?) } else { None };
    let palette = crate::charts::palette().iter().map(|(r, g, b)| format!("rgb({r},{g},{b})")).collect();
    let page = Page { cap: CAP, documents, groups, views: ids, corpus, palette };
    let title = match page.views.as_slice() {
        [one] if page.documents.total == 1 => format!("{one} — marginalia"),
        _ => format!("{} documents — marginalia", page.documents.total),
    };
    let mut tmp = crate::output::hidden_temporary(out)?;
    let mut html = io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
    html.write_all(HEAD.replace("{title}", &html_escape::encode_text(&title)).as_bytes())?;
    data_element(&mut html, "data", &page)?;
    // Each view in its own element, parsed only when the reader opens that document.
    for (i, view) in document::views(&page.views, file)?.iter().enumerate() {
        data_element(&mut html, &format!("doc-{i}"), view)?;
    }
    write!(html, "<script>\n{}\n{}</script>\n</body>\n</html>\n", include_str!("../../data/report.js"), VIEWS_JS)?;
    html.flush()?;
    drop(html);
    Ok(tmp)
}

/// The page up to its data: the style sheet and the empty frame the script fills. `{title}` is replaced.
const HEAD: &str = concat!(
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
    // Nothing may be fetched: no scripts, styles, images, fonts or connections but those inline.
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; ",
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n<style>\n",
    include_str!("../../data/report.css"),
    "</style>\n</head>\n<body>\n",
    include_str!("../../data/report-body.html"),
);

/// The document and corpus views, after the helpers of `data/report.js`.
const VIEWS_JS: &str = include_str!("../../data/report-views.js");

/// Writes `value` as JSON in `<script type="application/json" id="ID">`, escaped so that no string can close the
/// element or be read as markup.
fn data_element(html: &mut impl Write, id: &str, value: &impl Serialize) -> io::Result<()> {
    let json = serde_json::to_string(value).map_err(io::Error::other)?;
    write!(html, "<script type=\"application/json\" id=\"{id}\">")?;
    html.write_all(script_safe(&json).as_bytes())?;
    html.write_all(b"</script>\n")
}

/// JSON with `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes: the same JSON, but nothing an HTML parser reads as
/// the end of a script element (`</script`), a comment (`<!--`) or a character reference. Scanned as bytes, copying
/// the runs between escapes: a report holds tens of megabytes of text.
fn script_safe(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut safe = String::with_capacity(json.len() + json.len() / 64);
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
        let separator = || (bytes.get(i + 1), bytes.get(i + 2));
        let (escape, len) = match byte {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if separator() == (Some(&0x80), Some(&0xA8)) => ("\\u2028", 3),
            0xE2 if separator() == (Some(&0x80), Some(&0xA9)) => ("\\u2029", 3),
            _ => continue,
        };
        // `i` is an ASCII byte or the first byte of a character: a boundary.
        safe.push_str(&json[start..i]);
        safe.push_str(escape);
        start = i + len;
    }
    safe.push_str(&json[start..]);
    safe
}

/// `documents.csv`: the documents' rows, then its group rows.
fn documents(file: &dyn Fn(&str) -> Option<PathBuf>) -> io::Result<(Table, Table)> {
    let (mut documents, mut groups) = (Table::new("documents.csv", &[]), Table::new("documents.csv", &[]));
    let written = each_row(file("documents.csv").as_deref(), &[], |picker, record| {
        if documents.columns.is_empty() {
            documents.columns = picker.names.clone();
            groups.columns = picker.names.clone();
        }
        let table = if picker.document(record).is_empty() { &mut groups } else { &mut documents };
        table.push(|| picker.cells(record), CAP);
        Next::More
    })?;
    documents.written = written;
    groups.written = written;
    Ok((documents, groups))
}

/// The corpus view's tables.
fn corpus(file: &dyn Fn(&str) -> Option<PathBuf>) -> io::Result<Corpus> {
    let all = |_: &str| true;
    let group_rows = |document: &str| document.is_empty();
    Ok(Corpus {
        vocabulary: whole(
            file,
            "corpus_vocabulary.csv",
            &["term", "stem", "count", "documents", "per_10k"],
            &all,
            CAP,
        )?,
        keyness: whole(
            file,
            "keyness.csv",
            &["document", "group", "term", "stem", "count", "reference_count", "g2", "log_ratio"],
            &all,
            CAP,
        )?,
        similarity: cosine(file)?,
        group_themes: whole(file, "themes.csv", &["group", "theme", "label", "count", "per_10k"], &group_rows, CAP)?,
        group_tone: whole(file, "tone.csv", &["group", "tone", "label", "count", "per_10k"], &group_rows, CAP)?,
    })
}

/// The rows of a whole table whose document `keep` accepts, capped at `cap`.
fn whole(
    file: &dyn Fn(&str) -> Option<PathBuf>,
    name: &str,
    columns: &[&str],
    keep: &dyn Fn(&str) -> bool,
    cap: usize,
) -> io::Result<Table> {
    let mut table = Table::new(name, columns);
    table.written = each_row(file(name).as_deref(), columns, |picker, record| {
        if keep(picker.document(record)) {
            table.push(|| picker.cells(record), cap);
        }
        Next::More
    })?;
    Ok(table)
}

/// The cosine rows of `similarity.csv`, up to [`SIMILARITY_CAP`] pairs.
fn cosine(file: &dyn Fn(&str) -> Option<PathBuf>) -> io::Result<Table> {
    let columns = ["document_a", "document_b", "value", "measure"];
    let mut table = Table::new("similarity.csv", &columns[..3]);
    table.written = each_row(file("similarity.csv").as_deref(), &columns, |picker, record| {
        if picker.cell(record, 3) == "cosine" {
            table.push(|| (0..3).map(|i| picker.cell(record, i).to_string()).collect(), SIMILARITY_CAP);
        }
        Next::More
    })?;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_close_the_data_element() {
        let hostile = "</script><script>alert(1)</script><!-- & \u{2028}\u{2029} é𝄞\u{2027}— \u{2028}";
        let json = serde_json::to_string(&hostile).unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        // Still the same JSON.
        assert_eq!(serde_json::from_str::<String>(&safe).unwrap(), hostile);
    }
}
