//! The batch's streaming consumer: writes `timeseries.csv` and `runs.csv`
//! row by row as replicates arrive (in replicate order) and aggregates
//! per-tick statistics, so memory does not grow with the replicate count.
//! Both files start with the scenario's name, so that the files of several
//! scenarios can be stacked into one table (pandas `concat`, R `rbind`)
//! without losing which row came from where.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter};

use super::columnar::{COLUMNAR_FILE, ColumnarWriter};
use super::staging::{HashingWriter, Staging};
use crate::batch::ReplicateSink;
use crate::metrics::{Names, Series, Summary, TickStats};
use crate::model::OutcomeRule;
use crate::stats::RunningMoments;

type Sink = csv::Writer<HashingWriter<BufWriter<File>>>;

/// Streams replicates into CSV files and running aggregates.
pub struct BatchWriter {
    /// The scenario's name, the first field of every row.
    scenario: String,
    timeseries: Option<Sink>,
    /// `timeseries.parquet` (`--columnar`).
    columnar: Option<ColumnarWriter<HashingWriter<BufWriter<File>>>>,
    runs: Sink,
    summary: Summary,
    outcomes: Vec<RunningMoments>,
    rule: OutcomeRule,
    buf: String,
    /// Replicate 0's series, kept for the single-run trace chart.
    first: Option<Series>,
}

impl BatchWriter {
    /// Opens `runs.csv` (and, when `timeseries` is true, `timeseries.csv`)
    /// in `staging` and writes their headers; rows will start with
    /// `scenario`.
    pub fn create(
        staging: &Staging,
        scenario: &str,
        names: Names,
        ticks: u32,
        rule: OutcomeRule,
        timeseries: bool,
    ) -> io::Result<Self> {
        let timeseries = if timeseries {
            let mut w = csv::Writer::from_writer(staging.open("timeseries.csv")?);
            let header = ["scenario", "replicate", "tick"]
                .into_iter()
                .chain(names.iter().map(String::as_str));
            w.write_record(header)?;
            Some(w)
        } else {
            None
        };
        let mut runs = csv::Writer::from_writer(staging.open("runs.csv")?);
        runs.write_record(["scenario", "replicate"].iter().chain(rule.columns()))?;
        Ok(Self {
            scenario: scenario.to_string(),
            timeseries,
            columnar: None,
            runs,
            summary: Summary::new(names, ticks),
            outcomes: (0..rule.columns().len())
                .map(|_| RunningMoments::new())
                .collect(),
            rule,
            buf: String::new(),
            first: None,
        })
    }

    /// Also streams the per-tick rows into `timeseries.parquet`
    /// (`--columnar`), a row group per replicate.
    pub fn with_columnar(mut self, staging: &Staging) -> io::Result<Self> {
        let names = self.summary.names().clone();
        let sink = staging.open(COLUMNAR_FILE)?;
        self.columnar = Some(ColumnarWriter::create(sink, &self.scenario, &names)?);
        Ok(self)
    }

    /// Finishes the streamed files (flushed, synced, recorded in `staging`)
    /// and returns what was aggregated.
    pub fn finish(self, staging: &mut Staging) -> io::Result<BatchAggregates> {
        for w in self.timeseries.into_iter().chain([self.runs]) {
            let inner = w.into_inner().map_err(|e| e.into_error())?;
            staging.finished(inner)?;
        }
        if let Some(columnar) = self.columnar {
            staging.finished(columnar.finish()?)?;
        }
        Ok(BatchAggregates {
            summary: self.summary,
            outcomes: self.outcomes,
            first: self.first,
        })
    }

