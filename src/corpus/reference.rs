//! A keyness reference (`--reference PATH`): a reference corpus (a folder or file, analysed as one text by the
//! run's pipeline) or a word list with counts, against which each document and group is compared instead of the
//! rest of the corpus.
//!
//! Keyness is by stem, so a word list's words are normalised and stemmed as documents' words are, and the counts
//! of the words that share a stem are added up. Two formats are read, told apart by their first line that is not
//! blank:
//! - `word<TAB>count` lines (quanteda's or a spreadsheet's export); the reference's size is the sum of the counts;
//! - AntConc's exported word list: a header of `#Word Types: N`, `#Word Tokens: N` (and `#Search Hits: N`), then
//!   `rank<TAB>freq<TAB>word` lines; the size is `#Word Tokens`, which counts the words a cut list leaves out.
//!
//! Any other file is a text (or a table of texts) of the reference corpus.

use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::{self, InputOptions, read_list_file};
use crate::text::{Pipeline, PipelineOptions, Stopwords, normalize};

/// A reference's words, by stem, as keyness needs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Where it was read from, as given.
    pub path: PathBuf,
    /// Its size in words.
    pub tokens: u64,
    /// Its stems, most frequent first (ties alphabetically).
    pub stems: Vec<ReferenceStem>,
}

/// One stem of a [`Reference`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceStem {
    /// The Snowball stem.
    pub stem: Box<str>,
    /// Its most frequent normalised form in the reference (ties: the form seen first).
    pub term: Box<str>,
    /// Its count in the reference.
    pub count: u64,
    /// Whether its term is a stopword (for `--keyness-no-stopwords`).
    pub stopword: bool,
}

/// Word counts as they are read: per normalised form, its count and the order it was first seen in.
#[derive(Default)]
struct Tally {
    forms: FxHashMap<String, (u64, usize)>,
    tokens: u64,
}

impl Tally {
    fn add(&mut self, norm: &str, count: u64) {
        let seen = self.forms.len();
        self.forms.entry(norm.to_string()).or_insert((0, seen)).0 += count;
        self.tokens += count;
    }
}

impl Reference {
    /// Reads `path`: a word list if it is a file whose first line says so, else a reference corpus analysed
    /// with `pipeline`, read as the run's inputs are (`input`).
    pub fn read(path: &Path, input: &InputOptions, options: &PipelineOptions) -> Result<Reference> {
        let pipeline = Pipeline::new(options.clone());
        let tally = match WordList::sniff(path)? {
            Some(format) => format.read(&read_list_file(path)?, path)?,
            None => corpus_tally(path, input, &pipeline)?,
        };
        if tally.forms.is_empty() {
            return Err(Error::Usage(format!("--reference {}: holds no words to compare with", path.display())));
        }
        Ok(Reference::of(path, tally, &pipeline, &options.stopwords))
    }

