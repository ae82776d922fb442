//! Names and their mentions: runs of a title and name words, each a mention of a distinct surface (a title and
//! words), with what its context shows of its bearer.

use rustc_hash::FxHashMap;

use super::gender::pronoun_after;
use super::words::{Shape, Unit, Words, adjacent};
use super::{Gender, NO_KEY};
use crate::text::{Document, collapse_whitespace};

/// Words that put a place, not a person, before a name (`at Hartfield`, `from London`).
const PLACE_WORDS: &[&str] = &["at", "in", "from", "near", "into", "towards", "toward", "through", "within"];

/// How many tokens after a mention, in its sentence, its pronoun is looked for.
const PRONOUN_REACH: usize = 8;

/// The share of a name's mentions after a place word at which it is taken for a place (when nothing else shows it
/// to be a person): people are rarely "at" or "in", places usually are.
const PLACE_SHARE: f64 = 0.25;

/// The share of a name's mentions after `a` or `an` at which it is taken for a kind of person, not a person (`an
/// Indian`, `a Hindu`, `an Englishman`: 28% to 43% of their uses in A Passage to India), when nothing else shows
/// it to be a name: a name takes an indefinite article seldom (`an Anne`, 3 of Anne Shirley's hundreds).
const KIND_SHARE: f64 = 0.1;

/// The most words a name has (`Mr. E. W. B. Childers`, `Lady Catherine de Bourgh`).
const MAX_NAME_WORDS: usize = 8;

/// A name found in the text: a title, then name words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Name {
    pub(super) first: u32,
    pub(super) end: u32,
    pub(super) title: Option<u8>,
    pub(super) words: Vec<u32>,
    possessive: bool,
}

/// The name starting at unit `i` of `units` (one sentence's), if one does, and the unit after it. `word` says
/// whether a capitalised unit is a name word, given whether it follows a title directly.
pub(super) fn name_at(
    doc: &Document,
    units: &[Unit],
    i: usize,
    word: &impl Fn(&Unit, bool) -> bool,
    long_word: &impl Fn(u32) -> bool,
) -> Option<(Name, usize)> {
    let text = doc.text.as_str();
    let first = units.get(i)?;
    let mut title = None;
    let mut j = i;
    if first.shape == Shape::Capital && first.title.is_some() {
        title = first.title;
        j += 1;
    }
    // Units taken: name words, initials and connectors.
    let mut taken: Vec<usize> = Vec::new();
    while let Some(u) = units.get(j) {
        // Names are short: a cap keeps a long run of capitals (or initials) from being scanned again from each of
        // its words.
        if taken.len() >= MAX_NAME_WORDS {
            break;
        }
        if j > i && !adjacent(text, doc, &units[j - 1], u) {
            break;
        }
        let next = units.get(j + 1).filter(|n| adjacent(text, doc, u, n));
        let ok = match u.shape {
            Shape::Capital => word(u, title.is_some() && taken.is_empty()),
            Shape::Letter => u.dot && next.is_some_and(|n| matches!(n.shape, Shape::Capital | Shape::Letter)),
            Shape::Lower => {
                u.connector && !taken.is_empty() && next.is_some_and(|n| n.shape == Shape::Capital && word(n, false))
            }
            Shape::Other => false,
        };
        if !ok || u.key == NO_KEY {
            break;
        }
        taken.push(j);
        j += 1;
        if u.possessive {
            break;
        }
    }
    // A name ends on a word, not on an initial or a particle.
    while taken.last().is_some_and(|&k| units[k].shape != Shape::Capital) {
        taken.pop();
    }
    let last = *taken.last()?;
    let words: Vec<u32> = taken.iter().map(|&k| units[k].key).collect();
    if !words.iter().any(|&w| long_word(w)) {
        return None;
    }
    let name = Name { first: units[i].first, end: units[last].end, title, words, possessive: units[last].possessive };
    Some((name, last + 1))
}

/// A distinct name as written: title and words.
#[derive(Debug, Clone)]
pub(super) struct Surface {
    pub(super) title: Option<u8>,
    pub(super) words: Box<[u32]>,
    pub(super) count: u32,
    /// Its spellings (`Mr. Knightley`, `Mr Knightley`) and how often each is used.
    pub(super) spellings: Vec<(Box<str>, u32)>,
    /// Mentions right after a place word (`at Hartfield`, `at the Crown`).
    places: u32,
    /// Mentions right after `a` or `an` (`an Indian`).
    indefinite: u32,
    /// The next gendered pronoun after its mentions: male, female.
    pub(super) votes: (u32, u32),
    /// Its gender: its title's, else its first word's as a given name, else its pronouns'.
    pub(super) gender: Gender,
    /// The entry of the roster it joined; `NO_KEY` for none (a place, a family).
    pub(super) entry: u32,
}

