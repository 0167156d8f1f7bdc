//! The analytic starting plan: each staffed tier in each slot treated as
//! its own stationary queue, fed by the slot's share of the tier's arrivals
//! from the traffic equations (escalation-thinned rates, `model::load`),
//! and staffed with the fewest servers for which Erlang C (no patience) or
//! Erlang A (exponential patience with the segments' mean) meets the
//! targets that have a closed form: `service_level`, `wait_mean` and
//! `abandon_rate` of all clients, each applied to every tier. Square-root
//! staffing `⌈a + β√a⌉`, with β taken from the busiest slot's Erlang
//! answer, is reported beside it as a check.

use super::erlang::Queue;
use super::{SlotGrid, Staffing};
use crate::model::load::TierLoad;
use crate::model::{Model, offered_loads};
use crate::scenario::{Bound, Goals};

/// The analytic plan of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Seed {
    /// Erlang C/A staffing per tier and slot.
    pub staffing: Staffing,
    /// Square-root staffing per tier and slot, β from the busiest slot.
    pub square_root: Staffing,
    /// β of each tier (NaN for a chatbot or a tier without load).
    pub beta: Vec<f64>,
    /// Offered load per tier and slot, Erlangs.
    pub offered_load: Vec<Vec<f64>>,
    /// Which formula each tier used: `erlang_c` or `erlang_a`.
    pub formula: Vec<&'static str>,
}

/// The closed-form targets of `goals` as `(metric, higher is better, value)`.
pub fn closed_form_targets(goals: &Goals) -> Vec<(&'static str, bool, f64)> {
    goals
        .targets
        .iter()
        .filter(|t| t.segment.is_none())
        .filter(|t| matches!(t.metric, "service_level" | "wait_mean" | "abandon_rate"))
        .map(|t| {
            (
                t.metric,
                matches!(t.bound, Bound::AtLeast(_)),
                t.bound.value(),
            )
        })
        .collect()
}

/// The analytic plan of `model` on `grid` for `goals`.
pub fn seed(model: &Model, grid: &SlotGrid, goals: &Goals) -> Seed {
    let loads = offered_loads(model);
    let targets = closed_form_targets(goals);
    let patience = mean_patience(model);
    let staffable = grid.staffable();
    let max = goals.plan.max_servers;
    let mut out = Seed {
        staffing: Vec::new(),
        square_root: Vec::new(),
        beta: Vec::new(),
        offered_load: Vec::new(),
        formula: Vec::new(),
    };
    for (tier, load) in model.tiers.iter().zip(&loads) {
        if !tier.planned() {
            out.staffing.push(Vec::new());
            out.square_root.push(Vec::new());
            out.beta.push(f64::NAN);
            out.offered_load.push(Vec::new());
            out.formula.push("none");
            continue;
        }
        let mut staffing = Vec::new();
        let mut offered = Vec::new();
        for (s, f) in grid.factors.iter().enumerate() {
            let queue = slot_queue(model, load, patience, *f);
            offered.push(queue.offered_load());
            staffing.push(fewest(&queue, staffable[s], &targets, max));
        }
        let (beta, square_root) = square_root_staffing(&offered, &staffing);
        out.staffing.push(staffing);
        out.square_root.push(square_root);
        out.beta.push(beta);
        out.offered_load.push(offered);
        out.formula.push(if patience.is_some() {
            "erlang_a"
        } else {
            "erlang_c"
        });
    }
    out
}

/// The stationary queue of a tier (its `load`) in a slot whose arrival
/// rate is `factor` times the tier's.
pub(super) fn slot_queue(
    model: &Model,
    load: &TierLoad,
    patience: Option<f64>,
    factor: f64,
) -> Queue {
    let service_mean = if load.arrival_rate_per_hour > 0.0 {
        load.offered_load / (load.arrival_rate_per_hour / 60.0)
    } else {
        1.0
    };
    Queue {
        arrivals_per_hour: load.arrival_rate_per_hour * factor,
        service_mean,
        patience_mean: patience,
        threshold: model.run.service_level_threshold,
    }
}

/// The fewest servers for `queue` in a slot that is `staffable` (as
/// [`SlotGrid::staffable`] says) to meet the closed-form `targets`, at most
/// `max`: at least 1 where clients arrive or are still served, 0 where
/// none are planned.
pub(super) fn fewest(
    queue: &Queue,
    staffable: Option<bool>,
    targets: &[(&'static str, bool, f64)],
    max: u32,
) -> u32 {
    match staffable {
        Some(true) if queue.arrivals_per_hour > 0.0 => {
            queue.fewest_servers(targets, max).unwrap_or(max).max(1)
        }
        Some(_) => 1,
        None => 0,
    }
}

/// Mean patience weighted by arrival rate, if every segment has one.
pub(super) fn mean_patience(model: &Model) -> Option<f64> {
    model
        .segments
        .iter()
        .map(|s| s.patience.as_ref().map(|p| (s.rate_per_hour, p.mean())))
        .collect::<Option<Vec<_>>>()
        .map(|v| {
            let rate: f64 = v.iter().map(|(r, _)| r).sum();
            v.iter().map(|(r, p)| r * p).sum::<f64>() / rate
        })
}

/// The square-root staffing rule fitted at the busiest slot: its β
/// (`(c - a) / √a`, NaN when no load) and `⌈a + β√a⌉` (at least 1) in
/// every slot with load, the Erlang staffing elsewhere.
fn square_root_staffing(offered: &[f64], staffing: &[u32]) -> (f64, Vec<u32>) {
    let busiest = (0..offered.len())
        .max_by(|&a, &b| offered[a].total_cmp(&offered[b]))
        .unwrap_or(0);
    let a = offered[busiest];
    let beta = if a > 0.0 {
        (f64::from(staffing[busiest]) - a) / a.sqrt()
    } else {
        f64::NAN
    };
    let square_root = offered
        .iter()
        .zip(staffing)
        .map(|(&a, &c)| {
            if a > 0.0 && beta.is_finite() {
                (a + beta * a.sqrt()).ceil().max(1.0) as u32
            } else {
                c
            }
        })
        .collect();
    (beta, square_root)
}
