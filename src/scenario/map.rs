//! Maps: plain text, one character per cell, legend in the scenario.
//!
//! A map is rows of characters, every row the same length, each character a
//! key of `[world.legend]`. A final newline is allowed, and `\r\n` line ends
//! are read like `\n`. Columns count characters, not bytes. There are no
//! comment lines: every line is a row of cells.
//!
//! An optional sector map has the same format and size, its characters
//! keys of `[world.sector_names]` (or `-`, no sector).

use std::collections::BTreeMap;

use super::types::{Terrain, WorldConfig};

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

    /// Parses map text with `legend` (character → terrain). Legend keys
    /// that are not exactly one character match nothing (validation
    /// rejects them). Errors are located within `text`.
    pub fn parse(text: &str, legend: &BTreeMap<String, Terrain>) -> Result<Self, MapError> {
        let (width, height, cells) = parse_cells(text, &single_char_legend(legend))?;
        Ok(Self {
            width,
            height,
            cells,
        })
    }

    /// The terrain at column `x`, row `y` (row 0 at the top).
    ///
    /// # Panics
    ///
    /// If `(x, y)` is outside the map.
    pub fn at(&self, x: u32, y: u32) -> Terrain {
        assert!(x < self.width && y < self.height, "cell outside the map");
        self.cells[y as usize * self.width as usize + x as usize]
    }

    /// How many cells are [`Terrain::Open`] (not counting other passable
    /// kinds; see [`TerrainMap::passable_cells`]).
    pub fn open_cells(&self) -> usize {
        self.cells.iter().filter(|&&t| t == Terrain::Open).count()
    }

    /// How many cells agents may stand on ([`Terrain::is_passable`]).
    pub fn passable_cells(&self) -> usize {
        self.cells.iter().filter(|t| t.is_passable()).count()
    }
}

/// A parsed sector map: the sector of each cell, row-major, row 0 at the
/// top, as an index into `names`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorMap {
    /// Cells per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// `width × height` cells, row-major: `None` for no sector.
    pub cells: Vec<Option<u16>>,
    /// Sector names, each once, in the order of their first legend
    /// character (legend characters sorted).
    pub names: Vec<String>,
}

/// The character that means "no sector" unless the legend lists it.
pub const NO_SECTOR: char = '-';

impl SectorMap {
    /// Parses sector map text with `names` (character → sector name; `""`
    /// means no sector, as does `-` unless listed). Two characters with
    /// one name are one sector. Errors are located within `text`.
    pub fn parse(text: &str, names: &BTreeMap<String, String>) -> Result<Self, MapError> {
        let mut legend = BTreeMap::from([(NO_SECTOR, None)]);
        let mut sector_names: Vec<String> = Vec::new();
        for (key, name) in names {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            let index = if name.is_empty() {
                None
            } else if let Some(i) = sector_names.iter().position(|n| n == name) {
                Some(i)
            } else {
                sector_names.push(name.clone());
                Some(sector_names.len() - 1)
            };
            legend.insert(c, index.map(|i| u16::try_from(i).unwrap_or(u16::MAX)));
        }
        let (width, height, cells) = parse_cells(text, &legend)?;
        Ok(Self {
            width,
            height,
            cells,
            names: sector_names,
        })
    }

    /// The sector at column `x`, row `y` (row 0 at the top).
    ///
    /// # Panics
    ///
    /// If `(x, y)` is outside the map.
    pub fn at(&self, x: u32, y: u32) -> Option<u16> {
        assert!(x < self.width && y < self.height, "cell outside the map");
        self.cells[y as usize * self.width as usize + x as usize]
    }

    /// The first place where this map's size differs from
    /// `width × height`, as an error: the first column beyond the shorter
    /// width on row 1, else the first row beyond the shorter height.
    pub fn check_size(&self, width: u32, height: u32) -> Result<(), MapError> {
        let size = format!("{width} × {height}");
        let message = format!(
            "the sector map is {} × {} cells but the terrain is {size} (expected {size})",
            self.width, self.height
        );
        if self.width != width {
            let col = self.width.min(width) as usize + 1;
            return Err(MapError::new(1, col, message));
        }
        if self.height != height {
            let line = self.height.min(height) as usize + 1;
            return Err(MapError::new(line, 1, message));
        }
        Ok(())
    }
}

/// Parses map text, each character looked up in `legend`: width, height
/// and the cells, row-major.
fn parse_cells<T: Copy>(
    text: &str,
    legend: &BTreeMap<char, T>,
) -> Result<(u32, u32, Vec<T>), MapError> {
    let rows = map_rows(text);
    let Some(first) = rows.first() else {
        return Err(MapError::new(
            1,
            1,
            "the map is empty (expected at least one row of cells)",
        ));
    };
    let width = first.chars().count();
    if width == 0 {
        return Err(MapError::new(
            1,
            1,
            "row 1 is empty (expected at least one cell per row)",
        ));
    }
    let mut cells = Vec::with_capacity(width * rows.len());
    for (index, row) in rows.iter().enumerate() {
        parse_row(row, index + 1, width, legend, &mut cells)?;
    }
    Ok((saturating_u32(width), saturating_u32(rows.len()), cells))
}

