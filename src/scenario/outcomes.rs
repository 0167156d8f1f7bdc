//! `[outcomes]`: the coefficients of the outcome model (satisfaction,
//! complaints, loyalty, sales), each defaulting to the evidence.

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::{RawOutcomes, RawScenario};
use crate::model::Outcomes;
use crate::model::outcome::v2;

/// Whether the file opts into the v2 outcome model (`[outcomes] model =
/// 2`): the sourced defaults of resolution, continuity and the chatbot
/// terms instead of their neutral values.
pub(super) fn opts_into_v2(raw: &RawScenario) -> bool {
    raw.outcomes
        .as_ref()
        .and_then(|o| o.get_ref().model.as_ref())
        .is_some_and(|m| *m.get_ref() == 2)
}

impl Checker<'_> {
    /// `[outcomes]`; `None` when a coefficient has problems.
    pub(super) fn outcomes(&mut self, raw: &RawScenario) -> Option<Outcomes> {
        let mut o = Outcomes::default();
        let Some(r) = &raw.outcomes else {
            return Some(o);
        };
        let r = r.get_ref();
        let before = self.count();
        if let Some(m) = &r.model
            && !matches!(m.get_ref(), 1 | 2)
        {
            self.problem(
                m.span(),
                "outcomes.model",
                format!(
                    "got {}; allowed: 1 (the old model, the default) or 2 (the sourced v2 terms)",
                    m.get_ref()
                ),
            );
        }
        if opts_into_v2(raw) {
            o.beta_continuity = v2::BETA_CONTINUITY;
            o.beta_bot_handoff = Some(v2::BETA_BOT_HANDOFF);
            o.bot_time_counts_on_failure = v2::BOT_TIME_COUNTS_ON_FAILURE;
        }
        self.outcomes_v2(raw, &mut o);
        self.outcomes_v1(r, &mut o);
        (self.count() == before).then_some(o)
    }

    /// The coefficients of the old model written in `[outcomes]`, each
    /// checked against what it may be.
    fn outcomes_v1(&mut self, r: &RawOutcomes, o: &mut Outcomes) {
        let probabilities = [
            (
                &r.complaint_if_top_box,
                "complaint_if_top_box",
                &mut o.complaint_if_top_box,
            ),
            (
                &r.complaint_otherwise,
                "complaint_otherwise",
                &mut o.complaint_otherwise,
            ),
            (
                &r.formal_complaint_kappa,
                "formal_complaint_kappa",
                &mut o.formal_complaint_kappa,
            ),
            (
                &r.bot_sale_factor,
                "bot_sale_factor",
                &mut o.bot_sale_factor,
            ),
            (&r.loyalty_ratio, "loyalty_ratio", &mut o.loyalty_ratio),
            (
                &r.warm_handoff_weight,
                "warm_handoff_weight",
                &mut o.warm_handoff_weight,
            ),
            (
                &r.mis_sale_complaint,
                "mis_sale_complaint",
                &mut o.mis_sale_complaint,
            ),
        ];
        for (value, field, slot) in probabilities {
            if let Some(v) = value {
                *slot = self.probability(v, &format!("outcomes.{field}"));
            }
        }
        let coefficients: [(&Option<Spanned<f64>>, &str, &mut f64); 6] = [
            (&r.beta_wait, "beta_wait", &mut o.beta_wait),
            (&r.beta_transfer, "beta_transfer", &mut o.beta_transfer),
            (
                &r.beta_unresolved,
                "beta_unresolved",
                &mut o.beta_unresolved,
            ),
            (&r.beta_repeat, "beta_repeat", &mut o.beta_repeat),
            (
                &r.beta_back_office,
                "beta_back_office",
                &mut o.beta_back_office,
            ),
            (
                &r.pressure_sales_uplift,
                "pressure_sales_uplift",
                &mut o.pressure_sales_uplift,
            ),
        ];
        for (value, field, slot) in coefficients {
            if let Some(v) = value {
                *slot = self.non_negative(v, &format!("outcomes.{field}"));
            }
        }
        if let Some(v) = &r.top_box_ideal {
            o.top_box_ideal = self.number(
                v,
                "outcomes.top_box_ideal",
                |x| x > 0.0 && x < 1.0,
                "a probability strictly between 0 and 1",
            );
        }
        if let Some(v) = &r.loss_aversion {
            o.loss_aversion = self.positive(v, "outcomes.loss_aversion");
        }
    }

    /// The v2 terms written in `[outcomes]`: continuity (only with
    /// books), the promise, the chatbot's hand-off and time.
    fn outcomes_v2(&mut self, raw: &RawScenario, o: &mut Outcomes) {
        let Some(r) = &raw.outcomes else {
            return;
        };
        let r = r.get_ref();
        if let Some(v) = &r.beta_continuity {
            o.beta_continuity = self.non_negative(v, "outcomes.beta_continuity");
            let books = raw.segment.iter().any(|s| s.get_ref().book.is_some());
            if !books {
                self.problem(
                    v.span(),
                    "outcomes.beta_continuity",
                    "no segment has a `book` of dedicated RMs, so nobody is served by their own RM; allowed: with a segment's `book` only",
                );
            }
        }
        if let Some(v) = &r.beta_promise {
            o.beta_promise = self.non_negative(v, "outcomes.beta_promise");
        }
        if let Some(v) = &r.proactive_update_offset {
            o.proactive_update_offset = self.non_negative(v, "outcomes.proactive_update_offset");
        }
        if let Some(v) = &r.beta_bot_handoff {
            o.beta_bot_handoff = Some(self.non_negative(v, "outcomes.beta_bot_handoff"));
        }
        if let Some(v) = &r.bot_time_counts_on_failure {
            o.bot_time_counts_on_failure =
                self.probability(v, "outcomes.bot_time_counts_on_failure");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, with};
    use crate::model::Outcomes;

    #[test]
    fn defaults_are_the_evidence() {
        let d = Outcomes::default();
        let o = model(BASE).outcomes;
        assert_eq!(o.beta_wait, d.beta_wait);
        assert_eq!(o.top_box_ideal, d.top_box_ideal);
        let o = model(&with(
            "",
            "[outcomes]\nbeta_wait = 0.25\nloyalty_ratio = 0.5",
        ))
        .outcomes;
        assert_eq!((o.beta_wait, o.loyalty_ratio), (0.25, 0.5));
        assert_eq!(o.loss_aversion, d.loss_aversion);
    }

    #[test]
    fn the_former_constants_are_fields() {
        let o = model(&with(
            "",
            "[outcomes]\nwarm_handoff_weight = 1.0\npressure_sales_uplift = 0.45\nmis_sale_complaint = 0.5",
        ))
        .outcomes;
        assert_eq!(
            (
                o.warm_handoff_weight,
                o.pressure_sales_uplift,
                o.mis_sale_complaint
            ),
            (1.0, 0.45, 0.5)
        );
        let d = Outcomes::default();
        assert_eq!(
            (
                d.warm_handoff_weight,
                d.pressure_sales_uplift,
                d.mis_sale_complaint
            ),
            (0.5, 0.31, 0.054 * 0.6)
        );
    }

    #[test]
    fn refusals() {
        const P: &str = "a probability in [0, 1]";
        const NON_NEGATIVE: &str = "a finite number >= 0";
        let cases = [
            ("complaint_if_top_box = 1.5", "got 1.5", P),
            ("complaint_otherwise = -0.1", "got -0.1", P),
            ("formal_complaint_kappa = 2.0", "got 2", P),
            ("bot_sale_factor = 2.0", "got 2", P),
            ("loyalty_ratio = 2.0", "got 2", P),
            ("beta_wait = -1.0", "got -1", NON_NEGATIVE),
            ("warm_handoff_weight = 1.5", "got 1.5", P),
            ("mis_sale_complaint = -0.5", "got -0.5", P),
            ("pressure_sales_uplift = -1.0", "got -1", NON_NEGATIVE),
            ("beta_transfer = -1.0", "got -1", NON_NEGATIVE),
            ("beta_unresolved = -1.0", "got -1", NON_NEGATIVE),
            ("beta_repeat = -1.0", "got -1", NON_NEGATIVE),
            ("beta_back_office = -1.0", "got -1", NON_NEGATIVE),
            (
                "top_box_ideal = 1.0",
                "got 1",
                "a probability strictly between 0 and 1",
            ),
            ("loss_aversion = 0.0", "got 0", "a finite number > 0"),
        ];
        for (line, got, allowed) in cases {
            let field = format!("outcomes.{}", line.split(" = ").next().unwrap_or(line));
            assert_eq!(
                problem(&with("", &format!("[outcomes]\n{line}"))),
                (field, format!("{got}; allowed: {allowed}")),
                "{line}"
            );
        }
    }
}
