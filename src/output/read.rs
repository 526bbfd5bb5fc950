//! Reading outputs back: `summary.csv` (per-tick bands) and `runs.csv`
//! (per-replicate outcomes), so charts and reports can be redrawn from an
//! outputs folder without re-running (`stabsim plot`).

use std::collections::HashMap;
use std::path::Path;

use crate::metrics::Summary;
use crate::plot::Band;

/// Why an output file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or parsed as CSV.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: csv::Error,
    },
    /// The file's content does not fit its format.
    #[error("{path}, line {line}: {message}")]
    Content {
        /// The file.
        path: String,
        /// 1-based line (0: the file as a whole).
        line: u64,
        /// What is wrong.
        message: String,
    },
}

impl ReadError {
    /// An error about the content of `path` at `line`.
    pub fn content(path: &Path, line: u64, message: impl Into<String>) -> Self {
        ReadError::Content {
            path: path.display().to_string(),
            line,
            message: message.into(),
        }
    }

    fn csv(path: &Path, source: csv::Error) -> Self {
        ReadError::Csv {
            path: path.display().to_string(),
            source,
        }
    }
}

/// A CSV reader over the regular file at `path` (a FIFO or device put in
/// an output folder is refused, not read forever).
fn csv_reader(path: &Path) -> Result<csv::Reader<std::fs::File>, ReadError> {
    let file = crate::scenario::input::open_regular(path)
        .map_err(|e| ReadError::csv(path, csv::Error::from(e)))?;
    Ok(csv::Reader::from_reader(file))
}

/// Per-tick mean and 5 %, 50 %, 95 % quantiles of one metric.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricBands {
    /// Mean over replicates, per tick.
    pub mean: Vec<f64>,
    /// 5th percentile per tick.
    pub p05: Vec<f64>,
    /// Median per tick.
    pub p50: Vec<f64>,
    /// 95th percentile per tick.
    pub p95: Vec<f64>,
}

/// Every metric's bands over ticks 0..rows: what charts are drawn from,
/// built from a batch's [`Summary`] or read back from `summary.csv`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryBands {
    /// Ticks covered (0..rows).
    pub rows: usize,
    /// Replicates aggregated.
    pub replicates: u64,
    /// Metric names in column order.
    pub metrics: Vec<String>,
    bands: HashMap<String, MetricBands>,
}

impl SummaryBands {
    /// The bands of a batch's summary.
    pub fn from_summary(summary: &Summary) -> Self {
        let mut out = SummaryBands {
            rows: summary.rows(),
            metrics: summary.names().to_vec(),
            ..Default::default()
        };
        for (m, name) in summary.names().iter().enumerate() {
            let mut b = MetricBands::default();
            for t in 0..summary.rows() {
                let s = summary.stats(t, m);
                out.replicates = s.n;
                b.mean.push(s.mean);
                b.p05.push(s.p05);
                b.p50.push(s.p50);
                b.p95.push(s.p95);
            }
            out.bands.insert(name.clone(), b);
        }
        out
    }

