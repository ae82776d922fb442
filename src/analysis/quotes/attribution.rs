//! Who says a quotation: a speech verb with its subject right after it, or else the nearest active speech verb
//! earlier in its sentence with the words before the verb.

use std::ops::Range;

use super::marks::Found;
use crate::text::Document;

/// Speech verbs, in the forms they take.
const SPEECH_VERBS: &[&str] = &[
    "say",
    "says",
    "said",
    "saying",
    "tell",
    "tells",
    "told",
    "telling",
    "ask",
    "asks",
    "asked",
    "asking",
    "reply",
    "replies",
    "replied",
    "replying",
    "whisper",
    "whispers",
    "whispered",
    "whispering",
    "write",
    "writes",
    "wrote",
    "written",
    "writing",
    "call",
    "calls",
    "called",
    "add",
    "adds",
    "added",
    "shout",
    "shouts",
    "shouted",
    "cry",
    "cries",
    "cried",
    "answer",
    "answers",
    "answered",
    "murmur",
    "murmurs",
    "murmured",
    "mutter",
    "mutters",
    "muttered",
    "exclaim",
    "exclaims",
    "exclaimed",
    "remark",
    "remarks",
    "remarked",
    "respond",
    "responds",
    "responded",
    "insist",
    "insists",
    "insisted",
    "explain",
    "explains",
    "explained",
    "continue",
    "continues",
    "continued",
    "repeat",
    "repeats",
    "repeated",
    "declare",
    "declares",
    "declared",
    "announce",
    "announces",
    "announced",
    "admit",
    "admits",
    "admitted",
    "observe",
    "observes",
    "observed",
    "note",
    "notes",
    "noted",
    "suggest",
    "suggests",
    "suggested",
    "protest",
    "protests",
    "protested",
    "demand",
    "demands",
    "demanded",
    "inquire",
    "inquired",
    "enquire",
    "enquired",
    "scream",
    "screamed",
    "yell",
    "yelled",
    "sigh",
    "sighed",
    "snap",
    "snapped",
    "retort",
    "retorted",
    "interrupt",
    "interrupted",
    "claim",
    "claims",
    "claimed",
    "puts",
    "writes",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "i", "we", "you", "it"];
const DETERMINERS: &[&str] =
    &["the", "a", "an", "one", "his", "her", "their", "my", "our", "your", "its", "this", "that"];
/// Words that end a speaker's noun phrase when reading back from the verb.
const CLAUSE_WORDS: &[&str] =
    &["as", "and", "but", "when", "while", "then", "that", "so", "if", "because", "after", "before", "where", "or"];
/// Auxiliaries that make a speech verb passive (`they're told`): no speaker there.
const AUXILIARIES: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "get", "got"];

