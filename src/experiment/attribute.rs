//! Attribution of a remedy package: what each of k remedies buys, from the
//! runs of subsets of them on common random numbers. Per replication r and
//! metric, with v(S) the metric under the remedies of subset S:
//!
//! - the **Shapley** contribution of remedy i,
//!   φᵢ = Σ_{S ⊆ N∖{i}} |S|!(k−|S|−1)!/k! · (v(S∪{i}) − v(S)), exact over
//!   all 2^k subsets, or averaged over M random orders (above
//!   [`MAX_EXACT`] remedies);
//! - the **waterfall** in a given order, step j = v(first j) − v(first j−1);
//! - the **total** v(N) − v(∅), each remedy's **single** effect
//!   v({i}) − v(∅), and the **interaction** total − Σ single.
//!
//! Each is computed replication by replication and then averaged, so its
//! 95% CI is the paired one; the Shapley values sum to the total in every
//! replication (efficiency). Knows nothing of files: it gets the
//! replications' metrics of each subset it asked for.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::compare::column;
use super::{ReplicationMetrics, ScenarioSummary, Shape};
use crate::engine::stats::{Estimate, t_quantile_975};
use crate::model::metrics::{SLOT_CLIENT_METRICS, SLOT_TIER_METRICS};
use crate::model::targets::Cost;
use crate::model::{Model, TIER_METRICS};

/// Most remedies attributed exactly (2^8 = 256 subsets); above, random
/// orders.
pub const MAX_EXACT: usize = 8;

/// A subset of remedies: bit i set when remedy i (file order) is applied.
pub type Mask = u32;

/// How the Shapley values are computed.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Over all 2^k subsets.
    Exact,
    /// Averaged over these random orders (each a permutation of 0..k).
    Sampled(Vec<Vec<usize>>),
}

impl Method {
    /// Exact for `k` ≤ [`MAX_EXACT`] remedies, else `samples` random orders
    /// drawn from `seed` (`None` when k is above the limit and no samples
    /// are given).
    pub fn for_remedies(k: usize, samples: Option<u32>, seed: u64) -> Option<Method> {
        match samples {
            None if k <= MAX_EXACT => Some(Method::Exact),
            None => None,
            Some(m) => {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5A4D_504C_4553_4F52);
                let orders = (0..m)
                    .map(|_| {
                        let mut o: Vec<usize> = (0..k).collect();
                        o.shuffle(&mut rng);
                        o
                    })
                    .collect();
                Some(Method::Sampled(orders))
            }
        }
    }

    /// The subsets the method needs, with the waterfall's in `order` and
    /// every single remedy's, in increasing order.
    pub fn subsets(&self, k: usize, order: &[usize]) -> Vec<Mask> {
        let full: Mask = if k == 0 { 0 } else { Mask::MAX >> (32 - k) };
        let mut out: Vec<Mask> = match self {
            Method::Exact => (0..=full).collect(),
            Method::Sampled(orders) => orders
                .iter()
                .chain(std::iter::once(&order.to_vec()))
                .flat_map(|o| prefixes(o))
                .chain((0..k).map(|i| 1 << i))
                .collect(),
        };
        out.extend(prefixes(order));
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The subsets made by the first 0, 1, ..., k remedies of `order`.
fn prefixes(order: &[usize]) -> Vec<Mask> {
    let mut mask = 0;
    let mut out = vec![0];
    for &i in order {
        mask |= 1 << i;
        out.push(mask);
    }
    out
}

/// The attribution of one metric of one group.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricAttribution {
    /// `overall`, `segment.<name>`, `tier.<name>`, `request.<name>`,
    /// `slot.<index>` or `slot.<index>.tier.<name>`.
    pub group: String,
    /// The metric's name.
    pub metric: String,
    /// The metric with no remedy.
    pub base: Estimate,
    /// The metric with every remedy (the package).
    pub package: Estimate,
    /// The package's effect, package − base (paired).
    pub total: Estimate,
    /// Each remedy's Shapley contribution, in file order.
    pub shapley: Vec<Estimate>,
    /// Each step of the waterfall, in the attribution's order.
    pub waterfall: Vec<Estimate>,
    /// Each remedy alone on the base, in file order.
    pub single: Vec<Estimate>,
    /// The total less the sum of the single effects.
    pub interaction: Estimate,
}

