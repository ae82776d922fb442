//! A quotation's tag: the speech verb beside it and the verb's subject, read from the narration of its own
//! paragraph: after the closing mark (`” said Mr. John Knightley`, `” the old lady replied`, `” she presently
//! added`) or else before the opening mark in its sentence (`Emma said, “`, `As one guardian says, … “`).
//!
//! The subject is taken whole: a name with its title and every capitalised part, or a noun phrase from its
//! determiner to its head (`the Mock Turtle`, `one guardian`, `his mother`), or a pronoun. A verb after an article
//! is a noun (`the answer`), after an auxiliary a passive (`they're told`), and an adverb is never a subject
//! (`even more briefly replied`). Tags are read across a paragraph break only where a paragraph ends with a colon,
//! dash or comma after a speech verb and the next opens with a speech (`he said at once:` then `“No, …”`). The
//! second part of a split speech takes the tag between its parts (`“Are you,” he added, as she said nothing,
//! “engaged?”`).

use std::ops::Range;

use super::marks::Found;
use crate::text::titles::title_of;
use crate::text::{Document, Sentence, Span, collapse_whitespace};

/// What a tag's subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A capitalised name, with its title (`Mr. Knightley`, `Emma`, `the Mock Turtle`'s `Mock Turtle`).
    Name,
    /// A personal pronoun (`he`, `she`, `I`).
    Pronoun,
    /// A noun phrase that is not a name (`the old lady`, `his mother`, `one guardian`).
    Description,
}

/// The tag of a quotation: a speech verb and its subject, as token indices of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The subject's tokens.
    pub subject: Range<usize>,
    /// The speech verb's token.
    pub verb: usize,
    /// What the subject is.
    pub kind: Subject,
}

impl Tag {
    /// The subject as written, whitespace collapsed (`Mr. John Knightley`, never with a raw newline).
    pub fn speaker(&self, doc: &Document) -> String {
        let span = Span { start: doc.tokens[self.subject.start].start(), end: end_of(doc, self.subject.end - 1) };
        let text = span.of(&doc.text);
        // `was Marilla's comment`: the speaker is Marilla.
        let text = text.strip_suffix("'s").or_else(|| text.strip_suffix("’s")).unwrap_or(text);
        collapse_whitespace(text).into_owned()
    }

    /// The speech verb as written.
    pub fn verb<'d>(&self, doc: &'d Document) -> &'d str {
        surface(doc, self.verb)
    }
}

const PRONOUNS: &[&str] = &["he", "she", "i", "they", "we", "you"];
/// Words that open a noun phrase naming a speaker.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "one", "his", "her", "their", "my", "our", "your", "its", "this", "that", "some", "another",
    "every", "each", "no",
];
/// Auxiliaries that make a speech verb passive (`they're told`, `was asked`): no speaker there.
const AUXILIARIES: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "get", "got", "gets", "'re"];
/// Adverbs that stand between a subject and its verb (`she presently added`, `he then said`), besides any word in
/// `-ly`.
const ADVERBS: &[&str] = &["then", "again", "now", "also", "still", "once", "soon", "at", "last", "first", "further"];
/// Speech verbs of two words (`he went on`, `she broke in`): the first, then the second.
const PHRASAL: &[(&str, &str)] = &[
    ("went", "on"),
    ("goes", "on"),
    ("broke", "in"),
    ("breaks", "in"),
    ("put", "in"),
    ("puts", "in"),
    ("chimed", "in"),
    ("cut", "in"),
    ("struck", "in"),
    ("broke", "out"),
    ("burst", "out"),
    ("bursts", "out"),
    ("spoke", "up"),
    ("piped", "up"),
    ("called", "out"),
    ("cried", "out"),
    ("sang", "out"),
];
/// Titles written abbreviated, which stand alone only when cut from the name they belong to.
const ABBREVIATED_TITLES: &[&str] = &["mr", "mrs", "ms", "dr", "mme", "mlle", "rev", "prof", "messrs", "st"];

/// The most tokens a name or noun phrase holds.
const MAX_SUBJECT: usize = 6;
/// Stopwords that head a description (`said the other`): the words of a description stop at any other stopword.
const STOPWORD_HEADS: &[&str] = &["other"];

fn norm(doc: &Document, t: usize) -> &str {
    doc.norm(&doc.tokens[t])
}

