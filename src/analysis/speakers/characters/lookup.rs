//! Matching name phrases to the cast after the fact ([`Cast::named`]), and finding mentions by place
//! ([`Cast::mentions_in`]).

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::cluster::Roster;
use super::finish::Kept;
use super::lexicon::{CONNECTORS, given_gender, title_gender, title_of};
use super::names::{Surface, name_at, surface_key};
use super::words::{Keys, Unit, hyphenated, strip_possessive, units};
use super::{Cast, Character, Gender, Mention, NO_KEY};
use crate::text::Document;
/// What [`Cast::named`] matches name phrases with.
#[derive(Debug, Clone, Default)]
pub(super) struct Lookup {
    /// The keys of the words of the cast's names.
    keys: FxHashMap<Box<str>, u32>,
    /// The genders of those words that are common given names.
    given: FxHashMap<u32, Gender>,
    /// Every name as written, by [`surface_key`], and its character.
    surfaces: FxHashMap<Vec<u32>, u32>,
    /// The characters, by the parts of their names.
    roster: Roster,
}

impl Lookup {
    /// The lookup of the characters kept: the words and surfaces of their names, and a roster of them built by
    /// the clustering rules, so that a form never seen is matched as it would have been clustered.
    pub(super) fn new(keys: &Keys, surfaces: &[Surface], kept: &Kept, characters: &[Character]) -> Lookup {
        let mut lookup = Lookup::default();
        for surface in surfaces {
            let Some(id) = kept.id(surface) else { continue };
            lookup.surfaces.insert(surface_key(surface.title, &surface.words), id);
            for &w in surface.words.iter() {
                if let Some(text) = keys.text.get(w as usize) {
                    lookup.keys.insert(text.clone(), w);
                    match given_gender(text) {
                        Gender::Unknown => {}
                        g => _ = lookup.given.insert(w, g),
                    }
                }
            }
        }
        for c in characters {
            lookup.roster.new_entry(c.gender);
        }
        for surface in surfaces {
            let Some(id) = kept.id(surface) else { continue };
            // The characters' genders are settled: a surface's own must not change them.
            let mut copy = surface.clone();
            copy.gender = Gender::Unknown;
            lookup.roster.join(&mut copy, id);
        }
        lookup
    }
}

