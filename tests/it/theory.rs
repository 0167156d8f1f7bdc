//! Queueing theory: the simulator against closed forms from `tiersim::analytic`.
//!
//! Every statistical check compares a mean over independent replications
//! with an exact stationary value through [`assert_agrees`]: `|z| <= 4`
//! against the replications' own standard error (a correct simulator fails
//! one check on a fixed seed about once in 16,000), and the run must be
//! precise enough (standard error at most a stated share of the value) for
//! a real bias of a few percent to be caught. The precision bounds are set
//! from what the runs achieve, with headroom; they are not tolerances.
//!
//! Runs start empty; each warm-up lasts many relaxation times of its queue,
//! so the initial-transient bias is far below the standard error. With at
//! least ten replications of tens of thousands of arrivals each, the
//! replication means are close to normal and the Student-t standard error
//! is meaningful. Scenario rates are per hour; the analytic formulas take
//! rates per minute (`/ 60`).

use tiersim::analytic::{
    ErlangA, Mmc, Mmck, erlang_b, jackson_arrival_rates, pollaczek_khinchine_wait,
    priority_nonpreemptive_mmc_waits, priority_preemptive_mg1_sojourns,
    priority_preemptive_mmc_sojourns,
};
use tiersim::engine::stats::{Estimate, t_quantile_975};
use tiersim::experiment::{self, ScenarioSummary};
use tiersim::model::{Model, ReplicationResult};

use crate::common::{assert_agrees, model};

/// Standard error of the mean across replications.
fn standard_error(e: Estimate) -> f64 {
    e.ci95 / t_quantile_975(e.n - 1)
}

/// [`assert_agrees`], printing the z-value first (visible with
/// `--nocapture`) so that near misses can be seen before they fail.
fn agrees(what: &str, e: Estimate, expected: f64, max_relative_se: f64) {
    let se = standard_error(e);
    eprintln!(
        "{what}: simulated {:.5} vs theory {expected:.5}: z = {:+.2}, se/theory = {:.4}",
        e.mean,
        (e.mean - expected) / se,
        se / expected.abs()
    );
    assert_agrees(what, e, expected, max_relative_se);
}

/// Like [`assert_agrees`] for an estimator with a known deterministic
/// error of at most `systematic` (a histogram's resolution):
/// `|mean - expected| <= 4 se + systematic`, and `se <= max_relative_se *
/// |expected|`.
fn agrees_within(what: &str, e: Estimate, expected: f64, max_relative_se: f64, systematic: f64) {
    assert!(e.n >= 2, "{what}: needs at least two replications");
    let se = standard_error(e);
    let excess = ((e.mean - expected).abs() - systematic).max(0.0);
    eprintln!(
        "{what}: simulated {:.5} vs theory {expected:.5} (± {systematic:.5} systematic): \
         z beyond systematic = {:.2}, se/theory = {:.4}",
        e.mean,
        excess / se,
        se / expected.abs()
    );
    assert!(
        excess <= 4.0 * se,
        "{what}: simulated {:.5} ± {:.5} (95% CI) vs theory {expected:.5} ± {systematic:.5}: \
         {:.2} standard errors beyond the systematic bound",
        e.mean,
        e.ci95,
        excess / se
    );
    assert!(
        se <= max_relative_se * expected.abs(),
        "{what}: standard error {se:.5} too wide to test against {expected:.5}"
    );
}

fn metric(found: Option<Estimate>, what: &str) -> Estimate {
    found.unwrap_or_else(|| panic!("no metric {what}"))
}

fn overall(s: &ScenarioSummary, name: &str) -> Estimate {
    metric(s.overall(name), name)
}

fn segment(s: &ScenarioSummary, seg: &str, name: &str) -> Estimate {
    metric(s.segment(seg, name), &format!("{seg}.{name}"))
}

fn tier(s: &ScenarioSummary, t: &str, name: &str) -> Estimate {
    metric(s.tier(t, name), &format!("{t}.{name}"))
}

/// The `[run]` table: `replications` runs of `horizon` minutes whose first
/// `warmup` minutes are not counted.
fn run_table(horizon: f64, warmup: f64, replications: u32, seed: u64, threshold: f64) -> String {
    format!(
        "[run]\nhorizon = {horizon:?}\nwarmup = {warmup:?}\nreplications = {replications}\n\
         seed = {seed}\nservice_level_threshold = {threshold:?}\n"
    )
}

/// An exponential distribution as a TOML inline table.
fn exponential(mean: f64) -> String {
    format!("{{ dist = \"exponential\", mean = {mean:?} }}")
}

/// One segment `clients` arriving at `per_minute` to one tier `desk` of
/// `servers` with service `service` (a TOML inline table); `segment_extra`
/// and `tier_extra` are more lines for the segment and the tier.
fn single_queue(
    run: &str,
    per_minute: f64,
    servers: u32,
    service: &str,
    segment_extra: &str,
    tier_extra: &str,
) -> Model {
    let per_hour = per_minute * 60.0;
    model(&format!(
        "name = \"theory\"\n{run}\n\
         [[segment]]\nname = \"clients\"\nrate_per_hour = {per_hour:?}\nentry = \"desk\"\n{segment_extra}\n\
         [[tier]]\nname = \"desk\"\nservers = {servers}\nservice = {service}\n{tier_extra}\n"
    ))
}

