//! Name words: the document's words cut into units (hyphenated words are one), each keyed by its normalised
//! form, and which keys are names by how the document writes them.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::Gender;
use super::NO_KEY;
use super::lexicon::{CONNECTORS, given_gender, not_a_name, title_of};
use crate::text::{Document, Token};

/// A normalised word without its possessive `'s` (apostrophes are folded to `'` by normalisation).
pub(super) fn strip_possessive(norm: &str) -> (&str, bool) {
    match norm.strip_suffix("'s") {
        Some(base) if !base.is_empty() => (base, true),
        _ => (norm, false),
    }
}

/// What a key (a normalised word, possessive stripped) is, with how the document writes it.
#[derive(Debug, Clone, Default)]
struct KeyInfo {
    /// Capitalised and not first in its sentence or quotation.
    cap_mid: u32,
    /// Written lowercase.
    lower: u32,
    /// Capitalised right after a title.
    after_title: u32,
    title: Option<u8>,
    connector: bool,
    /// A stopword, a word of the `[not names]` list, or no letters.
    excluded: bool,
}

/// The keys of one document, interned.
#[derive(Default)]
pub(super) struct Keys {
    ids: FxHashMap<Box<str>, u32>,
    info: Vec<KeyInfo>,
    /// Each key's normalised text, by id.
    pub(super) text: Vec<Box<str>>,
}

impl Keys {
    fn intern(&mut self, key: &str, stopword: bool) -> u32 {
        let id = match self.ids.get(key) {
            Some(&id) => id,
            None => {
                let id = self.info.len() as u32;
                self.info.push(KeyInfo {
                    title: title_of(key),
                    connector: CONNECTORS.contains(&key),
                    excluded: not_a_name(key) || !key.chars().any(char::is_alphabetic),
                    ..KeyInfo::default()
                });
                self.text.push(key.into());
                self.ids.insert(key.into(), id);
                id
            }
        };
        self.info[id as usize].excluded |= stopword;
        id
    }

    /// The id of `key` if it has one (marking it excluded if `stopword`), without making one.
    fn existing(&mut self, key: &str, stopword: bool) -> Option<u32> {
        let id = *self.ids.get(key)?;
        self.info[id as usize].excluded |= stopword;
        Some(id)
    }

    /// The gender of key `w` as a common given name.
    pub(super) fn given(&self, w: u32) -> Gender {
        self.text.get(w as usize).map_or(Gender::Unknown, |t| given_gender(t))
    }
}

/// By unit of a sentence, whether it is part of a title written in title case (`Never Let Me Go`, `The Remains
/// of The Day`): a run of capitalised words, one after another, with a capitalised stopword inside it past its
/// first word. Its words are not counted as capitalised, so the title's words are not taken for names.
fn title_case_runs(doc: &Document, units: &[Unit]) -> Vec<bool> {
    let mut titled = vec![false; units.len()];
    let mut start = 0;
    while start < units.len() {
        let mut end = start + 1;
        while end < units.len()
            && units[start].shape == Shape::Capital
            && units[end].shape == Shape::Capital
            && adjacent(&doc.text, doc, &units[end - 1], &units[end])
        {
            end += 1;
        }
        let stopword =
            |u: &Unit| doc.tokens.get(u.first as usize).is_some_and(|t| doc.forms[t.form() as usize].stopword);
        if units[start + 1..end].iter().any(|u| stopword(u) && u.title.is_none()) {
            titled[start..end].iter_mut().for_each(|t| *t = true);
        }
        start = end;
    }
    titled
}

/// By form, whether some token of the form is written with a capital first letter.
fn capitalised_forms(doc: &Document) -> Vec<bool> {
    let mut capitalised = vec![false; doc.forms.len()];
    for t in &doc.tokens {
        if doc.text.get(t.start()..).and_then(|s| s.chars().next()).is_some_and(char::is_uppercase) {
            capitalised[t.form() as usize] = true;
        }
    }
    capitalised
}

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Lower,
    /// Capitalised, with lowercase after (`Emma`, `Emma's`).
    Capital,
    /// One capital letter: an initial when a dot follows.
    Letter,
    /// All capitals (headings, shouting), digits, other scripts.
    Other,
}

