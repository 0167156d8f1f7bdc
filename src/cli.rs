//! The command line: argument parsing (clap), progress, Ctrl-C, and the
//! commands, each reading like the pipeline it runs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};

use crate::experiment::journal::{self, Header, Journal};
use crate::experiment::runner::{Halt, Interrupted};
use crate::experiment::{PointResult, Precision, RunOptions, Shape, run_points};
use crate::model::Model;
use crate::report::{self, RunInfo};
use crate::scenario::{self, Sweep};

mod planning;

/// Simulates how a bank's relationship managers serve their clients.
#[derive(Debug, Parser)]
#[command(name = "tiersim", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one scenario (every point of its sweep, if it has one) and write
    /// summary.json, results.csv, replications.csv and manifest.json.
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// How to run.
        #[command(flatten)]
        run: RunArgs,
    },
    /// Run every point of a scenario's `[sweep]` (same outputs as `run`).
    Sweep {
        /// The scenario file (TOML) with `[[sweep.axis]]` tables.
        scenario: PathBuf,
        /// How to run.
        #[command(flatten)]
        run: RunArgs,
        /// Run only the K-th of N disjoint, balanced parts of the sweep
        /// (K from 1); join the parts with `tiersim merge`.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
    },
    /// Compare scenario B with scenario A on the same random clients: the
    /// paired difference B - A of every metric with its 95% CI.
    Compare {
        /// Scenario A (its seed and replications are used for both).
        a: PathBuf,
        /// Scenario B.
        b: PathBuf,
        /// Output folder [default: output/<A>-vs-<B>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads [default: one per core].
        #[arg(long)]
        threads: Option<usize>,
        /// Give B independent random streams instead of A's (to see what
        /// common random numbers gain).
        #[arg(long)]
        independent: bool,
        /// Also make the report (plots and report.html) in the output folder.
        #[arg(long)]
        report: bool,
    },
    /// Join the output folders of the shards of one sweep into the files an
    /// unsharded run writes.
    Merge {
        /// The shards' output folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder [default: output/<scenario name>/].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Validate a scenario without running it: each tier's offered load,
    /// utilization and stability, and the expected events and run time.
    /// Exit code 0 when valid, 2 when not.
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Threads the run-time estimate assumes [default: one per core].
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Make the report of an output folder: every plot as SVG and PNG, and
    /// report.html, one self-contained page to open in a browser or print.
    Report {
        /// The folder that `run`, `sweep` or `compare` wrote.
        dir: PathBuf,
    },
    /// Closed-form figures of one queue (Erlang B, C, and A with patience)
    /// and the fewest servers meeting targets.
    Erlang(planning::ErlangArgs),
    /// Find the staffing per tier and slot of the day that meets the
    /// scenario's [targets] at least [cost], and the shifts that cover it.
    Plan(planning::PlanArgs),
}

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
}

/// Set by Ctrl-C: workers start no new replication.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// The exit code of a run stopped by Ctrl-C.
pub const INTERRUPTED: i32 = 130;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: stop now.
            std::process::exit(INTERRUPTED);
        }
        eprintln!(
            "\ninterrupted: finishing the replications in progress and saving finished points..."
        );
    });
    match cli.command {
        Command::Run { scenario, run } => sweep(&scenario, &run, None),
        Command::Sweep {
            scenario,
            run,
            shard,
        } => {
            let shard = shard.as_deref().map(parse_shard).transpose()?;
            sweep(&scenario, &run, shard)
        }
        Command::Compare {
            a,
            b,
            out,
            threads,
            independent,
            report,
        } => compare(&a, &b, out, threads, independent, report),
        Command::Merge { dirs, out } => merge(&dirs, out),
        Command::Report { dir } => make_report(&dir),
        Command::Erlang(args) => planning::erlang(&args),
        Command::Plan(args) => planning::plan(&args),
        Command::Check { scenario, threads } => check(&scenario, threads),
    }
}

