//! Atomic outputs. A run's output folder is replaced as a whole: everything
//! is written into a hidden staging folder beside it
//! (`.NAME.partial-PID-STAMP`), and only when the run has finished does the
//! staging folder take the output folder's place by rename. The folder then
//! holds exactly the files of the last run (no stale file from an earlier
//! one survives), and a run killed midway leaves its staging folder
//! (plainly partial, hidden) and the previous outputs untouched: no
//! truncated file ever poses as complete. Every file is synced before the
//! rename and the folder holding it after, so a commit survives a crash;
//! the next run into the same place removes staging folders whose writer
//! is gone (on Linux, where `/proc` tells).
//!
//! Redrawing charts in a finished folder ([`Staging::update`]) is the one
//! case that keeps the other files: it stages inside the folder and renames
//! the redrawn files into place, manifest last.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The file that marks an output folder as complete; renamed into place last.
pub const MANIFEST: &str = "manifest.json";

/// Prefix of a staging folder's name inside an output folder (updates).
const PARTIAL: &str = ".partial-";

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

/// How the staged files reach the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The staging folder replaces the output folder.
    Replace,
    /// The staged files are renamed into the existing output folder.
    Update,
}

/// An output folder being written.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    stage: PathBuf,
    mode: Mode,
    written: Vec<WrittenFile>,
    /// Set once the staged files are in place; a staging dropped before
    /// (an error, a Ctrl-C) removes its folder.
    committed: bool,
}

/// Why `dir` may not be replaced, if it may not: it exists, holds files and
/// is not a stabsim output folder (no `manifest.json`), so replacing it
/// could delete a user's own files.
pub fn check_replaceable(dir: &Path) -> Result<(), String> {
    let Ok(entries) = fs::read_dir(dir) else {
        if dir.exists() {
            return Err(format!(
                "{}: exists and is not a folder (expected a new folder or an earlier output folder)",
                dir.display()
            ));
        }
        return Ok(());
    };
    let mut names = entries.filter_map(|e| e.ok().map(|e| e.file_name()));
    let foreign = names.any(|n| !n.to_string_lossy().starts_with(PARTIAL));
    if foreign && !dir.join(MANIFEST).is_file() {
        return Err(format!(
            "{}: this folder holds files but no {MANIFEST}, so it is not a stabsim output folder and \
             will not be replaced (expected a new or empty folder, or an earlier output folder)",
            dir.display()
        ));
    }
    Ok(())
}

/// The parent of `dir` and its name, with `.` and a trailing `..` resolved.
fn parent_and_name(dir: &Path) -> io::Result<(PathBuf, OsString)> {
    let dir = match dir.file_name() {
        Some(_) => dir.to_path_buf(),
        None => fs::canonicalize(dir)?,
    };
    let name = dir.file_name().map(OsString::from).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: cannot replace the root folder", dir.display()),
        )
    })?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// A name unique to this process and moment.
fn unique_suffix() -> String {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{stamp}", std::process::id())
}

/// Makes renames and new entries in `dir` durable: without this a crash
/// soon after a commit could lose the rename even though every file was
/// synced. A no-op where directories cannot be opened (not Unix).
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Swaps the entries `a` and `b` (both must exist) in one atomic step.
/// `Ok(false)` where the system or the file system cannot (the caller then
/// falls back to two renames); other errors are real.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let path = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (path(a)?, path(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call;
    // the call reads them and touches no memory of ours.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // Not supported by this kernel, this C library or this file system.
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// The pid and stamp (nanoseconds since the epoch) in a name ending
/// `…-PID-STAMP`.
fn pid_and_stamp(name: &str) -> Option<(u32, u128)> {
    let mut parts = name.rsplit('-');
    let stamp = parts.next()?.parse().ok()?;
    let pid = parts.next()?.parse().ok()?;
    Some((pid, stamp))
}

/// When process `pid` started, in seconds since the epoch (Linux:
/// `/proc/PID/stat` field 22, in clock ticks since boot, plus the boot time
/// from `/proc/stat`; clock ticks are 100 a second on every Linux port).
fn process_start_secs(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count fields after its ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    let ticks: u64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let boot: u64 = fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    Some(boot + ticks / 100)
}

