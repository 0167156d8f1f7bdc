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
//!   confirmation run on fresh streams.
//! - `staffing.csv`: one row per slot and staffed tier: `slot`, `tier`,
//!   `offered_load`, `analytic`, `square_root`, `plan`, `shifts`.
//! - `<scenario>-plan.toml`: the scenario with the planned shifts (or
//!   `servers` without a calendar), ready to `tiersim run`.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::shifts::ShiftPlan;
use super::{Plan, Staffing};
use crate::error::Error;
use crate::model::Model;
use crate::report::goals::targets_json;
use crate::report::json::{document, number};
use crate::report::write_atomic;
use crate::scenario::Goals;

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
}

impl WeeklyCost {
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
/// `None` for a chatbot).
pub fn weekly_cost(
    model: &Model,
    goals: &Goals,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
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

/// `plan.json`.
pub fn plan_json(
    file: &str,
    model: &Model,
    goals: &Goals,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
    cost: &WeeklyCost,
) -> String {
    let reasons = match &plan.verdict {
        super::Verdict::Met => Vec::new(),
        super::Verdict::Unconfirmed(r) | super::Verdict::Unreachable(r) => r.clone(),
    };
    let mut tiers = Map::new();
    for (t, tier) in model.tiers.iter().enumerate() {
        let Some(s) = &shifts[t] else { continue };
        let list: Vec<Value> = s
            .shifts
            .iter()
            .map(|&(start, length, servers)| {
                json!({"start": clock(start), "end": clock(start + length),
                       "length_minutes": length, "servers": servers})
            })
            .collect();
        tiers.insert(
            tier.name.clone(),
            json!({
                "hourly": number(goals.cost.as_ref().map_or(f64::NAN, |c| c.hourly[t])),
                "formula": plan.seed.formula[t],
                "beta": number(plan.seed.beta[t]),
                "offered_load": plan.seed.offered_load[t].iter().map(|&a| number(a)).collect::<Vec<_>>(),
                "analytic": plan.seed.staffing[t],
                "square_root": plan.seed.square_root[t],
                "plan": plan.staffing[t],
                "coverage": s.coverage,
                "shifts": list,
            }),
        );
    }
    let overall: Map<String, Value> = plan
        .confirmation
        .overall
        .iter()
        .map(|(name, e)| {
            (
                name.to_string(),
                json!({"mean": number(e.mean), "ci95": number(e.ci95)}),
            )
        })
        .collect();
    let slot_failures: Vec<Value> = plan
        .slot_failures
        .iter()
        .map(|c| {
            let t = &goals.targets[c.target];
            json!({"slot": c.slot.map(|s| plan.grid.labels[s].clone()),
                   "metric": t.metric, "bound": t.bound.symbol(), "value": t.bound.value(),
                   "mean": number(c.estimate.mean), "ci95": number(c.estimate.ci95),
                   "attainment": c.attainment.as_str()})
        })
        .collect();
    let doc = json!({
        "scenario": model.name,
        "file": file,
        "verdict": plan.verdict.as_str(),
        "reasons": reasons,
        "replications": plan.replications,
        "confirm_replications": plan.confirm_replications,
        "evaluations": plan.evaluations,
        "seed": model.run.seed,
        "confirmation_seed": plan.confirmation_seed,
        "slot_minutes": plan.grid.slot_minutes,
        "labels": plan.grid.labels,
        "open_days": plan.grid.open_day_names(),
        "tiers": tiers,
        "cost": {
            "analytic_per_week": number(cost.analytic),
            "plan_per_week": number(cost.plan),
            "shifts_per_week": number(cost.shifts),
            "shift_starts_per_week": number(cost.shift_starts),
            "over_staffing_hours_per_week": number(cost.over_staffing_hours),
            "gap_to_lower_bound": number(cost.gap()),
        },
        "targets": targets_json(&plan.targets),
        "slot_failures": slot_failures,
        "overall": overall,
    });
    document("plan", doc)
}

/// `staffing.csv`.
pub fn staffing_csv(model: &Model, plan: &Plan, shifts: &[Option<ShiftPlan>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "slot",
        "tier",
        "offered_load",
        "analytic",
        "square_root",
        "plan",
        "shifts",
    ]);
    for s in 0..plan.grid.len() {
        for (t, tier) in model.tiers.iter().enumerate() {
            let Some(sh) = &shifts[t] else { continue };
            // A one-slot plan's shifts are on an hourly grid: its minimum.
            let covered = if plan.grid.by_slot {
                sh.coverage[s]
            } else {
                sh.coverage.iter().copied().min().unwrap_or(0)
            };
            let _ = w.write_record([
                plan.grid.labels[s].clone(),
                tier.name.clone(),
                format!("{}", plan.seed.offered_load[t][s]),
                plan.seed.staffing[t][s].to_string(),
                plan.seed.square_root[t][s].to_string(),
                plan.staffing[t][s].to_string(),
                covered.to_string(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// The scenario `source` with the planned staffing: each staffed tier gets
/// the planned shifts on the open days (or, without a calendar, `servers`),
/// and the name `<name>-plan`. The result is validated before it is
/// returned.
pub fn plan_scenario(
    source: &str,
    file: &str,
    model: &Model,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
) -> Result<String, String> {
    let mut table: toml::Table =
        toml::from_str(source).map_err(|e| format!("cannot re-read {file}: {e}"))?;
    table.insert("name".into(), format!("{}-plan", model.name).into());
    table.remove("sweep");
    let days: Vec<toml::Value> = plan
        .grid
        .open_day_names()
        .into_iter()
        .map(toml::Value::from)
        .collect();
    if let Some(toml::Value::Array(tiers)) = table.get_mut("tier") {
        for (t, raw) in tiers.iter_mut().enumerate() {
            let (Some(toml::Value::Table(raw)), Some(sh)) = (Some(raw), &shifts[t]) else {
                continue;
            };
            raw.remove("servers");
            raw.remove("shifts");
            if !plan.grid.by_slot {
                raw.insert(
                    "servers".into(),
                    i64::from(plan.staffing[t][0].max(1)).into(),
                );
                continue;
            }
            let list: Vec<toml::Value> = sh
                .shifts
                .iter()
                .map(|&(start, length, servers)| {
                    let mut s = toml::Table::new();
                    s.insert("start".into(), clock(start).into());
                    s.insert("end".into(), clock(start + length).into());
                    s.insert("servers".into(), i64::from(servers).into());
                    s.insert("days".into(), toml::Value::Array(days.clone()));
                    toml::Value::Table(s)
                })
                .collect();
            raw.insert("shifts".into(), toml::Value::Array(list));
        }
    }
    let body = toml::to_string(&table).map_err(|e| format!("cannot write the plan: {e}"))?;
    let text = format!(
        "# Staffing planned by `tiersim plan {file}` (verdict: {}).\n# The rest of the scenario is {file}'s.\n\n{body}",
        plan.verdict.as_str()
    );
    crate::scenario::parse(&text, &format!("{}-plan.toml", model.name))
        .map_err(|e| format!("the planned scenario does not validate (a bug): {e}"))?;
    Ok(text)
}

/// Writes `plan.json`, `staffing.csv` and `<name>-plan.toml` into `dir`.
pub fn write(
    dir: &Path,
    json: &str,
    csv: &[u8],
    scenario: &str,
    name: &str,
) -> Result<Vec<std::path::PathBuf>, Error> {
    let files = [
        (dir.join("plan.json"), json.as_bytes()),
        (dir.join("staffing.csv"), csv),
        (dir.join(format!("{name}-plan.toml")), scenario.as_bytes()),
    ];
    for (path, bytes) in &files {
        write_atomic(path, bytes)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
