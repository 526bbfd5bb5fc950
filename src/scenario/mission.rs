//! The mission model's scenario fields: the `[mission]` table and its
//! sub-tables. A scenario without `[mission]` is the Epstein model, byte
//! for byte; with it, every actor of `MODEL.md` runs (see `docs/ODD.md`).
//!
//! Levers (what an analyst compares) live in `[mission.mandate]`;
//! behavioural coefficients (what sensitivity analysis varies) live in the
//! actor tables. Every number is listed, with its accepted range, by
//! [`MissionConfig::params`]: the single source for range checks, for the
//! `(expected …)` of type errors, and for the test that every coefficient
//! is documented in `docs/ODD.md`. Distances are in km (converted with
//! `cell_km`), rates per day, durations in days unless the name says hours.

use serde::{Deserialize, Serialize};

/// Everything the mission model adds to the Epstein core.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MissionConfig {
    /// Side of one grid cell in km.
    pub cell_km: f64,
    /// How many people the agents stand for and where they live.
    pub population: MissionPopulation,
    /// The mandate levers.
    pub mandate: Mandate,
    /// Civilians' hardship, trust, sympathy, displacement and recruitment.
    pub civilians: CivilianParams,
    /// Legitimacy of the political order, driven by the political levers.
    pub legitimacy: OrderLegitimacy,
    /// Behaviour shared by every faction's fighters.
    pub fighters: FighterParams,
    /// The armed factions, criminal gangs and spoilers.
    pub factions: Vec<Faction>,
    /// Behaviour shared by every mission unit.
    pub forces: ForceParams,
    /// The troop contributors (country profiles).
    pub contributors: Vec<Contributor>,
    /// Quick reaction forces.
    pub qrf: QrfParams,
    /// The local police.
    pub police: PoliceParams,
    /// The external military holding the buffer zone.
    pub external: ExternalParams,
    /// Convoys, distribution, services.
    pub humanitarian: HumanitarianParams,
    /// Definitions of end-of-run outcomes.
    pub outcomes: OutcomeParams,
}

impl Default for MissionConfig {
    fn default() -> Self {
        Self {
            cell_km: 1.0,
            population: MissionPopulation::default(),
            mandate: Mandate::default(),
            civilians: CivilianParams::default(),
            legitimacy: OrderLegitimacy::default(),
            fighters: FighterParams::default(),
            factions: Vec::new(),
            forces: ForceParams::default(),
            contributors: Vec::new(),
            qrf: QrfParams::default(),
            police: PoliceParams::default(),
            external: ExternalParams::default(),
            humanitarian: HumanitarianParams::default(),
            outcomes: OutcomeParams::default(),
        }
    }
}

/// Population scale and placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MissionPopulation {
    /// People in the theatre; each civilian agent stands for
    /// `total_people / agents` people.
    pub total_people: f64,
    /// Mean civilian agents per passable cell.
    pub occupancy: f64,
    /// Relative placement weight of open cells.
    pub weight_open: f64,
    /// Relative placement weight of urban cells.
    pub weight_urban: f64,
    /// Relative placement weight of rubble cells.
    pub weight_rubble: f64,
    /// Relative placement weight of crossing cells.
    pub weight_crossing: f64,
    /// Share of agents who are former officials or members of the old
    /// order (those an exclusion policy can bar from jobs).
    pub former_officials_share: f64,
}

impl Default for MissionPopulation {
    fn default() -> Self {
        Self {
            total_people: 100_000.0,
            occupancy: 0.5,
            weight_open: 1.0,
            weight_urban: 3.0,
            weight_rubble: 2.0,
            weight_crossing: 0.5,
            former_officials_share: 0.08,
        }
    }
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

/// The mandate levers of MODEL.md, one field each. No lever sets an output:
/// each is read by a mechanism (see `docs/ODD.md` §levers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mandate {
    /// Multiplies every contributor's troops (force size).
    pub force_scale: f64,
    /// Share of contingent units in community-policing posture.
    pub community_policing: f64,
    /// `none`, `voluntary` or `forced`.
    pub disarmament: Disarmament,
    /// Strength of amnesty and reintegration incentives.
    pub reintegration: f64,
    /// Share of former officials excluded from jobs.
    pub exclusion: f64,
    /// Quality of the communication strategy ("first with the truth").
    pub communication: f64,
    /// Intensity of a separate counter-terror track.
    pub ct_track: f64,
    /// Private military company units.
    pub pmc_units: u32,
    /// Whether PMC units may use lethal force.
    pub pmc_lethal: bool,
    /// Quick reaction force units.
    pub qrf_units: u32,
    /// QRF travel speed in km/h.
    pub qrf_speed_kmh: f64,
    /// Hours before an incident is known to the QRF at zero intelligence.
    pub qrf_detection_hours: f64,
    /// Border control: share of smuggling stopped at full effect.
    pub border_control: f64,
    /// Humanitarian access: share of the full convoy rate let in.
    pub humanitarian_access: f64,
    /// Share of convoys escorted.
    pub convoy_escort: f64,
    /// Daily rate at which services are restored towards full.
    pub service_rate: f64,
    /// Share of civilians reached by jobs and livelihoods programmes.
    pub jobs: f64,
    /// Credibility of a political horizon.
    pub political_horizon: f64,
    /// Local ownership of the process.
    pub local_ownership: f64,
    /// Whether a UN Security Council mandate backs the mission.
    pub unsc_mandate: bool,
    /// Pressure of outside sponsors on the factions to comply.
    pub sponsor_pressure: f64,
    /// Local police officers trained per day.
    pub police_training_per_day: f64,
    /// `benchmarked`, `fixed_exit` or `none`.
    pub handover: Handover,
    /// Day the contingents leave (0: no exit date).
    pub exit_day: u32,
    /// `external_state`, `neighbour_state` or `in_theatre`.
    pub headquarters: Headquarters,
    /// Deconfliction with the external military.
    pub deconfliction: f64,
    /// Days from the ceasefire to the first troops.
    pub deployment_delay_days: u32,
    /// Days over which the force builds up to full strength.
    pub ramp_up_days: u32,
    /// Monitoring of ceasefire compliance, arms flows and illicit finance.
    pub monitoring: f64,
}

