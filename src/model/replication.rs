//! One replication's event loop: clients arrive, queue, are served, escalate,
//! abandon or are blocked, and every step is tallied.
//!
//! The state is a slab of clients reused through a free list, one queue per
//! (tier, priority rank) with lazy deletion, and the event calendar; nothing
//! is allocated per event once they have grown to the working size, and
//! memory depends on the most clients inside at once, not on run length.

use std::collections::VecDeque;

use rand::Rng;

use super::outcome::{Journey, Prepared};
use super::week::WEEK;
use super::{Discipline, Handoff, Model, Overload, Roster};
use crate::engine::rng::{keyed, name_hash, stream};
use crate::engine::stats::{DurationHistogram, SlotAverage, Tally};
use crate::engine::{Calendar, Dist, Stream, Time};

/// What can happen.
#[derive(Clone, Copy, Debug)]
enum Event {
    /// The next client of a segment arrives.
    Arrival { segment: u32 },
    /// A client's service ends, unless the client's generation moved on
    /// (it was preempted).
    ServiceEnd { client: u32, generation: u32 },
    /// A waiting client's patience runs out, unless its generation moved on
    /// (service began, or it left).
    Abandon { client: u32, generation: u32 },
    /// A tier's staffing changes to the roster's entry `change` (shift
    /// starts and ends, breaks).
    Staffing { tier: u32, change: u32 },
}

/// Where a client is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The slab slot is free.
    Free,
    /// In a queue, not yet served in this visit.
    Waiting,
    /// Being served.
    InService,
    /// Back in the queue after a preemption, with service left to do.
    Preempted,
}

/// One client inside the system.
#[derive(Clone, Copy, Debug)]
struct Client {
    /// Bumped at every change of phase, so stale events and queue entries
    /// are recognised in O(1).
    generation: u32,
    phase: Phase,
    segment: u16,
    tier: u16,
    /// Arrived after the warm-up: tallied.
    counted: bool,
    /// Number of the client's current visit to its current tier (1 for
    /// the first): numbers its keyed draws there, so that inserting or
    /// removing another tier on the route leaves them unchanged.
    visits: u32,
    /// Visits so far to each of the first 15 tiers, four bits each (tiers
    /// beyond share the last nibble).
    tier_visits: u64,
    /// Visits to any tier so far.
    total_visits: u32,
    /// Request type.
    request: u16,
    /// Hand-offs so far, cold and warm.
    cold_handoffs: u16,
    warm_handoffs: u16,
    /// A staffed (not unlimited) tier has served the client.
    human: bool,
    /// The client's own random key, drawn at arrival: its patience, service
    /// and routing at its n-th tier depend only on (key, tier, n), so a
    /// change elsewhere in the design (staffing, say) leaves every client
    /// exactly as patient, as long to serve, and on the same route.
    key: u64,
    /// Some service has started (the first one decides the service level).
    started: bool,
    arrival: f64,
    /// When the client joined the current tier.
    joined: f64,
    /// Wait before service in the current tier's visit.
    visit_wait: f64,
    /// Wait summed over the tiers visited.
    wait: f64,
    /// Wait before the first service (valid once `started`).
    first_wait: f64,
    /// When the current (or resumed) service started (valid in service).
    service_start: f64,
    /// When the current service ends (valid in service).
    service_end: f64,
    /// Service left after a preemption.
    remaining: f64,
}

impl Client {
    const FREE: Client = Client {
        generation: 0,
        phase: Phase::Free,
        segment: 0,
        tier: 0,
        counted: false,
        visits: 0,
        tier_visits: 0,
        total_visits: 0,
        request: 0,
        cold_handoffs: 0,
        warm_handoffs: 0,
        human: false,
        key: 0,
        started: false,
        arrival: 0.0,
        joined: 0.0,
        visit_wait: 0.0,
        wait: 0.0,
        first_wait: 0.0,
        service_start: 0.0,
        service_end: 0.0,
        remaining: 0.0,
    };
}

/// Per-client outcomes of one segment (or all segments merged) in one
/// replication. Clients arriving before the warm-up are not counted.
#[derive(Clone, Debug, Default)]
pub struct ClientCounts {
    /// Clients that arrived.
    pub arrived: u64,
    /// Clients that left after service.
    pub served: u64,
    /// Clients that left a queue unserved when their patience ran out.
    pub abandoned: u64,
    /// Clients turned away by a full queue (at any tier).
    pub blocked: u64,
    /// Clients still inside when the replication stopped.
    pub inside: u64,
    /// Total wait of each served or abandoned client.
    pub wait: Tally,
    /// Total wait of each served client.
    pub wait_served: Tally,
    /// Served or abandoned clients who could not start service on arrival.
    pub waited: u64,
    /// Served or abandoned clients whose first service started within the
    /// service-level threshold.
    pub within_service_level: u64,
    /// Arrival to departure of each served client.
    pub sojourn: Tally,
    /// Distribution of the total wait of served or abandoned clients.
    pub wait_histogram: DurationHistogram,
    /// Clients whose journey ended (served, abandoned or blocked).
    pub finished: u64,
    /// Satisfaction score (0-100) of each finished client.
    pub satisfaction: Tally,
    /// Finished clients answering top-box.
    pub top_box: u64,
    /// Finished clients making a front-line complaint.
    pub complaints: u64,
    /// Finished clients making a formal recorded complaint.
    pub formal_complaints: u64,
    /// Clients resolved at the first tier they contacted.
    pub first_contact: u64,
    /// Hand-offs of each finished client.
    pub handoffs: Tally,
    /// Clients resolved by an unlimited (chatbot) tier alone.
    pub deflected: u64,
    /// Sales made.
    pub sales: u64,
    /// Sales that were mis-sold (KPI pressure).
    pub mis_sales: u64,
    /// Revenue of the sales.
    pub revenue: f64,
}

