//! The measures a sensitivity analysis decomposes: a `runs.csv` column,
//! optionally transformed run by run before replicates are averaged.
//!
//! Civilian deaths are bimodal (war returns in a few runs and multiplies
//! them), so a handful of design points dominate their variance and the
//! Jansen estimators do not settle; the log of 1 + deaths spreads the two
//! modes evenly. Ceasefire collapse is a rare yes/no event; the day of
//! collapse, censored at the horizon, is a continuous measure of the same
//! thing whose mean over replicates is the restricted mean survival time.
//! The transform is applied to each run, never to the averages.

/// How a column's value is transformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// The value as it is.
    None,
    /// `ln(1 + x)` (`log1p:COL`); undefined for x ≤ −1.
    Log1p,
    /// The day of an event, or the horizon when it never happened within
    /// the run (`censored:COL`, `*_tick` columns).
    Censored,
}

/// A measure: `COL`, `log1p:COL` or `censored:COL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    /// The column of `runs.csv`.
    pub column: String,
    /// Its transform.
    pub transform: Transform,
}

impl Measure {
    /// Parses `text` against the model's `columns` (`flag` names the flag
    /// in messages).
    pub fn parse(text: &str, columns: &[&str], flag: &str) -> Result<Self, String> {
        let text = text.trim();
        let (transform, column) = match text.split_once(':') {
            None => (Transform::None, text),
            Some(("log1p", c)) => (Transform::Log1p, c),
            Some(("censored", c)) => (Transform::Censored, c),
            Some((t, _)) => {
                return Err(format!(
                    "{flag}: unknown transform {t:?} in {text:?} (expected log1p:COLUMN or censored:COLUMN)"
                ));
            }
        };
        if !columns.contains(&column) {
            return Err(format!(
                "{flag}: no measure {column:?} (expected runs.csv columns: {}; optionally log1p:COLUMN or censored:COLUMN)",
                columns.join(", ")
            ));
        }
        if transform == Transform::Censored && !column.ends_with("_tick") {
            return Err(format!(
                "{flag}: censored:{column}: not the day of an event (expected a *_tick column, e.g. censored:collapse_tick)"
            ));
        }
        Ok(Self {
            column: column.to_string(),
            transform,
        })
    }

    /// As written on the command line and in the CSV files.
    pub fn name(&self) -> String {
        match self.transform {
            Transform::None => self.column.clone(),
            Transform::Log1p => format!("log1p:{}", self.column),
            Transform::Censored => format!("censored:{}", self.column),
        }
    }

    /// A file-name-safe stem (`log1p_civilian_deaths`).
    pub fn stem(&self) -> String {
        self.name().replace(':', "_")
    }

    /// What the measure is, in words, for charts and tables.
    pub fn label(&self, horizon: u32) -> String {
        match self.transform {
            Transform::None => self.column.clone(),
            Transform::Log1p => format!("log(1 + {}), per run", self.column),
            Transform::Censored => format!(
                "{}, censored at day {horizon} (mean: restricted mean survival time)",
                self.column
            ),
        }
    }

    /// One run's value, transformed; `None` where undefined.
    pub fn apply(&self, value: Option<f64>, horizon: u32) -> Option<f64> {
        match self.transform {
            Transform::None => value,
            Transform::Log1p => value.filter(|&x| x > -1.0).map(f64::ln_1p),
            Transform::Censored => {
                Some(value.map_or(f64::from(horizon), |d| d.min(horizon.into())))
            }
        }
    }
}

/// The transformed measures of `--outputs` (a list as the flag takes it)
/// that a sweep adds to its `runs.csv` and `points.csv`: each parsed
/// against the model's `columns`; plain columns, which a sweep writes
/// anyway, and repeats are left out.
pub fn transformed(list: &[String], columns: &[&str], flag: &str) -> Result<Vec<Measure>, String> {
    let mut out: Vec<Measure> = Vec::new();
    for text in list {
        let m = Measure::parse(text, columns, flag)?;
        if m.transform != Transform::None && !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [&str; 3] = ["civilian_deaths", "ceasefire_collapsed", "collapse_tick"];

    #[test]
    fn parses_transforms_and_refuses_bad_ones() {
        let m = Measure::parse("log1p:civilian_deaths", &COLS, "--outputs").unwrap();
        assert_eq!(m.transform, Transform::Log1p);
        assert_eq!(m.name(), "log1p:civilian_deaths");
        assert_eq!(m.stem(), "log1p_civilian_deaths");
        assert!(m.label(180).starts_with("log(1 + civilian_deaths)"));
        let c = Measure::parse("censored:collapse_tick", &COLS, "--outputs").unwrap();
        assert!(c.label(180).contains("censored at day 180"));
        assert_eq!(
            Measure::parse("civilian_deaths", &COLS, "--outputs")
                .unwrap()
                .transform,
            Transform::None
        );
        for (bad, says) in [
            ("log:civilian_deaths", "unknown transform"),
            ("log1p:deaths", "no measure \"deaths\""),
            ("censored:civilian_deaths", "expected a *_tick column"),
        ] {
            let e = Measure::parse(bad, &COLS, "--outputs").unwrap_err();
            assert!(e.starts_with("--outputs: ") && e.contains(says), "{e}");
        }
    }

    #[test]
    fn transforms_one_run() {
        let log = Measure::parse("log1p:civilian_deaths", &COLS, "").unwrap();
        assert_eq!(log.apply(Some(0.0), 180), Some(0.0));
        assert_eq!(log.apply(Some(99.0), 180), Some(100f64.ln()));
        assert_eq!(log.apply(None, 180), None);
        assert_eq!(log.apply(Some(-1.0), 180), None);
        let cens = Measure::parse("censored:collapse_tick", &COLS, "").unwrap();
        assert_eq!(cens.apply(None, 180), Some(180.0));
        assert_eq!(cens.apply(Some(42.0), 180), Some(42.0));
    }

    #[test]
    fn a_sweep_adds_only_transformed_measures_once() {
        let list: Vec<String> = [
            "civilian_deaths",
            "log1p:civilian_deaths",
            " log1p:civilian_deaths",
            "censored:collapse_tick",
        ]
        .map(String::from)
        .to_vec();
        let got = transformed(&list, &COLS, "--outputs").unwrap();
        let names: Vec<String> = got.iter().map(Measure::name).collect();
        assert_eq!(names, ["log1p:civilian_deaths", "censored:collapse_tick"]);
        let e = transformed(&["log1p:x".to_string()], &COLS, "--outputs").unwrap_err();
        assert!(e.starts_with("--outputs: no measure \"x\""), "{e}");
    }
}
