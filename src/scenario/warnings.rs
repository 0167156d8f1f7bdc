//! Warnings of a valid scenario, which do not stop a run: tiers loaded at
//! or over capacity with nothing to bound their queue, and tiers with
//! nobody on duty while a channel feeding them is open.

use crate::model::week::{DAY, DAYS, WEEK};
use crate::model::{Model, Overflow, mean_offered_loads};

/// Everything the user should hear about before a run.
pub(super) fn warnings(model: &Model) -> Vec<String> {
    let mut out = run_window(model);
    out.extend(roster_gaps(model));
    out.extend(overloads(model));
    out.extend(unreachable(model));
    out.extend(non_client_windows(model));
    out
}

/// A warm-up longer than half the horizon: most of each replication is
/// thrown away (often hours typed where minutes are meant). A window with
/// no client at all is refused instead (`limits.rs`).
fn run_window(model: &Model) -> Vec<String> {
    let (horizon, warmup) = (model.run.horizon, model.run.warmup);
    if warmup <= horizon / 2.0 {
        return Vec::new();
    }
    vec![format!(
        "run.warmup = {warmup} minutes is more than half of run.horizon = {horizon} minutes: \
         most of each replication is discarded before anything is measured; {}",
        units_hint(horizon)
    )]
}

/// The reminder that bare times are minutes, with `horizon` written in hours.
pub(super) fn units_hint(horizon: f64) -> String {
    format!(
        "times are in minutes unless a unit is written (if you meant hours, write horizon = \"{horizon}h\")"
    )
}

/// Tiers whose `non_client_share` leaves less of each hour for clients than
/// a mean service: services then run into the non-client blocks, so the
/// time on duty is overbooked and the reported time shares can sum above 1.
fn non_client_windows(model: &Model) -> Vec<String> {
    mean_offered_loads(model)
        .into_iter()
        .zip(&model.tiers)
        .filter(|(l, t)| t.non_client_share > 0.0 && l.arrival_rate_per_hour > 0.0)
        .filter_map(|(l, t)| {
            let service = l.offered_load / (l.arrival_rate_per_hour / 60.0);
            let window = 60.0 * (1.0 - t.non_client_share);
            (window < service).then(|| {
                format!(
                    "tier `{}`: non_client_share = {} leaves {window:.1} minutes of each hour for clients, \
                     less than a mean service of {service:.1} minutes; services run into the non-client \
                     blocks, so serving and non-client time together exceed the time on duty (their \
                     shares sum above 1); allowed: a share that leaves at least one service per hour",
                    l.tier, t.non_client_share
                )
            })
        })
        .collect()
}

/// Tiers no route of the scenario leads to (no segment, request or
/// channel enters there; no escalation, skill route, hand-off, back-office
/// step or book leads there) and that make no outbound calls: their staff
/// would sit idle in every run, whatever the rates.
fn unreachable(model: &Model) -> Vec<String> {
    let n = model.tiers.len();
    let mut reached = vec![false; n];
    let mut todo: Vec<usize> = Vec::new();
    let channels = model.channels.len().max(1);
    for (s, segment) in model.segments.iter().enumerate() {
        for r in 0..model.requests.len() {
            todo.extend((0..channels).map(|c| model.entry(s, r, c)));
        }
        todo.extend(&segment.back_office);
        if let Some(b) = &segment.book {
            todo.push(b.tier);
            if let Overflow::To(t) = b.overflow {
                todo.push(t);
            }
        }
    }
    for r in &model.requests {
        todo.extend(&r.back_office);
    }
    while let Some(j) = todo.pop() {
        if std::mem::replace(&mut reached[j], true) {
            continue;
        }
        let t = &model.tiers[j];
        todo.extend(t.routes.iter().flatten().map(|e| e.to));
        todo.extend(t.skill.as_ref().map(|s| s.to));
    }
    model
        .tiers
        .iter()
        .zip(&reached)
        .filter(|(t, reached)| !**reached && t.outbound.is_none())
        .map(|(t, _)| {
            format!(
                "tier `{}` is never reached: no segment, request or channel enters there and no tier \
                 escalates or hands off to it; its servers stay idle (check `entry`, `escalate` and `handoff_to`)",
                t.name
            )
        })
        .collect()
}

/// Tiers loaded at or over capacity with nothing to bound their queue.
fn overloads(model: &Model) -> Vec<String> {
    mean_offered_loads(model)
        .into_iter()
        .filter(|l| l.unbounded)
        .map(|l| {
            format!(
                "tier `{}` is loaded at or over capacity: offered load {:.2} Erlangs on {} \
                 (utilization {:.2}) with no patience and no queue capacity to bound its queue; \
                 the queue grows for the whole run and the run stops at the horizon",
                l.tier,
                l.offered_load,
                l.servers_text(),
                l.utilization
            )
        })
        .collect()
}

/// The tiers clients of channel `c` meet first.
fn entries(model: &Model, c: usize) -> Vec<usize> {
    let mut entries: Vec<usize> = Vec::new();
    let feeding = model
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.channels.get(c).is_some_and(|&p| p > 0.0));
    for (segment, s) in feeding {
        let mut firsts: Vec<usize> = (0..model.requests.len())
            .filter(|&r| s.requests[r] > 0.0)
            .map(|r| model.entry(segment, r, c))
            .collect();
        firsts.extend(s.book.as_ref().map(|b| b.tier));
        for j in firsts {
            if !entries.contains(&j) {
                entries.push(j);
            }
        }
    }
    entries
}

/// Warnings for tiers with nobody on duty while a channel that feeds them
/// is open: clients arriving then wait for the next shift (or abandon).
fn roster_gaps(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for (c, channel) in model.channels.iter().enumerate() {
        for j in entries(model, c) {
            let Some(roster) = &model.tiers[j].roster else {
                continue;
            };
            // The first minute of the week when the channel is open and the
            // tier unstaffed, and how many such minutes.
            let gaps: Vec<f64> = (0..WEEK as usize)
                .map(|m| m as f64)
                .filter(|&t| {
                    channel.hours.as_ref().is_none_or(|h| h.is_open(t)) && roster.at(t) == 0
                })
                .collect();
            if let Some(&first) = gaps.first() {
                let start_day = model.week.as_ref().map_or(0, |w| w.start_day);
                let day = DAYS[(start_day + (first / DAY) as usize) % 7];
                let minute = first.rem_euclid(DAY) as u32;
                out.push(format!(
                    "tier `{}` has nobody on duty for {:.1} hours a week while channel `{}` is open (first on {day} at {:02}:{:02}); clients arriving then wait for the next shift",
                    model.tiers[j].name,
                    gaps.len() as f64 / 60.0,
                    channel.name,
                    minute / 60,
                    minute % 60
                ));
            }
        }
    }
    out
}
