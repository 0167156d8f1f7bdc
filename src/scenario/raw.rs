//! The serde mirror of a scenario file: every field as written, with its
//! span for error messages. Unknown fields are rejected here.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::duration::{Hours, Minutes};

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name.
    pub name: Spanned<String>,
    /// Run control.
    pub run: Spanned<RawRun>,
    /// Client segments.
    #[serde(default)]
    pub segment: Vec<Spanned<RawSegment>>,
    /// Tiers.
    #[serde(default)]
    pub tier: Vec<Spanned<RawTier>>,
    /// Parameter sweep: many scenarios from axes.
    pub sweep: Option<Spanned<RawSweep>>,
    /// Request types.
    #[serde(default)]
    pub request: Vec<Spanned<RawRequest>>,
    /// Coefficients of the outcome model.
    pub outcomes: Option<Spanned<RawOutcomes>>,
    /// Time of day and week.
    pub calendar: Option<Spanned<RawCalendar>>,
    /// Training and KPI-regime levers.
    pub levers: Option<Spanned<RawLevers>>,
    /// Channels clients arrive by.
    #[serde(default)]
    pub channel: Vec<Spanned<RawChannel>>,
    /// Service targets (`[targets]`).
    pub targets: Option<Spanned<RawTargets>>,
    /// Staff costs (`[cost]`).
    pub cost: Option<Spanned<RawCost>>,
    /// Rules for capacity planning (`[plan]`).
    pub plan: Option<Spanned<RawPlan>>,
    /// Money lost to risk (`[risk]`).
    pub risk: Option<Spanned<super::risk::RawRisk>>,
    /// Attrition coefficients (`[retention]`).
    pub retention: Option<Spanned<super::retention::RawRetention>>,
}

/// `[[channel]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    /// Channel name.
    pub name: Spanned<String>,
    /// `{ day = "HH:MM-HH:MM" | "closed" }` with day a weekday, `weekdays`,
    /// `weekend` or `daily`; none is open 7x24.
    pub hours: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    /// `wait` (for the opening) or `lost`.
    pub when_closed: Option<Spanned<String>>,
    /// Service-time multiplier.
    pub service_multiplier: Option<Spanned<f64>>,
    /// Tolerated wait τ on this channel, minutes.
    pub tolerance: Option<Spanned<Minutes>>,
    /// β_ch.
    pub satisfaction_offset: Option<Spanned<f64>>,
    /// First tier of clients on this channel.
    pub entry: Option<Spanned<String>>,
    /// Redials of this channel's clients, instead of their segment's.
    pub redial: Option<Spanned<RawRedial>>,
}

/// `arrivals = { trace = "file.csv" }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// The trace file, relative to the scenario file.
    pub trace: Spanned<String>,
}

/// `book = { ... }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBook {
    /// The dedicated tier.
    pub tier: Spanned<String>,
    /// Clients in the segment.
    pub population: Spanned<u32>,
    /// Clients per RM.
    pub clients_per_rm: Spanned<u32>,
    /// Minutes before the overflow rule.
    pub overflow_after: Option<Spanned<Minutes>>,
    /// A tier name, or `callback`.
    pub overflow: Option<Spanned<String>>,
}

/// `redial = { ... }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    /// P(redial | abandoned).
    pub after_abandon: Option<Spanned<f64>>,
    /// P(redial | blocked).
    pub after_block: Option<Spanned<f64>>,
    /// Delay before the redial (required; checked in `redial.rs` so that
    /// its absence is named with the field).
    pub delay: Option<Spanned<RawDist>>,
    /// Most attempts, the first included.
    pub max_attempts: Option<Spanned<u32>>,
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

/// `[levers]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevers {
    /// k in [0, 1].
    pub kpi_pressure: Option<Spanned<f64>>,
    /// Extra selling minutes per staffed service.
    pub selling_minutes: Option<Spanned<Minutes>>,
    /// P(mis-sale | sale) at full pressure.
    pub mis_sale_max: Option<Spanned<f64>>,
    /// `{ tier = { service, escalation } }` multipliers.
    pub training: Option<BTreeMap<Spanned<String>, Spanned<RawTraining>>>,
    /// Share of clients surveyed and followed up.
    pub feedback: Option<Spanned<f64>>,
}

