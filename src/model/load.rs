//! Offered load per tier from the traffic equations: how busy each tier
//! would be if nobody abandoned or was blocked. Used to warn about designs
//! that cannot keep up, and by the capacity planner.

use super::Model;
use crate::analytic::jackson_arrival_rates;

/// The long-run load on one tier.
#[derive(Clone, Debug, PartialEq)]
pub struct TierLoad {
    /// Tier name.
    pub tier: String,
    /// Visits per hour, all segments, counting escalations.
    pub arrival_rate_per_hour: f64,
    /// Offered load in Erlangs: busy servers needed on average.
    pub offered_load: f64,
    /// Number of servers.
    pub servers: u32,
    /// Offered load per server on duty (on average over the week for a
    /// roster); at or above 1 the queue grows without bound unless clients
    /// abandon or are blocked.
    pub utilization: f64,
    /// True when the load is at or over capacity and nothing (no patience
    /// of a client reaching the tier, no queue capacity) bounds the queue.
    pub unbounded: bool,
}

/// The offered load on every tier, in model order. The routing has been
/// validated so that every client eventually leaves.
pub fn offered_loads(model: &Model) -> Vec<TierLoad> {
    let n = model.tiers.len();
    let kinds = model.requests.len();
    let mut rate = vec![0.0; n];
    let mut load = vec![0.0; n];
    let mut impatient_only = vec![true; n];
    for request in 0..kinds {
        let routing: Vec<Vec<f64>> = model
            .tiers
            .iter()
            .map(|t| {
                let mut row = vec![0.0; n];
                for e in &t.routes[request] {
                    row[e.to] += e.probability;
                }
                row
            })
            .collect();
        for (s, segment) in model.segments.iter().enumerate() {
            let share = segment.requests[request];
            if share == 0.0 {
                continue;
            }
            let mut external = vec![0.0; n];
            let entry = model.requests[request].entry.unwrap_or(segment.entry);
            external[entry] = segment.rate_per_hour * share;
            let visits = jackson_arrival_rates(&external, &routing).unwrap_or(external);
            for (j, v) in visits.iter().enumerate() {
                rate[j] += v;
                load[j] += v / 60.0 * model.tiers[j].service_of(s, request, kinds).mean();
                if *v > 0.0 && segment.patience.is_none() {
                    impatient_only[j] = false;
                }
            }
        }
    }
    model
        .tiers
        .iter()
        .enumerate()
        .map(|(j, t)| {
            // Against the servers on duty on average over the week.
            let servers = t.roster.as_ref().map_or(t.servers as f64, |r| r.mean());
            let utilization = if t.unlimited { 0.0 } else { load[j] / servers };
            TierLoad {
                tier: t.name.clone(),
                arrival_rate_per_hour: rate[j],
                offered_load: load[j],
                servers: t.servers,
                utilization,
                unbounded: utilization >= 1.0 && t.queue_capacity.is_none() && !impatient_only[j],
            }
        })
        .collect()
}