fn surface(doc: &Document, t: usize) -> &str {
    doc.span(&doc.tokens[t]).of(&doc.text)
}

fn end_of(doc: &Document, t: usize) -> usize {
    doc.span(&doc.tokens[t]).end
}

/// The text between tokens `a` and `b` (`a < b`).
fn gap(doc: &Document, a: usize, b: usize) -> &str {
    doc.text.get(end_of(doc, a)..doc.tokens[b].start()).unwrap_or("")
}

/// Only spaces (one line break at most: a hard-wrapped line) between tokens `a` and `b`.
fn joined(doc: &Document, a: usize, b: usize) -> bool {
    let g = gap(doc, a, b);
    g.chars().all(char::is_whitespace) && g.matches('\n').count() <= 1
}

/// Tokens `a` and `b` are words of one noun phrase: [`joined`], or the parts of a hyphenated word
/// (`self-sacrificing`).
fn in_phrase(doc: &Document, a: usize, b: usize) -> bool {
    joined(doc, a, b) || gap(doc, a, b) == "-"
}

fn capitalised(doc: &Document, t: usize) -> bool {
    surface(doc, t).starts_with(char::is_uppercase)
}

fn is_title(doc: &Document, t: usize) -> bool {
    title_of(norm(doc, t)).is_some() && capitalised(doc, t)
}

/// A capitalised word that can be part of a name: not a stopword (`Then`, `But`), which opens sentences.
fn is_name_word(doc: &Document, t: usize) -> bool {
    let token = &doc.tokens[t];
    capitalised(doc, t) && !doc.forms[token.form() as usize].stopword && !doc.forms[token.form() as usize].speech_verb
}

fn is_adverb(doc: &Document, t: usize) -> bool {
    let n = norm(doc, t);
    (n.len() > 4 && n.ends_with("ly") && !capitalised(doc, t)) || ADVERBS.contains(&n)
}

/// True if token `t` is a speech verb used as a verb: not after an article or determiner (`the answer`, `no
/// reply`) nor an auxiliary (`was told`). Returns the verb's last token (the second word of `went on`).
fn speech_verb(doc: &Document, t: usize, floor: usize) -> Option<usize> {
    let token = &doc.tokens[t];
    let n = norm(doc, t);
    let last = if doc.forms[token.form() as usize].speech_verb {
        t
    } else {
        // `broke in` and `broke out` share their first word: any pair may match.
        let next = t + 1;
        let second = (next < doc.tokens.len() && joined(doc, t, next)).then(|| norm(doc, next))?;
        PHRASAL.iter().any(|&(a, b)| a == n && b == second).then_some(next)?
    };
    let noun = t > floor && joined(doc, t - 1, t) && {
        let before = norm(doc, t - 1);
        DETERMINERS.contains(&before) || AUXILIARIES.contains(&before) || before.ends_with("'re")
    };
    (!noun).then_some(last)
}

/// The subject that starts at token `t` and reads forward (`said Mr. John Knightley`, `said the old lady`), within
/// `end`.
fn subject_forward(doc: &Document, t: usize, end: usize) -> Option<(Range<usize>, Subject)> {
    if t >= end {
        return None;
    }
    let n = norm(doc, t);
    if PRONOUNS.contains(&n) {
        return Some((t..t + 1, Subject::Pronoun));
    }
    if is_title(doc, t) || is_name_word(doc, t) {
        let mut last = t;
        while last + 1 < end && last + 1 - t < MAX_SUBJECT && name_continues(doc, last, last + 1) {
            last += 1;
        }
        // A title alone names nobody when it is an abbreviation cut from its name (`said Mr.`); a word
        // (`said Mademoiselle`) is how the text calls someone, whom the speakers' sieve looks up by it.
        let cut_off = last == t && is_title(doc, t) && ABBREVIATED_TITLES.contains(&norm(doc, t));
        return (!cut_off).then_some((t..last + 1, Subject::Name));
    }
    // `said dour Major Callendar`, `said the obliging Mrs. Ford`, `said good-hearted Mrs. Allen`: adjectives
    // before a name are not part of it.
    let first = usize::from(DETERMINERS.contains(&n) && n != "no");
    if let Some(name) = after_adjectives(doc, t + first, end) {
        return subject_forward(doc, name, end);
    }
    if DETERMINERS.contains(&n) && n != "no" {
        let mut last = t;
        while last + 1 < end && last + 1 - t < MAX_SUBJECT && in_phrase(doc, last, last + 1) {
            let next = last + 1;
            let form = &doc.forms[doc.tokens[next].form() as usize];
            let head_word = STOPWORD_HEADS.contains(&norm(doc, next));
            // `the first policeman`: right after its determiner, `first` is no adverb.
            let adverb = is_adverb(doc, next) && next > t + 1;
            if (form.stopword && !capitalised(doc, next) && !head_word) || adverb || form.speech_verb {
                break;
            }
            last = next;
        }
        if last == t {
            return None;
        }
        let kind = if (t + 1..=last).any(|k| is_name_word(doc, k)) { Subject::Name } else { Subject::Description };
        return Some((t..last + 1, kind));
    }
    None
}

