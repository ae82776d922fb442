//! `--valence-override FILE`: changes to VADER's lexicon, read from a file: `word<TAB>valence` gives a word
//! another valence (or adds it), a word alone takes it out; VADER's rules apply to the result as to its own.

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::input::read_list_with_resource;

use super::MAX_VALENCE;
use super::vader::{self, Overrides};

/// Reads an override file ([`parse_overrides`]).
pub fn read_overrides(path: &Path) -> Result<Overrides> {
    let (text, source) = read_list_with_resource(path, "valence overrides")?;
    Ok(parse_overrides(&text, path)?.with_source(source))
}

/// Parses an override file's text; `path` names it in errors. One change a line: `word<TAB>valence` (further
/// tab-separated columns, as in VADER's own lexicon file, are ignored), or a word alone (or with an empty
/// valence) to take it out of the lexicon; `#` starts a comment. Refused, naming the line: a valence that is not a
/// number or is outside ±[`MAX_VALENCE`], a word with a space in it (VADER's words never have one: a slip for a
/// tab), taking out a word VADER's lexicon does not have, a word given twice, and a file with no change at all.
pub fn parse_overrides(text: &str, path: &Path) -> Result<Overrides> {
    let mut changes: Vec<(String, Option<f64>)> = Vec::new();
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let error = |message: String| Error::Lexicon { path: path.to_path_buf(), line: i + 1, column: None, message };
        let mut fields = line.split('\t');
        let word = fields.next().unwrap_or("").trim();
        let written = fields.next().map_or("", str::trim);
        if word.is_empty() {
            return Err(error("the word before the tab is empty".to_string()));
        }
        if word.contains(char::is_whitespace) {
            return Err(error(format!(
                "'{word}' has a space in it: VADER's words never do (separate the word and its valence with a tab)"
            )));
        }
        let key = vader::lexicon_key(word);
        let valence = if written.is_empty() {
            if vader::lexicon_valence(&key).is_none() {
                return Err(error(format!(
                    "'{word}' is not in VADER's lexicon, so there is nothing to take out (check the spelling, or give \
                     it a valence: {word}<TAB>-1.5)"
                )));
            }
            None
        } else {
            let value = written.parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| {
                error(format!(
                    "'{written}' is not a number (write the valence as e.g. -1.5 or 2, or nothing to take the word out)"
                ))
            })?;
            if value.abs() > MAX_VALENCE {
                return Err(error(format!(
                    "valence {written} is outside -{MAX_VALENCE} to {MAX_VALENCE} (VADER's are -4 to 4): correct the line"
                )));
            }
            Some(value)
        };
        if let Some(&earlier) = seen.get(&key) {
            return Err(error(format!("'{word}' is already changed on line {earlier}: keep one of the two lines")));
        }
        seen.insert(key.clone(), i + 1);
        changes.push((key, valence));
    }
    if changes.is_empty() {
        let message = "no changes: the file is empty or only comments (write one word<TAB>valence per line, or a \
                       word alone to take it out of VADER's lexicon, e.g. miss<TAB>0)";
        return Err(Error::Lexicon { path: path.to_path_buf(), line: 1, column: None, message: message.into() });
    }
    Ok(Overrides::new(changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Overrides> {
        parse_overrides(text, Path::new("o.tsv"))
    }

    #[test]
    fn changes_are_keyed_as_vader_looks_words_up() {
        let o = parse("# mine\nQuiet\t2.0\nmiss\nIsn’t\t-1\t0.5\t[-1]\nlovely\t\n").unwrap();
        let changes = o.changes();
        assert_eq!(changes[0], ("quiet".to_string(), Some(2.0)));
        assert_eq!(changes[1], ("miss".to_string(), None));
        assert_eq!(changes[2], ("isn't".to_string(), Some(-1.0)));
        assert_eq!(changes[3], ("lovely".to_string(), None));
    }

    #[test]
    fn bad_lines_name_the_file_the_line_and_the_remedy() {
        let cases = [
            ("quiet\t2\nlaid -2\n", "o.tsv:2: 'laid -2' has a space", "separate the word and its valence with a tab"),
            ("quiet\ttrès\n", "o.tsv:1: 'très' is not a number", "nothing to take the word out"),
            ("quiet\t11\n", "o.tsv:1: valence 11 is outside -10 to 10", "correct the line"),
            ("\n\nzzyzx\n", "o.tsv:3: 'zzyzx' is not in VADER's lexicon", "check the spelling"),
            ("miss\t0\nMiss\t1\n", "o.tsv:2: 'Miss' is already changed on line 1", "keep one"),
            ("\t2\n", "o.tsv:1: the word before the tab is empty", ""),
            ("# nothing\n", "o.tsv:1: no changes", "miss<TAB>0"),
        ];
        for (text, start, remedy) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.starts_with(start) && err.contains(remedy), "{text:?}: {err}");
        }
    }
}
