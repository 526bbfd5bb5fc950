//! Docking: do stabsim's replicates and another implementation's runs come
//! from the same distribution? Each per-run outcome is compared with a
//! two-sample Kolmogorov–Smirnov test; both sides' outcomes are computed by
//! the same function ([`crate::epstein::metrics::outcome`]) over the same ticks.

use std::fmt::Write as _;

use super::reference::ReferenceRuns;
use crate::batch::{BatchError, ReplicateSink, run_batch};
use crate::epstein::metrics::{RunOutcome, outcome};
use crate::metrics::Series;
use crate::scenario::{MapError, Scenario};
use crate::stats::{RunningMoments, ks_critical_d, ks_two_sample};

/// Reads one number from a run's outcome.
pub type OutcomeGetter = fn(&RunOutcome) -> f64;

/// The outcomes compared, with how to read each from a [`RunOutcome`].
pub const DOCKED_OUTCOMES: [(&str, OutcomeGetter); 4] = [
    ("mean active share", |o| o.mean_active_share),
    ("mean jailed share", |o| o.mean_jailed_share),
    ("peak active share", |o| o.peak_active_share),
    ("outbursts", |o| f64::from(o.outbursts)),
];

/// One outcome's comparison.
#[derive(Debug, Clone)]
pub struct DockTest {
    /// Outcome name.
    pub outcome: &'static str,
    /// Reference mean and sd.
    pub reference: (f64, f64),
    /// stabsim mean and sd.
    pub stabsim: (f64, f64),
    /// KS statistic D.
    pub d: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Smallest D that would reject at `alpha`.
    pub d_critical: f64,
    /// Whether the test does not reject equivalence at `alpha`.
    pub agrees: bool,
}

/// The result of docking one scenario against one reference file.
#[derive(Debug, Clone)]
pub struct DockReport {
    /// Scenario name.
    pub scenario: String,
    /// Reference file.
    pub reference_file: String,
    /// Reference runs and stabsim replicates compared.
    pub n_reference: usize,
    /// stabsim replicates.
    pub n_stabsim: usize,
    /// Horizon compared (ticks 1..=ticks) and burn-in left out.
    pub ticks: u32,
    /// Burn-in.
    pub burn_in: u32,
    /// Significance level of each test.
    pub alpha: f64,
    /// One test per outcome of [`DOCKED_OUTCOMES`].
    pub tests: Vec<DockTest>,
}

impl DockReport {
    /// Whether no test rejects.
    pub fn all_agree(&self) -> bool {
        self.tests.iter().all(|t| t.agrees)
    }

    /// Number of tests that reject.
    pub fn rejections(&self) -> usize {
        self.tests.iter().filter(|t| !t.agrees).count()
    }

    /// A Markdown table of the comparison.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Docking `{}` against `{}`: {} reference runs vs {} stabsim replicates, ticks {}..={} (burn-in {}), two-sample KS at alpha = {}.\n",
            self.scenario,
            self.reference_file,
            self.n_reference,
            self.n_stabsim,
            self.burn_in + 1,
            self.ticks,
            self.burn_in,
            self.alpha
        );
        let _ = writeln!(
            s,
            "| outcome | reference mean (sd) | stabsim mean (sd) | D | D crit | p | verdict |"
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---|");
        for t in &self.tests {
            let _ = writeln!(
                s,
                "| {} | {:.4} ({:.4}) | {:.4} ({:.4}) | {:.3} | {:.3} | {:.3} | {} |",
                t.outcome,
                t.reference.0,
                t.reference.1,
                t.stabsim.0,
                t.stabsim.1,
                t.d,
                t.d_critical,
                t.p_value,
                if t.agrees { "agree" } else { "REJECT" }
            );
        }
        s
    }
}

/// Why docking could not run.
#[derive(Debug, thiserror::Error)]
pub enum DockError {
    /// The reference runs are shorter than the horizon asked for.
    #[error("reference runs stop at step {available}, shorter than the {wanted} ticks asked for")]
    TooShort {
        /// Steps available.
        available: u32,
        /// Ticks asked for.
        wanted: u32,
    },
    /// The scenario's map is invalid.
    #[error("map: {0}")]
    Map(#[from] MapError),
    /// The batch failed.
    #[error("{0}")]
    Batch(#[from] BatchError<std::convert::Infallible>),
}

/// Collects per-run outcomes only.
struct Outcomes {
    burn_in: u32,
    threshold: f64,
    runs: Vec<RunOutcome>,
}

impl ReplicateSink for Outcomes {
    type Error = std::convert::Infallible;
    fn accept(&mut self, _replicate: u64, series: &Series) -> Result<(), Self::Error> {
        self.runs
            .push(outcome(series, self.burn_in, self.threshold));
        Ok(())
    }
}

/// Per-run outcomes of the scenario's batch.
pub fn dock_outcomes(scenario: &Scenario, threads: usize) -> Result<Vec<RunOutcome>, DockError> {
    let terrain = scenario.world.terrain()?;
    let mut sink = Outcomes {
        burn_in: scenario.run.burn_in,
        threshold: scenario.metrics.outburst_threshold,
        runs: Vec::new(),
    };
    let model = crate::model::Model::new(scenario, &terrain)?;
    run_batch(&model, scenario, threads, &mut sink, &mut |_| {})?;
    Ok(sink.runs)
}

/// Runs the scenario's batch and compares it with `reference` over ticks
/// 1..=`scenario.run.ticks`, leaving out `scenario.run.burn_in`.
pub fn dock(
    scenario: &Scenario,
    reference: &ReferenceRuns,
    alpha: f64,
    threads: usize,
) -> Result<DockReport, DockError> {
    let ticks = scenario.run.ticks;
    if reference.max_tick() < ticks {
        return Err(DockError::TooShort {
            available: reference.max_tick(),
            wanted: ticks,
        });
    }
    let burn_in = scenario.run.burn_in;
    let threshold = scenario.metrics.outburst_threshold;
    let ours = dock_outcomes(scenario, threads)?;
    let theirs: Vec<RunOutcome> = reference
        .runs
        .values()
        .map(|s| outcome(&truncate(s, ticks), burn_in, threshold))
        .collect();
    let tests = DOCKED_OUTCOMES
        .iter()
        .map(|(name, get)| {
            let a: Vec<f64> = theirs.iter().map(get).collect();
            let b: Vec<f64> = ours.iter().map(get).collect();
            let ks = ks_two_sample(&a, &b);
            DockTest {
                outcome: name,
                reference: mean_sd(&a),
                stabsim: mean_sd(&b),
                d: ks.d,
                p_value: ks.p_value,
                d_critical: ks_critical_d(a.len().max(1), b.len().max(1), alpha)
                    .unwrap_or(f64::NAN),
                agrees: !ks.rejects(alpha),
            }
        })
        .collect();
    Ok(DockReport {
        scenario: scenario.name.clone(),
        reference_file: reference.file.clone(),
        n_reference: theirs.len(),
        n_stabsim: ours.len(),
        ticks,
        burn_in,
        alpha,
        tests,
    })
}

/// The first `ticks + 1` rows (ticks 0..=ticks) of a series.
fn truncate(series: &Series, ticks: u32) -> Series {
    let mut out = Series::new(series.names().clone(), ticks);
    for t in 0..=(ticks as usize).min(series.len() - 1) {
        out.push_row(series.row(t));
    }
    out
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    let mut m = RunningMoments::new();
    values.iter().for_each(|&v| m.push(v));
    (m.mean(), m.sd())
}
