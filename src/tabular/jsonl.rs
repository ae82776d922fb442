//! JSON Lines tables: one JSON object a line, each value kept as written.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::*;

/// A JSON Lines table.
pub(super) struct Jsonl<R> {
    pub(super) reader: BufReader<Unbom<R>>,
    pub(super) columns: Columns,
    /// Lines read so far, blank ones included.
    pub(super) line: u64,
    pub(super) buf: Vec<u8>,
}

impl<R: Read> Jsonl<R> {
    pub(super) fn next_row(&mut self) -> Step {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return Step::End,
                Ok(_) => self.line += 1,
                Err(e) => {
                    let reason = format!("cannot read further: {e}");
                    return Step::Failed(BadRecord { line: self.line + 1, reason });
                }
            }
            if !self.buf.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        Step::Row { line: self.line, fields: self.fields() }
    }

    /// The values of the object on the current line.
    fn fields(&self) -> Result<Fields, String> {
        let text = std::str::from_utf8(&self.buf).map_err(|e| {
            format!("not valid UTF-8 after byte {} of the line (save the file as UTF-8)", e.valid_up_to())
        })?;
        // Without its line end, so a truncated line's error points at its last column.
        let line = text.trim_end();
        let parsed = if line.trim_start().starts_with('{') {
            serde_json::from_str::<Members>(line)
        } else {
            // Checked, not converted, so that a number beyond a double's range is still a number.
            match serde_json::from_str::<IgnoredAny>(line) {
                Ok(_) => {
                    let what = kind(line.trim_start());
                    return Err(format!("{what} is not a JSON object; each line must be one {{…}}"));
                }
                Err(e) => Err(e),
            }
        };
        let object = match parsed {
            Ok(Members(members)) => members,
            // Every line is parsed alone, so serde_json's "at line 1" would mislead: keep only the column.
            Err(e) => {
                let full = e.to_string();
                let message =
                    full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full);
                return Err(format!("not valid JSON: {message} at column {}", e.column()));
            }
        };
        if let Some((first, _)) = repeated(object.iter().map(|(key, _)| key.as_str())) {
            let key = object.get(first).map_or_else(String::new, |(key, _)| quoted(key));
            return Err(format!("the key {key} is in this object twice: remove or rename one of them"));
        }
        let columns = &self.columns;
        let mut text = None;
        let mut id = None;
        let mut metadata = Vec::with_capacity(object.len().saturating_sub(1));
        for (key, value) in object {
            let value = value.get();
            let is_id = columns.id.as_deref() == Some(key.as_str());
            if key == columns.text {
                if !value.starts_with('"') {
                    return Err(format!("the text field is {}, not a string", kind(value)));
                }
                let value = cell(value);
                if is_id {
                    id = Some(value.clone());
                }
                text = Some(value);
            } else if is_id {
                id = Some(cell(value));
            } else {
                metadata.push((key, cell(value)));
            }
        }
        let text = text.ok_or_else(|| {
            format!("no \"{}\" field (use --text-column to name the field that holds the text)", columns.text)
        })?;
        if let Some(name) = &columns.id
            && id.is_none()
        {
            return Err(format!("no \"{name}\" field (use --id-column to name the field that holds the id)"));
        }
        Ok(Fields { text, id, metadata })
    }
}

/// A JSON object's members in the order written, each value as its text in the line. A key written twice is kept
/// twice, to be reported: serde_json's own map would keep one of the two values silently.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<'a>(PhantomData<&'a RawValue>);

        impl<'de: 'a, 'a> Visitor<'de> for Visit<'a> {
            type Value = Members<'a>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'a>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(member) = map.next_entry::<String, &'a RawValue>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }

        deserializer.deserialize_map(Visit(PhantomData))
    }
}

/// A JSON value (valid, as serde_json found it in the line) as a table cell: a string as the text it stands for,
/// null as nothing, and anything else as written: a number keeps its digits and exponent (`1E5`, a 23-digit id,
/// `1e999`), a list or object its text, without the spaces between its parts.
fn cell(json: &str) -> String {
    match json.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(json).unwrap_or_else(|_| json.to_string()),
        Some(b'n') => String::new(),
        Some(b'[' | b'{') => compact(json),
        _ => json.to_string(),
    }
}

/// Valid JSON without the whitespace between its tokens; strings and numbers stay as written.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ' ' | '\t' | '\n' | '\r') {
            continue;
        }
        out.push(c);
    }
    out
}

/// "a number", "an array", …: what a valid JSON value is, from its first character, for messages.
fn kind(json: &str) -> &'static str {
    match json.as_bytes().first() {
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(b'"') => "a string",
        Some(b'[') => "an array",
        Some(b'{') => "an object",
        _ => "a number",
    }
}
