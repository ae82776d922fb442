//! The normalised copy of a text that quotations are matched in, and the map from its bytes back to the
//! original's. Normalising folds case, makes every quotation mark and apostrophe `'`, makes each run of whitespace
//! (line wraps included) one space, and drops the underscores and asterisks of plain-text italics (`_his_ pride`
//! → `his pride`).
//!
//! The map is sparse: most characters keep their length (an ASCII letter lowercased, a single space or line
//! break), so it records only where the offset between the two texts changes — at a curly quotation mark, a
//! dropped underscore, a run of blank lines — a few checkpoints a paragraph, not one per byte.

/// A text normalised for matching, with the way back to the original's byte offsets.
#[derive(Debug, Clone)]
pub struct Normalised {
    /// The normalised text.
    pub text: String,
    /// Where the offset between the texts changes, in normalised order; the last is the end of both.
    checkpoints: Vec<Checkpoint>,
}

/// From byte `norm` of the normalised text on, the normalised text follows the original from byte `orig`: byte
/// for byte when `same_length`, else as one replacement up to the next checkpoint (a whitespace run, a curly
/// quotation mark, a letter whose lower case is longer).
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    norm: u32,
    orig: u32,
    same_length: bool,
}

/// How a character is normalised.
enum Fold {
    /// Dropped (an italics underscore or asterisk, whitespace after whitespace).
    Drop,
    /// Written as this character, of the same length in UTF-8.
    Same(char),
    /// Written as these characters, of another length.
    Other(char, Option<char>),
}

/// Whether `c` is a quotation mark or apostrophe, folded to `'`.
fn is_quote_mark(c: char) -> bool {
    matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”' | '‚' | '„' | '«' | '»' | '‹' | '›' | '`' | '′' | '″')
}

/// Whether `c` marks plain-text italics or emphasis, and is dropped.
pub fn is_italics_mark(c: char) -> bool {
    matches!(c, '_' | '*')
}

fn fold(c: char, after_space: bool) -> Fold {
    if c.is_ascii() {
        return match c {
            '_' | '*' => Fold::Drop,
            ' ' | '\n' | '\t' if !after_space => Fold::Same(' '),
            c if c.is_ascii_whitespace() && after_space => Fold::Drop,
            c if c.is_ascii_whitespace() => Fold::Other(' ', None),
            '"' | '`' => Fold::Same('\''),
            c => Fold::Same(c.to_ascii_lowercase()),
        };
    }
    if c.is_whitespace() {
        return if after_space { Fold::Drop } else { Fold::Other(' ', None) };
    }
    if is_quote_mark(c) {
        return Fold::Other('\'', None);
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next(), lower.next()) {
        (Some(l), None, _) if l.len_utf8() == c.len_utf8() => Fold::Same(l),
        (Some(l), second, None) => Fold::Other(l, second),
        // No character lowercases to more than three; keep it as it is.
        _ => Fold::Same(c),
    }
}

/// `text` normalised, without the map: how a quotation is compared with a normalised source.
pub fn normalise_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fold(c, out.ends_with(' ')) {
            Fold::Drop => {}
            Fold::Same(c) => out.push(c),
            Fold::Other(a, b) => {
                out.push(a);
                out.extend(b);
            }
        }
    }
    out
}

impl Normalised {
    /// Normalises `text` (at most `u32::MAX` bytes: the caller checks).
    pub fn of(text: &str) -> Normalised {
        let mut out = String::with_capacity(text.len());
        let mut checkpoints: Vec<Checkpoint> = Vec::new();
        // Whether the last checkpoint is a same-length run still going (nothing dropped or replaced since).
        let mut running = false;
        for (orig, c) in text.char_indices() {
            let norm = out.len();
            match fold(c, out.ends_with(' ')) {
                Fold::Drop => running = false,
                Fold::Same(f) => {
                    if !running {
                        checkpoints.push(Checkpoint { norm: norm as u32, orig: orig as u32, same_length: true });
                        running = true;
                    }
                    out.push(f);
                }
                Fold::Other(a, b) => {
                    checkpoints.push(Checkpoint { norm: norm as u32, orig: orig as u32, same_length: false });
                    running = false;
                    out.push(a);
                    out.extend(b);
                }
            }
        }
        checkpoints.push(Checkpoint { norm: out.len() as u32, orig: text.len() as u32, same_length: false });
        checkpoints.shrink_to_fit();
        Normalised { text: out, checkpoints }
    }

