//! `backtest`: a scenario against a held-out period of a call log. Prepares
//! the scenario to simulate (the period's staffing where known, its
//! arrivals replayed as traces with `--arrivals replay`), and compares the
//! simulated `summary.json` with the period's observed hours
//! (`observed`, `compare`). Running the simulation is the caller's (the
//! cli's `run`). Method: `docs/backtest.md`.

pub mod bands;
pub mod compare;
pub mod observed;
pub mod output;
pub mod plot;
pub mod predictive;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::staffing::{self, Staffing};
use super::{Format, LogError, Period, calls_in_period, write};

/// Where the simulated arrivals come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArrivalsMode {
    /// The scenario's own (fitted) arrivals: forecast error and model
    /// error together.
    Forecast,
    /// The period's actual arrivals replayed as traces: model error alone.
    Replay,
    /// The period's actual arrivals and the logged length of each served
    /// call's service (the work that arrived), replayed as traces: model
    /// error given the work, i.e. the staffing and the queue alone.
    #[serde(rename = "replay-service")]
    ReplayService,
}

impl ArrivalsMode {
    /// The mode's name on the command line and its folder in a back-test.
    pub fn name(self) -> &'static str {
        match self {
            ArrivalsMode::Forecast => "forecast",
            ArrivalsMode::Replay => "replay",
            ArrivalsMode::ReplayService => "replay-service",
        }
    }
}

/// Where the simulated servers come from.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffingSource {
    /// The scenario's own staffing.
    Scenario,
    /// The period's agents on duty, estimated from the log's agent
    /// activity (as `fit` does), times the availability.
    Estimated(f64),
    /// The period's agents on duty read from a file (as `fit --staffing`),
    /// times the availability.
    File(PathBuf, f64),
}

/// What to back-test.
#[derive(Debug, Clone)]
pub struct BacktestOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// The call log.
    pub log: PathBuf,
    /// Its format.
    pub format: Format,
    /// First date of the held-out period.
    pub from: Option<NaiveDate>,
    /// Last date of the held-out period.
    pub to: Option<NaiveDate>,
    /// Weekdays compared (default: all).
    pub days: Option<Vec<Weekday>>,
    /// Forecast or replay.
    pub arrivals: ArrivalsMode,
    /// The servers simulated.
    pub staffing: StaffingSource,
    /// Hours of the day compared, `start..end`.
    pub hours: std::ops::Range<u32>,
    /// Replications, instead of the scenario's.
    pub replications: Option<u32>,
    /// Largest share of unusable log rows.
    pub max_unusable: f64,
    /// Agents on duty fully available before the availability share
    /// applies (`--dedicated-agents`; not with the scenario's staffing).
    pub dedicated_agents: f64,
    /// The fit period (`--fit-from`, `--fit-to`) whose spread the
    /// predictive bands use (forecast mode); nothing else is read from it.
    pub fit_period: Option<(NaiveDate, NaiveDate)>,
}

/// The scenario to simulate and what the comparison needs.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The scenario to run (TOML): the given one merged with what it
    /// extends, with the period's staffing and traces.
    pub scenario: String,
    /// Trace files to write beside it: (file name, CSV text).
    pub traces: Vec<(String, String)>,
    /// The period's calls and dates.
    pub period: Period,
    /// The period's staffing (estimated or read; the scenario's own servers
    /// are not in it).
    pub staffing: Staffing,
    /// The scenario's service-level threshold, minutes.
    pub threshold: f64,
    /// Forecast mode: the predictive bands of the held-out day-hours.
    pub bands: Option<bands::Bands>,
}

/// Minutes between replayed calls of one segment logged in the same
/// second, when their services are replayed (0.06 s: far below the log's
/// 1-s resolution).
pub const TIE_MINUTES: f64 = 0.001;

