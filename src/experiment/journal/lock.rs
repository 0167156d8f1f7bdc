//! The lock on an output folder, so that two runs never write into one
//! folder at once. It is an operating-system lock (`flock` on Unix, through
//! `std::fs::File::try_lock`) on the file `tiersim.lock` in the folder: the
//! kernel releases it when its process ends in any way, `kill -9`
//! included, so a stale lock never blocks a later run. The file holds the
//! holder's process id only to name it in the refusal. On Unix the file is
//! removed when the lock is released; a lock file left by a killed run is
//! simply taken over.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The lock file's name inside an output folder.
pub const FILE: &str = "tiersim.lock";

/// How often to try again when the lock file was removed (by a run that
/// just finished) between opening and locking it.
const ATTEMPTS: usize = 20;

/// A held lock on an output folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    file: File,
}

/// The error for a folder that is an existing file, or cannot be made.
fn check_folder(dir: &Path) -> Result<(), Error> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(Error::Results {
            path: dir.to_path_buf(),
            message: "is a file, not a folder: --out names the folder the results go into \
                      (a new one, or one an earlier run wrote)"
                .into(),
        }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })
        }
        Err(source) => Err(Error::Write {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// Whether the open `file` is still the file at `path` (a finishing run
/// removes its lock file; a lock taken on the removed file guards nothing).
#[cfg(unix)]
fn still_there(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_there(_file: &File, _path: &Path) -> bool {
    true
}

/// The refusal when another process holds the lock of `dir`.
fn held(dir: &Path, path: &Path) -> Error {
    // The holder writes its id just after locking: give it a moment.
    let mut holder = None;
    for _ in 0..10 {
        let mut text = String::new();
        let read = File::open(path).and_then(|mut f| f.read_to_string(&mut text));
        holder = read.ok().and_then(|_| text.trim().parse::<u32>().ok());
        if holder.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let who = holder.map_or("another process".to_string(), |pid| {
        format!("another tiersim process (pid {pid})")
    });
    Error::Results {
        path: dir.to_path_buf(),
        message: format!(
            "{who} is writing into this folder (it holds {FILE}); wait for it to finish, \
             or give another --out"
        ),
    }
}

impl FolderLock {
    /// Makes folder `dir` if needed and locks it, or says which process
    /// holds it. A `dir` that is an existing file is refused.
    pub fn acquire(dir: &Path) -> Result<FolderLock, Error> {
        check_folder(dir)?;
        let path = dir.join(FILE);
        let failed = |source| Error::Write {
            path: path.clone(),
            source,
        };
        for _ in 0..ATTEMPTS {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(failed)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Err(held(dir, &path)),
                Err(TryLockError::Error(source)) => return Err(failed(source)),
            }
            if !still_there(&file, &path) {
                continue;
            }
            file.set_len(0)
                .and_then(|()| writeln!(file, "{}", std::process::id()))
                .and_then(|()| file.flush())
                .map_err(failed)?;
            return Ok(FolderLock { path, file });
        }
        Err(held(dir, &path))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still locked, so that a run that opened it just now
        // sees it gone and opens a new one. Best effort: a file left behind
        // is taken over by the next run.
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}
