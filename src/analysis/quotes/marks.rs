//! Reading the marks of a paragraph: which mark opens, which closes, which is an apostrophe.
//!
//! A mark's neighbours are read past zero-width format characters (a byte order mark left in mid-text where files
//! were joined, a word joiner, a direction mark), which are as if not there; and a mark set against a script
//! written without spaces between words (Chinese, Japanese, Thai…, and Korean's particles) needs no space there.

use crate::text::Span;

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
pub(super) const MAX_DEPTH: usize = 64;
/// The longest stretch of a quotation, in bytes, from its opening mark (or from the repeated mark of a paragraph
/// its speech runs on into) to its close: a mark left open longer was never closed. More than twice the longest
/// quotation in 24 books of `../shared/corpus/literary` (26 KB, in Paradise Lost), and a framed narration told
/// over many paragraphs (Marlow's) restarts it at each. Without it, a novel run into one paragraph (its newlines
/// lost) pairs a stray mark with one a hundred megabytes on, and every quotation between is copied again inside
/// it.
pub(super) const MAX_QUOTE_BYTES: usize = 1 << 16;

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

/// Zero-width format characters, which a reader does not see: a byte order mark (U+FEFF, left in mid-text where
/// files were joined), zero-width spaces and joiners, the word joiner and invisible operators, direction marks
/// and embeddings, the soft hyphen, variation selectors and tags (Unicode's default-ignorable format characters).
/// Beside a mark they are passed over.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Letters and punctuation of scripts written without spaces between words — Han, kana, Hangul (whose particles
/// follow a closing mark: `“안녕”이라고`), Bopomofo, Thai, Lao, Khmer, Myanmar — and the CJK and full-width
/// punctuation set among them (`：“你好。”`). A mark needs no space on their side. The ideographic space is a
/// space, not one of these.
fn writes_without_spaces(c: char) -> bool {
    matches!(
        c,
        '\u{E00}'..='\u{EFF}'           // Thai, Lao
            | '\u{1000}'..='\u{109F}'   // Myanmar
            | '\u{1100}'..='\u{11FF}'   // Hangul Jamo
            | '\u{1780}'..='\u{17FF}'   // Khmer
            | '\u{2E80}'..='\u{2FDF}'   // CJK and Kangxi radicals
            | '\u{3001}'..='\u{303F}'   // CJK symbols and punctuation (。、〃々)
            | '\u{3040}'..='\u{33FF}'   // kana, Bopomofo, Hangul compatibility Jamo, enclosed and compatibility CJK
            | '\u{3400}'..='\u{4DBF}'   // CJK extension A
            | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
            | '\u{A960}'..='\u{A97F}'   // Hangul Jamo extended A
            | '\u{AC00}'..='\u{D7FF}'   // Hangul syllables, Jamo extended B
            | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
            | '\u{FE30}'..='\u{FE4F}'   // CJK compatibility forms
            | '\u{FF01}'..='\u{FFEF}'   // full-width punctuation (，！？：), half-width kana
            | '\u{20000}'..='\u{3FFFF}' // CJK extensions B–H
    )
}

/// The first character of `s` that is not [invisible](is_invisible), and its byte offset.
pub(super) fn first_visible(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| !is_invisible(c))
}

/// The neighbours of the mark `c` at byte `i` of `body`: the visible character before it (`None` at the start of
/// the paragraph) and the text after it from its first visible character.
fn neighbours(body: &str, i: usize, c: char) -> (Option<char>, &str) {
    let prev = body.get(..i).and_then(|b| b.chars().rev().find(|&p| !is_invisible(p)));
    let rest = body.get(i + c.len_utf8()..).unwrap_or("");
    (prev, first_visible(rest).map_or("", |(k, _)| &rest[k..]))
}

/// Elided words that a leading apostrophe shortens (`'tis`, `'n'`), so the apostrophe is no opening mark.
const ELISIONS: &[&str] =
    &["tis", "twas", "twere", "twill", "em", "n", "cause", "til", "till", "bout", "round", "gainst"];

