//! `report.html` of a plan.

use std::path::{Path, PathBuf};

use super::Plan;
use super::output::WeeklyCost;
use super::shifts::ShiftPlan;
use crate::error::Error;
use crate::model::Model;
use crate::scenario::Goals;

/// Writes `report.html` of a plan into `dir`.
pub fn write_report(
    dir: &Path,
    _model: &Model,
    _goals: &Goals,
    _plan: &Plan,
    _shifts: &[Option<ShiftPlan>],
    _cost: &WeeklyCost,
) -> Result<PathBuf, Error> {
    let path = dir.join("report.html");
    crate::report::write_atomic(&path, b"<!doctype html>")?;
    Ok(path)
}
