//! A text's characters, found by rules: runs of capitalised name words (with titles such as `Mr.` and `Miss`),
//! clustered conservatively into characters, each with its gender and its mentions.
//!
//! A word is a name word when the document writes it capitalised mid-sentence far more often than in lowercase
//! anywhere (`Emma`, `Piglet`; not `Hall` in "the hall", unless titles keep naming it: `Mrs. Hall`). Clustering
//! follows the order rule-based systems use (He et al. 2013, BookNLP): full names first (`Emma Woodhouse`), then
//! `Title Surname` joins the one full name with that surname and a compatible gender (`Miss Woodhouse`), then a
//! bare word joins the most mentioned character it is the first name or surname of (`Emma`, `Knightley`). A name
//! that could join two characters stands alone: merging two people is worse than splitting one.

use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::text::{Document, Token, collapse_whitespace};

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

/// One character of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Character {
    /// The main name: its most frequent surface form, title kept (`Mr. Knightley`, `Emma`).
    pub name: String,
    /// Every distinct surface form clustered into it (`Emma`, `Miss Woodhouse`, `Emma Woodhouse`), most frequent
    /// first; the first is [`Character::name`].
    pub aliases: Vec<String>,
    /// Its gender, from titles, else given names, else pronouns.
    pub gender: Gender,
    /// How many times the text names it.
    pub mentions: usize,
}

/// One naming of a character: the tokens `first_token..end_token` (title included, `Mr. Knightley`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Its first token.
    pub first_token: u32,
    /// One past its last token.
    pub end_token: u32,
    /// Index into [`Cast::characters`].
    pub character: u32,
}

/// The characters of one document and every mention of them.
#[derive(Debug, Clone, Default)]
pub struct Cast {
    /// The characters, most mentioned first.
    pub characters: Vec<Character>,
    /// Their mentions, in text order.
    pub mentions: Vec<Mention>,
    /// How name phrases are matched to characters after the fact.
    lookup: Lookup,
}

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
const CONNECTORS: &[&str] = &["de", "van", "von", "der", "du", "da", "di", "del", "della", "le", "la"];

/// Words after a mention that show a man or a woman.
const MALE_PRONOUNS: &[&str] = &["he", "him", "his", "himself"];
const FEMALE_PRONOUNS: &[&str] = &["she", "her", "hers", "herself"];

/// Words that put a place, not a person, before a name (`at Hartfield`, `from London`).
const PLACE_WORDS: &[&str] = &["at", "in", "from", "near", "into", "towards", "toward", "through", "within"];

/// How many tokens after a mention its pronoun is looked for (in that sentence and the next).
const PRONOUN_REACH: usize = 60;

/// The share of a name's mentions after a place word at which it is taken for a place (when nothing else shows it
/// to be a person): people are rarely "at" or "in", places usually are.
const PLACE_SHARE: f64 = 0.25;

