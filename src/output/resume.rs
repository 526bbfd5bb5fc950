//! Completed replicates kept on disk, so that an interrupted batch resumes
//! (`--resume`) and shards of a batch merge (`stabsim merge`) into exactly
//! the bytes of one uninterrupted run.
//!
//! A store is a folder holding `state.json` (what the replicates belong
//! to: the resolved scenario's SHA-256, seed, replicate count and horizon)
//! and one `rep-NNNNNNNN.bin` per finished replicate: its series, every
//! value as the bits of its `f64`, so a replicate read back is the very
//! replicate that was run. Each file is written under a temporary name,
//! synced, renamed into place and the folder synced, so a kill at any
//! instant leaves either the whole file or none under its final name; each
//! ends with the SHA-256 of its bytes, and checksum, format and lengths are
//! checked on reading, so nothing half-written or damaged is taken as a
//! replicate (see [`super::kept`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::kept::{KeptFolder, Kind, ResumeError};
use crate::batch::Keep;
use crate::metrics::{Names, Series};

/// First bytes of a replicate file (format version 2: version 1 had no
/// checksum).
const MAGIC: &[u8; 8] = b"STBREP2\n";

/// What a store's replicates belong to: a resumed or merged run must match
/// it exactly, or its replicates would be mixed with another scenario's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreState {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of `scenario.resolved.toml` (every field, map inlined).
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates of the whole batch.
    pub replicates: u32,
    /// Ticks per replicate.
    pub ticks: u32,
}

impl StoreState {
    /// The state of a scenario whose resolved text is `resolved`.
    pub fn of(scenario: &crate::scenario::Scenario, resolved: &str) -> Self {
        Self {
            scenario: scenario.name.clone(),
            scenario_sha256: super::sha256_hex(resolved.as_bytes()),
            seed: scenario.run.seed,
            replicates: scenario.run.replicates,
            ticks: scenario.run.ticks,
        }
    }

    /// Why `other` (a store's state) does not fit this run, if it does not.
    pub fn mismatch(&self, other: &StoreState, path: &Path) -> Option<String> {
        if self == other {
            return None;
        }
        Some(format!(
            "{}: the kept replicates belong to scenario {} (SHA-256 {}…), seed {}, {} replicates \
             of {} ticks, but this run is scenario {} (SHA-256 {}…), seed {}, {} replicates of {} \
             ticks (expected the same scenario, overrides and seed as the interrupted run)",
            path.display(),
            other.scenario,
            &other.scenario_sha256[..other.scenario_sha256.len().min(12)],
            other.seed,
            other.replicates,
            other.ticks,
            self.scenario,
            &self.scenario_sha256[..self.scenario_sha256.len().min(12)],
            self.seed,
            self.replicates,
            self.ticks
        ))
    }
}

/// The replicates' kept folder: `rep-NNNNNNNN.bin` files.
static REPLICATES: Kind = Kind {
    prefix: "rep",
    one: "replicate",
    many: "replicates",
    short: "replicate",
    state_hint: "",
    magic: MAGIC,
    hint: "expected a replicate file written by this stabsim; delete it to run the replicate again",
};

/// Finished replicates on disk: read from one or more folders (several
/// when shards are merged), written to one (or none).
#[derive(Debug, Clone)]
pub struct ReplicateStore(KeptFolder);

/// Reads a store's state file, if it has one.
pub fn read_state(dir: &Path) -> Result<Option<StoreState>, String> {
    REPLICATES.read_state(dir)
}

impl ReplicateStore {
    /// A store that keeps nothing and writes nothing.
    pub fn none() -> Self {
        Self(KeptFolder::none(&REPLICATES))
    }

    /// A fresh store in `dir` for `state`: whatever the folder held is
    /// removed (it belongs to an earlier, abandoned run).
    pub fn fresh(dir: &Path, state: &StoreState) -> io::Result<Self> {
        KeptFolder::fresh(&REPLICATES, dir, state).map(Self)
    }

