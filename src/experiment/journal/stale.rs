//! Clearing an output folder of the files an earlier run wrote, before a
//! new run writes its own: otherwise a file the new run does not write
//! (`differences.csv` of an earlier sweep with a baseline, `compare.json`,
//! the report of earlier results) would sit beside the new results and
//! contradict them. Only the names a run writes are removed, and only in a
//! folder a tiersim run wrote (it holds a journal or a tiersim
//! `manifest.json`); any other file is left alone.

use std::path::Path;

use crate::error::Error;

/// The files a run, `compare`, `merge` or `report` writes into an output
/// folder, besides the journal and the lock (which are not cleared).
pub const OUTPUTS: [&str; 9] = [
    "summary.json",
    "results.csv",
    "results_long.csv",
    "replications.csv",
    "differences.csv",
    "compare.json",
    "manifest.json",
    "report.html",
    "journeys.csv",
];

/// Whether `name` is a file a run writes into its folder (its outputs and
/// plots, and the temporary files of an atomic write cut short by a kill),
/// and so one an earlier run may have left.
pub fn is_output(name: &str) -> bool {
    // `write_atomic` writes `<name>.tmp<pid>` and renames it.
    let base = match name.rsplit_once(".tmp") {
        Some((base, pid)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => name,
    };
    let plot = base.starts_with("plot-") && (base.ends_with(".svg") || base.ends_with(".png"));
    plot || OUTPUTS.contains(&base) || (base == super::FILE && base != name)
}

/// Whether `dir` looks like the output folder of a tiersim run.
fn written_by_tiersim(dir: &Path) -> bool {
    if dir.join(super::FILE).is_file() {
        return true;
    }
    std::fs::read(dir.join("manifest.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v["tool"] == "tiersim")
}

/// Removes from `dir` every file an earlier run wrote ([`is_output`]),
/// when `dir` is the output folder of a tiersim run. Call it holding the
/// folder's lock, after deciding to write into it.
pub fn clear(dir: &Path) -> Result<(), Error> {
    if !written_by_tiersim(dir) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && name.to_str().is_some_and(is_output) {
            std::fs::remove_file(entry.path()).map_err(|source| Error::Write {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_outputs_and_nothing_else() {
        for name in [
            "summary.json",
            "differences.csv",
            "report.html",
            "plot-waits.svg",
            "plot-day.png",
            "results.csv.tmp1234",
            "points.jsonl.tmp77",
        ] {
            assert!(is_output(name), "{name}");
        }
        for name in [
            "points.jsonl",
            "tiersim.lock",
            "notes.txt",
            "summary.json.bak",
            "results.csv.tmp",
            "results.csv.tmpx1",
            "plot-waits.pdf",
            "s.toml",
        ] {
            assert!(!is_output(name), "{name}");
        }
    }
}