impl Default for Mandate {
    fn default() -> Self {
        Self {
            force_scale: 1.0,
            community_policing: 0.3,
            disarmament: Disarmament::Voluntary,
            reintegration: 0.5,
            exclusion: 0.0,
            communication: 0.5,
            ct_track: 0.0,
            pmc_units: 0,
            pmc_lethal: false,
            qrf_units: 2,
            qrf_speed_kmh: 30.0,
            qrf_detection_hours: 3.0,
            border_control: 0.5,
            humanitarian_access: 0.6,
            convoy_escort: 0.5,
            service_rate: 0.005,
            jobs: 0.1,
            political_horizon: 0.5,
            local_ownership: 0.3,
            unsc_mandate: true,
            sponsor_pressure: 0.5,
            police_training_per_day: 10.0,
            handover: Handover::Benchmarked,
            exit_day: 0,
            headquarters: Headquarters::NeighbourState,
            deconfliction: 0.5,
            deployment_delay_days: 30,
            ramp_up_days: 60,
            monitoring: 0.5,
        }
    }
}

/// Civilians' perceptions, hardship, displacement and recruitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CivilianParams {
    /// Radius within which an event is witnessed directly.
    pub witness_radius_km: f64,
    /// Weight of an event heard as rumour elsewhere in the same sector.
    pub rumour_weight: f64,
    /// How far good communication damps rumours of mission harm.
    pub communication_damping: f64,
    /// Hardship from unmet aid needs.
    pub hardship_aid_weight: f64,
    /// Hardship from missing services.
    pub hardship_services_weight: f64,
    /// Hardship of displacement.
    pub hardship_displaced_weight: f64,
    /// Hardship of exclusion from jobs.
    pub hardship_exclusion_weight: f64,
    /// Hardship from losses in one's own group.
    pub hardship_loss_weight: f64,
    /// Hardship relieved by a job.
    pub hardship_jobs_relief: f64,
    /// Half-life of the memory of losses.
    pub loss_half_life_days: f64,
    /// Lower end of initial trust in the mission.
    pub trust_initial_min: f64,
    /// Upper end of initial trust in the mission.
    pub trust_initial_max: f64,
    /// Trust gained per day at full aid coverage (times `aid_credit`).
    pub trust_aid_gain: f64,
    /// Share of the credit for aid that goes to the mission.
    pub aid_credit: f64,
    /// Trust gained per unit of service improvement.
    pub trust_services_gain: f64,
    /// Trust gained per protective event witnessed.
    pub trust_protection_gain: f64,
    /// Trust gained per community-policing contact nearby.
    pub trust_policing_gain: f64,
    /// Trust lost per death attributed to the mission (witnessed).
    pub trust_harm_loss: f64,
    /// Negativity bias ν: a harm weighs 1 + ν times a gain.
    pub negativity_bias: f64,
    /// Half-life of a trust shock back to the agent's baseline.
    pub trust_half_life_days: f64,
    /// Weight of trust in an agent's perceived legitimacy.
    pub legitimacy_trust_weight: f64,
    /// Legitimacy lost by an excluded agent.
    pub exclusion_legitimacy_loss: f64,
    /// Attribution to the mission of harm by PMCs.
    pub attribution_pmc: f64,
    /// Attribution to the mission of harm by the counter-terror track.
    pub attribution_ct: f64,
    /// Attribution to the mission of harm by the local police.
    pub attribution_police: f64,
    /// Sympathy for factions gained per death by mission-side or external harm.
    pub sympathy_backlash_gain: f64,
    /// Sympathy for a faction lost per death it causes.
    pub sympathy_own_harm_loss: f64,
    /// Half-life of sympathy shocks.
    pub sympathy_half_life_days: f64,
    /// Spread of initial sympathy around each faction's support.
    pub sympathy_spread: f64,
    /// Radius of social contagion.
    pub contagion_radius_km: f64,
    /// Daily pull of trust and sympathy towards the neighbours' mean.
    pub contagion_weight: f64,
    /// Danger (witnessed deaths, smoothed) above which people flee.
    pub displacement_danger: f64,
    /// Daily probability of fleeing when in danger.
    pub displacement_probability: f64,
    /// Daily probability of returning once home is safe.
    pub return_probability: f64,
    /// Days displaced before returning is considered.
    pub displaced_min_days: u32,
    /// Days a harmed group needs to recover.
    pub recovery_days: u32,
    /// Daily probability that an active, sympathetic agent joins a faction.
    pub recruit_rate: f64,
    /// Extra recruitment of excluded agents (multiplier − 1).
    pub exclusion_recruit_boost: f64,
}

