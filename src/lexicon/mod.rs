//! Category lexicons (themes, tone): a TOML file a critic can write by hand, compiled against a language's
//! stemmer and matched against a document's tokens in one pass.
//!
//! ```toml
//! [memory]
//! label = "Memory and nostalgia"
//! terms = ["memory", "remember", "recollect*", "nostalgi*", "soft-focus memories"]
//! ```
//!
//! A plain term matches by stem (`remember` matches remembered, remembering); a term ending in `*` matches any
//! normalised form with that prefix; a term of several words matches that sequence of tokens (each by stem or
//! prefix) inside one sentence. Case and apostrophe style never matter. Within a category a token counts once: where
//! terms overlap, the leftmost match wins, and of those the longest.
//!
//! ```
//! use marginalia::{input::Source, lexicon::Lexicon, text::Pipeline};
//! let toml = "[memory]\nlabel = \"Memory\"\nterms = [\"memory\", \"soft-focus memories\"]\n";
//! let (lexicon, warnings) = Lexicon::parse_toml(toml, "mine.toml".as_ref()).unwrap();
//! assert!(warnings.is_empty());
//! let pipeline = Pipeline::default();
//! let doc = pipeline.document(Source::from_text("r", "Lives dressed in soft-focus memories. Memory fails."));
//! let hits = lexicon.compile(&pipeline).find(&doc);
//! assert_eq!(hits.len(), 2); // the phrase once (not also its last word), then "Memory"
//! assert_eq!(doc.tokens[hits[0].end_token - 1].span.of(&doc.text), "memories");
//! ```

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::text::{Document, Pipeline, Span, normalize};

/// A named set of categories, each a list of terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicon {
    /// Where it came from (a path, or the name of the embedded default), for messages.
    pub origin: PathBuf,
    /// Categories in file order.
    pub categories: Vec<Category>,
}

/// One category (a theme, a tone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The table name (`memory`).
    pub key: String,
    /// The label for tables and charts (`Memory and nostalgia`); the key when the file gives none.
    pub label: String,
    /// Its terms, in file order.
    pub terms: Vec<Term>,
}

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The entry as written (`soft-focus memories`).
    pub text: String,
    /// The words it must match, in order: one for a plain term or glob, several for a phrase.
    pub words: Vec<Pattern>,
}

