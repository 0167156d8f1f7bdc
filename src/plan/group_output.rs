//! A plan's agent groups in its files: the whole shifts of each group (a
//! group staffed by `servers`: shifts keeping its agents on duty around
//! the clock; one staffed by `shifts`: shifts covering its per-slot plan)
//! for the cost with shift starts and the headcount, the `groups` block of
//! `plan.json`, the groups' `servers` or `shifts` in the planned scenario,
//! terminal lines and the report's section.

use serde::{Deserialize, Serialize};

use super::groups::GroupPlan;
use super::shifts::{ShiftPlan, cover};
use super::{Plan, today};
use crate::model::Model;
use crate::report::format::{Ordered, nullable, putln};
use crate::report::html::escape;
use crate::scenario::Goals;

/// The whole shifts of each planned group of `model`, in the order of
/// `plan.groups`. A group staffed by `servers`: shifts keeping its agents
/// on duty all day every day (hourly slots, any start, no breaks: the
/// simulation places none in such a group), the `[plan]` shift lengths.
/// A group staffed by `shifts`: shifts covering its per-slot plan on the
/// open days, exactly as a tier without groups is covered (the `[plan]`
/// lengths, starts and breaks).
pub fn group_shifts(model: &Model, plan: &Plan, goals: &Goals) -> Result<Vec<ShiftPlan>, String> {
    let shift_start = goals.cost.as_ref().map_or(0.0, |c| c.shift_start);
    plan.groups
        .iter()
        .map(|p| {
            if p.by_slot() {
                let required = slot_requirement(plan, p);
                return cover_per_slot(model, plan, goals, &required, p.hourly)
                    .map_err(|e| format!("group `{}`: {e}", p.name));
            }
            let mut rules = goals.plan.clone();
            rules.shift_starts = None;
            rules.workforce.breaks = None;
            cover(&[p.servers; 24], 60, &rules, p.hourly, shift_start, true)
                .map_err(|e| format!("group `{}`: {e}", p.name))
        })
        .collect()
}

/// A group staffed by `shifts` as the per-slot requirement on the shift
/// grid: its plan's slots, or 24 hourly slots for a one-slot plan.
fn slot_requirement(plan: &Plan, p: &GroupPlan) -> (Vec<u32>, u32) {
    if plan.grid.by_slot {
        (p.slots.clone(), plan.grid.slot_minutes)
    } else {
        (vec![p.slots.first().copied().unwrap_or(0); 24], 60)
    }
}

/// The cheapest shifts covering `required` servers per slot (and the
/// minutes of a slot) on `plan`'s grid at `hourly`, with the `[plan]`
/// rules; without `[plan] shift_starts`, shifts start when clients can
/// arrive or servers are needed, not in the night. The day is cyclic when
/// every day is open with arrivals in every slot, or without a calendar.
pub fn cover_per_slot(
    model: &Model,
    plan: &Plan,
    goals: &Goals,
    (required, slot): &(Vec<u32>, u32),
    hourly: f64,
) -> Result<ShiftPlan, String> {
    let cyclic =
        plan.grid.open_days.iter().all(|o| *o) && plan.grid.factors.iter().all(|f| *f > 0.0);
    let mut rules = goals.plan.clone();
    if rules.shift_starts.is_none() && plan.grid.by_slot {
        let arrivals = today::arrival_slots(model, &plan.grid);
        rules.shift_starts = Some(today::default_starts(&arrivals, required, *slot));
    }
    let shift_start = goals.cost.as_ref().map_or(0.0, |c| c.shift_start);
    cover(
        required,
        *slot,
        &rules,
        hourly,
        shift_start,
        cyclic || !plan.grid.by_slot,
    )
}

/// One agent group's plan in `plan.json` (`groups`, keyed `tier.group`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// Cost per agent on duty per hour.
    #[serde(with = "nullable")]
    pub hourly: f64,
    /// The fewest agents the scenario allows (1, or the group's `reserve`).
    pub minimum: u32,
    /// Erlangs the analytic start gives the group in the busiest slot.
    #[serde(with = "nullable")]
    pub offered_load: f64,
    /// The analytic start's agents.
    pub analytic: u32,
    /// The planned agents, on duty all week (a group staffed by `shifts`:
    /// in its busiest slot).
    pub plan: u32,
    /// Hours on duty a week per planned agent (always on duty: 168; a
    /// group staffed by `shifts`: its agent-hours on duty over `plan`).
    pub hours_per_week: f64,
    /// A group staffed by `shifts`: its agents on duty per slot of the
    /// day on the open days (absent for a group staffed by `servers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_slot: Option<Vec<u32>>,
    /// The planned agents' cost per week (no shift starts).
    #[serde(with = "nullable")]
    pub plan_per_week: f64,
    /// The whole shifts' cost per week, shift starts included.
    #[serde(with = "nullable")]
    pub shifts_per_week: f64,
    /// The group's utilization in the confirmation.
    #[serde(with = "nullable")]
    pub utilization: f64,
    /// Why the plan has no fewer agents in this group.
    pub why_not_fewer: String,
}

