//! The report's plots, drawn with plotters. Each plot is a [`Chart`] drawn
//! twice, on the SVG backend (inlined in `report.html`, and saved as
//! `.svg`) and on the bitmap backend (saved as `.png`), so both files show
//! the same picture.
//!
//! Bitmap text needs a font: DejaVu Sans (`assets/fonts/`, Bitstream Vera
//! licence) is compiled into the binary and registered with plotters'
//! `ab_glyph` backend, so no system font (nor fontconfig) is needed. SVG
//! text names the generic `sans-serif` family and is rendered by the viewer.
//!
//! Each plot module turns [`Results`](super::load::Results) into charts and
//! notes about what it could not draw; none reads files or knows HTML.

pub mod bars;
pub mod cdf;
pub mod day;
pub mod forest;
pub mod pareto;
pub mod staffing;
pub mod sweep;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Error;
use crate::report::read::Results;
use crate::report::summary::Point;
pub use sweep::Target;

/// The font every plot uses, compiled in.
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The family name the font is registered under (and that SVG text names).
pub const FAMILY: &str = "sans-serif";

/// Registers the font with plotters once; an error if the bytes are not a
/// font (which would be a build problem).
fn font() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the compiled-in font is not a valid TrueType font".to_string())
        })
        .clone()
}

/// What a chart's drawing returns: plotters' errors, boxed.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A plot that can be drawn on any plotters backend.
pub trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws the whole plot on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// Where in the report a plot goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    /// The plots of the results as a whole.
    #[default]
    Plots,
    /// "Over the day": metrics per slot of the day.
    Day,
}

/// One drawn plot.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File name without extension (`plot-wait-cdf`).
    pub file: String,
    /// The report section it belongs in.
    pub section: Section,
    /// Heading in the report.
    pub title: String,
    /// What it shows and how to read it (plain text).
    pub caption: String,
    /// The SVG document.
    pub svg: String,
    /// The PNG file.
    pub png: Vec<u8>,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

/// Every plot of a report, and notes on the plots left out and why.
#[derive(Clone, Debug, Default)]
pub struct Plots {
    /// Drawn plots, in report order.
    pub figures: Vec<Figure>,
    /// Why some plots are not there (plain text).
    pub notes: Vec<String>,
}

/// Draws `chart` as SVG and PNG.
pub fn render(
    file: &str,
    title: &str,
    caption: String,
    chart: &impl Chart,
) -> Result<Figure, Error> {
    let failed = |e: String| Error::Results {
        path: format!("{file}.svg").into(),
        message: format!("cannot draw this plot: {e}"),
    };
    font().map_err(failed)?;
    let (w, h) = chart.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        draw_on(&root, chart).map_err(|e| failed(e.to_string()))?;
    }
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw_on(&root, chart).map_err(|e| failed(e.to_string()))?;
    }
    let png = encode_png(&rgb, w, h).map_err(|e| failed(e.to_string()))?;
    Ok(Figure {
        file: file.to_string(),
        section: Section::Plots,
        title: title.to_string(),
        caption,
        svg,
        png,
        size: (w, h),
    })
}

fn draw_on<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &impl Chart) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    chart.draw(root)?;
    root.present()?;
    Ok(())
}

/// An RGB buffer as a PNG file.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(out)
}

/// Text width and height in pixels at `size` (an estimate from the font's
/// advances; 0 if the font is missing).
pub fn text_size(text: &str, size: f64) -> (u32, u32) {
    if font().is_err() {
        return (0, 0);
    }
    (FAMILY, size).into_font().box_size(text).unwrap_or((0, 0))
}

/// A linear f64 axis whose ticks (and grid lines) are exactly the given
/// positions: category centres of bars and heat-map cells, rows of the
/// forest plot. Labels come from the mesh's label formatter.
#[derive(Clone, Debug)]
pub struct Keyed {
    /// Lowest value.
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// Tick positions.
    pub keys: Vec<f64>,
}

impl Keyed {
    /// An axis over `low..high` with ticks at `keys`.
    pub fn new(low: f64, high: f64, keys: Vec<f64>) -> Keyed {
        Keyed { low, high, keys }
    }
}

impl Ranged for Keyed {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.high - self.low;
        if span <= 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        let share = (value - self.low) / span;
        limit.0 + ((limit.1 - limit.0) as f64 * share).round() as i32
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() && hint.max_num_points() < self.keys.len() {
            return Vec::new();
        }
        self.keys.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.low..self.high
    }
}

