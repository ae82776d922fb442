//! Bytes to UTF-8 text: in the encoding a BOM or `--encoding` names, as UTF-8 (also when it is UTF-8 but for a few
//! bytes), or in the legacy encoding detected; with what was replaced by U+FFFD and where, and, for bytes with
//! NULs, why they are not read as text.

use encoding_rs::Encoding;

use super::line_col;

/// Bytes read before a NUL byte makes an input binary: enough to tell UTF-16 or UTF-32 without a BOM by where
/// its NULs fall.
pub(super) const SNIFF_BYTES: usize = 64 << 10;

/// Text decoded from bytes, and how.
#[derive(Debug)]
pub struct Decoded {
    /// The UTF-8 text, without a BOM.
    pub text: String,
    /// The encoding's name.
    pub encoding: &'static str,
    /// True when the encoding was decided from the bytes' statistics (a legacy encoding, or UTF-8 for bytes
    /// that are UTF-8 but for a few) rather than known (BOM, valid UTF-8 or `--encoding`).
    pub guessed: bool,
    /// The byte sequences that were malformed in that encoding and replaced with U+FFFD; `None` for none.
    pub invalid: Option<Invalid>,
}

/// The byte sequences decoding replaced with U+FFFD: how many, and where the first was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid {
    /// How many malformed sequences, each replaced with one U+FFFD.
    pub sequences: usize,
    /// How many bytes they held.
    pub bytes: usize,
    /// The byte offset, in the decoded text, of the U+FFFD put in for the first.
    pub first: usize,
}

impl Invalid {
    /// Counts one malformed sequence of `bytes` bytes, replaced at byte `at` of the text.
    fn count(invalid: &mut Option<Invalid>, at: usize, bytes: usize) {
        match invalid {
            Some(seen) => {
                seen.sequences += 1;
                seen.bytes += bytes;
            }
            None => *invalid = Some(Invalid { sequences: 1, bytes, first: at }),
        }
    }

    /// `2 invalid byte sequences (3 bytes), the first at line 4, column 17`, the place found in `text`.
    fn describe(&self, text: &str) -> String {
        let (line, column) = line_col(text, self.first);
        let plural = |n: usize, what: &str| if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") };
        format!(
            "{} ({}), the first at line {line}, column {column}",
            plural(self.sequences, "invalid byte sequence"),
            plural(self.bytes, "byte")
        )
    }
}

impl Decoded {
    /// What the user should hear about how `path` was decoded, if anything: an encoding guessed, or bytes
    /// replaced (how many, and where the first was).
    pub fn warning(&self, path: &str) -> Option<String> {
        let encoding = self.encoding;
        let replaced = self.invalid.map(|invalid| invalid.describe(&self.text));
        match (encoding, self.guessed, replaced) {
            ("UTF-8", _, Some(replaced)) => Some(format!(
                "{path}: not valid UTF-8; decoded as UTF-8 with U+FFFD for {replaced} (use --encoding if the file is \
                 in another encoding)"
            )),
            (_, true, replaced) => {
                let replaced = replaced.map(|r| format!(", with U+FFFD for {r}")).unwrap_or_default();
                Some(format!(
                    "{path}: not valid UTF-8; decoded as {encoding}{replaced} (use --encoding to choose another)"
                ))
            }
            (_, false, Some(replaced)) => Some(format!(
                "{path}: some bytes are not valid {encoding}; they were replaced with U+FFFD: {replaced} (use \
                 --encoding to choose another)"
            )),
            (_, false, None) => None,
        }
    }
}

/// Bytes that are not valid UTF-8 are still read as UTF-8 when their valid multi-byte sequences number at least
/// this many times their invalid ones (see [`decode`]).
pub const NEAR_UTF8_RATIO: usize = 4;