impl ClientCounts {
    /// Tallies the waits of a client leaving after admission (served or
    /// abandoned). A client never served could not start on arrival and
    /// misses the service level.
    #[inline]
    fn record_admitted(&mut self, c: &Client, threshold: f64) {
        self.wait.add(c.wait);
        self.wait_histogram.record(c.wait);
        if !c.started || c.first_wait > 0.0 {
            self.waited += 1;
        }
        if c.started && c.first_wait <= threshold {
            self.within_service_level += 1;
        }
    }

    /// Adds another segment's counts.
    pub fn merge(&mut self, other: &ClientCounts) {
        self.arrived += other.arrived;
        self.served += other.served;
        self.abandoned += other.abandoned;
        self.blocked += other.blocked;
        self.inside += other.inside;
        self.wait.merge(&other.wait);
        self.wait_served.merge(&other.wait_served);
        self.waited += other.waited;
        self.within_service_level += other.within_service_level;
        self.sojourn.merge(&other.sojourn);
        self.wait_histogram.merge(&other.wait_histogram);
        self.finished += other.finished;
        self.satisfaction.merge(&other.satisfaction);
        self.top_box += other.top_box;
        self.complaints += other.complaints;
        self.formal_complaints += other.formal_complaints;
        self.first_contact += other.first_contact;
        self.handoffs.merge(&other.handoffs);
        self.deflected += other.deflected;
        self.sales += other.sales;
        self.mis_sales += other.mis_sales;
        self.revenue += other.revenue;
    }
}

/// Per-visit outcomes at one tier in one replication.
#[derive(Clone, Debug, Default)]
pub struct TierCounts {
    /// Visits that arrived at the tier.
    pub arrived: u64,
    /// Visits that ended with service.
    pub served: u64,
    /// Visits that ended in abandonment.
    pub abandoned: u64,
    /// Visits turned away by a full queue.
    pub blocked: u64,
    /// Served visits passed on to another tier.
    pub escalated: u64,
    /// Wait of each served or abandoned visit.
    pub wait: Tally,
    /// Wait of each served visit.
    pub wait_served: Tally,
    /// Served or abandoned visits that had to queue.
    pub waited: u64,
    /// Served or abandoned visits whose service started within the
    /// threshold.
    pub within_service_level: u64,
    /// Joining the tier to service end, served visits.
    pub sojourn: Tally,
    /// Time-average number of clients waiting, warm-up to horizon.
    pub queue_len_mean: f64,
    /// Time-average number of busy servers, warm-up to horizon.
    pub busy_mean: f64,
    /// Time-average number of servers on duty, warm-up to horizon.
    pub servers_mean: f64,
    /// Minutes served beyond the roster (finishing a client after a shift
    /// end or a break start), warm-up to horizon.
    pub overtime_minutes: f64,
    /// Per slot of the day: minutes of clients waiting, of busy servers
    /// on duty, and of servers on duty, warm-up to horizon.
    pub slot_queue: Vec<f64>,
    /// See `slot_queue`.
    pub slot_busy: Vec<f64>,
    /// See `slot_queue`.
    pub slot_servers: Vec<f64>,
    /// Minutes of the window in each slot.
    pub slot_exposure: Vec<f64>,
    /// Number of servers.
    pub servers: u32,
    /// An unlimited (chatbot) tier: utilization is undefined.
    pub unlimited: bool,
}

/// Everything one replication measured.
#[derive(Clone, Debug)]
pub struct ReplicationResult {
    /// Per segment, in model order.
    pub segments: Vec<ClientCounts>,
    /// Per tier, in model order.
    pub tiers: Vec<TierCounts>,
    /// Per slot of the day (by arrival time), all segments.
    pub slots: Vec<SlotCounts>,
    /// Events taken from the calendar (including stale ones skipped).
    pub events: u64,
    /// Set when the replication stopped early at `run.max_clients_inside`
    /// (its counts are then partial).
    pub overload: Option<Overload>,
}

