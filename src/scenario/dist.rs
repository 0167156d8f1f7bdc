//! Distributions as written in any table (`{ dist = "...", ...parameters }`):
//! each kind with exactly the parameters it takes, each parameter in range.

use std::ops::Range;

use toml::Spanned;

use super::diagnostics::{Checker, list, nearest};
use super::raw::RawDist;
use crate::engine::Dist;

/// The distribution kinds and the parameters each takes.
const DISTS: [(&str, &[&str]); 7] = [
    ("exponential", &["mean"]),
    ("deterministic", &["mean"]),
    ("erlang", &["mean", "k"]),
    ("gamma", &["mean", "cv"]),
    ("lognormal", &["mean", "cv"]),
    ("uniform", &["low", "high"]),
    ("empirical", &["values"]),
];

impl Checker<'_> {
    /// A distribution with exactly the parameters its kind takes.
    pub(super) fn dist(&mut self, d: &Spanned<RawDist>, field: &str) -> Option<Dist> {
        let raw = d.get_ref();
        let kind = raw.dist.get_ref().as_str();
        let Some((_, params)) = DISTS.iter().find(|(k, _)| *k == kind) else {
            let mut message = format!(
                "unknown distribution `{kind}`; allowed: {}",
                list(DISTS.iter().map(|(k, _)| *k))
            );
            if let Some(near) = nearest(kind, DISTS.iter().map(|(k, _)| *k)) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            self.problem(raw.dist.span(), format!("{field}.dist"), message);
            return None;
        };
        if !self.parameters(d, field, kind, params) {
            return None;
        }
        let problems = self.count();
        let dist = self.values(raw, field, kind)?;
        (self.count() == problems).then_some(dist)
    }

    /// Reports parameters the kind does not take and those it misses;
    /// whether none is missing.
    fn parameters(
        &mut self,
        d: &Spanned<RawDist>,
        field: &str,
        kind: &str,
        params: &[&str],
    ) -> bool {
        let raw = d.get_ref();
        let given: [(&str, Option<Range<usize>>); 6] = [
            ("mean", raw.mean.as_ref().map(Spanned::span)),
            ("k", raw.k.as_ref().map(Spanned::span)),
            ("cv", raw.cv.as_ref().map(Spanned::span)),
            ("low", raw.low.as_ref().map(Spanned::span)),
            ("high", raw.high.as_ref().map(Spanned::span)),
            ("values", raw.values.as_ref().map(Spanned::span)),
        ];
        let mut complete = true;
        for (param, span) in given {
            let wanted = params.contains(&param);
            match span {
                Some(span) if !wanted => self.problem(
                    span,
                    format!("{field}.{param}"),
                    format!(
                        "`{param}` is not a parameter of {kind}; it takes: {}",
                        list(params.iter().copied())
                    ),
                ),
                None if wanted => {
                    complete = false;
                    self.problem(
                        d.span(),
                        format!("{field}.{param}"),
                        format!(
                            "{kind} needs `{param}`; it takes: {}",
                            list(params.iter().copied())
                        ),
                    );
                }
                _ => {}
            }
        }
        complete
    }

    /// The distribution of a kind whose parameters are all given, each
    /// checked against its range (`None` only where a value cannot be
    /// built at all).
    fn values(&mut self, raw: &RawDist, field: &str, kind: &str) -> Option<Dist> {
        let problems = self.count();
        let mean = raw
            .mean
            .as_ref()
            .map(|m| self.positive(m, &format!("{field}.mean")));
        let cv = raw
            .cv
            .as_ref()
            .map(|c| self.non_negative(c, &format!("{field}.cv")));
        Some(match kind {
            "exponential" => Dist::exponential(mean?),
            "deterministic" => Dist::Deterministic { mean: mean? },
            "erlang" => {
                let k = raw.k.as_ref()?;
                if *k.get_ref() == 0 {
                    self.problem(
                        k.span(),
                        format!("{field}.k"),
                        "got 0; allowed: an integer >= 1",
                    );
                }
                if self.count() > problems {
                    return None;
                }
                Dist::erlang(mean?, *k.get_ref())
            }
            "gamma" | "lognormal" => {
                if self.count() > problems {
                    return None;
                }
                if kind == "gamma" {
                    Dist::gamma(mean?, cv?)
                } else {
                    Dist::lognormal(mean?, cv?)
                }
            }
            "uniform" => {
                let low = self.non_negative(raw.low.as_ref()?, &format!("{field}.low"));
                let high = raw.high.as_ref()?;
                self.number(
                    high,
                    &format!("{field}.high"),
                    |h| h > low,
                    "a finite number > low",
                );
                Dist::Uniform {
                    low,
                    high: high.get_ref().0,
                }
            }
            _ => {
                let values = raw.values.as_ref()?;
                let v: Vec<f64> = values.get_ref().iter().map(|x| x.0).collect();
                if v.is_empty()
                    || v.iter().any(|x| !x.is_finite() || *x < 0.0)
                    || v.iter().all(|x| *x == 0.0)
                {
                    self.problem(
                        values.span(),
                        format!("{field}.values"),
                        "allowed: a non-empty list of finite numbers >= 0, not all zero",
                    );
                }
                Dist::Empirical { values: v.into() }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{problem, with_tier_service};

    #[test]
    fn each_kind_takes_exactly_its_parameters() {
        let cases = [
            (
                r#"{ dist = "exponentail", mean = 1.0 }"#,
                "tier.t.service.dist",
                "unknown distribution `exponentail`; allowed: `exponential`, `deterministic`, `erlang`, `gamma`, `lognormal`, `uniform`, `empirical` (did you mean `exponential`?)",
            ),
            (
                r#"{ dist = "exponential", mean = 1.0, cv = 0.5 }"#,
                "tier.t.service.cv",
                "`cv` is not a parameter of exponential; it takes: `mean`",
            ),
            (
                r#"{ dist = "erlang", mean = 1.0 }"#,
                "tier.t.service.k",
                "erlang needs `k`; it takes: `mean`, `k`",
            ),
            (
                r#"{ dist = "erlang", mean = 1.0, k = 0 }"#,
                "tier.t.service.k",
                "got 0; allowed: an integer >= 1",
            ),
            (
                r#"{ dist = "gamma", mean = -1.0, cv = 0.5 }"#,
                "tier.t.service.mean",
                "got -1; allowed: a finite number > 0",
            ),
            (
                r#"{ dist = "lognormal", mean = 1.0, cv = -0.5 }"#,
                "tier.t.service.cv",
                "got -0.5; allowed: a finite number >= 0",
            ),
            (
                r#"{ dist = "uniform", low = 2.0, high = 1.0 }"#,
                "tier.t.service.high",
                "got 1; allowed: a finite number > low",
            ),
            (
                r#"{ dist = "uniform", low = -2.0, high = 1.0 }"#,
                "tier.t.service.low",
                "got -2; allowed: a finite number >= 0",
            ),
            (
                r#"{ dist = "empirical", values = [0.0, 0.0] }"#,
                "tier.t.service.values",
                "allowed: a non-empty list of finite numbers >= 0, not all zero",
            ),
            (
                r#"{ dist = "empirical", values = [] }"#,
                "tier.t.service.values",
                "allowed: a non-empty list of finite numbers >= 0, not all zero",
            ),
        ];
        for (dist, field, message) in cases {
            assert_eq!(
                problem(&with_tier_service(dist)),
                (field.to_string(), message.to_string()),
                "{dist}"
            );
        }
    }
}
