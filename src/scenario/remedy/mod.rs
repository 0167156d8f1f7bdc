//! `[[remedy]]`: a named change on top of a scenario. A remedy `set`s
//! fields by the dotted paths `[sweep]` axes use
//! (`set = { "tier.junior.servers" = 11 }`), `add`s whole entries
//! (`[[remedy.add.tier]]`, a chatbot tier) and `remove`s entries or fields
//! (`remove = ["tier.credit.shifts"]`). A file with remedies describes the
//! package "base + every remedy"; any subset of them (the remedies in file
//! order) is a scenario of its own, on the same clients. Two remedies may
//! not touch the same part of the file, so the order they are applied in
//! never matters. Works on TOML tables, before validation.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use toml::{Table, Value};

use super::diagnostics::{list, nearest};
use super::extend::{self, Layer, blame, render};
use super::sensitivity::{self, Parameter, with_defaults};
use super::sweep::{Sweep, expand_points, set_field};
use super::{Scenario, parse};
use crate::error::Error;

mod table;

pub(super) use table::flatten;
pub use table::{MAX_REMEDIES, Remedy};
use table::{apply, overlap, overlaps, remedies};

/// Which of a file's remedies a run applies.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Choice {
    /// Every remedy: the package.
    #[default]
    All,
    /// Only these.
    Only(Vec<String>),
    /// All but these.
    Without(Vec<String>),
}

/// A scenario file with its remedies, ready to make any subset of them.
#[derive(Clone, Debug)]
pub struct Package {
    /// The file as the user named it.
    pub file: String,
    /// The remedies, in file order.
    pub remedies: Vec<Remedy>,
    /// The scenario without any remedy (and without `[[remedy]]`).
    base: Table,
    /// The file's text when nothing was merged and it has no remedies: it
    /// is then parsed as written.
    plain: Option<String>,
    /// The files of the `extends` chain, the base first.
    layers: Vec<Layer>,
    /// The `[sensitivity]` ranges the file gives.
    ranges: Vec<Parameter>,
    /// Whether `--sensitivity` also varies the documented default ranges.
    defaults: bool,
}

impl Package {
    /// Reads the scenario file at `path`, merged with the files it
    /// `extends`, and checks its remedies.
    pub fn load(path: &Path) -> Result<Package, Error> {
        let bytes = super::file::read(path)?;
        let file = path.display().to_string();
        let text = super::text(&bytes, &file)?;
        match extend::expand(path, text)? {
            Some(x) => {
                // The merged text was written from a table: it reads back.
                let table = toml::from_str(&x.text).unwrap_or_default();
                Package::new(file, table, x.layers().to_vec(), None)
            }
            None => Package::from_source(text, &file),
        }
    }

    /// Scenario `source` (named `file`) with its remedies checked.
    pub fn from_source(source: &str, file: &str) -> Result<Package, Error> {
        let layers = vec![Layer::new(file, source)];
        match toml::from_str::<Table>(source) {
            Ok(table) if table.contains_key("remedy") || table.contains_key("sensitivity") => {
                Package::new(file.to_string(), table, layers, None)
            }
            _ => Ok(Package {
                file: file.to_string(),
                remedies: Vec::new(),
                base: Table::new(),
                plain: Some(source.to_string()),
                layers,
                ranges: Vec::new(),
                defaults: true,
            }),
        }
    }

    /// The package of merged `table` (its `[[remedy]]` tables checked).
    fn new(
        file: String,
        mut table: Table,
        layers: Vec<Layer>,
        plain: Option<String>,
    ) -> Result<Package, Error> {
        let mut problems = Vec::new();
        let remedies = match table.remove("remedy") {
            Some(r) => remedies(&r, &layers, &mut problems),
            None => Vec::new(),
        };
        overlaps(&remedies, &mut problems);
        let (ranges, defaults) =
            sensitivity::parameters(table.remove("sensitivity").as_ref(), &layers, &mut problems);
        let package = Package {
            file,
            remedies,
            base: table,
            plain,
            layers,
            ranges,
            defaults,
        };
        if !problems.is_empty() {
            return Err(render(&package.layers, problems));
        }
        package.each_alone()?;
        package.ranges_valid()?;
        Ok(package)
    }

