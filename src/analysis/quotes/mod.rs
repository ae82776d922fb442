//! `quotes.csv`: every phrase a text puts in quotation marks, in any language's marks, with its nesting, its kind
//! (a scare-quoted term, a quoted phrase, dialogue) and, where a speech verb stands next to it, its tag: who it
//! says says it ([`Tag`]). Which character speaks it is given afterwards, by
//! [`speakers::attribute`](crate::analysis::speakers::attribute).
//!
//! ```
//! use marginalia::{analysis::quotes::quotes, input::Source, text::Pipeline};
//! let doc = Pipeline::default().document(Source::from_text("r", "As one guardian says, they’ve been “told and not told.”"));
//! let found = quotes(&doc);
//! let q = found.rows().next().unwrap();
//! assert_eq!((q.phrase.as_ref(), q.speaker.as_str(), q.speech_verb), ("told and not told", "one guardian", "says"));
//! ```
//!
//! How marks are read: a mark opens when it follows the start of a paragraph, a space, a bracket, a dash or another
//! mark, and precedes a non-space; it closes when it follows a non-space and precedes the end, a space or
//! punctuation (French guillemets may have spaces inside). Beside a script written without spaces (Chinese,
//! Japanese, Korean's particles, Thai) no space is needed, and zero-width format characters beside a mark (a byte
//! order mark where files were joined) are as if not there; a double mark may open after emphasis (`_"Now,"_`).
//! A straight double quote with spaces on both sides (a dash or an apostrophe lost beside it: `going to say "`,
//! `" Tis only`) faces the way the state says: it closes a straight double quote left open, and otherwise opens
//! if words follow it (not a number: `6 " board` is an inch mark, and a column of ditto marks opens nothing). An
//! apostrophe inside a word is never a mark; one at the end of a plural (`the boys’ games`) closes a single
//! quotation only when no later mark in the paragraph could; a single quote before an elision (`'90s`, `'tis`,
//! `rock 'n' roll`) is passed over (a double quote there opens), and so is a single quote left open at the end of a
//! paragraph (it was an apostrophe). A speech that runs on into the next paragraph, which then opens with the same
//! mark, is one quotation spanning both. Any other mark never closed is reported and ends at its paragraph.

mod attribution;
mod marks;

use std::borrow::Cow;

use self::attribution::Tagger;
pub use self::attribution::{PREPOSITIONS, Subject, Tag};
use self::marks::{Found, Open, first_visible, is_invisible, scan_paragraph};
use crate::input::line_col;
use crate::report::schema::QuoteRow;
use crate::text::{Document, Span, collapse_whitespace};

/// Unclosed marks reported one by one per document before the rest are summed up.
const MAX_WARNINGS: usize = 10;

/// What the quotation analysis finds in one document: the quotations' marks, made into rows of `quotes.csv` by
/// [`QuoteAnalysis::rows`] as they are written (a novel has hundreds of thousands, and a row is 200 bytes).
#[derive(Debug, Clone)]
pub struct QuoteAnalysis<'a> {
    doc: &'a Document,
    /// The quotations, in order of their opening marks.
    found: Vec<Found>,
    /// Each quotation's tag, if a speech verb stands beside it.
    tags: Vec<Option<Tag>>,
    /// Each quotation's character, once [`QuoteAnalysis::set_speakers`] has given them (empty until then).
    speakers: Vec<Option<Speaker>>,
    /// The characters' main names, by [`Speaker::character`].
    characters: Vec<String>,
    /// Marks opened and never closed, as messages naming the document and the line.
    pub warnings: Vec<String>,
}

