//! `[targets]` and `[cost]`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// `[targets]` and each `[targets.segment.<name>]`: bounds on summary
/// metrics (validated in `targets.rs`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    /// Share served within the threshold (at least).
    pub service_level: Option<Spanned<RawBound>>,
    /// Mean wait, minutes (at most).
    pub wait_mean: Option<Spanned<RawBound>>,
    /// Mean wait of served clients, minutes (at most).
    pub wait_served_mean: Option<Spanned<RawBound>>,
    /// 90th percentile of the wait, minutes (at most).
    pub wait_p90: Option<Spanned<RawBound>>,
    /// Mean sojourn, minutes (at most).
    pub sojourn_mean: Option<Spanned<RawBound>>,
    /// Abandonment share (at most).
    pub abandon_rate: Option<Spanned<RawBound>>,
    /// Blocked share (at most).
    pub blocked_rate: Option<Spanned<RawBound>>,
    /// Mean satisfaction, 0-100 (at least).
    pub satisfaction_mean: Option<Spanned<RawBound>>,
    /// Top-box share (at least).
    pub csat: Option<Spanned<RawBound>>,
    /// Front-line complaint share (at most).
    pub complaint_rate: Option<Spanned<RawBound>>,
    /// Formal complaint share (at most).
    pub formal_complaint_rate: Option<Spanned<RawBound>>,
    /// First-contact resolution share (at least).
    pub fcr: Option<Spanned<RawBound>>,
    /// Targets for one segment each.
    pub segment: Option<BTreeMap<Spanned<String>, Spanned<RawTargets>>>,
}

/// A target: a number (bound in the metric's good direction) or
/// `{ min, max }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawBound {
    /// `metric = x`.
    Value(f64),
    /// `metric = { min = x, max = y }`.
    Range(RawRangeBound),
}

/// `{ min, max }` of a target.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRangeBound {
    /// At least.
    pub min: Option<f64>,
    /// At most.
    pub max: Option<f64>,
}

/// `[cost]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCost {
    /// `{ tier = cost per server on duty per hour }`.
    pub hourly: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// Cost of starting one shift (one server).
    pub shift_start: Option<Spanned<f64>>,
    /// Revenue of one sale, for the net value (overrides the requests').
    pub revenue_per_sale: Option<Spanned<f64>>,
    /// `{ tier = { group = cost per agent on duty per hour } }` for agent
    /// groups (default: the tier's `hourly`).
    pub group_hourly: Option<BTreeMap<Spanned<String>, RawRates>>,
}

/// `{ name = rate }`, by group name.
pub type RawRates = BTreeMap<Spanned<String>, Spanned<f64>>;
