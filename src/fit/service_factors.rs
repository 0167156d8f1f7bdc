//! Service time by hour of the day (docs/fit.md §4): each served call's
//! service divided by its request type's mean, grouped by hour of
//! arrival. A one-way ANOVA of the logs of these ratios across hours (the
//! request mix of an hour taken out) decides: p < 0.01, and the tier gets
//! `service_factors`, each hour's mean ratio (hours with fewer than
//! `MIN_PER_HOUR` calls keep 1).

use std::collections::BTreeMap;

use serde::Serialize;

use super::clean::Call;
use super::service::{ByHour, ServiceFit, by_hour};

/// The by-hour factors and the test that decides whether they are written.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceFactors {
    /// Per hour: mean of service / its type's mean (SE, n calls), and the
    /// ANOVA of the logs of those ratios.
    pub by_hour: ByHour,
    /// The test says the hour matters: the scenario gets the factors.
    pub written: bool,
}

/// Fits the factors on `calls` with the per-type fits `service`.
pub fn fit(calls: &[Call], service: &BTreeMap<String, ServiceFit>) -> ServiceFactors {
    let ratios: Vec<(f64, usize)> = calls
        .iter()
        .filter_map(|c| {
            let s = c.service?;
            let mean = service.get(&c.request)?.mean.value;
            (mean > 0.0).then(|| (s / mean, (c.minute / 60.0) as usize))
        })
        .collect();
    let by_hour = by_hour(&ratios);
    ServiceFactors {
        written: by_hour.differs,
        by_hour,
    }
}

#[cfg(test)]
mod tests {
    use super::super::service;
    use super::*;

    /// A call of type `request` at `hour` served for `minutes`.
    fn call(request: &str, hour: f64, minutes: f64) -> Call {
        let date = chrono::NaiveDate::from_ymd_opt(1999, 2, 1).unwrap();
        Call {
            date,
            minute: hour * 60.0 + 1.0,
            segment: "s".into(),
            request: request.into(),
            identified: true,
            queued: true,
            wait: 0.0,
            served: true,
            service: Some(minutes),
            agent: None,
        }
    }

    /// Services twice as long in the afternoon, in every type: the factors
    /// are 2/1.5 and 1/1.5 of the type's mean, the test calls it; a mix that
    /// moves by hour (a long type in the morning) but not the service
    /// within a type is not called.
    #[test]
    fn factors_take_the_request_mix_out() {
        let mut calls = Vec::new();
        for i in 0..40 {
            let jitter = 1.0 + 0.01 * (i % 7) as f64;
            for (q, base) in [("a", 1.0), ("b", 5.0)] {
                calls.push(call(q, 9.0, base * jitter));
                calls.push(call(q, 15.0, 2.0 * base * jitter));
            }
        }
        let fitted = service::fit(&calls);
        let f = fit(&calls, &fitted);
        assert!(f.written);
        let h9 = f.by_hour.hours["09:00"].value;
        let h15 = f.by_hour.hours["15:00"].value;
        assert!((h9 - 1.0 / 1.5).abs() < 1e-9 && (h15 - 2.0 / 1.5).abs() < 1e-9);
        // Mix only: type b (5 min) at 9:00, type a (1 min) at 15:00.
        let mix: Vec<Call> = (0..40)
            .flat_map(|i| {
                let jitter = 1.0 + 0.01 * (i % 7) as f64;
                [call("b", 9.0, 5.0 * jitter), call("a", 15.0, jitter)]
            })
            .collect();
        assert!(!fit(&mix, &service::fit(&mix)).written);
    }
}
