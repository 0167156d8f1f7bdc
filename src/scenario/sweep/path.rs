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
pub(super) fn set_path(doc: &mut Value, path: &str, value: &Value) -> Result<(), String> {
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

/// `a` or `an` before a type's name.
fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
