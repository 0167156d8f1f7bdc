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

impl Chasing {
    /// Mean minutes between two chasing contacts of one open case.
    #[inline]
    pub fn mean_gap(&self) -> f64 {
        1440.0 / self.rate_per_day
    }
}
