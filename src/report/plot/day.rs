//! Over the day: the metrics per slot of the day (`slots` in
//! `summary.json`, written when the scenario has a `[calendar]` or tier
//! shifts) against the time of day, each with its 95% CI: arrivals as bars
//! with whiskers, servers on duty as steps, utilization, queue lengths and
//! the service metrics as lines with shaded bands.
//!
//! A [`Day`] is one figure of one or more panels that share the time axis
//! (a window of the day: the hours with arrivals, staff or a queue, see
//! [`window`]); each panel has its own metric and unit. The series of a
//! panel are the tiers (or all clients) of one point, or, for a comparison,
//! of both scenarios: A dashed, B solid.

pub use super::day_series::Shown;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, Keyed, LABEL_SIZE, LegendEntry, Marker,
    draw_marker, draw_whisker_capped, legend_height, note_in_middle, padded, tick,
    titled_with_legend,
};
use crate::report::summary::{Curve, Slots};

/// How a panel draws its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A bar per slot (side by side for several series), whiskers for the
    /// 95% CI: counts per slot.
    Bars,
    /// A level held over each slot, the 95% CI as a shaded box per slot:
    /// servers on duty.
    Steps,
    /// A line through the slots' centres with markers, the 95% CI as a
    /// shaded band: time averages and rates.
    Lines,
}

/// The y range of a panel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Exactly this range (a share's 0 to 1, a score's 0 to 100).
    Fixed(f64, f64),
    /// From 0 to the highest upper CI bound, padded.
    FromZero,
}

/// One series: one metric of one group of one point, per slot.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// Line or bar colour.
    pub colour: RGBColor,
    /// Marker on lines (and in the legend).
    pub marker: Marker,
    /// Dashed line (scenario A of a comparison).
    pub dashed: bool,
    /// Minutes per slot.
    pub slot_minutes: f64,
    /// Mean and 95% half-width per slot (NaN where undefined).
    pub values: Curve,
}

impl Series {
    /// Slot `i` as (start hour, end hour, mean, half-width).
    fn slot(&self, i: usize) -> (f64, f64, f64, f64) {
        let w = self.slot_minutes / 60.0;
        let h = self.values.ci95.get(i).copied().unwrap_or(f64::NAN);
        (
            i as f64 * w,
            (i + 1) as f64 * w,
            self.values.mean[i],
            if h.is_finite() { h } else { 0.0 },
        )
    }

    /// Slots whose interval overlaps the hours `(a, b)`.
    fn visible(&self, (a, b): (f64, f64)) -> impl Iterator<Item = usize> + '_ {
        (0..self.values.mean.len()).filter(move |&i| {
            let (s, e, _, _) = self.slot(i);
            e > a && s < b
        })
    }

    /// Whether any slot has a nonzero CI.
    fn has_ci(&self) -> bool {
        self.values.ci95.iter().any(|h| h.is_finite() && *h > 0.0)
    }
}

/// One panel: a metric against the time of day.
#[derive(Clone, Debug)]
pub struct Panel {
    /// Panel caption: the metric in words and its key.
    pub title: String,
    /// y-axis title with its unit.
    pub y_desc: String,
    /// How the series are drawn.
    pub style: Style,
    /// The y range.
    pub scale: Scale,
    /// The series.
    pub series: Vec<Series>,
    /// A horizontal target line (a share), drawn dashed red.
    pub target: Option<f64>,
}

/// A figure of panels over the day.
#[derive(Clone, Debug)]
pub struct Day {
    /// Plot title.
    pub title: String,
    /// The hours shown, `(from, to)` within 0 to 24.
    pub window: (f64, f64),
    /// x-axis title.
    pub x_desc: String,
    /// Panels, in reading order.
    pub panels: Vec<Panel>,
    /// Extra legend lines after the series (the target's explanation).
    pub notes: Vec<LegendEntry>,
}

