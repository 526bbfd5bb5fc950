//! Neighbourhoods ("within vision") as row segments of the padded grid.
//!
//! Every supported shape is symmetric and convex along rows, so it is one
//! contiguous run of cells per row: a von Neumann diamond of radius 7 is 15
//! segments covering 113 cells. Counting cops, actives and empty cells is a
//! branch-free table lookup per byte over those segments, exact under
//! asynchronous activation because it reads the live grid.

use super::grid::{CELL_KINDS, Cell, CellIndex, Grid};
use crate::scenario::{MAX_MISSION_RADIUS, NeighbourhoodShape};

/// One row of a neighbourhood: cells `start .. start + len` relative to the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    start: isize,
    len: usize,
}

/// A neighbourhood shape of a given radius, laid out for one grid's stride.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    segments: Vec<Segment>,
    cells: usize,
}

/// Counts of cell kinds in a neighbourhood, the centre excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Cops.
    pub cops: u32,
    /// Active citizens.
    pub actives: u32,
    /// Empty cells.
    pub empties: u32,
}

// Each cell kind adds one to its own 21-bit field of a u64, so one sum over
// the segments counts all three kinds at once (fields cannot overflow below
// 2^21 cells, far beyond any vision the scenario allows).
const FIELD_BITS: u32 = 21;
const FIELD_MASK: u64 = (1 << FIELD_BITS) - 1;
const WEIGHT: [u64; CELL_KINDS] = {
    let mut w = [0u64; CELL_KINDS];
    w[Cell::Empty as usize] = 1;
    w[Cell::Active as usize] = 1 << FIELD_BITS;
    w[Cell::Cop as usize] = 1 << (2 * FIELD_BITS);
    w
};

/// Counts of the cell kinds the mission model needs, the centre excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MissionCounts {
    /// Security units (cells coded [`Cell::Cop`]).
    pub units: u32,
    /// Active civilians.
    pub actives: u32,
    /// Empty cells.
    pub empties: u32,
    /// Fighters.
    pub fighters: u32,
    /// Civilians on the grid, quiescent or active.
    pub civilians: u32,
}

// [`Neighbourhood::count_mission`] packs five counts in 12-bit fields, so a
// neighbourhood may hold at most 4095 cells: a Moore square of the largest
// radius validation accepts has 3968.
const _: () = assert!((2 * MAX_MISSION_RADIUS + 1).pow(2) < 1 << MISSION_BITS);

const MISSION_BITS: u32 = 12;
const MISSION_MASK: u64 = (1 << MISSION_BITS) - 1;
const MISSION_WEIGHT: [u64; CELL_KINDS] = {
    let mut w = [0u64; CELL_KINDS];
    w[Cell::Cop as usize] = 1;
    w[Cell::Active as usize] = (1 << MISSION_BITS) | (1 << (4 * MISSION_BITS));
    w[Cell::Empty as usize] = 1 << (2 * MISSION_BITS);
    w[Cell::Fighter as usize] = 1 << (3 * MISSION_BITS);
    w[Cell::Quiet as usize] = 1 << (4 * MISSION_BITS);
    w
};

impl Neighbourhood {
    /// The cells within `radius` of the centre for `shape`, on a grid whose
    /// padded rows are `stride` cells long.
    pub fn new(shape: NeighbourhoodShape, radius: usize, stride: usize) -> Self {
        let r = radius as isize;
        let mut segments = Vec::with_capacity(2 * radius + 1);
        for dy in -r..=r {
            let half = half_width(shape, r, dy);
            segments.push(Segment {
                start: dy * stride as isize - half,
                len: (2 * half + 1) as usize,
            });
        }
        let cells = segments.iter().map(|s| s.len).sum::<usize>() - 1;
        Self { segments, cells }
    }

    /// Number of cells in the neighbourhood, the centre excluded.
    pub fn len(&self) -> usize {
        self.cells
    }

    /// Whether the neighbourhood has no cells besides the centre.
    pub fn is_empty(&self) -> bool {
        self.cells == 0
    }

