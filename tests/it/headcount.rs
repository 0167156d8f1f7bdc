//! Staff as people (issue 17, headcount): shifts with staggered breaks
//! cover the per-slot plan in every minute; headcount × paid hours ×
//! (1 − shrinkage) covers the servers on duty; a generated roster keeps
//! every rule on random inputs; infeasible rules are a clear verdict; and
//! `plan --roster` as a user runs it.

use proptest::prelude::*;
use tiersim::model::workforce::{BreakRule, RosterRules, Shrinkage, Workforce};
use tiersim::plan::breaks::StaggeredShift;
use tiersim::plan::headcount::headcount;
use tiersim::plan::roster::{check, day_shifts, roster, week_hours};
use tiersim::plan::shifts::{ShiftPlan, cover};
use tiersim::scenario::PlanRules;

use crate::common::{scratch, text, tiersim};

/// Servers on duty in each minute of a non-cyclic day, breaks taken off.
fn on_duty_by_minute(plan: &ShiftPlan) -> Vec<u32> {
    let groups = plan.with_breaks();
    let mut m = vec![0u32; 1440];
    for g in &groups {
        for t in g.start..(g.start + g.length).min(1440) {
            let away = g
                .breaks
                .iter()
                .any(|&(o, l)| (g.start + o..g.start + o + l).contains(&t));
            if !away {
                m[t as usize] += g.servers;
            }
        }
    }
    m
}

/// Longest run of worked days, the week repeating.
fn longest_run(days: &[Option<usize>; 7]) -> usize {
    if days.iter().all(Option::is_some) {
        return 7;
    }
    (0..7)
        .map(|d| (0..7).take_while(|k| days[(d + k) % 7].is_some()).count())
        .max()
        .unwrap_or(0)
}

/// A random per-slot plan on 24 hourly slots: open `open..close`.
fn required() -> impl Strategy<Value = Vec<u32>> {
    (
        5usize..10,
        8usize..14,
        proptest::collection::vec(0u32..6, 24),
    )
        .prop_map(|(open, hours, v)| {
            (0..24)
                .map(|s| {
                    if s >= open && s < open + hours {
                        v[s].max(1)
                    } else {
                        0
                    }
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        // Fixed: the same cases on every run.
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261207),
        ..ProptestConfig::default()
    })]

    /// Shifts (with or without breaks) cover the plan in every minute of
    /// every slot, and the headcount after shrinkage covers the shifts'
    /// paid hours, which are at least the plan's server-hours.
    #[test]
    fn headcount_covers_the_plan_in_every_slot(
        req in required(),
        breaks in any::<bool>(),
        lengths in prop_oneof![Just(vec![480]), Just(vec![480, 240]), Just(vec![600, 360])],
        shares in proptest::collection::vec(0.0f64..0.2, 4),
        fte_hours in 20.0f64..45.0,
        days in 1u32..8,
    ) {
        let mut rules = PlanRules { shift_lengths: lengths, ..PlanRules::default() };
        rules.workforce = Workforce {
            shrinkage: Shrinkage { absence: shares[0], holiday: shares[1], training: shares[2], meetings: shares[3] },
            fte_hours,
            breaks: breaks.then(BreakRule::default),
            roster: RosterRules::default(),
        };
        let plan = cover(&req, 60, &rules, 30.0, 5.0, false).unwrap();
        let minutes = on_duty_by_minute(&plan);
        for (t, &on) in minutes.iter().enumerate() {
            prop_assert!(on >= req[t / 60], "minute {}: {} on duty, {} planned", t, on, req[t / 60]);
        }
        let on_duty: f64 = req.iter().map(|&r| f64::from(r)).sum::<f64>() * f64::from(days);
        let h = headcount(&plan, on_duty, f64::from(days), &rules.workforce);
        let s = rules.workforce.shrinkage.total();
        let available = f64::from(h.headcount) * fte_hours * (1.0 - s);
        prop_assert!(available >= h.shift_hours_per_week - 1e-6, "{} < {}", available, h.shift_hours_per_week);
        prop_assert!(h.shift_hours_per_week >= on_duty - 1e-6);
        // And no more people than needed: one fewer would not cover.
        if h.headcount > 0 {
            let fewer = f64::from(h.headcount - 1) * fte_hours * (1.0 - s);
            prop_assert!(fewer < h.shift_hours_per_week - 1e-9);
        }
        prop_assert_eq!(h.break_hours_per_week > 0.0, breaks && on_duty > 0.0);
    }

    /// A roster keeps every rule and works every shift of every open day
    /// exactly once; when none exists, the rule named binds (relaxing it
    /// alone gives a roster).
    #[test]
    fn a_roster_respects_every_rule(
        counts in proptest::collection::vec(0u32..4, 2),
        open in proptest::array::uniform7(any::<bool>()),
        max_consecutive_days in 1u32..8,
        min_hours in 0.0f64..30.0,
        extra in 0.0f64..30.0,
    ) {
        let lengths = [240, 480];
        let groups: Vec<StaggeredShift> = lengths
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (&length, &servers))| StaggeredShift { start: 420 + 60 * i as u32, length, servers, breaks: Vec::new() })
            .filter(|g| g.servers > 0)
            .collect();
        let shifts = day_shifts(&groups);
        let rules = RosterRules { max_consecutive_days, min_hours, max_hours: (min_hours + extra).max(10.0) };
        match roster(&shifts, open, &rules, "t") {
            Ok(people) => {
                check(&people, &shifts, open, &rules).map_err(TestCaseError::fail)?;
                // The same rules, checked here independently.
                for (d, &is_open) in open.iter().enumerate() {
                    let mut worked: Vec<usize> = people.iter().filter_map(|p| p.days[d]).collect();
                    worked.sort_unstable();
                    let want: Vec<usize> = if is_open { (0..shifts.len()).collect() } else { vec![] };
                    prop_assert_eq!(worked, want);
                }
                for p in &people {
                    prop_assert!(longest_run(&p.days) <= max_consecutive_days as usize);
                    let h = week_hours(p, &shifts);
                    prop_assert!(h >= rules.min_hours - 1e-9 && h <= rules.max_hours + 1e-9, "{} h", h);
                    prop_assert!(p.days.iter().flatten().count() > 0, "nobody on the roster idles");
                }
            }
            Err(e) => {
                let relaxed = match e.field.as_str() {
                    "plan.roster.max_consecutive_days" => RosterRules { max_consecutive_days: 7, ..rules },
                    "plan.roster.min_hours" => RosterRules { min_hours: 0.0, ..rules },
                    "plan.roster.max_hours" => RosterRules { max_hours: 168.0, ..rules },
                    "plan.roster" => RosterRules { max_consecutive_days: 7, min_hours: 0.0, max_hours: 168.0 },
                    other => return Err(TestCaseError::fail(format!("unknown field {other}"))),
                };
                prop_assert!(e.message.contains("no roster covers"), "{}", e.message);
                prop_assert!(roster(&shifts, open, &relaxed, "t").is_ok(), "{}: {}", e.field, e.message);
            }
        }
    }
}