impl Default for CivilianParams {
    fn default() -> Self {
        Self {
            witness_radius_km: 1.0,
            rumour_weight: 0.05,
            communication_damping: 0.6,
            hardship_aid_weight: 0.2,
            hardship_services_weight: 0.15,
            hardship_displaced_weight: 0.15,
            hardship_exclusion_weight: 0.25,
            hardship_loss_weight: 0.5,
            hardship_jobs_relief: 0.2,
            loss_half_life_days: 90.0,
            trust_initial_min: 0.2,
            trust_initial_max: 0.5,
            trust_aid_gain: 0.002,
            aid_credit: 0.5,
            trust_services_gain: 0.5,
            trust_protection_gain: 0.05,
            trust_policing_gain: 0.005,
            trust_harm_loss: 0.05,
            negativity_bias: 1.0,
            trust_half_life_days: 60.0,
            legitimacy_trust_weight: 0.4,
            exclusion_legitimacy_loss: 0.3,
            attribution_pmc: 0.8,
            attribution_ct: 0.7,
            attribution_police: 0.3,
            sympathy_backlash_gain: 0.05,
            sympathy_own_harm_loss: 0.03,
            sympathy_half_life_days: 180.0,
            sympathy_spread: 0.1,
            contagion_radius_km: 1.0,
            contagion_weight: 0.05,
            displacement_danger: 3.0,
            displacement_probability: 0.1,
            return_probability: 0.05,
            displaced_min_days: 14,
            recovery_days: 14,
            recruit_rate: 0.01,
            exclusion_recruit_boost: 2.0,
        }
    }
}

/// Legitimacy of the political order L(t): it relaxes towards a level set
/// by the political levers, so without a political horizon it decays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrderLegitimacy {
    /// Target legitimacy with every political lever at zero.
    pub base: f64,
    /// Target gained at a fully credible political horizon.
    pub horizon_gain: f64,
    /// Target gained at full local ownership.
    pub ownership_gain: f64,
    /// Target gained with a UN Security Council mandate.
    pub unsc_gain: f64,
    /// Target gained at full sponsor pressure.
    pub sponsor_gain: f64,
    /// Half-life of the approach to the target.
    pub half_life_days: f64,
}

impl Default for OrderLegitimacy {
    fn default() -> Self {
        Self {
            base: 0.3,
            horizon_gain: 0.3,
            ownership_gain: 0.1,
            unsc_gain: 0.05,
            sponsor_gain: 0.05,
            half_life_days: 60.0,
        }
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

/// One faction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faction {
    /// Name, used in output columns.
    pub name: String,
    /// `armed_group`, `splinter` or `gang`.
    pub kind: FactionKind,
    /// Fighters at day 0 (people).
    pub fighters: f64,
    /// Weapons held at day 0.
    pub arms: f64,
    /// Commitment to the ceasefire process: its resting level.
    pub commitment: f64,
    /// Extra commitment at the signing of the ceasefire (day 0), fading
    /// towards the resting level with the commitment half-life: the
    /// narrow window a ceasefire opens.
    pub signing_boost: f64,
    /// Cohesion: a cohesive faction holds its fighters back from DDR.
    pub cohesion: f64,
    /// Multiplier of the attack rate.
    pub aggression: f64,
    /// Mean initial sympathy of civilians.
    pub support: f64,
    /// Weapons smuggled in per day without border control.
    pub smuggling_per_day: f64,
    /// Looting propensity (gangs loot convoys).
    pub loot_propensity: f64,
}

impl Default for Faction {
    fn default() -> Self {
        Self {
            name: "faction".to_string(),
            kind: FactionKind::ArmedGroup,
            fighters: 1000.0,
            arms: 1000.0,
            commitment: 0.5,
            signing_boost: 0.0,
            cohesion: 0.5,
            aggression: 1.0,
            support: 0.2,
            smuggling_per_day: 10.0,
            loot_propensity: 0.0,
        }
    }
}

/// Fighters' behaviour, shared by all factions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FighterParams {
    /// Fighters one fighter agent stands for (a fighting unit, split off
    /// the civilian group it is recruited from).
    pub people_per_unit: f64,
    /// Daily attack probability of an uncommitted, armed, undeterred fighter agent.
    pub attack_rate: f64,
    /// Share of attacks aimed at mission units when one is in view.
    pub mission_target_share: f64,
    /// Deterrence per mission unit in view (hazard scale).
    pub deterrence_per_unit: f64,
    /// How far acceptability of a unit's contributor stops attacks on it.
    pub acceptability_effect: f64,
    /// Attacks deterred by full monitoring.
    pub monitoring_deterrence: f64,
    /// Mean civilians killed by an attack on civilians.
    pub civilian_deaths_per_attack: f64,
    /// Mean mission personnel killed by an attack on a unit of capability 1.
    pub mission_deaths_per_attack: f64,
    /// Mean attackers killed by return fire of a unit of capability 1.
    pub return_fire_deaths: f64,
    /// Mean bystanders killed in an attack on a unit.
    pub collateral_deaths_per_attack: f64,
    /// Mean further deaths if an incident runs its full course.
    pub escalation_deaths: f64,
    /// Hours an incident lasts if nobody responds.
    pub incident_duration_hours: f64,
    /// Daily probability that a fighter agent hands in weapons (voluntary DDR at full incentives).
    pub ddr_rate: f64,
    /// Daily probability that an unemployed ex-fighter rejoins.
    pub relapse_rate: f64,
    /// Days a detained fighter is held.
    pub detention_days: u32,
    /// Half-life of faction commitment towards its target.
    pub commitment_half_life_days: f64,
    /// Commitment gained at a fully credible political horizon (vs 0.5).
    pub horizon_commitment_gain: f64,
    /// Commitment gained at full sponsor pressure.
    pub sponsor_commitment_gain: f64,
    /// Commitment lost per unit of coercive pressure (raids, CT, strikes per fighter agent).
    pub pressure_commitment_loss: f64,
    /// Half-life of the memory of coercive pressure.
    pub pressure_half_life_days: f64,
}

