//! Maps: plain text, one character per cell, legend in the scenario.
//! (Placeholder; being implemented.)

use super::Terrain;

/// A parsed map: terrain per cell, row-major, row 0 at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerrainMap {
    /// Cells per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// `width × height` cells, row-major.
    pub cells: Vec<Terrain>,
}

impl TerrainMap {
    /// An all-open map.
    pub fn open(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            cells: vec![Terrain::Open; (width as usize) * (height as usize)],
        }
    }
}

/// A problem in map text, located within that text (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct MapError {
    /// 1-based line within the map text.
    pub line: usize,
    /// 1-based column within the line.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl super::WorldConfig {
    /// The terrain of this world: the inline map if any, else an all-open grid.
    pub fn terrain(&self) -> Result<TerrainMap, MapError> {
        Ok(TerrainMap::open(self.width, self.height))
    }
}