/// The service length (minutes) a replay gives a call: the logged length of
/// a served call's service (0 for a zero-length one); `None` (drawn) for an
/// abandoned call or a served call whose service span is not logged.
fn logged_service(c: &super::clean::Call) -> Option<f64> {
    if !c.served {
        return None;
    }
    c.service.or_else(|| {
        c.agent
            .as_ref()
            .map(|(_, a, b)| ((*b - *a).num_seconds().max(0) as f64) / 60.0)
    })
}

/// A scenario that cannot be back-tested (bad input: exit 2).
fn unusable(path: &Path, message: String) -> LogError {
    LogError::Unusable {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads the period from the log and makes the scenario to simulate.
pub fn prepare(options: &BacktestOptions) -> Result<Prepared, BacktestError> {
    let base = crate::scenario::load(&options.scenario)?;
    let model = &base.model;
    let slot_minutes = model
        .week
        .as_ref()
        .map_or(60, |w| w.slot_minutes.round() as u32);
    if ![15, 30, 60].contains(&slot_minutes) {
        return Err(unusable(
            &options.scenario,
            format!("has slots of {slot_minutes} min; a back-test needs 15, 30 or 60"),
        )
        .into());
    }
    let period = calls_in_period(
        &options.log,
        options.format,
        options.from,
        options.to,
        options.days.as_deref(),
        options.max_unusable,
    )?;
    let start_day = model.week.as_ref().map_or(0, |w| w.start_day);
    let offsets = day_offsets(&period.dates, start_day, model.run.horizon, &options.log)?;
    let (file, availability) = match &options.staffing {
        StaffingSource::File(f, a) => (Some(f.as_path()), *a),
        StaffingSource::Estimated(a) => (None, *a),
        StaffingSource::Scenario => (None, 1.0),
    };
    let availability = staffing::Availability {
        share: availability,
        dedicated: options.dedicated_agents,
    };
    let staffing = staffing::fit(
        &period.calls,
        &period.dates,
        slot_minutes,
        file,
        availability,
    )?;
    let text = crate::scenario::expanded_text(&options.scenario)?;
    let mut table: toml::Table = toml::from_str(&text)
        .map_err(|e| unusable(&options.scenario, format!("cannot be edited as TOML: {e}")))?;
    if options.staffing != StaffingSource::Scenario {
        set_staffing(&mut table, &staffing, slot_minutes, &options.scenario)?;
    }
    if let Some(r) = options.replications
        && let Some(run) = table.get_mut("run").and_then(|r| r.as_table_mut())
    {
        run.insert("replications".into(), toml::Value::Integer(r.into()));
    }
    let traces = match options.arrivals {
        ArrivalsMode::Forecast => Vec::new(),
        ArrivalsMode::Replay | ArrivalsMode::ReplayService => set_traces(
            &mut table,
            &period,
            &offsets,
            model,
            &options.scenario,
            options.arrivals == ArrivalsMode::ReplayService,
        )?,
    };
    let scenario = toml::to_string(&table)
        .map_err(|e| unusable(&options.scenario, format!("cannot be written back: {e}")))?;
    let bands = forecast_bands(options, model, &offsets, &period)?;
    Ok(Prepared {
        scenario,
        traces,
        period,
        staffing,
        threshold: model.run.service_level_threshold,
        bands,
    })
}

/// Forecast mode: the bands of the held-out day-hours (`bands.rs`), with
/// the predictive ones when the fit period is given; other modes: none.
fn forecast_bands(
    options: &BacktestOptions,
    model: &crate::model::Model,
    offsets: &[(NaiveDate, f64)],
    period: &Period,
) -> Result<Option<bands::Bands>, LogError> {
    if options.arrivals != ArrivalsMode::Forecast {
        return Ok(None);
    }
    let spread = fit_spread(options, period)?;
    let hours = options.hours.clone();
    Ok(bands::bands(model, offsets, &period.calls, hours, spread))
}

/// The fit period's spread for the predictive bands (`None` without
/// `--fit-from/--fit-to`); refused when it overlaps the held-out period.
fn fit_spread(
    options: &BacktestOptions,
    held_out: &Period,
) -> Result<Option<predictive::FitSpread>, LogError> {
    let Some((from, to)) = options.fit_period else {
        return Ok(None);
    };
    if from > to || !(to < held_out.from || from > held_out.to) {
        return Err(unusable(
            &options.log,
            format!(
                "the fit period {from} to {to} overlaps the held-out period {} to {} (or runs backwards); expected --fit-from <= --fit-to, both outside the held-out dates",
                held_out.from, held_out.to
            ),
        ));
    }
    let fit = calls_in_period(
        &options.log,
        options.format,
        Some(from),
        Some(to),
        options.days.as_deref(),
        options.max_unusable,
    )?;
    let hours = options.hours.clone();
    Ok(Some(predictive::fit_spread(&fit.calls, &fit.dates, hours)))
}

/// A back-test that cannot be set up: the log's or the scenario's problem.
#[derive(Debug, thiserror::Error)]
pub enum BacktestError {
    /// The log or the staffing file.
    #[error(transparent)]
    Log(#[from] LogError),
    /// The scenario.
    #[error(transparent)]
    Scenario(#[from] crate::Error),
}

/// Each date's day in the scenario's week (0 = its `start_day`, a Monday
/// index): each weekday at most once, and inside the horizon.
fn day_offsets(
    dates: &[NaiveDate],
    start_day: usize,
    horizon: f64,
    log: &Path,
) -> Result<Vec<(NaiveDate, f64)>, LogError> {
    let mut seen = [None; 7];
    let mut out = Vec::new();
    for &d in dates {
        let w = d.weekday().num_days_from_monday() as usize;
        if let Some(other) = seen[w].replace(d) {
            return Err(LogError::Unusable {
                path: log.to_path_buf(),
                message: format!(
                    "the period holds two {}s ({other} and {d}); a back-test replays one week onto the scenario's week: give --from/--to (or --days) covering each weekday at most once",
                    d.weekday()
                ),
            });
        }
        let offset = ((w + 7 - start_day) % 7) as f64 * 1440.0;
        if offset >= horizon {
            return Err(LogError::Unusable {
                path: log.to_path_buf(),
                message: format!(
                    "{d} falls on day {} of the scenario's week, after its horizon ({horizon} min); expected a scenario running the whole week",
                    offset / 1440.0 + 1.0
                ),
            });
        }
        out.push((d, offset));
    }
    Ok(out)
}

/// The first tier's servers become the period's shifts.
fn set_staffing(
    table: &mut toml::Table,
    staffing: &Staffing,
    slot_minutes: u32,
    scenario: &Path,
) -> Result<(), LogError> {
    let mut text = String::new();
    write::shifts(&mut text, staffing, slot_minutes);
    let shifts: toml::Table = toml::from_str(&text)
        .map_err(|e| unusable(scenario, format!("the period's shifts do not parse: {e}")))?;
    // `[[tier.shifts]]` alone makes `tier` a table holding `shifts`.
    let shifts = shifts
        .get("tier")
        .and_then(|t| t.get("shifts"))
        .cloned()
        .unwrap_or(toml::Value::Array(Vec::new()));
    let tier = table
        .get_mut("tier")
        .and_then(|t| t.as_array_mut())
        .and_then(|t| t.first_mut())
        .and_then(|t| t.as_table_mut())
        .ok_or_else(|| unusable(scenario, "has no [[tier]] to staff".into()))?;
    if tier.contains_key("group") {
        return Err(unusable(
            scenario,
            "its first tier has agent groups ([[tier.group]], e.g. from `fit --agent-groups`); backtest cannot yet give each group the period's staffing: back-test the one-pool fit, or keep the groups' own shifts with --scenario-staffing".into(),
        ));
    }
    tier.remove("servers");
    tier.insert("shifts".into(), shifts);
    Ok(())
}

/// One segment's trace file: its calls `rows` (minute of the week, request
/// type, logged service), sorted; with `requests` (the scenario's declared
/// types) a request column, with `services` a service column, calls in the
/// same second then set [`TIE_MINUTES`] apart. Err: a request type the
/// scenario does not declare.
fn trace_csv<'a>(
    rows: &[(f64, &'a str, Option<f64>)],
    requests: Option<&[&str]>,
    services: bool,
) -> Result<String, &'a str> {
    let mut csv = String::from(match (requests.is_some(), services) {
        (true, true) => "arrival,request,service\n",
        (true, false) => "arrival,request\n",
        (false, true) => "arrival,service\n",
        (false, false) => "arrival\n",
    });
    let mut previous = f64::NEG_INFINITY;
    for &(t, request, service) in rows {
        let t = if services {
            t.max(previous + TIE_MINUTES)
        } else {
            t
        };
        previous = t;
        match requests {
            Some(declared) if !declared.contains(&request) => return Err(request),
            Some(_) => {
                let _ = write!(csv, "{t},{request}");
            }
            None => {
                let _ = write!(csv, "{t}");
            }
        }
        if services {
            let _ = write!(csv, ",{}", service.map_or(String::new(), |s| s.to_string()));
        }
        csv.push('\n');
    }
    Ok(csv)
}

/// Each segment replays the period's calls of its label (the log's
/// segment or priority), at their minute of the scenario's week; with
/// `services`, each served call's logged service length too (abandoned
/// calls' services are drawn), and calls of one segment arriving in the
/// same second are set [`TIE_MINUTES`] apart so that each finds its own.
fn set_traces(
    table: &mut toml::Table,
    period: &Period,
    offsets: &[(NaiveDate, f64)],
    model: &crate::model::Model,
    scenario: &Path,
    services: bool,
) -> Result<Vec<(String, String)>, LogError> {
    let names: Vec<&str> = model.segments.iter().map(|s| s.name.as_str()).collect();
    if let Some(c) = period
        .calls
        .iter()
        .find(|c| !names.contains(&c.segment.as_str()))
    {
        return Err(unusable(
            scenario,
            format!(
                "has no segment `{}` for the log's calls of that segment; expected one segment per label of the log (its segments are {})",
                c.segment,
                names.join(", ")
            ),
        ));
    }
    let requests: Vec<&str> = model.requests.iter().map(|r| r.name.as_str()).collect();
    let with_requests = model.declares_requests();
    let mut traces = Vec::new();
    let segments = table
        .get_mut("segment")
        .and_then(|s| s.as_array_mut())
        .ok_or_else(|| unusable(scenario, "has no [[segment]]".into()))?;
    for (i, name) in names.iter().enumerate() {
        let mut rows: Vec<(f64, &str, Option<f64>)> = period
            .calls
            .iter()
            .filter(|c| c.segment == *name)
            .filter_map(|c| {
                let offset = offsets.iter().find(|(d, _)| *d == c.date)?.1;
                Some((offset + c.minute, c.request.as_str(), logged_service(c)))
            })
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let requests = with_requests.then_some(&requests[..]);
        let csv = trace_csv(&rows, requests, services).map_err(|request| {
            unusable(
                scenario,
                format!(
                    "declares no request type `{request}`, which the log's calls have; expected the fitted scenario's [[request]] types"
                ),
            )
        })?;
        let file = format!("trace-{}.csv", name.replace(['/', '\\'], "-"));
        if let Some(seg) = segments.get_mut(i).and_then(|s| s.as_table_mut()) {
            seg.remove("rate_per_hour");
            // The replayed days are as they were: no day effect on them.
            seg.remove("day_effect");
            let mut arrivals = toml::Table::new();
            arrivals.insert("trace".into(), toml::Value::String(file.clone()));
            seg.insert("arrivals".into(), toml::Value::Table(arrivals));
        }
        traces.push((file, csv));
    }
    Ok(traces)
}
