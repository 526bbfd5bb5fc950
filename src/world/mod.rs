//! Space: the grid of cells and the neighbourhoods agents see.

mod grid;
mod neighbourhood;

pub use grid::{CELL_KINDS, Cell, CellIndex, Grid, NO_CELL};
pub use neighbourhood::{Counts, EmptiesByRow, MissionCounts, Neighbourhood};
