//! The journal of a sweep, `points.jsonl`: a header line naming the run
//! (scenario, file hash and text, options, shard, tiersim version), then one
//! line per finished point, appended and flushed as each point finishes. A
//! sweep killed half-way loses at most the points still running; `--resume`
//! reads the journal back and runs only what is missing.
//!
//! The journal must not lie, since `--resume` and `merge` trust it. Each
//! line carries a SHA-256 checksum of its content and each point its
//! identity (the run and its index; see [`line`]). On resume, a line that
//! fails its checksum, is not text or not a journal line, belongs to
//! another run, repeats a point already read, or was cut short is dropped
//! with a note naming its line number, and its point is computed again;
//! the journal is rewritten without it. `merge` refuses such a journal
//! instead (resume the shard first). Journals of format 1 (without
//! checksums) are refused by `--resume` and `merge`: run again without
//! `--resume`. The folder is locked ([`lock`]) while a journal is open, and
//! a new run clears the files an earlier run left there ([`stale`]).

pub mod line;
pub mod lock;
pub mod stale;
pub mod stored;

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::PointResult;
use super::runner::Done;
use crate::error::Error;
use line::FirstLine;
pub use lock::FolderLock;
pub use stored::Stored;

/// The journal's file name inside an output folder.
pub const FILE: &str = "points.jsonl";

/// What a journal is the journal of. Two runs may share a journal only if
/// their headers are equal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// tiersim version that wrote it.
    pub tool_version: String,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario file.
    pub content_hash: String,
    /// Points in the whole sweep.
    pub points: usize,
    /// This part of a sharded sweep: (k, n), 1-based k.
    pub shard: Option<(usize, usize)>,
    /// How replications were chosen (precision targets, maximum).
    pub options: String,
    /// The scenario file's text.
    pub source: String,
}

impl Header {
    /// A one-line description for messages.
    fn describe(&self) -> String {
        let shard = self
            .shard
            .map_or(String::new(), |(k, n)| format!(", shard {k}/{n}"));
        format!(
            "scenario `{}` (file hash {}…{shard}, {}, tiersim {})",
            self.scenario,
            &self.content_hash[..12.min(self.content_hash.len())],
            if self.options.is_empty() {
                "fixed replications"
            } else {
                &self.options
            },
            self.tool_version
        )
    }
}

/// An open journal, appended to from worker threads; it holds the lock of
/// its folder until dropped.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    header: Header,
    file: Mutex<File>,
    _lock: FolderLock,
}

/// A journal reopened by [`Journal::resume`].
#[derive(Debug)]
pub struct Resumed {
    /// The journal, open for the missing points.
    pub journal: Journal,
    /// The finished points it holds (what is kept of them), in file order.
    pub points: Vec<Done>,
    /// One note per line dropped (naming the file, the line and why).
    pub notes: Vec<String>,
}

/// A journal as read: its header, the sound points, and the lines dropped.
struct Scan {
    header: Header,
    /// The sound points, in file order, where their lines are (only the
    /// metrics' place is kept, so that scanning is flat in memory).
    points: Vec<(Done, stored::Place)>,
    /// Line numbers of the sound point lines.
    kept: Vec<usize>,
    /// (line number, why) of every line dropped.
    dropped: Vec<(usize, String)>,
}

/// What an output folder's journal is.
enum Found {
    /// No journal (or only a header cut short, before any point).
    Nothing,
    /// A journal of another format: the format and the header, if readable.
    Format(u32, Option<Header>),
    /// A journal of this format (only its header, when `points` was not
    /// asked for).
    Current(Scan),
}

/// Reads the next line of `reader` into `buf` (without its newline);
/// `Ok(Some(false))` for a last line cut short, `Ok(None)` at the end.
fn next_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buf.clear();
    if reader.read_until(b'\n', buf)? == 0 {
        return Ok(None);
    }
    let whole = buf.last() == Some(&b'\n');
    if whole {
        buf.pop();
    }
    Ok(Some(whole))
}