impl Default for FighterParams {
    fn default() -> Self {
        Self {
            people_per_unit: 100.0,
            attack_rate: 0.02,
            mission_target_share: 0.5,
            deterrence_per_unit: 0.3,
            acceptability_effect: 0.7,
            monitoring_deterrence: 0.3,
            civilian_deaths_per_attack: 1.0,
            mission_deaths_per_attack: 0.5,
            return_fire_deaths: 2.0,
            collateral_deaths_per_attack: 0.3,
            escalation_deaths: 2.0,
            incident_duration_hours: 8.0,
            ddr_rate: 0.02,
            relapse_rate: 0.002,
            detention_days: 90,
            commitment_half_life_days: 30.0,
            horizon_commitment_gain: 0.3,
            sponsor_commitment_gain: 0.2,
            pressure_commitment_loss: 0.5,
            pressure_half_life_days: 30.0,
        }
    }
}

/// Mission units' behaviour, shared by contingents, police and PMCs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ForceParams {
    /// Troops one contingent unit on the grid stands for.
    pub troops_per_unit: f64,
    /// A unit's vision.
    pub vision_km: f64,
    /// Daily probability of detaining a fighter in view (capability 1, no intelligence).
    pub detain_rate: f64,
    /// Detention multiplier under forced disarmament.
    pub forced_detain_multiplier: f64,
    /// Daily probability of a search raid per unit under forced disarmament.
    pub raid_rate: f64,
    /// Mean civilians killed in a raid.
    pub raid_deaths: f64,
    /// Weapons seized per raid.
    pub raid_weapons: f64,
    /// Daily probability of harming civilians in military posture (checkpoints, crowd control).
    pub military_harm_rate: f64,
    /// Mean deaths when that happens.
    pub harm_deaths: f64,
    /// Extra deterrence of a unit in military posture (multiplier − 1).
    pub military_deterrence_bonus: f64,
    /// Tips per community-policing contact at full trust.
    pub tip_rate: f64,
    /// Intelligence gained per tip.
    pub tip_value: f64,
    /// Intelligence from full monitoring, per day.
    pub monitoring_intel: f64,
    /// Half-life of intelligence.
    pub intel_half_life_days: f64,
    /// Detention multiplier at full intelligence (multiplier − 1).
    pub intel_gain: f64,
    /// Hours for a unit in view of an incident to respond.
    pub local_response_hours: f64,
    /// Probability that a unit in view responds.
    pub local_response_probability: f64,
    /// Probability that a response catches the attacker, scaled by time saved.
    pub suppression: f64,
    /// PMC harm multiplier.
    pub pmc_harm_multiplier: f64,
    /// Probability that a lethal PMC arrest kills.
    pub pmc_lethal_kill: f64,
    /// PMC acceptability.
    pub pmc_acceptability: f64,
    /// Counter-terror raids per day at full intensity.
    pub ct_raids_per_day: f64,
    /// Probability that a CT raid finds its target.
    pub ct_success: f64,
    /// Mean civilians killed by a CT raid.
    pub ct_deaths: f64,
    /// Mean fighters killed by a successful CT raid.
    pub ct_fighter_deaths: f64,
}

impl Default for ForceParams {
    fn default() -> Self {
        Self {
            troops_per_unit: 100.0,
            vision_km: 1.5,
            detain_rate: 0.001,
            forced_detain_multiplier: 5.0,
            raid_rate: 0.05,
            raid_deaths: 0.5,
            raid_weapons: 20.0,
            military_harm_rate: 0.005,
            harm_deaths: 0.3,
            military_deterrence_bonus: 0.3,
            tip_rate: 0.05,
            tip_value: 0.002,
            monitoring_intel: 0.005,
            intel_half_life_days: 30.0,
            intel_gain: 1.0,
            local_response_hours: 1.0,
            local_response_probability: 0.8,
            suppression: 0.5,
            pmc_harm_multiplier: 3.0,
            pmc_lethal_kill: 0.3,
            pmc_acceptability: 0.2,
            ct_raids_per_day: 0.5,
            ct_success: 0.5,
            ct_deaths: 1.0,
            ct_fighter_deaths: 5.0,
        }
    }
}

/// A troop-contributing country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Contributor {
    /// Name, used in output columns (`troops:<name>`).
    pub name: String,
    /// Troops pledged (before `mandate.force_scale`).
    pub troops: f64,
    /// Capability (1 = a capable infantry contingent).
    pub capability: f64,
    /// Local acceptability.
    pub acceptability: f64,
    /// Own deaths at which the contributor withdraws.
    pub casualty_tolerance: f64,
    /// Refuses forced disarmament (a caveat): its units never raid.
    pub refuses_forced_disarmament: bool,
    /// Association with the external military's strikes at which it withdraws.
    pub association_tolerance: f64,
}

impl Default for Contributor {
    fn default() -> Self {
        Self {
            name: "contributor".to_string(),
            troops: 1000.0,
            capability: 1.0,
            acceptability: 0.5,
            casualty_tolerance: 50.0,
            refuses_forced_disarmament: false,
            association_tolerance: 2.0,
        }
    }
}

/// Quick reaction forces (their number, speed and detection time are
/// mandate levers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QrfParams {
    /// Incident severity (deaths so far) at which the QRF is sent.
    pub severity_threshold: f64,
    /// Incidents one QRF unit can answer per day.
    pub sorties_per_day: u32,
    /// Detection time cut at full intelligence (share).
    pub intel_detection_cut: f64,
    /// Mean civilians killed by a QRF intervention.
    pub collateral_deaths: f64,
    /// Capability of a QRF unit: multiplies the chance of catching the attacker.
    pub capability: f64,
}

