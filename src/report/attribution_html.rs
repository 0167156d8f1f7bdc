//! `report.html` of an attribution folder: an "In short" line (the
//! package's effect and the remedies that contribute most in each
//! direction), the headline table, and per headline metric a waterfall and
//! a Shapley bar chart with 95% CIs, then the tornado when there is one.
//! Charts are inline SVG (`data-plot` names them), so the page stands
//! alone under the same Content Security Policy as the run report.

use super::attribution::{
    AttributionFile, HEADLINES, MetricRecord, SwingRecord, digits, flip_words, label, pm,
    route_notes,
};
use super::format::MeanCi;
use super::page::{escape, head};

/// One horizontal bar: from `from` to `to` on the value axis, a CI
/// whisker of half-width `ci` at `to`, coloured by whether it helps.
struct Bar {
    label: String,
    from: f64,
    to: f64,
    ci: Option<f64>,
    helps: Option<bool>,
}

/// Width, left margin (labels) and row height of a chart, in SVG units.
const WIDTH: f64 = 760.0;
const LEFT: f64 = 250.0;
const ROW: f64 = 26.0;

/// The page of attribution `file`.
pub fn page(file: &AttributionFile) -> String {
    let mut out = head(&format!("{}: what each remedy buys", file.scenario), false);
    out.push_str(&format!(
        "<h1>{}: what each remedy buys</h1>\n<p class=\"sub\">{} remedies, {} replications each of {} subsets on common random numbers ({}); file <code>{}</code></p>\n",
        escape(&file.scenario),
        file.remedies.len(),
        file.replications,
        file.subsets_run,
        if file.method == "exact" {
            "exact Shapley values".to_string()
        } else {
            format!("Shapley values over {} random orders", file.samples.unwrap_or(0))
        },
        escape(&file.file)
    ));
    out.push_str(&format!(
        "<p><strong>In short:</strong> {}</p>\n",
        escape(&in_short(file))
    ));
    for note in route_notes(file) {
        out.push_str(&format!(
            "<p><strong>Not comparable:</strong> {}</p>\n",
            escape(&note)
        ));
    }
    out.push_str(&remedy_list(file));
    out.push_str(&table(file));
    for (metric, _, more_is_better) in HEADLINES {
        let Some(m) = file.overall(metric) else {
            continue;
        };
        out.push_str(&format!("<h2>{}</h2>\n", escape(label(metric))));
        out.push_str(&waterfall(file, m, more_is_better));
        out.push_str(&shapley(file, m, more_is_better));
    }
    if !file.sensitivity.is_empty() {
        out.push_str("<h2>What could flip the answer: the tornado</h2>\n<ul>\n");
        for line in flip_words(file) {
            out.push_str(&format!("<li>{}</li>\n", escape(&line)));
        }
        out.push_str("</ul>\n");
        for (metric, _, more_is_better) in HEADLINES {
            out.push_str(&tornado(file, metric, more_is_better));
        }
    }
    out.push_str(&format!(
        "<footer>tiersim {} · attribution.json and attribution.csv hold every metric of every group</footer>\n</body>\n</html>\n",
        escape(&file.version)
    ));
    out
}

/// The package's effect on satisfaction and the remedies contributing most
/// in each direction, in a sentence.
pub fn in_short(file: &AttributionFile) -> String {
    let metric = ["satisfaction_mean", "csat", "service_level"]
        .iter()
        .find_map(|m| file.overall(m).map(|r| (*m, r)));
    let Some((metric, m)) = metric else {
        return "no headline metric to attribute.".into();
    };
    let named: Vec<(&str, &MeanCi)> = file
        .remedies
        .iter()
        .map(|r| r.name.as_str())
        .zip(&m.shapley)
        .collect();
    let best = named
        .iter()
        .filter(|(_, s)| s.mean > 0.0)
        .max_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
    let worst = named
        .iter()
        .filter(|(_, s)| s.mean < 0.0)
        .min_by(|a, b| a.1.mean.total_cmp(&b.1.mean));
    let d = digits(m.base.mean);
    let mut s = format!(
        "the package changes {} by {} (95% CI).",
        label(metric),
        pm(&m.total, d)
    );
    if let Some((name, v)) = best {
        s.push_str(&format!(" {name} adds the most ({}).", pm(v, d)));
    }
    if let Some((name, v)) = worst {
        s.push_str(&format!(" {name} takes away the most ({}).", pm(v, d)));
    }
    s
}

