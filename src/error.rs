//! The library's error type. Scenario problems carry the file, line, column
//! and field of each problem, rendered with the offending line and a caret.

use std::path::PathBuf;

/// Anything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario file is malformed or inconsistent (fatal for that file;
    /// nothing was run).
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Results on disk are missing, damaged, or belong to another scenario
    /// or run (fatal; nothing on disk was changed).
    #[error("{}: {message}", path.display())]
    Results {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A replication reached `run.max_clients_inside` and stopped: the
    /// design cannot keep up (fatal for the run; points finished before are
    /// kept).
    #[error("scenario `{scenario}`: {message}")]
    Overloaded {
        /// The scenario (or sweep point).
        scenario: String,
        /// What happened, the overloaded tier and its offered load.
        message: String,
    },
    /// A result file could not be written (what was already written is
    /// intact: files are replaced atomically).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Every problem found in one scenario file.
#[derive(Debug, Clone)]
pub struct ScenarioError {
    /// The file as the user named it.
    pub file: String,
    /// The problems, in file order.
    pub problems: Vec<Problem>,
    /// All problems rendered with source lines and carets.
    pub rendered: String,
}

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field, as a dotted path (`tier.front.servers`).
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.rendered.trim_end())
    }
}

impl std::error::Error for ScenarioError {}
