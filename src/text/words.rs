//! The words a thread has seen: each distinct normalised form gets an entry on its first sighting in the thread,
//! holding what does not depend on the document (its stem, stopword and speech-verb flags, syllables, length).
//! A corpus of short texts meets the same few thousand words in every document; each document then takes them
//! from here in one look-up, instead of stemming and looking the form up in every list again.

use std::sync::atomic::{AtomicU64, Ordering};

use indexmap::IndexSet;
use rust_stemmers::Stemmer;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::text::language::Language;
use crate::text::speech_verbs::SpeechVerbs;
use crate::text::stopwords::Stopwords;

/// Words a table remembers (about 100 bytes each, so 5 MB): enough for the common vocabulary that short texts
/// share. Past it, a word's entry is made afresh in each document that has it (a document asks once a form) and
/// not kept, and the table is let go when its document is built, so that a document with a huge vocabulary (a
/// novel, a file of random words) holds no more than this besides itself. (Stems are still numbered past it: the
/// ids handed out during a document stay valid until it is built.)
const TABLE_WORDS: usize = 50_000;

/// What a thread knows of a distinct normalised form, whatever the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    /// The form's number in its table ([`Words::id`]), or [`NOT_KEPT`] when the table was full.
    pub(crate) id: u32,
    /// Index into the table's stems.
    pub(crate) stem: u32,
    /// True if the form is in the stopword list.
    pub(crate) stopword: bool,
    /// True if the form is in the speech-verb list.
    pub(crate) speech_verb: bool,
    /// English syllables by rule ([`syllables`]).
    pub(crate) syllables: u32,
    /// Characters of the form.
    pub(crate) chars: u32,
    /// Letters and digits of the form.
    pub(crate) letters: u32,
}

/// What the entries depend on besides the form: the language (for stems) and the two word lists.
#[derive(Debug)]
struct Rules {
    language: Language,
    stopwords: Stopwords,
    speech_verbs: SpeechVerbs,
}

impl Rules {
    fn same(&self, language: Language, stopwords: &Stopwords, speech_verbs: &SpeechVerbs) -> bool {
        self.language == language && self.stopwords.same_words(stopwords) && self.speech_verbs.same_words(speech_verbs)
    }
}

/// The [`Word::id`] of a form its full table did not keep.
pub(crate) const NOT_KEPT: u32 = u32::MAX;

/// `number` if a table keeps what it numbers so (it numbers stems past its bound, for the document that fills
/// it), [`NOT_KEPT`] if not.
pub(crate) fn kept(number: u32) -> u32 {
    if (number as usize) < TABLE_WORDS { number } else { NOT_KEPT }
}

/// The number of the next table made, in any thread: a table's forms and stems keep their numbers while it lives,
/// so a table's number and a form's number in it name one form for the whole run.
static NEXT_TABLE: AtomicU64 = AtomicU64::new(1);

/// A thread's word table, filled under one set of [`Rules`].
#[derive(Debug)]
pub(crate) struct Words {
    /// The table's number, unique in the process.
    id: u64,
    /// The id of the last pipeline that used it (see [`Words::take`]), and the rules it was filled under.
    pipeline: u64,
    rules: Rules,
    /// The forms, numbered in order of first sighting ([`Word::id`]).
    by_norm: FxHashMap<Box<str>, Word>,
    stems: IndexSet<Box<str>, FxBuildHasher>,
}

thread_local! {
    /// This thread's table, taken by the document being built and given back when it is done.
    static WORDS: std::cell::Cell<Option<Words>> = const { std::cell::Cell::new(None) };
}

impl Words {
    /// This thread's table, ready for a document of pipeline `pipeline` (whose rules are the other arguments): a
    /// fresh one if another pipeline with other rules filled it. A pipeline with the same rules (the same options
    /// given twice) keeps what the last one found; comparing the lists is needed only when the pipeline changes.
    /// Give it back with [`Words::give_back`].
    pub(crate) fn take(pipeline: u64, language: Language, stopwords: &Stopwords, speech_verbs: &SpeechVerbs) -> Words {
        let kept = WORDS
            .take()
            .filter(|words| words.pipeline == pipeline || words.rules.same(language, stopwords, speech_verbs));
        let mut words = kept.unwrap_or_else(|| Words {
            id: NEXT_TABLE.fetch_add(1, Ordering::Relaxed),
            pipeline,
            rules: Rules { language, stopwords: stopwords.clone(), speech_verbs: speech_verbs.clone() },
            by_norm: FxHashMap::default(),
            stems: IndexSet::default(),
        });
        words.pipeline = pipeline;
        words
    }

    /// Gives the table back to its thread for the next document, unless it is full: then the next document starts
    /// a fresh one, and what a document with a huge vocabulary numbered is not held.
    pub(crate) fn give_back(self) {
        if self.by_norm.len() < TABLE_WORDS {
            WORDS.set(Some(self));
        }
    }

    /// The entry of normalised form `norm`, made on its first sighting (stemmed by `stemmer`) and kept while the
    /// table holds fewer than [`TABLE_WORDS`].
    pub(crate) fn get(&mut self, norm: &str, stemmer: &Stemmer) -> Word {
        if let Some(word) = self.by_norm.get(norm) {
            return *word;
        }
        let (stopword, speech_verb) = (self.rules.stopwords.contains(norm), self.rules.speech_verbs.contains(norm));
        let stem = stemmer.stem(norm);
        let stem = match self.stems.get_index_of(stem.as_ref()) {
            Some(id) => id,
            None => self.stems.insert_full(stem.into()).0,
        };
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let id = kept(count(self.by_norm.len()));
        let word = Word {
            id,
            stem: count(stem),
            stopword,
            speech_verb,
            syllables: count(syllables(norm)),
            chars: count(norm.chars().count()),
            letters: count(norm.chars().filter(|c| c.is_alphanumeric()).count()),
        };
        if id != NOT_KEPT {
            self.by_norm.insert(norm.into(), word);
        }
        word
    }

