//! What is measured: per-tick metrics of one replicate ([`Series`]) and the
//! per-run outcomes derived from them ([`RunOutcome`]). Definitions are in
//! `docs/ODD.md` §Observation.

mod outcome;
mod series;
mod summary;

pub use outcome::{OutcomeRule, RUN_COLUMNS, RunOutcome, outcome};
pub use series::Series;
pub use summary::{SUMMARY_SKETCH_CAPACITY, Summary, TickStats};

/// Per-tick metrics of the Epstein model, in column order: citizens by
/// status, cops on duty, and the legitimacy in force.
pub const EPSTEIN_METRICS: [&str; 5] = ["quiescent", "active", "jailed", "cops", "legitimacy"];

/// Metric names, shared by every series and summary of a batch.
pub type Names = std::sync::Arc<[String]>;

/// [`Names`] from a list of names.
pub fn names_of(list: &[&str]) -> Names {
    list.iter().map(|s| s.to_string()).collect()
}
