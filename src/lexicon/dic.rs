//! LIWC/WordStat `.dic` dictionaries: numbered categories between two `%` lines, then one entry per line.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Category, Lexicon, Pattern, Term, parse_term};
use crate::error::{Error, Result};

/// What a run's manifest says of a `.dic` dictionary's licence.
pub const DIC_LICENCE: &str = "unknown (LIWC dictionaries are proprietary: check yours)";

impl Lexicon {
    /// Parses a LIWC/WordStat dictionary, as quanteda's `dictionary(file = …)` reads it: category numbers and
    /// names between the first two `%` lines, then one entry per line, a term and the numbers of its categories
    /// (tab- or space-separated; a term of several words is separated from its numbers by a tab). `*` ends a glob.
    /// LIWC 2007's conditional entries (`like\t(02 134)131/125`) cannot be expressed and are left out with a
    /// warning.
    ///
    /// A dictionary that defines nothing is an error: an empty file, no category between the `%` lines, or no
    /// entry after them (it would count nothing, silently). A category without entries is only a warning: a
    /// dictionary cut down from a larger one may keep its numbering, and the other categories still count.
    pub fn parse_dic(text: &str, origin: &Path) -> Result<(Lexicon, Vec<String>)> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let mut header = read_header(&mut lines, text, origin)?;
        let mut warnings = read_entries(lines, &mut header, origin)?;
        for (category, line) in header.categories.iter().zip(&header.lines) {
            if category.terms.is_empty() {
                let place = format!("{}:{}", origin.display(), line + 1);
                warnings.push(format!("{place}: category '{}' has no entries; it will count nothing", category.key));
            }
        }
        // A dictionary says nothing of itself: its name is its file's, its licence the user's to check.
        let meta = crate::resource::Meta {
            name: origin.file_stem().map(|n| n.to_string_lossy().into_owned()),
            licence: Some(DIC_LICENCE.to_string()),
            ..Default::default()
        };
        let sources = vec![crate::resource::Resource::file(super::LEXICON, origin, text.as_bytes(), meta)];
        Ok((Lexicon { origin: origin.to_path_buf(), categories: header.categories, sources }, warnings))
    }
}

/// The category section of a `.dic` file.
struct Header {
    /// The categories in file order; the entries fill in their terms.
    categories: Vec<Category>,
    /// Each category number's index in `categories`.
    numbers: FxHashMap<String, usize>,
    /// The line (from 0) each category is defined on.
    lines: Vec<usize>,
    /// The line (from 0) of the closing `%`.
    end: usize,
}

/// An error at line `line` (counted from 0) of the dictionary `origin`.
fn line_error(origin: &Path, line: usize, message: String) -> Error {
    Error::Lexicon { path: origin.to_path_buf(), line: line + 1, column: None, message }
}

/// Reads the category section, from the opening `%` line through the closing one, leaving `lines` at the first
/// entry. `lines` are the non-blank lines of `text`, numbered from 0.
fn read_header<'a>(lines: &mut impl Iterator<Item = (usize, &'a str)>, text: &str, origin: &Path) -> Result<Header> {
    match lines.next() {
        Some((_, l)) if l.trim() == "%" => {}
        Some((line, _)) => {
            let message = "a .dic file starts with a line holding only % (then the categories, then %)";
            return Err(line_error(origin, line, message.into()));
        }
        None => {
            let message = "the file is empty: a .dic dictionary needs a line holding only %, its categories (a \
                           number and a name a line), a % line, then its entries (a word and its category numbers)";
            return Err(line_error(origin, 0, message.into()));
        }
    }
    let mut header = Header { categories: Vec::new(), numbers: FxHashMap::default(), lines: Vec::new(), end: 0 };
    let mut names = FxHashSet::default();
    for (i, line) in lines {
        if line.trim() == "%" {
            if header.categories.is_empty() {
                let message = "no categories between the % lines (write one a line: a number and a name, e.g. \
                               1<TAB>posemo)";
                return Err(line_error(origin, i, message.into()));
            }
            header.end = i;
            return Ok(header);
        }
        let mut fields = line.split_whitespace();
        let (Some(number), Some(name)) = (fields.next(), fields.next()) else {
            let message = format!("expected a category number and name, found '{}'", line.trim());
            return Err(line_error(origin, i, message));
        };
        let name = std::iter::once(name).chain(fields).collect::<Vec<_>>().join(" ");
        if header.numbers.insert(number.to_string(), header.categories.len()).is_some() {
            return Err(line_error(origin, i, format!("category number {number} is defined twice")));
        }
        if !names.insert(name.clone()) {
            return Err(line_error(origin, i, format!("category name '{name}' is used for two numbers")));
        }
        header.categories.push(Category {
            key: name.clone(),
            label: name,
            terms: Vec::new(),
            // LIWC has neither: a dictionary counts as LIWC counts it.
            exclude: Vec::new(),
            proper_names: true,
        });
        header.lines.push(i);
    }
    let last = text.lines().count().saturating_sub(1);
    Err(line_error(origin, last, "the category list is never closed with a % line".into()))
}

/// Reads the entries after the category section into `header`'s categories. Returns warnings about the entries
/// left out: LIWC 2007's conditional ones, and terms that can never match.
fn read_entries<'a>(
    lines: impl Iterator<Item = (usize, &'a str)>,
    header: &mut Header,
    origin: &Path,
) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    let mut entries = 0;
    for (i, line) in lines {
        entries += 1;
        let (term, refs) = split_entry(line);
        let refs: Vec<&str> = refs.split_whitespace().collect();
        if refs.iter().any(|r| !header.numbers.contains_key(*r) && r.contains(['(', '/'])) {
            let place = format!("{}:{}", origin.display(), i + 1);
            warnings.push(format!("{place}: conditional entry '{}' is not supported; left out", line.trim()));
            continue;
        }
        if refs.is_empty() {
            let message = format!("the entry '{term}' names no category (add its category numbers)");
            return Err(line_error(origin, i, message));
        }
        let Some(parsed) = parse_term(term).map_err(|m| line_error(origin, i, m))?.map(exact) else {
            let place = format!("{}:{}", origin.display(), i + 1);
            warnings.push(format!("{place}: term '{term}' has no letters or digits and can never match; left out"));
            continue;
        };
        for r in refs {
            let &c = header.numbers.get(r).ok_or_else(|| {
                line_error(origin, i, format!("category {r} of '{term}' is not defined between the % lines"))
            })?;
            header.categories[c].terms.push(parsed.clone());
        }
    }
    if entries == 0 {
        let message = "no entries after the % lines (write one a line: a word and its category numbers, e.g. \
                       happy<TAB>1)";
        return Err(line_error(origin, header.end, message.into()));
    }
    Ok(warnings)
}

/// An entry's term and the text of its category numbers: split at the first tab when there is one (which a term
/// of several words needs), at the first whitespace otherwise.
fn split_entry(line: &str) -> (&str, &str) {
    match line.split_once('\t') {
        Some((term, refs)) => (term.trim(), refs),
        None => match line.trim().split_once(char::is_whitespace) {
            Some((term, refs)) => (term, refs),
            None => (line.trim(), ""),
        },
    }
}

/// A `.dic` term: its plain words match exactly, as LIWC and quanteda match them.
fn exact(term: Term) -> Term {
    let words = term
        .words
        .into_iter()
        .map(|w| match w {
            Pattern::Word(word) => Pattern::Exact(word),
            other => other,
        })
        .collect();
    Term { words, ..term }
}
