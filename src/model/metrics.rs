//! The named metrics of the summary, computed from one replication's counts.
//! The names are a contract with users' scripts: add, never rename.

use super::replication::{
    ClientCounts, GroupCounts, ReplicationResult, RequestCounts, TierCounts, WeekCounts,
};

/// Metric names for the whole system and for each segment, in output order.
pub const CLIENT_METRICS: [&str; 46] = [
    "arrived",
    "served",
    "abandoned",
    "blocked",
    "inside",
    "abandon_rate",
    "blocked_rate",
    "wait_mean",
    "wait_served_mean",
    "wait_p_positive",
    "service_level",
    "sojourn_mean",
    "wait_p90",
    "satisfaction_mean",
    "csat",
    "complaint_rate",
    "formal_complaint_rate",
    "fcr",
    "handoffs_mean",
    "deflection_rate",
    "sales",
    "revenue",
    "mis_sales",
    "turnaround_mean_hours",
    "own_rm_share",
    "unreached",
    "problem_cases",
    "problem_cases_caught",
    "problem_cases_missed",
    "risk_losses",
    "expected_attrition",
    "value_at_risk",
    "feedback_value",
    "service_level_staffed",
    "wait_p_positive_staffed",
    "fcr_staffed",
    "unresolved_rate",
    "continuity_points",
    "attempts",
    "redials",
    "unique_clients",
    "abandon_rate_final",
    "redial_minutes_mean",
    "repeat_contacts",
    "failure_demand_share",
    "chasing_contacts",
];

/// Metric names for each request type, in output order.
pub const REQUEST_METRICS: [&str; 9] = [
    "arrived",
    "served",
    "turnaround_mean_hours",
    "satisfaction_mean",
    "sales",
    "revenue",
    "repeat_contacts",
    "failure_demand_share",
    "chasing_contacts",
];

/// Metric names for each tier (per visit), in output order.
pub const TIER_METRICS: [&str; 32] = [
    "arrived",
    "served",
    "abandoned",
    "blocked",
    "escalated",
    "wait_mean",
    "wait_served_mean",
    "wait_p_positive",
    "service_level",
    "sojourn_mean",
    "queue_len_mean",
    "in_system_mean",
    "utilization",
    "abandon_rate",
    "blocked_rate",
    "escalation_rate",
    "servers_mean",
    "overtime_minutes",
    "occupancy",
    "serving_share",
    "non_client_share",
    "outbound_share",
    "idle_share",
    "outbound_calls",
    "outbound_sales",
    "outbound_revenue",
    "callback_attempts",
    "callback_failures",
    "overflowed",
    "callback_wait_mean",
    "callback_offered",
    "callback_accepted",
];

/// Probabilities at which the distribution of the total wait is reported
/// (its quantile function, for CDF plots): 0.05 to 0.95 by 0.05, and 0.99.
pub const WAIT_QUANTILES: [f64; 20] = [
    0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80,
    0.85, 0.90, 0.95, 0.99,
];

/// The total wait's quantiles at [`WAIT_QUANTILES`], minutes.
pub fn wait_quantiles(c: &ClientCounts) -> Vec<f64> {
    WAIT_QUANTILES
        .iter()
        .map(|&q| c.wait_histogram.quantile(q))
        .collect()
}

