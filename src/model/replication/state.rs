//! The running state of one replication and of each tier, how it is set
//! up from the model, and how it becomes the result.

use std::collections::VecDeque;

use super::Event;
use super::client::{Client, Phase};
use super::counts::{ClientCounts, ReplicationResult, RequestCounts, SlotCounts, TierCounts};
use super::group_shifts::staffing_plan;
use super::groups::GroupPool;
use super::record::ContactState;
use crate::engine::rng::{name_hash, stream};
use crate::engine::stats::SlotAverage;
use crate::engine::{Calendar, Dist, Stream};
use crate::model::Servers;
use crate::model::outcome::Prepared;
use crate::model::risk::RiskTerms;
use crate::model::{
    ContactSink, Discipline, JourneyScore, Model, Overload, Tier, TierKind, Transfer,
};

/// The running state of one tier.
pub(super) struct TierState {
    /// Sessions in use: clients in service plus outbound calls.
    pub(super) busy: u32,
    /// Sessions available for clients now (servers on duty and not on
    /// non-client work, times sessions per server).
    pub(super) capacity: u32,
    /// Servers on duty now.
    pub(super) duty: u32,
    /// Clients one server serves at once.
    pub(super) sessions: u32,
    /// How the tier is staffed (fixed, rostered or unlimited).
    pub(super) servers: Servers,
    /// Valid entries in the queues (clients waiting or preempted).
    pub(super) waiting: u32,
    /// Priority rank of each segment here (0 = first served): the queue a
    /// client of that segment joins.
    pub(super) ranks: Vec<u16>,
    /// One FIFO per priority rank, then one for call-backs; entries are
    /// (client, generation) and may be stale (abandoned clients are left in
    /// place and skipped).
    pub(super) queues: Vec<VecDeque<(u32, u32)>>,
    /// Clients in service, kept only for preemptive tiers.
    pub(super) in_service: Vec<u32>,
    /// Dedicated tiers: each RM busy or not, and each RM's own queue.
    pub(super) rm_busy: Vec<bool>,
    pub(super) rm_queues: Vec<VecDeque<(u32, u32)>>,
    /// Sessions on outbound calls now.
    pub(super) outbound_busy: u32,
    /// Lengths and outcomes of outbound calls.
    pub(super) outbound_stream: Stream,
    pub(super) queue_len: SlotAverage,
    pub(super) busy_servers: SlotAverage,
    pub(super) on_duty: SlotAverage,
    pub(super) available: SlotAverage,
    pub(super) outbound: SlotAverage,
    /// Busy sessions beyond those on duty (overtime).
    pub(super) excess: SlotAverage,
    pub(super) counts: TierCounts,
    /// (minute of the week, servers on duty, servers available) from each
    /// change on; empty when staffing never changes.
    pub(super) plan: Vec<(f64, u32, u32)>,
    /// Mechanisms resolved once per model, so that a tier that does not
    /// use them pays one test of a field already in hand: a dedicated
    /// tier (RMs with books), outbound calls, and any change to the drawn
    /// service time (selling minutes, a channel multiplier, sessions, a
    /// warm transfer's hand-off minutes, agent groups' speeds).
    pub(super) dedicated: bool,
    pub(super) outbound_calls: bool,
    pub(super) adjusted: bool,
    /// Purpose salts of the keyed service, routing and call-back draws at
    /// this tier.
    pub(super) service_salt: u64,
    pub(super) route_salt: u64,
    pub(super) callback_salt: u64,
    /// Purpose salt of the keyed resolution draws at this tier.
    pub(super) resolve_salt: u64,
    /// Agent groups, for a tier that has them.
    pub(super) pool: Option<Box<GroupPool>>,
}

impl TierState {
    /// Changes the number of busy sessions by `delta` (one more or one
    /// fewer) at time `t`, keeping the busy and overtime averages. The
    /// average changes by `delta` itself: the same value as the difference
    /// of the two counts as `f64` (both exact), without the conversions.
    #[inline(always)]
    pub(super) fn add_busy(&mut self, t: f64, delta: i32) {
        self.busy_servers.change(t, delta as f64);
        self.busy = self.busy.wrapping_add_signed(delta);
        // Without a roster the servers on duty never change, so nobody
        // works beyond them.
        if matches!(self.servers, Servers::Rostered(_)) {
            self.track_excess(t);
        }
    }