/// Whether the process that made a staging folder named `…-PID-STAMP` may
/// still be writing it. Only Linux can tell (`/proc/PID`); elsewhere every
/// folder counts as live and is left alone. A live process that started
/// after the folder was made is another one that reused the pid.
fn writer_alive(name: &str) -> bool {
    let Some((pid, stamp)) = pid_and_stamp(name) else {
        return true;
    };
    if pid == std::process::id() || !Path::new("/proc/self").exists() {
        return true;
    }
    if !Path::new("/proc").join(pid.to_string()).exists() {
        return false;
    }
    let made = (stamp / 1_000_000_000) as u64;
    // One second of slack: start times are rounded to clock ticks.
    process_start_secs(pid).is_none_or(|started| started <= made + 1)
}

/// Leftovers of interrupted runs in `parent`, of the folder `name`:
/// (path, file name) of real directories (never symlinks) whose names start
/// with `.NAME.KIND-` and whose writer is gone.
fn stale(parent: &Path, prefix: &str) -> Vec<(PathBuf, String)> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, String)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.path(), e.file_name().to_string_lossy().into_owned()))
        .filter(|(_, n)| n.starts_with(prefix) && !writer_alive(n))
        .collect();
    found.sort_by_key(|(_, n)| pid_and_stamp(n).map(|(_, s)| s));
    found
}

/// Puts back the previous outputs of `dir` when a run was killed between
/// moving them aside and moving the new ones in (so `dir` is missing and a
/// `.NAME.old-*` folder of a dead writer holds them): the newest goes back.
/// Returns what was done, for the user.
pub fn recover(dir: &Path) -> io::Result<Option<String>> {
    if fs::symlink_metadata(dir).is_ok() {
        return Ok(None);
    }
    let (parent, name) = parent_and_name(dir)?;
    let prefix = format!(".{}.old-", name.to_string_lossy());
    let Some((old, _)) = stale(&parent, &prefix).pop() else {
        return Ok(None);
    };
    fs::rename(&old, dir)?;
    sync_dir(&parent)?;
    Ok(Some(format!(
        "stabsim: restored {} from {} (an earlier run was interrupted while replacing it)",
        dir.display(),
        old.display()
    )))
}

/// Removes what interrupted runs left in `parent`: staging folders whose
/// names start with one of `prefixes` and whose writer is gone (killed,
/// or out of disk space), saying so on stderr. They would otherwise pile
/// up, and after a full disk make every later run fail until deleted by
/// hand. Best effort: a folder that cannot be removed is left for the next
/// run.
fn remove_stale(parent: &Path, prefixes: &[String]) {
    for prefix in prefixes {
        for (path, _) in stale(parent, prefix) {
            if fs::remove_dir_all(&path).is_ok() {
                eprintln!(
                    "stabsim: removed {} (left by an interrupted run)",
                    path.display()
                );
            }
        }
    }
}

