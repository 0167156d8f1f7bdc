//! Erlang A (M/M/c+M): abandonment while waiting.

use super::erlang::{Mmc, erlang_b_with_complement};

/// M/M/c+M, Erlang A (Palm 1943; Garnett, Mandelbaum & Reiman 2002): each
/// waiting client abandons after an exponential patience with rate
/// `abandon_rate` (`θ` = 1 / mean patience); patience runs only while
/// waiting. Stable for any load when `θ > 0`; `θ == 0` is exactly Erlang C
/// ([`Mmc`], with its infinite values when unstable).
///
/// The stationary birth–death distribution is computed numerically:
/// `π_n ∝ a^n/n!` for `n <= c` (via Erlang B) and
/// `π_{c+k} = π_c Π_{j=1..k} λ/(cμ + jθ)`, summed with running ratios and
/// rescaling (no overflow for thousands of servers) until the geometric
/// bound on the remaining tail is below `1e-17` of the running totals. Cost
/// O(`servers`) plus the number of queue states holding the mass, which
/// grows like `(λ - cμ)/θ` when overloaded.
///
/// Waits of served and abandoning clients use PASTA and the tagged-client
/// chain: a client with `j` clients ahead leaves that state at rate
/// `r_j = cμ + (j+1)θ`, moving ahead with probability
/// `q_j = (cμ + jθ)/r_j` and abandoning otherwise.
#[derive(Clone, Copy, Debug)]
pub struct ErlangA {
    /// Poisson arrival rate `λ`, per minute.
    pub arrival_rate: f64,
    /// Exponential service rate `μ` of one server, per minute.
    pub service_rate: f64,
    /// Abandonment rate `θ` of a waiting client (1 / mean patience), per
    /// minute.
    pub abandon_rate: f64,
    /// Number of servers `c`.
    pub servers: u32,
}

/// Tagged-client chain after one more client ahead: probability of being
/// served (`S_j`), of abandoning (`1 - S_j`, kept separately for accuracy),
/// `E[W 1{served}]` (`M_j`) and `E[W 1{abandons}]` (`A_j`).
#[derive(Clone, Copy, Debug, PartialEq)]
struct TaggedChain {
    served: f64,
    abandoned: f64,
    served_wait: f64,
    abandoned_wait: f64,
}

impl TaggedChain {
    /// Chain with `-1` clients ahead, i.e. "already in service".
    const IN_SERVICE: Self = Self {
        served: 1.0,
        abandoned: 0.0,
        served_wait: 0.0,
        abandoned_wait: 0.0,
    };

    /// Values for `j` clients ahead from those for `j - 1`:
    /// `S_j = q_j S_{j-1}`, `M_j = q_j (S_{j-1}/r_j + M_{j-1})`,
    /// `A_j = θ/r_j² + q_j ((1 - S_{j-1})/r_j + A_{j-1})`.
    fn step(self, ahead: f64, service_capacity: f64, abandon_rate: f64) -> Self {
        let rate = service_capacity + (ahead + 1.0) * abandon_rate;
        let advance = (service_capacity + ahead * abandon_rate) / rate;
        let abandon_now = abandon_rate / rate;
        let stay = 1.0 / rate;
        Self {
            served: advance * self.served,
            abandoned: abandon_now + advance * self.abandoned,
            served_wait: advance * (self.served * stay + self.served_wait),
            abandoned_wait: abandon_now * stay
                + advance * (self.abandoned * stay + self.abandoned_wait),
        }
    }
}

/// Stationary summaries of an Erlang A queue.
struct ErlangASolution {
    /// `P(N >= c)`.
    p_wait: f64,
    /// `Lq`.
    queue_len: f64,
    /// `P(served)` from the chain.
    served: f64,
    /// `P(abandons)` from the chain.
    abandoned: f64,
    /// `E[W 1{served}]`.
    served_wait: f64,
    /// `E[W 1{abandons}]`.
    abandoned_wait: f64,
}

impl ErlangA {
    /// The same queue without abandonment.
    fn without_abandonment(&self) -> Mmc {
        Mmc {
            arrival_rate: self.arrival_rate,
            service_rate: self.service_rate,
            servers: self.servers,
        }
    }

