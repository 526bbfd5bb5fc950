//! What a scenario changes against the baseline, field by field, read from
//! the resolved scenarios (so the report states exactly which levers moved,
//! whatever the files' `extends` chains look like).

use std::collections::BTreeMap;

use crate::scenario::Scenario;

/// Fields that name or describe a scenario rather than change the model.
const IGNORED: [&str; 2] = ["name", "description"];

/// Longest value shown in full; longer ones (maps) are summarised.
const MAX_VALUE_CHARS: usize = 40;

/// One line per changed field, `path: old → new`, sorted by path; fields
/// present in only one of them show `(none)` on the other side.
pub fn changes(baseline: &Scenario, variant: &Scenario) -> Vec<String> {
    let (a, b) = (flatten(baseline), flatten(variant));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !IGNORED.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (a.get(k), b.get(k));
            (x != y).then(|| format!("{k}: {} \u{2192} {}", shown(x), shown(y)))
        })
        .collect()
}

/// One warning per variant that runs exactly as the baseline (no field
/// differs but the name and description): its differences are zero by
/// construction and its name no longer says what ran. This is what a
/// `--set` applied to every scenario does to a variant that differed only
/// in that field; `overrides` (the `--set` given) are named in the warning.
pub fn erased_variants(
    baseline: &Scenario,
    variants: &[&Scenario],
    overrides: &[String],
) -> Vec<String> {
    let after = if overrides.is_empty() {
        String::new()
    } else {
        format!(
            " after the overrides applied to every scenario (--set {})",
            overrides.join(", --set ")
        )
    };
    variants
        .iter()
        .filter(|v| changes(baseline, v).is_empty())
        .map(|v| {
            format!(
                "{} runs exactly as the baseline {}: no scenario field differs{after}, so its \
                 differences from the baseline are zero by construction and its name does not \
                 describe what ran.",
                v.name, baseline.name
            )
        })
        .collect()
}

/// The levers of a comparison as columns of its runs table: every field
/// (flattened as in [`changes`]) that differs between the baseline
/// (`scenarios[0]`) and any variant, sorted by path, and each scenario's
/// value of each (empty where a scenario lacks the field; values too long
/// for a cell, such as maps, as `(see scenario.resolved.toml)`).
pub fn lever_columns(scenarios: &[&Scenario]) -> (Vec<String>, Vec<Vec<String>>) {
    let flat: Vec<BTreeMap<String, String>> = scenarios.iter().map(|s| flatten(s)).collect();
    let Some(base) = flat.first() else {
        return (Vec::new(), Vec::new());
    };
    let mut keys: Vec<String> = flat
        .iter()
        .skip(1)
        .flat_map(|v| {
            base.keys()
                .chain(v.keys())
                .filter(|k| base.get(*k) != v.get(*k))
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|k| !IGNORED.contains(&k.as_str()))
        .collect();
    keys.sort();
    keys.dedup();
    let values = flat
        .iter()
        .map(|v| {
            keys.iter()
                .map(|k| match v.get(k) {
                    None => String::new(),
                    Some(s) if s.chars().count() > MAX_VALUE_CHARS => {
                        "(see scenario.resolved.toml)".to_string()
                    }
                    Some(s) => s.clone(),
                })
                .collect()
        })
        .collect();
    (keys, values)
}

fn shown(v: Option<&String>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(s) if s.chars().count() > MAX_VALUE_CHARS => "(changed)".to_string(),
        Some(s) => s.clone(),
    }
}

/// Every leaf of the scenario as `dotted.path → value text`; array items
/// are indexed by position, or by their `name` when they have one
/// (`mission.factions.splinter.arms`).
fn flatten(scenario: &Scenario) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(value) = toml::Value::try_from(scenario) {
        walk(&value, String::new(), &mut out);
    }
    out
}

fn walk(v: &toml::Value, path: String, out: &mut BTreeMap<String, String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                walk(x, join(k), out);
            }
        }
        toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
            for (i, x) in items.iter().enumerate() {
                let key = x
                    .get("name")
                    .and_then(toml::Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_string);
                walk(x, join(&key), out);
            }
        }
        toml::Value::String(s) => {
            out.insert(path, s.clone());
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lever_columns_are_the_fields_any_variant_changes() {
        let a = Scenario::default();
        let mut b = a.clone();
        b.name = "b".into();
        b.citizens.vision = a.citizens.vision + 1;
        let mut c = a.clone();
        c.name = "c".into();
        c.legitimacy.initial = 0.25;
        let (keys, values) = lever_columns(&[&a, &b, &c]);
        assert_eq!(keys, ["citizens.vision", "legitimacy.initial"]);
        assert_eq!(values[0][0], a.citizens.vision.to_string());
        assert_eq!(values[1][0], (a.citizens.vision + 1).to_string());
        assert_eq!(values[2][1], "0.25");
        assert_eq!(values[1][1], values[0][1], "b keeps the baseline's value");
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let a = Scenario::default();
        let mut b = a.clone();
        b.name = "other".into();
        b.citizens.vision = a.citizens.vision + 1;
        b.legitimacy.initial = 0.25;
        let c = changes(&a, &b);
        assert_eq!(
            c,
            vec![
                format!(
                    "citizens.vision: {} \u{2192} {}",
                    a.citizens.vision, b.citizens.vision
                ),
                format!("legitimacy.initial: {} \u{2192} 0.25", a.legitimacy.initial),
            ]
        );
        assert!(changes(&a, &a).is_empty());
    }

    #[test]
    fn a_variant_made_identical_to_the_baseline_is_named() {
        let a = Scenario::default();
        let mut same = a.clone();
        same.name = "force_large".into();
        let mut other = a.clone();
        other.name = "other".into();
        other.citizens.vision = a.citizens.vision + 1;
        let set = vec!["citizens.vision=3".to_string()];
        let w = erased_variants(&a, &[&same, &other], &set);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("force_large runs exactly as the baseline")
                && w[0].contains("--set citizens.vision=3"),
            "{}",
            w[0]
        );
        assert!(erased_variants(&a, &[&other], &[]).is_empty());
    }
}
