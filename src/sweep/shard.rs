//! A sweep (or sensitivity analysis) beyond one machine: `--shard K/N`
//! runs the design points `p` with `p mod N = K` into a shard folder, and
//! `stabsim merge` combines the N shard folders into the folder of one
//! single-machine sweep, byte for byte (design, runs, per-point summary,
//! and for a sensitivity analysis the indices, noise shares and charts,
//! computed from the merged points; the manifest records the shard's
//! command without `--shard K/N`, its `--out` pointed at the merge's).
//!
//! A shard folder is a point store ([`super::store`]) plus the resolved
//! base scenario and `shard.json`, written last: a folder without it is an
//! unfinished shard, which the same command with `--resume` completes.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::design::{Design, Range};
use super::measure::{Measure, transformed};
use super::run::{SweepError, SweepResults, SweepSpec, simulate_kept, write_sweep_folder};
use super::sensitivity::{MeasureResult, Method, write_sensitivity};
use super::store::{PointStore, PointValues, SweepState};
use crate::model::OutcomeRule;
use crate::output::kept::write_atomic;
use crate::output::resolved_toml;
use crate::output::shard::{SHARD_FILE, check_set, read_shard_json, short_sha};
use crate::scenario::Scenario;

/// `shard.json`'s kind for a sweep's shard.
pub const KIND_SWEEP: &str = "sweep";
/// `shard.json`'s kind for a sensitivity analysis's shard.
pub const KIND_SENSITIVITY: &str = "sensitivity";

/// What a sensitivity analysis adds to its sweep: the method, the ranges
/// the design was drawn over and the measures analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Morris or Sobol, with its size.
    pub method: Method,
    /// The parameters and their ranges, in design order.
    pub ranges: Vec<Range>,
    /// The measures analysed.
    pub measures: Vec<String>,
}

/// What a finished sweep shard holds: everything the merge needs to write
/// the single-machine folder without the scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepShardInfo {
    /// [`KIND_SWEEP`] or [`KIND_SENSITIVITY`].
    pub kind: String,
    /// This shard's index K (0-based).
    pub shard: u32,
    /// The number of shards N.
    pub of: u32,
    /// What the points belong to (scenario, design, seed, ...).
    pub state: SweepState,
    /// The scenario file as given.
    pub source: String,
    /// The overrides common to every point.
    pub overrides: Vec<String>,
    /// The command line, without `--shard K/N` (recorded in the merged
    /// manifest, its `--out` pointed at the merge's).
    pub command: String,
    /// The shard's `--out` as given, if it was.
    #[serde(default)]
    pub out: Option<String>,
    /// The design.
    pub design: Design,
    /// The analysis, for a sensitivity shard.
    pub analysis: Option<Analysis>,
    /// The sweep's transformed measures (`log1p:COL` …), for the merged
    /// runs.csv and points.csv.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<String>,
}

/// Whether `dir` holds a sweep's (or sensitivity analysis's) shard, by
/// the kind its `shard.json` records.
pub fn is_sweep_shard(dir: &Path) -> bool {
    let Ok(text) = crate::scenario::input::read_text(&dir.join(SHARD_FILE)) else {
        return false;
    };
    let kind = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("kind")?.as_str().map(String::from));
    matches!(kind.as_deref(), Some(KIND_SWEEP | KIND_SENSITIVITY))
}