/// The effect of training at one tier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraining {
    /// Service-time multiplier.
    pub service: Option<Spanned<f64>>,
    /// Escalation-probability multiplier.
    pub escalation: Option<Spanned<f64>>,
    /// Multiplier of the tier's `resolves` (first-contact resolution).
    pub resolution: Option<Spanned<f64>>,
}

/// `[calendar]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// 15, 30 or 60.
    pub slot_minutes: Option<Spanned<u32>>,
    /// Weekday of time 0.
    pub start_day: Option<Spanned<String>>,
    /// `{ weekday = factor }`.
    pub day_factors: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// `{ "HH:MM-HH:MM" = factor }`.
    pub profile: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
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

/// `[[request]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequest {
    /// Request type name.
    pub name: Spanned<String>,
    /// p_base: P(sale) at the ideal satisfaction.
    pub sale_probability: Option<Spanned<f64>>,
    /// Revenue per sale.
    pub revenue_per_sale: Option<Spanned<f64>>,
    /// First tier for this request, instead of the segment's.
    pub entry: Option<Spanned<String>>,
    /// `{ tier = factor }`: service time multiplier at a tier.
    pub service_multiplier: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// `{ tier = distribution }`: this request's service at a tier.
    pub service: Option<BTreeMap<Spanned<String>, Spanned<RawDist>>>,
    /// `{ tier = [{ to, probability }] }`: this request's escalation.
    pub escalate: Option<BTreeMap<Spanned<String>, Vec<Spanned<RawEscalation>>>>,
    /// Complexity distribution (values in [0, 1]).
    pub complexity: Option<Spanned<RawDist>>,
    /// Back-office tiers, in order.
    pub back_office: Option<Vec<Spanned<String>>>,
    /// Promised turnaround, hours.
    pub promised_turnaround_hours: Option<Spanned<Hours>>,
    /// The client's reference turnaround (what clients are used to), hours.
    pub expected_turnaround_hours: Option<Spanned<Hours>>,
    /// `{ chatbot tier = share }`: the share of clients who choose the bot.
    pub bot_uptake: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// P(a new contact | a contact ended unresolved).
    pub repeat_probability: Option<Spanned<f64>>,
    /// Minutes from an unresolved end to the new contact.
    pub repeat_delay: Option<Spanned<RawDist>>,
    /// The client sees the case's progress in the back office.
    pub status_visible: Option<Spanned<bool>>,
    /// The back office sends the client proactive updates on the case.
    pub proactive_updates: Option<Spanned<bool>>,
    /// With proactive updates: the chase-rate multiplier.
    pub proactive_chase_factor: Option<Spanned<f64>>,
}

/// `[outcomes]`: every field optional, defaults from the evidence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcomes {
    /// P(top-box) of an ideal journey.
    pub top_box_ideal: Option<Spanned<f64>>,
    /// β_wait.
    pub beta_wait: Option<Spanned<f64>>,
    /// λ.
    pub loss_aversion: Option<Spanned<f64>>,
    /// β_tr.
    pub beta_transfer: Option<Spanned<f64>>,
    /// β_unr.
    pub beta_unresolved: Option<Spanned<f64>>,
    /// β_rep.
    pub beta_repeat: Option<Spanned<f64>>,
    /// β_bo.
    pub beta_back_office: Option<Spanned<f64>>,
    /// P(complaint | top-box).
    pub complaint_if_top_box: Option<Spanned<f64>>,
    /// P(complaint | not top-box).
    pub complaint_otherwise: Option<Spanned<f64>>,
    /// κ.
    pub formal_complaint_kappa: Option<Spanned<f64>>,
    /// r.
    pub loyalty_ratio: Option<Spanned<f64>>,
    /// Bot sale factor.
    pub bot_sale_factor: Option<Spanned<f64>>,
    /// 1 (the old model, the default) or 2 (the sourced v2 defaults).
    pub model: Option<Spanned<i64>>,
    /// β_cont.
    pub beta_continuity: Option<Spanned<f64>>,
    /// β_promise.
    pub beta_promise: Option<Spanned<f64>>,
    /// β_bot (a cold chatbot hand-off).
    pub beta_bot_handoff: Option<Spanned<f64>>,
    /// Share of a failed chatbot conversation counted as waiting.
    pub bot_time_counts_on_failure: Option<Spanned<f64>>,
    /// A warm hand-off's share of a cold one's penalty.
    pub warm_handoff_weight: Option<Spanned<f64>>,
    /// Sales uplift at full sales pressure.
    pub pressure_sales_uplift: Option<Spanned<f64>>,
    /// P(a mis-sold client files a formal complaint).
    pub mis_sale_complaint: Option<Spanned<f64>>,
    /// Logit gained by a journey whose back office sent proactive updates.
    pub proactive_update_offset: Option<Spanned<f64>>,
}

