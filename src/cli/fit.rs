//! `tiersim fit`: reads a call log, writes the fitted scenario and fit.json
//! beside it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;

use crate::fit::{self, FitOptions, Format, LogError};

/// Arguments of `fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// The call log.
    log: PathBuf,
    /// The log's layout.
    #[arg(long, value_enum)]
    format: Format,
    /// First date fitted, YYYY-MM-DD [default: the log's first].
    #[arg(long, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// Last date fitted, YYYY-MM-DD [default: the log's last].
    #[arg(long, value_name = "DATE")]
    to: Option<NaiveDate>,
    /// Weekdays fitted, e.g. `sun,mon,tue,wed,thu` [default: all].
    #[arg(long, value_delimiter = ',', value_name = "DAYS")]
    days: Option<Vec<chrono::Weekday>>,
    /// Agents on duty per weekday and slot (CSV `day,slot,agents`) instead
    /// of the estimate from agent activity.
    #[arg(long, value_name = "FILE")]
    staffing: Option<PathBuf>,
    /// Slot length in minutes: 15, 30 or 60.
    #[arg(long, default_value_t = 60, value_parser = slot_minutes)]
    slot_minutes: u32,
    /// Share of the agents on duty (estimated or from --staffing) taken as
    /// servers: the rest of their time goes to work the log does not show
    /// (docs/backtest.md chose 0.8 on 1-7 Feb 1999).
    #[arg(long, default_value_t = 1.0, value_name = "SHARE", value_parser = availability)]
    availability: f64,
    /// Agents on duty taken as fully available servers before
    /// `--availability` applies to the rest (0: it applies to all;
    /// docs/backtest.md chose 1 with availability 0.75 on 1-7 Feb 1999).
    #[arg(long, default_value_t = 0.0, value_name = "AGENTS", value_parser = dedicated_agents)]
    dedicated_agents: f64,
    /// Largest share of unusable rows to fit on; more stops the fit.
    #[arg(long, default_value_t = 0.01, value_name = "SHARE")]
    max_unusable: f64,
    /// Also fit agent groups from the log's agents: each agent's skills
    /// (the request types it serves), groups of agents with equal skills,
    /// each staffed from its own agents' activity (docs/fit.md §6a).
    #[arg(long)]
    agent_groups: bool,
    /// The scenario file written; fit.json goes beside it
    /// [default: output/fit/scenario.toml].
    #[arg(long)]
    out: Option<PathBuf>,
}

/// 15, 30 or 60.
fn slot_minutes(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(m @ (15 | 30 | 60)) => Ok(m),
        _ => Err(format!("`{text}`: expected 15, 30 or 60")),
    }
}

/// A share in (0, 1].
fn availability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(a) if a > 0.0 && a <= 1.0 => Ok(a),
        _ => Err(format!(
            "`{text}`: expected a share greater than 0 and at most 1"
        )),
    }
}

/// A number of agents >= 0.
pub(crate) fn dedicated_agents(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(a) if a.is_finite() && a >= 0.0 => Ok(a),
        _ => Err(format!("`{text}`: expected a number of agents >= 0")),
    }
}

/// Runs `fit`.
pub fn fit(args: &FitArgs) -> Result<()> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output/fit/scenario.toml"));
    let name = out
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty() && !s.starts_with('.'))
        .unwrap_or("fitted")
        .replace(['/', '\\'], "-");
    if args.from.zip(args.to).is_some_and(|(f, t)| f > t) {
        return Err(LogError::Unusable {
            path: args.log.clone(),
            message: "--from is after --to; expected a date range with from <= to".into(),
        }
        .into());
    }
    let options = FitOptions {
        log: args.log.clone(),
        format: args.format,
        from: args.from,
        to: args.to,
        days: args.days.clone(),
        staffing: args.staffing.clone(),
        slot_minutes: args.slot_minutes,
        availability: args.availability,
        dedicated_agents: args.dedicated_agents,
        max_unusable: args.max_unusable,
        name,
        agent_groups: args.agent_groups,
    };
    let started = std::time::Instant::now();
    let fitted = fit::fit(&options)?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
    std::fs::write(&out, &fitted.scenario)
        .with_context(|| format!("cannot write {}", out.display()))?;
    let json = dir.join("fit.json");
    let text = serde_json::to_string_pretty(&fitted.report)?;
    std::fs::write(&json, text + "\n")
        .with_context(|| format!("cannot write {}", json.display()))?;
    let c = &fitted.report.cleaning;
    eprintln!(
        "fitted {} calls ({} rows; {} unusable) in {:.2} s: wrote {} and {}",
        c.calls,
        c.rows,
        c.unusable.values().sum::<usize>(),
        started.elapsed().as_secs_f64(),
        out.display(),
        json.display()
    );
    for note in &fitted.report.notes {
        eprintln!("note: {note}");
    }
    Ok(())
}
