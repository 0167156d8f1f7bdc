//! A group's staffing and individual agents: `servers` or `shifts` (a
//! roster over the week, as a tier's), `agent_speed` (each agent's
//! service-time factor, drawn once per replication) and `new_hires`
//! (agents joining at a week, ramping up along an efficiency curve).

use super::super::diagnostics::{Checker, unknown_word};
use super::super::raw::{RawDist, RawGroup, RawNewHires, RawTier};
use crate::engine::Dist;
use crate::model::Roster;
use crate::model::agents::{Agents, MONTH, NewHires};
use crate::model::week::WEEK;
use toml::Spanned;

/// The most agents a tier's groups may have (a client in service keeps its
/// agent's number in 16 bits).
pub const MAX_AGENTS: u32 = u16::MAX as u32;

/// Highest efficiency a curve may give (1.5: half as fast again as a
/// tenured agent).
const MAX_EFFICIENCY: f64 = 1.5;

/// Steps of an efficiency curve, as written.
const STEPS: [(&str, f64); 2] = [("week", WEEK), ("month", MONTH)];

impl Checker<'_> {
    /// `servers` or `shifts` of a group (`field` is `tier.<t>.group.<g>`):
    /// the agents (a roster's peak) and the roster.
    pub(super) fn group_staffing(
        &mut self,
        raw: &RawGroup,
        field: &str,
        start_day: usize,
    ) -> (u32, Option<Roster>) {
        let at = |f: &str| format!("{field}.{f}");
        let roster = raw
            .shifts
            .as_ref()
            .and_then(|shifts| self.roster(shifts, &at("shifts"), start_day));
        if let (Some(r), Some(first)) = (&roster, raw.shifts.as_ref().and_then(|s| s.first()))
            && r.max() == 0
        {
            self.problem(
                first.span(),
                at("shifts"),
                "nobody is ever on duty (no shift); allowed: at least one shift, or `servers`",
            );
        }
        match (&raw.servers, &raw.shifts) {
            (Some(s), Some(_)) => {
                self.problem(
                    s.span(),
                    at("servers"),
                    "a group with `shifts` takes its staffing from them; allowed: `servers` or `shifts`, not both",
                );
                (1, None)
            }
            (Some(s), None) if *s.get_ref() == 0 => {
                self.problem(s.span(), at("servers"), "got 0; allowed: an integer >= 1");
                (1, None)
            }
            (Some(s), None) => (*s.get_ref(), None),
            (None, Some(_)) => (roster.as_ref().map_or(1, Roster::max).max(1), roster),
            (None, None) => {
                self.problem(
                    raw.name.span(),
                    at("servers"),
                    "missing; a group needs `servers` (an integer >= 1) or `shifts` (a roster)",
                );
                (1, None)
            }
        }
    }

    /// Each agent's drawn factor `drawn` (`agent_speed`, or `speed` with a
    /// `dist`, with the key it was written under) and `new_hires` of a
    /// group.
    pub(super) fn group_agents(
        &mut self,
        raw: &RawGroup,
        field: &str,
        drawn: Option<(&Spanned<RawDist>, &str)>,
    ) -> Agents {
        let speed = drawn.and_then(|(d, key)| {
            let at = format!("{field}.{key}");
            let dist = self.dist(d, &at)?;
            // The continuous kinds are > 0 almost surely; a uniform from 0
            // or an empirical 0 draws 0 itself.
            let (low, _) = dist.support();
            let closed = matches!(dist, Dist::Uniform { .. } | Dist::Empirical { .. });
            if closed && low <= 0.0 {
                self.problem(
                    d.span(),
                    at,
                    format!(
                        "can draw a factor of {low}: an agent would serve in no time; allowed: a distribution of service-time factors > 0 (uniform with low > 0, empirical values > 0, or deterministic, exponential, erlang, gamma, lognormal)"
                    ),
                );
                return None;
            }
            Some(dist)
        });
        let new_hires = raw.new_hires.as_ref().and_then(|h| {
            if raw.shifts.is_some() {
                self.problem(
                    h.span(),
                    format!("{field}.new_hires"),
                    "new hires join a group staffed by `servers`; allowed: `new_hires` beside `servers`, not beside `shifts`",
                );
            }
            self.new_hires(h.get_ref(), &format!("{field}.new_hires"))
        });
        Agents { speed, new_hires }
    }

    /// `new_hires = { count, start_week, efficiency_curve, step }`.
    fn new_hires(&mut self, raw: &RawNewHires, field: &str) -> Option<NewHires> {
        let before = self.count();
        if *raw.count.get_ref() == 0 {
            self.problem(
                raw.count.span(),
                format!("{field}.count"),
                "got 0; allowed: an integer >= 1",
            );
        }
        let curve = raw.efficiency_curve.get_ref();
        if curve.is_empty() {
            self.problem(
                raw.efficiency_curve.span(),
                format!("{field}.efficiency_curve"),
                "empty; allowed: one or more efficiencies in (0, 1.5], one per step after joining (e.g. [0.55, 0.75, 0.9, 1.0])",
            );
        }
        for e in curve {
            let x = e.get_ref();
            if !(*x > 0.0 && *x <= MAX_EFFICIENCY) {
                self.problem(
                    e.span(),
                    format!("{field}.efficiency_curve"),
                    format!(
                        "got {x}; allowed: an efficiency in (0, 1.5] (1 = a tenured agent's speed)"
                    ),
                );
            }
        }
        let step_minutes = match &raw.step {
            None => WEEK,
            Some(s) => match STEPS.iter().find(|(w, _)| w == s.get_ref()) {
                Some((_, minutes)) => *minutes,
                None => {
                    self.problem(
                        s.span(),
                        format!("{field}.step"),
                        unknown_word("step", s.get_ref(), &STEPS.map(|(w, _)| w)),
                    );
                    WEEK
                }
            },
        };
        (self.count() == before).then(|| NewHires {
            count: *raw.count.get_ref(),
            start_week: raw.start_week.as_ref().map_or(0, |w| *w.get_ref()),
            efficiency_curve: curve.iter().map(|e| *e.get_ref()).collect(),
            step_minutes,
        })
    }

    /// A tier's `new_hires` (it belongs to a group), and a tier whose
    /// groups have more agents than a client can name.
    pub(super) fn tier_agents(&mut self, t: &RawTier, agents: Option<u64>) {
        let tier = t.name.get_ref();
        if let Some(h) = &t.new_hires {
            let what = if t.group.as_ref().is_some_and(|g| !g.is_empty()) {
                "write it in the `[[tier.group]]` the hires join"
            } else {
                "this tier has no `[[tier.group]]`: declare the tier's agents as groups and give the group the hires join `new_hires`"
            };
            self.problem(
                h.span(),
                format!("tier.{tier}.new_hires"),
                format!("`new_hires` belongs to an agent group; {what}"),
            );
        }
        if let Some(n) = agents.filter(|&n| n > u64::from(MAX_AGENTS)) {
            self.problem(
                super::group::groups_span(t),
                format!("tier.{tier}.group"),
                format!("{n} agents (staff and new hires) in the tier's groups; allowed: at most {MAX_AGENTS}"),
            );
        }
    }
}
