//! The forest plot of a comparison: every paired difference B − A with its
//! 95% CI, one row per (group, metric), in panels by unit (minutes, share,
//! clients) so each has a meaningful axis. Significant differences are
//! coloured by their verdict and their rows shaded; the others are grey.
//!
//! Counts (`arrived`, `served`, `abandoned`, `blocked`, `inside`,
//! `escalated`) are left out: they scale with the run's length and their
//! rates (abandon_rate, blocked_rate, escalation_rate, service_level) carry
//! the same news. Rows whose difference is undefined, and rows where the
//! metric is 0 in both scenarios (nobody blocked in either, say), are left
//! out too.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, Keyed, LABEL_SIZE, LegendEntry, Marker,
    draw_legend, draw_marker, group_label, legend_width, padded, shorten, text_size, tick, title,
    unit,
};
use crate::report::summary::Diff;
use crate::report::verdict::Verdict;

/// Metrics left out of the forest plot (see the module doc).
pub const SKIPPED_COUNTS: [&str; 6] = [
    "arrived",
    "served",
    "abandoned",
    "blocked",
    "inside",
    "escalated",
];

/// One row: a difference and its verdict.
#[derive(Clone, Debug)]
pub struct Row {
    /// `group: metric`.
    pub label: String,
    /// Mean of B − A.
    pub mean: f64,
    /// 95% half-width.
    pub ci95: f64,
    /// The verdict.
    pub verdict: Verdict,
}

/// Rows sharing a unit.
#[derive(Clone, Debug)]
pub struct Panel {
    /// `minutes`, `share`, `clients`, or another unit of [`unit`].
    pub unit: &'static str,
    /// Rows, top to bottom.
    pub rows: Vec<Row>,
}

/// The forest plot.
#[derive(Clone, Debug)]
pub struct Forest {
    /// Plot title.
    pub title: String,
    /// Panels, top to bottom.
    pub panels: Vec<Panel>,
}

/// The colour and marker of a verdict.
pub fn style(v: Verdict) -> (RGBColor, Marker) {
    match v {
        Verdict::Better => (RGBColor(0, 114, 178), Marker::Circle),
        Verdict::Worse => (RGBColor(213, 94, 0), Marker::Triangle),
        Verdict::Changed => (RGBColor(150, 60, 140), Marker::Square),
        Verdict::NoSignificantDifference => (RGBColor(140, 140, 140), Marker::Ring),
    }
}

const ROW: u32 = 24;

impl Forest {
    /// The forest plot of the differences whose group `keep` accepts.
    pub fn of(diffs: &[Diff], keep: impl Fn(&str) -> bool, title: String) -> Forest {
        let mut panels: Vec<Panel> = ["minutes", "share", "clients"]
            .into_iter()
            .map(|unit| Panel {
                unit,
                rows: Vec::new(),
            })
            .collect();
        for d in diffs {
            if !keep(&d.group)
                || SKIPPED_COUNTS.contains(&d.metric.as_str())
                || !d.mean.is_finite()
                || (d.a == 0.0 && d.b == 0.0)
            {
                continue;
            }
            let u = unit(&d.metric);
            let panel = match panels.iter().position(|p| p.unit == u) {
                Some(i) => &mut panels[i],
                None => {
                    panels.push(Panel {
                        unit: u,
                        rows: Vec::new(),
                    });
                    let last = panels.len() - 1;
                    &mut panels[last]
                }
            };
            panel.rows.push(Row {
                label: shorten(&format!("{}: {}", group_label(&d.group), d.metric), 44),
                mean: d.mean,
                ci95: d.ci95,
                verdict: Verdict::of(&d.metric, d.mean, d.significant),
            });
        }
        panels.retain(|p| !p.rows.is_empty());
        Forest { title, panels }
    }

    /// Number of rows in all panels.
    pub fn rows(&self) -> usize {
        self.panels.iter().map(|p| p.rows.len()).sum()
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = [
            Verdict::Better,
            Verdict::Worse,
            Verdict::Changed,
            Verdict::NoSignificantDifference,
        ]
        .into_iter()
        .map(|v| {
            let (c, m) = style(v);
            let label = match v {
                Verdict::NoSignificantDifference => "no significant difference".to_string(),
                Verdict::Changed => "changed (neutral metric)".to_string(),
                other => format!("B significantly {}", other.as_str()),
            };
            LegendEntry::line(label, c, m)
        })
        .collect();
        entries.push(LegendEntry::text("lines: 95% CI of B − A"));
        entries
    }