/// M/M/1 at ρ = 0.7 (Kleinrock 1975, vol. 1): `Wq = ρ/(μ-λ)`,
/// `W = 1/(μ-λ)`, `Lq = ρ²/(1-ρ)`, `L = ρ/(1-ρ)`, utilization `ρ`, and by
/// PASTA an arrival waits with probability `ρ`. Twenty replications of
/// 150,000 minutes (105,000 arrivals each) after a warm-up of 1,000
/// minutes, about 27 relaxation times `1/(μ(1-√ρ)²) ≈ 37` minutes:
/// standard errors about 0.6% of the waits and lengths and 0.1% of the
/// utilization.
#[test]
fn mm1_waits_lengths_and_utilization() {
    let (lambda, mu) = (0.7, 1.0);
    let m = single_queue(
        &run_table(151_000.0, 1_000.0, 20, 101, 1.0),
        lambda,
        1,
        &exponential(1.0 / mu),
        "",
        "",
    );
    let s = experiment::run(&m);
    let q = Mmc {
        arrival_rate: lambda,
        service_rate: mu,
        servers: 1,
    };
    agrees(
        "M/M/1 wait_mean",
        overall(&s, "wait_mean"),
        q.wait_mean(),
        0.01,
    );
    agrees(
        "M/M/1 sojourn_mean",
        overall(&s, "sojourn_mean"),
        q.sojourn_mean(),
        0.01,
    );
    agrees(
        "M/M/1 wait_p_positive",
        overall(&s, "wait_p_positive"),
        lambda / mu,
        0.005,
    );
    agrees(
        "M/M/1 queue_len_mean",
        tier(&s, "desk", "queue_len_mean"),
        q.queue_len_mean(),
        0.01,
    );
    agrees(
        "M/M/1 in_system_mean",
        tier(&s, "desk", "in_system_mean"),
        q.in_system_mean(),
        0.01,
    );
    agrees(
        "M/M/1 utilization",
        tier(&s, "desk", "utilization"),
        q.utilization(),
        0.0025,
    );
}

/// Checks an M/M/c run against Erlang C: probability of waiting `C(c, a)`,
/// `Wq = C/(cμ-λ)`, the service level `1 - C e^{-(cμ-λ)t}`, the 90th
/// percentile of the wait (its inverse), utilization `a/c` and
/// `Lq = λ Wq`. The percentile comes from a histogram with three
/// significant digits whose reported value is the top of its bucket: up to
/// 0.1% above the exact sample quantile, allowed on top of the standard
/// error.
fn check_erlang_c(label: &str, s: &ScenarioSummary, q: Mmc, threshold: f64, se_share: f64) {
    let what = |m: &str| format!("{label} {m}");
    agrees(
        &what("wait_p_positive"),
        overall(s, "wait_p_positive"),
        q.p_wait(),
        se_share / 2.0,
    );
    agrees(
        &what("wait_mean"),
        overall(s, "wait_mean"),
        q.wait_mean(),
        se_share,
    );
    agrees(
        &what("tier wait_mean"),
        tier(s, "desk", "wait_mean"),
        q.wait_mean(),
        se_share,
    );
    agrees(
        &what("service_level"),
        overall(s, "service_level"),
        q.service_level(threshold),
        se_share / 2.0,
    );
    let p90 = q.wait_quantile(0.9);
    agrees_within(
        &what("wait_p90"),
        overall(s, "wait_p90"),
        p90,
        se_share,
        1e-3 * p90,
    );
    agrees(
        &what("utilization"),
        tier(s, "desk", "utilization"),
        q.utilization(),
        se_share / 5.0,
    );
    agrees(
        &what("queue_len_mean"),
        tier(s, "desk", "queue_len_mean"),
        q.queue_len_mean(),
        se_share,
    );
}

/// M/M/c, Erlang C, the peers' benchmark case: ten servers, 540 clients an
/// hour, exponential service of mean 1 minute (load 0.9), service-level
/// threshold 20 seconds. Twenty replications of 40,000 minutes (360,000
/// arrivals each) after 500 minutes of warm-up (the queue relaxes within
/// tens of minutes at this size): standard errors about 1.1% of the mean
/// wait and the percentile, 0.3% of the probability of waiting.
#[test]
fn erlang_c_benchmark_case() {
    let (lambda, mu, c, threshold) = (9.0, 1.0, 10, 0.333);
    let m = single_queue(
        &run_table(40_500.0, 500.0, 20, 202, threshold),
        lambda,
        c,
        &exponential(1.0 / mu),
        "",
        "",
    );
    let s = experiment::run(&m);
    let q = Mmc {
        arrival_rate: lambda,
        service_rate: mu,
        servers: c,
    };
    check_erlang_c("M/M/10 a=9", &s, q, threshold, 0.015);
}

/// M/M/c, Erlang C, a lighter case where about a third of the clients
/// wait: five servers, mean service 2 minutes, 105 clients an hour (load
/// 3.5, utilization 0.7), threshold 1 minute. Twenty replications of
/// 100,000 minutes after 500 minutes of warm-up: standard errors about
/// 0.6% of the mean wait.
#[test]
fn erlang_c_light_case() {
    let (lambda, mu, c, threshold) = (1.75, 0.5, 5, 1.0);
    let m = single_queue(
        &run_table(100_500.0, 500.0, 20, 203, threshold),
        lambda,
        c,
        &exponential(1.0 / mu),
        "",
        "",
    );
    let s = experiment::run(&m);
    let q = Mmc {
        arrival_rate: lambda,
        service_rate: mu,
        servers: c,
    };
    check_erlang_c("M/M/5 a=3.5", &s, q, threshold, 0.01);
}

/// Checks an M/G/1 run against Pollaczek–Khinchine,
/// `Wq = λ E[S²]/(2(1-ρ))`, and the laws that hold for any service
/// distribution: `Lq = λ Wq` (Little), utilization `ρ`, and an arrival
/// waits with probability `ρ` (PASTA: the server is busy a share `ρ` of the
/// time).
fn check_mg1(label: &str, s: &ScenarioSummary, lambda: f64, mean: f64, scv: f64, se_share: f64) {
    let what = |m: &str| format!("{label} {m}");
    let wq = pollaczek_khinchine_wait(lambda, mean, scv);
    let rho = lambda * mean;
    agrees(&what("wait_mean"), overall(s, "wait_mean"), wq, se_share);
    agrees(
        &what("sojourn_mean"),
        overall(s, "sojourn_mean"),
        wq + mean,
        se_share,
    );
    agrees(
        &what("queue_len_mean"),
        tier(s, "desk", "queue_len_mean"),
        lambda * wq,
        se_share,
    );
    agrees(
        &what("utilization"),
        tier(s, "desk", "utilization"),
        rho,
        se_share / 5.0,
    );
    agrees(
        &what("wait_p_positive"),
        overall(s, "wait_p_positive"),
        rho,
        se_share / 2.0,
    );
}

