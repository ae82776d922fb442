//! Documents analysed in parallel, written in order: the output of a run is the same, byte for byte, whatever
//! the number of threads.
//!
//! Worker threads take items from a shared iterator, analyse them and send the results to the calling thread,
//! which writes results in item order. At most a window of items is in flight (taken but not yet written), so
//! memory holds a few documents at a time however long the corpus, and a slow document holds the others back only
//! by the window. Within the window an item far heavier than the first waiting (a novel among reviews) is taken
//! first: it starts as soon as it is in sight, and the others are done around it instead of after it.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

use rayon::prelude::*;

use crate::error::Result;

/// Words a document needs before its own work (sentences scored, n-gram sizes counted) is shared among rayon's
/// threads. Below it, handing work to the pool costs more than it saves, and in a corpus the other cores are busy
/// with other documents anyway.
pub const SHARED_FROM_TOKENS: usize = 50_000;

/// `f` over `items`, on rayon's pool when `shared` (the results in item order either way).
pub fn map<T: Send, R: Send>(items: Vec<T>, shared: bool, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    if shared { items.into_par_iter().with_min_len(64).map(f).collect() } else { items.into_iter().map(f).collect() }
}

/// Items in flight per thread: enough that one long document does not leave the other threads idle at once.
const WINDOW_PER_THREAD: usize = 4;

/// Where the workers are.
struct Feed<I: Iterator> {
    items: I,
    /// Items drawn from `items` and not taken yet: their index, the item and its weight.
    ready: Vec<(usize, I::Item, u64)>,
    /// Index of the next item to draw.
    next: usize,
    /// Set once `items` has no more.
    drawn_all: bool,
    /// Items written so far.
    written: usize,
    /// Set when the writer has failed: workers stop taking items.
    stopped: bool,
}

