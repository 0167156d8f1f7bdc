//! `[outcomes]`: the coefficients of the outcome model (satisfaction,
//! complaints, loyalty, sales), each defaulting to the evidence.

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawScenario;
use crate::model::Outcomes;

impl Checker<'_> {
    /// `[outcomes]`; `None` when a coefficient has problems.
    pub(super) fn outcomes(&mut self, raw: &RawScenario) -> Option<Outcomes> {
        let mut o = Outcomes::default();
        let Some(r) = &raw.outcomes else {
            return Some(o);
        };
        let r = r.get_ref();
        let before = self.count();
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
        ];
        for (value, field, slot) in probabilities {
            if let Some(v) = value {
                *slot = self.probability(v, &format!("outcomes.{field}"));
            }
        }
        let coefficients: [(&Option<Spanned<f64>>, &str, &mut f64); 5] = [
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
        (self.count() == before).then_some(o)
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
    fn refusals() {
        let cases = [
            (
                "complaint_if_top_box = 1.5",
                "outcomes.complaint_if_top_box",
                "got 1.5; allowed: a probability in [0, 1]",
            ),
            (
                "complaint_otherwise = -0.1",
                "outcomes.complaint_otherwise",
                "got -0.1; allowed: a probability in [0, 1]",
            ),
            (
                "formal_complaint_kappa = 2.0",
                "outcomes.formal_complaint_kappa",
                "got 2; allowed: a probability in [0, 1]",
            ),
            (
                "bot_sale_factor = 2.0",
                "outcomes.bot_sale_factor",
                "got 2; allowed: a probability in [0, 1]",
            ),
            (
                "loyalty_ratio = 2.0",
                "outcomes.loyalty_ratio",
                "got 2; allowed: a probability in [0, 1]",
            ),
            (
                "beta_wait = -1.0",
                "outcomes.beta_wait",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "beta_transfer = -1.0",
                "outcomes.beta_transfer",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "beta_unresolved = -1.0",
                "outcomes.beta_unresolved",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "beta_repeat = -1.0",
                "outcomes.beta_repeat",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "beta_back_office = -1.0",
                "outcomes.beta_back_office",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "top_box_ideal = 1.0",
                "outcomes.top_box_ideal",
                "got 1; allowed: a probability strictly between 0 and 1",
            ),
            (
                "loss_aversion = 0.0",
                "outcomes.loss_aversion",
                "got 0; allowed: a finite number > 0",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&with("", &format!("[outcomes]\n{line}"))),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
    }
}
