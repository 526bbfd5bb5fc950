//! The mission model's scenario fields: the `[mission]` table and its
//! sub-tables. A scenario without `[mission]` is the Epstein model, byte
//! for byte; with it, every actor of `MODEL.md` runs (see `docs/ODD.md`).
//!
//! Levers (what an analyst compares) live in `[mission.mandate]`;
//! behavioural coefficients (what sensitivity analysis varies) live in the
//! actor tables. Each field is written once, in a `group!` table (see
//! `params.rs`), with its default and what it accepts: the single source
//! for the struct, for range checks ([`MissionConfig::params`]), for the
//! `(expected …)` of messages, and for the test that every parameter is
//! documented in `docs/ODD.md`. Distances are in km (converted with
//! `cell_km`), rates per day, durations in days unless the name says hours.

use serde::{Deserialize, Serialize};

use super::params::{Group, NAME_RULE, Param, Params, group};

group! {
    /// Everything the mission model adds to the Epstein core.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct MissionConfig {
        /// Side of one grid cell in km.
        cell_km: f64 = 1.0, number(0.001, 1000.0);
        /// How many people the agents stand for and where they live.
        population: MissionPopulation = MissionPopulation::default(), table;
        /// The mandate levers.
        mandate: Mandate = Mandate::default(), table;
        /// Civilians' hardship, trust, sympathy, displacement and recruitment.
        civilians: CivilianParams = CivilianParams::default(), table;
        /// Legitimacy of the political order, driven by the political levers.
        legitimacy: OrderLegitimacy = OrderLegitimacy::default(), table;
        /// Behaviour shared by every faction's fighters.
        fighters: FighterParams = FighterParams::default(), table;
        /// The armed factions, criminal gangs and spoilers.
        factions: Vec<Faction> = Vec::new(), tables(Faction, "an array of tables");
        /// Behaviour shared by every mission unit.
        forces: ForceParams = ForceParams::default(), table;
        /// The troop contributors (country profiles).
        contributors: Vec<Contributor> = Vec::new(), tables(Contributor, "an array of tables");
        /// Quick reaction forces.
        qrf: QrfParams = QrfParams::default(), table;
        /// The local police.
        police: PoliceParams = PoliceParams::default(), table;
        /// The external military holding the buffer zone.
        external: ExternalParams = ExternalParams::default(), table;
        /// Convoys, distribution, services.
        humanitarian: HumanitarianParams = HumanitarianParams::default(), table;
        /// Definitions of end-of-run outcomes.
        outcomes: OutcomeParams = OutcomeParams::default(), table;
        /// Renewed war and the operational tempo that makes violence flare.
        war: WarParams = WarParams::default(), table;
        /// Arrests of civilians: group size, capacity, coercion.
        detention: DetentionParams = DetentionParams::default(), table;
    }
}

group! {
    /// Population scale and placement.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct MissionPopulation {
        /// People in the theatre; each civilian agent stands for
        /// `total_people / agents` people.
        total_people: f64 = 100_000.0, number(1.0, MAX_PEOPLE);
        /// Mean civilian agents per passable cell.
        occupancy: f64 = 0.5, unit;
        /// Relative placement weight of open cells.
        weight_open: f64 = 1.0, number(0.0, MAX_RATE);
        /// Relative placement weight of urban cells.
        weight_urban: f64 = 3.0, number(0.0, MAX_RATE);
        /// Relative placement weight of rubble cells.
        weight_rubble: f64 = 2.0, number(0.0, MAX_RATE);
        /// Relative placement weight of crossing cells.
        weight_crossing: f64 = 0.5, number(0.0, MAX_RATE);
        /// Share of agents who are former officials or members of the old
        /// order (those an exclusion policy can bar from jobs).
        former_officials_share: f64 = 0.08, unit;
        /// People a civilian agent stands for, as a share of those it stood
        /// for where the rules were calibrated (1 as written; `world.refine
        /// = k` divides it by k²). Rules calibrated on counts of civilian
        /// agents weight each agent by it, so that a finer grain is the
        /// same model at a finer grain (docs/ODD.md M1.7). Left out of the
        /// resolved scenario at 1, so unrefined outputs keep their bytes.
        #[serde(skip_serializing_if = "is_unrefined")]
        agent_share: f64 = 1.0, number(1e-6, 1e6);
    }
}

/// Whether `population.agent_share` is the unrefined 1 (left out of the
/// resolved scenario, as `world.refine = 1` is).
fn is_unrefined(share: &f64) -> bool {
    *share == 1.0
}

/// How fighters are disarmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disarmament {
    /// No programme: weapons are only seized from detained fighters.
    None,
    /// Amnesty plus reintegration incentives: fighters may hand in weapons.
    Voluntary,
    /// Searches and raids: more detentions and seizures, with harm.
    Forced,
}

/// How the mission targets arrests of civilians (T12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Targeting {
    /// Tip-driven: a unit arrests only when intelligence points to someone.
    Selective,
    /// Area raids, curfews and mass detention: larger groups, bystanders,
    /// more coercion seen.
    Collective,
}

/// How the mission hands sectors over to the local police.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handover {
    /// A sector is handed over once its benchmarks hold long enough.
    Benchmarked,
    /// Every contingent leaves at `exit_day`, benchmarks or not.
    FixedExit,
    /// No handover: contingents stay to the end.
    None,
}

/// Where the mission's headquarters sits, which sets how much civilians
/// associate the mission with the external military.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Headquarters {
    /// In the state whose military holds the buffer zone and strikes.
    ExternalState,
    /// In a neighbouring state not party to the conflict.
    NeighbourState,
    /// Inside the theatre.
    InTheatre,
}

/// Which sectors the mission restores services in (T22/T23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceSectors {
    /// Every sector.
    All,
    /// Only sectors the mission (or the local police) controls that day.
    Controlled,
    /// Only sectors that day contested by armed groups.
    Contested,
}