/// Decodes a file's bytes, trying in turn:
///
/// 1. the encoding `--encoding` names (`forced`), a BOM of that encoding removed;
/// 2. a BOM: UTF-32LE or UTF-32BE (`FF FE 00 00`, `00 00 FE FF`, looked for before UTF-16LE's `FF FE`), UTF-16LE
///    or UTF-16BE, UTF-8; what follows is read in that encoding whatever it holds, bytes it cannot decode becoming
///    U+FFFD;
/// 3. NUL bytes without a BOM: binary, and `Err` says so (with `--encoding utf-16le` or `utf-16be` when the NULs
///    fall as UTF-16 without a BOM puts them, beside each ASCII letter on one side);
/// 4. valid UTF-8;
/// 5. UTF-8 but for a few bytes (below), each invalid sequence becoming U+FFFD;
/// 6. the legacy encoding [chardetng](https://docs.rs/chardetng) finds most likely.
///
/// **UTF-8 but for a few bytes.** Text in a legacy encoding almost never forms a valid UTF-8 multi-byte sequence
/// by chance: its non-ASCII bytes stand alone or in runs that break UTF-8's pattern of a lead byte and its
/// continuation bytes. Measured on text in 26 legacy encodings (Western and Central European, Cyrillic with
/// IBM866 and KOI8-R, Greek, Turkish, Hebrew, Arabic, Thai, Vietnamese, Shift_JIS, EUC-JP, GBK, Big5, EUC-KR),
/// valid multi-byte sequences numbered at most 0.44 per invalid one (EUC-KR Hangul), and none at all in the
/// Western and most single-byte encodings. A UTF-8 file damaged in a few places (cut in the middle of its last
/// character, a Latin-1 byte pasted into it) has many valid sequences per invalid one. So bytes that are not
/// valid UTF-8 are read as UTF-8 when their valid multi-byte sequences number at least [`NEAR_UTF8_RATIO`] (4)
/// times their invalid sequences, an invalid sequence being what one U+FFFD replaces (the most bytes that could
/// begin a character, or one byte that cannot). With fewer, or none (a Latin-1 file, all accents), decoding them
/// as a legacy encoding keeps more of the text. The price: a UTF-8 file with almost no non-ASCII text and some
/// bad bytes (one pair of curly quotes and one Latin-1 é) is still decoded as a legacy encoding, its few UTF-8
/// characters garbled, as the warning naming the encoding says.
pub fn decode(bytes: Vec<u8>, forced: Option<&'static Encoding>) -> std::result::Result<Decoded, String> {
    if let Some(enc) = forced {
        let (text, invalid) = decode_with(enc.new_decoder_with_bom_removal(), &bytes);
        return Ok(Decoded { text, encoding: enc.name(), guessed: false, invalid });
    }
    if let Some(order) = utf32_bom(&bytes) {
        let (text, invalid) = decode_utf32(bytes.get(4..).unwrap_or_default(), order);
        return Ok(Decoded { text, encoding: order.name(), guessed: false, invalid });
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        if enc == encoding_rs::UTF_8 {
            let mut bytes = bytes;
            bytes.drain(..bom_len);
            let (text, invalid) = match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(e) => utf8_lossy(e.as_bytes()),
            };
            return Ok(Decoded { text, encoding: enc.name(), guessed: false, invalid });
        }
        let (text, invalid) =
            decode_with(enc.new_decoder_without_bom_handling(), bytes.get(bom_len..).unwrap_or_default());
        return Ok(Decoded { text, encoding: enc.name(), guessed: false, invalid });
    }
    if bytes.contains(&0) {
        return Err(binary(&bytes));
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(Decoded { text, encoding: "UTF-8", guessed: false, invalid: None }),
        Err(e) => e.into_bytes(),
    };
    let tally = Utf8Tally::of(&bytes);
    if tally.valid_multibyte >= NEAR_UTF8_RATIO * tally.invalid {
        let (text, invalid) = utf8_lossy(&bytes);
        return Ok(Decoded { text, encoding: "UTF-8", guessed: true, invalid });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, invalid) = decode_with(enc.new_decoder_without_bom_handling(), &bytes);
    Ok(Decoded { text, encoding: enc.name(), guessed: true, invalid })
}

/// Bytes read as UTF-8: how many valid multi-byte sequences, and how many invalid sequences (each of which one
/// U+FFFD replaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Utf8Tally {
    valid_multibyte: usize,
    invalid: usize,
}

impl Utf8Tally {
    fn of(bytes: &[u8]) -> Utf8Tally {
        let mut tally = Utf8Tally { valid_multibyte: 0, invalid: 0 };
        for chunk in bytes.utf8_chunks() {
            // In valid UTF-8 a byte from 0xC0 up leads a multi-byte sequence.
            tally.valid_multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
            tally.invalid += usize::from(!chunk.invalid().is_empty());
        }
        tally
    }
}

