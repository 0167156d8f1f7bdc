//! The over-the-day plot of a back-test (`backtest-day.svg` and `.png`):
//! the observed hourly P(abandon), mean wait and calls (black, dashed)
//! against each mode's simulated ones (coloured lines with their 95% CI
//! bands), and the forecast's predictive band of the calls (grey dashed,
//! `predictive.rs`), drawn with the report's day chart.

use std::path::Path;

use super::compare::{Figure, HourRow};
use super::output::Backtest;
use crate::error::Error;
use crate::report::plot::day::{Day, Panel, Scale, Series, Style};
use crate::report::plot::{self, Marker, colour};
use crate::report::summary::Curve;
use crate::report::write_atomic;

/// Black, for the observed series.
const OBSERVED: plotters::style::RGBColor = plotters::style::RGBColor(0, 0, 0);

/// One hourly figure of `rows` as 24 hourly slots (NaN outside the compared
/// hours): the observed values, or the simulated ones with their CIs.
fn curve(rows: &[HourRow], figure: fn(&HourRow) -> Figure, observed: bool, unit: f64) -> Curve {
    let mut mean = vec![f64::NAN; 24];
    let mut ci95 = vec![f64::NAN; 24];
    for r in rows.iter().filter(|r| r.hour < 24) {
        let f = figure(r);
        let h = r.hour as usize;
        if observed {
            mean[h] = unit * f.observed;
        } else {
            mean[h] = unit * f.simulated;
            ci95[h] = unit * f.ci95;
        }
    }
    Curve { mean, ci95 }
}

/// A panel of one figure: the observed series and each mode's simulated one.
fn panel(
    b: &Backtest,
    title: &str,
    y_desc: &str,
    figure: fn(&HourRow) -> Figure,
    unit: f64,
) -> Panel {
    let series = |label: String, colour, marker, dashed, values| Series {
        label,
        colour,
        marker,
        dashed,
        slot_minutes: 60.0,
        values,
    };
    let mut all = Vec::new();
    if let Some(first) = b.modes.first() {
        let values = curve(&first.comparison.hourly, figure, true, unit);
        all.push(series(
            "observed".into(),
            OBSERVED,
            Marker::Ring,
            true,
            values,
        ));
    }
    for (i, m) in b.modes.iter().enumerate() {
        let values = curve(&m.comparison.hourly, figure, false, unit);
        let label = format!("simulated, {}", m.arrivals.name());
        // colour(0) is black, kept for the observed series.
        all.push(series(
            label,
            colour(i + 1),
            Marker::of(i + 1),
            false,
            values,
        ));
    }
    Panel {
        title: title.into(),
        y_desc: y_desc.into(),
        style: Style::Lines,
        scale: Scale::FromZero,
        series: all,
        target: None,
    }
}

/// Grey, for the forecast's predictive band.
const BAND: plotters::style::RGBColor = plotters::style::RGBColor(120, 120, 120);

/// The forecast mode's predictive band of the pooled calls per hour
/// (`backtest --fit-from/--fit-to`) as two dashed lines, its lower and
/// upper ends; none without it.
fn band_series(b: &Backtest) -> Vec<Series> {
    let Some(p) = b
        .modes
        .iter()
        .find_map(|m| m.forecast_bands.as_ref()?.predictive.as_ref())
    else {
        return Vec::new();
    };
    let [q0, q1] = super::bands::BAND;
    let end = |label: String, value: fn(&super::bands::PooledBand) -> u64| {
        let mut mean = vec![f64::NAN; 24];
        for band in p.pooled.iter().filter(|band| band.hour < 24) {
            mean[band.hour as usize] = value(band) as f64;
        }
        Series {
            label,
            colour: BAND,
            marker: Marker::None,
            dashed: true,
            slot_minutes: 60.0,
            values: Curve {
                mean,
                ci95: vec![f64::NAN; 24],
            },
        }
    };
    vec![
        end(format!("forecast band {:.0}%", 100.0 * q0), |b| b.low),
        end(format!("forecast band {:.0}%", 100.0 * q1), |b| b.high),
    ]
}

/// Draws the plot into `dir` as `backtest-day.svg` and `backtest-day.png`.
pub fn draw(b: &Backtest, dir: &Path) -> Result<(), Error> {
    let [from, to] = b.setup.hours;
    let title = "Calls (the period's dates pooled)";
    let mut calls = panel(b, title, "calls", |r| r.calls, 1.0);
    calls.series.extend(band_series(b));
    let day = Day {
        title: format!(
            "Back-test {} to {}: observed and simulated over the day",
            b.setup.from, b.setup.to
        ),
        window: (from as f64, to as f64),
        x_desc: "hour of arrival".into(),
        panels: vec![
            panel(b, "P(abandon)", "share of calls", |r| r.p_abandon, 1.0),
            panel(
                b,
                "Mean wait of all calls",
                "seconds",
                |r| r.wait_mean,
                60.0,
            ),
            calls,
        ],
        notes: Vec::new(),
    };
    let figure = plot::render(
        "backtest-day",
        "Back-test over the day",
        "Observed against simulated hour by hour; shaded bands are 95% CIs over replications; grey dashed lines (with --fit-from/--fit-to) are the forecast's 10-90% predictive band of the calls.".into(),
        &day,
    )?;
    write_atomic(&dir.join("backtest-day.svg"), figure.svg.as_bytes())?;
    write_atomic(&dir.join("backtest-day.png"), &figure.png)
}
