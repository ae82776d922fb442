//! Chapter headings found by rule (`--chapters none|auto|REGEX`), and the nesting they give: volumes hold
//! chapters, acts hold scenes. The finder reads each line once; a line is parsed only when its first character
//! could begin a heading (an ASCII capital or `#`), so a novel costs little more than a scan for line ends.

use std::str::FromStr;

use crate::text::Span;

/// Longest trimmed line, in bytes, that `auto` reads as a heading: headings are short, paragraphs are not.
const MAX_HEADING: usize = 100;

/// How headings are found: `--chapters none|auto|REGEX`.
#[derive(Debug, Clone, Default)]
pub enum ChapterRule {
    /// No headings: the whole text is one chapter.
    None,
    /// Headings recognised by their keywords (`CHAPTER I.`, `VOLUME II`, `Actus Primus.`, `# Part 2`, ...).
    #[default]
    Auto,
    /// Every trimmed line that matches is a heading of level [`Level::Chapter`].
    Pattern(regex::Regex),
}

impl FromStr for ChapterRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Ok(ChapterRule::None),
            "auto" => Ok(ChapterRule::Auto),
            _ => regex::Regex::new(s).map(ChapterRule::Pattern).map_err(|e| {
                format!(
                    "--chapters {s:?} is neither `none`, `auto` nor a valid regular expression ({e}); give `none`, \
                     `auto`, or a regex matched against each trimmed line, such as '^CHAPTER [IVXLC]+'"
                )
            }),
        }
    }
}

/// The kind of a heading, from the largest division to the smallest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `VOLUME I`, `VOL. II`.
    Volume,
    /// `BOOK II`.
    Book,
    /// `PART THREE`.
    Part,
    /// `CHAPTER I.`, a lone roman numeral, or a line matched by a `--chapters` pattern.
    Chapter,
    /// `ACT I`, `Actus Primus.`; ranks with [`Level::Part`].
    Act,
    /// `SCENE II`, `Scena Secunda.`; ranks with [`Level::Chapter`].
    Scene,
    /// Front and back matter (`PREFACE`, `Epilogue`), an untitled opening, or a Markdown heading without a
    /// keyword; ranks with [`Level::Chapter`].
    Section,
}

impl Level {
    /// The name used in output: `volume`, `book`, `part`, `chapter`, `act`, `scene` or `section`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Volume => "volume",
            Level::Book => "book",
            Level::Part => "part",
            Level::Chapter => "chapter",
            Level::Act => "act",
            Level::Scene => "scene",
            Level::Section => "section",
        }
    }

    /// Smaller is higher: a heading's span runs to the next heading of the same or a smaller rank.
    fn rank(self) -> u8 {
        match self {
            Level::Volume => 0,
            Level::Book => 1,
            Level::Part | Level::Act => 2,
            Level::Chapter | Level::Scene | Level::Section => 3,
        }
    }
}

/// One division of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// What kind of division the heading names.
    pub level: Level,
    /// The heading as written, whitespace trimmed (after the hashes of a Markdown heading); empty for the
    /// untitled opening and for a text with no headings.
    pub title: Span,
    /// Byte where the heading line starts (0 for the first chapter); a scene named on its act's line starts at
    /// its own word.
    pub start: usize,
    /// One past the last byte: where the next heading of the same or a higher rank starts, or the text's end.
    pub end: usize,
    /// Index of the enclosing chapter (a chapter inside a volume), `None` at the top.
    pub parent: Option<u32>,
}

/// The chapters of a text in text order (by start, a parent before its children); never empty, and every byte
/// of the text lies in exactly one top-level chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapters {
    list: Vec<Chapter>,
}

impl Chapters {
    /// Finds the headings of `text` by `rule` and builds the chapters they give.
    pub fn find(text: &str, rule: &ChapterRule) -> Chapters {
        let mut heads = match rule {
            ChapterRule::None => Vec::new(),
            ChapterRule::Auto => auto_heads(text),
            ChapterRule::Pattern(re) => pattern_heads(text, re),
        };
        drop_contents(text, &mut heads);
        Chapters { list: build(text, &heads) }
    }

    /// The chapters in text order.
    pub fn as_slice(&self) -> &[Chapter] {
        &self.list
    }

    /// How many chapters there are (at least one).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Always false: a text, even an empty one, is at least one chapter.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// A cursor answering "which chapter holds this byte?" for bytes asked in order.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor { list: &self.list, at: 0 }
    }
}

/// Walks the chapters alongside a reader moving forward through the text.
#[derive(Debug, Clone)]
pub struct Cursor<'c> {
    list: &'c [Chapter],
    at: usize,
}

impl Cursor<'_> {
    /// Index of the innermost chapter holding `byte` (the last one in text order that starts at or before it;
    /// bytes past the end answer the last chapter). Amortised O(1) for non-decreasing bytes; a step back costs a
    /// binary search.
    pub fn innermost(&mut self, byte: usize) -> u32 {
        if self.list.get(self.at).is_some_and(|c| c.start > byte) {
            self.at = self.list.partition_point(|c| c.start <= byte).saturating_sub(1);
        }
        while self.list.get(self.at + 1).is_some_and(|c| c.start <= byte) {
            self.at += 1;
        }
        u32::try_from(self.at).unwrap_or(u32::MAX)
    }
}

