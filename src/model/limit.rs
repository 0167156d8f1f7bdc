//! Resource limits of a replication and what a run will cost: the most
//! clients inside at once (beyond which a replication stops with an
//! [`Overload`] instead of eating all memory), and the expected number of
//! events, from which `tiersim check` estimates the run time.

use super::week::WEEK;
use super::{Model, mean_offered_loads, offered_loads};
use crate::analytic::erlang_c;

/// The default of `run.max_clients_inside`: a million clients take about
/// 200 MB (slab, queue entries and their patience events), far more than any
/// stable design holds, far less than a machine has.
pub const DEFAULT_MAX_CLIENTS_INSIDE: u64 = 1_000_000;

/// A replication that reached `run.max_clients_inside` and stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct Overload {
    /// Minutes: when the limit was reached.
    pub time: f64,
    /// Clients inside then (the limit).
    pub inside: u64,
    /// Index of the tier with the longest queue then: the overloaded one.
    pub tier: usize,
    /// Clients waiting at that tier then.
    pub waiting: u64,
}

impl Overload {
    /// What happened and what to do, naming the overloaded tier and its
    /// offered load; `replication` is the replication's number.
    pub fn explain(&self, model: &Model, replication: u32) -> String {
        let load = &mean_offered_loads(model)[self.tier];
        format!(
            "replication {replication} stopped at minute {:.1}: {} clients were inside, the limit \
             run.max_clients_inside; tier `{}` is overloaded, with {} clients waiting: offered \
             load {:.2} Erlangs ({:.1} visits per hour) on {} (utilization {:.2}). \
             Add servers, give clients patience or the tier a queue_capacity, shorten the run, \
             or raise the limit (run.max_clients_inside or --max-clients-inside)",
            self.time,
            self.inside,
            load.tier,
            self.waiting,
            load.offered_load,
            load.arrival_rate_per_hour,
            load.servers_text(),
            load.utilization,
        )
    }
}

/// Events a replication of `model` is expected to take from its calendar:
/// one per arrival, one per service end at every tier visited, one per
/// patience timer (set at every wait of a patient client, at most one per
/// visit) and one per roster change. Counts the horizon only (not a
/// drain), so it is a floor for runs whose queues are long at the end.
pub fn expected_events(model: &Model) -> f64 {
    let horizon = model.run.horizon;
    let nominal: f64 = model.segments.iter().map(|s| s.rate_per_hour).sum();
    let arrivals_per_minute: f64 = model
        .segments
        .iter()
        .map(|s| s.mean_rate_per_minute())
        .sum();
    let patient = model.segments.iter().any(|s| s.patience.is_some());
    let loads = offered_loads(model);
    // Visits per arrival from the traffic equations at the nominal rates,
    // and, when clients are patient, the patience timers: one per visit
    // that waits, with the probability of waiting of an M/M/c queue at the
    // tier's load (Erlang C; 1 at or over capacity).
    let per_visit: f64 = loads
        .iter()
        .zip(&model.tiers)
        .map(|(l, t)| {
            let timers = if !patient || t.servers.is_unlimited() {
                0.0
            } else {
                let servers = (l.offered_load / l.utilization.max(1e-300))
                    .round()
                    .max(1.0);
                erlang_c(servers.min(u32::MAX as f64) as u32, l.offered_load)
            };
            l.arrival_rate_per_hour * (1.0 + timers)
        })
        .sum();
    let visits = if nominal > 0.0 {
        per_visit / nominal
    } else {
        0.0
    };
    let staffing: f64 = model
        .tiers
        .iter()
        .filter_map(|t| t.roster.as_ref())
        .filter(|r| r.changes.len() > 1)
        .map(|r| r.changes.len() as f64 * horizon / WEEK)
        .sum();
    arrivals_per_minute * horizon * (1.0 + visits) + staffing
}
