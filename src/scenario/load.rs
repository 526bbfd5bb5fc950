//! Loading: read, follow `extends`, apply `--set`, deserialize, validate.
//! (Placeholder signatures; being implemented.)

use std::path::Path;

use super::{Scenario, ScenarioError};

/// Loads the scenario at `path`, follows its `extends` chain, applies the
/// `overrides` (`key.path=value`, as given to `--set`), and validates it.
/// The result is resolved: `extends` is `None` and any map is inline.
pub fn load(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        file: path.display().to_string(),
        source,
    })?;
    load_str(&text, &path.display().to_string(), overrides)
}

/// Like [`load`] for text already in memory; `file` names it in messages.
/// `extends` paths are relative to the directory of `file`.
pub fn load_str(text: &str, file: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let _ = overrides;
    toml::from_str(text).map_err(|e| ScenarioError::Syntax {
        location: super::Location {
            file: file.to_string(),
            line: None,
            col: None,
        },
        message: e.to_string(),
    })
}
