//! Arrivals: the next client of each segment, its random key and its
//! request type, channel, complexity and own RM (keyed draws).

use rand::Rng;

use super::Event;
use super::client::{Client, NONE, Phase, at, at_mut, of_segment, of_segment_mut};
use super::counts::slot_of;
use super::mode::Mode;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::rng::keyed;
use crate::model::{Overload, WhenClosed};

impl Replication<'_> {
    /// Schedules the segment's next arrival after `now`, if before the
    /// horizon.
    #[inline(always)]
    pub(super) fn schedule_arrival<M: Mode>(&mut self, segment: usize, now: f64) {
        let model = self.model;
        // The segment's settings matter only to the full instance.
        let s = || of_segment(&model.segments, segment as u16);
        if M::FULL
            && let Some(trace) = &s().trace
        {
            return self.schedule_replayed(segment, trace);
        }
        // Exponential gaps (of mass 1 under a profile), built once.
        let feed = of_segment_mut(&mut self.feeds, segment as u16);
        let gap = feed.interarrival.sample(&mut feed.arrivals);
        let at = if M::FULL {
            match (&s().day_effect, &s().arrival_profile) {
                (Some(effect), _) => match self.advance_day_effect(segment, effect, now, gap) {
                    Some(at) => at,
                    None => return,
                },
                (None, Some(rate)) => match rate.advance(now, gap) {
                    Some(at) => at,
                    None => return,
                },
                (None, None) => now + gap,
            }
        } else {
            now + gap
        };
        if at <= self.model.run.horizon {
            // Each segment's next arrival waits in its own side slot.
            self.calendar.schedule_slot(
                segment,
                Time(at),
                Event::Arrival {
                    segment: segment as u32,
                },
            );
        }
    }

    pub(super) fn arrival<M: Mode>(&mut self, segment: usize, t: f64) {
        self.schedule_arrival::<M>(segment, t);
        let model = self.model;
        let counted = t >= self.warmup;
        let key = of_segment_mut(&mut self.feeds, segment as u16)
            .keys
            .random();
        self.arrivals_seen += 1;
        #[cfg(test)]
        self.trace.push((segment, t, key));
        let Some(id) = self.take_slot(t) else {
            return;
        };
        let seg = of_segment(&model.segments, segment as u16);
        let request = match &seg.trace {
            Some(_) if M::FULL => self
                .replayed_request(segment)
                .unwrap_or_else(|| pick(&seg.requests, key, self.request_salt)),
            _ => pick(&seg.requests, key, self.request_salt),
        };
        let (channel, complexity, own_rm) = if M::FULL && self.extras {
            self.arrival_extras(segment, request, key)
        } else {
            (0, 0.0, NONE)
        };
        let c = at_mut(&mut self.clients, id);
        *c = Client {
            generation: c.generation,
            phase: Phase::Waiting,
            segment: segment as u16,
            request: request as u16,
            counted,
            key,
            arrival: t,
            joined: t,
            channel: channel as u8,
            complexity,
            own_rm,
            ..Client::FREE
        };
        if M::FULL {
            self.open_contact(id, t);
        }
        if counted {
            of_segment_mut(&mut self.segments, segment as u16).arrived += 1;
            if M::FULL && self.by_request {
                self.requests[request].arrived += 1;
            }
            if M::FULL && self.slots.len() > 1 {
                let slot = slot_of(t, self.slot_len, self.slots.len());
                self.slots[slot].arrived += 1;
            }
        }
        self.enter::<M>(id, t);
    }

    /// A free slot of the slab for a new client (or chasing contact) at
    /// `t`; `None` when every slot is taken and the slab is at the limit of
    /// clients inside: the run then stops.
    #[inline(always)]
    pub(super) fn take_slot(&mut self, t: f64) -> Option<u32> {
        match self.free.pop() {
            Some(id) => Some(id),
            // Every slot is taken: the slab grows only below the limit.
            None if self.clients.len() as u64 >= self.model.run.max_clients_inside => {
                self.stop_overloaded(t);
                None
            }
            None => {
                self.clients.push(Client::FREE);
                Some((self.clients.len() - 1) as u32)
            }
        }
    }

    /// The client's attempt (first or redial) at `t` reaches its entry: its
    /// own RM's tier, or the entry of its request, channel or segment; a
    /// closed channel holds it until opening or loses it.
    #[inline(always)]
    pub(super) fn enter<M: Mode>(&mut self, id: u32, t: f64) {
        let model = self.model;
        let c = at(&self.clients, id);
        let (segment, channel) = (c.segment as usize, c.channel as usize);
        // Only a booked client (full instance) looks up its segment's book.
        let booked = M::FULL && c.own_rm != NONE;
        let entry = match booked.then(|| model.segments[segment].book.as_ref()) {
            Some(Some(b)) => b.tier,
            _ => self.entry_for(segment, c.request as usize, channel, c.key),
        };
        if M::FULL
            && self.extras
            && let Some(ch) = model.channels.get(channel)
            && let Some(hours) = &ch.hours
            && !hours.is_open(t)
        {
            match ch.when_closed {
                WhenClosed::Lost => self.depart_blocked(id),
                WhenClosed::Wait => {
                    let opens = hours.next_open(t);
                    let c = &mut self.clients[id as usize];
                    c.next = entry as u16;
                    self.calendar.schedule(
                        Time(opens),
                        Event::Rejoin {
                            client: id,
                            generation: c.generation,
                        },
                    );
                }
            }
            return;
        }
        self.join::<M>(id, entry, t);
    }

    /// A new client's channel, complexity and own RM (keyed draws).
    pub(super) fn arrival_extras(
        &self,
        segment: usize,
        request: usize,
        key: u64,
    ) -> (usize, f64, u16) {
        let model = self.model;
        let seg = &model.segments[segment];
        let channel = pick(&seg.channels, key, self.channel_salt);
        let complexity = model.requests[request]
            .complexity
            .as_ref()
            .map_or(0.0, |d| {
                d.sample(&mut keyed(key, self.complexity_salt, 0))
                    .clamp(0.0, 1.0)
            });
        // A booked client is one of the segment's population; the first
        // books' worth of them have an RM.
        let own_rm = seg.book.as_ref().map_or(NONE, |b| {
            let u: f64 = keyed(key, self.book_salt, 0).random();
            let client = (u * b.population as f64) as u64;
            let rm = client / b.clients_per_rm.max(1) as u64;
            if rm < model.tiers[b.tier].servers.count().unwrap_or(0) as u64 {
                rm as u16
            } else {
                NONE
            }
        });
        (channel, complexity, own_rm)
    }

    /// Stops the run at time `t`: the clients inside reached the limit.
    /// The tier with the longest queue is the overloaded one.
    #[cold]
    pub(super) fn stop_overloaded(&mut self, t: f64) {
        let (tier, waiting) = self
            .tiers
            .iter()
            .enumerate()
            .map(|(j, ts)| (j, ts.waiting))
            .max_by_key(|&(j, w)| (w, std::cmp::Reverse(j)))
            .unwrap_or((0, 0));
        self.overload = Some(Overload {
            time: t,
            inside: self.clients.len() as u64,
            tier,
            waiting: waiting as u64,
        });
        self.calendar.clear();
    }
}

/// One keyed draw from a mix of shares (index 0 when there is no choice).
#[inline]
pub(super) fn pick(mix: &[f64], key: u64, salt: u64) -> usize {
    if mix.len() < 2 {
        return 0;
    }
    let u: f64 = keyed(key, salt, 0).random();
    let mut acc = 0.0;
    mix.iter()
        .position(|p| {
            acc += p;
            u < acc
        })
        .unwrap_or(mix.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{traced, two_tier};

    /// Common random numbers: a change of staffing leaves every client's
    /// arrival time and random key (hence patience) exactly as they were,
    /// while the outcomes do change.
    #[test]
    fn staffing_change_keeps_the_same_clients() {
        for replication in 0..3 {
            let (few, few_trace) = traced(&two_tier(3), replication);
            let (many, many_trace) = traced(&two_tier(6), replication);
            assert!(few_trace.len() > 3000);
            assert_eq!(few_trace, many_trace);
            assert_ne!(few.tiers[0].wait.sum, many.tiers[0].wait.sum);
        }
        // A different replication is a different set of clients.
        assert_ne!(traced(&two_tier(3), 0).1, traced(&two_tier(3), 1).1);
    }
}
