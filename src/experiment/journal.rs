//! The journal of a sweep, `points.jsonl`: a header line naming the scenario
//! (with its full text, so parts can be merged without the file), then one
//! line per finished point, appended and flushed as each point finishes. A
//! sweep killed half-way loses at most the points still running; `--resume`
//! reads the journal back, drops a torn last line, and runs only what is
//! missing.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};

use super::{PointResult, ReplicationMetrics, StopReason};
use crate::error::Error;

/// The journal's file name inside an output folder.
pub const FILE: &str = "points.jsonl";

/// What a journal is the journal of. Two runs may share a journal only if
/// their headers are equal.
#[derive(Clone, Debug, PartialEq)]
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
    fn to_json(&self) -> Value {
        json!({
            "journal": "tiersim-points",
            "format": 1,
            "tool_version": self.tool_version,
            "scenario": self.scenario,
            "content_hash": self.content_hash,
            "points": self.points,
            "shard": self.shard.map(|(k, n)| [k, n]),
            "options": self.options,
            "source": self.source,
        })
    }

    fn from_json(v: &Value) -> Option<Header> {
        if v["journal"] != "tiersim-points" || v["format"] != 1 {
            return None;
        }
        let shard = match &v["shard"] {
            Value::Null => None,
            s => Some((s[0].as_u64()? as usize, s[1].as_u64()? as usize)),
        };
        Some(Header {
            tool_version: v["tool_version"].as_str()?.into(),
            scenario: v["scenario"].as_str()?.into(),
            content_hash: v["content_hash"].as_str()?.into(),
            points: v["points"].as_u64()? as usize,
            shard,
            options: v["options"].as_str()?.into(),
            source: v["source"].as_str()?.into(),
        })
    }

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

/// An open journal, appended to from worker threads.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

fn numbers(values: &[f64]) -> Value {
    Value::Array(
        values
            .iter()
            .map(|x| if x.is_finite() { json!(x) } else { Value::Null })
            .collect(),
    )
}

fn point_json(r: &PointResult, name: &str) -> Value {
    json!({
        "point": r.point,
        "name": name,
        "stop_reason": r.stop.as_str(),
        "replications": r.replications.iter().map(|m| json!({
            "overall": numbers(&m.overall),
            "segments": m.segments.iter().map(|s| numbers(s)).collect::<Vec<_>>(),
                        "tiers": m.tiers.iter().map(|t| numbers(t)).collect::<Vec<_>>(),
                        "wait_quantiles": m.wait_quantiles.iter().map(|q| numbers(q)).collect::<Vec<_>>(),
            "slots": m.slots.iter().map(|q| numbers(q)).collect::<Vec<_>>(),
            "requests": m.requests.iter().map(|q| numbers(q)).collect::<Vec<_>>(),
            "warmup_drift": numbers(&[m.warmup_drift]),
        })).collect::<Vec<_>>(),
    })
}

