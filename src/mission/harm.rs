//! Harm: killing people in an agent's group and logging the event, with its
//! perpetrator, where civilians can witness it. Perceptions read only these
//! layers, so attribution is explicit (see `docs/ODD.md` §trust). Also
//! the choice of a victim among the civilians in view.

use rand::RngExt;

use super::state::{MissionState, NO_FACTION, Perpetrator, Status};
use crate::rng::SimRng;
use crate::world::{Cell, CellIndex, Grid, NO_CELL, Neighbourhood};

impl MissionState {
    /// Share of a harm by `perp` that civilians blame on the mission.
    pub(crate) fn attribution(&self, perp: Perpetrator) -> f64 {
        let c = &self.rules.config.civilians;
        match perp {
            Perpetrator::Faction(_) => 0.0,
            Perpetrator::Mission | Perpetrator::Qrf => 1.0,
            Perpetrator::Pmc => c.attribution_pmc,
            Perpetrator::CounterTerror => c.attribution_ct,
            Perpetrator::Police => c.attribution_police,
            Perpetrator::External => self.rules.derived.association,
        }
    }

    /// Logs a harm of weight `deaths` by `perp` at `cell` for today's
    /// perception update.
    pub(crate) fn record_harm(&mut self, cell: CellIndex, deaths: f64, perp: Perpetrator) {
        if deaths <= 0.0 || cell == NO_CELL {
            return;
        }
        let i = self.map.grid.interior(cell);
        let w = deaths as f32;
        let attributed = self.attribution(perp) as f32;
        let l = &mut self.layers;
        l.harm_total.add(i, w);
        l.harm_attributed.add(i, w * attributed);
        match perp {
            Perpetrator::Faction(f) => l.harm_faction[f as usize].add(i, w),
            _ => l.harm_backlash.add(i, w),
        }
    }

    /// Logs a coercive act (an arrest) of weight `weight` (death
    /// equivalents) by `perp` at `cell`: witnesses blame it on the mission
    /// as they would a harm and it feeds backlash, but nobody died, so it
    /// adds no danger.
    pub(crate) fn record_coercion(&mut self, cell: CellIndex, weight: f64, perp: Perpetrator) {
        if weight <= 0.0 || cell == NO_CELL {
            return;
        }
        let i = self.map.grid.interior(cell);
        let w = weight as f32;
        let attributed = self.attribution(perp) as f32;
        let l = &mut self.layers;
        l.harm_attributed.add(i, w * attributed);
        l.harm_backlash.add(i, w);
        let k = self.sector_of(cell);
        let owed = self.rules.config.fighters.revenge_attacks;
        self.sectors[k].revenge += owed * weight * self.attribution(perp);
    }

    /// Kills up to `deaths` people of agent `victim`'s group (civilians or
    /// fighters) by `perp`, logs the harm, and marks surviving civilians as
    /// harmed. Returns the number killed.
    pub(crate) fn kill(&mut self, victim: u32, deaths: u32, perp: Perpetrator) -> f64 {
        let i = victim as usize;
        if deaths == 0 || self.civilians.status[i] == Status::Dead {
            return 0.0;
        }
        let members = f64::from(self.civilians.members[i]);
        let killed = f64::from(deaths).min(members);
        let left = members - killed;
        let fighter = self.civilians.status[i] == Status::Recruited;
        if fighter {
            self.today.fighter_deaths += killed;
        } else {
            self.today.civilian_deaths[perp.class()] += killed;
            self.totals.civilian_deaths += killed;
        }
        let cell = self.civilians.cell[i];
        // Civilians killed by the mission (as far as it is blamed) call
        // for revenge on it (M2.4a); fighters' deaths do not.
        if !fighter && cell != NO_CELL {
            let k = self.sector_of(cell);
            let owed = self.rules.config.fighters.revenge_per_death;
            self.sectors[k].revenge += owed * killed * self.attribution(perp);
        }
        self.record_harm(cell, killed, perp);
        // Losses are remembered as a share of the group.
        self.civilians.loss[i] += (killed / members.max(1.0)) as f32;
        if left < 0.5 {
            // The remnant (under half a person) dies with the group, so
            // people stay conserved.
            self.totals.dead += members;
            self.civilians.members[i] = 0.0;
            self.set_dead(victim);
        } else {
            self.totals.dead += killed;
            self.civilians.members[i] = left as f32;
            if !fighter && self.civilians.status[i] != Status::Detained {
                self.set_harmed(victim);
            }
        }
        killed
    }

    fn set_dead(&mut self, id: u32) {
        let i = id as usize;
        let cell = self.civilians.cell[i];
        if cell != NO_CELL {
            self.map.grid.set(cell, Cell::Empty, u32::MAX);
        }
        self.civilians.cell[i] = NO_CELL;
        self.civilians.status[i] = Status::Dead;
        self.civilians.faction[i] = NO_FACTION;
    }

    fn set_harmed(&mut self, id: u32) {
        let i = id as usize;
        self.civilians.status[i] = Status::Harmed;
        self.civilians.timer[i] = self
            .rules
            .config
            .civilians
            .recovery_days
            .min(u32::from(u16::MAX)) as u16;
        let cell = self.civilians.cell[i];
        if cell != NO_CELL {
            self.map.grid.set(cell, Cell::Quiet, id);
        }
    }

    /// Sets a civilian's status and its grid code (on-grid statuses only).
    pub(crate) fn set_status(&mut self, id: u32, status: Status) {
        let i = id as usize;
        self.civilians.status[i] = status;
        let cell = self.civilians.cell[i];
        if cell == NO_CELL {
            return;
        }
        let code = match status {
            Status::Active => Cell::Active,
            Status::Recruited => Cell::Fighter,
            _ => Cell::Quiet,
        };
        self.map.grid.set(cell, code, id);
    }

    /// Takes agent `id` off the grid into detention for `days`.
    pub(crate) fn detain(&mut self, id: u32, days: u32) {
        let i = id as usize;
        let cell = self.civilians.cell[i];
        if cell != NO_CELL {
            self.map.grid.set(cell, Cell::Empty, u32::MAX);
            self.civilians.home[i] = cell;
        }
        self.civilians.cell[i] = NO_CELL;
        self.civilians.status[i] = Status::Detained;
        self.civilians.timer[i] = days.min(u32::from(u16::MAX)) as u16;
    }

    /// Moves agent `id` (on the grid) to the empty cell `to`.
    pub(crate) fn move_agent(&mut self, id: u32, to: CellIndex) {
        let i = id as usize;
        let from = self.civilians.cell[i];
        let code = self.map.grid.cell(from);
        self.map.grid.set(from, Cell::Empty, u32::MAX);
        self.map.grid.set(to, code, id);
        self.civilians.cell[i] = to;
    }
}

/// A random civilian (quiescent or active) among the `civilians` in
/// `view` of `at`, drawn from `rng` (the stream of the process asking).
pub fn nth_civilian(
    grid: &Grid,
    view: &Neighbourhood,
    rng: &mut SimRng,
    at: CellIndex,
    civilians: u32,
) -> Option<u32> {
    if civilians == 0 {
        return None;
    }
    let n = rng.random_range(0..civilians);
    // Quiet cells are numbered first, then active ones: a uniform choice
    // over both kinds.
    let seen = view.count_mission(grid, at);
    let quiet = seen.civilians - seen.actives;
    let (kind, k) = if n < quiet {
        (Cell::Quiet, n)
    } else {
        (Cell::Active, n - quiet)
    };
    let cell = view.nth(grid, at, kind, k)?;
    Some(grid.occupant(cell))
}
