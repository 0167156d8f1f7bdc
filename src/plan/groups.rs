//! Planning agent groups (`[[tier.group]]`), chosen by the search
//! ([`search`](super::search)) beside the per-slot staffing of the tiers
//! without groups: a group staffed by `servers` gets one number for the
//! whole week (its agents are always on duty); a group staffed by `shifts`
//! gets its agents on duty per slot of the day, as a tier without groups
//! does, which the plan then covers with whole shifts. Here: what is
//! planned per group (its cost, its least servers, its analytic start), a
//! staffing of tiers and groups together ([`Trial`]), and the search's
//! moves on it ([`Unit`]).

use serde::{Deserialize, Serialize};

use super::seed::{closed_form_targets, fewest, mean_patience, slot_queue};
use super::{SlotGrid, Staffing, roster_of};
use crate::analytic::erlang_c;
use crate::model::targets::Goals;
use crate::model::{Model, Servers};
use crate::model::{TierKind, offered_loads};

/// Hours a week the agents of a group staffed by `servers` are on duty:
/// always, whatever the calendar.
pub const GROUP_HOURS_PER_WEEK: f64 = 168.0;

/// Agents of a group, by tier in model order and group in file order
/// (empty for a tier without groups).
pub type GroupStaffing = Vec<Vec<u32>>;

/// Agents on duty per slot of a group staffed by `shifts`, by tier and
/// group (empty for a group staffed by `servers`).
pub type GroupSlots = Vec<Vec<Vec<u32>>>;

/// A staffing the search tries: servers per slot of the tiers without
/// groups, servers of every agent group staffed by `servers`, and agents
/// per slot of every group staffed by `shifts`.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// Per tier and slot (tiers without groups).
    pub tiers: Staffing,
    /// Per tier and group (groups staffed by `servers`; 0 for the others).
    pub groups: GroupStaffing,
    /// Per tier, group and slot (groups staffed by `shifts`).
    pub group_slots: GroupSlots,
}

/// One step of the search: a server in one slot of a tier without groups,
/// an agent of a group staffed by `servers` (for the whole week), or an
/// agent in one slot of a group staffed by `shifts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Tier, slot.
    Slot(usize, usize),
    /// Tier, group.
    Group(usize, usize),
    /// Tier, group, slot.
    GroupSlot(usize, usize, usize),
}

impl Trial {
    /// Servers of `unit`.
    pub fn get(&self, unit: Unit) -> u32 {
        match unit {
            Unit::Slot(t, s) => self.tiers[t][s],
            Unit::Group(t, g) => self.groups[t][g],
            Unit::GroupSlot(t, g, s) => self.group_slots[t][g][s],
        }
    }

    /// Servers of `unit`, to change.
    pub fn at(&mut self, unit: Unit) -> &mut u32 {
        match unit {
            Unit::Slot(t, s) => &mut self.tiers[t][s],
            Unit::Group(t, g) => &mut self.groups[t][g],
            Unit::GroupSlot(t, g, s) => &mut self.group_slots[t][g][s],
        }
    }

