//! The outputs of `tiersim attribute`: `attribution.json` (the whole
//! [`AttributionFile`]), `attribution.csv` (tidy rows: metric, group,
//! remedy, method, mean, ci95) and the terminal table of the headline
//! metrics. Every file is a serde type, written atomically.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::catalogue;
use super::format::{MeanCi, nullable};
use super::write_atomic;
use crate::error::Error;
use crate::experiment::attribute::MetricAttribution;
use crate::experiment::attribute_sensitivity::Swing;

/// The JSON file name in an attribution folder.
pub const JSON: &str = "attribution.json";
/// The CSV file name in an attribution folder.
pub const CSV: &str = "attribution.csv";

/// The headline metrics (overall) a table, chart or summary shows, with
/// their labels and whether more is better.
pub const HEADLINES: [(&str, &str, bool); 7] = [
    ("satisfaction_mean", "satisfaction (0-100)", true),
    ("csat", "CSAT (top-box share)", true),
    ("abandon_rate", "abandonment", false),
    ("service_level", "service level", true),
    ("sales", "sales (count)", true),
    ("revenue", "revenue (units)", true),
    ("staff_cost_per_hour", "staff cost per hour", false),
];

/// A remedy as the attribution names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RemedyNote {
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// How the remedy alone changes the clients' route against the base
    /// (a tier added or dropped, or another share of clients whose first
    /// tier is automated), if it does: its contributions to first-step
    /// metrics (service level, first-contact resolution) then measure a
    /// different first step and are not comparable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_change: Option<String>,
}

impl From<&crate::scenario::remedy::Remedy> for RemedyNote {
    fn from(r: &crate::scenario::remedy::Remedy) -> Self {
        RemedyNote {
            name: r.name.clone(),
            description: r.description.clone(),
            route_change: None,
        }
    }
}

/// One sentence per remedy that changes the route: which of its headline
/// contributions are not comparable, and what to judge it by instead.
pub fn route_notes(file: &AttributionFile) -> Vec<String> {
    let first_step: Vec<&str> = HEADLINES
        .iter()
        .filter(|(metric, _, _)| catalogue::first_step("overall", metric))
        .map(|&(_, label, _)| label)
        .collect();
    if first_step.is_empty() {
        return Vec::new();
    }
    file.remedies
        .iter()
        .filter_map(|r| {
            r.route_change.as_ref().map(|change| {
                format!(
                    "{} changes the route ({change}): its contribution to {}, and the interaction's and the package's effect on it, count a different first step and are not comparable; judge it on the tiers' own metrics (attribution.json, groups tier.<name>)",
                    r.name,
                    first_step.join(", ")
                )
            })
        })
        .collect()
}

/// `attribution.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttributionFile {
    /// Always `tiersim`.
    pub tool: String,
    /// The tool's version.
    pub version: String,
    /// What kind of folder this is: `attribution`.
    pub kind: String,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file as given.
    pub file: String,
    /// The seed every subset ran with.
    pub seed: u64,
    /// Replications of every subset.
    pub replications: u32,
    /// The remedies, in file order (the order of `shapley` and `single`).
    pub remedies: Vec<RemedyNote>,
    /// The waterfall's order (the order of `waterfall`).
    pub order: Vec<String>,
    /// `exact` (all 2^k subsets) or `sampled` (random orders).
    pub method: String,
    /// With `sampled`: how many random orders.
    pub samples: Option<u32>,
    /// How many subsets of remedies were run.
    pub subsets_run: usize,
    /// Every metric of every group present in all the subsets.
    pub metrics: Vec<MetricRecord>,
    /// With `--sensitivity`: the tornado's bars, per headline metric,
    /// longest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitivity: Vec<SwingRecord>,
}

/// One bar of the tornado: the package's effect on an overall metric with
/// one parameter at each end of its range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SwingRecord {
    /// The parameter's dotted path.
    pub parameter: String,
    /// Where its range comes from: `file` or `default` (evidence.md §21.1).
    pub source: String,
    /// The metric (overall).
    pub metric: String,
    /// The low end of the range.
    pub low: f64,
    /// The high end.
    pub high: f64,
    /// The package's effect at `low`.
    pub at_low: MeanCi,
    /// The package's effect at `high`.
    pub at_high: MeanCi,
    /// |effect at high − effect at low|.
    #[serde(with = "nullable")]
    pub swing: f64,
    /// One end turns the effect's sign, its CI clear of 0.
    pub flips: bool,
}

impl SwingRecord {
    /// The record of `s`, whose range came from `source`.
    pub fn new(s: &Swing, source: &str) -> Self {
        SwingRecord {
            parameter: s.parameter.clone(),
            source: source.to_string(),
            metric: s.metric.clone(),
            low: s.low,
            high: s.high,
            at_low: s.at_low.into(),
            at_high: s.at_high.into(),
            swing: s.swing,
            flips: s.flips,
        }
    }
}