/// A word: one token, or several joined by hyphens (`Winnie-the-Pooh`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) first: u32,
    pub(super) end: u32,
    /// Its key, `NO_KEY` when it has none.
    pub(super) key: u32,
    pub(super) shape: Shape,
    /// First in its sentence, or right after an opening quotation mark or bracket: capitalised regardless.
    initial: bool,
    pub(super) possessive: bool,
    /// A dot follows it at once (`Mr.`, `E.`).
    pub(super) dot: bool,
    pub(super) title: Option<u8>,
    pub(super) connector: bool,
}

/// What [`units`] needs to know of a word's key: its id, whether it is possessive, its title and whether it is
/// a connector.
pub(super) type KeyBits = (u32, bool, Option<u8>, bool);

/// The units of tokens `tokens` (one sentence, or a name phrase), keyed by `key_of`.
pub(super) fn units(
    doc: &Document,
    tokens: Range<usize>,
    out: &mut Vec<Unit>,
    mut key_of: impl FnMut(&[Token]) -> KeyBits,
) {
    let text = doc.text.as_str();
    let all = &doc.tokens[tokens.clone()];
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        // Hyphenated words are one unit; a cap keeps a run of dashes from making a sentence one word.
        while j + 1 < all.len() && j - i < 6 {
            let gap = text.get(doc.span(&all[j]).end..all[j + 1].start()).unwrap_or("");
            if !matches!(gap, "-" | "\u{2010}" | "\u{2011}") {
                break;
            }
            j += 1;
        }
        let start = all[i].start();
        let end = doc.span(&all[j]).end;
        let surface = text.get(start..end).unwrap_or("");
        let shape = shape(surface);
        let before = text.get(..start).and_then(|t| t.chars().next_back());
        let initial = i == 0 || matches!(before, Some('“' | '‘' | '"' | '\'' | '(' | '[' | '«' | '„' | '‹' | '‚'));
        let (key, possessive, title, connector) = key_of(&all[i..=j]);
        out.push(Unit {
            first: (tokens.start + i) as u32,
            end: (tokens.start + j + 1) as u32,
            key,
            shape,
            initial,
            possessive,
            dot: text.get(end..).is_some_and(|t| t.starts_with('.')),
            title,
            connector,
        });
        i = j + 1;
    }
}

fn shape(surface: &str) -> Shape {
    let mut chars = surface.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => Shape::Lower,
        Some(c) if c.is_uppercase() => {
            if surface.chars().any(char::is_lowercase) {
                Shape::Capital
            } else if chars.next().is_none() {
                Shape::Letter
            } else {
                Shape::Other
            }
        }
        _ => Shape::Other,
    }
}

/// True if the text between units `a` and `b` lets them be one name: spaces, or a title's or initial's dot.
pub(super) fn adjacent(text: &str, doc: &Document, a: &Unit, b: &Unit) -> bool {
    let from = doc.tokens.get(a.end as usize - 1).map_or(0, |t| doc.span(t).end);
    let to = doc.tokens.get(b.first as usize).map_or(0, |t| t.start());
    let gap = text.get(from..to).unwrap_or("");
    let gap = match gap.strip_prefix('.') {
        Some(rest) if a.title.is_some() || a.shape == Shape::Letter => rest,
        _ => gap,
    };
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.matches('\n').count() < 2
}

/// The words of a document: its keys, its units sentence by sentence, and which keys are name words.
pub(super) struct Words {
    pub(super) keys: Keys,
    units: Vec<Unit>,
    /// Where each sentence's units start in `units`, then their end.
    bounds: Vec<usize>,
    /// By key: a name word (written capitalised mid-sentence far more often than in lowercase, or after titles).
    is_name: Vec<bool>,
}

