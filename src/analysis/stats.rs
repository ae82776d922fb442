//! `documents.csv`: size and lexical statistics of a document.
//!
//! ```
//! use marginalia::{input::Source, text::Pipeline, analysis::stats::document_row};
//! let text = "Never Let Me Go isn’t a book that offers redemption or rebellion. No one escapes.";
//! let doc = Pipeline::default().document(Source::from_text("review", text));
//! let row = document_row(&doc);
//! assert_eq!((row.sentences, row.tokens, row.types), (2, 15, 15));
//! ```

use crate::analysis::diversity::{HDD_SAMPLE, MTLD_THRESHOLD, hdd, mtld, yules_k};
use crate::analysis::quotes::QuoteTally;
use crate::analysis::readability::Counts;
use crate::report::schema::{DocumentRow, round4};
use crate::text::Document;
/// Where it was first published; the word table counts it now, once a word.
pub use crate::text::syllables;

/// The MATTR window, in tokens (quanteda's default).
pub const MATTR_WINDOW: usize = 100;

/// A row of `documents.csv` for `document` in `group` with nothing counted: every count 0 and every measure empty,
/// for [`document_row`] and the group rows to fill in.
pub fn empty_row(document: String, group: String) -> DocumentRow {
    DocumentRow {
        document,
        group,
        path: String::new(),
        encoding: String::new(),
        layout: String::new(),
        bytes: 0,
        paragraphs: 0,
        sentences: 0,
        tokens: 0,
        types: 0,
        stems: 0,
        hapax: 0,
        type_token_ratio: None,
        mattr: None,
        mean_sentence_words: None,
        mean_word_chars: None,
        lexical_density: None,
        flesch_reading_ease: None,
        quotes: 0,
        quoted_words: None,
        mean_compound: None,
        positive_sentences: None,
        negative_sentences: None,
        syllables: None,
        polysyllables: None,
        letters: 0,
        flesch_kincaid_grade: None,
        gunning_fog: None,
        smog: None,
        coleman_liau: None,
        automated_readability_index: None,
        mtld: None,
        hdd: None,
        yules_k: None,
    }
}

/// The statistics row of a document, its quotation columns empty: [`with_quotes`] fills them from the quotes
/// analysis, run after these figures so that a novel's are not held while its quotations are counted.
pub fn document_row(doc: &Document) -> DocumentRow {
    let types = doc.forms.len();
    let mut row = DocumentRow {
        path: doc.path.clone(),
        encoding: doc.encoding.to_string(),
        layout: doc.layout.name().to_string(),
        bytes: doc.text.len(),
        paragraphs: doc.paragraphs.len(),
        sentences: doc.sentences.len(),
        tokens: doc.tokens.len(),
        types,
        stems: doc.stems.len(),
        hapax: doc.forms.iter().filter(|f| f.count == 1).count(),
        mattr: mattr(doc, MATTR_WINDOW).map(round4),
        ..empty_row(doc.id.clone(), doc.group.clone())
    };
    Sums::of(doc).fill(&mut row, doc.language.is_english());
    diversity(doc, &mut row);
    row
}

/// Fills in the row's MTLD, HD-D and Yule's K, which need the document's own words (and MTLD their order).
fn diversity(doc: &Document, row: &mut DocumentRow) {
    let (n, forms) = (doc.tokens.len(), doc.forms.len());
    let counts = || doc.forms.iter().map(|f| f.count);
    row.mtld = mtld(n, forms, |i| doc.tokens[i].form() as usize, MTLD_THRESHOLD).map(round4);
    row.hdd = hdd(counts(), n, HDD_SAMPLE).map(round4);
    row.yules_k = yules_k(counts(), n).map(round4);
}

/// A document's row (from [`document_row`]) with its quotation columns filled from its quotations' `tally`.
pub fn with_quotes(row: DocumentRow, tally: &QuoteTally) -> DocumentRow {
    let quoted_words = (row.tokens > 0).then(|| round4(tally.quoted_words as f64 / row.tokens as f64));
    DocumentRow { quotes: tally.quotes, quoted_words, ..row }
}

