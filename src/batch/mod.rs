//! Monte Carlo batches: replicates in parallel with rayon, consumed in
//! replicate order.
//!
//! Replicate i depends only on (scenario, seed, i) (see [`crate::rng`]),
//! and results reach the consumer in order 0, 1, 2, … whatever the number of
//! threads, so every aggregate (and every floating-point reduction) is the
//! same with 1 or N threads. Replicates run in windows of a few per thread;
//! while the consumer takes window k, the workers already run window k + 1.
//! Memory is bounded by the window, not by the replicate count.
//!
//! A batch can keep its finished replicates ([`Keep`]: on disk, so that an
//! interrupted batch resumes and shards merge) and stops early, after the
//! replicates in progress, once [`interrupt`] was called (Ctrl-C).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::metrics::Series;
use crate::model::Model;
use crate::scenario::Scenario;

/// Takes finished replicates, in replicate order.
pub trait ReplicateSink {
    /// The error the sink can fail with (e.g. an I/O error).
    type Error: Send;
    /// Called once per replicate, with indices 0, 1, 2, … in order.
    fn accept(&mut self, replicate: u64, series: &Series) -> Result<(), Self::Error>;
}

/// Why a batch did not complete.
#[derive(Debug, thiserror::Error)]
pub enum BatchError<E> {
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        /// Requested threads.
        threads: usize,
        /// The underlying error.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// The sink failed.
    #[error(transparent)]
    Sink(E),
    /// Keeping or reading back a finished replicate failed.
    #[error("keeping finished replicates: {0}")]
    Keep(std::io::Error),
    /// [`interrupt`] was called: the batch stopped after the replicates in
    /// progress (each kept, if the batch keeps them).
    #[error("interrupted")]
    Interrupted,
}

/// Set by [`interrupt`] (the Ctrl-C handler), read by running batches.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks running and later batches to stop after their current replicates.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether [`interrupt`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Where a batch keeps its finished replicates and finds those of an
/// earlier, interrupted run (or of other shards), and which it runs.
pub trait Keep: Sync {
    /// Replicate `i` as kept, if it is.
    fn load(&self, i: u64) -> std::io::Result<Option<Series>>;
    /// Keeps replicate `i`, just run.
    fn save(&self, i: u64, series: &Series) -> std::io::Result<()>;
    /// Whether this batch runs replicate `i` (a shard runs a slice).
    fn wanted(&self, i: u64) -> bool {
        let _ = i;
        true
    }
}

/// Keeps nothing: every replicate runs.
pub struct KeepNothing;

impl Keep for KeepNothing {
    fn load(&self, _: u64) -> std::io::Result<Option<Series>> {
        Ok(None)
    }
    fn save(&self, _: u64, _: &Series) -> std::io::Result<()> {
        Ok(())
    }
}

/// Replicates per thread in one window: enough to balance uneven run times,
/// few enough to keep memory small.
const WINDOW_PER_THREAD: usize = 4;

/// Runs `scenario.run.replicates` replicates on `threads` threads (0 = one
/// per core), feeding each to `sink` in replicate order and calling
/// `progress` with the number done after each.
pub fn run_batch<S>(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    sink: &mut S,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<(), BatchError<S::Error>>
where
    S: ReplicateSink + Send,
{
    run_batch_kept(model, scenario, threads, sink, progress, &KeepNothing)
}

/// [`run_batch`], taking replicates that `keep` holds from it instead of
/// running them, keeping each replicate it runs, and running (and feeding
/// to `sink`) only the replicates `keep` wants. Stops with
/// [`BatchError::Interrupted`] after the replicates in progress once
/// [`interrupt`] was called; the sink has then had an in-order prefix.
pub fn run_batch_kept<S>(
    model: &Model,
    scenario: &Scenario,
    threads: usize,
    sink: &mut S,
    progress: &mut (dyn FnMut(u64) + Send),
    keep: &dyn Keep,
) -> Result<(), BatchError<S::Error>>
where
    S: ReplicateSink + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| BatchError::ThreadPool { threads, source })?;
    let total = u64::from(scenario.run.replicates);
    let window = (pool.current_num_threads() * WINDOW_PER_THREAD) as u64;
    // One window's replicates: `None` where an interrupt came first.
    let run_window = |start: u64| -> Vec<(u64, std::io::Result<Option<Series>>)> {
        let end = (start + window).min(total);
        let wanted: Vec<u64> = (start..end).filter(|&i| keep.wanted(i)).collect();
        wanted
            .into_par_iter()
            .map(|i| {
                let got = match keep.load(i) {
                    Ok(Some(s)) => Ok(Some(s)),
                    Err(e) => Err(e),
                    Ok(None) if interrupted() => Ok(None),
                    Ok(None) => {
                        let s = model.run(i);
                        keep.save(i, &s).map(|()| Some(s))
                    }
                };
                (i, got)
            })
            .collect()
    };
    pool.install(|| {
        let mut start = 0;
        let mut done = 0;
        let mut current = run_window(start);
        loop {
            let next_start = (start + window).min(total);
            let last = next_start >= total;
            let go_on = !last && !interrupted();
            // Overlap: compute the next window while consuming this one.
            let (next, consumed) = rayon::join(
                || go_on.then(|| run_window(next_start)),
                || consume(sink, current, &mut done, progress),
            );
            consumed?;
            match next {
                Some(next) => {
                    start = next_start;
                    current = next;
                }
                None if last => return Ok(()),
                None => return Err(BatchError::Interrupted),
            }
        }
    })
}

fn consume<S: ReplicateSink>(
    sink: &mut S,
    window: Vec<(u64, std::io::Result<Option<Series>>)>,
    done: &mut u64,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<(), BatchError<S::Error>> {
    for (replicate, got) in window {
        match got {
            Ok(Some(series)) => sink.accept(replicate, &series).map_err(BatchError::Sink)?,
            Ok(None) => return Err(BatchError::Interrupted),
            Err(e) => return Err(BatchError::Keep(e)),
        }
        *done += 1;
        progress(*done);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what it is given, to check order and content.
    #[derive(Default)]
    struct Collect(Vec<(u64, Series)>);

    impl ReplicateSink for Collect {
        type Error = std::convert::Infallible;
        fn accept(&mut self, replicate: u64, series: &Series) -> Result<(), Self::Error> {
            self.0.push((replicate, series.clone()));
            Ok(())
        }
    }

    fn small() -> Scenario {
        let mut s = Scenario::default();
        s.world.width = 20;
        s.world.height = 20;
        s.run.ticks = 30;
        s.run.replicates = 11;
        s.run.burn_in = 0;
        s.cops.max_jail_term = 30;
        s.legitimacy.initial = 0.7;
        s
    }

    fn collect(threads: usize) -> Collect {
        let s = small();
        let terrain = crate::scenario::TerrainMap::open(20, 20);
        let mut sink = Collect::default();
        let mut last = 0;
        let model = crate::model::Model::new(&s, &terrain).unwrap();
        run_batch(&model, &s, threads, &mut sink, &mut |n| last = n).unwrap();
        assert_eq!(last, 11);
        sink
    }

    #[test]
    fn replicates_arrive_in_order_and_match_across_thread_counts() {
        let one = collect(1);
        let three = collect(3);
        let order: Vec<u64> = one.0.iter().map(|(i, _)| *i).collect();
        assert_eq!(order, (0..11).collect::<Vec<_>>());
        assert_eq!(one.0, three.0);
        // Replicates differ from one another (streams depend on the index).
        assert_ne!(one.0[0].1, one.0[1].1);
    }
}
