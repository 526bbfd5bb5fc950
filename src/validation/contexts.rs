//! Contexts and arms: a context is a mission scenario file the suite runs
//! on (the Gaza baseline, the two of `scenarios/validation/`, and any given
//! with `--context`); an arm is that context with a check's overrides.
//!
//! Overrides are `--set` strings (`key.path=value`), plus one form `--set`
//! lacks: `key.rows[*].field=value` sets a field of every row of an array of
//! tables (e.g. `mission.contributors[*].acceptability=0.9`), so a lever
//! held by each contingent can be moved in a context with any number of
//! them. The result is validated like any scenario; every failure is a
//! located message, never a panic.

use std::path::{Path, PathBuf};

use crate::scenario::{self, Scenario};

/// The contexts every validation runs on, relative to the repository root:
/// the shipped Gaza baseline and the suite's own two.
pub const DEFAULT_CONTEXTS: [&str; 3] = [
    "scenarios/gaza/baseline.toml",
    "scenarios/validation/mali_police.toml",
    "scenarios/validation/valley_war.toml",
];

/// How every arm runs: replicates, days and (when given) the seed; by
/// default each context keeps its own seed, shared by all its arms (common
/// random numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSettings {
    /// Replicates per arm.
    pub replicates: u32,
    /// Days per replicate.
    pub ticks: u32,
}

/// A context: the file and its scenario as loaded (no overrides).
#[derive(Debug, Clone)]
pub struct Context {
    /// The scenario file.
    pub file: PathBuf,
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Whether it has a `[mission]` table.
    pub mission: bool,
}

impl Context {
    /// Loads a context; a bad file is a located error message.
    pub fn load(file: &Path) -> Result<Self, String> {
        let sc = scenario::load(file, &[]).map_err(|e| e.to_string())?;
        Ok(Self {
            file: file.to_path_buf(),
            name: sc.name.clone(),
            description: sc.description.clone(),
            mission: sc.mission.is_some(),
        })
    }
}

/// The canonical key of an arm: its overrides, sorted, joined by spaces.
pub fn arm_key(overrides: &[String]) -> String {
    let mut o: Vec<&str> = overrides.iter().map(String::as_str).collect();
    o.sort_unstable();
    o.join(" ")
}

/// `file` with `overrides` and the run settings; `Err` is the located
/// message of the first problem.
pub fn arm_scenario(
    file: &Path,
    overrides: &[String],
    run: RunSettings,
) -> Result<Scenario, String> {
    let (rows, plain): (Vec<&String>, Vec<&String>) =
        overrides.iter().partition(|o| o.contains("[*]"));
    let mut set: Vec<String> = plain.into_iter().cloned().collect();
    set.push(format!("run.replicates={}", run.replicates));
    set.push(format!("run.ticks={}", run.ticks));
    let sc = scenario::load(file, &set).map_err(|e| e.to_string())?;
    if rows.is_empty() {
        return Ok(sc);
    }
    let mut tree = toml::Value::try_from(&sc).map_err(|e| format!("{}: {e}", file.display()))?;
    for o in rows {
        set_rows(&mut tree, o).map_err(|e| format!("--set:1:1: {e}"))?;
    }
    let sc: Scenario = tree
        .try_into()
        .map_err(|e| format!("--set:1:1: {e} (after row overrides)"))?;
    scenario::validate::validate(&sc, scenario::load::SET_FILE).map_err(|e| e.to_string())?;
    Ok(sc)
}

/// Applies one `a.b[*].c=value` override to a scenario's value tree.
fn set_rows(tree: &mut toml::Value, o: &str) -> Result<(), String> {
    let (key, value) = o
        .split_once('=')
        .ok_or_else(|| format!("{o:?}: expected key.rows[*].field=value"))?;
    let (array, field) = key
        .split_once("[*].")
        .ok_or_else(|| format!("field {key}: expected key.rows[*].field"))?;
    let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    let mut node = &mut *tree;
    for part in array.split('.') {
        node = node
            .get_mut(part)
            .ok_or_else(|| format!("field {key}: no table or array {part:?} in this scenario"))?;
    }
    let rows = node
        .as_array_mut()
        .ok_or_else(|| format!("field {key}: {array} is not an array of tables"))?;
    for row in rows {
        let slot = row
            .get_mut(field)
            .ok_or_else(|| format!("field {key}: unknown key {field:?} in {array}"))?;
        *slot = value.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: RunSettings = RunSettings {
        replicates: 2,
        ticks: 10,
    };

    fn gaza() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gaza/baseline.toml")
    }

    #[test]
    fn row_overrides_set_every_row() {
        let sc = arm_scenario(
            &gaza(),
            &["mission.contributors[*].acceptability=0.95".to_string()],
            RUN,
        )
        .unwrap();
        let m = sc.mission.unwrap();
        assert!(m.contributors.len() > 1);
        assert!(m.contributors.iter().all(|c| c.acceptability == 0.95));
        assert_eq!(sc.run.ticks, 10);
    }

    #[test]
    fn unknown_paths_and_bad_values_are_messages() {
        for bad in [
            "mission.mandate.no_such_lever=1",
            "mission.contributors[*].no_such_field=1",
            "mission.nothing[*].x=1",
            "mission.contributors[*].acceptability=7",
        ] {
            let e = arm_scenario(&gaza(), &[bad.to_string()], RUN).unwrap_err();
            assert!(e.contains("--set"), "{bad}: {e}");
        }
    }

    #[test]
    fn arm_keys_ignore_order() {
        let a = ["b=1".to_string(), "a=2".to_string()];
        let b = ["a=2".to_string(), "b=1".to_string()];
        assert_eq!(arm_key(&a), arm_key(&b));
    }
}