    /// The state of tier `t` before the first event, with each segment's
    /// priority rank `ranks` among `priorities` ranks, and averages made by
    /// `average`.
    fn new(
        model: &Model,
        t: &Tier,
        ranks: Vec<u16>,
        priorities: usize,
        outbound_stream: Stream,
        average: impl Fn() -> SlotAverage,
    ) -> Self {
        let servers = Servers::of(t);
        let plan = match servers {
            Servers::Unlimited => Vec::new(),
            Servers::Fixed(n) | Servers::Rostered(n) => staffing_plan(t, n),
        };
        let (duty, available) = match servers {
            // Never full: every client is served at once.
            Servers::Unlimited => (0, u32::MAX),
            Servers::Fixed(n) | Servers::Rostered(n) => plan.first().map_or((n, n), |p| (p.1, p.2)),
        };
        let mut on_duty = average();
        let mut free = average();
        if servers != Servers::Unlimited {
            on_duty.change(0.0, duty as f64);
            free.change(0.0, available as f64);
        }
        let rms = if t.kind == TierKind::Dedicated {
            t.servers.count().unwrap_or(0) as usize
        } else {
            0
        };
        TierState {
            busy: 0,
            capacity: available.saturating_mul(t.sessions),
            duty,
            sessions: t.sessions,
            servers,
            waiting: 0,
            ranks,
            queues: vec![VecDeque::new(); priorities + 1],
            in_service: Vec::new(),
            rm_busy: vec![false; rms],
            rm_queues: vec![VecDeque::new(); rms],
            outbound_busy: 0,
            outbound_stream,
            queue_len: average(),
            busy_servers: average(),
            on_duty,
            available: free,
            outbound: average(),
            excess: average(),
            counts: TierCounts {
                servers: t.servers,
                sessions: t.sessions,
                ..TierCounts::default()
            },
            plan: if plan.len() > 1 { plan } else { Vec::new() },
            dedicated: t.kind == TierKind::Dedicated,
            outbound_calls: t.outbound.is_some(),
            adjusted: !t.servers.is_unlimited()
                && t.kind != TierKind::BackOffice
                && (model.selling_minutes != 0.0
                    || t.groups.is_some()
                    || !model.channels.is_empty()
                    || t.sessions > 1
                    || (t.transfer == Transfer::Warm && t.handoff_minutes != 0.0)),
            service_salt: name_hash(&format!("service/{}", t.name)),
            route_salt: name_hash(&format!("route/{}", t.name)),
            callback_salt: name_hash(&format!("callback/{}", t.name)),
            resolve_salt: name_hash(&format!("resolve/{}", t.name)),
            pool: None,
        }
    }

    /// Entries in the queues, valid or stale.
    pub(super) fn entries(&self) -> usize {
        self.queues.iter().map(VecDeque::len).sum::<usize>()
            + self.pool.as_ref().map_or(0, |p| p.entries())
    }
}

/// What a segment's arrivals draw on, in one place (one bounds check per
/// arrival, not one per field).
pub(super) struct Feed {
    /// The stream of gaps between arrivals.
    pub(super) arrivals: Stream,
    /// The distribution of the gap to the next arrival (in arrival mass
    /// under a profile).
    pub(super) interarrival: Dist,
    /// The stream of client keys.
    pub(super) keys: Stream,
    /// The segment's patience (none: it never abandons), and the purpose
    /// salt of its keyed draws.
    pub(super) patience: Option<Dist>,
    pub(super) patience_salt: u64,
}