/// Attributes every metric of every group present in all the subsets run
/// (overall, segments, tiers, request types, then `extra` (group, metric,
/// values per replication of each subset), then, when every subset has the
/// same slots, each slot of the day: its client metrics as `slot.<s>` and
/// the metrics of every tier all subsets have as `slot.<s>.tier.<name>`). `runs[j]` holds
/// the replications (in order) and shape of subset `masks[j]`; `order` is
/// the waterfall's (remedy indices).
pub fn attribute(
    k: usize,
    method: &Method,
    order: &[usize],
    masks: &[Mask],
    runs: &[(Shape, Vec<ReplicationMetrics>)],
    extra: Vec<(String, String, Vec<Vec<f64>>)>,
) -> Vec<MetricAttribution> {
    let Some((first, _)) = runs.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |columns: Vec<Vec<f64>>, group: &str, metric: &str| {
        let value = |mask: Mask| -> &[f64] {
            let j = masks.binary_search(&mask).expect("a subset that was run");
            &columns[j]
        };
        out.push(one_metric(k, method, order, &value, group, metric));
    };
    for (group, metrics) in first.groups() {
        for (index, metric) in metrics.iter().enumerate() {
            let columns: Option<Vec<Vec<f64>>> = runs
                .iter()
                .map(|(shape, reps)| column(reps, shape, &group, index).map(|c| c.collect()))
                .collect();
            if let Some(columns) = columns {
                push(columns, &group, metric);
            }
        }
    }
    for (group, metric, columns) in extra {
        push(columns, &group, &metric);
    }
    let slots = |reps: &[ReplicationMetrics]| reps.first().map_or(0, |r| r.slots.len());
    let n = slots(&runs[0].1);
    if n > 0 && runs.iter().all(|(_, reps)| slots(reps) == n) {
        // The tiers every subset has, each at its own index per subset (a
        // remedy may add or remove a tier).
        let shared: Vec<(&String, Vec<usize>)> = first
            .tiers
            .iter()
            .filter_map(|name| {
                let at: Option<Vec<usize>> = runs
                    .iter()
                    .map(|(shape, _)| shape.tiers.iter().position(|t| t == name))
                    .collect();
                at.map(|at| (name, at))
            })
            .collect();
        for s in 0..n {
            for metric in SLOT_CLIENT_METRICS {
                push(
                    slot_columns(runs, s, |_| None, metric),
                    &format!("slot.{s}"),
                    metric,
                );
            }
            for (name, at) in &shared {
                for metric in SLOT_TIER_METRICS {
                    let columns = slot_columns(runs, s, |j| Some(at[j]), metric);
                    push(columns, &format!("slot.{s}.tier.{name}"), metric);
                }
            }
        }
    }
    out
}

/// Slot metric `metric` of slot `s` per replication of each run, of all
/// clients (`tier(j)` `None`) or of tier `tier(j)` of run j.
fn slot_columns(
    runs: &[(Shape, Vec<ReplicationMetrics>)],
    s: usize,
    tier: impl Fn(usize) -> Option<usize>,
    metric: &str,
) -> Vec<Vec<f64>> {
    runs.iter()
        .enumerate()
        .map(|(j, (_, reps))| {
            let i = ScenarioSummary::slot_position(tier(j), metric).expect("a slot metric");
            reps.iter().map(|r| r.slots[s][i]).collect()
        })
        .collect()
}

/// The staff cost per hour of each of `reps` (replications of `model`):
/// Σ over staffed tiers of `cost.hourly` × the tier's `servers_mean` in
/// that replication, as `experiment::goals::cost_rates` reckons it over
/// the mean.
pub fn staff_cost_per_hour(model: &Model, cost: &Cost, reps: &[ReplicationMetrics]) -> Vec<f64> {
    let servers = TIER_METRICS
        .iter()
        .position(|m| *m == "servers_mean")
        .expect("a tier metric");
    reps.iter()
        .map(|r| {
            model
                .tiers
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.servers.is_unlimited())
                .map(|(j, _)| cost.hourly[j] * r.tiers[j][servers])
                .sum()
        })
        .collect()
}

