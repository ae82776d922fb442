//! `vocabulary.csv`: every stem of a document with its forms, count, relative frequency and rank.
//!
//! ```
//! use marginalia::{input::Source, text::Pipeline, analysis::vocabulary::vocabulary};
//! let text = "She clings to memories. Memory becomes the only thing you can keep.";
//! let doc = Pipeline::default().document(Source::from_text("review", text));
//! let rows = vocabulary(&doc);
//! assert_eq!((rows[0].stem, &*rows[0].forms, rows[0].count), ("memori", "memories|memory", 2));
//! ```

use std::borrow::Cow;
use std::cmp::Reverse;

use crate::report::schema::{VocabularyRow, per_10k};
use crate::text::Document;

/// One row per stem, most frequent first (ties in alphabetical order of the term). The rows borrow their strings
/// from the document: a corpus of short texts writes a row per stem per text, and copying them cost 3% of a run.
pub fn vocabulary(doc: &Document) -> Vec<VocabularyRow<'_>> {
    let by_stem = forms_by_stem(doc);
    let mut first_sentence = vec![u32::MAX; doc.stems.len()];
    for (i, sentence) in doc.sentences.iter().enumerate() {
        for t in &doc.tokens[sentence.first_token as usize..sentence.end_token as usize] {
            let s = doc.forms[t.form() as usize].stem as usize;
            first_sentence[s] = first_sentence[s].min(i as u32 + 1);
        }
    }
    let mut rows: Vec<VocabularyRow> = by_stem
        .chunk_by(|&a, &b| doc.forms[a as usize].stem == doc.forms[b as usize].stem)
        .map(|forms| {
            let term = &doc.forms[forms[0] as usize];
            let count = forms.iter().map(|&f| doc.forms[f as usize].count).sum();
            VocabularyRow {
                document: &doc.id,
                stem: doc.stem_of(term),
                term: &term.norm,
                forms: joined(doc, forms),
                count,
                per_10k: per_10k(count as usize, doc.tokens.len()),
                rank: 0,
                stopword: term.stopword,
                first_sentence: first_sentence[term.stem as usize],
                // Known only once the corpus is counted: filled in as the table is published.
                tf_idf: None,
            }
        })
        .collect();
    // Terms are distinct (a form has one stem), so the order is total.
    rows.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.term.cmp(b.term)));
    assign_ranks(&mut rows);
    rows
}

/// The document's form ids grouped by stem (stems in order of first occurrence), each stem's most frequent first.
/// Forms are numbered in order of first occurrence and both steps are stable, so ties stay in text order: a stable
/// sort by (stem, most frequent), in a pass that buckets by stem (stems are numbered densely) and a sort of the few
/// stems with more than one form. Every stem has at least one form.
fn forms_by_stem(doc: &Document) -> Vec<u32> {
    let mut starts = vec![0usize; doc.stems.len() + 1];
    for form in &doc.forms {
        starts[form.stem as usize + 1] += 1;
    }
    for s in 1..starts.len() {
        starts[s] += starts[s - 1];
    }
    let mut next = starts.clone();
    let mut by_stem = vec![0u32; doc.forms.len()];
    for (f, form) in doc.forms.iter().enumerate() {
        let at = &mut next[form.stem as usize];
        by_stem[*at] = f as u32;
        *at += 1;
    }
    for bounds in starts.windows(2) {
        let forms = &mut by_stem[bounds[0]..bounds[1]];
        if forms.len() > 1 {
            forms.sort_by_key(|&f| Reverse(doc.forms[f as usize].count));
        }
    }
    by_stem
}

/// The forms' normalised strings `|`-joined; borrowed when there is only one, as for most stems.
fn joined<'d>(doc: &'d Document, forms: &[u32]) -> Cow<'d, str> {
    let norm = |f: u32| &*doc.forms[f as usize].norm;
    match forms {
        [only] => Cow::Borrowed(norm(*only)),
        _ => {
            let mut out = String::with_capacity(forms.iter().map(|&f| norm(f).len() + 1).sum());
            for (i, &f) in forms.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                out.push_str(norm(f));
            }
            Cow::Owned(out)
        }
    }
}

/// Competition ranking ("1224"): equal counts share the rank of the first of them.
fn assign_ranks(rows: &mut [VocabularyRow]) {
    let mut rank = 0;
    let mut prev = None;
    for (i, row) in rows.iter_mut().enumerate() {
        if prev != Some(row.count) {
            rank = i as u32 + 1;
            prev = Some(row.count);
        }
        row.rank = rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::from_text("t", text)
    }

    proptest::proptest! {
        #[test]
        fn forms_bucketed_by_stem_are_those_a_stable_sort_gives(words in proptest::collection::vec(
            proptest::sample::select(vec!["remember", "remembers", "remembered", "memory", "memories", "Memory", "cat",
                "cats", "dog", "walk", "walked", "walking", "walks"]), 1..60)) {
            let d = doc(&words.join(" "));
            let mut sorted: Vec<u32> = (0..d.forms.len() as u32).collect();
            sorted.sort_by_key(|&f| (d.forms[f as usize].stem, Reverse(d.forms[f as usize].count)));
            proptest::prop_assert_eq!(forms_by_stem(&d), sorted);
        }
    }

    #[test]
    fn forms_merge_under_their_stem_most_frequent_first() {
        let d = doc("He remembers. They remembered, remembered. Remember.");
        let rows = vocabulary(&d);
        let r = rows.iter().find(|r| r.stem == "rememb").unwrap();
        assert_eq!((r.term, &*r.forms, r.count), ("remembered", "remembered|remembers|remember", 4));
        assert_eq!(r.first_sentence, 1);
        assert_eq!(r.per_10k, 6666.6667);
    }

    #[test]
    fn ranks_share_ties() {
        let d = doc("loss loss grief grief hope");
        let rows = vocabulary(&d);
        let ranks: Vec<(&str, u32)> = rows.iter().map(|r| (r.term, r.rank)).collect();
        assert_eq!(ranks, [("grief", 1), ("loss", 1), ("hope", 3)]);
    }

    #[test]
    fn counts_sum_to_tokens_and_stopwords_are_flagged() {
        let d = doc("The students are told just enough. They are told and not told.");
        let rows = vocabulary(&d);
        assert_eq!(rows.iter().map(|r| r.count as usize).sum::<usize>(), d.tokens.len());
        let told = rows.iter().find(|r| r.term == "told").unwrap();
        assert_eq!((told.count, told.rank, told.stopword), (3, 1, false));
        assert!(rows.iter().find(|r| r.term == "the").unwrap().stopword);
    }
}