/// Runs shard `shard` of a checked sweep into `store` (whose folder is the
/// shard folder), then writes the resolved base scenario and `shard.json`.
/// Returns the number of design points this shard holds.
#[allow(clippy::too_many_arguments)]
pub fn run_shard(
    spec: &SweepSpec,
    base: &Scenario,
    store: &PointStore,
    shard: (u32, u32),
    command: &str,
    out: Option<String>,
    analysis: Option<Analysis>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<usize, SweepError> {
    let dir = store
        .dir()
        .ok_or_else(|| std::io::Error::other("a shard needs a folder to write to"))?;
    // An earlier shard.json goes first: the folder is unfinished until the
    // new one is written.
    match fs::remove_file(dir.join(SHARD_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let held = simulate_kept(spec, store, Some(shard), progress)?;
    let resolved = resolved_toml(base).map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic(&dir.join("scenario.resolved.toml"), resolved.as_bytes())?;
    let info = SweepShardInfo {
        kind: if analysis.is_some() {
            KIND_SENSITIVITY
        } else {
            KIND_SWEEP
        }
        .to_string(),
        shard: shard.0,
        of: shard.1,
        state: spec.state(base)?,
        source: spec.file.display().to_string(),
        overrides: spec.base.clone(),
        command: command.to_string(),
        out,
        design: spec.design.clone(),
        analysis,
        outputs: spec.transforms.iter().map(Measure::name).collect(),
    };
    let mut text = serde_json::to_string_pretty(&info).map_err(std::io::Error::other)?;
    text.push('\n');
    write_atomic(&dir.join(SHARD_FILE), text.as_bytes())?;
    Ok(held.values.iter().flatten().count())
}

/// Why sweep shards could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The shards do not make one sweep (missing, duplicated, mismatched,
    /// unfinished): the user's input.
    #[error("{0}")]
    Shards(String),
    /// Writing the merged folder failed.
    #[error(transparent)]
    Sweep(#[from] SweepError),
}

/// Reads a shard folder's `shard.json`.
fn read_info(dir: &Path) -> Result<SweepShardInfo, String> {
    read_shard_json(
        dir,
        "`stabsim sweep` or `stabsim sensitivity` with --shard K/N",
        " (expected the shard.json of a sweep's shard)",
    )
}

/// What a merged sweep wrote.
#[derive(Debug)]
pub struct Merged {
    /// [`KIND_SWEEP`] or [`KIND_SENSITIVITY`].
    pub kind: String,
    /// Design points.
    pub points: usize,
    /// Replicates per point.
    pub replicates: u32,
    /// The analysed measures (a sensitivity analysis).
    pub analysed: Vec<MeasureResult>,
    /// Measures that could not be analysed.
    pub skipped: Vec<String>,
}

/// A one-line description of a shard, for messages.
fn describe(info: &SweepShardInfo) -> String {
    let s = &info.state;
    format!(
        "{} shard {}/{} of scenario {} (design SHA-256 {}…, {} points, seed {}, {} replicates \
         of {} days)",
        info.kind,
        info.shard,
        info.of,
        s.scenario,
        short_sha(&s.sha256),
        s.points,
        s.seed,
        s.replicates,
        s.ticks
    )
}

/// Checks that `dirs` are the N shards of one sweep; returns their infos
/// by shard index.
fn check_shards(dirs: &[PathBuf]) -> Result<Vec<SweepShardInfo>, MergeError> {
    let ordered = check_set(
        dirs,
        read_info,
        |i| (i.shard, i.of),
        |i| {
            (
                i.kind.clone(),
                i.state.clone(),
                i.overrides.clone(),
                i.design.clone(),
                i.analysis.clone(),
                i.outputs.clone(),
            )
        },
        describe,
        "sweep",
        |first| format!("the {} of {}", first.kind, first.state.scenario),
    )
    .map_err(MergeError::Shards)?;
    Ok(ordered.into_iter().map(|(i, _)| i).collect())
}

/// Every design point of a sweep with state `state` from the point stores
/// in the folders `dirs` of its `of` shards (`dir_of(k)`: shard k's folder,
/// named when its point is missing); an error when a point is missing or
/// the shards hold more points than the design.
pub fn load_points(
    dirs: &[PathBuf],
    state: &SweepState,
    measures: usize,
    of: u32,
    dir_of: impl Fn(usize) -> PathBuf,
) -> Result<Vec<PointValues>, String> {
    let store = PointStore::read_only(dirs)?;
    let mut values = Vec::with_capacity(state.points);
    for p in 0..state.points {
        let k = p % of as usize;
        let point = store
            .load(p, state.replicates, measures)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| {
                format!(
                    "{}: design point {p} is missing (expected every point of shard {k}/{of}; \
                     re-run that shard with --resume)",
                    dir_of(k).display(),
                )
            })?;
        values.push(point);
    }
    if store.len() != state.points {
        return Err(format!(
            "merge: the shards hold {} design points, more than the sweep's {} (expected shards \
             of one sweep)",
            store.len(),
            state.points
        ));
    }
    Ok(values)
}

/// Merges the shard folders `dirs` of one sweep (or sensitivity analysis)
/// into the folder of one single-machine run in `out`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<Merged, MergeError> {
    let infos = check_shards(dirs)?;
    let info = &infos[0];
    let dir_of = |k: usize| {
        dirs.iter()
            .zip(dirs.iter().map(|d| read_info(d)))
            .find(|(_, i)| i.as_ref().is_ok_and(|i| i.shard as usize == k))
            .map_or_else(|| dirs[0].clone(), |(d, _)| d.clone())
    };
    let first_dir = dir_of(0);
    let resolved_path = first_dir.join("scenario.resolved.toml");
    let base = crate::scenario::load(&resolved_path, &[])
        .map_err(|e| MergeError::Shards(e.to_string()))?;
    let measures = OutcomeRule::for_scenario(&base).columns().to_vec();
    let transforms = transformed(&info.outputs, &measures, "outputs").map_err(|e| {
        MergeError::Shards(format!("{}: {e}", first_dir.join(SHARD_FILE).display()))
    })?;
    let spec = SweepSpec {
        file: PathBuf::from(&info.source),
        base: info.overrides.clone(),
        design: info.design.clone(),
        threads: 1,
        transforms,
    };
    if spec.state(&base)? != info.state {
        return Err(MergeError::Shards(format!(
            "{}: does not match the design SHA-256 in {} (expected the shard folder as written)",
            resolved_path.display(),
            first_dir.join(SHARD_FILE).display()
        )));
    }
    let values = load_points(dirs, &info.state, measures.len(), info.of, dir_of)
        .map_err(MergeError::Shards)?;
    let results = SweepResults {
        measures,
        replicates: info.state.replicates,
        seed: info.state.seed,
        values,
    };
    let command = crate::output::shard::retarget_command(&info.command, info.out.as_deref(), out);
    let (analysed, skipped) = match &info.analysis {
        None => {
            write_sweep_folder(out, &spec, &base, &results, &command)?;
            (Vec::new(), Vec::new())
        }
        Some(a) => {
            let (design, morris) = a.method.design(&a.ranges, info.state.seed);
            if design != info.design {
                return Err(MergeError::Shards(format!(
                    "{}: the design does not follow from its method and ranges (expected the \
                     shard folder as written)",
                    first_dir.join(SHARD_FILE).display()
                )));
            }
            write_sensitivity(
                out,
                &spec,
                &a.method,
                morris.as_ref(),
                &a.ranges,
                &a.measures,
                &base,
                &results,
                &command,
            )?
        }
    };
    Ok(Merged {
        kind: info.kind.clone(),
        points: info.state.points,
        replicates: info.state.replicates,
        analysed,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_a_sweep_shard_json_is_not_a_sweep_shard() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(!is_sweep_shard(tmp.path()));
        fs::write(tmp.path().join(SHARD_FILE), r#"{"shard": 0, "of": 2}"#).unwrap();
        assert!(!is_sweep_shard(tmp.path()));
        fs::write(tmp.path().join(SHARD_FILE), r#"{"kind": "sensitivity"}"#).unwrap();
        assert!(is_sweep_shard(tmp.path()));
    }

    #[test]
    fn points_are_dealt_round_robin() {
        use super::super::run::in_shard;
        let of3: Vec<Vec<usize>> = (0..3)
            .map(|k| (0..8).filter(|&p| in_shard(p, Some((k, 3)))).collect())
            .collect();
        assert_eq!(of3, [vec![0, 3, 6], vec![1, 4, 7], vec![2, 5]]);
        assert!((0..8).all(|p| in_shard(p, None)));
    }
}