group! {
    /// The mandate levers of MODEL.md, one field each. No lever sets an output:
    /// each is read by a mechanism (see `docs/ODD.md` §levers).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct Mandate {
        /// Multiplies every contributor's troops (force size).
        force_scale: f64 = 1.0, number(0.0, 10.0);
        /// Share of contingent units in community-policing posture.
        community_policing: f64 = 0.3, unit;
        /// `none`, `voluntary` or `forced`.
        disarmament: Disarmament = Disarmament::Voluntary, choice;
        /// Strength of amnesty and reintegration incentives.
        reintegration: f64 = 0.5, unit;
        /// Share of former officials excluded from jobs.
        exclusion: f64 = 0.0, unit;
        /// Quality of the communication strategy ("first with the truth").
        communication: f64 = 0.5, unit;
        /// Intensity of a separate counter-terror track.
        ct_track: f64 = 0.0, unit;
        /// Private military company units.
        pmc_units: u32 = 0, integer(0, 10_000);
        /// Whether PMC units may use lethal force.
        pmc_lethal: bool = false, flag;
        /// Quick reaction force units.
        qrf_units: u32 = 2, integer(0, 1000);
        /// QRF travel speed in km/h.
        qrf_speed_kmh: f64 = 30.0, number(0.1, 1000.0);
        /// Hours before an incident is known to the QRF at zero intelligence.
        qrf_detection_hours: f64 = 3.0, number(0.0, 240.0);
        /// Border control: share of smuggling stopped at full effect.
        border_control: f64 = 0.5, unit;
        /// Humanitarian access: share of the full convoy rate let in.
        humanitarian_access: f64 = 0.6, unit;
        /// Share of convoys escorted.
        convoy_escort: f64 = 0.5, unit;
        /// Daily rate at which services are restored towards full.
        service_rate: f64 = 0.005, unit;
        /// Where services are restored: `all`, `controlled` or `contested`
        /// sectors (see `humanitarian.control_units_per_fighter`).
        service_sectors: ServiceSectors = ServiceSectors::All, choice;
        /// Share of civilians reached by jobs and livelihoods programmes.
        jobs: f64 = 0.1, unit;
        /// Credibility of a political horizon.
        political_horizon: f64 = 0.5, unit;
        /// Local ownership of the process.
        local_ownership: f64 = 0.3, unit;
        /// Whether a UN Security Council mandate backs the mission.
        unsc_mandate: bool = true, flag;
        /// Pressure of outside sponsors on the factions to comply.
        sponsor_pressure: f64 = 0.5, unit;
        /// Local police officers trained per day.
        police_training_per_day: f64 = 10.0, number(0.0, 100_000.0);
        /// `benchmarked`, `fixed_exit` or `none`.
        handover: Handover = Handover::Benchmarked, choice;
        /// Day the contingents leave (0: no exit date).
        exit_day: u32 = 0, integer(0, MAX_DAYS);
        /// `external_state`, `neighbour_state` or `in_theatre`.
        headquarters: Headquarters = Headquarters::NeighbourState, choice;
        /// Deconfliction with the external military.
        deconfliction: f64 = 0.5, unit;
        /// Days from the ceasefire to the first troops.
        deployment_delay_days: u32 = 30, integer(0, MAX_DAYS);
        /// Days over which the force builds up to full strength.
        ramp_up_days: u32 = 60, integer(0, MAX_DAYS);
        /// Monitoring of ceasefire compliance, arms flows and illicit finance.
        monitoring: f64 = 0.5, unit;
        /// Whether the contingents are armed. Unarmed military observers
        /// monitor and report but do not detain, raid, escort or form a QRF,
        /// and return fire only at `forces.observer_capability`.
        armed: bool = true, flag;
        /// Implementation quality of community policing (1: sustained,
        /// trained, resourced contact as in Karim 2020; 0: a nominal rollout
        /// as in Blair et al. 2021): scales the trust and tips its contacts bring.
        policing_quality: f64 = 0.7, unit;
        /// How arrests are targeted: `selective` (tip-driven) or
        /// `collective` (area raids, curfews, mass detention).
        targeting: Targeting = Targeting::Selective, choice;
    }
}

