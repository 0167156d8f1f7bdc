//! Virtual hold: a tier with a `callback_offer` offers each client who has
//! waited `when_wait_over` minutes on the line in its queue a call-back.
//! One keyed draw per offer (the client's key, numbered by its visit)
//! decides whether the client takes it, so an `accept` of 0 leaves every
//! client exactly as without the offer (common random numbers). A client
//! who takes it hangs up: its patience no longer runs (it cannot abandon
//! while it holds a virtual place), it keeps its place in the queue (or,
//! with `keep_place = false`, goes to the end of the call-back list), and
//! when its turn comes the tier calls it back with its own `callback`
//! rules (success, attempt minutes, retries, attempts), as a case
//! transferred by call-back is. The call-back is an extra contact in the
//! journey (β_rep); the wait on the line before the offer counts as wait,
//! the time holding a virtual place does not (it is the tier's
//! `callback_wait`).

use rand::Rng;

use super::Event;
use super::client::Client;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::rng::keyed;
use crate::model::CallbackOffer;

impl Replication<'_> {
    /// The client started waiting on the line at `t` at a tier that
    /// offers call-backs: the offer is made now (`when_wait_over` = 0) or
    /// when the client has waited that long.
    pub(super) fn schedule_offer(&mut self, id: u32, offer: &CallbackOffer, t: f64) {
        if offer.when_wait_over <= 0.0 {
            return self.offer_callback(id, t);
        }
        let generation = self.clients[id as usize].generation;
        self.calendar.schedule(
            Time(t + offer.when_wait_over),
            Event::HoldOffer {
                client: id,
                generation,
            },
        );
    }

    /// The waiting client is offered a call-back at `t`, and takes it or
    /// goes on waiting.
    pub(super) fn offer_callback(&mut self, id: u32, t: f64) {
        let c = &self.clients[id as usize];
        let tier = c.tier as usize;
        let Some(offer) = self.model.tiers[tier].callback_offer else {
            return;
        };
        let ts = &mut self.tiers[tier];
        let u: f64 = keyed(c.key, self.hold_salt ^ ts.callback_salt, c.visits as u64).random();
        let accepted = u < offer.accept;
        if c.counted {
            ts.counts.callback_offered += 1;
            ts.counts.callback_accepted += accepted as u64;
        }
        if !accepted {
            return;
        }
        // Off the line: its patience no longer runs.
        self.calendar.cancel_timer(id);
        let c = &mut self.clients[id as usize];
        c.wait += t - c.joined;
        c.callback = true;
        c.held = true;
        c.attempts = 0;
        c.repeats = c.repeats.saturating_add(1);
        if !offer.keep_place {
            // A new entry at the end of the call-back list; the old one is
            // stale (the client is still one of the tier's waiting).
            c.generation = c.generation.wrapping_add(1);
            let entry = (id, c.generation);
            self.tiers[tier].queues[self.callback_rank as usize].push_back(entry);
        }
    }
}

/// A call-back attempt reached a client holding a virtual place: its first
/// service (and first staffed service, `staffed_first`) starts now, after
/// the wait it had on the line.
#[inline]
pub(super) fn reached(c: &mut Client, staffed_first: bool) {
    c.held = false;
    if !c.started {
        c.started = true;
        c.first_wait = c.wait;
    }
    if staffed_first && !c.staffed {
        c.staffed = true;
        c.staffed_wait = c.wait;
        c.staffed_handoffs = c.cold_handoffs + c.warm_handoffs;
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::simulate;
    use super::super::{ReplicationResult, TierCounts};
    use crate::model::{CallbackOffer, Model};

    /// The overloaded two-tier fixture (3 front servers for 5 erlangs) with
    /// a call-back offered at the front.
    fn offering(when_wait_over: f64, accept: f64, keep_place: bool) -> Model {
        let mut model = two_tier(3);
        model.tiers[0].callback_offer = Some(CallbackOffer {
            when_wait_over,
            accept,
            keep_place,
        });
        model
    }

    /// Each segment's and tier's counts as text, the offers left out.
    fn without_offers(r: &ReplicationResult) -> Vec<String> {
        let tiers = r.tiers.iter().map(|t| TierCounts {
            callback_offered: 0,
            ..t.clone()
        });
        r.segments
            .iter()
            .map(|s| format!("{s:?}"))
            .chain(tiers.map(|t| format!("{t:?}")))
            .collect()
    }

    /// Journeys end served, abandoned or blocked, or are still inside.
    fn conserved(r: &ReplicationResult) {
        for s in &r.segments {
            assert_eq!(
                s.arrived,
                s.served + s.abandoned + s.blocked + s.inside,
                "{s:?}"
            );
        }
        let front = &r.tiers[0];
        assert!(front.callback_accepted <= front.callback_offered);
    }

    /// Nobody taking the offer is nobody offered it: the same clients,
    /// the same outcomes to the last bit (common random numbers), with the
    /// offer on joining the queue and after a minute and a half of waiting.
    #[test]
    fn accept_zero_is_no_offer() {
        for replication in 0..3 {
            let none = simulate(&two_tier(3), replication);
            for when in [0.0, 1.5] {
                let zero = simulate(&offering(when, 0.0, true), replication);
                assert!(zero.tiers[0].callback_offered > 100);
                assert_eq!(zero.tiers[0].callback_accepted, 0);
                assert_eq!(without_offers(&none), without_offers(&zero));
            }
        }
    }

    /// Everyone offered on joining the queue takes it and is reached at
    /// the first attempt: nobody abandons the front queue, every client
    /// who queued there was offered (and called back once), and journeys
    /// are conserved.
    #[test]
    fn accept_one_at_once_is_no_abandonment() {
        let mut model = offering(0.0, 1.0, true);
        model.tiers[0].callback.success = 1.0;
        for replication in 0..3 {
            let r = simulate(&model, replication);
            let front = &r.tiers[0];
            assert_eq!(front.abandoned, 0, "{front:?}");
            assert!(front.callback_offered > 100);
            assert_eq!(front.callback_accepted, front.callback_offered);
            assert_eq!(front.callback_offered, front.waited);
            assert_eq!(front.callback_attempts, front.callback_accepted);
            assert_eq!(front.callback_failures, 0);
            conserved(&r);
            // Without the offer the same clients abandon the front queue.
            assert!(simulate(&two_tier(3), replication).tiers[0].abandoned > 100);
        }
    }

    /// Half of those offered take it (one keyed draw each): the accepted
    /// share is 0.5 within 4 binomial standard errors; going to the end of
    /// the call-back list instead of keeping the place conserves journeys
    /// too, and every accepted call-back is attempted at least once.
    #[test]
    fn accept_half_takes_half() {
        let (mut offered, mut accepted) = (0u64, 0u64);
        for keep_place in [true, false] {
            let model = offering(1.0, 0.5, keep_place);
            for replication in 0..3 {
                let r = simulate(&model, replication);
                conserved(&r);
                let front = &r.tiers[0];
                assert!(front.callback_attempts >= front.callback_accepted);
                offered += front.callback_offered;
                accepted += front.callback_accepted;
            }
        }
        let share = accepted as f64 / offered as f64;
        let se = (0.25 / offered as f64).sqrt();
        assert!((share - 0.5).abs() < 4.0 * se, "{share} ± {se}");
    }
}