/// M/D/1 at ρ = 0.7: Pollaczek–Khinchine with `scv = 0`,
/// `Wq = ρ E[S] / (2(1-ρ))`. Deterministic service mixes faster than
/// exponential; twenty replications of 80,000 minutes after 1,000 of
/// warm-up give standard errors about 0.4% of the wait.
#[test]
fn md1_pollaczek_khinchine() {
    let (lambda, mean) = (0.7, 1.0);
    let m = single_queue(
        &run_table(81_000.0, 1_000.0, 20, 301, 1.0),
        lambda,
        1,
        &format!("{{ dist = \"deterministic\", mean = {mean:?} }}"),
        "",
        "",
    );
    check_mg1("M/D/1", &experiment::run(&m), lambda, mean, 0.0, 0.01);
}

/// M/G/1 with lognormal service (mean 1, cv 0.6) at ρ = 0.7:
/// Pollaczek–Khinchine with `scv = 0.36`. Same run length as M/D/1;
/// standard errors about 0.5% of the wait.
#[test]
fn mg1_lognormal_pollaczek_khinchine() {
    let (lambda, mean, cv) = (0.7, 1.0, 0.6);
    let m = single_queue(
        &run_table(81_000.0, 1_000.0, 20, 302, 1.0),
        lambda,
        1,
        &format!("{{ dist = \"lognormal\", mean = {mean:?}, cv = {cv:?} }}"),
        "",
        "",
    );
    check_mg1(
        "M/G/1 lognormal cv 0.6",
        &experiment::run(&m),
        lambda,
        mean,
        cv * cv,
        0.01,
    );
}

/// M/G/1 with highly variable gamma service (mean 1, cv 2, shape 1/4) at
/// ρ = 0.5: Pollaczek–Khinchine with `scv = 4`, five times the M/D/1 wait
/// at the same load. The rare long services make the waits' variance large
/// (it grows with E[S³] and E[S⁴]), so the run is more than twice as long
/// as for the other M/G/1 cases for the same precision (standard errors
/// about 0.6% of the wait).
#[test]
fn mg1_gamma_pollaczek_khinchine() {
    let (lambda, mean, cv) = (0.5, 1.0, 2.0);
    let m = single_queue(
        &run_table(181_000.0, 1_000.0, 20, 303, 1.0),
        lambda,
        1,
        &format!("{{ dist = \"gamma\", mean = {mean:?}, cv = {cv:?} }}"),
        "",
        "",
    );
    check_mg1(
        "M/G/1 gamma cv 2",
        &experiment::run(&m),
        lambda,
        mean,
        cv * cv,
        0.01,
    );
}

/// M/M/c/K (Gross & Harris): three servers, four waiting places, offered
/// load 3 Erlang (180 clients an hour, mean service 1 minute). By PASTA an
/// arrival is blocked with probability `π_K`; admitted arrivals wait with
/// probability `Σ_{c<=n<K} π_n / (1-π_K)` and for `Lq / (λ(1-π_K))` on
/// average; utilization is the carried load `λ(1-π_K)/(cμ)`. The finite
/// queue makes the process mix fast: ten replications of 20,000 minutes
/// give standard errors well under 1%.
#[test]
fn mmck_blocking_waits_and_lengths() {
    let (lambda, mu, c, capacity) = (3.0, 1.0, 3, 4);
    let m = single_queue(
        &run_table(20_200.0, 200.0, 10, 401, 1.0),
        lambda,
        c,
        &exponential(1.0 / mu),
        "",
        &format!("queue_capacity = {capacity}"),
    );
    let s = experiment::run(&m);
    let q = Mmck {
        arrival_rate: lambda,
        service_rate: mu,
        servers: c,
        waiting_capacity: capacity,
    };
    agrees(
        "M/M/3/7 blocked_rate",
        overall(&s, "blocked_rate"),
        q.blocking(),
        0.01,
    );
    agrees(
        "M/M/3/7 tier blocked_rate",
        tier(&s, "desk", "blocked_rate"),
        q.blocking(),
        0.01,
    );
    agrees(
        "M/M/3/7 wait_mean (admitted)",
        overall(&s, "wait_mean"),
        q.wait_mean(),
        0.01,
    );
    agrees(
        "M/M/3/7 wait_p_positive (admitted)",
        overall(&s, "wait_p_positive"),
        q.p_wait(),
        0.01,
    );
    agrees(
        "M/M/3/7 queue_len_mean",
        tier(&s, "desk", "queue_len_mean"),
        q.queue_len_mean(),
        0.01,
    );
    agrees(
        "M/M/3/7 in_system_mean",
        tier(&s, "desk", "in_system_mean"),
        q.in_system_mean(),
        0.01,
    );
    agrees(
        "M/M/3/7 utilization",
        tier(&s, "desk", "utilization"),
        q.utilization(),
        0.005,
    );
}

/// Erlang B, the M/G/c/c loss system (`queue_capacity = 0`): five servers,
/// offered load 4 Erlang. Blocking is `B(c, a)` and utilization
/// `a(1-B)/c`, and both are insensitive to the service distribution beyond
/// its mean (Sevastyanov 1957): the same values hold for exponential,
/// deterministic and lognormal (cv 1.5) service of mean 1 minute. Loss
/// systems mix within a few service times; ten replications of 20,000
/// minutes per distribution give standard errors well under 1%.
#[test]
fn erlang_b_and_its_insensitivity() {
    let (lambda, mean, c) = (4.0, 1.0, 5);
    let b = erlang_b(c, lambda * mean);
    for (label, service, seed) in [
        ("exponential", exponential(mean), 501),
        (
            "deterministic",
            format!("{{ dist = \"deterministic\", mean = {mean:?} }}"),
            502,
        ),
        (
            "lognormal cv 1.5",
            format!("{{ dist = \"lognormal\", mean = {mean:?}, cv = 1.5 }}"),
            503,
        ),
    ] {
        let m = single_queue(
            &run_table(20_100.0, 100.0, 10, seed, 1.0),
            lambda,
            c,
            &service,
            "",
            "queue_capacity = 0",
        );
        let s = experiment::run(&m);
        agrees(
            &format!("Erlang B {label} blocked_rate"),
            overall(&s, "blocked_rate"),
            b,
            0.01,
        );
        agrees(
            &format!("Erlang B {label} utilization"),
            tier(&s, "desk", "utilization"),
            lambda * mean * (1.0 - b) / f64::from(c),
            0.005,
        );
        // No waiting room: an admitted client never waits.
        assert_eq!(overall(&s, "wait_mean").mean, 0.0, "Erlang B {label}");
    }
}

