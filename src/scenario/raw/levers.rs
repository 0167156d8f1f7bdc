//! `[levers]`: training and KPI-regime levers.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::scenario::duration::Minutes;

/// `[levers]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevers {
    /// k in [0, 1].
    pub kpi_pressure: Option<Spanned<f64>>,
    /// Extra selling minutes per staffed service.
    pub selling_minutes: Option<Spanned<Minutes>>,
    /// P(mis-sale | sale) at full pressure.
    pub mis_sale_max: Option<Spanned<f64>>,
    /// `{ tier = { service, escalation } }` multipliers.
    pub training: Option<BTreeMap<Spanned<String>, Spanned<RawTraining>>>,
    /// Share of clients surveyed and followed up.
    pub feedback: Option<Spanned<f64>>,
}

/// The effect of training at one tier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraining {
    /// Service-time multiplier.
    pub service: Option<Spanned<f64>>,
    /// Escalation-probability multiplier.
    pub escalation: Option<Spanned<f64>>,
    /// Multiplier of the tier's `resolves` (first-contact resolution).
    pub resolution: Option<Spanned<f64>>,
}
