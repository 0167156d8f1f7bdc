//! Erlang B and C, the M/M/c queue and the Erlang-C inverse (fewest servers).

/// Erlang B (Erlang 1917): blocking probability of the M/M/c/c loss system
/// with `servers` servers and `offered_load` Erlang, by the stable recursion
/// `B(0) = 1`, `B(n) = a B(n-1) / (n + a B(n-1))` (Gross & Harris,
/// *Fundamentals of Queueing Theory*). Cost O(`servers`); no overflow for
/// any number of servers. `servers == 0` gives `1.0`.
pub fn erlang_b(servers: u32, offered_load: f64) -> f64 {
    erlang_b_with_complement(servers, offered_load).0
}

/// `(B, 1 - B)` for Erlang B, the complement computed without cancellation:
/// `1 - B(n) = n / (n + a B(n-1))`.
pub(super) fn erlang_b_with_complement(servers: u32, offered_load: f64) -> (f64, f64) {
    if offered_load.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if servers == 0 || offered_load == f64::INFINITY {
        return (1.0, 0.0);
    }
    if offered_load <= 0.0 {
        return (0.0, 1.0);
    }
    let mut blocking = 1.0;
    let mut complement = 0.0;
    for n in 1..=servers {
        let n = f64::from(n);
        let carried = offered_load * blocking;
        let denominator = n + carried;
        blocking = carried / denominator;
        complement = n / denominator;
    }
    (blocking, complement)
}

/// Erlang C (Erlang 1917; Kleinrock 1975, vol. 1): probability that an
/// arrival to an M/M/c queue has to wait, from Erlang B as
/// `C = c B / (c - a (1 - B))`. Returns `1.0` when `offered_load >= servers`
/// (no steady state: every arrival eventually waits).
pub fn erlang_c(servers: u32, offered_load: f64) -> f64 {
    if offered_load.is_nan() {
        return f64::NAN;
    }
    let c = f64::from(servers);
    if offered_load >= c {
        return 1.0;
    }
    if offered_load <= 0.0 {
        return 0.0;
    }
    let (b, _) = erlang_b_with_complement(servers, offered_load);
    // c - a(1 - B) written as (c - a) + aB: both terms are positive.
    c * b / ((c - offered_load) + offered_load * b)
}

/// M/M/c queue, FIFO, infinite waiting room (Kleinrock 1975, vol. 1;
/// Gross & Harris). Unstable when `arrival_rate >= servers * service_rate`.
#[derive(Clone, Copy, Debug)]
pub struct Mmc {
    /// Poisson arrival rate `λ`, per minute.
    pub arrival_rate: f64,
    /// Exponential service rate `μ` of one server, per minute.
    pub service_rate: f64,
    /// Number of servers `c`.
    pub servers: u32,
}

