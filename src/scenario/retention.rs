//! Retention inputs: the `[retention]` coefficients, each segment's
//! `annual_value` and the `levers.feedback` lever. docs/outcomes.md,
//! "Risk and retention".

use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawScenario;
use crate::model::Retention;

/// `[retention]`: every field optional, defaults from the evidence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetention {
    /// h0: annual attrition after a top-box journey.
    pub base_annual: Option<Spanned<f64>>,
    /// Relative risk after a resolved journey that was not top-box.
    pub rr_not_top_box: Option<Spanned<f64>>,
    /// Relative risk after an unresolved journey.
    pub rr_unresolved: Option<Spanned<f64>>,
    /// Relative risk after a front-line complaint handled there.
    pub rr_complaint_handled: Option<Spanned<f64>>,
    /// Relative risk after a formal complaint.
    pub rr_formal_complaint: Option<Spanned<f64>>,
    /// Share of surveyed clients who answer.
    pub survey_response_rate: Option<Spanned<f64>>,
    /// Attrition multiplier of respondents.
    pub survey_respondent_attrition: Option<Spanned<f64>>,
    /// Attrition multiplier of invited non-respondents.
    pub survey_nonrespondent_attrition: Option<Spanned<f64>>,
    /// Purchase multiplier of respondents over the next year.
    pub survey_respondent_purchase: Option<Spanned<f64>>,
}

impl Checker<'_> {
    /// The retention inputs of `raw`.
    pub(super) fn retention(&mut self, raw: &RawScenario) -> Retention {
        let share = |c: &mut Self, v: &Spanned<f64>, field: &str| {
            c.number(v, field, |x| (0.0..=1.0).contains(&x), "a share in [0, 1]")
        };
        let mut out = Retention {
            annual_value: vec![0.0; raw.segment.len()],
            ..Retention::default()
        };
        for (s, seg) in raw.segment.iter().enumerate() {
            let seg = seg.get_ref();
            if let Some(v) = &seg.annual_value {
                let field = format!("segment.{}.annual_value", seg.name.get_ref());
                out.annual_value[s] = self.non_negative(v, &field);
            }
        }
        if let Some(f) = raw
            .levers
            .as_ref()
            .and_then(|l| l.get_ref().feedback.as_ref())
        {
            out.feedback = share(self, f, "levers.feedback");
        }
        let Some(r) = &raw.retention else {
            return out;
        };
        let r = r.get_ref();
        for (value, field, slot) in [
            (&r.base_annual, "base_annual", &mut out.base_annual),
            (
                &r.survey_response_rate,
                "survey_response_rate",
                &mut out.survey_response_rate,
            ),
        ] {
            if let Some(v) = value {
                *slot = share(self, v, &format!("retention.{field}"));
            }
        }
        for (value, field, slot) in [
            (&r.rr_not_top_box, "rr_not_top_box", &mut out.rr_not_top_box),
            (&r.rr_unresolved, "rr_unresolved", &mut out.rr_unresolved),
            (
                &r.rr_complaint_handled,
                "rr_complaint_handled",
                &mut out.rr_complaint_handled,
            ),
            (
                &r.rr_formal_complaint,
                "rr_formal_complaint",
                &mut out.rr_formal_complaint,
            ),
            (
                &r.survey_respondent_attrition,
                "survey_respondent_attrition",
                &mut out.survey_respondent_attrition,
            ),
            (
                &r.survey_nonrespondent_attrition,
                "survey_nonrespondent_attrition",
                &mut out.survey_nonrespondent_attrition,
            ),
            (
                &r.survey_respondent_purchase,
                "survey_respondent_purchase",
                &mut out.survey_respondent_purchase,
            ),
        ] {
            if let Some(v) = value {
                *slot = self.non_negative(v, &format!("retention.{field}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, with};
    use crate::model::Retention;

    #[test]
    fn defaults_are_the_evidence() {
        let m = model(BASE);
        let d = Retention::default();
        assert_eq!(m.retention.base_annual, d.base_annual);
        assert_eq!(m.retention.annual_value, [0.0]);
        assert_eq!(m.retention.feedback, 0.0);
        let m = model(&format!(
            "{}\n[levers]\nfeedback = 0.3\n\n[retention]\nbase_annual = 0.08\nrr_unresolved = 5.0\n",
            BASE.replace(
                "rate_per_hour = 6.0",
                "rate_per_hour = 6.0\nannual_value = 120.0"
            )
        ));
        assert_eq!(m.retention.annual_value, [120.0]);
        assert_eq!(m.retention.feedback, 0.3);
        assert_eq!(
            (m.retention.base_annual, m.retention.rr_unresolved),
            (0.08, 5.0)
        );
        assert_eq!(m.retention.rr_not_top_box, d.rr_not_top_box);
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                BASE.replace(
                    "rate_per_hour = 6.0",
                    "rate_per_hour = 6.0\nannual_value = -1.0",
                ),
                "segment.s.annual_value",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                with("", "[levers]\nfeedback = 1.2"),
                "levers.feedback",
                "got 1.2; allowed: a share in [0, 1]",
            ),
            (
                with("", "[retention]\nbase_annual = 1.5"),
                "retention.base_annual",
                "got 1.5; allowed: a share in [0, 1]",
            ),
            (
                with("", "[retention]\nsurvey_response_rate = -0.1"),
                "retention.survey_response_rate",
                "got -0.1; allowed: a share in [0, 1]",
            ),
            (
                with("", "[retention]\nrr_unresolved = -2.0"),
                "retention.rr_unresolved",
                "got -2; allowed: a finite number >= 0",
            ),
            (
                with("", "[retention]\nsurvey_respondent_attrition = -0.5"),
                "retention.survey_respondent_attrition",
                "got -0.5; allowed: a finite number >= 0",
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
