//! Trace replay (`arrivals = { trace = "file.csv" }`): a replayed trace
//! arrives exactly as written, in every replication, while what is not
//! replayed (service, patience) still varies; an M/M/1 queue fed traces
//! drawn from a Poisson process has the analytic wait; bad traces are
//! refused naming the trace's line and column.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use tiersim::engine::stats::t_quantile_975;
use tiersim::experiment;
use tiersim::model::{Model, simulate};

use crate::common::scratch;

/// A one-desk scenario in `dir` whose segment replays `trace` (CSV text).
fn replayed(dir: &Path, trace: &str, extra: &str) -> Model {
    std::fs::write(dir.join("arrivals.csv"), trace).unwrap();
    let scenario = format!(
        "name = \"replay\"\n[run]\nhorizon = 1440.0\nservice_level_threshold = 0.5\nreplications = 3\nseed = 7\n{extra}\n\
         [[segment]]\nname = \"callers\"\narrivals = {{ trace = \"arrivals.csv\" }}\n\
         patience = {{ dist = \"exponential\", mean = 2.0 }}\n\
         [[tier]]\nname = \"desk\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 3.0 }}\n"
    );
    let file = dir.join("replay.toml");
    std::fs::write(&file, &scenario).unwrap();
    match tiersim::scenario::load(&file) {
        Ok(s) => s.model,
        Err(e) => panic!("{e}"),
    }
}

/// Arrivals at stated minutes of the day: every replication counts exactly
/// the trace's arrivals in each hourly slot, yet the replications differ in
/// what is drawn (waits, abandonments).
#[test]
fn a_replayed_trace_reproduces_its_arrivals_slot_by_slot() {
    let dir = scratch("trace-slots");
    let times = [
        0.0, 5.0, 5.0, 59.9, 61.0, 180.0, 181.5, 182.0, 183.0, 1439.0,
    ];
    let text: String = std::iter::once("arrival\n".to_string())
        .chain(times.iter().map(|t| format!("{t}\n")))
        .collect();
    let model = replayed(&dir, &text, "[calendar]\nslot_minutes = 60\n");
    let mut expected = [0u64; 24];
    for t in times {
        expected[(t / 60.0) as usize] += 1;
    }
    let runs: Vec<_> = (0..3).map(|r| simulate(&model, r)).collect();
    for run in &runs {
        let slots: Vec<u64> = run.slots.iter().map(|s| s.arrived).collect();
        assert_eq!(slots, expected);
        assert_eq!(run.segments[0].arrived, times.len() as u64);
    }
    let waits: Vec<f64> = runs.iter().map(|r| r.segments[0].wait.sum).collect();
    assert!(waits[0] != waits[1] || waits[1] != waits[2], "{waits:?}");
}

/// A trace's `request` column sets each arrival's request type.
#[test]
fn a_trace_sets_request_types() {
    let dir = scratch("trace-requests");
    std::fs::write(dir.join("arrivals.csv"), "arrival,request\n1,b\n2,a\n3,b\n").unwrap();
    let scenario = "name = \"replay\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 0.5\nreplications = 2\n\
        [[request]]\nname = \"a\"\n[[request]]\nname = \"b\"\n\
        [[segment]]\nname = \"s\"\narrivals = { trace = \"arrivals.csv\" }\nrequests = { a = 0.5, b = 0.5 }\n\
        [[tier]]\nname = \"desk\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n";
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario).unwrap();
    let model = tiersim::scenario::load(&file).unwrap().model;
    for r in 0..2 {
        let run = simulate(&model, r);
        let counts: Vec<u64> = run.requests.iter().map(|q| q.arrived).collect();
        assert_eq!(counts, vec![1, 2]);
    }
}

