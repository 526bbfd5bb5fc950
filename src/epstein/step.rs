//! The step: one tick as an ordered list of phases, each a plain function
//! over the state.
//!
//! 1. [`apply_cop_reductions`]: scheduled cuts in the police force;
//! 2. [`shuffle_schedule`]: random sequential activation, reshuffled every tick;
//! 3. [`activate_agents`]: each agent in turn applies its rules to the grid
//!    as the agents before it left it (asynchronous updating);
//! 4. [`count_down_jail_terms`]: NetLogo's end-of-tick countdown, when chosen.
//!
//! Legitimacy L(t) is read from its schedule during phase 3.

use rand::RngExt;
use rand::seq::SliceRandom;

use super::citizens::{CitizenStatus, arrest_probability, is_active};
use super::state::{COP_BIT, SimState};
use crate::rng::SimRng;
use crate::scenario::{CitizenStepOrder, JailCountdown, JailPlacement, JailTermRange};
use crate::world::{Cell, CellIndex, Grid, NO_CELL, Neighbourhood};

impl SimState {
    /// Advances the replicate by one tick.
    pub fn step(&mut self) {
        let t = self.tick + 1;
        apply_cop_reductions(self, t);
        shuffle_schedule(self);
        activate_agents(self, t);
        count_down_jail_terms(self);
        self.tick = t;
    }
}

/// Phase 1: removes the fraction of cops on duty that each reduction
/// scheduled for tick `t` names, chosen uniformly from the events stream.
fn apply_cop_reductions(s: &mut SimState, t: u32) {
    let mut changed = false;
    while let Some(r) = s.reductions.get(s.next_reduction).copied() {
        if r.tick > t {
            break;
        }
        s.next_reduction += 1;
        let on_duty: Vec<usize> = (0..s.cops.len()).filter(|&j| s.cops.on_duty[j]).collect();
        let remove = ((on_duty.len() as f64) * r.fraction).round() as usize;
        let chosen = rand::seq::index::sample(&mut s.rng_events, on_duty.len(), remove);
        for k in chosen.iter() {
            let j = on_duty[k];
            s.cops.on_duty[j] = false;
            s.grid.set(s.cops.cell[j], Cell::Empty, u32::MAX);
            s.cops.cell[j] = NO_CELL;
        }
        changed = true;
    }
    if changed {
        s.rebuild_order();
    }
}

/// Phase 2: a fresh random activation order.
fn shuffle_schedule(s: &mut SimState) {
    s.order.shuffle(&mut s.rng_schedule);
}

/// Phase 3: every agent acts once, in schedule order.
fn activate_agents(s: &mut SimState, t: u32) {
    let legitimacy = s.legitimacy.at(t);
    for i in 0..s.order.len() {
        let agent = s.order[i];
        if agent & COP_BIT != 0 {
            cop_step(s, agent & !COP_BIT);
        } else {
            citizen_step(s, agent, legitimacy);
        }
    }
}

/// Phase 4 (NetLogo's countdown): every jailed citizen's term goes down by
/// one at the end of the tick; those at zero are released.
fn count_down_jail_terms(s: &mut SimState) {
    if s.rules.countdown != JailCountdown::EndOfTick {
        return;
    }
    for id in 0..s.citizens.len() {
        if s.citizens.status[id] != CitizenStatus::Jailed {
            continue;
        }
        let left = &mut s.citizens.jail_left[id];
        *left = left.saturating_sub(1);
        if *left == 0 && return_to_grid(s, id as u32) {
            set_status(s, id as u32, CitizenStatus::Quiescent);
        }
    }
}

/// A citizen's turn: serve jail time, or apply rule A and move (rule M) in
/// the scenario's order.
fn citizen_step(s: &mut SimState, id: u32, legitimacy: f64) {
    let i = id as usize;
    if s.citizens.status[i] == CitizenStatus::Jailed {
        if s.rules.countdown == JailCountdown::EndOfTick {
            return;
        }
        // Mesa: one countdown per own activation; free at the first
        // activation with nothing left to serve.
        if s.citizens.jail_left[i] > 0 {
            s.citizens.jail_left[i] -= 1;
            return;
        }
        if !return_to_grid(s, id) {
            return;
        }
    }
    match s.rules.citizen_step {
        CitizenStepOrder::DecideThenMove => {
            let empties = decide(s, id, legitimacy);
            move_citizen(s, id, empties);
        }
        CitizenStepOrder::MoveThenDecide => {
            let empties = s.citizen_view.count(&s.grid, s.citizens.cell[i]).empties;
            move_citizen(s, id, empties);
            decide(s, id, legitimacy);
        }
    }
}

/// Rule A. Returns the number of empty cells in view (for the move).
fn decide(s: &mut SimState, id: u32, legitimacy: f64) -> u32 {
    let i = id as usize;
    let seen = s.citizen_view.count(&s.grid, s.citizens.cell[i]);
    // The citizen counts itself as active when estimating P (A ≥ 1).
    let p = arrest_probability(
        s.rules.arrest_constant,
        s.rules.rounding,
        seen.cops,
        seen.actives + 1,
    );
    let active = is_active(
        s.citizens.hardship[i],
        s.citizens.risk_aversion[i],
        legitimacy,
        p,
        s.rules.threshold,
    );
    let status = if active {
        CitizenStatus::Active
    } else {
        CitizenStatus::Quiescent
    };
    set_status(s, id, status);
    seen.empties
}

