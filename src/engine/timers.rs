//! Cancellable timers: at most one pending event per owner (a client's
//! patience), in a binary min-heap that knows where each owner's entry is,
//! so a timer that will not fire (the client's service began) is removed at
//! once instead of being taken later as a stale event.

use super::calendar::key_of;
use super::heap::{self, Keyed};

/// A timer: its (time, sequence) key, kept as the time's key and the
/// sequence (32 bytes with the owner and a 12-byte event, where a `u128`
/// field would align it to 48), the owner and the event.
#[derive(Clone, Copy, Debug)]
pub(super) struct Timer<E> {
    time: u64,
    sequence: u32,
    owner: u32,
    pub(super) event: E,
}

impl<E: Copy> Keyed for Timer<E> {
    #[inline(always)]
    fn key(&self) -> u128 {
        key_of(self.time, self.sequence)
    }
}

/// No heap position: the owner has no timer.
const NOWHERE: u32 = u32::MAX;

/// The indexed heap of timers.
#[derive(Debug)]
pub(super) struct Timers<E> {
    heap: Vec<Timer<E>>,
    /// Heap position of each owner's timer (`NOWHERE` without one). It
    /// covers every owner that ever had a timer: `set` grows it first.
    position: Vec<u32>,
}

/// Records that the timer of `owner` sits at heap position `at`, without a
/// bounds check: called only for timers in the heap, whose owners `set`
/// made room for (the table never shrinks). Debug builds check it.
#[inline(always)]
fn place(position: &mut [u32], owner: u32, at: usize) {
    debug_assert!(
        (owner as usize) < position.len(),
        "owner {owner} has no slot"
    );
    // SAFETY: `owner` is below `position.len()` by the invariant above.
    unsafe { *position.get_unchecked_mut(owner as usize) = at as u32 }
}

impl<E: Copy> Timers<E> {
    /// No timers.
    pub(super) fn new() -> Self {
        Timers {
            heap: Vec::new(),
            position: Vec::new(),
        }
    }

    /// Number of timers pending.
    pub(super) fn len(&self) -> usize {
        self.heap.len()
    }

    /// The earliest timer.
    #[inline]
    pub(super) fn first(&self) -> Option<&Timer<E>> {
        self.heap.first()
    }

    /// Sets `owner`'s timer at key (`time`, `sequence`), replacing the one
    /// it had.
    #[inline(always)]
    pub(super) fn set(&mut self, owner: u32, time: u64, sequence: u32, event: E) {
        self.cancel(owner);
        if owner as usize >= self.position.len() {
            self.position.resize(owner as usize + 1, NOWHERE);
        }
        self.heap.push(Timer {
            time,
            sequence,
            owner,
            event,
        });
        let (last, position) = (self.heap.len() - 1, &mut self.position);
        heap::sift_up(&mut self.heap, last, |t, at| place(position, t.owner, at));
    }

    /// Removes `owner`'s timer, if it has one.
    #[inline]
    pub(super) fn cancel(&mut self, owner: u32) {
        let Some(&pos) = self.position.get(owner as usize) else {
            return;
        };
        if pos != NOWHERE {
            self.remove(pos as usize);
        }
    }

    /// Takes the earliest timer.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<Timer<E>> {
        let first = *self.heap.first()?;
        self.remove(0);
        Some(first)
    }

    /// The keys of the pending timers, in heap order (see
    /// [`Timers::set_sequence`]).
    pub(super) fn keys(&self) -> impl Iterator<Item = u128> + '_ {
        self.heap.iter().map(|t| t.key())
    }

    /// Gives the timer at heap position `pos` a new sequence that keeps
    /// its order against every other timer (the calendar's renumbering),
    /// so the heap stays valid.
    pub(super) fn set_sequence(&mut self, pos: usize, sequence: u32) {
        self.heap[pos].sequence = sequence;
    }

    /// Drops every timer.
    pub(super) fn clear(&mut self) {
        self.heap.clear();
        self.position.fill(NOWHERE);
    }

    #[inline(always)]
    fn remove(&mut self, pos: usize) {
        let removed = self.heap.swap_remove(pos);
        place(&mut self.position, removed.owner, NOWHERE as usize);
        if pos < self.heap.len() {
            let position = &mut self.position;
            heap::resift(&mut self.heap, pos, |t, at| place(position, t.owner, at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Against a plain list: set, replace, cancel and pop in random order.
    #[test]
    fn behaves_like_a_sorted_list() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
        let mut timers = Timers::new();
        let mut reference: Vec<(u128, u32)> = Vec::new();
        for step in 0..20_000u32 {
            let owner = rng.random_range(0..50u32);
            match rng.random_range(0..4) {
                0 | 1 => {
                    let (time, sequence) = (rng.random_range(0..100u64), step);
                    timers.set(owner, time, sequence, owner);
                    let key = key_of(time, sequence);
                    reference.retain(|&(_, o)| o != owner);
                    reference.push((key, owner));
                }
                2 => {
                    timers.cancel(owner);
                    reference.retain(|&(_, o)| o != owner);
                }
                _ => {
                    reference.sort();
                    let expected = (!reference.is_empty()).then(|| reference.remove(0));
                    assert_eq!(timers.pop().map(|t| (t.key(), t.event)), expected);
                }
            }
            assert_eq!(timers.len(), reference.len());
        }
    }
}
