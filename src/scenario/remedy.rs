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
use super::extend::{self, Layer, Placed, blame, merge, render};
use super::sensitivity::{self, Parameter, with_defaults};
use super::sweep::{Sweep, expand_points, label, remove_path, set_field};
use super::{Scenario, parse};
use crate::error::Error;

/// Most remedies one file may have.
pub const MAX_REMEDIES: usize = 16;

/// The entries a remedy may `add`.
const ADDABLE: [&str; 4] = ["tier", "request", "channel", "segment"];

/// The fields of a `[[remedy]]`.
const FIELDS: [&str; 5] = ["name", "description", "set", "add", "remove"];

/// One remedy of a scenario file.
#[derive(Clone, Debug)]
pub struct Remedy {
    /// Its name (`--without NAME`, the rows of an attribution).
    pub name: String,
    /// What it is, in a sentence.
    pub description: String,
    /// Each field it sets (dotted path) and the value.
    set: Vec<(String, Value)>,
    /// The entries it brings, by kind (`tier`, ...).
    add: Table,
    /// The entries or fields it drops (dotted paths).
    remove: Vec<String>,
    /// Every part of the file it touches (dotted path), where it says so,
    /// and the field of the remedy that does (`remedy.a.set.tier.t.servers`).
    touches: Vec<(String, Range<usize>, String)>,
    /// The layer (file of the `extends` chain) it is written in.
    layer: usize,
}

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
    /// `defaults = false`).
    pub fn sensitivity(&self) -> Vec<Parameter> {
        with_defaults(&self.ranges, self.defaults)
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
        if self.plain.is_some() {
            return parse(&text, &self.file);
        }
        parse(&text, &self.file).map_err(|e| blame(&self.blame_layers(chosen), e))
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

/// Applies remedy `r` to `doc`: removes, adds, then sets. On failure, the
/// index in `r.touches` of the change that failed and why.
fn apply(doc: &mut Value, r: &Remedy) -> Result<(), (usize, String)> {
    let mut at = 0;
    for p in &r.remove {
        remove_path(doc, p).map_err(|m| (at, m))?;
        at += 1;
    }
    if let Value::Table(t) = doc {
        merge(t, r.add.clone());
    }
    at += r
        .add
        .values()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .sum::<usize>();
    for (p, v) in &r.set {
        set_field(doc, p, v, "the remedy").map_err(|m| (at, m))?;
        at += 1;
    }
    Ok(())
}

/// Whether dotted paths `a` and `b` name the same part of a file (equal,
/// or one inside the other).
fn overlap(a: &str, b: &str) -> bool {
    let inside = |x: &str, y: &str| x == y || x.starts_with(&format!("{y}."));
    inside(a, b) || inside(b, a)
}

/// Records two remedies touching the same part of the file, at both lines.
fn overlaps(remedies: &[Remedy], problems: &mut Vec<Placed>) {
    for (i, a) in remedies.iter().enumerate() {
        for b in &remedies[i + 1..] {
            for (pa, sa, _) in &a.touches {
                for (pb, sb) in a_and_b(&b.touches, pa) {
                    let both = if pa == pb {
                        format!("`{pa}`")
                    } else {
                        format!("`{pa}` and `{pb}`, one inside the other")
                    };
                    let message = format!(
                        "remedies `{}` and `{}` both change {both}; allowed: each part of the scenario changed by one remedy at most, so that their effects can be told apart",
                        a.name, b.name
                    );
                    problems.push((
                        a.layer,
                        sa.clone(),
                        format!("remedy.{}", a.name),
                        message.clone(),
                    ));
                    problems.push((b.layer, sb.clone(), format!("remedy.{}", b.name), message));
                }
            }
        }
    }
}

/// The touches of `touches` overlapping path `p`.
fn a_and_b<'t>(
    touches: &'t [(String, Range<usize>, String)],
    p: &'t str,
) -> impl Iterator<Item = (&'t String, &'t Range<usize>)> {
    touches
        .iter()
        .filter(move |(q, _, _)| overlap(p, q))
        .map(|(q, s, _)| (q, s))
}

