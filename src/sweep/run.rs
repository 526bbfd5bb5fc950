//! Running a design: every point × replicate, with common random numbers,
//! and the tidy outputs.
//!
//! Replicate i of every point runs with the same master seed and index, so
//! it draws from the same random streams ([`crate::rng`]): differences
//! between points are paired, as between the mandates of a comparison.
//! Jobs (point, replicate) run in parallel in windows and are collected in
//! job order, so every byte written is the same with any thread count.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::design::Design;
use super::store::{PointStore, PointValues, SweepState};
use crate::model::{Model, OutcomeRule};
use crate::output::{MANIFEST, Staging, WrittenFile};
use crate::scenario::{self, Scenario, ScenarioError};
use crate::stats::RunningMoments;

/// What to run: a scenario file with overrides that apply to every point
/// (the user's `--set` and the run shorthands), and the design.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// The scenario file.
    pub file: PathBuf,
    /// Overrides applied to every point, before the point's own.
    pub base: Vec<String>,
    /// The points.
    pub design: Design,
    /// Worker threads (0 = one per core).
    pub threads: usize,
}

/// Why a sweep failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A point's scenario is invalid.
    #[error("design point {point} ({overrides}): {source}")]
    Point {
        /// The point's index.
        point: usize,
        /// Its overrides, as `key=value` joined by spaces.
        overrides: String,
        /// The scenario error, located in the override.
        #[source]
        source: Box<ScenarioError>,
    },
    /// The scenario with the common overrides is invalid.
    #[error(transparent)]
    Base(Box<ScenarioError>),
    /// A key that a design may not vary.
    #[error("{0}")]
    Key(String),
    /// The thread pool could not be built.
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// The map of a point could not be read.
    #[error("map: {0}")]
    Map(#[from] scenario::MapError),
    /// Writing outputs failed.
    #[error("writing outputs: {0}")]
    Io(#[from] std::io::Error),
    /// A CSV could not be written.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Ctrl-C (or SIGTERM): the points in progress finished and were kept.
    #[error("interrupted")]
    Interrupted,
    /// A finished point could not be kept, or a kept one read.
    #[error("{0}")]
    Keep(std::io::Error),
}

/// Keys a design may not vary: the run settings, which the sweep's flags
/// own and which must be common to every point.
const RUN_KEYS: &str = "run.";

impl SweepSpec {
    /// The scenario of point `i`, validated.
    pub fn scenario(&self, i: usize) -> Result<Scenario, SweepError> {
        let mut set = self.base.clone();
        let own = self.design.overrides(i);
        set.extend(own.iter().cloned());
        scenario::load(&self.file, &set).map_err(|source| SweepError::Point {
            point: i,
            overrides: own.join(" "),
            source: Box::new(source),
        })
    }

    /// Checks every point before anything runs (so a bad point late in the
    /// design costs no half-done sweep) and returns the base scenario (the
    /// file with the common overrides only).
    pub fn check(&self) -> Result<Scenario, SweepError> {
        if let Some(k) = self.design.keys.iter().find(|k| k.starts_with(RUN_KEYS)) {
            return Err(SweepError::Key(format!(
                "{k}: a design cannot vary the run settings (expected a model parameter; \
                 set replicates, seed and ticks with --replicates, --seed and --ticks)"
            )));
        }
        let mut seen = Vec::new();
        for k in &self.design.keys {
            if seen.contains(&k) {
                return Err(SweepError::Key(format!(
                    "{k}: varied twice (expected each key once)"
                )));
            }
            seen.push(k);
        }
        for i in 0..self.design.points.len() {
            self.scenario(i)?;
        }
        scenario::load(&self.file, &self.base).map_err(|e| SweepError::Base(Box::new(e)))
    }
}

/// The end-of-run measures of every point × replicate, in job order.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResults {
    /// Measure names (the columns of `runs.csv` after `replicate`).
    pub measures: Vec<&'static str>,
    /// Replicates per point.
    pub replicates: u32,
    /// The master seed every point shares.
    pub seed: u64,
    /// `values[point][replicate][measure]`; `None` where undefined (e.g.
    /// the collapse day of a ceasefire that held).
    pub values: Vec<Vec<Vec<Option<f64>>>>,
}

impl SweepResults {
    /// Index of the measure named `name`.
    pub fn measure(&self, name: &str) -> Option<usize> {
        self.measures.iter().position(|m| *m == name)
    }
}

/// Jobs per thread in one window: enough to balance run times, few enough
/// that only a window's scenarios are held at once.
const WINDOW_PER_THREAD: usize = 4;

