//! A whole run: batch → CSVs → resolved scenario → chart → manifest, all
//! staged and committed atomically into the output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::frames::{FRAME_EVERY, frames_csv};
use super::manifest::{Manifest, Timings};
use super::read::SummaryBands;
use super::staging::{Staging, WrittenFile, sha256_hex};
use super::writer::{BatchWriter, summary_csv};
use crate::batch::{BatchError, KeepNothing, run_batch_kept};
use crate::metrics::Summary;
use crate::model::OutcomeRule;
use crate::plot::{self, Band, BandChart, PlotError};
use crate::scenario::{MapError, Scenario};
use crate::stats::RunningMoments;

/// How to run and where to write.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Output folder.
    pub out_dir: PathBuf,
    /// The scenario file as given (recorded in the manifest).
    pub source: String,
    /// The command line (recorded in the manifest).
    pub command: String,
    /// Seconds spent loading and validating the scenario.
    pub load_seconds: f64,
    /// Days recorded in `frames.csv` besides the regular ones (every
    /// [`FRAME_EVERY`] days and the last day): the days a comparison draws
    /// as maps, recorded exactly rather than rounded to the grid.
    pub map_days: Vec<u32>,
    /// Where finished replicates are kept while the batch runs (and found,
    /// when resuming or merging shards); removed once the outputs are in
    /// place by the caller (a comparison's only once the whole comparison
    /// is). `None`: nothing is kept.
    pub store: Option<super::resume::ReplicateStore>,
    /// What to write (`--outputs`).
    pub outputs: OutputLevel,
    /// Whether maps will be drawn from this run's `frames.csv` (a single
    /// run, or a comparison's baseline): at [`OutputLevel::Standard`], only
    /// such runs write it.
    pub maps_drawn: bool,
    /// Whether the per-tick rows are also written as `timeseries.parquet`
    /// (`--columnar`).
    pub columnar: bool,
}

/// How much a run writes (`--outputs`). Sizes per replicate are measured in
/// the README's outputs section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputLevel {
    /// `runs.csv`, `summary.csv`, the resolved scenario and the manifest:
    /// what a 10,000-replicate batch needs to stay small. No per-tick
    /// `timeseries.csv`, no `frames.csv`, no charts.
    Minimal,
    /// Everything but `frames.csv` where no maps are drawn from it.
    #[default]
    Standard,
    /// Everything, `frames.csv` for every mission scenario included.
    Full,
}

impl OutputLevel {
    /// The names accepted by `--outputs`, in order.
    pub const NAMES: [&'static str; 3] = ["minimal", "standard", "full"];

    /// The level named `name` (one of [`OutputLevel::NAMES`]).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "minimal" => Some(Self::Minimal),
            "standard" => Some(Self::Standard),
            "full" => Some(Self::Full),
            _ => None,
        }
    }

    /// Whether `timeseries.csv` and the charts are written.
    pub fn per_tick(self) -> bool {
        self != Self::Minimal
    }

    /// Whether a mission run may write `frames.csv` (where maps are drawn,
    /// or always): what the memory guard must count.
    pub fn writes_frames(self) -> bool {
        self != Self::Minimal
    }

    /// Whether a mission run writes `frames.csv`.
    pub fn frames(self, maps_drawn: bool) -> bool {
        match self {
            Self::Minimal => false,
            Self::Standard => maps_drawn,
            Self::Full => true,
        }
    }
}

