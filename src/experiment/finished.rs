//! Finished points handed to the writers of a sweep's files one at a time,
//! in point order, from the journals on disk ([`super::journal::Stored`]),
//! so that a sweep of many points is written with the memory of one.

use super::PointResult;
use super::runner::Done;
use crate::error::Error;

/// Finished points, in point order, each loaded when asked for.
pub trait FinishedPoints {
    /// What is kept of every finished point, in point order.
    fn done(&self) -> &[Done];
    /// The `i`-th finished point (in the order of [`FinishedPoints::done`])
    /// with its replications' metrics.
    fn load(&self, i: usize) -> Result<PointResult, Error>;
}
