//! The segmented document every analysis reads: built once, never mutated.

use std::sync::atomic::{AtomicU64, Ordering};

use indexmap::IndexSet;
use rust_stemmers::Stemmer;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::input::{MAX_DOCUMENT_BYTES, Source};
use crate::text::chapters::{ChapterRule, Chapters};
use crate::text::language::Language;
use crate::text::normalize::{is_plain_lowercase, normalize_into};
use crate::text::segment::{self, Layout, Segmenter, Span};
use crate::text::speech_verbs::SpeechVerbs;
use crate::text::stopwords::Stopwords;
use crate::text::words::{self, NOT_KEPT, Word, Words};
use crate::vecs::{give_back_spare, grow_by_quarter};

/// A paragraph: a span of the text holding at least one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    /// Where it is in the text.
    pub span: Span,
}

/// A sentence: a span of the text holding at least one word, inside one paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is in the text.
    pub span: Span,
    /// Index into [`Document::paragraphs`].
    pub paragraph: u32,
    /// Its words are `tokens[first_token..end_token]`.
    pub first_token: u32,
    /// One past its last token.
    pub end_token: u32,
    /// Index into [`Document::chapters`] of the innermost chapter it starts in.
    pub chapter: u32,
}

impl Sentence {
    /// How many words the sentence has.
    pub fn words(&self) -> usize {
        (self.end_token - self.first_token) as usize
    }
}

/// One word occurrence: where it starts and its form, in 8 bytes (a novel has a token every five or six bytes, so
/// its tokens are most of its memory). Where it ends is found by [`Document::span`]: almost every token is as
/// long as its form's first ([`Form::len`]), and the document keeps the ends of the few that are not. Offsets take
/// 32 bits: a document is at most [`MAX_DOCUMENT_BYTES`]. Its sentence is found by [`Document::sentence_of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    start: u32,
    /// Its form, with [`ODD_LENGTH`] set when its end is kept in [`Document::odd_ends`].
    form: u32,
}

// A novel concatenated into one file has a hundred million tokens: their size is most of its memory.
const _: () = assert!(std::mem::size_of::<Token>() == 8);

/// The bit of [`Token::form`] marking a token whose length is not its form's. Form ids never reach it: 2³¹
/// distinct words would take more than [`MAX_DOCUMENT_BYTES`] of text.
const ODD_LENGTH: u32 = 1 << 31;

impl Token {
    /// Index into [`Document::forms`]: its normalised form.
    pub fn form(&self) -> u32 {
        self.form & !ODD_LENGTH
    }

    /// The byte offset where it starts; [`Document::span`] gives its end too.
    pub fn start(&self) -> usize {
        self.start as usize
    }
}

/// A distinct normalised form (lowercase, apostrophes folded), stemmed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The normalised form (`ishiguro's`).
    pub norm: Box<str>,
    /// Index into [`Document::stems`].
    pub stem: u32,
    /// True if the form is in the stopword list.
    pub stopword: bool,
    /// True if the form is in the speech-verb list (`said`, `asked`): a quotation's tag is read around one.
    pub speech_verb: bool,
    /// How many tokens of the document have this form, counted as they are made.
    pub count: u32,
    /// The length in bytes of its first token, which most of its tokens share (`Kathy’s` and `Kathy's` are one
    /// form of two lengths).
    pub len: u32,
    /// Its syllables by the English rule ([`crate::text::syllables`]), whatever the document's language.
    pub syllables: u32,
    /// Its characters.
    pub chars: u32,
    /// Its letters and digits (apostrophes and hyphens left out).
    pub letters: u32,
}

/// A segmented, normalised and stemmed text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document id (`never-let-me-go-review`).
    pub id: String,
    /// The path it was read from, as shown to the user (`-` for standard input).
    pub path: String,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
    /// Its `--group-by` group, given to the rows that have a `group` column; empty for none.
    pub group: String,
    /// The decoded text; every span indexes into it.
    pub text: String,
    /// The language used for stemming and stopwords.
    pub language: Language,
    /// How lines were read into paragraphs.
    pub layout: Layout,
    /// Paragraphs in text order.
    pub paragraphs: Vec<Paragraph>,
    /// Its chapters, as its headings give them (one for a text without headings).
    pub chapters: Chapters,
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// Words in text order.
    pub tokens: Vec<Token>,
    /// Distinct normalised forms, in order of first occurrence.
    pub forms: Vec<Form>,
    /// Distinct stems, in order of first occurrence.
    pub stems: Vec<Box<str>>,
    /// The start and end offsets of the tokens whose length is not their form's, in text order.
    odd_ends: Vec<(u32, u32)>,
    /// Its forms' and stems' numbers in the word table that built it.
    pub(crate) numbers: TableNumbers,
}

