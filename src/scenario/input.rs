//! Reading input files (scenarios, the files they extend, maps, comparison
//! files) safely: only regular files, and no larger than
//! [`MAX_INPUT_BYTES`]. A FIFO would block `open` forever and `/dev/zero`
//! would be read until memory runs out; both are refused from their
//! metadata, before the file is opened.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Largest input file read (64 MiB): a scenario or map is a few hundred
/// kilobytes; the Gaza map is 70 KB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The text of the regular file at `path`, if it is at most
/// [`MAX_INPUT_BYTES`] long and valid UTF-8.
pub fn read_text(path: &Path) -> io::Result<String> {
    read_text_limited(path, MAX_INPUT_BYTES)
}

/// [`read_text`] with a stated size limit.
pub fn read_text_limited(path: &Path, limit: u64) -> io::Result<String> {
    // The shipped pack, embedded in the binary (see `pack`).
    if super::pack::is_pack_path(path) {
        return super::pack::read(path).map(str::to_string).ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, "not a file of the shipped pack")
        });
    }
    // `metadata` follows symlinks and does not open the file, so it cannot
    // block on a FIFO.
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a pipe, socket or device)"
        };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than the {} MiB input limit", limit / (1024 * 1024)),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    // The file may grow between the check and the read: read one byte past
    // the limit at most.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "name = \"a\"\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "name = \"a\"\n");
    }

    #[test]
    fn refuses_devices_and_directories_without_reading_them() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(dir.path()).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        if Path::new("/dev/zero").exists() {
            let e = read_text(Path::new("/dev/zero")).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_fifo_instead_of_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        // Opening the FIFO would block this test forever.
        let e = read_text(&fifo).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }

    #[test]
    fn refuses_files_over_the_limit_and_invalid_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        fs::write(&path, vec![b'#'; 2 * 1024 * 1024 + 1]).unwrap();
        let e = read_text_limited(&path, 2 * 1024 * 1024).unwrap_err();
        assert!(e.to_string().contains("2 MiB input limit"), "{e}");
        assert!(read_text_limited(&path, 3 * 1024 * 1024).is_ok());
        fs::write(&path, b"name = \"\xff\"").unwrap();
        let e = read_text(&path).unwrap_err();
        assert!(e.to_string().contains("not UTF-8 text"), "{e}");
    }
}
