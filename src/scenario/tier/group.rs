//! `[[tier.group]]`, `routing` and `overflow_after` of a tier: agent groups
//! with skills (request or segment names, each with a preference rank), a
//! service-time factor per skill, a reserve, and how clients are routed
//! among the groups. Resolved here into per-class tables (a class is a
//! (segment, request type), as in the service table).

use std::collections::BTreeMap;

use toml::Spanned;

use super::super::diagnostics::{Checker, unknown_word};
use super::super::raw::{RawGroup, RawTier};
use super::TierContext;
use crate::model::TierKind;
use crate::model::groups::{Group, Groups, Routing};

/// The service-time factor of an off-skill agent (rank 2 or more) when
/// `speed` does not say (parameters-v2 §19: `offskill_aht_multiplier`).
pub const OFF_SKILL_FACTOR: f64 = 1.15;

/// The routing rules, as written.
const ROUTINGS: [(&str, Routing); 3] = [
    ("longest_idle", Routing::LongestIdle),
    ("fastest", Routing::Fastest),
    ("preference", Routing::Preference),
];

/// Tier fields a tier with groups does not take (its staffing and way of
/// working come from the groups).
const NOT_WITH_GROUPS: [&str; 6] = [
    "servers",
    "shifts",
    "preemptive",
    "sessions",
    "non_client_share",
    "outbound",
];

/// The names a skill may be: each request type (or `default` without
/// declared types), then each segment.
struct SkillNames<'a> {
    requests: Vec<&'a str>,
    segments: &'a [String],
}

impl SkillNames<'_> {
    /// Whether `name` names a request type or a segment.
    fn knows(&self, name: &str) -> bool {
        self.requests.contains(&name) || self.segments.iter().any(|s| s == name)
    }

    /// Every allowed name, for messages.
    fn allowed(&self) -> String {
        let all: Vec<String> = self
            .requests
            .iter()
            .map(|r| format!("`{r}`"))
            .chain(self.segments.iter().map(|s| format!("`{s}`")))
            .collect();
        all.join(", ")
    }

    /// The value a table keyed by request or segment gives class (s, r): the
    /// request's entry first, then the segment's.
    fn lookup<'v, V>(&self, table: &'v BTreeMap<&str, V>, s: usize, r: usize) -> Option<&'v V> {
        table
            .get(self.requests[r])
            .or_else(|| table.get(self.segments[s].as_str()))
    }
}

