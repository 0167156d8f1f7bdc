//! Individual agents of a group: who is free (in the order the routing
//! takes them), each agent's service-time factor (a drawn speed over a
//! tenure efficiency), new hires joining and ramping up, and what a group
//! whose staffing varies reports (agents on duty, per week with hires).
//!
//! Agents are numbered per tier, group after group (the group's staff
//! first, then its new hires); a client in service at a grouped tier
//! keeps its agent's number (`Client::rm`). Nothing here is allocated per
//! event: the free lists are ring buffers that stop growing at the
//! group's size.

use std::collections::VecDeque;

use rand::RngCore;

use super::Event;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::rng::{keyed, name_hash, stream};
use crate::engine::stats::SlotAverage;
use crate::model::agents::{self, NewHires};
use crate::model::groups::Group;
use crate::model::week::WEEK;

/// One agent of a grouped tier.
#[derive(Clone, Copy, Debug)]
pub(super) struct Agent {
    /// Its group.
    pub(super) group: u32,
    /// Its drawn service-time factor (1 without `agent_speed`).
    pub(super) speed: f64,
    /// Its tenure efficiency now (1 but for new hires ramping up).
    pub(super) efficiency: f64,
    /// `speed / efficiency`: what its services' times are multiplied by.
    pub(super) factor: f64,
}

/// A free agent: since when, in which order it became free, and its
/// ordering key under `fastest` routing.
#[derive(Clone, Copy, Debug)]
pub(super) struct Free {
    pub(super) agent: u32,
    pub(super) since: f64,
    key: f64,
    seq: u64,
}

/// A group's free agents in the order its routing takes them (the front
/// first); the back is the first to go off duty when a shift ends. In
/// arrival order (longest idle first), or, for `fastest` routing among
/// agents that differ, by service-time factor, then longest idle.
pub(super) struct FreeAgents {
    list: VecDeque<Free>,
    by_speed: bool,
    seq: u64,
}

impl FreeAgents {
    /// An empty list; `by_speed` orders it by factor.
    pub(super) fn new(by_speed: bool, capacity: usize) -> Self {
        FreeAgents {
            list: VecDeque::with_capacity(capacity),
            by_speed,
            seq: 0,
        }
    }

    /// Agents free.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// The agent the routing would take next.
    #[inline]
    pub(super) fn front(&self) -> Option<&Free> {
        self.list.front()
    }

    /// Takes the agent the routing would take next.
    #[inline]
    pub(super) fn take(&mut self) -> Option<u32> {
        self.list.pop_front().map(|f| f.agent)
    }

    /// Takes the agent the routing would take last (going off duty).
    pub(super) fn take_last(&mut self) -> Option<u32> {
        self.list.pop_back().map(|f| f.agent)
    }

    /// Agent `agent` (whose factor is `factor`) is free from `t`.
    #[inline]
    pub(super) fn release(&mut self, agent: u32, factor: f64, t: f64) {
        if !self.by_speed {
            self.list.push_back(Free {
                agent,
                since: t,
                key: 0.0,
                seq: 0,
            });
            return;
        }
        self.seq += 1;
        let free = Free {
            agent,
            since: t,
            key: factor,
            seq: self.seq,
        };
        let at = self
            .list
            .partition_point(|f| (f.key, f.seq) <= (free.key, free.seq));
        self.list.insert(at, free);
    }

    /// The factors changed (a tenure step): orders the list anew.
    pub(super) fn rekey(&mut self, factor: impl Fn(u32) -> f64) {
        if !self.by_speed {
            return;
        }
        for f in &mut self.list {
            f.key = factor(f.agent);
        }
        self.list
            .make_contiguous()
            .sort_by(|a, b| a.key.total_cmp(&b.key).then(a.seq.cmp(&b.seq)));
    }
}

/// Purpose salts of the agents' speed draws (staff and new hires apart,
/// so that hiring more leaves the staff's speeds as they were).
const STAFF: &str = "agent speed/staff";
const HIRES: &str = "agent speed/hires";

