//! Every table marginalia writes, one row type each, one doc comment per column. The README's table reference is
//! checked against these by a test, so the two cannot drift apart.
//!
//! Adding a table: write its struct inside `table!`, which derives the file name and columns from it; then list the
//! type in this file's test and in [`TABLES`](super::columns::TABLES), and document its columns in the README.
//!
//! Conventions: a `document` column in every table; byte offsets are into the decoded UTF-8 text, end exclusive,
//! and `text[start_byte..end_byte]` is the row's text; ids (`sentence_id`, `paragraph_id`) count from 1; relative
//! frequencies are per 10,000 words; a measure that cannot be computed is an empty cell, never a made-up zero.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::report::csv::Line;

/// A row type: serialisable, with its file name and its columns in order (so a table with no rows still has a
/// header).
pub trait Row: Serialize {
    /// The table the row belongs to: the row type itself, or for rows that borrow from the document, the same type
    /// with `'static` (so one table takes rows borrowed from any document).
    type Schema: 'static;
    /// The table's file name (`documents.csv`).
    const FILE: &'static str;
    /// Column names, in the order the fields serialise.
    const COLUMNS: &'static [&'static str];
    /// Each column's Rust type as written in the struct (`usize`, `Option<f64>`, `&'a str`), for
    /// [`ColumnKind::of`](super::columns::ColumnKind::of).
    const TYPES: &'static [&'static str];
    /// Writes the row's cells, in the order of `COLUMNS`.
    fn write_cells(&self, line: &mut Line);
}

