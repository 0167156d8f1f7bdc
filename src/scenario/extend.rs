//! `extends`: a scenario file that starts from another and gives only what
//! differs. Tables merge key by key; arrays of named tables
//! (`[[segment]]`, `[[tier]]`, `[[request]]`, `[[channel]]`, escalation
//! routes by `to`) merge entry by entry, a new entry taking its place before
//! the base entry the file lists after it (else at the end); anything else
//! (a number, a string, a distribution table with `dist`, an unnamed array)
//! is replaced. `remove = ["tier.chatbot", "tier.credit.shifts"]` drops an
//! entry or a field of the base first. The merged scenario is TOML text
//! validated as any file; a problem found in it is reported in the file
//! (base or extension) whose line holds the field. Knows nothing of the
//! model: it works on TOML tables.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::{Table, Value};

use super::Checker;
use super::sweep::{label, remove_path};
use crate::error::{Error, ScenarioError};

/// Most files a chain of `extends` may hold.
pub const MAX_CHAIN: usize = 16;

/// A scenario file merged with the files it extends.
#[derive(Clone, Debug)]
pub struct Expanded {
    /// The merged scenario as TOML (without `extends` and `remove`).
    pub text: String,
    /// The files of the chain, the base first and the named file last.
    layers: Vec<Layer>,
}

/// One file of a chain, to say where a field of the merged scenario was
/// written.
#[derive(Clone, Debug)]
pub(crate) struct Layer {
    file: String,
    source: String,
    /// The span of each dotted path the file writes.
    spans: BTreeMap<String, Range<usize>>,
}

/// The scenario file at `path` (whose text is `source`) merged with the
/// files it extends, or `None` when it extends none (or is not TOML: the
/// parser says why).
pub fn expand(path: &Path, source: &str) -> Result<Option<Expanded>, Error> {
    match toml::from_str::<Table>(source) {
        Ok(t) if t.contains_key("extends") => {}
        _ => return Ok(None),
    }
    let mut layers = Vec::new();
    let table = resolve(path, source, &mut Vec::new(), &mut layers)?;
    let text = toml::to_string(&table).map_err(|e| {
        let file = path.display().to_string();
        let mut checker = Checker::new(source, &file);
        checker.problem(
            0..0,
            "extends",
            format!("the merged scenario cannot be written as TOML: {e}"),
        );
        checker.into_error()
    })?;
    Ok(Some(Expanded { text, layers }))
}

impl Expanded {
    /// `error` (found in the merged text) with each problem placed in the
    /// file of the chain that writes its field.
    pub fn blame(&self, error: Error) -> Error {
        blame(&self.layers, error)
    }

    /// The files of the chain, the base first.
    pub(crate) fn layers(&self) -> &[Layer] {
        &self.layers
    }
}

impl Layer {
    /// The file `file` with text `source`, every path it writes located.
    pub(crate) fn new(file: &str, source: &str) -> Self {
        Layer {
            file: file.to_string(),
            source: source.to_string(),
            spans: spans(source),
        }
    }

    /// A layer of `file` (text `source`) whose paths are `spans` (paths
    /// written elsewhere in the file, such as a remedy's, under the field
    /// they set).
    pub(crate) fn with_spans(&self, spans: BTreeMap<String, Range<usize>>) -> Self {
        Layer {
            file: self.file.clone(),
            source: self.source.clone(),
            spans,
        }
    }

    /// The span where the file writes dotted `path`, if it does.
    pub(crate) fn span(&self, path: &str) -> Option<Range<usize>> {
        self.spans.get(path).cloned()
    }
}

/// The layer (the latest) writing dotted `path` and where, or the last
/// layer's start.
pub(crate) fn locate(layers: &[Layer], path: &str) -> (usize, Range<usize>) {
    layers
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, l)| l.span(path).map(|s| (i, s)))
        .unwrap_or((layers.len() - 1, 0..0))
}

/// `error` (found in a text merged from `layers`) with each problem placed
/// in the layer that writes its field: the one writing the longest part of
/// the field's dotted path, the later layer on a tie; a problem with no
/// such field goes to the last layer's `extends` (or its start).
pub(crate) fn blame(layers: &[Layer], error: Error) -> Error {
    let Error::Scenario(e) = error else {
        return error;
    };
    let top = layers.len() - 1;
    let found = e
        .problems
        .into_iter()
        .map(|p| {
            let (layer, span) = origin(layers, &p.field).unwrap_or_else(|| {
                let extends = layers[top].spans.get("extends").cloned();
                (top, extends.unwrap_or(0..0))
            });
            (layer, span, p.field, p.message)
        })
        .collect();
    render(layers, found)
}

