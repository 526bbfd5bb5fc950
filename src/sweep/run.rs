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
use super::measure::Measure;
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
    /// Transformed measures (`log1p:COL`, `censored:COL`) that `runs.csv`
    /// and `points.csv` carry after the raw ones, applied to each run
    /// before the per-point means; not part of what is kept (the kept
    /// points hold raw measures).
    pub transforms: Vec<Measure>,
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

/// The measures of `runs.csv` and `points.csv`, in column order: every
/// raw measure of `r`, then the transforms (each a [`Measure`], so one
/// [`Measure::apply`] gives every value), with each one's column in `r`.
fn output_measures(r: &SweepResults, transforms: &[Measure]) -> Vec<(Measure, Option<usize>)> {
    let raw = r.measures.iter().map(|c| Measure {
        column: c.to_string(),
        transform: super::measure::Transform::None,
    });
    raw.chain(transforms.iter().cloned())
        .map(|m| {
            let at = r.measure(&m.column);
            (m, at)
        })
        .collect()
}

/// The first columns of both tables: `point` and each varied key.
fn point_header(design: &Design) -> Vec<String> {
    let mut header = vec!["point".to_string()];
    header.extend(design.keys.iter().cloned());
    header
}

/// One run's value of `m` (at column `at` of `row`), transformed.
fn run_value(m: &Measure, at: Option<usize>, row: &[Option<f64>], horizon: u32) -> Option<f64> {
    m.apply(at.and_then(|i| row[i]), horizon)
}

/// The tidy long table: a row per point × replicate with the point id,
/// every varied parameter, the replicate and its seed, every raw measure,
/// then each of `transforms` (named `log1p:COL` …) of that run; `horizon`
/// is the run's last day, where `censored:` censors.
pub fn runs_csv(
    design: &Design,
    r: &SweepResults,
    transforms: &[Measure],
    horizon: u32,
) -> Result<Vec<u8>, csv::Error> {
    let measures = output_measures(r, transforms);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = point_header(design);
    header.extend(["replicate".to_string(), "seed".to_string()]);
    header.extend(measures.iter().map(|(m, _)| m.name()));
    w.write_record(&header)?;
    for (p, reps) in r.values.iter().enumerate() {
        for (i, row) in reps.iter().enumerate() {
            let mut rec = vec![p.to_string()];
            rec.extend(design.points[p].iter().cloned());
            rec.extend([i.to_string(), r.seed.to_string()]);
            rec.extend(
                measures
                    .iter()
                    .map(|(m, at)| cell(run_value(m, *at, row, horizon))),
            );
            w.write_record(&rec)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The per-point summary, long: a row per point × measure (the raw ones,
/// then `transforms`, each applied run by run before the mean) with the
/// count of replicates that define it, their mean, sd and standard error.
pub fn points_csv(
    design: &Design,
    r: &SweepResults,
    transforms: &[Measure],
    horizon: u32,
) -> Result<Vec<u8>, csv::Error> {
    let measures = output_measures(r, transforms);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = point_header(design);
    header.extend(["measure", "n", "mean", "sd", "se"].map(String::from));
    w.write_record(&header)?;
    for (p, reps) in r.values.iter().enumerate() {
        for (m, at) in &measures {
            let x: RunningMoments = reps
                .iter()
                .filter_map(|row| run_value(m, *at, row, horizon))
                .collect();
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
            rec.extend([m.name(), n.to_string(), cell(mean), cell(sd), cell(se)]);
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
    /// The transformed measures added to runs.csv and points.csv.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outputs: Vec<String>,
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
    let (t, horizon) = (&spec.transforms, base.run.ticks);
    staging.write("runs.csv", &runs_csv(&spec.design, results, t, horizon)?)?;
    staging.write(
        "points.csv",
        &points_csv(&spec.design, results, t, horizon)?,
    )?;
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
        outputs: spec.transforms.iter().map(Measure::name).collect(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::measure::transformed;

    /// One point, two runs: 0 and 99 deaths, the second without collapse.
    fn results() -> (Design, SweepResults) {
        let design = Design {
            keys: vec!["k".into()],
            points: vec![vec!["1".into()]],
        };
        let r = SweepResults {
            measures: vec!["civilian_deaths", "collapse_tick"],
            replicates: 2,
            seed: 5,
            values: vec![vec![vec![Some(0.0), Some(40.0)], vec![Some(99.0), None]]],
        };
        (design, r)
    }

    #[test]
    fn transforms_are_applied_to_each_run_before_the_mean() {
        let (design, r) = results();
        let list = ["log1p:civilian_deaths", "censored:collapse_tick"].map(String::from);
        let t = transformed(&list, &r.measures, "--outputs").unwrap();
        let runs = String::from_utf8(runs_csv(&design, &r, &t, 60).unwrap()).unwrap();
        let lines: Vec<&str> = runs.lines().collect();
        assert_eq!(
            lines[0],
            "point,k,replicate,seed,civilian_deaths,collapse_tick,log1p:civilian_deaths,censored:collapse_tick"
        );
        assert_eq!(lines[1], "0,1,0,5,0,40,0,40");
        assert_eq!(lines[2], format!("0,1,1,5,99,,{},60", 100f64.ln()));
        let points = String::from_utf8(points_csv(&design, &r, &t, 60).unwrap()).unwrap();
        let row = |m: &str| -> Vec<String> {
            points
                .lines()
                .find(|l| l.split(',').nth(2) == Some(m))
                .unwrap()
                .split(',')
                .map(String::from)
                .collect()
        };
        // The mean of the logs (ln 100 / 2 = 2.30), not the log of the
        // mean (ln 50.5 = 3.92), nor the raw mean (49.5).
        let log_mean: f64 = row("log1p:civilian_deaths")[4].parse().unwrap();
        assert_eq!(log_mean, 100f64.ln() / 2.0);
        assert_eq!(row("civilian_deaths")[4], "49.5");
        // The collapse day: one run defines it; censored, both do.
        assert_eq!(row("collapse_tick")[3..5], ["1", "40"]);
        assert_eq!(row("censored:collapse_tick")[3..5], ["2", "50"]);
        // Without transforms, the raw measures only.
        let plain = String::from_utf8(points_csv(&design, &r, &[], 60).unwrap()).unwrap();
        assert_eq!(plain.lines().count(), 3);
    }
}
