//! The lever table of the page: every field of `[mission.mandate]`, with
//! what it accepts and its plausible range from the parameter tables
//! (`group!` in `src/scenario/mission.rs`), its unit and one-line meaning
//! from the documented parameter table (`docs/ODD.md` §7.P, embedded), and
//! the scenario's value.

use serde::Serialize;
use serde_json::Value as Json;

use crate::scenario::params::{Accepts, Group, Range};
use crate::scenario::{Mandate, Scenario};

/// The parameter tables of `docs/ODD.md` (§7.P), which `tests/odd_params.rs`
/// keeps in step with the code: the one place units and meanings are written.
static ODD: &str = include_str!("../../docs/ODD.md");

/// Prefix of every lever's key.
pub const PREFIX: &str = "mission.mandate.";

/// What kind of control a lever takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A floating-point number.
    Number,
    /// An integer.
    Integer,
    /// One of a list of names.
    Choice,
    /// True or false.
    Flag,
}

/// One lever as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Lever {
    /// The scenario key, e.g. `mission.mandate.force_scale`.
    pub key: String,
    /// A short label, e.g. "Force scale".
    pub label: String,
    /// One line: what the lever does.
    pub meaning: String,
    /// Its unit, as the parameter table writes it.
    pub unit: String,
    /// Its kind of control.
    pub kind: Kind,
    /// Smallest value accepted (numbers).
    pub min: Option<f64>,
    /// Largest value accepted (numbers).
    pub max: Option<f64>,
    /// The plausible range, where the parameter table states one.
    pub plausible: Option<(f64, f64)>,
    /// The names accepted (choices).
    pub options: Vec<String>,
    /// The scenario's value.
    pub value: Json,
}

/// The unit and meaning of `key` in the documented parameter tables, if
/// it has a row there.
pub fn documented(key: &str) -> Option<(String, String)> {
    let head = format!("| `{key}` |");
    let line = ODD.lines().find(|l| l.starts_with(&head))?;
    let cells: Vec<&str> = line
        .trim()
        .trim_matches('|')
        .split(" | ")
        .map(str::trim)
        .collect();
    match cells.len() {
        // field | default | range | plausible | unit | meaning | basis
        n if n >= 7 => Some((cells[4].to_string(), cells[5..n - 1].join(" | "))),
        // field | default | values | meaning | basis
        n if n >= 5 => Some((String::new(), cells[3..n - 1].join(" | "))),
        _ => None,
    }
}

/// "force_scale" → "Force scale".
fn label(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// The names a choice accepts, from serde's "expected one of `a`, `b`"
/// message (see `scenario::params::no_such_variant`).
fn choice_names(message: &str) -> Vec<String> {
    let after = message.split("expected").nth(1).unwrap_or(message);
    after
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The lever table of a mission scenario (empty without `[mission]`).
pub fn levers(scenario: &Scenario) -> Vec<Lever> {
    let Some(mission) = &scenario.mission else {
        return Vec::new();
    };
    let values = serde_json::to_value(&mission.mandate).unwrap_or(Json::Null);
    Mandate::FIELDS
        .iter()
        .filter_map(|field| {
            let key = format!("{PREFIX}{}", field.name);
            let (kind, min, max, options) = match field.accepts {
                Accepts::Range(Range::Number(lo, hi)) => (Kind::Number, Some(lo), Some(hi), vec![]),
                Accepts::Range(Range::Integer(lo, hi)) => {
                    (Kind::Integer, Some(lo as f64), Some(hi as f64), vec![])
                }
                Accepts::Choice(names) => (Kind::Choice, None, None, choice_names(&names())),
                Accepts::Text(_) => (Kind::Flag, None, None, vec![]),
                _ => return None,
            };
            let (unit, meaning) = documented(&key).unwrap_or_default();
            Some(Lever {
                label: label(field.name),
                unit,
                meaning,
                kind,
                min,
                max,
                plausible: field.plausible,
                options,
                value: values.get(field.name).cloned().unwrap_or(Json::Null),
                key,
            })
        })
        .collect()
}

/// The `--set` argument that gives lever `key` the value `value`, or a
/// message saying why it cannot (checked again, with its location, by the
/// loader).
pub fn override_for(key: &str, value: &Json) -> Result<String, String> {
    if !key.starts_with(PREFIX)
        || !Mandate::FIELDS
            .iter()
            .any(|f| key[PREFIX.len()..] == *f.name)
    {
        let names: Vec<&str> = Mandate::FIELDS.iter().map(|f| f.name).collect();
        return Err(format!(
            "levers: no lever {key:?} (expected {PREFIX}<name> with <name> one of {})",
            names.join(", ")
        ));
    }
    let text = match value {
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        // A TOML string: the loader parses the value as TOML.
        Json::String(s) => toml::Value::String(s.clone()).to_string(),
        other => {
            return Err(format!(
                "levers: field {key}: {other} is not a number, true/false or a name \
                 (expected a value of the lever's kind)"
            ));
        }
    };
    Ok(format!("{key}={text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mandate_lever_has_a_documented_meaning() {
        let sc = Scenario {
            mission: Some(Default::default()),
            ..Default::default()
        };
        let table = levers(&sc);
        assert_eq!(table.len(), Mandate::FIELDS.len());
        for lever in &table {
            assert!(!lever.meaning.is_empty(), "{} has no meaning", lever.key);
            assert!(!lever.value.is_null(), "{} has no value", lever.key);
        }
        let force = table
            .iter()
            .find(|l| l.key.ends_with("force_scale"))
            .unwrap();
        assert_eq!(force.unit, "multiplier");
        assert_eq!((force.min, force.max), (Some(0.0), Some(10.0)));
        let disarm = table
            .iter()
            .find(|l| l.key.ends_with("disarmament"))
            .unwrap();
        assert_eq!(disarm.kind, Kind::Choice);
        assert_eq!(disarm.options, ["none", "voluntary", "forced"]);
        let armed = table.iter().find(|l| l.key.ends_with(".armed")).unwrap();
        assert_eq!(armed.kind, Kind::Flag);
    }

    #[test]
    fn overrides_are_set_arguments() {
        assert_eq!(
            override_for("mission.mandate.force_scale", &Json::from(1.5)).unwrap(),
            "mission.mandate.force_scale=1.5"
        );
        assert_eq!(
            override_for("mission.mandate.disarmament", &Json::from("forced")).unwrap(),
            "mission.mandate.disarmament=\"forced\""
        );
        assert!(override_for("run.seed", &Json::from(1)).is_err());
        assert!(override_for("mission.mandate.force_scale", &Json::Null).is_err());
    }
}