group! {
    /// Civilians' perceptions, hardship, displacement and recruitment.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct CivilianParams {
        /// Radius within which an event is witnessed directly.
        witness_radius_km: f64 = 1.0, number(0.0, 100.0), plausible(0.5, 2.0);
        /// Weight of an event heard as rumour elsewhere in the same sector.
        rumour_weight: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// People word of a sector's events reaches: in a sector of P
        /// living people each hears them at `rumour_weight` · min(1,
        /// reach / P), so beyond this size a person's rumours follow the
        /// violence per head, not how the map was cut into sectors.
        rumour_reach_people: f64 = 1_000_000.0, number(1.0, 1e12), plausible(500_000.0, 2_000_000.0);
        /// How far good communication damps rumours of mission harm.
        communication_damping: f64 = 0.6, unit, plausible(0.4, 0.8);
        /// Hardship from unmet aid needs.
        hardship_aid_weight: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Hardship from missing services.
        hardship_services_weight: f64 = 0.15, unit, plausible(0.075, 0.3);
        /// Hardship of displacement.
        hardship_displaced_weight: f64 = 0.15, unit, plausible(0.075, 0.3);
        /// Hardship of exclusion from jobs.
        hardship_exclusion_weight: f64 = 0.25, unit, plausible(0.05, 0.45);
        /// Hardship from losses in one's own group.
        hardship_loss_weight: f64 = 0.5, unit, plausible(0.3, 0.7);
        /// Hardship relieved by a job.
        hardship_jobs_relief: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Half-life of the memory of losses.
        loss_half_life_days: f64 = 90.0, number(0.1, 1e6), plausible(45.0, 180.0);
        /// Mean of the opening trust in the mission T0, drawn from a beta
        /// distribution (calibrated with `trust_initial_sd` to the shares
        /// of an opinion poll: Gaza's default to the 38 % who supported
        /// multinational forces in 2008).
        trust_initial_mean: f64 = 0.42, unit, plausible(0.3, 0.55);
        /// Standard deviation of the opening trust T0 (people differ: polls
        /// split between strong support and strong opposition); below
        /// √(mean·(1 − mean)), 0 for everyone at the mean.
        trust_initial_sd: f64 = 0.27, unit, plausible(0.15, 0.3);
        /// Trust gained per day at full coverage by aid the mission escorted
        /// (times `aid_credit`).
        trust_aid_gain: f64 = 0.002, unit, plausible(0.001, 0.004);
        /// Share of the credit for the aid the mission escorted that goes to
        /// the mission (the rest goes to the agencies that brought it).
        aid_credit: f64 = 0.5, unit, plausible(0.3, 0.7);
        /// Trust gained per unit of service improvement.
        trust_services_gain: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Trust gained per protective event witnessed.
        trust_protection_gain: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Share of the protection they saw that civilians credit on a day
        /// they saw a faction killing: the answer came too late for what
        /// they saw, and people harmed by a faction do not credit the force
        /// that fought it (Lyall, Blair & Imai 2013).
        trust_protection_after_killing: f64 = 0.0, unit, plausible(0.0, 0.5);
        /// Trust gained per community-policing contact nearby.
        trust_policing_gain: f64 = 0.005, unit, plausible(0.0025, 0.01);
        /// Trust lost per death attributed to the mission (witnessed).
        trust_harm_loss: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Trust lost per faction killing witnessed or heard once the
        /// mission is there, relative to a death attributed to the mission:
        /// civilians partly blame a present mission for the insecurity it
        /// does not prevent, and never credit it with the factions' harm
        /// (Lyall, Blair & Imai 2013).
        insecurity_blame: f64 = 0.1, unit, plausible(0.05, 0.2);
        /// Negativity bias ν: a harm weighs 1 + ν times a gain.
        negativity_bias: f64 = 1.0, number(0.0, 10.0), plausible(0.5, 2.0);
        /// Half-life of a trust shock back to the agent's baseline.
        trust_half_life_days: f64 = 60.0, number(0.1, 1e6), plausible(15.0, 60.0);
        /// Weight of trust in an agent's perceived legitimacy.
        legitimacy_trust_weight: f64 = 0.4, unit, plausible(0.2, 0.6);
        /// Legitimacy lost by an excluded agent.
        exclusion_legitimacy_loss: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// Attribution to the mission of harm by PMCs.
        attribution_pmc: f64 = 0.8, unit, plausible(0.6, 1.0);
        /// Attribution to the mission of harm by the counter-terror track.
        attribution_ct: f64 = 0.7, unit, plausible(0.5, 0.9);
        /// Attribution to the mission of harm by the local police.
        attribution_police: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// Sympathy for factions gained per death by mission-side or external harm.
        sympathy_backlash_gain: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Sympathy for a faction lost per death it causes.
        sympathy_own_harm_loss: f64 = 0.03, unit, plausible(0.015, 0.06);
        /// Half-life of sympathy shocks.
        sympathy_half_life_days: f64 = 180.0, number(0.1, 1e6), plausible(30.0, 180.0);
        /// Spread of initial sympathy around each faction's support.
        sympathy_spread: f64 = 0.1, unit, plausible(0.05, 0.2);
        /// Radius of social contagion.
        contagion_radius_km: f64 = 1.0, number(0.0, 100.0), plausible(0.5, 2.0);
        /// Daily pull of sympathy towards the neighbours' mean.
        contagion_weight: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Daily pull of trust towards the neighbours' mean: below the
        /// pull to the agent's own baseline (Friedkin–Johnsen anchoring),
        /// so trust stays heterogeneous.
        trust_contagion_weight: f64 = 0.005, unit, plausible(0.0025, 0.01);
        /// Weight at which every civilian hears of the day's harm anywhere
        /// in the theatre (news: shocks shared by the whole population).
        news_weight: f64 = 0.002, unit, plausible(0.001, 0.004);
        /// Mean lag, in days, with which witnessed backlash (mission-side
        /// and external harm, detention) turns into sympathy for the
        /// factions (1: the same day).
        backlash_lag_days: f64 = 42.0, number(1.0, 1000.0), plausible(14.0, 90.0);
        /// Danger (witnessed deaths, smoothed) above which people flee.
        displacement_danger: f64 = 3.0, number(0.0, 1e6), plausible(1.5, 6.0);
        /// Daily probability of fleeing when in danger.
        displacement_probability: f64 = 0.1, unit, plausible(0.05, 0.2);
        /// Daily probability of returning once home is safe.
        return_probability: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Days displaced before returning is considered.
        displaced_min_days: u32 = 14, integer(0, MAX_DAYS), plausible(7.0, 28.0);
        /// Days a harmed group needs to recover.
        recovery_days: u32 = 14, integer(0, MAX_DAYS), plausible(7.0, 28.0);
        /// Daily probability that an active, sympathetic agent joins a faction.
        recruit_rate: f64 = 0.01, unit, plausible(0.005, 0.02);
        /// Recruitment of a quiescent agent per unit of grievance, relative
        /// to an active agent (armed groups recruit the aggrieved quietly,
        /// not only in the street).
        quiet_recruit_weight: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Extra recruitment of excluded agents (multiplier − 1).
        exclusion_recruit_boost: f64 = 2.0, number(0.0, MAX_RATE), plausible(1.0, 4.0);
        /// Share of would-be recruits who bring a weapon of their own when
        /// their faction has none to spare (small arms held in the
        /// population): recruitment, and armed fighters, go on while
        /// grievance exists.
        recruit_own_arms: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Cut in ex-fighters' relapse at full reintegration (community
        /// services and participation of the receiving community).
        relapse_reintegration_cut: f64 = 0.6, unit, plausible(0.4, 0.8);
    }
}

group! {
    /// Legitimacy of the political order L(t): it relaxes towards a level set
    /// by the political levers, so without a political horizon it decays.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct OrderLegitimacy {
        /// Target legitimacy with every political lever at zero.
        base: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// Target gained at a fully credible political horizon.
        horizon_gain: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// Target gained at full local ownership.
        ownership_gain: f64 = 0.1, unit, plausible(0.05, 0.2);
        /// Target gained with a UN Security Council mandate.
        unsc_gain: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Target gained at full sponsor pressure.
        sponsor_gain: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Half-life of the approach to the target.
        half_life_days: f64 = 60.0, number(0.1, 1e6), plausible(30.0, 120.0);
    }
}

/// What kind of armed actor a faction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactionKind {
    /// The main armed group, party to the ceasefire.
    ArmedGroup,
    /// A splinter or spoiler group outside the ceasefire.
    Splinter,
    /// A criminal gang or looters.
    Gang,
}

