//! `[calendar]`: time of day and week.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// `[calendar]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// 15, 30 or 60.
    pub slot_minutes: Option<Spanned<u32>>,
    /// Weekday of time 0.
    pub start_day: Option<Spanned<String>>,
    /// `{ weekday = factor }`.
    pub day_factors: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// `{ "HH:MM-HH:MM" = factor }`.
    pub profile: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
}
