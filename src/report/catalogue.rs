//! The metric catalogue: for every metric key of `summary.json` its label,
//! unit, direction (which way is better) and whether it keeps its meaning
//! when the route changes. Terminal tables, `report.html`, the plots, the
//! verdicts and the CSV documentation (docs/metrics.md) all read it, so a
//! metric is described once. Depends on nothing but `model::metrics` (for
//! the test that every key has an entry).

/// Which direction of a metric is an improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Less is better (waits, abandonment, complaints, turnaround, ...).
    LowerIsBetter,
    /// More is better (service level, satisfaction, sales, revenue, ...).
    HigherIsBetter,
    /// Neither: a change is reported as such, without judging it
    /// (arrivals, utilization, escalation, deflection, and any metric the
    /// catalogue does not know).
    Neutral,
}

impl Direction {
    /// As written in docs and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::LowerIsBetter => "lower is better",
            Direction::HigherIsBetter => "higher is better",
            Direction::Neutral => "neither",
        }
    }
}

/// The unit of a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count over the measured period of one replication (horizon less
    /// warm-up), e.g. clients per week.
    Count,
    /// Minutes.
    Minutes,
    /// Hours (the key says so: `_hours`).
    Hours,
    /// A share in [0, 1], shown as a percentage.
    Share,
    /// A satisfaction score on 0–100.
    Score,
    /// Money in the scenario's currency units, summed over the measured
    /// period.
    Currency,
    /// A mean number per client (hand-offs).
    PerClient,
    /// A time-average number of clients (queue, in system).
    Clients,
    /// A time-average number of servers on duty.
    Servers,
}

impl Unit {
    /// The short unit written beside a metric in terminal tables: `count`,
    /// `min`, `h`, `share`, `0-100`, `currency`, `per client`, `clients`,
    /// `servers`.
    pub fn short(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Minutes => "min",
            Unit::Hours => "h",
            Unit::Share => "share",
            Unit::Score => "0-100",
            Unit::Currency => "currency",
            Unit::PerClient => "per client",
            Unit::Clients => "clients",
            Unit::Servers => "servers",
        }
    }

    /// The unit as written on a plot's axis or beside a metric in a
    /// table of raw values (shares in [0, 1]).
    pub fn axis(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
            Unit::Share => "share",
            Unit::Score => "score 0–100",
            Unit::Currency => "currency",
            Unit::PerClient => "per client",
            Unit::Clients => "clients",
            Unit::Servers => "servers",
        }
    }

    /// The unit in words for an axis or a panel: counts and money name the
    /// `period` they are summed over (`per week`) when it is known.
    pub fn words(self, period: Option<&str>) -> String {
        let per = |base: &str| match period {
            Some(p) => format!("{base} {p}"),
            None => base.to_string(),
        };
        match self {
            Unit::Count => per("count"),
            Unit::Currency => per("currency"),
            Unit::Minutes => "minutes".into(),
            Unit::Hours => "hours".into(),
            Unit::Share => "share (%)".into(),
            Unit::Score => "score 0–100".into(),
            Unit::PerClient => "per client".into(),
            Unit::Clients => "clients".into(),
            Unit::Servers => "servers".into(),
        }
    }

    /// Whether the value is summed over the measured period (so it grows
    /// with the run's length).
    pub fn per_period(self) -> bool {
        matches!(self, Unit::Count | Unit::Currency)
    }

    /// `x` for people: a share as a percentage, counts without decimals
    /// when large, others with as many decimals as their size needs; `–`
    /// when undefined.
    pub fn show(self, x: f64) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        match self {
            Unit::Share => {
                let p = 100.0 * x;
                let d = if p.abs() >= 10.0 { 1 } else { 2 };
                format!("{p:.d$}%")
            }
            Unit::Count if x == x.round() || x.abs() >= 100.0 => format!("{x:.0}"),
            _ => {
                let d = if x.abs() >= 1000.0 {
                    0
                } else if x.abs() >= 10.0 {
                    1
                } else {
                    2
                };
                format!("{x:.d$}")
            }
        }
    }

    /// A difference `x` for people: as [`Unit::show`] with a sign, a share
    /// in percentage points.
    pub fn show_difference(self, x: f64) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let sign = if x > 0.0 { "+" } else { "" };
        match self {
            Unit::Share => {
                let p = 100.0 * x;
                let d = if p.abs() >= 10.0 { 1 } else { 2 };
                format!("{sign}{p:.d$} pp")
            }
            _ => format!("{sign}{}", self.show(x)),
        }
    }
}

