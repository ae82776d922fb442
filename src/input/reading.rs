//! An input read into memory no further than a document can hold, then decoded: a file is refused from its size,
//! and a pipe, a device or standard input is cut off at the limit instead of filling memory. Word lists and
//! lexicons are read the same way, under their own limit.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use encoding_rs::Encoding;

use crate::error::{Error, Result};
use crate::resource::{Meta, Resource, sha256_hex};

use super::decode::{SNIFF_BYTES, binary, decode, utf32_bom};
use super::{InputDigest, InputFile, InputOptions, MAX_DOCUMENT_BYTES, MAX_LIST_BYTES, Skipped, Source, line_col};

/// What a document limit is called in messages: `4 GiB of text`, or the bytes of a lowered one.
fn capacity(limit: usize) -> String {
    if limit >= MAX_DOCUMENT_BYTES { "4 GiB of text".to_string() } else { format!("{limit} bytes of text") }
}

/// Why an input of `bytes` bytes is skipped.
pub(super) fn too_long(bytes: u64, limit: usize) -> String {
    format!("{bytes} bytes, more than a document can hold ({}): split it into several files", capacity(limit))
}

/// Why an input still going after `bytes` bytes (a pipe, a device, a file that grows) is skipped.
fn cut_off(bytes: u64, limit: usize) -> String {
    format!(
        "reading stopped after {bytes} bytes, more than a document can hold ({}): split it into several files",
        capacity(limit)
    )
}

/// Reads and decodes one input. A binary or unreadable file comes back as `Err(Skipped)` so the run can go on.
///
/// The document limit ([`InputOptions::max_document_bytes`]) is enforced as the bytes arrive: a file is refused
/// from its size before it is read, and a pipe, a device or standard input is read no further than the limit,
/// so `/dev/zero` or an endless pipe ends in a message instead of filling memory. The limit counts decoded text,
/// so UTF-16 and UTF-32 (known from a BOM or `--encoding`) may take two and four times as many bytes; any other
/// input the limit and its BOM (UTF-8 and the single-byte encodings never make text shorter than their bytes,
/// and the multi-byte legacy ones hardly do). Without
/// a BOM or `--encoding`, a NUL byte makes an input binary, and reading stops soon after the first.
pub fn read(file: &InputFile, opts: &InputOptions) -> std::result::Result<Source, Skipped> {
    let path = file.display_path();
    let skipped = |reason: String| Skipped { path: path.clone(), reason };
    let limit = opts.document_limit();
    let (mut reader, size): (Box<dyn Read>, u64) = match &file.path {
        Some(p) => {
            let file = fs::File::open(p).map_err(|e| skipped(format!("cannot read: {e}")))?;
            let size = file.metadata().ok().filter(fs::Metadata::is_file).map_or(0, |m| m.len());
            (Box::new(file), size)
        }
        None => (Box::new(io::stdin().lock()), 0),
    };
    let cannot_read = |e: io::Error| match &file.path {
        Some(_) => skipped(format!("cannot read: {e}")),
        None => skipped(format!("cannot read standard input: {e}")),
    };
    // The first four bytes, however few a pipe hands out at a time, for the BOM.
    let mut head = Vec::with_capacity(4);
    reader.by_ref().take(4).read_to_end(&mut head).map_err(cannot_read)?;
    let sniffed = Sniffed::of(&head, opts.encoding);
    let most = sniffed.most_bytes(limit);
    if size > most {
        return Err(skipped(too_long(size, limit)));
    }
    let bytes = match read_bounded(&mut reader, head, size, most, sniffed.nul_is_binary).map_err(cannot_read)? {
        Bounded::Whole(bytes) => bytes,
        Bounded::Longer => return Err(skipped(cut_off(most, limit))),
        Bounded::Nul(bytes) => return Err(skipped(binary(&bytes))),
    };
    // Hashed here, where the whole file is in memory, so the manifest costs no second read.
    let digest = InputDigest { path: path.clone(), bytes: bytes.len() as u64, sha256: Some(sha256_hex(&bytes)) };
    let decoded = decode(bytes, opts.encoding).map_err(skipped)?;
    let warning = decoded.warning(&path);
    let (text, encoding, folder) = (decoded.text, decoded.encoding, file.folder().to_string());
    Ok(Source {
        id: file.id.clone(),
        path,
        text,
        encoding,
        warning,
        metadata: Vec::new(),
        folder,
        group: String::new(),
        file: Some(digest),
    })
}

/// What an input's first bytes (and `--encoding`) tell before the rest is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sniffed {
    /// At most how many bytes of input make one byte of text: 4 for UTF-32, 2 for UTF-16, else 1.
    bytes_per_text_byte: u64,
    /// The BOM's length, removed before decoding.
    bom: u64,
    /// Whether a NUL byte makes the input binary: without a UTF-16 or UTF-32 BOM and without `--encoding`.
    nul_is_binary: bool,
}

