//! Sweeps: one scenario file expanded into many scenarios ("points") along
//! `[[sweep.axis]]` axes, each axis naming a field by a dotted path
//! (`tier.junior.servers`, `segment.retail.rate_per_hour`,
//! `tier.front.escalate.expert.probability`) and the values it takes. A file
//! without axes is a sweep of one point. Every point is validated before
//! anything runs.

mod axis;
mod path;

use std::path::Path;

use sha2::{Digest, Sha256};
use toml::{Table, Value};

use super::diagnostics::nearest;
use super::raw::{RawScenario, RawSweep};
use super::remedy::{Choice, Package};
use super::{Checker, Scenario, parse};
use crate::error::Error;
pub use axis::MAX_POINTS;
use axis::{Axis, axes, combine};
pub use path::display;
use path::set_path;
pub(crate) use path::{label, remove_path, set_field};

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

/// Reads a scenario file (merged with the files it `extends`) and expands
/// the sweep of its package (every remedy applied).
pub fn load_sweep(path: &Path) -> Result<Sweep, Error> {
    let package = Package::load(path)?;
    package.sweep(&package.chosen(&Choice::All)?)
}

/// Expands the scenario file's `bytes` (named `file` in messages) into its
/// points; a file that is not text is a scenario error.
pub fn parse_sweep_bytes(bytes: &[u8], file: &str) -> Result<Sweep, Error> {
    parse_sweep(super::text(bytes, file)?, file)
}

/// Expands scenario `source` (named `file` in messages) into its points
/// (the package: every remedy applied).
pub fn parse_sweep(source: &str, file: &str) -> Result<Sweep, Error> {
    let package = Package::from_source(source, file)?;
    package.sweep(&package.chosen(&Choice::All)?)
}

