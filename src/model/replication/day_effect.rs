//! Day effects in the arrival process: a segment with `day_effect` has its
//! rate on simulated day d multiplied by the day's Gamma factor G_d. The
//! next arrival is found by spending the Exp(1) gap (the same draws as
//! without the effect) over the integrated rate G_d × Λ, day by day, so the
//! process is exactly a non-homogeneous Poisson process given the factors.
//! A segment without a day effect never reaches this file.

use rand::Rng;

use super::state::Replication;
use crate::engine::rng::stream;
use crate::model::week::DAY;
use crate::model::{DayEffect, Model};

/// A segment's day factor key and the factor of the day last asked for.
#[derive(Clone, Debug)]
pub(super) struct DayFactors {
    /// The segment's key in this replication (from seed, replication, name).
    key: u64,
    /// The day whose factor is cached (`u64::MAX`: none yet).
    day: u64,
    /// Its factor.
    factor: f64,
}

/// Per segment: its day factors, or empty when no segment has a day effect.
pub(super) fn day_factors(model: &Model, replication: u64) -> Vec<DayFactors> {
    if model.segments.iter().all(|s| s.day_effect.is_none()) {
        return Vec::new();
    }
    // One key for the whole scenario: a busy day is busy for every segment
    // (segments of equal cv get the same factor), as the fitted cv of the
    // day's total says; independent factors would make the total vary less.
    let key = stream(model.run.seed, replication, "day effect").random();
    let cached = DayFactors {
        key,
        day: u64::MAX,
        factor: 1.0,
    };
    vec![cached; model.segments.len()]
}

impl DayFactors {
    /// The factor of `day` (drawn once per day and cached).
    fn of(&mut self, effect: &DayEffect, day: u64) -> f64 {
        if self.day != day {
            self.day = day;
            self.factor = effect.factor(self.key, day);
        }
        self.factor
    }
}

impl Replication<'_> {
    /// The next arrival of `segment` after `now` for an arrival mass `gap`
    /// under its day effect, or `None` when there is none before the
    /// horizon.
    #[cold]
    pub(super) fn advance_day_effect(
        &mut self,
        segment: usize,
        effect: &DayEffect,
        mut now: f64,
        mut gap: f64,
    ) -> Option<f64> {
        let model = self.model;
        let s = &model.segments[segment];
        let horizon = model.run.horizon;
        // The base process: arrival mass per minute is the profile's rate,
        // or 1 per minute of gap (the gap is then in minutes).
        let advance = |t: f64, m: f64| match &s.arrival_profile {
            None => Some(t + m),
            Some(rate) => rate.advance(t, m),
        };
        let mass = |t0: f64, t1: f64| match &s.arrival_profile {
            None => t1 - t0,
            Some(rate) => rate.mass(t0, t1),
        };
        while now <= horizon {
            let day = (now / DAY).floor();
            let end = (day + 1.0) * DAY;
            let g = self.day_factors[segment].of(effect, day as u64);
            if g > 0.0 && (gap / g).is_finite() {
                let at = advance(now, gap / g)?;
                if at < end {
                    return Some(at);
                }
            }
            // The day's rest takes only part of the gap: spend it.
            gap = (gap - g * mass(now, end)).max(0.0);
            now = end;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{traced, two_tier};
    use crate::engine::rate::PiecewiseRate;
    use crate::model::{DayEffect, Model, Servers};

    /// Two segments of `per_hour` in all (a third and two thirds),
    /// optionally under a day profile, over `days` days, with day effect
    /// `cv` (0: none) on both.
    fn model(per_hour: f64, profile: bool, cv: f64, days: f64) -> Model {
        let mut m = two_tier(50);
        m.run.horizon = days * 1440.0;
        m.run.warmup = 0.0;
        for (s, share) in m.segments.iter_mut().zip([1.0 / 3.0, 2.0 / 3.0]) {
            s.rate_per_hour = per_hour * share;
            s.patience = None;
            if profile {
                // Closed at night, the rate by day, half of it in the evening.
                let r = s.rate_per_hour / 60.0;
                s.arrival_profile = Some(PiecewiseRate::new(
                    1440.0,
                    vec![0.0, 480.0, 960.0],
                    vec![0.0, r, 0.5 * r],
                ));
            }
            s.day_effect = DayEffect::new(cv);
        }
        m
    }

    /// Arrivals per simulated day.
    fn day_totals(m: &Model) -> Vec<f64> {
        let days = (m.run.horizon / 1440.0) as usize;
        let mut totals = vec![0.0; days];
        for (_, t, _) in traced(m, 0).1 {
            totals[(t / 1440.0) as usize] += 1.0;
        }
        totals
    }

    /// The Gamma-Poisson mixture: day totals (both segments: they share
    /// the day's factor) keep their mean m and have variance m + cv² m²
    /// (a negative binomial), within 4 standard errors
    /// of the sample mean and variance (the variance's SE from the
    /// negative binomial's fourth moment), with and without a day profile.
    #[test]
    fn day_totals_are_gamma_poisson() {
        let (cv, days) = (0.3, 3000.0);
        for (profile, m) in [(false, 6.0 * 24.0), (true, 6.0 * 8.0 * 1.5)] {
            let totals = day_totals(&model(6.0, profile, cv, days));
            let n = totals.len() as f64;
            let mean = totals.iter().sum::<f64>() / n;
            let var = totals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
            let theory = m + cv * cv * m * m;
            assert!(
                (mean - m).abs() < 4.0 * (theory / n).sqrt(),
                "profile {profile}: mean {mean} vs {m}"
            );
            // Negative binomial, r = 1/cv², p = r/(r+m): excess kurtosis
            // 6/r + p²/(r(1-p)), so mu4 = var² (3 + 6/r + p²/(r(1-p))).
            let r = 1.0 / (cv * cv);
            let p = r / (r + m);
            let mu4 = theory * theory * (3.0 + 6.0 / r + p * p / (r * (1.0 - p)));
            let se = ((mu4 - theory * theory) / n).sqrt();
            assert!(
                (var - theory).abs() < 4.0 * se,
                "profile {profile}: variance {var} vs {theory} (se {se})"
            );
            // Without the effect the days are Poisson: variance m.
            let plain = day_totals(&model(6.0, profile, 0.0, days));
            let pm = plain.iter().sum::<f64>() / n;
            let pv = plain.iter().map(|x| (x - pm).powi(2)).sum::<f64>() / (n - 1.0);
            assert!(
                (pv - m).abs() < 4.0 * m * (2.0 / n).sqrt(),
                "Poisson variance {pv} vs {m}"
            );
        }
    }

    /// Common random numbers: a change of staffing leaves the arrivals of
    /// a segment with a day effect exactly as they were.
    #[test]
    fn day_effect_keeps_common_random_numbers() {
        let mut few = model(6.0, true, 0.2, 30.0);
        few.tiers[0].servers = Servers::Fixed(1);
        let many = model(6.0, true, 0.2, 30.0);
        assert_eq!(traced(&few, 1).1, traced(&many, 1).1);
        assert_ne!(traced(&many, 1).1, traced(&many, 2).1);
    }
}
