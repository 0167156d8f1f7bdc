//! `extends`: the shipped files that extend another expand to exactly the
//! scenario they ran when they were whole copies, a mistake is reported in
//! the file that holds it, and `check --expand` prints the merged file.

use std::path::Path;

use crate::common::{scratch, text, tiersim};
use tiersim::error::Error;

/// The file at `path` (from the repository root) as a TOML table.
fn table(path: &str) -> toml::Table {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    toml::from_str(&std::fs::read_to_string(root.join(path)).unwrap()).unwrap()
}

#[test]
fn the_case_study_after_file_expands_to_the_copy_it_replaced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expanded =
        tiersim::scenario::expanded_text(&root.join("scenarios/case-study/after.toml")).unwrap();
    let expanded: toml::Table = toml::from_str(&expanded).unwrap();
    assert_eq!(
        expanded,
        table("tests/extends/case-study-after-as-copied.toml")
    );
    // And through the command line, as TOML a user can read.
    let out = tiersim(&["check", "--expand", "scenarios/case-study/after.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed: toml::Table = toml::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(printed, expanded);
    assert!(!printed.contains_key("extends") && !printed.contains_key("remove"));
}

#[test]
fn a_mistake_is_reported_in_the_file_that_holds_it() {
    let dir = scratch("extend-blame");
    let base = "name = \"base\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 1.0\n\n[[segment]]\nname = \"s\"\nrate_per_hour = -6.0\n\n[[tier]]\nname = \"t\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n";
    std::fs::write(dir.join("base.toml"), base).unwrap();
    let ext = "extends = \"base.toml\"\nname = \"ext\"\n\n[[tier]]\nname = \"t\"\nservers = 0\n";
    std::fs::write(dir.join("ext.toml"), ext).unwrap();
    let Err(Error::Scenario(e)) = tiersim::scenario::load(&dir.join("ext.toml")) else {
        panic!("refused")
    };
    let base_file = dir.join("base.toml").display().to_string();
    let ext_file = dir.join("ext.toml").display().to_string();
    let lines: Vec<(usize, &str)> = e
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(
        lines,
        [(6, "tier.t.servers"), (8, "segment.s.rate_per_hour")]
    );
    assert!(
        e.rendered.contains(&format!("{ext_file}:6:1")),
        "{}",
        e.rendered
    );
    assert!(
        e.rendered.contains(&format!("{base_file}:8:1")),
        "{}",
        e.rendered
    );
    // Fixing the extension's value leaves the base's mistake in the base.
    let fixed = ext.replace("servers = 0", "servers = 2");
    std::fs::write(dir.join("ext.toml"), fixed).unwrap();
    let Err(Error::Scenario(e)) = tiersim::scenario::load(&dir.join("ext.toml")) else {
        panic!("refused")
    };
    assert_eq!(e.problems.len(), 1);
    assert!(
        e.rendered.starts_with(&format!("error: {base_file}:8:1")),
        "{}",
        e.rendered
    );
}

#[test]
fn a_chain_of_files_merges_in_order_and_removes() {
    let dir = scratch("extend-chain");
    std::fs::write(
        dir.join("a.toml"),
        "name = \"a\"\n[run]\nhorizon = 100.0\nservice_level_threshold = 1.0\nseed = 1\n\n[[segment]]\nname = \"s\"\nrate_per_hour = 6.0\nentry = \"t\"\n\n[[tier]]\nname = \"t\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\nescalate = [{ to = \"u\", probability = 0.5 }]\n\n[[tier]]\nname = \"u\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("sub/b.toml"),
        "extends = \"../a.toml\"\nname = \"b\"\n[run]\nseed = 2\n[[tier]]\nname = \"t\"\nservers = 4\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/c.toml"),
        "extends = \"b.toml\"\nname = \"c\"\nremove = [\"tier.u\", \"tier.t.escalate\"]\n",
    )
    .unwrap();
    let c = tiersim::scenario::load(&dir.join("sub/c.toml"))
        .unwrap()
        .model;
    assert_eq!(
        (c.name.as_str(), c.run.seed, c.run.horizon),
        ("c", 2, 100.0)
    );
    assert_eq!(c.tiers.len(), 1);
    assert_eq!(c.tiers[0].servers.count(), Some(4));
}