/// The name or title after one to three plain lowercase words from token `t` (`dour`, `good-hearted`), if one
/// comes right after them.
fn after_adjectives(doc: &Document, t: usize, end: usize) -> Option<usize> {
    let plain = |k: usize| {
        let form = &doc.forms[doc.tokens[k].form() as usize];
        let hyphen = doc.text.get(doc.tokens[k].start()..end_of(doc, k)) == Some("-");
        hyphen || (!capitalised(doc, k) && !form.stopword && !form.speech_verb && !is_adverb(doc, k))
    };
    let mut k = t;
    while k < end && k - t < 3 && plain(k) {
        k += 1;
        let named = k < end && (is_title(doc, k) || is_name_word(doc, k));
        if named && in_phrase(doc, k - 1, k) {
            return Some(k);
        }
        if k >= end || !in_phrase(doc, k - 1, k) {
            return None;
        }
    }
    None
}

/// True if token `b` continues the name that token `a` ends: capitalised, with only spaces between (or a title's
/// full stop), or `de`, `van`, `von` before a capitalised word.
fn name_continues(doc: &Document, a: usize, b: usize) -> bool {
    let g = gap(doc, a, b);
    let spaced = joined(doc, a, b) || (is_title(doc, a) && g.trim_start().starts_with('.') && g[1..].trim().is_empty());
    spaced && (is_title(doc, b) || is_name_word(doc, b) || (is_particle(doc, b) && b + 1 < doc.tokens.len()))
}

/// `de`, `van`, `von` inside a name.
fn is_particle(doc: &Document, t: usize) -> bool {
    matches!(norm(doc, t), "de" | "van" | "von" | "du" | "la" | "le")
}

/// The subject that ends at token `t` and reads back (`Mr. Knightley said`, `his mother explained`), from no
/// earlier than `floor`. Adverbs between it and the verb have been passed over by the caller.
fn subject_backward(doc: &Document, t: usize, floor: usize) -> Option<(Range<usize>, Subject)> {
    let n = norm(doc, t);
    if PRONOUNS.contains(&n) {
        return Some((t..t + 1, Subject::Pronoun));
    }
    if is_name_word(doc, t) {
        let mut first = t;
        let name_part = |k: usize| is_title(doc, k) || is_name_word(doc, k) || is_particle(doc, k);
        while first > floor
            && t - first + 1 < MAX_SUBJECT
            && name_part(first - 1)
            && name_continues(doc, first - 1, first)
        {
            first -= 1;
        }
        // `the Mock Turtle`, `the Invisible Man`: a determiner before a name belongs to it.
        if first > floor && joined(doc, first - 1, first) && norm(doc, first - 1) == "the" {
            first -= 1;
        }
        return Some((first..t + 1, Subject::Name));
    }
    // A noun phrase: back to its determiner, over words that are neither stopwords nor verbs (`her by saying` has
    // no head).
    let head = &doc.forms[doc.tokens[t].form() as usize];
    if (head.stopword && !STOPWORD_HEADS.contains(&n)) || head.speech_verb || is_adverb(doc, t) {
        return None;
    }
    let mut first = t;
    while first > floor && t - first < MAX_SUBJECT && in_phrase(doc, first - 1, first) {
        first -= 1;
        let f = norm(doc, first);
        if DETERMINERS.contains(&f) {
            return (f != "no").then_some((first..t + 1, Subject::Description));
        }
        let form = &doc.forms[doc.tokens[first].form() as usize];
        if form.stopword || form.speech_verb || is_adverb(doc, first) {
            return None;
        }
    }
    None
}

