//! Service times per request type: a lognormal (maximum likelihood on the
//! logs) when it passes the goodness-of-fit rule, else the empirical
//! quantiles; and a one-way ANOVA of log service time by hour of arrival
//! saying whether the hour matters (docs/fit.md §4).

use std::collections::BTreeMap;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, LogNormal};

use super::Estimate;
use super::clean::Call;

/// The lognormal is kept when its Kolmogorov-Smirnov distance to the data is
/// at most this (three points of probability anywhere) ...
pub const KS_TOLERANCE: f64 = 0.03;
/// ... or below the 1% critical value `KS_CRITICAL / sqrt(n)`.
pub const KS_CRITICAL: f64 = 1.628;
/// Most values an empirical distribution is written with (quantiles).
pub const EMPIRICAL_VALUES: usize = 200;
/// Hours with fewer calls are left out of the by-hour test.
pub const MIN_PER_HOUR: usize = 10;

/// The distribution chosen for the scenario.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Chosen {
    /// Lognormal by mean and cv (minutes).
    Lognormal {
        /// Mean, minutes.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
    },
    /// Equally likely values (minutes): quantiles at (i - 0.5) / k.
    Empirical {
        /// The values.
        values: Vec<f64>,
    },
}

/// Service-time fit of one request type.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceFit {
    /// Calls with a usable service time.
    pub n: usize,
    /// Sample mean, minutes (SE = sd / sqrt n).
    pub mean: Estimate,
    /// Sample cv.
    pub cv: f64,
    /// Lognormal mu of ln(minutes) (SE sigma / sqrt n).
    pub mu: Estimate,
    /// Lognormal sigma (SE sigma / sqrt(2n)).
    pub sigma: Estimate,
    /// KS distance of the fitted lognormal.
    pub ks_lognormal: f64,
    /// The bound it was judged against: max(KS_TOLERANCE, KS_CRITICAL/sqrt n).
    pub ks_bound: f64,
    /// What the scenario gets.
    pub chosen: Chosen,
    /// By hour of arrival.
    pub by_hour: ByHour,
}

/// Whether service time differs by hour of arrival.
#[derive(Debug, Clone, Serialize)]
pub struct ByHour {
    /// Mean minutes per hour with SE and n (hours with at least MIN_PER_HOUR calls).
    pub hours: BTreeMap<String, Estimate>,
    /// One-way ANOVA F of ln(service) across those hours.
    pub f: Option<f64>,
    /// Its p-value.
    pub p_value: Option<f64>,
    /// p < 0.01: the hour matters (the scenario format holds one
    /// distribution per request and tier, so this is reported, not modelled).
    pub differs: bool,
}

/// Fits every request type's service time (and `all` pooled).
pub fn fit(calls: &[Call]) -> BTreeMap<String, ServiceFit> {
    let mut by_type: BTreeMap<String, Vec<(f64, usize)>> = BTreeMap::new();
    for c in calls {
        if let Some(s) = c.service {
            let hour = (c.minute / 60.0) as usize;
            by_type
                .entry(c.request.clone())
                .or_default()
                .push((s, hour));
            by_type.entry("all".into()).or_default().push((s, hour));
        }
    }
    by_type.into_iter().map(|(k, v)| (k, fit_one(&v))).collect()
}

/// Quantiles of sorted `x` at (i - 0.5) / k, k = min(n, EMPIRICAL_VALUES).
pub fn quantiles(sorted: &[f64], most: usize) -> Vec<f64> {
    let n = sorted.len();
    let k = n.min(most);
    (0..k)
        .map(|i| {
            let p = (i as f64 + 0.5) / k as f64;
            let pos = p * n as f64 - 0.5;
            let lo = pos.floor().max(0.0) as usize;
            let hi = (lo + 1).min(n - 1);
            let w = (pos - lo as f64).clamp(0.0, 1.0);
            sorted[lo] * (1.0 - w) + sorted[hi] * w
        })
        .collect()
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = if x.len() > 1 {
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, v.sqrt())
}

