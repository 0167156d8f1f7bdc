//! The journeys file (`--journeys`): one row per contact, the rows
//! reproducing the run's own counts exactly, the same bytes whatever the
//! thread count, nothing written (and nothing changed) without the flag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tiersim::engine::stats::Tally;

use crate::common::{scratch, text, tiersim};

/// One segment with patience, a small queue (blocking) and redials, a
/// request type with repeat contacts after the front's unresolved
/// contacts, warm escalation to an expert, a warm-up whose clients are not
/// counted; `drain` minutes after the horizon (0: some are still inside).
fn scenario(drain: &str, sweep: bool) -> String {
    let sweep = if sweep {
        "[sweep]\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [5, 7]\n"
    } else {
        ""
    };
    format!(
        r#"name = "journeys-test"
[run]
horizon = 2000.0
warmup = 200.0
replications = 3
seed = 11
service_level_threshold = 1.0
drain_limit = {drain}
{sweep}
[[request]]
name = "query"
repeat_probability = 0.6
repeat_delay = {{ dist = "exponential", mean = 30.0 }}

[[segment]]
name = "retail"
rate_per_hour = 100.0
patience = {{ dist = "exponential", mean = 4.0 }}
priority = 1
entry = "front"
requests = {{ query = 1.0 }}
redial = {{ after_abandon = 0.5, after_block = 0.7, delay = {{ dist = "exponential", mean = 20.0 }}, max_attempts = 4 }}

[[tier]]
name = "front"
servers = 6
service = {{ dist = "exponential", mean = 4.0 }}
queue_capacity = 5
escalate = [{{ to = "expert", probability = 0.2 }}]
transfer = "warm"
resolves = {{ query = 0.8 }}

[[tier]]
name = "expert"
servers = 2
service = {{ dist = "exponential", mean = 6.0 }}
"#
    )
}

/// The columns of a row the tests read.
#[derive(Debug, Deserialize)]
struct Row {
    replication: u32,
    client: u64,
    attempt: u32,
    contact: String,
    tier: Option<String>,
    arrival: f64,
    service_start: Option<f64>,
    end: Option<f64>,
    wait: f64,
    outcome: String,
    then: Option<String>,
    satisfaction: Option<f64>,
    sale: Option<bool>,
}

