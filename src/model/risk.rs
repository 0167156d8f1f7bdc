//! Risk outcomes: problem cases (clients a review should stop) that a back
//! office catches or misses, and the money lost to missed cases, to the
//! remediation of mis-sales and to credit losses, which sales pressure
//! raises. Defaults and sources: docs/outcomes.md ("Risk and retention"),
//! docs/evidence.md §18 and §9.7. Depends on the model only.

use super::Model;

/// The risk model's inputs. Every default is neutral: no problem cases,
/// nothing caught, no money lost, so a scenario that says nothing about
/// risk reports zero losses and runs exactly as before.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk {
    /// Per segment: share of its clients who are problem cases
    /// (`segment.problem_rate`).
    pub problem_rate: Vec<f64>,
    /// Per tier: share of the problem cases passing through it that a
    /// back office catches (`tier.catch_rate`).
    pub catch_rate: Vec<f64>,
    /// Money lost per problem case served and not caught
    /// (`risk.loss_per_missed_case`).
    pub loss_per_missed_case: f64,
    /// Money paid per mis-sale: redress and handling
    /// (`risk.mis_sale_remediation`).
    pub mis_sale_remediation: f64,
    /// Per request type: expected credit loss per sale under balanced KPIs
    /// (`risk.credit_loss_per_sale`).
    pub credit_loss_per_sale: Vec<f64>,
    /// Relative rise of credit losses per unit of KPI pressure
    /// (`risk.credit_loss_uplift`, 0.24: Agarwal & Ben-David).
    pub credit_loss_uplift: f64,
}

/// Agarwal & Ben-David (2018): volume pay raised defaults by 24%
/// (docs/evidence.md §9.7, conf. H).
pub const CREDIT_LOSS_UPLIFT: f64 = 0.24;

impl Default for Risk {
    fn default() -> Self {
        Risk {
            problem_rate: Vec::new(),
            catch_rate: Vec::new(),
            loss_per_missed_case: 0.0,
            mis_sale_remediation: 0.0,
            credit_loss_per_sale: Vec::new(),
            credit_loss_uplift: CREDIT_LOSS_UPLIFT,
        }
    }
}

impl Risk {
    /// P(a problem case going through back offices `steps` is caught by
    /// none of them): the product of (1 − catch rate) over the steps.
    pub fn miss_probability(&self, steps: impl IntoIterator<Item = usize>) -> f64 {
        steps
            .into_iter()
            .map(|t| 1.0 - self.catch_rate.get(t).copied().unwrap_or(0.0))
            .product()
    }

    /// Expected credit loss of one sale of request type `request` under KPI
    /// pressure `k`: the balanced-KPI loss times 1 + uplift · k.
    pub fn credit_loss(&self, request: usize, k: f64) -> f64 {
        self.credit_loss_per_sale
            .get(request)
            .copied()
            .unwrap_or(0.0)
            * (1.0 + self.credit_loss_uplift * k)
    }
}

/// The risk model worked out once for the event loop.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskTerms {
    /// Some segment has problem cases: served clients draw whether they are
    /// one (otherwise nothing is drawn).
    pub active: bool,
    /// Per segment: P(problem case).
    pub problem_rate: Vec<f64>,
    /// P(missed) of a problem case of segment `s` with request type `r`, at
    /// `s * requests + r`: over the segment's and the request's back
    /// offices (every served case goes through both lists).
    pub miss: Vec<f64>,
    /// Per request type: the expected credit loss of a sale, pressure
    /// included.
    pub credit_loss: Vec<f64>,
    /// See [`Risk::loss_per_missed_case`].
    pub loss_per_missed_case: f64,
    /// See [`Risk::mis_sale_remediation`].
    pub mis_sale_remediation: f64,
}

impl RiskTerms {
    /// The terms of `model`.
    pub fn new(model: &Model) -> RiskTerms {
        let risk = &model.risk;
        let requests = model.requests.len();
        let mut miss = Vec::with_capacity(model.segments.len() * requests);
        for s in &model.segments {
            for r in &model.requests {
                miss.push(
                    risk.miss_probability(s.back_office.iter().chain(&r.back_office).copied()),
                );
            }
        }
        let problem_rate: Vec<f64> = (0..model.segments.len())
            .map(|s| risk.problem_rate.get(s).copied().unwrap_or(0.0))
            .collect();
        RiskTerms {
            active: problem_rate.iter().any(|&p| p > 0.0),
            problem_rate,
            miss,
            credit_loss: (0..requests)
                .map(|r| risk.credit_loss(r, model.outcomes.kpi_pressure))
                .collect(),
            loss_per_missed_case: risk.loss_per_missed_case,
            mis_sale_remediation: risk.mis_sale_remediation,
        }
    }

    /// Whether a served client of segment `s` with request `r` is a problem
    /// case and, if so, whether it was caught, from two uniform draws:
    /// `None` for a clean client, `Some(caught)` otherwise.
    #[inline]
    pub fn problem(&self, s: usize, r: usize, requests: usize, u: f64, v: f64) -> Option<bool> {
        (u < self.problem_rate[s]).then(|| v >= self.miss[s * requests + r])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(catch: &[f64]) -> Risk {
        Risk {
            catch_rate: catch.to_vec(),
            credit_loss_per_sale: vec![0.0, 2.0],
            ..Risk::default()
        }
    }

    /// Break points: no step misses everything; one step of recall c misses
    /// 1 − c; two steps multiply; an unknown tier catches nothing.
    #[test]
    fn miss_probability_break_points() {
        let r = risk(&[0.6, 0.5, 0.0]);
        assert_eq!(r.miss_probability([]), 1.0);
        assert!((r.miss_probability([0]) - 0.4).abs() < 1e-15);
        assert!((r.miss_probability([0, 1]) - 0.2).abs() < 1e-15);
        assert_eq!(r.miss_probability([2]), 1.0);
        assert_eq!(r.miss_probability([9]), 1.0);
    }

    /// Credit losses: the balanced-KPI loss at k = 0, +24% at k = 1.
    #[test]
    fn credit_loss_uplift() {
        let r = risk(&[]);
        assert_eq!(r.credit_loss(1, 0.0), 2.0);
        assert!((r.credit_loss(1, 1.0) - 2.48).abs() < 1e-12);
        assert!((r.credit_loss(1, 0.5) - 2.24).abs() < 1e-12);
        assert_eq!(r.credit_loss(0, 1.0), 0.0);
        assert_eq!(r.credit_loss(7, 1.0), 0.0);
    }

    #[test]
    fn problem_draws() {
        let t = RiskTerms {
            active: true,
            problem_rate: vec![0.1],
            miss: vec![0.4],
            ..RiskTerms::default()
        };
        assert_eq!(t.problem(0, 0, 1, 0.2, 0.0), None);
        assert_eq!(t.problem(0, 0, 1, 0.05, 0.39), Some(false));
        assert_eq!(t.problem(0, 0, 1, 0.05, 0.4), Some(true));
    }
}
