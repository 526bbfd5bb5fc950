//! Completed design points kept on disk, so that an interrupted sweep
//! resumes (`--resume`) and the shards of a sweep merge (`stabsim merge`)
//! into exactly the bytes of one uninterrupted sweep.
//!
//! A store is a folder holding `state.json` (what the points belong to:
//! the SHA-256 of the base scenario, the design and the measures; seed,
//! replicates, horizon) and one `point-NNNNNNNN.bin` per finished design
//! point: every replicate's end-of-run measures, each as a presence byte
//! and the bits of its `f64`, so a point read back is the very point that
//! was run. Files are written as the replicate store's are (temporary
//! name, fsync, rename, fsync of the folder): a kill at any instant leaves
//! the whole file or none under its final name, and lengths are checked on
//! reading, so nothing half-written is taken as a finished point.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::resume::{STATE_FILE, write_atomic};

/// First bytes of a point file (format version 1).
const MAGIC: &[u8; 8] = b"STBPNT1\n";

/// One design point's results: `[replicate][measure]`, `None` where the
/// measure is undefined.
pub type PointValues = Vec<Vec<Option<f64>>>;

/// What a store's points belong to: a resumed or merged sweep must match
/// it exactly, or points of another design would be mixed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepState {
    /// `sweep`: tells this store from a batch's replicate store.
    pub kind: String,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the base scenario (resolved), the design and the
    /// measures (see [`SweepState::of`]).
    pub sha256: String,
    /// Master seed, shared by every point.
    pub seed: u64,
    /// Replicates per point.
    pub replicates: u32,
    /// Days per replicate.
    pub ticks: u32,
    /// Design points.
    pub points: usize,
}

impl SweepState {
    /// The state of a sweep of the base scenario whose resolved text is
    /// `resolved`, over `design_csv`, measuring `measures`.
    pub fn of(
        base: &crate::scenario::Scenario,
        resolved: &str,
        design_csv: &[u8],
        measures: &[&str],
        points: usize,
    ) -> Self {
        // Lengths first, so no two different inputs hash alike.
        let mut text = Vec::new();
        for part in [
            resolved.as_bytes(),
            design_csv,
            measures.join(",").as_bytes(),
        ] {
            text.extend_from_slice(format!("{}\n", part.len()).as_bytes());
            text.extend_from_slice(part);
        }
        Self {
            kind: "sweep".to_string(),
            scenario: base.name.clone(),
            sha256: crate::output::sha256_hex(&text),
            seed: base.run.seed,
            replicates: base.run.replicates,
            ticks: base.run.ticks,
            points,
        }
    }

    /// Why `other` (a store's state, read from `path`) does not fit this
    /// sweep, if it does not.
    pub fn mismatch(&self, other: &SweepState, path: &Path) -> Option<String> {
        if self == other {
            return None;
        }
        let short = |s: &str| s[..s.len().min(12)].to_string();
        Some(format!(
            "{}: the kept design points belong to a sweep of scenario {} (design SHA-256 {}…, \
             {} points), seed {}, {} replicates of {} days, but this sweep is of scenario {} \
             (design SHA-256 {}…, {} points), seed {}, {} replicates of {} days (expected the \
             same scenario, overrides, design, measures and seed as the interrupted sweep)",
            path.display(),
            other.scenario,
            short(&other.sha256),
            other.points,
            other.seed,
            other.replicates,
            other.ticks,
            self.scenario,
            short(&self.sha256),
            self.points,
            self.seed,
            self.replicates,
            self.ticks
        ))
    }
}

/// The file name of point `p`.
fn file_name(p: usize) -> String {
    format!("point-{p:08}.bin")
}

/// The point index of a file name, if it is a point file.
fn index_of(name: &str) -> Option<usize> {
    name.strip_prefix("point-")?
        .strip_suffix(".bin")?
        .parse()
        .ok()
}

