//! The service-operations model on top of the engine: client segments, tiers
//! of servers, escalation, patience and priorities, and the event loop of one
//! replication. No I/O; built from a validated scenario.

pub mod limit;
pub mod load;
pub mod metrics;
pub mod outcome;
pub mod replication;
pub mod week;

pub use limit::{DEFAULT_MAX_CLIENTS_INSIDE, Overload, expected_events};
pub use load::{TierLoad, offered_loads};
pub use metrics::{CLIENT_METRICS, TIER_METRICS};
pub use outcome::Outcomes;
pub use replication::{ClientCounts, ReplicationResult, TierCounts, simulate};

use crate::engine::Dist;
use crate::engine::rate::PiecewiseRate;
pub use week::{Roster, Shift, Week};

/// A complete, validated model: what one scenario describes.
#[derive(Clone, Debug)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// Run control: horizon, warm-up, replications, seed.
    pub run: RunControl,
    /// Client segments, in file order.
    pub segments: Vec<Segment>,
    /// Tiers, in file order.
    pub tiers: Vec<Tier>,
    /// Request types, in file order (one implicit type when the file
    /// names none).
    pub requests: Vec<RequestType>,
    /// The satisfaction, complaint and sales model.
    pub outcomes: Outcomes,
    /// Time of day and week, when the scenario has a `[calendar]` or
    /// rosters: metrics are then also reported per slot of the day.
    pub week: Option<Week>,
    /// Minutes of selling added to every service by staff (the KPI
    /// regime's extra selling time per contact).
    pub selling_minutes: f64,
}

/// A kind of request: what the client wants. It shapes service times,
/// escalation and the chance of a sale.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestType {
    /// Request type name.
    pub name: String,
    /// P(sale) of a journey at the ideal satisfaction (p_base).
    pub sale_probability: f64,
    /// Revenue of one sale, in the scenario's currency.
    pub revenue_per_sale: f64,
    /// The tier clients with this request join first, instead of their
    /// segment's entry (e.g. loans going past a chatbot).
    pub entry: Option<usize>,
}

/// How a client is handed from one tier to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handoff {
    /// The case goes with the client (an escalation): half a cold
    /// transfer's penalty.
    Warm,
    /// The client starts over (a chatbot passing on without context).
    Cold,
}

/// How long to run, what to count, and how to seed.
#[derive(Clone, Debug, PartialEq)]
pub struct RunControl {
    /// Minutes; arrivals stop at the horizon.
    pub horizon: f64,
    /// Minutes; clients arriving before are not counted, and time averages
    /// cover warm-up to horizon.
    pub warmup: f64,
    /// Number of independent replications.
    pub replications: u32,
    /// Scenario seed; replication r draws from streams keyed by (seed, r).
    pub seed: u64,
    /// Minutes: a client whose first service starts within it is within the
    /// service level.
    pub service_level_threshold: f64,
    /// Minutes after the horizon during which clients already inside may
    /// still finish; those still inside then are counted as `inside`.
    /// `f64::INFINITY` lets every client finish.
    pub drain_limit: f64,
    /// Most clients inside at once; a replication reaching it stops with
    /// an [`Overload`] instead of growing until memory runs out.
    pub max_clients_inside: u64,
}

/// A class of clients with its own arrival process, patience and priority.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Segment name.
    pub name: String,
    /// Poisson arrival rate, clients per hour.
    pub rate_per_hour: f64,
    /// Patience in a queue, drawn afresh at each queue joined; none means
    /// the client waits as long as it takes.
    pub patience: Option<Dist>,
    /// Priority: smaller is served first.
    pub priority: i64,
    /// Index of the tier the client joins first.
    pub entry: usize,
    /// Share of the segment's clients with each request type (index =
    /// request type; sums to 1).
    pub requests: Vec<f64>,
    /// The wait the segment tolerates, minutes (τ of the satisfaction
    /// model).
    pub tolerance: f64,
    /// Arrival rate over the week (per minute) when it varies by time of
    /// day or weekday; `None` for a constant `rate_per_hour`.
    pub arrival_profile: Option<PiecewiseRate>,
}

/// The order in which a tier's waiting clients are served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Discipline {
    /// By segment priority (smaller first), first come first served within
    /// a priority.
    Priority,
    /// First come first served, ignoring priorities.
    Fifo,
}

/// A pool of servers of one skill level.
#[derive(Clone, Debug)]
pub struct Tier {
    /// Tier name.
    pub name: String,
    /// Number of servers (`u32::MAX` for an unlimited tier).
    pub servers: u32,
    /// A chatbot or self-service tier: every client is served at once.
    pub unlimited: bool,
    /// Service-time distribution for each (segment, request type), at index
    /// `segment * requests + request`.
    pub service: Vec<Dist>,
    /// Most clients waiting (not counting those in service); `None` is
    /// unlimited. An arrival finding it full is blocked.
    pub queue_capacity: Option<u32>,
    /// Preemptive-resume priority: a higher-priority arrival interrupts the
    /// lowest-priority client in service when every server is busy.
    pub preemptive: bool,
    /// Queue discipline.
    pub discipline: Discipline,
    /// Per request type: after service, move on to tier `to` with
    /// probability `probability` (one draw; the rest leave, resolved).
    pub routes: Vec<Vec<Escalation>>,
    /// How clients moving on from this tier are handed over.
    pub handoff: Handoff,
    /// Staffing by shifts over the week; `None` for `servers` always on
    /// duty.
    pub roster: Option<Roster>,
}

impl Tier {
    /// The service-time distribution of a client of `segment` with request
    /// type `request`, given `requests` types in the model.
    #[inline]
    pub fn service_of(&self, segment: usize, request: usize, requests: usize) -> &Dist {
        &self.service[segment * requests + request]
    }
}

/// One escalation route out of a tier.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Escalation {
    /// Index of the next tier.
    pub to: usize,
    /// Probability of taking this route after service.
    pub probability: f64,
}
