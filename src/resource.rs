//! The lexicons, word lists and fonts a run uses, as its manifest lists them ([`Resource`]): where each came from,
//! the SHA-256 of its bytes, and its metadata ([`Meta`]: name, version, licence, citation, url), so that a methods
//! section can say exactly what was used and credit it.
//!
//! ```
//! use marginalia::resource::{Resource, sha256_hex};
//! let r = Resource::file("tone", "mine.toml".as_ref(), b"[praise]\nterms = [\"fine\"]\n", Default::default());
//! assert_eq!((r.source.as_str(), r.bytes), ("mine.toml", 26));
//! assert_eq!(r.sha256, sha256_hex(b"[praise]\nterms = [\"fine\"]\n"));
//! ```

use std::io::{self, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a lexicon says of itself (`[meta]` in a TOML lexicon); every field may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Its name (`VADER`).
    pub name: Option<String>,
    /// Its version (`3.3.2`).
    pub version: Option<String>,
    /// Its licence, as an SPDX identifier where there is one (`MIT`, `ODbL-1.0`).
    pub licence: Option<String>,
    /// How to cite it: a reference as a bibliography prints it.
    pub citation: Option<String>,
    /// Where it is published.
    pub url: Option<String>,
}

/// One lexicon, word list or font a run used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// What the run used it for: `themes`, `tone`, `sentiment`, `valence overrides`, `stopwords`, `speech verbs`,
    /// `reference`, `font`.
    pub role: String,
    /// `embedded:` and the file in marginalia's `data/` it was built from, or the path as given.
    pub source: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes, in lowercase hex.
    pub sha256: String,
    /// What it says of itself, or what marginalia knows of an embedded one.
    pub meta: Meta,
}

impl Resource {
    /// A file the user gave, read as `bytes`.
    pub fn file(role: &str, path: &Path, bytes: &[u8], meta: Meta) -> Resource {
        let source = path.display().to_string();
        Resource { role: role.to_string(), source, bytes: bytes.len() as u64, sha256: sha256_hex(bytes), meta }
    }

    /// A file built into marginalia: `data_file` names it under `data/`.
    pub fn embedded(role: &str, data_file: &str, bytes: &[u8], meta: Meta) -> Resource {
        Resource { source: format!("embedded:data/{data_file}"), ..Resource::file(role, Path::new(""), bytes, meta) }
    }
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A file's size and SHA-256, read once in blocks (a table of gigabytes is never held in memory).
pub fn sha256_file(path: &Path) -> io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let (mut hasher, mut block, mut size) = (Sha256::new(), vec![0; 1 << 16], 0u64);
    loop {
        match file.read(&mut block) {
            Ok(0) => return Ok((size, hex(&hasher.finalize()))),
            Ok(n) => {
                hasher.update(&block[..n]);
                size += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A [`Meta`] of static strings, for the embedded files.
fn known(name: &str, version: Option<&str>, licence: &str, citation: &str, url: Option<&str>) -> Meta {
    Meta {
        name: Some(name.to_string()),
        version: version.map(str::to_string),
        licence: Some(licence.to_string()),
        citation: Some(citation.to_string()),
        url: url.map(str::to_string),
    }
}

/// VADER's citation, as its authors ask for it.
pub const VADER_CITATION: &str = "Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based Model for \
                                  Sentiment Analysis of Social Media Text. Eighth International Conference on \
                                  Weblogs and Social Media (ICWSM-14). Ann Arbor, MI, June 2014.";

/// The metadata of VADER's lexicons (`data/vader_lexicon.txt`, `data/emoji_utf8_lexicon.txt`).
pub fn vader_meta(name: &str) -> Meta {
    known(name, Some("3.3.2"), "MIT", VADER_CITATION, Some("https://github.com/cjhutto/vaderSentiment"))
}

/// The metadata of an embedded stopword list (`data/stopwords/`): NLTK's corpus, from Snowball's lists.
pub fn stopwords_meta(language: &str) -> Meta {
    let citation = "Bird, S., Klein, E. & Loper, E. (2009). Natural Language Processing with Python. O'Reilly \
                    Media (NLTK stopwords corpus, from the Snowball project's stopword lists: Porter, M.F. (2001). \
                    Snowball: A language for stemming algorithms).";
    let url = Some("https://www.nltk.org/nltk_data/");
    known(&format!("NLTK stopwords ({language})"), None, "Apache-2.0 AND BSD-3-Clause", citation, url)
}

/// The metadata of an embedded speech-verb list (`data/speech_verbs/`), written for marginalia.
pub fn speech_verbs_meta(language: &str) -> Meta {
    let name = format!("marginalia speech verbs ({language})");
    known(&name, Some(env!("CARGO_PKG_VERSION")), "MIT", MARGINALIA_CITATION, None)
}

/// The metadata of Noto Sans Regular, the charts' embedded font (`data/NotoSans-LICENSE.txt`).
pub fn noto_sans_meta() -> Meta {
    let citation = "Google Fonts. Noto Sans. The Noto Project Authors.";
    known("Noto Sans Regular", None, "Apache-2.0", citation, Some("https://fonts.google.com/noto/specimen/Noto+Sans"))
}

/// The charts' embedded font, Noto Sans Regular.
pub const NOTO_SANS: &[u8] = include_bytes!("../data/NotoSans-Regular.ttf");

/// How marginalia's own lexicons are cited.
pub const MARGINALIA_CITATION: &str = "marginalia: a toolkit for literary criticism.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_in_lowercase_hex_and_a_file_hashes_as_its_bytes() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let file = tempfile::NamedTempFile::new().unwrap();
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(file.path(), &bytes).unwrap();
        assert_eq!(sha256_file(file.path()).unwrap(), (bytes.len() as u64, sha256_hex(&bytes)));
    }

    #[test]
    fn metadata_with_a_key_it_does_not_know_is_refused() {
        let error = toml::from_str::<Meta>("name = \"x\"\nlicense = \"MIT\"\n").unwrap_err().to_string();
        assert!(error.contains("unknown field `license`"), "{error}");
    }
}
