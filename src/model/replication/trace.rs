//! Trace replay: a segment whose arrivals are read from a file arrives at
//! exactly those times (and with those request types, when the trace names
//! them), the same in every replication; what is not replayed (the client's
//! key: patience, service, routing) is still drawn per replication.
//! The trace itself is parsed and checked in `scenario::trace`.

use super::Event;
use super::state::Replication;
use crate::engine::Time;

/// A segment's replayed arrivals.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Arrival times, minutes from the run's start, ascending, >= 0.
    pub arrivals: Vec<f64>,
    /// The request type (index) of each arrival; empty when the trace does
    /// not name them (drawn from the segment's mix).
    pub requests: Vec<u16>,
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
