//! A sweep's final files (`summary.json`, `results.csv`,
//! `results_long.csv`, `replications.csv`, `differences.csv`) written in one pass over its
//! finished points, each loaded, summarised and written to every file
//! before the next is loaded: writing a sweep takes the memory of one
//! point, whatever the number of points. Each file is written to a
//! temporary file beside it and renamed over it once all are complete.
//!
//! What a sweep's files hold: every point's estimates (`summary.json`
//! entries and `results.csv` rows), every replication's values
//! (`replications.csv`) and, with a baseline, the paired differences
//! (`differences.csv`). The metrics per slot of the day (`slots`) are in
//! `summary.json` for every point of a plain run or a comparison, but, in a
//! sweep of several points, only for its focus (the baseline, else the
//! first point), which the report draws: every slot of every point would
//! be most of the file (600 MB for 10,000 points of 15-minute slots). Each
//! replication's slot values stay in the journal, `points.jsonl`.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::{Error as _, SerializeSeq, Serializer};

use super::summary::{Point, TOOL};
use super::{csv, json, long};
use crate::error::Error;
use crate::experiment::{
    Difference, Done, FinishedPoints, PointResult, ScenarioSummary, Shape, StopReason, paired,
    summarise,
};
use crate::scenario::Sweep;

/// Called with each point's summary, its entry of `summary.json`, why it
/// stopped and, with a baseline, its paired differences from it (B = the
/// point, A = the baseline).
pub type EachPoint<'a> =
    dyn FnMut(&ScenarioSummary, &super::summary::Point, StopReason, Option<&[Difference]>) + 'a;

/// Which points keep their metrics per slot of the day in `summary.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotsKept {
    /// Every point (a plain run, a comparison).
    Every,
    /// Only the sweep's focus: its baseline, else its first point.
    Focus,
}

/// A file being written: a temporary file beside `path`, renamed over it
/// by [`Staged::commit`]; removed if dropped uncommitted.
struct Staged {
    path: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

/// A buffered writer into a staged file.
type Out = BufWriter<File>;

impl Staged {
    /// Starts writing `path`.
    fn create(path: PathBuf) -> Result<(Staged, Out), Error> {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".tmp{}", std::process::id()));
        let tmp = path.with_file_name(name);
        let file = File::create(&tmp).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        let staged = Staged {
            path,
            tmp,
            committed: false,
        };
        Ok((staged, BufWriter::new(file)))
    }

    fn failed(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Flushes `out` to disk and renames the file into place.
    fn commit(mut self, out: Out) -> Result<(), Error> {
        out.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&self.tmp, &self.path))
            .map_err(|e| self.failed(e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The `scenarios` of `summary.json`, produced one entry at a time while
/// it is serialised; a failure to produce one is kept aside.
struct Lazy<'a> {
    next: RefCell<&'a mut dyn FnMut() -> Option<Result<Point, Error>>>,
    failed: RefCell<Option<Error>>,
}

impl Serialize for Lazy<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut next = self.next.borrow_mut();
        while let Some(entry) = next() {
            match entry {
                Ok(p) => seq.serialize_element(&p)?,
                Err(e) => {
                    *self.failed.borrow_mut() = Some(e);
                    return Err(S::Error::custom("a point could not be written"));
                }
            }
        }
        seq.end()
    }
}

/// `summary.json` with its entries produced while it is written (the same
/// keys, in the same order, as [`super::summary::Summary`]).
#[derive(Serialize)]
struct Streamed<'a> {
    tool: &'static str,
    version: &'static str,
    scenarios: Lazy<'a>,
}

/// The CSV files written beside `summary.json`.
struct Tables {
    results: ::csv::Writer<Out>,
    replications: ::csv::Writer<Out>,
    long: ::csv::Writer<Out>,
    differences: Option<::csv::Writer<Out>>,
}

