//! Validation of the bank's service model beyond tiers and segments:
//! channels and their opening hours, back offices, dedicated RMs' books,
//! skill escalation, call-back transfers, concurrent sessions, non-client
//! work and outbound calls.

use std::collections::BTreeMap;

use toml::Spanned;

use super::raw::{self, RawScenario};
use super::{Checker, clock, list, nearest};
use crate::model::week::DAYS;
use crate::model::{
    Book, CallbackRules, Channel, OpeningHours, Outbound, Overflow, RequestType, Segment, Skill,
    Tier, TierKind, Transfer, Week, WhenClosed,
};

/// A tier field (name, where it is written if it is) and the kinds of tier
/// it does not apply to.
type FieldKinds<'a> = (&'a str, Option<std::ops::Range<usize>>, &'a [TierKind]);

/// Keys of `hours` naming several days at once, and the days they name.
const DAY_GROUPS: [(&str, &[usize]); 3] = [
    ("daily", &[0, 1, 2, 3, 4, 5, 6]),
    ("weekdays", &[0, 1, 2, 3, 4]),
    ("weekend", &[5, 6]),
];

impl Checker<'_> {
    /// `[[channel]]` tables, in file order.
    pub(super) fn channels(
        &mut self,
        raw: &RawScenario,
        week: Option<&Week>,
        tiers: &[String],
    ) -> Vec<Channel> {
        let start_day = week.map_or(0, |w| w.start_day);
        raw.channel
            .iter()
            .map(|c| {
                let c = c.get_ref();
                let field = |f: &str| format!("channel.{}.{f}", c.name.get_ref());
                let hours = c
                    .hours
                    .as_ref()
                    .map(|h| self.opening_hours(h, &field("hours"), start_day));
                let when_closed = match c.when_closed.as_ref().map(|w| (w, w.get_ref().as_str())) {
                    None | Some((_, "wait")) => WhenClosed::Wait,
                    Some((_, "lost")) => WhenClosed::Lost,
                    Some((w, other)) => {
                        self.problem(
                            w.span(),
                            field("when_closed"),
                            format!("unknown rule `{other}`; allowed: \"wait\", \"lost\""),
                        );
                        WhenClosed::Wait
                    }
                };
                let entry = c
                    .entry
                    .as_ref()
                    .and_then(|e| self.reference(e, tiers, &field("entry"), "tier"));
                Channel {
                    entry,
                    name: c.name.get_ref().clone(),
                    hours,
                    when_closed,
                    service_multiplier: c
                        .service_multiplier
                        .as_ref()
                        .map_or(1.0, |m| self.positive(m, &field("service_multiplier"))),
                    tolerance: c
                        .tolerance
                        .as_ref()
                        .map(|t| self.positive(t, &field("tolerance"))),
                    satisfaction_offset: c.satisfaction_offset.as_ref().map_or(0.0, |o| {
                        self.number(
                            o,
                            &field("satisfaction_offset"),
                            |_| true,
                            "a finite number",
                        )
                    }),
                }
            })
            .collect()
    }

    /// `hours = { mon = "09:00-17:00", weekend = "closed", ... }`: later
    /// single days override groups (`daily`, `weekdays`, `weekend`); days
    /// not named are closed.
    fn opening_hours(
        &mut self,
        hours: &BTreeMap<Spanned<String>, Spanned<String>>,
        field: &str,
        start_day: usize,
    ) -> OpeningHours {
        let mut days: [Option<(u32, u32)>; 7] = [None; 7];
        // Groups first, then single days, whatever the order in the file.
        let mut entries: Vec<_> = hours.iter().collect();
        entries.sort_by_key(|(k, _)| DAYS.contains(&k.get_ref().as_str()));
        for (key, value) in entries {
            let name = key.get_ref().as_str();
            let which: Vec<usize> = if let Some(d) = DAYS.iter().position(|d| *d == name) {
                vec![d]
            } else if let Some((_, group)) = DAY_GROUPS.iter().find(|(g, _)| *g == name) {
                group.to_vec()
            } else {
                let keys = DAYS.iter().copied().chain(DAY_GROUPS.iter().map(|g| g.0));
                let mut message = format!("unknown day `{name}`; allowed: {}", list(keys.clone()));
                if let Some(near) = nearest(name, keys) {
                    message.push_str(&format!(" (did you mean `{near}`?)"));
                }
                self.problem(key.span(), field, message);
                continue;
            };
            let text = value.get_ref().trim();
            let interval = if text == "closed" {
                None
            } else {
                let parsed = text
                    .split_once('-')
                    .and_then(|(a, b)| Some((clock(a.trim())?, clock(b.trim())?)));
                match parsed {
                    Some((a, b)) if a < 1440 && b <= 1440 && a != b => Some((a, b % 1440)),
                    _ => {
                        self.problem(
                            value.span(),
                            format!("{field}.{name}"),
                            format!(
                                "cannot read opening hours `{text}`; allowed: \"HH:MM-HH:MM\" (e.g. \"09:00-17:30\", \"00:00-24:00\" for all day, a close before the open runs past midnight) or \"closed\""
                            ),
                        );
                        continue;
                    }
                }
            };
            for d in which {
                days[d] = interval;
            }
        }
        if days.iter().all(Option::is_none) {
            let span = hours.keys().next().map_or(0..0, Spanned::span);
            self.problem(
                span,
                field,
                "the channel is never open; allowed: at least one day with \"HH:MM-HH:MM\" (leave out `hours` for a channel open 7x24)",
            );
        }
        OpeningHours::from_days(&days, start_day)
    }

    /// A segment's `channels` mix over the model's channels.
    pub(super) fn channel_mix(
        &mut self,
        raw: &Spanned<raw::RawSegment>,
        channels: &[String],
    ) -> Vec<f64> {
        let s = raw.get_ref();
        let field = format!("segment.{}.channels", s.name.get_ref());
        match (&s.channels, channels.len()) {
            (None, 0) => Vec::new(),
            (Some(m), 0) => {
                self.problem(
                    m.span(),
                    field,
                    "no `[[channel]]` is declared; declare the channels before giving a mix",
                );
                Vec::new()
            }
            (None, 1) => vec![1.0],
            (None, _) => {
                self.problem(
                    raw.span(),
                    field,
                    format!(
                        "missing; give the share of each channel, e.g. channels = {{ {} = 1.0 }}",
                        channels[0]
                    ),
                );
                Vec::new()
            }
            (Some(m), _) => self.mix(m, channels, &field, "channel"),
        }
    }

    /// A list of tier names, as indices.
    pub(super) fn tier_list(
        &mut self,
        names: Option<&[Spanned<String>]>,
        tiers: &[String],
        field: &str,
    ) -> Vec<usize> {
        names
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| self.reference(n, tiers, field, "tier"))
            .collect()
    }

    /// Everything of the service model that needs every tier built: each
    /// tier's skill, transfer, call-back, sessions, non-client work and
    /// outbound calls; segments' books; and that back offices and dedicated
    /// tiers are reached only the way they work.
    pub(super) fn service_model(
        &mut self,
        raw: &RawScenario,
        tiers: &mut [Tier],
        segments: &mut [Segment],
        requests: &[RequestType],
        names: &[String],
    ) {
        let kinds: Vec<TierKind> = tiers.iter().map(|t| t.kind).collect();
        for (j, raw_tier) in raw.tier.iter().enumerate() {
            self.tier_work(raw_tier.get_ref(), &mut tiers[j], names, &kinds);
        }
        for (i, raw_segment) in raw.segment.iter().enumerate() {
            let s = raw_segment.get_ref();
            if let Some(b) = &s.book {
                segments[i].book = self.book(b, s.name.get_ref(), tiers, names);
            }
        }
        // Back offices are reached by `back_office` lists only; dedicated
        // tiers by books only.
        let back_office_lists = raw
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
        for (list, field) in back_office_lists {
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
        let mut references: Vec<(&Spanned<String>, String)> = Vec::new();
        for s in &raw.segment {
            let s = s.get_ref();
            if let Some(e) = &s.entry {
                references.push((e, format!("segment.{}.entry", s.name.get_ref())));
            }
        }
        for c in &raw.channel {
            let c = c.get_ref();
            if let Some(e) = &c.entry {
                references.push((e, format!("channel.{}.entry", c.name.get_ref())));
            }
        }
        for r in &raw.request {
            let r = r.get_ref();
            if let Some(e) = &r.entry {
                references.push((e, format!("request.{}.entry", r.name.get_ref())));
            }
            for list in r.escalate.iter().flat_map(|m| m.values()) {
                for e in list {
                    references.push((
                        &e.get_ref().to,
                        format!("request.{}.escalate", r.name.get_ref()),
                    ));
                }
            }
        }
        for t in &raw.tier {
            let t = t.get_ref();
            let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
            for e in t.escalate.iter().flatten() {
                references.push((&e.get_ref().to, field("escalate")));
            }
            for e in [&t.handoff_to, &t.escalate_to].into_iter().flatten() {
                references.push((e, field("escalate")));
            }
        }
        for (name, field) in references {
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
        // A segment without `entry` joins the first tier: it must serve
        // clients on the line.
        if let Some(first) = tiers.first()
            && matches!(first.kind, TierKind::BackOffice | TierKind::Dedicated)
        {
            for s in raw
                .segment
                .iter()
                .map(|s| s.get_ref())
                .filter(|s| s.entry.is_none())
            {
                self.problem(
                    s.name.span(),
                    format!("segment.{}.entry", s.name.get_ref()),
                    format!("missing; without `entry` a segment joins the first tier, `{}`, which is a {} and cannot be an entry; name the tier its clients join first", first.name, if first.kind == TierKind::Dedicated { "dedicated tier" } else { "back office" }),
                );
            }
        }
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
        let _ = requests;
    }

    /// The fields of one tier about how it works: skill, transfer,
    /// call-backs, sessions, non-client work, outbound calls; and those
    /// that do not apply to its kind.
    fn tier_work(
        &mut self,
        t: &raw::RawTier,
        tier: &mut Tier,
        names: &[String],
        kinds: &[TierKind],
    ) {
        let name = t.name.get_ref().clone();
        let field = |f: &str| format!("tier.{name}.{f}");
        let kind = tier.kind;
        // What each kind cannot have.
        let not_for: [FieldKinds; 12] = [
            (
                "skill",
                t.skill.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice],
            ),
            (
                "triage",
                t.triage.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice],
            ),
            (
                "escalate_to",
                t.escalate_to.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice],
            ),
            (
                "transfer",
                t.transfer.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice],
            ),
            (
                "handoff_minutes",
                t.handoff_minutes.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice],
            ),
            (
                "sessions",
                t.sessions.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice, TierKind::Dedicated],
            ),
            (
                "session_slowdown",
                t.session_slowdown.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice, TierKind::Dedicated],
            ),
            (
                "non_client_share",
                t.non_client_share.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice],
            ),
            (
                "outbound",
                t.outbound.as_ref().map(Spanned::span),
                &[TierKind::Chatbot, TierKind::BackOffice, TierKind::Dedicated],
            ),
            (
                "escalate",
                t.escalate
                    .as_ref()
                    .and_then(|e| e.first())
                    .map(Spanned::span),
                &[TierKind::BackOffice],
            ),
            (
                "preemptive",
                t.preemptive.as_ref().map(Spanned::span),
                &[TierKind::BackOffice, TierKind::Dedicated],
            ),
            (
                "queue_capacity",
                t.queue_capacity.as_ref().map(Spanned::span),
                &[TierKind::BackOffice, TierKind::Dedicated],
            ),
        ];
        for (key, span, kinds_without) in not_for {
            if let Some(span) = span
                && kinds_without.contains(&kind)
            {
                let what = match kind {
                    TierKind::Chatbot => "a chatbot tier (kind = \"chatbot\")",
                    TierKind::BackOffice => "a back office (kind = \"back_office\")",
                    TierKind::Dedicated => "a dedicated tier (kind = \"dedicated\")",
                    TierKind::Staffed => "a staffed tier",
                };
                self.problem(
                    span,
                    field(key),
                    format!("`{key}` does not apply to {what}"),
                );
            }
        }
        if kind == TierKind::Dedicated
            && let Some(s) = t.shifts.as_ref().and_then(|s| s.first())
        {
            self.problem(
                s.span(),
                field("shifts"),
                "a dedicated tier's RMs are each always on duty (their non-client work is `non_client_share`); allowed: `servers` (the number of RMs)",
            );
        }
        // Skill escalation.
        match (&t.skill, &t.escalate_to) {
            (Some(level), Some(to)) => {
                let level = self.number(level, &field("skill"), |x| (0.0..=1.0).contains(&x), "a level in [0, 1]");
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
                if let (Some(to), Some(triage)) = (to, triage) {
                    tier.skill = Some(Skill { level, triage, to });
                }
            }
            (Some(s), None) => self.problem(s.span(), field("escalate_to"), "missing; a tier with a `skill` level needs `escalate_to`, the tier taking requests beyond it"),
            (None, Some(to)) => self.problem(to.span(), field("skill"), "missing; `escalate_to` needs the tier's `skill` level in [0, 1]"),
            (None, None) => {
                if let Some(d) = &t.triage {
                    self.problem(d.span(), field("triage"), "`triage` applies to tiers with a `skill` level only");
                }
            }
        }
        if let Some(tr) = &t.transfer {
            tier.transfer = match tr.get_ref().as_str() {
                "warm" => Transfer::Warm,
                "callback" => Transfer::Callback,
                other => {
                    self.problem(
                        tr.span(),
                        field("transfer"),
                        format!("unknown transfer `{other}`; allowed: \"warm\", \"callback\""),
                    );
                    Transfer::Warm
                }
            };
        }
        if let Some(h) = &t.handoff_minutes {
            tier.handoff_minutes = self.non_negative(h, &field("handoff_minutes"));
        }
        if let Some(cb) = &t.callback {
            let cb = cb.get_ref();
            let d = CallbackRules::default();
            tier.callback = CallbackRules {
                success: cb.success.as_ref().map_or(d.success, |p| {
                    self.number(
                        p,
                        &field("callback.success"),
                        |x| x > 0.0 && x <= 1.0,
                        "a probability in (0, 1]",
                    )
                }),
                attempt_minutes: cb.attempt_minutes.as_ref().map_or(d.attempt_minutes, |m| {
                    self.positive(m, &field("callback.attempt_minutes"))
                }),
                retry_minutes: cb.retry_minutes.as_ref().map_or(d.retry_minutes, |m| {
                    self.non_negative(m, &field("callback.retry_minutes"))
                }),
                attempts: cb.attempts.as_ref().map_or(d.attempts, |a| {
                    let n = *a.get_ref();
                    if n == 0 || n > 100 {
                        self.problem(
                            a.span(),
                            field("callback.attempts"),
                            format!("got {n}; allowed: an integer from 1 to 100"),
                        );
                    }
                    n.clamp(1, 100)
                }),
            };
        }
        if let Some(s) = &t.sessions {
            let n = *s.get_ref();
            if n == 0 || n > 20 {
                self.problem(s.span(), field("sessions"), format!("got {n}; allowed: an integer from 1 to 20 (clients one server serves at once)"));
            }
            tier.sessions = n.clamp(1, 20);
        }
        if let Some(f) = &t.session_slowdown {
            tier.session_slowdown = self.number(
                f,
                &field("session_slowdown"),
                |x| x >= 1.0,
                "a multiplier >= 1 (serving several clients at once is no faster for each)",
            );
            if t.sessions.is_none() {
                self.problem(
                    f.span(),
                    field("session_slowdown"),
                    "applies with `sessions` > 1 only",
                );
            }
        }
        if let Some(s) = &t.non_client_share {
            tier.non_client_share = self.number(
                s,
                &field("non_client_share"),
                |x| (0.0..1.0).contains(&x),
                "a share in [0, 1)",
            );
        }
        if let Some(o) = &t.outbound {
            let o = o.get_ref();
            let call = self.dist(&o.call, &field("outbound.call"));
            let sale_probability = self.number(
                &o.sale_probability,
                &field("outbound.sale_probability"),
                |x| (0.0..=1.0).contains(&x),
                "a probability in [0, 1]",
            );
            let revenue = o.revenue_per_sale.as_ref().map_or(0.0, |r| {
                self.non_negative(r, &field("outbound.revenue_per_sale"))
            });
            let keep_idle = o.keep_idle.as_ref().map_or(1, |k| *k.get_ref());
            if let Some(call) = call {
                tier.outbound = Some(Outbound {
                    call,
                    sale_probability,
                    revenue_per_sale: revenue,
                    keep_idle,
                });
            }
        }
        let _ = kinds;
    }

    /// A segment's `book`.
    fn book(
        &mut self,
        b: &Spanned<raw::RawBook>,
        segment: &str,
        tiers: &[Tier],
        names: &[String],
    ) -> Option<Book> {
        let field = |f: &str| format!("segment.{segment}.book.{f}");
        let raw = b.get_ref();
        let tier = self.reference(&raw.tier, names, &field("tier"), "tier")?;
        if tiers[tier].kind != TierKind::Dedicated {
            self.problem(raw.tier.span(), field("tier"), format!("`{}` is not a dedicated tier; allowed: a tier with kind = \"dedicated\" (its servers are the RMs)", raw.tier.get_ref()));
            return None;
        }
        let population = *raw.population.get_ref();
        let per_rm = *raw.clients_per_rm.get_ref();
        if per_rm == 0 {
            self.problem(
                raw.clients_per_rm.span(),
                field("clients_per_rm"),
                "got 0; allowed: an integer >= 1",
            );
            return None;
        }
        let rms = tiers[tier].servers as u64;
        if per_rm as u64 * rms > population as u64 {
            self.problem(
                raw.clients_per_rm.span(),
                field("clients_per_rm"),
                format!("{rms} RMs with books of {per_rm} hold {} clients, more than the segment's population of {population}; allowed: books that fit in the segment (clients_per_rm <= {})", per_rm as u64 * rms, population as u64 / rms.max(1)),
            );
            return None;
        }
        let overflow_after = raw.overflow_after.as_ref().map_or(f64::INFINITY, |m| {
            self.non_negative(m, &field("overflow_after"))
        });
        let overflow = match &raw.overflow {
            None => Overflow::Callback,
            Some(o) if o.get_ref() == "callback" => Overflow::Callback,
            Some(o) => {
                let to = self.reference(o, names, &field("overflow"), "tier")?;
                if tiers[to].kind != TierKind::Staffed {
                    self.problem(o.span(), field("overflow"), "allowed: \"callback\", or a staffed tier whose free servers take the client");
                    return None;
                }
                Overflow::To(to)
            }
        };
        if raw.overflow.is_some() && raw.overflow_after.is_none() {
            self.problem(b.span(), field("overflow_after"), "missing; `overflow` needs `overflow_after`, the minutes a client waits for their RM first");
        }
        Some(Book {
            tier,
            population,
            clients_per_rm: per_rm,
            overflow_after,
            overflow,
        })
    }
}