impl Checker<'_> {
    /// The tier's groups, or `None` when it declares none (then `routing`
    /// and `overflow_after` may not be written).
    pub(super) fn groups(
        &mut self,
        t: &RawTier,
        kind: TierKind,
        cx: &TierContext<'_>,
    ) -> Option<Groups> {
        let tier = t.name.get_ref();
        let Some(raw) = t.group.as_ref().filter(|g| !g.is_empty()) else {
            for (key, span) in [
                ("routing", t.routing.as_ref().map(Spanned::span)),
                (
                    "overflow_after",
                    t.overflow_after
                        .as_ref()
                        .and_then(|m| m.keys().next())
                        .map(Spanned::span),
                ),
            ] {
                if let Some(span) = span {
                    self.problem(
                        span,
                        format!("tier.{tier}.{key}"),
                        format!("`{key}` applies to a tier with `[[tier.group]]` entries"),
                    );
                }
            }
            self.tier_agents(t, None);
            return None;
        };
        if kind != TierKind::Staffed {
            self.problem(
                raw[0].span(),
                format!("tier.{tier}.group"),
                "groups apply to a staffed tier only (no `kind`, or kind = \"staffed\")",
            );
        }
        self.not_with_groups(t);
        let requests: Vec<&str> = if cx.requests.is_empty() {
            vec!["default"]
        } else {
            cx.requests.iter().map(String::as_str).collect()
        };
        let names = SkillNames {
            requests,
            segments: cx.segments,
        };
        self.names(
            raw.iter().map(|g| &g.get_ref().name),
            &format!("tier.{tier}.group"),
        );
        let start_day = cx.week.map_or(0, |w| w.start_day);
        let groups: Vec<Group> = raw
            .iter()
            .map(|g| self.group(tier, g, &names, start_day))
            .collect();
        let agents = groups.iter().map(|g| {
            let hires = g.agents.new_hires.as_ref().map_or(0, |h| h.count);
            u64::from(g.servers) + u64::from(hires)
        });
        self.tier_agents(t, Some(agents.sum()));
        let classes = cx.segments.len() * names.requests.len();
        let best = self.best_ranks(t, &groups, &names, classes);
        Some(Groups {
            routing: self.routing(t),
            overflow_after: self.overflow_after(t, &names),
            groups,
            best,
        })
    }

    /// Reports the tier fields written beside groups that they replace.
    fn not_with_groups(&mut self, t: &RawTier) {
        for key in NOT_WITH_GROUPS {
            if let Some(span) = super::written(t, key) {
                self.problem(
                    span,
                    format!("tier.{}.{key}", t.name.get_ref()),
                    format!(
                        "`{key}` does not apply to a tier with `[[tier.group]]`; allowed: `servers` or `shifts`, `skills`, `speed`, `reserve`, `agent_speed` and `new_hires` in each group"
                    ),
                );
            }
        }
    }

    /// One group, its per-class tables resolved.
    fn group(
        &mut self,
        tier: &str,
        g: &Spanned<RawGroup>,
        names: &SkillNames<'_>,
        start_day: usize,
    ) -> Group {
        let raw = g.get_ref();
        let field = |f: &str| format!("tier.{tier}.group.{}.{f}", raw.name.get_ref());
        let prefix = format!("tier.{tier}.group.{}", raw.name.get_ref());
        let (servers, roster) = self.group_staffing(raw, &prefix, start_day);
        let split = self.group_speed(raw, &prefix);
        let drawn = match (&split.agents, &raw.agent_speed) {
            (Some(d), _) => Some((d, "speed")),
            (None, Some(d)) => Some((d, "agent_speed")),
            (None, None) => None,
        };
        let agents = self.group_agents(raw, &prefix, drawn);
        let skills = self.skills(raw, names, &field("skills"));
        let speeds = self.speeds(&split.skills, &skills, &field("speed"));
        let reserve = raw.reserve.as_ref().map_or(0, |r| {
            if *r.get_ref() > servers {
                self.problem(
                    r.span(),
                    field("reserve"),
                    format!(
                        "got {}; allowed: at most the group's {servers} servers",
                        r.get_ref()
                    ),
                );
            }
            *r.get_ref()
        });
        let classes = names.segments.len() * names.requests.len();
        let order: Vec<&str> = skills.keys().copied().collect();
        let (mut rank, mut speed, mut skill_of) =
            (vec![0; classes], vec![1.0; classes], vec![u8::MAX; classes]);
        for class in 0..classes {
            let (s, r) = (class / names.requests.len(), class % names.requests.len());
            let key = [names.requests[r], names.segments[s].as_str()]
                .into_iter()
                .find(|k| skills.contains_key(k));
            if let Some(key) = key {
                rank[class] = skills[key];
                speed[class] = speeds.get(key).copied().unwrap_or(if skills[key] > 1 {
                    OFF_SKILL_FACTOR
                } else {
                    1.0
                });
                skill_of[class] = order.iter().position(|k| *k == key).unwrap_or(0) as u8;
            }
        }
        Group {
            name: raw.name.get_ref().clone(),
            servers,
            rank,
            speed,
            skill_of,
            skills: order.iter().map(|k| k.to_string()).collect(),
            reserve,
            roster,
            agents,
        }
    }

    /// `skills`: each a request or segment name with a rank in 1..=9.
    fn skills<'r>(
        &mut self,
        raw: &'r RawGroup,
        names: &SkillNames<'_>,
        field: &str,
    ) -> BTreeMap<&'r str, u8> {
        let mut out = BTreeMap::new();
        let Some(table) = raw.skills.as_ref().filter(|s| !s.is_empty()) else {
            self.problem(
                raw.name.span(),
                field,
                format!(
                    "a group needs at least one skill; allowed: `skills = {{ name = rank }}` with a request type or segment name ({}) and a rank from 1 (first)",
                    names.allowed()
                ),
            );
            return out;
        };
        for (key, rank) in table {
            if !names.knows(key.get_ref()) {
                self.problem(
                    key.span(),
                    field,
                    format!(
                        "no request type or segment named `{}`; allowed: {}",
                        key.get_ref(),
                        names.allowed()
                    ),
                );
                continue;
            }
            if !(1..=9).contains(rank.get_ref()) {
                self.problem(
                    rank.span(),
                    field,
                    format!(
                        "got {}; allowed: a rank from 1 (first) to 9",
                        rank.get_ref()
                    ),
                );
            }
            out.insert(key.get_ref().as_str(), (*rank.get_ref()).clamp(1, 9) as u8);
        }
        out
    }

    /// `speed`: a service-time factor > 0 for some of the group's skills.
    fn speeds<'r>(
        &mut self,
        table: &'r BTreeMap<Spanned<String>, Spanned<f64>>,
        skills: &BTreeMap<&str, u8>,
        field: &str,
    ) -> BTreeMap<&'r str, f64> {
        let mut out = BTreeMap::new();
        for (key, factor) in table {
            if !skills.contains_key(key.get_ref().as_str()) {
                let known: Vec<String> = skills.keys().map(|k| format!("`{k}`")).collect();
                self.problem(
                    key.span(),
                    field,
                    format!(
                        "`{}` is not one of the group's skills; allowed: {}",
                        key.get_ref(),
                        known.join(", ")
                    ),
                );
                continue;
            }
            let x = self.positive(factor, field);
            out.insert(key.get_ref().as_str(), x);
        }
        out
    }

    /// Per class, the best rank among the groups; a class no group serves
    /// is refused, naming its request type (or segment) and the tier.
    fn best_ranks(
        &mut self,
        t: &RawTier,
        groups: &[Group],
        names: &SkillNames<'_>,
        classes: usize,
    ) -> Vec<u8> {
        let mut best = vec![0u8; classes];
        for (class, b) in best.iter_mut().enumerate() {
            *b = groups
                .iter()
                .map(|g| g.rank[class])
                .filter(|&r| r > 0)
                .min()
                .unwrap_or(0);
        }
        // One message per uncovered class (its request and segment).
        for (class, _) in best.iter().enumerate().filter(|(_, b)| **b == 0) {
            let (s, r) = (class / names.requests.len(), class % names.requests.len());
            self.problem(
                groups_span(t),
                format!("tier.{}.group", t.name.get_ref()),
                format!(
                    "no group can serve request `{}` of segment `{}` at tier `{}`; allowed: a group whose `skills` name `{}` or `{}`",
                    names.requests[r],
                    names.segments[s],
                    t.name.get_ref(),
                    names.requests[r],
                    names.segments[s]
                ),
            );
        }
        best
    }

    /// `routing`, `preference` by default.
    fn routing(&mut self, t: &RawTier) -> Routing {
        let Some(r) = &t.routing else {
            return Routing::Preference;
        };
        if let Some((_, routing)) = ROUTINGS.iter().find(|(w, _)| w == r.get_ref()) {
            return *routing;
        }
        self.problem(
            r.span(),
            format!("tier.{}.routing", t.name.get_ref()),
            unknown_word("routing", r.get_ref(), &ROUTINGS.map(|(w, _)| w)),
        );
        Routing::Preference
    }

    /// `overflow_after` per class: minutes >= 0 (`inf`: never), 0 when
    /// not written.
    fn overflow_after(&mut self, t: &RawTier, names: &SkillNames<'_>) -> Vec<f64> {
        let field = format!("tier.{}.overflow_after", t.name.get_ref());
        let mut table: BTreeMap<&str, f64> = BTreeMap::new();
        for (key, minutes) in t.overflow_after.iter().flatten() {
            if !names.knows(key.get_ref()) {
                self.problem(
                    key.span(),
                    &field,
                    format!(
                        "no request type or segment named `{}`; allowed: {}",
                        key.get_ref(),
                        names.allowed()
                    ),
                );
            }
            let x = f64::from(*minutes.get_ref());
            if x.is_nan() || x < 0.0 {
                self.problem(
                    minutes.span(),
                    &field,
                    format!("got {x}; allowed: minutes >= 0, or inf (never)"),
                );
            }
            table.insert(key.get_ref().as_str(), x);
        }
        let per_request = names.requests.len();
        (0..names.segments.len() * per_request)
            .map(|class| {
                names
                    .lookup(&table, class / per_request, class % per_request)
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect()
    }
}

/// Where a problem of a tier's groups as a whole is shown: its first
/// `[[tier.group]]`, else the tier's name.
pub(super) fn groups_span(t: &RawTier) -> std::ops::Range<usize> {
    t.group
        .as_ref()
        .and_then(|g| g.first())
        .map_or(t.name.span(), Spanned::span)
}
