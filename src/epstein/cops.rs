//! Cops: Epstein's rule C (arrest one active citizen within vision) and
//! rule M (move). The decision logic lives in [`super::step`]; this is their state.

use crate::world::CellIndex;

/// All cops, struct-of-arrays.
#[derive(Debug, Clone, Default)]
pub struct Cops {
    /// Current cell of each cop still on duty.
    pub cell: Vec<CellIndex>,
    /// Whether the cop is still on duty (false after a cop reduction).
    pub on_duty: Vec<bool>,
}

impl Cops {
    /// Adds a cop on `cell`; returns its index among cops.
    pub fn push(&mut self, cell: CellIndex) -> u32 {
        self.cell.push(cell);
        self.on_duty.push(true);
        (self.cell.len() - 1) as u32
    }

    /// Number of cops ever created (on duty or not).
    pub fn len(&self) -> usize {
        self.cell.len()
    }

    /// Whether no cop was ever created.
    pub fn is_empty(&self) -> bool {
        self.cell.is_empty()
    }

    /// Number of cops on duty.
    pub fn on_duty_count(&self) -> usize {
        self.on_duty.iter().filter(|&&d| d).count()
    }
}
