//! A what-if: the changes a manager makes on the page (staffing, remedies
//! switched on, the arrival volume, levers), written as the extension of
//! the scenario file that `Save` downloads, and turned into a validated
//! scenario by the same merge (`extends`) and validation a `tiersim run`
//! of that file does, from the file's text read once at start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::{Table, Value};

use super::controls::{self, Control};
use crate::error::Error;
use crate::scenario::extend::merge;
use crate::scenario::remedy::{Choice, Package};
use crate::scenario::{self, Scenario};

/// The arrays of named tables a change can reach into.
const NAMED: [&str; 4] = ["tier", "segment", "request", "channel"];

/// What the page asks: control values by path, and the remedies on.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    /// Control path (`tier.junior.servers`, `tier.junior.shifts.2.servers`,
    /// `volume`, `levers.kpi_pressure`, ...) → value.
    #[serde(default)]
    pub set: BTreeMap<String, f64>,
    /// The names of the remedies switched on (the others are off).
    #[serde(default)]
    pub remedies: Vec<String>,
}

/// A change refused: the control it belongs to (its path, or empty when
/// it is no control's) and the message, as the command line gives it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Refusal {
    /// The control's path, or empty.
    pub control: String,
    /// The scenario field the message is about, as a dotted path.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// The scenario file, read and checked once, and the page's controls.
#[derive(Clone, Debug)]
pub struct Session {
    /// The file as named on the command line.
    pub file: String,
    /// Its absolute path (what a saved what-if `extends`).
    pub absolute: PathBuf,
    /// The file merged with what it extends, `[[remedy]]` kept.
    table: Table,
    /// The remedies, in file order.
    pub remedies: Vec<RemedyInfo>,
    /// The controls the page shows.
    pub controls: Vec<Control>,
    /// The unchanged scenario (every remedy off).
    pub baseline: Scenario,
}

/// A remedy as the page lists it.
#[derive(Clone, Debug, Serialize)]
pub struct RemedyInfo {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
}

impl Session {
    /// Reads and checks the scenario at `path` (a file with a `[sweep]` is
    /// refused: the page changes one scenario).
    pub fn load(path: &Path) -> anyhow::Result<Session> {
        let file = path.display().to_string();
        let package = Package::load(path)?;
        let text = scenario::expanded_text(path)?;
        let table: Table = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{file}: cannot be read as a table: {e}"))?;
        if table.contains_key("sweep") {
            anyhow::bail!(
                "{file}: has a [sweep]; serve takes a scenario without one (each point of a sweep is a \
                 scenario of its own: run the sweep with `tiersim sweep {file}`)"
            );
        }
        let remedies = package
            .remedies
            .iter()
            .map(|r| RemedyInfo {
                name: r.name.clone(),
                description: r.description.clone(),
            })
            .collect();
        let absolute = std::fs::canonicalize(path)
            .map_err(|e| anyhow::anyhow!("{file}: cannot be read: {e}"))?;
        // Every remedy off: the baseline, built as `run` builds a file.
        let baseline = package.scenario(&package.chosen(&Choice::Only(Vec::new()))?)?;
        let mut session = Session {
            file,
            absolute,
            table,
            remedies,
            controls: Vec::new(),
            baseline,
        };
        session.controls = controls::of(&session.unchanged(), &session.baseline);
        // The same scenario as every what-if is built: through the merge.
        session.baseline = session
            .scenario(&Changes::default())
            .map_err(|r| anyhow::anyhow!("{}: {}", session.file, join(&r)))?;
        Ok(session)
    }

    /// The file's table with every remedy off (what the controls start
    /// from).
    fn unchanged(&self) -> Table {
        let mut t = self.table.clone();
        t.remove("remedy");
        t
    }

    /// The remedies of the file `changes` leaves off, as `remove` entries;
    /// a remedy it names that the file lacks is refused.
    fn remedies_off(&self, changes: &Changes, refusals: &mut Vec<Refusal>) -> Vec<Value> {
        let known: Vec<&str> = self.remedies.iter().map(|r| r.name.as_str()).collect();
        for r in changes
            .remedies
            .iter()
            .filter(|r| !known.contains(&r.as_str()))
        {
            refusals.push(Refusal {
                control: "remedies".into(),
                field: "remedy".into(),
                message: format!(
                    "no remedy named `{r}`; allowed: {}",
                    if known.is_empty() {
                        "none (the file has no `[[remedy]]`)".into()
                    } else {
                        known.join(", ")
                    }
                ),
            });
        }
        known
            .iter()
            .filter(|n| !changes.remedies.iter().any(|r| r == *n))
            .map(|n| Value::String(format!("remedy.{n}")))
            .collect()
    }

