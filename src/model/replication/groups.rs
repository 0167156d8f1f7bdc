//! Agent groups at a tier: which group takes an arriving client, which
//! queue a freed agent serves next, and overflow to next-rank groups.
//!
//! The rules (documented in docs/groups.md):
//! - An arriving client (or one whose `overflow_after` just passed) is
//!   taken by a group with a free agent that *admits* it: the group has its
//!   class among its skills, at the best rank of any group, or the client
//!   has waited `overflow_after`; a group taking a class at its own rank 2
//!   or more keeps `reserve` agents free for its first-rank skills. Among
//!   those, the tier's `routing` picks: longest idle agent, fastest
//!   (smallest service-time factor, then rank), or best rank; ties go to
//!   the group first in the file.
//! - A freed agent serves, among the queues it admits, the head of the
//!   highest priority (segment priority; call-backs last), then the one
//!   that has waited longest (joined first); none: it goes idle.
//!
//! Every step is O(groups) at a service start and O(queues) at a service
//! end, with no allocation once the queues have grown.

use std::collections::VecDeque;

use super::Event;
use super::agents::{Agent, FreeAgents, Hiring, Varying, group_agents};
use super::counts::GroupCounts;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::stats::TimeAverage;
use crate::model::Tier;
use crate::model::groups::{Group, Groups, Routing};
use crate::model::week::WEEK;

/// One group's running state.
pub(super) struct GroupRun {
    /// Free agents on duty, in the order the routing takes them.
    pub(super) free: FreeAgents,
    /// Agents off duty (shifts), the one off longest first.
    pub(super) off: VecDeque<u32>,
    /// Busy agents whose shift has ended: they go off duty when their
    /// client in hand is served.
    pub(super) leaving: u32,
    /// Agents on duty now.
    pub(super) duty: u32,
    /// Busy agents over time.
    busy: TimeAverage,
    /// Agents on duty over time (and per week), for a group whose
    /// staffing varies.
    pub(super) varying: Option<Box<Varying>>,
    /// The group's new hires.
    pub(super) hiring: Option<Hiring>,
    counts: GroupCounts,
}

impl GroupRun {
    /// Busy agents change by `delta` at `t`.
    #[inline]
    fn busy_change(&mut self, t: f64, delta: f64) {
        self.busy.change(t, delta);
        if let Some(w) = self.varying.as_mut().and_then(|v| v.weeks.as_mut()) {
            w.busy.change(t, delta);
        }
    }

    /// Agents on duty, and those working beyond their duty, are now
    /// `duty` and `leaving`.
    pub(super) fn set_duty(&mut self, t: f64, duty: u32, leaving: u32) {
        if let Some(v) = self.varying.as_mut() {
            v.duty.change(t, f64::from(duty) - f64::from(self.duty));
            v.excess
                .change(t, f64::from(leaving) - f64::from(self.leaving));
        }
        self.duty = duty;
        self.leaving = leaving;
    }
}

/// The running state of a tier's groups: the groups and one FIFO per
/// (class, live, call-back or promoted) queue.
pub(super) struct GroupPool {
    pub(super) groups: Vec<GroupRun>,
    /// Queue `class` holds live clients of the class, `classes + class`
    /// its call-backs, `2 * classes + class` its clients promoted to the
    /// first priority (`promote_after`); entries (client, generation,
    /// sequence) may be stale.
    queues: Vec<VecDeque<(u32, u32, u64)>>,
    /// Priority rank of each queue (smaller is served first).
    queue_rank: Vec<u16>,
    /// Entries pushed so far: orders heads of different queues by arrival.
    seq: u64,
    classes: usize,
    /// Some class may overflow to a next-rank group after a finite,
    /// positive wait: such clients get a timer.
    timers: Vec<bool>,
    /// Every agent of the tier, group after group.
    pub(super) agents: Vec<Agent>,
    /// Per change of the tier's staffing plan, each group's staff on duty
    /// (at `change * groups + group`); empty without group shifts.
    pub(super) duties: Vec<u32>,
}