/// Drops headings whose span (up to the next heading of the same or a higher rank) holds no words outside
/// heading lines: a table of contents is a list of headings with nothing between them. Page numbers are not
/// words, so a contents list with page numbers goes too; a volume heading followed by its first chapter's heading
/// stays, as its span holds that chapter's text.
fn drop_contents(text: &str, heads: &mut Vec<Head>) {
    let body_words: Vec<bool> = (0..heads.len())
        .map(|i| {
            let to = heads.get(i + 1).map_or(text.len(), |h| h.start);
            text.get(heads[i].title.end..to).is_some_and(|s| s.chars().any(char::is_alphabetic))
        })
        .collect();
    let keep: Vec<bool> = (0..heads.len())
        .map(|i| {
            let rank = heads[i].level.rank();
            let inside = heads[i + 1..].iter().take_while(|h| h.level.rank() > rank).count();
            body_words[i..=i + inside].iter().any(|&w| w)
        })
        .collect();
    let mut flags = keep.into_iter();
    heads.retain(|_| flags.next().unwrap_or(true));
}

/// The chapters the headings give: an untitled opening section if text with letters or digits comes before the
/// first heading (else the first heading's chapter starts at 0), then one chapter per heading, each ending where
/// the next heading of the same or a higher rank starts.
fn build(text: &str, heads: &[Head]) -> Vec<Chapter> {
    let untitled = Span { start: 0, end: 0 };
    let whole = |level| Chapter { level, title: untitled, start: 0, end: text.len(), parent: None };
    let Some(first) = heads.first() else {
        return vec![whole(Level::Chapter)];
    };
    let mut list = Vec::with_capacity(heads.len() + 1);
    let opening = text.get(..first.start).is_some_and(|s| s.chars().any(char::is_alphanumeric));
    if opening {
        list.push(whole(Level::Section));
    }
    for (i, h) in heads.iter().enumerate() {
        let start = if i == 0 && !opening { 0 } else { h.start };
        list.push(Chapter { level: h.level, title: h.title, start, end: text.len(), parent: None });
    }
    // The open chapters, outermost first: a heading closes every open one of its own or a lower rank.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..list.len() {
        let (rank, start) = (list[i].level.rank(), list[i].start);
        while let Some(&top) = open.last()
            && list[top].level.rank() >= rank
        {
            list[top].end = start;
            open.pop();
        }
        list[i].parent = open.last().and_then(|&p| u32::try_from(p).ok());
        open.push(i);
    }
    list
}

/// A heading as found, before spans are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    level: Level,
    title: Span,
    start: usize,
}

/// The lines of `text` as (start, line without its `\n`) pairs; a `\r` before the `\n` stays, to be trimmed as
/// whitespace. A text without any `\n` is split at `\r`, the line end of old Mac files.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = if text.contains('\n') || !text.contains('\r') { '\n' } else { '\r' };
    text.split_inclusive(end).scan(0usize, move |at, piece| {
        let start = *at;
        *at += piece.len();
        Some((start, piece.strip_suffix(end).unwrap_or(piece)))
    })
}

/// Whitespace and a byte-order mark are not part of a heading.
fn is_blankish(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// `line` trimmed, with the byte offset in `line` where the trimmed part starts.
fn trimmed(line: &str) -> (usize, &str) {
    let left = line.trim_start_matches(is_blankish);
    (line.len() - left.len(), left.trim_end_matches(is_blankish))
}

/// Headings a user's pattern gives: every non-blank trimmed line it matches.
fn pattern_heads(text: &str, re: &regex::Regex) -> Vec<Head> {
    let mut heads = Vec::new();
    for (start, line) in lines(text) {
        let (off, line) = trimmed(line);
        if !line.is_empty() && re.is_match(line) {
            let title = Span { start: start + off, end: start + off + line.len() };
            heads.push(Head { level: Level::Chapter, title, start });
        }
    }
    heads
}

/// Where a candidate heading line must stand to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anywhere (Markdown headings are headings by their syntax).
    Anywhere,
    /// At a paragraph's start: a bare `CHAPTER IV` may run straight into its text in some editions.
    Start,
    /// As a paragraph of its own: a lone numeral, front matter, a heading with a title after its number.
    Alone,
}

/// What a trimmed line says it is: one heading, or two for `ACT I. SCENE I.`; offsets are into the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    first: (Level, usize, usize),
    second: Option<(Level, usize, usize)>,
    need: Need,
    /// Front or back matter, which directly under another heading is that heading's title (`CHAPTER 25` /
    /// `Postscript.` in Moby-Dick), not a section of its own.
    matter: bool,
}

impl Found {
    /// A single heading of `level` over the line up to `end`.
    fn one(level: Level, end: usize, need: Need) -> Found {
        Found { first: (level, 0, end), second: None, need, matter: false }
    }
}

/// A line that reads as a heading, with what is known of its neighbours.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    at: usize,
    found: Found,
    prev_blank: bool,
    next_blank: bool,
}

/// The test of [`crate::text::detect_layout`], tallied in the one pass over the lines: hard-wrapped text has
/// blank lines between paragraphs and short lines inside them.
#[derive(Debug, Default)]
struct LayoutTally {
    inner: usize,
    short: usize,
    blank_between: bool,
    seen_text: bool,
    prev_short: Option<bool>,
}

impl LayoutTally {
    fn line(&mut self, line: &str, blank: bool) {
        if let (Some(prev_short), false) = (self.prev_short, blank) {
            self.inner += 1;
            self.short += usize::from(prev_short);
        }
        self.blank_between |= blank && self.seen_text;
        self.seen_text |= !blank;
        // Bytes bound characters from above, so most lines are never counted.
        self.prev_short = (!blank).then(|| line.len() <= MAX_HEADING || line.chars().count() <= MAX_HEADING);
    }
}

