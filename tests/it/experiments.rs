//! Sweeps, replications to a precision, common random numbers and paired
//! comparisons, resume after a kill, shards and merge, the manifest, and
//! bad input to all of them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tiersim::experiment::{self, ReplicationMetrics, Shape, paired};
use tiersim::scenario::{self, parse_sweep};
use tiersim::{Error, model::Model};

use crate::common::{scratch, text, tiersim};

/// A two-tier model (like the tiered benchmark) with a sweep over junior
/// staffing and the VIP rate: 4 x 2 = 8 points, `replications` each.
fn sweep_toml(horizon: f64, replications: u32) -> String {
    format!(
        r#"name = "sweep-test"
[run]
horizon = {horizon}
warmup = 100.0
replications = {replications}
seed = 42
service_level_threshold = 0.5

[sweep]
baseline = "tier.junior.servers=8,segment.vip.rate_per_hour=96"

[[sweep.axis]]
path = "tier.junior.servers"
range = {{ start = 7, stop = 10, step = 1 }}

[[sweep.axis]]
path = "segment.vip.rate_per_hour"
values = [96, 120.0]

[[segment]]
name = "vip"
rate_per_hour = 96.0
patience = {{ dist = "exponential", mean = 5.0 }}
priority = 0
entry = "junior"

[[segment]]
name = "ordinary"
rate_per_hour = 384.0
patience = {{ dist = "exponential", mean = 5.0 }}
priority = 1
entry = "junior"

[[tier]]
name = "junior"
servers = 8
service = {{ dist = "exponential", mean = 1.0 }}
escalate = [{{ to = "senior", probability = 0.25 }}]

[[tier]]
name = "senior"
servers = 3
discipline = "fifo"
service = {{ dist = "exponential", mean = 2.0 }}
"#
    )
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The files a finished sweep must reproduce byte for byte.
const FINAL_FILES: [&str; 4] = [
    "summary.json",
    "results.csv",
    "replications.csv",
    "differences.csv",
];

fn assert_same_files(a: &Path, b: &Path) {
    for f in FINAL_FILES {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn grid_and_zip_expansion_with_readable_names() {
    let sweep = parse_sweep(&sweep_toml(1000.0, 2), "s.toml").unwrap();
    assert_eq!(
        sweep.axes,
        ["tier.junior.servers", "segment.vip.rate_per_hour"]
    );
    let names: Vec<&str> = sweep.points.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 8);
    assert_eq!(
        names[0],
        "tier.junior.servers=7,segment.vip.rate_per_hour=96"
    );
    assert_eq!(
        names[1],
        "tier.junior.servers=7,segment.vip.rate_per_hour=120"
    );
    assert_eq!(
        names[7],
        "tier.junior.servers=10,segment.vip.rate_per_hour=120"
    );
    assert_eq!(sweep.baseline, Some(2));
    let p = &sweep.points[7].scenario.model;
    assert_eq!(p.tiers[0].servers.count(), Some(10));
    assert_eq!(p.segments[0].rate_per_hour, 120.0);
    // The rest of the model is untouched.
    assert_eq!(p.tiers[1].servers.count(), Some(3));
    // zip pairs the axes value by value.
    let zipped = sweep_toml(1000.0, 2)
        .replace(
            "[sweep]\nbaseline = \"tier.junior.servers=8,segment.vip.rate_per_hour=96\"",
            "[sweep]\ncombine = \"zip\"",
        )
        .replace(
            "range = { start = 7, stop = 10, step = 1 }",
            "values = [7, 9]",
        );
    let z = parse_sweep(&zipped, "z.toml").unwrap();
    let names: Vec<&str> = z.points.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "tier.junior.servers=7,segment.vip.rate_per_hour=96",
            "tier.junior.servers=9,segment.vip.rate_per_hour=120"
        ]
    );
    // A file without axes is a sweep of one point named after the scenario.
    let one = parse_sweep(
        &std::fs::read_to_string("scenarios/two-tier.toml").unwrap(),
        "t.toml",
    )
    .unwrap();
    assert_eq!(one.points.len(), 1);
    assert_eq!(one.points[0].name, "two-tier");
}

