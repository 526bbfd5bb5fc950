//! The stabilization mission model: the Epstein core extended with every
//! actor and lever of `MODEL.md` (see `docs/ODD.md`). Pure: no I/O, no
//! threads, no printing.
//!
//! One tick is one day: [`MissionState::step`] makes these calls, in this
//! order, and every phase function's doc carries its number here.
//!
//! 1. `police::open_incident_slot`: today's slot of each sector's
//!    incident window starts at zero (after yesterday's attacks are kept
//!    for the external military and today's tally is reset);
//! 2. `fighters::count_fighters`: fighters per faction and the list of
//!    fighter agents (needed on day 1 only: on later days it recounts what
//!    phase 12 counted, but setup leaves the counts at zero, as day 0's
//!    metrics report them);
//! 3. `forces::deploy_and_withdraw`: withdrawals decided, contingents and
//!    PMCs arrive along the ramp, exit date, QRF sorties, intelligence;
//! 4. `police::train`: officers trained, new police units deployed;
//! 5. `external::strike`: threat perception and at most one strike;
//! 6. `counter_terror::raids`: the separate counter-terror track;
//! 7. `humanitarian::count_sector_people`: living people per sector;
//! 8. `humanitarian::convoys`: convoys enter, are looted or delivered,
//!    sectors hand out rations;
//! 9. `fighters::count_fighters` again: strikes and raids killed some;
//! 10. `factions::update_factions`: smuggling, pressure, commitment;
//! 11. `activate`: civilians (`civilians::civilian_step`), fighters
//!     (`factions::fighter_step`) and units (`forces::unit_step`) in a
//!     random order, each acting on the grid as the agents before it left
//!     it (incidents and the response to them are resolved as they happen,
//!     see `qrf`); then (11b) `clashes::clash`: rival factions' fighters
//!     sharing a sector clash, fewer where armed troops watch them
//!     (battle deaths);
//! 12. `fighters::count_fighters` again: after the day's recruitment,
//!     fighting and detentions, for the metrics;
//! 13. `perception::update_perceptions`: hardship, trust, sympathy,
//!     contagion, legitimacy (synchronous);
//! 14. `humanitarian::restore_services`: sector control, services
//!     restored in the sectors the mandate serves, attacks on projects in
//!     contested sectors;
//! 15. `police::handover`: sectors whose benchmarks held are handed over;
//! 16. `count_down`: detention, recovery and displacement timers, the
//!     sectors' revenge fades (`detention::release_due` for arrested civilians);
//! 17. `war::update_war`: the day's violence is smoothed, factions' tempo
//!     takes up the day's blows, parties may return to war or agree a new
//!     ceasefire (read from tomorrow on).
//!
//! Files, from low to high (each imports only from files above it in this
//! list): `draw`, `field` and `state` (the data); `harm`, `fighters` and
//! `units` (what several actors share); `war` (the parties' state of war
//! and tempo, which the actors read); the actors' phases `qrf`,
//! `civilians`, `factions`, `clashes`, `detention`, `forces`, `counter_terror`, `police`,
//! `external`, `humanitarian`, `perception`; then `setup` (world building),
//! `metrics`, `frames` and this file (the day).

mod civilians;
mod clashes;
mod counter_terror;
mod detention;
mod draw;
mod external;
mod factions;
mod field;
mod fighters;
mod forces;
mod frames;
mod harm;
mod humanitarian;
mod metrics;
mod perception;
mod police;
mod qrf;
mod setup;
mod state;
mod units;
mod war;

use rand::seq::SliceRandom;

pub use civilians::ARREST_KEPT_MAX_BYTES;
pub use frames::{Control, MAX_FRAME_CELLS, MapFrame, frame_block};
pub use metrics::{MISSION_RUN_COLUMNS, metric_names, mission_outcome};
pub use state::{
    Civilians, FactionState, MissionState, NO_FACTION, STATUS_NAMES, SectorState, Status, Tally,
    Totals, UnitKind, Units, flag,
};

use state::UNIT_BIT;

impl MissionState {
    /// Advances the replicate by one day: the numbered calls of the module
    /// doc, in order.
    pub fn step(&mut self) {
        let t = self.tick + 1;
        self.external.attacks_yesterday = self.today.incidents;
        self.today = Tally::default();
        police::open_incident_slot(&mut self.sectors, t); // 1
        fighters::count_fighters(&mut self.factions, &self.civilians); // 2
        forces::deploy_and_withdraw(self, t); // 3
        police::train(self, t); // 4
        external::strike(self, t); // 5
        counter_terror::raids(self, t); // 6
        humanitarian::count_sector_people(&mut self.sectors, &self.civilians, &self.map); // 7
        humanitarian::convoys(self); // 8
        fighters::count_fighters(&mut self.factions, &self.civilians); // 9
        factions::update_factions(&mut self.factions, &self.rules, t); // 10
        activate(self); // 11
        clashes::clash(self); // 11b
        fighters::count_fighters(&mut self.factions, &self.civilians); // 12
        perception::update_perceptions(self, t); // 13
        humanitarian::restore_services(self, t); // 14
        police::handover(self, t); // 15
        count_down(self); // 16
        war::update_war(self, t); // 17
        self.tick = t;
    }
}

/// Phase 11: every civilian agent and unit on duty acts once, in a fresh
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
        } else if s.civilians.status[agent as usize] == Status::Recruited {
            factions::fighter_step(s, agent);
        } else {
            civilians::civilian_step(s, agent);
        }
    }
}

/// Phase 16: timers count down; detainees are released (ex-fighters keep
/// their faction and may relapse), the harmed recover.
fn count_down(s: &mut MissionState) {
    detention::release_due(s, s.tick + 1);
    let fade = 1.0 - s.rules.derived.revenge_rate;
    for sector in &mut s.sectors {
        sector.revenge *= fade;
    }
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
