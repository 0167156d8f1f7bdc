//! First-contact resolution at a staffed or dedicated tier: `resolves`
//! (per request type), its default by `expertise` when the file opts into
//! the v2 outcome model, and training's `resolution` factor.

use super::super::PROBABILITY_SLACK;
use super::super::diagnostics::{Checker, rounded, unknown_word};
use super::super::raw::RawTier;
use super::TierContext;
use crate::model::outcome::v2;
use crate::model::{Escalation, TierKind};

/// Expertise as written, with its first-contact resolution (docs/outcomes.md,
/// "Resolution").
const EXPERTISE: [(&str, f64); 3] = [
    ("junior", v2::FCR_JUNIOR),
    ("senior", v2::FCR_SENIOR),
    ("expert", v2::FCR_EXPERT),
];

impl Checker<'_> {
    /// Tier `j`'s `resolves` per request type: 1 at chatbots (their
    /// containment is a route) and back offices; at a staffed or dedicated
    /// tier as written, else 1 unless the file opts in (`[outcomes] model
    /// = 2`, or the tier's `expertise`), then its expertise's FCR over the
    /// share that stays at the tier (`routes` as written, before training's
    /// escalation factor), capped at 1; times
    /// training's `resolution`.
    pub(super) fn resolves(
        &mut self,
        t: &RawTier,
        j: usize,
        cx: &TierContext<'_>,
        routes: &[Vec<Escalation>],
    ) -> Option<Vec<f64>> {
        let n = cx.kinds_of_request();
        let kind = cx.kinds[j];
        if matches!(kind, TierKind::Chatbot | TierKind::BackOffice) {
            return Some(vec![1.0; n]);
        }
        let fcr = self.expertise(t, kind);
        let opted = cx.v2 || t.expertise.is_some();
        let before = self.count();
        let mut resolves = self.shares(t, cx, f64::NAN).unwrap_or(vec![f64::NAN; n]);
        for (r, p) in resolves.iter_mut().enumerate() {
            if p.is_nan() {
                *p = if opted {
                    let stays = 1.0 - routes[r].iter().map(|e| e.probability).sum::<f64>();
                    if stays > 0.0 {
                        (fcr / stays).min(1.0)
                    } else {
                        1.0
                    }
                } else {
                    1.0
                };
            }
        }
        if let Some((factor, span)) = &cx.training[j].resolution {
            let name = t.name.get_ref();
            for p in resolves.iter_mut() {
                *p *= factor;
            }
            if let Some(worst) = resolves
                .iter()
                .copied()
                .find(|&p| p > 1.0 + PROBABILITY_SLACK)
            {
                self.problem(
                    span.clone(),
                    format!("levers.training.{name}.resolution"),
                    format!(
                        "`resolves` would reach {}; allowed: a multiplier keeping every share resolved <= 1",
                        rounded(worst)
                    ),
                );
            }
            resolves.iter_mut().for_each(|p| *p = p.min(1.0));
        }
        (self.count() == before).then_some(resolves)
    }

    /// The tier's expertise's first-contact resolution: `junior` by default
    /// at a staffed tier, `senior` at a dedicated one (ASSUMPTION).
    fn expertise(&mut self, t: &RawTier, kind: TierKind) -> f64 {
        let default = if kind == TierKind::Dedicated {
            v2::FCR_SENIOR
        } else {
            v2::FCR_JUNIOR
        };
        let Some(e) = &t.expertise else {
            return default;
        };
        match EXPERTISE.iter().find(|(w, _)| w == e.get_ref()) {
            Some((_, fcr)) => *fcr,
            None => {
                self.problem(
                    e.span(),
                    format!("tier.{}.expertise", t.name.get_ref()),
                    unknown_word("expertise", e.get_ref(), &EXPERTISE.map(|(w, _)| w)),
                );
                default
            }
        }
    }
}
