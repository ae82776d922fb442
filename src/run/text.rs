//! `analyze` of one text given in memory, writing no file: the Python package's `analyze_text`.

use crate::error::{Error, Result};
use crate::input::{Input, Source};
use crate::output::Place;

use super::Message;
use super::analyze::{Gathered, fill_tables};
use super::document::{Analysed, Analyser, Outcome};
use super::options::Options;
use super::settings::Settings;
use super::tables::Tables;

/// Every table `marginalia analyze` writes for `text`, a document whose id and path are `id`, as each table's file
/// name and its CSV bytes, in the order a run lists them: what a run over a UTF-8 file holding `text` writes (a
/// leading byte-order mark is dropped, as reading the file drops it), but for the document's path. Nothing is
/// written anywhere: the rows, the keyness counts and a long text's rows stay in memory. Charts and the report
/// are files, so they are not made (`options.charts` and `options.report` are checked but not used); the
/// `--source` texts are read. The options about reading files (`--format`, `--encoding`, …) do not apply.
pub fn analyze_text(
    text: &str,
    id: &str,
    options: &Options,
    on_message: &mut dyn FnMut(Message),
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let (sources, _) = super::provenance::read_sources(options)?;
    let analyser = Analyser::new(options, Place::Memory, &sources);
    let settings = Settings::of(options)?;
    let mut tables = Tables::create(Place::Memory, options.cells, &settings.skip_tables)?;
    let mut gathered = Gathered::new(&settings, Place::Memory)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match analyser.analyse((Input::Loaded(Source::from_text(id, text)), None))? {
        // Too long (--max-document-mb): the only text given in memory that is not analysed.
        Outcome::Skipped(message) => return Err(Error::Usage(message)),
        Outcome::Analysed(analysed) => {
            let Analysed { messages, rows, record, .. } = *analysed;
            messages.into_iter().for_each(&mut *on_message);
            tables.append(rows)?;
            gathered.add(record)?;
        }
    }
    fill_tables(tables, gathered, Place::Memory, &settings, on_message)?.0.into_bytes()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::charts::{ChartOptions, Formats};
    use crate::html::Report;

    const ID: &str = "never-let-me-go-review";

    fn review() -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("texts").join(format!("{ID}.txt"))).unwrap()
    }

    /// The tables `run::analyze` writes for the review saved as `ID.txt` in a folder of its own: each CSV file's
    /// name and bytes, in name order, the review's path in `documents.csv` replaced by its id.
    fn written_by_a_run(options: &Options) -> Vec<(String, Vec<u8>)> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("{ID}.txt"));
        std::fs::write(&file, review()).unwrap();
        let out = dir.path().join("out");
        super::super::analyze(std::slice::from_ref(&file), options, &out, &mut |_| {}).unwrap();
        let mut written: Vec<PathBuf> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).collect();
        written.retain(|path| path.extension().is_some_and(|e| e == "csv"));
        written.sort();
        let path = file.to_str().unwrap();
        let as_given = |name: &str, bytes: Vec<u8>| match name {
            "documents.csv" => String::from_utf8(bytes).unwrap().replace(path, ID).into_bytes(),
            _ => bytes,
        };
        let named = |p: &PathBuf| p.file_name().unwrap().to_str().unwrap().to_string();
        written.iter().map(|p| (named(p), as_given(&named(p), std::fs::read(p).unwrap()))).collect()
    }

    fn in_memory(options: &Options) -> Vec<(String, Vec<u8>)> {
        let mut tables = analyze_text(&review(), ID, options, &mut |_| {}).unwrap();
        tables.sort();
        tables.into_iter().map(|(name, bytes)| (name.to_string(), bytes)).collect()
    }

    fn options() -> Options {
        let charts = ChartOptions { formats: Formats::None, ..ChartOptions::default() };
        Options { charts, report: Report::None, threads: 1, ..Options::default() }
    }

    #[test]
    fn a_texts_tables_in_memory_are_the_files_a_run_writes_byte_for_byte() {
        let options = options();
        let tables = in_memory(&options);
        assert!(tables.len() >= 20, "{:?}", tables.iter().map(|t| &t.0).collect::<Vec<_>>());
        assert_eq!(tables, written_by_a_run(&options));
        // A byte-order mark in front, which reading a file drops, changes nothing.
        let mut with_mark = analyze_text(&format!("\u{feff}{}", review()), ID, &options, &mut |_| {}).unwrap();
        with_mark.sort();
        assert!(with_mark.iter().map(|(name, bytes)| (name.to_string(), bytes.clone())).eq(tables.iter().cloned()));
        // The path column holds the id: a text given in memory has no file.
        let documents = &tables.iter().find(|(name, _)| name == "documents.csv").unwrap().1;
        assert!(String::from_utf8_lossy(documents).lines().nth(1).unwrap().starts_with(&format!("{ID},,{ID},UTF-8,")));
    }

    #[test]
    fn keyness_against_a_reference_passages_and_left_out_tables_are_a_runs_in_memory_too() {
        let dir = tempfile::tempdir().unwrap();
        let reference = dir.path().join("reference.txt");
        std::fs::write(&reference, "The clones were told. The school was a quiet place of art and memory. ".repeat(30))
            .unwrap();
        let source = dir.path().join("novel.txt");
        std::fs::write(&source, "Miss Lucy said they had been told and not told. Ruth completed in the spring.")
            .unwrap();
        let options = Options {
            reference: Some(reference),
            sources: vec![source],
            skip_tables: vec!["ngrams".into(), "similarity".into()],
            ..options()
        };
        let tables = in_memory(&options);
        assert_eq!(tables, written_by_a_run(&options));
        let table =
            |name: &str| tables.iter().find(|(n, _)| n == name).map(|(_, bytes)| bytes.split(|&b| b == b'\n').count());
        assert_eq!((table("ngrams.csv"), table("similarity.csv")), (None, None));
        // Rows: keyness against the reference, and the quotation found in the source.
        assert!(table("keyness.csv").unwrap() > 3 && table("quoted_passages.csv").unwrap() > 2);
    }
}
