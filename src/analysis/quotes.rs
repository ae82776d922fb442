//! `quotes.csv`: every phrase a text puts in quotation marks, in any language's marks, with its nesting, its kind
//! (a scare-quoted term, a quoted phrase, dialogue) and, where a speech verb stands next to it, who says it.
//!
//! ```
//! use marginalia::{analysis::quotes::quotes, input::Source, text::Pipeline};
//! let doc = Pipeline::default().document(Source::from_text("r", "As one guardian says, they’ve been “told and not told.”"));
//! let found = quotes(&doc);
//! let q = found.rows().next().unwrap();
//! assert_eq!((q.phrase.as_ref(), q.speaker.as_str(), q.speech_verb.as_str()), ("told and not told", "one guardian", "says"));
//! ```
//!
//! How marks are read: a mark opens when it follows the start of a paragraph, a space, a bracket, a dash or another
//! mark, and precedes a non-space; it closes when it follows a non-space and precedes the end, a space or
//! punctuation (French guillemets may have spaces inside). An apostrophe inside a word is never a mark; one at the
//! end of a plural (`the boys’ games`) closes a single quotation only when no later mark in the paragraph could;
//! elisions (`'90s`, `'tis`, `rock 'n' roll`) are passed over, and so is a single quote left open at the end of a
//! paragraph (it was an apostrophe). A speech that runs on into the next paragraph, which then opens with the same
//! mark, is one quotation spanning both. Any other mark never closed is reported and ends at its paragraph.

use std::borrow::Cow;

use crate::input::line_col;
use crate::report::schema::QuoteRow;
use crate::text::{Document, Span, collapse_whitespace};

/// Quotation marks: (opening, closing). A character may open one kind and close another (`“` closes `„`).
const PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('‘', '’'),
    ('"', '"'),
    ('\'', '\''),
    ('«', '»'),
    ('‹', '›'),
    ('„', '“'),
    ('‚', '‘'),
    ('»', '«'),
    ('›', '‹'),
    ('「', '」'),
    ('『', '』'),
    ('〝', '〞'),
    ('〝', '〟'),
];

/// Nesting deeper than this is not followed (no text nests so deep; it keeps hostile input linear).
const MAX_DEPTH: usize = 64;
/// The longest stretch of a quotation, in bytes, from its opening mark (or from the repeated mark of a paragraph
/// its speech runs on into) to its close: a mark left open longer was never closed. More than twice the longest
/// quotation in 24 books of `../shared/corpus/literary` (26 KB, in Paradise Lost), and a framed narration told
/// over many paragraphs (Marlow's) restarts it at each. Without it, a novel run into one paragraph (its newlines
/// lost) pairs a stray mark with one a hundred megabytes on, and every quotation between is copied again inside
/// it.
const MAX_QUOTE_BYTES: usize = 1 << 16;
/// Unclosed marks reported one by one per document before the rest are summed up.
const MAX_WARNINGS: usize = 10;

fn is_mark(c: char) -> bool {
    PAIRS.iter().any(|&(o, c2)| o == c || c2 == c)
}

fn is_single(c: char) -> bool {
    matches!(c, '‘' | '’' | '\'' | '‚')
}

/// Guillemets, which French sets off with (no-break) spaces inside.
fn is_guillemet(c: char) -> bool {
    matches!(c, '«' | '»' | '‹' | '›')
}

/// Words that a leading apostrophe shortens (`'tis`, `'n'`), so the apostrophe is no opening mark.
const ELISIONS: &[&str] =
    &["tis", "twas", "twere", "twill", "em", "n", "cause", "til", "till", "bout", "round", "gainst"];

/// What the quotation analysis finds in one document: the quotations' marks, made into rows of `quotes.csv` by
/// [`QuoteAnalysis::rows`] as they are written (a novel has hundreds of thousands, and a row is 200 bytes).
#[derive(Debug, Clone)]
pub struct QuoteAnalysis<'a> {
    doc: &'a Document,
    /// The quotations, in order of their opening marks.
    found: Vec<Found>,
    /// Marks opened and never closed, as messages naming the document and the line.
    pub warnings: Vec<String>,
}

