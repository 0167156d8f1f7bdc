//! The corpus of bad scenarios in `tests/bad/`: each file must be refused
//! by `tiersim check` with exit code 2 (never a panic), and its message must
//! show the file, the line (with the line itself and a caret when the file
//! is text) and every fragment listed for it in `tests/bad/expected.toml`.

use std::path::Path;

use crate::common::{text, tiersim};

/// One entry of `expected.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// The line the problem is reported on.
    line: usize,
    /// Fragments the message must contain.
    expect: Vec<String>,
}

#[test]
fn every_bad_scenario_is_refused_with_its_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let expected: std::collections::BTreeMap<String, Expected> =
        toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The files the bad scenarios name (traces) live in subfolders.
        .filter(|f| f.ends_with(".toml") && f != "expected.toml")
        .collect();
    files.sort();
    assert!(files.len() >= 40, "only {} bad scenarios", files.len());
    let listed: Vec<&String> = expected.keys().collect();
    assert_eq!(
        files.iter().collect::<Vec<_>>(),
        listed,
        "every file in tests/bad/ needs an entry in expected.toml, and the reverse"
    );
    let mut failures = Vec::new();
    for file in &files {
        let e = &expected[file];
        let path = format!("tests/bad/{file}");
        let out = tiersim(&["check", &path]);
        let stderr = text(&out.stderr);
        let mut wrong = Vec::new();
        if out.status.code() != Some(2) {
            wrong.push(format!("exit code {:?}, not 2", out.status.code()));
        }
        if stderr.contains("panicked") {
            wrong.push("a panic".into());
        }
        let header = format!("error: {path}:{}:", e.line);
        if !stderr.contains(&header) {
            wrong.push(format!("no problem reported at `{header}`"));
        }
        let binary = std::str::from_utf8(&std::fs::read(dir.join(file)).unwrap()).is_err();
        if !binary && !stderr.contains('^') {
            wrong.push("no caret under the offending text".into());
        }
        for fragment in &e.expect {
            if !stderr.contains(fragment.as_str()) {
                wrong.push(format!("missing `{fragment}`"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!("{file}: {}\n{stderr}", wrong.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
