//! Lexicon parsing of any text, as TOML and as a LIWC `.dic`: no panic; an error names a line; a lexicon that
//! parses compiles and matches a text without panicking, every hit inside the text.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::input::Source;
use marginalia::lexicon::Lexicon;
use marginalia::text::Pipeline;

const TEXT: &str = "She clings to memories of Hailsham; soft-focus memories, told and not told. \
    Kathy’s grief is quiet — *perhaps* the saddest thing of all.";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let pipeline = Pipeline::default();
    let doc = pipeline.document(Source::from_text("fuzz", TEXT));
    for parsed in [Lexicon::parse_toml(text, Path::new("fuzz.toml")), Lexicon::parse_dic(text, Path::new("fuzz.dic"))] {
        match parsed {
            Ok((lexicon, _warnings)) => {
                for hit in lexicon.compile(&pipeline).find(&doc) {
                    assert!(hit.first_token < hit.end_token && hit.end_token <= doc.tokens.len());
                    assert!(hit.term.category < lexicon.categories.len());
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
