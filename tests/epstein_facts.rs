//! Epstein's (2002) qualitative results, as directional tests over paired
//! replicates (common random numbers: replicate i of both scenarios starts
//! from the same world).

use std::path::Path;

use stabsim::epstein::metrics::RunOutcome;
use stabsim::scenario;
use stabsim::validation::dock_outcomes;

fn outcomes(name: &str, replicates: u32) -> Vec<RunOutcome> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/epstein/{name}.toml"));
    let set = [format!("run.replicates={replicates}")];
    let sc = scenario::load(&path, &set).expect("shipped scenario loads");
    dock_outcomes(&sc, 0).expect("batch runs")
}

/// Mean and standard error of paired differences a − b.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Sudden change vs gradual change over 20 paired replicates: the sudden
/// one has a larger peak of active citizens (95 % interval of the paired
/// difference excludes zero), and its outburst is counted in runs.csv
/// (burn-in ends before the change): most sudden runs record one, the
/// gradual runs almost none.
fn assert_sudden_beats_gradual(sudden: &str, gradual: &str) {
    let (sudden, gradual) = (outcomes(sudden, 20), outcomes(gradual, 20));
    let peak = |o: &[RunOutcome]| o.iter().map(|r| r.peak_active).collect::<Vec<_>>();
    let (diff, se) = paired(&peak(&sudden), &peak(&gradual));
    assert!(
        diff - 1.96 * se > 0.0,
        "peak active sudden - gradual = {diff} ± {se}"
    );
    let with_outburst = |o: &[RunOutcome]| o.iter().filter(|r| r.outbursts > 0).count();
    assert!(
        with_outburst(&sudden) >= 12,
        "{} of 20 sudden runs",
        with_outburst(&sudden)
    );
    assert!(
        with_outburst(&gradual) <= 3,
        "{} of 20 gradual runs",
        with_outburst(&gradual)
    );
}

#[test]
fn a_sudden_legitimacy_drop_brings_a_larger_outburst_than_a_deeper_gradual_decline() {
    assert_sudden_beats_gradual("legitimacy_sudden", "legitimacy_gradual");
}

#[test]
fn a_sudden_cut_in_cops_brings_a_larger_outburst_than_the_same_cut_in_steps() {
    assert_sudden_beats_gradual("cops_cut_sudden", "cops_cut_gradual");
}
