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

/// Rows of the largest mission neighbourhood (radius [`MAX_MISSION_RADIUS`]).
const MAX_MISSION_ROWS: usize = 2 * MAX_MISSION_RADIUS + 1;

/// Empty cells counted up to the end of each row of a mission
/// neighbourhood, centre included, as [`Neighbourhood::count_mission_rows`]
/// left them: where a draw on the same, unchanged grid may go straight to
/// the row that holds the `n`-th empty cell
/// ([`Neighbourhood::random_empty_by_rows`]).
#[derive(Debug, Clone, Copy)]
pub struct EmptiesByRow {
    upto: [u16; MAX_MISSION_ROWS],
}

impl Default for EmptiesByRow {
    fn default() -> Self {
        Self {
            upto: [0; MAX_MISSION_ROWS],
        }
    }
}

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

    /// [`Self::count_mission`], also keeping in `rows` the empty cells
    /// counted up to the end of each row, for a draw that follows on the
    /// same grid ([`Self::random_empty_by_rows`]). The radius must be at
    /// most [`MAX_MISSION_RADIUS`].
    #[inline]
    pub fn count_mission_rows(
        &self,
        grid: &Grid,
        centre: CellIndex,
        rows: &mut EmptiesByRow,
    ) -> MissionCounts {
        // Every row must have its place (the zip below would drop rows).
        assert!(self.segments.len() <= MAX_MISSION_ROWS);
        let cells = grid.cells();
        let c = centre as isize;
        let mut sum = 0u64;
        for (seg, upto) in self.segments.iter().zip(rows.upto.iter_mut()) {
            let from = (c + seg.start) as usize;
            for &cell in &cells[from..from + seg.len] {
                sum += MISSION_WEIGHT[cell as usize];
            }
            *upto = ((sum >> (2 * MISSION_BITS)) & MISSION_MASK) as u16;
        }
        let sum = sum - MISSION_WEIGHT[cells[centre as usize] as usize];
        let field = |k: u32| ((sum >> (k * MISSION_BITS)) & MISSION_MASK) as u32;
        MissionCounts {
            units: field(0),
            actives: field(1),
            empties: field(2),
            fighters: field(3),
            civilians: field(4),
        }
    }

    /// [`Self::random_empty`] on a grid unchanged since
    /// [`Self::count_mission_rows`] counted `rows` around `centre` (its
    /// centre aside, which holds the agent asking and is not empty either
    /// way): the same draw and the same cell, but only the row holding it is
    /// scanned.
    pub fn random_empty_by_rows<R: rand::Rng>(
        &self,
        grid: &Grid,
        rng: &mut R,
        centre: CellIndex,
        empties: u32,
        rows: &EmptiesByRow,
    ) -> Option<CellIndex> {
        use rand::RngExt;
        if empties == 0 {
            return None;
        }
        let n = rng.random_range(0..empties);
        let cell = self.nth_empty_by_rows(grid, centre, n, rows)?;
        Some(grid.canonical(cell))
    }

    /// `nth(grid, centre, Cell::Empty, n)` from the row counts `rows` of
    /// the same grid: the first row whose count to its end exceeds `n`
    /// holds the cell, the `n − (count before the row)`-th empty one in it.
    #[inline]
    fn nth_empty_by_rows(
        &self,
        grid: &Grid,
        centre: CellIndex,
        n: u32,
        rows: &EmptiesByRow,
    ) -> Option<CellIndex> {
        let cells = grid.cells();
        debug_assert_ne!(cells[centre as usize], Cell::Empty, "centre is empty");
        let upto = &rows.upto[..self.segments.len()];
        let row = upto.partition_point(|&k| u32::from(k) <= n);
        let seg = self.segments.get(row)?;
        let before = if row == 0 {
            0
        } else {
            u32::from(upto[row - 1])
        };
        let from = (centre as isize + seg.start) as usize;
        nth_in_row(cells, from, seg.len, Cell::Empty, (n - before) as usize).ok()
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
            match nth_in_row(cells, from, seg.len, kind, left) {
                Ok(cell) => return Some(cell),
                Err(rest) => left = rest,
            }
        }
        None
    }
}

