//! One replication's event loop: clients arrive, queue, are served, escalate,
//! abandon or are blocked, and every step is tallied.
//!
//! The state is a slab of clients reused through a free list, one queue per
//! (tier, priority rank) with lazy deletion, and the event calendar; nothing
//! is allocated per event once they have grown to the working size, and
//! memory depends on the most clients inside at once, not on run length.
//!
//! This file holds the events and the loop that dispatches them; each
//! mechanism lives in its own file: [`arrivals`], [`queueing`] (and
//! service), [`escalation`] (and transfers, call-backs, back offices),
//! [`books`] (dedicated RMs), [`staffing`] (rosters), [`outbound`],
//! [`exits`] (and outcome scoring), [`resolution`] (whether a contact
//! resolved the need), [`chatbot`] (opt-in chatbots, failed conversations), with the client in [`client`], the
//! [`exits`] (and outcome scoring), [`redial`] (failed attempts calling
//! again), [`repeat`] (unresolved contacts coming back), [`groups`] (agent groups
//! with skills: routing, reserve, overflow), [`promotion`] (priority rising
//! with time in queue), [`record`] (contact records for the journeys file),
//! [`chasing`] (status chasing of cases in back offices), [`virtual_hold`]
//! (call-backs offered to waiting clients), [`days`] (per-day tallies for
//! `--day-quantile`), with the client in [`client`], the
//! count types in [`counts`] and the running state in [`state`]. The hot
//! handlers are compiled twice, a lean instance for plain models and a full
//! one, chosen once per replication ([`mode`]).

mod agents;
mod arrivals;
mod books;
mod chasing;
mod chatbot;
mod client;
mod counts;
mod day_effect;
mod days;
mod escalation;
mod exits;
#[cfg(test)]
mod fixture;
mod group_shifts;
mod groups;
mod mode;
mod outbound;
mod promotion;
mod queueing;
mod record;
mod redial;
mod repeat;
mod resolution;
mod service_factors;
mod staffing;
mod state;
mod trace;
mod virtual_hold;

pub use agents::{GroupStaffing, WeekCounts};
pub use counts::{
    ClientCounts, GroupCounts, ReplicationResult, RequestCounts, SlotCounts, TierCounts,
};
pub use trace::Trace;

use super::{ContactSink, Model};
use client::at;
use mode::{Full, Lean, Mode};
use state::Replication;

/// What can happen.
#[derive(Clone, Copy, Debug)]
pub(super) enum Event {
    /// The next client of a segment arrives.
    Arrival { segment: u32 },
    /// A client's service ends, unless the client's generation moved on
    /// (it was preempted).
    ServiceEnd { client: u32, generation: u32 },
    /// A waiting client's patience runs out, unless its generation moved on
    /// (service began, or it left).
    Abandon { client: u32, generation: u32 },
    /// A tier's staffing changes to its plan's entry `change` (shift
    /// starts and ends, breaks, non-client work).
    Staffing { tier: u32, change: u32 },
    /// A client not on the line (waiting for a channel to open, or for a
    /// call-back retry) joins the tier in its `next`, unless its
    /// generation moved on.
    Rejoin { client: u32, generation: u32 },
    /// A booked client's wait for their own RM reaches `overflow_after`.
    Overflow { client: u32, generation: u32 },
    /// A dedicated RM's block of non-client work ends.
    RmReady { tier: u32, rm: u32 },
    /// An outbound sales call at a tier ends.
    OutboundEnd { tier: u32 },
    /// A client whose attempt failed calls again, unless its generation
    /// moved on.
    Redial { client: u32, generation: u32 },
    /// A client whose contact ended unresolved contacts the bank again,
    /// unless its generation moved on.
    Repeat { client: u32, generation: u32 },
    /// A waiting client's `overflow_after` at a tier with agent groups
    /// passes, unless its generation moved on.
    GroupOverflow { client: u32, generation: u32 },
    /// A waiting client's `promote_after` passes: it is served with the
    /// first priority, unless its generation moved on.
    Promote { client: u32, generation: u32 },
    /// New hires of a group take their next tenure step (they join, or
    /// their efficiency changes).
    Tenure { tier: u32, group: u32 },
    /// A client whose case is in a back office chases its status, unless
    /// the case's stay there (its stamp `case`) is over.
    Chase { client: u32, case: u32 },
    /// A waiting client has waited long enough to be offered a call-back,
    /// unless its generation moved on.
    HoldOffer { client: u32, generation: u32 },
}