/// The running state of one replication.
pub(super) struct Replication<'m> {
    pub(super) model: &'m Model,
    /// The rank of call-back cases: after every live client.
    pub(super) callback_rank: u16,
    pub(super) calendar: Calendar<Event>,
    pub(super) clients: Vec<Client>,
    pub(super) free: Vec<u32>,
    pub(super) tiers: Vec<TierState>,
    pub(super) segments: Vec<ClientCounts>,
    pub(super) requests: Vec<RequestCounts>,
    /// Results are reported per request type (the model declares them).
    pub(super) by_request: bool,
    /// The model has channels, books or complexities: arrivals draw them.
    pub(super) extras: bool,
    /// Some segment or request type has back-office steps.
    pub(super) back_office: bool,
    /// Some tier is a chatbot: the first staffed tier is tracked apart
    /// from the first step (the `*_staffed` metrics).
    pub(super) bots: bool,
    /// Some tier resolves less than every need (`resolves` < 1).
    pub(super) resolving: bool,
    /// Some request type has opt-in chatbots (`bot_uptake`).
    pub(super) uptake: bool,
    /// Purpose salt of the keyed opt-in draws.
    pub(super) uptake_salt: u64,
    /// Per segment: what its arrivals and their patience draw on.
    pub(super) feeds: Vec<Feed>,
    /// Per segment: its day factors (empty without day effects).
    pub(super) day_factors: Vec<super::day_effect::DayFactors>,
    /// Per segment replayed from a trace: arrivals scheduled so far.
    pub(super) replay_next: Vec<u32>,
    /// The satisfaction model's coefficients, worked out once.
    pub(super) scorer: Prepared,
    /// The outcome model's (tolerance, channel offset) of a client of
    /// segment `s` arriving by channel `ch`, at `s * channel_columns + ch`:
    /// worked out once, not looked up through the channel at every exit.
    pub(super) journey_terms: Vec<(f64, f64)>,
    /// Channels in the model (1 without channels: channel 0, no offset).
    pub(super) channel_columns: usize,
    /// Per slot of the day in which clients arrived: their outcomes.
    pub(super) slots: Vec<SlotCounts>,
    /// Slot length, minutes (infinite without a calendar).
    pub(super) slot_len: f64,
    /// Per simulated day: its clients' outcomes (`days.rs`); kept only
    /// when `by_day`.
    pub(super) days: Vec<SlotCounts>,
    /// `run.day_quantile` asks for per-day tallies.
    pub(super) by_day: bool,
    /// Purpose salts of the keyed request-type, channel, complexity, book
    /// and outcome draws.
    pub(super) request_salt: u64,
    pub(super) channel_salt: u64,
    pub(super) complexity_salt: u64,
    pub(super) book_salt: u64,
    pub(super) outcome_salt: u64,
    /// Purpose salt of the keyed problem-case draws (their own stream, so
    /// the outcome draws stay as they were).
    pub(super) risk_salt: u64,
    /// The risk model, worked out once.
    pub(super) risk: RiskTerms,
    /// Annual attrition of each journey ending (see `retention::ENDINGS`).
    pub(super) attrition: [f64; 5],
    /// Per segment: (annual value, feedback's new business per client).
    pub(super) value: Vec<(f64, f64)>,
    pub(super) threshold: f64,
    pub(super) warmup: f64,
    /// Middle of the warm-up-to-horizon window.
    pub(super) midpoint: f64,
    /// Clients released so far, and (count, time) when staffing after the
    /// horizon last saw it change.
    pub(super) released: u64,
    pub(super) progress: (u64, f64),
    /// Set when the clients inside reached the limit; the run then stops.
    pub(super) overload: Option<Overload>,
    /// Some segment redials: failed attempts may come back.
    pub(super) redialing: bool,
    /// Purpose salt of the keyed redial draws.
    pub(super) redial_salt: u64,
    /// Some request type has repeat contacts.
    pub(super) repeating: bool,
    /// Purpose salt of the keyed repeat-contact draws.
    pub(super) repeat_salt: u64,
    /// Some segment is promoted after a time in queue (`promote_after`).
    pub(super) promoting: bool,
    /// Arrivals so far (numbers the clients).
    pub(super) arrivals_seen: u64,
    /// Contact records go to `sink` (`--journeys`).
    pub(super) recording: bool,
    /// Per slab slot: the current contact's fields for its record; empty
    /// unless recording (`record.rs`).
    pub(super) contacts: Vec<ContactState>,
    pub(super) sink: Option<&'m mut dyn ContactSink>,
    /// The score of the journey just ended, for its last contact's record.
    pub(super) score: Option<JourneyScore>,
    /// Some segment chases the status of its cases in back offices.
    pub(super) chasing: bool,
    /// Purpose salt of the keyed chasing draws.
    pub(super) chase_salt: u64,
    /// Stamps given so far to cases' stays in back offices (chasing).
    pub(super) cases: u32,
    /// Purpose salt of the keyed virtual-hold draws (with each tier's
    /// call-back salt).
    pub(super) hold_salt: u64,
    /// (segment, arrival time, key) of every client, for tests of common
    /// random numbers.
    #[cfg(test)]
    pub(super) trace: Vec<(usize, f64, u64)>,
}

