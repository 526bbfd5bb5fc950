//! Outputs: tidy CSVs streamed as replicates finish, the resolved scenario,
//! the manifest and the charts, staged and committed atomically.

pub mod columnar;
mod frames;
pub mod kept;
mod limits;
mod manifest;
mod read;
pub mod resume;
mod run;
pub mod shard;
mod staging;
mod writer;

pub use frames::{
    FRAME_EVERY, FRAMES_HEADER, block_majority, frame_grid, frames_csv, read_frames, regroup,
};
pub use limits::{
    CPU_TIME_SHARE, MEMORY_SHARE, MemoryLimit, check_batch_memory, check_batch_time,
    check_batches_time, check_merge_memory, check_shard_memory, cpu_seconds_left, memory_limit,
};
pub use manifest::{Manifest, Timings};
pub use read::{
    MetricBands, ReadError, RunsTable, SummaryBands, Traces, read_first_trace, read_traces,
};
pub use run::{
    OutputLevel, RunError, RunOptions, RunReport, default_out_dir, effective_threads,
    estimated_merge_peak_bytes, estimated_peak_bytes, estimated_shard_peak_bytes, folder_name,
    resolved_toml, run_to_dir, scenario_charts, status_chart,
};
pub use staging::{
    HashingWriter, MANIFEST, Staging, WrittenFile, check_replaceable, recover, refuse_symlink,
    sha256_file_hex, sha256_hex,
};
pub use writer::{BatchAggregates, BatchWriter, number_text, summary_csv};
