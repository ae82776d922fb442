//! Spreadsheet-safe cells (OWASP "CSV injection"): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is a formula to Excel, LibreOffice and Google Sheets, so a quotation like
//! `=HYPERLINK("http://…")` would run when the table is opened. Such a cell gets a leading `'`, which spreadsheets
//! hide and treat as "this is text". Numbers are never touched: a number field (`-0.7964`) is not text, and a text
//! cell that a spreadsheet reads as a number (`-2`, `+3`, `-7.5`, `-1e5`, a metadata value or an id) is no formula
//! and stays as written, as OWASP's guidance allows; nor is a lone `-` touched.
//!
//! The guard is off by default ([`Cells::Raw`]): the tables are data for pandas and R first, and a `'` added to
//! a cell changes its value there, and breaks the promise that a row's `text` (or `keyword`, `marker`) is
//! `text[start_byte..end_byte]` (a quotation `--Mrs. Weston, I suppose,`). Leaving the offset-carrying columns
//! alone while guarding the rest would leave the likeliest formula, a quoted one, free to run, so the guard is
//! all or nothing: `--excel-safe` turns it on for every text cell.
//!
//! The row writer ([`crate::report::csv`]) passes every text cell through [`neutralise`], whatever its type
//! (`String`, `&str`, `Cow<str>`, inside an `Option`).

use std::borrow::Cow;

/// Whether text cells are made spreadsheet-safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Cells {
    /// Neutralise formulas (`--excel-safe`, for opening the tables in a spreadsheet).
    Safe,
    /// Write every cell exactly as it is (the default, for programs reading the tables).
    #[default]
    Raw,
}

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` with a `'` in front if a spreadsheet would read it as a formula. A trigger on its own (`-`, the path
/// of standard input) is no formula and stays as it is, and so does a number ([`is_number`]): `-2` is minus two
/// to a spreadsheet, not a formula, and `'-2` would turn it into text.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(TRIGGERS) && text.len() > 1 && !is_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `text` is a number as every spreadsheet reads it, whatever its locale: an optional `-` or `+`, digits
/// with at most one `.` (`7`, `-7.5`, `.5`, `5.`), then optionally an exponent (`e` or `E`, an optional sign,
/// digits: `-1e5`, `+2.5E-3`). Nothing else: no spaces, no thousands separators (`-1,000` is a number only in
/// some locales), no `%`, no `inf` or `NaN`, no second sign (`-2+3` and `--2` are formulas). Made only of digits,
/// one sign, a point and an exponent, such a cell has no function, reference or operator for a formula to run.
pub fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    let mut mantissa = digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        mantissa += digits(&mut at);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'-' | b'+')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

/// The serde path the tables were once written by: a row wrapped in [`Safe`](by_serde::Safe) and serialised by
/// the csv crate. Kept for tests, as the truth the row writer ([`crate::report::csv`]) is checked against.
#[cfg(test)]
pub(crate) mod by_serde {
    use serde::ser::{self, Serialize, Serializer};

    use super::neutralise;

