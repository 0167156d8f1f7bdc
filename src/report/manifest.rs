//! `manifest.json`: what was run, by which version, how it was seeded, on
//! how many threads and when, so that a bank can audit any result.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::experiment::PointResult;
use crate::scenario::Sweep;

/// How random numbers are derived: the same for every run, so it is fixed
/// text.
pub const SEED_SCHEME: &str = "replication r of every point seeds a xoshiro256++ stream per sequential purpose \
with SplitMix64(SplitMix64(SplitMix64(seed) ^ r) ^ FNV-1a(purpose)): arrival/<segment> (arrival times) and \
client/<segment> (one key per client); each client's patience, service and routing at its n-th tier are keyed \
draws from a SplitMix64 seeded with a mix of (client key, FNV-1a(patience/<segment> | service/<tier> | \
route/<tier>), n); so points and compared scenarios share their random numbers wherever the model is the same \
(common random numbers)";

/// Facts about a run that are not in the results.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The scenario file as given.
    pub file: String,
    /// The command line.
    pub command_line: Vec<String>,
    /// Worker threads.
    pub threads: usize,
    /// When the run started.
    pub started: SystemTime,
    /// When it finished.
    pub finished: SystemTime,
    /// This part of a sharded sweep, (k, n).
    pub shard: Option<(usize, usize)>,
    /// How replications were chosen.
    pub options: String,
    /// For a merge: the folders merged.
    pub merged_from: Vec<String>,
}

/// The manifest of a run of `sweep` that finished `results`.
pub fn manifest(sweep: &Sweep, results: &[PointResult], info: &RunInfo) -> String {
    let time = |t: SystemTime| humantime::format_rfc3339_seconds(t).to_string();
    let points: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "point": r.point,
                "name": sweep.points[r.point].name,
                "replications": r.replications.len(),
                "stop_reason": r.stop.as_str(),
            })
        })
        .collect();
    let seed = sweep.points.first().map(|p| p.scenario.model.run.seed);
    super::json::document(
        "manifest",
        json!({
            "scenario": {
                "file": info.file,
                "name": sweep.name,
                "content_hash": format!("sha256:{}", sweep.content_hash),
            },
            "seed": seed,
            "seed_scheme": SEED_SCHEME,
            "command_line": info.command_line,
            "threads": info.threads,
            "started": time(info.started),
            "finished": time(info.finished),
            "shard": info.shard.map(|(k, n)| format!("{k}/{n}")),
            "options": info.options,
            "merged_from": info.merged_from,
            "points_total": sweep.points.len(),
            "points": points,
        }),
    )
}
