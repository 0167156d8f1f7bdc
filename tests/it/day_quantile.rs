//! `--day-quantile Q`: the service level, abandonment and mean wait on the
//! Q-quantile day, checked against the definition (`experiment::days`):
//! with one simulated day per replication the Q-day figure is the
//! Q-quantile of the replications' own figures; days that are all the same
//! give that day's exact figures; bad values exit 2.

use tiersim::experiment::{self, ReplicationMetrics};
use tiersim::model::{CLIENT_METRICS, simulate};

use crate::common::{model, scratch, text, tiersim};

/// One desk under heavy load with abandonment, one 8-hour day per
/// replication.
const ONE_DAY: &str = r#"
name = "one-day"
[run]
horizon = 480.0
warmup = 0.0
replications = 37
seed = 5
service_level_threshold = 0.5
[[segment]]
name = "callers"
rate_per_hour = 60.0
patience = { dist = "exponential", mean = 2.0 }
[[tier]]
name = "desk"
servers = 2
service = { dist = "exponential", mean = 3.0 }
"#;

/// The `rank`-th smallest (1-based) of `values`.
fn order_statistic(values: &[f64], rank: usize) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[rank - 1]
}

#[test]
fn one_day_per_replication_gives_the_quantile_of_the_replications() {
    let mut m = model(ONE_DAY);
    m.run.day_quantile = Some(0.9);
    let n = m.run.replications as usize;
    let per_rep: Vec<ReplicationMetrics> = (0..m.run.replications)
        .map(|r| ReplicationMetrics::of(&simulate(&m, r)))
        .collect();
    let column = |name: &str| -> Vec<f64> {
        let i = CLIENT_METRICS.iter().position(|x| *x == name).unwrap();
        per_rep.iter().map(|r| r.overall[i]).collect()
    };
    let summary = experiment::run(&m);
    for q in [0.5, 0.8, 0.9, 0.95] {
        let day = summary.day_quantile(q).expect("days were kept");
        assert_eq!(day.days, n as u64);
        let k = (q * n as f64).ceil() as usize;
        let figure = |name: &str| day.overall.iter().find(|(x, _)| *x == name).unwrap().1;
        // Service level: higher is better, so the (n + 1 − k)-th smallest.
        let sl = figure("service_level");
        assert_eq!(
            sl.mean,
            order_statistic(&column("service_level"), n + 1 - k)
        );
        assert_eq!(
            figure("abandon_rate").mean,
            order_statistic(&column("abandon_rate"), k)
        );
        assert_eq!(
            figure("wait_mean").mean,
            order_statistic(&column("wait_mean"), k)
        );
        assert_eq!(sl.n, n as u64);
    }
    // The replications differ, so the figure is not a degenerate one.
    let sl = column("service_level");
    assert!(sl.iter().any(|x| *x != sl[0]));
}

/// Every day the same ten callers at 10:00, 10:01, ..., 10:09, one desk,
/// services of exactly 2 minutes, no abandonment: caller i waits i
/// minutes, so every day has mean wait 4.5 min, service level 1/10
/// (threshold 0.5 min: caller 0 only) and no abandonment, in every
/// replication; the Q-day figures are exactly these, with a zero interval.
#[test]
fn identical_deterministic_days_give_their_exact_figures() {
    let dir = scratch("day-quantile-same-days");
    let mut trace = String::from("arrival\n");
    for day in 0..4 {
        for i in 0..10 {
            trace.push_str(&format!("{}\n", day as f64 * 1440.0 + 600.0 + i as f64));
        }
    }
    std::fs::write(dir.join("arrivals.csv"), trace).unwrap();
    let scenario = "name = \"same-days\"\n[run]\nhorizon = 5760.0\nwarmup = 1440.0\n\
        replications = 3\nservice_level_threshold = 0.5\n[[segment]]\nname = \"callers\"\n\
        arrivals = { trace = \"arrivals.csv\" }\n[[tier]]\nname = \"desk\"\nservers = 1\n\
        service = { dist = \"deterministic\", mean = 2.0 }\n";
    let file = dir.join("same.toml");
    std::fs::write(&file, scenario).unwrap();
    let mut m = tiersim::scenario::load(&file).unwrap().model;
    m.run.day_quantile = Some(0.9);
    let day = experiment::run(&m).day_quantile(0.9).unwrap();
    // Three counted days (the first is warm-up) in each of 3 replications.
    assert_eq!(day.days, 9);
    let expected = [
        ("service_level", 0.1),
        ("abandon_rate", 0.0),
        ("wait_mean", 4.5),
    ];
    for ((name, e), (want_name, want)) in day.overall.iter().zip(expected) {
        assert_eq!(*name, want_name);
        assert!((e.mean - want).abs() < 1e-12, "{name}: {}", e.mean);
        assert!(e.ci95.abs() < 1e-12, "{name}: {}", e.ci95);
    }
    for (m, want) in day.day_means.iter().zip(expected) {
        assert!((m - want.1).abs() < 1e-12);
    }
}

