//! Cancellable timers: at most one pending event per owner (a client's
//! patience), in a binary min-heap that knows where each owner's entry is,
//! so a timer that will not fire (the client's service began) is removed at
//! once instead of being taken later as a stale event.

/// A timer: its (time, sequence) key, owner and event.
#[derive(Clone, Copy, Debug)]
pub(super) struct Timer<E> {
    pub(super) key: u128,
    owner: u32,
    pub(super) event: E,
}

/// No heap position: the owner has no timer.
const NOWHERE: u32 = u32::MAX;

/// The indexed heap of timers.
#[derive(Debug)]
pub(super) struct Timers<E> {
    heap: Vec<Timer<E>>,
    /// Heap position of each owner's timer (`NOWHERE` without one).
    position: Vec<u32>,
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

    /// Sets `owner`'s timer (replacing the one it had).
    #[inline]
    pub(super) fn set(&mut self, owner: u32, key: u128, event: E) {
        self.cancel(owner);
        if owner as usize >= self.position.len() {
            self.position.resize(owner as usize + 1, NOWHERE);
        }
        self.heap.push(Timer { key, owner, event });
        self.sift_up(self.heap.len() - 1);
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

    /// Drops every timer.
    pub(super) fn clear(&mut self) {
        self.heap.clear();
        self.position.fill(NOWHERE);
    }

    fn remove(&mut self, pos: usize) {
        let removed = self.heap.swap_remove(pos);
        self.position[removed.owner as usize] = NOWHERE;
        if pos < self.heap.len() {
            self.place(pos);
            self.sift_down(pos);
            self.sift_up(pos);
        }
    }

    #[inline]
    fn place(&mut self, pos: usize) {
        self.position[self.heap[pos].owner as usize] = pos as u32;
    }

    fn sift_up(&mut self, mut pos: usize) {
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if self.heap[parent].key <= self.heap[pos].key {
                break;
            }
            self.heap.swap(parent, pos);
            self.place(pos);
            pos = parent;
        }
        self.place(pos);
    }

    fn sift_down(&mut self, mut pos: usize) {
        let end = self.heap.len();
        loop {
            let mut child = 2 * pos + 1;
            if child >= end {
                break;
            }
            if child + 1 < end && self.heap[child + 1].key < self.heap[child].key {
                child += 1;
            }
            if self.heap[pos].key <= self.heap[child].key {
                break;
            }
            self.heap.swap(pos, child);
            self.place(pos);
            pos = child;
        }
        self.place(pos);
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
        for step in 0..20_000u128 {
            let owner = rng.random_range(0..50u32);
            match rng.random_range(0..4) {
                0 | 1 => {
                    let key = (rng.random_range(0..100u128) << 64) | step;
                    timers.set(owner, key, owner);
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
                    assert_eq!(timers.pop().map(|t| (t.key, t.event)), expected);
                }
            }
            assert_eq!(timers.len(), reference.len());
        }
    }
}
