//! Text in, [`Document`] out: segmentation (paragraphs, UAX #29 sentences and words), normalisation, stemming, and
//! stopword and speech-verb flags. Every later analysis reads the document this builds.

mod boundaries;
mod chapters;
mod document;
mod language;
mod normalize;
mod segment;
mod speech_verbs;
mod stopwords;
pub mod titles;
mod words;

pub use chapters::{Chapter, ChapterRule, Chapters, Cursor, Level};
pub(crate) use document::TableNumbers;
pub use document::{Document, Form, Paragraph, Pipeline, PipelineOptions, Sentence, Token};
pub use language::Language;
pub use normalize::{collapse_whitespace, is_apostrophe, normalize, normalize_into};
pub use segment::{Layout, Segmenter, Span, detect_layout, paragraphs, words};
pub use speech_verbs::SpeechVerbs;
pub use stopwords::Stopwords;
pub use titles::Gender;
pub(crate) use words::NOT_KEPT;
pub use words::syllables;