    /// Agents in every group (a group staffed by `shifts` counts its
    /// busiest slot).
    pub fn group_agents(&self) -> u32 {
        let peaks = self.group_slots.iter().flatten();
        self.groups.iter().flatten().sum::<u32>()
            + peaks
                .map(|s| s.iter().copied().max().unwrap_or(0))
                .sum::<u32>()
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
    /// The planned agents (a group staffed by `shifts`: in its busiest
    /// slot).
    pub servers: u32,
    /// A group staffed by `shifts` is planned per slot: its share of the
    /// tier's load per slot (Erlangs; empty for a group staffed by
    /// `servers`).
    pub slot_loads: Vec<f64>,
    /// Its analytic start per slot (empty for a group staffed by
    /// `servers`).
    pub analytic_slots: Vec<u32>,
    /// Its planned agents per slot (empty for a group staffed by
    /// `servers`).
    pub slots: Vec<u32>,
    /// Why the plan has no fewer: the target one agent fewer failed on the
    /// search's streams, or that the group is at its minimum.
    pub why_not_fewer: String,
}

/// Whether `tier` of `model` is planned per agent group.
pub fn grouped(model: &Model, t: usize) -> bool {
    let tier = &model.tiers[t];
    tier.kind == TierKind::Staffed && tier.groups.is_some()
}

/// Every agent group of `model` with its cost, minimum and analytic start
/// on `grid` for `goals`: the tier's offered load is shared among its
/// groups in proportion to their agents in the scenario (a group staffed
/// by `shifts`: its busiest slot's), and a group staffed by `servers` is
/// staffed for its busiest slot (its agents are the same all week), a
/// group staffed by `shifts` slot by slot.
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
            let by_slot = group.roster.is_some();
            let (mut slot_loads, mut analytic_slots) = (Vec::new(), Vec::new());
            for (s, f) in grid.factors.iter().enumerate() {
                let queue = slot_queue(model, &loads[t], patience, f * share);
                slot_loads.push(queue.offered_load());
                let fewest = fewest(&queue, staffable[s], &targets, max);
                let least = if queue.offered_load() > 0.0 && staffable[s] == Some(true) {
                    minimum
                } else {
                    0
                };
                analytic_slots.push(fewest.max(least));
            }
            let offered_load = slot_loads.iter().copied().fold(0.0, f64::max);
            let analytic = analytic_slots
                .iter()
                .copied()
                .max()
                .unwrap_or(0)
                .max(minimum);
            if !by_slot {
                (slot_loads, analytic_slots) = (Vec::new(), Vec::new());
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
                slots: analytic_slots.clone(),
                slot_loads,
                analytic_slots,
                why_not_fewer: String::new(),
            });
        }
    }
    out
}

/// A generous number of servers for `a` Erlangs: P(wait) ≤ 1% by Erlang
/// C, at least `least`, at most `max`.
pub fn generous(a: f64, least: u32, max: u32) -> u32 {
    let mut c = (a.floor() as u32 + 1).max(least);
    while c < max && erlang_c(c, a) > 0.01 {
        c += 1;
    }
    c.min(max)
}

impl GroupPlan {
    /// A generous number of agents: P(wait) ≤ 1% by Erlang C on the
    /// group's share of the load, at least the analytic start, at most
    /// `max`.
    pub fn generous(&self, max: u32) -> u32 {
        generous(self.offered_load, self.analytic, max)
    }

    /// A generous number of agents per slot for a group staffed by
    /// `shifts` (none in a slot without load).
    pub fn generous_slots(&self, max: u32) -> Vec<u32> {
        let slots = self.slot_loads.iter().zip(&self.analytic_slots);
        slots
            .map(|(&a, &least)| {
                if a > 0.0 {
                    generous(a, least, max)
                } else {
                    least
                }
            })
            .collect()
    }

    /// Whether the group is staffed by `shifts` (planned per slot).
    pub fn by_slot(&self) -> bool {
        !self.analytic_slots.is_empty()
    }

    /// Cost per week of `servers` agents, always on duty.
    pub fn cost_per_week(&self, servers: u32) -> f64 {
        f64::from(servers) * self.hourly * GROUP_HOURS_PER_WEEK
    }

    /// Agent-hours on duty a week of `servers` agents always on duty, or,
    /// for a group staffed by `shifts`, of `slots` on `grid`'s open days.
    pub fn hours_per_week(&self, grid: &SlotGrid, servers: u32, slots: &[u32]) -> f64 {
        if self.by_slot() {
            let per_day: u32 = slots.iter().sum();
            f64::from(per_day) * grid.slot_hours() * grid.open_days_per_week()
        } else {
            f64::from(servers) * GROUP_HOURS_PER_WEEK
        }
    }

