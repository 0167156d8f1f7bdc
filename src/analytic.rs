//! Closed-form queueing results; pure functions, depends on nothing else in the crate.
//!
//! Used by the integration tests that validate the simulator against theory,
//! and by capacity planning (the Erlang inverse, [`fewest_servers`]).
//!
//! Conventions:
//! - all times are in minutes and all rates are per minute;
//! - valid input means finite numbers with arrival rates `>= 0`, service
//!   rates `> 0` and abandonment rates `>= 0`; other input never panics but
//!   gives unspecified (typically NaN) results;
//! - where no steady state exists (offered load `>=` number of servers, with
//!   no blocking and no abandonment) means of waits and lengths are
//!   [`f64::INFINITY`] and probabilities of waiting are `1.0`.
//!
//! Notation: `λ` arrival rate, `μ` service rate per server, `c` servers,
//! `a = λ/μ` offered load in Erlang, `θ` abandonment rate (1 / mean patience).

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
fn erlang_b_with_complement(servers: u32, offered_load: f64) -> (f64, f64) {
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

/// M/G/1 mean wait in queue, Pollaczek–Khinchine (Pollaczek 1930,
/// Khinchine 1932; Kleinrock 1975, vol. 1): `Wq = λ E[S²] / (2(1-ρ))` with
/// `ρ = λ E[S]` and `E[S²] = mean² (1 + scv)` (`scv` = squared coefficient of
/// variation of the service time). Infinite when `ρ >= 1`.
pub fn pollaczek_khinchine_wait(arrival_rate: f64, service_mean: f64, service_scv: f64) -> f64 {
    let rho = arrival_rate * service_mean;
    if rho >= 1.0 {
        return f64::INFINITY;
    }
    let second_moment = service_mean * service_mean * (1.0 + service_scv);
    arrival_rate * second_moment / (2.0 * (1.0 - rho))
}

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

/// Non-preemptive priority M/M/c with a common exponential service rate
/// (Cobham 1954; multi-server form): mean wait in queue of class `k` (index
/// 0 = highest priority)
/// `W_k = C(c, a)/(cμ) / ((1 - σ_{k-1})(1 - σ_k))`,
/// `σ_k = Σ_{i<=k} λ_i/(cμ)`, `a = Σ λ_i / μ`.
///
/// A class with `σ_k >= 1` gets [`f64::INFINITY`]. Classes above it keep a
/// steady state even when the total load is `>= c`: the servers are then
/// always busy, `C = 1`, and the same formula holds. `servers == 0` gives
/// infinity for every class.
pub fn priority_nonpreemptive_mmc_waits(
    arrival_rates: &[f64],
    service_rate: f64,
    servers: u32,
) -> Vec<f64> {
    if servers == 0 {
        return vec![f64::INFINITY; arrival_rates.len()];
    }
    let capacity = f64::from(servers) * service_rate;
    let total: f64 = arrival_rates.iter().sum();
    let residual = erlang_c(servers, total / service_rate) / capacity;
    let mut sigma_before = 0.0;
    arrival_rates
        .iter()
        .map(|&rate| {
            let sigma = sigma_before + rate / capacity;
            let wait = if sigma >= 1.0 {
                f64::INFINITY
            } else {
                residual / ((1.0 - sigma_before) * (1.0 - sigma))
            };
            sigma_before = sigma;
            wait
        })
        .collect()
}

/// Non-preemptive priority M/G/1 with class-specific service (Cobham 1954;
/// Kleinrock 1976, vol. 2): mean wait in queue of class `k` (index 0 =
/// highest priority) `W_k = R / ((1 - σ_{k-1})(1 - σ_k))` with mean residual
/// work `R = Σ_i λ_i E[S_i²]/2` and `σ_k = Σ_{i<=k} λ_i E[S_i]`.
///
/// A class with `σ_k >= 1` gets [`f64::INFINITY`]. When the total load is
/// `>= 1` the classes above the first saturated class `j` keep a steady
/// state; the server is then always busy, `R` becomes
/// `Σ_{i<j} λ_i E[S_i²]/2 + (1 - σ_{j-1}) E[S_j²]/(2 E[S_j])` (class `j` gets
/// the leftover server time, lower classes none) and the same formula holds.
/// Slices of different lengths are invalid and give NaN for every class.
pub fn priority_nonpreemptive_mg1_waits(
    arrival_rates: &[f64],
    service_means: &[f64],
    service_second_moments: &[f64],
) -> Vec<f64> {
    let classes = arrival_rates.len();
    if service_means.len() != classes || service_second_moments.len() != classes {
        return vec![f64::NAN; classes];
    }
    let mut residual = 0.0;
    let mut sigma_before = 0.0;
    for ((&rate, &mean), &second) in arrival_rates
        .iter()
        .zip(service_means)
        .zip(service_second_moments)
    {
        let sigma = sigma_before + rate * mean;
        if sigma >= 1.0 {
            residual += (1.0 - sigma_before) * second / (2.0 * mean);
            break;
        }
        residual += rate * second / 2.0;
        sigma_before = sigma;
    }
    let mut sigma_before = 0.0;
    arrival_rates
        .iter()
        .zip(service_means)
        .map(|(&rate, &mean)| {
            let sigma = sigma_before + rate * mean;
            let wait = if sigma >= 1.0 {
                f64::INFINITY
            } else {
                residual / ((1.0 - sigma_before) * (1.0 - sigma))
            };
            sigma_before = sigma;
            wait
        })
        .collect()
}

/// Preemptive-resume priority M/G/1 (Kleinrock 1976, vol. 2): mean sojourn
/// (wait + service) of class `k` (index 0 = highest priority)
/// `T_k = E[S_k]/(1 - σ_{k-1}) + R_k / ((1 - σ_{k-1})(1 - σ_k))`,
/// `R_k = Σ_{i<=k} λ_i E[S_i²]/2`, `σ_k = Σ_{i<=k} λ_i E[S_i]`.
/// A class only sees the classes above it, so it is finite exactly when
/// `σ_k < 1` and [`f64::INFINITY`] otherwise. Slices of different lengths
/// are invalid and give NaN for every class.
pub fn priority_preemptive_mg1_sojourns(
    arrival_rates: &[f64],
    service_means: &[f64],
    service_second_moments: &[f64],
) -> Vec<f64> {
    let classes = arrival_rates.len();
    if service_means.len() != classes || service_second_moments.len() != classes {
        return vec![f64::NAN; classes];
    }
    let mut sigma_before = 0.0;
    let mut residual = 0.0;
    arrival_rates
        .iter()
        .zip(service_means)
        .zip(service_second_moments)
        .map(|((&rate, &mean), &second)| {
            let sigma = sigma_before + rate * mean;
            residual += rate * second / 2.0;
            let sojourn = if sigma >= 1.0 {
                f64::INFINITY
            } else {
                mean / (1.0 - sigma_before) + residual / ((1.0 - sigma_before) * (1.0 - sigma))
            };
            sigma_before = sigma;
            sojourn
        })
        .collect()
}

/// Preemptive-resume priority M/M/c with a common service rate (cf. Buzen &
/// Bondi 1983): classes `1..=k` together are unaffected by lower classes and
/// form an M/M/c queue with `Λ_k = λ_1 + .. + λ_k`, so the mean number of
/// class `k` in system is `L(Λ_k) - L(Λ_{k-1})` and its mean sojourn is that
/// divided by `λ_k` (Little's law). For `λ_k == 0` (or tiny next to `Λ_k`,
/// where the difference would cancel) the limit `dL/dΛ` is used, evaluated
/// exactly from `dB/da = B (c/a - 1 + B)`. A class with `Λ_k >= cμ` gets
/// [`f64::INFINITY`], as does every class when `servers == 0`.
pub fn priority_preemptive_mmc_sojourns(
    arrival_rates: &[f64],
    service_rate: f64,
    servers: u32,
) -> Vec<f64> {
    if servers == 0 {
        return vec![f64::INFINITY; arrival_rates.len()];
    }
    let c = f64::from(servers);
    let mut load_before = 0.0;
    arrival_rates
        .iter()
        .map(|&rate| {
            let delta = rate / service_rate;
            let load = load_before + delta;
            let sojourn = if load.is_nan() {
                f64::NAN
            } else if load >= c {
                f64::INFINITY
            } else if delta <= 1e-7 * load {
                mmc_in_system_derivative(servers, load_before + delta / 2.0) / service_rate
            } else {
                (mmc_in_system(servers, load) - mmc_in_system(servers, load_before))
                    / (delta * service_rate)
            };
            load_before = load;
            sojourn
        })
        .collect()
}

/// Mean number in an M/M/c system with offered load `a < c`:
/// `L(a) = a + a C(c, a)/(c - a)`.
fn mmc_in_system(servers: u32, offered_load: f64) -> f64 {
    let c = f64::from(servers);
    offered_load + offered_load * erlang_c(servers, offered_load) / (c - offered_load)
}

/// `dL/da` for [`mmc_in_system`], `0 <= a < c`, `servers >= 1`:
/// `1 + (C + a C')/(c - a) + a C/(c - a)²` with `C = cB/D`,
/// `D = c - a + aB`, `C' = c (B' D - B D')/D²`, `D' = aB' + B - 1`,
/// `B' = B (c/a - 1 + B)`.
fn mmc_in_system_derivative(servers: u32, offered_load: f64) -> f64 {
    let a = offered_load;
    if a <= 0.0 {
        // C(c, a) = O(a^c) with c >= 1, so both correction terms vanish.
        return 1.0;
    }
    let c = f64::from(servers);
    let (b, not_b) = erlang_b_with_complement(servers, a);
    let db = b * (c / a - not_b);
    let d = (c - a) + a * b;
    let dd = a * db - not_b;
    let erlang_c = c * b / d;
    let derlang_c = c * (db * d - b * dd) / (d * d);
    let spare = c - a;
    1.0 + (erlang_c + a * derlang_c) / spare + a * erlang_c / (spare * spare)
}

/// Jackson network traffic equations (Jackson 1957, 1963):
/// `λ_j = γ_j + Σ_i λ_i p_ij`, `routing[i][j] = p_ij`; rows may sum to less
/// than 1, the rest leaves the network. Solved by Gaussian elimination with
/// partial pivoting on `(I - Pᵀ) λ = γ`.
///
/// Returns `None` when the routing does not let every client leave
/// (spectral radius of `P` equal to 1: some set of stations routes all its
/// clients among itself, detected exactly on the routing graph; a row counts
/// as an exit only if `1 - Σ_j p_ij > 1e-9`, so that rounding in rows meant
/// to sum to 1 is not taken for an exit), when the system is numerically
/// singular, or on invalid input: a non-square routing matrix or one whose
/// size differs from `external_rates`, negative or non-finite entries, rows
/// summing to more than `1 + 1e-9`, negative or non-finite external rates.
/// Rounding residue below zero in the solution is clamped to 0.
pub fn jackson_arrival_rates(external_rates: &[f64], routing: &[Vec<f64>]) -> Option<Vec<f64>> {
    const ROW_TOLERANCE: f64 = 1e-9;
    let n = external_rates.len();
    let square = routing.len() == n && routing.iter().all(|row| row.len() == n);
    if !square || !external_rates.iter().all(|&g| g.is_finite() && g >= 0.0) {
        return None;
    }
    let mut exits = Vec::with_capacity(n);
    for row in routing {
        if !row.iter().all(|&p| p.is_finite() && p >= 0.0) {
            return None;
        }
        let sum: f64 = row.iter().sum();
        if sum > 1.0 + ROW_TOLERANCE {
            return None;
        }
        exits.push(1.0 - sum > ROW_TOLERANCE);
    }
    // Every station must reach an exit along positive routing probabilities;
    // otherwise P has spectral radius 1 and I - Pᵀ is singular.
    let mut can_leave = exits;
    let mut changed = true;
    while changed {
        changed = false;
        for (i, row) in routing.iter().enumerate() {
            if !can_leave[i] && row.iter().zip(&can_leave).any(|(&p, &ok)| p > 0.0 && ok) {
                can_leave[i] = true;
                changed = true;
            }
        }
    }
    if !can_leave.iter().all(|&ok| ok) {
        return None;
    }
    // Row j of (I - Pᵀ): δ_ij - p_ij over i.
    let mut matrix: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            routing
                .iter()
                .enumerate()
                .map(|(i, row)| if i == j { 1.0 - row[j] } else { -row[j] })
                .collect()
        })
        .collect();
    let mut rhs = external_rates.to_vec();
    for col in 0..n {
        let pivot_row =
            (col..n).max_by(|&x, &y| matrix[x][col].abs().total_cmp(&matrix[y][col].abs()))?;
        let pivot = matrix[pivot_row][col];
        if pivot == 0.0 || !pivot.is_finite() {
            return None;
        }
        matrix.swap(col, pivot_row);
        rhs.swap(col, pivot_row);
        let (done, rest) = matrix.split_at_mut(col + 1);
        let pivot_equation = &done[col];
        let (rhs_done, rhs_rest) = rhs.split_at_mut(col + 1);
        let pivot_rhs = rhs_done[col];
        for (row, value) in rest.iter_mut().zip(rhs_rest.iter_mut()) {
            let factor = row[col] / pivot;
            if factor != 0.0 {
                for (entry, &p) in row[col..].iter_mut().zip(&pivot_equation[col..]) {
                    *entry -= factor * p;
                }
                *value -= factor * pivot_rhs;
            }
        }
    }
    let mut rates = vec![0.0; n];
    for i in (0..n).rev() {
        let known: f64 = matrix[i][i + 1..]
            .iter()
            .zip(&rates[i + 1..])
            .map(|(&m, &x)| m * x)
            .sum();
        let rate = (rhs[i] - known) / matrix[i][i];
        if !rate.is_finite() {
            return None;
        }
        rates[i] = rate.max(0.0);
    }
    Some(rates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `|actual - expected| <= tol`.
    #[track_caller]
    fn assert_abs(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol,
            "actual {actual} vs expected {expected} (abs tol {tol})"
        );
    }

    /// `|actual - expected| <= tol * |expected|`.
    #[track_caller]
    fn assert_rel(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol * expected.abs(),
            "actual {actual} vs expected {expected} (rel tol {tol})"
        );
    }

    /// Floating-point tolerance for short closed-form computations: a few
    /// dozen roundings of relative size 1.1e-16 each.
    const FP: f64 = 1e-12;
    /// Published tables print 6 decimals: half a unit in the last place.
    const TABLE_6DP: f64 = 5e-7;

    fn mmc(arrival_rate: f64, service_rate: f64, servers: u32) -> Mmc {
        Mmc {
            arrival_rate,
            service_rate,
            servers,
        }
    }

    fn erlang_a(arrival_rate: f64, service_rate: f64, abandon_rate: f64, servers: u32) -> ErlangA {
        ErlangA {
            arrival_rate,
            service_rate,
            abandon_rate,
            servers,
        }
    }

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

    #[test]
    fn pollaczek_khinchine_special_cases() {
        let (lambda, mu) = (0.7, 1.0);
        let mm1 = mmc(lambda, mu, 1).wait_mean();
        assert_rel(pollaczek_khinchine_wait(lambda, 1.0 / mu, 1.0), mm1, FP);
        assert_rel(
            pollaczek_khinchine_wait(lambda, 1.0 / mu, 0.0),
            mm1 / 2.0,
            FP,
        );
        assert_eq!(pollaczek_khinchine_wait(1.0, 1.0, 1.0), f64::INFINITY);
        assert_eq!(pollaczek_khinchine_wait(0.0, 1.0, 1.0), 0.0);
    }

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

    #[test]
    fn cobham_single_class_is_erlang_c() {
        let waits = priority_nonpreemptive_mmc_waits(&[9.0], 1.0, 10);
        assert_rel(waits[0], mmc(9.0, 1.0, 10).wait_mean(), FP);
        let waits = priority_nonpreemptive_mg1_waits(&[0.7], &[1.0], &[2.0]);
        assert_rel(waits[0], mmc(0.7, 1.0, 1).wait_mean(), FP);
        assert!(priority_nonpreemptive_mmc_waits(&[], 1.0, 3).is_empty());
    }

    #[test]
    fn cobham_two_class_mm1_by_hand() {
        // λ = (0.3, 0.4), μ = 1: R = ρ/μ = 0.7, W_1 = 0.7/0.7 = 1,
        // W_2 = 0.7/(0.7·0.3) = 10/3.
        let mmc_waits = priority_nonpreemptive_mmc_waits(&[0.3, 0.4], 1.0, 1);
        let mg1_waits = priority_nonpreemptive_mg1_waits(&[0.3, 0.4], &[1.0, 1.0], &[2.0, 2.0]);
        for waits in [mmc_waits, mg1_waits] {
            assert_rel(waits[0], 1.0, FP);
            assert_rel(waits[1], 10.0 / 3.0, FP);
        }
    }

    #[test]
    fn nonpreemptive_conservation_law() {
        // Same service law for all classes and no preemption: the total
        // queue is that of FIFO, so Σ λ_k W_k = λ Wq(FIFO) (Kleinrock's
        // conservation law). Multi-server and M/G/1 with unequal service.
        let rates = [1.5, 3.0, 2.5, 1.2];
        let waits = priority_nonpreemptive_mmc_waits(&rates, 0.5, 20);
        let weighted: f64 = rates.iter().zip(&waits).map(|(l, w)| l * w).sum();
        let total: f64 = rates.iter().sum();
        assert_rel(weighted, total * mmc(total, 0.5, 20).wait_mean(), FP);
        // M/G/1: Σ ρ_k W_k = ρ R/(1-ρ).
        let (rates, means, seconds) = ([0.2, 0.1, 0.3], [1.0, 2.0, 0.5], [3.0, 8.0, 0.5]);
        let waits = priority_nonpreemptive_mg1_waits(&rates, &means, &seconds);
        let rho: f64 = rates.iter().zip(&means).map(|(l, m)| l * m).sum();
        let r: f64 = rates.iter().zip(&seconds).map(|(l, s)| l * s / 2.0).sum();
        let weighted: f64 = (0..3).map(|k| rates[k] * means[k] * waits[k]).sum();
        assert_rel(weighted, rho * r / (1.0 - rho), FP);
    }

    #[test]
    fn nonpreemptive_overload_keeps_upper_classes_finite() {
        // λ = (0.3, 0.9), μ = 1, one server: class 2 is saturated; class 1
        // sees an always-busy server: W_1 = (1/μ)/(1 - 0.3) = 1/0.7.
        let mmc_waits = priority_nonpreemptive_mmc_waits(&[0.3, 0.9, 0.1], 1.0, 1);
        let mg1_waits = priority_nonpreemptive_mg1_waits(&[0.3, 0.9, 0.1], &[1.0; 3], &[2.0; 3]);
        for waits in [mmc_waits, mg1_waits] {
            assert_rel(waits[0], 1.0 / 0.7, FP);
            assert_eq!(waits[1], f64::INFINITY);
            assert_eq!(waits[2], f64::INFINITY);
        }
        assert!(priority_nonpreemptive_mg1_waits(&[0.3], &[1.0, 1.0], &[2.0])[0].is_nan());
        assert_eq!(
            priority_nonpreemptive_mmc_waits(&[0.3], 1.0, 0),
            vec![f64::INFINITY]
        );
    }

    #[test]
    fn preemptive_mg1_top_class_is_mg1_alone() {
        let sojourns = priority_preemptive_mg1_sojourns(&[0.4, 0.3], &[1.5, 0.5], &[4.0, 0.3]);
        // Class 1 alone: E[S] + P-K wait with E[S²] = 4 ⇒ scv = 4/1.5² - 1.
        let scv = 4.0 / (1.5 * 1.5) - 1.0;
        assert_rel(
            sojourns[0],
            1.5 + pollaczek_khinchine_wait(0.4, 1.5, scv),
            FP,
        );
    }

    #[test]
    fn preemptive_two_class_mm1_by_hand() {
        // λ = (0.3, 0.4), μ = 1: class 1 is M/M/1 with λ = 0.3:
        // T_1 = 1/0.7 = 1.428571. Aggregate L(0.7) = 0.7/0.3, L(0.3) = 0.3/0.7,
        // so T_2 = (7/3 - 3/7)/0.4 = 100/21 = 4.761905.
        let expected = [1.0 / 0.7, 100.0 / 21.0];
        let mg1 = priority_preemptive_mg1_sojourns(&[0.3, 0.4], &[1.0, 1.0], &[2.0, 2.0]);
        let mmc1 = priority_preemptive_mmc_sojourns(&[0.3, 0.4], 1.0, 1);
        for sojourns in [mg1, mmc1] {
            assert_rel(sojourns[0], expected[0], FP);
            assert_rel(sojourns[1], expected[1], FP);
        }
        // Overloaded lower class only.
        let sojourns = priority_preemptive_mg1_sojourns(&[0.3, 0.9], &[1.0, 1.0], &[2.0, 2.0]);
        assert_rel(sojourns[0], 1.0 / 0.7, FP);
        assert_eq!(sojourns[1], f64::INFINITY);
    }

    #[test]
    fn preemptive_mmc_multi_server() {
        let rates = [2.0, 3.0, 1.5];
        let (mu, c) = (0.8, 10);
        let sojourns = priority_preemptive_mmc_sojourns(&rates, mu, c);
        // Top class alone is an M/M/c; all classes together have the FIFO
        // population (Little: Σ λ_k T_k = L(Λ)). The differences of L lose
        // a few digits, hence 1e-10.
        assert_rel(sojourns[0], mmc(2.0, mu, c).sojourn_mean(), 1e-10);
        let weighted: f64 = rates.iter().zip(&sojourns).map(|(l, t)| l * t).sum();
        assert_rel(weighted, mmc(6.5, mu, c).in_system_mean(), 1e-10);
        // Priority helps: sojourns increase down the classes.
        assert!(sojourns[0] < sojourns[1] && sojourns[1] < sojourns[2]);
        // Unstable from the class that saturates downward.
        let sojourns = priority_preemptive_mmc_sojourns(&[5.0, 4.0, 1.0], 1.0, 9);
        assert!(sojourns[0].is_finite());
        assert_eq!(sojourns[1], f64::INFINITY);
        assert_eq!(sojourns[2], f64::INFINITY);
        assert_eq!(
            priority_preemptive_mmc_sojourns(&[1.0], 1.0, 0),
            vec![f64::INFINITY]
        );
    }

    #[test]
    fn preemptive_mmc_zero_rate_class_is_the_limit() {
        // dL/da is exact; compare with a central difference of L, whose
        // error is O(h²) ≈ 1e-8 relative for h = 1e-4 plus rounding
        // 1e-16/h ≈ 1e-12, hence 1e-6.
        let (c, a) = (10_u32, 7.3);
        let h = 1e-4;
        let numeric = (mmc_in_system(c, a + h) - mmc_in_system(c, a - h)) / (2.0 * h);
        assert_rel(mmc_in_system_derivative(c, a), numeric, 1e-6);
        let sojourns = priority_preemptive_mmc_sojourns(&[7.3, 0.0, 1.0], 1.0, c);
        assert_rel(sojourns[1], numeric, 1e-6);
        // At zero load a hypothetical client is just served: 1/μ.
        let sojourns = priority_preemptive_mmc_sojourns(&[0.0, 0.0], 2.0, 3);
        assert_eq!(sojourns, vec![0.5, 0.5]);
        // Tiny class: the divided difference (or the derivative) stays close
        // to the limit.
        let tiny = priority_preemptive_mmc_sojourns(&[7.3, 1e-9, 1.0], 1.0, c);
        assert_rel(tiny[1], numeric, 1e-6);
    }

    #[test]
    fn jackson_tandem_and_feedback() {
        let tandem = vec![vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0], vec![0.0; 3]];
        let rates = jackson_arrival_rates(&[2.0, 0.0, 0.0], &tandem).unwrap();
        for rate in rates {
            assert_rel(rate, 2.0, FP);
        }
        // One station feeding back with probability p: λ = γ/(1-p).
        let rates = jackson_arrival_rates(&[1.2], &[vec![0.25]]).unwrap();
        assert_rel(rates[0], 1.2 / 0.75, FP);
        // Three stations with branching and feedback: check the residual of
        // the traffic equations.
        let routing = vec![
            vec![0.1, 0.5, 0.3],
            vec![0.2, 0.0, 0.6],
            vec![0.0, 0.3, 0.1],
        ];
        let external = [1.0, 0.5, 0.0];
        let rates = jackson_arrival_rates(&external, &routing).unwrap();
        for j in 0..3 {
            let inflow: f64 = (0..3).map(|i| rates[i] * routing[i][j]).sum();
            assert_rel(rates[j], external[j] + inflow, FP);
        }
        assert_eq!(jackson_arrival_rates(&[], &[]), Some(vec![]));
    }

    #[test]
    fn jackson_rejects_routing_without_exit() {
        // Two stations sending everything to each other.
        let cycle = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
        assert_eq!(jackson_arrival_rates(&[1.0, 0.0], &cycle), None);
        // Station 0 has an exit but stations 1 and 2 trap clients between
        // them (rows summing to 1 up to rounding: 0.1 + 0.2 + 0.7).
        let trap = vec![
            vec![0.0, 0.5, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![0.0, 0.1 + 0.2, 0.7],
        ];
        assert_eq!(jackson_arrival_rates(&[1.0, 0.0, 0.0], &trap), None);
        // Invalid input.
        assert_eq!(jackson_arrival_rates(&[1.0], &[vec![1.5]]), None);
        assert_eq!(jackson_arrival_rates(&[1.0], &[vec![-0.1]]), None);
        assert_eq!(jackson_arrival_rates(&[-1.0], &[vec![0.1]]), None);
        assert_eq!(jackson_arrival_rates(&[1.0, 1.0], &[vec![0.1]]), None);
    }
}