/// Where a document's forms and stems are in the word table of the thread that built it (`text/words.rs`):
/// the corpus counts find a form by these numbers, and by its string only the first time.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableNumbers {
    /// The table's number ([`Words::id`]; 0 for none).
    pub(crate) table: u64,
    /// Each form's number in the table ([`Word::id`]: [`NOT_KEPT`] for a form a full table did not keep).
    pub(crate) forms: Vec<u32>,
    /// Each stem's number in the table (`NOT_KEPT` past the table's bound, where only a full table numbers).
    pub(crate) stems: Vec<u32>,
}

impl TableNumbers {
    /// The numbers in `words` of a document's `forms` and of its `stems` stems, which its forms name.
    fn of(words: &Words, forms: &[FormData], stems: usize) -> TableNumbers {
        let mut stem_numbers = vec![NOT_KEPT; stems];
        for form in forms {
            if let Some(number) = stem_numbers.get_mut(form.stem as usize) {
                *number = words::kept(form.word.stem);
            }
        }
        TableNumbers { table: words.id(), forms: forms.iter().map(|f| f.word.id).collect(), stems: stem_numbers }
    }
}

impl Document {
    /// `text` segmented by the default [`Pipeline`] (English, the embedded stopwords, layout detected): the
    /// shortest way from a string to a document, for library users and tests.
    ///
    /// ```
    /// let doc = marginalia::text::Document::from_text("review", "It stays with you. It does.");
    /// assert_eq!((doc.sentences.len(), doc.tokens.len()), (2, 6));
    /// ```
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Document {
        Pipeline::default().document(Source::from_text(id, text))
    }

    /// The normalised form of a token.
    pub fn norm(&self, token: &Token) -> &str {
        &self.forms[token.form() as usize].norm
    }

    /// Where a token of this document is in the text: `span(token).of(&text)` is its surface form.
    pub fn span(&self, token: &Token) -> Span {
        let start = token.start();
        let end = if token.form & ODD_LENGTH == 0 {
            start + self.forms.get(token.form() as usize).map_or(0, |f| f.len as usize)
        } else {
            let at = self.odd_ends.partition_point(|&(s, _)| s < token.start);
            self.odd_ends.get(at).map_or(start, |&(_, end)| end as usize)
        };
        Span { start, end }
    }

    /// The stem of a form.
    pub fn stem_of(&self, form: &Form) -> &str {
        &self.stems[form.stem as usize]
    }

    /// The index of the sentence holding token `token` (every token is in one; a search, not a lookup).
    pub fn sentence_of(&self, token: usize) -> usize {
        self.sentences.partition_point(|s| s.end_token as usize <= token)
    }
}

/// How text is segmented: in which language, with which stopwords, and how lines make paragraphs.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// Stemming and stopword language.
    pub language: Language,
    /// The stopword list (flagged, never dropped).
    pub stopwords: Stopwords,
    /// The speech verbs that tag quotations (flagged on forms).
    pub speech_verbs: SpeechVerbs,
    /// A fixed layout, or `None` to detect it per document.
    pub layout: Option<Layout>,
    /// How chapter headings are found (`--chapters`).
    pub chapters: ChapterRule,
}

impl PipelineOptions {
    /// `language` with its embedded stopwords and speech verbs, layout detected per document.
    pub fn for_language(language: Language) -> PipelineOptions {
        let (stopwords, speech_verbs) = (Stopwords::embedded(language), SpeechVerbs::embedded(language));
        PipelineOptions { language, stopwords, speech_verbs, layout: None, chapters: ChapterRule::Auto }
    }
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions::for_language(Language::english())
    }
}