/// An opening mark waiting for its close.
#[derive(Debug, Clone, Copy)]
struct Open {
    close: char,
    /// The opening mark's span.
    mark: Span,
    /// A single quote, which may turn out to have been an apostrophe.
    single: bool,
    /// Where the quotation was last opened: its mark, or the repeated mark of the latest paragraph its speech ran
    /// on into. It is never closed if no mark closes it within [`MAX_QUOTE_BYTES`] of here.
    since: usize,
}

/// A quotation found: marks and the text between them.
#[derive(Debug, Clone, Copy)]
struct Found {
    open: Span,
    close: Span,
}

/// Finds every quotation of `doc`.
pub fn quotes(doc: &Document) -> QuoteAnalysis<'_> {
    let text = doc.text.as_str();
    let mut found: Vec<Found> = Vec::new();
    let mut unclosed: Vec<Span> = Vec::new();
    let mut carried: Vec<Open> = Vec::new();
    for (p, para) in doc.paragraphs.iter().enumerate() {
        let next_start = doc.paragraphs.get(p + 1).and_then(|n| n.span.of(text).chars().next());
        carried = scan_paragraph(text, para.span, carried, &mut found, &mut unclosed);
        // A speech continued in the next paragraph opens it again with the same mark: keep it open.
        let (continued, ended): (Vec<Open>, Vec<Open>) =
            carried.into_iter().partition(|o| next_start.is_some_and(|c| opens_like(c, o)));
        // A single quote still open was an apostrophe (an elision, a possessive): only other marks are reported.
        unclosed.extend(ended.iter().filter(|o| !o.single).map(|o| o.mark));
        carried = continued;
    }
    // (Nothing is carried past the last paragraph: with no paragraph after it, every open mark ended.)
    found.sort_by_key(|f| f.open.start);
    unclosed.sort_by_key(|m| m.start);
    let warnings = warnings(doc, &unclosed);
    QuoteAnalysis { doc, found, warnings }
}

/// What `documents.csv` says of a document's quotations, summed from its rows of `quotes.csv` as they are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuoteTally {
    /// Quotations (rows).
    pub quotes: usize,
    /// Words inside top-level quotations (a quotation within a quotation is counted in its parent).
    pub quoted_words: usize,
}

impl QuoteTally {
    /// Counts one row of `quotes.csv`.
    pub fn add(&mut self, row: &QuoteRow) {
        self.quotes += 1;
        if row.depth == 0 {
            self.quoted_words += row.words;
        }
    }
}

impl<'a> QuoteAnalysis<'a> {
    /// How many quotations there are.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The rows of `quotes.csv`, in order of their opening marks, with ids, nesting, sentence, words, kind and
    /// attribution: made one at a time as they are taken. The words of the rows of depth 0 are `quoted_words` in
    /// `documents.csv`.
    pub fn rows(&self) -> impl Iterator<Item = QuoteRow<'a>> + '_ {
        let (doc, text, found) = (self.doc, self.doc.text.as_str(), &self.found);
        // Indices of the quotations that contain the current one, innermost last.
        let mut ancestors: Vec<usize> = Vec::new();
        found.iter().enumerate().map(move |(i, f)| {
            while ancestors.last().is_some_and(|&a| found[a].close.end <= f.open.start) {
                ancestors.pop();
            }
            let (parent, depth) = (ancestors.last().copied(), ancestors.len());
            ancestors.push(i);
            let inner = Span { start: f.open.end, end: f.close.start };
            let sentence = sentence_at(doc, f.open.start);
            let words = tokens_in(doc, inner).len();
            let (speaker, speech_verb) = attribution(doc, sentence, f);
            let inner_text = inner.of(text);
            let starts_clause = is_clause(doc, sentence, f, inner_text);
            let kind = if !speech_verb.is_empty() || starts_clause {
                "dialogue"
            } else if words <= 2 {
                "term"
            } else {
                "phrase"
            };
            QuoteRow {
                document: &doc.id,
                quote_id: i as u32 + 1,
                parent_id: parent.map(|a| a as u32 + 1),
                depth: depth as u32,
                start_byte: inner.start,
                end_byte: inner.end,
                sentence_id: sentence.map(|s| s as u32 + 1),
                paragraph_id: sentence.map(|s| doc.sentences[s].paragraph + 1),
                open_mark: f.open.of(text),
                close_mark: f.close.of(text),
                text: inner_text,
                phrase: phrase(inner_text),
                words,
                kind,
                speaker,
                speech_verb,
                context: sentence.map_or("", |s| context(text, doc.sentences[s].span, f.open.start)),
            }
        })
    }
}

