//! The comparison of a back-test (`backtest.json`): hour by hour and
//! overall, the simulated figures with their 95% CIs beside the observed
//! ones, the Pearson correlations of the hourly profiles, the naive
//! calls-per-agent ratio's, and which goals of issue 18 are met.

use serde::Serialize;

use super::ArrivalsMode;
use super::observed::ObservedHour;
use crate::report::summary::{Curve, Slots};

/// Goal: overall P(abandon) within this many (absolute) of the observed.
pub const GOAL_P_ABANDON: f64 = 0.03;
/// Goal: overall mean wait within this many minutes (15 s).
pub const GOAL_WAIT_MINUTES: f64 = 0.25;
/// Goal: hourly correlation at least this.
pub const GOAL_CORRELATION: f64 = 0.8;

/// An observed value beside the simulated mean and its 95% half-width.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Figure {
    /// Observed in the log.
    pub observed: f64,
    /// Simulated, mean over replications.
    pub simulated: f64,
    /// 95% half-width of the simulated mean.
    pub ci95: f64,
}

/// One hour of the day.
#[derive(Debug, Clone, Serialize)]
pub struct HourRow {
    /// Hour of the day.
    pub hour: u32,
    /// Calls arriving in the hour, summed over the days.
    pub calls: Figure,
    /// P(abandon).
    pub p_abandon: Figure,
    /// Mean wait of all calls, minutes.
    pub wait_mean: Figure,
    /// Share served within the threshold.
    pub service_level: Figure,
    /// Agents' utilization (observed: talk time / the servers simulated).
    pub utilization: Figure,
    /// The naive ratio: the hour's calls / its distinct agents.
    pub naive_ratio: f64,
}

/// The compared hours as a whole (each hour weighted by its calls;
/// utilization by its servers). The CIs take the hours as independent.
#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    /// Calls.
    pub calls: Figure,
    /// P(abandon).
    pub p_abandon: Figure,
    /// Mean wait, minutes.
    pub wait_mean: Figure,
    /// Service level.
    pub service_level: Figure,
    /// Utilization.
    pub utilization: Figure,
    /// Mean absolute percentage error of the hourly volumes.
    pub volume_mape: f64,
}

/// Pearson correlations over the compared hours.
#[derive(Debug, Clone, Serialize)]
pub struct Correlations {
    /// Simulated with observed hourly P(abandon).
    pub p_abandon: f64,
    /// Simulated with observed hourly mean wait.
    pub wait_mean: f64,
    /// Simulated with observed hourly calls.
    pub calls: f64,
    /// The naive ratio with observed hourly P(abandon).
    pub naive_p_abandon: f64,
    /// The naive ratio with observed hourly mean wait.
    pub naive_wait_mean: f64,
}

/// One goal and whether it is met.
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    /// What is measured.
    pub name: String,
    /// The goal, in words.
    pub goal: String,
    /// The figure.
    pub value: f64,
    /// Met or not.
    pub met: bool,
}

/// The comparison (the body of backtest.json beside the setup).
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Hour by hour.
    pub hourly: Vec<HourRow>,
    /// The hours as a whole.
    pub overall: Overall,
    /// Correlations of the hourly profiles.
    pub correlations: Correlations,
    /// The goals of the mode (model fidelity for replay, the forecast's
    /// figures for forecast).
    pub goals: Vec<Goal>,
}

/// An hour's simulated mean and half-width of `metric` from slots:
/// slots within the hour weighted by `weights` (their arrivals, or 1).
fn hour_of(curve: &Curve, slots: &[usize], weights: &[f64]) -> (f64, f64) {
    let total: f64 = slots.iter().map(|&i| weights[i]).sum();
    if total <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = slots
        .iter()
        .map(|&i| weights[i] * curve.mean[i])
        .sum::<f64>()
        / total;
    let ci = slots
        .iter()
        .map(|&i| (weights[i] * curve.ci95[i]).powi(2))
        .sum::<f64>()
        .sqrt()
        / total;
    (mean, ci)
}

