//! Retention and long-run value: the chance that a client leaves the bank
//! within a year, driven by how their journey ended (top-box, not top-box,
//! a complaint handled at the front line, unresolved, a formal complaint),
//! and what survey feedback does to it. Defaults and sources:
//! docs/outcomes.md ("Risk and retention"), docs/evidence.md §15 and §16.
//! No random draws: every term is an expectation over the journey's
//! existing outcome draws.

/// How a journey ended, for retention: the first that applies, in this
/// order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The client made a formal recorded complaint (not settled at the
    /// front line).
    FormalComplaint,
    /// The request was not resolved (abandoned, blocked, never reached).
    Unresolved,
    /// The client complained at the front line, and it went no further.
    ComplaintHandled,
    /// Resolved, and the client answered top-box.
    TopBox,
    /// Resolved, not top-box.
    NotTopBox,
}

impl Ending {
    /// The ending of a journey from its outcome draws.
    #[inline]
    pub fn of(resolved: bool, top_box: bool, complaint: bool, formal: bool) -> Ending {
        if formal {
            Ending::FormalComplaint
        } else if !resolved {
            Ending::Unresolved
        } else if complaint {
            Ending::ComplaintHandled
        } else if top_box {
            Ending::TopBox
        } else {
            Ending::NotTopBox
        }
    }
}

/// The retention model's coefficients (`[retention]`), the segments'
/// annual values and the feedback lever.
#[derive(Clone, Debug, PartialEq)]
pub struct Retention {
    /// h0: annual attrition of a client whose journey ended top-box (J.D.
    /// Power actual switching 4–9.6%, conf. M).
    pub base_annual: f64,
    /// Relative risk after a resolved journey that was not top-box
    /// (ASSUMPTION).
    pub rr_not_top_box: f64,
    /// Relative risk after an unresolved journey (stated intent ≈ 10×,
    /// damped to 3×; conf. L).
    pub rr_unresolved: f64,
    /// Relative risk after a front-line complaint handled there (TARP: a
    /// complaint settled quickly keeps the client; de Matos et al.: no
    /// recovery paradox on repurchase; conf. M).
    pub rr_complaint_handled: f64,
    /// Relative risk after a formal complaint (TARP loss shares of a
    /// complaint settled late; conf. M as a ratio).
    pub rr_formal_complaint: f64,
    /// Share of invited clients who answer a survey (conf. L).
    pub survey_response_rate: f64,
    /// Attrition multiplier of survey respondents (ASSUMPTION, direction H).
    pub survey_respondent_attrition: f64,
    /// Attrition multiplier of invited clients who did not answer
    /// (ASSUMPTION, direction M).
    pub survey_nonrespondent_attrition: f64,
    /// Multiplier of respondents' purchases over the next year (H, another
    /// industry).
    pub survey_respondent_purchase: f64,
    /// Share of clients surveyed and followed up (`levers.feedback`).
    pub feedback: f64,
    /// Per segment: a client's value to the bank per year
    /// (`segment.annual_value`, in the scenario's currency; 0 by default).
    pub annual_value: Vec<f64>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            base_annual: 0.06,
            rr_not_top_box: 1.3,
            rr_unresolved: 3.0,
            rr_complaint_handled: 1.0,
            rr_formal_complaint: 2.5,
            survey_response_rate: 0.10,
            survey_respondent_attrition: 0.85,
            survey_nonrespondent_attrition: 1.05,
            survey_respondent_purchase: 1.14,
            feedback: 0.0,
            annual_value: Vec::new(),
        }
    }
}

impl Retention {
    /// The relative risk of attrition after a journey ending `e`.
    pub fn relative_risk(&self, e: Ending) -> f64 {
        match e {
            Ending::FormalComplaint => self.rr_formal_complaint,
            Ending::Unresolved => self.rr_unresolved,
            Ending::ComplaintHandled => self.rr_complaint_handled,
            Ending::TopBox => 1.0,
            Ending::NotTopBox => self.rr_not_top_box,
        }
    }

    /// The feedback lever's multiplier on attrition: clients not surveyed
    /// keep theirs; of the surveyed, respondents and non-respondents take
    /// their own multipliers.
    pub fn feedback_attrition(&self) -> f64 {
        let r = self.survey_response_rate;
        let surveyed =
            r * self.survey_respondent_attrition + (1.0 - r) * self.survey_nonrespondent_attrition;
        1.0 - self.feedback + self.feedback * surveyed
    }

