//! The sections of `report.html` about the run rather than its results:
//! the scenario in brief, the warnings.

use super::super::format::putln;
use super::super::read::Results;
use super::escape;

pub(super) fn scenario(out: &mut String, results: &Results) {
    let mut rows = identity_rows(results);
    rows.extend(design_rows(results));
    rows.extend(run_rows(results));
    out.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n<table class=\"kv\">\n");
    for (k, v) in rows {
        putln(out, format_args!("<tr><th>{k}</th><td>{v}</td></tr>"));
    }
    out.push_str("</table>\n</section>\n");
}

/// One row of the scenario table: its heading and its HTML value.
type Row = (&'static str, String);

/// What was run: the scenario's name, file, hash, seed, replications and
/// points.
fn identity_rows(results: &Results) -> Vec<Row> {
    let m = &results.manifest;
    let reps = results.points.iter().map(|p| p.replications);
    let (lo, hi) = (reps.clone().min().unwrap_or(0), reps.max().unwrap_or(0));
    let replications = if lo == hi {
        format!("{lo} per point")
    } else {
        format!("{lo} to {hi} per point")
    };
    vec![
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
    ]
}

/// How the points relate: the sweep's axes, or the two compared
/// scenarios and their random numbers; the service-level thresholds.
fn design_rows(results: &Results) -> Vec<Row> {
    let mut rows = Vec::new();
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
    let mut thresholds: Vec<String> = results
        .points
        .iter()
        .filter_map(|p| p.service_level_threshold)
        .map(|t| format!("{t} min"))
        .collect();
    thresholds.dedup();
    if !thresholds.is_empty() {
        rows.push(("service-level threshold", escape(&thresholds.join(", "))));
    }
    rows
}

/// How it was run: options, threads, when, merged runs, command line.
fn run_rows(results: &Results) -> Vec<Row> {
    let m = &results.manifest;
    let mut rows = Vec::new();
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
    rows
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

pub(super) fn warnings(out: &mut String, results: &Results) {
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

/// The section "Service map": the scenario as a picture with the run's
/// flows, staffing, utilization and waits (`service_map::svg`).
pub(super) fn service_map(out: &mut String, svg: &str) {
    out.push_str(
        "<section id=\"service-map\">\n<h2>Service map</h2>\n\
         <p>Where clients go, drawn from the scenario: segments and channels, then the tiers in the order clients reach them, \
         back offices last. Each arrow carries clients per hour of the measured period; each tier its staffing, \
         utilization and wait, coloured by load.</p>\n<figure class=\"wide\">\n",
    );
    out.push_str(svg);
    out.push_str("</figure>\n</section>\n");
}
