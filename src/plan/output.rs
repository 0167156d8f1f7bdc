//! The files of a plan, in its output folder (default
//! `output/<scenario>-plan/`), each written atomically:
//!
//! - `plan.json`: `{"tool", "version", "plan": {"scenario", "file",
//!   "verdict": "met" | "unconfirmed" | "unreachable", "reasons": [..],
//!   "replications", "confirm_replications", "evaluations", "seed", "confirmation_seed",
//!   "slot_minutes", "labels": [..], "open_days": [..],
//!   "tiers": {"<tier>": {"hourly", "formula", "beta", "offered_load": [..],
//!   "analytic": [..], "square_root": [..], "plan": [..], "coverage": [..],
//!   "shifts": [{"start", "end", "length_minutes", "servers"}]}},
//!   "cost": {"analytic_per_week", "plan_per_week", "shifts_per_week",
//!   "shift_starts_per_week", "over_staffing_hours_per_week",
//!   "gap_to_lower_bound"}, "targets": [..], "slot_failures": [..],
//!   "overall": {"<metric>": {"mean", "ci95"}}}}`; servers per slot of the
//!   day, costs per week of the open days; `targets` and `overall` from the
//!   confirmation run on fresh streams; `today` and `decision`
//!   ([`super::decide::Decision`]) beside them. With agent groups, `groups` (one
//!   key `<tier>.<group>` each, [`super::group_output::GroupRow`]), in the
//!   `cost` totals too.
//! - `staffing.csv`: one row per slot and staffed tier: `slot`, `tier`,
//!   `offered_load`, `analytic`, `square_root`, `plan`, `shifts`.
//! - `<scenario>-plan.toml`: the scenario with the planned staffing, ready
//!   to `tiersim run` ([`super::planned_scenario`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::shifts::ShiftPlan;
use super::{Plan, Staffing};
use crate::error::Error;
use crate::experiment::goals::Attainment;
use crate::model::Model;
use crate::report::csv::{Cell, write_rows};
use crate::report::format::{MeanCi, Metrics, Ordered, nullable, nullables};
use crate::report::goals::{TargetRow, target_rows};
use crate::report::json::document;
use crate::report::write_atomic;
use crate::scenario::Goals;

use super::decide::Decision;
use super::group_output::{GroupRow, group_rows};
use super::headcount::Headcount;
use super::people::People;
use super::roster::RosterSummary;
use super::today::Today;

/// Cost per week of the plans of one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct WeeklyCost {
    /// The analytic plan, per slot (no shift starts).
    pub analytic: f64,
    /// The simulated per-slot plan (no shift starts): the lower bound.
    pub plan: f64,
    /// The whole shifts, with their starts.
    pub shifts: f64,
    /// Of which shift starts.
    pub shift_starts: f64,
    /// Server-hours a week beyond the per-slot plan.
    pub over_staffing_hours: f64,
    /// Per staffed tier: (name, per-slot plan, shifts), per week.
    pub tiers: Vec<(String, f64, f64)>,
    /// Per agent group (`tier.group`): (name, plan, shifts), per week;
    /// in the totals above.
    pub groups: Vec<(String, f64, f64)>,
}

impl WeeklyCost {
    /// Whether the costs cover tier `name` (as a tier or by its groups).
    pub fn covers(&self, name: &str) -> bool {
        self.tiers.iter().any(|(n, _, _)| n == name)
            || self
                .groups
                .iter()
                .any(|(n, _, _)| n.strip_prefix(name).is_some_and(|g| g.starts_with('.')))
    }

    /// The shifts' cost over the per-slot plan's, less one (0 when equal).
    pub fn gap(&self) -> f64 {
        if self.plan > 0.0 {
            self.shifts / self.plan - 1.0
        } else {
            0.0
        }
    }
}

