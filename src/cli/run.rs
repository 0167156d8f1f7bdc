//! `tiersim run` and `tiersim sweep`: every point of a scenario's sweep
//! (or one shard of it), journaled as each finishes so that `--resume`
//! computes only the rest; then the output files and the table.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::SystemTime;

use anyhow::{Result, anyhow, bail};
use clap::Args;

use super::output::OutputArgs;
use super::progress::Progress;
use super::report::make_report;
use super::shard::shard_points;
use super::{CANCEL, INTERRUPTED, colour, thread_pool};
use crate::experiment::journal::{self, Header, Journal};
use crate::experiment::journeys::{Journeys, Label};
use crate::experiment::runner::{Halt, Interrupted};
use crate::experiment::{
    Done, FinishedPoints, PointResult, Precision, RunOptions, Shape, run_points,
};
use crate::model::Model;
use crate::report::table::PointsTable;
use crate::report::{self, RunInfo, SlotsKept};
use crate::scenario::remedy::{Choice, Package};
use crate::scenario::{self, Sweep};

/// Options shared by `run` and `sweep`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Output folder [default: output/<scenario name>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads [default: one per core]. Results are identical
    /// whatever the number.
    #[arg(long)]
    threads: Option<usize>,
    /// Add replications until this metric's 95% CI is tight enough:
    /// `wait_mean=0.05` (half-width 5% of the mean), `wait_mean=0.1min` or
    /// `tier.junior.utilization=0.01abs` (absolute). Repeat for several.
    #[arg(long, value_name = "METRIC=TARGET")]
    precision: Vec<String>,
    /// With --precision: the most replications a point may take.
    #[arg(long, default_value_t = 200)]
    max_replications: u32,
    /// Go on with an interrupted run in the same output folder: only the
    /// missing points are computed.
    #[arg(long)]
    resume: bool,
    /// Also make the report (plots and report.html) in the output folder.
    #[arg(long)]
    report: bool,
    /// Override `run.max_clients_inside`: a replication with more clients
    /// inside at once stops with an error naming the overloaded tier.
    #[arg(long, value_name = "N")]
    max_clients_inside: Option<u64>,
    /// Run the package without this `[[remedy]]`; repeat for several.
    #[arg(long, value_name = "NAME", conflicts_with = "only")]
    without: Vec<String>,
    /// Run the base with only this `[[remedy]]`; repeat for several.
    #[arg(long, value_name = "NAME")]
    only: Vec<String>,
    /// Also write journeys.csv: one row per contact of every client
    /// after the warm-up (docs/journeys.md).
    #[arg(long)]
    pub journeys: bool,
    /// Also give the service level, P(abandon) and mean wait on the
    /// Q-quantile day (those that a share Q of the simulated days do at
    /// least as well as), beside the means: summary.json `day_quantile`.
    #[arg(long, value_name = "Q", value_parser = super::day_quantile)]
    pub day_quantile: Option<f64>,
    /// What to print.
    #[command(flatten)]
    pub output: OutputArgs,
}

impl RunArgs {
    /// The remedies `--without` and `--only` choose.
    fn remedies(&self) -> Choice {
        if !self.only.is_empty() {
            Choice::Only(self.only.clone())
        } else if !self.without.is_empty() {
            Choice::Without(self.without.clone())
        } else {
            Choice::All
        }
    }
}

/// Prints the warnings of a sweep's points, once each, with the file,
/// line and column they point at (the tier they name).
pub(super) fn print_warnings(file: &Path, sweep: &Sweep) {
    if sweep.points.iter().all(|p| p.scenario.warnings.is_empty()) {
        return;
    }
    let source = std::fs::read_to_string(file).unwrap_or_default();
    let places = scenario::WarningPlaces::of(&source);
    let mut seen = std::collections::HashSet::new();
    for p in &sweep.points {
        for w in &p.scenario.warnings {
            let text = if sweep.points.len() > 1 {
                format!("point `{}`: {w}", p.name)
            } else {
                w.clone()
            };
            let at = places
                .place(w)
                .map_or(String::new(), |(line, column)| format!(":{line}:{column}"));
            if seen.insert(text.clone()) {
                eprintln!("warning: {}{at}: {text}", file.display());
            }
        }
    }
}