/// Finds every quotation of `doc`.
pub fn quotes(doc: &Document) -> QuoteAnalysis<'_> {
    let text = doc.text.as_str();
    let mut found: Vec<Found> = Vec::new();
    let mut unclosed: Vec<Span> = Vec::new();
    let mut carried: Vec<Open> = Vec::new();
    for (p, para) in doc.paragraphs.iter().enumerate() {
        let next_start = doc.paragraphs.get(p + 1).and_then(|n| first_visible(n.span.of(text))).map(|(_, c)| c);
        carried = scan_paragraph(text, para.span, carried, &mut found, &mut unclosed);
        // A speech continued in the next paragraph opens it again with the same mark: keep it open.
        let (continued, ended): (Vec<Open>, Vec<Open>) =
            carried.into_iter().partition(|o| next_start.is_some_and(|c| o.continued_by(c)));
        // A single quote still open was an apostrophe (an elision, a possessive): only other marks are reported.
        unclosed.extend(ended.iter().filter(|o| !o.single).map(|o| o.mark));
        carried = continued;
    }
    // (Nothing is carried past the last paragraph: with no paragraph after it, every open mark ended.)
    found.sort_by_key(|f| f.open.start);
    unclosed.sort_by_key(|m| m.start);
    let warnings = warnings(doc, &unclosed);
    QuoteAnalysis { doc, tags: tags(doc, &found), found, warnings, speakers: Vec::new(), characters: Vec::new() }
}

/// The tag of each quotation, found in one pass forward.
fn tags(doc: &Document, found: &[Found]) -> Vec<Option<Tag>> {
    let mut tagger = Tagger::default();
    found.iter().map(|f| tagger.tag(doc, sentence_at(doc, f.open.start), f)).collect()
}

/// Which rule named a quotation's character (the `attribution` column), from the most trusted to the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Its own tag names the character (`said Emma`).
    Tag,
    /// Its tag is a pronoun or a description (`said she`, `said the girl`), resolved to the nearest character of
    /// that gender.
    Pronoun,
    /// Another quotation of its paragraph has a speaker (`“Yes,” said Emma, “I hope I do.”`).
    Inherited,
    /// The narration of its paragraph names one character (`Emma looked up. “Yes.”`).
    Paragraph,
    /// It follows a paragraph of narration, and that paragraph names this character first (`Anne looked at
    /// Marilla.` then `“What is Diana like?”`).
    Narration,
    /// An untagged turn of a conversation: the one the last turn addressed by name, or the speaker of the turn
    /// before the last.
    Turn,
}

impl Rule {
    /// The rule's name in the `attribution` column.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Tag => "tag",
            Rule::Pronoun => "pronoun",
            Rule::Inherited => "inherited",
            Rule::Paragraph => "paragraph",
            Rule::Narration => "narration",
            Rule::Turn => "turn",
        }
    }
}

/// The character a quotation is given, and the rule that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Speaker {
    /// The character: an index into the names given with [`QuoteAnalysis::set_speakers`].
    pub character: u32,
    /// The rule.
    pub rule: Rule,
}

