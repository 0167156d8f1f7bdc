//! A sweep's axes: each axis's values (a list or a range), checked against
//! the base file, and how axes combine into points (`grid` or `zip`).

use std::ops::Range;

use toml::{Table, Value};

use super::super::diagnostics::Checker;
use super::super::raw::{RawAxis, RawRange, RawSweep};
use super::path::set_path;

/// One axis with its values resolved.
pub(super) struct Axis {
    /// The dotted path of the field the axis varies.
    pub(super) path: String,
    /// The values it takes.
    pub(super) values: Vec<Value>,
    /// Where its path is written.
    pub(super) span: Range<usize>,
}

/// Resolves every axis's values and checks its path against the base file.
pub(super) fn axes(checker: &mut Checker<'_>, sweep: &RawSweep, table: &Table) -> Vec<Axis> {
    let mut out = Vec::new();
    for axis in &sweep.axis {
        let RawAxis {
            path,
            values,
            range,
        } = axis.get_ref();
        let field = format!("sweep.axis.{}", path.get_ref());
        let resolved = match (values, range) {
            (Some(v), None) => {
                if v.get_ref().is_empty() {
                    checker.problem(
                        v.span(),
                        field.clone(),
                        "an empty list of values; allowed: one value or more",
                    );
                }
                v.get_ref().clone()
            }
            (None, Some(r)) => match range_values(r.get_ref()) {
                Ok(values) => values,
                Err(message) => {
                    checker.problem(r.span(), field.clone(), message);
                    Vec::new()
                }
            },
            _ => {
                checker.problem(
                    axis.span(),
                    field.clone(),
                    "give either `values = [...]` or `range = { start, stop, step }`",
                );
                Vec::new()
            }
        };
        if out.iter().any(|a: &Axis| &a.path == path.get_ref()) {
            checker.problem(path.span(), field.clone(), "this path already has an axis");
        }
        let mut probe = Value::Table(table.clone());
        for v in &resolved {
            if let Err(message) = set_path(&mut probe, path.get_ref(), v) {
                checker.problem(path.span(), field.clone(), message);
                break;
            }
        }
        out.push(Axis {
            path: path.get_ref().clone(),
            values: resolved,
            span: path.span(),
        });
    }
    out
}

/// The value lists of a `range`.
fn range_values(r: &RawRange) -> Result<Vec<Value>, String> {
    let (start, stop, step) = (r.start.get_ref(), r.stop.get_ref(), r.step.get_ref());
    if let (Value::Integer(a), Value::Integer(b), Value::Integer(s)) = (start, stop, step) {
        if *s <= 0 || a > b {
            return Err(format!(
                "an empty range ({a} to {b} by {s}); allowed: start <= stop and step > 0"
            ));
        }
        let count = (b - a) / s + 1;
        if count > 1_000_000 {
            return Err(format!("{count} values; allowed: at most 1,000,000"));
        }
        return Ok((0..count).map(|i| Value::Integer(a + i * s)).collect());
    }
    let number = |v: &Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    let (Some(a), Some(b), Some(s)) = (number(start), number(stop), number(step)) else {
        return Err("start, stop and step must be numbers".into());
    };
    if !(a.is_finite() && b.is_finite() && s.is_finite()) || s <= 0.0 || a > b {
        return Err(format!(
            "an empty range ({a} to {b} by {s}); allowed: finite start <= stop and step > 0"
        ));
    }
    let count = ((b - a) / s + 1e-9).floor() as u64 + 1;
    if count > 1_000_000 {
        return Err(format!("{count} values; allowed: at most 1,000,000"));
    }
    // Multiply rather than accumulate, and round away binary noise so that
    // 0.1 + 2 * 0.1 is written 0.3.
    Ok((0..count)
        .map(|i| {
            let v = a + i as f64 * s;
            let scale = 10f64.powi(12 - v.abs().max(1e-300).log10().ceil() as i32);
            Value::Float((v * scale).round() / scale)
        })
        .collect())
}

/// The most points a sweep may have by default (`run.limits.points` raises
/// or lowers it): each is a whole scenario, validated and kept in memory
/// before anything runs.
pub const MAX_POINTS: usize = 10_000;

/// Reports a sweep of `points` points, more than `max`.
fn too_many(checker: &mut Checker<'_>, sweep: &toml::Spanned<RawSweep>, points: u128, max: usize) {
    let raise = if max == MAX_POINTS {
        format!(
            "raise it with `[run.limits]` `points = {}`",
            points.min(u64::MAX as u128)
        )
    } else {
        format!("run.limits.points = {max}, default {MAX_POINTS}")
    };
    checker.problem(
        sweep.span(),
        "sweep.axis",
        format!(
            "the axes make {points} points; allowed: at most {max} \
             (use fewer values, or split the sweep into several files; {raise})"
        ),
    );
}

/// Cartesian product (`grid`, the last axis varying fastest) or
/// side-by-side (`zip`, all axes of one length) of the axes' value indices.
pub(super) fn combine(
    checker: &mut Checker<'_>,
    sweep: &toml::Spanned<RawSweep>,
    axes: &[Axis],
    max: usize,
) -> Vec<Vec<usize>> {
    let mode = sweep.get_ref().combine.as_ref();
    match mode.map(|m| m.get_ref().as_str()) {
        None | Some("grid") => {
            let points = axes
                .iter()
                .map(|a| a.values.len() as u128)
                .product::<u128>();
            if points > max as u128 {
                too_many(checker, sweep, points, max);
                return Vec::new();
            }
            let mut out = vec![Vec::new()];
            for axis in axes {
                out = out
                    .into_iter()
                    .flat_map(|prefix| {
                        (0..axis.values.len()).map(move |i| {
                            let mut c = prefix.clone();
                            c.push(i);
                            c
                        })
                    })
                    .collect();
            }
            out
        }
        Some("zip") => {
            let n = axes[0].values.len();
            if let Some(other) = axes.iter().find(|a| a.values.len() != n) {
                checker.problem(
                    other.span.clone(),
                    format!("sweep.axis.{}", other.path),
                    format!(
                        "{} values, but `{}` has {n}; with combine = \"zip\" every axis needs the same number",
                        other.values.len(),
                        axes[0].path
                    ),
                );
                return Vec::new();
            }
            if n > max {
                too_many(checker, sweep, n as u128, max);
                return Vec::new();
            }
            (0..n).map(|i| vec![i; axes.len()]).collect()
        }
        Some(other) => {
            let span = mode.map_or(sweep.span(), |m| m.span());
            checker.problem(
                span,
                "sweep.combine",
                format!("unknown combine `{other}`; allowed: \"grid\", \"zip\""),
            );
            Vec::new()
        }
    }
}