/// Map dimensions beyond `u32` are out of range anyway; saturating keeps
/// that visible to validation instead of wrapping.
fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The legend's one-character keys as characters.
fn single_char_legend(legend: &BTreeMap<String, Terrain>) -> BTreeMap<char, Terrain> {
    legend
        .iter()
        .filter_map(|(key, &terrain)| {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some((c, terrain)),
                _ => None,
            }
        })
        .collect()
}

/// The rows of map text: one final line end is dropped, and `\r\n` counts
/// as a line end like `\n`. Empty text has no rows.
fn map_rows(text: &str) -> Vec<&str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Vec::new();
    }
    body.split('\n')
        .map(|row| row.strip_suffix('\r').unwrap_or(row))
        .collect()
}

/// Appends the cells of one row, checking in reading order that each
/// character is in the legend and that the row is `width` cells long.
fn parse_row<T: Copy>(
    row: &str,
    line: usize,
    width: usize,
    legend: &BTreeMap<char, T>,
    cells: &mut Vec<T>,
) -> Result<(), MapError> {
    let mut length = 0;
    for (index, c) in row.chars().enumerate() {
        if index == width {
            let length = row.chars().count();
            return Err(ragged_row(line, width + 1, length, width));
        }
        let Some(&cell) = legend.get(&c) else {
            return Err(MapError::new(
                line,
                index + 1,
                format!(
                    "unknown character {c:?} (expected one of {})",
                    legend_chars(legend)
                ),
            ));
        };
        cells.push(cell);
        length = index + 1;
    }
    if length < width {
        return Err(ragged_row(line, length + 1, length, width));
    }
    Ok(())
}

/// The error for a row whose length differs from the first row's.
fn ragged_row(line: usize, col: usize, length: usize, width: usize) -> MapError {
    MapError::new(
        line,
        col,
        format!(
            "row {line} is {} long but row 1 is {width} (expected every row {} long)",
            cells(length),
            cells(width)
        ),
    )
}

/// `1 cell`, `6 cells`.
fn cells(n: usize) -> String {
    if n == 1 {
        "1 cell".to_string()
    } else {
        format!("{n} cells")
    }
}