impl Words {
    /// Cuts `doc` into units, counts how each key is written, and decides which keys are name words.
    pub(super) fn read(doc: &Document) -> Words {
        let mut words = Words::cut(doc);
        words.count_shapes(doc);
        words.is_name = words.name_keys();
        words
    }

    /// The units of each sentence, keyed.
    fn cut(doc: &Document) -> Words {
        let mut keys = Keys::default();
        // Each form's key, interned once: the possessive `emma's` is keyed as `emma`. Only forms written
        // capitalised somewhere can be names, so only they are interned; a form only ever written in lowercase
        // counts towards a key one of them made (`emma` towards `Emma`), or towards none.
        let capitalised = capitalised_forms(doc);
        let mut form_keys: Vec<(u32, bool)> = vec![(NO_KEY, false); doc.forms.len()];
        for pass in [true, false] {
            for (f, form) in doc.forms.iter().enumerate().filter(|&(f, _)| capitalised[f] == pass) {
                let (base, possessive) = strip_possessive(&form.norm);
                let stopword = form.stopword && !possessive;
                let key = if pass { Some(keys.intern(base, stopword)) } else { keys.existing(base, stopword) };
                form_keys[f] = (key.unwrap_or(NO_KEY), possessive);
            }
        }
        let mut joined = String::new();
        let mut all: Vec<Unit> = Vec::with_capacity(doc.tokens.len());
        let mut bounds: Vec<usize> = Vec::with_capacity(doc.sentences.len() + 1);
        for s in &doc.sentences {
            bounds.push(all.len());
            units(doc, s.first_token as usize..s.end_token as usize, &mut all, |tokens| {
                let (key, possessive) = match tokens {
                    [one] => form_keys.get(one.form() as usize).copied().unwrap_or((NO_KEY, false)),
                    _ => {
                        let (base, possessive) = strip_possessive(hyphenated(doc, tokens, &mut joined));
                        (keys.intern(base, false), possessive)
                    }
                };
                let info = keys.info.get(key as usize);
                (key, possessive, info.and_then(|i| i.title), info.is_some_and(|i| i.connector))
            });
        }
        bounds.push(all.len());
        Words { keys, units: all, bounds, is_name: Vec::new() }
    }

    /// Counts how each key is written: capitalised mid-sentence, lowercase, capitalised after a title.
    fn count_shapes(&mut self, doc: &Document) {
        for bounds in self.bounds.windows(2) {
            let units = &self.units[bounds[0]..bounds[1]];
            let titled = title_case_runs(doc, units);
            for (n, u) in units.iter().enumerate() {
                let Some(info) = self.keys.info.get_mut(u.key as usize) else { continue };
                match u.shape {
                    Shape::Lower => info.lower += 1,
                    Shape::Capital if !u.initial && !titled[n] => info.cap_mid += 1,
                    _ => {}
                }
                let after_title = n > 0 && units[n - 1].title.is_some() && units[n - 1].shape == Shape::Capital;
                if after_title && u.shape == Shape::Capital && adjacent(&doc.text, doc, &units[n - 1], u) {
                    info.after_title += 1;
                }
            }
        }
    }

    /// By key, whether it is a name word.
    fn name_keys(&self) -> Vec<bool> {
        self.keys
            .info
            .iter()
            .zip(&self.keys.text)
            .map(|(k, text)| {
                !k.excluded
                    && k.title.is_none()
                    && text.chars().count() >= 2
                    && ((k.cap_mid >= 2 && k.lower * 3 < k.cap_mid)
                        || (k.after_title >= 2 && k.cap_mid > k.after_title / 2))
            })
            .collect()
    }

    /// The units of each sentence, in text order.
    pub(super) fn sentences(&self) -> impl Iterator<Item = &[Unit]> {
        self.bounds.windows(2).map(|b| &self.units[b[0]..b[1]])
    }