/// Defines a row type and its [`Row`] impl from one struct, so the columns are written once, as the fields:
///
/// ```ignore
/// table! {
///     /// `example.csv`: one row per …
///     #[derive(Debug, Clone, PartialEq, Serialize)]
///     pub struct ExampleRow<'a> in "example.csv" {
///         /// Document id.
///         pub document: &'a str,
///     }
/// }
/// ```
///
/// The struct comes out as written (`in "…"` removed); `FILE` is that file name, `COLUMNS` the field names in
/// order, `TYPES` their types as written, `write_cells` writes the fields in that order, and `Schema` is the type
/// itself, or with `'static` for its one lifetime. `COLUMNS` equals serde's header only while serde serialises the
/// fields under their own names, so serde attributes are refused on the struct, and fields take doc comments only.
/// In tests the struct also derives `Default`, so a test can make any row.
macro_rules! table {
    (@schema $name:ident) => { $name };
    (@schema $name:ident $lt:lifetime) => { $name<'static> };
    (@struct_attr serde $($attr:tt)*) => {
        compile_error!(concat!("table!: #[serde", stringify!($($attr)*), "] could make the header differ from COLUMNS"));
    };
    (@struct_attr $($attr:tt)*) => {};
    (@field_attr doc = $doc:literal) => {};
    (@field_attr $($attr:tt)*) => {
        compile_error!(concat!("table!: #[", stringify!($($attr)*), "] on a field: fields take doc comments only"));
    };
    (
        $(#[$($attr:tt)*])*
        pub struct $name:ident $(<$lt:lifetime>)? in $file:literal {
            $($(#[$($field_attr:tt)*])* pub $field:ident: $ty:ty),* $(,)?
        }
    ) => {
        $(table!(@struct_attr $($attr)*);)*
        $($(table!(@field_attr $($field_attr)*);)*)*

        $(#[$($attr)*])*
        #[cfg_attr(test, derive(Default))]
        pub struct $name $(<$lt>)? {
            $($(#[$($field_attr)*])* pub $field: $ty,)*
        }

        impl $(<$lt>)? Row for $name $(<$lt>)? {
            type Schema = table!(@schema $name $($lt)?);
            const FILE: &'static str = $file;
            const COLUMNS: &'static [&'static str] = &[$(column_name(stringify!($field))),*];
            const TYPES: &'static [&'static str] = &[$(stringify!($ty)),*];

            fn write_cells(&self, line: &mut Line) {
                $(line.cell(&self.$field);)*
            }
        }
    };
}

table! {
    /// `documents.csv`: one row per document, with its size and lexical statistics.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentRow in "documents.csv" {
        /// Document id: the path relative to the input root without extension (`stdin` for standard input), or a
        /// table row's id; empty in a group's row.
        pub document: String,
        /// Its `--group-by` group (the group summed, in a group's row); empty without `--group-by`.
        pub group: String,
        /// The path the document was read from (`-` for standard input).
        pub path: String,
        /// The encoding it was decoded from (`UTF-8`, `UTF-16LE`, `windows-1252`, …).
        pub encoding: String,
        /// How lines were read: `paragraphs` (one per line) or `wrapped` (blank-line separated, lines joined).
        pub layout: String,
        /// Size of the decoded text in bytes (UTF-8, without BOM).
        pub bytes: usize,
        /// Paragraphs holding at least one word.
        pub paragraphs: usize,
        /// Sentences holding at least one word.
        pub sentences: usize,
        /// Words (UAX #29 words, numbers included).
        pub tokens: usize,
        /// Distinct normalised forms (lowercase, apostrophes folded).
        pub types: usize,
        /// Distinct stems.
        pub stems: usize,
        /// Normalised forms that occur exactly once.
        pub hapax: usize,
        /// types / tokens; empty for a document with no words.
        pub type_token_ratio: Option<f64>,
        /// Moving-average type-token ratio over windows of 100 tokens (Covington & McFall 2010, quanteda's MATTR);
        /// empty when the document has fewer than 100 tokens.
        pub mattr: Option<f64>,
        /// tokens / sentences; empty with no sentences.
        pub mean_sentence_words: Option<f64>,
        /// Mean characters per word (of the normalised form); empty with no words.
        pub mean_word_chars: Option<f64>,
        /// Share of tokens that are not stopwords; empty with no words.
        pub lexical_density: Option<f64>,
        /// Flesch reading ease, 206.835 − 1.015 × words/sentence − 84.6 × syllables/word, syllables counted by rule;
        /// English only, empty otherwise.
        pub flesch_reading_ease: Option<f64>,
        /// Quotations (rows of `quotes.csv`).
        pub quotes: usize,
        /// Share of words inside (top-level) quotations; empty with no words.
        pub quoted_words: Option<f64>,
        /// Mean VADER compound of its sentences (as `sentences.csv` gives them, to 4 decimals); empty when
        /// sentences are not scored (`--sentiment none`) or there are none.
        pub mean_compound: Option<f64>,
        /// Share of its scored sentences that are positive (compound ≥ 0.05, VADER's threshold).
        pub positive_sentences: Option<f64>,
        /// Share of its scored sentences that are negative (compound ≤ −0.05).
        pub negative_sentences: Option<f64>,
        /// Syllables of its words, counted by rule (as for Flesch); English only, empty otherwise.
        pub syllables: Option<usize>,
        /// Words of three syllables or more, by the same rule; English only, empty otherwise.
        pub polysyllables: Option<usize>,
        /// Letters and digits of its words' normalised forms (apostrophes and hyphens left out).
        pub letters: usize,
        /// Flesch–Kincaid grade, 0.39 × words/sentence + 11.8 × syllables/word − 15.59; English only.
        pub flesch_kincaid_grade: Option<f64>,
        /// Gunning Fog, 0.4 × (words/sentence + 100 × polysyllables/words); English only.
        pub gunning_fog: Option<f64>,
        /// SMOG grade, 1.0430 × √(polysyllables × 30 / sentences) + 3.1291; English only.
        pub smog: Option<f64>,
        /// Coleman–Liau index, 0.0588 × letters per 100 words − 0.296 × sentences per 100 words − 15.8; English
        /// only.
        pub coleman_liau: Option<f64>,
        /// Automated Readability Index, 4.71 × letters/word + 0.5 × words/sentence − 21.43; English only.
        pub automated_readability_index: Option<f64>,
        /// MTLD (McCarthy & Jarvis 2010, threshold 0.72, forward and backward passes averaged); empty with no
        /// words and in a group's row.
        pub mtld: Option<f64>,
        /// HD-D (McCarthy & Jarvis 2007, samples of 42 tokens); empty for fewer than 42 tokens and in a group's row.
        pub hdd: Option<f64>,
        /// Yule's K, 10⁴ × (Σ m² V_m − N) / N²; empty with no words and in a group's row.
        pub yules_k: Option<f64>,
    }
}

table! {
    /// `chapters.csv`: one row per chapter of a document (volume, book, part, chapter, act, scene or section), in
    /// text order; a text without headings is one chapter.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ChapterRow in "chapters.csv" {
        /// Document id.
        pub document: String,
        /// 1..N in text order; the `chapter_id` of its sentences and quotations.
        pub chapter_id: u32,
        /// `volume`, `book`, `part`, `chapter`, `act`, `scene` or `section`.
        pub level: &'static str,
        /// The heading as written, whitespace trimmed; empty for the text before the first heading and for a text
        /// without headings.
        pub title: String,
        /// Byte offset where its heading starts (0 for the first).
        pub start_byte: usize,
        /// Byte offset just past its end: where the next heading of the same or a higher level starts (a
        /// volume's span holds its chapters), or the text's end.
        pub end_byte: usize,
        /// Sentences starting in its span.
        pub sentences: usize,
        /// Words in its span.
        pub words: usize,
        /// Quotations (rows of `quotes.csv`) opening in its span.
        pub quotations: usize,
        /// Share of its words inside top-level quotations (as in `voices.csv`); empty with no words.
        pub dialogue_share: Option<f64>,
        /// Mean compound of its sentences; empty when they are not scored.
        pub mean_compound: Option<f64>,
    }
}

table! {
    /// `vocabulary.csv`: one row per document × stem, most frequent first.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct VocabularyRow<'a> in "vocabulary.csv" {
        /// Document id.
        pub document: &'a str,
        /// The Snowball stem (`rememb`).
        pub stem: &'a str,
        /// Its most frequent normalised form (`remember`); ties go to the form seen first.
        pub term: &'a str,
        /// All its normalised forms, most frequent first, `|`-joined (`remember|remembered|remembers`).
        pub forms: Cow<'a, str>,
        /// Occurrences of the stem.
        pub count: u32,
        /// Occurrences per 10,000 words of the document.
        pub per_10k: f64,
        /// Rank by count, 1 for the most frequent; equal counts share the lowest rank (1, 2, 2, 4).
        pub rank: u32,
        /// True if `term` is a stopword.
        pub stopword: bool,
        /// The sentence_id of the stem's first occurrence.
        pub first_sentence: u32,
        /// tf × idf, as tidytext's `bind_tf_idf`: tf = count / the document's words, idf = ln(documents in the
        /// corpus / documents holding the stem); empty with a single document (and in `marginalia vocabulary`).
        pub tf_idf: Option<f64>,
    }
}

table! {
    /// `sentences.csv`: one row per sentence, in text order.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct SentenceRow<'a> in "sentences.csv" {
        /// Document id.
        pub document: &'a str,
        /// 1-based position of the sentence in the document.
        pub sentence_id: u32,
        /// 1-based position of its paragraph.
        pub paragraph_id: u32,
        /// The innermost chapter it starts in (`chapters.csv`).
        pub chapter_id: u32,
        /// Byte offset of its first character.
        pub start_byte: usize,
        /// Byte offset one past its last character.
        pub end_byte: usize,
        /// Words in the sentence.
        pub words: usize,
        /// The sentence exactly as in the text (`text[start_byte..end_byte]`; wrapped lines keep their line breaks).
        pub text: &'a str,
        /// VADER compound score in [−1, 1] (vaderSentiment 3.3.2, exactly); empty when sentiment is not scored.
        pub compound: Option<f64>,
        /// VADER's share of positive sentiment (0–1).
        pub positive: Option<f64>,
        /// VADER's share of neutral words (0–1).
        pub neutral: Option<f64>,
        /// VADER's share of negative sentiment (0–1).
        pub negative: Option<f64>,
        /// The sentence's dominant tone category (most tone markers; ties go to the lexicon's first), or empty.
        pub tone: &'a str,
    }
}

table! {
    /// `tone_markers.csv`: one row per word (or phrase) that carries valence or tone, in text order.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ToneMarkerRow<'a> in "tone_markers.csv" {
        /// Document id.
        pub document: &'a str,
        /// The sentence it is in.
        pub sentence_id: u32,
        /// Byte offset of the marker's first character.
        pub start_byte: usize,
        /// Byte offset just past its last character; `text[start_byte..end_byte]` is `marker`.
        pub end_byte: usize,
        /// The marker as written.
        pub marker: &'a str,
        /// Its valence in the sentiment lexicon (VADER's, −4 to +4), 0 if it has none (a tone word only).
        pub lexicon_valence: f64,
        /// The VADER rules that changed its valence, `|`-joined: `booster:deeply`, `negated:never`, `caps`,
        /// `after_but`, `before_but`, `kind_of`, `least`, `idiom:…`, ….
        pub modifiers: String,
        /// What it contributed to the sentence's raw score after those rules, to 4 decimals; these add up to the
        /// sentence's sum before VADER's `!`/`?` emphasis and normalisation.
        pub effective_valence: f64,
        /// The tone categories it belongs to, `|`-joined (usually one), or empty.
        pub tone: Cow<'a, str>,
    }
}

