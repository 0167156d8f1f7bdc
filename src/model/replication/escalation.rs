//! Escalation and transfers: where a served client goes next (probability
//! routes, back-office steps) and call-back attempts.

use rand::Rng;

use super::Event;
use super::chasing::ChaseEnd;
use super::client::{Client, Phase};
use super::mode::{Full, Mode};
use super::state::Replication;
use crate::engine::Time;
use crate::engine::rng::keyed;
use crate::model::{ContactKind, ContactOutcome, Tier};

impl Replication<'_> {
    /// A call-back attempt failed: try again later, or give up after the
    /// tier's last attempt.
    pub(super) fn attempt_failed(&mut self, id: u32, t: f64) {
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let rules = self.model.tiers[tier].callback;
        c.attempts = c.attempts.saturating_add(1);
        c.attempt_fails = false;
        if c.counted {
            self.tiers[tier].counts.callback_failures += 1;
        }
        if (c.attempts as u32) < rules.attempts {
            c.next = tier as u16;
            c.generation = c.generation.wrapping_add(1);
            c.phase = Phase::Waiting;
            self.calendar.schedule(
                Time(t + rules.retry_minutes),
                Event::Rejoin {
                    client: id,
                    generation: c.generation,
                },
            );
            return;
        }
        // Unreached: the journey ends unresolved.
        c.phase = Phase::Waiting;
        let c = &self.clients[id as usize];
        if c.chase_contact {
            if c.counted {
                self.tiers[tier].counts.abandoned += 1;
            }
            return self.end_chase(id, ChaseEnd::Lost);
        }
        if c.counted {
            self.tiers[tier].counts.abandoned += 1;
            let counts = &mut self.segments[c.segment as usize];
            counts.abandoned += 1;
            counts.unreached += 1;
            counts.record_admitted(c, self.threshold, self.midpoint);
        }
        // The need is unresolved: the client may contact the bank again.
        let record = self.contact_record(id, ContactOutcome::Unreached, Some(t));
        if self.repeating && self.try_repeat(id, t) {
            self.emit(record, ContactKind::Repeat);
            return;
        }
        if self.clients[id as usize].counted {
            self.record_outcome::<Full>(id, false, t);
        }
        self.emit(record, ContactKind::First);
        self.release(id);
    }

    /// The client's contact is over and nothing escalates it: the case goes
    /// to its next back-office step, or the client departs served.
    pub(super) fn next_step<M: Mode>(&mut self, id: u32, t: f64) {
        if M::FULL && self.chasing && self.clients[id as usize].chase_contact {
            return self.end_chase(id, ChaseEnd::Served);
        }
        if M::FULL && self.resolving && !self.resolved_here(id) {
            return self.depart_unresolved(id, t);
        }
        if !M::FULL || !self.back_office {
            return self.depart_served::<M>(id, t);
        }
        let model = self.model;
        let c = &mut self.clients[id as usize];
        let segment = &model.segments[c.segment as usize].back_office;
        let request = &model.requests[c.request as usize].back_office;
        let step = c.steps as usize;
        let to = if step < segment.len() {
            Some(segment[step])
        } else {
            request.get(step - segment.len()).copied()
        };
        match to {
            Some(to) => {
                let first = c.steps == 0;
                if first {
                    c.bo_start = t;
                }
                c.steps += 1;
                self.join_full(id, to, t);
                if first && self.chasing {
                    self.start_chasing(id, t);
                }
            }
            None => self.depart_served::<Full>(id, t),
        }
    }
}

/// Where a client goes after service at a tier with probability routes:
/// one keyed draw against the cumulative escalation probabilities.
#[inline]
pub(super) fn route(spec: &Tier, c: &Client, salt: u64) -> Option<usize> {
    let routes = &spec.routes[c.request as usize];
    if routes.is_empty() {
        return None;
    }
    let u: f64 = keyed(c.key, salt, c.visits as u64).random();
    let mut acc = 0.0;
    routes.iter().find_map(|e| {
        acc += e.probability;
        (u < acc).then_some(e.to)
    })
}