/// The id of the next [`Pipeline`] made: a thread's word table knows the pipeline it last served by its id.
static NEXT_PIPELINE: AtomicU64 = AtomicU64::new(1);

/// Turns sources into [`Document`]s.
pub struct Pipeline {
    options: PipelineOptions,
    stemmer: Stemmer,
    id: u64,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Default for Pipeline {
    /// English, the embedded English stopwords, layout detected per document.
    fn default() -> Self {
        Pipeline::new(PipelineOptions::default())
    }
}

impl Pipeline {
    /// A pipeline with these options.
    pub fn new(options: PipelineOptions) -> Pipeline {
        let stemmer = Stemmer::create(options.language.algorithm());
        Pipeline { options, stemmer, id: NEXT_PIPELINE.fetch_add(1, Ordering::Relaxed) }
    }

    /// The stem of a normalised word, as documents' tokens are stemmed (for matching lexicon terms).
    pub fn stem(&self, norm: &str) -> String {
        self.stemmer.stem(norm).into_owned()
    }

    /// This thread's word table, ready for a document of this pipeline.
    fn words(&self) -> Words {
        let options = &self.options;
        Words::take(self.id, options.language, &options.stopwords, &options.speech_verbs)
    }

    /// Segments, normalises and stems a decoded source. Text past [`MAX_DOCUMENT_BYTES`] is left out (inputs that
    /// long are skipped before they get here: see [`crate::input::Input::load`]).
    pub fn document(&self, mut source: Source) -> Document {
        if source.text.len() > MAX_DOCUMENT_BYTES {
            let end = (0..=MAX_DOCUMENT_BYTES).rev().find(|&at| source.text.is_char_boundary(at)).unwrap_or(0);
            source.text.truncate(end);
        }
        let layout = self.options.layout.unwrap_or_else(|| segment::detect_layout(&source.text));
        let mut builder = Builder::new(self, &source.text);
        for para in segment::paragraphs(&source.text, layout) {
            builder.paragraph(para);
        }
        let Builder { mut paragraphs, mut sentences, mut tokens, norms, forms, stems, odd_ends, words, .. } = builder;
        let numbers = TableNumbers::of(&words, &forms, stems.len());
        words.give_back();
        give_back_spare(&mut tokens);
        give_back_spare(&mut sentences);
        give_back_spare(&mut paragraphs);
        let chapters = Chapters::find(&source.text, &self.options.chapters);
        let mut cursor = chapters.cursor();
        for sentence in &mut sentences {
            sentence.chapter = cursor.innermost(sentence.span.start);
        }
        let forms = norms.into_iter().zip(forms).map(|(norm, f)| Form {
            norm,
            stem: f.stem,
            stopword: f.word.stopword,
            speech_verb: f.word.speech_verb,
            count: f.count,
            len: f.len,
            syllables: f.word.syllables,
            chars: f.word.chars,
            letters: f.word.letters,
        });
        let forms = forms.collect();
        Document {
            id: source.id,
            path: source.path,
            encoding: source.encoding,
            group: source.group,
            text: source.text,
            language: self.options.language,
            layout,
            paragraphs,
            chapters,
            sentences,
            tokens,
            forms,
            stems,
            odd_ends,
            numbers,
        }
    }
}

/// A byte offset (or length) in 32 bits, saturating: inputs longer than [`MAX_DOCUMENT_BYTES`] are skipped before
/// they are segmented.
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// A [`Form`] but its string, while a document is built: the thread's entry for it, and its own figures.
struct FormData {
    word: Word,
    /// Index into [`Document::stems`].
    stem: u32,
    count: u32,
    len: u32,
}

/// The state of one document's construction: interning tables and reusable buffers.
struct Builder<'p, 't> {
    pipeline: &'p Pipeline,
    text: &'t str,
    segmenter: Segmenter,
    sentence_spans: Vec<Span>,
    word_spans: Vec<Span>,
    norm: String,
    paragraphs: Vec<Paragraph>,
    sentences: Vec<Sentence>,
    tokens: Vec<Token>,
    /// The forms' normalised strings, numbered in order of appearance (each stored once), and the rest of each
    /// form beside them.
    norms: IndexSet<Box<str>, FxBuildHasher>,
    forms: Vec<FormData>,
    /// The document's stems, and their ids by their ids in the thread's table.
    stems: Vec<Box<str>>,
    stem_ids: FxHashMap<u32, u32>,
    odd_ends: Vec<(u32, u32)>,
    words: Words,
}

impl<'p, 't> Builder<'p, 't> {
    fn new(pipeline: &'p Pipeline, text: &'t str) -> Self {
        Builder {
            pipeline,
            text,
            segmenter: Segmenter::default(),
            sentence_spans: Vec::new(),
            word_spans: Vec::new(),
            norm: String::new(),
            paragraphs: Vec::new(),
            sentences: Vec::new(),
            // Prose has a word every five or six bytes; this rarely needs to grow.
            tokens: Vec::with_capacity(text.len() / 4),
            norms: IndexSet::default(),
            forms: Vec::new(),
            stems: Vec::new(),
            stem_ids: FxHashMap::default(),
            odd_ends: Vec::new(),
            words: pipeline.words(),
        }
    }

