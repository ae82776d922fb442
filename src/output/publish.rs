//! Publishing a run: every file it wrote hidden (its tables, a shard's state) and its charts' staging folder moved
//! to their names in one step, so that an output folder never mixes two runs' results.
//!
//! Everything that can fail before a name changes is done first, for every file at once: each target is checked
//! (a folder where a table goes, a file where `charts/` goes), each file is made durable (synced to the disk) and
//! readable (0644), and the folder the old charts are moved aside into is made. Only then are the files renamed,
//! one after another. A rename can still fail (the disk, or someone putting a folder in the way since the check):
//! the error then names every file that is new and every one that is still the earlier run's.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempDir};

use crate::error::{Error, Result};

use super::interrupt::{publishing, while_running};

/// A run's results, hidden in its output folder, waiting to be moved into place together by [`Publication::publish`].
/// Dropped unpublished, it removes them.
pub struct Publication {
    dir: PathBuf,
    steps: Vec<Step>,
    /// Each table's file name and rows, in the order staged, for the run's manifest.
    rows: Vec<(String, u64)>,
}

/// One change a publication makes to the output folder, in the order given.
enum Step {
    /// A finished temporary file and the name it takes.
    File { tmp: NamedTempFile, target: PathBuf },
    /// A staging folder and the folder it replaces (`charts/`).
    Folder { staging: TempDir, target: PathBuf },
    /// An earlier run's file that does not go with the new ones (a shard's state), removed before any new file
    /// appears.
    Remove { target: PathBuf },
}

impl Step {
    fn target(&self) -> &Path {
        match self {
            Step::File { target, .. } | Step::Folder { target, .. } | Step::Remove { target } => target,
        }
    }

    /// The target as the messages name it: `keyness.csv`, `charts/`, `shard.bin (removed)`.
    fn name(&self) -> String {
        let target = self.target();
        let name = target.file_name().map_or_else(|| target.display().to_string(), |n| n.to_string_lossy().into());
        match self {
            Step::File { .. } => name,
            Step::Folder { .. } => format!("{name}/"),
            Step::Remove { .. } => format!("{name} (removed)"),
        }
    }
}

/// What the disk does for a publication; a test stands in a disk that fails.
pub(super) trait Disk {
    /// Makes a file's bytes durable.
    fn sync(&mut self, file: &File) -> io::Result<()>;
    /// Renames `from` to `to`, replacing a file (or an empty folder, for a folder) there.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
}

/// The real disk.
struct Real;

impl Disk for Real {
    fn sync(&mut self, file: &File) -> io::Result<()> {
        file.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }
}

impl Publication {
    /// An empty publication into the output folder `dir`.
    pub fn new(dir: &Path) -> Self {
        Publication { dir: dir.to_path_buf(), steps: Vec::new(), rows: Vec::new() }
    }

    /// The output folder it publishes into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Notes that the table `file` (`vocabulary.csv`) has `rows` rows (besides its header).
    pub fn count_rows(&mut self, file: &str, rows: u64) {
        self.rows.push((file.to_string(), rows));
    }

    /// Each table's file name and rows, in the order staged.
    pub fn row_counts(&self) -> &[(String, u64)] {
        &self.rows
    }

    /// Adds a finished hidden file (flushed: its bytes written), which takes the name `target` in `dir`.
    pub fn file(&mut self, tmp: NamedTempFile, target: PathBuf) {
        self.steps.push(Step::File { tmp, target });
    }

    /// Adds a staging folder, which replaces the folder `target` (and whatever is in it).
    pub fn folder(&mut self, staging: TempDir, target: PathBuf) {
        self.steps.push(Step::Folder { staging, target });
    }

    /// Adds an earlier run's file to remove before any new file appears (a missing one is not an error).
    pub fn remove(&mut self, target: PathBuf) {
        self.steps.push(Step::Remove { target });
    }

    /// Where the file that will take the name `name` in the output folder is waiting (hidden), if one was added:
    /// for the report, which reads the tables before they are published.
    pub fn staged(&self, name: &str) -> Option<PathBuf> {
        self.steps.iter().rev().find_map(|step| match step {
            Step::File { tmp, target } if target.file_name().is_some_and(|n| n == name) => {
                Some(tmp.path().to_path_buf())
            }
            _ => None,
        })
    }