table! {
    /// `tone.csv`: one row per document × tone category, in lexicon order (zero counts included).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ToneRow in "tone.csv" {
        /// Document id; empty in a group's rows.
        pub document: String,
        /// Its `--group-by` group (the group summed, in a group's rows); empty without `--group-by`.
        pub group: String,
        /// The category's key (`praise`).
        pub tone: String,
        /// Its label (`Praise`).
        pub label: String,
        /// Markers of this category.
        pub count: u32,
        /// Markers per 10,000 words.
        pub per_10k: f64,
        /// Its most frequent markers (normalised) with counts, most frequent first: `haunting:1|stunning:1`.
        pub top_markers: String,
    }
}

table! {
    /// `arc.csv`: the shape of a document's feeling from first sentence to last.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ArcRow in "arc.csv" {
        /// Document id.
        pub document: String,
        /// 1..N along the text: the sentences are cut into N runs of (nearly) equal length.
        pub point: u32,
        /// Where the run's middle falls in the text, 0 (start) to 1 (end), by bytes.
        pub position: f64,
        /// Sentences in the run.
        pub sentences: u32,
        /// Mean compound score of those sentences.
        pub mean_compound: f64,
        /// The smoothed arc at this point: a centred rolling mean of sentence scores over a window of a tenth of the
        /// document's sentences (shrinking at the ends, never wrapping), averaged over the run.
        pub smoothed: f64,
    }
}

