//! Small file-system helpers: durable writes, bounded reads, unique names.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result, io_err};

/// Writes `data` to `tmp`, fsyncs it, renames it to `path` and fsyncs
/// the directory: after a crash `path` holds either the old or the new
/// contents.
pub(crate) fn write_atomic(path: &Path, tmp: &Path, data: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(tmp)
        .map_err(io_err("create", tmp))?;
    f.write_all(data).map_err(io_err("write", tmp))?;
    f.sync_data().map_err(io_err("fsync", tmp))?;
    drop(f);
    fs::rename(tmp, path).map_err(io_err("rename", path))?;
    if let Some(dir) = path.parent() {
        fsync_dir(dir)?;
    }
    Ok(())
}

/// Appends `data` to an existing file and fsyncs it. A crash may leave a
/// last line without its LF, which the readers ignore.
pub(crate) fn append_durable(path: &Path, data: &[u8]) -> Result<()> {
    let mut f = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io_err("open", path))?;
    f.write_all(data).map_err(io_err("write", path))?;
    f.sync_data().map_err(io_err("fsync", path))
}

/// Fsyncs a directory so that renames and links in it are durable.
pub(crate) fn fsync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err("fsync", dir))
}

/// Reads a whole control file of at most `max` bytes; `None` if it does
/// not exist.
pub(crate) fn read_optional(path: &Path, max: u64, what: &'static str) -> Result<Option<Vec<u8>>> {
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err("open", path)(e)),
    };
    let mut buf = Vec::new();
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(io_err("read", path))?;
    if buf.len() as u64 > max {
        return Err(Error::LimitExceeded { what, limit: max });
    }
    Ok(Some(buf))
}

/// This host's name, as Dovecot reads it for dotlocks and unique names.
pub(crate) fn hostname() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_owned())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new unique name `<secs>.M<usecs>P<pid>Q<n>.<host>` (the Maildir
/// specification's `M`, `P` and `Q` uniqueness parts).
pub(crate) fn unique_name() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{}.M{}P{}Q{}.{}",
        now.as_secs(),
        now.subsec_micros(),
        std::process::id(),
        n,
        crate::name::escape_host(&hostname())
    )
}

/// The size of `data` with every bare LF counted as CRLF (the `,W=` field).
pub fn crlf_size(data: &[u8]) -> u64 {
    let mut size = data.len() as u64;
    let mut prev = 0u8;
    for &b in data {
        if b == b'\n' && prev != b'\r' {
            size += 1;
        }
        prev = b;
    }
    size
}

/// A stamp of a file or directory: changes when its contents change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stamp {
    mtime: Option<SystemTime>,
    len: u64,
    ino: u64,
}

impl Stamp {
    /// The modification time, if the file exists.
    pub(crate) fn mtime(&self) -> Option<SystemTime> {
        self.mtime
    }
}

/// The stamp of `path` (all zero when it does not exist).
pub(crate) fn stamp(path: &Path) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    match fs::metadata(path) {
        Ok(m) => Stamp {
            mtime: m.modified().ok(),
            len: m.len(),
            ino: m.ino(),
        },
        Err(_) => Stamp::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf() {
        assert_eq!(crlf_size(b"a\nb\r\nc\n"), 9);
        assert_eq!(crlf_size(b""), 0);
        assert!(unique_name().contains(".M"));
    }
}