/// Checks an M/M/c+M run against Erlang A (Palm 1943; Garnett, Mandelbaum
/// & Reiman 2002): abandonment probability, mean wait of all clients
/// (abandoners until they leave) and of served clients, probability of
/// waiting `P(N >= c)` (PASTA), carried utilization and `Lq`.
fn check_erlang_a(label: &str, s: &ScenarioSummary, q: ErlangA, se_share: f64) {
    let what = |m: &str| format!("{label} {m}");
    agrees(
        &what("abandon_rate"),
        overall(s, "abandon_rate"),
        q.abandon_prob(),
        se_share,
    );
    agrees(
        &what("tier abandon_rate"),
        tier(s, "desk", "abandon_rate"),
        q.abandon_prob(),
        se_share,
    );
    agrees(
        &what("wait_mean"),
        overall(s, "wait_mean"),
        q.wait_mean(),
        se_share,
    );
    agrees(
        &what("wait_served_mean"),
        overall(s, "wait_served_mean"),
        q.wait_served_mean(),
        se_share,
    );
    agrees(
        &what("wait_p_positive"),
        overall(s, "wait_p_positive"),
        q.p_wait(),
        se_share / 2.0,
    );
    agrees(
        &what("utilization"),
        tier(s, "desk", "utilization"),
        q.utilization(),
        se_share / 5.0,
    );
    agrees(
        &what("queue_len_mean"),
        tier(s, "desk", "queue_len_mean"),
        q.queue_len_mean(),
        se_share,
    );
}

/// Erlang A, the peers' case: λ = 8 a minute onto eight servers with mean
/// service 1 minute (critically loaded) and exponential patience of mean 5
/// minutes (θ = 0.2). Abandonment keeps the queue stable and quick to
/// relax; twenty replications of 30,000 minutes give standard errors about
/// 0.4% of the abandonment probability and the waits.
#[test]
fn erlang_a_peer_case() {
    let (lambda, mu, theta, c) = (8.0, 1.0, 0.2, 8);
    let m = single_queue(
        &run_table(30_500.0, 500.0, 20, 601, 1.0),
        lambda,
        c,
        &exponential(1.0 / mu),
        &format!("patience = {}", exponential(1.0 / theta)),
        "",
    );
    let q = ErlangA {
        arrival_rate: lambda,
        service_rate: mu,
        abandon_rate: theta,
        servers: c,
    };
    check_erlang_a("Erlang A c=8 a=8", &experiment::run(&m), q, 0.01);
}

/// Erlang A, a lighter case: utilization below 1 before abandonment (λ = 4
/// a minute, five servers, mean service 1 minute) and impatient clients
/// (mean patience 2 minutes, θ = 0.5): under 8% abandon. Twenty
/// replications of 50,000 minutes: standard errors about 0.25% of the
/// abandonment probability and the waits.
#[test]
fn erlang_a_light_case() {
    let (lambda, mu, theta, c) = (4.0, 1.0, 0.5, 5);
    let m = single_queue(
        &run_table(50_500.0, 500.0, 20, 602, 1.0),
        lambda,
        c,
        &exponential(1.0 / mu),
        &format!("patience = {}", exponential(1.0 / theta)),
        "",
    );
    let q = ErlangA {
        arrival_rate: lambda,
        service_rate: mu,
        abandon_rate: theta,
        servers: c,
    };
    check_erlang_a("Erlang A c=5 a=4", &experiment::run(&m), q, 0.01);
}

/// Two segments `high` (priority 0) and `low` (priority 1) arriving at
/// `high_per_minute` and `low_per_minute` to one tier `desk`; `tier_extra`
/// and `low_extra` add lines to the tier and to the `low` segment.
fn two_classes(
    run: &str,
    high_per_minute: f64,
    low_per_minute: f64,
    servers: u32,
    service: &str,
    tier_extra: &str,
) -> Model {
    let (high, low) = (high_per_minute * 60.0, low_per_minute * 60.0);
    model(&format!(
        "name = \"theory\"\n{run}\n\
         [[segment]]\nname = \"high\"\nrate_per_hour = {high:?}\npriority = 0\nentry = \"desk\"\n\
         [[segment]]\nname = \"low\"\nrate_per_hour = {low:?}\npriority = 1\nentry = \"desk\"\n\
         [[tier]]\nname = \"desk\"\nservers = {servers}\nservice = {service}\n{tier_extra}\n"
    ))
}

/// Non-preemptive priority M/M/c with a common service rate (Cobham 1954):
/// `W_k = C(c, a)/(cμ) / ((1-σ_{k-1})(1-σ_k))`. Three servers, mean
/// service 1 minute, `high` at 0.9 and `low` at 1.5 a minute (utilization
/// 0.8). Total waiting is that of FIFO M/M/3 (the order of service does
/// not change the number waiting when every class has the same
/// exponential service). The low class's wait varies much more than the
/// high class's; twenty replications of 75,000 minutes give standard
/// errors about 0.3% (high) and 0.9% (low) of the waits.
#[test]
fn nonpreemptive_priority_cobham() {
    let (high, low, mu, c) = (0.9, 1.5, 1.0, 3);
    let m = two_classes(
        &run_table(75_500.0, 500.0, 20, 701, 1.0),
        high,
        low,
        c,
        &exponential(1.0 / mu),
        "",
    );
    let s = experiment::run(&m);
    let w = priority_nonpreemptive_mmc_waits(&[high, low], mu, c);
    agrees(
        "Cobham M/M/3 high wait_mean",
        segment(&s, "high", "wait_mean"),
        w[0],
        0.01,
    );
    agrees(
        "Cobham M/M/3 low wait_mean",
        segment(&s, "low", "wait_mean"),
        w[1],
        0.015,
    );
    // Work conservation: all clients together wait as in FIFO M/M/c.
    let fifo = Mmc {
        arrival_rate: high + low,
        service_rate: mu,
        servers: c,
    };
    agrees(
        "Cobham M/M/3 overall wait_mean",
        overall(&s, "wait_mean"),
        fifo.wait_mean(),
        0.015,
    );
}

