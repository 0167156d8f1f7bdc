//! Plots of a sweep: service level and mean wait against one axis (the
//! staffing axis when there is one), one line per combination of the other
//! axes, with 95% CI error bars. The heat map over two axes is in
//! `heatmap.rs`.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, Keyed, LABEL_SIZE, LegendEntry, Marker, axis_unit,
    colour, draw_legend, draw_marker, draw_whisker, legend_height, legend_width, padded,
    short_axis, tick, ticks, title,
};
use crate::report::format::MeanCi;
use crate::report::read::Results;
use crate::report::summary::{Param, Point};

/// A service-level target and where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The share of clients whose service should start within the
    /// threshold.
    pub value: f64,
    /// Whether the scenario set it.
    pub from_scenario: bool,
}

impl Target {
    /// The documented default target when the scenario sets none: 80%.
    pub const DEFAULT: f64 = 0.8;

    /// How the target is described in legends: a first line, then
    /// explanations.
    pub fn describe(&self) -> Vec<String> {
        if self.from_scenario {
            vec![format!("target {}", tick(self.value))]
        } else {
            vec![
                format!("target {} (the default:", tick(self.value)),
                "the scenario sets no target)".to_string(),
            ]
        }
    }
}

impl Default for Target {
    fn default() -> Target {
        Target {
            value: Target::DEFAULT,
            from_scenario: false,
        }
    }
}

/// The sweep's numeric axes with at least two distinct values, each with
/// its sorted distinct values; the preferred x axis (one ending in
/// `.servers`) first.
pub fn numeric_axes(results: &Results) -> Vec<(String, Vec<f64>)> {
    let mut out: Vec<(String, Vec<f64>)> = results
        .axes
        .iter()
        .filter_map(|axis| {
            let mut values = results
                .points
                .iter()
                .map(|p| p.parameter(axis).and_then(Param::number))
                .collect::<Option<Vec<f64>>>()?;
            values.sort_by(f64::total_cmp);
            values.dedup();
            (values.len() >= 2).then(|| (axis.clone(), values))
        })
        .collect();
    if let Some(i) = out.iter().position(|(a, _)| a.ends_with(".servers")) {
        let preferred = out.remove(i);
        out.insert(0, preferred);
    }
    out
}