/// Runs replication `replication` of `model` and returns what it measured.
/// Deterministic: the same model and replication give the same result.
pub fn simulate(model: &Model, replication: u32) -> ReplicationResult {
    let mut r = Replication::new(model, replication);
    let events = r.run_resolved();
    r.finish(events)
}

/// Runs replication `replication` of `model` like [`simulate`], handing
/// `sink` a record of every contact of the clients arriving after the
/// warm-up (the journeys file). The result is the same as `simulate`'s.
pub fn simulate_recorded(
    model: &Model,
    replication: u32,
    sink: &mut dyn ContactSink,
) -> ReplicationResult {
    let mut r = Replication::new(model, replication);
    r.recording = true;
    r.sink = Some(sink);
    let events = r.run_resolved();
    r.finish(events)
}

impl Replication<'_> {
    /// Runs the event loop to the end in the instance the model needs
    /// (`mode.rs`, decided once); returns the number of events taken.
    pub(super) fn run_resolved(&mut self) -> u64 {
        if self.lean() {
            self.run::<Lean>()
        } else {
            self.run::<Full>()
        }
    }

    /// Runs the event loop to the end with the hot handlers' instance `M`;
    /// returns the number of events taken.
    pub(super) fn run<M: Mode>(&mut self) -> u64 {
        for segment in 0..self.model.segments.len() {
            self.schedule_arrival::<M>(segment, 0.0);
        }
        for tier in 0..self.tiers.len() {
            if !self.tiers[tier].plan.is_empty() {
                self.schedule_staffing(tier, 0, 0.0);
            }
            self.try_outbound(tier, 0.0);
        }
        self.schedule_tenure();
        let stop = self.model.run.horizon + self.model.run.drain_limit;
        let mut events = 0u64;
        while let Some((time, event)) = self.calendar.pop() {
            let t = time.minutes();
            if t > stop {
                break;
            }
            events += 1;
            match event {
                Event::Arrival { segment } => self.arrival::<M>(segment as usize, t),
                Event::ServiceEnd { client, generation } => {
                    if at(&self.clients, client).generation == generation {
                        self.service_end::<M>(client, t);
                    }
                }
                Event::Abandon { client, generation } => {
                    let c = at(&self.clients, client);
                    if c.generation == generation && !(M::FULL && c.callback) {
                        self.abandon::<M>(client, t);
                    }
                }
                Event::Staffing { tier, change } => {
                    self.staffing(tier as usize, change as usize, t)
                }
                Event::Rejoin { client, generation } => {
                    let c = &self.clients[client as usize];
                    if c.generation == generation {
                        self.join_full(client, c.next as usize, t);
                    }
                }
                Event::Overflow { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.overflow(client, t);
                    }
                }
                Event::RmReady { tier, rm } => self.rm_free(tier as usize, rm as usize, t),
                Event::OutboundEnd { tier } => self.outbound_end(tier as usize, t),
                Event::Redial { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.redial(client, t);
                    }
                }
                Event::Repeat { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.repeat_contact(client, t);
                    }
                }
                Event::GroupOverflow { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.group_overflow(client, t);
                    }
                }
                Event::Promote { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.promote(client, generation);
                    }
                }
                Event::Chase { client, case } => self.chase(client, case, t),
                Event::Tenure { tier, group } => self.tenure(tier as usize, group as usize, t),
                Event::HoldOffer { client, generation } => {
                    let c = &self.clients[client as usize];
                    if c.generation == generation && !c.callback {
                        self.offer_callback(client, t);
                    }
                }
            }
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::two_tier;
    use super::simulate;

    #[test]
    fn same_replication_same_result() {
        let model = two_tier(3);
        let (a, b) = (simulate(&model, 2), simulate(&model, 2));
        assert_eq!(a.events, b.events);
        assert_eq!(a.segments[1].wait, b.segments[1].wait);
        assert_eq!(a.tiers[1].queue_len_mean, b.tiers[1].queue_len_mean);
    }
}
