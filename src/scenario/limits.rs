//! The documented limits on a scenario's size (`[run.limits]`), checked
//! before any work: replications, segments, tiers and events per
//! replication (the horizon in events, estimated from the arrival rates),
//! plus the depth of a dotted key, checked before the file is parsed. Also
//! refuses a run in which no client can arrive after the warm-up.

use std::ops::Range;

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::{RawScenario, RawTier};
use crate::model::{Model, Segment, Servers, expected_events, mean_offered_loads};

/// Default of `run.limits.replications`: each replication reserves about
/// 150 bytes before any runs, and a million take about 6 h on 2 cores.
pub const MAX_REPLICATIONS: u64 = 1_000_000;
/// Default of `run.limits.segments`: each segment costs about 36 KB per
/// thread whatever its arrival rate (`docs/memory.md`).
pub const MAX_SEGMENTS: u64 = 1_000;
/// Default of `run.limits.tiers`.
pub const MAX_TIERS: u64 = 1_000;
/// Default of `run.limits.events`: expected events per replication (the
/// horizon in events); 1e10 take about 20 minutes at 8 M events/s.
pub const MAX_EVENTS: f64 = 1e10;
/// The most parts a dotted key may have (the format's deepest key has 4).
pub const MAX_KEY_PARTS: usize = 32;

/// The limits in force, after `[run.limits]`.
struct Limits {
    replications: u64,
    segments: u64,
    tiers: u64,
    events: f64,
}

