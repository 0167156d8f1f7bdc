//! Reading `[[remedy]]` tables: each remedy's `set`, `add` and `remove`,
//! what part of the scenario it touches (two remedies may not touch the
//! same), and applying one to a scenario's TOML.

use std::ops::Range;

use toml::{Table, Value};

use super::super::diagnostics::{list, nearest};
use super::super::extend::{Layer, Placed, locate, merge};
use super::super::sweep::{label, remove_path, set_field};

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
    pub(super) set: Vec<(String, Value)>,
    /// The entries it brings, by kind (`tier`, ...).
    pub(super) add: Table,
    /// The entries or fields it drops (dotted paths).
    pub(super) remove: Vec<String>,
    /// Every part of the file it touches (dotted path), where it says so,
    /// and the field of the remedy that does (`remedy.a.set.tier.t.servers`).
    pub(super) touches: Vec<(String, Range<usize>, String)>,
    /// The layer (file of the `extends` chain) it is written in.
    pub(super) layer: usize,
}

/// Applies remedy `r` to `doc`: removes, adds, then sets. On failure, the
/// index in `r.touches` of the change that failed and why.
pub(super) fn apply(doc: &mut Value, r: &Remedy) -> Result<(), (usize, String)> {
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
pub(super) fn overlap(a: &str, b: &str) -> bool {
    let inside = |x: &str, y: &str| x == y || x.starts_with(&format!("{y}."));
    inside(a, b) || inside(b, a)
}

/// Records two remedies touching the same part of the file, at both lines.
pub(super) fn overlaps(remedies: &[Remedy], problems: &mut Vec<Placed>) {
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
pub(super) fn remedies(value: &Value, layers: &[Layer], problems: &mut Vec<Placed>) -> Vec<Remedy> {
    let refuse = |problems: &mut Vec<Placed>, message: String| {
        let (l, s) = locate(layers, "remedy");
        problems.push((l, s, "remedy".into(), message));
    };
    let Some(items) = value.as_array().filter(|a| a.iter().all(Value::is_table)) else {
        refuse(
            problems,
            "`remedy` is not a list of tables; allowed: `[[remedy]]` tables with `name` and `set`, `add` or `remove`".into(),
        );
        return Vec::new();
    };
    if items.len() > MAX_REMEDIES {
        let message = format!("{} remedies; allowed: at most {MAX_REMEDIES}", items.len());
        refuse(problems, message);
        return Vec::new();
    }
    let mut out: Vec<Remedy> = Vec::new();
    for (i, t) in items.iter().filter_map(Value::as_table).enumerate() {
        let Some(name) = t.get("name").and_then(Value::as_str) else {
            let (l, s) = locate(layers, &format!("remedy.{i}"));
            problems.push((
                l,
                s,
                format!("remedy.{i}"),
                "a remedy without a `name`; allowed: `name = \"...\"` (letters, digits, `_`, `-`)"
                    .into(),
            ));
            continue;
        };
        let taken = out.iter().any(|r| r.name == name);
        out.extend(remedy(name, t, taken, layers, problems));
    }
    out
}

/// Remedy `name` of table `t` (`None` when `taken` by an earlier one),
/// problems recorded on its fields.
fn remedy(
    name: &str,
    t: &Table,
    taken: bool,
    layers: &[Layer],
    problems: &mut Vec<Placed>,
) -> Option<Remedy> {
    let here = format!("remedy.{name}");
    let (layer, span) = locate(layers, &here);
    let at = |field: &str| {
        layers[layer]
            .span(&format!("{here}.{field}"))
            .unwrap_or(span.clone())
    };
    let mut say = |field: &str, message: String| {
        problems.push((layer, at(field), format!("{here}.{field}"), message));
    };
    if taken {
        say(
            "name",
            format!("a second remedy named `{name}`; allowed: one name per remedy"),
        );
        return None;
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
    if !["set", "add", "remove"].iter().any(|k| t.contains_key(*k)) {
        say(
            "name",
            format!(
                "remedy `{name}` changes nothing; allowed: at least one of `set`, `add`, `remove`"
            ),
        );
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
    let mut r = Remedy {
        name: name.to_string(),
        description,
        set: Vec::new(),
        add: Table::new(),
        remove: Vec::new(),
        touches: Vec::new(),
        layer,
    };
    // In the order they are applied: removals, additions, settings.
    removals(&mut r, t.get("remove"), &at, &mut say);
    additions(&mut r, t.get("add"), &at, &mut say);
    settings(&mut r, t.get("set"), &at, &mut say);
    Some(r)
}

/// Reads `remove` into `r`; `at` locates a path under the remedy, `say`
/// records a problem on a field of it.
fn removals(
    r: &mut Remedy,
    remove: Option<&Value>,
    at: &dyn Fn(&str) -> Range<usize>,
    say: &mut dyn FnMut(&str, String),
) {
    match remove {
        None => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_str) => {
            for (i, p) in items.iter().filter_map(Value::as_str).enumerate() {
                r.remove.push(p.to_string());
                let field = format!("remedy.{}.remove", r.name);
                r.touches
                    .push((p.to_string(), at(&format!("remove.{i}")), field));
            }
        }
        Some(other) => say(
            "remove",
            format!(
                "got {other}; allowed: a list of dotted paths such as [\"tier.credit.shifts\"]"
            ),
        ),
    }
}

/// Reads `add` into `r` (as [`removals`]).
fn additions(
    r: &mut Remedy,
    add: Option<&Value>,
    at: &dyn Fn(&str) -> Range<usize>,
    say: &mut dyn FnMut(&str, String),
) {
    let add = match add {
        None => return,
        Some(Value::Table(add)) => add,
        Some(other) => {
            let message = format!(
                "got {other}; allowed: `[[remedy.add.tier]]` (or request, channel, segment) entries"
            );
            return say("add", message);
        }
    };
    for (kind, entries) in add {
        let named = entries
            .as_array()
            .filter(|a| a.iter().all(|e| e.is_table() && label(e).is_some()));
        match named {
            Some(entries) if ADDABLE.contains(&kind.as_str()) => {
                for e in entries {
                    let path = format!("{kind}.{}", label(e).unwrap_or_default());
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

/// Reads `set` into `r` (as [`removals`]).
fn settings(
    r: &mut Remedy,
    set: Option<&Value>,
    at: &dyn Fn(&str) -> Range<usize>,
    say: &mut dyn FnMut(&str, String),
) {
    let set = match set {
        None => return,
        Some(Value::Table(set)) => set,
        Some(other) => {
            let message = format!(
                "got {other}; allowed: a table of dotted paths and values, such as {{ \"tier.junior.servers\" = 11 }}"
            );
            return say("set", message);
        }
    };
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
pub(in crate::scenario) fn flatten(t: &Table, prefix: &str, out: &mut Vec<(String, Value)>) {
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
