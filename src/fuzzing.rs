//! The body of the fuzz target (`fuzz/fuzz_targets/scenario.rs`), kept in
//! the library so that every crash the fuzzer finds can be replayed by a
//! regression test (`tests/it/fuzz.rs`) through exactly the same path:
//! bytes → text → TOML → validation → sweep expansion → model → a short,
//! capped simulation, with the laws every replication must obey checked.
//!
//! Any panic in [`exercise`] is a bug: bad input must give an error, and a
//! valid scenario must simulate without breaking conservation.

use crate::model::{Model, expected_events, simulate};
use crate::scenario;

/// At most this many points of a sweep are simulated per input.
const POINTS: usize = 3;

/// Arrivals expected per simulated replication at most (the horizon is cut
/// to keep to it), so that one input runs in milliseconds.
const ARRIVALS: f64 = 300.0;

/// Clients inside at most (`run.max_clients_inside` of the tamed run).
const INSIDE: u64 = 2_000;

/// Events expected per replication at most: a valid scenario may ask for
/// millions of visits per client (escalation loops with a tiny chance of
/// leaving); such inputs are checked but not simulated.
const EVENTS: f64 = 200_000.0;

/// Runs `bytes` through the whole scenario path; panics only on a bug.
pub fn exercise(bytes: &[u8]) {
    let Ok(sweep) = scenario::parse_sweep_bytes(bytes, "fuzz.toml") else {
        return;
    };
    for point in sweep.points.iter().take(POINTS) {
        let mut model = point.scenario.model.clone();
        tame(&mut model);
        if expected_events(&model) <= EVENTS {
            check_laws(&model);
        }
    }
}

/// Shortens the run so that about [`ARRIVALS`] clients arrive, with one
/// replication, a bounded drain and at most [`INSIDE`] clients inside.
pub fn tame(model: &mut Model) {
    let per_minute: f64 = model
        .segments
        .iter()
        .map(|s| s.mean_rate_per_minute())
        .sum();
    let run = &mut model.run;
    let horizon = run.horizon.min(ARRIVALS / per_minute.max(1e-300));
    run.warmup = run.warmup.min(horizon / 2.0);
    run.horizon = horizon.max(run.warmup + 1e-9);
    run.drain_limit = run.drain_limit.min(run.horizon);
    run.replications = 1;
    run.max_clients_inside = run.max_clients_inside.min(INSIDE);
}

/// Simulates one replication of `model` and checks the laws its counts must
/// obey whatever the scenario; panics when one is broken.
pub fn check_laws(model: &Model) {
    let r = simulate(model, 0);
    for (s, c) in model.segments.iter().zip(&r.segments) {
        assert_eq!(
            c.arrived,
            c.served + c.abandoned + c.blocked + c.inside,
            "conservation for segment `{}`",
            s.name
        );
        assert!(c.within_service_level <= c.served + c.abandoned);
        assert!(c.waited <= c.served + c.abandoned);
    }
    for (t, c) in model.tiers.iter().zip(&r.tiers) {
        assert!(
            c.served + c.abandoned + c.blocked <= c.arrived,
            "tier `{}` ended more visits than it had",
            t.name
        );
        if !t.servers.is_unlimited() && c.servers_mean > 0.0 {
            assert!(
                c.busy_mean <= c.servers_mean * (1.0 + 1e-9) + 1e-9,
                "tier `{}` busier than its servers: {} > {}",
                t.name,
                c.busy_mean,
                c.servers_mean
            );
        }
    }
}
