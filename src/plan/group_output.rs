//! A plan's agent groups in its files: the whole shifts that keep each
//! group's agents on duty around the clock (for the cost with shift starts
//! and the headcount), the `groups` block of `plan.json`, the groups'
//! `servers` in the planned scenario, terminal lines and the report's
//! section.

use serde::{Deserialize, Serialize};

use super::Plan;
use super::groups::GROUP_HOURS_PER_WEEK;
use super::shifts::{ShiftPlan, cover};
use crate::report::format::{Ordered, nullable, putln};
use crate::report::html::escape;
use crate::scenario::Goals;

/// The whole shifts that keep each planned group's agents on duty all day
/// every day (groups have no shifts of their own yet: their agents are
/// always on duty), in the order of `plan.groups`: hourly slots, any
/// start, no breaks (the simulation places none in a group), the
/// `[plan]` shift lengths.
pub fn group_shifts(plan: &Plan, goals: &Goals) -> Result<Vec<ShiftPlan>, String> {
    let mut rules = goals.plan.clone();
    rules.shift_starts = None;
    rules.workforce.breaks = None;
    let shift_start = goals.cost.as_ref().map_or(0.0, |c| c.shift_start);
    plan.groups
        .iter()
        .map(|p| {
            cover(&[p.servers; 24], 60, &rules, p.hourly, shift_start, true)
                .map_err(|e| format!("group `{}`: {e}", p.name))
        })
        .collect()
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
    /// The planned agents, on duty all week.
    pub plan: u32,
    /// Hours on duty a week per agent (always on duty: 168).
    pub hours_per_week: f64,
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
                hours_per_week: GROUP_HOURS_PER_WEEK,
                plan_per_week: p.cost_per_week(p.servers),
                shifts_per_week: s.cost_per_day * 7.0,
                utilization: super::evaluate::group_utilization(&plan.confirmation, &p.name),
                why_not_fewer: p.why_not_fewer.clone(),
            };
            (p.name.clone(), row)
        })
        .collect()
}

/// Sets each planned group's `servers` in the scenario `table` (as read
/// from its file).
pub fn set_group_servers(table: &mut toml::Table, model: &crate::model::Model, plan: &Plan) {
    let Some(toml::Value::Array(tiers)) = table.get_mut("tier") else {
        return;
    };
    for p in &plan.groups {
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
                g.insert("servers".into(), i64::from(p.servers).into());
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
                "group {}: {} agents (analytic {}, least allowed {}) at {:.2}/h, {:.2} per week on duty all week; no fewer: {}",
                p.name,
                p.servers,
                p.analytic,
                p.minimum,
                p.hourly,
                p.cost_per_week(p.servers),
                p.why_not_fewer
            )
        })
        .collect()
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
                p.cost_per_week(p.servers),
                escape(&p.why_not_fewer)
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n<p>A group's agents are on duty all week (168 h), so its plan is one number, searched with the per-slot staffing of the other tiers on the same clients: removals dearest first, then trades of an agent of a dearer group for up to three of a cheaper group that shares its work, while every target holds.</p>\n</section>\n");
}
