//! The choice between the two models, made in one place: a scenario without
//! a `[mission]` table runs Epstein's model ([`crate::epstein`]), one with
//! it runs the mission model ([`crate::mission`]). Everything above this
//! file (batches, outputs, comparisons, docking) sees one [`Model`]: its
//! metric names, one run loop, and the rule that turns a run into its row
//! of `runs.csv` ([`OutcomeRule`]). Nothing below it knows there are two.

use std::sync::{Arc, Mutex};

use crate::epstein::metrics::{self as epstein_metrics, RUN_COLUMNS, outcome};
use crate::epstein::state::SimState;
use crate::metrics::{Names, Series};
use crate::mission::{self, MISSION_RUN_COLUMNS, MapFrame, MissionState, mission_outcome};
use crate::scenario::{MapError, MissionConfig, Scenario, SectorMap, TerrainMap};
use crate::stats::SizeHistogram;

/// A scenario prepared for running replicates: its map parsed once, its
/// model chosen (Epstein, or the mission model when `[mission]` is present)
/// and its metric names fixed.
#[derive(Debug, Clone)]
pub struct Model<'a> {
    scenario: &'a Scenario,
    terrain: &'a TerrainMap,
    sectors: Option<SectorMap>,
    names: Names,
    /// Map frames to record while the batch runs one replicate (see
    /// [`Model::capture_frames`]); shared by clones.
    capture: Option<Arc<FrameCapture>>,
    /// What each replicate ended with, kept when asked (see
    /// [`Model::capture_run_ends`]); shared by clones.
    ends: Option<Arc<KeptEnds>>,
}

/// What a mission replicate ended with that its daily [`Series`] does not
/// carry (pattern test P04): kept only when asked, so the series and its
/// CSVs are the same bytes with or without it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEnd {
    /// Civilians killed per incident, binned.
    pub incident_sizes: SizeHistogram,
    /// The people-weighted standard deviation of civilians' trust on the
    /// last day ([`MissionState::trust_spread`]).
    pub trust_spread: f64,
}

/// Each replicate's [`RunEnd`], by replicate, as the batch's threads
/// finish them.
type KeptEnds = Mutex<Vec<(u64, RunEnd)>>;

/// Which replicate's map frames [`Model::run`] records, and where it puts
/// them: recording while the batch runs the replicate anyway saves running
/// it a second time just for its map.
#[derive(Debug)]
struct FrameCapture {
    replicate: u64,
    every: u32,
    days: Vec<u32>,
    frames: Mutex<Option<Vec<MapFrame>>>,
}

/// One replicate of either model, as the run loop steps it.
enum Replicate {
    Epstein(Box<SimState>),
    Mission(Box<MissionState>),
}

impl Replicate {
    fn step(&mut self) {
        match self {
            Self::Epstein(s) => s.step(),
            Self::Mission(s) => s.step(),
        }
    }

    /// Replaces `row` with this tick's metrics, in the model's column order.
    fn metrics_into(&self, row: &mut Vec<f64>) {
        match self {
            Self::Epstein(s) => {
                row.clear();
                row.extend_from_slice(&s.metrics());
            }
            Self::Mission(s) => s.metrics_into(row),
        }
    }
}

/// Map frames recorded while a mission replicate runs: day 0, every
/// `every` days, the last day, and each of `days` exactly (the days asked
/// for as maps, which need not lie on the regular grid).
struct FrameObserver {
    every: u32,
    days: Vec<u32>,
    frames: Vec<MapFrame>,
}

impl FrameObserver {
    /// Records the frame of day `tick` (of `ticks`) if it is one to keep.
    fn observe(&mut self, state: &mut Replicate, tick: u32, ticks: u32) {
        let wanted =
            tick == 0 || tick % self.every == 0 || tick == ticks || self.days.contains(&tick);
        if let (true, Replicate::Mission(s)) = (wanted, state) {
            // A large grid in blocks: frames are held for the whole run.
            let block = mission::frame_block(s.grid().width(), s.grid().height());
            self.frames.push(s.take_frame_in_blocks(block));
        }
    }
}

impl<'a> Model<'a> {
    /// Prepares a validated scenario over its parsed terrain.
    pub fn new(scenario: &'a Scenario, terrain: &'a TerrainMap) -> Result<Self, MapError> {
        let sectors = match &scenario.mission {
            None => None,
            Some(_) => scenario.world.sectors()?,
        };
        Ok(Self {
            scenario,
            terrain,
            sectors,
            names: metric_names(scenario),
            capture: None,
            ends: None,
        })
    }

    /// Makes [`Model::run`] of `replicate` (a mission scenario's) also
    /// record the map frames [`Model::run_with_frames`] would, for
    /// [`Model::take_frames`]. Frames only observe the run, so its series
    /// is the same bytes.
    pub fn capture_frames(mut self, replicate: u64, every: u32, days: &[u32]) -> Self {
        if self.scenario.mission.is_some() {
            self.capture = Some(Arc::new(FrameCapture {
                replicate,
                every,
                days: days.to_vec(),
                frames: Mutex::new(None),
            }));
        }
        self
    }