/// An opening mark waiting for its close.
#[derive(Debug, Clone, Copy)]
pub(super) struct Open {
    close: char,
    /// The opening mark's span.
    pub(super) mark: Span,
    /// A single quote, which may turn out to have been an apostrophe.
    pub(super) single: bool,
    /// Where the quotation was last opened: its mark, or the repeated mark of the latest paragraph its speech ran
    /// on into. It is never closed if no mark closes it within [`MAX_QUOTE_BYTES`] of here.
    since: usize,
}

impl Open {
    /// True if `c` opens the same kind of quotation (a paragraph continuing its speech).
    pub(super) fn continued_by(&self, c: char) -> bool {
        PAIRS.iter().any(|&(o, cl)| o == c && cl == self.close)
    }
}

/// A quotation found: marks and the text between them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    pub(super) open: Span,
    pub(super) close: Span,
}

/// Reads the marks of one paragraph. `carried` are quotations left open by the previous paragraph (whose repeated
/// opening mark starts this one). Returns the quotations still open at its end.
pub(super) fn scan_paragraph(
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
    let strong_single_after = strong_single_closes_after(body, &marks);
    // A speech running on into this paragraph is opened again by its first mark (after any invisible character).
    let repeated = (!stack.is_empty()).then(|| first_visible(body).map(|(k, _)| k)).flatten();
    stack.iter_mut().for_each(|o| o.since = para.start);
    for (k, &(i, c)) in marks.iter().enumerate() {
        if repeated == Some(i) {
            continue; // the repeated mark of a continued speech
        }
        let (prev, rest) = neighbours(body, i, c);
        let next = rest.chars().next();
        let mark = Span { start: para.start + i, end: para.start + i + c.len_utf8() };
        while stack.first().is_some_and(|o| mark.start - o.since > MAX_QUOTE_BYTES) {
            let stale = stack.remove(0);
            if !stale.single {
                unclosed.push(stale.mark);
            }
        }
        if is_apostrophe_in_word(c, prev, next) {
            continue; // an apostrophe inside a word: don’t, l’Ordre
        }
        let weak = is_single(c) && is_plural_possessive(prev, rest) && strong_single_after[k];
        let spaced = is_spaced_straight_double(c, prev, next);
        let closes = if (closing_context(c, prev, next) && !weak) || spaced {
            stack.iter().rposition(|o| o.close == c)
        } else {
            None
        };
        if let Some(depth) = closes {
            let open = stack[depth];
            unclosed.extend(stack.drain(depth..).skip(1).filter(|o| !o.single).map(|o| o.mark));
            found.push(Found { open: open.mark, close: mark });
            continue;
        }
        let elided = is_single(c) && is_elision(rest);
        let spaced_opens = spaced && opens_spaced(body, i, rest);
        let opens = (opening_context(c, prev, next) || spaced_opens) && !elided && stack.len() < MAX_DEPTH;
        if let Some(&(_, close)) = PAIRS.iter().find(|&&(o, _)| o == c).filter(|_| opens) {
            stack.push(Open { close, mark, single: is_single(c), since: mark.start });
        }
    }
    stack
}

/// `don’t`, `l’Ordre`: an apostrophe between two letters. Scripts written without spaces have no apostrophes:
/// between their letters (`‘好’吗`) it is a mark.
fn is_apostrophe_in_word(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let letter = |n: Option<char>| n.is_some_and(|n| n.is_alphanumeric() && !writes_without_spaces(n));
    matches!(c, '’' | '\'') && letter(prev) && letter(next)
}

