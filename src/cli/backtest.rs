//! `tiersim backtest`: a scenario against a held-out period of a call log,
//! with the period's staffing, its arrivals forecast (the scenario's own)
//! and/or replayed (traces of the actual calls); each mode is simulated by
//! `run` into its own folder and compared hour by hour with the observed
//! (`fit::backtest`). Method and the shipped figures: docs/backtest.md.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, Weekday};
use clap::{Args, Parser};

use super::{Cli, Command, run};
use crate::fit::backtest::compare::{self, Comparison};
use crate::fit::backtest::observed::observed;
use crate::fit::backtest::output::{self, Backtest, ModeResult, Setup};
use crate::fit::backtest::{
    ArrivalsMode, BacktestError, BacktestOptions, Prepared, StaffingSource, prepare,
};
use crate::fit::{Format, LogError};
use crate::report::summary::Summary;

/// Arguments of `backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// The scenario back-tested (e.g. one `tiersim fit` wrote from another
    /// period).
    scenario: PathBuf,
    /// The call log holding the held-out period.
    #[arg(long)]
    log: PathBuf,
    /// The log's layout.
    #[arg(long, value_enum, default_value = "anonymous-bank")]
    format: Format,
    /// First date of the held-out period, YYYY-MM-DD [default: the log's first].
    #[arg(long, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// Last date of the held-out period [default: the log's last].
    #[arg(long, value_name = "DATE")]
    to: Option<NaiveDate>,
    /// First date of the fit period (the one the scenario was fitted on):
    /// its day-hour spread makes the forecast's predictive bands (with
    /// --fit-to; nothing else is read from it).
    #[arg(long, value_name = "DATE", requires = "fit_to")]
    fit_from: Option<NaiveDate>,
    /// Last date of the fit period (with --fit-from).
    #[arg(long, value_name = "DATE", requires = "fit_from")]
    fit_to: Option<NaiveDate>,
    /// Weekdays compared, e.g. `sun,mon,tue,wed,thu` [default: all].
    #[arg(long, value_delimiter = ',', value_name = "DAYS")]
    days: Option<Vec<Weekday>>,
    /// Where the arrivals come from: `forecast` (the scenario's own),
    /// `replay` (the period's actual calls as traces), `replay-service`
    /// (their logged service lengths too), or a list
    /// (`forecast,replay,replay-service`).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "forecast")]
    arrivals: Vec<ArrivalsMode>,
    /// Agents on duty per weekday and slot in the period (CSV
    /// `day,slot,agents`, as `fit --staffing`) [default: estimated from
    /// the period's agent activity].
    #[arg(long, value_name = "FILE", conflicts_with = "scenario_staffing")]
    staffing: Option<PathBuf>,
    /// Share of the period's agents on duty taken as servers.
    #[arg(long, default_value_t = 1.0, value_name = "SHARE", value_parser = share)]
    availability: f64,
    /// Agents on duty taken as fully available servers before
    /// `--availability` applies to the rest (as `fit --dedicated-agents`).
    #[arg(long, default_value_t = 0.0, value_name = "AGENTS", value_parser = super::fit::dedicated_agents)]
    dedicated_agents: f64,
    /// Keep the scenario's own servers instead of the period's staffing.
    #[arg(long)]
    scenario_staffing: bool,
    /// Hours of the day compared, `START-END` (END exclusive, at most 24).
    #[arg(long, default_value = "7-24", value_name = "START-END", value_parser = hours)]
    hours: HourRange,
    /// Replications, instead of the scenario's.
    #[arg(long, value_name = "N")]
    replications: Option<u32>,
    /// Largest share of unusable log rows.
    #[arg(long, default_value_t = 0.01, value_name = "SHARE")]
    max_unusable: f64,
    /// Output folder [default: output/backtest/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also make each run's report (report.html) in its folder, and the
    /// over-the-day plot of observed against simulated (backtest-day.svg
    /// and .png) in the output folder.
    #[arg(long)]
    report: bool,
    /// Print no table.
    #[arg(long, short)]
    quiet: bool,
}

/// Hours of the day `start..end`.
#[derive(Debug, Clone, Copy)]
pub struct HourRange(u32, u32);

/// `START-END` with 0 <= START < END <= 24.
fn hours(text: &str) -> Result<HourRange, String> {
    let parsed = text
        .split_once('-')
        .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((a, b)) if a < b && b <= 24 => Ok(HourRange(a, b)),
        _ => Err(format!(
            "`{text}`: expected START-END, whole hours with 0 <= START < END <= 24, e.g. 7-24"
        )),
    }
}