/// Where a line's text starts, or `None` for a blank line. ASCII whitespace is skipped byte by byte; only a line
/// starting with a non-ASCII byte is trimmed by characters.
fn text_start(line: &str) -> Option<usize> {
    let skip = line.bytes().take_while(u8::is_ascii_whitespace).count();
    if line.as_bytes().get(skip)?.is_ascii() {
        return Some(skip);
    }
    let (off, t) = trimmed(line);
    (!t.is_empty()).then_some(off)
}

/// Headings by keyword. A line is parsed only if its first character is an ASCII capital or `#`, which rules out
/// dialogue (a quotation mark) and most lines of prose; the layout is tallied in the same pass.
fn auto_heads(text: &str) -> Vec<Head> {
    let mut tally = LayoutTally::default();
    let mut candidates: Vec<Candidate> = Vec::new();
    let (mut prev_blank, mut awaiting_next) = (true, false);
    for (start, line) in lines(text) {
        let off = text_start(line);
        let blank = off.is_none();
        tally.line(line, blank);
        // The line after a candidate says whether it stands alone; the text's end counts as blank.
        if let Some(last) = candidates.last_mut().filter(|_| awaiting_next) {
            last.next_blank = blank;
        }
        awaiting_next = false;
        let first = off.and_then(|o| line.as_bytes().get(o)).copied();
        if let (Some(off), Some(b'A'..=b'Z' | b'#')) = (off, first) {
            let t = line.get(off..).unwrap_or("").trim_end_matches(is_blankish);
            if let Some(found) = (t.len() <= MAX_HEADING).then(|| classify(t)).flatten() {
                candidates.push(Candidate { start, at: start + off, found, prev_blank, next_blank: true });
                awaiting_next = true;
            }
        }
        prev_blank = blank;
    }
    select(text, &candidates, tally.blank_between && tally.inner > 0 && tally.short * 5 >= tally.inner * 4)
}

/// The candidates that stand where their kind must (in wrapped text; in one-paragraph-a-line text every line is
/// a paragraph of its own), less front matter that is only the title of the heading above it.
fn select(text: &str, candidates: &[Candidate], wrapped: bool) -> Vec<Head> {
    let mut heads: Vec<Head> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let stands = !wrapped
            || match c.found.need {
                Need::Anywhere => true,
                Need::Start => c.prev_blank,
                Need::Alone => c.prev_blank && c.next_blank,
            };
        let is_title = c.found.matter
            && heads
                .last()
                .is_some_and(|h| text.get(h.title.end..c.start).is_some_and(|s| !s.chars().any(char::is_alphabetic)));
        if stands && !is_title {
            let (level, a, b) = c.found.first;
            heads.push(Head { level, title: Span { start: c.at + a, end: c.at + b }, start: c.start });
            if let Some((level, a, b)) = c.found.second {
                heads.push(Head { level, title: Span { start: c.at + a, end: c.at + b }, start: c.at + a });
            }
        }
    }
    heads
}

/// Reads a trimmed, non-empty line as a heading, if it is one.
fn classify(t: &str) -> Option<Found> {
    if let Some(inner) = markdown(t) {
        let off = t.len() - inner.len();
        let shift = |(level, a, b): (Level, usize, usize)| (level, a + off, b + off);
        let f = classify_plain(inner).unwrap_or(Found::one(Level::Section, inner.len(), Need::Anywhere));
        return Some(Found { first: shift(f.first), second: f.second.map(shift), need: Need::Anywhere, matter: false });
    }
    classify_plain(t)
}

/// The text of a Markdown heading (`#` to `######`, then a space), trimmed.
fn markdown(t: &str) -> Option<&str> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    let rest = t.get(hashes..)?;
    let inner = rest.trim_start_matches(is_blankish);
    ((1..=6).contains(&hashes) && inner.len() < rest.len() && !inner.is_empty()).then_some(inner)
}

/// A heading by keyword, a lone roman numeral, or front or back matter.
fn classify_plain(t: &str) -> Option<Found> {
    let word_len = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = t.get(..word_len)?;
    if !capitalised(word) {
        return None;
    }
    if let Some(found) = keyword_heading(t) {
        return Some(found);
    }
    let numeral = t.strip_suffix('.').unwrap_or(t);
    let upper_roman = || roman(word).is_some() && word.bytes().all(|b| b.is_ascii_uppercase());
    let chapter = Found::one(Level::Chapter, t.len(), Need::Alone);
    if numeral.len() == word_len && upper_roman() {
        return Some(chapter);
    }
    // `IV. THE PEACEMAKER` (Chesterton). A title ending like a sentence is a numbered point instead (Moby-Dick's
    // `I.  A Fast-Fish belongs to the party fast to it.`).
    let titled = t.get(word_len..).and_then(|r| r.strip_prefix(". ")).map(|r| r.trim_start_matches(is_blankish));
    if titled.is_some_and(|r| !r.is_empty() && !r.ends_with(['.', ',', ';'])) && upper_roman() {
        return Some(chapter);
    }
    // `ETYMOLOGY.`, `Epilogue`, `EXTRACTS (Supplied by a Sub-Sub-Librarian).`; not `Conclusion: it was dull.`
    let rest = t.get(word_len..).unwrap_or("");
    let tail =
        rest.starts_with([' ', '(']) && (rest.ends_with(").") || !rest.ends_with(['.', '!', '?', ',', ';', ':']));
    let bare = (7..=12).contains(&word.len()) && (rest.is_empty() || rest == "." || tail);
    (bare && listed(MATTER, word)).then(|| Found { matter: true, ..Found::one(Level::Section, t.len(), Need::Alone) })
}

