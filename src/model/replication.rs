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
use super::week::{NON_CLIENT_CYCLE, WEEK, availability};
use super::{Discipline, Handoff, Model, Overflow, Overload, Tier, TierKind, Transfer, WhenClosed};
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
    /// A tier's staffing changes to its plan's entry `change` (shift
    /// starts and ends, breaks, non-client work).
    Staffing { tier: u32, change: u32 },
    /// A client not on the line (waiting for a channel to open, or for a
    /// call-back retry) joins the tier in its `next`, unless its
    /// generation moved on.
    Rejoin { client: u32, generation: u32 },
    /// A booked client's wait for their own RM reaches `overflow_after`.
    Overflow { client: u32, generation: u32 },
    /// A dedicated RM's block of non-client work ends.
    RmReady { tier: u32, rm: u32 },
    /// An outbound sales call at a tier ends.
    OutboundEnd { tier: u32 },
}

/// No tier (`Client::next`) or no RM (`Client::own_rm`).
const NONE: u16 = u16::MAX;

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
    /// Channel of arrival (0 without channels).
    channel: u8,
    /// Complexity of the request, for tiers with a skill level.
    complexity: f64,
    /// The tier to join after the current service or pending rejoin
    /// (`NONE`: leave, or go on to the back office).
    next: u16,
    /// Waiting to be called back (not on the line): no patience, and the
    /// time does not count as queue wait.
    callback: bool,
    /// Failed call-back attempts of the current call-back.
    attempts: u8,
    /// The current service is a call-back attempt that fails.
    attempt_fails: bool,
    /// Extra contacts (call-backs) so far.
    repeats: u8,
    /// Back-office steps started so far.
    steps: u8,
    /// Own dedicated RM (`NONE` when not booked).
    own_rm: u16,
    /// The RM serving the client at a dedicated tier.
    rm: u16,
    /// Served by their own RM.
    by_own_rm: bool,
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
        channel: 0,
        complexity: 0.0,
        next: NONE,
        callback: false,
        attempts: 0,
        attempt_fails: false,
        repeats: 0,
        steps: 0,
        own_rm: NONE,
        rm: 0,
        by_own_rm: false,
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
    /// Finished clients with a dedicated RM.
    pub booked: u64,
    /// Finished clients with a dedicated RM who were served by them.
    pub own_rm: u64,
    /// Clients given up after every call-back attempt failed (also counted
    /// as abandoned).
    pub unreached: u64,
    /// Total wait of served or abandoned clients by when they arrived: in
    /// the first or the second half of the warm-up-to-horizon window (a
    /// warm-up too short shows as a difference).
    pub wait_halves: [Tally; 2],
}

impl ClientCounts {
    /// Tallies the waits of a client leaving after admission (served or
    /// abandoned). A client never served could not start on arrival and
    /// misses the service level.
    #[inline]
    fn record_admitted(&mut self, c: &Client, threshold: f64, midpoint: f64) {
        self.wait.add(c.wait);
        self.wait_halves[(c.arrival >= midpoint) as usize].add(c.wait);
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
        self.booked += other.booked;
        self.own_rm += other.own_rm;
        self.unreached += other.unreached;
        self.wait_halves[0].merge(&other.wait_halves[0]);
        self.wait_halves[1].merge(&other.wait_halves[1]);
    }
}

