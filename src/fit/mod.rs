//! `fit`: from a call log to a scenario. Reads a log (`read`), applies the
//! counted cleaning rules (`clean`), fits arrivals, service times, patience
//! and staffing, and writes a commented scenario (`write`) and the
//! estimates with their errors and sample sizes (`FitReport`, fit.json).
//! Sits above `scenario` (its output must parse there); uses no report,
//! plan or cli code. Method and rules: `docs/fit.md`.

pub mod arrivals;
pub mod backtest;
pub mod clean;
pub mod day_effect;
pub mod error;
pub mod groups;
pub mod patience;
pub mod read;
pub mod service;
pub mod service_factors;
pub mod staffing;
pub mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{NaiveDate, Weekday};
use serde::Serialize;

pub use error::LogError;
pub use read::Format;

/// An estimate with its standard error and sample size.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Estimate {
    /// Point value.
    pub value: f64,
    /// Standard error, when one can be given.
    pub se: Option<f64>,
    /// 95% normal-approximation CI (value +/- 1.96 se).
    pub ci95: Option<[f64; 2]>,
    /// Sample size behind it (calls, days or events; the field's doc says which).
    pub n: usize,
}

impl Estimate {
    /// An estimate; the CI follows from the SE.
    pub fn new(value: f64, se: Option<f64>, n: usize) -> Estimate {
        Estimate {
            value,
            se,
            ci95: se.map(|s| [value - 1.96 * s, value + 1.96 * s]),
            n,
        }
    }
}

/// What to fit.
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// The call log.
    pub log: PathBuf,
    /// Its format.
    pub format: Format,
    /// First date fitted (default: the log's first).
    pub from: Option<NaiveDate>,
    /// Last date fitted (default: the log's last).
    pub to: Option<NaiveDate>,
    /// Weekdays fitted (default: all).
    pub days: Option<Vec<Weekday>>,
    /// Staffing file instead of the estimate.
    pub staffing: Option<PathBuf>,
    /// Slot length: 15, 30 or 60 minutes.
    pub slot_minutes: u32,
    /// Share of the agents on duty taken as servers (1 = all).
    pub availability: f64,
    /// Agents on duty fully available before the share applies.
    pub dedicated_agents: f64,
    /// Largest share of unusable rows fitted on.
    pub max_unusable: f64,
    /// Scenario name.
    pub name: String,
    /// Fit agent groups from the log's agents (`--agent-groups`).
    pub agent_groups: bool,
}

/// fit.json.
#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    /// The log.
    pub log: String,
    /// Its format.
    pub format: Format,
    /// First and last date fitted.
    pub from: NaiveDate,
    /// Last date fitted.
    pub to: NaiveDate,
    /// Weekdays fitted.
    pub weekdays: Vec<String>,
    /// Counts of every cleaning rule.
    pub cleaning: clean::Cleaning,
    /// Arrivals.
    pub arrivals: arrivals::Arrivals,
    /// Service time per request type (`all` pooled).
    pub service: BTreeMap<String, service::ServiceFit>,
    /// Service time by hour of the day, the request mix taken out.
    pub service_factors: service_factors::ServiceFactors,
    /// Patience per segment.
    pub patience: BTreeMap<String, patience::PatienceFit>,
    /// Staffing.
    pub staffing: staffing::Staffing,
    /// Calls served by each agent, by request type: which agents serve
    /// which types (agent groups, once the format has them).
    pub agents: BTreeMap<String, BTreeMap<String, usize>>,
    /// Agent groups and their skills (`--agent-groups` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<groups::Groups>,
    /// What the scenario format could not hold.
    pub notes: Vec<String>,
}

/// A fit: the scenario text and fit.json.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The scenario (TOML with a comment on every fitted number).
    pub scenario: String,
    /// The estimates.
    pub report: FitReport,
}

/// Stops when more than `max_unusable` of the rows cannot be read.
fn too_many_unusable(
    log: &read::Log,
    path: &std::path::Path,
    max_unusable: f64,
) -> Result<(), LogError> {
    let bad: usize = log.unusable.values().sum();
    if log.rows == 0 || bad as f64 <= max_unusable * log.rows as f64 {
        return Ok(());
    }
    let first = log
        .first_unusable
        .as_ref()
        .map(|e| e.to_string())
        .unwrap_or_default();
    Err(LogError::Unusable {
        path: path.to_path_buf(),
        message: format!(
            "{bad} of {} rows cannot be used ({:.1}%, more than the {:.1}% allowed by --max-unusable); the first: {first}",
            log.rows,
            100.0 * bad as f64 / log.rows as f64,
            100.0 * max_unusable
        ),
    })
}