/// `CHAPTER I.`, `Book the First`, `ACT I. SCENE II.`, `Actus Primus. Scoena Prima.`, with an optional title.
fn keyword_heading(t: &str) -> Option<Found> {
    let (level, number_end) = keyword_number(t)?;
    let rest = t.get(number_end..)?;
    if !tail_ok(rest) {
        return None;
    }
    if level == Level::Act {
        let after = rest.trim_start_matches(['.', ':']);
        let title_end = t.len() - after.len();
        let scene_text = after.trim_start_matches(is_blankish);
        let scene_at = t.len() - scene_text.len();
        if let Some((Level::Scene, scene_end)) = keyword_number(scene_text)
            && scene_at > title_end
            && scene_text.get(scene_end..).is_some_and(tail_ok)
        {
            let need = need_for(scene_text.get(scene_end..).unwrap_or(""));
            let second = Some((Level::Scene, scene_at, t.len()));
            return Some(Found { first: (Level::Act, 0, title_end), second, need, matter: false });
        }
    }
    Some(Found::one(level, t.len(), need_for(rest)))
}

/// A bare keyword and number may run into its text; one with a title must be a paragraph of its own.
fn need_for(rest: &str) -> Need {
    if rest.chars().any(char::is_alphanumeric) { Need::Alone } else { Need::Start }
}

/// The level a line's keyword names and where the number after it ends.
fn keyword_number(t: &str) -> Option<(Level, usize)> {
    let word_len = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = t.get(..word_len)?;
    if !capitalised(word) {
        return None;
    }
    let level = keyword(word)?;
    let mut at = word_len;
    if level == Level::Volume && word.len() == 3 && t.as_bytes().get(at) == Some(&b'.') {
        at += 1;
    }
    let rest = t.get(at..)?;
    let spaced = rest.trim_start_matches([' ', '\t']);
    if spaced.len() == rest.len() {
        return None;
    }
    at += rest.len() - spaced.len();
    // `Chapter the First`
    if let Some(after) = spaced.get(..4).filter(|w| w.eq_ignore_ascii_case("the ")).and(spaced.get(4..)) {
        let n = number_len(after.trim_start_matches(' '))?;
        return Some((level, at + (spaced.len() - after.trim_start_matches(' ').len()) + n));
    }
    Some((level, at + number_len(spaced)?))
}

/// The level a heading keyword names, matched case-insensitively once the word's case shape is checked.
fn keyword(word: &str) -> Option<Level> {
    let mut lower = [0u8; 7];
    let bytes = lower.get_mut(..word.len())?;
    bytes.copy_from_slice(word.as_bytes());
    bytes.make_ascii_lowercase();
    match &*bytes {
        b"chapter" => Some(Level::Chapter),
        b"book" => Some(Level::Book),
        b"part" => Some(Level::Part),
        b"volume" | b"vol" => Some(Level::Volume),
        b"act" | b"actus" => Some(Level::Act),
        b"scene" | b"scena" | b"scoena" | b"scaena" => Some(Level::Scene),
        _ => None,
    }
}

/// Whether `word` is one of the space-separated words of `list`, ignoring ASCII case.
fn listed(list: &str, word: &str) -> bool {
    list.split(' ').any(|w| w.eq_ignore_ascii_case(word))
}

/// Front and back matter that stands as a section of its own: words of 7 to 12 letters, tested first (cheaper).
const MATTER: &str =
    "etymology extracts preface prologue epilogue introduction appendix afterword foreword postscript conclusion";

/// `Chapter` or `CHAPTER`, not `chapter` (a wrapped line of prose) nor `cHAPTER`.
fn capitalised(word: &str) -> bool {
    let mut bytes = word.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_uppercase())
        && (bytes.clone().all(|b| b.is_ascii_lowercase()) || bytes.all(|b| b.is_ascii_uppercase()))
}

/// What may follow a heading's number: nothing, a full stop, colon, dash or bracket, or a space and a title
/// that does not start in lower case (`Vol. I will` is a speech in a play, `Chapter 3 of the book` is prose).
/// A comma or semicolon marks a sentence (`Chapter the first, said he`).
fn tail_ok(rest: &str) -> bool {
    match rest.chars().next() {
        None | Some('.' | ':' | '-' | '\u{2013}' | '\u{2014}' | ')' | ']') => true,
        Some(c) if is_blankish(c) => !rest.trim_start_matches(is_blankish).starts_with(char::is_lowercase),
        _ => false,
    }
}

/// Byte length of the number at the start of `s`: arabic digits, a roman numeral (one case), an English
/// cardinal or ordinal up to ninety-nine (`Twenty-Three`, `FIRST`), or a Latin ordinal (`Primus`, `Octaua`).
fn number_len(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        return (digits <= 5).then_some(digits);
    }
    let first = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = s.get(..first)?;
    // `Twenty-Third`: a tens word, a hyphen and a unit.
    if s.as_bytes().get(first) == Some(&b'-') {
        let tail = s.get(first + 1..)?;
        let second = tail.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = tail.get(..second)?;
        if listed(TENS, word) && listed(DIGITS, unit) {
            return Some(first + 1 + second);
        }
    }
    let single_case = word.bytes().all(|b| b.is_ascii_uppercase()) || word.bytes().all(|b| b.is_ascii_lowercase());
    let known = (single_case && roman(word).is_some())
        || [DIGITS, TEENS, TENS, TENTHS, LATIN].iter().any(|list| listed(list, word));
    known.then_some(first)
}

/// English numbers as words, cardinal and ordinal: digits, teens and tens (`Twenty-Three` is a ten and a digit).
const DIGITS: &str = "one two three four five six seven eight nine first second third fourth fifth sixth seventh \
                      eighth ninth";