fn rows(path: &Path) -> Vec<Row> {
    csv::Reader::from_path(path)
        .unwrap()
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Runs `tiersim ARGS` successfully.
fn ok(args: &[&str]) {
    let o = tiersim(args);
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
}

fn run(file: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend(extra);
    ok(&args);
    out.join("journeys.csv")
}

/// `overall.<metric>` of each replication in `replications.csv`.
fn per_replication(dir: &Path, metric: &str) -> Vec<f64> {
    column(dir, &format!("overall.{metric}"))
}

/// The column `name` of each replication in `replications.csv`.
fn column(dir: &Path, name: &str) -> Vec<f64> {
    let mut r = csv::Reader::from_path(dir.join("replications.csv")).unwrap();
    let column = r.headers().unwrap().iter().position(|h| h == name).unwrap();
    r.records()
        .map(|rec| rec.unwrap()[column].parse().unwrap_or(f64::NAN))
        .collect()
}

/// Each replication's rows give back its counts exactly: one row per
/// contact (`attempts`), `served` (journeys that ended served), `abandoned`
/// (abandoned or unreached contacts), `blocked`, `redials`,
/// `repeat_contacts`, `inside` (clients whose last row is still inside or
/// announces a return), `wait_mean` (the wait of each contact that ended
/// admitted, summed in the rows' order as the run sums it),
/// `satisfaction_mean` and `sales`. With and without a drain.
#[test]
fn rows_reproduce_the_counts_exactly() {
    for drain in ["inf", "0"] {
        let dir = scratch(&format!("journeys-counts-{drain}"));
        let file = dir.join("s.toml");
        std::fs::write(&file, scenario(drain, false)).unwrap();
        let out = dir.join("out");
        let rows = rows(&run(&file, &out, &["--journeys"]));
        let mut by_rep: BTreeMap<u32, Vec<&Row>> = BTreeMap::new();
        for r in &rows {
            by_rep.entry(r.replication).or_default().push(r);
        }
        assert_eq!(by_rep.len(), 3);
        let mut seen_inside = 0.0;
        for (rep, rows) in by_rep {
            let expected = |m: &str| per_replication(&out, m)[rep as usize];
            let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count() as f64;
            let ended_served =
                |r: &Row| (r.outcome == "served" || r.outcome == "unresolved") && r.then.is_none();
            let admitted =
                |r: &Row| ended_served(r) || r.outcome == "abandoned" || r.outcome == "unreached";
            assert_eq!(rows.len() as f64, expected("attempts"));
            assert_eq!(count(&ended_served), expected("served"));
            assert_eq!(
                count(&|r| r.outcome == "abandoned" || r.outcome == "unreached"),
                expected("abandoned")
            );
            assert_eq!(count(&|r| r.outcome == "blocked"), expected("blocked"));
            assert_eq!(count(&|r| r.contact == "redial"), expected("redials"));
            assert_eq!(
                count(&|r| r.contact == "repeat"),
                expected("repeat_contacts")
            );
            assert_eq!(count(&|r| r.contact == "first"), expected("arrived"));
            assert_eq!(count(&|r| r.sale == Some(true)), expected("sales"));
            let mut wait = Tally::default();
            let mut satisfaction = Tally::default();
            for r in rows.iter().filter(|r| admitted(r)) {
                wait.add(r.wait);
            }
            for r in &rows {
                if let Some(s) = r.satisfaction {
                    satisfaction.add(s);
                }
            }
            assert_eq!(wait.mean(), expected("wait_mean"));
            assert_eq!(satisfaction.mean(), expected("satisfaction_mean"));
            // Each client's last contact: still inside, or a return pending.
            let mut last: BTreeMap<u64, &Row> = BTreeMap::new();
            for r in &rows {
                let e = last.entry(r.client).or_insert(r);
                if r.attempt > e.attempt {
                    *e = r;
                }
            }
            let inside = last
                .values()
                .filter(|r| r.outcome == "inside" || r.then.is_some())
                .count() as f64;
            assert_eq!(inside, expected("inside"));
            seen_inside += count(&|r| r.outcome == "inside");
            // The contacts of a client are numbered 1, 2, ... in time.
            for r in &rows {
                assert!(r.attempt >= 1);
                assert!(r.service_start.is_none_or(|s| s >= r.arrival));
                assert!(r.end.is_none_or(|e| e >= r.arrival));
                assert_eq!(r.end.is_none(), r.outcome == "inside");
                assert_eq!(
                    r.satisfaction.is_some(),
                    r.then.is_none() && r.end.is_some()
                );
                if r.outcome != "blocked" {
                    assert!(r.tier.is_some(), "{r:?}");
                }
            }
        }
        // Without a drain some clients are still inside at the end.
        assert_eq!(seen_inside > 0.0, drain == "0");
    }
}

/// A virtual hold (`scenarios/remedies/virtual-hold.toml`: the juniors
/// offer a call-back after 3 minutes on the line) and the call-back that
/// follows it are one contact: still one row per contact counted in
/// `attempts`. A client served only by the call-back had no service on
/// the line: its row's `service_start` is empty (it was written as 0, a
/// time before the contact began, or a repeat contact's as the earlier
/// contact's start), and the row is otherwise whole: served, ended, at a
/// tier, after at least the 3 minutes on the line that brought the offer.
#[test]
fn a_virtual_hold_and_its_call_back_are_one_contact() {
    let dir = scratch("journeys-virtual-hold");
    let out = dir.join("out");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/remedies/virtual-hold.toml");
    let rows = rows(&run(&file, &out, &["--journeys"]));
    let attempts = per_replication(&out, "attempts");
    let accepted = column(&out, "tier.junior.callback_accepted");
    let mut by_rep: BTreeMap<u32, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        by_rep.entry(r.replication).or_default().push(r);
    }
    assert_eq!(by_rep.len(), attempts.len());
    let mut held = 0;
    for (rep, rows) in by_rep {
        assert_eq!(rows.len() as f64, attempts[rep as usize]);
        for r in &rows {
            assert!(r.service_start.is_none_or(|s| s >= r.arrival), "{r:?}");
        }
        // Served (or left unresolved) with no service on the line: called back.
        let called_back: Vec<_> = rows
            .iter()
            .filter(|r| r.service_start.is_none())
            .filter(|r| r.outcome == "served" || r.outcome == "unresolved")
            .collect();
        for r in &called_back {
            assert!(r.wait >= 3.0 - 1e-9, "{r:?}");
            assert!(r.tier.is_some() && r.end.is_some_and(|e| e >= r.arrival + 3.0 - 1e-9));
        }
        assert!(called_back.len() as f64 <= accepted[rep as usize]);
        held += called_back.len();
    }
    assert!(held > 1000, "{held} called back");
}

