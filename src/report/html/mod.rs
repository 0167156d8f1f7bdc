//! `report.html`: one self-contained page (styles and SVG plots inline, no
//! network, no external script or font) that a planner opens in any browser
//! or prints: the scenario in brief, warnings, the verdict of a comparison,
//! a key-metrics table with 95% CIs, the plots, and the manifest.
//!
//! Every string that comes from a file is HTML-escaped. A Content Security
//! Policy forbids the page any request, so nothing can leak from it or
//! break when it is opened offline.

mod answer;
mod sections;
mod tables;

use super::format::MeanCi;
use super::format::{put, putln};
pub use super::page::escape;
pub(crate) use super::page::{SCRIPT, head};
use super::plot::{Figure, Plots, Section, Target};
use super::read::Results;
pub use sections::warning_list;

/// A number with as many decimals as its size needs (as in the terminal
/// tables).
fn decimals(x: f64) -> usize {
    if x.abs() >= 1000.0 {
        0
    } else if x.abs() >= 10.0 {
        2
    } else {
        4
    }
}

/// `mean ± ci95` of `metric` for people (a narrow cell breaks only before
/// the `±`): a share as a percentage, its half-width in points; others
/// with as many decimals as their size needs; `–` when undefined.
pub(crate) fn estimate(metric: &str, v: Option<MeanCi>) -> String {
    shown(metric, v, "%")
}

/// A paired difference B − A of `metric` for people, as [`estimate`]: a
/// share's in percentage points.
pub(super) fn difference(metric: &str, v: MeanCi) -> String {
    shown(metric, Some(v), "\u{a0}pp")
}

fn shown(metric: &str, v: Option<MeanCi>, share_suffix: &str) -> String {
    let Some(v) = v.filter(|v| v.mean.is_finite()) else {
        return "–".into();
    };
    let share = super::catalogue::unit(metric) == super::catalogue::Unit::Share;
    let (scale, suffix) = if share {
        (100.0, share_suffix)
    } else {
        (1.0, "")
    };
    let (mean, h) = (scale * v.mean, scale * v.ci95);
    let d = if share {
        decimals(mean).min(2)
    } else {
        decimals(mean)
    };
    let h = if h.is_finite() { h } else { 0.0 };
    format!("{mean:.d$}{suffix} ±\u{a0}{h:.d$}")
}

/// The unit of `metric` as a table header writes it: `%` for a share,
/// else its axis word (`minutes`, `clients`, ...).
pub(super) fn unit_label(metric: &str) -> &'static str {
    match super::catalogue::unit(metric) {
        super::catalogue::Unit::Share => "%",
        u => u.axis(),
    }
}

/// `x` of `metric` for people: a share as a percentage.
pub(super) fn value(metric: &str, x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if super::catalogue::unit(metric) == super::catalogue::Unit::Share {
        let p = 100.0 * x;
        let d = decimals(p).min(2);
        return format!("{p:.d$}%");
    }
    let d = decimals(x);
    format!("{x:.d$}")
}

/// The metrics of the key-metrics table for client groups.
pub const KEY_CLIENT_METRICS: [&str; 5] = [
    "wait_mean",
    "service_level",
    "abandon_rate",
    "sojourn_mean",
    "wait_p90",
];

/// The metrics of the key-metrics table for tiers.
pub const KEY_TIER_METRICS: [&str; 2] = ["utilization", "wait_mean"];

/// What kind of folder this is, in words.
fn kind(results: &Results) -> String {
    match (&results.comparison, results.points.len()) {
        (Some(c), _) => format!(
            "comparison of {} (B) with {} (A)",
            escape(&c.b),
            escape(&c.a)
        ),
        (None, 1) => "run of one scenario".into(),
        (None, n) => format!("sweep of {n} points"),
    }
}

