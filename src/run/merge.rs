//! `marginalia merge`: the folders of every shard of one run combined into what one run would have written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::analysis::ngrams::DocumentNgrams;
use crate::error::{Error, Result};
use crate::html::Report;
use crate::manifest::{Inputs, Manifest};
use crate::output::{Place, charts_staging, check_stop, into_output};
use crate::shard;

use super::analyze::{Gathered, Staged, finish_run};
use super::document::Record;
use super::settings::Settings;
use super::tables::Tables;
use super::{Message, Summary};

/// `marginalia merge`: combines the folders of every shard of one run (`analyze --shard K/N`, K from 1 to N, in
/// any order) into `out`, which then holds exactly what one run over the whole corpus writes: the shards' rows in
/// input order, their charts, and the corpus-level tables and heatmap recomputed from their counts. The shards'
/// folders are checked before anything is written; if the merge fails, the folders it created are removed.
/// `command` is the command line, for the merged manifest, which lists the shards' inputs in order and their
/// first shard's options and lexicons.
pub fn merge(dirs: &[PathBuf], out: &Path, command: &[String], on_message: &mut dyn FnMut(Message)) -> Result<Summary> {
    let shards = shard::open_all::<Settings>(dirs)?;
    let folder = resolved(out).map_err(|source| Error::Output { path: out.to_path_buf(), source })?;
    check_out(&shards, out, &folder)?;
    shards[0].header.settings.register_font()?;
    // Every shard's manifest is read before anything is written.
    let manifests = shards.iter().map(|s| Manifest::read(&s.dir)).collect::<Result<Vec<_>>>()?;
    into_output(out, || merge_into(&shards, &manifests, out, command, on_message))
}

/// `path` made absolute, with symbolic links and `..` resolved by the file system as far as it exists, and `..`
/// taken off by name beyond: where the folder is, or would be once created.
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    let mut existing = std::path::absolute(path)?;
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().map_or_else(|| "..".into(), |name| name.to_os_string()));
        if !existing.pop() {
            break;
        }
    }
    let mut folder = existing.canonicalize()?;
    for part in rest.iter().rev() {
        if part == ".." {
            folder.pop();
        } else {
            folder.push(part);
        }
    }
    Ok(folder)
}

/// Refuses an output folder (`folder`, [`resolved`]) inside a shard's folder, whose tables are read as the merged
/// ones are written, and a shard inside the output's `charts/`, which the merge replaces.
fn check_out(shards: &[shard::ShardFolder<Settings>], out: &Path, folder: &Path) -> Result<()> {
    for shard in shards {
        let shard_folder =
            shard.dir.canonicalize().map_err(|source| Error::Read { path: shard.dir.clone(), source })?;
        let message = if folder.starts_with(&shard_folder) {
            format!("holds the output folder {}: merge into a folder apart from every shard's", out.display())
        } else if shard_folder.starts_with(folder.join("charts")) {
            format!("is inside {}, whose charts/ the merge replaces: merge into another folder", out.display())
        } else {
            continue;
        };
        return Err(Error::Shard { path: shard.dir.clone(), message });
    }
    Ok(())
}

/// Writes the merge of `shards` (checked, in order) into `out`.
fn merge_into(
    shards: &[shard::ShardFolder<Settings>],
    manifests: &[Manifest],
    out: &Path,
    command: &[String],
    on_message: &mut dyn FnMut(Message),
) -> Result<Summary> {
    let settings = &shards[0].header.settings;
    let mut tables = Tables::create(Place::Folder(out), settings.cells, &settings.skip_tables)?;
    let mut gathered = Gathered::new(settings, Place::Folder(out))?;
    let staging = charts_staging(out)?;
    let mut summary = Summary::default();
    let mut inputs = Inputs::default();
    // The shards' tables are copied on one thread while their documents' counts are read on others (see
    // `read_states`): a merge runs after its shards, when nothing else holds the machine.
    let failed = AtomicBool::new(false);
    summary.charts = std::thread::scope(|scope| {
        let copying = scope.spawn(|| copy_tables(shards, manifests, (&mut tables, staging.path()), out, &failed));
        let read =
            read_states(shards, manifests, &mut gathered, (&mut summary, &mut inputs), (out, &failed), on_message);
        let copied = copying.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        read.and(copied)
    })?;
    if summary.skipped > 0 {
        on_message(Message::Note(format!(
            "the shards skipped {} input(s), named in their own messages; the merged tables leave them out, as one \
             run would",
            summary.skipped
        )));
    }
    if summary.documents == 0 {
        return Err(Error::NothingReadable);
    }
    // Every shard read the same --source files: they are listed once, after the documents' files, as one run lists them.
    let sources = manifests
        .first()
        .map_or(Vec::new(), |m| m.inputs.iter().filter(|f| is_source(manifests, f)).cloned().collect());
    let files = inputs.finish()?.into_iter().chain(sources).collect();
    let manifest = merged(manifests, command, files, summary.skipped);
    // The shards' --report, as their manifest records it (a shard of an older version: the default).
    let report = match manifest.options.get("report").and_then(|r| r.as_str()) {
        Some("none") => Report::None,
        _ => Report::Html,
    };
    finish_run(summary, gathered, Staged { tables, staging, manifest }, (settings, report), out, on_message)
}