/// Each (segment, channel)'s tolerance and satisfaction offset, segment
/// by segment (see `Replication::journey_terms`). Without channels, the
/// segment's tolerance and no offset.
fn journey_terms(model: &Model) -> Vec<(f64, f64)> {
    let mut terms = Vec::new();
    for s in &model.segments {
        if model.channels.is_empty() {
            terms.push((s.tolerance, 0.0));
        }
        for ch in &model.channels {
            terms.push((ch.tolerance.unwrap_or(s.tolerance), ch.satisfaction_offset));
        }
    }
    terms
}

/// The distinct segment priorities, smallest (first served) first.
fn priorities(model: &Model) -> Vec<i64> {
    let mut priorities: Vec<i64> = model.segments.iter().map(|s| s.priority).collect();
    priorities.sort_unstable();
    priorities.dedup();
    priorities
}

/// Each segment's priority rank at tier `t` (all 0 under FIFO).
fn ranks(model: &Model, t: &Tier, priorities: &[i64]) -> Vec<u16> {
    model
        .segments
        .iter()
        .map(|s| match t.discipline {
            Discipline::Fifo => 0,
            Discipline::Priority => priorities.binary_search(&s.priority).unwrap_or(0) as u16,
        })
        .collect()
}

/// Each tier's running state before the first event, with its agent
/// groups; `ranks` are the segments' priority ranks at each tier, of
/// `priorities` distinct priorities.
fn tier_states(
    model: &Model,
    rep: u64,
    ranks: Vec<Vec<u16>>,
    priorities: usize,
    slot_len: f64,
    slots: usize,
) -> Vec<TierState> {
    let (start, end) = (model.run.warmup, model.run.horizon);
    let average = || SlotAverage::new(start, end, slot_len, slots);
    model
        .tiers
        .iter()
        .zip(ranks)
        .map(|(t, r)| {
            let outbound = stream(model.run.seed, rep, &format!("outbound/{}", t.name));
            let pool = t.groups.is_some().then(|| {
                let callback = priorities as u16;
                let draws = (model.run.seed, rep);
                GroupPool::new(t, &r, callback, (start, end), draws)
            });
            let mut ts = TierState::new(model, t, r, priorities, outbound, average);
            if let Some(pool) = pool {
                ts.start_groups(pool);
            }
            ts
        })
        .collect()
}

/// Per segment: its arrival and client-key streams, the distribution of
/// the gap to the next arrival (in arrival mass under a profile, built
/// once) and its patience salt.
fn feeds(model: &Model, rep: u64) -> Vec<Feed> {
    let draws = |purpose: &str, s: &crate::model::Segment| {
        stream(model.run.seed, rep, &format!("{purpose}/{}", s.name))
    };
    model
        .segments
        .iter()
        .map(|s| Feed {
            arrivals: draws("arrival", s),
            interarrival: match s.arrival_profile {
                None => Dist::exponential(60.0 / s.rate_per_hour),
                Some(_) => Dist::exponential(1.0),
            },
            keys: draws("client", s),
            patience: s.patience.clone(),
            patience_salt: name_hash(&format!("patience/{}", s.name)),
        })
        .collect()
}

/// Per segment: (annual value, feedback's new business per client).
fn values(model: &Model) -> Vec<(f64, f64)> {
    (0..model.segments.len())
        .map(|s| {
            let v = model.retention.annual_value.get(s).copied().unwrap_or(0.0);
            (v, v * model.retention.feedback_new_business())
        })
        .collect()
}

/// Some segment or request type has back-office steps.
fn has_back_office(model: &Model) -> bool {
    model.segments.iter().any(|s| !s.back_office.is_empty())
        || model.requests.iter().any(|r| !r.back_office.is_empty())
}

