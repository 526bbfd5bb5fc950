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
//! name, fsync, rename, fsync of the folder, a SHA-256 at the end): a kill
//! at any instant leaves the whole file or none under its final name, and
//! checksum, format and lengths are checked on reading, so nothing
//! half-written or damaged is taken as a finished point.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::kept::{KeptFolder, Kind, ResumeError};

/// First bytes of a point file (format version 2: version 1 had no
/// checksum).
const MAGIC: &[u8; 8] = b"STBPNT2\n";

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

/// The design points' kept folder: `point-NNNNNNNN.bin` files.
static POINTS: Kind = Kind {
    prefix: "point",
    one: "design point",
    many: "design points",
    short: "point",
    state_hint: " (expected the state of a sweep's kept design points)",
    magic: MAGIC,
    hint: "expected a design point file written by this stabsim; delete it to run the point again",
};

/// Reads a store's state, if the folder has one.
pub fn read_state(dir: &Path) -> Result<Option<SweepState>, String> {
    POINTS.read_state(dir)
}

/// Finished design points on disk: read from one or more folders (several
/// when shards are merged), written to one (or none).
#[derive(Debug, Clone)]
pub struct PointStore(KeptFolder);

impl Default for PointStore {
    fn default() -> Self {
        Self::none()
    }
}

impl PointStore {
    /// A store that keeps nothing and writes nothing.
    pub fn none() -> Self {
        Self(KeptFolder::none(&POINTS))
    }

    /// A fresh store in `dir` for `state`: whatever the folder held is
    /// removed (it belongs to an earlier, abandoned sweep), unless it is a
    /// folder of the user's own files.
    pub fn fresh(dir: &Path, state: &SweepState) -> io::Result<Self> {
        KeptFolder::fresh(&POINTS, dir, state).map(Self)
    }

    /// Opens the store in `dir` to go on with it: its state must be
    /// `state` (else the message says how they differ); a folder without a
    /// store gives a fresh one. Temporary files of a killed writer are
    /// removed.
    pub fn resume(dir: &Path, state: &SweepState) -> Result<Self, String> {
        KeptFolder::resume(&POINTS, dir, state, |kept, path| state.mismatch(kept, path))
            .map(Self)
            .map_err(|e| match e {
                ResumeError::Refused(m) => m,
                ResumeError::Fresh(e) => cannot_write(dir, &e),
            })
    }

    /// A read-only store of the points in `dirs` (shards to merge). A
    /// point found twice is an error naming both files.
    pub fn read_only(dirs: &[PathBuf]) -> Result<Self, String> {
        KeptFolder::read_only(&POINTS, dirs).map(Self)
    }

    /// The folder new points go to, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.0.dir()
    }

    /// Whether point `p` is kept.
    pub fn has(&self, p: usize) -> bool {
        self.0.has(p as u64)
    }

    /// How many points are kept.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no point is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads kept point `p` of `replicates` rows of `measures` values; an
    /// error if its file is not a whole point of this shape.
    pub fn load(
        &self,
        p: usize,
        replicates: u32,
        measures: usize,
    ) -> io::Result<Option<PointValues>> {
        let Some((path, bytes)) = self.0.read(p as u64)? else {
            return Ok(None);
        };
        let bad = |what: &str| POINTS.bad(path, what);
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
        let (idx, reps, cols) = (word(0, 8), word(8, 4), word(12, 4));
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
        let cols = values.first().map_or(0, Vec::len);
        let mut bytes = Vec::with_capacity(16 + 9 * values.len() * cols);
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
        self.0.write(p as u64, &bytes)
    }

    /// Removes the store's folder (after the outputs were committed).
    pub fn remove(self) -> io::Result<()> {
        self.0.remove()
    }
}

/// How many point files `dir` holds, with its subfolders (a comparison
/// keeps one folder per scenario).
pub fn kept_count(dir: &Path) -> usize {
    POINTS.kept_count(dir, true)
}

/// The message for a store folder that cannot be written.
fn cannot_write(dir: &Path, e: &io::Error) -> String {
    format!(
        "{}: cannot write here: {e} (expected a writable folder with free space)",
        dir.display()
    )
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
    PointStore::fresh(dir, state).map_err(|e| Err(cannot_write(dir, &e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
        let full = fs::read(dir.join(POINTS.file_name(0))).unwrap();
        fs::write(dir.join(POINTS.file_name(0)), &full[..full.len() - 1]).unwrap();
        let tmp_file = dir.join(format!(".{}.tmp-9", POINTS.file_name(1)));
        fs::write(&tmp_file, &full).unwrap();
        let again = PointStore::resume(&dir, &state()).unwrap();
        assert_eq!(again.len(), 1);
        let err = again.load(0, 2, 3).unwrap_err().to_string();
        assert!(
            err.contains("point-00000000.bin") && err.contains("checksum does not match"),
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

    #[test]
    fn a_point_with_one_byte_changed_or_of_the_first_format_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let store = PointStore::fresh(&dir, &state()).unwrap();
        store.save(1, &values(5.0)).unwrap();
        let path = dir.join(POINTS.file_name(1));
        let good = fs::read(&path).unwrap();
        // The lowest bit of the first value (after its presence byte).
        let mut bad = good.clone();
        bad[8 + 16 + 1] ^= 1;
        fs::write(&path, &bad).unwrap();
        let again = PointStore::resume(&dir, &state()).unwrap();
        let err = again.load(1, 2, 3).unwrap_err().to_string();
        assert!(
            err.starts_with(&path.display().to_string())
                && err.contains("checksum does not match")
                && err.ends_with("delete it to run the point again)"),
            "{err}"
        );
        // Version 1, as written before checksums: magic and payload.
        let mut v1 = b"STBPNT1\n".to_vec();
        v1.extend_from_slice(&good[8..good.len() - 32]);
        fs::write(&path, &v1).unwrap();
        let err = again.load(1, 2, 3).unwrap_err().to_string();
        assert!(
            err.contains("format STBPNT1 of another stabsim version, not STBPNT2"),
            "{err}"
        );
    }
}
