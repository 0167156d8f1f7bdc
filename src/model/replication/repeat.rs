//! Repeat contacts: a client whose contact ended with the need unresolved
//! comes back, with its request type's `repeat.probability`, after
//! `repeat.delay`, through the same entry, as the same client (its key,
//! segment, request, channel and complexity; fresh patience and service
//! draws, numbered by visit). The journey goes on: the repeat is an extra
//! contact (β_rep) and the earlier waits count in the journey that finally
//! ends. The return is an event on the calendar; while it is pending the
//! client keeps its slot.
//!
//! The hook: every place where a contact ends unresolved calls
//! [`Replication::try_repeat`] before ending the journey: a call-back that
//! never reached the client (`escalation.rs`), and a served contact whose
//! tier did not resolve the need (`resolves` < 1, `resolution.rs`).

use rand::Rng;

use super::Event;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::rng::keyed;
use crate::model::ContactKind;

impl Replication<'_> {
    /// The client's contact ended unresolved at `t`: with its request
    /// type's repeat probability it is scheduled to contact the bank again
    /// and `true` is returned; otherwise its journey ends here. The draws
    /// are the client's own, numbered by its repeat contacts, so a change
    /// of staffing leaves every client's repeats as they were.
    pub(super) fn try_repeat(&mut self, id: u32, t: f64) -> bool {
        let c = &mut self.clients[id as usize];
        let Some(rule) = &self.model.requests[c.request as usize].repeat else {
            return false;
        };
        c.unresolved = c.unresolved.saturating_add(1);
        let mut draws = keyed(c.key, self.repeat_salt, c.unresolved as u64);
        if draws.random::<f64>() >= rule.probability {
            return false;
        }
        let delay = rule.delay.sample(&mut draws);
        let generation = self.come_back(id);
        self.calendar.schedule(
            Time(t + delay),
            Event::Repeat {
                client: id,
                generation,
            },
        );
        true
    }

    /// The client contacts the bank again at `t` about the need an earlier
    /// contact left unresolved.
    pub(super) fn repeat_contact(&mut self, id: u32, t: f64) {
        self.return_contact(id, t, ContactKind::Repeat);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::simulate;
    use crate::engine::Dist;
    use crate::model::{CallbackRules, Model, Repeat, Servers, Transfer};

    /// Every contact ends unresolved with a known probability: the front
    /// escalates 30% of its clients by call-back and the expert's single
    /// call-back attempt reaches half of them (`f` = 0.15). Nobody abandons
    /// or is blocked, so no other ending interferes.
    fn unresolved_by_callback(repeat: Option<f64>) -> Model {
        let mut model = two_tier(10);
        for s in &mut model.segments {
            s.patience = None;
        }
        for t in &mut model.tiers {
            t.queue_capacity = None;
        }
        model.tiers[1].servers = Servers::Fixed(10);
        model.tiers[0].transfer = Transfer::Callback;
        model.tiers[1].callback = CallbackRules {
            success: 0.5,
            attempts: 1,
            ..CallbackRules::default()
        };
        // A declared request type, so that results are kept per type.
        model.requests[0].name = "loan".into();
        model.requests[0].repeat = repeat.map(|probability| Repeat {
            probability,
            delay: Dist::exponential(20.0),
        });
        model
    }

    /// A repeat probability of 0 changes nothing, to the last bit.
    #[test]
    fn probability_zero_is_today() {
        for replication in 0..3 {
            let today = simulate(&unresolved_by_callback(None), replication);
            let zero = simulate(&unresolved_by_callback(Some(0.0)), replication);
            assert_eq!(today.events, zero.events);
            for (a, b) in today.segments.iter().zip(&zero.segments) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
        }
    }

    /// With probability 1 nobody leaves unresolved: every client who
    /// arrived is served or still inside (conservation), and each contact
    /// ends unresolved with probability f = 0.3 × 0.5 independently (the
    /// escalation and call-back draws are numbered by visit), so repeat
    /// contacts are a share f of all contacts: the failure-demand share.
    /// Tolerance: 4 binomial standard errors of the pooled share.
    #[test]
    fn probability_one_resolves_everyone_and_failure_demand_is_f() {
        let model = unresolved_by_callback(Some(1.0));
        let (mut repeats, mut contacts) = (0u64, 0u64);
        for replication in 0..3 {
            let r = simulate(&model, replication);
            for s in &r.segments {
                assert_eq!(s.arrived, s.served + s.inside, "{s:?}");
                assert_eq!(s.finished, s.served);
                // Each unreached contact came back, but those whose return
                // was still pending at the end (and so are inside).
                assert!(s.repeat_contacts <= s.unreached, "{s:?}");
                assert!(s.unreached - s.repeat_contacts <= s.inside, "{s:?}");
                repeats += s.repeat_contacts;
                contacts += s.arrived + s.repeat_contacts;
            }
            assert_eq!(
                r.requests[0].repeat_contacts,
                r.segments.iter().map(|s| s.repeat_contacts).sum::<u64>()
            );
        }
        let f = 0.3 * 0.5;
        let share = repeats as f64 / contacts as f64;
        let se = (f * (1.0 - f) / contacts as f64).sqrt();
        assert!((share - f).abs() < 4.0 * se, "{share} vs {f} ± {se}");
    }

    /// A served contact that its tier did not resolve comes back too:
    /// every tier resolves with probability 0.6, one keyed draw per
    /// contact that ends there, so with repeat probability 1 a share 0.4
    /// of contacts are repeats (the failure-demand share), nobody leaves
    /// unresolved, and the resolution draws of the first contacts are those
    /// of the run without repeats (common random numbers). Tolerance: 4
    /// binomial standard errors of the pooled share.
    #[test]
    fn unresolved_served_contacts_come_back() {
        let model = |repeat: Option<f64>| {
            let mut m = two_tier(10);
            for s in &mut m.segments {
                s.patience = None;
            }
            for t in &mut m.tiers {
                t.queue_capacity = None;
                t.resolves = vec![0.6];
            }
            m.tiers[1].servers = Servers::Fixed(10);
            m.requests[0].name = "loan".into();
            m.requests[0].repeat = repeat.map(|probability| Repeat {
                probability,
                delay: Dist::exponential(20.0),
            });
            m
        };
        let (without, with) = (model(None), model(Some(1.0)));
        let (mut repeats, mut contacts) = (0u64, 0u64);
        for replication in 0..3 {
            let r = simulate(&with, replication);
            let base = simulate(&without, replication);
            for (s, b) in r.segments.iter().zip(&base.segments) {
                assert_eq!(s.arrived, b.arrived);
                assert_eq!(s.arrived, s.served + s.inside, "{s:?}");
                assert_eq!(s.unresolved, 0, "{s:?}");
                assert!(b.unresolved > 0, "{b:?}");
                repeats += s.repeat_contacts;
                contacts += s.arrived + s.repeat_contacts;
            }
        }
        let f = 0.4;
        let share = repeats as f64 / contacts as f64;
        let se = (f * (1.0 - f) / contacts as f64).sqrt();
        assert!((share - f).abs() < 4.0 * se, "{share} vs {f} ± {se}");
    }
}
