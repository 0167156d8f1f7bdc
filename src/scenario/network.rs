//! Rules across tables, checked once every table is built: back offices
//! and dedicated tiers are reached only the way they work, a segment's
//! first tier serves clients on the line, every dedicated tier has a book,
//! and every route lets clients leave.

use toml::Spanned;

use super::PROBABILITY_SLACK;
use super::diagnostics::{Checker, list};
use super::raw::RawScenario;
use crate::model::{Escalation, RequestType, Segment, Tier, TierKind};

impl Checker<'_> {
    /// Every rule across tables.
    pub(super) fn network(
        &mut self,
        raw: &RawScenario,
        tiers: &[Tier],
        segments: &[Segment],
        requests: &[RequestType],
        names: &[String],
    ) {
        let kinds: Vec<TierKind> = tiers.iter().map(|t| t.kind).collect();
        self.back_office_lists(raw, names, &kinds);
        self.client_facing(raw, names, &kinds);
        self.first_tier(raw, tiers);
        self.dedicated_booked(raw, tiers, segments);
        self.routes_exit(raw, tiers, requests);
    }

    /// Back offices are reached by `back_office` lists, and those lists
    /// name back offices only.
    fn back_office_lists(&mut self, raw: &RawScenario, names: &[String], kinds: &[TierKind]) {
        let lists = raw
            .segment
            .iter()
            .map(|s| {
                (
                    s.get_ref().back_office.as_deref(),
                    format!("segment.{}.back_office", s.get_ref().name.get_ref()),
                )
            })
            .chain(raw.request.iter().map(|r| {
                (
                    r.get_ref().back_office.as_deref(),
                    format!("request.{}.back_office", r.get_ref().name.get_ref()),
                )
            }));
        for (list, field) in lists {
            for n in list.unwrap_or(&[]) {
                if let Some(j) = names.iter().position(|t| t == n.get_ref())
                    && kinds[j] != TierKind::BackOffice
                {
                    self.problem(
                        n.span(),
                        &field,
                        format!(
                            "`{}` is not a back office; allowed: tiers with kind = \"back_office\"",
                            n.get_ref()
                        ),
                    );
                }
            }
        }
    }

    /// Entries and escalations name tiers serving clients on the line: not
    /// a back office, not a dedicated tier.
    fn client_facing(&mut self, raw: &RawScenario, names: &[String], kinds: &[TierKind]) {
        for (name, field) in client_steps(raw) {
            let Some(j) = names.iter().position(|t| t == name.get_ref()) else {
                continue;
            };
            match kinds[j] {
                TierKind::BackOffice => self.problem(
                    name.span(),
                    field,
                    format!("`{}` is a back office: cases reach it through `back_office` lists of request types or segments, not as a client-facing step", name.get_ref()),
                ),
                TierKind::Dedicated => self.problem(
                    name.span(),
                    field,
                    format!("`{}` is a dedicated tier: only booked clients reach it, through their segment's `book`", name.get_ref()),
                ),
                _ => {}
            }
        }
    }

    /// A segment without `entry` joins the first tier: it must serve
    /// clients on the line.
    fn first_tier(&mut self, raw: &RawScenario, tiers: &[Tier]) {
        let Some(first) = tiers.first() else {
            return;
        };
        let what = match first.kind {
            TierKind::Dedicated => "dedicated tier",
            TierKind::BackOffice => "back office",
            _ => return,
        };
        for s in raw
            .segment
            .iter()
            .map(|s| s.get_ref())
            .filter(|s| s.entry.is_none())
        {
            self.problem(
                s.name.span(),
                format!("segment.{}.entry", s.name.get_ref()),
                format!("missing; without `entry` a segment joins the first tier, `{}`, which is a {what} and cannot be an entry; name the tier its clients join first", first.name),
            );
        }
    }

    /// Every dedicated tier is some segment's book.
    fn dedicated_booked(&mut self, raw: &RawScenario, tiers: &[Tier], segments: &[Segment]) {
        for (j, t) in tiers.iter().enumerate() {
            if t.kind == TierKind::Dedicated
                && !segments
                    .iter()
                    .any(|s| s.book.as_ref().is_some_and(|b| b.tier == j))
            {
                self.problem(
                    raw.tier[j].get_ref().name.span(),
                    format!("tier.{}.kind", t.name),
                    "a dedicated tier serves booked clients only, and no segment has a `book` with this tier",
                );
            }
        }
    }

    /// Every tier must let clients leave eventually, for every request type:
    /// a set of tiers whose escalations all lead back into the set with
    /// probability 1 would keep clients for ever.
    fn routes_exit(&mut self, raw: &RawScenario, tiers: &[Tier], requests: &[RequestType]) {
        let mut trapped = vec![Vec::new(); tiers.len()];
        for (r, request) in requests.iter().enumerate() {
            for (j, exits) in exits(tiers, request, r).into_iter().enumerate() {
                if !exits {
                    trapped[j].push(request.name.clone());
                }
            }
        }
        for (j, tier) in tiers.iter().enumerate() {
            if trapped[j].is_empty() {
                continue;
            }
            let raw_tier = raw.tier[j].get_ref();
            let span = raw_tier
                .escalate
                .iter()
                .flatten()
                .next()
                .map(Spanned::span)
                .or_else(|| raw_tier.handoff_to.as_ref().map(Spanned::span))
                .or_else(|| raw_tier.escalate_to.as_ref().map(Spanned::span))
                .unwrap_or(raw.tier[j].span());
            let which = if requests.len() > 1 {
                format!(
                    " (request types {})",
                    list(trapped[j].iter().map(String::as_str))
                )
            } else {
                String::new()
            };
            self.problem(
                span,
                format!("tier.{}.escalate", tier.name),
                if tier.skill.is_some() {
                    format!(
                        "no tier can serve the most complex requests escalated from here{which}: every tier they reach escalates them by skill or probability and none lets them leave; \
                         allowed: a tier on the way with `skill` at least the requests' highest complexity, or without a skill level"
                    )
                } else {
                    format!(
                        "clients escalated from here{which} return among the same tiers with probability 1 and never leave; \
                         allowed: escalation probabilities that leave some chance of departing"
                    )
                },
            );
        }
    }
}

