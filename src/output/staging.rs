//! Atomic outputs. Everything a run writes goes first into a hidden staging
//! folder inside the output folder; only when the run has finished are the
//! files renamed into place, manifest last. A run killed midway leaves its
//! staging folder (plainly partial) and the previous outputs untouched: no
//! truncated file ever poses as complete.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The file that marks an output folder as complete; renamed into place last.
pub const MANIFEST: &str = "manifest.json";

/// A file written in the staging folder, with its size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WrittenFile {
    /// File name within the output folder.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the contents, hex.
    pub sha256: String,
}

/// An output folder being written.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    stage: PathBuf,
    written: Vec<WrittenFile>,
}

impl Staging {
    /// Creates `dir` if needed and a fresh staging folder inside it.
    pub fn create(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let stage = dir.join(format!(".partial-{}-{stamp}", std::process::id()));
        fs::create_dir(&stage)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            stage,
            written: Vec::new(),
        })
    }

    /// Opens `name` in the staging folder for streaming writes.
    pub fn open(&self, name: &str) -> io::Result<HashingWriter<io::BufWriter<fs::File>>> {
        let file = fs::File::create(self.stage.join(name))?;
        Ok(HashingWriter::new(
            name,
            io::BufWriter::with_capacity(1 << 16, file),
        ))
    }

    /// Writes a whole file into the staging folder.
    pub fn write(&mut self, name: &str, contents: &[u8]) -> io::Result<()> {
        let mut w = self.open(name)?;
        w.write_all(contents)?;
        self.finished(w)
    }

    /// Flushes a streamed file to disk and records it.
    pub fn finished(&mut self, w: HashingWriter<io::BufWriter<fs::File>>) -> io::Result<()> {
        let (record, inner) = w.finish();
        let file = inner.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        // Writing a name again replaces the file: keep one record, the last.
        self.written.retain(|w| w.name != record.name);
        self.written.push(record);
        Ok(())
    }

    /// Files written so far, in order.
    pub fn written(&self) -> &[WrittenFile] {
        &self.written
    }

    /// Moves every staged file into the output folder (in the order written,
    /// so the manifest, written last, lands last) and removes the staging folder.
    pub fn commit(self) -> io::Result<Vec<WrittenFile>> {
        // The manifest marks a complete set: remove the previous one first,
        // so that new files never sit beside an old manifest.
        match fs::remove_file(self.dir.join(MANIFEST)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        for f in &self.written {
            fs::rename(self.stage.join(&f.name), self.dir.join(&f.name))?;
        }
        fs::remove_dir(&self.stage)?;
        Ok(self.written)
    }
}

/// A writer that hashes and counts what passes through it.
pub struct HashingWriter<W: Write> {
    name: String,
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    fn new(name: &str, inner: W) -> Self {
        Self {
            name: name.to_string(),
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    fn finish(self) -> (WrittenFile, W) {
        let sha256 = hex(&self.hasher.finalize());
        let record = WrittenFile {
            name: self.name,
            bytes: self.bytes,
            sha256,
        };
        (record, self.inner)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_before_commit_and_old_files_survive() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("a.csv"), "old").unwrap();
        let mut st = Staging::create(tmp.path()).unwrap();
        st.write("a.csv", b"new").unwrap();
        st.write("b.csv", b"b").unwrap();
        assert_eq!(fs::read_to_string(tmp.path().join("a.csv")).unwrap(), "old");
        assert!(!tmp.path().join("b.csv").exists());
        let files = st.commit().unwrap();
        assert_eq!(fs::read_to_string(tmp.path().join("a.csv")).unwrap(), "new");
        assert_eq!(files[1].bytes, 1);
        assert_eq!(files[0].sha256, sha256_hex(b"new"));
        // Only the two files remain: the staging folder is gone.
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_dropped_staging_leaves_only_a_partial_folder() {
        let tmp = tempfile::tempdir().unwrap();
        {
            let mut st = Staging::create(tmp.path()).unwrap();
            st.write("timeseries.csv", b"1,2").unwrap();
        }
        let names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(names[0].starts_with(".partial-"));
    }
}
