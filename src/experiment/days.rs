//! Figures on the Q-quantile day (`--day-quantile Q`): from every
//! simulated day of every replication (`model/replication/days.rs`), the
//! service level, abandonment and mean wait that a share Q of the days
//! do at least as well as.
//!
//! Definition. Over the n days with a value (days without admitted
//! clients have none), sorted ascending as v(1) ≤ ... ≤ v(n): for a
//! metric where lower is better (`abandon_rate`, `wait_mean`) the Q-day
//! figure is v(⌈Qn⌉), the smallest value that at least a share Q of the
//! days are at or below; for `service_level` (higher is better) it is
//! v(n + 1 − ⌈Qn⌉), the largest value that at least a share Q of the days
//! are at or above. With one simulated day per replication this is the
//! Q-quantile of the replications' own figures.
//!
//! The 95% interval is the distribution-free order-statistic one for the
//! quantile p (Q, or 1 − Q for the service level): ranks
//! ⌊np − 1.96 √(np(1−p))⌋ and ⌈np + 1.96 √(np(1−p))⌉, clamped to 1..n,
//! written as the larger distance from the figure (`ci95`). It takes the
//! days as independent: true across replications, close to true within
//! one when queues empty overnight.

use super::{Metrics, ScenarioSummary};
use crate::engine::stats::Estimate;
use crate::engine::stats::Tally;
use crate::model::metrics::DAY_METRICS;

/// The figures on the Q-quantile day.
#[derive(Clone, Debug, PartialEq)]
pub struct DayQuantile {
    /// The share of days that do at least as well (0 < Q < 1).
    pub q: f64,
    /// Days with counted clients, all replications.
    pub days: u64,
    /// Each of `DAY_METRICS` on the Q-quantile day; `n` is the number of
    /// days with a value.
    pub overall: Metrics,
    /// Each of `DAY_METRICS`, the mean over days of its daily values (the
    /// like-for-like mean beside the Q-day figure: the summary's own means
    /// pool each replication's clients, and count abandonment per contact
    /// where a day counts journeys).
    pub day_means: Vec<f64>,
}

/// Whether a higher value of day metric `name` is better.
fn higher_is_better(name: &str) -> bool {
    name == "service_level"
}

/// The Q-day figure of `values` (NaNs left out) for a metric where higher
/// is better or not, with its order-statistic 95% half-width; NaN
/// without values.
pub fn quantile_day(values: impl Iterator<Item = f64>, q: f64, higher_better: bool) -> Estimate {
    let mut v: Vec<f64> = values.filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return Estimate {
            mean: f64::NAN,
            ci95: f64::NAN,
            n: 0,
        };
    }
    let k = ((q * n as f64).ceil() as usize).clamp(1, n);
    let (rank, p) = if higher_better {
        (n + 1 - k, 1.0 - q)
    } else {
        (k, q)
    };
    let x = v[rank - 1];
    let np = n as f64 * p;
    let spread = 1.96 * (np * (1.0 - p)).sqrt();
    let at = |r: f64| v[(r as usize).clamp(1, n) - 1];
    let (lo, hi) = (at((np - spread).floor()), at((np + spread).ceil()));
    Estimate {
        mean: x,
        ci95: (x - lo).max(hi - x),
        n: n as u64,
    }
}

impl ScenarioSummary {
    /// The figures on the Q-quantile day, `None` when no days were kept.
    pub fn day_quantile(&self, q: f64) -> Option<DayQuantile> {
        if self.days.is_empty() {
            return None;
        }
        let overall = DAY_METRICS
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let values = self.days.iter().map(|d| d[i]);
                (*name, quantile_day(values, q, higher_is_better(name)))
            })
            .collect();
        let day_means = (0..DAY_METRICS.len())
            .map(|i| {
                let mut t = Tally::default();
                self.days
                    .iter()
                    .filter(|d| !d[i].is_nan())
                    .for_each(|d| t.add(d[i]));
                t.mean()
            })
            .collect();
        let days = self.days.iter().filter(|d| d.iter().any(|x| !x.is_nan()));
        Some(DayQuantile {
            q,
            days: days.count() as u64,
            overall,
            day_means,
        })
    }

    /// This summary with its overall `DAY_METRICS` replaced by their
    /// figures on the Q-quantile day (`plan --day-quantile`: targets on
    /// them are judged there); unchanged when no days were kept.
    pub fn on_quantile_day(&self, q: f64) -> ScenarioSummary {
        let mut out = self.clone();
        if let Some(day) = self.day_quantile(q) {
            for (name, e) in day.overall {
                if let Some(m) = out.overall.iter_mut().find(|(n, _)| *n == name) {
                    m.1 = e;
                }
            }
        }
        out
    }
}

/// The summary targets are judged on for a run of `model`: with
/// `run.day_quantile` (`plan --day-quantile Q`), [`ScenarioSummary::on_quantile_day`];
/// else `summary` itself.
pub fn judged<'s>(
    model: &crate::model::Model,
    summary: &'s ScenarioSummary,
) -> std::borrow::Cow<'s, ScenarioSummary> {
    match model.run.day_quantile {
        Some(q) => std::borrow::Cow::Owned(summary.on_quantile_day(q)),
        None => std::borrow::Cow::Borrowed(summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition on a small sample: ten days 1..10 (shuffled).
    #[test]
    fn quantile_day_follows_the_definition() {
        let v = [7.0, 2.0, 10.0, 1.0, 5.0, f64::NAN, 3.0, 9.0, 4.0, 8.0, 6.0];
        // Lower is better: ⌈0.9·10⌉ = 9th smallest = 9.
        let e = quantile_day(v.iter().copied(), 0.9, false);
        assert_eq!((e.mean, e.n), (9.0, 10));
        // Higher is better: the 10 + 1 − 9 = 2nd smallest = 2.
        assert_eq!(quantile_day(v.iter().copied(), 0.9, true).mean, 2.0);
        // Q = 0.5: the 5th smallest (lower better), the 6th (higher).
        assert_eq!(quantile_day(v.iter().copied(), 0.5, false).mean, 5.0);
        assert_eq!(quantile_day(v.iter().copied(), 0.5, true).mean, 6.0);
        // A share Q of days is at or below (at or above) the figure.
        for q in [0.1, 0.25, 0.33, 0.8, 0.95, 0.99] {
            let lo = quantile_day(v.iter().copied(), q, false).mean;
            let hi = quantile_day(v.iter().copied(), q, true).mean;
            assert!((1..=10).filter(|&x| x as f64 <= lo).count() as f64 >= q * 10.0);
            assert!((1..=10).filter(|&x| x as f64 >= hi).count() as f64 >= q * 10.0);
        }
        // Order-statistic interval at p = 0.9, n = 10: ranks 7 and 11 → 10.
        assert_eq!(quantile_day(v.iter().copied(), 0.9, false).ci95, 2.0);
        assert!(
            quantile_day([f64::NAN].into_iter(), 0.9, false)
                .mean
                .is_nan()
        );
    }
}