/// A top-level quotation, as the speaker resolution reads it.
#[derive(Debug, Clone, Copy)]
pub struct Quotation<'q> {
    /// Its index among all quotations (its `quote_id` less one).
    pub index: usize,
    /// Its opening mark.
    pub open: Span,
    /// Its closing mark.
    pub close: Span,
    /// Its tag, if any.
    pub tag: Option<&'q Tag>,
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
    /// The quotations at the top level (not inside another), in order, with their tags: those that speakers are
    /// resolved for.
    pub fn top_level(&self) -> Vec<Quotation<'_>> {
        let mut reach = 0;
        let mut out = Vec::new();
        for (index, f) in self.found.iter().enumerate() {
            if f.open.start >= reach {
                out.push(Quotation { index, open: f.open, close: f.close, tag: self.tags[index].as_ref() });
            }
            reach = reach.max(f.close.end);
        }
        out
    }

    /// Gives the quotations their characters: `speakers[i]` for quotation `i` (a shorter list leaves the rest
    /// without), each naming one of `characters` by its index.
    pub fn set_speakers(&mut self, characters: Vec<String>, speakers: Vec<Option<Speaker>>) {
        self.characters = characters;
        self.speakers = speakers;
    }

    /// The character given to quotation `index`, if any.
    pub fn speaker(&self, index: usize) -> Option<Speaker> {
        self.speakers.get(index).copied().flatten()
    }

    /// The main name of character `id` of [`Speaker::character`] (empty for an id it was not given).
    pub fn character_name(&self, id: u32) -> &str {
        self.characters.get(id as usize).map_or("", String::as_str)
    }

    /// How many characters the quotations were given names from.
    pub fn characters(&self) -> usize {
        self.characters.len()
    }

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
        // The top-level quotation before the current one, whose tag may stand between them.
        let mut last_top: Option<usize> = None;
        found.iter().enumerate().map(move |(i, f)| {
            while ancestors.last().is_some_and(|&a| found[a].close.end <= f.open.start) {
                ancestors.pop();
            }
            let (parent, depth) = (ancestors.last().copied(), ancestors.len());
            ancestors.push(i);
            let before = if depth == 0 { last_top.replace(i) } else { None };
            let inner = Span { start: f.open.end, end: f.close.start };
            let sentence = sentence_at(doc, f.open.start);
            let words = tokens_in(doc, inner).len();
            let tag = self.tags[i].as_ref();
            let who = self.speaker(i);
            let inner_text = inner.of(text);
            let kind = if tag.is_some() || is_speech(doc, sentence, f, inner_text) || self.continues(before, i) {
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
                chapter_id: sentence.map(|s| doc.sentences[s].chapter + 1),
                open_mark: f.open.of(text),
                close_mark: f.close.of(text),
                text: inner_text,
                phrase: phrase(inner_text),
                words,
                kind,
                speaker: tag.map(|t| t.speaker(doc)).unwrap_or_default(),
                speech_verb: tag.map_or("", |t| t.verb(doc)),
                character: who.map(|w| self.character_name(w.character).to_string()).unwrap_or_default(),
                attribution: who.map_or("", |w| w.rule.name()),
                context: sentence.map_or("", |s| context(text, doc.sentences[s].span, f.open.start)),
            }
        })
    }
}

impl QuoteAnalysis<'_> {
    /// True when top-level quotation `i` is the second part of a speech split by a tag: the quotation `before` it
    /// in its paragraph has a tag whose verb stands between the two, and at most [`SPLIT_GAP_TOKENS`] words part
    /// them (`“Quite a young woman,” said Mr. Gradgrind, musing. “Dear me!”`).
    fn continues(&self, before: Option<usize>, i: usize) -> bool {
        let Some(b) = before else { return false };
        let Some(tag) = &self.tags[b] else { return false };
        let paragraph = |at: usize| sentence_at(self.doc, at).map(|s| self.doc.sentences[s].paragraph);
        let gap = Span { start: self.found[b].close.end, end: self.found[i].open.start };
        if paragraph(gap.start) != paragraph(gap.end) {
            return false;
        }
        let between = tokens_in(self.doc, gap);
        between.contains(&tag.verb) && between.len() <= SPLIT_GAP_TOKENS
    }
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

/// True for speech standing as its own clause, ending as speech does ([`ends_as_speech`]): a quotation that opens
/// its paragraph, however short (`“Yes.”`, `“Hush!”`, `“But you were going to say--”`), or one of more than two
/// words that opens its sentence. (A title or a scare-quoted word opening a paragraph ends with no punctuation of
/// its own: `“Never Let Me Go” is…`.) Nothing visible may stand before the mark; a byte order mark left where
/// files were joined does not count.
fn is_speech(doc: &Document, sentence: Option<usize>, f: &Found, inner: &str) -> bool {
    let Some(s) = sentence else { return false };
    let nothing_from = |start: usize| {
        // Read back from the mark, which stops at the first visible character: linear however many quotations.
        doc.text.get(start..f.open.start).is_some_and(|b| b.chars().rev().all(is_invisible))
    };
    if !ends_as_speech(inner) || !nothing_from(doc.sentences[s].span.start) {
        return false;
    }
    let paragraph = doc.sentences[s].paragraph as usize;
    doc.paragraphs.get(paragraph).is_some_and(|p| nothing_from(p.span.start)) || inner.split_whitespace().count() > 2
}

