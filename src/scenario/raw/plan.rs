//! `[plan]`: rules for capacity planning.

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::duration::Minutes;

/// `[plan]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Allowed shift lengths, minutes.
    pub shift_lengths: Option<Spanned<Vec<Minutes>>>,
    /// Allowed shift starts, `HH:MM`.
    pub shift_starts: Option<Spanned<Vec<String>>>,
    /// Most servers of one tier in one slot.
    pub max_servers: Option<Spanned<u32>>,
    /// Shares of paid time off duty (`scenario::workforce`).
    pub shrinkage: Option<Spanned<crate::scenario::workforce::RawShrinkage>>,
    /// Paid hours a week of one full-time equivalent.
    pub fte_hours: Option<Spanned<f64>>,
    /// Break placement in generated shifts.
    pub breaks: Option<Spanned<crate::scenario::workforce::RawBreaks>>,
    /// Weekly roster rules.
    pub roster: Option<Spanned<crate::scenario::workforce::RawRoster>>,
}