/// Weekly cost of `plan` and its `shifts` (one per tier in model order,
/// `None` for a chatbot), and of its agent groups with their
/// `group_shifts` (in the order of `plan.groups`).
pub fn weekly_cost(
    model: &Model,
    goals: &Goals,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
    group_shifts: &[ShiftPlan],
) -> WeeklyCost {
    let days = plan.grid.open_days_per_week();
    let hours = plan.grid.slot_hours();
    let hourly = |t: usize| goals.cost.as_ref().map_or(0.0, |c| c.hourly[t]);
    let per_week = |staffing: &Staffing, t: usize| {
        staffing[t].iter().map(|&c| f64::from(c)).sum::<f64>() * hours * hourly(t) * days
    };
    let mut out = WeeklyCost {
        analytic: 0.0,
        plan: 0.0,
        shifts: 0.0,
        shift_starts: 0.0,
        over_staffing_hours: 0.0,
        tiers: Vec::new(),
        groups: Vec::new(),
    };
    for (t, tier) in model.tiers.iter().enumerate() {
        let Some(s) = &shifts[t] else { continue };
        let planned = per_week(&plan.staffing, t);
        out.analytic += per_week(&plan.seed.staffing, t);
        out.plan += planned;
        out.shifts += s.cost_per_day * days;
        let starts: u32 = s.shifts.iter().map(|x| x.2).sum();
        out.shift_starts +=
            f64::from(starts) * goals.cost.as_ref().map_or(0.0, |c| c.shift_start) * days;
        out.over_staffing_hours += s.over_staffing_hours * days;
        out.tiers
            .push((tier.name.clone(), planned, s.cost_per_day * days));
    }
    // Agent groups staffed by `servers` are on duty every day of the week;
    // those staffed by `shifts` on the open days.
    for (p, s) in plan.groups.iter().zip(group_shifts) {
        let days = p.days_per_week(&plan.grid);
        let planned = p.planned_cost(&plan.grid);
        out.analytic += p.analytic_cost(&plan.grid);
        out.plan += planned;
        out.shifts += s.cost_per_day * days;
        let starts: u32 = s.shifts.iter().map(|x| x.2).sum();
        out.shift_starts +=
            f64::from(starts) * goals.cost.as_ref().map_or(0.0, |c| c.shift_start) * days;
        out.over_staffing_hours += s.over_staffing_hours * days;
        out.groups
            .push((p.name.clone(), planned, s.cost_per_day * days));
    }
    out
}

/// `HH:MM` of minute `m` of the day (wrapping past midnight).
pub fn clock(m: u32) -> String {
    let m = m % 1440;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The shifts of a tier as the per-slot requirement on the shift grid: the
/// plan's slots, or 24 hourly slots for a one-slot (all-day) plan.
pub fn shift_requirement(plan: &Plan, tier: usize) -> (Vec<u32>, u32) {
    if plan.grid.by_slot {
        (plan.staffing[tier].clone(), plan.grid.slot_minutes)
    } else {
        (vec![plan.staffing[tier][0]; 24], 60)
    }
}

/// One whole shift of a tier in `plan.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftRow {
    /// `HH:MM` start.
    pub start: String,
    /// `HH:MM` end (wrapping past midnight).
    pub end: String,
    /// Length in minutes.
    pub length_minutes: u32,
    /// Servers on it.
    pub servers: u32,
}

/// One staffed tier's plan in `plan.json`, one value per slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierPlan {
    /// Cost per server on duty per hour (`null` without `[cost]`).
    #[serde(with = "nullable")]
    pub hourly: f64,
    /// The analytic formula used.
    pub formula: String,
    /// The square-root staffing β.
    #[serde(with = "nullable")]
    pub beta: f64,
    /// Offered load (Erlangs) per slot.
    #[serde(with = "nullables")]
    pub offered_load: Vec<f64>,
    /// Analytic servers per slot.
    pub analytic: Vec<u32>,
    /// Square-root staffing per slot.
    pub square_root: Vec<u32>,
    /// The simulated plan per slot.
    pub plan: Vec<u32>,
    /// Servers the whole shifts put on duty per slot.
    pub coverage: Vec<u32>,
    /// The whole shifts.
    pub shifts: Vec<ShiftRow>,
}

/// The `cost` block of `plan.json`, per week of the open days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanCost {
    /// The analytic plan, per slot.
    #[serde(with = "nullable")]
    pub analytic_per_week: f64,
    /// The simulated per-slot plan (the lower bound).
    #[serde(with = "nullable")]
    pub plan_per_week: f64,
    /// The whole shifts.
    #[serde(with = "nullable")]
    pub shifts_per_week: f64,
    /// Of which shift starts.
    #[serde(with = "nullable")]
    pub shift_starts_per_week: f64,
    /// Server-hours beyond the per-slot plan.
    #[serde(with = "nullable")]
    pub over_staffing_hours_per_week: f64,
    /// The shifts' cost over the per-slot plan's, less one.
    #[serde(with = "nullable")]
    pub gap_to_lower_bound: f64,
}

