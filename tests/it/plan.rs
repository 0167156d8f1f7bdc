//! Capacity planning: `[targets]`/`[cost]`/`[plan]` validation, the plan
//! against Erlang C, unreachable targets, and the `erlang` and `plan`
//! commands as a user runs them.

use crate::common::{scratch, text, tiersim};
use tiersim::analytic::Mmc;
use tiersim::experiment::goals::Attainment;
use tiersim::plan::{PlanOptions, Verdict, plan};
use tiersim::scenario::parse;

/// One tier, Poisson arrivals whose rate steps up over four hours of the day
/// (60, 90, 150 and 240 an hour), exponential 3-minute service, nobody
/// abandons: each slot is an M/M/c queue. The rate only rises: when it
/// falls, the servers of the busier slot are still finishing their clients
/// as the next slot starts with fewer, and its first minutes queue more
/// than Erlang C says (the simulation then rightly adds a server).
const SINGLE_TIER: &str = r#"name = "single"
[run]
horizon = 10080.0
replications = 20
seed = 11
service_level_threshold = 1.0
[calendar]
slot_minutes = 60
profile = { "08:00-09:00" = 1.0, "09:00-10:00" = 1.5, "10:00-11:00" = 2.5, "11:00-12:00" = 4.0 }
[[segment]]
name = "retail"
rate_per_hour = 60.0
[[tier]]
name = "front"
servers = 1
service = { dist = "exponential", mean = 3.0 }
[targets]
service_level = 0.8
[cost]
hourly = { front = 30.0 }
shift_start = 10.0
[plan]
shift_lengths = [240, 120, 60]
"#;

#[test]
fn plan_of_a_single_poisson_tier_is_erlang_c_per_slot() {
    let s = parse(SINGLE_TIER, "single.toml").unwrap();
    let p = plan(&s.model, &s.goals, &PlanOptions::default(), &|_| {});
    assert_eq!(p.verdict, Verdict::Met, "{:?}", p.verdict);
    for (slot, rate) in [(8, 60.0), (9, 90.0), (10, 150.0), (11, 240.0)] {
        let erlang = tiersim::analytic::fewest_servers(rate / 60.0, 1.0 / 3.0, 100, |q| {
            q.service_level(1.0) >= 0.8
        })
        .unwrap();
        // The test means something only if Erlang C's answer is clear-cut:
        // a server fewer misses the target, and the answer meets it, by
        // more than the simulation's 95% CI (about ±0.02 here).
        let sl = |c: u32| {
            Mmc {
                arrival_rate: rate / 60.0,
                service_rate: 1.0 / 3.0,
                servers: c,
            }
            .service_level(1.0)
        };
        assert!(sl(erlang) >= 0.86 && sl(erlang - 1) <= 0.76, "slot {slot}");
        assert_eq!(p.seed.staffing[0][slot], erlang, "analytic, slot {slot}");
        assert_eq!(p.staffing[0][slot], erlang, "simulated plan, slot {slot}");
    }
    // No servers where nobody comes, apart from the closing hour.
    assert!((0..8).chain(13..24).all(|s| p.staffing[0][s] == 0));
    assert!(p.staffing[0][12] <= 1);
    let sl = p
        .targets
        .iter()
        .find(|t| t.target.metric == "service_level");
    assert_eq!(sl.unwrap().attainment, Attainment::Met);
}

#[test]
fn unreachable_targets_get_a_verdict_with_the_best_values() {
    // Satisfaction 99 is beyond the outcome model whatever the staffing.
    let toml = SINGLE_TIER.replace(
        "[targets]\nservice_level = 0.8",
        "[targets]\nservice_level = 0.8\nsatisfaction_mean = 99",
    );
    let s = parse(&toml, "single.toml").unwrap();
    let started = std::time::Instant::now();
    let p = plan(&s.model, &s.goals, &PlanOptions::default(), &|_| {});
    assert!(started.elapsed().as_secs() < 30, "no endless search");
    let Verdict::Unreachable(reasons) = &p.verdict else {
        panic!("expected unreachable, got {:?}", p.verdict);
    };
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("satisfaction_mean >= 99") && r.contains("best")),
        "{reasons:?}"
    );
    // The best staffing tried is reported with its values.
    assert!(p.staffing[0][11] >= 15);
    let sat = p
        .targets
        .iter()
        .find(|t| t.target.metric == "satisfaction_mean");
    let sat = sat.unwrap();
    assert!(sat.estimate.mean < 99.0 && sat.attainment == Attainment::Missed);
}

