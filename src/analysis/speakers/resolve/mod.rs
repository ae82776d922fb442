//! The character of each quotation, by a sieve of rules taken in the order rule-based systems take them (He et
//! al. 2013, Muzny et al. 2017), the most trusted first:
//!
//! 1. **tag** — its own tag names a character (`said Emma`, `Mr. Knightley replied`), or is a definite
//!    description no name stands for (`said the landlady`), a character of its own;
//! 2. **pronoun** — its tag is `he`, `she` or a description that only says sex and age (`the old lady`): the one of
//!    that gender the turn before addressed by name, or else the most recent of that gender among the narration's
//!    subjects and those who spoke (those who speak under a name tag first), never the narrator; `I` is the
//!    narrator, named by how the turns beside the narrator's own address them;
//! 3. **inherited** — another quotation of its paragraph has a character (`“Yes,” said Emma. “I hope I do.”`);
//! 4. **paragraph** — the narration of its paragraph names one character and no other (`Emma looked up.
//!    “Yes.”`);
//! 5. **narration** — an untagged turn right after a paragraph of narration: the first character that paragraph
//!    names as a subject might be (`Anne looked at Marilla through the apple blossoms.` then `“What is Diana
//!    like?”`);
//! 6. **turn** — an untagged turn of a conversation (paragraphs of speech one after another): the character the
//!    last turn addressed by name (`“Well, Miss Woodhouse, …”`), or else the speaker of the turn before the last
//!    when it is not the last one's; read forward, then backward from the turns that follow; and where the turns
//!    named by rules 1–4 alternate between two characters (or name one, whose turns address another by name),
//!    every other turn takes the one its place gives;
//!
//! otherwise no character. Rules 2, 4, 5 and 6 never give a character the quotation itself names (`“Do you see
//! Mr. Denham often?” he said` is not Mr. Denham's). A relative (`her father`) is found by the title the relation
//! takes and the surname of the one `her` refers to (`Mr. Woodhouse`), or else as the nearest of the relative's
//! gender but that one, by rule 2; so is `the other`, the speaker before the last. An indefinite or other
//! possessive description (`a man`, `his friend`) names no one, and its paragraph inherits nothing from the rest.

use rustc_hash::FxHashMap;

use super::{Cast, Gender, Mention};
use crate::analysis::quotes::{PREPOSITIONS, Quotation, QuoteAnalysis, Rule, Speaker, Subject, Tag};
use crate::text::Document;
use crate::text::titles::{title_gender, title_of};
use titled::{has_title, only_with_title, with_titles};

/// Paragraphs of narration a conversation runs on over. One more than none names 2,300 more turns on the PDNC
/// novels, but only one in six of them rightly: a turn after narration is seldom a reply.
const CONVERSATION_GAP: usize = 0;
/// How far back, in bytes, a pronoun looks for its character.
const PRONOUN_REACH: usize = 6_000;

/// Nouns whose gender a definite description shows (`the old lady`, `the young man`), which then refers back to a
/// character of that gender.
const FEMALE_NOUNS: &[&str] = &[
    "woman",
    "lady",
    "girl",
    "mother",
    "aunt",
    "sister",
    "wife",
    "daughter",
    "widow",
    "maid",
    "niece",
    "grandmother",
    "queen",
    "princess",
    "duchess",
    "countess",
    "hostess",
    "governess",
    "mistress",
    "landlady",
    "damsel",
    "madam",
    "nurse",
    "bride",
    "heroine",
];
const MALE_NOUNS: &[&str] = &[
    "man",
    "gentleman",
    "boy",
    "father",
    "uncle",
    "brother",
    "husband",
    "son",
    "nephew",
    "grandfather",
    "king",
    "prince",
    "duke",
    "count",
    "lord",
    "fellow",
    "lad",
    "landlord",
    "master",
    "host",
    "youth",
    "squire",
    "bridegroom",
    "hero",
    "sir",
];

const POSSESSIVES: &[&str] = &["his", "her", "their", "my", "our", "your", "its"];

/// Relations a possessive description names (`his mother`), with the title the relative goes by.
const KIN: &[(&str, &str)] = &[
    ("mother", "Mrs"),
    ("wife", "Mrs"),
    ("aunt", "Mrs"),
    ("father", "Mr"),
    ("husband", "Mr"),
    ("uncle", "Mr"),
    ("brother", "Mr"),
    ("son", "Mr"),
    ("sister", "Miss"),
    ("daughter", "Miss"),
];

/// For `his mother`, `her husband`: the owner's gender and the title the relative goes by.
fn kin(doc: &Document, tag: &Tag) -> Option<(Gender, &'static str)> {
    let owner = possessive_owner(doc, tag)?;
    let head = doc.norm(&doc.tokens[tag.subject.start + 1]);
    KIN.iter().find(|(noun, _)| *noun == head).map(|&(_, title)| (owner, title))
}

