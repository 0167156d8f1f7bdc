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

use super::evaluate::{Evaluator, Judged, slot_queue, slot_utilization};
use super::groups::{GroupPlan, Trial, Unit, analytic_trial, group_plans, grouped};
use super::seed::{Seed, seed};
use super::{SlotGrid, Staffing};
use crate::analytic::erlang_c;
use crate::engine::stats::Estimate;
use crate::experiment::ScenarioSummary;
use crate::experiment::goals::{Attainment, TargetResult, check_targets};
use crate::model::Model;
use crate::model::targets::Goals;

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
    /// Every agent group with its planned agents (empty without groups).
    pub groups: Vec<GroupPlan>,
    /// The verdict.
    pub verdict: Verdict,
    /// The staffing the search ended with, before any confirmation round
    /// added to it: the one that is locally minimal on the search's
    /// streams (the plan's own when the search stopped early).
    pub searched: Trial,
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

impl Plan {
    /// What a met verdict can claim. A target whose value did not vary over
    /// the confirmation's replications (each gave the same value, e.g. a
    /// service level of 1) has a Student-t interval of width 0, which
    /// claims nothing at 95%: for such targets only that they held in every
    /// replication is claimed.
    pub fn met_claim(&self) -> String {
        let flat: Vec<String> = self
            .targets
            .iter()
            .filter(|t| t.estimate.ci95 == 0.0)
            .map(|t| format!("{}.{}", t.target.group, t.target.metric))
            .collect();
        if flat.is_empty() {
            return "every target holds with 95% confidence, confirmed on fresh random streams"
                .into();
        }
        format!(
            "every target holds on fresh random streams; {} did not vary over the {} replications \
             of the confirmation (each gave the same value), so for {} no 95% interval exists and \
             only that it held in every replication is claimed (more --replications may show its \
             spread)",
            flat.join(", "),
            self.confirm_replications,
            if flat.len() == 1 { "it" } else { "them" }
        )
    }
}

/// Plans the staffing of `model` for `goals`, reporting each evaluation to
/// `progress`.
pub fn plan(model: &Model, goals: &Goals, options: &PlanOptions, progress: &dyn Fn(&str)) -> Plan {
    let started = Instant::now();
    let grid = SlotGrid::of(model);
    let seed = seed(model, &grid, goals);
    let groups = group_plans(model, &grid, goals);
    let replications = options
        .replications
        .unwrap_or(model.run.replications.min(SEARCH_REPLICATIONS))
        .max(2);
    let mut search = Search {
        ev: Evaluator {
            model,
            goals,
            grid: &grid,
            replications,
            evaluations: 0,
            progress,
        },
        model,
        goals,
        grid: &grid,
        staffable: grid.staffable(),
        staffed: (0..model.tiers.len())
            .filter(|&t| model.tiers[t].planned() || grouped(model, t))
            .collect(),
        seed: &seed,
        groups,
        started,
        replications,
        confirm_replications: model.run.replications.max(replications),
        analytic_targets: None,
        searched: None,
    };
    search.run()
}

/// One search: its evaluator, what it searches over, and what it has
/// learnt on the way (the analytic plan's attainment).
pub(super) struct Search<'a> {
    pub(super) ev: Evaluator<'a>,
    pub(super) model: &'a Model,
    pub(super) goals: &'a Goals,
    pub(super) grid: &'a SlotGrid,
    /// Per slot: `Some(true)` when clients can arrive and staff be planned.
    pub(super) staffable: Vec<Option<bool>>,
    /// The planned tiers (per slot, or per agent group), in model order.
    pub(super) staffed: Vec<usize>,
    pub(super) seed: &'a Seed,
    /// The agent groups planned, with why each has no fewer agents.
    pub(super) groups: Vec<GroupPlan>,
    started: Instant,
    replications: u32,
    confirm_replications: u32,
    /// The analytic plan's target attainment, once it has been simulated.
    analytic_targets: Option<Vec<TargetResult>>,
    /// The staffing the search ended with, before the confirmation.
    searched: Option<Trial>,
}