/// Whether tables get colour: only when stdout is a terminal, and not when
/// `NO_COLOR` is set (<https://no-color.org>).
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `report`: the plots and report.html of an output folder.
fn make_report(dir: &Path) -> Result<()> {
    let outcome = report::make_report(dir, &report::ReportOptions::default())?;
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "wrote {} and {} plot files",
        outcome.html.display(),
        outcome.files.len()
    );
    Ok(())
}

/// `check`: validates a scenario and prints what running it asks and costs.
fn check(file: &Path, threads: Option<usize>) -> Result<()> {
    let sweep = scenario::load_sweep(file)?;
    print_warnings(file, &sweep);
    let threads = threads.unwrap_or_else(rayon::current_num_threads).max(1);
    print!(
        "{}",
        report::check::render(&file.display().to_string(), &sweep, threads)
    );
    Ok(())
}

/// `K/N` with 1 <= K <= N.
fn parse_shard(s: &str) -> Result<(usize, usize)> {
    let parsed = s.split_once('/').and_then(|(k, n)| {
        Some((
            k.trim().parse::<usize>().ok()?,
            n.trim().parse::<usize>().ok()?,
        ))
    });
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => bail!("--shard {s}: expected K/N with 1 <= K <= N, like 1/4"),
    }
}

/// The points of shard `(k, n)`: every n-th point from the (k-1)-th, so
/// parts are disjoint, cover the sweep, and differ in size by at most one.
fn shard_points(total: usize, shard: Option<(usize, usize)>) -> Vec<usize> {
    (0..total)
        .filter(|i| shard.is_none_or(|(k, n)| i % n == k - 1))
        .collect()
}

/// A rayon pool with `threads` workers, or one per core.
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

/// Reports progress: a bar on a terminal, a plain line every 10 seconds (and
/// at the end) otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    last_line: Mutex<Instant>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} replications  {per_sec}  ETA {eta}",
                )
                .expect("a valid template"),
            );
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            started: now,
            last_line: Mutex::new(now),
        }
    }

    fn update(&self, done: u64, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
            return;
        }
        let mut last = self.last_line.lock().expect("no panics while locked");
        if done == total || last.elapsed().as_secs() >= 10 {
            *last = Instant::now();
            let seconds = self.started.elapsed().as_secs_f64();
            let rate = done as f64 / seconds.max(1e-9);
            let eta = (total - done) as f64 / rate.max(1e-9);
            eprintln!(
                "progress: {done}/{total} replications ({:.0}%), {rate:.1}/s, ETA {eta:.0} s",
                100.0 * done as f64 / total.max(1) as f64
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Prints the warnings of a sweep's points, once each.
fn print_warnings(file: &Path, sweep: &Sweep) {
    let mut seen = Vec::new();
    for p in &sweep.points {
        for w in &p.scenario.warnings {
            let line = if sweep.points.len() > 1 {
                format!("point `{}`: {w}", p.name)
            } else {
                w.clone()
            };
            if !seen.contains(&line) {
                eprintln!("warning: {}: {line}", file.display());
                seen.push(line);
            }
        }
    }
}

/// Runs `points` of `sweep` (the indices not yet in `done`), journaling each
/// as it finishes; returns all finished points in order.
fn run_journaled(
    sweep: &Sweep,
    points: &[usize],
    options: &RunOptions,
    journal: &Journal,
    done: Vec<PointResult>,
    threads: Option<usize>,
) -> Result<(Vec<PointResult>, usize)> {
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
        Err(Halt::Overloaded(e)) => return Err(e.into()),
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
    Ok((all, pool.current_num_threads()))
}

/// `run` and `sweep`.
fn sweep(file: &Path, args: &RunArgs, shard: Option<(usize, usize)>) -> Result<()> {
    let started = SystemTime::now();
    if args.report && shard.is_some() {
        bail!(
            "--report needs the whole sweep: run the shards without it, `tiersim merge` them, then `tiersim report` the merged folder"
        );
    }
    let mut sweep = scenario::load_sweep(file)?;
    if let Some(limit) = args.max_clients_inside {
        if limit == 0 {
            bail!("--max-clients-inside must be at least 1");
        }
        for p in &mut sweep.points {
            p.scenario.model.run.max_clients_inside = limit;
        }
    }
    print_warnings(file, &sweep);
    let shape = Shape::of(&sweep.points[0].scenario.model);
    let precision = args
        .precision
        .iter()
        .map(|p| Precision::parse(p, &shape))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| anyhow!("--precision {e}"))?;
    if !precision.is_empty() && args.max_replications < 2 {
        bail!("--max-replications must be at least 2 with --precision");
    }
    let options_text = if precision.is_empty() {
        String::new()
    } else {
        let specs: Vec<&str> = precision.iter().map(|p| p.spec.as_str()).collect();
        format!(
            "precision {} within {} replications",
            specs.join(", "),
            args.max_replications
        )
    };
    let options = RunOptions {
        precision,
        max_replications: args.max_replications,
    };
    let dir = args.out.clone().unwrap_or_else(|| {
        let base = PathBuf::from("output").join(&sweep.name);
        match shard {
            Some((k, n)) => base.join(format!("shard-{k}-of-{n}")),
            None => base,
        }
    });
    let source =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let header = Header {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        scenario: sweep.name.clone(),
        content_hash: sweep.content_hash.clone(),
        points: sweep.points.len(),
        shard,
        options: options_text.clone(),
        source,
    };
    let (journal, done) = if args.resume {
        Journal::resume(&dir, &header)?
    } else {
        (Journal::create(&dir, &header)?, Vec::new())
    };
    let selected = shard_points(sweep.points.len(), shard);
    if !done.is_empty() {
        eprintln!(
            "resuming: {} of {} points already finished",
            done.len(),
            selected.len()
        );
    }
    let (results, threads) =
        run_journaled(&sweep, &selected, &options, &journal, done, args.threads)?;
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
        report::write_manifest(&dir, &sweep, &results, &info)?;
        eprintln!(
            "shard {k}/{n}: {} points in {}; join all {n} shards with `tiersim merge DIR...`",
            results.len(),
            dir.display()
        );
        return Ok(());
    }
    finish_sweep(&dir, &sweep, &results, &info)?;
    if args.report {
        make_report(&dir)?;
    }
    Ok(())
}