/// Nouns for the one someone is with (`his companion`, `her host`): the other party of the talk.
const COMPANIONS: &[&str] = &[
    "companion",
    "friend",
    "visitor",
    "host",
    "hostess",
    "guest",
    "mentor",
    "patron",
    "interlocutor",
    "neighbour",
    "neighbor",
    "comrade",
];

/// For `his companion`, `her host`: the owner's gender.
fn companion(doc: &Document, tag: &Tag) -> Option<Gender> {
    let owner = possessive_owner(doc, tag)?;
    COMPANIONS.contains(&doc.norm(&doc.tokens[tag.subject.start + 1])).then_some(owner)
}

/// The gender of `his` or `her` opening a description of two words (`his mother`, `her friend`).
fn possessive_owner(doc: &Document, tag: &Tag) -> Option<Gender> {
    if tag.subject.len() != 2 {
        return None;
    }
    match doc.norm(&doc.tokens[tag.subject.start]) {
        "his" => Some(Gender::Male),
        "her" => Some(Gender::Female),
        _ => None,
    }
}

/// For `her ladyship`, `his lordship`: the title the one so called goes by.
fn honorific(doc: &Document, tag: &Tag) -> Option<u8> {
    possessive_owner(doc, tag)?;
    match doc.norm(&doc.tokens[tag.subject.start + 1]) {
        "ladyship" => title_of("lady"),
        "lordship" => title_of("lord"),
        _ => None,
    }
}

/// The gender of a pronoun or of a description's head noun (its last word).
fn gender_of(doc: &Document, tag: &Tag) -> Option<Gender> {
    let last = doc.norm(&doc.tokens[tag.subject.end - 1]);
    match last {
        "he" => Some(Gender::Male),
        "she" => Some(Gender::Female),
        // `his mother`, `her host`: someone related to another, not the nearest of that gender.
        _ if POSSESSIVES.contains(&doc.norm(&doc.tokens[tag.subject.start])) => None,
        _ if tag.kind == Subject::Description => noun_gender(last),
        _ => None,
    }
}

/// The gender a noun says (`lady`, `gentleman`), if it says one.
fn noun_gender(noun: &str) -> Option<Gender> {
    if FEMALE_NOUNS.contains(&noun) {
        Some(Gender::Female)
    } else if MALE_NOUNS.contains(&noun) {
        Some(Gender::Male)
    } else {
        None
    }
}

/// A character as resolution knows it: one of the cast, or a name only a tag gives.
type Who = usize;

/// The characters resolution has met, by name: the cast's, then names only a tag gives.
struct People {
    names: Vec<String>,
    genders: Vec<Gender>,
    by_name: FxHashMap<String, Who>,
}

impl People {
    fn new(cast: &Cast) -> People {
        let names: Vec<String> = cast.characters.iter().map(|c| c.name.clone()).collect();
        let genders = cast.characters.iter().map(|c| c.gender).collect();
        let by_name = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        People { names, genders, by_name }
    }

    /// The character a definite description gives (`the landlady`), under the description as written.
    fn described(&mut self, doc: &Document, tag: &Tag) -> Who {
        self.by_text(tag.speaker(doc), named_gender(doc, tag))
    }

    /// The character named `name`, new if no one is.
    fn by_text(&mut self, name: String, gender: Gender) -> Who {
        if let Some(&w) = self.by_name.get(&name) {
            return w;
        }
        self.names.push(name.clone());
        self.genders.push(gender);
        self.by_name.insert(name, self.names.len() - 1);
        self.names.len() - 1
    }

    /// The character a name tag gives: the cast's, the one character of the cast a title alone goes with
    /// (`said Mademoiselle`, where only Mademoiselle Reisz is one), or a new one under the name as written.
    fn named(&mut self, doc: &Document, cast: &Cast, tag: &Tag) -> Who {
        if let Some(c) = cast.named(doc, tag.subject.clone()).map(|c| c as Who).or_else(|| by_title(doc, cast, tag)) {
            return c;
        }
        let name = tag.speaker(doc);
        let name = name.strip_prefix("the ").map_or(name.clone(), str::to_string);
        self.by_text(name, named_gender(doc, tag))
    }
}

/// The gender of a name or description only a tag gives: its title's, wherever the title stands (`the General`,
/// `the old Admiral`), else its head noun's (`the Invisible Man`).
fn named_gender(doc: &Document, tag: &Tag) -> Gender {
    let words = || tag.subject.clone().map(|t| doc.norm(&doc.tokens[t]));
    let titled = words().map(|w| title_gender(title_of(w))).find(|&g| g != Gender::Unknown);
    let head = doc.norm(&doc.tokens[tag.subject.end - 1]);
    titled.or_else(|| noun_gender(head)).unwrap_or(Gender::Unknown)
}