    /// Reads `summary.csv` (`tick,metric,n,mean,sd,p05,p50,p95`, ticks in
    /// order from 0); empty cells read as NaN.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let mut reader = csv_reader(path)?;
        let mut out = SummaryBands::default();
        for (k, record) in reader.records().enumerate() {
            let record = record.map_err(|e| ReadError::csv(path, e))?;
            let line = k as u64 + 2;
            if record.len() != 8 {
                return Err(ReadError::content(
                    path,
                    line,
                    format!("expected 8 fields, found {}", record.len()),
                ));
            }
            let number = |j: usize| -> Result<f64, ReadError> {
                parse_number(&record[j]).ok_or_else(|| {
                    ReadError::content(path, line, format!("{:?} is not a number", &record[j]))
                })
            };
            let tick = record[0]
                .parse::<usize>()
                .map_err(|_| ReadError::content(path, line, "tick is not a whole number"))?;
            let name = &record[1];
            let b = match out.bands.get_mut(name) {
                Some(b) => b,
                None => {
                    out.metrics.push(name.to_string());
                    out.bands.entry(name.to_string()).or_default()
                }
            };
            if b.p50.len() != tick {
                return Err(ReadError::content(
                    path,
                    line,
                    format!("metric {name}: tick {tick} out of order"),
                ));
            }
            out.replicates = number(2)? as u64;
            b.mean.push(number(3)?);
            b.p05.push(number(5)?);
            b.p50.push(number(6)?);
            b.p95.push(number(7)?);
            out.rows = out.rows.max(tick + 1);
        }
        if out.rows == 0 {
            return Err(ReadError::content(path, 0, "no rows"));
        }
        Ok(out)
    }

    /// The bands of `metric`, if present.
    pub fn get(&self, metric: &str) -> Option<&MetricBands> {
        self.bands.get(metric)
    }

    /// The median and 5–95 % band of `metric` as a chart series labelled
    /// `label` (NaN everywhere if the metric is absent, which charts skip).
    /// Beyond 1,000 ticks the summary keeps quantiles on every k-th tick
    /// only ([`crate::metrics::quantile_every`]); the band joins those ticks
    /// with straight lines, as a chart of them alone would.
    pub fn band(&self, metric: &str, label: &str) -> Band {
        let nan = vec![f64::NAN; self.rows];
        let b = self.bands.get(metric);
        let every = crate::metrics::quantile_every(self.rows.saturating_sub(1) as u32);
        let kept = |v: &Vec<f64>| bridge_thinned(v, every);
        Band {
            label: label.to_string(),
            p05: b.map_or(nan.clone(), |b| kept(&b.p05)),
            p50: b.map_or(nan.clone(), |b| kept(&b.p50)),
            p95: b.map_or(nan, |b| kept(&b.p95)),
        }
    }
}

/// `values` with each tick between two kept ticks (multiples of `every`)
/// interpolated linearly between them; unchanged when `every` is 1.
fn bridge_thinned(values: &[f64], every: usize) -> Vec<f64> {
    let mut out = values.to_vec();
    if every <= 1 {
        return out;
    }
    for (t, v) in out.iter_mut().enumerate() {
        let (a, b) = (t / every * every, t / every * every + every);
        if t == a || b >= values.len() {
            continue;
        }
        let w = (t - a) as f64 / every as f64;
        *v = values[a] + w * (values[b] - values[a]);
    }
    out
}

/// Per-replicate outcomes: the columns of `runs.csv` after `replicate`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunsTable {
    /// Outcome names, in column order.
    pub columns: Vec<String>,
    /// One row per replicate, in replicate order; `None` = undefined.
    pub rows: Vec<Vec<Option<f64>>>,
}

/// How many identifying columns precede `replicate`: 1 when the file
/// starts with `scenario` (as stabsim writes them), else 0.
fn id_columns(header: &csv::StringRecord) -> usize {
    usize::from(header.get(0) == Some("scenario"))
}

