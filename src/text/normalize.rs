//! Word normalisation: lowercase, and every apostrophe folded to `'`, so `Ishiguro’s` and `Ishiguro's` are one
//! word. Writes into a caller's buffer so the tokeniser allocates nothing per token.

/// True for the characters writers and keyboards use as an apostrophe: `'` U+0027, `’` U+2019, `‘` U+2018 and
/// `ʼ` U+02BC.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Writes the normalised form of `word` into `out` (cleared first): lowercase, apostrophes folded to `'`.
///
/// ```
/// let mut out = String::new();
/// marginalia::text::normalize_into("Ishiguro’s", &mut out);
/// assert_eq!(out, "ishiguro's");
/// ```
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in word.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The normalised form of `word` as a new string (for word lists; the tokeniser uses [`normalize_into`]).
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_every_apostrophe_and_case() {
        for w in ["They’re", "They're", "They‘re", "Theyʼre", "THEY'RE"] {
            assert_eq!(normalize(w), "they're", "{w}");
        }
    }

    #[test]
    fn lowercases_beyond_ascii() {
        assert_eq!(normalize("ÉCOLE"), "école");
        assert_eq!(normalize("Ordre"), "ordre");
    }
}