/// Colours that stay distinct for colour-blind readers (Okabe and Ito),
/// darkest first; the first is kept for `overall`.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

/// The colour of series `i` (cycling through [`PALETTE`]).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A point marker; series differ in shape as well as colour, so lines that
/// lie on top of each other stay distinguishable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled triangle.
    Triangle,
    /// A filled square.
    Square,
    /// An open circle.
    Ring,
    /// No marker: a line only.
    None,
    /// A filled box (bars).
    Box,
}

impl Marker {
    /// The marker of series `i`.
    pub fn of(i: usize) -> Marker {
        [
            Marker::Circle,
            Marker::Triangle,
            Marker::Square,
            Marker::Ring,
        ][i % 4]
    }
}

/// Draws marker `m` centred at pixel `(x, y)`.
pub fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: Marker,
    (x, y): (i32, i32),
    size: i32,
    colour: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    match m {
        Marker::Circle => area.draw(&Circle::new((x, y), size, colour.filled()))?,
        Marker::Ring => area.draw(&Circle::new((x, y), size, colour.stroke_width(2)))?,
        Marker::Triangle => area.draw(&Polygon::new(
            vec![
                (x, y - size - 1),
                (x - size - 1, y + size),
                (x + size + 1, y + size),
            ],
            colour.filled(),
        ))?,
        Marker::Square | Marker::Box => area.draw(&Rectangle::new(
            [(x - size, y - size), (x + size, y + size)],
            colour.filled(),
        ))?,
        Marker::None => {}
    }
    Ok(())
}

/// One entry of a legend.
#[derive(Clone, Debug)]
pub struct LegendEntry {
    /// Text.
    pub label: String,
    /// Colour of its line or marker.
    pub colour: RGBColor,
    /// Its marker.
    pub marker: Marker,
    /// Whether a line is drawn through the marker.
    pub line: bool,
    /// Whether the line is dashed.
    pub dashed: bool,
}

impl LegendEntry {
    /// A solid line with a marker.
    pub fn line(label: impl Into<String>, colour: RGBColor, marker: Marker) -> LegendEntry {
        LegendEntry {
            label: shorten(&label.into(), LEGEND_CHARS),
            colour,
            marker,
            line: true,
            dashed: false,
        }
    }

    /// A marker alone.
    pub fn marker(label: impl Into<String>, colour: RGBColor, marker: Marker) -> LegendEntry {
        LegendEntry {
            label: shorten(&label.into(), LEGEND_CHARS),
            colour,
            marker,
            line: false,
            dashed: false,
        }
    }

    /// A dashed line.
    pub fn dashed(label: impl Into<String>, colour: RGBColor) -> LegendEntry {
        LegendEntry {
            label: shorten(&label.into(), LEGEND_CHARS),
            colour,
            marker: Marker::None,
            line: true,
            dashed: true,
        }
    }

    /// A line of text only (a heading or an explanation).
    pub fn text(label: impl Into<String>) -> LegendEntry {
        LegendEntry {
            label: shorten(&label.into(), LEGEND_CHARS),
            colour: BLACK,
            marker: Marker::None,
            line: false,
            dashed: false,
        }
    }
}

/// Grid lines at labelled ticks (there are none between ticks).
pub const GRID: RGBColor = RGBColor(222, 222, 222);

/// The longest legend label, in characters; longer ones are cut with `…`
/// (so a legend never crowds out its chart).
pub const LEGEND_CHARS: usize = 40;

/// `s` cut to at most `max` characters, ending in `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Font sizes (pixels) shared by every plot.
pub const TITLE_SIZE: f64 = 22.0;
/// Axis titles.
pub const DESC_SIZE: f64 = 17.0;
/// Tick labels.
pub const LABEL_SIZE: f64 = 15.0;
/// Legend text.
pub const LEGEND_SIZE: f64 = 15.0;
/// Spacing of legend lines.
const LEGEND_LINE: i32 = 22;

/// The width a legend of `entries` needs, in pixels.
pub fn legend_width(entries: &[LegendEntry]) -> u32 {
    entries
        .iter()
        .map(|e| {
            text_size(&e.label, LEGEND_SIZE).0
                + if e.line || e.marker != Marker::None {
                    44
                } else {
                    8
                }
        })
        .max()
        .unwrap_or(0)
        + 16
}

/// The height a legend of `entries` needs, in pixels.
pub fn legend_height(entries: &[LegendEntry]) -> u32 {
    (entries.len() as i32 * LEGEND_LINE + 16) as u32
}