/// One metric's entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metric {
    /// The key in `summary.json` and the CSV files.
    pub key: &'static str,
    /// What it is, in a few words.
    pub label: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Whether, for clients (overall and segments), it measures the first
    /// step of the journey, so that it changes meaning when the route
    /// changes (a chatbot added in front: the first step becomes the bot).
    /// Per-tier metrics keep their meaning.
    pub first_step: bool,
}

const fn m(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    direction: Direction,
    first_step: bool,
) -> Metric {
    Metric {
        key,
        label,
        unit,
        direction,
        first_step,
    }
}

use Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Neutral};
use Unit::*;

/// Every metric of `summary.json` (clients, request types, tiers, slots of
/// the day), each once.
pub const CATALOGUE: [Metric; 72] = [
    m("arrived", "clients arrived", Count, Neutral, false),
    m("served", "clients served", Count, Up, false),
    m("abandoned", "clients who abandoned", Count, Down, false),
    m("blocked", "clients turned away (full)", Count, Down, false),
    m(
        "inside",
        "clients still inside at the end",
        Count,
        Down,
        false,
    ),
    m("abandon_rate", "abandonment", Share, Down, false),
    m("blocked_rate", "share turned away", Share, Down, false),
    m("wait_mean", "mean wait", Minutes, Down, false),
    m(
        "wait_served_mean",
        "mean wait of served clients",
        Minutes,
        Down,
        false,
    ),
    m(
        "wait_p_positive",
        "share who waited at the first step",
        Share,
        Down,
        true,
    ),
    m("service_level", "service level", Share, Up, true),
    m(
        "sojourn_mean",
        "mean time from arrival to leaving",
        Minutes,
        Down,
        false,
    ),
    m("wait_p90", "90th-percentile wait", Minutes, Down, false),
    m("satisfaction_mean", "satisfaction", Score, Up, false),
    m("csat", "CSAT (top-box share)", Share, Up, false),
    m("complaint_rate", "complaints", Share, Down, false),
    m(
        "formal_complaint_rate",
        "formal complaints",
        Share,
        Down,
        false,
    ),
    m("fcr", "first-contact resolution", Share, Up, true),
    m(
        "handoffs_mean",
        "hand-offs per client",
        PerClient,
        Down,
        false,
    ),
    m(
        "deflection_rate",
        "share resolved by self-service",
        Share,
        Neutral,
        false,
    ),
    m("sales", "sales", Count, Up, false),
    m("revenue", "revenue", Currency, Up, false),
    m("mis_sales", "mis-sales", Count, Down, false),
    m(
        "turnaround_mean_hours",
        "mean turnaround",
        Hours,
        Down,
        false,
    ),
    m(
        "own_rm_share",
        "share booked with their own RM",
        Share,
        Up,
        false,
    ),
    m("unreached", "callbacks never reached", Count, Down, false),
    m("escalated", "visits passed up", Count, Neutral, false),
    m("queue_len_mean", "mean queue length", Clients, Down, false),
    m(
        "in_system_mean",
        "mean clients in the tier",
        Clients,
        Down,
        false,
    ),
    m("utilization", "utilization", Share, Neutral, false),
    m("escalation_rate", "share passed up", Share, Neutral, false),
    m(
        "servers_mean",
        "mean servers on duty",
        Servers,
        Neutral,
        false,
    ),
    m(
        "overtime_minutes",
        "overtime worked in the period",
        Minutes,
        Down,
        false,
    ),
    m("occupancy", "occupancy", Share, Neutral, false),
    m(
        "serving_share",
        "share of duty time serving",
        Share,
        Neutral,
        false,
    ),
    m(
        "non_client_share",
        "share of duty time on non-client work",
        Share,
        Neutral,
        false,
    ),
    m(
        "outbound_share",
        "share of duty time on outbound calls",
        Share,
        Neutral,
        false,
    ),
    m(
        "idle_share",
        "share of duty time idle",
        Share,
        Neutral,
        false,
    ),
    m("outbound_calls", "outbound calls", Count, Neutral, false),
    m("outbound_sales", "outbound sales", Count, Up, false),
    m("outbound_revenue", "outbound revenue", Currency, Up, false),
    m(
        "callback_attempts",
        "callback attempts",
        Count,
        Neutral,
        false,
    ),
    m(
        "callback_failures",
        "callback attempts that failed",
        Count,
        Down,
        false,
    ),
    m(
        "overflowed",
        "visits sent to the overflow tier",
        Count,
        Neutral,
        false,
    ),
    m(
        "problem_cases",
        "problem cases served",
        Count,
        Neutral,
        false,
    ),
    m(
        "problem_cases_caught",
        "problem cases caught",
        Count,
        Up,
        false,
    ),
    m(
        "problem_cases_missed",
        "problem cases missed",
        Count,
        Down,
        false,
    ),
    m("risk_losses", "risk losses", Currency, Down, false),
    m(
        "expected_attrition",
        "expected attrition within a year",
        Share,
        Down,
        false,
    ),
    m(
        "value_at_risk",
        "annual value at risk of leaving",
        Currency,
        Down,
        false,
    ),
    m(
        "feedback_value",
        "new business from feedback",
        Currency,
        Up,
        false,
    ),
    m(
        "service_level_staffed",
        "service level at the first staffed tier",
        Share,
        Up,
        false,
    ),
    m(
        "wait_p_positive_staffed",
        "share who waited for the first staffed tier",
        Share,
        Down,
        false,
    ),
    m(
        "fcr_staffed",
        "resolution at the first staffed tier",
        Share,
        Up,
        false,
    ),
    m(
        "unresolved_rate",
        "share of served clients left unresolved",
        Share,
        Down,
        false,
    ),
    m(
        "continuity_points",
        "satisfaction points from continuity per booked client",
        Score,
        Neutral,
        false,
    ),
    m(
        "callback_wait_mean",
        "mean time on the call-back list per attempt",
        Minutes,
        Down,
        false,
    ),
    m(
        "attempts",
        "contact attempts (first, redials and repeat contacts)",
        Count,
        Neutral,
        false,
    ),
    m("redials", "redials", Count, Down, false),
    m("unique_clients", "unique clients", Count, Neutral, false),
    m(
        "abandon_rate_final",
        "share of clients never served",
        Share,
        Down,
        false,
    ),
    m(
        "repeat_contacts",
        "contacts again about a need left unresolved",
        Count,
        Down,
        false,
    ),
    m(
        "failure_demand_share",
        "share of contacts caused by an earlier failed one",
        Share,
        Down,
        false,
    ),
    m(
        "redial_minutes_mean",
        "minutes between failed attempts and redials per client",
        Minutes,
        Neutral,
        false,
    ),
    m(
        "off_skill_served",
        "services begun off-skill (agent groups)",
        Count,
        Neutral,
        false,
    ),
    m(
        "off_skill_share",
        "share of a group's services off-skill",
        Share,
        Neutral,
        false,
    ),
    m(
        "skill_share",
        "share of a group's services of this skill",
        Share,
        Neutral,
        false,
    ),
    m(
        "chasing_contacts",
        "status-chasing contacts about cases in back offices",
        Count,
        Down,
        false,
    ),
    m(
        "callback_offered",
        "waiting clients offered a call-back (virtual hold)",
        Count,
        Neutral,
        false,
    ),
    m(
        "callback_accepted",
        "clients who took the call-back offered on hold",
        Count,
        Neutral,
        false,
    ),
    m(
        "agents_mean",
        "mean agents of the group on duty in the week",
        Servers,
        Neutral,
        false,
    ),
    m(
        "efficiency_mean",
        "mean tenure efficiency of the week's services (1 = tenured)",
        Share,
        Up,
        false,
    ),
];