/// For a tag whose subject is a title alone (`Mademoiselle`, `the Colonel`, `the hopeless Inspector`), the one
/// character of the cast whose names have that title, if exactly one has.
fn by_title(doc: &Document, cast: &Cast, tag: &Tag) -> Option<Who> {
    let last = tag.subject.end - 1;
    let lower = |t: usize| doc.text.get(doc.tokens[t].start()..).is_some_and(|w| !w.starts_with(char::is_uppercase));
    let only_title = (tag.subject.start..last).all(lower);
    let title = title_of(doc.norm(&doc.tokens[last])).filter(|_| only_title)?;
    only_with_title(cast, title)
}

/// One paragraph of speech: its quotations and who speaks it.
#[derive(Debug, Clone)]
struct Turn {
    paragraph: usize,
    /// Indices into the top-level quotations.
    quotes: std::ops::Range<usize>,
}

/// The character of every quotation of `quotes` (indexed as its quotations; nested ones get none), by index into
/// the names returned with them: the cast's characters in its order, then the names only a tag gives.
pub fn resolve(doc: &Document, cast: &Cast, quotes: &QuoteAnalysis<'_>) -> (Vec<String>, Vec<Option<Speaker>>) {
    let mut sieve = Sieve::new(doc, cast, quotes);
    for k in 0..sieve.turns.len() {
        sieve.turn(k);
    }
    let Sieve { top, turns, people, addressed, mut who, mut turn_speakers, described, .. } = sieve;
    backward_turns(&turns, &described, &mut turn_speakers, &mut who);
    let addressed_in = |turn: &Turn| named_in(turn, &addressed, &top).collect::<Vec<Who>>();
    two_voices(&turns, &described, &people.genders, &addressed_in, &mut who);
    let mut out = vec![None; quotes.len()];
    for (q, w) in top.iter().zip(who) {
        out[q.index] = w.map(|(w, rule)| Speaker { character: w as u32, rule });
    }
    (people.names, out)
}

/// The state of the sieve as it reads a document's turns in order.
struct Sieve<'a> {
    doc: &'a Document,
    cast: &'a Cast,
    top: Vec<Quotation<'a>>,
    turns: Vec<Turn>,
    people: People,
    /// Mentions in the narration (outside every quotation), in text order.
    narrated: Vec<Placed>,
    /// Mentions inside speech that address someone, in text order.
    addressed: Vec<Placed>,
    /// Every mention inside speech, in text order.
    quoted: Vec<Placed>,
    /// Who speaks somewhere under a name tag: a pronoun refers back to one of them first, not to a capitalised
    /// word the cast took for a name (a place, a street).
    speaking: Vec<bool>,
    narrator: Option<Who>,
    /// Each top-level quotation's character and rule, so far.
    who: Vec<Option<(Who, Rule)>>,
    /// (byte, speaker) of the quotations resolved so far by their own tag or their paragraph's (tag, pronoun,
    /// inherited): a speaker guessed from a turn's place is no evidence for the next pronoun.
    spoken: Vec<(usize, Who)>,
    /// Each turn's speaker: its first quotation's.
    turn_speakers: Vec<Option<Who>>,
    /// Turns whose tag names someone no rule can name (`said a man`): they have a speaker, but not a known one.
    described: Vec<bool>,
}