/// A tag that starts at token `t` right after a closing mark: `said Emma`, `Emma said`, `she presently added`,
/// `presently she asked`, `the old lady replied`, `he went on`, `he broke out`. `end` bounds the narration it may read.
fn tag_after(doc: &Document, t: usize, end: usize) -> Option<Tag> {
    // `presently she asked`, `then said he`: one adverb may open the tag.
    if is_adverb(doc, t) && t + 1 < end && joined(doc, t, t + 1) {
        return tag_after(doc, t + 1, end);
    }
    if let Some(last) = speech_verb(doc, t, t) {
        let mut s = last + 1;
        // `said quietly Emma` is rare; `said, quietly, Emma` rarer: one adverb may stand before the subject.
        if s < end && joined(doc, last, s) && is_adverb(doc, s) && s + 1 < end && joined(doc, s, s + 1) {
            s += 1;
        }
        if s < end && joined(doc, s - 1, s) {
            let (subject, kind) = subject_forward(doc, s, end)?;
            return Some(Tag { subject, verb: t, kind });
        }
        return None;
    }
    let (subject, kind) = subject_forward(doc, t, end)?;
    let mut v = subject.end;
    // Adverbs between the subject and its verb: `she presently added`, `he said quietly` needs none.
    while v < end && v - subject.end < 2 && joined(doc, v - 1, v) && is_adverb(doc, v) {
        v += 1;
    }
    (v < end && joined(doc, v - 1, v) && speech_verb(doc, v, subject.end).is_some()).then_some(Tag {
        subject,
        verb: v,
        kind,
    })
}

/// The tag of the speech verb `v` read back from an opening mark: `Emma said, “`, `said Emma, “`, `Isabella
/// answered laughingly, “`. `floor` is the first token it may read.
fn tag_around(doc: &Document, v: usize, floor: usize, end: usize) -> Option<Tag> {
    let last = speech_verb(doc, v, floor)?;
    // Subject before the verb, over adverbs.
    let mut s = v;
    while s > floor && v - s < 2 && joined(doc, s - 1, s) && is_adverb(doc, s - 1) {
        s -= 1;
    }
    if s > floor
        && joined(doc, s - 1, s)
        && let Some((subject, kind)) = subject_backward(doc, s - 1, floor)
    {
        return Some(Tag { subject, verb: v, kind });
    }
    let s = last + 1;
    if s < end
        && joined(doc, last, s)
        && let Some((subject, kind)) = subject_forward(doc, s, end)
    {
        return Some(Tag { subject, verb: v, kind });
    }
    let (subject, kind) = clause_subject(doc, v, floor)?;
    Some(Tag { subject, verb: v, kind })
}

/// How far back, in tokens, the subject of a verb's clause is looked for.
const CLAUSE_REACH: usize = 30;
/// Words after which a name is an object, not a subject (`looked at Katharine, and said`); the speakers' sieve
/// reads them too.
pub const PREPOSITIONS: &[&str] = &[
    "to", "at", "with", "of", "for", "upon", "on", "from", "by", "about", "into", "towards", "toward", "than", "like",
    "beside", "behind", "before", "after", "in", "over", "under",
];

/// The subject of the clause a speech verb ends, when words stand between them (`Denham got up from his chair,
/// looked at Katharine, and said:`, `Sir Thomas, trying to suppress a smile, went on.`, `Harriet, who said`): the
/// nearest name or subject pronoun before the verb in its sentence that is neither possessive nor after a
/// preposition, or the name before a `who` that stands right before the verb.
fn clause_subject(doc: &Document, v: usize, floor: usize) -> Option<(Range<usize>, Subject)> {
    let reach = floor.max(v.saturating_sub(CLAUSE_REACH));
    if v > reach + 1 && norm(doc, v - 1) == "who" {
        return is_name_word(doc, v - 2).then(|| subject_backward(doc, v - 2, floor)).flatten();
    }
    for k in (reach..v).rev() {
        let after_preposition = k > floor && PREPOSITIONS.contains(&norm(doc, k - 1));
        let possessive = norm(doc, k).ends_with("'s");
        if after_preposition || possessive {
            continue;
        }
        if matches!(norm(doc, k), "he" | "she" | "i" | "we" | "they") {
            return Some((k..k + 1, Subject::Pronoun));
        }
        if is_name_word(doc, k) && !(k + 1 < v && is_name_word(doc, k + 1) && joined(doc, k, k + 1)) {
            return subject_backward(doc, k, floor);
        }
    }
    None
}

