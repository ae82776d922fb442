//! Tables of documents in any bytes, as CSV, TSV and JSON Lines: no panic; every row is a record or a bad row
//! with a line inside the input; line numbers never go back.

#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::tabular::{Columns, Format, records};

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
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
                    assert!(!bad.reason.is_empty());
                    bad.line
                }
            };
            assert!(line >= 1 && line <= lines && line >= last, "line {line} after {last}, {lines} lines");
            last = line;
        }
    }
});
