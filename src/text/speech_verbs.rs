//! Speech verbs: the words that tag a quotation with its speaker (`said Emma`, `she answered`, `répondit-il`,
//! `sagte sie`). English, French and German lists are embedded (`data/speech_verbs/`); other languages have none
//! unless `--speech-verbs FILE` gives one. Like stopwords, they are flagged on each form of a document.

use std::path::Path;

use rustc_hash::FxHashSet;

use crate::error::Result;
use crate::input::read_list_with_resource;
use crate::resource::{Resource, speech_verbs_meta};
use crate::text::language::Language;
use crate::text::stopwords::{BlankLines, word_set};

/// A set of normalised speech verbs, in every form a tag uses (`say`, `says`, `said`, `saying`).
#[derive(Debug, Clone, Default)]
pub struct SpeechVerbs {
    words: FxHashSet<String>,
    /// The file it was read from, for the run's manifest; `None` for no list, or one parsed from text.
    source: Option<Resource>,
}

/// The embedded list of `lang`, or an empty text for a language without one.
fn embedded_list(lang: Language) -> &'static str {
    match lang.name() {
        "english" => include_str!("../../data/speech_verbs/english.txt"),
        "french" => include_str!("../../data/speech_verbs/french.txt"),
        "german" => include_str!("../../data/speech_verbs/german.txt"),
        _ => "",
    }
}

impl SpeechVerbs {
    /// The embedded list for `lang` (English, French, German), or none for another language.
    pub fn embedded(lang: Language) -> SpeechVerbs {
        // The embedded lists are checked by a unit test, so parsing cannot fail here; fall back to none regardless.
        let list = embedded_list(lang);
        let words = SpeechVerbs::parse(list, Path::new(lang.name())).unwrap_or_default();
        let file = format!("speech_verbs/{}.txt", lang.name());
        let source = Resource::embedded("speech verbs", &file, list.as_bytes(), speech_verbs_meta(lang.name()));
        SpeechVerbs { source: (!list.is_empty()).then_some(source), ..words }
    }

    /// Reads a list from a file: one word per line, lines starting with `#` passed over. A blank line or a line of
    /// two words is an error naming the line.
    pub fn from_file(path: &Path) -> Result<SpeechVerbs> {
        let (text, source) = read_list_with_resource(path, "speech verbs")?;
        Ok(SpeechVerbs { source: Some(source), ..SpeechVerbs::parse(&text, path)? })
    }

    /// Parses a list's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<SpeechVerbs> {
        Ok(SpeechVerbs { words: word_set(text, path, BlankLines::Refused)?, source: None })
    }

    /// The file it was read from (or the embedded list), as the run's manifest lists it.
    pub fn source(&self) -> Option<&Resource> {
        self.source.as_ref()
    }

    /// Whether the two lists hold the same words (wherever they were read from).
    pub(crate) fn same_words(&self, other: &Self) -> bool {
        self.words == other.words
    }

    /// True if the normalised form `norm` is a speech verb.
    pub fn contains(&self, norm: &str) -> bool {
        self.words.contains(norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::language::ALL;

    #[test]
    fn every_embedded_list_parses_and_three_languages_have_one() {
        for lang in ALL {
            SpeechVerbs::parse(embedded_list(*lang), Path::new(lang.name())).unwrap();
        }
        for (lang, verbs) in [
            ("en", ["said", "rejoined", "interposed"]),
            ("fr", ["dit", "répondit", "demanda"]),
            ("de", ["sagte", "fragte", "antwortete"]),
        ] {
            let list = SpeechVerbs::embedded(Language::parse(lang).unwrap());
            assert!(verbs.iter().all(|v| list.contains(v)), "{lang}");
        }
        assert!(!SpeechVerbs::embedded(Language::english()).contains("the"));
    }

    #[test]
    fn a_blank_line_or_two_words_on_a_line_is_an_error_naming_the_line() {
        let err = SpeechVerbs::parse("# mine\nsaid\n\nasked\n", Path::new("verbs.txt")).unwrap_err();
        assert_eq!(err.to_string(), "verbs.txt:3: an empty line (write one word on each line, with no blank lines)");
        let err = SpeechVerbs::parse("said\nwent on\n", Path::new("verbs.txt")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "verbs.txt:2: expected one word per line, found 'went on' (put each word on its own line)"
        );
    }
}
