//! Patience per segment from censored waits: Kaplan-Meier (abandoned waits
//! are events, served waits are censored at the wait), an exponential tail
//! beyond the last well-supported time, and the completed distribution
//! written as equally likely quantiles (docs/fit.md §5). A censored Weibull
//! fit is reported beside it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Estimate;
use super::clean::Call;

/// The KM curve is used up to the last event time with at least this many
/// calls still at risk; beyond it the tail rule takes over.
pub const MIN_AT_RISK: usize = 30;
/// Values the empirical patience is written with.
pub const PATIENCE_VALUES: usize = 100;
/// Times (minutes) at which the survival is reported.
const REPORT_AT: [f64; 6] = [0.5, 1.0, 2.0, 3.0, 5.0, 10.0];

/// Patience fit of one segment.
#[derive(Debug, Clone, Serialize)]
pub struct PatienceFit {
    /// Queued calls (the sample).
    pub n: usize,
    /// Abandonments (events).
    pub abandoned: usize,
    /// Served after waiting (censored).
    pub censored: usize,
    /// Survival P(patience > t) at selected minutes, with Greenwood SE;
    /// n = calls at risk at t.
    pub survival: BTreeMap<String, Estimate>,
    /// End of the KM part, minutes (last event with >= MIN_AT_RISK at risk).
    pub km_until: f64,
    /// KM survival there.
    pub survival_at_km_until: f64,
    /// Tail hazard per minute beyond `km_until` (SE sqrt(d)/exposure; n = d).
    pub tail_hazard: Estimate,
    /// Mean of the completed distribution, minutes.
    pub mean: f64,
    /// Censored Weibull MLE over positive waits (shape, scale in minutes),
    /// for reference: the format has no Weibull (yet).
    pub weibull: Option<Weibull>,
    /// The values written (minutes), or none when nobody abandoned.
    pub values: Option<Vec<f64>>,
}

/// A Weibull fit.
#[derive(Debug, Clone, Serialize)]
pub struct Weibull {
    /// Shape k.
    pub shape: f64,
    /// Scale, minutes.
    pub scale: f64,
}

/// Fits patience per segment on the queued calls.
pub fn fit(calls: &[Call]) -> BTreeMap<String, PatienceFit> {
    let mut by_segment: BTreeMap<String, Vec<(f64, bool)>> = BTreeMap::new();
    for c in calls.iter().filter(|c| c.queued) {
        by_segment
            .entry(c.segment.clone())
            .or_default()
            .push((c.wait, !c.served));
    }
    by_segment
        .into_iter()
        .map(|(k, v)| (k, fit_one(v)))
        .collect()
}

/// One step of the KM curve: time, survival after it, Greenwood variance
/// sum, at risk just before it.
#[derive(Debug, Clone, Copy)]
struct Step {
    t: f64,
    s: f64,
    greenwood: f64,
    at_risk: usize,
}

/// The Kaplan-Meier steps of (time, event) pairs.
fn kaplan_meier(mut data: Vec<(f64, bool)>) -> Vec<Step> {
    // Events before censorings at equal times (the usual convention).
    data.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut steps = Vec::new();
    let (mut s, mut g, mut i) = (1.0, 0.0, 0);
    let n = data.len();
    while i < n {
        let t = data[i].0;
        let at_risk = n - i;
        let mut d = 0;
        let mut j = i;
        while j < n && data[j].0 == t {
            d += usize::from(data[j].1);
            j += 1;
        }
        if d > 0 {
            s *= 1.0 - d as f64 / at_risk as f64;
            if at_risk > d {
                g += d as f64 / (at_risk as f64 * (at_risk - d) as f64);
            }
            steps.push(Step {
                t,
                s,
                greenwood: g,
                at_risk,
            });
        }
        i = j;
    }
    steps
}

fn fit_one(data: Vec<(f64, bool)>) -> PatienceFit {
    let n = data.len();
    let abandoned = data.iter().filter(|d| d.1).count();
    let weibull = weibull(&data);
    let steps = kaplan_meier(data.clone());
    let cut = steps.iter().rposition(|s| s.at_risk >= MIN_AT_RISK);
    let (km_until, s_cut) = cut.map_or((0.0, 1.0), |i| (steps[i].t, steps[i].s));
    let kept = &steps[..cut.map_or(0, |i| i + 1)];
    // Tail rule: constant hazard estimated on the waits beyond km_until / 2.
    let from = km_until / 2.0;
    let d_tail = data.iter().filter(|x| x.1 && x.0 > from).count();
    let exposure: f64 = data.iter().map(|x| (x.0 - from).max(0.0)).sum();
    let total_exposure: f64 = data.iter().map(|x| x.0).sum();
    let (h, h_se, h_n) = if d_tail > 0 && exposure > 0.0 {
        (
            d_tail as f64 / exposure,
            (d_tail as f64).sqrt() / exposure,
            d_tail,
        )
    } else if total_exposure > 0.0 {
        let a = abandoned as f64;
        (a / total_exposure, a.sqrt() / total_exposure, abandoned)
    } else {
        (0.0, 0.0, 0)
    };
    let survival = REPORT_AT
        .iter()
        .map(|&t| {
            let last = kept.iter().take_while(|s| s.t <= t).last();
            let (s, var, at_risk) = match last {
                Some(step) => (step.s, step.s * step.s * step.greenwood, step.at_risk),
                None => (1.0, 0.0, n),
            };
            let s = if t > km_until && h > 0.0 {
                s_cut * (-h * (t - km_until)).exp()
            } else {
                s
            };
            (
                format!("{t} min"),
                Estimate::new(s, Some(var.sqrt()), at_risk),
            )
        })
        .collect();
    let values = (abandoned > 0 && h > 0.0).then(|| {
        (0..PATIENCE_VALUES)
            .map(|i| {
                quantile(
                    (i as f64 + 0.5) / PATIENCE_VALUES as f64,
                    kept,
                    km_until,
                    s_cut,
                    h,
                )
            })
            .collect::<Vec<f64>>()
    });
    let mean = values
        .as_ref()
        .map_or(f64::INFINITY, |v| v.iter().sum::<f64>() / v.len() as f64);
    PatienceFit {
        n,
        abandoned,
        censored: n - abandoned,
        survival,
        km_until,
        survival_at_km_until: s_cut,
        tail_hazard: Estimate::new(h, Some(h_se), h_n),
        mean,
        weibull,
        values,
    }
}