/// Outcomes of the clients who arrived in one slot of the day.
#[derive(Clone, Debug, Default)]
pub struct SlotCounts {
    /// Clients that arrived.
    pub arrived: u64,
    /// Clients that abandoned.
    pub abandoned: u64,
    /// Served or abandoned clients.
    pub admitted_finished: u64,
    /// Total wait of served or abandoned clients.
    pub wait: Tally,
    /// Served or abandoned clients whose first service started within the
    /// threshold.
    pub within_service_level: u64,
    /// Satisfaction of finished clients.
    pub satisfaction: Tally,
}

/// Counts a visit to `tier` and returns its number among the client's
/// visits to that tier (1 for the first). The counts of tiers 0 to 14 are
/// packed four bits each into `counters`; tier 15 and beyond share the last
/// nibble (their draws still differ by the tier's salt). Past 15 visits a
/// count saturates, and the visit is numbered 16 + the client's total
/// visits, which keeps every draw distinct.
#[inline]
fn next_visit(counters: &mut u64, total: &mut u32, tier: usize) -> u32 {
    *total += 1;
    let shift = 4 * tier.min(15) as u32;
    let seen = ((*counters >> shift) & 0xF) as u32;
    if seen < 15 {
        *counters += 1 << shift;
        seen + 1
    } else {
        16 + *total
    }
}

/// Slot of the day of time `t`.
#[inline]
fn slot_of(t: f64, slot_len: f64, slots: usize) -> usize {
    ((t / slot_len).floor() as usize) % slots
}

/// The running state of one tier.
struct TierState {
    busy: u32,
    /// Servers on duty now.
    capacity: u32,
    /// The tier follows a roster.
    rostered: bool,
    /// Valid entries in the queues (clients waiting or preempted).
    waiting: u32,
    /// One FIFO per priority rank; entries are (client, generation) and may
    /// be stale (abandoned clients are left in place and skipped).
    queues: Vec<VecDeque<(u32, u32)>>,
    /// Clients in service, kept only for preemptive tiers.
    in_service: Vec<u32>,
    queue_len: SlotAverage,
    busy_servers: SlotAverage,
    on_duty: SlotAverage,
    /// Busy servers beyond those on duty (overtime).
    excess: SlotAverage,
    counts: TierCounts,
    /// Purpose salts of the keyed service and routing draws at this tier.
    service_salt: u64,
    route_salt: u64,
}

impl TierState {
    /// Sets the number of busy servers at time `t`, keeping the busy and
    /// overtime averages.
    #[inline]
    fn set_busy(&mut self, t: f64, busy: u32) {
        self.busy_servers.change(t, busy as f64 - self.busy as f64);
        self.busy = busy;
        // Without a roster the servers on duty never change, so nobody
        // works beyond them.
        if self.rostered {
            self.track_excess(t);
        }
    }

    /// Sets the servers on duty at time `t`.
    fn set_capacity(&mut self, t: f64, capacity: u32) {
        self.on_duty
            .change(t, capacity as f64 - self.capacity as f64);
        self.capacity = capacity;
        self.track_excess(t);
    }

    #[inline]
    fn track_excess(&mut self, t: f64) {
        let excess = self.busy.saturating_sub(self.capacity) as f64;
        if excess != self.excess.value() {
            self.excess.change(t, excess - self.excess.value());
        }
    }

    /// Entries in the queues, valid or stale.
    fn entries(&self) -> usize {
        self.queues.iter().map(VecDeque::len).sum()
    }
}

/// The running state of one replication.
struct Replication<'m> {
    model: &'m Model,
    /// Priority rank of each segment at each tier (0 = first served).
    ranks: Vec<Vec<u16>>,
    calendar: Calendar<Event>,
    clients: Vec<Client>,
    free: Vec<u32>,
    tiers: Vec<TierState>,
    segments: Vec<ClientCounts>,
    arrivals: Vec<Stream>,
    /// Per segment: the stream of client keys.
    keys: Vec<Stream>,
    /// Per segment: purpose salt of the keyed patience draws.
    patience_salts: Vec<u64>,
    /// The satisfaction model's coefficients, worked out once.
    scorer: Prepared,
    /// Per slot of the day in which clients arrived: their outcomes.
    slots: Vec<SlotCounts>,
    /// Slot length, minutes (infinite without a calendar).
    slot_len: f64,
    /// Purpose salts of the keyed request-type and outcome draws.
    request_salt: u64,
    outcome_salt: u64,
    threshold: f64,
    warmup: f64,
    /// Set when the clients inside reached the limit; the run then stops.
    overload: Option<Overload>,
    /// (segment, arrival time, key) of every client, for tests of common
    /// random numbers.
    #[cfg(test)]
    trace: Vec<(usize, f64, u64)>,
}

/// Runs replication `replication` of `model` and returns what it measured.
/// Deterministic: the same model and replication give the same result.
pub fn simulate(model: &Model, replication: u32) -> ReplicationResult {
    let mut r = Replication::new(model, replication);
    let events = r.run();
    r.finish(events)
}

