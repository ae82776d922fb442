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
//! assert_eq!(doc.span(&doc.tokens[hits[0].end_token - 1]).of(&doc.text), "memories");
//! ```

mod dic;
mod matcher;
mod names;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::input::{line_col, read_list_with_resource};
use crate::resource::{Meta, Resource};
use crate::text::{Document, Span, normalize};

pub use matcher::{Finder, Hit, Matcher, TermId};

/// A named set of categories, each a list of terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicon {
    /// Where it came from (a path, or the name of the embedded default), for messages.
    pub origin: PathBuf,
    /// Categories in file order.
    pub categories: Vec<Category>,
    /// The files it was read from, each with its hash and its `[meta]`, for the run's manifest (none for a
    /// lexicon of query terms).
    pub sources: Vec<Resource>,
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
    /// Word forms none of its terms may match (`identical*`, `hopefully`): [`Pattern::Exact`] or
    /// [`Pattern::Prefix`], compared with the normalised form, for any word of a term.
    pub exclude: Vec<Pattern>,
    /// Whether its terms may match a capitalised word inside a multi-word proper name (`the Mock Turtle`, `Miss
    /// Hope`): false for TOML lexicons unless they say `proper_names = true`; true for `.dic` files and `kwic`.
    pub proper_names: bool,
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
    /// A normalised word, to be matched by its stem (TOML lexicons).
    Word(String),
    /// A normalised word, to be matched exactly (LIWC `.dic` entries: `sad` is not `sadness` there).
    Exact(String),
    /// A normalised prefix (the term ended in `*`).
    Prefix(String),
}

/// A TOML lexicon: its optional `[meta]` table, then its categories in file order. Deserialised by hand so that
/// `meta` is the one table that is not a category, and so that both keep the spans errors are placed by.
struct LexiconDef {
    meta: Option<Spanned<Meta>>,
    categories: IndexMap<String, Spanned<CategoryDef>>,
}

impl<'de> Deserialize<'de> for LexiconDef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Tables;
        impl<'de> serde::de::Visitor<'de> for Tables {
            type Value = LexiconDef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("[category] tables and an optional [meta] table")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> std::result::Result<LexiconDef, M::Error> {
                let mut def = LexiconDef { meta: None, categories: IndexMap::new() };
                while let Some(key) = map.next_key::<String>()? {
                    if key == "meta" {
                        def.meta = Some(map.next_value()?);
                    } else {
                        def.categories.insert(key, map.next_value()?);
                    }
                }
                Ok(def)
            }
        }
        deserializer.deserialize_map(Tables)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryDef {
    label: Option<String>,
    terms: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    proper_names: bool,
}

/// The embedded tone lexicon's text (`data/tone.toml`): what `--tone FILE` replaces.
pub const DEFAULT_TONE: &str = include_str!("../../data/tone.toml");

/// The embedded theme lexicon's text (`data/themes.toml`): what `--themes FILE` replaces and
/// `marginalia themes --export` prints.
pub const DEFAULT_THEMES: &str = include_str!("../../data/themes.toml");

impl Lexicon {
    /// The embedded theme lexicon: memory, loss, death, childhood, identity, love, power, ethics, art, fate, body.
    pub fn default_themes() -> Lexicon {
        Lexicon::embedded(DEFAULT_THEMES, "embedded theme lexicon", "themes.toml")
    }

    /// The embedded tone lexicon: praise, censure, melancholy, dread, tenderness, anger, irony, hedging, intensity.
    pub fn default_tone() -> Lexicon {
        Lexicon::embedded(DEFAULT_TONE, "embedded tone lexicon", "tone.toml")
    }

    /// Parses an embedded lexicon (`data/` + `file`). They are checked by unit tests, so a failure here is a bug
    /// in the build.
    fn embedded(text: &str, name: &str, file: &str) -> Lexicon {
        match Lexicon::parse_toml(text, Path::new(name)) {
            Ok((mut lexicon, _)) => {
                lexicon.sources.iter_mut().for_each(|s| s.source = format!("embedded:data/{file}"));
                lexicon
            }
            Err(e) => panic!("the {name} is malformed: {e}"),
        }
    }