/// Reads the journal in `path`: the header, and with `points` every line
/// after it, each either kept or dropped with the reason.
fn scan(path: &Path, points: bool) -> Result<Found, Error> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let io = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::new(file);
    let mut buf = Vec::new();
    // A header cut short: the run was killed before writing anything else.
    if next_line(&mut reader, &mut buf).map_err(io)? != Some(true) {
        return Ok(Found::Nothing);
    }
    let start = buf.len() as u64 + 1;
    let header = match line::first_line(&buf) {
        Ok(FirstLine::Header(h)) => h,
        Ok(FirstLine::Format(f, h)) => return Ok(Found::Format(f, h)),
        Err(why) => {
            return Err(Error::Results {
                path: path.to_path_buf(),
                message: format!(
                    "line 1: {why}; the journal's header is damaged, so nothing in it can be \
                     trusted (delete the folder, or the file, to start over)"
                ),
            });
        }
    };
    let mut found = Scan {
        header,
        points: Vec::new(),
        kept: Vec::new(),
        dropped: Vec::new(),
    };
    if points {
        scan_points(&mut reader, start, &mut found).map_err(io)?;
    }
    Ok(Found::Current(found))
}

/// Reads the point lines after the header (which start at byte `offset`)
/// into `found`: each sound point is kept (the first, if repeated); every
/// other line is dropped with why.
fn scan_points(
    reader: &mut impl BufRead,
    mut offset: u64,
    found: &mut Scan,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut number = 1;
    while let Some(whole) = next_line(reader, &mut buf)? {
        number += 1;
        let place = stored::Place {
            offset,
            len: buf.len(),
        };
        offset += buf.len() as u64 + u64::from(whole);
        if !whole {
            let why = "cut short (no end of line)".to_string();
            found.dropped.push((number, why));
            break;
        }
        match line::point(&found.header, &buf) {
            Err(why) => found.dropped.push((number, why)),
            Ok(p) => match seen.get(&p.point) {
                Some(first) => found.dropped.push((
                    number,
                    format!(
                        "point {} again (first at line {first}): a duplicate; the first is kept",
                        p.point
                    ),
                )),
                None => {
                    seen.insert(p.point, number);
                    found.kept.push(number);
                    found.points.push((Done::of(&p), place));
                }
            },
        }
    }
    Ok(())
}

/// The refusal of a journal of another format.
fn other_format(path: &Path, format: u32, header: Option<&Header>) -> Error {
    let by = header.map_or(String::new(), |h| format!(" by tiersim {}", h.tool_version));
    let why = if format == line::SHORTER_METRICS {
        "whose metric arrays may be shorter (tiersim before redials and repeat contacts \
         added attempts, redials, unique_clients, abandon_rate_final, redial_minutes_mean, \
         repeat_contacts and failure_demand_share), so its values cannot be placed by name"
            .to_string()
    } else if format < line::FORMAT {
        "which has no checksums, so its points cannot be checked".to_string()
    } else {
        format!("which this tiersim (format {}) cannot read", line::FORMAT)
    };
    Error::Results {
        path: path.to_path_buf(),
        message: format!(
            "written{by} in journal format {format}, {why}; run the same command without \
             --resume to compute the points again"
        ),
    }
}

/// Reads the journal in `dir` (for merging, and for a run's final files):
/// its header and its finished points, left on disk and read back one at a
/// time. Any dropped line is refused, naming it: resuming the shard
/// repairs it.
pub fn read(dir: &Path) -> Result<(Header, Stored), Error> {
    let path = dir.join(FILE);
    match scan(&path, true)? {
        Found::Nothing => Err(Error::Results {
            path: dir.to_path_buf(),
            message: format!("no {FILE} here: not the output folder of a tiersim run"),
        }),
        Found::Format(f, h) => Err(other_format(&path, f, h.as_ref())),
        Found::Current(s) => match s.dropped.first() {
            Some((number, why)) => Err(Error::Results {
                path,
                message: format!(
                    "line {number}: {why}; run this part again with --resume, which drops \
                     such lines and computes their points again"
                ),
            }),
            None => {
                let stored = Stored::new(path, s.header.clone(), s.points);
                Ok((s.header, stored))
            }
        },
    }
}

