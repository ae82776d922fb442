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
        out.push_str(word);
        out.make_ascii_lowercase();
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

/// True if `word` is its own normalised form because it is all lowercase ASCII letters, as most words of prose
/// are: a cheaper test than normalising it.
pub fn is_plain_lowercase(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase())
}

/// The normalised form of `word` as a new string (for word lists; the tokeniser uses [`normalize_into`]).
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// `s` with every run of whitespace made one space and none at the ends; borrowed when it is so already (so a
/// table row that quotes the text does not copy it).
pub fn collapse_whitespace(s: &str) -> std::borrow::Cow<'_, str> {
    let s = s.trim();
    let mut prev_space = false;
    let tidy = s.chars().all(|c| {
        let ok = !c.is_whitespace() || (c == ' ' && !prev_space);
        prev_space = c.is_whitespace();
        ok
    });
    if tidy {
        return std::borrow::Cow::Borrowed(s);
    }
    // Wrapped prose breaks most sentences across lines: built in one buffer, with no list of words.
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
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
    fn collapse_borrows_tidy_text() {
        assert!(matches!(collapse_whitespace(" a b "), std::borrow::Cow::Borrowed("a b")));
        assert_eq!(collapse_whitespace("a\n b\t\tc"), "a b c");
        assert_eq!(collapse_whitespace("a  b"), "a b");
    }

    proptest::proptest! {
        #[test]
        fn a_plain_lowercase_word_is_its_own_normal_form(word in "[a-zA-Z'’é\\u{212A}ß-]{0,8}") {
            if is_plain_lowercase(&word) {
                proptest::prop_assert_eq!(normalize(&word), word.clone());
            }
            // The ASCII path lowercases as the general one does, a character at a time.
            let by_chars: String = word.chars().flat_map(|c| {
                if is_apostrophe(c) { '\''.to_lowercase() } else { c.to_lowercase() }
            }).collect();
            proptest::prop_assert_eq!(normalize(&word), by_chars);
        }
    }

    #[test]
    fn only_lowercase_ascii_letters_are_plain() {
        assert!(is_plain_lowercase("gallery") && is_plain_lowercase(""));
        for w in ["Gallery", "they're", "they’re", "école", "co-op", "x1"] {
            assert!(!is_plain_lowercase(w), "{w}");
        }
    }

    #[test]
    fn lowercases_beyond_ascii() {
        assert_eq!(normalize("ÉCOLE"), "école");
        assert_eq!(normalize("Ordre"), "ordre");
    }
}