/// How one word of a term matches a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// A normalised word, to be matched by its stem.
    Word(String),
    /// A normalised prefix (the term ended in `*`).
    Prefix(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryDef {
    label: Option<String>,
    terms: Spanned<Vec<Spanned<String>>>,
}

/// The embedded tone lexicon's text (`data/tone.toml`): what `--tone FILE` replaces.
pub const DEFAULT_TONE: &str = include_str!("../../data/tone.toml");

impl Lexicon {
    /// The embedded tone lexicon: praise, censure, melancholy, dread, tenderness, anger, irony, hedging, intensity.
    pub fn default_tone() -> Lexicon {
        Lexicon::embedded(DEFAULT_TONE, "embedded tone lexicon")
    }

    /// Parses an embedded lexicon. They are checked by unit tests, so a failure here is a bug in the build.
    fn embedded(text: &str, name: &str) -> Lexicon {
        match Lexicon::parse_toml(text, Path::new(name)) {
            Ok((lexicon, _)) => lexicon,
            Err(e) => panic!("the {name} is malformed: {e}"),
        }
    }

    /// Reads a lexicon file.
    pub fn from_file(path: &Path) -> Result<(Lexicon, Vec<String>)> {
        let bytes = std::fs::read(path).map_err(|e| Error::Read { path: path.to_path_buf(), source: e })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, column) = line_col(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
            Error::Lexicon {
                path: path.to_path_buf(),
                line,
                column: Some(column),
                message: "not valid UTF-8 (save the lexicon as UTF-8)".into(),
            }
        })?;
        Lexicon::parse_toml(&text, path)
    }

    /// Parses a lexicon's TOML text; `origin` names it in errors and warnings. Returns the lexicon and warnings
    /// about terms that can never match (which are left out).
    pub fn parse_toml(text: &str, origin: &Path) -> Result<(Lexicon, Vec<String>)> {
        let error = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
            Error::Lexicon { path: origin.to_path_buf(), line, column: Some(column), message }
        };
        let defs: IndexMap<String, Spanned<CategoryDef>> =
            toml::from_str(text).map_err(|e| error(e.span(), e.message().trim().to_string()))?;
        let mut warnings = Vec::new();
        let mut categories = Vec::new();
        for (key, def) in defs {
            let def = def.into_inner();
            if def.terms.get_ref().is_empty() {
                let message = format!("category [{key}] has no terms (add some to `terms = [...]`)");
                return Err(error(Some(def.terms.span()), message));
            }
            let mut terms = Vec::new();
            for entry in def.terms.into_inner() {
                let at = entry.span();
                let (line, column) = line_col(text, at.start);
                match parse_term(entry.get_ref()) {
                    Ok(Some(term)) => terms.push(term),
                    Ok(None) => warnings.push(format!(
                        "{}:{line}:{column}: term '{}' in [{key}] has no letters or digits and can never match; left out",
                        origin.display(),
                        entry.get_ref()
                    )),
                    Err(message) => return Err(error(Some(at), format!("[{key}]: {message}"))),
                }
            }
            categories.push(Category { label: def.label.unwrap_or_else(|| key.clone()), key, terms });
        }
        Ok((Lexicon { origin: origin.to_path_buf(), categories }, warnings))
    }

    /// Prepares the lexicon for matching with `pipeline`'s stemmer.
    pub fn compile(&self, pipeline: &Pipeline) -> Matcher {
        let mut matcher = Matcher::default();
        for (c, category) in self.categories.iter().enumerate() {
            for (t, term) in category.terms.iter().enumerate() {
                let words: Vec<Compiled> = term
                    .words
                    .iter()
                    .map(|w| match w {
                        Pattern::Word(word) => Compiled::Stem(pipeline.stem(word)),
                        Pattern::Prefix(prefix) => Compiled::Prefix(prefix.clone()),
                    })
                    .collect();
                let id = TermId { category: c, term: t };
                match words.as_slice() {
                    [Compiled::Stem(stem)] => matcher.by_stem.entry(stem.clone()).or_default().push(id),
                    [Compiled::Prefix(prefix)] => matcher.prefixes.push((prefix.clone(), id)),
                    _ => matcher.phrases.push((words, id)),
                }
            }
        }
        matcher.categories = self.categories.len();
        matcher
    }
}

/// Splits a term into word patterns: whitespace-separated pieces, each cut into UAX #29 words as documents are;
/// a piece ending in `*` makes its last word a prefix. `Ok(None)` for a term with no word in it.
fn parse_term(raw: &str) -> std::result::Result<Option<Term>, String> {
    let text = raw.trim();
    if text.chars().all(|c| c == '*' || c.is_whitespace()) && text.contains('*') {
        return Err(format!("the term '{raw}' is only `*`, which would match every word; give a prefix (`nostalgi*`)"));
    }
    let mut words = Vec::new();
    for piece in text.split_whitespace() {
        let (piece, glob) = match piece.strip_suffix('*') {
            Some(p) => (p, true),
            None => (piece, false),
        };
        if piece.contains('*') {
            return Err(format!("in '{raw}', `*` may only end a word (`recollect*`)"));
        }
        let mut spans = Vec::new();
        crate::text::words(piece, Span { start: 0, end: piece.len() }, &mut spans);
        let count = spans.len();
        for (i, span) in spans.into_iter().enumerate() {
            let word = normalize(span.of(piece));
            words.push(if glob && i + 1 == count { Pattern::Prefix(word) } else { Pattern::Word(word) });
        }
        if glob && count == 0 {
            return Err(format!("in '{raw}', `*` must follow letters (`recollect*`)"));
        }
    }
    Ok((!words.is_empty()).then(|| Term { text: text.to_string(), words }))
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A term's place in its lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TermId {
    /// Index into [`Lexicon::categories`].
    pub category: usize,
    /// Index into that category's terms.
    pub term: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Compiled {
    Stem(String),
    Prefix(String),
}

impl Compiled {
    fn matches(&self, norm: &str, stem: &str) -> bool {
        match self {
            Compiled::Stem(s) => s == stem,
            Compiled::Prefix(p) => norm.starts_with(p.as_str()),
        }
    }
}

/// A compiled lexicon: single-word terms looked up once per distinct form, phrases checked where their first word
/// matches. Matching costs one pass over the tokens whatever the number of terms.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    categories: usize,
    by_stem: FxHashMap<String, Vec<TermId>>,
    prefixes: Vec<(String, TermId)>,
    phrases: Vec<(Vec<Compiled>, TermId)>,
}

