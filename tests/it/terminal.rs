//! The terminal as a user meets it: `--quiet`, `--color`, `--json` on
//! `run`, `compare` and `plan`; examples in every subcommand's `--help`;
//! shell completions; `compare` refusing a `[sweep]` and warning when the
//! clients differ; and every command quoted in a shipped file or doc is a
//! valid command line on scenarios that load.

use std::path::Path;

use clap::{CommandFactory, Parser};
use tiersim::cli::Cli;

use crate::common::{scratch, text, tiersim};

/// A quick two-tier run: the shipped example with 2 replications.
fn quick(dir: &Path, name: &str, rate: &str) -> String {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/two-tier.toml"
    ))
    .unwrap()
    .replace("replications = 10", "replications = 2")
    .replace("horizon = 100000.0", "horizon = 5000.0")
    .replace("rate_per_hour = 96.0", &format!("rate_per_hour = {rate}"));
    let file = dir.join(name);
    std::fs::write(&file, source).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn run_prints_json_quietly_or_in_colour_as_asked() {
    let dir = scratch("terminal-flags");
    let file = quick(&dir, "a.toml", "96.0");
    let out_dir = dir.join("out");
    let out = |extra: &[&str]| {
        let mut args = vec!["run", &file, "--out", out_dir.to_str().unwrap()];
        args.extend(extra);
        let o = tiersim(&args);
        assert!(o.status.success(), "{extra:?}: {}", text(&o.stderr));
        text(&o.stdout)
    };
    let json = out(&["--json"]);
    // The tidy long form beside results.csv: one row per group and metric.
    let long = std::fs::read_to_string(out_dir.join("results_long.csv")).unwrap();
    let mut lines = long.lines();
    assert_eq!(lines.next(), Some("point,name,group,metric,unit,mean,ci95"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    let wait = &summary["scenarios"][0]["overall"]["wait_mean"];
    let row = lines
        .find(|l| l.contains(",overall,wait_mean,"))
        .expect("overall wait_mean row");
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[4], "minutes");
    assert_eq!(
        cells[5].parse::<f64>().unwrap(),
        wait["mean"].as_f64().unwrap()
    );
    assert_eq!(
        cells[6].parse::<f64>().unwrap(),
        wait["ci95"].as_f64().unwrap()
    );
    let tiers = summary["scenarios"][0]["tiers"].as_object().unwrap();
    let rows = long.lines().count() - 1;
    assert!(rows > 2 * tiers.len(), "{rows} rows");
    let written = std::fs::read_to_string(out_dir.join("summary.json")).unwrap();
    assert_eq!(json, written);
    assert_eq!(out(&["--quiet"]), "");
    assert!(out(&["--color", "always"]).contains("\x1b["));
    let plain = out(&["--color", "never"]);
    assert!(
        !plain.contains("\x1b[") && plain.contains("wait_mean"),
        "{plain}"
    );
    // --json and --quiet together mean nothing: refused.
    let o = tiersim(&["run", &file, "--json", "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
}

#[test]
fn compare_prints_json_warns_when_clients_differ_and_refuses_a_sweep() {
    let dir = scratch("terminal-compare");
    let a = quick(&dir, "a.toml", "96.0");
    let b = quick(&dir, "b.toml", "80.0");
    let out_dir = dir.join("out");
    let o = tiersim(&[
        "compare",
        &a,
        &b,
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        std::fs::read_to_string(out_dir.join("compare.json")).unwrap()
    );
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains("warning: A and B do not see the same clients (segment `retail`: rate_per_hour 96 vs 80)"),
        "{stderr}"
    );
    // The same clients: no such warning.
    let o = tiersim(&[
        "compare",
        &a,
        &a,
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(
        o.status.success() && o.stdout.is_empty(),
        "{}",
        text(&o.stderr)
    );
    assert!(!text(&o.stderr).contains("same clients"));
    // A [sweep] is refused, not ignored.
    let o = tiersim(&["compare", &a, "scenarios/sweeps/staffing.toml"]);
    let stderr = text(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(
        stderr.contains("scenarios/sweeps/staffing.toml: has a [sweep]")
            && stderr.contains("tiersim sweep scenarios/sweeps/staffing.toml"),
        "{stderr}"
    );
}

#[test]
fn every_subcommand_help_has_examples_and_completions_are_printed() {
    let cli = Cli::command();
    for sub in cli.get_subcommands() {
        let help = sub
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(
            help.contains("tiersim ") || help.contains("docs/"),
            "`tiersim {} --help` has no example",
            sub.get_name()
        );
    }
    for shell in ["bash", "zsh", "fish"] {
        let o = tiersim(&["completions", shell]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let script = text(&o.stdout);
        assert!(
            script.contains("compare") && script.contains("quiet"),
            "{shell}"
        );
    }
}

/// Every `tiersim ...` command line quoted in the shipped docs, scenario
/// files and `--help` examples, without placeholders.
fn documented_commands() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for dir in ["docs", "scenarios"] {
        let mut todo = vec![root.join(dir)];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    todo.push(p);
                } else if p.extension().is_some_and(|x| x == "md" || x == "toml") {
                    files.push(p);
                }
            }
        }
    }
    let mut texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let name = f.strip_prefix(root).unwrap().display().to_string();
            (name, std::fs::read_to_string(f).unwrap())
        })
        .collect();
    for sub in Cli::command().get_subcommands() {
        let help = sub
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        texts.push((format!("tiersim {} --help", sub.get_name()), help));
    }
    let subcommands: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut out = Vec::new();
    for (name, body) in texts {
        for line in body.lines() {
            // A command starts its line (a code block, a comment, a prompt,
            // or a backticked line); mentions mid-sentence are prose.
            let line = line.trim_start_matches(['#', ' ', '$', '>']);
            let whole = line.starts_with("tiersim ")
                || (line.starts_with("`tiersim ") && line.trim_end().ends_with('`'));
            if !whole {
                continue;
            }
            for part in line.split("&&") {
                let part = part.trim().trim_matches('`');
                let Some(cmd) = part.strip_prefix("tiersim ") else {
                    continue;
                };
                let sub = cmd.split_whitespace().next().unwrap_or("");
                if !subcommands.iter().any(|s| s == sub) {
                    continue;
                }
                let cmd = cmd.split(['`', '#', '|', '(']).next().unwrap().trim();
                let placeholder = cmd.split_whitespace().count() < 2
                    || cmd.contains(['<', '[', '…', '$', '*', '\\', '>'])
                    || cmd.contains("...")
                    || cmd.split_whitespace().any(|w| {
                        w.len() > 1
                            && w.chars()
                                .all(|c| c.is_ascii_uppercase() || c == '.' || c == '/')
                    })
                    || cmd
                        .split_whitespace()
                        .any(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
                if !placeholder {
                    out.push((name.clone(), cmd.to_string()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_documented_command_is_a_valid_command_on_scenarios_that_load() {
    let commands = documented_commands();
    assert!(
        commands.len() >= 20,
        "only {} commands found",
        commands.len()
    );
    let mut failures = Vec::new();
    for (file, cmd) in &commands {
        let words: Vec<&str> = std::iter::once("tiersim")
            .chain(cmd.split_whitespace())
            .collect();
        if let Err(e) = Cli::try_parse_from(&words) {
            failures.push(format!("{file}: `tiersim {cmd}`: {e}"));
            continue;
        }
        // Every scenario it names (in the repository) loads; the files it
        // would write (under output/ or /tmp) are not checked.
        for w in &words {
            let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(w);
            if w.ends_with(".toml")
                && w.starts_with("scenarios/")
                && let Err(e) = tiersim::scenario::load_sweep(&p)
            {
                failures.push(format!("{file}: `tiersim {cmd}`: {e}"));
            }
        }
        // compare refuses a file with a [sweep]: no doc may suggest one.
        if words[1] == "compare" {
            let scenarios: Vec<&&str> = words.iter().filter(|w| w.ends_with(".toml")).collect();
            for s in &scenarios {
                let sweep = tiersim::scenario::load_sweep(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join(s).as_path(),
                );
                if sweep.is_ok_and(|s| !s.axes.is_empty()) {
                    failures.push(format!(
                        "{file}: `tiersim {cmd}`: {s} has a [sweep], which compare refuses"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every documented command whose files are in the repository runs to the
/// end (exit 0), as a user would type it, from a fresh folder that sees
/// the repository's `scenarios/`: what a doc tells a user to type works.
/// Commands that read a results folder (`report output/...`) run after the
/// ones that write it; a command naming a file outside the repository (a
/// bank's call log, a container's path, a fitted scenario made from the
/// log) is only parsed, by the test above.
#[test]
fn every_documented_command_runs() {
    let dir = scratch("documented-commands");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::os::unix::fs::symlink(root.join("scenarios"), dir.join("scenarios")).unwrap();
    // The call-log fixtures documented commands use instead of a bank's log.
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::os::unix::fs::symlink(root.join("tests/fit"), dir.join("tests/fit")).unwrap();
    let mut commands = documented_commands();
    commands.sort_by_key(|(_, cmd)| cmd.starts_with("report "));
    let (mut ran, mut failures) = (0, Vec::new());
    for (file, cmd) in &commands {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        let elsewhere = words
            .iter()
            .any(|w| (w.ends_with(".toml") || w.starts_with("output/")) && !dir.join(w).exists());
        if elsewhere {
            continue;
        }
        ran += 1;
        if words[0] == "serve" {
            if let Err(e) = serves(&dir, &words) {
                failures.push(format!("{file}: `tiersim {cmd}` {e}"));
            }
            continue;
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiersim"))
            .args(&words)
            .current_dir(&dir)
            .output()
            .expect("tiersim runs");
        if !out.status.success() {
            failures.push(format!(
                "{file}: `tiersim {cmd}` exited {:?}: {}",
                out.status.code(),
                text(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ran >= 20, "only {ran} documented commands ran");
}

/// `serve` runs until stopped: the documented command runs (on a free
/// loopback port, without opening a browser) until it prints its address,
/// then it is stopped.
fn serves(dir: &Path, words: &[&str]) -> Result<(), String> {
    use std::io::BufRead;
    let mut args: Vec<&str> = Vec::new();
    let mut rest = words.iter();
    while let Some(w) = rest.next() {
        match *w {
            "--listen" => {
                rest.next();
            }
            "--open" => {}
            w => args.push(w),
        }
    }
    args.extend(["--listen", "127.0.0.1:0"]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tiersim"))
        .args(&args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tiersim runs");
    let mut line = String::new();
    let read = std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    let _ = child.kill();
    let out = child.wait_with_output().expect("tiersim stops");
    match read {
        Ok(_) if line.starts_with("http://127.0.0.1:") => Ok(()),
        _ => Err(format!(
            "did not serve ({:?}): {}",
            out.status.code(),
            text(&out.stderr)
        )),
    }
}
