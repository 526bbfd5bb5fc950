//! The scenarios the page offers: the shipped mission scenarios, read
//! from the pack embedded in the binary through the CLI's own loader, and
//! files uploaded from the page.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crate::scenario::{self, Scenario, ScenarioError};

/// Folders of shipped mission scenarios, in the order the page lists them.
const PACKS: [&str; 3] = ["gaza", "mali", "validation"];

/// Most uploaded scenarios kept at once (the oldest is dropped first).
pub const MAX_UPLOADS: usize = 16;

/// Largest upload accepted, in bytes (a scenario with an inline map of a
/// few hundred cells a side).
pub const MAX_UPLOAD_BYTES: usize = 2 << 20;

/// Where a scenario's text comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A shipped file (its `extends` and maps relative to it).
    File(PathBuf),
    /// Text uploaded from the page, named in messages as `name`.
    Text {
        /// The name in messages.
        name: String,
        /// The TOML text.
        text: String,
    },
}

/// One scenario the page can run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    /// Identifier in the API, e.g. `gaza/baseline` or `upload/1`.
    pub id: String,
    /// The scenario's `name`.
    pub name: String,
    /// The scenario's `description`.
    pub description: String,
    /// The pack (folder) it belongs to, or `upload`.
    pub pack: String,
    /// Days of its run (`run.ticks`).
    pub days: u32,
    /// Its master seed (`run.seed`).
    pub seed: u64,
    #[serde(skip)]
    source: Source,
}

/// Every scenario the page can run.
#[derive(Debug)]
pub struct Catalog {
    shipped: Vec<Entry>,
    uploads: RwLock<(u64, Vec<Entry>)>,
}

/// Why a scenario could not be found or loaded.
#[derive(Debug)]
pub enum LoadError {
    /// No scenario with this id.
    Unknown(String),
    /// The loader's located message.
    Scenario(ScenarioError),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Unknown(id) => write!(
                f,
                "scenario: no scenario {id:?} (expected an id from /api/scenarios, e.g. \"gaza/baseline\")"
            ),
            LoadError::Scenario(e) => write!(f, "{e}"),
        }
    }
}

/// The root of the shipped scenarios: the pack embedded in the binary, so
/// the page works from any folder (`extends` and maps resolve inside it).
pub fn scenario_root() -> PathBuf {
    PathBuf::from(scenario::pack::ROOT)
}

impl Catalog {
    /// The shipped mission scenarios under `root` (the pack's root or a
    /// folder laid out like `scenarios/`; Epstein scenarios, which
    /// have no map to animate, are left out), each loaded once to check it.
    pub fn shipped(root: &Path) -> Self {
        let mut shipped = Vec::new();
        for pack in PACKS {
            // baseline first, then by name (as `stabsim run <folder>` does).
            let files = if scenario::pack::is_pack_path(root) {
                scenario::pack::toml_files(&root.join(pack))
            } else {
                let Ok(dir) = std::fs::read_dir(root.join(pack)) else {
                    continue;
                };
                let mut files: Vec<PathBuf> = dir
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                files.sort_by_key(|p| (p.file_stem().is_none_or(|s| s != "baseline"), p.clone()));
                files
            };
            for file in files {
                let Ok(sc) = scenario::load(&file, &[]) else {
                    continue;
                };
                if sc.mission.is_none() {
                    continue;
                }
                let stem = file.file_stem().unwrap_or_default().to_string_lossy();
                shipped.push(Entry {
                    id: format!("{pack}/{stem}"),
                    name: sc.name.clone(),
                    description: sc.description.clone(),
                    pack: pack.to_string(),
                    days: sc.run.ticks,
                    seed: sc.run.seed,
                    source: Source::File(file),
                });
            }
        }
        Self {
            shipped,
            uploads: RwLock::new((0, Vec::new())),
        }
    }

    /// Every scenario, shipped first, then uploads in upload order.
    pub fn entries(&self) -> Vec<Entry> {
        let uploads = self.uploads.read().expect("catalog lock");
        self.shipped.iter().chain(&uploads.1).cloned().collect()
    }

    /// The entry `id`.
    pub fn entry(&self, id: &str) -> Result<Entry, LoadError> {
        self.entries()
            .into_iter()
            .find(|e| e.id == id)
            .ok_or_else(|| LoadError::Unknown(id.to_string()))
    }

    /// Loads scenario `id` with `overrides` (`key.path=value`, as `--set`
    /// takes them), validated by the CLI's loader.
    pub fn load(&self, id: &str, overrides: &[String]) -> Result<Scenario, LoadError> {
        let entry = self.entry(id)?;
        let loaded = match &entry.source {
            Source::File(path) => scenario::load(path, overrides),
            Source::Text { name, text } => scenario::load_str(text, name, overrides),
        };
        loaded.map_err(LoadError::Scenario)
    }

    /// Validates an uploaded scenario (named `file` in messages) and adds
    /// it; a scenario without `[mission]` is refused, since the page shows
    /// the mission model's map.
    pub fn upload(&self, file: &str, text: String) -> Result<Entry, String> {
        let sc = scenario::load_str(&text, file, &[]).map_err(|e| e.to_string())?;
        if sc.mission.is_none() {
            return Err(format!(
                "{file}: this scenario has no [mission] table (expected a mission scenario; \
                 Epstein scenarios run with `stabsim run`)"
            ));
        }
        let mut uploads = self.uploads.write().expect("catalog lock");
        uploads.0 += 1;
        let entry = Entry {
            id: format!("upload/{}", uploads.0),
            name: sc.name.clone(),
            description: sc.description.clone(),
            pack: "upload".into(),
            days: sc.run.ticks,
            seed: sc.run.seed,
            source: Source::Text {
                name: file.to_string(),
                text,
            },
        };
        if uploads.1.len() == MAX_UPLOADS {
            uploads.1.remove(0);
        }
        uploads.1.push(entry.clone());
        Ok(entry)
    }
}
