//! The speed guard: instructions per client on the two benchmark scenarios,
//! counted by valgrind's callgrind (deterministic, unlike wall-clock time on
//! a shared machine), must stay within 10% of the committed baseline in
//! `benches/instructions.toml`. A change that costs more updates the
//! baseline in the same commit, with its reason.
//!
//! Each scenario runs twice, cut to two numbers of clients; the difference
//! of the two instruction counts over the difference of the clients leaves
//! out start-up, parsing and writing the results.

use std::path::Path;
use std::process::Command;

use super::common::scratch;

/// Clients in the short and the long run of each scenario.
const SHORT: f64 = 20_000.0;
const LONG: f64 = 80_000.0;
/// Allowed rise above the baseline.
const TOLERANCE: f64 = 0.10;

/// Instructions valgrind counted for one whole run of the release binary.
fn instructions(scenario: &Path, out: &Path) -> u64 {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_tiersim"))
        .arg("run")
        .arg(scenario)
        .args(["--threads", "1", "--out"])
        .arg(out)
        .output()
        .expect("valgrind runs");
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "valgrind run failed:\n{log}");
    log.lines()
        .find_map(|l| {
            l.split_once("Collected :")
                .map(|(_, n)| n.trim().to_owned())
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no instruction count in callgrind's output:\n{log}"))
}

/// Instructions per client of shipped benchmark `name` (marginal: the
/// difference between a run of `LONG` and one of `SHORT` clients).
fn per_client(name: &str) -> f64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(format!("scenarios/bench/{name}.toml")))
        .expect("shipped benchmark");
    let model = tiersim::scenario::parse(&text, "bench.toml")
        .expect("valid benchmark")
        .model;
    let per_minute: f64 = model.segments.iter().map(|s| s.rate_per_hour / 60.0).sum();
    let dir = scratch(&format!("speed-{name}"));
    let mut counts = [0u64; 2];
    for (count, clients) in counts.iter_mut().zip([SHORT, LONG]) {
        let horizon = clients / per_minute;
        let cut: String = text
            .lines()
            .map(|l| {
                if l.starts_with("horizon =") {
                    format!("horizon = {horizon}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let file = dir.join(format!("{name}-{clients}.toml"));
        std::fs::write(&file, cut).unwrap();
        *count = instructions(&file, &dir.join(format!("out-{clients}")));
    }
    (counts[1] as f64 - counts[0] as f64) / (LONG - SHORT)
}

/// The committed baseline of benchmark `name`, instructions per client.
fn baseline(name: &str) -> f64 {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/instructions.toml");
    let text = std::fs::read_to_string(&path).expect("benches/instructions.toml");
    let table: toml::Table = text.parse().expect("baseline is TOML");
    assert!(
        table
            .get("reason")
            .and_then(|r| r.as_str())
            .is_some_and(|r| !r.trim().is_empty()),
        "benches/instructions.toml needs a `reason` for its figures"
    );
    table
        .get(name)
        .and_then(|t| t.get("instructions_per_client"))
        .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
        .unwrap_or_else(|| panic!("no [{name}] instructions_per_client in the baseline"))
}

/// valgrind is there, or the guard may be skipped (never on CI).
fn valgrind_available() -> bool {
    let found = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the speed guard needs valgrind on CI"
        );
        eprintln!("note: valgrind is not installed; the speed guard is skipped");
    }
    found
}

#[test]
fn instructions_per_client_stay_within_the_baseline() {
    if cfg!(debug_assertions) {
        eprintln!("note: the speed guard counts release builds only (cargo test --release)");
        return;
    }
    if !valgrind_available() {
        return;
    }
    let mut failures = Vec::new();
    for name in ["mmc", "tiered"] {
        let (measured, allowed) = (per_client(name), baseline(name));
        eprintln!("{name}: {measured:.0} instructions per client (baseline {allowed:.0})");
        if measured > allowed * (1.0 + TOLERANCE) {
            failures.push(format!(
                "{name}: {measured:.0} instructions per client, more than 10% above the \
                 baseline {allowed:.0}; if the cost is meant, update benches/instructions.toml \
                 with the reason in the same change"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