/// The key of a surface in a hash map: the title (or `NO_KEY`), then the words.
pub(super) fn surface_key(title: Option<u8>, words: &[u32]) -> Vec<u32> {
    let mut key = Vec::with_capacity(words.len() + 1);
    key.push(title.map_or(NO_KEY, u32::from));
    key.extend_from_slice(words);
    key
}

/// Counts a paragraph's pairs of `Title Word` and `Title First Word` names (same title, same last word), by the
/// surfaces `in_paragraph` it names.
fn together(apart: &mut FxHashMap<(u32, u32), u32>, surfaces: &[Surface], in_paragraph: &[u32]) {
    for &single in in_paragraph {
        let Some(one) = surfaces.get(single as usize).filter(|s| s.title.is_some() && s.words.len() == 1) else {
            continue;
        };
        for &full in in_paragraph {
            let Some(other) = surfaces.get(full as usize) else { continue };
            if other.words.len() >= 2 && other.title == one.title && other.words.last() == one.words.last() {
                *apart.entry((single, full)).or_default() += 1;
            }
        }
    }
}

/// Whether a name follows a place word (`at Hartfield`, `in the Abbey`) and whether `a` or `an` (`an Indian`), the
/// gender of the first gendered
/// pronoun close after it in its sentence (not past a quotation mark) or else of a pronoun that opens the next
/// sentence of its paragraph, and its paragraph.
fn context(doc: &Document, name: &Name) -> (bool, bool, Gender, u32) {
    let norm_at = |t: usize| doc.tokens.get(t).map_or("", |t| doc.norm(t));
    let sentence = doc.sentence_of(name.first as usize);
    let start = doc.sentences.get(sentence).map_or(0, |s| s.first_token as usize);
    let paragraph = doc.sentences.get(sentence).map_or(0, |s| s.paragraph);
    let at = name.first as usize;
    let before = |n: usize| if at >= start + n { norm_at(at - n) } else { "" };
    let place = PLACE_WORDS.contains(&before(1)) || (before(1) == "the" && PLACE_WORDS.contains(&before(2)));
    let indefinite = matches!(before(1), "a" | "an");
    let end = doc.sentences.get(sentence).map_or(0, |s| s.end_token as usize).min(name.end as usize + PRONOUN_REACH);
    // Not past a quotation mark: in `“Come, Rachael,” he said` the pronoun is the speaker's, not the name's.
    let end = (name.end as usize..end).find(|&t| crosses_a_mark(doc, t)).unwrap_or(end);
    let near = pronoun_after(doc, name.end as usize..end);
    // Else the next sentence's first word, when it is a pronoun: `Sissy came in. She was pale.`
    let next = doc.sentences.get(sentence + 1).filter(|s| s.paragraph == paragraph).map(|s| s.first_token as usize);
    let gender = match near {
        Gender::Unknown => next.map_or(Gender::Unknown, |t| pronoun_after(doc, t..t + 1)),
        g => g,
    };
    (place, indefinite, gender, paragraph)
}

/// True if a double quotation mark stands right before token `t`.
fn crosses_a_mark(doc: &Document, t: usize) -> bool {
    let start = doc.tokens[t].start();
    let before = t.checked_sub(1).map_or(0, |p| doc.span(&doc.tokens[p]).end);
    doc.text.get(before..start).is_some_and(|gap| gap.contains(['"', '“', '”', '«', '»', '„']))
}

/// A name as written, whitespace collapsed, without its possessive `'s`.
fn spelling<'d>(doc: &'d Document, name: &Name) -> std::borrow::Cow<'d, str> {
    let start = doc.tokens.get(name.first as usize).map_or(0, |t| t.start());
    let end = doc.tokens.get(name.end as usize - 1).map_or(0, |t| doc.span(t).end);
    let mut text = doc.text.get(start..end).unwrap_or("");
    if name.possessive {
        // The apostrophe is one of several characters; the `s` is last.
        if let Some(cut) = text.strip_suffix('s').and_then(|t| t.char_indices().next_back()) {
            text = &text[..cut.0];
        }
    }
    collapse_whitespace(text)
}

/// The names of a document, in text order, and the distinct surfaces they are.
#[derive(Default)]
pub(super) struct Names {
    pub(super) surfaces: Vec<Surface>,
    /// Each surface's id in `surfaces`, by [`surface_key`].
    pub(super) ids: FxHashMap<Vec<u32>, u32>,
    /// Each name with its surface.
    pub(super) found: Vec<(Name, u32)>,
    /// How many paragraphs name both a `Title Word` and a `Title First Word` surface.
    pub(super) apart: FxHashMap<(u32, u32), u32>,
}

