//! A comparison on disk: `comparison.json` names the scenarios' output
//! folders (the baseline first) and the options the comparison ran with;
//! each folder is a complete `stabsim run` output. Reading it back is all
//! `stabsim plot` needs to redraw every chart and the report.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::mission::MapFrame;
use crate::output::{ReadError, RunsTable, SummaryBands, frame_grid, read_frames};
use crate::scenario::input::read_text;
use crate::scenario::{self, Scenario};

/// The file that describes a comparison folder.
pub const COMPARISON_FILE: &str = "comparison.json";

/// What `comparison.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonSpec {
    /// Output folder of each scenario, relative to the comparison folder,
    /// the baseline first.
    pub scenarios: Vec<String>,
    /// Days at which maps are drawn.
    pub map_days: Vec<u32>,
    /// The command line that ran the comparison.
    pub command: String,
    /// The `--set` overrides applied to every scenario (named in the
    /// warning about a variant they made identical to the baseline).
    #[serde(default)]
    pub overrides: Vec<String>,
    /// Weights of measures in the ranking set by a comparison file
    /// (measure key, weight); the others keep their defaults.
    #[serde(default)]
    pub weights: Vec<(String, f64)>,
}

impl ComparisonSpec {
    /// Reads `DIR/comparison.json`.
    pub fn read(dir: &Path) -> Result<Self, LoadError> {
        let path = dir.join(COMPARISON_FILE);
        let text = read_text(&path).map_err(|e| LoadError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let spec: Self = serde_json::from_str(&text).map_err(|e| {
            LoadError::Read(ReadError::Content {
                path: path.display().to_string(),
                line: e.line() as u64,
                message: e.to_string(),
            })
        })?;
        if spec.scenarios.is_empty() {
            return Err(LoadError::Read(ReadError::content(
                &path,
                0,
                "scenarios: expected at least one folder",
            )));
        }
        Ok(spec)
    }

    /// The JSON text of this spec.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain data serialises");
        s.push('\n');
        s
    }
}

/// Why a comparison or scenario folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An output file is malformed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The resolved scenario is invalid.
    #[error("{0}")]
    Scenario(#[from] scenario::ScenarioError),
    /// The scenarios cannot be compared.
    #[error("{0}")]
    Mismatch(String),
}

/// One scenario's outputs, read back from its folder.
#[derive(Debug, Clone)]
pub struct ScenarioOutputs {
    /// The folder.
    pub dir: PathBuf,
    /// The scenario as it ran (`scenario.resolved.toml`).
    pub scenario: Scenario,
    /// Per-tick bands (`summary.csv`).
    pub bands: SummaryBands,
    /// Per-replicate outcomes (`runs.csv`).
    pub runs: RunsTable,
    /// Replicate 0 on the map (`frames.csv`), for mission scenarios.
    pub frames: Option<Vec<MapFrame>>,
}

impl ScenarioOutputs {
    /// Reads a `stabsim run` output folder.
    pub fn read(dir: &Path) -> Result<Self, LoadError> {
        let scenario = scenario::load(&dir.join("scenario.resolved.toml"), &[])?;
        let bands = SummaryBands::read(&dir.join("summary.csv"))?;
        let runs = RunsTable::read(&dir.join("runs.csv"))?;
        let frames_path = dir.join("frames.csv");
        let frames = if frames_path.exists() {
            // A large world's frames are in blocks of cells.
            let (w, h, _) = frame_grid(
                scenario.world.width as usize,
                scenario.world.height as usize,
            );
            Some(read_frames(&frames_path, w, h)?)
        } else {
            None
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            scenario,
            bands,
            runs,
            frames,
        })
    }

    /// Name for charts: the scenario name without the prefix it shares
    /// with `baseline` (e.g. `gaza_force_large` → `force_large`).
    pub fn short_name(&self, baseline: &str) -> String {
        short_name(&self.scenario.name, baseline)
    }
}

