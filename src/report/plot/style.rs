//! The look shared by every plot: the palette, markers, legends, titles,
//! tick positions and padded ranges.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DrawResult, FAMILY, text_size};

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

/// Draws an error bar between pixels `top` and `bottom` (or left and
/// right): the line and a 10-pixel cap across it at each end.
pub fn draw_whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: (i32, i32),
    bottom: (i32, i32),
    style: ShapeStyle,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    draw_whisker_capped(area, top, bottom, style, 5)
}

/// Draws an error bar as [`draw_whisker`] does, with caps reaching `half`
/// pixels either side of the line (narrow bars need narrow caps).
pub fn draw_whisker_capped<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: (i32, i32),
    bottom: (i32, i32),
    style: ShapeStyle,
    half: i32,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.draw(&PathElement::new(vec![top, bottom], style))?;
    // Caps across the line: horizontal on an upright whisker, upright on
    // a level one.
    let (dx, dy) = if top.0 == bottom.0 {
        (half, 0)
    } else {
        (0, half)
    };
    for end in [top, bottom] {
        area.draw(&PathElement::new(
            vec![(end.0 - dx, end.1 - dy), (end.0 + dx, end.1 + dy)],
            style,
        ))?;
    }
    Ok(())
}

/// Writes `text` in grey across the middle of the pixel ranges `(xr,
/// yr)` of a plot area: a note such as "0 in every slot".
pub fn note_in_middle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (xr, yr): (std::ops::Range<i32>, std::ops::Range<i32>),
    text: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let note = (FAMILY, LABEL_SIZE + 1.0)
        .into_font()
        .color(&RGBColor(90, 90, 90))
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(
        text,
        ((xr.start + xr.end) / 2, (yr.start + yr.end) / 2),
        note,
    ))?;
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