/// A document's row with its sentiment columns filled from its sentences' `sentiment`.
pub fn with_sentiment(mut row: DocumentRow, sentiment: &SentimentSums) -> DocumentRow {
    sentiment.fill(&mut row);
    row
}

/// The sentence scores behind the sentiment columns of a `documents.csv` row. Compounds are summed in
/// ten-thousandths, as `sentences.csv` gives them: the sums are exact, so a group's mean is the same whatever
/// the order its documents are added in (one run or merged shards), and equals the mean over its sentences' rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SentimentSums {
    /// Sentences scored.
    pub scored: usize,
    /// The sum of their compounds, in ten-thousandths.
    pub compound: i64,
    /// Those with a compound of at least [`POSITIVE`].
    pub positive: usize,
    /// Those with a compound of at most [`NEGATIVE`].
    pub negative: usize,
}

/// VADER's thresholds: a text whose compound is at least 0.05 is positive, at most −0.05 negative, neutral between
/// (Hutto & Gilbert 2014, and the README of vaderSentiment).
pub const POSITIVE: f64 = 0.05;
/// See [`POSITIVE`].
pub const NEGATIVE: f64 = -0.05;

impl SentimentSums {
    /// The sums of these compounds (each to 4 decimals, as VADER gives them).
    pub fn of(compounds: &[f64]) -> SentimentSums {
        let mut sums = SentimentSums::default();
        for &c in compounds {
            sums.add_score(c);
        }
        sums
    }

    /// Counts one compound.
    pub fn add_score(&mut self, compound: f64) {
        self.scored += 1;
        self.compound += (compound * 10_000.0).round() as i64;
        self.positive += usize::from(compound >= POSITIVE);
        self.negative += usize::from(compound <= NEGATIVE);
    }

    /// Adds another text's sums.
    pub fn add(&mut self, other: &SentimentSums) {
        self.scored += other.scored;
        self.compound += other.compound;
        self.positive += other.positive;
        self.negative += other.negative;
    }

    /// The mean compound, to 4 decimals; `None` with nothing scored.
    pub fn mean(&self) -> Option<f64> {
        (self.scored > 0).then(|| round4(self.compound as f64 / 10_000.0 / self.scored as f64))
    }

    /// Fills in the row's sentiment columns.
    pub fn fill(&self, row: &mut DocumentRow) {
        let share = |n: usize| (self.scored > 0).then(|| round4(n as f64 / self.scored as f64));
        row.mean_compound = self.mean();
        row.positive_sentences = share(self.positive);
        row.negative_sentences = share(self.negative);
    }
}

/// The sums behind the ratio columns of a `documents.csv` row (all but MATTR, which depends on word order).
/// They add up over documents, so a group's row is computed exactly as a document's is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sums {
    /// Sentences holding a word.
    pub sentences: usize,
    /// Words.
    pub tokens: usize,
    /// Characters of the words' normalised forms.
    pub chars: usize,
    /// Words that are not stopwords.
    pub content: usize,
    /// Syllables of the words, by [`syllables`] (English only; 0 otherwise).
    pub syllables: usize,
    /// Words of three syllables or more (English only; 0 otherwise).
    pub polysyllables: usize,
    /// Letters and digits of the words' normalised forms (apostrophes and hyphens left out).
    pub letters: usize,
}

impl Sums {
    /// The sums of one document.
    pub fn of(doc: &Document) -> Sums {
        let english = doc.language.is_english();
        let mut sums = Sums { sentences: doc.sentences.len(), tokens: doc.tokens.len(), ..Sums::default() };
        for f in &doc.forms {
            let n = f.count as usize;
            sums.chars += f.chars as usize * n;
            sums.letters += f.letters as usize * n;
            sums.content += if f.stopword { 0 } else { n };
            if english {
                sums.syllables += f.syllables as usize * n;
                sums.polysyllables += if f.syllables >= 3 { n } else { 0 };
            }
        }
        sums
    }

