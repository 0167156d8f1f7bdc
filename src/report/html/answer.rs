//! The first screen of `report.html`: the answer. For a comparison, the
//! verdict on the headline metrics, the targets met or missed in A and B,
//! a small A / B / difference table of the headline metrics, the cost and
//! what else changed ([`Headline`]); for a run, its targets met or missed,
//! its headline metrics and its cost; for a sweep, how many points meet
//! their targets. Nothing long: the full tables come after the plots.

use super::super::catalogue;
use super::super::format::{put, putln};
use super::super::headline::{self, Headline, Item};
use super::super::read::Results;
use super::super::summary::Point;
use super::super::verdict::Verdict;
use super::escape;

/// The section `answer`.
pub(super) fn answer(out: &mut String, results: &Results) {
    out.push_str("<section id=\"answer\">\n<h2>The answer</h2>\n");
    match (&results.comparison, &results.points[..]) {
        (Some(c), [a, rest @ ..]) => comparison(out, a, rest.first(), &c.differences.0),
        (None, [p]) => run(
            out,
            p,
            results
                .manifest
                .points
                .first()
                .and_then(|m| m.measured_minutes)
                .map(catalogue::period),
        ),
        (None, points) => sweep(out, points),
        (Some(_), []) => {}
    }
    out.push_str(
        "<p class=\"sub\">Below: warnings, the plots, then every number in folded tables.</p>\n</section>\n",
    );
}

/// A list of plain-text lines, escaped.
fn list(out: &mut String, class: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    putln(out, format_args!("<ul class=\"{class}\">"));
    for l in lines {
        putln(out, format_args!("<li>{}</li>", escape(l)));
    }
    out.push_str("</ul>\n");
}

fn comparison(
    out: &mut String,
    a: &Point,
    b: Option<&Point>,
    diffs: &[super::super::summary::Diff],
) {
    let h = Headline::of(a, b, diffs);
    putln(
        out,
        format_args!(
            "<p class=\"answer\"><strong>{}</strong></p>",
            escape(&h.verdict())
        ),
    );
    let targets: Vec<String> = h.targets.iter().map(|t| format!("target {t}")).collect();
    list(out, "targets", &targets);
    out.push_str(
        "<table class=\"headline\">\n<thead><tr><th>headline metric</th><th>A</th><th>B</th><th>B − A (95% CI)</th><th>verdict</th></tr></thead>\n<tbody>\n",
    );
    for item in h.worse.iter().chain(&h.better).chain(&h.same) {
        row(out, item);
    }
    out.push_str("</tbody></table>\n");
    if let Some(c) = &h.cost {
        putln(out, format_args!("<p>{}</p>", escape(c)));
    }
    list(out, "notes", &h.notes());
}

fn row(out: &mut String, item: &Item) {
    let u = catalogue::unit(&item.metric);
    let class = match item.verdict {
        Verdict::Better => "v-better",
        Verdict::Worse => "v-worse",
        Verdict::Changed => "v-changed",
        Verdict::NoSignificantDifference => "v-ns",
    };
    putln(
        out,
        format_args!(
            "<tr class=\"sig\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"verdict {class}\">{}</span></td></tr>",
            escape(&item.name()),
            u.show(item.a),
            u.show(item.b),
            escape(&item.difference_text()),
            item.verdict.as_str()
        ),
    );
}

fn run(out: &mut String, p: &Point, period: Option<String>) {
    putln(
        out,
        format_args!(
            "<p class=\"answer\"><strong>{}</strong></p>",
            escape(&headline::run_verdict(p))
        ),
    );
    list(out, "targets", &headline::target_lines(p));
    out.push_str("<table class=\"headline\">\n<thead><tr><th>headline metric</th><th>value (95% CI)</th><th>unit</th></tr></thead>\n<tbody>\n");
    for (group, metric) in headline::run_metrics(p) {
        let m = match group.strip_prefix("segment.") {
            Some(s) => p.segments.iter().find(|(n, _)| n == s).map(|(_, m)| m),
            None => Some(&p.overall),
        };
        let Some(v) = m.and_then(|m| m.metric(&metric)) else {
            continue;
        };
        let u = catalogue::unit(&metric);
        let ci = if u == catalogue::Unit::Share {
            format!("{:.2} pp", 100.0 * v.ci95)
        } else {
            u.show(v.ci95)
        };
        putln(
            out,
            format_args!(
                "<tr><td>{}</td><td class=\"num\">{} ±\u{a0}{ci}</td><td>{}</td></tr>",
                escape(&headline::name(&group, &metric)),
                u.show(v.mean),
                escape(&u.words(period.as_deref()))
            ),
        );
    }
    out.push_str("</tbody></table>\n");
    if let Some(c) = headline::run_cost_line(p) {
        putln(out, format_args!("<p>{}</p>", escape(&c)));
    }
    if let Some(d) = headline::day_quantile_line(p) {
        putln(out, format_args!("<p class=\"answer\">{}</p>", escape(&d)));
    }
}

fn sweep(out: &mut String, points: &[Point]) {
    let judged: Vec<&Point> = points.iter().filter(|p| p.targets.is_some()).collect();
    let text = if judged.is_empty() {
        format!(
            "A sweep of {} points without [targets]: the plots and the points table show how the metrics move along the axes.",
            points.len()
        )
    } else {
        let meeting = judged
            .iter()
            .filter(|p| {
                p.targets
                    .iter()
                    .flatten()
                    .all(|t| t.attainment == crate::experiment::goals::Attainment::Met)
            })
            .count();
        format!(
            "{meeting} of the sweep's {} points meet all their targets.",
            points.len()
        )
    };
    put(
        out,
        format_args!(
            "<p class=\"answer\"><strong>{}</strong></p>\n",
            escape(&text)
        ),
    );
}