    /// Opens the store in `dir` to go on with it: its state must be
    /// `state` (else the message says how they differ); a folder without a
    /// store gives a fresh one. Temporary files of a killed writer are
    /// removed.
    pub fn resume(dir: &Path, state: &StoreState) -> Result<Self, String> {
        KeptFolder::resume(&REPLICATES, dir, state, |kept, path| {
            state.mismatch(kept, path)
        })
        .map(Self)
        .map_err(|e| match e {
            ResumeError::Refused(m) => m,
            ResumeError::Fresh(e) => format!("{}: {e}", dir.display()),
        })
    }

    /// A read-only store of the replicates in `dirs` (shards to merge).
    /// A replicate found twice is an error naming both files.
    pub fn read_only(dirs: &[PathBuf]) -> Result<Self, String> {
        KeptFolder::read_only(&REPLICATES, dirs).map(Self)
    }

    /// The folder new replicates go to, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.0.dir()
    }

    /// Whether replicate `i` is kept.
    pub fn has(&self, i: u64) -> bool {
        self.0.has(i)
    }

    /// How many replicates are kept.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no replicate is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The kept replicate indices, in order.
    pub fn indices(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.indices()
    }

    /// Reads kept replicate `i` (with metric `names` and `ticks` rows
    /// beyond the first); an error if its file is not a whole replicate of
    /// this shape.
    pub fn load(&self, i: u64, names: &Names, ticks: u32) -> io::Result<Option<Series>> {
        let Some((path, bytes)) = self.0.read(i)? else {
            return Ok(None);
        };
        let bad = |what: &str| REPLICATES.bad(path, what);
        // After the magic, which the kept folder checked with the checksum.
        let header = 8 + 4 + 4;
        if bytes.len() < header {
            return Err(bad("truncated"));
        }
        let word = |at: usize, n: usize| -> u64 {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(&bytes[at..at + n]);
            u64::from_le_bytes(b)
        };
        let (idx, rows, cols) = (word(0, 8), word(8, 4), word(12, 4));
        if idx != i {
            return Err(bad(&format!("holds replicate {idx}, not {i}")));
        }
        if rows > u64::from(ticks) + 1 || cols != names.len() as u64 {
            return Err(bad(&format!(
                "{rows} rows of {cols} metrics, for a run of {} ticks and {} metrics",
                ticks,
                names.len()
            )));
        }
        let values = rows as usize * cols as usize;
        if bytes.len() != header + 8 * values {
            return Err(bad("truncated"));
        }
        let mut series = Series::new(names.clone(), ticks);
        let mut row = vec![0.0; cols as usize];
        for r in 0..rows as usize {
            for (c, v) in row.iter_mut().enumerate() {
                let at = header + 8 * (r * cols as usize + c);
                *v = f64::from_bits(word(at, 8));
            }
            series.push_row(&row);
        }
        Ok(Some(series))
    }

    /// Keeps replicate `i` (atomically; see the module's doc). A no-op for
    /// a store that writes nowhere.
    pub fn save(&self, i: u64, series: &Series) -> io::Result<()> {
        let cols = series.names().len();
        let rows = series.len();
        let mut bytes = Vec::with_capacity(16 + 8 * rows * cols);
        bytes.extend_from_slice(&i.to_le_bytes());
        bytes.extend_from_slice(&(rows as u32).to_le_bytes());
        bytes.extend_from_slice(&(cols as u32).to_le_bytes());
        for t in 0..rows {
            for v in series.row(t) {
                bytes.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
        self.0.write(i, &bytes)
    }

    /// Removes the store's folder (after its outputs were committed).
    pub fn remove(self) -> io::Result<()> {
        self.0.remove()
    }
}

/// The store folder of an output folder `dir`: `.NAME.resume` beside it.
pub fn store_dir(dir: &Path) -> PathBuf {
    // `.` or `..` name no folder: resolve them, as the staging does.
    let resolved;
    let dir = match dir.file_name() {
        Some(_) => dir,
        None => {
            resolved = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
            &resolved
        }
    };
    let name = dir.file_name().map_or_else(
        || "outputs".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.join(format!(".{name}.resume"))
}

/// Why a store could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// `--resume` with kept replicates of another scenario or seed.
    Mismatch(String),
    /// The folder could not be read or written.
    Io(String),
}

/// Opens the store of `scenario` in `dir`: with `resume`, the kept
/// replicates of an interrupted run (checked against the scenario and
/// seed); without, a fresh one (the replicates an interrupted run kept
/// there are discarded, and `note` says so).
pub fn open(
    dir: &Path,
    scenario: &crate::scenario::Scenario,
    resume: bool,
    note: &mut dyn FnMut(String),
) -> Result<ReplicateStore, OpenError> {
    let resolved = super::resolved_toml(scenario)
        .map_err(|e| OpenError::Io(format!("serialising scenario: {e}")))?;
    let state = StoreState::of(scenario, &resolved);
    if resume {
        return ReplicateStore::resume(dir, &state).map_err(OpenError::Mismatch);
    }
    let kept = kept_count(dir);
    if kept > 0 {
        note(format!(
            "stabsim: discarding {kept} replicates an interrupted run kept in {} (add --resume \
             to go on from them)",
            dir.display()
        ));
    }
    ReplicateStore::fresh(dir, &state).map_err(|e| {
        OpenError::Io(format!(
            "{}: cannot write here: {e} (expected a writable folder with free space)",
            dir.display()
        ))
    })
}

/// How many replicate files `dir` (and, for a comparison's store, its
/// subfolders) holds.
pub fn kept_count(dir: &Path) -> usize {
    REPLICATES.kept_count(dir, true)
}

/// The command line that resumes this process's work: its own arguments,
/// quoted for a POSIX shell, with `--resume` added if missing.
pub fn resume_command() -> String {
    let mut args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--resume") {
        args.push("--resume".to_string());
    }
    args.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as one word for a POSIX shell.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A store as a batch's [`Keep`]: replicates of `names` and `ticks`, and,
/// for a shard `K/N`, only the replicates `i` with `i mod N = K`.
pub struct StoreKeep<'a> {
    /// The store.
    pub store: &'a ReplicateStore,
    /// The model's metric names.
    pub names: Names,
    /// Ticks per replicate.
    pub ticks: u32,
    /// The shard `(K, N)`, if the batch is one.
    pub shard: Option<(u32, u32)>,
}

