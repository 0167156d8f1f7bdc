//! `[[segment]]`: a group of clients with its arrival rate, patience,
//! priority, entry tier, tolerance, mixes of request types and channels,
//! back offices every case needs, and the book of dedicated RMs it may have.

use std::collections::BTreeMap;
use std::sync::Arc;

use toml::Spanned;

use super::diagnostics::{Checker, rounded};
use super::raw::{RawBook, RawSegment};
use crate::model::{Book, Overflow, Segment, Tier, TierKind, Trace, Week};

/// The wait a segment tolerates when it does not say, minutes: the phone
/// hold tolerance of docs/evidence.md §9.4.
const DEFAULT_TOLERANCE: f64 = 2.0;

/// The names and built parts of the other tables a segment refers to.
pub(super) struct SegmentContext<'a> {
    /// Tier names, in file order.
    pub(super) tiers: &'a [String],
    /// Request type names as declared (empty without `[[request]]`).
    pub(super) requests: &'a [String],
    /// Channel names, in file order.
    pub(super) channels: &'a [String],
    /// The calendar, if any.
    pub(super) week: Option<&'a Week>,
    /// Each tier's kind.
    pub(super) kinds: &'a [TierKind],
    /// The tiers as built (`None` where a tier has problems).
    pub(super) built: &'a [Option<Tier>],
    /// The run's horizon, minutes (a trace's mean rate is over it).
    pub(super) horizon: f64,
}

