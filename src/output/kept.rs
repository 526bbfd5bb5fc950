//! A kept folder: finished pieces of work (a batch's replicates, a
//! sweep's design points) kept on disk as indexed files, so that an
//! interrupted run resumes (`--resume`) and shards merge (`stabsim merge`).
//!
//! The folder holds `state.json` (what the pieces belong to; a resumed run
//! must match it) and one `PREFIX-NNNNNNNN.bin` per finished piece. Each
//! file is written under a temporary name, synced, renamed into place and
//! the folder synced, so a kill at any instant leaves either the whole file
//! or none under its final name. Each file is its kind's magic (format
//! name and version), the payload, and the SHA-256 of both: on reading, a
//! file of another format (an older stabsim's included) or whose checksum
//! fails (a byte changed, a torn page after a crash) is refused, located,
//! never taken as finished. This type knows files, indices and the frame
//! only: each payload's encoding stays with its store ([`super::resume`],
//! [`crate::sweep::store`]), which also checks lengths on reading.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::staging::sync_dir;

/// The state file of a kept folder.
pub const STATE_FILE: &str = "state.json";

/// What a kept folder holds, for its file names and messages.
#[derive(Debug)]
pub struct Kind {
    /// File name prefix: `rep` gives `rep-00000003.bin`.
    pub prefix: &'static str,
    /// One piece, in messages ("replicate", "design point").
    pub one: &'static str,
    /// Several pieces, in messages ("replicates", "design points").
    pub many: &'static str,
    /// One piece, briefly, in "expected each ... in one shard".
    pub short: &'static str,
    /// Appended to a message about an unreadable `state.json` (may be "").
    pub state_hint: &'static str,
    /// First bytes of every piece file: format name, version, newline
    /// (`STBREP2\n`). A new version refuses the files of the old.
    pub magic: &'static [u8; 8],
    /// Ends a message about a bad piece file: what was expected and what
    /// to do ("...; delete it to run the replicate again").
    pub hint: &'static str,
}

/// Bytes of the SHA-256 that ends every piece file.
const CHECKSUM: usize = 32;

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// folder, synced, renamed over `path`, and the folder synced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_of(path);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The folder beside `dir` that [`KeptFolder::fresh`] moves the old one
/// to, or builds the new one in: hidden, named after `dir`.
fn aside(dir: &Path, what: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    dir.with_file_name(format!(".{name}.{what}"))
}

/// The folder holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Whether `dir` holds nothing but temporary files of a writer killed
/// mid-write ([`write_atomic`]'s `.NAME.tmp-PID`): such a folder is as
/// good as empty.
fn holds_only_temporaries(dir: &Path) -> io::Result<bool> {
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') && name.contains(".tmp-")) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A kept piece that cannot be used: damaged, of another format, or not a
/// regular file. It is the user's to delete (a refusal, exit 2), not a
/// failing disk; marked by its type, not by an error kind that a failed
/// write could share.
#[derive(Debug)]
pub struct UnusablePiece(String);

impl std::fmt::Display for UnusablePiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnusablePiece {}

/// Whether `e` says a kept piece cannot be used ([`Kind::bad`]).
pub fn is_unusable_piece(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<UnusablePiece>())
}

impl Kind {
    /// The file name of piece `i`.
    pub fn file_name(&self, i: u64) -> String {
        format!("{}-{i:08}.bin", self.prefix)
    }

    /// The piece index of a file name, if it is a piece file.
    fn index_of(&self, name: &str) -> Option<u64> {
        name.strip_prefix(self.prefix)?
            .strip_prefix('-')?
            .strip_suffix(".bin")?
            .parse()
            .ok()
    }