impl Keep for StoreKeep<'_> {
    fn load(&self, i: u64) -> io::Result<Option<Series>> {
        self.store.load(i, &self.names, self.ticks)
    }

    fn save(&self, i: u64, series: &Series) -> io::Result<()> {
        self.store.save(i, series)
    }

    fn wanted(&self, i: u64) -> bool {
        self.shard
            .is_none_or(|(k, n)| i % u64::from(n) == u64::from(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> StoreState {
        StoreState {
            scenario: "s".into(),
            scenario_sha256: "ab".repeat(32),
            seed: 7,
            replicates: 5,
            ticks: 2,
        }
    }

    fn series(x: f64) -> (Names, Series) {
        let names: Names = vec!["a".to_string(), "b".to_string()].into();
        let mut s = Series::new(names.clone(), 2);
        s.push_row(&[x, -0.0]);
        s.push_row(&[x + 1.0, 1e-300]);
        s.push_row(&[f64::NAN, f64::INFINITY]);
        (names, s)
    }

    #[test]
    fn a_saved_replicate_reads_back_bit_for_bit() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(".out.resume");
        let store = ReplicateStore::fresh(&dir, &state()).unwrap();
        let (names, s) = series(0.1);
        store.save(3, &s).unwrap();
        let again = ReplicateStore::resume(&dir, &state()).unwrap();
        assert_eq!(again.indices().collect::<Vec<_>>(), [3]);
        let back = again.load(3, &names, 2).unwrap().unwrap();
        for t in 0..3 {
            let bits = |r: &[f64]| r.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(back.row(t)), bits(s.row(t)));
        }
        assert!(again.load(4, &names, 2).unwrap().is_none());
    }

    #[test]
    fn a_truncated_or_temporary_file_is_never_a_replicate() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let store = ReplicateStore::fresh(&dir, &state()).unwrap();
        let (names, s) = series(1.0);
        store.save(0, &s).unwrap();
        store.save(1, &s).unwrap();
        let full = fs::read(dir.join(REPLICATES.file_name(1))).unwrap();
        fs::write(dir.join(REPLICATES.file_name(1)), &full[..full.len() - 3]).unwrap();
        fs::write(
            dir.join(format!(".{}.tmp-1", REPLICATES.file_name(2))),
            &full,
        )
        .unwrap();
        let again = ReplicateStore::resume(&dir, &state()).unwrap();
        assert_eq!(again.indices().collect::<Vec<_>>(), [0, 1]);
        let err = again.load(1, &names, 2).unwrap_err().to_string();
        assert!(
            err.contains("rep-00000001.bin") && err.contains("checksum does not match"),
            "{err}"
        );
        assert!(
            !dir.join(format!(".{}.tmp-1", REPLICATES.file_name(2)))
                .exists()
        );
    }

    #[test]
    fn a_store_of_another_scenario_or_seed_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        ReplicateStore::fresh(&dir, &state()).unwrap();
        let mut other = state();
        other.seed = 8;
        let err = ReplicateStore::resume(&dir, &other).unwrap_err();
        assert!(
            err.contains("state.json") && err.contains("seed 7"),
            "{err}"
        );
    }

    #[test]
    fn words_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("scenarios/gaza"), "scenarios/gaza");
        assert_eq!(shell_quote("my out"), "'my out'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn a_replicate_in_two_shards_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        let (_, s) = series(2.0);
        ReplicateStore::fresh(&a, &state())
            .unwrap()
            .save(1, &s)
            .unwrap();
        ReplicateStore::fresh(&b, &state())
            .unwrap()
            .save(1, &s)
            .unwrap();
        let err = ReplicateStore::read_only(&[a, b]).unwrap_err();
        assert!(err.contains("replicate 1 is also in"), "{err}");
    }

    #[test]
    fn a_replicate_with_one_value_changed_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let store = ReplicateStore::fresh(&dir, &state()).unwrap();
        let (names, s) = series(3.0);
        store.save(2, &s).unwrap();
        let path = dir.join(REPLICATES.file_name(2));
        let mut bytes = fs::read(&path).unwrap();
        // The lowest bit of the first value: the length is unchanged, the
        // value still a number, only the checksum tells.
        bytes[8 + 16] ^= 1;
        fs::write(&path, &bytes).unwrap();
        let again = ReplicateStore::resume(&dir, &state()).unwrap();
        let err = again.load(2, &names, 2).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let err = err.to_string();
        assert!(
            err.starts_with(&path.display().to_string())
                && err.contains("checksum does not match")
                && err.ends_with("delete it to run the replicate again)"),
            "{err}"
        );
    }

    #[test]
    fn a_replicate_of_the_first_format_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        ReplicateStore::fresh(&dir, &state()).unwrap();
        let (names, s) = series(4.0);
        // As stabsim wrote replicates before checksums: a whole, well
        // formed version 1 file, which the old reader took.
        let mut v1 = b"STBREP1\n".to_vec();
        v1.extend_from_slice(&0u64.to_le_bytes());
        v1.extend_from_slice(&3u32.to_le_bytes());
        v1.extend_from_slice(&2u32.to_le_bytes());
        for t in 0..3 {
            for v in s.row(t) {
                v1.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
        let path = dir.join(REPLICATES.file_name(0));
        fs::write(&path, &v1).unwrap();
        let again = ReplicateStore::resume(&dir, &state()).unwrap();
        let err = again.load(0, &names, 2).unwrap_err().to_string();
        assert!(
            err.starts_with(&path.display().to_string())
                && err.contains("format STBREP1 of another stabsim version, not STBREP2")
                && err.ends_with("delete it to run the replicate again)"),
            "{err}"
        );
    }
}
