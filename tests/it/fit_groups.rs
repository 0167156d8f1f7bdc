//! `tiersim fit --agent-groups`: on a fixture whose grouping is known by
//! construction (tests/fit/README.md), exactly those groups, skills and
//! staffing; the grouped scenario checks and runs; without the flag the
//! output is the same bytes as before; `backtest` refuses to restaff a
//! grouped scenario (exit 2).

use std::path::Path;

use tiersim::fit::{self, FitOptions, Format};

use crate::common::{scratch, text, tiersim};

const GROUPS: &str = "tests/fit/groups-sample.csv";

fn options() -> FitOptions {
    FitOptions {
        log: Path::new(env!("CARGO_MANIFEST_DIR")).join(GROUPS),
        format: Format::Csv,
        from: None,
        to: None,
        days: None,
        staffing: None,
        slot_minutes: 60,
        availability: 1.0,
        dedicated_agents: 0.0,
        max_unusable: 0.01,
        name: "fitted".into(),
        agent_groups: true,
    }
}

/// ann (8 A, 1 B: B is 1 call < 5, not a skill) and bob (8 A) form group A;
/// cat (6 A, 6 B: each 50% and 6 calls) is group A_B; C (one abandoned
/// call, served by nobody) goes to the group with most calls, A, which
/// becomes A_C. Staffing by presence sessions: ann 09:00-09:54 and bob
/// 09:00-09:48 are 0.9 + 0.8 = 1.7 agents in 09:00 (2 servers); cat
/// 10:00-11:12 is 1.0 in 10:00 and 0.2 in 11:00 (1 server each).
#[test]
fn groups_known_by_construction() {
    let fitted = fit::fit(&options()).unwrap();
    let g = fitted.report.groups.as_ref().expect("groups");
    assert_eq!(g.rule.served_calls, 29);
    let names: Vec<&str> = g.groups.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["A_C", "A_B"]);
    let (a, ab) = (&g.groups[0], &g.groups[1]);
    assert_eq!(a.agents, ["ann", "bob"]);
    assert_eq!(a.skills, ["A", "C"]);
    assert_eq!(a.added_skills, ["C"]);
    assert_eq!(ab.agents, ["cat"]);
    assert_eq!(ab.skills, ["A", "B"]);
    assert!(ab.added_skills.is_empty() && ab.merged_from.is_empty());
    assert_eq!(g.agents["ann"].skills, ["A"]);
    assert_eq!(g.agents["ann"].calls["B"], 1);
    assert_eq!(g.agents["cat"].group, "A_B");
    let staff = |grp: &tiersim::fit::groups::FitGroup, slot: &str| {
        let s = grp.staffing.slots.iter().find(|s| s.slot == slot).unwrap();
        (s.agents.value, s.servers)
    };
    let (agents, servers) = staff(a, "09:00");
    assert!(
        (agents - 1.7).abs() < 1e-12 && servers == 2,
        "{agents} {servers}"
    );
    let (agents, servers) = staff(ab, "10:00");
    assert!((agents - 1.0).abs() < 1e-12 && servers == 1);
    let (agents, servers) = staff(ab, "11:00");
    assert!((agents - 0.2).abs() < 1e-12 && servers == 1);
    assert!(a.staffing.slots.iter().all(|s| s.slot == "09:00"));
    // The scenario: the groups with their skills and shifts, no tier shifts.
    let s = &fitted.scenario;
    assert!(s.contains("name = \"A_C\""), "{s}");
    assert!(s.contains("skills = { A = 1, C = 1 }"));
    assert!(s.contains("skills = { A = 1, B = 1 }"));
    assert!(!s.contains("[[tier.shifts]]"));
    assert!(s.contains(
        "[[tier.group.shifts]]\nstart = \"09:00\"\nend = \"10:00\"\ndays = [\"mon\"]\nservers = 2 "
    ));
    assert!(s.contains(
        "[[tier.group.shifts]]\nstart = \"10:00\"\nend = \"12:00\"\ndays = [\"mon\"]\nservers = 1 "
    ));
}

/// The grouped scenario passes `check` and `run`; fit.json has `groups`;
/// `backtest` refuses to give it the period's staffing (exit 2) and runs it
/// with its own (`--scenario-staffing`).
#[test]
fn grouped_scenario_checks_runs_and_backtest_refuses_restaffing() {
    let dir = scratch("fit-groups-runs");
    let out = dir.join("grouped.toml");
    let out = out.to_str().unwrap();
    let o = tiersim(&[
        "fit",
        GROUPS,
        "--format",
        "csv",
        "--agent-groups",
        "--out",
        out,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("fit.json")).unwrap()).unwrap();
    assert_eq!(json["groups"]["groups"][1]["name"], "A_B");
    assert_eq!(json["groups"]["rule"]["min_skill_calls"], 5);
    let o = tiersim(&["check", out]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = tiersim(&["run", out, "--out", dir.join("run").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = tiersim(&["backtest", out, "--log", GROUPS, "--format", "csv"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("agent groups") && err.contains("--scenario-staffing"),
        "{err}"
    );
}

/// Without `--agent-groups` the fit is the same bytes as before the flag
/// existed: `tests/fit/backtest-fitted.toml` was written by the command in
/// tests/fit/README.md; fit.json has no `groups`. With a staffing file the
/// flag is refused (the file has no groups).
#[test]
fn without_the_flag_the_fit_is_unchanged() {
    let dir = scratch("fit-groups-unchanged");
    let out = dir.join("backtest-fitted.toml");
    let o = tiersim(&[
        "fit",
        "tests/fit/backtest-calls.tsv",
        "--format",
        "anonymous-bank",
        "--days",
        "mon",
        "--from",
        "1999-02-01",
        "--to",
        "1999-02-01",
        "--availability",
        "0.8",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fit/backtest-fitted.toml"),
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), shipped);
    let json = std::fs::read_to_string(dir.join("fit.json")).unwrap();
    assert!(!json.contains("\"groups\""));
    let staffing = dir.join("staffing.csv");
    std::fs::write(&staffing, "day,slot,agents\nmon,09:00,2\n").unwrap();
    let o = tiersim(&[
        "fit",
        GROUPS,
        "--format",
        "csv",
        "--agent-groups",
        "--staffing",
        staffing.to_str().unwrap(),
        "--out",
        dir.join("g.toml").to_str().unwrap(),
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("has no groups"), "{err}");
}