/// One problem placed in a layer: the layer's index, span, field, message.
pub(crate) type Placed = (usize, Range<usize>, String, String);

/// Problems placed in `layers` as one scenario error, the last layer's
/// first, each file's in line order.
pub(crate) fn render(layers: &[Layer], placed: Vec<Placed>) -> Error {
    let top = layers.len() - 1;
    let mut found: Vec<Vec<(Range<usize>, String, String)>> = vec![Vec::new(); top + 1];
    for (layer, span, field, message) in placed {
        found[layer].push((span, field, message));
    }
    let mut out = ScenarioError {
        file: layers[top].file.clone(),
        problems: Vec::new(),
        rendered: String::new(),
    };
    for (layer, problems) in found.into_iter().enumerate().rev() {
        if problems.is_empty() {
            continue;
        }
        let l = &layers[layer];
        let mut checker = Checker::new(&l.source, &l.file);
        for (span, field, message) in problems {
            checker.problem(span, field, message);
        }
        if let Error::Scenario(e) = checker.into_error() {
            out.problems.extend(e.problems);
            out.rendered.push_str(&e.rendered);
        }
    }
    Error::Scenario(out)
}

/// The layer writing the longest part of dotted `field`, and the span.
fn origin(layers: &[Layer], field: &str) -> Option<(usize, Range<usize>)> {
    let parts: Vec<&str> = field.split('.').collect();
    (1..=parts.len()).rev().find_map(|n| {
        let prefix = parts[..n].join(".");
        layers
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, l)| l.spans.get(&prefix).map(|s| (i, s.clone())))
    })
}

/// The file at `path` (text `source`) merged with its bases; `chain` holds
/// the files being resolved (canonical path and name, to refuse a cycle),
/// `layers` gets one entry per file, the base first.
fn resolve(
    path: &Path,
    source: &str,
    chain: &mut Vec<(PathBuf, String)>,
    layers: &mut Vec<Layer>,
) -> Result<Table, Error> {
    let file = path.display().to_string();
    let mut checker = Checker::new(source, &file);
    let mut table: Table = match toml::from_str(source) {
        Ok(t) => t,
        Err(e) => {
            checker.syntax(&e);
            return Err(checker.into_error());
        }
    };
    let spans = spans(source);
    let at = |key: &str| spans.get(key).cloned().unwrap_or(0..0);
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    chain.push((canonical, file.clone()));
    let extends = table.remove("extends");
    let remove = table.remove("remove");
    let Some(extends) = extends else {
        if remove.is_some() {
            checker.problem(
                at("remove"),
                "remove",
                "`remove` drops parts of the file this one extends, but there is no `extends`; allowed: `remove` with `extends = \"base.toml\"`",
            );
            return Err(checker.into_error());
        }
        layers.push(Layer {
            file,
            source: source.to_string(),
            spans,
        });
        return Ok(table);
    };
    let base_path = match base_path(&mut checker, path, &extends, chain, at("extends")) {
        Some(p) => p,
        None => return Err(checker.into_error()),
    };
    let bytes = match super::file::read(&base_path) {
        Ok(b) => b,
        Err(e) => {
            checker.problem(
                at("extends"),
                "extends",
                format!("{e}; allowed: the path of a scenario file, relative to this file"),
            );
            return Err(checker.into_error());
        }
    };
    let base_file = base_path.display().to_string();
    let base_source = super::text(&bytes, &base_file)?;
    let mut base = resolve(&base_path, base_source, chain, layers)?;
    for (i, p) in removals(&mut checker, remove.as_ref(), &spans) {
        let span = spans.get(&format!("remove.{i}")).cloned();
        drop_path(
            &mut checker,
            &mut base,
            &p,
            span.unwrap_or(at("remove")),
            &base_file,
        );
    }
    if !checker.problems.is_empty() {
        return Err(checker.into_error());
    }
    merge(&mut base, table);
    layers.push(Layer {
        file,
        source: source.to_string(),
        spans,
    });
    Ok(base)
}

