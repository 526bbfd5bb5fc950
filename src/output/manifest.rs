//! `manifest.json`: what produced the outputs, so a reader can trust or
//! reproduce them.

use serde::Serialize;

use super::staging::WrittenFile;
use crate::scenario::Scenario;

/// Wall-clock seconds per phase of a run.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timings {
    /// Reading and validating the scenario.
    pub load: f64,
    /// Running the replicates (streaming CSV rows and aggregates as they finish).
    pub simulate: f64,
    /// Writing the files made after the batch (summary, resolved
    /// scenario, frames, charts).
    pub write: f64,
    /// Making them, side by side: the summary's and the frames' CSV text
    /// and the charts.
    pub plot: f64,
    /// Everything.
    pub total: f64,
}

/// The manifest's contents.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// Always states that stabsim explores mechanisms and does not forecast.
    pub disclaimer: &'static str,
    /// stabsim's version.
    pub stabsim_version: &'static str,
    /// Git commit stabsim was built from, when known (`+dirty` if modified).
    pub git_commit: Option<&'static str>,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub scenario_file: String,
    /// SHA-256 of `scenario.resolved.toml`.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates run.
    pub replicates: u32,
    /// Ticks per replicate.
    pub ticks: u32,
    /// Worker threads used (outputs do not depend on it).
    pub threads: usize,
    /// The command line.
    pub command: String,
    /// Seconds per phase.
    pub wall_seconds: Timings,
    /// Every other file written, with size and SHA-256.
    pub files: Vec<WrittenFile>,
}

impl Manifest {
    /// Gathers the manifest of a finished run.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: &Scenario,
        source: &str,
        scenario_sha256: &str,
        threads: usize,
        command: &str,
        wall_seconds: Timings,
        files: &[WrittenFile],
    ) -> Self {
        Self {
            disclaimer: crate::DISCLAIMER,
            stabsim_version: env!("CARGO_PKG_VERSION"),
            git_commit: option_env!("STABSIM_GIT_COMMIT").filter(|c| !c.is_empty()),
            scenario: scenario.name.clone(),
            scenario_file: source.to_string(),
            scenario_sha256: scenario_sha256.to_string(),
            seed: scenario.run.seed,
            replicates: scenario.run.replicates,
            ticks: scenario.run.ticks,
            threads,
            command: command.to_string(),
            wall_seconds,
            files: files.to_vec(),
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}