/// A time of day in hours as `HH:MM` (`24:00` at the end of the day).
pub fn clock(hours: f64) -> String {
    let minutes = (hours * 60.0).round().max(0.0) as i64;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The hours worth showing for `slots` of the given points: from the hour
/// before the first slot with arrivals, a queue or servers on duty (of a
/// tier whose servers vary over the day: a roster) to the hour after the
/// last, in whole hours; the whole day when that leaves out
/// less than four hours, or when nothing happens at all.
pub fn window(slots: &[&Slots]) -> (f64, f64) {
    let mut first = f64::INFINITY;
    let mut last = f64::NEG_INFINITY;
    for s in slots {
        let mut active: Vec<&Curve> = s.overall("arrived").into_iter().collect();
        for (tier, _) in &s.tiers {
            // Servers count only where a roster varies them: a tier with
            // fixed servers is on duty all day.
            active.extend(s.tier(tier, "servers_mean").filter(|c| {
                let finite = || c.mean.iter().filter(|m| m.is_finite());
                finite().fold(f64::INFINITY, |a, &b| a.min(b))
                    < finite().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
            }));
            active.extend(s.tier(tier, "queue_len_mean"));
        }
        for c in active {
            for (i, m) in c.mean.iter().enumerate() {
                if m.is_finite() && *m > 0.0 {
                    first = first.min(s.start_hour(i));
                    last = last.max(s.start_hour(i + 1));
                }
            }
        }
    }
    let day = slots
        .iter()
        .map(|s| s.start_hour(s.labels.len()))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    if !first.is_finite() {
        return (0.0, day);
    }
    let from = (first.floor() - 1.0).max(0.0);
    let to = (last.ceil() + 1.0).min(day);
    if from + (day - to) < 4.0 {
        (0.0, day)
    } else {
        (from, to)
    }
}

/// Tick positions (hours) across `window`: whole hours, every 1, 2, 3, 4,
/// 6 or 12 hours, at most `max` of them.
fn hour_ticks((a, b): (f64, f64), max: usize) -> Vec<f64> {
    let step = [1.0, 2.0, 3.0, 4.0, 6.0, 12.0]
        .into_iter()
        .find(|s| (((b - a) / s).floor() as usize) < max.max(2))
        .unwrap_or(24.0);
    let first = (a / step).ceil() as i64;
    let last = (b / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

impl Day {
    /// The legend: one entry per distinct series label (in panel order),
    /// then how the CIs are drawn, the target, and the notes.
    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for p in &self.panels {
            for s in &p.series {
                if seen.contains(&s.label.as_str()) {
                    continue;
                }
                seen.push(&s.label);
                entries.push(match (p.style, s.dashed) {
                    (Style::Bars, _) => LegendEntry::marker(s.label.clone(), s.colour, Marker::Box),
                    (_, true) => {
                        let mut e = LegendEntry::dashed(s.label.clone(), s.colour);
                        e.marker = s.marker;
                        e
                    }
                    (_, false) => LegendEntry::line(s.label.clone(), s.colour, s.marker),
                });
            }
        }
        let any_ci = |style: Style| {
            self.panels
                .iter()
                .filter(|p| p.style == style)
                .any(|p| p.series.iter().any(Series::has_ci))
        };
        if any_ci(Style::Bars) {
            entries.push(LegendEntry::text("whiskers: 95% CI"));
        }
        if any_ci(Style::Lines) || any_ci(Style::Steps) {
            entries.push(LegendEntry::text("shaded: 95% CI"));
        }
        if let Some(t) = self.panels.iter().find_map(|p| p.target) {
            entries.push(LegendEntry::dashed(
                format!("service-level target {}", tick(t)),
                RED,
            ));
        }
        entries.extend(self.notes.iter().cloned());
        entries
    }

    fn columns(&self) -> usize {
        if self.panels.len() >= 3 { 2 } else { 1 }
    }

    fn rows(&self) -> usize {
        self.panels.len().div_ceil(self.columns()).max(1)
    }

    /// Whether any panel has a series with a nonzero CI.
    pub fn has_ci(&self) -> bool {
        self.panels
            .iter()
            .any(|p| p.series.iter().any(Series::has_ci))
    }
}

const PANEL_HEIGHT: u32 = 330;

impl Chart for Day {
    fn size(&self) -> (u32, u32) {
        (
            980,
            60 + legend_height(&self.legend()) + 16 + PANEL_HEIGHT * self.rows() as u32,
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let panels = titled_with_legend(root, &self.title, &self.legend())?;
        let cells = panels.split_evenly((self.rows(), self.columns()));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            draw_panel(root, cell, panel, self.window, &self.x_desc)?;
        }
        Ok(())
    }
}

/// The y range of `panel` over the slots shown.
fn y_range(panel: &Panel, window: (f64, f64)) -> (f64, f64) {
    match panel.scale {
        Scale::Fixed(lo, hi) => (lo, hi),
        Scale::FromZero => {
            let high = panel
                .series
                .iter()
                .flat_map(|s| s.visible(window).map(move |i| s.slot(i)))
                .filter(|(_, _, m, _)| m.is_finite())
                .map(|(_, _, m, h)| m + h)
                .fold(0.0_f64, f64::max);
            if high > 0.0 {
                padded(0.0, high, Some(0.0))
            } else {
                (0.0, 1.0)
            }
        }
    }
}

/// The chart of one panel: time of day against the panel's metric.
type DayChart<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<Keyed, plotters::coord::types::RangedCoordf64>>;

/// One slot as drawn: its start and end (hours), mean and 95% half-width.
type Slot = (f64, f64, f64, f64);

/// Draws one panel in `cell`: its axes, a note when every slot is 0, the
/// target, then each series in the panel's style.
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    cell: &DrawingArea<DB, Shift>,
    panel: &Panel,
    window: (f64, f64),
    x_desc: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let y = y_range(panel, window);
    let mut chart = panel_axes(cell, panel, window, y, x_desc)?;
    if all_zero(panel, window) && !matches!(panel.scale, Scale::Fixed(..)) {
        note_in_middle(
            root,
            chart.plotting_area().get_pixel_range(),
            "0 in every slot",
        )?;
    }
    if let Some(t) = panel.target {
        chart.draw_series(DashedLineSeries::new(
            vec![(window.0, t), (window.1, t)],
            8,
            5,
            RED.stroke_width(2),
        ))?;
    }
    let count = panel.series.len().max(1);
    for (k, s) in panel.series.iter().enumerate() {
        let slots: Vec<Slot> = s
            .visible(window)
            .map(|i| s.slot(i))
            .map(|(a, b, m, h)| (a.max(window.0), b.min(window.1), m, h))
            .collect();
        match panel.style {
            Style::Bars => draw_bars(root, &mut chart, s, &slots, (k, count), y)?,
            Style::Steps => draw_steps(root, &mut chart, s, &slots, y)?,
            Style::Lines => draw_lines(root, &mut chart, s, &slots, y)?,
        }
    }
    Ok(())
}

/// The panel's axes and grid in `cell`, the hours of `window` across.
fn panel_axes<'a, DB: DrawingBackend>(
    cell: &'a DrawingArea<DB, Shift>,
    panel: &Panel,
    window: (f64, f64),
    (y0, y1): (f64, f64),
    x_desc: &str,
) -> Result<DayChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>>
where
    DB::ErrorType: 'static,
{
    let width = cell.dim_in_pixel().0.saturating_sub(110);
    let xkeys = hour_ticks(window, (width / 58).max(2) as usize);
    let mut chart = ChartBuilder::on(cell)
        .margin(12)
        .caption(panel.title.as_str(), (FAMILY, DESC_SIZE + 1.0))
        .x_label_area_size(52)
        .y_label_area_size(76)
        .build_cartesian_2d(Keyed::new(window.0, window.1, xkeys), y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(panel.y_desc.as_str())
        .axis_desc_style((FAMILY, DESC_SIZE))
        .label_style((FAMILY, LABEL_SIZE))
        .x_label_formatter(&|x| clock(*x))
        .y_label_formatter(&|y| tick(*y))
        .max_light_lines(0)
        .bold_line_style(GRID)
        .draw()?;
    Ok(chart)
}

/// Whether every series of `panel` is 0 (or undefined) in every slot shown.
fn all_zero(panel: &Panel, window: (f64, f64)) -> bool {
    panel.series.iter().all(|s| {
        s.visible(window)
            .map(|i| s.slot(i))
            .all(|(_, _, m, _)| !m.is_finite() || m == 0.0)
    })
}

/// Series `k` of `count` as bars side by side within each slot, with
/// whiskers for the 95% CI.
fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut DayChart<'_, DB>,
    s: &Series,
    slots: &[Slot],
    (k, count): (usize, usize),
    (y0, y1): (f64, f64),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let clamp = |y: f64| y.clamp(y0, y1);
    for &(a, b, m, h) in slots.iter().filter(|v| v.2.is_finite()) {
        let w = (b - a) * 0.8 / count as f64;
        let x0 = a + (b - a) * 0.1 + k as f64 * w;
        let x1 = x0 + w * 0.85;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x0, y0.max(0.0)), (x1, clamp(m))],
            s.colour.mix(0.85).filled(),
        )))?;
        if h > 0.0 {
            let xm = (x0 + x1) / 2.0;
            let top = chart.backend_coord(&(xm, clamp(m + h)));
            let bottom = chart.backend_coord(&(xm, clamp(m - h)));
            let bar = chart.backend_coord(&(x1, 0.0)).0 - chart.backend_coord(&(x0, 0.0)).0;
            let cap = (bar / 3).clamp(1, 5);
            draw_whisker_capped(root, top, bottom, BLACK.stroke_width(1), cap)?;
        }
    }
    Ok(())
}

