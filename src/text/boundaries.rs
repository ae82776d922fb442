//! UAX #29 sentence boundaries, found fast.
//!
//! `unicode-segmentation`'s sentence iterator looks up every character's category, which made it the slowest
//! stage of the pipeline. But UAX #29 only ever breaks after a terminator (`.`, `?`, `!` and their kin, which
//! the standard calls ATerm and STerm) or a paragraph separator, and whether it breaks there depends only on the
//! word before it and on the text up to the next letter after it (rules SB6–SB11). So the iterator is run on a
//! small window around each terminator instead of on the whole paragraph. The result is the same, which a
//! property test checks against the plain iterator; where a window would be unusually long (text without
//! spaces, such as Chinese, or a long run with no letters) the plain iterator is used.

use rustc_hash::FxHashMap;
use unicode_segmentation::UnicodeSegmentation;

/// How far back a window may reach for the start of the word before a terminator.
const LOOKBEHIND: usize = 64;
/// How far forward a window may reach for the first letter after a terminator.
const LOOKAHEAD: usize = 256;

/// Finds sentence boundaries, remembering what it learned about each character.
#[derive(Debug, Default)]
pub(crate) struct SentenceBreaks {
    /// For each BMP character, bit flags: `KNOWN` and `ENDS` for "can end a sentence", `KNOWN_BASE` and `BASE`
    /// for "is a letter that does not extend the character before it".
    bmp: Vec<u8>,
    /// The same for characters beyond the BMP.
    astral: FxHashMap<char, u8>,
    probe: String,
}

const KNOWN: u8 = 1;
const ENDS: u8 = 2;
const KNOWN_BASE: u8 = 4;
const BASE: u8 = 8;

impl SentenceBreaks {
    /// Appends to `out` every offset inside `s` (neither 0 nor `s.len()`) where UAX #29 starts a new sentence, in
    /// increasing order.
    pub(crate) fn find(&mut self, s: &str, out: &mut Vec<usize>) {
        let first = out.len();
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let (len, terminator) = match bytes[i] {
                b if b.is_ascii() => (1, matches!(b, b'.' | b'?' | b'!' | b'\n' | b'\r')),
                _ => match s[i..].chars().next() {
                    Some(c) => (c.len_utf8(), self.ends_sentences(c)),
                    None => break,
                },
            };
            if !terminator {
                i += len;
                continue;
            }
            let Some((start, letter, end)) = self.window(s, i) else {
                out.truncate(first);
                out.extend(reference(s));
                return;
            };
            for (offset, _) in s[start..end].split_sentence_bound_indices() {
                let at = start + offset;
                if at > i && at < end && (out.len() == first || out[out.len() - 1] < at) {
                    out.push(at);
                }
            }
            // Every terminator before the letter was inside this window, with all the context it needs.
            i = letter.max(i + len);
        }
    }

    /// The window around the terminator at `i`: from the start of its word (UAX #29 looks back only at the
    /// letter before a full stop, SB7) to just after the first letter that follows it (SB8 looks ahead no
    /// further). Returns (start, start of that letter, end), or `None` when the window would be too long.
    fn window(&mut self, s: &str, i: usize) -> Option<(usize, usize, usize)> {
        let mut start = 0;
        for (k, c) in s[..i].char_indices().rev() {
            if c.is_whitespace() {
                start = k + c.len_utf8();
                break;
            }
            if i - k > LOOKBEHIND {
                return None;
            }
        }
        for (k, c) in s[i..].char_indices() {
            if self.is_base_letter(c) {
                return Some((start, i + k, i + k + c.len_utf8()));
            }
            if k > LOOKAHEAD {
                return None;
            }
        }
        Some((start, s.len(), s.len()))
    }

    /// True if UAX #29 can break after `c`: an ATerm, an STerm or a paragraph separator. Learned from the
    /// segmenter itself (does `x{c} Y` split?) the first time each character is seen.
    fn ends_sentences(&mut self, c: char) -> bool {
        self.flag(c, KNOWN, ENDS, |buf| {
            buf.push('x');
            buf.push(c);
            buf.push_str(" Y");
            buf.split_sentence_bounds().nth(1).is_some()
        })
    }

    /// True for a letter that UAX #29 does not attach to the character before it (SB5 treats combining and
    /// spacing marks, many of them alphabetic, as part of the preceding character). Learned from the segmenter:
    /// in `a.{c} B` only such a mark behaves like a space, letting the break fall just before `B`.
    fn is_base_letter(&mut self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphabetic();
        }
        c.is_alphabetic()
            && self.flag(c, KNOWN_BASE, BASE, |buf| {
                buf.push_str("a.");
                buf.push(c);
                buf.push_str(" B");
                let before_b = buf.len() - 1;
                !reference(buf).eq([before_b])
            })
    }

    /// Looks up (or learns with `probe`, given an empty buffer) one of a character's cached properties.
    fn flag(&mut self, c: char, known: u8, yes: u8, probe: impl FnOnce(&mut String) -> bool) -> bool {
        let code = c as usize;
        let slot = if code < 0x10000 {
            if self.bmp.is_empty() {
                self.bmp = vec![0; 0x10000];
            }
            &mut self.bmp[code]
        } else {
            self.astral.entry(c).or_insert(0)
        };
        if *slot & known == 0 {
            self.probe.clear();
            *slot |= known | if probe(&mut self.probe) { yes } else { 0 };
        }
        *slot & yes != 0
    }
}