impl Sniffed {
    fn of(head: &[u8], forced: Option<&'static Encoding>) -> Sniffed {
        let utf16 = |e: &'static Encoding| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE;
        let bom = Encoding::for_bom(head);
        let (bytes_per_text_byte, bom) = match forced {
            // Decoding removes a BOM of the encoding named, and only that one.
            Some(forced) => {
                let bom = bom.filter(|(e, _)| *e == forced).map_or(0, |(_, len)| len);
                (if utf16(forced) { 2 } else { 1 }, bom)
            }
            None if utf32_bom(head).is_some() => (4, 4),
            None => match bom {
                Some((e, len)) if utf16(e) => (2, len),
                Some((_, len)) => (1, len),
                None => (1, 0),
            },
        };
        let bom = bom as u64;
        Sniffed { bytes_per_text_byte, bom, nul_is_binary: forced.is_none() && bytes_per_text_byte == 1 }
    }

    /// The most bytes of input that can decode to `limit` bytes of text or fewer.
    fn most_bytes(&self, limit: usize) -> u64 {
        self.bytes_per_text_byte * limit as u64 + self.bom
    }
}

/// What reading an input no further than a limit found.
#[derive(Debug, PartialEq, Eq)]
enum Bounded {
    /// Every byte, within the limit.
    Whole(Vec<u8>),
    /// More bytes than the limit: reading stopped there.
    Longer,
    /// A NUL byte (when it makes an input binary): the bytes read up to a little past it, at least
    /// [`SNIFF_BYTES`] unless the input ended first.
    Nul(Vec<u8>),
}

/// Reads the rest of `reader` after `head` (its first bytes, already read) into memory, but never more than
/// `most` bytes in all, and, when `nul_stops`, not much past a NUL byte. `size` is the size the file system gives
/// (0 when unknown, as for a pipe), so that a file is read into one allocation of its size.
fn read_bounded(reader: &mut dyn Read, head: Vec<u8>, size: u64, most: u64, nul_stops: bool) -> io::Result<Bounded> {
    let mut bytes = head;
    let expected = usize::try_from(size.min(most)).unwrap_or(0);
    bytes.reserve_exact(expected.saturating_sub(bytes.len()));
    let mut nul = nul_stops && bytes.contains(&0);
    // In steps, so that a NUL or the limit is seen soon after it is read; the first is small, for a quick look.
    let mut step = SNIFF_BYTES as u64;
    loop {
        if bytes.len() as u64 > most {
            return Ok(Bounded::Longer);
        }
        if nul && bytes.len() >= SNIFF_BYTES {
            return Ok(Bounded::Nul(bytes));
        }
        let start = bytes.len();
        let want = (most + 1 - start as u64).min(step);
        let read = Read::take(&mut *reader, want).read_to_end(&mut bytes)?;
        nul = nul || (nul_stops && bytes.get(start..).is_some_and(|new| new.contains(&0)));
        if (read as u64) < want {
            break;
        }
        step = 16 << 20;
    }
    if bytes.len() as u64 > most {
        return Ok(Bounded::Longer);
    }
    Ok(if nul { Bounded::Nul(bytes) } else { Bounded::Whole(bytes) })
}

/// Reads a word list, lexicon or dictionary a user wrote: UTF-8, a BOM (which editors on Windows add) removed. Text
/// that is not UTF-8, or holds a NUL byte, is an error naming the line and column where it stops being so; a file
/// over [`MAX_LIST_BYTES`] (a device, an endless pipe) is refused once that much has been read.
pub fn read_list_file(path: &Path) -> Result<String> {
    list_text(read_list_bytes(path)?, path)
}

/// [`read_list_file`], and the file as a run's manifest lists it: in the role `role`, hashed from the bytes read
/// (a BOM included), without metadata.
pub fn read_list_with_resource(path: &Path, role: &str) -> Result<(String, Resource)> {
    let bytes = read_list_bytes(path)?;
    let resource = Resource::file(role, path, &bytes, Meta::default());
    Ok((list_text(bytes, path)?, resource))
}

