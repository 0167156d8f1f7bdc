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
//!
//! One file per family of formulas: `erlang.rs` (Erlang B, C, M/M/c and its
//! inverse), `mmck.rs` (finite waiting room), `mg1.rs` (Pollaczek–Khinchine),
//! `erlang_a.rs` (abandonment), `priority.rs` (priority classes) and
//! `jackson.rs` (networks).

mod erlang;
mod erlang_a;
mod jackson;
mod mg1;
mod mmck;
mod priority;

pub use erlang::{Mmc, erlang_b, erlang_c, fewest_servers};
pub use erlang_a::ErlangA;
pub use jackson::jackson_arrival_rates;
pub use mg1::pollaczek_khinchine_wait;
pub use mmck::Mmck;
pub use priority::{
    priority_nonpreemptive_mg1_waits, priority_nonpreemptive_mmc_waits,
    priority_preemptive_mg1_sojourns, priority_preemptive_mmc_sojourns,
};

/// Helpers shared by the families' tests.
#[cfg(test)]
mod testing {
    use super::{ErlangA, Mmc};

    /// `|actual - expected| <= tol`.
    #[track_caller]
    pub(super) fn assert_abs(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol,
            "actual {actual} vs expected {expected} (abs tol {tol})"
        );
    }

    /// `|actual - expected| <= tol * |expected|`.
    #[track_caller]
    pub(super) fn assert_rel(actual: f64, expected: f64, tol: f64) {
        assert!(
            (actual - expected).abs() <= tol * expected.abs(),
            "actual {actual} vs expected {expected} (rel tol {tol})"
        );
    }

    /// Floating-point tolerance for short closed-form computations: a few
    /// dozen roundings of relative size 1.1e-16 each.
    pub(super) const FP: f64 = 1e-12;
    /// Published tables print 6 decimals: half a unit in the last place.
    pub(super) const TABLE_6DP: f64 = 5e-7;

    pub(super) fn mmc(arrival_rate: f64, service_rate: f64, servers: u32) -> Mmc {
        Mmc {
            arrival_rate,
            service_rate,
            servers,
        }
    }

    pub(super) fn erlang_a(
        arrival_rate: f64,
        service_rate: f64,
        abandon_rate: f64,
        servers: u32,
    ) -> ErlangA {
        ErlangA {
            arrival_rate,
            service_rate,
            abandon_rate,
            servers,
        }
    }
}