group! {
    /// One faction.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct Faction {
        /// Name, used in output columns.
        name: String = "faction".to_string(), text(NAME_RULE);
        /// `armed_group`, `splinter` or `gang`.
        kind: FactionKind = FactionKind::ArmedGroup, choice;
        /// Fighters at day 0 (people).
        fighters: f64 = 1000.0, number(0.0, MAX_PEOPLE);
        /// Weapons held at day 0.
        arms: f64 = 1000.0, number(0.0, MAX_PEOPLE);
        /// Commitment to the ceasefire process: its resting level.
        commitment: f64 = 0.5, unit;
        /// Extra commitment at the signing of the ceasefire (day 0), fading
        /// towards the resting level with the commitment half-life: the
        /// narrow window a ceasefire opens.
        signing_boost: f64 = 0.0, unit;
        /// Cohesion: a cohesive faction holds its fighters back from DDR.
        cohesion: f64 = 0.5, unit;
        /// Multiplier of the attack rate.
        aggression: f64 = 1.0, number(0.0, MAX_RATE);
        /// Mean initial sympathy of civilians.
        support: f64 = 0.2, unit;
        /// Weapons smuggled in per day without border control.
        smuggling_per_day: f64 = 10.0, number(0.0, MAX_PEOPLE);
        /// Looting propensity (gangs loot convoys).
        loot_propensity: f64 = 0.0, unit;
    }
}

group! {
    /// Fighters' behaviour, shared by all factions.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct FighterParams {
        /// Fighters one fighter agent stands for (a fighting unit, split off
        /// the civilian group it is recruited from).
        people_per_unit: f64 = 100.0, number(1.0, 1e6);
        /// Daily attack probability of an uncommitted, armed, undeterred fighter agent.
        attack_rate: f64 = 0.02, unit, plausible(0.01, 0.04);
        /// Share of attacks aimed at mission units when one is in view.
        mission_target_share: f64 = 0.5, unit, plausible(0.3, 0.7);
        /// Deterrence per mission unit in view (hazard scale).
        deterrence_per_unit: f64 = 0.3, number(0.0, MAX_RATE), plausible(0.15, 0.6);
        /// Deterrence of an unarmed observer unit, relative to an armed one
        /// (and of monitoring under an unarmed mandate). 0: fighters who
        /// mean to kill civilians are not held back by monitors who can
        /// neither respond nor arrest (HKS 2013).
        observer_deterrence: f64 = 0.0, unit, plausible(0.0, 0.1);
        /// Protection of civilians by a local police unit in view (attacks
        /// on civilians called off), relative to an armed unit's deterrence;
        /// police do not deter attacks on units (HKS 2013/2014).
        police_protection: f64 = 2.0, number(0.0, MAX_RATE), plausible(1.0, 4.0);
        /// Warning of attacks on civilians that local partners give the
        /// armed units in view, at full `mandate.local_ownership`, relative
        /// to an armed unit's deterrence: the unit forestalls the attack
        /// (troops × partners complements, Biddle, Friedman & Shapiro 2012).
        partner_warning: f64 = 1.0, number(0.0, MAX_RATE), plausible(0.5, 2.0);
        /// Reprisals on exposed partners: extra attacks on civilians by a
        /// fighter with no armed unit in view, at full
        /// `mandate.local_ownership`, relative to its faction's base attack
        /// rate. Armed groups kill those who side with the other camp where
        /// nobody can protect them (Kalyvas 2006), so partners without
        /// troops cost lives (Biddle, Friedman & Shapiro 2012).
        partner_reprisal: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Share of attacks aimed at a local police unit that it evades by
        /// withdrawing rather than fighting (no exchange of fire): the
        /// attack falls on civilians in view instead. Police are not combat
        /// units (HKS 2014: police do not change battle deaths).
        police_evasion: f64 = 0.8, unit, plausible(0.6, 1.0);
        /// Share of attacks aimed at an unarmed observer unit that it evades
        /// by withdrawing (as `police_evasion`): observers cannot fight.
        observer_evasion: f64 = 1.0, unit, plausible(0.8, 1.0);
        /// How far acceptability of a unit's contributor stops attacks on it.
        acceptability_effect: f64 = 0.7, unit, plausible(0.5, 0.9);
        /// Attacks deterred by full monitoring.
        monitoring_deterrence: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// Mean civilians killed by an attack on civilians.
        civilian_deaths_per_attack: f64 = 1.0, number(0.0, 1e4), plausible(0.5, 2.0);
        /// Mean mission personnel killed by an attack on a unit of capability 1.
        mission_deaths_per_attack: f64 = 0.5, number(0.0, 1e4), plausible(0.25, 1.0);
        /// Mean attackers killed by return fire of a unit of capability 1.
        return_fire_deaths: f64 = 2.0, number(0.0, 1e4), plausible(1.0, 4.0);
        /// Mean bystanders killed in an attack on a unit.
        collateral_deaths_per_attack: f64 = 0.3, number(0.0, 1e4), plausible(0.15, 0.6);
        /// Mean further deaths (heavy-tailed, `war.death_tail`) if an
        /// incident runs its full course.
        escalation_deaths: f64 = 2.0, number(0.0, 1e4), plausible(1.0, 4.0);
        /// Share of an attack on civilians' (heavy-tailed) deaths that
        /// would come after its onset, as the killing goes on: a response
        /// cuts them by the share of the incident's course it saves, so a
        /// QRF that reaches a massacre cuts it short (M2.5).
        ongoing_share: f64 = 0.5, unit, plausible(0.25, 0.75);
        /// Hours an incident lasts if nobody responds.
        incident_duration_hours: f64 = 8.0, number(0.1, 1e4), plausible(4.0, 16.0);
        /// Daily probability that a fighter agent hands in weapons (voluntary DDR at full incentives).
        ddr_rate: f64 = 0.02, unit, plausible(0.01, 0.04);
        /// Daily probability that an unemployed ex-fighter rejoins.
        relapse_rate: f64 = 0.002, unit, plausible(0.0005, 0.004);
        /// Days a detained fighter is held.
        detention_days: u32 = 90, integer(0, MAX_DAYS), plausible(30.0, 180.0);
        /// Half-life of faction commitment towards its target.
        commitment_half_life_days: f64 = 30.0, number(0.1, 1e6), plausible(15.0, 60.0);
        /// Commitment gained at a fully credible political horizon (vs 0.5).
        horizon_commitment_gain: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// Commitment gained at full sponsor pressure.
        sponsor_commitment_gain: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Commitment lost per unit of coercive pressure (raids, CT, strikes per fighter agent).
        pressure_commitment_loss: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Half-life of the memory of coercive pressure.
        pressure_half_life_days: f64 = 30.0, number(0.1, 1e6), plausible(15.0, 60.0);
        /// Attacks on the mission that one death equivalent of its
        /// coercion (an arrest) blamed on the mission brings in its sector
        /// over the memory's life, if the sector holds fighters and mission
        /// combat units: revenge targeting (M2.4a).
        revenge_attacks: f64 = 0.1, number(0.0, MAX_RATE), plausible(0.05, 0.2);
        /// Attacks on the mission that one civilian death blamed on the
        /// mission brings in its sector over the memory's life, if the sector
        /// holds fighters and mission combat units: collateral revenge (M2.4a;
        /// Condra et al. 2010: ≈ 1 extra incident per civilian-casualty
        /// incident in Afghanistan, none in Iraq).
        revenge_per_death: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Half-life of a sector's revenge memory.
        revenge_half_life_days: f64 = 14.0, number(0.1, 1e6), plausible(7.0, 42.0);
    }
}