impl Default for QrfParams {
    fn default() -> Self {
        Self {
            severity_threshold: 1.0,
            sorties_per_day: 2,
            intel_detection_cut: 0.5,
            collateral_deaths: 0.2,
            capability: 1.5,
        }
    }
}

/// The local police force and the handover benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PoliceParams {
    /// Officers at day 0.
    pub initial_officers: f64,
    /// Most officers the force can reach.
    pub max_officers: f64,
    /// Officers one police unit on the grid stands for.
    pub officers_per_unit: f64,
    /// Capability of a new unit.
    pub capability_initial: f64,
    /// Capability a unit grows towards.
    pub capability_max: f64,
    /// Days for a unit to cover half the gap to `capability_max`.
    pub capability_half_life_days: f64,
    /// Local acceptability of the police.
    pub acceptability: f64,
    /// Benchmark: officers per 1,000 residents of a sector.
    pub handover_officers_per_1000: f64,
    /// Benchmark: most incidents in the sector over the window.
    pub handover_max_incidents: f64,
    /// Days the benchmarks must hold (and the incident window).
    pub handover_window_days: u32,
}

impl Default for PoliceParams {
    fn default() -> Self {
        Self {
            initial_officers: 0.0,
            max_officers: 20_000.0,
            officers_per_unit: 100.0,
            capability_initial: 0.3,
            capability_max: 0.8,
            capability_half_life_days: 120.0,
            acceptability: 0.9,
            handover_officers_per_1000: 3.0,
            handover_max_incidents: 2.0,
            handover_window_days: 30,
        }
    }
}

/// The external military: buffer zone, threat perception, strikes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExternalParams {
    /// Whether it strikes at all.
    pub enabled: bool,
    /// Restraint: the threat level above which it strikes.
    pub restraint: f64,
    /// Half-life of perceived threat.
    pub threat_half_life_days: f64,
    /// Threat per attack anywhere in the theatre.
    pub attack_weight: f64,
    /// Threat per 1,000 weapons of build-up above day 0.
    pub arms_weight: f64,
    /// Strike hazard per unit of threat above restraint.
    pub strike_rate: f64,
    /// Mean fighters killed by a strike.
    pub strike_fighter_deaths: f64,
    /// Mean civilians killed by a strike.
    pub strike_civilian_deaths: f64,
    /// Share of strikes and of their collateral avoided at full deconfliction.
    pub deconfliction_effect: f64,
    /// Association of the mission with strikes, headquarters in the external state.
    pub association_external_state: f64,
    /// Association, headquarters in a neighbouring state.
    pub association_neighbour_state: f64,
    /// Association, headquarters in the theatre.
    pub association_in_theatre: f64,
    /// Services lost in a sector per strike.
    pub services_damage: f64,
}

impl Default for ExternalParams {
    fn default() -> Self {
        Self {
            enabled: true,
            restraint: 3.0,
            threat_half_life_days: 14.0,
            attack_weight: 0.5,
            arms_weight: 0.5,
            strike_rate: 0.3,
            strike_fighter_deaths: 5.0,
            strike_civilian_deaths: 3.0,
            deconfliction_effect: 0.6,
            association_external_state: 0.6,
            association_neighbour_state: 0.1,
            association_in_theatre: 0.2,
            services_damage: 0.01,
        }
    }
}

/// Humanitarian convoys, distribution and services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HumanitarianParams {
    /// Convoys per day at full access.
    pub convoys_per_day: f64,
    /// Daily rations one convoy carries.
    pub rations_per_convoy: f64,
    /// Looting hazard per gang fighter agent near the route, per unit of propensity.
    pub loot_rate: f64,
    /// Looting hazard per active civilian near the route (desperation).
    pub crowd_loot_rate: f64,
    /// Looting stopped by an escort.
    pub escort_effect: f64,
    /// Service level at day 0.
    pub services_initial: f64,
    /// Services lost in a sector per incident there.
    pub incident_services_damage: f64,
    /// Half-life of the smoothed aid coverage.
    pub coverage_half_life_days: f64,
    /// Aid coverage at day 0.
    pub coverage_initial: f64,
}

impl Default for HumanitarianParams {
    fn default() -> Self {
        Self {
            convoys_per_day: 150.0,
            rations_per_convoy: 20_000.0,
            loot_rate: 0.02,
            crowd_loot_rate: 0.0002,
            escort_effect: 0.8,
            services_initial: 0.3,
            incident_services_damage: 0.002,
            coverage_half_life_days: 7.0,
            coverage_initial: 0.5,
        }
    }
}

/// Definitions of end-of-run outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutcomeParams {
    /// Trust at or above which a civilian counts as trusting the mission.
    pub trust_threshold: f64,
    /// Ceasefire collapse: incidents per day (7-day mean) at or above this...
    pub collapse_incidents_per_day: f64,
    /// ...held this many consecutive days.
    pub collapse_days: u32,
}

impl Default for OutcomeParams {
    fn default() -> Self {
        Self {
            trust_threshold: 0.5,
            collapse_incidents_per_day: 3.0,
            collapse_days: 14,
        }
    }
}

/// One numeric parameter: where it is, its value and what it accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Path below the scenario root, e.g. `["mission", "mandate", "jobs"]`;
    /// array elements appear as `factions[2]`.
    pub path: Vec<String>,
    /// Its value.
    pub value: f64,
    /// Smallest accepted value.
    pub min: f64,
    /// Largest accepted value.
    pub max: f64,
    /// Whether only integers are accepted.
    pub integer: bool,
}

