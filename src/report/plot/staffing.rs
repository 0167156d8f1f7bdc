//! Staffing by slot of the day (a capacity plan): per tier, the servers of
//! the analytic plan, of the simulated plan and of the whole shifts that
//! cover it, as steps over the day, one panel per tier.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Chart, DESC_SIZE, DrawResult, FAMILY, GRID, LABEL_SIZE, LegendEntry, Marker, colour, tick,
    titled_with_legend,
};

/// Servers per slot of one tier.
#[derive(Clone, Debug, PartialEq)]
pub struct TierStaffing {
    /// Tier name.
    pub tier: String,
    /// The analytic (Erlang) plan.
    pub analytic: Vec<u32>,
    /// The simulated plan.
    pub plan: Vec<u32>,
    /// Servers on duty with whole shifts.
    pub shifts: Vec<u32>,
}

/// The staffing-by-slot chart.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffingChart {
    /// Minutes per slot.
    pub slot_minutes: u32,
    /// One panel per tier.
    pub tiers: Vec<TierStaffing>,
}

impl StaffingChart {
    /// Hours of the day shown: those with servers, and an hour either side.
    fn window(&self) -> (f64, f64) {
        let hours = f64::from(self.slot_minutes) / 60.0;
        let busy: Vec<usize> = self
            .tiers
            .iter()
            .flat_map(|t| {
                (0..t.plan.len()).filter(|&s| t.plan[s] + t.analytic[s] + t.shifts[s] > 0)
            })
            .collect();
        match (busy.iter().min(), busy.iter().max()) {
            (Some(&a), Some(&b)) => (
                (a as f64 * hours - 1.0).max(0.0).floor(),
                ((b + 1) as f64 * hours + 1.0).min(24.0).ceil(),
            ),
            _ => (0.0, 24.0),
        }
    }
}

/// `(x, y)` points of a step line over slots of `hours`.
fn steps(values: &[u32], hours: f64) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .flat_map(|(s, &v)| {
            let y = f64::from(v);
            [(s as f64 * hours, y), ((s + 1) as f64 * hours, y)]
        })
        .collect()
}

impl Chart for StaffingChart {
    fn size(&self) -> (u32, u32) {
        (960, 150 + 260 * self.tiers.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let entries = [
            LegendEntry {
                dashed: true,
                ..LegendEntry::line("analytic plan (Erlang C/A per slot)", GREY, Marker::None)
            },
            LegendEntry::line(
                "simulated plan (meets every target)",
                colour(1),
                Marker::None,
            ),
            LegendEntry::line("whole shifts", colour(2), Marker::None),
        ];
        let body = titled_with_legend(root, "Servers per slot of the day, by tier", &entries)?;
        let panels = body.split_evenly((self.tiers.len().max(1), 1));
        let (x0, x1) = self.window();
        let hours = f64::from(self.slot_minutes) / 60.0;
        for (t, cell) in self.tiers.iter().zip(&panels) {
            let top = t
                .analytic
                .iter()
                .chain(&t.plan)
                .chain(&t.shifts)
                .copied()
                .max()
                .unwrap_or(0);
            let mut chart = ChartBuilder::on(cell)
                .margin(12)
                .caption(t.tier.as_str(), (FAMILY, DESC_SIZE + 1.0))
                .x_label_area_size(44)
                .y_label_area_size(64)
                .build_cartesian_2d(x0..x1, 0.0..f64::from(top) * 1.1 + 1.0)?;
            chart
                .configure_mesh()
                .x_desc("time of day (h)")
                .y_desc("servers")
                .axis_desc_style((FAMILY, DESC_SIZE))
                .label_style((FAMILY, LABEL_SIZE))
                .x_label_formatter(&|x| format!("{:02}:00", *x as u32))
                .y_label_formatter(&|y| tick(*y))
                .max_light_lines(0)
                .bold_line_style(GRID)
                .draw()?;
            chart.draw_series(DashedLineSeries::new(
                steps(&t.analytic, hours),
                8,
                5,
                GREY.stroke_width(2),
            ))?;
            chart.draw_series(LineSeries::new(
                steps(&t.shifts, hours),
                colour(2).stroke_width(2),
            ))?;
            chart.draw_series(LineSeries::new(
                steps(&t.plan, hours),
                colour(1).stroke_width(3),
            ))?;
        }
        Ok(())
    }
}

/// The analytic plan's line colour.
const GREY: RGBColor = RGBColor(120, 120, 120);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_window() {
        assert_eq!(
            steps(&[1, 2], 0.5),
            vec![(0.0, 1.0), (0.5, 1.0), (0.5, 2.0), (1.0, 2.0)]
        );
        let mut plan = vec![0; 24];
        plan[8..12].fill(3);
        let chart = StaffingChart {
            slot_minutes: 60,
            tiers: vec![TierStaffing {
                tier: "front".into(),
                analytic: plan.clone(),
                shifts: plan.clone(),
                plan,
            }],
        };
        assert_eq!(chart.window(), (7.0, 13.0));
        let f = super::super::render("plot-staffing", "t", String::new(), &chart).unwrap();
        assert!(f.svg.contains("front") && !f.png.is_empty());
    }
}
