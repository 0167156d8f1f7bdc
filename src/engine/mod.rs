//! The discrete-event kernel: simulation time, the event calendar, random
//! streams and distributions, and streaming statistics.
//!
//! It knows nothing of banks, files or threads; the model builds on it.

pub mod calendar;
mod heap;
pub mod rate;
pub mod rng;
pub mod stats;
pub mod time;
mod timers;

pub use calendar::Calendar;
pub use rng::{Dist, Stream};
pub use time::Time;
