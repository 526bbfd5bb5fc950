//! Plausible ranges in the parameter tables: every stated one lies inside
//! the range the field accepts and is not empty, and `sweep` and
//! `sensitivity` find them through `list_params`.

use stabsim::scenario::params::{Group, Params, Range};
use stabsim::scenario::{MissionConfig, Scenario};

fn check(path: &str, plausible: Option<(f64, f64)>, range: Range) {
    let Some((lo, hi)) = plausible else { return };
    let (min, max) = match range {
        Range::Number(a, b) => (a, b),
        Range::Integer(a, b) => (a as f64, b as f64),
    };
    assert!(lo < hi, "{path}: plausible range {lo}..{hi} is empty");
    assert!(
        min <= lo && hi <= max,
        "{path}: plausible range {lo}..{hi} leaves the accepted {min}..={max}"
    );
}

#[test]
fn every_plausible_range_lies_within_the_accepted_range() {
    let mut out = Vec::new();
    Scenario::default().list_params(&mut Params::new(Vec::new(), &mut out, true));
    out.extend(MissionConfig::param_catalogue());
    assert!(out.len() > 120);
    for p in &out {
        check(&p.path.join("."), p.plausible, p.range);
    }
}

/// A plausible range that left out the value the model runs by default, or
/// the value of the shipped Gaza pack, would make a sensitivity analysis
/// vary the parameter around somewhere else.
#[test]
fn plausible_ranges_hold_the_default_and_the_gaza_values() {
    let value = |p: &stabsim::scenario::params::Param| match p.value {
        stabsim::scenario::params::Value::Number(v) => v,
        stabsim::scenario::params::Value::Integer(v) => v as f64,
    };
    let gaza = stabsim::scenario::load(std::path::Path::new("scenarios/gaza/baseline.toml"), &[])
        .expect("shipped scenario");
    let gaza = gaza.mission.as_ref().expect("Gaza has a mission").params();
    let defaults = MissionConfig::param_catalogue();
    let mut ranged = 0;
    for p in defaults.iter().chain(&gaza) {
        let Some((lo, hi)) = p.plausible else {
            continue;
        };
        ranged += 1;
        let v = value(p);
        assert!(
            lo <= v && v <= hi,
            "{}: value {v} outside its plausible range {lo}..{hi}",
            p.path.join(".")
        );
    }
    assert!(ranged > 300, "only {ranged} ranged values checked");
}

/// Every assumption's plausible range is shown in its ODD row, in the
/// `plausible` column, as `lo–hi (basis)`.
#[test]
fn the_odd_shows_every_plausible_range() {
    let odd = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/ODD.md"))
        .expect("docs/ODD.md");
    let catalogue = MissionConfig::param_catalogue();
    let ranged: Vec<_> = catalogue.iter().filter(|p| p.plausible.is_some()).collect();
    assert!(
        ranged.len() >= 150,
        "only {} parameters carry a plausible range",
        ranged.len()
    );
    for p in ranged {
        let path = p.path.join(".").replace("[0]", "[]");
        let row = odd
            .lines()
            .find(|l| l.starts_with(&format!("| `{path}` |")))
            .unwrap_or_else(|| panic!("{path} has no row in ODD §7.P"));
        let cell = row.split(" | ").nth(3).expect("a plausible column");
        let (lo, hi) = p.plausible.unwrap();
        let shown = cell.split(" (").next().unwrap_or("");
        let parsed: Vec<f64> = shown
            .split('–')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        assert_eq!(
            parsed,
            vec![lo, hi],
            "{path}: ODD shows `{shown}` for the plausible range {lo}..{hi}"
        );
    }
}
