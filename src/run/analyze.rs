//! `marginalia analyze`: every input read, analysed on several threads and written in input order; then the
//! tables that span documents.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::analysis::ngrams::DocumentNgrams;
use crate::analysis::tone::Scorer;
use crate::charts::{Folders, corpus_charts};
use crate::corpus::groups::Groups;
use crate::corpus::similarity::Similarity;
use crate::corpus::{Corpus, DocumentCounts};
use crate::error::{Error, Result};
use crate::html::{self, Report};
use crate::input::{self, Input, InputDigest, InputList};
use crate::manifest::{Inputs, Manifest};
use crate::output::{Place, Publication, Table, charts_staging, check_stop, into_output};
use crate::provenance::Sources;
use crate::provenance::passages::Passages;
use crate::report::schema::{
    CorpusVocabularyRow, KeynessRow, NgramRow, QuotedPassageRow, Row, SimilarityRow, ThemeRow, VocabularyRow,
};
use crate::shard::{self, Entry, Header, Shard, StateWriter, Totals};

use super::document::{Analysed, Analyser, Outcome, Pending, Record};
use super::options::{GroupBy, Options, checked_skip, leaves_out};
use super::settings::Settings;
use super::tables::{CORPUS_TABLES, Tables, remove_left_out};
use super::{Message, Summary};

/// The counts behind the corpus-level tables and the corpus heatmap, documents added in input order.
pub(super) struct Gathered {
    pub(super) corpus: Corpus,
    pub(super) groups: Groups,
    /// The word counts similarity.csv compares and the dendrogram clusters; `None` when neither is made.
    pub(super) similarity: Option<Similarity>,
    pub(super) themes: Vec<ThemeRow>,
    pub(super) charted: usize,
    /// Every document's quotations located in the `--source` texts.
    pub(super) passages: Passages,
}

impl Gathered {
    /// No documents yet; each document's counts wait for keyness in `place` (in a file in its folder), unless
    /// keyness.csv is left out.
    pub(super) fn new(settings: &Settings, place: Place) -> Result<Self> {
        Ok(Gathered {
            corpus: Corpus::new(settings.ngrams, (!leaves_out::<KeynessRow>(&settings.skip_tables)).then_some(place))?,
            groups: Groups::new(settings.english),
            similarity: (!leaves_out::<SimilarityRow>(&settings.skip_tables) || settings.drawing())
                .then(|| Similarity::new(settings.mfw, settings.charts.documents.unwrap_or(usize::MAX))),
            themes: Vec::new(),
            charted: 0,
            passages: Passages::default(),
        })
    }

    pub(super) fn add(&mut self, record: Record) -> Result<()> {
        self.add_with(record, Corpus::add)
    }

    /// Adds `record` but its n-grams, which it returns for the counter taken from the corpus (see
    /// [`Corpus::add_apart`]).
    pub(super) fn add_apart(&mut self, record: Record) -> Result<(DocumentNgrams, Vec<u32>)> {
        self.add_with(record, Corpus::add_apart)
    }

    /// Adds `record`, its counts to the corpus with `add`.
    fn add_with<T>(&mut self, record: Record, add: impl FnOnce(&mut Corpus, DocumentCounts) -> Result<T>) -> Result<T> {
        record.group.into_iter().for_each(|part| self.groups.add(part));
        if let Some(similarity) = &mut self.similarity {
            similarity.add(&record.counts);
        }
        let added = add(&mut self.corpus, record.counts)?;
        self.themes.extend(record.themes);
        self.charted += usize::from(record.charted);
        self.passages.add(record.provenance);
        Ok(added)
    }
}

/// Where the writer puts each document's [`Record`]: into the counts, or (for a shard) into its state.
enum Sink {
    Counts(Box<Gathered>),
    Shard(StateWriter),
}

