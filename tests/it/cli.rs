//! The command line as a user runs it.

use std::path::Path;

use crate::common::{scratch, text, tiersim};

#[test]
fn run_writes_the_documented_summary() {
    let out = scratch("summary");
    let o = tiersim(&[
        "run",
        "scenarios/two-tier.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("wait_mean (min)") && stdout.contains("expert"),
        "{stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["tool"], "tiersim");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    let s = &json["scenarios"][0];
    assert_eq!(s["name"], "two-tier");
    assert_eq!(s["replications"], 10);
    for metric in tiersim::model::CLIENT_METRICS {
        for group in [&s["overall"], &s["segments"]["retail"]] {
            let m = &group[metric];
            if metric == "own_rm_share" || metric == "continuity_points" {
                // Nobody has a dedicated RM here: undefined, written null.
                assert!(m["mean"].is_null(), "{metric}: {m}");
                continue;
            }
            assert!(
                m["mean"].is_number() && m["ci95"].as_f64().unwrap() >= 0.0,
                "{metric}: {m}"
            );
        }
    }
    for metric in tiersim::model::TIER_METRICS {
        for tier in ["front", "expert"] {
            let m = &s["tiers"][tier][metric];
            if metric == "callback_wait_mean" {
                // No call-backs here: undefined, written null.
                assert!(m["mean"].is_null(), "{metric}: {m}");
                continue;
            }
            assert!(
                m["mean"].is_number() && m["ci95"].is_number(),
                "{tier}.{metric}: {m}"
            );
        }
    }
    for share in [
        "abandon_rate",
        "blocked_rate",
        "wait_p_positive",
        "service_level",
    ] {
        let v = s["overall"][share]["mean"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{share} = {v}");
    }
    // The wait distribution: increasing in p, and its 0.9 point is wait_p90.
    let q = &s["wait_quantiles"];
    let p: Vec<f64> = q["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let w: Vec<f64> = q["segments"]["retail"]["mean"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(p.len(), w.len());
    assert!(w.windows(2).all(|x| x[0] <= x[1]), "{w:?}");
    let p90 = p.iter().position(|x| *x == 0.9).unwrap();
    assert_eq!(q["overall"]["mean"][p90], s["overall"]["wait_p90"]["mean"]);
    // The table shows the same numbers as the file.
    let wait = s["overall"]["wait_mean"]["mean"].as_f64().unwrap();
    assert!(stdout.contains(&format!("{wait:.4}")), "{stdout}");
}

/// Same scenario and seed, same bytes, whatever the number of threads.
#[test]
fn output_is_identical_whatever_the_thread_count() {
    let out = scratch("threads");
    let mut files = Vec::new();
    for threads in ["1", "2", "5"] {
        let dir = out.join(threads);
        let o = tiersim(&[
            "run",
            "scenarios/baseline.toml",
            "--threads",
            threads,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        files.push(std::fs::read(dir.join("summary.json")).unwrap());
    }
    assert_eq!(files[0], files[1]);
    assert_eq!(files[0], files[2]);
}

#[test]
fn bad_scenario_exits_2_with_file_line_and_field() {
    let dir = scratch("bad");
    let file = dir.join("typo.toml");
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/two-tier.toml"),
    )
    .unwrap();
    std::fs::write(&file, good.replace("rate_per_hour", "rate_per_hr")).unwrap();
    let o = tiersim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("typo.toml:14:1") && err.contains("did you mean `rate_per_hour`?"),
        "{err}"
    );
    assert!(!dir.join("summary.json").exists());
}

#[test]
fn missing_file_is_a_clear_error() {
    let o = tiersim(&["run", "scenarios/nope.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot read scenarios/nope.toml"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn overloaded_design_warns_on_stderr() {
    let dir = scratch("overload");
    let file = dir.join("over.toml");
    std::fs::write(
        &file,
        "name = \"over\"\n[run]\nhorizon = 500.0\nreplications = 2\nservice_level_threshold = 1.0\n\
         [[segment]]\nname = \"a\"\nrate_per_hour = 120.0\n[[tier]]\nname = \"solo\"\nservers = 1\n\
         service = { dist = \"exponential\", mean = 1.0 }\n",
    )
    .unwrap();
    let o = tiersim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let err = text(&o.stderr);
    assert!(
        err.contains("warning:") && err.contains("tier `solo`") && err.contains("2.00 Erlangs"),
        "{err}"
    );
}
