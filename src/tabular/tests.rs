//! Tests of the table readers.

use super::*;

fn read(input: &[u8], format: Format, columns: &Columns) -> Vec<Result<Record, BadRecord>> {
    records(input, format, columns).unwrap().collect()
}

fn ok(row: &Result<Record, BadRecord>) -> &Record {
    row.as_ref().unwrap()
}

fn bad(line: u64, reason: &str) -> Result<Record, BadRecord> {
    Err(BadRecord { line, reason: reason.to_string() })
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn a_truncated_json_line_points_at_its_last_column_not_past_its_line_end() {
    let rows = read(b"{\"text\": \"cut\r\n", Format::Jsonl, &Columns::default());
    let reason = &rows[0].as_ref().unwrap_err().reason;
    assert!(reason.ends_with("at column 13"), "{reason}");
}

#[test]
fn formats_from_extensions_and_names() {
    assert_eq!(Format::from_path(Path::new("a/b.CSV")), Some(Format::Csv));
    assert_eq!(Format::from_path(Path::new("b.tab")), Some(Format::Tsv));
    assert_eq!(Format::from_path(Path::new("b.jsonl")), Some(Format::Jsonl));
    assert_eq!(Format::from_path(Path::new("jsonl")), None);
    assert_eq!(Format::parse("TSV"), Ok(Format::Tsv));
    assert!(Format::parse("xlsx").unwrap_err().contains("csv, tsv or jsonl"));
}

#[test]
fn csv_quoted_multi_line_text_and_the_next_line() {
    // A blank line between rows is passed over, and counted.
    let csv = "id,text,stars\nklara,\"The Sun, she says,\n\"\"is kind.\"\"\n\",5\n\nnllmg,Told and not told.,4\n";
    let rows = read(csv.as_bytes(), Format::Csv, &Columns { id: Some("id".into()), ..Columns::default() });
    assert_eq!(rows.len(), 2);
    assert_eq!(
        ok(&rows[0]),
        &Record {
            line: 2,
            id: "klara".into(),
            text: "The Sun, she says,\n\"is kind.\"\n".into(),
            metadata: pairs(&[("stars", "5")]),
        }
    );
    assert_eq!((ok(&rows[1]).line, ok(&rows[1]).id.as_str()), (6, "nllmg"));
}

#[test]
fn carriage_returns_alone_end_lines_too() {
    // Saved as "CSV (Macintosh)": every line ends in a return; a blank line, a quoted line break, an empty text.
    let csv = "id,text\r1,Good\r\r2,\"Two\rlines\"\r3,\r4,Last";
    let rows = read(csv.as_bytes(), Format::Csv, &Columns { id: Some("id".into()), ..Columns::default() });
    let lines = |rows: &[Result<Record, BadRecord>]| {
        rows.iter().map(|row| row.as_ref().map_or_else(|bad| bad.line, |ok| ok.line)).collect::<Vec<_>>()
    };
    assert_eq!(lines(&rows), [2, 4, 6, 7]);
    assert_eq!(rows[2], bad(6, "the text column is empty"));
    // Read a byte at a time, every return meets the end of a block before its next byte is known.
    let rows: Vec<_> = records(OneByte(csv.as_bytes()), Format::Csv, &Columns::default()).unwrap().collect();
    assert_eq!(lines(&rows), [2, 4, 6, 7]);
    let crlf = csv.replace('\r', "\r\n");
    let rows: Vec<_> = records(OneByte(crlf.as_bytes()), Format::Csv, &Columns::default()).unwrap().collect();
    assert_eq!(lines(&rows), [2, 4, 6, 7], "CRLF counts once, even split across blocks");
}

/// A reader that gives one byte per read.
struct OneByte<'a>(&'a [u8]);

impl Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some((&first, rest)) = self.0.split_first() else { return Ok(0) };
        if buf.is_empty() {
            return Ok(0);
        }
        buf[0] = first;
        self.0 = rest;
        Ok(1)
    }
}

