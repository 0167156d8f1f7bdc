//! Forecast bands of a back-test (issue 18 items 3 and 5): for each
//! held-out day-hour, the predictive band of its calls under the
//! scenario's arrival model: the hour's expected calls μ from the profile,
//! day factors and rates, and the day effect's Gamma factor (cv) around
//! it, so the count is Gamma-Poisson (negative binomial; Poisson without
//! a day effect). Reports the share of held-out day-hours inside the band
//! and the day-hour volume MAPE.

use chrono::NaiveDate;
use serde::Serialize;

use super::predictive::{FitSpread, UncertainSpread};
use crate::fit::arrivals::weekday_index;
use crate::fit::clean::Call;
use crate::model::Model;

/// The band's quantiles (a central 80% band).
pub const BAND: [f64; 2] = [0.1, 0.9];
/// Goal: the share of held-out day-hours inside the band.
pub const GOAL_COVERAGE: f64 = 0.8;

/// One held-out day-hour.
#[derive(Debug, Clone, Serialize)]
pub struct BandRow {
    /// Date.
    pub date: NaiveDate,
    /// Hour of the day.
    pub hour: u32,
    /// Calls observed.
    pub observed: u64,
    /// Calls expected (the forecast μ).
    pub forecast: f64,
    /// The band's lower end (the 10% quantile).
    pub low: u64,
    /// Its upper end (the 90% quantile).
    pub high: u64,
    /// low <= observed <= high.
    pub inside: bool,
    /// The predictive band (`--fit-from/--fit-to`, `predictive.rs`): its
    /// cv, low and high ends, and whether the observed is inside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predictive: Option<PredictiveRow>,
}

/// One day-hour's predictive band.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PredictiveRow {
    /// The count's predictive cv (all sources).
    pub cv: f64,
    /// The band's lower end.
    pub low: u64,
    /// Its upper end.
    pub high: u64,
    /// low <= observed <= high.
    pub inside: bool,
}

/// The predictive bands' coverage and what they were built from.
#[derive(Debug, Clone, Serialize)]
pub struct PredictiveCoverage {
    /// The fit period's spread.
    pub spread: FitSpread,
    /// Held-out day-hours inside their predictive band / all.
    pub coverage: f64,
    /// coverage >= GOAL_COVERAGE.
    pub goal_met: bool,
    /// Mean predictive cv over the day-hours.
    pub cv_mean: f64,
    /// Per compared hour, the period's dates pooled (as the back-test's
    /// plot draws calls): the forecast, its predictive band and the
    /// observed calls.
    pub pooled: Vec<PooledBand>,
    /// Hours whose pooled observed calls are inside their band / all.
    pub pooled_coverage: f64,
    /// The same band with the fitted spreads' own uncertainty
    /// (docs/backtest.md round 6); absent with 2 or fewer degrees of
    /// freedom for either spread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain_spread: Option<UncertainCoverage>,
}

/// The predictive band with uncertain spreads, and its coverage.
#[derive(Debug, Clone, Serialize)]
pub struct UncertainCoverage {
    /// The spreads it uses.
    pub spread: UncertainSpread,
    /// Held-out day-hours inside their band / all.
    pub coverage: f64,
    /// coverage >= GOAL_COVERAGE.
    pub goal_met: bool,
    /// Mean predictive cv over the day-hours.
    pub cv_mean: f64,
    /// Hours whose pooled observed calls are inside their band / all.
    pub pooled_coverage: f64,
}

/// One compared hour's predictive band with the period's dates pooled.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PooledBand {
    /// Hour of the day.
    pub hour: u32,
    /// Calls forecast, all dates.
    pub forecast: f64,
    /// The band's lower end.
    pub low: u64,
    /// Its upper end.
    pub high: u64,
    /// Calls observed, all dates.
    pub observed: u64,
}

/// The bands and how well they cover.
#[derive(Debug, Clone, Serialize)]
pub struct Bands {
    /// The day effect's cv the bands use (the largest of the segments';
    /// 0: Poisson).
    pub cv: f64,
    /// The band's quantiles.
    pub quantiles: [f64; 2],
    /// Held-out day-hours inside their band / all.
    pub coverage: f64,
    /// The same with Poisson bands (no day effect), for comparison.
    pub coverage_poisson: f64,
    /// Mean absolute percentage error of the day-hours' volumes (hours
    /// with calls).
    pub day_hour_mape: f64,
    /// coverage >= GOAL_COVERAGE.
    pub goal_met: bool,
    /// The predictive bands (all sources of error, fitted on the fit
    /// period: `backtest --fit-from/--fit-to`); absent without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predictive: Option<PredictiveCoverage>,
    /// Every day-hour.
    pub day_hours: Vec<BandRow>,
}