/// `marginalia analyze`: writes every table (`documents.csv`, `vocabulary.csv`, `ngrams.csv`, `collocations.csv`,
/// `sentences.csv`, `quotes.csv`, `themes.csv`, `theme_terms.csv`, `theme_trend.csv`, `concordance.csv`,
/// `tone_markers.csv`, `tone.csv`, `arc.csv`, `corpus_vocabulary.csv`, `keyness.csv`, `similarity.csv`) into
/// `out`, created if needed, and draws the charts into `out/charts/`. Documents are analysed on `options.threads`
/// threads and written in input order, so the output does not depend on the thread count. Tables and charts
/// appear only when every document has been written, replacing the previous run's, with `manifest.json` (see
/// [`crate::manifest`]), which records what the run did.
///
/// With `options.shard`, only that slice of the documents is analysed, and instead of the corpus-level tables
/// and the corpus heatmap `out` gets [`shard::STATE_FILE`], for [`merge`](super::merge()) to finish the whole run from.
pub fn analyze(
    paths: &[PathBuf],
    options: &Options,
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    // Inputs first: a missing path must not leave an empty output folder behind.
    let list = input::collect(paths, &options.input)?;
    let slice = match options.shard {
        Some(shard) => Some((shard, count_documents(&list, options)?)),
        None => None,
    };
    // The sources too: a missing one must not leave an empty output folder either.
    let sources = super::provenance::read_sources(options)?;
    let started = crate::manifest::now();
    into_output(out, || analyze_into(list, slice, (options, &sources), out, started, on_message))
}

/// The tables of a run, its charts' staging folder and its manifest, which are published together.
pub(super) struct Staged {
    pub(super) tables: Tables,
    pub(super) staging: tempfile::TempDir,
    pub(super) manifest: Manifest,
}

/// [`analyze`] of `list` into `out`, which exists: every document, or with `--shard` its slice of them (the shard,
/// and how many documents the whole run has); `started` is when the run started, for its manifest.
fn analyze_into(
    mut list: InputList,
    slice: Option<(Shard, usize)>,
    (options, (sources, source_files)): (&Options, &(Sources, Vec<InputDigest>)),
    out: &Path,
    started: String,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let analyser = Analyser::new(options, Place::Folder(out), sources);
    let mut summary = Summary { skipped: announce(&mut list, slice, options, on_message), ..Summary::default() };
    let settings = Settings::of(options)?;
    let mut tables = Tables::create(Place::Folder(out), options.cells, &settings.skip_tables)?;
    let mut sink = Sink::open(&list, slice, options, &settings, out)?;
    // Charts are drawn into a hidden folder and swapped in with the tables, so a stopped run leaves the old
    // charts beside the old tables.
    let staging = charts_staging(out)?;
    let total_bytes = share_of_bytes(&list, slice);
    let mut folders = Folders::new(staging.path());
    let pending = pending(list, slice, options, settings.chart_limit(), &mut folders);
    let mut inputs = Inputs::default();
    crate::parallel::ordered(
        pending,
        options.threads,
        weight,
        |p| analyser.analyse(p),
        |outcome| {
            // A stop (Ctrl-C) is seen between documents: the run unwinds as if it had failed.
            check_stop(out)?;
            match outcome? {
                Outcome::Skipped(message) => {
                    on_message(Message::Skipped(message));
                    summary.skipped += 1;
                    Ok(())
                }
                Outcome::Analysed(analysed) => {
                    let Analysed { messages, rows, drawn, record, file } = *analysed;
                    inputs.add(file);
                    messages.into_iter().for_each(&mut *on_message);
                    tables.append(rows)?;
                    summary.add_document(record.bytes);
                    summary.add_charts(&drawn);
                    sink.add(record)?;
                    let (documents, bytes) = (summary.documents, summary.bytes);
                    on_message(Message::Progress { documents, bytes, total_bytes });
                    Ok(())
                }
            }
        },
    )?;
    if summary.documents == 0 && matches!(sink, Sink::Counts(_)) {
        return Err(Error::NothingReadable);
    }
    // The sources are inputs too, listed after the documents' files.
    let files = inputs.finish()?.into_iter().chain(source_files.iter().cloned()).collect();
    let manifest = super::recorded::manifest(options, started, files, summary.skipped)?;
    let staged = Staged { tables, staging, manifest };
    match sink {
        Sink::Counts(gathered) => finish_run(summary, *gathered, staged, (&settings, options.report), out, on_message),
        Sink::Shard(state) => {
            if summary.documents == 0 {
                let shard = slice.map_or(String::new(), |(shard, _)| shard.to_string());
                on_message(Message::Note(format!(
                    "shard {shard} analysed no documents (its slice is empty, or none of it could be read); merge \
                     still needs its folder"
                )));
            }
            finish_shard(summary, state, staged, &settings, out, on_message)
        }
    }
}

