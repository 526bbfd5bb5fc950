//! Validation: docking against independent implementations (distributional
//! equivalence of per-run outcomes, Axtell et al. 1996), tick timing for
//! side-by-side speed comparisons, and `stabsim validate`: the stylized
//! facts of the evidence base as directional tests on several contexts,
//! the published magnitudes side by side, and pattern tests (TRACE
//! documentation, Grimm et al. 2014; `docs/VALIDATION.md`).
//!
//! The validate files, bottom up; each imports only from those above it:
//!
//! * [`measure`](Measure): measures of a run written as short strings;
//! * `suite`: the facts table and the checks that express them (data
//!   embedded from `scenarios/validation/`);
//! * `contexts`: contexts and arms (overrides, including `rows[*].field`);
//! * `runner`: an arm's replicates through the batch runner;
//! * `facts`: the directional tests and their statistics;
//! * `magnitudes`: dose–response and ceasefire survival next to the
//!   published numbers;
//! * `patterns`: pattern tests P01–P04;
//! * `report`: the outputs folder (CSV, charts, `report.md`).

mod contexts;
mod dock;
mod facts;
mod magnitudes;
mod measure;
mod patterns;
mod reference;
mod report;
mod runner;
mod suite;
mod timing;

pub use contexts::{Context, DEFAULT_CONTEXTS, RunSettings, arm_key, arm_scenario};
pub use dock::{DOCKED_OUTCOMES, DockError, DockReport, DockTest, dock, dock_outcomes};
pub use facts::{FactResult, LEVEL, Status, adjust, contrast_interval, run_context};
pub use magnitudes::{DoseRow, SurvivalRow};
pub use measure::{Aggregate, Measure};
pub use patterns::PatternRow;
pub use reference::{ReferenceError, ReferenceRuns};
pub use report::{
    Counts, FACTS_COLUMNS, Validation, ValidationOptions, planned_replicates, run_validation,
    write_outputs,
};
pub use runner::{MeasureValues, Tick, run_collect, run_measures};
pub use suite::{Check, CheckSpec, Expect, Fact, Suite, Unexpressible};
pub use timing::{TimingReport, time_ticks};