    /// A value whose strings are neutralised when it is serialised.
    pub struct Safe<'a, T: ?Sized>(pub &'a T);

    impl<T: Serialize + ?Sized> Serialize for Safe<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(SafeSerializer(serializer))
        }
    }

    /// Passes everything to the inner serializer, neutralising strings on the way; structs, lists, tuples and options
    /// pass their parts back through [`Safe`]. Maps and enum variants with fields, which no row has, pass through
    /// untouched.
    struct SafeSerializer<S>(S);

    /// A struct being serialised: each field goes through [`Safe`].
    struct SafeStruct<S>(S);

    /// A list or tuple being serialised: each element goes through [`Safe`].
    struct SafeElements<S>(S);

    /// Implements a serde compound trait for [`SafeElements`], each element through [`Safe`].
    macro_rules! safe_elements {
    ($($trait:ident::$method:ident),*) => {
        $(impl<S: ser::$trait> ser::$trait for SafeElements<S> {
            type Ok = S::Ok;
            type Error = S::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
                self.0.$method(&Safe(value))
            }

            fn end(self) -> Result<S::Ok, S::Error> {
                self.0.end()
            }
        })*
    };
}

    safe_elements!(
        SerializeSeq::serialize_element,
        SerializeTuple::serialize_element,
        SerializeTupleStruct::serialize_field
    );

    impl<S: ser::SerializeStruct> ser::SerializeStruct for SafeStruct<S> {
        type Ok = S::Ok;
        type Error = S::Error;

        fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
            self.0.serialize_field(key, &Safe(value))
        }

        fn end(self) -> Result<S::Ok, S::Error> {
            self.0.end()
        }
    }

    /// Forwards a method to the inner serializer unchanged.
    macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(fn $name(self, $($arg: $ty),*) -> Result<$ret, S::Error> { self.0.$name($($arg),*) })*
    };
}

    impl<S: Serializer> Serializer for SafeSerializer<S> {
        type Ok = S::Ok;
        type Error = S::Error;
        type SerializeSeq = SafeElements<S::SerializeSeq>;
        type SerializeTuple = SafeElements<S::SerializeTuple>;
        type SerializeTupleStruct = SafeElements<S::SerializeTupleStruct>;
        type SerializeTupleVariant = S::SerializeTupleVariant;
        type SerializeMap = S::SerializeMap;
        type SerializeStruct = SafeStruct<S::SerializeStruct>;
        type SerializeStructVariant = S::SerializeStructVariant;

        fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
            self.0.serialize_str(&neutralise(v))
        }

        fn serialize_char(self, v: char) -> Result<S::Ok, S::Error> {
            self.serialize_str(v.encode_utf8(&mut [0; 4]))
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
            self.0.serialize_some(&Safe(value))
        }

        fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
            Ok(SafeStruct(self.0.serialize_struct(name, len)?))
        }

        fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
            Ok(SafeElements(self.0.serialize_seq(len)?))
        }

        fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
            Ok(SafeElements(self.0.serialize_tuple(len)?))
        }

        fn serialize_tuple_struct(
            self,
            name: &'static str,
            len: usize,
        ) -> Result<Self::SerializeTupleStruct, S::Error> {
            Ok(SafeElements(self.0.serialize_tuple_struct(name, len)?))
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            name: &'static str,
            value: &T,
        ) -> Result<S::Ok, S::Error> {
            self.0.serialize_newtype_struct(name, &Safe(value))
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            name: &'static str,
            index: u32,
            variant: &'static str,
            value: &T,
        ) -> Result<S::Ok, S::Error> {
            self.0.serialize_newtype_variant(name, index, variant, &Safe(value))
        }

        forward! {
            serialize_bool(v: bool) -> S::Ok;
            serialize_i8(v: i8) -> S::Ok;
            serialize_i16(v: i16) -> S::Ok;
            serialize_i32(v: i32) -> S::Ok;
            serialize_i64(v: i64) -> S::Ok;
            serialize_u8(v: u8) -> S::Ok;
            serialize_u16(v: u16) -> S::Ok;
            serialize_u32(v: u32) -> S::Ok;
            serialize_u64(v: u64) -> S::Ok;
            serialize_f32(v: f32) -> S::Ok;
            serialize_f64(v: f64) -> S::Ok;
            serialize_bytes(v: &[u8]) -> S::Ok;
            serialize_none() -> S::Ok;
            serialize_unit() -> S::Ok;
            serialize_unit_struct(name: &'static str) -> S::Ok;
            serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
            serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeTupleVariant;
            serialize_map(len: Option<usize>) -> S::SerializeMap;
            serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> S::SerializeStructVariant;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::by_serde::Safe;
    use super::*;
    use crate::report::schema::QuoteRow;

    #[test]
    fn formulas_are_neutralised_and_everything_else_left_alone() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("told and not told", "told and not told"),
            ("a=b", "a=b"),
            ("", ""),
            ("'quoted", "'quoted"),
            ("-", "-"),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn numbers_as_a_spreadsheet_reads_them_are_left_as_written() {
        for number in ["-2", "-7", "+3", "-7.5", "-.5", "+5.", "-1e5", "-1E5", "+2.5e-3", "-0", "-12345678901234567890"]
        {
            assert!(is_number(number), "{number}");
            assert_eq!(neutralise(number), number, "{number}");
        }
        for formula in [
            "-2+3",
            "--2",
            "+-2",
            "-1,000",
            "-5%",
            "-2 ",
            "-.",
            "-e5",
            "-1e",
            "-1e+",
            "-1.2.3",
            "-inf",
            "-NaN",
            "-0x1F",
            "-cmd|' /C calc'!A0",
            "+E5",
            "=1",
            "@1",
            "-1e5)",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"), "{formula}");
        }
        // Numbers that start with no trigger were never touched, nor was anything else that does not (" -2").
        assert!(is_number("1e5") && is_number(".5") && !is_number("") && !is_number("-") && !is_number("+"));
        assert_eq!(neutralise(" -2"), " -2");
    }

    #[test]
    fn rows_keep_numbers_and_neutralise_every_kind_of_string() {
        let row = QuoteRow {
            document: "=doc",
            quote_id: 1,
            parent_id: None,
            depth: 0,
            start_byte: 0,
            end_byte: 3,
            sentence_id: Some(1),
            paragraph_id: Some(1),
            chapter_id: Some(1),
            open_mark: "“",
            close_mark: "”",
            text: "=1+1",
            phrase: Cow::Owned("-cmd".into()),
            words: 2,
            kind: "term",
            speaker: "@me".into(),
            speech_verb: "",
            character: "=Emma".into(),
            attribution: "tag",
            context: "+x",
        };
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        writer.serialize(Safe(&row)).unwrap();
        let line = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(line, "'=doc,1,,0,0,3,1,1,1,“,”,'=1+1,'-cmd,2,term,'@me,,'=Emma,tag,'+x\n");
        #[derive(serde::Serialize)]
        struct Scores {
            compound: f64,
            change: Option<i64>,
            label: Option<String>,
        }
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        writer.serialize(Safe(&Scores { compound: -0.7964, change: Some(-1), label: Some("-x".into()) })).unwrap();
        let line = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(line, "-0.7964,-1,'-x\n");
        // Lists and tuples as fields and as whole records.
        #[derive(serde::Serialize)]
        struct Lists {
            words: Vec<String>,
            pair: (String, f64),
        }
        let mut writer = csv::WriterBuilder::new().has_headers(false).flexible(true).from_writer(Vec::new());
        writer.serialize(Safe(&Lists { words: vec!["=a".into(), "b".into()], pair: ("+c".into(), -1.5) })).unwrap();
        writer.serialize(Safe(&("@d", -2))).unwrap();
        let lines = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(lines, "'=a,b,'+c,-1.5\n'@d,-2\n");
    }
}