/// Preemptive-resume priority M/M/1 (Kleinrock 1976, vol. 2):
/// `T_k = E[S]/(1-σ_{k-1}) + R_k/((1-σ_{k-1})(1-σ_k))` with
/// `E[S²] = 2 E[S]²` for exponential service; `high` at 0.3 and `low` at
/// 0.4 a minute, mean service 1 minute. The number in system ignores the
/// order of service for a common exponential service, so the tier's time
/// averages are those of FIFO M/M/1 at ρ = 0.7 (this checks the queue
/// accounting of preemptions). Twenty replications of 150,000 minutes:
/// standard errors about 0.2% (high) and 0.6% (low) of the sojourns.
#[test]
fn preemptive_priority_mm1() {
    let (high, low, mean) = (0.3, 0.4, 1.0);
    let m = two_classes(
        &run_table(151_000.0, 1_000.0, 20, 801, 1.0),
        high,
        low,
        1,
        &exponential(mean),
        "preemptive = true",
    );
    let s = experiment::run(&m);
    let t = priority_preemptive_mg1_sojourns(
        &[high, low],
        &[mean, mean],
        &[2.0 * mean * mean, 2.0 * mean * mean],
    );
    agrees(
        "preemptive M/M/1 high sojourn_mean",
        segment(&s, "high", "sojourn_mean"),
        t[0],
        0.01,
    );
    agrees(
        "preemptive M/M/1 low sojourn_mean",
        segment(&s, "low", "sojourn_mean"),
        t[1],
        0.01,
    );
    let fifo = Mmc {
        arrival_rate: high + low,
        service_rate: 1.0 / mean,
        servers: 1,
    };
    agrees(
        "preemptive M/M/1 in_system_mean",
        tier(&s, "desk", "in_system_mean"),
        fifo.in_system_mean(),
        0.01,
    );
    agrees(
        "preemptive M/M/1 queue_len_mean",
        tier(&s, "desk", "queue_len_mean"),
        fifo.queue_len_mean(),
        0.01,
    );
    agrees(
        "preemptive M/M/1 utilization",
        tier(&s, "desk", "utilization"),
        fifo.utilization(),
        0.005,
    );
}

/// Preemptive-resume priority M/M/c with a common service rate: classes
/// `1..=k` form an M/M/c queue on their own, so class k's mean number in
/// system is `L(Λ_k) - L(Λ_{k-1})` and its sojourn follows by Little's law.
/// Three servers, mean service 1 minute, `high` at 0.9 and `low` at 1.2 a
/// minute (utilization 0.7); all classes together are M/M/3 at 2.1 a
/// minute. This holds whichever lower-class client a preemption
/// interrupts, provided the choice does not look at the service still to
/// do (which a real tier cannot know): interrupting the one with the most
/// work left would serve the shortest jobs first and empty the tier faster
/// than M/M/3. Twenty replications of 40,000 minutes: standard errors
/// about 0.2% (high) and 0.5% (low) of the sojourns.
#[test]
fn preemptive_priority_mmc() {
    let (high, low, mu, c) = (0.9, 1.2, 1.0, 3);
    let m = two_classes(
        &run_table(40_500.0, 500.0, 20, 802, 1.0),
        high,
        low,
        c,
        &exponential(1.0 / mu),
        "preemptive = true",
    );
    let s = experiment::run(&m);
    let t = priority_preemptive_mmc_sojourns(&[high, low], mu, c);
    agrees(
        "preemptive M/M/3 high sojourn_mean",
        segment(&s, "high", "sojourn_mean"),
        t[0],
        0.01,
    );
    agrees(
        "preemptive M/M/3 low sojourn_mean",
        segment(&s, "low", "sojourn_mean"),
        t[1],
        0.01,
    );
    let all = Mmc {
        arrival_rate: high + low,
        service_rate: mu,
        servers: c,
    };
    agrees(
        "preemptive M/M/3 in_system_mean",
        tier(&s, "desk", "in_system_mean"),
        all.in_system_mean(),
        0.01,
    );
    agrees(
        "preemptive M/M/3 utilization",
        tier(&s, "desk", "utilization"),
        all.utilization(),
        0.005,
    );
}

/// Preemptive-resume priority M/G/1 with class-specific service
/// (`service_by_segment`): `high` at 0.4 a minute with exponential service
/// of mean 0.5, `low` at 0.3 a minute with mean 1.5 (utilization
/// 0.2 + 0.45), second moments `2 m²`. The high class does not see the low
/// one at all (an M/M/1 of its own), the low class is slowed by both.
/// Twenty replications of 100,000 minutes: standard errors about 0.2%
/// (high) and 0.6% (low) of the sojourns.
#[test]
fn preemptive_priority_mg1_class_specific_service() {
    let (high, low, high_mean, low_mean) = (0.4, 0.3, 0.5, 1.5);
    let m = two_classes(
        &run_table(101_000.0, 1_000.0, 20, 803, 1.0),
        high,
        low,
        1,
        &exponential(high_mean),
        &format!(
            "preemptive = true\nservice_by_segment = {{ low = {} }}",
            exponential(low_mean)
        ),
    );
    let s = experiment::run(&m);
    let t = priority_preemptive_mg1_sojourns(
        &[high, low],
        &[high_mean, low_mean],
        &[2.0 * high_mean * high_mean, 2.0 * low_mean * low_mean],
    );
    agrees(
        "preemptive M/G/1 high sojourn_mean",
        segment(&s, "high", "sojourn_mean"),
        t[0],
        0.01,
    );
    agrees(
        "preemptive M/G/1 low sojourn_mean",
        segment(&s, "low", "sojourn_mean"),
        t[1],
        0.01,
    );
    agrees(
        "preemptive M/G/1 utilization",
        tier(&s, "desk", "utilization"),
        high * high_mean + low * low_mean,
        0.005,
    );
}