impl Checker<'_> {
    /// One segment; `None` when it cannot be built.
    pub(super) fn segment(
        &mut self,
        raw: &Spanned<RawSegment>,
        cx: &SegmentContext<'_>,
    ) -> Option<Segment> {
        let s = raw.get_ref();
        let name = s.name.get_ref().clone();
        let field = |f: &str| format!("segment.{name}.{f}");
        let (rate, trace) = self.arrivals(raw, cx)?;
        let patience = match &s.patience {
            Some(p) => Some(self.dist(p, &field("patience"))?),
            None => None,
        };
        let entry = match &s.entry {
            Some(e) => self.reference(e, cx.tiers, &field("entry"), "tier")?,
            None => 0,
        };
        let tolerance = s
            .tolerance
            .as_ref()
            .map_or(DEFAULT_TOLERANCE, |t| self.positive(t, &field("tolerance")));
        let mix = self.request_mix(raw, cx.requests)?;
        let channel_mix = self.channel_mix(raw, cx.channels);
        let back_office = self.tier_list(s.back_office.as_deref(), cx.tiers, &field("back_office"));
        // A book with problems (reported) leaves the segment without one.
        let book = s.book.as_ref().and_then(|b| self.book(b, &name, cx));
        let redial = match &s.redial {
            Some(r) => Some(self.redial(r, &field("redial"))?),
            None => None,
        };
        let promote_after = s.promote_after.as_ref().map_or(f64::INFINITY, |m| {
            let x = f64::from(*m.get_ref());
            if x.is_nan() || x < 0.0 {
                self.problem(
                    m.span(),
                    field("promote_after"),
                    format!("got {x}; allowed: minutes >= 0, or inf (never)"),
                );
            }
            x
        });
        let chasing = self.chasing(s);
        let day_effect = match &s.day_effect {
            Some(d) => self.day_effect(d, &field("day_effect"), trace.is_some())?,
            None => None,
        };
        Some(Segment {
            rate_per_hour: rate,
            patience,
            priority: s.priority.as_ref().map_or(0, |p| *p.get_ref()),
            entry,
            requests: mix,
            tolerance,
            arrival_profile: match trace {
                None => cx.week.map(|w| w.arrival_rate(rate / 60.0)),
                Some(_) => None,
            },
            trace,
            channels: channel_mix,
            back_office,
            book,
            redial,
            promote_after,
            chasing,
            day_effect,
            name,
        })
    }

    /// A segment's arrival rate per hour and, when it replays a trace, the
    /// trace (its rate is then the trace's mean over the horizon): exactly
    /// one of `rate_per_hour` and `arrivals` is given.
    fn arrivals(
        &mut self,
        raw: &Spanned<RawSegment>,
        cx: &SegmentContext<'_>,
    ) -> Option<(f64, Option<Arc<Trace>>)> {
        let s = raw.get_ref();
        let field = |f: &str| format!("segment.{}.{f}", s.name.get_ref());
        match (&s.rate_per_hour, &s.arrivals) {
            (Some(r), None) => Some((self.positive(r, &field("rate_per_hour")), None)),
            (None, Some(a)) => {
                let trace = self.trace(a, &field("arrivals.trace"), cx.requests)?;
                let rate = 60.0 * trace.rate_per_minute(cx.horizon);
                Some((rate, Some(trace)))
            }
            (Some(r), Some(_)) => {
                self.problem(
                    r.span(),
                    field("rate_per_hour"),
                    "got both `rate_per_hour` and `arrivals = { trace = .. }`; allowed: one of them (give one of them: the trace sets the arrivals)",
                );
                None
            }
            (None, None) => {
                self.problem(
                    raw.span(),
                    field("rate_per_hour"),
                    "missing; allowed: the Poisson arrivals per hour, e.g. rate_per_hour = 30.0, or arrivals replayed from a file: arrivals = { trace = \"arrivals.csv\" }",
                );
                None
            }
        }
    }

    /// A segment's `requests` mix over the declared request types (all
    /// clients of the implicit `default` type when none is declared).
    fn request_mix(&mut self, raw: &Spanned<RawSegment>, requests: &[String]) -> Option<Vec<f64>> {
        let s = raw.get_ref();
        let field = format!("segment.{}.requests", s.name.get_ref());
        match (&s.requests, requests.is_empty()) {
            (None, true) => Some(vec![1.0]),
            (Some(m), true) => {
                self.problem(
                    m.span(),
                    field,
                    "no `[[request]]` types are declared; declare them before giving a mix",
                );
                None
            }
            (None, false) => {
                self.problem(
                    raw.span(),
                    field,
                    format!("missing; give the share of each request type, e.g. requests = {{ {} = 1.0 }}", requests[0]),
                );
                None
            }
            (Some(m), false) => Some(self.mix(m, requests, &field, "request type")),
        }
    }

    /// A segment's `channels` mix over the model's channels.
    fn channel_mix(&mut self, raw: &Spanned<RawSegment>, channels: &[String]) -> Vec<f64> {
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

    /// A `{ name = share }` table over `names`: shares in [0, 1] summing
    /// to 1.
    fn mix(
        &mut self,
        m: &Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>,
        names: &[String],
        field: &str,
        kind: &str,
    ) -> Vec<f64> {
        let mut mix = vec![0.0; names.len()];
        let before = self.count();
        for (k, v) in m.get_ref() {
            let p = self.number(v, field, |x| (0.0..=1.0).contains(&x), "a share in [0, 1]");
            if let Some(r) = self.reference(k, names, field, kind) {
                mix[r] = p;
            }
        }
        let total: f64 = mix.iter().sum();
        if self.count() == before && (total - 1.0).abs() > 1e-6 {
            self.problem(
                m.span(),
                field,
                format!(
                    "shares sum to {}; allowed: a mix summing to 1",
                    rounded(total)
                ),
            );
        }
        mix
    }

    /// A segment's `book`: clients who belong to a dedicated RM.
    fn book(
        &mut self,
        b: &Spanned<RawBook>,
        segment: &str,
        cx: &SegmentContext<'_>,
    ) -> Option<Book> {
        let field = |f: &str| format!("segment.{segment}.book.{f}");
        let raw = b.get_ref();
        let tier = self.reference(&raw.tier, cx.tiers, &field("tier"), "tier")?;
        if cx.kinds[tier] != TierKind::Dedicated {
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
        // The RMs of a dedicated tier with problems are unknown (reported).
        let rms = cx.built[tier].as_ref()?.servers.count()? as u64;
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
                let to = self.reference(o, cx.tiers, &field("overflow"), "tier")?;
                if cx.kinds[to] != TierKind::Staffed {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, problems, with};
    use crate::model::Overflow;

    /// [`BASE`] with `line` added to segment `s`.
    fn segment(line: &str) -> String {
        with("rate_per_hour = 6.0", line)
    }

    /// [`BASE`] with a dedicated tier `rm` of 2 RMs and `book` for `s`.
    fn booked(book: &str) -> String {
        segment(&format!("entry = \"t\"\nbook = {book}")).replace(
            "[[tier]]",
            "[[tier]]\nname = \"rm\"\nkind = \"dedicated\"\nservers = 2\nservice = { dist = \"exponential\", mean = 1.0 }\n\n[[tier]]",
        )
    }

    #[test]
    fn defaults() {
        let s = &model(BASE).segments[0];
        assert_eq!(s.patience, None);
        assert_eq!(s.priority, 0);
        assert_eq!(s.entry, 0, "the first tier");
        assert_eq!(s.requests, [1.0], "all of the implicit `default` type");
        assert_eq!(s.tolerance, 2.0);
        assert!(s.channels.is_empty() && s.back_office.is_empty() && s.book.is_none());
        assert!(s.arrival_profile.is_none());
        let m = model(&booked(
            "{ tier = \"rm\", population = 100, clients_per_rm = 10 }",
        ));
        let b = m.segments[0].book.as_ref().unwrap();
        assert_eq!((b.tier, b.population, b.clients_per_rm), (0, 100, 10));
        assert_eq!(b.overflow_after, f64::INFINITY);
        assert!(matches!(b.overflow, Overflow::Callback));
        let m = model(&booked(
            "{ tier = \"rm\", population = 100, clients_per_rm = 10, overflow = \"t\", overflow_after = 3.0 }",
        ));
        assert!(matches!(
            m.segments[0].book.as_ref().unwrap().overflow,
            Overflow::To(1)
        ));
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "rate_per_hour = 0.0",
                "segment.s.rate_per_hour",
                "got 0; allowed: a finite number > 0",
            ),
            (
                "entry = \"x\"",
                "segment.s.entry",
                "no tier named `x`; allowed: `t`",
            ),
            (
                "tolerance = 0.0",
                "segment.s.tolerance",
                "got 0; allowed: a finite number > 0",
            ),
            (
                "requests = { default = 1.0 }",
                "segment.s.requests",
                "no `[[request]]` types are declared; declare them before giving a mix",
            ),
            (
                "channels = { phone = 1.0 }",
                "segment.s.channels",
                "no `[[channel]]` is declared; declare the channels before giving a mix",
            ),
            (
                "back_office = [\"x\"]",
                "segment.s.back_office",
                "no tier named `x`; allowed: `t`",
            ),
            (
                "patience = { dist = \"exponential\", mean = 0.0 }",
                "segment.s.patience.mean",
                "got 0; allowed: a finite number > 0",
            ),
        ];
        for (line, field, message) in cases {
            let source = if line.starts_with("rate_per_hour") {
                BASE.replace("rate_per_hour = 6.0", line)
            } else {
                segment(line)
            };
            assert_eq!(
                problem(&source),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
    }

    #[test]
    fn mixes_name_declared_entries_and_sum_to_one() {
        let requests = "\n[[request]]\nname = \"a\"\n\n[[request]]\nname = \"b\"\n";
        assert_eq!(
            problem(&format!("{BASE}{requests}")),
            (
                "segment.s.requests".to_string(),
                "missing; give the share of each request type, e.g. requests = { a = 1.0 }"
                    .to_string()
            )
        );
        let mixed = |mix: &str| format!("{}{requests}", segment(&format!("requests = {mix}")));
        assert_eq!(
            problem(&mixed("{ a = 0.5, b = 0.8 }")),
            (
                "segment.s.requests".to_string(),
                "shares sum to 1.3; allowed: a mix summing to 1".to_string()
            )
        );
        assert_eq!(
            problem(&mixed("{ a = 1.5 }")),
            (
                "segment.s.requests".to_string(),
                "got 1.5; allowed: a share in [0, 1]".to_string()
            )
        );
        assert_eq!(
            problem(&mixed("{ a = 0.5, c = 0.5 }")),
            (
                "segment.s.requests".to_string(),
                "no request type named `c`; allowed: `a`, `b`".to_string()
            )
        );
        let channels = "\n[[channel]]\nname = \"phone\"\n\n[[channel]]\nname = \"chat\"\n";
        assert_eq!(
            problem(&format!("{BASE}{channels}")),
            (
                "segment.s.channels".to_string(),
                "missing; give the share of each channel, e.g. channels = { phone = 1.0 }"
                    .to_string()
            )
        );
        assert_eq!(
            model(&format!("{BASE}\n[[channel]]\nname = \"phone\"\n")).segments[0].channels,
            [1.0]
        );
    }

    #[test]
    fn book_refusals() {
        let cases = [
            (
                "{ tier = \"t\", population = 100, clients_per_rm = 10 }",
                "segment.s.book.tier",
                "`t` is not a dedicated tier; allowed: a tier with kind = \"dedicated\" (its servers are the RMs)",
            ),
            (
                "{ tier = \"rm\", population = 100, clients_per_rm = 0 }",
                "segment.s.book.clients_per_rm",
                "got 0; allowed: an integer >= 1",
            ),
            (
                "{ tier = \"rm\", population = 10, clients_per_rm = 10 }",
                "segment.s.book.clients_per_rm",
                "2 RMs with books of 10 hold 20 clients, more than the segment's population of 10; allowed: books that fit in the segment (clients_per_rm <= 5)",
            ),
            (
                "{ tier = \"rm\", population = 100, clients_per_rm = 10, overflow = \"rm\", overflow_after = 1.0 }",
                "segment.s.book.overflow",
                "allowed: \"callback\", or a staffed tier whose free servers take the client",
            ),
        ];
        for (book, field, message) in cases {
            let all = problems(&booked(book));
            assert_eq!(all[0], (field.to_string(), message.to_string()), "{book}");
        }
        assert_eq!(
            problem(&booked("{ tier = \"rm\", population = 100, clients_per_rm = 10, overflow = \"t\" }")),
            (
                "segment.s.book.overflow_after".to_string(),
                "missing; `overflow` needs `overflow_after`, the minutes a client waits for their RM first".to_string()
            )
        );
        assert_eq!(
            problem(&booked(
                "{ tier = \"rm\", population = 100, clients_per_rm = 10, overflow_after = -1.0 }"
            )),
            (
                "segment.s.book.overflow_after".to_string(),
                "got -1; allowed: a finite number >= 0".to_string()
            )
        );
    }
}