/// The remedies with their descriptions.
fn remedy_list(file: &AttributionFile) -> String {
    let mut out = String::from("<h2>The remedies</h2>\n<ul>\n");
    for r in &file.remedies {
        out.push_str(&format!(
            "<li><strong>{}</strong>: {}</li>\n",
            escape(&r.name),
            escape(&r.description)
        ));
    }
    out.push_str(&format!(
        "</ul>\n<p class=\"sub\">Waterfall order: {}</p>\n",
        escape(&file.order.join(" → "))
    ));
    out
}

/// The headline metrics: base, each Shapley value, interaction, package.
fn table(file: &AttributionFile) -> String {
    let mut out =
        String::from("<div class=\"wide\"><table>\n<thead><tr><th>metric</th><th>base</th>");
    for r in &file.remedies {
        out.push_str(&format!("<th>{}</th>", escape(&r.name)));
    }
    out.push_str("<th>interaction</th><th>package effect</th></tr></thead>\n<tbody>\n");
    for (metric, _, _) in HEADLINES {
        let Some(m) = file.overall(metric) else {
            continue;
        };
        let d = digits(m.base.mean);
        out.push_str(&format!(
            "<tr><td>{}</td><td>{:.*}</td>",
            escape(label(metric)),
            d,
            m.base.mean
        ));
        for s in &m.shapley {
            out.push_str(&format!("<td>{}</td>", escape(&pm(s, d))));
        }
        out.push_str(&format!(
            "<td>{}</td><td><strong>{}</strong></td></tr>\n",
            escape(&pm(&m.interaction, d)),
            escape(&pm(&m.total, d))
        ));
    }
    out.push_str("</tbody></table></div>\n<p class=\"sub\">Shapley contributions with paired 95% CIs; they add up to the package's effect in every replication.</p>\n");
    out
}

/// Whether a change of sign `x` helps a metric (more is better or not).
fn helps(x: f64, more_is_better: bool) -> Option<bool> {
    (x != 0.0 && x.is_finite()).then_some((x > 0.0) == more_is_better)
}

/// The waterfall chart of `m`: each step in the file's order, then the
/// package's effect.
fn waterfall(file: &AttributionFile, m: &MetricRecord, more_is_better: bool) -> String {
    let mut bars = Vec::new();
    let mut level = 0.0;
    for (name, step) in file.order.iter().zip(&m.waterfall) {
        bars.push(Bar {
            label: format!("+ {name}"),
            from: level,
            to: level + step.mean,
            ci: Some(step.ci95),
            helps: helps(step.mean, more_is_better),
        });
        level += step.mean;
    }
    bars.push(Bar {
        label: "package".into(),
        from: 0.0,
        to: m.total.mean,
        ci: Some(m.total.ci95),
        helps: helps(m.total.mean, more_is_better),
    });
    figure(
        &format!("waterfall-{}", m.metric),
        &bars,
        &[],
        &format!(
            "Waterfall of {} from the base ({:.4}): each remedy added in turn, in the order {}; the last bar is the whole package. Whiskers: 95% CI of each step.",
            label(&m.metric),
            m.base.mean,
            file.order.join(", ")
        ),
    )
}

/// The Shapley bar chart of `m`.
fn shapley(file: &AttributionFile, m: &MetricRecord, more_is_better: bool) -> String {
    let mut bars: Vec<Bar> = file
        .remedies
        .iter()
        .zip(&m.shapley)
        .map(|(r, s)| Bar {
            label: r.name.clone(),
            from: 0.0,
            to: s.mean,
            ci: Some(s.ci95),
            helps: helps(s.mean, more_is_better),
        })
        .collect();
    bars.push(Bar {
        label: "(interaction: total − singles)".into(),
        from: 0.0,
        to: m.interaction.mean,
        ci: Some(m.interaction.ci95),
        helps: None,
    });
    figure(
        &format!("shapley-{}", m.metric),
        &bars,
        &[],
        &format!(
            "Shapley contribution of each remedy to {} (whiskers: paired 95% CI), and the interaction: the package's effect less the sum of each remedy's effect alone.",
            label(&m.metric)
        ),
    )
}

