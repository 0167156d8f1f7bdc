//! A tornado of the package's effect: for each parameter, the effect
//! (package − base, paired per replication) at the low and the high end of
//! its range, the swing between them, and whether either end can flip the
//! sign of the effect found at the nominal values (its CI lies wholly on
//! the other side of 0).

use super::compare::column;
use super::{ReplicationMetrics, Shape};
use crate::engine::stats::Estimate;

/// The replications and shape of one run.
pub type Run = (Shape, Vec<ReplicationMetrics>);

/// One parameter's bar of the tornado for one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Swing {
    /// The parameter's dotted path.
    pub parameter: String,
    /// The metric (overall).
    pub metric: String,
    /// The low end of the range.
    pub low: f64,
    /// The high end.
    pub high: f64,
    /// The package's effect with the parameter at `low`.
    pub at_low: Estimate,
    /// The package's effect with the parameter at `high`.
    pub at_high: Estimate,
    /// |effect at high − effect at low|: the bar's length.
    pub swing: f64,
    /// The effect at one end has the other sign from the nominal one, its
    /// CI clear of 0.
    pub flips: bool,
}

/// The package's effect (package − base) on overall metric `index`,
/// paired replication by replication.
pub fn effect(base: &Run, package: &Run, index: usize) -> Estimate {
    let (Some(a), Some(b)) = (
        column(&base.1, &base.0, "overall", index),
        column(&package.1, &package.0, "overall", index),
    ) else {
        return Estimate::from_values([]);
    };
    Estimate::from_values(a.zip(b).map(|(x, y)| y - x))
}

/// Whether `at` is clear of 0 on the other side from `nominal`, itself
/// clear of 0 (an effect within noise of 0 has no sign to flip).
pub fn flips(nominal: &Estimate, at: &Estimate) -> bool {
    nominal.mean.abs() > nominal.ci95
        && at.mean.signum() != nominal.mean.signum()
        && at.mean.abs() > at.ci95
}

/// The tornado of each metric in `metrics` ((name, index in the overall
/// metrics), nominal effect): `runs[p]` holds parameter p's
/// [base at low, package at low, base at high, package at high], ranges
/// `(path, low, high)`; bars sorted by swing, longest first, per metric.
pub fn tornado(
    metrics: &[(&str, usize, Estimate)],
    parameters: &[(String, f64, f64)],
    runs: &[[Run; 4]],
) -> Vec<Swing> {
    let mut out = Vec::new();
    for &(metric, index, nominal) in metrics {
        let mut bars: Vec<Swing> = parameters
            .iter()
            .zip(runs)
            .map(|((path, low, high), [bl, pl, bh, ph])| {
                let at_low = effect(bl, pl, index);
                let at_high = effect(bh, ph, index);
                Swing {
                    parameter: path.clone(),
                    metric: metric.to_string(),
                    low: *low,
                    high: *high,
                    swing: (at_high.mean - at_low.mean).abs(),
                    flips: flips(&nominal, &at_low) || flips(&nominal, &at_high),
                    at_low,
                    at_high,
                }
            })
            .collect();
        bars.sort_by(|a, b| b.swing.total_cmp(&a.swing));
        out.extend(bars);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(mean: f64, ci95: f64) -> Estimate {
        Estimate { mean, ci95, n: 10 }
    }

    #[test]
    fn a_flip_needs_the_other_sign_clear_of_zero() {
        assert!(flips(&e(-0.35, 0.1), &e(1.2, 0.1)));
        assert!(!flips(&e(-0.35, 0.1), &e(0.05, 0.1)), "within noise of 0");
        assert!(!flips(&e(-0.35, 0.1), &e(-2.0, 0.1)), "same sign");
        assert!(!flips(&e(0.0, 0.1), &e(2.0, 0.1)), "no sign to flip");
        assert!(
            !flips(&e(-0.1, 4.5), &e(106.0, 3.9)),
            "nominal within noise"
        );
    }
}