impl Names {
    /// Finds the names of `doc` sentence by sentence, counting each surface's uses as it goes.
    pub(super) fn find(doc: &Document, words: &Words) -> Names {
        let mut names = Names::default();
        let word = |u: &Unit, after_title: bool| words.word(u, after_title);
        let long_word = |k: u32| words.long_word(k);
        let (mut this_paragraph, mut in_paragraph) = (0, Vec::new());
        for units in words.sentences() {
            let mut i = 0;
            while i < units.len() {
                let Some((name, next)) = name_at(doc, units, i, &word, &long_word) else {
                    i += 1;
                    continue;
                };
                i = next;
                let id = names.surface_of(&name);
                let (place, indefinite, vote, paragraph) = context(doc, &name);
                if paragraph != this_paragraph {
                    together(&mut names.apart, &names.surfaces, &in_paragraph);
                    (this_paragraph, in_paragraph) = (paragraph, Vec::new());
                }
                // Only titled names are paired (`Mr. Knightley`, `Mr. John Knightley`).
                if name.title.is_some() && !in_paragraph.contains(&id) {
                    in_paragraph.push(id);
                }
                names.count(doc, &name, id, [place, indefinite], vote);
                names.found.push((name, id));
            }
        }
        together(&mut names.apart, &names.surfaces, &in_paragraph);
        names
    }

    /// The id of `name`'s surface, a new one if it is the first of its kind.
    fn surface_of(&mut self, name: &Name) -> u32 {
        let key = surface_key(name.title, &name.words);
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = self.surfaces.len() as u32;
        self.surfaces.push(Surface {
            title: name.title,
            words: name.words.clone().into_boxed_slice(),
            count: 0,
            spellings: Vec::new(),
            places: 0,
            indefinite: 0,
            votes: (0, 0),
            gender: Gender::Unknown,
            entry: NO_KEY,
        });
        self.ids.insert(key, id);
        id
    }

    /// Counts a mention of surface `id`: its spelling, whether a place word or an indefinite article comes before
    /// it, the pronoun after.
    fn count(&mut self, doc: &Document, name: &Name, id: u32, [place, indefinite]: [bool; 2], vote: Gender) {
        let surface = &mut self.surfaces[id as usize];
        surface.count += 1;
        let spelling = spelling(doc, name);
        match surface.spellings.iter_mut().find(|(s, _)| **s == *spelling) {
            Some((_, n)) => *n += 1,
            None => surface.spellings.push((spelling.into(), 1)),
        }
        surface.places += u32::from(place);
        surface.indefinite += u32::from(indefinite);
        match vote {
            Gender::Male => surface.votes.0 += 1,
            Gender::Female => surface.votes.1 += 1,
            Gender::Unknown => {}
        }
    }

    /// By surface, whether it names no one: a place (`at Hartfield`), a kind of person (`an Indian`) or a family
    /// (`the Eltons`).
    pub(super) fn dropped(&self, words: &Words) -> Vec<bool> {
        self.surfaces
            .iter()
            .map(|surface| {
                let first = surface.words.first().copied().unwrap_or(NO_KEY);
                let person = surface.title.is_some() || words.keys.given(first) != Gender::Unknown;
                let count = f64::from(surface.count);
                let place = f64::from(surface.places) >= PLACE_SHARE * count;
                let kind = f64::from(surface.indefinite) >= KIND_SHARE * count;
                (!person && (place || kind)) || surface.words.last().is_some_and(|&w| words.plural_of_name(w))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::cast;
    use super::super::fixtures::doc;

    #[test]
    fn places_and_families_are_not_characters() {
        let text = "They dined at Hartfield. Later the party at Hartfield ended, and Emma stayed in Hartfield. \
                    Then Emma called on the Eltons. Later the Eltons came, and Mr. Elton spoke. Then Mr. Elton left.";
        let c = cast(&doc(text));
        let names: Vec<&str> = c.characters.iter().map(|c| c.name.as_str()).collect();
        assert!(!names.contains(&"Hartfield") && !names.contains(&"Eltons"), "{names:?}");
        assert!(names.contains(&"Mr. Elton") && names.contains(&"Emma"), "{names:?}");
    }

    #[test]
    fn a_kind_of_person_with_an_indefinite_article_is_not_a_character() {
        let text = "An Indian came in. Aziz spoke to an Indian at the door. Then Aziz smiled, and the Indian \
                    bowed. Later Aziz met Fielding, and Fielding met another Indian. Indian servants waited.";
        let c = cast(&doc(text));
        let names: Vec<&str> = c.characters.iter().map(|c| c.name.as_str()).collect();
        assert!(!names.contains(&"Indian"), "{names:?}");
        assert!(names.contains(&"Aziz") && names.contains(&"Fielding"), "{names:?}");
    }

    #[test]
    fn titles_with_and_without_their_dot_are_one_name() {
        let text = "Then Mr. Elliot came. Later Mr Elliot left, and Mr Elliot returned.";
        let c = cast(&doc(text));
        assert_eq!(c.characters.len(), 1, "{:?}", c.characters);
        assert_eq!(c.characters[0].name, "Mr Elliot");
        assert_eq!(c.characters[0].aliases.len(), 1);
    }
}