/// Collects [`Param`]s under a path prefix.
struct Params<'a> {
    prefix: Vec<String>,
    out: &'a mut Vec<Param>,
}

impl Params<'_> {
    fn num(&mut self, name: &str, value: f64, min: f64, max: f64) {
        self.push(name, value, min, max, false);
    }

    fn int(&mut self, name: &str, value: u32, min: u32, max: u32) {
        self.push(name, value.into(), min.into(), max.into(), true);
    }

    fn unit(&mut self, name: &str, value: f64) {
        self.num(name, value, 0.0, 1.0);
    }

    fn push(&mut self, name: &str, value: f64, min: f64, max: f64, integer: bool) {
        let mut path = self.prefix.clone();
        path.push(name.to_string());
        self.out.push(Param {
            path,
            value,
            min,
            max,
            integer,
        });
    }

    fn sub(&mut self, name: &str) -> Params<'_> {
        let mut prefix = self.prefix.clone();
        prefix.push(name.to_string());
        Params {
            prefix,
            out: self.out,
        }
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
        let mut p = Params {
            prefix: vec!["mission".to_string()],
            out: &mut out,
        };
        p.num("cell_km", self.cell_km, 0.001, 1000.0);
        population_params(&self.population, &mut p.sub("population"));
        mandate_params(&self.mandate, &mut p.sub("mandate"));
        civilian_params(&self.civilians, &mut p.sub("civilians"));
        legitimacy_params(&self.legitimacy, &mut p.sub("legitimacy"));
        fighter_params(&self.fighters, &mut p.sub("fighters"));
        for (i, f) in self.factions.iter().enumerate() {
            faction_params(f, &mut p.sub(&format!("factions[{i}]")));
        }
        force_params(&self.forces, &mut p.sub("forces"));
        for (i, c) in self.contributors.iter().enumerate() {
            contributor_params(c, &mut p.sub(&format!("contributors[{i}]")));
        }
        qrf_params(&self.qrf, &mut p.sub("qrf"));
        police_params(&self.police, &mut p.sub("police"));
        external_params(&self.external, &mut p.sub("external"));
        humanitarian_params(&self.humanitarian, &mut p.sub("humanitarian"));
        outcome_params(&self.outcomes, &mut p.sub("outcomes"));
        out
    }

    /// [`MissionConfig::params`] of a configuration with one default
    /// faction and contributor: every field that can exist, for looking up
    /// what a path accepts.
    pub fn param_catalogue() -> Vec<Param> {
        let config = MissionConfig {
            factions: vec![Faction::default()],
            contributors: vec![Contributor::default()],
            ..MissionConfig::default()
        };
        config.params()
    }
}

fn population_params(x: &MissionPopulation, p: &mut Params) {
    p.num("total_people", x.total_people, 1.0, MAX_PEOPLE);
    p.unit("occupancy", x.occupancy);
    p.num("weight_open", x.weight_open, 0.0, MAX_RATE);
    p.num("weight_urban", x.weight_urban, 0.0, MAX_RATE);
    p.num("weight_rubble", x.weight_rubble, 0.0, MAX_RATE);
    p.num("weight_crossing", x.weight_crossing, 0.0, MAX_RATE);
    p.unit("former_officials_share", x.former_officials_share);
}

fn mandate_params(x: &Mandate, p: &mut Params) {
    p.num("force_scale", x.force_scale, 0.0, 10.0);
    p.unit("community_policing", x.community_policing);
    p.unit("reintegration", x.reintegration);
    p.unit("exclusion", x.exclusion);
    p.unit("communication", x.communication);
    p.unit("ct_track", x.ct_track);
    p.int("pmc_units", x.pmc_units, 0, 10_000);
    p.int("qrf_units", x.qrf_units, 0, 1000);
    p.num("qrf_speed_kmh", x.qrf_speed_kmh, 0.1, 1000.0);
    p.num("qrf_detection_hours", x.qrf_detection_hours, 0.0, 240.0);
    p.unit("border_control", x.border_control);
    p.unit("humanitarian_access", x.humanitarian_access);
    p.unit("convoy_escort", x.convoy_escort);
    p.unit("service_rate", x.service_rate);
    p.unit("jobs", x.jobs);
    p.unit("political_horizon", x.political_horizon);
    p.unit("local_ownership", x.local_ownership);
    p.unit("sponsor_pressure", x.sponsor_pressure);
    p.num(
        "police_training_per_day",
        x.police_training_per_day,
        0.0,
        100_000.0,
    );
    p.int("exit_day", x.exit_day, 0, MAX_DAYS);
    p.unit("deconfliction", x.deconfliction);
    p.int(
        "deployment_delay_days",
        x.deployment_delay_days,
        0,
        MAX_DAYS,
    );
    p.int("ramp_up_days", x.ramp_up_days, 0, MAX_DAYS);
    p.unit("monitoring", x.monitoring);
}