impl Mmc {
    /// Offered load `a = λ/μ`, in Erlang.
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate / self.service_rate
    }

    /// Offered utilization per server `ρ = a/c`; it exceeds 1 when the queue
    /// is unstable (the servers are then busy all the time).
    pub fn utilization(&self) -> f64 {
        self.offered_load() / f64::from(self.servers)
    }

    /// `Some(cμ - λ) > 0` when a steady state exists, `None` when unstable.
    fn spare_capacity(&self) -> Option<f64> {
        let spare = f64::from(self.servers) * self.service_rate - self.arrival_rate;
        (self.offered_load() < f64::from(self.servers) && spare > 0.0).then_some(spare)
    }

    /// Probability that an arrival waits, Erlang C `C(c, a)`; `1.0` when
    /// unstable.
    pub fn p_wait(&self) -> f64 {
        erlang_c(self.servers, self.offered_load())
    }

    /// Mean wait in queue `Wq = C(c, a) / (cμ - λ)`; infinite when unstable.
    pub fn wait_mean(&self) -> f64 {
        if self.offered_load().is_nan() {
            return f64::NAN;
        }
        match self.spare_capacity() {
            Some(spare) => self.p_wait() / spare,
            None => f64::INFINITY,
        }
    }

    /// Service level `P(W <= threshold) = 1 - C e^{-(cμ-λ) t}` (the wait is
    /// 0 with probability `1 - C`, otherwise exponential with rate `cμ - λ`).
    /// `0.0` for a negative threshold and, for any finite threshold, when
    /// unstable.
    pub fn service_level(&self, threshold: f64) -> f64 {
        if threshold.is_nan() || self.offered_load().is_nan() {
            return f64::NAN;
        }
        if threshold < 0.0 {
            return 0.0;
        }
        match self.spare_capacity() {
            Some(spare) => 1.0 - self.p_wait() * (-spare * threshold).exp(),
            None => 0.0,
        }
    }

    /// Wait quantile, the inverse of [`Mmc::service_level`]: the smallest
    /// `t` with `P(W <= t) >= p`, i.e. `0` when `p <= 1 - C`, otherwise
    /// `ln(C / (1 - p)) / (cμ - λ)`. Infinite for `p >= 1` and, for `p > 0`,
    /// when unstable.
    pub fn wait_quantile(&self, p: f64) -> f64 {
        if p.is_nan() || self.offered_load().is_nan() {
            return f64::NAN;
        }
        if p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return f64::INFINITY;
        }
        let Some(spare) = self.spare_capacity() else {
            return f64::INFINITY;
        };
        let c = self.p_wait();
        if p <= 1.0 - c {
            0.0
        } else {
            (c / (1.0 - p)).ln() / spare
        }
    }

    /// Mean number waiting `Lq = λ Wq` (Little's law); infinite when
    /// unstable.
    pub fn queue_len_mean(&self) -> f64 {
        match self.spare_capacity() {
            Some(_) => self.arrival_rate * self.wait_mean(),
            None => self.wait_mean(),
        }
    }

    /// Mean time in system `W = Wq + 1/μ`; infinite when unstable.
    pub fn sojourn_mean(&self) -> f64 {
        self.wait_mean() + 1.0 / self.service_rate
    }

    /// Mean number in system `L = λ W = Lq + a` (Little's law); infinite when
    /// unstable.
    pub fn in_system_mean(&self) -> f64 {
        match self.spare_capacity() {
            Some(_) => self.arrival_rate * self.sojourn_mean(),
            None => self.wait_mean(),
        }
    }
}

