//! The loop's two compiled forms: which mechanisms the hot handlers (an
//! arrival, joining a tier, a service start and end, an exit and its
//! scoring) test for is fixed at compile time, so a plain model's loop has
//! no branch on a mechanism it does not use.
//!
//! One source, two instances: each hot handler is generic over a [`Mode`]
//! and guards every mechanism's test with `M::FULL && ...`. In [`Full`]
//! that is the model's own flag, tested at run time as before; in [`Lean`]
//! it is `false`, and the compiler drops the test and the mechanism's code
//! from the instance. [`Replication::lean`] decides once per replication
//! which instance runs: `Lean` only when no mechanism it leaves out is on,
//! so both give the same result on such a model (a test checks it).
//! Handlers of the mechanisms themselves (redials, groups, chasing, ...)
//! are reached only in `Full`, and call the hot handlers' `Full` instance.

use super::state::Replication;
use crate::model::{TierKind, Transfer};

/// Which instance of the hot handlers runs.
pub(super) trait Mode {
    /// Some mechanism beyond plain queueing may be on: test the model's
    /// flags (`false`: none is, and the tests are compiled out).
    const FULL: bool;
}

/// Plain queueing only: segments with Poisson arrivals, patience and
/// priorities; staffed tiers with fixed or rostered servers, FIFO or
/// priority queues, probability routes and cold or warm hand-offs; the
/// outcome model's base terms.
pub(super) struct Lean;

impl Mode for Lean {
    const FULL: bool = false;
}

/// Every mechanism, each tested at run time.
pub(super) struct Full;

impl Mode for Full {
    const FULL: bool = true;
}

impl Replication<'_> {
    /// Whether the [`Lean`] instance gives this replication's result: no
    /// mechanism it compiles out is on (see [`Lean`]).
    pub(super) fn lean(&self) -> bool {
        let model = self.model;
        let plain_run = !(self.recording
            || self.by_request
            || self.extras
            || self.back_office
            || self.bots
            || self.resolving
            || self.uptake
            || self.redialing
            || self.repeating
            || self.promoting
            || self.chasing
            || self.by_day
            || self.risk.active
            || self.slots.len() > 1);
        let plain_segments = model
            .segments
            .iter()
            .all(|s| s.trace.is_none() && s.arrival_profile.is_none() && s.day_effect.is_none());
        let plain_requests = model
            .requests
            .iter()
            .all(|r| !r.expected_turnaround.is_finite() && !r.promised_turnaround.is_finite());
        let plain_tiers = model.tiers.iter().zip(&self.tiers).all(|(t, ts)| {
            t.kind == TierKind::Staffed
                && !t.servers.is_unlimited()
                && !t.preemptive
                && t.queue_capacity.is_none()
                && t.skill.is_none()
                && t.transfer != Transfer::Callback
                && t.callback_offer.is_none()
                && t.service_factors.is_none()
                && !ts.dedicated
                && !ts.outbound_calls
                && !ts.adjusted
                && ts.pool.is_none()
        });
        plain_run && plain_segments && plain_requests && plain_tiers
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::state::Replication;
    use super::{Full, Lean, Mode};
    use crate::model::{Model, TierKind, Transfer};

    /// Two tiers, priorities, patience and escalation, no queue limit: a
    /// plain model.
    fn plain() -> Model {
        let mut model = two_tier(3);
        for t in &mut model.tiers {
            t.queue_capacity = None;
        }
        model
    }

    /// The whole result (every count, tally, average and histogram) of
    /// replication `rep` of `model` run in instance `M`, as text.
    fn result<M: Mode>(model: &Model, rep: u32) -> String {
        let mut r = Replication::new(model, rep);
        let events = r.run::<M>();
        format!("{:?}", r.finish(events))
    }

    #[test]
    fn lean_and_full_agree_on_a_plain_model() {
        let model = plain();
        assert!(Replication::new(&model, 0).lean());
        for rep in 0..3 {
            assert_eq!(result::<Lean>(&model, rep), result::<Full>(&model, rep));
        }
    }

    #[test]
    fn any_mechanism_takes_the_full_instance() {
        let changes: [fn(&mut Model); 10] = [
            |m| m.tiers[0].queue_capacity = Some(5),
            |m| m.segments[0].day_effect = crate::model::DayEffect::new(0.1),
            |m| m.tiers[0].service_factors = Some(vec![1.0; 1440].into()),
            |m| m.tiers[1].preemptive = true,
            |m| m.tiers[1].transfer = Transfer::Callback,
            |m| m.tiers[1].kind = TierKind::BackOffice,
            |m| m.tiers[0].sessions = 2,
            |m| m.segments[0].promote_after = 5.0,
            |m| m.requests[0].promised_turnaround = 60.0,
            |m| m.selling_minutes = 1.0,
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut model = plain();
            change(&mut model);
            assert!(!Replication::new(&model, 0).lean(), "change {i}");
        }
        let model = plain();
        let mut recording = Replication::new(&model, 0);
        recording.recording = true;
        assert!(!recording.lean());
        let mut by_day = plain();
        by_day.run.day_quantile = Some(0.9);
        assert!(!Replication::new(&by_day, 0).lean());
    }
}
