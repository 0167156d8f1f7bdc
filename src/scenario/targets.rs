//! Reading `[targets]`, `[cost]` and `[plan]`: validated here, with the
//! rest of the scenario's checks, into the model's definitions
//! (`model::targets`); judged in `experiment::goals`.

use toml::Spanned;

use super::raw::{RawBound, RawCost, RawPlan, RawScenario, RawTargets};
use super::{Checker, clock};
use crate::model::Model;
pub use crate::model::targets::{
    Bound, Cost, Goals, PlanRules, SLOT_TARGET_METRICS, TARGET_METRICS, Target,
};

impl RawTargets {
    /// Each metric field with its name, in [`TARGET_METRICS`] order.
    fn fields(&self) -> [(&'static str, &Option<Spanned<RawBound>>); 12] {
        [
            ("service_level", &self.service_level),
            ("wait_mean", &self.wait_mean),
            ("wait_served_mean", &self.wait_served_mean),
            ("wait_p90", &self.wait_p90),
            ("sojourn_mean", &self.sojourn_mean),
            ("abandon_rate", &self.abandon_rate),
            ("blocked_rate", &self.blocked_rate),
            ("satisfaction_mean", &self.satisfaction_mean),
            ("csat", &self.csat),
            ("complaint_rate", &self.complaint_rate),
            ("formal_complaint_rate", &self.formal_complaint_rate),
            ("fcr", &self.fcr),
        ]
    }
}

impl Checker<'_> {
    /// `[targets]`, `[cost]` and `[plan]` of a scenario whose model is valid.
    pub(crate) fn goals(&mut self, raw: &RawScenario, model: &Model) -> Goals {
        let mut targets = Vec::new();
        if let Some(t) = &raw.targets {
            self.target_set(t.get_ref(), None, "overall", "targets", &mut targets);
            let segments: Vec<String> = model.segments.iter().map(|s| s.name.clone()).collect();
            for (name, set) in t.get_ref().segment.iter().flatten() {
                let field = format!("targets.segment.{}", name.get_ref());
                let Some(s) = self.reference(name, &segments, &field, "segment") else {
                    continue;
                };
                if set.get_ref().segment.is_some() {
                    self.problem(
                        set.span(),
                        &field,
                        "targets of a segment cannot hold `segment`; allowed: metric = value",
                    );
                }
                let group = format!("segment.{}", name.get_ref());
                self.target_set(set.get_ref(), Some(s), &group, &field, &mut targets);
            }
        }
        let cost = raw.cost.as_ref().map(|c| self.cost(c, model));
        let plan = raw
            .plan
            .as_ref()
            .map_or_else(PlanRules::default, |p| self.plan_rules(p.get_ref(), model));
        Goals {
            targets,
            cost,
            plan,
        }
    }

    fn target_set(
        &mut self,
        set: &RawTargets,
        segment: Option<usize>,
        group: &str,
        prefix: &str,
        out: &mut Vec<Target>,
    ) {
        for ((metric, value), (_, higher_better, largest)) in
            set.fields().into_iter().zip(TARGET_METRICS)
        {
            let Some(value) = value else { continue };
            let field = format!("{prefix}.{metric}");
            let in_range = |x: f64| x.is_finite() && x >= 0.0 && x <= largest;
            let allowed = if largest.is_finite() {
                format!("a number in [0, {largest}]")
            } else {
                "a finite number >= 0 (minutes)".to_string()
            };
            let bounds: Vec<Bound> = match value.get_ref() {
                RawBound::Value(x) => {
                    vec![if higher_better {
                        Bound::AtLeast(*x)
                    } else {
                        Bound::AtMost(*x)
                    }]
                }
                RawBound::Range(r) => {
                    if r.min.is_none() && r.max.is_none() {
                        self.problem(
                            value.span(),
                            &field,
                            "an empty target; allowed: a number, or { min = x }, { max = y } or both",
                        );
                    }
                    if let (Some(lo), Some(hi)) = (r.min, r.max)
                        && lo > hi
                    {
                        self.problem(
                            value.span(),
                            &field,
                            format!(
                                "contradictory target: min {lo} is above max {hi}; no run can meet both"
                            ),
                        );
                    }
                    r.min
                        .map(Bound::AtLeast)
                        .into_iter()
                        .chain(r.max.map(Bound::AtMost))
                        .collect()
                }
            };
            for bound in bounds {
                if !in_range(bound.value()) {
                    self.problem(
                        value.span(),
                        &field,
                        format!("got {}; allowed: {allowed}", bound.value()),
                    );
                    continue;
                }
                out.push(Target {
                    segment,
                    group: group.to_string(),
                    metric,
                    bound,
                });
            }
        }
    }