    /// Applies each end of each `[sensitivity]` range of the file to the
    /// package and validates the result, so that a path naming nothing or a
    /// value the field does not allow is refused before anything runs.
    fn ranges_valid(&self) -> Result<(), Error> {
        let all = vec![true; self.remedies.len()];
        let mut problems = Vec::new();
        for p in &self.ranges {
            for x in [p.low, p.high] {
                match self.sweep_with(&all, &[(p, x)]) {
                    Err(Error::Scenario(e)) => {
                        let (layer, span) = p.at.clone().unwrap_or((self.layers.len() - 1, 0..0));
                        for problem in e.problems {
                            let message = if problem.field.starts_with("sensitivity.") {
                                problem.message
                            } else {
                                format!(
                                    "at {x} the scenario is not valid: field `{}`: {}",
                                    problem.field, problem.message
                                )
                            };
                            let field = format!("sensitivity.ranges.{}", p.path);
                            problems.push((layer, span.clone(), field, message));
                        }
                        break;
                    }
                    Err(other) => return Err(other),
                    Ok(_) => {}
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(render(&self.layers, problems))
        }
    }

    /// Applies each remedy alone to the base and validates the result, so
    /// that a path naming nothing, a value of the wrong type or one the
    /// scenario does not allow is refused before anything runs (at the
    /// remedy's line when the problem is in a field it changes).
    fn each_alone(&self) -> Result<(), Error> {
        for i in 0..self.remedies.len() {
            let chosen: Vec<bool> = (0..self.remedies.len()).map(|j| j == i).collect();
            self.sweep(&chosen)?;
        }
        Ok(())
    }

    /// Which remedies `choice` applies, in file order; refused when it
    /// names a remedy the file does not have.
    pub fn chosen(&self, choice: &Choice) -> Result<Vec<bool>, Error> {
        let (names, flag, keep) = match choice {
            Choice::All => return Ok(vec![true; self.remedies.len()]),
            Choice::Only(n) => (n, "--only", true),
            Choice::Without(n) => (n, "--without", false),
        };
        let known: Vec<&str> = self.remedies.iter().map(|r| r.name.as_str()).collect();
        let mut problems = Vec::new();
        for n in names {
            if !known.contains(&n.as_str()) {
                let mut message = format!(
                    "{flag} {n}: no remedy named `{n}`; allowed: {}",
                    if known.is_empty() {
                        "none (the file has no `[[remedy]]`)".to_string()
                    } else {
                        list(known.iter().copied())
                    }
                );
                if let Some(near) = nearest(n, known.iter().copied()) {
                    message.push_str(&format!(" (did you mean `{near}`?)"));
                }
                problems.push(message);
            }
        }
        if !problems.is_empty() {
            return Err(self.refuse(problems));
        }
        Ok(self
            .remedies
            .iter()
            .map(|r| names.contains(&r.name) == keep)
            .collect())
    }

    /// A refusal of what the command line asks of the remedies
    /// (`messages`), placed at the file's `[[remedy]]` tables.
    pub fn refuse(&self, messages: Vec<String>) -> Error {
        let top = self.layers.len() - 1;
        let span = self.layers[top].span("remedy").unwrap_or(0..0);
        let placed = messages
            .into_iter()
            .map(|m| (top, span.clone(), "remedy".to_string(), m))
            .collect();
        render(&self.layers, placed)
    }

    /// The scenario with the `chosen` remedies applied, as TOML (the file
    /// as written when it has no remedies and extends nothing).
    pub fn text(&self, chosen: &[bool]) -> Result<String, Error> {
        self.text_with(chosen, &[])
    }

    /// [`Package::text`] with each parameter of `overrides` set to its
    /// value (a parameter a remedy sets only where that remedy is applied).
    pub fn text_with(
        &self,
        chosen: &[bool],
        overrides: &[(&Parameter, f64)],
    ) -> Result<String, Error> {
        let top = self.layers.len() - 1;
        let base = match &self.plain {
            Some(source) if overrides.is_empty() => return Ok(source.clone()),
            Some(source) => toml::from_str(source).map_err(|e| {
                let message = format!("the scenario cannot be read as a table: {e}");
                render(&self.layers, vec![(top, 0..0, String::new(), message)])
            })?,
            None => self.base.clone(),
        };
        let mut doc = Value::Table(base);
        let mut problems = Vec::new();
        for (r, _) in self.remedies.iter().zip(chosen).filter(|(_, c)| **c) {
            if let Err((at, message)) = apply(&mut doc, r) {
                let (_, span, field) = r.touches[at].clone();
                problems.push((r.layer, span, field, message));
            }
        }
        for &(p, x) in overrides {
            if self.owner(&p.path).is_some_and(|i| !chosen[i]) {
                continue;
            }
            if let Err(message) = set_field(&mut doc, &p.path, &Value::Float(x), "the range") {
                let (layer, span) = p.at.clone().unwrap_or((top, 0..0));
                let message = format!("the {} range of `{}`: {message}", p.source, p.path);
                problems.push((
                    layer,
                    span,
                    format!("sensitivity.ranges.{}", p.path),
                    message,
                ));
            }
        }
        if !problems.is_empty() {
            return Err(render(&self.layers, problems));
        }
        toml::to_string(&doc).map_err(|e| {
            let message = format!("the scenario cannot be written as TOML: {e}");
            render(&self.layers, vec![(top, 0..0, String::new(), message)])
        })
    }

    /// The remedy that sets (part of) dotted `path`, if one does.
    pub fn owner(&self, path: &str) -> Option<usize> {
        self.remedies
            .iter()
            .position(|r| r.touches.iter().any(|(t, _, _)| overlap(t, path)))
    }

    /// The parameters `--sensitivity` varies: the file's `[sensitivity]`
    /// ranges, then the documented default ranges (unless
    /// `defaults = false`; continuity's only when the base has books), then
    /// the documented ASSUMPTION defaults the package holds at its own
    /// paths ([`sensitivity::path_defaults`]).
    pub fn sensitivity(&self) -> Vec<Parameter> {
        let none = vec![false; self.remedies.len()];
        let books = self.sweep(&none).is_ok_and(|s| {
            s.points
                .iter()
                .all(|p| p.scenario.model.segments.iter().any(|g| g.book.is_some()))
        });
        let all = vec![true; self.remedies.len()];
        let paths = self
            .text_with(&all, &[])
            .ok()
            .and_then(|text| toml::from_str::<Table>(&text).ok())
            .map_or_else(Vec::new, |doc| sensitivity::path_defaults(&doc));
        with_defaults(&self.ranges, self.defaults, books, &paths)
    }

    /// The sweep of the scenario with the `chosen` remedies applied.
    pub fn sweep(&self, chosen: &[bool]) -> Result<Sweep, Error> {
        self.sweep_with(chosen, &[])
    }

    /// [`Package::sweep`] with the parameters of `overrides` set.
    pub fn sweep_with(
        &self,
        chosen: &[bool],
        overrides: &[(&Parameter, f64)],
    ) -> Result<Sweep, Error> {
        let text = self.text_with(chosen, overrides)?;
        if self.plain.is_some() && overrides.is_empty() {
            return expand_points(&text, &self.file);
        }
        let mut layers = self.blame_layers(chosen);
        let spans: BTreeMap<String, Range<usize>> = overrides
            .iter()
            .filter_map(|(p, _)| p.at.as_ref().map(|(_, s)| (p.path.clone(), s.clone())))
            .collect();
        let top = layers.len() - 1;
        layers.push(layers[top].with_spans(spans));
        expand_points(&text, &self.file).map_err(|e| blame(&layers, e))
    }

    /// The scenario (no sweep) with the `chosen` remedies applied.
    pub fn scenario(&self, chosen: &[bool]) -> Result<Scenario, Error> {
        let text = self.text(chosen)?;
        parse(&text, &self.file).map_err(|e| self.blame(chosen, e))
    }

    /// `error`, found in [`Package::text`] of the `chosen` remedies, with
    /// each problem placed in the file of the `extends` chain (or the
    /// remedy) that writes its field, at that line: the merged text's lines
    /// are no file's. A file merged with nothing is its own text.
    pub fn blame(&self, chosen: &[bool], error: Error) -> Error {
        if self.plain.is_some() {
            return error;
        }
        blame(&self.blame_layers(chosen), error)
    }

    /// The files of the chain, then one layer per chosen remedy placing the
    /// paths it touches at its lines.
    fn blame_layers(&self, chosen: &[bool]) -> Vec<Layer> {
        let mut layers = self.layers.clone();
        for (r, _) in self.remedies.iter().zip(chosen).filter(|(_, c)| **c) {
            let spans: BTreeMap<String, Range<usize>> = r
                .touches
                .iter()
                .map(|(p, s, _)| (p.clone(), s.clone()))
                .collect();
            layers.push(self.layers[r.layer].with_spans(spans));
        }
        layers
    }
}