/// The per-replicate outcomes a comparison measures: `runs.csv` plus the
/// columns derived here from `timeseries.csv` (documented in docs/ODD.md,
/// "Measures of effectiveness"), over days `burn_in + 1 ..= h`:
///
/// * `trust_share_mean`: the share of people trusting the mission,
///   averaged over the days of the run (area under the curve / days);
/// * `trust_share_mean_dH`, `trust_share_dH`, `civilian_deaths_dH`: the
///   same average, the share on day H, and civilian deaths up to day H,
///   for each H of [`super::analysis::HORIZONS`] inside the run;
/// * `incident_rate`: incidents per million people-days (the scenario's
///   population times the days measured).
///
/// A folder without `timeseries.csv` gets runs.csv alone (the derived
/// measures are then undefined).
pub fn measure_table(o: &ScenarioOutputs) -> Result<RunsTable, LoadError> {
    let mut table = o.runs.clone();
    let (from, ticks) = (o.scenario.run.burn_in, o.scenario.run.ticks);
    let days = f64::from(ticks.saturating_sub(from));
    if let Some(people) = o
        .scenario
        .mission
        .as_ref()
        .map(|m| m.population.total_people)
    {
        let rate = table
            .column("incidents")
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                v.map(|x| 1e6 * x / (people * days))
                    .filter(|x| x.is_finite())
            })
            .collect();
        push_column(&mut table, "incident_rate", rate);
    }
    let path = o.dir.join("timeseries.csv");
    if !path.exists() {
        return Ok(table);
    }
    let traces = crate::output::read_traces(&path, &["trust_share", "civilian_deaths"])?;
    let window = |r: usize, m: usize, to: u32| -> Vec<f64> {
        traces.ticks[r]
            .iter()
            .zip(&traces.values[r][m])
            .filter(|(t, _)| **t > from && **t <= to)
            .map(|(_, v)| *v)
            .collect()
    };
    let n = traces.values.len();
    let mean = |v: Vec<f64>| -> Option<f64> {
        let x = v.iter().sum::<f64>() / v.len() as f64;
        x.is_finite().then_some(x)
    };
    let sum = |v: Vec<f64>| -> Option<f64> {
        let x = v.iter().sum::<f64>();
        (x.is_finite() && !v.is_empty()).then_some(x)
    };
    let at = |r: usize, m: usize, day: u32| -> Option<f64> {
        let k = traces.ticks[r].iter().position(|&t| t == day)?;
        traces.values[r][m]
            .get(k)
            .copied()
            .filter(|x| x.is_finite())
    };
    push_column(
        &mut table,
        "trust_share_mean",
        (0..n).map(|r| mean(window(r, 0, ticks))).collect(),
    );
    for h in super::analysis::HORIZONS.into_iter().filter(|&h| h < ticks) {
        push_column(
            &mut table,
            &format!("trust_share_mean_d{h}"),
            (0..n).map(|r| mean(window(r, 0, h))).collect(),
        );
        push_column(
            &mut table,
            &format!("trust_share_d{h}"),
            (0..n).map(|r| at(r, 0, h)).collect(),
        );
        push_column(
            &mut table,
            &format!("civilian_deaths_d{h}"),
            (0..n).map(|r| sum(window(r, 1, h))).collect(),
        );
    }
    Ok(table)
}

/// Appends a column (or replaces one of the same name); rows beyond
/// `values` are undefined.
fn push_column(table: &mut RunsTable, name: &str, values: Vec<Option<f64>>) {
    let j = match table.columns.iter().position(|c| c == name) {
        Some(j) => j,
        None => {
            table.columns.push(name.to_string());
            table.columns.len() - 1
        }
    };
    for (r, row) in table.rows.iter_mut().enumerate() {
        row.resize(row.len().max(j + 1), None);
        row[j] = values.get(r).copied().flatten();
    }
}

/// `name` without the `prefix_` it shares with `baseline`'s name.
pub fn short_name(name: &str, baseline: &str) -> String {
    let prefix = match baseline.rfind('_') {
        Some(k) => &baseline[..=k],
        None => "",
    };
    match name.strip_prefix(prefix) {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => name.to_string(),
    }
}

/// Reads every scenario of a comparison folder and checks that they can
/// be paired: the same replicates, horizon and seed.
pub fn read_comparison(dir: &Path) -> Result<(ComparisonSpec, Vec<ScenarioOutputs>), LoadError> {
    let spec = ComparisonSpec::read(dir)?;
    let outputs = spec
        .scenarios
        .iter()
        .map(|s| ScenarioOutputs::read(&dir.join(s)))
        .collect::<Result<Vec<_>, _>>()?;
    check_pairable(&outputs)?;
    Ok((spec, outputs))
}

/// Common random numbers need the same seed, replicates and horizon.
pub fn check_pairable(outputs: &[ScenarioOutputs]) -> Result<(), LoadError> {
    let Some(base) = outputs.first() else {
        return Ok(());
    };
    let key = |o: &ScenarioOutputs| (o.scenario.run.seed, o.runs.rows.len(), o.scenario.run.ticks);
    for o in &outputs[1..] {
        if key(o) != key(base) {
            let (s, n, t) = key(o);
            let (bs, bn, bt) = key(base);
            return Err(LoadError::Mismatch(format!(
                "{}: seed {s}, {n} replicates, {t} ticks, but the baseline {} has seed {bs}, \
                 {bn} replicates, {bt} ticks (expected the same, for paired comparisons)",
                o.dir.display(),
                base.scenario.name
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_the_shared_prefix() {
        assert_eq!(
            short_name("gaza_force_large", "gaza_baseline"),
            "force_large"
        );
        assert_eq!(short_name("gaza_baseline", "gaza_baseline"), "baseline");
        assert_eq!(short_name("mali_x", "gaza_baseline"), "mali_x");
        assert_eq!(short_name("a", "baseline"), "a");
    }

    #[test]
    fn spec_round_trips_and_rejects_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let spec = ComparisonSpec {
            scenarios: vec!["a".into(), "b".into()],
            map_days: vec![0, 365],
            command: "stabsim compare".into(),
            overrides: vec!["citizens.vision=3".into()],
            weights: vec![("civilian_deaths".into(), 2.0)],
        };
        std::fs::write(dir.path().join(COMPARISON_FILE), spec.to_json()).unwrap();
        assert_eq!(ComparisonSpec::read(dir.path()).unwrap(), spec);
        std::fs::write(
            dir.path().join(COMPARISON_FILE),
            r#"{"scenarios": [], "map_days": [], "command": ""}"#,
        )
        .unwrap();
        let err = ComparisonSpec::read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("at least one"), "{err}");
    }
}
