//! `[[channel]]`: where clients arrive.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::segment::RawRedial;
use crate::scenario::duration::Minutes;

/// `[[channel]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    /// Channel name.
    pub name: Spanned<String>,
    /// `{ day = "HH:MM-HH:MM" | "closed" }` with day a weekday, `weekdays`,
    /// `weekend` or `daily`; none is open 7x24.
    pub hours: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    /// `wait` (for the opening) or `lost`.
    pub when_closed: Option<Spanned<String>>,
    /// Service-time multiplier.
    pub service_multiplier: Option<Spanned<f64>>,
    /// Tolerated wait τ on this channel, minutes.
    pub tolerance: Option<Spanned<Minutes>>,
    /// β_ch.
    pub satisfaction_offset: Option<Spanned<f64>>,
    /// First tier of clients on this channel.
    pub entry: Option<Spanned<String>>,
    /// Redials of this channel's clients, instead of their segment's.
    pub redial: Option<Spanned<RawRedial>>,
}
