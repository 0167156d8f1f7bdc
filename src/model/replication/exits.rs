//! Exits and outcome scoring: clients leave served, abandoned or blocked
//! (or, after a failed attempt, may call again: `redial`), and each
//! finished journey is scored (satisfaction, complaints, sales).

use std::collections::VecDeque;

use rand::Rng;

use super::chasing::ChaseEnd;
use super::client::{NONE, Phase, at, at_mut, of_segment, of_segment_mut, of_tier_mut};
use super::counts::slot_of;
use super::mode::{Full, Mode};
use super::state::Replication;
use crate::engine::rng::keyed;
use crate::model::outcome::{Journey, logistic};
use crate::model::retention::Ending;
use crate::model::{ContactKind, ContactOutcome, TierKind};

impl Replication<'_> {
    pub(super) fn abandon<M: Mode>(&mut self, id: u32, t: f64) {
        let c = at_mut(&mut self.clients, id);
        let tier = c.tier as usize;
        let wait = t - c.joined;
        c.visit_wait = wait;
        c.wait += wait;
        let c = at(&self.clients, id);
        let counted = c.counted;
        let ts = of_tier_mut(&mut self.tiers, tier);
        ts.queue_len.change(t, -1.0);
        ts.waiting -= 1;
        if counted {
            let k = &mut ts.counts;
            k.abandoned += 1;
            k.wait.add(wait);
            if wait > 0.0 {
                k.waited += 1;
            }
        }
        if M::FULL && self.chasing && c.chase_contact {
            // A chasing contact is not a journey: it is lost, and leaves
            // (no journeys row: it belongs to another client's case).
            self.end_chase(id, ChaseEnd::Lost);
        } else {
            if counted {
                let counts = of_segment_mut(&mut self.segments, c.segment);
                counts.abandoned += 1;
                counts.record_admitted(c, self.threshold, self.midpoint);
            }
            // A client who calls again keeps its slot; its journey goes on.
            let record = if M::FULL {
                self.contact_record(id, ContactOutcome::Abandoned, Some(t))
            } else {
                None
            };
            let redialed = M::FULL && self.redialing && self.try_redial(id, true, t);
            if !redialed {
                if counted {
                    self.record_outcome::<M>(id, false, t);
                }
                self.release(id);
            }
            let then = if redialed {
                ContactKind::Redial
            } else {
                ContactKind::First
            };
            self.emit(record, then);
        }
        // Abandoned entries stay in the queue and are skipped when reached;
        // compact when they outnumber the live ones so memory stays bounded.
        let ts = of_tier_mut(&mut self.tiers, tier);
        let entries = if M::FULL {
            ts.entries() + ts.rm_queues.iter().map(VecDeque::len).sum::<usize>()
        } else {
            ts.queues.iter().map(VecDeque::len).sum::<usize>()
        };
        if entries > 64 && entries > 2 * ts.waiting as usize {
            let clients = &self.clients;
            if let Some(pool) = ts.pool.as_mut() {
                pool.compact(|id, g| clients[id as usize].generation == g);
            }
            for q in ts.queues.iter_mut().chain(ts.rm_queues.iter_mut()) {
                q.retain(|&(id, g)| clients[id as usize].generation == g);
            }
        }
    }

    pub(super) fn depart_served<M: Mode>(&mut self, id: u32, t: f64) {
        self.depart::<M>(id, t, true);
    }

    /// The client leaves after service, their need `resolved` or not (the
    /// last contact did not resolve it: the journey ends unresolved).
    #[inline(always)]
    pub(super) fn depart<M: Mode>(&mut self, id: u32, t: f64, resolved: bool) {
        // Read in place: the client is about 180 bytes, not worth a copy.
        let c = at(&self.clients, id);
        if c.counted {
            let counts = of_segment_mut(&mut self.segments, c.segment);
            counts.served += 1;
            counts.unresolved += !resolved as u64;
            counts.record_admitted(c, self.threshold, self.midpoint);
            counts.wait_served.add(c.wait);
            counts.sojourn.add(t - c.arrival);
            if M::FULL && self.by_request && resolved {
                let request = &mut self.requests[c.request as usize];
                request.served += 1;
                request.turnaround.add(t - c.arrival);
            }
            self.record_outcome::<M>(id, resolved, t);
            if M::FULL {
                let outcome = if resolved {
                    ContactOutcome::Served
                } else {
                    ContactOutcome::Unresolved
                };
                let record = self.contact_record(id, outcome, Some(t));
                self.emit(record, ContactKind::First);
            }
        }
        self.release(id);
    }

    pub(super) fn depart_blocked(&mut self, id: u32) {
        let c = &mut self.clients[id as usize];
        // Never admitted: not an abandonment (the slot is freed just below).
        c.phase = Phase::Free;
        let (counted, arrival, at) = (c.counted, c.arrival, c.joined);
        if self.chasing && c.chase_contact {
            return self.end_chase(id, ChaseEnd::Lost);
        }
        if counted {
            self.segments[c.segment as usize].blocked += 1;
        }
        let record = self.contact_record(id, ContactOutcome::Blocked, Some(at));
        if self.redialing && self.try_redial(id, false, at) {
            self.emit(record, ContactKind::Redial);
            return;
        }
        if counted {
            self.record_outcome::<Full>(id, false, arrival);
        }
        self.emit(record, ContactKind::First);
        self.release(id);
    }

    /// Tallies what a journey finished at `t` leaves behind: satisfaction,
    /// top-box, complaints, first-contact resolution, hand-offs,
    /// deflection, own-RM service, sales, attrition and problem cases.
    #[inline(always)]
    pub(super) fn record_outcome<M: Mode>(&mut self, id: u32, resolved: bool, t: f64) {
        let (journey, p) = if M::FULL {
            let journey = self.journey::<M>(id, resolved, t);
            let p = self.scorer.top_box(&journey);
            (Some(journey), p)
        } else {
            (None, self.lean_top_box(id, resolved))
        };
        let c = at(&self.clients, id);
        // Served, or abandoning from a queue (blocked clients are not
        // admitted, and their slot is already free).
        let admitted = c.phase != Phase::Free;
        let handoffs = c.cold_handoffs as u32 + c.warm_handoffs as u32;
        if let Some(journey) = &journey {
            self.record_full(id, journey, p, admitted, handoffs);
        }
        let sale = self.tally_outcome::<M>(id, p, resolved, handoffs);
        if let Some(journey) = journey.as_ref().filter(|_| self.recording) {
            self.keep_score(journey, p, sale);
        }
        if M::FULL && resolved && self.risk.active {
            self.record_problem(id);
        }
    }

    /// The outcome's measures that only the [`Full`] instance keeps: by
    /// slot, by request type, own-RM service and continuity, the first
    /// staffed tier's measures.
    #[inline(always)]
    fn record_full(&mut self, id: u32, journey: &Journey, p: f64, admitted: bool, handoffs: u32) {
        if self.slots.len() > 1 {
            self.record_slot(id, p, admitted);
        }
        if self.by_day {
            self.record_day(id, p, admitted);
        }
        let c = &self.clients[id as usize];
        if self.by_request {
            self.requests[c.request as usize]
                .satisfaction
                .add(100.0 * p);
        }
        if c.own_rm != NONE {
            let counts = &mut self.segments[c.segment as usize];
            counts.booked += 1;
            counts.own_rm += c.by_own_rm as u64;
            let continuity = self.scorer.continuity(journey);
            if continuity != 0.0 {
                let without = self.scorer.utility(journey) - continuity;
                counts.continuity_points += 100.0 * (p - logistic(without));
            }
        }
        if self.bots {
            self.record_staffed(id, admitted, journey.resolved, handoffs);
        }
    }

    /// The segment's tallies of a journey with P(top-box) `p`: the draws
    /// of top-box, complaints and (resolved) the sale, and the attrition
    /// they give; returns whether a sale was made. The client, its
    /// segment's counts and the rest are borrowed once, apart.
    #[inline(always)]
    fn tally_outcome<M: Mode>(&mut self, id: u32, p: f64, resolved: bool, handoffs: u32) -> bool {
        let o = &self.model.outcomes;
        let c = at(&self.clients, id);
        // The seller's factor: 1 for a human, else the chatbot's.
        let bot = if !M::FULL || c.human {
            1.0
        } else {
            self.bot_sale_factor(c.bot_tier)
        };
        let counts = of_segment_mut(&mut self.segments, c.segment);
        let mut draws = keyed(c.key, self.outcome_salt, 0);
        counts.finished += 1;
        counts.satisfaction.add(100.0 * p);
        let top_box = draws.random::<f64>() < p;
        let complaint = draws.random::<f64>() < o.complaint(p);
        let mut formal = draws.random::<f64>() < o.formal_complaint(p);
        counts.top_box += top_box as u64;
        counts.complaints += complaint as u64;
        counts.formal_complaints += formal as u64;
        counts.handoffs.add(handoffs as f64);
        let mut sale = false;
        if resolved {
            counts.first_contact += (handoffs == 0 && c.repeats == 0) as u64;
            counts.deflected += (!c.human) as u64;
            let request = &self.model.requests[c.request as usize];
            sale = draws.random::<f64>() < self.scorer.sale_by(p, request.sale_probability, bot);
            if sale {
                counts.sales += 1;
                counts.revenue += request.revenue_per_sale;
                counts.risk_losses += self.risk.credit_loss[c.request as usize];
                if M::FULL && self.by_request {
                    let by_request = &mut self.requests[c.request as usize];
                    by_request.sales += 1;
                    by_request.revenue += request.revenue_per_sale;
                }
                // A mis-sale, and whether the client complains of it.
                if draws.random::<f64>() < o.mis_sale() {
                    counts.mis_sales += 1;
                    counts.risk_losses += self.risk.mis_sale_remediation;
                    let complained = draws.random::<f64>() < o.mis_sale_complaint;
                    counts.formal_complaints += complained as u64;
                    formal |= complained;
                }
            }
        }
        let h = self.attrition[Ending::of(resolved, top_box, complaint, formal) as usize];
        let (value, new_business) = *of_segment(&self.value, c.segment);
        counts.attrition += h;
        counts.value_at_risk += h * value;
        counts.feedback_value += new_business;
        sale
    }

    /// The sale factor of a client served by the chatbot tier `bot_tier`
    /// alone: the tier's own, else the global one.
    #[cold]
    fn bot_sale_factor(&self, bot_tier: u16) -> f64 {
        self.model
            .tiers
            .get(bot_tier as usize)
            .and_then(|b| b.sale_factor)
            .unwrap_or(self.scorer.bot_sale_factor())
    }

    /// P(top-box) of client `id`'s journey in the [`Lean`] instance: only
    /// the plain terms, since every other is zero there (no repeat
    /// contacts, back office, channel offset or chatbot: `Lean` runs only
    /// without them), and the utility is the same value bit for bit (each
    /// term left out would subtract or add an exact zero).
    ///
    /// [`Lean`]: super::mode::Lean
    #[inline(always)]
    fn lean_top_box(&self, id: u32, resolved: bool) -> f64 {
        let c = at(&self.clients, id);
        debug_assert!(c.repeats == 0 && c.steps == 0 && c.earlier_wait == 0.0);
        let (tolerance, offset) = *of_segment(&self.journey_terms, c.segment);
        debug_assert!(offset == 0.0 && self.channel_columns == 1);
        let u = self.scorer.plain_utility(
            c.wait,
            tolerance,
            c.cold_handoffs as u32,
            c.warm_handoffs as u32,
            resolved,
        );
        self.scorer.top_box_of(u)
    }

    /// The journey of client `id`, finished at `t`, as the outcome model
    /// scores it.
    #[inline(always)]
    fn journey<M: Mode>(&self, id: u32, resolved: bool, t: f64) -> Journey {
        let c = &self.clients[id as usize];
        let request = &self.model.requests[c.request as usize];
        let (tolerance, offset) =
            self.journey_terms[c.segment as usize * self.channel_columns + c.channel as usize];
        // Opted in (a reference turnaround): back-office time against it
        // and against the promise; neutral (1, 0) for a journey that had
        // no back-office step.
        let (expected_ratio, promise_ratio) = if M::FULL && request.expected_turnaround.is_finite()
        {
            if resolved && c.steps > 0 {
                let bo = t - c.bo_start;
                (
                    Some(bo / request.expected_turnaround),
                    bo / request.promised_turnaround,
                )
            } else {
                (Some(1.0), 0.0)
            }
        } else {
            (None, 0.0)
        };
        Journey {
            // Earlier failed attempts' waits are part of the journey.
            wait: c.wait + c.earlier_wait,
            tolerance,
            cold_handoffs: c.cold_handoffs as u32,
            warm_handoffs: c.warm_handoffs as u32,
            resolved,
            repeats: c.repeats as u32,
            turnaround_ratio: if M::FULL && resolved && request.promised_turnaround.is_finite() {
                (t - c.arrival) / request.promised_turnaround
            } else {
                0.0
            },
            offset: self.with_updates(c, offset),
            bot_cold: c.bot_cold as u32,
            bot_warm: c.bot_warm as u32,
            bot_time: c.bot_time,
            own_rm: c.by_own_rm,
            expected_ratio,
            promise_ratio,
        }
    }

    /// The finished journey's satisfaction (`p`, top-box probability),
    /// wait, service level and abandonment in the slot of its arrival.
    #[inline(always)]
    fn record_slot(&mut self, id: u32, p: f64, admitted: bool) {
        let c = &self.clients[id as usize];
        let slot = slot_of(c.arrival, self.slot_len, self.slots.len());
        self.slots[slot].record(c, p, admitted, self.threshold);
    }

    /// With a chatbot in the model: the measures at the first staffed tier
    /// the client reached (`*_staffed`), among the clients who reached one.
    #[inline(always)]
    fn record_staffed(&mut self, id: u32, admitted: bool, resolved: bool, handoffs: u32) {
        let c = &self.clients[id as usize];
        let tier = &self.model.tiers[c.tier as usize];
        if !(c.staffed || (!tier.servers.is_unlimited() && tier.kind != TierKind::BackOffice)) {
            return;
        }
        let counts = &mut self.segments[c.segment as usize];
        counts.staffed_finished += 1;
        if admitted {
            counts.staffed_admitted += 1;
            counts.staffed_waited += (!c.staffed || c.staffed_wait > 0.0) as u64;
            counts.staffed_within += (c.staffed && c.staffed_wait <= self.threshold) as u64;
        }
        if resolved {
            counts.staffed_first_contact +=
                (c.staffed && handoffs == c.staffed_handoffs as u32 && c.repeats == 0) as u64;
        }
    }

    /// Whether a served client is a problem case, and whether a back
    /// office caught it: two draws on the client's own risk stream.
    #[cold]
    fn record_problem(&mut self, id: u32) {
        let c = &self.clients[id as usize];
        let mut draws = keyed(c.key, self.risk_salt, 0);
        let (u, v) = (draws.random::<f64>(), draws.random::<f64>());
        let requests = self.model.requests.len();
        let (s, r) = (c.segment as usize, c.request as usize);
        if let Some(caught) = self.risk.problem(s, r, requests, u, v) {
            let counts = &mut self.segments[s];
            counts.problem_cases += 1;
            counts.problem_caught += caught as u64;
            if !caught {
                counts.risk_losses += self.risk.loss_per_missed_case;
            }
        }
    }

    /// Frees the client's slot; bumping the generation makes every event and
    /// queue entry still naming it stale.
    pub(super) fn release(&mut self, id: u32) {
        self.released += 1;
        let c = at_mut(&mut self.clients, id);
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Free;
        self.free.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::state::Replication;

    /// Abandoned entries are compacted away: the queues hold no more than
    /// twice the waiting clients (plus the compaction floor) at the end.
    #[test]
    fn stale_queue_entries_stay_bounded() {
        let mut model = two_tier(1);
        model.tiers[0].queue_capacity = None;
        model.run.drain_limit = 0.0;
        let mut r = Replication::new(&model, 0);
        r.run_resolved();
        for ts in &r.tiers {
            assert!(
                ts.entries() <= 2 * ts.waiting as usize + 65,
                "{} entries",
                ts.entries()
            );
        }
    }
}
