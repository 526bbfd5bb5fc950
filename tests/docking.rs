//! Docking with Mesa 3.5.1 (distributional equivalence, Axtell et al. 1996):
//! 30 replicates × 1000 ticks of each matching scenario against Mesa's 30
//! reference runs, two-sample KS at α = 0.01 on per-run mean active, mean
//! jailed, peak active and outburst count after burn-in. And the test's
//! power: a deliberately wrong variant (floor instead of round) is rejected.
//! The wider comparison (more replicates, more variants) is
//! `scripts/dock_mesa.sh`; results in docs/DOCKING.md.

mod common;

use common::root;

use std::path::PathBuf;

use stabsim::scenario::{self, Scenario};
use stabsim::validation::{DockReport, ReferenceRuns, dock};

const ALPHA: f64 = 0.01;

fn load(name: &str, set: &[&str]) -> Scenario {
    let path = root().join(format!("scenarios/epstein/{name}.toml"));
    let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    scenario::load(&path, &set).expect("shipped scenario loads")
}

fn reference(name: &str) -> ReferenceRuns {
    let path: PathBuf = root().join(format!("tests/data/mesa_epstein/{name}.csv"));
    ReferenceRuns::load(&path).expect("reference runs load")
}

fn docked(name: &str, set: &[&str]) -> DockReport {
    let sc = load(name, set);
    assert_eq!((sc.run.replicates, sc.run.ticks), (30, 1000));
    dock(&sc, &reference(name), ALPHA, 0).expect("docking runs")
}

#[test]
fn mesa_app_default_docks_with_mesa() {
    let report = docked("mesa_app_default", &[]);
    println!("{}", report.to_markdown());
    assert_eq!(report.n_reference, 30);
    assert!(report.all_agree(), "{}", report.to_markdown());
    // The regime is the punctuated one: outbursts happen.
    let outbursts = &report.tests[3];
    assert!(outbursts.stabsim.0 > 5.0, "{}", report.to_markdown());
}

#[test]
fn mesa_default_docks_with_mesa() {
    let report = docked("mesa_default", &[]);
    println!("{}", report.to_markdown());
    assert!(report.all_agree(), "{}", report.to_markdown());
}

#[test]
fn floor_instead_of_round_is_rejected() {
    let report = docked("mesa_app_default", &["rules.arrest_rounding=floor"]);
    println!("{}", report.to_markdown());
    assert!(report.rejections() >= 3, "{}", report.to_markdown());
}

#[test]
fn no_rounding_is_rejected() {
    let report = docked("mesa_app_default", &["rules.arrest_rounding=none"]);
    assert!(report.rejections() >= 3, "{}", report.to_markdown());
}