    /// The error for the piece file `path`: `what` is wrong with it
    /// ([`is_unusable_piece`]).
    pub fn bad(&self, path: &Path, what: &str) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            UnusablePiece(format!("{}: {what} ({})", path.display(), self.hint)),
        )
    }

    /// The bytes of a piece file holding `payload`: magic, payload, and
    /// the SHA-256 of both.
    fn frame(&self, payload: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.magic.len() + payload.len() + CHECKSUM);
        bytes.extend_from_slice(self.magic);
        bytes.extend_from_slice(payload);
        let sum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&sum);
        bytes
    }

    /// The payload of the piece file `path` whose bytes are `bytes`; an
    /// error naming the file if it is not of this kind and format, or if
    /// its checksum fails.
    fn unframe(&self, path: &Path, mut bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let m = self.magic.len();
        if bytes.len() < m || bytes[..m] != self.magic[..] {
            // The same format name, another version: say which.
            let name = m - 2;
            let old = bytes.len() >= m
                && bytes[..name] == self.magic[..name]
                && bytes[m - 1] == b'\n'
                && bytes[name].is_ascii_digit();
            let found = String::from_utf8_lossy(&bytes[..m.min(bytes.len())]).into_owned();
            return Err(if old {
                self.bad(
                    path,
                    &format!(
                        "format {} of another stabsim version, not {} (this stabsim reads \
                         only its own format)",
                        found.trim_end(),
                        String::from_utf8_lossy(self.magic).trim_end()
                    ),
                )
            } else {
                self.bad(path, &format!("not a {} file", self.one))
            });
        }
        if bytes.len() < m + CHECKSUM {
            return Err(self.bad(path, "truncated"));
        }
        let end = bytes.len() - CHECKSUM;
        if Sha256::digest(&bytes[..end])[..] != bytes[end..] {
            return Err(self.bad(
                path,
                "its SHA-256 checksum does not match its contents: the file was changed or \
                 damaged after it was written",
            ));
        }
        bytes.truncate(end);
        bytes.drain(..m);
        Ok(bytes)
    }

    /// Reads a kept folder's state, if the folder has one.
    pub fn read_state<S: DeserializeOwned>(&self, dir: &Path) -> Result<Option<S>, String> {
        let path = dir.join(STATE_FILE);
        match crate::scenario::input::read_text(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("{}:{}: {e}{}", path.display(), e.line(), self.state_hint)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// How many piece files `dir` holds; with `nested`, also in its
    /// subfolders, at any depth (a comparison keeps one folder per scenario).
    pub fn kept_count(&self, dir: &Path, nested: bool) -> usize {
        let Ok(entries) = fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| {
                if self.index_of(&e.file_name().to_string_lossy()).is_some() {
                    1
                } else if nested && e.file_type().is_ok_and(|t| t.is_dir()) {
                    self.kept_count(&e.path(), nested)
                } else {
                    0
                }
            })
            .sum()
    }
}

/// Why a kept folder could not be resumed.
#[derive(Debug)]
pub enum ResumeError {
    /// The folder holds the pieces of other work, or an unreadable state:
    /// the user's input.
    Refused(String),
    /// A folder without a state could not be made a fresh one.
    Fresh(io::Error),
}

/// Finished pieces on disk: read from one or more folders (several when
/// shards are merged), written to one (or none).
#[derive(Debug, Clone)]
pub struct KeptFolder {
    /// What the pieces are.
    kind: &'static Kind,
    /// Where new pieces are written, if anywhere.
    dir: Option<PathBuf>,
    /// Which pieces are kept, and where.
    kept: BTreeMap<u64, PathBuf>,
}

impl KeptFolder {
    /// A folder that keeps nothing and writes nothing.
    pub fn none(kind: &'static Kind) -> Self {
        Self {
            kind,
            dir: None,
            kept: BTreeMap::new(),
        }
    }