table! {
    /// `themes.csv`: one row per document × theme, in lexicon order (zero counts included).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ThemeRow in "themes.csv" {
        /// Document id; empty in a group's rows.
        pub document: String,
        /// Its `--group-by` group (the group summed, in a group's rows); empty without `--group-by`.
        pub group: String,
        /// The theme's key (`memory`).
        pub theme: String,
        /// Its label (`Memory and nostalgia`).
        pub label: String,
        /// Words (or phrases) of the document that name the theme; one per concordance row.
        pub count: u32,
        /// Occurrences per 10,000 words of the document.
        pub per_10k: f64,
        /// How many of the theme's lexicon terms occur.
        pub distinct_terms: u32,
        /// The ten most frequent matched forms (normalised) with counts, most frequent first: `memory:2|memories:2`.
        pub top_terms: String,
    }
}

table! {
    /// `theme_terms.csv`: one row per document × theme × lexicon term × matched form.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ThemeTermRow in "theme_terms.csv" {
        /// Document id.
        pub document: String,
        /// The theme's key.
        pub theme: String,
        /// The lexicon entry as written (`remember`, `nostalgi*`, `soft-focus memories`).
        pub term: String,
        /// The normalised form it matched (`remembered`, `nostalgic`, `soft focus memories`).
        pub form: String,
        /// Occurrences.
        pub count: u32,
    }
}

table! {
    /// `theme_trend.csv`: where in the text each theme lives.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ThemeTrendRow in "theme_trend.csv" {
        /// Document id.
        pub document: String,
        /// The theme's key.
        pub theme: String,
        /// 1..N: the text cut into N runs of (nearly) equal numbers of words.
        pub segment: u32,
        /// Byte offset where the segment's first word starts.
        pub segment_start_byte: usize,
        /// Byte offset just past the segment's last word.
        pub segment_end_byte: usize,
        /// Words in the segment.
        pub tokens: u32,
        /// Occurrences of the theme starting in the segment.
        pub count: u32,
        /// Occurrences per 10,000 words of the segment.
        pub per_10k: f64,
    }
}

