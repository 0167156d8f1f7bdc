//! Redials: what a segment's client who abandons or is blocked does next.
//! The mechanism itself is in `replication/redial.rs`.

use crate::engine::Dist;

/// A segment's redial behaviour: a client who abandons (or is blocked)
/// calls again with probability `after_abandon` (`after_block`) after a
/// delay drawn from `delay`, as the same client, up to `max_attempts`
/// attempts in all (the first included).
#[derive(Clone, Debug, PartialEq)]
pub struct Redial {
    /// P(redial | the attempt abandoned a queue).
    pub after_abandon: f64,
    /// P(redial | the attempt was blocked: a full queue or a closed
    /// channel that loses its clients).
    pub after_block: f64,
    /// Minutes from the failed attempt to the redial.
    pub delay: Dist,
    /// Most attempts of one client, the first included (`u32::MAX`: no
    /// limit).
    pub max_attempts: u32,
}

impl Redial {
    /// P(redial) after a failed attempt that abandoned (`true`) or was
    /// blocked (`false`).
    #[inline]
    pub fn probability(&self, abandoned: bool) -> f64 {
        if abandoned {
            self.after_abandon
        } else {
            self.after_block
        }
    }
}
