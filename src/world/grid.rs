//! The grid as a padded byte array of cell contents.
//!
//! Neighbourhood queries scan contiguous row segments of this array (see
//! [`super::Neighbourhood`]). A ghost border as wide as the largest vision
//! surrounds the interior: on a torus it mirrors the opposite edge (every
//! write to an edge cell is copied to its ghosts), on a bounded grid it is
//! wall. Either way the scan needs no wrap arithmetic and no bounds checks
//! beyond the slice's own, and each agent sees the grid exactly as the agents
//! activated before it left it (asynchronous updating stays exact).

use crate::scenario::{TerrainMap, Topology};

/// What occupies a cell. One byte per cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Cell {
    /// Open and unoccupied.
    Empty = 0,
    /// A quiescent citizen.
    Quiet = 1,
    /// An active citizen.
    Active = 2,
    /// A jailed citizen that stays on its cell (Mesa's rule).
    Jailed = 3,
    /// A cop, or any security unit of the mission model.
    Cop = 4,
    /// Impassable: blocked terrain, or outside a bounded grid.
    Wall = 5,
    /// A faction's fighters (mission model only).
    Fighter = 6,
}

/// Number of [`Cell`] kinds, for lookup tables indexed by `cell as usize`.
pub const CELL_KINDS: usize = 7;

/// Index of a cell in the padded array. Interior cells and their ghosts have
/// different indices; [`Grid::occupant`] works for both.
pub type CellIndex = u32;

/// Marker for "no cell" (an agent off the grid).
pub const NO_CELL: CellIndex = u32::MAX;

/// The padded grid of cell contents and occupants.
#[derive(Debug, Clone)]
pub struct Grid {
    width: usize,
    height: usize,
    pad: usize,
    stride: usize,
    torus: bool,
    cells: Vec<Cell>,
    occupant: Vec<u32>,
    open_cells: Vec<CellIndex>,
    /// Per padded index: the interior index it stands for (itself if interior).
    canonical: Vec<CellIndex>,
    /// Per padded index (torus only): the up to three ghost copies of an
    /// interior cell, `NO_CELL` where there are fewer. Precomputed so a
    /// write needs no division.
    ghosts: Vec<[CellIndex; 3]>,
}

impl Grid {
    /// Builds an empty grid over `terrain` with a ghost border `pad` cells
    /// wide (at least the largest vision radius). On a torus, 2·pad must be
    /// less than the width and the height (validation ensures it), so that
    /// no neighbourhood wraps onto itself.
    pub fn new(terrain: &TerrainMap, topology: Topology, pad: usize) -> Self {
        // A programming error, not a user error: validation rejects such
        // scenarios with a located message long before a grid is built.
        assert!(
            topology == Topology::Bounded || 2 * pad < (terrain.width.min(terrain.height) as usize),
            "torus grid {}x{} too small for vision {pad}: validate the scenario first",
            terrain.width,
            terrain.height
        );
        let width = terrain.width as usize;
        let height = terrain.height as usize;
        let stride = width + 2 * pad;
        let rows = height + 2 * pad;
        let mut grid = Self {
            width,
            height,
            pad,
            stride,
            torus: topology == Topology::Torus,
            cells: vec![Cell::Wall; stride * rows],
            occupant: vec![u32::MAX; stride * rows],
            open_cells: Vec::new(),
            canonical: Vec::new(),
            ghosts: Vec::new(),
        };
        grid.canonical = (0..stride * rows)
            .map(|i| grid.compute_canonical(i))
            .collect();
        if grid.torus {
            grid.ghosts = vec![[NO_CELL; 3]; stride * rows];
            for i in 0..stride * rows {
                let c = grid.canonical[i] as usize;
                if c != i {
                    let slot = grid.ghosts[c].iter().position(|&g| g == NO_CELL);
                    // At most three ghosts per cell when 2·pad < width, height.
                    if let Some(k) = slot {
                        grid.ghosts[c][k] = i as CellIndex;
                    }
                }
            }
        }
        for y in 0..height {
            for x in 0..width {
                if terrain.cells[y * width + x].is_passable() {
                    let idx = grid.index(x, y);
                    grid.set(idx, Cell::Empty, u32::MAX);
                    grid.open_cells.push(idx);
                }
            }
        }
        grid
    }

    /// Cells per row of the interior.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Rows of the interior.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Cells in one padded row: the distance between vertically adjacent cells.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// Open interior cells in row-major order.
    pub fn open_cells(&self) -> &[CellIndex] {
        &self.open_cells
    }

    /// Padded index of interior cell (x, y).
    pub fn index(&self, x: usize, y: usize) -> CellIndex {
        ((y + self.pad) * self.stride + x + self.pad) as CellIndex
    }

