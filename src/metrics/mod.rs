//! What is measured: per-tick metrics of one replicate ([`Series`]) and the
//! per-run outcomes derived from them ([`RunOutcome`]). Definitions are in
//! `docs/ODD.md` §Observation.

mod outcome;
mod series;
mod summary;

pub use outcome::{RUN_COLUMNS, RunOutcome, outcome};
pub use series::Series;
pub use summary::{Summary, TickStats};

/// Per-tick metrics of the Epstein model, in column order: citizens by
/// status, cops on duty, and the legitimacy in force.
pub const EPSTEIN_METRICS: [&str; 5] = ["quiescent", "active", "jailed", "cops", "legitimacy"];