/// A series as a level held over each slot, the 95% CI as a shaded box.
fn draw_steps<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut DayChart<'_, DB>,
    s: &Series,
    slots: &[Slot],
    (y0, y1): (f64, f64),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let clamp = |y: f64| y.clamp(y0, y1);
    for &(a, b, m, h) in slots.iter().filter(|v| v.2.is_finite() && v.3 > 0.0) {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(a, clamp(m - h)), (b, clamp(m + h))],
            s.colour.mix(0.15).filled(),
        )))?;
    }
    for run in runs(slots) {
        let path = run
            .iter()
            .flat_map(|&(a, b, m, _)| [(a, clamp(m)), (b, clamp(m))])
            .collect();
        line(chart, path, s)?;
    }
    slot_markers(root, chart, s, slots, 4, (y0, y1))
}

/// A series as a line through the slots' centres, the 95% CI as a shaded
/// band (an error bar for a slot alone between undefined ones).
fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut DayChart<'_, DB>,
    s: &Series,
    slots: &[Slot],
    (y0, y1): (f64, f64),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let clamp = |y: f64| y.clamp(y0, y1);
    for run in runs(slots) {
        let band: Vec<(f64, f64, f64)> = run
            .iter()
            .map(|&(a, b, m, h)| ((a + b) / 2.0, clamp(m - h), clamp(m + h)))
            .collect();
        if band.len() >= 2 && band.iter().any(|(_, lo, hi)| hi > lo) {
            let mut outline: Vec<(f64, f64)> = band.iter().map(|&(x, lo, _)| (x, lo)).collect();
            outline.extend(band.iter().rev().map(|&(x, _, hi)| (x, hi)));
            chart.draw_series(std::iter::once(Polygon::new(
                outline,
                s.colour.mix(0.15).filled(),
            )))?;
        } else if let [(x, lo, hi)] = band.as_slice()
            && hi > lo
        {
            let top = chart.backend_coord(&(*x, *hi));
            let bottom = chart.backend_coord(&(*x, *lo));
            root.draw(&PathElement::new(
                vec![top, bottom],
                s.colour.stroke_width(2),
            ))?;
        }
        let path = run
            .iter()
            .map(|&(a, b, m, _)| ((a + b) / 2.0, clamp(m)))
            .collect();
        line(chart, path, s)?;
    }
    slot_markers(root, chart, s, slots, 3, (y0, y1))
}

