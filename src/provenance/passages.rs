//! `quoted_passages.csv`: the passages of the sources a corpus quotes, made from every document's located
//! quotations (a shard's are kept in its state, so `merge` makes the same table). Spans that overlap — share at
//! least one byte — are one passage, from the first one's start to the last one's end; spans that only touch are
//! two.

use std::collections::BTreeSet;

use crate::report::schema::QuotedPassageRow;

use super::Located;

/// Every located quotation (or part) of the documents added so far, with the document's place in the run.
#[derive(Debug, Default)]
pub struct Passages {
    quoted: Vec<(usize, Located)>,
    documents: usize,
}

impl Passages {
    /// Adds the next document's located quotations.
    pub fn add(&mut self, located: Vec<Located>) {
        self.quoted.extend(located.into_iter().map(|l| (self.documents, l)));
        self.documents += 1;
    }

    /// Whether no quotation was located.
    pub fn is_empty(&self) -> bool {
        self.quoted.is_empty()
    }

    /// The rows of `quoted_passages.csv`: by source id, then where each passage starts.
    pub fn rows(&self) -> Vec<QuotedPassageRow> {
        let mut sorted: Vec<&(usize, Located)> = self.quoted.iter().collect();
        sorted.sort_by(|a, b| (&a.1.source, a.1.start, a.1.end).cmp(&(&b.1.source, b.1.start, b.1.end)));
        let mut rows: Vec<QuotedPassageRow> = Vec::new();
        let (mut reviews, mut quotations) = (BTreeSet::new(), BTreeSet::new());
        for &(document, ref l) in sorted {
            match rows.last_mut() {
                Some(row) if row.source == l.source && l.start < row.source_end_byte => {
                    if l.end > row.source_end_byte {
                        // Both are slices of the one source, so the overlap is a character boundary of each.
                        row.source_text.push_str(l.text.get(row.source_end_byte - l.start..).unwrap_or(""));
                        row.source_end_byte = l.end;
                    }
                }
                _ => {
                    if let Some(row) = rows.last_mut() {
                        (row.reviews, row.quotations) = (reviews.len(), quotations.len());
                    }
                    (reviews, quotations) = (BTreeSet::new(), BTreeSet::new());
                    rows.push(QuotedPassageRow {
                        source: l.source.clone(),
                        source_start_byte: l.start,
                        source_end_byte: l.end,
                        chapter_id: l.chapter_id,
                        reviews: 0,
                        quotations: 0,
                        source_text: l.text.clone(),
                    });
                }
            }
            reviews.insert(document);
            quotations.insert((document, l.quote_id));
        }
        if let Some(row) = rows.last_mut() {
            (row.reviews, row.quotations) = (reviews.len(), quotations.len());
        }
        rows
    }

    /// For the chart: each source (by id) and how many located quotations (or parts) start in each hundredth of
    /// its length.
    pub fn positions(&self) -> Vec<(String, [u32; 100])> {
        let mut sources: Vec<(String, [u32; 100])> = Vec::new();
        for (_, l) in &self.quoted {
            let i = match sources.iter().position(|(id, _)| *id == l.source) {
                Some(i) => i,
                None => {
                    sources.push((l.source.clone(), [0; 100]));
                    sources.len() - 1
                }
            };
            let bin = (l.start as f64 * 100.0 / l.source_bytes.max(1) as f64) as usize;
            sources[i].1[bin.min(99)] += 1;
        }
        sources.sort_by(|a, b| a.0.cmp(&b.0));
        sources
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: usize, end: usize, quote_id: u32) -> Located {
        let source = "abcdefghijklmnopqrstuvwxyz";
        Located {
            source: "novel".into(),
            source_bytes: source.len(),
            start,
            end,
            chapter_id: None,
            quote_id,
            text: source[start..end].into(),
        }
    }

    #[test]
    fn overlapping_spans_are_one_passage_and_touching_ones_two() {
        let mut passages = Passages::default();
        // Two documents: the first quotes b..f and d..h (two quotations), the second e..g, then p..r and r..t.
        passages.add(vec![at(1, 6, 1), at(3, 8, 2)]);
        passages.add(vec![at(4, 7, 1), at(15, 18, 2), at(18, 20, 3)]);
        let rows = passages.rows();
        let got: Vec<(usize, usize, usize, usize, &str)> = rows
            .iter()
            .map(|r| (r.source_start_byte, r.source_end_byte, r.reviews, r.quotations, r.source_text.as_str()))
            .collect();
        assert_eq!(got, [(1, 8, 2, 3, "bcdefgh"), (15, 18, 1, 1, "pqr"), (18, 20, 1, 1, "st")]);
        let positions = passages.positions();
        assert_eq!(positions.len(), 1);
        // 1/26 and 3/26 are in the 3rd and 11th hundredths.
        assert_eq!((positions[0].1[3], positions[0].1[11], positions[0].1.iter().sum::<u32>()), (1, 1, 5));
    }
}