group! {
    /// Mission units' behaviour, shared by contingents, police and PMCs.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct ForceParams {
        /// Troops one contingent unit on the grid stands for.
        troops_per_unit: f64 = 100.0, number(1.0, 1e6);
        /// A unit's vision.
        vision_km: f64 = 1.5, number(0.001, 1000.0), plausible(0.75, 3.0);
        /// Daily probability of detaining a fighter in view (capability 1, no intelligence).
        detain_rate: f64 = 0.001, unit, plausible(0.0005, 0.002);
        /// Detention multiplier under forced disarmament.
        forced_detain_multiplier: f64 = 5.0, number(0.0, MAX_RATE), plausible(2.5, 10.0);
        /// Daily probability of a search raid per unit under forced disarmament.
        raid_rate: f64 = 0.05, unit, plausible(0.025, 0.1);
        /// Mean civilians killed in a raid.
        raid_deaths: f64 = 0.5, number(0.0, 1e4), plausible(0.25, 1.0);
        /// Weapons seized per raid.
        raid_weapons: f64 = 20.0, number(0.0, 1e6), plausible(10.0, 40.0);
        /// Probability that armed holdouts in view fight a search raid (an
        /// attack on the raiding unit): forced disarmament's backlash (M3.1b).
        raid_resistance: f64 = 0.3, unit, plausible(0.15, 0.6);
        /// Daily probability of harming civilians in military posture (checkpoints, crowd control).
        military_harm_rate: f64 = 0.005, unit, plausible(0.001, 0.02);
        /// Mean deaths when that happens.
        harm_deaths: f64 = 0.3, number(0.0, 1e4), plausible(0.15, 0.6);
        /// Extra deterrence of a unit in military posture (multiplier − 1).
        military_deterrence_bonus: f64 = 0.3, number(0.0, MAX_RATE), plausible(0.15, 0.6);
        /// Tips per community-policing contact at full trust.
        tip_rate: f64 = 0.05, number(0.0, MAX_RATE), plausible(0.025, 0.1);
        /// Intelligence gained per tip.
        tip_value: f64 = 0.002, unit, plausible(0.001, 0.004);
        /// Intelligence from full monitoring, per day.
        monitoring_intel: f64 = 0.005, unit, plausible(0.0025, 0.01);
        /// Half-life of intelligence.
        intel_half_life_days: f64 = 30.0, number(0.1, 1e6), plausible(15.0, 60.0);
        /// Detention multiplier at full intelligence (multiplier − 1).
        intel_gain: f64 = 1.0, number(0.0, MAX_RATE), plausible(0.5, 2.0);
        /// Hours for a unit in view of an incident to respond.
        local_response_hours: f64 = 1.0, number(0.0, 1e4), plausible(0.5, 2.0);
        /// Probability that a unit in view responds.
        local_response_probability: f64 = 0.8, unit, plausible(0.6, 1.0);
        /// Probability that a response catches the attacker, scaled by time saved.
        suppression: f64 = 0.5, unit, plausible(0.3, 0.7);
        /// PMC harm multiplier.
        pmc_harm_multiplier: f64 = 3.0, number(0.0, MAX_RATE), plausible(1.5, 6.0);
        /// Probability that a lethal PMC arrest kills.
        pmc_lethal_kill: f64 = 0.3, unit, plausible(0.1, 0.5);
        /// PMC acceptability.
        pmc_acceptability: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Troops tied up by escorting one convoy for a day: the escorted
        /// share of convoys is at most troops on duty / (this × convoys).
        troops_per_escort: f64 = 40.0, number(0.0, 1e6), plausible(20.0, 80.0);
        /// Mission personnel on duty per 1,000 residents at which monitoring
        /// covers the theatre: below it, monitoring's effect scales with them.
        monitoring_personnel_per_1000: f64 = 3.0, number(0.0, 1e6), plausible(1.5, 6.0);
        /// Capability of an unarmed observer unit (`mandate.armed = false`):
        /// self-defence only.
        observer_capability: f64 = 0.3, number(0.0, 10.0), plausible(0.15, 0.6);
        /// Detention multiplier per local police unit in a contingent's view
        /// (multiplier − 1): partners' local knowledge, which troops act on.
        partner_detain_gain: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Detention multiplier of a contingent at full local ownership
        /// (multiplier − 1): local partners who own the process point out
        /// who is who, so troops' work against fighters scales with them
        /// (M3.1c; Biddle, Friedman & Shapiro 2012: the surge and the
        /// Awakening were complements).
        ownership_detain_gain: f64 = 2.0, number(0.0, MAX_RATE), plausible(1.0, 4.0);
        /// Daily withdrawal hazard of a contributor of domestic sensitivity 1
        /// as its pressure grows without bound (it is half this at pressure 1,
        /// i.e. at its tolerance).
        withdrawal_rate: f64 = 0.1, unit, plausible(0.05, 0.2);
        /// Steepness of the withdrawal hazard in the pressure (Hill exponent):
        /// higher, the later and more abrupt the withdrawals.
        withdrawal_shape: f64 = 4.0, number(0.1, 100.0), plausible(2.0, 8.0);
        /// Contributors' tolerances (casualties and association) raised by a
        /// UN Security Council mandate (multiplier − 1).
        unsc_tolerance_gain: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Half-life of a contributor's memory of its own deaths: withdrawal
        /// follows salient recent losses, not the running total.
        casualty_memory_days: f64 = 90.0, number(0.1, 1e6), plausible(45.0, 180.0);
        /// Half-life of the contributors' association pressure (recent strikes
        /// tied to the mission, a news-cycle memory).
        association_memory_days: f64 = 10.0, number(0.1, 1e6), plausible(5.0, 20.0);
        /// Counter-terror raids per day at full intensity.
        ct_raids_per_day: f64 = 0.5, number(0.0, 1e4), plausible(0.25, 1.0);
        /// Probability that a CT raid finds its target.
        ct_success: f64 = 0.5, unit, plausible(0.35, 0.65);
        /// Mean civilians killed by a CT raid.
        ct_deaths: f64 = 1.0, number(0.0, 1e4), plausible(0.25, 1.0);
        /// Mean fighters killed by a successful CT raid.
        ct_fighter_deaths: f64 = 5.0, number(0.0, 1e4), plausible(1.0, 5.0);
    }
}

