//! End-to-end tests of `marginalia quotes` (issue "Quoted-phrase extraction"): short texts written here, each with
//! its expected rows written down by hand, and the shipped sample review.
//!
//! Byte offsets are counted by hand in the comments beside them (ASCII is 1 byte; “ ” ‘ ’ ‹ › „ ‚ 「 」 『 』 〝 〞
//! and U+202F are 3 bytes; « » é ß U+00A0 are 2 bytes) and were checked with Python's `str.encode()`.
//! Every row of every run is also checked against the invariants of the issue (see `check_invariants`).

mod common;

use std::collections::HashMap;
use std::fs;
use std::process::Output;

use common::{run, sample, sample_path, stderr, table};

type Row = HashMap<String, String>;

/// The columns of the issue, in its order.
const COLUMNS: [&str; 20] = [
    "document",
    "quote_id",
    "parent_id",
    "depth",
    "start_byte",
    "end_byte",
    "sentence_id",
    "paragraph_id",
    "chapter_id",
    "open_mark",
    "close_mark",
    "text",
    "phrase",
    "words",
    "kind",
    "speaker",
    "speech_verb",
    "character",
    "attribution",
    "context",
];

/// The CSV on stdout as a list of column → value maps; the header must be exactly `COLUMNS`.
fn rows(out: &Output) -> Vec<Row> {
    if out.stdout.is_empty() {
        return Vec::new(); // no quotations: an empty table (header-only output is checked below instead)
    }
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), COLUMNS, "columns of `quotes`");
    reader
        .records()
        .map(|r| headers.iter().map(String::from).zip(r.unwrap().iter().map(String::from)).collect())
        .collect()
}

fn num(row: &Row, column: &str) -> usize {
    row[column].parse().unwrap_or_else(|e| panic!("{column} = {:?}: {e}", row[column]))
}

/// The phrase as the issue defines it: whitespace collapsed, trimmed, trailing , . ; : ! ? removed.
fn phrase_of(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.trim_end_matches([',', '.', ';', ':', '!', '?']).trim_end().to_string()
}

/// Invariants every row of every document must satisfy, whatever the text.
fn check_invariants(source: &str, rows: &[Row]) {
    let mut next_id: HashMap<&str, usize> = HashMap::new();
    let mut last_start: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        let doc = row["document"].as_str();
        // quote_id counts from 1 within a document, in text order of the opening marks.
        let id = next_id.entry(doc).or_insert(0);
        *id += 1;
        assert_eq!(num(row, "quote_id"), *id, "quote_id out of order: {row:?}");
        let (start, end) = (num(row, "start_byte"), num(row, "end_byte"));
        let previous = last_start.insert(doc, start).unwrap_or(0);
        assert!(previous <= start, "rows not in text order: {row:?}");
        assert!(start <= end && end <= source.len(), "span out of range: {row:?}");
        // text is exactly source[start_byte..end_byte].
        assert_eq!(source.get(start..end), Some(row["text"].as_str()), "text is not the source slice: {row:?}");
        // The span is everything between the marks.
        assert!(!row["open_mark"].is_empty(), "no open mark: {row:?}");
        assert!(source[..start].ends_with(row["open_mark"].as_str()), "open_mark not before the span: {row:?}");
        if row["close_mark"].is_empty() {
            // An unclosed quotation never swallows text beyond its paragraph.
            assert!(!row["text"].contains('\n'), "unclosed quotation runs past its paragraph: {row:?}");
        } else {
            assert!(source[end..].starts_with(row["close_mark"].as_str()), "close_mark not after the span: {row:?}");
        }
        assert_eq!(row["phrase"], phrase_of(&row["text"]), "phrase: {row:?}");
        assert!(["term", "phrase", "dialogue"].contains(&row["kind"].as_str()), "kind: {row:?}");
        assert!(num(row, "sentence_id") >= 1 && num(row, "paragraph_id") >= 1, "ids count from 1: {row:?}");
        assert!(row["context"].contains(row["open_mark"].as_str()), "context lacks the opening mark: {row:?}");
        // Nesting: depth 0 without parent; otherwise one more than the parent, inside the parent's span.
        if row["parent_id"].is_empty() {
            assert_eq!(row["depth"], "0", "top-level row with depth: {row:?}");
        } else {
            let parent = rows
                .iter()
                .find(|p| p["document"] == doc && p["quote_id"] == row["parent_id"])
                .unwrap_or_else(|| panic!("parent missing: {row:?}"));
            assert!(num(parent, "quote_id") < num(row, "quote_id"), "parent opens later: {row:?}");
            assert_eq!(num(row, "depth"), num(parent, "depth") + 1, "depth: {row:?}");
            assert!(num(parent, "start_byte") <= start && end <= num(parent, "end_byte"), "not inside parent: {row:?}");
        }
    }
}

