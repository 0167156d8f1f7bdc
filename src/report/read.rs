//! Reading an output folder back for the report: `summary.json` and
//! `manifest.json` (both required), and `compare.json`, `results.csv` and
//! `differences.csv` when present, through the same types that wrote them
//! ([`super::summary`], [`super::manifest`], [`super::csv`]). Everything is
//! checked before anything is drawn: a missing file, a key that an older or
//! unknown format lacks, or files that disagree with each other give an
//! [`Error::Results`] naming the file and the key, never a panic.
//!
//! Keys added to the summary after its first format (`slots`,
//! `service_level_threshold`) are optional: without them the report leaves
//! out what needs them, with a note.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::csv::{DifferenceRow, ResultRow, read_rows};
use super::format::Metrics;
use super::manifest::{Manifest, ManifestFile};
use super::summary::{Comparison, ComparisonFile, Curve, Point, Slots, Summary, TOOL};
use crate::error::Error;

/// Everything the report is made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// The folder.
    pub dir: PathBuf,
    /// tiersim version that wrote `summary.json`.
    pub version: String,
    /// Sweep axes (paths), in order; empty for a plain run.
    pub axes: Vec<String>,
    /// Every point, in order.
    pub points: Vec<Point>,
    /// The manifest.
    pub manifest: Manifest,
    /// The manifest's text, for the report's appendix.
    pub manifest_text: String,
    /// The comparison, for a folder written by `compare`.
    pub comparison: Option<Comparison>,
}

/// The metrics the report needs from every client group.
pub const REQUIRED_CLIENT_METRICS: [&str; 6] = [
    "wait_mean",
    "service_level",
    "abandon_rate",
    "blocked_rate",
    "sojourn_mean",
    "wait_p90",
];

/// The metrics the report needs from every tier.
pub const REQUIRED_TIER_METRICS: [&str; 2] = ["utilization", "wait_mean"];

/// What to tell a user whose files lack something.
fn older_format() -> String {
    format!(
        "the results were written by an older or unknown format; run the scenario again with this tiersim ({})",
        env!("CARGO_PKG_VERSION")
    )
}

/// An error about key `path` (dotted, `""` for the top level) of `file`.
fn at(file: &Path, path: &str, what: &str) -> Error {
    let place = if path.is_empty() || path == "." {
        "the top level".to_string()
    } else {
        format!("`{path}`")
    };
    Error::Results {
        path: file.to_path_buf(),
        message: format!("{place} {what}; {}", older_format()),
    }
}

/// A serde message in the words of the report's errors: `has no key `k``,
/// `is not a number`.
fn reword(message: &str) -> String {
    if let Some(key) = message.strip_prefix("missing field ") {
        return format!("has no key {key}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((_, expected)) = rest.rsplit_once(", expected ")
    {
        return format!("is not {expected}");
    }
    message.to_string()
}

/// Reads a JSON document of the tool into `T`, checking `tool` first;
/// returns the document and its text.
pub fn read_document<T: DeserializeOwned>(path: &Path) -> Result<(T, String), Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let bad = |message: String| Error::Results {
        path: path.to_path_buf(),
        message,
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        bad(format!(
            "not valid JSON ({e}); the file is damaged or was cut short"
        ))
    })?;
    match value.get("tool") {
        Some(Value::String(tool)) if tool == TOOL => {}
        Some(Value::String(other)) => {
            return Err(bad(format!("written by `{other}`, not by tiersim")));
        }
        Some(_) => return Err(at(path, "tool", "is not a string")),
        None => return Err(bad("not a tiersim file (it has no `tool` key)".into())),
    }
    let doc = serde_path_to_error::deserialize(value).map_err(|e| {
        let place = e.path().to_string();
        at(path, &place, &reword(&e.inner().to_string()))
    })?;
    Ok((doc, text))
}

/// Checks that `metrics` at `path` has every `required` metric.
fn require(file: &Path, path: &str, metrics: &Metrics, required: &[&str]) -> Result<(), Error> {
    match required.iter().find(|r| metrics.get(r).is_none()) {
        Some(missing) => Err(at(file, path, &format!("has no metric `{missing}`"))),
        None => Ok(()),
    }
}