/// A list file's bytes, no more than [`MAX_LIST_BYTES`] of them; a NUL byte is an error naming its place.
fn read_list_bytes(path: &Path) -> Result<Vec<u8>> {
    let cannot_read = |source: io::Error| Error::Read { path: path.to_path_buf(), source };
    let mut file = fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().ok().filter(fs::Metadata::is_file).map_or(0, |m| m.len());
    let most = MAX_LIST_BYTES as u64;
    if size > most {
        return Err(cannot_read(io::Error::other(list_too_long(size))));
    }
    let bytes = match read_bounded(&mut file, Vec::new(), size, most, true).map_err(cannot_read)? {
        Bounded::Whole(bytes) => bytes,
        Bounded::Longer => return Err(cannot_read(io::Error::other(list_too_long(most)))),
        Bounded::Nul(bytes) => {
            let at = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
            let before = String::from_utf8_lossy(&bytes[..at]);
            let (line, column) = line_col(&before, before.len());
            let message = "a NUL byte: this is not a text file (a list or lexicon is UTF-8 text)".to_string();
            return Err(Error::Lexicon { path: path.to_path_buf(), line, column: Some(column), message });
        }
    };
    Ok(bytes)
}

/// A list file's bytes as text: UTF-8, without a BOM; `path` names it in errors.
fn list_text(bytes: Vec<u8>, path: &Path) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) = line_col(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        Error::Lexicon {
            path: path.to_path_buf(),
            line,
            column: Some(column),
            message: "not valid UTF-8 (save the file as UTF-8)".to_string(),
        }
    })
}

/// Why a list file of (or past) `bytes` bytes is refused.
fn list_too_long(bytes: u64) -> String {
    format!(
        "{bytes} bytes or more, far too long for a word list, lexicon or dictionary (1 GiB at most): check the path"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_too_long_for_a_document_is_skipped_before_it_is_read() {
        // Sparse: 9 GiB long, nothing on disk.
        let file = tempfile::NamedTempFile::new().unwrap();
        file.as_file().set_len(9 << 30).unwrap();
        let input = InputFile { id: "huge".into(), path: Some(file.path().to_path_buf()) };
        let skipped = read(&input, &InputOptions::default()).unwrap_err();
        assert!(
            skipped.reason.contains("more than a document can hold (4 GiB of text): split it"),
            "{}",
            skipped.reason
        );
    }

    #[test]
    fn reading_stops_at_the_limit_not_at_the_end() {
        // An endless reader is read one byte past the limit, no further; one within it is read whole.
        let mut endless = io::repeat(b'a');
        assert_eq!(read_bounded(&mut endless, Vec::new(), 0, 1000, true).unwrap(), Bounded::Longer);
        let mut exact = io::Cursor::new(vec![b'a'; 1000]);
        assert_eq!(read_bounded(&mut exact, Vec::new(), 0, 1000, true).unwrap(), Bounded::Whole(vec![b'a'; 1000]));
        let mut over = io::Cursor::new(vec![b'a'; 1001]);
        assert_eq!(read_bounded(&mut over, Vec::new(), 1001, 1000, true).unwrap(), Bounded::Longer);
        // An endless run of NULs stops soon after the first when NULs make an input binary.
        let mut zeros = io::repeat(0);
        let Bounded::Nul(sample) = read_bounded(&mut zeros, vec![0], 0, u64::MAX - 1, true).unwrap() else { panic!() };
        assert!(sample.len() < 2 * SNIFF_BYTES);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_named_directly_is_read_no_further_than_a_document_can_hold() {
        // /dev/zero was read until memory ran out: its NULs make it binary at once; read as UTF-16, where NULs are
        // text, the limit stops it (lowered here to a megabyte: two of UTF-16).
        let zero = InputFile { id: "zero".into(), path: Some("/dev/zero".into()) };
        let skipped = read(&zero, &InputOptions::default()).unwrap_err();
        assert!(skipped.reason.starts_with("binary file"), "{}", skipped.reason);
        let utf16 = InputOptions::encoding_from_label("utf-16le").ok();
        let opts = InputOptions { encoding: utf16, max_document_bytes: 1 << 20, ..InputOptions::default() };
        let skipped = read(&zero, &opts).unwrap_err();
        assert_eq!(
            skipped.reason,
            "reading stopped after 2097152 bytes, more than a document can hold (1048576 bytes of text): split it \
             into several files"
        );
        // A file is refused from its size, UTF-8 at the limit itself; within it, it is read.
        let file = tempfile::NamedTempFile::new().unwrap();
        fs::write(file.path(), "x".repeat(1000)).unwrap();
        let input = InputFile { id: "x".into(), path: Some(file.path().to_path_buf()) };
        let opts = |max_document_bytes| InputOptions { max_document_bytes, ..InputOptions::default() };
        assert_eq!(read(&input, &opts(1000)).unwrap().text.len(), 1000);
        assert!(read(&input, &opts(999)).unwrap_err().reason.starts_with("1000 bytes, more than a document can hold"));
    }

    #[cfg(unix)]
    #[test]
    fn a_list_file_that_is_a_device_is_refused_at_once() {
        let err = read_list_file(Path::new("/dev/zero")).unwrap_err().to_string();
        assert_eq!(err, "/dev/zero:1:1: a NUL byte: this is not a text file (a list or lexicon is UTF-8 text)");
    }
}
