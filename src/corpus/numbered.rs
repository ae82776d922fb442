//! The corpus ids of the words that the threads' word tables numbered (`text/words.rs`): the corpus counts
//! find a word they have met by its table's number for it, not by hashing its string.

use crate::analysis::ngrams::Forms;
use crate::text::NOT_KEPT;

/// How many word tables' numbers [`Numbered`] keeps: two per core (a run has a thread per core by default, each
/// with a table, and a document with a huge vocabulary fills its thread's and leaves it), and at least eight.
fn tables_kept() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| cores.get()).saturating_mul(2).max(8)
}

/// A number whose form or stem the corpus has not met yet.
const UNSEEN: u32 = u32::MAX;

/// The corpus ids of the forms and stems that word tables numbered (`text/words.rs`), by table and number:
/// a word the corpus knows is found by its number instead of its string. The tables used last are kept, up to
/// [`tables_kept`]; a document of a table let go is counted by its strings, as a shard's are, and the result is
/// the same.
#[derive(Debug)]
pub(super) struct Numbered {
    /// The tables, the one used last at the end.
    pub(super) tables: Vec<(u64, NumberedIds)>,
    pub(super) capacity: usize,
}

impl Default for Numbered {
    fn default() -> Self {
        Numbered { tables: Vec::new(), capacity: tables_kept() }
    }
}

/// One table's numbers' corpus ids ([`UNSEEN`] for those not met yet).
#[derive(Debug, Default)]
pub(super) struct NumberedIds {
    pub(super) forms: Vec<u32>,
    pub(super) stems: Vec<u32>,
}

impl Numbered {
    /// The ids of table `table`'s numbers, the table used longest ago let go to make room for a new one.
    pub(super) fn of(&mut self, table: u64) -> &mut NumberedIds {
        let ids = match self.tables.iter().position(|(t, _)| *t == table) {
            Some(at) => self.tables.remove(at),
            None => {
                if self.tables.len() >= self.capacity {
                    self.tables.remove(0);
                }
                (table, NumberedIds::default())
            }
        };
        self.tables.push(ids);
        let last = self.tables.len() - 1;
        &mut self.tables[last].1
    }
}

/// The id in `words` of `word`, numbered `number` in a table whose numbers' ids are `ids` (`None`: not numbered);
/// interned by its string only the first time. The word an id spells is checked, not hashed: numbers that do not
/// match their strings (a document whose forms were changed after it was built) are counted by the strings.
pub(super) fn id_of(words: &mut Forms, ids: Option<&mut Vec<u32>>, number: u32, word: &str) -> u32 {
    let Some(ids) = ids.filter(|_| number != NOT_KEPT) else { return words.intern(word) };
    let slot = number as usize;
    match ids.get(slot) {
        Some(&id) if id != UNSEEN && words.get(id) == word => return id,
        Some(&id) if id != UNSEEN => return words.intern(word),
        _ => {}
    }
    let id = words.intern(word);
    if ids.len() <= slot {
        ids.resize(slot + 1, UNSEEN);
    }
    ids[slot] = id;
    id
}
