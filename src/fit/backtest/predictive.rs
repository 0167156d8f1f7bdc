//! The predictive band of a held-out day-hour's calls (`backtest
//! --fit-from/--fit-to`, docs/backtest.md "Predictive bands"): the
//! forecast μ̂ of the scenario, and around it every source of error a
//! statistician would put in, each estimated on the FIT period only:
//!
//! 1. the day factor (the scenario's `day_effect` cv, fitted by `fit`);
//! 2. variation of an hour within its day beyond Poisson (a second Gamma
//!    factor of cv_h, by the method of moments on the fit days'
//!    day-hour counts about day total × pooled hour share, corrected for
//!    the D + H − 1 fitted parameters);
//! 3. the forecast's own estimation error: its weekday factor comes from
//!    the fit days of that weekday (relative variance cv² + 1/D_w for a
//!    total D_w over k_w days, divided by k_w), its hour share from the
//!    pooled fit days (relative variance 1/S_h + cv_h² Σ_d e_dh² / S_h²).
//!
//! The factors are independent with mean 1, so the rate's relative
//! variance is Π(1 + cv_i²) − 1; the count is taken as negative binomial
//! with that cv (the Gamma of the same mean and variance: moment
//! matching). Nothing from the held-out period enters the band.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::bands::quantile;
use crate::fit::arrivals::weekday_index;
use crate::fit::clean::Call;
use crate::fit::day_effect;

/// The fit period's spread, as the band uses it.
#[derive(Debug, Clone, Serialize)]
pub struct FitSpread {
    /// Fit period, first and last date.
    pub fit_from: String,
    /// See `fit_from`.
    pub fit_to: String,
    /// Fit days (with the weekdays compared).
    pub fit_days: usize,
    /// Calls in the compared hours of the fit days.
    pub fit_calls: usize,
    /// The hour-within-day cv² by the method of moments before truncation
    /// at 0.
    pub hour_cv2_moments: f64,
    /// The hour-within-day cv written (max(cv², 0)^½).
    pub hour_cv: f64,
    /// Per compared hour: calls of the fit days pooled (S_h).
    #[serde(skip)]
    pooled: Vec<f64>,
    /// Per compared hour: Σ_d e_dh² of the fit days.
    #[serde(skip)]
    squares: Vec<f64>,
    /// Per weekday (0 = Sunday): (calls in the compared hours, days).
    #[serde(skip)]
    weekdays: [(f64, usize); 7],
    /// RSS × cells, Σe and Σe² of the hour spread's moment estimate.
    #[serde(skip)]
    moments: [f64; 3],
    /// Degrees of freedom of the hour spread: cells − (D + H − 1).
    pub hour_degrees_of_freedom: usize,
    /// The fit days' whole-day totals by weekday (0 = Sunday).
    #[serde(skip)]
    totals: [Vec<f64>; 7],
}

/// The band with uncertain spreads (docs/backtest.md round 6): each
/// variance fitted from ν degrees of freedom enters as its predictive
/// value E[σ² | s²] = s² ν / (ν − 2) (the Student-t predictive; reference
/// prior p(σ²) ∝ 1/σ²), the rest as the predictive band.
#[derive(Debug, Clone, Serialize)]
pub struct UncertainSpread {
    /// The day cv from the fit days' totals (method of moments, pooled
    /// within weekdays when some weekday repeats, as `fit`'s day effect).
    pub day_cv_fitted: f64,
    /// The day cv with its variance's uncertainty:
    /// cv² + 2/(ν_d − 2) × s²/m² (s²/m² pooled as cv²).
    pub day_cv: f64,
    /// ν_d, the day spread's degrees of freedom.
    pub day_degrees_of_freedom: usize,
    /// The hour cv with its variance's uncertainty:
    /// (RSS × cells / (ν_h − 2) − Σe) / Σe², truncated at 0.
    pub hour_cv: f64,
    /// ν_h, the hour spread's degrees of freedom.
    pub hour_degrees_of_freedom: usize,
}

