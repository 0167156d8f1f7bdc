//! Robustness: fuzz findings replayed, the limit on clients inside, and
//! `tiersim check`.

use std::path::Path;

use crate::common::{model, scratch, text, tiersim};
use tiersim::model::{expected_events, offered_loads, simulate};

/// Every input the fuzzer ever crashed on (`fuzz/regressions/`), its seed
/// corpus and the bad-scenario corpus go through the fuzz target's body
/// without a panic.
#[test]
fn fuzz_regressions_and_seeds_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in ["fuzz/regressions", "fuzz/seeds", "tests/bad"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            // Subfolders hold the files that bad scenarios name (traces).
            if path.is_dir() {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            tiersim::fuzzing::exercise(&bytes);
            n += 1;
        }
    }
    assert!(n > 100, "only {n} inputs");
}

/// A scenario whose `junior` tier is fine and whose `senior` tier gets
/// twice what it can serve, with nothing to bound its queue.
fn overloaded(limit: &str) -> String {
    format!(
        r#"name = "overloaded"
[run]
horizon = 100000.0
replications = 3
service_level_threshold = 1.0
{limit}
[[segment]]
name = "retail"
rate_per_hour = 60.0
[[tier]]
name = "junior"
servers = 3
service = {{ dist = "exponential", mean = 1.0 }}
escalate = [{{ to = "senior", probability = 0.5 }}]
[[tier]]
name = "senior"
servers = 1
service = {{ dist = "exponential", mean = 4.0 }}
"#
    )
}

/// The replication stops at the limit, names the tier with the long
/// queue, and has not run to the horizon.
#[test]
fn clients_inside_stop_at_the_limit_naming_the_tier() {
    let m = model(&overloaded("max_clients_inside = 500"));
    let loads = offered_loads(&m);
    assert!((loads[1].offered_load - 2.0).abs() < 1e-12);
    let r = simulate(&m, 0);
    let o = r.overload.expect("the limit is reached");
    assert_eq!(o.tier, 1);
    assert_eq!(o.inside, 500);
    assert!(o.waiting >= 490, "{} waiting", o.waiting);
    // The queue grows by about 30 - 15 = 15 clients an hour: the limit
    // comes after about 2,000 minutes, far before the horizon.
    assert!(o.time > 500.0 && o.time < 10_000.0, "stopped at {}", o.time);
    let inside: u64 = r.segments.iter().map(|s| s.inside).sum();
    assert!(inside <= 500);
    let message = o.explain(&m, 0);
    for part in [
        "tier `senior` is overloaded",
        "offered load 2.00 Erlangs",
        "on 1 servers (utilization 2.00)",
        "run.max_clients_inside",
    ] {
        assert!(message.contains(part), "`{part}` not in: {message}");
    }
}

/// A limit that is never reached changes nothing.
#[test]
fn a_limit_not_reached_changes_nothing() {
    let stable = overloaded("").replace("servers = 1\n", "servers = 3\n");
    let a = simulate(&model(&stable), 1);
    let b = simulate(
        &model(&stable.replace("[run]\n", "[run]\nmax_clients_inside = 1000\n")),
        1,
    );
    assert!(a.overload.is_none() && b.overload.is_none());
    assert_eq!(a.events, b.events);
    assert_eq!(a.segments[0].wait, b.segments[0].wait);
}