    /// Whether a capitalised unit is a name word: one of a name key, or, right after a title (`after_title`), any
    /// word that is neither a title nor excluded (`Mrs. Hall`).
    pub(super) fn word(&self, u: &Unit, after_title: bool) -> bool {
        let k = u.key as usize;
        self.is_name.get(k).copied().unwrap_or(false)
            || (after_title && self.keys.info.get(k).is_some_and(|i| !i.excluded && i.title.is_none()))
    }

    /// Whether key `k` is more than one letter: a name needs such a word.
    pub(super) fn long_word(&self, k: u32) -> bool {
        self.keys.text.get(k as usize).is_some_and(|t| t.chars().count() >= 2)
    }

    /// Whether key `w` is the plural of a name word (`eltons`): a family, not a person.
    pub(super) fn plural_of_name(&self, w: u32) -> bool {
        let text = self.keys.text.get(w as usize).map_or("", |t| &**t);
        text.strip_suffix('s').and_then(|one| self.keys.ids.get(one)).is_some_and(|&k| self.is_name[k as usize])
    }
}

/// The normalised forms of `tokens` joined by hyphens (`winnie-the-pooh`), built in `joined`.
pub(super) fn hyphenated<'j>(doc: &Document, tokens: &[Token], joined: &'j mut String) -> &'j str {
    joined.clear();
    for (n, t) in tokens.iter().enumerate() {
        if n > 0 {
            joined.push('-');
        }
        joined.push_str(doc.norm(t));
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::super::cast;
    use super::super::fixtures::{doc, who};

    #[test]
    fn the_words_of_a_title_in_title_case_are_not_names() {
        let d = doc("I reread Never Let Me Go, where Kathy talks. In Never Let Me Go, Kathy remembers. \
                     So Never Let Me Go ends, and Kathy drives on.");
        let names: Vec<String> = cast(&d).characters.iter().map(|c| c.name.clone()).collect();
        assert_eq!(names, ["Kathy"]);
    }

    #[test]
    fn common_words_capitalised_at_sentence_starts_are_not_names() {
        let d = doc("Yesterday it rained. Later Emma came. Later still Emma left. Then the rain stopped.");
        let c = cast(&d);
        let names: Vec<&str> = c.characters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Emma"]);
    }

    #[test]
    fn words_opening_a_quotation_count_as_sentence_starts_and_punctuation_ends_a_name() {
        let text = "Then Emma said, “Well, go.” Later Emma said, “Well, stay.” So Emma cried, “Well, now.” \
                    Then Emma, Harriet and Emma, Harriet sat.";
        let d = doc(text);
        let c = cast(&d);
        assert!(who(&c, "Well").is_none(), "{:?}", c.characters);
        let emma = who(&c, "Emma").unwrap();
        assert_eq!((emma.aliases.len(), emma.mentions), (1, 5));
        assert!(who(&c, "Harriet").is_some());
    }

    #[test]
    fn a_word_mostly_written_lowercase_is_a_name_only_after_titles() {
        let text = "Mrs. Hall swept the hall. The hall was long, and Mrs. Hall was tired. A hall, a hall. \
                    Then Bird flew in. The bird saw a bird and a bird. Birds sang.";
        let c = cast(&doc(text));
        assert!(who(&c, "Mrs. Hall").is_some());
        assert!(who(&c, "Bird").is_none(), "{:?}", c.characters);
    }

    #[test]
    fn hyphenated_names_and_possessives_are_one_name() {
        let d = doc("Then Winnie-the-Pooh sat. Later Winnie-the-Pooh’s honey was gone, and Winnie-the-Pooh's pot.");
        let c = cast(&d);
        let pooh = who(&c, "Winnie-the-Pooh").expect("Pooh is found");
        assert_eq!((pooh.aliases.len(), pooh.mentions), (1, 3));
        let m = c.mentions[1];
        assert_eq!(d.span(&d.tokens[m.first_token as usize]).of(&d.text), "Winnie");
        assert_eq!(m.end_token - m.first_token, 3);
    }
}