/// Writes a complete sweep's files and prints its table.
fn finish_sweep(dir: &Path, sweep: &Sweep, results: &[PointResult], info: &RunInfo) -> Result<()> {
    let s = report::write_sweep(dir, sweep, results, info)?;
    if s.summaries.len() == 1 {
        print!(
            "{}",
            report::table::render_styled(&s.summaries[0], colour())
        );
    } else {
        let stops: Vec<&str> = results.iter().map(|r| r.stop.as_str()).collect();
        print!(
            "{}",
            report::table::points_styled(&s.summaries, &stops, colour())
        );
    }
    eprintln!("\nwrote {}", dir.display());
    Ok(())
}

/// `merge`: the shards' journals into one sweep's files.
fn merge(dirs: &[PathBuf], out: Option<PathBuf>) -> Result<()> {
    let started = SystemTime::now();
    let mut parts = Vec::new();
    for dir in dirs {
        parts.push((dir, journal::read(dir)?));
    }
    let (first_dir, (first, _)) = &parts[0];
    let Some((_, n)) = first.shard else {
        bail!(
            "{}: not a shard (it was run without --shard)",
            first_dir.display()
        );
    };
    let mut results: Vec<PointResult> = Vec::new();
    let mut seen_shards = Vec::new();
    for (dir, (header, points)) in &parts {
        let same_run = Header {
            shard: first.shard,
            ..header.clone()
        } == *first;
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
        if points.len() != expected.len() {
            bail!(
                "{}: shard {k}/{n} is unfinished ({} of {} points); finish it with --resume before merging",
                dir.display(),
                points.len(),
                expected.len()
            );
        }
        results.extend(points.iter().cloned());
    }
    let missing: Vec<usize> = (1..=n).filter(|k| !seen_shards.contains(k)).collect();
    if !missing.is_empty() {
        bail!("shards {missing:?} of {n} are missing");
    }
    results.sort_by_key(|r| r.point);
    let sweep = scenario::parse_sweep(
        &first.source,
        &format!("{} (scenario of the shards)", first.scenario),
    )?;
    if sweep.content_hash != first.content_hash || sweep.points.len() != first.points {
        bail!("the shards' scenario text does not expand to the sweep they ran");
    }
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&sweep.name));
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
    finish_sweep(&dir, &sweep, &results, &info)
}