    /// The name and size of each file added so far, in order: what a shard's state records of its tables.
    pub fn file_sizes(&self) -> Result<Vec<(String, u64)>> {
        let mut sizes = Vec::new();
        for step in &self.steps {
            if let Step::File { tmp, target } = step {
                let size = tmp.as_file().metadata().map_err(|source| output_error(target, source))?.len();
                sizes.push((step.name(), size));
            }
        }
        Ok(sizes)
    }

    /// Moves every file and folder into place, in the order added; returns the files' new paths. Fails before
    /// anything is replaced if a target is in the way or a file cannot be made durable, and says so; a rename that
    /// fails after others succeeded says which files are new and which are still the earlier run's.
    pub fn publish(self) -> Result<Vec<PathBuf>> {
        self.publish_on(&mut Real)
    }

    pub(super) fn publish_on(self, disk: &mut dyn Disk) -> Result<Vec<PathBuf>> {
        let Publication { dir, steps, .. } = self;
        for step in &steps {
            check(step)?;
        }
        let aside = make_durable(&dir, &steps, disk)?;
        let published = publishing(&dir, || rename_all(&dir, steps, aside, disk))?;
        sync_folder(&dir);
        Ok(published)
    }
}

/// Fails if something that is not the run's to replace is where `step` goes: a folder where a file goes, a file
/// where a folder goes. Nothing has changed yet, and the message says so.
fn check(step: &Step) -> Result<()> {
    let target = step.target();
    let found = match std::fs::symlink_metadata(target) {
        Ok(found) => found,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(unchanged(target, source)),
    };
    let in_the_way = match step {
        Step::File { .. } | Step::Remove { .. } if found.is_dir() => "a folder is where this file goes",
        Step::Folder { .. } if !found.is_dir() && !found.is_symlink() => "a file is where this folder goes",
        _ => return Ok(()),
    };
    let source = io::Error::new(io::ErrorKind::AlreadyExists, format!("{in_the_way}: move it away or rename it"));
    Err(unchanged(target, source))
}

/// Syncs and opens up every file, and makes the folders the old charts are moved aside into: all that can fail
/// before a rename. Returns those folders, one per step (`None` where there is nothing to move aside).
fn make_durable(dir: &Path, steps: &[Step], disk: &mut dyn Disk) -> Result<Vec<Option<TempDir>>> {
    let mut aside = Vec::with_capacity(steps.len());
    for step in steps {
        let mut made = None;
        match step {
            Step::File { tmp, target } => {
                disk.sync(tmp.as_file()).map_err(|source| unchanged(target, source))?;
                readable(tmp.as_file()).map_err(|source| unchanged(target, source))?;
            }
            Step::Folder { target, .. } if std::fs::symlink_metadata(target).is_ok() => {
                // An empty folder the old one is renamed over; it and they are removed when it is dropped.
                let folder =
                    while_running(|| tempfile::Builder::new().prefix(".marginalia-charts-old-").tempdir_in(dir));
                made = Some(folder.map_err(|source| unchanged(target, source))?);
            }
            Step::Folder { .. } | Step::Remove { .. } => {}
        }
        aside.push(made);
    }
    Ok(aside)
}

/// Makes a file as readable as any the user writes: temporary files are private (0600).
fn readable(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// Renames every step's file or folder into place, in order; returns the files' new paths.
fn rename_all(dir: &Path, steps: Vec<Step>, aside: Vec<Option<TempDir>>, disk: &mut dyn Disk) -> Result<Vec<PathBuf>> {
    let names: Vec<String> = steps.iter().map(Step::name).collect();
    let mut published = Vec::new();
    for (done, (step, aside)) in steps.into_iter().zip(aside).enumerate() {
        let target = step.target().to_path_buf();
        let renamed = match step {
            Step::File { tmp, target } => rename_file(tmp, &target, disk).map(|()| published.push(target)),
            Step::Folder { staging, target } => rename_folder(staging, &target, aside.as_ref(), disk),
            Step::Remove { target } => match std::fs::remove_file(&target) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
        };
        if let Err(source) = renamed {
            return Err(if done == 0 {
                unchanged(&target, source)
            } else {
                mixed(dir, &target, source, &names[..done], &names[done..])
            });
        }
    }
    Ok(published)
}

/// Renames a hidden file to `target`.
fn rename_file(tmp: NamedTempFile, target: &Path, disk: &mut dyn Disk) -> io::Result<()> {
    disk.rename(tmp.path(), target)?;
    // Renamed: there is no temporary file left to remove.
    let _ = tmp.into_temp_path().keep();
    Ok(())
}

/// Renames a staging folder to `target`, the folder there first moved into `aside` (an empty folder); if the
/// staging folder cannot follow, the old one is put back.
fn rename_folder(staging: TempDir, target: &Path, aside: Option<&TempDir>, disk: &mut dyn Disk) -> io::Result<()> {
    if let Some(aside) = aside {
        disk.rename(target, aside.path())?;
    }
    if let Err(e) = disk.rename(staging.path(), target) {
        if let Some(aside) = aside {
            let _ = disk.rename(aside.path(), target);
        }
        return Err(e);
    }
    let _ = staging.keep();
    Ok(())
}

/// Makes the renames durable, where a folder can be synced; they have all been made, so a failure changes nothing.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn output_error(path: &Path, source: io::Error) -> Error {
    Error::Output { path: path.to_path_buf(), source }
}

