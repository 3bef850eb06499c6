//! Dovecot's dotlock protocol (`file-dotlock.c`), as used for
//! `dovecot-uidlist.lock`: the lock is a file created exclusively next to
//! the locked file, holding `<pid>:<host>` (written to a temporary file
//! first and hard-linked into place, so it never exists empty). A lock is stale, and is
//! removed, when its process is gone (same host) or when it has not
//! changed for the stale timeout (two minutes for the uidlist).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result, io_err};
use crate::fsutil::hostname;

/// A held dotlock, released on drop.
#[derive(Debug)]
pub struct DotLock {
    path: PathBuf,
}

impl DotLock {
    /// Takes the lock `<file>.lock`, waiting up to `timeout`.
    pub fn acquire(file: &Path, timeout: Duration, stale: Duration) -> Result<DotLock> {
        let mut path = file.as_os_str().to_owned();
        path.push(".lock");
        let path = PathBuf::from(path);
        let start = Instant::now();
        let mut pause = Duration::from_millis(2);
        // The lock appears with its content or not at all: written to a
        // file of our own, then hard-linked to the lock's name (Dovecot's
        // default dotlock method), so a crash never leaves an empty lock.
        let mut temp = path.as_os_str().to_owned();
        temp.push(format!(".{}", crate::fsutil::unique_name()));
        let temp = PathBuf::from(temp);
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io_err("create", &temp))?;
        let written = f.write_all(format!("{}:{}", std::process::id(), hostname()).as_bytes());
        drop(f);
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(io_err("write", temp)(e));
        }
        loop {
            match fs::hard_link(&temp, &path) {
                Ok(()) => {
                    let _ = fs::remove_file(&temp);
                    return Ok(DotLock { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if is_stale(&path, stale) {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                }
                Err(e) => {
                    let _ = fs::remove_file(&temp);
                    return Err(io_err("link", &path)(e));
                }
            }
            if start.elapsed() >= timeout {
                let _ = fs::remove_file(&temp);
                return Err(Error::LockTimeout(path));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DotLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn is_stale(path: &Path, stale: Duration) -> bool {
    if let Ok(text) = fs::read_to_string(path)
        && let Some((pid, host)) = text.trim_end().split_once(':')
        && host == hostname()
        && let Ok(pid) = pid.parse::<u32>()
        && pid != 0
        && !Path::new(&format!("/proc/{pid}")).exists()
    {
        return true;
    }
    match fs::metadata(path).and_then(|m| m.modified()) {
        Ok(mtime) => SystemTime::now()
            .duration_since(mtime)
            .is_ok_and(|age| age > stale),
        Err(_) => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn exclusive_and_stale() {
        let dir = std::env::temp_dir().join(format!("mw-lock-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("dovecot-uidlist");
        let lock =
            DotLock::acquire(&file, Duration::from_secs(1), Duration::from_secs(120)).unwrap();
        assert_eq!(
            fs::read_to_string(lock.path()).unwrap(),
            format!("{}:{}", std::process::id(), hostname())
        );
        assert!(matches!(
            DotLock::acquire(&file, Duration::from_millis(50), Duration::from_secs(120)),
            Err(Error::LockTimeout(_))
        ));
        drop(lock);
        // A lock left by a process that no longer exists is taken over.
        fs::write(
            dir.join("dovecot-uidlist.lock"),
            format!("999999999:{}", hostname()),
        )
        .unwrap();
        let lock =
            DotLock::acquire(&file, Duration::from_millis(50), Duration::from_secs(120)).unwrap();
        drop(lock);
        fs::remove_dir_all(&dir).unwrap();
    }
}
