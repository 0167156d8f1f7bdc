//! The report (`tiersim report DIR` and `--report`): every plot as SVG and
//! PNG holding the expected series, a self-contained `report.html` that a
//! real browser (headless Chromium) opens without a console error or a
//! broken image, and clear errors, never a half-written report, for
//! folders that hold no results, damaged results or results of an unknown
//! format.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{scratch, text, tiersim};

/// A short copy of `scenarios/two-tier.toml` with a second segment whose
/// name needs HTML escaping, and `extra` appended (a `[sweep]`).
fn scenario(name: &str, front_servers: u32, extra: &str) -> String {
    format!(
        r#"name = "{name}"
[run]
horizon = 3000.0
warmup = 100.0
replications = 4
seed = 11
service_level_threshold = 0.5

[[segment]]
name = "retail"
rate_per_hour = 96.0
patience = {{ dist = "exponential", mean = 5.0 }}
priority = 1
entry = "front"

[[segment]]
name = "<vip>&co"
rate_per_hour = 12.0
patience = {{ dist = "exponential", mean = 8.0 }}
priority = 0
entry = "front"

[[tier]]
name = "front"
servers = {front_servers}
service = {{ dist = "exponential", mean = 5.0 }}
queue_capacity = 30
escalate = [{{ to = "expert", probability = 0.25 }}]

[[tier]]
name = "expert"
servers = 3
service = {{ dist = "erlang", mean = 6.0, k = 3 }}
{extra}"#
    )
}

const SWEEP: &str = r#"
[sweep]
[[sweep.axis]]
path = "tier.front.servers"
values = [10, 11, 12]

[[sweep.axis]]
path = "tier.expert.servers"
values = [3, 4]
"#;

/// A short day at a branch: clients arrive from 08:00 to 18:00, the front
/// line works two overlapping shifts of `morning` and 2 servers (08:00-14:00
/// and 12:00-18:00), the experts have 2 servers all day; two days, and
/// `extra` appended (a `[sweep]`).
fn day_scenario(name: &str, morning: u32, extra: &str) -> String {
    format!(
        r#"name = "{name}"
[run]
horizon = 2880.0
replications = 4
seed = 5
service_level_threshold = 1.0

[calendar]
slot_minutes = 60
profile = {{ "08:00-18:00" = 1.0 }}

[[segment]]
name = "retail"
rate_per_hour = 30.0
patience = {{ dist = "exponential", mean = 5.0 }}
priority = 1

[[segment]]
name = "<vip>&co"
rate_per_hour = 6.0
patience = {{ dist = "exponential", mean = 8.0 }}
priority = 0

[[tier]]
name = "front"
service = {{ dist = "exponential", mean = 5.0 }}
escalate = [{{ to = "expert", probability = 0.2 }}]
shifts = [
  {{ start = "08:00", end = "14:00", servers = {morning} }},
  {{ start = "12:00", end = "18:00", servers = 2 }},
]

[[tier]]
name = "expert"
servers = 2
service = {{ dist = "exponential", mean = 6.0 }}
{extra}"#
    )
}

/// A day with a calendar and shifts, with its report.
fn day_folder(dir: &Path) -> PathBuf {
    let file = write(dir, "day.toml", &day_scenario("report-day", 3, ""));
    let out = dir.join("day");
    run_ok(&["run", &file, "--out", out.to_str().unwrap(), "--report"]);
    out
}

/// The plots over the day, with what each must hold.
const DAY_PLOTS: [(&str, &[&str]); 4] = [
    (
        "plot-day-arrivals",
        &[
            "Arrivals over the day",
            "clients arriving per slot (arrived)",
            "clients per slot, all days (count)",
            "time of day (60-minute slots)",
            "all clients",
            "whiskers: 95% CI",
            "08:00",
            "12:00",
        ],
    ),
    (
        "plot-day-staffing",
        &[
            "Staffing and utilization over the day",
            "front",
            "expert",
            "servers on duty (servers_mean)",
            "servers (time average)",
            "utilization on duty (utilization)",
            "busy / on duty (share)",
            "time of day (60-minute slots)",
            "shaded: 95% CI",
        ],
    ),
    (
        "plot-day-queue",
        &[
            "Queue length over the day",
            "front",
            "expert",
            "clients waiting (queue_len_mean)",
            "clients (time average)",
            "time of day (60-minute slots)",
        ],
    ),
    (
        "plot-day-service",
        &[
            "Service over the day",
            "all clients",
            "service level (service_level)",
            "service-level target 0.8",
            "abandonment rate (abandon_rate)",
            "mean wait (wait_mean)",
            "satisfaction (satisfaction_mean)",
            "score 0–100",
        ],
    ),
];

