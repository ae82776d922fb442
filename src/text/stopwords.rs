//! Stopword lists: the embedded NLTK list for a language, a user's file, or none. Stopwords are flagged in the
//! tables, never dropped.

use std::path::Path;

use rustc_hash::FxHashSet;

use crate::error::{Error, Result};
use crate::input::read_list_with_resource;
use crate::resource::{Resource, stopwords_meta};
use crate::text::language::Language;
use crate::text::normalize::normalize;

/// A set of normalised stopwords.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    words: FxHashSet<String>,
    /// The file it was read from, for the run's manifest; `None` for no list, or one parsed from text.
    source: Option<Resource>,
}

impl Stopwords {
    /// The embedded list for `lang` (NLTK's, which keeps content words such as "never", "home" and "nothing" out).
    pub fn embedded(lang: Language) -> Stopwords {
        // The embedded lists are checked by a unit test, so parsing cannot fail here; fall back to none regardless.
        let list = lang.stopword_list();
        let source = Resource::embedded(
            "stopwords",
            &format!("stopwords/{}.txt", lang.name()),
            list.as_bytes(),
            stopwords_meta(lang.name()),
        );
        let words = Stopwords::parse(list, Path::new(lang.name())).unwrap_or_default();
        Stopwords { source: Some(source), ..words }
    }

    /// No stopwords at all (`--stopwords none`).
    pub fn none() -> Stopwords {
        Stopwords::default()
    }

    /// Reads a list from a file: one word per line, blank lines and lines starting with `#` ignored.
    pub fn from_file(path: &Path) -> Result<Stopwords> {
        let (text, source) = read_list_with_resource(path, "stopwords")?;
        Ok(Stopwords { source: Some(source), ..Stopwords::parse(&text, path)? })
    }

    /// Parses a list's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Stopwords> {
        Ok(Stopwords { words: word_set(text, path, BlankLines::Skipped)?, source: None })
    }

    /// The file it was read from (or the embedded list), as the run's manifest lists it.
    pub fn source(&self) -> Option<&Resource> {
        self.source.as_ref()
    }

    /// Whether the two lists hold the same words (wherever they were read from).
    pub(crate) fn same_words(&self, other: &Self) -> bool {
        self.words == other.words
    }

    /// True if the normalised form `norm` is a stopword.
    pub fn contains(&self, norm: &str) -> bool {
        self.words.contains(norm)
    }
}

/// Whether a word list may have blank lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlankLines {
    /// Passed over (stopword lists, which people write with gaps).
    Skipped,
    /// An error naming the line (lists where a blank line is more likely a mistake than a gap).
    Refused,
}

/// The normalised words of a one-word-per-line list (`#` comment lines passed over); `path` names it in errors,
/// which give the line of a line holding two words (or, when refused, none).
pub(crate) fn word_set(text: &str, path: &Path, blank: BlankLines) -> Result<FxHashSet<String>> {
    let mut words = FxHashSet::default();
    for (i, line) in text.lines().enumerate() {
        let word = line.trim();
        let error = |message: String| Error::Lexicon { path: path.to_path_buf(), line: i + 1, column: None, message };
        if word.is_empty() && blank == BlankLines::Refused {
            return Err(error("an empty line (write one word on each line, with no blank lines)".to_string()));
        }
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if word.split_whitespace().nth(1).is_some() {
            return Err(error(format!("expected one word per line, found '{word}' (put each word on its own line)")));
        }
        words.insert(normalize(word));
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::language::ALL;

    #[test]
    fn english_list_suits_literary_work() {
        let sw = Stopwords::embedded(Language::english());
        for w in ["the", "and", "she", "don't", "isn't"] {
            assert!(sw.contains(w), "{w} should be a stopword");
        }
        // The ISO list's mistakes: these words carry meaning in a review.
        for w in ["never", "home", "nothing", "memory"] {
            assert!(!sw.contains(w), "{w} must not be a stopword");
        }
    }

    #[test]
    fn every_embedded_list_parses() {
        for lang in ALL {
            Stopwords::parse(lang.stopword_list(), Path::new(lang.name())).unwrap();
        }
    }

    #[test]
    fn malformed_line_is_reported_with_its_number() {
        let err = Stopwords::parse("# mine\nthe\nof the\n", Path::new("mine.txt")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.txt:3: expected one word per line, found 'of the' (put each word on its own line)"
        );
    }

    #[test]
    fn a_bom_does_not_hide_the_first_word() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.txt");
        std::fs::write(&path, "\u{feff}never\nhome\n").unwrap();
        let sw = Stopwords::from_file(&path).unwrap();
        assert!(sw.contains("never") && sw.contains("home"));
        std::fs::write(&path, b"never\nh\xF4me\n").unwrap();
        let err = Stopwords::from_file(&path).unwrap_err().to_string();
        assert!(err.ends_with("bom.txt:2:2: not valid UTF-8 (save the file as UTF-8)"), "{err}");
    }

    #[test]
    fn user_words_are_normalised() {
        let sw = Stopwords::parse("Can’t\n", Path::new("x")).unwrap();
        assert!(sw.contains("can't"));
    }
}