/// Reads a store's state, if the folder has one.
pub fn read_state(dir: &Path) -> Result<Option<SweepState>, String> {
    let path = dir.join(STATE_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{}:{}: {e} (expected the state of a sweep's kept design points)",
                path.display(),
                e.line()
            )
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Finished design points on disk: read from one or more folders (several
/// when shards are merged), written to one (or none).
#[derive(Debug, Clone, Default)]
pub struct PointStore {
    /// Where new points are written, if anywhere.
    dir: Option<PathBuf>,
    /// Which points are kept, and where.
    kept: BTreeMap<usize, PathBuf>,
}

impl PointStore {
    /// A store that keeps nothing and writes nothing.
    pub fn none() -> Self {
        Self::default()
    }

    /// A fresh store in `dir` for `state`: whatever the folder held is
    /// removed (it belongs to an earlier, abandoned sweep), unless it is a
    /// folder of the user's own files.
    pub fn fresh(dir: &Path, state: &SweepState) -> io::Result<Self> {
        if fs::symlink_metadata(dir).is_ok() {
            crate::output::refuse_symlink(dir)?;
            let empty = fs::read_dir(dir)?.next().is_none();
            if !empty && !dir.join(STATE_FILE).is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{}: holds files but no {STATE_FILE}, so it is not a folder of kept \
                         design points and will not be replaced (expected a new or empty folder)",
                        dir.display()
                    ),
                ));
            }
            fs::remove_dir_all(dir)?;
        }
        fs::create_dir_all(dir)?;
        let mut text = serde_json::to_string_pretty(state).map_err(io::Error::other)?;
        text.push('\n');
        write_atomic(&dir.join(STATE_FILE), text.as_bytes())?;
        Ok(Self {
            dir: Some(dir.to_path_buf()),
            kept: BTreeMap::new(),
        })
    }

    /// Opens the store in `dir` to go on with it: its state must be
    /// `state` (else the message says how they differ); a folder without a
    /// store gives a fresh one. Temporary files of a killed writer are
    /// removed.
    pub fn resume(dir: &Path, state: &SweepState) -> Result<Self, String> {
        crate::output::refuse_symlink(dir).map_err(|e| e.to_string())?;
        match read_state(dir)? {
            None => Self::fresh(dir, state).map_err(|e| {
                format!(
                    "{}: cannot write here: {e} (expected a writable folder with free space)",
                    dir.display()
                )
            }),
            Some(kept) => {
                if let Some(m) = state.mismatch(&kept, &dir.join(STATE_FILE)) {
                    return Err(m);
                }
                let mut store = Self {
                    dir: Some(dir.to_path_buf()),
                    kept: BTreeMap::new(),
                };
                store
                    .add_folder(dir)
                    .map_err(|e| format!("{}: {e}", dir.display()))?;
                Ok(store)
            }
        }
    }

    /// A read-only store of the points in `dirs` (shards to merge). A
    /// point found twice is an error naming both files.
    pub fn read_only(dirs: &[PathBuf]) -> Result<Self, String> {
        let mut store = Self::none();
        for dir in dirs {
            let mut own = Self::none();
            own.add_folder(dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            for (p, path) in own.kept {
                if let Some(other) = store.kept.get(&p) {
                    return Err(format!(
                        "{}: design point {p} is also in {} (expected each point in one shard)",
                        path.display(),
                        other.display()
                    ));
                }
                store.kept.insert(p, path);
            }
        }
        Ok(store)
    }

    fn add_folder(&mut self, dir: &Path) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(p) = index_of(&name) {
                self.kept.insert(p, entry.path());
            } else if name.starts_with('.') && name.contains(".tmp-") && self.dir.is_some() {
                // A temporary file of a writer killed mid-write: never a point.
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(())
    }

    /// The folder new points go to, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Whether point `p` is kept.
    pub fn has(&self, p: usize) -> bool {
        self.kept.contains_key(&p)
    }

    /// How many points are kept.
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether no point is kept.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// Reads kept point `p` of `replicates` rows of `measures` values; an
    /// error if its file is not a whole point of this shape.
    pub fn load(
        &self,
        p: usize,
        replicates: u32,
        measures: usize,
    ) -> io::Result<Option<PointValues>> {
        let Some(path) = self.kept.get(&p) else {
            return Ok(None);
        };
        let bytes = fs::read(path)?;
        let bad = |what: &str| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{}: {what} (expected a design point file written by this stabsim; delete \
                     it to run the point again)",
                    path.display()
                ),
            )
        };
        let header = MAGIC.len() + 8 + 4 + 4;
        if bytes.len() < header || &bytes[..MAGIC.len()] != MAGIC {
            return Err(bad("not a design point file"));
        }
        let word = |at: usize, n: usize| -> u64 {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(&bytes[at..at + n]);
            u64::from_le_bytes(b)
        };
        let (idx, reps, cols) = (word(8, 8), word(16, 4), word(20, 4));
        if idx != p as u64 {
            return Err(bad(&format!("holds design point {idx}, not {p}")));
        }
        if reps != u64::from(replicates) || cols != measures as u64 {
            return Err(bad(&format!(
                "{reps} replicates of {cols} measures, for a sweep of {replicates} and {measures}"
            )));
        }
        if bytes.len() != header + 9 * replicates as usize * measures {
            return Err(bad("truncated"));
        }
        let mut at = header;
        let mut values = Vec::with_capacity(replicates as usize);
        for _ in 0..replicates {
            let mut row = Vec::with_capacity(measures);
            for _ in 0..measures {
                row.push(match bytes[at] {
                    0 => None,
                    1 => Some(f64::from_bits(word(at + 1, 8))),
                    _ => return Err(bad("corrupt")),
                });
                at += 9;
            }
            values.push(row);
        }
        Ok(Some(values))
    }

    /// Keeps point `p` (atomically; see the module's doc). A no-op for a
    /// store that writes nowhere.
    pub fn save(&self, p: usize, values: &[Vec<Option<f64>>]) -> io::Result<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let cols = values.first().map_or(0, Vec::len);
        let mut bytes = Vec::with_capacity(MAGIC.len() + 16 + 9 * values.len() * cols);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(p as u64).to_le_bytes());
        bytes.extend_from_slice(&(values.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&(cols as u32).to_le_bytes());
        for row in values {
            for v in row {
                match v {
                    None => bytes.extend_from_slice(&[0; 9]),
                    Some(x) => {
                        bytes.push(1);
                        bytes.extend_from_slice(&x.to_bits().to_le_bytes());
                    }
                }
            }
        }
        write_atomic(&dir.join(file_name(p)), &bytes)
    }

    /// Removes the store's folder (after the outputs were committed).
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

