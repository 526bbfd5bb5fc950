//! Monte Carlo batches: replicates in parallel with rayon, consumed in
//! replicate order.
//!
//! Replicate i depends only on (scenario, seed, i) (see [`crate::rng`]),
//! and results reach the consumer in order 0, 1, 2, … whatever the number of
//! threads, so every aggregate (and every floating-point reduction) is the
//! same with 1 or N threads. Replicates run in windows of a few per thread;
//! while the consumer takes window k, the workers already run window k + 1.
//! Memory is bounded by the window, not by the replicate count.

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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| BatchError::ThreadPool { threads, source })?;
    let total = u64::from(scenario.run.replicates);
    let window = (pool.current_num_threads() * WINDOW_PER_THREAD) as u64;
    let run_window = |start: u64| -> Vec<Series> {
        let end = (start + window).min(total);
        (start..end).into_par_iter().map(|i| model.run(i)).collect()
    };
    pool.install(|| {
        let mut start = 0;
        let mut current = run_window(start);
        while !current.is_empty() {
            let next_start = start + current.len() as u64;
            // Overlap: compute the next window while consuming this one.
            let (next, consumed) = rayon::join(
                || run_window(next_start),
                || consume(sink, start, &current, progress),
            );
            consumed.map_err(BatchError::Sink)?;
            start = next_start;
            current = next;
        }
        Ok(())
    })
}

fn consume<S: ReplicateSink>(
    sink: &mut S,
    start: u64,
    window: &[Series],
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<(), S::Error> {
    for (k, series) in window.iter().enumerate() {
        let replicate = start + k as u64;
        sink.accept(replicate, series)?;
        progress(replicate + 1);
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
