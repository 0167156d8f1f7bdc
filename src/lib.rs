//! tiersim simulates how a bank's relationship managers (RMs) serve their
//! clients, so that a bank can test a change (more staff, a chatbot, a new
//! escalation rule) before it makes it.
//!
//! # Concepts
//!
//! A **client** of some **segment** arrives, joins its entry **tier** (a pool
//! of **servers** of one skill level), waits in the tier's queue until a
//! server is free (or **abandons** when its **patience** runs out, or is
//! **blocked** by a full queue), is served, and then either leaves or is
//! **escalated** to another tier. A **scenario** fixes every parameter; a
//! **replication** is one independent run of it with its own random streams.
//!
//! # Life of a scenario
//!
//! `scenario` parses and validates a TOML file into a `model::Model`;
//! `experiment` runs its replications in parallel and turns them into
//! estimates with confidence intervals; `report` writes them out. The
//! `engine` underneath is a domain-free discrete-event kernel.
//!
//! Layers (each uses only those after it): `cli` → `plan` → `report` →
//! `experiment` → `scenario` → `model` → `engine`; `analytic` (closed-form
//! queueing results) and `error` are leaves. `plan` finds the staffing that
//! meets a scenario's `[targets]` at least `[cost]`.

#![warn(missing_docs)]

pub mod analytic;
pub mod cli;
pub mod engine;
pub mod error;
pub mod experiment;
pub mod fit;
pub mod fuzzing;
pub mod model;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod serve;

pub use error::Error;