    /// The frames recorded by [`Model::run`] of the replicate named in
    /// [`Model::capture_frames`], if it ran (a resumed batch may have read
    /// it back instead); taken, so a second call gives `None`.
    pub fn take_frames(&self) -> Option<Vec<MapFrame>> {
        let capture = self.capture.as_ref()?;
        let mut frames = capture.frames.lock().unwrap_or_else(|e| e.into_inner());
        frames.take()
    }

    /// Makes [`Model::run`] of a mission scenario also keep what each
    /// replicate ended with ([`RunEnd`]: civilians killed per incident, the
    /// spread of trust on the last day), for [`Model::take_run_ends`]:
    /// neither is a daily series, so neither is in the [`Series`] or its
    /// CSVs. Only observes: the series is the same bytes.
    pub fn capture_run_ends(mut self) -> Self {
        if self.scenario.mission.is_some() {
            self.ends = Some(Arc::new(Mutex::new(Vec::new())));
        }
        self
    }

    /// The [`RunEnd`]s kept since [`Model::capture_run_ends`], in
    /// replicate order (empty for an Epstein scenario); taken.
    pub fn take_run_ends(&self) -> Vec<RunEnd> {
        let Some(ends) = self.ends.as_ref() else {
            return Vec::new();
        };
        let mut kept = std::mem::take(&mut *ends.lock().unwrap_or_else(|e| e.into_inner()));
        kept.sort_by_key(|(replicate, _)| *replicate);
        kept.into_iter().map(|(_, e)| e).collect()
    }

    /// The per-tick metric names, in column order.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// Runs replicate `replicate` for `scenario.run.ticks` ticks and returns
    /// its metrics for ticks 0 (initial state) to the horizon.
    pub fn run(&self, replicate: u64) -> Series {
        if let Some(c) = self.capture.as_ref().filter(|c| c.replicate == replicate) {
            if let Some((series, frames)) = self.run_with_frames(replicate, c.every, &c.days) {
                *c.frames.lock().unwrap_or_else(|e| e.into_inner()) = Some(frames);
                return series;
            }
        }
        self.run_observed(replicate, None)
    }

    /// For a mission scenario, runs replicate `replicate` as [`Model::run`]
    /// does (the same series: frames only observe the run) and also returns
    /// map frames of day 0, every `every` days, the last day and each of
    /// `days`, in day order (each frame's incidents are those since the
    /// frame before it), a large grid in blocks of cells
    /// ([`mission::frame_block`]); `None` for an Epstein scenario, which
    /// has no map frames.
    pub fn run_with_frames(
        &self,
        replicate: u64,
        every: u32,
        days: &[u32],
    ) -> Option<(Series, Vec<MapFrame>)> {
        self.scenario.mission.as_ref()?;
        let mut observer = FrameObserver {
            every: every.max(1),
            days: days.to_vec(),
            frames: Vec::new(),
        };
        let series = self.run_observed(replicate, Some(&mut observer));
        Some((series, observer.frames))
    }

    /// The run loop of both models: build, then step to the horizon,
    /// recording a row of metrics per tick (and frames, when observed).
    fn run_observed(&self, replicate: u64, mut frames: Option<&mut FrameObserver>) -> Series {
        let mut state = match &self.scenario.mission {
            None => Replicate::Epstein(Box::new(SimState::new(
                self.scenario,
                self.terrain,
                replicate,
            ))),
            Some(_) => Replicate::Mission(Box::new(MissionState::new(
                self.scenario,
                self.terrain,
                self.sectors.as_ref(),
                replicate,
            ))),
        };
        if let (Some(_), Replicate::Mission(s)) = (&frames, &mut state) {
            s.record_frames();
        }
        let ticks = self.scenario.run.ticks;
        let mut series = Series::new(self.names.clone(), ticks);
        let mut row = Vec::with_capacity(self.names.len());
        for tick in 0..=ticks {
            if tick > 0 {
                state.step();
            }
            state.metrics_into(&mut row);
            series.push_row(&row);
            if let Some(observer) = frames.as_deref_mut() {
                observer.observe(&mut state, tick, ticks);
            }
        }
        if let (Some(ends), Replicate::Mission(s)) = (&self.ends, &state) {
            let end = RunEnd {
                incident_sizes: s.incident_sizes().clone(),
                trust_spread: s.trust_spread(),
            };
            let mut kept = ends.lock().unwrap_or_else(|e| e.into_inner());
            kept.push((replicate, end));
        }
        series
    }
}

/// The per-tick metric names of a scenario's model, in column order.
pub fn metric_names(scenario: &Scenario) -> Names {
    match &scenario.mission {
        None => epstein_metrics::metric_names(),
        Some(m) => mission::metric_names(m).into(),
    }
}

