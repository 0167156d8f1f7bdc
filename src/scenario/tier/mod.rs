//! `[[tier]]`: a pool of servers (staffed RMs, a chatbot, a back office or
//! dedicated RMs), built and validated in one pass, one function per
//! concern: its kind, the fields its kind takes, staffing (`staffing.rs`),
//! service times (`service.rs`), escalation and hand-offs (`routes.rs`),
//! first-contact resolution (`resolution.rs`) and how it works
//! (`work.rs`). What other tables change at a tier (request
//! types' overrides, training) is resolved before and applied here.

mod agents;
mod group;
mod resolution;
mod routes;
mod service;
mod speed;
mod staffing;
mod work;

use std::ops::Range;

use toml::Spanned;

use super::diagnostics::{Checker, unknown_word};
use super::levers::Training;
use super::raw::{RawScenario, RawTier};
use super::request::AtTier;
use crate::model::{Discipline, Handoff, Tier, TierKind, Week};

/// The names and resolved parts of the other tables a tier refers to.
pub(super) struct TierContext<'a> {
    /// Tier names, in file order.
    pub(super) names: &'a [String],
    /// Segment names, in file order.
    pub(super) segments: &'a [String],
    /// Request type names as declared (empty without `[[request]]`).
    pub(super) requests: &'a [String],
    /// Each tier's kind.
    pub(super) kinds: &'a [TierKind],
    /// The calendar, if any.
    pub(super) week: Option<&'a Week>,
    /// What each request type changes at each tier: `at[request][tier]`.
    pub(super) at: &'a [Vec<AtTier>],
    /// Training at each tier.
    pub(super) training: &'a [Training],
    /// The file opts into the v2 outcome model (`[outcomes] model = 2`):
    /// staffed tiers resolve by their expertise unless they say.
    pub(super) v2: bool,
}

impl TierContext<'_> {
    /// Request types in the model (the implicit `default` when none is
    /// declared).
    fn kinds_of_request(&self) -> usize {
        self.requests.len().max(1)
    }
}

/// Fields that some kinds of tier do not take: the field, the kinds
/// without it, and whether its message calls any tier but a chatbot "a
/// staffed tier" (the older wording of the rules written for chatbots).
const NOT_FOR: [(&str, &[TierKind], bool); 22] = {
    use TierKind::{BackOffice, Chatbot, Dedicated, Staffed};
    [
        ("servers", &[Chatbot], true),
        ("shifts", &[Chatbot], true),
        ("queue_capacity", &[Chatbot], true),
        ("preemptive", &[Chatbot], true),
        ("escalate", &[Chatbot], true),
        ("resolves", &[BackOffice], false),
        ("expertise", &[Chatbot, BackOffice], false),
        ("sale_factor", &[Staffed, BackOffice, Dedicated], true),
        ("handoff_to", &[Staffed, BackOffice, Dedicated], true),
        ("context_passed", &[Staffed, BackOffice, Dedicated], true),
        ("skill", &[Chatbot, BackOffice], false),
        ("triage", &[Chatbot, BackOffice], false),
        ("escalate_to", &[Chatbot, BackOffice], false),
        ("transfer", &[Chatbot, BackOffice], false),
        ("handoff_minutes", &[Chatbot, BackOffice], false),
        ("sessions", &[Chatbot, BackOffice, Dedicated], false),
        ("session_slowdown", &[Chatbot, BackOffice, Dedicated], false),
        ("non_client_share", &[Chatbot, BackOffice], false),
        ("outbound", &[Chatbot, BackOffice, Dedicated], false),
        ("escalate", &[BackOffice], false),
        ("preemptive", &[BackOffice, Dedicated], false),
        ("queue_capacity", &[BackOffice, Dedicated], false),
    ]
};

/// The kinds of tier, as written.
const KINDS: [(&str, TierKind); 4] = [
    ("staffed", TierKind::Staffed),
    ("chatbot", TierKind::Chatbot),
    ("back_office", TierKind::BackOffice),
    ("dedicated", TierKind::Dedicated),
];