/// The last speech verb among the tokens read so far, read forward once however many quotations a sentence
/// holds: looking back from each quotation over the whole sentence took time quadratic in its length (a sentence
/// of 240 KB of quotations took 18 s).
#[derive(Debug, Default)]
pub(super) struct VerbCursor {
    /// Tokens before this one have been read.
    read: usize,
    /// The last speech verb among them, if it is at or after `from`.
    last: Option<usize>,
    /// Where the reading started: verbs before it were not looked for.
    from: usize,
}

impl VerbCursor {
    /// The last speech verb in `tokens`. Linear over calls whose ranges move forward (each token is read once);
    /// a range starting before the tokens read so far starts the reading again, so any order gives the same
    /// answer as looking back over `tokens`.
    fn last_in(&mut self, doc: &Document, tokens: Range<usize>) -> Option<usize> {
        if tokens.start < self.from || tokens.end < self.read || self.read < tokens.start {
            *self = VerbCursor { read: tokens.start, last: None, from: tokens.start };
        }
        if let Some(verb) = (self.read..tokens.end).rev().find(|&t| is_verb(doc, t)) {
            self.last = Some(verb);
        }
        self.read = tokens.end;
        self.last.filter(|&v| v >= tokens.start && v < tokens.end)
    }
}

/// True if a speech verb starts at token `t` (`said`, or `went` of `went on`).
fn is_verb(doc: &Document, t: usize) -> bool {
    doc.forms[doc.tokens[t].form() as usize].speech_verb || speech_verb(doc, t, t).is_some()
}

/// The longest gap, in bytes, between a closing mark and the tag after it (`”, Ruth said`): checking only so far
/// keeps long runs of marks linear.
const MAX_GAP: usize = 32;

/// The paragraph holding byte `at`.
fn paragraph_at(doc: &Document, at: usize) -> Option<Span> {
    let p = doc.paragraphs.partition_point(|p| p.span.start <= at).checked_sub(1)?;
    Some(doc.paragraphs[p].span)
}

/// Reads the tags of a document's quotations, taken in order of their opening marks.
#[derive(Debug, Default)]
pub(super) struct Tagger {
    /// The speech verbs already passed.
    verbs: VerbCursor,
    /// Where the quotation that closed last ends, and its tag.
    last: Option<(usize, Option<Tag>)>,
}

impl Tagger {
    /// The tag of quotation `f`, which opens in sentence `sentence`: a tag that introduces its opening mark (`Emma
    /// said, “`); or else a tag right after its closing mark, in the same paragraph and before any sentence end;
    /// or else, for the second part of a split quotation, the tag between the parts (`“Are you,” he added, as she
    /// said nothing, “engaged?”` is his, not hers); or else the nearest speech verb before its opening mark in its
    /// sentence ([`tag_before`]); or else, for a speech that opens its paragraph, the tag that ends the paragraph
    /// before with a colon, dash or comma ([`tag_introducing`]).
    pub(super) fn tag(&mut self, doc: &Document, sentence: Option<usize>, f: &Found) -> Option<Tag> {
        let found = self.read(doc, sentence, f);
        if self.last.as_ref().is_none_or(|(end, _)| *end <= f.close.end) {
            self.last = Some((f.close.end, found.clone()));
        }
        found
    }

    fn read(&mut self, doc: &Document, sentence: Option<usize>, f: &Found) -> Option<Tag> {
        let Some(s) = sentence else { return tag_introducing(doc, f) };
        let before = tag_before(doc, &doc.sentences[s], f, &mut self.verbs);
        // A tag that introduces the mark (`Mr. Bounderby said, “…”`) is the quotation's own, whatever follows it;
        // but a description before the second part of a split speech is the first part's tag read on (`said Mrs.
        // Dashwood, with a good humoured smile, “…` is no smile's).
        if let Some((tag, Lead::Introduces)) = &before
            && (tag.kind != Subject::Description || self.between_parts(doc, s, f).is_none())
        {
            return Some(tag.clone());
        }
        tag_after_close(doc, f)
            .or_else(|| self.between_parts(doc, s, f))
            .or(before.map(|(tag, _)| tag))
            .or_else(|| tag_introducing(doc, f))
    }