/// True if `c` opens the same kind of quotation as `open` (a paragraph continuing its speech).
fn opens_like(c: char, open: &Open) -> bool {
    PAIRS.iter().any(|&(o, cl)| o == c && cl == open.close)
}

/// Reads the marks of one paragraph. `carried` are quotations left open by the previous paragraph (whose repeated
/// opening mark starts this one). Returns the quotations still open at its end.
fn scan_paragraph(
    text: &str,
    para: Span,
    mut stack: Vec<Open>,
    found: &mut Vec<Found>,
    unclosed: &mut Vec<Span>,
) -> Vec<Open> {
    let body = para.of(text);
    // Only the marks are looked at; their neighbours are read from the text around them.
    let marks: Vec<(usize, char)> =
        body.char_indices().filter(|&(_, c)| (!c.is_ascii() || c == '"' || c == '\'') && is_mark(c)).collect();
    let around = |i: usize, c: char| (body[..i].chars().next_back(), &body[i + c.len_utf8()..]);
    let strong_single_after = strong_single_closes_after(body, &marks);
    let continued = !stack.is_empty();
    // A speech running on into this paragraph is opened again by its first mark.
    stack.iter_mut().for_each(|o| o.since = para.start);
    for (k, &(i, c)) in marks.iter().enumerate() {
        if continued && i == 0 {
            continue; // the repeated mark of a continued speech
        }
        let (prev, rest) = around(i, c);
        let next = rest.chars().next();
        let mark = Span { start: para.start + i, end: para.start + i + c.len_utf8() };
        while stack.first().is_some_and(|o| mark.start - o.since > MAX_QUOTE_BYTES) {
            let stale = stack.remove(0);
            if !stale.single {
                unclosed.push(stale.mark);
            }
        }
        if matches!(c, '’' | '\'') && prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)
        {
            continue; // an apostrophe inside a word: don’t, l’Ordre
        }
        let weak = is_single(c) && is_plural_possessive(prev, rest) && strong_single_after[k];
        let closes =
            if closing_context(c, prev, next) && !weak { stack.iter().rposition(|o| o.close == c) } else { None };
        if let Some(depth) = closes {
            let open = stack[depth];
            unclosed.extend(stack.drain(depth..).skip(1).filter(|o| !o.single).map(|o| o.mark));
            found.push(Found { open: open.mark, close: mark });
            continue;
        }
        let opens = opening_context(c, prev, next) && !is_elision(rest) && stack.len() < MAX_DEPTH;
        if let Some(&(_, close)) = PAIRS.iter().find(|&&(o, _)| o == c).filter(|_| opens) {
            stack.push(Open { close, mark, single: is_single(c), since: mark.start });
        }
    }
    stack
}

/// For each mark of a paragraph, whether a single-quote close that is not a plural possessive follows it.
fn strong_single_closes_after(body: &str, marks: &[(usize, char)]) -> Vec<bool> {
    let mut after = vec![false; marks.len()];
    let mut seen = false;
    for (k, &(i, c)) in marks.iter().enumerate().rev() {
        after[k] = seen;
        let (prev, rest) = (body[..i].chars().next_back(), &body[i + c.len_utf8()..]);
        if matches!(c, '’' | '\'') && closing_context(c, prev, rest.chars().next()) && !is_plural_possessive(prev, rest)
        {
            seen = true;
        }
    }
    after
}