impl Cast {
    /// The character a name phrase names (the tokens of a speech tag's subject: `Mr. John Knightley`, `Emma`,
    /// `Miss Woodhouse`, `the Mock Turtle`), if any: the first name in the phrase that is one of the cast's, or
    /// that the clustering rules would join to one. A name not in the cast gives `None`.
    pub fn named(&self, doc: &Document, tokens: Range<usize>) -> Option<u32> {
        let end = tokens.end.min(doc.tokens.len());
        let tokens = tokens.start.min(end)..end;
        let keys = &self.lookup.keys;
        let mut joined = String::new();
        let mut list = Vec::new();
        units(doc, tokens, &mut list, |tokens| {
            let (base, possessive) = strip_possessive(hyphenated(doc, tokens, &mut joined));
            let key = keys.get(base).copied().unwrap_or(NO_KEY);
            (key, possessive, title_of(base), CONNECTORS.contains(&base))
        });
        // Only the words of the cast's names can name one of it.
        let word = |u: &Unit, _: bool| u.title.is_none() && u.key != NO_KEY;
        let long_word = |_: u32| true;
        let mut i = 0;
        while i < list.len() {
            let Some((name, next)) = name_at(doc, &list, i, &word, &long_word) else {
                i += 1;
                continue;
            };
            i = next;
            if let Some(&id) = self.lookup.surfaces.get(&surface_key(name.title, &name.words)) {
                return Some(id);
            }
            let roster = &self.lookup.roster;
            let gender = title_gender(name.title);
            let found = match (name.title, &*name.words) {
                (_, [_, _, ..]) => roster.full(&name.words, gender),
                (Some(t), [w]) => roster.titled(*w, t, gender),
                (None, [w]) => roster.single(*w, self.lookup.given.get(w).copied().unwrap_or_default()),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// The mentions that start in token range `tokens`, in text order (for the most recent mention before a
    /// quotation: the last of `mentions_in(0..at)`).
    pub fn mentions_in(&self, tokens: Range<usize>) -> &[Mention] {
        let from = self.mentions.partition_point(|m| (m.first_token as usize) < tokens.start);
        let to = self.mentions.partition_point(|m| (m.first_token as usize) < tokens.end).max(from);
        &self.mentions[from..to]
    }
}

#[cfg(test)]
mod tests {
    use super::super::cast;
    use super::super::fixtures::{HIGHBURY, doc};

    #[test]
    fn named_matches_tag_subjects_to_the_cast() {
        let d = doc(HIGHBURY);
        let c = cast(&d);
        let phrase = |text: &str| {
            // The tokens of `text` where it first occurs in the fixture.
            let at = d.text.find(text).expect("phrase in fixture");
            let first = d.tokens.partition_point(|t| t.start() < at);
            let end = d.tokens.partition_point(|t| t.start() < at + text.len());
            first..end
        };
        let emma = c.characters.iter().position(|ch| ch.aliases.iter().any(|a| a == "Emma")).map(|i| i as u32);
        assert_eq!(c.named(&d, phrase("Miss Woodhouse")), emma);
        assert_eq!(c.named(&d, phrase("Emma Woodhouse")), emma);
        assert_eq!(c.named(&d, phrase("The next day Emma")), emma);
        let mrs = c.characters.iter().position(|ch| ch.name == "Mrs. Weston").map(|i| i as u32);
        assert_eq!(c.named(&d, phrase("Mrs. Weston")), mrs);
        // Not in the cast: a lowercase phrase, and a name said once.
        assert_eq!(c.named(&d, phrase("lived at home")), None);
        assert_eq!(c.named(&d, phrase("Harriet")), None);
        // A phrase outside the document is no name.
        assert_eq!(c.named(&d, d.tokens.len()..d.tokens.len() + 5), None);
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 5..2;
        assert_eq!(c.named(&d, backwards), None);
    }

    #[test]
    fn named_joins_an_unseen_form_of_a_known_name_by_the_clustering_rules() {
        let d = doc(HIGHBURY);
        let c = cast(&d);
        let emma = c.characters.iter().position(|ch| ch.aliases.iter().any(|a| a == "Emma")).map(|i| i as u32);
        // Phrases from another text (a tag's subject is matched by its words): a full name with a title never
        // seen with it, and a title no full name of the surname fits.
        let tag = doc("Miss Emma Woodhouse. Mrs. Knightley. Miss Harriet.");
        let sentence = |n: usize| tag.sentences[n].first_token as usize..tag.sentences[n].end_token as usize;
        assert_eq!(c.named(&tag, sentence(0)), emma);
        assert_eq!(c.named(&tag, sentence(1)), None);
        assert_eq!(c.named(&tag, sentence(2)), None);
    }

    #[test]
    fn mentions_are_in_text_order_and_found_by_token_range() {
        let d = doc(HIGHBURY);
        let c = cast(&d);
        assert!(c.mentions.windows(2).all(|w| w[0].first_token < w[1].first_token));
        let all = c.mentions_in(0..d.tokens.len());
        assert_eq!(all.len(), c.mentions.len());
        let (a, b) = (c.mentions[2].first_token as usize, c.mentions[5].first_token as usize);
        let some = c.mentions_in(a..b);
        assert_eq!(some.len(), 3);
        assert_eq!(some[0], c.mentions[2]);
        assert!(c.mentions_in(b..a).is_empty());
        let total: usize = c.characters.iter().map(|ch| ch.mentions).sum();
        assert_eq!(total, c.mentions.len());
    }
}