/// The attribution of one metric of one group (see
/// [`MetricAttribution`]); `null` where a value is undefined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRecord {
    /// `overall`, `segment.<name>`, `tier.<name>`, `request.<name>`,
    /// `slot.<index>` (a slot of the day, from 0) or
    /// `slot.<index>.tier.<name>`.
    pub group: String,
    /// The metric's name.
    pub metric: String,
    /// The metric with no remedy.
    pub base: MeanCi,
    /// The metric with every remedy (the package).
    pub package: MeanCi,
    /// The package's effect, package − base (paired).
    pub total: MeanCi,
    /// Each remedy's Shapley contribution, in file order.
    pub shapley: Vec<MeanCi>,
    /// Each step of the waterfall, in the attribution's order.
    pub waterfall: Vec<MeanCi>,
    /// Each remedy alone on the base, in file order.
    pub single: Vec<MeanCi>,
    /// The total less the sum of the single effects.
    pub interaction: MeanCi,
}

impl From<&MetricAttribution> for MetricRecord {
    fn from(a: &MetricAttribution) -> Self {
        let all = |v: &[crate::engine::stats::Estimate]| v.iter().map(|&e| e.into()).collect();
        MetricRecord {
            group: a.group.clone(),
            metric: a.metric.clone(),
            base: a.base.into(),
            package: a.package.into(),
            total: a.total.into(),
            shapley: all(&a.shapley),
            waterfall: all(&a.waterfall),
            single: all(&a.single),
            interaction: a.interaction.into(),
        }
    }
}

/// One row of `attribution.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The metric.
    pub metric: String,
    /// Its group.
    pub group: String,
    /// The remedy (`none` for the base, `all` for the package, its effect
    /// and the interaction).
    pub remedy: String,
    /// `base`, `package`, `total`, `shapley`, `waterfall`, `single` or
    /// `interaction`.
    pub method: String,
    /// The mean over replications (empty where undefined).
    #[serde(with = "nullable")]
    pub mean: f64,
    /// Half-width of its 95% CI.
    #[serde(with = "nullable")]
    pub ci95: f64,
}

/// The tidy rows of `metrics` for remedies `names` (file order), the
/// waterfall in `order`.
pub fn rows(names: &[String], order: &[usize], metrics: &[MetricRecord]) -> Vec<Row> {
    let mut out = Vec::new();
    for a in metrics {
        let mut row = |remedy: &str, method: &str, i: &MeanCi| {
            out.push(Row {
                metric: a.metric.clone(),
                group: a.group.clone(),
                remedy: remedy.to_string(),
                method: method.to_string(),
                mean: i.mean,
                ci95: i.ci95,
            })
        };
        row("none", "base", &a.base);
        row("all", "package", &a.package);
        row("all", "total", &a.total);
        for (name, s) in names.iter().zip(&a.shapley) {
            row(name, "shapley", s);
        }
        for (&i, w) in order.iter().zip(&a.waterfall) {
            row(&names[i], "waterfall", w);
        }
        for (name, s) in names.iter().zip(&a.single) {
            row(name, "single", s);
        }
        row("all", "interaction", &a.interaction);
    }
    out
}

impl AttributionFile {
    /// The overall attribution of `metric`, if any.
    pub fn overall(&self, metric: &str) -> Option<&MetricRecord> {
        self.metrics
            .iter()
            .find(|m| m.group == "overall" && m.metric == metric)
    }
}

/// Writes `attribution.json` and `attribution.csv` into `dir`.
pub fn write(dir: &Path, file: &AttributionFile) -> Result<(), Error> {
    let json = serde_json::to_vec_pretty(file).map_err(|e| Error::Write {
        path: dir.join(JSON),
        source: std::io::Error::other(e),
    })?;
    write_atomic(&dir.join(JSON), &json)?;
    let names: Vec<String> = file.remedies.iter().map(|r| r.name.clone()).collect();
    let order: Vec<usize> = file
        .order
        .iter()
        .filter_map(|o| names.iter().position(|n| n == o))
        .collect();
    let mut csv = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Error::Write {
        path: dir.join(CSV),
        source: std::io::Error::other(e),
    };
    for row in rows(&names, &order, &file.metrics) {
        csv.serialize::<Row>(row).map_err(failed)?;
    }
    let bytes = csv.into_inner().map_err(|e| Error::Write {
        path: dir.join(CSV),
        source: std::io::Error::other(e.to_string()),
    })?;
    write_atomic(&dir.join(CSV), &bytes)
}

/// Reads `attribution.json` from `dir`.
pub fn read(dir: &Path) -> Result<AttributionFile, Error> {
    let path = dir.join(JSON);
    let bytes = std::fs::read(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Read {
        path,
        source: std::io::Error::other(e),
    })
}

/// `mean ± ci95` with `digits` decimals.
pub(crate) fn pm(i: &MeanCi, digits: usize) -> String {
    format!("{:+.*} ± {:.*}", digits, i.mean, digits, i.ci95)
}

/// Decimals that show a metric of size `x`.
pub(crate) fn digits(x: f64) -> usize {
    match x.abs() {
        v if v >= 100.0 => 1,
        v if v >= 1.0 => 2,
        _ => 4,
    }
}