impl Checker<'_> {
    /// Checks `model` against the limits of `[run.limits]` (or their
    /// defaults), and that some client can arrive after the warm-up.
    pub(super) fn limits(&mut self, raw: &RawScenario, model: &Model) {
        let run = raw.run.get_ref();
        let given = run.limits.as_ref().map(Spanned::get_ref);
        let limits = Limits {
            replications: given
                .and_then(|l| l.replications)
                .unwrap_or(MAX_REPLICATIONS),
            segments: given.and_then(|l| l.segments).unwrap_or(MAX_SEGMENTS),
            tiers: given.and_then(|l| l.tiers).unwrap_or(MAX_TIERS),
            events: given.and_then(|l| l.events).unwrap_or(MAX_EVENTS),
        };
        if !self.limits_are_sound(raw) {
            return;
        }
        let whole = raw.run.span();
        let span = |s: Option<Range<usize>>| s.unwrap_or_else(|| whole.clone());
        let counts = [
            (
                "replications",
                u64::from(model.run.replications),
                limits.replications,
                MAX_REPLICATIONS,
                span(run.replications.as_ref().map(Spanned::span)),
                "run.replications",
            ),
            (
                "segments",
                model.segments.len() as u64,
                limits.segments,
                MAX_SEGMENTS,
                span(raw.segment.get(limits.segments as usize).map(Spanned::span)),
                "segment",
            ),
            (
                "tiers",
                model.tiers.len() as u64,
                limits.tiers,
                MAX_TIERS,
                span(raw.tier.get(limits.tiers as usize).map(Spanned::span)),
                "tier",
            ),
        ];
        for (name, n, limit, default, at, field) in counts {
            if n > limit {
                self.problem(
                    at,
                    field,
                    format!(
                        "{n} {name}, above the limit run.limits.{name} = {limit} (default {default}); \
                         allowed: at most {limit}; raise it with `[run.limits]` `{name} = ...` if the machine can take it"
                    ),
                );
            }
        }
        let events = expected_events(model);
        if events > limits.events || events.is_nan() {
            self.problem(
                run.horizon.span(),
                "run.horizon",
                format!(
                    "a replication would take about {} events (arrival rates × horizon), above the limit \
                     run.limits.events = {} (default {}); allowed: a horizon of at most about {} minutes \
                     at these rates; shorten the horizon, or raise the limit with `[run.limits]` `events = ...`",
                    readable(events),
                    readable(limits.events),
                    readable(MAX_EVENTS),
                    readable(model.run.horizon * (limits.events / events)),
                ),
            );
        }
        self.arrivals_after_warmup(raw, model);
        self.time_shares(raw, model);
        self.idle_outbound(raw, model);
    }

    /// Refuses limits that cannot mean anything: a count of 0 (nothing
    /// could run) and an event limit that is not a finite number above 0
    /// (NaN would disable it). Returns whether they are sound.
    fn limits_are_sound(&mut self, raw: &RawScenario) -> bool {
        let Some(limits) = raw.run.get_ref().limits.as_ref() else {
            return true;
        };
        let l = limits.get_ref();
        let mut sound = true;
        for (name, value) in [
            ("replications", l.replications),
            ("segments", l.segments),
            ("tiers", l.tiers),
            ("points", l.points),
        ] {
            if value == Some(0) {
                self.problem(
                    limits.span(),
                    format!("run.limits.{name}"),
                    "got 0, which would refuse every scenario; allowed: a whole number >= 1",
                );
                sound = false;
            }
        }
        if let Some(events) = l.events.filter(|e| !(e.is_finite() && *e > 0.0)) {
            self.problem(
                limits.span(),
                "run.limits.events",
                format!(
                    "got {events}; allowed: a finite number > 0 (expected events per replication)"
                ),
            );
            sound = false;
        }
        sound
    }

    /// Refuses outbound calls that can never start: `keep_idle` keeping
    /// every server of a tier with fixed servers free.
    fn idle_outbound(&mut self, raw: &RawScenario, model: &Model) {
        for t in &model.tiers {
            let Some(o) = &t.outbound else { continue };
            let Servers::Fixed(servers) = t.servers else {
                continue;
            };
            if o.keep_idle < servers {
                continue;
            }
            let span = self.raw_tier_span(raw, &t.name, |r| r.outbound.as_ref().map(Spanned::span));
            self.problem(
                span,
                format!("tier.{}.outbound.keep_idle", t.name),
                format!(
                    "keep_idle = {} keeps all {} servers free, so no outbound call can ever start; \
                     allowed: fewer than the tier's servers (or no `outbound`)",
                    o.keep_idle, servers
                ),
            );
        }
    }

    /// The span of `field` (else the name) of raw tier `name`, else the
    /// `[run]` table's.
    fn raw_tier_span(
        &self,
        raw: &RawScenario,
        name: &str,
        field: impl Fn(&RawTier) -> Option<Range<usize>>,
    ) -> Range<usize> {
        raw.tier
            .iter()
            .find(|r| *r.get_ref().name.get_ref() == name)
            .map(|r| field(r.get_ref()).unwrap_or_else(|| r.get_ref().name.span()))
            .unwrap_or_else(|| raw.run.span())
    }

    /// Refuses a `non_client_share` that leaves less of each hour for
    /// clients than a mean service: services then run into the non-client
    /// blocks, so serving and non-client time together exceed the time on
    /// duty and the reported time shares sum above 1 (0.99 on one server:
    /// serving 0.066 + non-client 0.99 = 1.056), which cannot be.
    fn time_shares(&mut self, raw: &RawScenario, model: &Model) {
        let loads = mean_offered_loads(model);
        for (l, t) in loads.iter().zip(&model.tiers) {
            if t.non_client_share <= 0.0 || l.arrival_rate_per_hour <= 0.0 {
                continue;
            }
            let service = l.offered_load / (l.arrival_rate_per_hour / 60.0);
            let window = 60.0 * (1.0 - t.non_client_share);
            if window >= service {
                continue;
            }
            let span = self.raw_tier_span(raw, &t.name, |r| {
                r.non_client_share.as_ref().map(Spanned::span)
            });
            self.problem(
                span,
                format!("tier.{}.non_client_share", t.name),
                format!(
                    "{} leaves {window:.1} minutes of each hour for clients, less than a mean service of \
                     {service:.1} minutes: services would run into the non-client blocks, so serving and \
                     non-client time together would exceed the time on duty (their shares would sum above 1); \
                     allowed: a share of at most {} (one mean service per hour left for clients)",
                    t.non_client_share,
                    readable((1.0 - service / 60.0).max(0.0)),
                ),
            );
        }
    }

    /// Refuses a run in which no client can arrive between the warm-up and
    /// the horizon (all day factors 0, an all-zero profile, a horizon that
    /// ends before the profile opens): it would report nothing.
    fn arrivals_after_warmup(&mut self, raw: &RawScenario, model: &Model) {
        let (warmup, horizon) = (model.run.warmup, model.run.horizon);
        let first = model
            .segments
            .iter()
            .filter_map(|s| match &s.arrival_profile {
                Some(p) => p.advance(warmup, 0.0),
                None => Some(warmup),
            })
            .fold(f64::INFINITY, f64::min);
        let expected: f64 = model
            .segments
            .iter()
            .map(|s| expected_arrivals(s, warmup, horizon))
            .sum();
        if first < horizon && expected < 1.0 {
            let run = raw.run.get_ref();
            let (span, field) = match &run.warmup {
                Some(w) if warmup > 0.0 => (w.span(), "run.warmup"),
                _ => (run.horizon.span(), "run.horizon"),
            };
            self.problem(
                span,
                field,
                format!(
                    "fewer than one client is expected between the warm-up (minute {warmup}) and the horizon \
                     (minute {horizon}): about {}; allowed: a run long enough after the warm-up for clients to arrive; {}",
                    readable(expected),
                    super::warnings::units_hint(horizon)
                ),
            );
        }
        if first >= horizon {
            let run = raw.run.get_ref();
            let (span, field) = match &run.warmup {
                Some(w) if warmup > 0.0 => (w.span(), "run.warmup"),
                _ => (run.horizon.span(), "run.horizon"),
            };
            let when = if first.is_finite() {
                format!("the first arrival can come at minute {first}")
            } else {
                "the arrival rate is 0 at all times (check `calendar.day_factors` and `calendar.profile`)".into()
            };
            self.problem(
                span,
                field,
                format!(
                    "no client can arrive between the warm-up (minute {warmup}) and the horizon (minute {horizon}): {when}; \
                     allowed: a run in which clients arrive after the warm-up; {}",
                    super::warnings::units_hint(horizon)
                ),
            );
        }
    }
}

