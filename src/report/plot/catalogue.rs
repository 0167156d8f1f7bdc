//! Which plots a folder of results gets: each section's figures, drawn in
//! report order, and a note for every plot left out and why.

use super::*;
use crate::error::Error;
use crate::report::read::Results;
use crate::report::summary::Point;

/// Whether `point` is its sweep's baseline: the point whose differences
/// from the baseline are all exactly zero.
pub fn is_baseline(point: &Point) -> bool {
    point.vs_baseline.as_ref().is_some_and(|d| {
        // Undefined metrics (NaN) say nothing either way.
        let mut defined = d.iter().filter(|d| !d.mean.is_nan()).peekable();
        defined.peek().is_some() && defined.all(|d| d.mean == 0.0 && d.ci95 == 0.0)
    })
}

/// The point a figure about one point shows in a sweep of many: the
/// baseline, else the first; `None` without points.
pub fn focus(results: &Results) -> Option<&Point> {
    results
        .points
        .iter()
        .find(|p| is_baseline(p))
        .or(results.points.first())
}

/// Which point `p` is, for a caption: "the baseline" or "the first point".
fn which_point(p: &Point, results: &Results) -> &'static str {
    if is_baseline(p) {
        "the baseline"
    } else if results.points.first().is_some_and(|f| f.name == p.name) {
        "the first point; the sweep has no baseline"
    } else {
        "the first point with slots"
    }
}

/// Draws every plot the results allow, with a note for each plot left out.
pub fn all(results: &Results, target: &Target) -> Result<Plots, Error> {
    let mut plots = Plots::default();
    let n = results.points.len();
    let Some(focus) = focus(results) else {
        plots
            .notes
            .push("There are no points, so there is nothing to plot.".into());
        return Ok(plots);
    };
    let several: Vec<&Point> = if n <= 2 {
        results.points.iter().collect()
    } else {
        vec![focus]
    };
    wait_cdfs(results, &several, &mut plots)?;
    by_segment(&several, &mut plots)?;
    against_sweep_axes(results, target, &mut plots)?;
    cost_against_service(results, target, &mut plots)?;
    forests(results, &mut plots)?;
    over_the_day(results, focus, target, &mut plots)?;
    Ok(plots)
}

/// " (name)" after a title when the results hold more than one point.
fn point_suffix(p: &Point, results: &Results) -> String {
    if results.points.len() > 1 {
        format!(" ({})", p.name)
    } else {
        String::new()
    }
}

/// The wait-time distributions of `several` points, on one x-axis so they
/// can be compared, and a note when only one point of many is drawn.
fn wait_cdfs(results: &Results, several: &[&Point], plots: &mut Plots) -> Result<(), Error> {
    let n = results.points.len();
    let shared_high = several
        .iter()
        .map(|p| cdf::Cdf::of(p, String::new()).own_high())
        .fold(0.0_f64, f64::max);
    for (i, p) in several.iter().enumerate() {
        let file = if several.len() > 1 {
            format!("plot-wait-cdf-{}", i + 1)
        } else {
            "plot-wait-cdf".to_string()
        };
        let title = format!("Wait-time distribution{}", point_suffix(p, results));
        let mut chart = cdf::Cdf::of(p, title.clone());
        if several.len() > 1 {
            chart.shared_high = Some(shared_high);
        }
        let caption = wait_cdf_caption(p, &chart, several.len() > 1);
        plots.figures.push(render(&file, &title, caption, &chart)?);
    }
    if n > 2 {
        plots.notes.push(format!(
            "The wait-time distribution and the by-segment bars are drawn for one point of the {n}: `{}` ({}); every point's distribution is in summary.json (`wait_quantiles`).",
            several[0].name,
            which_point(several[0], results)
        ));
    }
    Ok(())
}

