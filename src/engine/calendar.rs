//! The event calendar: a binary min-heap on (time, insertion sequence), so
//! events due at the same time come out in the order they were scheduled and
//! every run is deterministic. A few recurring events (each segment's next
//! arrival) may instead wait in fixed side slots beside the heap, under the
//! same (time, sequence) key: they come out in exactly the same order, but
//! never pay for a sift.
//!
//! The sequence is 32 bits, so an entry is 24 bytes (time, sequence, a
//! 12-byte event). Before it would wrap (after 4.3 billion events) every
//! pending entry is renumbered from 0 in its order, which keeps the order of
//! exact ties ([`Calendar::renumber`]).

use super::heap::{self, Keyed};
use super::time::Time;
use super::timers::Timers;

/// One scheduled event: the time's bit pattern (ordered like the time), the
/// insertion sequence, and the event.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    time: u64,
    sequence: u32,
    event: E,
}

impl<E: Copy> Keyed for Entry<E> {
    #[inline(always)]
    fn key(&self) -> u128 {
        key_of(self.time, self.sequence)
    }
}

/// The (time, sequence) key: one integer comparison orders both.
#[inline(always)]
pub(super) const fn key_of(time: u64, sequence: u32) -> u128 {
    ((time as u128) << 64) | sequence as u128
}

/// The (time, sequence) of a vacant side slot, and its key: later than any
/// event (no finite time has the all-ones bit pattern).
const VACANT: (u64, u32) = (u64::MAX, u32::MAX);
const EMPTY: u128 = key_of(VACANT.0, VACANT.1);

/// A future-event list holding events of type `E` (a plain `Copy` enum in
/// practice). Scheduling and taking the next event are O(log n); nothing is
/// allocated once the heap has grown to its working size.
///
/// Taking an event leaves its slot at the root as a hole until the next call:
/// a handler usually schedules a follow-up (the next arrival, the next
/// service end), which then fills the hole with one sift-down instead of a
/// removal plus an insertion.
#[derive(Debug)]
pub struct Calendar<E> {
    heap: Vec<Entry<E>>,
    /// Side slots: at most one event each, `EMPTY` key when vacant.
    slots: Vec<Entry<E>>,
    /// Index of the earliest side slot (any, when all are vacant).
    first_slot: usize,
    /// The key of the earliest side slot (`EMPTY` when all are vacant).
    side: u128,
    /// Cancellable timers (patience), one per owner.
    timers: Timers<E>,
    /// The root was taken and not yet replaced.
    hole: bool,
    sequence: u32,
    now: Time,
}

impl<E: Copy> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Calendar<E> {
    /// An empty calendar at time zero.
    pub fn new() -> Self {
        Calendar {
            heap: Vec::with_capacity(64),
            slots: Vec::new(),
            first_slot: 0,
            side: EMPTY,
            timers: Timers::new(),
            hole: false,
            sequence: 0,
            now: Time::ZERO,
        }
    }

    /// The time of the event taken last (zero before the first).
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// Number of events waiting.
    #[inline]
    pub fn len(&self) -> usize {
        self.heap.len() - self.hole as usize
            + self.slots.iter().filter(|s| s.key() != EMPTY).count()
            + self.timers.len()
    }

    /// Gives the calendar `n` side slots (vacant), replacing any there were.
    pub fn with_slots(mut self, n: usize, vacant: E) -> Self {
        self.slots = vec![
            Entry {
                time: VACANT.0,
                sequence: VACANT.1,
                event: vacant,
            };
            n
        ];
        self.first_slot = 0;
        self.side = EMPTY;
        self
    }

    /// Schedules `event` at `at` in side slot `slot`, which must be vacant
    /// (its event was taken). It takes the next sequence number, exactly as
    /// [`Calendar::schedule`] would, so the order of events is the same.
    #[inline]
    pub fn schedule_slot(&mut self, slot: usize, at: Time, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past");
        let (time, sequence) = self.stamp(at);
        let entry = &mut self.slots[slot];
        debug_assert!(entry.key() == EMPTY, "side slot taken");
        *entry = Entry {
            time,
            sequence,
            event,
        };
        let key = key_of(time, sequence);
        if key < self.side {
            self.side = key;
            self.first_slot = slot;
        }
    }