/// The boundaries as the plain UAX #29 iterator gives them.
pub(crate) fn reference(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.split_sentence_bound_indices().map(|(offset, _)| offset).filter(|&offset| offset > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fast(s: &str) -> Vec<usize> {
        let mut out = Vec::new();
        SentenceBreaks::default().find(s, &mut out);
        out
    }

    #[test]
    fn agrees_with_the_plain_iterator_on_the_sample_review() {
        let review = include_str!("../../texts/never-let-me-go-review.txt");
        for line in review.lines() {
            assert_eq!(fast(line), reference(line).collect::<Vec<_>>(), "{line}");
        }
    }

    #[test]
    fn agrees_on_the_rules_cases() {
        for s in [
            "Mr. Smith went. He left.",
            "e.g. the U.S. Army",
            "It cost 3.5 pounds. Then?! \"Yes.\" she said. (Really.) Fine",
            "etc. and so. ‘Quoted.’ Next",
            "a.B c. d",
            "Chinese。中文！再见？好",
            "end...  ...Start",
            "x\u{2029}y",
            "e\u{301}\u{301}.Y",
            "1. 2. 3. 4. A",
            "Wait\u{2024} Then",
        ] {
            assert_eq!(fast(s), reference(s).collect::<Vec<_>>(), "{s:?}");
        }
    }

    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(". ".to_string()),
            Just("?".to_string()),
            Just("!".to_string()),
            Just("。".to_string()),
            Just("”".to_string()),
            Just(")".to_string()),
            Just(" ".to_string()),
            Just("\u{301}".to_string()),
            Just("\u{a0}".to_string()),
            Just("\u{2029}".to_string()),
            "[a-zA-Z]{1,3}",
            "[0-9]{1,2}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn agrees_with_the_plain_iterator(s in pieces()) {
            prop_assert_eq!(fast(&s), reference(&s).collect::<Vec<_>>());
        }

        #[test]
        fn agrees_on_any_unicode(s in any::<String>()) {
            prop_assert_eq!(fast(&s), reference(&s).collect::<Vec<_>>());
        }
    }

    /// Optional check on the literary corpus beside the project (`../shared`, not shipped): every paragraph of
    /// 24 books. Run with `cargo test --release -- --ignored agrees_on_the_literary_corpus`.
    #[test]
    #[ignore = "needs ../shared/corpus/literary"]
    fn agrees_on_the_literary_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/literary");
        let mut finder = SentenceBreaks::default();
        for dir in ["janeausten", "nltk-gutenberg"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                for paragraph in text.split("\n\n").map(|p| p.replace('\n', " ")) {
                    let mut out = Vec::new();
                    finder.find(&paragraph, &mut out);
                    assert_eq!(out, reference(&paragraph).collect::<Vec<_>>(), "{paragraph}");
                }
            }
        }
    }
}
