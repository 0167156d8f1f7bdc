//! The files of a back-test: `backtest.json` (every mode's comparison
//! beside the setup) and `backtest.csv` (one row per mode and hour), both
//! Serialize types written atomically.

use std::path::Path;

use serde::Serialize;

use super::ArrivalsMode;
use super::compare::{Comparison, HourRow};
use crate::error::Error;
use crate::report::write_atomic;

/// What was back-tested and how.
#[derive(Debug, Clone, Serialize)]
pub struct Setup {
    /// The scenario file.
    pub scenario: String,
    /// The call log.
    pub log: String,
    /// First and last date of the held-out period.
    pub from: String,
    /// Last date.
    pub to: String,
    /// The period's dates compared (on the chosen weekdays).
    pub dates: Vec<String>,
    /// Hours of the day compared, `[start, end)`.
    pub hours: [u32; 2],
    /// Where the simulated servers come from, in words.
    pub staffing: String,
    /// The service-level threshold, minutes.
    pub service_level_threshold: f64,
    /// Calls of the period in the compared hours.
    pub calls: usize,
}

/// One mode's run and comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ModeResult {
    /// Forecast or replay.
    pub arrivals: ArrivalsMode,
    /// The folder of its simulated `summary.json`.
    pub run: String,
    /// The comparison with the observed hours.
    #[serde(flatten)]
    pub comparison: Comparison,
    /// Forecast mode: the predictive bands of the held-out day-hours and
    /// their coverage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast_bands: Option<super::bands::Bands>,
}

/// `backtest.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    /// `tiersim`.
    pub tool: String,
    /// Its version.
    pub version: String,
    /// What was compared.
    pub setup: Setup,
    /// One entry per `--arrivals` mode.
    pub modes: Vec<ModeResult>,
}

/// One row of `backtest.csv`.
#[derive(Debug, Serialize)]
struct Row {
    arrivals: ArrivalsMode,
    hour: u32,
    calls_observed: f64,
    calls_simulated: f64,
    calls_ci95: f64,
    p_abandon_observed: f64,
    p_abandon_simulated: f64,
    p_abandon_ci95: f64,
    wait_mean_observed: f64,
    wait_mean_simulated: f64,
    wait_mean_ci95: f64,
    service_level_observed: f64,
    service_level_simulated: f64,
    service_level_ci95: f64,
    utilization_observed: f64,
    utilization_simulated: f64,
    utilization_ci95: f64,
    naive_ratio: f64,
}

impl Row {
    fn of(arrivals: ArrivalsMode, h: &HourRow) -> Row {
        Row {
            arrivals,
            hour: h.hour,
            calls_observed: h.calls.observed,
            calls_simulated: h.calls.simulated,
            calls_ci95: h.calls.ci95,
            p_abandon_observed: h.p_abandon.observed,
            p_abandon_simulated: h.p_abandon.simulated,
            p_abandon_ci95: h.p_abandon.ci95,
            wait_mean_observed: h.wait_mean.observed,
            wait_mean_simulated: h.wait_mean.simulated,
            wait_mean_ci95: h.wait_mean.ci95,
            service_level_observed: h.service_level.observed,
            service_level_simulated: h.service_level.simulated,
            service_level_ci95: h.service_level.ci95,
            utilization_observed: h.utilization.observed,
            utilization_simulated: h.utilization.simulated,
            utilization_ci95: h.utilization.ci95,
            naive_ratio: h.naive_ratio,
        }
    }
}

/// Writes `backtest.json` and `backtest.csv` into `dir`, each atomically.
pub fn write(dir: &Path, backtest: &Backtest) -> Result<(), Error> {
    let json = serde_json::to_string_pretty(backtest).map_err(|e| Error::Write {
        path: dir.join("backtest.json"),
        source: std::io::Error::other(e),
    })?;
    write_atomic(&dir.join("backtest.json"), (json + "\n").as_bytes())?;
    let failed = |e: csv::Error| Error::Write {
        path: dir.join("backtest.csv"),
        source: std::io::Error::other(e.to_string()),
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    for m in &backtest.modes {
        for h in &m.comparison.hourly {
            csv.serialize(Row::of(m.arrivals, h)).map_err(failed)?;
        }
    }
    let bytes = csv
        .into_inner()
        .map_err(|e| failed(e.into_error().into()))?;
    write_atomic(&dir.join("backtest.csv"), &bytes)
}