/// Outcomes of the clients with one request type in one replication.
#[derive(Clone, Debug, Default)]
pub struct RequestCounts {
    /// Clients that arrived.
    pub arrived: u64,
    /// Clients served to the final answer.
    pub served: u64,
    /// Arrival to final answer of each served client, minutes.
    pub turnaround: Tally,
    /// Satisfaction score (0-100) of each finished client.
    pub satisfaction: Tally,
    /// Sales made.
    pub sales: u64,
    /// Revenue of the sales.
    pub revenue: f64,
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
    /// Clients one server serves at once.
    pub sessions: u32,
    /// Time-average servers available for clients (on duty, not on
    /// non-client work), warm-up to horizon.
    pub available_mean: f64,
    /// Time-average servers on outbound calls, warm-up to horizon.
    pub outbound_mean: f64,
    /// Outbound calls made.
    pub outbound_calls: u64,
    /// Sales from outbound calls.
    pub outbound_sales: u64,
    /// Revenue of those sales.
    pub outbound_revenue: f64,
    /// Call-back attempts made.
    pub callback_attempts: u64,
    /// Call-back attempts that failed to reach the client.
    pub callback_failures: u64,
    /// Visits that left a dedicated RM's queue for the overflow tier.
    pub overflowed: u64,
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
    /// Per request type, in model order; empty when the model declares no
    /// request types (one implicit type).
    pub requests: Vec<RequestCounts>,
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
    /// Sessions in use: clients in service plus outbound calls.
    busy: u32,
    /// Sessions available for clients now (servers on duty and not on
    /// non-client work, times sessions per server).
    capacity: u32,
    /// Servers on duty now.
    duty: u32,
    /// Clients one server serves at once.
    sessions: u32,
    /// The tier follows a roster.
    rostered: bool,
    /// Valid entries in the queues (clients waiting or preempted).
    waiting: u32,
    /// One FIFO per priority rank, then one for call-backs; entries are
    /// (client, generation) and may be stale (abandoned clients are left in
    /// place and skipped).
    queues: Vec<VecDeque<(u32, u32)>>,
    /// Clients in service, kept only for preemptive tiers.
    in_service: Vec<u32>,
    /// Dedicated tiers: each RM busy or not, and each RM's own queue.
    rm_busy: Vec<bool>,
    rm_queues: Vec<VecDeque<(u32, u32)>>,
    /// Sessions on outbound calls now.
    outbound_busy: u32,
    /// Lengths and outcomes of outbound calls.
    outbound_stream: Stream,
    queue_len: SlotAverage,
    busy_servers: SlotAverage,
    on_duty: SlotAverage,
    available: SlotAverage,
    outbound: SlotAverage,
    /// Busy sessions beyond those on duty (overtime).
    excess: SlotAverage,
    counts: TierCounts,
    /// (minute of the week, servers on duty, servers available) from each
    /// change on; empty when staffing never changes.
    plan: Vec<(f64, u32, u32)>,
    /// Purpose salts of the keyed service, routing and call-back draws at
    /// this tier.
    service_salt: u64,
    route_salt: u64,
    callback_salt: u64,
}

impl TierState {
    /// Sets the number of busy sessions at time `t`, keeping the busy and
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

    /// Sets the servers on duty and those available for clients at `t`.
    fn set_staffing(&mut self, t: f64, duty: u32, available: u32) {
        self.on_duty.change(t, duty as f64 - self.duty as f64);
        self.available.change(
            t,
            available as f64 - self.capacity as f64 / self.sessions as f64,
        );
        self.duty = duty;
        self.capacity = available * self.sessions;
        self.track_excess(t);
    }

