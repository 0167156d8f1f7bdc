//! Panels over the day made readable: a tier on a much larger scale than
//! the others (a back office with dozens of servers or a long queue) gets
//! its own panel and scale, so the front-office lines are not flattened at
//! the bottom; series that coincide are named in the panel's title, as
//! they show as one line.

use super::day::{Panel, Scale, Series};

/// How much larger than the median tier's peak a tier's peak must be to
/// be drawn on its own panel.
const SCALE_GAP: f64 = 3.0;

/// A series' tier: series of one tier share its colour (A dashed, B solid).
fn tier_key(s: &Series) -> (u8, u8, u8) {
    (s.colour.0, s.colour.1, s.colour.2)
}

/// The highest finite mean of a series (0 when none).
fn peak(s: &Series) -> f64 {
    s.values
        .mean
        .iter()
        .filter(|m| m.is_finite())
        .fold(0.0_f64, |a, &b| a.max(b))
}

/// `panel`, split in two when some tiers peak at more than [`SCALE_GAP`]
/// times the median tier's peak: those go on a second panel with its own
/// scale (only panels scaled from zero: a share keeps its fixed 0–1
/// axis).
pub fn split_by_scale(panel: Panel) -> Vec<Panel> {
    if !matches!(panel.scale, Scale::FromZero) {
        return vec![panel];
    }
    let mut tiers: Vec<((u8, u8, u8), f64)> = Vec::new();
    for s in &panel.series {
        let k = tier_key(s);
        match tiers.iter_mut().find(|(t, _)| *t == k) {
            Some((_, p)) => *p = p.max(peak(s)),
            None => tiers.push((k, peak(s))),
        }
    }
    let mut peaks: Vec<f64> = tiers.iter().map(|(_, p)| *p).collect();
    peaks.sort_by(f64::total_cmp);
    let median = match peaks.len() {
        0 => return vec![panel],
        n if n % 2 == 1 => peaks[n / 2],
        n => (peaks[n / 2 - 1] + peaks[n / 2]) / 2.0,
    };
    let cut = SCALE_GAP * median;
    if median <= 0.0 || peaks.iter().all(|p| *p > cut) || peaks.iter().all(|p| *p <= cut) {
        return vec![panel];
    }
    let large = |s: &Series| {
        let k = tier_key(s);
        tiers.iter().any(|(t, p)| *t == k && *p > cut)
    };
    let (big, small): (Vec<Series>, Vec<Series>) = panel.series.iter().cloned().partition(large);
    vec![
        Panel {
            series: small,
            ..panel.clone()
        },
        Panel {
            title: format!("{}, larger scale", panel.title),
            series: big,
            ..panel
        },
    ]
}

/// The series of `panel` whose values coincide in every slot, as legend
/// notes (`one line: senior (A) = senior (B)`), since they show as one line.
pub fn coincident(panel: &Panel) -> Vec<String> {
    let same = |a: &Series, b: &Series| {
        a.values.mean.len() == b.values.mean.len()
            && a.values.mean.iter().zip(&b.values.mean).all(|(x, y)| {
                (!x.is_finite() && !y.is_finite()) || (x - y).abs() <= 1e-9 * x.abs().max(1.0)
            })
    };
    let mut notes = Vec::new();
    let mut taken = vec![false; panel.series.len()];
    for i in 0..panel.series.len() {
        if taken[i] {
            continue;
        }
        let mut g = vec![panel.series[i].label.as_str()];
        for (j, other) in panel.series.iter().enumerate().skip(i + 1) {
            if !taken[j] && same(&panel.series[i], other) {
                taken[j] = true;
                g.push(other.label.as_str());
            }
        }
        if g.len() > 1 {
            notes.push(format!("one line: {}", g.join(" = ")));
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plot::Marker;
    use crate::report::plot::day::Style;
    use crate::report::summary::Curve;
    use plotters::style::RGBColor;

    fn series(label: &str, colour: u8, mean: &[f64]) -> Series {
        Series {
            label: label.into(),
            colour: RGBColor(colour, 0, 0),
            marker: Marker::Circle,
            dashed: false,
            slot_minutes: 60.0,
            values: Curve {
                mean: mean.to_vec(),
                ci95: vec![0.0; mean.len()],
            },
        }
    }

    fn panel(series: Vec<Series>, scale: Scale) -> Panel {
        Panel {
            title: "clients waiting".into(),
            y_desc: "clients".into(),
            style: Style::Lines,
            scale,
            series,
            target: None,
        }
    }

    #[test]
    fn a_tier_on_a_much_larger_scale_gets_its_own_panel() {
        let p = panel(
            vec![
                series("junior", 1, &[0.5, 2.0]),
                series("senior", 2, &[0.2, 1.0]),
                series("expert", 4, &[0.1, 0.3]),
                series("credit", 3, &[12.0, 9.0]),
            ],
            Scale::FromZero,
        );
        let split = split_by_scale(p.clone());
        assert_eq!(split.len(), 2);
        let labels = |p: &Panel| p.series.iter().map(|s| s.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&split[0]), ["junior", "senior", "expert"]);
        assert_eq!(labels(&split[1]), ["credit"]);
        assert!(split[1].title.ends_with("larger scale"));
        // Within a factor of four, and a share's fixed axis: one panel.
        let near = panel(
            vec![
                series("a", 1, &[1.0]),
                series("b", 2, &[2.9]),
                series("c", 3, &[2.0]),
            ],
            Scale::FromZero,
        );
        assert_eq!(split_by_scale(near).len(), 1);
        let mut share = p;
        share.scale = Scale::Fixed(0.0, 1.0);
        assert_eq!(split_by_scale(share).len(), 1);
    }

    #[test]
    fn coinciding_lines_are_named() {
        let p = coincident(&panel(
            vec![
                series("senior (A)", 1, &[1.0, f64::NAN]),
                series("senior (B)", 1, &[1.0, f64::NAN]),
                series("junior", 2, &[1.0, 2.0]),
            ],
            Scale::FromZero,
        ));
        assert_eq!(p, ["one line: senior (A) = senior (B)"]);
        assert!(coincident(&panel(vec![series("x", 1, &[1.0])], Scale::FromZero)).is_empty());
    }
}