/// The line and what became of every row: its text, or why it was skipped.
fn outcome(rows: &[Result<Record, BadRecord>]) -> Vec<(u64, String)> {
    rows.iter()
        .map(|row| match row {
            Ok(record) => (record.line, record.text.clone()),
            Err(bad) => (bad.line, format!("skipped: {}", bad.reason)),
        })
        .collect()
}

/// Opens a CSV table whose quoted fields may hold `limit` bytes.
fn read_limited<R: Read>(input: R, limit: u64) -> Vec<Result<Record, BadRecord>> {
    let table = Delimited::open_with_limit(Unbom::new(input).unwrap(), Format::Csv, &Columns::default(), limit);
    let inner = Inner::Delimited(Box::new(table.unwrap()));
    Records { inner, noun: "column", row: 0, done: false }.collect()
}

/// What a row given up for `why` is skipped with.
fn given_up(why: &str) -> String {
    format!(
        "skipped: quoted field opened here {why}; it is skipped and the lines after this one are read as rows of \
         their own (end the field with a quote, and double any quote inside it: \"\")"
    )
}

#[test]
fn a_quote_never_closed_is_reported_where_it_opened_and_the_lines_after_it_are_read() {
    let csv = "id,text\n1,fine\n2,\"stray quote\n3,third\n4,fourth\n";
    let never = given_up("is never closed");
    let expected = [(2, "fine".to_string()), (3, never.clone()), (4, "third".to_string()), (5, "fourth".into())];
    for ends in ["\n", "\r\n", "\r"] {
        let csv = csv.replace('\n', ends);
        assert_eq!(outcome(&read(csv.as_bytes(), Format::Csv, &Columns::default())), expected, "{ends:?}");
        let rows: Vec<_> = records(OneByte(csv.as_bytes()), Format::Csv, &Columns::default()).unwrap().collect();
        assert_eq!(outcome(&rows), expected, "{ends:?}, a byte at a time");
    }
    // Row numbers go on as if the row had been read: the third row is still "3".
    let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
    assert_eq!(ok(&rows[2]).id, "3");
    // A file cut off inside its last quoted field; a quote opened on the second line of a row; a quote on the
    // last line, with nothing after it.
    let rows = read(b"text\n\"done\"\n\"being writ", Format::Csv, &Columns::default());
    assert_eq!(outcome(&rows), [(2, "done".to_string()), (3, never.clone())]);
    let rows = read(b"text,n\n\"two\nlines\",\"stray\nnext,1\n", Format::Csv, &Columns::default());
    let with_row = never.replace("it is skipped", "it is skipped (with the row from line 2)");
    assert_eq!(outcome(&rows), [(3, with_row), (4, "next".to_string())]);
    let rows = read(b"text\n\"", Format::Csv, &Columns::default());
    assert_eq!(outcome(&rows), [(2, never)]);
}

#[test]
fn a_stray_quote_closed_by_a_later_rows_quote_is_reported_and_the_rows_between_are_read() {
    // The stray quote on line 3 would pair with the one opening line 5's field, making lines 3-5 one text.
    let csv = "id,text\n1,fine\n2,\"stray quote\n3,third\n4,\"fourth, \"\"quoted\"\"\"\n5,fifth\n";
    let misclosed = given_up(
        "is not closed at the end of a field (the quote that closes it, on line 5, has more text right after it)",
    );
    let expected = [
        (2, "fine".to_string()),
        (3, misclosed),
        (4, "third".to_string()),
        (5, "fourth, \"quoted\"".to_string()),
        (6, "fifth".to_string()),
    ];
    for ends in ["\n", "\r\n", "\r"] {
        let csv = csv.replace('\n', ends);
        assert_eq!(outcome(&read(csv.as_bytes(), Format::Csv, &Columns::default())), expected, "{ends:?}");
        let rows: Vec<_> = records(OneByte(csv.as_bytes()), Format::Csv, &Columns::default()).unwrap().collect();
        assert_eq!(outcome(&rows), expected, "{ends:?}, a byte at a time");
    }
    // On its own line, a quote followed by text is left as csv-core reads it (the quotes go, the text stays).
    let rows = read(b"text,n\n\"Told\" and not told,1\n", Format::Csv, &Columns::default());
    assert_eq!(outcome(&rows), [(2, "Told and not told".to_string())]);
}