/// How much work a document waiting to be analysed is, so that one far longer than the first waiting goes before
/// it ([`crate::parallel::ordered`]): its size in bytes (a file's on disk, a stat under the feed's lock).
fn weight((input, _): &Pending) -> u64 {
    match input {
        Input::File(file) => file.path.as_ref().and_then(|path| path.metadata().ok()).map_or(0, |m| m.len()),
        Input::Loaded(source) => source.text.len() as u64,
        Input::Skipped(_) => 0,
    }
}

/// Says what the user should hear before the documents: that sentiment is not scored, the inputs skipped before
/// the documents are numbered (an unreadable folder: reported by the first shard only) and the notes on the
/// inputs. Returns how many were skipped.
fn announce(
    list: &mut InputList,
    slice: Option<(Shard, usize)>,
    options: &Options,
    on_message: &mut dyn FnMut(Message),
) -> usize {
    if matches!(options.scorer, Scorer::None) {
        on_message(Message::Note(format!(
            "VADER scores English only: the sentiment columns and arc.csv stay empty for {} (give --valence FILE to score it)",
            options.pipeline.language
        )));
    }
    if slice.is_some_and(|(shard, _)| shard.index() != 1) {
        return 0;
    }
    for s in &list.skipped {
        on_message(Message::Skipped(format!("{}: {}", s.path, s.reason)));
    }
    std::mem::take(&mut list.notes).into_iter().for_each(|note| on_message(Message::Note(note)));
    list.skipped.len()
}

impl Sink {
    /// The counts of a whole run, or a shard's state (`slice`) in `out`.
    fn open(
        list: &InputList,
        slice: Option<(Shard, usize)>,
        options: &Options,
        settings: &Settings,
        out: &Path,
    ) -> Result<Sink> {
        Ok(match slice {
            None => Sink::Counts(Box::new(Gathered::new(settings, Place::Folder(out))?)),
            Some((shard, items)) => {
                let version = env!("CARGO_PKG_VERSION").to_string();
                let reference = settings.keyness.reference.as_ref().map(|r| r.identity());
                let fingerprint = fingerprint(list, options, reference);
                let header = Header { version, shard, items, fingerprint, settings: settings.clone() };
                Sink::Shard(StateWriter::create(out, &header)?)
            }
        })
    }

    /// Adds a document's record to the counts, or writes it to the shard's state.
    fn add(&mut self, record: Record) -> Result<()> {
        match self {
            Sink::Counts(gathered) => gathered.add(record),
            Sink::Shard(state) => state.write(&Entry::Document(record)),
        }
    }
}

/// The size of the inputs for the progress bar: every file's, or a shard's share by its count of documents (the
/// sizes of its slice's rows are not known before they are read).
fn share_of_bytes(list: &InputList, slice: Option<(Shard, usize)>) -> u64 {
    let corpus_bytes: u64 =
        list.files.iter().filter_map(|f| f.path.as_ref()).filter_map(|p| p.metadata().ok()).map(|m| m.len()).sum();
    match slice {
        Some((shard, items)) if items > 0 => {
            (u128::from(corpus_bytes) * shard.slice(items).len() as u128 / items as u128) as u64
        }
        _ => corpus_bytes,
    }
}

/// The inputs to analyse, in run order, each with its chart folder (claimed from `folders`) if it is among the
/// first `chart_limit` readable ones. A shard goes through the documents before its slice as one run would, so
/// that it charts the same documents into the same folders, but analyses only its own.
fn pending<'a>(
    list: InputList,
    slice: Option<(Shard, usize)>,
    options: &'a Options,
    chart_limit: usize,
    folders: &'a mut Folders,
) -> impl Iterator<Item = Pending> + 'a {
    let mut charted = 0;
    let mut prepare = move |mut input: Input| {
        // A file is read here, before it is given a chart folder, so an unreadable one takes no charted place.
        // This runs under the feed's lock, one file at a time, but only for the documents charted (100 by
        // default); every other file is read in the thread that analyses it.
        if charted < chart_limit && matches!(input, Input::File(_)) {
            input = match input.load(&options.input) {
                Ok(source) => Input::Loaded(source),
                Err(skipped) => Input::Skipped(skipped),
            };
        }
        let draw = !matches!(input, Input::Skipped(_)) && charted < chart_limit;
        charted += usize::from(draw);
        let folder = draw.then(|| folders.claim(input.id()));
        (input, folder)
    };
    let range = slice.map_or(0..usize::MAX, |(shard, items)| shard.slice(items));
    input::documents(list, &options.input).reading_ahead().take(range.end).enumerate().filter_map(move |(i, input)| {
        let pending = prepare(input);
        (i >= range.start).then_some(pending)
    })
}