/// Runs replicate `replicate` of a validated scenario (either model) for
/// `scenario.run.ticks` ticks. Panics if the scenario's sector map is
/// invalid, which validation rules out.
pub fn run_replicate(scenario: &Scenario, terrain: &TerrainMap, replicate: u64) -> Series {
    Model::new(scenario, terrain)
        .expect("a validated scenario has a valid sector map")
        .run(replicate)
}

/// How a replicate's series becomes its row of `runs.csv`: Epstein's
/// outcomes, or the mission model's.
#[derive(Debug, Clone)]
pub enum OutcomeRule {
    /// [`outcome`] with this burn-in and outburst threshold.
    Epstein {
        /// Ticks left out.
        burn_in: u32,
        /// Outburst threshold (share of citizens).
        threshold: f64,
    },
    /// [`mission_outcome`].
    Mission {
        /// Ticks left out.
        burn_in: u32,
        /// The mission configuration (outcome definitions).
        config: Box<MissionConfig>,
    },
}

impl OutcomeRule {
    /// The rule for a scenario.
    pub fn for_scenario(scenario: &Scenario) -> Self {
        match &scenario.mission {
            None => Self::Epstein {
                burn_in: scenario.run.burn_in,
                threshold: scenario.metrics.outburst_threshold,
            },
            Some(config) => Self::Mission {
                burn_in: scenario.run.burn_in,
                config: Box::new(config.clone()),
            },
        }
    }

    /// Column names after `replicate`.
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            Self::Epstein { .. } => &RUN_COLUMNS,
            Self::Mission { .. } => &MISSION_RUN_COLUMNS,
        }
    }

    /// One replicate's values, in column order; `None` where undefined.
    pub fn values(&self, series: &Series) -> Vec<Option<f64>> {
        match self {
            Self::Epstein { burn_in, threshold } => {
                outcome(series, *burn_in, *threshold).values().to_vec()
            }
            Self::Mission { burn_in, config } => mission_outcome(series, *burn_in, config),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_captured_in_the_batch_are_those_of_a_separate_run() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gaza/baseline.toml");
        let overrides = ["run.ticks=25".to_string()];
        let sc = crate::scenario::load(&path, &overrides).expect("Gaza baseline");
        let terrain = sc.world.terrain().expect("Gaza map");
        let plain = Model::new(&sc, &terrain).unwrap();
        let capturing = Model::new(&sc, &terrain)
            .unwrap()
            .capture_frames(1, 10, &[13]);
        let (series, frames) = plain.run_with_frames(1, 10, &[13]).unwrap();
        // Another replicate records nothing; the captured one records the
        // same frames, and its series is the same as without frames.
        assert_eq!(capturing.run(0), plain.run(0));
        assert_eq!(capturing.take_frames(), None);
        assert_eq!(capturing.run(1), series);
        assert_eq!(plain.run(1), series);
        let captured = capturing.take_frames().expect("frames of replicate 1");
        let days: Vec<u32> = captured.iter().map(|f| f.tick).collect();
        assert_eq!(days, [0, 10, 13, 20, 25]);
        // Trust is NaN where nobody lives, so compare the printed frames.
        assert_eq!(format!("{captured:?}"), format!("{frames:?}"));
        assert_eq!(capturing.take_frames(), None, "taken once");
    }

    #[test]
    fn run_ends_only_observe_and_are_those_of_the_last_day() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gaza/baseline.toml");
        let overrides = ["run.ticks=40".to_string()];
        let sc = crate::scenario::load(&path, &overrides).expect("Gaza baseline");
        let terrain = sc.world.terrain().expect("Gaza map");
        let plain = Model::new(&sc, &terrain).unwrap();
        let capturing = Model::new(&sc, &terrain).unwrap().capture_run_ends();
        // The same series with or without the capture, in any order of
        // replicates; the ends come back in replicate order.
        assert_eq!(capturing.run(1), plain.run(1));
        assert_eq!(capturing.run(0), plain.run(0));
        let ends = capturing.take_run_ends();
        assert_eq!(ends.len(), 2);
        assert!(capturing.take_run_ends().is_empty(), "taken once");
        // Each is what a state stepped to the horizon ends with.
        for (replicate, end) in ends.iter().enumerate() {
            let mut s = MissionState::new(&sc, &terrain, plain.sectors.as_ref(), replicate as u64);
            for _ in 0..sc.run.ticks {
                s.step();
            }
            assert_eq!(end.incident_sizes, *s.incident_sizes());
            assert_eq!(end.trust_spread.to_bits(), s.trust_spread().to_bits());
            assert!(end.trust_spread > 0.0, "trust differs between people");
        }
        assert_ne!(ends[0], ends[1], "replicates differ");
        assert!(plain.take_run_ends().is_empty(), "nothing kept unasked");
    }
}
