//! Dotted paths into a scenario file (`tier.junior.servers`,
//! `tier.front.escalate.expert.probability`): how a sweep sets one field of
//! a point, keeping the field's type, and how a value is written in a
//! point's name.

use toml::{Table, Value};

use super::super::diagnostics::{list, nearest};

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
pub(crate) fn set_path(doc: &mut Value, path: &str, value: &Value) -> Result<(), String> {
    let parts = parts(path)?;
    if parts[0] == "sweep" || parts.last() == Some(&"name") {
        return Err(format!(
            "`{path}` cannot be swept: names and the sweep itself are fixed"
        ));
    }
    set(doc, path, value, "the axis", false)
}

/// Sets the field at dotted `path` in `doc` to `value`, as [`set_path`]
/// does, with no field fixed and missing tables on the way made (a
/// remedy's `levers.training.junior.service` in a file without
/// `[levers]`; a misspelt table is then refused by the validation); `by`
/// names who gives the value in messages (`the remedy`).
pub(crate) fn set_field(
    doc: &mut Value,
    path: &str,
    value: &Value,
    by: &str,
) -> Result<(), String> {
    set(doc, path, value, by, true)
}

/// [`set_field`], making missing tables on the way only when `make`.
fn set(doc: &mut Value, path: &str, value: &Value, by: &str, make: bool) -> Result<(), String> {
    let parts = parts(path)?;
    let (last, here) = (parts[parts.len() - 1], parts[..parts.len() - 1].join("."));
    match parent(doc, &parts, path, make)? {
        Value::Table(t) => assign(t, last, value, path, by),
        Value::Array(items) => match entry(items, last, path, &here) {
            Ok(_) => Err(format!(
                "`{path}` names a whole `{here}` entry; name one of its fields"
            )),
            Err(message) => Err(message),
        },
        _ => Err(format!(
            "`{path}` names no field: `{here}` is a single value"
        )),
    }
}

/// Removes what dotted `path` names from `doc`: a field of a table, or a
/// whole entry of an array (`tier.chatbot`, addressed as in [`set_path`]).
pub(crate) fn remove_path(doc: &mut Value, path: &str) -> Result<(), String> {
    let parts = parts(path)?;
    let (last, here) = (parts[parts.len() - 1], parts[..parts.len() - 1].join("."));
    match parent(doc, &parts, path, false)? {
        Value::Table(t) => {
            if t.remove(last).is_none() {
                return Err(no_key(t, last, path, &here));
            }
            Ok(())
        }
        Value::Array(items) => {
            let i = entry(items, last, path, &here)?;
            items.remove(i);
            Ok(())
        }
        _ => Err(format!(
            "`{path}` names no field: `{here}` is a single value"
        )),
    }
}

/// The parts of dotted `path`, refused when one is empty.
fn parts(path: &str) -> Result<Vec<&str>, String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "`{path}` is not a dotted path like `tier.junior.servers`"
        ));
    }
    Ok(parts)
}

/// The table or array holding the last of `parts` (the path `path`),
/// missing tables made on the way when `make`.
fn parent<'d>(
    doc: &'d mut Value,
    parts: &[&str],
    path: &str,
    make: bool,
) -> Result<&'d mut Value, String> {
    let mut cursor = doc;
    for (depth, part) in parts[..parts.len() - 1].iter().enumerate() {
        let here = parts[..depth].join(".");
        cursor = match cursor {
            Value::Table(t) => {
                if make && !t.contains_key(*part) {
                    t.insert(part.to_string(), Value::Table(Table::new()));
                }
                if !t.contains_key(*part) {
                    return Err(no_key(t, part, path, &here));
                }
                t.get_mut(*part).expect("checked above")
            }
            Value::Array(items) => {
                let i = entry(items, part, path, &here)?;
                &mut items[i]
            }
            _ => {
                return Err(format!(
                    "`{path}` names no field: `{here}` is a single value"
                ));
            }
        };
    }
    Ok(cursor)
}

/// The message for `part`, absent from table `t` at `here`.
fn no_key(t: &Table, part: &str, path: &str, here: &str) -> String {
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
    message
}

/// The label an array entry is addressed by: its `name`, `to` or `path`.
pub(crate) fn label(v: &Value) -> Option<&str> {
    v.get("name")
        .or_else(|| v.get("to"))
        .or_else(|| v.get("path"))
        .and_then(Value::as_str)
}

/// The index of the entry of `items` labelled `part` (or numbered so).
fn entry(items: &[Value], part: &str, path: &str, here: &str) -> Result<usize, String> {
    let labels: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, v)| label(v).map_or_else(|| i.to_string(), str::to_string))
        .collect();
    labels
        .iter()
        .position(|l| l == part)
        .or_else(|| part.parse::<usize>().ok().filter(|i| *i < items.len()))
        .ok_or_else(|| {
            let mut message = format!(
                "`{path}` names no field: no `{part}` in `{here}`; there: {}",
                list(labels.iter().map(String::as_str))
            );
            if let Some(near) = nearest(part, labels.iter().map(String::as_str)) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            message
        })
}

/// Sets `table[key] = value`, keeping the field's type.
fn assign(table: &mut Table, key: &str, value: &Value, path: &str, by: &str) -> Result<(), String> {
    let new = match (table.get(key), value) {
        (None, v) => v.clone(),
        (Some(Value::Float(_)), Value::Integer(i)) => Value::Float(*i as f64),
        (Some(Value::Integer(_)), Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9e15 => {
            Value::Integer(*f as i64)
        }
        (Some(old), v) if old.type_str() == v.type_str() => v.clone(),
        (Some(old), v) => {
            return Err(format!(
                "`{path}` is {} {} in the file; {by} gives {} {}",
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

/// `a` or `an` before a type's name.
fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
