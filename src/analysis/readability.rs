//! The readability battery of `documents.csv` (English): Flesch–Kincaid grade, Gunning Fog, SMOG, Coleman–Liau
//! and the Automated Readability Index, each a formula of counts the row also gives, so each can be recomputed by
//! hand. A group's indices are computed from its summed counts, as a document's are.
//!
//! ```
//! use marginalia::analysis::readability::Counts;
//! // 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45.
//! let counts = Counts { sentences: 1, words: 6, syllables: 6, polysyllables: 0, letters: 17 };
//! assert!((counts.flesch_kincaid_grade().unwrap() + 1.45).abs() < 1e-9);
//! ```

/// The counts the indices rest on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sentences.
    pub sentences: usize,
    /// Words.
    pub words: usize,
    /// Syllables of the words.
    pub syllables: usize,
    /// Words of three syllables or more.
    pub polysyllables: usize,
    /// Letters and digits of the words.
    pub letters: usize,
}

impl Counts {
    /// Words and sentences as floats; `None` without words or sentences, where no index is defined.
    fn ratios(&self) -> Option<(f64, f64)> {
        (self.words > 0 && self.sentences > 0).then_some((self.words as f64, self.sentences as f64))
    }

    /// Flesch–Kincaid grade (Kincaid et al. 1975): 0.39 × words/sentences + 11.8 × syllables/words − 15.59.
    pub fn flesch_kincaid_grade(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(0.39 * w / s + 11.8 * self.syllables as f64 / w - 15.59)
    }

    /// Gunning Fog (Gunning 1952): 0.4 × (words/sentences + 100 × complex/words), a complex word being one of three
    /// syllables or more. Gunning also spared proper nouns, compounds of easy words and words made three syllables
    /// by `-es`/`-ed`/`-ing`; a rule-based count cannot tell them, so every polysyllable counts.
    pub fn gunning_fog(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(0.4 * (w / s + 100.0 * self.polysyllables as f64 / w))
    }

    /// SMOG grade (McLaughlin 1969), for any number of sentences: 1.0430 × √(polysyllables × 30/sentences) + 3.1291.
    pub fn smog(&self) -> Option<f64> {
        let (_, s) = self.ratios()?;
        Some(1.0430 * (self.polysyllables as f64 * 30.0 / s).sqrt() + 3.1291)
    }

    /// Coleman–Liau index (Coleman & Liau 1975): 0.0588 × L − 0.296 × S − 15.8, with L letters and S sentences
    /// per 100 words.
    pub fn coleman_liau(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(0.0588 * 100.0 * self.letters as f64 / w - 0.296 * 100.0 * s / w - 15.8)
    }

    /// Automated Readability Index (Smith & Senter 1967): 4.71 × letters/words + 0.5 × words/sentences − 21.43.
    pub fn automated_readability_index(&self) -> Option<f64> {
        let (w, s) = self.ratios()?;
        Some(4.71 * self.letters as f64 / w + 0.5 * w / s - 21.43)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_is_empty_without_words_or_sentences() {
        for counts in [Counts::default(), Counts { words: 3, ..Counts::default() }] {
            assert_eq!(counts.flesch_kincaid_grade(), None);
            assert_eq!(counts.gunning_fog(), None);
            assert_eq!(counts.smog(), None);
            assert_eq!(counts.coleman_liau(), None);
            assert_eq!(counts.automated_readability_index(), None);
        }
    }

    #[test]
    fn the_formulas_by_hand() {
        // 20 words, 2 sentences, 30 syllables, 4 polysyllables, 90 letters.
        let c = Counts { sentences: 2, words: 20, syllables: 30, polysyllables: 4, letters: 90 };
        let close = |a: Option<f64>, b: f64| assert!(a.is_some_and(|a| (a - b).abs() < 1e-9), "{a:?} ≠ {b}");
        close(c.flesch_kincaid_grade(), 0.39 * 10.0 + 11.8 * 1.5 - 15.59); // 6.01
        close(c.gunning_fog(), 0.4 * (10.0 + 20.0)); // 12
        close(c.smog(), 1.043 * 60f64.sqrt() + 3.1291); // 11.208…
        close(c.coleman_liau(), 0.0588 * 450.0 - 0.296 * 10.0 - 15.8); // 7.7
        close(c.automated_readability_index(), 4.71 * 4.5 + 5.0 - 21.43); // 4.765
    }

    // The figures of textstat 0.7.13 on texts/never-let-me-go-review.txt, produced once with
    //   python3 -m venv /tmp/rv && /tmp/rv/bin/pip install textstat==0.7.13 lexicalrichness==0.5.1
    //   /tmp/rv/bin/python tools/reference_figures.py texts/never-let-me-go-review.txt
    // which prints textstat's counts and its unrounded indices. Its syllables were counted with Pyphen (nltk could
    // not download CMUdict), and its sentences and words are its own, so the formulas are compared on its counts.
    const TEXTSTAT: Counts = Counts { sentences: 58, words: 897, syllables: 1259, polysyllables: 75, letters: 4144 };

    fn close(ours: Option<f64>, theirs: f64) {
        assert!(ours.is_some_and(|x| (x - theirs).abs() < 1e-9), "{ours:?} ≠ {theirs}");
    }

    #[test]
    fn flesch_kincaid_and_smog_equal_textstats_on_its_counts() {
        close(TEXTSTAT.flesch_kincaid_grade(), 7.003647599277286);
        // textstat's 1.043 is McLaughlin's 1.0430.
        close(TEXTSTAT.smog(), 9.625332661558808);
    }

    #[test]
    fn fog_equals_textstats_given_its_complex_words() {
        // textstat's complex words are its 73 "difficult" ones (3+ syllables and not on its easy-word list), where
        // ours are every polysyllable: given the same count, the formula is the same.
        close(Counts { polysyllables: 73, ..TEXTSTAT }.gunning_fog(), 9.441502325760197);
    }

    #[test]
    fn coleman_liau_differs_from_textstats_by_its_rounded_coefficient() {
        // textstat uses 0.058 for Coleman & Liau's 0.0588: ours is its 9.0812 + 0.0008 × L, L = 4144 letters per
        // 897 words × 100.
        close(TEXTSTAT.coleman_liau(), 9.081159420289858 + 0.0008 * 100.0 * 4144.0 / 897.0);
    }

    #[test]
    fn ari_differs_from_textstats_by_its_two_word_counts() {
        // textstat's ARI is 4.71 × 4309/900 + 0.5 × 897/58 − 21.43 = 8.8532: characters (punctuation included) per
        // word counting 900 words (punctuation-only ones too), words per sentence counting 897. Fed 4309
        // characters and 900 words, ours is the same but for 0.5 × (900 − 897)/58.
        let counts = Counts { letters: 4309, words: 900, ..TEXTSTAT };
        close(counts.automated_readability_index(), 8.853191954022986 + 0.5 * 3.0 / 58.0);
    }
}