table! {
    /// `theme_sentiment.csv`: for each document × theme × segment it occurs in (as `theme_trend.csv` cuts the
    /// text), the sentiment of the sentences that name the theme. Empty when sentences are not scored.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ThemeSentimentRow in "theme_sentiment.csv" {
        /// Document id.
        pub document: String,
        /// The theme's key.
        pub theme: String,
        /// The segment, as in `theme_trend.csv` (with `--segments chapters`, the chapter's `chapter_id`).
        pub segment: u32,
        /// Occurrences of the theme in the segment (its `count` in `theme_trend.csv`).
        pub count: u32,
        /// Occurrences in positive sentences (compound ≥ 0.05).
        pub positive: u32,
        /// Occurrences in neutral sentences (between −0.05 and 0.05).
        pub neutral: u32,
        /// Occurrences in negative sentences (compound ≤ −0.05).
        pub negative: u32,
        /// Distinct sentences naming the theme in the segment.
        pub sentences: u32,
        /// Mean compound of those sentences (each counted once).
        pub mean_compound: f64,
        /// The `sentence_id` of the most positive of them, if one is positive (the first, on a tie).
        pub most_positive_sentence: Option<u32>,
        /// The `sentence_id` of the most negative of them, if one is negative (the first, on a tie).
        pub most_negative_sentence: Option<u32>,
    }
}

table! {
    /// `concordance.csv`: one row per theme occurrence, keyword in context.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ConcordanceRow<'a> in "concordance.csv" {
        /// Document id.
        pub document: &'a str,
        /// The theme's key (for `marginalia kwic`, the query term).
        pub theme: &'a str,
        /// The lexicon entry that matched.
        pub term: &'a str,
        /// The sentence the keyword is in.
        pub sentence_id: u32,
        /// Byte offset of the keyword's first character.
        pub start_byte: usize,
        /// Byte offset just past its last character; `text[start_byte..end_byte]` is `keyword`.
        pub end_byte: usize,
        /// Up to `--context` words before the keyword (never before the document's start), whitespace collapsed.
        pub left: Cow<'a, str>,
        /// The keyword exactly as written.
        pub keyword: &'a str,
        /// Up to `--context` words after the keyword (never past the document's end), whitespace collapsed.
        pub right: Cow<'a, str>,
    }
}

table! {
    /// `quotes.csv`: one row per quotation, in order of their opening marks.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct QuoteRow<'a> in "quotes.csv" {
        /// Document id.
        pub document: &'a str,
        /// 1-based position of the quotation's opening mark among the document's quotations.
        pub quote_id: u32,
        /// The quotation it stands inside, or empty at the top level.
        pub parent_id: Option<u32>,
        /// 0 at the top level, 1 inside another quotation, and so on.
        pub depth: u32,
        /// Byte offset of the text inside the marks.
        pub start_byte: usize,
        /// Byte offset just past it; `text[start_byte..end_byte]` is `text`.
        pub end_byte: usize,
        /// The sentence the quotation opens in.
        pub sentence_id: Option<u32>,
        /// The paragraph it opens in (a speech continued over paragraphs is one quotation).
        pub paragraph_id: Option<u32>,
        /// The innermost chapter it opens in (`chapters.csv`).
        pub chapter_id: Option<u32>,
        /// The opening mark (`“`, `‘`, `"`, `«`, `„`, `「`, …).
        pub open_mark: &'a str,
        /// The closing mark.
        pub close_mark: &'a str,
        /// The text inside the marks, exactly.
        pub text: &'a str,
        /// The text with whitespace collapsed and trimmed and trailing `, . ; : ! ?` removed (`Gallery,` → `Gallery`).
        pub phrase: Cow<'a, str>,
        /// Words inside the marks.
        pub words: usize,
        /// `term` (one or two words in scare quotes), `phrase` (a longer quotation inside a sentence) or `dialogue`
        /// (speech with a speech verb, or standing as its own clause).
        pub kind: &'static str,
        /// Who its tag says says it: the subject of a speech verb beside the quotation in its paragraph, as written
        /// (`Mr. John Knightley`, `the old lady`, `she`, `one guardian`), or empty.
        pub speaker: String,
        /// That speech verb as written (`said`, `says`, `asked`, `went on`'s `went`), or empty.
        pub speech_verb: &'a str,
        /// The character who speaks, by name (the main name in `characters.csv`, or the name the tag gives), for a
        /// top-level quotation whose speaker could be resolved; empty otherwise.
        pub character: String,
        /// The rule that named the character: `tag`, `pronoun`, `inherited`, `paragraph`, `narration` or `turn`;
        /// empty with no character.
        pub attribution: &'static str,
        /// The sentence the quotation opens in; in a sentence over 1,000 bytes (a text without full stops), the 250
        /// bytes either side of the opening mark.
        pub context: &'a str,
    }
}

