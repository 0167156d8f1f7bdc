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
//!
//! Resumable: a part file is written under a temporary name and renamed
//! when its replication is complete, so a part on disk is always whole;
//! `--resume` keeps the parts of the points finished before the
//! interruption, and [`Journeys::finish`] simulates again the replications
//! of finished points whose part is missing (a point finished by a run
//! without `--journeys`): a replication is the same whatever run computes
//! it, so the file is the same bytes as an uninterrupted run's. A new
//! journal clears the parts ([`clear_parts`]), so no part of another run
//! is ever joined. [`merge`] joins the shards' files.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use super::runner::Done;
use crate::error::Error;
use crate::model::{ContactRecord, ContactSink, Model, ReplicationResult, simulate_recorded};

/// The journeys file's name in an output folder.
pub const FILE: &str = "journeys.csv";

/// The folder of the part files while a run writes them.
const PARTS: &str = "journeys.csv.parts";

/// Removes the part files an earlier run left in `dir` (a new journal
/// starts there: they belong to another run).
pub fn clear_parts(dir: &Path) -> Result<(), Error> {
    let parts = dir.join(PARTS);
    if parts.exists() {
        std::fs::remove_dir_all(&parts).map_err(|source| Error::Write {
            path: parts.clone(),
            source,
        })?;
    }
    Ok(())
}

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
        clear_parts(dir)?;
        Journeys::resume(dir, label)
    }

    /// Goes on with the journeys file of an interrupted run in `dir`
    /// (`--resume`): keeps the whole parts it wrote.
    pub fn resume(dir: &Path, label: Label) -> Result<Journeys, Error> {
        let parts = dir.join(PARTS);
        std::fs::create_dir_all(&parts).map_err(|source| Error::Write {
            path: parts.clone(),
            source,
        })?;
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
        let tmp = path.with_extension("csv.tmp");
        let written = (|| {
            let file = File::create(&tmp)?;
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
            drop(part);
            // An overloaded replication stopped early: its part is not whole.
            if result.overload.is_none() {
                std::fs::rename(&tmp, &path)?;
            } else {
                std::fs::remove_file(&tmp)?;
            }
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

    /// Simulates again, in parallel on the current rayon pool, the
    /// replications of the finished points `done` whose part is missing
    /// (points finished by a run without `--journeys` before a `--resume`
    /// with it); `model(point)` is the point's model.
    fn fill<'m>(
        &self,
        done: &[Done],
        model: &(dyn Fn(usize) -> &'m Model + Sync),
    ) -> Result<(), Error> {
        let missing: Vec<(usize, u32)> = done
            .iter()
            .flat_map(|d| (0..d.replications).map(move |r| (d.point, r)))
            .filter(|&(point, r)| !self.part(point, r).is_file())
            .collect();
        let overloads: Vec<Error> = missing
            .par_iter()
            .with_max_len(1)
            .filter_map(|&(point, r)| {
                let m = model(point);
                let result = self.simulate(m, point, r)?;
                result.overload.map(|o| Error::Overloaded {
                    scenario: m.name.clone(),
                    message: o.explain(m, r),
                })
            })
            .collect();
        if let Some(e) = self.failure() {
            return Err(e);
        }
        match overloads.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
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
    /// `journeys.csv`, replication by replication, and removes them; a
    /// missing part is simulated again first (on the current rayon pool;
    /// `model(point)` is the point's model).
    pub fn finish<'m>(
        &self,
        done: &[Done],
        model: &(dyn Fn(usize) -> &'m Model + Sync),
    ) -> Result<(), Error> {
        self.fill(done, model)?;
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

/// Joins the journeys files of the shards in `shards` (all complete, of
/// one sweep whose points are named `names`, in order) into `out`'s
/// `journeys.csv`: the same bytes as an unsharded run's, the rows point by
/// point (each shard holds its points in order, so the join streams, one
/// row at a time). Nothing when no shard has a journeys file; refused when
/// only some have one.
pub fn merge(shards: &[PathBuf], names: &[String], out: &Path) -> Result<(), Error> {
    let files: Vec<PathBuf> = shards.iter().map(|d| d.join(FILE)).collect();
    let (with, without): (Vec<&PathBuf>, Vec<&PathBuf>) = files.iter().partition(|f| f.is_file());
    if with.is_empty() {
        return Ok(());
    }
    if let Some(missing) = without.first() {
        return Err(Error::Results {
            path: missing.to_path_buf(),
            message: format!(
                "missing, while {} has one: run every shard with --journeys (or none), then merge",
                with[0].display()
            ),
        });
    }
    let path = out.join(FILE);
    let tmp = out.join(format!("{FILE}.tmp{}", std::process::id()));
    let written = join(&files, names, &tmp).and_then(|()| {
        std::fs::rename(&tmp, &path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// One shard's journeys file being read, with its next row.
struct Shard {
    path: PathBuf,
    rows: csv::Reader<File>,
    next: csv::ByteRecord,
    /// The point of `next`; `None` when the file is read to its end.
    point: Option<usize>,
}

impl Shard {
    /// Reads the next row and its point (by its name in the first column;
    /// point 0 without a `point` column, a single point).
    fn advance(&mut self, index: &std::collections::HashMap<&[u8], usize>) -> Result<(), Error> {
        let bad = |message: String| Error::Results {
            path: self.path.clone(),
            message,
        };
        let more = self
            .rows
            .read_byte_record(&mut self.next)
            .map_err(|e| bad(format!("not a journeys file tiersim wrote: {e}")))?;
        let before = self.point;
        self.point = match more {
            false => None,
            true if index.is_empty() => Some(0),
            true => Some(*index.get(&self.next[0]).ok_or_else(|| {
                bad(format!(
                    "line {}: point `{}` is not a point of the shards' sweep",
                    self.rows.position().line(),
                    String::from_utf8_lossy(&self.next[0])
                ))
            })?),
        };
        if let (Some(b), Some(p)) = (before, self.point)
            && p < b
        {
            return Err(bad(format!(
                "line {}: the points are out of order: not a journeys file tiersim wrote",
                self.rows.position().line()
            )));
        }
        Ok(())
    }
}

/// Writes into `tmp` the rows of `files` point by point (see [`merge`]).
fn join(files: &[PathBuf], names: &[String], tmp: &Path) -> Result<(), Error> {
    let index: std::collections::HashMap<&[u8], usize> = if names.len() > 1 {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_bytes(), i))
            .collect()
    } else {
        Default::default()
    };
    let mut shards = Vec::new();
    for path in files {
        let rows = csv::Reader::from_path(path).map_err(|e| Error::Read {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        let mut shard = Shard {
            path: path.clone(),
            rows,
            next: csv::ByteRecord::new(),
            point: None,
        };
        shard.advance(&index)?;
        shards.push(shard);
    }
    let write = |e: csv::Error| Error::Write {
        path: tmp.to_path_buf(),
        source: std::io::Error::other(e),
    };
    let file = File::create(tmp).map_err(|source| Error::Write {
        path: tmp.to_path_buf(),
        source,
    })?;
    let mut out = csv::Writer::from_writer(BufWriter::with_capacity(BUFFER, file));
    let header = shards[0].rows.byte_headers().map_err(write)?.clone();
    for other in &mut shards {
        if other.rows.byte_headers().ok() != Some(&header) {
            return Err(Error::Results {
                path: other.path.clone(),
                message: "its columns differ from the other shards' journeys files".into(),
            });
        }
    }
    out.write_byte_record(&header).map_err(write)?;
    // The shard holding the lowest point next, until every file is read.
    while let Some(s) = (0..shards.len())
        .filter(|&s| shards[s].point.is_some())
        .min_by_key(|&s| shards[s].point)
    {
        let point = shards[s].point;
        while shards[s].point == point {
            out.write_byte_record(&shards[s].next).map_err(write)?;
            shards[s].advance(&index)?;
        }
    }
    let failed = |source| Error::Write {
        path: tmp.to_path_buf(),
        source,
    };
    let buffered = out.into_inner().map_err(|e| failed(e.into_error()))?;
    let file = buffered.into_inner().map_err(|e| failed(e.into_error()))?;
    file.sync_all().map_err(failed)
}