    /// Adds another text's sums.
    pub fn add(&mut self, other: &Sums) {
        self.sentences += other.sentences;
        self.tokens += other.tokens;
        self.chars += other.chars;
        self.content += other.content;
        self.syllables += other.syllables;
        self.polysyllables += other.polysyllables;
        self.letters += other.letters;
    }

    /// Fills in the row's ratio, count and readability columns from these sums and its `types`; syllables and
    /// the readability indices only for English.
    pub fn fill(&self, row: &mut DocumentRow, english: bool) {
        let (tokens, sentences) = (self.tokens as f64, self.sentences as f64);
        let per_token = |x: usize| (self.tokens > 0).then(|| round4(x as f64 / tokens));
        row.type_token_ratio = per_token(row.types);
        row.mean_sentence_words = (self.sentences > 0).then(|| round4(tokens / sentences));
        row.mean_word_chars = per_token(self.chars);
        row.lexical_density = per_token(self.content);
        // Flesch reading ease (Flesch 1948): 206.835 − 1.015 × words/sentences − 84.6 × syllables/words.
        row.flesch_reading_ease = (english && self.tokens > 0 && self.sentences > 0)
            .then(|| round4(206.835 - 1.015 * tokens / sentences - 84.6 * self.syllables as f64 / tokens));
        row.letters = self.letters;
        if english {
            self.fill_readability(row);
        }
    }

    /// The English-only counts and indices of the row.
    fn fill_readability(&self, row: &mut DocumentRow) {
        row.syllables = Some(self.syllables);
        row.polysyllables = Some(self.polysyllables);
        let counts = Counts {
            sentences: self.sentences,
            words: self.tokens,
            syllables: self.syllables,
            polysyllables: self.polysyllables,
            letters: self.letters,
        };
        row.flesch_kincaid_grade = counts.flesch_kincaid_grade().map(round4);
        row.gunning_fog = counts.gunning_fog().map(round4);
        row.smog = counts.smog().map(round4);
        row.coleman_liau = counts.coleman_liau().map(round4);
        row.automated_readability_index = counts.automated_readability_index().map(round4);
    }
}

/// Moving-average type-token ratio: the mean TTR of every window of `window` consecutive tokens (Covington &
/// McFall 2010). `None` when the text is shorter than one window. Runs in one pass, keeping counts per form.
pub fn mattr(doc: &Document, window: usize) -> Option<f64> {
    // Read from the tokens in place: a copy of a novel's forms would weigh as much as its text.
    moving_ttr(doc.tokens.len(), doc.forms.len(), window, |i| doc.tokens[i].form() as usize)
}

