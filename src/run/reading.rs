//! Inputs read and segmented into documents, with what the user should hear about each.

use crate::error::{Error, Result};
use crate::input::{self, Input, InputList, InputOptions};
use crate::text::{Document, Pipeline};

use super::options::GroupBy;
use super::{Message, Summary};

/// Reads every input and calls `each` with its document, in input order. Skipped inputs are reported and
/// counted; if nothing could be read at all, that is an error.
pub fn for_each_document(
    mut list: InputList,
    pipeline: &Pipeline,
    input_options: &InputOptions,
    on_message: &mut dyn FnMut(Message),
    each: &mut dyn FnMut(&Document) -> Result<()>,
) -> Result<Summary> {
    let mut summary = Summary { skipped: list.skipped.len(), ..Summary::default() };
    for s in &list.skipped {
        on_message(Message::Skipped(format!("{}: {}", s.path, s.reason)));
    }
    for note in std::mem::take(&mut list.notes) {
        on_message(Message::Note(note));
    }
    for input in input::documents(list, input_options).reading_ahead() {
        let Loaded { doc, messages, .. } = match load(input, input_options, pipeline, None) {
            Ok(loaded) => loaded,
            Err(skipped) => {
                on_message(Message::Skipped(skipped));
                summary.skipped += 1;
                continue;
            }
        };
        messages.into_iter().for_each(&mut *on_message);
        each(&doc)?;
        summary.documents += 1;
        summary.bytes += doc.text.len();
    }
    if summary.documents == 0 {
        return Err(Error::NothingReadable);
    }
    Ok(summary)
}

/// A document read and segmented, with the table columns it came with, and what the user should hear about it.
pub(super) struct Loaded {
    pub(super) doc: Document,
    pub(super) metadata: Vec<(String, String)>,
    pub(super) messages: Vec<Message>,
    /// The file it was read from, for the run's manifest.
    pub(super) file: Option<crate::input::InputDigest>,
}

/// Reads (if need be) and segments one input, putting it in its group by `group_by`; `Err` says why it was skipped.
pub(super) fn load(
    input: Input,
    options: &InputOptions,
    pipeline: &Pipeline,
    group_by: Option<&GroupBy>,
) -> std::result::Result<Loaded, String> {
    let mut source = input.load(options).map_err(|s| format!("{}: {}", s.path, s.reason))?;
    let mut messages: Vec<Message> = source.warning.take().map(Message::Warning).into_iter().collect();
    source.group = match group_by {
        None => String::new(),
        Some(GroupBy::Folder) => std::mem::take(&mut source.folder),
        Some(GroupBy::Column(column)) => {
            source.metadata.iter().find(|(name, _)| name == column).map(|(_, value)| value.clone()).unwrap_or_default()
        }
    };
    let metadata = std::mem::take(&mut source.metadata);
    let file = source.file.take();
    let doc = pipeline.document(source);
    if doc.tokens.is_empty() {
        messages.push(Message::Note(format!("{}: no words found; its row in the tables is all zeros", doc.path)));
    }
    Ok(Loaded { doc, metadata, messages, file })
}