table! {
    /// `characters.csv`: the characters of a document — the people its narration names, clustered by rule, and
    /// those its speech tags name — with how much each speaks. Most words spoken first.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CharacterRow in "characters.csv" {
        /// Document id.
        pub document: String,
        /// The character's main name: the most frequent full form of its names, title kept (`Mr. Knightley`); the
        /// `character` of its rows in `quotes.csv`.
        pub character: String,
        /// Every name the character goes by in the text, most frequent first, `|`-joined (`Emma|Emma Woodhouse|Miss
        /// Woodhouse`).
        pub aliases: String,
        /// `female` or `male` where a title (`Mrs.`, `Mr.`) or the pronouns that follow its mentions show it, else
        /// empty.
        pub gender: &'static str,
        /// Times the text names the character (by any alias, in narration and in speech).
        pub mentions: usize,
        /// Top-level quotations given to the character (any `attribution`).
        pub quotations: usize,
        /// Words inside those quotations.
        pub words_spoken: usize,
        /// Mean VADER compound score (−1 to 1) of those quotations' texts; empty when the character never speaks.
        pub mean_compound: Option<f64>,
        /// The character's ten most frequent words in those quotations, stopwords left out, most frequent first,
        /// space-separated (ties in alphabetical order).
        pub top_words: String,
    }
}

table! {
    /// `voices.csv`: the narrator's voice against the characters' — for each document, each of its chapters and
    /// each group, one row for its narration and one for its dialogue (the words inside top-level quotations).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct VoiceRow in "voices.csv" {
        /// Document id; empty in a group's rows.
        pub document: String,
        /// The chapter (`chapter_id` in `chapters.csv`); empty in a whole document's or a group's rows.
        pub chapter_id: Option<u32>,
        /// The `--group-by` group (the group summed, in a group's rows); empty without `--group-by`.
        pub group: String,
        /// `narration` or `dialogue`.
        pub voice: &'static str,
        /// Words in this voice.
        pub words: usize,
        /// Its share of the document's (chapter's, group's) words; the two rows add up to 1.
        pub share: Option<f64>,
        /// Passages scored: top-level quotations (dialogue), or runs of narration within a sentence.
        pub passages: usize,
        /// Mean compound of those passages, each scored whole; empty when none is scored.
        pub mean_compound: Option<f64>,
        /// Distinct normalised forms / words; empty with no words, and in a group's rows.
        pub type_token_ratio: Option<f64>,
        /// MATTR over the voice's words in text order (windows of 100); empty with fewer words, and in a group's
        /// rows.
        pub mattr: Option<f64>,
        /// Share of its words that are not stopwords; empty with no words.
        pub lexical_density: Option<f64>,
    }
}

table! {
    /// `voice_themes.csv`: each theme and tone category in each voice (as `voices.csv` has them), so that what
    /// the characters speak of sets beside what the narrator does.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct VoiceThemeRow in "voice_themes.csv" {
        /// Document id; empty in a group's rows.
        pub document: String,
        /// The chapter; empty in a whole document's or a group's rows.
        pub chapter_id: Option<u32>,
        /// The `--group-by` group; empty without `--group-by`.
        pub group: String,
        /// `narration` or `dialogue`.
        pub voice: &'static str,
        /// `theme` (a category of the theme lexicon) or `tone` (of the tone lexicon).
        pub kind: &'static str,
        /// The category's key (`memory`, `irony`).
        pub category: String,
        /// Occurrences (theme terms, or tone markers) in this voice.
        pub count: u32,
        /// Occurrences per 10,000 words of this voice.
        pub per_10k: f64,
    }
}

table! {
    /// `ngrams.csv`: runs of n words that recur inside sentences, per document and, in runs over two or more
    /// documents, over the whole corpus.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct NgramRow in "ngrams.csv" {
        /// Document id; empty in the corpus rows (all documents together), which follow the documents' rows.
        pub document: String,
        /// Words in the n-gram.
        pub n: usize,
        /// The normalised forms joined by a space (`quiet horror`).
        pub ngram: String,
        /// Occurrences (never across a sentence boundary).
        pub count: u32,
        /// Occurrences per 10,000 words of the document (of the corpus in corpus rows).
        pub per_10k: f64,
        /// Corpus rows: how many documents contain the n-gram at least once. Empty in a document's rows.
        pub documents: Option<u32>,
    }
}

