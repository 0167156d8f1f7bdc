//! The metric catalogue: for every metric key of `summary.json` its label,
//! unit, direction (which way is better) and whether it keeps its meaning
//! when the route changes. Terminal tables, `report.html`, the plots, the
//! verdicts and the CSV documentation (docs/metrics.md) all read it, so a
//! metric is described once. Depends on nothing but `model::metrics` (for
//! the test that every key has an entry).
//!
//! The entries are kept by metric family, one file each: [`clients`],
//! [`business`], [`tiers`], [`failure_demand`], [`groups`]; the units and
//! directions are in `unit.rs`.

mod business;
mod clients;
mod failure_demand;
mod groups;
mod tiers;
mod unit;

pub use unit::{Direction, Unit};

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

/// Every metric of `summary.json` (clients, request types, tiers, slots of
/// the day), each once, by family.
pub const FAMILIES: [&[Metric]; 5] = [
    &clients::METRICS,
    &business::METRICS,
    &tiers::METRICS,
    &failure_demand::METRICS,
    &groups::METRICS,
];

/// Every entry of the catalogue, family by family.
pub fn all() -> impl Iterator<Item = &'static Metric> {
    FAMILIES.iter().flat_map(|f| f.iter())
}

/// The entry of metric `key`, if the catalogue has one.
pub fn get(key: &str) -> Option<&'static Metric> {
    all().find(|m| m.key == key)
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
    use super::Direction::{LowerIsBetter as Down, Neutral};
    use super::Unit::*;
    use super::*;
    use crate::model::metrics::{
        CLIENT_METRICS, GROUP_METRICS, REQUEST_METRICS, SKILL_METRICS, SLOT_CLIENT_METRICS,
        SLOT_TIER_METRICS, TIER_METRICS, WEEK_METRICS,
    };

    #[test]
    fn every_metric_of_the_model_has_one_entry() {
        let keys = CLIENT_METRICS
            .iter()
            .chain(&REQUEST_METRICS)
            .chain(&TIER_METRICS)
            .chain(&SLOT_CLIENT_METRICS)
            .chain(&SLOT_TIER_METRICS)
            .chain(&GROUP_METRICS)
            .chain(&SKILL_METRICS)
            .chain(&WEEK_METRICS);
        for key in keys {
            assert!(get(key).is_some(), "{key} has no catalogue entry");
        }
        let catalogue: Vec<&Metric> = all().collect();
        for (i, a) in catalogue.iter().enumerate() {
            assert!(
                catalogue[i + 1..].iter().all(|b| b.key != a.key),
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
        let doc = include_str!("../../../docs/metrics.md");
        for m in all() {
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