/// `z` of a binomial count: `successes` out of `trials` with probability
/// `p`.
fn binomial_z(successes: u64, trials: u64, p: f64) -> f64 {
    let n = trials as f64;
    (successes as f64 - n * p) / (n * p * (1.0 - p)).sqrt()
}

/// A two-tier Jackson network (Jackson 1957): 180 clients an hour (3 a
/// minute) to `front`, four servers, mean service 1 minute; after service
/// 30% escalate to `expert`, two servers, mean service 1.5 minutes; no
/// patience, no queue limits. By Burke's theorem and Bernoulli splitting
/// `expert` sees Poisson arrivals at the rate the traffic equations give
/// (0.9 a minute), so each tier is an M/M/c queue at its Jackson rate:
/// waits and utilizations from Erlang C. Escalation is one Bernoulli(0.3)
/// draw per served visit: `expert` arrivals against 0.3 × `front` served is
/// a binomial z-test on the totals over replications. The mean sojourn is
/// `W1 + 1/μ1 + p (W2 + 1/μ2)`. Twenty replications of 50,000 minutes:
/// standard errors about 1% of each tier's wait (these M/M/c waits are
/// short next to their spread) and 0.3% of the sojourn.
#[test]
fn jackson_two_tier_escalation() {
    let (lambda, p) = (3.0, 0.3);
    let (c1, mean1, c2, mean2) = (4, 1.0, 2, 1.5);
    let m = model(&format!(
        "name = \"jackson\"\n{}\n\
         [[segment]]\nname = \"clients\"\nrate_per_hour = {:?}\nentry = \"front\"\n\
         [[tier]]\nname = \"front\"\nservers = {c1}\nservice = {}\n\
         escalate = [{{ to = \"expert\", probability = {p:?} }}]\n\
         [[tier]]\nname = \"expert\"\nservers = {c2}\nservice = {}\n",
        run_table(50_500.0, 500.0, 20, 901, 1.0),
        lambda * 60.0,
        exponential(mean1),
        exponential(mean2),
    ));
    let results = experiment::replicate(&m);
    let metrics: Vec<experiment::ReplicationMetrics> = results
        .iter()
        .map(experiment::ReplicationMetrics::of)
        .collect();
    let s = experiment::summarise(&m.name, &experiment::Shape::of(&m), &metrics);
    let rates = jackson_arrival_rates(&[lambda, 0.0], &[vec![0.0, p], vec![0.0, 0.0]])
        .expect("routing lets clients leave");
    let front = Mmc {
        arrival_rate: rates[0],
        service_rate: 1.0 / mean1,
        servers: c1,
    };
    let expert = Mmc {
        arrival_rate: rates[1],
        service_rate: 1.0 / mean2,
        servers: c2,
    };
    agrees(
        "Jackson front wait_mean",
        tier(&s, "front", "wait_mean"),
        front.wait_mean(),
        0.02,
    );
    agrees(
        "Jackson front utilization",
        tier(&s, "front", "utilization"),
        front.utilization(),
        0.005,
    );
    agrees(
        "Jackson expert wait_mean",
        tier(&s, "expert", "wait_mean"),
        expert.wait_mean(),
        0.02,
    );
    agrees(
        "Jackson expert utilization",
        tier(&s, "expert", "utilization"),
        expert.utilization(),
        0.005,
    );
    let front_served: u64 = results.iter().map(|r| r.tiers[0].served).sum();
    let expert_arrived: u64 = results.iter().map(|r| r.tiers[1].arrived).sum();
    let z = binomial_z(expert_arrived, front_served, p);
    eprintln!(
        "Jackson expert arrived {expert_arrived} of {front_served} front served: z = {z:+.2}"
    );
    assert!(
        z.abs() <= 4.0,
        "expert arrivals {expert_arrived} vs {p} × {front_served} front services: z = {z:.2}"
    );
    agrees(
        "Jackson overall sojourn_mean",
        overall(&s, "sojourn_mean"),
        front.sojourn_mean() + p * expert.sojourn_mean(),
        0.01,
    );
}

/// A tier with Bernoulli feedback (Jackson 1963): after service a client
/// rejoins the back of the same queue with probability `p = 0.25`. Visits
/// arrive at `λ/(1-p)` (the traffic equation; each client makes a
/// geometric number of visits of mean `1/(1-p)`, so the expected number of
/// visits by the clients arriving in the counted window is exactly
/// `λ T/(1-p)`), and the tier is M/M/c at that rate in the time average
/// and as seen by joining visits (the arrival theorem of open Jackson
/// networks): utilization, `Lq` and the wait per visit from Erlang C, and a
/// client's sojourn `W_visit/(1-p)` by Little's law. Two servers, mean
/// service 1 minute, λ = 0.9 a minute (visits at 1.2, utilization 0.6).
/// Twenty replications of 100,000 minutes: standard errors about 0.5% of
/// the wait and `Lq`, 0.2% of the sojourn.
#[test]
fn jackson_feedback_loop() {
    let (lambda, p, c, mean) = (0.9, 0.25, 2, 1.0);
    let (horizon, warmup) = (100_500.0, 500.0);
    let m = single_queue(
        &run_table(horizon, warmup, 20, 902, 1.0),
        lambda,
        c,
        &exponential(mean),
        "",
        &format!("escalate = [{{ to = \"desk\", probability = {p:?} }}]"),
    );
    let s = experiment::run(&m);
    let rates = jackson_arrival_rates(&[lambda], &[vec![p]]).expect("clients leave");
    assert!((rates[0] - lambda / (1.0 - p)).abs() < 1e-12);
    let q = Mmc {
        arrival_rate: rates[0],
        service_rate: 1.0 / mean,
        servers: c,
    };
    agrees(
        "feedback arrived visits",
        tier(&s, "desk", "arrived"),
        rates[0] * (horizon - warmup),
        0.005,
    );
    agrees(
        "feedback utilization",
        tier(&s, "desk", "utilization"),
        q.utilization(),
        0.005,
    );
    agrees(
        "feedback wait_mean per visit",
        tier(&s, "desk", "wait_mean"),
        q.wait_mean(),
        0.01,
    );
    agrees(
        "feedback queue_len_mean",
        tier(&s, "desk", "queue_len_mean"),
        q.queue_len_mean(),
        0.01,
    );
    agrees(
        "feedback client sojourn_mean",
        overall(&s, "sojourn_mean"),
        q.sojourn_mean() / (1.0 - p),
        0.01,
    );
}