impl GroupRun {
    /// Group `group` of `spec` before the first event: its agents are
    /// `first..` in `agents`, those on duty at time 0 free, the rest off.
    fn start(
        spec: &Groups,
        group: &Group,
        first: u32,
        agents: &[Agent],
        window: (f64, f64),
    ) -> Self {
        let by_speed = spec.routing == Routing::Fastest && group.agents.individual();
        let hires = group.agents.new_hires.as_ref();
        let count = hires.map_or(0, |h| h.count);
        let mut run = GroupRun {
            free: FreeAgents::new(by_speed, (group.servers + count) as usize),
            off: VecDeque::new(),
            leaving: 0,
            duty: 0,
            busy: TimeAverage::new(window.0, window.1),
            varying: Varying::of(group, window),
            hiring: hires.map(|_| Hiring {
                first: first + group.servers,
                count,
                next_step: 0,
                joined: 0,
            }),
            counts: GroupCounts {
                servers: group.servers,
                by_skill: vec![0; group.skills.len()],
                ..GroupCounts::default()
            },
        };
        let duty = group.on_duty_at(0.0);
        for agent in first..first + group.servers {
            if agent < first + duty {
                run.free.release(agent, agents[agent as usize].factor, 0.0);
            } else {
                run.off.push_back(agent);
            }
        }
        run.set_duty(0.0, duty, 0);
        run
    }
}

impl GroupPool {
    /// The groups of `tier` before the first event; `ranks` is each
    /// segment's priority rank there and `callback_rank` that of
    /// call-backs; averages over `window` = [start, end]; `draws` is the
    /// (seed, replication) of the agents' speeds.
    pub(super) fn new(
        tier: &Tier,
        ranks: &[u16],
        callback_rank: u16,
        window: (f64, f64),
        draws: (u64, u64),
    ) -> Self {
        let spec = tier.groups.as_ref().expect("a tier with groups");
        let classes = spec.best.len();
        let per_segment = classes / ranks.len().max(1);
        let queue_rank = (0..3 * classes)
            .map(|q| match q / classes {
                0 => ranks[q / per_segment.max(1)],
                1 => callback_rank,
                _ => 0,
            })
            .collect();
        let timers = (0..classes)
            .map(|k| {
                let after = spec.overflow_after[k];
                after > 0.0
                    && after.is_finite()
                    && spec.groups.iter().any(|g| g.rank[k] > spec.best[k])
            })
            .collect();
        let mut agents = Vec::new();
        let mut groups = Vec::with_capacity(spec.groups.len());
        for (g, group) in spec.groups.iter().enumerate() {
            let first = agents.len() as u32;
            agents.extend(group_agents(group, g, &tier.name, draws));
            groups.push(GroupRun::start(spec, group, first, &agents, window));
        }
        let duties = if spec.rostered() {
            spec.duty_plan().into_iter().flat_map(|(_, d)| d).collect()
        } else {
            Vec::new()
        };
        let mut pool = GroupPool {
            groups,
            queues: vec![VecDeque::new(); 3 * classes],
            queue_rank,
            seq: 0,
            classes,
            timers,
            agents,
            duties,
        };
        pool.hire_at_start(spec);
        pool
    }

    /// New hires of week 0 are on duty from the start, at their curve's
    /// first efficiency (their later steps are events).
    fn hire_at_start(&mut self, spec: &Groups) {
        for (g, group) in spec.groups.iter().enumerate() {
            let Some(h) = group
                .agents
                .new_hires
                .as_ref()
                .filter(|h| h.start_week == 0)
            else {
                continue;
            };
            self.next_tenure_step(g);
            let (first, count) = self.set_hires_efficiency(g, h.efficiency(0));
            let run = &mut self.groups[g];
            for agent in first..first + count {
                run.free
                    .release(agent, self.agents[agent as usize].factor, 0.0);
            }
            run.set_duty(0.0, run.duty + count, 0);
            if let Some(hiring) = run.hiring.as_mut() {
                hiring.joined = count;
            }
        }
    }

    /// The tenure step group `g`'s hires take next (counted as taken).
    pub(super) fn next_tenure_step(&mut self, g: usize) -> u32 {
        let hiring = self.groups[g].hiring.as_mut().expect("new hires");
        hiring.next_step += 1;
        hiring.next_step - 1
    }

    /// Group `g`'s hires now serve at `efficiency`; returns (the first
    /// hire's agent number, how many).
    pub(super) fn set_hires_efficiency(&mut self, g: usize, efficiency: f64) -> (u32, u32) {
        let hiring = self.groups[g].hiring.expect("new hires");
        let hires = hiring.first as usize..(hiring.first + hiring.count) as usize;
        for a in &mut self.agents[hires] {
            a.efficiency = efficiency;
            a.factor = a.speed / efficiency;
        }
        let agents = &self.agents;
        self.groups[g]
            .free
            .rekey(|agent| agents[agent as usize].factor);
        (hiring.first, hiring.count)
    }

    /// A service of `duration` (the tier's, for `class`) by agent `agent`:
    /// times its group's factor for the class and its own.
    #[inline]
    pub(super) fn scaled(&self, duration: f64, spec: &Groups, agent: u16, class: usize) -> f64 {
        let a = &self.agents[agent as usize];
        duration * spec.groups[a.group as usize].speed[class] * a.factor
    }