/// Finishes a shard: its tables, charts and state moved into place together, the state last, since it vouches for
/// the tables and charts beside it.
fn finish_shard(
    mut summary: Summary,
    state: StateWriter,
    Staged { tables, staging, mut manifest }: Staged,
    settings: &Settings,
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    check_stop(out)?;
    let mut publication = Publication::new(out);
    tables.stage(&mut publication)?;
    // Before the totals, which then list it: merge checks it is the one its shard wrote.
    manifest.finish(&publication);
    manifest.stage(out, &mut publication)?;
    let drawing = settings.drawing();
    let totals = Totals {
        documents: summary.documents,
        bytes: summary.bytes,
        skipped: summary.skipped,
        charts: drawing.then_some(summary.charts),
        tables: publication.file_sizes()?,
    };
    if drawing {
        publication.folder(staging, out.join("charts"));
    }
    state.stage(&totals, &mut publication)?;
    summary.tables = publication.publish()?;
    // A shard has no corpus tables: an earlier whole run's, left in this folder, would not go with its documents.
    let mut left_out = settings.skip_tables.clone();
    left_out.extend(CORPUS_TABLES.map(|file| file.trim_end_matches(".csv").to_string()));
    // Nor a report: a shard writes none (merge does).
    if let Err(e) = std::fs::remove_file(out.join(html::FILE))
        && e.kind() != std::io::ErrorKind::NotFound
    {
        on_message(Message::Warning(format!(
            "{}: an earlier run's report could not be removed ({e})",
            out.join(html::FILE).display()
        )));
    }
    remove_left_out(out, &left_out, on_message);
    Ok(summary)
}

/// Documents (readable or not) in the whole run, which a shard takes its slice of. Only tables are read; files
/// are counted by name. Every input is read again after, so each must be a file or folder, not a pipe.
fn count_documents(list: &InputList, options: &Options) -> Result<usize> {
    for file in &list.files {
        let is_file = file.path.as_ref().and_then(|p| p.metadata().ok()).is_some_and(|m| m.is_file());
        if !is_file {
            return Err(Error::Usage(format!(
                "{}: --shard reads its inputs twice (once to number the documents), so each must be a file or a \
                 folder, not standard input or a pipe: save it to a file first",
                file.display_path()
            )));
        }
    }
    Ok(input::documents(list.clone(), &options.input).count())
}

/// A hash of the inputs — each file's id and path as the tables show them, its size and its modification time,
/// and each `--source`'s path, size and modification time —
/// of every option but `--threads` and `--shard`, file names as typed (the chart font's contents are in the
/// [`Settings`]), and of the keyness reference's words and counts (`reference`, its
/// [`identity`](crate::corpus::reference::Reference::identity)), which a file changed in place keeps the name of:
/// shards whose hashes differ are not parts of one run.
fn fingerprint(list: &InputList, options: &Options, reference: Option<u64>) -> u64 {
    // The tables left out as `Settings` keeps them (checked, sorted), so that their order does not matter.
    let skip_tables = checked_skip(&options.skip_tables).unwrap_or_else(|_| options.skip_tables.clone());
    // The command line differs between shards in --shard, --out and --threads, which are not the run's.
    let mut same = Options { threads: 1, shard: None, skip_tables, command: Vec::new(), ..options.clone() };
    // Each shard writes to its own --out: the folder a walk passes over is not part of the run.
    same.input.output = None;
    let mut hasher = rustc_hash::FxHasher::default();
    format!("{same:?}").hash(&mut hasher);
    reference.hash(&mut hasher);
    // A --source changed in place between shards would locate their quotations in two different texts.
    for source in &options.sources {
        let metadata = source.metadata().ok();
        (source, metadata.as_ref().map(|m| m.len()), metadata.and_then(|m| m.modified().ok())).hash(&mut hasher);
    }
    for file in &list.files {
        let metadata = file.path.as_ref().and_then(|p| p.metadata().ok());
        let modified = metadata.as_ref().and_then(|m| m.modified().ok());
        (&file.id, file.display_path(), metadata.map(|m| m.len()), modified).hash(&mut hasher);
    }
    hasher.finish()
}