/// A roster with the fewest people: 21 shifts of 8 h a week at most five
/// days each need five people, not more.
#[test]
fn a_roster_uses_the_fewest_people() {
    let shifts = day_shifts(&[StaggeredShift {
        start: 480,
        length: 480,
        servers: 3,
        breaks: Vec::new(),
    }]);
    let people = roster(&shifts, [true; 7], &RosterRules::default(), "x").unwrap();
    assert_eq!(people.len(), 5);
    // At most four days in a row still allows five days a week (4 on,
    // 1 off, 1 on, 1 off): the roster keeps the rule, and no roster can
    // have fewer than ceil(21 / 5) people.
    let four = RosterRules {
        max_consecutive_days: 4,
        ..RosterRules::default()
    };
    let people = roster(&shifts, [true; 7], &four, "x").unwrap();
    check(&people, &shifts, [true; 7], &four).unwrap();
    assert!(people.len() >= 5);
    // Three days in a row: at most 5 days a week too (3 on, 1 off, 2 on,
    // 1 off), but every person's run is at most 3.
    let three = RosterRules {
        max_consecutive_days: 3,
        ..RosterRules::default()
    };
    let people = roster(&shifts, [true; 7], &three, "x").unwrap();
    assert!(people.iter().all(|p| longest_run(&p.days) <= 3));
}

/// A small scenario whose plan is quick: one tier, four hours a day.
const SMALL: &str = r#"name = "small"
[run]
horizon = 2880.0
replications = 4
seed = 5
service_level_threshold = 1.0
[calendar]
slot_minutes = 60
profile = { "08:00-12:00" = 1.0 }
[[segment]]
name = "retail"
rate_per_hour = 40.0
[[tier]]
name = "front"
servers = 4
service = { dist = "exponential", mean = 3.0 }
[targets]
service_level = 0.7
[cost]
hourly = { front = 30.0 }
[plan]
shift_lengths = [240]
breaks = { lunch = 30, short = 15 }
roster = { max_consecutive_days = 5, min_hours = 8, max_hours = 20 }
"#;