/// M/M/1 at ρ = 0.7: `Wq = ρ/(μ-λ)` = 7/3 min. Each of 20 traces is a
/// Poisson process of rate 0.7/min drawn with its own seed over 20,000
/// minutes (warm-up 1,000, about 27 relaxation times); one replication of
/// each (exponential service of mean 1). The 20 waits are independent
/// draws of the M/M/1 mean wait, so their mean agrees with theory within
/// four standard errors.
#[test]
fn mm1_fed_poisson_traces_has_the_analytic_wait() {
    let dir = scratch("trace-mm1");
    let (lambda, horizon) = (0.7, 20_000.0);
    let waits: Vec<f64> = (0..20u64)
        .map(|k| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(1000 + k);
            let mut text = String::from("arrival\n");
            let mut t = 0.0;
            loop {
                let u: f64 = rng.random();
                t += -(1.0 - u).ln() / lambda;
                if t > horizon {
                    break;
                }
                text.push_str(&format!("{t}\n"));
            }
            std::fs::write(dir.join("arrivals.csv"), &text).unwrap();
            let scenario = format!(
                "name = \"mm1\"\n[run]\nhorizon = {horizon:?}\nservice_level_threshold = 0.5\nwarmup = 1000.0\nreplications = 1\nseed = {k}\n\
                 [[segment]]\nname = \"c\"\narrivals = {{ trace = \"arrivals.csv\" }}\n\
                 [[tier]]\nname = \"desk\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n"
            );
            let file = dir.join("mm1.toml");
            std::fs::write(&file, scenario).unwrap();
            let model = tiersim::scenario::load(&file).unwrap().model;
            experiment::run(&model).overall("wait_mean").unwrap().mean
        })
        .collect();
    let n = waits.len() as f64;
    let mean = waits.iter().sum::<f64>() / n;
    let var = waits.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt();
    let expected = 0.7 / (1.0 - 0.7);
    let z = (mean - expected) / se;
    eprintln!(
        "M/M/1 traces: {mean:.4} +/- {:.4} vs {expected:.4}, z = {z:+.2}",
        t_quantile_975(19) * se
    );
    assert!(z.abs() <= 4.0, "{mean} vs {expected}: z = {z}");
    assert!(se <= 0.05 * expected, "se {se} too wide");
    // The same queue with its Poisson arrivals drawn by the simulator (20
    // replications): the two means agree within four standard errors of
    // their difference (each SE from its own 95% CI or sample variance).
    let scenario = format!(
        "name = \"mm1\"\n[run]\nhorizon = {horizon:?}\nservice_level_threshold = 0.5\nwarmup = 1000.0\nreplications = 20\nseed = 99\n\
         [[segment]]\nname = \"c\"\nrate_per_hour = 42.0\n\
         [[tier]]\nname = \"desk\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n"
    );
    let file = dir.join("poisson.toml");
    std::fs::write(&file, scenario).unwrap();
    let model = tiersim::scenario::load(&file).unwrap().model;
    let poisson = experiment::run(&model).overall("wait_mean").unwrap();
    let se_poisson = poisson.ci95 / t_quantile_975(19);
    let z = (mean - poisson.mean) / (se * se + se_poisson * se_poisson).sqrt();
    eprintln!(
        "Poisson run: {:.4} +/- {:.4}, z = {z:+.2}",
        poisson.mean, poisson.ci95
    );
    assert!(
        z.abs() <= 4.0,
        "traces {mean} vs Poisson run {}: z = {z}",
        poisson.mean
    );
}

/// One replayed arrival at minute 10, one desk, a deterministic 3-minute
/// service: exactly one call, served at once (wait 0, no abandonment), the
/// desk busy 3 of the horizon's 100 minutes, in every replication. Two
/// arrivals at the same minute with a patience of 5: the second waits
/// exactly 3 minutes.
#[test]
fn one_replayed_arrival_has_the_exact_result() {
    let dir = scratch("trace-one");
    let run = |trace: &str| {
        std::fs::write(dir.join("one.csv"), trace).unwrap();
        let scenario = "name = \"one\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 0.5\nreplications = 3\n\
            [[segment]]\nname = \"s\"\narrivals = { trace = \"one.csv\" }\n\
            patience = { dist = \"deterministic\", mean = 5.0 }\n\
            [[tier]]\nname = \"desk\"\nservers = 1\nservice = { dist = \"deterministic\", mean = 3.0 }\n";
        let file = dir.join("one.toml");
        std::fs::write(&file, scenario).unwrap();
        let model = tiersim::scenario::load(&file).unwrap().model;
        experiment::run(&model)
    };
    let one = run("arrival\n10\n");
    let get = |s: &tiersim::experiment::ScenarioSummary, m: &str| s.overall(m).unwrap();
    assert_eq!(get(&one, "arrived").mean, 1.0);
    assert_eq!(get(&one, "arrived").ci95, 0.0);
    assert_eq!(get(&one, "wait_mean").mean, 0.0);
    assert_eq!(get(&one, "abandon_rate").mean, 0.0);
    let busy = one.tier("desk", "utilization").unwrap();
    assert!((busy.mean - 0.03).abs() < 1e-12, "{busy:?}");
    let two = run("arrival\n10\n10\n");
    assert_eq!(get(&two, "arrived").mean, 2.0);
    assert_eq!(get(&two, "abandon_rate").mean, 0.0);
    assert!((get(&two, "wait_mean").mean - 1.5).abs() < 1e-12);
    assert_eq!(get(&two, "wait_mean").ci95, 0.0);
}