    fn write_replicate(&mut self, replicate: u64, series: &Series) -> io::Result<()> {
        if let Some(timeseries) = &mut self.timeseries {
            for t in 0..series.len() {
                timeseries.write_field(&self.scenario)?;
                timeseries.write_field(replicate.to_string())?;
                timeseries.write_field(t.to_string())?;
                for &v in series.row(t) {
                    write_number(timeseries, &mut self.buf, Some(v))?;
                }
                timeseries.write_record(None::<&[u8]>)?;
            }
        }
        if let Some(columnar) = &mut self.columnar {
            columnar.write_replicate(replicate, series)?;
        }
        let values = self.rule.values(series);
        self.runs.write_field(&self.scenario)?;
        self.runs.write_field(replicate.to_string())?;
        for (k, v) in values.into_iter().enumerate() {
            write_number(&mut self.runs, &mut self.buf, v)?;
            if let Some(v) = v {
                self.outcomes[k].push(v);
            }
        }
        self.runs.write_record(None::<&[u8]>)?;
        self.summary.add(series);
        if replicate == 0 {
            self.first = Some(series.clone());
        }
        Ok(())
    }
}

/// What a batch leaves besides its streamed files.
pub struct BatchAggregates {
    /// Per-tick statistics over replicates.
    pub summary: Summary,
    /// Moments of each per-run outcome, in the rule's column order.
    pub outcomes: Vec<RunningMoments>,
    /// Replicate 0's series (for a single-run trace).
    pub first: Option<Series>,
}

impl ReplicateSink for BatchWriter {
    type Error = io::Error;

    fn accept(&mut self, replicate: u64, series: &Series) -> io::Result<()> {
        self.write_replicate(replicate, series)
    }
}

/// A number as every CSV of stabsim writes it: the shortest round-trip
/// decimal (exact and locale-free; integers print without ".0"), empty for
/// a non-finite value (read as NA by pandas and R), and `0` for a negative
/// zero (a sum of tiny opposite terms, or a difference of equal values:
/// `-0` puzzles readers and some tools keep it as a distinct value).
pub fn number_text(v: f64) -> String {
    let mut buf = String::new();
    push_number(&mut buf, Some(v));
    buf
}

fn push_number(buf: &mut String, v: Option<f64>) {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        let v = if v == 0.0 { 0.0 } else { v };
        let _ = write!(buf, "{v}");
    }
}

/// Writes one CSV field as [`number_text`] does; `None` is empty.
pub(crate) fn write_number<W: io::Write>(
    w: &mut csv::Writer<W>,
    buf: &mut String,
    v: Option<f64>,
) -> io::Result<()> {
    buf.clear();
    push_number(buf, v);
    w.write_field(buf.as_bytes())?;
    Ok(())
}

/// The text of `summary.csv`: one row per tick and metric (tidy), with the
/// number of replicates, mean, sd and the 5th, 50th and 95th percentiles.
pub fn summary_csv(summary: &Summary) -> io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["tick", "metric", "n", "mean", "sd", "p05", "p50", "p95"])?;
    let mut buf = String::new();
    for t in 0..summary.rows() {
        for (m, name) in summary.names().iter().enumerate() {
            let TickStats {
                n,
                mean,
                sd,
                p05,
                p50,
                p95,
            } = summary.stats(t, m);
            w.write_field(t.to_string())?;
            w.write_field(name)?;
            w.write_field(n.to_string())?;
            for v in [mean, sd, p05, p50, p95] {
                write_number(&mut w, &mut buf, Some(v))?;
            }
            w.write_record(None::<&[u8]>)?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(v: Option<f64>) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        write_number(&mut w, &mut String::new(), v).unwrap();
        w.write_record(None::<&[u8]>).unwrap();
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn numbers_are_plain_and_never_negative_zero() {
        assert_eq!(field(Some(-0.0)), "0\n");
        assert_eq!(field(Some(0.1 - 0.1 * 1.0)), "0\n");
        assert_eq!(field(Some(3.0)), "3\n");
        assert_eq!(field(Some(-2.5)), "-2.5\n");
        assert_eq!(field(Some(f64::NAN)), "\"\"\n");
        assert_eq!(field(None), "\"\"\n");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(0.25 - 0.25), "0");
        assert_eq!(number_text(-(0.25 - 0.25)), "0");
        assert_eq!(number_text(f64::INFINITY), "");
    }
}
