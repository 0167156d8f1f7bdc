//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::{Command, Output};

use tiersim::engine::stats::{Estimate, t_quantile_975};
use tiersim::model::Model;

/// Parses a scenario written inline, panicking with the rendered error.
pub fn model(toml: &str) -> Model {
    match tiersim::scenario::parse(toml, "test.toml") {
        Ok(s) => s.model,
        Err(e) => panic!("{e}"),
    }
}

/// Asserts that `estimate` agrees with the theoretical `expected` within
/// four standard errors of the replication mean (a false alarm on a fixed
/// seed about once in 16,000 checks), and that the run was precise enough
/// for the check to mean something: the standard error is at most
/// `max_relative_se` of the expected value.
pub fn assert_agrees(what: &str, estimate: Estimate, expected: f64, max_relative_se: f64) {
    assert!(estimate.n >= 2, "{what}: needs at least two replications");
    let se = estimate.ci95 / t_quantile_975(estimate.n - 1);
    let z = (estimate.mean - expected) / se;
    assert!(
        z.abs() <= 4.0,
        "{what}: simulated {:.5} ± {:.5} (95% CI) vs theory {expected:.5}: z = {z:.2}",
        estimate.mean,
        estimate.ci95
    );
    assert!(
        se <= max_relative_se * expected.abs(),
        "{what}: standard error {se:.5} too wide to test against {expected:.5}"
    );
}

/// Runs the `tiersim` binary from the repository root, as a user would.
pub fn tiersim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiersim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("tiersim runs")
}

/// Bytes (a process's output) as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh temporary folder for one test; `name` must be unique in the
/// test binary.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tiersim-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts that a share estimated from `n` Bernoulli trials per
/// replication agrees with `p` within four binomial standard errors of the
/// pooled mean (the replications' own standard error is used too, and the
/// larger one taken, so that neither noise source is ignored).
pub fn assert_share(what: &str, e: Estimate, p: f64, trials: f64) {
    let binomial = (p * (1.0 - p) / trials).sqrt();
    let replications = e.ci95 / t_quantile_975(e.n - 1);
    let se = binomial.max(replications);
    assert!(
        (e.mean - p).abs() <= 4.0 * se,
        "{what}: {:.5} ± {:.5} vs {p:.5} (se {se:.5})",
        e.mean,
        e.ci95
    );
}

/// Asserts that `base` with `from` replaced by `to` is rejected with a
/// problem on `field` whose message contains `text`.
pub fn rejects(base: &str, from: &str, to: &str, field: &str, text: &str) {
    let bad = base.replace(from, to);
    assert_ne!(bad, base, "{from}");
    match tiersim::scenario::parse(&bad, "bad.toml") {
        Err(tiersim::Error::Scenario(e)) => assert!(
            e.problems
                .iter()
                .any(|p| p.field == field && p.message.contains(text)),
            "{field} `{text}`: {:#?}",
            e.problems
        ),
        other => panic!("{from} -> {to}: {other:?}"),
    }
}

/// Every `.toml` under `scenarios/`, sorted.
pub fn shipped() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
