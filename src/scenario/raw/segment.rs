//! `[[segment]]` and its inline tables (arrivals, book, redial, day effect).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::RawDist;
use crate::scenario::duration::Minutes;

/// `[[segment]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    /// Segment name.
    pub name: Spanned<String>,
    /// Poisson arrivals per hour (absent when `arrivals` replays a trace).
    pub rate_per_hour: Option<Spanned<f64>>,
    /// `{ trace = "file.csv" }`: arrivals replayed from a file.
    pub arrivals: Option<Spanned<RawArrivals>>,
    /// Patience distribution.
    pub patience: Option<Spanned<RawDist>>,
    /// Smaller is served first.
    pub priority: Option<Spanned<i64>>,
    /// First tier.
    pub entry: Option<Spanned<String>>,
    /// `{ request type = share }`.
    pub requests: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    /// Tolerated wait τ, minutes.
    pub tolerance: Option<Spanned<Minutes>>,
    /// `{ channel = share }`.
    pub channels: Option<Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>>,
    /// Back-office tiers every case needs, in order.
    pub back_office: Option<Vec<Spanned<String>>>,
    /// Dedicated RMs' books.
    pub book: Option<Spanned<RawBook>>,
    /// Share of clients who are problem cases.
    pub problem_rate: Option<Spanned<f64>>,
    /// A client's value to the bank per year.
    pub annual_value: Option<Spanned<f64>>,
    /// What a client who abandons or is blocked does next.
    pub redial: Option<Spanned<RawRedial>>,
    /// Minutes waited before the client is served with the first priority.
    pub promote_after: Option<Spanned<Minutes>>,
    /// Status-chasing contacts per day while a case is in a back office.
    pub chase_rate_per_day: Option<Spanned<f64>>,
    /// Minutes of one chasing contact at the front line.
    pub chase_service: Option<Spanned<RawDist>>,
    /// `{ cv = x }`: a Gamma factor per day on the arrival rates.
    pub day_effect: Option<Spanned<RawDayEffect>>,
}

/// `arrivals = { trace = "file.csv" }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    /// The trace file, relative to the scenario file.
    pub trace: Spanned<String>,
}

/// `book = { ... }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBook {
    /// The dedicated tier.
    pub tier: Spanned<String>,
    /// Clients in the segment.
    pub population: Spanned<u32>,
    /// Clients per RM.
    pub clients_per_rm: Spanned<u32>,
    /// Minutes before the overflow rule.
    pub overflow_after: Option<Spanned<Minutes>>,
    /// A tier name, or `callback`.
    pub overflow: Option<Spanned<String>>,
}

/// `redial = { ... }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedial {
    /// P(redial | abandoned).
    pub after_abandon: Option<Spanned<f64>>,
    /// P(redial | blocked).
    pub after_block: Option<Spanned<f64>>,
    /// Delay before the redial (required; checked in `redial.rs` so that
    /// its absence is named with the field).
    pub delay: Option<Spanned<RawDist>>,
    /// Most attempts, the first included.
    pub max_attempts: Option<Spanned<u32>>,
}

/// `day_effect = { cv = x }` of a segment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDayEffect {
    /// Coefficient of variation of the day factor (>= 0).
    pub cv: Spanned<f64>,
}