/// Writes what spans documents — the corpus heatmap, the group rows, the corpus rows of `ngrams.csv`,
/// `corpus_vocabulary.csv`, `keyness.csv` and `similarity.csv` — and moves every table and chart into place.
pub(super) fn finish_run(
    mut summary: Summary,
    gathered: Gathered,
    Staged { tables, staging, mut manifest }: Staged,
    (settings, report): (&Settings, Report),
    out: &Path,
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let (drawing, chart_limit) = (settings.drawing(), settings.chart_limit());
    if drawing && chart_limit > 0 && summary.documents > chart_limit {
        on_message(Message::Note(format!(
            "charts were drawn for the first {chart_limit} of {} documents, and the corpus heatmap shows those \
             (--document-charts all draws every one)",
            summary.documents
        )));
    }
    if summary.documents > 1 && gathered.charted > 0 {
        check_stop(out)?;
        let dendrogram = gathered.similarity.as_ref().and_then(Similarity::dendrogram);
        let drawn = corpus_charts(staging.path(), &gathered.themes, dendrogram.as_ref(), &settings.charts);
        for failed in &drawn.failed {
            on_message(Message::Warning(format!(
                "a corpus chart could not be drawn ({failed}); every table is complete"
            )));
        }
        summary.add_charts(&drawn);
    }
    let mut publication = Publication::new(out);
    // A shard's state left from an earlier run does not go with these tables: it goes before any of them appears.
    publication.remove(out.join(shard::STATE_FILE));
    let (filled, passages) = fill_tables(tables, gathered, Place::Folder(out), settings, on_message)?;
    filled.stage(&mut publication)?;
    summary.add_charts(&super::provenance::passages_chart(&passages, settings, staging.path(), on_message));
    stage_report(report, out, settings, &mut publication, on_message)?;
    manifest.finish(&publication);
    manifest.stage(out, &mut publication)?;
    if drawing {
        publication.folder(staging, out.join("charts"));
    }
    summary.tables = publication.publish()?;
    remove_left_out(out, &settings.skip_tables, on_message);
    Ok(summary)
}

/// Writes `report.html` from the staged tables and adds it to `publication`; with `--report none`, an earlier run's
/// is removed, as it would not go with the new tables. A report that cannot be written is a warning: the tables
/// are complete without it.
fn stage_report(
    report: Report,
    out: &Path,
    settings: &Settings,
    publication: &mut Publication,
    on_message: &mut dyn FnMut(Message),
) -> Result<()> {
    let target = out.join(html::FILE);
    if report == Report::None {
        publication.remove(target);
        return Ok(());
    }
    check_stop(out)?;
    match html::write(out, &|name| publication.staged(name), settings.charts.documents) {
        Ok(page) => publication.file(page, target),
        Err(e) => on_message(Message::Warning(format!(
            "{}: the report could not be written ({e}); every table is complete (--report none skips it)",
            target.display()
        ))),
    }
    Ok(())
}

/// Every table of a run, filled in: each document's ([`Tables`]) and those that span documents.
pub(super) struct Filled {
    tables: Tables,
    corpus_vocabulary: Table<CorpusVocabularyRow>,
    keyness: Table<KeynessRow>,
    similarity: Table<SimilarityRow>,
    quoted_passages: Table<QuotedPassageRow>,
}

impl Filled {
    /// Adds every table written (not those left out) to `publication`, in the order a run lists them.
    fn stage(self, publication: &mut Publication) -> Result<()> {
        self.tables.stage(publication)?;
        self.corpus_vocabulary.stage(publication)?;
        self.keyness.stage(publication)?;
        self.similarity.stage(publication)?;
        self.quoted_passages.stage(publication)
    }

    /// Every table written (not those left out), as its file name and its bytes, in the same order.
    pub(super) fn into_bytes(self) -> Result<Vec<(&'static str, Vec<u8>)>> {
        let mut bytes = Vec::new();
        self.tables.into_bytes(&mut bytes)?;
        let corpus_tables = [
            self.corpus_vocabulary.into_bytes()?.map(|table| (CorpusVocabularyRow::FILE, table)),
            self.keyness.into_bytes()?.map(|table| (KeynessRow::FILE, table)),
            self.similarity.into_bytes()?.map(|table| (SimilarityRow::FILE, table)),
            self.quoted_passages.into_bytes()?.map(|table| (QuotedPassageRow::FILE, table)),
        ];
        bytes.extend(corpus_tables.into_iter().flatten());
        Ok(bytes)
    }
}

