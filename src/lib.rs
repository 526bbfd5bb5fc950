//! stabsim: an agent-based simulator of international stabilization missions.
//!
//! stabsim is a tool for exploring mechanisms and counterfactuals. It does
//! **not** forecast. A scenario without a `[mission]` table is Epstein's
//! (2002) civil violence Model I (citizens and cops), docked against an
//! independent implementation; with one, the stabilization mission model of
//! `docs/ODD.md` runs: civilians, factions, troop contributors, quick
//! reaction forces, local police, an external military and the
//! humanitarian system on a map.
//!
//! The data flow goes one way; the modules read like a table of contents,
//! from the shared floor up (`docs/ARCHITECTURE.md` draws the layers):
//!
//! * [`scenario`]: typed TOML scenarios, `extends`, validation with located errors;
//! * [`stats`]: streaming moments, quantiles, tests and intervals;
//! * [`sensitivity`]: Morris and Sobol estimators, the Sobol sequence (pure);
//! * [`world`]: the grid, maps and neighbourhood queries;
//! * [`rng`]: one random stream per (seed, replicate, process);
//! * [`metrics`]: a replicate's per-tick series and their summary over replicates;
//! * [`epstein`]: Epstein's civil violence model, the special case (pure: no I/O);
//! * [`mission`]: the mission model's actors and phases (pure: no I/O);
//! * [`model`]: the choice between the two, one run loop, per-run outcomes;
//! * [`batch`]: Monte Carlo replicates in parallel (rayon), in replicate order;
//! * [`output`]: CSV, resolved scenario, manifest, atomic writes;
//! * [`compare`]: mandates side by side: paired differences, ranking, survival;
//! * [`sweep`]: designs of parameter values run with common random numbers, and
//!   `stabsim sensitivity`;
//! * [`plot`]: charts with an embedded font;
//! * [`report`]: the comparison report, self-contained HTML and Markdown;
//! * [`serve`]: `stabsim serve`, the model in the browser (page, JSON API, event stream);
//! * [`validation`]: docking against reference runs of an independent implementation,
//!   and `stabsim validate`: stylized facts, published magnitudes, patterns.

pub mod batch;
pub mod compare;
pub mod epstein;
pub mod metrics;
pub mod mission;
pub mod model;
pub mod output;
pub mod plot;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod serve;
pub mod stats;
pub mod sweep;
pub mod validation;
pub mod world;

/// The statement every output carries: what stabsim is for, and what it is not.
pub const DISCLAIMER: &str = "stabsim explores mechanisms and counterfactuals; it does not forecast. \
Its numbers show what the modelled rules imply under the stated assumptions, not what will happen.";