/// Locks output folder `dir` for a command that writes no journal
/// (`merge`), and clears the files an earlier run left there.
pub fn claim(dir: &Path) -> Result<FolderLock, Error> {
    let lock = FolderLock::acquire(dir)?;
    stale::clear(dir)?;
    Ok(lock)
}

/// Rewrites the journal at `path` with only line 1 and the lines `kept`
/// (in order), through a temporary file renamed over it.
fn rewrite(path: &Path, kept: &[usize]) -> Result<(), Error> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        let mut reader = BufReader::new(File::open(path)?);
        let mut out = BufWriter::new(File::create(&tmp)?);
        let mut buf = Vec::new();
        let mut keep = kept.iter().peekable();
        let mut number = 0;
        while let Some(true) = next_line(&mut reader, &mut buf)? {
            number += 1;
            if number == 1 || keep.next_if_eq(&&number).is_some() {
                out.write_all(&buf)?;
                out.write_all(b"\n")?;
            }
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

impl Journal {
    /// Starts a new journal in `dir` (made if needed, and locked), replacing
    /// the results of an earlier run of the same scenario (by name: an
    /// edited file may be re-run), and clearing the files that run left.
    /// Refuses if `dir` holds the results of another scenario, or of
    /// another shard layout, so that nothing of them is overwritten.
    pub fn create(dir: &Path, header: &Header) -> Result<Journal, Error> {
        Journal::start(dir, header, FolderLock::acquire(dir)?)
    }

    /// [`Journal::create`] with the folder's lock already held.
    fn start(dir: &Path, header: &Header, lock: FolderLock) -> Result<Journal, Error> {
        let path = dir.join(FILE);
        let existing = match scan(&path, false)? {
            Found::Current(s) => Some(s.header),
            Found::Format(_, h) => h,
            Found::Nothing => None,
        };
        if let Some(existing) = existing
            && (existing.scenario != header.scenario || existing.shard != header.shard)
        {
            return Err(Error::Results {
                path: dir.to_path_buf(),
                message: format!(
                    "holds the results of {}; this run is {}. Choose another --out, or delete the folder",
                    existing.describe(),
                    header.describe()
                ),
            });
        }
        stale::clear(dir)?;
        super::journeys::clear_parts(dir)?;
        let write = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let mut file = File::create(&path).map_err(write)?;
        file.write_all(line::header_line(header).as_bytes())
            .and_then(|()| file.flush())
            .map_err(write)?;
        Ok(Journal {
            path,
            header: header.clone(),
            file: Mutex::new(file),
            _lock: lock,
        })
    }

    /// Reopens the journal in `dir` to go on with it: locks the folder,
    /// checks the journal belongs to the same run, drops every line that
    /// cannot be trusted (with a note each), and returns the sound points.
    /// With no journal there, starts one.
    pub fn resume(dir: &Path, header: &Header) -> Result<Resumed, Error> {
        let lock = FolderLock::acquire(dir)?;
        let path = dir.join(FILE);
        let scan = match scan(&path, true)? {
            Found::Nothing => {
                return Ok(Resumed {
                    journal: Journal::start(dir, header, lock)?,
                    points: Vec::new(),
                    notes: Vec::new(),
                });
            }
            Found::Format(f, h) => return Err(other_format(&path, f, h.as_ref())),
            Found::Current(s) => s,
        };
        if &scan.header != header {
            return Err(Error::Results {
                path: dir.to_path_buf(),
                message: format!(
                    "cannot resume: it holds the results of {}, and this run is {}",
                    scan.header.describe(),
                    header.describe()
                ),
            });
        }
        stale::clear(dir)?;
        if !scan.dropped.is_empty() {
            rewrite(&path, &scan.kept)?;
        }
        let notes = scan
            .dropped
            .iter()
            .map(|(number, why)| format!("{}: line {number}: {why}; dropped", path.display()))
            .collect();
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        Ok(Resumed {
            journal: Journal {
                path,
                header: scan.header,
                file: Mutex::new(file),
                _lock: lock,
            },
            points: scan.points.into_iter().map(|(d, _)| d).collect(),
            notes,
        })
    }

    /// Appends a finished point (named `name`) and flushes it to the
    /// operating system, so that it survives the process being killed.
    pub fn append(&self, result: &PointResult, name: &str) -> Result<(), Error> {
        let line = line::point_line(&self.header, result, name);
        let mut file = self.file.lock().expect("no panics while locked");
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|source| Error::Write {
                path: self.path.clone(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{FinishedPoints, ReplicationMetrics, StopReason};

    fn header() -> Header {
        Header {
            tool_version: "0.1.0".into(),
            scenario: "s".into(),
            content_hash: "abc123".into(),
            points: 2,
            shard: None,
            options: String::new(),
            source: "name = \"s\"\n".into(),
        }
    }

    fn point(i: usize) -> PointResult {
        PointResult {
            point: i,
            replications: vec![ReplicationMetrics {
                overall: vec![1.5, f64::NAN, 0.1 + 0.2],
                segments: vec![vec![2.0]],
                tiers: vec![vec![3.0], vec![]],
                wait_quantiles: vec![vec![0.5, f64::NAN]],
                slots: vec![vec![1.0], vec![f64::NAN]],
                requests: vec![vec![4.0, f64::NAN]],
                warmup_drift: -0.25,
                agents: Vec::new(),
                days: Vec::new(),
            }],
            stop: StopReason::Replications,
        }
    }

    fn same(a: &PointResult, b: &PointResult) -> bool {
        let bits = |r: &PointResult| -> Vec<u64> {
            r.replications
                .iter()
                .flat_map(|m| m.flat().map(f64::to_bits).collect::<Vec<_>>())
                .collect()
        };
        a.point == b.point && a.stop == b.stop && bits(a) == bits(b)
    }

    #[test]
    fn round_trips_exactly_and_survives_a_torn_line() {
        let dir = std::env::temp_dir().join(format!("tiersim-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let j = Journal::create(&dir, &header()).unwrap();
        j.append(&point(1), "p1").unwrap();
        drop(j);
        // A write cut short by a kill.
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.join(FILE))
            .unwrap();
        f.write_all(b"{\"point\": 0, \"na").unwrap();
        drop(f);
        let Resumed {
            journal: j,
            points,
            notes,
        } = Journal::resume(&dir, &header()).unwrap();
        assert_eq!(points.len(), 1);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("line 3: cut short"), "{notes:?}");
        assert_eq!(points[0], Done::of(&point(1)), "{points:?}");
        j.append(&point(0), "p0").unwrap();
        // Read back one at a time, in point order, from where each line is.
        let (_, points) = read(&dir).unwrap();
        assert_eq!(points.done().len(), 2);
        assert!(same(&points.load(0).unwrap(), &point(0)));
        assert!(same(&points.load(1).unwrap(), &point(1)));
        // While it is open, nobody else may write into the folder.
        let held = Journal::create(&dir, &header()).unwrap_err().to_string();
        assert!(
            held.contains(&format!("(pid {})", std::process::id())),
            "{held}"
        );
        drop(j);
        // An edited file may not resume it; another scenario may not
        // overwrite it either.
        let edited = Header {
            content_hash: "ffff".into(),
            ..header()
        };
        let e = Journal::resume(&dir, &edited).unwrap_err().to_string();
        assert!(e.contains("cannot resume"), "{e}");
        let other = Header {
            scenario: "t".into(),
            ..header()
        };
        let e = Journal::create(&dir, &other).unwrap_err().to_string();
        assert!(e.contains("holds the results of"), "{e}");
        assert_eq!(read(&dir).unwrap().1.done().len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
