//! Redials: a client whose attempt failed (abandoned a queue, or was
//! blocked) may call again after a delay, as the same client: the same
//! random key (so the same request, channel and complexity, and fresh but
//! reproducible patience and service draws, numbered by visit), the same
//! segment, its hand-offs and earlier waits carried into the journey that
//! finally ends, each redial an extra contact (β_rep). The redial is an
//! event on the calendar; while it is pending the client keeps its slot
//! (it is still inside).

use rand::Rng;

use super::Event;
use super::client::{NONE, Phase};
use super::mode::Full;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::rng::keyed;
use crate::model::ContactKind;

impl Replication<'_> {
    /// The client's attempt failed at `t` (`abandoned`, or blocked): with
    /// its segment's probability, and attempts left, it is scheduled to
    /// call again and `true` is returned; otherwise its journey ends here.
    /// One keyed draw per attempt decides, the next gives the delay, so a
    /// change of staffing leaves every client's redial behaviour as it was.
    pub(super) fn try_redial(&mut self, id: u32, abandoned: bool, t: f64) -> bool {
        let c = &mut self.clients[id as usize];
        let segment = c.segment as usize;
        // The channel's rule, if it has one, else the segment's.
        let channel = self.model.channels.get(c.channel as usize);
        let Some(rule) = channel
            .and_then(|ch| ch.redial.as_ref())
            .or(self.model.segments[segment].redial.as_ref())
        else {
            return false;
        };
        let attempt = c.redials as u32 + 1;
        if attempt >= rule.max_attempts {
            return false;
        }
        let mut draws = keyed(c.key, self.redial_salt, attempt as u64);
        if draws.random::<f64>() >= rule.probability(abandoned) {
            return false;
        }
        let delay = rule.delay.sample(&mut draws);
        c.redials = c.redials.saturating_add(1);
        if c.counted {
            self.segments[segment].redial_minutes += delay;
        }
        let generation = self.come_back(id);
        self.calendar.schedule(
            Time(t + delay),
            Event::Redial {
                client: id,
                generation,
            },
        );
        true
    }

    /// Readies a client whose contact failed or ended unresolved for a new
    /// contact: one more repeat (β_rep), this contact's wait moved into the
    /// journey's earlier waits, no service started, no pending step or
    /// call-back; a new generation makes every event still naming it
    /// stale. Returns that generation, for the event of its return. It keeps
    /// its slot (it is still inside) and its hand-offs.
    pub(super) fn come_back(&mut self, id: u32) -> u32 {
        let c = &mut self.clients[id as usize];
        c.repeats = c.repeats.saturating_add(1);
        // This contact's wait belongs to the journey, not to the next
        // contact's service level.
        c.earlier_wait += c.wait;
        c.wait = 0.0;
        c.started = false;
        c.first_wait = 0.0;
        c.next = NONE;
        c.steps = 0;
        c.callback = false;
        c.attempts = 0;
        c.attempt_fails = false;
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Waiting;
        let generation = c.generation;
        self.close_contact(id);
        generation
    }

    /// The client calls again at `t`: a new attempt through its entry.
    pub(super) fn redial(&mut self, id: u32, t: f64) {
        self.return_contact(id, t, ContactKind::Redial);
    }

    /// The client comes back at `t` as a new contact through its entry: a
    /// redial or (`ContactKind::Repeat`) a repeat contact, counted as such.
    pub(super) fn return_contact(&mut self, id: u32, t: f64, kind: ContactKind) {
        self.resume_contact(id, t, kind);
        let c = &mut self.clients[id as usize];
        c.joined = t;
        if c.counted {
            let redial = kind == ContactKind::Redial;
            let s = &mut self.segments[c.segment as usize];
            *(if redial {
                &mut s.redials
            } else {
                &mut s.repeat_contacts
            }) += 1;
            if self.by_request {
                let r = &mut self.requests[c.request as usize];
                *(if redial {
                    &mut r.redials
                } else {
                    &mut r.repeat_contacts
                }) += 1;
            }
        }
        self.enter::<Full>(id, t);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::{simulate, simulate_recorded};
    use crate::engine::Dist;
    use crate::model::{
        Channel, ContactKind, ContactOutcome, ContactRecord, ContactSink, Model, Redial, WhenClosed,
    };

    fn with_redial(p: f64, max_attempts: u32) -> Model {
        let mut model = two_tier(3);
        for s in &mut model.segments {
            s.redial = Some(Redial {
                after_abandon: p,
                after_block: p,
                delay: Dist::exponential(10.0),
                max_attempts,
            });
        }
        model
    }

    /// A redial probability of 0 changes nothing: the same clients, the
    /// same outcomes, to the last bit.
    #[test]
    fn probability_zero_is_today() {
        for replication in 0..3 {
            let today = simulate(&two_tier(3), replication);
            let zero = simulate(&with_redial(0.0, u32::MAX), replication);
            assert_eq!(today.events, zero.events);
            for (a, b) in today.segments.iter().zip(&zero.segments) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
            for (a, b) in today.tiers.iter().zip(&zero.tiers) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"));
            }
        }
    }

    /// With probability 1 and no attempt limit nobody gives up: every
    /// client who arrived is served or still inside (conservation), and
    /// each failed attempt (abandoned or blocked) became a redial.
    #[test]
    fn probability_one_loses_nobody() {
        let model = with_redial(1.0, u32::MAX);
        for replication in 0..3 {
            let r = simulate(&model, replication);
            for s in &r.segments {
                assert!(s.redials > 100, "{} redials", s.redials);
                assert_eq!(s.arrived, s.served + s.inside, "{s:?}");
                assert_eq!(s.finished, s.served);
            }
        }
    }

    /// An attempt limit ends journeys: at most `max_attempts - 1` redials
    /// per client, and with a limit of 1 none at all.
    #[test]
    fn attempts_are_limited() {
        let one = simulate(&with_redial(1.0, 1), 0);
        assert!(one.segments.iter().all(|s| s.redials == 0));
        let three = simulate(&with_redial(1.0, 3), 0);
        for s in &three.segments {
            assert!(s.redials > 0 && s.redials <= 2 * s.arrived);
            assert!(s.finished > s.served);
        }
    }

    impl ContactSink for Vec<ContactRecord> {
        fn record(&mut self, contact: &ContactRecord) {
            self.push(*contact);
        }
    }

    /// `channel.<c>.redial` overrides the segment's for that channel's
    /// clients only: with half the clients on a `phone` channel that
    /// always redials and half on a `branch` channel that keeps the
    /// segment's rule (never), every failed phone contact is followed by a
    /// redial and no branch contact ever is.
    #[test]
    fn a_channel_redial_applies_to_its_clients_only() {
        let mut model = with_redial(0.0, u32::MAX);
        let channel = |name: &str, redial: Option<Redial>| Channel {
            name: name.into(),
            hours: None,
            when_closed: WhenClosed::Wait,
            service_multiplier: 1.0,
            tolerance: None,
            satisfaction_offset: 0.0,
            entry: None,
            redial,
        };
        let always = with_redial(1.0, u32::MAX).segments[0].redial.clone();
        model.channels = vec![channel("phone", always), channel("branch", None)];
        for s in &mut model.segments {
            s.channels = vec![0.5, 0.5];
        }
        let mut records: Vec<ContactRecord> = Vec::new();
        let r = simulate_recorded(&model, 0, &mut records);
        let failed = |c: &ContactRecord| {
            matches!(
                c.outcome,
                ContactOutcome::Abandoned | ContactOutcome::Blocked
            )
        };
        let (mut phone_failed, mut branch_failed) = (0, 0);
        for c in &records {
            match c.channel {
                Some(0) => {
                    if failed(c) {
                        phone_failed += 1;
                        assert_eq!(c.then, ContactKind::Redial, "{c:?}");
                    }
                }
                Some(1) => {
                    assert_eq!(c.kind, ContactKind::First, "{c:?}");
                    if failed(c) {
                        branch_failed += 1;
                        assert_eq!(c.then, ContactKind::First, "{c:?}");
                    }
                }
                other => panic!("channel {other:?}"),
            }
        }
        assert!(phone_failed > 100 && branch_failed > 100);
        let redials: u64 = r.segments.iter().map(|s| s.redials).sum();
        let phone_redials = records
            .iter()
            .filter(|c| c.kind == ContactKind::Redial)
            .count() as u64;
        assert_eq!(redials, phone_redials);
        assert!(redials > 100);
    }
}
