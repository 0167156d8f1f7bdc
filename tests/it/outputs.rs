//! Every output document read back through the types that wrote it, and
//! written again byte for byte: `summary.json`, `manifest.json`,
//! `compare.json`, `plan.json`, `results.csv`, `replications.csv`,
//! `differences.csv` and `staffing.csv`. A key or column that the writer
//! has and the reader drops (or the other way round) fails here.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tiersim::plan::output::{PlanFile, StaffingRow};
use tiersim::report::csv::{DifferenceRow, ReplicationRow, ResultRow, read_rows, write_rows};
use tiersim::report::json::pretty;
use tiersim::report::manifest::ManifestFile;
use tiersim::report::summary::{ComparisonFile, Summary};

use crate::common::{scratch, text, tiersim};

/// A small scenario with targets, a cost and a calendar (so summaries
/// carry `targets`, `cost` and `slots`).
fn small(name: &str, servers: u32) -> String {
    format!(
        r#"name = "{name}"
[run]
horizon = 2880.0
replications = 3
seed = 5
service_level_threshold = 1.0
[calendar]
slot_minutes = 60
profile = {{ "08:00-12:00" = 1.0, "12:00-16:00" = 2.0 }}
[[segment]]
name = "retail"
rate_per_hour = 30.0
[[tier]]
name = "front"
servers = {servers}
service = {{ dist = "exponential", mean = 3.0 }}
[targets]
service_level = 0.8
[targets.segment.retail]
abandon_rate = 0.05
[cost]
hourly = {{ front = 30.0 }}
[plan]
shift_lengths = [240, 120]
"#
    )
}

fn run_ok(args: &[&str]) {
    let o = tiersim(args);
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
}

/// `file` read as `T` and pretty-printed again gives the same bytes.
fn json_round_trip<T: DeserializeOwned + Serialize>(file: &Path) -> T {
    let bytes = std::fs::read_to_string(file).unwrap();
    let doc: T = serde_json::from_str(&bytes)
        .unwrap_or_else(|e| panic!("{} does not read back: {e}", file.display()));
    assert_eq!(pretty(&doc), bytes, "{} round trip", file.display());
    doc
}

/// `file` read as rows of `T` and written again gives the same bytes.
fn csv_round_trip<T: DeserializeOwned + Serialize>(file: &Path) -> Vec<T> {
    let bytes = std::fs::read(file).unwrap();
    let rows: Vec<T> = read_rows(&bytes).unwrap();
    assert_eq!(
        text(&write_rows(&rows)),
        text(&bytes),
        "{} round trip",
        file.display()
    );
    rows
}