/// The calls of a log in a period: read, checked for unusable rows,
/// cleaned, restricted to `from`..=`to` and `days`; with the dates of the
/// period (those on `days`). An error when no call is left.
pub fn calls_in_period(
    path: &std::path::Path,
    format: Format,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    days: Option<&[Weekday]>,
    max_unusable: f64,
) -> Result<Period, LogError> {
    let log = read::read(path, format)?;
    too_many_unusable(&log, path, max_unusable)?;
    let (mut calls, mut cleaning) = clean::clean(log, from, to);
    if let Some(days) = days {
        let before = calls.len();
        calls.retain(|c| days.contains(&chrono::Datelike::weekday(&c.date)));
        cleaning.outside_dates += before - calls.len();
        cleaning.calls = calls.len();
    }
    let (Some(first), Some(last)) = (
        calls.iter().map(|c| c.date).min(),
        calls.iter().map(|c| c.date).max(),
    ) else {
        return Err(LogError::Unusable {
            path: path.to_path_buf(),
            message: format!(
                "no calls to the agents in the dates {} to {}{}; the log has {} rows",
                from.map_or("(start)".into(), |d| d.to_string()),
                to.map_or("(end)".into(), |d| d.to_string()),
                if days.is_some() {
                    " on the weekdays given"
                } else {
                    ""
                },
                cleaning.rows
            ),
        });
    };
    let (from, to) = (from.unwrap_or(first), to.unwrap_or(last));
    let dates: Vec<NaiveDate> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| days.is_none_or(|w| w.contains(&chrono::Datelike::weekday(d))))
        .collect();
    Ok(Period {
        calls,
        cleaning,
        from,
        to,
        dates,
    })
}

/// A log's calls in a period ([`calls_in_period`]).
#[derive(Debug, Clone)]
pub struct Period {
    /// The calls to the agents, cleaned.
    pub calls: Vec<clean::Call>,
    /// The counts of the cleaning rules.
    pub cleaning: clean::Cleaning,
    /// First date (`--from`, or the first call's).
    pub from: NaiveDate,
    /// Last date (`--to`, or the last call's).
    pub to: NaiveDate,
    /// The dates in it on the chosen weekdays.
    pub dates: Vec<NaiveDate>,
}

/// Fits a scenario to a call log.
pub fn fit(options: &FitOptions) -> Result<Fitted, LogError> {
    if let (true, Some(file)) = (options.agent_groups, &options.staffing) {
        return Err(LogError::Unusable {
            path: file.clone(),
            message: "--agent-groups estimates each group's staffing from its agents' activity; a staffing file (day,slot,agents) has no groups: drop --staffing or --agent-groups".into(),
        });
    }
    let Period {
        calls,
        cleaning,
        from,
        to,
        dates,
    } = calls_in_period(
        &options.log,
        options.format,
        options.from,
        options.to,
        options.days.as_deref(),
        options.max_unusable,
    )?;
    let arrivals = arrivals::fit(&calls, &dates, options.slot_minutes);
    let service = service::fit(&calls);
    let service_factors = service_factors::fit(&calls, &service);
    let patience = patience::fit(&calls);
    let staffing = staffing::fit(
        &calls,
        &dates,
        options.slot_minutes,
        options.staffing.as_deref(),
        staffing::Availability {
            share: options.availability,
            dedicated: options.dedicated_agents,
        },
    )?;
    let mut agents: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for c in &calls {
        if let Some((a, _, _)) = &c.agent {
            *agents
                .entry(a.clone())
                .or_default()
                .entry(c.request.clone())
                .or_default() += 1;
        }
    }
    let groups = agent_groups(options, &agents, &arrivals, &service, &calls, &dates)?;
    let mut report = FitReport {
        log: options.log.display().to_string(),
        format: options.format,
        from,
        to,
        weekdays: arrivals
            .weekdays
            .iter()
            .map(|w| w.weekday.to_string())
            .collect(),
        cleaning,
        arrivals,
        service,
        service_factors,
        patience,
        staffing,
        agents,
        groups,
        notes: Vec::new(),
    };
    report.notes = write::notes(&report);
    let scenario = write::scenario(&report, &options.name);
    Ok(Fitted { scenario, report })
}

/// With `--agent-groups`: the groups (every request type the scenario
/// writes gets one).
fn agent_groups(
    options: &FitOptions,
    agents: &BTreeMap<String, BTreeMap<String, usize>>,
    arrivals: &arrivals::Arrivals,
    service: &BTreeMap<String, service::ServiceFit>,
    calls: &[clean::Call],
    dates: &[NaiveDate],
) -> Result<Option<groups::Groups>, LogError> {
    if !options.agent_groups {
        return Ok(None);
    }
    if agents.is_empty() {
        return Err(LogError::Unusable {
            path: options.log.clone(),
            message: "--agent-groups: no served call names its agent, so no group can be formed"
                .into(),
        });
    }
    let requests = arrivals
        .request_mix
        .values()
        .flat_map(|m| m.keys().cloned())
        .chain(service.keys().filter(|k| k.as_str() != "all").cloned())
        .collect();
    let availability = staffing::Availability {
        share: options.availability,
        dedicated: options.dedicated_agents,
    };
    groups::fit(
        agents,
        &requests,
        calls,
        dates,
        options.slot_minutes,
        availability,
    )
    .map(Some)
}