/// The legend's characters, quoted, for "expected" lists: `'#', '.'`.
fn legend_chars<T>(legend: &BTreeMap<char, T>) -> String {
    if legend.is_empty() {
        return "the characters of [world.legend], which is empty".to_string();
    }
    legend
        .keys()
        .map(|c| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(", ")
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

impl MapError {
    fn new(line: usize, col: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            col,
            message: message.into(),
        }
    }
}

impl WorldConfig {
    /// The terrain of this world: the inline map if any, else an all-open
    /// `width × height` grid. A `map` file that the loader has not turned
    /// into `map_inline` is an error, not silently an open grid.
    pub fn terrain(&self) -> Result<TerrainMap, MapError> {
        match (&self.map_inline, &self.map) {
            (Some(text), _) => TerrainMap::parse(text, &self.legend),
            (None, Some(file)) => Err(MapError::new(
                1,
                1,
                format!(
                    "map file {file:?} has not been read (expected a scenario from scenario::load, whose map is inline)"
                ),
            )),
            (None, None) => Ok(TerrainMap::open(self.width, self.height)),
        }
    }

    /// The sectors of this world, if any: the inline sector map parsed
    /// with `sector_names`. A `sectors` file that the loader has not turned
    /// into `sectors_inline` is an error. The size is not checked here
    /// (see [`SectorMap::check_size`]; the loader and validation do).
    pub fn sectors(&self) -> Result<Option<SectorMap>, MapError> {
        match (&self.sectors_inline, &self.sectors) {
            (Some(text), _) => SectorMap::parse(text, &self.sector_names).map(Some),
            (None, Some(file)) => Err(MapError::new(
                1,
                1,
                format!(
                    "sector file {file:?} has not been read (expected a scenario from scenario::load, whose sectors are inline)"
                ),
            )),
            (None, None) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legend() -> BTreeMap<String, Terrain> {
        WorldConfig::default().legend
    }

    #[test]
    fn parses_rows_and_legend() {
        let map = TerrainMap::parse("..#\n#..\n", &legend()).unwrap();
        assert_eq!((map.width, map.height), (3, 2));
        assert_eq!(map.at(2, 0), Terrain::Blocked);
        assert_eq!(map.at(0, 1), Terrain::Blocked);
        assert_eq!(map.at(1, 1), Terrain::Open);
        assert_eq!(map.open_cells(), 4);
    }

    #[test]
    fn accepts_crlf_and_no_final_newline() {
        let crlf = TerrainMap::parse("..\r\n.#\r\n", &legend()).unwrap();
        let bare = TerrainMap::parse("..\n.#", &legend()).unwrap();
        assert_eq!(crlf, bare);
    }

    #[test]
    fn short_row_is_located_where_it_ends() {
        let err = TerrainMap::parse("....\n..\n....\n", &legend()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2:3: row 2 is 2 cells long but row 1 is 4 (expected every row 4 cells long)"
        );
    }

    #[test]
    fn long_row_is_located_where_it_overflows() {
        let err = TerrainMap::parse("..\n..\n....\n", &legend()).unwrap_err();
        assert_eq!((err.line, err.col), (3, 3));
    }

    #[test]
    fn unknown_character_lists_the_legend() {
        let err = TerrainMap::parse("...\n.x.\n", &legend()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2:2: unknown character 'x' (expected one of '#', '.')"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut legend = legend();
        legend.insert("é".to_string(), Terrain::Open);
        let err = TerrainMap::parse("é.x\n", &legend).unwrap_err();
        assert_eq!((err.line, err.col), (1, 3));
    }

    #[test]
    fn empty_map_and_empty_first_row_are_errors() {
        assert!(TerrainMap::parse("", &legend()).is_err());
        assert!(TerrainMap::parse("\n", &legend()).is_err());
        assert_eq!(TerrainMap::parse("\n..\n", &legend()).unwrap_err().line, 1);
    }

    #[test]
    fn blank_line_inside_the_map_is_a_ragged_row() {
        let err = TerrainMap::parse("..\n\n..\n", &legend()).unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
    }

    #[test]
    fn terrain_without_map_is_open() {
        let world = WorldConfig {
            width: 3,
            height: 2,
            ..WorldConfig::default()
        };
        assert_eq!(world.terrain().unwrap(), TerrainMap::open(3, 2));
    }

    #[test]
    fn terrain_kinds_and_passability() {
        let mut legend = legend();
        for (c, t) in [
            ("u", Terrain::Urban),
            ("r", Terrain::Rubble),
            ("~", Terrain::Sea),
            ("=", Terrain::Border),
            ("Z", Terrain::Crossing),
            ("b", Terrain::Buffer),
        ] {
            legend.insert(c.to_string(), t);
        }
        let map = TerrainMap::parse("~.ur\n=Zb#\n", &legend).unwrap();
        let passable: Vec<bool> = map.cells.iter().map(|t| t.is_passable()).collect();
        assert_eq!(
            passable,
            [false, true, true, true, false, true, false, false]
        );
        assert_eq!(map.at(1, 1), Terrain::Crossing);
        assert_eq!((map.open_cells(), map.passable_cells()), (1, 4));
    }

    fn names(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn sectors_index_names_in_character_order() {
        let names = names(&[("2", "South"), ("1", "North"), ("n", "North"), (".", "")]);
        let map = SectorMap::parse("11-\nn2.\n", &names).unwrap();
        assert_eq!(map.names, ["North", "South"]);
        assert_eq!((map.width, map.height), (3, 2));
        assert_eq!(map.cells, [Some(0), Some(0), None, Some(0), Some(1), None]);
        assert_eq!(map.at(1, 1), Some(1));
        assert!(map.check_size(3, 2).is_ok());
    }

    #[test]
    fn dash_may_name_a_sector() {
        let map = SectorMap::parse("-", &names(&[("-", "Dash")])).unwrap();
        assert_eq!(map.cells, [Some(0)]);
    }

    #[test]
    fn sector_errors_are_located() {
        let names = names(&[("1", "A")]);
        let err = SectorMap::parse("11\n1x\n", &names).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2:2: unknown character 'x' (expected one of '-', '1')"
        );
        let map = SectorMap::parse("11\n11\n", &names).unwrap();
        assert_eq!(
            map.check_size(3, 2).unwrap_err().to_string(),
            "1:3: the sector map is 2 × 2 cells but the terrain is 3 × 2 (expected 3 × 2)"
        );
        let err = map.check_size(2, 1).unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
        let err = map.check_size(2, 5).unwrap_err();
        assert_eq!((err.line, err.col), (3, 1));
    }

    #[test]
    fn world_sectors() {
        let mut world = WorldConfig::default();
        assert_eq!(world.sectors().unwrap(), None);
        world.sectors = Some("s.txt".to_string());
        assert!(world.sectors().is_err());
        world.sector_names = names(&[("1", "A")]);
        world.sectors_inline = Some("1-\n".to_string());
        let map = world.sectors().unwrap().unwrap();
        assert_eq!(map.cells, [Some(0), None]);
    }

    #[test]
    fn terrain_refuses_an_unread_map_file() {
        let world = WorldConfig {
            map: Some("m.txt".to_string()),
            ..WorldConfig::default()
        };
        assert!(world.terrain().is_err());
    }
}
