//! The journeys file (`--journeys`): one CSV row per contact episode of
//! every client arriving after the warm-up (first contacts, redials and
//! repeat contacts), for researchers to load into pandas or R; the columns
//! are documented in docs/journeys.md.
//!
//! Streamed, memory flat in run length: each replication writes its rows
//! through a buffered writer into its own part file as its contacts end
//! (`journeys.csv.parts/`); when the run is over the parts are copied in
//! (point, replication) order into `journeys.csv`, written atomically (a
//! temporary file renamed), so the file's bytes do not depend on the
//! threads or on the order replications finished in.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::runner::Done;
use crate::error::Error;
use crate::model::{ContactRecord, ContactSink, Model, ReplicationResult, simulate_recorded};

/// The journeys file's name in an output folder.
pub const FILE: &str = "journeys.csv";

/// The folder of the part files while a run writes them.
const PARTS: &str = "journeys.csv.parts";

/// Bytes buffered per part file before a write.
const BUFFER: usize = 1 << 16;

/// What the first column says of each row's sweep point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// Nothing (`run` of a scenario without a sweep).
    None,
    /// A `point` column: the point's name, by index.
    Point(Vec<String>),
    /// A `side` column: `A` or `B` (`compare`).
    Side,
}

impl Label {
    /// The `(point, side)` columns of point `index`.
    fn columns(&self, index: usize) -> (Option<&str>, Option<&'static str>) {
        match self {
            Label::None => (None, None),
            Label::Point(names) => (Some(names[index].as_str()), None),
            Label::Side => (None, Some(if index == 0 { "A" } else { "B" })),
        }
    }
}

/// One row of the journeys file: one contact episode.
#[derive(Serialize)]
struct Row<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    point: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'static str>,
    replication: u32,
    client: u64,
    segment: &'a str,
    request: &'a str,
    channel: Option<&'a str>,
    attempt: u32,
    contact: &'static str,
    tier: Option<&'a str>,
    arrival: f64,
    service_start: Option<f64>,
    service_end: Option<f64>,
    end: Option<f64>,
    wait: f64,
    outcome: &'static str,
    handoff: &'static str,
    cold_handoffs: u32,
    warm_handoffs: u32,
    then: Option<&'static str>,
    utility: Option<f64>,
    satisfaction: Option<f64>,
    sale: Option<bool>,
}

impl<'a> Row<'a> {
    /// The row of `c`, a contact of replication `replication` of `model`.
    fn of(
        model: &'a Model,
        (point, side): (Option<&'a str>, Option<&'static str>),
        replication: u32,
        c: &ContactRecord,
    ) -> Self {
        let handoff = match (c.cold_handoffs > 0, c.warm_handoffs > 0) {
            (false, false) => "none",
            (true, false) => "cold",
            (false, true) => "warm",
            (true, true) => "both",
        };
        Row {
            point,
            side,
            replication,
            client: c.client,
            segment: &model.segments[c.segment].name,
            request: &model.requests[c.request].name,
            channel: c.channel.map(|ch| model.channels[ch].name.as_str()),
            attempt: c.attempt,
            contact: c.kind.as_str(),
            tier: c.tier.map(|t| model.tiers[t].name.as_str()),
            arrival: c.arrival,
            service_start: c.service_start,
            service_end: c.service_end,
            end: c.end,
            wait: c.wait,
            outcome: c.outcome.as_str(),
            handoff,
            cold_handoffs: c.cold_handoffs,
            warm_handoffs: c.warm_handoffs,
            then: match c.then {
                crate::model::ContactKind::First => None,
                other => Some(other.as_str()),
            },
            utility: c.score.map(|s| s.utility),
            satisfaction: c.score.map(|s| s.satisfaction),
            sale: c.score.map(|s| s.sale),
        }
    }
}

/// The journeys file of a run being written into `dir`: the part files of
/// its replications, then the whole.
#[derive(Clone, Debug)]
pub struct Journeys {
    dir: PathBuf,
    label: Label,
    /// The first failure to write a part (the run stops on it).
    failed: Arc<Mutex<Option<Error>>>,
}

/// A replication's rows on their way to its part file.
struct Part<'a> {
    model: &'a Model,
    columns: (Option<&'a str>, Option<&'static str>),
    replication: u32,
    out: csv::Writer<BufWriter<File>>,
    error: Option<csv::Error>,
}