/// Every reference to a tier as a step of a client's journey (entries,
/// escalations, hand-offs), with its field.
fn client_steps(raw: &RawScenario) -> Vec<(&Spanned<String>, String)> {
    let mut out: Vec<(&Spanned<String>, String)> = Vec::new();
    for s in &raw.segment {
        let s = s.get_ref();
        if let Some(e) = &s.entry {
            out.push((e, format!("segment.{}.entry", s.name.get_ref())));
        }
    }
    for c in &raw.channel {
        let c = c.get_ref();
        if let Some(e) = &c.entry {
            out.push((e, format!("channel.{}.entry", c.name.get_ref())));
        }
    }
    for r in &raw.request {
        let r = r.get_ref();
        if let Some(e) = &r.entry {
            out.push((e, format!("request.{}.entry", r.name.get_ref())));
        }
        for list in r.escalate.iter().flat_map(|m| m.values()) {
            for e in list {
                out.push((
                    &e.get_ref().to,
                    format!("request.{}.escalate", r.name.get_ref()),
                ));
            }
        }
    }
    for t in &raw.tier {
        let t = t.get_ref();
        let field = format!("tier.{}.escalate", t.name.get_ref());
        for e in t.escalate.iter().flatten() {
            out.push((&e.get_ref().to, field.clone()));
        }
        for e in [&t.handoff_to, &t.escalate_to].into_iter().flatten() {
            out.push((e, field.clone()));
        }
    }
    out
}

/// For request type `r`, whether clients at each tier eventually leave.
fn exits(tiers: &[Tier], request: &RequestType, r: usize) -> Vec<bool> {
    // The most complex client of this type is escalated by every skill
    // level below its complexity (values above 1 count as 1).
    let hardest = request
        .complexity
        .as_ref()
        .map_or(0.0, |d| d.support().1.min(1.0));
    let routes: Vec<Vec<Escalation>> = tiers
        .iter()
        .map(|t| match &t.skill {
            Some(skill) if hardest > skill.level => vec![Escalation {
                to: skill.to,
                probability: 1.0,
            }],
            _ => t.routes[r].clone(),
        })
        .collect();
    let mut exits: Vec<bool> = routes
        .iter()
        .map(|r| r.iter().map(|e| e.probability).sum::<f64>() < 1.0 - PROBABILITY_SLACK)
        .collect();
    loop {
        let mut changed = false;
        for j in 0..tiers.len() {
            if !exits[j] && routes[j].iter().any(|e| e.probability > 0.0 && exits[e.to]) {
                exits[j] = true;
                changed = true;
            }
        }
        if !changed {
            return exits;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, problem};

    /// [`BASE`] with tier `t` preceded by tier `first` of `kind`.
    fn before(kind: &str) -> String {
        BASE.replace(
            "[[tier]]",
            &format!("[[tier]]\nname = \"first\"\nkind = \"{kind}\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n\n[[tier]]"),
        )
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                before("back_office"),
                "segment.s.entry",
                "missing; without `entry` a segment joins the first tier, `first`, which is a back office and cannot be an entry; name the tier its clients join first",
            ),
            (
                before("back_office").replace(
                    "rate_per_hour = 6.0",
                    "rate_per_hour = 6.0\nentry = \"first\"",
                ),
                "segment.s.entry",
                "`first` is a back office: cases reach it through `back_office` lists of request types or segments, not as a client-facing step",
            ),
            (
                before("back_office").replace(
                    "rate_per_hour = 6.0",
                    "rate_per_hour = 6.0\nentry = \"t\"\nback_office = [\"t\"]",
                ),
                "segment.s.back_office",
                "`t` is not a back office; allowed: tiers with kind = \"back_office\"",
            ),
            (
                before("dedicated")
                    .replace("rate_per_hour = 6.0", "rate_per_hour = 6.0\nentry = \"t\""),
                "tier.first.kind",
                "a dedicated tier serves booked clients only, and no segment has a `book` with this tier",
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
