//! The finished points of one or more journals (a run, or the shards of
//! one), left on disk and read back one at a time in point order: what a
//! sweep's final files are written from, so that writing them takes memory
//! for one point, not for all of them.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use super::{Header, line};
use crate::error::Error;
use crate::experiment::runner::Done;
use crate::experiment::{FinishedPoints, PointResult};

/// Where a point's line is in its journal (without its newline).
#[derive(Clone, Copy, Debug)]
pub struct Place {
    /// Byte offset of the line's start.
    pub offset: u64,
    /// Its length in bytes.
    pub len: usize,
}

/// Finished points stored in journals: what is kept of each (in point
/// order) and where its line is.
#[derive(Debug)]
pub struct Stored {
    /// Each journal's path and header.
    files: Vec<(PathBuf, Header)>,
    /// What is kept of each point, in point order.
    done: Vec<Done>,
    /// For each entry of `done`: its journal (index into `files`) and line.
    places: Vec<(usize, Place)>,
}

impl Stored {
    /// The points of the journal at `path` (run `header`), as scanned.
    pub(super) fn new(path: PathBuf, header: Header, points: Vec<(Done, Place)>) -> Stored {
        let mut points: Vec<(Done, (usize, Place))> =
            points.into_iter().map(|(d, p)| (d, (0, p))).collect();
        points.sort_by_key(|(d, _)| d.point);
        let (done, places) = points.into_iter().unzip();
        Stored {
            files: vec![(path, header)],
            done,
            places,
        }
    }

    /// The points of several journals (the shards of a sweep), in point
    /// order. Each point must be in one journal only (the shards of a sweep
    /// hold disjoint points).
    pub fn join(parts: Vec<Stored>) -> Stored {
        let mut files = Vec::new();
        let mut points = Vec::new();
        for part in parts {
            let base = files.len();
            files.extend(part.files);
            points.extend(
                part.done
                    .into_iter()
                    .zip(part.places)
                    .map(|(d, (f, p))| (d, (base + f, p))),
            );
        }
        points.sort_by_key(|(d, _)| d.point);
        let (done, places) = points.into_iter().unzip();
        Stored {
            files,
            done,
            places,
        }
    }
}

impl FinishedPoints for Stored {
    fn done(&self) -> &[Done] {
        &self.done
    }

    fn load(&self, i: usize) -> Result<PointResult, Error> {
        let (f, place) = self.places[i];
        let (path, header) = &self.files[f];
        let mut bytes = vec![0; place.len];
        File::open(path)
            .and_then(|mut file| {
                file.seek(SeekFrom::Start(place.offset))?;
                file.read_exact(&mut bytes)
            })
            .map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
        // The line was sound when scanned; one changed since is refused.
        line::point(header, &bytes).map_err(|why| Error::Results {
            path: path.clone(),
            message: format!(
                "point {}: {why} (the journal changed while the run was writing its files)",
                self.done[i].point
            ),
        })
    }
}
