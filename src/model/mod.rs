//! The service-operations model on top of the engine: client segments, tiers
//! of servers, escalation, patience and priorities, and the event loop of one
//! replication. No I/O; built from a validated scenario.

pub mod agents;
pub mod chasing;
pub mod contact;
pub mod day_effect;
pub mod groups;
pub mod limit;
pub mod load;
pub mod metrics;
pub mod outcome;
pub mod redial;
pub mod repeat;
pub mod replication;
pub mod retention;
pub mod risk;
pub mod servers;
pub mod targets;
pub mod virtual_hold;
pub mod week;
pub mod workforce;

pub use chasing::{Chasing, ProactiveUpdates};
pub use contact::{ContactKind, ContactOutcome, ContactRecord, ContactSink, JourneyScore};
pub use day_effect::DayEffect;
pub use limit::{DEFAULT_MAX_CLIENTS_INSIDE, Overload, expected_events};
pub use load::{TierLoad, mean_offered_loads, offered_loads};
pub use metrics::{CLIENT_METRICS, REQUEST_METRICS, TIER_METRICS};
pub use outcome::Outcomes;
pub use redial::Redial;
pub use repeat::Repeat;
pub use replication::{
    ClientCounts, ReplicationResult, RequestCounts, TierCounts, Trace, simulate, simulate_recorded,
};
pub use retention::Retention;
pub use risk::Risk;
pub use servers::Servers;
pub use virtual_hold::CallbackOffer;

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
    /// Channels clients arrive by, in file order (empty: one implicit
    /// channel, always open).
    pub channels: Vec<Channel>,
    /// Problem cases, back-office catches and money lost to risk.
    pub risk: Risk,
    /// Attrition after each journey, clients' annual value, feedback.
    pub retention: Retention,
}

/// Where a request arrives (branch, phone, video, app): its opening hours
/// and how it changes service and satisfaction.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// Channel name.
    pub name: String,
    /// When it is open; `None` is always (7x24).
    pub hours: Option<OpeningHours>,
    /// What happens to a client arriving while it is closed.
    pub when_closed: WhenClosed,
    /// Multiplies every service time of clients on this channel.
    pub service_multiplier: f64,
    /// The wait clients on this channel tolerate (τ), minutes, instead of
    /// their segment's.
    pub tolerance: Option<f64>,
    /// Utility offset of journeys on this channel (β_ch).
    pub satisfaction_offset: f64,
    /// The tier clients on this channel join first, instead of their
    /// segment's entry (a request type's own entry still comes first).
    pub entry: Option<usize>,
    /// What this channel's clients do after a failed attempt, instead of
    /// their segment's `redial` (`None`: the segment's).
    pub redial: Option<Redial>,
}

impl Model {
    /// The tier a client of `segment` with request type `request` on
    /// channel `channel` joins first (before any dedicated RM).
    pub fn entry(&self, segment: usize, request: usize, channel: usize) -> usize {
        self.requests[request]
            .entry
            .or_else(|| self.channels.get(channel).and_then(|c| c.entry))
            .unwrap_or(self.segments[segment].entry)
    }

    /// The share of arriving clients (over the week, by segment, request
    /// and channel mix) whose first tier is automated: the clients for
    /// whom "time to first service" measures a chatbot.
    pub fn automated_first_share(&self) -> f64 {
        let (mut automated, mut all) = (0.0, 0.0);
        for (s, segment) in self.segments.iter().enumerate() {
            let rate = segment.mean_rate_per_minute();
            let channels: Vec<(usize, f64)> = if segment.channels.is_empty() {
                vec![(0, 1.0)]
            } else {
                segment.channels.iter().copied().enumerate().collect()
            };
            for (r, &share) in segment.requests.iter().enumerate() {
                for &(c, p) in &channels {
                    let x = rate * share * p;
                    all += x;
                    if self.tiers[self.entry(s, r, c)].servers.is_unlimited() {
                        automated += x;
                    }
                }
            }
        }
        if all > 0.0 { automated / all } else { 0.0 }
    }
}

/// What a client arriving at a closed channel does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenClosed {
    /// Joins at the next opening (a request left in the app, a queue at the
    /// door); the time until then is not queue wait.
    Wait,
    /// Is lost (counted as blocked).
    Lost,
}