#[test]
fn plan_roster_writes_people_and_a_roster_that_keeps_the_rules() {
    let dir = scratch("plan-roster");
    let file = dir.join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--roster",
        "--report",
        "--replications",
        "4",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("people front:"), "{stdout}");
    assert!(stdout.contains("roster front:"), "{stdout}");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("plan.json")).unwrap()).unwrap();
    let h = &doc["plan"]["headcount"]["front"];
    let people = h["headcount"].as_u64().unwrap() as f64;
    let s = h["shrinkage"].as_f64().unwrap();
    assert!((s - 0.231).abs() < 1e-12, "defaults of parameters-v2 §19");
    assert!(people * 37.5 * (1.0 - s) >= h["shift_hours_per_week"].as_f64().unwrap());
    assert!(h["break_hours_per_week"].as_f64().unwrap() > 0.0);
    let r = &doc["plan"]["roster"]["front"];
    assert!(r["hours"][0].as_f64().unwrap() >= 8.0 && r["hours"][1].as_f64().unwrap() <= 20.0);
    assert!(r["longest_run_days"].as_u64().unwrap() <= 5);
    let csv = std::fs::read_to_string(out_dir.join("roster.csv")).unwrap();
    assert!(
        csv.starts_with("tier,person,day,start,end,paid_hours,breaks,week_hours\n"),
        "{csv}"
    );
    assert_eq!(
        csv.lines().count() as u64 - 1,
        r["shifts_per_week"].as_u64().unwrap()
    );
    // Every shift of the planned file has its breaks, inside the shift.
    let planned = std::fs::read_to_string(out_dir.join("small-plan.toml")).unwrap();
    assert!(planned.contains("breaks"), "{planned}");
    tiersim::scenario::parse(&planned, "small-plan.toml").unwrap();
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.contains("<h3>Roster: front</h3>"));
}

#[test]
fn an_infeasible_roster_is_a_verdict_naming_the_rule_with_no_roster_written() {
    let dir = scratch("plan-roster-infeasible");
    let file = dir.join("small.toml");
    // Every shift is 4 h: a week of exactly 6 h cannot be worked.
    let text_in = SMALL.replace(
        "roster = { max_consecutive_days = 5, min_hours = 8, max_hours = 20 }",
        "roster = { min_hours = 6, max_hours = 7 }",
    );
    std::fs::write(&file, &text_in).unwrap();
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    std::fs::write(out_dir.join("roster.csv"), "stale").unwrap();
    let out = tiersim(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--roster",
        "--replications",
        "4",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("small.toml:24:"), "{err}");
    assert!(err.contains("field `plan.roster.min_hours`"), "{err}");
    assert!(err.contains("tier `front`: no roster covers"), "{err}");
    assert!(err.contains("allowed:"), "{err}");
    assert!(
        !out_dir.join("roster.csv").exists(),
        "no stale or partial roster"
    );
    assert!(
        out_dir.join("plan.json").exists(),
        "the plan itself is written"
    );
}

/// An infeasible roster rule of a file that `extends` another is shown
/// where a file of the chain really writes it: the base's line when the
/// base writes the rule, the extending file's when it does (the merged
/// text's lines are no file's).
#[test]
fn an_infeasible_roster_in_an_extends_chain_names_the_file_writing_the_rule() {
    let dir = scratch("plan-roster-infeasible-extends");
    let base = dir.join("base.toml");
    let infeasible = "roster = { min_hours = 6, max_hours = 7 }";
    std::fs::write(
        &base,
        SMALL.replace(
            "roster = { max_consecutive_days = 5, min_hours = 8, max_hours = 20 }",
            infeasible,
        ),
    )
    .unwrap();
    let plan = |file: &std::path::Path| {
        let out = tiersim(&[
            "plan",
            file.to_str().unwrap(),
            "--out",
            dir.join("out").to_str().unwrap(),
            "--roster",
            "--replications",
            "4",
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        text(&out.stderr)
    };
    // The base writes the rule (line 24, as in SMALL).
    let child = dir.join("child.toml");
    std::fs::write(&child, "extends = \"base.toml\"\nname = \"child\"\n").unwrap();
    let err = plan(&child);
    assert!(err.contains("base.toml:24:"), "{err}");
    assert!(!err.contains("child.toml:"), "{err}");
    assert!(err.contains("field `plan.roster.min_hours`"), "{err}");
    // The extending file writes it (line 5).
    std::fs::write(&base, SMALL).unwrap();
    std::fs::write(
        &child,
        format!("extends = \"base.toml\"\nname = \"child\"\n\n[plan]\n{infeasible}\n"),
    )
    .unwrap();
    let err = plan(&child);
    assert!(err.contains("child.toml:5:"), "{err}");
    assert!(err.contains("field `plan.roster.min_hours`"), "{err}");
}
