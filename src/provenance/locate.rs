//! One quotation located in the sources: as a term, by its parts, whole, or by alignment (see [`super`]).

use std::cmp::Reverse;

use super::align::align;
use super::normalise::{normalise_str, words};
use super::{Found, Match, Source};

/// The least similarity (1 − word edits / words) of a `fuzzy` match: one edit in five words.
pub const MIN_SIMILARITY: f64 = 0.8;
/// The most words a quotation may have to be aligned for a `fuzzy` match (longer ones are found whole, by their
/// parts, or not at all): alignment takes time and memory in proportion to the words times the window's.
pub const MAX_FUZZY_WORDS: usize = 200;
/// The most bytes of normalised source text between the end of one part of a quotation cut with ellipses and the
/// start of the next (about 350 words: the cuts a review makes inside a paragraph or two).
pub const MAX_GAP: usize = 2_000;
/// A word 3-gram (or 2-gram) seen more often than this in a source says too little of where a quotation is to be
/// aligned there.
const MAX_HITS: usize = 100;
/// The places in one source a quotation is aligned at: the densest clusters of its n-grams.
const CLUSTERS: usize = 3;
/// The most places tried for the part of a quotation cut with ellipses that the others are found around.
const MAX_ANCHORS: usize = 10_000;
/// The marks of a cut: `[...]`, `[…]`, `. . .`, `...` and `…`.
const ELLIPSES: [&str; 5] = ["[...]", "[…]", ". . .", "...", "…"];

/// A span of bytes, start and end.
type Bytes = (usize, usize);

/// `text` from its first letter or digit to its last (empty when it has none).
fn trimmed(text: &str) -> &str {
    let start = text.char_indices().find(|(_, c)| c.is_alphanumeric()).map(|(i, _)| i);
    let end = text.char_indices().rev().find(|(_, c)| c.is_alphanumeric()).map(|(i, c)| i + c.len_utf8());
    match (start, end) {
        (Some(start), Some(end)) => &text[start..end],
        _ => "",
    }
}

/// The parts of a quotation cut with ellipses (`[...]`, `[…]`, `. . .`, `...`, `…`), each [`trimmed`]; parts
/// without a letter or digit are left out, so a quotation opening or closing with an ellipsis has one part.
pub fn split_ellipsis(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut from, mut i) = (0, 0);
    while let Some(c) = text[i..].chars().next() {
        if let Some(mark) = ELLIPSES.iter().find(|mark| text[i..].starts_with(*mark)) {
            parts.push(&text[from..i]);
            i += mark.len();
            from = i;
        } else {
            i += c.len_utf8();
        }
    }
    parts.push(&text[from..]);
    parts.into_iter().map(trimmed).filter(|part| !part.is_empty()).collect()
}

/// A text to look for: as written, normalised, and its normalised words.
struct Needle<'q> {
    text: &'q str,
    norm: String,
    words: Vec<(usize, usize)>,
}

impl<'q> Needle<'q> {
    fn new(text: &'q str) -> Self {
        let norm = normalise_str(text);
        let words = words(&norm).collect();
        Needle { text, norm, words }
    }

    fn word(&self, i: usize) -> &str {
        let (start, end) = self.words[i];
        &self.norm[start..end]
    }

    /// Its first three words (or fewer), as the index is asked.
    fn first_words(&self) -> Vec<&str> {
        (0..self.words.len().min(3)).map(|i| self.word(i)).collect()
    }
}

/// Whether `needle` occurs in `hay` at `at`, a whole word at either end.
fn bounded_at(hay: &str, at: usize, needle: &str) -> bool {
    let Some(rest) = hay.get(at..) else { return false };
    rest.starts_with(needle)
        && !rest[needle.len()..].chars().next().is_some_and(char::is_alphanumeric)
        && !hay[..at].chars().next_back().is_some_and(char::is_alphanumeric)
}