/// `numerator / denominator`, or NaN (undefined in this replication) when
/// the denominator is zero.
fn ratio(numerator: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        f64::NAN
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Values of [`CLIENT_METRICS`], in the same order.
pub fn client_values(c: &ClientCounts) -> [f64; CLIENT_METRICS.len()] {
    let finished = c.served + c.abandoned;
    // Abandonment and blocking are per contact (redials and repeat
    // contacts included); the same as per client when nobody comes back.
    let attempts = c.arrived + c.redials + c.repeat_contacts;
    [
        c.arrived as f64,
        c.served as f64,
        c.abandoned as f64,
        c.blocked as f64,
        c.inside as f64,
        ratio(c.abandoned, attempts - c.blocked),
        ratio(c.blocked, attempts),
        c.wait.mean(),
        c.wait_served.mean(),
        ratio(c.waited, finished),
        ratio(c.within_service_level, finished),
        c.sojourn.mean(),
        c.wait_histogram.quantile(0.9),
        c.satisfaction.mean(),
        ratio(c.top_box, c.finished),
        ratio(c.complaints, c.finished),
        ratio(c.formal_complaints, c.finished),
        ratio(c.first_contact, c.finished),
        c.handoffs.mean(),
        ratio(c.deflected, c.finished),
        c.sales as f64,
        c.revenue,
        c.mis_sales as f64,
        // Departure is the final answer, back offices included.
        c.sojourn.mean() / 60.0,
        ratio(c.own_rm, c.booked),
        c.unreached as f64,
        c.problem_cases as f64,
        c.problem_caught as f64,
        (c.problem_cases - c.problem_caught) as f64,
        c.risk_losses,
        if c.finished == 0 {
            f64::NAN
        } else {
            c.attrition / c.finished as f64
        },
        c.value_at_risk,
        c.feedback_value,
        // Measured at the first staffed tier the client reached (after
        // any chatbot in front), among the clients who reached one.
        ratio(c.staffed_within, c.staffed_admitted),
        ratio(c.staffed_waited, c.staffed_admitted),
        ratio(c.staffed_first_contact, c.staffed_finished),
        ratio(c.unresolved, c.served),
        if c.booked == 0 {
            f64::NAN
        } else {
            c.continuity_points / c.booked as f64
        },
        attempts as f64,
        c.redials as f64,
        // Each client arrives once; redials are the same clients again.
        c.arrived as f64,
        // Journeys that ended without service (after every redial).
        ratio(c.finished - c.served, c.finished),
        if c.arrived == 0 {
            f64::NAN
        } else {
            c.redial_minutes / c.arrived as f64
        },
        c.repeat_contacts as f64,
        // Contacts that exist only because an earlier one failed: redials,
        // repeat contacts and status chasing.
        ratio(
            attempts - c.arrived + c.chasing_contacts,
            attempts + c.chasing_contacts,
        ),
        c.chasing_contacts as f64,
    ]
}

/// Values of [`REQUEST_METRICS`], in the same order.
pub fn request_values(r: &RequestCounts) -> [f64; REQUEST_METRICS.len()] {
    [
        r.arrived as f64,
        r.served as f64,
        r.turnaround.mean() / 60.0,
        r.satisfaction.mean(),
        r.sales as f64,
        r.revenue,
        r.repeat_contacts as f64,
        {
            let again = r.redials + r.repeat_contacts + r.chasing_contacts;
            ratio(again, r.arrived + again)
        },
        r.chasing_contacts as f64,
    ]
}

/// How a tier's servers spent their time on duty: serving clients,
/// non-client work, outbound calls and idle, as shares; and occupancy,
/// the share of the time available for clients spent serving them. NaN
/// for unlimited tiers or when nobody was on duty.
fn time_split(t: &TierCounts) -> [f64; 5] {
    if t.servers.is_unlimited() || t.servers_mean <= 0.0 {
        return [f64::NAN; 5];
    }
    let duty = t.servers_mean;
    let serving = ((t.busy_mean - t.outbound_mean) / duty).max(0.0);
    let outbound = t.outbound_mean / duty;
    let non_client = ((duty - t.available_mean) / duty).max(0.0);
    let idle = (1.0 - serving - outbound - non_client).max(0.0);
    let occupancy = if serving + idle > 0.0 {
        serving / (serving + idle)
    } else {
        f64::NAN
    };
    [occupancy, serving, non_client, outbound, idle]
}

/// Values of [`TIER_METRICS`], in the same order.
pub fn tier_values(t: &TierCounts) -> [f64; TIER_METRICS.len()] {
    let finished = t.served + t.abandoned;
    let split = time_split(t);
    [
        t.arrived as f64,
        t.served as f64,
        t.abandoned as f64,
        t.blocked as f64,
        t.escalated as f64,
        t.wait.mean(),
        t.wait_served.mean(),
        ratio(t.waited, finished),
        ratio(t.within_service_level, finished),
        t.sojourn.mean(),
        t.queue_len_mean,
        // Clients in service: busy sessions less outbound calls.
        t.queue_len_mean + (t.busy_mean - t.outbound_mean) * t.sessions as f64,
        if t.servers.is_unlimited() {
            f64::NAN
        } else {
            // Busy time on duty never exceeds time on duty; min() drops
            // rounding.
            (t.busy_mean / t.servers_mean).min(1.0)
        },
        ratio(t.abandoned, t.arrived - t.blocked),
        ratio(t.blocked, t.arrived),
        ratio(t.escalated, t.served),
        if t.servers.is_unlimited() {
            f64::NAN
        } else {
            t.servers_mean
        },
        t.overtime_minutes,
        split[0],
        split[1],
        split[2],
        split[3],
        split[4],
        t.outbound_calls as f64,
        t.outbound_sales as f64,
        t.outbound_revenue,
        t.callback_attempts as f64,
        t.callback_failures as f64,
        t.overflowed as f64,
        t.callback_wait.mean(),
        t.callback_offered as f64,
        t.callback_accepted as f64,
    ]
}

/// Metric names per slot of the day for all clients (by arrival slot).
pub const SLOT_CLIENT_METRICS: [&str; 5] = [
    "arrived",
    "wait_mean",
    "service_level",
    "abandon_rate",
    "satisfaction_mean",
];

/// Metric names per simulated day (`--day-quantile`), all clients by the
/// day they arrived in; the same definitions as per slot.
pub const DAY_METRICS: [&str; 3] = ["service_level", "abandon_rate", "wait_mean"];

/// Per simulated day (empty unless `run.day_quantile` kept days): the
/// values of [`DAY_METRICS`]; NaN for a day without admitted clients.
pub fn day_values(r: &ReplicationResult) -> Vec<Vec<f64>> {
    r.days
        .iter()
        .map(|c| {
            vec![
                ratio(c.within_service_level, c.admitted_finished),
                ratio(c.abandoned, c.admitted_finished),
                c.wait.mean(),
            ]
        })
        .collect()
}

/// Metric names per slot of the day for each tier.
pub const SLOT_TIER_METRICS: [&str; 3] = ["servers_mean", "utilization", "queue_len_mean"];

/// Per slot of the day: [`SLOT_CLIENT_METRICS`], then [`SLOT_TIER_METRICS`]
/// for each tier in model order. Empty without a calendar (one slot).
pub fn slot_values(r: &ReplicationResult) -> Vec<Vec<f64>> {
    if r.slots.len() < 2 {
        return Vec::new();
    }
    r.slots
        .iter()
        .enumerate()
        .map(|(s, c)| {
            let mut v = vec![
                c.arrived as f64,
                c.wait.mean(),
                ratio(c.within_service_level, c.admitted_finished),
                ratio(c.abandoned, c.admitted_finished),
                c.satisfaction.mean(),
            ];
            for t in &r.tiers {
                let exposure = t.slot_exposure[s];
                let on_duty = t.slot_servers[s];
                v.push(if t.servers.is_unlimited() || exposure <= 0.0 {
                    f64::NAN
                } else {
                    on_duty / exposure
                });
                v.push(if t.servers.is_unlimited() || on_duty <= 0.0 {
                    f64::NAN
                } else {
                    (t.slot_busy[s] / on_duty).min(1.0)
                });
                v.push(if exposure <= 0.0 {
                    f64::NAN
                } else {
                    t.slot_queue[s] / exposure
                });
            }
            v
        })
        .collect()
}

/// All segments' counts merged: the `overall` view.
pub fn overall(segments: &[ClientCounts]) -> ClientCounts {
    let mut all = ClientCounts::default();
    for s in segments {
        all.merge(s);
    }
    all
}

/// Metric names for each agent group of a tier (`group.<tier>.<group>`),
/// in output order.
pub const GROUP_METRICS: [&str; 5] = [
    "servers_mean",
    "utilization",
    "served",
    "off_skill_served",
    "off_skill_share",
];

/// Metric names for each skill of an agent group
/// (`group.<tier>.<group>.<skill>`), in output order.
pub const SKILL_METRICS: [&str; 2] = ["served", "skill_share"];

/// Values of [`GROUP_METRICS`], in the same order. A group whose agents
/// on duty vary (shifts, new hires) reports their time average, and its
/// utilization is busy time on duty over time on duty.
pub fn group_values(g: &GroupCounts) -> [f64; GROUP_METRICS.len()] {
    let (servers, utilization) = match g.staffing.duty_mean {
        None => (
            f64::from(g.servers),
            g.busy_mean / f64::from(g.servers.max(1)),
        ),
        Some(duty) => (duty, (g.busy_mean - g.staffing.excess_mean) / duty),
    };
    [
        servers,
        utilization,
        g.served as f64,
        g.off_skill as f64,
        ratio(g.off_skill, g.served),
    ]
}

/// Values of [`SKILL_METRICS`] for skill `skill` of group `g`.
pub fn skill_values(g: &GroupCounts, skill: usize) -> [f64; SKILL_METRICS.len()] {
    [g.by_skill[skill] as f64, ratio(g.by_skill[skill], g.served)]
}

/// Every agent group's values, then its skills', tier by tier in model
/// order (the rows of `Shape::agents`); empty without groups.
pub fn agent_values(r: &ReplicationResult) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    for g in r.tiers.iter().flat_map(|t| &t.groups) {
        out.push(group_values(g).to_vec());
        for skill in 0..g.by_skill.len() {
            out.push(skill_values(g, skill).to_vec());
        }
        out.extend(g.staffing.weeks.iter().map(|w| week_values(w).to_vec()));
    }
    out
}

/// Metric names for each week of a group with new hires
/// (`group.<tier>.<group>.week<k>`, k from 0 as `start_week`), in output
/// order.
pub const WEEK_METRICS: [&str; 4] = ["agents_mean", "utilization", "served", "efficiency_mean"];

/// Values of [`WEEK_METRICS`] for one week: agents on duty (time average
/// over the week's part of the window), busy time on duty over time on
/// duty, services begun, and their agents' mean tenure efficiency.
pub fn week_values(w: &WeekCounts) -> [f64; WEEK_METRICS.len()] {
    let per = |area: f64, over: f64| if over > 0.0 { area / over } else { f64::NAN };
    [
        per(w.duty_area, w.exposure),
        per(w.busy_area - w.excess_area, w.duty_area),
        w.served as f64,
        if w.served > 0 {
            w.efficiency_sum / w.served as f64
        } else {
            f64::NAN
        },
    ]
}
