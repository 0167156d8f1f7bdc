//! The simulation search for the cheapest staffing that meets every target
//! with 95% confidence.
//!
//! 1. **Reachability**: a generous staffing (every tier and slot with the
//!    servers Erlang C needs for P(wait) ≤ 1%, at least the analytic
//!    plan's) is simulated once; a target missed even then (its whole 95%
//!    CI on the wrong side) is unreachable, and the plan stops with that
//!    verdict, the best values and the staffing that gave them.
//! 2. **Add**: from the analytic plan, while some target fails (its CI is
//!    not wholly on the allowed side) one server is added, for every slot
//!    failing a per-slot target, to the tier with the longest queue in
//!    that slot; a whole-run target failing alone adds one where the queue
//!    is longest over the day. No progress in the worst failing target for
//!    [`STALL_ROUNDS`] rounds, or a tier at `plan.max_servers`, ends the
//!    search as unreachable.
//! 3. **Remove**: each server-slot, the dearest tier first and within a
//!    tier the least utilized slot first, is removed for good if every
//!    target still holds; until no single removal keeps every target
//!    (a rejected removal is not tried again: fewer servers elsewhere only
//!    makes it worse).
//! 4. **Confirm**: the plan is simulated again with fresh random streams
//!    (seed + [`CONFIRM_SEED_OFFSET`]) and the scenario's own replications.
//!    A target failing there gets one round of servers as in step 2 and a
//!    confirmation on yet other streams, at most [`CONFIRM_ROUNDS`] times;
//!    the last confirmation decides the verdict.
//!
//! Every evaluation of the search runs the same replications (the
//! scenario's `replications`, at most [`SEARCH_REPLICATIONS`]) with the
//! scenario's seed, so the staffings compared see the same clients (common
//! random numbers).
//! Targets on `wait_mean`, `service_level`, `abandon_rate` and
//! `satisfaction_mean` of all clients must hold in every slot with
//! arrivals (clients by the slot they arrive in) as well as over the run;
//! the other targets over the run.

use std::time::Instant;

use super::seed::{Seed, seed};
use super::{SlotGrid, Staffing, with_staffing};
use crate::analytic::erlang_c;
use crate::engine::stats::Estimate;
use crate::experiment::goals::{Attainment, TargetResult, attainment, check_targets};
use crate::experiment::{ScenarioSummary, run};
use crate::model::Model;
use crate::model::targets::{Goals, SLOT_TARGET_METRICS};

/// Rounds of adding servers without progress before a target is declared
/// out of reach.
pub const STALL_ROUNDS: usize = 4;

/// Most simulated evaluations one plan may take.
pub const MAX_EVALUATIONS: usize = 400;

/// Replications per evaluation during the search when the scenario asks
/// for more (the confirmation runs the scenario's own number).
pub const SEARCH_REPLICATIONS: u32 = 30;

/// Confirmation rounds at most (each on fresh streams).
pub const CONFIRM_ROUNDS: usize = 6;

/// Added to the seed for each confirmation round's fresh random streams.
pub const CONFIRM_SEED_OFFSET: u64 = 0x9E37_79B9_7F4A_7C15;

/// How to plan.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// Replications per evaluation during the search (default: the
    /// scenario's, at most [`SEARCH_REPLICATIONS`]).
    pub replications: Option<u32>,
}

/// The outcome of a plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every target holds with 95% confidence, also on fresh streams.
    Met,
    /// The search met every target, but the confirmation run on fresh
    /// streams did not (the listed targets).
    Unconfirmed(Vec<String>),
    /// No staffing tried meets these targets; the plan's staffing is the
    /// best found.
    Unreachable(Vec<String>),
}

impl Verdict {
    /// `met`, `unconfirmed` or `unreachable`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Unconfirmed(_) => "unconfirmed",
            Verdict::Unreachable(_) => "unreachable",
        }
    }
}

/// One target's check in one slot (or over the run).
#[derive(Clone, Debug, PartialEq)]
pub struct SlotCheck {
    /// Index into the goals' targets.
    pub target: usize,
    /// The slot, or `None` for the whole run.
    pub slot: Option<usize>,
    /// The estimate.
    pub estimate: Estimate,
    /// Whether it holds with 95% confidence.
    pub attainment: Attainment,
}