/// Draws a legend into `area` (its own part of the figure, beside the
/// chart, so it never covers data), from the top left, boxed.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if entries.is_empty() {
        return Ok(());
    }
    let w = legend_width(entries) as i32;
    let h = legend_height(entries) as i32;
    area.draw(&Rectangle::new(
        [(0, 0), (w, h)],
        RGBColor(170, 170, 170).stroke_width(1),
    ))?;
    let style = (FAMILY, LEGEND_SIZE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, e) in entries.iter().enumerate() {
        let y = 8 + LEGEND_LINE / 2 + i as i32 * LEGEND_LINE;
        let has_mark = e.line || e.marker != Marker::None;
        if e.line {
            if e.dashed {
                for x in (8..36).step_by(8) {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 5, y)],
                        e.colour.stroke_width(2),
                    ))?;
                }
            } else {
                area.draw(&PathElement::new(
                    vec![(8, y), (36, y)],
                    e.colour.stroke_width(2),
                ))?;
            }
        }
        draw_marker(area, e.marker, (22, y), 4, e.colour)?;
        let x = if has_mark { 44 } else { 8 };
        area.draw(&Text::new(e.label.clone(), (x, y), style.clone()))?;
    }
    Ok(())
}

/// Draws `text` centred at the top of `area` and returns the rest.
pub fn title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let (w, _) = area.dim_in_pixel();
    let style = (FAMILY, TITLE_SIZE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw(&Text::new(shorten(text, 84), (w as i32 / 2, 10), style))?;
    Ok(area.split_vertically(10 + TITLE_SIZE as i32 + 12).1)
}

/// Draws the title and a centred legend at the top of `area` and returns
/// the area below them, for plots made of panels.
pub fn titled_with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    entries: &[LegendEntry],
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let body = title(area, text)?;
    let (legend, panels) = body.split_vertically(legend_height(entries) as i32 + 16);
    let (lw, _) = legend.dim_in_pixel();
    let left = (lw as i32 - legend_width(entries) as i32) / 2;
    draw_legend(&legend.margin(0, 0, left.max(0), 0), entries)?;
    Ok(panels)
}

/// A number for an axis tick: as few decimals as the step between ticks
/// needs.
pub fn tick(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// About `n` round tick positions between `low` and `high` (steps of 1, 2
/// or 5 times a power of ten); the distinct `values` themselves when they
/// are few.
pub fn ticks(low: f64, high: f64, values: &[f64], n: usize) -> Vec<f64> {
    if !values.is_empty() && values.len() <= 15 {
        return values.to_vec();
    }
    let span = high - low;
    if !span.is_finite() || span <= 0.0 {
        return vec![low];
    }
    let raw = span / n.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| span / s <= n as f64)
        .unwrap_or(10.0 * power);
    let first = (low / step).ceil() as i64;
    let last = (high / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// `(low, high)` padded by 5% of the span (or by 1 when the span is 0),
/// never below `floor`.
pub fn padded(low: f64, high: f64, floor: Option<f64>) -> (f64, f64) {
    let (low, high) = if low.is_finite() && high.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let span = high - low;
    let pad = if span > 0.0 { span * 0.05 } else { 1.0 };
    let mut lo = low - pad;
    if let Some(f) = floor {
        lo = lo.max(f);
    }
    (lo, high + pad)
}

/// The unit of a metric, as written on axes: minutes, share, clients or
/// count (and a score, hand-offs per client, servers or currency for the
/// outcome and roster metrics).
pub fn unit(metric: &str) -> &'static str {
    if metric.starts_with("satisfaction") {
        "score 0–100"
    } else if metric == "revenue" {
        "currency"
    } else if metric == "handoffs_mean" {
        "hand-offs per client"
    } else if metric == "servers_mean" {
        "servers"
    } else if metric == "overtime_minutes" {
        "minutes"
    } else if metric == "sales" {
        "count"
    } else if metric.ends_with("_rate")
        || metric == "csat"
        || metric == "fcr"
        || metric == "service_level"
        || metric == "utilization"
        || metric == "wait_p_positive"
    {
        "share"
    } else if metric.starts_with("wait") || metric.starts_with("sojourn") {
        "minutes"
    } else if metric.ends_with("_mean") {
        "clients"
    } else {
        "count"
    }
}

/// The unit of a sweep axis, from its path.
pub fn axis_unit(path: &str) -> &'static str {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last {
        "servers" | "queue_capacity" | "replications" | "priority" | "k" => "count",
        "rate_per_hour" => "clients per hour",
        "probability" => "share",
        "cv" => "coefficient of variation",
        "mean"
        | "low"
        | "high"
        | "horizon"
        | "warmup"
        | "drain_limit"
        | "service_level_threshold" => "minutes",
        _ => "value",
    }
}