impl<'a> Sieve<'a> {
    fn new(doc: &'a Document, cast: &'a Cast, quotes: &'a QuoteAnalysis<'_>) -> Sieve<'a> {
        let top = quotes.top_level();
        let people = People::new(cast);
        let turns = turns(doc, &top);
        let Mentions { narrated, addressed, quoted } = split_mentions(doc, &with_titles(doc, cast), &top);
        let narrator = narrator(doc, &turns, &top, &addressed).or_else(|| unnarrated(doc, &top, &narrated, &addressed));
        let mut speaking = vec![false; people.names.len()];
        for tag in top.iter().filter_map(|q| q.tag).filter(|t| t.kind == Subject::Name) {
            if let Some(c) = cast.named(doc, tag.subject.clone()) {
                speaking[c as usize] = true;
            }
        }
        narrator.inspect(|&w| speaking[w] = true);
        let (who, turn_speakers, described) =
            (vec![None; top.len()], vec![None; turns.len()], vec![false; turns.len()]);
        Sieve {
            doc,
            cast,
            top,
            turns,
            people,
            narrated,
            addressed,
            quoted,
            speaking,
            narrator,
            who,
            spoken: Vec::new(),
            turn_speakers,
            described,
        }
    }

    /// Runs the rules on turn `k`, in order, and records who speaks it.
    fn turn(&mut self, k: usize) {
        let quotes = self.turns[k].quotes.clone();
        for q in quotes.clone() {
            self.who[q] = self.by_tag(k, q);
            // `a man`, `someone`, `his mother`: someone speaks whom no rule can name.
            let described = self.who[q].is_none() && self.top[q].tag.is_some_and(|t| t.kind == Subject::Description);
            self.described[k] |= described;
        }
        if !self.described[k] {
            self.inherit(quotes.clone());
            if self.who[quotes.start].is_none()
                && let Some((w, rule)) = self.untagged(k)
            {
                quotes.clone().for_each(|q| self.who[q] = Some((w, rule)));
            }
        }
        self.turn_speakers[k] = self.who[quotes.start].map(|(w, _)| w);
        for q in quotes {
            if let Some((w, rule)) = self.who[q]
                && matches!(rule, Rule::Tag | Rule::Pronoun | Rule::Inherited)
            {
                self.spoken.push((self.top[q].open.start, w));
            }
        }
    }

    /// Rules 1 and 2: the character quotation `q` of turn `k` is given by its own tag.
    fn by_tag(&mut self, k: usize, q: usize) -> Option<(Who, Rule)> {
        let (doc, tag) = (self.doc, self.top[q].tag?);
        let definite = doc.norm(&doc.tokens[tag.subject.start]) == "the";
        match tag.kind {
            Subject::Name => Some((self.people.named(doc, self.cast, tag), Rule::Tag)),
            Subject::Description if is_the_other(doc, tag) => self.the_other(k, q).map(|w| (w, Rule::Pronoun)),
            // `the landlady`, `the constable`: a character no name stands for, by its description.
            Subject::Description if definite && gender_of(doc, tag).is_none() => {
                Some((self.people.described(doc, tag), Rule::Tag))
            }
            Subject::Pronoun if is_first_person(doc, tag) => self.narrator.map(|w| (w, Rule::Pronoun)),
            Subject::Description if kin(doc, tag).is_some() => self.by_kin(k, q, tag).map(|w| (w, Rule::Pronoun)),
            Subject::Description if companion(doc, tag).is_some() => {
                self.by_companion(k, q, tag).map(|w| (w, Rule::Pronoun))
            }
            Subject::Description if honorific(doc, tag).is_some() => {
                self.by_honorific(q, tag).map(|w| (w, Rule::Pronoun))
            }
            _ => gender_of(doc, tag).and_then(|g| self.by_gender(k, q, g)).map(|w| (w, Rule::Pronoun)),
        }
    }

    /// Who `his mother`, `her father`, `his wife` is: the owner is resolved as `he` or `she` would be, and the
    /// relative is the character of the cast named by the title that relation takes and the owner's surname
    /// (`her father`, said of Emma Woodhouse, is Mr. Woodhouse; `his wife`, of Mr. Elton, Mrs. Elton); when no one
    /// is, the nearest character of the relative's gender but the owner, as a pronoun would find them.
    fn by_kin(&self, k: usize, q: usize, tag: &Tag) -> Option<Who> {
        let (owner_gender, title) = kin(self.doc, tag)?;
        let owner = self.by_gender(k, q, owner_gender)?;
        self.relative(owner, title).or_else(|| {
            let gender = if title == "Mr" { Gender::Male } else { Gender::Female };
            let mut not: Vec<Who> = named_in(&turn_of(q), &self.quoted, &self.top).collect();
            not.push(owner);
            self.nearest(q, Some(gender), &not)
        })
    }

    /// Who `his companion`, `her host` is: the owner is resolved as `he` or `she` would be, and the companion is
    /// the other party, as `the other` is found, or else the nearest character but the owner.
    fn by_companion(&self, k: usize, q: usize, tag: &Tag) -> Option<Who> {
        let owner = self.by_gender(k, q, companion(self.doc, tag)?)?;
        let mut not: Vec<Who> = named_in(&turn_of(q), &self.quoted, &self.top).collect();
        not.push(owner);
        self.the_other(k, q).filter(|w| !not.contains(w)).or_else(|| self.nearest(q, None, &not))
    }

    /// Who `her ladyship`, `his lordship` is: the nearest character whose names have that title.
    fn by_honorific(&self, q: usize, tag: &Tag) -> Option<Who> {
        let title = honorific(self.doc, tag)?;
        let titled: Vec<bool> = self.cast.characters.iter().map(|c| has_title(c, title)).collect();
        let fits = |w: Who| titled.get(w).copied().unwrap_or(false);
        nearest(self.top[q].open.start, &fits, &self.speaking, &self.narrated, &self.spoken)
    }

    /// The character of the cast named `title` and the surname of `owner`'s first name of two words or more
    /// (`Emma Woodhouse`, `Mr. Elton`).
    fn relative(&self, owner: Who, title: &str) -> Option<Who> {
        let character = self.cast.characters.get(owner)?;
        let surname = character.aliases.iter().find(|a| a.split_whitespace().count() > 1)?.split_whitespace().last()?;
        let wanted = [format!("{title}. {surname}"), format!("{title} {surname}")];
        let relative = self.cast.characters.iter().position(|c| c.aliases.iter().any(|a| wanted.contains(a)))?;
        (relative != owner).then_some(relative)
    }

    /// Who `said the other` is: in a conversation, the speaker before the last when not the last one, or else
    /// whom the last turn addressed by name; otherwise the character named last before it (`Syme pointed this out
    /// to Ratcliffe. “Yes,” replied the other`), never the last speaker.
    fn the_other(&self, k: usize, q: usize) -> Option<Who> {
        let conversing = k > 0 && follows(&self.turns, k - 1, k);
        let last = conversing.then(|| self.turn_speakers[k - 1]).flatten();
        let last = last.or_else(|| self.spoken.last().map(|s| s.1));
        if conversing && let Some(w) = alternation(&self.turns, &self.turn_speakers, k, &self.addressed, &self.top) {
            return Some(w);
        }
        let at = self.top[q].open.start;
        let floor = at.saturating_sub(PRONOUN_REACH);
        let n = self.narrated.partition_point(|m| m.at < at);
        let recent = self.narrated[..n].iter().rev().take_while(|m| m.at >= floor);
        recent.map(|m| m.character).find(|&w| Some(w) != last)
    }

    /// Whom a pronoun of gender `g` tagging quotation `q` of turn `k` refers to: someone the last turn addressed
    /// by name answers; else the nearest of that gender. Never the narrator, who is `I`, not `he` or `she`.
    fn by_gender(&self, k: usize, q: usize, g: Gender) -> Option<Who> {
        let conversing = k > 0 && follows(&self.turns, k - 1, k);
        let previous = conversing.then(|| self.turn_speakers[k - 1]).flatten();
        let genders = &self.people.genders;
        let hailed = conversing
            .then(|| named_in(&self.turns[k - 1], &self.addressed, &self.top))
            .and_then(|mut v| v.find(|&w| genders[w] == g && Some(w) != previous && Some(w) != self.narrator));
        // Whom a speech names it seldom is: `“… with Ralph Denham. Are you,” he added` is not Ralph's.
        let mut not: Vec<Who> = named_in(&turn_of(q), &self.quoted, &self.top).collect();
        not.extend(self.narrator);
        hailed.or_else(|| self.nearest(q, Some(g), &not))
    }

    /// [`nearest`] before quotation `q`, of gender `g` (any, for `None`), never one of `not`.
    fn nearest(&self, q: usize, g: Option<Gender>, not: &[Who]) -> Option<Who> {
        let fits = |w: Who| g.is_none_or(|g| self.people.genders[w] == g) && !not.contains(&w);
        nearest(self.top[q].open.start, &fits, &self.speaking, &self.narrated, &self.spoken)
    }

    /// Rule 3: the quotations of a paragraph without a character inherit, from the quotation before or else the
    /// one after.
    fn inherit(&mut self, quotes: std::ops::Range<usize>) {
        let mut last = None;
        for q in quotes.clone() {
            match self.who[q] {
                Some((w, _)) => last = Some(w),
                None => self.who[q] = last.map(|w| (w, Rule::Inherited)),
            }
        }
        let mut next = None;
        for q in quotes.rev() {
            match self.who[q] {
                Some((w, rule)) if rule != Rule::Inherited || next.is_none() => next = Some(w),
                Some(_) => {}
                None => self.who[q] = next.map(|w| (w, Rule::Inherited)),
            }
        }
    }

    /// Rules 4 to 6, for turn `k` with no tag: its paragraph's narration, the paragraph of narration before it,
    /// or its place in a conversation.
    fn untagged(&self, k: usize) -> Option<(Who, Rule)> {
        let turn = &self.turns[k];
        // Whom the turn itself names, it seldom is.
        let named: Vec<Who> = named_in(turn, &self.quoted, &self.top).collect();
        let speaks = |c: Who| self.speaking.get(c).copied().unwrap_or(true) && !named.contains(&c);
        if let Some(w) = sole_mention(turn.paragraph, &self.narrated, &speaks) {
            return Some((w, Rule::Paragraph));
        }
        let after_narration = turn.paragraph > 0 && (k == 0 || self.turns[k - 1].paragraph + 1 < turn.paragraph);
        if after_narration && let Some(w) = first_subject(turn.paragraph - 1, &self.narrated, &speaks) {
            return Some((w, Rule::Narration));
        }
        alternation(&self.turns, &self.turn_speakers, k, &self.addressed, &self.top)
            .filter(|w| !named.contains(w))
            .map(|w| (w, Rule::Turn))
    }
}