/// Pearson correlation (NaN with fewer than 3 points or no spread).
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .collect();
    let n = pairs.len() as f64;
    if pairs.len() < 3 {
        return f64::NAN;
    }
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxy: f64 = pairs.iter().map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = pairs.iter().map(|(a, _)| (a - mx).powi(2)).sum();
    let syy: f64 = pairs.iter().map(|(_, b)| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

/// The simulated hours of `slots` beside the observed `hours`; `tier` is
/// the staffed tier whose utilization is compared.
pub fn compare(
    hours: &[ObservedHour],
    slots: &Slots,
    tier: &str,
    mode: ArrivalsMode,
) -> Comparison {
    let n = slots.labels.len();
    let empty = Curve {
        mean: vec![f64::NAN; n],
        ci95: vec![f64::NAN; n],
    };
    let curve = |name: &str| slots.overall(name).unwrap_or(&empty);
    let arrived = curve("arrived");
    let ones = vec![1.0; n];
    let weights: Vec<f64> = arrived.mean.iter().map(|a| a.max(0.0)).collect();
    let utilization = slots.tier(tier, "utilization").unwrap_or(&empty);
    let hourly: Vec<HourRow> = hours
        .iter()
        .map(|o| {
            let within: Vec<usize> = (0..n)
                .filter(|&i| slots.start_hour(i).floor() as u32 == o.hour)
                .collect();
            let (calls, calls_ci) = hour_of(arrived, &within, &ones);
            let k = within.len() as f64;
            let figure = |observed: f64, (simulated, ci95): (f64, f64)| Figure {
                observed,
                simulated,
                ci95,
            };
            HourRow {
                hour: o.hour,
                calls: figure(o.calls as f64, (calls * k, calls_ci * k)),
                p_abandon: figure(
                    o.p_abandon,
                    hour_of(curve("abandon_rate"), &within, &weights),
                ),
                wait_mean: figure(o.wait_mean, hour_of(curve("wait_mean"), &within, &weights)),
                service_level: figure(
                    o.service_level,
                    hour_of(curve("service_level"), &within, &weights),
                ),
                utilization: figure(o.utilization, hour_of(utilization, &within, &ones)),
                naive_ratio: o.calls as f64 / o.distinct_agents,
            }
        })
        .collect();
    let overall = overall(&hourly, hours);
    let series = |f: fn(&HourRow) -> Figure| -> (Vec<f64>, Vec<f64>) {
        hourly
            .iter()
            .map(|h| (f(h).simulated, f(h).observed))
            .unzip()
    };
    let (sp, op) = series(|h| h.p_abandon);
    let (sw, ow) = series(|h| h.wait_mean);
    let (sc, oc) = series(|h| h.calls);
    let naive: Vec<f64> = hourly.iter().map(|h| h.naive_ratio).collect();
    let correlations = Correlations {
        p_abandon: pearson(&sp, &op),
        wait_mean: pearson(&sw, &ow),
        calls: pearson(&sc, &oc),
        naive_p_abandon: pearson(&naive, &op),
        naive_wait_mean: pearson(&naive, &ow),
    };
    let goals = goals(&overall, &correlations, mode);
    Comparison {
        hourly,
        overall,
        correlations,
        goals,
    }
}

/// The hours as a whole: weighted means, CIs with the hours independent.
fn overall(hourly: &[HourRow], hours: &[ObservedHour]) -> Overall {
    let sum = |f: &dyn Fn(&HourRow) -> f64| hourly.iter().map(f).sum::<f64>();
    let weighted = |f: fn(&HourRow) -> Figure, w: &dyn Fn(usize) -> (f64, f64)| {
        let (mut o, mut s, mut c, mut wo, mut ws) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (i, h) in hourly.iter().enumerate() {
            let (w_obs, w_sim) = w(i);
            let fig = f(h);
            if fig.observed.is_finite() {
                o += w_obs * fig.observed;
                wo += w_obs;
            }
            if fig.simulated.is_finite() {
                s += w_sim * fig.simulated;
                c += (w_sim * fig.ci95).powi(2);
                ws += w_sim;
            }
        }
        Figure {
            observed: o / wo,
            simulated: s / ws,
            ci95: c.sqrt() / ws,
        }
    };
    let by_calls = |i: usize| (hourly[i].calls.observed, hourly[i].calls.simulated);
    let by_servers = |i: usize| (hours[i].servers, hours[i].servers);
    let mape = hourly
        .iter()
        .filter(|h| h.calls.observed > 0.0)
        .map(|h| (h.calls.simulated - h.calls.observed).abs() / h.calls.observed)
        .sum::<f64>()
        / hourly
            .iter()
            .filter(|h| h.calls.observed > 0.0)
            .count()
            .max(1) as f64;
    Overall {
        calls: Figure {
            observed: sum(&|h| h.calls.observed),
            simulated: sum(&|h| h.calls.simulated),
            ci95: sum(&|h| h.calls.ci95.powi(2)).sqrt(),
        },
        p_abandon: weighted(|h| h.p_abandon, &by_calls),
        wait_mean: weighted(|h| h.wait_mean, &by_calls),
        service_level: weighted(|h| h.service_level, &by_calls),
        utilization: weighted(|h| h.utilization, &by_servers),
        volume_mape: mape,
    }
}

/// The goals of issue 18 item 5 for the mode.
fn goals(o: &Overall, r: &Correlations, mode: ArrivalsMode) -> Vec<Goal> {
    let goal = |name: &str, goal: String, value: f64, met: bool| Goal {
        name: name.into(),
        goal,
        value,
        met,
    };
    let dp = o.p_abandon.simulated - o.p_abandon.observed;
    let dw = o.wait_mean.simulated - o.wait_mean.observed;
    let mut goals = vec![
        goal(
            "overall P(abandon), simulated - observed",
            format!("within +/-{GOAL_P_ABANDON}"),
            dp,
            dp.abs() <= GOAL_P_ABANDON,
        ),
        goal(
            "overall mean wait, simulated - observed (min)",
            format!("within +/-{GOAL_WAIT_MINUTES} min (15 s)"),
            dw,
            dw.abs() <= GOAL_WAIT_MINUTES,
        ),
        goal(
            "hourly correlation of P(abandon)",
            format!(
                ">= {GOAL_CORRELATION} and above the naive ratio's {:.2}",
                r.naive_p_abandon
            ),
            r.p_abandon,
            r.p_abandon >= GOAL_CORRELATION && r.p_abandon > r.naive_p_abandon,
        ),
        goal(
            "hourly correlation of mean wait",
            format!(
                ">= {GOAL_CORRELATION} and above the naive ratio's {:.2}",
                r.naive_wait_mean
            ),
            r.wait_mean,
            r.wait_mean >= GOAL_CORRELATION && r.wait_mean > r.naive_wait_mean,
        ),
    ];
    if mode == ArrivalsMode::Forecast {
        goals.push(goal(
            "hourly volume MAPE (reported, no goal)",
            "reported".into(),
            o.volume_mape,
            true,
        ));
    }
    goals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_exact_lines() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((pearson(&x, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&x, &[8.0, 6.0, 4.0, 2.0]) + 1.0).abs() < 1e-12);
        assert!(pearson(&x[..2], &[1.0, 2.0]).is_nan());
    }
}
