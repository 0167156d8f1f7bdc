//! The serde mirror of a scenario file: every field as written, with its
//! span for error messages. Unknown fields are rejected here. The whole
//! file and distributions are here; each table's mirror in a file named
//! for it.

mod calendar;
mod channel;
mod levers;
mod outcomes;
mod plan;
mod request;
mod run;
mod segment;
mod sweep;
mod targets;
mod tier;

pub use calendar::RawCalendar;
pub use channel::RawChannel;
pub use levers::{RawLevers, RawTraining};
pub use outcomes::RawOutcomes;
pub use plan::RawPlan;
pub use request::RawRequest;
pub use run::{RawLimits, RawRun};
pub use segment::{RawArrivals, RawBook, RawDayEffect, RawRedial, RawSegment};
pub use sweep::{RawAxis, RawRange, RawSweep};
pub use targets::{RawBound, RawCost, RawRangeBound, RawRates, RawTargets};
pub use tier::{
    RawBreak, RawCallback, RawCallbackOffer, RawEscalation, RawGroup, RawNewHires, RawOutbound,
    RawShift, RawTier,
};

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::duration::Minutes;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name.
    pub name: Spanned<String>,
    /// Run control.
    pub run: Spanned<RawRun>,
    /// Client segments.
    #[serde(default)]
    pub segment: Vec<Spanned<RawSegment>>,
    /// Tiers.
    #[serde(default)]
    pub tier: Vec<Spanned<RawTier>>,
    /// Parameter sweep: many scenarios from axes.
    pub sweep: Option<Spanned<RawSweep>>,
    /// Request types.
    #[serde(default)]
    pub request: Vec<Spanned<RawRequest>>,
    /// Coefficients of the outcome model.
    pub outcomes: Option<Spanned<RawOutcomes>>,
    /// Time of day and week.
    pub calendar: Option<Spanned<RawCalendar>>,
    /// Training and KPI-regime levers.
    pub levers: Option<Spanned<RawLevers>>,
    /// Channels clients arrive by.
    #[serde(default)]
    pub channel: Vec<Spanned<RawChannel>>,
    /// Service targets (`[targets]`).
    pub targets: Option<Spanned<RawTargets>>,
    /// Staff costs (`[cost]`).
    pub cost: Option<Spanned<RawCost>>,
    /// Rules for capacity planning (`[plan]`).
    pub plan: Option<Spanned<RawPlan>>,
    /// Money lost to risk (`[risk]`).
    pub risk: Option<Spanned<crate::scenario::risk::RawRisk>>,
    /// Attrition coefficients (`[retention]`).
    pub retention: Option<Spanned<crate::scenario::retention::RawRetention>>,
}

/// A distribution: `{ dist = "...", ...parameters }`. Which parameters a
/// kind needs is checked in validation, for clearer messages than serde's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// Kind of distribution.
    pub dist: Spanned<String>,
    /// Mean, minutes.
    pub mean: Option<Spanned<Minutes>>,
    /// Erlang phases.
    pub k: Option<Spanned<u32>>,
    /// Coefficient of variation.
    pub cv: Option<Spanned<f64>>,
    /// Uniform lower bound.
    pub low: Option<Spanned<Minutes>>,
    /// Uniform upper bound.
    pub high: Option<Spanned<Minutes>>,
    /// Empirical values.
    pub values: Option<Spanned<Vec<Minutes>>>,
}
