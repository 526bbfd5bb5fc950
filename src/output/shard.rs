//! Beyond one machine: `stabsim run --shard K/N` runs the replicates `i`
//! with `i mod N = K` (seeds unchanged: replicate `i` is the same run on
//! any machine) into a shard folder, and `stabsim merge` combines the N
//! shard folders into the outputs of one single-machine run, byte for byte
//! (every CSV, summary and chart; the manifest differs only in its wall
//! times and command).
//!
//! A shard folder is a replicate store ([`super::resume`]) plus the
//! resolved scenario and `shard.json`, written last: a folder without it is
//! an unfinished shard, which `--resume` completes.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::kept::write_atomic;
use super::resume::{ReplicateStore, StoreKeep};
use super::run::{RunError, RunOptions, RunReport, resolved_toml, run_to_dir};
use crate::batch::{ReplicateSink, run_batch_kept};
use crate::metrics::Series;
use crate::scenario::Scenario;

/// The file that marks a shard folder as complete.
pub const SHARD_FILE: &str = "shard.json";

/// What a finished shard holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// This shard's index K (0-based).
    pub shard: u32,
    /// The number of shards N.
    pub of: u32,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of `scenario.resolved.toml`.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates of the whole batch (all shards).
    pub replicates: u32,
    /// The scenario file as given.
    pub source: String,
    /// The command line, without `--shard K/N` (recorded in the merged
    /// manifest, its `--out` pointed at the merge's).
    pub command: String,
    /// The shard's `--out` as given, if it was.
    #[serde(default)]
    pub out: Option<String>,
    /// `--columnar`: the merge writes `timeseries.parquet` too.
    #[serde(default)]
    pub columnar: bool,
}

/// How many of `replicates` shard `(k, n)` runs: replicates k, k + n,
/// k + 2n, ….
pub fn own_replicates(replicates: u32, (k, n): (u32, u32)) -> u32 {
    replicates.saturating_sub(k).div_ceil(n)
}