/// `[sweep]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// `grid` (cartesian product) or `zip` (axes side by side).
    pub combine: Option<Spanned<String>>,
    /// Name of the point the others are compared with.
    pub baseline: Option<Spanned<String>>,
    /// The axes.
    #[serde(default)]
    pub axis: Vec<Spanned<RawAxis>>,
}

/// `[[sweep.axis]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAxis {
    /// Dotted path of the field to vary (`tier.junior.servers`).
    pub path: Spanned<String>,
    /// The values to take.
    pub values: Option<Spanned<Vec<toml::Value>>>,
    /// Or an evenly spaced range.
    pub range: Option<Spanned<RawRange>>,
}

/// `range = { start, stop, step }`: start, start + step, ... up to and
/// including stop.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// First value.
    pub start: Spanned<toml::Value>,
    /// Last value (included when the steps land on it).
    pub stop: Spanned<toml::Value>,
    /// Step, > 0.
    pub step: Spanned<toml::Value>,
}

/// `[run]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun {
    /// Minutes.
    pub horizon: Spanned<Minutes>,
    /// Minutes.
    pub warmup: Option<Spanned<Minutes>>,
    /// Count.
    pub replications: Option<Spanned<u32>>,
    /// Scenario seed.
    pub seed: Option<Spanned<u64>>,
    /// Minutes.
    pub service_level_threshold: Option<Spanned<Minutes>>,
    /// Minutes after the horizon that clients inside may still finish.
    pub drain_limit: Option<Spanned<Minutes>>,
    /// Most clients inside at once before a replication stops.
    pub max_clients_inside: Option<Spanned<u64>>,
    /// Overrides of the documented limits on a scenario's size.
    pub limits: Option<Spanned<RawLimits>>,
}

/// `[run.limits]`: each raises (or lowers) one documented limit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// Most replications.
    pub replications: Option<u64>,
    /// Most segments.
    pub segments: Option<u64>,
    /// Most tiers.
    pub tiers: Option<u64>,
    /// Most expected events per replication.
    pub events: Option<f64>,
    /// Most points of a `[sweep]`.
    pub points: Option<u64>,
}

/// `[[segment]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    /// Segment name.
    pub name: Spanned<String>,
    /// Poisson arrivals per hour (absent when `arrivals` replays a trace).
    pub rate_per_hour: Option<Spanned<f64>>,
    /// `{ trace = "file.csv" }`: arrivals replayed from a file.
    pub arrivals: Option<Spanned<RawArrivals>>,
    /// Patience distribution.
    pub patience: Option<Spanned<RawDist>>,
    /// Smaller is served first.
    pub priority: Option<Spanned<i64>>,
    /// First tier.
    pub entry: Option<Spanned<String>>,
    /// `{ request type = share }`.
    pub requests: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    /// Tolerated wait τ, minutes.
    pub tolerance: Option<Spanned<Minutes>>,
    /// `{ channel = share }`.
    pub channels: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    /// Back-office tiers every case needs, in order.
    pub back_office: Option<Vec<Spanned<String>>>,
    /// Dedicated RMs' books.
    pub book: Option<Spanned<RawBook>>,
    /// Share of clients who are problem cases.
    pub problem_rate: Option<Spanned<f64>>,
    /// A client's value to the bank per year.
    pub annual_value: Option<Spanned<f64>>,
    /// What a client who abandons or is blocked does next.
    pub redial: Option<Spanned<RawRedial>>,
    /// Minutes waited before the client is served with the first priority.
    pub promote_after: Option<Spanned<Minutes>>,
    /// Status-chasing contacts per day while a case is in a back office.
    pub chase_rate_per_day: Option<Spanned<f64>>,
    /// Minutes of one chasing contact at the front line.
    pub chase_service: Option<Spanned<RawDist>>,
    /// `{ cv = x }`: a Gamma factor per day on the arrival rates.
    pub day_effect: Option<Spanned<RawDayEffect>>,
}