/// Writes what spans documents into `tables` — the group rows, the corpus rows of `ngrams.csv` and the `tf_idf`
/// column of `vocabulary.csv` — and into the tables that span documents, made in `place`: `corpus_vocabulary.csv`,
/// `keyness.csv`, `similarity.csv` and `quoted_passages.csv`. Returns them, and the located quotations for their
/// chart; the corpus counts are let go as soon as they are read, before similarity is computed.
pub(super) fn fill_tables(
    mut tables: Tables,
    gathered: Gathered,
    place: Place,
    settings: &Settings,
    on_message: &mut dyn FnMut(Message),
) -> Result<(Filled, Passages)> {
    let Gathered { corpus: gathered_corpus, groups, similarity, passages, .. } = gathered;
    let (corpus, groups) = (&gathered_corpus, &groups);
    if let Some(GroupBy::Column(column)) = &settings.group_by
        && groups.is_empty()
    {
        on_message(Message::Note(format!(
            "no document has a value in a column '{column}', so there are no group rows (--group-by names a column \
             of a CSV, TSV or JSONL table, or is `dir`)"
        )));
    }
    groups.document_rows(corpus).iter().try_for_each(|row| tables.documents.write(row))?;
    groups.theme_rows().iter().try_for_each(|row| tables.themes.write(row))?;
    groups.tone_rows().iter().try_for_each(|row| tables.tone.write(row))?;
    let voices = groups.voice_rows();
    voices.voices.iter().try_for_each(|row| tables.voices.write(row))?;
    voices.themes.iter().try_for_each(|row| tables.voice_themes.write(row))?;
    let skip = &settings.skip_tables;
    // Rows of a table left out are not even made.
    let mut corpus_vocabulary =
        Table::<CorpusVocabularyRow>::create_unless(place, settings.cells, leaves_out::<CorpusVocabularyRow>(skip))?;
    let mut keyness = Table::<KeynessRow>::create_unless(place, settings.cells, leaves_out::<KeynessRow>(skip))?;
    // The tf-idf pass over `vocabulary.csv` only reads the corpus, as the n-grams, the corpus vocabulary and
    // keyness do: on a second core it runs beside them instead of after them.
    let (vocabulary, ngrams) = (&mut tables.vocabulary, &mut tables.ngrams);
    std::thread::scope(|scope| -> Result<()> {
        let tf_idf = scope.spawn(|| fill_tf_idf(vocabulary, corpus, place.path()));
        let written = (ngrams, &mut corpus_vocabulary, &mut keyness);
        let rest = corpus_rows(corpus, written, place.path(), settings, on_message);
        let filled = tf_idf.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        rest.and(filled)
    })?;
    drop(gathered_corpus);
    let similarity = similarity_table(similarity.as_ref(), place, settings, on_message)?;
    let quoted_passages = super::provenance::passages_table(&passages, place, settings)?;
    Ok((Filled { tables, corpus_vocabulary, keyness, similarity, quoted_passages }, passages))
}

/// Writes the corpus's rows of `ngrams.csv`, `corpus_vocabulary.csv` and `keyness.csv` (those not left out).
fn corpus_rows(
    corpus: &Corpus,
    (ngrams, vocabulary, keyness): (&mut Table<NgramRow>, &mut Table<CorpusVocabularyRow>, &mut Table<KeynessRow>),
    out: &Path,
    settings: &Settings,
    on_message: &mut dyn FnMut(Message),
) -> Result<()> {
    if !ngrams.is_left_out() {
        check_stop(out)?;
        corpus_ngrams(corpus, settings.ngrams.min_count, on_message).try_for_each(|row| ngrams.write(&row))?;
    }
    if !vocabulary.is_left_out() {
        check_stop(out)?;
        corpus.vocabulary_rows().try_for_each(|row| vocabulary.write(&row))?;
    }
    if !keyness.is_left_out() {
        check_stop(out)?;
        corpus.keyness_rows(&settings.keyness, &mut |row| keyness.write(row))?;
    }
    Ok(())
}