/// A share in (0, 1].
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(a) if a > 0.0 && a <= 1.0 => Ok(a),
        _ => Err(format!(
            "`{text}`: expected a share greater than 0 and at most 1"
        )),
    }
}

impl BacktestArgs {
    /// The options of one mode.
    fn options(&self, arrivals: ArrivalsMode) -> BacktestOptions {
        let staffing = match (&self.staffing, self.scenario_staffing) {
            (_, true) => StaffingSource::Scenario,
            (Some(f), false) => StaffingSource::File(f.clone(), self.availability),
            (None, false) => StaffingSource::Estimated(self.availability),
        };
        BacktestOptions {
            scenario: self.scenario.clone(),
            log: self.log.clone(),
            format: self.format,
            from: self.from,
            to: self.to,
            days: self.days.clone(),
            arrivals,
            staffing,
            hours: self.hours.0..self.hours.1,
            replications: self.replications,
            max_unusable: self.max_unusable,
            dedicated_agents: self.dedicated_agents,
            fit_period: self.fit_from.zip(self.fit_to),
        }
    }
}

/// Runs `backtest`.
pub fn backtest(args: &BacktestArgs) -> Result<()> {
    if args.from.zip(args.to).is_some_and(|(f, t)| f > t) {
        return Err(LogError::Unusable {
            path: args.log.clone(),
            message: "--from is after --to; expected a date range with from <= to".into(),
        }
        .into());
    }
    let mut modes = args.arrivals.clone();
    modes.dedup();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output/backtest"));
    let mut results = Vec::new();
    let mut setup = None;
    for &mode in &modes {
        // Each error as itself, so that bad input exits 2 (main.rs).
        let prepared = prepare(&args.options(mode)).map_err(|e| match e {
            BacktestError::Log(e) => anyhow::Error::from(e),
            BacktestError::Scenario(e) => anyhow::Error::from(e),
        })?;
        let dir = if modes.len() == 1 {
            out.clone()
        } else {
            out.join(mode_name(mode))
        };
        let comparison = simulate_and_compare(&prepared, &dir, args, mode)?;
        setup.get_or_insert_with(|| setup_of(args, &prepared));
        results.push(ModeResult {
            arrivals: mode,
            run: dir.display().to_string(),
            comparison,
            forecast_bands: prepared.bands,
        });
    }
    let Some(setup) = setup else {
        bail!("no --arrivals mode given");
    };
    let backtest = Backtest {
        tool: "tiersim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        setup,
        modes: results,
    };
    output::write(&out, &backtest)?;
    if args.report {
        crate::fit::backtest::plot::draw(&backtest, &out)?;
        eprintln!("wrote {}", out.join("backtest-day.svg").display());
    }
    if !args.quiet {
        print(&backtest);
    }
    eprintln!(
        "wrote {} and {}",
        out.join("backtest.json").display(),
        out.join("backtest.csv").display()
    );
    Ok(())
}

/// The folder name of a mode.
fn mode_name(mode: ArrivalsMode) -> &'static str {
    mode.name()
}

/// Writes the prepared scenario and traces into `dir`, runs it there
/// (summary.json with per-slot figures) and compares it with the period.
fn simulate_and_compare(
    prepared: &Prepared,
    dir: &Path,
    args: &BacktestArgs,
    mode: ArrivalsMode,
) -> Result<Comparison> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let file = dir.join("scenario.toml");
    std::fs::write(&file, &prepared.scenario)
        .with_context(|| format!("cannot write {}", file.display()))?;
    for (name, text) in &prepared.traces {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let dir_text = dir.display().to_string();
    let file_text = file.display().to_string();
    let mut words = vec!["tiersim", "run", &file_text, "--out", &dir_text, "--quiet"];
    if args.report {
        words.push("--report");
    }
    let Command::Run { scenario, run } = Cli::try_parse_from(&words)?.command else {
        bail!("internal: the run command line did not parse as `run`");
    };
    run.output.apply();
    run::sweep(&scenario, &run, None)?;
    let summary_file = dir.join("summary.json");
    let text = std::fs::read_to_string(&summary_file)
        .with_context(|| format!("cannot read {}", summary_file.display()))?;
    let summary: Summary = serde_json::from_str(&text)
        .with_context(|| format!("cannot parse {}", summary_file.display()))?;
    let Some(slots) = summary.scenarios.first().and_then(|p| p.slots.as_ref()) else {
        bail!(
            "{} has no per-slot figures; a back-test needs a scenario with a [calendar]",
            summary_file.display()
        );
    };
    let slot_minutes = slots.slot_minutes.round() as u32;
    let period = &prepared.period;
    let hours = observed(
        &period.calls,
        &period.dates,
        args.hours.0..args.hours.1,
        prepared.threshold,
        &prepared.staffing,
        slot_minutes,
    );
    let tier = summary
        .scenarios
        .first()
        .and_then(|p| p.tiers.0.first())
        .map(|t| t.0.clone())
        .unwrap_or_default();
    Ok(compare::compare(&hours, slots, &tier, mode))
}

