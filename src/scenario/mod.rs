//! Scenarios: typed TOML files with defaults for every field, `extends`
//! chains, `--set` overrides from the shell, maps, and validation whose every
//! failure is one located message: `FILE:LINE:COL: field a.b: what is wrong (expected …)`.

pub mod error;
pub mod input;
pub mod load;
pub mod map;
pub mod mission;
pub mod pack;
pub mod params;
pub mod refine;
pub mod schema;
pub mod types;
pub mod validate;

pub use error::{Location, ScenarioError};
pub use load::{load, load_str};
pub use map::{MapError, SectorMap, TerrainMap};
pub use mission::*;
pub use types::*;

/// Largest neighbourhood radius, in cells, of a mission scenario: the
/// mission's neighbourhood counts pack five counts in 12-bit fields (see
/// `world::neighbourhood`), and a Moore square of radius 31 has 3968 cells.
pub const MAX_MISSION_RADIUS: usize = 31;