/// Fills the `tf_idf` column of `vocabulary.csv` from the corpus counts, with two documents or more.
fn fill_tf_idf(vocabulary: &mut Table<VocabularyRow>, corpus: &Corpus, out: &Path) -> Result<()> {
    if corpus.documents() < 2 || vocabulary.is_left_out() {
        return Ok(());
    }
    check_stop(out)?;
    let tf_idf = corpus.tf_idf();
    vocabulary.rewrite(|range, rows, filled| tf_idf.fill(range, rows, filled))
}

/// `similarity.csv` in `place` (with its header only when it has fewer than two documents, or left out), with a
/// note when the corpus has more documents than it compares.
fn similarity_table(
    similarity: Option<&Similarity>,
    place: Place,
    settings: &Settings,
    on_message: &mut dyn FnMut(Message),
) -> Result<Table<SimilarityRow>> {
    let left_out = leaves_out::<SimilarityRow>(&settings.skip_tables);
    let mut table = Table::<SimilarityRow>::create_unless(place, settings.cells, left_out)?;
    if let Some(similarity) = similarity.filter(|_| !left_out) {
        check_stop(place.path())?;
        if similarity.left_out() > 0 && similarity.compared() + similarity.left_out() >= 2 {
            on_message(Message::Note(format!(
                "similarity.csv compares the pairs of the first {} of {} documents (--document-charts all compares \
                 every pair)",
                similarity.compared(),
                similarity.compared() + similarity.left_out()
            )));
        }
        similarity.rows().iter().try_for_each(|row| table.write(row))?;
    }
    Ok(table)
}

