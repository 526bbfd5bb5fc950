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

/// One day of one replicate on the interior grid (row-major, row 0 first).
#[derive(Debug, Clone, PartialEq)]
pub struct MapFrame {
    /// The day.
    pub tick: u32,
    /// Grid width in cells.
    pub width: usize,
    /// Grid height in cells.
    pub height: usize,
    /// Control of each cell; `None` where nobody can stand (sea, border,
    /// buffer zone, blocked).
    pub control: Vec<Option<Control>>,
    /// Incidents in each cell since the previous frame.
    pub incidents: Vec<u32>,
    /// Mean trust in the mission of the civilian agents in each cell,
    /// weighted by the people they stand for; NaN where there are none.
    pub trust: Vec<f32>,
}

impl MissionState {
    /// Starts counting incidents per cell for [`MissionState::take_frame`]
    /// (off by default, so a run without frames does not pay for it).
    pub fn record_frames(&mut self) {
        self.incident_map = Some(vec![0; self.map.grid.width() * self.map.grid.height()]);
    }

    /// Today's [`MapFrame`], with the incidents counted since the last
    /// frame (or since [`MissionState::record_frames`]); the counts start
    /// again from zero.
    ///
    /// # Panics
    /// If [`MissionState::record_frames`] was not called first.
    pub fn take_frame(&mut self) -> MapFrame {
        let counts = self.incident_map.as_mut().expect("recording incidents");
        let counted = std::mem::replace(counts, vec![0; counts.len()]);
        snapshot(self, &counted)
    }
}

/// Takes a snapshot of `s` with `incidents` counted since the last one.
/// "Nearby" is within a resident's sight (the witness radius): the side a
/// civilian there sees more of holds the cell.
pub fn snapshot(s: &MissionState, incidents: &[u32]) -> MapFrame {
    let (w, h) = (s.map.grid.width(), s.map.grid.height());
    let n = w * h;
    let r = s.rules.derived.witness_cells;
    let mut units = Layer::new(w, h);
    for u in 0..s.units.len() {
        if s.units.on_duty[u] {
            units.add(s.map.grid.interior(s.units.cell[u]), 1.0);
        }
    }
    let mut fighters = Layer::new(w, h);
    let mut people = vec![0.0f64; n];
    let mut trust_sum = vec![0.0f64; n];
    let c = &s.civilians;
    for i in 0..c.len() {
        let at = s.map.grid.interior(c.cell[i]);
        match c.status[i] {
            Status::Recruited => fighters.add(at, 1.0),
            Status::Quiescent | Status::Active | Status::Harmed => {
                let m = f64::from(c.members[i]);
                people[at] += m;
                trust_sum[at] += m * f64::from(c.trust[i]);
            }
            Status::Detained | Status::Displaced | Status::Dead => {}
        }
    }
    let mut table = Vec::new();
    let (mut units_near, mut fighters_near) = (Layer::new(w, h), Layer::new(w, h));
    units.box_sum(r, &mut table, &mut units_near);
    fighters.box_sum(r, &mut table, &mut fighters_near);
    let control = (0..n)
        .map(|i| {
            if s.map.grid.cell(s.map.grid.index(i % w, i / w)) == Cell::Wall {
                return None;
            }
            let handed = s.sectors[usize::from(s.map.cell_sector[i])]
                .handed_over
                .is_some();
            let (u, f) = (units_near.get(i), fighters_near.get(i));
            Some(if f > u {
                Control::ArmedGroups
            } else if handed {
                Control::Police
            } else if u > f {
                Control::Mission
            } else if u > 0.0 {
                Control::Contested
            } else {
                Control::Nobody
            })
        })
        .collect();
    let trust = people
        .iter()
        .zip(&trust_sum)
        .map(|(&p, &t)| if p > 0.0 { (t / p) as f32 } else { f32::NAN })
        .collect();
    MapFrame {
        tick: s.tick,
        width: w,
        height: h,
        control,
        incidents: incidents.to_vec(),
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
}