/// The `q` quantile (smallest k with P(N <= k) >= q) of a Poisson count
/// of mean `mu` mixed over a Gamma factor of mean 1 and coefficient of
/// variation `cv` (negative binomial; Poisson for cv = 0), summed in logs
/// so that large means do not underflow.
pub fn quantile(mu: f64, cv: f64, q: f64) -> u64 {
    if mu <= 0.0 {
        return 0;
    }
    // ln P(0) and the ratio P(k+1)/P(k) = step(k).
    let (mut log_p, r, one_minus_p) = if cv > 0.0 {
        let r = 1.0 / (cv * cv);
        let p = r / (r + mu);
        (r * p.ln(), r, 1.0 - p)
    } else {
        (-mu, f64::INFINITY, 0.0)
    };
    let step = |k: f64| {
        if r.is_finite() {
            ((k + r) / (k + 1.0) * one_minus_p).ln()
        } else {
            (mu / (k + 1.0)).ln()
        }
    };
    let mut cdf = log_p.exp();
    let mut k = 0u64;
    let cap = (mu * (1.0 + 50.0 * cv * cv) * 20.0 + 1000.0) as u64;
    while cdf < q && k < cap {
        log_p += step(k as f64);
        k += 1;
        cdf += log_p.exp();
    }
    k
}

/// The bands of the held-out `calls` in `hours` on the period's dates at
/// their `offsets` (minutes from the start of the scenario's week), under
/// `model`'s arrivals, and the predictive ones with the fit period's
/// `spread`; `None` when a segment replays a trace.
pub fn bands(
    model: &Model,
    offsets: &[(NaiveDate, f64)],
    calls: &[Call],
    hours: std::ops::Range<u32>,
    spread: Option<FitSpread>,
) -> Option<Bands> {
    if model.segments.iter().any(|s| s.trace.is_some()) {
        return None;
    }
    let cv = model
        .segments
        .iter()
        .filter_map(|s| s.day_effect.as_ref().map(|d| d.cv))
        .fold(0.0, f64::max);
    let rows = day_hours(model, offsets, calls, hours.clone(), cv, spread.as_ref());
    let n = rows.len().max(1) as f64;
    let coverage = rows.iter().filter(|r| r.inside).count() as f64 / n;
    let coverage_poisson = rows
        .iter()
        .filter(|r| {
            let (lo, hi) = (
                quantile(r.forecast, 0.0, BAND[0]),
                quantile(r.forecast, 0.0, BAND[1]),
            );
            lo <= r.observed && r.observed <= hi
        })
        .count() as f64
        / n;
    let with_calls: Vec<&BandRow> = rows.iter().filter(|r| r.observed > 0).collect();
    let day_hour_mape = with_calls
        .iter()
        .map(|r| (r.forecast - r.observed as f64).abs() / r.observed as f64)
        .sum::<f64>()
        / with_calls.len().max(1) as f64;
    Some(Bands {
        predictive: spread.map(|s| {
            let uncertain = s.uncertain().map(|(u, us)| {
                let rows = day_hours(model, offsets, calls, hours.clone(), u.day_cv, Some(&us));
                let p = predictive_coverage(&rows, us, u.day_cv, hours.clone(), None);
                UncertainCoverage {
                    spread: u,
                    coverage: p.coverage,
                    goal_met: p.goal_met,
                    cv_mean: p.cv_mean,
                    pooled_coverage: p.pooled_coverage,
                }
            });
            predictive_coverage(&rows, s, cv, hours, uncertain)
        }),
        cv,
        quantiles: BAND,
        coverage,
        coverage_poisson,
        day_hour_mape,
        goal_met: coverage >= GOAL_COVERAGE,
        day_hours: rows,
    })
}