/// The label of a point's values on `axes` (`senior.servers=3, ...`).
pub(super) fn combination(point: &Point, axes: &[&String]) -> String {
    axes.iter()
        .map(|a| {
            format!(
                "{}={}",
                short_axis(a),
                point.parameter(a).map(Param::label).unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most this many lines in one plot (more would be unreadable).
pub const MAX_LINES: usize = 12;

/// A metric against a sweep axis: one line per combination of the other
/// axes.
#[derive(Clone, Debug)]
pub struct Lines {
    /// Plot title.
    pub title: String,
    /// x-axis title with unit.
    pub x_desc: String,
    /// y-axis title with unit.
    pub y_desc: String,
    /// Whether y is a share (0 to 1).
    pub share: bool,
    /// Lines: label, then (x, estimate) sorted by x.
    pub series: Vec<(String, Vec<(f64, MeanCi)>)>,
    /// A horizontal target line.
    pub target: Option<Target>,
}

impl Lines {
    /// `metric` (overall) of every point against `axis`.
    pub fn of(results: &Results, axis: &str, metric: &str, title: String, y_desc: String) -> Lines {
        let others: Vec<&String> = results.axes.iter().filter(|a| *a != axis).collect();
        let mut series: Vec<(String, Vec<(f64, MeanCi)>)> = Vec::new();
        for p in &results.points {
            let (Some(x), Some(v)) = (
                p.parameter(axis).and_then(Param::number),
                p.overall.metric(metric),
            ) else {
                continue;
            };
            let label = if others.is_empty() {
                "overall".to_string()
            } else {
                combination(p, &others)
            };
            match series.iter_mut().find(|(l, _)| *l == label) {
                Some((_, line)) => line.push((x, v)),
                None => series.push((label, vec![(x, v)])),
            }
        }
        for (_, line) in &mut series {
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        Lines {
            title,
            x_desc: format!("{axis} ({})", axis_unit(axis)),
            y_desc,
            share: metric == "service_level",
            series,
            target: None,
        }
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, (l, _))| LegendEntry::line(l.clone(), colour(i + 1), Marker::of(i)))
            .collect();
        entries.push(LegendEntry::text("error bars: 95% CI"));
        if let Some(t) = &self.target {
            let mut lines = t.describe().into_iter();
            if let Some(first) = lines.next() {
                entries.push(LegendEntry::dashed(first, RED));
            }
            entries.extend(lines.map(LegendEntry::text));
        }
        entries
    }
}

impl Chart for Lines {
    fn size(&self) -> (u32, u32) {
        (980, 560.max(legend_height(&self.legend()) + 120))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let body = title(root, &self.title)?;
        let entries = self.legend();
        let (w, _) = body.dim_in_pixel();
        let (plot, legend) = body.split_horizontally(w as i32 - legend_width(&entries) as i32 - 24);
        let (x0, x1, xkeys) = self.x_range();
        let (y0, y1) = self.y_range();
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(56)
            .y_label_area_size(76)
            .build_cartesian_2d(Keyed::new(x0, x1, xkeys), y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .axis_desc_style((FAMILY, DESC_SIZE))
            .label_style((FAMILY, LABEL_SIZE))
            .x_label_formatter(&|x| tick(*x))
            .y_label_formatter(&|y| tick(*y))
            .max_light_lines(0)
            .bold_line_style(GRID)
            .draw()?;
        if let Some(t) = &self.target {
            chart.draw_series(DashedLineSeries::new(
                vec![(x0, t.value), (x1, t.value)],
                8,
                5,
                RED.stroke_width(2),
            ))?;
        }
        for (i, (_, line)) in self.series.iter().enumerate() {
            draw_line(root, &mut chart, i, line, (y0, y1))?;
        }
        draw_legend(&legend.margin(40, 0, 8, 8), &entries)?;
        Ok(())
    }
}

impl Lines {
    /// The x range, padded around every point's x, and its ticks.
    fn x_range(&self) -> (f64, f64, Vec<f64>) {
        let mut xs: Vec<f64> = self
            .series
            .iter()
            .flat_map(|(_, l)| l.iter().map(|(x, _)| *x))
            .collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let (xmin, xmax) = (
            xs.first().copied().unwrap_or(0.0),
            xs.last().copied().unwrap_or(1.0),
        );
        let (x0, x1) = padded(xmin, xmax, None);
        let xkeys = ticks(x0, x1, &xs, 10);
        (x0, x1, xkeys)
    }

    /// The y range: every error bar (and the target for a share), padded;
    /// a share stops at 1.
    fn y_range(&self) -> (f64, f64) {
        let estimates = self
            .series
            .iter()
            .flat_map(|(_, l)| l.iter().map(|(_, v)| *v));
        let (ymin, ymax) = estimates
            .filter(|v| v.mean.is_finite())
            .map(|v| {
                let h = if v.ci95.is_finite() { v.ci95 } else { 0.0 };
                (v.mean - h, v.mean + h)
            })
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                (lo.min(a), hi.max(b))
            });
        if self.share {
            let t = self.target.as_ref().map_or(ymax, |t| t.value);
            let (lo, hi) = padded(ymin.min(t), ymax.max(t), Some(0.0));
            (lo, hi.min(1.0))
        } else {
            padded(0.0, ymax, Some(0.0))
        }
    }
}

/// Draws line `i` of a [`Lines`] chart: the line through its defined
/// means, an error bar (cut to `y0..y1`) and a marker at each.
fn draw_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, Cartesian2d<Keyed, RangedCoordf64>>,
    i: usize,
    line: &[(f64, MeanCi)],
    (y0, y1): (f64, f64),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let c = colour(i + 1);
    let points: Vec<(f64, f64)> = line
        .iter()
        .filter(|(_, v)| v.mean.is_finite())
        .map(|(x, v)| (*x, v.mean))
        .collect();
    chart.draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))?;
    for (x, v) in line.iter().filter(|(_, v)| v.mean.is_finite()) {
        if v.ci95.is_finite() && v.ci95 > 0.0 {
            let top = chart.backend_coord(&(*x, (v.mean + v.ci95).min(y1)));
            let bottom = chart.backend_coord(&(*x, (v.mean - v.ci95).max(y0)));
            draw_whisker(root, top, bottom, c.stroke_width(2))?;
        }
        draw_marker(
            root,
            Marker::of(i),
            chart.backend_coord(&(*x, v.mean)),
            4,
            c,
        )?;
    }
    Ok(())
}
