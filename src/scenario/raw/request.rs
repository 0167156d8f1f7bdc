//! `[[request]]`: request types.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::RawDist;
use super::tier::RawEscalation;
use crate::scenario::duration::Hours;

/// `[[request]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequest {
    /// Request type name.
    pub name: Spanned<String>,
    /// p_base: P(sale) at the ideal satisfaction.
    pub sale_probability: Option<Spanned<f64>>,
    /// Revenue per sale.
    pub revenue_per_sale: Option<Spanned<f64>>,
    /// First tier for this request, instead of the segment's.
    pub entry: Option<Spanned<String>>,
    /// `{ tier = factor }`: service time multiplier at a tier.
    pub service_multiplier: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// `{ tier = distribution }`: this request's service at a tier.
    pub service: Option<BTreeMap<Spanned<String>, Spanned<RawDist>>>,
    /// `{ tier = [{ to, probability }] }`: this request's escalation.
    pub escalate: Option<BTreeMap<Spanned<String>, Vec<Spanned<RawEscalation>>>>,
    /// Complexity distribution (values in [0, 1]).
    pub complexity: Option<Spanned<RawDist>>,
    /// Back-office tiers, in order.
    pub back_office: Option<Vec<Spanned<String>>>,
    /// Promised turnaround, hours.
    pub promised_turnaround_hours: Option<Spanned<Hours>>,
    /// The client's reference turnaround (what clients are used to), hours.
    pub expected_turnaround_hours: Option<Spanned<Hours>>,
    /// `{ chatbot tier = share }`: the share of clients who choose the bot.
    pub bot_uptake: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// P(a new contact | a contact ended unresolved).
    pub repeat_probability: Option<Spanned<f64>>,
    /// Minutes from an unresolved end to the new contact.
    pub repeat_delay: Option<Spanned<RawDist>>,
    /// The client sees the case's progress in the back office.
    pub status_visible: Option<Spanned<bool>>,
    /// The back office sends the client proactive updates on the case.
    pub proactive_updates: Option<Spanned<bool>>,
    /// With proactive updates: the chase-rate multiplier.
    pub proactive_chase_factor: Option<Spanned<f64>>,
}
