//! Trace replay: a segment whose arrivals are read from a file arrives at
//! exactly those times (and with those request types, when the trace names
//! them), the same in every replication; what is not replayed (the client's
//! key: patience, service, routing) is still drawn per replication, except
//! the first staffed service's length when the trace gives it (`service`).
//! The trace itself is parsed and checked in `scenario::trace`.

use super::Event;
use super::client::Client;
use super::state::Replication;
use crate::engine::Time;
use crate::model::Model;

/// A segment's replayed arrivals.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Arrival times, minutes from the run's start, ascending, >= 0.
    pub arrivals: Vec<f64>,
    /// The request type (index) of each arrival; empty when the trace does
    /// not name them (drawn from the segment's mix).
    pub requests: Vec<u16>,
    /// The length (minutes) of each arrival's service at the first tier it
    /// visits, NaN where not given (drawn); empty when the trace has no
    /// `service` column.
    pub services: Vec<f64>,
}

impl Trace {
    /// Arrivals before the horizon, per minute of the run (the segment's
    /// mean rate, for loads and warnings).
    pub fn rate_per_minute(&self, horizon: f64) -> f64 {
        let n = self.arrivals.iter().take_while(|&&a| a <= horizon).count();
        if horizon > 0.0 {
            n as f64 / horizon
        } else {
            0.0
        }
    }
}

/// The replayed length of client `c`'s service, if its segment's trace
/// gives one: only at the first tier it visits, and found by its arrival
/// time (the first row at that time; traces that replay services should
/// not have ties). A feature the scenario does not use costs one branch.
#[inline]
pub(super) fn replayed_service(model: &Model, c: &Client) -> Option<f64> {
    let trace = model.segments[c.segment as usize].trace.as_ref()?;
    if trace.services.is_empty() || c.total_visits != 1 {
        return None;
    }
    let i = trace.arrivals.partition_point(|&a| a < c.arrival);
    trace
        .services
        .get(i)
        .copied()
        .filter(|s| s.is_finite() && trace.arrivals[i] == c.arrival)
}

impl Replication<'_> {
    /// Schedules a replayed segment's next arrival from its trace. The
    /// cursor moves on at every call, so while an arrival is handled (after
    /// its successor was scheduled) its own index is the cursor minus 2.
    pub(super) fn schedule_replayed(&mut self, segment: usize, trace: &Trace) {
        let next = self.replay_next[segment] as usize;
        self.replay_next[segment] = self.replay_next[segment].saturating_add(1);
        if let Some(&at) = trace.arrivals.get(next)
            && at <= self.model.run.horizon
        {
            self.calendar.schedule_slot(
                segment,
                Time(at),
                Event::Arrival {
                    segment: segment as u32,
                },
            );
        }
    }

    /// The request type the trace gives the arrival being handled, if it
    /// names them.
    #[inline]
    pub(super) fn replayed_request(&self, segment: usize) -> Option<usize> {
        let trace = self.model.segments[segment].trace.as_ref()?;
        let current = (self.replay_next[segment] as usize).checked_sub(2)?;
        trace.requests.get(current).map(|&r| r as usize)
    }
}