/// The embedded word lists of `data/names.txt`.
struct Lists {
    given: FxHashMap<&'static str, Gender>,
    not_names: FxHashSet<&'static str>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let mut lists = Lists { given: FxHashMap::default(), not_names: FxHashSet::default() };
    let mut section = "";
    for line in include_str!("../../../data/names.txt").lines().map(str::trim) {
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
fn given_gender(name: &str) -> Gender {
    LISTS.given.get(name).copied().unwrap_or_default()
}

/// The canonical index in [`TITLES`] of a normalised title.
fn title_of(norm: &str) -> Option<u8> {
    let at = TITLES.iter().position(|t| t.0 == norm)?;
    let canonical = TITLES[at].1;
    TITLES.iter().position(|t| t.0 == canonical).map(|i| i as u8)
}

fn title_gender(title: Option<u8>) -> Gender {
    title.and_then(|t| TITLES.get(t as usize)).map_or(Gender::Unknown, |t| t.2)
}

/// A normalised word without its possessive `'s` (apostrophes are folded to `'` by normalisation).
fn strip_possessive(norm: &str) -> (&str, bool) {
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
struct Keys {
    ids: FxHashMap<Box<str>, u32>,
    info: Vec<KeyInfo>,
    text: Vec<Box<str>>,
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
                    excluded: LISTS.not_names.contains(key) || !key.chars().any(char::is_alphabetic),
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
}

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
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
struct Unit {
    first: u32,
    end: u32,
    /// Its key, `NO_KEY` when it has none.
    key: u32,
    shape: Shape,
    /// First in its sentence, or right after an opening quotation mark or bracket: capitalised regardless.
    initial: bool,
    possessive: bool,
    /// A dot follows it at once (`Mr.`, `E.`).
    dot: bool,
    title: Option<u8>,
    connector: bool,
}

const NO_KEY: u32 = u32::MAX;

/// What [`units`] needs to know of a word's key: its id, whether it is possessive, its title and whether it is
/// a connector.
type KeyBits = (u32, bool, Option<u8>, bool);

/// The units of tokens `tokens` (one sentence, or a name phrase), keyed by `key_of`.
fn units(doc: &Document, tokens: Range<usize>, out: &mut Vec<Unit>, mut key_of: impl FnMut(&[Token]) -> KeyBits) {
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
fn adjacent(text: &str, doc: &Document, a: &Unit, b: &Unit) -> bool {
    let from = doc.tokens.get(a.end as usize - 1).map_or(0, |t| doc.span(t).end);
    let to = doc.tokens.get(b.first as usize).map_or(0, |t| t.start());
    let gap = text.get(from..to).unwrap_or("");
    let gap = match gap.strip_prefix('.') {
        Some(rest) if a.title.is_some() || a.shape == Shape::Letter => rest,
        _ => gap,
    };
    !gap.is_empty() && gap.chars().all(char::is_whitespace) && gap.matches('\n').count() < 2
}

/// The most words a name has (`Mr. E. W. B. Childers`, `Lady Catherine de Bourgh`).
const MAX_NAME_WORDS: usize = 8;

/// A name found in the text: a title, then name words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Name {
    first: u32,
    end: u32,
    title: Option<u8>,
    words: Vec<u32>,
    possessive: bool,
}

/// The name starting at unit `i` of `units` (one sentence's), if one does, and the unit after it. `word` says
/// whether a capitalised unit is a name word, given whether it follows a title directly.
fn name_at(
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
struct Surface {
    title: Option<u8>,
    words: Box<[u32]>,
    count: u32,
    /// Its spellings (`Mr. Knightley`, `Mr Knightley`) and how often each is used.
    spellings: Vec<(Box<str>, u32)>,
    /// Mentions right after a place word (`at Hartfield`, `at the Crown`).
    places: u32,
    /// The next gendered pronoun after its mentions: male, female.
    votes: (u32, u32),
    /// Its gender: its title's, else its first word's as a given name, else its pronouns'.
    gender: Gender,
    /// The entry of the roster it joined; `NO_KEY` for none (a place, a family).
    entry: u32,
}

/// The key of a surface in a hash map: the title (or `NO_KEY`), then the words.
fn surface_key(title: Option<u8>, words: &[u32]) -> Vec<u32> {
    let mut key = Vec::with_capacity(words.len() + 1);
    key.push(title.map_or(NO_KEY, u32::from));
    key.extend_from_slice(words);
    key
}

/// The gender pronoun votes show: a clear majority of at least two.
fn voted(votes: (u32, u32)) -> Gender {
    match votes {
        (m, f) if m >= 2 && m >= 2 * f => Gender::Male,
        (m, f) if f >= 2 && f >= 2 * m => Gender::Female,
        _ => Gender::Unknown,
    }
}

/// Paragraphs naming both `Mr. Knightley` and `Mr. John Knightley` that show them two people: one person is
/// rarely called both ways in a paragraph again and again (but once, when introduced, often is).
const APART: u32 = 3;

/// A character being clustered, or found.
#[derive(Debug, Clone, Default)]
struct Entry {
    gender: Gender,
    mentions: u32,
    /// The titles its full names are written with.
    titles: Vec<u8>,
}

/// Characters indexed by the parts of their names, each with how often it is called by that part.
#[derive(Debug, Clone, Default)]
struct Roster {
    entries: Vec<Entry>,
    /// Full names (two words or more, titles left out).
    by_words: FxHashMap<Box<[u32]>, Vec<u32>>,
    /// The first and last words of full names.
    by_first: FxHashMap<u32, Vec<(u32, u32)>>,
    by_last: FxHashMap<u32, Vec<(u32, u32)>>,
    /// The word of one-word names (`Mr. Knightley`, `Eeyore`) that joined no full name.
    by_word: FxHashMap<u32, Vec<(u32, u32)>>,
}

/// Adds `count` uses of `key` to `entry`'s.
fn add(map: &mut FxHashMap<u32, Vec<(u32, u32)>>, key: u32, entry: u32, count: u32) {
    let list = map.entry(key).or_default();
    match list.iter_mut().find(|(e, _)| *e == entry) {
        Some((_, n)) => *n += count,
        None => list.push((entry, count)),
    }
}

impl Roster {
    fn new_entry(&mut self, gender: Gender) -> u32 {
        self.entries.push(Entry { gender, ..Entry::default() });
        (self.entries.len() - 1) as u32
    }

    /// Joins a surface's mentions to an entry, indexing it by its name's parts.
    fn join(&mut self, surface: &mut Surface, entry: u32) {
        surface.entry = entry;
        let Some(e) = self.entries.get_mut(entry as usize) else { return };
        e.mentions += surface.count;
        if e.gender == Gender::Unknown {
            e.gender = surface.gender;
        }
        let words = &surface.words;
        match (surface.title, &**words) {
            (title, [first, .., last]) => {
                if let Some(t) = title.filter(|t| !e.titles.contains(t)) {
                    e.titles.push(t);
                }
                let list = self.by_words.entry(words.clone()).or_default();
                if !list.contains(&entry) {
                    list.push(entry);
                }
                add(&mut self.by_first, *first, entry, surface.count);
                add(&mut self.by_last, *last, entry, surface.count);
            }
            (_, [word]) => add(&mut self.by_word, *word, entry, surface.count),
            _ => {}
        }
    }

    fn entry(&self, e: u32) -> Option<&Entry> {
        self.entries.get(e as usize)
    }

    /// The full name `words` of gender `gender`: the most mentioned compatible one.
    fn full(&self, words: &[u32], gender: Gender) -> Option<u32> {
        let found = self.by_words.get(words).into_iter().flatten().copied();
        let found = found.filter(|&e| self.entry(e).is_some_and(|x| x.gender.compatible(gender)));
        found.max_by_key(|&e| (self.entry(e).map_or(0, |x| x.mentions), std::cmp::Reverse(e)))
    }

    /// `Title Word`: the one full name of compatible gender with that surname, if named at least twice, else the
    /// one with that first name (`Sir Walter`, `Miss Anne`); none when two could be meant, or when the one full
    /// name is written with other titles only. Titles but the plain ones join a surname only to a full name written
    /// with them (`Mrs. John Knightley`): `Lady Bertram` is not the one Bertram daughter named in full.
    fn titled(&self, word: u32, title: u8, gender: Gender) -> Option<u32> {
        let only = |list: Option<&Vec<(u32, u32)>>, as_surname: bool| {
            // A full name said once still makes a `Title Word` ambiguous, but is too little to join.
            let candidate = |&&(e, _): &&(u32, u32)| self.entry(e).is_some_and(|x| x.gender.compatible(gender));
            let mut found = list.into_iter().flatten().filter(candidate);
            let (Some(&(e, _)), None) = (found.next(), found.next()) else {
                return None;
            };
            let Some(Entry { titles, mentions: 2.., .. }) = self.entry(e) else { return None };
            let plain = !as_surname || TITLES.get(title as usize).is_some_and(|t| PLAIN.contains(&t.0));
            let fits = titles.contains(&title) || (titles.is_empty() && plain);
            fits.then_some(e)
        };
        let as_surname = self.by_last.get(&word).is_some_and(|l| !l.is_empty());
        if as_surname { only(self.by_last.get(&word), true) } else { only(self.by_first.get(&word), false) }
    }

    /// A bare word: the character most often called by it as a first name, or as a surname (`Mr. Knightley`
    /// for `Knightley`), whichever use is the more common; none unless that character is called so at least
    /// twice as often as any other.
    fn single(&self, word: u32, gender: Gender) -> Option<u32> {
        let ok = |e: &u32| self.entry(*e).is_some_and(|x| x.gender.compatible(gender));
        let firsts: Vec<(u32, u32)> = self.by_first.get(&word).into_iter().flatten().copied().collect();
        // A character may be called by the word both in full names and alone (`James Harthouse`, `Mr. Harthouse`).
        let mut lasts: FxHashMap<u32, u32> = FxHashMap::default();
        for &(e, n) in
            self.by_last.get(&word).into_iter().flatten().chain(self.by_word.get(&word).into_iter().flatten())
        {
            *lasts.entry(e).or_default() += n;
        }
        let lasts: Vec<(u32, u32)> = lasts.into_iter().collect();
        let side = |list: Vec<(u32, u32)>| -> Vec<(u32, u32)> { list.into_iter().filter(|(e, _)| ok(e)).collect() };
        let (firsts, lasts) = (side(firsts), side(lasts));
        let total = |list: &[(u32, u32)]| list.iter().map(|&(_, n)| n).sum::<u32>();
        let mut list = if total(&firsts) >= total(&lasts) { firsts } else { lasts };
        list.sort_by_key(|&(e, n)| (std::cmp::Reverse(n), e));
        match list.as_slice() {
            [] => None,
            [(e, _)] => Some(*e),
            [(e, n), (_, m), ..] => (*n >= 2 * *m).then_some(*e),
        }
    }
}

/// What [`Cast::named`] matches name phrases with.
#[derive(Debug, Clone, Default)]
struct Lookup {
    /// The keys of the words of the cast's names.
    keys: FxHashMap<Box<str>, u32>,
    /// The genders of those words that are common given names.
    given: FxHashMap<u32, Gender>,
    /// Every name as written, by [`surface_key`], and its character.
    surfaces: FxHashMap<Vec<u32>, u32>,
    /// The characters, by the parts of their names.
    roster: Roster,
}

/// Finds the characters of `doc` and their mentions.
pub fn cast(doc: &Document) -> Cast {
    let mut keys = Keys::default();
    // Each form's key, interned once: the possessive `emma's` is keyed as `emma`.
    let form_keys: Vec<(u32, bool)> = doc
        .forms
        .iter()
        .map(|f| {
            let (base, possessive) = strip_possessive(&f.norm);
            (keys.intern(base, f.stopword && !possessive), possessive)
        })
        .collect();
    let mut joined = String::new();
    let mut all: Vec<Unit> = Vec::with_capacity(doc.tokens.len());
    let mut sentence_units: Vec<usize> = Vec::with_capacity(doc.sentences.len() + 1);
    for s in &doc.sentences {
        sentence_units.push(all.len());
        units(doc, s.first_token as usize..s.end_token as usize, &mut all, |tokens| {
            let (key, possessive) = match tokens {
                [one] => form_keys.get(one.form() as usize).copied().unwrap_or((NO_KEY, false)),
                _ => {
                    joined.clear();
                    for (n, t) in tokens.iter().enumerate() {
                        if n > 0 {
                            joined.push('-');
                        }
                        joined.push_str(doc.norm(t));
                    }
                    let (base, possessive) = strip_possessive(&joined);
                    (keys.intern(base, false), possessive)
                }
            };
            let info = keys.info.get(key as usize);
            (key, possessive, info.and_then(|i| i.title), info.is_some_and(|i| i.connector))
        });
    }
    sentence_units.push(all.len());

    // How each key is written.
    for bounds in sentence_units.windows(2) {
        let units = &all[bounds[0]..bounds[1]];
        for (n, u) in units.iter().enumerate() {
            let Some(info) = keys.info.get_mut(u.key as usize) else { continue };
            match u.shape {
                Shape::Lower => info.lower += 1,
                Shape::Capital if !u.initial => info.cap_mid += 1,
                _ => {}
            }
            let after_title = n > 0 && units[n - 1].title.is_some() && units[n - 1].shape == Shape::Capital;
            if after_title && u.shape == Shape::Capital && adjacent(&doc.text, doc, &units[n - 1], u) {
                info.after_title += 1;
            }
        }
    }
    let is_name: Vec<bool> = keys
        .info
        .iter()
        .zip(&keys.text)
        .map(|(k, text)| {
            !k.excluded
                && k.title.is_none()
                && text.chars().count() >= 2
                && ((k.cap_mid >= 2 && k.lower * 3 < k.cap_mid)
                    || (k.after_title >= 2 && k.cap_mid > k.after_title / 2))
        })
        .collect();
    let word = |u: &Unit, after_title: bool| {
        let k = u.key as usize;
        is_name.get(k).copied().unwrap_or(false)
            || (after_title && keys.info.get(k).is_some_and(|i| !i.excluded && i.title.is_none()))
    };
    let long_word = |k: u32| keys.text.get(k as usize).is_some_and(|t| t.chars().count() >= 2);

    // The names, in text order, and the distinct surfaces they are.
    let mut surfaces: Vec<Surface> = Vec::new();
    let mut surface_ids: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
    let mut found: Vec<(Name, u32)> = Vec::new();
    // How many paragraphs name both a `Title Word` and a `Title First Word` surface.
    let mut apart: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let (mut this_paragraph, mut in_paragraph) = (0, Vec::new());
    for bounds in sentence_units.windows(2) {
        let units = &all[bounds[0]..bounds[1]];
        let mut i = 0;
        while i < units.len() {
            let Some((name, next)) = name_at(doc, units, i, &word, &long_word) else {
                i += 1;
                continue;
            };
            i = next;
            let key = surface_key(name.title, &name.words);
            let id = match surface_ids.get(&key) {
                Some(&id) => id,
                None => {
                    let id = surfaces.len() as u32;
                    surfaces.push(Surface {
                        title: name.title,
                        words: name.words.clone().into_boxed_slice(),
                        count: 0,
                        spellings: Vec::new(),
                        places: 0,
                        votes: (0, 0),
                        gender: Gender::Unknown,
                        entry: NO_KEY,
                    });
                    surface_ids.insert(key, id);
                    id
                }
            };
            let (place, vote, paragraph) = context(doc, &name);
            if paragraph != this_paragraph {
                together(&mut apart, &surfaces, &in_paragraph);
                (this_paragraph, in_paragraph) = (paragraph, Vec::new());
            }
            // Only titled names are paired (`Mr. Knightley`, `Mr. John Knightley`).
            if name.title.is_some() && !in_paragraph.contains(&id) {
                in_paragraph.push(id);
            }
            let surface = &mut surfaces[id as usize];
            surface.count += 1;
            let spelling = spelling(doc, &name);
            match surface.spellings.iter_mut().find(|(s, _)| **s == *spelling) {
                Some((_, n)) => *n += 1,
                None => surface.spellings.push((spelling.into(), 1)),
            }
            surface.places += u32::from(place);
            match vote {
                Gender::Male => surface.votes.0 += 1,
                Gender::Female => surface.votes.1 += 1,
                Gender::Unknown => {}
            }
            found.push((name, id));
        }
    }

    together(&mut apart, &surfaces, &in_paragraph);

    // What each surface shows of its bearer, and which name no one: places, and families (`the Eltons`).
    let given = |w: u32| keys.text.get(w as usize).map_or(Gender::Unknown, |t| given_gender(t));
    let plural_of_name = |w: u32| {
        let text = keys.text.get(w as usize).map_or("", |t| &**t);
        text.strip_suffix('s').and_then(|one| keys.ids.get(one)).is_some_and(|&k| is_name[k as usize])
    };
    let mut dropped = vec![false; surfaces.len()];
    // A full name's pronouns are few; its first name's (`Sissy` for `Sissy Jupe`) count too.
    let first_votes: Vec<(u32, u32)> = surfaces
        .iter()
        .map(|s| match (&*s.words, s.title) {
            ([first, _, ..], None) => surface_ids
                .get(&surface_key(None, &[*first]))
                .and_then(|&f| surfaces.get(f as usize))
                .map_or((0, 0), |f| f.votes),
            _ => (0, 0),
        })
        .collect();
    for (s, surface) in surfaces.iter_mut().enumerate() {
        let first = surface.words.first().copied().unwrap_or(NO_KEY);
        let votes = (surface.votes.0 + first_votes[s].0, surface.votes.1 + first_votes[s].1);
        surface.gender = match (title_gender(surface.title), given(first)) {
            (Gender::Unknown, Gender::Unknown) => voted(votes),
            (Gender::Unknown, g) | (g, _) => g,
        };
        let person = surface.title.is_some() || given(first) != Gender::Unknown;
        let place = f64::from(surface.places) >= PLACE_SHARE * f64::from(surface.count);
        dropped[s] = (!person && place) || surface.words.last().is_some_and(|&w| plural_of_name(w));
    }

    let roster = cluster(&mut surfaces, &dropped, &apart);
    finish(&keys, surfaces, found, roster)
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

/// Whether a name follows a place word (`at Hartfield`, `in the Abbey`), the gender of the first gendered
/// pronoun after it in its sentence or the next, and its paragraph.
fn context(doc: &Document, name: &Name) -> (bool, Gender, u32) {
    let norm_at = |t: usize| doc.tokens.get(t).map_or("", |t| doc.norm(t));
    let sentence = doc.sentence_of(name.first as usize);
    let start = doc.sentences.get(sentence).map_or(0, |s| s.first_token as usize);
    let paragraph = doc.sentences.get(sentence).map_or(0, |s| s.paragraph);
    let at = name.first as usize;
    let before = |n: usize| if at >= start + n { norm_at(at - n) } else { "" };
    let place = PLACE_WORDS.contains(&before(1)) || (before(1) == "the" && PLACE_WORDS.contains(&before(2)));
    let stop = doc.sentences.get(sentence + 1).or(doc.sentences.get(sentence)).map_or(0, |s| s.end_token as usize);
    let stop = stop.min(name.end as usize + PRONOUN_REACH);
    for t in name.end as usize..stop {
        let w = norm_at(t);
        if MALE_PRONOUNS.contains(&w) {
            return (place, Gender::Male, paragraph);
        }
        if FEMALE_PRONOUNS.contains(&w) {
            return (place, Gender::Female, paragraph);
        }
    }
    (place, Gender::Unknown, paragraph)
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

/// Clusters the surfaces not `dropped` into the entries of a roster: full names, then `Title Word`, then bare
/// words, each kind most frequent first.
fn cluster(surfaces: &mut [Surface], dropped: &[bool], apart: &FxHashMap<(u32, u32), u32>) -> Roster {
    let mut roster = Roster::default();
    let mut order: Vec<usize> = (0..surfaces.len()).filter(|&s| !dropped[s]).collect();
    order.sort_by_key(|&s| (std::cmp::Reverse(surfaces[s].count), s));

    // Full names with a gendered title first, one character per name and gender (`Mr.` and `Mrs. John
    // Knightley` are two people); then the rest join the compatible one, or start their own.
    for pass in 0..2 {
        for &s in &order {
            let surface = &mut surfaces[s];
            let titled = title_gender(surface.title) != Gender::Unknown;
            if surface.words.len() < 2 || (pass == 0) != titled {
                continue;
            }
            let entry = if pass == 0 {
                let same = roster.by_words.get(&surface.words).into_iter().flatten().copied();
                same.filter(|&e| roster.entries[e as usize].gender == surface.gender).min()
            } else {
                roster.full(&surface.words, surface.gender)
            };
            let entry = entry.unwrap_or_else(|| roster.new_entry(surface.gender));
            roster.join(surface, entry);
        }
    }
    // `Title Word` joins the one full name it can mean, or stands alone (`Miss Bates` and `Mrs. Bates` apart).
    let mut besides: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for (&(single, full), &n) in apart {
        if let Some(f) = surfaces.get(full as usize).filter(|f| f.entry != NO_KEY) {
            *besides.entry((single, f.entry)).or_default() += n;
        }
    }
    let mut alone: FxHashMap<(u8, u32), u32> = FxHashMap::default();
    for &s in &order {
        let surface = &mut surfaces[s];
        let (Some(title), [word]) = (surface.title, &*surface.words) else { continue };
        let word = *word;
        // Not a full name this `Title Word` keeps being named beside (`Mr. Knightley` and `Mr. John Knightley`).
        let beside = |e: u32| besides.get(&(s as u32, e)).is_some_and(|&n| n >= APART);
        let entry = roster.titled(word, title, surface.gender).filter(|&e| !beside(e));
        let entry =
            entry.unwrap_or_else(|| *alone.entry((title, word)).or_insert_with(|| roster.new_entry(surface.gender)));
        roster.join(surface, entry);
    }
    // A bare word joins the character it most often names, or stands alone (`Eeyore`).
    for &s in &order {
        let surface = &mut surfaces[s];
        let (None, [word]) = (surface.title, &*surface.words) else { continue };
        let entry = roster.single(*word, surface.gender).unwrap_or_else(|| roster.new_entry(surface.gender));
        roster.join(surface, entry);
    }
    roster
}

/// Drops the entries named only once, settles genders, and builds the cast.
fn finish(keys: &Keys, surfaces: Vec<Surface>, found: Vec<(Name, u32)>, roster: Roster) -> Cast {
    let n = roster.entries.len();
    let mut votes = vec![(0u32, 0u32); n];
    let mut first_seen = vec![u32::MAX; n];
    for surface in &surfaces {
        if let Some(v) = votes.get_mut(surface.entry as usize) {
            v.0 += surface.votes.0;
            v.1 += surface.votes.1;
        }
    }
    for (name, surface) in &found {
        if let Some(f) = first_seen.get_mut(surfaces[*surface as usize].entry as usize) {
            *f = (*f).min(name.first);
        }
    }

    // The entries kept, most mentioned first.
    let mut kept: Vec<usize> = (0..n).filter(|&e| roster.entries[e].mentions >= 2).collect();
    kept.sort_by_key(|&e| (std::cmp::Reverse(roster.entries[e].mentions), first_seen[e]));
    let mut id_of = vec![NO_KEY; n];
    for (id, &e) in kept.iter().enumerate() {
        id_of[e] = id as u32;
    }
    let id_of_surface = |s: &Surface| id_of.get(s.entry as usize).copied().filter(|&id| id != NO_KEY);

    let mut aliases: Vec<Vec<(u32, &str)>> = vec![Vec::new(); kept.len()];
    let mut lookup = Lookup::default();
    for surface in &surfaces {
        let Some(id) = id_of_surface(surface) else { continue };
        let spelling = surface.spellings.iter().max_by_key(|(s, n)| (*n, std::cmp::Reverse(&**s)));
        if let Some((s, _)) = spelling {
            aliases[id as usize].push((surface.count, s));
        }
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
    let mut characters = Vec::with_capacity(kept.len());
    for (id, &e) in kept.iter().enumerate() {
        let list = &mut aliases[id];
        list.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.len().cmp(&a.1.len())).then(a.1.cmp(b.1)));
        let mut names: Vec<String> = Vec::with_capacity(list.len());
        for (_, s) in list.iter() {
            if !names.iter().any(|n| n == s) {
                names.push((*s).to_string());
            }
        }
        let gender = match roster.entries[e].gender {
            Gender::Unknown => voted(votes[e]),
            g => g,
        };
        characters.push(Character {
            name: names.first().cloned().unwrap_or_default(),
            aliases: names,
            gender,
            mentions: roster.entries[e].mentions as usize,
        });
    }

    // The roster of the cast, for matching name phrases later: the same rules, over the characters kept.
    let mut final_roster = Roster::default();
    for c in &characters {
        final_roster.entries.push(Entry { gender: c.gender, mentions: 0, titles: Vec::new() });
    }
    for surface in &surfaces {
        let Some(id) = id_of_surface(surface) else { continue };
        let mut copy = surface.clone();
        copy.gender = Gender::Unknown;
        final_roster.join(&mut copy, id);
    }
    lookup.roster = final_roster;

    let mentions = found
        .iter()
        .filter_map(|(name, s)| {
            let id = id_of_surface(&surfaces[*s as usize])?;
            Some(Mention { first_token: name.first, end_token: name.end, character: id })
        })
        .collect();
    Cast { characters, mentions, lookup }
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
            joined.clear();
            for (n, t) in tokens.iter().enumerate() {
                if n > 0 {
                    joined.push('-');
                }
                joined.push_str(doc.norm(t));
            }
            let (base, possessive) = strip_possessive(&joined);
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
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_text("t", text)
    }

    /// The character one of whose aliases is `alias`.
    fn who<'c>(cast: &'c Cast, alias: &str) -> Option<&'c Character> {
        cast.characters.iter().find(|c| c.aliases.iter().any(|a| a == alias))
    }

    const HIGHBURY: &str = "\
Emma Woodhouse lived at home. Yesterday Emma Woodhouse walked out.

The next day Emma met Harriet. Then Emma smiled, and Miss Woodhouse laughed. It was Emma who spoke.

Mr. Knightley came in. Later Mr. Knightley sat down, and George Knightley and John Knightley talked. \
Then John Knightley left, and George Knightley stayed.

Mrs. Weston sat with Mr. Weston. Later Mrs. Weston spoke, and Mr. Weston listened.

Miss Bates talked to Mrs. Bates. Then Miss Bates talked again, and Mrs. Bates slept.";

    #[test]
    fn first_full_and_titled_forms_of_one_name_are_one_character() {
        let d = doc(HIGHBURY);
        let c = cast(&d);
        let emma = who(&c, "Emma").expect("Emma is found");
        assert_eq!(emma.name, "Emma");
        for alias in ["Emma Woodhouse", "Miss Woodhouse"] {
            assert!(emma.aliases.iter().any(|a| a == alias), "{alias} not in {:?}", emma.aliases);
        }
        assert_eq!(emma.mentions, 6);
        assert_eq!(emma.gender, Gender::Female);
    }

    #[test]
    fn a_title_and_surname_shared_by_two_full_names_stands_alone() {
        let c = cast(&doc(HIGHBURY));
        let mr = who(&c, "Mr. Knightley").expect("Mr. Knightley is found");
        assert_eq!(mr.aliases, ["Mr. Knightley"]);
        assert_eq!(mr.gender, Gender::Male);
        let george = who(&c, "George Knightley").expect("George Knightley is found");
        let john = who(&c, "John Knightley").expect("John Knightley is found");
        assert_ne!(george.name, john.name);
    }

    #[test]
    fn titles_of_another_gender_or_kind_keep_people_with_one_surname_apart() {
        let c = cast(&doc(HIGHBURY));
        let (mrs, mr) = (who(&c, "Mrs. Weston").unwrap(), who(&c, "Mr. Weston").unwrap());
        assert_ne!(mrs.name, mr.name);
        assert_eq!((mrs.gender, mr.gender), (Gender::Female, Gender::Male));
        assert_ne!(who(&c, "Miss Bates").unwrap().name, who(&c, "Mrs. Bates").unwrap().name);
    }

    #[test]
    fn a_name_mentioned_once_is_no_character() {
        let c = cast(&doc(HIGHBURY));
        assert!(who(&c, "Harriet").is_none(), "{:?}", c.characters);
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
    fn places_and_families_are_not_characters() {
        let text = "They dined at Hartfield. Later the party at Hartfield ended, and Emma stayed in Hartfield. \
                    Then Emma called on the Eltons. Later the Eltons came, and Mr. Elton spoke. Then Mr. Elton left.";
        let c = cast(&doc(text));
        let names: Vec<&str> = c.characters.iter().map(|c| c.name.as_str()).collect();
        assert!(!names.contains(&"Hartfield") && !names.contains(&"Eltons"), "{names:?}");
        assert!(names.contains(&"Mr. Elton") && names.contains(&"Emma"), "{names:?}");
    }

    #[test]
    fn a_title_surname_named_again_and_again_beside_a_full_name_is_another_person() {
        // Mr. John Knightley is the only full name with the surname, but the two are named together.
        let text = "Mr. Knightley came, and Mr. John Knightley came.\n\n\
                    Mr. Knightley sat by Mr. John Knightley.\n\n\
                    Then Mr. John Knightley spoke, and Mr. Knightley listened.\n\n\
                    Mr. Knightley said more.";
        let c = cast(&doc(text));
        assert_ne!(who(&c, "Mr. Knightley").unwrap().name, who(&c, "Mr. John Knightley").unwrap().name);
        // Named beside it once, when introduced, it joins.
        let text =
            "Mr. Frank Churchill came, and Mr. Churchill bowed.\n\nMr. Frank Churchill sat. Then Mr. Churchill spoke.";
        let c = cast(&doc(text));
        assert_eq!(who(&c, "Mr. Churchill").unwrap().name, who(&c, "Mr. Frank Churchill").unwrap().name);
    }

    #[test]
    fn a_wifes_or_ranks_title_joins_only_a_full_name_written_with_it() {
        let text = "Then Maria Bertram came, and Lady Bertram sat. Later Maria Bertram left, and Lady Bertram slept. \
                    Then Admiral Crawford came, and Henry Crawford bowed. Later Admiral Crawford left, and Henry \
                    Crawford stayed. Then Miss Price came, and Fanny Price sat. Later Miss Price left, and Fanny Price \
                    stayed.";
        let c = cast(&doc(text));
        assert_ne!(who(&c, "Lady Bertram").unwrap().name, who(&c, "Maria Bertram").unwrap().name);
        assert_ne!(who(&c, "Admiral Crawford").unwrap().name, who(&c, "Henry Crawford").unwrap().name);
        // A plain title joins.
        assert_eq!(who(&c, "Miss Price").unwrap().name, who(&c, "Fanny Price").unwrap().name);
    }

    #[test]
    fn a_full_name_said_once_still_makes_a_title_and_surname_ambiguous() {
        let text = "Then Anne Elliot came, and Miss Elliot sat. Later Anne Elliot left, and Miss Elliot slept. \
                    Then Elizabeth Elliot frowned, and Elizabeth sighed.";
        let c = cast(&doc(text));
        assert_ne!(who(&c, "Miss Elliot").unwrap().name, who(&c, "Anne Elliot").unwrap().name);
        // Without the other Elliot, Miss Elliot is Anne.
        let c = cast(&doc(&text.replace("Elizabeth Elliot", "Elizabeth")));
        assert_eq!(who(&c, "Miss Elliot").unwrap().name, who(&c, "Anne Elliot").unwrap().name);
    }

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
        let emma = c.characters.iter().position(|ch| ch.name == "Emma").map(|i| i as u32);
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
        let emma = c.characters.iter().position(|ch| ch.name == "Emma").map(|i| i as u32);
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

    #[test]
    fn titles_with_and_without_their_dot_are_one_name() {
        let text = "Then Mr. Elliot came. Later Mr Elliot left, and Mr Elliot returned.";
        let c = cast(&doc(text));
        assert_eq!(c.characters.len(), 1, "{:?}", c.characters);
        assert_eq!(c.characters[0].name, "Mr Elliot");
        assert_eq!(c.characters[0].aliases.len(), 1);
    }

    #[test]
    fn an_empty_document_has_no_cast() {
        let d = doc("");
        let c = cast(&d);
        assert!(c.characters.is_empty() && c.mentions.is_empty());
        assert_eq!(c.named(&d, 0..3), None);
    }
}