    /// The stems of `tally`'s forms, most frequent first.
    fn of(path: &Path, tally: Tally, pipeline: &Pipeline, stopwords: &Stopwords) -> Reference {
        let mut forms: Vec<(String, (u64, usize))> = tally.forms.into_iter().collect();
        forms.sort_by_key(|(_, (_, seen))| *seen);
        // Per stem: its count, and its best form (count, order seen, form).
        let mut stems: FxHashMap<String, (u64, (u64, usize, String))> = FxHashMap::default();
        for (norm, (count, seen)) in forms {
            let entry = stems.entry(pipeline.stem(&norm)).or_insert((0, (0, seen, String::new())));
            entry.0 += count;
            if count > entry.1.0 {
                entry.1 = (count, seen, norm);
            }
        }
        let mut stems: Vec<ReferenceStem> = stems
            .into_iter()
            .map(|(stem, (count, (_, _, term)))| ReferenceStem {
                stopword: stopwords.contains(&term),
                stem: stem.into(),
                term: term.into(),
                count,
            })
            .collect();
        stems.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.stem.cmp(&b.stem)));
        Reference { path: path.to_path_buf(), tokens: tally.tokens, stems }
    }

    /// A hash of its words and counts, for a shard's fingerprint: shards of different references are not merged.
    pub fn identity(&self) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        self.tokens.hash(&mut hasher);
        for s in &self.stems {
            (&s.stem, &s.term, s.count, s.stopword).hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// Every document of the reference corpus at `path` added up as one text.
fn corpus_tally(path: &Path, input: &InputOptions, pipeline: &Pipeline) -> Result<Tally> {
    let list = input::collect(&[path.to_path_buf()], input)?;
    if let Some(skipped) = list.skipped.first() {
        return Err(reference_skipped(&skipped.path, &skipped.reason));
    }
    let mut tally = Tally::default();
    for document in input::documents(list, input) {
        let source = document.load(input).map_err(|s| reference_skipped(&s.path, &s.reason))?;
        let doc = pipeline.document(source);
        for form in &doc.forms {
            tally.add(&form.norm, u64::from(form.count));
        }
    }
    Ok(tally)
}

/// A reference the run cannot read whole: comparing with part of it would give other figures, so it stops.
fn reference_skipped(path: &str, reason: &str) -> Error {
    Error::Usage(format!("--reference: {path}: {reason}; a reference corpus must be read whole"))
}

/// How much of a file is read to tell a word list from a text: enough for AntConc's header and a first line.
const SNIFF_BYTES: usize = 64 * 1024;

/// The word list formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordList {
    /// `word<TAB>count`.
    Counts,
    /// AntConc's export: `#Word Types:` … header, then `rank<TAB>freq<TAB>word`.
    AntConc,
}

impl WordList {
    /// The format of the file at `path`, from its first bytes (a reference text in any encoding is only glanced
    /// at here); `None` for a folder or a text.
    fn sniff(path: &Path) -> Result<Option<WordList>> {
        if !path.is_file() {
            return Ok(None);
        }
        let cannot_read = |source| Error::Read { path: path.to_path_buf(), source };
        let mut start = Vec::with_capacity(SNIFF_BYTES);
        let file = std::fs::File::open(path).map_err(cannot_read)?;
        file.take(SNIFF_BYTES as u64).read_to_end(&mut start).map_err(cannot_read)?;
        Ok(WordList::detect(&String::from_utf8_lossy(&start)))
    }

    /// The format a file's first line that is not blank shows, or `None` for a text.
    fn detect(text: &str) -> Option<WordList> {
        let first = text.lines().map(|l| l.trim_start_matches('\u{feff}').trim()).find(|l| !l.is_empty())?;
        let fields: Vec<&str> = first.split('\t').collect();
        let number = |s: &str| s.trim().parse::<u64>().is_ok();
        let header = first.starts_with("#Word Types:") || first.starts_with("#Word Tokens:");
        if header || (fields.len() == 3 && number(fields[0]) && number(fields[1])) {
            Some(WordList::AntConc)
        } else if fields.len() == 2 && number(fields[1]) {
            Some(WordList::Counts)
        } else {
            None
        }
    }