/// A failing per-slot check of the confirmation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlotFailure {
    /// `HH:MM` of the slot, or `null` for the whole run.
    pub slot: Option<String>,
    /// The metric.
    pub metric: String,
    /// `>=` or `<=`.
    pub bound: String,
    /// The bound's value.
    pub value: f64,
    /// The confirmation's mean.
    #[serde(with = "nullable")]
    pub mean: f64,
    /// Its 95% half-width.
    #[serde(with = "nullable")]
    pub ci95: f64,
    /// `met`, `missed` or `uncertain`.
    pub attainment: Attainment,
}

/// The body of `plan.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDocument {
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub file: String,
    /// `met`, `unconfirmed` or `unreachable`.
    pub verdict: String,
    /// Why not met.
    pub reasons: Vec<String>,
    /// Replications per evaluation of the search.
    pub replications: u32,
    /// Replications of the confirmation.
    pub confirm_replications: u32,
    /// Simulated evaluations.
    pub evaluations: usize,
    /// Scenario seed.
    pub seed: u64,
    /// Seed of the confirmation's streams.
    pub confirmation_seed: u64,
    /// Minutes per slot.
    pub slot_minutes: u32,
    /// Slot start times.
    pub labels: Vec<String>,
    /// Days the plan is for.
    pub open_days: Vec<String>,
    /// Per staffed tier.
    pub tiers: Ordered<TierPlan>,
    /// Cost per week.
    pub cost: PlanCost,
    /// Each target over the run, in the confirmation.
    pub targets: Vec<TargetRow>,
    /// Failing per-slot checks of the confirmation.
    pub slot_failures: Vec<SlotFailure>,
    /// The scenario's own staffing beside the plan (absent in files written
    /// before it was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<Today>,
    /// Keep today's staffing or take the plan, with the sentence that says
    /// so (absent in files written before it was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The confirmation's metrics of all clients.
    pub overall: Metrics,
    /// People per staffed tier: shift hours, shrinkage, FTE, headcount
    /// (absent in files written before it was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headcount: Option<Ordered<Headcount>>,
    /// The roster's size per staffed tier, with `plan --roster`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<Ordered<RosterSummary>>,
    /// Per agent group (`tier.group`): its planned agents, cost and why no
    /// fewer (absent without groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Ordered<GroupRow>>,
    /// `--day-quantile Q`: the share Q of days whose figures the overall
    /// targets on service level, abandonment and mean wait were judged on
    /// (absent without the flag, and in files written before it was added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_quantile: Option<f64>,
}

/// `plan.json`, read back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanFile {
    /// Always `tiersim`.
    pub tool: String,
    /// The version that wrote it.
    pub version: String,
    /// The plan.
    pub plan: PlanDocument,
}

/// One staffed tier's plan.
fn tier_plan(goals: &Goals, plan: &Plan, t: usize, s: &ShiftPlan) -> TierPlan {
    TierPlan {
        hourly: goals.cost.as_ref().map_or(f64::NAN, |c| c.hourly[t]),
        formula: plan.seed.formula[t].to_string(),
        beta: plan.seed.beta[t],
        offered_load: plan.seed.offered_load[t].clone(),
        analytic: plan.seed.staffing[t].clone(),
        square_root: plan.seed.square_root[t].clone(),
        plan: plan.staffing[t].clone(),
        coverage: s.coverage.clone(),
        shifts: s
            .shifts
            .iter()
            .map(|&(start, length, servers)| ShiftRow {
                start: clock(start),
                end: clock(start + length),
                length_minutes: length,
                servers,
            })
            .collect(),
    }
}

/// What `plan.json` puts beside the plan: today's staffing, the people
/// and the agent groups' shifts.
#[derive(Clone, Copy, Debug)]
pub struct Beside<'a> {
    /// The scenario's own staffing on the plan's streams.
    pub today: &'a Today,
    /// Today against the plan.
    pub decision: &'a Decision,
    /// Headcount and rosters.
    pub people: &'a People,
    /// The groups' whole shifts, in the order of `plan.groups`.
    pub group_shifts: &'a [ShiftPlan],
}