/// Erlang-C inverse (capacity planning): the fewest servers `c` for which
/// `meets(&Mmc { arrival_rate, service_rate, servers: c })` holds, searching
/// upward from `max(ceil(λ/μ), 1)` (fewer servers are unstable and taken not
/// to meet any target) up to and including `max_servers`. `None` if no count
/// up to `max_servers` meets the target, or if `λ/μ` is not a finite number
/// `>= 0`. The predicate is assumed monotone in practice (targets such as
/// "80% answered within 20 s"); the first count that meets it is returned.
/// Cost O(n²) Erlang recursions for n counts tried, when `meets` evaluates
/// Erlang C.
pub fn fewest_servers(
    arrival_rate: f64,
    service_rate: f64,
    max_servers: u32,
    meets: impl Fn(&Mmc) -> bool,
) -> Option<u32> {
    let offered_load = arrival_rate / service_rate;
    if !(offered_load.is_finite() && offered_load >= 0.0) {
        return None;
    }
    let start = offered_load.ceil().max(1.0);
    if start > f64::from(max_servers) {
        return None;
    }
    // In range [1, max_servers] by the checks above, so the cast is exact.
    let start = start as u32;
    (start..=max_servers).find(|&servers| {
        meets(&Mmc {
            arrival_rate,
            service_rate,
            servers,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn erlang_b_matches_published_tables() {
        // Erlang B tables (6 decimals).
        assert_abs(erlang_b(10, 5.0), 0.018385, TABLE_6DP);
        assert_abs(erlang_b(5, 2.0), 0.036697, TABLE_6DP);
        // Large cases, against the defining sum (a^c/c!) / Σ a^i/i! evaluated
        // with 40-digit arithmetic (mpmath): B(100, 90) = 0.0269573804643592,
        // B(1000, 950) = 0.00364929368894241. The recursion is stable, so
        // only accumulated rounding (~c ulps) separates them.
        assert_rel(erlang_b(100, 90.0), 0.026_957_380_464_359_2, 1e-12);
        assert_rel(erlang_b(1000, 950.0), 0.003_649_293_688_942_41, 1e-11);
    }

    #[test]
    fn erlang_b_edge_cases() {
        assert_eq!(erlang_b(0, 3.0), 1.0);
        assert_eq!(erlang_b(4, 0.0), 0.0);
        assert_eq!(erlang_b(4, f64::INFINITY), 1.0);
        assert!(erlang_b(4, f64::NAN).is_nan());
        // One server: B = a/(1+a) exactly.
        assert_rel(erlang_b(1, 3.0), 0.75, FP);
        // The complement is computed separately: check it sums to 1.
        let (b, not_b) = erlang_b_with_complement(37, 41.5);
        assert_abs(b + not_b, 1.0, FP);
    }

    #[test]
    fn erlang_c_known_values() {
        // c = 10, a = 9: C = 0.668732 (tables, 6 decimals; 40-digit value
        // 0.66873152410770), and with μ = 1, Wq = C/(cμ - λ) = C/1.
        assert_abs(erlang_c(10, 9.0), 0.668732, TABLE_6DP);
        let q = mmc(9.0, 1.0, 10);
        assert_abs(q.wait_mean(), 0.668732, TABLE_6DP);
        assert_rel(q.p_wait(), 0.668_731_524_107_697, FP);
        // Textbook M/M/2 with a = 1: C = 2·(1/5)/(2 - 1·(4/5)) = 1/3.
        assert_rel(erlang_c(2, 1.0), 1.0 / 3.0, FP);
        // No steady state: everyone waits.
        assert_eq!(erlang_c(10, 10.0), 1.0);
        assert_eq!(erlang_c(10, 12.5), 1.0);
        assert_eq!(erlang_c(0, 0.0), 1.0);
        assert_eq!(erlang_c(3, 0.0), 0.0);
    }

    #[test]
    fn mm1_special_case() {
        // c = 1: C = ρ, Wq = ρ/(μ - λ), Lq = ρ²/(1-ρ), L = ρ/(1-ρ).
        let (lambda, mu) = (0.6, 1.5);
        let rho = lambda / mu;
        let q = mmc(lambda, mu, 1);
        assert_rel(q.p_wait(), rho, FP);
        assert_rel(q.utilization(), rho, FP);
        assert_rel(q.wait_mean(), rho / (mu - lambda), FP);
        assert_rel(q.queue_len_mean(), rho * rho / (1.0 - rho), FP);
        assert_rel(q.sojourn_mean(), 1.0 / (mu - lambda), FP);
        assert_rel(q.in_system_mean(), rho / (1.0 - rho), FP);
        // Service level: 1 - ρ e^{-(μ-λ)t}.
        assert_rel(
            q.service_level(2.0),
            1.0 - rho * (-(mu - lambda) * 2.0).exp(),
            FP,
        );
        assert_eq!(q.service_level(-1.0), 0.0);
        assert_rel(q.service_level(0.0), 1.0 - rho, FP);
    }

    #[test]
    fn mmc_wait_quantile_inverts_service_level() {
        let q = mmc(9.0, 1.0, 10);
        let c = q.p_wait();
        // Below the atom at 0 the quantile is 0.
        assert_eq!(q.wait_quantile(0.2), 0.0);
        assert_eq!(q.wait_quantile(1.0 - c), 0.0);
        for p in [0.5, 0.8, 0.95, 0.999] {
            let t = q.wait_quantile(p);
            assert!(t > 0.0);
            assert_rel(q.service_level(t), p, FP);
        }
        assert_eq!(q.wait_quantile(1.0), f64::INFINITY);
        assert_eq!(q.wait_quantile(0.0), 0.0);
    }

    #[test]
    fn mmc_unstable_is_infinite() {
        for q in [mmc(10.0, 1.0, 10), mmc(12.0, 1.0, 10), mmc(1.0, 1.0, 0)] {
            assert_eq!(q.p_wait(), 1.0);
            assert_eq!(q.wait_mean(), f64::INFINITY);
            assert_eq!(q.queue_len_mean(), f64::INFINITY);
            assert_eq!(q.sojourn_mean(), f64::INFINITY);
            assert_eq!(q.in_system_mean(), f64::INFINITY);
            assert_eq!(q.service_level(5.0), 0.0);
            assert_eq!(q.wait_quantile(0.5), f64::INFINITY);
        }
        // No arrivals, no servers: still no steady state, but no NaN.
        assert_eq!(mmc(0.0, 1.0, 0).queue_len_mean(), f64::INFINITY);
    }

    #[test]
    fn mmc_little_and_empty_system() {
        let q = mmc(7.3, 0.9, 11);
        assert_rel(q.queue_len_mean(), q.arrival_rate * q.wait_mean(), FP);
        assert_rel(
            q.in_system_mean(),
            q.queue_len_mean() + q.offered_load(),
            FP,
        );
        let idle = mmc(0.0, 1.0, 3);
        assert_eq!(idle.p_wait(), 0.0);
        assert_eq!(idle.wait_mean(), 0.0);
        assert_eq!(idle.queue_len_mean(), 0.0);
        assert_eq!(idle.service_level(0.0), 1.0);
    }

    #[test]
    fn fewest_servers_call_centre_staffing() {
        // 100 calls per 30 minutes, 3-minute handling time: a = 10 Erlang.
        // Target 80% answered within 20 s (1/3 min). 40-digit values of
        // 1 - C e^{-(cμ-λ)t}: 13 agents 0.79559, 14 agents 0.88835, so the
        // answer is 14 (the classic result for this example).
        let (lambda, mu) = (100.0 / 30.0, 1.0 / 3.0);
        let target = |q: &Mmc| q.service_level(1.0 / 3.0) >= 0.8;
        assert_eq!(fewest_servers(lambda, mu, 100, target), Some(14));
        assert_abs(
            mmc(lambda, mu, 13).service_level(1.0 / 3.0),
            0.795595,
            TABLE_6DP,
        );
        assert_abs(
            mmc(lambda, mu, 14).service_level(1.0 / 3.0),
            0.888350,
            TABLE_6DP,
        );
        // Mean wait at most 30 s: Wq(12) = 0.674 min, Wq(13) = 0.285 min.
        assert_eq!(
            fewest_servers(lambda, mu, 100, |q| q.wait_mean() <= 0.5),
            Some(13)
        );
        // Cap too low.
        assert_eq!(fewest_servers(lambda, mu, 13, target), None);
        assert_eq!(fewest_servers(lambda, mu, 9, |_| true), None);
        // The search starts at ceil(a) or 1. (Here a = (100/30)/(1/3)
        // rounds to 10.000000000000002, so the search starts at 11; only the
        // unstable count 10 is skipped.)
        assert_eq!(fewest_servers(lambda, mu, 100, |_| true), Some(11));
        assert_eq!(fewest_servers(10.0, 1.0, 100, |_| true), Some(10));
        assert_eq!(fewest_servers(10.5, 1.0, 100, |_| true), Some(11));
        assert_eq!(fewest_servers(0.0, 1.0, 5, |_| true), Some(1));
        assert_eq!(fewest_servers(1.0, 0.0, 5, |_| true), None);
    }
}
