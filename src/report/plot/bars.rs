//! Client metrics by segment as grouped bars with 95% CI whiskers: one
//! panel per metric, one group of bars per client group (overall and each
//! segment), one bar per point shown (one for a run, A and B for a
//! comparison).
//!
//! The panels come from [`SEGMENT_METRICS`]: a metric is drawn when the
//! summary has it, so the outcome panels (satisfaction on its 0–100 scale,
//! CSAT and the complaint rate, from `satisfaction_mean`, `csat` and
//! `complaint_rate`) are left out only for results written before the
//! model reported them.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, Keyed, LABEL_SIZE, LegendEntry, Marker, colour,
    draw_whisker, legend_height, note_in_middle, padded, shorten, tick, titled_with_legend, unit,
};
use crate::report::format::MeanCi;
use crate::report::summary::Point;

/// The unit of the satisfaction score, drawn on its whole 0–100 scale.
const SCORE: &str = "score 0–100";

/// The metrics shown by segment, in panel order, with their panel titles.
pub const SEGMENT_METRICS: [(&str, &str); 7] = [
    ("service_level", "service level"),
    ("wait_mean", "mean wait"),
    ("abandon_rate", "abandonment rate"),
    ("blocked_rate", "blocked rate"),
    ("satisfaction_mean", "satisfaction"),
    ("csat", "CSAT"),
    ("complaint_rate", "complaints"),
];

/// The outcome metrics of [`SEGMENT_METRICS`], which summaries written
/// before the model reported them lack.
pub const OUTCOME_METRICS: [&str; 3] = ["satisfaction_mean", "csat", "complaint_rate"];

/// One series of bars: a point's values per metric per group.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// `values[metric][group]`, in the order of `Bars::metrics` and
    /// `Bars::groups`.
    pub values: Vec<Vec<Option<MeanCi>>>,
}

/// The grouped-bar figure.
#[derive(Clone, Debug)]
pub struct Bars {
    /// Plot title.
    pub title: String,
    /// Client groups: `overall`, then segments.
    pub groups: Vec<String>,
    /// Metrics shown (keys of [`SEGMENT_METRICS`] the summary has).
    pub metrics: Vec<&'static str>,
    /// Bars per group.
    pub series: Vec<Series>,
}