#[test]
fn a_byte_order_mark_on_a_line_read_again_is_text_as_elsewhere() {
    // Found by fuzzing: csv-core passed over the mark at the start of the line read again, and took the quote
    // after it for an opening one, where the scan (rightly) saw text.
    let rows = read(b"text\n\"stray\n\xEF\xBB\xBF\"x\nnext\n", Format::Csv, &Columns::default());
    let misclosed = "is not closed at the end of a field (the quote that closes it, on line 3, has more text right \
                     after it)";
    let expected = [(2, given_up(misclosed)), (3, "\u{feff}\"x".to_string()), (4, "next".to_string())];
    assert_eq!(outcome(&rows), expected);
    // At the start of a field elsewhere, a mark is text too, and a quote after it.
    let rows = read(b"\xEF\xBB\xBFtext,\xEF\xBB\xBF\"n\"\nx,1\n", Format::Csv, &Columns::default());
    assert_eq!(ok(&rows[0]).metadata, pairs(&[("\u{feff}\"n\"", "1")]));
}

#[test]
fn a_quote_never_closed_in_the_header_refuses_the_table() {
    let Err(message) = records(&b"id,\"text\n1,a\n"[..], Format::Csv, &Columns::default()) else {
        panic!("a header with an open quote was accepted");
    };
    assert!(message.starts_with("line 1: the quoted column name opened here is never closed"), "{message}");
    // TSV has no quoting: a quote there is text.
    let rows = read(b"text\n\"stray\nnext\n", Format::Tsv, &Columns::default());
    assert_eq!(outcome(&rows), [(2, "\"stray".to_string()), (3, "next".to_string())]);
}

#[test]
fn a_quoted_field_past_the_limit_is_given_up_and_the_lines_after_it_are_read() {
    // A stray quote, then 100 bytes of rows; the field may hold 40.
    let csv =
        "text\nfirst\n\"stray, the rest is inside it\nr1\nr2\n\n\nr3\nr4\nr5\nr6\nr7\nr8\nr9\nr10\nr11\nr12\nr13\n";
    let past = "skipped: quoted field opened here runs on for more than 40 bytes without closing; it is skipped \
                and the lines after this one are read as rows of their own (end the field with a quote, and double \
                any quote inside it: \"\")";
    let mut expected = vec![(2, "first".to_string()), (3, past.to_string()), (4, "r1".to_string()), (5, "r2".into())];
    expected.extend((3..=13).map(|n| (n + 5, format!("r{n}"))));
    assert_eq!(outcome(&read_limited(csv.as_bytes(), 40)), expected);
    assert_eq!(outcome(&read_limited(OneByte(csv.as_bytes()), 40)), expected, "a byte at a time");
    let crlf = csv.replace('\n', "\r\n");
    assert_eq!(outcome(&read_limited(OneByte(crlf.as_bytes()), 40)), expected, "CRLF, a byte at a time");
    // An open quote whose own line is longer than the limit: the rest of that line is passed over.
    let csv = format!("text\n\"{}\r\nnext\n", "x".repeat(100));
    assert_eq!(outcome(&read_limited(OneByte(csv.as_bytes()), 40))[1], (3, "next".to_string()));
    // Given up while the lines after an earlier one are being read again, in the middle of what is read again.
    let csv = format!("text\n\"a\n\"{}\r\nc\n", "b".repeat(6_000));
    let rows = outcome(&read_limited(csv.as_bytes(), 5_000));
    let misclosed = "is not closed at the end of a field (the quote that closes it, on line 3, has more text right \
                     after it)";
    let expected = [
        (2, given_up(misclosed)),
        (3, given_up("runs on for more than 5000 bytes without closing")),
        (4, "c".to_string()),
    ];
    assert_eq!(rows, expected);
    assert_eq!(outcome(&read_limited(OneByte(csv.as_bytes()), 5_000)), expected, "a byte at a time");
    // No line is read more than twice: 100,000 stray quotes, each paired with the next, take linear time.
    let csv = format!("text\n{}", "\"x\n".repeat(100_000));
    let start = std::time::Instant::now();
    let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    assert_eq!(rows.len(), 100_000);
    assert!(rows.iter().all(Result::is_err));
}

