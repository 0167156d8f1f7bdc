//! Planning agent groups (`[[tier.group]]`): each group's `servers`, one
//! number for the whole week (a group's agents are always on duty), chosen
//! by the search ([`search`](super::search)) beside the per-slot staffing
//! of the tiers without groups. Here: what is planned per group (its cost,
//! its least servers, its analytic start), a staffing of tiers and groups
//! together ([`Trial`]), and the search's moves on it ([`Unit`]).

use serde::{Deserialize, Serialize};

use super::seed::{closed_form_targets, fewest, mean_patience, slot_queue};
use super::{SlotGrid, Staffing};
use crate::analytic::erlang_c;
use crate::model::Model;
use crate::model::targets::Goals;
use crate::model::{TierKind, offered_loads};

/// Hours a week a group's agents are on duty: always (groups have no
/// shifts yet), whatever the calendar.
pub const GROUP_HOURS_PER_WEEK: f64 = 168.0;

/// Agents of a group, by tier in model order and group in file order
/// (empty for a tier without groups).
pub type GroupStaffing = Vec<Vec<u32>>;

/// A staffing the search tries: servers per slot of the tiers without
/// groups, and servers of every agent group.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// Per tier and slot (tiers without groups).
    pub tiers: Staffing,
    /// Per tier and group.
    pub groups: GroupStaffing,
}

/// One step of the search: a server in one slot of a tier without groups,
/// or an agent of a group (for the whole week).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Tier, slot.
    Slot(usize, usize),
    /// Tier, group.
    Group(usize, usize),
}

impl Trial {
    /// Servers of `unit`.
    pub fn get(&self, unit: Unit) -> u32 {
        match unit {
            Unit::Slot(t, s) => self.tiers[t][s],
            Unit::Group(t, g) => self.groups[t][g],
        }
    }

    /// Servers of `unit`, to change.
    pub fn at(&mut self, unit: Unit) -> &mut u32 {
        match unit {
            Unit::Slot(t, s) => &mut self.tiers[t][s],
            Unit::Group(t, g) => &mut self.groups[t][g],
        }
    }

    /// Agents in every group.
    pub fn group_agents(&self) -> u32 {
        self.groups.iter().flatten().sum()
    }
}

/// One agent group as the plan sees it, and what the plan chose for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupPlan {
    /// Tier index (model order).
    pub tier: usize,
    /// Group index (file order).
    pub group: usize,
    /// `tier.group`.
    pub name: String,
    /// Cost per agent on duty per hour (`[cost] group_hourly`, else the
    /// tier's `hourly`).
    pub hourly: f64,
    /// The fewest agents the scenario allows: 1, or the group's `reserve`.
    pub minimum: u32,
    /// Erlangs of the tier's load the analytic start gives the group (its
    /// share of the tier's agents in the scenario) in the busiest slot.
    pub offered_load: f64,
    /// The analytic start: Erlang C or A on that load, busiest slot.
    pub analytic: u32,
    /// The planned agents.
    pub servers: u32,
    /// Why the plan has no fewer: the target one agent fewer failed on the
    /// search's streams, or that the group is at its minimum.
    pub why_not_fewer: String,
}

/// Whether `tier` of `model` is planned per agent group.
pub fn grouped(model: &Model, t: usize) -> bool {
    let tier = &model.tiers[t];
    tier.kind == TierKind::Staffed && tier.groups.is_some()
}

/// The first agent group staffed by `shifts` (tier, group names): `plan`
/// sizes groups as agents always on duty and cannot yet plan a group's
/// roster slot by slot, so it refuses such a file rather than writing
/// `servers` beside the group's `shifts`.
pub fn rostered_group(model: &Model) -> Option<(&str, &str)> {
    model.tiers.iter().find_map(|t| {
        let groups = t.groups.as_ref()?;
        let g = groups.groups.iter().find(|g| g.roster.is_some())?;
        Some((t.name.as_str(), g.name.as_str()))
    })
}

/// Every agent group of `model` with its cost, minimum and analytic start
/// on `grid` for `goals`: the tier's offered load is shared among its
/// groups in proportion to their agents in the scenario, and each group is
/// staffed for its busiest slot (a group's agents are the same all week).
pub fn group_plans(model: &Model, grid: &SlotGrid, goals: &Goals) -> Vec<GroupPlan> {
    let loads = offered_loads(model);
    let targets = closed_form_targets(goals);
    let patience = mean_patience(model);
    let staffable = grid.staffable();
    let max = goals.plan.max_servers;
    let mut out = Vec::new();
    for (t, tier) in model.tiers.iter().enumerate() {
        let Some(groups) = tier.groups.as_ref().filter(|_| grouped(model, t)) else {
            continue;
        };
        let all = f64::from(groups.servers().max(1));
        for (g, group) in groups.groups.iter().enumerate() {
            let share = f64::from(group.servers) / all;
            let minimum = group.reserve.max(1);
            let mut analytic = minimum;
            let mut offered_load = 0.0;
            for (s, f) in grid.factors.iter().enumerate() {
                let queue = slot_queue(model, &loads[t], patience, f * share);
                offered_load = queue.offered_load().max(offered_load);
                analytic = analytic.max(fewest(&queue, staffable[s], &targets, max));
            }
            out.push(GroupPlan {
                tier: t,
                group: g,
                name: format!("{}.{}", tier.name, group.name),
                hourly: goals.cost.as_ref().map_or(1.0, |c| c.group_rate(t, g)),
                minimum,
                offered_load,
                analytic,
                servers: analytic,
                why_not_fewer: String::new(),
            });
        }
    }
    out
}

impl GroupPlan {
    /// A generous number of agents: P(wait) ≤ 1% by Erlang C on the
    /// group's share of the load, at least the analytic start, at most
    /// `max`.
    pub fn generous(&self, max: u32) -> u32 {
        let a = self.offered_load;
        let mut c = (a.floor() as u32 + 1).max(self.analytic);
        while c < max && erlang_c(c, a) > 0.01 {
            c += 1;
        }
        c.min(max)
    }

    /// Cost per week of `servers` agents, always on duty.
    pub fn cost_per_week(&self, servers: u32) -> f64 {
        f64::from(servers) * self.hourly * GROUP_HOURS_PER_WEEK
    }
}

/// The groups' analytic start as a group staffing of `model`.
pub fn analytic_groups(model: &Model, plans: &[GroupPlan]) -> GroupStaffing {
    let mut out: GroupStaffing = model
        .tiers
        .iter()
        .map(|t| vec![0; t.groups.as_ref().map_or(0, |g| g.groups.len())])
        .collect();
    for p in plans {
        out[p.tier][p.group] = p.analytic;
    }
    out
}

/// `model` with every planned group's agents as in `groups`.
pub fn with_groups(model: &mut Model, groups: &GroupStaffing) {
    for (t, servers) in groups.iter().enumerate() {
        if !grouped(model, t) {
            continue;
        }
        let tier = &mut model.tiers[t];
        if let Some(g) = tier.groups.as_mut() {
            for (group, &n) in g.groups.iter_mut().zip(servers) {
                group.servers = n;
            }
            tier.servers = tier.servers.with_count(g.servers().max(1));
        }
    }
}

/// Whether groups `a` and `b` (of one tier) share a class they may serve.
pub fn share_work(model: &Model, a: &GroupPlan, b: &GroupPlan) -> bool {
    let Some(groups) = &model.tiers[a.tier].groups else {
        return false;
    };
    let (ra, rb) = (&groups.groups[a.group].rank, &groups.groups[b.group].rank);
    ra.iter().zip(rb).any(|(x, y)| *x != 0 && *y != 0)
}