    /// Sets `owner`'s cancellable timer to fire `event` at `at` (replacing
    /// any timer the owner had). It takes the next sequence number, as
    /// [`Calendar::schedule`] would, so the order of events is the same.
    #[inline]
    pub fn schedule_timer(&mut self, owner: u32, at: Time, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past");
        let (time, sequence) = self.stamp(at);
        self.timers.set(owner, time, sequence, event);
    }

    /// Cancels `owner`'s timer, if it has one: its event will not come out.
    #[inline]
    pub fn cancel_timer(&mut self, owner: u32) {
        self.timers.cancel(owner);
    }

    /// The (time, sequence) of an event scheduled now at `at`: the time's
    /// key and the next sequence number (renumbering the pending entries
    /// first when the sequence would wrap).
    #[inline(always)]
    fn stamp(&mut self, at: Time) -> (u64, u32) {
        if self.sequence == u32::MAX {
            self.renumber();
        }
        let sequence = self.sequence;
        self.sequence += 1;
        (at.key(), sequence)
    }

    /// Numbers every pending entry (heap, side slots, timers) 0, 1, 2, ...
    /// in (time, sequence) order and continues after them: the order of
    /// every pending pair, exact ties included, is unchanged, so the heaps
    /// stay valid as they are, and later events still come after earlier
    /// ones of the same time. Runs once every 4.3 billion events at most.
    #[cold]
    #[inline(never)]
    fn renumber(&mut self) {
        self.fill_hole();
        /// Where a pending entry sits.
        #[derive(Clone, Copy)]
        enum At {
            Heap(usize),
            Slot(usize),
            Timer(usize),
        }
        let mut pending: Vec<(u128, At)> = Vec::with_capacity(self.len());
        pending.extend(
            self.heap
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key(), At::Heap(i))),
        );
        pending.extend(
            self.slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.key() != EMPTY)
                .map(|(i, s)| (s.key(), At::Slot(i))),
        );
        pending.extend(
            self.timers
                .keys()
                .enumerate()
                .map(|(i, k)| (k, At::Timer(i))),
        );
        pending.sort_unstable_by_key(|p| p.0);
        for (n, &(_, at)) in pending.iter().enumerate() {
            let n = u32::try_from(n).expect("fewer than 2^32 pending events");
            match at {
                At::Heap(i) => self.heap[i].sequence = n,
                At::Slot(i) => self.slots[i].sequence = n,
                At::Timer(i) => self.timers.set_sequence(i, n),
            }
        }
        self.sequence = pending.len() as u32;
        self.refresh_first_slot();
    }

    /// Finds the earliest side slot again after one was taken.
    #[inline]
    fn refresh_first_slot(&mut self) {
        let (mut first, mut side) = (0, EMPTY);
        for (i, s) in self.slots.iter().enumerate() {
            if s.key() < side {
                (first, side) = (i, s.key());
            }
        }
        (self.first_slot, self.side) = (first, side);
    }

    /// True when no event is waiting.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Schedules `event` at absolute time `at`, which must not be in the past.
    #[inline(always)]
    pub fn schedule(&mut self, at: Time, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past");
        let (time, sequence) = self.stamp(at);
        let entry = Entry {
            time,
            sequence,
            event,
        };
        if self.hole {
            self.hole = false;
            self.heap[0] = entry;
            heap::sift_down(&mut self.heap, 0, |_, _| {});
        } else {
            self.heap.push(entry);
            let last = self.heap.len() - 1;
            heap::sift_up(&mut self.heap, last, |_, _| {});
        }
    }

    /// Schedules `event` `delay` minutes from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule(Time(self.now.0 + delay), event);
    }

    /// Takes the earliest event (ties in scheduling order) and advances the
    /// clock to it. Always inlined: called once per event, from the one
    /// event loop (an out-of-line call cost its register saving each time).
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        // Tested here, not in the call: most events leave no hole (their
        // handler filled it), and the call would cost its register saving.
        if self.hole {
            self.fill_hole();
        }
        let side = self.side;
        let root = self.heap.first().map(|e| (e.key(), e.event));
        // Without timers (no patience) the third comparison is skipped.
        let timer = match self.timers.first() {
            Some(t) if t.key() < side => t.key(),
            _ => EMPTY,
        };
        let (key, event) = match root {
            Some((heap, event)) if heap < side && heap < timer => {
                self.hole = true;
                (heap, event)
            }
            _ if side < timer => {
                let slot = &mut self.slots[self.first_slot];
                let event = slot.event;
                (slot.time, slot.sequence) = VACANT;
                if self.slots.len() > 1 {
                    self.refresh_first_slot();
                } else {
                    self.side = EMPTY;
                }
                (side, event)
            }
            _ if timer != EMPTY => {
                let top = self.timers.pop().expect("a timer is pending");
                (timer, top.event)
            }
            _ => return None,
        };
        self.now = Time(f64::from_bits((key >> 64) as u64));
        Some((self.now, event))
    }

    /// Removes the taken root for good: the last entry moves into it.
    #[inline]
    fn fill_hole(&mut self) {
        if !self.hole {
            return;
        }
        self.hole = false;
        let last = self.heap.pop().expect("a hole is a slot in the heap");
        if !self.heap.is_empty() {
            self.heap[0] = last;
            heap::sift_down_to_bottom(&mut self.heap, 0, |_, _| {});
        }
    }

    /// Drops every waiting event: a run stopped early ends at the next
    /// `pop`.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.hole = false;
        for s in &mut self.slots {
            (s.time, s.sequence) = VACANT;
        }
        self.side = EMPTY;
        self.timers.clear();
    }

    /// The time of the earliest event, without taking it.
    #[inline]
    pub fn peek_time(&mut self) -> Option<Time> {
        self.fill_hole();
        let timer = self.timers.first().map_or(EMPTY, |t| t.key());
        let key = self
            .heap
            .first()
            .map_or(self.side, |e| e.key().min(self.side))
            .min(timer);
        (key != EMPTY).then(|| Time(f64::from_bits((key >> 64) as u64)))
    }

    /// A calendar whose next sequence number is `sequence` (to test the
    /// renumbering near the wrap).
    #[cfg(test)]
    fn starting_at(sequence: u32) -> Self {
        Calendar {
            sequence,
            ..Calendar::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn pops_in_time_order_and_ties_fifo() {
        let mut cal = Calendar::new();
        cal.schedule(Time(5.0), 'a');
        cal.schedule(Time(1.0), 'b');
        cal.schedule(Time(5.0), 'c');
        cal.schedule(Time(0.0), 'd');
        cal.schedule(Time(5.0), 'e');
        let order: Vec<char> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['d', 'b', 'a', 'c', 'e']);
        assert_eq!(cal.now(), Time(5.0));
    }

    /// Events in side slots come out in the same (time, sequence) order as
    /// if they had been in the heap.
    #[test]
    fn side_slots_keep_the_order() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        let mut plain = Calendar::new();
        let mut sided = Calendar::new().with_slots(3, (9, 0));
        for s in 0..3u32 {
            plain.schedule(Time(0.0), (s, 0));
            sided.schedule_slot(s as usize, Time(0.0), (s, 0));
        }
        for n in 1..5000u32 {
            let (a, b) = (plain.pop().unwrap(), sided.pop().unwrap());
            assert_eq!(a, b);
            let (t, (kind, _)) = a;
            let at = Time(t.0 + rng.random_range(0..4) as f64 * 0.5);
            plain.schedule(at, (kind, n));
            if kind < 3 {
                sided.schedule_slot(kind as usize, at, (kind, n));
                // Other events in the heap, with ties.
                let other = Time(t.0 + rng.random_range(0..4) as f64 * 0.5);
                plain.schedule(other, (7, n));
                sided.schedule(other, (7, n));
            } else {
                sided.schedule(at, (kind, n));
            }
            assert_eq!(plain.len(), sided.len());
            assert_eq!(plain.peek_time(), sided.peek_time());
        }
    }

    /// Timers come out in (time, sequence) order with the heap's events;
    /// a cancelled one never comes out.
    #[test]
    fn timers_keep_the_order_and_cancel() {
        let mut cal = Calendar::new();
        cal.schedule(Time(2.0), 'a');
        cal.schedule_timer(7, Time(1.0), 'b');
        cal.schedule_timer(8, Time(2.0), 'c');
        cal.schedule(Time(1.0), 'd');
        cal.schedule_timer(9, Time(0.5), 'e');
        cal.cancel_timer(9);
        cal.schedule_timer(8, Time(3.0), 'f');
        assert_eq!(cal.len(), 4);
        assert_eq!(cal.peek_time(), Some(Time(1.0)));
        let order: Vec<char> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['b', 'd', 'a', 'f']);
    }

    #[test]
    fn matches_a_sort_on_random_input() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let mut cal = Calendar::new();
        let mut reference = Vec::new();
        let mut seq = 0u32;
        let mut now = 0.0;
        for round in 0..2000 {
            // Interleave scheduling (with many exact ties) and taking.
            for _ in 0..rng.random_range(0..4) {
                let t = now + (rng.random_range(0..20) as f64) * 0.5;
                cal.schedule(Time(t), seq);
                reference.push((t, seq));
                seq += 1;
            }
            if round % 3 != 0
                && let Some((t, e)) = cal.pop()
            {
                reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let expected = reference.remove(0);
                assert_eq!((t.0, e), expected);
                now = t.0;
            }
        }
        reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let rest: Vec<(f64, u32)> =
            std::iter::from_fn(|| cal.pop().map(|(t, e)| (t.0, e))).collect();
        assert_eq!(rest, reference);
    }

    /// An entry is 24 bytes: 64-bit time, 32-bit sequence, a 12-byte event
    /// (the event loop's events are at most a tag and two `u32`s).
    #[test]
    fn entries_are_24_bytes() {
        assert_eq!(std::mem::size_of::<Entry<(u32, u32, u32)>>(), 24);
    }

    /// Exact ties scheduled on both sides of the sequence's wrap come out
    /// in the order they were scheduled.
    #[test]
    fn ties_keep_their_order_across_the_wrap() {
        let mut cal = Calendar::starting_at(u32::MAX - 3);
        for n in 0..10u32 {
            cal.schedule(Time(1.0), n);
        }
        let order: Vec<u32> = std::iter::from_fn(|| cal.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, (0..10).collect::<Vec<_>>());
        // Renumbered from the pending ones: the sequence starts low again.
        assert!(cal.sequence < 20, "{}", cal.sequence);
    }

    /// A calendar whose sequence wraps many times (heap, side slots and
    /// timers, with cancels and exact ties) takes every event in the same
    /// order as one that never wraps.
    #[test]
    fn wrapping_sequence_keeps_the_order() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        let mut plain = Calendar::new().with_slots(2, (9, 0));
        let mut wraps = Calendar::starting_at(u32::MAX - 40).with_slots(2, (9, 0));
        for s in 0..2u32 {
            plain.schedule_slot(s as usize, Time(0.0), (s, 0));
            wraps.schedule_slot(s as usize, Time(0.0), (s, 0));
        }
        let mut renumbered = 0;
        for n in 1..20_000u32 {
            let (a, b) = (plain.pop(), wraps.pop());
            assert_eq!(a, b, "event {n}");
            let Some((t, (kind, _))) = a else { break };
            let at = |rng: &mut rand_xoshiro::Xoshiro256PlusPlus| {
                Time(t.0 + rng.random_range(0..4) as f64 * 0.5)
            };
            if kind < 2 {
                let next = at(&mut rng);
                plain.schedule_slot(kind as usize, next, (kind, n));
                wraps.schedule_slot(kind as usize, next, (kind, n));
            }
            for _ in 0..rng.random_range(0..3) {
                let (other, owner) = (at(&mut rng), rng.random_range(0..8u32));
                if rng.random_bool(0.5) {
                    plain.schedule(other, (7, n));
                    wraps.schedule(other, (7, n));
                } else if rng.random_bool(0.8) {
                    plain.schedule_timer(owner, other, (8, owner));
                    wraps.schedule_timer(owner, other, (8, owner));
                } else {
                    plain.cancel_timer(owner);
                    wraps.cancel_timer(owner);
                }
            }
            if wraps.sequence < 100 {
                renumbered += 1;
            }
            // Once renumbered (every pending sequence is below 400), wrap
            // again within a few events.
            if (400..u32::MAX - 100).contains(&wraps.sequence) {
                wraps.sequence = u32::MAX - rng.random_range(0..5);
            }
            assert_eq!(plain.len(), wraps.len());
        }
        assert!(renumbered > 10, "the sequence wrapped {renumbered} times");
    }
}
