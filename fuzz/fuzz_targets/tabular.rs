//! Tables of documents in any bytes, as CSV, TSV and JSON Lines: no panic; every row is a record or a bad row
//! with a line inside the input; line numbers never go back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::tabular::{Columns, Format, records};

/// The lines of `data` as the product counts them: a line ends in LF, CRLF or a carriage return alone (a
/// spreadsheet's "CSV (Macintosh)"), and whatever follows the last line end is one more line.
fn lines(data: &[u8]) -> u64 {
    let ends = data.iter().enumerate().filter(|&(i, &b)| match b {
        b'\n' => true,
        b'\r' => data.get(i + 1) != Some(&b'\n'),
        _ => false,
    });
    ends.count() as u64 + 1
}

fuzz_target!(|data: &[u8]| {
    let lines = lines(data);
    for format in [Format::Csv, Format::Tsv, Format::Jsonl] {
        let Ok(rows) = records(data, format, &Columns::default()) else { continue };
        let mut last = 0;
        for row in rows {
            let line = match row {
                Ok(record) => {
                    assert!(!record.text.trim().is_empty(), "an empty text is a bad row");
                    record.line
                }
                Err(bad) => {
                    assert!(!bad.reason.is_empty() && !bad.reason.contains('\n'), "a one-line reason");
                    bad.line
                }
            };
            assert!(line >= 1 && line <= lines && line >= last, "line {line} after {last}, {lines} lines");
            last = line;
        }
    }
});