/// `boys’ games`: an apostrophe after an `s` and before a space and a lowercase word.
fn is_plural_possessive(prev: Option<char>, rest: &str) -> bool {
    let mut rest = rest.chars();
    matches!(prev, Some('s' | 'S'))
        && rest.next().is_some_and(char::is_whitespace)
        && rest.next().is_some_and(char::is_lowercase)
}

/// `'90s`, `'tis`, `'n'`: an apostrophe shortening the word it starts.
fn is_elision(rest: &str) -> bool {
    let word = &rest[..rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len())];
    word.starts_with(|c: char| c.is_ascii_digit()) || ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(word))
}

/// CJK brackets, which are never anything but quotation marks and stand between words without spaces.
fn is_bracket(c: char) -> bool {
    matches!(c, '「' | '」' | '『' | '』' | '〝' | '〞' | '〟')
}

fn opening_context(c: char, prev: Option<char>, next: Option<char>) -> bool {
    if is_bracket(c) {
        return next.is_some();
    }
    let left = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p) || is_mark(p));
    let right =
        next.is_some_and(|n| !n.is_whitespace() || (is_guillemet(c) && matches!(n, ' ' | '\u{a0}' | '\u{202f}')));
    left && right
}

fn closing_context(c: char, prev: Option<char>, next: Option<char>) -> bool {
    if is_bracket(c) {
        return prev.is_some();
    }
    let left =
        prev.is_some_and(|p| !p.is_whitespace() || (is_guillemet(c) && matches!(p, ' ' | '\u{a0}' | '\u{202f}')));
    let right =
        next.is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation() || ")]}—–…".contains(n) || is_mark(n));
    left && right
}

/// One message per unclosed mark (the first few), naming the document and the line.
fn warnings(doc: &Document, unclosed: &[Span]) -> Vec<String> {
    let mut out: Vec<String> = unclosed
        .iter()
        .take(MAX_WARNINGS)
        .map(|m| {
            let (line, column) = line_col(&doc.text, m.start);
            format!("{}: line {line}, column {column}: {} is never closed", doc.path, m.of(&doc.text))
        })
        .collect();
    if unclosed.len() > MAX_WARNINGS {
        out.push(format!("{}: {} more marks are never closed", doc.path, unclosed.len() - MAX_WARNINGS));
    }
    out
}

/// Bytes of context either side of the opening mark when its sentence is too long to give whole.
const CONTEXT: usize = 250;

/// The sentence a quotation opens in, or, for a sentence longer than `4 × CONTEXT` bytes (a text without full
/// stops), the part of it within `CONTEXT` bytes of the opening mark: a row's size stays bounded however the
/// text is punctuated.
fn context(text: &str, sentence: Span, open: usize) -> &str {
    if sentence.end - sentence.start <= 4 * CONTEXT {
        return sentence.of(text);
    }
    let mut start = open.saturating_sub(CONTEXT).max(sentence.start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = open.saturating_add(CONTEXT).min(sentence.end);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end]
}

/// The quoted text as a phrase: whitespace collapsed and trimmed, trailing `, . ; : ! ?` removed.
fn phrase(text: &str) -> Cow<'_, str> {
    collapse_whitespace(text.trim().trim_end_matches([',', '.', ';', ':', '!', '?']))
}

/// The sentence holding byte `at`, or the last one starting before it.
fn sentence_at(doc: &Document, at: usize) -> Option<usize> {
    doc.sentences.partition_point(|s| s.span.start <= at).checked_sub(1)
}

/// The indices of the tokens inside `span`.
fn tokens_in(doc: &Document, span: Span) -> std::ops::Range<usize> {
    let first = doc.tokens.partition_point(|t| t.start() < span.start);
    let end = doc.tokens.partition_point(|t| doc.span(t).end <= span.end);
    first..end.max(first)
}