/// Checks that `curve` at `path` has `len` values.
fn curve(file: &Path, path: &str, c: &Curve, len: usize, per: &str) -> Result<(), Error> {
    if c.mean.len() != len || c.ci95.len() != len {
        return Err(at(
            file,
            path,
            &format!("does not have one value per {per} ({len})"),
        ));
    }
    Ok(())
}

fn check_slots(file: &Path, path: &str, s: &Slots) -> Result<(), Error> {
    if !(s.slot_minutes.is_finite() && s.slot_minutes > 0.0) {
        return Err(at(
            file,
            &format!("{path}.slot_minutes"),
            "is not a positive number of minutes",
        ));
    }
    let n = s.labels.len();
    if n == 0 {
        return Err(at(file, &format!("{path}.labels"), "lists no slot"));
    }
    for (metric, c) in &s.overall {
        curve(file, &format!("{path}.overall.{metric}"), c, n, "slot")?;
    }
    for (tier, metrics) in &s.tiers {
        for (metric, c) in metrics {
            curve(file, &format!("{path}.tiers.{tier}.{metric}"), c, n, "slot")?;
        }
    }
    Ok(())
}

/// Checks what serde cannot: required metrics, curve lengths, ranges.
fn check_point(file: &Path, i: usize, p: &Point) -> Result<(), Error> {
    let path = format!("scenarios[{i}]");
    require(
        file,
        &format!("{path}.overall"),
        &p.overall,
        &REQUIRED_CLIENT_METRICS,
    )?;
    for (name, m) in &p.segments {
        let at = format!("{path}.segments.{name}");
        require(file, &at, m, &REQUIRED_CLIENT_METRICS)?;
    }
    for (name, m) in &p.tiers {
        require(
            file,
            &format!("{path}.tiers.{name}"),
            m,
            &REQUIRED_TIER_METRICS,
        )?;
    }
    let q = &p.wait_quantiles;
    let qpath = format!("{path}.wait_quantiles");
    if q.p.is_empty() || q.p.iter().any(|x| !(0.0..=1.0).contains(x)) {
        return Err(at(file, &qpath, "has probabilities outside [0, 1]"));
    }
    let n = q.p.len();
    curve(
        file,
        &format!("{qpath}.overall"),
        &q.overall,
        n,
        "probability",
    )?;
    for (name, c) in &q.segments {
        curve(
            file,
            &format!("{qpath}.segments.{name}"),
            c,
            n,
            "probability",
        )?;
    }
    if let Some(s) = &p.slots {
        check_slots(file, &format!("{path}.slots"), s)?;
    }
    Ok(())
}