group! {
    /// A troop-contributing country.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct Contributor {
        /// Name, used in output columns (`troops:<name>`).
        name: String = "contributor".to_string(), text(NAME_RULE);
        /// Troops pledged (before `mandate.force_scale`).
        troops: f64 = 1000.0, number(0.0, 1e7);
        /// Capability (1 = a capable infantry contingent).
        capability: f64 = 1.0, number(0.0, 10.0);
        /// Local acceptability.
        acceptability: f64 = 0.5, unit;
        /// Recent own deaths (a memory fading with
        /// `forces.casualty_memory_days`) at which the contributor's
        /// withdrawal hazard reaches half its ceiling, for the contingent at
        /// its pledged size; scaled with the troops it has deployed.
        casualty_tolerance: f64 = 50.0, number(0.0, MAX_PEOPLE);
        /// Refuses forced disarmament (a caveat): its units never raid.
        refuses_forced_disarmament: bool = false, flag;
        /// Association with the external military's strikes at which its
        /// pressure from association reaches 1.
        association_tolerance: f64 = 2.0, number(0.0, MAX_RATE);
        /// Domestic politics: multiplies the withdrawal hazard (about 2 for a
        /// wealthy, distant democracy, 0.5 for a neighbour or an aid-paid
        /// contributor; Oestman 2021).
        domestic_sensitivity: f64 = 1.0, number(0.0, MAX_RATE);
    }
}

group! {
    /// Quick reaction forces (their number, speed and detection time are
    /// mandate levers).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct QrfParams {
        /// Incident severity (deaths so far) at which the QRF is sent.
        severity_threshold: f64 = 1.0, number(0.0, 1e6), plausible(0.0, 3.0);
        /// Incidents one QRF unit can answer per day.
        sorties_per_day: u32 = 2, integer(0, 1000), plausible(1.0, 4.0);
        /// Detection time cut at full intelligence (share).
        intel_detection_cut: f64 = 0.5, unit, plausible(0.3, 0.7);
        /// Mean civilians killed by a QRF intervention.
        collateral_deaths: f64 = 0.2, number(0.0, 1e4), plausible(0.1, 0.4);
        /// Capability of a QRF unit: multiplies the chance of catching the attacker.
        capability: f64 = 1.5, number(0.0, 10.0), plausible(1.0, 3.0);
        /// Troops on duty one QRF unit draws from the armed contingents: the
        /// QRF fields at most troops on duty / this units (no troops, no QRF).
        troops_per_unit: f64 = 500.0, number(1.0, 1e6), plausible(250.0, 1000.0);
    }
}

group! {
    /// The local police force and the handover benchmarks.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct PoliceParams {
        /// Officers at day 0.
        initial_officers: f64 = 0.0, number(0.0, 1e7);
        /// Most officers the force can reach.
        max_officers: f64 = 20_000.0, number(0.0, 1e7);
        /// Officers one police unit on the grid stands for.
        officers_per_unit: f64 = 100.0, number(1.0, 1e6);
        /// Capability of a new unit.
        capability_initial: f64 = 0.3, number(0.0, 10.0), plausible(0.15, 0.6);
        /// Capability a unit grows towards.
        capability_max: f64 = 0.8, number(0.0, 10.0), plausible(0.6, 1.0);
        /// Days for a unit to cover half the gap to `capability_max`.
        capability_half_life_days: f64 = 120.0, number(0.1, 1e6), plausible(60.0, 240.0);
        /// Local acceptability of the police.
        acceptability: f64 = 0.9, unit, plausible(0.7, 1.0);
        /// Benchmark: officers per 1,000 residents of a sector.
        handover_officers_per_1000: f64 = 3.0, number(0.0, 1000.0);
        /// Benchmark: most incidents in the sector over the window.
        handover_max_incidents: f64 = 2.0, number(0.0, 1e6);
        /// Days the benchmarks must hold (and the incident window).
        handover_window_days: u32 = 30, integer(1, 10_000);
        /// Contingent troops on duty per 1,000 residents at which police
        /// training runs at the mandate's full rate: below it, recruits and
        /// trainees are only as safe as the troops make them, and training
        /// slows in proportion (0: training needs no troops).
        training_troops_per_1000: f64 = 3.0, number(0.0, 1e6), plausible(1.5, 6.0);
    }
}