/// Reads `K/N` (0 <= K < N).
pub fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let bad = || {
        format!(
            "--shard: {text:?} is not a shard (expected K/N with 0 <= K < N, e.g. \
             --shard 0/10 for the first of ten)"
        )
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let k: u32 = k.trim().parse().map_err(|_| bad())?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || k >= n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The command a merge records: the shard's (`command`, without `--shard
/// K/N`) with its `--out SHARD_OUT` pointed at the merge's `out`, so that
/// the merged folder records the single-machine command that writes it
/// (the thread count aside, which changes no output).
pub fn retarget_command(command: &str, shard_out: Option<&str>, out: &Path) -> String {
    let Some(shard_out) = shard_out else {
        return command.to_string();
    };
    let merged = out.display().to_string();
    for flag in ["--out ", "--out="] {
        let from = format!(" {flag}{shard_out}");
        let mut start = 0;
        while let Some(at) = command[start..].find(&from).map(|a| a + start) {
            let end = at + from.len();
            // The whole word: `--out s1` is not `--out s10`.
            if command[end..].is_empty() || command[end..].starts_with(' ') {
                return format!("{} {flag}{merged}{}", &command[..at], &command[end..]);
            }
            start = at + 1;
        }
    }
    command.to_string()
}

/// Discards replicates: a shard writes no CSV (rows must be in replicate
/// order over every shard, so the merge writes them).
struct Discard;

impl ReplicateSink for Discard {
    type Error = std::io::Error;
    fn accept(&mut self, _: u64, _: &Series) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs shard `shard` of the scenario's batch into `store` (whose folder
/// is the shard folder), then writes the resolved scenario and
/// `shard.json` (recording `columnar`: the merge writes
/// `timeseries.parquet` from the kept replicates, bit for bit as one
/// machine would). Returns the replicates this shard holds.
#[allow(clippy::too_many_arguments)]
pub fn run_shard(
    scenario: &Scenario,
    store: &ReplicateStore,
    shard: (u32, u32),
    threads: usize,
    source: &str,
    command: &str,
    out: Option<String>,
    columnar: bool,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<usize, RunError> {
    let dir = store
        .dir()
        .ok_or_else(|| std::io::Error::other("a shard needs a folder to write to"))?;
    let terrain = scenario.world.terrain()?;
    let model = crate::model::Model::new(scenario, &terrain)?;
    let keep = StoreKeep {
        store,
        names: model.names().clone(),
        ticks: scenario.run.ticks,
        shard: Some(shard),
    };
    // An earlier shard.json goes first: the folder is unfinished until the
    // new one is written.
    match fs::remove_file(dir.join(SHARD_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    run_batch_kept(&model, scenario, threads, &mut Discard, progress, &keep)?;
    let resolved = resolved_toml(scenario)?;
    write_atomic(&dir.join("scenario.resolved.toml"), resolved.as_bytes())?;
    let info = ShardInfo {
        shard: shard.0,
        of: shard.1,
        scenario: scenario.name.clone(),
        scenario_sha256: super::sha256_hex(resolved.as_bytes()),
        seed: scenario.run.seed,
        replicates: scenario.run.replicates,
        source: source.to_string(),
        command: command.to_string(),
        out,
        columnar,
    };
    let mut text = serde_json::to_string_pretty(&info).map_err(std::io::Error::other)?;
    text.push('\n');
    write_atomic(&dir.join(SHARD_FILE), text.as_bytes())?;
    Ok((0..u64::from(scenario.run.replicates))
        .filter(|i| i % u64::from(shard.1) == u64::from(shard.0))
        .count())
}

/// Why shards could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The shards do not make one batch (missing, duplicated, mismatched,
    /// unfinished): the user's input.
    #[error("{0}")]
    Shards(String),
    /// Running the merged outputs failed.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// Reads the `shard.json` of each of `dirs` with `read`, checks that they
/// are the N shards of one piece of work, and returns them with their
/// folders, by shard index. `shard(info)` is its `(K, N)`; every shard's
/// `identity` must be the first's (else the message shows both, as
/// `describe` words them, as shards of another `one`: batch, comparison,
/// sweep); each shard must come once and none be missing (`whole(first)`
/// names the work then).
pub fn check_set<I, K: PartialEq>(
    dirs: &[PathBuf],
    read: impl Fn(&Path) -> Result<I, String>,
    shard: impl Fn(&I) -> (u32, u32),
    identity: impl Fn(&I) -> K,
    describe: impl Fn(&I) -> String,
    one: &str,
    whole: impl Fn(&I) -> String,
) -> Result<Vec<(I, PathBuf)>, String> {
    let infos = dirs
        .iter()
        .map(|d| read(d))
        .collect::<Result<Vec<I>, _>>()?;
    let (Some(first_dir), Some(first)) = (dirs.first(), infos.first()) else {
        return Err("merge: no shard folders (expected DIR... --out DIR)".to_string());
    };
    let of = shard(first).1;
    let mut seen: Vec<Option<&Path>> = vec![None; of as usize];
    for (info, dir) in infos.iter().zip(dirs) {
        let (k, n) = shard(info);
        if identity(info) != identity(first) || n != of || k >= n {
            return Err(format!(
                "{}: {}, but {} is {} (expected shards of one {one})",
                dir.join(SHARD_FILE).display(),
                describe(info),
                first_dir.join(SHARD_FILE).display(),
                describe(first)
            ));
        }
        let slot = &mut seen[k as usize];
        if let Some(other) = slot {
            return Err(format!(
                "{}: shard {k}/{n} is given twice, also as {} (expected each shard once)",
                dir.display(),
                other.display()
            ));
        }
        *slot = Some(dir);
    }
    let missing: Vec<String> = (0..of)
        .filter(|k| seen[*k as usize].is_none())
        .map(|k| format!("{k}/{of}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "merge: shard {} missing (expected all {of} shards of {})",
            missing.join(", "),
            whole(first)
        ));
    }
    let mut ordered: Vec<(I, PathBuf)> = infos.into_iter().zip(dirs.iter().cloned()).collect();
    ordered.sort_by_key(|(i, _)| shard(i).0);
    Ok(ordered)
}

/// Reads a shard folder's `shard.json` as a `T`; `what` says which
/// command writes it, `hint` is appended to a parse error's message.
pub fn read_shard_json<T: serde::de::DeserializeOwned>(
    dir: &Path,
    what: &str,
    hint: &str,
) -> Result<T, String> {
    let path = dir.join(SHARD_FILE);
    let text = crate::scenario::input::read_text(&path).map_err(|e| {
        format!(
            "{}: {e} (expected a finished shard folder of {what}; an unfinished one completes \
             with the same command and --resume)",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}:{}: {e}{hint}", path.display(), e.line()))
}

/// Reads a shard folder's `shard.json`.
fn read_info(dir: &Path) -> Result<ShardInfo, String> {
    read_shard_json(dir, "`stabsim run --shard K/N`", "")
}

/// Says `--columnar` in a shard's description, for a shard that has it.
pub fn columnar_note(columnar: bool) -> &'static str {
    if columnar { ", --columnar" } else { "" }
}

/// The first 12 hex digits of a SHA-256, for messages.
pub fn short_sha(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// The checked shards of one batch: their infos (by shard index) and the
/// scenario they ran.
pub fn check_shards(dirs: &[PathBuf]) -> Result<(Vec<ShardInfo>, Scenario), MergeError> {
    let describe = |i: &ShardInfo| {
        format!(
            "shard {}/{} of scenario {} (SHA-256 {}…, seed {}, {} replicates{})",
            i.shard,
            i.of,
            i.scenario,
            short_sha(&i.scenario_sha256),
            i.seed,
            i.replicates,
            columnar_note(i.columnar)
        )
    };
    let ordered = check_set(
        dirs,
        read_info,
        |i| (i.shard, i.of),
        |i| {
            (
                i.scenario.clone(),
                i.scenario_sha256.clone(),
                i.seed,
                i.replicates,
                i.columnar,
            )
        },
        describe,
        "batch",
        |first| first.scenario.clone(),
    )
    .map_err(MergeError::Shards)?;
    let first_dir = &dirs[0];
    let resolved = first_dir.join("scenario.resolved.toml");
    let scenario =
        crate::scenario::load(&resolved, &[]).map_err(|e| MergeError::Shards(e.to_string()))?;
    let text = resolved_toml(&scenario).map_err(RunError::from)?;
    if super::sha256_hex(text.as_bytes()) != ordered[0].0.scenario_sha256 {
        return Err(MergeError::Shards(format!(
            "{}: does not match the SHA-256 in {} (expected the shard folder as written)",
            resolved.display(),
            first_dir.join(SHARD_FILE).display()
        )));
    }
    Ok((ordered.into_iter().map(|(i, _)| i).collect(), scenario))
}

/// Merges the shard folders `dirs` into the outputs of one run in `out`.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    threads: usize,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<RunReport, MergeError> {
    let (infos, scenario) = check_shards(dirs)?;
    super::limits::check_merge_memory(&scenario, threads).map_err(MergeError::Shards)?;
    let store = ReplicateStore::read_only(dirs).map_err(MergeError::Shards)?;
    let total = u64::from(scenario.run.replicates);
    if let Some(i) = (0..total).find(|&i| !store.has(i)) {
        let k = i % u64::from(infos[0].of);
        return Err(MergeError::Shards(format!(
            "{}: replicate {i} is missing (expected every replicate of shard {k}/{}; re-run \
             that shard with --resume)",
            dirs[infos
                .iter()
                .position(|s| u64::from(s.shard) == k)
                .unwrap_or(0)]
            .display(),
            infos[0].of
        )));
    }
    if store.len() as u64 != total {
        return Err(MergeError::Shards(format!(
            "merge: the shards hold {} replicates, more than the batch's {total} (expected \
             shards of one batch)",
            store.len()
        )));
    }
    let opts = RunOptions {
        threads,
        out_dir: out.to_path_buf(),
        source: infos[0].source.clone(),
        command: retarget_command(&infos[0].command, infos[0].out.as_deref(), out),
        load_seconds: 0.0,
        map_days: Vec::new(),
        store: Some(store),
        // As `stabsim run` of one scenario writes (its maps drawn).
        outputs: super::OutputLevel::Standard,
        maps_drawn: true,
        // Re-encoded from the kept replicates, in replicate order: the
        // bytes of one machine's `timeseries.parquet`.
        columnar: infos[0].columnar,
    };
    Ok(run_to_dir(&scenario, &opts, progress)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_records_the_command_that_writes_its_folder() {
        let out = Path::new("outputs/all");
        let r = |c: &str, o: Option<&str>| retarget_command(c, o, out);
        assert_eq!(
            r("stabsim sweep a.toml --out s1 -q", Some("s1")),
            "stabsim sweep a.toml --out outputs/all -q"
        );
        assert_eq!(
            r("stabsim run a --out=s1", Some("s1")),
            "stabsim run a --out=outputs/all"
        );
        assert_eq!(
            r("stabsim run a --out s10 --out s1", Some("s1")),
            "stabsim run a --out s10 --out outputs/all"
        );
        assert_eq!(r("stabsim run a", None), "stabsim run a");
    }

    /// The one shard check of run, compare and sweep merges: twice,
    /// missing, another batch, and a K beyond N (which used to index past
    /// the end for run shards), each refused with its own message.
    #[test]
    fn a_set_of_shards_is_checked_once_for_all_kinds() {
        let dirs: Vec<PathBuf> = ["a", "b", "c"].iter().map(PathBuf::from).collect();
        let check = |infos: Vec<(u32, u32, &'static str)>| {
            let n = infos.len();
            check_set(
                &dirs[..n],
                |d| {
                    let k = dirs.iter().position(|x| x == d).unwrap();
                    Ok(infos[k])
                },
                |i| (i.0, i.1),
                |i| i.2,
                |i| i.2.to_string(),
                "set",
                |first| format!("batch {}", first.2),
            )
        };
        let ordered = check(vec![(1, 2, "x"), (0, 2, "x")]).unwrap();
        let order: Vec<_> = ordered.iter().map(|(i, d)| (i.0, d.clone())).collect();
        assert_eq!(order, [(0, PathBuf::from("b")), (1, PathBuf::from("a"))]);
        let twice = check(vec![(0, 2, "x"), (0, 2, "x")]).unwrap_err();
        assert_eq!(
            twice,
            "b: shard 0/2 is given twice, also as a (expected each shard once)"
        );
        let missing = check(vec![(0, 3, "x"), (2, 3, "x")]).unwrap_err();
        assert_eq!(
            missing,
            "merge: shard 1/3 missing (expected all 3 shards of batch x)"
        );
        let other = check(vec![(0, 2, "x"), (1, 2, "y")]).unwrap_err();
        assert_eq!(
            other,
            "b/shard.json: y, but a/shard.json is x (expected shards of one set)"
        );
        let beyond = check(vec![(0, 2, "x"), (5, 2, "x")]).unwrap_err();
        assert!(beyond.starts_with("b/shard.json: "), "{beyond}");
        let none = check(vec![]).unwrap_err();
        assert!(none.contains("no shard folders"), "{none}");
    }

    #[test]
    fn shards_are_read_strictly() {
        assert_eq!(parse_shard("0/10"), Ok((0, 10)));
        assert_eq!(parse_shard("9/10"), Ok((9, 10)));
        for bad in ["10/10", "1/0", "a/2", "3", "-1/2", ""] {
            let err = parse_shard(bad).unwrap_err();
            assert!(err.starts_with("--shard:"), "{err}");
        }
    }
}
