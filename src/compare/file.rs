//! Comparison files: a TOML list of scenarios to compare, with optional
//! settings, so a comparison can be named, versioned and re-run.
//!
//! ```toml
//! # Paths are relative to this file; the baseline defaults to the first.
//! scenarios = ["../gaza/baseline.toml", "../gaza/force_large.toml"]
//! baseline = "gaza_baseline"   # optional: a scenario name
//! replicates = 20              # optional: overrides every scenario's
//! map_days = [30, 365, 730]    # optional: days drawn as maps
//!
//! [set]                        # optional: overrides for one scenario each,
//! gaza_force_large = ["mission.mandate.force_scale=3"]   # by name or file stem
//! # optional: weights of measures in the ranking (default 1 for the
//! # headline measures, 0 for the others; 0 leaves a measure out)
//! weights = { civilian_deaths = 2, trust_share_mean = 1 }
//! ```
//!
//! A scenario's own overrides apply after its file and before the command
//! line's `--set` (which applies to every scenario).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scenario::error::{FieldPath, Location, ScenarioError};
use crate::scenario::input::read_text;
use crate::scenario::types::MAX_REPLICATES;

/// A parsed comparison file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonFile {
    /// Scenario files or folders, relative to the comparison file.
    pub scenarios: Vec<PathBuf>,
    /// The baseline's scenario name (default: the first scenario).
    #[serde(default)]
    pub baseline: Option<String>,
    /// Replicates of every scenario (default: the baseline's).
    #[serde(default)]
    pub replicates: Option<u32>,
    /// Master seed of every scenario (default: the baseline's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Days drawn as maps (default: a few across the run).
    #[serde(default)]
    pub map_days: Option<Vec<u32>>,
    /// Overrides (`KEY.PATH=VALUE`) for single scenarios, keyed by scenario
    /// name or file stem.
    #[serde(default)]
    pub set: BTreeMap<String, Vec<String>>,
    /// Weights of measures in the ranking, by measure key (see
    /// [`super::analysis::MEASURES`]); unnamed measures keep their default.
    #[serde(default)]
    pub weights: std::collections::BTreeMap<String, f64>,
    /// Where `map_days` is written, so that a day past the horizon is
    /// blamed on this file rather than on a flag the user never typed.
    #[serde(skip)]
    pub map_days_at: Option<Location>,
}

impl ComparisonFile {
    /// Whether `text` looks like a comparison file (a top-level
    /// `scenarios` array) rather than a scenario.
    pub fn is_comparison(text: &str) -> bool {
        toml::from_str::<toml::Table>(text)
            .map(|t| t.get("scenarios").is_some_and(toml::Value::is_array))
            .unwrap_or(false)
    }

    /// The overrides of the scenario loaded from `file` and named `name`
    /// (those under its name, then those under its file stem).
    pub fn set_for(&self, file: &Path, name: &str) -> Vec<String> {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
        let mut out = self.set.get(name).cloned().unwrap_or_default();
        if let Some(more) = stem.filter(|s| s != name).and_then(|s| self.set.get(&s)) {
            out.extend(more.iter().cloned());
        }
        out
    }

