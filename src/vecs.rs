//! Growing and trimming the vectors that hold a whole document's tokens, sentences and paragraphs. For a review
//! they are kilobytes; for a novel concatenated into one file, gigabytes, where `Vec`'s doubling could leave half
//! of one unused and hold three halves of it while it moves.

use std::mem::size_of;

/// Unused room worth giving back once a vector is complete: less is not worth the copy.
pub(crate) const SPARE_BYTES: usize = 1 << 20;

/// Makes room for `additional` more items, growing by a quarter of the length (or what is needed, if more)
/// rather than doubling.
pub(crate) fn grow_by_quarter<T>(items: &mut Vec<T>, additional: usize) {
    if items.len() + additional > items.capacity() {
        items.reserve_exact(additional.max(items.len() / 4));
    }
}

/// Gives back unused room over [`SPARE_BYTES`].
pub(crate) fn give_back_spare<T>(items: &mut Vec<T>) {
    if (items.capacity() - items.len()) * size_of::<T>() > SPARE_BYTES {
        items.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_by_a_quarter_and_spare_room_over_a_mebibyte_is_given_back() {
        let mut items: Vec<u64> = vec![0; 1_000_000];
        assert_eq!(items.capacity(), 1_000_000);
        grow_by_quarter(&mut items, 10);
        assert!((1_250_000..1_400_000).contains(&items.capacity()), "{}", items.capacity());
        grow_by_quarter(&mut items, 10);
        assert!(items.capacity() < 1_400_000, "grew again with room to spare: {}", items.capacity());
        // 250,000 spare items of 8 bytes: 2 MB, given back.
        give_back_spare(&mut items);
        assert_eq!(items.capacity(), items.len());
        // 100,000 spare: 800 KB, kept.
        let mut items: Vec<u64> = Vec::with_capacity(200_000);
        items.resize(100_000, 0);
        give_back_spare(&mut items);
        assert!(items.capacity() >= 200_000);
    }
}