fn civilian_params(x: &CivilianParams, p: &mut Params) {
    p.num("witness_radius_km", x.witness_radius_km, 0.0, 100.0);
    p.unit("rumour_weight", x.rumour_weight);
    p.unit("communication_damping", x.communication_damping);
    p.unit("hardship_aid_weight", x.hardship_aid_weight);
    p.unit("hardship_services_weight", x.hardship_services_weight);
    p.unit("hardship_displaced_weight", x.hardship_displaced_weight);
    p.unit("hardship_exclusion_weight", x.hardship_exclusion_weight);
    p.unit("hardship_loss_weight", x.hardship_loss_weight);
    p.unit("hardship_jobs_relief", x.hardship_jobs_relief);
    p.num("loss_half_life_days", x.loss_half_life_days, 0.1, 1e6);
    p.unit("trust_initial_min", x.trust_initial_min);
    p.unit("trust_initial_max", x.trust_initial_max);
    p.unit("trust_aid_gain", x.trust_aid_gain);
    p.unit("aid_credit", x.aid_credit);
    p.num("trust_services_gain", x.trust_services_gain, 0.0, MAX_RATE);
    p.unit("trust_protection_gain", x.trust_protection_gain);
    p.unit("trust_policing_gain", x.trust_policing_gain);
    p.unit("trust_harm_loss", x.trust_harm_loss);
    p.num("negativity_bias", x.negativity_bias, 0.0, 10.0);
    p.num("trust_half_life_days", x.trust_half_life_days, 0.1, 1e6);
    p.unit("legitimacy_trust_weight", x.legitimacy_trust_weight);
    p.unit("exclusion_legitimacy_loss", x.exclusion_legitimacy_loss);
    p.unit("attribution_pmc", x.attribution_pmc);
    p.unit("attribution_ct", x.attribution_ct);
    p.unit("attribution_police", x.attribution_police);
    p.unit("sympathy_backlash_gain", x.sympathy_backlash_gain);
    p.unit("sympathy_own_harm_loss", x.sympathy_own_harm_loss);
    p.num(
        "sympathy_half_life_days",
        x.sympathy_half_life_days,
        0.1,
        1e6,
    );
    p.unit("sympathy_spread", x.sympathy_spread);
    p.num("contagion_radius_km", x.contagion_radius_km, 0.0, 100.0);
    p.unit("contagion_weight", x.contagion_weight);
    p.num("displacement_danger", x.displacement_danger, 0.0, 1e6);
    p.unit("displacement_probability", x.displacement_probability);
    p.unit("return_probability", x.return_probability);
    p.int("displaced_min_days", x.displaced_min_days, 0, MAX_DAYS);
    p.int("recovery_days", x.recovery_days, 0, MAX_DAYS);
    p.unit("recruit_rate", x.recruit_rate);
    p.num(
        "exclusion_recruit_boost",
        x.exclusion_recruit_boost,
        0.0,
        MAX_RATE,
    );
}

fn legitimacy_params(x: &OrderLegitimacy, p: &mut Params) {
    p.unit("base", x.base);
    p.unit("horizon_gain", x.horizon_gain);
    p.unit("ownership_gain", x.ownership_gain);
    p.unit("unsc_gain", x.unsc_gain);
    p.unit("sponsor_gain", x.sponsor_gain);
    p.num("half_life_days", x.half_life_days, 0.1, 1e6);
}

fn fighter_params(x: &FighterParams, p: &mut Params) {
    p.num("people_per_unit", x.people_per_unit, 1.0, 1e6);
    p.unit("attack_rate", x.attack_rate);
    p.unit("mission_target_share", x.mission_target_share);
    p.num("deterrence_per_unit", x.deterrence_per_unit, 0.0, MAX_RATE);
    p.unit("acceptability_effect", x.acceptability_effect);
    p.unit("monitoring_deterrence", x.monitoring_deterrence);
    p.num(
        "civilian_deaths_per_attack",
        x.civilian_deaths_per_attack,
        0.0,
        1e4,
    );
    p.num(
        "mission_deaths_per_attack",
        x.mission_deaths_per_attack,
        0.0,
        1e4,
    );
    p.num("return_fire_deaths", x.return_fire_deaths, 0.0, 1e4);
    p.num(
        "collateral_deaths_per_attack",
        x.collateral_deaths_per_attack,
        0.0,
        1e4,
    );
    p.num("escalation_deaths", x.escalation_deaths, 0.0, 1e4);
    p.num(
        "incident_duration_hours",
        x.incident_duration_hours,
        0.1,
        1e4,
    );
    p.unit("ddr_rate", x.ddr_rate);
    p.unit("relapse_rate", x.relapse_rate);
    p.int("detention_days", x.detention_days, 0, MAX_DAYS);
    p.num(
        "commitment_half_life_days",
        x.commitment_half_life_days,
        0.1,
        1e6,
    );
    p.unit("horizon_commitment_gain", x.horizon_commitment_gain);
    p.unit("sponsor_commitment_gain", x.sponsor_commitment_gain);
    p.num(
        "pressure_commitment_loss",
        x.pressure_commitment_loss,
        0.0,
        MAX_RATE,
    );
    p.num(
        "pressure_half_life_days",
        x.pressure_half_life_days,
        0.1,
        1e6,
    );
}

fn faction_params(x: &Faction, p: &mut Params) {
    p.num("fighters", x.fighters, 0.0, MAX_PEOPLE);
    p.num("arms", x.arms, 0.0, MAX_PEOPLE);
    p.unit("commitment", x.commitment);
    p.unit("signing_boost", x.signing_boost);
    p.unit("cohesion", x.cohesion);
    p.num("aggression", x.aggression, 0.0, MAX_RATE);
    p.unit("support", x.support);
    p.num("smuggling_per_day", x.smuggling_per_day, 0.0, MAX_PEOPLE);
    p.unit("loot_propensity", x.loot_propensity);
}