impl RunsTable {
    /// Reads `runs.csv` (`[scenario,]replicate,outcome…`); replicates must
    /// be 0, 1, 2, … in order.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let mut reader = csv_reader(path)?;
        let header = reader.headers().map_err(|e| ReadError::csv(path, e))?;
        let id = id_columns(header);
        if header.get(id) != Some("replicate") {
            return Err(ReadError::content(
                path,
                1,
                "the first column must be `replicate` (after `scenario`)",
            ));
        }
        let columns: Vec<String> = header.iter().skip(id + 1).map(str::to_string).collect();
        let mut rows = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let record = record.map_err(|e| ReadError::csv(path, e))?;
            let line = k as u64 + 2;
            if record.get(id) != Some(k.to_string().as_str()) {
                return Err(ReadError::content(
                    path,
                    line,
                    format!(
                        "expected replicate {k}, found {:?}",
                        record.get(id).unwrap_or("")
                    ),
                ));
            }
            let row = record
                .iter()
                .skip(id + 1)
                .map(|v| match v {
                    "" => Ok(None),
                    v => parse_number(v).map(Some).ok_or_else(|| {
                        ReadError::content(path, line, format!("{v:?} is not a number"))
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            rows.push(row);
        }
        Ok(Self { columns, rows })
    }

    /// The values of outcome `name` over replicates, if it is a column.
    pub fn column(&self, name: &str) -> Option<Vec<Option<f64>>> {
        let j = self.columns.iter().position(|c| c == name)?;
        Some(
            self.rows
                .iter()
                .map(|r| r.get(j).copied().flatten())
                .collect(),
        )
    }
}

/// Replicate 0's values of `metric` from `timeseries.csv` (rows
/// `replicate,tick,metric…`); reading stops at the first row of replicate 1.
/// `None` if the file has no such column.
pub fn read_first_trace(path: &Path, metric: &str) -> Result<Option<Vec<f64>>, ReadError> {
    let mut reader = csv_reader(path)?;
    let header = reader.headers().map_err(|e| ReadError::csv(path, e))?;
    let id = id_columns(header);
    let Some(j) = header.iter().position(|h| h == metric) else {
        return Ok(None);
    };
    let mut values = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::csv(path, e))?;
        if record.get(id) != Some("0") {
            break;
        }
        let v = record.get(j).unwrap_or("");
        values.push(parse_number(v).ok_or_else(|| {
            ReadError::content(path, k as u64 + 2, format!("{v:?} is not a number"))
        })?);
    }
    Ok(Some(values))
}

/// Every replicate's values of some metrics from `timeseries.csv` (rows
/// `replicate,tick,metric…`, replicates in order): `[replicate][metric]`
/// gives the metric's values by row, and `ticks[replicate]` the rows'
/// ticks. Metrics the file lacks come back as empty columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traces {
    /// The ticks of each replicate's rows.
    pub ticks: Vec<Vec<u32>>,
    /// `values[replicate][metric][row]`.
    pub values: Vec<Vec<Vec<f64>>>,
}

/// Reads `metrics` for every replicate of `timeseries.csv`.
pub fn read_traces(path: &Path, metrics: &[&str]) -> Result<Traces, ReadError> {
    let mut reader = csv_reader(path)?;
    let header = reader.headers().map_err(|e| ReadError::csv(path, e))?;
    let id = id_columns(header);
    if header.get(id) != Some("replicate") || header.get(id + 1) != Some("tick") {
        return Err(ReadError::content(
            path,
            1,
            "the first columns must be `replicate,tick` (after `scenario`)",
        ));
    }
    let columns: Vec<Option<usize>> = metrics
        .iter()
        .map(|m| header.iter().position(|h| h == *m))
        .collect();
    let mut out = Traces::default();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::csv(path, e))?;
        let line = k as u64 + 2;
        let field = |j: usize| -> Result<f64, ReadError> {
            let v = record.get(j).unwrap_or("");
            parse_number(v)
                .ok_or_else(|| ReadError::content(path, line, format!("{v:?} is not a number")))
        };
        let replicate = field(id)?;
        let tick = field(id + 1)?;
        let r = out.values.len();
        if replicate == r as f64 {
            out.ticks.push(Vec::new());
            out.values.push(vec![Vec::new(); metrics.len()]);
        } else if r == 0 || replicate != (r - 1) as f64 {
            return Err(ReadError::content(
                path,
                line,
                format!(
                    "replicate {replicate} out of order (expected {})",
                    r.saturating_sub(1)
                ),
            ));
        }
        let r = out.values.len() - 1;
        out.ticks[r].push(tick as u32);
        for (m, j) in columns.iter().enumerate() {
            if let Some(j) = j {
                let v = field(*j)?;
                out.values[r][m].push(v);
            }
        }
    }
    Ok(out)
}