impl Checker<'_> {
    /// Every tier's kind, in file order (resolved first: other tables
    /// depend on it).
    pub(super) fn tier_kinds(&mut self, raw: &RawScenario) -> Vec<TierKind> {
        raw.tier
            .iter()
            .map(|t| self.tier_kind(t.get_ref()))
            .collect()
    }

    /// `kind`, `staffed` by default.
    fn tier_kind(&mut self, t: &RawTier) -> TierKind {
        let Some(k) = &t.kind else {
            return TierKind::Staffed;
        };
        if let Some((_, kind)) = KINDS.iter().find(|(w, _)| w == k.get_ref()) {
            return *kind;
        }
        self.problem(
            k.span(),
            format!("tier.{}.kind", t.name.get_ref()),
            unknown_word("kind", k.get_ref(), &KINDS.map(|(w, _)| w)),
        );
        TierKind::Staffed
    }

    /// Tier `j`, built and validated; `None` when it cannot be built.
    pub(super) fn tier(&mut self, j: usize, t: &RawTier, cx: &TierContext<'_>) -> Option<Tier> {
        let kind = cx.kinds[j];
        let groups = self.groups(t, kind, cx);
        let staffing = match &groups {
            Some(g) => staffing::Staffing::of_groups(g),
            None => self.staffing(t, kind, cx.week),
        };
        let service = self.service_table(t, j, cx);
        let discipline = self.discipline(t);
        // Resolution by expertise is over the routes as written: the cases
        // that training's escalation factor keeps at the tier resolve at
        // the tier's own rate, not at a rate lowered to hold its FCR fixed.
        let mut routes = self.routes(t, j, cx);
        let resolves = routes.as_ref().and_then(|r| self.resolves(t, j, cx, r));
        if let (Some(routes), Some((e, span))) = (routes.as_mut(), &cx.training[j].escalation) {
            self.train_escalation(routes, *e, span, t.name.get_ref());
        }
        let sale_factor = t
            .sale_factor
            .as_ref()
            .filter(|_| kind == TierKind::Chatbot)
            .map(|f| self.probability(f, &format!("tier.{}.sale_factor", t.name.get_ref())));
        self.misplaced(t, kind);
        let skill = self.skill(t, cx.names);
        let work = self.work(t);
        let preemptive = t.preemptive.as_ref().is_some_and(|p| *p.get_ref());
        if preemptive && discipline == Discipline::Fifo {
            let span = t.preemptive.as_ref().map_or(0..0, |p| p.span());
            self.problem(
                span,
                format!("tier.{}.preemptive", t.name.get_ref()),
                "preemption needs priorities; allowed with discipline = \"priority\" only",
            );
        }
        let callback_offer = self.callback_offer(t, kind);
        let chatbot = kind == TierKind::Chatbot;
        let handoff = if !chatbot || t.context_passed.as_ref().is_some_and(|c| *c.get_ref()) {
            Handoff::Warm
        } else {
            Handoff::Cold
        };
        Some(Tier {
            name: t.name.get_ref().clone(),
            servers: staffing.servers,
            roster: staffing.roster,
            service: service?,
            queue_capacity: t.queue_capacity.as_ref().map(|q| *q.get_ref()),
            preemptive,
            discipline,
            routes: routes?,
            handoff,
            kind,
            skill,
            transfer: work.transfer,
            handoff_minutes: work.handoff_minutes,
            callback: work.callback,
            sessions: work.sessions,
            session_slowdown: work.session_slowdown,
            non_client_share: work.non_client_share,
            outbound: work.outbound,
            resolves: resolves?,
            sale_factor,
            groups,
            callback_offer,
            service_factors: self.service_factors(t),
        })
    }

    /// `discipline`, `priority` by default.
    fn discipline(&mut self, t: &RawTier) -> Discipline {
        let Some(d) = &t.discipline else {
            return Discipline::Priority;
        };
        match d.get_ref().as_str() {
            "priority" => Discipline::Priority,
            "fifo" => Discipline::Fifo,
            other => {
                self.problem(
                    d.span(),
                    format!("tier.{}.discipline", t.name.get_ref()),
                    unknown_word("discipline", other, &["priority", "fifo"]),
                );
                Discipline::Priority
            }
        }
    }

    /// Reports the fields written for a tier whose kind does not take them.
    fn misplaced(&mut self, t: &RawTier, kind: TierKind) {
        for (key, without, staffed_or_chatbot) in NOT_FOR {
            let Some(span) = written(t, key).filter(|_| without.contains(&kind)) else {
                continue;
            };
            let what = match kind {
                TierKind::Chatbot => "a chatbot tier (kind = \"chatbot\")",
                _ if staffed_or_chatbot => "a staffed tier",
                TierKind::BackOffice => "a back office (kind = \"back_office\")",
                TierKind::Dedicated => "a dedicated tier (kind = \"dedicated\")",
                TierKind::Staffed => "a staffed tier",
            };
            self.problem(
                span,
                format!("tier.{}.{key}", t.name.get_ref()),
                format!("`{key}` does not apply to {what}"),
            );
        }
    }
}

