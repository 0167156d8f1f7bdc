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
use super::counts::GroupCounts;
use super::state::Replication;
use crate::engine::Time;
use crate::engine::stats::TimeAverage;
use crate::model::Tier;
use crate::model::groups::{Groups, Routing};

/// One group's running state.
pub(super) struct GroupRun {
    /// When each free agent became free, longest idle first.
    free: VecDeque<f64>,
    /// Busy agents over time.
    busy: TimeAverage,
    counts: GroupCounts,
}

/// The running state of a tier's groups: the groups and one FIFO per
/// (class, live, call-back or promoted) queue.
pub(super) struct GroupPool {
    groups: Vec<GroupRun>,
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
}

impl GroupPool {
    /// The groups of `tier` before the first event; `ranks` is each
    /// segment's priority rank there and `callback_rank` that of
    /// call-backs; averages over [start, end].
    pub(super) fn new(tier: &Tier, ranks: &[u16], callback_rank: u16, window: (f64, f64)) -> Self {
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
        GroupPool {
            groups: spec
                .groups
                .iter()
                .map(|g| GroupRun {
                    free: std::iter::repeat_n(0.0, g.servers as usize).collect(),
                    busy: TimeAverage::new(window.0, window.1),
                    counts: GroupCounts {
                        servers: g.servers,
                        by_skill: vec![0; g.skills.len()],
                        ..GroupCounts::default()
                    },
                })
                .collect(),
            queues: vec![VecDeque::new(); 3 * classes],
            queue_rank,
            seq: 0,
            classes,
            timers,
        }
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
                ..g.counts
            })
            .collect()
    }

    /// The group that takes a client of `class` who joined at `joined`,
    /// now (`t`), if one has a free agent that admits it.
    fn pick(&self, spec: &Groups, class: usize, joined: f64, t: f64) -> Option<usize> {
        let mut best: Option<(usize, (f64, u8))> = None;
        for (g, run) in self.groups.iter().enumerate() {
            let Some(&idle_since) = run.free.front() else {
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
                Routing::LongestIdle => (idle_since, 0),
                Routing::Fastest => (group.speed[class], rank),
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

    /// Group `g` takes client `id` (of `class`) now: counted, and service
    /// starts.
    fn group_starts(&mut self, id: u32, tier: usize, g: usize, class: usize, t: f64) {
        let spec = &self.model.tiers[tier]
            .groups
            .as_ref()
            .expect("groups")
            .groups[g];
        let c = &mut self.clients[id as usize];
        c.rm = g as u16;
        let counted = c.counted;
        let pool = self.tiers[tier].pool.as_mut().expect("groups");
        let run = &mut pool.groups[g];
        run.free.pop_front();
        run.busy.change(t, 1.0);
        if counted {
            run.counts.served += 1;
            run.counts.off_skill += (spec.rank[class] > 1) as u64;
            run.counts.by_skill[spec.skill_of[class] as usize] += 1;
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

    /// An agent of group `g` at `tier` became free: it serves the next
    /// queue it admits, or goes idle.
    pub(super) fn group_free(&mut self, tier: usize, g: usize, t: f64) {
        let spec = self.model.tiers[tier].groups.as_ref().expect("groups");
        let clients = &self.clients;
        let ts = &mut self.tiers[tier];
        let pool = ts.pool.as_mut().expect("groups");
        pool.groups[g].busy.change(t, -1.0);
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
            pool.groups[g].free.push_back(t);
            return;
        };
        let (id, _, _) = pool.queues[q].pop_front().expect("a valid head");
        let class = q % pool.classes;
        // The agent counts as free until it takes the client.
        pool.groups[g].free.push_front(t);
        ts.queue_len.change(t, -1.0);
        ts.waiting -= 1;
        self.group_starts(id, tier, g, class, t);
    }
}
