//! The terminal table: one row per metric, one column per group, each cell
//! `mean ± ci95`, with units in the row label. The same numbers as the files.
//!
//! The `*_styled` functions add ANSI colour (bold headers; significant
//! differences green when better, red when worse, magenta when a neutral
//! metric changed; points that hit `max_replications` in yellow) for a
//! terminal. Without colour they return exactly the plain text.

use super::catalogue::{self, Unit};
use super::format::putln;
use super::headline::{self, Headline};
use super::summary::Point;
use super::verdict::Verdict;
use crate::experiment::{Metrics, ScenarioSummary};

/// An ANSI style for one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paint {
    Plain,
    Bold,
    Green,
    Red,
    Magenta,
    Yellow,
    Dim,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Plain => "",
            Paint::Bold => "\x1b[1m",
            Paint::Green => "\x1b[32m",
            Paint::Red => "\x1b[31m",
            Paint::Magenta => "\x1b[35m",
            Paint::Yellow => "\x1b[33m",
            Paint::Dim => "\x1b[2m",
        }
    }

    /// `text` in this style when `colour` is on, else unchanged.
    fn apply(self, text: &str, colour: bool) -> String {
        if !colour || self == Paint::Plain {
            text.to_string()
        } else {
            format!("{}{text}\x1b[0m", self.code())
        }
    }

    fn of(v: Verdict) -> Paint {
        match v {
            Verdict::Better => Paint::Green,
            Verdict::Worse => Paint::Red,
            Verdict::Changed => Paint::Magenta,
            Verdict::NoSignificantDifference => Paint::Dim,
        }
    }
}

/// The unit shown beside a metric's name (from the metric catalogue).
fn unit(metric: &str) -> &'static str {
    super::catalogue::unit(metric).short()
}

/// The unit of a row of a run's table: counts and money name the period
/// they are summed over (`per week`), shares are percentages.
fn row_unit(metric: &str, period: Option<&str>) -> String {
    match (catalogue::unit(metric), period) {
        (Unit::Count, Some(p)) => p.to_string(),
        (Unit::Currency, Some(p)) => format!("currency {p}"),
        (Unit::Share, _) => "%".into(),
        (u, _) => u.short().into(),
    }
}

/// [`cell`] for metric `metric`: a count that is exactly 0 (with no
/// spread) is written `0 ± 0`, without decimals, as large counts are.
fn metric_cell(metric: &str, mean: f64, ci95: f64) -> String {
    if unit(metric) == "count" && mean == 0.0 && ci95 == 0.0 {
        "0 ± 0".into()
    } else {
        cell(mean, ci95)
    }
}

/// [`metric_cell`] with shares as percentages.
fn shown_cell(metric: &str, mean: f64, ci95: f64) -> String {
    if catalogue::unit(metric) == Unit::Share {
        if mean.is_finite() {
            format!("{:.2} ± {:.2}", 100.0 * mean, 100.0 * ci95)
        } else {
            "-".into()
        }
    } else {
        metric_cell(metric, mean, ci95)
    }
}

/// A value with as many decimals as its size needs.
fn cell(mean: f64, ci95: f64) -> String {
    if !mean.is_finite() {
        return "-".into();
    }
    let decimals = if mean.abs() >= 1000.0 {
        0
    } else if mean.abs() >= 10.0 {
        2
    } else {
        4
    };
    format!("{mean:.decimals$} ± {ci95:.decimals$}")
}

/// Whether a row is the same trivial value in every group: all exactly
/// 0, or all undefined.
fn trivial(groups: &[(&str, &Metrics)], row: usize) -> Option<&'static str> {
    let values = || {
        groups
            .iter()
            .filter_map(|(_, m)| m.get(row).map(|(_, e)| e))
    };
    if values().all(|e| e.mean == 0.0 && e.ci95 == 0.0) {
        Some("zero")
    } else if values().all(|e| !e.mean.is_finite()) {
        Some("undefined")
    } else {
        None
    }
}