    /// Reads a comparison file; scenario paths come back relative to the
    /// current folder.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let shown = path.display().to_string();
        let text = read_text(path).map_err(|source| ScenarioError::Io {
            file: shown.clone(),
            source,
        })?;
        // Top-level keys with their spans, so every error below names the
        // key it is about and points at it in this file.
        let keys: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>> =
            toml::from_str(&text).map_err(|e| {
                let (line, col) = e.span().map_or((1, 1), |span| line_col(&text, span.start));
                ScenarioError::Syntax {
                    location: Location::at(&shown, line, col),
                    message: crate::scenario::error::one_line(e.message()),
                }
            })?;
        let at = |offset: usize| {
            let (line, col) = line_col(&text, offset);
            Location::at(&shown, line, col)
        };
        let key_at = |name: &str| {
            keys.iter()
                .find(|(k, _)| k.get_ref() == name)
                .map(|(k, _)| at(k.span().start))
        };
        let mut file: ComparisonFile = toml::from_str(&text).map_err(|e| {
            let start = e.span().map_or(0, |span| span.start);
            // The key whose value (or name) holds the error; inside a
            // `[table]`, whose span may end at its header, the last key
            // written before the error.
            let key = keys
                .iter()
                .find(|(k, v)| k.span().contains(&start) || v.span().contains(&start))
                .or_else(|| {
                    keys.iter()
                        .filter(|(k, _)| k.span().start <= start)
                        .max_by_key(|(k, _)| k.span().start)
                })
                .map(|(k, _)| k.get_ref().clone());
            let field = key
                .as_deref()
                .map_or_else(FieldPath::default, |k| FieldPath::keys(&[k]));
            ScenarioError::field(
                at(start),
                &field,
                &crate::scenario::error::one_line(e.message()),
            )
        })?;
        if let Some(r) = file.replicates
            && (r == 0 || u64::from(r) > MAX_REPLICATES)
        {
            return Err(ScenarioError::field(
                key_at("replicates").unwrap_or_else(|| Location::file(&shown)),
                &FieldPath::keys(&["replicates"]),
                &format!("{r} is out of range (expected an integer in 1..=10_000_000)"),
            ));
        }
        if file.scenarios.is_empty() {
            return Err(ScenarioError::field(
                Location::file(&shown),
                &FieldPath::keys(&["scenarios"]),
                "expected at least one scenario file or folder",
            ));
        }
        for (key, w) in &file.weights {
            let known = super::analysis::MEASURES.iter().any(|m| m.key == key);
            if !known || !w.is_finite() || *w < 0.0 {
                let at = text
                    .find(&format!("{key} "))
                    .or_else(|| text.find(&format!("{key}=")))
                    .or_else(|| text.find("weights"));
                let (line, col) = at.map_or((1, 1), |k| line_col(&text, k));
                let keys: Vec<&str> = super::analysis::MEASURES.iter().map(|m| m.key).collect();
                let why = if known {
                    format!("{w} is not a weight (expected a number ≥ 0)")
                } else {
                    format!("unknown measure (expected one of {})", keys.join(", "))
                };
                return Err(ScenarioError::field(
                    Location::at(&shown, line, col),
                    &FieldPath::keys(&["weights", key]),
                    &why,
                ));
            }
        }
        file.map_days_at = key_at("map_days");
        let base = path.parent().unwrap_or(Path::new(""));
        for s in &mut file.scenarios {
            *s = base.join(&*s);
        }
        Ok(file)
    }
}