#[test]
fn the_cli_writes_the_day_figures_beside_the_means_and_refuses_bad_shares() {
    let dir = scratch("day-quantile-cli");
    let file = dir.join("one-day.toml");
    std::fs::write(&file, ONE_DAY).unwrap();
    let (f, out) = (file.to_str().unwrap(), dir.join("out"));
    let o = tiersim(&[
        "run",
        f,
        "--day-quantile",
        "0.9",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("on the 0.9-quantile day (90% of the 37 simulated days"),
        "{}",
        text(&o.stdout)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let block = &summary["scenarios"][0]["day_quantile"];
    assert_eq!(block["q"], 0.9);
    assert_eq!(block["overall"]["service_level"]["days"], 37);
    let plain = dir.join("plain");
    let o = tiersim(&["run", f, "--out", plain.to_str().unwrap()]);
    assert!(o.status.success());
    let plain = std::fs::read_to_string(plain.join("summary.json")).unwrap();
    assert!(!plain.contains("day_quantile"));
    for bad in ["0", "1", "1.5", "-0.1", "nan", "inf", "x"] {
        for command in ["run", "plan"] {
            let flag = format!("--day-quantile={bad}");
            let o = tiersim(&[command, f, &flag]);
            assert_eq!(o.status.code(), Some(2), "{command} {bad}");
            let e = text(&o.stderr);
            assert!(
                e.contains(&format!(
                    "got `{bad}`; allowed: a share of days strictly between 0 and 1"
                )),
                "{e}"
            );
        }
    }
}

/// What `plan --day-quantile` judges targets on: the overall service
/// level, abandonment and mean wait replaced by their Q-day figures, every
/// other metric as it was; without the option, the summary itself.
#[test]
fn plan_judges_the_day_metrics_on_the_quantile_day() {
    let mut m = model(ONE_DAY);
    m.run.day_quantile = Some(0.8);
    let summary = experiment::run(&m);
    let judged = experiment::days::judged(&m, &summary);
    let day = summary.day_quantile(0.8).unwrap();
    for (name, e) in &summary.overall {
        let j = judged.overall(name).unwrap();
        match day.overall.iter().find(|(n, _)| n == name) {
            Some((_, figure)) => assert_eq!(j, *figure, "{name}"),
            None => assert_eq!(j.mean.to_bits(), e.mean.to_bits(), "{name}"),
        }
    }
    // The figure is not the mean.
    assert_ne!(
        judged.overall("service_level"),
        summary.overall("service_level")
    );
    m.run.day_quantile = None;
    let plain = experiment::days::judged(&m, &summary);
    assert!(matches!(plain, std::borrow::Cow::Borrowed(_)));
}

/// A small scenario whose plan is quick: one tier, four hours a day.
const PLANNABLE: &str = r#"name = "plannable"
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
"#;

/// `plan --day-quantile Q` records Q in `plan.json` (`day_quantile`), so
/// that the file says which day its targets were judged on; a plan without
/// the flag has no such key.
#[test]
fn plan_json_records_the_day_quantile() {
    let dir = scratch("day-quantile-plan");
    let file = dir.join("plannable.toml");
    std::fs::write(&file, PLANNABLE).unwrap();
    let plan_json = |extra: &[&str], name: &str| -> serde_json::Value {
        let out = dir.join(name);
        let mut args = vec![
            "plan",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = tiersim(&args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        serde_json::from_slice(&std::fs::read(out.join("plan.json")).unwrap()).unwrap()
    };
    let q = plan_json(&["--day-quantile", "0.9"], "q");
    assert_eq!(q["plan"]["day_quantile"], 0.9);
    let plain = plan_json(&[], "plain");
    assert!(plain["plan"].get("day_quantile").is_none(), "{plain}");
    // Read back by the typed document.
    let doc: tiersim::plan::output::PlanFile = serde_json::from_value(q).unwrap();
    assert_eq!(doc.plan.day_quantile, Some(0.9));
}
