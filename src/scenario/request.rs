//! `[[request]]`: request types (sales, revenue, entry, complexity, back
//! offices, promised turnaround) and what each changes at named tiers (its
//! own service, a service multiplier, its own escalation). One implicit
//! type, `default`, when the file declares none.

use std::ops::Range;

use super::diagnostics::Checker;
use super::raw::RawScenario;
use crate::engine::Dist;
use crate::model::{Escalation, RequestType, TierKind};

/// P(sale) per service contact when a request type does not say
/// (docs/evidence.md §9.7: about 15% of contacts see a cross-sale attempt, an
/// assumed 20% of which succeed).
pub(super) const DEFAULT_SALE_PROBABILITY: f64 = 0.03;

/// What one request type changes at one tier (nothing by default).
#[derive(Clone, Debug, Default)]
pub(super) struct AtTier {
    /// Its own service-time distribution there.
    pub(super) service: Option<Dist>,
    /// A multiplier of the service time there (after `service`).
    pub(super) multiplier: Option<f64>,
    /// Its own escalation routes from there.
    pub(super) escalate: Option<Vec<Escalation>>,
}

/// The request types, and what each changes at each tier:
/// `at[request][tier]`.
pub(super) struct Requests {
    /// The request types, in file order.
    pub(super) types: Vec<RequestType>,
    /// What each request type changes at each tier.
    pub(super) at: Vec<Vec<AtTier>>,
}