/// A finished plan.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The slots planned.
    pub grid: SlotGrid,
    /// The analytic starting plan.
    pub seed: Seed,
    /// The simulated plan (the best found when unreachable).
    pub staffing: Staffing,
    /// The verdict.
    pub verdict: Verdict,
    /// The search's last evaluation of the plan.
    pub search: ScenarioSummary,
    /// Each target with the analytic plan, simulated on the search's
    /// streams (`None` when the search stopped before simulating it).
    pub analytic_targets: Option<Vec<TargetResult>>,
    /// The confirmation on fresh streams (the reachability check's run when
    /// unreachable).
    pub confirmation: ScenarioSummary,
    /// Each target over the run, in the confirmation.
    pub targets: Vec<TargetResult>,
    /// Every failing per-slot check of the confirmation.
    pub slot_failures: Vec<SlotCheck>,
    /// Replications per evaluation during the search.
    pub replications: u32,
    /// Replications of the confirmation (the scenario's, at least the
    /// search's).
    pub confirm_replications: u32,
    /// Simulated evaluations, confirmation included.
    pub evaluations: usize,
    /// Wall-clock seconds of the whole plan.
    pub seconds: f64,
    /// Seed of the confirmation's streams.
    pub confirmation_seed: u64,
}

/// Runs staffings of one scenario and judges them against its targets.
struct Evaluator<'a> {
    model: &'a Model,
    goals: &'a Goals,
    grid: &'a SlotGrid,
    replications: u32,
    evaluations: usize,
    progress: &'a dyn Fn(&str),
}

/// A judged staffing.
struct Judged {
    summary: ScenarioSummary,
    checks: Vec<SlotCheck>,
}

impl Judged {
    fn failures(&self) -> impl Iterator<Item = &SlotCheck> {
        self.checks
            .iter()
            .filter(|c| c.attainment != Attainment::Met)
    }

    fn ok(&self) -> bool {
        self.failures().next().is_none()
    }

    /// The most negative slack, relative to the target's value, of any
    /// failing check (0 when none fails).
    fn worst(&self, goals: &Goals) -> f64 {
        self.failures()
            .map(|c| {
                let b = goals.targets[c.target].bound;
                let scale = b.value().abs().max(1e-9);
                (b.slack(c.estimate.mean) - c.estimate.ci95) / scale
            })
            .fold(0.0, f64::min)
    }
}

impl Evaluator<'_> {
    fn judge(&mut self, staffing: &Staffing, seed: u64, phase: &str) -> Judged {
        let mut m = with_staffing(self.model, self.grid, staffing);
        m.run.replications = self.replications;
        m.run.seed = seed;
        let summary = run(&m);
        self.evaluations += 1;
        let checks = self.checks(&summary);
        let failing = checks
            .iter()
            .filter(|c| c.attainment != Attainment::Met)
            .count();
        (self.progress)(&format!(
            "evaluation {}: {phase}, {} server-slots, {failing} checks failing",
            self.evaluations,
            staffing.iter().flatten().sum::<u32>()
        ));
        Judged { summary, checks }
    }

    fn checks(&self, summary: &ScenarioSummary) -> Vec<SlotCheck> {
        let mut out: Vec<SlotCheck> = check_targets(&self.goals.targets, summary)
            .into_iter()
            .enumerate()
            .map(|(i, r)| SlotCheck {
                target: i,
                slot: None,
                estimate: r.estimate,
                attainment: r.attainment,
            })
            .collect();
        if summary.slots.is_empty() {
            return out;
        }
        for (i, t) in self.goals.targets.iter().enumerate() {
            if t.segment.is_some() || !SLOT_TARGET_METRICS.contains(&t.metric) {
                continue;
            }
            for (s, e) in summary.slot_series(None, t.metric).into_iter().enumerate() {
                // A slot without arrivals (or too few to measure) is not judged.
                if self.grid.factors[s] <= 0.0 || e.n < 2 || !e.mean.is_finite() {
                    continue;
                }
                out.push(SlotCheck {
                    target: i,
                    slot: Some(s),
                    estimate: e,
                    attainment: attainment(t.bound, e),
                });
            }
        }
        out
    }
}

/// Mean queue length of tier `t` in slot `s` (0 when unknown).
fn slot_queue(summary: &ScenarioSummary, t: usize, s: usize) -> f64 {
    let q = summary
        .slot(s, Some(t), "queue_len_mean")
        .map_or(0.0, |e| e.mean);
    if q.is_finite() { q.max(0.0) } else { 0.0 }
}