/// One table of metrics (rows) by groups (columns); a bold header with
/// `colour`. Rows that are 0 in every group (or undefined in every group)
/// are folded into one line each after the table; counts name `period`.
fn table(
    out: &mut String,
    title: &str,
    groups: &[(&str, &Metrics)],
    period: Option<&str>,
    colour: bool,
) {
    let Some((_, first)) = groups.first() else {
        return;
    };
    let (mut zero, mut undefined) = (Vec::new(), Vec::new());
    let rows: Vec<usize> = (0..first.len())
        .filter(|&r| match trivial(groups, r) {
            Some("zero") => {
                zero.push(first[r].0);
                false
            }
            Some(_) => {
                undefined.push(first[r].0);
                false
            }
            None => true,
        })
        .collect();
    let mut grid = vec![
        std::iter::once(title.to_string())
            .chain(groups.iter().map(|(n, _)| n.to_string()))
            .collect::<Vec<_>>(),
    ];
    for &r in &rows {
        let m = first[r].0;
        let mut line = vec![format!("{m} ({})", row_unit(m, period))];
        line.extend(groups.iter().map(|(_, metrics)| {
            metrics
                .get(r)
                .map_or("-".into(), |(m, e)| shown_cell(m, e.mean, e.ci95))
        }));
        grid.push(line);
    }
    out.push_str(&grid_styled(
        &grid,
        &[vec![Paint::Bold; grid[0].len()]],
        colour,
    ));
    for (what, list) in [("zero", &zero), ("undefined", &undefined)] {
        if !list.is_empty() {
            putln(
                out,
                format_args!("{what} in every group: {}", list.join(", ")),
            );
        }
    }
}

/// The summary as text: a clients table (overall and per segment) and a
/// tiers table, values `mean ± 95% half-width`.
pub fn render(summary: &ScenarioSummary) -> String {
    render_styled(summary, false)
}

/// [`render`], with bold headers when `colour` is on.
pub fn render_styled(summary: &ScenarioSummary, colour: bool) -> String {
    run_styled(summary, None, f64::NAN, colour)
}

/// A run of one scenario as text: the answer first (target attainment,
/// the headline metrics' line, staff cost, from its `summary.json` entry
/// `doc` when given), then the clients table (overall and per segment) and
/// the tiers table, values `mean ± 95% half-width`, counts per the
/// `measured_minutes` of a replication, shares in percent.
pub fn run_styled(
    summary: &ScenarioSummary,
    doc: Option<&Point>,
    measured_minutes: f64,
    colour: bool,
) -> String {
    let period = measured_minutes
        .is_finite()
        .then(|| catalogue::period(measured_minutes));
    let mut out = format!(
        "scenario {}: {} replication(s){}; values are mean ± 95% CI half-width\n\n",
        summary.name,
        summary.replications,
        period.as_ref().map_or(String::new(), |p| format!(
            "; counts and money are {p} (the measured period of one replication)"
        ))
    );
    if let Some(doc) = doc {
        out.push_str(&Paint::Bold.apply(&headline::run_verdict(doc), colour));
        out.push('\n');
        for line in headline::target_lines(doc) {
            let paint = if line.starts_with("missed") {
                Paint::Red
            } else if line.starts_with("met") {
                Paint::Green
            } else {
                Paint::Yellow
            };
            putln(&mut out, format_args!("  {}", paint.apply(&line, colour)));
        }
        if let Some(cost) = headline::run_cost_line(doc) {
            putln(&mut out, format_args!("{cost}"));
        }
        if let Some(day) = headline::day_quantile_line(doc) {
            putln(&mut out, format_args!("{day}"));
        }
        out.push('\n');
    }
    let mut clients: Vec<(&str, &Metrics)> = vec![("overall", &summary.overall)];
    clients.extend(summary.segments.iter().map(|(n, m)| (n.as_str(), m)));
    table(&mut out, "clients", &clients, period.as_deref(), colour);
    out.push('\n');
    let tiers: Vec<(&str, &Metrics)> = summary.tiers.iter().map(|(n, m)| (n.as_str(), m)).collect();
    table(
        &mut out,
        "tiers (per visit)",
        &tiers,
        period.as_deref(),
        colour,
    );
    out
}

/// Left-aligned first column, right-aligned others, two spaces apart, with
/// `paint[row][column]` applied to each padded cell when `colour` is on
/// (missing entries are plain); widths are those of the plain text, so
/// columns stay aligned.
fn grid_styled(rows: &[Vec<String>], paint: &[Vec<Paint>], colour: bool) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let style = paint
                .get(r)
                .and_then(|p| p.get(c))
                .copied()
                .unwrap_or(Paint::Plain);
            if c == 0 {
                let padded = format!("{cell:<w$}");
                out.push_str(&style.apply(&padded, colour));
            } else {
                let padded = format!("{cell:>w$}");
                out.push_str("  ");
                out.push_str(&style.apply(&padded, colour));
            }
        }
        out.push('\n');
    }
    out
}

/// A sweep of several points: one row per point with the headline metrics.
pub fn points(summaries: &[ScenarioSummary], stops: &[&str]) -> String {
    points_styled(summaries, stops, false)
}

