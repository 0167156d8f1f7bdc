//! The command line: argument parsing (clap), progress, Ctrl-C, and the
//! commands, each reading like the pipeline it runs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};
use clap::{CommandFactory, Parser, Subcommand};

mod attribute;
mod backtest;
mod check;
mod compare;
mod erlang;
mod fit;
mod merge;
mod output;
mod plan;
mod progress;
mod report;
mod run;
mod shard;

pub(crate) use output::colour;
pub use output::{ColorChoice, OutputArgs};
pub use run::RunArgs;

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
    #[command(after_help = "Examples:
  tiersim run scenarios/baseline.toml
  tiersim run scenarios/baseline.toml --report --out output/my-baseline
  tiersim run scenarios/baseline.toml --json --threads 2
  tiersim run scenarios/two-tier.toml --precision wait_mean=0.05 --quiet")]
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// How to run.
        #[command(flatten)]
        run: RunArgs,
    },
    /// Run every point of a scenario's `[sweep]` (same outputs as `run`).
    #[command(after_help = "Examples:
  tiersim sweep scenarios/sweeps/staffing.toml
  tiersim sweep scenarios/sweeps/staffing.toml --shard 1/2 --out output/part1")]
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
    #[command(after_help = "Examples:
  tiersim compare scenarios/case-study/before.toml scenarios/case-study/after.toml
  tiersim compare scenarios/case-study/before.toml scenarios/case-study/after.toml --report
  tiersim compare scenarios/case-study/before.toml scenarios/case-study/after.toml --json")]
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
        /// Also write journeys.csv: one row per contact of every client
        /// after the warm-up, on both sides (docs/journeys.md).
        #[arg(long)]
        journeys: bool,
        /// What to print.
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Join the output folders of the shards of one sweep into the files an
    /// unsharded run writes.
    #[command(after_help = "Example:
  tiersim merge output/part1 output/part2 --out output/whole")]
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
    #[command(after_help = "Example:
  tiersim check scenarios/baseline.toml")]
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Threads the run-time estimate assumes [default: one per core].
        #[arg(long)]
        threads: Option<usize>,
        /// Print the scenario as it runs instead: merged with the files it
        /// `extends`, as TOML.
        #[arg(long)]
        expand: bool,
    },
    /// Make the report of an output folder: every plot as SVG and PNG, and
    /// report.html, one self-contained page to open in a browser or print.
    #[command(after_help = "Example:
  tiersim run scenarios/baseline.toml && tiersim report output/baseline")]
    Report {
        /// The folder that `run`, `sweep` or `compare` wrote.
        dir: PathBuf,
    },
    /// Closed-form figures of one queue (Erlang B, C, and A with patience)
    /// and the fewest servers meeting targets.
    #[command(after_help = "Examples:
  tiersim erlang --arrivals-per-hour 120 --service-mean 4 --target service_level=0.8
  tiersim erlang --arrivals-per-hour 120 --service-mean 4 --servers 8-12 --patience-mean 3
  tiersim erlang --calls 60 --interval 30min --aht 240s --sl 80/20s")]
    Erlang(erlang::ErlangArgs),
    /// Find the staffing per tier and slot of the day that meets the
    /// scenario's [targets] at least [cost], and the shifts that cover it.
    #[command(after_help = "Examples:
  tiersim plan scenarios/baseline.toml
  tiersim plan scenarios/baseline.toml --report --replications 10
  tiersim plan scenarios/baseline.toml --json")]
    Plan(plan::PlanArgs),
    /// Fit a scenario to a call log: arrivals, service, patience, staffing.
    #[command(after_help = "See docs/fit.md for a worked example on a call log.")]
    Fit(fit::FitArgs),
    /// Back-test a scenario against a held-out period of a call log: hour
    /// by hour simulated vs observed waits and abandonment, with the
    /// period's staffing, its arrivals forecast and/or replayed.
    #[command(after_help = "Example:
  tiersim backtest tests/fixtures/backtest/fitted.toml --log tests/fixtures/backtest/calls.tsv --arrivals forecast,replay --out output/backtest-fixture
