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
//! The data flow goes one way; the modules read like a table of contents:
//!
//! * [`scenario`]: typed TOML scenarios, `extends`, validation with located errors;
//! * [`world`]: the grid, maps and neighbourhood queries;
//! * [`agents`]: citizens and cops, as struct-of-arrays populations;
//! * [`sim`]: one replicate's state and its step, phases in a fixed order (pure: no I/O);
//! * [`mission`]: the mission model's actors and phases (pure: no I/O);
//! * [`metrics`]: per-tick metrics and per-run outcomes;
//! * [`stats`]: streaming moments, quantiles, the Kolmogorov–Smirnov test;
//! * [`batch`]: seeding and Monte Carlo replicates in parallel (rayon);
//! * [`output`]: CSV, resolved scenario, manifest, atomic writes;
//! * [`compare`]: mandates side by side: paired differences, ranking, survival;
//! * [`plot`]: charts with an embedded font;
//! * [`report`]: the comparison report, self-contained HTML and Markdown;
//! * [`validation`]: docking against reference runs of an independent implementation.

pub mod agents;
pub mod batch;
pub mod compare;
pub mod metrics;
pub mod mission;
pub mod output;
pub mod plot;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod validation;
pub mod world;

/// The statement every output carries: what stabsim is for, and what it is not.
pub const DISCLAIMER: &str = "stabsim explores mechanisms and counterfactuals; it does not forecast. \
Its numbers show what the modelled rules imply under the stated assumptions, not what will happen.";