/// Conservation of clients, exactly, on a model with every mechanism:
/// patience, queue capacities, escalation (including back to the first
/// tier), priorities and preemption, stopped at the horizon
/// (`drain_limit = 0`) so clients are still inside. In every replication:
/// per segment `arrived = served + abandoned + blocked + inside`; per tier
/// `served + abandoned + blocked <= arrived`, the gap being the visits in
/// progress, which over all tiers are exactly the clients inside; visits
/// arriving at the tiers are the clients' arrivals plus the escalations;
/// and the tiers' abandonments and blocks are the clients'.
#[test]
fn conservation_of_clients() {
    let m = model(
        r#"name = "conservation"
[run]
horizon = 3000.0
warmup = 100.0
replications = 10
seed = 1001
service_level_threshold = 1.0
drain_limit = 0.0

[[segment]]
name = "vip"
rate_per_hour = 60.0
patience = { dist = "exponential", mean = 4.0 }
priority = 0
entry = "front"

[[segment]]
name = "retail"
rate_per_hour = 180.0
patience = { dist = "exponential", mean = 3.0 }
priority = 1
entry = "front"

[[segment]]
name = "walk-in"
rate_per_hour = 30.0
priority = 2
entry = "expert"

[[tier]]
name = "front"
servers = 4
service = { dist = "exponential", mean = 1.0 }
queue_capacity = 6
preemptive = true
escalate = [{ to = "expert", probability = 0.3 }]

[[tier]]
name = "expert"
servers = 2
service = { dist = "lognormal", mean = 1.5, cv = 1.0 }
queue_capacity = 3
escalate = [{ to = "front", probability = 0.1 }]
"#,
    );
    let results: Vec<ReplicationResult> = experiment::replicate(&m);
    let mut inside_total = 0;
    for (r, result) in results.iter().enumerate() {
        for (s, seg) in result.segments.iter().enumerate() {
            let name = &m.segments[s].name;
            assert_eq!(
                seg.arrived,
                seg.served + seg.abandoned + seg.blocked + seg.inside,
                "replication {r}, segment {name}: arrived {} != served {} + abandoned {} + \
                 blocked {} + inside {}",
                seg.arrived,
                seg.served,
                seg.abandoned,
                seg.blocked,
                seg.inside
            );
            assert!(
                seg.arrived > 0,
                "replication {r}, segment {name}: no arrivals"
            );
            inside_total += seg.inside;
        }
        let mut in_progress = 0;
        for (t, k) in result.tiers.iter().enumerate() {
            let name = &m.tiers[t].name;
            let done = k.served + k.abandoned + k.blocked;
            assert!(
                done <= k.arrived,
                "replication {r}, tier {name}: served {} + abandoned {} + blocked {} > arrived {}",
                k.served,
                k.abandoned,
                k.blocked,
                k.arrived
            );
            assert!(k.escalated <= k.served, "replication {r}, tier {name}");
            in_progress += k.arrived - done;
        }
        let sum = |f: &dyn Fn(&tiersim::model::ClientCounts) -> u64| -> u64 {
            result.segments.iter().map(f).sum()
        };
        let tier_sum = |f: &dyn Fn(&tiersim::model::TierCounts) -> u64| -> u64 {
            result.tiers.iter().map(f).sum()
        };
        assert_eq!(
            in_progress,
            sum(&|c| c.inside),
            "replication {r}: visits in progress vs clients inside"
        );
        assert_eq!(
            tier_sum(&|k| k.arrived),
            sum(&|c| c.arrived) + tier_sum(&|k| k.escalated),
            "replication {r}: tier arrivals vs client arrivals + escalations"
        );
        assert_eq!(
            tier_sum(&|k| k.abandoned),
            sum(&|c| c.abandoned),
            "replication {r}: abandonments"
        );
        assert_eq!(
            tier_sum(&|k| k.blocked),
            sum(&|c| c.blocked),
            "replication {r}: blocks"
        );
        assert_eq!(
            tier_sum(&|k| k.served - k.escalated),
            sum(&|c| c.served),
            "replication {r}: services ending a client's stay"
        );
        for (what, n) in [
            ("abandoned", sum(&|c| c.abandoned)),
            ("blocked", sum(&|c| c.blocked)),
            ("escalated", tier_sum(&|k| k.escalated)),
        ] {
            assert!(
                n > 0,
                "replication {r}: nothing {what}; the check is vacuous"
            );
        }
    }
    eprintln!("conservation: {inside_total} clients inside at the horizons");
    assert!(
        inside_total > 0,
        "nobody was inside at any horizon; the check is vacuous"
    );
}