/// The remedies of the `remedy` value, problems recorded.
fn remedies(value: &Value, layers: &[Layer], problems: &mut Vec<Placed>) -> Vec<Remedy> {
    let top = layers.len() - 1;
    let where_ = |path: &str| -> (usize, Range<usize>) {
        layers
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, l)| l.span(path).map(|s| (i, s)))
            .unwrap_or((top, 0..0))
    };
    let Some(items) = value.as_array().filter(|a| a.iter().all(Value::is_table)) else {
        let (l, s) = where_("remedy");
        problems.push((
            l,
            s,
            "remedy".into(),
            "`remedy` is not a list of tables; allowed: `[[remedy]]` tables with `name` and `set`, `add` or `remove`".into(),
        ));
        return Vec::new();
    };
    if items.len() > MAX_REMEDIES {
        let (l, s) = where_("remedy");
        problems.push((
            l,
            s,
            "remedy".into(),
            format!("{} remedies; allowed: at most {MAX_REMEDIES}", items.len()),
        ));
        return Vec::new();
    }
    let mut out: Vec<Remedy> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = item.as_table() else { continue };
        let Some(name) = t.get("name").and_then(Value::as_str) else {
            let (l, s) = where_(&format!("remedy.{i}"));
            problems.push((
                l,
                s,
                format!("remedy.{i}"),
                "a remedy without a `name`; allowed: `name = \"...\"` (letters, digits, `_`, `-`)"
                    .into(),
            ));
            continue;
        };
        let here = format!("remedy.{name}");
        let (layer, span) = where_(&here);
        let mut say = |field: &str, message: String| {
            let s = layers[layer]
                .span(&format!("{here}.{field}"))
                .unwrap_or(span.clone());
            problems.push((layer, s, format!("{here}.{field}"), message));
        };
        if out.iter().any(|r| r.name == name) {
            say(
                "name",
                format!("a second remedy named `{name}`; allowed: one name per remedy"),
            );
            continue;
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            say(
                "name",
                format!("`{name}` is not a remedy name; allowed: letters, digits, `_` and `-`"),
            );
        }
        for key in t.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
            let mut message = format!(
                "unknown field `{key}`; allowed: {}",
                list(FIELDS.iter().copied())
            );
            if let Some(near) = nearest(key, FIELDS.iter().copied()) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            say(key, message);
        }
        let description = match t.get("description") {
            None => String::new(),
            Some(Value::String(d)) => d.clone(),
            Some(other) => {
                say(
                    "description",
                    format!("got {other}; allowed: a sentence in quotes"),
                );
                String::new()
            }
        };
        let mut remedy = Remedy {
            name: name.to_string(),
            description,
            set: Vec::new(),
            add: Table::new(),
            remove: Vec::new(),
            touches: Vec::new(),
            layer,
        };
        let at = |path: &str| {
            layers[layer]
                .span(&format!("{here}.{path}"))
                .unwrap_or(span.clone())
        };
        changes(&mut remedy, t, &at, &mut say);
        if !["set", "add", "remove"].iter().any(|k| t.contains_key(*k)) {
            say(
                "name",
                format!(
                    "remedy `{name}` changes nothing; allowed: at least one of `set`, `add`, `remove`"
                ),
            );
        }
        out.push(remedy);
    }
    out
}

/// Reads `set`, `add` and `remove` of remedy table `t` into `r` (in the
/// order they are applied), `at` locating a path under the remedy and
/// `say` recording a problem on a field of it.
fn changes(
    r: &mut Remedy,
    t: &Table,
    at: &dyn Fn(&str) -> Range<usize>,
    say: &mut dyn FnMut(&str, String),
) {
    match t.get("remove") {
        None => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_str) => {
            for (i, p) in items.iter().filter_map(Value::as_str).enumerate() {
                r.remove.push(p.to_string());
                let span = at(&format!("remove.{i}"));
                let field = format!("remedy.{}.remove", r.name);
                r.touches.push((p.to_string(), span, field));
            }
        }
        Some(other) => say(
            "remove",
            format!(
                "got {other}; allowed: a list of dotted paths such as [\"tier.credit.shifts\"]"
            ),
        ),
    }
    match t.get("add") {
        None => {}
        Some(Value::Table(add)) => {
            for (kind, entries) in add {
                let named = entries
                    .as_array()
                    .filter(|a| a.iter().all(|e| e.is_table() && label(e).is_some()));
                match named {
                    Some(entries) if ADDABLE.contains(&kind.as_str()) => {
                        for e in entries {
                            let name = label(e).unwrap_or_default();
                            let path = format!("{kind}.{name}");
                            let field = format!("remedy.{}.add.{path}", r.name);
                            r.touches
                                .push((path.clone(), at(&format!("add.{path}")), field));
                        }
                        r.add.insert(kind.clone(), Value::Array(entries.clone()));
                    }
                    _ => say(
                        &format!("add.{kind}"),
                        format!(
                            "`add.{kind}`: allowed: `[[remedy.add.KIND]]` entries with a `name`, KIND one of {}",
                            list(ADDABLE.iter().copied())
                        ),
                    ),
                }
            }
        }
        Some(other) => say(
            "add",
            format!(
                "got {other}; allowed: `[[remedy.add.tier]]` (or request, channel, segment) entries"
            ),
        ),
    }
    match t.get("set") {
        None => {}
        Some(Value::Table(set)) => {
            let mut flat = Vec::new();
            flatten(set, "", &mut flat);
            for (p, v) in flat {
                if let Some(why) = fixed(&p) {
                    say(
                        &format!("set.{p}"),
                        format!("`{p}` cannot be set by a remedy: {why}"),
                    );
                    continue;
                }
                let field = format!("remedy.{}.set.{p}", r.name);
                r.touches.push((p.clone(), at(&format!("set.{p}")), field));
                r.set.push((p, v));
            }
        }
        Some(other) => say(
            "set",
            format!(
                "got {other}; allowed: a table of dotted paths and values, such as {{ \"tier.junior.servers\" = 11 }}"
            ),
        ),
    }
}

/// Why dotted `path` may not be set by a remedy, if it may not.
fn fixed(path: &str) -> Option<&'static str> {
    let first = path.split('.').next().unwrap_or("");
    if path.ends_with(".name") || path == "name" {
        Some("names are fixed (add or remove an entry instead)")
    } else if ["sweep", "remedy", "extends", "remove", "sensitivity"].contains(&first) {
        Some("it is not part of the scenario a remedy changes")
    } else if path == "run.seed" || path == "run.replications" {
        Some("every subset of remedies runs on the same clients (seed and replications)")
    } else {
        None
    }
}

/// The leaves of `set` as (dotted path, value): nested tables are paths
/// (`tier.junior.servers = 3` written unquoted), except a distribution
/// (a table with `dist`), which is one value.
pub(super) fn flatten(t: &Table, prefix: &str, out: &mut Vec<(String, Value)>) {
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Table(inner) if !inner.contains_key("dist") => flatten(inner, &path, out),
            _ => out.push((path, v.clone())),
        }
    }
}