impl Checker<'_> {
    /// The request types; `kinds` are the tiers' kinds, in file order.
    pub(super) fn requests(
        &mut self,
        raw: &RawScenario,
        tiers: &[String],
        kinds: &[TierKind],
    ) -> Requests {
        if raw.request.is_empty() {
            return Requests {
                types: vec![RequestType {
                    name: "default".into(),
                    sale_probability: DEFAULT_SALE_PROBABILITY,
                    revenue_per_sale: 0.0,
                    entry: None,
                    complexity: None,
                    back_office: Vec::new(),
                    promised_turnaround: f64::INFINITY,
                    expected_turnaround: f64::INFINITY,
                    bot_uptake: Vec::new(),
                    repeat: None,
                    status_visible: false,
                    proactive: None,
                }],
                at: vec![vec![AtTier::default(); tiers.len()]],
            };
        }
        let segment_back_office = raw.segment.iter().any(|s| {
            s.get_ref()
                .back_office
                .as_ref()
                .is_some_and(|b| !b.is_empty())
        });
        let types = raw
            .request
            .iter()
            .map(|r| {
                let mut t = self.request_type(r.get_ref(), tiers);
                self.request_v2(r.get_ref(), &mut t, tiers, kinds, segment_back_office);
                let back_office = !t.back_office.is_empty() || segment_back_office;
                t.status_visible = self.status_visible(r.get_ref(), back_office);
                t.proactive = self.proactive(r.get_ref(), back_office);
                t
            })
            .collect();
        let at = raw
            .request
            .iter()
            .map(|r| self.at_tiers(r.get_ref(), tiers, kinds))
            .collect();
        Requests { types, at }
    }

    /// One request type's own fields.
    fn request_type(&mut self, r: &super::raw::RawRequest, tiers: &[String]) -> RequestType {
        let field = |f: &str| format!("request.{}.{f}", r.name.get_ref());
        let probability = r
            .sale_probability
            .as_ref()
            .map_or(DEFAULT_SALE_PROBABILITY, |p| {
                self.probability(p, &field("sale_probability"))
            });
        let revenue = r
            .revenue_per_sale
            .as_ref()
            .map_or(0.0, |v| self.non_negative(v, &field("revenue_per_sale")));
        let entry = r
            .entry
            .as_ref()
            .and_then(|e| self.reference(e, tiers, &field("entry"), "tier"));
        let complexity = r
            .complexity
            .as_ref()
            .and_then(|d| self.dist(d, &field("complexity")));
        if let (Some(c), Some(d)) = (&complexity, &r.complexity) {
            let (low, high) = c.support();
            if low > 1.0 || high < 0.0 {
                self.problem(
                    d.span(),
                    field("complexity"),
                    format!(
                        "every value lies outside [0, 1] (from {low} to {high}), so all would be clipped to one end; allowed: a distribution with values in [0, 1] (1 = the hardest request)"
                    ),
                );
            }
        }
        let back_office = self.tier_list(r.back_office.as_deref(), tiers, &field("back_office"));
        let promised = r
            .promised_turnaround_hours
            .as_ref()
            .map_or(f64::INFINITY, |h| {
                60.0 * self.positive(h, &field("promised_turnaround_hours"))
            });
        let repeat = self.repeat(r);
        RequestType {
            name: r.name.get_ref().clone(),
            sale_probability: probability,
            revenue_per_sale: revenue,
            entry,
            complexity,
            back_office,
            promised_turnaround: promised,
            expected_turnaround: f64::INFINITY,
            bot_uptake: Vec::new(),
            repeat,
            status_visible: false,
            proactive: None,
        }
    }

    /// A request type's v2 fields: the client's reference turnaround (only
    /// with a back office: it is measured on back-office time) and the
    /// opt-in chatbots with their uptake.
    fn request_v2(
        &mut self,
        r: &super::raw::RawRequest,
        t: &mut RequestType,
        tiers: &[String],
        kinds: &[TierKind],
        segment_back_office: bool,
    ) {
        let field = |f: &str| format!("request.{}.{f}", r.name.get_ref());
        if let Some(h) = &r.expected_turnaround_hours {
            t.expected_turnaround = 60.0 * self.positive(h, &field("expected_turnaround_hours"));
            if t.back_office.is_empty() && !segment_back_office {
                self.problem(
                    h.span(),
                    field("expected_turnaround_hours"),
                    "neither this request nor any segment has a `back_office`, and the reference is measured on back-office time; allowed: with a back office only",
                );
            }
        }
        let bots: Vec<&str> = tiers
            .iter()
            .zip(kinds)
            .filter(|(_, k)| **k == TierKind::Chatbot)
            .map(|(n, _)| n.as_str())
            .collect();
        let mut total = 0.0;
        for (tier, share) in r.bot_uptake.iter().flatten() {
            let p = self.number(
                share,
                &field("bot_uptake"),
                |x| (0.0..=1.0).contains(&x),
                "a share in [0, 1]",
            );
            // A share out of range is refused above; the sum only when
            // every share is a share.
            total += if (0.0..=1.0).contains(&p) {
                p
            } else {
                f64::NAN
            };
            let Some(j) = self.reference(tier, tiers, &field("bot_uptake"), "tier") else {
                continue;
            };
            if kinds[j] != TierKind::Chatbot {
                let allowed = if bots.is_empty() {
                    "a chatbot tier (kind = \"chatbot\"); this scenario has none".to_string()
                } else {
                    format!("a chatbot tier: `{}`", bots.join("`, `"))
                };
                self.problem(
                    tier.span(),
                    field("bot_uptake"),
                    format!("`{}` is not a chatbot; allowed: {allowed}", tier.get_ref()),
                );
                continue;
            }
            t.bot_uptake.push((j, p));
        }
        if total > 1.0 + super::PROBABILITY_SLACK
            && let Some((tier, _)) = r.bot_uptake.iter().flatten().next()
        {
            self.problem(
                tier.span(),
                field("bot_uptake"),
                format!(
                    "shares sum to {}; allowed: a sum <= 1 (the rest join their usual entry)",
                    super::diagnostics::rounded(total)
                ),
            );
        }
    }

    /// What one request type changes at each tier: `service`,
    /// `service_multiplier` and `escalate`, keyed by tier name.
    fn at_tiers(
        &mut self,
        request: &super::raw::RawRequest,
        names: &[String],
        kinds: &[TierKind],
    ) -> Vec<AtTier> {
        let mut at = vec![AtTier::default(); names.len()];
        let field = |f: &str| format!("request.{}.{f}", request.name.get_ref());
        for (tier, dist) in request.service.iter().flatten() {
            let index = self.reference(tier, names, &field("service"), "tier");
            let d = self.dist(dist, &format!("{}.{}", field("service"), tier.get_ref()));
            if let (Some(j), Some(d)) = (index, d) {
                at[j].service = Some(d);
            }
        }
        for (tier, factor) in request.service_multiplier.iter().flatten() {
            let f = self.positive(factor, &field("service_multiplier"));
            if let Some(j) = self.reference(tier, names, &field("service_multiplier"), "tier")
                && f > 0.0
                && f.is_finite()
            {
                at[j].multiplier = Some(f);
            }
        }
        for (tier, list) in request.escalate.iter().flatten() {
            let Some(j) = self.reference(tier, names, &field("escalate"), "tier") else {
                continue;
            };
            if kinds[j] == TierKind::Chatbot {
                self.problem(
                    tier.span(),
                    field("escalate"),
                    format!(
                        "`{}` is a chatbot: its hand-offs are set by `resolves` and `handoff_to`",
                        tier.get_ref()
                    ),
                );
                continue;
            }
            let span: Range<usize> = tier.span();
            at[j].escalate = self.escalations(
                list,
                names,
                &format!("{}.{}", field("escalate"), tier.get_ref()),
                span,
            );
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, with};

    /// [`BASE`] with one request type `r` holding `line`.
    fn request(line: &str) -> String {
        with("", &format!("[[request]]\nname = \"r\"\n{line}")).replace(
            "rate_per_hour = 6.0",
            "rate_per_hour = 6.0\nrequests = { r = 1.0 }",
        )
    }

    #[test]
    fn defaults() {
        let m = model(BASE);
        assert_eq!(m.requests.len(), 1);
        let r = &m.requests[0];
        assert_eq!(r.name, "default");
        assert_eq!(r.sale_probability, 0.03);
        assert_eq!(r.revenue_per_sale, 0.0);
        assert_eq!(r.entry, None);
        assert_eq!(r.promised_turnaround, f64::INFINITY);
        let r = &model(&request("")).requests[0];
        assert_eq!((r.name.as_str(), r.sale_probability), ("r", 0.03));
        let r = &model(&request("promised_turnaround_hours = 2.0")).requests[0];
        assert_eq!(r.promised_turnaround, 120.0);
    }

    #[test]
    fn what_a_request_changes_at_a_tier() {
        let m = model(&request(
            "service = { t = { dist = \"deterministic\", mean = 4.0 } }\nservice_multiplier = { t = 1.5 }\nescalate = { t = [{ to = \"u\", probability = 0.5 }] }",
        ).replace(
            "[[tier]]",
            "[[tier]]\nname = \"u\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n\n[[tier]]",
        ).replace("rate_per_hour = 6.0", "rate_per_hour = 6.0\nentry = \"t\""));
        let t = &m.tiers[1];
        assert_eq!(t.service[0].mean(), 6.0);
        assert_eq!(t.routes[0].len(), 1);
        assert_eq!((t.routes[0][0].to, t.routes[0][0].probability), (0, 0.5));
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "sale_probability = 1.5",
                "request.r.sale_probability",
                "got 1.5; allowed: a probability in [0, 1]",
            ),
            (
                "revenue_per_sale = -1.0",
                "request.r.revenue_per_sale",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "entry = \"tt\"",
                "request.r.entry",
                "no tier named `tt`; allowed: `t` (did you mean `t`?)",
            ),
            (
                "back_office = [\"x\"]",
                "request.r.back_office",
                "no tier named `x`; allowed: `t`",
            ),
            (
                "promised_turnaround_hours = 0.0",
                "request.r.promised_turnaround_hours",
                "got 0; allowed: a finite number > 0",
            ),
            (
                "service_multiplier = { t = 0.0 }",
                "request.r.service_multiplier",
                "got 0; allowed: a finite number > 0",
            ),
            (
                "service = { x = { dist = \"exponential\", mean = 1.0 } }",
                "request.r.service",
                "no tier named `x`; allowed: `t`",
            ),
            (
                "escalate = { t = [{ to = \"t\", probability = 0.6 }, { to = \"t\", probability = 0.6 }] }",
                "request.r.escalate.t",
                "probabilities sum to 1.2; allowed: a sum <= 1 (the rest leave)",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&request(line)),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        let chatbot = request("escalate = { bot = [{ to = \"t\", probability = 0.5 }] }").replace(
            "[[tier]]",
            "[[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nhandoff_to = \"t\"\nservice = { dist = \"exponential\", mean = 1.0 }\n\n[[tier]]",
        ).replace("rate_per_hour = 6.0", "rate_per_hour = 6.0\nentry = \"t\"");
        assert_eq!(
            problem(&chatbot),
            (
                "request.r.escalate".to_string(),
                "`bot` is a chatbot: its hand-offs are set by `resolves` and `handoff_to`"
                    .to_string()
            )
        );
    }
}
