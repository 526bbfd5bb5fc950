//! Designs: which parameter values a sweep runs. A design is a table of
//! points, one value per varied key, each value the text a `--set` would
//! give; the runner applies a point as `--set key=value` overrides, so a
//! point is validated (and its errors located) exactly like a `--set`.
//!
//! Four ways to make one: a full factorial grid of levels, a Latin
//! hypercube or the points of a Sobol sequence over ranges, or a design
//! file (CSV, one column per key). Every design is deterministic: the Latin
//! hypercube draws from a generator seeded by the caller, and the Sobol
//! sequence has no randomness at all.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

pub use crate::sensitivity::sequence::{SOBOL_MAX_DIMS, sobol_points};

/// Most points a design may have: far beyond what a sweep can run, low
/// enough that a typo in a grid cannot exhaust memory before it starts.
pub const MAX_POINTS: usize = 10_000_000;

/// Whether a range is sampled as real numbers or as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scale {
    /// Any real value in the range.
    Real,
    /// Integers in the range (the unit interval is cut into `hi - lo + 1`
    /// equal bins, one per integer).
    Integer,
}

/// A parameter varied over a range `lo..=hi`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Range {
    /// The `--set` key, e.g. `mission.mandate.force_scale`.
    pub key: String,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Real or integer.
    pub scale: Scale,
}

impl Range {
    /// The value at `u` in the unit interval, as `--set` text.
    pub fn value_at(&self, u: f64) -> String {
        let u = u.clamp(0.0, 1.0);
        match self.scale {
            Scale::Real => format_real(self.lo + u * (self.hi - self.lo)),
            Scale::Integer => {
                let (lo, hi) = (self.lo.ceil(), self.hi.floor());
                let bins = hi - lo + 1.0;
                let k = (u * bins).floor().min(bins - 1.0);
                format!("{}", (lo + k) as u64)
            }
        }
    }
}

/// A real number as TOML text that stays a float (`1.0`, not `1`), in the
/// shortest form that reads back to the same bits.
pub fn format_real(x: f64) -> String {
    let text = format!("{x:?}");
    if text.contains(['.', 'e', 'E', 'N', 'n']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// Points to run: one value (as `--set` text) per key, per point.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Design {
    /// The varied keys, in column order.
    pub keys: Vec<String>,
    /// Each point's values, in key order.
    pub points: Vec<Vec<String>>,
}

impl Design {
    /// The `--set` overrides of point `i`.
    pub fn overrides(&self, i: usize) -> Vec<String> {
        self.keys
            .iter()
            .zip(&self.points[i])
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }

    /// The design as CSV: a `point` column, then one column per key.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["point".to_string()];
        header.extend(self.keys.iter().cloned());
        w.write_record(&header)?;
        for (i, p) in self.points.iter().enumerate() {
            let mut row = vec![i.to_string()];
            row.extend(p.iter().cloned());
            w.write_record(&row)?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }

    /// A design read from CSV text: a header of keys (a `point` column, as
    /// [`Design::to_csv`] writes, is ignored) and one row per point. `file`
    /// names the text in messages.
    pub fn from_csv(text: &str, file: &str) -> Result<Self, String> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = r
            .headers()
            .map_err(|e| format!("{file}: {e} (expected a CSV header of parameter keys)"))?
            .clone();
        let skip = header.iter().position(|h| h == "point");
        let keys: Vec<String> = header
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .map(|(_, h)| h.to_string())
            .collect();
        if keys.is_empty() {
            return Err(format!(
                "{file}:1: no parameter columns (expected a header such as `mission.mandate.force_scale,citizens.vision`)"
            ));
        }
        if let Some(k) = keys.iter().find(|k| k.is_empty()) {
            return Err(format!(
                "{file}:1: an empty column name {k:?} (expected parameter keys)"
            ));
        }
        let mut points = Vec::new();
        for (n, record) in r.records().enumerate() {
            let line = n + 2;
            let record = record.map_err(|e| format!("{file}:{line}: {e}"))?;
            let values: Vec<String> = record
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != skip)
                .map(|(_, v)| v.to_string())
                .collect();
            if let Some(k) = values.iter().position(String::is_empty) {
                return Err(format!(
                    "{file}:{line}: no value for `{}` (expected a value in every column)",
                    keys[k]
                ));
            }
            points.push(values);
        }
        if points.is_empty() {
            return Err(format!(
                "{file}: no design points (expected one row per point)"
            ));
        }
        Ok(Self { keys, points })
    }
}

/// A full factorial grid: every combination of the levels, the last key
/// varying fastest.
pub fn grid(factors: &[(String, Vec<String>)]) -> Result<Design, String> {
    let mut count: usize = 1;
    for (_, levels) in factors {
        count = count.saturating_mul(levels.len());
    }
    if count > MAX_POINTS {
        return Err(format!(
            "--grid: {count} points (expected at most {MAX_POINTS})"
        ));
    }
    let mut points: Vec<Vec<String>> = vec![Vec::new()];
    for (_, levels) in factors {
        points = points
            .into_iter()
            .flat_map(|p| {
                levels.iter().map(move |l| {
                    let mut q = p.clone();
                    q.push(l.clone());
                    q
                })
            })
            .collect();
    }
    Ok(Design {
        keys: factors.iter().map(|(k, _)| k.clone()).collect(),
        points,
    })
}

