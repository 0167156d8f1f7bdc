//! "Plan": `tiersim plan` on the page's current state. The what-if is
//! written whole (the file merged with the changes, as `check --expand`
//! prints a file that extends another) into the server's output folder and
//! planned by this same binary, so the plan is exactly the command line's;
//! its files stay in that folder. (Written whole, not as an extension:
//! `plan` re-reads the scenario it writes without expanding `extends`.)

use std::path::Path;
use std::process::Command;

use serde::Serialize;

use super::whatif::{Changes, Refusal, Session};

/// Why there is no plan.
#[derive(Debug)]
pub enum Failure {
    /// The what-if is not a valid scenario.
    Refused(Vec<Refusal>),
    /// `plan` refused it or failed (its message).
    Failed(String),
}

/// A plan, as the page shows it.
#[derive(Debug, Serialize)]
pub struct PlanAnswer {
    /// What `tiersim plan` printed (verdict, staffing by slot, cost).
    pub table: String,
    /// Its `plan.json`.
    pub plan: serde_json::Value,
    /// The folder it wrote.
    pub folder: String,
}

/// Plans the what-if `changes` of `session` with the `tiersim` program
/// `exe`, writing under `out/plan/`.
pub fn plan(
    session: &Session,
    out: &Path,
    exe: &Path,
    changes: &Changes,
) -> Result<PlanAnswer, Failure> {
    session.scenario(changes).map_err(Failure::Refused)?;
    let text = session.whole_text(changes).map_err(Failure::Refused)?;
    let dir = out.join("plan");
    let failed = |what: &str, e: std::io::Error| Failure::Failed(format!("{what}: {e}"));
    std::fs::create_dir_all(&dir).map_err(|e| failed(&dir.display().to_string(), e))?;
    let file = dir.join(format!("{}.toml", session.name()));
    std::fs::write(&file, text).map_err(|e| failed(&file.display().to_string(), e))?;
    let result = dir.join("result");
    let o = Command::new(exe)
        .arg("plan")
        .arg(&file)
        .arg("--out")
        .arg(&result)
        .args(["--color", "never"])
        .output()
        .map_err(|e| failed("tiersim plan", e))?;
    // Exit 3: no staffing tried meets the targets; the plan says so.
    if !matches!(o.status.code(), Some(0 | 3)) {
        // Its message, without the progress lines.
        let stderr = String::from_utf8_lossy(&o.stderr);
        let message: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("progress:"))
            .collect();
        return Err(Failure::Failed(message.join("\n").trim().to_string()));
    }
    let json =
        std::fs::read_to_string(result.join("plan.json")).map_err(|e| failed("plan.json", e))?;
    let plan =
        serde_json::from_str(&json).map_err(|e| Failure::Failed(format!("plan.json: {e}")))?;
    Ok(PlanAnswer {
        table: String::from_utf8_lossy(&o.stdout).to_string(),
        plan,
        folder: result.display().to_string(),
    })
}