    /// A fresh folder `dir` for `state`: whatever it held is removed (it
    /// belongs to earlier, abandoned work), unless it is a folder of the
    /// user's own files. `dir` changes in whole steps, each one rename, so a
    /// process killed at any instant leaves under `dir` either the old
    /// folder, nothing, or the new folder with its state: never pieces
    /// without a state, which a resumed run would refuse as another's files.
    pub fn fresh<S: Serialize>(kind: &'static Kind, dir: &Path, state: &S) -> io::Result<Self> {
        let (old, new) = (aside(dir, "old"), aside(dir, "new"));
        // Left by a process killed while it replaced this folder.
        for stale in [&old, &new] {
            if fs::symlink_metadata(stale).is_ok() {
                super::refuse_symlink(stale)?;
                fs::remove_dir_all(stale)?;
            }
        }
        if fs::symlink_metadata(dir).is_ok() {
            super::refuse_symlink(dir)?;
            if !dir.join(STATE_FILE).is_file() && !holds_only_temporaries(dir)? {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{}: holds files but no {STATE_FILE}, so it is not a folder of kept \
                         {} and will not be replaced (expected a new or empty folder)",
                        dir.display(),
                        kind.many
                    ),
                ));
            }
            fs::rename(dir, &old)?;
            fs::remove_dir_all(&old)?;
        }
        fs::create_dir_all(&new)?;
        let mut text = serde_json::to_string_pretty(state).map_err(io::Error::other)?;
        text.push('\n');
        write_atomic(&new.join(STATE_FILE), text.as_bytes())?;
        fs::rename(&new, dir)?;
        sync_dir(parent_of(dir))?;
        Ok(Self {
            kind,
            dir: Some(dir.to_path_buf()),
            kept: BTreeMap::new(),
        })
    }

    /// Opens the folder `dir` to go on with it: `mismatch(kept, path)` says
    /// why the state kept at `path` does not fit this work, if it does not;
    /// a folder without a state gives a fresh one. Temporary files of a
    /// killed writer are removed.
    pub fn resume<S: Serialize + DeserializeOwned>(
        kind: &'static Kind,
        dir: &Path,
        state: &S,
        mismatch: impl Fn(&S, &Path) -> Option<String>,
    ) -> Result<Self, ResumeError> {
        super::refuse_symlink(dir).map_err(|e| ResumeError::Refused(e.to_string()))?;
        match kind.read_state::<S>(dir).map_err(ResumeError::Refused)? {
            None => Self::fresh(kind, dir, state).map_err(ResumeError::Fresh),
            Some(kept) => {
                if let Some(m) = mismatch(&kept, &dir.join(STATE_FILE)) {
                    return Err(ResumeError::Refused(m));
                }
                let mut folder = Self {
                    kind,
                    dir: Some(dir.to_path_buf()),
                    kept: BTreeMap::new(),
                };
                folder
                    .add_folder(dir)
                    .map_err(|e| ResumeError::Refused(format!("{}: {e}", dir.display())))?;
                Ok(folder)
            }
        }
    }

    /// A read-only view of the pieces in `dirs` (shards to merge). A piece
    /// found twice is an error naming both files.
    pub fn read_only(kind: &'static Kind, dirs: &[PathBuf]) -> Result<Self, String> {
        let mut all = Self::none(kind);
        for dir in dirs {
            let mut own = Self::none(kind);
            own.add_folder(dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            for (i, path) in own.kept {
                if let Some(other) = all.kept.get(&i) {
                    return Err(format!(
                        "{}: {} {i} is also in {} (expected each {} in one shard)",
                        path.display(),
                        kind.one,
                        other.display(),
                        kind.short
                    ));
                }
                all.kept.insert(i, path);
            }
        }
        Ok(all)
    }

    fn add_folder(&mut self, dir: &Path) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(i) = self.kind.index_of(&name) {
                self.kept.insert(i, entry.path());
            } else if name.starts_with('.') && name.contains(".tmp-") && self.dir.is_some() {
                // A temporary file of a writer killed mid-write: never a piece.
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(())
    }

    /// The folder new pieces go to, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Whether piece `i` is kept.
    pub fn has(&self, i: u64) -> bool {
        self.kept.contains_key(&i)
    }

    /// How many pieces are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether no piece is kept.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The kept piece indices, in order.
    pub fn indices(&self) -> impl Iterator<Item = u64> + '_ {
        self.kept.keys().copied()
    }

    /// The payload of kept piece `i` and the file it came from, if it is
    /// kept; an error naming the file if it is of another format or its
    /// checksum fails.
    pub fn read(&self, i: u64) -> io::Result<Option<(&Path, Vec<u8>)>> {
        match self.kept.get(&i) {
            Some(path) => {
                let bytes = crate::scenario::input::read_regular(path).map_err(|e| {
                    match e.kind() {
                        // A FIFO or device in the folder is refused, not read.
                        io::ErrorKind::InvalidInput => self.kind.bad(path, &e.to_string()),
                        _ => io::Error::new(e.kind(), format!("{}: {e}", path.display())),
                    }
                })?;
                Ok(Some((path, self.kind.unframe(path, bytes)?)))
            }
            None => Ok(None),
        }
    }

    /// Keeps piece `i` holding `payload` (atomically, with its magic and
    /// checksum; see the module's doc). A no-op for a folder that writes
    /// nowhere.
    pub fn write(&self, i: u64, payload: &[u8]) -> io::Result<()> {
        match &self.dir {
            Some(dir) => write_atomic(&dir.join(self.kind.file_name(i)), &self.kind.frame(payload)),
            None => Ok(()),
        }
    }

    /// Removes the folder (after the outputs were committed).
    pub fn remove(self) -> io::Result<()> {
        match self.dir {
            Some(dir) => match fs::remove_dir_all(&dir) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static KIND: Kind = Kind {
        prefix: "piece",
        one: "piece",
        many: "pieces",
        short: "piece",
        state_hint: "",
        magic: b"STBPCE2\n",
        hint: "expected a piece; delete it to run the piece again",
    };

    #[test]
    fn names_and_indices_round_trip() {
        assert_eq!(KIND.file_name(3), "piece-00000003.bin");
        assert_eq!(KIND.index_of("piece-00000003.bin"), Some(3));
        for not in [
            "piece-3.txt",
            "pieces-00000003.bin",
            ".piece-00000003.bin.tmp-1",
        ] {
            assert_eq!(KIND.index_of(not), None, "{not}");
        }
    }

    #[test]
    fn a_written_piece_reads_back_and_a_temporary_file_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kept");
        let folder = KeptFolder::fresh(&KIND, &dir, &7u32).unwrap();
        folder.write(2, b"abc").unwrap();
        let stray = dir.join(".piece-00000005.bin.tmp-9");
        fs::write(&stray, b"half").unwrap();
        let again = KeptFolder::resume(&KIND, &dir, &7u32, |_, _| None).unwrap();
        assert_eq!(again.indices().collect::<Vec<_>>(), [2]);
        assert_eq!(again.read(2).unwrap().unwrap().1, b"abc");
        assert!(again.read(5).unwrap().is_none() && !stray.exists());
        assert_eq!(KIND.kept_count(&dir, false), 1);
        assert_eq!(KIND.kept_count(tmp.path(), false), 0);
        assert_eq!(KIND.kept_count(tmp.path(), true), 1);
    }

    #[test]
    fn a_kill_while_a_fresh_folder_is_made_leaves_nothing_a_resume_refuses() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kept");
        // Killed while writing the state: only its temporary file is there.
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(".state.json.tmp-77"), b"{").unwrap();
        // Killed while replacing an old folder: its halves lie beside.
        for half in [".kept.old", ".kept.new"] {
            fs::create_dir_all(tmp.path().join(half)).unwrap();
            fs::write(tmp.path().join(half).join("piece-00000001.bin"), b"x").unwrap();
        }
        let folder = KeptFolder::resume(&KIND, &dir, &7u32, |_, _| None).unwrap();
        assert_eq!(folder.len(), 0);
        assert!(dir.join(STATE_FILE).is_file());
        let mut left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["kept"],
            "the halves of the killed replacement are gone"
        );
        // A folder of the user's own files is still refused.
        let own = tmp.path().join("own");
        fs::create_dir_all(&own).unwrap();
        fs::write(own.join("notes.txt"), b"mine").unwrap();
        let err = KeptFolder::fresh(&KIND, &own, &7u32).unwrap_err();
        assert!(
            err.to_string().contains("holds files but no state.json"),
            "{err}"
        );
        assert!(own.join("notes.txt").is_file());
    }

    #[test]
    fn a_fresh_folder_replaces_the_old_one_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kept");
        let folder = KeptFolder::fresh(&KIND, &dir, &7u32).unwrap();
        folder.write(4, b"old").unwrap();
        let again = KeptFolder::fresh(&KIND, &dir, &8u32).unwrap();
        assert_eq!(again.len(), 0);
        assert_eq!(
            KIND.kept_count(&dir, false),
            0,
            "the old pieces went with it"
        );
        let state = fs::read_to_string(dir.join(STATE_FILE)).unwrap();
        assert_eq!(state.trim(), "8");
    }

    #[test]
    fn a_state_that_does_not_fit_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        KeptFolder::fresh(&KIND, tmp.path(), &7u32).unwrap();
        let err = KeptFolder::resume(&KIND, tmp.path(), &8u32, |kept: &u32, path| {
            Some(format!("{}: kept {kept}", path.display()))
        })
        .unwrap_err();
        assert!(
            matches!(&err, ResumeError::Refused(m) if m.ends_with("state.json: kept 7")),
            "{err:?}"
        );
    }

    #[test]
    fn a_piece_with_one_byte_changed_is_refused_located() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kept");
        let folder = KeptFolder::fresh(&KIND, &dir, &7u32).unwrap();
        folder.write(1, b"payload of piece one").unwrap();
        let path = dir.join(KIND.file_name(1));
        let good = fs::read(&path).unwrap();
        assert_eq!(&good[..8], KIND.magic);
        // Every byte in turn: magic, payload and checksum alike.
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            fs::write(&path, &bad).unwrap();
            let again = KeptFolder::resume(&KIND, &dir, &7u32, |_, _| None).unwrap();
            let err = again.read(1).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "byte {at}");
            let msg = err.to_string();
            assert!(
                msg.starts_with(&path.display().to_string())
                    && msg.ends_with("(expected a piece; delete it to run the piece again)"),
                "byte {at}: {msg}"
            );
            if (8..good.len() - CHECKSUM).contains(&at) {
                assert!(msg.contains("checksum does not match"), "byte {at}: {msg}");
            }
        }
        fs::write(&path, &good).unwrap();
        let again = KeptFolder::resume(&KIND, &dir, &7u32, |_, _| None).unwrap();
        assert_eq!(again.read(1).unwrap().unwrap().1, b"payload of piece one");
    }

    #[test]
    fn a_piece_of_an_older_format_or_cut_short_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kept");
        KeptFolder::fresh(&KIND, &dir, &7u32).unwrap();
        let path = dir.join(KIND.file_name(0));
        // Version 1: the magic and the payload, no checksum.
        fs::write(&path, b"STBPCE1\npayload of piece zero").unwrap();
        let folder = KeptFolder::resume(&KIND, &dir, &7u32, |_, _| None).unwrap();
        let msg = folder.read(0).unwrap_err().to_string();
        assert!(
            msg.contains("format STBPCE1 of another stabsim version, not STBPCE2"),
            "{msg}"
        );
        fs::write(&path, b"something else entirely").unwrap();
        let msg = folder.read(0).unwrap_err().to_string();
        assert!(msg.contains(": not a piece file ("), "{msg}");
        // The magic and part of the checksum.
        fs::write(&path, b"STBPCE2\n0123456789").unwrap();
        let msg = folder.read(0).unwrap_err().to_string();
        assert!(msg.contains(": truncated ("), "{msg}");
        // A checksum without its last byte.
        let full = KIND.frame(b"abc");
        fs::write(&path, &full[..full.len() - 1]).unwrap();
        let msg = folder.read(0).unwrap_err().to_string();
        assert!(msg.contains("checksum does not match"), "{msg}");
    }
}