/// Writes `text` to `t.txt` in a fresh folder, runs `quotes t.txt`, checks success and the invariants.
fn quotes_of(text: &str) -> (Vec<Row>, Output) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.txt"), text).unwrap();
    let out = run(&["quotes", "t.txt"], dir.path());
    assert!(out.status.success(), "quotes failed on {text:?}: {}", stderr(&out));
    let rows = rows(&out);
    check_invariants(text, &rows);
    for row in &rows {
        assert_eq!(row["document"], "t");
    }
    (rows, out)
}

/// The single row of a text that holds exactly one quotation.
fn only_row(text: &str) -> Row {
    let (rows, _) = quotes_of(text);
    assert_eq!(rows.len(), 1, "expected one quotation in {text:?}, got {rows:#?}");
    rows.into_iter().next().unwrap()
}

/// One quotation per text: (text, open, close, start_byte, end_byte, phrase).
fn check_pairings(cases: &[(&str, &str, &str, usize, usize, &str)]) {
    for &(text, open, close, start, end, phrase) in cases {
        let row = only_row(text);
        assert_eq!(row["open_mark"], open, "{text}");
        assert_eq!(row["close_mark"], close, "{text}");
        assert_eq!(num(&row, "start_byte"), start, "{text}");
        assert_eq!(num(&row, "end_byte"), end, "{text}");
        assert_eq!(row["phrase"], phrase, "{text}");
        assert_eq!((row["quote_id"].as_str(), row["parent_id"].as_str(), row["depth"].as_str()), ("1", "", "0"));
        assert_eq!((row["sentence_id"].as_str(), row["paragraph_id"].as_str()), ("1", "1"), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 1: every pairing of marks.

#[test]
fn columns_in_issue_order_and_document_is_the_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("t.txt"), "He called her a “carer” once.\n").unwrap();
    let out = run(&["quotes", "t.txt"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let header = String::from_utf8(out.stdout.clone()).unwrap().lines().next().unwrap().to_string();
    assert_eq!(header, COLUMNS.join(","));
    let rows = rows(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["document"], "t");
}

#[test]
fn rule1_curly_and_straight_double_and_single_pairs() {
    check_pairings(&[
        // "He called her a " = 16 bytes; “ 16..19; carer 19..24; ” 24..27.
        ("He called her a “carer” once.", "“", "”", 19, 24, "carer"),
        // Same with ‘ ’ (3 bytes each).
        ("He called her a ‘carer’ once.", "‘", "’", 19, 24, "carer"),
        // " at 16 (1 byte); carer 17..22; " at 22.
        ("He called her a \"carer\" once.", "\"", "\"", 17, 22, "carer"),
        ("He called her a 'carer' once.", "'", "'", 17, 22, "carer"),
    ]);
}

#[test]
fn rule1_guillemets_with_inner_spaces_or_no_break_spaces() {
    // "Elle était " = 4+1+6(était: é is 2)+1 = 12 bytes; « 12..14 (2 bytes); span from 14 to the », spaces included.
    check_pairings(&[
        // " soignante " = 11 bytes: 14..25.
        ("Elle était « soignante » alors.", "«", "»", 14, 25, "soignante"),
        // U+00A0 is 2 bytes: 2+9+2 = 13 bytes: 14..27.
        ("Elle était «\u{a0}soignante\u{a0}» alors.", "«", "»", 14, 27, "soignante"),
        // U+202F (narrow no-break space) is 3 bytes: 3+9+3 = 15 bytes: 14..29.
        ("Elle était «\u{202f}soignante\u{202f}» alors.", "«", "»", 14, 29, "soignante"),
        // ‹ is 3 bytes: 12..15; soignante 15..24; › 24..27.
        ("Elle était ‹soignante› alors.", "‹", "›", 15, 24, "soignante"),
    ]);
}

#[test]
fn rule1_german_and_danish_pairs() {
    check_pairings(&[
        // "Sie hieß " = 3+1+5(ß is 2)+1 = 10; „ 10..13; Pflegerin 13..22; “ 22..25.
        ("Sie hieß „Pflegerin“ damals.", "„", "“", 13, 22, "Pflegerin"),
        // ‚ 10..13; Pflegerin 13..22; ‘ 22..25.
        ("Sie hieß ‚Pflegerin‘ damals.", "‚", "‘", 13, 22, "Pflegerin"),
        // "Hun var " = 8; » 8..10 (2 bytes); plejer 10..16; « 16..18.
        ("Hun var »plejer« dengang.", "»", "«", 10, 16, "plejer"),
    ]);
}

#[test]
fn rule1_cjk_brackets_and_double_prime_marks() {
    check_pairings(&[
        // 彼女は = 3×3 = 9; 「 9..12; 介護人 12..21; 」 21..24.
        ("彼女は「介護人」だった。", "「", "」", 12, 21, "介護人"),
        ("彼女は『介護人』だった。", "『", "』", 12, 21, "介護人"),
        // "He called her a " = 16; 〝 16..19; carer 19..24; 〞 24..27.
        ("He called her a 〝carer〞 once.", "〝", "〞", 19, 24, "carer"),
    ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 2: apostrophes are never quotation marks.

#[test]
fn rule2_apostrophes_are_never_quotation_marks() {
    let text = "Ishiguro’s novel, don’t forget, is no rock 'n' roll tale of the '90s; 'tis about the boys’ games.\n\
                The Joneses' car and the Smiths' house stood by the Chevalier de l’Ordre, and Kathy’s friends’ rooms.\n\
                They don't dance to rock ’n’ roll; ’tis the ’90s at Hailsham, and the girls' games aren’t theirs.\n";
    let (rows, out) = quotes_of(text);
    assert!(rows.is_empty(), "apostrophes taken for quotation marks: {rows:#?}");
    // No warning about unclosed marks either: there are no marks.
    let warnings = stderr(&out);
    assert!(!warnings.contains("t.txt"), "apostrophes reported as unclosed quotations: {warnings}");
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 3: British single-quote dialogue full of apostrophes, found whole.

#[test]
fn rule3_british_single_quote_dialogue_with_apostrophes_found_whole() {
    let text = "‘I don’t think the boys’ games were the point,’ Ruth said.";
    let row = only_row(text);
    // ‘ 0..3; "I don’t think the boys’ games were the point," = 1+1+7+1+5+1+3+1+7+1+5+1+4+1+3+1+6 = 49 bytes: 3..52.
    assert_eq!((num(&row, "start_byte"), num(&row, "end_byte")), (3, 52));
    assert_eq!(row["text"], "I don’t think the boys’ games were the point,");
    assert_eq!(row["phrase"], "I don’t think the boys’ games were the point");
    assert_eq!((row["open_mark"].as_str(), row["close_mark"].as_str()), ("‘", "’"));
    // I, don’t, think, the, boys, games, were, the, point.
    assert_eq!(row["words"], "9");
    assert_eq!(row["kind"], "dialogue");
    assert_eq!((row["speaker"].as_str(), row["speech_verb"].as_str()), ("Ruth", "said"));
    assert_eq!(row["context"], text);
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 4: nesting.

#[test]
fn rule4_quote_inside_a_quote_has_parent_and_depth() {
    let text = "“She said ‘no’ twice,” Tommy told me.";
    let (rows, _) = quotes_of(text);
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let (outer, inner) = (&rows[0], &rows[1]);
    // “ 0..3; "She said " 3..12; ‘ 12..15; no 15..17; ’ 17..20; " twice," 20..27; ” 27..30.
    assert_eq!((outer["quote_id"].as_str(), outer["parent_id"].as_str(), outer["depth"].as_str()), ("1", "", "0"));
    assert_eq!((num(outer, "start_byte"), num(outer, "end_byte")), (3, 27));
    assert_eq!(outer["text"], "She said ‘no’ twice,");
    assert_eq!(outer["phrase"], "She said ‘no’ twice");
    assert_eq!(outer["kind"], "dialogue");
    assert_eq!((outer["speaker"].as_str(), outer["speech_verb"].as_str()), ("Tommy", "told"));
    assert_eq!((inner["quote_id"].as_str(), inner["parent_id"].as_str(), inner["depth"].as_str()), ("2", "1", "1"));
    assert_eq!((num(inner, "start_byte"), num(inner, "end_byte")), (15, 17));
    assert_eq!((inner["open_mark"].as_str(), inner["close_mark"].as_str(), inner["phrase"].as_str()), ("‘", "’", "no"));
    assert_eq!(inner["sentence_id"], "1");
}

#[test]
fn rule4_three_levels_of_nesting() {
    let text = "“He wrote ‘she called it “home” once’ here,” Ruth said.";
    let (rows, _) = quotes_of(text);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    // “ 0..3; "He wrote " 3..12; ‘ 12..15; "she called it " 15..29; “ 29..32; home 32..36; ” 36..39;
    // " once" 39..44; ’ 44..47; " here," 47..53; ” 53..56.
    let got: Vec<(&str, &str, &str, usize, usize, &str)> = rows
        .iter()
        .map(|r| {
            let (id, parent, depth) = (r["quote_id"].as_str(), r["parent_id"].as_str(), r["depth"].as_str());
            (id, parent, depth, num(r, "start_byte"), num(r, "end_byte"), r["phrase"].as_str())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("1", "", "0", 3, 53, "He wrote ‘she called it “home” once’ here"),
            ("2", "1", "1", 15, 44, "she called it “home” once"),
            ("3", "2", "2", 32, 36, "home"),
        ]
    );
    assert_eq!((rows[0]["speaker"].as_str(), rows[0]["speech_verb"].as_str()), ("Ruth", "said"));
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 5: a speech running into a new paragraph repeats the opening mark and omits the closing one.

#[test]
fn rule5_multi_paragraph_dialogue_is_not_reported_unclosed() {
    let text = "“It was a long time ago,\n“and we were young,” Kathy said.\nThen she said “enough” and left.\n";
    let (rows, out) = quotes_of(text);
    assert!(rows.iter().all(|r| !r["close_mark"].is_empty()), "a continued speech reported unclosed: {rows:#?}");
    let warnings = stderr(&out);
    assert!(!warnings.contains("line 1"), "a continued speech warned about: {warnings}");
    // One quotation spanning the paragraphs, or linked rows: either way the texts cover both parts.
    let joined: String = rows.iter().map(|r| r["text"].as_str()).collect::<Vec<_>>().join(" ");
    assert!(joined.contains("It was a long time ago"), "{rows:#?}");
    assert!(joined.contains("and we were young"), "{rows:#?}");
    // The later quotation is found intact.
    // Line 1: “ + 23 bytes + \n = 27; line 2: “ + 18 + ” + " Kathy said." (12) + \n = 37 → line 3 at 64;
    // "Then she said " = 14 → “ 78..81; enough 81..87; ” 87..90.
    let last = rows.last().unwrap();
    assert_eq!(last["phrase"], "enough");
    assert_eq!((num(last, "start_byte"), num(last, "end_byte")), (81, 87));
    assert_eq!((last["paragraph_id"].as_str(), last["depth"].as_str(), last["parent_id"].as_str()), ("3", "0", ""));
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 6: an opening mark never closed is a warning, and swallows nothing past its paragraph.

#[test]
fn rule6_unclosed_mark_is_warned_about_and_does_not_swallow_the_next_paragraph() {
    let text = "He called it “the gallery and then stopped.\nLater she said “yes” quietly.\n";
    let (rows, out) = quotes_of(text);
    assert!(out.status.success());
    let warnings = stderr(&out);
    assert!(warnings.contains("t.txt"), "warning does not name the document: {warnings:?}");
    assert!(warnings.contains('1'), "warning does not name line 1: {warnings:?}");
    // Line 1 is 13 + 3 + 29 = 45 bytes, \n at 45, line 2 from 46; "Later she said " = 15 → “ 61..64;
    // yes 64..67; ” 67..70.
    let yes: Vec<&Row> = rows.iter().filter(|r| r["close_mark"] == "”").collect();
    assert_eq!(yes.len(), 1, "{rows:#?}");
    let yes = yes[0];
    assert_eq!((num(yes, "start_byte"), num(yes, "end_byte")), (64, 67));
    assert_eq!((yes["text"].as_str(), yes["phrase"].as_str()), ("yes", "yes"));
    assert_eq!((yes["paragraph_id"].as_str(), yes["depth"].as_str(), yes["parent_id"].as_str()), ("2", "0", ""));
    assert_eq!(yes["context"], "Later she said “yes” quietly.");
    // If the unclosed mark is listed at all, it ends within line 1 (by byte 45).
    for r in rows.iter().filter(|r| r["close_mark"].is_empty()) {
        assert_eq!(num(r, "start_byte"), 16, "{r:?}");
        assert!(num(r, "end_byte") <= 45, "unclosed quotation swallowed the next paragraph: {r:?}");
        assert_eq!(r["paragraph_id"], "1");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Rule 7: attribution before and after, never guessed from another sentence.

#[test]
fn rule7_attribution_before_and_after_the_quotation() {
    // (text, start_byte, end_byte, speaker, speech_verb)
    for (text, start, end, speaker, verb) in [
        // "Ruth said, " = 11; “ 11..14; "We’re special." = 2+3+2+1+8 = 16 bytes: 14..30.
        ("Ruth said, “We’re special.”", 14, 30, "Ruth", "said"),
        // “ 0..3; "We’re special," 3..19.
        ("“We’re special,” said Ruth.", 3, 19, "Ruth", "said"),
        ("“We’re special,” Ruth said.", 3, 19, "Ruth", "said"),
        ("“We’re special,” she whispered.", 3, 19, "she", "whispered"),
        ("“We’re special,” Miss Emily replied.", 3, 19, "Miss Emily", "replied"),
        // "Tommy asked, " = 13; “ 13..16; "Are we special?" = 15: 16..31.
        ("Tommy asked, “Are we special?”", 16, 31, "Tommy", "asked"),
    ] {
        let row = only_row(text);
        assert_eq!((num(&row, "start_byte"), num(&row, "end_byte")), (start, end), "{text}");
        assert_eq!((row["speaker"].as_str(), row["speech_verb"].as_str()), (speaker, verb), "{text}");
        assert_eq!(row["kind"], "dialogue", "{text}");
        assert_eq!(row["context"], text);
    }
}

#[test]
fn rule7_no_speech_verb_means_no_speaker() {
    let row = only_row("The rain “fell” all night.");
    assert_eq!((row["speaker"].as_str(), row["speech_verb"].as_str()), ("", ""));
    assert_eq!(row["kind"], "term");
}

#[test]
fn rule7_speaker_never_guessed_from_another_sentence() {
    for (text, sentence, phrase) in [
        ("Ruth spoke. Later, “nothing” happened.", "2", "nothing"),
        ("Ruth said so. The word “special” stuck.", "2", "special"),
    ] {
        let row = only_row(text);
        assert_eq!(row["phrase"], phrase);
        assert_eq!(row["sentence_id"], sentence, "{text}");
        assert_eq!((row["speaker"].as_str(), row["speech_verb"].as_str()), ("", ""), "guessed from elsewhere: {text}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Kinds, phrases, ids and several documents.

#[test]
fn kinds_term_phrase_and_dialogue() {
    for (text, kind, words) in [
        ("She was a “carer” then.", "term", "1"),
        ("She was a “good carer” then.", "term", "2"),
        ("It was a “point of pride and mystery” for them.", "phrase", "5"),
        // Stands as its own sentence, ending with . inside the marks, and no tag.
        ("“It was a long time ago.” The house was quiet.", "dialogue", "6"),
    ] {
        let row = only_row(text);
        assert_eq!(row["kind"], kind, "{text}");
        assert_eq!(row["words"], words, "{text}");
    }
}

#[test]
fn phrase_collapses_whitespace_and_drops_trailing_punctuation() {
    // "It was the " = 11; “ 11..14; "long   goodbye;" = 4+3+8 = 15: 14..29.
    let row = only_row("It was the “long   goodbye;” then.");
    assert_eq!((num(&row, "start_byte"), num(&row, "end_byte")), (14, 29));
    assert_eq!(row["text"], "long   goodbye;");
    assert_eq!((row["phrase"].as_str(), row["words"].as_str()), ("long goodbye", "2"));
    // Several trailing marks go together.
    let row = only_row("“Really?!” she cried.");
    assert_eq!(row["phrase"], "Really");
    assert_eq!((row["speaker"].as_str(), row["speech_verb"].as_str()), ("she", "cried"));
}

#[test]
fn sentence_and_paragraph_ids_skip_blank_lines() {
    let text = "First paragraph. It has a “term” here.\n\n\nSecond one has “another” thing.\n";
    let (rows, _) = quotes_of(text);
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r["phrase"].as_str(), r["sentence_id"].as_str(), r["paragraph_id"].as_str(), r["context"].as_str()))
        .collect();
    assert_eq!(
        got,
        [("term", "2", "1", "It has a “term” here."), ("another", "3", "2", "Second one has “another” thing."),]
    );
}

#[test]
fn several_documents_each_number_their_quotations_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = ("A “one” and “two”.\n", "B “three”.\n");
    fs::write(dir.path().join("a.txt"), a).unwrap();
    fs::write(dir.path().join("b.txt"), b).unwrap();
    let out = run(&["quotes", "a.txt", "b.txt"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rows(&out);
    let got: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r["document"].as_str(), r["quote_id"].as_str(), r["phrase"].as_str())).collect();
    assert_eq!(got, [("a", "1", "one"), ("a", "2", "two"), ("b", "1", "three")]);
    check_invariants(a, &rows[..2]);
    check_invariants(b, &rows[2..]);
}

#[test]
fn rule10_straight_double_quote_dialogue() {
    let text = "\"Is that all?\" she asked.";
    let row = only_row(text);
    // " 0..1; "Is that all?" = 12 bytes: 1..13; " 13..14.
    assert_eq!((num(&row, "start_byte"), num(&row, "end_byte")), (1, 13));
    assert_eq!((row["open_mark"].as_str(), row["close_mark"].as_str()), ("\"", "\""));
    assert_eq!((row["phrase"].as_str(), row["words"].as_str()), ("Is that all", "3"));
    assert_eq!(row["kind"], "dialogue");
    assert_eq!((row["speaker"].as_str(), row["speech_verb"].as_str()), ("she", "asked"));
}

// ---------------------------------------------------------------------------------------------------------------
// Rules 8 and 9: the shipped sample review.

fn sample_rows() -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_path();
    let out = run(&["quotes", path.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rows(&out);
    check_invariants(&sample(), &rows);
    rows
}

#[test]
fn rule8_sample_review_has_exactly_five_quotations() {
    let rows = sample_rows();
    // Byte offsets found with Python's bytes.find on the “…” of each; paragraph = non-blank line; sentence ids as in
    // sentences.csv (64 sentences, see tests/cli.rs).
    let got: Vec<(&str, usize, usize, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["phrase"].as_str(),
                num(r, "start_byte"),
                num(r, "end_byte"),
                r["sentence_id"].as_str(),
                r["paragraph_id"].as_str(),
                r["words"].as_str(),
                r["text"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("carer", 260, 265, "2", "1", "1", "carer"),
            ("Gallery", 1039, 1047, "10", "5", "1", "Gallery,"),
            ("told and not told", 1325, 1343, "12", "6", "4", "told and not told."),
            ("deferrals", 2150, 2159, "23", "10", "1", "deferrals"),
            ("completed", 3356, 3366, "41", "13", "1", "completed."),
        ]
    );
    for r in &rows {
        assert_eq!(r["document"], "never-let-me-go-review");
        assert_eq!((r["open_mark"].as_str(), r["close_mark"].as_str(), r["parent_id"].as_str()), ("“", "”", ""));
    }
    // Scare-quoted single words inside a sentence.
    for i in [0, 1, 3, 4] {
        assert_eq!(rows[i]["kind"], "term", "{:?}", rows[i]);
    }
    assert_eq!(
        rows[0]["context"],
        "On the surface, it’s the story of Kathy H., a “carer” reflecting on her youth at an exclusive English boarding school."
    );
    assert_eq!(rows[4]["context"], "Before Ruth “completed.”");
    assert_eq!((rows[0]["speaker"].as_str(), rows[3]["speaker"].as_str(), rows[4]["speaker"].as_str()), ("", "", ""));
}

#[test]
fn rule9_sample_told_and_not_told_is_attributed_to_one_guardian() {
    let rows = sample_rows();
    let told = rows.iter().find(|r| r["phrase"] == "told and not told").expect("told and not told");
    assert_eq!((told["speaker"].as_str(), told["speech_verb"].as_str()), ("one guardian", "says"));
    assert_eq!(told["context"], "As one guardian says, they’ve been “told and not told.”");
}

#[test]
fn rule8_analyze_reports_quotes_and_quoted_words_and_writes_quotes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_path();
    let out = run(&["analyze", sample.to_str().unwrap(), "--out", "results"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = table(&dir.path().join("results/documents.csv"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["quotes"], "5");
    // carer 1 + Gallery 1 + told and not told 4 + deferrals 1 + completed 1 = 8 words of 901 (tests/cli.rs).
    let share: f64 = docs[0]["quoted_words"].parse().expect("quoted_words is a number");
    assert!((share - 8.0 / 901.0).abs() < 1e-4, "quoted_words = {share}, expected 8/901 ≈ 0.00888");
    let quotes_path = dir.path().join("results/quotes.csv");
    assert!(quotes_path.exists(), "results/quotes.csv not written");
    let quotes = table(&quotes_path);
    let phrases: Vec<&str> = quotes.iter().map(|r| r["phrase"].as_str()).collect();
    assert_eq!(phrases, ["carer", "Gallery", "told and not told", "deferrals", "completed"]);
    // The same quotations as `quotes` prints.
    let spans = |rows: &[Row]| -> Vec<(String, String)> {
        rows.iter().map(|r| (r["start_byte"].clone(), r["end_byte"].clone())).collect()
    };
    assert_eq!(spans(&quotes), spans(&sample_rows()));
}