    /// A lexicon of one category per query term (`marginalia kwic`): the key, label and only term are the query.
    pub fn from_terms(queries: &[String]) -> Result<Lexicon> {
        let mut categories = Vec::new();
        for query in queries {
            let term = parse_term(query).map_err(Error::Usage)?.ok_or_else(|| {
                Error::Usage(format!("the term '{query}' has no letters or digits and can never match"))
            })?;
            // A query is a literal search: it finds the word inside names too.
            let (exclude, proper_names) = (Vec::new(), true);
            categories.push(Category {
                key: query.clone(),
                label: query.clone(),
                terms: vec![term],
                exclude,
                proper_names,
            });
        }
        Ok(Lexicon { origin: PathBuf::from("command line"), categories, sources: Vec::new() })
    }

    /// Reads a lexicon file: LIWC/WordStat `.dic` by its extension, TOML otherwise. Returns warnings too.
    pub fn from_file(path: &Path) -> Result<(Lexicon, Vec<String>)> {
        let (text, file) = read_list_with_resource(path, LEXICON)?;
        let is_dic = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("dic"));
        let (mut lexicon, warnings) =
            if is_dic { Lexicon::parse_dic(&text, path) } else { Lexicon::parse_toml(&text, path) }?;
        // The hash is of the file's bytes, a BOM included, as `sha256sum` gives it.
        lexicon.sources = lexicon.sources.into_iter().map(|s| Resource { meta: s.meta, ..file.clone() }).collect();
        Ok((lexicon, warnings))
    }

    /// Reads several lexicon files into one, in order; a category defined twice is an error.
    pub fn from_files(paths: &[PathBuf]) -> Result<(Lexicon, Vec<String>)> {
        let mut merged = Lexicon { origin: PathBuf::new(), categories: Vec::new(), sources: Vec::new() };
        let mut warnings = Vec::new();
        let mut seen: FxHashMap<String, PathBuf> = FxHashMap::default();
        for path in paths {
            let (lexicon, more) = Lexicon::from_file(path)?;
            warnings.extend(more);
            merged.sources.extend(lexicon.sources);
            for category in lexicon.categories {
                if let Some(first) = seen.insert(category.key.clone(), path.clone()) {
                    return Err(Error::Usage(format!(
                        "{}: category [{}] is already defined in {} (rename one of them)",
                        path.display(),
                        category.key,
                        first.display()
                    )));
                }
                merged.categories.push(category);
            }
        }
        merged.origin = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ").into();
        Ok((merged, warnings))
    }

    /// The lexicon as TOML in the format [`Lexicon::parse_toml`] reads (for `marginalia themes --export`). A
    /// `.dic` dictionary cannot be written so: its words match exactly, a TOML lexicon's by stem.
    pub fn to_toml(&self) -> Result<String> {
        let exact = self
            .categories
            .iter()
            .flat_map(|c| &c.terms)
            .any(|t| t.words.iter().any(|w| matches!(w, Pattern::Exact(_))));
        if exact {
            return Err(Error::Usage(format!(
                "{}: a .dic dictionary matches words exactly and cannot be exported as TOML (use it as it is)",
                self.origin.display()
            )));
        }
        let mut out = String::new();
        for c in &self.categories {
            let terms: Vec<String> = c.terms.iter().map(|t| toml_string(&t.text)).collect();
            out.push_str(&format!(
                "[{}]\nlabel = {}\nterms = [{}]\n",
                toml_key(&c.key),
                toml_string(&c.label),
                terms.join(", ")
            ));
            if !c.exclude.is_empty() {
                let exclude: Vec<String> = c.exclude.iter().map(|p| toml_string(&p.to_string())).collect();
                out.push_str(&format!("exclude = [{}]\n", exclude.join(", ")));
            }
            if c.proper_names {
                out.push_str("proper_names = true\n");
            }
            out.push('\n');
        }
        Ok(out)
    }

    /// Parses a lexicon's TOML text; `origin` names it in errors and warnings. Returns the lexicon and warnings
    /// about terms that can never match (which are left out).
    pub fn parse_toml(text: &str, origin: &Path) -> Result<(Lexicon, Vec<String>)> {
        let place = |text: &str, offset: usize| {
            let (line, column) = line_col(text, offset);
            format!("{line}:{column}")
        };
        let error = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
            Error::Lexicon { path: origin.to_path_buf(), line, column: Some(column), message }
        };
        let LexiconDef { meta, categories: defs } =
            toml::from_str(text).map_err(|e| error(e.span(), e.message().trim().to_string()))?;
        let meta = meta.map(Spanned::into_inner).unwrap_or_default();
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
                match parse_term(entry.get_ref()) {
                    Ok(Some(term)) => terms.push(term),
                    // Line and column only for a message: counting lines for every term would make a long
                    // lexicon quadratic.
                    Ok(None) => warnings.push(format!(
                        "{}:{}: term '{}' in [{key}] has no letters or digits and can never match; left out",
                        origin.display(),
                        place(text, at.start),
                        entry.get_ref()
                    )),
                    Err(message) => return Err(error(Some(at), format!("[{key}]: {message}"))),
                }
            }
            let exclude =
                parse_exclude(&def.exclude).map_err(|(at, message)| error(Some(at), format!("[{key}]: {message}")))?;
            let label = def.label.unwrap_or_else(|| key.clone());
            categories.push(Category { label, key, terms, exclude, proper_names: def.proper_names });
        }
        if categories.is_empty() {
            // An empty file is never meant: it would turn the embedded lexicon off and count nothing, silently
            // (`--skip-tables` is the way to leave tables out).
            let message = "no categories: the file is empty or only comments (a lexicon needs at least one \
                           [category] with terms = [\"…\"])";
            return Err(Error::Lexicon { path: origin.to_path_buf(), line: 1, column: None, message: message.into() });
        }
        let sources = vec![Resource::file(LEXICON, origin, text.as_bytes(), meta)];
        Ok((Lexicon { origin: origin.to_path_buf(), categories, sources }, warnings))
    }
}