/// Runs `points` of `sweep` (the indices not yet in `done`), journaling each
/// as it finishes, then joins their journeys file (`--journeys`); returns
/// what is kept of all finished points, in order (their metrics are in the
/// journal).
pub(super) fn run_journaled(
    sweep: &Sweep,
    points: &[usize],
    options: &RunOptions,
    journal: &Journal,
    done: Vec<Done>,
    threads: Option<usize>,
) -> Result<(Vec<Done>, usize)> {
    let todo: Vec<(usize, &Model)> = points
        .iter()
        .filter(|i| !done.iter().any(|d| d.point == **i))
        .map(|&i| (i, &sweep.points[i].scenario.model))
        .collect();
    let pool = thread_pool(threads)?;
    let progress = Progress::new();
    let write_error = Mutex::new(None);
    let finished = |r: &PointResult| {
        if let Err(e) = journal.append(r, &sweep.points[r.point].name) {
            write_error
                .lock()
                .expect("no panics while locked")
                .get_or_insert(e);
            CANCEL.store(true, Ordering::SeqCst);
        }
    };
    let outcome = pool.install(|| {
        run_points(
            &todo,
            options,
            &finished,
            &|d, t| progress.update(d, t),
            &CANCEL,
        )
    });
    progress.finish();
    if let Some(e) = write_error.into_inner().expect("no panics while locked") {
        return Err(e.into());
    }
    let (new, interrupted) = match outcome {
        Ok(new) => (new, false),
        Err(Halt::Interrupted(Interrupted(new))) => (new, true),
        Err(Halt::Overloaded(e) | Halt::Failed(e)) => return Err(e.into()),
    };
    let mut all = done;
    all.extend(new);
    all.sort_by_key(|r| r.point);
    if interrupted {
        eprintln!(
            "interrupted: {} of {} points finished and saved in {}; run the same command with --resume to compute only the rest",
            all.len(),
            points.len(),
            journal::FILE
        );
        std::process::exit(INTERRUPTED);
    }
    if let Some(journeys) = &options.journeys {
        let model = |i: usize| &sweep.points[i].scenario.model;
        pool.install(|| journeys.finish(&all, &model))?;
    }
    Ok((all, pool.current_num_threads()))
}

/// `run` and `sweep`.
pub(super) fn sweep(file: &Path, args: &RunArgs, shard: Option<(usize, usize)>) -> Result<()> {
    let started = SystemTime::now();
    if args.report && shard.is_some() {
        bail!(
            "--report needs the whole sweep: run the shards without it, `tiersim merge` them, then `tiersim report` the merged folder"
        );
    }
    let package = Package::load(file)?;
    let chosen = package.chosen(&args.remedies())?;
    let mut sweep = package.sweep(&chosen)?;
    if let Some(limit) = args.max_clients_inside {
        if limit == 0 {
            bail!("--max-clients-inside must be at least 1");
        }
        for p in &mut sweep.points {
            p.scenario.model.run.max_clients_inside = limit;
        }
    }
    for p in &mut sweep.points {
        p.scenario.model.run.day_quantile = args.day_quantile;
    }
    print_warnings(file, &sweep);
    let (mut options, options_text) =
        run_options(args, &Shape::of(&sweep.points[0].scenario.model))?;
    let dir = args.out.clone().unwrap_or_else(|| {
        let base = PathBuf::from("output").join(&sweep.name);
        match shard {
            Some((k, n)) => base.join(format!("shard-{k}-of-{n}")),
            None => base,
        }
    });
    // What the journal keeps to expand the sweep again (`merge`): the file
    // merged with the files it `extends`, the chosen remedies applied.
    let header = Header {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        scenario: sweep.name.clone(),
        content_hash: sweep.content_hash.clone(),
        points: sweep.points.len(),
        shard,
        options: options_text.clone(),
        source: package.text(&chosen)?,
    };
    let (journal, done) = open_journal(&dir, &header, args.resume)?;
    options.journeys = journeys(&dir, &sweep, args)?;
    let selected = shard_points(sweep.points.len(), shard);
    if !done.is_empty() {
        eprintln!(
            "resuming: {} of {} points already finished",
            done.len(),
            selected.len()
        );
    }
    let (done, threads) = run_journaled(&sweep, &selected, &options, &journal, done, args.threads)?;
    let info = RunInfo {
        file: file.display().to_string(),
        command_line: std::env::args().collect(),
        threads,
        started,
        finished: SystemTime::now(),
        shard,
        options: options_text,
        merged_from: Vec::new(),
    };
    if let Some((k, n)) = shard {
        report::write_manifest(&dir, &sweep, &done, &info)?;
        eprintln!(
            "shard {k}/{n}: {} points in {}; join all {n} shards with `tiersim merge DIR...`",
            done.len(),
            dir.display()
        );
        return Ok(());
    }
    let (_, stored) = journal::read(&dir)?;
    finish_sweep(&dir, &sweep, &stored, &info, &args.output)?;
    if args.report {
        make_report(&dir)?;
    }
    Ok(())
}

