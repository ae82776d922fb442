//! Matching a compiled lexicon against a document's tokens: each distinct form looked up once, phrases checked
//! where their first word matches, overlaps within a category resolved leftmost-longest.

use rustc_hash::FxHashMap;

use super::names::in_proper_name;
use super::{Lexicon, Pattern};
use crate::text::{Document, Pipeline, Span};

impl Lexicon {
    /// Prepares the lexicon for matching with `pipeline`'s stemmer.
    pub fn compile(&self, pipeline: &Pipeline) -> Matcher {
        let mut matcher = Matcher::default();
        for (c, category) in self.categories.iter().enumerate() {
            for word in &category.exclude {
                matcher.excludes.insert(&compile_word(word, pipeline), c);
            }
            matcher.in_names.push(category.proper_names);
            for (t, term) in category.terms.iter().enumerate() {
                let words: Vec<Compiled> = term.words.iter().map(|w| compile_word(w, pipeline)).collect();
                let id = TermId { category: c, term: t };
                match words.as_slice() {
                    [word] => matcher.words.insert(word, Starts::Term(id)),
                    [first, ..] => {
                        matcher.words.insert(first, Starts::Phrase(matcher.phrases.len()));
                        matcher.phrases.push((words, id));
                    }
                    [] => {}
                }
            }
        }
        matcher.categories = self.categories.len();
        matcher
    }
}

/// One word pattern ready to match: a plain word by its stem under `pipeline`'s stemmer.
fn compile_word(word: &Pattern, pipeline: &Pipeline) -> Compiled {
    match word {
        Pattern::Word(word) => Compiled::Stem(pipeline.stem(word)),
        Pattern::Exact(word) => Compiled::Exact(word.clone()),
        Pattern::Prefix(prefix) => Compiled::Prefix(prefix.clone()),
    }
}

/// A term's place in its lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId {
    /// Index into [`Lexicon::categories`].
    pub category: usize,
    /// Index into that category's terms.
    pub term: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Compiled {
    Stem(String),
    Exact(String),
    Prefix(String),
}

impl Compiled {
    fn matches(&self, norm: &str, stem: &str) -> bool {
        match self {
            Compiled::Stem(s) => s == stem,
            Compiled::Exact(w) => w == norm,
            Compiled::Prefix(p) => norm.starts_with(p.as_str()),
        }
    }
}

/// A compiled lexicon: single-word terms looked up once per distinct form, phrases checked where their first word
/// matches. Matching costs one pass over the tokens whatever the number of terms.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    categories: usize,
    /// The single-word terms and the phrases, by their (first) word: one index, so a form is looked up once.
    words: WordIndex<Starts>,
    phrases: Vec<(Vec<Compiled>, TermId)>,
    /// Each category's `exclude` patterns, giving the category: forms no term of it may match.
    excludes: WordIndex<usize>,
    /// Per category, whether its terms may match inside a proper name (the case rule is off).
    in_names: Vec<bool>,
}

/// What a word can start: a single-word term, or a phrase (an index into [`Matcher::phrases`]).
#[derive(Debug, Clone, Copy)]
enum Starts {
    Term(TermId),
    Phrase(usize),
}

/// What each form of a document starts, in lexicon order: the single-word terms it matches (at most one per
/// category) and the phrases whose first word it matches. Flat, form `f`'s runs being `terms[term_ends[f]..
/// term_ends[f + 1]]` and the same of `phrases`: two words a form rather than two vectors.
struct FormStarts {
    term_ends: Vec<usize>,
    terms: Vec<TermId>,
    phrase_ends: Vec<usize>,
    phrases: Vec<usize>,
}