/// Where field `key` of a tier is written (a list's first entry), if it is.
fn written(t: &RawTier, key: &str) -> Option<Range<usize>> {
    match key {
        "servers" => t.servers.as_ref().map(Spanned::span),
        "shifts" => first(&t.shifts),
        "queue_capacity" => t.queue_capacity.as_ref().map(Spanned::span),
        "preemptive" => t.preemptive.as_ref().map(Spanned::span),
        "escalate" => first(&t.escalate),
        "resolves" => t
            .resolves
            .as_ref()
            .and_then(|r| r.keys().next())
            .map(Spanned::span),
        "handoff_to" => t.handoff_to.as_ref().map(Spanned::span),
        "expertise" => t.expertise.as_ref().map(Spanned::span),
        "sale_factor" => t.sale_factor.as_ref().map(Spanned::span),
        "context_passed" => t.context_passed.as_ref().map(Spanned::span),
        "skill" => t.skill.as_ref().map(Spanned::span),
        "triage" => t.triage.as_ref().map(Spanned::span),
        "escalate_to" => t.escalate_to.as_ref().map(Spanned::span),
        "transfer" => t.transfer.as_ref().map(Spanned::span),
        "handoff_minutes" => t.handoff_minutes.as_ref().map(Spanned::span),
        "sessions" => t.sessions.as_ref().map(Spanned::span),
        "session_slowdown" => t.session_slowdown.as_ref().map(Spanned::span),
        "non_client_share" => t.non_client_share.as_ref().map(Spanned::span),
        "outbound" => t.outbound.as_ref().map(Spanned::span),
        _ => None,
    }
}