/// Runs every point × replicate; `progress` gets the number of jobs done.
/// Call [`SweepSpec::check`] first: a point that fails here is an error.
pub fn simulate(
    spec: &SweepSpec,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SweepResults, SweepError> {
    let points = simulate_kept(spec, &PointStore::none(), None, progress)?;
    Ok(points.complete())
}

/// The results of the points a sweep (or a shard of one) holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResults {
    /// Measure names.
    pub measures: Vec<&'static str>,
    /// Replicates per point.
    pub replicates: u32,
    /// The master seed every point shares.
    pub seed: u64,
    /// Per point, its values if this run holds it (a shard holds a slice).
    pub values: Vec<Option<PointValues>>,
}

impl PointResults {
    /// The results of a sweep that holds every point.
    pub fn complete(self) -> SweepResults {
        SweepResults {
            measures: self.measures,
            replicates: self.replicates,
            seed: self.seed,
            values: self
                .values
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
        }
    }
}

/// Whether shard `shard` (`K/N`) runs point `p`: points with `p mod N = K`.
pub fn in_shard(p: usize, shard: Option<(u32, u32)>) -> bool {
    shard.is_none_or(|(k, n)| p % n as usize == k as usize)
}

/// Runs every point of the sweep (or of shard `K/N` of it) that `store`
/// does not hold yet, keeping each finished point in it, and returns the
/// points of the sweep or shard, kept or run. Jobs run in windows of whole
/// points and each window's points are kept before the next starts; after
/// Ctrl-C ([`crate::batch::interrupt`]) the window in progress finishes,
/// is kept, and the result is [`SweepError::Interrupted`]. `progress` gets
/// the number of the sweep's (or shard's) jobs done, kept ones included.
pub fn simulate_kept(
    spec: &SweepSpec,
    store: &PointStore,
    shard: Option<(u32, u32)>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PointResults, SweepError> {
    let base = scenario::load(&spec.file, &spec.base).map_err(|e| SweepError::Base(Box::new(e)))?;
    let replicates = base.run.replicates as usize;
    let measures = OutcomeRule::for_scenario(&base).columns().to_vec();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(spec.threads)
        .build()?;
    let points = spec.design.points.len();
    let mut values: Vec<Option<PointValues>> = vec![None; points];
    let mut todo = Vec::new();
    for (p, slot) in values.iter_mut().enumerate() {
        if !in_shard(p, shard) {
            continue;
        }
        match store
            .load(p, base.run.replicates, measures.len())
            .map_err(SweepError::Keep)?
        {
            Some(kept) => *slot = Some(kept),
            None => todo.push(p),
        }
    }
    let kept_jobs = (values.iter().flatten().count() * replicates) as u64;
    let done = std::sync::atomic::AtomicU64::new(kept_jobs);
    progress(kept_jobs);
    // Whole points per window, about WINDOW_PER_THREAD jobs per thread.
    let per_window = (pool.current_num_threads() * WINDOW_PER_THREAD)
        .div_ceil(replicates.max(1))
        .max(1);
    for window in todo.chunks(per_window) {
        if crate::batch::interrupted() {
            return Err(SweepError::Interrupted);
        }
        // The window's points, loaded once each.
        let mut loaded = Vec::new();
        for &p in window {
            let sc = spec.scenario(p)?;
            let terrain = sc.world.terrain()?;
            loaded.push((sc, terrain));
        }
        let models = loaded
            .iter()
            .map(|(sc, t)| Ok((Model::new(sc, t)?, OutcomeRule::for_scenario(sc))))
            .collect::<Result<Vec<_>, SweepError>>()?;
        let rows: Vec<Vec<Option<f64>>> = pool.install(|| {
            (0..window.len() * replicates)
                .into_par_iter()
                .map(|j| {
                    let (model, rule) = &models[j / replicates];
                    let series = model.run((j % replicates) as u64);
                    let row = rule.values(&series);
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(n);
                    row
                })
                .collect()
        });
        let mut it = rows.into_iter();
        for &p in window {
            let point: PointValues = it.by_ref().take(replicates).collect();
            store.save(p, &point).map_err(SweepError::Keep)?;
            values[p] = Some(point);
        }
    }
    Ok(PointResults {
        measures,
        replicates: replicates as u32,
        seed: base.run.seed,
        values,
    })
}

fn cell(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

/// The tidy long table: a row per point × replicate with the point id,
/// every varied parameter, the replicate and its seed, and every measure.
pub fn runs_csv(design: &Design, r: &SweepResults) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(design.keys.iter().cloned());
    header.extend(["replicate".to_string(), "seed".to_string()]);
    header.extend(r.measures.iter().map(|m| m.to_string()));
    w.write_record(&header)?;
    for (p, reps) in r.values.iter().enumerate() {
        for (i, row) in reps.iter().enumerate() {
            let mut rec = vec![p.to_string()];
            rec.extend(design.points[p].iter().cloned());
            rec.extend([i.to_string(), r.seed.to_string()]);
            rec.extend(row.iter().map(|v| cell(*v)));
            w.write_record(&rec)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The per-point summary, long: a row per point × measure with the count
/// of replicates that define it, their mean, sd and standard error.
pub fn points_csv(design: &Design, r: &SweepResults) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(design.keys.iter().cloned());
    header.extend(["measure", "n", "mean", "sd", "se"].map(String::from));
    w.write_record(&header)?;
    for (p, reps) in r.values.iter().enumerate() {
        for (m, name) in r.measures.iter().enumerate() {
            let x: RunningMoments = reps.iter().filter_map(|row| row[m]).collect();
            let n = x.count();
            let (mean, sd, se) = match n {
                0 => (None, None, None),
                1 => (Some(x.mean()), None, None),
                _ => (
                    Some(x.mean()),
                    Some(x.sd()),
                    Some(x.sd() / (n as f64).sqrt()),
                ),
            };
            let mut rec = vec![p.to_string()];
            rec.extend(design.points[p].iter().cloned());
            rec.extend([
                name.to_string(),
                n.to_string(),
                cell(mean),
                cell(sd),
                cell(se),
            ]);
            w.write_record(&rec)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// What the manifest of a sweep folder records.
#[derive(Debug, serde::Serialize)]
struct SweepManifest<'a> {
    kind: &'static str,
    stabsim_version: &'static str,
    scenario_file: String,
    scenario: &'a str,
    command: &'a str,
    overrides: &'a [String],
    keys: &'a [String],
    points: usize,
    replicates: u32,
    seed: u64,
    ticks: u32,
    files: &'a [WrittenFile],
    disclaimer: &'static str,
}

/// Writes `design.csv`, `runs.csv`, `points.csv` and the manifest into
/// `staging` (not committed: the caller may add files, e.g. charts).
pub fn write_sweep(
    staging: &mut Staging,
    spec: &SweepSpec,
    base: &Scenario,
    results: &SweepResults,
    command: &str,
) -> Result<(), SweepError> {
    staging.write("design.csv", &spec.design.to_csv()?)?;
    staging.write("runs.csv", &runs_csv(&spec.design, results)?)?;
    staging.write("points.csv", &points_csv(&spec.design, results)?)?;
    Ok(write_manifest(staging, spec, base, results, command)?)
}

/// Writes `manifest.json`, last: it marks the folder complete.
pub fn write_manifest(
    staging: &mut Staging,
    spec: &SweepSpec,
    base: &Scenario,
    results: &SweepResults,
    command: &str,
) -> std::io::Result<()> {
    let files = staging.written().to_vec();
    let manifest = SweepManifest {
        kind: "sweep",
        stabsim_version: env!("CARGO_PKG_VERSION"),
        scenario_file: spec.file.display().to_string(),
        scenario: &base.name,
        command,
        overrides: &spec.base,
        keys: &spec.design.keys,
        points: spec.design.points.len(),
        replicates: results.replicates,
        seed: results.seed,
        ticks: base.run.ticks,
        files: &files,
        disclaimer: crate::DISCLAIMER,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(std::io::Error::other)?;
    staging.write(MANIFEST, json.as_bytes())
}

impl SweepSpec {
    /// What the kept points of this sweep belong to (see [`SweepState`]).
    pub fn state(&self, base: &Scenario) -> Result<SweepState, SweepError> {
        let resolved = crate::output::resolved_toml(base)
            .map_err(|e| SweepError::Io(std::io::Error::other(e.to_string())))?;
        let measures = OutcomeRule::for_scenario(base).columns();
        Ok(SweepState::of(
            base,
            &resolved,
            &self.design.to_csv()?,
            measures,
            self.design.points.len(),
        ))
    }
}

/// Runs a checked sweep, keeping finished points in `store` (an
/// interrupted sweep's are not run again), and writes its folder `out`
/// atomically.
pub fn run_sweep(
    spec: &SweepSpec,
    out: &Path,
    command: &str,
    store: &PointStore,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SweepResults, SweepError> {
    let base = spec.check()?;
    let results = simulate_kept(spec, store, None, progress)?.complete();
    write_sweep_folder(out, spec, &base, &results, command)?;
    Ok(results)
}

/// Writes the folder of a finished sweep to `out` atomically (a single
/// machine's sweep, or the merge of its shards: the same bytes).
pub fn write_sweep_folder(
    out: &Path,
    spec: &SweepSpec,
    base: &Scenario,
    results: &SweepResults,
    command: &str,
) -> Result<(), SweepError> {
    let mut staging = Staging::create(out)?;
    write_sweep(&mut staging, spec, base, results, command)?;
    staging.commit()?;
    Ok(())
}
