//! The comparison's tidy table of runs, `runs.csv` at the top of a
//! comparison folder: one row per scenario and replicate with the scenario,
//! the replicate, the master seed, the levers that differ from the baseline
//! (one column each) and every per-replicate measure (the scenario folders'
//! `runs.csv` plus the measures the comparison derives from
//! `timeseries.csv`). One file to load into pandas or R, as Mesa's
//! `batch_run` and BehaviorSpace's table give.

use crate::output::{RunsTable, number_text};

use super::ScenarioOutputs;
use super::changes::lever_columns;

/// The text of the comparison's `runs.csv`; `measured[s]` is scenario `s`'s
/// measure table (see [`super::folder::measure_table`]). Measure columns
/// follow the baseline's order, then any a variant adds; a scenario
/// without a measure leaves it empty.
pub fn runs_csv(outputs: &[ScenarioOutputs], measured: &[RunsTable]) -> std::io::Result<Vec<u8>> {
    let scenarios: Vec<_> = outputs.iter().map(|o| &o.scenario).collect();
    let (levers, values) = lever_columns(&scenarios);
    let mut measures: Vec<&str> = Vec::new();
    for t in measured {
        for c in &t.columns {
            if !measures.contains(&c.as_str()) {
                measures.push(c);
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = ["scenario", "replicate", "seed"]
        .into_iter()
        .chain(levers.iter().map(String::as_str))
        .chain(measures.iter().copied());
    w.write_record(header)?;
    for ((o, table), lever_values) in outputs.iter().zip(measured).zip(&values) {
        let index: Vec<Option<usize>> = measures
            .iter()
            .map(|m| table.columns.iter().position(|c| c == m))
            .collect();
        for (r, row) in table.rows.iter().enumerate() {
            let mut record = vec![
                o.scenario.name.clone(),
                r.to_string(),
                o.scenario.run.seed.to_string(),
            ];
            record.extend(lever_values.iter().cloned());
            record.extend(index.iter().map(|j| {
                j.and_then(|j| row.get(j).copied().flatten())
                    .map(number_text)
                    .unwrap_or_default()
            }));
            w.write_record(&record)?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}