/// The agents of group `g` of tier `tier` in replication `rep` of a
/// scenario seeded `seed`: its staff (`group.servers`), then its new
/// hires. Each speed is a keyed draw: the same agent has the same speed
/// whatever the thread count and whatever other groups or tiers exist.
pub(super) fn group_agents(
    group: &Group,
    g: usize,
    tier: &str,
    (seed, rep): (u64, u64),
) -> Vec<Agent> {
    let hires = group.agents.new_hires.as_ref().map_or(0, |h| h.count);
    let key = group
        .agents
        .speed
        .as_ref()
        .map(|_| stream(seed, rep, &format!("agents/{tier}/{}", group.name)).next_u64());
    let draw = |salt: &str, n: u32| match (&group.agents.speed, key) {
        (Some(dist), Some(key)) => dist.sample(&mut keyed(key, name_hash(salt), u64::from(n))),
        _ => 1.0,
    };
    let staff = (0..group.servers).map(|n| draw(STAFF, n));
    let hired = (0..hires).map(|n| draw(HIRES, n));
    staff
        .chain(hired)
        .map(|speed| Agent {
            group: g as u32,
            speed,
            efficiency: 1.0,
            factor: speed,
        })
        .collect()
}

/// A group's hires: the first's agent number, how many, and the tenure
/// step the next event makes (0: they join).
#[derive(Clone, Copy, Debug)]
pub(super) struct Hiring {
    pub(super) first: u32,
    pub(super) count: u32,
    pub(super) next_step: u32,
    /// Hires on duty so far.
    pub(super) joined: u32,
}

/// Time averages of a group whose staffing varies (shifts or hires).
pub(super) struct Varying {
    pub(super) duty: SlotAverage,
    pub(super) excess: SlotAverage,
    /// Per week (groups with new hires only): busy agents, and services
    /// begun and their summed tenure efficiency.
    pub(super) weeks: Option<Weeks>,
}

/// Per-week tallies of a group with new hires.
pub(super) struct Weeks {
    pub(super) busy: SlotAverage,
    pub(super) served: Vec<u64>,
    pub(super) efficiency: Vec<f64>,
}

impl Varying {
    /// The tallies of `group` over `window`, with per-week rows when it
    /// has new hires.
    pub(super) fn of(group: &Group, window: (f64, f64)) -> Option<Box<Varying>> {
        let hires = group.agents.new_hires.is_some();
        if group.roster.is_none() && !hires {
            return None;
        }
        let weeks = agents::weeks(window.1);
        let average = |by_week: bool| {
            if by_week {
                SlotAverage::new(window.0, window.1, WEEK, weeks)
            } else {
                SlotAverage::new(window.0, window.1, f64::INFINITY, 1)
            }
        };
        Some(Box::new(Varying {
            duty: average(hires),
            excess: average(hires),
            weeks: hires.then(|| Weeks {
                busy: average(true),
                served: vec![0; weeks],
                efficiency: vec![0.0; weeks],
            }),
        }))
    }

    /// Its part of the counts.
    pub(super) fn finish(&self) -> GroupStaffing {
        let weeks = self.weeks.as_ref().map_or_else(Vec::new, |w| {
            let exposure = self.duty.slot_exposure();
            let (duty, excess, busy) = (
                self.duty.slot_areas(),
                self.excess.slot_areas(),
                w.busy.slot_areas(),
            );
            (0..w.served.len())
                .map(|k| WeekCounts {
                    exposure: exposure[k],
                    duty_area: duty[k],
                    busy_area: busy[k],
                    excess_area: excess[k],
                    served: w.served[k],
                    efficiency_sum: w.efficiency[k],
                })
                .collect()
        });
        GroupStaffing {
            duty_mean: Some(self.duty.mean()),
            excess_mean: self.excess.mean(),
            weeks,
        }
    }
}

/// What a group's varying staffing did in one replication.
#[derive(Clone, Debug, Default)]
pub struct GroupStaffing {
    /// Time-average agents on duty, warm-up to horizon; `None` for a
    /// group whose staff are always all on duty (`servers`, no hires).
    pub duty_mean: Option<f64>,
    /// Time-average agents busy beyond their duty (finishing a client
    /// after their shift ended).
    pub excess_mean: f64,
    /// Per week of the run, for a group with new hires (else empty).
    pub weeks: Vec<WeekCounts>,
}

/// One week of a group with new hires (the parts of the week inside the
/// warm-up-to-horizon window).
#[derive(Clone, Debug, Default)]
pub struct WeekCounts {
    /// Minutes of the week in the window.
    pub exposure: f64,
    /// Agents on duty × minutes.
    pub duty_area: f64,
    /// Busy agents × minutes.
    pub busy_area: f64,
    /// Agents busy beyond duty × minutes.
    pub excess_area: f64,
    /// Services begun in the week (counted clients).
    pub served: u64,
    /// Their agents' tenure efficiencies, summed.
    pub efficiency_sum: f64,
}

