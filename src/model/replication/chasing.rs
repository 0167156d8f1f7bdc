//! Status chasing: while a client's case is in a back office and its
//! request type's status is not visible, the client contacts the front line
//! to ask where it is, as a Poisson process at its segment's
//! `chasing.rate_per_day`. Each chasing contact is a contact of its own
//! (a slot of the slab, flagged `chase_contact`): it comes in through the
//! client's channel and entry, waits (with the segment's patience), is
//! served once (`chasing.service`, never escalated, never resolving
//! anything) or lost, and leaves. It loads the front line (the tier's
//! counts) and costs the client's journey one extra contact (β_rep),
//! counted when the contact is made. It is not a journey: the segment's
//! `arrived`, `served`, `abandoned`, `blocked` and `inside` do not count it.
//!
//! The chase is an event on the calendar naming the case's stay in the
//! back offices by a stamp (`Client::case`): when the case has left (its
//! answer given, or the slot reused), the stamp no longer matches and the
//! event is dropped, so at most one stale chase per case is left behind.
//! The gaps and the contact's key come from the client's own keyed stream
//! numbered by its chasing draws, so common random numbers hold. A model
//! without chasing schedules nothing and tests one flag where a case
//! enters its first back office and where a contact ends.
//!
//! Proactive updates (`request.proactive_updates`) multiply the rate by
//! their `chase_factor` (the gaps' mean is divided by it: a factor of 1
//! chases exactly as without updates, 0 not at all) and add
//! `outcomes.proactive_update_offset` to the utility of a journey whose case
//! went through a back office ([`Replication::with_updates`]).

use rand::Rng;

use super::Event;
use super::client::{Client, Phase};
use super::mode::Full;
use super::state::Replication;
use crate::engine::rng::keyed;
use crate::engine::{Dist, Time};
use crate::model::TierKind;

/// How a chasing contact ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ChaseEnd {
    /// Served at the front line.
    Served,
    /// Abandoned, blocked, or never reached by a call-back.
    Lost,
}

impl Replication<'_> {
    /// The client's case enters its first back office at `t`: if its
    /// segment chases and its request type's status is not visible, its
    /// stay gets a stamp and the first chase is scheduled.
    pub(super) fn start_chasing(&mut self, id: u32, t: f64) {
        let c = &self.clients[id as usize];
        let model = self.model;
        let request = &model.requests[c.request as usize];
        if request.status_visible
            || request.proactive.is_some_and(|p| p.chase_factor == 0.0)
            || model.segments[c.segment as usize].chasing.is_none()
            || c.chase_contact
        {
            return;
        }
        // Stamps start at 1 (0 is "not chasing"); wrapping after four
        // billion stays is harmless (a stale event would need the same
        // slot and stamp).
        self.cases = self.cases.wrapping_add(1).max(1);
        self.clients[id as usize].case = self.cases;
        self.schedule_chase(id, t);
    }

    /// Schedules the client's next chase after `t`: an exponential gap of
    /// mean 1 / (rate x the proactive updates' factor), from its own
    /// chasing draws.
    fn schedule_chase(&mut self, id: u32, t: f64) {
        let c = &mut self.clients[id as usize];
        let Some(chasing) = &self.model.segments[c.segment as usize].chasing else {
            return;
        };
        let mean = match self.model.requests[c.request as usize].proactive {
            Some(p) => chasing.mean_gap() / p.chase_factor,
            None => chasing.mean_gap(),
        };
        c.chases = c.chases.wrapping_add(1);
        let mut draws = keyed(c.key, self.chase_salt, c.chases as u64);
        let gap = Dist::exponential(mean).sample(&mut draws);
        self.calendar.schedule(
            Time(t + gap),
            Event::Chase {
                client: id,
                case: c.case,
            },
        );
    }

    /// A chase of case stamp `case` at `t`: if the case is still in a back
    /// office, the client makes a chasing contact and the next chase is
    /// scheduled.
    pub(super) fn chase(&mut self, id: u32, case: u32, t: f64) {
        let c = &self.clients[id as usize];
        if c.case != case
            || c.phase == Phase::Free
            || self.model.tiers[c.tier as usize].kind != TierKind::BackOffice
        {
            return;
        }
        let parent = *c;
        if parent.counted {
            self.segments[parent.segment as usize].chasing_contacts += 1;
            if self.by_request {
                self.requests[parent.request as usize].chasing_contacts += 1;
            }
        }
        // The journey that finally ends counts the contact (β_rep).
        let c = &mut self.clients[id as usize];
        c.repeats = c.repeats.saturating_add(1);
        self.schedule_chase(id, t);
        let Some(contact) = self.take_slot(t) else {
            return;
        };
        // The contact's own key, so its patience and service are fresh
        // draws, independent of the case's.
        let key = keyed(
            parent.key,
            self.chase_salt.rotate_left(17),
            parent.chases as u64,
        )
        .random();
        let slot = &mut self.clients[contact as usize];
        *slot = Client {
            generation: slot.generation,
            phase: Phase::Waiting,
            segment: parent.segment,
            request: parent.request,
            counted: parent.counted,
            key,
            arrival: t,
            joined: t,
            channel: parent.channel,
            complexity: parent.complexity,
            own_rm: parent.own_rm,
            chase_contact: true,
            ..Client::FREE
        };
        self.enter::<Full>(contact, t);
    }

    /// The satisfaction offset `offset` of client `c`'s journey, plus
    /// `outcomes.proactive_update_offset` when its case went through a back
    /// office of a request type with proactive updates.
    #[inline(always)]
    pub(super) fn with_updates(&self, c: &Client, offset: f64) -> f64 {
        if c.steps > 0 && self.model.requests[c.request as usize].proactive.is_some() {
            offset + self.model.outcomes.proactive_update_offset
        } else {
            offset
        }
    }

    /// A chasing contact ended (`how`): tallied, and its slot freed.
    pub(super) fn end_chase(&mut self, id: u32, how: ChaseEnd) {
        let c = &self.clients[id as usize];
        if c.counted {
            let counts = &mut self.segments[c.segment as usize];
            match how {
                ChaseEnd::Served => counts.chasing_served += 1,
                ChaseEnd::Lost => counts.chasing_lost += 1,
            }
        }
        self.release(id);
    }
}