/// True when a quotation's words end as a spoken clause does, inside the marks: `, . ! ?`, an ellipsis or a dash
/// (speech broken off), also before the closing mark of a quotation nested at its end (`…, and said ‘No.’`).
fn ends_as_speech(inner: &str) -> bool {
    let words = inner.trim_end().trim_end_matches(['\'', '"', '’', '”', '»', '›']).trim_end();
    words.ends_with([',', '.', '!', '?', '…', '-', '–', '—'])
}

/// Tokens that may stand between a tagged quotation's closing mark and the next quotation's opening for the next
/// to be the second part of the same speech: the tag and a few words of manner (`said Mr. Gradgrind, musing.`).
const SPLIT_GAP_TOKENS: usize = 8;

#[cfg(test)]
mod tests {
    use super::marks::{MAX_DEPTH, MAX_QUOTE_BYTES};
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
            .map(|r| (r.phrase.to_string(), r.depth, r.parent_id, r.speaker.clone(), r.speech_verb.to_string()))
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
    fn a_spaced_close_at_a_paragraph_end_ends_the_speech_instead_of_continuing_it() {
        // Each speech's close lost its dash and stands after a space: read as a close, it keeps the next
        // paragraph's mark from being taken for a continuation, and neither speech is dropped.
        let text = "\"I must explain to you \"\n\n\"Yes. We must explain \"\n\nA long pause. \"Till then,\" he said.";
        let (rows, warnings) = found(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(phrases_of(&rows), ["I must explain to you", "Yes. We must explain", "Till then"]);
        assert!(rows.iter().all(|r| r.1 == 0));
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
    fn tags_take_the_whole_speaker_and_never_an_adverb_or_a_noun() {
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.3, r.4)).next().unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(who("“Oh,” said the Mock Turtle."), pair("the Mock Turtle", "said"));
        assert_eq!(who("“Oh,” said Mr. John Knightley."), pair("Mr. John Knightley", "said"));
        let wrapped =
            "“Oh,” said the White\nRabbit, and ran off\nacross the lawn.\n\nThe Queen came\nlater that day.\n";
        assert_eq!(who(wrapped), pair("the White Rabbit", "said"), "a wrapped line, and no raw newline");
        assert_eq!(who("“Oh,” said Emma, in a whisper; “mine.”"), pair("Emma", "said"));
        assert_eq!(who("“Oh,” she presently added."), pair("she", "added"));
        assert_eq!(who("“Oh,” rejoined Emma."), pair("Emma", "rejoined"));
        assert_eq!(who("“Oh,” he went on."), pair("he", "went"));
        assert_eq!(who("“Oh,” he broke out."), pair("he", "broke"), "not only the first `broke` phrase");
        assert_eq!(who("“Oh,” presently she asked."), pair("she", "asked"), "an adverb before the subject");
        assert_eq!(who("“Oh,” the old lady interposed."), pair("the old lady", "interposed"));
        assert_eq!(who("He even more briefly replied: “No.”"), pair("He", "replied"), "the subject, not the adverbs");
        assert_eq!(who("He made no answer, “none.”"), pair("", ""));
        assert_eq!(who("She read a novel called “Middlemarch” in June."), pair("", ""));
        assert_eq!(who("“No,” said dour Major Callendar."), pair("Major Callendar", "said"), "not the adjective");
        assert_eq!(who("“Oh,” stammered unhappy Matthew."), pair("Matthew", "stammered"));
        assert_eq!(who("“No,” said the obliging Mrs. Ford."), pair("Mrs. Ford", "said"), "not cut at the title's dot");
        assert_eq!(who("“Yes,” said good-hearted Mrs. Allen."), pair("Mrs. Allen", "said"));
        assert_eq!(who("“We want you,” said the first policeman."), pair("the first policeman", "said"));
        assert_eq!(who("“Well,” replied the other."), pair("the other", "replied"));
        assert_eq!(who("“She did,” corroborated Flora Jane."), pair("Flora Jane", "corroborated"), "any verb first");
        assert_eq!(who("She read “Middlemarch” pleased Emma."), pair("", ""), "not after a title");
        assert_eq!(who("“You did it,” was Marilla's comment."), pair("Marilla", "comment"));
        assert_eq!(who("“Yes,” was Lady Bertram’s placid reply."), pair("Lady Bertram", "reply"));
    }