    fn label_width(&self) -> u32 {
        self.panels
            .iter()
            .flat_map(|p| &p.rows)
            .map(|r| text_size(&r.label, LABEL_SIZE).0)
            .max()
            .unwrap_or(0)
            + 24
    }

    fn panel_height(p: &Panel) -> u32 {
        p.rows.len() as u32 * ROW + 100
    }
}

impl Chart for Forest {
    fn size(&self) -> (u32, u32) {
        (
            980,
            50 + self.panels.iter().map(Forest::panel_height).sum::<u32>(),
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let body = title(root, &self.title)?;
        let entries = self.legend();
        let (w, _) = body.dim_in_pixel();
        let (plots, legend) =
            body.split_horizontally(w as i32 - legend_width(&entries) as i32 - 24);
        draw_legend(&legend.margin(48, 0, 8, 8), &entries)?;
        let label_width = self.label_width();
        let mut rest = plots;
        for panel in &self.panels {
            let (area, below) = rest.split_vertically(Forest::panel_height(panel) as i32);
            rest = below;
            let n = panel.rows.len();
            let (lo, hi) = panel
                .rows
                .iter()
                .map(|r| {
                    let h = if r.ci95.is_finite() { r.ci95 } else { 0.0 };
                    (r.mean - h, r.mean + h)
                })
                .fold((0.0_f64, 0.0_f64), |(a, b), (x, y)| (a.min(x), b.max(y)));
            let (x0, x1) = padded(lo, hi, None);
            let keys: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let labels: Vec<String> = panel.rows.iter().rev().map(|r| r.label.clone()).collect();
            let mut chart = ChartBuilder::on(&area)
                .margin(10)
                .caption(
                    format!("B − A in {}", panel.unit),
                    (FAMILY, DESC_SIZE + 1.0),
                )
                .x_label_area_size(50)
                .y_label_area_size(label_width)
                .build_cartesian_2d(x0..x1, Keyed::new(-0.5, n as f64 - 0.5, keys))?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .x_desc(format!("difference B − A ({})", panel.unit))
                .axis_desc_style((FAMILY, DESC_SIZE))
                .label_style((FAMILY, LABEL_SIZE))
                .x_label_formatter(&|x| tick(*x))
                .y_label_formatter(&|y| {
                    labels
                        .get(y.round().max(0.0) as usize)
                        .cloned()
                        .unwrap_or_default()
                })
                .max_light_lines(0)
                .bold_line_style(GRID)
                .draw()?;
            // Shade significant rows (translucent, over the grid).
            for (i, r) in panel.rows.iter().rev().enumerate() {
                if r.verdict != Verdict::NoSignificantDifference {
                    let (c, _) = style(r.verdict);
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(x0, i as f64 - 0.5), (x1, i as f64 + 0.5)],
                        c.mix(0.12).filled(),
                    )))?;
                }
            }
            chart.draw_series(DashedLineSeries::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                6,
                4,
                BLACK.stroke_width(1),
            ))?;
            for (i, r) in panel.rows.iter().rev().enumerate() {
                let (c, m) = style(r.verdict);
                let y = i as f64;
                let width = if r.verdict == Verdict::NoSignificantDifference {
                    2
                } else {
                    3
                };
                if r.ci95.is_finite() && r.ci95 > 0.0 {
                    let left = chart.backend_coord(&((r.mean - r.ci95).max(x0), y));
                    let right = chart.backend_coord(&((r.mean + r.ci95).min(x1), y));
                    root.draw(&PathElement::new(vec![left, right], c.stroke_width(width)))?;
                    for end in [left, right] {
                        root.draw(&PathElement::new(
                            vec![(end.0, end.1 - 5), (end.0, end.1 + 5)],
                            c.stroke_width(width),
                        ))?;
                    }
                }
                draw_marker(root, m, chart.backend_coord(&(r.mean, y)), 5, c)?;
            }
        }
        Ok(())
    }
}