    /// The table's number: with a [`Word::id`] or a stem id, it names a form or a stem for the whole run.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The stem of id `stem` (from a [`Word`] of this table).
    pub(crate) fn stem(&self, stem: u32) -> &str {
        self.stems.get_index(stem as usize).map_or("", |s| s)
    }
}

/// English syllables by rule: groups of vowels (y included), less a silent final `e` (but not `-le` after a
/// consonant), a silent `-ed` (not after t or d) and a silent `-es` (not after a sibilant); at least one. A word
/// with no letters (a number) counts as one. Right for most words, as every rule-based counter is.
pub fn syllables(word: &str) -> usize {
    let w = word.strip_suffix("'s").unwrap_or(word).trim_end_matches('\'');
    let is_vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    // The vowel groups, and the last three letters for the silent endings (kept as they pass: no allocation).
    let (mut groups, mut prev_vowel, mut last, mut n) = (0, false, [0u8; 3], 0);
    for b in w.bytes().filter(u8::is_ascii_alphabetic) {
        let v = is_vowel(b);
        groups += usize::from(v && !prev_vowel);
        prev_vowel = v;
        last = [last[1], last[2], b];
        n += 1;
    }
    let before = |k: usize| (n > k).then(|| last[2 - k]);
    let silent = match (before(2), before(1), before(0)) {
        (Some(c), Some(b'l'), Some(b'e')) if !is_vowel(c) => false,
        (_, Some(c), Some(b'e')) if !is_vowel(c) => true,
        (Some(c), Some(b'e'), Some(b'd')) => !matches!(c, b't' | b'd') && !is_vowel(c),
        (Some(c), Some(b'e'), Some(b's')) => !matches!(c, b's' | b'x' | b'z' | b'c' | b'g' | b'h') && !is_vowel(c),
        _ => false,
    };
    if silent && groups > 1 { groups - 1 } else { groups.max(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_common_words() {
        let cases = [
            ("the", 1),
            ("cat", 1),
            ("memory", 3),
            ("haunting", 2),
            ("readings", 2),
            ("agonizing", 4),
            ("makes", 1),
            ("horses", 2),
            ("walked", 1),
            ("wanted", 2),
            ("little", 2),
            ("gentle", 2),
            ("love", 1),
            ("ishiguro's", 4),
            ("1954", 1),
        ];
        for (w, n) in cases {
            assert_eq!(syllables(w), n, "{w}");
        }
    }

    fn english() -> (Language, Stopwords, SpeechVerbs) {
        let language = Language::english();
        (language, Stopwords::embedded(language), SpeechVerbs::embedded(language))
    }

    #[test]
    fn a_pipeline_with_the_same_rules_keeps_the_table_and_one_with_others_empties_it() {
        let stemmer = Stemmer::create(Language::english().algorithm());
        let (language, stopwords, speech_verbs) = english();
        let mut words = Words::take(u64::MAX - 1, language, &stopwords, &speech_verbs);
        assert!(words.get("the", &stemmer).stopword);
        words.give_back();
        // Another pipeline with the same options finds the word; one without stopwords starts afresh.
        let words = Words::take(u64::MAX - 2, language, &stopwords, &speech_verbs);
        assert_eq!(words.by_norm.len(), 1);
        words.give_back();
        let mut words = Words::take(u64::MAX - 3, language, &Stopwords::none(), &speech_verbs);
        assert!(words.by_norm.is_empty());
        assert!(!words.get("the", &stemmer).stopword);
        words.give_back();
    }

    #[test]
    fn a_full_table_keeps_no_more_words_and_is_let_go_when_its_document_is_built() {
        let stemmer = Stemmer::create(Language::english().algorithm());
        let (language, stopwords, speech_verbs) = english();
        let mut words = Words::take(u64::MAX - 4, language, &stopwords, &speech_verbs);
        for i in 0..TABLE_WORDS {
            words.get(&format!("w{i}"), &stemmer);
        }
        // Past the bound a word's entry is still right, and its stem id still spells its stem.
        let (the, walking) = (words.get("the", &stemmer), words.get("walking", &stemmer));
        assert!(the.stopword && !walking.stopword);
        assert_eq!((words.stem(walking.stem), walking.syllables, walking.chars), ("walk", 2, 7));
        assert_eq!(words.by_norm.len(), TABLE_WORDS);
        // Words are numbered in order of first sighting; past the bound they are not numbered at all.
        assert_eq!((words.get("w0", &stemmer).id, words.get("w49999", &stemmer).id), (0, 49_999));
        assert_eq!((the.id, walking.id), (NOT_KEPT, NOT_KEPT));
        let full = words.id();
        words.give_back();
        // The fresh table has a number of its own: the full one's numbers do not name its words.
        let words = Words::take(u64::MAX - 4, language, &stopwords, &speech_verbs);
        assert!(words.by_norm.is_empty() && words.stems.is_empty());
        assert_ne!(words.id(), full);
        words.give_back();
    }
}
