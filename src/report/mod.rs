//! Results into files and onto the terminal: the JSON summary, CSV tables,
//! the run manifest, an aligned terminal table, and the report (plots as SVG
//! and PNG, and a self-contained `report.html`) made from an output folder.
//! Files are written atomically (a temporary file, then a rename), so a
//! reader never sees half a file and a failed write leaves the old file
//! intact.

pub mod attribution;
pub mod attribution_html;
pub mod catalogue;
pub mod check;
pub mod csv;
pub mod format;
pub mod goals;
pub mod headline;
pub mod html;
pub mod json;
pub mod long;
pub mod manifest;
pub mod page;
pub mod plot;
pub mod read;
pub mod service_map;
pub mod summary;
pub mod sweep_files;
pub mod table;
pub mod verdict;

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::experiment::{
    Difference, Done, FinishedPoints, PointResult, ScenarioSummary, Shape, paired, summarise,
};
use crate::scenario::Sweep;
pub use manifest::RunInfo;
pub use sweep_files::{EachPoint, SlotsKept};

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
/// `results.csv`, `results_long.csv`, `replications.csv`, `differences.csv` (with a baseline;
/// see [`sweep_files`] for what each holds) and `manifest.json`. `points`
/// holds every point, in order, loaded one at a time; `each` is called with
/// every point's summary, its entry of `summary.json`, why it stopped and
/// its paired differences from the baseline (B = the point, A = the
/// baseline).
pub fn write_sweep(
    dir: &Path,
    sweep: &Sweep,
    points: &dyn FinishedPoints,
    info: &RunInfo,
    slots: SlotsKept,
    each: &mut EachPoint<'_>,
) -> Result<(), Error> {
    sweep_files::write_sweep_files(dir, sweep, points, slots, each)?;
    write_manifest(dir, sweep, points.done(), info)
}

/// Writes `manifest.json` into `dir`.
pub fn write_manifest(
    dir: &Path,
    sweep: &Sweep,
    done: &[Done],
    info: &RunInfo,
) -> Result<(), Error> {
    write_atomic(
        &dir.join("manifest.json"),
        manifest::manifest(sweep, done, info).as_bytes(),
    )
}

/// How to make a report.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// The service-level target drawn on the plots when the scenario's
    /// `[targets]` sets none (the documented default 0.8).
    pub target: plot::Target,
}

/// What [`make_report`] wrote.
#[derive(Clone, Debug)]
pub struct ReportOutcome {
    /// The HTML report.
    pub html: std::path::PathBuf,
    /// Plot files written (SVG and PNG), in report order.
    pub files: Vec<std::path::PathBuf>,
    /// Notes on plots left out.
    pub notes: Vec<String>,
}

/// Makes the report of output folder `dir`: reads and checks its files,
/// draws every plot in memory, then writes the plots (`plot-*.svg`,
/// `plot-*.png`) and finally `report.html`, each atomically; plot files of
/// an earlier report that this one no longer has are removed. Nothing is
/// written unless the whole report could be made.
pub fn make_report(dir: &Path, options: &ReportOptions) -> Result<ReportOutcome, Error> {
    let results = read::load(dir)?;
    // A scenario's own `[targets]` service level replaces the default.
    let scenario_target = results
        .points
        .iter()
        .find_map(|p| p.service_level_target())
        .map(|value| plot::Target {
            value,
            from_scenario: true,
        });
    let target = scenario_target.as_ref().unwrap_or(&options.target);
    let plots = plot::all(&results, target)?;
    let page = html::page(&results, &plots, target);
    let mut files = Vec::new();
    for f in &plots.figures {
        let svg = dir.join(format!("{}.svg", f.file));
        write_atomic(&svg, f.svg.as_bytes())?;
        let png = dir.join(format!("{}.png", f.file));
        write_atomic(&png, &f.png)?;
        files.extend([svg, png]);
    }
    let html = dir.join("report.html");
    write_atomic(&html, page.as_bytes())?;
    remove_stale_plots(dir, &files);
    Ok(ReportOutcome {
        html,
        files,
        notes: plots.notes,
    })
}

/// Removes `plot-*.svg` and `plot-*.png` files in `dir` that are not in
/// `keep` (left by an earlier report of other results). Best effort: a file
/// that cannot be removed is left.
fn remove_stale_plots(dir: &Path, keep: &[std::path::PathBuf]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with("plot-") && (name.ends_with(".svg") || name.ends_with(".png"));
        if ours && !keep.contains(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}
