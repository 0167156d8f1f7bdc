//! Dedicated RMs: each has a book of clients and a queue of their own,
//! blocks of non-client work, and an overflow rule for clients kept waiting.

use super::Event;
use super::state::Replication;
use crate::engine::Time;
use crate::model::Overflow;
use crate::model::week::NON_CLIENT_CYCLE;

impl Replication<'_> {
    /// A booked client at a dedicated tier: served by their own RM when
    /// free, else waits in that RM's queue until the overflow rule applies.
    pub(super) fn join_own_rm(&mut self, id: u32, tier: usize, t: f64) {
        let rm = self.clients[id as usize].own_rm as usize;
        if !self.tiers[tier].rm_busy[rm] && self.rm_ready_at(tier, rm, t) <= t {
            self.start_service_by(id, rm, t);
            return;
        }
        let generation = self.start_waiting(id, tier, t);
        self.tiers[tier].rm_queues[rm].push_back((id, generation));
        let c = &self.clients[id as usize];
        if !c.callback {
            let book = self.model.segments[c.segment as usize]
                .book
                .as_ref()
                .expect("booked clients have a book");
            if book.overflow_after.is_finite() {
                self.calendar.schedule(
                    Time(t + book.overflow_after),
                    Event::Overflow {
                        client: id,
                        generation,
                    },
                );
            }
            self.schedule_patience(id, tier, t);
        }
        // An idle RM on non-client work takes the client when it ends.
        let ready = self.rm_ready_at(tier, rm, t);
        if !self.tiers[tier].rm_busy[rm] && ready > t {
            self.calendar.schedule(
                Time(ready),
                Event::RmReady {
                    tier: tier as u32,
                    rm: rm as u32,
                },
            );
        }
    }

    /// When RM `rm` of a dedicated tier is next free of non-client work:
    /// `t` itself outside its block. RM i's block takes the tier's
    /// non-client share of every hour, starting i × 60/n minutes past the
    /// hour (the same blocks as `week::availability`).
    pub(super) fn rm_ready_at(&self, tier: usize, rm: usize, t: f64) -> f64 {
        let spec = &self.model.tiers[tier];
        if spec.non_client_share <= 0.0 {
            return t;
        }
        let stagger = NON_CLIENT_CYCLE / spec.servers.count().unwrap_or(0) as f64;
        let block = spec.non_client_share * NON_CLIENT_CYCLE;
        let since = (t - rm as f64 * stagger).rem_euclid(NON_CLIENT_CYCLE);
        if since < block - 1e-9 {
            t + (block - since)
        } else {
            t
        }
    }

    /// A dedicated RM is free: they take the first valid client of their
    /// own queue, or wait for the end of their non-client block.
    pub(super) fn rm_free(&mut self, tier: usize, rm: usize, t: f64) {
        if self.tiers[tier].rm_busy[rm] {
            return;
        }
        let ready = self.rm_ready_at(tier, rm, t);
        let ts = &mut self.tiers[tier];
        while let Some(&(id, generation)) = ts.rm_queues[rm].front() {
            if self.clients[id as usize].generation != generation {
                ts.rm_queues[rm].pop_front();
                continue;
            }
            if ready > t {
                self.calendar.schedule(
                    Time(ready),
                    Event::RmReady {
                        tier: tier as u32,
                        rm: rm as u32,
                    },
                );
                return;
            }
            ts.rm_queues[rm].pop_front();
            ts.queue_len.change(t, -1.0);
            ts.waiting -= 1;
            self.start_service_by(id, rm, t);
            return;
        }
    }

    /// A booked client has waited `overflow_after` for their RM: another
    /// tier takes them, or they hang up and their RM calls back.
    pub(super) fn overflow(&mut self, id: u32, t: f64) {
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let book = self.model.segments[c.segment as usize]
            .book
            .as_ref()
            .expect("booked clients have a book");
        match book.overflow {
            Overflow::Callback => {
                // Still in the RM's queue, now as a call-back.
                let wait = t - c.joined;
                c.wait += wait;
                c.visit_wait += wait;
                c.joined = t;
                c.callback = true;
                c.repeats = c.repeats.saturating_add(1);
            }
            Overflow::To(to) => {
                let wait = t - c.joined;
                c.wait += wait;
                c.generation = c.generation.wrapping_add(1);
                let counted = c.counted;
                let ts = &mut self.tiers[tier];
                ts.queue_len.change(t, -1.0);
                ts.waiting -= 1;
                ts.counts.overflowed += counted as u64;
                self.join_full(id, to, t);
            }
        }
    }

    /// Dedicated RM `rm` starts serving the client.
    pub(super) fn start_service_by(&mut self, id: u32, rm: usize, t: f64) {
        let c = &mut self.clients[id as usize];
        c.rm = rm as u16;
        c.by_own_rm = true;
        self.tiers[c.tier as usize].rm_busy[rm] = true;
        self.start_service(id, t);
    }
}