    /// Agent-hours on duty a week of the plan.
    pub fn planned_hours(&self, grid: &SlotGrid) -> f64 {
        self.hours_per_week(grid, self.servers, &self.slots)
    }

    /// Cost per week of `servers` agents always on duty, or of `slots`
    /// for a group staffed by `shifts` (no shift starts).
    fn cost_of(&self, grid: &SlotGrid, servers: u32, slots: &[u32]) -> f64 {
        if self.by_slot() {
            self.hours_per_week(grid, servers, slots) * self.hourly
        } else {
            self.cost_per_week(servers)
        }
    }

    /// Cost per week of the plan (no shift starts).
    pub fn planned_cost(&self, grid: &SlotGrid) -> f64 {
        self.cost_of(grid, self.servers, &self.slots)
    }

    /// Cost per week of the analytic start.
    pub fn analytic_cost(&self, grid: &SlotGrid) -> f64 {
        self.cost_of(grid, self.analytic, &self.analytic_slots)
    }

    /// Days a week its agents are on duty: every day, or for a group
    /// staffed by `shifts`, the plan's open days.
    pub fn days_per_week(&self, grid: &SlotGrid) -> f64 {
        if self.by_slot() {
            grid.open_days_per_week()
        } else {
            7.0
        }
    }
}

/// The groups' analytic start with the tiers' `staffing`, as a trial of
/// `model`.
pub fn analytic_trial(model: &Model, plans: &[GroupPlan], staffing: &Staffing) -> Trial {
    let mut trial = Trial {
        tiers: staffing.clone(),
        groups: model
            .tiers
            .iter()
            .map(|t| vec![0; t.groups.as_ref().map_or(0, |g| g.groups.len())])
            .collect(),
        group_slots: model
            .tiers
            .iter()
            .map(|t| vec![Vec::new(); t.groups.as_ref().map_or(0, |g| g.groups.len())])
            .collect(),
    };
    for p in plans {
        if p.by_slot() {
            trial.group_slots[p.tier][p.group] = p.analytic_slots.clone();
        } else {
            trial.groups[p.tier][p.group] = p.analytic;
        }
    }
    trial
}

/// The staffing of a finished `plan` of `model` as a trial: the tiers'
/// per-slot plan and every group's planned agents (per slot for a group
/// staffed by `shifts`).
pub fn planned_trial(model: &Model, plan: &super::Plan) -> Trial {
    let mut trial = analytic_trial(model, &plan.groups, &plan.staffing);
    for p in &plan.groups {
        if p.by_slot() {
            trial.group_slots[p.tier][p.group] = p.slots.clone();
        } else {
            trial.groups[p.tier][p.group] = p.servers;
        }
    }
    trial
}

/// `model` with every planned group's agents as in `trial`: a group
/// staffed by `servers` gets its number, a group staffed by `shifts` its
/// agents per slot on `grid`'s open days as its roster (its `servers` the
/// busiest slot's).
pub fn with_groups(model: &mut Model, grid: &SlotGrid, trial: &Trial) {
    let start_day = model.week.as_ref().map_or(0, |w| w.start_day);
    for (t, servers) in trial.groups.iter().enumerate() {
        if !grouped(model, t) {
            continue;
        }
        if let Some(g) = model.tiers[t].groups.as_mut() {
            let slots = &trial.group_slots[t];
            for ((group, &n), slots) in g.groups.iter_mut().zip(servers).zip(slots) {
                if group.roster.is_some() {
                    group.servers = slots.iter().copied().max().unwrap_or(0).max(1);
                    group.roster = Some(roster_of(grid, start_day, slots));
                } else {
                    group.servers = n;
                }
            }
            let (servers, roster) = (g.servers().max(1), g.roster());
            let tier = &mut model.tiers[t];
            tier.servers = match roster {
                Some(_) => Servers::Rostered(servers),
                None => tier.servers.with_count(servers),
            };
            if roster.is_some() {
                tier.roster = roster;
            }
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
