//! Evaluating a staffing in the search: simulate it on the search's
//! streams and judge every target, over the run and per slot.

use super::groups::{Trial, with_groups};
use super::search::SlotCheck;
use super::{SlotGrid, with_staffing};
use crate::experiment::goals::{Attainment, attainment, check_targets};
use crate::experiment::{ScenarioSummary, run};
use crate::model::Model;
use crate::model::targets::{Goals, SLOT_TARGET_METRICS};

/// Runs staffings of one scenario and judges them against its targets.
pub(super) struct Evaluator<'a> {
    pub(super) model: &'a Model,
    pub(super) goals: &'a Goals,
    pub(super) grid: &'a SlotGrid,
    pub(super) replications: u32,
    pub(super) evaluations: usize,
    pub(super) progress: &'a dyn Fn(&str),
}

/// A judged staffing.
pub(super) struct Judged {
    pub(super) summary: ScenarioSummary,
    pub(super) checks: Vec<SlotCheck>,
}

impl Judged {
    pub(super) fn failures(&self) -> impl Iterator<Item = &SlotCheck> {
        self.checks
            .iter()
            .filter(|c| c.attainment != Attainment::Met)
    }

    pub(super) fn ok(&self) -> bool {
        self.failures().next().is_none()
    }

    /// The most negative slack, relative to the target's value, of any
    /// failing check (0 when none fails).
    pub(super) fn worst(&self, goals: &Goals) -> f64 {
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
    pub(super) fn judge(&mut self, trial: &Trial, seed: u64, phase: &str) -> Judged {
        let staffing = &trial.tiers;
        let mut m = with_staffing(self.model, self.grid, staffing);
        with_groups(&mut m, self.grid, trial);
        m.run.replications = self.replications;
        m.run.seed = seed;
        let summary = run(&m);
        self.evaluations += 1;
        let checks = self.checks(&summary);
        let failing = checks
            .iter()
            .filter(|c| c.attainment != Attainment::Met)
            .count();
        let agents = if trial.groups.iter().all(Vec::is_empty) {
            String::new()
        } else {
            format!(", {} agents in groups", trial.group_agents())
        };
        (self.progress)(&format!(
            "evaluation {}: {phase}, {} server-slots{agents}, {failing} checks failing",
            self.evaluations,
            staffing.iter().flatten().sum::<u32>()
        ));
        Judged { summary, checks }
    }

    /// Every check of `summary`: each target over the run, then each
    /// per-slot target in every slot with arrivals.
    pub(super) fn checks(&self, summary: &ScenarioSummary) -> Vec<SlotCheck> {
        // `--day-quantile Q`: the overall targets on the Q-quantile day
        // (the slot targets stay on the slots' means over days).
        let judged = crate::experiment::days::judged(self.model, summary);
        let mut out: Vec<SlotCheck> = check_targets(&self.goals.targets, &judged)
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

/// Whether `trial` meets every target of `goals` over the run and in
/// every slot, as the search judges it: `model` with the trial's staffing,
/// `replications` replications on `seed`'s streams. For tests of a plan's
/// minimality.
pub fn meets(model: &Model, goals: &Goals, trial: &Trial, replications: u32, seed: u64) -> bool {
    let grid = SlotGrid::of(model);
    let mut ev = Evaluator {
        model,
        goals,
        grid: &grid,
        replications,
        evaluations: 0,
        progress: &|_| {},
    };
    ev.judge(trial, seed, "check").ok()
}

/// Mean queue length of tier `t` in slot `s` (0 when unknown).
pub(super) fn slot_queue(summary: &ScenarioSummary, t: usize, s: usize) -> f64 {
    let q = summary
        .slot(s, Some(t), "queue_len_mean")
        .map_or(0.0, |e| e.mean);
    if q.is_finite() { q.max(0.0) } else { 0.0 }
}

/// Utilization of agent group `name` (`tier.group`) over the run (0 when
/// unknown).
pub(super) fn group_utilization(summary: &ScenarioSummary, name: &str) -> f64 {
    summary
        .agents
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, m)| m.iter().find(|(k, _)| *k == "utilization"))
        .map_or(0.0, |(_, e)| if e.mean.is_finite() { e.mean } else { 0.0 })
}

/// Mean utilization of tier `t` in slot `s` (or over the run).
pub(super) fn slot_utilization(
    summary: &ScenarioSummary,
    model: &Model,
    t: usize,
    s: usize,
) -> f64 {
    match summary.slot(s, Some(t), "utilization") {
        Some(e) => e.mean,
        None => summary
            .tier(&model.tiers[t].name, "utilization")
            .map_or(0.0, |e| e.mean),
    }
}
