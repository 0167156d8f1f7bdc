//! `report.html`: one self-contained page (styles and SVG plots inline, no
//! network, no external script or font) that a planner opens in any browser
//! or prints: the scenario in brief, warnings, the verdict of a comparison,
//! a key-metrics table with 95% CIs, the plots, and the manifest.
//!
//! Every string that comes from a file is HTML-escaped. A Content Security
//! Policy forbids the page any request, so nothing can leak from it or
//! break when it is opened offline.

use super::format::{MeanCi, Metrics};
use super::format::{put, putln};
pub use super::page::escape;
pub(crate) use super::page::{SCRIPT, head};
use super::plot::{Figure, Plots, Section, Target, group_label, short_axis, unit};
use super::read::Results;
use super::summary::{Diff, Point};
use super::verdict::Verdict;

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

/// `mean ± ci95` (a narrow cell breaks only before the `±`), or `–` when
/// undefined.
fn estimate(v: Option<MeanCi>) -> String {
    match v {
        Some(v) if v.mean.is_finite() => {
            let d = decimals(v.mean);
            let h = if v.ci95.is_finite() { v.ci95 } else { 0.0 };
            format!("{:.d$} ±\u{a0}{h:.d$}", v.mean)
        }
        _ => "–".into(),
    }
}

fn value(x: f64) -> String {
    if x.is_finite() {
        let d = decimals(x);
        format!("{x:.d$}")
    } else {
        "–".into()
    }
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
    let mut nav = vec![("scenario", "Scenario"), ("warnings", "Warnings")];
    if results.comparison.is_some() {
        nav.push(("verdict", "Verdict"));
    }
    nav.extend([("metrics", "Key metrics"), ("plots", "Plots")]);
    let day = plots.figures.iter().any(|f| f.section == Section::Day);
    if day {
        nav.push(("day", "Over the day"));
    }
    nav.push(("manifest", "Manifest"));
    out.push_str("<nav>");
    for (id, name) in &nav {
        put(&mut out, format_args!("<a href=\"#{id}\">{name}</a>"));
    }
    out.push_str("</nav>\n");
    scenario(&mut out, results);
    warnings(&mut out, results);
    if results.comparison.is_some() {
        verdicts(&mut out, results);
    }
    key_metrics(&mut out, results, target);
    figures(&mut out, plots);
    if day {
        over_the_day(&mut out, plots);
    }
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

fn scenario(out: &mut String, results: &Results) {
    let m = &results.manifest;
    let reps: Vec<u64> = results.points.iter().map(|p| p.replications).collect();
    let (lo, hi) = (
        reps.iter().min().copied().unwrap_or(0),
        reps.iter().max().copied().unwrap_or(0),
    );
    let replications = if lo == hi {
        format!("{lo} per point")
    } else {
        format!("{lo} to {hi} per point")
    };
    let mut rows: Vec<(&str, String)> = vec![
        ("name", escape(&m.scenario.name)),
        ("file", format!("<code>{}</code>", escape(&m.scenario.file))),
        (
            "content hash",
            format!("<code>{}</code>", escape(&m.scenario.content_hash)),
        ),
        ("seed", m.seed.map_or("–".into(), |s| s.to_string())),
        ("replications", replications),
        (
            "points",
            format!("{} of {}", m.points.len(), m.points_total),
        ),
    ];
    if !results.axes.is_empty() && results.comparison.is_none() {
        rows.push((
            "sweep axes",
            results
                .axes
                .iter()
                .map(|a| format!("<code>{}</code>", escape(a)))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if let Some(c) = &results.comparison {
        rows.push(("A", escape(&c.a)));
        rows.push(("B", escape(&c.b)));
        rows.push((
            "random numbers",
            if c.common_random_numbers {
                "common: B sees the same clients as A (paired comparison)".into()
            } else {
                "independent streams for B".into()
            },
        ));
    }
    let thresholds: Vec<String> = {
        let mut t: Vec<String> = results
            .points
            .iter()
            .filter_map(|p| p.service_level_threshold)
            .map(|t| format!("{t} min"))
            .collect();
        t.dedup();
        t
    };
    if !thresholds.is_empty() {
        rows.push(("service-level threshold", escape(&thresholds.join(", "))));
    }
    if !m.options.is_empty() {
        rows.push(("options", escape(&m.options)));
    }
    rows.push((
        "threads",
        if m.threads == 0 {
            "(merged)".into()
        } else {
            m.threads.to_string()
        },
    ));
    rows.push((
        "run",
        format!("{} to {} (UTC)", escape(&m.started), escape(&m.finished)),
    ));
    if !m.merged_from.is_empty() {
        rows.push(("merged from", escape(&m.merged_from.join(", "))));
    }
    rows.push((
        "command line",
        format!("<code>{}</code>", escape(&m.command_line.join(" "))),
    ));
    out.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n<table class=\"kv\">\n");
    for (k, v) in rows {
        putln(out, format_args!("<tr><th>{k}</th><td>{v}</td></tr>"));
    }
    out.push_str("</table>\n</section>\n");
}

/// The warnings, in plain text (HTML-escaped).
pub fn warning_list(results: &Results) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    let several = results.points.len() > 1;
    let mut push = |s: String| {
        if !list.contains(&s) {
            list.push(s);
        }
    };
    for p in &results.points {
        let prefix = if several {
            format!("point `{}`: ", p.name)
        } else {
            String::new()
        };
        for w in &p.warnings {
            push(format!("{prefix}{w}"));
        }
        if p.stop_reason == "max_replications" {
            push(format!(
                "{prefix}too few replications for the asked precision: it stopped at the most replications allowed ({}) before its confidence intervals were as narrow as asked ({}); run again with a larger --max-replications",
                p.replications,
                if results.manifest.options.is_empty() {
                    "see the manifest"
                } else {
                    results.manifest.options.as_str()
                }
            ));
        }
        if p.replications < 2 {
            push(format!(
                "{prefix}one replication: there are no confidence intervals (shown as ± 0); run at least 2 replications"
            ));
        }
    }
    if results
        .points
        .iter()
        .any(|p| p.service_level_threshold.is_none())
    {
        push("summary.json does not record the service-level threshold (written by an earlier tiersim): the wait-time plots do not mark it".into());
    }
    if results.version != env!("CARGO_PKG_VERSION") {
        push(format!(
            "the results were written by tiersim {}, this report by tiersim {}",
            results.version,
            env!("CARGO_PKG_VERSION")
        ));
    }
    list
}

fn warnings(out: &mut String, results: &Results) {
    out.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n");
    let list = warning_list(results);
    if list.is_empty() {
        out.push_str("<p class=\"ok\">None: no design at or over capacity, and every point reached the replications or the precision asked.</p>\n");
    } else {
        out.push_str("<ul class=\"warnings\">\n");
        for w in list {
            putln(out, format_args!("<li>{}</li>", escape(&w)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Better => "v-better",
        Verdict::Worse => "v-worse",
        Verdict::Changed => "v-changed",
        Verdict::NoSignificantDifference => "v-ns",
    }
}

fn verdicts(out: &mut String, results: &Results) {
    let Some(c) = &results.comparison else { return };
    let verdict = |d: &Diff| Verdict::of(&d.metric, d.mean, d.significant);
    let count = |v: Verdict| c.differences.iter().filter(|d| verdict(d) == v).count();
    put(
        out,
        format_args!(
            "<section id=\"verdict\">\n<h2>Verdict: B ({}) against A ({})</h2>\n\
         <p>B is <span class=\"verdict v-better\">better</span> on {} metric(s), \
         <span class=\"verdict v-worse\">worse</span> on {}, <span class=\"verdict v-changed\">changed</span> on {} neutral one(s) \
         (utilization, arrivals, escalation, deflection), and shows <span class=\"verdict v-ns\">no significant difference</span> on {}. \
         A difference is significant when its 95% confidence interval excludes 0. Lower is better for waits, sojourn, \
         abandonment, blocking, clients left inside, queue lengths, complaints, hand-offs and mis-sales; higher is better for service level, \
         clients served, satisfaction, CSAT, first-contact resolution, sales and revenue.</p>\n",
            escape(&c.b),
            escape(&c.a),
            count(Verdict::Better),
            count(Verdict::Worse),
            count(Verdict::Changed),
            count(Verdict::NoSignificantDifference)
        ),
    );
    let headline: Vec<String> = ["service_level", "wait_mean", "abandon_rate"]
        .iter()
        .filter_map(|m| {
            c.differences
                .iter()
                .find(|d| d.group == "overall" && d.metric == *m)
        })
        .map(|d| {
            format!(
                "overall {} {} ({} → {})",
                escape(&d.metric),
                verdict(d).as_str(),
                value(d.a),
                value(d.b)
            )
        })
        .collect();
    if !headline.is_empty() {
        putln(
            out,
            format_args!("<p><strong>In short:</strong> {}.</p>", headline.join("; ")),
        );
    }
    out.push_str(
        "<div class=\"wide\"><table class=\"verdicts\">\n<thead><tr><th>group</th><th>metric (unit)</th><th>A</th><th>B</th>\
         <th>B − A (95% CI)</th><th>verdict</th><th>CRN variance cut</th></tr></thead>\n<tbody>\n",
    );
    for d in &c.differences {
        let v = verdict(d);
        let diff = estimate(Some(MeanCi {
            mean: d.mean,
            ci95: d.ci95,
        }));
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
                unit(&d.metric),
                value(d.a),
                value(d.b),
                diff,
                verdict_class(v),
                v.as_str(),
                cut
            ),
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
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
            format_args!("<tr><td>{metric} ({})</td>", unit(metric)),
        );
        for (_, m) in &groups {
            put(
                out,
                format_args!("<td class=\"num\">{}</td>", estimate(m.metric(metric))),
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
            format_args!("<tr><td>{metric} ({})</td>", unit(metric)),
        );
        for (_, m) in &p.tiers {
            put(
                out,
                format_args!("<td class=\"num\">{}</td>", estimate(m.metric(metric))),
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

fn key_metrics(out: &mut String, results: &Results, target: &Target) {
    out.push_str("<section id=\"metrics\">\n<h2>Key metrics</h2>\n<p>Each cell is the mean over replications ± the half-width of its 95% confidence interval.</p>\n");
    let n = results.points.len();
    if n <= 2 {
        for p in &results.points {
            if n > 1 {
                putln(out, format_args!("<h3>{}</h3>", escape(&p.name)));
            }
            client_table(out, p);
        }
        out.push_str("</section>\n");
        return;
    }
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
        put(out, format_args!("<th>{m} ({})</th>", unit(m)));
    }
    for t in &tiers {
        put(
            out,
            format_args!("<th>{} utilization (share)</th>", escape(t)),
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for p in &results.points {
        out.push_str("<tr>");
        if results.axes.is_empty() {
            put(out, format_args!("<td>{}</td>", escape(&p.name)));
        }
        for (_, v) in &p.parameters {
            put(
                out,
                format_args!(
                    "<td class=\"num\">{}</td>",
                    escape(&super::summary::Param::of(v).label())
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
            let meets = m == "service_level"
                && v.is_some_and(|v| v.mean.is_finite() && v.mean >= target.value);
            put(
                out,
                format_args!(
                    "<td class=\"num\"{}>{}</td>",
                    if meets {
                        " title=\"meets the target\""
                    } else {
                        ""
                    },
                    estimate(v)
                ),
            );
        }
        for t in &tiers {
            let v = p
                .tiers
                .iter()
                .find(|(n, _)| n == *t)
                .and_then(|(_, m)| m.metric("utilization"));
            put(out, format_args!("<td class=\"num\">{}</td>", estimate(v)));
        }
        out.push_str("</tr>\n");
    }
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
}