    /// The counts of the list `text`, read from `path`: a line that does not fit the format is an error naming
    /// the file and the line.
    fn read(self, text: &str, path: &Path) -> Result<Tally> {
        let mut tally = Tally::default();
        let mut declared = None;
        let bad =
            |line: usize, message: String| Error::Lexicon { path: path.to_path_buf(), line, column: None, message };
        for (i, line) in text.lines().enumerate() {
            let line = if i == 0 { line.trim_start_matches('\u{feff}') } else { line }.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            if let Some(header) = line.strip_prefix('#').filter(|_| self == WordList::AntConc) {
                if let Some(n) = header.strip_prefix("Word Tokens:") {
                    let n = n.trim().parse::<u64>().map_err(|_| bad(i + 1, format!("'{line}' has no number")))?;
                    declared = Some(n);
                }
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let (word, count) = match (self, fields.as_slice()) {
                (WordList::Counts, [word, count]) => (*word, *count),
                (WordList::AntConc, [rank, count, word]) if rank.trim().parse::<u64>().is_ok() => (*word, *count),
                _ => {
                    let want = match self {
                        WordList::Counts => "a word, a tab and its count (the list's first line has that form)",
                        WordList::AntConc => "a rank, a tab, a count, a tab and a word (AntConc's word list)",
                    };
                    return Err(bad(i + 1, format!("'{line}' is not {want}")));
                }
            };
            let count = count.trim().parse::<u64>().map_err(|_| bad(i + 1, format!("'{count}' is not a count")))?;
            if word.trim().is_empty() {
                return Err(bad(i + 1, "the word is empty".into()));
            }
            tally.add(&normalize(word.trim()), count);
        }
        if let Some(n) = declared {
            if n < tally.tokens {
                let message = format!("#Word Tokens: {n} is fewer than the {} the list counts", tally.tokens);
                return Err(bad(1, message));
            }
            tally.tokens = n;
        }
        Ok(tally)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> Result<Reference> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.txt");
        std::fs::write(&path, text).unwrap();
        Reference::read(&path, &InputOptions::default(), &PipelineOptions::default())
    }

    #[test]
    fn word_lists_are_stemmed_and_added_up_by_stem() {
        let r = list("Memory\t3\nmemories\t4\nthe\t10\n").unwrap();
        let stems: Vec<(&str, &str, u64, bool)> =
            r.stems.iter().map(|s| (&*s.stem, &*s.term, s.count, s.stopword)).collect();
        assert_eq!(stems, [("the", "the", 10, true), ("memori", "memories", 7, false)]);
        assert_eq!(r.tokens, 17);
    }

    #[test]
    fn antconc_lists_take_their_size_from_the_header() {
        let r = list("#Word Types: 3\n#Word Tokens: 100\n#Search Hits: 0\n1\t10\tthe\n2\t4\tmemories\n").unwrap();
        assert_eq!((r.tokens, r.stems.len(), r.stems[1].count), (100, 2, 4));
        let error = list("#Word Types: 1\n#Word Tokens: 3\n1\t10\tthe\n").unwrap_err().to_string();
        assert!(error.contains("#Word Tokens: 3 is fewer than the 10"), "{error}");
    }

    #[test]
    fn a_bad_line_is_an_error_naming_the_file_and_line() {
        let error = list("memory\t3\nthe\tmany\n").unwrap_err().to_string();
        assert!(error.contains("list.txt:2") && error.contains("'many' is not a count"), "{error}");
        let error = list("memory\t3\n\nthe 10\n").unwrap_err().to_string();
        assert!(error.contains("list.txt:3") && error.contains("'the 10' is not a word, a tab"), "{error}");
        let error = list("#Word Types: 2\n1\t3\tmemory\n2\tthe\n").unwrap_err().to_string();
        assert!(error.contains("list.txt:3") && error.contains("AntConc"), "{error}");
    }

    #[test]
    fn a_reference_text_in_a_legacy_encoding_is_read_as_the_inputs_are() {
        // "Mémoire" in windows-1252: not UTF-8, so not a word list, and decoded as an input would be.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.txt");
        std::fs::write(&path, b"M\xe9moire, m\xe9moire. The past.\n").unwrap();
        let r = Reference::read(&path, &InputOptions::default(), &PipelineOptions::default()).unwrap();
        assert_eq!((r.tokens, &*r.stems[0].term, r.stems[0].count), (4, "mémoire", 2));
    }

    #[test]
    fn any_other_file_is_a_text_analysed_as_documents_are() {
        let r = list("Memory fails. Memories fade, and the memory stays.").unwrap();
        assert_eq!(r.tokens, 8);
        assert_eq!((&*r.stems[0].stem, &*r.stems[0].term, r.stems[0].count), ("memori", "memory", 3));
    }
}