table! {
    /// `metadata.csv`: the other columns of a table's rows, one row per document × column, in the table's order.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct MetadataRow<'a> in "metadata.csv" {
        /// Document id.
        pub document: &'a str,
        /// The column's name (JSONL: the key).
        pub column: &'a str,
        /// Its value as written (JSONL: numbers and booleans as written, null empty, lists and objects as JSON).
        pub value: &'a str,
    }
}

table! {
    /// `corpus_vocabulary.csv`: every stem of the corpus (runs over two or more documents).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CorpusVocabularyRow in "corpus_vocabulary.csv" {
        /// The Snowball stem.
        pub stem: String,
        /// Its most frequent normalised form in the corpus.
        pub term: String,
        /// Occurrences in the corpus.
        pub count: u64,
        /// Documents holding it.
        pub documents: u32,
        /// Occurrences per 10,000 words of the corpus.
        pub per_10k: f64,
    }
}

table! {
    /// `keyness.csv`: the words a document (or group) uses more, or less, than the rest of the corpus.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct KeynessRow in "keyness.csv" {
        /// The document compared; empty in a group's rows.
        pub document: String,
        /// Its `--group-by` group (the group compared, in a group's rows); empty without `--group-by`.
        pub group: String,
        /// The Snowball stem.
        pub stem: String,
        /// Its most frequent normalised form in the corpus.
        pub term: String,
        /// Occurrences in the document (or group).
        pub count: u64,
        /// Occurrences in the rest of the corpus.
        pub reference_count: u64,
        /// Log-likelihood G² of the 2×2 table, uncorrected; above 3.84 is p < 0.05, above 10.83 p < 0.001.
        pub g2: f64,
        /// log₂ of the ratio of relative frequencies (a zero count taken as 0.5): positive for overuse.
        pub log_ratio: f64,
    }
}

table! {
    /// `similarity.csv`: how alike two documents' most frequent words are, one row per pair and measure.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct SimilarityRow in "similarity.csv" {
        /// The document of the pair that comes first in the run.
        pub document_a: String,
        /// The other document.
        pub document_b: String,
        /// `cosine` (similarity: 1 alike), `burrows_delta` or `eder_delta` (distances: 0 alike).
        pub measure: String,
        /// The measure over the `--mfw` most frequent words, to 4 decimals.
        pub value: f64,
    }
}

table! {
    /// `collocations.csv`: the words found near a node term, within a window inside the sentence, with four
    /// association measures. The contingency table behind them: `observed` co-occurrences, the words in the node's
    /// windows, `collocate_count`, and the document's words.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct CollocationRow in "collocations.csv" {
        /// Document id.
        pub document: String,
        /// The node term as written in the lexicon or on the command line (`memor*`, `told and not told`).
        pub node: String,
        /// The collocate: a normalised word form found in the node's windows.
        pub collocate: String,
        /// Words looked at left and right of the node, `L,R` (`4,4`); windows stop at the sentence's edges.
        pub window: String,
        /// Occurrences of the node in the document.
        pub node_count: u32,
        /// Occurrences of the collocate anywhere in the document.
        pub collocate_count: u32,
        /// O: occurrences of the collocate inside the node's windows (a word in two overlapping windows counts once).
        pub observed: u32,
        /// E: occurrences expected by chance, (words in the node's windows) × collocate_count / (words in document).
        pub expected: f64,
        /// Pointwise mutual information, log2(O / E) (Church & Hanks 1990, E adjusted for the window as in Evert
        /// 2008). Inflated for rare pairs.
        pub mi: f64,
        /// t-score, (O − E) / √O (Church et al. 1991, as in Evert 2005). Favours frequent pairs.
        pub t_score: f64,
        /// logDice, 14 + log2(2·O / (node_count + collocate_count)) (Rychlý 2008): 14 when the two always occur
        /// together, lower the weaker the bond; comparable across documents of any size.
        pub log_dice: f64,
        /// Log-likelihood G², 2 Σ O·ln(O/E) over the 2×2 contingency table (Dunning 1993); above 3.84 is p < 0.05,
        /// above 10.83 is p < 0.001.
        pub g2: f64,
    }
}

