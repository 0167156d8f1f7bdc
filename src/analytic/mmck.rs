//! The M/M/c/K queue: finite waiting room, blocking.

use super::erlang::erlang_b_with_complement;

/// M/M/c/K queue (Gross & Harris): `servers` servers and at most
/// `waiting_capacity` clients waiting, so at most
/// `K = servers + waiting_capacity` in the system; arrivals finding it full
/// are lost. Always stable. Computed from Erlang B and closed-form geometric
/// sums, so cost O(`servers`) whatever the waiting capacity, without
/// overflow. With `servers == 0` nothing is ever served: the system is full,
/// every arrival is blocked, the queue holds `waiting_capacity` clients and
/// waits are infinite.
#[derive(Clone, Copy, Debug)]
pub struct Mmck {
    /// Poisson arrival rate `λ`, per minute.
    pub arrival_rate: f64,
    /// Exponential service rate `μ` of one server, per minute.
    pub service_rate: f64,
    /// Number of servers `c`.
    pub servers: u32,
    /// Waiting places `K - c`.
    pub waiting_capacity: u32,
}

/// Stationary summaries of an M/M/c/K queue.
struct MmckSolution {
    /// `π_K`.
    blocking: f64,
    /// `P(c <= N < K)`: an admitted arrival waits.
    waiting: f64,
    /// `1 - π_K`, computed without cancellation.
    admitted: f64,
    /// `Lq`.
    queue_len: f64,
}

impl Mmck {
    /// Stationary solution. With `ρ = a/c`, `π_n` is proportional to the
    /// Erlang loss distribution for `n <= c` (mass `1 - B` below `c`, `B` at
    /// `c`) and `π_{c+k} = π_c ρ^k`. For `ρ > 1` every weight is divided by
    /// `ρ^w` so that only powers `<= 1` appear.
    fn solve(&self) -> MmckSolution {
        let w = f64::from(self.waiting_capacity);
        if self.servers == 0 {
            return MmckSolution {
                blocking: 1.0,
                waiting: 0.0,
                admitted: 0.0,
                queue_len: w,
            };
        }
        let a = self.arrival_rate / self.service_rate;
        let (b, not_b) = erlang_b_with_complement(self.servers, a);
        let rho = a / f64::from(self.servers);
        // Weights relative to π_c (ρ <= 1) or to π_K (ρ > 1):
        // all_queue = Σ_{k=0}^{w} weight(c+k), waiting = Σ_{k=0}^{w-1},
        // top = weight(K), below = weight of the states n < c (times 1/B),
        // mean_k = mean of k over the states c+k.
        let (all_queue, waiting, top, below, mean_k) = if rho <= 1.0 {
            let x = -rho.ln();
            (
                geometric_sum(x, w + 1.0),
                geometric_sum(x, w),
                rho.powf(w),
                not_b,
                truncated_geometric_mean(x, w + 1.0),
            )
        } else {
            let y = rho.ln();
            (
                geometric_sum(y, w + 1.0),
                (-y).exp() * geometric_sum(y, w),
                1.0,
                not_b * rho.powf(-w),
                w - truncated_geometric_mean(y, w + 1.0),
            )
        };
        let total = below + b * all_queue;
        MmckSolution {
            blocking: b * top / total,
            waiting: b * waiting / total,
            admitted: (below + b * waiting) / total,
            queue_len: b * all_queue / total * mean_k,
        }
    }

    /// Blocking probability: share of arrivals that find the system full,
    /// `π_K` (PASTA).
    pub fn blocking(&self) -> f64 {
        self.solve().blocking
    }

    /// Share of admitted arrivals that wait,
    /// `Σ_{n=c}^{K-1} π_n / (1 - π_K)`; `0.0` without waiting room, `1.0`
    /// with no servers.
    pub fn p_wait(&self) -> f64 {
        let s = self.solve();
        if s.admitted == 0.0 {
            1.0
        } else {
            s.waiting / s.admitted
        }
    }

    /// Mean wait of admitted arrivals, `Lq / (λ (1 - π_K))` (Little's law).
    pub fn wait_mean(&self) -> f64 {
        let s = self.solve();
        if s.admitted == 0.0 {
            f64::INFINITY
        } else if self.arrival_rate == 0.0 {
            0.0
        } else {
            s.queue_len / (self.arrival_rate * s.admitted)
        }
    }

    /// Time-average number waiting `Lq = Σ_{k=1}^{w} k π_{c+k}`.
    pub fn queue_len_mean(&self) -> f64 {
        self.solve().queue_len
    }