    /// Interior coordinates (x, y) of an interior padded index.
    #[inline]
    pub fn coords(&self, idx: CellIndex) -> (usize, usize) {
        // In 32 bits (indices are `u32`, so the stride fits): a shorter
        // division than in 64.
        let stride = self.stride as u32;
        let (col, row) = ((idx % stride) as usize, (idx / stride) as usize);
        (col - self.pad, row - self.pad)
    }

    /// Row-major position (y · width + x) of an interior padded index, for
    /// per-cell layers that have no padding.
    #[inline]
    pub fn interior(&self, idx: CellIndex) -> usize {
        let (x, y) = self.coords(idx);
        y * self.width + x
    }

    /// The interior index a padded index stands for, by wrapping its
    /// coordinates (used once, to fill the lookup table).
    fn compute_canonical(&self, idx: usize) -> CellIndex {
        let (py, px) = (idx / self.stride, idx % self.stride);
        let x = (px + self.width - self.pad % self.width) % self.width;
        let y = (py + self.height - self.pad % self.height) % self.height;
        self.index(x, y)
    }

    /// The interior index a (possibly ghost) index stands for. On a
    /// bounded grid there are no ghosts (the border is wall): every index
    /// stands for itself.
    #[inline]
    pub fn canonical(&self, idx: CellIndex) -> CellIndex {
        // Interior cells map to themselves: answer without touching the
        // table (a cache miss on large grids) or dividing by the stride.
        if !self.torus || self.is_interior_far_from_edge(idx as usize) {
            idx
        } else {
            self.canonical[idx as usize]
        }
    }

    /// Whether a padded index is an interior cell at least `pad` cells from
    /// every edge: such a cell is nobody's ghost and has no ghosts.
    #[inline]
    fn is_interior_far_from_edge(&self, i: usize) -> bool {
        let (row, col) = (i / self.stride, i % self.stride);
        let inner = |c: usize, n: usize| c >= 2 * self.pad && c < n;
        inner(row, self.height) && inner(col, self.width)
    }

    /// Contents of a cell.
    #[inline]
    pub fn cell(&self, idx: CellIndex) -> Cell {
        self.cells[idx as usize]
    }

    /// Agent id stored at a cell (meaningful only when the cell holds an agent).
    #[inline]
    pub fn occupant(&self, idx: CellIndex) -> u32 {
        self.occupant[idx as usize]
    }

    /// The whole padded array, for neighbourhood scans.
    #[inline]
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Writes a cell and, on a torus, its ghost copies.
    #[inline]
    pub fn set(&mut self, idx: CellIndex, cell: Cell, occupant: u32) {
        let i = idx as usize;
        self.cells[i] = cell;
        self.occupant[i] = occupant;
        if self.torus && !self.is_interior_far_from_edge(i) {
            for g in self.ghosts[i] {
                if g == NO_CELL {
                    break;
                }
                self.cells[g as usize] = cell;
                self.occupant[g as usize] = occupant;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Terrain;

    fn open(w: u32, h: u32) -> TerrainMap {
        TerrainMap::open(w, h)
    }

    #[test]
    fn torus_ghosts_mirror_edges_and_corners() {
        let mut g = Grid::new(&open(6, 5), Topology::Torus, 2);
        let corner = g.index(0, 0);
        g.set(corner, Cell::Cop, 7);
        // Every padded cell that maps to (0,0) must hold the cop.
        let mut copies = 0;
        for i in 0..g.cells.len() {
            if g.canonical(i as CellIndex) == corner {
                assert_eq!(g.cells[i], Cell::Cop, "ghost {i} not updated");
                assert_eq!(g.occupant[i], 7);
                copies += 1;
            }
        }
        // The interior cell, two edge ghosts and one corner ghost.
        assert_eq!(copies, 4);
    }

    #[test]
    fn every_padded_cell_mirrors_its_interior_cell_on_a_torus() {
        let mut g = Grid::new(&open(7, 8), Topology::Torus, 3);
        for y in 0..8 {
            for x in 0..7 {
                let idx = g.index(x, y);
                g.set(idx, Cell::Quiet, (y * 7 + x) as u32);
            }
        }
        for i in 0..g.cells.len() {
            let c = g.canonical(i as CellIndex);
            assert_eq!(g.occupant[i], g.occupant[c as usize]);
        }
    }

    #[test]
    fn bounded_border_is_wall() {
        let mut g = Grid::new(&open(3, 3), Topology::Bounded, 2);
        let idx = g.index(0, 0);
        g.set(idx, Cell::Active, 1);
        let walls = g.cells.iter().filter(|&&c| c == Cell::Wall).count();
        assert_eq!(walls, 7 * 7 - 9);
    }

    #[test]
    fn blocked_terrain_is_wall_and_not_open() {
        let mut t = open(4, 3);
        t.cells[5] = Terrain::Blocked;
        let g = Grid::new(&t, Topology::Torus, 1);
        assert_eq!(g.open_cells().len(), 11);
        assert_eq!(g.cell(g.index(1, 1)), Cell::Wall);
    }
}