    fn solve(&self) -> ErlangASolution {
        let (lambda, theta) = (self.arrival_rate, self.abandon_rate);
        let capacity = f64::from(self.servers) * self.service_rate;
        let valid = lambda.is_finite()
            && lambda >= 0.0
            && theta.is_finite()
            && theta > 0.0
            && capacity.is_finite()
            && capacity >= 0.0;
        if !valid {
            return ErlangASolution {
                p_wait: f64::NAN,
                queue_len: f64::NAN,
                served: f64::NAN,
                abandoned: f64::NAN,
                served_wait: f64::NAN,
                abandoned_wait: f64::NAN,
            };
        }
        let (b, not_b) = erlang_b_with_complement(self.servers, lambda / self.service_rate);
        const RESCALE: f64 = 1e250;
        const TAIL: f64 = 1e-17;
        // weight = π_{c+k}/π_c, divided by RESCALE^rescales.
        let mut weight = 1.0_f64;
        let mut rescales = 0_i32;
        let (mut mass, mut length) = (0.0, 0.0);
        let mut sums = TaggedChain {
            served: 0.0,
            abandoned: 0.0,
            served_wait: 0.0,
            abandoned_wait: 0.0,
        };
        let mut chain = TaggedChain::IN_SERVICE;
        let mut ahead = 0.0_f64;
        loop {
            chain = chain.step(ahead, capacity, theta);
            mass += weight;
            length += ahead * weight;
            sums.served += weight * chain.served;
            sums.abandoned += weight * chain.abandoned;
            sums.served_wait += weight * chain.served_wait;
            sums.abandoned_wait += weight * chain.abandoned_wait;
            // π_{c+k+1}/π_{c+k}; these ratios decrease in k, so once below 1
            // the tail after k is bounded by a geometric series.
            let ratio = lambda / (capacity + (ahead + 1.0) * theta);
            if ratio < 1.0 {
                let tail = weight * ratio / (1.0 - ratio);
                let tail_length = tail * (ahead + 1.0 / (1.0 - ratio));
                if tail <= TAIL * mass && tail_length <= TAIL * length {
                    break;
                }
            }
            weight *= ratio;
            ahead += 1.0;
            if weight > RESCALE {
                weight /= RESCALE;
                mass /= RESCALE;
                length /= RESCALE;
                sums.served /= RESCALE;
                sums.abandoned /= RESCALE;
                sums.served_wait /= RESCALE;
                sums.abandoned_wait /= RESCALE;
                rescales += 1;
            }
        }
        // Mass of the states below c, in the same (rescaled) units.
        let below = not_b * RESCALE.powi(-rescales);
        let total = below + b * mass;
        ErlangASolution {
            p_wait: b * mass / total,
            queue_len: b * length / total,
            served: (below + b * sums.served) / total,
            abandoned: b * sums.abandoned / total,
            served_wait: b * sums.served_wait / total,
            abandoned_wait: b * sums.abandoned_wait / total,
        }
    }

    /// Share of arrivals that abandon, `P_ab = θ Lq / λ` (rate balance);
    /// `0.0` when `θ == 0` or `λ == 0`.
    pub fn abandon_prob(&self) -> f64 {
        if self.abandon_rate == 0.0 || self.arrival_rate == 0.0 {
            return 0.0;
        }
        self.abandon_rate * self.solve().queue_len / self.arrival_rate
    }

    /// Probability that an arrival finds all servers busy,
    /// `Σ_{n>=c} π_n` (PASTA); Erlang C when `θ == 0`.
    pub fn p_wait(&self) -> f64 {
        if self.abandon_rate == 0.0 {
            return self.without_abandonment().p_wait();
        }
        self.solve().p_wait
    }

    /// Mean wait over all arrivals, abandoners counting their time until
    /// they left: `Lq / λ` (Little's law; by PASTA and the tagged chain when
    /// `λ == 0`). Erlang C's `Wq` when `θ == 0`.
    pub fn wait_mean(&self) -> f64 {
        if self.abandon_rate == 0.0 {
            return self.without_abandonment().wait_mean();
        }
        let s = self.solve();
        if self.arrival_rate > 0.0 {
            s.queue_len / self.arrival_rate
        } else {
            s.served_wait + s.abandoned_wait
        }
    }