    /// Appends (client `id`, `generation`) to queue `q`, in arrival order
    /// across queues.
    fn push(&mut self, q: usize, id: u32, generation: u32) {
        self.seq += 1;
        self.queues[q].push_back((id, generation, self.seq));
    }

    /// Entries in the queues, valid or stale.
    pub(super) fn entries(&self) -> usize {
        self.queues.iter().map(VecDeque::len).sum()
    }

    /// Drops the stale entries (`valid` says which are not).
    pub(super) fn compact(&mut self, valid: impl Fn(u32, u32) -> bool) {
        for q in &mut self.queues {
            q.retain(|&(id, g, _)| valid(id, g));
        }
    }

    /// Each group's counts at the end of the replication.
    pub(super) fn finish(self) -> Vec<GroupCounts> {
        self.groups
            .into_iter()
            .map(|g| GroupCounts {
                busy_mean: g.busy.mean(),
                staffing: g.varying.map(|v| v.finish()).unwrap_or_default(),
                ..g.counts
            })
            .collect()
    }

    /// The group that takes a client of `class` who joined at `joined`,
    /// now (`t`), if one has a free agent that admits it.
    fn pick(&self, spec: &Groups, class: usize, joined: f64, t: f64) -> Option<usize> {
        let mut best: Option<(usize, (f64, u8))> = None;
        for (g, run) in self.groups.iter().enumerate() {
            let Some(front) = run.free.front() else {
                continue;
            };
            let group = &spec.groups[g];
            let rank = group.rank[class];
            if !spec.admits(g, class, joined, t)
                || (rank > 1 && run.free.len() as u32 <= group.reserve)
            {
                continue;
            }
            let key = match spec.routing {
                Routing::LongestIdle => (front.since, 0),
                Routing::Fastest => (
                    group.speed[class] * self.agents[front.agent as usize].factor,
                    rank,
                ),
                Routing::Preference => (rank as f64, 0),
            };
            if best.is_none_or(|(_, k)| key < k) {
                best = Some((g, key));
            }
        }
        best.map(|(g, _)| g)
    }

    /// The queue (and its head's sequence) a freed agent of group `g`
    /// serves next, dropping stale heads on the way; `valid` tells a live
    /// entry and `joined` when its client joined.
    fn next_queue(
        &mut self,
        spec: &Groups,
        g: usize,
        t: f64,
        valid: impl Fn(u32, u32) -> bool,
        joined: impl Fn(u32) -> f64,
    ) -> Option<usize> {
        let group = &spec.groups[g];
        // This agent is free too.
        let reserved = (self.groups[g].free.len() as u32) < group.reserve;
        let mut best: Option<(usize, (u16, u64))> = None;
        for q in 0..self.queues.len() {
            let class = q % self.classes;
            if group.rank[class] == 0 || (reserved && group.rank[class] > 1) {
                continue;
            }
            let queue = &mut self.queues[q];
            while let Some(&(id, generation, _)) = queue.front() {
                if valid(id, generation) {
                    break;
                }
                queue.pop_front();
            }
            let Some(&(id, _, seq)) = queue.front() else {
                continue;
            };
            let key = (self.queue_rank[q], seq);
            if best.is_none_or(|(_, k)| key < k) && spec.admits(g, class, joined(id), t) {
                best = Some((q, key));
            }
        }
        best.map(|(q, _)| q)
    }
}