/// A CSV number: empty is NaN (what the writers print for undefined).
fn parse_number(s: &str) -> Option<f64> {
    if s.is_empty() {
        Some(f64::NAN)
    } else {
        s.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Series, names_of};

    #[test]
    fn thinned_quantiles_are_bridged_between_kept_ticks() {
        let nan = f64::NAN;
        let v = [0.0, nan, 4.0, nan, 2.0, nan];
        let out = bridge_thinned(&v, 2);
        assert_eq!(&out[..5], &[0.0, 2.0, 4.0, 3.0, 2.0]);
        assert!(out[5].is_nan(), "nothing kept after it");
        // Without thinning, a missing value stays missing.
        assert!(bridge_thinned(&v, 1)[1].is_nan());
    }

    #[test]
    fn summary_bands_survive_a_round_trip_through_csv() {
        let names = names_of(&["a", "b"]);
        let mut summary = Summary::new(names.clone(), 2);
        for r in 0..7 {
            let mut s = Series::new(names.clone(), 2);
            for t in 0..3 {
                s.push_row(&[f64::from(r * t) / 3.0, 0.1 * f64::from(r)]);
            }
            summary.add(&s);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.csv");
        std::fs::write(&path, super::super::summary_csv(&summary).unwrap()).unwrap();
        let back = SummaryBands::read(&path).unwrap();
        let direct = SummaryBands::from_summary(&summary);
        assert_eq!(back, direct);
        assert_eq!((back.rows, back.replicates), (3, 7));
        assert_eq!(back.metrics, vec!["a", "b"]);
        assert!(back.band("missing", "x").p50.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn traces_come_back_per_replicate_and_metric() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("timeseries.csv");
        std::fs::write(
            &path,
            "replicate,tick,a,b\n0,0,1,2\n0,1,3,4\n1,0,5,6\n1,1,7,\n",
        )
        .unwrap();
        let t = read_traces(&path, &["b", "zz"]).unwrap();
        assert_eq!(t.ticks, vec![vec![0, 1], vec![0, 1]]);
        assert_eq!(t.values[0], vec![vec![2.0, 4.0], vec![]]);
        assert_eq!(t.values[1][0][0], 6.0);
        assert!(t.values[1][0][1].is_nan());
        std::fs::write(&path, "replicate,tick,a\n0,0,1\n2,0,1\n").unwrap();
        let err = read_traces(&path, &["a"]).unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn runs_table_reads_missing_values_and_checks_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        std::fs::write(&path, "replicate,x,y\n0,1.5,\n1,2,3\n").unwrap();
        let t = RunsTable::read(&path).unwrap();
        assert_eq!(t.column("x"), Some(vec![Some(1.5), Some(2.0)]));
        assert_eq!(t.column("y"), Some(vec![None, Some(3.0)]));
        assert_eq!(t.column("z"), None);
        std::fs::write(&path, "replicate,x\n0,1\n2,2\n").unwrap();
        let err = RunsTable::read(&path).unwrap_err().to_string();
        assert!(
            err.contains("line 3") && err.contains("replicate 1"),
            "{err}"
        );
    }

    #[test]
    fn a_leading_scenario_column_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        std::fs::write(&path, "scenario,replicate,x\ns,0,1.5\ns,1,2\n").unwrap();
        let t = RunsTable::read(&path).unwrap();
        assert_eq!(t.columns, ["x"]);
        assert_eq!(t.column("x"), Some(vec![Some(1.5), Some(2.0)]));
        let path = dir.path().join("timeseries.csv");
        std::fs::write(
            &path,
            "scenario,replicate,tick,a\ns,0,0,1\ns,0,1,2\ns,1,0,3\n",
        )
        .unwrap();
        let t = read_traces(&path, &["a"]).unwrap();
        assert_eq!(t.values, [vec![vec![1.0, 2.0]], vec![vec![3.0]]]);
        assert_eq!(read_first_trace(&path, "a").unwrap(), Some(vec![1.0, 2.0]));
    }
}
