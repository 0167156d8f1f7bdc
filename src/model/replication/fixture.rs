//! A small two-tier model for the unit tests of the event loop.

use super::ReplicationResult;
use super::state::Replication;
use crate::engine::Dist;
use crate::model::{
    Discipline, Escalation, Handoff, Model, Outcomes, RequestType, RunControl, Segment, Servers,
    Tier, TierKind, Transfer,
};

/// Two tiers, two segments (VIP first), 30% escalating to the expert tier.
pub(super) fn two_tier(front_servers: u32) -> Model {
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
            day_quantile: None,
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
        requests: vec![request()],
        outcomes: Outcomes::default(),
        week: None,
        selling_minutes: 0.0,
        channels: Vec::new(),
        risk: Default::default(),
        retention: Default::default(),
    }
}

/// A segment of the fixture: Poisson arrivals, exponential patience of 3 min.
fn segment(name: &str, rate: f64, priority: i64) -> Segment {
    Segment {
        name: name.into(),
        rate_per_hour: rate,
        patience: Some(Dist::exponential(3.0)),
        priority,
        entry: 0,
        requests: vec![1.0],
        tolerance: 2.0,
        arrival_profile: None,
        trace: None,
        channels: Vec::new(),
        back_office: Vec::new(),
        book: None,
        redial: None,
        promote_after: f64::INFINITY,
        chasing: None,
        day_effect: None,
    }
}

/// A staffed tier of the fixture: exponential service of 2 min, room for 5.
fn tier(name: &str, servers: u32, escalate: Vec<Escalation>) -> Tier {
    Tier {
        name: name.into(),
        servers: Servers::Fixed(servers),
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
        groups: None,
        resolves: vec![1.0],
        sale_factor: None,
        callback_offer: None,
        service_factors: None,
    }
}

/// The fixture's one request type.
fn request() -> RequestType {
    RequestType {
        name: "default".into(),
        sale_probability: 0.03,
        revenue_per_sale: 0.0,
        entry: None,
        complexity: None,
        back_office: Vec::new(),
        promised_turnaround: f64::INFINITY,
        expected_turnaround: f64::INFINITY,
        bot_uptake: Vec::new(),
        repeat: None,
        status_visible: false,
        proactive: None,
    }
}

/// Runs a replication, returning its result and the trace of arrivals.
pub(super) fn traced(
    model: &Model,
    replication: u32,
) -> (ReplicationResult, Vec<(usize, f64, u64)>) {
    let mut r = Replication::new(model, replication);
    let events = r.run_resolved();
    let trace = std::mem::take(&mut r.trace);
    (r.finish(events), trace)
}