/// The caption of one point's wait-time distribution.
fn wait_cdf_caption(p: &Point, chart: &cdf::Cdf, shared_axis: bool) -> String {
    let mut caption = "The share of clients (served or abandoned) whose total wait before service, summed over the tiers they visited, was at most x minutes: overall and per segment. ".to_string();
    if shared_axis {
        caption.push_str("Every point's distribution is drawn on the same x-axis. ");
    }
    caption.push_str(if chart.has_bands() {
        "Shaded bands: 95% confidence intervals of each quantile over replications. "
    } else {
        "One replication: no confidence bands. "
    });
    match p.service_level_threshold {
        Some(t) => caption.push_str(&format!(
            "The dashed red line is the service-level threshold ({} min): where a curve crosses it is about the share of that group served within the threshold (the service level counts only the wait before the first service).",
            tick(t)
        )),
        None => caption.push_str(
            "These results predate the threshold in summary.json, so it is not marked.",
        ),
    }
    caption
}

/// The title of a by-segment metric key, or the key itself.
fn segment_metric_title(m: &'static str) -> &'static str {
    bars::SEGMENT_METRICS
        .iter()
        .find(|(k, _)| *k == m)
        .map_or(m, |(_, t)| *t)
}

/// The by-segment bars of `several` points.
fn by_segment(several: &[&Point], plots: &mut Plots) -> Result<(), Error> {
    let title = "Clients by segment".to_string();
    let bars = bars::Bars::of(several, title.clone());
    let missing: Vec<&str> = bars::OUTCOME_METRICS
        .iter()
        .filter(|m| !bars.metrics.contains(m))
        .map(|m| segment_metric_title(m))
        .collect();
    let names: Vec<&str> = bars
        .metrics
        .iter()
        .map(|m| segment_metric_title(m))
        .collect();
    let mut caption = format!(
        "{} for all clients and per segment{}; bars are means, whiskers 95% confidence intervals over replications.",
        names.join(", "),
        if several.len() > 1 {
            ", one bar per scenario"
        } else {
            ""
        }
    );
    if bars.metrics.contains(&"satisfaction_mean") {
        caption.push_str(" Satisfaction is a score on its whole 0–100 scale; CSAT (top-box share) and complaints are shares of finished clients.");
    }
    if !missing.is_empty() {
        caption.push_str(&format!(
            " These results were written before the model reported {}, so those panels are left out; run the scenario again with this tiersim to see them.",
            missing.join(", ")
        ));
    }
    plots
        .figures
        .push(render("plot-segments", &title, caption, &bars)?);
    Ok(())
}

/// The plots against the sweep's numeric axes: lines against the first
/// axis, heat maps over the first two; notes when the sweep has too few.
/// A plain run or comparison (no sweep axes) gets no note: it asked for
/// no sweep, so a note on plots it could not have would only distract.
fn against_sweep_axes(results: &Results, target: &Target, plots: &mut Plots) -> Result<(), Error> {
    let axes = sweep::numeric_axes(results);
    let compare = results.comparison.is_some();
    if results.axes.is_empty() {
        return Ok(());
    }
    if results.points.len() < 2 {
        plots.notes.push(
            "Service level and mean wait against a sweep axis, and the heat map over two axes, need a sweep of two or more points: this run has one point, so they are left out.".into(),
        );
    } else if let Some((x_axis, _)) = axes.first() {
        sweep_lines(results, x_axis, target, plots)?;
        match axes.get(1) {
            Some((y_axis, _)) => heatmaps(results, x_axis, y_axis, target, plots)?,
            None if !compare => plots.notes.push(format!(
                "The heat map of service level needs two numeric sweep axes with two or more values each; this sweep has one ({x_axis}), so it is left out."
            )),
            None => {}
        }
    } else if !compare {
        plots.notes.push(
            "Plots against a sweep axis need a numeric axis with two or more values; this sweep has none, so they are left out.".into(),
        );
    }
    Ok(())
}

/// Service level and mean wait against `x_axis`, one line per combination
/// of the other axes.
fn sweep_lines(
    results: &Results,
    x_axis: &str,
    target: &Target,
    plots: &mut Plots,
) -> Result<(), Error> {
    let lines = [
        (
            "service_level",
            "plot-sweep-service-level",
            "Service level",
            "service level (share)",
        ),
        (
            "wait_mean",
            "plot-sweep-wait-mean",
            "Mean wait",
            "mean wait (minutes)",
        ),
    ];
    for (metric, file, name, y_desc) in lines {
        let title = format!("{name} against {x_axis}");
        let mut chart =
            sweep::Lines::of(results, x_axis, metric, title.clone(), y_desc.to_string());
        if chart.series.len() > sweep::MAX_LINES {
            plots.notes.push(format!(
                "{name} against {x_axis}: {} combinations of the other axes; the first {} are drawn.",
                chart.series.len(),
                sweep::MAX_LINES
            ));
            chart.series.truncate(sweep::MAX_LINES);
        }
        if metric == "service_level" {
            chart.target = Some(target.clone());
        }
        let caption = format!(
            "Overall {} of each point against {x_axis}, one line per combination of the other axes; error bars are 95% confidence intervals over replications{}.",
            name.to_lowercase(),
            if metric == "service_level" {
                format!(
                    "; the dashed line is the target ({})",
                    target.describe().join(" ")
                )
            } else {
                String::new()
            }
        );
        plots.figures.push(render(file, &title, caption, &chart)?);
    }
    Ok(())
}

/// Heat maps of service level over `x_axis` and `y_axis`, one per
/// combination of the other axes (at most six).
fn heatmaps(
    results: &Results,
    x_axis: &str,
    y_axis: &str,
    target: &Target,
    plots: &mut Plots,
) -> Result<(), Error> {
    let groups = heatmap::groups(results, x_axis, y_axis);
    const MAX_HEATMAPS: usize = 6;
    if groups.len() > MAX_HEATMAPS {
        plots.notes.push(format!(
            "Heat maps: one per combination of the axes other than {x_axis} and {y_axis}; the first {MAX_HEATMAPS} of {} are drawn.",
            groups.len()
        ));
    }
    for (k, (label, points)) in groups.iter().take(MAX_HEATMAPS).enumerate() {
        let file = if groups.len() > 1 {
            format!("plot-heatmap-service-level-{}", k + 1)
        } else {
            "plot-heatmap-service-level".to_string()
        };
        let title = if label.is_empty() {
            "Service level over two axes".to_string()
        } else {
            format!("Service level over two axes ({label})")
        };
        let chart = heatmap::Heatmap::of(points, x_axis, y_axis, title.clone(), target.clone());
        let contour = if chart.has_contour() {
            "The thick black line separates the cells that meet the target from those that do not."
        } else {
            "Every cell is on the same side of the target, so there is no contour."
        };
        let caption = format!(
            "Overall service level (mean ± 95% CI) of each combination of {x_axis} and {y_axis}. {contour} Target: {}{}",
            tick(target.value),
            if target.from_scenario {
                "."
            } else {
                ", the documented default, as the scenario sets no target."
            }
        );
        plots.figures.push(render(&file, &title, caption, &chart)?);
    }
    Ok(())
}

/// Staff cost against service level, for a sweep (not a comparison) whose
/// every point has a cost.
fn cost_against_service(
    results: &Results,
    target: &Target,
    plots: &mut Plots,
) -> Result<(), Error> {
    let n = results.points.len();
    if n < 2
        || results.comparison.is_some()
        || !results.points.iter().all(|p| p.staff_per_hour().is_some())
    {
        return Ok(());
    }
    let title = "Staff cost against service level".to_string();
    let chart = pareto::Pareto {
        title: title.clone(),
        points: results
            .points
            .iter()
            .map(|p| {
                let sl = p.overall.metric("service_level");
                (
                    p.name.clone(),
                    p.staff_per_hour().map_or(f64::NAN, |c| c.mean),
                    sl.map_or(f64::NAN, |s| s.mean),
                    sl.map_or(f64::NAN, |s| s.ci95),
                )
            })
            .collect(),
        target: target.clone(),
    };
    let caption = format!(
        "Each point of the sweep: its staff cost per hour ([cost] hourly × servers on duty) and overall service level with its 95% confidence interval. The Pareto front joins the points that no other point beats on both (as cheap or cheaper, and at least as good a service level); the dashed line is the target ({}).",
        target.describe().join(" ")
    );
    plots
        .figures
        .push(render("plot-pareto-cost", &title, caption, &chart)?);
    Ok(())
}

/// The forest plots of a comparison's paired differences: one for the
/// clients' groups, one for the tiers.
fn forests(results: &Results, plots: &mut Plots) -> Result<(), Error> {
    let Some(c) = &results.comparison else {
        return Ok(());
    };
    let skipped = forest::SKIPPED_COUNTS.join(", ");
    for (file, kind, keep) in [
        (
            "plot-forest-clients",
            "clients",
            (|g: &str| !g.starts_with("tier.")) as fn(&str) -> bool,
        ),
        (
            "plot-forest-tiers",
            "tiers",
            (|g: &str| g.starts_with("tier.")) as fn(&str) -> bool,
        ),
    ] {
        let title = format!("Paired differences B − A ({kind}): {} vs {}", c.b, c.a);
        let chart = forest::Forest::of(&c.differences, keep, title.clone());
        if chart.rows() == 0 {
            continue;
        }
        let caption = format!(
            "Each row is one metric's paired difference B − A ({} minus {}) with its 95% confidence interval, {}; coloured and shaded rows are significant (the interval excludes 0). A unit whose differences range over more than {}-fold is drawn in two panels, the smaller differences first, so that neither is squashed against zero. Counts ({skipped}) are left out: they grow with the run's length, and their rates carry the same news; so are metrics that are 0 in both scenarios and differences that are undefined. The verdict table lists every metric.",
            c.b,
            c.a,
            if c.common_random_numbers {
                "on common random numbers"
            } else {
                "on independent random streams"
            },
            forest::SPLIT,
        );
        plots.figures.push(render(file, &title, caption, &chart)?);
    }
    Ok(())
}

/// The plots over the day (section [`Section::Day`]): for a comparison,
/// both scenarios on the same axes; otherwise one point, the focus (the
/// baseline of a sweep, else the first point), or the first point with
/// slots when the focus has none.
fn over_the_day(
    results: &Results,
    focus: &Point,
    target: &Target,
    plots: &mut Plots,
) -> Result<(), Error> {
    let shown = day_points(results, focus);
    let shown = day::Shown::of(&shown);
    if shown.points.is_empty() {
        plots.notes.push(
            "The plots over the day need a scenario with a [calendar] or tier shifts (summary.json then has `slots`); these results have none, so they are left out.".into(),
        );
        return Ok(());
    }
    let slots: Vec<&crate::report::summary::Slots> = shown.points.iter().map(|(_, s)| *s).collect();
    let window = day::window(&slots);
    let about = day_about(results, &shown, &slots, window);
    let suffix = if results.comparison.is_none() {
        point_suffix(shown.points[0].0, results)
    } else {
        String::new()
    };
    let day = DayCaptions {
        about,
        suffix,
        one_replication: shown.points.iter().all(|(p, _)| p.replications < 2),
    };
    for mut f in day_figures(&shown, &day, window, target)? {
        f.section = Section::Day;
        plots.figures.push(f);
    }
    Ok(())
}

/// The points drawn over the day: both of a comparison; else the focus,
/// or the first point with slots when the focus has none.
fn day_points<'a>(results: &'a Results, focus: &'a Point) -> Vec<&'a Point> {
    if results.comparison.is_some() {
        results.points.iter().collect()
    } else if focus.slots.is_some() {
        vec![focus]
    } else {
        results
            .points
            .iter()
            .find(|p| p.slots.is_some())
            .into_iter()
            .collect()
    }
}

/// The opening of every caption over the day: which points are drawn and
/// the window of the day shown.
fn day_about(
    results: &Results,
    shown: &day::Shown,
    slots: &[&crate::report::summary::Slots],
    window: (f64, f64),
) -> String {
    let n = results.points.len();
    let (from, to) = (day::clock(window.0), day::clock(window.1));
    let day_length = slots
        .iter()
        .map(|s| s.start_hour(s.labels.len()))
        .fold(0.0_f64, f64::max);
    let mut about = String::new();
    if let Some(c) = &results.comparison {
        if shown.points.len() > 1 {
            about.push_str(&format!(
                "Both scenarios on the same axes: A ({}) dashed, B ({}) solid. ",
                c.a, c.b
            ));
        } else {
            about.push_str(&format!(
                "Only {} has slots (a [calendar] or shifts), so only it is drawn. ",
                shown.points[0].0.name
            ));
        }
    } else if n > 1 {
        let p = shown.points[0].0;
        about.push_str(&format!(
            "Drawn for point `{}` ({}) of the {n}; every point's slots are in summary.json (`slots`). ",
            p.name,
            which_point(p, results)
        ));
    }
    if window != (0.0, day_length) {
        about.push_str(&format!(
            "Shown from {from} to {to}: outside, no client arrives, nobody waits and no shift is on duty. "
        ));
    }
    about
}

/// What the captions over the day share.
struct DayCaptions {
    /// The opening of every caption (see [`day_about`]).
    about: String,
    /// " (point)" after each title, or empty.
    suffix: String,
    /// Whether every point drawn has a single replication.
    one_replication: bool,
}

impl DayCaptions {
    /// The sentence on confidence intervals, for bars or for lines.
    fn ci(&self, bars: bool) -> String {
        if self.one_replication {
            "One replication: no confidence intervals.".to_string()
        } else if bars {
            "Bars are means over replications, whiskers 95% confidence intervals.".to_string()
        } else {
            "Lines are means over replications, shaded bands 95% confidence intervals.".to_string()
        }
    }
}

/// The four figures over the day, each when its data is there.
fn day_figures(
    shown: &day::Shown,
    day: &DayCaptions,
    window: (f64, f64),
    target: &Target,
) -> Result<Vec<Figure>, Error> {
    let DayCaptions { about, suffix, .. } = day;
    let chatbots = shown.chatbots();
    let chatbot_note = if chatbots.is_empty() {
        String::new()
    } else {
        format!(
            " Chatbot tiers ({}) have unlimited capacity, so no servers or utilization, and nobody waits there: they are left out.",
            chatbots.join(", ")
        )
    };
    let mut figures = Vec::new();
    let title = format!("Arrivals over the day{suffix}");
    if let Some(chart) = shown.arrivals(title.clone(), window) {
        let caption = format!(
            "{about}Clients arriving in each slot of the day, counted in the slot they arrived in and summed over all days of the run (only clients arriving after the warm-up). {}",
            day.ci(true)
        );
        figures.push(render("plot-day-arrivals", &title, caption, &chart)?);
    }
    let title = format!("Staffing and utilization over the day{suffix}");
    if let Some(chart) = shown.staffing(title.clone(), window, &chatbots) {
        let caption = format!(
            "{about}Top: servers on duty per tier, the time average over each slot (the roster less breaks, or the tier's fixed servers). Bottom: utilization, the busy servers over the servers on duty; undefined (a gap) where nobody is on duty. {}{chatbot_note}",
            day.ci(false)
        );
        figures.push(render("plot-day-staffing", &title, caption, &chart)?);
    }
    let title = format!("Queue length over the day{suffix}");
    if let Some(chart) = shown.queue(title.clone(), window, &chatbots) {
        let caption = format!(
            "{about}Clients waiting in each tier's queue (not in service), the time average over each slot. {}",
            day.ci(false)
        );
        figures.push(render("plot-day-queue", &title, caption, &chart)?);
    }
    let title = format!("Service over the day{suffix}");
    if let Some(chart) = shown.service(title.clone(), window, target.value) {
        let caption = format!(
            "{about}Service level, abandonment rate, mean wait and satisfaction (0–100) of all clients, by the slot they arrived in; undefined (a gap) where nobody arrived. The dashed red line is the service-level target ({}{}). {}",
            tick(target.value),
            if target.from_scenario {
                ""
            } else {
                ", the documented default, as the scenario sets no target"
            },
            day.ci(false)
        );
        figures.push(render("plot-day-service", &title, caption, &chart)?);
    }
    Ok(figures)
}
