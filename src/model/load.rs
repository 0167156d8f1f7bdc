//! Offered load per tier from the traffic equations: how busy each tier
//! would be if nobody abandoned or was blocked. Used to warn about designs
//! that cannot keep up, and by the capacity planner. At a tier staffed by
//! agent groups, the service time is scaled by the agents' mean
//! service-time factor (drawn speeds' mean over tenure efficiency), and
//! new hires count on duty from the week they join.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{Model, Servers, TierKind, Transfer};
use crate::analytic::jackson_arrival_rates;

/// The long-run load on one tier.
#[derive(Clone, Debug, PartialEq)]
pub struct TierLoad {
    /// Tier name.
    pub tier: String,
    /// Visits per hour, all segments, counting escalations.
    pub arrival_rate_per_hour: f64,
    /// Offered load in Erlangs: busy servers needed on average.
    pub offered_load: f64,
    /// The tier's servers: fixed, rostered (they vary over the week) or
    /// unlimited.
    pub servers: Servers,
    /// Servers on duty on average over the week (a roster's mean; `servers`
    /// without one; infinite when unlimited).
    pub on_duty: f64,
    /// True when the tier has a roster (its servers vary over the week),
    /// or agent groups with drawn speeds or new hires (its agents on duty
    /// are then a mean over the run).
    pub rostered: bool,
    /// Servers available for clients (on duty on average over the week,
    /// less non-client work, times concurrent sessions).
    pub available: f64,
    /// Offered load per server available for clients (on duty on average
    /// over the week for a roster, less non-client work, times concurrent
    /// sessions); at or above 1 the queue grows without bound unless
    /// clients abandon or are blocked.
    pub utilization: f64,
    /// True when the load is at or over capacity and nothing (no patience
    /// of a client reaching the tier, no queue capacity) bounds the queue.
    /// Call-back cases have no patience: a tier that receives them is never
    /// bounded by abandonment alone.
    pub unbounded: bool,
    /// Visits per hour that are call-back cases (transferred by a tier with
    /// `transfer = "callback"`): they wait without patience.
    pub callback_rate_per_hour: f64,
    /// Servers busy with outbound calls on average (Erlangs), at most: the
    /// spare capacity above the inbound load and the `keep_idle` servers
    /// (outbound calls fill it when they are long); 0 without outbound.
    pub outbound_load: f64,
    /// With outbound calls and `keep_idle = 0`: no server is kept free, so
    /// an arriving client finds every server busy and waits for the first
    /// one to finish: about this many minutes (low, high): low when every
    /// client is served, high when all abandon and calls take every server
    /// (see [`outbound`]). `None` otherwise.
    pub outbound_wait: Option<(f64, f64)>,
}

impl TierLoad {
    /// The servers behind the utilization, in words: `3 servers`, or for a
    /// roster (or agents hired during the run) `0.29 servers on duty on
    /// average over the week`.
    pub fn servers_text(&self) -> String {
        match self.servers {
            Servers::Unlimited => "unlimited servers".to_string(),
            _ if self.rostered => format!(
                "{:.2} servers on duty on average over the week",
                self.on_duty
            ),
            Servers::Fixed(n) | Servers::Rostered(n) => format!("{n} servers"),
        }
    }
}

/// Complexities drawn to weigh the skill routes of a request type: skill
/// routing depends on each client's complexity, so the traffic equations
/// are solved for each pattern of skill levels exceeded, weighted by its
/// share of this many draws (fixed stream: the same model gives the same
/// loads).
const COMPLEXITY_DRAWS: usize = 4096;

/// The offered load on every tier, in model order, with each segment
/// arriving at its `rate_per_hour` (for a profile, the rate where the
/// profile and day factor are 1; the capacity planner scales it by each
/// slot's factor). The routing has been validated so that every client
/// eventually leaves.
pub fn offered_loads(model: &Model) -> Vec<TierLoad> {
    loads(model, false)
}

/// The long-run offered load on every tier: with a profile, at each
/// segment's mean rate over the week. This is what decides whether a tier
/// keeps up over the week.
pub fn mean_offered_loads(model: &Model) -> Vec<TierLoad> {
    loads(model, true)
}

