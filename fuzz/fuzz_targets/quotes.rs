//! Quotation extraction on any text: no panic; every quotation is an exact slice; two quotations nest (with depth
//! and parent saying so) or do not overlap.

#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::analysis::quotes::quotes;
use marginalia::input::Source;
use marginalia::text::Pipeline;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let doc = Pipeline::default().document(Source::from_text("fuzz", text.as_str()));
    let rows: Vec<_> = quotes(&doc).rows().collect();
    for (i, q) in rows.iter().enumerate() {
        assert_eq!(doc.text.get(q.start_byte..q.end_byte), Some(q.text));
        assert_eq!(q.quote_id as usize, i + 1);
        match q.parent_id {
            Some(p) => {
                let parent = &rows[p as usize - 1];
                assert!(parent.start_byte <= q.start_byte && q.end_byte <= parent.end_byte);
                assert_eq!(q.depth, parent.depth + 1);
            }
            None => assert_eq!(q.depth, 0),
        }
    }
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(a.start_byte <= b.start_byte);
        assert!(b.end_byte <= a.end_byte || a.end_byte <= b.start_byte || b.parent_id.is_some());
    }
});