    /// Counts cops, actives and empty cells around `centre` (centre excluded).
    #[inline]
    pub fn count(&self, grid: &Grid, centre: CellIndex) -> Counts {
        let sum = self.tally(grid, centre, &WEIGHT);
        Counts {
            empties: (sum & FIELD_MASK) as u32,
            actives: ((sum >> FIELD_BITS) & FIELD_MASK) as u32,
            cops: (sum >> (2 * FIELD_BITS)) as u32,
        }
    }

    /// Counts units, actives, empty cells, fighters and civilians around
    /// `centre` (centre excluded), in one pass. The radius must be at most
    /// [`MAX_MISSION_RADIUS`].
    #[inline]
    pub fn count_mission(&self, grid: &Grid, centre: CellIndex) -> MissionCounts {
        let sum = self.tally(grid, centre, &MISSION_WEIGHT);
        let field = |k: u32| ((sum >> (k * MISSION_BITS)) & MISSION_MASK) as u32;
        MissionCounts {
            units: field(0),
            actives: field(1),
            empties: field(2),
            fighters: field(3),
            civilians: field(4),
        }
    }

    /// Sum of `weights[cell]` over the neighbourhood, centre excluded.
    #[inline]
    fn tally(&self, grid: &Grid, centre: CellIndex, weights: &[u64; CELL_KINDS]) -> u64 {
        let cells = grid.cells();
        let c = centre as isize;
        let mut sum = 0u64;
        for seg in &self.segments {
            let from = (c + seg.start) as usize;
            for &cell in &cells[from..from + seg.len] {
                sum += weights[cell as usize];
            }
        }
        sum - weights[cells[centre as usize] as usize]
    }

    /// A uniformly chosen empty cell among the `empties` around `centre`,
    /// as an interior index, or `None` when nothing is free.
    pub fn random_empty<R: rand::Rng>(
        &self,
        grid: &Grid,
        rng: &mut R,
        centre: CellIndex,
        empties: u32,
    ) -> Option<CellIndex> {
        use rand::RngExt;
        if empties == 0 {
            return None;
        }
        let n = rng.random_range(0..empties);
        let cell = self.nth(grid, centre, Cell::Empty, n)?;
        // A ghost cell stands for an interior cell across the torus edge.
        Some(grid.canonical(cell))
    }

    /// The `n`-th cell (0-based, in scan order) holding `kind` around
    /// `centre`; `None` if there are not that many. Scan order is row by
    /// row, left to right. The centre must not hold `kind` (it holds the
    /// agent asking, which looks for empty cells or, as a cop, for actives).
    #[inline]
    pub fn nth(&self, grid: &Grid, centre: CellIndex, kind: Cell, n: u32) -> Option<CellIndex> {
        let cells = grid.cells();
        debug_assert_ne!(cells[centre as usize], kind, "centre holds the kind sought");
        let c = centre as isize;
        let mut left = n as usize;
        for seg in &self.segments {
            let from = (c + seg.start) as usize;
            let row = &cells[from..from + seg.len];
            // Whole rows are skipped with a branch-free count; only the row
            // holding the answer is searched cell by cell.
            let here = row.iter().filter(|&&cell| cell == kind).count();
            if left < here {
                let i = row
                    .iter()
                    .enumerate()
                    .filter(|(_, cell)| **cell == kind)
                    .nth(left)
                    .map(|(i, _)| i)?;
                return Some((from + i) as CellIndex);
            }
            left -= here;
        }
        None
    }
}

