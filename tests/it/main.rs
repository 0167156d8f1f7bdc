//! The integration tests, in one binary: queueing theory, shipped scenarios,
//! bad input, determinism and the command line as a user runs it.

mod bank;
mod cli;
mod common;
mod experiments;
mod plan;
mod report;
mod scenarios;
mod service;
mod theory;