/// The series' marker at each defined slot's centre, when at most 48
/// slots are shown (more would blur into the line).
fn slot_markers<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &DayChart<'_, DB>,
    s: &Series,
    slots: &[Slot],
    size: i32,
    (y0, y1): (f64, f64),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if slots.len() > 48 {
        return Ok(());
    }
    for &(a, b, m, _) in slots.iter().filter(|v| v.2.is_finite()) {
        let at = chart.backend_coord(&((a + b) / 2.0, m.clamp(y0, y1)));
        draw_marker(root, s.marker, at, size, s.colour)?;
    }
    Ok(())
}

/// The runs of consecutive slots with a defined mean (a line breaks where
/// a slot is undefined).
fn runs(slots: &[Slot]) -> Vec<&[Slot]> {
    slots
        .split(|(_, _, m, _)| !m.is_finite())
        .filter(|r| !r.is_empty())
        .collect()
}

/// Draws `path` in the series' style (solid, or dashed for scenario A).
fn line<DB: DrawingBackend>(
    chart: &mut DayChart<'_, DB>,
    path: Vec<(f64, f64)>,
    s: &Series,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if s.dashed {
        chart.draw_series(DashedLineSeries::new(path, 9, 5, s.colour.stroke_width(2)))?;
    } else {
        chart.draw_series(LineSeries::new(path, s.colour.stroke_width(2)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(arrived: &[f64]) -> Slots {
        Slots {
            slot_minutes: 60.0,
            labels: (0..arrived.len()).map(|h| clock(h as f64)).collect(),
            overall: crate::report::format::Ordered(vec![(
                "arrived".into(),
                Curve {
                    mean: arrived.to_vec(),
                    ci95: vec![0.0; arrived.len()],
                },
            )]),
            tiers: Default::default(),
        }
    }

    #[test]
    fn clock_and_ticks() {
        assert_eq!(clock(8.5), "08:30");
        assert_eq!(clock(24.0), "24:00");
        assert_eq!(
            hour_ticks((7.0, 19.0), 13),
            (7..=19).map(f64::from).collect::<Vec<_>>()
        );
        assert_eq!(
            hour_ticks((0.0, 24.0), 9),
            vec![0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 21.0, 24.0]
        );
    }

    #[test]
    fn the_window_is_the_busy_part_of_the_day() {
        let mut a = vec![0.0; 24];
        a[8..18].fill(5.0);
        assert_eq!(window(&[&slots(&a)]), (7.0, 19.0));
        // Busy nearly all day, or never: the whole day.
        assert_eq!(window(&[&slots(&[1.0; 24])]), (0.0, 24.0));
        assert_eq!(window(&[&slots(&[0.0; 24])]), (0.0, 24.0));
    }
}