/// The same bytes whatever the thread count, for a run and for a sweep
/// (whose rows carry the point's name, point by point).
#[test]
fn the_same_bytes_whatever_the_threads() {
    let dir = scratch("journeys-threads");
    for sweep in [false, true] {
        let file = dir.join("s.toml");
        std::fs::write(&file, scenario("inf", sweep)).unwrap();
        let one = std::fs::read(run(
            &file,
            &dir.join("one"),
            &["--journeys", "--threads", "1"],
        ))
        .unwrap();
        let three = std::fs::read(run(
            &file,
            &dir.join("three"),
            &["--journeys", "--threads", "3"],
        ))
        .unwrap();
        assert!(one == three, "journeys.csv differs with the thread count");
        let header =
            String::from_utf8(one[..one.iter().position(|&b| b == b'\n').unwrap()].to_vec())
                .unwrap();
        assert_eq!(header.starts_with("point,replication,"), sweep, "{header}");
        // No part files are left behind.
        assert!(!dir.join("one/journeys.csv.parts").exists());
    }
}

/// Off by default: no journeys file, and the run's results are the same
/// bytes with and without it; a later run without `--journeys` removes
/// an earlier journeys file.
#[test]
fn off_by_default_and_changes_nothing() {
    let dir = scratch("journeys-off");
    let file = dir.join("s.toml");
    std::fs::write(&file, scenario("inf", false)).unwrap();
    let (with, without) = (dir.join("with"), dir.join("without"));
    assert!(run(&file, &with, &["--journeys"]).exists());
    assert!(!run(&file, &without, &[]).exists());
    for name in ["results.csv", "replications.csv"] {
        assert!(
            std::fs::read(with.join(name)).unwrap() == std::fs::read(without.join(name)).unwrap(),
            "{name} differs with --journeys"
        );
    }
    assert!(!run(&file, &with, &[]).exists());
}

/// `compare --journeys`: both sides' rows, A's then B's, the same clients
/// (common random numbers: the first contacts arrive at the same times).
#[test]
fn compare_writes_both_sides() {
    let dir = scratch("journeys-compare");
    let a = dir.join("a.toml");
    let b = dir.join("b.toml");
    std::fs::write(&a, scenario("inf", false)).unwrap();
    std::fs::write(
        &b,
        scenario("inf", false).replace("servers = 6", "servers = 8"),
    )
    .unwrap();
    let out = dir.join("out");
    ok(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--journeys",
    ]);
    #[derive(Deserialize)]
    struct Side {
        side: String,
        replication: u32,
        client: u64,
        contact: String,
        arrival: f64,
    }
    let rows: Vec<Side> = csv::Reader::from_path(out.join("journeys.csv"))
        .unwrap()
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap();
    let first = |s: &str| {
        let mut v: Vec<(u32, u64, u64)> = rows
            .iter()
            .filter(|r| r.side == s && r.contact == "first")
            .map(|r| (r.replication, r.client, r.arrival.to_bits()))
            .collect();
        v.sort_unstable();
        v
    };
    let a_rows = rows.iter().take_while(|r| r.side == "A").count();
    assert!(a_rows > 0 && rows[a_rows..].iter().all(|r| r.side == "B"));
    assert_eq!(first("A"), first("B"));
    assert!(!first("A").is_empty());
}

/// The journeys scenario as a sweep of `points` points (servers 5, 6, ...)
/// over `horizon` minutes, written into `dir`.
fn sweep_file(dir: &Path, points: u32, horizon: &str) -> PathBuf {
    let values: Vec<String> = (5..5 + points).map(|s| s.to_string()).collect();
    let text = scenario("inf", true)
        .replace(
            "values = [5, 7]",
            &format!("values = [{}]", values.join(", ")),
        )
        .replace("horizon = 2000.0", &format!("horizon = {horizon}"));
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    file
}

fn sweep_args<'a>(file: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend(extra);
    args
}