impl Staging {
    /// Starts a fresh output folder that will replace `dir` as a whole on
    /// [`Staging::commit`]: a staging folder beside it. Fails if `dir` holds
    /// files but is not an output folder ([`check_replaceable`]).
    pub fn create(dir: &Path) -> io::Result<Self> {
        check_replaceable(dir).map_err(|m| io::Error::new(io::ErrorKind::AlreadyExists, m))?;
        let (parent, name) = parent_and_name(dir)?;
        fs::create_dir_all(&parent)?;
        if let Some(note) = recover(dir)? {
            eprintln!("{note}");
        }
        let name_text = name.to_string_lossy();
        remove_stale(
            &parent,
            &[
                format!(".{name_text}.partial-"),
                format!(".{name_text}.old-"),
            ],
        );
        let stage = parent.join(format!(
            ".{}.partial-{}",
            name.to_string_lossy(),
            unique_suffix()
        ));
        fs::create_dir(&stage)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            stage,
            mode: Mode::Replace,
            written: Vec::new(),
            committed: false,
        })
    }

    /// Starts writing some files of an existing output folder (redrawn
    /// charts), keeping the others: a staging folder inside it.
    pub fn update(dir: &Path) -> io::Result<Self> {
        fs::create_dir_all(dir)?;
        remove_stale(dir, &[PARTIAL.to_string()]);
        let stage = dir.join(format!("{PARTIAL}{}", unique_suffix()));
        fs::create_dir(&stage)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            stage,
            mode: Mode::Update,
            written: Vec::new(),
            committed: false,
        })
    }

    /// The staging folder, where nested output folders of a replacing
    /// staging (a comparison's scenarios) are written before the commit.
    pub fn path(&self) -> &Path {
        &self.stage
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

    /// Puts the staged files in place. A replacing staging takes the
    /// output folder's place (the previous folder, if any, is moved aside
    /// and then deleted, so no file of an earlier run remains); an updating
    /// one renames its files into the folder in the order written, so the
    /// manifest, written last, lands last.
    ///
    /// A replacing commit swaps the staging folder and the output folder in
    /// one step where the system can (Linux `renameat2` with
    /// `RENAME_EXCHANGE`): killed at any instant, the folder holds either
    /// the whole previous outputs or the whole new ones, and the previous
    /// ones, left under the staging folder's name, are deleted (by this run,
    /// or by the next as a dead writer's staging). Elsewhere, or on a file
    /// system without the exchange, it is two renames (old folder aside,
    /// new one in), each made durable before the next; killed between
    /// them, the folder is missing with the previous outputs in
    /// `.NAME.old-*`, which the next run puts back ([`recover`]) before
    /// anything else.
    pub fn commit(mut self) -> io::Result<Vec<WrittenFile>> {
        sync_dir(&self.stage)?;
        match self.mode {
            Mode::Replace => {
                if fs::symlink_metadata(&self.dir).is_ok() && exchange(&self.stage, &self.dir)? {
                    // The staging folder's name now holds the old outputs.
                    let parent = parent_and_name(&self.dir)?.0;
                    sync_dir(&parent)?;
                    fs::remove_dir_all(&self.stage)?;
                    sync_dir(&parent)?;
                } else if fs::symlink_metadata(&self.dir).is_ok() {
                    let (parent, name) = parent_and_name(&self.dir)?;
                    let old = parent.join(format!(
                        ".{}.old-{}",
                        name.to_string_lossy(),
                        unique_suffix()
                    ));
                    fs::rename(&self.dir, &old)?;
                    sync_dir(&parent)?;
                    fs::rename(&self.stage, &self.dir)?;
                    sync_dir(&parent)?;
                    // `remove_dir_all` does not follow symlinks: a linked
                    // folder inside the old outputs is unlinked, not emptied.
                    fs::remove_dir_all(&old)?;
                    sync_dir(&parent)?;
                } else {
                    fs::rename(&self.stage, &self.dir)?;
                    sync_dir(&parent_and_name(&self.dir)?.0)?;
                }
            }
            Mode::Update => {
                // The manifest marks a complete set: remove the previous one
                // first, so that new files never sit beside an old manifest.
                match fs::remove_file(self.dir.join(MANIFEST)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
                for f in &self.written {
                    fs::rename(self.stage.join(&f.name), self.dir.join(&f.name))?;
                }
                fs::remove_dir(&self.stage)?;
                sync_dir(&self.dir)?;
            }
        }
        self.committed = true;
        Ok(std::mem::take(&mut self.written))
    }
}

impl Drop for Staging {
    /// A staging that was not committed (the run failed or was
    /// interrupted) removes its folder: nothing half-written stays behind.
    /// A process killed outright cannot; the next run removes it.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.stage);
        }
    }
}

/// Refuses to write into `dir` when it is a symbolic link: a link inside an
/// output folder would carry the writes (and the manifest) out of it.
pub fn refuse_symlink(dir: &Path) -> io::Result<()> {
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{}: is a symbolic link; stabsim does not write through links in an output \
                 folder (expected a real folder)",
                dir.display()
            ),
        ));
    }
    Ok(())
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