group! {
    /// The external military: buffer zone, threat perception, strikes.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct ExternalParams {
        /// Whether it strikes at all.
        enabled: bool = true, flag;
        /// Restraint: the threat level above which it strikes.
        restraint: f64 = 3.0, number(0.0, 1e6), plausible(1.5, 6.0);
        /// Half-life of perceived threat.
        threat_half_life_days: f64 = 14.0, number(0.1, 1e6), plausible(7.0, 28.0);
        /// Threat per attack anywhere in the theatre.
        attack_weight: f64 = 0.5, number(0.0, 1e6), plausible(0.25, 1.0);
        /// Threat per 1,000 weapons of build-up above day 0.
        arms_weight: f64 = 0.5, number(0.0, 1e6), plausible(0.25, 1.0);
        /// Strike hazard per unit of threat above restraint.
        strike_rate: f64 = 0.3, number(0.0, MAX_RATE), plausible(0.15, 0.6);
        /// Mean fighters killed by a strike.
        strike_fighter_deaths: f64 = 5.0, number(0.0, 1e4), plausible(2.5, 10.0);
        /// Mean civilians killed by a strike.
        strike_civilian_deaths: f64 = 3.0, number(0.0, 1e4), plausible(1.5, 6.0);
        /// Share of strikes and of their collateral avoided at full deconfliction.
        deconfliction_effect: f64 = 0.6, unit, plausible(0.4, 0.8);
        /// Association of the mission with strikes, headquarters in the external state.
        association_external_state: f64 = 0.6, unit, plausible(0.4, 0.8);
        /// Association, headquarters in a neighbouring state.
        association_neighbour_state: f64 = 0.1, unit, plausible(0.05, 0.2);
        /// Association, headquarters in the theatre.
        association_in_theatre: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Services lost in a sector per strike.
        services_damage: f64 = 0.01, unit, plausible(0.005, 0.02);
    }
}

group! {
    /// Humanitarian convoys, distribution and services.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct HumanitarianParams {
        /// Convoys per day at full access.
        convoys_per_day: f64 = 150.0, number(0.0, 1e5);
        /// Daily rations one convoy carries.
        rations_per_convoy: f64 = 20_000.0, number(0.0, 1e9);
        /// Looting hazard per gang fighter agent near the route, per unit of propensity.
        loot_rate: f64 = 0.02, number(0.0, MAX_RATE), plausible(0.01, 0.04);
        /// Looting hazard per active civilian near the route (desperation).
        crowd_loot_rate: f64 = 0.0002, number(0.0, MAX_RATE), plausible(0.0001, 0.0004);
        /// Weapons a faction gains per convoy it loots (looted rations sold
        /// or traded for arms; T24). Crowds gain none.
        loot_arms_per_convoy: f64 = 0.5, number(0.0, 1e6), plausible(0.25, 1.0);
        /// Looting stopped by an escort.
        escort_effect: f64 = 0.8, unit, plausible(0.6, 1.0);
        /// Service level at day 0.
        services_initial: f64 = 0.3, unit;
        /// Services lost in a sector per incident there.
        incident_services_damage: f64 = 0.002, unit, plausible(0.001, 0.004);
        /// Half-life of the smoothed aid coverage.
        coverage_half_life_days: f64 = 7.0, number(0.1, 1e6), plausible(3.5, 14.0);
        /// Aid coverage at day 0.
        coverage_initial: f64 = 0.5, unit;
        /// A sector is controlled on a day when its security units on duty
        /// (contingents, police, PMCs) are at least this many per fighter
        /// agent in it, or it has been handed over; otherwise contested.
        control_units_per_fighter: f64 = 0.75, number(0.0, 1e6), plausible(0.375, 1.5);
        /// Daily probability that a fighter agent in a contested sector
        /// attacks its projects, per unit of services restored there that
        /// day (times 1 − its faction's commitment).
        project_attack_rate: f64 = 0.5, number(0.0, 1e6), plausible(0.25, 1.0);
        /// Services lost in a sector per attack on its projects (besides
        /// the damage of any incident).
        project_services_damage: f64 = 0.005, unit, plausible(0.0025, 0.01);
    }
}

group! {
    /// Arrests of active civilians (Epstein's rule C in the mission model):
    /// a small group is taken from the agent, within the detention
    /// capacity and the troops that can hold them; detention is a coercive
    /// act seen by the neighbourhood.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct DetentionParams {
        /// People detained by one selective arrest.
        people_per_arrest: f64 = 10.0, number(0.1, 1e6), plausible(5.0, 20.0);
        /// Detention places per 1,000 residents at day 0.
        capacity_per_1000: f64 = 5.0, number(0.0, 1000.0);
        /// Detainees one troop or officer on duty can hold.
        detainees_per_troop: f64 = 0.5, number(0.0, 1e6), plausible(0.25, 1.0);
        /// Daily probability that a unit gets a tip to act on at full
        /// intelligence (selective targeting); the floor is `tip_floor`.
        tip_arrest_rate: f64 = 0.5, unit, plausible(0.3, 0.7);
        /// Daily probability of acting on an arrest with no intelligence
        /// (selective targeting).
        tip_floor: f64 = 0.2, unit, plausible(0.1, 0.4);
        /// Coercion seen per person detained, in death equivalents: it
        /// lowers witnesses' trust and feeds sympathy backlash.
        coercion_per_person: f64 = 0.005, number(0.0, 1e4), plausible(0.0025, 0.01);
        /// Loss memory of the detainees' group per share of it detained
        /// (1: like a death in the group).
        loss_per_share: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Group size multiplier of a collective arrest.
        collective_group_multiplier: f64 = 5.0, number(1.0, MAX_RATE), plausible(2.5, 10.0);
        /// Bystander groups (of `people_per_arrest`) swept up per
        /// collective arrest.
        collective_bystanders: f64 = 1.0, number(0.0, MAX_RATE), plausible(0.5, 2.0);
        /// Coercion multiplier of collective detention (seen as punishment).
        collective_coercion_multiplier: f64 = 2.0, number(1.0, MAX_RATE), plausible(1.5, 4.0);
    }
}

group! {
    /// Definitions of end-of-run outcomes.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct OutcomeParams {
        /// Trust at or above which a civilian counts as trusting the mission.
        trust_threshold: f64 = 0.5, unit;
    }
}

