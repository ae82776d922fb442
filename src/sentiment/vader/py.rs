//! The parts of Python's runtime that vaderSentiment's results depend on: `str.isspace`, `str.split`,
//! `str.lower`, `str.isupper` and `round` (see "Python runtime details matched" in the module's documentation).

use std::fmt::{self, Write as _};

/// Python's `str.isspace`, which `str.split()` and `str.strip()` use: Rust's
/// `char::is_whitespace` plus the information separators U+001C..U+001F.
pub(super) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.split()`: byte spans of the runs of non-whitespace.
pub(super) fn split_py_whitespace(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        at = skip_while_space(text, at, true);
        let start = at;
        at = skip_while_space(text, at, false);
        (start < at).then_some((start, at))
    })
}

/// The offset of the first char at or after `at` whose being whitespace
/// differs from `space` (or the end of `text`). Runs of ASCII bytes are
/// crossed in a loop of one comparison a byte, as this is the innermost loop
/// of scoring; other characters are decoded.
fn skip_while_space(text: &str, mut at: usize, space: bool) -> usize {
    let bytes = text.as_bytes();
    loop {
        // Python's ASCII whitespace is 0x09..=0x0d and 0x1c..=0x20; every other ASCII byte above it is a word's.
        if space {
            while bytes.get(at).is_some_and(|&b| is_ascii_py_space(b)) {
                at += 1;
            }
        } else {
            while bytes.get(at).is_some_and(|&b| (0x21..0x80).contains(&b)) {
                at += 1;
            }
        }
        match bytes.get(at) {
            Some(&byte) if byte.is_ascii() => {
                // An ASCII byte that ends the run, unless it is a control byte below the whitespace (a word's).
                if space || is_ascii_py_space(byte) {
                    return at;
                }
                at += 1;
            }
            Some(_) => match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) if is_py_space(c) == space => at += c.len_utf8(),
                Some(_) => return at,
                None => return text.len(),
            },
            None => return at,
        }
    }
}

/// Python's `str.isspace` of an ASCII byte.
#[inline]
fn is_ascii_py_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | 0x1c..=b' ')
}

/// Appends Python's `str.lower()` of `word` (full Unicode lowercasing, final
/// sigma included) to `out`.
pub(super) fn push_py_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&word.to_lowercase());
    }
}

/// [`push_py_lower`] and [`is_py_upper`] of `word` at once: an ASCII word (most are) is read once for both, and
/// copied without lowercasing when it has no capital.
pub(super) fn push_py_lower_is_upper(out: &mut String, word: &str) -> bool {
    let (mut ascii, mut upper, mut lower) = (true, false, false);
    for &b in word.as_bytes() {
        ascii &= b.is_ascii();
        upper |= b.is_ascii_uppercase();
        lower |= b.is_ascii_lowercase();
    }
    if !ascii {
        push_py_lower(out, word);
        return is_py_upper(word);
    }
    let start = out.len();
    out.push_str(word);
    if upper {
        out[start..].make_ascii_lowercase();
    }
    upper && !lower
}

/// Python's `str.isupper()`: at least one uppercase character and no
/// lowercase or titlecase one.
pub(super) fn is_py_upper(word: &str) -> bool {
    if word.is_ascii() {
        let bytes = word.as_bytes();
        return bytes.iter().any(u8::is_ascii_uppercase) && !bytes.iter().any(u8::is_ascii_lowercase);
    }
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Unicode general category Lt, which is neither upper- nor lowercase.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}' | '\u{1f88}'..='\u{1f8f}'
        | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}' | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// Python's `round(x, ndigits)`: the double nearest to the decimal that is
/// nearest to the exact binary value of `x` (ties to even).
pub(super) fn py_round(x: f64, ndigits: u8) -> f64 {
    let scale = (0..ndigits).fold(1.0, |scale, _| scale * 10.0);
    let y = x * scale;
    // `y` is within half an ulp of the exact product; unless that could put
    // it on the other side of a ".5", its nearest integer is the answer, and
    // dividing by `scale` rounds correctly just as Python's strtod does.
    let distance_from_half = ((y - y.trunc()).abs() - 0.5).abs();
    if distance_from_half > y.abs() * 1e-15 {
        return y.round() / scale;
    }
    py_round_exact(x, ndigits)
}

/// `py_round` for the close calls: Rust's precision formatting is exact and
/// rounds ties to even, like CPython's `_Py_dg_dtoa` mode 3.
pub(super) fn py_round_exact(x: f64, ndigits: u8) -> f64 {
    let mut digits = StackString::default();
    let precision = usize::from(ndigits);
    match write!(digits, "{x:.precision$}") {
        Ok(()) => digits.as_str().parse().unwrap_or(x),
        Err(_) => x,
    }
}

/// A fixed buffer to format one `f64` into without allocating.
struct StackString {
    bytes: [u8; 400],
    len: usize,
}

impl Default for StackString {
    fn default() -> Self {
        StackString { bytes: [0; 400], len: 0 }
    }
}

impl StackString {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for StackString {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `skip_while_space` as it reads Python's definition: a character at a time.
    fn skip_while_space_by_chars(text: &str, at: usize, space: bool) -> usize {
        text[at..].char_indices().find(|&(_, c)| is_py_space(c) != space).map_or(text.len(), |(i, _)| at + i)
    }

    /// Characters where the byte loops change: every ASCII whitespace and control byte, DEL, Python-only
    /// whitespace (U+001C..U+001F), Unicode spaces, and letters of one to four bytes.
    fn edgy_text() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            '\0', '\u{8}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{e}', '\u{1b}', '\u{1c}', '\u{1f}', ' ', '!', 'a',
            'Z', '~', '\u{7f}', '\u{85}', '\u{a0}', 'é', 'É', 'ǅ', '\u{2003}', '\u{3000}', '’', '😀', 'ß',
        ]);
        prop::collection::vec(chars, 0..24).prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn skipping_whitespace_by_bytes_agrees_with_python_char_by_char(text in edgy_text(), space: bool) {
            for (at, _) in text.char_indices() {
                prop_assert_eq!(skip_while_space(&text, at, space), skip_while_space_by_chars(&text, at, space));
            }
            prop_assert_eq!(skip_while_space(&text, text.len(), space), text.len());
        }

        #[test]
        fn lowering_and_capitals_in_one_pass_agree_with_each_alone(word in edgy_text()) {
            let (mut one_pass, mut apart) = (String::from("x"), String::from("x"));
            let upper = push_py_lower_is_upper(&mut one_pass, &word);
            push_py_lower(&mut apart, &word);
            prop_assert_eq!(one_pass, apart);
            prop_assert_eq!(upper, is_py_upper(&word));
        }
    }

    #[test]
    fn python_split_keeps_control_bytes_in_words() {
        let spans: Vec<(usize, usize)> = split_py_whitespace("a\u{1}b \u{1c}c\u{7f} d\u{a0}e").collect();
        assert_eq!(spans, [(0, 3), (5, 7), (8, 9), (11, 12)]);
    }
}