/// How many point files `dir` holds.
pub fn kept_count(dir: &Path) -> usize {
    fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| index_of(&e.file_name().to_string_lossy()).is_some())
            .count()
    })
}

/// Opens the store of a sweep in `dir`: with `resume`, the kept points of
/// an interrupted sweep (checked against `state`: a mismatch is `Err(Ok)`,
/// the user's input); without, a fresh one (points an interrupted sweep
/// kept there are discarded, and `note` says so). `Err(Err)`: the folder
/// cannot be written.
pub fn open(
    dir: &Path,
    state: &SweepState,
    resume: bool,
    note: &mut dyn FnMut(String),
) -> Result<PointStore, Result<String, String>> {
    if resume {
        return PointStore::resume(dir, state).map_err(Ok);
    }
    let kept = kept_count(dir);
    if kept > 0 {
        note(format!(
            "stabsim: discarding {kept} design points an interrupted sweep kept in {} (add \
             --resume to go on from them)",
            dir.display()
        ));
    }
    PointStore::fresh(dir, state).map_err(|e| {
        Err(format!(
            "{}: cannot write here: {e} (expected a writable folder with free space)",
            dir.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> SweepState {
        SweepState {
            kind: "sweep".into(),
            scenario: "s".into(),
            sha256: "cd".repeat(32),
            seed: 7,
            replicates: 2,
            ticks: 3,
            points: 4,
        }
    }

    fn values(x: f64) -> PointValues {
        vec![
            vec![Some(x), None, Some(-0.0)],
            vec![Some(f64::NAN), Some(1e-300), None],
        ]
    }

    fn bits(v: &PointValues) -> Vec<Vec<Option<u64>>> {
        v.iter()
            .map(|r| r.iter().map(|x| x.map(f64::to_bits)).collect())
            .collect()
    }

    #[test]
    fn a_saved_point_reads_back_bit_for_bit() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let store = PointStore::fresh(&dir, &state()).unwrap();
        store.save(2, &values(0.1)).unwrap();
        let again = PointStore::resume(&dir, &state()).unwrap();
        assert!(again.has(2) && !again.has(1));
        let back = again.load(2, 2, 3).unwrap().unwrap();
        assert_eq!(bits(&back), bits(&values(0.1)));
        assert!(again.load(1, 2, 3).unwrap().is_none());
    }

    #[test]
    fn a_truncated_or_temporary_file_is_never_a_point() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let store = PointStore::fresh(&dir, &state()).unwrap();
        store.save(0, &values(1.0)).unwrap();
        let full = fs::read(dir.join(file_name(0))).unwrap();
        fs::write(dir.join(file_name(0)), &full[..full.len() - 1]).unwrap();
        let tmp_file = dir.join(format!(".{}.tmp-9", file_name(1)));
        fs::write(&tmp_file, &full).unwrap();
        let again = PointStore::resume(&dir, &state()).unwrap();
        assert_eq!(again.len(), 1);
        let err = again.load(0, 2, 3).unwrap_err().to_string();
        assert!(
            err.contains("point-00000000.bin") && err.contains("truncated"),
            "{err}"
        );
        assert!(!tmp_file.exists());
    }

    #[test]
    fn a_store_of_another_design_or_seed_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        PointStore::fresh(&dir, &state()).unwrap();
        let mut other = state();
        other.sha256 = "ef".repeat(32);
        let err = PointStore::resume(&dir, &other).unwrap_err();
        assert!(err.contains("state.json") && err.contains("cdcd"), "{err}");
    }

    #[test]
    fn a_point_in_two_shards_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        for d in [&a, &b] {
            PointStore::fresh(d, &state())
                .unwrap()
                .save(3, &values(2.0))
                .unwrap();
        }
        let err = PointStore::read_only(&[a, b]).unwrap_err();
        assert!(err.contains("design point 3 is also in"), "{err}");
    }

    #[test]
    fn a_folder_of_other_files_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("mine.txt"), "x").unwrap();
        let err = PointStore::fresh(tmp.path(), &state()).unwrap_err();
        assert!(err.to_string().contains("will not be replaced"), "{err}");
        assert!(tmp.path().join("mine.txt").exists());
    }
}