/// The spread of the fit days' `calls` (on `dates`) over `hours`.
pub fn fit_spread(calls: &[Call], dates: &[NaiveDate], hours: std::ops::Range<u32>) -> FitSpread {
    let h0 = hours.start;
    let nh = hours.len();
    let index: BTreeMap<NaiveDate, usize> =
        dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut n = vec![vec![0.0; nh]; dates.len()];
    for c in calls {
        let h = (c.minute / 60.0) as u32;
        if let (Some(&d), true) = (index.get(&c.date), hours.contains(&h)) {
            n[d][(h - h0) as usize] += 1.0;
        }
    }
    let day: Vec<f64> = n.iter().map(|r| r.iter().sum()).collect();
    let pooled: Vec<f64> = (0..nh).map(|h| n.iter().map(|r| r[h]).sum()).collect();
    let total: f64 = day.iter().sum();
    let e = |d: usize, h: usize| day[d] * pooled[h] / total.max(1.0);
    let (mut rss, mut sum_e, mut sum_e2) = (0.0, 0.0, 0.0);
    let mut squares = vec![0.0; nh];
    for (d, row) in n.iter().enumerate() {
        for (h, &count) in row.iter().enumerate() {
            let x = e(d, h);
            rss += (count - x).powi(2);
            sum_e += x;
            sum_e2 += x * x;
            squares[h] += x * x;
        }
    }
    let cells = (dates.len() * nh) as f64;
    let params = (dates.len() + nh) as f64 - 1.0;
    let cv2 = if cells > params && sum_e2 > 0.0 {
        (rss * cells / (cells - params) - sum_e) / sum_e2
    } else {
        0.0
    };
    let mut weekdays = [(0.0, 0usize); 7];
    for (d, date) in dates.iter().enumerate() {
        let w = &mut weekdays[weekday_index(*date)];
        w.0 += day[d];
        w.1 += 1;
    }
    let mut whole: BTreeMap<NaiveDate, f64> = dates.iter().map(|d| (*d, 0.0)).collect();
    for c in calls {
        if let Some(n) = whole.get_mut(&c.date) {
            *n += 1.0;
        }
    }
    let mut totals: [Vec<f64>; 7] = Default::default();
    for (date, n) in whole {
        totals[weekday_index(date)].push(n);
    }
    FitSpread {
        fit_from: dates.first().map_or(String::new(), |d| d.to_string()),
        fit_to: dates.last().map_or(String::new(), |d| d.to_string()),
        fit_days: dates.len(),
        fit_calls: total as usize,
        hour_cv2_moments: cv2,
        hour_cv: cv2.max(0.0).sqrt(),
        pooled,
        squares,
        weekdays,
        moments: [rss * cells, sum_e, sum_e2],
        hour_degrees_of_freedom: (cells - params).max(0.0) as usize,
        totals,
    }
}

/// The pooled (cv², s²/m², ν) of day totals grouped by weekday (the
/// moments of `fit`'s day effect, `day_effect::moments`).
fn day_moments(totals: &[Vec<f64>; 7]) -> (f64, f64, usize) {
    let m = day_effect::moments(totals);
    if m.df == 0 {
        return (0.0, 0.0, 0);
    }
    (m.sum_cv2 / m.df as f64, m.sum_ratio / m.df as f64, m.df)
}

impl FitSpread {
    /// The spreads with their own uncertainty ([`UncertainSpread`]) and
    /// this spread with the hour cv replaced by it; `None` when either has
    /// 2 or fewer degrees of freedom (the predictive variance is then
    /// infinite).
    pub fn uncertain(&self) -> Option<(UncertainSpread, FitSpread)> {
        let (cv2, ratio, nu_d) = day_moments(&self.totals);
        let nu_h = self.hour_degrees_of_freedom;
        if nu_d <= 2 || nu_h <= 2 {
            return None;
        }
        let day2 = (cv2 + 2.0 / (nu_d as f64 - 2.0) * ratio).max(0.0);
        let [rss_cells, sum_e, sum_e2] = self.moments;
        let hour2 = if sum_e2 > 0.0 {
            ((rss_cells / (nu_h as f64 - 2.0) - sum_e) / sum_e2).max(0.0)
        } else {
            0.0
        };
        let mut spread = self.clone();
        spread.hour_cv = hour2.sqrt();
        let u = UncertainSpread {
            day_cv_fitted: cv2.max(0.0).sqrt(),
            day_cv: day2.sqrt(),
            day_degrees_of_freedom: nu_d,
            hour_cv: spread.hour_cv,
            hour_degrees_of_freedom: nu_h,
        };
        Some((u, spread))
    }

