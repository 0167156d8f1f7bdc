//! The heat map of a sweep: the overall service level over two numeric
//! axes, with the contour of the target, one map per combination of the
//! other axes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::sweep::combination;
use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, Keyed, LABEL_SIZE, LEGEND_SIZE, LegendEntry, Marker,
    Target, axis_unit, draw_legend, legend_width, tick, ticks, title,
};
use crate::report::format::MeanCi;
use crate::report::read::Results;
use crate::report::summary::{Param, Point};

/// The overall service level over two numeric axes, with the contour of
/// the target drawn between cells that meet it and cells that do not.
#[derive(Clone, Debug)]
pub struct Heatmap {
    /// Plot title.
    pub title: String,
    /// x axis path.
    pub x_axis: String,
    /// y axis path.
    pub y_axis: String,
    /// Distinct x values, sorted.
    pub xs: Vec<f64>,
    /// Distinct y values, sorted.
    pub ys: Vec<f64>,
    /// `cells[y][x]`: the service level there, `None` where no point was
    /// run (a zipped sweep).
    pub cells: Vec<Vec<Option<MeanCi>>>,
    /// The target whose contour is drawn.
    pub target: Target,
}

/// Viridis, from 0 (dark purple) to 1 (yellow).
fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] = [
        (68, 1, 84),
        (59, 82, 139),
        (33, 145, 140),
        (94, 201, 98),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let f = t * (STOPS.len() - 1) as f64;
    let i = (f.floor() as usize).min(STOPS.len() - 2);
    let u = f - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * u).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl Heatmap {
    /// The heat map of `points` (which share the values of every other
    /// axis) over `x_axis` and `y_axis`.
    pub fn of(
        points: &[&Point],
        x_axis: &str,
        y_axis: &str,
        title: String,
        target: Target,
    ) -> Heatmap {
        let values = |axis: &str| {
            let mut v: Vec<f64> = points
                .iter()
                .filter_map(|p| p.parameter(axis).and_then(Param::number))
                .collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let (xs, ys) = (values(x_axis), values(y_axis));
        let mut cells = vec![vec![None; xs.len()]; ys.len()];
        for p in points {
            let (Some(x), Some(y)) = (
                p.parameter(x_axis).and_then(Param::number),
                p.parameter(y_axis).and_then(Param::number),
            ) else {
                continue;
            };
            let (Some(i), Some(j)) = (
                xs.iter().position(|v| *v == x),
                ys.iter().position(|v| *v == y),
            ) else {
                continue;
            };
            cells[j][i] = p.overall.metric("service_level");
        }
        Heatmap {
            title,
            x_axis: x_axis.to_string(),
            y_axis: y_axis.to_string(),
            xs,
            ys,
            cells,
            target,
        }
    }

    /// The service levels the colours span: the cells' and the target's,
    /// rounded out to 0.05, within [0, 1].
    fn scale(&self) -> (f64, f64) {
        let values = self
            .cells
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.mean)
            .filter(|x| x.is_finite())
            .chain([self.target.value]);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        let lo = ((lo * 20.0).floor() / 20.0).clamp(0.0, 1.0);
        let hi = ((hi * 20.0).ceil() / 20.0).clamp(0.0, 1.0);
        if hi - lo < 0.1 {
            ((lo - 0.05).max(0.0), (hi + 0.05).min(1.0))
        } else {
            (lo, hi)
        }
    }

    fn meets(&self, i: usize, j: usize) -> Option<bool> {
        self.cells[j][i]
            .filter(|v| v.mean.is_finite())
            .map(|v| v.mean >= self.target.value)
    }

    /// Whether any cell meets the target and any misses it (so a contour
    /// exists).
    pub fn has_contour(&self) -> bool {
        let all: Vec<bool> = (0..self.ys.len())
            .flat_map(|j| (0..self.xs.len()).filter_map(move |i| self.meets(i, j)))
            .collect();
        all.contains(&true) && all.contains(&false)
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut lines = self.target.describe().into_iter();
        let mut entries = vec![LegendEntry::line(
            format!("contour of the {}", lines.next().unwrap_or_default()),
            BLACK,
            Marker::None,
        )];
        entries.extend(lines.map(LegendEntry::text));
        entries.push(LegendEntry::text("cells: mean ± 95% CI"));
        entries
    }
}