/// Removes dotted `path` from `base` (the file `base_file` merged with its
/// own bases), recording a problem at `span` when it names nothing.
fn drop_path(
    checker: &mut Checker<'_>,
    base: &mut Table,
    path: &str,
    span: Range<usize>,
    base_file: &str,
) {
    let mut doc = Value::Table(std::mem::take(base));
    if let Err(message) = remove_path(&mut doc, path) {
        checker.problem(
            span,
            "remove",
            format!("{message} (in {base_file} and the files it extends)"),
        );
    }
    if let Value::Table(t) = doc {
        *base = t;
    }
}

/// The file `extends` names, relative to the file at `path`; `None` (with
/// the problem recorded at `span`) when it is not a string, makes a cycle
/// or the chain is too long.
fn base_path(
    checker: &mut Checker<'_>,
    path: &Path,
    extends: &Value,
    chain: &[(PathBuf, String)],
    span: Range<usize>,
) -> Option<PathBuf> {
    let Some(name) = extends.as_str() else {
        checker.problem(
            span,
            "extends",
            format!(
                "got {extends}; allowed: the path of a scenario file, relative to this file, in quotes"
            ),
        );
        return None;
    };
    let base = path.parent().unwrap_or(Path::new("")).join(name);
    let canonical = base.canonicalize().unwrap_or_else(|_| base.clone());
    if let Some(first) = chain.iter().position(|(p, _)| *p == canonical) {
        let mut names: Vec<String> = chain[first..].iter().map(|(_, n)| n.clone()).collect();
        names.push(base.display().to_string());
        checker.problem(
            span,
            "extends",
            format!(
                "`extends` makes a cycle: {}; allowed: a chain of files that ends in one without `extends`",
                names.join(" -> ")
            ),
        );
        return None;
    }
    if chain.len() >= MAX_CHAIN {
        checker.problem(
            span,
            "extends",
            format!("a chain of more than {MAX_CHAIN} files; allowed: at most {MAX_CHAIN}"),
        );
        return None;
    }
    Some(base)
}

/// The dotted paths of `remove` with their index; problems recorded for a
/// value that is not a list of strings.
fn removals(
    checker: &mut Checker<'_>,
    remove: Option<&Value>,
    spans: &BTreeMap<String, Range<usize>>,
) -> Vec<(usize, String)> {
    let Some(remove) = remove else {
        return Vec::new();
    };
    let span = spans.get("remove").cloned().unwrap_or(0..0);
    let Some(items) = remove.as_array() else {
        checker.problem(
            span,
            "remove",
            format!("got {remove}; allowed: a list of dotted paths such as [\"tier.chatbot\"]"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(p) => out.push((i, p.to_string())),
            None => checker.problem(
                span.clone(),
                "remove",
                format!("got {item}; allowed: a dotted path in quotes such as \"tier.chatbot\""),
            ),
        }
    }
    out
}

/// Merges `ext` into `base` (the rules are in the module's comment).
pub(crate) fn merge(base: &mut Table, ext: Table) {
    for (key, value) in ext {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(e)) if !e.contains_key("dist") => merge(b, e),
            (Some(Value::Array(b)), Value::Array(e)) if keyed(b) && keyed(&e) => entries(b, e),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Whether every item of `items` (at least one) is a table with a label.
fn keyed(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|v| v.is_table() && label(v).is_some())
}

/// Merges the entries `ext` into `base` by label: a known entry is merged,
/// a new one goes before the next known entry `ext` lists (else last).
fn entries(base: &mut Vec<Value>, ext: Vec<Value>) {
    let mut waiting: Vec<Value> = Vec::new();
    for entry in ext {
        let name = label(&entry).unwrap_or_default().to_string();
        match base.iter().position(|v| label(v) == Some(name.as_str())) {
            Some(i) => {
                let n = waiting.len();
                base.splice(i..i, waiting.drain(..));
                if let (Value::Table(b), Value::Table(e)) = (&mut base[i + n], entry) {
                    merge(b, e);
                }
            }
            None => waiting.push(entry),
        }
    }
    base.extend(waiting);
}

/// The span of every dotted path written in `source` (entries of arrays
/// by label, as [`super::sweep`] paths address them; list items by index).
fn spans(source: &str) -> BTreeMap<String, Range<usize>> {
    let mut out = BTreeMap::new();
    if let Ok(doc) = DeTable::parse(source) {
        table_spans(doc.get_ref(), "", &mut out);
    }
    out
}

/// [`spans`] of table `t` under `prefix`.
fn table_spans(t: &DeTable<'_>, prefix: &str, out: &mut BTreeMap<String, Range<usize>>) {
    for (k, v) in t {
        let path = join(prefix, k.get_ref());
        // A table or list at its key (a header); a value from key to value.
        let span = match v.get_ref() {
            DeValue::Table(_) | DeValue::Array(_) => k.span(),
            _ => k.span().start..v.span().end,
        };
        out.insert(path.clone(), span);
        value_spans(v.get_ref(), &path, out);
    }
}

/// [`spans`] inside value `v` at `path`.
fn value_spans(v: &DeValue<'_>, path: &str, out: &mut BTreeMap<String, Range<usize>>) {
    match v {
        DeValue::Table(t) => table_spans(t, path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let (name, span) = match item.get_ref() {
                    DeValue::Table(t) => ["name", "to", "path"]
                        .iter()
                        .find_map(|key| {
                            t.iter()
                                .find(|(k, _)| k.get_ref() == key)
                                .and_then(|(_, v)| match v.get_ref() {
                                    DeValue::String(s) => Some((s.to_string(), v.span())),
                                    _ => None,
                                })
                        })
                        .unwrap_or_else(|| (i.to_string(), item.span())),
                    _ => (i.to_string(), item.span()),
                };
                let entry = join(path, &name);
                out.insert(entry.clone(), span);
                value_spans(item.get_ref(), &entry, out);
            }
        }
        _ => {}
    }
}