/// Appends every shard's tables to `tables` and copies its charts into `staging`, returning how many; stops
/// early once `failed` says the other half of the merge failed.
fn copy_tables(
    shards: &[shard::ShardFolder<Settings>],
    manifests: &[Manifest],
    (tables, staging): (&mut Tables, &Path),
    out: &Path,
    failed: &AtomicBool,
) -> Result<usize> {
    let mut charts = 0;
    for (shard, manifest) in shards.iter().zip(manifests) {
        if failed.load(Ordering::Relaxed) {
            break;
        }
        let mut copy = || -> Result<()> {
            check_stop(out)?;
            tables.append_shard(&shard.dir, &|file| manifest.tables.get(file).copied().unwrap_or(0))?;
            if shard.header.settings.drawing() {
                charts += shard::copy_files(&shard.dir.join("charts"), staging)?;
            }
            Ok(())
        };
        // A failure here stops the other half too.
        copy().inspect_err(|_| failed.store(true, Ordering::Relaxed))?;
    }
    Ok(charts)
}

/// How many documents' records wait between the merge's threads: enough to even out documents of different sizes.
const IN_FLIGHT: usize = 16;

/// Reads every shard's state into `gathered`, counting its documents in `summary` and its inputs in `inputs`;
/// fails if a state does not hold what its shard listed. Stops early once `failed` says the other half of the
/// merge failed (its error is the one reported).
///
/// Three threads share the work, in a pipeline that keeps the documents in run order: one decodes the states, this
/// one adds each document to the corpus counts, one adds its n-grams.
fn read_states(
    shards: &[shard::ShardFolder<Settings>],
    manifests: &[Manifest],
    gathered: &mut Gathered,
    (summary, inputs): (&mut Summary, &mut Inputs),
    (out, failed): (&Path, &AtomicBool),
    on_message: &mut dyn FnMut(Message),
) -> Result<()> {
    for (shard, manifest) in shards.iter().zip(manifests) {
        inputs.extend(manifest.inputs.iter().filter(|file| !is_source(manifests, file)).cloned().collect());
        summary.skipped += shard.totals.skipped;
    }
    let mut counter = gathered.corpus.take_ngrams();
    let (to_add, records) = sync_channel(IN_FLIGHT);
    let (to_count, counted) = sync_channel::<(DocumentNgrams, Vec<u32>)>(IN_FLIGHT);
    let added = std::thread::scope(|scope| {
        let decoding = scope.spawn(|| decode_states(shards, to_add, (out, failed)));
        let counting = scope.spawn(move || {
            counted.into_iter().for_each(|(ngrams, ids)| counter.add(&ngrams, &ids));
            counter
        });
        let added = add_records(records, gathered, summary, to_count, on_message);
        // A thread that panicked stops the merge with its own panic, not with what was added before it.
        decoding.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let counter = counting.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        added.map(|()| gathered.corpus.put_ngrams(counter))
    });
    if added.is_err() {
        failed.store(true, Ordering::Relaxed);
    }
    added
}

