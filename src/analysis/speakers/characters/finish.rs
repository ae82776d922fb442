//! From clusters to the cast: the characters named at least twice, most mentioned first, with their aliases,
//! genders and mentions.

use rustc_hash::FxHashMap;

use super::cluster::Roster;
use super::gender::voted;
use super::lookup::Lookup;
use super::names::{Names, Surface};
use super::words::Keys;
use super::{Cast, Character, Gender, Mention, NO_KEY};
use crate::text::normalize;
use crate::text::titles::title_of;

/// Drops the entries named only once, settles genders, and builds the cast.
pub(super) fn finish(keys: &Keys, names: Names, roster: Roster) -> Cast {
    let kept = Kept::new(&roster, &names);
    let characters = characters(&roster, &names.surfaces, &kept);
    let lookup = Lookup::new(keys, &names.surfaces, &kept, &characters);
    let mentions = names
        .found
        .iter()
        .filter_map(|(name, s)| {
            let id = kept.id(&names.surfaces[*s as usize])?;
            Some(Mention { first_token: name.first, end_token: name.end, character: id })
        })
        .collect();
    Cast { characters, mentions, lookup }
}

/// The entries of a roster kept as characters, and the character each becomes.
pub(super) struct Kept {
    /// The entries kept (mentioned at least twice), most mentioned first, then first named first.
    entries: Vec<usize>,
    /// By entry, its character; `NO_KEY` when dropped.
    id_of: Vec<u32>,
}

impl Kept {
    fn new(roster: &Roster, names: &Names) -> Kept {
        let n = roster.entries.len();
        let mut first_seen = vec![u32::MAX; n];
        for (name, surface) in &names.found {
            if let Some(f) = first_seen.get_mut(names.surfaces[*surface as usize].entry as usize) {
                *f = (*f).min(name.first);
            }
        }
        let mut entries: Vec<usize> = (0..n).filter(|&e| roster.entries[e].mentions >= 2).collect();
        entries.sort_by_key(|&e| (std::cmp::Reverse(roster.entries[e].mentions), first_seen[e]));
        let mut id_of = vec![NO_KEY; n];
        for (id, &e) in entries.iter().enumerate() {
            id_of[e] = id as u32;
        }
        Kept { entries, id_of }
    }

    /// The character a surface names, if its entry was kept.
    pub(super) fn id(&self, surface: &Surface) -> Option<u32> {
        self.id_of.get(surface.entry as usize).copied().filter(|&id| id != NO_KEY)
    }
}

/// The kept characters, each with its aliases, its gender (its entry's, else its surfaces' pronouns') and its
/// count of mentions.
fn characters(roster: &Roster, surfaces: &[Surface], kept: &Kept) -> Vec<Character> {
    let mut votes = vec![(0u32, 0u32); roster.entries.len()];
    for surface in surfaces {
        if let Some(v) = votes.get_mut(surface.entry as usize) {
            v.0 += surface.votes.0;
            v.1 += surface.votes.1;
        }
    }
    let aliases = aliases(surfaces, kept);
    let main = main_names(&aliases);
    let mut characters = Vec::with_capacity(kept.entries.len());
    for ((&e, names), name) in kept.entries.iter().zip(aliases).zip(main) {
        let gender = match roster.entries[e].gender {
            Gender::Unknown => voted(votes[e]),
            g => g,
        };
        characters.push(Character { name, aliases: names, gender, mentions: roster.entries[e].mentions as usize });
    }
    characters
}

/// By character, its main name: its full name, a given name and a surname with no title (`Adela Quested`), when
/// another of its names has that surname (`Miss Quested`) and no other character's name opens with that given name;
/// else its most used name. A full name says who is meant where `Miss Quested` or `Mr. Crawford` may be a sister
/// or a father; a given name another character shares (`Charles`) may have drawn a wrong surname into the cluster.
fn main_names(aliases: &[Vec<String>]) -> Vec<String> {
    let given = |name: &str| name.split_whitespace().next().map(str::to_string);
    let mut openers: FxHashMap<String, usize> = FxHashMap::default();
    for names in aliases {
        let mut own: Vec<String> = names.iter().filter_map(|n| given(n)).collect();
        own.sort_unstable();
        own.dedup();
        own.into_iter().for_each(|g| *openers.entry(g).or_default() += 1);
    }
    let full = |names: &[String], name: &str| {
        let words: Vec<&str> = name.split_whitespace().collect();
        let untitled = words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) && title_of(&normalize(w.trim_end_matches('.'))).is_none());
        let surname_shared = names.iter().any(|o| o != name && o.split_whitespace().last() == words.last().copied());
        let given_own = words.first().is_some_and(|g| openers.get(*g).copied() == Some(1));
        words.len() == 2 && untitled && surname_shared && given_own
    };
    aliases
        .iter()
        .map(|names| {
            let chosen = names.iter().find(|n| full(names, n)).or(names.first());
            chosen.cloned().unwrap_or_default()
        })
        .collect()
}

/// By kept character, the most used spelling of each of its surfaces, once each: the most used surfaces first,
/// then the longest, then alphabetically.
fn aliases(surfaces: &[Surface], kept: &Kept) -> Vec<Vec<String>> {
    let mut aliases: Vec<Vec<(u32, &str)>> = vec![Vec::new(); kept.entries.len()];
    for surface in surfaces {
        let Some(id) = kept.id(surface) else { continue };
        let spelling = surface.spellings.iter().max_by_key(|(s, n)| (*n, std::cmp::Reverse(&**s)));
        if let Some((s, _)) = spelling {
            aliases[id as usize].push((surface.count, s));
        }
    }
    aliases
        .into_iter()
        .map(|mut list| {
            list.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.len().cmp(&a.1.len())).then(a.1.cmp(b.1)));
            let mut names: Vec<String> = Vec::with_capacity(list.len());
            for (_, s) in &list {
                if !names.iter().any(|n| n == s) {
                    names.push((*s).to_string());
                }
            }
            names
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::cast;
    use super::super::fixtures::{HIGHBURY, doc, who};

    #[test]
    fn a_name_mentioned_once_is_no_character() {
        let c = cast(&doc(HIGHBURY));
        assert!(who(&c, "Harriet").is_none(), "{:?}", c.characters);
    }

    #[test]
    fn a_character_goes_by_its_full_name_though_a_title_names_it_more() {
        let text = "At noon Adela Quested came. Then Miss Quested sat, and Miss Quested read. Later Miss Quested \
                    smiled. At last Miss Quested left, and Adela waved. Then Adela ran.";
        let c = cast(&doc(text));
        assert_eq!(who(&c, "Miss Quested").map(|c| c.name.as_str()), Some("Adela Quested"), "{:?}", c.characters);
    }

    #[test]
    fn a_given_name_two_characters_share_keeps_its_most_used_name() {
        // `Charles` might be Charles Hayter or Charles Musgrove: a full name would say more than is known.
        let text = "At noon Charles Hayter came. Then Mr. Hayter sat, Mr. Hayter read and Mr. Hayter wrote. Later Charles Hayter \
                    smiled.\n\nCharles Musgrove stayed. Then Charles Musgrove slept.";
        let c = cast(&doc(text));
        assert_eq!(who(&c, "Charles Hayter").map(|c| c.name.as_str()), Some("Mr. Hayter"), "{:?}", c.characters);
    }

    #[test]
    fn an_empty_document_has_no_cast() {
        let d = doc("");
        let c = cast(&d);
        assert!(c.characters.is_empty() && c.mentions.is_empty());
        assert_eq!(c.named(&d, 0..3), None);
    }
}
