//! The fixed word lists names are read with: titles, name particles, and the given names and non-names of
//! `data/names.txt`.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Gender;

/// Titles: normalised form, the canonical form it is counted as, and the gender it shows. Military and noble
/// titles are male in the fiction this reads.
const TITLES: &[(&str, &str, Gender)] = &[
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
];

/// The plain titles, canonical: any man or unmarried woman has them. Others (`Mrs.`, `Lady`, `Admiral`) tell of a
/// marriage or a rank, so a full name never written with them (a daughter's, a nephew's) is someone else.
const PLAIN: &[&str] = &["mr", "miss", "ms", "master", "monsieur", "mademoiselle"];

/// Lowercase particles inside a name (`Lady Catherine de Bourgh`, `Vincent van Gogh`).
pub(super) const CONNECTORS: &[&str] = &["de", "van", "von", "der", "du", "da", "di", "del", "della", "le", "la"];

/// The embedded word lists of `data/names.txt`.
struct Lists {
    given: FxHashMap<&'static str, Gender>,
    not_names: FxHashSet<&'static str>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let mut lists = Lists { given: FxHashMap::default(), not_names: FxHashSet::default() };
    let mut section = "";
    for line in include_str!("../../../../data/names.txt").lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        match section {
            "female" => _ = lists.given.insert(line, Gender::Female),
            "male" => _ = lists.given.insert(line, Gender::Male),
            _ => _ = lists.not_names.insert(line),
        }
    }
    lists
});

/// The gender of a common given name.
pub(super) fn given_gender(name: &str) -> Gender {
    LISTS.given.get(name).copied().unwrap_or_default()
}

/// The canonical index in [`TITLES`] of a normalised title.
pub(super) fn title_of(norm: &str) -> Option<u8> {
    let at = TITLES.iter().position(|t| t.0 == norm)?;
    let canonical = TITLES[at].1;
    TITLES.iter().position(|t| t.0 == canonical).map(|i| i as u8)
}

/// The gender a title (a canonical index in [`TITLES`]) shows.
pub(super) fn title_gender(title: Option<u8>) -> Gender {
    title.and_then(|t| TITLES.get(t as usize)).map_or(Gender::Unknown, |t| t.2)
}

/// True for a word of the `[not names]` list.
pub(super) fn not_a_name(norm: &str) -> bool {
    LISTS.not_names.contains(norm)
}

/// True for a plain title (a canonical index in [`TITLES`]): see [`PLAIN`].
pub(super) fn is_plain(title: u8) -> bool {
    TITLES.get(title as usize).is_some_and(|t| PLAIN.contains(&t.0))
}
