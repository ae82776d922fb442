//! A text's characters, found by rules: runs of capitalised name words (with titles such as `Mr.` and `Miss`),
//! clustered conservatively into characters, each with its gender and its mentions.
//!
//! A word is a name word when the document writes it capitalised mid-sentence far more often than in lowercase
//! anywhere (`Emma`, `Piglet`; not `Hall` in "the hall", unless titles keep naming it: `Mrs. Hall`). Clustering
//! follows the order rule-based systems use (He et al. 2013, BookNLP): full names first (`Emma Woodhouse`), then
//! `Title Surname` joins the one full name with that surname and a compatible gender (`Miss Woodhouse`), then a
//! bare word joins the most mentioned character it is the first name or surname of (`Emma`, `Knightley`). A name
//! that could join two characters stands alone: merging two people is worse than splitting one.
//!
//! One file a job: `lexicon` holds the word lists, `words` finds name words, `names` their mentions, `gender`
//! what shows a name's gender, `cluster` joins names into characters, `finish` keeps and describes them, and
//! `lookup` matches name phrases to them afterwards.

mod cluster;
mod finish;
mod gender;
mod lexicon;
mod lookup;
mod names;
mod words;

pub use gender::Gender;

use crate::text::Document;
use lookup::Lookup;
use names::Names;
use words::Words;

/// One character of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Character {
    /// The main name: its full name when it has one no other character's given name makes doubtful (`Emma
    /// Woodhouse`), else its most frequent surface form, title kept (`Mr. Knightley`).
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

/// No key, no roster entry, no character: an index that is none.
const NO_KEY: u32 = u32::MAX;

/// Finds the characters of `doc` and their mentions.
pub fn cast(doc: &Document) -> Cast {
    let words = Words::read(doc);
    let mut names = Names::find(doc, &words);
    gender::settle(&mut names.surfaces, &names.ids, &words.keys);
    let dropped = names.dropped(&words);
    let roster = cluster::cluster(&mut names.surfaces, &dropped, &names.apart);
    finish::finish(&words.keys, names, roster)
}

/// The texts and helpers the tests of every step share.
#[cfg(test)]
mod fixtures {
    use super::{Cast, Character};
    use crate::text::Document;

    /// A document of `text`.
    pub(super) fn doc(text: &str) -> Document {
        Document::from_text("t", text)
    }

    /// The character one of whose aliases is `alias`.
    pub(super) fn who<'c>(cast: &'c Cast, alias: &str) -> Option<&'c Character> {
        cast.characters.iter().find(|c| c.aliases.iter().any(|a| a == alias))
    }

    /// Full, titled and bare names; surnames shared by people of one gender and of two; a name said once.
    pub(super) const HIGHBURY: &str = "\
Emma Woodhouse lived at home. Yesterday Emma Woodhouse walked out.

The next day Emma met Harriet. Then Emma smiled, and Miss Woodhouse laughed. It was Emma who spoke.

Mr. Knightley came in. Later Mr. Knightley sat down, and George Knightley and John Knightley talked. \
Then John Knightley left, and George Knightley stayed.

Mrs. Weston sat with Mr. Weston. Later Mrs. Weston spoke, and Mr. Weston listened.

Miss Bates talked to Mrs. Bates. Then Miss Bates talked again, and Mrs. Bates slept.";
}