/// Asserts that `toml` is rejected with a problem naming `field` and
/// containing `text`.
fn rejected(toml: &str, field: &str, text: &str) {
    match parse(toml, "t.toml") {
        Err(tiersim::Error::Scenario(e)) => assert!(
            e.problems
                .iter()
                .any(|p| p.field == field && p.message.contains(text) && p.line > 1),
            "expected {field}: {text}; got {:#?}",
            e.problems
        ),
        other => panic!("expected a scenario error, got {other:?}"),
    }
}

#[test]
fn bad_targets_costs_and_plan_rules_are_clear_errors() {
    let with = |from: &str, to: &str| {
        assert!(SINGLE_TIER.contains(from));
        SINGLE_TIER.replace(from, to)
    };
    rejected(
        &with("[cost]\nhourly = { front = 30.0 }", "[cost]\nhourly = { }"),
        "cost.hourly",
        "no hourly cost for tier `front`",
    );
    rejected(
        &with(
            "service_level = 0.8",
            "abandon_rate = { min = 0.1, max = 0.05 }",
        ),
        "targets.abandon_rate",
        "contradictory",
    );
    rejected(
        &with("service_level = 0.8", "service_level = 1.5"),
        "targets.service_level",
        "allowed: a number in [0, 1]",
    );
    rejected(
        &with(
            "service_level = 0.8",
            "[targets.segment.retial]\nwait_mean = 1.0",
        ),
        "targets.segment.retial",
        "did you mean `retail`",
    );
    rejected(
        &with("hourly = { front = 30.0 }", "hourly = { frnt = 30.0 }"),
        "cost.hourly.frnt",
        "did you mean `front`",
    );
    rejected(
        &with("shift_lengths = [240, 120, 60]", "shift_lengths = [90]"),
        "plan.shift_lengths",
        "multiples of the slot",
    );
    // A misspelt metric: serde's unknown field, with a suggestion.
    let e = parse(&with("service_level = 0.8", "service_levl = 0.8"), "t.toml").unwrap_err();
    assert!(e.to_string().contains("service_level"), "{e}");
}