/// The paragraphs of speech, each with its top-level quotations (by the paragraph each opens in).
fn turns(doc: &Document, top: &[Quotation<'_>]) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    for (q, quotation) in top.iter().enumerate() {
        let p = paragraph_of(doc, quotation.open.start);
        match turns.last_mut() {
            Some(t) if t.paragraph == p => t.quotes.end = q + 1,
            _ => turns.push(Turn { paragraph: p, quotes: q..q + 1 }),
        }
    }
    turns
}

/// True if turn `b` follows turn `a` in one conversation: the next paragraph, or the one after a single paragraph
/// of narration between them.
fn follows(turns: &[Turn], a: usize, b: usize) -> bool {
    turns[b].paragraph <= turns[a].paragraph + 1 + CONVERSATION_GAP
}

fn paragraph_of(doc: &Document, at: usize) -> usize {
    doc.paragraphs.partition_point(|p| p.span.start <= at).saturating_sub(1)
}

/// A mention: the byte it starts at, its paragraph and its character.
#[derive(Debug, Clone, Copy)]
struct Placed {
    at: usize,
    paragraph: usize,
    character: usize,
    /// Not after a preposition (`to Marilla`): it may be what a pronoun
    /// after it refers to.
    salient: bool,
}

/// True if mention `m` follows a preposition (`to Marilla`). A possessive (`Sir Thomas's conscience`) is no
/// subject, but what a pronoun or an untagged speech after it refers to as often as a subject is: counted so, it
/// names the right speaker for 0.3% more of PDNC's quotations.
fn is_oblique(doc: &Document, m: &Mention) -> bool {
    let first = m.first_token as usize;
    first > 0 && PREPOSITIONS.contains(&doc.norm(&doc.tokens[first - 1]))
}