/// One occurrence of a term: tokens `first_token..end_token` of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Which term (and so which category) matched.
    pub term: TermId,
    /// Index of its first token.
    pub first_token: usize,
    /// One past its last token.
    pub end_token: usize,
}

impl Hit {
    /// The byte span of the matched words in the document's text.
    pub fn span(&self, doc: &Document) -> Span {
        Span { start: doc.tokens[self.first_token].span.start, end: doc.tokens[self.end_token - 1].span.end }
    }
}

impl Matcher {
    /// Every hit in `doc`, in text order (by first token, then category). Within one category no two hits share
    /// a token: where terms overlap, the leftmost-longest hit is kept.
    pub fn find(&self, doc: &Document) -> Vec<Hit> {
        let single = self.single_word_terms(doc);
        let phrase_starts = self.phrase_starts(doc);
        let mut candidates: Vec<Hit> = Vec::new();
        for (i, token) in doc.tokens.iter().enumerate() {
            for &term in &single[token.form as usize] {
                candidates.push(Hit { term, first_token: i, end_token: i + 1 });
            }
            for &p in &phrase_starts[token.form as usize] {
                let (words, term) = &self.phrases[p];
                if let Some(end) = phrase_end(doc, i, words) {
                    candidates.push(Hit { term: *term, first_token: i, end_token: end });
                }
            }
        }
        self.keep_longest_per_category(candidates)
    }

    /// For each form of the document, the phrases whose first word it matches.
    fn phrase_starts(&self, doc: &Document) -> Vec<Vec<usize>> {
        doc.forms
            .iter()
            .map(|form| {
                let stem = doc.stem_of(form);
                (0..self.phrases.len()).filter(|&p| self.phrases[p].0[0].matches(&form.norm, stem)).collect()
            })
            .collect()
    }

    /// For each form of the document, the single-word terms it matches (at most one per category).
    fn single_word_terms(&self, doc: &Document) -> Vec<Vec<TermId>> {
        doc.forms
            .iter()
            .map(|form| {
                let stem = doc.stem_of(form);
                let mut ids: Vec<TermId> = self.by_stem.get(stem).cloned().unwrap_or_default();
                ids.extend(self.prefixes.iter().filter(|(p, _)| form.norm.starts_with(p.as_str())).map(|(_, id)| *id));
                let mut seen = FxHashSet::default();
                ids.retain(|id| seen.insert(id.category));
                ids
            })
            .collect()
    }

    /// Resolves overlaps within each category, leftmost-longest (as regular expressions and concordancers do):
    /// from the start of the text, the longest hit at each position is kept and hits overlapping it are dropped.
    fn keep_longest_per_category(&self, mut candidates: Vec<Hit>) -> Vec<Hit> {
        candidates
            .sort_unstable_by_key(|h| (h.term.category, h.first_token, std::cmp::Reverse(h.end_token), h.term.term));
        let mut covered_until = vec![0usize; self.categories];
        candidates.retain(|hit| {
            let until = &mut covered_until[hit.term.category];
            let keep = hit.first_token >= *until;
            if keep {
                *until = hit.end_token;
            }
            keep
        });
        candidates.sort_unstable_by_key(|h| (h.first_token, h.term.category));
        candidates
    }
}

