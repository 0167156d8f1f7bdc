//! The scenario's `name` and `[run]`: horizon, warm-up, replications, seed,
//! service-level threshold, drain limit and the most clients inside.

use super::diagnostics::Checker;
use super::raw::RawScenario;
use crate::model::{DEFAULT_MAX_CLIENTS_INSIDE, RunControl};

/// Replications when `[run]` does not say.
const DEFAULT_REPLICATIONS: u32 = 10;

/// The seed when `[run]` does not say.
const DEFAULT_SEED: u64 = 1;

impl Checker<'_> {
    /// The scenario's name, which names its output folder.
    pub(super) fn scenario_name(&mut self, raw: &RawScenario) -> String {
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            self.problem(
                raw.name.span(),
                "name",
                "allowed: a non-empty name without `/` or `\\` that does not start with `.` (it names the output folder)",
            );
        }
        name
    }

    /// `[run]`.
    pub(super) fn run(&mut self, raw: &RawScenario) -> RunControl {
        let r = raw.run.get_ref();
        let horizon = self.positive(&r.horizon, "run.horizon");
        let warmup = r
            .warmup
            .as_ref()
            .map_or(0.0, |w| self.non_negative(w, "run.warmup"));
        if let Some(w) = &r.warmup
            && warmup >= horizon
            && horizon.is_finite()
        {
            self.problem(
                w.span(),
                "run.warmup",
                format!("got {warmup}, not below run.horizon = {horizon}; allowed: 0 <= warmup < horizon"),
            );
        }
        let replications = r
            .replications
            .as_ref()
            .map_or(DEFAULT_REPLICATIONS, |v| *v.get_ref());
        if replications == 0 {
            let span = r.replications.as_ref().map_or(0..0, |v| v.span());
            self.problem(span, "run.replications", "got 0; allowed: an integer >= 1");
        }
        let threshold = match &r.service_level_threshold {
            Some(v) => self.non_negative(v, "run.service_level_threshold"),
            None => {
                self.problem(
                    raw.run.span(),
                    "run.service_level_threshold",
                    "missing; give the wait in minutes within which service should start (e.g. 0.333 for 20 seconds)",
                );
                0.0
            }
        };
        // `inf` (drain until every client has left) is allowed here only.
        let drain_limit = r.drain_limit.as_ref().map_or(f64::INFINITY, |d| {
            if d.get_ref().0 == f64::INFINITY {
                return f64::INFINITY;
            }
            self.number(d, "run.drain_limit", |x| x >= 0.0, "a number >= 0 or inf")
        });
        let max_clients_inside = match &r.max_clients_inside {
            Some(m) if *m.get_ref() == 0 => {
                self.problem(
                    m.span(),
                    "run.max_clients_inside",
                    "got 0; allowed: an integer >= 1 (default 1000000)",
                );
                0
            }
            Some(m) => *m.get_ref(),
            None => DEFAULT_MAX_CLIENTS_INSIDE,
        };
        RunControl {
            horizon,
            warmup,
            replications,
            seed: r.seed.as_ref().map_or(DEFAULT_SEED, |s| *s.get_ref()),
            service_level_threshold: threshold,
            drain_limit,
            max_clients_inside,
            day_quantile: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{BASE, model, problem, with};

    #[test]
    fn defaults() {
        let run = model(BASE).run;
        assert_eq!(run.warmup, 0.0);
        assert_eq!(run.replications, 10);
        assert_eq!(run.seed, 1);
        assert_eq!(run.drain_limit, f64::INFINITY);
        assert_eq!(run.max_clients_inside, 1_000_000);
    }

    #[test]
    fn large_unsigned_integers_are_kept() {
        let run = model(&with(
            "[run]",
            "seed = 18446744073709551615\nmax_clients_inside = 18446744073709551615",
        ))
        .run;
        assert_eq!(run.seed, u64::MAX);
        assert_eq!(run.max_clients_inside, u64::MAX);
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "horizon = -5.0",
                "run.horizon",
                "got -5; allowed: a finite number > 0",
            ),
            (
                "warmup = -1.0",
                "run.warmup",
                "got -1; allowed: a finite number >= 0",
            ),
            (
                "warmup = 100.0",
                "run.warmup",
                "got 100, not below run.horizon = 100; allowed: 0 <= warmup < horizon",
            ),
            (
                "replications = 0",
                "run.replications",
                "got 0; allowed: an integer >= 1",
            ),
            (
                "drain_limit = -1.0",
                "run.drain_limit",
                "got -1; allowed: a number >= 0 or inf",
            ),
            (
                "max_clients_inside = 0",
                "run.max_clients_inside",
                "got 0; allowed: an integer >= 1 (default 1000000)",
            ),
        ];
        for (line, field, message) in cases {
            let run = if line.starts_with("horizon") {
                line.to_string()
            } else {
                format!("horizon = 100.0\n{line}")
            };
            let source = BASE.replacen("horizon = 100.0", &run, 1);
            assert_eq!(
                problem(&source),
                (field.to_string(), message.to_string()),
                "{line}"
            );
        }
        assert_eq!(
            problem(&BASE.replace("service_level_threshold = 0.5\n", "")),
            (
                "run.service_level_threshold".to_string(),
                "missing; give the wait in minutes within which service should start (e.g. 0.333 for 20 seconds)".to_string()
            )
        );
        assert_eq!(
            problem(&BASE.replace("name = \"unit\"", "name = \".x\"")).0,
            "name"
        );
    }
}