    /// The tag of the quotation that closed last, when it stands between that quotation and `f` in sentence `s`:
    /// the two are the parts of one split speech.
    fn between_parts(&self, doc: &Document, s: usize, f: &Found) -> Option<Tag> {
        let (closed, tag) = self.last.as_ref()?;
        let tag = tag.as_ref()?;
        let at = doc.tokens[tag.verb].start();
        let sentence = &doc.sentences[s];
        let in_sentence = doc.tokens[sentence.first_token as usize].start() <= *closed;
        (in_sentence && *closed <= at && at < f.open.start).then(|| tag.clone())
    }
}

/// A tag right after the closing mark of `f`, in the same paragraph and before any sentence end.
fn tag_after_close(doc: &Document, f: &Found) -> Option<Tag> {
    let para = paragraph_at(doc, f.close.start)?;
    let first = doc.tokens.partition_point(|t| t.start() < f.close.end);
    let end = doc.tokens.partition_point(|t| t.start() < para.end);
    // (A line break in the gap is a wrapped line when nothing else stands there.)
    let gap_ok = first < end
        && doc.tokens[first].start() - f.close.end <= MAX_GAP
        && doc
            .text
            .get(f.close.end..doc.tokens[first].start())
            .is_some_and(|g| !g.contains(['.', '!', '?', ';', ':', '“', '"', '«', '»', '„', '\n']) || g.trim() == "");
    if !gap_ok {
        return None;
    }
    let end = end.min(first + 2 * MAX_SUBJECT);
    let speech_ends = doc.text.get(..f.close.start).is_some_and(|t| t.trim_end().ends_with([',', '!', '?', '—', '–']));
    tag_after(doc, first, end)
        .or_else(|| speech_ends.then(|| tag_inverted(doc, first, end)).flatten())
        .or_else(|| tag_possessive(doc, first, end))
}

/// Nouns that name a speech in `was Marilla's comment`.
const SPEECH_NOUNS: &[&str] =
    &["reply", "answer", "comment", "rejoinder", "response", "remark", "retort", "exclamation"];

/// `was Lady Bertram's placid reply`, `was Marilla's comment`: the name is the speaker, the noun the verb.
fn tag_possessive(doc: &Document, t: usize, end: usize) -> Option<Tag> {
    if norm(doc, t) != "was" || t + 1 >= end || !joined(doc, t, t + 1) {
        return None;
    }
    let (subject, kind) = subject_forward(doc, t + 1, end).filter(|(_, kind)| *kind == Subject::Name)?;
    let last = subject.end - 1;
    // Normalisation folds `’` to `'`, and the `'s` is part of the name's token.
    let possessive = norm(doc, last).ends_with("'s");
    // Up to two adjectives between the name and its noun (`placid`, `only`).
    let noun = (subject.end..end.min(subject.end + 3)).find(|&k| SPEECH_NOUNS.contains(&norm(doc, k)))?;
    (possessive && (subject.end..noun).all(|k| !capitalised(doc, k))).then_some(Tag { subject, verb: noun, kind })
}

/// After a speech that ends with a comma, `!` or `?`, a past tense before a name is a tag whatever its verb
/// (`“…,” corroborated Flora Jane`, `“…!” boomed Uncle Aubrey`): English puts the verb first only in tags.
fn tag_inverted(doc: &Document, t: usize, end: usize) -> Option<Tag> {
    let verb = norm(doc, t);
    let past = verb.len() > 4 && verb.ends_with("ed") && !capitalised(doc, t);
    if !past || t + 1 >= end || !joined(doc, t, t + 1) {
        return None;
    }
    let (subject, kind) = subject_forward(doc, t + 1, end).filter(|(_, kind)| *kind == Subject::Name)?;
    Some(Tag { subject, verb: t, kind })
}

/// How far back from the end of the paragraph before, in tokens, [`tag_introducing`] looks for its verb.
const INTRODUCING_REACH: usize = 12;