/// KS distance of sorted data to a CDF.
pub fn ks_distance(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

fn fit_one(data: &[(f64, usize)]) -> ServiceFit {
    let mut x: Vec<f64> = data.iter().map(|d| d.0).collect();
    x.sort_by(f64::total_cmp);
    let n = x.len();
    let (mean, sd) = mean_sd(&x);
    let logs: Vec<f64> = x.iter().map(|v| v.ln()).collect();
    let (mu, sigma) = mean_sd(&logs);
    let ks = match LogNormal::new(mu, sigma.max(1e-9)) {
        Ok(d) => ks_distance(&x, |v| d.cdf(v)),
        Err(_) => 1.0,
    };
    let bound = KS_TOLERANCE.max(KS_CRITICAL / (n as f64).sqrt());
    let chosen = if ks <= bound && sigma > 0.0 {
        Chosen::Lognormal {
            mean: (mu + sigma * sigma / 2.0).exp(),
            cv: ((sigma * sigma).exp() - 1.0).sqrt(),
        }
    } else {
        Chosen::Empirical {
            values: quantiles(&x, EMPIRICAL_VALUES),
        }
    };
    let nf = n as f64;
    ServiceFit {
        n,
        mean: Estimate::new(mean, Some(sd / nf.sqrt()), n),
        cv: if mean > 0.0 { sd / mean } else { 0.0 },
        mu: Estimate::new(mu, Some(sigma / nf.sqrt()), n),
        sigma: Estimate::new(sigma, Some(sigma / (2.0 * nf).sqrt()), n),
        ks_lognormal: ks,
        ks_bound: bound,
        chosen,
        by_hour: by_hour(data),
    }
}

/// Mean by hour (hours with at least MIN_PER_HOUR values) and a one-way
/// ANOVA of the logs across those hours.
pub(super) fn by_hour(data: &[(f64, usize)]) -> ByHour {
    let mut groups: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for &(s, h) in data {
        groups.entry(h).or_default().push(s);
    }
    groups.retain(|_, v| v.len() >= MIN_PER_HOUR);
    let hours = groups
        .iter()
        .map(|(h, v)| {
            let (m, sd) = mean_sd(v);
            (
                format!("{h:02}:00"),
                Estimate::new(m, Some(sd / (v.len() as f64).sqrt()), v.len()),
            )
        })
        .collect();
    let logs: Vec<Vec<f64>> = groups
        .values()
        .map(|v| v.iter().map(|x| x.ln()).collect())
        .collect();
    let k = logs.len();
    let n: usize = logs.iter().map(Vec::len).sum();
    let (mut f, mut p) = (None, None);
    if k >= 2 && n > k {
        let grand = logs.iter().flatten().sum::<f64>() / n as f64;
        let between: f64 = logs
            .iter()
            .map(|g| g.len() as f64 * (g.iter().sum::<f64>() / g.len() as f64 - grand).powi(2))
            .sum();
        let within: f64 = logs
            .iter()
            .map(|g| {
                let m = g.iter().sum::<f64>() / g.len() as f64;
                g.iter().map(|x| (x - m).powi(2)).sum::<f64>()
            })
            .sum();
        let (d1, d2) = ((k - 1) as f64, (n - k) as f64);
        if within > 0.0 {
            let stat = (between / d1) / (within / d2);
            f = Some(stat);
            p = FisherSnedecor::new(d1, d2).ok().map(|d| d.sf(stat));
        }
    }
    ByHour {
        hours,
        f,
        p_value: p,
        differs: p.is_some_and(|p| p < 0.01),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantiles of 1..=4 at (i - 0.5)/4 are the points themselves.
    #[test]
    fn quantiles_of_few_points_are_the_points() {
        assert_eq!(
            quantiles(&[1.0, 2.0, 3.0, 4.0], 200),
            vec![1.0, 2.0, 3.0, 4.0]
        );
        // Two values from four: the medians of each half, interpolated.
        assert_eq!(quantiles(&[1.0, 2.0, 3.0, 4.0], 2), vec![1.5, 3.5]);
    }

    /// KS distance of the points 0.25, 0.75 to the uniform CDF is 0.25.
    #[test]
    fn ks_distance_matches_the_hand_computation() {
        assert!((ks_distance(&[0.25, 0.75], |x| x) - 0.25).abs() < 1e-12);
    }

    /// Lognormal data are kept lognormal, with mu and sigma recovered
    /// within 4 SE; a two-point mixture is not.
    #[test]
    fn the_rule_keeps_a_lognormal_and_rejects_a_mixture() {
        use rand::SeedableRng;
        use rand_distr::Distribution;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        let d = rand_distr::LogNormal::new(1.0, 0.8).unwrap();
        let data: Vec<(f64, usize)> = (0..5000).map(|i| (d.sample(&mut rng), i % 24)).collect();
        let fit = fit_one(&data);
        assert!(
            matches!(fit.chosen, Chosen::Lognormal { .. }),
            "ks {}",
            fit.ks_lognormal
        );
        assert!((fit.mu.value - 1.0).abs() < 4.0 * fit.mu.se.unwrap());
        assert!((fit.sigma.value - 0.8).abs() < 4.0 * fit.sigma.se.unwrap());
        // Same distribution in every hour: the ANOVA should not call it.
        assert!(!fit.by_hour.differs, "p {:?}", fit.by_hour.p_value);
        let mixed: Vec<(f64, usize)> = (0..5000)
            .map(|i| (if i % 2 == 0 { 0.1 } else { 5.0 }, i % 24))
            .collect();
        assert!(matches!(fit_one(&mixed).chosen, Chosen::Empirical { .. }));
    }
}
