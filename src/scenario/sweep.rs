//! Sweeps: one scenario file expanded into many scenarios ("points") along
//! `[[sweep.axis]]` axes, each axis naming a field by a dotted path
//! (`tier.junior.servers`, `segment.retail.rate_per_hour`,
//! `tier.front.escalate.expert.probability`) and the values it takes. A file
//! without axes is a sweep of one point. Every point is validated before
//! anything runs.

use std::ops::Range;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::{Table, Value};

use super::raw::{RawAxis, RawScenario, RawSweep};
use super::{Checker, Scenario, list, nearest, parse};
use crate::error::Error;

/// A scenario file expanded into its points.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The scenario's `name`.
    pub name: String,
    /// SHA-256 of the file's bytes, hex: identifies results on disk.
    pub content_hash: String,
    /// The axis paths, in file order (the parameter columns of outputs).
    pub axes: Vec<String>,
    /// The points, in expansion order (the last axis varies fastest).
    pub points: Vec<Point>,
    /// Index of the point every other one is compared with, if any.
    pub baseline: Option<usize>,
}

/// One concrete scenario of a sweep.
#[derive(Clone, Debug)]
pub struct Point {
    /// Readable name: `path=value,path=value` (the scenario name for a
    /// sweep of one point).
    pub name: String,
    /// The value of each axis, in axis order.
    pub parameters: Vec<(String, Value)>,
    /// The validated scenario.
    pub scenario: Scenario,
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads a scenario file and expands its sweep.
pub fn load_sweep(path: &Path) -> Result<Sweep, Error> {
    let bytes = super::file::read(path)?;
    parse_sweep_bytes(&bytes, &path.display().to_string())
}

/// Expands the scenario file's `bytes` (named `file` in messages) into its
/// points; a file that is not text is a scenario error.
pub fn parse_sweep_bytes(bytes: &[u8], file: &str) -> Result<Sweep, Error> {
    parse_sweep(super::text(bytes, file)?, file)
}

/// Expands scenario `source` (named `file` in messages) into its points.
pub fn parse_sweep(source: &str, file: &str) -> Result<Sweep, Error> {
    let base = parse(source, file)?;
    let raw: RawScenario = toml::from_str(source).expect("parsed once already");
    let mut table: Table = toml::from_str(source).expect("parsed once already");
    table.remove("sweep");
    let name = base.model.name.clone();
    let content_hash = content_hash(source.as_bytes());
    let Some(sweep) = raw.sweep.as_ref().filter(|s| !s.get_ref().axis.is_empty()) else {
        if let Some(b) = raw
            .sweep
            .as_ref()
            .and_then(|s| s.get_ref().baseline.as_ref())
        {
            let mut checker = Checker::new(source, file);
            checker.problem(
                b.span(),
                "sweep.baseline",
                "a baseline needs axes to compare points along",
            );
            return Err(checker.into_error());
        }
        return Ok(Sweep {
            points: vec![Point {
                name: name.clone(),
                parameters: Vec::new(),
                scenario: base,
            }],
            name,
            content_hash,
            axes: Vec::new(),
            baseline: None,
        });
    };
    let mut checker = Checker::new(source, file);
    let axes = axes(&mut checker, sweep.get_ref(), &table);
    if !checker.problems.is_empty() {
        return Err(checker.into_error());
    }
    let combinations = combine(&mut checker, sweep, &axes);
    let mut points = Vec::with_capacity(combinations.len());
    for combination in combinations {
        let parameters: Vec<(String, Value)> = axes
            .iter()
            .zip(&combination)
            .map(|(axis, &i)| (axis.path.clone(), axis.values[i].clone()))
            .collect();
        let name = parameters
            .iter()
            .map(|(p, v)| format!("{p}={}", display(v)))
            .collect::<Vec<_>>()
            .join(",");
        let mut doc = Value::Table(table.clone());
        for (axis, (path, value)) in axes.iter().zip(&parameters) {
            if let Err(message) = set_path(&mut doc, path, value) {
                checker.problem(
                    axis.span.clone(),
                    format!("sweep.axis.{path}"),
                    format!("point `{name}`: {message}"),
                );
            }
        }
        let text = toml::to_string(&doc).expect("a TOML table serialises");
        match parse(&text, &format!("{file} (point {name})")) {
            Ok(scenario) => points.push(Point {
                name,
                parameters,
                scenario,
            }),
            Err(Error::Scenario(e)) => {
                for p in e.problems {
                    // Blame the axis whose path the problem's field starts
                    // with, or the first axis.
                    let axis = axes
                        .iter()
                        .find(|a| p.field.starts_with(&a.path))
                        .unwrap_or(&axes[0]);
                    checker.problem(
                        axis.span.clone(),
                        format!("sweep.axis.{}", axis.path),
                        format!(
                            "point `{name}` is not a valid scenario: field `{}`: {}",
                            p.field, p.message
                        ),
                    );
                }
            }
            Err(other) => return Err(other),
        }
    }
    let baseline = sweep.get_ref().baseline.as_ref().and_then(|b| {
        let found = points.iter().position(|p| &p.name == b.get_ref());
        if found.is_none() {
            let mut message = format!(
                "no point named `{}`; points are named like `{}`",
                b.get_ref(),
                points.first().map_or("", |p| p.name.as_str())
            );
            if let Some(near) = nearest(b.get_ref(), points.iter().map(|p| p.name.as_str())) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            checker.problem(b.span(), "sweep.baseline", message);
        }
        found
    });
    if !checker.problems.is_empty() {
        return Err(checker.into_error());
    }
    Ok(Sweep {
        name,
        content_hash,
        axes: axes.into_iter().map(|a| a.path).collect(),
        points,
        baseline,
    })
}

/// One axis with its values resolved.
struct Axis {
    path: String,
    values: Vec<Value>,
    span: Range<usize>,
}

/// Resolves every axis's values and checks its path against the base file.
fn axes(checker: &mut Checker<'_>, sweep: &RawSweep, table: &Table) -> Vec<Axis> {
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
fn range_values(r: &super::raw::RawRange) -> Result<Vec<Value>, String> {
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

/// The most points a sweep may have: each is a whole scenario, validated
/// and kept in memory before anything runs.
pub const MAX_POINTS: usize = 10_000;

/// Reports a sweep of `points` points, more than [`MAX_POINTS`].
fn too_many(checker: &mut Checker<'_>, sweep: &toml::Spanned<RawSweep>, points: u128) {
    checker.problem(
        sweep.span(),
        "sweep.axis",
        format!(
            "the axes make {points} points; allowed: at most {MAX_POINTS} \
             (use fewer values, or split the sweep into several files)"
        ),
    );
}

/// Cartesian product (`grid`, the last axis varying fastest) or
/// side-by-side (`zip`, all axes of one length) of the axes' value indices.
fn combine(
    checker: &mut Checker<'_>,
    sweep: &toml::Spanned<RawSweep>,
    axes: &[Axis],
) -> Vec<Vec<usize>> {
    let mode = sweep.get_ref().combine.as_ref();
    match mode.map(|m| m.get_ref().as_str()) {
        None | Some("grid") => {
            let points = axes
                .iter()
                .map(|a| a.values.len() as u128)
                .product::<u128>();
            if points > MAX_POINTS as u128 {
                too_many(checker, sweep, points);
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
            if n > MAX_POINTS {
                too_many(checker, sweep, n as u128);
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

/// A value as it appears in a point's name.
pub fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Float(f) => format!("{f}"),
        other => other.to_string(),
    }
}

/// Sets the field at dotted `path` in `doc` to `value`. Array elements are
/// addressed by their `name` (segments, tiers), `to` (escalation routes) or
/// index. The value must have the type of the value it replaces (an integer
/// may stand for a float). A field absent from the file may be set if the
/// scenario format knows it; the point's validation says if it does not.
fn set_path(doc: &mut Value, path: &str, value: &Value) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "`{path}` is not a dotted path like `tier.junior.servers`"
        ));
    }
    if parts[0] == "sweep" || parts.last() == Some(&"name") {
        return Err(format!(
            "`{path}` cannot be swept: names and the sweep itself are fixed"
        ));
    }
    let mut cursor = doc;
    for (depth, part) in parts.iter().enumerate() {
        let last = depth + 1 == parts.len();
        let here = parts[..depth].join(".");
        cursor = match cursor {
            Value::Table(t) => {
                if last {
                    return assign(t, part, value, path);
                }
                if !t.contains_key(*part) {
                    let keys: Vec<&str> = t.keys().map(String::as_str).collect();
                    let mut message = format!(
                        "`{path}` names no field: `{part}` is not in {}; there: {}",
                        if here.is_empty() {
                            "the file".to_string()
                        } else {
                            format!("`{here}`")
                        },
                        list(keys.iter().copied())
                    );
                    if let Some(near) = nearest(part, keys.into_iter()) {
                        message.push_str(&format!(" (did you mean `{near}`?)"));
                    }
                    return Err(message);
                }
                t.get_mut(*part).expect("checked above")
            }
            Value::Array(items) => {
                let label = |v: &Value| {
                    v.get("name")
                        .or_else(|| v.get("to"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                let labels: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| label(v).unwrap_or_else(|| i.to_string()))
                    .collect();
                let index = labels
                    .iter()
                    .position(|l| l == part)
                    .or_else(|| part.parse::<usize>().ok().filter(|i| *i < items.len()));
                match index {
                    Some(i) if !last => &mut items[i],
                    Some(_) => {
                        return Err(format!(
                            "`{path}` names a whole `{here}` entry; name one of its fields"
                        ));
                    }
                    None => {
                        let mut message = format!(
                            "`{path}` names no field: no `{part}` in `{here}`; there: {}",
                            list(labels.iter().map(String::as_str))
                        );
                        if let Some(near) = nearest(part, labels.iter().map(String::as_str)) {
                            message.push_str(&format!(" (did you mean `{near}`?)"));
                        }
                        return Err(message);
                    }
                }
            }
            _ => {
                return Err(format!(
                    "`{path}` names no field: `{here}` is a single value"
                ));
            }
        };
    }
    unreachable!("the loop returns at the last part")
}

/// Sets `table[key] = value`, keeping the field's type.
fn assign(table: &mut Table, key: &str, value: &Value, path: &str) -> Result<(), String> {
    let new = match (table.get(key), value) {
        (None, v) => v.clone(),
        (Some(Value::Float(_)), Value::Integer(i)) => Value::Float(*i as f64),
        (Some(Value::Integer(_)), Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => {
            Value::Integer(*f as i64)
        }
        (Some(old), v) if old.type_str() == v.type_str() => v.clone(),
        (Some(old), v) => {
            return Err(format!(
                "`{path}` is {} {} in the file; the axis gives {} {}",
                article(old.type_str()),
                old.type_str(),
                article(v.type_str()),
                display(v)
            ));
        }
    };
    table.insert(key.to_string(), new);
    Ok(())
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