/// The largest character boundary of `text` at or before `i`.
fn floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where `quotation` comes from in `sources` (see [`super::Sources::locate`]).
pub fn locate<'a>(sources: &'a [Source], quotation: &'a str) -> Vec<Found<'a>> {
    let whole = Needle::new(trimmed(quotation));
    let found = |source: &'a Source, span, kind, similarity| Found {
        part: 1,
        text: whole.text,
        source: Some(source),
        span: Some(span),
        kind,
        similarity: Some(similarity),
        count: None,
    };
    let none =
        Found { part: 1, text: whole.text, source: None, span: None, kind: Match::None, similarity: None, count: None };
    if whole.words.is_empty() {
        return vec![none];
    }
    if whole.words.len() <= 2 {
        return vec![term(sources, &whole)];
    }
    let parts = split_ellipsis(quotation);
    if parts.len() > 1 {
        let needles: Vec<Needle> = parts.into_iter().map(Needle::new).collect();
        if let Some(found) = sources.iter().find_map(|source| by_parts(source, &needles)) {
            return found;
        }
    } else {
        let mut normalised = None;
        for source in sources {
            match find_whole(source, &whole) {
                Some((span, Match::Exact)) => return vec![found(source, span, Match::Exact, 1.0)],
                Some((span, _)) if normalised.is_none() => {
                    normalised = Some(found(source, span, Match::Normalised, 1.0))
                }
                _ => {}
            }
        }
        if let Some(normalised) = normalised {
            return vec![normalised];
        }
    }
    let mut best: Option<Found> = None;
    for source in sources {
        if let Some((span, similarity)) = find_fuzzy(source, &whole)
            && best.as_ref().is_none_or(|b| b.similarity.is_some_and(|s| similarity > s))
        {
            best = Some(found(source, span, Match::Fuzzy, similarity));
        }
    }
    vec![best.unwrap_or(none)]
}

/// A term: counted in each source, the one it occurs in most given (the first of those), or none.
fn term<'a>(sources: &'a [Source], needle: &Needle<'a>) -> Found<'a> {
    let counts = sources.iter().map(|source| (source, count(source, needle)));
    let best = counts.fold(None, |best: Option<(&Source, u64)>, (s, n)| match best {
        Some((_, m)) if m >= n => best,
        _ => Some((s, n)),
    });
    Found {
        part: 1,
        text: needle.text,
        source: best.map(|b| b.0),
        span: None,
        kind: Match::Term,
        similarity: None,
        count: Some(best.map_or(0, |b| b.1)),
    }
}

/// How often `needle` occurs in `source`, normalised, as whole words.
fn count(source: &Source, needle: &Needle) -> u64 {
    let hay = &source.norm.text;
    source.index.starting(&needle.first_words()).filter(|&at| bounded_at(hay, at, &needle.norm)).count() as u64
}

/// The first occurrence of `needle` in `source` as the same characters, else the first normalised one: its span
/// in the original text, and which it is.
fn find_whole(source: &Source, needle: &Needle) -> Option<((usize, usize), Match)> {
    let hay = &source.norm.text;
    let (mut exact, mut normalised): (Option<Bytes>, Option<Bytes>) = (None, None);
    for at in source.index.starting(&needle.first_words()) {
        if !bounded_at(hay, at, &needle.norm) {
            continue;
        }
        let span = source.norm.original(&source.text, at, at + needle.norm.len());
        let slot = if source.text.get(span.0..span.1) == Some(needle.text) { &mut exact } else { &mut normalised };
        if slot.is_none_or(|s| span.0 < s.0) {
            *slot = Some(span);
        }
    }
    match (exact, normalised) {
        (Some(span), _) => Some((span, Match::Exact)),
        (None, Some(span)) => Some((span, Match::Normalised)),
        _ => None,
    }
}

