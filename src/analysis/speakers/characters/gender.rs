//! Gender: shown by a title, else by a common given name, else by the pronouns that follow the mentions.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::NO_KEY;
use super::lexicon::title_gender;
use super::names::{Surface, surface_key};
use super::words::Keys;
use crate::text::Document;
pub use crate::text::Gender;

/// Words after a mention that show a man or a woman.
const MALE_PRONOUNS: &[&str] = &["he", "him", "his", "himself"];
const FEMALE_PRONOUNS: &[&str] = &["she", "her", "hers", "herself"];

/// The gender pronoun votes show: a clear majority of at least two.
pub(super) fn voted(votes: (u32, u32)) -> Gender {
    match votes {
        (m, f) if m >= 2 && m >= 2 * f => Gender::Male,
        (m, f) if f >= 2 && f >= 2 * m => Gender::Female,
        _ => Gender::Unknown,
    }
}

/// The gender of the first gendered pronoun among tokens `tokens`.
pub(super) fn pronoun_after(doc: &Document, tokens: Range<usize>) -> Gender {
    for t in tokens {
        let w = doc.tokens.get(t).map_or("", |t| doc.norm(t));
        if MALE_PRONOUNS.contains(&w) {
            return Gender::Male;
        }
        if FEMALE_PRONOUNS.contains(&w) {
            return Gender::Female;
        }
    }
    Gender::Unknown
}

/// Gives each surface its gender: its title's, else its first word's as a given name, else its pronouns'.
pub(super) fn settle(surfaces: &mut [Surface], ids: &FxHashMap<Vec<u32>, u32>, keys: &Keys) {
    // A full name's pronouns are few; its first name's (`Sissy` for `Sissy Jupe`) count too.
    let first_votes: Vec<(u32, u32)> = surfaces
        .iter()
        .map(|s| match (&*s.words, s.title) {
            ([first, _, ..], None) => ids
                .get(&surface_key(None, &[*first]))
                .and_then(|&f| surfaces.get(f as usize))
                .map_or((0, 0), |f| f.votes),
            _ => (0, 0),
        })
        .collect();
    for (surface, first_votes) in surfaces.iter_mut().zip(first_votes) {
        let first = surface.words.first().copied().unwrap_or(NO_KEY);
        let votes = (surface.votes.0 + first_votes.0, surface.votes.1 + first_votes.1);
        surface.gender = match (title_gender(surface.title), keys.given(first)) {
            (Gender::Unknown, Gender::Unknown) => voted(votes),
            (Gender::Unknown, g) | (g, _) => g,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{doc, who};
    use super::super::{Gender, cast};

    #[test]
    fn pronouns_give_a_gender_when_nothing_else_does() {
        let text = "Then Eeyore sat. He was sad. Later Eeyore stood, and he sighed. So Eeyore went home. His tail was gone.\n\n\
                    Then Kanga came. She was kind. Later Kanga ran, and she laughed.";
        let c = cast(&doc(text));
        assert_eq!(who(&c, "Eeyore").unwrap().gender, Gender::Male);
        assert_eq!(who(&c, "Kanga").unwrap().gender, Gender::Female);
        assert_eq!(Gender::Unknown.to_string(), "");
    }

    #[test]
    fn the_pronoun_of_the_one_who_speaks_a_name_is_not_the_names() {
        // Rachael is named in Stephen's speech three times, each followed by his `he`; the narration's own
        // `She` after her name is what tells.
        let text = "“Come, Rachael,” he said.\n\n“Rachael, wait,” he said.\n\n“Rachael!” he cried.\n\n\
                    Then Rachael came in. She was pale. Rachael sat down. She was tired.";
        let c = cast(&doc(text));
        assert_eq!(who(&c, "Rachael").unwrap().gender, Gender::Female);
    }
}
