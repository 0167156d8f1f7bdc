//! `[[tier]]` and its inline tables (shifts, groups, escalation,
//! call-backs, outbound).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::RawDist;
use crate::scenario::duration::Minutes;

/// `[[tier]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    /// Tier name.
    pub name: Spanned<String>,
    /// `staffed` (default) or `chatbot`.
    pub kind: Option<Spanned<String>>,
    /// Number of servers (staffed tiers).
    pub servers: Option<Spanned<u32>>,
    /// `{ request type = share resolved }`: a chatbot's containment, or a
    /// staffed tier's first-contact resolution.
    pub resolves: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// Staffed or dedicated: `junior`, `senior` or `expert` (the default
    /// of `resolves` under `[outcomes] model = 2`).
    pub expertise: Option<Spanned<String>>,
    /// Chatbot: its sales as a share of a human's.
    pub sale_factor: Option<Spanned<f64>>,
    /// Chatbot: the tier taking what it does not resolve.
    pub handoff_to: Option<Spanned<String>>,
    /// Chatbot: the case goes with the client (a warm hand-off).
    pub context_passed: Option<Spanned<bool>>,
    /// Roster: the tier's shifts (instead of `servers`).
    pub shifts: Option<Vec<Spanned<RawShift>>>,
    /// Not a tier field (it belongs to a `[[tier.group]]`): read only to
    /// say so.
    pub new_hires: Option<Spanned<toml::Value>>,
    /// Service-time distribution.
    pub service: Spanned<RawDist>,
    /// `{ "HH:MM-HH:MM" = factor }`: drawn services by time of day.
    pub service_factors: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// Per-segment overrides of `service`.
    pub service_by_segment: Option<BTreeMap<Spanned<String>, Spanned<RawDist>>>,
    /// Most clients waiting.
    pub queue_capacity: Option<Spanned<u32>>,
    /// Preemptive-resume priority.
    pub preemptive: Option<Spanned<bool>>,
    /// `priority` or `fifo`.
    pub discipline: Option<Spanned<String>>,
    /// Escalation routes.
    pub escalate: Option<Vec<Spanned<RawEscalation>>>,
    /// Skill level in [0, 1]: escalate by complexity.
    pub skill: Option<Spanned<f64>>,
    /// Triage time before a skill escalation.
    pub triage: Option<Spanned<RawDist>>,
    /// Where requests beyond the skill level go.
    pub escalate_to: Option<Spanned<String>>,
    /// `warm` or `callback`.
    pub transfer: Option<Spanned<String>>,
    /// Minutes a warm transfer adds.
    pub handoff_minutes: Option<Spanned<Minutes>>,
    /// Call-back rules.
    pub callback: Option<Spanned<RawCallback>>,
    /// Concurrent sessions per server.
    pub sessions: Option<Spanned<u32>>,
    /// Service multiplier in concurrent sessions.
    pub session_slowdown: Option<Spanned<f64>>,
    /// Share of time on non-client work.
    pub non_client_share: Option<Spanned<f64>>,
    /// Outbound sales calls in idle time.
    pub outbound: Option<Spanned<RawOutbound>>,
    /// Back office: share of problem cases caught.
    pub catch_rate: Option<Spanned<f64>>,
    /// Agent groups with skills (`[[tier.group]]`).
    pub group: Option<Vec<Spanned<RawGroup>>>,
    /// Groups: `longest_idle`, `fastest` or `preference` (default).
    pub routing: Option<Spanned<String>>,
    /// Groups: `{ request_or_segment = minutes }` a client waits before a
    /// group without its class at the best rank may take it.
    pub overflow_after: Option<BTreeMap<Spanned<String>, Spanned<Minutes>>>,
    /// Virtual hold: a call-back offered to waiting clients.
    pub callback_offer: Option<Spanned<RawCallbackOffer>>,
}

/// One entry of `tier.shifts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    /// `HH:MM`.
    pub start: Spanned<String>,
    /// `HH:MM`.
    pub end: Spanned<String>,
    /// Servers on the shift.
    pub servers: Spanned<u32>,
    /// Weekdays it starts on.
    pub days: Option<Vec<Spanned<String>>>,
    /// Breaks.
    pub breaks: Option<Vec<Spanned<RawBreak>>>,
}

/// One break of a shift.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreak {
    /// `HH:MM`.
    pub start: Spanned<String>,
    /// `HH:MM`.
    pub end: Spanned<String>,
}

/// One `[[tier.group]]`: agents with skills.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    /// Group name.
    pub name: Spanned<String>,
    /// Agents always on duty.
    pub servers: Option<Spanned<u32>>,
    /// `{ request_or_segment = rank }` (1 = first rank).
    pub skills: Option<BTreeMap<Spanned<String>, Spanned<u32>>>,
    /// `{ request_or_segment = service-time factor }` (default 1 at rank
    /// 1, 1.15 off-skill), or with a `dist` key each agent's drawn factor
    /// (as `agent_speed`); split in `scenario::tier::speed`.
    pub speed: Option<Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>,
    /// Agents kept for the group's first-rank skills.
    pub reserve: Option<Spanned<u32>>,
    /// Roster: the group's shifts (instead of `servers`).
    pub shifts: Option<Vec<Spanned<RawShift>>>,
    /// Each agent's service-time factor, drawn once per replication.
    pub agent_speed: Option<Spanned<RawDist>>,
    /// Agents joining the group during the run.
    pub new_hires: Option<Spanned<RawNewHires>>,
}

/// `new_hires = { count, start_week, efficiency_curve, step }` of a group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNewHires {
    /// Agents hired.
    pub count: Spanned<u32>,
    /// The week they join (0 = the first).
    pub start_week: Option<Spanned<u32>>,
    /// Efficiency per step after joining.
    pub efficiency_curve: Spanned<Vec<Spanned<f64>>>,
    /// `week` (default) or `month` (4 weeks).
    pub step: Option<Spanned<String>>,
}

/// One `{ to, probability }` of `escalate`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscalation {
    /// Next tier.
    pub to: Spanned<String>,
    /// Probability.
    pub probability: Spanned<f64>,
}

/// `callback = { ... }` of a tier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    /// P(an attempt reaches the client).
    pub success: Option<Spanned<f64>>,
    /// Minutes of a failed attempt.
    pub attempt_minutes: Option<Spanned<Minutes>>,
    /// Minutes before a retry.
    pub retry_minutes: Option<Spanned<Minutes>>,
    /// Attempts before giving up.
    pub attempts: Option<Spanned<u32>>,
}

/// `callback_offer = { ... }` of a tier (virtual hold).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallbackOffer {
    /// Minutes waited on the line before the offer.
    pub when_wait_over: Option<Spanned<Minutes>>,
    /// P(the client takes the call-back).
    pub accept: Option<Spanned<f64>>,
    /// The client keeps its place in the queue.
    pub keep_place: Option<Spanned<bool>>,
}

/// `outbound = { ... }` of a tier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutbound {
    /// Call length.
    pub call: Spanned<RawDist>,
    /// P(sale) per call.
    pub sale_probability: Spanned<f64>,
    /// Revenue per sale.
    pub revenue_per_sale: Option<Spanned<f64>>,
    /// Servers kept idle for clients.
    pub keep_idle: Option<Spanned<u32>>,
}