    /// The original byte where the normalised character at `norm` starts (`norm` on a character boundary, at
    /// most the text's length).
    pub fn start_of(&self, norm: usize) -> usize {
        let i = self.checkpoints.partition_point(|c| c.norm as usize <= norm).saturating_sub(1);
        let c = self.checkpoints[i];
        if c.same_length { c.orig as usize + (norm - c.norm as usize) } else { c.orig as usize }
    }

    /// The original byte where the normalised character ending at `norm` ends (`norm` on a character boundary,
    /// greater than 0).
    pub fn end_of(&self, norm: usize) -> usize {
        let i = self.checkpoints.partition_point(|c| (c.norm as usize) < norm).saturating_sub(1);
        let c = self.checkpoints[i];
        if c.same_length {
            c.orig as usize + (norm - c.norm as usize)
        } else {
            self.checkpoints.get(i + 1).map_or(c.orig as usize, |next| next.orig as usize)
        }
    }

    /// The original span of the normalised span `start..end` (character boundaries, `start < end`), widened over
    /// italics marks on either side (`his` in `_his_ pride` is `_his_`).
    pub fn original(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let (mut from, mut to) = (self.start_of(start), self.end_of(end));
        while let Some(c) = original.get(..from).and_then(|s| s.chars().next_back()).filter(|&c| is_italics_mark(c)) {
            from -= c.len_utf8();
        }
        while let Some(c) = original.get(to..).and_then(|s| s.chars().next()).filter(|&c| is_italics_mark(c)) {
            to += c.len_utf8();
        }
        (from, to)
    }
}

/// The words of `text` (runs of letters and digits), as byte spans.
pub fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every normalised word maps back to the original bytes that spell it.
    fn back(original: &str, word: &str) -> &'static str {
        let norm = Normalised::of(original);
        let at = norm.text.find(word).unwrap();
        let (from, to) = norm.original(original, at, at + word.len());
        original[from..to].to_string().leak()
    }

    #[test]
    fn case_marks_whitespace_and_italics_fold_and_map_back_to_the_original_bytes() {
        let source = "“In vain I have\r\n  struggled,” said _Mr. Darcy_.\n\nIt’s *his* PRIDE.";
        let norm = Normalised::of(source);
        assert_eq!(norm.text, "'in vain i have struggled,' said mr. darcy. it's his pride.");
        // Offsets counted by hand: “ is 3 bytes, so `In vain I have` is bytes 3..17, `\r\n  ` 17..21.
        assert_eq!(back(source, "in vain"), "In vain");
        assert_eq!(norm.start_of(1), 3);
        assert_eq!(back(source, "have struggled"), "have\r\n  struggled");
        assert_eq!(back(source, "mr. darcy"), "_Mr. Darcy_");
        assert_eq!(back(source, "it's his pride"), "It’s *his* PRIDE");
        assert_eq!(back(source, "his"), "*his*");
        // Each end lands on the same bytes the search would give, whatever lies around it.
        let at = norm.text.find("struggled").unwrap();
        assert_eq!((norm.start_of(at), norm.end_of(at + 9)), (21, 30));
        assert_eq!(&source[21..30], "struggled");
    }

    #[test]
    fn a_letter_whose_lower_case_is_longer_maps_back_whole() {
        // `İ` (2 bytes) lowercases to `i̇` (3 bytes).
        let source = "ab İstanbul cd";
        let norm = Normalised::of(source);
        assert_eq!(norm.text, "ab i\u{307}stanbul cd");
        let at = norm.text.find("stanbul").unwrap();
        assert_eq!(norm.start_of(at - 3), 3);
        assert_eq!(norm.end_of(at + 7), 12);
        assert_eq!(&source[norm.start_of(at + 7)..], " cd");
        assert_eq!(normalise_str("“Don’t”  GO"), "'don't' go");
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let spans: Vec<(usize, usize)> = words("it's 1,000 — naïve").collect();
        assert_eq!(spans, [(0, 2), (3, 4), (5, 6), (7, 10), (15, 21)]);
    }
}