fn write(dir: &Path, file: &str, content: &str) -> String {
    let path = dir.join(file);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs `args` (a `run`, `sweep` or `compare` with `--report`), asserting
/// success.
fn run_ok(args: &[&str]) -> Output {
    let o = tiersim(args);
    assert!(
        o.status.success(),
        "{args:?}: {}\n{}",
        text(&o.stderr),
        text(&o.stdout)
    );
    o
}

/// A run of one point, with its report.
fn run_folder(dir: &Path) -> PathBuf {
    let file = write(dir, "run.toml", &scenario("report-run", 10, ""));
    let out = dir.join("run");
    run_ok(&["run", &file, "--out", out.to_str().unwrap(), "--report"]);
    out
}

/// A sweep of 3 x 2 points, with its report.
fn sweep_folder(dir: &Path) -> PathBuf {
    let file = write(dir, "sweep.toml", &scenario("report-sweep", 10, SWEEP));
    let out = dir.join("sweep");
    run_ok(&["sweep", &file, "--out", out.to_str().unwrap(), "--report"]);
    out
}

/// A comparison of 10 front-line servers (A) with 12 (B), with its report.
fn compare_folder(dir: &Path) -> PathBuf {
    let a = write(dir, "a.toml", &scenario("report-a", 10, ""));
    let b = write(dir, "b.toml", &scenario("report-b", 12, ""));
    let out = dir.join("compare");
    run_ok(&[
        "compare",
        &a,
        &b,
        "--out",
        out.to_str().unwrap(),
        "--report",
    ]);
    out
}

/// An SVG's `width` and `height` attributes.
fn svg_size(svg: &str) -> (u32, u32) {
    let tag = &svg[svg.find("<svg").expect("an svg element")..];
    let attr = |name: &str| -> u32 {
        let start = tag.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("width"), attr("height"))
}

/// A PNG's size and how many distinct colours it uses.
fn png_info(path: &Path) -> (u32, u32, usize) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = info.color_type.samples();
    let mut colours: Vec<&[u8]> = buf[..info.buffer_size()].chunks(bytes).collect();
    colours.sort();
    colours.dedup();
    (info.width, info.height, colours.len())
}

/// Checks that plot `name` exists as SVG and PNG of the same size, that the
/// PNG is a real picture (many colours: text, lines, fills), and that the
/// SVG holds every string of `series`. Returns the SVG.
fn plot(dir: &Path, name: &str, series: &[&str]) -> String {
    let svg = std::fs::read_to_string(dir.join(format!("{name}.svg")))
        .unwrap_or_else(|e| panic!("{name}.svg: {e}"));
    let (w, h) = svg_size(&svg);
    let (pw, ph, colours) = png_info(&dir.join(format!("{name}.png")));
    assert_eq!((pw, ph), (w, h), "{name}: PNG and SVG sizes differ");
    assert!(colours > 20, "{name}.png has only {colours} colours");
    for s in series {
        assert!(svg.contains(s), "{name}.svg lacks `{s}`");
    }
    svg
}

fn html(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("report.html")).unwrap()
}

/// Every `src` and `href` value in `html`: a self-contained page has only
/// in-page anchors.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" src=\"", " href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest.split('"').next().unwrap_or("").to_string());
        }
    }
    out
}

/// What every report must be: one self-contained, escaped page.
fn assert_self_contained(page: &str) {
    assert!(page.starts_with("<!DOCTYPE html>"));
    let external: Vec<String> = references(page)
        .into_iter()
        .filter(|r| !r.starts_with('#'))
        .collect();
    assert!(external.is_empty(), "external references: {external:?}");
    assert!(!page.contains("@import") && !page.contains("url("));
    assert!(page.contains("Content-Security-Policy"));
    // The segment `<vip>&co` is escaped everywhere, in tables and in SVG.
    assert!(page.contains("&lt;vip&gt;&amp;co"));
    assert!(!page.contains("<vip>"), "an unescaped name");
    assert!(page.contains("<details>") && page.contains("<summary>manifest.json</summary>"));
    assert!(page.contains("@media print") && page.contains("break-inside: avoid"));
}