    /// The value control `path` is set to, as TOML; `None` when it is the
    /// scenario's own; refused when there is no such control or `x` is not
    /// finite.
    fn value(&self, path: &str, x: f64) -> Result<Option<Value>, Refusal> {
        let refuse = |message: String| Refusal {
            control: path.to_string(),
            field: path.to_string(),
            message,
        };
        let Some(c) = self.controls.iter().find(|c| c.path == path) else {
            let all: Vec<&str> = self.controls.iter().map(|c| c.path.as_str()).collect();
            return Err(refuse(format!(
                "`{path}` is not a control of this page; allowed: {}",
                all.join(", ")
            )));
        };
        if !x.is_finite() {
            return Err(refuse(format!("got {x}; allowed: a finite number")));
        }
        Ok((x != c.value).then(|| {
            if c.integer && x.fract() == 0.0 && x.abs() < 9e15 {
                Value::Integer(x as i64)
            } else {
                Value::Float(x)
            }
        }))
    }

    /// The extension a saved what-if writes after `extends`: the changed
    /// fields only, and the remedies switched off as `remove`.
    pub fn extension(&self, changes: &Changes) -> Result<Table, Vec<Refusal>> {
        let mut refusals = Vec::new();
        let mut ext = Table::new();
        let off = self.remedies_off(changes, &mut refusals);
        if !off.is_empty() {
            ext.insert("remove".into(), Value::Array(off));
        }
        let base = self.unchanged();
        let mut shifts: BTreeMap<String, Value> = BTreeMap::new();
        for (path, &x) in &changes.set {
            let value = match self.value(path, x) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(r) => {
                    refusals.push(r);
                    continue;
                }
            };
            if path == controls::VOLUME {
                for (name, rate) in controls::segment_rates(&base) {
                    put(
                        &mut ext,
                        &format!("segment.{name}.rate_per_hour"),
                        // Ten significant digits: no float noise in the file.
                        Value::Float(format!("{:.10e}", rate * x).parse().unwrap_or(rate * x)),
                    );
                }
            } else if let Some((tier, index)) = controls::shift_of(path) {
                // An array is replaced whole by `extends`: the tier's
                // roster, with this shift changed.
                let list = shifts.entry(tier.to_string()).or_insert_with(|| {
                    controls::shifts(&base, tier).unwrap_or(Value::Array(Vec::new()))
                });
                if let Some(Value::Table(s)) = list.as_array_mut().and_then(|a| a.get_mut(index)) {
                    s.insert("servers".into(), value);
                }
            } else {
                put(&mut ext, path, value);
            }
        }
        for (tier, list) in shifts {
            put(&mut ext, &format!("tier.{tier}.shifts"), list);
        }
        if refusals.is_empty() {
            Ok(ext)
        } else {
            Err(refusals)
        }
    }

    /// The what-if's name: the scenario's, marked.
    pub fn name(&self) -> String {
        format!("{}-whatif", self.baseline.model.name)
    }

    /// The saved what-if: a scenario file that `extends` this one with
    /// only the changes, re-running via `tiersim run` to the page's
    /// numbers.
    pub fn save_text(&self, changes: &Changes) -> Result<String, Vec<Refusal>> {
        let ext = self.extension(changes)?;
        let mut top = Table::new();
        top.insert(
            "extends".into(),
            Value::String(self.absolute.display().to_string()),
        );
        top.insert("name".into(), Value::String(self.name()));
        top.extend(ext);
        let body = toml::to_string(&top).map_err(|e| {
            vec![Refusal {
                control: String::new(),
                field: String::new(),
                message: format!("the what-if cannot be written as TOML: {e}"),
            }]
        })?;
        Ok(format!(
            "# A what-if saved by `tiersim serve` from {}: only what was changed.\n\
             # Run it with `tiersim run` on this file (same seed, same clients, same numbers as the page).\n{body}",
            self.file
        ))
    }

    /// The what-if as one whole scenario file (no `extends`): the file's
    /// table with the extension merged in as `extends` merges it, the
    /// remedies left off removed.
    pub fn whole_text(&self, changes: &Changes) -> Result<String, Vec<Refusal>> {
        let mut ext = self.extension(changes)?;
        let mut doc = self.table.clone();
        if let Some(Value::Array(off)) = ext.remove("remove")
            && let Some(Value::Array(list)) = doc.get_mut("remedy")
        {
            list.retain(|r| {
                let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
                !off.iter()
                    .any(|o| o.as_str() == Some(&format!("remedy.{name}")))
            });
            if list.is_empty() {
                doc.remove("remedy");
            }
        }
        merge(&mut doc, ext);
        toml::to_string(&doc).map_err(|e| {
            vec![Refusal {
                control: String::new(),
                field: String::new(),
                message: format!("the what-if cannot be written as TOML: {e}"),
            }]
        })
    }

    /// The what-if as a validated scenario: [`Session::whole_text`],
    /// checked as `run` checks a file.
    pub fn scenario(&self, changes: &Changes) -> Result<Scenario, Vec<Refusal>> {
        let text = self.whole_text(changes)?;
        let label = format!("{} (what-if)", self.file);
        Package::from_source(&text, &label)
            .and_then(|p| p.scenario(&p.chosen(&Choice::All)?))
            .map_err(|e| self.refusals(e, changes))
    }

    /// A scenario error as refusals, each placed at its control.
    fn refusals(&self, e: Error, changes: &Changes) -> Vec<Refusal> {
        let changed: Vec<&str> = changes.set.keys().map(String::as_str).collect();
        match e {
            Error::Scenario(e) => e
                .problems
                .into_iter()
                .map(|p| Refusal {
                    control: controls::owner(&self.controls, &p.field, &changed),
                    field: p.field,
                    message: p.message,
                })
                .collect(),
            other => vec![Refusal {
                control: String::new(),
                field: String::new(),
                message: other.to_string(),
            }],
        }
    }
}