impl<'m> Replication<'m> {
    fn new(model: &'m Model, replication: u32) -> Self {
        let seed = model.run.seed;
        let rep = replication as u64;
        let (start, end) = (model.run.warmup, model.run.horizon);
        let (slot_len, slots) = model
            .week
            .as_ref()
            .map_or((f64::INFINITY, 1), |w| (w.slot_minutes, w.slots()));
        let mut priorities: Vec<i64> = model.segments.iter().map(|s| s.priority).collect();
        priorities.sort_unstable();
        priorities.dedup();
        let ranks = model
            .tiers
            .iter()
            .map(|t| {
                model
                    .segments
                    .iter()
                    .map(|s| match t.discipline {
                        Discipline::Fifo => 0,
                        Discipline::Priority => {
                            priorities.binary_search(&s.priority).unwrap_or(0) as u16
                        }
                    })
                    .collect()
            })
            .collect();
        let tiers = model
            .tiers
            .iter()
            .map(|t| TierState {
                busy: 0,
                waiting: 0,
                queues: vec![VecDeque::new(); priorities.len()],
                in_service: Vec::new(),
                capacity: t.roster.as_ref().map_or(t.servers, |r| r.at(0.0)),
                rostered: t.roster.is_some(),
                queue_len: SlotAverage::new(start, end, slot_len, slots),
                busy_servers: SlotAverage::new(start, end, slot_len, slots),
                on_duty: {
                    let mut a = SlotAverage::new(start, end, slot_len, slots);
                    let servers = t.roster.as_ref().map_or(t.servers, |r| r.at(0.0));
                    if !t.unlimited {
                        a.change(0.0, servers as f64);
                    }
                    a
                },
                excess: SlotAverage::new(start, end, slot_len, slots),
                counts: TierCounts {
                    servers: t.servers,
                    unlimited: t.unlimited,
                    ..TierCounts::default()
                },
                service_salt: name_hash(&format!("service/{}", t.name)),
                route_salt: name_hash(&format!("route/{}", t.name)),
            })
            .collect();
        Replication {
            model,
            ranks,
            calendar: Calendar::new(),
            clients: Vec::with_capacity(1024),
            free: Vec::with_capacity(1024),
            tiers,
            segments: vec![ClientCounts::default(); model.segments.len()],
            arrivals: model
                .segments
                .iter()
                .map(|s| stream(seed, rep, &format!("arrival/{}", s.name)))
                .collect(),
            keys: model
                .segments
                .iter()
                .map(|s| stream(seed, rep, &format!("client/{}", s.name)))
                .collect(),
            patience_salts: model
                .segments
                .iter()
                .map(|s| name_hash(&format!("patience/{}", s.name)))
                .collect(),
            scorer: model.outcomes.prepared(),
            slots: vec![SlotCounts::default(); slots],
            slot_len,
            request_salt: name_hash("request"),
            outcome_salt: name_hash("outcome"),
            threshold: model.run.service_level_threshold,
            warmup: model.run.warmup,
            overload: None,
            #[cfg(test)]
            trace: Vec::new(),
        }
    }