const TEENS: &str = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen tenth eleventh \
                     twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth";
const TENS: &str = "twenty thirty forty fifty sixty seventy eighty ninety";
const TENTHS: &str = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth";
/// Latin ordinals of the Folio's acts and scenes, masculine and feminine, with the Folio's `u` for `v`.
const LATIN: &str = "primus prima secundus secunda tertius tertia quartus quarta quintus quinta sextus sexta \
                     septimus septima octauus octaua octavus octava nonus nona decimus decima";

/// The value of a roman numeral in its canonical form (`XIV`, not `XIIII` nor `MID`), or `None`.
fn roman(word: &str) -> Option<u32> {
    let mut rest = word.as_bytes();
    let mut total = 0;
    for (one, five, ten, unit) in
        [(b'M', 0, 0, 1000), (b'C', b'D', b'M', 100), (b'X', b'L', b'C', 10), (b'I', b'V', b'X', 1)]
    {
        let (digit, used) = roman_digit(rest, one, five, ten);
        total += digit * unit;
        rest = rest.get(used..).unwrap_or_default();
    }
    (rest.is_empty() && total > 0).then_some(total)
}

/// One decimal digit of a roman numeral written with `one`, `five` and `ten` (`IX`, `IV`, `V`, `VIII`, ...):
/// its value and length. Thousands have no five or ten (0), so they run to `MMM`.
fn roman_digit(s: &[u8], one: u8, five: u8, ten: u8) -> (u32, usize) {
    let is = |i: usize, c: u8| c != 0 && s.get(i).is_some_and(|b| b.to_ascii_uppercase() == c);
    if is(0, one) && is(1, ten) {
        return (9, 2);
    }
    if is(0, one) && is(1, five) {
        return (4, 2);
    }
    let fives = usize::from(is(0, five));
    let ones = (fives..fives + 3).take_while(|&i| is(i, one)).count();
    (5 * fives as u32 + ones as u32, fives + ones)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each chapter as (level, title, start, end, parent).
    fn rows<'t>(text: &'t str, rule: &ChapterRule) -> Vec<(&'static str, &'t str, usize, usize, Option<u32>)> {
        let chapters = Chapters::find(text, rule);
        chapters.as_slice().iter().map(|c| (c.level.name(), c.title.of(text), c.start, c.end, c.parent)).collect()
    }

    /// Level and title of each chapter found by `auto`.
    fn heads(text: &str) -> Vec<(&'static str, &str)> {
        rows(text, &ChapterRule::Auto).into_iter().map(|r| (r.0, r.1)).collect()
    }

    /// Start and end of each chapter found by `auto`.
    fn spans(text: &str) -> Vec<(usize, usize)> {
        rows(text, &ChapterRule::Auto).into_iter().map(|r| (r.2, r.3)).collect()
    }

    /// Each chapter as `level:title`, with a `>` for each enclosing chapter.
    fn outline(text: &str) -> String {
        let chapters = Chapters::find(text, &ChapterRule::Auto);
        let list = chapters.as_slice();
        let depth = |c: &Chapter| {
            let (mut depth, mut up) = (0, c.parent);
            while let Some(p) = up {
                (depth, up) = (depth + 1, list[p as usize].parent);
            }
            depth
        };
        let row = |c: &Chapter| format!("{}{}:{}", ">".repeat(depth(c)), c.level.name(), c.title.of(text));
        list.iter().map(row).collect::<Vec<_>>().join(" / ")
    }

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap()
    }

    #[test]
    fn a_text_without_headings_is_one_chapter() {
        for text in ["", "Just a line.", "\n\n", "One paragraph\nwrapped.\n\nAnother."] {
            for rule in [ChapterRule::Auto, ChapterRule::None] {
                assert_eq!(rows(text, &rule), [("chapter", "", 0, text.len(), None)], "{text:?}");
            }
        }
        let text = "CHAPTER I.\n\nText.\n";
        assert_eq!(rows(text, &ChapterRule::None), [("chapter", "", 0, text.len(), None)]);
    }

    #[test]
    fn alice_layout_with_title_line_and_indented_heading() {
        let text = "[Alice by Lewis Carroll 1865]\n\nCHAPTER I. Down the Rabbit-Hole\n\nAlice was\nbeginning.\n\n\
                    CHAPTER II. The Pool of Tears\n\nCuriouser.\n\n  CHAPTER XII. Alice's Evidence\n\nHere!\n";
        let (one, two, twelve) = (at(text, "CHAPTER I."), at(text, "CHAPTER II."), at(text, "  CHAPTER XII"));
        let want = "section: / chapter:CHAPTER I. Down the Rabbit-Hole / chapter:CHAPTER II. The Pool of Tears / \
                    chapter:CHAPTER XII. Alice's Evidence";
        assert_eq!(outline(text), want);
        assert_eq!(spans(text), [(0, one), (one, two), (two, twelve), (twelve, text.len())]);
        // Nothing but blank space before the first heading: its chapter starts at 0.
        let text = "\n\nChapter 1\n\nText.\n\nChapter 2\n\nMore.";
        assert_eq!(spans(text), [(0, at(text, "Chapter 2")), (at(text, "Chapter 2"), text.len())]);
    }

    #[test]
    fn number_forms() {
        let chapters = "CHAPTER I.|Chapter 1|CHAPTER XII|Chapter the First|CHAPTER THE TWENTY-THIRD|CHAPTER ONE|\
                        Chapter Twenty-Three|Chapter iv. Lower-case|CHAPTER 1. Loomings.|Chapter VII: The Storm";
        let others = "book:BOOK II|book:Book the Second|part:PART THREE|volume:VOLUME I|volume:VOL. II|volume:Vol. III|\
                      act:ACT I|act:ACT THE SECOND.|scene:SCENE II|act:Actus Quintus.|scene:Scaena Octaua.";
        let others = others.split('|').filter_map(|h| h.split_once(':'));
        for (level, heading) in chapters.split('|').map(|h| ("chapter", h)).chain(others) {
            assert_eq!(heads(&format!("{heading}\n\nSome text.\n")), [(level, heading)]);
        }
    }

    #[test]
    fn not_headings() {
        let lines = "\"Chapter the first,\" said he.|Chapter the first, said he.|chapter 3|Chapter 3 of the book.|\
                     Chapter IIII|Chapters 1 and 2|Vol. I will not stay.|Part of the town.|Book I was reading, he said|\
                     Scene indiuidible: or Poem|MID|I.  A Fast-Fish belongs to the party fast to it.|epilogue|PREFACED|\
                     Conclusion: it was dull.|Introduction to it was long.";
        for line in lines.split('|') {
            assert_eq!(heads(&format!("Opening.\n\n{line}\n\nSome text.\n")), [("chapter", "")], "{line}");
        }
        // A wrapped line in the middle of a paragraph, and a lone `I` inside one.
        let text = "Opening.\n\nHe read and read\nChapter 3\nof the book.\n\nThen said\nI\n\nand left.\n";
        assert_eq!(heads(text), [("chapter", "")]);
        // A heading that is too long is prose.
        let text = format!("Opening.\n\nCHAPTER I. {}\n\nText.", "Long ".repeat(30));
        assert_eq!(heads(&text), [("chapter", "")]);
    }

    #[test]
    fn a_bare_heading_may_run_into_its_text_but_a_titled_one_must_stand_alone() {
        let text = "Opening.\n\nCHAPTER I\nIt began.\n\nText\nthat wraps.\n\nCHAPTER II. Whales\nnot a heading.\n";
        assert_eq!(heads(text), [("section", ""), ("chapter", "CHAPTER I")]);
    }

    #[test]
    fn volumes_hold_their_chapters() {
        let text = "EMMA\n\nVOLUME I\n\nCHAPTER I\n\nEmma.\n\nCHAPTER II\n\nMr. Weston.\n\n\
                    VOLUME II\n\nCHAPTER I\n\nMiss Bates.\n";
        let (v1, v2, n) = (at(text, "VOLUME I\n"), at(text, "VOLUME II"), text.len());
        let (c1, c2, c3) = (at(text, "CHAPTER I\n"), at(text, "CHAPTER II"), text.rfind("CHAPTER I\n").unwrap());
        let want = "section: / volume:VOLUME I / >chapter:CHAPTER I / >chapter:CHAPTER II / volume:VOLUME II / \
                    >chapter:CHAPTER I";
        assert_eq!(outline(text), want);
        assert_eq!(spans(text), [(0, v1), (v1, v2), (c1, c2), (c2, v2), (v2, n), (c3, n)]);
    }

    #[test]
    fn the_folio_names_act_and_scene_on_one_line() {
        let text = "[Hamlet]\n\n\nActus Primus. Scoena Prima.\n\nEnter Barnardo.\n\nScena Secunda.\n\nFlourish.\n\n\
                    Actus Secundus.\n\nEnter Polonius.\n";
        let (act1, scene1) = (at(text, "Actus Primus"), at(text, "Scoena"));
        let (scene2, act2) = (at(text, "Scena Secunda"), at(text, "Actus Secundus"));
        let want = "section: / act:Actus Primus. / >scene:Scoena Prima. / >scene:Scena Secunda. / act:Actus Secundus.";
        assert_eq!(outline(text), want);
        assert_eq!(spans(text), [(0, act1), (act1, act2), (scene1, scene2), (scene2, act2), (act2, text.len())]);
        let text = "ACT I. SCENE I. Elsinore.\n\nWho's there?\n\nSCENE II. A room of state.\n\nFlourish.";
        assert_eq!(outline(text), "act:ACT I. / >scene:SCENE I. Elsinore. / >scene:SCENE II. A room of state.");
    }

    #[test]
    fn contents_lists_are_dropped() {
        // Consecutive lines: only the first could stand, and it does not stand alone.
        let listed = "Alice\n\nCONTENTS\n\nCHAPTER I. Down the Rabbit-Hole\nCHAPTER II. The Pool of Tears\n\n";
        // One entry a paragraph, with page numbers: headings with nothing between them.
        let spaced = "Alice\n\nCONTENTS\n\nCHAPTER I. Down the Rabbit-Hole 1\n\nCHAPTER II. The Pool of Tears 9\n\n";
        let body = "CHAPTER I. Down the Rabbit-Hole\n\nAlice was tired.\n\nCHAPTER II. The Pool of Tears\n\nCurious.";
        for text in [listed, spaced].map(|contents| format!("{contents}{body}")) {
            let want = "section: / chapter:CHAPTER I. Down the Rabbit-Hole / chapter:CHAPTER II. The Pool of Tears";
            assert_eq!(outline(&text), want);
            assert_eq!(rows(&text, &ChapterRule::Auto)[1].2, text.rfind("CHAPTER I.").unwrap());
        }
        // Volumes and chapters listed: all dropped; a volume right before its first chapter stays.
        let text = "VOLUME I\n\nCHAPTER I\n\nCHAPTER II\n\nVOLUME I\n\nCHAPTER I\n\nText.\n\nCHAPTER II\n\nMore.";
        assert_eq!(outline(text), "section: / volume:VOLUME I / >chapter:CHAPTER I / >chapter:CHAPTER II");
        assert_eq!(rows(text, &ChapterRule::Auto)[1].2, text.rfind("VOLUME I").unwrap());
    }

    #[test]
    fn lone_numerals_and_front_matter() {
        let text = "[Moby Dick]\n\nETYMOLOGY.\n\nWhale.\n\nEXTRACTS (Supplied by a Sub-Sub-Librarian).\n\nSo.\n\n\
                    CHAPTER 1\n\nLoomings.\n\nCall me.\n\nCHAPTER 25\n\nPostscript.\n\nIn behalf.\n\n\
                    XII.\n\nA lone numeral.\n\nEpilogue\n\nThe drama's done.";
        let want = "section: / section:ETYMOLOGY. / section:EXTRACTS (Supplied by a Sub-Sub-Librarian). / \
                    chapter:CHAPTER 1 / chapter:CHAPTER 25 / chapter:XII. / section:Epilogue";
        assert_eq!(outline(text), want);
        let text = "I\n\nBUSTER BEAR GOES FISHING\n\nBuster yawned.\n\nII. A DISCUSSION AT DAWN\n\nDawn.";
        assert_eq!(outline(text), "chapter:I / chapter:II. A DISCUSSION AT DAWN");
    }

    #[test]
    fn markdown_headings() {
        let text = "# The Book\n\nIntro.\n\n## Part Two\n\n### Chapter 3\n\nText.\n\n#hashtag\n\n## IV\n\nMore.";
        assert_eq!(outline(text), "section:The Book / part:Part Two / >chapter:Chapter 3 / >chapter:IV");
        let rows = rows(text, &ChapterRule::Auto);
        assert_eq!(rows[2].4, Some(1));
        assert_eq!(rows[2].2, at(text, "### Chapter 3"));
    }

    #[test]
    fn crlf_and_one_paragraph_a_line() {
        let text = "Title\r\n\r\nCHAPTER I. Start\r\n\r\nText\r\nwraps.\r\n\r\nCHAPTER II\r\n\r\nEnd.\r\n";
        assert_eq!(heads(text), [("section", ""), ("chapter", "CHAPTER I. Start"), ("chapter", "CHAPTER II")]);
        let long = "A paragraph on one line, long enough that it could never be taken for a hard-wrapped line of a \
                    Gutenberg text, as these run to seventy characters.";
        let text = format!("CHAPTER 1. Loomings.\n{long}\n{long}\nCHAPTER 2. The Carpet-Bag\n{long}\n");
        assert_eq!(heads(&text), [("chapter", "CHAPTER 1. Loomings."), ("chapter", "CHAPTER 2. The Carpet-Bag")]);
        let text = "Title\rCHAPTER I\rText.\rCHAPTER II\rEnd.";
        assert_eq!(heads(text), [("section", ""), ("chapter", "CHAPTER I"), ("chapter", "CHAPTER II")]);
    }

    #[test]
    fn rules_from_the_command_line() {
        assert!(matches!("none".parse(), Ok(ChapterRule::None)));
        assert!(matches!("auto".parse(), Ok(ChapterRule::Auto)));
        assert!(matches!(ChapterRule::default(), ChapterRule::Auto));
        let Err(message) = "Kapitel (".parse::<ChapterRule>() else { panic!("a bad regex parsed") };
        assert!(message.contains("\"Kapitel (\"") && message.contains("give `none`, `auto`"), "{message}");
        let rule: ChapterRule = r"^Kapitel \d+$".parse().unwrap();
        let text = "Vorwort\n\nKapitel 1\n\nText.\n  Kapitel 2  \nMehr.\nKapitel 3 ist lang.";
        let (k1, k2) = (at(text, "Kapitel 1"), at(text, "  Kapitel 2"));
        let found: Vec<_> = rows(text, &rule).into_iter().map(|r| (r.0, r.1, r.2, r.3)).collect();
        let want = [("section", "", 0, k1), ("chapter", "Kapitel 1", k1, k2), ("chapter", "Kapitel 2", k2, text.len())];
        assert_eq!(found, want);
        let names: Vec<&str> = LEVELS.iter().map(|l| l.name()).collect();
        assert_eq!(names, ["volume", "book", "part", "chapter", "act", "scene", "section"]);
    }

    #[test]
    fn the_cursor_answers_the_innermost_chapter() {
        let text = "EMMA\n\nVOLUME I\n\nCHAPTER I\n\nEmma.\n\nCHAPTER II\n\nWeston.\n";
        let chapters = Chapters::find(text, &ChapterRule::Auto);
        assert!(chapters.len() == 4 && !chapters.is_empty());
        let mut cursor = chapters.cursor();
        let asked = [0, 3, at(text, "VOLUME"), at(text, "VOLUME") + 3, at(text, "Emma."), at(text, "Weston"), 10_000];
        let answers: Vec<u32> = asked.iter().map(|&b| cursor.innermost(b)).collect();
        assert_eq!(answers, [0, 0, 1, 1, 2, 3, 3]);
        // Going back costs a search but still answers right.
        assert_eq!(cursor.innermost(at(text, "Emma.")), 2);
        assert_eq!(cursor.innermost(0), 0);
    }

    proptest! {
        /// Any text, any layout: no panic, spans on char boundaries, the top level tiling the text, children
        /// inside their parents.
        #[test]
        fn chapters_tile_any_text(text in "(\\PC|[\n\r \t#.\"IVXC]|CHAPTER |Actus Primus. |Scena |VOL. |\n\n){0,60}") {
            let chapters = Chapters::find(&text, &ChapterRule::Auto);
            let list = chapters.as_slice();
            prop_assert!(!list.is_empty());
            let mut next = 0;
            for (i, c) in list.iter().enumerate() {
                prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
                prop_assert!(text.is_char_boundary(c.title.start) && text.is_char_boundary(c.title.end));
                prop_assert!(c.start <= c.end && c.end <= text.len());
                if let Some(p) = c.parent.map(|p| &list[p as usize]) {
                    prop_assert!(p.start <= c.start && c.end <= p.end && (p.start, p.end) != (c.start, c.end));
                } else {
                    prop_assert_eq!(c.start, next);
                    next = c.end;
                }
                prop_assert!(i == 0 || list[i - 1].start < c.start);
            }
            prop_assert_eq!(next, text.len());
        }
    }

    const LEVELS: [Level; 7] =
        [Level::Volume, Level::Book, Level::Part, Level::Chapter, Level::Act, Level::Scene, Level::Section];

    /// Counts by level, in the order of [`Level`], as `volume 3, chapter 55`.
    fn counts(chapters: &Chapters) -> String {
        let n = |l| chapters.as_slice().iter().filter(|c| c.level == l).count();
        LEVELS.iter().filter(|&&l| n(l) > 0).map(|&l| format!("{} {}", l.name(), n(l))).collect::<Vec<_>>().join(", ")
    }

    /// The literary corpus beside the project (`../shared`, not shipped; `LITERARY_CORPUS` overrides the path).
    /// Run with `cargo test --release -- --ignored chapters`.
    #[test]
    #[ignore = "needs ../shared/corpus/literary"]
    fn chapters_of_the_literary_corpus() {
        let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/literary");
        let root = std::path::PathBuf::from(std::env::var("LITERARY_CORPUS").unwrap_or(default.into()));
        let (mut found, mut got) = (std::collections::HashMap::new(), Vec::new());
        for dir in ["janeausten", "nltk-gutenberg"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let clock = std::time::Instant::now();
                let chapters = Chapters::find(&text, &ChapterRule::Auto);
                let took = clock.elapsed();
                let short = if dir == "janeausten" { "ja" } else { "nltk" };
                let name = format!("{short}/{}", path.file_stem().unwrap().to_string_lossy());
                println!("{name}: {} ({} KB in {took:.2?})", counts(&chapters), text.len() / 1000);
                found.insert(name.clone(), outline(&text));
                got.push(format!("{name}: {}", counts(&chapters)));
            }
        }
        got.sort();
        assert_eq!(got, EXPECTED.split(['|', '\n']).map(str::trim).collect::<Vec<_>>());
        // Every chapter of Emma lies in a volume.
        for name in ["ja/austen-emma", "nltk/austen-emma"] {
            assert!(!found[name].contains("/ chapter") && found[name].contains("/ >chapter"), "{name}");
        }
        let hamlet = "section: / act:Actus Primus. / >scene:Scoena Prima. / >scene:Scena Secunda. / \
                      >scene:Scena Tertia / act:Actus Secundus. / >scene:Scena Secunda.";
        assert_eq!(found["nltk/shakespeare-hamlet"], hamlet);
        let moby = found["nltk/melville-moby_dick"].split(" / ").filter(|r| r.starts_with("section"));
        let want = "section: / section:ETYMOLOGY. / section:EXTRACTS (Supplied by a Sub-Sub-Librarian). / \
                    section:EXTRACTS. / section:Epilogue";
        assert_eq!(moby.collect::<Vec<_>>().join(" / "), want);
        assert!(found["nltk/carroll-alice"].ends_with("/ chapter:CHAPTER XII"));
    }

    /// Counts by level for each book of the corpus (`ja/` is `janeausten/`, `nltk/` is `nltk-gutenberg/`): the
    /// acceptance figures (Emma 55 chapters in 3 volumes, Persuasion 24, Alice 12, Moby-Dick 135, the Folio
    /// Hamlet's 2 acts and 4 scenes), and what the rest give.
    const EXPECTED: &str = "\
        ja/austen-emma: volume 3, chapter 55, section 1 | ja/austen-mansfield-park: chapter 48, section 1
        ja/austen-northanger-abbey: chapter 31, section 1 | ja/austen-persuasion: chapter 24, section 1
        ja/austen-pride-and-prejudice: chapter 61, section 1 | ja/austen-sense-and-sensibility: chapter 50, section 1
        nltk/austen-emma: volume 3, chapter 55, section 1 | nltk/austen-persuasion: chapter 24, section 1
        nltk/austen-sense: chapter 50, section 1 | nltk/bible-kjv: chapter 1 | nltk/blake-poems: chapter 4, section 4
        nltk/bryant-stories: chapter 1 | nltk/burgess-busterbrown: chapter 23, section 1
        nltk/carroll-alice: chapter 12, section 1 | nltk/chesterton-ball: chapter 20, section 1
        nltk/chesterton-brown: chapter 12, section 1 | nltk/chesterton-thursday: chapter 15, section 1
        nltk/edgeworth-parents: chapter 9, act 2, scene 13, section 1 | nltk/melville-moby_dick: chapter 135, section 5
        nltk/milton-paradise: book 12, section 1 | nltk/shakespeare-caesar: act 5, scene 1, section 1
        nltk/shakespeare-hamlet: act 2, scene 4, section 1 | nltk/shakespeare-macbeth: act 5, scene 27, section 1
        nltk/whitman-leaves: chapter 1";
}
