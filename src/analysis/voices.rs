//! `voices.csv` and `voice_themes.csv`: a novel's two voices set side by side — the narration, and the dialogue
//! (the words inside top-level quotations) — for the whole document and for each chapter: how much of the text
//! each is, its sentiment, its vocabulary, and the themes and tones it names.

use serde::{Deserialize, Serialize};

use crate::analysis::stats::{MATTR_WINDOW, moving_ttr};
use crate::lexicon::{Hit, Lexicon};
use crate::report::schema::{VoiceRow, VoiceThemeRow, per_10k, round4};
use crate::text::{Document, Span};

/// The two voices, in the order their rows are written.
pub const VOICES: [&str; 2] = ["narration", "dialogue"];

/// What the voice analysis reads of one document, found by the others.
#[derive(Debug, Clone, Copy)]
pub struct VoiceInput<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The inner spans of the top-level quotations (marks excluded), in text order: the dialogue.
    pub dialogue: &'a [Span],
    /// Each top-level quotation's compound (as `dialogue`); `None` when not scored.
    pub dialogue_compounds: &'a [Option<f64>],
    /// Each sentence's compound; empty when sentences are not scored.
    pub sentence_compounds: &'a [f64],
    /// The theme lexicon.
    pub themes: &'a Lexicon,
    /// Its occurrences, in text order.
    pub theme_hits: &'a [Hit],
    /// The tone lexicon.
    pub tones: &'a Lexicon,
    /// Its markers, in text order (a marker of two categories twice).
    pub tone_marks: &'a [ToneMark],
}

/// A tone marker as (start byte, category): 8 bytes, since a text dense with tone words has one for most of its
/// words, all held until its voices are summed (documents are at most 4 GiB, so a byte offset fits in 32 bits).
pub type ToneMark = (u32, u32);

/// What one voice adds up to in a text: summed over documents for a group's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceSums {
    /// Words.
    pub words: usize,
    /// Words that are not stopwords.
    pub content: usize,
    /// Passages scored.
    pub passages: usize,
    /// The sum of their compounds in ten-thousandths (exact, whatever the order they are added in).
    pub compound: i64,
    /// Occurrences of each theme, in lexicon order.
    pub themes: Vec<u32>,
    /// Occurrences of each tone category, in lexicon order.
    pub tones: Vec<u32>,
}

impl VoiceSums {
    /// Adds another text's sums of the same voice.
    pub fn add(&mut self, other: &VoiceSums) {
        self.words += other.words;
        self.content += other.content;
        self.passages += other.passages;
        self.compound += other.compound;
        add_counts(&mut self.themes, &other.themes);
        add_counts(&mut self.tones, &other.tones);
    }
}

fn add_counts(to: &mut Vec<u32>, from: &[u32]) {
    to.resize(to.len().max(from.len()), 0);
    to.iter_mut().zip(from).for_each(|(a, b)| *a += b);
}

/// A document's voice tables, and its sums of each voice (for its group).
#[derive(Debug, Default)]
pub struct VoiceTables {
    /// Rows of `voices.csv`.
    pub voices: Vec<VoiceRow>,
    /// Rows of `voice_themes.csv`.
    pub themes: Vec<VoiceThemeRow>,
    /// The whole document's sums of each voice, as [`VOICES`].
    pub sums: [VoiceSums; 2],
}

/// The rows of `voices.csv` and `voice_themes.csv` for the whole document, then for each of `chapters` (its
/// `chapter_id` and span). `score` gives a passage of narration its compound (`None` when nothing is scored).
pub fn voice_tables(input: &VoiceInput, chapters: &[(u32, Span)], score: impl Fn(Span) -> Option<f64>) -> VoiceTables {
    let passages = Passages::of(input, score);
    let mut scratch = Scratch::new(input);
    let whole = Span { start: 0, end: input.doc.text.len() };
    let mut tables = VoiceTables::default();
    let themes: Vec<&str> = input.themes.categories.iter().map(|c| c.key.as_str()).collect();
    let tones: Vec<&str> = input.tones.categories.iter().map(|c| c.key.as_str()).collect();
    let scopes = std::iter::once((None, whole)).chain(chapters.iter().map(|&(id, span)| (Some(id), span)));
    for (chapter_id, span) in scopes {
        let (sums, diversity) = scratch.sums(input, &passages, span);
        let (document, group) = (&input.doc.id, &input.doc.group);
        let scope = Scope { document, chapter_id, group, themes: &themes, tones: &tones };
        scope.push_rows(&sums, diversity, &mut tables);
        if chapter_id.is_none() {
            tables.sums = sums;
        }
    }
    tables
}