impl Replication<'_> {
    /// The class of client `id` (its index in the tier's service table).
    #[inline]
    fn class_of(&self, id: u32) -> usize {
        let c = &self.clients[id as usize];
        c.segment as usize * self.model.requests.len() + c.request as usize
    }

    /// A client joining grouped tier `tier` is taken by a group with a
    /// free agent, if one admits it; returns whether it was.
    pub(super) fn take_by_group(&mut self, id: u32, tier: usize, t: f64) -> bool {
        let spec = self.model.tiers[tier].groups.as_ref().expect("groups");
        let class = self.class_of(id);
        let joined = self.clients[id as usize].joined;
        let pool = self.tiers[tier].pool.as_ref().expect("groups");
        match pool.pick(spec, class, joined, t) {
            Some(g) => {
                self.group_starts(id, tier, g, class, t);
                true
            }
            None => false,
        }
    }

    /// Group `g`'s next free agent takes client `id` (of `class`) now.
    fn group_starts(&mut self, id: u32, tier: usize, g: usize, class: usize, t: f64) {
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let agent = pool.groups[g].free.take().expect("a free agent");
        self.agent_starts(id, tier, agent, class, t);
    }

    /// Agent `agent` (not free) takes client `id` (of `class`) now:
    /// counted, and service starts.
    fn agent_starts(&mut self, id: u32, tier: usize, agent: u32, class: usize, t: f64) {
        let c = &mut self.clients[id as usize];
        c.rm = agent as u16;
        let counted = c.counted;
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let a = pool.agents[agent as usize];
        let spec = &self.model.tiers[tier]
            .groups
            .as_ref()
            .expect("groups")
            .groups[a.group as usize];
        let run = &mut pool.groups[a.group as usize];
        run.busy_change(t, 1.0);
        if counted {
            run.counts.served += 1;
            run.counts.off_skill += (spec.rank[class] > 1) as u64;
            run.counts.by_skill[spec.skill_of[class] as usize] += 1;
            if let Some(w) = run.varying.as_mut().and_then(|v| v.weeks.as_mut()) {
                let week = ((t / WEEK) as usize).min(w.served.len() - 1);
                w.served[week] += 1;
                w.efficiency[week] += a.efficiency;
            }
        }
        self.start_service(id, t);
    }

    /// The client waits at grouped tier `tier` in its class's queue (call-
    /// backs in their own, promoted clients in theirs); a timer is set for
    /// its overflow when it may overflow later.
    pub(super) fn group_wait(
        &mut self,
        id: u32,
        tier: usize,
        generation: u32,
        promoted: bool,
        t: f64,
    ) {
        let class = self.class_of(id);
        let callback = self.clients[id as usize].callback;
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let kind = if promoted { 2 } else { callback as usize };
        pool.push(kind * pool.classes + class, id, generation);
        if pool.timers[class] {
            let after = self.model.tiers[tier]
                .groups
                .as_ref()
                .expect("groups")
                .overflow_after[class];
            self.calendar.schedule(
                Time(t + after),
                Event::GroupOverflow {
                    client: id,
                    generation,
                },
            );
        }
    }

    /// Waiting client `id` (entry `generation`) at grouped tier `tier` is
    /// promoted to the first priority: a second entry in its class's
    /// promoted queue (the first goes stale when either is served).
    pub(super) fn group_promote(&mut self, id: u32, tier: usize, generation: u32) {
        let class = self.class_of(id);
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        pool.push(2 * pool.classes + class, id, generation);
    }

    /// A waiting client's `overflow_after` has passed: a next-rank group
    /// with a free agent may take it now.
    /// Otherwise it waits on: a freed agent of any group admitting it
    /// takes it. Its queue entry is left stale when it is taken here.
    pub(super) fn group_overflow(&mut self, id: u32, t: f64) {
        let tier = self.clients[id as usize].tier as usize;
        let spec = self.model.tiers[tier].groups.as_ref().expect("groups");
        let class = self.class_of(id);
        let joined = self.clients[id as usize].joined;
        let pool = self.tiers[tier].pool.as_ref().expect("groups");
        let Some(g) = pool.pick(spec, class, joined, t) else {
            return;
        };
        let ts = &mut self.tiers[tier];
        ts.queue_len.change(t, -1.0);
        ts.waiting -= 1;
        self.group_starts(id, tier, g, class, t);
    }

    /// Agent `agent` at `tier` ended a service: it goes off duty if its
    /// shift has ended, else serves the next queue it admits, or goes
    /// idle.
    pub(super) fn group_free(&mut self, tier: usize, agent: usize, t: f64) {
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let g = pool.agents[agent].group as usize;
        let run = &mut pool.groups[g];
        run.busy_change(t, -1.0);
        if run.leaving > 0 {
            run.set_duty(t, run.duty, run.leaving - 1);
            run.off.push_back(agent as u32);
            self.sync_excess(tier, t);
            return;
        }
        self.agent_ready(tier, g, agent as u32, t);
    }

    /// Agent `agent` of group `g` at `tier`, on duty and not busy, serves
    /// the next queue its group admits, or goes idle.
    pub(super) fn agent_ready(&mut self, tier: usize, g: usize, agent: u32, t: f64) {
        let spec = self.model.tiers[tier].groups.as_ref().expect("groups");
        let clients = &self.clients;
        let ts = &mut self.tiers[tier];
        let pool = ts.pool.as_mut().expect("groups");
        let next = if ts.waiting == 0 {
            None
        } else {
            pool.next_queue(
                spec,
                g,
                t,
                |id, generation| clients[id as usize].generation == generation,
                |id| clients[id as usize].joined,
            )
        };
        let Some(q) = next else {
            let factor = pool.agents[agent as usize].factor;
            pool.groups[g].free.release(agent, factor, t);
            return;
        };
        let (id, _, _) = pool.queues[q].pop_front().expect("a valid head");
        let class = q % pool.classes;
        ts.queue_len.change(t, -1.0);
        ts.waiting -= 1;
        self.agent_starts(id, tier, agent, class, t);
    }
}