fn loads(model: &Model, weekly_mean: bool) -> Vec<TierLoad> {
    let mut traffic = Traffic::new(model);
    for (request, r) in model.requests.iter().enumerate() {
        for (pattern, weight) in skill_patterns(model, request) {
            let routing = routing(model, request, &pattern);
            for (s, segment) in model.segments.iter().enumerate() {
                let share = segment.requests[request] * weight;
                if share == 0.0 {
                    continue;
                }
                let per_hour = if weekly_mean {
                    60.0 * segment.mean_rate_per_minute()
                } else {
                    segment.rate_per_hour
                };
                let total = per_hour * share;
                let external = external(model, s, request, total);
                let visits = jackson_arrival_rates(&external, &routing).unwrap_or(external);
                let visit = Visit {
                    segment: s,
                    request,
                    pattern: &pattern,
                    routing: &routing,
                };
                traffic.add_visits(model, &visit, &visits);
                // Every client-facing journey that ends resolved goes on
                // through the back-office steps (ignoring abandonment).
                let resolved = total;
                let steps = segment.back_office.iter().chain(&r.back_office);
                for &j in steps {
                    traffic.rate[j] += resolved;
                    traffic.load[j] += resolved / 60.0
                        * model.tiers[j]
                            .service_of(s, request, model.requests.len())
                            .mean();
                    traffic.impatient_only[j] = false;
                }
            }
        }
    }
    traffic.into_loads(model)
}

/// Each tier's routing row for request type `request` when the skill
/// levels in `pattern` are exceeded (a skill triage sends the client on).
fn routing(model: &Model, request: usize, pattern: &[bool]) -> Vec<Vec<f64>> {
    let n = model.tiers.len();
    model
        .tiers
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let mut row = vec![0.0; n];
            match (&t.skill, pattern[j]) {
                (Some(skill), true) => row[skill.to] = 1.0,
                _ => {
                    for e in &t.routes[request] {
                        row[e.to] += e.probability;
                    }
                }
            }
            row
        })
        .collect()
}

/// Arrivals per hour from outside at each tier of segment `s`'s clients
/// with request type `request` (`total` an hour): split by channel where
/// channels have their own entry; booked clients go to their RM first
/// (ignoring overflow), the rest to the usual entry.
fn external(model: &Model, s: usize, request: usize, total: f64) -> Vec<f64> {
    let segment = &model.segments[s];
    let mut external = vec![0.0; model.tiers.len()];
    let mut entries: Vec<(usize, f64)> = if segment.channels.is_empty() {
        vec![(model.entry(s, request, 0), 1.0)]
    } else {
        segment
            .channels
            .iter()
            .enumerate()
            .map(|(c, p)| (model.entry(s, request, c), *p))
            .collect()
    };
    entries.retain(|e| e.1 > 0.0);
    let entries = with_uptake(&model.requests[request].bot_uptake, entries);
    match &segment.book {
        Some(b) => {
            let rms = model.tiers[b.tier].servers.count().unwrap_or(0);
            let booked = (b.clients_per_rm as f64 * rms as f64 / b.population as f64).min(1.0);
            external[b.tier] += total * booked;
            for (entry, p) in &entries {
                external[*entry] += total * (1.0 - booked) * p;
            }
        }
        None => {
            for (entry, p) in &entries {
                external[*entry] += total * p;
            }
        }
    }
    external
}

/// The entries of new clients once an opt-in chatbot takes its share
/// (`request.bot_uptake`), whatever their channel, as the replication's
/// `entry_for` does: each bot gets its share of every channel's clients,
/// the usual entries the rest.
fn with_uptake(shares: &[(usize, f64)], entries: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
    if shares.is_empty() {
        return entries;
    }
    let total: f64 = entries.iter().map(|e| e.1).sum();
    let taken: f64 = shares.iter().map(|s| s.1).sum();
    let bots = shares.iter().map(|&(tier, share)| (tier, share * total));
    let rest = entries.into_iter().map(|(e, p)| (e, p * (1.0 - taken)));
    bots.chain(rest).filter(|e| e.1 > 0.0).collect()
}

/// Whose visits [`Traffic::add_visits`] adds: a segment's clients of one
/// request type with one pattern of skill levels exceeded.
struct Visit<'a> {
    segment: usize,
    request: usize,
    pattern: &'a [bool],
    routing: &'a [Vec<f64>],
}