pub use week::OpeningHours;

impl Model {
    /// The scenario declares its own request types (rather than the one
    /// implicit `default`): results are then also given per request type.
    pub fn declares_requests(&self) -> bool {
        self.requests.len() > 1 || self.requests[0].name != "default"
    }
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
    /// Complexity in [0, 1], drawn once per client: a tier with a skill
    /// level serves what is within it and escalates the rest.
    pub complexity: Option<Dist>,
    /// Back-office tiers the case goes through, in order, once the client
    /// has been served.
    pub back_office: Vec<usize>,
    /// Promised turnaround (arrival to final answer), minutes: a later
    /// answer lowers satisfaction (β_bo). Infinite when none is promised.
    pub promised_turnaround: f64,
    /// The client's reference turnaround (what clients are used to),
    /// minutes of back-office time; infinite when the file does not say, and
    /// the back-office term is then today's, against the promise alone
    /// (docs/outcomes.md, "Turnaround").
    pub expected_turnaround: f64,
    /// Opt-in chatbots: (chatbot tier, share of clients with this request
    /// who choose it); the rest join their usual entry.
    pub bot_uptake: Vec<(usize, f64)>,
    /// What a client whose contact ended unresolved does next (`None`:
    /// leaves for good).
    pub repeat: Option<Repeat>,
    /// The client sees the case's progress in a back office (no status
    /// chasing); `false` (the default) lets a segment's `chasing` apply.
    pub status_visible: bool,
    /// The back office sends the client proactive updates on the case
    /// (`None`: it does not).
    pub proactive: Option<ProactiveUpdates>,
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
    /// `--day-quantile Q` (not a scenario field): keep per-day tallies so
    /// the summary can give figures on the Q-quantile day
    /// (`replication/days.rs`); `None` keeps none and costs nothing.
    pub day_quantile: Option<f64>,
}

impl Segment {
    /// The long-run arrival rate, per minute: over the week when it
    /// follows a profile.
    pub fn mean_rate_per_minute(&self) -> f64 {
        self.arrival_profile
            .as_ref()
            .map_or(self.rate_per_hour / 60.0, |p| p.mean())
    }
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
    /// Arrivals replayed from a file (`arrivals = { trace = .. }`) instead
    /// of drawn; shared, not copied, by a sweep's points.
    pub trace: Option<std::sync::Arc<Trace>>,
    /// Share of the segment's clients arriving by each channel (index =
    /// channel; empty when the model has no channels).
    pub channels: Vec<f64>,
    /// Back-office steps every case of this segment needs (compliance
    /// review of high-risk clients), before its request type's own.
    pub back_office: Vec<usize>,
    /// Books of dedicated RMs, when the segment's clients have their own RM.
    pub book: Option<Book>,
    /// What a client who abandons or is blocked does next (`None`: leaves
    /// for good).
    pub redial: Option<Redial>,
    /// Minutes a client waits in a staffed queue before it is served with
    /// the first priority (`promote_after`); infinite: never.
    pub promote_after: f64,
    /// Status chasing while a case waits in a back office (`None`: none).
    pub chasing: Option<Chasing>,
    /// Day-to-day variation of the arrival rates (`day_effect`), if any.
    pub day_effect: Option<DayEffect>,
}

/// Clients of a segment shared out in books of dedicated RMs.
#[derive(Clone, Debug, PartialEq)]
pub struct Book {
    /// The dedicated tier whose servers are the RMs.
    pub tier: usize,
    /// Clients in the segment; an arrival is one of them, drawn uniformly.
    pub population: u32,
    /// Clients in one RM's book; clients beyond the RMs' books have no RM
    /// and go to the segment's entry.
    pub clients_per_rm: u32,
    /// Minutes a booked client waits for a busy RM before the overflow
    /// rule applies.
    pub overflow_after: f64,
    /// The overflow rule.
    pub overflow: Overflow,
}

