//! Agent groups of a tier: people with skills (which requests or segments
//! they may serve, at which preference rank), a service-time factor per
//! skill, a reserve kept for their first-rank skill, and the routing rule
//! that picks a group when several have a free agent. A tier without
//! groups is one pool of identical servers, as before.
//!
//! A client's *class* at a tier is its (segment, request type), at index
//! `segment * requests + request`, the index of the tier's service table.

use super::agents::Agents;
use super::week::Roster;

/// Which free group takes a client when several may.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// The group whose free agent has been idle longest.
    LongestIdle,
    /// The group with the smallest service-time factor for the client's
    /// class (then the best rank, then file order).
    Fastest,
    /// The group with the best (smallest) rank for the client's class
    /// (then file order).
    Preference,
}

/// One group of identical agents at a tier.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Group name.
    pub name: String,
    /// Agents always on duty.
    pub servers: u32,
    /// Per class: the group's preference rank for it (1 = first rank);
    /// 0 = the group may not serve it.
    pub rank: Vec<u8>,
    /// Per class: service-time factor (1 = the tier's service time; 1.15 =
    /// 15% longer).
    pub speed: Vec<f64>,
    /// Per class: which of `skills` it is served under (`u8::MAX` when the
    /// group may not serve it).
    pub skill_of: Vec<u8>,
    /// The skill names as written (request or segment names), in file
    /// order of the `skills` table (sorted by name).
    pub skills: Vec<String>,
    /// Agents kept for the group's first-rank skills: a client of a skill
    /// of rank 2 or more is taken only while more than `reserve` agents
    /// of the group are free.
    pub reserve: u32,
    /// The group's roster (`shifts`): agents on duty over the week
    /// (`None`: `servers` always on duty; with a roster, `servers` is its
    /// peak).
    pub roster: Option<Roster>,
    /// Individual agents: drawn speeds and new hires.
    pub agents: Agents,
}

impl Group {
    /// Agents on duty at minute `t` of the week (before any new hire).
    pub fn on_duty_at(&self, t: f64) -> u32 {
        self.roster.as_ref().map_or(self.servers, |r| r.at(t))
    }

    /// Agent-minutes on duty over `[0, horizon)` (staff as the roster's
    /// weekly mean, new hires from the week they join) and their sum
    /// weighted by each agent's mean service-time factor: the mean of
    /// `agent_speed` (1 without) over the tenure efficiency of the step
    /// the agent is in (1 for staff).
    pub fn agent_minutes(&self, horizon: f64) -> (f64, f64) {
        let speed = self
            .agents
            .speed
            .as_ref()
            .map_or(1.0, crate::engine::Dist::mean);
        let staff = self
            .roster
            .as_ref()
            .map_or(f64::from(self.servers), Roster::mean)
            * horizon;
        let (mut time, mut weighted) = (staff, staff * speed);
        if let Some(h) = &self.agents.new_hires {
            let count = f64::from(h.count);
            let last = h.efficiency_curve.len().saturating_sub(1);
            let mut from = h.joins_at();
            let mut k = 0;
            while from < horizon {
                // The curve's last value holds to the horizon.
                let to = if k >= last {
                    horizon
                } else {
                    (from + h.step_minutes).min(horizon)
                };
                time += count * (to - from);
                weighted += count * (to - from) * speed / h.efficiency(k);
                (from, k) = (to, k + 1);
            }
        }
        (time, weighted)
    }
}

/// The groups of a tier and how clients are routed among them.
#[derive(Clone, Debug, PartialEq)]
pub struct Groups {
    /// How a group is chosen among those with a free agent.
    pub routing: Routing,
    /// The groups, in file order.
    pub groups: Vec<Group>,
    /// Per class: minutes a client waits before a group that does not
    /// have its class at the best rank among the groups may take it (0:
    /// at once; infinite: never).
    pub overflow_after: Vec<f64>,
    /// Per class: the best (smallest non-zero) rank any group has for it.
    pub best: Vec<u8>,
}

impl Groups {
    /// Agents in every group.
    pub fn servers(&self) -> u32 {
        self.groups.iter().map(|g| g.servers).sum()
    }

    /// Agents on duty on average over `[0, horizon)` (new hires from the
    /// week they join) and their mean service-time factor, weighted by
    /// time on duty (see [`Group::agent_minutes`]): what the offered-load
    /// estimate multiplies the tier's service time by. `(servers, 1)` for
    /// identical agents always on duty.
    pub fn on_duty_and_factor(&self, horizon: f64) -> (f64, f64) {
        let (time, weighted) = self
            .groups
            .iter()
            .map(|g| g.agent_minutes(horizon))
            .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        if time > 0.0 {
            (time / horizon, weighted / time)
        } else {
            (0.0, 1.0)
        }
    }

    /// Whether some group follows a roster (`shifts`).
    pub fn rostered(&self) -> bool {
        self.groups.iter().any(|g| g.roster.is_some())
    }

    /// Every minute of the week at which some group's agents on duty
    /// change (the first at 0), with each group's agents on duty from
    /// then, in group order. One entry when no group has a roster.
    pub fn duty_plan(&self) -> Vec<(f64, Vec<u32>)> {
        let mut times: Vec<f64> = self
            .groups
            .iter()
            .filter_map(|g| g.roster.as_ref())
            .flat_map(|r| r.changes.iter().map(|c| c.0))
            .chain([0.0])
            .collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        times
            .into_iter()
            .map(|t| {
                let duty = self.groups.iter().map(|g| g.on_duty_at(t)).collect();
                (t, duty)
            })
            .collect()
    }

    /// The tier's roster: the sum of its groups' (`None` when no group has
    /// one).
    pub fn roster(&self) -> Option<Roster> {
        if !self.rostered() {
            return None;
        }
        let mut changes: Vec<(f64, u32)> = Vec::new();
        for (t, duty) in self.duty_plan() {
            let total = duty.iter().sum();
            if changes.last().is_none_or(|c| c.1 != total) {
                changes.push((t, total));
            }
        }
        Some(Roster { changes })
    }

    /// Group `g` may take a client of `class` that joined at `joined`, at
    /// time `t`, by rank and overflow (the reserve is the caller's: it
    /// depends on free agents).
    #[inline]
    pub fn admits(&self, g: usize, class: usize, joined: f64, t: f64) -> bool {
        let rank = self.groups[g].rank[class];
        rank != 0 && (rank <= self.best[class] || t >= joined + self.overflow_after[class])
    }
}
