//! The command line: argument parsing (clap) and the commands, each reading
//! like the pipeline it runs.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::{experiment, report, scenario};

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
    /// Run every replication of one scenario and write `summary.json`.
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Output folder [default: output/<scenario name>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads [default: one per core]. Results are identical
        /// whatever the number.
        #[arg(long)]
        threads: Option<usize>,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run {
            scenario,
            out,
            threads,
        } => run_scenario(&scenario, out, threads),
    }
}

fn run_scenario(
    path: &std::path::Path,
    out: Option<PathBuf>,
    threads: Option<usize>,
) -> Result<()> {
    let scenario = scenario::load(path)?;
    for w in &scenario.warnings {
        eprintln!("warning: {}: {w}", path.display());
    }
    let model = &scenario.model;
    let pool = thread_pool(threads)?;
    let started = std::time::Instant::now();
    let summary = pool.install(|| experiment::run(model));
    let elapsed = started.elapsed().as_secs_f64();
    print!("{}", report::table::render(&summary));
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&model.name));
    let file = dir.join("summary.json");
    let json = report::json::summary(vec![report::json::scenario(
        &summary,
        model.run.seed,
        &scenario.warnings,
    )]);
    report::write_atomic(&file, json.as_bytes())?;
    eprintln!(
        "\n{} replication(s), {} events in {elapsed:.2} s; wrote {}",
        summary.replications,
        summary.events,
        file.display()
    );
    Ok(())
}

/// A rayon pool with `threads` workers, or one per core.
fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        anyhow::bail!("--threads must be at least 1");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}