/// The journal in `dir`: a new one, or with `resume` the interrupted one
/// and its finished points (its notes printed as warnings).
fn open_journal(dir: &Path, header: &Header, resume: bool) -> Result<(Journal, Vec<Done>)> {
    if !resume {
        return Ok((Journal::create(dir, header)?, Vec::new()));
    }
    let resumed = Journal::resume(dir, header)?;
    for note in &resumed.notes {
        eprintln!("warning: {note}");
    }
    Ok((resumed.journal, resumed.points))
}

/// The journeys file of the run in `dir` (`--journeys`), its rows labelled
/// by point for a sweep of several; with `--resume` it goes on with the
/// parts an interrupted run wrote.
fn journeys(dir: &Path, sweep: &Sweep, args: &RunArgs) -> Result<Option<Journeys>> {
    if !args.journeys {
        return Ok(None);
    }
    let label = if sweep.points.len() > 1 {
        Label::Point(sweep.points.iter().map(|p| p.name.clone()).collect())
    } else {
        Label::None
    };
    Ok(Some(if args.resume {
        Journeys::resume(dir, label)?
    } else {
        Journeys::create(dir, label)?
    }))
}

/// `--precision` and `--max-replications` as run options, and their text
/// for the journal and the manifest.
fn run_options(args: &RunArgs, shape: &Shape) -> Result<(RunOptions, String)> {
    let precision = args
        .precision
        .iter()
        .map(|p| Precision::parse(p, shape))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| anyhow!("--precision {e}"))?;
    if !precision.is_empty() && args.max_replications < 2 {
        bail!("--max-replications must be at least 2 with --precision");
    }
    let mut options_text = if precision.is_empty() {
        String::new()
    } else {
        let specs: Vec<&str> = precision.iter().map(|p| p.spec.as_str()).collect();
        format!(
            "precision {} within {} replications",
            specs.join(", "),
            args.max_replications
        )
    };
    // Days are kept only when asked: a journal without them cannot be
    // resumed with them (the option is part of the points' identity).
    if let Some(q) = args.day_quantile {
        let sep = if options_text.is_empty() { "" } else { "; " };
        options_text = format!("{options_text}{sep}day quantile {q}");
    }
    let options = RunOptions {
        precision,
        max_replications: args.max_replications,
        journeys: None,
    };
    Ok((options, options_text))
}

/// Writes a complete sweep's files (from `points`, read back one at a
/// time) and prints its table.
pub(super) fn finish_sweep(
    dir: &Path,
    sweep: &Sweep,
    points: &dyn FinishedPoints,
    info: &RunInfo,
    output: &OutputArgs,
) -> Result<()> {
    let slots = if sweep.points.len() == 1 {
        SlotsKept::Every
    } else {
        SlotsKept::Focus
    };
    let single = points.done().len() == 1;
    let mut table = PointsTable::default();
    let mut text = String::new();
    report::write_sweep(dir, sweep, points, info, slots, &mut |s, doc, stop, _| {
        if single {
            let model = &sweep.points[points.done()[0].point].scenario.model;
            let minutes = report::manifest::measured_minutes(model);
            text = report::table::run_styled(s, Some(doc), minutes, colour());
        } else {
            table.push(s, stop.as_str());
        }
    })?;
    output.print_json(&dir.join("summary.json"))?;
    if !output.table() {
        return Ok(());
    }
    if !single {
        text = table.render(colour());
    }
    print!("{text}");
    eprintln!("\nwrote {}", dir.display());
    Ok(())
}