#[test]
fn ranges_choices_and_escalation_paths() {
    let base = std::fs::read_to_string("scenarios/two-tier.toml").unwrap();
    let with = |axes: &str| format!("{base}\n[sweep]\n{axes}");
    let s = parse_sweep(
        &with("[[sweep.axis]]\npath = \"tier.front.escalate.expert.probability\"\nrange = { start = 0.1, stop = 0.3, step = 0.1 }\n"),
        "r.toml",
    )
    .unwrap();
    let names: Vec<&str> = s.points.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "tier.front.escalate.expert.probability=0.1",
            "tier.front.escalate.expert.probability=0.2",
            "tier.front.escalate.expert.probability=0.3"
        ]
    );
    assert_eq!(
        s.points[2].scenario.model.tiers[0].routes[0][0].probability,
        0.3
    );
    // A choice field, and an optional field absent from the file.
    let s = parse_sweep(
        &with(
            "combine = \"zip\"\n[[sweep.axis]]\npath = \"tier.expert.discipline\"\nvalues = [\"fifo\", \"priority\"]\n\
             [[sweep.axis]]\npath = \"tier.expert.queue_capacity\"\nvalues = [5, 10]\n",
        ),
        "c.toml",
    )
    .unwrap();
    assert_eq!(
        s.points[0].scenario.model.tiers[1].discipline,
        tiersim::model::Discipline::Fifo
    );
    assert_eq!(s.points[1].scenario.model.tiers[1].queue_capacity, Some(10));
}