/// The `groups` block of `plan.json`, with each group's `shifts` (as
/// [`group_shifts`] gives them).
pub fn group_rows(plan: &Plan, shifts: &[ShiftPlan]) -> Ordered<GroupRow> {
    plan.groups
        .iter()
        .zip(shifts)
        .map(|(p, s)| {
            let row = GroupRow {
                hourly: p.hourly,
                minimum: p.minimum,
                offered_load: p.offered_load,
                analytic: p.analytic,
                plan: p.servers,
                hours_per_week: p.planned_hours(&plan.grid) / f64::from(p.servers.max(1)),
                by_slot: p.by_slot().then(|| p.slots.clone()),
                plan_per_week: p.planned_cost(&plan.grid),
                shifts_per_week: s.cost_per_day * p.days_per_week(&plan.grid),
                utilization: super::evaluate::group_utilization(&plan.confirmation, &p.name),
                why_not_fewer: p.why_not_fewer.clone(),
            };
            (p.name.clone(), row)
        })
        .collect()
}

/// Sets each planned group's `servers` in the scenario `table` (as read
/// from its file), or for a group staffed by `shifts`, its planned
/// `shifts` (`shifts`, in the order of `plan.groups`, as
/// [`super::planned_scenario::shift_list`] writes them on the open `days`).
pub fn set_group_staffing(
    table: &mut toml::Table,
    model: &Model,
    plan: &Plan,
    shifts: &[ShiftPlan],
    days: &[toml::Value],
) {
    let Some(toml::Value::Array(tiers)) = table.get_mut("tier") else {
        return;
    };
    for (p, sh) in plan.groups.iter().zip(shifts) {
        let Some(toml::Value::Table(tier)) = tiers.get_mut(p.tier) else {
            continue;
        };
        let Some(toml::Value::Array(groups)) = tier.get_mut("group") else {
            continue;
        };
        let name = &model.tiers[p.tier]
            .groups
            .as_ref()
            .map(|g| &g.groups[p.group].name);
        for group in groups.iter_mut() {
            if let toml::Value::Table(g) = group
                && g.get("name").and_then(toml::Value::as_str) == name.map(String::as_str)
            {
                if p.by_slot() {
                    let list = super::planned_scenario::shift_list(sh, days);
                    g.insert("shifts".into(), toml::Value::Array(list));
                } else {
                    g.insert("servers".into(), i64::from(p.servers).into());
                }
            }
        }
    }
}

/// Terminal lines: each group's agents, cost and why no fewer.
pub fn group_lines(plan: &Plan) -> Vec<String> {
    plan.groups
        .iter()
        .map(|p| {
            format!(
                "group {}: {} agents{} (analytic {}, least allowed {}) at {:.2}/h, {:.2} per week {}; no fewer: {}",
                p.name,
                p.servers,
                if p.by_slot() { " in the busiest slot" } else { "" },
                p.analytic,
                p.minimum,
                p.hourly,
                p.planned_cost(&plan.grid),
                on_duty_words(plan, p),
                p.why_not_fewer
            )
        })
        .collect()
}

/// When a group's agents are on duty, in words.
fn on_duty_words(plan: &Plan, p: &GroupPlan) -> String {
    if !p.by_slot() {
        return "on duty all week".into();
    }
    let slots: Vec<String> = plan
        .grid
        .labels
        .iter()
        .zip(&p.slots)
        .filter(|(_, n)| **n > 0)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    format!("by slot ({})", slots.join(", "))
}

/// The groups section of the plan's `report.html` (nothing without groups).
pub fn group_section(out: &mut String, plan: &Plan) {
    if plan.groups.is_empty() {
        return;
    }
    out.push_str("<section id=\"groups\">\n<h2>Agent groups</h2>\n<table>\n<thead><tr><th>group</th><th>hourly</th><th>analytic</th><th>plan</th><th>per week</th><th>utilization</th><th>why no fewer</th></tr></thead>\n<tbody>\n");
    for p in &plan.groups {
        let u = super::evaluate::group_utilization(&plan.confirmation, &p.name);
        putln(
            out,
            format_args!(
                "<tr><td>{}</td><td>{:.2}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{u:.3}</td><td>{}</td></tr>",
                escape(&p.name),
                p.hourly,
                p.analytic,
                p.servers,
                p.planned_cost(&plan.grid),
                escape(&p.why_not_fewer)
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n<p>A group staffed by <code>servers</code> is on duty all week (168 h), so its plan is one number (a group staffed by <code>shifts</code> is planned slot by slot, as a tier, and its plan is the busiest slot's), searched with the per-slot staffing of the other tiers on the same clients: removals dearest first, then trades of an agent of a dearer group for up to three of a cheaper group that shares its work, while every target holds.</p>\n</section>\n");
}
