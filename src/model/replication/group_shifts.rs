//! Agent groups staffed by `shifts`: at each change of the tier's plan
//! (any group's roster changing), each group's agents on duty follow its
//! roster. As at a tier with shifts, agents coming on duty take waiting
//! clients at once; agents going off duty leave at once when free, else
//! as soon as their client in hand is served (never interrupting a
//! service), and meanwhile count as working beyond their duty.
//!
//! Which agents: those coming on duty are the ones off duty longest; those
//! leaving are the free ones the routing would take last (the most
//! recently freed; under `fastest` among agents that differ, the
//! slowest), then the next to end a service.

use super::groups::GroupPool;
use super::state::{Replication, TierState};
use crate::model::Tier;
use crate::model::week::availability;

/// The tier's staffing plan over the week (see [`availability`]): a tier
/// whose groups have shifts changes whenever any group's roster does.
/// `servers`: the tier's (at most on duty).
pub(super) fn staffing_plan(t: &Tier, servers: u32) -> Vec<(f64, u32, u32)> {
    match t.groups.as_ref().filter(|g| g.rostered()) {
        Some(groups) => groups
            .duty_plan()
            .into_iter()
            .map(|(minute, duty)| {
                let n = duty.iter().sum();
                (minute, n, n)
            })
            .collect(),
        None => availability(t.roster.as_ref(), servers, t.non_client_share),
    }
}

impl TierState {
    /// Agents of a grouped tier finish clients beyond their shift: some
    /// group may then have a free agent although the tier's busy agents
    /// reach its agents on duty (its excess is theirs, `sync_excess`).
    #[inline]
    pub(super) fn beyond_duty(&self) -> bool {
        self.pool.is_some() && self.excess.value() > 0.0
    }

    /// Takes its agent groups; its agents on duty are theirs (with the
    /// hires of week 0).
    pub(super) fn start_groups(&mut self, pool: GroupPool) {
        let duty = pool.groups_duty();
        self.pool = Some(Box::new(pool));
        if duty != self.duty {
            self.set_staffing(0.0, duty, duty);
        }
    }
}

impl GroupPool {
    /// Agents on duty in every group now.
    pub(super) fn groups_duty(&self) -> u32 {
        self.groups.iter().map(|g| g.duty).sum()
    }

    /// Agents working beyond their duty in every group now.
    fn groups_leaving(&self) -> u32 {
        self.groups.iter().map(|g| g.leaving).sum()
    }
}

impl Replication<'_> {
    /// The tier's plan reaches change `change`: each group's staff on duty
    /// follow their roster (its hires stay on).
    pub(super) fn group_staffing(&mut self, tier: usize, change: usize, t: f64) {
        let pool = self.tiers[tier].pool.as_ref().expect("groups");
        let groups = pool.groups.len();
        for g in 0..groups {
            let pool = self.tiers[tier].pool.as_ref().expect("groups");
            let staff = pool.duties[change * groups + g];
            let hired = pool.groups[g].hiring.map_or(0, |h| h.joined);
            self.set_group_duty(tier, g, staff + hired, t);
        }
        self.sync_group_duty(tier, t);
    }

    /// Group `g` has `target` agents on duty from `t`.
    fn set_group_duty(&mut self, tier: usize, g: usize, target: u32, t: f64) {
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let run = &mut pool.groups[g];
        if target < run.duty {
            let mut leave = run.duty - target;
            while leave > 0
                && let Some(agent) = run.free.take_last()
            {
                run.off.push_back(agent);
                leave -= 1;
            }
            run.set_duty(t, target, run.leaving + leave);
            return;
        }
        // Those about to leave stay on first, then agents come on duty.
        let stay = (target - run.duty).min(run.leaving);
        let mut coming = target - run.duty - stay;
        run.set_duty(t, target, run.leaving - stay);
        while coming > 0 {
            let pool = self.tiers[tier].pool.as_mut().expect("groups");
            let Some(agent) = pool.groups[g].off.pop_front() else {
                break;
            };
            self.agent_ready(tier, g, agent, t);
            coming -= 1;
        }
    }

    /// Hire `agent` of group `g` joins: on duty, and takes a waiting
    /// client if its group may.
    pub(super) fn hire(&mut self, tier: usize, g: usize, agent: u32, t: f64) {
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let run = &mut pool.groups[g];
        run.set_duty(t, run.duty + 1, run.leaving);
        if let Some(h) = run.hiring.as_mut() {
            h.joined += 1;
        }
        self.agent_ready(tier, g, agent, t);
    }

    /// The tier's agents on duty (and beyond duty) are its groups'.
    pub(super) fn sync_group_duty(&mut self, tier: usize, t: f64) {
        let ts = &mut self.tiers[tier];
        let duty = ts.pool.as_ref().expect("groups").groups_duty();
        ts.set_staffing(t, duty, duty);
        self.sync_excess(tier, t);
    }

    /// The tier's agents working beyond their duty are its groups'.
    pub(super) fn sync_excess(&mut self, tier: usize, t: f64) {
        let ts = &mut self.tiers[tier];
        let excess = f64::from(ts.pool.as_ref().expect("groups").groups_leaving());
        if excess != ts.excess.value() {
            ts.excess.change(t, excess - ts.excess.value());
        }
    }
}