/// The traffic summed over segments, request types and skill patterns,
/// per tier.
struct Traffic {
    /// Visits per hour.
    rate: Vec<f64>,
    /// Offered load, Erlangs.
    load: Vec<f64>,
    /// Whether every client reaching the tier has patience.
    impatient_only: Vec<bool>,
    /// Visits per hour that are call-back cases.
    callback_rate: Vec<f64>,
    /// Per tier: agents on duty on average over the run and their mean
    /// service-time factor, for a tier of agent groups with drawn speeds
    /// or new hires (`None`: identical agents, as many as the tier says).
    agents: Vec<Option<(f64, f64)>>,
}

impl Traffic {
    fn new(model: &Model) -> Traffic {
        let n = model.tiers.len();
        let agents = model
            .tiers
            .iter()
            .map(|t| {
                let groups = t.groups.as_ref()?;
                let individual = groups.groups.iter().any(|g| g.agents.individual());
                individual.then(|| groups.on_duty_and_factor(model.run.horizon))
            })
            .collect();
        Traffic {
            rate: vec![0.0; n],
            load: vec![0.0; n],
            impatient_only: vec![true; n],
            callback_rate: vec![0.0; n],
            agents,
        }
    }

    /// Adds `visits` per hour at each tier of the clients of `v`, with the
    /// work each visit brings (service, selling, warm hand-off, session
    /// slowdown, channel multiplier, failed call-back attempts).
    fn add_visits(&mut self, model: &Model, v: &Visit<'_>, visits: &[f64]) {
        let s = v.segment;
        let segment = &model.segments[s];
        let callbacks = callback_visits(model, visits, v.routing);
        let multiplier = channel_multiplier(model, s);
        for (j, visit) in visits.iter().enumerate() {
            let t = &model.tiers[j];
            let escalates: f64 = v.routing[j].iter().sum();
            let factor = self.agents[j].map_or(1.0, |a| a.1);
            let mean = match (&t.skill, v.pattern[j]) {
                (Some(skill), true) => skill.triage.mean(),
                _ => t.service_of(s, v.request, model.requests.len()).mean() * factor,
            };
            let staffed = !t.servers.is_unlimited() && t.kind != TierKind::BackOffice;
            let mean = if staffed {
                let handoff = if t.transfer == Transfer::Warm {
                    escalates * t.handoff_minutes
                } else {
                    0.0
                };
                let slowdown = if t.sessions > 1 {
                    t.session_slowdown
                } else {
                    1.0
                };
                (mean + model.selling_minutes) * multiplier * slowdown + handoff
            } else {
                mean
            };
            self.rate[j] += visit;
            self.load[j] += visit / 60.0 * mean;
            if *visit > 0.0 && segment.patience.is_none() {
                self.impatient_only[j] = false;
            }
            if callbacks[j] > 0.0 {
                let cb = callbacks[j];
                self.callback_rate[j] += cb;
                self.load[j] += cb / 60.0 * callback_extra_minutes(t, mean);
                self.impatient_only[j] = false;
            }
        }
    }

    /// Each tier's load against the servers available on average over the
    /// week.
    fn into_loads(self, model: &Model) -> Vec<TierLoad> {
        model
            .tiers
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let on_duty = match (self.agents[j], &t.roster, t.servers.count()) {
                    (Some((agents, _)), _, _) => agents,
                    (None, Some(r), _) => r.mean(),
                    (None, None, Some(n)) => n as f64,
                    (None, None, None) => f64::INFINITY,
                };
                let servers = on_duty * (1.0 - t.non_client_share) * t.sessions as f64;
                let utilization = if t.servers.is_unlimited() {
                    0.0
                } else {
                    self.load[j] / servers
                };
                let (outbound_load, outbound_wait) =
                    outbound(t, servers, self.load[j], self.rate[j]);
                TierLoad {
                    tier: t.name.clone(),
                    arrival_rate_per_hour: self.rate[j],
                    offered_load: self.load[j],
                    servers: t.servers,
                    on_duty,
                    rostered: t.roster.is_some() || self.agents[j].is_some(),
                    available: servers,
                    utilization,
                    unbounded: utilization >= 1.0
                        && t.queue_capacity.is_none()
                        && !self.impatient_only[j],
                    callback_rate_per_hour: self.callback_rate[j],
                    outbound_load,
                    outbound_wait,
                }
            })
            .collect()
    }
}