/// A wide table (header written from `header`, rows without theirs).
fn wide(out: Out, header: &[String]) -> std::io::Result<::csv::Writer<Out>> {
    let mut w = ::csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

/// The writer back from a CSV writer, flushed into it.
fn finish(w: ::csv::Writer<Out>, s: &Staged) -> Result<Out, Error> {
    w.into_inner().map_err(|e| s.failed(e.into_error()))
}

/// Writes a finished sweep's files into `dir` (see the module's doc) from
/// `points`, in point order, calling `each` with every point's summary, why
/// it stopped and, with a baseline, its paired differences from it (B = the
/// point, A = the baseline).
pub fn write_sweep_files(
    dir: &Path,
    sweep: &Sweep,
    points: &dyn FinishedPoints,
    slots: SlotsKept,
    each: &mut EachPoint<'_>,
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let done = points.done();
    let columns = csv::columns(sweep, done.iter().map(|d| d.point));
    let base_at = sweep
        .baseline
        .and_then(|b| done.iter().position(|d| d.point == b));
    let baseline: Option<PointResult> = base_at.map(|i| points.load(i)).transpose()?;
    let focus = base_at
        .or((!done.is_empty()).then_some(0))
        .map(|i| done[i].point);
    let (files, mut summary_out, mut tables) =
        Staging::create(dir, sweep, &columns, baseline.is_some())?;
    let writing = Writing {
        dir,
        sweep,
        points,
        columns: &columns,
        baseline: baseline.as_ref(),
        slots,
        focus,
    };
    let mut i = 0;
    let mut next = || {
        let d = *done.get(i)?;
        i += 1;
        Some(writing.entry(i - 1, d, &mut tables, each))
    };
    let document = Streamed {
        tool: TOOL,
        version: env!("CARGO_PKG_VERSION"),
        scenarios: Lazy {
            next: RefCell::new(&mut next),
            failed: RefCell::new(None),
        },
    };
    let written = serde_json::to_writer_pretty(&mut summary_out, &document);
    if let Some(e) = document.scenarios.failed.into_inner() {
        return Err(e);
    }
    written
        .map_err(std::io::Error::from)
        .and_then(|()| summary_out.write_all(b"\n"))
        .map_err(|e| files.summary.failed(e))?;
    files.commit(summary_out, tables)
}

/// A sweep's files being written: `summary.json` and the tables beside it.
struct Staging {
    summary: Staged,
    results: Staged,
    replications: Staged,
    tidy: Staged,
    differences: Option<Staged>,
}

impl Staging {
    /// Starts every file in `dir` (`differences.csv` only `with_differences`,
    /// with a baseline), the wide tables' headers written from `columns`;
    /// returns them with the writer of `summary.json` and the tables.
    fn create(
        dir: &Path,
        sweep: &Sweep,
        columns: &csv::Columns,
        with_differences: bool,
    ) -> Result<(Staging, Out, Tables), Error> {
        let (summary, summary_out) = Staged::create(dir.join("summary.json"))?;
        let (results, results_out) = Staged::create(dir.join("results.csv"))?;
        let (replications, replications_out) = Staged::create(dir.join("replications.csv"))?;
        let (tidy, tidy_out) = Staged::create(dir.join("results_long.csv"))?;
        let differences = if with_differences {
            Some(Staged::create(dir.join("differences.csv"))?)
        } else {
            None
        };
        let mut tables = Tables {
            results: wide(results_out, &csv::results_header(sweep, columns))
                .map_err(|e| results.failed(e))?,
            replications: wide(replications_out, &csv::replications_header(sweep, columns))
                .map_err(|e| replications.failed(e))?,
            long: wide(tidy_out, &long::header(sweep)).map_err(|e| tidy.failed(e))?,
            differences: None,
        };
        let differences = differences.map(|(s, out)| {
            tables.differences = Some(::csv::Writer::from_writer(out));
            s
        });
        let files = Staging {
            summary,
            results,
            replications,
            tidy,
            differences,
        };
        Ok((files, summary_out, tables))
    }

    /// Flushes `summary_out` and `tables` and renames every file into
    /// place.
    fn commit(self, summary_out: Out, tables: Tables) -> Result<(), Error> {
        let results_out = finish(tables.results, &self.results)?;
        let replications_out = finish(tables.replications, &self.replications)?;
        let tidy_out = finish(tables.long, &self.tidy)?;
        self.summary.commit(summary_out)?;
        self.results.commit(results_out)?;
        self.replications.commit(replications_out)?;
        self.tidy.commit(tidy_out)?;
        if let (Some(w), Some(s)) = (tables.differences, self.differences) {
            let out = finish(w, &s)?;
            s.commit(out)?;
        }
        Ok(())
    }
}

/// What every point of [`write_sweep_files`] is written with.
struct Writing<'a> {
    dir: &'a Path,
    sweep: &'a Sweep,
    points: &'a dyn FinishedPoints,
    columns: &'a csv::Columns,
    baseline: Option<&'a PointResult>,
    slots: SlotsKept,
    /// The point that keeps its slots when only the focus does.
    focus: Option<usize>,
}

impl Writing<'_> {
    /// Finished point `i` (`d`): loaded, summarised, compared with the
    /// baseline, its rows written to `tables`, handed to `each`; its entry
    /// in `summary.json`.
    fn entry(
        &self,
        i: usize,
        d: Done,
        tables: &mut Tables,
        each: &mut EachPoint<'_>,
    ) -> Result<Point, Error> {
        let result = self.points.load(i)?;
        let point = &self.sweep.points[d.point];
        let shape = Shape::of(&point.scenario.model);
        let s = summarise(&point.name, &shape, &result.replications);
        let diffs = self.baseline.map(|b| {
            let base_shape = Shape::of(&self.sweep.points[b.point].scenario.model);
            paired(&base_shape, &b.replications, &shape, &result.replications)
        });
        write_rows(
            tables,
            self.sweep,
            self.columns,
            &result,
            &s,
            diffs.as_deref(),
        )
        .map_err(|source| Error::Write {
            path: self.dir.to_path_buf(),
            source,
        })?;
        let mut entry = json::point(point, &s, d.stop, diffs.as_deref());
        if self.slots == SlotsKept::Focus && Some(d.point) != self.focus {
            entry.slots = None;
        }
        each(&s, &entry, d.stop, diffs.as_deref());
        Ok(entry)
    }
}

/// Writes one point's rows into every CSV file.
fn write_rows(
    tables: &mut Tables,
    sweep: &Sweep,
    columns: &csv::Columns,
    result: &PointResult,
    summary: &ScenarioSummary,
    diffs: Option<&[Difference]>,
) -> std::io::Result<()> {
    let row = csv::result_row(sweep, columns, result.point, result.stop, summary);
    tables.results.serialize(row)?;
    for row in csv::replication_rows(sweep, columns, result) {
        tables.replications.serialize(row)?;
    }
    long::write_point(&mut tables.long, sweep, result.point, summary)?;
    if let (Some(w), Some(d)) = (&mut tables.differences, diffs) {
        for row in csv::difference_rows(&sweep.points[result.point].name, d) {
            w.serialize(row)?;
        }
    }
    Ok(())
}
