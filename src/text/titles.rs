//! Titles a name is written with (`Mr.`, `Lady`, `Captain`, with or without their full stop) and the gender they
//! show: read by the quotation tags (`said Mr. John Knightley`) and by the characters of a text.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// Gender shown by titles or pronouns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Gender {
    /// Shown by `Mrs.`, `Miss`, `Lady`…, a female given name, or `she`/`her` after the mentions.
    Female,
    /// Shown by `Mr.`, `Sir`, `Captain`…, a male given name, or `he`/`his` after the mentions.
    Male,
    /// Nothing shows it.
    #[default]
    Unknown,
}

impl Gender {
    /// True unless the two are known and differ.
    pub fn compatible(self, other: Gender) -> bool {
        self == Gender::Unknown || other == Gender::Unknown || self == other
    }
}

impl Gender {
    /// `female`, `male`, or empty when unknown: the `gender` column of `characters.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Unknown => "",
        }
    }
}

impl std::fmt::Display for Gender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Titles: normalised form, the canonical form it is counted as, and the gender it shows. Military and noble
/// titles are male in the fiction this reads.
pub const TITLES: &[(&str, &str, Gender)] = &[
    ("mr", "mr", Gender::Male),
    ("mister", "mr", Gender::Male),
    ("mrs", "mrs", Gender::Female),
    ("missus", "mrs", Gender::Female),
    ("miss", "miss", Gender::Female),
    ("ms", "ms", Gender::Female),
    ("dr", "dr", Gender::Unknown),
    ("doctor", "dr", Gender::Unknown),
    ("professor", "professor", Gender::Unknown),
    ("prof", "professor", Gender::Unknown),
    ("rev", "rev", Gender::Unknown),
    ("reverend", "rev", Gender::Unknown),
    ("sir", "sir", Gender::Male),
    ("lord", "lord", Gender::Male),
    ("lady", "lady", Gender::Female),
    ("dame", "dame", Gender::Female),
    ("madame", "madame", Gender::Female),
    ("mme", "madame", Gender::Female),
    ("madam", "madame", Gender::Female),
    ("mademoiselle", "mademoiselle", Gender::Female),
    ("mlle", "mademoiselle", Gender::Female),
    ("monsieur", "monsieur", Gender::Male),
    ("signor", "signor", Gender::Male),
    ("signora", "signora", Gender::Female),
    ("herr", "herr", Gender::Male),
    ("frau", "frau", Gender::Female),
    ("captain", "captain", Gender::Male),
    ("colonel", "colonel", Gender::Male),
    ("admiral", "admiral", Gender::Male),
    ("general", "general", Gender::Male),
    ("major", "major", Gender::Male),
    ("lieutenant", "lieutenant", Gender::Male),
    ("sergeant", "sergeant", Gender::Male),
    ("inspector", "inspector", Gender::Unknown),
    ("uncle", "uncle", Gender::Male),
    ("aunt", "aunt", Gender::Female),
    ("master", "master", Gender::Male),
    ("mistress", "mistress", Gender::Female),
    ("father", "father", Gender::Male),
    ("mother", "mother", Gender::Female),
    ("brother", "brother", Gender::Male),
    ("sister", "sister", Gender::Female),
    ("count", "count", Gender::Male),
    ("countess", "countess", Gender::Female),
    ("baron", "baron", Gender::Male),
    ("baroness", "baroness", Gender::Female),
    ("duke", "duke", Gender::Male),
    ("duchess", "duchess", Gender::Female),
    ("prince", "prince", Gender::Male),
    ("princess", "princess", Gender::Female),
    ("king", "king", Gender::Male),
    ("queen", "queen", Gender::Female),
    ("capt", "captain", Gender::Male),
    ("col", "colonel", Gender::Male),
    ("st", "st", Gender::Unknown),
    ("fräulein", "fräulein", Gender::Female),
];

/// The plain titles, canonical: any man or unmarried woman has them. Others (`Mrs.`, `Lady`, `Admiral`) tell of a
/// marriage or a rank, so a full name never written with them (a daughter's, a nephew's) is someone else.
const PLAIN: &[&str] = &["mr", "miss", "ms", "master", "monsieur", "mademoiselle"];

/// Each title's canonical index in [`TITLES`], by its normalised form. The characters of a text ask it of every
/// capitalised word, and the quotation tags of many more: one hash probe, where scanning the list compared the word
/// with each of its titles.
static CANONICAL: LazyLock<FxHashMap<&str, u8>> = LazyLock::new(|| {
    const { assert!(TITLES.len() <= 256, "a title's index is a u8") };
    let mut canonical = FxHashMap::default();
    for &(form, of, _) in TITLES {
        if let Some(at) = TITLES.iter().position(|t| t.0 == of) {
            canonical.entry(form).or_insert(at as u8);
        }
    }
    canonical
});

/// The canonical index in [`TITLES`] of a normalised title.
pub fn title_of(norm: &str) -> Option<u8> {
    CANONICAL.get(norm).copied()
}

/// The gender a title (a canonical index in [`TITLES`]) shows.
pub fn title_gender(title: Option<u8>) -> Gender {
    title.and_then(|t| TITLES.get(t as usize)).map_or(Gender::Unknown, |t| t.2)
}

/// True for a plain title (a canonical index in [`TITLES`]): `Mr.`, `Miss`, `Master`…, which any man or unmarried
/// woman has (`Mrs.`, `Lady` or a rank tell of a marriage or a rank).
pub fn is_plain(title: u8) -> bool {
    TITLES.get(title as usize).is_some_and(|t| PLAIN.contains(&t.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_counted_as_its_canonical_form_whatever_it_is_written_as() {
        let index = |form: &str| TITLES.iter().position(|t| t.0 == form).map(|i| i as u8);
        assert_eq!(title_of("mister"), index("mr"));
        assert_eq!(title_of("mr"), index("mr"));
        assert_eq!(title_of("capt"), index("captain"));
        assert_eq!(title_gender(title_of("mrs")), Gender::Female);
        assert!(is_plain(title_of("miss").unwrap()));
        for word in ["emma", "", "mrs.", "Mr", "misters", "captains"] {
            assert_eq!(title_of(word), None, "{word}");
        }
        for &(form, canonical, _) in TITLES {
            assert_eq!(title_of(form), index(canonical), "{form}");
        }
    }
}