/// True for speech that stands as its own clause: it opens its sentence and ends in `, . ! ?` inside the marks.
fn is_clause(doc: &Document, sentence: Option<usize>, f: &Found, inner: &str) -> bool {
    let opens_sentence = sentence.is_some_and(|s| doc.sentences[s].span.start == f.open.start);
    opens_sentence && inner.trim_end().ends_with([',', '.', '!', '?']) && inner.split_whitespace().count() > 2
}

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
/// (`As one guardian says, … “…”`). Empty strings when there is none.
fn attribution(doc: &Document, sentence: Option<usize>, f: &Found) -> (String, String) {
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
    before(doc, range.start..before_end).unwrap_or_default()
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
fn after(doc: &Document, close_end: usize, tokens: std::ops::Range<usize>) -> Option<(String, String)> {
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

/// The nearest active speech verb in `tokens` (read backwards) and the noun phrase before it.
fn before(doc: &Document, tokens: std::ops::Range<usize>) -> Option<(String, String)> {
    let verb = tokens.clone().rev().find(|&t| is_verb(doc, t))?;
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

    /// Phrase, depth, parent, speaker and verb of a quotation.
    type Summary = (String, u32, Option<u32>, String, String);

    /// A summary of every quotation in `text`, and the warnings.
    fn found(text: &str) -> (Vec<Summary>, Vec<String>) {
        let doc = Document::from_text("t", text);
        let q = quotes(&doc);
        for r in q.rows() {
            assert_eq!(&doc.text[r.start_byte..r.end_byte], r.text);
        }
        let rows = q
            .rows()
            .map(|r| (r.phrase.to_string(), r.depth, r.parent_id, r.speaker.clone(), r.speech_verb.clone()))
            .collect();
        (rows, q.warnings)
    }

    fn phrases(text: &str) -> Vec<String> {
        found(text).0.into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn every_pairing_of_marks() {
        for (text, want) in [
            ("a “carer” here", "carer"),
            ("a ‘carer’ here", "carer"),
            ("a \"carer\" here", "carer"),
            ("a 'carer' here", "carer"),
            ("un « soignant » ici", "soignant"),
            ("un «\u{a0}soignant\u{a0}» ici", "soignant"),
            ("un ‹ soignant › ici", "soignant"),
            ("ein „Pfleger“ hier", "Pfleger"),
            ("ein ‚Pfleger‘ hier", "Pfleger"),
            ("en »plejer« her", "plejer"),
            ("介護人「カレラ」です", "カレラ"),
            ("介護人『カレラ』です", "カレラ"),
            ("a 〝carer〞 here", "carer"),
        ] {
            assert_eq!(phrases(text), [want], "{text}");
        }
    }

    #[test]
    fn apostrophes_are_never_marks() {
        let text = "Don’t read Ishiguro’s l’Ordre; the boys’ games, the Joneses' car, the '90s, 'tis rock 'n' roll.";
        let (rows, warnings) = found(text);
        assert!(rows.is_empty(), "{rows:?}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn british_dialogue_with_possessives_is_found_whole() {
        let (rows, _) = found("‘I don’t think the boys’ games were the point,’ Ruth said.");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "I don’t think the boys’ games were the point");
        assert_eq!((rows[0].3.as_str(), rows[0].4.as_str()), ("Ruth", "said"));
    }

    #[test]
    fn nesting_has_depth_and_parent() {
        let (rows, _) = found("“She said ‘no’ twice,” Tommy told me.");
        assert_eq!(rows[0].0, "She said ‘no’ twice");
        assert_eq!((rows[0].1, rows[0].2), (0, None));
        assert_eq!((rows[1].0.as_str(), rows[1].1, rows[1].2), ("no", 1, Some(1)));
        assert_eq!((rows[0].3.as_str(), rows[0].4.as_str()), ("Tommy", "told"));
    }

    #[test]
    fn dialogue_continued_over_paragraphs_is_one_quotation() {
        let (rows, warnings) = found("“It was a long time ago,\n“and we were young,” Kathy said.\nThen “yes” again.");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "It was a long time ago, “and we were young");
        assert_eq!((rows[0].3.as_str(), rows[0].4.as_str()), ("Kathy", "said"));
        assert_eq!(rows[1].0, "yes");
    }

    #[test]
    fn an_unclosed_mark_is_reported_and_swallows_nothing() {
        let (rows, warnings) = found("He called it “the gallery and then stopped.\nLater she said “yes” quietly.");
        assert_eq!(phrases_of(&rows), ["yes"]);
        assert_eq!(warnings, ["t: line 1, column 14: “ is never closed"]);
    }

    #[test]
    fn a_mark_left_open_past_the_longest_quotation_is_unclosed_not_paired_a_novel_later() {
        // One paragraph (a novel whose newlines were lost): a stray opening mark, a long stretch of prose with a
        // quotation in it, then a closing mark with nothing left open to close.
        let prose = "She walked on past the fields. ".repeat(MAX_QUOTE_BYTES / 31 + 1);
        let text = format!("A stray “mark. {prose}Then “yes” she said. The end” came.");
        let (rows, warnings) = found(&text);
        assert_eq!(phrases_of(&rows), ["yes"]);
        assert_eq!(rows[0].1, 0, "the quotation stands at the top level, not inside the stray mark");
        assert_eq!(warnings, ["t: line 1, column 9: “ is never closed"]);
        // Shorter than the longest quotation, the same marks pair as before.
        let text = format!("A stray “mark. {}Then “yes” she said. The end” came.", &prose[..1000]);
        let (rows, warnings) = found(&text);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [0, 1]);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_framed_narration_over_many_paragraphs_is_one_quotation_however_long() {
        // Marlow's tale: a hundred paragraphs of 800 bytes, each opening again with “, the last closing it; 80 KB
        // in all, longer than MAX_QUOTE_BYTES, but no paragraph is.
        let paragraph = "He talked on about the river and the station. ".repeat(17);
        let tale: Vec<String> = (0..100).map(|_| format!("“{paragraph}")).collect();
        let text = format!("{}The end.”", tale.join("\n\n"));
        assert!(text.len() > MAX_QUOTE_BYTES);
        let (rows, warnings) = found(&text);
        assert_eq!(rows.len(), 1, "{:?}", rows.iter().map(|r| r.0.len()).collect::<Vec<_>>());
        assert!(rows[0].0.ends_with("The end"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    fn phrases_of(rows: &[Summary]) -> Vec<&str> {
        rows.iter().map(|r| r.0.as_str()).collect()
    }

    #[test]
    fn attribution_before_after_and_never_from_afar() {
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.3, r.4)).next().unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(who("Ruth said, “We’re special.”"), pair("Ruth", "said"));
        assert_eq!(who("“We’re special,” said Ruth."), pair("Ruth", "said"));
        assert_eq!(who("“We’re special,” she whispered."), pair("she", "whispered"));
        assert_eq!(who("“We’re special,” said the guardian."), pair("the guardian", "said"));
        assert_eq!(who("“Is that all?” Miss Emily asked."), pair("Miss Emily", "asked"));
        assert_eq!(who("They’re told it is a “Gallery” of sorts."), pair("", ""));
        assert_eq!(who("Ruth spoke. Later, “nothing” happened."), pair("", ""));
    }

    #[test]
    fn hundreds_of_thousands_of_unbalanced_marks_stay_linear() {
        let text = "“a ".repeat(100_000) + &"b” ".repeat(1_000) + &"‘c ".repeat(50_000);
        let start = std::time::Instant::now();
        let doc = Document::from_text("t", text);
        let q = quotes(&doc);
        assert!(q.warnings.len() <= MAX_WARNINGS + 1);
        // Generous: the point is that it is not quadratic (which would take minutes), not a timing.
        assert!(start.elapsed().as_secs() < 30);
        assert!(q.rows().all(|r| (r.depth as usize) < MAX_DEPTH));
    }
}