    /// Mean wait of served arrivals, computed exactly (no approximation):
    /// `Σ_k π_{c+k} M_k / P(served)` with the
    /// tagged-chain recursion `M_k = q_k (S_{k-1}/r_k + M_{k-1})`,
    /// `S_k = q_k S_{k-1}`, `S_{-1} = 1`, `M_{-1} = 0`. `P(served)` is taken
    /// from the chain (`1 - P_ab`, without cancellation when almost everyone
    /// abandons). `0.0` when nobody is served (`servers == 0`); Erlang C's
    /// `Wq` when `θ == 0`.
    pub fn wait_served_mean(&self) -> f64 {
        if self.abandon_rate == 0.0 {
            return self.without_abandonment().wait_mean();
        }
        let s = self.solve();
        if s.served > 0.0 {
            s.served_wait / s.served
        } else {
            0.0
        }
    }

    /// Mean wait (time to abandonment) of abandoning arrivals:
    /// `Σ_k π_{c+k} A_k / P_ab` with the tagged-chain recursion
    /// `A_k = θ/r_k² + q_k ((1 - S_{k-1})/r_k + A_{k-1})`. `0.0` when nobody
    /// abandons (`θ == 0`, `λ == 0`, or `P_ab` below the smallest `f64`).
    pub fn wait_abandoned_mean(&self) -> f64 {
        if self.abandon_rate == 0.0 {
            return 0.0;
        }
        let s = self.solve();
        if s.abandoned > 0.0 {
            s.abandoned_wait / s.abandoned
        } else {
            0.0
        }
    }

    /// Mean number waiting `Lq = Σ_k k π_{c+k}`; Erlang C's `Lq` when
    /// `θ == 0`.
    pub fn queue_len_mean(&self) -> f64 {
        if self.abandon_rate == 0.0 {
            return self.without_abandonment().queue_len_mean();
        }
        self.solve().queue_len
    }

    /// Carried utilization per server `λ (1 - P_ab) / (cμ)`; `0.0` with no
    /// servers; `a/c` when `θ == 0` (above 1 when unstable, as
    /// [`Mmc::utilization`]).
    pub fn utilization(&self) -> f64 {
        if self.servers == 0 {
            return 0.0;
        }
        if self.abandon_rate == 0.0 {
            return self.without_abandonment().utilization();
        }
        let served = self.solve().served;
        self.arrival_rate * served / (f64::from(self.servers) * self.service_rate)
    }
}