/// What happens to a booked client whose RM stays busy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// Any free server of this tier may take them (they also stay in their
    /// RM's queue until then).
    To(usize),
    /// The client hangs up; the RM calls back when free.
    Callback,
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
    /// Servers: a fixed number, a roster (`roster`) or unlimited (a
    /// chatbot or self-service tier: every client is served at once).
    pub servers: Servers,
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
    /// What kind of pool this is.
    pub kind: TierKind,
    /// Escalation by skill instead of by probability.
    pub skill: Option<Skill>,
    /// How clients escalated from this tier reach the next.
    pub transfer: Transfer,
    /// Minutes a warm transfer adds to the escalating server's service.
    pub handoff_minutes: f64,
    /// How this tier calls back clients whose case was transferred to it
    /// by callback.
    pub callback: CallbackRules,
    /// Clients one server serves at once (remote sessions).
    pub sessions: u32,
    /// Service-time multiplier of a client served in concurrent sessions
    /// (applies when `sessions` > 1).
    pub session_slowdown: f64,
    /// Share of each server's time on duty spent on non-client work
    /// (admin, meetings, training), in staggered blocks.
    pub non_client_share: f64,
    /// Outbound sales calls made in idle time.
    pub outbound: Option<Outbound>,
    /// Per request type: P(a contact that ends here, not passed on,
    /// resolves the need) at a staffed or dedicated tier; 1 everywhere
    /// unless the file (or `[outcomes] model = 2`) says otherwise.
    pub resolves: Vec<f64>,
    /// A chatbot's sales as a share of a human's (`tier.sale_factor`);
    /// `None` takes `outcomes.bot_sale_factor`.
    pub sale_factor: Option<f64>,
    /// Agent groups with skills (`[[tier.group]]`); `None` for one pool of
    /// identical servers.
    pub groups: Option<groups::Groups>,
    /// Virtual hold: a call-back offered to clients waiting in the queue
    /// (`None`: none).
    pub callback_offer: Option<CallbackOffer>,
    /// `service_factors`: a factor on every drawn service by the minute of
    /// the day it starts (1440 values; `None`: none, the same as all 1).
    pub service_factors: Option<std::sync::Arc<[f64]>>,
}

/// Kinds of tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierKind {
    /// Servers shared by every client in one queue.
    Staffed,
    /// Self-service: unlimited capacity.
    Chatbot,
    /// A back office working on cases, not clients on the line: no
    /// abandonment, and its queue time is turnaround, not wait.
    BackOffice,
    /// Dedicated RMs: each server has a book of clients and a queue of its
    /// own.
    Dedicated,
}

/// Escalation by complexity against a skill level.
#[derive(Clone, Debug, PartialEq)]
pub struct Skill {
    /// The tier serves requests of complexity up to this level.
    pub level: f64,
    /// Time to recognise a request beyond the level (triage), after which
    /// it is escalated.
    pub triage: Dist,
    /// Where requests beyond the level go.
    pub to: usize,
}

/// How an escalated client reaches the next tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    /// The client stays on the line in the next tier's queue.
    Warm,
    /// The client hangs up; the case joins the next tier's work list and
    /// the client is called back.
    Callback,
}

/// A tier's rules for calling clients back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallbackRules {
    /// P(a call-back attempt reaches the client).
    pub success: f64,
    /// Minutes a failed attempt takes.
    pub attempt_minutes: f64,
    /// Minutes before the case is tried again after a failed attempt.
    pub retry_minutes: f64,
    /// Attempts before the client is given up as unreached.
    pub attempts: u32,
}

impl Default for CallbackRules {
    fn default() -> Self {
        CallbackRules {
            success: 0.8,
            attempt_minutes: 1.0,
            retry_minutes: 30.0,
            attempts: 3,
        }
    }
}

/// Outbound sales calls made by servers who would otherwise be idle.
#[derive(Clone, Debug, PartialEq)]
pub struct Outbound {
    /// Length of one call.
    pub call: Dist,
    /// P(a call makes a sale).
    pub sale_probability: f64,
    /// Revenue of one sale.
    pub revenue_per_sale: f64,
    /// Servers kept free for inbound clients: a call starts only if at
    /// least this many stay idle.
    pub keep_idle: u32,
}

impl Tier {
    /// The capacity planner sets this tier's staffing: a staffed tier's
    /// (a chatbot has no servers; back offices keep their office hours and
    /// dedicated RMs their books; a tier with agent groups is planned per
    /// group instead, by `plan::groups`).
    pub fn planned(&self) -> bool {
        self.kind == TierKind::Staffed && self.groups.is_none()
    }

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