fn point_from_json(v: &Value) -> Option<PointResult> {
    let list = |v: &Value| -> Option<Vec<f64>> {
        v.as_array()?
            .iter()
            .map(|x| match x {
                Value::Null => Some(f64::NAN),
                x => x.as_f64(),
            })
            .collect()
    };
    let lists = |v: &Value| -> Option<Vec<Vec<f64>>> { v.as_array()?.iter().map(list).collect() };
    let replications = v["replications"]
        .as_array()?
        .iter()
        .map(|r| {
            Some(ReplicationMetrics {
                overall: list(&r["overall"])?,
                segments: lists(&r["segments"])?,
                tiers: lists(&r["tiers"])?,
                wait_quantiles: lists(&r["wait_quantiles"])?,
                slots: lists(&r["slots"])?,
                requests: if r.get("requests").is_some() {
                    lists(&r["requests"])?
                } else {
                    Vec::new()
                },
                warmup_drift: match r.get("warmup_drift") {
                    Some(v) => list(v)?.first().copied().unwrap_or(f64::NAN),
                    None => f64::NAN,
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(PointResult {
        point: v["point"].as_u64()? as usize,
        replications,
        stop: StopReason::parse(v["stop_reason"].as_str()?)?,
    })
}

/// Reads the journal in `dir`: its header and the finished points, in file
/// order. A last line without its newline (a write cut short) is dropped;
/// returns also the byte length of the intact part.
fn read_at(dir: &Path) -> Result<Option<(Header, Vec<PointResult>, u64)>, Error> {
    let path = dir.join(FILE);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Read { path, source }),
    };
    let damaged = |line: usize, what: &str| Error::Results {
        path: path.clone(),
        message: format!("line {line}: {what}; the journal is damaged (delete it to start over)"),
    };
    let mut reader = BufReader::new(file);
    let mut header = None;
    let mut points = Vec::new();
    let mut intact = 0u64;
    let mut line = String::new();
    for number in 1.. {
        line.clear();
        let read = reader.read_line(&mut line).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if read == 0 || !line.ends_with('\n') {
            break; // end, or a torn last line
        }
        let value: Value =
            serde_json::from_str(&line).map_err(|e| damaged(number, &e.to_string()))?;
        if header.is_none() {
            header = Some(
                Header::from_json(&value)
                    .ok_or_else(|| damaged(number, "not a tiersim journal header"))?,
            );
        } else {
            points.push(
                point_from_json(&value).ok_or_else(|| damaged(number, "not a finished point"))?,
            );
        }
        intact += read as u64;
    }
    Ok(header.map(|h| (h, points, intact)))
}

/// Reads the journal in `dir` (for merging): header and finished points.
pub fn read(dir: &Path) -> Result<(Header, Vec<PointResult>), Error> {
    match read_at(dir)? {
        Some((h, p, _)) => Ok((h, p)),
        None => Err(Error::Results {
            path: dir.to_path_buf(),
            message: format!("no {FILE} here: not the output folder of a tiersim run"),
        }),
    }
}

impl Journal {
    /// Starts a new journal in `dir`, replacing the results of an earlier
    /// run of the same scenario (by name: an edited file may be re-run).
    /// Refuses if `dir` holds the results of another scenario, or of
    /// another shard layout, so that nothing of them is overwritten.
    pub fn create(dir: &Path, header: &Header) -> Result<Journal, Error> {
        if let Some((existing, _, _)) = read_at(dir)?
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
        let path = dir.join(FILE);
        let write = |source| Error::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(write)?;
        let mut file = File::create(&path).map_err(write)?;
        writeln!(file, "{}", header.to_json()).map_err(write)?;
        file.flush().map_err(write)?;
        Ok(Journal {
            path,
            file: Mutex::new(file),
        })
    }

    /// Reopens the journal in `dir` to go on with it: checks it belongs to
    /// the same run, drops a torn last line, and returns the finished
    /// points. With no journal there, starts one.
    pub fn resume(dir: &Path, header: &Header) -> Result<(Journal, Vec<PointResult>), Error> {
        let Some((existing, points, intact)) = read_at(dir)? else {
            return Ok((Journal::create(dir, header)?, Vec::new()));
        };
        if &existing != header {
            return Err(Error::Results {
                path: dir.to_path_buf(),
                message: format!(
                    "cannot resume: it holds the results of {}, and this run is {}",
                    existing.describe(),
                    header.describe()
                ),
            });
        }
        let path = dir.join(FILE);
        let write = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new().append(true).open(&path).map_err(write)?;
        file.set_len(intact).map_err(write)?;
        Ok((
            Journal {
                path,
                file: Mutex::new(file),
            },
            points,
        ))
    }

    /// Appends a finished point (named `name`) and flushes it to the
    /// operating system, so that it survives the process being killed.
    pub fn append(&self, result: &PointResult, name: &str) -> Result<(), Error> {
        let mut line = point_json(result, name).to_string();
        line.push('\n');
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
        let (j, points) = Journal::resume(&dir, &header()).unwrap();
        assert_eq!(points.len(), 1);
        assert!(same(&points[0], &point(1)), "{points:?}");
        j.append(&point(0), "p0").unwrap();
        let (_, points) = read(&dir).unwrap();
        assert_eq!(points.len(), 2);
        assert!(same(&points[1], &point(0)));
        // An edited file may not resume it; another scenario may not
        // overwrite it either.
        let edited = Header {
            content_hash: "ffff".into(),
            ..header()
        };
        assert!(Journal::resume(&dir, &edited).is_err());
        let other = Header {
            scenario: "t".into(),
            ..header()
        };
        assert!(Journal::create(&dir, &other).is_err());
        assert_eq!(read(&dir).unwrap().1.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