/// Calls `analyse` on every item of `items` on `threads` threads (inline with one) and `write` on each result in
/// item order. An item within the window of far greater `weight` (its size) than the first waiting is analysed
/// before it. Stops at the first error `write` returns, and returns it.
pub fn ordered<I, T, R>(
    items: I,
    threads: usize,
    weight: impl Fn(&T) -> u64 + Sync,
    analyse: impl Fn(T) -> R + Sync,
    mut write: impl FnMut(R) -> Result<()>,
) -> Result<()>
where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
{
    if threads <= 1 {
        return items.map(analyse).try_for_each(write);
    }
    let window = threads * WINDOW_PER_THREAD;
    let feed = Mutex::new(Feed { items, ready: Vec::new(), next: 0, drawn_all: false, written: 0, stopped: false });
    let room = Condvar::new();
    std::thread::scope(|scope| {
        let (results, received) = mpsc::channel::<(usize, R)>();
        for _ in 0..threads {
            let (results, feed, room, analyse, weight) = (results.clone(), &feed, &room, &analyse, &weight);
            scope.spawn(move || {
                // A panicking worker stops the others, so the writer is not left waiting for its item; the
                // panic then reaches the caller when the scope ends.
                let _stop = Stop { feed, room, always: false };
                while let Some((index, item)) = take(feed, room, window, weight) {
                    if results.send((index, analyse(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(results);
        // However the writer ends (done, an error, a panic such as a closed stderr), the workers stop taking
        // items, so none is left waiting for room in the window.
        let _stop = Stop { feed: &feed, room: &room, always: true };
        let mut waiting = BTreeMap::new();
        let mut written = 0;
        let outcome = received.iter().try_for_each(|(index, result)| {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&written) {
                write(result)?;
                written += 1;
                feed.lock().unwrap_or_else(PoisonError::into_inner).written = written;
                room.notify_all();
            }
            Ok(())
        });
        // Dropping the receiver makes the workers' next send fail, so they stop.
        drop(received);
        outcome
    })
}

/// Stops the feed when dropped: `always`, or only while its thread panics.
struct Stop<'a, I: Iterator> {
    feed: &'a Mutex<Feed<I>>,
    room: &'a Condvar,
    always: bool,
}

impl<I: Iterator> Drop for Stop<'_, I> {
    fn drop(&mut self) {
        if self.always || std::thread::panicking() {
            self.feed.lock().unwrap_or_else(PoisonError::into_inner).stopped = true;
            self.room.notify_all();
        }
    }
}

/// How many times heavier than the first item waiting an item must be to go before it. The first item waiting
/// holds the window back until it is written, so it goes first unless another is far longer (a novel among
/// reviews): taking a slightly longer review first would only make the window wait for the shorter one.
const JUMP: u64 = 4;

/// Where in `ready` (index, item, weight; in index order) is the item to take next: the first, or the heaviest
/// if it weighs more than [`JUMP`] times the first.
fn next_to_take<T>(ready: &[(usize, T, u64)]) -> Option<usize> {
    let first = ready.first()?.2;
    let (at, heaviest) =
        ready.iter().enumerate().fold((0, first), |best, (at, r)| if r.2 > best.1 { (at, r.2) } else { best });
    Some(if heaviest > first.saturating_mul(JUMP) { at } else { 0 })
}

/// The next item within the window and its index ([`next_to_take`]), once there is one; `None` when the items are
/// done or the run has stopped.
fn take<I: Iterator>(
    feed: &Mutex<Feed<I>>,
    room: &Condvar,
    window: usize,
    weight: &impl Fn(&I::Item) -> u64,
) -> Option<(usize, I::Item)> {
    let mut feed = feed.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if feed.stopped {
            return None;
        }
        while !feed.drawn_all && feed.next < feed.written + window {
            match feed.items.next() {
                Some(item) => {
                    let (index, w) = (feed.next, weight(&item));
                    feed.ready.push((index, item, w));
                    feed.next += 1;
                }
                None => feed.drawn_all = true,
            }
        }
        if let Some(at) = next_to_take(&feed.ready) {
            let (index, item, _) = feed.ready.remove(at);
            return Some((index, item));
        }
        if feed.drawn_all {
            return None;
        }
        feed = room.wait(feed).unwrap_or_else(PoisonError::into_inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn results_are_written_in_item_order_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            // Early items take longest, so they finish last.
            let slow = |i: u64| {
                std::thread::sleep(std::time::Duration::from_millis(20u64.saturating_sub(i)));
                i * i
            };
            // And later items weigh far more, so they are taken first within the window.
            ordered(
                0..40u64,
                threads,
                |&i| 10u64.pow(i as u32 / 4),
                slow,
                |r| {
                    seen.push(r);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..40u64).map(|i| i * i).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn a_panicking_writer_stops_the_workers_instead_of_hanging() {
        let outcome = std::panic::catch_unwind(|| {
            let _ = ordered(
                0..10_000,
                2,
                |_| 0,
                |i| i,
                |i| {
                    assert!(i < 3, "the writer fails");
                    Ok(())
                },
            );
        });
        assert!(outcome.is_err(), "the panic reaches the caller, and the call returns");
    }

    #[test]
    fn a_write_error_stops_the_run_and_is_returned() {
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let items = (0..10_000).inspect(|_| {
            taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        let mut written = 0;
        let err = ordered(
            items,
            2,
            |_| 0,
            |i| i,
            |i| {
                written += 1;
                if i == 5 { Err(Error::Usage("full".into())) } else { Ok(()) }
            },
        )
        .unwrap_err();
        assert!(matches!(err, Error::Usage(m) if m == "full"));
        assert_eq!(written, 6);
        // The window bounds how far the workers got.
        assert!(taken.load(std::sync::atomic::Ordering::Relaxed) <= 6 + 2 * WINDOW_PER_THREAD + 2);
    }

    #[test]
    fn an_item_far_heavier_than_the_first_waiting_is_taken_first() {
        // A novel (item 5) among short reviews, within the first window: one of the two workers starts on it.
        let started = Mutex::new(Vec::new());
        let mut written = Vec::new();
        let weight = |&i: &usize| if i == 5 { 1_000_000 } else { 10 };
        let analyse = |i: usize| {
            started.lock().unwrap().push(i);
            std::thread::sleep(std::time::Duration::from_millis(if i == 5 { 50 } else { 2 }));
            i
        };
        ordered(0..30usize, 2, weight, analyse, |i| {
            written.push(i);
            Ok(())
        })
        .unwrap();
        assert_eq!(written, (0..30).collect::<Vec<_>>());
        let started = started.into_inner().unwrap();
        // (The two workers' first items may be recorded in either order.)
        assert!(started[..2].contains(&5), "{started:?}");
    }

    #[test]
    fn an_item_goes_before_the_first_waiting_only_when_far_heavier() {
        let ready = |weights: &[u64]| weights.iter().enumerate().map(|(i, &w)| (i, (), w)).collect::<Vec<_>>();
        assert_eq!(next_to_take(&ready(&[10, 30, 41, 20, 41])), Some(2), "the first of the heaviest");
        assert_eq!(next_to_take(&ready(&[10, 40, 30])), Some(0), "four times is not enough");
        assert_eq!(next_to_take(&ready(&[0, 5])), Some(1));
        assert_eq!(next_to_take::<()>(&[]), None);
    }
}