/// The role of a lexicon file until a run says which it is (`themes`, `tone`).
const LEXICON: &str = "lexicon";

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

/// Parses a category's `exclude` entries: each one word, matched exactly, or a glob. An error gives the entry's
/// place.
fn parse_exclude(entries: &[Spanned<String>]) -> std::result::Result<Vec<Pattern>, (std::ops::Range<usize>, String)> {
    let mut exclude = Vec::new();
    for entry in entries {
        let raw = entry.get_ref();
        let one_word = |message: &str| (entry.span(), format!("exclude entry '{raw}' {message}"));
        let term = parse_term(raw).map_err(|m| (entry.span(), m))?;
        match term.map(|t| t.words).as_deref() {
            // An excluded word is a form, not a stem: excluding `painfully` must keep `pain`.
            Some([Pattern::Word(word)]) => exclude.push(Pattern::Exact(word.clone())),
            Some([prefix @ Pattern::Prefix(_)]) => exclude.push(prefix.clone()),
            Some([]) | None => return Err(one_word("has no letters or digits")),
            Some(_) => return Err(one_word("must be one word or glob (`identical*`), not a phrase")),
        }
    }
    Ok(exclude)
}

impl std::fmt::Display for Pattern {
    /// The pattern as a lexicon file writes it: a word, or a prefix and `*`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pattern::Word(w) | Pattern::Exact(w) => f.write_str(w),
            Pattern::Prefix(p) => write!(f, "{p}*"),
        }
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML table key: bare when it can be, quoted otherwise (LIWC names may hold spaces).
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_string() } else { toml_string(key) }
}

