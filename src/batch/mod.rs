//! Monte Carlo batches: replicates in parallel with rayon, consumed in
//! replicate order.
//!
//! Replicate i depends only on (scenario, seed, i) (see [`crate::rng`]),
//! and results reach the consumer in order 0, 1, 2, … whatever the number of
//! threads, so every aggregate (and every floating-point reduction) is the
//! same with 1 or N threads. Workers run at most a few replicates per
//! thread ahead of the consumer, so memory is bounded by that, not by the
//! replicate count.
//!
//! A batch can keep its finished replicates ([`Keep`]: on disk, so that an
//! interrupted batch resumes and shards merge) and stops early, after the
//! replicates in progress, once [`interrupt`] was called (Ctrl-C).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

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

/// Replicates per thread that may be finished ahead of the consumer: enough
/// to keep every thread busy while one replicate runs long, few enough to
/// keep memory small.
const AHEAD_PER_THREAD: usize = 8;

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

/// What a worker made of one replicate.
enum Outcome {
    /// Run, or read back from the keep.
    Done(Series),
    /// Not this batch's (a shard runs a slice).
    Unwanted,
    /// Not started: an interrupt came first.
    Interrupted,
    /// Keeping it or reading it back failed.
    Failed(std::io::Error),
}

/// How far the consumer has got, so that workers stay at most a bounded
/// number of replicates ahead of it (memory), and whether to stop.
struct Gate {
    consumed: Mutex<u64>,
    moved: Condvar,
    stop: AtomicBool,
}

impl Gate {
    /// Waits until replicate `i` is fewer than `ahead` past the consumer;
    /// false if the batch stopped meanwhile.
    fn wait_for(&self, i: u64, ahead: u64) -> bool {
        let mut consumed = self.consumed.lock().unwrap_or_else(|e| e.into_inner());
        while i >= *consumed + ahead && !self.stop.load(Ordering::SeqCst) {
            consumed = self.moved.wait(consumed).unwrap_or_else(|e| e.into_inner());
        }
        !self.stop.load(Ordering::SeqCst)
    }

    fn advance(&self, consumed: u64) {
        *self.consumed.lock().unwrap_or_else(|e| e.into_inner()) = consumed;
        self.moved.notify_all();
    }

    fn stop(&self) {
        let _guard = self.consumed.lock().unwrap_or_else(|e| e.into_inner());
        self.stop.store(true, Ordering::SeqCst);
        self.moved.notify_all();
    }
}

/// [`run_batch`], taking replicates that `keep` holds from it instead of
/// running them, keeping each replicate it runs, and running (and feeding
/// to `sink`) only the replicates `keep` wants. Stops with
/// [`BatchError::Interrupted`] after the replicates in progress once
/// [`interrupt`] was called; the sink has then had an in-order prefix.
///
/// Workers take replicates in index order from a shared counter and run
/// them without waiting for one another (no barrier between groups of
/// replicates, so no thread idles while another finishes a long one); the
/// consumer, on the calling thread, reorders what they send and feeds the
/// sink in replicate order.
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
    let workers = pool.current_num_threads();
    let ahead = (workers * AHEAD_PER_THREAD) as u64;
    let next = AtomicU64::new(0);
    let gate = Gate {
        consumed: Mutex::new(0),
        moved: Condvar::new(),
        stop: AtomicBool::new(false),
    };
    let (tx, rx) = mpsc::channel::<(u64, Outcome)>();
    let work = |tx: mpsc::Sender<(u64, Outcome)>| {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            if i >= total || !gate.wait_for(i, ahead) {
                return;
            }
            let outcome = if !keep.wanted(i) {
                Outcome::Unwanted
            } else {
                match keep.load(i) {
                    Ok(Some(s)) => Outcome::Done(s),
                    Err(e) => Outcome::Failed(e),
                    Ok(None) if interrupted() => Outcome::Interrupted,
                    Ok(None) => {
                        let s = model.run(i);
                        match keep.save(i, &s) {
                            Ok(()) => Outcome::Done(s),
                            Err(e) => Outcome::Failed(e),
                        }
                    }
                }
            };
            if tx.send((i, outcome)).is_err() {
                return;
            }
        }
    };
    pool.in_place_scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let work = &work;
            scope.spawn(move |_| work(tx));
        }
        drop(tx);
        let result = consume(sink, rx, total, &gate, progress);
        // Stops the workers (after the replicates in progress) when the
        // consumer ended early.
        gate.stop();
        result
    })
}

/// Feeds the sink in replicate order from what the workers send.
fn consume<S: ReplicateSink>(
    sink: &mut S,
    rx: mpsc::Receiver<(u64, Outcome)>,
    total: u64,
    gate: &Gate,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<(), BatchError<S::Error>> {
    let mut waiting = BTreeMap::new();
    let mut expected = 0;
    let mut done = 0;
    while expected < total {
        let outcome = match waiting.remove(&expected) {
            Some(outcome) => outcome,
            None => {
                // Every replicate below the counter was taken by a worker,
                // which sends it unless the batch stopped.
                let Ok((i, outcome)) = rx.recv() else {
                    return Err(BatchError::Interrupted);
                };
                waiting.insert(i, outcome);
                continue;
            }
        };
        match outcome {
            Outcome::Done(series) => {
                sink.accept(expected, &series).map_err(BatchError::Sink)?;
                done += 1;
                progress(done);
            }
            Outcome::Unwanted => {}
            Outcome::Interrupted => return Err(BatchError::Interrupted),
            Outcome::Failed(e) => return Err(BatchError::Keep(e)),
        }
        expected += 1;
        gate.advance(expected);
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

    /// Fails on replicate `at`.
    struct FailAt(u64, Vec<u64>);

    impl ReplicateSink for FailAt {
        type Error = u64;
        fn accept(&mut self, replicate: u64, _: &Series) -> Result<(), u64> {
            if replicate == self.0 {
                return Err(replicate);
            }
            self.1.push(replicate);
            Ok(())
        }
    }

    /// Runs odd replicates only, as a shard would.
    struct OddOnly;

    impl Keep for OddOnly {
        fn load(&self, _: u64) -> std::io::Result<Option<Series>> {
            Ok(None)
        }
        fn save(&self, _: u64, _: &Series) -> std::io::Result<()> {
            Ok(())
        }
        fn wanted(&self, i: u64) -> bool {
            i % 2 == 1
        }
    }

    #[test]
    fn a_failing_sink_stops_the_batch_and_a_slice_arrives_in_order() {
        let s = small();
        let terrain = crate::scenario::TerrainMap::open(20, 20);
        let model = crate::model::Model::new(&s, &terrain).unwrap();
        for threads in [1, 3] {
            // The workers are stopped, not left waiting: the call returns.
            let mut sink = FailAt(4, Vec::new());
            let got = run_batch(&model, &s, threads, &mut sink, &mut |_| {});
            assert!(matches!(got, Err(BatchError::Sink(4))));
            assert_eq!(sink.1, [0, 1, 2, 3]);
            let mut sink = Collect::default();
            let mut done = Vec::new();
            run_batch_kept(
                &model,
                &s,
                threads,
                &mut sink,
                &mut |n| done.push(n),
                &OddOnly,
            )
            .unwrap();
            let order: Vec<u64> = sink.0.iter().map(|(i, _)| *i).collect();
            assert_eq!(order, [1, 3, 5, 7, 9]);
            assert_eq!(done, [1, 2, 3, 4, 5]);
            assert_eq!(sink.0[1].1, model.run(3));
        }
    }
}