impl Chart for Heatmap {
    fn size(&self) -> (u32, u32) {
        (980, 600)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let body = title(root, &self.title)?;
        let entries = self.legend();
        let (w, _) = body.dim_in_pixel();
        let side = legend_width(&entries).max(170) as i32 + 24;
        let (plot, legend) = body.split_horizontally(w as i32 - side);
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let xkeys: Vec<f64> = (0..nx).map(|i| i as f64 + 0.5).collect();
        let ykeys: Vec<f64> = (0..ny).map(|j| j as f64 + 0.5).collect();
        let (xs, ys) = (self.xs.clone(), self.ys.clone());
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(56)
            .y_label_area_size(76)
            .build_cartesian_2d(
                Keyed::new(0.0, nx as f64, xkeys),
                Keyed::new(0.0, ny as f64, ykeys),
            )?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(format!("{} ({})", self.x_axis, axis_unit(&self.x_axis)))
            .y_desc(format!("{} ({})", self.y_axis, axis_unit(&self.y_axis)))
            .axis_desc_style((FAMILY, DESC_SIZE))
            .label_style((FAMILY, LABEL_SIZE))
            .x_label_formatter(&|x| {
                xs.get(x.floor().max(0.0) as usize)
                    .map_or(String::new(), |v| tick(*v))
            })
            .y_label_formatter(&|y| {
                ys.get(y.floor().max(0.0) as usize)
                    .map_or(String::new(), |v| tick(*v))
            })
            .draw()?;
        self.draw_cells(root, &mut chart)?;
        self.draw_contour(&mut chart)?;
        // The colour bar, then the legend under it.
        let bar = legend.margin(40, 0, 8, 8);
        let bottom = self.draw_colour_bar(&bar)?;
        draw_legend(&bar.margin(bottom + 24, 0, 0, 0), &entries)?;
        Ok(())
    }
}

/// A heat map's chart: cells on keyed axes.
type HeatChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Keyed, Keyed>>;

impl Heatmap {
    /// Where service level `x` falls on the colour scale, 0 to 1.
    fn shade(&self, x: f64) -> f64 {
        let (lo, hi) = self.scale();
        (x - lo) / (hi - lo)
    }