/// For each of `categories` categories, the forms its hits matched with their counts, most frequent first (ties
/// alphabetical).
pub fn forms_by_category(doc: &Document, hits: &[Hit], categories: usize) -> Vec<Vec<(String, u32)>> {
    // Count by the hits' form ids; spell out only the distinct ones.
    let mut counts: FxHashMap<(usize, Vec<u32>), u32> = FxHashMap::default();
    let mut key = (0, Vec::new());
    for hit in hits {
        key.0 = hit.term.category;
        key.1.clear();
        key.1.extend(doc.tokens[hit.first_token..hit.end_token].iter().map(|t| t.form()));
        match counts.get_mut(&key) {
            Some(n) => *n += 1,
            None => {
                counts.insert(key.clone(), 1);
            }
        }
    }
    let mut by_category: Vec<Vec<(String, u32)>> = vec![Vec::new(); categories];
    for ((category, forms), n) in counts {
        let words: Vec<&str> = forms.iter().map(|&f| &*doc.forms[f as usize].norm).collect();
        by_category[category].push((words.join(" "), n));
    }
    for forms in &mut by_category {
        sort_counts(forms);
    }
    by_category
}

/// Sorts counts as the `top_*` columns list them: most frequent first, then alphabetically.
pub fn sort_counts(counts: &mut [(String, u32)]) {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// The first `top` of `counts` as `form:n|form:n`, the format of the `top_*` columns.
pub fn join_counts(counts: &[(String, u32)], top: usize) -> String {
    counts.iter().take(top).map(|(f, n)| format!("{f}:{n}")).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Pipeline;

    fn lexicon(toml: &str) -> Lexicon {
        Lexicon::parse_toml(toml, Path::new("test.toml")).unwrap().0
    }

    fn hits(toml: &str, text: &str) -> Vec<(String, String)> {
        hits_with(&lexicon(toml), text).into_iter().map(|(c, w)| (c.to_string(), w.to_string())).collect()
    }

    /// (category key, matched text) of every hit of `lex` in `text`.
    fn hits_with<'l>(lex: &'l Lexicon, text: &str) -> Vec<(&'l str, String)> {
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", text);
        lex.compile(&pipeline)
            .find(&doc)
            .iter()
            .map(|h| (lex.categories[h.term.category].key.as_str(), h.span(&doc).of(&doc.text).to_string()))
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
    fn the_embedded_theme_lexicon_parses_cleanly_and_is_big_enough() {
        let (lexicon, warnings) = Lexicon::parse_toml(DEFAULT_THEMES, Path::new("themes.toml")).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(lexicon.categories.len() >= 10);
        for c in &lexicon.categories {
            assert!((15..=40).contains(&c.terms.len()), "[{}] has {} terms", c.key, c.terms.len());
        }
    }

    /// A small LIWC-style dictionary written for this test: numbered categories, a glob, a multi-word entry, an
    /// entry in two categories, and a LIWC 2007 conditional entry.
    const DIC: &str = "%\n1\tposemo\n2\tnegemo\n3\tsocial processes\n%\nhapp*\t1\nsad\t2\nlove\t1 3\n\
                       kind of\t3\nlike\t(02 134)131/125\n";

    #[test]
    fn liwc_dictionaries_are_read() {
        let (lex, warnings) = Lexicon::parse_dic(DIC, Path::new("lab.dic")).unwrap();
        let summary: Vec<(&str, Vec<&str>)> = lex
            .categories
            .iter()
            .map(|c| (c.key.as_str(), c.terms.iter().map(|t| t.text.as_str()).collect()))
            .collect();
        assert_eq!(
            summary,
            [("posemo", vec!["happ*", "love"]), ("negemo", vec!["sad"]), ("social processes", vec!["love", "kind of"])]
        );
        assert_eq!(lex.categories[0].terms[0].words, [Pattern::Prefix("happ".into())]);
        assert_eq!(lex.categories[1].terms[0].words, [Pattern::Exact("sad".into())]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("lab.dic:10: conditional entry"), "{}", warnings[0]);
        // A dictionary says nothing of itself: named by its file, its licence the user's to check.
        let meta = &lex.sources[0].meta;
        assert_eq!((meta.name.as_deref(), meta.licence.as_deref()), (Some("lab"), Some(dic::DIC_LICENCE)));
        // Exact words, as LIWC matches them: "love" is not "loved", "sad" not "sadness"; the glob takes "happily".
        let got = hits_with(&lex, "Happily, she loved him, kind of. Sadness. Sad love.");
        let got: Vec<(&str, &str)> = got.iter().map(|(c, w)| (*c, w.as_str())).collect();
        assert_eq!(
            got,
            [
                ("posemo", "Happily"),
                ("social processes", "kind of"),
                ("negemo", "Sad"),
                ("posemo", "love"),
                ("social processes", "love")
            ]
        );
    }

    #[test]
    fn broken_dictionaries_say_which_line() {
        let err = |text: &str| Lexicon::parse_dic(text, Path::new("lab.dic")).unwrap_err().to_string();
        assert!(err("1\tposemo\n").starts_with("lab.dic:1: a .dic file starts with a line holding only %"));
        assert!(err("%\n1\tposemo\nhappy\t1\n").contains("never closed"));
        assert_eq!(err("%\n1\tdup\n2\tdup\n%\n"), "lab.dic:3: category name 'dup' is used for two numbers");
        assert_eq!(
            err("%\n1\tposemo\n%\nhappy\t7\n"),
            "lab.dic:4: category 7 of 'happy' is not defined between the % lines"
        );
        assert_eq!(
            err("%\n1\tposemo\n%\nhappy\n"),
            "lab.dic:4: the entry 'happy' names no category (add its category numbers)"
        );
    }

    #[test]
    fn export_reads_back_to_the_same_lexicon() {
        let toml = "[\"social life\"]\nlabel = \"Social \\\"life\\\"\"\nterms = [\"friend\", \"kind of\", \"gossip*\"]\n\
                    exclude = [\"friendly\", \"gossipy*\"]\nproper_names = true\n[other]\nterms = [\"x\"]\n";
        let lex = lexicon(toml);
        assert_eq!(lex.categories[0].exclude, [Pattern::Exact("friendly".into()), Pattern::Prefix("gossipy".into())]);
        assert_eq!((lex.categories[0].proper_names, lex.categories[1].proper_names), (true, false));
        let (again, warnings) = Lexicon::parse_toml(&lex.to_toml().unwrap(), Path::new("export.toml")).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(again.categories, lex.categories);
        let default = Lexicon::default_themes();
        assert_eq!(
            Lexicon::parse_toml(&default.to_toml().unwrap(), Path::new("x")).unwrap().0.categories,
            default.categories
        );
        let (dic, _) = Lexicon::parse_dic(DIC, Path::new("lab.dic")).unwrap();
        assert!(dic.to_toml().unwrap_err().to_string().contains("cannot be exported as TOML"));
    }

    #[test]
    fn a_category_defined_in_two_files_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
        std::fs::write(&a, "[memory]\nterms = [\"memory\"]\n").unwrap();
        std::fs::write(&b, "[loss]\nterms = [\"loss\"]\n[memory]\nterms = [\"recall\"]\n").unwrap();
        let err = Lexicon::from_files(&[a.clone(), b.clone()]).unwrap_err().to_string();
        assert!(err.contains("category [memory] is already defined in"), "{err}");
        let (both, _) = Lexicon::from_files(std::slice::from_ref(&a)).unwrap();
        assert_eq!(both.categories.len(), 1);
    }

    #[test]
    fn a_finder_finds_in_stretches_what_find_finds_at_once() {
        let lex = lexicon(
            "[memory]\nterms = [\"memory\", \"memor*\", \"soft-focus memories\", \"told and not told\"]\n\
             [loss]\nterms = [\"memories\", \"not told\", \"lost\", \"told and\"]\n",
        );
        let text = "Soft-focus memories, told and not told. Memory lost; told and not told and not told. \
                    Memories! Soft focus memories told and not told";
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", text.repeat(3));
        let matcher = lex.compile(&pipeline);
        let all = matcher.find(&doc);
        assert!(all.len() > 20);
        // Stretches of every length, cutting phrases and sentences anywhere.
        for step in 1..=7 {
            let mut finder = Finder::new(&matcher, &doc);
            let mut hits = Vec::new();
            let mut end = 0;
            while end < doc.tokens.len() {
                end += step;
                let before = hits.len();
                finder.find_until(end, &mut hits);
                assert!(hits[before..].iter().all(|h| h.first_token < end), "step {step}");
            }
            assert_eq!(hits, all, "stretches of {step} tokens");
        }
    }

    #[test]
    fn plain_terms_match_by_stem_and_possessive() {
        let got = hits("[place]\nterms = [\"hailsham\", \"remember\"]", "Hailsham’s Gallery. She remembered Hailsham.");
        let words: Vec<&str> = got.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["Hailsham’s", "remembered", "Hailsham"]);
    }

    #[test]
    fn the_first_matching_term_of_a_category_gets_the_credit() {
        let lex = lexicon("[m]\nterms = [\"memor*\", \"memory\"]");
        let pipeline = Pipeline::default();
        let doc = Document::from_text("t", "memory memorial");
        let terms: Vec<usize> = lex.compile(&pipeline).find(&doc).iter().map(|h| h.term.term).collect();
        assert_eq!(terms, [0, 0]);
    }

    #[test]
    fn a_very_long_word_costs_no_more_than_the_longest_glob() {
        let word = "a".repeat(2_000_000);
        let got = hits("[m]\nterms = [\"aaa*\"]", &word);
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn globs_match_prefixes_of_normalised_forms() {
        let got = hits("[m]\nterms = [\"nostalgi*\"]", "Nostalgic, nostalgia; NOSTALGICALLY, nostrum.");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn one_letter_and_accented_globs_match_past_the_first_bytes_filter() {
        // "a*" is one byte, so it cannot be ruled out by two; "é*" begins with a two-byte letter.
        let words = |toml: &str, text: &str| -> Vec<String> { hits(toml, text).into_iter().map(|(_, w)| w).collect() };
        assert_eq!(words("[m]\nterms = [\"a*\"]", "An apple, a pear."), ["An", "apple", "a"]);
        assert_eq!(words("[m]\nterms = [\"é*\"]", "École, élan, echo."), ["École", "élan"]);
        assert_eq!(words("[m]\nterms = [\"memor*\", \"me*\"]", "Me, memory, mo."), ["Me", "memory"]);
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
    fn meta_is_read_and_a_bad_one_is_an_error_with_its_line() {
        let toml = "[meta]\nname = \"Mine\"\nlicence = \"CC-BY-4.0\"\n\n[memory]\nterms = [\"memory\"]\n";
        let lexicon = lexicon(toml);
        assert_eq!(lexicon.categories.len(), 1, "meta is not a category");
        let meta = &lexicon.sources[0].meta;
        assert_eq!(
            (meta.name.as_deref(), meta.licence.as_deref(), meta.url.as_deref()),
            (Some("Mine"), Some("CC-BY-4.0"), None)
        );
        assert_eq!(lexicon.sources[0].sha256, crate::resource::sha256_hex(toml.as_bytes()));
        let err = error_of("[memory]\nterms = [\"memory\"]\n[meta]\nversion = 2\n");
        assert!(err.starts_with("bad.toml:4:11: invalid type: integer `2`, expected a string"), "{err}");
        let err = error_of("[meta]\nauthor = \"me\"\n[memory]\nterms = [\"memory\"]\n");
        assert!(err.starts_with("bad.toml:2:1: unknown field `author`"), "{err}");
        // The embedded lexicons say what they are.
        let themes = &Lexicon::default_themes().sources[0];
        assert_eq!(
            (themes.source.as_str(), themes.meta.licence.as_deref()),
            ("embedded:data/themes.toml", Some("MIT"))
        );
    }

    #[test]
    fn empty_terms_is_an_error() {
        let err = error_of("[memory]\nterms = []\n");
        assert_eq!(err, "bad.toml:2:9: category [memory] has no terms (add some to `terms = [...]`)");
    }

    #[test]
    fn a_lexicon_without_categories_is_an_error() {
        for text in ["", "\n  \n", "# memory, to do\n"] {
            let err = error_of(text);
            assert!(err.starts_with("bad.toml:1: no categories: the file is empty or only comments"), "{err}");
            assert!(err.contains("[category] with terms"), "{err}");
        }
    }

    #[test]
    fn a_dictionary_that_defines_nothing_is_an_error_and_an_empty_category_a_warning() {
        let err = |text: &str| Lexicon::parse_dic(text, Path::new("lab.dic")).unwrap_err().to_string();
        assert!(err("").starts_with("lab.dic:1: the file is empty: a .dic dictionary needs"), "{}", err(""));
        assert!(err("\n \n").starts_with("lab.dic:1: the file is empty"));
        assert!(err("%\n%\n").starts_with("lab.dic:2: no categories between the % lines"), "{}", err("%\n%\n"));
        let e = err("%\n1\tposemo\n%\n\n");
        assert!(e.starts_with("lab.dic:3: no entries after the % lines"), "{e}");
        let (lex, warnings) =
            Lexicon::parse_dic("%\n1\tposemo\n2\tunused\n%\nhapp*\t1\n", Path::new("lab.dic")).unwrap();
        assert_eq!(lex.categories.len(), 2);
        assert_eq!(warnings, ["lab.dic:3: category 'unused' has no entries; it will count nothing"]);
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
    fn excluded_forms_are_not_matched_by_stem_or_glob() {
        let toml = "[identity]\nterms = [\"identity\"]\nexclude = [\"identical*\"]\n\
                    [fate]\nterms = [\"hope\"]\nexclude = [\"hopefully\"]\n\
                    [body]\nterms = [\"pain\", \"body\"]\nexclude = [\"painfully\", \"bodi*\"]\n";
        let text = "Identical twins, identically dressed, share an identity. Hopefully she hoped. Painfully, pain. \
                    Bodies, a body.";
        let words: Vec<String> = hits(toml, text).into_iter().map(|(_, w)| w).collect();
        assert_eq!(words, ["identity", "hoped", "pain", "body"]);
    }

    #[test]
    fn an_exclude_applies_to_every_word_of_a_phrase_and_only_to_its_category() {
        let toml = "[memory]\nterms = [\"the past\", \"let go\"]\nexclude = [\"paste\", \"let's\"]\n\
                    [craft]\nterms = [\"paste*\"]\n";
        let got = hits(toml, "In the paste of the past, let's go; let go.");
        let got: Vec<(&str, &str)> = got.iter().map(|(c, w)| (c.as_str(), w.as_str())).collect();
        assert_eq!(got, [("craft", "paste"), ("memory", "the past"), ("memory", "let go")]);
    }

    #[test]
    fn an_exclude_entry_is_one_word_or_glob() {
        let err = error_of("[m]\nterms = [\"past\"]\nexclude = [\"the paste\"]\n");
        assert_eq!(
            err,
            "bad.toml:3:12: [m]: exclude entry 'the paste' must be one word or glob (`identical*`), not a phrase"
        );
        let err = error_of("[m]\nterms = [\"past\"]\nexclude = [\"—\"]\n");
        assert!(err.starts_with("bad.toml:3:12: [m]: exclude entry '—' has no letters"), "{err}");
        let err = error_of("[m]\nterms = [\"past\"]\nexclude = [\"*\"]\n");
        assert!(err.starts_with("bad.toml:3:12: [m]: the term '*' is only `*`"), "{err}");
        let err = error_of("[m]\nterms = [\"past\"]\nproper_names = \"yes\"\n");
        assert!(err.starts_with("bad.toml:3:"), "{err}");
    }

    #[test]
    fn terms_without_letters_are_warned_about_and_left_out() {
        let (lex, warnings) = Lexicon::parse_toml("[m]\nterms = [\"memory\", \"—\"]", Path::new("w.toml")).unwrap();
        assert_eq!(lex.categories[0].terms.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("w.toml:2:20: term '—' in [m] has no letters"), "{}", warnings[0]);
    }
}
