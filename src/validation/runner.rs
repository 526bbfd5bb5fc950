//! Running one arm's replicates through the batch runner (parallel, in
//! replicate order, so every result is the same with any thread count) and
//! reducing each replicate to the numbers a validation needs.

use crate::batch::{ReplicateSink, run_batch};
use crate::metrics::Series;
use crate::model::{Model, OutcomeRule, RunEnd};
use crate::scenario::Scenario;

use super::measure::Measure;

/// Called once per finished replicate (drives a progress bar).
pub type Tick<'a> = &'a (dyn Fn() + Sync);

/// What one replicate is reduced to, with its per-run outcomes at hand.
pub type Reduce<'a, T> = &'a (dyn Fn(&Series, &OutcomeRule, &[Option<f64>]) -> T + Sync);

struct Collect<'a, T> {
    rule: OutcomeRule,
    reduce: Reduce<'a, T>,
    out: Vec<T>,
}

impl<T: Send> ReplicateSink for Collect<'_, T> {
    type Error = String;
    fn accept(&mut self, _replicate: u64, series: &Series) -> Result<(), String> {
        let outcomes = self.rule.values(series);
        self.out.push((self.reduce)(series, &self.rule, &outcomes));
        Ok(())
    }
}

/// Runs every replicate of `sc` and reduces each with `reduce`, in
/// replicate order.
pub fn run_collect<T: Send>(
    sc: &Scenario,
    threads: usize,
    reduce: Reduce<'_, T>,
    tick: Tick<'_>,
) -> Result<Vec<T>, String> {
    collect(sc, threads, reduce, tick, false).map(|(out, _)| out)
}

/// As [`run_collect`], also returning what each replicate ended with
/// ([`RunEnd`]: civilians killed per incident, the spread of trust on the
/// last day; empty for an Epstein scenario), in replicate order.
pub fn run_collect_ends<T: Send>(
    sc: &Scenario,
    threads: usize,
    reduce: Reduce<'_, T>,
    tick: Tick<'_>,
) -> Result<(Vec<T>, Vec<RunEnd>), String> {
    collect(sc, threads, reduce, tick, true)
}

fn collect<T: Send>(
    sc: &Scenario,
    threads: usize,
    reduce: Reduce<'_, T>,
    tick: Tick<'_>,
    ends: bool,
) -> Result<(Vec<T>, Vec<RunEnd>), String> {
    let terrain = sc.world.terrain().map_err(|e| e.to_string())?;
    let mut model = Model::new(sc, &terrain).map_err(|e| e.to_string())?;
    if ends {
        model = model.capture_run_ends();
    }
    let mut sink = Collect {
        rule: OutcomeRule::for_scenario(sc),
        reduce,
        out: Vec::with_capacity(sc.run.replicates as usize),
    };
    run_batch(&model, sc, threads, &mut sink, &mut |_| tick()).map_err(|e| e.to_string())?;
    Ok((sink.out, model.take_run_ends()))
}

/// Per measure, each replicate's value, or why the model cannot give it.
pub type MeasureValues = Vec<Result<Vec<Option<f64>>, String>>;

/// Runs `sc` and evaluates `measures` on every replicate. A measure the
/// model does not record is an `Err` for that measure only; nothing runs
/// when no measure can be evaluated.
pub fn run_measures(
    sc: &Scenario,
    measures: &[Measure],
    threads: usize,
    tick: Tick<'_>,
) -> Result<MeasureValues, String> {
    let metrics = crate::model::metric_names(sc);
    let rule = OutcomeRule::for_scenario(sc);
    let available: Vec<Result<(), String>> = measures
        .iter()
        .map(|m| m.check_available(&metrics, rule.columns()))
        .collect();
    if available.iter().all(Result::is_err) {
        for _ in 0..sc.run.replicates {
            tick();
        }
        return Ok(available.into_iter().map(|a| Err(a.unwrap_err())).collect());
    }
    let burn_in = sc.run.burn_in;
    let reduce = |series: &Series, rule: &OutcomeRule, outcomes: &[Option<f64>]| {
        measures
            .iter()
            .map(|m| m.value(series, rule, outcomes, burn_in))
            .collect::<Vec<_>>()
    };
    let rows = run_collect(sc, threads, &reduce, tick)?;
    Ok(available
        .into_iter()
        .enumerate()
        .map(|(k, a)| a.map(|()| rows.iter().map(|r| r[k]).collect()))
        .collect())
}