    fn cost(&mut self, raw: &Spanned<RawCost>, model: &Model) -> Cost {
        let c = raw.get_ref();
        let tiers: Vec<String> = model.tiers.iter().map(|t| t.name.clone()).collect();
        let mut hourly: Vec<Option<f64>> = vec![None; tiers.len()];
        for (name, value) in c.hourly.iter().flatten() {
            let field = format!("cost.hourly.{}", name.get_ref());
            let Some(t) = self.reference(name, &tiers, &field, "tier") else {
                continue;
            };
            if model.tiers[t].servers.is_unlimited() {
                self.problem(
                    name.span(),
                    &field,
                    "a chatbot tier has no servers to pay; allowed: staffed tiers only",
                );
            }
            hourly[t] = Some(self.non_negative(value, &field));
        }
        let missing: Vec<&str> = model
            .tiers
            .iter()
            .zip(&hourly)
            .filter(|(t, h)| !t.servers.is_unlimited() && h.is_none())
            .map(|(t, _)| t.name.as_str())
            .collect();
        if !missing.is_empty() {
            self.problem(
                raw.span(),
                "cost.hourly",
                format!(
                    "no hourly cost for tier {}; every staffed tier needs one, e.g. hourly = {{ {} = 30.0 }}",
                    super::list(missing.iter().copied()),
                    missing[0]
                ),
            );
        }
        Cost {
            hourly: hourly.into_iter().map(|h| h.unwrap_or(0.0)).collect(),
            shift_start: c
                .shift_start
                .as_ref()
                .map_or(0.0, |v| self.non_negative(v, "cost.shift_start")),
            revenue_per_sale: c
                .revenue_per_sale
                .as_ref()
                .map(|v| self.non_negative(v, "cost.revenue_per_sale")),
            group_hourly: self.group_costs(c, model),
        }
    }

    /// `[cost] group_hourly = { tier = { group = rate } }`: each named tier
    /// must have agent groups, each group must exist, each rate be a finite
    /// number > 0. Per tier in model order, per group in file order.
    fn group_costs(&mut self, c: &RawCost, model: &Model) -> Vec<Vec<Option<f64>>> {
        let mut out: Vec<Vec<Option<f64>>> = model
            .tiers
            .iter()
            .map(|t| vec![None; t.groups.as_ref().map_or(0, |g| g.groups.len())])
            .collect();
        let tiers: Vec<String> = model.tiers.iter().map(|t| t.name.clone()).collect();
        let grouped: Vec<&str> = model
            .tiers
            .iter()
            .filter(|t| t.groups.is_some())
            .map(|t| t.name.as_str())
            .collect();
        for (tier, rates) in c.group_hourly.iter().flatten() {
            let field = format!("cost.group_hourly.{}", tier.get_ref());
            let Some(t) = self.reference(tier, &tiers, &field, "tier") else {
                continue;
            };
            let Some(groups) = &model.tiers[t].groups else {
                let allowed = if grouped.is_empty() {
                    "none in this scenario".to_string()
                } else {
                    super::list(grouped.iter().copied())
                };
                self.problem(
                    tier.span(),
                    &field,
                    format!(
                        "tier `{}` has no agent groups ([[tier.group]]), so no group to price; allowed: tiers with groups: {allowed}",
                        tier.get_ref()
                    ),
                );
                continue;
            };
            let names: Vec<String> = groups.groups.iter().map(|g| g.name.clone()).collect();
            for (group, rate) in rates {
                let field = format!("{field}.{}", group.get_ref());
                let kind = format!("group of tier `{}`", tier.get_ref());
                if let Some(g) = self.reference(group, &names, &field, &kind) {
                    out[t][g] = Some(self.positive(rate, &field));
                }
            }
        }
        out
    }

