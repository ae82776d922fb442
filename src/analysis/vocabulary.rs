//! `vocabulary.csv`: every stem of a document with its forms, count, relative frequency and rank.
//!
//! ```
//! use marginalia::{input::Source, text::Pipeline, analysis::vocabulary::vocabulary};
//! let text = "She clings to memories. Memory becomes the only thing you can keep.";
//! let doc = Pipeline::default().document(Source::from_text("review", text));
//! let rows = vocabulary(&doc);
//! assert_eq!((rows[0].stem.as_str(), rows[0].forms.as_str(), rows[0].count), ("memori", "memories|memory", 2));
//! ```

use crate::report::schema::{VocabularyRow, per_10k};
use crate::text::Document;

/// One row per stem, most frequent first (ties in alphabetical order of the term).
pub fn vocabulary(doc: &Document) -> Vec<VocabularyRow> {
    let mut stem_counts = vec![0u32; doc.stems.len()];
    let mut stem_forms: Vec<Vec<usize>> = vec![Vec::new(); doc.stems.len()];
    // Forms are numbered in order of first occurrence, so pushing them in order keeps ties in text order.
    for (f, form) in doc.forms.iter().enumerate() {
        stem_counts[form.stem as usize] += form.count;
        stem_forms[form.stem as usize].push(f);
    }
    let mut first_sentence = vec![u32::MAX; doc.stems.len()];
    for (i, sentence) in doc.sentences.iter().enumerate() {
        for t in &doc.tokens[sentence.first_token as usize..sentence.end_token as usize] {
            let s = doc.forms[t.form() as usize].stem as usize;
            first_sentence[s] = first_sentence[s].min(i as u32 + 1);
        }
    }
    let mut rows: Vec<VocabularyRow> = stem_forms
        .into_iter()
        .enumerate()
        .map(|(s, mut forms)| {
            forms.sort_by_key(|&f| std::cmp::Reverse(doc.forms[f].count));
            let term = &doc.forms[forms[0]];
            VocabularyRow {
                document: doc.id.clone(),
                stem: doc.stems[s].to_string(),
                term: term.norm.to_string(),
                forms: forms.iter().map(|&f| &*doc.forms[f].norm).collect::<Vec<_>>().join("|"),
                count: stem_counts[s],
                per_10k: per_10k(stem_counts[s] as usize, doc.tokens.len()),
                rank: 0,
                stopword: term.stopword,
                first_sentence: first_sentence[s],
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.term.cmp(&b.term)));
    assign_ranks(&mut rows);
    rows
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
    use crate::input::Source;
    use crate::text::Pipeline;

    fn doc(text: &str) -> Document {
        Pipeline::default().document(Source::from_text("t", text))
    }

    #[test]
    fn forms_merge_under_their_stem_most_frequent_first() {
        let rows = vocabulary(&doc("He remembers. They remembered, remembered. Remember."));
        let r = rows.iter().find(|r| r.stem == "rememb").unwrap();
        assert_eq!((r.term.as_str(), r.forms.as_str(), r.count), ("remembered", "remembered|remembers|remember", 4));
        assert_eq!(r.first_sentence, 1);
        assert_eq!(r.per_10k, 6666.6667);
    }

    #[test]
    fn ranks_share_ties() {
        let rows = vocabulary(&doc("loss loss grief grief hope"));
        let ranks: Vec<(&str, u32)> = rows.iter().map(|r| (r.term.as_str(), r.rank)).collect();
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
