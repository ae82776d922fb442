//! A document's view: its rows of the per-document tables, its sentences (the text, rebuilt) and the spans the text
//! view highlights, their byte offsets turned into offsets in the sentence as JavaScript counts (UTF-16 units).

use std::io;
use std::path::PathBuf;

use indexmap::IndexMap;
use serde::Serialize;

use super::read::{CAP, MARK_CAP, SENTENCE_CAP, Table, Views};

/// The tables a document's view shows, by the name the page knows them by: file and columns.
const TABLES: [(&str, &str, &[&str]); 10] = [
    ("themes", "themes.csv", &["theme", "label", "count", "per_10k", "distinct_terms", "top_terms"]),
    ("tone", "tone.csv", &["tone", "label", "count", "per_10k", "top_markers"]),
    (
        "vocabulary",
        "vocabulary.csv",
        &["term", "stem", "forms", "count", "per_10k", "rank", "stopword", "first_sentence", "tf_idf"],
    ),
    ("ngrams", "ngrams.csv", &["n", "ngram", "count", "per_10k"]),
    (
        "collocations",
        "collocations.csv",
        &["node", "collocate", "observed", "expected", "mi", "t_score", "log_dice", "g2"],
    ),
    ("quotes", "quotes.csv", &["quote_id", "sentence_id", "text", "kind", "speaker", "character", "speech_verb"]),
    ("keyness", "keyness.csv", &["term", "stem", "count", "reference_count", "g2", "log_ratio"]),
    ("concordance", "concordance.csv", &["theme", "term", "sentence_id", "left", "keyword", "right"]),
    ("arc", "arc.csv", &["point", "position", "sentences", "mean_compound", "smoothed"]),
    ("trend", "theme_trend.csv", &["theme", "segment", "count", "per_10k"]),
];

/// One sentence of the text view: `sentence_id`, `paragraph_id`, `start_byte`, `end_byte`, `text`, `compound`,
/// `tone`; a JSON array.
#[derive(Debug, Serialize)]
pub struct Sentence(u32, u32, u64, u64, String, String, String);

/// A span the text view can highlight, inside one sentence: its `sentence_id`, where it starts and ends in the
/// sentence's text (UTF-16 units), its kind (`theme`, `tone`, `quote`) and key (the theme, the tone categories,
/// the quotation's id); a JSON array.
#[derive(Debug, Serialize)]
pub struct Mark(u32, usize, usize, &'static str, String);

/// What the page holds of one document.
#[derive(Debug, Default, Serialize)]
pub struct DocumentView {
    /// The document id.
    pub id: String,
    /// Its rows of each table in [`TABLES`], by name.
    pub tables: IndexMap<&'static str, Table>,
    /// Its first [`SENTENCE_CAP`] sentences.
    pub sentences: Vec<Sentence>,
    /// How many sentences it has.
    pub sentences_total: u64,
    /// The spans of its theme words, tone markers and quotations in those sentences, the first [`MARK_CAP`].
    pub marks: Vec<Mark>,
    /// How many spans its tables give.
    pub marks_total: u64,
    /// Where the last span was found, for the next.
    #[serde(skip)]
    cursor: Cursor,
}

/// The views of the documents `ids`, read from the tables `file` finds (`None` for a table not written).
pub fn views(ids: &[String], file: &dyn Fn(&str) -> Option<PathBuf>) -> io::Result<Vec<DocumentView>> {
    let index = Views::new(ids);
    let paths: Vec<Option<PathBuf>> = TABLES.iter().map(|(_, table, _)| file(table)).collect();
    // The tables on a second thread, beside the text and its marks, which are the larger part of the reading.
    let (tables, views) = std::thread::scope(|scope| {
        let tables = scope.spawn(|| tables(&index, ids.len(), &paths));
        let views = text(&index, ids, file);
        (tables.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), views)
    });
    let mut views = views?;
    for (view, tables) in views.iter_mut().zip(tables?) {
        view.tables = tables;
    }
    Ok(views)
}

/// Each view's rows of every table in [`TABLES`] (found at `paths`, in that order), capped at [`CAP`].
fn tables(index: &Views, views: usize, paths: &[Option<PathBuf>]) -> io::Result<Vec<IndexMap<&'static str, Table>>> {
    let mut all: Vec<IndexMap<&'static str, Table>> = (0..views)
        .map(|_| TABLES.iter().map(|&(name, file, columns)| (name, Table::new(file, columns))).collect())
        .collect();
    for ((name, _, columns), path) in TABLES.iter().zip(paths) {
        let written = index.read(path.as_deref(), columns, |place, picker, record| {
            if let Some(table) = all.get_mut(place).and_then(|tables| tables.get_mut(name)) {
                table.push(|| picker.cells(record), CAP);
            }
        })?;
        all.iter_mut().filter_map(|tables| tables.get_mut(name)).for_each(|t| t.written = written);
    }
    Ok(all)
}