/// A failure before any rename: nothing in the folder has changed.
fn unchanged(target: &Path, source: io::Error) -> Error {
    let message = format!("{source}; nothing was replaced, the earlier results are as they were");
    output_error(target, io::Error::new(source.kind(), message))
}

/// A rename failed after the renames of `new`: the folder holds those beside the earlier run's `old`.
fn mixed(dir: &Path, target: &Path, source: io::Error, new: &[String], old: &[String]) -> Error {
    let message = format!(
        "could not be moved into place: {source}; {} now holds this run's {} beside the earlier run's {} (where \
         it had them): run again to replace them all",
        dir.display(),
        new.join(", "),
        old.join(", ")
    );
    output_error(target, io::Error::new(source.kind(), message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{charts_staging, hidden_temporary};
    use std::io::Write;

    /// A disk that fails the `sync`-th sync or the `rename`-th rename (counted from 1).
    #[derive(Default)]
    struct Failing {
        sync: Option<usize>,
        rename: Option<usize>,
        syncs: usize,
        renames: usize,
    }

    impl Disk for Failing {
        fn sync(&mut self, file: &File) -> io::Result<()> {
            self.syncs += 1;
            if self.sync == Some(self.syncs) { Err(io::Error::other("injected I/O error")) } else { file.sync_all() }
        }

        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            self.renames += 1;
            if self.rename == Some(self.renames) {
                Err(io::Error::other("injected rename failure"))
            } else {
                std::fs::rename(from, to)
            }
        }
    }

    const TABLES: [&str; 6] = ["documents.csv", "vocabulary.csv", "ngrams.csv", "quotes.csv", "tone.csv", "arc.csv"];

    /// An output folder holding an earlier run's tables and charts.
    fn earlier_run() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for table in TABLES {
            std::fs::write(dir.path().join(table), "old").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("charts/review")).unwrap();
        std::fs::write(dir.path().join("charts/review/themes.png"), "old").unwrap();
        dir
    }

    /// A publication of new tables and charts into `dir`.
    fn new_run(dir: &Path) -> Publication {
        let mut publication = Publication::new(dir);
        for table in TABLES {
            let mut tmp = hidden_temporary(dir).unwrap();
            tmp.write_all(b"new").unwrap();
            publication.file(tmp, dir.join(table));
        }
        let staging = charts_staging(dir).unwrap();
        std::fs::create_dir(staging.path().join("review")).unwrap();
        std::fs::write(staging.path().join("review/themes.png"), "new").unwrap();
        publication.folder(staging, dir.join("charts"));
        publication
    }

    /// Which run each table and the charts are from (`old` or `new`), and the hidden files left.
    fn state(dir: &Path) -> (Vec<String>, String, Vec<String>) {
        let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_else(|e| e.to_string());
        let tables = TABLES.iter().map(|table| read(dir.join(table))).collect();
        let hidden = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with('.'))
            .collect();
        (tables, read(dir.join("charts/review/themes.png")), hidden)
    }

    fn all(run: &str) -> Vec<String> {
        vec![run.to_string(); TABLES.len()]
    }

    #[test]
    fn a_run_is_published_whole_and_leaves_nothing_hidden() {
        let dir = earlier_run();
        let published = new_run(dir.path()).publish().unwrap();
        assert_eq!(published, TABLES.map(|table| dir.path().join(table)));
        assert_eq!(state(dir.path()), (all("new"), "new".into(), vec![]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("arc.csv")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn a_file_that_cannot_be_made_durable_replaces_nothing() {
        for nth in 1..=TABLES.len() {
            let dir = earlier_run();
            let mut disk = Failing { sync: Some(nth), ..Failing::default() };
            let err = new_run(dir.path()).publish_on(&mut disk).unwrap_err().to_string();
            assert!(err.contains(TABLES[nth - 1]) && err.contains("injected I/O error"), "{err}");
            assert!(err.contains("nothing was replaced, the earlier results are as they were"), "{err}");
            assert_eq!(disk.renames, 0, "a file was renamed before every file was durable");
            assert_eq!(state(dir.path()), (all("old"), "old".into(), vec![]), "sync {nth} failed");
        }
    }

    #[test]
    fn a_folder_where_a_table_goes_or_a_file_where_charts_go_is_found_before_any_rename() {
        let dir = earlier_run();
        std::fs::remove_file(dir.path().join("tone.csv")).unwrap();
        std::fs::create_dir(dir.path().join("tone.csv")).unwrap();
        let err = new_run(dir.path()).publish().unwrap_err().to_string();
        assert!(err.contains("tone.csv") && err.contains("a folder is where this file goes"), "{err}");
        assert!(err.contains("nothing was replaced"), "{err}");
        let (tables, charts, hidden) = state(dir.path());
        assert_eq!(tables.iter().filter(|t| *t == "old").count(), TABLES.len() - 1, "{tables:?}");
        assert_eq!((charts.as_str(), hidden), ("old", vec![]));

        let dir = earlier_run();
        std::fs::remove_dir_all(dir.path().join("charts")).unwrap();
        std::fs::write(dir.path().join("charts"), "the user's").unwrap();
        let err = new_run(dir.path()).publish().unwrap_err().to_string();
        assert!(err.contains("charts") && err.contains("a file is where this folder goes"), "{err}");
        assert_eq!(state(dir.path()).0, all("old"));
        assert_eq!(std::fs::read_to_string(dir.path().join("charts")).unwrap(), "the user's");
    }

    #[test]
    fn a_rename_that_fails_part_way_names_the_new_files_and_the_old() {
        let dir = earlier_run();
        let mut disk = Failing { rename: Some(3), ..Failing::default() };
        let err = new_run(dir.path()).publish_on(&mut disk).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}: ", dir.path().join("ngrams.csv").display())), "{err}");
        assert!(err.contains("injected rename failure"), "{err}");
        assert!(err.contains("this run's documents.csv, vocabulary.csv beside"), "{err}");
        assert!(err.contains("the earlier run's ngrams.csv, quotes.csv, tone.csv, arc.csv, charts/"), "{err}");
        let (tables, charts, hidden) = state(dir.path());
        assert_eq!(tables, ["new", "new", "old", "old", "old", "old"]);
        assert_eq!((charts.as_str(), hidden), ("old", vec![]));
    }

    #[test]
    fn charts_that_cannot_follow_the_old_ones_aside_are_put_back() {
        let dir = earlier_run();
        // Six tables, the old charts aside, then the new charts: the eighth rename fails.
        let mut disk = Failing { rename: Some(8), ..Failing::default() };
        let err = new_run(dir.path()).publish_on(&mut disk).unwrap_err().to_string();
        assert!(err.contains("the earlier run's charts/"), "{err}");
        assert_eq!(state(dir.path()), (all("new"), "old".into(), vec![]));
    }

    #[test]
    fn an_earlier_state_goes_before_the_new_tables_and_a_folder_in_its_place_is_refused() {
        let dir = earlier_run();
        std::fs::write(dir.path().join("shard.bin"), "an earlier shard's").unwrap();
        let mut publication = Publication::new(dir.path());
        publication.remove(dir.path().join("shard.bin"));
        let mut tmp = hidden_temporary(dir.path()).unwrap();
        tmp.write_all(b"new").unwrap();
        publication.file(tmp, dir.path().join("documents.csv"));
        // The table cannot be renamed: the state is gone all the same, and the message says so.
        let err = publication.publish_on(&mut Failing { rename: Some(1), ..Failing::default() }).unwrap_err();
        assert!(err.to_string().contains("this run's shard.bin (removed) beside the earlier run's documents.csv"));
        assert!(!dir.path().join("shard.bin").exists());

        std::fs::create_dir(dir.path().join("shard.bin")).unwrap();
        let mut publication = new_run(dir.path());
        publication.remove(dir.path().join("shard.bin"));
        let err = publication.publish().unwrap_err().to_string();
        assert!(err.contains("shard.bin") && err.contains("nothing was replaced"), "{err}");
        assert_eq!(state(dir.path()).0, all("old"));
    }
}