    /// Adds a paragraph's sentences and words; a paragraph or sentence without words is not kept.
    fn paragraph(&mut self, span: Span) {
        let paragraph = self.paragraphs.len() as u32;
        self.sentence_spans.clear();
        self.segmenter.sentences(self.text, span, &mut self.sentence_spans);
        let mut kept = false;
        for i in 0..self.sentence_spans.len() {
            let sentence = self.sentence_spans[i];
            let first_token = self.tokens.len() as u32;
            self.word_spans.clear();
            segment::words(self.text, sentence, &mut self.word_spans);
            segment::split_elisions(self.text, self.pipeline.options.language.elisions(), &mut self.word_spans);
            if self.word_spans.is_empty() {
                continue;
            }
            // A novel's tokens are its largest part.
            grow_by_quarter(&mut self.tokens, self.word_spans.len());
            for j in 0..self.word_spans.len() {
                let word = self.word_spans[j];
                let form = self.intern(word);
                self.forms[form as usize].count += 1;
                let token = self.token(word, form);
                self.tokens.push(token);
            }
            let end_token = self.tokens.len() as u32;
            self.sentences.push(Sentence { span: sentence, paragraph, first_token, end_token, chapter: 0 });
            kept = true;
        }
        if kept {
            self.paragraphs.push(Paragraph { span });
        }
    }

    /// The token of a word of form `form`, its end kept aside if its length is not its form's.
    fn token(&mut self, word: Span, form: u32) -> Token {
        let start = offset(word.start);
        if self.forms[form as usize].len as usize == word.end - word.start {
            return Token { start, form };
        }
        self.odd_ends.push((start, offset(word.end)));
        Token { start, form: form | ODD_LENGTH }
    }