/// MATTR of `n` words whose `i`th has form `form(i)`, of `forms` distinct forms at most.
pub fn moving_ttr(n: usize, forms: usize, window: usize, form: impl Fn(usize) -> usize) -> Option<f64> {
    if window == 0 || n < window {
        return None;
    }
    let mut in_window = vec![0u32; forms];
    let mut distinct = 0usize;
    for i in 0..window {
        distinct += usize::from(in_window[form(i)] == 0);
        in_window[form(i)] += 1;
    }
    let mut total = distinct;
    for i in window..n {
        let (out, new) = (form(i - window), form(i));
        in_window[out] -= 1;
        distinct -= usize::from(in_window[out] == 0);
        distinct += usize::from(in_window[new] == 0);
        in_window[new] += 1;
        total += distinct;
    }
    let windows = n - window + 1;
    Some(total as f64 / (windows * window) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::text::{Language, Pipeline, PipelineOptions};

    fn doc_in(text: &str, language: Language) -> Document {
        let source = Source::from_text("t", text);
        let options = PipelineOptions::for_language(language);
        Pipeline::new(options).document(source)
    }

    #[test]
    fn flesch_of_a_textbook_sentence() {
        // 6 words, 1 sentence, 6 syllables: 206.835 − 1.015 × 6 − 84.6 × 1 = 116.145.
        let row = document_row(&doc_in("The cat sat on the mat.", Language::english()));
        assert_eq!(row.flesch_reading_ease, Some(116.145));
    }

    #[test]
    fn flesch_is_empty_for_other_languages() {
        let row = document_row(&doc_in("Le chat est sur le tapis.", Language::parse("fr").unwrap()));
        assert_eq!(row.flesch_reading_ease, None);
        assert_eq!(row.tokens, 6);
    }

    #[test]
    fn counts_by_hand() {
        // 9 tokens; forms: the×3, memory, of, loss, and, memories, stay → 7 types, 6 hapax, stems: memori shared → 6.
        let row = document_row(&doc_in("The memory of the loss and the memories stay.", Language::english()));
        assert_eq!((row.tokens, row.types, row.hapax, row.stems), (9, 7, 6, 6));
        assert_eq!(row.type_token_ratio, Some(round4(7.0 / 9.0)));
        // Stopwords: the ×3, of, and → 5 of 9; content 4/9.
        assert_eq!(row.lexical_density, Some(round4(4.0 / 9.0)));
        assert_eq!(row.mattr, None);
    }

    #[test]
    fn mattr_by_hand() {
        // "a b a b c" with window 2: windows ab, ba, ab, bc → every TTR 1 → 1.0; window 3: aba(2/3) bab(2/3) abc(1).
        let d = doc_in("a b a b c", Language::english());
        assert_eq!(mattr(&d, 2), Some(1.0));
        assert_eq!(mattr(&d, 3).map(round4), Some(round4((2.0 / 3.0 + 2.0 / 3.0 + 1.0) / 3.0)));
        assert_eq!(mattr(&d, 6), None);
    }

    #[test]
    fn empty_document_has_zeros_and_empty_ratios() {
        let row = document_row(&doc_in("", Language::english()));
        assert_eq!((row.bytes, row.sentences, row.tokens), (0, 0, 0));
        assert_eq!((row.type_token_ratio, row.flesch_reading_ease, row.mean_sentence_words), (None, None, None));
    }

    #[test]
    fn the_review_s_diversity_equals_lexicalrichness() {
        // lexicalrichness 0.5.1 on the review's 901 tokens as this row counts them, produced once with
        // tools/reference_figures.py (see there): mtld 134.97103685677388, hdd 0.8734247774047265,
        // yulek 91.64807631426913.
        let review = include_str!("../../texts/never-let-me-go-review.txt");
        let row = document_row(&doc_in(review, Language::english()));
        assert_eq!(row.tokens, 901);
        assert_eq!((row.mtld, row.hdd, row.yules_k), (Some(134.971), Some(0.8734), Some(91.6481)));
    }

    #[test]
    fn the_review_s_readability_counts() {
        // Our counts (textstat's differ: see readability.rs), and the indices recomputed from them by hand.
        let review = include_str!("../../texts/never-let-me-go-review.txt");
        let row = document_row(&doc_in(review, Language::english()));
        let (s, w) = (64.0, 901.0);
        assert_eq!((row.sentences, row.tokens), (64, 901));
        assert_eq!((row.syllables, row.polysyllables, row.letters), (Some(1338), Some(97), 4144));
        assert_eq!(row.flesch_kincaid_grade, Some(round4(0.39 * w / s + 11.8 * 1338.0 / w - 15.59)));
        assert_eq!(row.gunning_fog, Some(round4(0.4 * (w / s + 100.0 * 97.0 / w))));
        assert_eq!(row.smog, Some(round4(1.043 * (97.0 * 30.0 / s).sqrt() + 3.1291)));
        assert_eq!(row.coleman_liau, Some(round4(0.0588 * 4144.0 / w * 100.0 - 0.296 * s / w * 100.0 - 15.8)));
        assert_eq!(row.automated_readability_index, Some(round4(4.71 * 4144.0 / w + 0.5 * w / s - 21.43)));
    }

    #[test]
    fn other_languages_have_letters_but_no_syllables_or_readability() {
        let row = document_row(&doc_in("Le chat est sur le tapis.", Language::parse("fr").unwrap()));
        assert_eq!((row.syllables, row.polysyllables, row.letters), (None, None, 19));
        assert_eq!((row.flesch_kincaid_grade, row.smog, row.automated_readability_index), (None, None, None));
        assert!(row.yules_k.is_some());
    }
}