/// Checks that every map day lies within a run of `ticks` days. The days
/// come from the `--map-days` flag unless `file` (a comparison file whose
/// `map_days` were used) is given; the error names whichever it was.
pub fn check_map_days(
    days: &[u32],
    ticks: u32,
    file: Option<&ComparisonFile>,
) -> Result<(), String> {
    let Some(day) = days.iter().find(|&&d| d > ticks) else {
        return Ok(());
    };
    let why = format!("day {day} is after the end of the run (expected days 0..={ticks})");
    Err(match file.and_then(|f| f.map_days_at.as_ref()) {
        Some(at) => {
            ScenarioError::field(at.clone(), &FieldPath::keys(&["map_days"]), &why).to_string()
        }
        None => format!("--map-days: {why}"),
    })
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file_and_errors_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "scenarios = [\"a.toml\", \"b\"]\nreplicates = 5\n").unwrap();
        assert!(ComparisonFile::is_comparison(
            &std::fs::read_to_string(&path).unwrap()
        ));
        let f = ComparisonFile::load(&path).unwrap();
        assert_eq!(
            f.scenarios,
            vec![dir.path().join("a.toml"), dir.path().join("b")]
        );
        assert_eq!(f.replicates, Some(5));

        std::fs::write(&path, "scenarios = [\"a.toml\"]\nreplicate = 5\n").unwrap();
        let err = ComparisonFile::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("c.toml:2:1") && err.contains("replicate"),
            "{err}"
        );
        std::fs::write(&path, "scenarios = []\n").unwrap();
        let err = ComparisonFile::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("scenarios") && err.contains("at least one"),
            "{err}"
        );
        assert!(!ComparisonFile::is_comparison("name = \"x\"\n"));

        std::fs::write(
            &path,
            "scenarios = [\"a.toml\"]\n[set]\nbig = [\"x.y=1\"]\na = [\"z=2\"]\n",
        )
        .unwrap();
        let f = ComparisonFile::load(&path).unwrap();
        assert_eq!(f.set_for(Path::new("d/a.toml"), "big"), ["x.y=1", "z=2"]);
        assert_eq!(
            f.set_for(Path::new("d/b.toml"), "other"),
            Vec::<String>::new()
        );
        std::fs::write(
            &path,
            "scenarios = [\"a.toml\"]\nweights = { civilian_deaths = 2, ceasefire_held = 0.5 }\n",
        )
        .unwrap();
        let f = ComparisonFile::load(&path).unwrap();
        assert_eq!(f.weights.get("civilian_deaths"), Some(&2.0));
        std::fs::write(
            &path,
            "scenarios = [\"a.toml\"]\n\nweights = { deaths = 2 }\n",
        )
        .unwrap();
        let err = ComparisonFile::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("c.toml:3:")
                && err.contains("weights.deaths")
                && err.contains("civilian_deaths"),
            "{err}"
        );
        std::fs::write(
            &path,
            "scenarios = [\"a.toml\"]\nweights = { civilian_deaths = -1 }\n",
        )
        .unwrap();
        let err = ComparisonFile::load(&path).unwrap_err().to_string();
        assert!(err.contains("c.toml:2:") && err.contains("≥ 0"), "{err}");
    }

    #[test]
    fn errors_in_settings_name_the_key_and_this_file_not_a_flag() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let err_for = |body: &str| {
            std::fs::write(
                &path,
                format!("scenarios = [\"a.toml\"]\n# replicates and seed\n{body}\n"),
            )
            .unwrap();
            ComparisonFile::load(&path).unwrap_err().to_string()
        };
        let shown = path.display().to_string();
        let err = err_for("replicates = 0");
        assert!(
            err.starts_with(&format!("{shown}:3:1: field replicates: 0 is out of range")),
            "{err}"
        );
        assert!(!err.contains("--replicates"), "{err}");
        let err = err_for("replicates = 20000000");
        assert!(err.contains(":3:1: field replicates:"), "{err}");
        let err = err_for("seed = -1");
        assert!(
            err.starts_with(&format!("{shown}:3:8: field seed: ")),
            "{err}"
        );
        let err = err_for("replicates = \"5\"");
        assert!(
            err.starts_with(&format!("{shown}:3:14: field replicates: ")),
            "{err}"
        );
        let err = err_for("[set]\nx = 3");
        assert!(err.contains("field set"), "{err}");
        let err = err_for("replicates = [");
        assert!(err.contains("TOML syntax"), "{err}");
    }

    #[test]
    fn map_days_errors_name_the_file_they_come_from() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "scenarios = [\"a.toml\"]\n\nmap_days = [10, 900]\n").unwrap();
        let f = ComparisonFile::load(&path).unwrap();
        let err = check_map_days(&[10, 900], 730, Some(&f)).unwrap_err();
        assert!(
            err.starts_with(&format!("{}:3:1: field map_days: day 900", path.display())),
            "{err}"
        );
        assert!(!err.contains("--map-days"), "{err}");
        let err = check_map_days(&[900], 730, None).unwrap_err();
        assert!(err.starts_with("--map-days: day 900 is after"), "{err}");
        assert!(check_map_days(&[0, 730], 730, Some(&f)).is_ok());
    }
}
