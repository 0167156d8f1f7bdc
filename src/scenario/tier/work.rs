//! How a tier's servers work: transfers out (warm or by call-back, and the
//! hand-off minutes), call-back rules, concurrent sessions, non-client work
//! and outbound sales calls in idle time.

use toml::Spanned;

use super::super::diagnostics::Checker;
use super::super::raw::{RawCallback, RawOutbound, RawTier};
use crate::model::{CallbackRules, Outbound, Transfer};

/// The most call-back attempts and concurrent sessions allowed.
const MAX_ATTEMPTS: u32 = 100;
const MAX_SESSIONS: u32 = 20;

/// How a tier's servers work.
pub(super) struct Work {
    /// How escalated clients reach the next tier.
    pub(super) transfer: Transfer,
    /// Minutes a warm transfer adds.
    pub(super) handoff_minutes: f64,
    /// Call-back rules.
    pub(super) callback: CallbackRules,
    /// Clients one server serves at once.
    pub(super) sessions: u32,
    /// Service multiplier in concurrent sessions.
    pub(super) session_slowdown: f64,
    /// Share of time on non-client work.
    pub(super) non_client_share: f64,
    /// Outbound calls in idle time.
    pub(super) outbound: Option<Outbound>,
}

impl Checker<'_> {
    /// How tier `t`'s servers work (defaults where the file is silent;
    /// values with problems are reported and clamped into range).
    pub(super) fn work(&mut self, t: &RawTier) -> Work {
        let field = |f: &str| format!("tier.{}.{f}", t.name.get_ref());
        let transfer =
            t.transfer
                .as_ref()
                .map_or(Transfer::Warm, |tr| match tr.get_ref().as_str() {
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
                });
        let handoff_minutes = t
            .handoff_minutes
            .as_ref()
            .map_or(0.0, |h| self.non_negative(h, &field("handoff_minutes")));
        let callback = t
            .callback
            .as_ref()
            .map_or_else(CallbackRules::default, |cb| {
                self.callback(cb.get_ref(), &field("callback"))
            });
        let sessions = t.sessions.as_ref().map_or(1, |s| {
            let n = *s.get_ref();
            if n == 0 || n > MAX_SESSIONS {
                self.problem(s.span(), field("sessions"), format!("got {n}; allowed: an integer from 1 to {MAX_SESSIONS} (clients one server serves at once)"));
            }
            n.clamp(1, MAX_SESSIONS)
        });
        let session_slowdown = t.session_slowdown.as_ref().map_or(1.0, |f| {
            self.session_slowdown(f, t.sessions.is_some(), &field("session_slowdown"))
        });
        let non_client_share = t.non_client_share.as_ref().map_or(0.0, |s| {
            self.number(
                s,
                &field("non_client_share"),
                |x| (0.0..1.0).contains(&x),
                "a share in [0, 1)",
            )
        });
        let outbound = t
            .outbound
            .as_ref()
            .and_then(|o| self.outbound(o.get_ref(), &field("outbound")));
        Work {
            transfer,
            handoff_minutes,
            callback,
            sessions,
            session_slowdown,
            non_client_share,
            outbound,
        }
    }

    /// `session_slowdown`, which needs `sessions`.
    fn session_slowdown(&mut self, f: &Spanned<f64>, sessions: bool, field: &str) -> f64 {
        let x = self.number(
            f,
            field,
            |x| x >= 1.0,
            "a multiplier >= 1 (serving several clients at once is no faster for each)",
        );
        if !sessions {
            self.problem(f.span(), field, "applies with `sessions` > 1 only");
        }
        x
    }

    /// `callback = { ... }`, each rule defaulting.
    fn callback(&mut self, cb: &RawCallback, field: &str) -> CallbackRules {
        let d = CallbackRules::default();
        let field = |f: &str| format!("{field}.{f}");
        CallbackRules {
            success: cb.success.as_ref().map_or(d.success, |p| {
                self.number(
                    p,
                    &field("success"),
                    |x| x > 0.0 && x <= 1.0,
                    "a probability in (0, 1]",
                )
            }),
            attempt_minutes: cb.attempt_minutes.as_ref().map_or(d.attempt_minutes, |m| {
                self.positive(m, &field("attempt_minutes"))
            }),
            retry_minutes: cb.retry_minutes.as_ref().map_or(d.retry_minutes, |m| {
                self.non_negative(m, &field("retry_minutes"))
            }),
            attempts: cb.attempts.as_ref().map_or(d.attempts, |a| {
                let n = *a.get_ref();
                if n == 0 || n > MAX_ATTEMPTS {
                    self.problem(
                        a.span(),
                        field("attempts"),
                        format!("got {n}; allowed: an integer from 1 to {MAX_ATTEMPTS}"),
                    );
                }
                n.clamp(1, MAX_ATTEMPTS)
            }),
        }
    }

    /// `outbound = { ... }`; `None` when the call length has problems.
    fn outbound(&mut self, o: &RawOutbound, field: &str) -> Option<Outbound> {
        let call = self.dist(&o.call, &format!("{field}.call"));
        let sale_probability =
            self.probability(&o.sale_probability, &format!("{field}.sale_probability"));
        let revenue = o.revenue_per_sale.as_ref().map_or(0.0, |r| {
            self.non_negative(r, &format!("{field}.revenue_per_sale"))
        });
        let keep_idle = o.keep_idle.as_ref().map_or(1, |k| *k.get_ref());
        Some(Outbound {
            call: call?,
            sale_probability,
            revenue_per_sale: revenue,
            keep_idle,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{BASE, model, problem};
    use crate::model::{CallbackRules, Transfer};

    /// [`BASE`] with `line` added to tier `t`.
    fn tier(line: &str) -> String {
        BASE.replace("servers = 2", &format!("servers = 2\n{line}"))
    }

    #[test]
    fn defaults() {
        let t = &model(BASE).tiers[0];
        assert_eq!(t.transfer, Transfer::Warm);
        assert_eq!(t.handoff_minutes, 0.0);
        assert_eq!(t.callback, CallbackRules::default());
        assert_eq!((t.sessions, t.session_slowdown), (1, 1.0));
        assert_eq!(t.non_client_share, 0.0);
        assert!(t.outbound.is_none());
        let t = &model(&tier(
            "transfer = \"callback\"\ncallback = { attempts = 5 }\nsessions = 3\nsession_slowdown = 1.2\noutbound = { call = { dist = \"exponential\", mean = 2.0 }, sale_probability = 0.1 }",
        ))
        .tiers[0];
        assert_eq!(t.transfer, Transfer::Callback);
        assert_eq!(t.callback.attempts, 5);
        assert_eq!(t.callback.success, CallbackRules::default().success);
        assert_eq!((t.sessions, t.session_slowdown), (3, 1.2));
        let o = t.outbound.as_ref().unwrap();
        assert_eq!(
            (o.keep_idle, o.revenue_per_sale, o.sale_probability),
            (1, 0.0, 0.1)
        );
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "transfer = \"cold\"",
                "tier.t.transfer",
                "unknown transfer `cold`; allowed: \"warm\", \"callback\"",
            ),
            (
                "handoff_minutes = -1.0",
                "tier.t.handoff_minutes",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "callback = { success = 0.0 }",
                "tier.t.callback.success",
                "got 0; allowed: a probability in (0, 1]",
            ),
            (
                "callback = { attempt_minutes = 0.0 }",
                "tier.t.callback.attempt_minutes",
                "got 0; allowed: a finite number > 0",
            ),
            (
                "callback = { retry_minutes = -1.0 }",
                "tier.t.callback.retry_minutes",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "callback = { attempts = 101 }",
                "tier.t.callback.attempts",
                "got 101; allowed: an integer from 1 to 100",
            ),
            (
                "sessions = 0",
                "tier.t.sessions",
                "got 0; allowed: an integer from 1 to 20 (clients one server serves at once)",
            ),
            (
                "sessions = 2\nsession_slowdown = 0.5",
                "tier.t.session_slowdown",
                "got 0.5; allowed: a multiplier >= 1 (serving several clients at once is no faster for each)",
            ),
            (
                "session_slowdown = 1.5",
                "tier.t.session_slowdown",
                "applies with `sessions` > 1 only",
            ),
            (
                "non_client_share = 1.0",
                "tier.t.non_client_share",
                "got 1; allowed: a share in [0, 1)",
            ),
            (
                "outbound = { call = { dist = \"exponential\", mean = 2.0 }, sale_probability = 1.5 }",
                "tier.t.outbound.sale_probability",
                "got 1.5; allowed: a probability in [0, 1]",
            ),
            (
                "outbound = { call = { dist = \"exponential\", mean = 2.0 }, sale_probability = 0.1, revenue_per_sale = -1.0 }",
                "tier.t.outbound.revenue_per_sale",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "outbound = { call = { dist = \"exponential\", mean = 0.0 }, sale_probability = 0.1 }",
                "tier.t.outbound.call.mean",
                "got 0; allowed: a finite number > 0",
            ),
        ];
        for (line, field, message) in cases {
            assert_eq!(
                problem(&tier(line)),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
    }
}