/// Adds each record `records` brings to `gathered` and `summary`, in order, and sends its n-grams `to_count`;
/// returns the first error it brings, or meets adding them (the keyness file cannot be written). Stops early if
/// the n-grams are no longer taken: the counter panicked, which joining it reports.
fn add_records(
    records: Receiver<Result<Record>>,
    gathered: &mut Gathered,
    summary: &mut Summary,
    to_count: SyncSender<(DocumentNgrams, Vec<u32>)>,
    on_message: &mut dyn FnMut(Message),
) -> Result<()> {
    for record in records {
        let record = record?;
        summary.add_document(record.bytes);
        if to_count.send(gathered.add_apart(record)?).is_err() {
            break;
        }
        on_message(Message::Progress { documents: summary.documents, bytes: summary.bytes, total_bytes: 0 });
    }
    Ok(())
}

/// Decodes every shard's state in order, sending each record, checked, `to_add`, or the first error, after which it
/// stops. Stops early too once `failed` says the copying failed, or once the records are no longer taken (the
/// adding failed): the error is theirs.
fn decode_states(
    shards: &[shard::ShardFolder<Settings>],
    to_add: SyncSender<Result<Record>>,
    (out, failed): (&Path, &AtomicBool),
) {
    if let Err(error) = decode_into(shards, &to_add, (out, failed)) {
        // The copying stops at once.
        failed.store(true, Ordering::Relaxed);
        // Not taken only if the adding failed or panicked first: its error is the one reported.
        let _ = to_add.send(Err(error));
    }
}

/// [`decode_states`] but the error, which it returns.
fn decode_into(
    shards: &[shard::ShardFolder<Settings>],
    to_add: &SyncSender<Result<Record>>,
    (out, failed): (&Path, &AtomicBool),
) -> Result<()> {
    for shard in shards {
        if failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        check_stop(out)?;
        let (opened, mut state) = shard::ShardFolder::<Settings>::open(&shard.dir)?;
        let damaged = |what: &str| Error::Shard {
            path: shard.dir.join(shard::STATE_FILE),
            message: format!("is damaged: {what}; run that shard again"),
        };
        if (&opened.header, &opened.totals) != (&shard.header, &shard.totals) {
            return Err(damaged("it changed while the merge was reading it"));
        }
        let (mut documents, mut bytes) = (0, 0);
        while let Some(record) = state.next_record::<Record>()? {
            check_stop(out)?;
            if !record.counts.fits() {
                return Err(damaged("a document's counts refer to words it does not list"));
            }
            (documents, bytes) = (documents + 1, bytes + record.bytes);
            if to_add.send(Ok(record)).is_err() {
                return Ok(());
            }
        }
        if (documents, bytes) != (shard.totals.documents, shard.totals.bytes) {
            return Err(damaged("it does not hold the documents it lists"));
        }
    }
    Ok(())
}

/// Whether `file`, an input of a shard, is one of the run's `--source` files, or in one of its folders (the
/// `source` option of the shards' manifests, which is the same in every one).
fn is_source(manifests: &[Manifest], file: &crate::input::InputDigest) -> bool {
    let sources = manifests.first().and_then(|m| m.options.get("source")).and_then(|s| s.as_array());
    let path = Path::new(&file.path);
    sources.is_some_and(|list| list.iter().filter_map(|s| s.as_str()).any(|source| path.starts_with(source)))
}

/// The manifest of a merge of shards with `manifests` (in order, at least one): started when its first shard did,
/// with the first's options (but no `shard`) and lexicons, which every shard shares (merge checked their options).
fn merged(
    manifests: &[Manifest],
    command: &[String],
    inputs: Vec<crate::input::InputDigest>,
    skipped: usize,
) -> Manifest {
    let started = manifests.iter().map(|m| m.started.clone()).min().unwrap_or_default();
    let (options, lexicons) = manifests.first().map(|m| (m.options.clone(), m.lexicons.clone())).unwrap_or_default();
    let mut options = options;
    if let Some(shard) = options.get_mut("shard") {
        *shard = serde_json::Value::Null;
    }
    Manifest {
        marginalia: env!("CARGO_PKG_VERSION").to_string(),
        command: command.to_vec(),
        started,
        finished: String::new(),
        options,
        inputs,
        skipped,
        lexicons,
        tables: Default::default(),
    }
}