/// The attribution of one metric, `value(S)` giving its values per
/// replication under subset S.
fn one_metric<'v>(
    k: usize,
    method: &Method,
    order: &[usize],
    value: &dyn Fn(Mask) -> &'v [f64],
    group: &str,
    metric: &str,
) -> MetricAttribution {
    let full = prefixes(order).last().copied().unwrap_or(0);
    let n = value(0).len();
    let diff = |a: Mask, b: Mask| -> Vec<f64> {
        let (va, vb) = (value(a), value(b));
        (0..n).map(|r| va[r] - vb[r]).collect()
    };
    let total = diff(full, 0);
    let single: Vec<Vec<f64>> = (0..k).map(|i| diff(1 << i, 0)).collect();
    let interaction: Vec<f64> = (0..n)
        .map(|r| total[r] - single.iter().map(|s| s[r]).sum::<f64>())
        .collect();
    let steps = prefixes(order);
    let waterfall: Vec<Estimate> = steps
        .windows(2)
        .map(|w| Estimate::from_values(diff(w[1], w[0])))
        .collect();
    let shapley: Vec<Estimate> = match method {
        Method::Exact => (0..k)
            .map(|i| Estimate::from_values(exact_shapley(k, i, value, n)))
            .collect(),
        Method::Sampled(orders) => sampled_shapley(k, orders, value, n),
    };
    MetricAttribution {
        group: group.to_string(),
        metric: metric.to_string(),
        base: Estimate::from_values(value(0).iter().copied()),
        package: Estimate::from_values(value(full).iter().copied()),
        total: Estimate::from_values(total),
        shapley,
        waterfall,
        single: single.into_iter().map(Estimate::from_values).collect(),
        interaction: Estimate::from_values(interaction),
    }
}

/// Remedy i's exact Shapley value in each of `n` replications.
pub fn exact_shapley<'v>(
    k: usize,
    i: usize,
    value: &dyn Fn(Mask) -> &'v [f64],
    n: usize,
) -> Vec<f64> {
    let bit: Mask = 1 << i;
    let all: Mask = if k == 0 { 0 } else { Mask::MAX >> (32 - k) };
    let mut out = vec![0.0; n];
    for s in (0..=all).filter(|s| s & bit == 0) {
        let w = weight(k, s.count_ones() as usize);
        let (with, without) = (value(s | bit), value(s));
        for r in 0..n {
            out[r] += w * (with[r] - without[r]);
        }
    }
    out
}

/// |S|!(k−|S|−1)!/k!, the Shapley weight of a subset of `size` remedies
/// not holding the remedy valued, computed as a product of ratios.
fn weight(k: usize, size: usize) -> f64 {
    // 1 / (k * C(k-1, size)).
    let mut c = 1.0;
    for j in 0..size {
        c *= (k - 1 - j) as f64 / (j + 1) as f64;
    }
    1.0 / (k as f64 * c)
}