/// Reads `body` after a header, with quoted fields given up past `limit` bytes, and checks that rows come in
/// the order of their lines, inside the input, and that no byte was read more than twice.
fn read_twice_at_most(body: &str, limit: u64) -> Result<(), String> {
    let csv = format!("text,n\n{body}");
    let mut table = Delimited::open_with_limit(
        Unbom::new(csv.as_bytes()).map_err(|e| e.to_string())?,
        Format::Csv,
        &Columns::default(),
        limit,
    )?;
    let lines = 2 + body.matches(['\r', '\n']).count() as u64 - body.matches("\r\n").count() as u64;
    let mut last = 0;
    loop {
        let line = match table.next_row() {
            Step::Row { line, .. } => line,
            Step::End => break,
            Step::Failed(bad) => return Err(format!("{bad:?}")),
        };
        if line < last || line > lines {
            return Err(format!("line {line} after {last}, {lines} lines"));
        }
        last = line;
    }
    match table.scan.fed {
        fed if fed > 2 * csv.len() as u64 => Err(format!("{fed} bytes read of {}", csv.len())),
        _ => Ok(()),
    }
}

#[test]
fn no_byte_is_read_a_third_time_after_a_field_given_up_while_reading_again() {
    // Found by the property below: a field misclosed on line 3 was read past the quote that misclosed it, then
    // a field opened on line 3 while reading again was given up at the limit, and the bytes past the first
    // quote were read a third time.
    assert_eq!(read_twice_at_most("\"\r\"a,a\",\"\n\n\n\n\n,,\n\r\r,", 1), Ok(()));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

    /// Quotes, commas, line ends and runs of text in any order, with any limit.
    #[test]
    fn no_byte_is_read_more_than_twice(body in "(a{0,70}|[\"a,\r\n\u{feff}]){0,150}", limit in 1u64..200) {
        let checked = read_twice_at_most(&body, limit);
        proptest::prop_assert!(checked.is_ok(), "{checked:?}");
    }
}

#[test]
fn a_column_named_twice_refuses_the_table() {
    let Err(message) = records(&b"\n\nid,text,stars,stars\n1,a,4,5\n"[..], Format::Csv, &Columns::default()) else {
        panic!("a header with two columns of one name was accepted");
    };
    assert_eq!(
        message,
        "line 3 has the column \"stars\" twice (columns 3 and 4): rename one of them, so that each column can be \
         told apart"
    );
    let Err(message) = records(&b"text\t\ttext\n"[..], Format::Tsv, &Columns::default()) else {
        panic!("two text columns were accepted");
    };
    assert!(message.starts_with("line 1 has the column \"text\" twice (columns 1 and 3)"), "{message}");
    let Err(message) = records(&b"text,,\n"[..], Format::Csv, &Columns::default()) else {
        panic!("two columns without a name were accepted");
    };
    assert!(message.starts_with("line 1 has a column without a name twice (columns 2 and 3)"), "{message}");
    assert!(records(&b"text,\n"[..], Format::Csv, &Columns::default()).is_ok(), "one is not two");
}

