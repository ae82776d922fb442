//! The languages marginalia can stem, each with its Snowball stemmer and its embedded stopword list.

use std::fmt;

use rust_stemmers::Algorithm;

use crate::error::{Error, Result};

/// A language with a Snowball stemmer (`rust-stemmers`) and an embedded NLTK stopword list.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    name: &'static str,
    code: &'static str,
    algorithm: Algorithm,
    stopwords: &'static str,
}

macro_rules! languages {
    ($($name:literal, $code:literal, $alg:ident;)*) => {
        /// Every supported language, in alphabetical order.
        pub const ALL: &[Language] = &[$(Language {
            name: $name,
            code: $code,
            algorithm: Algorithm::$alg,
            stopwords: include_str!(concat!("../../data/stopwords/", $name, ".txt")),
        }),*];
    };
}

languages! {
    "arabic", "ar", Arabic;
    "danish", "da", Danish;
    "dutch", "nl", Dutch;
    "english", "en", English;
    "finnish", "fi", Finnish;
    "french", "fr", French;
    "german", "de", German;
    "greek", "el", Greek;
    "hungarian", "hu", Hungarian;
    "italian", "it", Italian;
    "norwegian", "no", Norwegian;
    "portuguese", "pt", Portuguese;
    "romanian", "ro", Romanian;
    "russian", "ru", Russian;
    "spanish", "es", Spanish;
    "swedish", "sv", Swedish;
    "tamil", "ta", Tamil;
    "turkish", "tr", Turkish;
}

/// French elided articles, pronouns and conjunctions (`l'amour`, `qu'il`, `jusqu'à`), without their apostrophe.
/// Words like `aujourd'hui` and `quelqu'un` are not elisions of a separate word, and stay whole.
const FRENCH_ELISIONS: &[&str] = &["c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"];
/// Italian elided articles, prepositions and adjectives (`l'anima`, `dell'amore`, `un'altra`, `c'è`).
const ITALIAN_ELISIONS: &[&str] = &[
    "l", "d", "c", "m", "t", "s", "v", "n", "gl", "un", "dell", "dall", "nell", "sull", "all", "coll", "quell",
    "quest", "bell", "sant", "nessun", "buon", "com", "dov", "cos", "anch",
];

impl Language {
    /// The elided words that stand before an apostrophe and are split off as words of their own (`l'` in
    /// `l'amour`): French and Italian; none for other languages.
    pub fn elisions(&self) -> &'static [&'static str] {
        match self.name {
            "french" => FRENCH_ELISIONS,
            "italian" => ITALIAN_ELISIONS,
            _ => &[],
        }
    }

    /// English, the default.
    pub fn english() -> Language {
        ALL[3]
    }

    /// Finds a language by English name (`french`) or ISO 639-1 code (`fr`), case-insensitively.
    pub fn parse(s: &str) -> Result<Language> {
        let s = s.trim().to_lowercase();
        ALL.iter().copied().find(|l| l.name == s || l.code == s).ok_or_else(|| {
            let names: Vec<&str> = ALL.iter().map(|l| l.name).collect();
            Error::Usage(format!("unknown language '{s}' (choose one of: {})", names.join(", ")))
        })
    }

    /// The language's English name, lowercase (`english`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// True for English: the only language with a syllable counter (Flesch reading ease) and with VADER.
    pub fn is_english(&self) -> bool {
        self.algorithm == Algorithm::English
    }

    /// The Snowball algorithm for this language.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The embedded stopword list, one word per line with `#` comments.
    pub fn stopword_list(&self) -> &'static str {
        self.stopwords
    }
}

/// Languages are the same when their codes are: comparing the whole struct would compare the stopword lists, and
/// the word table compares languages whenever a document of another pipeline takes it.
impl PartialEq for Language {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Language {}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_codes() {
        assert_eq!(Language::parse("French").unwrap().name(), "french");
        assert_eq!(Language::parse("de").unwrap().name(), "german");
        assert_eq!(Language::english().name(), "english");
        assert!(Language::english().is_english());
        assert!(Language::parse("klingon").is_err());
    }

    #[test]
    fn every_language_has_a_stopword_list() {
        assert_eq!(ALL.len(), 18);
        for lang in ALL {
            assert!(lang.stopword_list().lines().filter(|l| !l.starts_with('#')).count() > 20, "{lang}");
        }
    }
}
