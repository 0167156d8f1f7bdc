//! Day effects (`segment.day_effect = { cv = x }`): each simulated day's
//! arrival rates of a segment are multiplied by a Gamma factor with mean 1
//! and coefficient of variation `cv`, so a day's total is a Gamma-Poisson
//! mixture (variance m + cv² m² for a mean m). The factor of day d is a
//! keyed draw on (the replication's key, d), shared by the segments (equal
//! cvs give equal factors: a busy day is busy for the whole bank): it does
//! not depend on staffing or on the order of events, so common random
//! numbers hold.

use rand_distr::{Distribution, Gamma};

use crate::engine::rng::keyed;

/// Salt of the keyed day-factor draws.
const SALT: u64 = 0x6461_795f_6566_6665; // "day_effe"

/// The day-to-day variation of a segment's arrival rates.
#[derive(Clone, Debug)]
pub struct DayEffect {
    /// Coefficient of variation of the day factor (> 0; a scenario's 0
    /// builds no day effect at all).
    pub cv: f64,
    /// The Gamma(shape 1/cv², scale cv²) the factors are drawn from.
    gamma: Gamma<f64>,
}

impl DayEffect {
    /// A day effect of coefficient of variation `cv`, `None` unless
    /// `cv` is finite and > 0 (the scenario layer refuses the rest).
    pub fn new(cv: f64) -> Option<Self> {
        if !(cv.is_finite() && cv > 0.0) {
            return None;
        }
        let gamma = Gamma::new(1.0 / (cv * cv), cv * cv).ok()?;
        Some(DayEffect { cv, gamma })
    }

    /// The factor of day `day` in the replication keyed `key`: mean 1,
    /// sd `cv`.
    pub fn factor(&self, key: u64, day: u64) -> f64 {
        self.gamma.sample(&mut keyed(key, SALT, day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The factors have mean 1 and sd cv (moments within 5 SE) and depend
    /// only on (key, day).
    #[test]
    fn factors_have_mean_one_and_sd_cv() {
        let cv = 0.3;
        let e = DayEffect::new(cv).unwrap();
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|d| e.factor(7, d)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        assert!((mean - 1.0).abs() < 5.0 * cv / (n as f64).sqrt(), "{mean}");
        // SE of a Gamma variance: sqrt((mu4 - s^4) / n), mu4 = s^4 (3 + 6 cv^2).
        let s4 = cv.powi(4);
        let se = ((s4 * (3.0 + 6.0 * cv * cv) - s4) / n as f64).sqrt();
        assert!((var - cv * cv).abs() < 5.0 * se, "{var}");
        assert_eq!(e.factor(7, 3).to_bits(), xs[3].to_bits());
        assert_ne!(e.factor(8, 3), xs[3]);
        assert!(DayEffect::new(0.0).is_none() && DayEffect::new(f64::NAN).is_none());
    }
}