    /// Time-average number in system `L = Lq + λ(1 - π_K)/μ` (mean busy
    /// servers by Little's law).
    pub fn in_system_mean(&self) -> f64 {
        let s = self.solve();
        s.queue_len + self.arrival_rate * s.admitted / self.service_rate
    }

    /// Carried utilization per server `λ (1 - π_K) / (cμ)`; `0.0` with no
    /// servers.
    pub fn utilization(&self) -> f64 {
        if self.servers == 0 {
            return 0.0;
        }
        let s = self.solve();
        self.arrival_rate * s.admitted / (f64::from(self.servers) * self.service_rate)
    }

    /// Mean time in system of admitted arrivals `Wq + 1/μ`.
    pub fn sojourn_mean(&self) -> f64 {
        self.wait_mean() + 1.0 / self.service_rate
    }
}

/// `Σ_{k=0}^{terms-1} e^{-kx}` for `x >= 0` (`x` may be infinite), accurate
/// for `x` near 0 thanks to `expm1`.
fn geometric_sum(x: f64, terms: f64) -> f64 {
    if terms <= 0.0 {
        0.0
    } else if x == 0.0 {
        terms
    } else {
        (-x * terms).exp_m1() / (-x).exp_m1()
    }
}

/// Mean of `k` under weights `e^{-kx}` on `k = 0..terms` (exclusive), for
/// `x >= 0`: `f(x) - N f(Nx)` with `f(y) = 1/(e^y - 1)`, `N = terms`. When
/// `Nx < 1e-2` the two terms nearly cancel and the Bernoulli series
/// `(N-1)/2 - x(N²-1)/12 + x³(N⁴-1)/720` is used instead (next term
/// `x⁵(N⁶-1)/30240`, relative size < 1e-14 there).
fn truncated_geometric_mean(x: f64, terms: f64) -> f64 {
    let n = terms;
    if n * x < 1e-2 {
        let n2 = n * n;
        (n - 1.0) / 2.0 - x * (n2 - 1.0) / 12.0 + x * x * x * (n2 * n2 - 1.0) / 720.0
    } else {
        1.0 / x.exp_m1() - n / (n * x).exp_m1()
    }
}

#[cfg(test)]
mod tests {
    use super::super::erlang_b;
    use super::super::testing::*;
    use super::*;

    /// Direct evaluation of the M/M/c/K distribution (small K only).
    fn mmck_brute_force(q: &Mmck) -> Vec<f64> {
        let k = q.servers + q.waiting_capacity;
        let mut weights = vec![1.0_f64];
        for n in 1..=k {
            let departures = f64::from(n.min(q.servers)) * q.service_rate;
            let last = weights[weights.len() - 1];
            weights.push(last * q.arrival_rate / departures);
        }
        let total: f64 = weights.iter().sum();
        weights.iter().map(|w| w / total).collect()
    }

    fn mmck(arrival_rate: f64, service_rate: f64, servers: u32, waiting_capacity: u32) -> Mmck {
        Mmck {
            arrival_rate,
            service_rate,
            servers,
            waiting_capacity,
        }
    }

    #[test]
    fn mmck_without_waiting_room_is_erlang_b() {
        let q = mmck(8.0, 1.0, 10, 0);
        let b = erlang_b(10, 8.0);
        assert_rel(q.blocking(), b, FP);
        assert_eq!(q.p_wait(), 0.0);
        assert_eq!(q.queue_len_mean(), 0.0);
        assert_eq!(q.wait_mean(), 0.0);
        assert_rel(q.utilization(), 8.0 * (1.0 - b) / 10.0, FP);
        assert_rel(q.in_system_mean(), 8.0 * (1.0 - b), FP);
    }

    #[test]
    fn mmck_large_room_approaches_mmc() {
        // ρ = 0.9 and 2000 places: the truncated mass is about 0.9^2000 ≈
        // 1e-92, so only floating-point error remains.
        let q = mmck(9.0, 1.0, 10, 2000);
        let inf = mmc(9.0, 1.0, 10);
        assert!(q.blocking() < 1e-80);
        assert_rel(q.p_wait(), inf.p_wait(), FP);
        assert_rel(q.wait_mean(), inf.wait_mean(), FP);
        assert_rel(q.queue_len_mean(), inf.queue_len_mean(), FP);
        assert_rel(q.in_system_mean(), inf.in_system_mean(), FP);
        assert_rel(q.sojourn_mean(), inf.sojourn_mean(), FP);
        assert_rel(q.utilization(), inf.utilization(), FP);
        // Even an unbounded-looking room costs nothing and does not overflow.
        let huge = mmck(9.0, 1.0, 10, u32::MAX);
        assert_rel(huge.wait_mean(), inf.wait_mean(), FP);
    }