/// The views of `ids` with their sentences and marks (their tables still empty).
fn text(index: &Views, ids: &[String], file: &dyn Fn(&str) -> Option<PathBuf>) -> io::Result<Vec<DocumentView>> {
    let mut views: Vec<DocumentView> =
        ids.iter().map(|id| DocumentView { id: id.clone(), ..DocumentView::default() }).collect();
    let columns = ["sentence_id", "paragraph_id", "start_byte", "end_byte", "text", "compound", "tone"];
    index.read(file("sentences.csv").as_deref(), &columns, |place, picker, record| {
        let Some(view) = views.get_mut(place) else { return };
        view.sentences_total += 1;
        if view.sentences.len() < SENTENCE_CAP {
            let number = |i| picker.cell(record, i).parse().unwrap_or(0);
            let text = |i| picker.cell(record, i).to_string();
            let (id, paragraph) = (number(0) as u32, number(1) as u32);
            view.sentences.push(Sentence(id, paragraph, number(2), number(3), text(4), text(5), text(6)));
        }
    })?;
    marks(index, &mut views, file)?;
    Ok(views)
}

/// The spans of theme words (`concordance.csv`), tone markers (`tone_markers.csv`) and quotations (`quotes.csv`).
fn marks(index: &Views, views: &mut [DocumentView], file: &dyn Fn(&str) -> Option<PathBuf>) -> io::Result<()> {
    let sources: [(&str, &'static str, &str); 3] = [
        ("concordance.csv", "theme", "theme"),
        ("tone_markers.csv", "tone", "tone"),
        ("quotes.csv", "quote", "quote_id"),
    ];
    for (table, kind, key) in sources {
        let columns = ["sentence_id", "start_byte", "end_byte", key];
        index.read(file(table).as_deref(), &columns, |place, picker, record| {
            let Some(view) = views.get_mut(place) else { return };
            let number = |i| picker.cell(record, i).parse::<u64>().ok();
            let (Some(sentence), Some(start), Some(end)) = (number(0), number(1), number(2)) else { return };
            add_mark(view, sentence as u32, (start, end), kind, picker.cell(record, 3));
        })?;
    }
    Ok(())
}

/// Adds the span `start..end` (bytes into the document) that opens in `sentence`, cut at sentence edges (a
/// quotation may run over several), each piece in UTF-16 units from its sentence's start; past [`MARK_CAP`] spans
/// it is only counted. A piece whose offsets do not fall on the sentence's characters (an `--excel-safe` cell) is
/// left out.
fn add_mark(view: &mut DocumentView, sentence: u32, (start, end): (u64, u64), kind: &'static str, key: &str) {
    view.marks_total += 1;
    if view.marks.len() >= MARK_CAP {
        return;
    }
    let Ok(first) = view.sentences.binary_search_by_key(&sentence, |s| s.0) else { return };
    for (index, s) in view.sentences.iter().enumerate().skip(first) {
        if s.2 >= end {
            break;
        }
        let (from, to) = ((start.max(s.2) - s.2) as usize, end.min(s.3).saturating_sub(s.2) as usize);
        let from_units = view.cursor.units(index, &s.4, from);
        let span = s.4.get(from..to).map(|t| t.encode_utf16().count());
        if let (true, Some(from), Some(span)) = (from < to, from_units, span) {
            view.marks.push(Mark(s.0, from, from + span, kind, key.to_string()));
        }
    }
}

/// Where the last span started, in bytes and UTF-16 units of its sentence: the spans of a table come in text
/// order, so each is counted on from the one before instead of from its sentence's start (a 2 MB sentence of
/// 300,000 markers would otherwise take 300,000 passes over it).
#[derive(Debug, Default)]
struct Cursor {
    sentence: usize,
    byte: usize,
    units: usize,
}

impl Cursor {
    /// The UTF-16 units of `text` (the sentence at `sentence`) before byte `at`, or `None` off a character boundary.
    fn units(&mut self, sentence: usize, text: &str, at: usize) -> Option<usize> {
        if sentence != self.sentence || at < self.byte {
            *self = Cursor { sentence, byte: 0, units: 0 };
        }
        let units = self.units + text.get(self.byte..at)?.encode_utf16().count();
        *self = Cursor { sentence, byte: at, units };
        Some(units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(id: u32, start: u64, text: &str) -> Sentence {
        Sentence(id, 1, start, start + text.len() as u64, text.into(), String::new(), String::new())
    }

    #[test]
    fn spans_are_counted_in_utf16_units_and_cut_at_sentence_edges() {
        let mut view = DocumentView {
            sentences: vec![sentence(1, 0, "“Café” — 𝄞 memory."), sentence(2, 29, "It lasts.")],
            ..DocumentView::default()
        };
        // "memory" starts after “Café” — 𝄞 : bytes 3+4+1+3+1+3+1+4+1 = 21, and in UTF-16 1+4+1+1+1+1+2+1 = 12.
        add_mark(&mut view, 1, (21, 27), "theme", "memory");
        // A quotation from "memory" to the end of the second sentence is cut in two.
        add_mark(&mut view, 1, (21, 38), "quote", "1");
        // Inside a character: left out.
        add_mark(&mut view, 1, (1, 2), "tone", "");
        let marks: Vec<_> = view.marks.iter().map(|m| (m.0, m.1, m.2, m.3)).collect();
        assert_eq!(marks, [(1, 12, 18, "theme"), (1, 12, 19, "quote"), (2, 0, 9, "quote")]);
    }
}