/// Warnings for tiers with nobody on duty while a channel that feeds them
/// is open: clients arriving then wait for the next shift (or abandon).
pub(super) fn roster_gaps(model: &crate::model::Model) -> Vec<String> {
    use crate::model::week::{DAY, WEEK};
    let mut out = Vec::new();
    for (c, channel) in model.channels.iter().enumerate() {
        let mut entries: Vec<usize> = Vec::new();
        let feeding = model
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.channels.get(c).is_some_and(|&p| p > 0.0));
        for (segment, s) in feeding {
            let mut firsts: Vec<usize> = (0..model.requests.len())
                .filter(|&r| s.requests[r] > 0.0)
                .map(|r| model.entry(segment, r, c))
                .collect();
            firsts.extend(s.book.as_ref().map(|b| b.tier));
            for j in firsts {
                if !entries.contains(&j) {
                    entries.push(j);
                }
            }
        }
        for j in entries {
            let Some(roster) = &model.tiers[j].roster else {
                continue;
            };
            // The first minute of the week when the channel is open and the
            // tier unstaffed, and how many such minutes.
            let gaps: Vec<f64> = (0..WEEK as usize)
                .map(|m| m as f64)
                .filter(|&t| {
                    channel.hours.as_ref().is_none_or(|h| h.is_open(t)) && roster.at(t) == 0
                })
                .collect();
            if let Some(&first) = gaps.first() {
                let start_day = model.week.as_ref().map_or(0, |w| w.start_day);
                let day = DAYS[(start_day + (first / DAY) as usize) % 7];
                let minute = first.rem_euclid(DAY) as u32;
                out.push(format!(
                    "tier `{}` has nobody on duty for {:.1} hours a week while channel `{}` is open (first on {day} at {:02}:{:02}); clients arriving then wait for the next shift",
                    model.tiers[j].name,
                    gaps.len() as f64 / 60.0,
                    channel.name,
                    minute / 60,
                    minute % 60
                ));
            }
        }
    }
    out
}
