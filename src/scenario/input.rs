//! Reading files safely: input files (scenarios, the files they extend,
//! maps, comparison files, sweep designs, docking references) and the
//! files of earlier outputs read back (manifests, shards' and kept
//! stores' state, CSVs): only regular files, and inputs no larger than
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
    let bytes = read_bytes_limited(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = NotUtf8::at(e.as_bytes(), e.utf8_error().valid_up_to());
        io::Error::new(io::ErrorKind::InvalidData, at)
    })
}

/// The bytes of the regular file at `path`, if it is at most `limit`
/// bytes long: for files read whole (a sweep's design, a docking
/// reference, a shard's or a kept store's JSON, a manifest).
pub fn read_bytes_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than the {} MiB input limit", limit / (1024 * 1024)),
        )
    };
    let len = file.metadata()?.len();
    if len > limit {
        return Err(too_large());
    }
    // The file may grow between the check and the read: read one byte past
    // the limit at most.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The bytes of the regular file at `path`, whatever its size: for files
/// stabsim wrote itself and reads back whole (kept pieces, a report).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens the regular file at `path` for reading, refusing anything else:
/// for files read as a stream (an output folder's CSVs, which may be
/// larger than any input limit). A FIFO is refused from its metadata,
/// before it is opened (opening it would block until a writer came), and
/// the opened file is checked again, so a FIFO or device put in its place
/// between the two is refused too.
pub fn open_regular(path: &Path) -> io::Result<fs::File> {
    // `metadata` follows symlinks and does not open the file, so it cannot
    // block on a FIFO.
    not_regular(&fs::metadata(path)?)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        // Opening a FIFO without a writer returns at once with O_NONBLOCK,
        // so a swap after the check above cannot block; on a regular file
        // the flag changes nothing.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    not_regular(&file.metadata()?)?;
    Ok(file)
}

/// An error unless `meta` is a regular file's.
fn not_regular(meta: &fs::Metadata) -> io::Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file (a pipe, socket or device)"
    };
    Err(io::Error::new(io::ErrorKind::InvalidInput, what))
}

/// Where a file stops being UTF-8 text: carried inside the `io::Error` of
/// [`read_text`], so that the loader can locate the message
/// (`FILE:LINE:COL`) like a syntax error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    /// 1-based line of the first invalid byte.
    pub line: usize,
    /// 1-based column (in characters) of the first invalid byte.
    pub col: usize,
}

impl NotUtf8 {
    /// The position of byte `offset` of `bytes`, valid UTF-8 before it.
    fn at(bytes: &[u8], offset: usize) -> Self {
        let before = &bytes[..offset.min(bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Self {
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            col: 1 + before[line_start..]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count(),
        }
    }

    /// The position, if `error` is a [`read_text`] error about invalid UTF-8.
    pub fn of(error: &io::Error) -> Option<Self> {
        error.get_ref()?.downcast_ref::<Self>().copied()
    }
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not UTF-8 text (an invalid byte at line {}, column {}; expected a text file saved as UTF-8)",
            self.line, self.col
        )
    }
}

impl std::error::Error for NotUtf8 {}

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

    #[cfg(unix)]
    #[test]
    fn opening_for_a_stream_refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        fs::write(&path, "a,b\n").unwrap();
        let mut text = String::new();
        open_regular(&path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "a,b\n");
        let link = dir.path().join("zero.csv");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let e = open_regular(&link).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read_bytes_limited(&link, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let fifo = dir.path().join("pipe.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening the FIFO would block this test forever.
            let e = open_regular(&fifo).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[test]
    fn refuses_files_over_the_limit_and_invalid_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        fs::write(&path, vec![b'#'; 2 * 1024 * 1024 + 1]).unwrap();
        let e = read_text_limited(&path, 2 * 1024 * 1024).unwrap_err();
        assert!(e.to_string().contains("2 MiB input limit"), "{e}");
        assert!(read_text_limited(&path, 3 * 1024 * 1024).is_ok());
        fs::write(&path, b"# \xc3\xa9\nname = \"\xc3\xa9\xff\"").unwrap();
        let e = read_text(&path).unwrap_err();
        assert!(e.to_string().contains("not UTF-8 text"), "{e}");
        // Line 2, after `name = "é`: column 10 counting characters.
        assert_eq!(NotUtf8::of(&e), Some(NotUtf8 { line: 2, col: 10 }));
    }
}
