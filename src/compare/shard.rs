//! A comparison beyond one machine: `stabsim compare --shard K/N` runs the
//! replicates `i` with `i mod N = K` of every scenario into a shard folder
//! (one replicate store per scenario, as `stabsim run --shard` writes
//! them, and `shard.json` written last), and `stabsim merge` combines the
//! N shard folders into the comparison folder of one single-machine run:
//! every scenario's files, the comparison tables, report and charts, byte
//! for byte (the scenario manifests' wall times aside).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::uncertain::{Plan, SHARD_POINTS, UncertainShard};
use super::{ComparisonSpec, ScenarioOutputs, draw_staged};
use crate::model::OutcomeRule;
use crate::output::kept::write_atomic;
use crate::output::resume::ReplicateStore;
use crate::output::shard::{
    SHARD_FILE, ShardInfo, check_set, columnar_note, read_shard_json, retarget_command, short_sha,
};
use crate::output::{OutputLevel, RunOptions, Staging, run_to_dir};
use crate::sweep::SweepResults;

/// `shard.json`'s kind for a comparison's shard.
pub const KIND_COMPARE: &str = "compare";

/// What a finished comparison shard holds: everything the merge needs to
/// write the single-machine comparison without the scenario files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareShardInfo {
    /// [`KIND_COMPARE`].
    pub kind: String,
    /// This shard's index K (0-based).
    pub shard: u32,
    /// The number of shards N.
    pub of: u32,
    /// The scenarios' shard folders, the baseline first: each a run shard
    /// (`<name>/shard.json`) whose scenario, seed and SHA-256 it records.
    pub scenarios: Vec<ShardInfo>,
    /// Days drawn as maps.
    pub map_days: Vec<u32>,
    /// `--outputs`.
    pub outputs: String,
    /// The `--set` overrides applied to every scenario.
    pub overrides: Vec<String>,
    /// Weights of measures set by a comparison file.
    pub weights: Vec<(String, f64)>,
    /// The command line, without `--shard K/N`.
    pub command: String,
    /// The shard's `--out` as given, if it was.
    pub out: Option<String>,
    /// `--columnar`: the merge writes each scenario's
    /// `timeseries.parquet` too.
    #[serde(default)]
    pub columnar: bool,
    /// `--uncertain`: this shard's slice of the robustness run (its design
    /// points' kept results under [`SHARD_POINTS`]).
    #[serde(default)]
    pub uncertain: Option<UncertainShard>,
}

/// Whether `dir` holds a comparison's shard, by its `shard.json`'s kind.
pub fn is_compare_shard(dir: &Path) -> bool {
    let Ok(text) = crate::scenario::input::read_text(&dir.join(SHARD_FILE)) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("kind")?.as_str().map(|k| k == KIND_COMPARE))
        .unwrap_or(false)
}

/// Writes a finished comparison shard's `shard.json` (last: it marks the
/// folder complete), its scenarios' shards being in place.
pub fn finish_shard(dir: &Path, info: &CompareShardInfo) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(info).map_err(std::io::Error::other)?;
    text.push('\n');
    write_atomic(&dir.join(SHARD_FILE), text.as_bytes())
}

/// Why comparison shards could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The shards do not make one comparison: the user's input.
    #[error("{0}")]
    Shards(String),
    /// Writing the merged folder failed.
    #[error("{0}")]
    Write(String),
}

fn read_info(dir: &Path) -> Result<CompareShardInfo, String> {
    read_shard_json(
        dir,
        "`stabsim compare --shard K/N`",
        " (expected the shard.json of a comparison's shard)",
    )
}

/// A one-line description of a shard, for messages.
fn describe(info: &CompareShardInfo) -> String {
    let names: Vec<String> = info
        .scenarios
        .iter()
        .map(|s| {
            format!(
                "{} (SHA-256 {}…)",
                s.scenario,
                short_sha(&s.scenario_sha256)
            )
        })
        .collect();
    let run = info.scenarios.first();
    let uncertain = info.uncertain.as_ref().map_or(String::new(), |u| {
        format!(
            ", --uncertain over {} points (design SHA-256 {}…)",
            u.design.points.len(),
            u.states.first().map_or("", |s| short_sha(&s.sha256))
        )
    });
    format!(
        "comparison shard {}/{} of {}, seed {}, {} replicates{}{uncertain}",
        info.shard,
        info.of,
        names.join(", "),
        run.map_or(0, |s| s.seed),
        run.map_or(0, |s| s.replicates),
        columnar_note(info.columnar)
    )
}

/// What must be equal between shards of one comparison: kind, N, the
/// scenarios (name, SHA-256, seed, replicates, N, file), map days,
/// outputs, overrides, weights (as bits), `--columnar` and the
/// robustness run (arms, design, ranges, states).
type Identity = (
    String,
    u32,
    Vec<(String, String, u64, u32, u32, String)>,
    Vec<u32>,
    String,
    Vec<String>,
    Vec<(String, u64)>,
    bool,
    Option<UncertainShard>,
);

/// What must be equal between shards of one comparison.
fn identity(i: &CompareShardInfo) -> Identity {
    let scenarios: Vec<_> = i
        .scenarios
        .iter()
        .map(|s| {
            (
                s.scenario.clone(),
                s.scenario_sha256.clone(),
                s.seed,
                s.replicates,
                s.of,
                s.source.clone(),
            )
        })
        .collect();
    let weights: Vec<(String, u64)> = i
        .weights
        .iter()
        .map(|(k, w)| (k.clone(), w.to_bits()))
        .collect();
    (
        i.kind.clone(),
        i.of,
        scenarios,
        i.map_days.clone(),
        i.outputs.clone(),
        i.overrides.clone(),
        weights,
        i.columnar,
        i.uncertain.clone(),
    )
}