/// Expands scenario `source` (no remedies: applied already) into its
/// points.
pub(crate) fn expand_points(source: &str, file: &str) -> Result<Sweep, Error> {
    let base = parse(source, file)?;
    let raw: RawScenario = toml::from_str(source).expect("parsed once already");
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
    let Some(table) = points_table(&mut checker, source) else {
        return Err(checker.into_error());
    };
    let axes = axes(&mut checker, sweep.get_ref(), &table);
    if !checker.problems.is_empty() {
        return Err(checker.into_error());
    }
    let max = raw
        .run
        .get_ref()
        .limits
        .as_ref()
        .and_then(|l| l.get_ref().points)
        .map_or(MAX_POINTS, |p| usize::try_from(p).unwrap_or(usize::MAX));
    let mut points = Vec::new();
    for combination in combine(&mut checker, sweep, &axes, max) {
        points.extend(point(&mut checker, &table, &axes, &combination, file)?);
    }
    let baseline = baseline(&mut checker, sweep.get_ref(), &points);
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

/// The point taking value `combination[i]` of each axis `i`; `None` when
/// it is not a valid scenario (its problems are recorded against the axes).
fn point(
    checker: &mut Checker<'_>,
    table: &Table,
    axes: &[Axis],
    combination: &[usize],
    file: &str,
) -> Result<Option<Point>, Error> {
    let parameters: Vec<(String, Value)> = axes
        .iter()
        .zip(combination)
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
        Ok(scenario) => Ok(Some(Point {
            name,
            parameters,
            scenario,
        })),
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
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// The index of the `baseline` point, if the sweep names one that exists.
fn baseline(checker: &mut Checker<'_>, sweep: &RawSweep, points: &[Point]) -> Option<usize> {
    let b = sweep.baseline.as_ref()?;
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
}

/// The file as a TOML table without `[sweep]`, from which each point is
/// written; `None` (with the problem recorded) when a value cannot be
/// written back: an integer above `i64::MAX`, which a scenario accepts
/// (`seed`, `max_clients_inside` are u64) but a TOML document cannot hold.
fn points_table(checker: &mut Checker<'_>, source: &str) -> Option<Table> {
    match toml::from_str::<Table>(source) {
        Ok(mut table) => {
            table.remove("sweep");
            Some(table)
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let written = source.get(span.clone()).unwrap_or("").trim();
            let field = dotted_key(source, span.start, &checker.key_at(span.start));
            checker.problem(
                span.clone(),
                field,
                format!(
                    "got {written}, which a sweep cannot write into its points ({}); \
                     allowed in a file with `[[sweep.axis]]`: an integer up to {}",
                    e.message().trim(),
                    i64::MAX
                ),
            );
            None
        }
    }
}

/// `key` (written on the line holding byte `at`) prefixed with the table
/// it is in, as `run.seed`.
fn dotted_key(source: &str, at: usize, key: &str) -> String {
    let table = source[..at.min(source.len())]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim());
    match table {
        Some(t) if !t.is_empty() => format!("{t}.{key}"),
        _ => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::BASE;
    use super::*;
    use crate::model::Servers;

    /// The problems of sweep `source` as (field, message).
    fn refused(source: &str) -> Vec<(String, String)> {
        match parse_sweep(source, "unit.toml") {
            Err(Error::Scenario(e)) => e
                .problems
                .into_iter()
                .map(|p| (p.field, p.message))
                .collect(),
            Err(other) => panic!("not a scenario error: {other}"),
            Ok(_) => panic!("expected problems in:\n{source}"),
        }
    }

    /// [`BASE`] with `sweep` appended.
    fn swept(sweep: &str) -> String {
        format!("{BASE}\n{sweep}\n")
    }

    #[test]
    fn axes_expand_in_order_the_last_fastest() {
        let s = parse_sweep(
            &swept("[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [2, 3]\n[[sweep.axis]]\npath = \"segment.s.rate_per_hour\"\nrange = { start = 1.0, stop = 2.0, step = 0.5 }"),
            "unit.toml",
        )
        .unwrap();
        let names: Vec<&str> = s.points.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names[0], "tier.t.servers=2,segment.s.rate_per_hour=1");
        assert_eq!(names[5], "tier.t.servers=3,segment.s.rate_per_hour=2");
        assert_eq!(
            s.points[5].scenario.model.tiers[0].servers,
            Servers::Fixed(3)
        );
        assert_eq!(s.baseline, None);
        let one = parse_sweep(BASE, "unit.toml").unwrap();
        assert_eq!((one.points.len(), one.points[0].name.as_str()), (1, "unit"));
    }

    #[test]
    fn unsigned_integers_above_i64_are_kept_or_refused_cleanly() {
        let big = BASE.replace(
            "horizon = 100.0",
            "horizon = 100.0\nseed = 9223372036854775808",
        );
        let one = parse_sweep(&big, "unit.toml").unwrap();
        assert_eq!(
            one.points[0].scenario.model.run.seed,
            9_223_372_036_854_775_808
        );
        let problems = refused(&format!(
            "{big}\n[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [2, 3]\n"
        ));
        assert_eq!(
            problems,
            [(
                "run.seed".to_string(),
                "got 9223372036854775808, which a sweep cannot write into its points (u64 value was too large); allowed in a file with `[[sweep.axis]]`: an integer up to 9223372036854775807".to_string()
            )]
        );
    }

    #[test]
    fn refusals() {
        let cases = [
            (
                "[sweep]\nbaseline = \"x\"",
                "sweep.baseline",
                "a baseline needs axes to compare points along",
            ),
            (
                "[sweep]\n[[sweep.axis]]\npath = \"tier.x.servers\"\nvalues = [1]",
                "sweep.axis.tier.x.servers",
                "`tier.x.servers` names no field: no `x` in `tier`; there: `t`",
            ),
            (
                "[sweep]\n[[sweep.axis]]\npath = \"tier.t.name\"\nvalues = [\"u\"]",
                "sweep.axis.tier.t.name",
                "`tier.t.name` cannot be swept: names and the sweep itself are fixed",
            ),
            (
                "[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = []",
                "sweep.axis.tier.t.servers",
                "an empty list of values; allowed: one value or more",
            ),
            (
                "[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [\"two\"]",
                "sweep.axis.tier.t.servers",
                "`tier.t.servers` is an integer in the file; the axis gives a two",
            ),
            (
                "[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nrange = { start = 3, stop = 1, step = 1 }",
                "sweep.axis.tier.t.servers",
                "an empty range (3 to 1 by 1); allowed: start <= stop and step > 0",
            ),
            (
                "[sweep]\ncombine = \"cross\"\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [1]",
                "sweep.combine",
                "unknown combine `cross`; allowed: \"grid\", \"zip\"",
            ),
            (
                "[sweep]\ncombine = \"zip\"\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [1, 2]\n[[sweep.axis]]\npath = \"run.seed\"\nvalues = [1]",
                "sweep.axis.run.seed",
                "1 values, but `tier.t.servers` has 2; with combine = \"zip\" every axis needs the same number",
            ),
            (
                "[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [0, 1]",
                "sweep.axis.tier.t.servers",
                "point `tier.t.servers=0` is not a valid scenario: field `tier.t.servers`: got 0; allowed: an integer >= 1",
            ),
            (
                "[sweep]\nbaseline = \"tier.t.servers=5\"\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [1, 2]",
                "sweep.baseline",
                "no point named `tier.t.servers=5`; points are named like `tier.t.servers=1` (did you mean `tier.t.servers=2`?)",
            ),
        ];
        for (sweep, field, message) in cases {
            assert_eq!(
                refused(&swept(sweep)),
                [(field.to_string(), message.to_string())],
                "{sweep}"
            );
        }
        let too_many = refused(&swept(
            "[sweep]\n[[sweep.axis]]\npath = \"run.seed\"\nrange = { start = 1, stop = 200, step = 1 }\n[[sweep.axis]]\npath = \"tier.t.servers\"\nrange = { start = 1, stop = 51, step = 1 }",
        ));
        assert_eq!(
            too_many,
            [(
                "sweep.axis".to_string(),
                "the axes make 10200 points; allowed: at most 10000 (use fewer values, or split the sweep into several files; raise it with `[run.limits]` `points = 10200`)".to_string()
            )]
        );
    }

    #[test]
    fn the_point_limit_is_raised_or_lowered_in_run_limits() {
        let six = "[sweep]\n[[sweep.axis]]\npath = \"tier.t.servers\"\nvalues = [2, 3, 4, 5, 6, 7]";
        let limited = |points: u64| {
            swept(six).replacen(
                "[run]\n",
                &format!("[run]\nlimits = {{ points = {points} }}\n"),
                1,
            )
        };
        assert_eq!(
            refused(&limited(5)),
            [(
                "sweep.axis".to_string(),
                "the axes make 6 points; allowed: at most 5 (use fewer values, or split the sweep into several files; run.limits.points = 5, default 10000)".to_string()
            )]
        );
        let exactly =
            parse_sweep(&limited(6), "unit.toml").expect("six points within a limit of 6");
        assert_eq!(exactly.points.len(), 6);
        assert_eq!(
            refused(&limited(0)),
            [(
                "run.limits.points".to_string(),
                "got 0, which would refuse every scenario; allowed: a whole number >= 1"
                    .to_string()
            )]
        );
        let raised = swept(
            "[sweep]\n[[sweep.axis]]\npath = \"run.seed\"\nrange = { start = 1, stop = 200, step = 1 }\n[[sweep.axis]]\npath = \"tier.t.servers\"\nrange = { start = 1, stop = 51, step = 1 }",
        )
        .replacen("[run]\n", "[run]\nlimits = { points = 10200 }\n", 1);
        assert_eq!(
            parse_sweep(&raised, "unit.toml").unwrap().points.len(),
            10200
        );
    }
}