impl ContactSink for Part<'_> {
    fn record(&mut self, contact: &ContactRecord) {
        if self.error.is_none() {
            let row = Row::of(self.model, self.columns, self.replication, contact);
            if let Err(e) = self.out.serialize(row) {
                self.error = Some(e);
            }
        }
    }
}

impl Journeys {
    /// Starts the journeys file of a run in `dir` (clearing the parts an
    /// earlier run cut short may have left), with rows labelled by `label`.
    pub fn create(dir: &Path, label: Label) -> Result<Journeys, Error> {
        let parts = dir.join(PARTS);
        let failed = |source| Error::Write {
            path: parts.clone(),
            source,
        };
        if parts.exists() {
            std::fs::remove_dir_all(&parts).map_err(failed)?;
        }
        std::fs::create_dir_all(&parts).map_err(failed)?;
        Ok(Journeys {
            dir: dir.to_path_buf(),
            label,
            failed: Arc::new(Mutex::new(None)),
        })
    }

    fn part(&self, point: usize, replication: u32) -> PathBuf {
        self.dir
            .join(PARTS)
            .join(format!("{point:06}-{replication:06}.csv"))
    }

    /// Runs replication `replication` of point `point` (whose model is
    /// `model`), writing its rows into its part file. `None` when the
    /// part could not be written (the failure is kept for [`Self::failure`]).
    pub fn simulate(
        &self,
        model: &Model,
        point: usize,
        replication: u32,
    ) -> Option<ReplicationResult> {
        let path = self.part(point, replication);
        let written = (|| {
            let file = File::create(&path)?;
            let mut part = Part {
                model,
                columns: self.label.columns(point),
                replication,
                out: csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(BufWriter::with_capacity(BUFFER, file)),
                error: None,
            };
            let result = simulate_recorded(model, replication, &mut part);
            if let Some(e) = part.error {
                return Err(std::io::Error::other(e));
            }
            part.out.flush()?;
            Ok(result)
        })();
        match written {
            Ok(result) => Some(result),
            Err(source) => {
                let mut failed = self.failed.lock().expect("no panics while locked");
                failed.get_or_insert(Error::Write { path, source });
                None
            }
        }
    }

    /// The first failure to write a part, if any (taken).
    pub fn failure(&self) -> Option<Error> {
        self.failed.lock().expect("no panics while locked").take()
    }

    /// The header line: the columns of this run's rows.
    fn header(&self) -> Vec<u8> {
        let (point, side) = match &self.label {
            Label::None => (None, None),
            Label::Point(_) => (Some(""), None),
            Label::Side => (None, Some("A")),
        };
        let row = Row {
            point,
            side,
            replication: 0,
            client: 0,
            segment: "",
            request: "",
            channel: None,
            attempt: 0,
            contact: "",
            tier: None,
            arrival: 0.0,
            service_start: None,
            service_end: None,
            end: None,
            wait: 0.0,
            outcome: "",
            handoff: "",
            cold_handoffs: 0,
            warm_handoffs: 0,
            then: None,
            utility: None,
            satisfaction: None,
            sale: None,
        };
        let mut out = csv::Writer::from_writer(Vec::new());
        out.serialize(row).expect("a row serialises into memory");
        let bytes = out.into_inner().expect("memory does not fail");
        let end = bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
        bytes[..end].to_vec()
    }

    /// Joins the parts of the finished points `done` (in point order) into
    /// `journeys.csv`, replication by replication, and removes them.
    pub fn finish(&self, done: &[Done]) -> Result<(), Error> {
        let path = self.dir.join(FILE);
        let tmp = self.dir.join(format!("{FILE}.tmp{}", std::process::id()));
        let written = (|| {
            let mut out = BufWriter::with_capacity(BUFFER, File::create(&tmp)?);
            out.write_all(&self.header())?;
            for d in done {
                for r in 0..d.replications {
                    let mut part = File::open(self.part(d.point, r))?;
                    std::io::copy(&mut part, &mut out)?;
                }
            }
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        std::fs::remove_dir_all(self.dir.join(PARTS)).map_err(|source| Error::Write {
            path: self.dir.join(PARTS),
            source,
        })
    }
}