    #[test]
    fn mm1k_closed_form() {
        // M/M/1/K: π_n = (1-ρ)ρ^n / (1-ρ^{K+1}) (uniform when ρ = 1).
        for rho in [0.3, 0.8, 1.0, 1.5, 4.0] {
            let k = 5;
            let q = mmck(rho, 1.0, 1, k - 1);
            let pi: Vec<f64> = if rho == 1.0 {
                vec![1.0 / f64::from(k + 1); (k + 1) as usize]
            } else {
                (0..=k)
                    .map(|n| (1.0 - rho) * rho.powi(n as i32) / (1.0 - rho.powi(k as i32 + 1)))
                    .collect()
            };
            let l: f64 = pi.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
            let lq = l - (1.0 - pi[0]);
            let blocking = pi[k as usize];
            assert_rel(q.blocking(), blocking, FP);
            assert_rel(q.in_system_mean(), l, FP);
            assert_rel(q.queue_len_mean(), lq, FP);
            assert_rel(q.p_wait(), (1.0 - pi[0] - blocking) / (1.0 - blocking), FP);
            assert_rel(q.wait_mean(), lq / (rho * (1.0 - blocking)), FP);
            assert_rel(q.utilization(), 1.0 - pi[0], FP);
        }
    }

    #[test]
    fn mmck_matches_brute_force() {
        // Multi-server, loads below, at, around (±1e-9, where the series for
        // the mean queue length takes over) and above one per server.
        for (lambda, servers, waiting) in [
            (2.0, 3, 7),
            (3.0, 3, 7),
            (3.0 * (1.0 + 1e-9), 3, 40),
            (3.0 * (1.0 - 1e-9), 3, 40),
            (5.0, 3, 7),
            (50.0, 3, 20),
            (0.0, 3, 4),
        ] {
            let q = mmck(lambda, 1.0, servers, waiting);
            let pi = mmck_brute_force(&q);
            let c = servers as usize;
            let blocking = pi[pi.len() - 1];
            let lq: f64 = pi[c..].iter().enumerate().map(|(k, p)| k as f64 * p).sum();
            let l: f64 = pi.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
            let waiting_mass: f64 = pi[c..pi.len() - 1].iter().sum();
            assert_abs(q.blocking(), blocking, FP);
            assert_abs(q.queue_len_mean(), lq, FP * (1.0 + lq));
            assert_abs(q.in_system_mean(), l, FP * (1.0 + l));
            assert_abs(q.p_wait(), waiting_mass / (1.0 - blocking), FP);
        }
    }

    #[test]
    fn mmck_extreme_inputs() {
        // ρ = 2 with an (effectively) infinite room: the M/M/1/K limit is
        // π_K → 1 - 1/ρ and the queue holds nearly all K places.
        let q = mmck(2.0, 1.0, 1, u32::MAX);
        assert_rel(q.blocking(), 0.5, FP);
        assert!(q.queue_len_mean().is_finite() && q.queue_len_mean() > 4e9);
        // No servers: everyone blocked, nothing served.
        let none = mmck(1.0, 1.0, 0, 3);
        assert_eq!(none.blocking(), 1.0);
        assert_eq!(none.p_wait(), 1.0);
        assert_eq!(none.wait_mean(), f64::INFINITY);
        assert_eq!(none.queue_len_mean(), 3.0);
        assert_eq!(none.utilization(), 0.0);
        // Thousands of servers: no overflow in a^c/c!.
        let big = mmck(950.0, 1.0, 1000, 50);
        assert!(big.blocking() > 0.0 && big.blocking() < 1e-3);
        assert!(big.wait_mean().is_finite());
    }

    #[test]
    fn truncated_geometric_mean_series_matches_direct_formula() {
        // At the switch N x = 1e-2 the direct formula is accurate to ~2e-14
        // relative and the series to ~7e-15, so they must agree to 1e-12.
        for n in [2.0, 10.0, 1e3, 1e6] {
            let x = 1e-2 / n;
            let series = truncated_geometric_mean(x * (1.0 - 1e-12), n);
            let direct = truncated_geometric_mean(x * (1.0 + 1e-12), n);
            assert_rel(series, direct, FP);
        }
        // x = 0: mean of 0..N-1; x = ∞: all weight on 0.
        assert_eq!(truncated_geometric_mean(0.0, 5.0), 2.0);
        assert_eq!(truncated_geometric_mean(f64::INFINITY, 5.0), 0.0);
        assert_eq!(geometric_sum(f64::INFINITY, 5.0), 1.0);
        assert_eq!(geometric_sum(0.3, 0.0), 0.0);
    }
}
