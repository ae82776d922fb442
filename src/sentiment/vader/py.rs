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
/// differs from `space` (or the end of `text`). Bytewise for ASCII, as
/// this is the innermost loop of scoring.
fn skip_while_space(text: &str, mut at: usize, space: bool) -> usize {
    while let Some(&byte) = text.as_bytes().get(at) {
        let (is_space, len) = if byte.is_ascii() {
            (matches!(byte, b'\t'..=b'\r' | 0x1c..=b' '), 1)
        } else {
            match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (is_py_space(c), c.len_utf8()),
                None => return text.len(),
            }
        };
        if is_space != space {
            break;
        }
        at += len;
    }
    at
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