#[test]
fn a_run_gets_a_cdf_and_segment_bars_and_no_note_on_sweep_plots() {
    let dir = scratch("report-run");
    let out = run_folder(&dir);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenarios"][0]["service_level_threshold"], 0.5);
    plot(
        &out,
        "plot-wait-cdf",
        &[
            "overall",
            "retail",
            "&lt;vip&gt;&amp;co",
            "service-level threshold (0.5 min)",
            "total wait before service (minutes)",
            "share of clients waiting at most x (share)",
            "bands: 95% CI",
        ],
    );
    plot(
        &out,
        "plot-segments",
        &[
            "service level (service_level)",
            "mean wait (wait_mean)",
            "abandonment rate (abandon_rate)",
            "blocked rate (blocked_rate)",
            "satisfaction (satisfaction_mean)",
            "score 0–100",
            "CSAT (csat)",
            "complaints (complaint_rate)",
            "minutes",
            "share",
            "whiskers: 95% CI",
            "retail",
        ],
    );
    for absent in [
        "plot-sweep-service-level.svg",
        "plot-heatmap-service-level.svg",
    ] {
        assert!(!out.join(absent).exists(), "{absent}");
    }
    let page = html(&out);
    assert_self_contained(&page);
    // A run asked for no sweep: no note on the sweep plots it cannot have
    // (a sweep of one point gets one: a_sweep_of_one_point_is_reported...).
    assert!(!page.contains("sweep axis"), "a run's page talks of sweeps");
    // No calendar, no shifts: no plots over the day, and a note why.
    assert!(summary["scenarios"][0].get("slots").is_none());
    assert!(!page.contains("id=\"day\"") && !out.join("plot-day-arrivals.svg").exists());
    assert!(
        page.contains("The plots over the day need a scenario with a [calendar] or tier shifts")
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let hash = manifest["manifest"]["scenario"]["content_hash"]
        .as_str()
        .unwrap();
    assert!(page.contains(hash), "the content hash is shown");
    for metric in [
        "wait_mean",
        "service_level",
        "abandon_rate",
        "sojourn_mean",
        "wait_p90",
        "utilization",
    ] {
        assert!(page.contains(&format!("<td>{metric} (")), "{metric} row");
    }
    // The key metrics are those of summary.json, to the shown precision.
    let wait = summary["scenarios"][0]["overall"]["wait_mean"]["mean"]
        .as_f64()
        .unwrap();
    assert!(page.contains(&format!("{wait:.4} ±")), "wait_mean {wait}");
    assert_eq!(page.matches("<svg role=\"img\"").count(), 2);
}

#[test]
fn a_sweep_gets_lines_against_staffing_and_a_heat_map_with_the_target() {
    let dir = scratch("report-sweep");
    let out = sweep_folder(&dir);
    let combinations = ["expert.servers=3", "expert.servers=4"];
    let mut series = combinations.to_vec();
    series.extend([
        "tier.front.servers (count)",
        "service level (share)",
        "target 0.8 (the default:",
        "error bars: 95% CI",
    ]);
    plot(&out, "plot-sweep-service-level", &series);
    let mut series = combinations.to_vec();
    series.extend(["mean wait (minutes)", "tier.front.servers (count)"]);
    plot(&out, "plot-sweep-wait-mean", &series);
    let heat = plot(
        &out,
        "plot-heatmap-service-level",
        &[
            "tier.front.servers (count)",
            "tier.expert.servers (count)",
            "contour of the target 0.8",
            "the scenario sets no target",
            "service level (share)",
        ],
    );
    // Every point's service level is written in its cell.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for p in summary["scenarios"].as_array().unwrap() {
        let sl = p["overall"]["service_level"]["mean"].as_f64().unwrap();
        assert!(
            heat.contains(&format!("\n{sl:.3}\n")),
            "{sl:.3} in the heat map"
        );
    }
    plot(&out, "plot-wait-cdf", &["overall", "retail"]);
    plot(&out, "plot-segments", &["service_level"]);
    let page = html(&out);
    assert_self_contained(&page);
    assert!(page.contains("All points (overall)"));
    assert!(page.contains("drawn for one point of the 6"));
    assert_eq!(page.matches("<svg role=\"img\"").count(), 5);
}

#[test]
fn a_comparison_gets_a_forest_plot_and_a_verdict_per_metric() {
    let dir = scratch("report-compare");
    let out = compare_folder(&dir);
    let forest = plot(
        &out,
        "plot-forest-clients",
        &[
            "overall: wait_mean",
            "overall: service_level",
            "retail: abandon_rate",
            "B − A in minutes",
            "B − A in share",
            "B significantly better",
            "no significant difference",
        ],
    );
    assert!(!forest.contains("overall: arrived"), "counts are left out");
    // No chatbot and no revenue per sale: 0 in both, left out.
    for zero in ["overall: deflection_rate", "overall: revenue"] {
        assert!(!forest.contains(zero), "{zero} is 0 in both");
    }
    plot(
        &out,
        "plot-forest-tiers",
        &["tier front: utilization", "tier expert: wait_mean"],
    );
    plot(&out, "plot-wait-cdf-1", &["report-a"]);
    plot(&out, "plot-wait-cdf-2", &["report-b"]);
    plot(&out, "plot-segments", &["report-a", "report-b"]);
    let page = html(&out);
    assert_self_contained(&page);
    // Two more front-line servers: waits are significantly shorter, the
    // service level higher; the verdict says so, row by row.
    let row = |metric: &str| -> String {
        let start = page
            .find(&format!("<td>overall</td><td>{metric} ("))
            .unwrap_or_else(|| panic!("no verdict row for {metric}"));
        page[start..].split("</tr>").next().unwrap().to_string()
    };
    assert!(
        row("wait_mean").contains(">better<"),
        "{}",
        row("wait_mean")
    );
    assert!(row("service_level").contains(">better<"));
    assert!(
        row("arrived").contains(">no significant difference<"),
        "same clients"
    );
    assert!(page.contains("Every difference: B (report-b) against A (report-a)"));
    // The answer comes first: the verdict on the headline metrics, before
    // any plot or long table.
    let answer = page
        .find("<section id=\"answer\">")
        .expect("an answer section");
    assert!(
        answer < page.find("<figure").unwrap()
            && answer < page.find("table class=\"verdicts\"").unwrap()
    );
    assert!(
        page[answer..answer + 600].contains("better on"),
        "{}",
        &page[answer..answer + 600]
    );
    // Without a terminal the table is the plain text it always was.
    assert!(!text(&tiersim(&["report", out.to_str().unwrap()]).stdout).contains('\x1b'));
}