/// The corpus rows of `ngrams.csv`, with a note when memory bounds made their counts lower bounds.
pub(super) fn corpus_ngrams<'c>(
    corpus: &'c Corpus,
    min_count: u32,
    on_message: &mut dyn FnMut(Message),
) -> impl Iterator<Item = NgramRow> + 'c {
    let undercount = corpus.ngram_undercount();
    if undercount > 0 {
        on_message(Message::Note(format!(
            "the corpus rows of ngrams.csv are lower bounds: to bound memory, rare n-grams were pruned as the counts \
             grew, so a count or a number of documents may be short by up to {undercount}, and an n-gram seen fewer \
             than {} times may have no corpus row (the documents' own rows are exact)",
            undercount.saturating_add(min_count),
        )));
    }
    corpus.ngram_rows()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{ChartOptions, Formats};

    #[test]
    fn shards_given_the_same_tables_to_leave_out_in_another_order_are_one_run() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let with = |skip: &[&str]| Options { skip_tables: names(skip), ..Options::default() };
        let list = InputList::default();
        assert_eq!(
            fingerprint(&list, &with(&["vocabulary", "arc"]), None),
            fingerprint(&list, &with(&["arc", "vocabulary"]), None)
        );
        assert_ne!(fingerprint(&list, &with(&["arc"]), None), fingerprint(&list, &with(&["arc", "vocabulary"]), None));
        // The same --reference path holding other words is another run.
        assert_ne!(fingerprint(&list, &with(&[]), Some(1)), fingerprint(&list, &with(&[]), Some(2)));
    }

    #[test]
    fn a_shards_progress_is_measured_against_its_share_of_the_corpus() {
        let dir = tempfile::tempdir().unwrap();
        let review = "The clones remember Hailsham. They do not rebel; that is the horror of it.\n";
        for i in 0..8 {
            std::fs::write(dir.path().join(format!("r{i}.txt")), review).unwrap();
        }
        let corpus = 8 * review.len() as u64;
        let totals = |shard: Option<&str>| {
            let options = Options {
                charts: ChartOptions { formats: Formats::None, ..ChartOptions::default() },
                shard: shard.map(|s| s.parse().unwrap()),
                threads: 1,
                ..Options::default()
            };
            let mut totals = Vec::new();
            let out = dir.path().join(shard.map_or("whole".to_string(), |s| s.replace('/', "-")));
            analyze(&[dir.path().to_path_buf()], &options, &out, &mut |message| {
                if let Message::Progress { total_bytes, .. } = message {
                    totals.push(total_bytes);
                }
            })
            .unwrap();
            totals
        };
        assert_eq!(totals(None), [corpus; 8]);
        // Two of eight equal files: a quarter of the bytes, the whole bar.
        assert_eq!(totals(Some("3/4")), [corpus / 4; 2]);
    }

    /// `shard.bin` as this version writes it for one review in a group, with one theme and one tone category:
    /// the magic it was written under, and its bytes in hex.
    const SHARD_LAYOUT: (&[u8; 8], &str) = (
        b"mrgshrd9",
        concat!(
            "6d7267736872643942000000000000006e16697f05302e312e3001010107020302001401010064010105737461727301",
            "0100c00ce80700016400020a70726f76656e616e63650f71756f7465645f70617373616765733002000000000000ff20",
            "b9db00067265766965770101350d0c0369747300010105717569657401010006686f72726f72020100076c696e676572",
            "73030100066d656d6f7279040200056661696c73050100047468656d06010103616e6407010102697308010103616c6c",
            "09010104746865790a010104686176650b01010c02697405717569657406686f72726f72066c696e676572066d656d6f",
            "7269046661696c047468656d03616e6402697303616c6c04746865790468617665020003868080805001848080803001",
            "838080802001000184808080b08080808004010d0106726576696577013506726576696577055554462d380a70617261",
            "6772617068734901020d0c0c0b01d200de02098aed3f00010000000000001a40017f6abc7493d8114001f0a7c64b3789",
            "dd3f01fd87f4dbd72553400001000000000000000001b515fbcbeec9dfbf01000000000000000001000000000000f03f",
            "011301023a0116fbcbeec9c31040011973d712f281214001ac8bdb6800af21400185eb51b81e85174001083d9b559fab",
            "064001295c8fc2f5a8474000012eff21fdf6955d40020d3a0613023a00029b9b0100020d06029b9b0101020101000000",
            "000100010001067265766965770135066d656d6f722a066d656d6f722a026abc7493d809984001086d656d6f72793a32",
            "0106726576696577066d656d6f722a066d656d6f722a066d656d6f727902010672657669657701350571756965740571",
            "7569657401569fabadd80988400771756965743a310101057175696574010000490001000000000000001bdf05a50105",
            "000000000000001df722c600000000009f020000000000006d72677368726439",
        ),
    );

    /// The bytes of a shard's state holding one analysed review (every part of a [`Record`] filled in), written
    /// by the real writer with a fixed version and fingerprint.
    fn shard_state_of_one_review() -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            themes: crate::lexicon::Lexicon::from_terms(&["memor*".to_string()]).unwrap(),
            tone: crate::lexicon::Lexicon::from_terms(&["quiet".to_string()]).unwrap(),
            charts: ChartOptions { formats: Formats::None, ..ChartOptions::default() },
            group_by: Some(GroupBy::Column("stars".into())),
            threads: 1,
            ..Options::default()
        };
        let sources = Sources::default();
        let analyser = Analyser::new(&options, Place::Folder(dir.path()), &sources);
        let text = "Its quiet horror lingers. Memory fails them, and memory is all they have.";
        let metadata = vec![("stars".to_string(), "5".to_string())];
        let source = crate::input::Source { metadata, ..crate::input::Source::from_text("review", text) };
        let Outcome::Analysed(analysed) = analyser.analyse((Input::Loaded(source), None)).unwrap() else {
            panic!("the review was skipped")
        };
        let settings = Settings::of(&options).unwrap();
        let header =
            Header { version: "0.1.0".into(), shard: Shard::new(1, 1).unwrap(), items: 1, fingerprint: 7, settings };
        let mut state = StateWriter::create(dir.path(), &header).unwrap();
        state.write(&Entry::Document(analysed.record)).unwrap();
        std::fs::read(state.persist(&Totals::default()).unwrap()).unwrap()
    }

    #[test]
    fn the_layout_of_shard_bin_cannot_change_without_a_new_magic() {
        let hex: String = shard_state_of_one_review().iter().map(|b| format!("{b:02x}")).collect();
        let (magic, expected) = SHARD_LAYOUT;
        if hex == expected {
            assert_eq!(magic, shard::MAGIC, "MAGIC changed but not the layout: put it back");
            return;
        }
        assert_ne!(
            magic,
            shard::MAGIC,
            "shard.bin's layout changed (a row type, DocumentCounts, GroupPart, Settings or the framing): bump MAGIC in \
             src/shard.rs so that merge refuses older states instead of misreading them, then pin the new layout"
        );
        panic!("MAGIC is new: set SHARD_LAYOUT to (MAGIC, \"{hex}\")");
    }
}