/// `plan.json`.
pub fn plan_json(
    file: &str,
    model: &Model,
    goals: &Goals,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
    cost: &WeeklyCost,
    beside: Beside,
) -> String {
    let (today, people) = (beside.today, beside.people);
    let reasons = match &plan.verdict {
        super::Verdict::Met => Vec::new(),
        super::Verdict::Unconfirmed(r) | super::Verdict::Unreachable(r) => r.clone(),
    };
    let tiers = model
        .tiers
        .iter()
        .enumerate()
        .filter_map(|(t, tier)| {
            let s = shifts[t].as_ref()?;
            Some((tier.name.clone(), tier_plan(goals, plan, t, s)))
        })
        .collect();
    let doc = PlanDocument {
        scenario: model.name.clone(),
        file: file.to_string(),
        verdict: plan.verdict.as_str().to_string(),
        reasons,
        replications: plan.replications,
        confirm_replications: plan.confirm_replications,
        evaluations: plan.evaluations,
        seed: model.run.seed,
        confirmation_seed: plan.confirmation_seed,
        slot_minutes: plan.grid.slot_minutes,
        labels: plan.grid.labels.clone(),
        open_days: plan
            .grid
            .open_day_names()
            .into_iter()
            .map(|d| d.to_string())
            .collect(),
        tiers,
        cost: PlanCost::of(cost),
        targets: target_rows(&plan.targets),
        slot_failures: slot_failures(goals, plan),
        today: Some(today.clone()),
        decision: Some(beside.decision.clone()),
        overall: plan
            .confirmation
            .overall
            .iter()
            .map(|(name, e)| (name.to_string(), MeanCi::from(*e)))
            .collect(),
        headcount: Some(people.headcount.clone()),
        roster: people.roster_summaries(),
        groups: (!plan.groups.is_empty()).then(|| group_rows(plan, beside.group_shifts)),
        day_quantile: model.run.day_quantile,
    };
    document("plan", &doc)
}

/// The slots (or the whole week) whose targets the confirmation missed.
fn slot_failures(goals: &Goals, plan: &Plan) -> Vec<SlotFailure> {
    plan.slot_failures
        .iter()
        .map(|c| {
            let t = &goals.targets[c.target];
            SlotFailure {
                slot: c.slot.map(|s| plan.grid.labels[s].clone()),
                metric: t.metric.to_string(),
                bound: t.bound.symbol().to_string(),
                value: t.bound.value(),
                mean: c.estimate.mean,
                ci95: c.estimate.ci95,
                attainment: c.attainment,
            }
        })
        .collect()
}

impl PlanCost {
    /// The cost per week of `plan.json`.
    fn of(cost: &WeeklyCost) -> PlanCost {
        PlanCost {
            analytic_per_week: cost.analytic,
            plan_per_week: cost.plan,
            shifts_per_week: cost.shifts,
            shift_starts_per_week: cost.shift_starts,
            over_staffing_hours_per_week: cost.over_staffing_hours,
            gap_to_lower_bound: cost.gap(),
        }
    }
}

/// One row of `staffing.csv`: one slot of one staffed tier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffingRow {
    /// `HH:MM` of the slot.
    pub slot: String,
    /// Tier name.
    pub tier: String,
    /// Offered load, Erlangs.
    pub offered_load: Cell,
    /// Analytic servers.
    pub analytic: u32,
    /// Square-root staffing.
    pub square_root: u32,
    /// The simulated plan.
    pub plan: u32,
    /// Servers the whole shifts put on duty.
    pub shifts: u32,
}

/// `staffing.csv`.
pub fn staffing_csv(model: &Model, plan: &Plan, shifts: &[Option<ShiftPlan>]) -> Vec<u8> {
    let mut rows = Vec::new();
    for s in 0..plan.grid.len() {
        for (t, tier) in model.tiers.iter().enumerate() {
            let Some(sh) = &shifts[t] else { continue };
            // A one-slot plan's shifts are on an hourly grid: its minimum.
            let covered = if plan.grid.by_slot {
                sh.coverage[s]
            } else {
                sh.coverage.iter().copied().min().unwrap_or(0)
            };
            rows.push(StaffingRow {
                slot: plan.grid.labels[s].clone(),
                tier: tier.name.clone(),
                offered_load: Cell(plan.seed.offered_load[t][s]),
                analytic: plan.seed.staffing[t][s],
                square_root: plan.seed.square_root[t][s],
                plan: plan.staffing[t][s],
                shifts: covered,
            });
        }
    }
    write_rows(&rows)
}

/// Writes `plan.json`, `staffing.csv`, `<name>-plan.toml` and, with
/// `--roster`, `roster.csv` into `dir`.
pub fn write(
    dir: &Path,
    json: &str,
    csv: &[u8],
    scenario: &str,
    name: &str,
    roster: Option<&[u8]>,
) -> Result<Vec<std::path::PathBuf>, Error> {
    let mut files = vec![
        (dir.join("plan.json"), json.as_bytes()),
        (dir.join("staffing.csv"), csv),
        (dir.join(format!("{name}-plan.toml")), scenario.as_bytes()),
    ];
    if let Some(r) = roster {
        files.push((dir.join("roster.csv"), r));
    }
    for (path, bytes) in &files {
        write_atomic(path, bytes)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
