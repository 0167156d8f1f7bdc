//! `tiersim check`: validate a scenario and say what running it asks and
//! costs, without running it.

use std::path::Path;

use anyhow::Result;

use super::run::print_warnings;
use crate::report;
use crate::scenario;

/// `check`: validates a scenario and prints what running it asks and costs
/// (or, with `expand`, the scenario merged with the files it `extends`).
pub(super) fn check(file: &Path, threads: Option<usize>, expand: bool) -> Result<()> {
    let sweep = scenario::load_sweep(file)?;
    if expand {
        print!("{}", scenario::expanded_text(file)?);
        return Ok(());
    }
    print_warnings(file, &sweep);
    let threads = threads.unwrap_or_else(rayon::current_num_threads).max(1);
    print!(
        "{}",
        report::check::render(&file.display().to_string(), &sweep, threads)
    );
    Ok(())
}