/// Exactly one of `rate_per_hour` and `arrivals` is given; a trace that is
/// not sorted, has a negative time or an unknown column is refused naming
/// the trace file, its line and column and what is expected.
#[test]
fn bad_traces_and_arrivals_are_refused() {
    let dir = scratch("trace-bad");
    let scenario = |segment: &str| {
        format!(
            "name = \"bad\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 0.5\n[[segment]]\nname = \"s\"\n{segment}\n\
             [[tier]]\nname = \"desk\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n"
        )
    };
    let message = |segment: &str, trace: &str| {
        std::fs::write(dir.join("t.csv"), trace).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(&file, scenario(segment)).unwrap();
        match tiersim::scenario::load(&file) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted: {segment} / {trace}"),
        }
    };
    let with = "arrivals = { trace = \"t.csv\" }";
    let m = message(with, "arrival\n1\n3\n2\n");
    assert!(m.contains("t.csv:4:1: column `arrival`: got 2, before the previous row's 3; allowed: rows sorted by arrival"), "{m}");
    assert!(m.contains("segment.s.arrivals.trace"), "{m}");
    let m = message(with, "arrival\n-1\n");
    assert!(
        m.contains(
            "t.csv:2:1: column `arrival`: got `-1`; allowed: minutes from the run's start, a finite number >= 0"
        ),
        "{m}"
    );
    let m = message(with, "arrival,when\n1,2\n");
    assert!(m.contains("t.csv:1:2: got unknown column `when`"), "{m}");
    let m = message("arrivals = { trace = \"missing.csv\" }", "arrival\n");
    assert!(m.contains("cannot read the trace file"), "{m}");
    let m = message(&format!("rate_per_hour = 3.0\n{with}"), "arrival\n1\n");
    assert!(m.contains("give one of them"), "{m}");
    let m = message("priority = 1", "arrival\n1\n");
    assert!(
        m.contains("segment.s.rate_per_hour") && m.contains("missing"),
        "{m}"
    );
}

/// A trace's `service` column replays each arrival's service length: one
/// desk, no patience, arrivals at 0, 1 and 1.5 minutes served 2, 1 and 0.5
/// minutes wait 0, 1 and 1.5 minutes (2.5 in all) in every replication,
/// whatever the scenario's service distribution; a row with an empty
/// `service` has its service drawn, so the replications then differ.
#[test]
fn a_trace_replays_each_arrivals_service() {
    let dir = scratch("trace-service");
    let model = |trace: &str| {
        std::fs::write(dir.join("arrivals.csv"), trace).unwrap();
        let scenario = "name = \"replay\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 0.5\nreplications = 3\n\
            [[segment]]\nname = \"s\"\narrivals = { trace = \"arrivals.csv\" }\n\
            [[tier]]\nname = \"desk\"\nservers = 1\nservice = { dist = \"exponential\", mean = 30.0 }\n";
        let file = dir.join("s.toml");
        std::fs::write(&file, scenario).unwrap();
        tiersim::scenario::load(&file).unwrap().model
    };
    let exact = model("arrival,service\n0,2\n1,1\n1.5,0.5\n");
    for r in 0..3 {
        let run = simulate(&exact, r);
        assert_eq!(run.segments[0].served, 3);
        assert!((run.segments[0].wait.sum - 2.5).abs() < 1e-9, "{r}");
    }
    let drawn = model("arrival,service\n0,\n1,1\n1.5,0.5\n");
    let waits: Vec<f64> = (0..3)
        .map(|r| simulate(&drawn, r).segments[0].wait.sum)
        .collect();
    assert!(waits[0] != waits[1] || waits[1] != waits[2], "{waits:?}");
}