/// For a speech that opens its paragraph, the tag that ends the paragraph before it with a colon, a dash or a
/// comma, which introduces it (`… and he said at once:` then `“No, mon ami, …”`): the paragraph's last speech
/// verb, in its last sentence and among its last [`INTRODUCING_REACH`] tokens, with no quotation after it.
fn tag_introducing(doc: &Document, f: &Found) -> Option<Tag> {
    let p = doc.paragraphs.partition_point(|p| p.span.start <= f.open.start).checked_sub(1)?;
    let opens_paragraph = doc.text.get(doc.paragraphs[p].span.start..f.open.start)?.trim().is_empty();
    let before = doc.paragraphs.get(p.checked_sub(1)?)?.span;
    let last_words = doc.text.get(before.start..before.end)?.trim_end();
    if !opens_paragraph || !last_words.ends_with([':', ',', '-', '—', '–']) {
        return None;
    }
    let end = doc.tokens.partition_point(|t| t.start() < before.end);
    let sentence = doc.sentences.partition_point(|s| (s.first_token as usize) < end).checked_sub(1)?;
    let floor = (doc.sentences[sentence].first_token as usize)
        .max(doc.tokens.partition_point(|t| t.start() < before.start))
        .max(end.saturating_sub(INTRODUCING_REACH));
    let v = (floor..end).rev().find(|&t| is_verb(doc, t))?;
    let after = doc.text.get(doc.tokens[v].start()..before.end)?;
    if after.contains(['“', '”', '"', '«', '»', '„', '.', '!', '?']) {
        return None;
    }
    tag_around(doc, v, floor, end)
}

/// How a tag read back from an opening mark stands to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lead {
    /// Right before the mark, set off by a comma or colon or nothing (`Emma said, “`).
    Introduces,
    /// Further back in the sentence, with a comma, colon or dash between (`As one guardian says, they are “`).
    SetOff,
}

/// The nearest speech verb before the opening mark of `f` in its sentence and paragraph, with its subject, and a
/// comma, colon or dash between them and the mark unless the subject is a name or pronoun (`a novel called
/// “Middlemarch”` is no speech).
fn tag_before(doc: &Document, sent: &Sentence, f: &Found, verbs: &mut VerbCursor) -> Option<(Tag, Lead)> {
    let para = paragraph_at(doc, f.open.start)?;
    let floor = (sent.first_token as usize).max(doc.tokens.partition_point(|t| t.start() < para.start));
    let before_end = doc.tokens.partition_point(|t| doc.span(t).end <= f.open.start).max(floor);
    let v = verbs.last_in(doc, floor..before_end)?;
    let found = tag_around(doc, v, floor, before_end)?;
    let tag_end = end_of(doc, found.subject.end.max(found.verb + 1) - 1).max(end_of(doc, found.verb));
    let lead = doc.text.get(tag_end..f.open.start).unwrap_or("");
    let named = matches!(found.kind, Subject::Name | Subject::Pronoun);
    if matches!(lead.trim(), "," | ":") || (named && lead.trim().is_empty()) {
        Some((found, Lead::Introduces))
    } else {
        lead.contains([',', ':', '—', '–', '-', ';']).then_some((found, Lead::SetOff))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last speech verb in `tokens`, looked for backwards as it was before [`VerbCursor`].
    fn looking_back(doc: &Document, tokens: Range<usize>) -> Option<usize> {
        tokens.rev().find(|&t| is_verb(doc, t))
    }

    #[test]
    fn the_verb_cursor_finds_what_looking_back_finds_in_any_order() {
        let doc = Document::from_text("t", "Ruth said it, and then Tommy told me what she asked them, he said, or not");
        let n = doc.tokens.len();
        let ranges: Vec<Range<usize>> = (0..=n).flat_map(|s| (s..=n).map(move |e| s..e)).collect();
        // In the order the rows take them (forward), backwards, and every range after every other.
        let mut verbs = VerbCursor::default();
        for r in ranges.iter().chain(ranges.iter().rev()) {
            assert_eq!(verbs.last_in(&doc, r.clone()), looking_back(&doc, r.clone()), "{r:?}");
        }
        for a in &ranges {
            for b in &ranges {
                let mut verbs = VerbCursor::default();
                verbs.last_in(&doc, a.clone());
                assert_eq!(verbs.last_in(&doc, b.clone()), looking_back(&doc, b.clone()), "{a:?} then {b:?}");
            }
        }
    }
}
