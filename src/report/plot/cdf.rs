//! The wait-time distribution as a CDF: for overall and each segment, the
//! share of clients (served or abandoned) whose total wait was at most x
//! minutes, from `wait_quantiles` in `summary.json`, with the 95% CI of
//! each quantile as a band and the service-level threshold marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, LABEL_SIZE, LegendEntry, Marker, colour,
    draw_legend, draw_marker, legend_width, padded, tick, title,
};
use crate::report::summary::{Curve, Point};

/// The CDF plot of one point.
#[derive(Clone, Debug)]
pub struct Cdf {
    /// Plot title.
    pub title: String,
    /// Probabilities.
    pub p: Vec<f64>,
    /// Curves by label: `overall` first, then segments.
    pub curves: Vec<(String, Curve)>,
    /// Minutes, marked as a vertical line.
    pub threshold: Option<f64>,
    /// The right end of the x-axis shared with the other points' CDFs
    /// (minutes), so compared distributions are drawn on the same scale;
    /// `None`: this plot's own.
    pub shared_high: Option<f64>,
}

impl Cdf {
    /// The CDF plot of `point`.
    pub fn of(point: &Point, title: String) -> Cdf {
        let q = &point.wait_quantiles;
        let curves = match q.segments.as_slice() {
            // One segment is the whole: one curve, not two on top of each other.
            [(only, _)] => vec![(format!("all clients (segment {only})"), q.overall.clone())],
            segments => {
                let mut c = vec![("overall".to_string(), q.overall.clone())];
                c.extend(segments.iter().cloned());
                c
            }
        };
        Cdf {
            title,
            p: q.p.clone(),
            curves,
            threshold: point.service_level_threshold,
            shared_high: None,
        }
    }

    /// Whether any curve has a nonzero confidence interval.
    pub fn has_bands(&self) -> bool {
        self.curves
            .iter()
            .any(|(_, c)| c.ci95.iter().any(|h| h.is_finite() && *h > 0.0))
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = self
            .curves
            .iter()
            .enumerate()
            .map(|(i, (label, _))| LegendEntry::line(label.clone(), colour(i), Marker::Circle))
            .collect();
        if let Some(t) = self.threshold {
            entries.push(LegendEntry::dashed(
                format!("service-level threshold ({} min)", tick(t)),
                RED,
            ));
        }
        if self.has_bands() {
            entries.push(LegendEntry::text("bands: 95% CI"));
        }
        entries
    }

    /// The largest wait this plot must show: the top of every curve's
    /// band, and the threshold with a margin.
    pub fn own_high(&self) -> f64 {
        self.curves
            .iter()
            .flat_map(|(_, c)| {
                c.mean
                    .iter()
                    .zip(&c.ci95)
                    .map(|(m, h)| m + if h.is_finite() { *h } else { 0.0 })
            })
            .filter(|x| x.is_finite())
            .fold(0.0_f64, f64::max)
            .max(self.threshold.map_or(0.0, |t| t * 1.2))
    }

    fn x_range(&self) -> (f64, f64) {
        let high = self.shared_high.unwrap_or_else(|| self.own_high());
        let high = if high > 0.0 { high } else { 1.0 };
        padded(0.0, high, Some(0.0))
    }
}

impl Chart for Cdf {
    fn size(&self) -> (u32, u32) {
        (980, 560)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let body = title(root, &self.title)?;
        let entries = self.legend();
        let (w, _) = body.dim_in_pixel();
        let (plot, legend) = body.split_horizontally(w as i32 - legend_width(&entries) as i32 - 24);
        let (x0, x1) = self.x_range();
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(56)
            .y_label_area_size(76)
            .build_cartesian_2d(x0..x1, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("total wait before service (minutes)")
            .y_desc("share of clients waiting at most x (share)")
            .axis_desc_style((FAMILY, DESC_SIZE))
            .label_style((FAMILY, LABEL_SIZE))
            .x_label_formatter(&|x| tick(*x))
            .y_label_formatter(&|y| tick(*y))
            .max_light_lines(0)
            .bold_line_style(GRID)
            .draw()?;
        for (i, (_, c)) in self.curves.iter().enumerate() {
            let band: Vec<(f64, f64, f64)> = c
                .mean
                .iter()
                .zip(&c.ci95)
                .zip(&self.p)
                .filter(|((m, h), _)| m.is_finite() && h.is_finite() && **h > 0.0)
                .map(|((m, h), p)| ((m - h).max(0.0), m + h, *p))
                .collect();
            if band.len() >= 2 {
                let mut outline: Vec<(f64, f64)> =
                    band.iter().map(|(lo, _, p)| (*lo, *p)).collect();
                outline.extend(band.iter().rev().map(|(_, hi, p)| (*hi, *p)));
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    colour(i).mix(0.14).filled(),
                )))?;
            }
        }
        for (i, (_, c)) in self.curves.iter().enumerate() {
            let points: Vec<(f64, f64)> = c
                .mean
                .iter()
                .zip(&self.p)
                .filter(|(m, _)| m.is_finite())
                .map(|(m, p)| (*m, *p))
                .collect();
            chart.draw_series(LineSeries::new(points.clone(), colour(i).stroke_width(2)))?;
            // A marker where the curve leaves each wait value (not on every
            // quantile of a vertical run, such as the clients who never wait).
            for (k, pt) in points.iter().enumerate() {
                if points.get(k + 1).is_none_or(|next| next.0 != pt.0) {
                    draw_marker(root, Marker::Circle, chart.backend_coord(pt), 3, colour(i))?;
                }
            }
        }
        if let Some(t) = self.threshold {
            chart.draw_series(DashedLineSeries::new(
                vec![(t, 0.0), (t, 1.0)],
                8,
                5,
                RED.stroke_width(2),
            ))?;
        }
        draw_legend(&legend.margin(40, 0, 8, 8), &entries)?;
        Ok(())
    }
}
