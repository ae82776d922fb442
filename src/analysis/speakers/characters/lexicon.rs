//! The fixed word lists names are read with: titles (from [`crate::text::titles`]), name particles, and the given
//! names and non-names of `data/names.txt`.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Gender;
pub(super) use crate::text::titles::{is_plain, title_gender, title_of};

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

/// True for a word of the `[not names]` list.
pub(super) fn not_a_name(norm: &str) -> bool {
    LISTS.not_names.contains(norm)
}