#[test]
fn a_sweep_of_one_point_is_reported_with_a_note_not_an_error() {
    let dir = scratch("report-one-point");
    let one = "\n[sweep]\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [11]\n";
    let file = write(&dir, "one.toml", &scenario("report-one", 10, one));
    let out = dir.join("out");
    let o = run_ok(&["sweep", &file, "--out", out.to_str().unwrap(), "--report"]);
    assert!(text(&o.stderr).contains("note: "), "{}", text(&o.stderr));
    assert!(html(&out).contains("need a sweep of two or more points"));
    assert!(!out.join("plot-sweep-service-level.svg").exists());
}

/// A day with a calendar and shifts gets the plots over the day, in their
/// own section of the page, as well as every other plot.
#[test]
fn a_day_with_shifts_gets_plots_over_the_day() {
    let dir = scratch("report-day");
    let out = day_folder(&dir);
    for (name, series) in DAY_PLOTS {
        let mut series = series.to_vec();
        if name != "plot-day-arrivals" {
            // Four replications: every CI band is drawn.
            series.push("95% CI");
        }
        plot(&out, name, &series);
    }
    plot(
        &out,
        "plot-segments",
        &[
            "satisfaction (satisfaction_mean)",
            "CSAT (csat)",
            "abandonment rate (abandon_rate)",
            "complaints (complaint_rate)",
            "&lt;vip&gt;&amp;co",
        ],
    );
    let page = html(&out);
    assert_self_contained(&page);
    assert!(page.contains("<a href=\"#day\">Over the day</a>"));
    let section = &page[page.find("<section id=\"day\"").expect("a day section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("<h2>Over the day</h2>"));
    for (name, _) in DAY_PLOTS {
        assert!(
            section.contains(&format!("data-plot=\"{name}\"")),
            "{name} in the day section"
        );
    }
    assert_eq!(
        page.matches("<svg role=\"img\"").count(),
        2 + DAY_PLOTS.len()
    );
    assert!(!page.contains("The plots over the day need"));
    // The terminal shows each metric's unit, and zero counts without
    // decimals.
    let table = text(
        &tiersim(&[
            "run",
            &dir.join("day.toml").to_string_lossy(),
            "--out",
            &dir.join("again").to_string_lossy(),
        ])
        .stdout,
    );
    for row in [
        "satisfaction_mean (0-100)",
        "csat (%)",
        "handoffs_mean (per client)",
        "arrived (per 2 days)",
        "counts and money are per 2 days",
        "servers_mean (servers)",
        "overtime_minutes (min)",
        "queue_len_mean (clients)",
    ] {
        assert!(table.contains(row), "`{row}` in\n{table}");
    }
    // Rows that are 0 in every group are folded into one line.
    let zero = table
        .lines()
        .find(|l| l.starts_with("zero in every group: "))
        .unwrap_or_else(|| panic!("no folded zero rows in\n{table}"));
    assert!(zero.contains("blocked"), "{zero}");
    assert!(
        !table.lines().any(|l| l.starts_with("blocked (")),
        "{table}"
    );

    // Tolerant of a summary that lacks a slot metric (an older or newer
    // format): that plot is left out; a damaged one is refused.
    let good = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&good).unwrap();
    json["scenarios"][0]["slots"]["overall"]
        .as_object_mut()
        .unwrap()
        .remove("arrived");
    std::fs::write(out.join("summary.json"), json.to_string()).unwrap();
    let o = tiersim(&["report", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!out.join("plot-day-arrivals.svg").exists());
    assert!(out.join("plot-day-staffing.svg").exists());
    json["scenarios"][0]["slots"]["labels"] = serde_json::json!(["00:00"]);
    std::fs::write(out.join("summary.json"), json.to_string()).unwrap();
    refused(&out, "does not have one value per slot (1)");
}

/// A sweep draws the day of its baseline and says so; a comparison draws
/// both scenarios on the same axes, A dashed and B solid.
#[test]
fn the_day_of_a_sweep_is_its_baseline_and_a_comparison_shows_both() {
    let dir = scratch("report-day-sweep");
    let axis = "\n[sweep]\nbaseline = \"tier.expert.servers=3\"\n[[sweep.axis]]\npath = \"tier.expert.servers\"\nvalues = [2, 3]\n";
    let file = write(
        &dir,
        "sweep.toml",
        &day_scenario("report-day-sweep", 3, axis),
    );
    let out = dir.join("sweep");
    run_ok(&["sweep", &file, "--out", out.to_str().unwrap(), "--report"]);
    let svg = plot(&out, "plot-day-staffing", &["(tier.expert.servers=3)"]);
    assert!(!svg.contains("servers=2"));
    let page = html(&out);
    assert!(page.contains("Drawn for point `tier.expert.servers=3` (the baseline) of the 2"));

    let a = write(&dir, "a.toml", &day_scenario("day-a", 2, ""));
    let b = write(&dir, "b.toml", &day_scenario("day-b", 4, ""));
    let out = dir.join("compare");
    run_ok(&[
        "compare",
        &a,
        &b,
        "--out",
        out.to_str().unwrap(),
        "--report",
    ]);
    plot(
        &out,
        "plot-day-staffing",
        &[
            "front — day-a",
            "front — day-b",
            "expert — day-a",
            "expert — day-b",
        ],
    );
    plot(
        &out,
        "plot-day-arrivals",
        &["all clients — day-a", "all clients — day-b"],
    );
    assert!(html(&out).contains("A (day-a) dashed, B (day-b) solid"));
}

/// Making the report again gives the same bytes, and removes the plots
/// of an earlier report that no longer apply.
#[test]
fn the_report_is_the_same_every_time() {
    let dir = scratch("report-again");
    let out = run_folder(&dir);
    let first = std::fs::read(out.join("report.html")).unwrap();
    let png = std::fs::read(out.join("plot-segments.png")).unwrap();
    // A plot of an earlier report that this one does not have goes; other
    // files stay.
    std::fs::write(out.join("plot-heatmap-service-level.svg"), "<svg/>").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = tiersim(&["report", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(out.join("report.html")).unwrap(), first);
    assert_eq!(std::fs::read(out.join("plot-segments.png")).unwrap(), png);
    assert!(!out.join("plot-heatmap-service-level.svg").exists());
    assert!(out.join("notes.txt").exists());
}

/// Runs `tiersim report dir`, expecting exit code 1 with `message` in the
/// error, no panic, and no report written.
fn refused(dir: &Path, message: &str) {
    let before = std::fs::read(dir.join("report.html")).ok();
    let o = tiersim(&["report", dir.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(message), "expected `{message}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read(dir.join("report.html")).ok(),
        before,
        "report.html changed"
    );
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(!name.contains(".tmp"), "a temporary file was left: {name}");
        }
    }
}

#[test]
fn bad_folders_get_a_clear_error_and_no_report() {
    let dir = scratch("report-bad");
    refused(&dir.join("nowhere"), "no such folder");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    refused(&empty, "no results here");

    // A finished run whose files are then damaged in various ways; its
    // good report must survive every failed attempt unchanged.
    let out = run_folder(&dir);
    let good = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&good).unwrap();
    let put = |v: &serde_json::Value| {
        std::fs::write(out.join("summary.json"), serde_json::to_string(v).unwrap()).unwrap()
    };

    json["tool"] = "othersim".into();
    put(&json);
    refused(&out, "written by `othersim`, not by tiersim");
    json["tool"] = "tiersim".into();

    let mut old = json.clone();
    old["scenarios"][0]
        .as_object_mut()
        .unwrap()
        .remove("wait_quantiles");
    put(&old);
    refused(&out, "`scenarios[0]` has no key `wait_quantiles`");
    refused(&out, "older or unknown format");

    let mut old = json.clone();
    old["scenarios"][0]["overall"]
        .as_object_mut()
        .unwrap()
        .remove("service_level");
    put(&old);
    refused(&out, "has no metric `service_level`");

    let mut wrong = json.clone();
    wrong["scenarios"][0]["overall"]["wait_mean"]["mean"] = "fast".into();
    put(&wrong);
    refused(
        &out,
        "`scenarios[0].overall.wait_mean.mean` is not a number",
    );

    std::fs::write(out.join("summary.json"), &good[..good.len() / 2]).unwrap();
    refused(&out, "not valid JSON");

    let mut none = json.clone();
    none["scenarios"] = serde_json::json!([]);
    put(&none);
    refused(&out, "holds no points");

    // summary.json from another run than manifest.json.
    let mut renamed = json.clone();
    renamed["scenarios"][0]["name"] = "someone-else".into();
    put(&renamed);
    refused(&out, "different points");

    // An older summary without the threshold is still reported, with a
    // warning, since everything else is there.
    let mut older = json.clone();
    older["scenarios"][0]
        .as_object_mut()
        .unwrap()
        .remove("service_level_threshold");
    put(&older);
    let o = tiersim(&["report", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(html(&out).contains("does not record the service-level threshold"));

    // A run that was interrupted: only its journal is there.
    std::fs::remove_file(out.join("summary.json")).unwrap();
    refused(&out, "the run did not finish");

    // One shard of a sweep.
    let file = write(&dir, "sweep.toml", &scenario("report-shard", 10, SWEEP));
    let shard = dir.join("shard");
    run_ok(&[
        "sweep",
        &file,
        "--shard",
        "1/2",
        "--out",
        shard.to_str().unwrap(),
    ]);
    refused(&shard, "one shard of a sweep");
    let o = tiersim(&["sweep", &file, "--shard", "1/2", "--report"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--report needs the whole sweep"));
}

/// Finds Debian's Chromium (or `$TIERSIM_CHROMIUM`).
pub(crate) fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TIERSIM_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `url` with `extra` flags and a fresh profile,
/// stopping it after 90 seconds; returns (stdout, stderr).
fn headless(chromium: &Path, work: &Path, extra: &[&str], url: &str) -> (String, String) {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = RUN.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let profile = work.join(format!("profile-{n}"));
    let (out_path, err_path) = (
        work.join(format!("out-{n}.txt")),
        work.join(format!("err-{n}.txt")),
    );
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (
        std::fs::read_to_string(out_path).unwrap_or_default(),
        std::fs::read_to_string(err_path).unwrap_or_default(),
    )
}

/// What the harness page found in the page it framed.
pub(crate) struct Checked {
    pub(crate) console: Vec<String>,
    pub(crate) result: serde_json::Value,
}

/// Opens `page` in headless Chromium inside a harness page and returns the
/// console messages it logged and what the harness found: the harness
/// frames the page (file URLs may read each other with
/// `--allow-file-access-from-files`) and, once everything has loaded,
/// writes into its own DOM, as JSON, every image that did not load
/// (`complete && naturalWidth > 0` fails), every inline SVG plot with its
/// rendered size, every reference to another resource, and the page's
/// height; `--dump-dom` prints that DOM. Console messages (errors,
/// uncaught exceptions, CSP violations, any `console.*` call) reach stderr
/// through `--enable-logging=stderr --v=0` as `CONSOLE` lines.
pub(crate) fn check_in_browser(chromium: &Path, work: &Path, page: &Path) -> Checked {
    let url = format!("file://{}", page.display());
    // Named after the page's folder too, as pages are checked in parallel.
    let folder = page
        .parent()
        .and_then(Path::file_name)
        .unwrap_or_default()
        .to_string_lossy();
    let harness = work.join(format!(
        "harness-{folder}-{}.html",
        page.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(
        &harness,
        format!(
            r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<iframe id="page" src="{url}" style="width:1200px;height:900px"></iframe>
<pre id="result">pending</pre>
<script>
window.addEventListener('load', function () {{
  var out = document.getElementById('result');
  try {{
    var d = document.getElementById('page').contentDocument;
    var images = Array.prototype.slice.call(d.images);
    var plots = Array.prototype.slice.call(d.querySelectorAll('svg[data-plot]'));
    var refs = Array.prototype.slice.call(d.querySelectorAll('[src],[href]'))
      .map(function (e) {{ return e.getAttribute('src') || e.getAttribute('href'); }})
      .filter(function (r) {{ return r.charAt(0) !== '#'; }});
    out.textContent = JSON.stringify({{
      title: d.title,
      images: images.length,
      broken: images.filter(function (i) {{ return !(i.complete && i.naturalWidth > 0); }})
        .map(function (i) {{ return i.getAttribute('src'); }}),
      plots: plots.map(function (s) {{
        var b = s.getBoundingClientRect();
        return {{ plot: s.getAttribute('data-plot'), width: b.width, height: b.height,
                  texts: s.querySelectorAll('text').length }};
      }}),
      references: refs,
      height: d.documentElement.scrollHeight,
      first: (function () {{
        var a = d.getElementById('answer');
        var screen = d.defaultView.innerHeight;
        var tables = Array.prototype.slice.call(d.querySelectorAll('table'))
          .filter(function (t) {{ return t.getBoundingClientRect().top < screen; }})
          .map(function (t) {{ return t.querySelectorAll('tbody tr').length; }});
        return {{ screen: screen, answer_top: a ? a.getBoundingClientRect().top : -1,
                  answer: a ? a.textContent : '', tables: tables,
                  headline_rows: a ? a.querySelectorAll('table.headline tbody tr').length : 0 }};
      }})()
    }});
  }} catch (e) {{ out.textContent = 'ERROR ' + e; }}
}});
</script></body></html>"#
        ),
    )
    .unwrap();
    let (dom, log) = headless(
        chromium,
        work,
        &[
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ],
        &format!("file://{}", harness.display()),
    );
    let console: Vec<String> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let start = dom
        .find("<pre id=\"result\">")
        .unwrap_or_else(|| panic!("the harness did not run on {url}:\n{dom}\n{log}"))
        + "<pre id=\"result\">".len();
    let raw = dom[start..].split("</pre>").next().unwrap();
    let raw = raw
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let result: serde_json::Value = serde_json::from_str(&raw)
        .unwrap_or_else(|e| panic!("harness result for {url}: {e}: {raw}"));
    Checked { console, result }
}

/// Opens each report (a run, a sweep, a comparison, a day with shifts and
/// its plots over the day) in headless Chromium, in parallel:
/// fails on any console message (errors, exceptions, CSP violations) and
/// on any broken image, checks that every plot file is inlined as an SVG
/// that renders at a real size with its text, and that nothing refers to
/// another resource; saves a screenshot of each whole page (printed path)
/// and prints it to PDF. The detector is first shown to work: a page with
/// a console error, an uncaught exception and a missing image must be
/// caught, so a Chromium that stopped logging could not pass silently.
///
/// Without Chromium the test prints a notice and passes, unless `CI=true`
/// (where `.ci/run` installs it), where it fails.
#[test]
fn reports_open_in_a_real_browser_without_errors() {
    let Some(chromium) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is missing on CI: .ci/run should install Debian's chromium");
        }
        eprintln!(
            "\n\n!!!!!!!! NOTICE: chromium not found (/usr/bin/chromium): the report was NOT checked in a browser. \
             Install it with `apt-get install chromium` (as .ci/run does). !!!!!!!!\n"
        );
        return;
    };
    let dir = scratch("report-browser");
    let work = dir.join("chromium");
    std::fs::create_dir_all(&work).unwrap();

    // The negative control, checked while the four reports are made (in
    // parallel, as Chromium and tiersim often wait).
    let broken = work.join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>console.error('control error');</script>\
         <script>throw new Error('control exception');</script></body></html>",
    )
    .unwrap();
    let (control, folders) = std::thread::scope(|s| {
        let control = s.spawn(|| check_in_browser(&chromium, &work, &broken));
        let made = [
            s.spawn(|| run_folder(&dir)),
            s.spawn(|| sweep_folder(&dir)),
            s.spawn(|| compare_folder(&dir)),
            s.spawn(|| day_folder(&dir)),
        ];
        let folders: Vec<PathBuf> = made
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        let control = control
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (control, folders)
    });
    assert!(
        control.console.iter().any(|l| l.contains("control error"))
            && control
                .console
                .iter()
                .any(|l| l.contains("control exception")),
        "the console detector does not work with this chromium: {:?}",
        control.console
    );
    assert_eq!(control.result["broken"].as_array().map(Vec::len), Some(1));

    // Each report checked in parallel.
    std::thread::scope(|s| {
        let checks: Vec<_> = folders
            .iter()
            .map(|out| s.spawn(|| check_report(&chromium, &dir, &work, out)))
            .collect();
        for h in checks {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
    // The day's report had its plots over the day to check.
    let day = folders.last().unwrap();
    for (name, _) in DAY_PLOTS {
        assert!(day.join(format!("{name}.svg")).exists(), "{name}");
    }
}

/// Checks one report in the browser (see
/// [`reports_open_in_a_real_browser_without_errors`]), then saves a
/// screenshot and a print of it.
fn check_report(chromium: &Path, dir: &Path, work: &Path, out: &Path) {
    let page = out.join("report.html");
    let checked = check_in_browser(chromium, work, &page);
    let r = &checked.result;
    assert!(
        checked.console.is_empty(),
        "{}: console: {:#?}",
        page.display(),
        checked.console
    );
    assert_eq!(
        r["broken"],
        serde_json::json!([]),
        "{}: broken images",
        page.display()
    );
    assert_eq!(
        r["references"],
        serde_json::json!([]),
        "{}: external references",
        page.display()
    );
    assert!(r["title"].as_str().unwrap().starts_with("tiersim report: "));
    // The first screen (the frame's 900 px) holds the answer with its
    // verdict, and no table longer than the headline metrics' table.
    let first = &r["first"];
    let top = first["answer_top"].as_f64().unwrap();
    assert!(
        (0.0..first["screen"].as_f64().unwrap() / 2.0).contains(&top),
        "{}: the answer starts at {top} px",
        page.display()
    );
    let answer = first["answer"].as_str().unwrap();
    assert!(
        [
            "Mixed: ",
            "B is better on",
            "B is worse on",
            "No significant difference",
            "targets",
            "No [targets]",
            "points"
        ]
        .iter()
        .any(|v| answer.contains(v)),
        "{}: no verdict in the answer: {answer}",
        page.display()
    );
    let headline = first["headline_rows"].as_u64().unwrap();
    for rows in first["tables"].as_array().unwrap() {
        assert!(
            rows.as_u64().unwrap() <= headline,
            "{}: a table of {rows} rows on the first screen (headline {headline})",
            page.display()
        );
    }
    let mut files: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let stem = n.strip_suffix(".svg")?;
            stem.starts_with("plot-").then(|| stem.to_string())
        })
        .collect();
    files.sort();
    let plots = r["plots"].as_array().unwrap();
    let mut inlined: Vec<String> = plots
        .iter()
        .map(|p| p["plot"].as_str().unwrap_or_default().to_string())
        .collect();
    inlined.sort();
    assert_eq!(inlined, files, "{}: every plot inlined", page.display());
    for p in plots {
        assert!(
            p["width"].as_f64().unwrap() > 300.0
                && p["height"].as_f64().unwrap() > 200.0
                && p["texts"].as_u64().unwrap() > 5,
            "{}: a plot does not render: {p}",
            page.display()
        );
    }
    // A screenshot of the whole page, and a print.
    let height = r["height"].as_f64().unwrap().clamp(800.0, 16000.0) as u32;
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let shot = dir.join(format!("screenshot-{name}.png"));
    let url = format!("file://{}", page.display());
    headless(
        chromium,
        work,
        &[
            &format!("--screenshot={}", shot.display()),
            &format!("--window-size=1280,{height}"),
        ],
        &url,
    );
    let (w, h, colours) = png_info(&shot);
    assert_eq!((w, h), (1280, height));
    assert!(colours > 50, "the screenshot looks blank");
    println!("screenshot of {}: {}", page.display(), shot.display());
    let pdf = dir.join(format!("print-{name}.pdf"));
    headless(
        chromium,
        work,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &url,
    );
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    assert!(
        bytes.starts_with(b"%PDF"),
        "{}: printing failed",
        page.display()
    );
    println!("printed {}: {}", page.display(), pdf.display());
}

/// A chatbot tier in both files, in front of the clients only in B: the
/// route changed although no tier was added, and the first-step metrics
/// are flagged, not headlined.
#[test]
fn sending_clients_to_an_existing_bot_is_a_route_change() {
    let dir = scratch("report-route-share");
    let after = std::fs::read_to_string("scenarios/case-study/after.toml").unwrap();
    let bypass = after.replace("entry = \"chatbot\" ", "entry = \"junior\" ");
    assert_eq!(bypass.matches("entry = \"junior\" ").count(), 3);
    let a = dir.join("bypass.toml");
    std::fs::write(&a, bypass).unwrap();
    // after.toml extends before.toml by a relative path: keep it beside.
    std::fs::copy("scenarios/case-study/before.toml", dir.join("before.toml")).unwrap();
    let b = dir.join("after.toml");
    std::fs::write(&b, after).unwrap();
    let out = dir.join("compare");
    let o = run_ok(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = text(&o.stdout);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(
        summary["scenarios"][0]
            .get("automated_first_share")
            .is_none()
    );
    let share = summary["scenarios"][1]["automated_first_share"]
        .as_f64()
        .unwrap();
    let expected = format!(
        "not comparable, the route changed (B sends {:.0}% of clients to an automated tier first, A 0%)",
        100.0 * share
    );
    assert!(
        share > 0.5 && stdout.contains(&expected),
        "{share}\n{stdout}"
    );
}

/// The case study's compare: a chatbot in front raises the overall
/// service level (it measures the bot) while satisfaction, CSAT and
/// first-contact resolution fall. The answer, in the terminal and in the
/// report, names the losses, flags the first-step metrics as not
/// comparable, and counts no votes.
#[test]
fn the_case_study_compare_headlines_its_losses_and_flags_the_bot_metrics() {
    let dir = scratch("report-case-study");
    let out = dir.join("compare");
    let o = run_ok(&[
        "compare",
        "scenarios/case-study/before.toml",
        "scenarios/case-study/after.toml",
        "--out",
        out.to_str().unwrap(),
        "--report",
    ]);
    let stdout = text(&o.stdout);
    let line = |start: &str| -> String {
        stdout
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` line in\n{stdout}"))
            .to_string()
    };
    let verdict = line("Mixed: ");
    assert!(verdict.contains("worse on satisfaction, CSAT"), "{verdict}");
    assert!(line("worse: ").starts_with("worse: satisfaction 70.5 → 69.0"));
    let flagged = line("not comparable, the route changed (B adds tier chatbot)");
    assert!(
        flagged.contains("first-contact resolution 65.7% → 49.4% worse as measured")
            && flagged.contains("service level 88.5% → 99.7% better as measured"),
        "{flagged}"
    );
    // The bot's service level is not a headline gain; the first staffed
    // tier's is.
    let better = line("better: ");
    assert!(
        better.contains("service level (tier junior)") && !better.contains("service level 88.5%"),
        "{better}"
    );
    // Not comparable as measured, but with a verdict: the same bound on
    // the first tier both routes staff.
    let target = line("target service level >= 80.0%");
    assert!(
        target.contains("not comparable as measured")
            && target.contains("on service level (tier junior), the first tier both routes staff: A 88.5% met, B 99.2% met (by their means): B holds the target where people serve"),
        "{target}"
    );
    assert!(line("target abandonment <= 5.00%").contains("A 10.8% missed, B 1.17% met"));
    assert!(!stdout.contains("better on 88"), "no vote count");
    let page = html(&out);
    let answer = &page[page.find("<section id=\"answer\">").unwrap()..];
    let answer = &answer[..answer.find("</section>").unwrap()];
    assert!(answer.contains("worse on satisfaction"), "{answer}");
    assert!(answer.contains("first-contact resolution 65.7% → 49.4% worse as measured"));
    assert!(!page.contains("In short:"), "the old headline is gone");
}

/// Every client starts at the front line and nobody comes back to it, so
/// the front line's service level is all clients' service level, in A and
/// in B. The compare headline names it once, as `service level` (the
/// target's metric), not again as `service level (tier front)`: in the
/// terminal and in the report's answer table.
#[test]
fn the_compare_headline_names_a_service_level_once() {
    let dir = scratch("report-headline-once");
    let target = "[targets]\nservice_level = 0.8\n";
    let a = write(&dir, "a.toml", &scenario("once-a", 10, target));
    let b = write(&dir, "b.toml", &scenario("once-b", 12, target));
    let out = dir.join("compare");
    let o = run_ok(&[
        "compare",
        &a,
        &b,
        "--out",
        out.to_str().unwrap(),
        "--report",
    ]);
    let stdout = text(&o.stdout);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    // The premise: the two service levels are one number in A and in B.
    for p in summary["scenarios"].as_array().unwrap() {
        let overall = &p["overall"]["service_level"]["mean"];
        assert_eq!(overall, &p["tiers"]["front"]["service_level"]["mean"]);
    }
    let head: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("metric "))
        .collect();
    let verdict = head[1];
    assert!(
        verdict.starts_with("B is better on") && verdict.matches("service level").count() == 1,
        "{verdict}"
    );
    let better = head.iter().find(|l| l.starts_with("better: ")).unwrap();
    assert_eq!(better.matches("service level").count(), 1, "{better}");
    assert!(!stdout.contains("(tier front)"), "{stdout}");
    let also = head
        .iter()
        .find(|l| l.starts_with("also better"))
        .copied()
        .unwrap_or("");
    // All clients' service level is a headline item, so not an "also" one
    // (`service level at the first staffed tier` is another metric).
    let repeated = also.split("; ").any(|i| {
        i.rsplit(": ")
            .next()
            .and_then(|i| i.strip_prefix("service level "))
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    assert!(!repeated, "{also}");
    let page = html(&out);
    let answer = &page[page.find("<section id=\"answer\">").unwrap()..];
    let answer = &answer[..answer.find("</section>").unwrap()];
    assert!(answer.contains("service level") && !answer.contains("tier front"));
}
