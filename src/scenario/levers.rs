//! `[levers]`: the KPI regime (sales pressure, mis-selling), selling minutes,
//! and training (multipliers of a tier's service time, escalation
//! probabilities and first-contact resolution, applied where the tier is
//! built).

use std::ops::Range;

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawScenario;
use crate::model::{Outcomes, TierKind};

/// Training at one tier, checked.
#[derive(Clone, Debug, Default)]
pub(super) struct Training {
    /// Service-time multiplier (> 0 and finite when given).
    pub(super) service: Option<f64>,
    /// Escalation-probability multiplier, and where it is written.
    pub(super) escalation: Option<(f64, Range<usize>)>,
    /// Multiplier of the tier's `resolves` (first-contact resolution), and
    /// where it is written.
    pub(super) resolution: Option<(f64, Range<usize>)>,
}

/// `[levers]`, checked.
#[derive(Clone, Debug, Default)]
pub(super) struct Levers {
    /// `kpi_pressure`, if given.
    kpi_pressure: Option<f64>,
    /// `mis_sale_max`, if given.
    mis_sale_max: Option<f64>,
    /// Extra selling minutes per staffed service (0 by default).
    pub(super) selling_minutes: f64,
    /// Training at each tier, in tier order.
    pub(super) training: Vec<Training>,
}

impl Levers {
    /// The outcome model under this KPI regime.
    pub(super) fn outcomes(&self, mut o: Outcomes) -> Outcomes {
        if let Some(k) = self.kpi_pressure {
            o.kpi_pressure = k;
        }
        if let Some(m) = self.mis_sale_max {
            o.mis_sale_max = m;
        }
        o
    }
}

impl Checker<'_> {
    /// `[levers]` over tiers `names` of kinds `kinds`.
    pub(super) fn levers(
        &mut self,
        raw: &RawScenario,
        names: &[String],
        kinds: &[TierKind],
    ) -> Levers {
        let mut levers = Levers {
            training: vec![Training::default(); names.len()],
            ..Levers::default()
        };
        let Some(l) = &raw.levers else {
            return levers;
        };
        let l = l.get_ref();
        let share = |c: &mut Self, v: &Spanned<f64>, field: &str| {
            c.number(v, field, |x| (0.0..=1.0).contains(&x), "a number in [0, 1]")
        };
        levers.kpi_pressure = l
            .kpi_pressure
            .as_ref()
            .map(|k| share(self, k, "levers.kpi_pressure"));
        levers.mis_sale_max = l
            .mis_sale_max
            .as_ref()
            .map(|m| share(self, m, "levers.mis_sale_max"));
        levers.selling_minutes = l
            .selling_minutes
            .as_ref()
            .map_or(0.0, |v| self.non_negative(v, "levers.selling_minutes"));
        for (tier, training) in l.training.iter().flatten() {
            let Some(j) = self.reference(tier, names, "levers.training", "tier") else {
                continue;
            };
            let field = |f: &str| format!("levers.training.{}.{f}", tier.get_ref());
            let t = training.get_ref();
            if let Some(f) = &t.service
                && kinds[j] == TierKind::Chatbot
            {
                self.problem(
                    f.span(),
                    field("service"),
                    "training applies to staffed tiers only; a chatbot has no staff to train",
                );
            } else if let Some(f) = &t.service {
                let f = self.positive(f, &field("service"));
                if f.is_finite() && f > 0.0 {
                    levers.training[j].service = Some(f);
                }
            }
            if let Some(e) = &t.escalation {
                let value = self.non_negative(e, &field("escalation"));
                if kinds[j] == TierKind::Chatbot {
                    self.problem(
                        e.span(),
                        field("escalation"),
                        "a chatbot's hand-offs follow `resolves`; train staffed tiers",
                    );
                    continue;
                }
                levers.training[j].escalation = Some((value, e.span()));
            }
            if let Some(r) = &t.resolution {
                let value = self.non_negative(r, &field("resolution"));
                if kinds[j] == TierKind::Chatbot {
                    self.problem(
                        r.span(),
                        field("resolution"),
                        "a chatbot's resolution is its `resolves`; train staffed tiers",
                    );
                    continue;
                }
                levers.training[j].resolution = Some((value, r.span()));
            }
        }
        levers
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, problems, with};

    #[test]
    fn defaults_and_training() {
        let m = model(BASE);
        assert_eq!(m.selling_minutes, 0.0);
        let m = model(&with(
            "",
            "[levers]\nkpi_pressure = 0.5\nmis_sale_max = 0.2\nselling_minutes = 1.5\ntraining = { t = { service = 0.5 } }",
        ));
        assert_eq!(m.selling_minutes, 1.5);
        assert_eq!(m.outcomes.kpi_pressure, 0.5);
        assert_eq!(m.outcomes.mis_sale_max, 0.2);
        assert_eq!(m.tiers[0].service[0].mean(), 0.5);
        let m = model(
            &with("", "[levers]\ntraining = { t = { escalation = 0.5 } }").replace(
                "servers = 2",
                "servers = 2\nescalate = [{ to = \"t\", probability = 0.4 }]",
            ),
        );
        assert_eq!(m.tiers[0].routes[0][0].probability, 0.2);
    }

    #[test]
    fn refusals() {
        let escalating = |line: &str| {
            with("", &format!("[levers]\n{line}")).replace(
                "servers = 2",
                "servers = 2\nescalate = [{ to = \"t\", probability = 0.4 }]",
            )
        };
        let cases = [
            (
                "kpi_pressure = 1.5",
                "levers.kpi_pressure",
                "got 1.5; allowed: a number in [0, 1]",
            ),
            (
                "mis_sale_max = -0.1",
                "levers.mis_sale_max",
                "got -0.1; allowed: a number in [0, 1]",
            ),
            (
                "selling_minutes = -1.0",
                "levers.selling_minutes",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "training = { x = { service = 0.5 } }",
                "levers.training",
                "no tier named `x`; allowed: `t`",
            ),
            (
                "training = { t = { service = 0.0 } }",
                "levers.training.t.service",
                "got 0; allowed: a finite number > 0",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&escalating(line)),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        let all = problems(&escalating("training = { t = { escalation = 3.0 } }"));
        assert!(all.contains(&(
            "levers.training.t.escalation".to_string(),
            "escalation probabilities would sum to 1.2000000000000002; allowed: a multiplier keeping them <= 1".to_string()
        )), "{all:?}");
        let chatbot = with("", "[levers]\ntraining = { bot = { escalation = 0.5 } }").replace(
            "[[tier]]",
            "[[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nhandoff_to = \"t\"\nservice = { dist = \"exponential\", mean = 1.0 }\n\n[[tier]]",
        ).replace("rate_per_hour = 6.0", "rate_per_hour = 6.0\nentry = \"t\"");
        assert_eq!(
            problem(&chatbot),
            (
                "levers.training.bot.escalation".to_string(),
                "a chatbot's hand-offs follow `resolves`; train staffed tiers".to_string()
            )
        );
    }
}
