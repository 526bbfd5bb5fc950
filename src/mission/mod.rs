//! The stabilization mission model: the Epstein core extended with every
//! actor and lever of `MODEL.md` (see `docs/ODD.md`). Pure: no I/O, no
//! threads, no printing.
//!
//! One tick is one day. The step is this ordered list of phases, each a
//! plain function over the state:
//!
//! 1. [`forces::deploy_and_withdraw`]: withdrawals decided, contingents and
//!    PMCs arrive along the ramp, exit date; then [`police::train`];
//! 2. [`external::strike`]: threat perception and strikes; then
//!    [`forces::counter_terror`]: the separate CT track's raids;
//! 3. [`humanitarian::convoys`]: convoys enter, are looted or delivered,
//!    sectors hand out rations;
//! 4. [`factions::update_factions`]: smuggling, pressure, commitment;
//! 5. [`activate`]: civilians, fighters and units in a random order, each
//!    acting on the grid as the agents before it left it (incidents and the
//!    response to them are resolved as they happen, see [`qrf`]);
//! 6. [`perception::update_perceptions`]: hardship, trust, sympathy,
//!    contagion, legitimacy (synchronous);
//! 7. [`humanitarian::restore_services`];
//! 8. [`police::handover`]: sectors whose benchmarks held are handed over;
//! 9. [`count_down`]: detention, recovery and displacement timers.

pub mod civilians;
pub mod draw;
pub mod external;
pub mod factions;
pub mod field;
pub mod forces;
pub mod frames;
pub mod harm;
pub mod humanitarian;
pub mod metrics;
pub mod perception;
pub mod police;
pub mod qrf;
pub mod state;

use rand::seq::SliceRandom;

pub use frames::{Control, MapFrame};
pub use metrics::{MISSION_RUN_COLUMNS, metric_names, mission_outcome};
pub use state::{MissionState, Status};

use state::{Tally, UNIT_BIT};

impl MissionState {
    /// Advances the replicate by one day.
    pub fn step(&mut self) {
        let t = self.tick + 1;
        self.attacks_yesterday = self.today.incidents;
        self.today = Tally::default();
        police::open_incident_slot(self, t);
        factions::count_fighters(self);
        forces::deploy_and_withdraw(self, t);
        police::train(self, t);
        external::strike(self, t);
        forces::counter_terror(self, t);
        humanitarian::convoys(self, t);
        factions::update_factions(self, t);
        activate(self);
        factions::count_fighters(self);
        perception::update_perceptions(self, t);
        humanitarian::restore_services(self, t);
        police::handover(self, t);
        count_down(self);
        self.tick = t;
    }
}

/// Phase 5: every civilian agent and unit on duty acts once, in a fresh
/// random order.
fn activate(s: &mut MissionState) {
    // Recruitment adds agents: the list is rebuilt (in creation order) first.
    s.rebuild_order();
    s.order.shuffle(&mut s.rng.schedule);
    for k in 0..s.order.len() {
        let agent = s.order[k];
        if agent & UNIT_BIT != 0 {
            let u = (agent & !UNIT_BIT) as usize;
            if s.units.on_duty[u] {
                forces::unit_step(s, u);
            }
        } else {
            civilians::civilian_step(s, agent);
        }
    }
}

/// Phase 9: timers count down; detainees are released (ex-fighters keep
/// their faction and may relapse), the harmed recover.
fn count_down(s: &mut MissionState) {
    for i in 0..s.civilians.len() {
        let timer = &mut s.civilians.timer[i];
        *timer = timer.saturating_sub(1);
        if *timer > 0 {
            continue;
        }
        let status = s.civilians.status[i];
        match status {
            Status::Detained
                if civilians::release(s, i as u32)
                    && s.civilians.faction[i] != state::NO_FACTION =>
            {
                s.civilians.flags[i] |= state::flag::EX_FIGHTER;
            }
            Status::Harmed => s.set_status(i as u32, Status::Quiescent),
            _ => {}
        }
    }
}