    #[inline]
    fn track_excess(&mut self, t: f64) {
        let excess = self.busy.saturating_sub(self.duty * self.sessions) as f64;
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
    /// The rank of call-back cases: after every live client.
    callback_rank: u16,
    calendar: Calendar<Event>,
    clients: Vec<Client>,
    free: Vec<u32>,
    tiers: Vec<TierState>,
    segments: Vec<ClientCounts>,
    requests: Vec<RequestCounts>,
    /// Results are reported per request type (the model declares them).
    by_request: bool,
    /// The model has channels, books or complexities: arrivals draw them.
    extras: bool,
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
    /// Purpose salts of the keyed request-type, channel, complexity, book
    /// and outcome draws.
    request_salt: u64,
    channel_salt: u64,
    complexity_salt: u64,
    book_salt: u64,
    outcome_salt: u64,
    threshold: f64,
    warmup: f64,
    /// Middle of the warm-up-to-horizon window.
    midpoint: f64,
    /// Clients released so far, and (count, time) when staffing after the
    /// horizon last saw it change.
    released: u64,
    progress: (u64, f64),
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
        let average = || SlotAverage::new(start, end, slot_len, slots);
        let tiers = model
            .tiers
            .iter()
            .map(|t| {
                let plan = if t.unlimited {
                    Vec::new()
                } else {
                    availability(t.roster.as_ref(), t.servers, t.non_client_share)
                };
                let (duty, available) = plan.first().map_or((t.servers, t.servers), |p| (p.1, p.2));
                let mut on_duty = average();
                let mut free = average();
                if !t.unlimited {
                    on_duty.change(0.0, duty as f64);
                    free.change(0.0, available as f64);
                }
                let dedicated = t.kind == TierKind::Dedicated;
                let rms = if dedicated { t.servers as usize } else { 0 };
                TierState {
                    busy: 0,
                    capacity: available.saturating_mul(t.sessions),
                    duty,
                    sessions: t.sessions,
                    rostered: t.roster.is_some(),
                    waiting: 0,
                    queues: vec![VecDeque::new(); priorities.len() + 1],
                    in_service: Vec::new(),
                    rm_busy: vec![false; rms],
                    rm_queues: vec![VecDeque::new(); rms],
                    outbound_busy: 0,
                    outbound_stream: stream(seed, rep, &format!("outbound/{}", t.name)),
                    queue_len: average(),
                    busy_servers: average(),
                    on_duty,
                    available: free,
                    outbound: average(),
                    excess: average(),
                    counts: TierCounts {
                        servers: t.servers,
                        unlimited: t.unlimited,
                        sessions: t.sessions,
                        ..TierCounts::default()
                    },
                    plan: if plan.len() > 1 { plan } else { Vec::new() },
                    service_salt: name_hash(&format!("service/{}", t.name)),
                    route_salt: name_hash(&format!("route/{}", t.name)),
                    callback_salt: name_hash(&format!("callback/{}", t.name)),
                }
            })
            .collect();
        Replication {
            model,
            ranks,
            callback_rank: priorities.len() as u16,
            calendar: Calendar::new(),
            clients: Vec::with_capacity(1024),
            free: Vec::with_capacity(1024),
            tiers,
            segments: vec![ClientCounts::default(); model.segments.len()],
            requests: vec![RequestCounts::default(); model.requests.len()],
            by_request: model.declares_requests(),
            extras: !model.channels.is_empty()
                || model.segments.iter().any(|s| s.book.is_some())
                || model.requests.iter().any(|r| r.complexity.is_some()),
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
            channel_salt: name_hash("channel"),
            complexity_salt: name_hash("complexity"),
            book_salt: name_hash("book"),
            outcome_salt: name_hash("outcome"),
            threshold: model.run.service_level_threshold,
            warmup: model.run.warmup,
            midpoint: 0.5 * (model.run.warmup + model.run.horizon),
            released: 0,
            progress: (0, model.run.horizon),
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
        for tier in 0..self.tiers.len() {
            if !self.tiers[tier].plan.is_empty() {
                self.schedule_staffing(tier, 0, 0.0);
            }
            self.try_outbound(tier, 0.0);
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
                    let c = &self.clients[client as usize];
                    if c.generation == generation && !c.callback {
                        self.abandon(client, t);
                    }
                }
                Event::Staffing { tier, change } => {
                    self.staffing(tier as usize, change as usize, t)
                }
                Event::Rejoin { client, generation } => {
                    let c = &self.clients[client as usize];
                    if c.generation == generation {
                        self.join(client, c.next as usize, t);
                    }
                }
                Event::Overflow { client, generation } => {
                    if self.clients[client as usize].generation == generation {
                        self.overflow(client, t);
                    }
                }
                Event::RmReady { tier, rm } => self.rm_free(tier as usize, rm as usize, t),
                Event::OutboundEnd { tier } => self.outbound_end(tier as usize, t),
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
        let model = self.model;
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
        let seg = &model.segments[segment];
        let request = pick(&seg.requests, key, self.request_salt);
        let (channel, complexity, own_rm) = if self.extras {
            self.arrival_extras(segment, request, key)
        } else {
            (0, 0.0, NONE)
        };
        let c = &mut self.clients[id as usize];
        *c = Client {
            generation: c.generation,
            phase: Phase::Waiting,
            segment: segment as u16,
            request: request as u16,
            counted,
            key,
            arrival: t,
            channel: channel as u8,
            complexity,
            own_rm,
            ..Client::FREE
        };
        if counted {
            self.segments[segment].arrived += 1;
            if self.by_request {
                self.requests[request].arrived += 1;
            }
            if self.slots.len() > 1 {
                let slot = slot_of(t, self.slot_len, self.slots.len());
                self.slots[slot].arrived += 1;
            }
        }
        let entry = match (&seg.book, own_rm) {
            (Some(b), rm) if rm != NONE => b.tier,
            _ => model.entry(segment, request, channel),
        };
        if self.extras
            && let Some(ch) = model.channels.get(channel)
            && let Some(hours) = &ch.hours
            && !hours.is_open(t)
        {
            match ch.when_closed {
                WhenClosed::Lost => self.depart_blocked(id),
                WhenClosed::Wait => {
                    let opens = hours.next_open(t);
                    let c = &mut self.clients[id as usize];
                    c.next = entry as u16;
                    self.calendar.schedule(
                        Time(opens),
                        Event::Rejoin {
                            client: id,
                            generation: c.generation,
                        },
                    );
                }
            }
            return;
        }
        self.join(id, entry, t);
    }

    /// A new client's channel, complexity and own RM (keyed draws).
    fn arrival_extras(&self, segment: usize, request: usize, key: u64) -> (usize, f64, u16) {
        let model = self.model;
        let seg = &model.segments[segment];
        let channel = pick(&seg.channels, key, self.channel_salt);
        let complexity = model.requests[request]
            .complexity
            .as_ref()
            .map_or(0.0, |d| {
                d.sample(&mut keyed(key, self.complexity_salt, 0))
                    .clamp(0.0, 1.0)
            });
        // A booked client is one of the segment's population; the first
        // books' worth of them have an RM.
        let own_rm = seg.book.as_ref().map_or(NONE, |b| {
            let u: f64 = keyed(key, self.book_salt, 0).random();
            let client = (u * b.population as f64) as u64;
            let rm = client / b.clients_per_rm.max(1) as u64;
            if rm < model.tiers[b.tier].servers as u64 {
                rm as u16
            } else {
                NONE
            }
        });
        (channel, complexity, own_rm)
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

    /// The client (or their case) joins tier `tier`: starts service,
    /// preempts, waits, or is blocked.
    fn join(&mut self, id: u32, tier: usize, t: f64) {
        let model = self.model;
        let c = &mut self.clients[id as usize];
        c.tier = tier as u16;
        c.visits = next_visit(&mut c.tier_visits, &mut c.total_visits, tier);
        c.joined = t;
        c.visit_wait = 0.0;
        let (segment, counted) = (c.segment as usize, c.counted);
        let spec = &model.tiers[tier];
        // On the line: neither a case in a back office nor a client waiting
        // to be called back.
        let on_line = !c.callback && spec.kind != TierKind::BackOffice;
        let rank = if c.callback {
            self.callback_rank
        } else {
            self.ranks[tier][segment]
        };
        let ts = &mut self.tiers[tier];
        if counted {
            ts.counts.arrived += 1;
        }
        if spec.kind == TierKind::Dedicated {
            self.join_own_rm(id, tier, t);
            return;
        }
        if ts.busy < ts.capacity {
            self.start_service(id, t);
            return;
        }
        if spec.preemptive
            && on_line
            && let Some(victim) = self.preemption_victim(tier, rank)
        {
            self.preempt(victim, t);
            self.start_service(id, t);
            return;
        }
        let ts = &mut self.tiers[tier];
        if on_line && spec.queue_capacity.is_some_and(|cap| ts.waiting >= cap) {
            if counted {
                ts.counts.blocked += 1;
            }
            self.depart_blocked(id);
            return;
        }
        let generation = self.start_waiting(id, tier, t);
        self.tiers[tier].queues[rank as usize].push_back((id, generation));
        if on_line {
            self.schedule_patience(id, tier, t);
        }
    }

    /// The client starts waiting at `tier`: counted in its queue, with a
    /// new generation (returned) for its queue entry.
    #[inline]
    fn start_waiting(&mut self, id: u32, tier: usize, t: f64) -> u32 {
        let ts = &mut self.tiers[tier];
        ts.queue_len.change(t, 1.0);
        ts.waiting += 1;
        let c = &mut self.clients[id as usize];
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::Waiting;
        c.generation
    }

    /// Schedules the waiting client's abandonment, if its segment has a
    /// patience.
    #[inline(always)]
    fn schedule_patience(&mut self, id: u32, tier: usize, t: f64) {
        let c = &self.clients[id as usize];
        let segment = c.segment as usize;
        if let Some(patience) = &self.model.segments[segment].patience {
            let p = patience.sample(&mut keyed(
                c.key,
                self.patience_salts[segment] ^ self.tiers[tier].service_salt.rotate_left(29),
                c.visits as u64,
            ));
            self.calendar.schedule(
                Time(t + p),
                Event::Abandon {
                    client: id,
                    generation: c.generation,
                },
            );
        }
    }

    /// A booked client at a dedicated tier: served by their own RM when
    /// free, else waits in that RM's queue until the overflow rule applies.
    fn join_own_rm(&mut self, id: u32, tier: usize, t: f64) {
        let rm = self.clients[id as usize].own_rm as usize;
        if !self.tiers[tier].rm_busy[rm] && self.rm_ready_at(tier, rm, t) <= t {
            self.start_service_by(id, rm, t);
            return;
        }
        let generation = self.start_waiting(id, tier, t);
        self.tiers[tier].rm_queues[rm].push_back((id, generation));
        let c = &self.clients[id as usize];
        if !c.callback {
            let book = self.model.segments[c.segment as usize]
                .book
                .as_ref()
                .expect("booked clients have a book");
            if book.overflow_after.is_finite() {
                self.calendar.schedule(
                    Time(t + book.overflow_after),
                    Event::Overflow {
                        client: id,
                        generation,
                    },
                );
            }
            self.schedule_patience(id, tier, t);
        }
        // An idle RM on non-client work takes the client when it ends.
        let ready = self.rm_ready_at(tier, rm, t);
        if !self.tiers[tier].rm_busy[rm] && ready > t {
            self.calendar.schedule(
                Time(ready),
                Event::RmReady {
                    tier: tier as u32,
                    rm: rm as u32,
                },
            );
        }
    }

    /// When RM `rm` of a dedicated tier is next free of non-client work:
    /// `t` itself outside its block. RM i's block takes the tier's
    /// non-client share of every hour, starting i × 60/n minutes past the
    /// hour (the same blocks as `week::availability`).
    fn rm_ready_at(&self, tier: usize, rm: usize, t: f64) -> f64 {
        let spec = &self.model.tiers[tier];
        if spec.non_client_share <= 0.0 {
            return t;
        }
        let stagger = NON_CLIENT_CYCLE / spec.servers as f64;
        let block = spec.non_client_share * NON_CLIENT_CYCLE;
        let since = (t - rm as f64 * stagger).rem_euclid(NON_CLIENT_CYCLE);
        if since < block - 1e-9 {
            t + (block - since)
        } else {
            t
        }
    }

    /// A dedicated RM is free: they take the first valid client of their
    /// own queue, or wait for the end of their non-client block.
    fn rm_free(&mut self, tier: usize, rm: usize, t: f64) {
        if self.tiers[tier].rm_busy[rm] {
            return;
        }
        let ready = self.rm_ready_at(tier, rm, t);
        let ts = &mut self.tiers[tier];
        while let Some(&(id, generation)) = ts.rm_queues[rm].front() {
            if self.clients[id as usize].generation != generation {
                ts.rm_queues[rm].pop_front();
                continue;
            }
            if ready > t {
                self.calendar.schedule(
                    Time(ready),
                    Event::RmReady {
                        tier: tier as u32,
                        rm: rm as u32,
                    },
                );
                return;
            }
            ts.rm_queues[rm].pop_front();
            ts.queue_len.change(t, -1.0);
            ts.waiting -= 1;
            self.start_service_by(id, rm, t);
            return;
        }
    }

    /// A booked client has waited `overflow_after` for their RM: another
    /// tier takes them, or they hang up and their RM calls back.
    fn overflow(&mut self, id: u32, t: f64) {
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let book = self.model.segments[c.segment as usize]
            .book
            .as_ref()
            .expect("booked clients have a book");
        match book.overflow {
            Overflow::Callback => {
                // Still in the RM's queue, now as a call-back.
                let wait = t - c.joined;
                c.wait += wait;
                c.visit_wait += wait;
                c.joined = t;
                c.callback = true;
                c.repeats = c.repeats.saturating_add(1);
            }
            Overflow::To(to) => {
                let wait = t - c.joined;
                c.wait += wait;
                c.generation = c.generation.wrapping_add(1);
                let counted = c.counted;
                let ts = &mut self.tiers[tier];
                ts.queue_len.change(t, -1.0);
                ts.waiting -= 1;
                ts.counts.overflowed += counted as u64;
                self.join(id, to, t);
            }
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

    /// Dedicated RM `rm` starts serving the client.
    fn start_service_by(&mut self, id: u32, rm: usize, t: f64) {
        let c = &mut self.clients[id as usize];
        c.rm = rm as u16;
        c.by_own_rm = true;
        self.tiers[c.tier as usize].rm_busy[rm] = true;
        self.start_service(id, t);
    }

    /// The client takes a free server (session) at its tier now. What the
    /// service is, and where the client goes after it, is decided here.
    fn start_service(&mut self, id: u32, t: f64) {
        let model = self.model;
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let spec = &model.tiers[tier];
        let resumed = c.phase == Phase::Preempted;
        let ts = &mut self.tiers[tier];
        ts.set_busy(t, ts.busy + 1);
        let duration = if resumed {
            c.remaining
        } else {
            let wait = t - c.joined;
            c.visit_wait = wait;
            let callback = c.callback;
            if callback {
                // A call-back attempt: it reaches the client or not.
                ts.counts.callback_attempts += c.counted as u64;
                let u: f64 = keyed(
                    c.key,
                    ts.callback_salt,
                    ((c.visits as u64) << 8) | c.attempts as u64,
                )
                .random();
                c.attempt_fails = u >= spec.callback.success;
                c.callback = c.attempt_fails;
            } else if spec.kind != TierKind::BackOffice {
                c.wait += wait;
                if !c.started {
                    c.started = true;
                    c.first_wait = c.wait;
                }
            }
            if c.attempt_fails {
                c.next = NONE;
                spec.callback.attempt_minutes
            } else {
                let kinds = model.requests.len();
                let beyond = spec.skill.as_ref().filter(|s| c.complexity > s.level);
                let mut draws = keyed(c.key, ts.service_salt, c.visits as u64);
                let (service, next) = match beyond {
                    // Triage, then up to the skilled tier.
                    Some(skill) => (skill.triage.sample(&mut draws), Some(skill.to)),
                    None => {
                        let service = spec
                            .service_of(c.segment as usize, c.request as usize, kinds)
                            .sample(&mut draws);
                        (service, route(spec, c, ts.route_salt))
                    }
                };
                c.next = next.map_or(NONE, |n| n as u16);
                let staffed = !spec.unlimited && spec.kind != TierKind::BackOffice;
                let mut duration = service;
                if staffed {
                    duration += model.selling_minutes;
                    if let Some(ch) = model.channels.get(c.channel as usize) {
                        duration *= ch.service_multiplier;
                    }
                    if spec.sessions > 1 {
                        duration *= spec.session_slowdown;
                    }
                    if next.is_some() && spec.transfer == Transfer::Warm {
                        duration += spec.handoff_minutes;
                    }
                }
                duration
            }
        };
        c.generation = c.generation.wrapping_add(1);
        c.phase = Phase::InService;
        c.service_start = t;
        c.service_end = t + duration;
        if spec.preemptive {
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
        if spec.kind == TierKind::Dedicated {
            ts.rm_busy[c.rm as usize] = false;
        }
        if c.attempt_fails {
            self.free_server(tier, c.rm as usize, t);
            self.attempt_failed(id, t);
        } else {
            let next = (c.next != NONE).then_some(c.next as usize);
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
            // The server takes its next client before this one moves on
            // (so a client coming back to the same tier queues behind
            // those already waiting).
            self.free_server(tier, c.rm as usize, t);
            let c = &mut self.clients[id as usize];
            c.human |= !spec.unlimited && spec.kind != TierKind::BackOffice;
            match next {
                Some(to) => {
                    match spec.handoff {
                        Handoff::Cold => c.cold_handoffs += 1,
                        Handoff::Warm => c.warm_handoffs += 1,
                    }
                    if spec.transfer == Transfer::Callback {
                        c.callback = true;
                        c.attempts = 0;
                        c.repeats = c.repeats.saturating_add(1);
                    }
                    self.join(id, to, t)
                }
                None => self.next_step(id, t),
            }
        }
    }

    /// A server (RM `rm` at a dedicated tier) became free at `t`: it takes
    /// the next client, or makes an outbound call.
    fn free_server(&mut self, tier: usize, rm: usize, t: f64) {
        if self.model.tiers[tier].kind == TierKind::Dedicated {
            self.rm_free(tier, rm, t);
        } else {
            self.serve_next(tier, t);
        }
        self.try_outbound(tier, t);
    }

    /// A call-back attempt failed: try again later, or give up after the
    /// tier's last attempt.
    fn attempt_failed(&mut self, id: u32, t: f64) {
        let c = &mut self.clients[id as usize];
        let tier = c.tier as usize;
        let rules = self.model.tiers[tier].callback;
        c.attempts = c.attempts.saturating_add(1);
        c.attempt_fails = false;
        if c.counted {
            self.tiers[tier].counts.callback_failures += 1;
        }
        if (c.attempts as u32) < rules.attempts {
            c.next = tier as u16;
            c.generation = c.generation.wrapping_add(1);
            c.phase = Phase::Waiting;
            self.calendar.schedule(
                Time(t + rules.retry_minutes),
                Event::Rejoin {
                    client: id,
                    generation: c.generation,
                },
            );
            return;
        }
        // Unreached: the journey ends unresolved.
        c.phase = Phase::Waiting;
        let c = *c;
        if c.counted {
            self.tiers[tier].counts.abandoned += 1;
            let counts = &mut self.segments[c.segment as usize];
            counts.abandoned += 1;
            counts.unreached += 1;
            counts.record_admitted(&c, self.threshold, self.midpoint);
            self.record_outcome(&c, false, t);
        }
        self.release(id);
    }

    /// The client's contact is over and nothing escalates it: the case goes
    /// to its next back-office step, or the client departs served.
    fn next_step(&mut self, id: u32, t: f64) {
        let model = self.model;
        let c = &mut self.clients[id as usize];
        let segment = &model.segments[c.segment as usize].back_office;
        let request = &model.requests[c.request as usize].back_office;
        let step = c.steps as usize;
        let to = if step < segment.len() {
            Some(segment[step])
        } else {
            request.get(step - segment.len()).copied()
        };
        match to {
            Some(to) => {
                c.steps += 1;
                self.join(id, to, t);
            }
            None => self.depart_served(id, t),
        }
    }

    /// Schedules the plan's change after `change` (wrapping to next week).
    fn schedule_staffing(&mut self, tier: usize, change: usize, now: f64) {
        let plan = &self.tiers[tier].plan;
        let next = (change + 1) % plan.len();
        let week_start = now - now.rem_euclid(WEEK);
        let mut at = week_start + plan[next].0;
        if at <= now {
            at += WEEK;
        }
        // Staffing goes on after the horizon while clients or cases are
        // still inside (a back office's Monday morning), within the drain,
        // unless a whole week of rosters has passed without anyone leaving
        // (those left can never be served). Before the horizon every
        // change is scheduled, whoever is inside.
        let run = &self.model.run;
        let keep = if now <= run.horizon {
            true
        } else {
            if self.released != self.progress.0 {
                self.progress = (self.released, now);
            }
            self.clients.len() > self.free.len() && now - self.progress.1 < WEEK
        };
        if keep && at <= run.horizon + run.drain_limit {
            self.calendar.schedule(
                Time(at),
                Event::Staffing {
                    tier: tier as u32,
                    change: next as u32,
                },
            );
        }
    }

    /// A shift starts or ends, a break, or non-client work: servers come
    /// on duty (or back to clients) and take waiting clients, or leave as
    /// soon as their client in hand is served (never interrupting service).
    fn staffing(&mut self, tier: usize, change: usize, t: f64) {
        let (_, duty, available) = self.tiers[tier].plan[change];
        self.tiers[tier].set_staffing(t, duty, available);
        if self.model.tiers[tier].kind != TierKind::Dedicated {
            while self.tiers[tier].waiting > 0 && self.tiers[tier].busy < self.tiers[tier].capacity
            {
                self.serve_next(tier, t);
            }
            self.try_outbound(tier, t);
        }
        self.schedule_staffing(tier, change, t);
    }

    /// A server at `tier` became free: it takes the first valid client in
    /// priority order (call-backs last).
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

    /// Idle servers at a tier with outbound calls start them, keeping
    /// `keep_idle` servers free for clients.
    #[inline]
    fn try_outbound(&mut self, tier: usize, t: f64) {
        if self.model.tiers[tier].outbound.is_some() {
            self.start_outbound(tier, t);
        }
    }

    /// See [`Replication::try_outbound`].
    fn start_outbound(&mut self, tier: usize, t: f64) {
        let Some(outbound) = &self.model.tiers[tier].outbound else {
            return;
        };
        // Outbound work, like arrivals, stops at the horizon.
        if t >= self.model.run.horizon {
            return;
        }
        let ts = &mut self.tiers[tier];
        while ts.waiting == 0 && ts.busy + 1 + outbound.keep_idle * ts.sessions <= ts.capacity {
            ts.set_busy(t, ts.busy + 1);
            ts.outbound_busy += 1;
            ts.outbound.change(t, 1.0);
            let length = outbound.call.sample(&mut ts.outbound_stream);
            self.calendar
                .schedule(Time(t + length), Event::OutboundEnd { tier: tier as u32 });
        }
    }

    /// An outbound call ends, with a sale or not; the server is free again.
    fn outbound_end(&mut self, tier: usize, t: f64) {
        let outbound = self.model.tiers[tier]
            .outbound
            .as_ref()
            .expect("outbound calls come from a tier that makes them");
        let ts = &mut self.tiers[tier];
        ts.set_busy(t, ts.busy - 1);
        ts.outbound_busy -= 1;
        ts.outbound.change(t, -1.0);
        let sale = ts.outbound_stream.random::<f64>() < outbound.sale_probability;
        if t >= self.warmup {
            ts.counts.outbound_calls += 1;
            if sale {
                ts.counts.outbound_sales += 1;
                ts.counts.outbound_revenue += outbound.revenue_per_sale;
            }
        }
        self.serve_next(tier, t);
        self.try_outbound(tier, t);
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
            counts.record_admitted(&c, self.threshold, self.midpoint);
            self.record_outcome(&c, false, t);
        }
        self.release(id);
        // Abandoned entries stay in the queue and are skipped when reached;
        // compact when they outnumber the live ones so memory stays bounded.
        let ts = &mut self.tiers[tier];
        let entries = ts.entries() + ts.rm_queues.iter().map(VecDeque::len).sum::<usize>();
        if entries > 64 && entries > 2 * ts.waiting as usize {
            let clients = &self.clients;
            for q in ts.queues.iter_mut().chain(ts.rm_queues.iter_mut()) {
                q.retain(|&(id, g)| clients[id as usize].generation == g);
            }
        }
    }

    fn depart_served(&mut self, id: u32, t: f64) {
        let c = self.clients[id as usize];
        if c.counted {
            let counts = &mut self.segments[c.segment as usize];
            counts.served += 1;
            counts.record_admitted(&c, self.threshold, self.midpoint);
            counts.wait_served.add(c.wait);
            counts.sojourn.add(t - c.arrival);
            if self.by_request {
                let request = &mut self.requests[c.request as usize];
                request.served += 1;
                request.turnaround.add(t - c.arrival);
            }
            self.record_outcome(&c, true, t);
        }
        self.release(id);
    }

    fn depart_blocked(&mut self, id: u32) {
        let c = Client {
            // Never admitted: not an abandonment.
            phase: Phase::Free,
            ..self.clients[id as usize]
        };
        if c.counted {
            self.segments[c.segment as usize].blocked += 1;
            self.record_outcome(&c, false, c.arrival);
        }
        self.release(id);
    }

    /// Tallies what a journey finished at `t` leaves behind: satisfaction,
    /// top-box, complaints, first-contact resolution, hand-offs,
    /// deflection, own-RM service, sales.
    fn record_outcome(&mut self, c: &Client, resolved: bool, t: f64) {
        let model = self.model;
        let o = &model.outcomes;
        let segment = &model.segments[c.segment as usize];
        let request = &model.requests[c.request as usize];
        let channel = model.channels.get(c.channel as usize);
        let journey = Journey {
            wait: c.wait,
            tolerance: channel
                .and_then(|ch| ch.tolerance)
                .unwrap_or(segment.tolerance),
            cold_handoffs: c.cold_handoffs as u32,
            warm_handoffs: c.warm_handoffs as u32,
            resolved,
            repeats: c.repeats as u32,
            turnaround_ratio: if resolved && request.promised_turnaround.is_finite() {
                (t - c.arrival) / request.promised_turnaround
            } else {
                0.0
            },
            offset: channel.map_or(0.0, |ch| ch.satisfaction_offset),
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
        let by_request = &mut self.requests[c.request as usize];
        if self.by_request {
            by_request.satisfaction.add(100.0 * p);
        }
        let counts = &mut self.segments[c.segment as usize];
        counts.finished += 1;
        counts.satisfaction.add(100.0 * p);
        counts.top_box += (draws.random::<f64>() < p) as u64;
        counts.complaints += (draws.random::<f64>() < o.complaint(p)) as u64;
        counts.formal_complaints += (draws.random::<f64>() < o.formal_complaint(p)) as u64;
        let handoffs = c.cold_handoffs as u32 + c.warm_handoffs as u32;
        counts.handoffs.add(handoffs as f64);
        if c.own_rm != NONE {
            counts.booked += 1;
            counts.own_rm += c.by_own_rm as u64;
        }
        if resolved {
            counts.first_contact += (handoffs == 0 && c.repeats == 0) as u64;
            counts.deflected += (!c.human) as u64;
            let sale = draws.random::<f64>() < o.sale(p, request.sale_probability, !c.human);
            counts.sales += sale as u64;
            if sale {
                counts.revenue += request.revenue_per_sale;
                if self.by_request {
                    by_request.sales += 1;
                    by_request.revenue += request.revenue_per_sale;
                }
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
        self.released += 1;
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
                // Busy sessions in servers' worth (a server with k sessions
                // is busy 1/k per client).
                let k = ts.sessions as f64;
                let busy = ts.busy_servers.slot_areas();
                let excess = ts.excess.slot_areas();
                TierCounts {
                    queue_len_mean: ts.queue_len.mean(),
                    busy_mean: (ts.busy_servers.mean() - ts.excess.mean()) / k,
                    servers_mean: ts.on_duty.mean(),
                    available_mean: ts.available.mean(),
                    outbound_mean: ts.outbound.mean() / k,
                    overtime_minutes: ts.excess.total() / k,
                    slot_queue: ts.queue_len.slot_areas(),
                    slot_busy: busy.iter().zip(&excess).map(|(b, e)| (b - e) / k).collect(),
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
            requests: if self.by_request {
                self.requests
            } else {
                Vec::new()
            },
            events,
            overload: self.overload,
        }
    }
}

/// One keyed draw from a mix of shares (index 0 when there is no choice).
#[inline]
fn pick(mix: &[f64], key: u64, salt: u64) -> usize {
    if mix.len() < 2 {
        return 0;
    }
    let u: f64 = keyed(key, salt, 0).random();
    let mut acc = 0.0;
    mix.iter()
        .position(|p| {
            acc += p;
            u < acc
        })
        .unwrap_or(mix.len() - 1)
}

/// Where a client goes after service at a tier with probability routes:
/// one keyed draw against the cumulative escalation probabilities.
#[inline]
fn route(spec: &Tier, c: &Client, salt: u64) -> Option<usize> {
    let routes = &spec.routes[c.request as usize];
    if routes.is_empty() {
        return None;
    }
    let u: f64 = keyed(c.key, salt, c.visits as u64).random();
    let mut acc = 0.0;
    routes.iter().find_map(|e| {
        acc += e.probability;
        (u < acc).then_some(e.to)
    })
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
            channels: Vec::new(),
            back_office: Vec::new(),
            book: None,
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
            kind: TierKind::Staffed,
            skill: None,
            transfer: Transfer::Warm,
            handoff_minutes: 0.0,
            callback: crate::model::CallbackRules::default(),
            sessions: 1,
            session_slowdown: 1.0,
            non_client_share: 0.0,
            outbound: None,
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
                complexity: None,
                back_office: Vec::new(),
                promised_turnaround: f64::INFINITY,
            }],
            outcomes: Outcomes::default(),
            week: None,
            selling_minutes: 0.0,
            channels: Vec::new(),
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
