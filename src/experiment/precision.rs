//! Replications to a precision: `METRIC=0.05` asks for a 95% half-width at
//! most 5% of the mean; `METRIC=0.1min` (or `=0.01abs`) for an absolute
//! half-width. METRIC is `wait_mean` (overall), `overall.wait_mean`,
//! `segment.<name>.<metric>` or `tier.<name>.<metric>`.

use super::{ReplicationMetrics, Shape};
use crate::engine::stats::Estimate;
use crate::model::{CLIENT_METRICS, REQUEST_METRICS, TIER_METRICS};

/// Which group a metric belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// All clients.
    Overall,
    /// One segment, by index.
    Segment(usize),
    /// One tier, by index.
    Tier(usize),
    /// One request type, by index.
    Request(usize),
}

/// How tight the interval must be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// Half-width at most this share of |mean|.
    Relative(f64),
    /// Half-width at most this, in the metric's unit.
    Absolute(f64),
}

/// One precision requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct Precision {
    /// As the user wrote it.
    pub spec: String,
    /// The metric's group.
    pub group: Group,
    /// The metric's index in its list.
    pub index: usize,
    /// The target.
    pub target: Target,
}

impl Precision {
    /// Parses `METRIC=VALUE[min|abs]` against the groups of a scenario.
    pub fn parse(spec: &str, shape: &Shape) -> Result<Precision, String> {
        let (metric, value) = spec.split_once('=').ok_or_else(|| {
            format!("`{spec}`: expected METRIC=0.05 (relative) or METRIC=0.1min (absolute)")
        })?;
        let (number, absolute) = match value
            .strip_suffix("min")
            .or_else(|| value.strip_suffix("abs"))
        {
            Some(n) => (n, true),
            None => (value, false),
        };
        let x: f64 = number
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && *x > 0.0)
            .ok_or_else(|| {
                format!("`{spec}`: the target must be a number > 0, like 0.05 or 0.1min")
            })?;
        let parts: Vec<&str> = metric.trim().split('.').collect();
        let find = |names: &[&str], group: Group, name: &str| -> Result<(Group, usize), String> {
            names
                .iter()
                .position(|n| *n == name)
                .map(|i| (group, i))
                .ok_or_else(|| {
                    format!(
                        "`{spec}`: no metric `{name}`; allowed: {}",
                        names.join(", ")
                    )
                })
        };
        let lookup = |names: &[String], kind: &str, name: &str| -> Result<usize, String> {
            names.iter().position(|n| n == name).ok_or_else(|| {
                format!(
                    "`{spec}`: no {kind} `{name}`; allowed: {}",
                    names.join(", ")
                )
            })
        };
        let (group, index) = match parts.as_slice() {
            [m] | ["overall", m] => find(&CLIENT_METRICS, Group::Overall, m)?,
            ["segment", s, m] => find(
                &CLIENT_METRICS,
                Group::Segment(lookup(&shape.segments, "segment", s)?),
                m,
            )?,
            ["tier", t, m] => find(
                &TIER_METRICS,
                Group::Tier(lookup(&shape.tiers, "tier", t)?),
                m,
            )?,
            ["request", q, m] => find(
                &REQUEST_METRICS,
                Group::Request(lookup(&shape.requests, "request type", q)?),
                m,
            )?,
            _ => {
                return Err(format!(
                    "`{spec}`: METRIC is `wait_mean`, `overall.wait_mean`, `segment.<name>.<metric>`, `tier.<name>.<metric>` or `request.<name>.<metric>`"
                ));
            }
        };
        Ok(Precision {
            spec: spec.to_string(),
            group,
            index,
            target: if absolute {
                Target::Absolute(x)
            } else {
                Target::Relative(x)
            },
        })
    }

    /// The estimate of this metric over `replications`.
    pub fn estimate(&self, replications: &[ReplicationMetrics]) -> Estimate {
        Estimate::from_values(replications.iter().map(|r| match self.group {
            Group::Overall => r.overall[self.index],
            Group::Segment(s) => r.segments[s][self.index],
            Group::Tier(t) => r.tiers[t][self.index],
            Group::Request(q) => r.requests[q][self.index],
        }))
    }

    /// The half-width this metric may have, given its current mean.
    pub fn allowed_half_width(&self, mean: f64) -> f64 {
        match self.target {
            Target::Relative(r) => r * mean.abs(),
            Target::Absolute(a) => a,
        }
    }

    /// Whether `replications` meet the target (never with fewer than two,
    /// which give no interval).
    pub fn met(&self, replications: &[ReplicationMetrics]) -> bool {
        let e = self.estimate(replications);
        e.n >= 2 && e.ci95 <= self.allowed_half_width(e.mean)
    }

    /// Replications likely to meet the target: the half-width shrinks like
    /// 1/sqrt(n), so n' = n (h / target)².
    pub fn replications_needed(&self, replications: &[ReplicationMetrics]) -> u64 {
        let e = self.estimate(replications);
        let allowed = self.allowed_half_width(e.mean);
        let n = replications.len() as f64;
        if e.n < 2 || allowed <= 0.0 || !e.ci95.is_finite() {
            return replications.len() as u64 * 2;
        }
        (n * (e.ci95 / allowed).powi(2)).ceil() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> Shape {
        Shape {
            segments: vec!["vip".into()],
            tiers: vec!["junior".into()],
            requests: vec!["loan".into()],
            agents: vec![],
        }
    }

    #[test]
    fn parses_metric_paths_and_units() {
        let p = Precision::parse("wait_mean=0.05", &shape()).unwrap();
        assert_eq!(
            (p.group, p.target),
            (Group::Overall, Target::Relative(0.05))
        );
        let p = Precision::parse("segment.vip.wait_mean=0.1min", &shape()).unwrap();
        assert_eq!(
            (p.group, p.target),
            (Group::Segment(0), Target::Absolute(0.1))
        );
        let p = Precision::parse("tier.junior.utilization=0.01abs", &shape()).unwrap();
        assert_eq!(
            (p.group, p.index, p.target),
            (Group::Tier(0), 12, Target::Absolute(0.01))
        );
        for bad in [
            "wait_mean",
            "wait=0.1",
            "tier.senior.wait_mean=0.1",
            "wait_mean=-1",
            "wait_mean=x",
        ] {
            assert!(Precision::parse(bad, &shape()).is_err(), "{bad}");
        }
    }

    #[test]
    fn stopping_rule() {
        let p = Precision::parse("wait_mean=0.1", &shape()).unwrap();
        let reps = |values: &[f64]| -> Vec<ReplicationMetrics> {
            values
                .iter()
                .map(|v| ReplicationMetrics {
                    overall: vec![*v; CLIENT_METRICS.len()],
                    segments: vec![],
                    tiers: vec![],
                    wait_quantiles: vec![],
                    slots: vec![],
                    requests: vec![],
                    warmup_drift: f64::NAN,
                    agents: Vec::new(),
                    days: Vec::new(),
                })
                .collect()
        };
        // Mean 10, half-width 12.7 * 1/sqrt(2) * ... : far from 10% with two.
        let wide = reps(&[9.0, 11.0]);
        assert!(!p.met(&wide));
        // h = 12.706 * sqrt(2)/sqrt(2) = 12.706; allowed 1.0: n' = 2 * 161.4.
        assert_eq!(p.replications_needed(&wide), 323);
        assert!(p.met(&reps(&[10.0, 10.1, 9.9, 10.0])));
        assert!(!p.met(&reps(&[10.0])));
    }
}