/// Through the command line: exit code 1, the error on stderr, and a
/// flag that overrides the scenario's limit.
#[test]
fn run_stops_with_a_clear_error_and_the_flag_overrides_the_limit() {
    let dir = scratch("overload");
    let file = dir.join("overloaded.toml");
    std::fs::write(&file, overloaded("")).unwrap();
    let out_dir = dir.join("out");
    let args = |limit: &str| {
        vec![
            "run".to_string(),
            file.display().to_string(),
            "--out".into(),
            out_dir.display().to_string(),
            "--max-clients-inside".into(),
            limit.into(),
        ]
    };
    let run = |limit: &str| {
        let a = args(limit);
        tiersim(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = run("300");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: scenario `overloaded`: replication")
            && stderr.contains("300 clients were inside")
            && stderr.contains("tier `senior` is overloaded"),
        "{stderr}"
    );
    assert!(!out_dir.join("summary.json").exists());
    let out = run("0");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--max-clients-inside must be at least 1"));
}

/// `check` prints each tier's offered load, utilization and verdict, and
/// exits 0 without running anything.
#[test]
fn check_prints_loads_verdicts_and_cost() {
    let dir = scratch("check");
    let file = dir.join("overloaded.toml");
    std::fs::write(&file, overloaded("")).unwrap();
    let out = tiersim(&["check", &file.display().to_string(), "--threads", "2"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let line = |tier: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(tier))
            .unwrap_or_else(|| panic!("no line for {tier} in {stdout}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // junior: 60 visits/h x 1 min = 1 Erlang on 3 servers; senior: 30
    // visits/h x 4 min = 2 Erlangs on 1 server.
    assert_eq!(
        line("junior")[1..6],
        ["60.00", "1.000", "3", "0.333", "stable"]
    );
    assert_eq!(line("senior")[1..5], ["30.00", "2.000", "1", "2.000"]);
    assert!(line("senior").join(" ").contains("UNSTABLE"));
    assert!(stdout.contains("verdict: UNSTABLE"), "{stdout}");
    assert!(stdout.contains("replications), about"), "{stdout}");
    assert!(!dir.join("output").exists());
    let shipped = tiersim(&["check", "scenarios/sweeps/staffing.toml"]);
    assert_eq!(shipped.status.code(), Some(0));
    assert!(text(&shipped.stdout).contains("12 points"));
}

/// An M/M/c queue without patience takes two events per client, its
/// arrival and its service end, so the simulated count is about
/// 2 x Poisson(N) and lies within four standard deviations (2 sqrt N) of
/// the expected 2N (plus the clients still in service at the horizon).
#[test]
fn expected_events_match_a_simulation() {
    let m = model(
        r#"name = "mmc"
[run]
horizon = 20000.0
replications = 1
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 120.0
[[tier]]
name = "desk"
servers = 3
service = { dist = "exponential", mean = 1.0 }
"#,
    );
    let expected = expected_events(&m);
    let n = 120.0 / 60.0 * 20000.0;
    assert!((expected - 2.0 * n).abs() < 1e-6, "{expected}");
    for r in 0..3 {
        let events = simulate(&m, r).events as f64;
        assert!(
            (events - expected).abs() <= 4.0 * 2.0 * n.sqrt() + 2.0,
            "replication {r}: {events} events vs {expected}"
        );
    }
}

/// `drain_limit = inf`, documented as allowed, is accepted (it was refused
/// with "got inf; allowed: a number >= 0 or inf"; found by the property
/// tests).
#[test]
fn drain_limit_may_be_inf() {
    let m = model(&overloaded("drain_limit = inf").replace("servers = 1\n", "servers = 3\n"));
    assert_eq!(m.run.drain_limit, f64::INFINITY);
    let r = simulate(&m, 0);
    assert_eq!(r.segments[0].inside, 0, "every client finishes");
}

/// An output folder inside a regular file: a clear error naming the path
/// and the cause once, exit code 1, no panic.
#[test]
fn output_folder_that_cannot_be_made() {
    let dir = scratch("unwritable");
    let file = dir.join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out_dir = file.join("out");
    let out = tiersim(&[
        "run",
        "scenarios/two-tier.toml",
        "--out",
        &out_dir.display().to_string(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&out_dir.display().to_string()), "{stderr}");
    assert_eq!(stderr.matches("Not a directory").count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"));
}

/// A disk that fills up while the results are written (simulated with a
/// file-size limit, `ulimit -f`, with SIGXFSZ ignored so that writes fail
/// with an error instead of killing the process): a clear error, no
/// temporary or half-written file left, the journal of finished points
/// intact, and `--resume` with room again gives the same results as a run
/// that never failed.
#[cfg(unix)]
#[test]
fn a_full_disk_keeps_what_was_finished() {
    let dir = scratch("full-disk");
    let file = dir.join("sweep.toml");
    std::fs::write(
        &file,
        overloaded("")
            .replace("servers = 1\n", "servers = 3\n")
            .replace("horizon = 100000.0", "horizon = 2000.0")
            + "[[sweep.axis]]\npath = \"tier.senior.servers\"\nvalues = [3, 4, 5, 6]\n",
    )
    .unwrap();
    let run = |out: &Path, extra: &[&str], limit_kb: Option<u64>| {
        let mut command = format!(
            "exec '{}' run '{}' --out '{}' {}",
            env!("CARGO_BIN_EXE_tiersim"),
            file.display(),
            out.display(),
            extra.join(" ")
        );
        if let Some(kb) = limit_kb {
            command = format!("trap '' XFSZ; ulimit -f {kb}; {command}");
        }
        std::process::Command::new("bash")
            .args(["-c", &command])
            .output()
            .unwrap()
    };
    let clean = dir.join("clean");
    assert!(run(&clean, &[], None).status.success());
    let size = |f: &str| std::fs::metadata(clean.join(f)).unwrap().len();
    // Room for the journal, not for the summary.
    let limit_kb = size("points.jsonl") / 1024 + 2;
    assert!(limit_kb * 1024 < size("summary.json"));
    let full = dir.join("full");
    let out = run(&full, &[], Some(limit_kb));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: cannot write") && stderr.contains("File too large"),
        "{stderr}"
    );
    for entry in std::fs::read_dir(&full).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains(".tmp"), "temporary file {name} left behind");
        let written = std::fs::read(full.join(&name)).unwrap();
        let reference = std::fs::read(clean.join(&name)).unwrap();
        if name != "manifest.json" {
            assert_eq!(written.len(), reference.len(), "{name} is half-written");
        }
    }
    let journal = std::fs::read_to_string(full.join("points.jsonl")).unwrap();
    assert_eq!(journal.lines().count(), 5, "header and four points");
    let resumed = run(&full, &["--resume"], None);
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert!(text(&resumed.stderr).contains("4 of 4 points already finished"));
    for name in ["summary.json", "results.csv", "replications.csv"] {
        assert_eq!(
            std::fs::read(full.join(name)).unwrap(),
            std::fs::read(clean.join(name)).unwrap(),
            "{name}"
        );
    }
}

/// `seed` above i64::MAX and `max_clients_inside = u64::MAX` are valid u64
/// values: `check` and `run` accept them (both panicked with "u64 value was
/// too large"; issue 21), and the seed is written as given.
#[test]
fn unsigned_extremes_check_and_run() {
    let dir = scratch("u64-extremes");
    let file = dir.join("big.toml");
    let source =
        overloaded("seed = 9223372036854775808\nmax_clients_inside = 18446744073709551615")
            .replace("horizon = 100000.0", "horizon = 100.0")
            .replace("servers = 1\n", "servers = 3\n");
    std::fs::write(&file, source).unwrap();
    let file = file.to_str().unwrap();
    let out = tiersim(&["check", file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "run",
        file,
        "--out",
        out_dir.to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = std::fs::read_to_string(out_dir.join("summary.json")).unwrap();
    assert!(summary.contains("9223372036854775808"), "the seed as given");
}

/// A small day with 15-minute slots, swept over the front tier's servers
/// (`sweep` true) or at `servers` alone.
fn day(sweep: bool, servers: u32) -> String {
    let axis = if sweep {
        "[sweep]\nbaseline = \"tier.front.servers=3\"\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [2, 3, 4]\n"
    } else {
        ""
    };
    format!(
        r#"name = "day"
[run]
horizon = 2880.0
replications = 3
seed = 11
service_level_threshold = 1.0
[calendar]
slot_minutes = 15
profile = {{ "08:00-18:00" = 1.0 }}
{axis}
[[segment]]
name = "retail"
rate_per_hour = 30.0
patience = {{ dist = "exponential", mean = 5.0 }}
entry = "front"
[[tier]]
name = "front"
servers = {servers}
service = {{ dist = "exponential", mean = 4.0 }}
"#
    )
}

/// A sweep's files are written one point at a time from its journal: each
/// point's entry in `summary.json` is that of a plain run of the point
/// (same seed, so the same clients), and the metrics per slot of the day
/// are kept for the sweep's focus (its baseline) only, not repeated for
/// every point (10,000 points of 15-minute slots made a 459 MB file).
#[test]
fn a_sweeps_files_hold_every_point_and_the_slots_of_its_focus() {
    let dir = scratch("sweep-focus-slots");
    let read = |name: &str, toml: &str| -> serde_json::Value {
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(&file, toml).unwrap();
        let out = dir.join(name);
        let o = tiersim(&[
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        serde_json::from_str(&summary).unwrap()
    };
    let sweep = read("sweep", &day(true, 3));
    let points = sweep["scenarios"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    for (k, servers) in [2, 3, 4].into_iter().enumerate() {
        let alone = read(&format!("alone-{servers}"), &day(false, servers));
        let alone = &alone["scenarios"][0];
        assert!(alone["slots"]["labels"].as_array().unwrap().len() == 96);
        for key in ["overall", "segments", "tiers", "wait_quantiles"] {
            assert_eq!(points[k][key], alone[key], "point {k}: {key}");
        }
        if servers == 3 {
            assert_eq!(points[k]["slots"], alone["slots"], "the baseline's slots");
        } else {
            assert!(
                points[k].get("slots").is_none(),
                "point {k} repeats its slots"
            );
        }
    }
    let results = std::fs::read_to_string(dir.join("sweep/results.csv")).unwrap();
    assert_eq!(results.lines().count(), 4, "{results}");
    let replications = std::fs::read_to_string(dir.join("sweep/replications.csv")).unwrap();
    assert_eq!(replications.lines().count(), 1 + 3 * 3);
    let differences = std::fs::read_to_string(dir.join("sweep/differences.csv")).unwrap();
    assert!(differences.lines().count() > 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `front` escalates half its clients to `back`, by call-back or warm
/// transfer; `back` has `servers`; call-backs reach the client with
/// probability 0.5 in at most 2 attempts of 1 minute.
fn callbacks(transfer: &str, servers: u32, patience: &str) -> String {
    format!(
        r#"name = "callbacks"
[run]
horizon = 40000.0
warmup = 1000.0
replications = 4
seed = 5
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 60.0
{patience}
entry = "front"
[[tier]]
name = "front"
servers = 4
transfer = "{transfer}"
service = {{ dist = "exponential", mean = 1.0 }}
escalate = [{{ to = "back", probability = 0.5 }}]
[[tier]]
name = "back"
servers = {servers}
callback = {{ success = 0.5, attempts = 2, attempt_minutes = 1.0 }}
service = {{ dist = "exponential", mean = 4.0 }}
"#
    )
}

/// The traffic equations count a call-back case's failed attempts and the
/// service it never gets when unreached: 30 cases an hour at `back`, each
/// 0.5 + 0.25 failed attempts of 1 minute, a quarter never reached, so
/// 30/60 × (4 + 0.75 − 0.25 × 4) = 1.875 Erlangs (2 without the
/// correction). The simulated busy servers agree within their CI.
#[test]
fn callback_attempts_are_in_the_offered_load() {
    let m = model(&callbacks("callback", 8, ""));
    let back = &offered_loads(&m)[1];
    assert!((back.offered_load - 1.875).abs() < 1e-12, "{back:?}");
    assert!((back.callback_rate_per_hour - 30.0).abs() < 1e-12);
    let s = tiersim::experiment::run(&m);
    let busy = s.tier("back", "utilization").unwrap();
    let servers = s.tier("back", "servers_mean").unwrap().mean;
    let measured = busy.mean * servers;
    assert!(
        (measured - 1.875).abs() < 3.0 * busy.ci95 * servers + 0.02,
        "busy servers {measured} ± {}",
        busy.ci95 * servers
    );
}

/// A tier over capacity whose clients have patience but that receives
/// call-back cases is UNSTABLE, not "held by abandonment": the cases have
/// no patience and the call-back list grows for the whole run.
#[test]
fn a_growing_callback_list_is_not_held_by_abandonment() {
    use tiersim::report::check::{Check, Verdict, render};
    let patient = "patience = { dist = \"exponential\", mean = 5.0 }";
    // 1.875 Erlangs on one server.
    let by_callback = model(&callbacks("callback", 1, patient));
    let check = Check::of(&by_callback, 1);
    assert_eq!(check.verdicts[1], Verdict::Unstable, "{:?}", check.loads[1]);
    // Warm transfers keep the client on the line, with their patience.
    let warm = model(&callbacks("warm", 1, patient));
    assert_eq!(Check::of(&warm, 1).verdicts[1], Verdict::Saturated);
    let dir = scratch("callback-check");
    let file = dir.join("callbacks.toml");
    std::fs::write(&file, callbacks("callback", 1, patient)).unwrap();
    let sweep = tiersim::scenario::load_sweep(&file).unwrap();
    let text = render("callbacks.toml", &sweep, 1);
    assert!(
        text.contains("call-back cases, which have no patience"),
        "{text}"
    );
    assert!(text.contains("verdict: UNSTABLE"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Outbound calls of 30 minutes with `keep_idle = 0` on a tier loaded at
/// 0.67 by its clients: `check` said "stable", and the run lost 40% of the
/// clients. Now it says that no server is free, so that every client
/// waits for the first busy server to finish: 1 / (2/6 + 1/30) = 2.73
/// minutes if all 2 Erlangs of 6-minute services are served beside 1 of
/// 30-minute calls, up to 30/3 = 10 minutes if calls take all 3 servers,
/// against a patience of 5; the run agrees that most abandon (the calls
/// take the servers of those who leave); keeping one server free makes it
/// stable again.
#[test]
fn outbound_calls_that_keep_no_server_free_are_not_stable() {
    use tiersim::report::check::{Check, Verdict};
    let scenario = |keep_idle: u32| {
        format!(
            r#"name = "outbound"
[run]
horizon = 20000.0
warmup = 500.0
replications = 4
seed = 3
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 20.0
patience = {{ dist = "exponential", mean = 5.0 }}
[[tier]]
name = "desk"
servers = 3
service = {{ dist = "exponential", mean = 6.0 }}
outbound = {{ call = {{ dist = "exponential", mean = 30.0 }}, sale_probability = 0.1, revenue_per_sale = 10.0, keep_idle = {keep_idle} }}
"#
        )
    };
    let none_free = model(&scenario(0));
    let check = Check::of(&none_free, 1);
    let desk = &check.loads[0];
    assert!((desk.utilization - 2.0 / 3.0).abs() < 1e-12);
    assert!((desk.outbound_load - 1.0).abs() < 1e-12, "{desk:?}");
    let (low, high) = desk.outbound_wait.unwrap();
    assert!(
        (low - 1.0 / (2.0 / 6.0 + 1.0 / 30.0)).abs() < 1e-12,
        "{desk:?}"
    );
    assert!((high - 10.0).abs() < 1e-12, "{desk:?}");
    assert_eq!(check.verdicts[0], Verdict::OutboundWait);
    let abandon = tiersim::experiment::run(&none_free)
        .overall("abandon_rate")
        .unwrap();
    // Exponential patience of mean 5 against waits of 2.7 to 10 minutes.
    assert!(abandon.mean > 2.7 / 7.7, "abandon rate {abandon:?}");
    let one_free = model(&scenario(1));
    assert_eq!(Check::of(&one_free, 1).verdicts[0], Verdict::Stable);
    assert!(Check::of(&one_free, 1).loads[0].outbound_wait.is_none());
}

/// Nobody has patience, so the abandonment rate is 0 in every replication:
/// its Student-t interval has width 0 and claims nothing at 95%. A met plan
/// then says that the target held in every replication, not that it holds
/// with 95% confidence; a target that varied keeps the 95% claim.
#[test]
fn a_plan_claims_no_confidence_from_values_that_did_not_vary() {
    use tiersim::plan::{PlanOptions, Verdict, plan};
    let toml = |targets: &str| {
        format!(
            r#"name = "flat"
[run]
horizon = 2000.0
replications = 2
seed = 4
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 30.0
[[tier]]
name = "front"
servers = 2
service = {{ dist = "exponential", mean = 3.0 }}
[targets]
{targets}
[cost]
hourly = {{ front = 30.0 }}
"#
        )
    };
    let options = PlanOptions {
        replications: Some(2),
    };
    let s = tiersim::scenario::parse(&toml("abandon_rate = 0.5"), "flat.toml").unwrap();
    let p = plan(&s.model, &s.goals, &options, &|_| {});
    assert_eq!(p.verdict, Verdict::Met, "{:?}", p.verdict);
    assert_eq!(p.targets[0].estimate.ci95, 0.0);
    let claim = p.met_claim();
    assert!(!claim.contains("95% confidence"), "{claim}");
    assert!(
        claim.contains("overall.abandon_rate did not vary"),
        "{claim}"
    );
    let s = tiersim::scenario::parse(&toml("wait_mean = 100.0"), "flat.toml").unwrap();
    let p = plan(&s.model, &s.goals, &options, &|_| {});
    assert_eq!(p.verdict, Verdict::Met, "{:?}", p.verdict);
    assert!(
        p.met_claim().contains("with 95% confidence"),
        "{}",
        p.met_claim()
    );
}

/// A warning carries the file, line and column of the tier it names, as
/// errors do; the text in `summary.json` stays without them.
#[test]
fn warnings_carry_file_and_line() {
    let dir = scratch("warning-lines");
    let file = dir.join("idle.toml");
    std::fs::write(
        &file,
        "name = \"idle\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 1.0\n\
         [[segment]]\nname = \"s\"\nrate_per_hour = 6.0\nentry = \"front\"\n\
         [[tier]]\nname = \"front\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n\
         [[tier]]\nname = \"spare\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n",
    )
    .unwrap();
    let o = tiersim(&["check", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let want = format!(
        "warning: {}:14:8: tier `spare` is never reached",
        file.display()
    );
    assert!(text(&o.stderr).contains(&want), "{}", text(&o.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}