/// The SHA-256 of the regular file at `path`, read as a stream (an output
/// CSV may be larger than memory allows holding whole).
pub fn sha256_file_hex(path: &Path) -> io::Result<String> {
    let mut file = crate::scenario::input::open_regular(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match io::Read::read(&mut file, &mut buf) {
            Ok(0) => return Ok(hex(&hasher.finalize())),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_file_hashed_as_a_stream_has_the_digest_of_its_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        // Over one read buffer, not a multiple of it.
        let bytes: Vec<u8> = (0..200_003u32).map(|i| (i % 251) as u8).collect();
        fs::write(tmp.path().join("a.csv"), &bytes).unwrap();
        assert_eq!(
            sha256_file_hex(&tmp.path().join("a.csv")).unwrap(),
            sha256_hex(&bytes)
        );
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        fs::write(tmp.path().join("abc"), "abc").unwrap();
        assert_eq!(
            sha256_file_hex(&tmp.path().join("abc")).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_commit_replaces_the_folder_whole_and_no_stale_file_survives() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("a.csv"), "old").unwrap();
        fs::write(out.join("map_day365.png"), "stale").unwrap();
        fs::write(out.join(MANIFEST), "{}").unwrap();
        let mut st = Staging::create(&out).unwrap();
        st.write("a.csv", b"new").unwrap();
        st.write("b.csv", b"b").unwrap();
        st.write(MANIFEST, b"{}").unwrap();
        // Nothing changes before the commit.
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "old");
        assert!(!out.join("b.csv").exists());
        let files = st.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "new");
        assert_eq!(files[1].bytes, 1);
        assert_eq!(files[0].sha256, sha256_hex(b"new"));
        // Exactly the files of the last run; no staging or old folder left.
        assert_eq!(names(&out), ["a.csv", "b.csv", MANIFEST]);
        assert_eq!(names(tmp.path()), ["out"]);
    }

    #[test]
    fn a_dropped_staging_leaves_the_old_folder_and_removes_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        {
            let mut st = Staging::create(&out).unwrap();
            st.write("timeseries.csv", b"1,2").unwrap();
            assert!(st.path().join("timeseries.csv").exists());
        }
        assert_eq!(names(tmp.path()), Vec::<String>::new());
        assert!(!out.exists());
    }

    #[test]
    fn a_folder_of_other_files_is_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("thesis.tex"), "mine").unwrap();
        let err = Staging::create(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("not a stabsim output folder"), "{err}");
        assert_eq!(names(tmp.path()), ["thesis.tex"]);
        // An empty folder, or a missing one, is fine.
        let empty = tmp.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(check_replaceable(&empty).is_ok());
        assert!(check_replaceable(&tmp.path().join("new")).is_ok());
    }

    #[test]
    fn stale_staging_of_a_dead_process_is_removed_and_a_live_one_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        // PID 0 is never a user process (so never alive) on Linux; our own
        // PID is alive. Elsewhere nothing can be told and nothing goes.
        let dead = tmp.path().join(".out.partial-0-1");
        let old = tmp.path().join(".out.old-0-2");
        let live = tmp
            .path()
            .join(format!(".out.partial-{}-3", std::process::id()));
        let other = tmp.path().join(".other.partial-0-4");
        for d in [&dead, &old, &live, &other] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("timeseries.csv"), "half").unwrap();
        }
        let mut st = Staging::create(&out).unwrap();
        st.write(MANIFEST, b"{}").unwrap();
        st.commit().unwrap();
        let linux = Path::new("/proc/self").exists();
        assert_eq!(dead.exists(), !linux);
        assert_eq!(old.exists(), !linux);
        assert!(live.exists(), "a live writer's folder must stay");
        assert!(other.exists(), "another output folder's staging must stay");
        // Inside a folder being updated, the same for its `.partial-` folders.
        let inner = out.join(".partial-0-5");
        fs::create_dir(&inner).unwrap();
        Staging::update(&out).unwrap().commit().unwrap();
        assert_eq!(inner.exists(), !linux);
    }

    #[cfg(unix)]
    #[test]
    fn stale_cleanup_never_follows_a_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::write(elsewhere.join("keep.csv"), "mine").unwrap();
        std::os::unix::fs::symlink(&elsewhere, tmp.path().join(".out.partial-0-1")).unwrap();
        Staging::create(&tmp.path().join("out")).unwrap();
        assert!(elsewhere.join("keep.csv").exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        for (d, text) in [(&a, "in a"), (&b, "in b")] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("f"), text).unwrap();
        }
        assert!(exchange(&a, &b).unwrap());
        assert_eq!(fs::read_to_string(a.join("f")).unwrap(), "in b");
        assert_eq!(fs::read_to_string(b.join("f")).unwrap(), "in a");
        // A missing side is an error, not a silent fallback.
        assert!(exchange(&a, &tmp.path().join("none")).is_err());
    }

    /// Watched from another thread, a replaced output folder is never
    /// missing: every look finds it, with a whole set of files. (With two
    /// renames there is a window, made wider by the sync between them, in
    /// which it is gone.)
    #[cfg(target_os = "linux")]
    #[test]
    fn a_replaced_folder_is_never_missing_while_it_is_swapped() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut first = Staging::create(&out).unwrap();
        first.write("a.csv", b"0").unwrap();
        first.write(MANIFEST, b"{}").unwrap();
        first.commit().unwrap();
        let done = AtomicBool::new(false);
        let (looks, missing) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    looks.fetch_add(1, Ordering::SeqCst);
                    if fs::symlink_metadata(&out).is_err() {
                        missing.fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
            for i in 1..=40 {
                let mut st = Staging::create(&out).unwrap();
                st.write("a.csv", i.to_string().as_bytes()).unwrap();
                st.write(MANIFEST, b"{}").unwrap();
                st.commit().unwrap();
            }
            done.store(true, Ordering::SeqCst);
        });
        assert!(looks.load(Ordering::SeqCst) > 40);
        assert_eq!(missing.load(Ordering::SeqCst), 0);
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "40");
        assert_eq!(names(tmp.path()), ["out"]);
    }

    #[test]
    fn a_run_killed_between_the_two_renames_gets_its_old_outputs_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        // The state a kill after `out -> .out.old-*` and before
        // `.out.partial-* -> out` leaves (the writer, pid 0, is gone).
        let old = tmp.path().join(".out.old-0-7");
        let partial = tmp.path().join(".out.partial-0-6");
        for d in [&old, &partial] {
            fs::create_dir(d).unwrap();
        }
        fs::write(old.join("a.csv"), "previous").unwrap();
        fs::write(old.join(MANIFEST), "{}").unwrap();
        fs::write(partial.join("a.csv"), "new").unwrap();
        if !Path::new("/proc/self").exists() {
            return;
        }
        let note = recover(&out).unwrap().unwrap();
        assert!(note.contains("restored"), "{note}");
        assert_eq!(fs::read_to_string(out.join("a.csv")).unwrap(), "previous");
        assert_eq!(names(&out), ["a.csv", MANIFEST]);
        // With the folder back, nothing more is restored.
        assert_eq!(recover(&out).unwrap(), None);
        // And the next run starts from it, cleaning up the partial folder.
        let mut st = Staging::create(&out).unwrap();
        st.write(MANIFEST, b"{}").unwrap();
        st.commit().unwrap();
        assert_eq!(names(tmp.path()), ["out"]);
    }

    #[test]
    fn a_pid_reused_by_a_later_process_does_not_keep_a_folder_alive() {
        if process_start_secs(1).is_none() {
            return;
        }
        // Pid 1 is alive and started long after the epoch (stamp 5 s).
        assert!(!writer_alive(".out.partial-1-5000000000"));
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        assert!(writer_alive(&format!(".out.partial-1-{now}")));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_refused_with_its_path() {
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("baseline");
        std::os::unix::fs::symlink(tmp.path(), &link).unwrap();
        let err = refuse_symlink(&link).unwrap_err().to_string();
        assert!(err.contains("baseline: is a symbolic link"), "{err}");
        assert!(refuse_symlink(tmp.path()).is_ok());
    }

    #[test]
    fn an_update_keeps_the_other_files() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("runs.csv"), "kept").unwrap();
        fs::write(tmp.path().join("chart.png"), "old").unwrap();
        let mut st = Staging::update(tmp.path()).unwrap();
        st.write("chart.png", b"new").unwrap();
        st.commit().unwrap();
        assert_eq!(names(tmp.path()), ["chart.png", "runs.csv"]);
        assert_eq!(
            fs::read_to_string(tmp.path().join("chart.png")).unwrap(),
            "new"
        );
    }
}