See docs/backtest.md for the method and the shipped back-test.")]
    Backtest(backtest::BacktestArgs),
    /// What each `[[remedy]]` of a scenario buys: Shapley values, a
    /// waterfall, the package's effect and the interaction, with paired CIs.
    #[command(after_help = "Examples:
  tiersim attribute scenarios/case-study/remedies.toml
  tiersim attribute scenarios/case-study/remedies.toml --order chatbot,training,loan_process --report
  tiersim attribute scenarios/case-study/remedies.toml --sensitivity

See docs/remedies.md for the case study read for a manager.")]
    Attribute(attribute::AttributeArgs),
    /// A what-if page for managers: a local web server with the scenario's
    /// staffing, remedies, volume and levers as controls; every change is
    /// rerun against the unchanged scenario on the same clients. Runs until
    /// Ctrl-C.
    #[command(after_help = "Examples (each runs until Ctrl-C):
  tiersim serve scenarios/baseline.toml [--open]
  tiersim serve scenarios/case-study/remedies.toml [--listen 127.0.0.1:8080]

See docs/serve.md for a walk-through and the API.")]
    Serve {
        /// The scenario file (TOML), without [sweep].
        scenario: PathBuf,
        /// The address to listen on; loopback by default. Any other
        /// address lets anyone who reaches it use the page (no
        /// authentication).
        #[arg(long, default_value = "127.0.0.1:8700")]
        listen: std::net::SocketAddr,
        /// Open the page in the desktop's browser.
        #[arg(long)]
        open: bool,
        /// Worker threads [default: one per core].
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder for plans [default: output/serve-<name>-whatif/].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    /// to stdout.
    #[command(after_help = "Examples:
  tiersim completions bash > ~/.local/share/bash-completion/completions/tiersim
  tiersim completions zsh > ~/.zfunc/_tiersim")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Set by Ctrl-C: workers start no new replication.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// The exit code of a run stopped by Ctrl-C.
pub const INTERRUPTED: i32 = 130;

/// Ctrl-C sets [`CANCEL`] (a second one stops at once). Without a handler
/// (one is already set) Ctrl-C stops at once, as by default.
fn handle_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: stop now.
            std::process::exit(INTERRUPTED);
        }
        eprintln!(
            "\ninterrupted: finishing the replications in progress and saving finished points..."
        );
    });
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    handle_ctrl_c();
    match cli.command {
        Command::Run { scenario, run } => {
            run.output.apply();
            run::sweep(&scenario, &run, None)
        }
        Command::Sweep {
            scenario,
            run,
            shard,
        } => {
            let shard = shard.as_deref().map(shard::parse_shard).transpose()?;
            run.output.apply();
            run::sweep(&scenario, &run, shard)
        }
        Command::Compare {
            a,
            b,
            out,
            threads,
            independent,
            report,
            journeys,
            output,
        } => {
            output.apply();
            let options = compare::CompareOptions {
                out,
                threads,
                independent,
                report,
                journeys,
            };
            compare::compare(&a, &b, options, &output)
        }
        Command::Merge { dirs, out } => merge::merge(&dirs, out),
        Command::Report { dir } => report::make_report(&dir),
        Command::Erlang(args) => erlang::erlang(&args),
        Command::Plan(args) => plan::plan(&args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "tiersim",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Command::Fit(args) => fit::fit(&args),
        Command::Backtest(args) => backtest::backtest(&args),
        Command::Attribute(args) => attribute::attribute_command(&args),
        Command::Check {
            scenario,
            threads,
            expand,
        } => check::check(&scenario, threads, expand),
        Command::Serve {
            scenario,
            listen,
            open,
            threads,
            out,
        } => crate::serve::serve(
            &crate::serve::Options {
                scenario,
                listen,
                open,
                threads,
                out,
            },
            &CANCEL,
        ),
    }
}

/// A rayon pool with `threads` workers, or one per core.
pub(crate) fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

/// `--day-quantile Q`: a share strictly between 0 and 1 (clap reports
/// anything else as a usage error, exit 2).
pub(crate) fn day_quantile(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(q) if q.is_finite() && q > 0.0 && q < 1.0 => Ok(q),
        _ => Err(format!(
            "got `{text}`; allowed: a share of days strictly between 0 and 1, e.g. 0.9 (the figures that 90% of days do at least as well as)"
        )),
    }
}
