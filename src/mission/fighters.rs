//! Fighters and their arms: recruiting civilians into a faction, counting
//! each faction's fighters, its weapons, the coercive pressure on it, and
//! taking fighters into detention. Shared by every actor that recruits,
//! fights or disarms.

use super::state::{Civilians, Factions, MissionState, NO_FACTION, Rules, Status, flag};
use crate::world::{Cell, CellIndex, NO_CELL};

impl MissionState {
    /// Recruits a fighting unit of `fighters.people_per_unit` people from
    /// civilian agent `from` into faction `f`: a new agent on the empty cell
    /// `to`, with `from`'s traits, or `from` itself if its group is no
    /// larger than a unit. Returns the fighter agent, or `None` if a new
    /// agent was needed and there was no room.
    pub(crate) fn split_fighters(
        &mut self,
        from: u32,
        f: u8,
        to: Option<CellIndex>,
    ) -> Option<u32> {
        let i = from as usize;
        let unit = self.rules.config.fighters.people_per_unit as f32;
        if self.civilians.members[i] <= unit {
            self.recruit(from, f);
            return Some(from);
        }
        let to = to?;
        self.civilians.members[i] -= unit;
        let id = self.clone_agent(from, unit, to);
        self.recruit(id, f);
        Some(id)
    }

    /// A new quiescent civilian agent of `members` people on the empty
    /// cell `to` (placed on the grid), with agent `from`'s traits and
    /// attitudes but no job (people split off a group: recruits, released
    /// detainees whose group is gone).
    pub(crate) fn clone_agent(&mut self, from: u32, members: f32, to: CellIndex) -> u32 {
        let i = from as usize;
        let c = &mut self.civilians;
        let id = c.len() as u32;
        c.status.push(Status::Quiescent);
        c.cell.push(to);
        c.home.push(to);
        c.members.push(members);
        c.base_hardship.push(c.base_hardship[i]);
        c.hardship.push(c.hardship[i]);
        c.risk.push(c.risk[i]);
        c.trust.push(c.trust[i]);
        c.trust0.push(c.trust0[i]);
        c.loss.push(c.loss[i]);
        c.resentment.push(c.resentment[i]);
        let nf = self.factions.len();
        for k in 0..nf {
            let v = c.sympathy[i * nf + k];
            c.sympathy.push(v);
        }
        c.faction.push(NO_FACTION);
        c.timer.push(0);
        c.flags.push(c.flags[i] & !flag::EMPLOYED);
        self.map.grid.set(to, Cell::Quiet, id);
        id
    }

    /// Makes agent `id` fighters of faction `f`.
    pub(crate) fn recruit(&mut self, id: u32, f: u8) {
        let i = id as usize;
        self.civilians.status[i] = Status::Recruited;
        self.civilians.faction[i] = f;
        let cell = self.civilians.cell[i];
        if cell != NO_CELL {
            self.map.grid.set(cell, Cell::Fighter, id);
        }
    }

    /// Whether faction `f` has a weapon to spare for one more fighter
    /// agent, as a share in [0, 1].
    pub(crate) fn arms_available(&self, f: usize) -> f64 {
        let spare = self.factions.state[f].arms - self.factions.state[f].fighters;
        (spare / self.rules.config.fighters.people_per_unit).clamp(0.0, 1.0)
    }

    /// Removes up to `weapons` from faction `f` and counts them collected.
    pub(crate) fn collect_weapons(&mut self, f: usize, weapons: f64) {
        let taken = weapons.min(self.factions.state[f].arms).max(0.0);
        self.factions.state[f].arms -= taken;
        self.totals.weapons_collected += taken;
    }
}

/// Phases 2, 9 and 12: fighters (people) per faction and the list of
/// fighter agents on the grid.
pub fn count_fighters(factions: &mut Factions, civilians: &Civilians) {
    for st in &mut factions.state {
        st.fighters = 0.0;
    }
    factions.fighter_ids.clear();
    for i in 0..civilians.len() {
        if civilians.status[i] == Status::Recruited {
            let f = civilians.faction[i] as usize;
            factions.state[f].fighters += f64::from(civilians.members[i]);
            factions.fighter_ids.push(i as u32);
        }
    }
}

/// A fighter agent drawn at random from yesterday's list (a strike or a
/// raid aims at one): its id, cell and faction, or `None` if the drawn
/// agent is no longer a fighter (killed or detained since the count).
pub fn random_fighter(
    factions: &Factions,
    civilians: &Civilians,
    rng: &mut crate::rng::SimRng,
) -> Option<(u32, CellIndex, usize)> {
    use rand::RngExt;
    let k = rng.random_range(0..factions.fighter_ids.len());
    let id = factions.fighter_ids[k];
    let i = id as usize;
    if civilians.status[i] != Status::Recruited {
        return None;
    }
    Some((id, civilians.cell[i], civilians.faction[i] as usize))
}

/// Adds one coercive blow (a raid, a CT raid, a strike) to faction `f`'s
/// pressure, spread over its fighter units: the same blow weighs more on a
/// small faction.
pub fn press(factions: &mut Factions, rules: &Rules, f: usize) {
    let st = &mut factions.state[f];
    let units = (st.fighters / rules.config.fighters.people_per_unit).max(1.0);
    st.pressure += 1.0 / units;
}

/// Detains fighter agent `id`: its weapons are seized and it is held for
/// the detention term.
pub fn detain_fighter(s: &mut MissionState, id: u32) {
    let i = id as usize;
    let f = s.civilians.faction[i] as usize;
    let members = f64::from(s.civilians.members[i]);
    s.collect_weapons(f, members);
    let days = s.rules.config.fighters.detention_days;
    s.detain(id, days);
}
