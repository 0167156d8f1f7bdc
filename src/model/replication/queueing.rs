//! Queueing and service: a client joins a tier, starts service, waits
//! (with patience) or is blocked; preemption; a server taking the next
//! client; service ends.

use rand::Rng;

use super::Event;
use super::chasing::chase_service;
use super::chatbot::bot_handed_off;
use super::client::{
    Client, NONE, Phase, at, at_mut, next_visit, of_segment, of_tier, of_tier_mut,
};
use super::escalation::route;
use super::mode::{Full, Mode};
use super::state::{Replication, TierState};
use super::virtual_hold;
use crate::engine::Time;
use crate::engine::rng::keyed;
use crate::model::{Handoff, Model, TierKind, Transfer};

impl Replication<'_> {
    /// The client (or their case) joins tier `tier` from a mechanism's own
    /// handler (a call-back's rejoin, a book's overflow, a back office's
    /// return): [`Self::join`]'s `Full` instance, called, not inlined.
    #[inline(never)]
    pub(super) fn join_full(&mut self, id: u32, tier: usize, t: f64) {
        self.join::<Full>(id, tier, t);
    }

    /// The client (or their case) joins tier `tier`: starts service,
    /// preempts, waits, or is blocked. Inlined into the two hot callers
    /// (an arrival's entry, an escalation).
    #[inline(always)]
    pub(super) fn join<M: Mode>(&mut self, id: u32, tier: usize, t: f64) {
        let model = self.model;
        let c = at_mut(&mut self.clients, id);
        c.tier = tier as u16;
        c.visits = next_visit(&mut c.tier_visits, &mut c.total_visits, tier);
        c.joined = t;
        c.visit_wait = 0.0;
        let (segment, counted, callback) = (c.segment as usize, c.counted, c.callback);
        // Looked up only where a mechanism needs it: the lean instance
        // then pays no bounds check for it.
        let spec = || of_tier(&model.tiers, tier);
        // On the line: neither a case in a back office nor a client waiting
        // to be called back.
        let on_line = !M::FULL || (!callback && spec().kind != TierKind::BackOffice);
        let ts = of_tier_mut(&mut self.tiers, tier);
        let rank = if M::FULL && callback {
            self.callback_rank
        } else {
            *of_segment(&ts.ranks, segment as u16)
        };
        if counted {
            ts.counts.arrived += 1;
        }
        if M::FULL && spec().kind == TierKind::Dedicated {
            self.join_own_rm(id, tier, t);
            return;
        }
        // A grouped tier's groups say whether one has a free agent (one
        // may while agents of another finish beyond their shift).
        if ts.busy < ts.capacity || (M::FULL && ts.beyond_duty()) {
            if !M::FULL || ts.pool.is_none() {
                self.start_service_in::<M>(id, t);
                return;
            }
            if self.take_by_group(id, tier, t) {
                return;
            }
        }
        if M::FULL
            && spec().preemptive
            && on_line
            && let Some(victim) = self.preemption_victim(tier, rank)
        {
            self.preempt(victim, t);
            self.start_service_in::<M>(id, t);
            return;
        }
        let ts = of_tier_mut(&mut self.tiers, tier);
        if M::FULL && on_line && spec().queue_capacity.is_some_and(|cap| ts.waiting >= cap) {
            if counted {
                ts.counts.blocked += 1;
            }
            self.depart_blocked(id);
            return;
        }
        let generation = self.start_waiting(id, tier, t);
        // Promotion applies to live clients at a priority below the first.
        let promoting = M::FULL && self.promoting && on_line && rank > 0;
        let at_once = promoting && self.promoted_at_once(segment, rank);
        if M::FULL && self.tiers[tier].pool.is_some() {
            self.group_wait(id, tier, generation, at_once, t);
        } else {
            let rank = if at_once { 0 } else { rank };
            of_tier_mut(&mut self.tiers, tier).queues[rank as usize].push_back((id, generation));
        }
        if on_line {
            self.schedule_patience(id, tier, t);
            if M::FULL
                && let Some(offer) = &spec().callback_offer
            {
                self.schedule_offer(id, offer, t);
            }
        }
        if promoting && !at_once {
            self.schedule_promotion(id, rank, generation, t);
        }
    }

    /// The client starts waiting at `tier`: counted in its queue, with a
    /// new generation (returned) for its queue entry.
    #[inline(always)]
    pub(super) fn start_waiting(&mut self, id: u32, tier: usize, t: f64) -> u32 {
        let ts = of_tier_mut(&mut self.tiers, tier);
        ts.queue_len.change(t, 1.0);
        ts.waiting += 1;
        let c = at_mut(&mut self.clients, id);
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Waiting;
        c.generation
    }

    /// Schedules the waiting client's abandonment, if its segment has a
    /// patience.
    #[inline(always)]
    pub(super) fn schedule_patience(&mut self, id: u32, tier: usize, t: f64) {
        let c = at(&self.clients, id);
        let feed = of_segment(&self.feeds, c.segment);
        if let Some(patience) = &feed.patience {
            let p = patience.sample(&mut keyed(
                c.key,
                feed.patience_salt ^ of_tier(&self.tiers, tier).service_salt.rotate_left(29),
                c.visits as u64,
            ));
            // A cancellable timer: most waiting clients are served first,
            // and their timer is then removed, not left to come out stale.
            self.calendar.schedule_timer(
                id,
                Time(t + p),
                Event::Abandon {
                    client: id,
                    generation: c.generation,
                },
            );
        }
    }

    /// The lowest-priority client in service at a preemptive tier that an
    /// arrival of priority `rank` may interrupt (latest started among equals).
    pub(super) fn preemption_victim(&self, tier: usize, rank: u16) -> Option<u32> {
        let ranks = &self.tiers[tier].ranks;
        self.tiers[tier]
            .in_service
            .iter()
            .copied()
            .filter(|&v| ranks[self.clients[v as usize].segment as usize] > rank)
            .max_by(|&a, &b| {
                let (ca, cb) = (&self.clients[a as usize], &self.clients[b as usize]);
                ranks[ca.segment as usize]
                    .cmp(&ranks[cb.segment as usize])
                    .then(ca.service_start.total_cmp(&cb.service_start))
            })
    }

    /// Interrupts `victim`'s service; it goes back to the head of its
    /// priority's queue with the rest of its service to do.
    pub(super) fn preempt(&mut self, victim: u32, t: f64) {
        let c = &mut self.clients[victim as usize];
        let tier = c.tier as usize;
        c.remaining = c.service_end - t;
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Preempted;
        let ts = &mut self.tiers[tier];
        let (generation, rank) = (c.generation, ts.ranks[c.segment as usize]);
        ts.add_busy(t, -1);
        if let Some(pos) = ts.in_service.iter().position(|&v| v == victim) {
            ts.in_service.swap_remove(pos);
        }
        ts.queue_len.change(t, 1.0);
        ts.waiting += 1;
        ts.queues[rank as usize].push_front((victim, generation));
    }

    /// The client takes a free server (session) at its tier now (the
    /// handlers' `Full` instance, for the mechanisms' own handlers).
    pub(super) fn start_service(&mut self, id: u32, t: f64) {
        self.start_service_in::<Full>(id, t);
    }

    /// The client takes a free server (session) at its tier now. What the
    /// service is, and where the client goes after it, is decided here.
    #[inline(always)]
    pub(super) fn start_service_in<M: Mode>(&mut self, id: u32, t: f64) {
        let model = self.model;
        let c = at_mut(&mut self.clients, id);
        let tier = c.tier as usize;
        let spec = || of_tier(&model.tiers, tier);
        let resumed = M::FULL && c.phase == Phase::Preempted;
        let ts = of_tier_mut(&mut self.tiers, tier);
        ts.add_busy(t, 1);
        let duration = if resumed {
            c.remaining
        } else {
            let wait = t - c.joined;
            c.visit_wait = wait;
            let callback = M::FULL && c.callback;
            if callback {
                // A call-back attempt: it reaches the client or not.
                ts.counts.callback_attempts += c.counted as u64;
                if c.counted {
                    // On the call-back list, not on the line.
                    ts.counts.callback_wait.add(wait);
                }
                let u: f64 = keyed(
                    c.key,
                    ts.callback_salt,
                    ((c.visits as u64) << 8) | c.attempts as u64,
                )
                .random();
                c.attempt_fails = u >= spec().callback.success;
                c.callback = c.attempt_fails;
                if c.held && !c.attempt_fails {
                    virtual_hold::reached(c, self.bots && !spec().servers.is_unlimited());
                }
            } else if !M::FULL || spec().kind != TierKind::BackOffice {
                c.wait += wait;
                if !c.started {
                    c.started = true;
                    c.first_wait = c.wait;
                    if M::FULL && self.recording {
                        self.contacts[id as usize].first_start = t;
                    }
                }
                if M::FULL && self.bots && !c.staffed && !spec().servers.is_unlimited() {
                    // The first staffed service: the `*_staffed` metrics.
                    c.staffed = true;
                    c.staffed_wait = c.wait;
                    c.staffed_handoffs = c.cold_handoffs + c.warm_handoffs;
                }
            }
            service_time::<M>(model, tier, ts, c, t)
        };
        if c.phase == Phase::Waiting {
            // Its patience will not run out now.
            self.calendar.cancel_timer(id);
        }
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::InService;
        c.service_start = t;
        c.service_end = t + duration;
        if M::FULL && spec().preemptive {
            ts.in_service.push(id);
        }
        self.calendar.schedule(
            Time(c.service_end),
            Event::ServiceEnd {
                client: id,
                generation: c.generation,
            },
        );
    }

    pub(super) fn service_end<M: Mode>(&mut self, id: u32, t: f64) {
        let model = self.model;
        // Only the few fields needed, not a copy of the whole client.
        let c = at(&self.clients, id);
        let (tier, rm, next) = (c.tier as usize, c.rm as usize, c.next);
        let (fails, counted, visit_wait, joined) =
            (c.attempt_fails, c.counted, c.visit_wait, c.joined);
        // Looked up only where a mechanism (or an escalation) needs it.
        let spec = || of_tier(&model.tiers, tier);
        let ts = of_tier_mut(&mut self.tiers, tier);
        ts.add_busy(t, -1);
        if M::FULL
            && spec().preemptive
            && let Some(pos) = ts.in_service.iter().position(|&v| v == id)
        {
            ts.in_service.swap_remove(pos);
        }
        if M::FULL && spec().kind == TierKind::Dedicated {
            ts.rm_busy[rm] = false;
        }
        if M::FULL && fails {
            self.free_server::<M>(tier, rm, t);
            self.attempt_failed(id, t);
            return;
        }
        let next = (next != NONE).then_some(next as usize);
        if counted {
            let k = &mut ts.counts;
            k.served += 1;
            k.wait.add(visit_wait);
            k.wait_served.add(visit_wait);
            k.waited += (visit_wait > 0.0) as u64;
            k.within_service_level += (visit_wait <= self.threshold) as u64;
            k.sojourn.add(t - joined);
            k.escalated += next.is_some() as u64;
        }
        // The server takes its next client before this one moves on (so a
        // client coming back to the same tier queues behind those already
        // waiting).
        self.free_server::<M>(tier, rm, t);
        let c = at_mut(&mut self.clients, id);
        c.human |=
            !M::FULL || (!spec().servers.is_unlimited() && spec().kind != TierKind::BackOffice);
        if M::FULL && spec().kind == TierKind::Chatbot {
            c.bot_tier = tier as u16;
            if next.is_some() {
                bot_handed_off(c, spec().handoff, t);
            }
        }
        match next {
            Some(to) => {
                match spec().handoff {
                    Handoff::Cold => c.cold_handoffs += 1,
                    Handoff::Warm => c.warm_handoffs += 1,
                }
                if M::FULL && spec().transfer == Transfer::Callback {
                    c.callback = true;
                    c.attempts = 0;
                    c.repeats = c.repeats.saturating_add(1);
                }
                self.join::<M>(id, to, t)
            }
            None => self.next_step::<M>(id, t),
        }
    }

    /// A server (RM `rm` at a dedicated tier) became free at `t`: it takes
    /// the next client, or makes an outbound call.
    #[inline(always)]
    pub(super) fn free_server<M: Mode>(&mut self, tier: usize, rm: usize, t: f64) {
        let ts = of_tier(&self.tiers, tier);
        let outbound = M::FULL && ts.outbound_calls;
        if M::FULL && ts.dedicated {
            self.rm_free(tier, rm, t);
        } else if M::FULL && ts.pool.is_some() {
            self.group_free(tier, rm, t);
        } else {
            self.serve_next_in::<M>(tier, t);
        }
        if outbound {
            self.start_outbound(tier, t);
        }
    }

    /// A server at `tier` became free: it takes the first valid client in
    /// priority order (call-backs last); the handlers' `Full` instance.
    pub(super) fn serve_next(&mut self, tier: usize, t: f64) {
        self.serve_next_in::<Full>(tier, t);
    }

    /// [`Self::serve_next`] in the handlers' instance `M`.
    #[inline(always)]
    pub(super) fn serve_next_in<M: Mode>(&mut self, tier: usize, t: f64) {
        let ts = of_tier_mut(&mut self.tiers, tier);
        if ts.waiting == 0 || ts.busy >= ts.capacity {
            return;
        }
        for q in 0..ts.queues.len() {
            while let Some((id, generation)) = ts.queues[q].pop_front() {
                if at(&self.clients, id).generation == generation {
                    ts.queue_len.change(t, -1.0);
                    ts.waiting -= 1;
                    self.start_service_in::<M>(id, t);
                    return;
                }
            }
        }
    }
}