/// `n` points of the unit hypercube `[0, 1)^dims`: a Latin hypercube, each
/// dimension cut into `n` equal strata with exactly one point in each, at
/// a uniform place within it; the strata are matched across dimensions by
/// independent random permutations. Deterministic given `seed`.
pub fn latin_hypercube(n: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut points = vec![vec![0.0; dims]; n];
    for d in 0..dims {
        let mut strata: Vec<usize> = (0..n).collect();
        // Fisher–Yates, written out so the permutation depends on the
        // generator's stream alone, not on a library's shuffle.
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        for (i, point) in points.iter_mut().enumerate() {
            let u: f64 = rng.random();
            point[d] = (strata[i] as f64 + u) / n as f64;
        }
    }
    points
}

/// A design over `ranges` from points of the unit hypercube.
pub fn from_unit(ranges: &[Range], unit: &[Vec<f64>]) -> Design {
    Design {
        keys: ranges.iter().map(|r| r.key.clone()).collect(),
        points: unit
            .iter()
            .map(|u| ranges.iter().zip(u).map(|(r, &x)| r.value_at(x)).collect())
            .collect(),
    }
}

/// Parses `lo:hi` (two numbers, `lo < hi`); `what` names the flag and key
/// in messages.
pub fn parse_range(text: &str, what: &str) -> Result<(f64, f64), String> {
    let bad = || {
        format!(
            "{what}: {text:?} is not a range (expected lo:hi, two numbers with lo < hi, e.g. 0.1:0.5)"
        )
    };
    let (lo, hi) = text.split_once(':').ok_or_else(bad)?;
    let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
    let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(bad());
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_the_full_factorial_last_key_fastest() {
        let d = grid(&[
            ("a".into(), vec!["1".into(), "2".into()]),
            ("b".into(), vec!["x".into(), "y".into(), "z".into()]),
        ])
        .unwrap();
        assert_eq!(d.points.len(), 6);
        assert_eq!(d.points[0], vec!["1", "x"]);
        assert_eq!(d.points[1], vec!["1", "y"]);
        assert_eq!(d.points[3], vec!["2", "x"]);
        assert_eq!(d.overrides(5), vec!["a=2", "b=z"]);
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum_and_is_deterministic() {
        let n = 17;
        let p = latin_hypercube(n, 3, 42);
        assert_eq!(p, latin_hypercube(n, 3, 42));
        assert_ne!(p, latin_hypercube(n, 3, 43));
        for d in 0..3 {
            let mut strata: Vec<usize> = p.iter().map(|x| (x[d] * n as f64) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..n).collect::<Vec<_>>(), "dimension {d}");
        }
    }

    #[test]
    fn sobol_points_follow_joe_kuo() {
        // Dimension 1 is van der Corput's sequence; dimension 2 (s = 1,
        // m = 1) gives 0, 1/2, 1/4, 3/4, 3/8, 7/8, 1/8, 5/8 in Gray-code
        // order, as Joe and Kuo's reference implementation prints.
        let p = sobol_points(8, 2, 0);
        let d1: Vec<f64> = p.iter().map(|x| x[0]).collect();
        let d2: Vec<f64> = p.iter().map(|x| x[1]).collect();
        assert_eq!(d1, [0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125]);
        assert_eq!(d2, [0.0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625]);
        // A power-of-two block is one point per stratum of 1/8 in each
        // dimension (a (0, m, s)-net property in one dimension).
        let q = sobol_points(8, 5, 8);
        for d in 0..5 {
            let mut strata: Vec<usize> = q.iter().map(|x| (x[d] * 8.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..8).collect::<Vec<_>>(), "dimension {d}");
        }
    }

    #[test]
    fn values_of_ranges() {
        let r = Range {
            key: "k".into(),
            lo: 0.0,
            hi: 2.0,
            scale: Scale::Real,
        };
        assert_eq!(r.value_at(0.25), "0.5");
        assert_eq!(r.value_at(0.5), "1.0");
        let i = Range {
            key: "k".into(),
            lo: 2.0,
            hi: 4.0,
            scale: Scale::Integer,
        };
        let got: Vec<String> = [0.0, 0.3, 0.5, 0.99, 1.0]
            .iter()
            .map(|&u| i.value_at(u))
            .collect();
        assert_eq!(got, ["2", "2", "3", "4", "4"]);
        assert_eq!(format_real(1e-7), "1e-7");
        assert!(parse_range("0.5:0.1", "--lhs k").is_err());
        assert_eq!(parse_range(" 1 : 2 ", "x").unwrap(), (1.0, 2.0));
    }

    #[test]
    fn designs_read_back_from_their_csv() {
        let d = grid(&[
            ("a".into(), vec!["1".into(), "2".into()]),
            ("b.c".into(), vec!["x".into()]),
        ])
        .unwrap();
        let text = String::from_utf8(d.to_csv().unwrap()).unwrap();
        assert_eq!(Design::from_csv(&text, "f").unwrap(), d);
        let err = Design::from_csv("a,b\n1,\n", "f.csv").unwrap_err();
        assert!(err.starts_with("f.csv:2: no value for `b`"), "{err}");
    }
}
