//! Risk inputs: `segment.problem_rate`, a back office's `catch_rate`, and
//! the `[risk]` table of money lost (missed cases, mis-sale remediation,
//! credit losses and their rise under sales pressure). docs/outcomes.md,
//! "Risk and retention".

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawScenario;
use crate::model::{Risk, TierKind};

/// `[risk]`: every field optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRisk {
    /// Money lost per problem case served and not caught.
    pub loss_per_missed_case: Option<Spanned<f64>>,
    /// Money paid per mis-sale (redress and handling).
    pub mis_sale_remediation: Option<Spanned<f64>>,
    /// `{ request type = expected credit loss per sale }`, balanced KPIs.
    pub credit_loss_per_sale: Option<BTreeMap<Spanned<String>, Spanned<f64>>>,
    /// Relative rise of credit losses per unit of KPI pressure.
    pub credit_loss_uplift: Option<Spanned<f64>>,
}

/// A share in [0, 1], as the message says it.
const SHARE: &str = "a share in [0, 1]";

impl Checker<'_> {
    /// The risk inputs over tiers of kinds `kinds` and request types
    /// `requests` (one implicit type when none is declared).
    pub(super) fn risk(
        &mut self,
        raw: &RawScenario,
        kinds: &[TierKind],
        requests: &[String],
    ) -> Risk {
        let share = |c: &mut Self, v: &Spanned<f64>, field: String| {
            c.number(v, &field, |x| (0.0..=1.0).contains(&x), SHARE)
        };
        let mut risk = Risk {
            problem_rate: vec![0.0; raw.segment.len()],
            catch_rate: vec![0.0; raw.tier.len()],
            credit_loss_per_sale: vec![0.0; requests.len().max(1)],
            ..Risk::default()
        };
        for (s, seg) in raw.segment.iter().enumerate() {
            let seg = seg.get_ref();
            if let Some(v) = &seg.problem_rate {
                let field = format!("segment.{}.problem_rate", seg.name.get_ref());
                risk.problem_rate[s] = share(self, v, field);
            }
        }
        for (t, tier) in raw.tier.iter().enumerate() {
            let tier = tier.get_ref();
            let Some(v) = &tier.catch_rate else { continue };
            let field = format!("tier.{}.catch_rate", tier.name.get_ref());
            if kinds.get(t) != Some(&TierKind::BackOffice) {
                self.problem(
                    v.span(),
                    field,
                    "only a back office catches problem cases; allowed: `catch_rate` on a tier with kind = \"back_office\"",
                );
                continue;
            }
            risk.catch_rate[t] = share(self, v, field);
        }
        let Some(r) = &raw.risk else {
            return risk;
        };
        let r = r.get_ref();
        let money = [
            (
                &r.loss_per_missed_case,
                "loss_per_missed_case",
                &mut risk.loss_per_missed_case,
            ),
            (
                &r.mis_sale_remediation,
                "mis_sale_remediation",
                &mut risk.mis_sale_remediation,
            ),
            (
                &r.credit_loss_uplift,
                "credit_loss_uplift",
                &mut risk.credit_loss_uplift,
            ),
        ];
        for (value, field, slot) in money {
            if let Some(v) = value {
                *slot = self.non_negative(v, &format!("risk.{field}"));
            }
        }
        let field = "risk.credit_loss_per_sale";
        let names: Vec<String> = if requests.is_empty() {
            vec!["default".to_string()]
        } else {
            requests.to_vec()
        };
        for (name, v) in r.credit_loss_per_sale.iter().flatten() {
            let loss = self.non_negative(v, &format!("{field}.{}", name.get_ref()));
            if let Some(i) = self.reference(name, &names, field, "request type") {
                risk.credit_loss_per_sale[i] = loss;
            }
        }
        risk
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, with};

    /// [`BASE`] with a back office `bo` that segment `s` goes through.
    fn reviewed(segment: &str, tier: &str) -> String {
        BASE.replace(
            "rate_per_hour = 6.0",
            &format!("rate_per_hour = 6.0\nback_office = [\"bo\"]\n{segment}"),
        ) + &format!(
            "\n[[tier]]\nname = \"bo\"\nkind = \"back_office\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n{tier}\n"
        )
    }

    #[test]
    fn defaults_are_neutral() {
        let m = model(BASE);
        assert_eq!(m.risk.problem_rate, [0.0]);
        assert_eq!(m.risk.catch_rate, [0.0]);
        assert_eq!(m.risk.credit_loss_per_sale, [0.0]);
        assert_eq!(
            (m.risk.loss_per_missed_case, m.risk.mis_sale_remediation),
            (0.0, 0.0)
        );
        assert_eq!(m.risk.credit_loss_uplift, 0.24);
        let m = model(&format!(
            "{}\n[risk]\nloss_per_missed_case = 500.0\nmis_sale_remediation = 1.5\ncredit_loss_per_sale = {{ default = 0.2 }}\ncredit_loss_uplift = 0.3\n",
            reviewed("problem_rate = 0.05", "catch_rate = 0.6")
        ));
        assert_eq!(m.risk.problem_rate, [0.05]);
        assert_eq!(m.risk.catch_rate, [0.0, 0.6]);
        assert_eq!(m.risk.loss_per_missed_case, 500.0);
        assert_eq!(m.risk.mis_sale_remediation, 1.5);
        assert_eq!(m.risk.credit_loss_per_sale, [0.2]);
        assert_eq!(m.risk.credit_loss_uplift, 0.3);
    }

    /// A catch rate or a loss per missed case with no problem case anywhere
    /// can do nothing: `check` and `run` say so; with problem cases, nothing.
    #[test]
    fn risk_without_problem_cases_is_warned() {
        let warnings = |source: &str| crate::scenario::parse(source, "t.toml").unwrap().warnings;
        let source = format!(
            "{}\n[risk]\nloss_per_missed_case = 500.0\n",
            reviewed("", "catch_rate = 0.6")
        );
        let w = warnings(&source);
        assert!(
            w.iter()
                .any(|w| w.starts_with("tier `bo`: catch_rate = 0.6 catches nothing")),
            "{w:?}"
        );
        assert!(
            w.iter()
                .any(|w| w.starts_with("risk.loss_per_missed_case = 500 is never lost")),
            "{w:?}"
        );
        let source = source.replace("back_office = [", "problem_rate = 0.01\nback_office = [");
        assert!(
            !warnings(&source)
                .iter()
                .any(|w| w.contains("problem cases"))
        );
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                reviewed("problem_rate = 1.5", ""),
                "segment.s.problem_rate",
                "got 1.5; allowed: a share in [0, 1]",
            ),
            (
                reviewed("", "catch_rate = -0.1"),
                "tier.bo.catch_rate",
                "got -0.1; allowed: a share in [0, 1]",
            ),
            (
                with("servers = 2", "catch_rate = 0.5"),
                "tier.t.catch_rate",
                "only a back office catches problem cases; allowed: `catch_rate` on a tier with kind = \"back_office\"",
            ),
            (
                with("", "[risk]\nloss_per_missed_case = -1.0"),
                "risk.loss_per_missed_case",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                with("", "[risk]\nmis_sale_remediation = -5.0"),
                "risk.mis_sale_remediation",
                "got -5; allowed: a finite number >= 0",
            ),
            (
                with("", "[risk]\ncredit_loss_per_sale = { default = -0.5 }"),
                "risk.credit_loss_per_sale.default",
                "got -0.5; allowed: a finite number >= 0",
            ),
            (
                with("", "[risk]\ncredit_loss_per_sale = { loan = 0.5 }"),
                "risk.credit_loss_per_sale",
                "no request type named `loan`; allowed: `default`",
            ),
        ];
        for (source, field, message) in cases {
            assert_eq!(
                problem(&source),
                (field.to_string(), message.to_string()),
                "{source}"
            );
        }
    }
}
