//! Paired comparison of two scenarios (or a sweep point and its baseline)
//! run on the same random streams: for every metric, the difference B − A
//! replication by replication, its 95% confidence interval, whether it is
//! significant, and how much variance common random numbers removed.

use super::{ReplicationMetrics, Shape};
use crate::engine::stats::{Estimate, Welford};

/// One metric's comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// `overall`, `segment.<name>`, `tier.<name>`, `request.<name>` or
    /// `group.<tier>.<group>[.<skill>]`.
    pub group: String,
    /// Metric name.
    pub metric: &'static str,
    /// The metric in A.
    pub a: Estimate,
    /// The metric in B.
    pub b: Estimate,
    /// Mean and 95% half-width of the paired differences B − A.
    pub difference: Estimate,
    /// The interval of the difference excludes zero.
    pub significant: bool,
    /// 1 − Var(B − A) / (Var(A) + Var(B)): the share of the variance of the
    /// difference that pairing removed (0 for independent streams; NaN when
    /// neither side varies).
    pub variance_reduction: f64,
}

/// Values of one metric per replication, by (group, index) in a shape;
/// `None` when the shape has no such group.
pub(super) fn column<'a>(
    replications: &'a [ReplicationMetrics],
    shape: &Shape,
    group: &str,
    index: usize,
) -> Option<impl Iterator<Item = f64> + 'a> {
    enum Which {
        Overall,
        Segment(usize),
        Tier(usize),
        Request(usize),
        Agents(usize),
    }
    let position = |names: &[String], name: &str| names.iter().position(|n| n == name);
    let which = if group == "overall" {
        Which::Overall
    } else if let Some(s) = group.strip_prefix("segment.") {
        Which::Segment(position(&shape.segments, s)?)
    } else if let Some(t) = group.strip_prefix("tier.") {
        Which::Tier(position(&shape.tiers, t)?)
    } else if let Some(g) = group.strip_prefix("group.") {
        Which::Agents(shape.agents.iter().position(|(n, _)| n == g)?)
    } else {
        Which::Request(position(&shape.requests, group.strip_prefix("request.")?)?)
    };
    Some(replications.iter().map(move |r| match which {
        Which::Overall => r.overall[index],
        Which::Segment(s) => r.segments[s][index],
        Which::Tier(t) => r.tiers[t][index],
        Which::Request(q) => r.requests[q][index],
        Which::Agents(a) => r.agents[a][index],
    }))
}

/// Compares B with A metric by metric, pairing replication r of B with
/// replication r of A (the first min(len) of each). Groups present in only
/// one of them are left out.
pub fn paired(
    shape_a: &Shape,
    a: &[ReplicationMetrics],
    shape_b: &Shape,
    b: &[ReplicationMetrics],
) -> Vec<Difference> {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut out = Vec::new();
    for (group, metrics) in shape_a.groups() {
        for (index, metric) in metrics.iter().enumerate() {
            let (Some(xa), Some(xb)) = (
                column(a, shape_a, &group, index),
                column(b, shape_b, &group, index),
            ) else {
                continue;
            };
            let pairs: Vec<(f64, f64)> = xa
                .zip(xb)
                .filter(|(x, y)| !x.is_nan() && !y.is_nan())
                .collect();
            let (mut va, mut vb) = (Welford::default(), Welford::default());
            for &(x, y) in &pairs {
                va.add(x);
                vb.add(y);
            }
            let difference = Estimate::from_values(pairs.iter().map(|(x, y)| y - x));
            let d_var = {
                let mut w = Welford::default();
                pairs.iter().for_each(|(x, y)| w.add(y - x));
                w.variance()
            };
            let independent = va.variance() + vb.variance();
            out.push(Difference {
                group: group.clone(),
                metric,
                a: Estimate::from_values(pairs.iter().map(|p| p.0)),
                b: Estimate::from_values(pairs.iter().map(|p| p.1)),
                significant: difference.n >= 2 && difference.mean.abs() > difference.ci95,
                variance_reduction: if independent > 0.0 {
                    1.0 - d_var / independent
                } else {
                    f64::NAN
                },
                difference,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CLIENT_METRICS, TIER_METRICS};

    fn reps(values: &[f64]) -> Vec<ReplicationMetrics> {
        values
            .iter()
            .map(|v| ReplicationMetrics {
                overall: vec![*v; CLIENT_METRICS.len()],
                segments: vec![],
                tiers: vec![vec![*v; TIER_METRICS.len()]],
                wait_quantiles: vec![],
                slots: vec![],
                requests: vec![],
                warmup_drift: f64::NAN,
                agents: Vec::new(),
                days: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn pairs_replication_by_replication() {
        let shape = Shape {
            segments: vec![],
            tiers: vec!["t".into()],
            requests: vec![],
            agents: vec![],
        };
        // B = A + 1 exactly: the difference is 1 with no spread, and pairing
        // removed all the variance.
        let a = reps(&[1.0, 5.0, 2.0, 8.0]);
        let b = reps(&[2.0, 6.0, 3.0, 9.0]);
        let d = paired(&shape, &a, &shape, &b);
        assert_eq!(d.len(), CLIENT_METRICS.len() + TIER_METRICS.len());
        let first = &d[0];
        assert_eq!((first.difference.mean, first.difference.ci95), (1.0, 0.0));
        assert!(first.significant);
        assert_eq!(first.variance_reduction, 1.0);
        assert_eq!(d.last().unwrap().group, "tier.t");
        // No difference at all: not significant.
        let same = paired(&shape, &a, &shape, &a);
        assert!(!same[0].significant);
        // A tier only A has is left out.
        let none = Shape {
            segments: vec![],
            tiers: vec![],
            requests: vec![],
            agents: vec![],
        };
        assert_eq!(
            paired(&shape, &a, &none, &reps(&[1.0, 2.0, 3.0, 4.0])).len(),
            CLIENT_METRICS.len()
        );
    }
}
