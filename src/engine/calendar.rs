//! The event calendar: a binary min-heap on (time, insertion sequence), so
//! events due at the same time come out in the order they were scheduled and
//! every run is deterministic. A few recurring events (each segment's next
//! arrival) may instead wait in fixed side slots beside the heap, under the
//! same (time, sequence) key: they come out in exactly the same order, but
//! never pay for a sift.

use super::heap::{self, Keyed};
use super::time::Time;
use super::timers::Timers;

/// One scheduled event. The key packs the time's bit pattern above the
/// insertion sequence, so one integer comparison orders (time, sequence).
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E: Copy> Keyed for Entry<E> {
    #[inline(always)]
    fn key(&self) -> u128 {
        self.key
    }
}

/// The key of a vacant side slot: later than any event.
const EMPTY: u128 = u128::MAX;

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
    /// Cancellable timers (patience), one per owner.
    timers: Timers<E>,
    /// The root was taken and not yet replaced.
    hole: bool,
    sequence: u64,
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
            + self.slots.iter().filter(|s| s.key != EMPTY).count()
            + self.timers.len()
    }

    /// Gives the calendar `n` side slots (vacant), replacing any there were.
    pub fn with_slots(mut self, n: usize, vacant: E) -> Self {
        self.slots = vec![
            Entry {
                key: EMPTY,
                event: vacant,
            };
            n
        ];
        self.first_slot = 0;
        self
    }

    /// Schedules `event` at `at` in side slot `slot`, which must be vacant
    /// (its event was taken). It takes the next sequence number, exactly as
    /// [`Calendar::schedule`] would, so the order of events is the same.
    #[inline]
    pub fn schedule_slot(&mut self, slot: usize, at: Time, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past");
        debug_assert!(self.slots[slot].key == EMPTY, "side slot taken");
        let key = self.key(at);
        self.slots[slot] = Entry { key, event };
        if key < self.slots[self.first_slot].key {
            self.first_slot = slot;
        }
    }

    /// Sets `owner`'s cancellable timer to fire `event` at `at` (replacing
    /// any timer the owner had). It takes the next sequence number, as
    /// [`Calendar::schedule`] would, so the order of events is the same.
    #[inline]
    pub fn schedule_timer(&mut self, owner: u32, at: Time, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past");
        let key = self.key(at);
        self.timers.set(owner, key, event);
    }

    /// Cancels `owner`'s timer, if it has one: its event will not come out.
    #[inline]
    pub fn cancel_timer(&mut self, owner: u32) {
        self.timers.cancel(owner);
    }

    /// The (time, sequence) key of an event scheduled now at `at`.
    #[inline]
    fn key(&mut self, at: Time) -> u128 {
        let key = ((at.key() as u128) << 64) | self.sequence as u128;
        self.sequence += 1;
        key
    }

    /// Finds the earliest side slot again after one was taken.
    #[inline]
    fn refresh_first_slot(&mut self) {
        let mut first = 0;
        for (i, s) in self.slots.iter().enumerate().skip(1) {
            if s.key < self.slots[first].key {
                first = i;
            }
        }
        self.first_slot = first;
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
        let key = self.key(at);
        let entry = Entry { key, event };
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
        self.fill_hole();
        let side = self.slots.get(self.first_slot).map_or(EMPTY, |s| s.key);
        let heap = self.heap.first().map_or(EMPTY, |e| e.key);
        // Without timers (no patience) the third comparison is skipped.
        let timer = match self.timers.first() {
            Some(t) if t.key < side => t.key,
            _ => EMPTY,
        };
        let (key, event) = if heap < side && heap < timer {
            self.hole = true;
            (heap, self.heap[0].event)
        } else if side < timer {
            let top = self.slots[self.first_slot];
            self.slots[self.first_slot].key = EMPTY;
            if self.slots.len() > 1 {
                self.refresh_first_slot();
            }
            (side, top.event)
        } else if timer != EMPTY {
            let top = self.timers.pop().expect("a timer is pending");
            (timer, top.event)
        } else {
            return None;
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
            s.key = EMPTY;
        }
        self.timers.clear();
    }

    /// The time of the earliest event, without taking it.
    #[inline]
    pub fn peek_time(&mut self) -> Option<Time> {
        self.fill_hole();
        let side = self.slots.get(self.first_slot).map_or(EMPTY, |s| s.key);
        let timer = self.timers.first().map_or(EMPTY, |t| t.key);
        let key = self
            .heap
            .first()
            .map_or(side, |e| e.key.min(side))
            .min(timer);
        (key != EMPTY).then(|| Time(f64::from_bits((key >> 64) as u64)))
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
}