/// Rule M for a citizen: jump to a uniformly chosen empty cell in view.
fn move_citizen(s: &mut SimState, id: u32, empties: u32) {
    let from = s.citizens.cell[id as usize];
    if !s.rules.movement {
        return;
    }
    if let Some(to) = pick_empty(&s.grid, &s.citizen_view, &mut s.rng_actions, from, empties) {
        let cell = s.grid.cell(from);
        s.grid.set(from, Cell::Empty, u32::MAX);
        s.grid.set(to, cell, id);
        s.citizens.cell[id as usize] = to;
    }
}

/// A cop's turn: rule C (arrest one active in view) and rule M.
fn cop_step(s: &mut SimState, j: u32) {
    if s.rules.cop_moves_to_arrestee {
        // NetLogo: move, then arrest and step onto the arrestee's cell.
        move_cop(s, j);
        if let Some(cell) = arrest_in_view(s, j) {
            // Only possible when the arrestee left the grid (validated).
            if s.grid.cell(cell) == Cell::Empty {
                relocate_cop(s, j, cell);
            }
        }
    } else {
        // Mesa: arrest, then move.
        arrest_in_view(s, j);
        move_cop(s, j);
    }
}

/// Arrests one active citizen in the cop's view, chosen uniformly. Returns
/// the arrestee's cell.
fn arrest_in_view(s: &mut SimState, j: u32) -> Option<CellIndex> {
    let at = s.cops.cell[j as usize];
    let seen = s.cop_view.count(&s.grid, at);
    if seen.actives == 0 {
        return None;
    }
    let n = s.rng_actions.random_range(0..seen.actives);
    let cell = s.cop_view.nth(&s.grid, at, Cell::Active, n)?;
    let id = s.grid.occupant(cell);
    let term = match s.rules.jail_term {
        JailTermRange::Inclusive => s.rng_actions.random_range(0..=s.rules.max_jail_term),
        JailTermRange::Exclusive if s.rules.max_jail_term == 0 => 0,
        JailTermRange::Exclusive => s.rng_actions.random_range(0..s.rules.max_jail_term),
    };
    let home = s.citizens.cell[id as usize];
    s.citizens.jail_left[id as usize] = term;
    s.citizens.arrest_cell[id as usize] = home;
    set_status(s, id, CitizenStatus::Jailed);
    if s.rules.jailed == JailPlacement::LeaveGrid {
        s.grid.set(home, Cell::Empty, u32::MAX);
        s.citizens.cell[id as usize] = NO_CELL;
    }
    Some(home)
}

/// Rule M for a cop.
fn move_cop(s: &mut SimState, j: u32) {
    if !s.rules.movement {
        return;
    }
    let from = s.cops.cell[j as usize];
    let empties = s.cop_view.count(&s.grid, from).empties;
    if let Some(to) = pick_empty(&s.grid, &s.cop_view, &mut s.rng_actions, from, empties) {
        relocate_cop(s, j, to);
    }
}

fn relocate_cop(s: &mut SimState, j: u32, to: CellIndex) {
    let from = s.cops.cell[j as usize];
    s.grid.set(from, Cell::Empty, u32::MAX);
    s.grid.set(to, Cell::Cop, j);
    s.cops.cell[j as usize] = to;
}

/// A uniformly chosen empty cell among the `empties` in `view` around
/// `centre` (interior index), or `None` when nothing is free.
fn pick_empty(
    grid: &Grid,
    view: &Neighbourhood,
    rng: &mut SimRng,
    centre: CellIndex,
    empties: u32,
) -> Option<CellIndex> {
    view.random_empty(grid, rng, centre, empties)
}

/// Puts a released citizen back on the grid (jailed-off-grid rule): on its
/// arrest cell if empty, else on a random empty cell within its vision of
/// it. Returns false if there is no room (it stays jailed a tick longer).
fn return_to_grid(s: &mut SimState, id: u32) -> bool {
    let i = id as usize;
    if s.rules.jailed == JailPlacement::StayOnCell {
        return true;
    }
    let home = s.citizens.arrest_cell[i];
    let target = if s.grid.cell(home) == Cell::Empty {
        Some(home)
    } else {
        // Placement is not movement: it happens even with movement off.
        let empties = s.citizen_view.count(&s.grid, home).empties;
        pick_empty(&s.grid, &s.citizen_view, &mut s.rng_actions, home, empties)
    };
    let Some(cell) = target else {
        return false;
    };
    s.citizens.cell[i] = cell;
    s.grid.set(cell, Cell::Jailed, id);
    true
}

/// Sets a citizen's status and the matching grid code.
fn set_status(s: &mut SimState, id: u32, status: CitizenStatus) {
    let i = id as usize;
    s.citizens.status[i] = status;
    let cell = s.citizens.cell[i];
    if cell != NO_CELL {
        let code = match status {
            CitizenStatus::Quiescent => Cell::Quiet,
            CitizenStatus::Active => Cell::Active,
            CitizenStatus::Jailed => Cell::Jailed,
        };
        s.grid.set(cell, code, id);
    }
}