    /// Draws every cell: its colour, its white border and, when the cell
    /// is large enough, its value.
    fn draw_cells<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &mut HeatChart<'_, DB>,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let cell_px = {
            let a = chart.backend_coord(&(0.0, 0.0));
            let b = chart.backend_coord(&(1.0, 1.0));
            ((b.0 - a.0).abs(), (b.1 - a.1).abs())
        };
        for j in 0..self.ys.len() {
            for i in 0..self.xs.len() {
                let (x, y) = (i as f64, j as f64);
                let value = self.cells[j][i].filter(|v| v.mean.is_finite());
                let fill = value.map_or(RGBColor(225, 225, 225), |v| viridis(self.shade(v.mean)));
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    fill.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    WHITE.stroke_width(1),
                )))?;
                if cell_px.0 >= 48 && cell_px.1 >= 24 {
                    let centre = chart.backend_coord(&(x + 0.5, y + 0.5));
                    self.draw_cell_value(root, value, centre, cell_px.1 >= 48)?;
                }
            }
        }
        Ok(())
    }

    /// Writes a cell's value at pixel `centre` ("not run" without one),
    /// with its ± 95% CI below it when the cell is `tall`.
    fn draw_cell_value<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        value: Option<MeanCi>,
        centre: (i32, i32),
        tall: bool,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let ink = match value {
            Some(v) if self.shade(v.mean) > 0.55 => BLACK,
            Some(_) => WHITE,
            None => RGBColor(90, 90, 90),
        };
        let style = (FAMILY, LABEL_SIZE + 1.0)
            .into_font()
            .color(&ink)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let text = value.map_or("not run".to_string(), |v| format!("{:.3}", v.mean));
        let dy = if tall && value.is_some() { -9 } else { 0 };
        root.draw(&Text::new(text, (centre.0, centre.1 + dy), style))?;
        if let Some(v) = value.filter(|v| v.ci95.is_finite() && v.ci95 > 0.0 && tall) {
            let small = (FAMILY, LABEL_SIZE - 2.0)
                .into_font()
                .color(&ink)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw(&Text::new(
                format!("± {:.3}", v.ci95),
                (centre.0, centre.1 + 10),
                small,
            ))?;
        }
        Ok(())
    }

    /// Draws the contour: the edges between a cell that meets the target
    /// and a neighbour that does not.
    fn draw_contour<DB: DrawingBackend>(&self, chart: &mut HeatChart<'_, DB>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let edge = BLACK.stroke_width(4);
        for j in 0..ny {
            for i in 0..nx {
                let Some(here) = self.meets(i, j) else {
                    continue;
                };
                if i + 1 < nx && self.meets(i + 1, j).is_some_and(|r| r != here) {
                    let x = (i + 1) as f64;
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x, j as f64), (x, j as f64 + 1.0)],
                        edge,
                    )))?;
                }
                if j + 1 < ny && self.meets(i, j + 1).is_some_and(|r| r != here) {
                    let y = (j + 1) as f64;
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(i as f64, y), (i as f64 + 1.0, y)],
                        edge,
                    )))?;
                }
            }
        }
        Ok(())
    }

    /// Draws the colour bar with its ticks and the target's mark; returns
    /// the pixel row where it ends.
    fn draw_colour_bar<DB: DrawingBackend>(
        &self,
        bar: &DrawingArea<DB, Shift>,
    ) -> Result<i32, Box<dyn std::error::Error>>
    where
        DB::ErrorType: 'static,
    {
        let label = (FAMILY, LEGEND_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        bar.draw(&Text::new("service level (share)", (0, 6), label.clone()))?;
        let (top, height, width) = (28, 220, 22);
        let steps = 55;
        for s in 0..steps {
            let y = top + height - (s + 1) * height / steps;
            let t = (s as f64 + 0.5) / steps as f64;
            bar.draw(&Rectangle::new(
                [(0, y), (width, y + height / steps + 1)],
                viridis(t).filled(),
            ))?;
        }
        bar.draw(&Rectangle::new(
            [(0, top), (width, top + height)],
            BLACK.stroke_width(1),
        ))?;
        let (lo, hi) = self.scale();
        for t in ticks(lo, hi, &[], 5) {
            let y = top + height - (self.shade(t) * height as f64).round() as i32;
            bar.draw(&PathElement::new(
                vec![(width, y), (width + 5, y)],
                BLACK.stroke_width(1),
            ))?;
            bar.draw(&Text::new(tick(t), (width + 9, y), label.clone()))?;
        }
        let ty = top + height
            - (self.shade(self.target.value).clamp(0.0, 1.0) * height as f64).round() as i32;
        bar.draw(&PathElement::new(
            vec![(-3, ty), (width + 3, ty)],
            BLACK.stroke_width(4),
        ))?;
        Ok(top + height)
    }
}

/// The heat maps of a sweep: over its first two numeric axes, one per
/// combination of the other axes (at most `limit`), each with its points.
pub fn groups<'a>(
    results: &'a Results,
    x_axis: &str,
    y_axis: &str,
) -> Vec<(String, Vec<&'a Point>)> {
    let others: Vec<&String> = results
        .axes
        .iter()
        .filter(|a| *a != x_axis && *a != y_axis)
        .collect();
    let mut groups: Vec<(String, Vec<&Point>)> = Vec::new();
    for p in &results.points {
        let key = combination(p, &others);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, ps)) => ps.push(p),
            None => groups.push((key, vec![p])),
        }
    }
    groups
}