/// The rows of a CSV file of the tool, read by `read` into (header, rows),
/// after checking its header starts with `expected`.
fn csv_rows<R>(
    path: &Path,
    expected: &[&str],
    read: impl Fn(&[u8]) -> Result<(Vec<String>, Vec<R>), csv::Error>,
) -> Result<Vec<R>, Error> {
    let bad = |message: String| Error::Results {
        path: path.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let header: Vec<String> = csv::Reader::from_reader(bytes.as_slice())
        .headers()
        .map_err(|e| bad(format!("not a CSV file: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if !expected
        .iter()
        .enumerate()
        .all(|(i, e)| header.get(i).map(String::as_str) == Some(*e))
    {
        return Err(bad(format!(
            "its columns do not start with {}; {}",
            expected.join(", "),
            older_format()
        )));
    }
    let (_, rows) = read(&bytes).map_err(|e| bad(format!("damaged row: {e}")))?;
    Ok(rows)
}

fn results_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::Results {
        path: dir.to_path_buf(),
        message: message.into(),
    }
}

/// Why a folder has no `summary.json`.
fn no_summary(dir: &Path, manifest_path: &Path) -> Result<Error, Error> {
    let sharded = manifest_path.exists()
        && read_document::<ManifestFile>(manifest_path)?
            .0
            .manifest
            .shard
            .is_some();
    let why = if sharded {
        "this folder holds one shard of a sweep and no summary.json: join the shards with `tiersim merge` and make the report of the merged folder"
    } else if dir.join("points.jsonl").exists() {
        "no summary.json: the run did not finish; run the same command again with --resume to finish it"
    } else {
        "no results here (no summary.json): give the folder that `tiersim run`, `sweep` or `compare` wrote"
    };
    Ok(results_error(dir, why))
}

/// The points of `summary.json`, checked, with their common axes.
fn points(path: &Path) -> Result<(Summary, Vec<String>), Error> {
    let (summary, _) = read_document::<Summary>(path)?;
    for (i, p) in summary.scenarios.iter().enumerate() {
        check_point(path, i, p)?;
    }
    let Some(first) = summary.scenarios.first() else {
        return Err(results_error(path, "holds no points: nothing to report"));
    };
    let axes: Vec<String> = first.parameters.keys().map(str::to_string).collect();
    if let Some(p) = summary
        .scenarios
        .iter()
        .find(|p| !p.parameters.keys().eq(axes.iter().map(String::as_str)))
    {
        return Err(results_error(
            path,
            format!(
                "point `{}` has other axes than the first point: the file is damaged",
                p.name
            ),
        ));
    }
    Ok((summary, axes))
}

/// Checks that the CSV files beside `summary.json` list its points.
fn check_csv(dir: &Path, names: &[&str]) -> Result<(), Error> {
    let results_csv = dir.join("results.csv");
    let names_of = |rows: Vec<ResultRow>| rows.into_iter().map(|r| r.name).collect::<Vec<_>>();
    if results_csv.exists()
        && names_of(csv_rows(&results_csv, &["point", "name"], ResultRow::read)?) != names
    {
        return Err(results_error(
            dir,
            "results.csv and summary.json list different points: they come from different runs; run the scenario again",
        ));
    }
    let differences_csv = dir.join("differences.csv");
    if differences_csv.exists() {
        let rows = csv_rows(&differences_csv, &["name", "group", "metric"], |b| {
            Ok((Vec::new(), read_rows::<DifferenceRow>(b)?))
        })?;
        if let Some(stray) = rows.iter().find(|r| !names.contains(&r.name.as_str())) {
            return Err(results_error(
                dir,
                format!(
                    "differences.csv has a point `{}` that summary.json lacks: they come from different runs",
                    stray.name
                ),
            ));
        }
    }
    Ok(())
}

/// `compare.json`, if the folder has one, checked against the points.
fn comparison(dir: &Path, names: &[&str]) -> Result<Option<Comparison>, Error> {
    let path = dir.join("compare.json");
    if !path.exists() {
        return Ok(None);
    }
    let c = read_document::<ComparisonFile>(&path)?.0.comparison;
    if names != [c.a.as_str(), c.b.as_str()] {
        return Err(results_error(
            dir,
            "compare.json does not compare the two points of summary.json: they come from different runs",
        ));
    }
    Ok(Some(c))
}

/// Reads and checks the output folder `dir`.
pub fn load(dir: &Path) -> Result<Results, Error> {
    if !dir.is_dir() {
        return Err(results_error(
            dir,
            "no such folder (give the folder that `tiersim run`, `sweep` or `compare` wrote)",
        ));
    }
    let summary_path = dir.join("summary.json");
    let manifest_path = dir.join("manifest.json");
    if !summary_path.exists() {
        return Err(no_summary(dir, &manifest_path)?);
    }
    if !manifest_path.exists() {
        return Err(results_error(
            dir,
            "summary.json has no manifest.json beside it: the folder is incomplete; run the scenario again",
        ));
    }
    let (summary, axes) = points(&summary_path)?;
    let (manifest, manifest_text) = read_document::<ManifestFile>(&manifest_path)?;
    let names: Vec<&str> = summary.scenarios.iter().map(|p| p.name.as_str()).collect();
    if !manifest
        .manifest
        .points
        .iter()
        .map(|p| p.name.as_str())
        .eq(names.iter().copied())
    {
        return Err(results_error(
            dir,
            "summary.json and manifest.json list different points: they come from different runs; run the scenario again",
        ));
    }
    check_csv(dir, &names)?;
    let comparison = comparison(dir, &names)?;
    Ok(Results {
        dir: dir.to_path_buf(),
        version: summary.version,
        axes,
        points: summary.scenarios,
        manifest: manifest.manifest,
        manifest_text,
        comparison,
    })
}
