//! `tiersim report`: the plots and report.html of an output folder.

use std::path::Path;

use anyhow::Result;

use crate::report;

/// `report`: the plots and report.html of an output folder.
pub(super) fn make_report(dir: &Path) -> Result<()> {
    // An `attribute` folder has its own page (report/attribution_html.rs).
    if dir.join(report::attribution::JSON).is_file() {
        let file = report::attribution::read(dir)?;
        report::attribution::write_report(dir, &file)?;
        eprintln!("wrote {}", dir.join("report.html").display());
        return Ok(());
    }
    let outcome = report::make_report(dir, &report::ReportOptions::default())?;
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "wrote {} and {} plot files",
        outcome.html.display(),
        outcome.files.len()
    );
    Ok(())
}