group! {
    /// Renewed war (each party's daily hazard of leaving the ceasefire and
    /// what war changes) and the operational tempo that makes violence
    /// flare (a self-exciting process) with heavy-tailed attack sizes.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct WarParams {
        /// Daily hazard that a party returns to war on day 0 at the
        /// reference: no troops, no violence, commitment and legitimacy 0.5,
        /// its day-0 arms.
        base_hazard: f64 = 0.004, number(0.0, 1.0), plausible(0.002, 0.008);
        /// Duration dependence: the hazard is multiplied by τ / (τ + t) on
        /// day t, so a peace that lasts grows safer (τ in days).
        duration_days: f64 = 60.0, number(0.1, 1e6), plausible(30.0, 120.0);
        /// Most the hazard rises with recent violence: × (1 + e · v / (v + v½)).
        violence_effect: f64 = 1.0, number(0.0, MAX_RATE), plausible(0.5, 2.0);
        /// v½: smoothed incidents per day per million residents at which the
        /// violence effect is half its most.
        violence_half: f64 = 2.0, number(1e-6, 1e6), plausible(1.0, 4.0);
        /// Half-life of the smoothed incidents the hazard reads.
        violence_half_life_days: f64 = 14.0, number(0.1, 1e6), plausible(7.0, 28.0);
        /// Hazard rise per unit of coercive pressure on the party: × (1 + e · pressure).
        pressure_effect: f64 = 1.0, number(0.0, MAX_RATE), plausible(0.5, 2.0);
        /// Elasticity of the hazard to the party's arms relative to day 0.
        strength_elasticity: f64 = 0.3, number(0.0, 10.0), plausible(0.15, 0.6);
        /// Hazard factor per unit of commitment below 0.5: × exp(e · (0.5 − c)).
        commitment_effect: f64 = 3.0, number(0.0, MAX_RATE), plausible(1.5, 6.0);
        /// Hazard factor per unit of order legitimacy below 0.5: × exp(e · (0.5 − L)).
        legitimacy_effect: f64 = 2.0, number(0.0, MAX_RATE), plausible(1.0, 4.0);
        /// Most of the hazard that deployed troops remove (troops only, not
        /// police or PMCs): × (1 − e · d / (d + d½)).
        troop_effect: f64 = 0.85, unit, plausible(0.5, 0.95);
        /// d½: contingent troops per 1,000 residents at which troops remove
        /// half their most.
        troop_half_per_1000: f64 = 1.0, number(1e-6, 1e6), plausible(0.5, 5.0);
        /// Daily hazard that a party at war agrees a new ceasefire.
        peace_hazard: f64 = 0.002, unit, plausible(0.001, 0.004);
        /// Attack rate of a party at war, as a multiple of its rate in the ceasefire.
        attack_multiplier: f64 = 3.0, number(0.0, MAX_RATE), plausible(1.5, 6.0);
        /// Deaths per attack of a party at war, as a multiple.
        severity_multiplier: f64 = 1.5, number(0.0, MAX_RATE), plausible(1.0, 3.0);
        /// Commitment target lost while at war.
        commitment_drop: f64 = 0.4, unit, plausible(0.2, 0.6);
        /// Branching ratio of a faction's tempo: the attacks one attack,
        /// blow or loss adds over the tempo's life (below 1: the flare dies out).
        tempo_branching: f64 = 0.8, number(0.0, 0.99), plausible(0.5, 0.9);
        /// Half-life of a faction's operational tempo.
        tempo_half_life_days: f64 = 1.0, number(0.1, 1e6), plausible(0.5, 3.0);
        /// Tempo added by a coercive blow (raid, CT raid, strike), per unit of pressure, as a share of an attack.
        blow_tempo: f64 = 1.0, number(0.0, MAX_RATE), plausible(0.5, 2.0);
        /// Tail exponent α of deaths per attack, per incident's escalation and
        /// per clash (density ∝ x^−α, same mean).
        death_tail: f64 = 2.5, number(2.05, 20.0), plausible(2.2, 2.8);
        /// Extra share of attacks aimed at the mission per unit of coercive pressure.
        pressure_targeting: f64 = 0.5, number(0.0, MAX_RATE), plausible(0.25, 1.0);
        /// Daily clashes between two rival factions' fighters in a sector,
        /// per fighter agent of the smaller side, at commitment 0 on both
        /// sides (× the mean of 1 − commitment; × `attack_multiplier` if
        /// either is at war): fighting among armed parties (M9.5).
        clash_rate: f64 = 0.008, number(0.0, 1.0), plausible(0.004, 0.016);
        /// Mean fighters killed on each side of a clash (heavy-tailed,
        /// `death_tail`).
        clash_deaths: f64 = 2.0, number(0.0, 1e4), plausible(1.0, 4.0);
        /// Share of a sector's clashes that armed troops prevent where they
        /// fully interpose (police, observers and PMCs do not).
        clash_suppression: f64 = 0.9, unit, plausible(0.6, 0.98);
        /// Armed troops per fighter in a sector at which they interpose in
        /// half its clashes (a force ratio).
        clash_half_ratio: f64 = 0.25, number(1e-6, 1e6), plausible(0.1, 0.5);
    }
}

/// Largest count of people, weapons or troops any field accepts.
pub const MAX_PEOPLE: f64 = 1e9;
/// Largest day any field accepts.
pub const MAX_DAYS: u32 = 1_000_000;
/// Largest rate or multiplier most coefficient fields accept.
pub const MAX_RATE: f64 = 100.0;

impl MissionConfig {
    /// Every numeric field of the mission model with its accepted range,
    /// in file order. Array elements (factions, contributors) appear once
    /// per element, with their index in the path.
    pub fn params(&self) -> Vec<Param> {
        let mut out = Vec::new();
        let mut p = Params::new(vec!["mission".to_string()], &mut out, true);
        self.list_params(&mut p);
        out
    }

    /// [`MissionConfig::params`] of a configuration with one default
    /// faction and contributor: every numeric field that can exist.
    pub fn param_catalogue() -> Vec<Param> {
        let config = MissionConfig {
            factions: vec![Faction::default()],
            contributors: vec![Contributor::default()],
            ..MissionConfig::default()
        };
        config.params()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_their_ranges() {
        for p in MissionConfig::param_catalogue() {
            assert!(
                p.in_range(),
                "{:?} = {:?} outside {:?}",
                p.path,
                p.value,
                p.range
            );
        }
    }

    #[test]
    fn catalogue_paths_are_unique() {
        let params = MissionConfig::param_catalogue();
        let mut paths: Vec<_> = params.iter().map(|p| p.path.join(".")).collect();
        paths.sort();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n);
        assert!(n > 120, "only {n} parameters catalogued");
    }
}