/// The p-quantile of the completed distribution: the KM curve made
/// piecewise linear between its steps (from (0, 1)), then the exponential
/// tail from (km_until, s_cut) with hazard h.
fn quantile(p: f64, steps: &[Step], km_until: f64, s_cut: f64, h: f64) -> f64 {
    let target = 1.0 - p;
    if target < s_cut || steps.is_empty() {
        return km_until + (s_cut / target.max(1e-12)).ln() / h;
    }
    let (mut t0, mut s0) = (0.0, 1.0);
    for step in steps {
        if step.s <= target {
            let w = if s0 > step.s {
                (s0 - target) / (s0 - step.s)
            } else {
                1.0
            };
            return t0 + w * (step.t - t0);
        }
        (t0, s0) = (step.t, step.s);
    }
    km_until
}

/// Censored Weibull maximum likelihood over positive waits: the profile
/// equation in the shape k is monotone and solved by bisection.
fn weibull(data: &[(f64, bool)]) -> Option<Weibull> {
    let pos: Vec<(f64, bool)> = data.iter().copied().filter(|x| x.0 > 0.0).collect();
    let d = pos.iter().filter(|x| x.1).count() as f64;
    if d < 2.0 {
        return None;
    }
    let mean_log_events = pos.iter().filter(|x| x.1).map(|x| x.0.ln()).sum::<f64>() / d;
    let g = |k: f64| {
        let (mut a, mut b) = (0.0, 0.0);
        for &(t, _) in &pos {
            let tk = t.powf(k);
            a += tk * t.ln();
            b += tk;
        }
        a / b - 1.0 / k - mean_log_events
    };
    let (mut lo, mut hi) = (0.01, 50.0);
    if g(lo) > 0.0 || g(hi) < 0.0 {
        return None;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if g(mid) < 0.0 { lo = mid } else { hi = mid }
    }
    let k = 0.5 * (lo + hi);
    let scale = (pos.iter().map(|x| x.0.powf(k)).sum::<f64>() / d).powf(1.0 / k);
    Some(Weibull { shape: k, scale })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without censoring, KM is one minus the empirical CDF.
    #[test]
    fn km_without_censoring_is_the_empirical_survival() {
        let steps = kaplan_meier(vec![(1.0, true), (2.0, true), (2.0, true), (4.0, true)]);
        let s: Vec<f64> = steps.iter().map(|s| s.s).collect();
        assert_eq!(s, vec![0.75, 0.25, 0.0]);
    }

    /// The textbook example: censoring at 2 leaves 2 at risk at time 3.
    #[test]
    fn km_with_censoring_matches_the_hand_computation() {
        let steps = kaplan_meier(vec![(1.0, true), (2.0, false), (3.0, true), (4.0, false)]);
        assert_eq!(steps.len(), 2);
        assert!((steps[0].s - 0.75).abs() < 1e-12);
        assert!((steps[1].s - 0.75 * 0.5).abs() < 1e-12);
        assert_eq!(steps[1].at_risk, 2);
        // Greenwood: 1/(4*3) + 1/(2*1).
        assert!((steps[1].greenwood - (1.0 / 12.0 + 0.5)).abs() < 1e-12);
    }

    /// Exponential data, censored independently: the tail hazard and the
    /// written mean recover the true mean within a few SEs.
    #[test]
    fn exponential_patience_is_recovered_under_censoring() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(18);
        let (mean, n) = (4.0, 20_000);
        let data: Vec<(f64, bool)> = (0..n)
            .map(|_| {
                let p = -mean * (1.0 - rng.random::<f64>()).ln();
                let c = -3.0 * (1.0 - rng.random::<f64>()).ln();
                if p < c { (p, true) } else { (c, false) }
            })
            .collect();
        let fit = fit_one(data);
        let h = fit.tail_hazard;
        assert!(
            (h.value - 0.25).abs() < 4.0 * h.se.unwrap(),
            "hazard {:?}",
            h
        );
        // The mean of 100 quantiles of an exponential is close to its mean
        // (quantization error well under 2%), and the sampling error at
        // n = 20,000 with ~ 43% events is about 1%.
        assert!((fit.mean - mean).abs() / mean < 0.05, "mean {}", fit.mean);
        let w = fit.weibull.unwrap();
        assert!((w.shape - 1.0).abs() < 0.05, "shape {}", w.shape);
    }
}