/// `bytes` read as UTF-8, each invalid sequence replaced with U+FFFD (as `String::from_utf8_lossy` does), and
/// what was replaced.
fn utf8_lossy(bytes: &[u8]) -> (String, Option<Invalid>) {
    // U+FFFD takes three bytes where it replaces one at least.
    let tally = Utf8Tally::of(bytes);
    let mut text = String::with_capacity(bytes.len() + 2 * tally.invalid);
    let mut invalid = None;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            Invalid::count(&mut invalid, text.len(), chunk.invalid().len());
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, invalid)
}

/// `bytes` decoded by `decoder`, each malformed sequence replaced with U+FFFD, and what was replaced.
fn decode_with(mut decoder: encoding_rs::Decoder, bytes: &[u8]) -> (String, Option<Invalid>) {
    let mut text = String::with_capacity(bytes.len().saturating_add(16));
    let (mut rest, mut invalid) = (bytes, None);
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            encoding_rs::DecoderResult::InputEmpty => return (text, invalid),
            encoding_rs::DecoderResult::OutputFull => {
                let more = decoder.max_utf8_buffer_length_without_replacement(rest.len()).unwrap_or(rest.len());
                text.reserve(more.max(16));
            }
            encoding_rs::DecoderResult::Malformed(bad, _) => {
                Invalid::count(&mut invalid, text.len(), usize::from(bad));
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
}

/// The byte order of UTF-32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Utf32 {
    Le,
    Be,
}

impl Utf32 {
    pub(super) fn name(self) -> &'static str {
        match self {
            Utf32::Le => "UTF-32LE",
            Utf32::Be => "UTF-32BE",
        }
    }
}

/// The UTF-32 byte order a BOM at the start of `bytes` names, if there is one.
pub(super) fn utf32_bom(bytes: &[u8]) -> Option<Utf32> {
    match bytes.get(..4) {
        Some([0xFF, 0xFE, 0, 0]) => Some(Utf32::Le),
        Some([0, 0, 0xFE, 0xFF]) => Some(Utf32::Be),
        _ => None,
    }
}