/// A voice's type-token ratio and MATTR in a text (`None` for a group's rows, and where they cannot be computed).
pub type Diversity = (Option<f64>, Option<f64>);

/// Where a set of rows belongs, and the keys of the theme and tone categories their sums count.
pub struct Scope<'a> {
    /// Document id (empty for a group).
    pub document: &'a str,
    /// The chapter's id, if the rows are a chapter's.
    pub chapter_id: Option<u32>,
    /// The group.
    pub group: &'a str,
    /// The theme keys, in lexicon order.
    pub themes: &'a [&'a str],
    /// The tone category keys, in lexicon order.
    pub tones: &'a [&'a str],
}

impl Scope<'_> {
    /// Its two rows of `voices.csv` and its rows of `voice_themes.csv`, from its sums of each voice and, for a
    /// text (not a group), each voice's TTR and MATTR.
    pub fn push_rows(&self, sums: &[VoiceSums; 2], diversity: [Diversity; 2], to: &mut VoiceTables) {
        let total = sums[0].words + sums[1].words;
        for ((voice, sums), (ttr, mattr)) in VOICES.into_iter().zip(sums).zip(diversity) {
            let share = |n: usize, of: usize| (of > 0).then(|| round4(n as f64 / of as f64));
            to.voices.push(VoiceRow {
                document: self.document.to_string(),
                chapter_id: self.chapter_id,
                group: self.group.to_string(),
                voice,
                words: sums.words,
                share: share(sums.words, total),
                passages: sums.passages,
                mean_compound: (sums.passages > 0)
                    .then(|| round4(sums.compound as f64 / 10_000.0 / sums.passages as f64)),
                type_token_ratio: ttr,
                mattr,
                lexical_density: share(sums.content, sums.words),
            });
            let themes = self.themes.iter().zip(&sums.themes).map(|(key, &n)| ("theme", key, n));
            let tones = self.tones.iter().zip(&sums.tones).map(|(key, &n)| ("tone", key, n));
            for (kind, key, count) in themes.chain(tones) {
                to.themes.push(VoiceThemeRow {
                    document: self.document.to_string(),
                    chapter_id: self.chapter_id,
                    group: self.group.to_string(),
                    voice,
                    kind,
                    category: key.to_string(),
                    count,
                    per_10k: per_10k(count as usize, sums.words),
                });
            }
        }
    }
}

/// Every scored passage of each voice, as (start byte, compound in ten-thousandths), in text order.
struct Passages([Vec<(usize, i64)>; 2]);

impl Passages {
    fn of(input: &VoiceInput, score: impl Fn(Span) -> Option<f64>) -> Passages {
        let ten_thousandths = |c: f64| (c * 10_000.0).round() as i64;
        let dialogue = (input.dialogue.iter().zip(input.dialogue_compounds))
            .filter_map(|(span, c)| c.map(|c| (span.start, ten_thousandths(c))))
            .collect();
        let mut narration = Vec::new();
        if !input.sentence_compounds.is_empty() {
            let mut q = 0;
            for (s, sentence) in input.doc.sentences.iter().enumerate() {
                while q < input.dialogue.len() && input.dialogue[q].end <= sentence.span.start {
                    q += 1;
                }
                let inside = input.dialogue[q..].iter().take_while(|d| d.start < sentence.span.end);
                let runs = narration_runs(input.doc, sentence.span, inside);
                if runs.len() == 1 && runs[0] == sentence.span {
                    // A sentence without quotations: its own score.
                    narration.push((sentence.span.start, ten_thousandths(input.sentence_compounds[s])));
                } else {
                    narration.extend(runs.into_iter().filter_map(|r| score(r).map(|c| (r.start, ten_thousandths(c)))));
                }
            }
        }
        Passages([narration, dialogue])
    }

    /// The number and compound sum of one voice's passages starting in `span`.
    fn in_span(&self, voice: usize, span: Span) -> (usize, i64) {
        let list = &self.0[voice];
        let first = list.partition_point(|p| p.0 < span.start);
        let end = list.partition_point(|p| p.0 < span.end);
        (end - first, list[first..end].iter().map(|p| p.1).sum())
    }
}