/// If the phrase `words` matches tokens starting at `first` within one sentence, the index after its last token.
fn phrase_end(doc: &Document, first: usize, words: &[Compiled]) -> Option<usize> {
    let sentence = doc.tokens[first].sentence;
    let end = first + words.len();
    let tokens = doc.tokens.get(first..end)?;
    let all = tokens.iter().zip(words).all(|(t, w)| {
        let form = &doc.forms[t.form as usize];
        t.sentence == sentence && w.matches(&form.norm, doc.stem_of(form))
    });
    all.then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;

    fn lexicon(toml: &str) -> Lexicon {
        Lexicon::parse_toml(toml, Path::new("test.toml")).unwrap().0
    }

    fn hits(toml: &str, text: &str) -> Vec<(String, String)> {
        let pipeline = Pipeline::default();
        let lex = lexicon(toml);
        let doc = pipeline.document(Source::from_text("t", text));
        lex.compile(&pipeline)
            .find(&doc)
            .iter()
            .map(|h| (lex.categories[h.term.category].key.clone(), h.span(&doc).of(&doc.text).to_string()))
            .collect()
    }

    #[test]
    fn the_embedded_tone_lexicon_parses_cleanly() {
        let (lexicon, warnings) = Lexicon::parse_toml(DEFAULT_TONE, Path::new("tone.toml")).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let keys: Vec<&str> = lexicon.categories.iter().map(|c| c.key.as_str()).collect();
        for key in ["praise", "censure", "melancholy", "dread", "tenderness", "anger", "irony", "hedging", "intensity"]
        {
            assert!(keys.contains(&key), "{key} missing from the tone lexicon");
        }
    }

    #[test]
    fn plain_terms_match_by_stem_and_possessive() {
        let got = hits("[place]\nterms = [\"hailsham\", \"remember\"]", "Hailsham’s Gallery. She remembered Hailsham.");
        let words: Vec<&str> = got.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["Hailsham’s", "remembered", "Hailsham"]);
    }

    #[test]
    fn globs_match_prefixes_of_normalised_forms() {
        let got = hits("[m]\nterms = [\"nostalgi*\"]", "Nostalgic, nostalgia; NOSTALGICALLY, nostrum.");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn phrases_match_within_a_sentence_only() {
        let toml = "[t]\nterms = [\"told and not told\", \"soft-focus memor*\"]";
        let got = hits(toml, "They’ve been “told and not told.” Soft focus memories. Told. And not told.");
        let words: Vec<&str> = got.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["told and not told", "Soft focus memories"]);
    }

    #[test]
    fn a_token_counts_once_per_category_but_may_count_for_several() {
        let toml =
            "[memory]\nterms = [\"memory\", \"memor*\", \"soft-focus memories\"]\n[loss]\nterms = [\"memories\"]";
        let got = hits(toml, "soft-focus memories");
        assert_eq!(
            got,
            [("memory".to_string(), "soft-focus memories".to_string()), ("loss".to_string(), "memories".to_string())]
        );
    }

    #[test]
    fn labels_default_to_the_key_and_order_is_kept() {
        let lex = lexicon("[zeta]\nterms = [\"z\"]\n[alpha]\nlabel = \"Alpha\"\nterms = [\"a\"]");
        let names: Vec<(&str, &str)> = lex.categories.iter().map(|c| (c.key.as_str(), c.label.as_str())).collect();
        assert_eq!(names, [("zeta", "zeta"), ("alpha", "Alpha")]);
    }

    fn error_of(toml: &str) -> String {
        Lexicon::parse_toml(toml, Path::new("bad.toml")).unwrap_err().to_string()
    }

    #[test]
    fn unknown_key_is_an_error_with_line_and_column() {
        let err = error_of("[memory]\nlable = \"Memory\"\nterms = [\"memory\"]\n");
        assert!(err.starts_with("bad.toml:2:1: unknown field `lable`"), "{err}");
    }

    #[test]
    fn empty_terms_is_an_error() {
        let err = error_of("[memory]\nterms = []\n");
        assert_eq!(err, "bad.toml:2:9: category [memory] has no terms (add some to `terms = [...]`)");
    }

    #[test]
    fn a_glob_that_is_only_a_star_is_an_error() {
        let err = error_of("[memory]\nterms = [\"memory\", \"*\"]\n");
        assert!(err.starts_with("bad.toml:2:20: [memory]: the term '*' is only `*`"), "{err}");
    }

    #[test]
    fn toml_syntax_errors_name_the_place() {
        let err = error_of("[memory]\nterms = [\"memory\"\n");
        assert!(err.starts_with("bad.toml:"), "{err}");
        assert!(!err.contains("bad.toml:1:1:"), "the line of a syntax error is known: {err}");
    }

    #[test]
    fn terms_without_letters_are_warned_about_and_left_out() {
        let (lex, warnings) = Lexicon::parse_toml("[m]\nterms = [\"memory\", \"—\"]", Path::new("w.toml")).unwrap();
        assert_eq!(lex.categories[0].terms.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("w.toml:2:20: term '—' in [m] has no letters"), "{}", warnings[0]);
    }
}
