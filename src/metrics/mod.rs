//! What is measured, whatever the model: one replicate's per-tick metrics
//! ([`Series`]) and their per-tick summary over replicates ([`Summary`]).
//! Which metrics a model records, and the per-run outcomes derived from
//! them, are the model's own (`epstein::metrics`, `mission::metrics`).

mod series;
mod summary;

pub use series::Series;
pub use summary::{
    MAX_QUANTILE_TICKS, SUMMARY_SKETCH_CAPACITY, Summary, TickStats, quantile_every,
};

/// Metric names, shared by every series and summary of a batch.
pub type Names = std::sync::Arc<[String]>;

/// [`Names`] from a list of names.
pub fn names_of(list: &[&str]) -> Names {
    list.iter().map(|s| s.to_string()).collect()
}