/// [`points`], with a bold header and points stopped by
/// `max_replications` in yellow when `colour` is on.
pub fn points_styled(summaries: &[ScenarioSummary], stops: &[&str], colour: bool) -> String {
    let mut table = PointsTable::default();
    for (s, stop) in summaries.iter().zip(stops) {
        table.push(s, stop);
    }
    table.render(colour)
}

/// The table of [`points_styled`], built one point at a time (its rows
/// only, so that a sweep of many points is not kept whole for it).
#[derive(Clone, Debug, Default)]
pub struct PointsTable {
    /// The first point's tiers, which name the utilization columns.
    tiers: Vec<String>,
    /// The header, then one row per point.
    rows: Vec<Vec<String>>,
    /// Why each point stopped.
    stops: Vec<String>,
}

impl PointsTable {
    /// Adds the row of point `s`, which stopped for `stop`.
    pub fn push(&mut self, s: &ScenarioSummary, stop: &str) {
        if self.rows.is_empty() {
            self.tiers = s.tiers.iter().map(|(t, _)| t.clone()).collect();
            let mut header = vec![
                "point".to_string(),
                "reps".to_string(),
                "stop".to_string(),
                "wait_mean (min)".to_string(),
                "service_level".to_string(),
                "abandon_rate".to_string(),
            ];
            header.extend(self.tiers.iter().map(|t| format!("{t} utilization")));
            self.rows.push(header);
        }
        let pick = |m: &str| {
            s.overall(m)
                .map_or("-".to_string(), |e| cell(e.mean, e.ci95))
        };
        let mut row = vec![
            s.name.clone(),
            s.replications.to_string(),
            stop.to_string(),
            pick("wait_mean"),
            pick("service_level"),
            pick("abandon_rate"),
        ];
        row.extend(self.tiers.iter().map(|t| {
            s.tier(t, "utilization")
                .map_or("-".into(), |e| cell(e.mean, e.ci95))
        }));
        self.rows.push(row);
        self.stops.push(stop.to_string());
    }

    /// The table, with a bold header and points stopped by
    /// `max_replications` in yellow when `colour` is on; empty without
    /// points.
    pub fn render(&self, colour: bool) -> String {
        if self.rows.is_empty() {
            return String::new();
        }
        let paint: Vec<Vec<Paint>> = std::iter::once(vec![Paint::Bold; self.rows[0].len()])
            .chain(self.stops.iter().map(|stop| {
                if stop == "max_replications" {
                    vec![Paint::Plain, Paint::Yellow, Paint::Yellow]
                } else {
                    Vec::new()
                }
            }))
            .collect();
        grid_styled(&self.rows, &paint, colour)
    }
}

/// Paired differences B − A: the significant ones, one row each with
/// its verdict; the others counted in one line.
pub fn differences(a: &str, b: &str, diffs: &[crate::experiment::Difference]) -> String {
    differences_styled(a, b, diffs, false)
}

/// A comparison as text: the answer ([`Headline::lines`]) first, then
/// [`differences_styled`].
pub fn compare_styled(
    a: &str,
    b: &str,
    headline: &Headline,
    diffs: &[crate::experiment::Difference],
    colour: bool,
) -> String {
    let mut lines = headline.lines().into_iter();
    let mut out = String::new();
    putln(&mut out, format_args!("B ({b}) against A ({a}), in short:"));
    if let Some(verdict) = lines.next() {
        putln(
            &mut out,
            format_args!("  {}", Paint::Bold.apply(&verdict, colour)),
        );
    }
    for line in lines {
        let paint = if line.starts_with("worse") || line.starts_with("also worse") {
            Paint::Red
        } else if line.starts_with("better") || line.starts_with("also better") {
            Paint::Green
        } else if line.starts_with("not comparable") {
            Paint::Magenta
        } else {
            Paint::Plain
        };
        putln(&mut out, format_args!("  {}", paint.apply(&line, colour)));
    }
    out.push('\n');
    out.push_str(&difference_rows(
        a,
        b,
        diffs,
        headline.route_change.is_some(),
        colour,
    ));
    out
}

/// [`differences`], with a bold header and, when `colour` is on, each
/// difference and its verdict coloured: green when B is better, red when
/// worse, magenta when a neutral metric changed.
pub fn differences_styled(
    a: &str,
    b: &str,
    diffs: &[crate::experiment::Difference],
    colour: bool,
) -> String {
    difference_rows(a, b, diffs, false, colour)
}

