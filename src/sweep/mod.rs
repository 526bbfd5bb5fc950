//! Parameter sweeps: `stabsim sweep` runs a design of parameter values,
//! every point × replicate with common random numbers, into one tidy long
//! CSV and a per-point summary ([`run`]); the designs are grids, Latin
//! hypercubes, Sobol points or a design file ([`design`]).
//!
//! A point is a list of `--set` overrides, so every value is validated and
//! its errors located by the scenario loader, as for `--set`.

pub mod design;
pub mod measure;
pub mod run;
pub mod sensitivity;
pub mod shard;
pub mod store;

pub use design::{Design, Range, Scale};
pub use run::{
    PointResults, SweepError, SweepResults, SweepSpec, run_sweep, simulate, simulate_kept,
    write_sweep, write_sweep_folder,
};

use crate::scenario::Scenario;
use crate::scenario::params::{Group, Param, Params, Range as Accepted, field_at};

/// Every numeric parameter of a scenario, with its value and accepted
/// range, by `--set` key (`mission.mandate.force_scale`); array elements,
/// which `--set` cannot reach, are left out.
pub fn scenario_params(scenario: &Scenario) -> Vec<(String, Param)> {
    let mut out = Vec::new();
    scenario.list_params(&mut Params::new(Vec::new(), &mut out, true));
    out.into_iter()
        .filter(|p| !p.path.iter().any(|s| s.contains('[')))
        .map(|p| (p.path.join("."), p))
        .collect()
}

/// The range `key` is varied over: `given` (`lo:hi` from the command
/// line) or else the parameter's plausible range; real or integer as the
/// parameter is. `flag` names the flag in messages.
pub fn range_for(
    base: &Scenario,
    key: &str,
    given: Option<(f64, f64)>,
    flag: &str,
) -> Result<Range, String> {
    let params = scenario_params(base);
    let Some((_, param)) = params.iter().find(|(k, _)| k == key) else {
        let suggestion = params
            .iter()
            .map(|(k, _)| (strsim::jaro_winkler(k, key), k))
            .filter(|(s, _)| *s > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        return Err(format!(
            "{flag}: `{key}` is not a numeric parameter of this scenario{suggestion} \
             (expected the key of a number or integer field, e.g. `mission.mandate.force_scale`)"
        ));
    };
    let scale = match param.range {
        Accepted::Number(..) => Scale::Real,
        Accepted::Integer(..) => Scale::Integer,
    };
    let (lo, hi) = match given.or(param.plausible) {
        Some(r) => r,
        None => {
            return Err(format!(
                "{flag}: `{key}` has no plausible range in its table (expected {key}=lo:hi)"
            ));
        }
    };
    let (min, max) = match param.range {
        Accepted::Number(a, b) => (a, b),
        Accepted::Integer(a, b) => (a as f64, b as f64),
    };
    if lo < min || hi > max {
        return Err(format!(
            "{flag}: `{key}` range {lo}:{hi} leaves the accepted range (expected within {min}..={max})"
        ));
    }
    if scale == Scale::Integer && hi.floor() < lo.ceil() {
        return Err(format!(
            "{flag}: `{key}` is an integer and {lo}:{hi} holds none (expected a range with an integer in it)"
        ));
    }
    Ok(Range {
        key: key.to_string(),
        lo,
        hi,
        scale,
    })
}

/// Every parameter of `scenario` whose table states a plausible range,
/// varied over it, in declaration order.
pub fn plausible_ranges(scenario: &Scenario) -> Vec<Range> {
    scenario_params(scenario)
        .into_iter()
        .filter_map(|(key, p)| {
            let (lo, hi) = p.plausible?;
            let scale = match p.range {
                Accepted::Number(..) => Scale::Real,
                Accepted::Integer(..) => Scale::Integer,
            };
            Some(Range { key, lo, hi, scale })
        })
        .collect()
}

/// The ODD, whose §7.P tables give every parameter a one-line meaning
/// (tests/odd_params.rs keeps a row per parameter), embedded so charts can
/// say what a key means without a file at run time.
const ODD: &str = include_str!("../../docs/ODD.md");

/// The one-line meaning of parameter `key`: from ODD §7.P's mission tables
/// (backticks and Markdown escapes removed) where it has a row there, else
/// the first sentence of the field's doc comment (the Epstein table of
/// §7.P has no meaning column), if the key names a field.
pub fn describe(key: &str) -> Option<String> {
    odd_meaning(key).or_else(|| {
        let path: Vec<&str> = key.split('.').collect();
        let text = field_at(Scenario::FIELDS, &path)?.meaning();
        (!text.is_empty()).then_some(text)
    })
}

fn odd_meaning(key: &str) -> Option<String> {
    let cell = format!("| `{key}` |");
    let line = ODD.lines().find(|l| l.starts_with(&cell))?;
    // field | default | range | plausible | unit | meaning | basis
    let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
    let meaning = cells.get(5)?.trim();
    let text = meaning.replace('`', "").replace("\\|", "|");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_described_from_the_odd() {
        let d = describe("mission.civilians.trust_harm_loss").unwrap();
        assert!(d.starts_with("trust push down per attributed death"), "{d}");
        assert_eq!(describe("no.such.key"), None);
        // Epstein keys have no meaning column in the ODD: the field's doc.
        let v = describe("citizens.vision").unwrap();
        assert!(v.starts_with("Vision radius v in cells"), "{v}");
    }
}