/// The setup recorded in backtest.json.
fn setup_of(args: &BacktestArgs, p: &Prepared) -> Setup {
    let hours = args.hours.0..args.hours.1;
    Setup {
        scenario: args.scenario.display().to_string(),
        log: args.log.display().to_string(),
        from: p.period.from.to_string(),
        to: p.period.to.to_string(),
        dates: p.period.dates.iter().map(|d| d.to_string()).collect(),
        hours: [args.hours.0, args.hours.1],
        staffing: if args.scenario_staffing {
            "the scenario's own servers".into()
        } else {
            format!(
                "{} {}",
                p.staffing.method,
                crate::fit::staffing::Availability {
                    share: args.availability,
                    dedicated: args.dedicated_agents,
                }
                .describe()
            )
        },
        service_level_threshold: p.threshold,
        calls: p
            .period
            .calls
            .iter()
            .filter(|c| hours.contains(&((c.minute / 60.0) as u32)))
            .count(),
    }
}

/// The overall figures and correlations of each mode, and the goals.
fn print(b: &Backtest) {
    for m in &b.modes {
        let c = &m.comparison;
        let o = &c.overall;
        let r = &c.correlations;
        println!("== arrivals: {} ({})", mode_name(m.arrivals), m.run);
        println!(
            "calls {:.0} observed, {:.0} simulated (volume MAPE {:.1}%)",
            o.calls.observed,
            o.calls.simulated,
            100.0 * o.volume_mape
        );
        println!(
            "P(abandon) {:.2}% observed, {:.2}% +/- {:.2} simulated; mean wait {:.1} s observed, {:.1} s +/- {:.1} simulated",
            100.0 * o.p_abandon.observed,
            100.0 * o.p_abandon.simulated,
            100.0 * o.p_abandon.ci95,
            60.0 * o.wait_mean.observed,
            60.0 * o.wait_mean.simulated,
            60.0 * o.wait_mean.ci95
        );
        println!(
            "hourly correlation: P(abandon) {:+.2} (naive ratio {:+.2}), mean wait {:+.2} (naive ratio {:+.2})",
            r.p_abandon, r.naive_p_abandon, r.wait_mean, r.naive_wait_mean
        );
        if let Some(b) = &m.forecast_bands {
            println!(
                "forecast bands ({:.0}-{:.0}%, day effect cv {:.3}): {:.0}% of {} held-out day-hours inside (Poisson alone {:.0}%; goal {:.0}%: {}); day-hour volume MAPE {:.1}%",
                100.0 * b.quantiles[0],
                100.0 * b.quantiles[1],
                b.cv,
                100.0 * b.coverage,
                b.day_hours.len(),
                100.0 * b.coverage_poisson,
                100.0 * crate::fit::backtest::bands::GOAL_COVERAGE,
                if b.goal_met { "met" } else { "NOT met" },
                100.0 * b.day_hour_mape
            );
            if let Some(p) = &b.predictive {
                println!(
                    "predictive bands (day effect, hour spread cv {:.3} and the forecast's own error, fitted on {} to {}; mean cv {:.3}): {:.0}% inside (goal {:.0}%: {})",
                    p.spread.hour_cv,
                    p.spread.fit_from,
                    p.spread.fit_to,
                    p.cv_mean,
                    100.0 * p.coverage,
                    100.0 * crate::fit::backtest::bands::GOAL_COVERAGE,
                    if p.goal_met { "met" } else { "NOT met" },
                );
                if let Some(u) = &p.uncertain_spread {
                    println!(
                        "predictive bands with uncertain spreads (day cv {:.3} -> {:.3} from {} degrees of freedom, hour cv {:.3} from {}; mean cv {:.3}): {:.0}% inside (goal {:.0}%: {})",
                        u.spread.day_cv_fitted,
                        u.spread.day_cv,
                        u.spread.day_degrees_of_freedom,
                        u.spread.hour_cv,
                        u.spread.hour_degrees_of_freedom,
                        u.cv_mean,
                        100.0 * u.coverage,
                        100.0 * crate::fit::backtest::bands::GOAL_COVERAGE,
                        if u.goal_met { "met" } else { "NOT met" },
                    );
                }
            }
        }
        for g in &c.goals {
            println!(
                "  [{}] {}: {:.3} (goal {})",
                if g.met { "met" } else { "NOT met" },
                g.name,
                g.value,
                g.goal
            );
        }
    }
}