/// Checks that `dirs` are the N shards of one comparison; returns their
/// infos and folders by shard index.
fn check_shards(dirs: &[PathBuf]) -> Result<Vec<(CompareShardInfo, PathBuf)>, MergeError> {
    check_set(
        dirs,
        read_info,
        |i| (i.shard, i.of),
        identity,
        describe,
        "comparison",
        |_| "the comparison".to_string(),
    )
    .map_err(MergeError::Shards)
}

/// Merges the shard folders `dirs` of one comparison into the comparison
/// folder `out` (replaced whole, as `stabsim compare` replaces it).
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    threads: usize,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<ComparisonSpec, MergeError> {
    let shards = check_shards(dirs)?;
    let (info, _) = &shards[0];
    let outputs = OutputLevel::from_name(&info.outputs).ok_or_else(|| {
        MergeError::Shards(format!(
            "{}: outputs {:?} (expected one of {})",
            shards[0].1.join(SHARD_FILE).display(),
            info.outputs,
            OutputLevel::NAMES.join(", ")
        ))
    })?;
    let command = retarget_command(&info.command, info.out.as_deref(), out);
    let mut staging =
        Staging::create(out).map_err(|e| MergeError::Write(format!("{}: {e}", out.display())))?;
    let mut columns = Vec::new();
    for (k, s) in info.scenarios.iter().enumerate() {
        // Each scenario's N run shards, checked as `stabsim merge` checks
        // a run's.
        let run_dirs: Vec<PathBuf> = shards.iter().map(|(_, d)| d.join(&s.scenario)).collect();
        let (runs, scenario) = crate::output::shard::check_shards(&run_dirs)
            .map_err(|e| MergeError::Shards(e.to_string()))?;
        if runs[0].scenario_sha256 != s.scenario_sha256 {
            return Err(MergeError::Shards(format!(
                "{}: scenario {} is not the one {} records (expected the shard folder as written)",
                run_dirs[0].display(),
                s.scenario,
                shards[0].1.join(SHARD_FILE).display()
            )));
        }
        crate::output::check_merge_memory(&scenario, threads).map_err(MergeError::Shards)?;
        if k == 0 {
            columns = OutcomeRule::for_scenario(&scenario).columns().to_vec();
        }
        let store = ReplicateStore::read_only(&run_dirs).map_err(MergeError::Shards)?;
        let total = u64::from(scenario.run.replicates);
        if let Some(i) = (0..total).find(|&i| !store.has(i)) {
            let kth = (i % u64::from(info.of)) as usize;
            return Err(MergeError::Shards(format!(
                "{}: replicate {i} is missing (expected every replicate of shard {kth}/{}; \
                 re-run that shard with --resume)",
                run_dirs[kth].display(),
                info.of
            )));
        }
        let opts = RunOptions {
            threads,
            out_dir: staging.path().join(&s.scenario),
            source: s.source.clone(),
            command: command.clone(),
            load_seconds: 0.0,
            map_days: info.map_days.clone(),
            store: Some(store),
            outputs,
            maps_drawn: k == 0,
            // Re-encoded from the kept replicates: one machine's bytes.
            columnar: info.columnar,
        };
        run_to_dir(&scenario, &opts, progress).map_err(|e| match e {
            // A damaged or foreign replicate file in a shard: named.
            crate::output::RunError::Batch(crate::batch::BatchError::Keep(e))
                if crate::output::kept::is_unusable_piece(&e) =>
            {
                MergeError::Shards(e.to_string())
            }
            e => MergeError::Write(format!("{}: {e}", out.display())),
        })?;
    }
    if let Some(u) = &info.uncertain {
        merge_uncertain(&shards, u, columns, &mut staging, threads)?;
    }
    let spec = ComparisonSpec {
        scenarios: info.scenarios.iter().map(|s| s.scenario.clone()).collect(),
        map_days: info.map_days.clone(),
        command,
        overrides: info.overrides.clone(),
        weights: info.weights.clone(),
    };
    let read = spec
        .scenarios
        .iter()
        .map(|s| ScenarioOutputs::read(&staging.path().join(s)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| MergeError::Write(e.to_string()))?;
    draw_staged(staging, &spec, &read)
        .map_err(|e| MergeError::Write(format!("{}: {e}", out.display())))?;
    Ok(spec)
}

/// Writes the robustness run's files into `staging` from the kept points
/// of every shard (`columns`: the measures the points hold).
fn merge_uncertain(
    shards: &[(CompareShardInfo, PathBuf)],
    u: &UncertainShard,
    columns: Vec<&'static str>,
    staging: &mut Staging,
    threads: usize,
) -> Result<(), MergeError> {
    let of = shards[0].0.of;
    let mut results = Vec::with_capacity(u.arms.len());
    for (arm, state) in u.arms.iter().zip(&u.states) {
        let dirs: Vec<PathBuf> = shards
            .iter()
            .map(|(_, d)| d.join(SHARD_POINTS).join(&arm.name))
            .collect();
        let values =
            crate::sweep::shard::load_points(&dirs, state, columns.len(), of, |k| dirs[k].clone())
                .map_err(MergeError::Shards)?;
        results.push(SweepResults {
            measures: columns.clone(),
            replicates: state.replicates,
            seed: state.seed,
            values,
        });
    }
    let plan = Plan {
        arms: u.arms.clone(),
        design: u.design.clone(),
        ranges: u.ranges.clone(),
        threads,
    };
    plan.write(staging, &results)
        .map_err(|e| MergeError::Write(e.to_string()))?;
    Ok(())
}
