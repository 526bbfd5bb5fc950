//! Reference runs from another implementation: a CSV with columns
//! `seed,step,quiescent,active,jailed`, steps 0..=T for each seed (the
//! format of `shared/reference/epstein/*.csv`, made with Mesa 3.5.1).

use std::collections::BTreeMap;
use std::path::Path;

use crate::epstein::metrics::EPSTEIN_METRICS;
use crate::metrics::Series;

/// Why a reference file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The path.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A row or header is malformed.
    #[error("{file}:{line}: {message}")]
    Format {
        /// The path.
        file: String,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// Per-seed time series of citizens by status.
#[derive(Debug, Clone)]
pub struct ReferenceRuns {
    /// Where they came from.
    pub file: String,
    /// One series per seed, in seed order, ticks 0..=T, with the cops and
    /// legitimacy columns not available (NaN).
    pub runs: BTreeMap<u64, Series>,
}

const COLUMNS: [&str; 5] = ["seed", "step", "quiescent", "active", "jailed"];

impl ReferenceRuns {
    /// Reads a reference CSV.
    pub fn load(path: &Path) -> Result<Self, ReferenceError> {
        let file = path.display().to_string();
        let text =
            crate::scenario::input::read_text(path).map_err(|source| ReferenceError::Io {
                file: file.clone(),
                source,
            })?;
        Self::parse(&text, &file)
    }

    /// Parses reference CSV text; `file` names it in messages.
    pub fn parse(text: &str, file: &str) -> Result<Self, ReferenceError> {
        let bad = |line: u64, message: String| ReferenceError::Format {
            file: file.to_string(),
            line,
            message,
        };
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        if header.iter().collect::<Vec<_>>() != COLUMNS {
            return Err(bad(1, format!("expected header {}", COLUMNS.join(","))));
        }
        let mut rows: BTreeMap<u64, Vec<(u64, [f64; 3])>> = BTreeMap::new();
        for (k, record) in reader.records().enumerate() {
            let line = k as u64 + 2;
            let record = record.map_err(|e| bad(line, e.to_string()))?;
            let num = |i: usize| -> Result<u64, ReferenceError> {
                record[i].trim().parse::<u64>().map_err(|_| {
                    bad(
                        line,
                        format!(
                            "column {}: not a whole number: {:?}",
                            COLUMNS[i], &record[i]
                        ),
                    )
                })
            };
            let (seed, step) = (num(0)?, num(1)?);
            let counts = [num(2)? as f64, num(3)? as f64, num(4)? as f64];
            rows.entry(seed).or_default().push((step, counts));
        }
        let mut runs = BTreeMap::new();
        for (seed, mut steps) in rows {
            steps.sort_by_key(|(step, _)| *step);
            if let Some((i, (s, _))) = steps.iter().enumerate().find(|(i, (s, _))| *s != *i as u64)
            {
                let message = format!(
                    "seed {seed}: step {s} found where step {i} was expected \
                     (steps must run 0, 1, 2, … without gaps)"
                );
                return Err(bad(rows_line(text, seed, *s), message));
            }
            let mut series = Series::new(
                crate::metrics::names_of(&EPSTEIN_METRICS),
                steps.len() as u32,
            );
            for (_, [q, a, j]) in steps {
                series.push_row(&[q, a, j, f64::NAN, f64::NAN]);
            }
            runs.insert(seed, series);
        }
        if runs.is_empty() {
            return Err(bad(2, "no data rows".to_string()));
        }
        Ok(Self {
            file: file.to_string(),
            runs,
        })
    }

    /// The shortest run's last step.
    pub fn max_tick(&self) -> u32 {
        self.runs
            .values()
            .map(|s| s.len() as u32 - 1)
            .min()
            .unwrap_or(0)
    }
}

/// 1-based line of the row for (`seed`, `step`) in the CSV text (0 if absent).
fn rows_line(text: &str, seed: u64, step: u64) -> u64 {
    let prefix = format!("{seed},{step},");
    text.lines()
        .position(|l| l.starts_with(&prefix))
        .map_or(0, |i| i as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_runs_by_seed_in_step_order() {
        let text =
            "seed,step,quiescent,active,jailed\n2,1,8,1,1\n2,0,10,0,0\n1,0,9,0,0\n1,1,9,0,0\n";
        let r = ReferenceRuns::parse(text, "r.csv").unwrap();
        assert_eq!(r.runs.len(), 2);
        assert_eq!(r.runs[&2].row(1)[..3], [8.0, 1.0, 1.0]);
        assert_eq!(r.max_tick(), 1);
    }

    #[test]
    fn reports_bad_rows_with_their_line() {
        let text = "seed,step,quiescent,active,jailed\n1,0,9,0,0\n1,x,9,0,0\n";
        let e = ReferenceRuns::parse(text, "r.csv").unwrap_err().to_string();
        assert!(e.starts_with("r.csv:3: column step"), "{e}");
        let gap = "seed,step,quiescent,active,jailed\n1,0,9,0,0\n1,2,9,0,0\n";
        let e = ReferenceRuns::parse(gap, "r.csv").unwrap_err().to_string();
        assert!(
            e.starts_with("r.csv:3: seed 1: step 2 found where step 1"),
            "{e}"
        );
        let e = ReferenceRuns::parse("a,b\n", "r.csv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("r.csv:1: expected header"), "{e}");
    }
}