/// `prefix.key`, or `key` at the top.
fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ext` merged into `base` (both TOML), as TOML.
    fn merged(base: &str, ext: &str) -> Table {
        let mut b: Table = toml::from_str(base).unwrap();
        merge(&mut b, toml::from_str(ext).unwrap());
        b
    }

    #[test]
    fn named_entries_merge_by_name_and_new_ones_keep_their_place() {
        let base = "[[tier]]\nname = \"a\"\nservers = 1\nservice = { dist = \"exponential\", mean = 2.0 }\n[[tier]]\nname = \"b\"\nservers = 2\n";
        let ext = "[[tier]]\nname = \"a\"\nservice = { dist = \"lognormal\", mean = 3.0, cv = 1.0 }\n[[tier]]\nname = \"bot\"\nkind = \"chatbot\"\n[[tier]]\nname = \"b\"\nservers = 5\n[[tier]]\nname = \"c\"\nservers = 3\n";
        let m = merged(base, ext);
        let tiers = m["tier"].as_array().unwrap();
        let names: Vec<&str> = tiers.iter().map(|t| label(t).unwrap()).collect();
        // `bot` is listed before `b`, so it goes before it; `c` is last.
        assert_eq!(names, ["a", "bot", "b", "c"]);
        assert_eq!(tiers[2]["servers"].as_integer(), Some(5));
        assert_eq!(tiers[0]["servers"].as_integer(), Some(1));
        // A distribution is replaced whole: no `mean` of the old kept apart.
        let service = tiers[0]["service"].as_table().unwrap();
        assert_eq!(service.len(), 3);
        assert_eq!(service["dist"].as_str(), Some("lognormal"));
    }

    #[test]
    fn tables_merge_key_by_key_and_routes_by_target() {
        let base = "[run]\nhorizon = 10.0\nseed = 1\n[[request]]\nname = \"r\"\nescalate = { a = [{ to = \"b\", probability = 0.1 }, { to = \"c\", probability = 0.2 }] }\n";
        let ext = "[run]\nseed = 2\n[[request]]\nname = \"r\"\nescalate = { a = [{ to = \"c\", probability = 0.3 }] }\n";
        let m = merged(base, ext);
        assert_eq!(m["run"]["horizon"].as_float(), Some(10.0));
        assert_eq!(m["run"]["seed"].as_integer(), Some(2));
        let routes = m["request"][0]["escalate"]["a"].as_array().unwrap();
        let p: Vec<f64> = routes
            .iter()
            .map(|r| r["probability"].as_float().unwrap())
            .collect();
        assert_eq!(p, [0.1, 0.3]);
    }

    #[test]
    fn spans_name_entries_by_label() {
        let s = spans("name = \"x\"\n[[tier]]\nname = \"front\"\nservers = 3\n");
        assert_eq!(s["tier.front.servers"], 35..46);
        assert_eq!(
            &"name = \"x\"\n[[tier]]\nname = \"front\"\nservers = 3\n"[s["tier.front"].clone()],
            "\"front\""
        );
    }
}
