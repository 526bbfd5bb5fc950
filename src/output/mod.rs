//! Outputs: tidy CSVs streamed as replicates finish, the resolved scenario,
//! the manifest and the charts, staged and committed atomically.

mod manifest;
mod run;
mod staging;
mod writer;

pub use manifest::{Manifest, Timings};
pub use run::{
    RunError, RunOptions, RunReport, default_out_dir, effective_threads, estimated_peak_bytes,
    resolved_toml, run_to_dir, status_chart,
};
pub use staging::{HashingWriter, Staging, WrittenFile, sha256_hex};
pub use writer::{BatchAggregates, BatchWriter, summary_csv};