/// For each mark of a paragraph, whether a single-quote close that is not a plural possessive follows it.
fn strong_single_closes_after(body: &str, marks: &[(usize, char)]) -> Vec<bool> {
    let mut after = vec![false; marks.len()];
    let mut seen = false;
    for (k, &(i, c)) in marks.iter().enumerate().rev() {
        after[k] = seen;
        let (prev, rest) = neighbours(body, i, c);
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

/// A straight double quote with a space (or the paragraph's edge, or a dash or bracket) before it and a space
/// (or the paragraph's end, or `, ; : ! ? )`) after it: `going to say "` or `to neglect ";` where a dash was lost
/// before the close, `" Tis only` where an apostrophe was lost after the open, `--" Bournemouth` where a dash
/// stands before the open. Typewriter quotes do not say which way they face, so the state decides: it closes a
/// straight double quote left open, and otherwise [may open](opens_spaced).
fn is_spaced_straight_double(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let before = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/_".contains(p));
    let after = next.is_none_or(|n| n.is_whitespace() || ",;:!?)]}".contains(n));
    c == '"' && before && after
}

/// Whether a [spaced](is_spaced_straight_double) straight double quote at byte `i` of `body`, with nothing to
/// close, opens: words follow it, and it does not stand after a number (`6 " board`, an inch mark) or before a
/// number, another mark or the paragraph's end (a ditto mark in a column of them). Each look passes over spaces only,
/// which end at the nearest mark either side, so the paragraph is still read in linear time.
fn opens_spaced(body: &str, i: usize, rest: &str) -> bool {
    let after = rest.trim_start().chars().next();
    let before = body.get(..i).and_then(|b| b.trim_end().chars().next_back());
    after.is_some_and(|n| n.is_alphabetic() || matches!(n, '\'' | '_' | '(' | '-' | '—' | '–' | '.'))
        && !before.is_some_and(|p| p.is_ascii_digit())
}

/// `'90s`, `'tis`, `'n'`: an apostrophe shortening the word it starts. Only a single quote is read so: a double
/// quote before `Till`, `'Cause` or a digit opens a speech.
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
    // Emphasis (`_"Now I am,"_`) may stand before a double mark; before a single one it is a possessive (`_Tom_'s`).
    let emphasis = |p: char| matches!(p, '_' | '*') && !is_single(c);
    let left = prev.is_none_or(|p| {
        p.is_whitespace() || "([{—–-/".contains(p) || emphasis(p) || is_mark(p) || writes_without_spaces(p)
    });
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
    let right = next.is_none_or(|n| {
        n.is_whitespace() || n.is_ascii_punctuation() || ")]}—–…".contains(n) || is_mark(n) || writes_without_spaces(n)
    });
    left && right
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quotations `scan_paragraph` finds in a one-paragraph `text`, and the marks it leaves unclosed.
    fn scan(text: &str) -> (Vec<&str>, Vec<&str>) {
        let (mut found, mut unclosed) = (Vec::new(), Vec::new());
        let para = Span { start: 0, end: text.len() };
        let left = scan_paragraph(text, para, Vec::new(), &mut found, &mut unclosed);
        unclosed.extend(left.iter().filter(|o| !o.single).map(|o| o.mark));
        let inner = found.iter().map(|f| &text[f.open.end..f.close.start]).collect();
        (inner, unclosed.iter().map(|m| m.of(text)).collect())
    }

    #[test]
    fn marks_set_against_scripts_without_spaces_open_and_close() {
        for (text, want) in [
            ("他说：“你好。”她笑了。", &["你好。"][..]),
            ("我读了“别让我走”这本书。", &["别让我走"]),
            ("他说‘好’吗", &["好"]),
            ("他说\"好\"吗", &["好"]),
            ("彼は“こんにちは”と言った。", &["こんにちは"]),
            ("그는 “안녕”이라고 말했다.", &["안녕"]),
            ("石黑一雄的“Never Let Me Go”很好。", &["Never Let Me Go"]),
            ("เขาพูดว่า“สวัสดี”แล้ว", &["สวัสดี"]),
        ] {
            assert_eq!(scan(text), (want.to_vec(), vec![]), "{text}");
        }
    }

    #[test]
    fn latin_apostrophes_and_spacing_rules_are_unchanged_beside_them() {
        // A mark between two Latin letters is still an apostrophe, and a closing mark before a letter still is not.
        assert_eq!(scan("Ishiguro’s l’Ordre “carer”s"), (vec![], vec!["“"]));
        assert_eq!(scan("a“b c”"), (vec![], vec![]));
    }

    #[test]
    fn elisions_are_read_only_after_a_single_quote() {
        // A double quote before an elided word or a digit opens a speech.
        for (text, want) in [
            ("\"Till then, goodbye,\" he said.", "Till then, goodbye,"),
            ("\"Round the corner,\" she said.", "Round the corner,"),
            ("\"'Cause I said so,\" he said.", "'Cause I said so,"),
            ("\"Em and me went,\" he said.", "Em and me went,"),
            ("\"1815 was the year,\" he said.", "1815 was the year,"),
            ("“Tis true,” he said.", "Tis true,"),
        ] {
            assert_eq!(scan(text), (vec![want], vec![]), "{text}");
        }
        // After a single quote they are still apostrophes.
        assert_eq!(scan("'Tis the '90s, 'round 'em."), (vec![], vec![]));
    }

    #[test]
    fn a_spaced_straight_double_quote_closes_one_left_open() {
        // A dash lost before the close: the mark after a space closes the speech, and the next one opens.
        assert_eq!(
            scan("\"If I had known this before \" \"Perhaps,\" she said."),
            (vec!["If I had known this before ", "Perhaps,"], vec![])
        );
        assert_eq!(scan("\"Really I \" he began, and \"no\" again."), (vec!["Really I ", "no"], vec![]));
        // At the end of the paragraph.
        assert_eq!(scan("\"I must explain to you \""), (vec!["I must explain to you "], vec![]));
        // An apostrophe lost after the open: with nothing open, the mark opens.
        assert_eq!(scan("He read it. \" Tis only from James,\" she said."), (vec![" Tis only from James,"], vec![]));
        assert_eq!(scan("\"   Raw material,\" he said."), (vec!["   Raw material,"], vec![]));
        // A dash before it, or punctuation after it.
        assert_eq!(
            scan("\" Bournemouth is, \" she said--\" Bournemouth is, Poole was.\""),
            (vec![" Bournemouth is, ", " Bournemouth is, Poole was."], vec![])
        );
        assert_eq!(scan("\"Style is what we neglect \"; but he went on."), (vec!["Style is what we neglect "], vec![]));
        // Curly marks say which way they face: a spaced one is neither.
        assert_eq!(scan("“Really I ” he began."), (vec![], vec!["“"]));
    }

    #[test]
    fn a_spaced_straight_double_quote_with_nothing_open_opens_only_before_words() {
        // Inch marks after a number, ditto marks in a column, a mark at the paragraph's end: nothing opens, so
        // nothing pairs across the narration with a later mark.
        assert_eq!(scan("A 6 \" board, a 4 \" plank."), (vec![], vec![]));
        assert_eq!(scan("Sugar    1 lb.  at 6d.\n  \"      2 lb.  \"  5d.\n  \"      \"      \"  "), (vec![], vec![]));
        assert_eq!(scan("He cut a 6 \" board. \"Yes,\" he said."), (vec!["Yes,"], vec![]));
    }

    #[test]
    fn a_double_mark_after_emphasis_opens_but_a_single_one_does_not() {
        assert_eq!(scan("_\"Now I am,\"_ said a voice."), (vec!["Now I am,"], vec![]));
        assert_eq!(scan("*\"Now,\"* said a voice."), (vec!["Now,"], vec![]));
        assert_eq!(scan("_Tom_'s hat and Ann's 'cap'."), (vec!["cap"], vec![]));
    }

    #[test]
    fn zero_width_format_characters_beside_a_mark_are_passed_over() {
        for invisible in ['\u{FEFF}', '\u{200B}', '\u{200D}', '\u{2060}', '\u{200E}', '\u{202B}', '\u{AD}', '\u{FE0F}']
        {
            let text = format!("{invisible}“Yes,”{invisible} she said, “{invisible}no{invisible}” and{invisible} “x”.");
            let no = format!("{invisible}no{invisible}");
            assert_eq!(scan(&text), (vec!["Yes,", no.as_str(), "x"], vec![]), "U+{:04X}", invisible as u32);
        }
        // A run of them, and nothing visible before a mark: the start of the paragraph.
        assert_eq!(scan("\u{FEFF}\u{200B}\u{2060}‘Yes.’"), (vec!["Yes."], vec![]));
        assert_eq!(first_visible("\u{FEFF}\u{200B}x"), Some((6, 'x')));
        assert_eq!(first_visible("\u{FEFF}"), None);
    }
}