/// Where the first entry of a list field is written, if it has one.
fn first<T>(v: &Option<Vec<Spanned<T>>>) -> Option<Range<usize>> {
    v.as_ref().and_then(|v| v.first()).map(Spanned::span)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, problems};
    use crate::model::{Discipline, Handoff, Servers, TierKind};

    /// [`BASE`] with `line` added to tier `t`.
    fn tier(line: &str) -> String {
        BASE.replace("servers = 2", &format!("servers = 2\n{line}"))
    }

    /// [`BASE`] with a chatbot `bot` in front of tier `t`, holding `line`.
    fn chatbot(line: &str) -> String {
        BASE.replace(
            "[[tier]]",
            &format!("[[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n{line}\n\n[[tier]]"),
        )
    }

    #[test]
    fn defaults() {
        let t = &model(BASE).tiers[0];
        assert_eq!(t.kind, TierKind::Staffed);
        assert_eq!(t.discipline, Discipline::Priority);
        assert!(!t.preemptive);
        assert_eq!(t.queue_capacity, None);
        assert_eq!(t.handoff, Handoff::Warm);
        assert_eq!(t.routes, [vec![]], "everyone leaves after service");
        assert!(t.skill.is_none());
        let m = model(&chatbot(
            "handoff_to = \"t\"\nresolves = { default = 0.25 }",
        ));
        let bot = &m.tiers[0];
        assert_eq!(
            (bot.kind, bot.servers),
            (TierKind::Chatbot, Servers::Unlimited)
        );
        assert_eq!(bot.handoff, Handoff::Cold, "without context_passed");
        assert_eq!(
            (bot.routes[0][0].to, bot.routes[0][0].probability),
            (1, 0.75)
        );
        let m = model(&chatbot("handoff_to = \"t\"\ncontext_passed = true"));
        assert_eq!(m.tiers[0].handoff, Handoff::Warm);
        let t = &model(&tier("discipline = \"fifo\"\nqueue_capacity = 4")).tiers[0];
        assert_eq!(
            (t.discipline, t.queue_capacity),
            (Discipline::Fifo, Some(4))
        );
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                tier("kind = \"staffd\""),
                "tier.t.kind",
                "unknown kind `staffd`; allowed: \"staffed\", \"chatbot\", \"back_office\", \"dedicated\" (did you mean `staffed`?)",
            ),
            (
                tier("discipline = \"lifo\""),
                "tier.t.discipline",
                "unknown discipline `lifo`; allowed: \"priority\", \"fifo\" (did you mean `fifo`?)",
            ),
            (
                tier("discipline = \"fifo\"\npreemptive = true"),
                "tier.t.preemptive",
                "preemption needs priorities; allowed with discipline = \"priority\" only",
            ),
            (
                chatbot(""),
                "tier.bot.handoff_to",
                "missing; a chatbot needs the tier that takes what it does not resolve",
            ),
            (
                chatbot("handoff_to = \"x\""),
                "tier.bot.handoff_to",
                "no tier named `x`; allowed: `bot`, `t`",
            ),
            (
                chatbot("handoff_to = \"t\"\nresolves = { default = 1.5 }"),
                "tier.bot.resolves",
                "got 1.5; allowed: a share in [0, 1]",
            ),
            (
                chatbot("handoff_to = \"t\"\nresolves = { loans = 0.5 }"),
                "tier.bot.resolves",
                "no `[[request]]` types are declared; use `default` for all requests",
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

    #[test]
    fn every_field_a_kind_may_not_take_is_located() {
        let t: super::RawTier = toml::from_str(
            r#"name = "t"
servers = 1
shifts = [{ start = "08:00", end = "16:00", servers = 1 }]
queue_capacity = 1
preemptive = true
escalate = [{ to = "t", probability = 0.1 }]
resolves = { default = 0.5 }
handoff_to = "t"
context_passed = true
skill = 0.5
triage = { dist = "exponential", mean = 1.0 }
escalate_to = "t"
transfer = "warm"
handoff_minutes = 1.0
sessions = 2
session_slowdown = 1.1
expertise = "junior"
sale_factor = 0.5
non_client_share = 0.1
outbound = { call = { dist = "exponential", mean = 1.0 }, sale_probability = 0.1 }
service = { dist = "exponential", mean = 1.0 }"#,
        )
        .unwrap();
        for (key, _, _) in super::NOT_FOR {
            assert!(super::written(&t, key).is_some(), "{key}");
        }
    }

    #[test]
    fn each_kind_takes_its_own_fields() {
        let cases = [
            (
                chatbot("handoff_to = \"t\"\nservers = 3"),
                "tier.bot.servers",
                "`servers` does not apply to a chatbot tier (kind = \"chatbot\")",
            ),
            (
                chatbot("handoff_to = \"t\"\nsessions = 3"),
                "tier.bot.sessions",
                "`sessions` does not apply to a chatbot tier (kind = \"chatbot\")",
            ),
            (
                tier("handoff_to = \"t\""),
                "tier.t.handoff_to",
                "`handoff_to` does not apply to a staffed tier",
            ),
            (
                tier("kind = \"back_office\"\ncontext_passed = true"),
                "tier.t.context_passed",
                "`context_passed` does not apply to a staffed tier",
            ),
            (
                tier("kind = \"back_office\"\nnon_client_share = 0.1"),
                "tier.t.non_client_share",
                "`non_client_share` does not apply to a back office (kind = \"back_office\")",
            ),
            (
                tier("kind = \"back_office\"\nqueue_capacity = 3"),
                "tier.t.queue_capacity",
                "`queue_capacity` does not apply to a back office (kind = \"back_office\")",
            ),
        ];
        for (source, field, message) in cases {
            let all = problems(&source);
            assert!(
                all.contains(&(field.to_string(), message.to_string())),
                "{all:?}\n{source}"
            );
        }
        let dedicated = problems(&tier("kind = \"dedicated\"\nsessions = 2"));
        assert!(dedicated.contains(&(
            "tier.t.sessions".to_string(),
            "`sessions` does not apply to a dedicated tier (kind = \"dedicated\")".to_string()
        )));
    }
}