    #[test]
    fn a_tag_that_introduces_the_mark_wins_and_a_clause_keeps_its_subject() {
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.3, r.4)).next().unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            who("And when Mr. Bounderby said, “Your health!” she answered warmly."),
            pair("Mr. Bounderby", "said")
        );
        assert_eq!(
            who("Denham got up from his chair, looked at Katharine, and said: “I am going.”"),
            pair("Denham", "said")
        );
        assert_eq!(who("Sir Thomas, trying to suppress a smile, went on. “You are not aware.”"), pair("", ""));
        assert_eq!(
            who("Sir Thomas, trying to suppress a smile, went on: “You are not aware.”"),
            pair("Sir Thomas", "went")
        );
        assert_eq!(who("Edward interrupted her by saying, “You must not.”"), pair("Edward", "saying"));
    }

    #[test]
    fn the_second_part_of_a_split_speech_takes_the_tag_between_the_parts() {
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.3, r.4)).collect::<Vec<_>>();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        let split = "“Are you,” he added, as she still said nothing, “engaged to him?”";
        assert_eq!(who(split), [pair("he", "added"), pair("he", "added")], "not the verb of the clause after it");
        let two = "“Yes,” said Emma; and Harriet answered, “No.”";
        assert_eq!(who(two), [pair("Emma", "said"), pair("Harriet", "answered")], "a tag of its own still wins");
        let smile = "“I do not believe,” said Mrs. Dashwood, with a good humoured smile, “that he will.”";
        assert_eq!(who(smile)[1], pair("Mrs. Dashwood", "said"), "a description read on is no speaker");
        let apart = "“Yes,” said Emma. Harriet was silent, and then she said nothing, “well.”";
        assert_eq!(who(apart)[1], pair("she", "said"), "only within the sentence of both parts");
    }

    #[test]
    fn a_speech_that_opens_its_paragraph_takes_the_tag_that_ends_the_one_before() {
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.3, r.4)).next().unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(who("My jaw dropped, and he said at once:\n\n“No, I am not mad.”"), pair("he", "said"));
        assert_eq!(who("With a little smile, Anne said--\n\n“I have hardly seen you.”"), pair("Anne", "said"));
        assert_eq!(who("Soon afterwards he began again,\n\n“It is late.”"), pair("he", "began"));
        assert_eq!(who("He said nothing.\n\n“It is late.”"), pair("", ""), "a paragraph that ends its sentence");
        assert_eq!(who("He said that the cart was full:\n\nThen “late” came."), pair("", ""), "not a speech");
    }

    #[test]
    fn a_hyphenated_description_is_one_speaker() {
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.3, r.4)).next().unwrap();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        let tag = "“I can go,” said that self-sacrificing lady.";
        assert_eq!(who(tag), pair("that self-sacrificing lady", "said"));
    }

    #[test]
    fn a_tag_is_never_read_across_a_paragraph_break() {
        let (rows, _) = found("“Yes.”\n\nsaid nothing more, Emma left.");
        assert_eq!((rows[0].3.as_str(), rows[0].4.as_str()), ("", ""));
    }

    #[test]
    fn a_named_title_is_not_dialogue_but_a_tagged_speech_is() {
        let doc = Document::from_text("t", "She read a novel called “Middlemarch” twice. “Yes,” said Emma.");
        let kinds: Vec<&str> = quotes(&doc).rows().map(|r| r.kind).collect();
        assert_eq!(kinds, ["term", "dialogue"]);
    }

    fn kinds(text: &str) -> Vec<(String, &'static str)> {
        let doc = Document::from_text("t", text);
        quotes(&doc).rows().map(|r| (r.phrase.to_string(), r.kind)).collect()
    }

    #[test]
    fn a_short_answer_opening_its_paragraph_is_dialogue() {
        let rows = kinds("“Are you coming?” asked Emma.\n\n“Yes.”\n\n“Hush!”\n\nShe nodded.");
        let got: Vec<_> = rows.iter().map(|r| r.1).collect();
        assert_eq!(got, ["dialogue", "dialogue", "dialogue"], "{rows:?}");
    }

    #[test]
    fn a_speech_broken_off_or_ending_in_a_nested_quotation_is_dialogue() {
        let rows = kinds("He looked up.\n\n“But you were going to say--”\n\n“Then he said ‘No.’”");
        assert_eq!(rows.iter().filter(|r| r.0 != "No").map(|r| r.1).collect::<Vec<_>>(), ["dialogue", "dialogue"]);
    }

    #[test]
    fn a_title_or_a_scare_quoted_word_opening_a_paragraph_is_no_dialogue() {
        let rows = kinds("“Never Let Me Go” is Ishiguro’s sixth novel.\n\n“Carers” look after the donors.");
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), ["phrase", "term"], "{rows:?}");
    }

    #[test]
    fn the_second_part_of_a_speech_split_by_a_tag_is_dialogue_however_short() {
        let rows = kinds("He sat down. “Quite a young woman,” said Mr. Gradgrind, musing. “Dear me!”");
        assert_eq!(rows[1], ("Dear me".to_string(), "dialogue"), "{rows:?}");
    }

    #[test]
    fn a_word_quoted_long_after_a_tagged_speech_is_no_dialogue() {
        // The tag stands between them, but so does a sentence of narration.
        let text = "He sat down. “Hush!” said Emma. For the rest of that long evening Margaret went back to her \
                    “Ruskin”.";
        assert_eq!(kinds(text)[1], ("Ruskin".to_string(), "term"));
        // Nor one after a paragraph break, however close.
        assert_eq!(kinds("Then “Hush!” said Emma.\n\nHer “Ruskin” lay open.")[1].1, "term");
    }

    #[test]
    fn quotations_far_into_a_long_sentence_are_attributed_as_in_a_short_one() {
        // The nearest speech verb before each quotation, however many quotations stand between: not the first.
        let who = |text: &str| found(text).0.into_iter().map(|r| (r.0, r.3, r.4)).collect::<Vec<_>>();
        let row = |p: &str, s: &str, v: &str| (p.to_string(), s.to_string(), v.to_string());
        let filler = "of “x” and ".repeat(200);
        let text = format!("As one guardian says, they are “a” {filler}and Ruth said “c” then they’re told “e” now");
        let rows = who(&text);
        assert_eq!(rows.len(), 203);
        assert_eq!(rows[0], row("a", "one guardian", "says"));
        assert!(rows[1..201].iter().all(|r| r == &row("x", "one guardian", "says")));
        assert_eq!(rows[201], row("c", "Ruth", "said"));
        assert_eq!(rows[202], row("e", "", ""));
    }

    #[test]
    fn a_bom_in_mid_text_hides_neither_a_quotation_nor_its_clause() {
        // Three files joined, the second and third with their byte order marks; the third continues a speech.
        let text =
            "First.\n\u{FEFF}“We’re special,” Ruth said.\n\u{FEFF}“It was long ago,\n\u{FEFF}“and we were young.”";
        let doc = Document::from_text("t", text);
        let q = quotes(&doc);
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        let rows: Vec<_> = q.rows().map(|r| (r.phrase.to_string(), r.kind, r.speaker)).collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0], ("We’re special".to_string(), "dialogue", "Ruth".to_string()));
        assert_eq!(rows[1].0, "It was long ago, \u{FEFF}“and we were young");
        assert_eq!(rows[1].1, "dialogue");
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
