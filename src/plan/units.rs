//! The units of the staffing search: a server in one slot of a tier
//! without groups, an agent of a group staffed by `servers`, or an agent
//! in one slot of a group staffed by `shifts` ([`Unit`]); what one costs,
//! how busy it is, the fewest it may keep, and where one more goes.

use super::evaluate::{Judged, group_utilization, slot_utilization};
use super::groups::{GroupPlan, Trial, Unit, grouped};
use super::search::Search;

impl Search<'_> {
    /// The planned group `g` of tier `t`.
    pub(super) fn group(&self, t: usize, g: usize) -> &GroupPlan {
        let i = self.groups.iter().position(|p| (p.tier, p.group) == (t, g));
        &self.groups[i.expect("a grouped tier's groups are all planned")]
    }

    /// Cost per hour of one more server of `unit`.
    pub(super) fn rate(&self, unit: Unit) -> f64 {
        match unit {
            Unit::Slot(t, _) => self.hourly(t),
            Unit::Group(t, g) | Unit::GroupSlot(t, g, _) => self.group(t, g).hourly,
        }
    }

    /// Utilization of `unit` in `j`: the tier's in the slot (also for a
    /// slot of a group staffed by `shifts`: groups have no per-slot
    /// figure), or the group's over the run.
    pub(super) fn utilization(&self, j: &Judged, unit: Unit) -> f64 {
        match unit {
            Unit::Slot(t, s) | Unit::GroupSlot(t, _, s) => {
                slot_utilization(&j.summary, self.model, t, s)
            }
            Unit::Group(t, g) => group_utilization(&j.summary, &self.group(t, g).name),
        }
    }

    /// The fewest servers a unit may keep: in a slot, one where clients
    /// arrive; a group, its minimum (a group staffed by `shifts`: in a
    /// slot where its share of the load is positive, else none).
    pub(super) fn minimum(&self, unit: Unit) -> u32 {
        match unit {
            Unit::Slot(t, s) => match self.staffable[s] {
                Some(true) if self.seed.offered_load[t][s] > 0.0 => 1,
                _ => 0,
            },
            Unit::Group(t, g) => self.group(t, g).minimum,
            Unit::GroupSlot(t, g, s) => {
                let p = self.group(t, g);
                match self.staffable[s] {
                    Some(true) if p.slot_loads[s] > 0.0 => p.minimum,
                    _ => 0,
                }
            }
        }
    }

    /// The group of grouped tier `t` that takes one more agent (in slot
    /// `s`, for a group staffed by `shifts`): the most utilized in
    /// `current` (the bottleneck), then the cheaper, then the first in the
    /// file; `None` when every group is at `plan.max_servers` (a group
    /// staffed by `shifts` with no load in the slot takes none there).
    pub(super) fn group_to_add(
        &self,
        current: &Judged,
        trial: &Trial,
        t: usize,
        s: usize,
    ) -> Option<Unit> {
        let max = self.goals.plan.max_servers;
        let key = |g: usize| {
            let p = self.group(t, g);
            (group_utilization(&current.summary, &p.name), -p.hourly)
        };
        let unit = |g: usize| {
            if self.group(t, g).by_slot() {
                Unit::GroupSlot(t, g, s)
            } else {
                Unit::Group(t, g)
            }
        };
        (0..trial.groups[t].len())
            .filter(|&g| {
                let p = self.group(t, g);
                trial.get(unit(g)) < max && (!p.by_slot() || p.slot_loads[s] > 0.0)
            })
            .rev()
            .max_by(|&a, &b| {
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .map(unit)
    }

    /// The unit of tier `t` that takes one more server in slot `s`.
    pub(super) fn unit_to_add(
        &self,
        current: &Judged,
        trial: &Trial,
        t: usize,
        s: usize,
    ) -> Option<Unit> {
        if grouped(self.model, t) {
            self.group_to_add(current, trial, t, s)
        } else {
            (trial.tiers[t][s] < self.goals.plan.max_servers).then_some(Unit::Slot(t, s))
        }
    }

    /// Every unit of the search: each slot of each tier without groups,
    /// each group staffed by `servers`, each slot of each group staffed by
    /// `shifts`, in model order.
    pub(super) fn units(&self) -> Vec<Unit> {
        let mut out = Vec::new();
        for &t in &self.staffed {
            if grouped(self.model, t) {
                for p in self.groups.iter().filter(|p| p.tier == t) {
                    if p.by_slot() {
                        let slots = 0..self.grid.len();
                        out.extend(slots.map(|s| Unit::GroupSlot(t, p.group, s)));
                    } else {
                        out.push(Unit::Group(t, p.group));
                    }
                }
            } else {
                out.extend((0..self.grid.len()).map(|s| Unit::Slot(t, s)));
            }
        }
        out
    }

    /// Whether tier `t` has load in slot `s` (a grouped tier: a group
    /// staffed by `servers` with load in its busiest slot, or one staffed
    /// by `shifts` with load in slot `s`).
    pub(super) fn has_load(&self, t: usize, s: usize) -> bool {
        if grouped(self.model, t) {
            self.groups.iter().any(|p| {
                p.tier == t
                    && if p.by_slot() {
                        p.slot_loads[s] > 0.0
                    } else {
                        p.offered_load > 0.0
                    }
            })
        } else {
            self.seed.offered_load[t][s] > 0.0
        }
    }
}
