//! Errors of reading a call log or a staffing file: each names the file,
//! the 1-based line and column, the field and what was expected. The binary
//! exits with code 2 on any of them (bad input, nothing was written).

use std::path::PathBuf;

/// A call log, staffing file or fitting request that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// A file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A value in the file is missing or malformed.
    #[error("{}:{line}:{column}: field `{field}`: {message}", path.display())]
    Field {
        /// The file.
        path: PathBuf,
        /// 1-based line (the header is line 1).
        line: usize,
        /// 1-based column (field number).
        column: usize,
        /// The field's name.
        field: String,
        /// What was found and what is expected.
        message: String,
    },
    /// The request cannot be met as a whole (no calls in the date range,
    /// too many unusable rows, a staffing file not covering the period).
    #[error("{}: {message}", path.display())]
    Unusable {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
}