/// `day_effect = { cv = x }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDayEffect {
    /// Coefficient of variation of the day factor (>= 0).
    pub cv: Spanned<f64>,
}

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

/// A distribution: `{ dist = "...", ...parameters }`. Which parameters a
/// kind needs is checked in validation, for clearer messages than serde's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// Kind of distribution.
    pub dist: Spanned<String>,
    /// Mean, minutes.
    pub mean: Option<Spanned<Minutes>>,
    /// Erlang phases.
    pub k: Option<Spanned<u32>>,
    /// Coefficient of variation.
    pub cv: Option<Spanned<f64>>,
    /// Uniform lower bound.
    pub low: Option<Spanned<Minutes>>,
    /// Uniform upper bound.
    pub high: Option<Spanned<Minutes>>,
    /// Empirical values.
    pub values: Option<Spanned<Vec<Minutes>>>,
}

/// `[targets]` and each `[targets.segment.<name>]`: bounds on summary
/// metrics (validated in `targets.rs`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    /// Share served within the threshold (at least).
    pub service_level: Option<Spanned<RawBound>>,
    /// Mean wait, minutes (at most).
    pub wait_mean: Option<Spanned<RawBound>>,
    /// Mean wait of served clients, minutes (at most).
    pub wait_served_mean: Option<Spanned<RawBound>>,
    /// 90th percentile of the wait, minutes (at most).
    pub wait_p90: Option<Spanned<RawBound>>,
    /// Mean sojourn, minutes (at most).
    pub sojourn_mean: Option<Spanned<RawBound>>,
    /// Abandonment share (at most).
    pub abandon_rate: Option<Spanned<RawBound>>,
    /// Blocked share (at most).
    pub blocked_rate: Option<Spanned<RawBound>>,
    /// Mean satisfaction, 0-100 (at least).
    pub satisfaction_mean: Option<Spanned<RawBound>>,
    /// Top-box share (at least).
    pub csat: Option<Spanned<RawBound>>,
    /// Front-line complaint share (at most).
    pub complaint_rate: Option<Spanned<RawBound>>,
    /// Formal complaint share (at most).
    pub formal_complaint_rate: Option<Spanned<RawBound>>,
    /// First-contact resolution share (at least).
    pub fcr: Option<Spanned<RawBound>>,
    /// Targets for one segment each.
    pub segment: Option<BTreeMap<Spanned<String>, Spanned<RawTargets>>>,
}

/// A target: a number (bound in the metric's good direction) or
/// `{ min, max }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawBound {
    /// `metric = x`.
    Value(f64),
    /// `metric = { min = x, max = y }`.
    Range(RawRangeBound),
}

/// `{ min, max }` of a target.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRangeBound {
    /// At least.
    pub min: Option<f64>,
    /// At most.
    pub max: Option<f64>,
}

/// `[cost]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCost {
    /// `{ tier = cost per server on duty per hour }`.
    pub hourly: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// Cost of starting one shift (one server).
    pub shift_start: Option<Spanned<f64>>,
    /// Revenue of one sale, for the net value (overrides the requests').
    pub revenue_per_sale: Option<Spanned<f64>>,
    /// `{ tier = { group = cost per agent on duty per hour } }` for agent
    /// groups (default: the tier's `hourly`).
    pub group_hourly: Option<BTreeMap<Spanned<String>, RawRates>>,
}

/// `{ name = rate }`, by group name.
pub type RawRates = BTreeMap<Spanned<String>, Spanned<f64>>;

/// `[plan]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Allowed shift lengths, minutes.
    pub shift_lengths: Option<Spanned<Vec<Minutes>>>,
    /// Allowed shift starts, `HH:MM`.
    pub shift_starts: Option<Spanned<Vec<String>>>,
    /// Most servers of one tier in one slot.
    pub max_servers: Option<Spanned<u32>>,
    /// Shares of paid time off duty (`scenario::workforce`).
    pub shrinkage: Option<Spanned<super::workforce::RawShrinkage>>,
    /// Paid hours a week of one full-time equivalent.
    pub fte_hours: Option<Spanned<f64>>,
    /// Break placement in generated shifts.
    pub breaks: Option<Spanned<super::workforce::RawBreaks>>,
    /// Weekly roster rules.
    pub roster: Option<Spanned<super::workforce::RawRoster>>,
}
