//! Snapshots of one replicate on the map, for maps and animations: who
//! holds each cell, where incidents happened, and the trust of the people
//! there. Read-only views of the state; recording them changes nothing in
//! the run (the series is the same bytes with or without frames).

use super::field::Layer;
use super::state::{MissionState, Status};
use crate::world::Cell;

/// Who holds a cell on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Control {
    /// In a sector handed over to the local police, fighters not the
    /// majority nearby.
    Police = 0,
    /// More security units (mission or police) than fighter agents nearby.
    Mission = 1,
    /// As many of each nearby (and some).
    Contested = 2,
    /// More fighter agents than security units nearby.
    ArmedGroups = 3,
    /// Neither nearby.
    Nobody = 4,
}

impl Control {
    /// Every value, in code order.
    pub const ALL: [Control; 5] = [
        Control::Police,
        Control::Mission,
        Control::Contested,
        Control::ArmedGroups,
        Control::Nobody,
    ];

    /// Label for legends and CSV.
    pub fn label(self) -> &'static str {
        match self {
            Control::Police => "police (handed over)",
            Control::Mission => "mission",
            Control::Contested => "contested",
            Control::ArmedGroups => "armed groups",
            Control::Nobody => "no presence",
        }
    }

    /// The code written to `frames.csv`.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The control with CSV code `code`, if any.
    pub fn from_code(code: u8) -> Option<Control> {
        Control::ALL.get(usize::from(code)).copied()
    }
}

/// Most cells a recorded map frame holds (256 × 256). A larger grid (a
/// refined world: `world.refine`, or a large map) is recorded in square
/// blocks of cells ([`frame_block`]): a year of the million-agent Gaza
/// world held 1.4 GB of frames at its 3.6 M cells, and a map chart a few
/// hundred pixels across cannot show them anyway.
pub const MAX_FRAME_CELLS: usize = 1 << 16;

/// Side, in cells, of the square blocks one cell of a recorded frame
/// stands for on a `width × height` grid: 1 (every cell) up to
/// [`MAX_FRAME_CELLS`] cells, else the smallest side whose blocks (those at
/// the right and bottom edges may be cut short) number at most that.
pub fn frame_block(width: usize, height: usize) -> usize {
    let mut block = 1;
    while width.div_ceil(block) * height.div_ceil(block) > MAX_FRAME_CELLS {
        block += 1;
    }
    block
}

/// One day of one replicate on the interior grid (row-major, row 0 first),
/// or on its blocks of cells (see [`MissionState::take_frame_in_blocks`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MapFrame {
    /// The day.
    pub tick: u32,
    /// Grid width in cells (blocks).
    pub width: usize,
    /// Grid height in cells (blocks).
    pub height: usize,
    /// Control of each cell; `None` where nobody can stand (sea, border,
    /// buffer zone, blocked). A block: the control of most of its
    /// passable cells (a tie goes to the lowest [`Control::code`]); `None`
    /// where none is passable.
    pub control: Vec<Option<Control>>,
    /// Incidents in each cell (block) since the previous frame.
    pub incidents: Vec<u32>,
    /// Mean trust in the mission of the civilian agents in each cell
    /// (block), weighted by the people they stand for; NaN where there are
    /// none.
    pub trust: Vec<f32>,
}

impl MissionState {
    /// Starts counting incidents per cell for [`MissionState::take_frame`]
    /// (off by default, so a run without frames does not pay for it).
    pub fn record_frames(&mut self) {
        self.incident_map = Some(vec![0; self.map.grid.width() * self.map.grid.height()]);
    }

    /// Today's [`MapFrame`] of every cell, with the incidents counted since
    /// the last frame (or since [`MissionState::record_frames`]); the
    /// counts start again from zero.
    ///
    /// # Panics
    /// If [`MissionState::record_frames`] was not called first.
    pub fn take_frame(&mut self) -> MapFrame {
        self.take_frame_in_blocks(1)
    }