/// Shapley values averaged over random `orders`: each remedy's mean
/// marginal contribution per replication; the CI adds the spread between
/// orders (the sampling error) to that between replications.
fn sampled_shapley<'v>(
    k: usize,
    orders: &[Vec<usize>],
    value: &dyn Fn(Mask) -> &'v [f64],
    n: usize,
) -> Vec<Estimate> {
    let m = orders.len();
    // contribution[i][o][r]
    let mut contribution = vec![vec![vec![0.0; n]; m]; k];
    for (o, order) in orders.iter().enumerate() {
        let steps = prefixes(order);
        for (j, &i) in order.iter().enumerate() {
            let (with, without) = (value(steps[j + 1]), value(steps[j]));
            for r in 0..n {
                contribution[i][o][r] = with[r] - without[r];
            }
        }
    }
    contribution
        .iter()
        .map(|per_order| {
            let per_rep = Estimate::from_values(
                (0..n).map(|r| per_order.iter().map(|c| c[r]).sum::<f64>() / m as f64),
            );
            let by_order =
                Estimate::from_values(per_order.iter().map(|c| c.iter().sum::<f64>() / n as f64));
            let order_half = if m >= 2 {
                let sd_mean = by_order.ci95 / t_quantile_975(m as u64 - 1);
                1.96 * sd_mean
            } else {
                f64::INFINITY
            };
            Estimate {
                ci95: per_rep.ci95.hypot(order_half),
                ..per_rep
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value table over all 2^k subsets for `n` replications from `f`.
    fn table(k: usize, n: usize, f: impl Fn(Mask, usize) -> f64) -> Vec<Vec<f64>> {
        (0..1u32 << k)
            .map(|s| (0..n).map(|r| f(s, r)).collect())
            .collect()
    }

    /// A game with interactions: pairs and a triple add their own terms,
    /// varying by replication.
    fn game(s: Mask, r: usize) -> f64 {
        let x = r as f64;
        let has = |i: u32| s & (1 << i) != 0;
        let mut v = 10.0 + x;
        v += if has(0) { 1.5 + 0.1 * x } else { 0.0 };
        v += if has(1) { -2.0 } else { 0.0 };
        v += if has(2) { 0.7 * x } else { 0.0 };
        v += if has(0) && has(1) { 0.9 } else { 0.0 };
        v += if has(1) && has(2) { -0.4 * x } else { 0.0 };
        v += if has(0) && has(1) && has(2) { 3.3 } else { 0.0 };
        v
    }

    #[test]
    fn shapley_values_sum_to_the_total_in_every_replication() {
        let (k, n) = (3, 7);
        let t = table(k, n, game);
        let value = |s: Mask| t[s as usize].as_slice();
        let phi: Vec<Vec<f64>> = (0..k).map(|i| exact_shapley(k, i, &value, n)).collect();
        for r in 0..n {
            let sum: f64 = phi.iter().map(|p| p[r]).sum();
            let total = t[7][r] - t[0][r];
            assert!(
                (sum - total).abs() < 1e-12,
                "replication {r}: {sum} vs {total}"
            );
        }
        // The triple's 3.3 is split evenly; the pair (0, 1)'s 0.9 in two.
        let r = 0;
        assert!((phi[0][r] - (1.5 + 0.45 + 1.1)).abs() < 1e-12);
        assert!((phi[2][r] - 1.1).abs() < 1e-12);
    }

    #[test]
    fn one_remedy_is_its_own_waterfall_and_total() {
        let t = table(1, 5, |s, r| {
            if s == 1 {
                2.0 * r as f64 + 1.0
            } else {
                r as f64
            }
        });
        let value = |s: Mask| t[s as usize].as_slice();
        let a = one_metric(1, &Method::Exact, &[0], &value, "overall", "m");
        assert_eq!(a.shapley, a.waterfall);
        assert_eq!(a.shapley[0], a.total);
        assert_eq!(a.single[0], a.total);
        assert_eq!(a.interaction.mean, 0.0);
    }

    #[test]
    fn the_order_moves_the_waterfall_not_the_shapley_values() {
        let (k, n) = (3, 4);
        let t = table(k, n, game);
        let value = |s: Mask| t[s as usize].as_slice();
        let a = one_metric(k, &Method::Exact, &[0, 1, 2], &value, "g", "m");
        let b = one_metric(k, &Method::Exact, &[2, 1, 0], &value, "g", "m");
        assert_eq!(a.shapley, b.shapley);
        assert_ne!(a.waterfall[0], b.waterfall[2]);
        // Each waterfall also sums to the total.
        for w in [&a.waterfall, &b.waterfall] {
            let sum: f64 = w.iter().map(|s| s.mean).sum();
            assert!((sum - a.total.mean).abs() < 1e-12);
        }
    }

    #[test]
    fn additive_remedies_have_no_interaction_and_their_own_effects() {
        let t = table(2, 6, |s, r| {
            (s & 1) as f64 * (1.0 + r as f64) + ((s >> 1) & 1) as f64 * 4.0
        });
        let value = |s: Mask| t[s as usize].as_slice();
        let a = one_metric(2, &Method::Exact, &[0, 1], &value, "g", "m");
        assert_eq!((a.interaction.mean, a.interaction.ci95), (0.0, 0.0));
        assert_eq!(a.shapley, a.single);
    }

    #[test]
    fn each_slot_of_the_day_is_a_group() {
        use crate::model::{CLIENT_METRICS, TIER_METRICS};
        let reps = |x: f64| -> Vec<ReplicationMetrics> {
            (0..3)
                .map(|r| ReplicationMetrics {
                    overall: vec![x; CLIENT_METRICS.len()],
                    segments: vec![],
                    tiers: vec![vec![x; TIER_METRICS.len()]],
                    wait_quantiles: vec![],
                    slots: vec![vec![x + r as f64; 8], vec![2.0 * x; 8]],
                    requests: vec![],
                    warmup_drift: f64::NAN,
                    agents: Vec::new(),
                    days: Vec::new(),
                })
                .collect()
        };
        let shape = Shape {
            segments: vec![],
            tiers: vec!["t".into()],
            requests: vec![],
            agents: vec![],
        };
        let runs = [(shape.clone(), reps(1.0)), (shape, reps(4.0))];
        let a = attribute(1, &Method::Exact, &[0], &[0, 1], &runs, Vec::new());
        let slot1: Vec<&MetricAttribution> = a.iter().filter(|m| m.group == "slot.1").collect();
        assert_eq!(slot1.len(), SLOT_CLIENT_METRICS.len());
        assert_eq!((slot1[0].total.mean, slot1[0].total.ci95), (6.0, 0.0));
        let slot0 = a.iter().find(|m| m.group == "slot.0").unwrap();
        assert_eq!(slot0.shapley[0].mean, 3.0);
    }

    #[test]
    fn each_tier_of_each_slot_is_a_group_by_name() {
        use crate::model::{CLIENT_METRICS, TIER_METRICS};
        // Slot values: 5 client metrics, then 3 per tier in model order;
        // tier k's utilization is 10k (+ 100 under the package).
        let reps = |tiers: &[&str], extra: f64| -> Vec<ReplicationMetrics> {
            let mut slot = vec![0.0; SLOT_CLIENT_METRICS.len()];
            for name in tiers {
                let k = if *name == "b" { 2.0 } else { 1.0 };
                slot.extend([k, 10.0 * k + extra, 0.0]);
            }
            (0..2)
                .map(|_| ReplicationMetrics {
                    overall: vec![0.0; CLIENT_METRICS.len()],
                    segments: vec![],
                    tiers: vec![vec![0.0; TIER_METRICS.len()]; tiers.len()],
                    wait_quantiles: vec![],
                    slots: vec![slot.clone(), slot.clone()],
                    requests: vec![],
                    agents: Vec::new(),
                    days: Vec::new(),
                    warmup_drift: f64::NAN,
                })
                .collect()
        };
        let shape = |tiers: &[&str]| Shape {
            segments: vec![],
            tiers: tiers.iter().map(|t| t.to_string()).collect(),
            requests: vec![],
            agents: vec![],
        };
        // The remedy puts a bot in front: tier b moves from index 1 to 2.
        let runs = [
            (shape(&["a", "b"]), reps(&["a", "b"], 0.0)),
            (shape(&["bot", "a", "b"]), reps(&["bot", "a", "b"], 100.0)),
        ];
        let a = attribute(1, &Method::Exact, &[0], &[0, 1], &runs, Vec::new());
        let b = a
            .iter()
            .find(|m| m.group == "slot.1.tier.b" && m.metric == "utilization")
            .unwrap();
        assert_eq!(
            (b.base.mean, b.package.mean, b.total.mean),
            (20.0, 120.0, 100.0)
        );
        let servers = a
            .iter()
            .find(|m| m.group == "slot.0.tier.a" && m.metric == "servers_mean")
            .unwrap();
        assert_eq!(servers.total.mean, 0.0);
        assert!(
            !a.iter()
                .any(|m| m.group.contains("tier.bot") && m.group.starts_with("slot"))
        );
        let per_slot = a.iter().filter(|m| m.group.starts_with("slot.0")).count();
        assert_eq!(
            per_slot,
            SLOT_CLIENT_METRICS.len() + 2 * SLOT_TIER_METRICS.len()
        );
    }

    #[test]
    fn sampled_orders_estimate_the_exact_values() {
        let (k, n) = (3, 5);
        let t = table(k, n, game);
        let value = |s: Mask| t[s as usize].as_slice();
        let exact = one_metric(k, &Method::Exact, &[0, 1, 2], &value, "g", "m");
        // All 6 orders, each once: the exact values.
        let all: Vec<Vec<usize>> = vec![
            vec![0, 1, 2],
            vec![0, 2, 1],
            vec![1, 0, 2],
            vec![1, 2, 0],
            vec![2, 0, 1],
            vec![2, 1, 0],
        ];
        let sampled = one_metric(k, &Method::Sampled(all), &[0, 1, 2], &value, "g", "m");
        for (e, s) in exact.shapley.iter().zip(&sampled.shapley) {
            assert!((e.mean - s.mean).abs() < 1e-12);
            assert!(s.ci95 >= e.ci95 - 1e-12, "the sampling error only widens");
        }
        // 400 random orders: within their CI of the exact values.
        let random = Method::for_remedies(k, Some(400), 7).unwrap();
        let s = one_metric(k, &random, &[0, 1, 2], &value, "g", "m");
        for (e, s) in exact.shapley.iter().zip(&s.shapley) {
            assert!((e.mean - s.mean).abs() <= s.ci95, "{e:?} vs {s:?}");
        }
        let needed = random.subsets(k, &[0, 1, 2]);
        assert!(needed.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Method::for_remedies(9, None, 1), None);
        assert_eq!(Method::Exact.subsets(2, &[1, 0]), [0, 1, 2, 3]);
    }
}