/// Visits per hour at each tier that are call-back cases: those routed in
/// by a tier that transfers by call-back.
fn callback_visits(model: &Model, visits: &[f64], routing: &[Vec<f64>]) -> Vec<f64> {
    let mut out = vec![0.0; visits.len()];
    for (i, t) in model.tiers.iter().enumerate() {
        if t.transfer == Transfer::Callback {
            for (j, p) in routing[i].iter().enumerate() {
                out[j] += visits[i] * p;
            }
        }
    }
    out
}

/// Minutes of work a call-back case adds to tier `t` beyond one service of
/// `service` minutes: its failed attempts (each `attempt_minutes`), less
/// the service of the cases never reached. With success s and A attempts,
/// attempt k fails with probability (1-s)^k, and (1-s)^A are unreached.
fn callback_extra_minutes(t: &super::Tier, service: f64) -> f64 {
    let rules = t.callback;
    let fail = 1.0 - rules.success;
    let failed: f64 = (1..=rules.attempts).map(|k| fail.powi(k as i32)).sum();
    let unreached = fail.powi(rules.attempts as i32);
    failed * rules.attempt_minutes - unreached * service
}

/// The outbound calls of tier `t` (`servers` available, `inbound` Erlangs
/// of clients arriving at `per_hour`): the Erlangs they take at most (every
/// server above the inbound load and the `keep_idle` ones) and, when no
/// server is kept free, the range of an arriving client's wait for the
/// first busy server to finish: 1 / (a / m + k / r), with a Erlangs serving
/// clients of mean service m and k on calls of mean residual
/// r = E[L²]/2E[L] = mean (1 + cv²)/2 (exact when services and calls are
/// exponential and nobody else waits). Low: every client served (a the
/// inbound load); high: all abandon, so calls take every server (r / c).
/// Clients who abandon leave more servers to calls, so the truth is
/// nearer the high end the more they abandon.
fn outbound(
    t: &super::Tier,
    servers: f64,
    inbound: f64,
    per_hour: f64,
) -> (f64, Option<(f64, f64)>) {
    let Some(o) = t.outbound.as_ref().filter(|_| !t.servers.is_unlimited()) else {
        return (0.0, None);
    };
    let free = f64::from(o.keep_idle) * t.sessions as f64;
    let calls = (servers - free - inbound).max(0.0);
    let residual = o.call.mean() * (1.0 + o.call.scv()) / 2.0;
    let clients_end = if inbound > 0.0 { per_hour / 60.0 } else { 0.0 };
    let wait = (o.keep_idle == 0 && calls > 0.0)
        .then(|| (1.0 / (clients_end + calls / residual), residual / servers));
    (calls, wait)
}

/// The mean service-time multiplier of a segment's channel mix.
fn channel_multiplier(model: &Model, segment: usize) -> f64 {
    let mix = &model.segments[segment].channels;
    if mix.is_empty() {
        return 1.0;
    }
    mix.iter()
        .zip(&model.channels)
        .map(|(p, c)| p * c.service_multiplier)
        .sum()
}

/// For a request type: each pattern of tiers whose skill level its
/// complexity exceeds (true at a tier that escalates it by skill), with
/// the share of clients having that pattern. One pattern of weight 1
/// without complexity or skill tiers.
fn skill_patterns(model: &Model, request: usize) -> Vec<(Vec<bool>, f64)> {
    let levels: Vec<Option<f64>> = model
        .tiers
        .iter()
        .map(|t| t.skill.as_ref().map(|s| s.level))
        .collect();
    let beyond =
        |c: f64| -> Vec<bool> { levels.iter().map(|l| l.is_some_and(|l| c > l)).collect() };
    let Some(dist) = &model.requests[request].complexity else {
        return vec![(beyond(0.0), 1.0)];
    };
    if levels.iter().all(Option::is_none) {
        return vec![(beyond(0.0), 1.0)];
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed);
    let mut patterns: Vec<(Vec<bool>, f64)> = Vec::new();
    for _ in 0..COMPLEXITY_DRAWS {
        let p = beyond(dist.sample(&mut rng).clamp(0.0, 1.0));
        match patterns.iter_mut().find(|(q, _)| *q == p) {
            Some((_, w)) => *w += 1.0 / COMPLEXITY_DRAWS as f64,
            None => patterns.push((p, 1.0 / COMPLEXITY_DRAWS as f64)),
        }
    }
    patterns
}