/// UTF-32 (after its BOM) decoded: a unit that is no character (a surrogate, past U+10FFFF), or bytes left over
/// at the end, become U+FFFD.
fn decode_utf32(bytes: &[u8], order: Utf32) -> (String, Option<Invalid>) {
    // A character takes at most four bytes in UTF-8; U+FFFD three, for a unit of four or the one to three left.
    let mut text = String::with_capacity(bytes.len() + 3);
    let mut invalid = None;
    let mut units = bytes.chunks_exact(4);
    for unit in &mut units {
        let unit = <[u8; 4]>::try_from(unit).unwrap_or_default();
        let code = match order {
            Utf32::Le => u32::from_le_bytes(unit),
            Utf32::Be => u32::from_be_bytes(unit),
        };
        match char::from_u32(code) {
            Some(c) => text.push(c),
            None => {
                Invalid::count(&mut invalid, text.len(), 4);
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if !units.remainder().is_empty() {
        Invalid::count(&mut invalid, text.len(), units.remainder().len());
        text.push(char::REPLACEMENT_CHARACTER);
    }
    (text, invalid)
}

/// Why bytes with NUL bytes and no BOM are not read. When the NULs fall as UTF-16 or UTF-32 without a BOM puts
/// them, beside each ASCII character on one side (judged on the first [`SNIFF_BYTES`]), the message names that
/// encoding and what to do; else it names both UTF-16 byte orders.
pub(super) fn binary(bytes: &[u8]) -> String {
    let sample = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    match wide_text(sample) {
        Some(name @ ("UTF-16LE" | "UTF-16BE")) => {
            let label = name.to_lowercase();
            format!(
                "contains NUL bytes where {name} text without a BOM has them: to read it so, use --encoding {label}"
            )
        }
        Some(name) => format!(
            "contains NUL bytes where {name} text without a BOM has them: to read it, save it as UTF-8, or as UTF-32 \
             with a BOM (--encoding has no UTF-32)"
        ),
        None => "binary file (contains NUL bytes), not text; if it is UTF-16 without a BOM, use --encoding utf-16le \
                 or --encoding utf-16be"
            .to_string(),
    }
}

/// The encoding without a BOM whose NUL bytes `sample` has, if any: in UTF-32 nine units in ten (or more) have
/// their top two bytes NUL (and the third at most 0x10) but not all four; in UTF-16 the NULs are beside ASCII
/// characters, on one side only (ten to one at least, and in one unit in fifty at least).
fn wide_text(sample: &[u8]) -> Option<&'static str> {
    let units = sample.len() / 4;
    if units >= 2 {
        let count = |wide: fn(&[u8]) -> bool| sample.chunks_exact(4).filter(|unit| wide(unit)).count();
        let le = count(|u| u[3] == 0 && u[2] <= 0x10 && (u[0] | u[1]) != 0);
        let be = count(|u| u[0] == 0 && u[1] <= 0x10 && (u[2] | u[3]) != 0);
        if le * 10 >= units * 9 {
            return Some("UTF-32LE");
        }
        if be * 10 >= units * 9 {
            return Some("UTF-32BE");
        }
    }
    let pairs = sample.len() / 2;
    let le = sample.chunks_exact(2).filter(|p| p[0] != 0 && p[1] == 0).count();
    let be = sample.chunks_exact(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    let one_sided = |ours: usize, theirs: usize| ours >= 2 && ours * 50 >= pairs && theirs * 10 <= ours;
    if one_sided(le, be) {
        Some("UTF-16LE")
    } else if one_sided(be, le) {
        Some("UTF-16BE")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InputOptions;
    use std::fs;

    #[test]
    fn utf8_bom_is_removed() {
        let d = decode(b"\xEF\xBB\xBFHailsham".to_vec(), None).unwrap();
        assert_eq!(d.text, "Hailsham");
        assert_eq!(d.encoding, "UTF-8");
        assert!(!d.guessed);
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Kathy’s".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(bytes, None).unwrap();
        assert_eq!(d.text, "Kathy’s");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn latin1_is_detected_and_flagged_as_guessed() {
        // "café crème" in Windows-1252 / Latin-1.
        let d = decode(b"Un caf\xE9 cr\xE8me, s'il vous pla\xEEt, dit-elle \xE0 la serveuse.".to_vec(), None).unwrap();
        assert!(d.text.contains("café crème"), "{}", d.text);
        assert!(d.guessed);
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn forced_encoding_wins() {
        let enc = InputOptions::encoding_from_label("latin1").unwrap();
        let d = decode(b"na\xEFve".to_vec(), Some(enc)).unwrap();
        assert_eq!(d.text, "naïve");
        assert!(!d.guessed);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), None).is_err());
    }

    /// The shipped review, UTF-8 with curly quotes and dashes.
    fn review() -> String {
        fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/texts/never-let-me-go-review.txt")).unwrap()
    }

    #[test]
    fn utf8_cut_in_its_last_character_is_read_as_utf8() {
        // It was decoded whole as IBM866 or windows-1250, every quotation mark lost.
        let text = format!("{}“Déjà vu,” said Tommy: “déjà”", review());
        let cut = &text.as_bytes()[..text.len() - 2]; // ” is three bytes: one is left.
        let d = decode(cut.to_vec(), None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, format!("{}\u{FFFD}", &text[..text.len() - 3]));
        assert_eq!(d.invalid, Some(Invalid { sequences: 1, bytes: 1, first: text.len() - 3 }));
        let warning = d.warning("cut.txt").unwrap();
        let (line, column) = line_col(&text, text.len() - 3);
        assert!(
            warning.contains(&format!("1 invalid byte sequence (1 byte), the first at line {line}, column {column}"))
        );
    }

    #[test]
    fn a_few_stray_bytes_in_utf8_keep_it_utf8_and_say_where() {
        // Two Latin-1 bytes and a lone continuation byte in the review: still UTF-8, three U+FFFD, the first placed.
        let text = review();
        let mut bytes = text.clone().into_bytes();
        bytes.splice(100..100, *b"caf\xe9");
        bytes.splice(2000..2000, *b"na\xefve \x80");
        let d = decode(bytes, None).unwrap();
        assert_eq!((d.encoding, d.text.matches('\u{FFFD}').count()), ("UTF-8", 3));
        assert!(d.text.contains('“') && d.text.contains('’'), "curly quotes survive");
        let invalid = d.invalid.unwrap();
        assert_eq!((invalid.sequences, invalid.bytes, invalid.first), (3, 3, 103));
        let (line, column) = line_col(&text, 100);
        assert!(
            d.warning("r.txt").unwrap().starts_with(&format!(
                "r.txt: not valid UTF-8; decoded as UTF-8 with U+FFFD for 3 invalid byte sequences (3 bytes), the \
                 first at line {line}, column {}",
                column + 3
            )),
            "{:?}",
            d.warning("r.txt")
        );
    }

    #[test]
    fn legacy_encodings_are_not_taken_for_near_utf8() {
        // Text in a legacy encoding forms few valid UTF-8 sequences by chance: it stays a legacy encoding.
        let russian = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/stopwords/russian.txt")).unwrap();
        let greek = "Το βιβλίο είναι ένα ήσυχο μυθιστόρημα για τη μνήμη και την απώλεια. ".repeat(20);
        let korean =
            "한국어는 대한민국과 조선민주주의인민공화국의 공용어이다. 이 책은 기억에 관한 소설이다. ".repeat(20);
        let japanese = "私はこの本が好きです。記憶と喪失についての静かな小説である。".repeat(20);
        let chinese = "这本书很好。这是一部关于记忆和失去的安静小说。".repeat(20);
        let cases: [(&str, &'static Encoding); 9] = [
            (&review(), encoding_rs::WINDOWS_1252),
            (&russian, encoding_rs::WINDOWS_1251),
            (&russian, encoding_rs::IBM866),
            (&russian, encoding_rs::KOI8_R),
            (&greek, encoding_rs::ISO_8859_7),
            (&korean, encoding_rs::EUC_KR),
            (&japanese, encoding_rs::SHIFT_JIS),
            (&japanese, encoding_rs::EUC_JP),
            (&chinese, encoding_rs::GBK),
        ];
        for (text, encoding) in cases {
            let (bytes, _, unmappable) = encoding.encode(text);
            assert!(!unmappable, "{}", encoding.name());
            let tally = Utf8Tally::of(&bytes);
            assert!(tally.valid_multibyte < tally.invalid, "{}: {tally:?}", encoding.name());
            let d = decode(bytes.into_owned(), None).unwrap();
            assert!(d.guessed && d.encoding != "UTF-8", "{} read as {}", encoding.name(), d.encoding);
        }
        // The review in windows-1252 is read back exactly.
        let review = review();
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&review);
        assert_eq!(decode(bytes.into_owned(), None).unwrap().text, review);
    }

    #[test]
    fn utf32_with_a_bom_is_decoded_in_either_byte_order() {
        let text = "Kathy’s “told and not told” 🌊.";
        let mut le = vec![0xFF, 0xFE, 0, 0];
        le.extend(text.chars().flat_map(|c| u32::from(c).to_le_bytes()));
        let mut be = vec![0, 0, 0xFE, 0xFF];
        be.extend(text.chars().flat_map(|c| u32::from(c).to_be_bytes()));
        for (bytes, name) in [(le.clone(), "UTF-32LE"), (be, "UTF-32BE")] {
            let d = decode(bytes, None).unwrap();
            assert_eq!((d.text.as_str(), d.encoding, d.invalid), (text, name, None));
        }
        // A surrogate and a byte left over at the end become U+FFFD, and are counted.
        le.extend([0x00, 0xD8, 0, 0, b'x']);
        let d = decode(le, None).unwrap();
        assert_eq!(d.text, format!("{text}\u{FFFD}\u{FFFD}"));
        assert_eq!(d.invalid, Some(Invalid { sequences: 2, bytes: 5, first: text.len() }));
        assert!(d.warning("w.txt").unwrap().starts_with("w.txt: some bytes are not valid UTF-32LE"));
    }

    #[test]
    fn nul_bytes_name_the_byte_order_of_utf16_or_utf32_without_a_bom() {
        let text = "Kathy’s “told and not told” childhood at Hailsham.\n";
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be32: Vec<u8> = text.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect();
        let le32: Vec<u8> = text.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect();
        let reason = |bytes: Vec<u8>| decode(bytes, None).unwrap_err();
        let (be, le) = (reason(be), reason(le));
        assert!(be.contains("--encoding utf-16be") && !be.contains("utf-16le"), "{be}");
        assert!(le.contains("--encoding utf-16le") && !le.contains("utf-16be"), "{le}");
        assert!(reason(be32).contains("UTF-32BE text without a BOM"));
        assert!(reason(le32).contains("UTF-32LE text without a BOM"));
        // Binary data, and a file of NULs, name both orders.
        for binary in [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec(), vec![0; 4096]] {
            let reason = reason(binary);
            assert!(
                reason.starts_with("binary file") && reason.contains("utf-16le or --encoding utf-16be"),
                "{reason}"
            );
        }
    }
}
