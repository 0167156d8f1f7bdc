//! The long tables of `report.html`, shown after the plots and folded:
//! every paired difference of a comparison, and the key metrics by
//! segment and tier (a sweep's points table stays open: it is the answer
//! of a sweep).

use super::super::catalogue;
use super::super::format::{MeanCi, Metrics, put, putln};
use super::super::headline::route_change;
use super::super::plot::{Target, group_label, short_axis};
use super::super::read::Results;
use super::super::summary::{Diff, Point};
use super::super::verdict::Verdict;
use super::{
    KEY_CLIENT_METRICS, KEY_TIER_METRICS, difference, escape, estimate, unit_label, value,
};

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Better => "v-better",
        Verdict::Worse => "v-worse",
        Verdict::Changed => "v-changed",
        Verdict::NoSignificantDifference => "v-ns",
    }
}

pub(super) fn verdicts(out: &mut String, results: &Results) {
    let Some(c) = &results.comparison else { return };
    let verdict = |d: &Diff| Verdict::of(&d.metric, d.mean, d.significant);
    let route = match &results.points[..] {
        [a, b, ..] => route_change(a, b),
        _ => None,
    };
    let significant = c
        .differences
        .iter()
        .filter(|d| verdict(d) != Verdict::NoSignificantDifference)
        .count();
    put(
        out,
        format_args!(
            "<section id=\"verdict\">\n<h2>Every difference: B ({}) against A ({})</h2>\n\
         <p>A difference is significant when its 95% confidence interval excludes 0; which way is better for each metric \
         is in <code>docs/metrics.md</code>.{}</p>\n\
         <details>\n<summary>All {} paired differences B − A ({significant} significant)</summary>\n",
            escape(&c.b),
            escape(&c.a),
            route.as_ref().map_or(String::new(), |r| format!(
                " The route changed ({}): the clients' first-step metrics are marked <em>not comparable</em>.",
                escape(r)
            )),
            c.differences.len()
        ),
    );
    out.push_str(
        "<div class=\"wide\"><table class=\"verdicts\">\n<thead><tr><th>group</th><th>metric (unit)</th><th>A</th><th>B</th>\
         <th>B − A (95% CI)</th><th>verdict</th><th>CRN variance cut</th></tr></thead>\n<tbody>\n",
    );
    let flagged = |d: &Diff| route.is_some() && catalogue::first_step(&d.group, &d.metric);
    for d in &c.differences {
        let v = verdict(d);
        let diff = difference(
            &d.metric,
            MeanCi {
                mean: d.mean,
                ci95: d.ci95,
            },
        );
        let cut = if d.variance_reduction.is_finite() {
            format!("{:.0}%", 100.0 * d.variance_reduction)
        } else {
            "–".into()
        };
        putln(
            out,
            format_args!(
                "<tr{}><td>{}</td><td>{} ({})</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td><span class=\"verdict {}\">{}</span></td><td class=\"num\">{}</td></tr>",
                if v == Verdict::NoSignificantDifference {
                    ""
                } else {
                    " class=\"sig\""
                },
                escape(&group_label(&d.group)),
                escape(&d.metric),
                unit_label(&d.metric),
                value(&d.metric, d.a),
                value(&d.metric, d.b),
                diff,
                if flagged(d) {
                    "v-changed"
                } else {
                    verdict_class(v)
                },
                if flagged(d) {
                    "not comparable"
                } else {
                    v.as_str()
                },
                cut
            ),
        );
    }
    out.push_str("</tbody></table></div>\n</details>\n</section>\n");
}

