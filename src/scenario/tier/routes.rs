//! Where clients go after a tier: probabilistic escalation (`escalate`, per
//! request type, scaled by training), a chatbot's hand-off (`resolves`,
//! `handoff_to`), and escalation by skill (`skill`, `triage`,
//! `escalate_to`).

use std::ops::Range;

use toml::Spanned;

use super::super::PROBABILITY_SLACK;
use super::super::diagnostics::{Checker, rounded};
use super::super::raw::{RawEscalation, RawTier};
use super::TierContext;
use crate::model::{Escalation, Skill, TierKind};

impl Checker<'_> {
    /// Tier `j`'s routes per request type, as written (training's
    /// escalation factor is applied by the caller); `None` when they cannot
    /// be built.
    pub(super) fn routes(
        &mut self,
        t: &RawTier,
        j: usize,
        cx: &TierContext<'_>,
    ) -> Option<Vec<Vec<Escalation>>> {
        let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
        let mut routes = if cx.kinds[j] == TierKind::Chatbot {
            self.handoffs(t, cx)?
        } else {
            let routes = self.escalations(
                t.escalate.as_deref().unwrap_or(&[]),
                cx.names,
                &field("escalate"),
                t.name.span(),
            )?;
            vec![routes; cx.kinds_of_request()]
        };
        for (r, at) in cx.at.iter().enumerate() {
            if let Some(own) = &at[j].escalate {
                routes[r] = own.clone();
            }
        }
        Some(routes)
    }

    /// A chatbot's routes: what it does not resolve goes to `handoff_to`.
    fn handoffs(&mut self, t: &RawTier, cx: &TierContext<'_>) -> Option<Vec<Vec<Escalation>>> {
        let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
        let Some(to) = &t.handoff_to else {
            self.problem(
                t.name.span(),
                field("handoff_to"),
                "missing; a chatbot needs the tier that takes what it does not resolve",
            );
            return None;
        };
        if to.get_ref() == t.name.get_ref() {
            self.problem(
                to.span(),
                field("handoff_to"),
                format!(
                    "`{}` hands off to itself: what it does not resolve would come back for ever; allowed: another tier (a staffed one takes the hand-offs)",
                    to.get_ref()
                ),
            );
            return None;
        }
        let to = self.reference(to, cx.names, &field("handoff_to"), "tier")?;
        let resolves = self
            .shares(t, cx, 0.0)
            .unwrap_or_else(|| vec![0.0; cx.kinds_of_request()]);
        Some(
            resolves
                .iter()
                .map(|p| {
                    vec![Escalation {
                        to,
                        probability: 1.0 - p,
                    }]
                })
                .collect(),
        )
    }

    /// A tier's `resolves` as written, per request type (`None` when not
    /// written): `{ request type = share }`, or `{ default = share }` when
    /// no request types are declared. Unwritten types get `fill` (NaN: the
    /// caller's default).
    pub(super) fn shares(
        &mut self,
        t: &RawTier,
        cx: &TierContext<'_>,
        fill: f64,
    ) -> Option<Vec<f64>> {
        let key = "resolves";
        let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
        let written = t.resolves.as_ref()?;
        let mut shares = vec![fill; cx.kinds_of_request()];
        for (k, v) in written {
            let p = self.number(
                v,
                &field(key),
                |x| (0.0..=1.0).contains(&x),
                "a share in [0, 1]",
            );
            if cx.requests.is_empty() {
                if k.get_ref() == "default" {
                    shares[0] = p;
                } else {
                    self.problem(
                        k.span(),
                        field(key),
                        "no `[[request]]` types are declared; use `default` for all requests",
                    );
                }
            } else if let Some(r) = self.reference(k, cx.requests, &field(key), "request type") {
                shares[r] = p;
            }
        }
        Some(shares)
    }

    /// Training's escalation multiplier `e` (written at `span`) applied to
    /// every route, which must still sum to at most 1.
    pub(super) fn train_escalation(
        &mut self,
        routes: &mut [Vec<Escalation>],
        e: f64,
        span: &Range<usize>,
        tier: &str,
    ) {
        for routes in routes.iter_mut() {
            routes.iter_mut().for_each(|r| r.probability *= e);
            let total: f64 = routes.iter().map(|r| r.probability).sum();
            if total > 1.0 + PROBABILITY_SLACK {
                self.problem(
                    span.clone(),
                    format!("levers.training.{tier}.escalation"),
                    format!("escalation probabilities would sum to {total}; allowed: a multiplier keeping them <= 1"),
                );
                break;
            }
        }
    }

    /// A list of `{ to, probability }` with probabilities in [0, 1] summing
    /// to at most 1.
    pub(in crate::scenario) fn escalations(
        &mut self,
        list: &[Spanned<RawEscalation>],
        tiers: &[String],
        field: &str,
        fallback: Range<usize>,
    ) -> Option<Vec<Escalation>> {
        let mut out = Vec::new();
        let mut total = 0.0;
        let before = self.count();
        for e in list {
            let e = e.get_ref();
            let p = self.probability(&e.probability, &format!("{field}.probability"));
            total += p;
            if let Some(to) = self.reference(&e.to, tiers, &format!("{field}.to"), "tier") {
                out.push(Escalation { to, probability: p });
            }
        }
        if self.count() == before && total > 1.0 + PROBABILITY_SLACK {
            let span = list.first().map_or(fallback, |e| e.span());
            self.problem(
                span,
                field,
                format!(
                    "probabilities sum to {}; allowed: a sum <= 1 (the rest leave)",
                    rounded(total)
                ),
            );
        }
        (self.count() == before).then_some(out)
    }

    /// Escalation by skill: `skill`, `triage` and `escalate_to` together.
    pub(super) fn skill(&mut self, t: &RawTier, names: &[String]) -> Option<Skill> {
        let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
        match (&t.skill, &t.escalate_to) {
            (Some(level), Some(to)) => {
                let level = self.number(
                    level,
                    &field("skill"),
                    |x| (0.0..=1.0).contains(&x),
                    "a level in [0, 1]",
                );
                let triage = match &t.triage {
                    Some(d) => self.dist(d, &field("triage")),
                    None => {
                        self.problem(t.name.span(), field("triage"), "missing; a tier with a `skill` level needs the `triage` time it takes to recognise a request beyond it (a distribution)");
                        None
                    }
                };
                if t.escalate.as_ref().is_some_and(|e| !e.is_empty()) {
                    self.problem(
                        to.span(),
                        field("escalate_to"),
                        "a tier escalates by skill (`skill`, `escalate_to`) or by probability (`escalate`), not both",
                    );
                }
                let to = self.reference(to, names, &field("escalate_to"), "tier");
                Some(Skill {
                    level,
                    triage: triage?,
                    to: to?,
                })
            }
            (Some(s), None) => {
                self.problem(s.span(), field("escalate_to"), "missing; a tier with a `skill` level needs `escalate_to`, the tier taking requests beyond it");
                None
            }
            (None, Some(to)) => {
                self.problem(
                    to.span(),
                    field("skill"),
                    "missing; `escalate_to` needs the tier's `skill` level in [0, 1]",
                );
                None
            }
            (None, None) => {
                if let Some(d) = &t.triage {
                    self.problem(
                        d.span(),
                        field("triage"),
                        "`triage` applies to tiers with a `skill` level only",
                    );
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{BASE, model, problem, problems};

    /// [`BASE`] with a second tier `u` and `line` added to tier `t`.
    fn two(line: &str) -> String {
        format!(
            "{}\n[[tier]]\nname = \"u\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n",
            BASE.replace("servers = 2", &format!("servers = 2\n{line}"))
        )
    }

    #[test]
    fn escalation_and_skill() {
        let t = &model(&two("escalate = [{ to = \"u\", probability = 0.3 }]")).tiers[0];
        assert_eq!((t.routes[0][0].to, t.routes[0][0].probability), (1, 0.3));
        let t = &model(&two(
            "skill = 0.6\nescalate_to = \"u\"\ntriage = { dist = \"deterministic\", mean = 0.5 }",
        ))
        .tiers[0];
        let skill = t.skill.as_ref().unwrap();
        assert_eq!((skill.level, skill.to, skill.triage.mean()), (0.6, 1, 0.5));
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "escalate = [{ to = \"x\", probability = 0.3 }]",
                "tier.t.escalate.to",
                "no tier named `x`; allowed: `t`, `u`",
            ),
            (
                "escalate = [{ to = \"u\", probability = 1.3 }]",
                "tier.t.escalate.probability",
                "got 1.3; allowed: a probability in [0, 1]",
            ),
            (
                "escalate = [{ to = \"u\", probability = 0.7 }, { to = \"u\", probability = 0.6 }]",
                "tier.t.escalate",
                "probabilities sum to 1.3; allowed: a sum <= 1 (the rest leave)",
            ),
            (
                "skill = 0.5",
                "tier.t.escalate_to",
                "missing; a tier with a `skill` level needs `escalate_to`, the tier taking requests beyond it",
            ),
            (
                "escalate_to = \"u\"",
                "tier.t.skill",
                "missing; `escalate_to` needs the tier's `skill` level in [0, 1]",
            ),
            (
                "triage = { dist = \"exponential\", mean = 1.0 }",
                "tier.t.triage",
                "`triage` applies to tiers with a `skill` level only",
            ),
            (
                "skill = 0.5\nescalate_to = \"u\"",
                "tier.t.triage",
                "missing; a tier with a `skill` level needs the `triage` time it takes to recognise a request beyond it (a distribution)",
            ),
            (
                "skill = 1.5\nescalate_to = \"u\"\ntriage = { dist = \"exponential\", mean = 1.0 }",
                "tier.t.skill",
                "got 1.5; allowed: a level in [0, 1]",
            ),
            (
                "skill = 0.5\nescalate_to = \"u\"\ntriage = { dist = \"exponential\", mean = 1.0 }\nescalate = [{ to = \"u\", probability = 0.1 }]",
                "tier.t.escalate_to",
                "a tier escalates by skill (`skill`, `escalate_to`) or by probability (`escalate`), not both",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&two(line)),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        let trapped = problems(&two("escalate = [{ to = \"t\", probability = 1.0 }]"));
        assert_eq!(
            trapped,
            [(
                "tier.t.escalate".to_string(),
                "clients escalated from here return among the same tiers with probability 1 and never leave; allowed: escalation probabilities that leave some chance of departing".to_string()
            )]
        );
    }
}