/// What a finished run wrote and found.
#[derive(Debug)]
pub struct RunReport {
    /// The output folder.
    pub dir: PathBuf,
    /// Files written, in order.
    pub files: Vec<WrittenFile>,
    /// Mean, sd and count of each per-run outcome, by `runs.csv` column.
    pub outcomes: Vec<(&'static str, RunningMoments)>,
}

/// Why a run failed (after the scenario was accepted).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Writing outputs failed.
    #[error("writing outputs: {0}")]
    Io(#[from] std::io::Error),
    /// The batch could not run.
    #[error("{0}")]
    Batch(#[from] BatchError<std::io::Error>),
    /// A chart could not be drawn.
    #[error("drawing chart: {0}")]
    Plot(#[from] PlotError),
    /// The scenario's map is invalid (validation should have caught it).
    #[error("map: {0}")]
    Map(#[from] MapError),
    /// The resolved scenario could not be serialised.
    #[error("serialising scenario: {0}")]
    Serialize(#[from] toml::ser::Error),
}

/// Header of `scenario.resolved.toml`. Constant, so that re-running the
/// resolved file reproduces it byte for byte.
const RESOLVED_HEADER: &str = "# stabsim resolved scenario: every field explicit, extends and map inlined.\n\
# Re-run with: stabsim run scenario.resolved.toml\n\
# stabsim explores mechanisms and counterfactuals; it does not forecast.\n\n";

/// The text of `scenario.resolved.toml` for a validated scenario.
pub fn resolved_toml(scenario: &Scenario) -> Result<String, toml::ser::Error> {
    Ok(format!("{RESOLVED_HEADER}{}", toml::to_string(scenario)?))
}

/// Runs the scenario's batch and writes every output into `opts.out_dir`.
pub fn run_to_dir(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let terrain = scenario.world.terrain()?;
    let resolved = resolved_toml(scenario)?;
    let mut staging = Staging::create(&opts.out_dir)?;

    let t = Instant::now();
    let run = &scenario.run;
    let frames_wanted = scenario.mission.is_some() && opts.outputs.frames(opts.maps_drawn);
    let mut model = crate::model::Model::new(scenario, &terrain)?;
    if frames_wanted {
        // Replicate 0's map is recorded while the batch runs it, rather
        // than by running it again after the batch (serial time).
        model = model.capture_frames(0, FRAME_EVERY, &opts.map_days);
    }
    let rule = OutcomeRule::for_scenario(scenario);
    let columns = rule.columns();
    let mut writer = BatchWriter::create(
        &staging,
        &scenario.name,
        model.names().clone(),
        run.ticks,
        rule,
        opts.outputs.per_tick(),
    )?;
    if opts.columnar {
        writer = writer.with_columnar(&staging)?;
    }
    match &opts.store {
        Some(store) => {
            let keep = super::resume::StoreKeep {
                store,
                names: model.names().clone(),
                ticks: run.ticks,
                shard: None,
            };
            run_batch_kept(&model, scenario, opts.threads, &mut writer, progress, &keep)?;
        }
        None => run_batch_kept(
            &model,
            scenario,
            opts.threads,
            &mut writer,
            progress,
            &KeepNothing,
        )?,
    }
    let aggregates = writer.finish(&mut staging)?;
    let summary = &aggregates.summary;
    let simulate = t.elapsed().as_secs_f64();

    // What is left after the batch runs on one thread unless spread: the
    // summary's CSV, replicate 0's frames and the charts are made side by
    // side on the batch's threads, then written in their usual order.
    let t = Instant::now();
    let bands = SummaryBands::from_summary(summary);
    let trace = aggregates
        .first
        .as_ref()
        .and_then(|s| s.column("active"))
        .map(|c| c.collect::<Vec<f64>>());
    let charts = if opts.outputs.per_tick() {
        scenario_charts(scenario, &bands, trace.as_deref())
    } else {
        Vec::new()
    };
    let frames = || -> std::io::Result<Option<Vec<u8>>> {
        if !frames_wanted {
            return Ok(None);
        }
        // Replicate 0's frames as the batch recorded them, or, where the
        // batch read it back from the store (a resumed run), replicate 0
        // again: the same run (the frames only observe it).
        let frames = model.take_frames().or_else(|| {
            model
                .run_with_frames(0, FRAME_EVERY, &opts.map_days)
                .map(|(_, f)| f)
        });
        frames.map(|f| frames_csv(&scenario.name, &f)).transpose()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|source| BatchError::ThreadPool {
            threads: opts.threads,
            source,
        })?;
    let ((summary_bytes, frames_bytes), rendered) = pool.install(|| {
        rayon::join(
            || rayon::join(|| summary_csv(summary), frames),
            || render_charts(&charts),
        )
    });
    let plot_seconds = t.elapsed().as_secs_f64();

    let t = Instant::now();
    staging.write("summary.csv", &summary_bytes?)?;
    staging.write("scenario.resolved.toml", resolved.as_bytes())?;
    if let Some(bytes) = frames_bytes? {
        staging.write("frames.csv", &bytes)?;
    }
    for (name, bytes) in rendered? {
        staging.write(&name, &bytes)?;
    }
    let write = t.elapsed().as_secs_f64();

    let threads = effective_threads(opts.threads);
    let manifest = Manifest::new(
        scenario,
        &opts.source,
        &sha256_hex(resolved.as_bytes()),
        threads,
        &opts.command,
        Timings {
            load: opts.load_seconds,
            simulate,
            write,
            plot: plot_seconds,
            total: opts.load_seconds + started.elapsed().as_secs_f64(),
        },
        staging.written(),
    );
    staging.write(super::staging::MANIFEST, manifest.to_json().as_bytes())?;
    let files = staging.commit()?;
    Ok(RunReport {
        dir: opts.out_dir.clone(),
        files,
        outcomes: columns.iter().copied().zip(aggregates.outcomes).collect(),
    })
}

/// An upper estimate, in bytes, of a batch's peak memory: the per-tick
/// summary (moments on every tick and metric, quantile sketches on at most
/// [`crate::metrics::MAX_QUANTILE_TICKS`] ticks: see
/// [`Summary::bound_bytes`]; flat in the replicate count) plus one world per
/// worker thread, the two windows of finished series waiting to be
/// consumed, and a mission scenario's map frames. A world is counted by its cells (the refined grid when
/// `world.refine` was set, since loading applies it) and its agents (at
/// most one per cell).
pub fn estimated_peak_bytes(scenario: &Scenario, threads: usize, frames: bool) -> u64 {
    let worlds = effective_threads(threads).min(scenario.run.replicates as usize);
    summary_bytes(scenario) + workers_bytes(scenario, threads, worlds, frames)
}

/// What a shard (`--shard K/N`) holds at its peak: [`estimated_peak_bytes`]
/// without the per-tick summary and the map (a shard keeps its replicates
/// on disk and aggregates nothing).
pub fn estimated_shard_peak_bytes(scenario: &Scenario, threads: usize) -> u64 {
    let worlds = effective_threads(threads).min(scenario.run.replicates as usize);
    workers_bytes(scenario, threads, worlds, false)
}

/// What `stabsim merge` holds at its peak: the per-tick summary, the series
/// its `threads` read back from the shards, and one world, replicate 0's,
/// run again for its map.
pub fn estimated_merge_peak_bytes(scenario: &Scenario, threads: usize) -> u64 {
    summary_bytes(scenario) + workers_bytes(scenario, threads, 1, true)
}

/// The per-tick summary's bound ([`Summary::bound_bytes`]) for `scenario`.
fn summary_bytes(scenario: &Scenario) -> u64 {
    let metrics = crate::model::metric_names(scenario).len();
    Summary::bound_bytes(metrics, scenario.run.ticks as usize) as u64
}

/// `worlds` worlds, the two windows of finished series of `threads`
/// workers, and the map frames when `frames`.
fn workers_bytes(scenario: &Scenario, threads: usize, worlds: usize, frames: bool) -> u64 {
    let rows = u64::from(scenario.run.ticks) + 1;
    let metrics = crate::model::metric_names(scenario).len() as u64;
    let threads = effective_threads(threads) as u64;
    let cells = u64::from(scenario.world.width) * u64::from(scenario.world.height);
    let world = cells * world_bytes_per_cell(scenario)
        + if scenario.mission.is_some() {
            crate::mission::ARREST_KEPT_MAX_BYTES
        } else {
            0
        };
    let series = rows * metrics * 8;
    let frames = if frames {
        super::limits::frames_bytes(scenario)
    } else {
        0
    };
    worlds as u64 * world + 2 * 4 * threads * series + frames
}

/// Upper bytes of one replicate's world per grid cell, an agent included
/// (at most one stands on a cell).
fn world_bytes_per_cell(scenario: &Scenario) -> u64 {
    // Epstein: padded grid byte, occupant, ghost table, canonical table,
    // and at most one agent's state (about 40 bytes); padding at most
    // doubles it.
    let Some(mission) = &scenario.mission else {
        return 2 * (1 + 4 + 12 + 4 + 40);
    };
    let factions = mission.factions.len() as u64;
    // The same grid tables (padding at most doubles them) and the sector of
    // each cell; the f32 layers (eleven, two per faction, three kept as
    // scratch for contagion's counts and the policing row sums, and a
    // box-sum table of f64); a civilian's columns (45 bytes, 4 per faction,
    // its place in the activation order and its contagion box, four
    // usize), whose vectors grow by doubling. A replicate's kept arrest
    // probabilities are counted once per world (`estimated_peak_bytes`).
    let grid = 2 * (1 + 4 + 12 + 4 + 2);
    let layers = 4 * (14 + 2 * factions) + 8;
    let agent = 2 * (45 + 4 * factions + 4 + 32);
    grid + layers + agent
}

/// The threads a pool of `requested` (0 = automatic) would have.
pub fn effective_threads(requested: usize) -> usize {
    if requested == 0 {
        rayon::current_num_threads()
    } else {
        requested
    }
}

/// Each chart as PNG and SVG (file name, bytes), in order, rendered side by
/// side on the current rayon pool (each file has its own back end).
fn render_charts(
    charts: &[(&'static str, BandChart)],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    use rayon::prelude::*;
    let jobs: Vec<(&str, &BandChart, bool)> = charts
        .iter()
        .flat_map(|(name, chart)| [(*name, chart, true), (*name, chart, false)])
        .collect();
    jobs.into_par_iter()
        .map(|(name, chart, png)| {
            Ok(if png {
                (format!("{name}.png"), plot::render_png(chart, 1200, 700)?)
            } else {
                let svg = plot::render_svg(chart, 1200, 700)?;
                (format!("{name}.svg"), svg.into_bytes())
            })
        })
        .collect()
}

/// A scenario's own charts (file stem, chart): citizens by status and
/// active citizens for Epstein (with replicate 0's `active` trace when
/// given), violence and trust for the mission model.
pub fn scenario_charts(
    scenario: &Scenario,
    bands: &SummaryBands,
    active_trace: Option<&[f64]>,
) -> Vec<(&'static str, BandChart)> {
    match scenario.mission {
        None => vec![
            ("timeseries", status_chart(scenario, bands)),
            ("active", active_chart(scenario, bands, active_trace)),
        ],
        Some(_) => vec![
            ("violence", violence_chart(scenario, bands)),
            ("trust", trust_chart(scenario, bands)),
        ],
    }
}

/// Quiescent, active and jailed citizens over time: median and 5–95 % band.
pub fn status_chart(scenario: &Scenario, summary: &SummaryBands) -> BandChart {
    let band = |name: &str, label: &str| summary.band(name, label);
    let bands = vec![
        band("quiescent", "Quiescent"),
        band("active", "Active"),
        band("jailed", "Jailed"),
    ];
    time_chart(scenario, summary, "citizens by status", "Citizens", bands)
}

/// Active citizens on their own scale: the band over replicates, and one
/// replicate's trace, where outbursts show as spikes (the median over
/// replicates smooths them away, since they come at different times).
pub fn active_chart(
    scenario: &Scenario,
    summary: &SummaryBands,
    first: Option<&[f64]>,
) -> BandChart {
    let mut bands = vec![summary.band("active", "Active, all replicates")];
    if let Some(trace) = first {
        let values: Vec<f64> = trace.to_vec();
        bands.push(Band {
            label: "Active, replicate 0".to_string(),
            p05: values.clone(),
            p50: values.clone(),
            p95: values,
        });
    }
    time_chart(
        scenario,
        summary,
        "active citizens",
        "Active citizens",
        bands,
    )
}

/// Mission model: cumulative civilian deaths and incidents over days.
pub fn violence_chart(scenario: &Scenario, summary: &SummaryBands) -> BandChart {
    let band = |name: &str, label: &str| summary.band(name, label);
    let bands = vec![
        band("cumulative_civilian_deaths", "Civilian deaths (people)"),
        band("cumulative_incidents", "Incidents (count)"),
    ];
    let mut chart = time_chart(
        scenario,
        summary,
        "violence since the ceasefire",
        "Cumulative count",
        bands,
    );
    chart.x_label = "Day since the ceasefire".to_string();
    chart.subtitle = Some(mission_subtitle(scenario));
    chart
}

/// Mission model: trust in the mission, legitimacy and active share, all
/// shares of the living population in [0, 1].
pub fn trust_chart(scenario: &Scenario, summary: &SummaryBands) -> BandChart {
    let band = |name: &str, label: &str| summary.band(name, label);
    let bands = vec![
        band("trust_share", "Trusting the mission (share)"),
        band("legitimacy_mean", "Perceived legitimacy (mean)"),
        band("active_share", "Active (share)"),
    ];
    let mut chart = time_chart(
        scenario,
        summary,
        "trust and legitimacy",
        "Share (0 to 1)",
        bands,
    );
    chart.x_label = "Day since the ceasefire".to_string();
    chart.subtitle = Some(mission_subtitle(scenario));
    chart
}

fn mission_subtitle(s: &Scenario) -> String {
    let Some(m) = &s.mission else {
        return chart_subtitle(s);
    };
    let troops: f64 = m.contributors.iter().map(|c| c.troops).sum::<f64>() * m.mandate.force_scale;
    format!(
        "{} people, {} troops from {} contributors, {} factions; stylized, not a forecast",
        group_thousands(m.population.total_people),
        group_thousands(troops),
        m.contributors.len(),
        m.factions.len()
    )
}

fn group_thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A chart over ticks with the scenario's title, subtitle and footnote.
fn time_chart(
    scenario: &Scenario,
    summary: &SummaryBands,
    what: &str,
    y_label: &str,
    bands: Vec<Band>,
) -> BandChart {
    let run = &scenario.run;
    BandChart {
        title: format!("{}: {what}", scenario.name),
        subtitle: Some(chart_subtitle(scenario)),
        x_label: "Tick (one activation of every agent)".to_string(),
        y_label: y_label.to_string(),
        x: (0..summary.rows).map(|t| t as f64).collect(),
        bands,
        footnote: Some(format!(
            "{} \u{b7} seed {}",
            plot::band::replicate_footnote(run.replicates as usize),
            run.seed
        )),
    }
}

fn chart_subtitle(s: &Scenario) -> String {
    format!(
        "{}\u{d7}{} grid, citizen density {}, cop density {}, legitimacy {}, vision {}, J_max {}",
        s.world.width,
        s.world.height,
        s.population.citizen_density,
        s.population.cop_density,
        legitimacy_label(s),
        s.citizens.vision,
        s.cops.max_jail_term
    )
}

fn legitimacy_label(s: &Scenario) -> String {
    use crate::scenario::LegitimacyShape::*;
    let l = &s.legitimacy;
    match l.shape {
        Constant => format!("{}", l.initial),
        Drop => format!(
            "{} \u{2192} {} at tick {}",
            l.initial, l.target, l.start_tick
        ),
        Linear => format!(
            "{} \u{2192} {} over ticks {}\u{2013}{}",
            l.initial, l.target, l.start_tick, l.end_tick
        ),
    }
}

/// The default output folder for a scenario: `outputs/<name>/`, or
/// `outputs/<name>--set-<hash>/` when `--set` overrides changed it (see
/// [`folder_name`]), so a modified scenario never overwrites the outputs of
/// the unmodified one.
pub fn default_out_dir(scenario: &Scenario, overrides: &[String]) -> PathBuf {
    Path::new("outputs").join(folder_name(&scenario.name, overrides))
}

/// `name`, or `name--set-<first 8 hex digits of the SHA-256 of the
/// overrides, one per line, in the order given>` when there are overrides:
/// the same overrides always give the same folder, different ones another.
pub fn folder_name(name: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        return name.to_string();
    }
    let hash = sha256_hex(overrides.join("\n").as_bytes());
    format!("{name}--set-{}", &hash[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_overrides_give_a_distinct_default_folder() {
        let sc = Scenario::default();
        let plain = default_out_dir(&sc, &[]);
        assert_eq!(plain, Path::new("outputs").join(&sc.name));
        let a = vec!["citizens.vision=5".to_string()];
        let b = vec!["citizens.vision=6".to_string()];
        let with_a = default_out_dir(&sc, &a);
        assert_ne!(with_a, plain);
        assert_ne!(with_a, default_out_dir(&sc, &b));
        assert_eq!(with_a, default_out_dir(&sc, &a));
        // SHA-256("citizens.vision=5") starts with these digits.
        let expected = format!(
            "{}--set-{}",
            sc.name,
            &sha256_hex(b"citizens.vision=5")[..8]
        );
        assert_eq!(folder_name(&sc.name, &a), expected);
    }

    #[test]
    fn peak_memory_estimate_scales_with_the_horizon_not_the_replicates() {
        let mut sc = Scenario::default();
        sc.run.replicates = 100;
        let base = estimated_peak_bytes(&sc, 2, true);
        sc.run.replicates = 10_000_000;
        assert_eq!(estimated_peak_bytes(&sc, 2, true), base);
        sc.run.ticks = 1_000_000;
        // Quantile sketches (about 4 KiB each) on at most 1,001 ticks: a
        // million ticks cost moments and series rows, not 4 KiB per tick
        // and metric (which came to over 15 GiB).
        let long = estimated_peak_bytes(&sc, 2, true);
        assert!(long > base && long < 1 << 30, "{long}");
    }
}