/// Clients of segment `s` expected to arrive in [`from`, `to`): at least 1
/// when the first full client's worth of arrival rate comes before `to`.
fn expected_arrivals(s: &Segment, from: f64, to: f64) -> f64 {
    match &s.arrival_profile {
        None => s.rate_per_hour / 60.0 * (to - from),
        Some(p) => match p.advance(from, 1.0) {
            Some(t) if t < to => 1.0,
            Some(t) => (to - from) / (t - from),
            None => 0.0,
        },
    }
}

/// `x` with at most 4 significant digits, in scientific notation when large
/// (never hundreds of digits).
pub(crate) fn readable(x: f64) -> String {
    if x.is_finite() && x.abs() < 1.0 {
        format!("{x:.3}")
    } else if x.is_finite() && x.abs() < 1e9 {
        format!("{}", (x * 10.0).round() / 10.0)
    } else {
        format!("{x:.3e}")
    }
}

/// The first dotted key of `source` with more than [`MAX_KEY_PARTS`] parts:
/// its byte range and its first parts, checked before parsing (the TOML
/// parser's own refusal names neither the place nor the key).
pub(super) fn deep_key(source: &str) -> Option<(Range<usize>, String)> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("");
        let key = key.trim().trim_start_matches('[').trim_end_matches(']');
        if !line.trim_start().starts_with('#') && key.matches('.').count() >= MAX_KEY_PARTS {
            let start = offset + line.find(|c: char| !c.is_whitespace()).unwrap_or(0);
            let shown: Vec<&str> = key.split('.').take(3).collect();
            let end = start + line.trim().len().min(80);
            return Some((start..end, format!("{}...", shown.join("."))));
        }
        offset += line.len();
    }
    None
}