/// The parts of `sentence` outside the quotations `inside` that hold a word.
fn narration_runs<'s>(doc: &Document, sentence: Span, inside: impl Iterator<Item = &'s Span>) -> Vec<Span> {
    let mut runs = Vec::new();
    let mut start = sentence.start;
    for quote in inside {
        runs.push(Span { start, end: quote.start.max(start) });
        start = quote.end.max(start);
    }
    runs.push(Span { start, end: sentence.end.max(start) });
    runs.retain(|r| has_word(doc, *r));
    runs
}

fn has_word(doc: &Document, span: Span) -> bool {
    let first = doc.tokens.partition_point(|t| t.start() < span.start);
    doc.tokens.get(first).is_some_and(|t| t.start() < span.end)
}

/// Buffers reused from scope to scope.
struct Scratch {
    /// Each word's voice (an index into [`VOICES`]): found once, read by every scope holding the word.
    voices: Vec<u8>,
    /// Each voice's forms in text order, for TTR and MATTR.
    forms: [Vec<u32>; 2],
    /// The last scope × voice each form was seen in: distinct forms are counted without clearing a set.
    seen: Vec<u32>,
    stamp: u32,
}

impl Scratch {
    fn new(input: &VoiceInput) -> Self {
        let doc = input.doc;
        let mut dialogue = Dialogue::new(input.dialogue);
        let voices = doc.tokens.iter().map(|t| dialogue.at(t.start()) as u8).collect();
        Scratch { voices, forms: [Vec::new(), Vec::new()], seen: vec![0; doc.forms.len()], stamp: 0 }
    }

    /// Each voice's sums in `span`, and its TTR and MATTR.
    fn sums(&mut self, input: &VoiceInput, passages: &Passages, span: Span) -> ([VoiceSums; 2], [Diversity; 2]) {
        let doc = input.doc;
        let mut sums: [VoiceSums; 2] = Default::default();
        self.forms.iter_mut().for_each(Vec::clear);
        let first = doc.tokens.partition_point(|t| t.start() < span.start);
        let end = doc.tokens.partition_point(|t| t.start() < span.end);
        for (t, &v) in doc.tokens[first..end].iter().zip(&self.voices[first..end]) {
            let v = usize::from(v);
            sums[v].words += 1;
            sums[v].content += usize::from(!doc.forms[t.form() as usize].stopword);
            self.forms[v].push(t.form());
        }
        for (v, s) in sums.iter_mut().enumerate() {
            (s.passages, s.compound) = passages.in_span(v, span);
            s.themes = vec![0; input.themes.categories.len()];
            s.tones = vec![0; input.tones.categories.len()];
        }
        let hits = &input.theme_hits[input.theme_hits.partition_point(|h| h.first_token < first)..];
        for hit in hits.iter().take_while(|h| h.first_token < end) {
            sums[usize::from(self.voices[hit.first_token])].themes[hit.term.category] += 1;
        }
        let marks = &input.tone_marks[input.tone_marks.partition_point(|m| (m.0 as usize) < span.start)..];
        let mut voice_of_mark = Dialogue::new(input.dialogue);
        for &(at, category) in marks.iter().take_while(|m| (m.0 as usize) < span.end) {
            sums[voice_of_mark.at(at as usize)].tones[category as usize] += 1;
        }
        (sums, [self.diversity(0), self.diversity(1)])
    }

    /// A voice's TTR and MATTR in the scope just summed.
    fn diversity(&mut self, voice: usize) -> Diversity {
        self.stamp += 1;
        let forms = &self.forms[voice];
        let mut distinct = 0;
        for &f in forms {
            let seen = &mut self.seen[f as usize];
            distinct += usize::from(*seen != self.stamp);
            *seen = self.stamp;
        }
        let ttr = (!forms.is_empty()).then(|| round4(distinct as f64 / forms.len() as f64));
        let mattr = moving_ttr(forms.len(), self.seen.len(), MATTR_WINDOW, |i| forms[i] as usize).map(round4);
        (ttr, mattr)
    }
}

/// Which voice a byte is in, asked in text order: 1 (dialogue) inside one of the spans, else 0.
#[derive(Debug, Clone)]
struct Dialogue<'a> {
    spans: &'a [Span],
    next: usize,
}

impl<'a> Dialogue<'a> {
    fn new(spans: &'a [Span]) -> Self {
        Dialogue { spans, next: 0 }
    }