    /// Like [`MissionState::take_frame`], with each `block × block` square
    /// of cells (from the top left; cut short at the right and bottom
    /// edges) as one cell of the frame: what a frame held for a whole run
    /// is recorded with ([`frame_block`]). A block of 1 is
    /// [`MissionState::take_frame`].
    ///
    /// # Panics
    /// If [`MissionState::record_frames`] was not called first, or `block`
    /// is 0.
    pub fn take_frame_in_blocks(&mut self, block: usize) -> MapFrame {
        let counts = self.incident_map.as_mut().expect("recording incidents");
        let counted = std::mem::replace(counts, vec![0; counts.len()]);
        snapshot(self, &counted, block)
    }
}

/// Takes a snapshot of `s` with `incidents` (per cell) counted since the
/// last one, in `block × block` squares of cells. "Nearby" is within a
/// resident's sight (the witness radius): the side a civilian there sees
/// more of holds the cell.
pub fn snapshot(s: &MissionState, incidents: &[u32], block: usize) -> MapFrame {
    assert!(block > 0, "a block has at least one cell");
    let (w, h) = (s.map.grid.width(), s.map.grid.height());
    let n = w * h;
    let (fw, fh) = (w.div_ceil(block), h.div_ceil(block));
    let to_block = |i: usize| (i / w / block) * fw + (i % w) / block;
    let r = s.rules.derived.witness_cells;
    let mut units = Layer::new(w, h);
    for u in 0..s.units.len() {
        if s.units.on_duty[u] {
            units.add(s.map.grid.interior(s.units.cell[u]), 1.0);
        }
    }
    let mut fighters = Layer::new(w, h);
    // People and their trust are summed per block in agent order, so a
    // block of one cell sums exactly what a cell did.
    let mut people = vec![0.0f64; fw * fh];
    let mut trust_sum = vec![0.0f64; fw * fh];
    let c = &s.civilians;
    for i in 0..c.len() {
        let at = s.map.grid.interior(c.cell[i]);
        match c.status[i] {
            Status::Recruited => fighters.add(at, 1.0),
            Status::Quiescent | Status::Active | Status::Harmed => {
                let m = f64::from(c.members[i]);
                people[to_block(at)] += m;
                trust_sum[to_block(at)] += m * f64::from(c.trust[i]);
            }
            Status::Detained | Status::Displaced | Status::Dead => {}
        }
    }
    let mut table = Vec::new();
    let (mut units_near, mut fighters_near) = (Layer::new(w, h), Layer::new(w, h));
    units.box_sum(r, &mut table, &mut units_near);
    fighters.box_sum(r, &mut table, &mut fighters_near);
    // Each block's passable cells by control, and its incidents.
    let mut tally = vec![[0u32; Control::ALL.len()]; fw * fh];
    let mut block_incidents = vec![0u32; fw * fh];
    assert_eq!(incidents.len(), n, "incidents of every cell");
    for (i, &counted) in incidents.iter().enumerate() {
        let b = to_block(i);
        block_incidents[b] += counted;
        if s.map.grid.cell(s.map.grid.index(i % w, i / w)) == Cell::Wall {
            continue;
        }
        let handed = s.sectors[usize::from(s.map.cell_sector[i])]
            .handed_over
            .is_some();
        let (u, f) = (units_near.get(i), fighters_near.get(i));
        let control = if f > u {
            Control::ArmedGroups
        } else if handed {
            Control::Police
        } else if u > f {
            Control::Mission
        } else if u > 0.0 {
            Control::Contested
        } else {
            Control::Nobody
        };
        tally[b][usize::from(control.code())] += 1;
    }
    let control = tally
        .iter()
        .map(|counts| {
            // The first of the most counted: ties go to the lowest code.
            let (k, most) =
                counts.iter().enumerate().fold(
                    (0, 0),
                    |best, (k, &m)| if m > best.1 { (k, m) } else { best },
                );
            (most > 0).then_some(Control::ALL[k])
        })
        .collect();
    let trust = people
        .iter()
        .zip(&trust_sum)
        .map(|(&p, &t)| if p > 0.0 { (t / p) as f32 } else { f32::NAN })
        .collect();
    MapFrame {
        tick: s.tick,
        width: fw,
        height: fh,
        control,
        incidents: block_incidents,
        trust,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_codes_round_trip() {
        for c in Control::ALL {
            assert_eq!(Control::from_code(c.code()), Some(c));
        }
        assert_eq!(Control::from_code(9), None);
    }

    #[test]
    fn frames_of_large_grids_are_recorded_in_blocks() {
        // Every shipped map (Gaza 56 × 160) and a 2-fold refined Gaza fit
        // whole; the million-agent world (1120 × 3200) in 8 × 8 blocks.
        assert_eq!(frame_block(56, 160), 1);
        assert_eq!(frame_block(112, 320), 1);
        assert_eq!(frame_block(256, 256), 1);
        assert_eq!(frame_block(257, 256), 2);
        assert_eq!(frame_block(1120, 3200), 8);
        assert_eq!(frame_block(10_000, 10_000), 40);
        for (w, h) in [(1120, 3200), (10_000, 7), (999, 777)] {
            let b = frame_block(w, h);
            assert!(b > 1 && w.div_ceil(b) * h.div_ceil(b) <= MAX_FRAME_CELLS);
            assert!(w.div_ceil(b - 1) * h.div_ceil(b - 1) > MAX_FRAME_CELLS);
        }
    }

    #[test]
    fn a_frame_in_blocks_adds_up_the_frame_of_every_cell() {
        let s = crate::mission::forces::tests::gaza(&[], 40);
        let (w, h) = (s.map.grid.width(), s.map.grid.height());
        let incidents: Vec<u32> = (0..w * h)
            .map(|i| u32::from(i % 7 == 0) + 2 * u32::from(i % 11 == 0))
            .collect();
        let fine = snapshot(&s, &incidents, 1);
        assert_eq!((fine.width, fine.height), (w, h));
        let b = 3;
        let coarse = snapshot(&s, &incidents, b);
        assert_eq!(
            (coarse.width, coarse.height),
            (w.div_ceil(b), h.div_ceil(b))
        );
        let mut mixed = 0;
        for by in 0..coarse.height {
            for bx in 0..coarse.width {
                let k = by * coarse.width + bx;
                let cells: Vec<usize> = (by * b..((by + 1) * b).min(h))
                    .flat_map(|y| (bx * b..((bx + 1) * b).min(w)).map(move |x| y * w + x))
                    .collect();
                let sum: u32 = cells.iter().map(|&i| fine.incidents[i]).sum();
                assert_eq!(coarse.incidents[k], sum, "block ({bx}, {by})");
                let mut counts = [0; 5];
                for c in cells.iter().filter_map(|&i| fine.control[i]) {
                    counts[usize::from(c.code())] += 1;
                }
                let most = *counts.iter().max().unwrap();
                let first = counts.iter().position(|&c| c == most).unwrap();
                let expected = (most > 0).then_some(Control::ALL[first]);
                assert_eq!(coarse.control[k], expected, "block ({bx}, {by})");
                mixed += usize::from(counts.iter().filter(|&&c| c > 0).count() > 1);
                let trusts: Vec<f32> = cells
                    .iter()
                    .map(|&i| fine.trust[i])
                    .filter(|t| !t.is_nan())
                    .collect();
                let t = coarse.trust[k];
                if trusts.is_empty() {
                    assert!(t.is_nan(), "block ({bx}, {by})");
                } else {
                    let lo = trusts.iter().copied().fold(f32::INFINITY, f32::min);
                    let hi = trusts.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    assert!(lo - 1e-6 <= t && t <= hi + 1e-6, "block ({bx}, {by}): {t}");
                }
            }
        }
        // Blocks of mixed control exist, so the majority was tested.
        assert!(mixed > 0);
    }
}