/// Who says it: a speech verb right after the quotation with its subject (`” Ruth said`, `” said Ruth`), or else the
/// nearest active speech verb before it in the same sentence with the noun phrase before the verb
/// (`As one guardian says, … “…”`). Empty strings when there is none. `verbs` remembers the speech verbs already
/// passed, for quotations taken in order of their opening marks.
pub(super) fn attribution(
    doc: &Document,
    sentence: Option<usize>,
    f: &Found,
    verbs: &mut VerbCursor,
) -> (String, String) {
    let Some(s) = sentence else { return (String::new(), String::new()) };
    let sent = &doc.sentences[s];
    let range = sent.first_token as usize..sent.end_token as usize;
    // The tag follows the closing mark, in its sentence or (`“Is that all?” Miss Emily asked.`) the next one.
    let after_first = doc.tokens.partition_point(|t| t.start() < f.close.end);
    let after_end = if after_first < doc.tokens.len() {
        doc.sentences[doc.sentence_of(after_first)].end_token as usize
    } else {
        after_first
    };
    if let Some(found) = after(doc, f.close.end, after_first..after_end) {
        return found;
    }
    let before_end = doc.tokens.partition_point(|t| doc.span(t).end <= f.open.start).clamp(range.start, range.end);
    before(doc, range.start..before_end, verbs).unwrap_or_default()
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

fn norm(doc: &Document, t: usize) -> &str {
    doc.norm(&doc.tokens[t])
}

fn surface(doc: &Document, t: usize) -> &str {
    doc.span(&doc.tokens[t]).of(&doc.text)
}

fn is_verb(doc: &Document, t: usize) -> bool {
    SPEECH_VERBS.contains(&norm(doc, t))
}

/// The longest gap, in bytes, between a quotation and the words that attribute it (`”, Ruth said`): checking only
/// so far keeps long runs of marks linear.
const MAX_GAP: usize = 32;

/// True when at most `MAX_GAP` bytes of spaces and punctuation other than sentence ends separate byte `from` and
/// token `t`.
fn adjacent(doc: &Document, from: usize, t: usize) -> bool {
    let start = doc.tokens[t].start();
    start.saturating_sub(from) <= MAX_GAP
        && doc.text.get(from..start).is_some_and(|gap| !gap.contains(['.', '!', '?', ';', ':', '“', '"']))
}

fn is_name(doc: &Document, t: usize) -> bool {
    surface(doc, t).starts_with(char::is_uppercase) || PRONOUNS.contains(&norm(doc, t))
}

/// `” Ruth said`, `” Miss Emily said`, `” the guardian said`, `” said Ruth`, `” said the guardian`.
fn after(doc: &Document, close_end: usize, tokens: Range<usize>) -> Option<(String, String)> {
    let t = tokens.start;
    if t >= tokens.end || !adjacent(doc, close_end, t) {
        return None;
    }
    let at = |i: usize| (t + i < tokens.end).then_some(t + i);
    let phrase = |a: usize, b: usize| doc.text[doc.tokens[a].start()..doc.span(&doc.tokens[b]).end].to_string();
    let capitalised = |i: usize| surface(doc, i).starts_with(char::is_uppercase);
    if is_verb(doc, t) {
        let subject = at(1)?;
        let end = if DETERMINERS.contains(&norm(doc, subject)) {
            at(2)?
        } else if is_name(doc, subject) {
            at(2).filter(|&n| capitalised(n) && !PRONOUNS.contains(&norm(doc, subject))).unwrap_or(subject)
        } else {
            return None;
        };
        return Some((phrase(subject, end), surface(doc, t).to_string()));
    }
    let two_word_subject = DETERMINERS.contains(&norm(doc, t)) || (capitalised(t) && at(1).is_some_and(capitalised));
    let verb = match (at(1), at(2)) {
        (Some(v), _) if is_name(doc, t) && is_verb(doc, v) => v,
        (Some(_), Some(v)) if two_word_subject && is_verb(doc, v) => v,
        _ => return None,
    };
    Some((phrase(t, verb - 1), surface(doc, verb).to_string()))
}

/// The nearest active speech verb in `tokens` (the last one) and the noun phrase before it.
fn before(doc: &Document, tokens: Range<usize>, verbs: &mut VerbCursor) -> Option<(String, String)> {
    let verb = verbs.last_in(doc, tokens.clone())?;
    if verb == tokens.start || AUXILIARIES.contains(&norm(doc, verb - 1)) || norm(doc, verb - 1).ends_with("'re") {
        return None;
    }
    let mut first = verb;
    while first > tokens.start && verb - first < 3 {
        let prev = first - 1;
        let gap = &doc.text[doc.span(&doc.tokens[prev]).end..doc.tokens[first].start()];
        if CLAUSE_WORDS.contains(&norm(doc, prev)) || gap.contains(|c: char| !c.is_whitespace()) {
            break;
        }
        first = prev;
    }
    (first < verb).then(|| {
        (
            doc.text[doc.tokens[first].start()..doc.span(&doc.tokens[verb - 1]).end].to_string(),
            surface(doc, verb).to_string(),
        )
    })
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