table! {
    /// `provenance.csv`: where each quotation comes from in the `--source` texts, one row per quotation (per part,
    /// for one cut with ellipses).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ProvenanceRow<'a> in "provenance.csv" {
        /// Document id.
        pub document: &'a str,
        /// The quotation's `quote_id` in `quotes.csv`.
        pub quote_id: u32,
        /// 1, or the part's place among the parts of a quotation cut with ellipses.
        pub part: u32,
        /// The quotation (or part) from its first letter or digit to its last: what was looked for.
        pub text: &'a str,
        /// The id of the source it was found in (for a term, the one it occurs in most); empty when none.
        pub source: &'a str,
        /// Byte offset of the passage in the source; empty for a term or when not found.
        pub source_start_byte: Option<usize>,
        /// Byte offset just past it (`source[source_start_byte..source_end_byte]` is `source_text`).
        pub source_end_byte: Option<usize>,
        /// The innermost chapter of the source it starts in, when the source has chapter headings.
        pub chapter_id: Option<u32>,
        /// `exact`, `normalised`, `ellipsis`, `fuzzy`, `term` or `none`.
        pub r#match: &'static str,
        /// 1 for a passage found whole or by its parts, a fuzzy match's word similarity (0–1, 4 decimals); empty
        /// for a term or when not found.
        pub similarity: Option<f64>,
        /// For a term, how many times it occurs in the source (normalised, as whole words); else empty.
        pub count: Option<u64>,
        /// The passage of the source, exactly.
        pub source_text: &'a str,
    }
}

table! {
    /// `quoted_passages.csv`: the passages of the sources the corpus quotes, overlapping quotations merged.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct QuotedPassageRow in "quoted_passages.csv" {
        /// The source's id.
        pub source: String,
        /// Byte offset of the passage in the source.
        pub source_start_byte: usize,
        /// Byte offset just past it.
        pub source_end_byte: usize,
        /// The innermost chapter of the source it starts in, when the source has chapter headings.
        pub chapter_id: Option<u32>,
        /// How many documents quote it.
        pub reviews: usize,
        /// How many quotations quote it (the parts of one cut with ellipses count once).
        pub quotations: usize,
        /// The passage, exactly.
        pub source_text: String,
    }
}

/// A column's name: the field's, without the `r#` of a keyword (`match`).
const fn column_name(field: &'static str) -> &'static str {
    match field.as_bytes() {
        [b'r', b'#', ..] => field.split_at(2).1,
        _ => field,
    }
}

/// Rounds to 4 decimals, the precision every ratio in the tables is given to.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// `count` per 10,000 of `tokens`, to 4 decimals; 0 for a text without words.
pub fn per_10k(count: usize, tokens: usize) -> f64 {
    if tokens == 0 { 0.0 } else { round4(count as f64 * 10_000.0 / tokens as f64) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Serialises a default row and checks the header serde's derive writes against `COLUMNS`, which `table!`
    /// builds separately, with `stringify!`, and the row writer's header and row against serde's.
    fn check<R: Row + Default>() {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(R::default()).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        assert_eq!(header, R::COLUMNS, "{}", R::FILE);
        // The row writer writes the same cells in the same order.
        let mut sink = crate::report::csv::CsvSink::<Vec<u8>, R>::new(Vec::new(), crate::report::cells::Cells::Raw);
        sink.write(&R::default()).unwrap();
        assert_eq!(String::from_utf8(sink.finish().unwrap()).unwrap(), text, "{}", R::FILE);
    }

    #[test]
    fn columns_match_the_fields() {
        check::<DocumentRow>();
        check::<ChapterRow>();
        check::<VocabularyRow>();
        check::<SentenceRow>();
        check::<ToneMarkerRow>();
        check::<ToneRow>();
        check::<ArcRow>();
        check::<ThemeRow>();
        check::<ThemeTermRow>();
        check::<ThemeTrendRow>();
        check::<ThemeSentimentRow>();
        check::<ConcordanceRow>();
        check::<QuoteRow>();
        check::<CharacterRow>();
        check::<VoiceRow>();
        check::<VoiceThemeRow>();
        check::<NgramRow>();
        check::<MetadataRow>();
        check::<CorpusVocabularyRow>();
        check::<KeynessRow>();
        check::<SimilarityRow>();
        check::<CollocationRow>();
        check::<ProvenanceRow>();
        check::<QuotedPassageRow>();
    }
}