    /// The form id of a word, stemming and classifying the form the first time it is seen.
    fn intern(&mut self, word: Span) -> u32 {
        let surface = word.of(self.text);
        if is_plain_lowercase(surface) {
            // Its own normal form (and no elision, having no apostrophe): looked up as it is, copied only if new.
            if let Some(id) = self.norms.get_index_of(surface) {
                return id as u32;
            }
            self.norm.clear();
            self.norm.push_str(surface);
        } else {
            normalize_into(surface, &mut self.norm);
            // An elision split off its word (`l'`) is the word it stands for (`l`, as stopword lists have it).
            // Other words may end with an apostrophe too (UAX #29 keeps one after a Hebrew letter) and keep it.
            let elisions = self.pipeline.options.language.elisions();
            if self.norm.strip_suffix('\'').is_some_and(|head| elisions.contains(&head)) {
                self.norm.pop();
            }
            if let Some(id) = self.norms.get_index_of(self.norm.as_str()) {
                return id as u32;
            }
        }
        let entry = self.words.get(&self.norm, &self.pipeline.stemmer);
        // The table is not emptied while a document is built, so its stem ids name one stem each until then.
        let (stems, words) = (&mut self.stems, &self.words);
        let stem = *self.stem_ids.entry(entry.stem).or_insert_with(|| {
            stems.push(words.stem(entry.stem).into());
            (stems.len() - 1) as u32
        });
        let len = offset(word.end - word.start);
        self.forms.push(FormData { word: entry, stem, count: 0, len });
        self.norms.insert_full(self.norm.as_str().into()).0 as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vecs::SPARE_BYTES;
    use std::path::Path;

    fn doc(text: &str) -> Document {
        Document::from_text("t", text)
    }

    #[test]
    fn curly_and_straight_apostrophes_are_one_form_and_possessives_stem_away() {
        let d = doc("Ishiguro’s novel. Ishiguro's prose. Ishiguro writes.");
        let norms: Vec<&str> = d.tokens.iter().map(|t| d.norm(t)).collect();
        assert_eq!(norms[0], norms[2]);
        let stems: Vec<&str> = [0, 2, 4].iter().map(|&i| d.stem_of(&d.forms[d.tokens[i].form() as usize])).collect();
        assert_eq!(stems, ["ishiguro", "ishiguro", "ishiguro"]);
    }

    #[test]
    fn only_an_elision_loses_its_apostrophe() {
        // UAX #29 ends a Hebrew word with an apostrophe (a geresh written as '); its form keeps it.
        let d = doc("ײַ' שלום");
        assert_eq!(d.norm(&d.tokens[0]), crate::text::normalize("ײַ'"));
        let french = Pipeline::new(PipelineOptions::for_language(Language::parse("fr").unwrap()));
        let d = french.document(Source::from_text("t", "l'amour et ײַ'"));
        let norms: Vec<&str> = d.tokens.iter().map(|t| d.norm(t)).collect();
        assert_eq!(norms, ["l", "amour", "et", &crate::text::normalize("ײַ'")]);
    }

    #[test]
    fn a_token_longer_or_shorter_than_its_forms_first_ends_where_its_word_does() {
        // One form, "kathy's", from words of 9, 7 and 9 bytes; the Kelvin sign (3 bytes) lowercases to "k" (1).
        let d = doc("Kathy’s voice. Kathy's friend. KATHY’S END. \u{212A} k.");
        let words: Vec<&str> = d.tokens.iter().map(|t| d.span(t).of(&d.text)).collect();
        assert_eq!(words, ["Kathy’s", "voice", "Kathy's", "friend", "KATHY’S", "END", "\u{212A}", "k"]);
        assert_eq!((d.tokens[0].form(), d.tokens[2].form(), d.tokens[4].form()), (0, 0, 0));
        assert_eq!(d.tokens[6].form(), d.tokens[7].form());
        // Only the straight-apostrophe "Kathy's" and the second "k" are kept aside.
        assert_eq!(d.odd_ends, [(17, 24), (52, 53)]);
    }

    #[test]
    fn more_words_than_estimated_are_all_kept_and_spare_room_is_given_back() {
        // One-letter words, a word every two bytes: twice the tokens the first estimate makes room for.
        let words = 200_000;
        let text = "a ".repeat(words - 1) + "b.";
        let d = doc(&text);
        assert_eq!(d.tokens.len(), words);
        assert_eq!(d.span(&d.tokens[words - 1]).of(&d.text), "b");
        let spare = |d: &Document| (d.tokens.capacity() - d.tokens.len()) * size_of::<Token>();
        assert!(spare(&d) <= SPARE_BYTES, "{} bytes spare", spare(&d));
        // Long words: far fewer tokens than estimated, and the room is given back.
        let d = doc(&"incomprehensibilities ".repeat(words / 4));
        assert_eq!(d.tokens.len(), words / 4);
        assert!(spare(&d) <= SPARE_BYTES, "{} bytes spare", spare(&d));
    }

    #[test]
    fn plain_lowercase_words_and_their_other_spellings_are_one_form() {
        // Plain words take the fast path; capitals and curly apostrophes the general one, to the same forms.
        let d = doc("they’re here. They're HERE. they're here.");
        let forms: Vec<u32> = d.tokens.iter().map(|t| t.form()).collect();
        assert_eq!(forms, [0, 1, 0, 1, 0, 1]);
        let norms: Vec<&str> = d.forms.iter().map(|f| &*f.norm).collect();
        assert_eq!(norms, ["they're", "here"]);
        assert_eq!(d.forms[1].count, 3);
        let french = Pipeline::new(PipelineOptions::for_language(Language::parse("fr").unwrap()));
        let d = french.document(Source::from_text("t", "l'amour l amour L'Amour"));
        let forms: Vec<u32> = d.tokens.iter().map(|t| t.form()).collect();
        assert_eq!(forms, [0, 1, 0, 1, 0, 1]);
    }

    #[test]
    fn plural_possessive_stems_like_the_plural() {
        let d = doc("The boys’ games. The boy plays.");
        let boys = &d.forms[d.tokens[1].form() as usize];
        let boy = &d.forms[d.tokens[4].form() as usize];
        assert_eq!(&*boys.norm, "boys");
        assert_eq!(boys.stem, boy.stem);
    }

    #[test]
    fn stemming_groups_inflections() {
        let d = doc("remember remembered remembering remembers memories memory");
        assert_eq!(d.stems.len(), 2, "{:?}", d.stems);
        assert_eq!(&*d.stems[0], "rememb");
        assert_eq!(&*d.stems[1], "memori");
    }

    #[test]
    fn sentences_and_paragraphs_without_words_are_not_kept() {
        let d = doc("* * *\nReal words here. —\n");
        assert_eq!(d.paragraphs.len(), 1);
        assert_eq!(d.sentences.len(), 1);
        assert_eq!(d.sentences[0].paragraph, 0);
    }

    #[test]
    fn stopwords_are_flagged() {
        let d = doc("She never forgets the gallery.");
        let flagged: Vec<bool> = d.tokens.iter().map(|t| d.forms[t.form() as usize].stopword).collect();
        assert_eq!(flagged, [true, false, false, true, false]);
    }

    #[test]
    fn a_second_pipeline_in_another_language_does_not_reuse_the_first_ones_stems_or_stopwords() {
        let french = Pipeline::new(PipelineOptions::for_language(Language::parse("fr").unwrap()));
        let english = Pipeline::default();
        assert_ne!(french.stem("running"), english.stem("running"));
        for pipeline in [&english, &french, &english] {
            let d = pipeline.document(Source::from_text("t", "running des"));
            assert_eq!(d.stem_of(&d.forms[0]), pipeline.stem("running"));
            // "des" is a French stopword only.
            assert_eq!(d.forms[1].stopword, pipeline.options.language != Language::english());
        }
    }

    #[test]
    fn a_pipeline_with_other_word_lists_does_not_take_the_flags_of_the_last_one() {
        let options = PipelineOptions::default();
        let listed = Pipeline::new(PipelineOptions {
            stopwords: Stopwords::parse("gallery", Path::new("s")).unwrap(),
            speech_verbs: SpeechVerbs::parse("forgets", Path::new("v")).unwrap(),
            ..options.clone()
        });
        let default = Pipeline::new(options);
        for (pipeline, flagged) in [(&default, false), (&listed, true), (&default, false)] {
            let d = pipeline.document(Source::from_text("t", "She forgets the gallery."));
            assert_eq!((d.forms[1].speech_verb, d.forms[3].stopword), (flagged, flagged));
            assert_eq!(d.forms[2].stopword, !flagged);
        }
    }

    #[test]
    fn a_document_with_more_words_than_the_table_holds_keeps_each_forms_own_stem() {
        // Past the table's bound during one document: every id it handed out must still name its stem.
        let text: String = (0..60_000).map(|i| format!("walk{i}ing remember{}ed ", i % 7)).collect();
        let (d, english) = (doc(&text), Pipeline::default());
        assert_eq!(d.forms.len(), 60_007);
        for form in &d.forms {
            assert_eq!(d.stem_of(form), english.stem(&form.norm), "{}", form.norm);
        }
        let d = doc("walking remembered");
        assert_eq!(d.stems, ["walk".into(), "rememb".into()]);
    }

    #[test]
    fn forms_carry_their_syllables_characters_and_letters() {
        let d = doc("Ishiguro’s memory.");
        let f = &d.forms[0];
        assert_eq!((f.syllables, f.chars, f.letters), (4, 10, 9));
        assert_eq!((d.forms[1].syllables, d.forms[1].chars), (3, 6));
    }
}
