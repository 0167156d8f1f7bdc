//! Forecast bands of a back-test (issue 18 items 3 and 5): for each
//! held-out day-hour, the predictive band of its calls under the
//! scenario's arrival model: the hour's expected calls μ from the profile,
//! day factors and rates, and the day effect's Gamma factor (cv) around
//! it, so the count is Gamma-Poisson (negative binomial; Poisson without
//! a day effect). Reports the share of held-out day-hours inside the band
//! and the day-hour volume MAPE.

use chrono::NaiveDate;
use serde::Serialize;

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
/// `model`'s arrivals; `None` when a segment replays a trace.
pub fn bands(
    model: &Model,
    offsets: &[(NaiveDate, f64)],
    calls: &[Call],
    hours: std::ops::Range<u32>,
) -> Option<Bands> {
    if model.segments.iter().any(|s| s.trace.is_some()) {
        return None;
    }
    let cv = model
        .segments
        .iter()
        .filter_map(|s| s.day_effect.as_ref().map(|d| d.cv))
        .fold(0.0, f64::max);
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
            let (low, high) = (
                quantile(forecast, cv, BAND[0]),
                quantile(forecast, cv, BAND[1]),
            );
            rows.push(BandRow {
                date,
                hour,
                observed,
                forecast,
                low,
                high,
                inside: low <= observed && observed <= high,
            });
        }
    }
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
        cv,
        quantiles: BAND,
        coverage,
        coverage_poisson,
        day_hour_mape,
        goal_met: coverage >= GOAL_COVERAGE,
        day_hours: rows,
    })
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