/// How the search ended early: the staffing, the verdict and the judged
/// run that shows why.
type Stop = Box<(Trial, Verdict, Judged)>;

impl Search<'_> {
    /// The four phases in turn; a phase that finds the targets out of reach
    /// ends the search.
    fn run(&mut self) -> Plan {
        if let Err(stop) = self.reachability() {
            let (staffing, verdict, best) = *stop;
            return self.finish(
                staffing,
                verdict,
                best.summary.clone(),
                best,
                self.run_seed(),
            );
        }
        let mut staffing = analytic_trial(self.model, &self.groups, &self.seed.staffing);
        let current = match self.add_until_met(&mut staffing) {
            Ok(current) => current,
            Err(stop) => {
                let (staffing, verdict, current) = *stop;
                let summary = current.summary.clone();
                return self.finish(staffing, verdict, summary, current, self.run_seed());
            }
        };
        let mut current = self.remove_while_met(&mut staffing, current);
        loop {
            let (traded, changed) = self.trade_while_cheaper(&mut staffing, current);
            current = traded;
            if !changed {
                break;
            }
            current = self.remove_while_met(&mut staffing, current);
        }
        self.searched = Some(staffing.clone());
        let (confirmation, confirmation_seed) = self.confirm(&mut staffing);
        let verdict = if confirmation.ok() {
            Verdict::Met
        } else {
            Verdict::Unconfirmed(self.labels(&confirmation, false))
        };
        self.finish(
            staffing,
            verdict,
            current.summary,
            confirmation,
            confirmation_seed,
        )
    }

    fn run_seed(&self) -> u64 {
        self.model.run.seed
    }

    pub(super) fn hourly(&self, t: usize) -> f64 {
        self.goals.cost.as_ref().map_or(1.0, |c| c.hourly[t])
    }

    /// Phase 1, reachability: a generous staffing simulated once.
    fn reachability(&mut self) -> Result<(), Stop> {
        let max = self.goals.plan.max_servers;
        let mut generous = analytic_trial(self.model, &self.groups, &self.seed.staffing);
        for p in &self.groups {
            if p.by_slot() {
                generous.group_slots[p.tier][p.group] = p.generous_slots(max);
            } else {
                generous.groups[p.tier][p.group] = p.generous(max);
            }
        }
        for &t in &self.staffed {
            // A grouped tier has no slots here: its groups are above.
            let slots = generous.tiers[t]
                .iter_mut()
                .enumerate()
                .take(self.grid.len());
            for (s, servers) in slots {
                let a = self.seed.offered_load[t][s];
                if self.staffable[s] != Some(true) || a <= 0.0 {
                    continue;
                }
                let mut c = (a.floor() as u32 + 1).max(*servers);
                while c < max && erlang_c(c, a) > 0.01 {
                    c += 1;
                }
                *servers = c.min(max);
            }
        }
        let best = self
            .ev
            .judge(&generous, self.run_seed(), "reachability check");
        let missed = self.labels(&best, true);
        if missed.is_empty() {
            Ok(())
        } else {
            Err(Box::new((generous, Verdict::Unreachable(missed), best)))
        }
    }

    /// Phase 2: add servers until every target holds.
    fn add_until_met(&mut self, staffing: &mut Trial) -> Result<Judged, Stop> {
        let mut current = self.ev.judge(staffing, self.run_seed(), "analytic plan");
        let judged = crate::experiment::days::judged(self.model, &current.summary);
        self.analytic_targets = Some(check_targets(&self.goals.targets, &judged));
        let mut best_worst = current.worst(self.goals);
        let mut stalled = 0;
        while !current.ok() {
            let added = self.add(&current, staffing);
            if added && self.ev.evaluations < MAX_EVALUATIONS {
                current = self.ev.judge(staffing, self.run_seed(), "adding servers");
                let worst = current.worst(self.goals);
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
            // Nothing left to add, the evaluations ran out, or no progress
            // for STALL_ROUNDS rounds: the targets are out of reach.
            let why = self.labels(&current, false);
            return Err(Box::new((
                staffing.clone(),
                Verdict::Unreachable(why),
                current,
            )));
        }
        Ok(current)
    }

    /// Phase 3: remove server-slots (and agents of groups) while every
    /// target holds. A group's rejected removal is its `why_not_fewer`.
    fn remove_while_met(&mut self, staffing: &mut Trial, mut current: Judged) -> Judged {
        let mut rejected: Vec<Unit> = Vec::new();
        for p in &mut self.groups {
            p.why_not_fewer = if p.by_slot() {
                format!(
                    "at its minimum in every slot ({} agents where it has load)",
                    p.minimum
                )
            } else {
                format!("at its minimum ({} agents)", p.minimum)
            };
        }
        loop {
            let mut candidates: Vec<Unit> = self
                .units()
                .into_iter()
                .filter(|&u| staffing.get(u) > self.minimum(u) && !rejected.contains(&u))
                .collect();
            if candidates.is_empty() || self.ev.evaluations >= MAX_EVALUATIONS {
                return current;
            }
            candidates.sort_by(|&a, &b| {
                self.rate(b).total_cmp(&self.rate(a)).then(
                    self.utilization(&current, a)
                        .total_cmp(&self.utilization(&current, b)),
                )
            });
            let unit = candidates[0];
            *staffing.at(unit) -= 1;
            let trial = self.ev.judge(staffing, self.run_seed(), "removing servers");
            if trial.ok() {
                current = trial;
            } else {
                *staffing.at(unit) += 1;
                rejected.push(unit);
                if let Unit::Group(t, g) = unit {
                    let why = self.labels(&trial, false).join("; ");
                    let i = self.groups.iter().position(|p| (p.tier, p.group) == (t, g));
                    if let Some(i) = i {
                        self.groups[i].why_not_fewer =
                            format!("one agent fewer fails on the search's streams: {why}");
                    }
                }
                if let Unit::GroupSlot(t, g, _) = unit {
                    let i = self.groups.iter().position(|p| (p.tier, p.group) == (t, g));
                    if let Some(i) = i {
                        self.groups[i].why_not_fewer = "one agent fewer in any slot above its \
                             minimum fails a target on the search's streams"
                            .into();
                    }
                }
            }
        }
    }

    /// Phase 4: confirm on fresh streams; a plan that fails there gets one
    /// more round of servers and a confirmation on yet other streams.
    fn confirm(&mut self, staffing: &mut Trial) -> (Judged, u64) {
        let mut confirmation_seed = self.run_seed();
        let mut round = 0;
        self.ev.replications = self.confirm_replications;
        loop {
            round += 1;
            confirmation_seed = confirmation_seed.wrapping_add(CONFIRM_SEED_OFFSET);
            let confirmation = self.ev.judge(staffing, confirmation_seed, "confirmation");
            let before = staffing.clone();
            if confirmation.ok() || round >= CONFIRM_ROUNDS || !self.add(&confirmation, staffing) {
                return (confirmation, confirmation_seed);
            }
            for p in &mut self.groups {
                let (t, g) = (p.tier, p.group);
                if staffing.groups[t][g] > before.groups[t][g]
                    || staffing.group_slots[t][g] != before.group_slots[t][g]
                {
                    p.why_not_fewer = format!(
                        "added by confirmation round {round} on fresh streams (a target was not \
                         met there with one agent fewer)"
                    );
                }
            }
        }
    }

    /// One round of adding: a server for every slot failing a per-slot
    /// target, at the tier with the longest queue there; or, when only
    /// whole-run targets fail, where the queue is longest over the day.
    fn add(&self, current: &Judged, staffing: &mut Trial) -> bool {
        let mut slots: Vec<usize> = current.failures().filter_map(|c| c.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        if slots.is_empty() {
            return match self.longest_queue(current, staffing) {
                Some(unit) => {
                    *staffing.at(unit) += 1;
                    true
                }
                None => false,
            };
        }
        let mut added = false;
        // A group's agents serve every slot: one more per round at most.
        let mut grown: Vec<usize> = Vec::new();
        for &s in &slots {
            let key = |t: usize| {
                (
                    slot_queue(&current.summary, t, s),
                    slot_utilization(&current.summary, self.model, t, s),
                    -self.hourly(t),
                )
            };
            let tier = self
                .staffed
                .iter()
                .copied()
                .filter(|&t| !grown.contains(&t) && self.has_load(t, s))
                .filter(|&t| self.unit_to_add(current, staffing, t, s).is_some())
                .max_by(|&a, &b| {
                    key(a)
                        .partial_cmp(&key(b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            if let Some(unit) = tier.and_then(|t| self.unit_to_add(current, staffing, t, s)) {
                *staffing.at(unit) += 1;
                added = true;
                // A group staffed by `shifts` grows slot by slot, as a tier.
                if let Unit::Group(t, _) = unit {
                    grown.push(t);
                }
            }
        }
        added
    }

    /// Where the queue is longest (tier, slot) among those that may take
    /// another server: per slot with a calendar, over the run without.
    fn longest_queue(&self, current: &Judged, staffing: &Trial) -> Option<Unit> {
        let mut best = None;
        for &t in &self.staffed {
            for s in 0..self.grid.len() {
                let unit = self.unit_to_add(current, staffing, t, s);
                if self.staffable[s].is_none() || unit.is_none() {
                    continue;
                }
                let q = if self.grid.by_slot {
                    slot_queue(&current.summary, t, s)
                } else {
                    current
                        .summary
                        .tier(&self.model.tiers[t].name, "queue_len_mean")
                        .map_or(0.0, |e| e.mean)
                };
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, unit));
                }
            }
        }
        best.and_then(|(_, unit)| unit)
    }

    /// The failing (or, with `only_missed`, the missed) targets in words,
    /// each once.
    pub(super) fn labels(&self, j: &Judged, only_missed: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in j.failures() {
            if only_missed && c.attainment != Attainment::Missed {
                continue;
            }
            let t = &self.goals.targets[c.target];
            let at = c.slot.map_or("over the run".to_string(), |s| {
                format!("in slot {}", self.grid.labels[s])
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
    }

    /// The plan: the staffing with its verdict, the search's last judged
    /// run and the confirmation that decided.
    fn finish(
        &self,
        staffing: Trial,
        verdict: Verdict,
        search: ScenarioSummary,
        confirmation: Judged,
        confirmation_seed: u64,
    ) -> Plan {
        let judged = crate::experiment::days::judged(self.model, &confirmation.summary);
        let targets = check_targets(&self.goals.targets, &judged);
        let slot_failures = confirmation
            .checks
            .iter()
            .filter(|c| c.slot.is_some() && c.attainment != Attainment::Met)
            .cloned()
            .collect();
        let mut groups = self.groups.clone();
        for p in &mut groups {
            if p.by_slot() {
                p.slots = staffing.group_slots[p.tier][p.group].clone();
                p.servers = p.slots.iter().copied().max().unwrap_or(0);
            } else {
                p.servers = staffing.groups[p.tier][p.group];
            }
        }
        Plan {
            searched: self.searched.clone().unwrap_or_else(|| staffing.clone()),
            grid: self.grid.clone(),
            seed: self.seed.clone(),
            staffing: staffing.tiers,
            groups,
            verdict,
            search,
            analytic_targets: self.analytic_targets.clone(),
            confirmation: confirmation.summary,
            targets,
            slot_failures,
            replications: self.replications,
            confirm_replications: self.confirm_replications,
            evaluations: self.ev.evaluations,
            seconds: self.started.elapsed().as_secs_f64(),
            confirmation_seed,
        }
    }
}