/// The whole page.
pub fn page(results: &Results, plots: &Plots, target: &Target) -> String {
    let m = &results.manifest;
    let mut out = String::new();
    let title = format!("tiersim report: {}", m.scenario.name);
    out.push_str(&head(&title, true));
    put(
        &mut out,
        format_args!(
            "<header>\n<h1>{}</h1>\n<p class=\"sub\">A {} · results written by tiersim {} on {} · report by tiersim {}</p>\n</header>\n",
            escape(&title),
            kind(results),
            escape(&results.version),
            escape(&m.finished),
            env!("CARGO_PKG_VERSION")
        ),
    );
    let day = plots.figures.iter().any(|f| f.section == Section::Day);
    let map = super::service_map::of_results(results);
    let mut nav = vec![("answer", "The answer")];
    if map.is_some() {
        nav.push(("service-map", "Service map"));
    }
    nav.extend([("warnings", "Warnings"), ("plots", "Plots")]);
    if day {
        nav.push(("day", "Over the day"));
    }
    if results.comparison.is_some() {
        nav.push(("verdict", "Every difference"));
    }
    nav.extend([
        ("metrics", "Key metrics"),
        ("scenario", "Scenario"),
        ("manifest", "Manifest"),
    ]);
    out.push_str("<nav>");
    for (id, name) in &nav {
        put(&mut out, format_args!("<a href=\"#{id}\">{name}</a>"));
    }
    out.push_str("</nav>\n");
    // One screen with the answer, then the plots, then the long tables.
    answer::answer(&mut out, results);
    if let Some(svg) = &map {
        sections::service_map(&mut out, svg);
    }
    sections::warnings(&mut out, results);
    figures(&mut out, plots);
    if day {
        over_the_day(&mut out, plots);
    }
    if results.comparison.is_some() {
        tables::verdicts(&mut out, results);
    }
    tables::key_metrics(&mut out, results, target);
    sections::scenario(&mut out, results);
    put(
        &mut out,
        format_args!(
            "<section id=\"manifest\">\n<h2>Manifest</h2>\n<p>What was run, by which version, how it was seeded, and when: <code>manifest.json</code> as written.</p>\n\
         <details>\n<summary>manifest.json</summary>\n<pre>{}</pre>\n</details>\n</section>\n",
            escape(results.manifest_text.trim_end())
        ),
    );
    put(
        &mut out,
        format_args!(
            "<footer>Values are the mean over replications ± the half-width of its 95% confidence interval (Student t). \
         Times in minutes; shares in [0, 1]. Only clients arriving after the warm-up are counted. \
         Plots are also in this folder as SVG and PNG files (<code>plot-*.svg</code>, <code>plot-*.png</code>).</footer>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n"
        ),
    );
    out
}

/// A plotters SVG made ready to inline: no XML prolog, labelled for
/// screen readers.
/// A figure's SVG for inlining in a page.
pub(crate) fn inline_svg(f: &Figure) -> String {
    let svg = f.svg.trim_start();
    let svg = match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, r)| r).trim_start(),
        None => svg,
    };
    match svg.strip_prefix("<svg") {
        Some(rest) => format!(
            "<svg role=\"img\" aria-label=\"{}\" data-plot=\"{}\"{rest}",
            escape(&f.title),
            escape(&f.file)
        ),
        None => svg.to_string(),
    }
}

fn figures(out: &mut String, plots: &Plots) {
    out.push_str("<section id=\"plots\" class=\"plots\">\n<h2>Plots</h2>\n");
    if !plots.notes.is_empty() {
        out.push_str("<div class=\"notes\">\n");
        for n in &plots.notes {
            putln(out, format_args!("<p>{}</p>", escape(n)));
        }
        out.push_str("</div>\n");
    }
    for f in plots.figures.iter().filter(|f| f.section == Section::Plots) {
        figure(out, f);
    }
    out.push_str("</section>\n");
}

fn figure(out: &mut String, f: &Figure) {
    put(
        out,
        format_args!(
            "<figure id=\"{}\">\n{}\n<figcaption><strong>{}.</strong> {} <code>{}.svg</code>, <code>{}.png</code></figcaption>\n</figure>\n",
            escape(&f.file),
            inline_svg(f),
            escape(&f.title),
            escape(&f.caption),
            escape(&f.file),
            escape(&f.file)
        ),
    );
}

/// The section "Over the day": the plots of the metrics per slot.
fn over_the_day(out: &mut String, plots: &Plots) {
    out.push_str(
        "<section id=\"day\" class=\"plots\">\n<h2>Over the day</h2>\n\
         <p>The day in slots (<code>slots</code> in <code>summary.json</code>): clients by the slot they arrived in, \
         summed (counts) or averaged (rates, waits) over every day of the run; tiers by time, as averages over each slot.</p>\n",
    );
    for f in plots.figures.iter().filter(|f| f.section == Section::Day) {
        figure(out, f);
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>\"R&D\"</b> 'x'"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt; &#39;x&#39;"
        );
    }

    #[test]
    fn shares_read_as_percentages_and_other_units_as_they_are() {
        let v = |mean, ci95| Some(MeanCi { mean, ci95 });
        assert_eq!(
            estimate("service_level", v(0.924, 0.0123)),
            "92.40% ±\u{a0}1.23"
        );
        assert_eq!(
            estimate("abandon_rate", v(0.005, 0.001)),
            "0.50% ±\u{a0}0.10"
        );
        assert_eq!(estimate("wait_mean", v(3.5, 0.25)), "3.5000 ±\u{a0}0.2500");
        assert_eq!(estimate("wait_mean", v(f64::NAN, 0.0)), "–");
        assert_eq!(estimate("wait_mean", None), "–");
        let d = MeanCi {
            mean: -0.31,
            ci95: 0.02,
        };
        assert_eq!(difference("fcr", d), "-31.00\u{a0}pp ±\u{a0}2.00");
        assert_eq!(value("fcr", 0.77), "77.00%");
        assert_eq!(value("sojourn_mean", 12.5), "12.50");
        assert_eq!(unit_label("utilization"), "%");
        assert_eq!(unit_label("wait_mean"), "minutes");
    }
}