/// The tornado of `metric`: per parameter, the package's effect from the
/// low to the high end of its range; the nominal effect and 0 marked.
fn tornado(file: &AttributionFile, metric: &str, more_is_better: bool) -> String {
    let rows: Vec<&SwingRecord> = file
        .sensitivity
        .iter()
        .filter(|s| s.metric == metric)
        .collect();
    let Some(nominal) = file.overall(metric).map(|m| m.total.mean) else {
        return String::new();
    };
    if rows.is_empty() {
        return String::new();
    }
    let bars: Vec<Bar> = rows
        .iter()
        .map(|s| Bar {
            label: format!(
                "{} [{}, {}]{}",
                s.parameter,
                s.low,
                s.high,
                if s.flips { " FLIPS" } else { "" }
            ),
            from: s.at_low.mean,
            to: s.at_high.mean,
            ci: None,
            helps: helps(s.at_high.mean - s.at_low.mean, more_is_better),
        })
        .collect();
    figure(
        &format!("tornado-{metric}"),
        &bars,
        &[(nominal, "nominal effect")],
        &format!(
            "Tornado of the package's effect on {}: each bar runs from the effect with the parameter at the low end of its range to the effect at the high end (longest first). A parameter marked FLIPS can turn the effect's sign, its CI clear of 0.",
            label(metric)
        ),
    )
}

/// A horizontal bar chart as an inline SVG figure named `id`, with a zero
/// line and `marks` (value, name) as dashed lines.
fn figure(id: &str, bars: &[Bar], marks: &[(f64, &str)], caption: &str) -> String {
    let ends = bars
        .iter()
        .flat_map(|b| {
            let ci = b.ci.unwrap_or(0.0);
            [b.from, b.to - ci, b.to + ci]
        })
        .chain(marks.iter().map(|m| m.0))
        .chain([0.0])
        .filter(|x| x.is_finite());
    let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (lo, hi) = (lo - 0.05 * span, hi + 0.05 * span);
    let plot = WIDTH - LEFT - 20.0;
    let x = |v: f64| LEFT + (v - lo) / (hi - lo) * plot;
    let height = 40.0 + ROW * bars.len() as f64;
    let mut svg = format!(
        "<svg data-plot=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\">\n",
        escape(id)
    );
    svg.push_str(&rows(bars, &x));
    let bottom = 10.0 + ROW * bars.len() as f64;
    svg.push_str(&format!(
        "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"6\" y2=\"{bottom:.1}\" stroke=\"#1d1d1f\"/>\n",
        x(0.0)
    ));
    // The 0 label, unless it would sit on an end's label.
    if x(0.0) - LEFT > 50.0 && LEFT + plot - x(0.0) > 50.0 {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">0</text>\n",
            x(0.0),
            bottom + 14.0
        ));
    }
    for (v, name) in marks {
        svg.push_str(&format!(
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"6\" y2=\"{bottom:.1}\" stroke=\"#6d2f66\" stroke-dasharray=\"4 3\"/>\n<text x=\"{0:.1}\" y=\"{1:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#6d2f66\">{2}</text>\n",
            x(*v),
            bottom + 26.0,
            escape(name)
        ));
    }
    svg.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n</svg>\n",
        LEFT,
        bottom + 14.0,
        axis(lo),
        LEFT + plot,
        bottom + 14.0,
        axis(hi)
    ));
    format!(
        "<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    )
}

/// The bars of a chart (labels, bars, CI whiskers), `x` mapping a value
/// to its position.
fn rows(bars: &[Bar], x: &dyn Fn(f64) -> f64) -> String {
    let mut svg = String::new();
    for (i, b) in bars.iter().enumerate() {
        let y = 10.0 + ROW * i as f64;
        let (a, z) = (x(b.from.min(b.to)), x(b.from.max(b.to)));
        let colour = match b.helps {
            Some(true) => "#0b5c8f",
            Some(false) => "#c2541a",
            None => "#8a8a8f",
        };
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text>\n<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\n",
            LEFT - 8.0,
            y + 15.0,
            escape(&b.label),
            y + 4.0,
            (z - a).max(1.0),
            ROW - 8.0
        ));
        if let Some(ci) = b.ci.filter(|c| c.is_finite() && *c > 0.0) {
            svg.push_str(&format!(
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1d1d1f\" stroke-width=\"1.5\"/>\n",
                x(b.to - ci),
                x(b.to + ci),
                y + ROW / 2.0,
                y + ROW / 2.0
            ));
        }
    }
    svg
}

/// An axis end in a short form.
fn axis(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zero_line_and_every_bar_are_drawn() {
        let bars = [
            Bar {
                label: "a<b".into(),
                from: 0.0,
                to: 2.0,
                ci: Some(0.5),
                helps: Some(true),
            },
            Bar {
                label: "c".into(),
                from: 2.0,
                to: -1.0,
                ci: None,
                helps: Some(false),
            },
        ];
        let f = figure("t", &bars, &[(1.0, "nominal")], "cap");
        assert_eq!(f.matches("<rect").count(), 2);
        assert!(f.contains("a&lt;b") && f.contains("nominal") && f.contains("data-plot=\"t\""));
    }
}