    fn at(&mut self, byte: usize) -> usize {
        if self.next == 0 {
            // The first question may come from the middle of the text (a chapter's first word).
            self.next = self.spans.partition_point(|s| s.end <= byte);
        }
        while self.spans.get(self.next).is_some_and(|s| s.end <= byte) {
            self.next += 1;
        }
        usize::from(self.spans.get(self.next).is_some_and(|s| s.start <= byte && byte < s.end))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::quotes::quotes;
    use crate::sentiment::vader::polarity_scores;
    use crate::text::Pipeline;

    const TEXT: &str = "She said, \"I am happy here.\" The rain fell. \"Go away,\" he cried, \"and never come back.\"";

    /// The voice tables of `TEXT`, cut into `chapters`, with the theme "rain" and the tone "happiness".
    fn tables(chapters: &[(u32, Span)]) -> VoiceTables {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", TEXT);
        let themes = Lexicon::parse_toml("[weather]\nterms = [\"rain\"]\n", Path::new("t.toml")).unwrap().0;
        let tones = Lexicon::parse_toml("[joy]\nterms = [\"happy\"]\n", Path::new("t.toml")).unwrap().0;
        let theme_hits = themes.compile(&pipeline).find(&doc);
        let tone_marks: Vec<ToneMark> = (tones.compile(&pipeline).find(&doc).iter())
            .map(|h| (h.span(&doc).start as u32, h.term.category as u32))
            .collect();
        let found = quotes(&doc);
        let dialogue: Vec<Span> =
            found.top_level().iter().map(|q| Span { start: q.open.end, end: q.close.start }).collect();
        let score = |span: Span| Some(polarity_scores(span.of(&doc.text)).compound);
        let dialogue_compounds: Vec<Option<f64>> = dialogue.iter().map(|&s| score(s)).collect();
        let sentence_compounds: Vec<f64> = doc.sentences.iter().map(|s| score(s.span).unwrap()).collect();
        let input = VoiceInput {
            doc: &doc,
            dialogue: &dialogue,
            dialogue_compounds: &dialogue_compounds,
            sentence_compounds: &sentence_compounds,
            themes: &themes,
            theme_hits: &theme_hits,
            tones: &tones,
            tone_marks: &tone_marks,
        };
        voice_tables(&input, chapters, score)
    }

    #[test]
    fn words_passages_and_scores_are_split_by_voice() {
        let t = tables(&[]);
        let (narration, dialogue) = (&t.voices[0], &t.voices[1]);
        // By hand: "She said", "The rain fell", "he cried" against the three speeches.
        assert_eq!((narration.voice, narration.words, dialogue.words), ("narration", 7, 10));
        assert_eq!((narration.share, dialogue.share), (Some(round4(7.0 / 17.0)), Some(round4(10.0 / 17.0))));
        // Each speech scored whole; narration in runs: "She said, \"", the second sentence, ", \" he cried, \"".
        assert_eq!((narration.passages, dialogue.passages), (3, 3));
        let mean = |texts: &[&str]| {
            let sum: f64 = texts.iter().map(|t| polarity_scores(t).compound).sum();
            Some(round4(sum / texts.len() as f64))
        };
        assert_eq!(dialogue.mean_compound, mean(&["I am happy here.", "Go away,", "and never come back."]));
        assert_eq!(narration.mean_compound, mean(&["She said, \"", "The rain fell.", "\" he cried, \""]));
        assert!(dialogue.mean_compound.unwrap() > 0.0, "{:?}", dialogue.mean_compound);
        assert_eq!(dialogue.type_token_ratio, Some(1.0));
        // The theme in the narration, the tone in the dialogue.
        let counts: Vec<(&str, &str, u32)> = t.themes.iter().map(|r| (r.voice, r.category.as_str(), r.count)).collect();
        assert_eq!(
            counts,
            [("narration", "weather", 1), ("narration", "joy", 0), ("dialogue", "weather", 0), ("dialogue", "joy", 1)]
        );
    }

    #[test]
    fn chapters_rows_add_up_to_the_documents() {
        let cut = TEXT.find("The rain").unwrap();
        let chapters = [(1, Span { start: 0, end: cut }), (2, Span { start: cut, end: TEXT.len() })];
        let t = tables(&chapters);
        assert_eq!(t.voices.len(), 2 * 3);
        for v in 0..2 {
            let whole = &t.voices[v];
            let (a, b) = (&t.voices[2 + v], &t.voices[4 + v]);
            assert_eq!((a.chapter_id, b.chapter_id), (Some(1), Some(2)));
            assert_eq!(a.words + b.words, whole.words);
            assert_eq!(a.passages + b.passages, whole.passages);
        }
        assert_eq!((t.voices[2].words, t.voices[3].words), (2, 4));
        assert_eq!(t.sums[1].words, 10);
    }
}
