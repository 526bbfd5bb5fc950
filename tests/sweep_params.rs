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
