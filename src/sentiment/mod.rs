//! Sentence sentiment: VADER for English ([`vader`], a faithful port of vaderSentiment 3.3.2), or a user's
//! valence lexicon for any language.
//!
//! ```
//! use marginalia::sentiment::vader;
//! let s = vader::polarity_scores("Kathy’s voice is never bitter, never angry.");
//! assert_eq!((s.compound, s.positive, s.neutral, s.negative), (0.0187, 0.243, 0.521, 0.236));
//! ```

pub mod literary;
mod overrides;
pub mod vader;

pub use overrides::{parse_overrides, read_overrides};

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::input::read_list_with_resource;
use crate::resource::Resource;
use crate::text::normalize;

/// A word → valence table read from a file: one `word<TAB>valence` per line (further tab-separated columns, as in
/// VADER's own lexicon file, are ignored; `#` starts a comment). Valences are within ±[`MAX_VALENCE`], and a file
/// has at least one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValenceLexicon {
    valences: FxHashMap<String, f64>,
    /// The file it was read from, for the run's manifest; `None` for one parsed from text.
    source: Option<Resource>,
}

/// The largest valence (in absolute value) a valence file may give. VADER's valences are within ±4 and AFINN's
/// (a list often used in this very format) within ±5; ±10 leaves room for any rating scale up to ten, while a
/// value past it is no valence on any published scale but a slip (a frequency column, a misplaced decimal point).
/// It also keeps the sums finite: `1e308` twice overflowed to infinity, and VADER's `s / √(s² + 15)` made NaN of
/// it; at ±10 a sentence's sum stays below 10 × 2³² (a document's most words), far from overflowing.
pub const MAX_VALENCE: f64 = 10.0;

impl ValenceLexicon {
    /// Reads a valence file.
    pub fn from_file(path: &Path) -> Result<ValenceLexicon> {
        let (text, source) = read_list_with_resource(path, "sentiment")?;
        Ok(ValenceLexicon { source: Some(source), ..ValenceLexicon::parse(&text, path)? })
    }

    /// The file it was read from, as the run's manifest lists it.
    pub fn source(&self) -> Option<&Resource> {
        self.source.as_ref()
    }

    /// Parses a valence file's text; `path` names it in errors: a line that is not `word<TAB>valence`, a valence
    /// that is not a number or is outside ±[`MAX_VALENCE`], and a file with no valence at all (empty, or only
    /// comments: every sentence would score 0, silently).
    pub fn parse(text: &str, path: &Path) -> Result<ValenceLexicon> {
        let mut valences = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let error =
                |message: String| Error::Lexicon { path: path.to_path_buf(), line: i + 1, column: None, message };
            let mut fields = line.split('\t');
            let word = fields.next().unwrap_or("").trim();
            let written = fields.next().map(str::trim).ok_or_else(|| {
                error(format!("expected word<TAB>valence, found '{line}' (separate the two with a tab)"))
            })?;
            let value: f64 =
                written.parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| {
                    error(format!("'{written}' is not a number (write the valence as e.g. -1.5 or 2)"))
                })?;
            if value.abs() > MAX_VALENCE {
                return Err(error(format!(
                    "valence {written} is outside -{MAX_VALENCE} to {MAX_VALENCE} (VADER's are -4 to 4, AFINN's -5 \
                     to 5): rescale the list, or correct the line"
                )));
            }
            if word.is_empty() {
                return Err(error("the word before the tab is empty".to_string()));
            }
            valences.insert(normalize(word), value);
        }
        if valences.is_empty() {
            let message = "no valences: the file is empty or only comments (write one word<TAB>valence per line, \
                           e.g. beau<TAB>2.1)";
            return Err(Error::Lexicon { path: path.to_path_buf(), line: 1, column: None, message: message.into() });
        }
        Ok(ValenceLexicon { valences, source: None })
    }

    /// The valence of a normalised word, if listed.
    pub fn get(&self, norm: &str) -> Option<f64> {
        self.valences.get(norm).copied()
    }
}

/// How VADER is changed from plain vaderSentiment 3.3.2 (`--valence-override`, `--sentiment vader-literary`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VaderSettings {
    /// A critic's changes to the lexicon.
    pub overrides: Option<vader::Overrides>,
    /// The literary preset: titles before a name and the words of multi-word proper names are neutral
    /// ([`literary::name_words`]).
    pub literary: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valence_files_are_read_and_errors_name_the_line() {
        let lex =
            ValenceLexicon::parse("# mine\nbeau\t2.1\nTriste\t-1.8\t0.4\t[-2, -2]\n", Path::new("v.tsv")).unwrap();
        assert_eq!((lex.get("beau"), lex.get("triste"), lex.get("mine")), (Some(2.1), Some(-1.8), None));
        let err = ValenceLexicon::parse("beau\t2\nlaid -2\n", Path::new("v.tsv")).unwrap_err().to_string();
        assert_eq!(err, "v.tsv:2: expected word<TAB>valence, found 'laid -2' (separate the two with a tab)");
        let err = ValenceLexicon::parse("beau\ttrès\n", Path::new("v.tsv")).unwrap_err().to_string();
        assert!(err.starts_with("v.tsv:1: 'très' is not a number"), "{err}");
    }

    #[test]
    fn valences_past_ten_are_refused_with_their_line() {
        for value in ["1e308", "-1e308", "10.01", "-11", "1e3"] {
            let err = ValenceLexicon::parse(&format!("beau\t2\nlaid\t{value}\n"), Path::new("v.tsv"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(&format!("v.tsv:2: valence {value} is outside -10 to 10")), "{err}");
            assert!(err.contains("rescale the list"), "{err}");
        }
        let lex = ValenceLexicon::parse("a\t10\nb\t-10\nc\t-5\nd\t4\n", Path::new("v.tsv")).unwrap();
        assert_eq!((lex.get("a"), lex.get("b")), (Some(10.0), Some(-10.0)));
        // At the edge the sums stay finite: a sentence of a thousand tens scores 1, not NaN.
        let s = vader::score_valence(&[MAX_VALENCE; 1000], "!!!!");
        assert_eq!(s.compound, 1.0);
    }

    #[test]
    fn a_valence_file_without_valences_is_an_error() {
        for text in ["", "\n\n", "# word<TAB>valence\n  \n# nothing yet\n"] {
            let err = ValenceLexicon::parse(text, Path::new("v.tsv")).unwrap_err().to_string();
            assert!(err.starts_with("v.tsv:1: no valences: the file is empty or only comments"), "{err}");
            assert!(err.contains("word<TAB>valence"), "{err}");
        }
    }

    #[test]
    fn plain_valences_score_with_vaders_arithmetic() {
        // One word of valence 2 among four: sum 2 → 2/√19 = 0.4588; pos (2+1)=3, neu 3 → 0.5, 0.5.
        let s = vader::score_valence(&[2.0, 0.0, 0.0, 0.0], "");
        assert_eq!((s.compound, s.positive, s.neutral, s.negative), (0.4588, 0.5, 0.5, 0.0));
        // One "!" adds 0.292 to the sum: 2.292/√(2.292² + 15) = 0.5093.
        assert_eq!(vader::score_valence(&[2.0, 0.0, 0.0, 0.0], "!").compound, 0.5093);
    }
}