impl ErlangA {
    /// Service level `P(service starts within threshold)` over all arrivals,
    /// abandoners counting as failures (the summary's `service_level`);
    /// [`Mmc::service_level`] when `θ == 0`. An arrival finding `k` clients
    /// waiting moves through the tagged-client chain (rates
    /// `r_j = cμ + (j+1)θ`, ahead with `cμ + jθ`, abandoning with `θ`); the
    /// chain's state at `threshold` is computed exactly by uniformization
    /// (Poisson-weighted powers of the jump chain, truncated when the
    /// Poisson tail is below `1e-13`). Cost O(states × jumps) with
    /// `jumps ≈ (cμ + Kθ)·threshold` for `K` queue states holding the mass.
    pub fn service_level(&self, threshold: f64) -> f64 {
        if self.abandon_rate == 0.0 {
            return self.without_abandonment().service_level(threshold);
        }
        let (lambda, theta) = (self.arrival_rate, self.abandon_rate);
        let capacity = f64::from(self.servers) * self.service_rate;
        if !(lambda.is_finite() && lambda >= 0.0 && theta.is_finite() && theta > 0.0)
            || threshold.is_nan()
        {
            return f64::NAN;
        }
        if threshold < 0.0 {
            return 0.0;
        }
        // Stationary mass of "k waiting ahead" relative to π_c, truncated
        // as in `solve`.
        let (b, not_b) = erlang_b_with_complement(self.servers, lambda / self.service_rate);
        let mut weights = vec![1.0_f64];
        let mut mass = 1.0;
        loop {
            let k = weights.len() as f64;
            let ratio = lambda / (capacity + k * theta);
            let next = weights[weights.len() - 1] * ratio;
            if ratio < 1.0 && next / (1.0 - ratio) <= 1e-16 * mass || weights.len() > 1_000_000 {
                break;
            }
            weights.push(next);
            mass += next;
        }
        let total = not_b + b * mass;
        let immediate = not_b / total;
        let mut state: Vec<f64> = weights.iter().map(|w| b * w / total).collect();
        if threshold == 0.0 || capacity == 0.0 {
            return immediate;
        }
        // Uniformization with rate Λ = the largest exit rate.
        let uniform = capacity + state.len() as f64 * theta;
        let mean_jumps = uniform * threshold;
        let (mut served, mut level) = (0.0, 0.0);
        let mut log_weight = -mean_jumps; // ln Poisson(0; Λt)
        let mut cumulative = 0.0;
        let mut n = 0.0_f64;
        loop {
            let weight = log_weight.exp();
            cumulative += weight;
            level += weight * served;
            if (n > mean_jumps && 1.0 - cumulative < 1e-13) || n > mean_jumps + 1e7 {
                // The rest of the Poisson mass sees at most P(served).
                break;
            }
            // One jump: j ahead moves to j - 1 (service if j == 0).
            served += state[0] * capacity / uniform;
            for j in 0..state.len() {
                let stay = 1.0 - (capacity + (j as f64 + 1.0) * theta) / uniform;
                let from_above = state
                    .get(j + 1)
                    .map_or(0.0, |p| p * (capacity + (j as f64 + 1.0) * theta) / uniform);
                state[j] = state[j] * stay + from_above;
            }
            n += 1.0;
            log_weight += mean_jumps.ln() - n.ln();
        }
        immediate + level
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn erlang_a_without_abandonment_is_erlang_c() {
        let base = mmc(9.0, 1.0, 10);
        let exact = erlang_a(9.0, 1.0, 0.0, 10);
        assert_eq!(exact.p_wait(), base.p_wait());
        assert_eq!(exact.wait_mean(), base.wait_mean());
        assert_eq!(exact.wait_served_mean(), base.wait_mean());
        assert_eq!(exact.queue_len_mean(), base.queue_len_mean());
        assert_eq!(exact.abandon_prob(), 0.0);
        assert_eq!(exact.wait_abandoned_mean(), 0.0);
        assert_eq!(exact.utilization(), 0.9);
        assert_eq!(erlang_a(10.0, 1.0, 0.0, 10).wait_mean(), f64::INFINITY);
        // θ → 0: the first-order change in Wq is about θ E[W²]/E[W] =
        // θ·2/(cμ - λ) = 2e-9 relative here, so 1e-7 is ample.
        let nearly = erlang_a(9.0, 1.0, 1e-9, 10);
        assert_rel(nearly.p_wait(), base.p_wait(), 1e-7);
        assert_rel(nearly.wait_mean(), base.wait_mean(), 1e-7);
        assert_rel(nearly.wait_served_mean(), base.wait_mean(), 1e-7);
        assert_rel(nearly.queue_len_mean(), base.queue_len_mean(), 1e-7);
        assert!(nearly.abandon_prob() < 1e-8);
    }

    #[test]
    fn erlang_a_service_level_limits_and_ode() {
        let q = erlang_a(8.0, 1.0, 0.2, 8);
        // Threshold 0: exactly those who need not wait.
        assert_rel(q.service_level(0.0), 1.0 - q.p_wait(), 1e-12);
        // A threshold far beyond any wait: everyone who is served.
        assert_rel(q.service_level(500.0), 1.0 - q.abandon_prob(), 1e-9);
        // θ → 0 is Erlang C's 1 - C e^{-(cμ-λ)t}.
        let c = mmc(9.0, 1.0, 10);
        assert_rel(
            erlang_a(9.0, 1.0, 1e-9, 10).service_level(0.5),
            c.service_level(0.5),
            1e-7,
        );
        // An independent method: the tagged client's chain integrated as an
        // ODE by classical RK4 (h = 1e-3, error O(h⁴) far below 1e-8).
        let (lambda, mu, theta, servers, t): (f64, f64, f64, u32, f64) = (8.0, 1.0, 0.2, 8, 0.75);
        let cap = f64::from(servers) * mu;
        let (b, not_b) = erlang_b_with_complement(servers, lambda / mu);
        let mut w = vec![1.0_f64];
        for k in 1..400 {
            let next = w[k - 1] * lambda / (cap + k as f64 * theta);
            w.push(next);
        }
        let total = not_b + b * w.iter().sum::<f64>();
        let mut p: Vec<f64> = w.iter().map(|x| b * x / total).collect();
        let mut served = not_b / total;
        let deriv = |p: &[f64]| -> (Vec<f64>, f64) {
            let d = (0..p.len())
                .map(|j| {
                    let up = p
                        .get(j + 1)
                        .map_or(0.0, |x| x * (cap + (j as f64 + 1.0) * theta));
                    up - p[j] * (cap + (j as f64 + 1.0) * theta)
                })
                .collect();
            (d, cap * p[0])
        };
        let h: f64 = 1e-3;
        for _ in 0..(t / h).round() as usize {
            let add = |p: &[f64], d: &[f64], f: f64| -> Vec<f64> {
                p.iter().zip(d).map(|(a, b)| a + f * b).collect()
            };
            let (k1, s1) = deriv(&p);
            let (k2, s2) = deriv(&add(&p, &k1, h / 2.0));
            let (k3, s3) = deriv(&add(&p, &k2, h / 2.0));
            let (k4, s4) = deriv(&add(&p, &k3, h));
            for j in 0..p.len() {
                p[j] += h / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
            }
            served += h / 6.0 * (s1 + 2.0 * s2 + 2.0 * s3 + s4);
        }
        assert_rel(
            erlang_a(lambda, mu, theta, servers).service_level(t),
            served,
            1e-8,
        );
        // More servers never lower it.
        assert!(erlang_a(8.0, 1.0, 0.2, 9).service_level(t) > served);
    }

    #[test]
    fn erlang_a_peer_benchmark() {
        // M/M/8+M, λ = 8, μ = 1, θ = 0.2: abandonment 0.0868 (peer benchmark,
        // 3 decimals, hence 5e-4).
        let q = erlang_a(8.0, 1.0, 0.2, 8);
        assert_abs(q.abandon_prob(), 0.0868, 5e-4);
        // Independent 40-digit evaluation (mpmath; 4000 states, served waits
        // from the closed forms S_k = cμ/(cμ+(k+1)θ) and
        // M_k = S_k Σ_{j<=k} 1/r_j rather than the recursion). The sums run
        // over a few hundred terms, hence 1e-10 relative.
        assert_rel(q.abandon_prob(), 0.086_788_411_719_123_23, 1e-10);
        assert_rel(q.p_wait(), 0.718_370_041_313_885_5, 1e-10);
        assert_rel(q.queue_len_mean(), 3.471_536_468_764_929, 1e-10);
        assert_rel(q.wait_mean(), 0.433_942_058_595_616_1, 1e-10);
        assert_rel(q.wait_served_mean(), 0.428_206_942_236_142_6, 1e-10);
        assert_rel(q.wait_abandoned_mean(), 0.494_288_533_613_045_4, 1e-10);
        assert_rel(q.utilization(), 1.0 - 0.086_788_411_719_123_23, 1e-10);
    }

    #[test]
    fn erlang_a_tagged_chain_closed_forms() {
        // Telescoping: S_k = cμ/(cμ+(k+1)θ); given service, the stage times
        // are still Exp(r_j), so M_k = S_k Σ_{j<=k} 1/r_j; S + (1-S) = 1 and
        // M + A = E[W] = Σ_{j<=k} Π_{i>j} q_i / r_j.
        let (capacity, theta) = (7.5, 0.35);
        let mut chain = TaggedChain::IN_SERVICE;
        let mut stage_sum = 0.0;
        for k in 0..200 {
            let ahead = f64::from(k);
            chain = chain.step(ahead, capacity, theta);
            let rate = capacity + (ahead + 1.0) * theta;
            stage_sum += 1.0 / rate;
            let served = capacity / rate;
            assert_rel(chain.served, served, FP);
            assert_rel(chain.served + chain.abandoned, 1.0, FP);
            assert_rel(chain.served_wait, served * stage_sum, FP);
        }
    }

    #[test]
    fn erlang_a_rate_balance_and_total_expectation() {
        // Two exact routes to the same quantities: abandonment by rate
        // balance θ Lq/λ vs. PASTA + tagged chain, and E[W] = Lq/λ vs.
        // P(served) E[W|served] + P_ab E[W|ab]. Agreement to floating point.
        for q in [
            erlang_a(8.0, 1.0, 0.2, 8),
            erlang_a(9.0, 1.0, 0.5, 10),
            erlang_a(30.0, 0.5, 2.0, 40),
            erlang_a(3.0, 1.0, 0.01, 2),
            erlang_a(2.0, 1.0, 1.0, 0),
        ] {
            let s = q.solve();
            let p_ab = q.abandon_prob();
            assert_rel(p_ab, s.abandoned, 1e-11);
            assert_rel(1.0 - p_ab, s.served, 1e-11);
            let mixed = (1.0 - p_ab) * q.wait_served_mean() + p_ab * q.wait_abandoned_mean();
            assert_rel(q.wait_mean(), mixed, 1e-11);
        }
        // A second case against the independent 40-digit evaluation
        // described in `erlang_a_peer_benchmark`: M/M/10+M, λ = 9, θ = 0.5.
        let q = erlang_a(9.0, 1.0, 0.5, 10);
        assert_rel(q.abandon_prob(), 0.067_011_715_473_448_1, 1e-10);
        assert_rel(q.wait_served_mean(), 0.125_910_485_509_270_8, 1e-10);
        assert_rel(q.wait_abandoned_mean(), 0.246_978_053_774_106_7, 1e-10);
    }

    #[test]
    fn erlang_a_with_patience_equal_to_service_is_poisson() {
        // θ = μ: every client leaves at rate μ in every state, so N is the
        // M/M/∞ population, Poisson(a). P(wait) = P(N >= c),
        // Lq = E[(N - c)+].
        let (a, c) = (6.5_f64, 5_u32);
        let q = erlang_a(a, 1.0, 1.0, c);
        let mut pmf = (-a).exp();
        let (mut below, mut excess) = (0.0, 0.0);
        for n in 0..200 {
            if n < c {
                below += pmf;
            } else {
                excess += f64::from(n - c) * pmf;
            }
            pmf *= a / f64::from(n + 1);
        }
        assert_rel(q.p_wait(), 1.0 - below, FP);
        assert_rel(q.queue_len_mean(), excess, FP);
    }

    #[test]
    fn erlang_a_overload_and_degenerate_inputs() {
        // 1000 servers offered 1200 Erlang: a^c/c! alone would overflow.
        // Servers are busy with probability 1 - 2e-17 (40-digit check),
        // so P_ab = 1 - cμ/λ = 1/6 to floating-point accuracy.
        let q = erlang_a(1200.0, 1.0, 0.5, 1000);
        assert_rel(q.abandon_prob(), 1.0 / 6.0, 1e-9);
        assert_rel(q.p_wait(), 1.0, 1e-9);
        assert_rel(q.queue_len_mean(), 1200.0 / 6.0 / 0.5, 1e-9);
        assert_rel(q.utilization(), 1.0, 1e-9);
        // No servers: everyone abandons, each at its own rate θ whatever
        // the queue ahead, so the wait is Exp(θ) with mean 1/θ = 2.
        let none = erlang_a(2.0, 1.0, 0.5, 0);
        assert_rel(none.abandon_prob(), 1.0, FP);
        assert_rel(none.wait_abandoned_mean(), 2.0, FP);
        assert_eq!(none.wait_served_mean(), 0.0);
        assert_eq!(none.utilization(), 0.0);
        // No arrivals: nobody waits.
        let idle = erlang_a(0.0, 1.0, 0.5, 3);
        assert_eq!(idle.abandon_prob(), 0.0);
        assert_eq!(idle.p_wait(), 0.0);
        assert_eq!(idle.wait_mean(), 0.0);
        assert_eq!(idle.wait_abandoned_mean(), 0.0);
        assert!(erlang_a(f64::NAN, 1.0, 0.5, 3).p_wait().is_nan());
    }
}
