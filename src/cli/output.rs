//! What `run`, `compare` and `plan` print on the terminal: `--quiet`,
//! `--color auto|always|never` and `--json` (the summary document to
//! stdout), shared so the three commands behave alike.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

/// When tables get colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always (e.g. piping into `less -R`).
    Always,
    /// Never.
    Never,
}

/// The terminal-output flags of `run`, `compare` and `plan`.
#[derive(Clone, Debug, Default, Args)]
pub struct OutputArgs {
    /// Print no table and no notes on stdout (errors and warnings still go
    /// to stderr; the files are written as usual).
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour in tables.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print the summary document (summary.json, compare.json or plan.json)
    /// to stdout instead of the table.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
}

/// The `--color` choice of this command line (auto until set).
static COLOR: OnceLock<ColorChoice> = OnceLock::new();

impl OutputArgs {
    /// Records `--color` for [`colour`]; call once, before any table.
    pub fn apply(&self) {
        let _ = COLOR.set(self.color);
    }

    /// Whether the usual terminal table and notes are printed.
    pub fn table(&self) -> bool {
        !self.quiet && !self.json
    }

    /// With `--json`, prints the document at `path` (one the command just
    /// wrote) to stdout.
    pub fn print_json(&self, path: &Path) -> Result<()> {
        if self.json {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
        }
        Ok(())
    }
}

/// Whether tables get colour: `--color always|never`, or with `auto` only
/// when stdout is a terminal and `NO_COLOR` is not set
/// (<https://no-color.org>).
pub(crate) fn colour() -> bool {
    match COLOR.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