impl Bars {
    /// Bars for `points` (each a series labelled by its name), with the
    /// groups and metrics of the first point.
    pub fn of(points: &[&Point], title: String) -> Bars {
        let Some(first) = points.first() else {
            return Bars {
                title,
                groups: Vec::new(),
                metrics: Vec::new(),
                series: Vec::new(),
            };
        };
        let mut groups = vec!["overall".to_string()];
        groups.extend(first.segments.iter().map(|(n, _)| n.clone()));
        let metrics: Vec<&'static str> = SEGMENT_METRICS
            .iter()
            .map(|(m, _)| *m)
            .filter(|m| first.overall.metric(m).is_some())
            .collect();
        let series = points
            .iter()
            .map(|p| Series {
                label: p.name.clone(),
                values: metrics
                    .iter()
                    .map(|m| {
                        groups
                            .iter()
                            .map(|g| {
                                if g == "overall" {
                                    p.overall.metric(m)
                                } else {
                                    p.segments
                                        .iter()
                                        .find(|(s, _)| s == g)
                                        .and_then(|(_, ms)| ms.metric(m))
                                }
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        Bars {
            title,
            groups,
            metrics,
            series,
        }
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = if self.series.len() > 1 {
            self.series
                .iter()
                .enumerate()
                .map(|(i, s)| LegendEntry::marker(s.label.clone(), colour(i + 1), Marker::Box))
                .collect()
        } else {
            vec![LegendEntry::marker("mean", colour(1), Marker::Box)]
        };
        entries.push(LegendEntry::text("whiskers: 95% CI"));
        entries
    }

    /// Panels per row: three for many metrics, two otherwise, fewer when
    /// the group names would not fit whole under their bars (about 8 px a
    /// character at the label size).
    fn columns(&self) -> usize {
        let longest = self
            .groups
            .iter()
            .map(|g| g.chars().count())
            .max()
            .unwrap_or(0);
        let fits =
            |c: usize| (980 / c).saturating_sub(100) / self.groups.len().max(1) >= 8 * longest;
        let most = if self.metrics.len() > 4 { 3 } else { 2 };
        (1..=most).rev().find(|&c| fits(c)).unwrap_or(1)
    }

    fn rows(&self) -> usize {
        self.metrics.len().div_ceil(self.columns()).max(1)
    }
}

impl Chart for Bars {
    fn size(&self) -> (u32, u32) {
        (
            980,
            60 + legend_height(&self.legend()) + 340 * self.rows() as u32,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let panels = titled_with_legend(root, &self.title, &self.legend())?;
        let cells = panels.split_evenly((self.rows(), self.columns()));
        for (m, cell) in cells.iter().enumerate().take(self.metrics.len()) {
            self.draw_metric(root, cell, m)?;
        }
        Ok(())
    }
}

/// The y axis of one metric's panel.
struct YAxis {
    /// Bottom and top of the axis.
    range: (f64, f64),
    /// Its description: the unit, and where a score's axis starts.
    desc: String,
    /// The highest upper whisker (0 when every bar is 0).
    high: f64,
}

impl Bars {
    /// The defined values of metric `m`, over every series and group.
    fn values(&self, m: usize) -> impl Iterator<Item = &MeanCi> {
        self.series
            .iter()
            .flat_map(move |s| s.values[m].iter().flatten())
            .filter(|v| v.mean.is_finite())
    }

    /// The y axis of metric `m`: from 0 to the highest whisker, a share
    /// at most to 1, and a score to 100 from 10 below its lowest whisker
    /// (a change of a few points vanishes on a 0–100 axis).
    fn y_axis(&self, m: usize) -> YAxis {
        let metric = self.metrics[m];
        let ci = |v: &MeanCi| if v.ci95.is_finite() { v.ci95 } else { 0.0 };
        let high = self
            .values(m)
            .map(|v| v.mean + ci(v))
            .fold(0.0_f64, f64::max);
        let (_, mut y1) = padded(0.0, high, Some(0.0));
        let mut y0 = 0.0;
        let mut desc = unit(metric).to_string();
        if unit(metric) == "share" && high > 0.0 {
            y1 = y1.min(1.0);
        }
        if unit(metric) == SCORE {
            let low = self
                .values(m)
                .map(|v| v.mean - ci(v))
                .fold(f64::INFINITY, f64::min);
            y1 = 100.0;
            if low.is_finite() && low > 20.0 {
                y0 = (low / 10.0).floor() * 10.0 - 10.0;
                desc = format!("{SCORE} (axis from {y0:.0})");
            }
        }
        YAxis {
            range: (y0, y1),
            desc,
            high,
        }
    }

    /// Draws metric `m`'s panel in `cell`: axes with the group names cut
    /// to fit under their bars, then a bar per series and group.
    fn draw_metric<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        cell: &DrawingArea<DB, Shift>,
        m: usize,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let metric = self.metrics[m];
        let axis = self.y_axis(m);
        let (y0, y1) = axis.range;
        let name = SEGMENT_METRICS
            .iter()
            .find(|(k, _)| *k == metric)
            .map_or(metric, |(_, t)| *t);
        let room = cell.dim_in_pixel().0.saturating_sub(100) as usize / self.groups.len().max(1);
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| shorten(g, (room / 8).max(4)))
            .collect();
        let keys: Vec<f64> = (0..self.groups.len()).map(|g| g as f64 + 0.5).collect();
        let n = self.groups.len() as f64;
        let mut chart = ChartBuilder::on(cell)
            .margin(12)
            .caption(format!("{name} ({metric})"), (FAMILY, DESC_SIZE + 1.0))
            .x_label_area_size(36)
            .y_label_area_size(72)
            .build_cartesian_2d(Keyed::new(0.0, n, keys), y0..y1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(axis.desc.as_str())
            .axis_desc_style((FAMILY, DESC_SIZE))
            .label_style((FAMILY, LABEL_SIZE))
            .x_label_formatter(&|x| {
                groups
                    .get(x.floor().max(0.0) as usize)
                    .cloned()
                    .unwrap_or_default()
            })
            .y_label_formatter(&|y| tick(*y))
            .max_light_lines(0)
            .bold_line_style(GRID)
            .draw()?;
        if axis.high == 0.0 {
            note_in_middle(
                root,
                chart.plotting_area().get_pixel_range(),
                "0 in every group",
            )?;
        }
        let width = 0.8 / self.series.len().max(1) as f64;
        for (s, series) in self.series.iter().enumerate() {
            let c = colour(if self.series.len() > 1 { s + 1 } else { 1 });
            for (g, value) in series.values[m].iter().enumerate() {
                let Some(v) = value.filter(|v| v.mean.is_finite()) else {
                    continue;
                };
                let x0 = g as f64 + 0.1 + s as f64 * width;
                let x1 = x0 + width * 0.85;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y0), (x1, v.mean.max(y0))],
                    c.mix(0.85).filled(),
                )))?;
                if v.ci95.is_finite() && v.ci95 > 0.0 {
                    let xm = (x0 + x1) / 2.0;
                    let top = chart.backend_coord(&(xm, (v.mean + v.ci95).min(y1)));
                    let bottom = chart.backend_coord(&(xm, (v.mean - v.ci95).max(0.0)));
                    draw_whisker(root, top, bottom, BLACK.stroke_width(2))?;
                }
            }
        }
        Ok(())
    }
}
