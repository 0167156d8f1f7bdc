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
//!
//! A unit's rows share one axis only while their sizes are comparable: when
//! some differences are more than [`SPLIT`] times smaller than the largest
//! (a back office's overtime in thousands of minutes beside a front line's
//! waits of a minute), the unit is drawn as two panels, the smaller
//! differences first, so that neither is squashed against zero.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, Keyed, LABEL_SIZE, LegendEntry, Marker,
    draw_legend, draw_marker, draw_whisker, group_label, legend_width, padded, shorten, text_size,
    tick, title, unit,
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

/// A unit's rows are drawn in two panels when the smallest difference is
/// more than this many times smaller than the largest.
pub const SPLIT: f64 = 30.0;

/// Rows sharing a unit (and a scale, see [`SPLIT`]).
#[derive(Clone, Debug)]
pub struct Panel {
    /// `minutes`, `share`, `clients`, or another unit of [`unit`].
    pub unit: &'static str,
    /// The panel's heading: `B − A in minutes`, with which differences it
    /// holds when its unit is split in two.
    pub heading: String,
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

impl Row {
    /// How far the row reaches from zero: |mean| plus its half-width.
    fn extent(&self) -> f64 {
        self.mean.abs()
            + if self.ci95.is_finite() {
                self.ci95
            } else {
                0.0
            }
    }
}

impl Panel {
    fn new(unit: &'static str) -> Panel {
        Panel {
            unit,
            heading: format!("B − A in {unit}"),
            rows: Vec::new(),
        }
    }

    /// This panel, or its smaller and its larger differences as two panels
    /// when some rows are more than [`SPLIT`] times smaller than the
    /// largest (see the module doc). Rows keep their order; a row of no
    /// difference at all is readable on any axis and does not split.
    fn split(self) -> Vec<Panel> {
        let largest = self.rows.iter().map(Row::extent).fold(0.0, f64::max);
        let (larger, smaller): (Vec<Row>, Vec<Row>) = self
            .rows
            .into_iter()
            .partition(|r| r.extent() == 0.0 || r.extent() * SPLIT >= largest);
        if smaller.is_empty() {
            return vec![Panel {
                rows: larger,
                ..self
            }];
        }
        vec![
            Panel {
                unit: self.unit,
                heading: format!("{} (the smaller differences)", self.heading),
                rows: smaller,
            },
            Panel {
                unit: self.unit,
                heading: format!("{} (the larger differences)", self.heading),
                rows: larger,
            },
        ]
    }
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
            .map(Panel::new)
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
                    panels.push(Panel::new(u));
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
        let panels = panels.into_iter().flat_map(Panel::split).collect();
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
            draw_panel(root, &area, panel, label_width)?;
        }
        Ok(())
    }
}

/// One panel: its rows' differences with their intervals, on `area`
/// (markers and whiskers are drawn on `root`, in pixels).
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    label_width: u32,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
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
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .caption(panel.heading.as_str(), (FAMILY, DESC_SIZE + 1.0))
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
            draw_whisker(root, left, right, c.stroke_width(width))?;
        }
        draw_marker(root, m, chart.backend_coord(&(r.mean, y)), 5, c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, mean: f64, ci95: f64) -> Row {
        Row {
            label: label.into(),
            mean,
            ci95,
            verdict: Verdict::NoSignificantDifference,
        }
    }

    fn panel(rows: Vec<Row>) -> Panel {
        Panel {
            rows,
            ..Panel::new("minutes")
        }
    }

    fn labels(p: &Panel) -> Vec<&str> {
        p.rows.iter().map(|r| r.label.as_str()).collect()
    }

    #[test]
    fn comparable_differences_share_one_panel() {
        // Largest extent 30 (25 + 5); the smallest, 1, is exactly 30 times
        // smaller: still on the same axis.
        let parts = panel(vec![row("a", -1.0, 0.0), row("b", 25.0, 5.0)]).split();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].heading, "B − A in minutes");
        assert_eq!(labels(&parts[0]), ["a", "b"]);
    }

    #[test]
    fn a_back_office_overtime_gets_its_own_panel() {
        let parts = panel(vec![
            row("junior wait", -0.4, 0.1),
            row("credit overtime", -5000.0, 300.0),
            row("senior wait", 0.2, 0.05),
            row("credit wait", -640.0, 20.0),
            row("expert wait", 0.0, 0.0),
        ])
        .split();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[0].heading,
            "B − A in minutes (the smaller differences)"
        );
        assert_eq!(labels(&parts[0]), ["junior wait", "senior wait"]);
        assert_eq!(
            parts[1].heading,
            "B − A in minutes (the larger differences)"
        );
        // Order kept; a row of no difference at all stays with the larger.
        assert_eq!(
            labels(&parts[1]),
            ["credit overtime", "credit wait", "expert wait"]
        );
    }

    #[test]
    fn rows_of_no_difference_do_not_split() {
        let parts = panel(vec![row("a", 0.0, 0.0), row("b", 0.0, 0.0)]).split();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].rows.len(), 2);
    }
}