#[test]
fn json_numbers_are_kept_as_written_and_a_key_twice_is_reported() {
    let jsonl = concat!(
        r#"{"text": "a", "n": 1E5, "big": 12345678901234567890123, "huge": 1e999, "x": [-0, 1.50], "#,
        r#""isbn": 9.780e12}"#,
        "\n",
        r#"{"text": "a", "n": 1, "n": 2}"#,
        "\n",
        r#"{"text": "a", "text": "b"}"#,
    );
    let columns = Columns { id: Some("isbn".into()), ..Columns::default() };
    let rows = read(jsonl.as_bytes(), Format::Jsonl, &columns);
    let first = ok(&rows[0]);
    let expected = pairs(&[("n", "1E5"), ("big", "12345678901234567890123"), ("huge", "1e999"), ("x", "[-0,1.50]")]);
    assert_eq!((first.id.as_str(), &first.metadata), ("9.780e12", &expected));
    assert_eq!(rows[1], bad(2, "the key \"n\" is in this object twice: remove or rename one of them"));
    assert_eq!(rows[2], bad(3, "the key \"text\" is in this object twice: remove or rename one of them"));
}

#[test]
fn crlf_line_ends_and_blank_lines_count_once() {
    let csv = "text,n\r\n\r\n\r\nx,1\r\n\"y\r\nz\",2\r\nw,3";
    let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
    let lines: Vec<_> = rows.iter().map(|row| (ok(row).line, ok(row).id.as_str())).collect();
    assert_eq!(lines, [(4, "1"), (5, "2"), (7, "3")]);
    assert_eq!(ok(&rows[1]).text, "y\r\nz");
}

#[test]
fn records_larger_than_the_buffers() {
    let header: Vec<String> = (0..200).map(|i| format!("c{i}")).collect();
    let long = "word ".repeat(5_000);
    let csv =
        format!("text,{}\n\"{long}\",{}\nshort,{}\n", header.join(","), "1,".repeat(199) + "1", "2,".repeat(199) + "2");
    let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
    assert_eq!((ok(&rows[0]).text.len(), ok(&rows[0]).metadata.len()), (long.len(), 200));
    assert_eq!((ok(&rows[1]).line, ok(&rows[1]).metadata[199].1.as_str()), (3, "2"));
}

#[test]
fn tsv_keeps_quotes_literal() {
    let tsv = "text\tauthor\n\"Told and not told.\"\tIshiguro\nHe said \"no\r\n";
    let rows = read(tsv.as_bytes(), Format::Tsv, &Columns::default());
    assert_eq!(ok(&rows[0]).text, "\"Told and not told.\"");
    assert_eq!(ok(&rows[0]).metadata, pairs(&[("author", "Ishiguro")]));
    assert_eq!(rows[1], bad(3, "has 1 field, the header has 2"));
}