/// The length of the service client `c` starts at `tier` (a failed
/// call-back attempt's, or a triage's, or a full service), deciding where
/// the client goes after it (`c.next`); `t` is now.
#[inline(always)]
fn service_time<M: Mode>(
    model: &Model,
    tier: usize,
    ts: &TierState,
    c: &mut Client,
    t: f64,
) -> f64 {
    if M::FULL && c.attempt_fails {
        c.next = NONE;
        model.tiers[tier].callback.attempt_minutes
    } else if M::FULL && c.chase_contact {
        let mut draws = keyed(c.key, ts.service_salt, c.visits as u64);
        chase_service(model, tier, c, &mut draws)
    } else {
        let spec = of_tier(&model.tiers, tier);
        let kinds = model.requests.len();
        let beyond = spec
            .skill
            .as_ref()
            .filter(|s| M::FULL && c.complexity > s.level);
        let mut draws = keyed(c.key, ts.service_salt, c.visits as u64);
        let (service, next) = match beyond {
            // Triage, then up to the skilled tier.
            Some(skill) => (skill.triage.sample(&mut draws), Some(skill.to)),
            None => {
                let replayed = M::FULL
                    .then(|| super::trace::replayed_service(model, c))
                    .flatten();
                let service = match replayed {
                    Some(replayed) => replayed,
                    None => {
                        let drawn = spec
                            .service_of(c.segment as usize, c.request as usize, kinds)
                            .sample(&mut draws);
                        match &spec.service_factors {
                            Some(f) if M::FULL => drawn * super::service_factors::at(f, t),
                            _ => drawn,
                        }
                    }
                };
                (service, route(spec, c, ts.route_salt))
            }
        };
        c.next = next.map_or(NONE, |n| n as u16);
        let mut duration = service;
        // Only a staffed tier's service changes, and only with one of these
        // (adding 0 or multiplying by 1 would change nothing).
        if M::FULL && ts.adjusted {
            duration += model.selling_minutes;
            if let Some(ch) = model.channels.get(c.channel as usize) {
                duration *= ch.service_multiplier;
            }
            if spec.sessions > 1 {
                duration *= spec.session_slowdown;
            }
            if next.is_some() && spec.transfer == Transfer::Warm {
                duration += spec.handoff_minutes;
            }
            if let (Some(groups), Some(pool)) = (&spec.groups, &ts.pool) {
                // The serving group's factor for the client's class, and
                // its agent's own.
                let class = c.segment as usize * kinds + c.request as usize;
                duration = pool.scaled(duration, groups, c.rm, class);
            }
        }
        duration
    }
}