/// The terminal table: per headline metric, the base, each remedy's
/// Shapley contribution, the interaction and the package's effect.
pub fn table(file: &AttributionFile) -> String {
    let mut header = vec!["metric".to_string(), "base".to_string()];
    header.extend(file.remedies.iter().map(|r| r.name.clone()));
    header.extend(["interaction".to_string(), "package effect".to_string()]);
    let mut lines = vec![header];
    for (metric, label, _) in HEADLINES {
        let Some(a) = file.overall(metric) else {
            continue;
        };
        let d = digits(a.base.mean);
        let mut line = vec![label.to_string(), format!("{:.*}", d, a.base.mean)];
        line.extend(a.shapley.iter().map(|s| pm(s, d)));
        line.push(pm(&a.interaction, d));
        line.push(pm(&a.total, d));
        lines.push(line);
    }
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for l in &lines {
        let cells: Vec<String> = l
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(
        "(Shapley contributions, paired 95% CIs over replications; they sum to the package effect)\n",
    );
    for note in route_notes(file) {
        out.push_str(&format!("not comparable: {note}\n"));
    }
    out
}

/// The label of headline metric `metric`.
pub fn label(metric: &str) -> &str {
    HEADLINES
        .iter()
        .find(|(m, _, _)| *m == metric)
        .map_or(metric, |(_, l, _)| l)
}

/// How many bars of each metric's tornado the terminal shows.
const TERMINAL_BARS: usize = 5;

/// The tornado on the terminal: per headline metric, the parameters with
/// the longest swings, then in words which can flip the effect's sign.
pub fn tornado_table(file: &AttributionFile) -> String {
    if file.sensitivity.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for (metric, _, _) in HEADLINES {
        let bars: Vec<&SwingRecord> = file
            .sensitivity
            .iter()
            .filter(|s| s.metric == metric)
            .collect();
        let Some(nominal) = file.overall(metric).map(|m| m.total) else {
            continue;
        };
        let d = digits(file.overall(metric).map_or(1.0, |m| m.base.mean));
        out.push_str(&format!(
            "\ntornado: {} (package effect {})\n",
            label(metric),
            pm(&nominal, d)
        ));
        for b in bars.iter().take(TERMINAL_BARS) {
            out.push_str(&format!(
                "  {:<42} {:>8} .. {:<8} {:>18} .. {:<18} swing {:.*}{}\n",
                b.parameter,
                b.low,
                b.high,
                pm(&b.at_low, d),
                pm(&b.at_high, d),
                d,
                b.swing,
                if b.flips { "  FLIPS" } else { "" }
            ));
        }
    }
    out.push('\n');
    for line in flip_words(file) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// In words, per headline metric, which parameters can flip the sign of
/// the package's effect within their ranges (or that none can).
pub fn flip_words(file: &AttributionFile) -> Vec<String> {
    let mut out = Vec::new();
    for (metric, _, _) in HEADLINES {
        let Some(nominal) = file.overall(metric).map(|m| m.total) else {
            continue;
        };
        let bars: Vec<&SwingRecord> = file
            .sensitivity
            .iter()
            .filter(|s| s.metric == metric)
            .collect();
        if bars.is_empty() {
            continue;
        }
        let d = digits(file.overall(metric).map_or(1.0, |m| m.base.mean));
        let flips: Vec<String> = bars
            .iter()
            .filter(|b| b.flips)
            .map(|b| {
                let (x, at) = if b.at_low.mean.signum() != nominal.mean.signum() {
                    (b.low, &b.at_low)
                } else {
                    (b.high, &b.at_high)
                };
                format!("`{}` = {x} gives {}", b.parameter, pm(at, d))
            })
            .collect();
        if nominal.mean.abs() <= nominal.ci95 {
            let clear: Vec<String> = bars
                .iter()
                .flat_map(|b| {
                    [
                        (b.low, &b.at_low, &b.parameter),
                        (b.high, &b.at_high, &b.parameter),
                    ]
                })
                .filter(|(_, at, _)| at.mean.abs() > at.ci95)
                .map(|(x, at, p)| format!("`{p}` = {x} gives {}", pm(at, d)))
                .collect();
            out.push(format!(
                "{}: the package's effect ({}) is not clear of 0, so it has no sign to flip{}",
                label(metric),
                pm(&nominal, d),
                if clear.is_empty() {
                    ", at either end of any range.".to_string()
                } else {
                    format!("; these make it clearly non-zero: {}.", clear.join("; "))
                }
            ));
            continue;
        }
        out.push(if flips.is_empty() {
            format!(
                "{}: no parameter flips the sign of the package's effect ({}) within its range.",
                label(metric),
                pm(&nominal, d)
            )
        } else {
            format!(
                "{}: the package's effect ({}) can change sign: {}.",
                label(metric),
                pm(&nominal, d),
                flips.join("; ")
            )
        });
    }
    out
}

/// Writes `report.html` of an attribution folder `dir`.
pub fn write_report(dir: &Path, file: &AttributionFile) -> Result<(), Error> {
    write_atomic(
        &dir.join("report.html"),
        super::attribution_html::page(file).as_bytes(),
    )
}