    /// The predictive cv of the calls of hour `hour` (index in the
    /// compared hours) on a day of weekday `w` (0 = Sunday), with the day
    /// effect's `day_cv`.
    pub fn cv(&self, day_cv: f64, w: usize, hour: usize) -> f64 {
        let (a, b) = self.parts(day_cv, w, hour);
        ((1.0 + a) * (1.0 + b) - 1.0).max(0.0).sqrt()
    }

    /// The relative variances of [`FitSpread::cv`] in two parts: `a`, the
    /// day's own (day factor, hour spread, weekday factor's error: new for
    /// each held-out day) and `b`, the hour share's error (common to every
    /// held-out day of the hour).
    pub fn parts(&self, day_cv: f64, w: usize, hour: usize) -> (f64, f64) {
        let d2 = day_cv * day_cv;
        let h2 = self.hour_cv * self.hour_cv;
        // The weekday factor: from that weekday's fit days, else from all.
        let (calls, days) = match self.weekdays[w] {
            (c, k) if k > 0 => (c, k),
            _ => self
                .weekdays
                .iter()
                .fold((0.0, 0), |(c, k), w| (c + w.0, k + w.1)),
        };
        let factor = if calls > 0.0 {
            (d2 + days as f64 / calls) / days as f64
        } else {
            0.0
        };
        let s = self.pooled.get(hour).copied().unwrap_or(0.0);
        let share = if s > 0.0 {
            1.0 / s + h2 * self.squares[hour] / (s * s)
        } else {
            0.0
        };
        ((1.0 + d2) * (1.0 + h2) * (1.0 + factor) - 1.0, share)
    }

    /// The band of an hour's calls summed over held-out days with
    /// forecasts `mu` and day parts `a` (see [`FitSpread::parts`]) and the
    /// common share part `b`: rate variance (M² + Σ μ_d² a_d)(1 + b) − M²
    /// for M = Σ μ_d, as a negative binomial of that mean and variance.
    pub fn pooled_band(mu: &[f64], a: &[f64], b: f64, band: [f64; 2]) -> (f64, u64, u64) {
        let m: f64 = mu.iter().sum();
        let own: f64 = mu.iter().zip(a).map(|(u, a)| u * u * a).sum();
        let var = (m * m + own) * (1.0 + b) - m * m;
        let cv = if m > 0.0 {
            (var.max(0.0)).sqrt() / m
        } else {
            0.0
        };
        let (low, high) = Self::band(m, cv, band);
        (m, low, high)
    }

