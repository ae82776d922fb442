//! A folder walked for the files to read: recursively, in sorted order, hidden entries, pipes and devices and the
//! run's own output folder passed over.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::{InputOptions, Skipped};

pub(super) fn describe_exts(exts: &[String]) -> String {
    exts.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ")
}

/// A walk through a folder: the files found to read, the entries skipped, and notes for the user.
pub(super) struct Walk<'a> {
    opts: &'a InputOptions,
    /// The run's output folder, canonical, when it exists: passed over (see [`InputOptions::output`]).
    output: Option<PathBuf>,
    /// Folders already walked, canonical, so that a symlink loop ends.
    visited: HashSet<PathBuf>,
    pub(super) found: Vec<PathBuf>,
    pub(super) skipped: Vec<Skipped>,
    pub(super) notes: Vec<String>,
}

impl<'a> Walk<'a> {
    pub(super) fn new(opts: &'a InputOptions, output: Option<PathBuf>) -> Self {
        Walk { opts, output, visited: HashSet::new(), found: Vec::new(), skipped: Vec::new(), notes: Vec::new() }
    }

    /// Walks `dir` recursively, following links but never visiting a folder twice (so a symlink loop ends).
    /// Hidden entries (names starting with `.`) are passed over, as ripgrep and most text tools do, and so is the
    /// run's output folder when it is met below `top`, the folder named.
    pub(super) fn folder(&mut self, dir: &Path, top: bool) {
        let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(canonical.clone()) {
            return;
        }
        if !top && self.output.as_ref() == Some(&canonical) {
            self.pass_over_output(dir);
            return;
        }
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                let reason = format!("cannot list folder: {e}");
                self.skipped.push(Skipped { path: dir.display().to_string(), reason });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            }
            let wanted = has_extension(&path, &self.opts.extensions);
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.folder(&path, false),
                // Reading a FIFO waits for a writer, a device may never end: named on the command line they are
                // read (no further than a document can hold), met in a folder they are not.
                Ok(meta) if !meta.is_file() && wanted => {
                    let reason =
                        "not a regular file (a pipe, socket or device); name it on the command line to read it";
                    self.skipped.push(Skipped { path: path.display().to_string(), reason: reason.into() });
                }
                Ok(_) if wanted => self.found.push(path),
                Ok(_) => {}
                Err(e) if wanted => {
                    let reason = format!("cannot read: {e}");
                    self.skipped.push(Skipped { path: path.display().to_string(), reason });
                }
                Err(_) => {}
            }
        }
    }

    /// Leaves the output folder out of the input. A note says so when that leaves out a file the walk would have
    /// read; with none (the default `--ext txt,md` beside tables and charts) nothing changes, and nothing is said.
    fn pass_over_output(&mut self, dir: &Path) {
        let mut inside = Walk::new(self.opts, None);
        inside.folder(dir, true);
        let files = inside.found.len() + inside.skipped.len();
        if files > 0 {
            let exts = describe_exts(&self.opts.extensions);
            let (s, are) = if files == 1 { ("", "is") } else { ("s", "are") };
            self.notes.push(format!(
                "{}: not read: it is this run's output folder (--out); its {files} file{s} ending in {exts} {are} \
                 not analysed (name them on the command line to analyse them)",
                dir.display()
            ));
        }
    }
}

fn has_extension(path: &Path, exts: &[String]) -> bool {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).is_some_and(|e| exts.contains(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::collect;

    #[test]
    fn the_output_folder_is_passed_over_when_walking() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("review.txt"), "x").unwrap();
        fs::create_dir_all(dir.path().join("results/charts")).unwrap();
        fs::write(dir.path().join("results/documents.csv"), "document\nreview\n").unwrap();
        fs::write(dir.path().join("results/sentences.csv"), "text\nx\n").unwrap();
        let exts = vec!["txt".to_string(), "csv".to_string()];
        let opts =
            |output: Option<PathBuf>| InputOptions { extensions: exts.clone(), output, ..InputOptions::default() };
        // Without --out (other commands), everything is read.
        assert_eq!(collect(&[dir.path().to_path_buf()], &opts(None)).unwrap().files.len(), 3);
        // With it, named any way, the output folder is passed over, with one note.
        let out = dir.path().join("results/charts/..");
        let list = collect(&[dir.path().to_path_buf()], &opts(Some(out))).unwrap();
        assert_eq!(list.files.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["review"]);
        assert_eq!(list.notes.len(), 1, "{:?}", list.notes);
        assert!(list.notes[0].contains("results: not read: it is this run's output folder (--out); its 2 files"));
        // Silently when nothing there would have been read; and a folder named is read even if it is the output.
        let txt = InputOptions { output: Some(dir.path().join("results")), ..InputOptions::default() };
        assert!(collect(&[dir.path().to_path_buf()], &txt).unwrap().notes.is_empty());
        let results = [dir.path().join("results")];
        assert_eq!(collect(&results, &opts(Some(results[0].clone()))).unwrap().files.len(), 2);
    }
}