#[test]
fn jsonl_keeps_key_order_and_writes_values_as_text() {
    let jsonl = concat!(
        r#"{"zeta":1.5,"text":"It stays.","alpha":null,"ok":true,"tags":["a", "b"],"by":{"n":"K"}}"#,
        "\n\n   \r\n",
        r#"{"text":"Second."}"#,
    );
    let rows = read(jsonl.as_bytes(), Format::Jsonl, &Columns::default());
    assert_eq!(rows.len(), 2);
    let first = ok(&rows[0]);
    assert_eq!((first.line, first.id.as_str(), first.text.as_str()), (1, "1", "It stays."));
    let expected =
        pairs(&[("zeta", "1.5"), ("alpha", ""), ("ok", "true"), ("tags", r#"["a","b"]"#), ("by", r#"{"n":"K"}"#)]);
    assert_eq!(first.metadata, expected);
    // Blank lines count as lines, not as rows.
    assert_eq!((ok(&rows[1]).line, ok(&rows[1]).id.as_str()), (4, "2"));
}

#[test]
fn a_malformed_jsonl_line_is_reported_and_the_next_is_read() {
    let jsonl =
        "{\"text\":\"one\"}\n{\"text\": \"two\"\n[1, 2]\n{\"text\": 3}\n{\"body\": \"x\"}\n{\"text\":\"six\"}\n";
    let rows = read(jsonl.as_bytes(), Format::Jsonl, &Columns::default());
    assert_eq!(rows.len(), 6);
    let malformed = rows[1].as_ref().unwrap_err();
    assert_eq!(malformed.line, 2);
    assert!(malformed.reason.starts_with("not valid JSON: EOF while parsing an object at column"), "{malformed:?}");
    assert_eq!(rows[2], bad(3, "an array is not a JSON object; each line must be one {…}"));
    assert_eq!(rows[3], bad(4, "the text field is a number, not a string"));
    assert!(rows[4].as_ref().unwrap_err().reason.starts_with("no \"text\" field"));
    // Bad rows keep their numbers, so the good ones after them keep their ids.
    assert_eq!((ok(&rows[5]).line, ok(&rows[5]).id.as_str()), (6, "6"));
}

#[test]
fn a_missing_text_column_refuses_the_file() {
    let Err(message) = records("id,body\n1,x\n".as_bytes(), Format::Csv, &Columns::default()) else {
        panic!("a header without the text column was accepted");
    };
    assert_eq!(
        message,
        "no \"text\" column; the header has \"id\", \"body\" (use --text-column to name the column to use)"
    );
    let columns = Columns { text: "body".into(), id: Some("isbn".into()) };
    let Err(message) = records("id,body\n1,x\n".as_bytes(), Format::Csv, &columns) else {
        panic!("a header without the id column was accepted");
    };
    assert!(message.starts_with("no \"isbn\" column") && message.contains("--id-column"), "{message}");
    // Prose read as a table has one huge "header": a dozen names, each cut at 40 characters.
    let prose = format!("{},end\n", ["word"; 20].map(|w| w.repeat(30)).join(","));
    let Err(message) = records(prose.as_bytes(), Format::Csv, &Columns::default()) else {
        panic!("prose was read as a table");
    };
    assert!(message.contains("and 9 more") && message.len() < 700, "{} bytes: {message}", message.len());
}

#[test]
fn empty_files_and_non_utf8_headers_are_refused() {
    for format in [Format::Csv, Format::Tsv, Format::Jsonl] {
        assert!(records(&b""[..], format, &Columns::default()).is_err());
        assert!(records(&b"\xEF\xBB\xBF"[..], format, &Columns::default()).is_err());
    }
    let Err(message) = records(&b"text,r\xE9sum\xE9\nx,y\n"[..], Format::Csv, &Columns::default()) else {
        panic!("a header that is not UTF-8 was accepted");
    };
    assert!(message.contains("not valid UTF-8"));
}

#[test]
fn wrong_field_count_and_empty_text_are_skipped() {
    let csv = "text,stars\na,1,extra\n  ,2\n\"\",3\nfine,4\n";
    let rows = read(csv.as_bytes(), Format::Csv, &Columns::default());
    assert_eq!(rows[0], bad(2, "has 3 fields, the header has 2"));
    assert_eq!(rows[1], bad(3, "the text column is empty"));
    assert_eq!(rows[2], bad(4, "the text column is empty"));
    assert_eq!((ok(&rows[3]).id.as_str(), ok(&rows[3]).text.as_str()), ("4", "fine"));
    let jsonl = read(b"{\"text\":\" \\n \"}\n", Format::Jsonl, &Columns::default());
    assert_eq!(jsonl[0], bad(1, "the text field is empty"));
}

#[test]
fn the_id_column_is_trimmed_and_left_out_of_the_metadata() {
    let columns = Columns { text: "review".into(), id: Some("isbn".into()) };
    let csv = "isbn,year,review\n 978-0571224142 ,2005,Quiet.\n,2021,Warm.\n";
    let rows = read(csv.as_bytes(), Format::Csv, &columns);
    assert_eq!(ok(&rows[0]).id, "978-0571224142");
    assert_eq!(ok(&rows[0]).metadata, pairs(&[("year", "2005")]));
    assert_eq!(rows[1], bad(3, "the id column is empty"));

    let jsonl = "{\"isbn\": 42, \"review\": \"Quiet.\"}\n{\"review\": \"Warm.\"}\n{\"isbn\": null, \"review\": \"x\"}";
    let rows = read(jsonl.as_bytes(), Format::Jsonl, &columns);
    assert_eq!((ok(&rows[0]).id.as_str(), ok(&rows[0]).metadata.len()), ("42", 0));
    assert!(rows[1].as_ref().unwrap_err().reason.starts_with("no \"isbn\" field"));
    assert_eq!(rows[2], bad(3, "the id field is empty"));
}

#[test]
fn the_text_column_may_also_be_the_id() {
    let columns = Columns { text: "text".into(), id: Some("text".into()) };
    let rows = read(b"text,n\n Hello ,1\n", Format::Csv, &columns);
    assert_eq!((ok(&rows[0]).id.as_str(), ok(&rows[0]).text.as_str()), ("Hello", " Hello "));
    let rows = read(b"{\"text\":\"Hi\"}", Format::Jsonl, &columns);
    assert_eq!(ok(&rows[0]).id, "Hi");
}

#[test]
fn a_bom_is_removed() {
    let rows = read(b"\xEF\xBB\xBF\"text\",n\nHello,1\n", Format::Csv, &Columns::default());
    assert_eq!(ok(&rows[0]).text, "Hello");
    let rows = read(b"\xEF\xBB\xBF{\"text\":\"Hi\"}\n", Format::Jsonl, &Columns::default());
    assert_eq!(ok(&rows[0]).text, "Hi");
}

#[test]
fn an_invalid_utf8_row_is_skipped_and_the_rest_read() {
    let rows = read(b"text,who\ncaf\xE9,a\nfine,b\n", Format::Csv, &Columns::default());
    assert_eq!(rows[0], bad(2, "column \"text\" is not valid UTF-8 (save the file as UTF-8)"));
    assert_eq!((ok(&rows[1]).id.as_str(), ok(&rows[1]).text.as_str()), ("2", "fine"));
    let rows = read(b"{\"text\":\"caf\xE9\"}\n{\"text\":\"fine\"}\n", Format::Jsonl, &Columns::default());
    assert_eq!(rows[0], bad(1, "not valid UTF-8 after byte 12 of the line (save the file as UTF-8)"));
    assert_eq!((ok(&rows[1]).line, ok(&rows[1]).id.as_str()), (2, "2"));
}

/// Hands out one byte per read, as a pipe may, and then fails.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.split_first() {
            Some((first, rest)) if !buf.is_empty() => {
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
            Some(_) => Ok(0),
            None => Err(io::Error::other("the disk went away")),
        }
    }
}

#[test]
fn short_reads_then_a_read_error_end_the_rows() {
    for format in [Format::Csv, Format::Jsonl] {
        let input: &[u8] = match format {
            Format::Jsonl => b"\xEF\xBB\xBF{\"text\":\"one\"}\n{\"text\":\"two\"}\n",
            _ => b"\xEF\xBB\xBFtext\none\ntwo\n",
        };
        let rows: Vec<_> = records(Trickle(input), format, &Columns::default()).unwrap().collect();
        assert_eq!(rows.len(), 3, "{format:?}: {rows:?}");
        assert_eq!((ok(&rows[0]).text.as_str(), ok(&rows[1]).text.as_str()), ("one", "two"));
        assert!(rows[2].as_ref().unwrap_err().reason.contains("the disk went away"), "{rows:?}");
    }
}
