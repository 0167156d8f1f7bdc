//! `tiersim erlang`: the closed-form figures of one queue (Erlang B, Erlang C,
//! and Erlang A with exponential patience) for given arrivals per hour, mean
//! service time and servers, and the inverse: the fewest servers meeting
//! targets. Pure formulas from `analytic`; no simulation.

use crate::analytic::{ErlangA, erlang_b};

/// Figures a target of `tiersim erlang` may bound, each with whether higher
/// is better.
pub const ERLANG_METRICS: [(&str, bool); 6] = [
    ("service_level", true),
    ("wait_mean", false),
    ("p_wait", false),
    ("abandon_rate", false),
    ("blocking", false),
    ("occupancy", false),
];

/// One queue: Poisson arrivals, exponential service, `servers` servers, and
/// optionally exponential patience.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Queue {
    /// Arrivals per hour.
    pub arrivals_per_hour: f64,
    /// Mean service time, minutes.
    pub service_mean: f64,
    /// Mean patience, minutes (`None`: nobody abandons, Erlang C).
    pub patience_mean: Option<f64>,
    /// Service-level threshold, minutes.
    pub threshold: f64,
}

/// The figures of one staffing level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figures {
    /// Servers.
    pub servers: u32,
    /// Offered load, Erlangs.
    pub offered_load: f64,
    /// Erlang B: share of arrivals lost when nobody may wait.
    pub blocking: f64,
    /// Probability that an arrival waits (Erlang C, or Erlang A's).
    pub p_wait: f64,
    /// Mean wait over all arrivals, minutes (abandoners until they left).
    pub wait_mean: f64,
    /// Share of arrivals whose service starts within the threshold.
    pub service_level: f64,
    /// Share of arrivals that abandon (0 without patience).
    pub abandon_rate: f64,
    /// Busy share of each server (carried load over servers); above 1 means
    /// unstable without patience.
    pub occupancy: f64,
}

impl Figures {
    /// The figure named `name` (one of [`ERLANG_METRICS`]).
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match name {
            "service_level" => self.service_level,
            "wait_mean" => self.wait_mean,
            "p_wait" => self.p_wait,
            "abandon_rate" => self.abandon_rate,
            "blocking" => self.blocking,
            "occupancy" => self.occupancy,
            _ => return None,
        })
    }
}

impl Queue {
    /// Offered load in Erlangs.
    pub fn offered_load(&self) -> f64 {
        self.arrivals_per_hour / 60.0 * self.service_mean
    }

    /// The figures with `servers` servers.
    pub fn figures(&self, servers: u32) -> Figures {
        let q = ErlangA {
            arrival_rate: self.arrivals_per_hour / 60.0,
            service_rate: 1.0 / self.service_mean,
            abandon_rate: self.patience_mean.map_or(0.0, |p| 1.0 / p),
            servers,
        };
        Figures {
            servers,
            offered_load: self.offered_load(),
            blocking: erlang_b(servers, self.offered_load()),
            p_wait: q.p_wait(),
            wait_mean: q.wait_mean(),
            service_level: q.service_level(self.threshold),
            abandon_rate: q.abandon_prob(),
            occupancy: q.utilization(),
        }
    }

    /// The fewest servers, from 1 up to `max_servers`, whose figures meet
    /// every `(metric, higher is better, bound)`; `None` if none does.
    pub fn fewest_servers(&self, targets: &[(&str, bool, f64)], max_servers: u32) -> Option<u32> {
        let meets = |f: &Figures| {
            targets.iter().all(|(m, higher, v)| {
                let x = f.get(m).unwrap_or(f64::NAN);
                if *higher { x >= *v } else { x <= *v }
            })
        };
        // Without patience fewer servers than the load are unstable.
        let start = if self.patience_mean.is_none() {
            (self.offered_load().floor() as u32 + 1).max(1)
        } else {
            1
        };
        (start..=max_servers).find(|&c| meets(&self.figures(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(arrivals_per_hour: f64, service_mean: f64, threshold: f64) -> Queue {
        Queue {
            arrivals_per_hour,
            service_mean,
            patience_mean: None,
            threshold,
        }
    }

    #[test]
    fn published_erlang_c_table() {
        // 10 Erlangs (200 calls per hour of 3 minutes): the call-centre
        // textbook table of P(wait) by agents (4 decimals), and the classic
        // answer that 80% within 20 s needs 14 agents (13 give 79.6%).
        let q = queue(200.0, 3.0, 20.0 / 60.0);
        for (servers, p_wait) in [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741)] {
            let f = q.figures(servers);
            assert!((f.p_wait - p_wait).abs() < 5e-5, "{servers}: {}", f.p_wait);
        }
        assert!((q.figures(13).service_level - 0.7956).abs() < 5e-4);
        assert_eq!(
            q.fewest_servers(&[("service_level", true, 0.8)], 100),
            Some(14)
        );
        assert!((q.figures(14).occupancy - 10.0 / 14.0).abs() < 1e-12);
        // Erlang B table: 10 lines carry 4.461 Erlangs at 1% loss.
        assert!((q.figures(10).blocking - erlang_b(10, 10.0)).abs() < 1e-15);
        assert!((erlang_b(10, 4.461) - 0.01).abs() < 5e-5);
    }

    #[test]
    fn fewest_servers_is_the_first_meeting_every_target() {
        let q = Queue {
            patience_mean: Some(5.0),
            ..queue(300.0, 4.0, 1.0)
        };
        let targets = [("service_level", true, 0.8), ("abandon_rate", false, 0.03)];
        let c = q.fewest_servers(&targets, 500).expect("reachable");
        let ok = |f: Figures| f.service_level >= 0.8 && f.abandon_rate <= 0.03;
        assert!(ok(q.figures(c)));
        assert!(!ok(q.figures(c - 1)));
        // A target no staffing reaches.
        assert_eq!(q.fewest_servers(&[("occupancy", false, 0.0)], 50), None);
    }
}