/// The problems of a sweep file that must be rejected.
fn sweep_problems(toml: &str) -> Vec<tiersim::error::Problem> {
    match parse_sweep(toml, "bad.toml") {
        Err(Error::Scenario(e)) => {
            assert!(
                e.rendered.contains("bad.toml:") && e.rendered.contains('^'),
                "{}",
                e.rendered
            );
            e.problems
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(s) => panic!("accepted a sweep of {} points", s.points.len()),
    }
}

fn rejects_sweep(axes: &str, text: &str) {
    let base = std::fs::read_to_string("scenarios/two-tier.toml").unwrap();
    let found = sweep_problems(&format!("{base}\n[sweep]\n{axes}"));
    assert!(
        found
            .iter()
            .any(|p| p.message.contains(text) && p.line > 30),
        "expected `{text}`; got {found:#?}"
    );
}

#[test]
fn bad_sweeps_are_rejected_with_the_axis_line() {
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servrs\"\nvalues = [1]\n",
        "did you mean `servers`?",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.back.servers\"\nvalues = [1]\n",
        "no `back` in `tier`",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [\"many\"]\n",
        "is an integer in the file",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [2.5]\n",
        "is an integer in the file",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servers\"\nrange = { start = 5, stop = 1, step = 1 }\n",
        "an empty range",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servers\"\nrange = { start = 1, stop = 5, step = 0 }\n",
        "an empty range",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = []\n",
        "an empty list",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [0, 4]\n",
        "point `tier.front.servers=0` is not a valid scenario",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.name\"\nvalues = [\"x\"]\n",
        "cannot be swept",
    );
    rejects_sweep(
        "[[sweep.axis]]\npath = \"tier.front.wobble\"\nvalues = [1]\n",
        "unknown field `wobble`",
    );
    rejects_sweep(
        "combine = \"zip\"\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [1, 2]\n[[sweep.axis]]\npath = \"tier.expert.servers\"\nvalues = [1]\n",
        "every axis needs the same number",
    );
    rejects_sweep(
        "baseline = \"tier.front.servers=12\"\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [10, 11]\n",
        "no point named",
    );
    rejects_sweep(
        "combine = \"cross\"\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [10]\n",
        "unknown combine",
    );
}

fn metrics(model: &Model) -> Vec<ReplicationMetrics> {
    experiment::replicate(model)
        .iter()
        .map(ReplicationMetrics::of)
        .collect()
}

/// Common random numbers: on a staffing change (8 -> 9 juniors on a tier
/// loaded near capacity) the 95% CI of the paired difference in mean wait
/// is far narrower when both sides see the same clients than with
/// independent streams. "Far" is stated as at least halving the interval
/// (a variance cut of 75% or more); on this fixed seed pairing removes
/// about 90% of the variance and narrows the interval about threefold.
#[test]
fn common_random_numbers_narrow_the_difference() {
    let toml = sweep_toml(3000.0, 20)
        .replace(
            "\n[sweep]\nbaseline = \"tier.junior.servers=8,segment.vip.rate_per_hour=96\"\n",
            "\n",
        )
        .split("[[sweep.axis]]")
        .next()
        .unwrap()
        .to_string()
        + &sweep_toml(3000.0, 20)[sweep_toml(3000.0, 20).find("[[segment]]").unwrap()..];
    let a = scenario::parse(&toml, "a.toml").unwrap().model;
    let mut b = a.clone();
    b.tiers[0].servers = b.tiers[0].servers.with_count(9);
    let shape = Shape::of(&a);
    let (ma, mb) = (metrics(&a), metrics(&b));
    let crn = paired(&shape, &ma, &shape, &mb);
    let mut independent_b = b.clone();
    independent_b.run.seed = 4242;
    let ind = paired(&shape, &ma, &shape, &metrics(&independent_b));
    let pick = |d: &[experiment::Difference]| {
        d.iter()
            .find(|d| d.group == "overall" && d.metric == "wait_mean")
            .unwrap()
            .clone()
    };
    let (c, i) = (pick(&crn), pick(&ind));
    assert!(c.difference.mean < 0.0 && c.significant, "{c:?}");
    assert!(
        c.difference.ci95 * 2.0 < i.difference.ci95,
        "CRN {:?} vs independent {:?}",
        c.difference,
        i.difference
    );
    assert!(c.variance_reduction > 0.75, "{c:?}");
    // Arrivals are identical replication by replication, so their
    // difference is exactly zero with CRN.
    let arrived = crn
        .iter()
        .find(|d| d.group == "overall" && d.metric == "arrived")
        .unwrap();
    assert_eq!(
        (arrived.difference.mean, arrived.difference.ci95),
        (0.0, 0.0)
    );
}

#[test]
fn compare_reports_paired_differences_and_crn_gain() {
    let dir = scratch("compare");
    let base = std::fs::read_to_string("scenarios/two-tier.toml").unwrap();
    let a = write(
        &dir,
        "a.toml",
        &base.replace("horizon = 100000.0", "horizon = 20000.0"),
    );
    let b = write(
        &dir,
        "b.toml",
        &base
            .replace("horizon = 100000.0", "horizon = 20000.0")
            .replace("name = \"two-tier\"", "name = \"more-experts\"")
            .replace("servers = 3", "servers = 4"),
    );
    let out = dir.join("out");
    let o = tiersim(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    assert!(
        table.contains("tier.expert.wait_mean (min)") && table.contains("better"),
        "{table}"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("compare.json")).unwrap()).unwrap();
    let c = &doc["comparison"];
    assert_eq!(
        (c["a"].as_str(), c["b"].as_str()),
        (Some("two-tier"), Some("more-experts"))
    );
    assert_eq!(c["common_random_numbers"], true);
    let w = &c["differences"]["tier.expert"]["wait_mean"];
    assert!(
        w["mean"].as_f64().unwrap() < 0.0 && w["significant"] == true,
        "{w}"
    );
    let front = &c["differences"]["tier.front"]["wait_mean"];
    // The front tier is the same in both and sees the same clients.
    assert_eq!(front["mean"].as_f64(), Some(0.0), "{front}");
    // Pairing removes variance: Var(B - A) < Var(A) + Var(B).
    assert!(w["variance_reduction"].as_f64().unwrap() > 0.0, "{w}");
    for f in [
        "summary.json",
        "results.csv",
        "replications.csv",
        "differences.csv",
        "manifest.json",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
}

/// Staff cost per hour of point `i` of a compare's `summary.json`.
fn staff_cost(out: &Path, i: usize) -> Option<f64> {
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    doc["scenarios"][i]["cost"]["staff_per_hour"]["mean"].as_f64()
}

#[test]
fn a_scenario_without_cost_is_costed_at_the_other_ones_rates() {
    let dir = scratch("compare-cost");
    let base = std::fs::read_to_string("scenarios/two-tier.toml")
        .unwrap()
        .replace("horizon = 100000.0", "horizon = 5000.0")
        .replace("replications = 10", "replications = 2");
    let priced = format!("{base}\n[cost]\nhourly = {{ front = 20.0, expert = 50.0 }}\n");
    let a = write(&dir, "a.toml", &priced);
    let b = write(&dir, "b.toml", &base.replace("servers = 3", "servers = 4"));
    let run = |a: &Path, b: &Path, out: &str| {
        let out = dir.join(out);
        let o = tiersim(&[
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        (out, text(&o.stderr), text(&o.stdout))
    };
    // Fixed staffing: the cost is exactly rate times servers, B's at A's rates.
    let (out, err, table) = run(&a, &b, "b-unpriced");
    assert!(
        err.contains("B has no [cost]: its staff is costed at A's hourly rates"),
        "{err}"
    );
    assert_eq!(staff_cost(&out, 0), Some(20.0 * 10.0 + 50.0 * 3.0));
    assert_eq!(staff_cost(&out, 1), Some(20.0 * 10.0 + 50.0 * 4.0));
    assert!(table.contains("staff cost per hour: A 350"), "{table}");
    // The other way round: A is costed at B's rates.
    let (out, err, _) = run(&b, &a, "a-unpriced");
    assert!(
        err.contains("A has no [cost]: its staff is costed at B's hourly rates"),
        "{err}"
    );
    assert_eq!(staff_cost(&out, 0), Some(20.0 * 10.0 + 50.0 * 4.0));
    // A tier that the priced scenario does not have: no borrowed cost.
    let extra = base
        .replace("name = \"expert\"", "name = \"specialist\"")
        .replace("to = \"expert\"", "to = \"specialist\"");
    let c = write(&dir, "c.toml", &extra);
    let (out, err, _) = run(&a, &c, "c-unpriced");
    assert!(err.contains("A prices no tier specialist"), "{err}");
    assert_eq!(staff_cost(&out, 1), None);
}

#[test]
fn sweep_outputs_are_identical_whatever_the_thread_count() {
    let dir = scratch("sweep-threads");
    let file = write(&dir, "s.toml", &sweep_toml(2000.0, 3));
    for threads in ["1", "2", "3"] {
        let out = dir.join(threads);
        let o = tiersim(&[
            "sweep",
            file.to_str().unwrap(),
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        // Not a terminal: plain progress lines, the last at 100%.
        let err = text(&o.stderr);
        assert!(err.contains("progress: 24/24 replications (100%)"), "{err}");
    }
    assert_same_files(&dir.join("1"), &dir.join("2"));
    assert_same_files(&dir.join("1"), &dir.join("3"));
    // One row per point in results.csv, one per (point, replication) in
    // replications.csv, parameter columns first.
    let results = std::fs::read_to_string(dir.join("1/results.csv")).unwrap();
    assert_eq!(results.lines().count(), 1 + 8);
    assert!(results.starts_with("point,name,tier.junior.servers,segment.vip.rate_per_hour,replications,stop_reason,overall.arrived.mean,overall.arrived.ci95"));
    assert!(results.lines().nth(8).unwrap().starts_with(
        "7,\"tier.junior.servers=10,segment.vip.rate_per_hour=120\",10,120,3,replications,"
    ));
    assert_eq!(
        std::fs::read_to_string(dir.join("1/replications.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 8 * 3
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("1/summary.json")).unwrap()).unwrap();
    let points = summary["scenarios"].as_array().unwrap();
    assert_eq!(points.len(), 8);
    assert_eq!(points[3]["parameters"]["tier.junior.servers"], 8);
    assert_eq!(points[3]["parameters"]["segment.vip.rate_per_hour"], 120.0);
    assert_eq!(
        points[2]["vs_baseline"]["overall"]["wait_mean"]["mean"],
        0.0
    );
    assert!(
        points[0]["vs_baseline"]["overall"]["wait_mean"]["mean"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

/// Replications to a precision: with a reachable target every point stops
/// for `precision` with an interval at most that wide, some after adding
/// replications to the first 3; with an unreachable one every point stops
/// at `--max-replications`. Why each point stopped is in the summary and
/// the manifest.
#[test]
fn precision_adds_replications_and_records_why_each_point_stopped() {
    let dir = scratch("precision");
    let file = write(&dir, "s.toml", &sweep_toml(2000.0, 3));
    let run = |target: &str, max: &str, out: &Path| -> Vec<(u64, String, f64, f64)> {
        let spec = format!("wait_mean={target}");
        let o = tiersim(&[
            "sweep",
            file.to_str().unwrap(),
            "--precision",
            &spec,
            "--max-replications",
            max,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let read = |f: &str| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(out.join(f)).unwrap()).unwrap()
        };
        let (summary, manifest) = (read("summary.json"), read("manifest.json"));
        let points = summary["scenarios"].as_array().unwrap();
        let listed = manifest["manifest"]["points"].as_array().unwrap();
        assert_eq!(points.len(), listed.len());
        points
            .iter()
            .zip(listed)
            .map(|(p, m)| {
                assert_eq!(m["replications"], p["replications"]);
                assert_eq!(m["stop_reason"], p["stop_reason"]);
                let w = &p["overall"]["wait_mean"];
                (
                    p["replications"].as_u64().unwrap(),
                    p["stop_reason"].as_str().unwrap().to_string(),
                    w["mean"].as_f64().unwrap(),
                    w["ci95"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let reached = run("0.05", "400", &dir.join("reached"));
    for (reps, reason, mean, ci) in &reached {
        assert_eq!(reason, "precision");
        assert!(*ci <= 0.05 * mean && *reps >= 3, "{reps} {mean} {ci}");
    }
    assert!(
        reached.iter().any(|p| p.0 > 3),
        "no point needed more replications: {reached:?}"
    );
    let capped = run("0.0001", "5", &dir.join("capped"));
    for (reps, reason, mean, ci) in &capped {
        assert_eq!((reason.as_str(), *reps), ("max_replications", 5));
        assert!(*ci > 0.0001 * mean);
    }
    let o = tiersim(&[
        "sweep",
        file.to_str().unwrap(),
        "--precision",
        "wait_meen=0.05",
        "--out",
        dir.join("bad").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("no metric `wait_meen`"),
        "{}",
        text(&o.stderr)
    );
}

/// Waits until `file` has at least `lines` complete lines, or panics.
pub(crate) fn wait_for_lines(file: &Path, lines: usize) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if std::fs::read_to_string(file).is_ok_and(|t| t.matches('\n').count() >= lines) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never reached {lines} lines", file.display());
}

/// A sweep killed half-way (SIGKILL, then separately Ctrl-C) and resumed
/// computes only the missing points and ends with files byte-identical to
/// an uninterrupted run.
#[test]
fn killed_sweep_resumes_to_identical_files() {
    let dir = scratch("resume");
    // About a tenth of a second per point on one thread.
    let file = write(&dir, "s.toml", &sweep_toml(15000.0, 4));
    let full = dir.join("full");
    let o = tiersim(&[
        "sweep",
        file.to_str().unwrap(),
        "--threads",
        "1",
        "--out",
        full.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for signal in ["KILL", "INT"] {
        let out = dir.join(signal);
        let child = Command::new(env!("CARGO_BIN_EXE_tiersim"))
            .args([
                "sweep",
                file.to_str().unwrap(),
                "--threads",
                "1",
                "--out",
                out.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The header and three finished points are on disk: stop it.
        wait_for_lines(&out.join("points.jsonl"), 4);
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let o = child.wait_with_output().unwrap();
        assert!(!o.status.success());
        if signal == "INT" {
            assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
            assert!(text(&o.stderr).contains("--resume"), "{}", text(&o.stderr));
        }
        assert!(!out.join("summary.json").exists());
        let saved = std::fs::read_to_string(out.join("points.jsonl"))
            .unwrap()
            .matches('\n')
            .count()
            - 1;
        assert!((3..8).contains(&saved), "{saved} points saved");
        let o = tiersim(&[
            "sweep",
            file.to_str().unwrap(),
            "--threads",
            "2",
            "--resume",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(&format!("resuming: {saved} of 8 points already finished")),
            "{}",
            text(&o.stderr)
        );
        assert_same_files(&full, &out);
    }
}

/// `--resume` needs the very same scenario file; without it, an edited
/// version of the same scenario replaces the results, but the folder of
/// another scenario is never overwritten.
#[test]
fn resume_or_overwrite_of_another_scenarios_folder_is_refused() {
    let dir = scratch("other");
    let a = write(&dir, "a.toml", &sweep_toml(1000.0, 2));
    let edited = write(
        &dir,
        "edited.toml",
        &sweep_toml(1000.0, 2).replace("seed = 42", "seed = 43"),
    );
    let other = write(
        &dir,
        "other.toml",
        &sweep_toml(1000.0, 2).replace("sweep-test", "other-scenario"),
    );
    let out = dir.join("out");
    assert!(
        tiersim(&["sweep", a.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let read_all = || -> Vec<Vec<u8>> {
        FINAL_FILES
            .iter()
            .map(|f| std::fs::read(out.join(f)).unwrap())
            .collect()
    };
    let before = read_all();
    for (file, extra, message) in [
        (
            &other,
            Some("--resume"),
            "holds the results of scenario `sweep-test`",
        ),
        (&other, None, "holds the results of scenario `sweep-test`"),
        (&edited, Some("--resume"), "cannot resume"),
    ] {
        let mut args = vec![
            "sweep",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = tiersim(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            text(&o.stderr).contains(message),
            "{args:?}: {}",
            text(&o.stderr)
        );
        assert_eq!(read_all(), before, "{args:?} changed the results on disk");
    }
    // Re-running the edited file without --resume replaces the results.
    assert!(
        tiersim(&[
            "sweep",
            edited.to_str().unwrap(),
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert_ne!(read_all()[0], before[0]);
}

#[test]
fn shards_merge_into_the_unsharded_files() {
    let dir = scratch("shards");
    let file = write(&dir, "s.toml", &sweep_toml(2000.0, 3));
    let full = dir.join("full");
    assert!(
        tiersim(&[
            "sweep",
            file.to_str().unwrap(),
            "--out",
            full.to_str().unwrap()
        ])
        .status
        .success()
    );
    let mut parts = Vec::new();
    for k in 1..=3 {
        let out = dir.join(format!("part{k}"));
        let o = tiersim(&[
            "sweep",
            file.to_str().unwrap(),
            "--shard",
            &format!("{k}/3"),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(out.join("manifest.json").exists() && !out.join("summary.json").exists());
        parts.push(out.to_str().unwrap().to_string());
    }
    let merged = dir.join("merged");
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(String::as_str));
    args.extend(["--out", merged.to_str().unwrap()]);
    let o = tiersim(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_same_files(&full, &merged);
    // Bad merges: a shard twice, a shard missing, a shard of another sweep.
    let twice = tiersim(&[
        "merge",
        &parts[0],
        &parts[0],
        &parts[1],
        "--out",
        dir.join("m2").to_str().unwrap(),
    ]);
    assert!(
        text(&twice.stderr).contains("given twice"),
        "{}",
        text(&twice.stderr)
    );
    let missing = tiersim(&[
        "merge",
        &parts[0],
        &parts[1],
        "--out",
        dir.join("m3").to_str().unwrap(),
    ]);
    assert!(
        text(&missing.stderr).contains("missing"),
        "{}",
        text(&missing.stderr)
    );
    let other = write(&dir, "o.toml", &sweep_toml(2000.0, 4));
    let other_part = dir.join("other1");
    assert!(
        tiersim(&[
            "sweep",
            other.to_str().unwrap(),
            "--shard",
            "1/3",
            "--out",
            other_part.to_str().unwrap()
        ])
        .status
        .success()
    );
    let mixed = tiersim(&[
        "merge",
        other_part.to_str().unwrap(),
        &parts[1],
        &parts[2],
        "--out",
        dir.join("m4").to_str().unwrap(),
    ]);
    assert!(
        text(&mixed.stderr).contains("another sweep"),
        "{}",
        text(&mixed.stderr)
    );
    let not_shard = tiersim(&["merge", full.to_str().unwrap()]);
    assert!(
        text(&not_shard.stderr).contains("not a shard"),
        "{}",
        text(&not_shard.stderr)
    );
    for bad in ["3/2", "0/0", "x"] {
        let o = tiersim(&["sweep", file.to_str().unwrap(), "--shard", bad]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            text(&o.stderr).contains("expected K/N"),
            "{}",
            text(&o.stderr)
        );
    }
}

#[test]
fn manifest_records_the_run() {
    let dir = scratch("manifest");
    let file = write(&dir, "s.toml", &sweep_toml(1000.0, 2));
    let out = dir.join("out");
    assert!(
        tiersim(&[
            "sweep",
            file.to_str().unwrap(),
            "--threads",
            "2",
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let m = &m["manifest"];
    let hash = tiersim::scenario::sweep::content_hash(&std::fs::read(&file).unwrap());
    assert_eq!(m["scenario"]["content_hash"], format!("sha256:{hash}"));
    assert_eq!(m["seed"], 42);
    assert!(m["seed_scheme"].as_str().unwrap().contains("xoshiro256++"));
    assert_eq!(m["threads"], 2);
    assert!(
        m["command_line"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "--threads")
    );
    assert!(
        m["started"].as_str().unwrap().ends_with('Z')
            && m["finished"].as_str().unwrap() >= m["started"].as_str().unwrap()
    );
    assert_eq!(m["points"].as_array().unwrap().len(), 8);
    assert_eq!(m["points"][5]["replications"], 2);
    assert_eq!(m["points"][5]["stop_reason"], "replications");
    assert_eq!(m["version"], serde_json::Value::Null);
}

/// An M/M/1 at load 0.95 counted from an empty start over a short horizon:
/// its early clients wait far less than its later ones, and the run warns
/// that the warm-up looks too short. The same queue at load 0.8 after a
/// long warm-up does not warn, nor does a model with a calendar (whose
/// halves differ by design).
#[test]
fn warmup_too_short_is_warned() {
    let mm1 = |load: f64, warmup: f64, horizon: f64, extra: &str| {
        crate::common::model(&format!(
            "name = \"mm1\"\n[run]\nhorizon = {horizon}\nwarmup = {warmup}\nreplications = 30\nseed = 4\n\
             service_level_threshold = 1.0\n{extra}\
             [[segment]]\nname = \"all\"\nrate_per_hour = {}\n\
             [[tier]]\nname = \"desk\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n",
            60.0 * load
        ))
    };
    let short = mm1(0.95, 0.0, 300.0, "");
    let warnings = tiersim::experiment::run_warnings(&short, &tiersim::experiment::run(&short));
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("warm-up looks too short") && w.contains("less than")),
        "{warnings:?}"
    );
    let settled = mm1(0.8, 2000.0, 40000.0, "");
    let s = tiersim::experiment::run(&settled);
    assert!(tiersim::experiment::run_warnings(&settled, &s).is_empty());
    let calendar = mm1(
        0.95,
        0.0,
        300.0,
        "[calendar]\nprofile = { \"00:00-24:00\" = 1.0 }\n",
    );
    let s = tiersim::experiment::run(&calendar);
    assert!(tiersim::experiment::run_warnings(&calendar, &s).is_empty());
}
