//! Status chasing: a client whose case waits in a back office, with its
//! status not visible, contacts the front line to ask where it is. The
//! mechanism itself is in `replication/chasing.rs`.

use crate::engine::Dist;

/// A segment's status chasing: while a client's case is in a back office
/// and its request type's status is not visible (`status_visible =
/// false`), the client makes chasing contacts as a Poisson process at
/// `rate_per_day`, through its own channel and entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Chasing {
    /// Chasing contacts per day of back-office time, per open case.
    pub rate_per_day: f64,
    /// Minutes the front line spends on one chasing contact; `None` takes
    /// the entry tier's service of the client's segment and request type.
    pub service: Option<Dist>,
}

/// Proactive status updates on a request type's back-office cases
/// (`request.proactive_updates = true`): the back office tells the client
/// of each step, so the client chases less and is more satisfied
/// (parameters-v2.md §12.3; both ASSUMPTION).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProactiveUpdates {
    /// Multiplies the client's chase rate (`status_call_reduction_proactive`,
    /// [0, 1]; 1 chases as without updates, 0 not at all).
    pub chase_factor: f64,
}

impl ProactiveUpdates {
    /// The evidence's chase-rate multiplier (ASSUMPTION, range 0.1–0.7).
    pub const CHASE_FACTOR: f64 = 0.4;
    /// The evidence's satisfaction offset, logit (ASSUMPTION, range 0–0.4):
    /// `outcomes.proactive_update_offset`.
    pub const SATISFACTION_OFFSET: f64 = 0.15;
}

impl Chasing {
    /// Mean minutes between two chasing contacts of one open case.
    #[inline]
    pub fn mean_gap(&self) -> f64 {
        1440.0 / self.rate_per_day
    }
}