/// The length of a chasing contact's service at `tier`: the segment's
/// `chasing.service`, else the tier's service of the client's segment and
/// request type. It goes nowhere after.
pub(super) fn chase_service(
    model: &crate::model::Model,
    tier: usize,
    c: &mut Client,
    draws: &mut impl Rng,
) -> f64 {
    c.next = super::client::NONE;
    let kinds = model.requests.len();
    match model.segments[c.segment as usize]
        .chasing
        .as_ref()
        .and_then(|ch| ch.service.as_ref())
    {
        Some(d) => d.sample(draws),
        None => model.tiers[tier]
            .service_of(c.segment as usize, c.request as usize, kinds)
            .sample(draws),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::simulate;
    use crate::engine::Dist;
    use crate::model::{Chasing, Model, ProactiveUpdates, Servers, TierKind};

    /// Every case goes through a back office `bo` whose turnaround is
    /// `turnaround` (servers enough that it never queues, unless `bo_servers`
    /// is small), and the client chases at `rate` per day unless `visible`.
    /// Nobody abandons or is blocked, so each chasing contact is served.
    fn chasing(rate: Option<f64>, turnaround: Dist, bo_servers: u32, visible: bool) -> Model {
        let mut model = two_tier(10);
        for s in &mut model.segments {
            s.patience = None;
            s.chasing = rate.map(|rate_per_day| Chasing {
                rate_per_day,
                service: Some(Dist::exponential(1.0)),
            });
        }
        for t in &mut model.tiers {
            t.queue_capacity = None;
        }
        model.tiers[1].servers = Servers::Fixed(10);
        let mut bo = model.tiers[1].clone();
        bo.name = "bo".into();
        bo.kind = TierKind::BackOffice;
        bo.servers = Servers::Fixed(bo_servers);
        bo.service = vec![turnaround; 2];
        bo.routes = vec![vec![]];
        model.tiers.push(bo);
        model.requests[0].name = "loan".into();
        model.requests[0].back_office = vec![2];
        model.requests[0].status_visible = visible;
        model
    }

    /// (chasing contacts, r/1440 x minutes cases spent in the back office)
    /// over three replications, with conservation checked on the way: each
    /// chasing contact is served (nobody abandons), the front line serves
    /// the clients and their chasing contacts, and the journeys' counts are
    /// the clients' alone.
    fn chases_and_expected(model: &Model, rate: f64) -> (u64, f64) {
        let (mut chases, mut expected) = (0u64, 0.0);
        for replication in 0..3 {
            let r = simulate(model, replication);
            let arrived: u64 = r.segments.iter().map(|s| s.arrived).sum();
            let contacts: u64 = r.segments.iter().map(|s| s.chasing_contacts).sum();
            for s in &r.segments {
                assert_eq!(s.arrived, s.served + s.inside, "{s:?}");
                assert_eq!(
                    s.chasing_contacts,
                    s.chasing_served + s.chasing_lost + s.chasing_inside
                );
                assert_eq!(s.chasing_lost, 0);
            }
            assert_eq!(r.tiers[0].arrived, arrived + contacts);
            assert_eq!(r.requests[0].chasing_contacts, contacts);
            // Each case chases as a Poisson process while it is there:
            // given the back-office times, the count is Poisson with mean
            // rate x (their sum).
            expected += rate / 1440.0 * r.tiers[2].sojourn.sum;
            chases += contacts;
        }
        (chases, expected)
    }

    /// The count of chasing contacts is Poisson with mean rate x the time
    /// cases spent in the back office: with a deterministic turnaround of
    /// one and of two days, and with an exponential one that queues at two
    /// analysts. Tolerance: 4 Poisson standard deviations. Chasing rises
    /// with the turnaround.
    #[test]
    fn chasing_is_rate_times_back_office_time() {
        let rate = 1.5;
        let mut by_turnaround = Vec::new();
        for days in [1.0, 2.0] {
            let model = chasing(
                Some(rate),
                Dist::Deterministic {
                    mean: 1440.0 * days,
                },
                100_000,
                false,
            );
            let (chases, expected) = chases_and_expected(&model, rate);
            assert!(
                (chases as f64 - expected).abs() < 4.0 * expected.sqrt(),
                "{chases} vs {expected}"
            );
            by_turnaround.push(chases);
        }
        assert!(
            by_turnaround[1] as f64 > 1.8 * by_turnaround[0] as f64,
            "{by_turnaround:?}"
        );
        // Cases queue: 150 an hour, 50 minutes each at 128 analysts (load
        // 0.98), so the time in the back office is partly waiting.
        let queued = chasing(Some(rate), Dist::exponential(50.0), 128, false);
        let (chases, expected) = chases_and_expected(&queued, rate);
        assert!(chases > 0);
        let (mut wait, mut served) = (0.0, 0u64);
        for replication in 0..3 {
            let r = simulate(&queued, replication);
            wait += r.tiers[2].wait.sum;
            served += r.tiers[2].served;
        }
        assert!(
            wait / served as f64 > 5.0,
            "cases queue: {}",
            wait / served as f64
        );
        assert!(
            (chases as f64 - expected).abs() < 4.0 * expected.sqrt(),
            "{chases} vs {expected}"
        );
    }

    /// A visible status removes chasing: the run is the run without any
    /// chasing, to the last bit; and chasing costs satisfaction.
    #[test]
    fn visible_status_is_no_chasing() {
        let day = || Dist::Deterministic { mean: 1440.0 };
        for replication in 0..2 {
            let none = simulate(&chasing(None, day(), 100_000, false), replication);
            let visible = simulate(&chasing(Some(2.0), day(), 100_000, true), replication);
            assert_eq!(none.events, visible.events);
            for (a, b) in none.segments.iter().zip(&visible.segments) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
            for (a, b) in none.tiers.iter().zip(&visible.tiers) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
            let chased = simulate(&chasing(Some(2.0), day(), 100_000, false), replication);
            for (a, b) in none.segments.iter().zip(&chased.segments) {
                assert_eq!(a.arrived, b.arrived, "the same clients");
                assert!(b.chasing_contacts > 0);
                assert!(b.satisfaction.mean() < a.satisfaction.mean());
            }
        }
    }

    /// Proactive updates with chase factor `factor` on [`chasing`]'s
    /// request, the satisfaction offset `offset`.
    fn proactive(rate: f64, factor: f64, offset: f64) -> Model {
        let mut model = chasing(
            Some(rate),
            Dist::Deterministic { mean: 1440.0 },
            100_000,
            false,
        );
        model.requests[0].proactive = Some(ProactiveUpdates {
            chase_factor: factor,
        });
        model.outcomes.proactive_update_offset = offset;
        model
    }

    /// Proactive updates scale the chase rate by their factor: the count is
    /// Poisson with mean factor x rate x back-office time (4 standard
    /// deviations), at the evidence's 0.4 and at 0.1; a factor of 0 chases
    /// not at all.
    #[test]
    fn proactive_updates_scale_chasing_by_their_factor() {
        let rate = 1.5;
        let (full, _) = chases_and_expected(&proactive(rate, 1.0, 0.0), rate);
        for factor in [ProactiveUpdates::CHASE_FACTOR, 0.1] {
            let (chases, expected) =
                chases_and_expected(&proactive(rate, factor, 0.0), factor * rate);
            assert!(
                (chases as f64 - expected).abs() < 4.0 * expected.sqrt(),
                "factor {factor}: {chases} vs {expected}"
            );
            assert!((chases as f64) < full as f64 * (factor + 0.1));
        }
        let (none, _) = chases_and_expected(&proactive(rate, 0.0, 0.0), 0.0);
        assert_eq!(none, 0);
    }

    /// A factor of 1 with no offset is no updates at all, to the last bit;
    /// the offset raises satisfaction and changes nothing else.
    #[test]
    fn a_factor_of_one_is_no_updates() {
        for replication in 0..2 {
            let without = simulate(&proactive(2.0, 1.0, 0.0), replication);
            let mut plain = proactive(2.0, 1.0, 0.0);
            plain.requests[0].proactive = None;
            let plain = simulate(&plain, replication);
            assert_eq!(without.events, plain.events);
            for (a, b) in without.segments.iter().zip(&plain.segments) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
            for (a, b) in without.tiers.iter().zip(&plain.tiers) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
            let offset = simulate(
                &proactive(2.0, 1.0, ProactiveUpdates::SATISFACTION_OFFSET),
                replication,
            );
            assert_eq!(without.events, offset.events);
            for (a, b) in without.segments.iter().zip(&offset.segments) {
                assert_eq!(a.chasing_contacts, b.chasing_contacts);
                assert_eq!(a.served, b.served);
                assert!(b.satisfaction.mean() > a.satisfaction.mean());
            }
        }
    }
}