/// `--resume --journeys` ends with the journeys file of an uninterrupted
/// run, byte for byte: after a Ctrl-C (the parts of the points finished
/// before it are kept; a cut-short part and a stray part of an unfinished
/// point are not used), and after an interruption of a run without
/// `--journeys` (simulated: its journal cut to its first two points; the
/// finished points' journeys are simulated again).
#[test]
fn a_resumed_sweep_writes_the_same_journeys() {
    let dir = scratch("journeys-resume");
    let file = sweep_file(&dir, 6, "12000.0");
    let full = dir.join("full");
    ok(&sweep_args(&file, &full, &["--journeys", "--threads", "1"]));
    let expected = std::fs::read(full.join("journeys.csv")).unwrap();

    // Ctrl-C after two points.
    let out = dir.join("int");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tiersim"))
        .args(sweep_args(&file, &out, &["--journeys", "--threads", "1"]))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    crate::experiments::wait_for_lines(&out.join("points.jsonl"), 3);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    assert!(!out.join("journeys.csv").exists());
    let parts = out.join("journeys.csv.parts");
    let saved = std::fs::read_to_string(out.join("points.jsonl"))
        .unwrap()
        .matches('\n')
        .count()
        - 1;
    assert!((2..6).contains(&saved), "{saved} points saved");
    // Whole parts of the saved points are kept (3 replications each).
    for p in 0..saved {
        for r in 0..3 {
            assert!(parts.join(format!("{p:06}-{r:06}.csv")).is_file());
        }
    }
    // What a kill could leave: a part cut short under its temporary name,
    // a part of a point not finished.
    std::fs::write(parts.join("000005-000000.csv.tmp"), "cut short").unwrap();
    std::fs::write(parts.join("000005-000001.csv"), "not finished").unwrap();
    ok(&sweep_args(
        &file,
        &out,
        &["--journeys", "--threads", "2", "--resume"],
    ));
    assert!(std::fs::read(out.join("journeys.csv")).unwrap() == expected);
    assert!(!parts.exists());

    // A run without --journeys cut after two points, resumed with it.
    let out = dir.join("without");
    ok(&sweep_args(&file, &out, &[]));
    let journal = std::fs::read_to_string(out.join("points.jsonl")).unwrap();
    let kept: Vec<&str> = journal.lines().take(3).collect();
    std::fs::write(out.join("points.jsonl"), kept.join("\n") + "\n").unwrap();
    let o = tiersim(&sweep_args(&file, &out, &["--journeys", "--resume"]));
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("resuming: 2 of 6 points already finished"),
        "{}",
        text(&o.stderr)
    );
    assert!(std::fs::read(out.join("journeys.csv")).unwrap() == expected);
    // And a finished run resumed with --journeys writes them all.
    ok(&sweep_args(&file, &out, &[]));
    assert!(!out.join("journeys.csv").exists());
    ok(&sweep_args(&file, &out, &["--journeys", "--resume"]));
    assert!(std::fs::read(out.join("journeys.csv")).unwrap() == expected);
}

/// `merge` joins the shards' journeys files into the unsharded run's,
/// byte for byte (a sweep of five points in two and in three shards, and a
/// single point in two shards, one of them empty); it refuses shards of
/// which only some have one.
#[test]
fn merge_joins_the_shards_journeys() {
    let dir = scratch("journeys-merge");
    for (points, shards) in [(5, 2), (5, 3), (1, 2)] {
        let case = dir.join(format!("{points}-{shards}"));
        std::fs::create_dir_all(&case).unwrap();
        let file = sweep_file(&case, points, "2000.0");
        let full = case.join("full");
        ok(&sweep_args(&file, &full, &["--journeys"]));
        let mut dirs = Vec::new();
        for k in 1..=shards {
            let d = case.join(format!("shard-{k}"));
            let shard = format!("{k}/{shards}");
            ok(&sweep_args(&file, &d, &["--journeys", "--shard", &shard]));
            dirs.push(d.to_str().unwrap().to_string());
        }
        let merged = case.join("merged");
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(String::as_str));
        args.extend(["--out", merged.to_str().unwrap()]);
        ok(&args);
        let expected = std::fs::read(full.join("journeys.csv")).unwrap();
        assert!(
            std::fs::read(merged.join("journeys.csv")).unwrap() == expected,
            "{points} points in {shards} shards"
        );
        if points > 1 {
            assert!(expected.starts_with(b"point,"));
        }
    }
    // One shard without journeys: refused, naming it.
    let case = dir.join("5-2");
    let file = case.join("s.toml");
    let bare = case.join("bare");
    ok(&sweep_args(&file, &bare, &["--shard", "2/2"]));
    let o = tiersim(&[
        "merge",
        case.join("shard-1").to_str().unwrap(),
        bare.to_str().unwrap(),
        "--out",
        case.join("refused").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("bare/journeys.csv") && stderr.contains("every shard with --journeys"),
        "{stderr}"
    );
}