/// Refusals in one line each.
pub fn join(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(|r| format!("field `{}`: {}", r.field, r.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sets dotted `path` in `ext`, entries of [`NAMED`] arrays by name and
/// tables made on the way, as a scenario file that extends another writes
/// it.
fn put(ext: &mut Table, path: &str, value: Value) {
    let parts: Vec<&str> = path.split('.').collect();
    let mut table = ext;
    let mut rest = &parts[..];
    if parts.len() > 2 && NAMED.contains(&parts[0]) {
        let list = table
            .entry(parts[0])
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(items) = list else {
            return;
        };
        let i = match items
            .iter()
            .position(|v| v.get("name").and_then(Value::as_str) == Some(parts[1]))
        {
            Some(i) => i,
            None => {
                let mut entry = Table::new();
                entry.insert("name".into(), Value::String(parts[1].into()));
                items.push(Value::Table(entry));
                items.len() - 1
            }
        };
        let Value::Table(entry) = &mut items[i] else {
            return;
        };
        table = entry;
        rest = &parts[2..];
    }
    for part in &rest[..rest.len() - 1] {
        let next = table
            .entry(*part)
            .or_insert_with(|| Value::Table(Table::new()));
        let Value::Table(t) = next else {
            return;
        };
        table = t;
    }
    table.insert(rest[rest.len() - 1].to_string(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_written_as_an_extension_writes_it() {
        let mut ext = Table::new();
        put(&mut ext, "tier.junior.servers", Value::Integer(12));
        put(&mut ext, "tier.junior.queue_capacity", Value::Integer(5));
        put(
            &mut ext,
            "levers.training.senior.service",
            Value::Float(0.9),
        );
        let text = toml::to_string(&ext).unwrap();
        let back: Table = toml::from_str(&text).unwrap();
        let tiers = back["tier"].as_array().unwrap();
        assert_eq!(tiers.len(), 1);
        assert_eq!(tiers[0]["name"].as_str(), Some("junior"));
        assert_eq!(tiers[0]["servers"].as_integer(), Some(12));
        assert_eq!(tiers[0]["queue_capacity"].as_integer(), Some(5));
        assert_eq!(
            back["levers"]["training"]["senior"]["service"].as_float(),
            Some(0.9)
        );
    }
}