/// Little's law per tier, `L = λ W` and `Lq = λ Wq` (Little 1961), on a
/// two-tier model without abandonment: `front` (four servers, mean 1
/// minute, 3 clients a minute) escalating 30% to `expert` (two servers,
/// mean 1.5 minutes). For each replication, `in_system_mean` and
/// `queue_len_mean` (time averages over warm-up..horizon) against the
/// counted visits per minute of that window times the visits' mean
/// sojourn and wait. All counted visits finish (the run drains), so the
/// two sides differ only by edge effects: the visits straddling the
/// warm-up (counted in the time average but not in the tallies, being of
/// clients who arrived before it) and those straddling the horizon (the
/// reverse), plus, at `expert`, visits escalated from `front` clients
/// present at either edge. In steady state the expected area of visits
/// straddling an instant is `λ E[V²]/2` (`V` the visit's sojourn) and the
/// escalated visits of the clients at `front` add `p L_front E[V_expert]`,
/// so the systematic difference per tier is at most
/// `(λ E[V²] + 2 p L_front E[V_expert]) / T` with `T` the window (from
/// the M/M/c sojourn `V = Wq + S`, `E[V²] = 2C/(cμ-λ)² + 2 Wq/μ + 2/μ²`);
/// the waits' edge effect is smaller still. The per-replication
/// differences are tested against that bound plus four of their standard
/// errors, and the bound must stay below 1% of `L`.
#[test]
fn littles_law_per_tier() {
    let (lambda, p) = (3.0, 0.3);
    let (c1, mean1, c2, mean2) = (4, 1.0, 2, 1.5);
    let (horizon, warmup) = (20_500.0, 500.0);
    let window = horizon - warmup;
    let m = model(&format!(
        "name = \"little\"\n{}\n\
         [[segment]]\nname = \"clients\"\nrate_per_hour = {:?}\nentry = \"front\"\n\
         [[tier]]\nname = \"front\"\nservers = {c1}\nservice = {}\n\
         escalate = [{{ to = \"expert\", probability = {p:?} }}]\n\
         [[tier]]\nname = \"expert\"\nservers = {c2}\nservice = {}\n",
        run_table(horizon, warmup, 10, 1101, 1.0),
        lambda * 60.0,
        exponential(mean1),
        exponential(mean2),
    ));
    let results = experiment::replicate(&m);
    let queues = [
        Mmc {
            arrival_rate: lambda,
            service_rate: 1.0 / mean1,
            servers: c1,
        },
        Mmc {
            arrival_rate: lambda * p,
            service_rate: 1.0 / mean2,
            servers: c2,
        },
    ];
    let second_moment = |q: &Mmc| {
        let spare = f64::from(q.servers) * q.service_rate - q.arrival_rate;
        2.0 * q.p_wait() / (spare * spare)
            + 2.0 * q.wait_mean() / q.service_rate
            + 2.0 / (q.service_rate * q.service_rate)
    };
    let bounds = [
        queues[0].arrival_rate * second_moment(&queues[0]) / window,
        (queues[1].arrival_rate * second_moment(&queues[1])
            + 2.0 * p * queues[0].in_system_mean() * queues[1].sojourn_mean())
            / window,
    ];
    for (t, (q, bound)) in queues.iter().zip(bounds).enumerate() {
        let name = &m.tiers[t].name;
        assert!(
            bound < 0.01 * q.in_system_mean(),
            "{name}: edge bound {bound} too wide"
        );
        let mut in_system = Vec::new();
        let mut waiting = Vec::new();
        for r in &results {
            let k = &r.tiers[t];
            assert_eq!(k.sojourn.count, k.arrived, "{name}: every visit is served");
            let rate = k.arrived as f64 / window;
            in_system.push(k.queue_len_mean + k.busy_mean - rate * k.sojourn.mean());
            waiting.push(k.queue_len_mean - rate * k.wait.mean());
        }
        for (what, values, reference) in [
            ("in_system_mean - λ W", in_system, q.in_system_mean()),
            ("queue_len_mean - λ Wq", waiting, q.queue_len_mean()),
        ] {
            let d = Estimate::from_values(values);
            let se = standard_error(d);
            eprintln!(
                "Little {name} {what}: mean {:+.6} (bound {bound:.6}, se {se:.6}, L {reference:.4})",
                d.mean
            );
            assert!(
                d.mean.abs() <= bound + 4.0 * se,
                "Little {name}: {what} = {:.6} ± {:.6} (95% CI), beyond the edge bound {bound:.6} \
                 + 4 se",
                d.mean,
                d.ci95
            );
            assert!(
                bound + 4.0 * se < 0.01 * reference,
                "Little {name}: tolerance too wide to test against {reference}"
            );
        }
    }
}

/// The single-server retrial queue with a linear retrial rate (Falin &
/// Templeton 1997, "main single-server model"; `parameters-v2.md` §11.3):
/// Poisson arrivals λ, exponential service μ = 1, no waiting line
/// (`queue_capacity = 0`: an arrival finding the server busy is blocked),
/// every blocked client redials (`after_block = 1`, no attempt limit) after
/// an exponential delay of mean 1/θ, nobody abandons. Then
/// `E[N_orbit] = ρ (ρ + λ/θ) / (1 − ρ)` and P(busy) = ρ. The simulator
/// reports the minutes each client spends waiting to redial; by Little's
/// law λ times their mean is the mean orbit. And every client is served
/// (`abandon_rate_final` = 0). Two of §11.3's cases; ten replications of
/// 40,000 minutes after 2,000 of warm-up (relaxation times of the order of
/// 100 minutes at ρ = 0.7) give standard errors of about 1% on the orbit.
#[test]
fn retrial_queue_orbit_and_busy_server() {
    for (lambda, theta, seed) in [(0.5, 1.0, 1101), (0.7, 0.5, 1102)] {
        let redial = format!(
            "redial = {{ after_block = 1.0, delay = {} }}",
            exponential(1.0 / theta)
        );
        let m = single_queue(
            &run_table(42_000.0, 2_000.0, 10, seed, 1.0),
            lambda,
            1,
            &exponential(1.0),
            &redial,
            "queue_capacity = 0",
        );
        let s = experiment::run(&m);
        let rho = lambda;
        let orbit = rho * (rho + lambda / theta) / (1.0 - rho);
        let per_client = overall(&s, "redial_minutes_mean");
        let label = format!("retrial λ={lambda} θ={theta}");
        agrees(
            &format!("{label} orbit (λ × redial minutes)"),
            Estimate {
                mean: lambda * per_client.mean,
                ci95: lambda * per_client.ci95,
                n: per_client.n,
            },
            orbit,
            0.03,
        );
        agrees(
            &format!("{label} P(busy)"),
            tier(&s, "desk", "utilization"),
            rho,
            0.01,
        );
        // Retrials per client: each orbit visit lasts 1/θ on average.
        agrees(
            &format!("{label} redials per client"),
            {
                let r = overall(&s, "redials");
                let a = overall(&s, "arrived").mean;
                Estimate {
                    mean: r.mean / a,
                    ci95: r.ci95 / a,
                    n: r.n,
                }
            },
            theta * orbit / lambda,
            0.03,
        );
        assert_eq!(overall(&s, "abandon_rate_final").mean, 0.0, "{label}");
    }
}