/// [`differences_styled`]; when the route changed, first-step metrics of
/// clients are marked `not comparable` instead of judged.
fn difference_rows(
    a: &str,
    b: &str,
    diffs: &[crate::experiment::Difference],
    route_changed: bool,
    colour: bool,
) -> String {
    let mut rows = vec![vec![
        "metric".to_string(),
        format!("A: {a}"),
        format!("B: {b}"),
        "B - A (95% CI)".to_string(),
        "verdict".to_string(),
        "CRN variance cut".to_string(),
    ]];
    let mut paint: Vec<Vec<Paint>> = vec![vec![Paint::Bold; rows[0].len()]];
    let mut quiet = 0;
    for d in diffs {
        let verdict = Verdict::of(d.metric, d.difference.mean, d.significant);
        if verdict == Verdict::NoSignificantDifference {
            quiet += 1;
            continue;
        }
        let value = |x: f64| {
            if x.is_finite() {
                metric_cell(d.metric, x, 0.0)
                    .split(" ±")
                    .next()
                    .unwrap_or("")
                    .to_string()
            } else {
                "-".into()
            }
        };
        rows.push(vec![
            format!("{}.{} ({})", d.group, d.metric, unit(d.metric)),
            value(d.a.mean),
            value(d.b.mean),
            metric_cell(d.metric, d.difference.mean, d.difference.ci95),
            if route_changed && catalogue::first_step(&d.group, d.metric) {
                "not comparable".to_string()
            } else {
                verdict.as_str().to_string()
            },
            if d.variance_reduction.is_finite() {
                format!("{:.0}%", 100.0 * d.variance_reduction)
            } else {
                "-".into()
            },
        ]);
        let p = Paint::of(verdict);
        paint.push(vec![Paint::Plain, Paint::Plain, Paint::Plain, p, p]);
    }
    let mut out = grid_styled(&rows, &paint, colour);
    putln(
        &mut out,
        format_args!(
            "{} significant difference(s) above (95% CI of B - A excludes 0); no significant difference on {quiet} more. All {} are in differences.csv.",
            rows.len() - 1,
            diffs.len()
        ),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stats::Estimate;
    use crate::experiment::Difference;

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn units_and_zero_counts() {
        for (metric, u) in [
            ("satisfaction_mean", "0-100"),
            ("handoffs_mean", "per client"),
            ("csat", "share"),
            ("fcr", "share"),
            ("deflection_rate", "share"),
            ("sales", "count"),
            ("revenue", "currency"),
            ("servers_mean", "servers"),
            ("overtime_minutes", "min"),
            ("turnaround_mean_hours", "h"),
            ("own_rm_share", "share"),
            ("queue_len_mean", "clients"),
            ("wait_p90", "min"),
            ("blocked", "count"),
        ] {
            assert_eq!(unit(metric), u, "{metric}");
        }
        assert_eq!(metric_cell("blocked", 0.0, 0.0), "0 ± 0");
        assert_eq!(metric_cell("sales", 0.0, 0.0), "0 ± 0");
        assert_eq!(metric_cell("arrived", 1642.25, 54.0), "1642 ± 54");
        assert_eq!(metric_cell("served", 946.5, 12.89), "946.50 ± 12.89");
        // Only counts: a share or a time of 0 keeps its decimals.
        assert_eq!(metric_cell("blocked_rate", 0.0, 0.0), "0.0000 ± 0.0000");
        assert_eq!(metric_cell("revenue", 0.0, 0.0), "0.0000 ± 0.0000");
    }

    #[test]
    fn colour_only_adds_escapes_and_plain_is_unchanged() {
        let e = |mean| Estimate {
            mean,
            ci95: 0.1,
            n: 10,
        };
        let diff = |metric, mean, significant| Difference {
            group: "overall".into(),
            metric,
            a: e(1.0),
            b: e(1.0 + mean),
            difference: e(mean),
            significant,
            variance_reduction: 0.5,
        };
        let diffs = vec![
            diff("wait_mean", -0.5, true),
            diff("service_level", -0.2, true),
            diff("utilization", 0.3, true),
            diff("served", 0.01, false),
        ];
        let plain = differences("a", "b", &diffs);
        assert_eq!(plain, differences_styled("a", "b", &diffs, false));
        assert!(!plain.contains('\x1b'));
        let coloured = differences_styled("a", "b", &diffs, true);
        assert_eq!(strip_ansi(&coloured), plain);
        let lines: Vec<&str> = coloured.lines().collect();
        assert!(lines[0].starts_with("\x1b[1m"));
        assert!(
            lines[1].contains("\x1b[32m"),
            "better is green: {}",
            lines[1]
        );
        assert!(lines[2].contains("\x1b[31m"), "worse is red: {}", lines[2]);
        assert!(lines[3].contains("\x1b[35m"), "changed is magenta");
        assert!(
            !plain.contains("served"),
            "no significant difference is counted, not listed"
        );
        assert!(lines[4].contains("3 significant difference(s)") && lines[4].contains("on 1 more"));
    }
}