/// The `left`-th cell (0-based) holding `kind` among cells `from .. from +
/// len`, or, if there are not that many, `left` less the number there.
#[inline]
fn nth_in_row(
    cells: &[Cell],
    from: usize,
    len: usize,
    kind: Cell,
    mut left: usize,
) -> Result<CellIndex, usize> {
    // Eight cells at a time, without a branch per cell: byte j of `upto`
    // counts the matches among the word's bytes 0..=j (a multiply adds each
    // byte's 0 or 1 into every byte above it; at most 8, so no byte
    // overflows), the top byte all of them.
    for at in (from..from + len).step_by(8) {
        let lanes = (from + len - at).min(8);
        let hits = matches(word(cells, at), kind) & first_bytes(lanes);
        let upto = (hits >> 7).wrapping_mul(ONES);
        let here = (upto >> 56) as usize;
        if left < here {
            // The answer is the first byte counting more than `left`
            // matches: adding 127 − left to every count sets the top bit
            // of exactly those bytes (no carry: at most 8 + 127).
            let past = upto.wrapping_add(ONES * (0x7f - left as u64)) & !LOW7;
            let byte = past.trailing_zeros() as usize / 8;
            return Ok((at + byte) as CellIndex);
        }
        left -= here;
    }
    Err(left)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Cells `at .. at + 8` as the bytes of one word, cell `at` in the lowest
/// byte; cells past the end of the array read as walls.
#[inline]
fn word(cells: &[Cell], at: usize) -> u64 {
    match cells.get(at..at + 8) {
        // One 8-byte load once optimised.
        Some(eight) => {
            let eight: &[Cell; 8] = eight.try_into().expect("eight cells");
            u64::from_le_bytes(eight.map(|cell| cell as u8))
        }
        None => {
            let mut bytes = [Cell::Wall as u8; 8];
            for (b, &cell) in bytes.iter_mut().zip(&cells[at..]) {
                *b = cell as u8;
            }
            u64::from_le_bytes(bytes)
        }
    }
}

/// The top bit of every byte of `w` that equals `kind`, and no other bit.
/// Exact (no borrow between bytes): a byte's low seven bits plus 0x7f set
/// its top bit unless they are all zero, and the byte's own top bit is
/// or-ed in.
#[inline]
fn matches(w: u64, kind: Cell) -> u64 {
    let x = w ^ (ONES * kind as u64);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Every bit of the lowest `lanes` bytes (1 ≤ `lanes` ≤ 8).
#[inline]
fn first_bytes(lanes: usize) -> u64 {
    u64::MAX >> (64 - 8 * lanes)
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

    /// The scan `nth` replaced: cell by cell, row by row.
    fn nth_plain(
        nb: &Neighbourhood,
        grid: &Grid,
        centre: CellIndex,
        kind: Cell,
        n: u32,
    ) -> Option<CellIndex> {
        let mut left = n;
        for seg in &nb.segments {
            let from = (centre as isize + seg.start) as usize;
            for at in from..from + seg.len {
                if grid.cells()[at] == kind {
                    if left == 0 {
                        return Some(at as CellIndex);
                    }
                    left -= 1;
                }
            }
        }
        None
    }

    /// A grid filled with every cell kind, in proportions `weights` (one
    /// per kind of `KINDS`), from a fixed pseudo-random sequence.
    fn random_grid(w: usize, h: usize, topology: Topology, pad: usize, weights: [u64; 7]) -> Grid {
        const KINDS: [Cell; 7] = [
            Cell::Empty,
            Cell::Quiet,
            Cell::Active,
            Cell::Jailed,
            Cell::Cop,
            Cell::Wall,
            Cell::Fighter,
        ];
        let mut grid = Grid::new(&TerrainMap::open(w as u32, h as u32), topology, pad);
        let total: u64 = weights.iter().sum();
        let mut s = (w * 1000 + h + pad) as u64;
        for y in 0..h {
            for x in 0..w {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let mut pick = (s >> 33) % total;
                let k = weights
                    .iter()
                    .position(|&wt| {
                        let here = pick < wt;
                        pick = pick.saturating_sub(wt);
                        here
                    })
                    .expect("pick below the total");
                let idx = grid.index(x, y);
                grid.set(idx, KINDS[k], (y * w + x) as u32);
            }
        }
        grid
    }

    #[test]
    fn nth_finds_the_cell_the_plain_scan_finds() {
        // Rows shorter and longer than a word, every shape and kind, on
        // both topologies; crowded and sparse fills; centres at the edges,
        // where the last row of a neighbourhood ends at the array's end.
        let fills = [
            [4, 3, 2, 1, 2, 1, 1],
            [1, 8, 1, 0, 1, 1, 1],
            [20, 1, 0, 0, 1, 0, 1],
        ];
        let mut checked = 0;
        for (topology, (w, h)) in [(Topology::Bounded, (13, 9)), (Topology::Torus, (19, 21))] {
            for r in [1usize, 3, 4, 8, 9] {
                if topology == Topology::Torus && 2 * r >= w.min(h) {
                    continue;
                }
                for fill in fills {
                    let grid = random_grid(w, h, topology, r, fill);
                    for shape in [
                        NeighbourhoodShape::VonNeumann,
                        NeighbourhoodShape::Moore,
                        NeighbourhoodShape::Euclidean,
                    ] {
                        let nb = Neighbourhood::new(shape, r, grid.stride());
                        for y in 0..h {
                            for x in 0..w {
                                let idx = grid.index(x, y);
                                for kind in [Cell::Empty, Cell::Active, Cell::Cop, Cell::Fighter] {
                                    if grid.cell(idx) == kind {
                                        continue;
                                    }
                                    for n in 0..=nb.len() as u32 {
                                        let want = nth_plain(&nb, &grid, idx, kind, n);
                                        assert_eq!(
                                            nb.nth(&grid, idx, kind, n),
                                            want,
                                            "{shape:?} r {r} at ({x},{y}) {kind:?} n {n}"
                                        );
                                        checked += 1;
                                        if want.is_none() {
                                            break;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn draws_by_rows_find_the_cell_the_live_scan_finds() {
        // Every shape, radii from 1 to the mission's largest, both
        // topologies, crowded and sparse fills; every centre not empty,
        // every draw: the same counts as `count_mission` and the same cell
        // as `nth` of the n-th empty cell.
        use rand::SeedableRng;
        let fills = [
            [4, 3, 2, 1, 2, 1, 1],
            [1, 8, 1, 0, 1, 1, 1],
            [20, 1, 0, 0, 1, 0, 1],
        ];
        let mut checked = 0;
        for (topology, (w, h)) in [(Topology::Bounded, (13, 9)), (Topology::Torus, (19, 21))] {
            for r in [1usize, 2, 4, 9, MAX_MISSION_RADIUS] {
                if topology == Topology::Torus && 2 * r >= w.min(h) {
                    continue;
                }
                for fill in fills {
                    let grid = random_grid(w, h, topology, r, fill);
                    for shape in [
                        NeighbourhoodShape::VonNeumann,
                        NeighbourhoodShape::Moore,
                        NeighbourhoodShape::Euclidean,
                    ] {
                        let nb = Neighbourhood::new(shape, r, grid.stride());
                        // Rows left over from another centre must not show.
                        let mut rows = EmptiesByRow {
                            upto: [u16::MAX; MAX_MISSION_ROWS],
                        };
                        for y in 0..h {
                            for x in 0..w {
                                let idx = grid.index(x, y);
                                if grid.cell(idx) == Cell::Empty {
                                    continue;
                                }
                                let counts = nb.count_mission_rows(&grid, idx, &mut rows);
                                assert_eq!(counts, nb.count_mission(&grid, idx));
                                for n in 0..=counts.empties + 1 {
                                    assert_eq!(
                                        nb.nth_empty_by_rows(&grid, idx, n, &rows),
                                        nb.nth(&grid, idx, Cell::Empty, n),
                                        "{shape:?} r {r} at ({x},{y}) n {n}"
                                    );
                                    checked += 1;
                                }
                                // The same draw, the same generator state after.
                                let (mut a, mut b) = (
                                    crate::rng::SimRng::seed_from_u64(checked),
                                    crate::rng::SimRng::seed_from_u64(checked),
                                );
                                let e = counts.empties;
                                assert_eq!(
                                    nb.random_empty_by_rows(&grid, &mut a, idx, e, &rows),
                                    nb.random_empty(&grid, &mut b, idx, e)
                                );
                                assert_eq!(a, b);
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 50_000, "{checked}");
    }

    #[test]
    fn matches_marks_exactly_the_bytes_of_the_kind() {
        let kinds = [
            Cell::Empty,
            Cell::Quiet,
            Cell::Active,
            Cell::Cop,
            Cell::Fighter,
            Cell::Wall,
        ];
        for kind in kinds {
            for lane in 0..8 {
                for byte in 0..=255u64 {
                    // The byte under test in one lane, its neighbours the
                    // kind itself and its complement, to catch any borrow.
                    for fill in [kind as u64, !(kind as u64) & 0xff] {
                        let mut w = fill * ONES;
                        w &= !(0xff << (8 * lane));
                        w |= byte << (8 * lane);
                        let got = matches(w, kind);
                        for b in 0..8 {
                            let v = (w >> (8 * b)) & 0xff;
                            let bit = (got >> (8 * b)) & 0xff;
                            assert_eq!(
                                bit,
                                if v == kind as u64 { 0x80 } else { 0 },
                                "{w:#x} {kind:?}"
                            );
                        }
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