impl FormStarts {
    /// The single-word terms form `form` matches.
    fn terms(&self, form: usize) -> &[TermId] {
        match self.term_ends.get(form..form + 2) {
            Some(&[start, end]) => self.terms.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The phrases whose first word form `form` matches.
    fn phrases(&self, form: usize) -> &[usize] {
        match self.phrase_ends.get(form..form + 2) {
            Some(&[start, end]) => self.phrases.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Values looked up by a word pattern: by stem, by exact form, or by a glob's prefix.
#[derive(Debug, Clone)]
struct WordIndex<T> {
    by_stem: FxHashMap<String, Vec<T>>,
    by_form: FxHashMap<String, Vec<T>>,
    by_prefix: FxHashMap<String, Vec<T>>,
    /// The prefixes of two bytes or more, by the bit of their first two bytes ([`start_bit`]): a word is compared
    /// with the few sharing its start instead of looking up each of its own prefixes.
    by_start: FxHashMap<usize, Vec<String>>,
    /// A bit for the first two bytes of every prefix, so that most words skip the prefix lookups; empty until a
    /// prefix of two bytes or more is added.
    starts: Vec<u64>,
    /// Whether a prefix is a single byte (`a*`), which the bits cannot rule out.
    short_prefix: bool,
}

impl<T> Default for WordIndex<T> {
    fn default() -> Self {
        WordIndex {
            by_stem: FxHashMap::default(),
            by_form: FxHashMap::default(),
            by_prefix: FxHashMap::default(),
            by_start: FxHashMap::default(),
            starts: Vec::new(),
            short_prefix: false,
        }
    }
}

/// The bit of a word's first two bytes in [`WordIndex::starts`].
fn start_bit(word: &str) -> Option<usize> {
    match word.as_bytes() {
        [a, b, ..] => Some(usize::from(*a) << 8 | usize::from(*b)),
        _ => None,
    }
}

impl<T: Copy> WordIndex<T> {
    fn insert(&mut self, word: &Compiled, value: T) {
        match word {
            Compiled::Stem(stem) => self.by_stem.entry(stem.clone()).or_default().push(value),
            Compiled::Exact(form) => self.by_form.entry(form.clone()).or_default().push(value),
            Compiled::Prefix(prefix) => {
                let values = self.by_prefix.entry(prefix.clone()).or_default();
                let new = values.is_empty();
                values.push(value);
                match start_bit(prefix) {
                    Some(bit) => {
                        self.starts.resize(1 << 10, 0);
                        self.starts[bit / 64] |= 1 << (bit % 64);
                        if new {
                            self.by_start.entry(bit).or_default().push(prefix.clone());
                        }
                    }
                    None => self.short_prefix = true,
                }
            }
        }
    }

    /// Appends to `found` the values of every pattern that `norm` (whose stem is `stem`) matches: a lookup for the
    /// stem, one for the form, one for the prefixes sharing its first two bytes and, if there are one-byte
    /// prefixes (`a*`), one for its first byte. (In no particular order: callers sort or search what is found.)
    fn find(&self, norm: &str, stem: &str, found: &mut Vec<T>) {
        found.extend(self.by_stem.get(stem).into_iter().flatten().copied());
        found.extend(self.by_form.get(norm).into_iter().flatten().copied());
        let may_start = |bit: usize| self.starts.get(bit / 64).is_some_and(|word| word & (1 << (bit % 64)) != 0);
        if let Some(bit) = start_bit(norm).filter(|&bit| may_start(bit)) {
            for prefix in self.by_start.get(&bit).into_iter().flatten() {
                if norm.starts_with(prefix.as_str()) {
                    found.extend(self.by_prefix.get(prefix).into_iter().flatten().copied());
                }
            }
        }
        // An empty prefix (`*` alone) matches nothing, as no word has an empty first character.
        if self.short_prefix && norm.is_char_boundary(1) {
            found.extend(norm.get(..1).and_then(|first| self.by_prefix.get(first)).into_iter().flatten().copied());
        }
    }

    /// Whether the index holds nothing (most lexicons exclude nothing, and skip the lookups).
    fn is_empty(&self) -> bool {
        self.by_stem.is_empty() && self.by_form.is_empty() && self.by_prefix.is_empty()
    }
}

/// One occurrence of a term: tokens `first_token..end_token` of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Which term (and so which category) matched.
    pub term: TermId,
    /// Index of its first token.
    pub first_token: usize,
    /// One past its last token.
    pub end_token: usize,
}

impl Hit {
    /// The byte span of the matched words in the document's text.
    pub fn span(&self, doc: &Document) -> Span {
        Span { start: doc.tokens[self.first_token].start(), end: doc.span(&doc.tokens[self.end_token - 1]).end }
    }
}

impl Matcher {
    /// Every hit in `doc`, in text order (by first token, then category). Within one category no two hits share
    /// a token: where terms overlap, the leftmost-longest hit is kept. ([`Finder`] gives the same hits a stretch of
    /// the document at a time, without holding them all.)
    pub fn find(&self, doc: &Document) -> Vec<Hit> {
        let mut hits = Vec::new();
        Finder::new(self, doc).find_until(doc.tokens.len(), &mut hits);
        hits
    }
}

/// Finds a [`Matcher`]'s hits in a document a stretch of tokens at a time, in text order: the hits
/// [`Matcher::find`] finds, without a document dense with lexicon words holding all of them at once.
pub struct Finder<'m, 'd> {
    matcher: &'m Matcher,
    doc: &'d Document,
    starts: FormStarts,
    /// The first token not yet looked at.
    next: usize,
    /// The sentence holding token `next`.
    sentence: usize,
    /// Per category, the token its last hit ends before: a hit starting before it overlaps that hit.
    covered_until: Vec<usize>,
}

impl<'m, 'd> Finder<'m, 'd> {
    /// Ready to find `matcher`'s hits in `doc` from its first token; each distinct form is looked up once, here.
    pub fn new(matcher: &'m Matcher, doc: &'d Document) -> Self {
        let starts = matcher.form_starts(doc);
        Finder { matcher, doc, starts, next: 0, sentence: 0, covered_until: vec![0; matcher.categories] }
    }

    /// Appends to `hits` the hits whose first token is before token `end` (and at or after where the last call
    /// stopped), in text order. A phrase starting before `end` may end after it, inside its sentence; a hit
    /// overlapping one found before is left out as [`Matcher::find`] leaves it out.
    pub fn find_until(&mut self, end: usize, hits: &mut Vec<Hit>) {
        let (doc, matcher) = (self.doc, self.matcher);
        let end = end.min(doc.tokens.len());
        let from = hits.len();
        for i in self.next..end {
            let form = doc.tokens[i].form() as usize;
            let (terms, phrases) = (self.starts.terms(form), self.starts.phrases(form));
            if terms.is_empty() && phrases.is_empty() {
                continue;
            }
            while doc.sentences.get(self.sentence).is_some_and(|s| s.end_token as usize <= i) {
                self.sentence += 1;
            }
            let sentence = doc.sentences.get(self.sentence);
            // Whether token `t` is in a proper name, asked only of a category that cares.
            let in_name = |t: usize| sentence.is_some_and(|s| in_proper_name(doc, t, s));
            let named = terms.iter().any(|t| !matcher.in_names(t.category)) && in_name(i);
            for &term in terms {
                if !named || matcher.in_names(term.category) {
                    hits.push(Hit { term, first_token: i, end_token: i + 1 });
                }
            }
            let sentence_end = sentence.map_or(doc.tokens.len(), |s| s.end_token as usize);
            for &p in phrases {
                let Some((words, term)) = matcher.phrases.get(p) else { continue };
                let Some(phrase_end) = phrase_end(matcher, doc, i, sentence_end, words, term.category) else {
                    continue;
                };
                if matcher.in_names(term.category) || !(i..phrase_end).any(in_name) {
                    hits.push(Hit { term: *term, first_token: i, end_token: phrase_end });
                }
            }
        }
        self.next = self.next.max(end);
        self.keep_longest_per_category(from, hits);
    }

    /// Resolves overlaps within each category among `hits[from..]`, leftmost-longest (as regular expressions and
    /// concordancers do): from the start of the text, the longest hit at each position is kept and hits
    /// overlapping it (or one kept by an earlier call) are dropped.
    fn keep_longest_per_category(&mut self, from: usize, hits: &mut Vec<Hit>) {
        let candidates = &mut hits[from..];
        candidates
            .sort_unstable_by_key(|h| (h.term.category, h.first_token, std::cmp::Reverse(h.end_token), h.term.term));
        let covered_until = &mut self.covered_until;
        let mut kept = from;
        for i in from..hits.len() {
            let hit = hits[i];
            let Some(until) = covered_until.get_mut(hit.term.category) else { continue };
            if hit.first_token >= *until {
                *until = hit.end_token;
                hits[kept] = hit;
                kept += 1;
            }
        }
        hits.truncate(kept);
        hits[from..].sort_unstable_by_key(|h| (h.first_token, h.term.category));
    }
}

impl Matcher {
    /// Whether category `category`'s terms may match inside a proper name.
    fn in_names(&self, category: usize) -> bool {
        self.in_names.get(category).copied().unwrap_or(true)
    }

    /// Whether category `category` excludes the normalised form `norm`.
    fn excludes(&self, category: usize, norm: &str) -> bool {
        if self.excludes.is_empty() {
            return false;
        }
        let mut found = Vec::new();
        self.excludes.find(norm, "", &mut found);
        found.contains(&category)
    }

    /// What each form of the document starts, looked up once per form.
    fn form_starts(&self, doc: &Document) -> FormStarts {
        let forms = doc.forms.len();
        let mut starts = FormStarts {
            term_ends: Vec::with_capacity(forms + 1),
            terms: Vec::new(),
            phrase_ends: Vec::with_capacity(forms + 1),
            phrases: Vec::new(),
        };
        starts.term_ends.push(0);
        starts.phrase_ends.push(0);
        let (mut found, mut excluded) = (Vec::new(), Vec::new());
        let excludes = !self.excludes.is_empty();
        for form in &doc.forms {
            found.clear();
            self.words.find(&form.norm, doc.stem_of(form), &mut found);
            if excludes && !found.is_empty() {
                excluded.clear();
                self.excludes.find(&form.norm, "", &mut excluded);
                let category = |start: &Starts| match *start {
                    Starts::Term(id) => id.category,
                    Starts::Phrase(p) => self.phrases.get(p).map_or(usize::MAX, |(_, id)| id.category),
                };
                found.retain(|start| !excluded.contains(&category(start)));
            }
            let (terms_from, phrases_from) = (starts.terms.len(), starts.phrases.len());
            for start in &found {
                match *start {
                    Starts::Term(id) => starts.terms.push(id),
                    Starts::Phrase(p) => starts.phrases.push(p),
                }
            }
            // One term per category: the first in the lexicon's order.
            let terms = &mut starts.terms[terms_from..];
            terms.sort_unstable();
            let kept = dedup_in_place(terms, |a, b| a.category == b.category);
            starts.terms.truncate(terms_from + kept);
            let phrases = &mut starts.phrases[phrases_from..];
            phrases.sort_unstable();
            let kept = dedup_in_place(phrases, |a, b| a == b);
            starts.phrases.truncate(phrases_from + kept);
            starts.term_ends.push(starts.terms.len());
            starts.phrase_ends.push(starts.phrases.len());
        }
        starts
    }
}

/// Moves the first of each run of `same` elements of `items` to its front; returns how many there are.
fn dedup_in_place<T: Copy>(items: &mut [T], same: impl Fn(&T, &T) -> bool) -> usize {
    let mut kept = 0;
    for i in 0..items.len() {
        if kept == 0 || !same(&items[kept - 1], &items[i]) {
            items[kept] = items[i];
            kept += 1;
        }
    }
    kept
}

/// If the phrase `words` of category `category` matches tokens starting at `first` within its sentence (which
/// ends before token `sentence_end`), the index after its last token. Its first word was matched (and checked
/// against the category's excludes) already.
fn phrase_end(
    matcher: &Matcher,
    doc: &Document,
    first: usize,
    sentence_end: usize,
    words: &[Compiled],
    category: usize,
) -> Option<usize> {
    let end = first + words.len();
    if end > sentence_end {
        return None;
    }
    let tokens = doc.tokens.get(first..end)?;
    let all = tokens.iter().zip(words).skip(1).all(|(t, w)| {
        let form = &doc.forms[t.form() as usize];
        w.matches(&form.norm, doc.stem_of(form)) && !matcher.excludes(category, &form.norm)
    });
    all.then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`WordIndex::find`]'s prefix lookups as they were: one lookup per character of the word, up to the longest
    /// prefix.
    fn prefixes_char_by_char(index: &WordIndex<usize>, norm: &str, found: &mut Vec<usize>) {
        let longest = index.by_prefix.keys().map(String::len).max().unwrap_or(0);
        for (end, c) in norm.char_indices().take_while(|(i, _)| *i < longest) {
            found.extend(index.by_prefix.get(&norm[..end + c.len_utf8()]).into_iter().flatten().copied());
        }
    }

    proptest! {
        #[test]
        fn prefixes_compared_by_their_start_match_what_looking_up_each_prefix_does(
            patterns in prop::collection::vec("(|a|é|ab|abc|ab´|b|ba|bab|éa)", 0..8),
            words in prop::collection::vec("[abé]{0,5}", 1..10),
        ) {
            let mut index = WordIndex::default();
            for (i, p) in patterns.iter().enumerate() {
                index.insert(&Compiled::Prefix(p.clone()), i);
                // A prefix given twice, as two terms may give it.
                if i % 3 == 0 {
                    index.insert(&Compiled::Prefix(p.clone()), i + 100);
                }
            }
            for word in &words {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                index.find(word, "", &mut fast);
                prefixes_char_by_char(&index, word, &mut slow);
                fast.sort_unstable();
                slow.sort_unstable();
                prop_assert_eq!(fast, slow, "{:?} against {:?}", word, patterns);
            }
        }
    }
}
