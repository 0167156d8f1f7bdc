//! Reading a scenario file: only a regular file is read, so that a named
//! pipe with no writer, a device or a folder given by mistake is refused
//! with a clear message instead of blocking (or reading) forever.

use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// What kind of file `t` is, for the refusal.
fn kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() { "a folder" } else { "not a file" }
}

/// The bytes of the scenario file at `path`, refusing anything that is not
/// a regular file (symbolic links are followed).
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    let failed = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let refuse = |t: std::fs::FileType| {
        failed(std::io::Error::other(format!(
            "it is {}, not a regular file; a scenario is a TOML file",
            kind(t)
        )))
    };
    // Checked before opening: opening a named pipe waits for a writer.
    let meta = std::fs::metadata(path).map_err(failed)?;
    if !meta.is_file() {
        return Err(refuse(meta.file_type()));
    }
    let mut file = std::fs::File::open(path).map_err(failed)?;
    let meta = file.metadata().map_err(failed)?;
    if !meta.is_file() {
        return Err(refuse(meta.file_type()));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(failed)?;
    Ok(bytes)
}