/// Every held-out day-hour: its observed calls, the forecast, the day
/// effect's band (`cv`) and, with the fit period's `spread`, the
/// predictive band.
fn day_hours(
    model: &Model,
    offsets: &[(NaiveDate, f64)],
    calls: &[Call],
    hours: std::ops::Range<u32>,
    cv: f64,
    spread: Option<&FitSpread>,
) -> Vec<BandRow> {
    let expected = |t0: f64| -> f64 {
        model
            .segments
            .iter()
            .map(|s| match &s.arrival_profile {
                Some(rate) => rate.mass(t0, t0 + 60.0),
                None => s.rate_per_hour,
            })
            .sum()
    };
    let mut rows = Vec::new();
    for &(date, offset) in offsets {
        for hour in hours.clone() {
            let observed = calls
                .iter()
                .filter(|c| c.date == date && (c.minute / 60.0) as u32 == hour)
                .count() as u64;
            let forecast = expected(offset + 60.0 * hour as f64);
            let (low, high) = FitSpread::band(forecast, cv, BAND);
            let predictive = spread.map(|s| {
                let cv = s.cv(cv, weekday_index(date), (hour - hours.start) as usize);
                let (low, high) = FitSpread::band(forecast, cv, BAND);
                let inside = low <= observed && observed <= high;
                PredictiveRow {
                    cv,
                    low,
                    high,
                    inside,
                }
            });
            rows.push(BandRow {
                date,
                hour,
                observed,
                forecast,
                low,
                high,
                inside: low <= observed && observed <= high,
                predictive,
            });
        }
    }
    rows
}

/// The predictive bands' coverage of `rows`, per day-hour and per hour
/// with the dates pooled, with the `uncertain` spreads' beside it.
fn predictive_coverage(
    rows: &[BandRow],
    spread: FitSpread,
    day_cv: f64,
    hours: std::ops::Range<u32>,
    uncertain: Option<UncertainCoverage>,
) -> PredictiveCoverage {
    let n = rows.len().max(1) as f64;
    let inside = rows
        .iter()
        .filter(|r| r.predictive.is_some_and(|p| p.inside));
    let coverage = inside.count() as f64 / n;
    let cvs = rows.iter().filter_map(|r| r.predictive.map(|p| p.cv));
    let cv_mean = cvs.sum::<f64>() / n;
    let pooled = pooled_bands(rows, &spread, day_cv, hours);
    let pooled_in = pooled
        .iter()
        .filter(|p| p.low <= p.observed && p.observed <= p.high);
    PredictiveCoverage {
        pooled_coverage: pooled_in.count() as f64 / pooled.len().max(1) as f64,
        pooled,
        spread,
        coverage,
        goal_met: coverage >= GOAL_COVERAGE,
        cv_mean,
        uncertain_spread: uncertain,
    }
}

/// Each compared hour's predictive band of its calls summed over the
/// period's dates (`rows`), with the fit period's `spread` and the day
/// effect's `day_cv`.
fn pooled_bands(
    rows: &[BandRow],
    spread: &FitSpread,
    day_cv: f64,
    hours: std::ops::Range<u32>,
) -> Vec<PooledBand> {
    hours
        .clone()
        .map(|hour| {
            let of_hour: Vec<&BandRow> = rows.iter().filter(|r| r.hour == hour).collect();
            let h = (hour - hours.start) as usize;
            let parts: Vec<(f64, f64)> = of_hour
                .iter()
                .map(|r| spread.parts(day_cv, weekday_index(r.date), h))
                .collect();
            let mu: Vec<f64> = of_hour.iter().map(|r| r.forecast).collect();
            let a: Vec<f64> = parts.iter().map(|p| p.0).collect();
            let b = parts.first().map_or(0.0, |p| p.1);
            let (forecast, low, high) = FitSpread::pooled_band(&mu, &a, b, BAND);
            PooledBand {
                hour,
                forecast,
                low,
                high,
                observed: of_hour.iter().map(|r| r.observed).sum(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantiles against exact sums: Poisson(2) has CDF 0.1353, 0.4060,
    /// 0.6767, 0.8571, 0.9473 at 0..4; the geometric (cv 1, a negative
    /// binomial with r = 1) of mean 3 has P(N <= k) = 1 - 0.75^(k+1).
    #[test]
    fn quantiles_are_exact() {
        assert_eq!(quantile(2.0, 0.0, 0.1), 0);
        assert_eq!(quantile(2.0, 0.0, 0.2), 1);
        assert_eq!(quantile(2.0, 0.0, 0.9), 4);
        assert_eq!(quantile(2.0, 0.0, 0.85), 3);
        // 1 - 0.75^(k+1) >= 0.9 first at k = 8 (0.9249); >= 0.1 at k = 0 (0.25).
        assert_eq!(quantile(3.0, 1.0, 0.9), 8);
        assert_eq!(quantile(3.0, 1.0, 0.1), 0);
        assert_eq!(quantile(3.0, 1.0, 0.5), 2);
        // A large mean does not underflow: Poisson(5000)'s median is 5000.
        assert_eq!(quantile(5000.0, 0.0, 0.5), 5000);
        assert_eq!(quantile(0.0, 0.3, 0.9), 0);
    }
}