impl Replication<'_> {
    /// Schedules each group's first tenure event: hires joining after
    /// week 0, or the first step of those there from the start.
    pub(super) fn schedule_tenure(&mut self) {
        for tier in 0..self.tiers.len() {
            let Some(groups) = &self.model.tiers[tier].groups else {
                continue;
            };
            for (g, group) in groups.groups.iter().enumerate() {
                if let Some(h) = &group.agents.new_hires {
                    let step = u32::from(h.start_week == 0);
                    self.schedule_step(tier, g, h, step);
                }
            }
        }
    }

    /// Schedules tenure step `step` of group `g`'s hires if it changes
    /// anything before the horizon.
    fn schedule_step(&mut self, tier: usize, g: usize, h: &NewHires, step: u32) {
        let at = h.joins_at() + f64::from(step) * h.step_minutes;
        let changes = step == 0 || (step as usize) < h.efficiency_curve.len();
        if changes && at <= self.model.run.horizon {
            self.calendar.schedule(
                Time(at),
                Event::Tenure {
                    tier: tier as u32,
                    group: g as u32,
                },
            );
        }
    }

    /// Group `g`'s hires take their next tenure step: they join (step 0)
    /// or serve at the curve's next efficiency.
    pub(super) fn tenure(&mut self, tier: usize, g: usize, t: f64) {
        let model = self.model;
        let spec = &model.tiers[tier].groups.as_ref().expect("groups").groups[g];
        let h = spec.agents.new_hires.as_ref().expect("new hires");
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let step = pool.next_tenure_step(g);
        let efficiency = h.efficiency(step as usize);
        let (first, count) = pool.set_hires_efficiency(g, efficiency);
        if step == 0 {
            for agent in first..first + count {
                self.hire(tier, g, agent, t);
            }
            self.sync_group_duty(tier, t);
        }
        self.schedule_step(tier, g, h, step + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agents::Agents;
    use crate::model::groups::Group;

    fn group(name: &str, servers: u32, hires: u32) -> Group {
        Group {
            name: name.into(),
            servers,
            rank: vec![1],
            speed: vec![1.0],
            skill_of: vec![0],
            skills: vec!["default".into()],
            reserve: 0,
            roster: None,
            agents: Agents {
                speed: Some(crate::engine::Dist::lognormal(1.0, 0.3)),
                new_hires: (hires > 0).then(|| NewHires {
                    count: hires,
                    start_week: 1,
                    efficiency_curve: vec![0.5, 1.0],
                    step_minutes: WEEK,
                }),
            },
        }
    }

    fn speeds(agents: &[Agent]) -> Vec<f64> {
        agents.iter().map(|a| a.speed).collect()
    }

    /// An agent's speed depends on the seed, the replication, its tier,
    /// group and number only: not on the group's place among the others,
    /// nor on how many staff or hires there are besides it.
    #[test]
    fn speeds_are_keyed_by_agent() {
        let a = group_agents(&group("x", 3, 2), 0, "desk", (7, 1));
        let moved = group_agents(&group("x", 3, 2), 4, "desk", (7, 1));
        assert_eq!(speeds(&a), speeds(&moved));
        let more = group_agents(&group("x", 5, 2), 0, "desk", (7, 1));
        assert_eq!(speeds(&a)[..3], speeds(&more)[..3]);
        assert_eq!(speeds(&a)[3..], speeds(&more)[5..]);
        let other = group_agents(&group("y", 3, 2), 0, "desk", (7, 1));
        assert_ne!(speeds(&a), speeds(&other));
        let next = group_agents(&group("x", 3, 2), 0, "desk", (7, 2));
        assert_ne!(speeds(&a), speeds(&next));
        assert!(a.iter().all(|x| x.speed > 0.0 && x.factor == x.speed));
    }

    /// By speed: fastest first, equal factors in the order they became
    /// free; the slowest goes off duty first; a tenure step reorders.
    #[test]
    fn free_agents_by_speed() {
        let mut free = FreeAgents::new(true, 4);
        for (agent, factor) in [(0, 1.0), (1, 2.0), (2, 1.0), (3, 0.5)] {
            free.release(agent, factor, f64::from(agent));
        }
        assert_eq!(free.front().map(|f| f.agent), Some(3));
        free.rekey(|a| if a == 3 { 4.0 } else { 1.0 });
        assert_eq!(free.take_last(), Some(3));
        assert_eq!(free.take(), Some(0));
        assert_eq!(free.take(), Some(1));
        let mut fifo = FreeAgents::new(false, 2);
        fifo.release(5, 2.0, 0.0);
        fifo.release(6, 1.0, 1.0);
        assert_eq!(fifo.take(), Some(5));
    }
}