/// Every part of a quotation cut with ellipses found in `source` in order, each normalised, at most [`MAX_GAP`]
/// after the one before: found around the part with the fewest candidates, at its first place that works.
fn by_parts<'a>(source: &'a Source, needles: &[Needle<'a>]) -> Option<Vec<Found<'a>>> {
    let hay = &source.norm.text;
    let candidates = |k: usize| source.index.starting(&needles[k].first_words());
    let anchor = (0..needles.len()).min_by_key(|&k| candidates(k).len())?;
    let mut starts: Vec<usize> = candidates(anchor).filter(|&at| bounded_at(hay, at, &needles[anchor].norm)).collect();
    starts.sort_unstable();
    let spans = starts.into_iter().take(MAX_ANCHORS).find_map(|at| around(hay, needles, anchor, at))?;
    let found = spans.into_iter().zip(needles).enumerate().map(|(k, ((start, end), needle))| Found {
        part: k as u32 + 1,
        text: needle.text,
        source: Some(source),
        span: Some(source.norm.original(&source.text, start, end)),
        kind: Match::Ellipsis,
        similarity: Some(1.0),
        count: None,
    });
    Some(found.collect())
}

/// The normalised spans of every part, the `anchor`-th found at `at`: the later ones each in the [`MAX_GAP`]
/// after the one before, the earlier ones each in the [`MAX_GAP`] before the one after.
fn around(hay: &str, needles: &[Needle], anchor: usize, at: usize) -> Option<Vec<(usize, usize)>> {
    let mut spans = vec![(0, 0); needles.len()];
    spans[anchor] = (at, at + needles[anchor].norm.len());
    for k in anchor + 1..needles.len() {
        let (from, needle) = (spans[k - 1].1, &needles[k].norm);
        let to = floor(hay, from + MAX_GAP + needle.len());
        let found = hay[from..to].match_indices(needle.as_str()).map(|(i, _)| from + i);
        let start = found.into_iter().find(|&start| bounded_at(hay, start, needle))?;
        spans[k] = (start, start + needle.len());
    }
    for k in (0..anchor).rev() {
        let (to, needle) = (spans[k + 1].0, &needles[k].norm);
        let from = floor(hay, to.saturating_sub(MAX_GAP + needle.len()));
        let found = hay[from..to].rmatch_indices(needle.as_str()).map(|(i, _)| from + i);
        let start = found.into_iter().find(|&start| bounded_at(hay, start, needle))?;
        spans[k] = (start, start + needle.len());
    }
    Some(spans)
}

/// The run of `source` most like `needle` word by word, near where its word 3-grams (or, with none found, its
/// 2-grams) occur: its original span and similarity, if at least [`MIN_SIMILARITY`].
fn find_fuzzy(source: &Source, needle: &Needle) -> Option<((usize, usize), f64)> {
    let n = needle.words.len();
    if !(3..=MAX_FUZZY_WORDS).contains(&n) {
        return None;
    }
    let hay = &source.norm.text;
    let quote: Vec<&str> = (0..n).map(|i| needle.word(i)).collect();
    let slack = (needle.norm.len() / 4).max(24);
    let mut best: Option<((usize, usize), f64)> = None;
    for (from, to) in clusters(&starts(source, needle), slack) {
        let (lo, hi) = (floor(hay, from.saturating_sub(slack)), floor(hay, to + needle.norm.len() + slack));
        let spans: Vec<(usize, usize)> = words(&hay[lo..hi]).map(|(a, b)| (a + lo, b + lo)).collect();
        let window: Vec<&str> = spans.iter().map(|&(a, b)| &hay[a..b]).collect();
        let Some(aligned) = align(&quote, &window).filter(|a| a.start < a.end) else { continue };
        let similarity = aligned.similarity(n);
        if best.is_none_or(|b| similarity > b.1) {
            best = Some(((spans[aligned.start].0, spans[aligned.end - 1].1), similarity));
        }
    }
    let (span, similarity) = best.filter(|b| b.1 >= MIN_SIMILARITY)?;
    Some((source.norm.original(&source.text, span.0, span.1), similarity))
}

/// Where the quotation would start in the normalised source, by each of its word 3-grams found there (or 2-grams,
/// if no 3-gram is), sorted; an n-gram found more than [`MAX_HITS`] times is passed over, unless every one is,
/// when the first [`MAX_HITS`] places of the rarest 3-gram are taken.
fn starts(source: &Source, needle: &Needle) -> Vec<usize> {
    let mut starts = Vec::new();
    // The rarest 3-gram, in case every one is common (a source that repeats itself).
    let mut rarest: Option<(usize, usize)> = None;
    for size in [3, 2] {
        for i in 0..=needle.words.len().saturating_sub(size) {
            let gram: Vec<&str> = (i..i + size).map(|w| needle.word(w)).collect();
            let hits = source.index.starting(&gram);
            if hits.len() <= MAX_HITS {
                starts.extend(hits.map(|at| at.saturating_sub(needle.words[i].0)));
            } else if size == 3 && rarest.is_none_or(|(n, _)| hits.len() < n) {
                rarest = Some((hits.len(), i));
            }
        }
        if !starts.is_empty() {
            break;
        }
    }
    if let Some((_, i)) = rarest.filter(|_| starts.is_empty()) {
        let gram: Vec<&str> = (i..i + 3).map(|w| needle.word(w)).collect();
        let hits = source.index.starting(&gram).take(MAX_HITS);
        starts.extend(hits.map(|at| at.saturating_sub(needle.words[i].0)));
    }
    starts.sort_unstable();
    starts
}

/// The densest runs of `starts` (sorted) at most `slack` wide, as (first, last) start: up to [`CLUSTERS`], apart
/// from each other, densest first.
fn clusters(starts: &[usize], slack: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::with_capacity(starts.len());
    let mut j = 0;
    for (i, &from) in starts.iter().enumerate() {
        j = j.max(i);
        while j + 1 < starts.len() && starts[j + 1] <= from + slack {
            j += 1;
        }
        runs.push((j + 1 - i, from, starts[j]));
    }
    runs.sort_by_key(|&(count, from, _)| (Reverse(count), from));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, from, to) in runs {
        if chosen.iter().all(|&(a, b)| from > b + slack || to + slack < a) {
            chosen.push((from, to));
            if chosen.len() == CLUSTERS {
                break;
            }
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quotation_is_cut_at_each_ellipsis_and_its_parts_trimmed() {
        assert_eq!(
            split_ellipsis("It is a truth … universally acknowledged"),
            ["It is a truth", "universally acknowledged"]
        );
        assert_eq!(split_ellipsis("a b [...] c d [\u{2026}] e... f. . . g"), ["a b", "c d", "e", "f", "g"]);
        // An ellipsis at either end cuts nothing off that is looked for.
        assert_eq!(split_ellipsis("…and so it was..."), ["and so it was"]);
        assert_eq!(split_ellipsis("“…”"), Vec::<&str>::new());
        assert_eq!(trimmed("“‘Well,’ she said.”"), "Well,’ she said");
    }

    #[test]
    fn each_rule_in_its_turn() {
        let text = "He said: \"It is _quite_ true.\"\nShe was not\nsure it was true. It is quite true, then.";
        let sources = [Source::new("s", text, &crate::text::ChapterRule::None).unwrap()];
        let one = |quotation: &'static str| {
            let found = locate(&sources, quotation);
            assert_eq!(found.len(), 1, "{quotation}");
            let span = found[0].span.map(|(a, b)| &text[a..b]);
            (found[0].kind, span, found[0].similarity, found[0].count)
        };
        // The first occurrence as written is exact, though a normalised one comes earlier.
        assert_eq!(one("It is quite true."), (Match::Exact, Some("It is quite true"), Some(1.0), None));
        assert_eq!(one("she was NOT sure"), (Match::Normalised, Some("She was not\nsure"), Some(1.0), None));
        // One word changed in five: similarity 0.8, the least a fuzzy match may have.
        assert_eq!(one("she was not sure it"), (Match::Normalised, Some("She was not\nsure it"), Some(1.0), None));
        assert_eq!(one("she was never sure it"), (Match::Fuzzy, Some("She was not\nsure it"), Some(0.8), None));
        assert_eq!(one("he was never quite sure"), (Match::None, None, None, None));
        assert_eq!(one("true"), (Match::Term, None, None, Some(3)));
        assert_eq!(one("…"), (Match::None, None, None, None));
        // `it is` has fewer candidates than `true`: found first, `true` then in the gap after it.
        let parts = locate(&sources, "It is … true");
        let spans: Vec<(u32, Match, &str)> =
            parts.iter().map(|f| (f.part, f.kind, &text[f.span.unwrap().0..f.span.unwrap().1])).collect();
        assert_eq!(spans, [(1, Match::Ellipsis, "It is"), (2, Match::Ellipsis, "true")]);
    }

    #[test]
    fn the_densest_places_are_aligned_first() {
        assert_eq!(clusters(&[5, 100, 101, 103, 900], 24), [(100, 103), (5, 5), (900, 900)]);
        assert!(clusters(&[], 24).is_empty());
    }
}
