//! Results into files and onto the terminal: the JSON summary, CSV tables,
//! the run manifest and an aligned terminal table. Files are written
//! atomically (a temporary file, then a rename), so a reader never sees
//! half a file and a failed write leaves the old file intact.

pub mod csv;
pub mod json;
pub mod manifest;
pub mod table;

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::experiment::{Difference, PointResult, ScenarioSummary, Shape, paired, summarise};
use crate::scenario::Sweep;
pub use manifest::RunInfo;

/// Writes `bytes` to `path` atomically: into a temporary file beside it,
/// flushed to disk, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let failed = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(failed)
}

/// Each point's summary, and its paired differences from the sweep's
/// baseline when it has one.
pub struct PointSummaries {
    /// Per result, in point order.
    pub summaries: Vec<ScenarioSummary>,
    /// Per result, B = the point, A = the baseline.
    pub vs_baseline: Option<Vec<Vec<Difference>>>,
}

/// Summarises every finished point of `sweep`.
pub fn summarise_points(sweep: &Sweep, results: &[PointResult]) -> PointSummaries {
    let shape = |r: &PointResult| Shape::of(&sweep.points[r.point].scenario.model);
    let summaries = results
        .iter()
        .map(|r| summarise(&sweep.points[r.point].name, &shape(r), &r.replications))
        .collect();
    let vs_baseline = sweep.baseline.and_then(|b| {
        let base = results.iter().find(|r| r.point == b)?;
        Some(
            results
                .iter()
                .map(|r| paired(&shape(base), &base.replications, &shape(r), &r.replications))
                .collect(),
        )
    });
    PointSummaries {
        summaries,
        vs_baseline,
    }
}

/// Writes a finished sweep's files into `dir`: `summary.json`,
/// `results.csv`, `replications.csv`, `differences.csv` (with a baseline)
/// and `manifest.json`. `results` holds every point, in order.
pub fn write_sweep(
    dir: &Path,
    sweep: &Sweep,
    results: &[PointResult],
    info: &RunInfo,
) -> Result<PointSummaries, Error> {
    let s = summarise_points(sweep, results);
    let entries = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json::point(
                &sweep.points[r.point],
                &s.summaries[i],
                r.stop,
                s.vs_baseline.as_ref().map(|d| d[i].as_slice()),
            )
        })
        .collect();
    write_atomic(&dir.join("summary.json"), json::summary(entries).as_bytes())?;
    let rows: Vec<_> = results.iter().zip(&s.summaries).collect();
    write_atomic(&dir.join("results.csv"), &csv::results(sweep, &rows))?;
    write_atomic(
        &dir.join("replications.csv"),
        &csv::replications(sweep, results),
    )?;
    if let Some(d) = &s.vs_baseline {
        let rows: Vec<(String, &[Difference])> = results
            .iter()
            .zip(d)
            .map(|(r, d)| (sweep.points[r.point].name.clone(), d.as_slice()))
            .collect();
        write_atomic(&dir.join("differences.csv"), &csv::differences(&rows))?;
    }
    write_manifest(dir, sweep, results, info)?;
    Ok(s)
}

/// Writes `manifest.json` into `dir`.
pub fn write_manifest(
    dir: &Path,
    sweep: &Sweep,
    results: &[PointResult],
    info: &RunInfo,
) -> Result<(), Error> {
    write_atomic(
        &dir.join("manifest.json"),
        manifest::manifest(sweep, results, info).as_bytes(),
    )
}