    /// The feedback lever's extra new business, as a share of a client's
    /// annual value: respondents' purchase uplift times the share who
    /// respond.
    pub fn feedback_new_business(&self) -> f64 {
        self.feedback * self.survey_response_rate * (self.survey_respondent_purchase - 1.0)
    }

    /// P(the client leaves within a year) after a journey ending `e`:
    /// h0 · RR · the feedback multiplier, at most 1.
    pub fn attrition(&self, e: Ending) -> f64 {
        (self.base_annual * self.relative_risk(e) * self.feedback_attrition()).min(1.0)
    }

    /// The annual attrition of each ending, in the order of [`ENDINGS`],
    /// worked out once for the event loop.
    pub fn table(&self) -> [f64; 5] {
        ENDINGS.map(|e| self.attrition(e))
    }
}

/// Every ending, in the order of [`Retention::table`].
pub const ENDINGS: [Ending; 5] = [
    Ending::FormalComplaint,
    Ending::Unresolved,
    Ending::ComplaintHandled,
    Ending::TopBox,
    Ending::NotTopBox,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented break points (docs/outcomes.md): 6% a year after a
    /// top-box journey, 7.8% not top-box, 18% unresolved, 6% after a
    /// complaint handled at the front line, 15% after a formal complaint.
    #[test]
    fn documented_break_points() {
        let r = Retention::default();
        let check = |e: Ending, expected: f64| {
            let h = r.attrition(e);
            assert!((h - expected).abs() < 1e-12, "{e:?}: {h} vs {expected}");
        };
        check(Ending::TopBox, 0.06);
        check(Ending::NotTopBox, 0.078);
        check(Ending::Unresolved, 0.18);
        check(Ending::ComplaintHandled, 0.06);
        check(Ending::FormalComplaint, 0.15);
        assert_eq!(r.table()[3], 0.06);
        for (i, e) in ENDINGS.iter().enumerate() {
            assert_eq!(*e as usize, i, "the table is indexed by the ending");
        }
        // Capped at 1.
        let r = Retention {
            rr_unresolved: 100.0,
            ..Retention::default()
        };
        assert_eq!(r.attrition(Ending::Unresolved), 1.0);
    }

    /// The order of precedence: a formal complaint first, then unresolved,
    /// then a handled complaint, then top-box or not.
    #[test]
    fn endings() {
        assert_eq!(Ending::of(true, true, true, true), Ending::FormalComplaint);
        assert_eq!(Ending::of(false, true, true, false), Ending::Unresolved);
        assert_eq!(
            Ending::of(true, false, true, false),
            Ending::ComplaintHandled
        );
        assert_eq!(Ending::of(true, true, false, false), Ending::TopBox);
        assert_eq!(Ending::of(true, false, false, false), Ending::NotTopBox);
    }

    /// Feedback: none changes nothing; everyone surveyed and answering takes
    /// the respondents' 0.85; at the default 10% response it raises attrition
    /// (0.1 · 0.85 + 0.9 · 1.05 = 1.03); it breaks even at a 25% response.
    #[test]
    fn feedback_break_points() {
        let r = Retention::default();
        assert_eq!(r.feedback_attrition(), 1.0);
        assert_eq!(r.feedback_new_business(), 0.0);
        let all = Retention {
            feedback: 1.0,
            survey_response_rate: 1.0,
            ..Retention::default()
        };
        assert!((all.feedback_attrition() - 0.85).abs() < 1e-12);
        assert!((all.attrition(Ending::TopBox) - 0.06 * 0.85).abs() < 1e-12);
        assert!((all.feedback_new_business() - 0.14).abs() < 1e-12);
        let default_response = Retention {
            feedback: 1.0,
            ..Retention::default()
        };
        assert!((default_response.feedback_attrition() - 1.03).abs() < 1e-12);
        let even = Retention {
            feedback: 1.0,
            survey_response_rate: 0.25,
            ..Retention::default()
        };
        assert!((even.feedback_attrition() - 1.0).abs() < 1e-12);
    }
}