#[test]
fn run_and_compare_outputs_read_back_and_write_the_same_bytes() {
    let dir = scratch("outputs-compare");
    let a = dir.join("a.toml");
    let b = dir.join("b.toml");
    std::fs::write(&a, small("out-a", 3)).unwrap();
    std::fs::write(&b, small("out-b", 4)).unwrap();
    let out = dir.join("compare");
    run_ok(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let summary: Summary = json_round_trip(&out.join("summary.json"));
    assert_eq!(summary.scenarios.len(), 2);
    let first = &summary.scenarios[0];
    assert_eq!(first.service_level_target(), Some(0.8));
    assert!(first.targets.as_ref().unwrap().len() == 2 && first.cost.is_some());
    assert!(first.slots.as_ref().unwrap().labels.len() == 24);
    assert!(summary.scenarios[1].vs_baseline.as_ref().unwrap().len() > 10);
    let manifest: ManifestFile = json_round_trip(&out.join("manifest.json"));
    assert_eq!(manifest.manifest.points.len(), 2);
    let comparison: ComparisonFile = json_round_trip(&out.join("compare.json"));
    assert_eq!(
        comparison.comparison.differences.len(),
        summary.scenarios[1].vs_baseline.as_ref().unwrap().len()
    );
    // Both points have their rows: the baseline's (all zero) and B's.
    let diffs: Vec<DifferenceRow> = csv_round_trip(&out.join("differences.csv"));
    let of_b = diffs.iter().filter(|d| d.name == "out-b").count();
    assert_eq!(of_b, comparison.comparison.differences.len());
    assert_eq!(diffs.len(), 2 * of_b);

    let bytes = std::fs::read(out.join("results.csv")).unwrap();
    let (header, rows) = ResultRow::read(&bytes).unwrap();
    assert_eq!(ResultRow::write(&header, &rows), bytes);
    assert_eq!(rows[1].name, "out-b");
    assert_eq!(rows[0].values.len(), header.len() - 5);
    let bytes = std::fs::read(out.join("replications.csv")).unwrap();
    let (header, rows) = ReplicationRow::read(&bytes).unwrap();
    assert_eq!(ReplicationRow::write(&header, &rows), bytes);
    assert_eq!(rows.len(), 6);
}

#[test]
fn plan_outputs_read_back_and_write_the_same_bytes() {
    let dir = scratch("outputs-plan");
    let file = dir.join("small.toml");
    std::fs::write(&file, small("out-plan", 3)).unwrap();
    let out = dir.join("plan");
    run_ok(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let plan: PlanFile = json_round_trip(&out.join("plan.json"));
    assert_eq!(plan.plan.labels.len(), 24);
    let rows: Vec<StaffingRow> = csv_round_trip(&out.join("staffing.csv"));
    assert_eq!(rows.len(), 24);
    assert_eq!(
        rows.iter().map(|r| r.plan).collect::<Vec<_>>(),
        plan.plan.tiers.get("front").unwrap().plan
    );
}

/// A sweep over a table value (a segment's channel mix) is reported: the
/// report reads parameters of any JSON type (it refused "is not a number,
/// string or boolean" before).
#[test]
fn a_sweep_over_channel_mixes_gets_its_report() {
    let dir = scratch("outputs-channels");
    let shipped = std::fs::read_to_string("scenarios/remedies/remote-channels.toml").unwrap();
    let quick = shipped.replace("replications = 20", "replications = 2");
    assert_ne!(
        quick, shipped,
        "the shipped scenario changed its replications"
    );
    let file = dir.join("remote.toml");
    std::fs::write(&file, quick).unwrap();
    let out = dir.join("out");
    run_ok(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--report",
    ]);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("segment.client.channels={ branch = 0.6, video = 0.4 }"));
    let summary: Summary = json_round_trip(&out.join("summary.json"));
    assert!(
        summary.scenarios[0]
            .parameters
            .get("segment.client.channels")
            .unwrap()
            .is_object()
    );
}

/// The metric keys of one group of `summary.json` (an object of metrics).
fn keys(group: &serde_json::Value) -> Vec<String> {
    group
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn every_metric_key_of_a_summary_has_a_catalogue_entry() {
    // The case study has segments, tiers (a back office among them),
    // request types and a calendar, so every kind of group is written.
    let dir = scratch("outputs-catalogue");
    let out = dir.join("before");
    run_ok(&[
        "run",
        "scenarios/case-study/before.toml",
        "--out",
        &out.to_string_lossy(),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let s = &json["scenarios"][0];
    let mut all = keys(&s["overall"]);
    for family in ["segments", "tiers", "requests"] {
        for group in s[family].as_object().unwrap().values() {
            all.extend(keys(group));
        }
    }
    all.extend(keys(&s["slots"]["overall"]));
    for tier in s["slots"]["tiers"].as_object().unwrap().values() {
        all.extend(keys(tier));
    }
    assert!(all.len() > 60, "{all:?}");
    let missing: Vec<&String> = all
        .iter()
        .filter(|k| tiersim::report::catalogue::get(k).is_none())
        .collect();
    assert!(missing.is_empty(), "no catalogue entry for {missing:?}");
}