/// Mean utilization of tier `t` in slot `s` (or over the run).
fn slot_utilization(summary: &ScenarioSummary, model: &Model, t: usize, s: usize) -> f64 {
    match summary.slot(s, Some(t), "utilization") {
        Some(e) => e.mean,
        None => summary
            .tier(&model.tiers[t].name, "utilization")
            .map_or(0.0, |e| e.mean),
    }
}

/// Plans the staffing of `model` for `goals`, reporting each evaluation to
/// `progress`.
pub fn plan(model: &Model, goals: &Goals, options: &PlanOptions, progress: &dyn Fn(&str)) -> Plan {
    let started = Instant::now();
    let grid = SlotGrid::of(model);
    let seed = seed(model, &grid, goals);
    let replications = options
        .replications
        .unwrap_or(model.run.replications.min(SEARCH_REPLICATIONS))
        .max(2);
    let confirm_replications = model.run.replications.max(replications);
    let mut ev = Evaluator {
        model,
        goals,
        grid: &grid,
        replications,
        evaluations: 0,
        progress,
    };
    let run_seed = model.run.seed;
    let staffable = grid.staffable();
    let max = goals.plan.max_servers;
    let hourly = |t: usize| goals.cost.as_ref().map_or(1.0, |c| c.hourly[t]);
    let staffed: Vec<usize> = (0..model.tiers.len())
        .filter(|&t| model.tiers[t].planned())
        .collect();
    let minimum = |t: usize, s: usize| -> u32 {
        match staffable[s] {
            Some(true) if seed.offered_load[t][s] > 0.0 => 1,
            _ => 0,
        }
    };
    let analytic_targets: std::cell::RefCell<Option<Vec<TargetResult>>> = Default::default();
    let finish = |ev: &Evaluator<'_>,
                  staffing: Staffing,
                  verdict: Verdict,
                  search: ScenarioSummary,
                  confirmation: Judged,
                  confirmation_seed: u64| {
        let targets = check_targets(&goals.targets, &confirmation.summary);
        let slot_failures = confirmation
            .checks
            .iter()
            .filter(|c| c.slot.is_some() && c.attainment != Attainment::Met)
            .cloned()
            .collect();
        Plan {
            grid: grid.clone(),
            seed: seed.clone(),
            staffing,
            verdict,
            search,
            analytic_targets: analytic_targets.borrow().clone(),
            confirmation: confirmation.summary,
            targets,
            slot_failures,
            replications,
            confirm_replications,
            evaluations: ev.evaluations,
            seconds: started.elapsed().as_secs_f64(),
            confirmation_seed,
        }
    };
    let labels = |j: &Judged, only_missed: bool| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in j.failures() {
            if only_missed && c.attainment != Attainment::Missed {
                continue;
            }
            let t = &goals.targets[c.target];
            let at = c.slot.map_or("over the run".to_string(), |s| {
                format!("in slot {}", grid.labels[s])
            });
            let line = format!(
                "{} {at}: best {:.4} ± {:.4}",
                t.label(),
                c.estimate.mean,
                c.estimate.ci95
            );
            if !out.contains(&line) {
                out.push(line);
            }
        }
        out
    };

    // 1. Reachability with a generous staffing.
    let mut generous = seed.staffing.clone();
    for &t in &staffed {
        for s in 0..grid.len() {
            if staffable[s] != Some(true) || seed.offered_load[t][s] <= 0.0 {
                continue;
            }
            let a = seed.offered_load[t][s];
            let mut c = (a.floor() as u32 + 1).max(generous[t][s]);
            while c < max && erlang_c(c, a) > 0.01 {
                c += 1;
            }
            generous[t][s] = c.min(max);
        }
    }
    let best = ev.judge(&generous, run_seed, "reachability check");
    let missed = labels(&best, true);
    if !missed.is_empty() {
        let summary = best.summary.clone();
        return finish(
            &ev,
            generous,
            Verdict::Unreachable(missed),
            summary,
            best,
            run_seed,
        );
    }

    // One round of adding: a server for every slot failing a per-slot
    // target, at the tier with the longest queue there; or, when only
    // whole-run targets fail, where the queue is longest over the day.
    let add = |current: &Judged, staffing: &mut Staffing| -> bool {
        let mut added = false;
        let mut slots: Vec<usize> = current.failures().filter_map(|c| c.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        if slots.is_empty() {
            // Only whole-run targets fail: where is the queue longest?
            let mut best = None;
            for &t in &staffed {
                for s in 0..grid.len() {
                    if staffable[s].is_none() || staffing[t][s] >= max {
                        continue;
                    }
                    let q = if grid.by_slot {
                        slot_queue(&current.summary, t, s)
                    } else {
                        current
                            .summary
                            .tier(&model.tiers[t].name, "queue_len_mean")
                            .map_or(0.0, |e| e.mean)
                    };
                    if best.is_none_or(|(bq, _, _)| q > bq) {
                        best = Some((q, t, s));
                    }
                }
            }
            if let Some((_, t, s)) = best {
                staffing[t][s] += 1;
                added = true;
            }
        } else {
            for &s in &slots {
                let tier = staffed
                    .iter()
                    .copied()
                    .filter(|&t| staffing[t][s] < max && seed.offered_load[t][s] > 0.0)
                    .max_by(|&a, &b| {
                        let key = |t: usize| {
                            (
                                slot_queue(&current.summary, t, s),
                                slot_utilization(&current.summary, model, t, s),
                                -hourly(t),
                            )
                        };
                        key(a)
                            .partial_cmp(&key(b))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    });
                if let Some(t) = tier {
                    staffing[t][s] += 1;
                    added = true;
                }
            }
        }
        added
    };

    // 2. Add servers until every target holds.
    let mut staffing = seed.staffing.clone();
    let mut current = ev.judge(&staffing, run_seed, "analytic plan");
    *analytic_targets.borrow_mut() = Some(check_targets(&goals.targets, &current.summary));
    let mut best_worst = current.worst(goals);
    let mut stalled = 0;
    while !current.ok() {
        let added = add(&current, &mut staffing);
        if added && ev.evaluations < MAX_EVALUATIONS {
            current = ev.judge(&staffing, run_seed, "adding servers");
            let worst = current.worst(goals);
            if worst > best_worst + 1e-9 {
                best_worst = worst;
                stalled = 0;
                continue;
            }
            stalled += 1;
            if stalled < STALL_ROUNDS || current.ok() {
                continue;
            }
        }
        // Nothing left to add, the evaluations ran out, or no progress for
        // STALL_ROUNDS rounds: the targets are out of reach.
        let why = labels(&current, false);
        let summary = current.summary.clone();
        return finish(
            &ev,
            staffing,
            Verdict::Unreachable(why),
            summary,
            current,
            run_seed,
        );
    }

    // 3. Remove server-slots while every target holds.
    let mut rejected: Vec<(usize, usize)> = Vec::new();
    loop {
        let mut candidates: Vec<(usize, usize)> = staffed
            .iter()
            .flat_map(|&t| (0..grid.len()).map(move |s| (t, s)))
            .filter(|&(t, s)| staffing[t][s] > minimum(t, s) && !rejected.contains(&(t, s)))
            .collect();
        if candidates.is_empty() || ev.evaluations >= MAX_EVALUATIONS {
            break;
        }
        candidates.sort_by(|&(ta, sa), &(tb, sb)| {
            hourly(tb).total_cmp(&hourly(ta)).then(
                slot_utilization(&current.summary, model, ta, sa).total_cmp(&slot_utilization(
                    &current.summary,
                    model,
                    tb,
                    sb,
                )),
            )
        });
        let (t, s) = candidates[0];
        staffing[t][s] -= 1;
        let trial = ev.judge(&staffing, run_seed, "removing servers");
        if trial.ok() {
            current = trial;
        } else {
            staffing[t][s] += 1;
            rejected.push((t, s));
        }
    }

    // 4. Confirm on fresh streams; a plan that fails there gets one more
    // round of servers and a confirmation on yet other streams.
    let mut confirmation_seed = run_seed;
    let mut confirmation;
    let mut round = 0;
    ev.replications = confirm_replications;
    loop {
        round += 1;
        confirmation_seed = confirmation_seed.wrapping_add(CONFIRM_SEED_OFFSET);
        confirmation = ev.judge(&staffing, confirmation_seed, "confirmation");
        if confirmation.ok() || round >= CONFIRM_ROUNDS || !add(&confirmation, &mut staffing) {
            break;
        }
    }
    let verdict = if confirmation.ok() {
        Verdict::Met
    } else {
        Verdict::Unconfirmed(labels(&confirmation, false))
    };
    let search = current.summary;
    finish(
        &ev,
        staffing,
        verdict,
        search,
        confirmation,
        confirmation_seed,
    )
}