#[test]
fn erlang_command_answers_and_inverts() {
    let out = tiersim(&[
        "erlang",
        "--arrivals-per-hour",
        "200",
        "--service-mean",
        "3",
        "--threshold",
        "0.3333333333",
        "--target",
        "service_level=0.8",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("fewest servers meeting service_level >= 0.8: 14"),
        "{stdout}"
    );
    assert!(
        stdout.contains("0.2853"),
        "Erlang C P(wait) at 13 servers: {stdout}"
    );
    let out = tiersim(&[
        "erlang",
        "--arrivals-per-hour",
        "200",
        "--service-mean",
        "3",
        "--patience-mean",
        "2",
        "--servers",
        "8-9",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["erlang"]["rows"].as_array().unwrap().len(), 2);
    assert!(doc["erlang"]["rows"][0]["abandon_rate"].as_f64().unwrap() > 0.0);
    let bad = tiersim(&["erlang", "--arrivals-per-hour", "10", "--service-mean", "0"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("--service-mean"));
}

/// `tiersim erlang` with `args`, its exit code, stdout and stderr.
fn erlang(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["erlang"];
    all.extend(args);
    let out = tiersim(&all);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn erlang_call_centre_inputs_give_the_same_answer_as_minutes_and_rates() {
    let old = erlang(&[
        "--arrivals-per-hour",
        "240",
        "--service-mean",
        "3",
        "--threshold",
        "0.3333333333333333",
        "--target",
        "service_level=0.8",
        "--patience-mean",
        "2",
        "--json",
    ]);
    assert_eq!(old.0, Some(0), "{}", old.2);
    assert!(old.1.contains("\"fewest_servers\": "), "{}", old.1);
    // 120 calls per 30 minutes, 180 s handling, 80% within 20 s; and the
    // same in other units: 60 per 15 min, 3 min, 80%/0.333… min.
    for new in [
        [
            "--calls",
            "120",
            "--interval",
            "30min",
            "--aht",
            "180s",
            "--sl",
            "80/20s",
        ],
        [
            "--calls",
            "60",
            "--interval",
            "15",
            "--aht",
            "3",
            "--sl",
            "80%/20 seconds",
        ],
        [
            "--calls",
            "240",
            "--interval",
            "1h",
            "--aht",
            "3min",
            "--sl",
            "80/20s",
        ],
    ] {
        let mut args = new.to_vec();
        args.extend(["--patience-mean", "2", "--json"]);
        assert_eq!(erlang(&args), old, "{new:?}");
    }
    // Each form alone, beside the old flags for the rest.
    let base = [
        "--patience-mean",
        "2",
        "--json",
        "--target",
        "service_level=0.8",
    ];
    let mut aht = vec!["--arrivals-per-hour", "240", "--aht", "180s", "--threshold"];
    aht.extend(["0.3333333333333333"]);
    aht.extend(base);
    assert_eq!(erlang(&aht), old);
    let mut calls = vec![
        "--calls",
        "120",
        "--interval",
        "30min",
        "--service-mean",
        "3",
    ];
    calls.extend(["--threshold", "0.3333333333333333"]);
    calls.extend(base);
    assert_eq!(erlang(&calls), old);
}

#[test]
fn erlang_bad_call_centre_inputs_exit_2_saying_what_is_allowed() {
    let rate = ["--arrivals-per-hour", "240", "--service-mean", "3"];
    for (bad, says) in [
        (
            &["--sl", "120/20s"][..],
            "the percent must be a number in (0, 100]",
        ),
        (
            &["--sl", "0/20s"],
            "the percent must be a number in (0, 100]",
        ),
        (&["--sl", "80"], "no `/`; allowed: PERCENT/DURATION"),
        (&["--sl", "80/20"], "the threshold needs a unit"),
        (
            &["--sl", "80/20parsecs"],
            "allowed: a number of minutes, or a number with a unit: s, min, h",
        ),
        (
            &["--sl", "80/20s", "--threshold", "1"],
            "cannot be used with '--threshold",
        ),
        (&["--aht", "0s"], "the handling time must be longer than 0"),
        (
            &["--aht", "3 fortnights"],
            "allowed: a number of minutes, or a number with a unit: s, min, h",
        ),
        (&["--calls", "100"], "--interval <DURATION>"),
        (
            &["--calls", "lots", "--interval", "15min"],
            "expected a number of calls >= 0",
        ),
        (
            &["--calls", "10", "--interval", "0min"],
            "the interval must be longer than 0",
        ),
        (
            &["--calls", "10", "--interval", "5 furlongs"],
            "not a duration",
        ),
    ] {
        let mut args = rate.to_vec();
        // --aht and --calls replace --service-mean and --arrivals-per-hour.
        if bad[0] == "--aht" {
            args.truncate(2);
        }
        if bad[0] == "--calls" {
            args.drain(..2);
        }
        args.extend(bad);
        let (code, _, stderr) = erlang(&args);
        assert_eq!(code, Some(2), "{bad:?}: {stderr}");
        assert!(stderr.contains(says), "{bad:?}: {stderr}");
    }
    // Both forms of one input at once are refused, not silently merged.
    let (code, _, stderr) = erlang(&[
        "--arrivals-per-hour",
        "1",
        "--calls",
        "1",
        "--interval",
        "1h",
        "--aht",
        "3",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = erlang(&[
        "--arrivals-per-hour",
        "1",
        "--service-mean",
        "3",
        "--aht",
        "3",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn plan_command_writes_a_plan_that_runs() {
    let dir = scratch("plan-command");
    let file = dir.join("single.toml");
    std::fs::write(&file, SINGLE_TIER).unwrap();
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("verdict: met"), "{stdout}");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("plan.json")).unwrap()).unwrap();
    let front = &doc["plan"]["tiers"]["front"];
    assert_eq!(front["plan"][11], 15);
    // Whole shifts cover the plan in every slot.
    for s in 0..24 {
        assert!(front["coverage"][s].as_u64() >= front["plan"][s].as_u64());
    }
    let cost = &doc["plan"]["cost"];
    assert!(cost["shifts_per_week"].as_f64() >= cost["plan_per_week"].as_f64());
    // Shifts start only when clients can arrive (08:00 to 12:00), not in
    // the night before.
    for shift in front["shifts"].as_array().unwrap() {
        let start = shift["start"].as_str().unwrap();
        assert!(("08:00"..="11:00").contains(&start), "{shift}");
    }
    // Today: one server all week at 30 an hour, missing the target; the
    // plan's difference is its shifts' cost less today's.
    let today = &doc["plan"]["today"];
    assert_eq!(today["cost_per_week"].as_f64(), Some(30.0 * 168.0));
    assert_eq!(
        today["difference_per_week"].as_f64(),
        Some(cost["shifts_per_week"].as_f64().unwrap() - 30.0 * 168.0)
    );
    assert_eq!(today["targets"][0]["metric"], "service_level");
    assert_eq!(today["targets"][0]["attainment"], "missed");
    assert!(
        stdout.contains("today (the scenario's own staffing, on the confirmation's clients): cost per week 5040.00")
            && stdout.contains("service_level >= 0.8: today "),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out_dir.join("staffing.csv")).unwrap();
    assert!(csv.starts_with("slot,tier,offered_load,analytic,square_root,plan,shifts\n"));
    assert!(csv.contains("\n11:00,front,12,15,15,15,"), "{csv}");
    // The plan as a scenario runs, and meets its targets in the summary.
    let planned = out_dir.join("single-plan.toml");
    let run_dir = dir.join("run");
    let out = tiersim(&[
        "run",
        planned.to_str().unwrap(),
        "--out",
        run_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run_dir.join("summary.json")).unwrap()).unwrap();
    let target = &summary["scenarios"][0]["targets"][0];
    assert_eq!(target["metric"], "service_level");
    assert_eq!(target["attainment"], "met");
    // Staff cost per hour is the hourly cost times the servers on duty.
    let point = &summary["scenarios"][0];
    let servers = point["tiers"]["front"]["servers_mean"]["mean"]
        .as_f64()
        .unwrap();
    let staff = point["cost"]["staff_per_hour"]["mean"].as_f64().unwrap();
    assert!(
        servers > 0.0 && (staff - 30.0 * servers).abs() < 1e-9,
        "{staff} vs {servers}"
    );
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(
        html.contains("Staffing by slot") && html.contains("<svg"),
        "report"
    );
    // One self-contained page: no external references.
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Content-Security-Policy"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(")
    );
    for section in [
        "Target attainment",
        "Cost breakdown",
        "Shifts",
        "Analytic and simulated plans",
    ] {
        assert!(html.contains(section), "{section}");
    }
    assert!(out_dir.join("plot-staffing.png").exists());
}

/// A file that `extends` another and brings a remedy plans the package
/// it runs: the planned file stands alone in the output folder (merged,
/// remedy applied) and plans what the same package written out in full
/// plans.
#[test]
fn plan_of_an_extending_file_with_a_remedy_plans_the_package() {
    let dir = scratch("plan-extends");
    std::fs::write(dir.join("single.toml"), SINGLE_TIER).unwrap();
    let ext = dir.join("faster.toml");
    std::fs::write(
        &ext,
        "extends = \"single.toml\"\nname = \"faster\"\n\
         [[remedy]]\nname = \"training\"\nset = { \"tier.front.service.mean\" = 2.0 }\n",
    )
    .unwrap();
    let full = dir.join("full.toml");
    std::fs::write(
        &full,
        SINGLE_TIER
            .replace("name = \"single\"", "name = \"faster\"")
            .replace("mean = 3.0", "mean = 2.0"),
    )
    .unwrap();
    let plan_of = |file: &std::path::Path, out: &str| {
        let out_dir = dir.join(out);
        let o = tiersim(&[
            "plan",
            file.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out_dir.join("plan.json")).unwrap()).unwrap();
        (out_dir, doc["plan"]["tiers"]["front"]["plan"].clone())
    };
    let (out_dir, by_extension) = plan_of(&ext, "ext");
    let (_, by_full_file) = plan_of(&full, "full");
    assert_eq!(by_extension, by_full_file);
    let planned = std::fs::read_to_string(out_dir.join("faster-plan.toml")).unwrap();
    assert!(
        !planned.contains("extends =") && !planned.contains("[[remedy]]"),
        "{planned}"
    );
    let o = tiersim(&["check", out_dir.join("faster-plan.toml").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn plan_command_needs_targets_and_costs() {
    let dir = scratch("plan-needs");
    let file = dir.join("nocost.toml");
    let toml = SINGLE_TIER.replace(
        "[cost]\nhourly = { front = 30.0 }\nshift_start = 10.0\n",
        "",
    );
    std::fs::write(&file, toml).unwrap();
    let out = tiersim(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("plan needs [cost]"),
        "{}",
        text(&out.stderr)
    );
    let out = tiersim(&[
        "plan",
        "scenarios/two-tier.toml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("plan needs [targets]"));
}

#[test]
fn sweep_report_takes_its_target_from_the_scenario_and_marks_the_pareto_front() {
    let dir = scratch("plan-sweep-report");
    let file = dir.join("sweep.toml");
    let toml = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/two-tier.toml"),
    )
    .unwrap()
    .replace("replications = 10", "replications = 3")
    .replace("horizon = 100000.0", "horizon = 5000.0")
        + "\n[targets]\nservice_level = 0.9\n\n[cost]\nhourly = { front = 30.0, expert = 50.0 }\n\n\
       [[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [9, 10, 11]\n\n\
       [[sweep.axis]]\npath = \"tier.expert.servers\"\nvalues = [3, 4]\n";
    std::fs::write(&file, toml).unwrap();
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(out_dir.join("plot-pareto-cost.svg")).unwrap();
    assert!(svg.contains("Pareto front") && svg.contains("target 0.9"));
    let heat = std::fs::read_to_string(out_dir.join("plot-heatmap-service-level.svg")).unwrap();
    assert!(
        heat.contains("target 0.9") && !heat.contains("default"),
        "contour from [targets]"
    );
}