/// The model has channels, books or complexities: arrivals draw them.
fn has_extras(model: &Model) -> bool {
    !model.channels.is_empty()
        || model.segments.iter().any(|s| s.book.is_some())
        || model.requests.iter().any(|r| r.complexity.is_some())
}

/// Some segment or channel redials.
fn has_redials(model: &Model) -> bool {
    model.segments.iter().any(|s| s.redial.is_some())
        || model.channels.iter().any(|c| c.redial.is_some())
}

impl<'m> Replication<'m> {
    /// Replication `replication` of `model` before its first event.
    pub(super) fn new(model: &'m Model, replication: u32) -> Self {
        let rep = replication as u64;
        let (slot_len, slots) = model
            .week
            .as_ref()
            .map_or((f64::INFINITY, 1), |w| (w.slot_minutes, w.slots()));
        let priorities = priorities(model);
        let ranks: Vec<Vec<u16>> = model
            .tiers
            .iter()
            .map(|t| ranks(model, t, &priorities))
            .collect();
        let tiers = tier_states(model, rep, ranks, priorities.len(), slot_len, slots);
        Replication {
            model,
            callback_rank: priorities.len() as u16,
            calendar: Calendar::new()
                .with_slots(model.segments.len(), Event::Arrival { segment: 0 }),
            clients: Vec::with_capacity(1024),
            free: Vec::with_capacity(1024),
            tiers,
            segments: vec![ClientCounts::default(); model.segments.len()],
            requests: vec![RequestCounts::default(); model.requests.len()],
            by_request: model.declares_requests(),
            back_office: has_back_office(model),
            bots: model.tiers.iter().any(|t| t.kind == TierKind::Chatbot),
            resolving: model
                .tiers
                .iter()
                .any(|t| t.resolves.iter().any(|&p| p < 1.0)),
            uptake: model.requests.iter().any(|r| !r.bot_uptake.is_empty()),
            uptake_salt: name_hash("uptake"),
            extras: has_extras(model),
            feeds: feeds(model, rep),
            day_factors: super::day_effect::day_factors(model, rep),
            replay_next: vec![0; model.segments.len()],
            scorer: model.outcomes.prepared(),
            journey_terms: journey_terms(model),
            channel_columns: model.channels.len().max(1),
            slots: vec![SlotCounts::default(); slots],
            slot_len,
            days: Vec::new(),
            by_day: model.run.day_quantile.is_some(),
            request_salt: name_hash("request"),
            channel_salt: name_hash("channel"),
            complexity_salt: name_hash("complexity"),
            book_salt: name_hash("book"),
            outcome_salt: name_hash("outcome"),
            risk_salt: name_hash("risk"),
            risk: RiskTerms::new(model),
            attrition: model.retention.table(),
            value: values(model),
            threshold: model.run.service_level_threshold,
            warmup: model.run.warmup,
            midpoint: 0.5 * (model.run.warmup + model.run.horizon),
            released: 0,
            progress: (0, model.run.horizon),
            overload: None,
            redialing: has_redials(model),
            redial_salt: name_hash("redial"),
            repeating: model.requests.iter().any(|r| r.repeat.is_some()),
            repeat_salt: name_hash("repeat contact"),
            promoting: model.segments.iter().any(|s| s.promote_after.is_finite()),
            arrivals_seen: 0,
            recording: false,
            contacts: Vec::new(),
            sink: None,
            score: None,
            chasing: model.segments.iter().any(|s| s.chasing.is_some()),
            chase_salt: name_hash("chase"),
            cases: 0,
            hold_salt: name_hash("virtual hold"),
            #[cfg(test)]
            trace: Vec::new(),
        }
    }

    pub(super) fn finish(mut self, events: u64) -> ReplicationResult {
        self.record_inside();
        for c in &self.clients {
            if c.phase != Phase::Free && c.counted {
                let counts = &mut self.segments[c.segment as usize];
                if c.chase_contact {
                    counts.chasing_inside += 1;
                } else {
                    counts.inside += 1;
                }
            }
        }
        if !self.bots {
            // Without a chatbot the first step is staffed: the `*_staffed`
            // counts are the first step's, not tracked twice.
            for s in &mut self.segments {
                s.staffed_from_first_step();
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
                    groups: ts.pool.map_or_else(Vec::new, |p| p.finish()),
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
            days: self.days,
        }
    }
}