/// The cast's mentions by where they stand, each in text order.
struct Mentions {
    /// Outside every quotation: the narration's.
    narrated: Vec<Placed>,
    /// Inside a quotation, addressing someone (a vocative: `“Well, Miss Woodhouse, …”`, `“… you see, Emma?”`).
    addressed: Vec<Placed>,
    /// Inside a quotation, vocative or not.
    quoted: Vec<Placed>,
}

/// The cast's mentions, split by where they stand.
fn split_mentions(doc: &Document, mentions: &[Mention], top: &[Quotation<'_>]) -> Mentions {
    let (mut narrated, mut addressed, mut quoted) = (Vec::new(), Vec::new(), Vec::new());
    let mut q = 0;
    for m in mentions {
        let at = doc.tokens[m.first_token as usize].start();
        while q < top.len() && top[q].close.end <= at {
            q += 1;
        }
        let salient = !is_oblique(doc, m);
        let placed = Placed { at, paragraph: paragraph_of(doc, at), character: m.character as usize, salient };
        if q >= top.len() || top[q].open.start > at {
            narrated.push(placed);
        } else {
            quoted.push(placed);
            if is_vocative(doc, m, top[q]) {
                addressed.push(placed);
            }
        }
    }
    Mentions { narrated, addressed, quoted }
}

/// True if mention `m`, inside quotation `q`, is set off as a vocative: commas, the marks, `!`, `?` or a full
/// stop either side, or `dear` before it.
fn is_vocative(doc: &Document, m: &Mention, q: Quotation<'_>) -> bool {
    let start = doc.tokens[m.first_token as usize].start();
    let end = doc.span(&doc.tokens[m.end_token as usize - 1]).end;
    let before = doc.text.get(q.open.end..start).unwrap_or("").trim_end();
    let after = doc.text.get(end..q.close.start).unwrap_or("").trim_start();
    let before_ok = before.is_empty() || before.ends_with([',', '!', '?', '.', '-', '—']) || before.ends_with("dear");
    let after_ok = after.is_empty() || after.starts_with([',', '!', '?', '.', ';', '-', '—']);
    before_ok && after_ok
}

/// The most recent character that `fits` before byte `at`, among the narration's salient mentions (or, when none
/// fits, its other mentions) and the speakers of the quotations before, within [`PRONOUN_REACH`] bytes. Narrated characters who speak under a name tag
/// somewhere (`speaking`) come first: a place the cast took for a name is taken only when no one else fits.
fn nearest(
    at: usize,
    fits: &dyn Fn(Who) -> bool,
    speaking: &[bool],
    narrated: &[Placed],
    spoken: &[(usize, Who)],
) -> Option<Who> {
    let floor = at.saturating_sub(PRONOUN_REACH);
    let n = narrated.partition_point(|m| m.at < at);
    let within = || narrated[..n].iter().rev().take_while(|m| m.at >= floor).filter(|m| fits(m.character));
    let recent = || within().filter(|m| m.salient);
    let speaks = |m: &&Placed| speaking.get(m.character).copied().unwrap_or(true);
    // A character named only after a preposition (`joined by Mr. Allen`) is taken when no subject fits.
    let by_narration = recent().find(speaks).or_else(|| recent().next()).or_else(|| within().find(speaks));
    let by_speech = spoken.iter().rev().take_while(|s| s.0 >= floor).find(|s| fits(s.1));
    match (by_narration, by_speech) {
        (Some(m), Some(s)) => Some(if m.at >= s.0 { m.character } else { s.1 }),
        (m, s) => m.map(|m| m.character).or(s.map(|s| s.1)),
    }
}

/// The one character the narration of paragraph `p` names as a subject might be (not after a preposition), if it names exactly one so, among those `speaks` allows.
fn sole_mention(p: usize, narrated: &[Placed], speaks: &dyn Fn(Who) -> bool) -> Option<usize> {
    let first = narrated.partition_point(|m| m.paragraph < p);
    let last = narrated.partition_point(|m| m.paragraph <= p);
    let mut names = narrated[first..last].iter().filter(|m| m.salient && speaks(m.character)).map(|m| m.character);
    let one = names.next()?;
    names.all(|c| c == one).then_some(one)
}

/// The first character paragraph `p` of narration names as a subject might be (not after a preposition), among those `speaks` allows.
fn first_subject(p: usize, narrated: &[Placed], speaks: &dyn Fn(Who) -> bool) -> Option<usize> {
    let first = narrated.partition_point(|m| m.paragraph < p);
    let mut this = narrated[first..].iter().take_while(|m| m.paragraph == p);
    this.find(|m| m.salient && speaks(m.character)).map(|m| m.character)
}

/// The speaker of untagged turn `k` from the turns before it: the character the last turn addressed by name, or
/// else the speaker two turns back when it is not the last turn's.
fn alternation(
    turns: &[Turn],
    speakers: &[Option<Who>],
    k: usize,
    addressed: &[Placed],
    top: &[Quotation<'_>],
) -> Option<Who> {
    let consecutive = |a: usize, b: usize| follows(turns, a, b);
    if k == 0 || !consecutive(k - 1, k) {
        return None;
    }
    let last = speakers[k - 1];
    // The last turn's words name whom they address.
    if let Some(w) = named_in(&turns[k - 1], addressed, top).find(|&c| Some(c) != last) {
        return Some(w);
    }
    (k >= 2 && consecutive(k - 2, k - 1)).then(|| speakers[k - 2].filter(|&w| Some(w) != last)).flatten()
}

/// True for the tag `the other` (`“Yes,” replied the other`).
fn is_the_other(doc: &Document, tag: &Tag) -> bool {
    tag.subject.len() == 2
        && doc.norm(&doc.tokens[tag.subject.start]) == "the"
        && doc.norm(&doc.tokens[tag.subject.start + 1]) == "other"
}

fn is_first_person(doc: &Document, tag: &Tag) -> bool {
    doc.norm(&doc.tokens[tag.subject.start]) == "i"
}

/// Votes a narrator needs, and the share of the votes, to be named.
const NARRATOR_VOTES: usize = 3;

/// The narrator of a first-person text, by name: the character whom the turns on either side of an `I said` turn
/// address by name most often, if at least [`NARRATOR_VOTES`] turns do and twice as often as anyone else.
fn narrator(doc: &Document, turns: &[Turn], top: &[Quotation<'_>], addressed: &[Placed]) -> Option<Who> {
    let mut votes: FxHashMap<Who, usize> = FxHashMap::default();
    for (k, turn) in turns.iter().enumerate() {
        let first_person = turn.quotes.clone().any(|q| top[q].tag.is_some_and(|t| is_first_person(doc, t)));
        if !first_person {
            continue;
        }
        let neighbours = [
            k.checked_sub(1).filter(|&j| follows(turns, j, k)),
            Some(k + 1).filter(|&j| j < turns.len() && follows(turns, k, j)),
        ];
        for j in neighbours.into_iter().flatten() {
            let mut named: Vec<Who> = named_in(&turns[j], addressed, top).collect();
            named.dedup();
            named.into_iter().for_each(|w| *votes.entry(w).or_default() += 1);
        }
    }
    let mut ranked: Vec<(usize, Who)> = votes.into_iter().map(|(w, n)| (n, w)).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let (best, who) = *ranked.first()?;
    let second = ranked.get(1).map_or(0, |r| r.0);
    (best >= NARRATOR_VOTES && best >= 2 * second).then_some(who)
}

/// A first-person text has at least one `I said` among this many tags.
const FIRST_PERSON_SHARE: usize = 10;

/// The narrator of a first-person text, when the turns beside the narrator's own do not name them: the character
/// addressed by name most often (at least [`NARRATOR_VOTES`] times) whom the narration itself names at most a fifth
/// as often (a narrator calls themself `I`), in a text with at least [`NARRATOR_VOTES`] first-person tags, one in
/// [`FIRST_PERSON_SHARE`] of its tags or more.
fn unnarrated(doc: &Document, top: &[Quotation<'_>], narrated: &[Placed], addressed: &[Placed]) -> Option<Who> {
    let tagged = top.iter().filter(|q| q.tag.is_some()).count();
    let first_person = top.iter().filter(|q| q.tag.is_some_and(|t| is_first_person(doc, t))).count();
    // An `I said` in a story a character tells (Miss Bates's) does not make the novel first-person.
    if first_person < NARRATOR_VOTES || first_person * FIRST_PERSON_SHARE < tagged {
        return None;
    }
    let mut counts: FxHashMap<Who, (usize, usize)> = FxHashMap::default();
    addressed.iter().for_each(|m| counts.entry(m.character).or_default().0 += 1);
    narrated.iter().for_each(|m| counts.entry(m.character).or_default().1 += 1);
    let unnamed = counts.into_iter().filter(|&(_, (v, n))| v >= NARRATOR_VOTES && 5 * n <= v);
    unnamed.max_by_key(|&(w, (v, _))| (v, std::cmp::Reverse(w))).map(|(w, _)| w)
}

/// Quotation `q` alone, as a turn.
fn turn_of(q: usize) -> Turn {
    Turn { paragraph: 0, quotes: q..q + 1 }
}

/// The characters of `mentions` that turn `turn` names, in order: whom it addresses, given the vocatives, or
/// everyone it names, given every mention inside speech.
fn named_in<'p>(turn: &Turn, mentions: &'p [Placed], top: &[Quotation<'_>]) -> impl Iterator<Item = Who> + 'p {
    let (start, end) = (top[turn.quotes.start].open.start, top[turn.quotes.end - 1].close.end);
    let from = mentions.partition_point(|m| m.at < start);
    mentions[from..].iter().take_while(move |m| m.at < end).map(|m| m.character)
}

/// Untagged turns still without a speaker take the speaker of the turn after the next, when it is not the next
/// turn's (a conversation read backward from where its speakers are named).
fn backward_turns(turns: &[Turn], described: &[bool], speakers: &mut [Option<Who>], who: &mut [Option<(Who, Rule)>]) {
    let consecutive = |a: usize, b: usize| follows(turns, a, b);
    for k in (0..turns.len().saturating_sub(2)).rev() {
        if speakers[k].is_some() || described[k] || !consecutive(k, k + 1) || !consecutive(k + 1, k + 2) {
            continue;
        }
        if let Some(w) = speakers[k + 2].filter(|&w| Some(w) != speakers[k + 1]) {
            speakers[k] = Some(w);
            turns[k].quotes.clone().for_each(|q| who[q] = Some((w, Rule::Turn)));
        }
    }
}

/// The character the turns of `side` (0 or 1: every other turn from the first or the second) of a conversation
/// address by name most often, other than `not`.
fn most_addressed(turns: &[Turn], side: usize, voice_of: &dyn Fn(&Turn) -> Vec<Who>, not: Option<Who>) -> Option<Who> {
    let mut named: FxHashMap<Who, usize> = FxHashMap::default();
    for turn in turns.iter().skip(side).step_by(2) {
        voice_of(turn).into_iter().filter(|&w| Some(w) != not).for_each(|w| *named.entry(w).or_default() += 1);
    }
    named.into_iter().max_by_key(|&(w, n)| (n, std::cmp::Reverse(w))).map(|(w, _)| w)
}

/// In a conversation whose turns named by the stronger rules (tag, pronoun, inherited, paragraph) alternate
/// between two characters, every turn still without a speaker takes the one its place in the alternation gives.
/// When they name only one, the other voice is the character its turns address by name (`voice_of`) most often;
/// when they name none, each side's voice is the one the other side's turns address most often.
fn two_voices(
    turns: &[Turn],
    described: &[bool],
    genders: &[Gender],
    voice_of: &dyn Fn(&Turn) -> Vec<Who>,
    who: &mut [Option<(Who, Rule)>],
) {
    let mut start = 0;
    while start < turns.len() {
        let mut end = start + 1;
        while end < turns.len() && follows(turns, end - 1, end) {
            end += 1;
        }
        let mut voices: [Option<Who>; 2] = [None, None];
        let mut alternates = true;
        for k in start..end {
            let anchored = who[turns[k].quotes.start]
                .filter(|(_, rule)| matches!(rule, Rule::Tag | Rule::Pronoun | Rule::Inherited | Rule::Paragraph));
            if let Some((w, _)) = anchored {
                let voice = &mut voices[(k - start) % 2];
                alternates &= voice.is_none_or(|v| v == w);
                *voice = Some(w);
            }
        }
        let most = |side: usize, not: Option<Who>| most_addressed(&turns[start..end], side, voice_of, not);
        // One voice named: the other is the one its turns address by name most often.
        for (side, other) in [(0, 1), (1, 0)] {
            if let (Some(a), None) = (voices[side], voices[other]) {
                voices[other] = most(side, Some(a));
            }
        }
        // None named: each side's voice is the one the other side's turns address by name most often.
        if voices == [None, None] {
            voices = [most(1, None), most(0, None)];
        }
        if let [Some(a), Some(b)] = voices
            && a != b
            && alternates
        {
            for k in start..end {
                let w = if (k - start) % 2 == 0 { a } else { b };
                if described[k] {
                    continue;
                }
                for q in turns[k].quotes.clone() {
                    who[q] = match who[q] {
                        None | Some((_, Rule::Turn | Rule::Narration)) => Some((w, Rule::Turn)),
                        // A pronoun keeps its gender: `she said` in a talk between a man and a woman is the woman.
                        Some((was, Rule::Pronoun)) if genders[was] == genders[w] => Some((w, Rule::Pronoun)),
                        kept => kept,
                    };
                }
            }
        }
        start = end;
    }
}

#[cfg(test)]
mod tests;
mod titled;