/// The entry of metric `key`, if the catalogue has one.
pub fn get(key: &str) -> Option<&'static Metric> {
    CATALOGUE.iter().find(|m| m.key == key)
}

/// The direction of metric `key`; unknown metrics are neutral.
pub fn direction(key: &str) -> Direction {
    get(key).map_or(Direction::Neutral, |m| m.direction)
}

/// The unit of metric `key`; unknown metrics count.
pub fn unit(key: &str) -> Unit {
    get(key).map_or(Unit::Count, |m| m.unit)
}

/// The label of metric `key`, or the key itself.
pub fn label(key: &str) -> &str {
    get(key).map_or(key, |m| m.label)
}

/// Whether metric `key` of group `group` (`overall`, `segment.<name>`,
/// `tier.<name>`, `request.<name>`) measures the first step of a client's
/// journey, so that it cannot be compared across a change of route.
pub fn first_step(group: &str, key: &str) -> bool {
    let clients = group == "overall" || group.starts_with("segment.");
    clients && get(key).is_some_and(|m| m.first_step)
}

/// The measured period of one replication in words: `per week`, `per 2
/// weeks`, `per day`, `per 8 h`, or `per 90 min`.
pub fn period(minutes: f64) -> String {
    const DAY: f64 = 1440.0;
    let whole = |x: f64| (x - x.round()).abs() < 1e-9;
    let n = |x: f64, one: &str, many: &str| {
        if (x - 1.0).abs() < 1e-9 {
            format!("per {one}")
        } else {
            format!("per {} {many}", x.round())
        }
    };
    if minutes <= 0.0 || !minutes.is_finite() {
        "per run".into()
    } else if whole(minutes / (7.0 * DAY)) {
        n(minutes / (7.0 * DAY), "week", "weeks")
    } else if whole(minutes / DAY) {
        n(minutes / DAY, "day", "days")
    } else if whole(minutes / 60.0) {
        format!("per {} h", (minutes / 60.0).round())
    } else {
        format!("per {} min", minutes.round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::metrics::{
        CLIENT_METRICS, GROUP_METRICS, REQUEST_METRICS, SKILL_METRICS, SLOT_CLIENT_METRICS,
        SLOT_TIER_METRICS, TIER_METRICS, WEEK_METRICS,
    };

    #[test]
    fn every_metric_of_the_model_has_one_entry() {
        let all = CLIENT_METRICS
            .iter()
            .chain(&REQUEST_METRICS)
            .chain(&TIER_METRICS)
            .chain(&SLOT_CLIENT_METRICS)
            .chain(&SLOT_TIER_METRICS)
            .chain(&GROUP_METRICS)
            .chain(&SKILL_METRICS)
            .chain(&WEEK_METRICS);
        for key in all {
            assert!(get(key).is_some(), "{key} has no catalogue entry");
        }
        for (i, a) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE[i + 1..].iter().all(|b| b.key != a.key),
                "{} twice",
                a.key
            );
            assert!(!a.label.is_empty());
        }
    }

    #[test]
    fn units_directions_and_first_step_metrics() {
        assert_eq!(unit("turnaround_mean_hours"), Hours);
        assert_eq!(direction("turnaround_mean_hours"), Down);
        assert_eq!(unit("own_rm_share"), Share);
        assert_eq!(unit("csat"), Share);
        assert_eq!(unit("revenue"), Currency);
        assert_eq!(unit("sales"), Count);
        assert_eq!(direction("utilization"), Neutral);
        assert_eq!(direction("no_such_metric"), Neutral);
        assert!(first_step("overall", "service_level"));
        assert!(first_step("segment.vip", "fcr"));
        assert!(!first_step("tier.junior", "service_level"));
        assert!(!first_step("overall", "satisfaction_mean"));
    }

    #[test]
    fn docs_metrics_lists_every_entry_with_its_direction() {
        let doc = include_str!("../../docs/metrics.md");
        for m in &CATALOGUE {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", m.key)))
                .unwrap_or_else(|| panic!("docs/metrics.md lacks {}", m.key));
            assert!(row.contains(m.direction.as_str()), "{row}");
            assert!(row.contains(m.label), "{row}");
        }
    }

    #[test]
    fn periods_and_values_in_words() {
        assert_eq!(period(10080.0), "per week");
        assert_eq!(period(20160.0), "per 2 weeks");
        assert_eq!(period(1440.0), "per day");
        assert_eq!(period(480.0), "per 8 h");
        assert_eq!(period(90.0), "per 90 min");
        assert_eq!(Count.words(Some("per week")), "count per week");
        assert_eq!(Share.show(0.086), "8.60%");
        assert_eq!(Share.show(0.7682), "76.8%");
        assert_eq!(Share.show_difference(-0.2739), "-27.4 pp");
        assert_eq!(Count.show(14695.0), "14695");
        assert_eq!(Score.show(74.53), "74.5");
        assert_eq!(Hours.show_difference(-14.06), "-14.1");
        assert_eq!(Minutes.show(f64::NAN), "–");
    }
}