    fn plan_rules(&mut self, raw: &RawPlan, model: &Model) -> PlanRules {
        let slot = model.week.as_ref().map_or(60.0, |w| w.slot_minutes) as u32;
        let mut rules = PlanRules::default();
        if let Some(lengths) = &raw.shift_lengths {
            rules.shift_lengths.clear();
            for x in lengths.get_ref().iter().map(|x| x.0) {
                let ok = x.is_finite() && x > 0.0 && x <= 1440.0 && x.fract() == 0.0;
                if !ok || !(x as u32).is_multiple_of(slot) {
                    self.problem(
                        lengths.span(),
                        "plan.shift_lengths",
                        format!(
                            "got {x}; allowed: whole minutes in (0, 1440], multiples of the slot ({slot} min)"
                        ),
                    );
                } else {
                    rules.shift_lengths.push(x as u32);
                }
            }
            if lengths.get_ref().is_empty() {
                self.problem(
                    lengths.span(),
                    "plan.shift_lengths",
                    "no shift length; allowed: a list of minutes such as [480, 240]",
                );
            }
        }
        if let Some(starts) = &raw.shift_starts {
            let mut out = Vec::new();
            for text in starts.get_ref() {
                match clock(text) {
                    Some(m) if m < 1440 && m.is_multiple_of(slot) => out.push(m),
                    _ => self.problem(
                        starts.span(),
                        "plan.shift_starts",
                        format!(
                            "got `{text}`; allowed: `HH:MM` times before 24:00 on slot boundaries ({slot} min)"
                        ),
                    ),
                }
            }
            if out.is_empty() {
                self.problem(
                    starts.span(),
                    "plan.shift_starts",
                    "no shift start; allowed: a list of `HH:MM` times",
                );
            }
            out.sort_unstable();
            out.dedup();
            rules.shift_starts = Some(out);
        }
        if let Some(m) = &raw.max_servers {
            if *m.get_ref() == 0 {
                self.problem(
                    m.span(),
                    "plan.max_servers",
                    "got 0; allowed: an integer >= 1",
                );
            }
            rules.max_servers = *m.get_ref();
        }
        rules.workforce = self.workforce(raw, model, &rules.shift_lengths);
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_of_a_scenario() {
        let s = crate::scenario::parse(
            r#"name = "g"
[run]
horizon = 100.0
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 10.0
[[tier]]
name = "front"
servers = 1
service = { dist = "exponential", mean = 1.0 }
[targets]
service_level = 0.8
wait_mean = { min = 0.1, max = 2.0 }
[targets.segment.retail]
csat = 0.5
[cost]
hourly = { front = 20.0 }
"#,
            "g.toml",
        )
        .unwrap();
        let labels: Vec<String> = s.goals.targets.iter().map(Target::label).collect();
        assert_eq!(
            labels,
            [
                "overall.service_level >= 0.8",
                "overall.wait_mean >= 0.1",
                "overall.wait_mean <= 2",
                "segment.retail.csat >= 0.5"
            ]
        );
        assert_eq!(s.goals.service_level_target(), Some(0.8));
        let cost = s.goals.cost.unwrap();
        assert_eq!((cost.hourly, cost.shift_start), (vec![20.0], 0.0));
        assert_eq!(s.goals.plan, PlanRules::default());
    }

    #[test]
    fn group_rates_default_to_the_tiers_and_price_a_run() {
        let s = crate::scenario::parse(
            r#"name = "g"
[run]
horizon = 600.0
replications = 2
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 10.0
[[tier]]
name = "front"
service = { dist = "exponential", mean = 1.0 }
[[tier.group]]
name = "juniors"
servers = 3
skills = { retail = 1 }
[[tier.group]]
name = "seniors"
servers = 2
skills = { retail = 2 }
[cost]
hourly = { front = 30.0 }
group_hourly = { front = { seniors = 45.0 } }
"#,
            "g.toml",
        )
        .unwrap();
        let cost = s.goals.cost.unwrap();
        assert_eq!((cost.group_rate(0, 0), cost.group_rate(0, 1)), (30.0, 45.0));
        // The run's staff cost: each group at its rate, the tier's `hourly`
        // their mean per agent.
        let summary = crate::experiment::run(&s.model);
        let rates = crate::experiment::goals::cost_rates(&cost, &s.model, &summary);
        assert_eq!(rates.staff_per_hour.mean, 3.0 * 30.0 + 2.0 * 45.0);
        assert_eq!(rates.tiers[0].hourly, (3.0 * 30.0 + 2.0 * 45.0) / 5.0);
    }
}
