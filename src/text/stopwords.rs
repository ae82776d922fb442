//! Stopword lists: the embedded NLTK list for a language, a user's file, or none. Stopwords are flagged in the
//! tables, never dropped.

use std::fs;
use std::path::Path;

use rustc_hash::FxHashSet;

use crate::error::{Error, Result};
use crate::text::language::Language;
use crate::text::normalize::normalize;

/// A set of normalised stopwords.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    words: FxHashSet<String>,
}

impl Stopwords {
    /// The embedded list for `lang` (NLTK's, which keeps content words such as "never", "home" and "nothing" out).
    pub fn embedded(lang: Language) -> Stopwords {
        // The embedded lists are checked by a unit test, so parsing cannot fail here; fall back to none regardless.
        Stopwords::parse(lang.stopword_list(), Path::new(lang.name())).unwrap_or_default()
    }

    /// No stopwords at all (`--stopwords none`).
    pub fn none() -> Stopwords {
        Stopwords::default()
    }

    /// Reads a list from a file: one word per line, blank lines and lines starting with `#` ignored.
    pub fn from_file(path: &Path) -> Result<Stopwords> {
        let bytes = fs::read(path).map_err(|e| Error::Read { path: path.to_path_buf(), source: e })?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Lexicon {
            path: path.to_path_buf(),
            line: line_of_byte(e.as_bytes(), e.utf8_error().valid_up_to()),
            column: None,
            message: "not valid UTF-8 (save the word list as UTF-8)".to_string(),
        })?;
        Stopwords::parse(&text, path)
    }

    /// Parses a list's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Stopwords> {
        let mut words = FxHashSet::default();
        for (i, line) in text.lines().enumerate() {
            let word = line.trim();
            if word.is_empty() || word.starts_with('#') {
                continue;
            }
            if word.split_whitespace().nth(1).is_some() {
                return Err(Error::Lexicon {
                    path: path.to_path_buf(),
                    line: i + 1,
                    column: None,
                    message: format!("expected one word per line, found '{word}' (put each word on its own line)"),
                });
            }
            words.insert(normalize(word));
        }
        Ok(Stopwords { words })
    }

    /// True if the normalised form `norm` is a stopword.
    pub fn contains(&self, norm: &str) -> bool {
        self.words.contains(norm)
    }

    /// How many words the list holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True for an empty list.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The 1-based line holding byte `offset`.
fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
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
    fn user_words_are_normalised() {
        let sw = Stopwords::parse("Can’t\n", Path::new("x")).unwrap();
        assert!(sw.contains("can't"));
    }
}