fn force_params(x: &ForceParams, p: &mut Params) {
    p.num("troops_per_unit", x.troops_per_unit, 1.0, 1e6);
    p.num("vision_km", x.vision_km, 0.001, 1000.0);
    p.unit("detain_rate", x.detain_rate);
    p.num(
        "forced_detain_multiplier",
        x.forced_detain_multiplier,
        0.0,
        MAX_RATE,
    );
    p.unit("raid_rate", x.raid_rate);
    p.num("raid_deaths", x.raid_deaths, 0.0, 1e4);
    p.num("raid_weapons", x.raid_weapons, 0.0, 1e6);
    p.unit("military_harm_rate", x.military_harm_rate);
    p.num("harm_deaths", x.harm_deaths, 0.0, 1e4);
    p.num(
        "military_deterrence_bonus",
        x.military_deterrence_bonus,
        0.0,
        MAX_RATE,
    );
    p.num("tip_rate", x.tip_rate, 0.0, MAX_RATE);
    p.unit("tip_value", x.tip_value);
    p.unit("monitoring_intel", x.monitoring_intel);
    p.num("intel_half_life_days", x.intel_half_life_days, 0.1, 1e6);
    p.num("intel_gain", x.intel_gain, 0.0, MAX_RATE);
    p.num("local_response_hours", x.local_response_hours, 0.0, 1e4);
    p.unit("local_response_probability", x.local_response_probability);
    p.unit("suppression", x.suppression);
    p.num("pmc_harm_multiplier", x.pmc_harm_multiplier, 0.0, MAX_RATE);
    p.unit("pmc_lethal_kill", x.pmc_lethal_kill);
    p.unit("pmc_acceptability", x.pmc_acceptability);
    p.num("ct_raids_per_day", x.ct_raids_per_day, 0.0, 1e4);
    p.unit("ct_success", x.ct_success);
    p.num("ct_deaths", x.ct_deaths, 0.0, 1e4);
    p.num("ct_fighter_deaths", x.ct_fighter_deaths, 0.0, 1e4);
}

fn contributor_params(x: &Contributor, p: &mut Params) {
    p.num("troops", x.troops, 0.0, 1e7);
    p.num("capability", x.capability, 0.0, 10.0);
    p.unit("acceptability", x.acceptability);
    p.num("casualty_tolerance", x.casualty_tolerance, 0.0, MAX_PEOPLE);
    p.num(
        "association_tolerance",
        x.association_tolerance,
        0.0,
        MAX_RATE,
    );
}

fn qrf_params(x: &QrfParams, p: &mut Params) {
    p.num("severity_threshold", x.severity_threshold, 0.0, 1e6);
    p.int("sorties_per_day", x.sorties_per_day, 0, 1000);
    p.unit("intel_detection_cut", x.intel_detection_cut);
    p.num("collateral_deaths", x.collateral_deaths, 0.0, 1e4);
    p.num("capability", x.capability, 0.0, 10.0);
}

fn police_params(x: &PoliceParams, p: &mut Params) {
    p.num("initial_officers", x.initial_officers, 0.0, 1e7);
    p.num("max_officers", x.max_officers, 0.0, 1e7);
    p.num("officers_per_unit", x.officers_per_unit, 1.0, 1e6);
    p.num("capability_initial", x.capability_initial, 0.0, 10.0);
    p.num("capability_max", x.capability_max, 0.0, 10.0);
    p.num(
        "capability_half_life_days",
        x.capability_half_life_days,
        0.1,
        1e6,
    );
    p.unit("acceptability", x.acceptability);
    p.num(
        "handover_officers_per_1000",
        x.handover_officers_per_1000,
        0.0,
        1000.0,
    );
    p.num("handover_max_incidents", x.handover_max_incidents, 0.0, 1e6);
    p.int("handover_window_days", x.handover_window_days, 1, 10_000);
}

fn external_params(x: &ExternalParams, p: &mut Params) {
    p.num("restraint", x.restraint, 0.0, 1e6);
    p.num("threat_half_life_days", x.threat_half_life_days, 0.1, 1e6);
    p.num("attack_weight", x.attack_weight, 0.0, 1e6);
    p.num("arms_weight", x.arms_weight, 0.0, 1e6);
    p.num("strike_rate", x.strike_rate, 0.0, MAX_RATE);
    p.num("strike_fighter_deaths", x.strike_fighter_deaths, 0.0, 1e4);
    p.num("strike_civilian_deaths", x.strike_civilian_deaths, 0.0, 1e4);
    p.unit("deconfliction_effect", x.deconfliction_effect);
    p.unit("association_external_state", x.association_external_state);
    p.unit("association_neighbour_state", x.association_neighbour_state);
    p.unit("association_in_theatre", x.association_in_theatre);
    p.unit("services_damage", x.services_damage);
}

fn humanitarian_params(x: &HumanitarianParams, p: &mut Params) {
    p.num("convoys_per_day", x.convoys_per_day, 0.0, 1e5);
    p.num("rations_per_convoy", x.rations_per_convoy, 0.0, 1e9);
    p.num("loot_rate", x.loot_rate, 0.0, MAX_RATE);
    p.num("crowd_loot_rate", x.crowd_loot_rate, 0.0, MAX_RATE);
    p.unit("escort_effect", x.escort_effect);
    p.unit("services_initial", x.services_initial);
    p.unit("incident_services_damage", x.incident_services_damage);
    p.num(
        "coverage_half_life_days",
        x.coverage_half_life_days,
        0.1,
        1e6,
    );
    p.unit("coverage_initial", x.coverage_initial);
}

fn outcome_params(x: &OutcomeParams, p: &mut Params) {
    p.unit("trust_threshold", x.trust_threshold);
    p.num(
        "collapse_incidents_per_day",
        x.collapse_incidents_per_day,
        0.0,
        1e6,
    );
    p.int("collapse_days", x.collapse_days, 1, MAX_DAYS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_their_ranges() {
        for p in MissionConfig::param_catalogue() {
            assert!(
                p.value >= p.min && p.value <= p.max,
                "{:?} = {} outside {}..={}",
                p.path,
                p.value,
                p.min,
                p.max
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