fn client_table(out: &mut String, p: &Point) {
    let mut groups: Vec<(&str, &Metrics)> = vec![("overall", &p.overall)];
    groups.extend(p.segments.iter().map(|(n, m)| (n.as_str(), m)));
    out.push_str("<div class=\"wide\"><table>\n<thead><tr><th>clients</th>");
    for (g, _) in &groups {
        put(out, format_args!("<th>{}</th>", escape(g)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for metric in KEY_CLIENT_METRICS {
        put(
            out,
            format_args!("<tr><td>{metric} ({})</td>", unit_label(metric)),
        );
        for (_, m) in &groups {
            put(
                out,
                format_args!(
                    "<td class=\"num\">{}</td>",
                    estimate(metric, m.metric(metric))
                ),
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    if p.tiers.is_empty() {
        return;
    }
    out.push_str("<div class=\"wide\"><table>\n<thead><tr><th>tiers (per visit)</th>");
    for (t, _) in &p.tiers {
        put(out, format_args!("<th>{}</th>", escape(t)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for metric in KEY_TIER_METRICS {
        put(
            out,
            format_args!("<tr><td>{metric} ({})</td>", unit_label(metric)),
        );
        for (_, m) in &p.tiers {
            put(
                out,
                format_args!(
                    "<td class=\"num\">{}</td>",
                    estimate(metric, m.metric(metric))
                ),
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

pub(super) fn key_metrics(out: &mut String, results: &Results, target: &Target) {
    out.push_str("<section id=\"metrics\">\n<h2>Key metrics</h2>\n<p>Each cell is the mean over replications ± the half-width of its 95% confidence interval.</p>\n");
    let n = results.points.len();
    if n <= 2 {
        for p in &results.points {
            putln(
                out,
                format_args!(
                    "<details>\n<summary>{}: by segment and tier</summary>",
                    escape(&p.name)
                ),
            );
            client_table(out, p);
            out.push_str("</details>\n");
        }
        out.push_str("</section>\n");
        return;
    }
    points_table(out, results, target);
    out.push_str("</tbody></table></div>\n<h3>Per point, by segment and tier</h3>\n");
    for p in &results.points {
        putln(
            out,
            format_args!("<details>\n<summary>{}</summary>", escape(&p.name)),
        );
        client_table(out, p);
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

/// A sweep's table of every point (overall): axis values, replications,
/// how it stopped, the key client metrics and each tier's utilization.
fn points_table(out: &mut String, results: &Results, target: &Target) {
    let tiers: Vec<&String> = results.points[0].tiers.iter().map(|(t, _)| t).collect();
    out.push_str(
        "<h3>All points (overall)</h3>\n<div class=\"wide\"><table class=\"points\">\n<thead><tr>",
    );
    if results.axes.is_empty() {
        out.push_str("<th>point</th>");
    }
    for a in &results.axes {
        put(
            out,
            format_args!(
                "<th title=\"{}\">{}</th>",
                escape(a),
                escape(&short_axis(a))
            ),
        );
    }
    out.push_str("<th>reps</th><th>stopped by</th>");
    for m in KEY_CLIENT_METRICS {
        put(out, format_args!("<th>{m} ({})</th>", unit_label(m)));
    }
    for t in &tiers {
        put(out, format_args!("<th>{} utilization (%)</th>", escape(t)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for p in &results.points {
        point_row(out, results, p, &tiers, target);
    }
}

/// One point's row of the sweep's points table.
fn point_row(out: &mut String, results: &Results, p: &Point, tiers: &[&String], target: &Target) {
    out.push_str("<tr>");
    if results.axes.is_empty() {
        put(out, format_args!("<td>{}</td>", escape(&p.name)));
    }
    for (_, v) in &p.parameters {
        put(
            out,
            format_args!(
                "<td class=\"num\">{}</td>",
                escape(&super::super::summary::Param::of(v).label())
            ),
        );
    }
    put(
        out,
        format_args!(
            "<td class=\"num\">{}</td><td>{}</td>",
            p.replications,
            escape(&p.stop_reason).replace('_', "_<wbr>")
        ),
    );
    for m in KEY_CLIENT_METRICS {
        let v = p.overall.metric(m);
        let meets =
            m == "service_level" && v.is_some_and(|v| v.mean.is_finite() && v.mean >= target.value);
        put(
            out,
            format_args!(
                "<td class=\"num\"{}>{}</td>",
                if meets {
                    " title=\"meets the target\""
                } else {
                    ""
                },
                estimate(m, v)
            ),
        );
    }
    for t in tiers {
        let v = p
            .tiers
            .iter()
            .find(|(n, _)| n == *t)
            .and_then(|(_, m)| m.metric("utilization"));
        put(
            out,
            format_args!("<td class=\"num\">{}</td>", estimate("utilization", v)),
        );
    }
    out.push_str("</tr>\n");
}
