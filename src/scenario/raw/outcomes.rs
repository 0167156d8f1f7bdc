//! `[outcomes]`: the outcome model's coefficients.

use serde::Deserialize;
use toml::Spanned;

/// `[outcomes]`: every field optional, defaults from the evidence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcomes {
    /// P(top-box) of an ideal journey.
    pub top_box_ideal: Option<Spanned<f64>>,
    /// β_wait.
    pub beta_wait: Option<Spanned<f64>>,
    /// λ.
    pub loss_aversion: Option<Spanned<f64>>,
    /// β_tr.
    pub beta_transfer: Option<Spanned<f64>>,
    /// β_unr.
    pub beta_unresolved: Option<Spanned<f64>>,
    /// β_rep.
    pub beta_repeat: Option<Spanned<f64>>,
    /// β_bo.
    pub beta_back_office: Option<Spanned<f64>>,
    /// P(complaint | top-box).
    pub complaint_if_top_box: Option<Spanned<f64>>,
    /// P(complaint | not top-box).
    pub complaint_otherwise: Option<Spanned<f64>>,
    /// κ.
    pub formal_complaint_kappa: Option<Spanned<f64>>,
    /// r.
    pub loyalty_ratio: Option<Spanned<f64>>,
    /// Bot sale factor.
    pub bot_sale_factor: Option<Spanned<f64>>,
    /// 1 (the old model, the default) or 2 (the sourced v2 defaults).
    pub model: Option<Spanned<i64>>,
    /// β_cont.
    pub beta_continuity: Option<Spanned<f64>>,
    /// β_promise.
    pub beta_promise: Option<Spanned<f64>>,
    /// β_bot (a cold chatbot hand-off).
    pub beta_bot_handoff: Option<Spanned<f64>>,
    /// Share of a failed chatbot conversation counted as waiting.
    pub bot_time_counts_on_failure: Option<Spanned<f64>>,
    /// A warm hand-off's share of a cold one's penalty.
    pub warm_handoff_weight: Option<Spanned<f64>>,
    /// Sales uplift at full sales pressure.
    pub pressure_sales_uplift: Option<Spanned<f64>>,
    /// P(a mis-sold client files a formal complaint).
    pub mis_sale_complaint: Option<Spanned<f64>>,
    /// Logit gained by a journey whose back office sent proactive updates.
    pub proactive_update_offset: Option<Spanned<f64>>,
}
