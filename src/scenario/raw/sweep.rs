//! `[sweep]` and its axes.

use serde::Deserialize;
use toml::Spanned;

/// `[sweep]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// `grid` (cartesian product) or `zip` (axes side by side).
    pub combine: Option<Spanned<String>>,
    /// Name of the point the others are compared with.
    pub baseline: Option<Spanned<String>>,
    /// The axes.
    #[serde(default)]
    pub axis: Vec<Spanned<RawAxis>>,
}

/// `[[sweep.axis]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAxis {
    /// Dotted path of the field to vary (`tier.junior.servers`).
    pub path: Spanned<String>,
    /// The values to take.
    pub values: Option<Spanned<Vec<toml::Value>>>,
    /// Or an evenly spaced range.
    pub range: Option<Spanned<RawRange>>,
}

/// `range = { start, stop, step }`: start, start + step, ... up to and
/// including stop.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// First value.
    pub start: Spanned<toml::Value>,
    /// Last value (included when the steps land on it).
    pub stop: Spanned<toml::Value>,
    /// Step, > 0.
    pub step: Spanned<toml::Value>,
}
