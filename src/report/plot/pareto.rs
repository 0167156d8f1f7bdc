//! Cost against service level over the points of a sweep with a `[cost]`:
//! every point with its 95% CI, and the Pareto front (the points no other
//! point beats on both: cheaper or as cheap, and at least as good a
//! service level) marked and joined.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, LABEL_SIZE, LegendEntry, Marker, Target, colour,
    padded, tick, titled_with_legend,
};

/// Indices of the Pareto front of `(cost, service level)` points: no other
/// point has a cost at most its own and a service level at least its own
/// with one of them strictly better. Points with an undefined value are
/// never on it. In increasing cost.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<usize> {
    let ok = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| ok(&points[i]))
        .filter(|&i| {
            let (c, s) = points[i];
            !points
                .iter()
                .any(|q| ok(q) && q.0 <= c && q.1 >= s && (q.0 < c || q.1 > s))
        })
        .collect();
    front.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
    front
}

/// The plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Pareto {
    /// Title.
    pub title: String,
    /// Per point: name, staff cost per hour, service level and its 95% CI.
    pub points: Vec<(String, f64, f64, f64)>,
    /// The service-level target.
    pub target: Target,
}

impl Pareto {
    /// The axes' ranges: every point's cost across, and up every
    /// whisker and the target (a share at most 1), padded.
    fn ranges(&self, xy: &[(f64, f64)]) -> ((f64, f64), (f64, f64)) {
        let xs: Vec<f64> = xy.iter().map(|p| p.0).filter(|v| v.is_finite()).collect();
        let ys: Vec<f64> = self
            .points
            .iter()
            .flat_map(|p| [p.2 - p.3, p.2 + p.3])
            .chain([self.target.value])
            .filter(|v| v.is_finite())
            .collect();
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (
            padded(min(&xs), max(&xs), None),
            padded(min(&ys), max(&ys).min(1.0), None),
        )
    }
}

impl Chart for Pareto {
    fn size(&self) -> (u32, u32) {
        (960, 620)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let xy: Vec<(f64, f64)> = self.points.iter().map(|p| (p.1, p.2)).collect();
        let front = pareto_front(&xy);
        let target = self.target.describe().join(" ");
        let entries = [
            LegendEntry::line("Pareto front", colour(2), Marker::Circle),
            LegendEntry {
                line: false,
                ..LegendEntry::line("other points (95% CI)", colour(7), Marker::Ring)
            },
            LegendEntry {
                dashed: true,
                marker: Marker::None,
                ..LegendEntry::line(target, RED, Marker::None)
            },
        ];
        let body = titled_with_legend(root, &self.title, &entries)?;
        let finite = |v: f64| v.is_finite();
        let ((x0, x1), (y0, y1)) = self.ranges(&xy);
        let mut chart = ChartBuilder::on(&body)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(76)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc("staff cost per hour")
            .y_desc("service level (share)")
            .axis_desc_style((FAMILY, DESC_SIZE))
            .label_style((FAMILY, LABEL_SIZE))
            .x_label_formatter(&|x| tick(*x))
            .y_label_formatter(&|y| tick(*y))
            .max_light_lines(0)
            .bold_line_style(GRID)
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            vec![(x0, self.target.value), (x1, self.target.value)],
            8,
            5,
            RED.stroke_width(2),
        ))?;
        for (i, p) in self.points.iter().enumerate() {
            if !(finite(p.1) && finite(p.2)) {
                continue;
            }
            let c = if front.contains(&i) {
                colour(2)
            } else {
                colour(7)
            };
            let h = if finite(p.3) { p.3 } else { 0.0 };
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(p.1, p.2 - h), (p.1, p.2 + h)],
                c.stroke_width(1),
            )))?;
            if front.contains(&i) {
                chart.draw_series(std::iter::once(Circle::new((p.1, p.2), 5, c.filled())))?;
            } else {
                chart.draw_series(std::iter::once(Circle::new(
                    (p.1, p.2),
                    4,
                    c.stroke_width(2),
                )))?;
            }
        }
        chart.draw_series(LineSeries::new(
            front.iter().map(|&i| xy[i]),
            colour(2).stroke_width(2),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_keeps_only_undominated_points() {
        let points = [
            (10.0, 0.70),     // 0: cheapest
            (12.0, 0.65),     // 1: dearer and worse than 0
            (15.0, 0.85),     // 2
            (15.0, 0.80),     // 3: as dear as 2, worse
            (20.0, 0.95),     // 4: best service
            (25.0, 0.95),     // 5: dearer than 4, same service
            (f64::NAN, 0.99), // 6: undefined cost
        ];
        assert_eq!(pareto_front(&points), vec![0, 2, 4]);
        // Equal points do not dominate each other.
        assert_eq!(pareto_front(&[(1.0, 0.5), (1.0, 0.5)]), vec![0, 1]);
        assert!(pareto_front(&[]).is_empty());
    }
}