/// A short name for an axis path in legends: its last two parts
/// (`tier.senior.servers` → `senior.servers`).
pub fn short_axis(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() <= 2 {
        path.to_string()
    } else {
        parts[parts.len() - 2..].join(".")
    }
}

/// A group label for people: `overall`, a segment's name, `tier <name>`.
pub fn group_label(group: &str) -> String {
    if let Some(s) = group.strip_prefix("segment.") {
        s.to_string()
    } else if let Some(t) = group.strip_prefix("tier.") {
        format!("tier {t}")
    } else {
        group.to_string()
    }
}

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
    let compare = results.comparison.is_some();
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
    let which = |p: &Point| {
        if n > 1 {
            format!(" ({})", p.name)
        } else {
            String::new()
        }
    };

    // Wait-time distributions.
    for (i, p) in several.iter().enumerate() {
        let file = if several.len() > 1 {
            format!("plot-wait-cdf-{}", i + 1)
        } else {
            "plot-wait-cdf".to_string()
        };
        let title = format!("Wait-time distribution{}", which(p));
        let chart = cdf::Cdf::of(p, title.clone());
        let mut caption = "The share of clients (served or abandoned) whose total wait before service, summed over the tiers they visited, was at most x minutes: overall and per segment. ".to_string();
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
        plots.figures.push(render(&file, &title, caption, &chart)?);
    }
    if n > 2 {
        plots.notes.push(format!(
            "The wait-time distribution and the by-segment bars are drawn for one point of the {n}: `{}` ({}); every point's distribution is in summary.json (`wait_quantiles`).",
            several[0].name,
            which_point(several[0], results)
        ));
    }

    // By segment.
    let title = "Clients by segment".to_string();
    let bars = bars::Bars::of(&several, title.clone());
    let missing: Vec<&str> = bars::OUTCOME_METRICS
        .iter()
        .filter(|m| !bars.metrics.contains(m))
        .map(|m| {
            bars::SEGMENT_METRICS
                .iter()
                .find(|(k, _)| k == m)
                .map_or(*m, |(_, t)| *t)
        })
        .collect();
    let names: Vec<&str> = bars
        .metrics
        .iter()
        .map(|m| {
            bars::SEGMENT_METRICS
                .iter()
                .find(|(k, _)| k == m)
                .map_or(*m, |(_, t)| *t)
        })
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

    // Against sweep axes.
    let axes = sweep::numeric_axes(results);
    if n < 2 {
        plots.notes.push(
            "Service level and mean wait against a sweep axis, and the heat map over two axes, need a sweep of two or more points: this run has one point, so they are left out.".into(),
        );
    } else if let Some((x_axis, _)) = axes.first() {
        let mut lines = [
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
        for (metric, file, name, y_desc) in &mut lines {
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
            if *metric == "service_level" {
                chart.target = Some(target.clone());
            }
            let caption = format!(
                "Overall {} of each point against {x_axis}, one line per combination of the other axes; error bars are 95% confidence intervals over replications{}.",
                name.to_lowercase(),
                if *metric == "service_level" {
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
        match axes.get(1) {
            Some((y_axis, _)) => {
                let groups = sweep::heatmap_groups(results, x_axis, y_axis);
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
                    let chart = sweep::Heatmap::of(points, x_axis, y_axis, title.clone(), target.clone());
                    let contour = if chart.has_contour() {
                        "The thick black line separates the cells that meet the target from those that do not."
                    } else {
                        "Every cell is on the same side of the target, so there is no contour."
                    };
                    let caption = format!(
                        "Overall service level (mean ± 95% CI) of each combination of {x_axis} and {y_axis}. {contour} Target: {}{}",
                        tick(target.value),
                        if target.from_scenario { "." } else { ", the documented default, as the scenario sets no target." }
                    );
                    plots.figures.push(render(&file, &title, caption, &chart)?);
                }
            }
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

    // Cost against service level, for a sweep with a cost.
    if n >= 2 && !compare && results.points.iter().all(|p| p.staff_per_hour().is_some()) {
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
    }

    // A comparison.
    if let Some(c) = &results.comparison {
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
                "Each row is one metric's paired difference B − A ({} minus {}) with its 95% confidence interval, {}; coloured and shaded rows are significant (the interval excludes 0). Counts ({skipped}) are left out: they grow with the run's length, and their rates carry the same news; so are metrics that are 0 in both scenarios and differences that are undefined. The verdict table lists every metric.",
                c.b,
                c.a,
                if c.common_random_numbers {
                    "on common random numbers"
                } else {
                    "on independent random streams"
                }
            );
            plots.figures.push(render(file, &title, caption, &chart)?);
        }
    }

    over_the_day(results, focus, target, &mut plots)?;
    Ok(plots)
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
    let n = results.points.len();
    let shown: Vec<&Point> = if results.comparison.is_some() {
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
    };
    let shown = day::Shown::of(&shown);
    if shown.points.is_empty() {
        plots.notes.push(
            "The plots over the day need a scenario with a [calendar] or tier shifts (summary.json then has `slots`); these results have none, so they are left out.".into(),
        );
        return Ok(());
    }
    let slots: Vec<&crate::report::summary::Slots> = shown.points.iter().map(|(_, s)| *s).collect();
    let window = day::window(&slots);
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
    let which = |p: &Point| {
        if n > 1 && results.comparison.is_none() {
            format!(" ({})", p.name)
        } else {
            String::new()
        }
    };
    let suffix = which(shown.points[0].0);
    let chatbots = shown.chatbots();
    let chatbot_note = if chatbots.is_empty() {
        String::new()
    } else {
        format!(
            " Chatbot tiers ({}) have unlimited capacity, so no servers or utilization, and nobody waits there: they are left out.",
            chatbots.join(", ")
        )
    };
    let ci = |bars: bool| {
        if shown.points.iter().all(|(p, _)| p.replications < 2) {
            "One replication: no confidence intervals.".to_string()
        } else if bars {
            "Bars are means over replications, whiskers 95% confidence intervals.".to_string()
        } else {
            "Lines are means over replications, shaded bands 95% confidence intervals.".to_string()
        }
    };
    let mut figures = Vec::new();
    let title = format!("Arrivals over the day{suffix}");
    if let Some(chart) = shown.arrivals(title.clone(), window) {
        let caption = format!(
            "{about}Clients arriving in each slot of the day, counted in the slot they arrived in and summed over all days of the run (only clients arriving after the warm-up). {}",
            ci(true)
        );
        figures.push(render("plot-day-arrivals", &title, caption, &chart)?);
    }
    let title = format!("Staffing and utilization over the day{suffix}");
    if let Some(chart) = shown.staffing(title.clone(), window, &chatbots) {
        let caption = format!(
            "{about}Top: servers on duty per tier, the time average over each slot (the roster less breaks, or the tier's fixed servers). Bottom: utilization, the busy servers over the servers on duty; undefined (a gap) where nobody is on duty. {}{chatbot_note}",
            ci(false)
        );
        figures.push(render("plot-day-staffing", &title, caption, &chart)?);
    }
    let title = format!("Queue length over the day{suffix}");
    if let Some(chart) = shown.queue(title.clone(), window, &chatbots) {
        let caption = format!(
            "{about}Clients waiting in each tier's queue (not in service), the time average over each slot. {}",
            ci(false)
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
            ci(false)
        );
        figures.push(render("plot-day-service", &title, caption, &chart)?);
    }
    for mut f in figures {
        f.section = Section::Day;
        plots.figures.push(f);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_and_units() {
        assert_eq!(tick(0.5), "0.5");
        assert_eq!(tick(2.0), "2");
        assert_eq!(tick(-0.0001), "0");
        assert_eq!(unit("wait_p90"), "minutes");
        assert_eq!(unit("queue_len_mean"), "clients");
        assert_eq!(unit("service_level"), "share");
        assert_eq!(unit("arrived"), "count");
        assert_eq!(unit("servers_mean"), "servers");
        assert_eq!(unit("overtime_minutes"), "minutes");
        assert_eq!(unit("handoffs_mean"), "hand-offs per client");
        assert_eq!(unit("csat"), "share");
        assert_eq!(unit("deflection_rate"), "share");
        assert_eq!(axis_unit("tier.junior.servers"), "count");
        assert_eq!(axis_unit("segment.vip.rate_per_hour"), "clients per hour");
        assert_eq!(short_axis("tier.junior.servers"), "junior.servers");
        assert_eq!(group_label("segment.vip"), "vip");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }

    #[test]
    fn the_font_is_registered_and_measures_text() {
        let (w, h) = text_size("service level", 15.0);
        assert!(w > 50 && h > 5, "{w}x{h}");
    }
}