    /// The band [low, high] at quantiles `band` of a forecast `mu` with
    /// predictive cv `cv`.
    pub fn band(mu: f64, cv: f64, band: [f64; 2]) -> (u64, u64) {
        (quantile(mu, cv, band[0]), quantile(mu, cv, band[1]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(date: NaiveDate, hour: u32) -> Call {
        Call {
            date,
            minute: hour as f64 * 60.0 + 1.0,
            segment: "s".into(),
            request: "r".into(),
            identified: true,
            queued: true,
            wait: 0.0,
            served: true,
            service: None,
            agent: None,
        }
    }

    /// Days exactly proportional (every day's hours in the same shares)
    /// have no excess spread: cv² = (0 · c − Σe)/Σe² < 0, truncated to 0;
    /// and the predictive cv is then the exact product of the estimation
    /// terms: day (cv² + 1/D_w)/k_w and share 1/S_h.
    #[test]
    fn proportional_days_have_no_hour_spread() {
        let d0 = NaiveDate::from_ymd_opt(1999, 2, 7).unwrap(); // a Sunday
        let dates: Vec<NaiveDate> = (0..3).map(|i| d0 + chrono::Days::new(i)).collect();
        let mut calls = Vec::new();
        for (k, d) in dates.iter().enumerate() {
            for (h, n) in [(7u32, 10usize), (8, 30)] {
                calls.extend(std::iter::repeat_n(call(*d, h), n * (k + 1)));
            }
        }
        let s = fit_spread(&calls, &dates, 7..9);
        assert!(s.hour_cv2_moments < 0.0);
        assert_eq!(s.hour_cv, 0.0);
        assert_eq!(s.fit_calls, 240);
        // Sunday: one day of 40 calls; hour 7 pooled 60 calls.
        let day_cv: f64 = 0.1;
        let want = ((1.0 + 0.01) * (1.0 + 0.01 + 1.0 / 40.0) * (1.0 + 1.0 / 60.0) - 1.0_f64).sqrt();
        assert!((s.cv(day_cv, 0, 0) - want).abs() < 1e-12);
        // A weekday the fit lacks takes all the fit days: 240 calls, 3 days.
        let all = (0.01 + 3.0 / 240.0) / 3.0;
        let want = ((1.0 + 0.01) * (1.0 + all) * (1.0 + 1.0 / 60.0) - 1.0_f64).sqrt();
        assert!((s.cv(day_cv, 5, 0) - want).abs() < 1e-12);
    }

    /// Hours that swap between days show an excess spread: two days,
    /// (10, 30) and (30, 10) calls: day totals 40 each, pooled shares ½,
    /// e = 20 everywhere; RSS = 4 × 100, cells 4, parameters 2 + 2 − 1 = 3,
    /// so cv² = (400 × 4 − 80)/1600 = 0.95.
    #[test]
    fn swapping_hours_give_the_moment_estimate() {
        let d0 = NaiveDate::from_ymd_opt(1999, 2, 7).unwrap();
        let d1 = d0 + chrono::Days::new(1);
        let mut calls = Vec::new();
        for (d, a, b) in [(d0, 10, 30), (d1, 30, 10)] {
            calls.extend(std::iter::repeat_n(call(d, 7), a));
            calls.extend(std::iter::repeat_n(call(d, 8), b));
        }
        let s = fit_spread(&calls, &[d0, d1], 7..9);
        assert!((s.hour_cv2_moments - 0.95).abs() < 1e-12);
    }

    /// The spreads' own uncertainty: four days (Sunday-Wednesday, each
    /// weekday once: ν_d = 3) of (10, 30), (30, 20), (20, 20), (25, 35)
    /// calls at 07 and 08. Day totals 40, 50, 40, 60: m = 47.5,
    /// s² = 275/3, cv² = (s² − m)/m², s²/m² as written; the predictive
    /// cv² = cv² + 2/(3 − 2) × s²/m². The hour spread has ν_h = 8 − 5 = 3
    /// and its predictive variance is the moment estimate's RSS × cells
    /// over ν_h − 2 instead of ν_h. Three days (ν_d = 2): none.
    #[test]
    fn uncertain_spreads_take_the_predictive_variance() {
        let d0 = NaiveDate::from_ymd_opt(1999, 2, 7).unwrap(); // a Sunday
        let counts = [(10, 30), (30, 20), (20, 20), (25, 35)];
        let dates: Vec<NaiveDate> = (0..4).map(|i| d0 + chrono::Days::new(i)).collect();
        let mut calls = Vec::new();
        for (d, (a, b)) in dates.iter().zip(counts) {
            calls.extend(std::iter::repeat_n(call(*d, 7), a));
            calls.extend(std::iter::repeat_n(call(*d, 8), b));
        }
        let s = fit_spread(&calls, &dates, 7..9);
        let (u, us) = s.uncertain().expect("3 degrees of freedom each");
        let (m, s2): (f64, f64) = (47.5, 275.0 / 3.0);
        let cv2 = (s2 - m) / (m * m);
        assert!((u.day_cv_fitted - cv2.sqrt()).abs() < 1e-12);
        let want = cv2 + 2.0 * s2 / (m * m);
        assert!((u.day_cv * u.day_cv - want).abs() < 1e-12);
        assert_eq!(
            (u.day_degrees_of_freedom, u.hour_degrees_of_freedom),
            (3, 3)
        );
        // Σe = 190 calls; Σe² from the day totals and the pooled shares.
        let (total, pooled) = (190.0, [85.0, 105.0]);
        let sum_e2: f64 = [40.0, 50.0, 40.0, 60.0]
            .iter()
            .flat_map(|d| pooled.map(|p| (d * p / total) * (d * p / total)))
            .sum();
        let rss_cells = (s.hour_cv2_moments * sum_e2 + total) * 3.0;
        let want = (rss_cells / 1.0 - total) / sum_e2;
        assert!(want > s.hour_cv2_moments);
        assert!((u.hour_cv * u.hour_cv - want.max(0.0)).abs() < 1e-12);
        assert_eq!(us.hour_cv, u.hour_cv);
        assert!(fit_spread(&calls, &dates[..3], 7..9).uncertain().is_none());
    }
}