    /// Runs the event loop to the end; returns the number of events taken.
    fn run(&mut self) -> u64 {
        for segment in 0..self.model.segments.len() {
            self.schedule_arrival(segment, 0.0);
        }
        for (tier, t) in self.model.tiers.iter().enumerate() {
            if let Some(r) = &t.roster {
                self.schedule_staffing(tier, r, 0, 0.0);
            }
        }
        let stop = self.model.run.horizon + self.model.run.drain_limit;
        let mut events = 0u64;
        while let Some((time, event)) = self.calendar.pop() {
            let t = time.minutes();
            if t > stop {
                break;
            }
            events += 1;
            match event {
                Event::Arrival { segment } => self.arrival(segment as usize, t),
                Event::ServiceEnd { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.service_end(client, t);
                    }
                }
                Event::Abandon { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.abandon(client, t);
                    }
                }
                Event::Staffing { tier, change } => {
                    self.staffing(tier as usize, change as usize, t)
                }
            }
        }
        events
    }

    /// Schedules the segment's next arrival after `now`, if before the
    /// horizon.
    #[inline]
    fn schedule_arrival(&mut self, segment: usize, now: f64) {
        let s = &self.model.segments[segment];
        let at = match &s.arrival_profile {
            None => {
                now + Dist::exponential(60.0 / s.rate_per_hour).sample(&mut self.arrivals[segment])
            }
            Some(rate) => {
                let mass = Dist::exponential(1.0).sample(&mut self.arrivals[segment]);
                match rate.advance(now, mass) {
                    Some(at) => at,
                    None => return,
                }
            }
        };
        if at <= self.model.run.horizon {
            self.calendar.schedule(
                Time(at),
                Event::Arrival {
                    segment: segment as u32,
                },
            );
        }
    }

    fn arrival(&mut self, segment: usize, t: f64) {
        self.schedule_arrival(segment, t);
        let counted = t >= self.warmup;
        let key = self.keys[segment].random();
        #[cfg(test)]
        self.trace.push((segment, t, key));
        let id = match self.free.pop() {
            Some(id) => id,
            // Every slot is taken: the slab grows only below the limit.
            None if self.clients.len() as u64 >= self.model.run.max_clients_inside => {
                return self.stop_overloaded(t);
            }
            None => {
                self.clients.push(Client::FREE);
                (self.clients.len() - 1) as u32
            }
        };
        let mix = &self.model.segments[segment].requests;
        let request = if mix.len() == 1 {
            0
        } else {
            let u: f64 = keyed(key, self.request_salt, 0).random();
            let mut acc = 0.0;
            mix.iter()
                .position(|p| {
                    acc += p;
                    u < acc
                })
                .unwrap_or(mix.len() - 1)
        };
        let c = &mut self.clients[id as usize];
        *c = Client {
            generation: c.generation,
            segment: segment as u16,
            request: request as u16,
            counted,
            key,
            arrival: t,
            ..Client::FREE
        };
        if counted {
            self.segments[segment].arrived += 1;
            if self.slots.len() > 1 {
                let slot = slot_of(t, self.slot_len, self.slots.len());
                self.slots[slot].arrived += 1;
            }
        }
        let entry = self.model.requests[request]
            .entry
            .unwrap_or(self.model.segments[segment].entry);
        self.join(id, entry, t);
    }

    /// Stops the run at time `t`: the clients inside reached the limit.
    /// The tier with the longest queue is the overloaded one.
    #[cold]
    fn stop_overloaded(&mut self, t: f64) {
        let (tier, waiting) = self
            .tiers
            .iter()
            .enumerate()
            .map(|(j, ts)| (j, ts.waiting))
            .max_by_key(|&(j, w)| (w, std::cmp::Reverse(j)))
            .unwrap_or((0, 0));
        self.overload = Some(Overload {
            time: t,
            inside: self.clients.len() as u64,
            tier,
            waiting: waiting as u64,
        });
        self.calendar.clear();
    }

    /// The client joins tier `tier`: starts service, preempts, waits, or is
    /// blocked.
    fn join(&mut self, id: u32, tier: usize, t: f64) {
        let model = self.model;
        let c = &mut self.clients[id as usize];
        c.tier = tier as u16;
        c.visits = next_visit(&mut c.tier_visits, &mut c.total_visits, tier);
        c.joined = t;
        c.visit_wait = 0.0;
        let (segment, counted) = (c.segment as usize, c.counted);
        let rank = self.ranks[tier][segment];
        let spec = &model.tiers[tier];
        let ts = &mut self.tiers[tier];
        if counted {
            ts.counts.arrived += 1;
        }
        if ts.busy < ts.capacity {
            self.start_service(id, t);
            return;
        }
        if spec.preemptive
            && let Some(victim) = self.preemption_victim(tier, rank)
        {
            self.preempt(victim, t);
            self.start_service(id, t);
            return;
        }
        let ts = &mut self.tiers[tier];
        if spec.queue_capacity.is_some_and(|cap| ts.waiting >= cap) {
            if counted {
                ts.counts.blocked += 1;
            }
            self.depart_blocked(id);
            return;
        }
        ts.queue_len.change(t, 1.0);
        ts.waiting += 1;
        let c = &mut self.clients[id as usize];
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Waiting;
        let generation = c.generation;
        ts.queues[rank as usize].push_back((id, generation));
        if let Some(patience) = &model.segments[segment].patience {
            let p = patience.sample(&mut keyed(
                c.key,
                self.patience_salts[segment] ^ self.tiers[tier].service_salt.rotate_left(29),
                c.visits as u64,
            ));
            self.calendar.schedule(
                Time(t + p),
                Event::Abandon {
                    client: id,
                    generation,
                },
            );
        }
    }

    /// The lowest-priority client in service at a preemptive tier that an
    /// arrival of priority `rank` may interrupt (latest started among equals).
    fn preemption_victim(&self, tier: usize, rank: u16) -> Option<u32> {
        let ranks = &self.ranks[tier];
        self.tiers[tier]
            .in_service
            .iter()
            .copied()
            .filter(|&v| ranks[self.clients[v as usize].segment as usize] > rank)
            .max_by(|&a, &b| {
                let (ca, cb) = (&self.clients[a as usize], &self.clients[b as usize]);
                ranks[ca.segment as usize]
                    .cmp(&ranks[cb.segment as usize])
                    .then(ca.service_start.total_cmp(&cb.service_start))
            })
    }

    /// Interrupts `victim`'s service; it goes back to the head of its
    /// priority's queue with the rest of its service to do.
    fn preempt(&mut self, victim: u32, t: f64) {
        let c = &mut self.clients[victim as usize];
        let tier = c.tier as usize;
        c.remaining = c.service_end - t;
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Preempted;
        let (generation, rank) = (c.generation, self.ranks[tier][c.segment as usize]);
        let ts = &mut self.tiers[tier];
        ts.set_busy(t, ts.busy - 1);
        if let Some(pos) = ts.in_service.iter().position(|&v| v == victim) {
            ts.in_service.swap_remove(pos);
        }
        ts.queue_len.change(t, 1.0);
        ts.waiting += 1;
        ts.queues[rank as usize].push_front((victim, generation));
    }

    /// The client takes a free server at its tier now.
    fn start_service(&mut self, id: u32, t: f64) {
        let model = self.model;
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let resumed = c.phase == Phase::Preempted;
        let ts = &mut self.tiers[tier];
        ts.set_busy(t, ts.busy + 1);
        let duration = if resumed {
            c.remaining
        } else {
            let wait = t - c.joined;
            c.visit_wait = wait;
            c.wait += wait;
            if !c.started {
                c.started = true;
                c.first_wait = c.wait;
            }
            let kinds = model.requests.len();
            let selling = if model.tiers[tier].unlimited {
                0.0
            } else {
                model.selling_minutes
            };
            selling
                + model.tiers[tier]
                    .service_of(c.segment as usize, c.request as usize, kinds)
                    .sample(&mut keyed(c.key, ts.service_salt, c.visits as u64))
        };
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::InService;
        c.service_start = t;
        c.service_end = t + duration;
        if model.tiers[tier].preemptive {
            ts.in_service.push(id);
        }
        self.calendar.schedule(
            Time(c.service_end),
            Event::ServiceEnd {
                client: id,
                generation: c.generation,
            },
        );
    }

    fn service_end(&mut self, id: u32, t: f64) {
        let model = self.model;
        let c = self.clients[id as usize];
        let tier = c.tier as usize;
        let spec = &model.tiers[tier];
        let ts = &mut self.tiers[tier];
        ts.set_busy(t, ts.busy - 1);
        if spec.preemptive
            && let Some(pos) = ts.in_service.iter().position(|&v| v == id)
        {
            ts.in_service.swap_remove(pos);
        }
        // Where the client goes next: one draw against the cumulative
        // escalation probabilities.
        let routes = &spec.routes[c.request as usize];
        let next = if routes.is_empty() {
            None
        } else {
            let u: f64 = keyed(c.key, ts.route_salt, c.visits as u64).random();
            let mut acc = 0.0;
            routes.iter().find_map(|e| {
                acc += e.probability;
                (u < acc).then_some(e.to)
            })
        };
        if c.counted {
            let k = &mut ts.counts;
            k.served += 1;
            k.wait.add(c.visit_wait);
            k.wait_served.add(c.visit_wait);
            if c.visit_wait > 0.0 {
                k.waited += 1;
            }
            if c.visit_wait <= self.threshold {
                k.within_service_level += 1;
            }
            k.sojourn.add(t - c.joined);
            if next.is_some() {
                k.escalated += 1;
            }
        }
        self.serve_next(tier, t);
        let c = &mut self.clients[id as usize];
        c.human |= !spec.unlimited;
        match next {
            Some(to) => {
                match spec.handoff {
                    Handoff::Cold => c.cold_handoffs += 1,
                    Handoff::Warm => c.warm_handoffs += 1,
                }
                self.join(id, to, t)
            }
            None => self.depart_served(id, t),
        }
    }

    /// Schedules the roster's change after `change` (wrapping to next week).
    fn schedule_staffing(&mut self, tier: usize, roster: &Roster, change: usize, now: f64) {
        let next = (change + 1) % roster.changes.len();
        let week_start = now - now.rem_euclid(WEEK);
        let mut at = week_start + roster.changes[next].0;
        if at <= now {
            at += WEEK;
        }
        if roster.changes.len() > 1 && at <= self.model.run.horizon {
            self.calendar.schedule(
                Time(at),
                Event::Staffing {
                    tier: tier as u32,
                    change: next as u32,
                },
            );
        }
    }

    /// A shift starts or ends, or a break: servers come on duty and take
    /// waiting clients, or go off duty as soon as their client in hand is
    /// served (never interrupting service).
    fn staffing(&mut self, tier: usize, change: usize, t: f64) {
        let model = self.model;
        let roster = model.tiers[tier]
            .roster
            .as_ref()
            .expect("staffing events come from a roster");
        self.tiers[tier].set_capacity(t, roster.changes[change].1);
        while self.tiers[tier].waiting > 0 && self.tiers[tier].busy < self.tiers[tier].capacity {
            self.serve_next(tier, t);
        }
        self.schedule_staffing(tier, roster, change, t);
    }

    /// A server at `tier` became free: it takes the first valid client in
    /// priority order.
    fn serve_next(&mut self, tier: usize, t: f64) {
        let ts = &mut self.tiers[tier];
        if ts.waiting == 0 || ts.busy >= ts.capacity {
            return;
        }
        for q in 0..ts.queues.len() {
            while let Some((id, generation)) = ts.queues[q].pop_front() {
                if self.clients[id as usize].generation == generation {
                    ts.queue_len.change(t, -1.0);
                    ts.waiting -= 1;
                    self.start_service(id, t);
                    return;
                }
            }
        }
    }

    fn abandon(&mut self, id: u32, t: f64) {
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let wait = t - c.joined;
        c.visit_wait = wait;
        c.wait += wait;
        let c = *c;
        let ts = &mut self.tiers[tier];
        ts.queue_len.change(t, -1.0);
        ts.waiting -= 1;
        if c.counted {
            let k = &mut ts.counts;
            k.abandoned += 1;
            k.wait.add(wait);
            if wait > 0.0 {
                k.waited += 1;
            }
            let counts = &mut self.segments[c.segment as usize];
            counts.abandoned += 1;
            counts.record_admitted(&c, self.threshold);
            self.record_outcome(&c, false);
        }
        self.release(id);
        // Abandoned entries stay in the queue and are skipped when reached;
        // compact when they outnumber the live ones so memory stays bounded.
        let ts = &mut self.tiers[tier];
        let entries = ts.entries();
        if entries > 64 && entries > 2 * ts.waiting as usize {
            let clients = &self.clients;
            for q in &mut ts.queues {
                q.retain(|&(id, g)| clients[id as usize].generation == g);
            }
        }
    }

    fn depart_served(&mut self, id: u32, t: f64) {
        let c = self.clients[id as usize];
        if c.counted {
            let counts = &mut self.segments[c.segment as usize];
            counts.served += 1;
            counts.record_admitted(&c, self.threshold);
            counts.wait_served.add(c.wait);
            counts.sojourn.add(t - c.arrival);
            self.record_outcome(&c, true);
        }
        self.release(id);
    }

    fn depart_blocked(&mut self, id: u32) {
        let c = self.clients[id as usize];
        if c.counted {
            self.segments[c.segment as usize].blocked += 1;
            self.record_outcome(&c, false);
        }
        self.release(id);
    }

    /// Tallies what a finished journey leaves behind: satisfaction, top-box,
    /// complaints, first-contact resolution, hand-offs, deflection, sales.
    fn record_outcome(&mut self, c: &Client, resolved: bool) {
        let model = self.model;
        let o = &model.outcomes;
        let segment = &model.segments[c.segment as usize];
        let request = &model.requests[c.request as usize];
        let journey = Journey {
            wait: c.wait,
            tolerance: segment.tolerance,
            cold_handoffs: c.cold_handoffs as u32,
            warm_handoffs: c.warm_handoffs as u32,
            resolved,
        };
        let p = self.scorer.top_box(&journey);
        if self.slots.len() > 1 {
            let slot = slot_of(c.arrival, self.slot_len, self.slots.len());
            let slot = &mut self.slots[slot];
            slot.satisfaction.add(100.0 * p);
            if journey.resolved || c.phase == Phase::Waiting {
                // Served, or abandoning from a queue (blocked clients are
                // not admitted).
                slot.admitted_finished += 1;
                slot.wait.add(c.wait);
                slot.within_service_level += (c.started && c.first_wait <= self.threshold) as u64;
            }
            if c.phase == Phase::Waiting {
                slot.abandoned += 1;
            }
        }
        let mut draws = keyed(c.key, self.outcome_salt, 0);
        let counts = &mut self.segments[c.segment as usize];
        counts.finished += 1;
        counts.satisfaction.add(100.0 * p);
        counts.top_box += (draws.random::<f64>() < p) as u64;
        counts.complaints += (draws.random::<f64>() < o.complaint(p)) as u64;
        counts.formal_complaints += (draws.random::<f64>() < o.formal_complaint(p)) as u64;
        let handoffs = c.cold_handoffs as u32 + c.warm_handoffs as u32;
        counts.handoffs.add(handoffs as f64);
        if resolved {
            counts.first_contact += (handoffs == 0) as u64;
            counts.deflected += (!c.human) as u64;
            let sale = draws.random::<f64>() < o.sale(p, request.sale_probability, !c.human);
            counts.sales += sale as u64;
            if sale {
                counts.revenue += request.revenue_per_sale;
                if draws.random::<f64>() < o.mis_sale() {
                    counts.mis_sales += 1;
                    counts.formal_complaints +=
                        (draws.random::<f64>() < o.mis_sale_complaint) as u64;
                }
            }
        }
    }

    /// Frees the client's slot; bumping the generation makes every event and
    /// queue entry still naming it stale.
    fn release(&mut self, id: u32) {
        let c = &mut self.clients[id as usize];
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Free;
        self.free.push(id);
    }

    fn finish(mut self, events: u64) -> ReplicationResult {
        for c in &self.clients {
            if c.phase != Phase::Free && c.counted {
                self.segments[c.segment as usize].inside += 1;
            }
        }
        let tiers = self
            .tiers
            .into_iter()
            .map(|ts| {
                let busy = ts.busy_servers.slot_areas();
                let excess = ts.excess.slot_areas();
                TierCounts {
                    queue_len_mean: ts.queue_len.mean(),
                    busy_mean: ts.busy_servers.mean() - ts.excess.mean(),
                    servers_mean: ts.on_duty.mean(),
                    overtime_minutes: ts.excess.total(),
                    slot_queue: ts.queue_len.slot_areas(),
                    slot_busy: busy.iter().zip(&excess).map(|(b, e)| b - e).collect(),
                    slot_servers: ts.on_duty.slot_areas(),
                    slot_exposure: ts.on_duty.slot_exposure(),
                    ..ts.counts
                }
            })
            .collect();
        ReplicationResult {
            segments: self.segments,
            tiers,
            slots: self.slots,
            events,
            overload: self.overload,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Dist;
    use crate::model::{Escalation, Outcomes, RequestType, RunControl, Segment, Tier};

    fn two_tier(front_servers: u32) -> Model {
        let segment = |name: &str, rate: f64, priority: i64| Segment {
            name: name.into(),
            rate_per_hour: rate,
            patience: Some(Dist::exponential(3.0)),
            priority,
            entry: 0,
            requests: vec![1.0],
            tolerance: 2.0,
            arrival_profile: None,
        };
        let tier = |name: &str, servers: u32, escalate: Vec<Escalation>| Tier {
            name: name.into(),
            servers,
            unlimited: false,
            service: vec![Dist::exponential(2.0); 2],
            queue_capacity: Some(5),
            preemptive: false,
            discipline: Discipline::Priority,
            routes: vec![escalate],
            handoff: Handoff::Warm,
            roster: None,
        };
        Model {
            name: "crn".into(),
            run: RunControl {
                horizon: 2000.0,
                warmup: 100.0,
                replications: 3,
                seed: 11,
                service_level_threshold: 1.0,
                drain_limit: f64::INFINITY,
                max_clients_inside: crate::model::DEFAULT_MAX_CLIENTS_INSIDE,
            },
            segments: vec![segment("vip", 30.0, 0), segment("ordinary", 120.0, 1)],
            tiers: vec![
                tier(
                    "front",
                    front_servers,
                    vec![Escalation {
                        to: 1,
                        probability: 0.3,
                    }],
                ),
                tier("expert", 2, vec![]),
            ],
            requests: vec![RequestType {
                name: "default".into(),
                sale_probability: 0.03,
                revenue_per_sale: 0.0,
                entry: None,
            }],
            outcomes: Outcomes::default(),
            week: None,
            selling_minutes: 0.0,
        }
    }

    fn traced(model: &Model, replication: u32) -> (ReplicationResult, Vec<(usize, f64, u64)>) {
        let mut r = Replication::new(model, replication);
        let events = r.run();
        let trace = std::mem::take(&mut r.trace);
        (r.finish(events), trace)
    }

    /// Common random numbers: a change of staffing leaves every client's
    /// arrival time and random key (hence patience) exactly as they were,
    /// while the outcomes do change.
    #[test]
    fn staffing_change_keeps_the_same_clients() {
        for replication in 0..3 {
            let (few, few_trace) = traced(&two_tier(3), replication);
            let (many, many_trace) = traced(&two_tier(6), replication);
            assert!(few_trace.len() > 3000);
            assert_eq!(few_trace, many_trace);
            assert_ne!(few.tiers[0].wait.sum, many.tiers[0].wait.sum);
        }
        // A different replication is a different set of clients.
        assert_ne!(traced(&two_tier(3), 0).1, traced(&two_tier(3), 1).1);
    }

    /// Abandoned entries are compacted away: the queues hold no more than
    /// twice the waiting clients (plus the compaction floor) at the end.
    #[test]
    fn stale_queue_entries_stay_bounded() {
        let mut model = two_tier(1);
        model.tiers[0].queue_capacity = None;
        model.run.drain_limit = 0.0;
        let mut r = Replication::new(&model, 0);
        r.run();
        for ts in &r.tiers {
            assert!(
                ts.entries() <= 2 * ts.waiting as usize + 65,
                "{} entries",
                ts.entries()
            );
        }
    }

    #[test]
    fn visits_are_numbered_per_tier() {
        let (mut counters, mut total) = (0u64, 0u32);
        let seq: Vec<u32> = [0, 1, 0, 2, 1, 0]
            .iter()
            .map(|&t| next_visit(&mut counters, &mut total, t))
            .collect();
        assert_eq!(seq, vec![1, 1, 2, 1, 2, 3]);
        // A 16th visit to one tier and beyond stay distinct.
        let (mut counters, mut total) = (0u64, 0u32);
        let many: Vec<u32> = (0..20)
            .map(|_| next_visit(&mut counters, &mut total, 3))
            .collect();
        let mut sorted = many.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), 20, "{many:?}");
    }

    #[test]
    fn same_replication_same_result() {
        let model = two_tier(3);
        let (a, b) = (simulate(&model, 2), simulate(&model, 2));
        assert_eq!(a.events, b.events);
        assert_eq!(a.segments[1].wait, b.segments[1].wait);
        assert_eq!(a.tiers[1].queue_len_mean, b.tiers[1].queue_len_mean);
    }
}