/// `compare`: A and B as the two points of a sweep whose baseline is A.
fn compare(
    a: &Path,
    b: &Path,
    out: Option<PathBuf>,
    threads: Option<usize>,
    independent: bool,
    make: bool,
) -> Result<()> {
    let started = SystemTime::now();
    let (sa, sb) = (scenario::load(a)?, scenario::load(b)?);
    let mut sb = sb;
    let (seed, reps) = (sa.model.run.seed, sa.model.run.replications);
    if sb.model.run.seed != seed || sb.model.run.replications != reps {
        eprintln!(
            "note: B runs with A's seed ({seed}) and replications ({reps}) so that both see the same clients"
        );
    }
    sb.model.run.seed = if independent {
        seed ^ 0x5DEE_CE66_D1CE_4E5B
    } else {
        seed
    };
    sb.model.run.replications = reps;
    let (na, nb) = (sa.model.name.clone(), sb.model.name.clone());
    let (la, lb) = if na == nb {
        (format!("A:{na}"), format!("B:{nb}"))
    } else {
        (na.clone(), nb.clone())
    };
    let bytes = |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    let mut both = bytes(a)?;
    both.extend(bytes(b)?);
    let sweep = Sweep {
        name: format!("{na}-vs-{nb}"),
        content_hash: scenario::sweep::content_hash(&both),
        axes: vec!["scenario".into()],
        points: vec![
            scenario::Point {
                name: la.clone(),
                parameters: vec![("scenario".into(), toml::Value::String(la.clone()))],
                scenario: sa,
            },
            scenario::Point {
                name: lb.clone(),
                parameters: vec![("scenario".into(), toml::Value::String(lb.clone()))],
                scenario: sb,
            },
        ],
        baseline: Some(0),
    };
    print_warnings(a, &sweep);
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&sweep.name));
    let header = Header {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        scenario: sweep.name.clone(),
        content_hash: sweep.content_hash.clone(),
        points: 2,
        shard: None,
        options: if independent {
            "independent streams".into()
        } else {
            String::new()
        },
        source: String::new(),
    };
    let journal = Journal::create(&dir, &header)?;
    let (results, threads) = run_journaled(
        &sweep,
        &[0, 1],
        &RunOptions::default(),
        &journal,
        Vec::new(),
        threads,
    )?;
    let info = RunInfo {
        file: format!("{} vs {}", a.display(), b.display()),
        command_line: std::env::args().collect(),
        threads,
        started,
        finished: SystemTime::now(),
        shard: None,
        options: header.options.clone(),
        merged_from: Vec::new(),
    };
    let s = report::write_sweep(&dir, &sweep, &results, &info)?;
    let diffs = &s.vs_baseline.as_ref().expect("a comparison has a baseline")[1];
    let doc = report::summary::Comparison {
        a: la.clone(),
        b: lb.clone(),
        replications: u64::from(reps),
        seed,
        common_random_numbers: !independent,
        differences: report::json::differences(diffs),
    };
    report::write_atomic(
        &dir.join("compare.json"),
        report::json::document("comparison", &doc).as_bytes(),
    )?;
    print!(
        "{}",
        report::table::differences_styled(&la, &lb, diffs, colour())
    );
    eprintln!("\nwrote {}", dir.display());
    if make {
        make_report(&dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_balanced_and_complete() {
        for total in [0, 1, 7, 100] {
            for n in 1..=5 {
                let parts: Vec<Vec<usize>> =
                    (1..=n).map(|k| shard_points(total, Some((k, n)))).collect();
                let mut all: Vec<usize> = parts.concat();
                all.sort();
                assert_eq!(all, (0..total).collect::<Vec<_>>());
                let sizes: Vec<usize> = parts.iter().map(Vec::len).collect();
                assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(parse_shard("2/4").unwrap(), (2, 4));
        for bad in ["3/2", "0/0", "0/3", "1", "a/b", "1/0"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
