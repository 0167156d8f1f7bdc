//! `tiersim merge`: the shards' journals (and journeys files) joined into
//! the files an unsharded run writes.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::{Result, bail};

use super::run::finish_sweep;
use super::shard::shard_points;
use crate::experiment::FinishedPoints;
use crate::experiment::journal::{self, Header, Stored};
use crate::experiment::journeys;
use crate::report::RunInfo;
use crate::scenario;

/// `merge`: the shards' journals into one sweep's files.
pub(super) fn merge(dirs: &[PathBuf], out: Option<PathBuf>) -> Result<()> {
    let started = SystemTime::now();
    let mut parts = Vec::new();
    for dir in dirs {
        parts.push((dir, journal::read(dir)?));
    }
    let (first_dir, (first, _)) = &parts[0];
    let first = first.clone();
    let first_dir = first_dir.to_path_buf();
    let Some((_, n)) = first.shard else {
        bail!(
            "{}: not a shard (it was run without --shard)",
            first_dir.display()
        );
    };
    let mut stored = Vec::new();
    let mut seen_shards = Vec::new();
    for (dir, (header, points)) in parts {
        let same_run = Header {
            shard: first.shard,
            ..header.clone()
        } == first;
        if !same_run || header.shard.is_none_or(|(_, m)| m != n) {
            bail!(
                "{} is a shard of another sweep than {} (scenario, file, options, version or shard count differ)",
                dir.display(),
                first_dir.display()
            );
        }
        let (k, _) = header.shard.expect("checked above");
        if seen_shards.contains(&k) {
            bail!("{}: shard {k}/{n} is given twice", dir.display());
        }
        seen_shards.push(k);
        let expected = shard_points(header.points, header.shard);
        if points.done().len() != expected.len() {
            bail!(
                "{}: shard {k}/{n} is unfinished ({} of {} points); finish it with --resume before merging",
                dir.display(),
                points.done().len(),
                expected.len()
            );
        }
        stored.push(points);
    }
    let missing: Vec<usize> = (1..=n).filter(|k| !seen_shards.contains(k)).collect();
    if !missing.is_empty() {
        bail!("shards {missing:?} of {n} are missing");
    }
    let points = Stored::join(stored);
    let sweep = scenario::parse_sweep(
        &first.source,
        &format!("{} (scenario of the shards)", first.scenario),
    )?;
    if sweep.content_hash != first.content_hash || sweep.points.len() != first.points {
        bail!("the shards' scenario text does not expand to the sweep they ran");
    }
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&sweep.name));
    let _lock = journal::claim(&dir)?;
    let info = RunInfo {
        file: first.scenario.clone(),
        command_line: std::env::args().collect(),
        threads: 0,
        started,
        finished: SystemTime::now(),
        shard: None,
        options: first.options.clone(),
        merged_from: dirs.iter().map(|d| d.display().to_string()).collect(),
    };
    let names: Vec<String> = sweep.points.iter().map(|p| p.name.clone()).collect();
    journeys::merge(dirs, &names, &dir)?;
    finish_sweep(&dir, &sweep, &points, &info, &Default::default())
}