/// Half the width of the row `dy` rows from the centre.
fn half_width(shape: NeighbourhoodShape, r: isize, dy: isize) -> isize {
    match shape {
        NeighbourhoodShape::VonNeumann => r - dy.abs(),
        NeighbourhoodShape::Moore => r,
        NeighbourhoodShape::Euclidean => {
            // Largest dx with dx² + dy² ≤ r², in integers (no float rounding).
            let rest = r * r - dy * dy;
            let mut dx = (rest as f64).sqrt() as isize;
            while dx * dx > rest {
                dx -= 1;
            }
            while (dx + 1) * (dx + 1) <= rest {
                dx += 1;
            }
            dx
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{TerrainMap, Topology};

    #[test]
    fn sizes_match_mesa_and_netlogo_at_radius_7() {
        let s = 100;
        assert_eq!(
            Neighbourhood::new(NeighbourhoodShape::VonNeumann, 7, s).len(),
            112
        );
        assert_eq!(
            Neighbourhood::new(NeighbourhoodShape::Moore, 7, s).len(),
            224
        );
        assert_eq!(
            Neighbourhood::new(NeighbourhoodShape::Euclidean, 7, s).len(),
            148
        );
    }

    /// Brute force over coordinates with explicit wrapping, as a reference.
    fn brute_count(grid: &Grid, shape: NeighbourhoodShape, r: isize, x: usize, y: usize) -> Counts {
        let (w, h) = (grid.width() as isize, grid.height() as isize);
        let mut c = Counts::default();
        for dy in -r..=r {
            for dx in -r..=r {
                let inside = match shape {
                    NeighbourhoodShape::VonNeumann => dx.abs() + dy.abs() <= r,
                    NeighbourhoodShape::Moore => true,
                    NeighbourhoodShape::Euclidean => dx * dx + dy * dy <= r * r,
                };
                if !inside || (dx == 0 && dy == 0) {
                    continue;
                }
                let nx = (x as isize + dx).rem_euclid(w) as usize;
                let ny = (y as isize + dy).rem_euclid(h) as usize;
                match grid.cell(grid.index(nx, ny)) {
                    Cell::Cop => c.cops += 1,
                    Cell::Active => c.actives += 1,
                    Cell::Empty => c.empties += 1,
                    _ => {}
                }
            }
        }
        c
    }

    #[test]
    fn counts_match_brute_force_on_a_torus() {
        let (w, h) = (17usize, 15usize);
        let mut grid = Grid::new(&TerrainMap::open(w as u32, h as u32), Topology::Torus, 7);
        // A deterministic pseudo-random fill.
        let kinds = [
            Cell::Empty,
            Cell::Quiet,
            Cell::Active,
            Cell::Jailed,
            Cell::Cop,
        ];
        let mut s = 12345u64;
        for y in 0..h {
            for x in 0..w {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let k = kinds[(s >> 33) as usize % kinds.len()];
                let idx = grid.index(x, y);
                grid.set(idx, k, (y * w + x) as u32);
            }
        }
        for shape in [
            NeighbourhoodShape::VonNeumann,
            NeighbourhoodShape::Moore,
            NeighbourhoodShape::Euclidean,
        ] {
            let nb = Neighbourhood::new(shape, 7, grid.stride());
            for y in 0..h {
                for x in 0..w {
                    let got = nb.count(&grid, grid.index(x, y));
                    assert_eq!(
                        got,
                        brute_count(&grid, shape, 7, x, y),
                        "{shape:?} at ({x},{y})"
                    );
                    // nth visits exactly `count` cells of each kind.
                    let idx = grid.index(x, y);
                    for (kind, n) in [
                        (Cell::Cop, got.cops),
                        (Cell::Active, got.actives),
                        (Cell::Empty, got.empties),
                    ] {
                        if grid.cell(idx) == kind {
                            continue; // nth's precondition: the centre holds the asker
                        }
                        for i in 0..n {
                            let found = nb.nth(&grid, idx, kind, i).expect("nth within count");
                            assert_eq!(grid.cell(found), kind);
                        }
                        assert_eq!(nb.nth(&grid, idx, kind, n), None);
                    }
                }
            }
        }
    }

    #[test]
    fn bounded_grid_cuts_the_neighbourhood_at_the_edge() {
        let grid = Grid::new(&TerrainMap::open(10, 10), Topology::Bounded, 3);
        let nb = Neighbourhood::new(NeighbourhoodShape::Moore, 3, grid.stride());
        // Corner: a 4×4 quarter of the square minus the centre, all empty.
        assert_eq!(nb.count(&grid, grid.index(0, 0)).empties, 15);
        assert_eq!(nb.count(&grid, grid.index(5, 5)).empties, 48);
    }
}
