//! The integration tests, in one binary: queueing theory, shipped scenarios,
//! bad input, determinism and the command line as a user runs it.

mod attribute;
mod backtest;
mod bad;
mod bank;
mod cli;
mod common;
mod edges;
mod experiments;
mod extend;
mod failure_demand;
mod fit;
mod journal;
mod outcomes_v2;
mod outputs;
mod plan;
mod properties;
mod remedy;
mod report;
mod retention;
mod risk;
mod robust;
mod rosters;
mod scenarios;
mod serve;
mod serve_page;
mod service;
mod speed;
mod terminal;
mod theory;
mod trace;
mod units;
