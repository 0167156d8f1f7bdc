//! Simulation time: minutes since the start of a replication, as an `f64`
//! with a total order.

use std::cmp::Ordering;

/// A point in simulated time, in minutes. Always finite and non-negative in
/// a running simulation, so its order is the order of its bit pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Time(pub f64);

impl Time {
    /// The start of every replication.
    pub const ZERO: Time = Time(0.0);

    /// The time in minutes.
    #[inline]
    pub fn minutes(self) -> f64 {
        self.0
    }

    /// A key that sorts like the time for every finite non-negative time
    /// (IEEE 754 bit patterns of non-negative floats are ordered as integers).
    #[inline]
    pub fn key(self) -> u64 {
        debug_assert!(self.0 >= 0.0, "negative simulation time {}", self.0);
        // -0.0 and 0.0 must compare equal: adding 0.0 turns -0.0 into 0.0.
        (self.0 + 0.0).to_bits()
    }
}

impl Eq for Time {}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_orders_like_time() {
        let times = [0.0, -0.0, 1e-300, 0.5, 1.0, 1.0 + f64::EPSILON, 1e6, 1e300];
        for &a in &times {
            for &b in &times {
                let (ta, tb) = (Time(a), Time(b));
                assert_eq!(
                    ta.key().cmp(&tb.key()),
                    a.partial_cmp(&b).unwrap(),
                    "{a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn total_order() {
        assert!(Time(1.0) < Time(2.0));
        assert_eq!(Time(3.0).max(Time(2.0)), Time(3.0));
    }
}
