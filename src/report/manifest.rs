//! `manifest.json`: what was run, by which version, how it was seeded, on
//! how many threads and when, so that a bank can audit any result.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::experiment::Done;
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

/// The scenario a manifest is of.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestScenario {
    /// Scenario file(s) as given.
    pub file: String,
    /// Scenario (sweep) name.
    pub name: String,
    /// `sha256:...` of the scenario file(s).
    pub content_hash: String,
}

/// One finished point of the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestPoint {
    /// Point index in the sweep.
    pub point: u64,
    /// Point name.
    pub name: String,
    /// Replications run.
    pub replications: u64,
    /// Why it stopped.
    pub stop_reason: String,
    /// Minutes measured in each replication (horizon less warm-up): the
    /// period that counts and money are summed over. Absent in manifests
    /// written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured_minutes: Option<f64>,
}

/// The body of `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// What was run.
    pub scenario: ManifestScenario,
    /// Scenario seed (`null` for an empty sweep).
    pub seed: Option<u64>,
    /// How random numbers are derived ([`SEED_SCHEME`]).
    #[serde(default)]
    pub seed_scheme: String,
    /// Command line.
    pub command_line: Vec<String>,
    /// Worker threads (0 for a merge).
    pub threads: u64,
    /// Start time (UTC, RFC 3339).
    pub started: String,
    /// End time (UTC, RFC 3339).
    pub finished: String,
    /// `K/N` for a shard.
    pub shard: Option<String>,
    /// How replications were chosen (precision options), or empty.
    pub options: String,
    /// Folders merged into this one.
    pub merged_from: Vec<String>,
    /// Points in the whole sweep.
    pub points_total: u64,
    /// Finished points.
    pub points: Vec<ManifestPoint>,
}

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Always `tiersim`.
    pub tool: String,
    /// The version that wrote it.
    pub version: String,
    /// The manifest.
    pub manifest: Manifest,
}

/// Minutes measured in each replication of `model`: horizon less warm-up.
pub fn measured_minutes(model: &crate::model::Model) -> f64 {
    model.run.horizon - model.run.warmup
}

/// The manifest of a run of `sweep` that finished the points `done`.
pub fn manifest(sweep: &Sweep, done: &[Done], info: &RunInfo) -> String {
    let time = |t: SystemTime| humantime::format_rfc3339_seconds(t).to_string();
    let manifest = Manifest {
        scenario: ManifestScenario {
            file: info.file.clone(),
            name: sweep.name.clone(),
            content_hash: format!("sha256:{}", sweep.content_hash),
        },
        seed: sweep.points.first().map(|p| p.scenario.model.run.seed),
        seed_scheme: SEED_SCHEME.to_string(),
        command_line: info.command_line.clone(),
        threads: info.threads as u64,
        started: time(info.started),
        finished: time(info.finished),
        shard: info.shard.map(|(k, n)| format!("{k}/{n}")),
        options: info.options.clone(),
        merged_from: info.merged_from.clone(),
        points_total: sweep.points.len() as u64,
        points: done
            .iter()
            .map(|r| ManifestPoint {
                point: r.point as u64,
                name: sweep.points[r.point].name.clone(),
                replications: u64::from(r.replications),
                stop_reason: r.stop.as_str().to_string(),
                measured_minutes: Some(measured_minutes(&sweep.points[r.point].scenario.model)),
            })
            .collect(),
    };
    super::json::document("manifest", &manifest)
}
