//! Which series a figure over the day shows: the points (one, or a
//! comparison's A and B), their tiers and metrics as [`Series`] of panels.

use super::LegendEntry;
use super::day::{Day, Panel, Scale, Series, Style};
use super::day_scale::{coincident, split_by_scale};
use super::{Marker, tick};
use crate::report::summary::{Point, Slots};

/// The points of a figure over the day and how their series are told
/// apart: one point (its tiers by colour), or a comparison's A (dashed) and
/// B (solid).
pub struct Shown<'a> {
    /// Points with their slots, A first.
    pub points: Vec<(&'a Point, &'a Slots)>,
}

impl<'a> Shown<'a> {
    /// The points of `points` that have slots.
    pub fn of(points: &[&'a Point]) -> Shown<'a> {
        Shown {
            points: points
                .iter()
                .filter_map(|p| p.slots.as_ref().map(|s| (*p, s)))
                .collect(),
        }
    }

    fn several(&self) -> bool {
        self.points.len() > 1
    }

    /// A series' label: the group, with the point's name in a comparison.
    fn label(&self, group: &str, point: &Point) -> String {
        if self.several() {
            format!("{group} — {}", point.name)
        } else {
            group.to_string()
        }
    }

    /// Every tier in any shown point, in order of first appearance.
    fn tiers(&self) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for (_, s) in &self.points {
            for (t, _) in &s.tiers {
                if !out.contains(&t.as_str()) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// Tiers that never have a utilization (chatbots: unlimited capacity).
    pub fn chatbots(&self) -> Vec<&'a str> {
        self.tiers()
            .into_iter()
            .filter(|t| {
                self.points.iter().all(|(_, s)| {
                    s.tier(t, "utilization")
                        .is_none_or(|c| c.mean.iter().all(|m| !m.is_finite()))
                })
            })
            .collect()
    }

    /// Series of tier metric `metric`, one per tier (and point), coloured
    /// by tier; tiers in `skip` are left out, as are series undefined in
    /// every slot.
    fn tier_series(&self, metric: &str, skip: &[&str]) -> Vec<Series> {
        let mut out = Vec::new();
        for (k, tier) in self.tiers().into_iter().enumerate() {
            if skip.contains(&tier) {
                continue;
            }
            for (j, (p, s)) in self.points.iter().enumerate() {
                let Some(c) = s.tier(tier, metric) else {
                    continue;
                };
                if c.mean.iter().all(|m| !m.is_finite()) {
                    continue;
                }
                out.push(Series {
                    label: self.label(tier, p),
                    colour: super::colour(k + 1),
                    marker: Marker::of(k),
                    dashed: self.several() && j == 0,
                    slot_minutes: s.slot_minutes,
                    values: c.clone(),
                });
            }
        }
        out
    }

    /// Series of overall metric `metric`, one per point.
    fn overall_series(&self, metric: &str) -> Vec<Series> {
        self.points
            .iter()
            .enumerate()
            .filter_map(|(j, (p, s))| {
                let c = s.overall(metric)?;
                if c.mean.iter().all(|m| !m.is_finite()) {
                    return None;
                }
                Some(Series {
                    label: self.label("all clients", p),
                    colour: super::colour(if self.several() { j + 1 } else { 0 }),
                    marker: Marker::of(j),
                    dashed: self.several() && j == 0,
                    slot_minutes: s.slot_minutes,
                    values: c.clone(),
                })
            })
            .collect()
    }

    /// The x-axis title: the slot length(s).
    fn x_desc(&self) -> String {
        let mut minutes: Vec<String> = self
            .points
            .iter()
            .map(|(_, s)| tick(s.slot_minutes))
            .collect();
        minutes.dedup();
        format!("time of day ({}-minute slots)", minutes.join("/"))
    }

    fn day(&self, title: String, panels: Vec<Panel>, window: (f64, f64)) -> Option<Day> {
        let panels: Vec<Panel> = panels
            .into_iter()
            .flat_map(split_by_scale)
            .filter(|p| !p.series.is_empty())
            .collect();
        let mut notes: Vec<String> = panels.iter().flat_map(coincident).collect();
        notes.dedup();
        (!panels.is_empty()).then(|| Day {
            title,
            window,
            x_desc: self.x_desc(),
            panels,
            notes: notes.into_iter().map(LegendEntry::text).collect(),
        })
    }

    /// Clients arriving per slot (all days of the run together).
    pub fn arrivals(&self, title: String, window: (f64, f64)) -> Option<Day> {
        let mut series = self.overall_series("arrived");
        for (j, s) in series.iter_mut().enumerate() {
            s.colour = super::colour(j + 1);
        }
        let panel = Panel {
            title: "clients arriving per slot (arrived)".into(),
            y_desc: "clients per slot, all days (count)".into(),
            style: Style::Bars,
            scale: Scale::FromZero,
            series,
            target: None,
        };
        self.day(title, vec![panel], window)
    }

    /// Servers on duty and utilization per tier; tiers in `skip` (chatbots)
    /// are left out of the servers panel.
    pub fn staffing(&self, title: String, window: (f64, f64), skip: &[&str]) -> Option<Day> {
        let panels = vec![
            Panel {
                title: "servers on duty (servers_mean)".into(),
                y_desc: "servers (time average)".into(),
                style: Style::Steps,
                scale: Scale::FromZero,
                series: self.tier_series("servers_mean", skip),
                target: None,
            },
            Panel {
                title: "utilization on duty (utilization)".into(),
                y_desc: "busy / on duty (share)".into(),
                style: Style::Lines,
                scale: Scale::Fixed(0.0, 1.0),
                series: self.tier_series("utilization", skip),
                target: None,
            },
        ];
        self.day(title, panels, window)
    }

    /// Clients waiting per tier.
    pub fn queue(&self, title: String, window: (f64, f64), skip: &[&str]) -> Option<Day> {
        let panel = Panel {
            title: "clients waiting (queue_len_mean)".into(),
            y_desc: "clients (time average)".into(),
            style: Style::Lines,
            scale: Scale::FromZero,
            series: self.tier_series("queue_len_mean", skip),
            target: None,
        };
        self.day(title, vec![panel], window)
    }

    /// Service level (with the target), abandonment, mean wait and
    /// satisfaction of all clients, by the slot they arrived in.
    pub fn service(&self, title: String, window: (f64, f64), target: f64) -> Option<Day> {
        let panels = vec![
            Panel {
                title: "service level (service_level)".into(),
                y_desc: "share".into(),
                style: Style::Lines,
                scale: Scale::Fixed(0.0, 1.0),
                series: self.overall_series("service_level"),
                target: Some(target),
            },
            Panel {
                title: "abandonment rate (abandon_rate)".into(),
                y_desc: "share".into(),
                style: Style::Lines,
                scale: Scale::FromZero,
                series: self.overall_series("abandon_rate"),
                target: None,
            },
            Panel {
                title: "mean wait (wait_mean)".into(),
                y_desc: "minutes".into(),
                style: Style::Lines,
                scale: Scale::FromZero,
                series: self.overall_series("wait_mean"),
                target: None,
            },
            Panel {
                title: "satisfaction (satisfaction_mean)".into(),
                y_desc: "score 0–100".into(),
                style: Style::Lines,
                scale: Scale::Fixed(0.0, 100.0),
                series: self.overall_series("satisfaction_mean"),
                target: None,
            },
        ];
        self.day(title, panels, window)
    }
}
