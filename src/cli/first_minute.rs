//! What bare `stabsim` runs, and what it says before it starts: the
//! comparison, its size, roughly how long it takes, where the outputs go
//! and how to stop it.

use std::path::{Path, PathBuf};

use stabsim::scenario::{self, pack};

/// The shipped folder the default comparison runs (baseline and one
/// variant per lever).
pub const DEFAULT_FOLDER: &str = "gaza";

/// Where the default comparison writes.
pub const DEFAULT_OUT: &str = "outputs/gaza";

/// Replicates of the quick default (the files say 20).
pub const QUICK_REPLICATES: u32 = 6;

/// Days of the quick default (the files say 730).
pub const QUICK_DAYS: u32 = 365;

/// Measured cost of one Gaza replicate-day on one core, in seconds,
/// everything included (outputs, charts, report): a release build of
/// `stabsim compare scenarios/gaza -n 4 --ticks 365 --threads 2` used 87.6 s
/// of CPU for 23 x 4 x 365 replicate-days (2.6 ms each) on the 2-core
/// development machine (README "The first minute").
pub const SECONDS_PER_REPLICATE_DAY: f64 = 0.0026;

/// Seconds per scenario that do not run in parallel (loading, writing its
/// CSVs, charts and maps, its share of the report), an allowance.
pub const SECONDS_PER_SCENARIO: f64 = 1.0;

/// What the default comparison will run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The shipped folder, as a pack path.
    pub folder: PathBuf,
    /// Its scenarios.
    pub scenarios: usize,
    /// Replicates of each.
    pub replicates: u32,
    /// Days of each.
    pub days: u32,
    /// The full run's replicates and days (the files' own settings).
    pub full: (u32, u32),
    /// Whether this is the full run.
    pub is_full: bool,
}

impl Plan {
    /// The quick default, or with `full` the pack's own settings.
    pub fn new(full: bool) -> Self {
        let folder = Path::new(pack::ROOT).join(DEFAULT_FOLDER);
        let files = pack::toml_files(&folder);
        let own = files
            .first()
            .and_then(|f| scenario::load(f, &[]).ok())
            .map_or((20, 730), |sc| (sc.run.replicates, sc.run.ticks));
        let (replicates, days) = if full {
            own
        } else {
            (QUICK_REPLICATES, QUICK_DAYS)
        };
        Self {
            folder,
            scenarios: files.len(),
            replicates,
            days,
            full: own,
            is_full: full,
        }
    }

    /// Estimated seconds on `cores` cores (replicates of a scenario run in
    /// parallel; scenarios one after the other).
    pub fn seconds(&self, cores: usize) -> f64 {
        estimate(self.scenarios, self.replicates, self.days, cores)
    }

    /// The lines printed before the run starts.
    pub fn announce(&self, cores: usize) -> String {
        let which = if self.is_full {
            "the full default comparison"
        } else {
            "the quick default comparison"
        };
        let mut out = format!(
            "stabsim: no subcommand given, so running {which}:\n  \
             the shipped Gaza pack ({}: the baseline and {} variants, one per mandate lever), \
             {} replicates x {} days each, paired against the baseline\n  \
             about {} on 2 cores",
            self.folder.display(),
            self.scenarios.saturating_sub(1),
            self.replicates,
            self.days,
            duration(self.seconds(2)),
        );
        if cores != 2 {
            out.push_str(&format!(
                " (about {} on this machine's {cores} cores)",
                duration(self.seconds(cores))
            ));
        }
        out.push_str(&format!(
            "\n  outputs: {DEFAULT_OUT}/ (open report.html), replaced as a whole\n  \
             Ctrl-C to stop.\n"
        ));
        if !self.is_full {
            let (r, d) = self.full;
            out.push_str(&format!(
                "  `stabsim --full` runs {r} replicates x {d} days (about {} on 2 cores); \
                 `stabsim --help` lists the subcommands, `stabsim scenarios` the shipped scenarios.\n",
                duration(estimate(self.scenarios, r, d, 2))
            ));
        }
        out
    }
}

/// Estimated seconds for `scenarios` x `replicates` x `days` on `cores`.
pub fn estimate(scenarios: usize, replicates: u32, days: u32, cores: usize) -> f64 {
    let parallel = cores.clamp(1, replicates.max(1) as usize) as f64;
    let per_scenario = f64::from(replicates) * f64::from(days) * SECONDS_PER_REPLICATE_DAY
        / parallel
        + SECONDS_PER_SCENARIO;
    scenarios as f64 * per_scenario
}

/// "40 seconds", "3 minutes".
fn duration(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{} seconds", (seconds / 10.0).ceil().max(1.0) * 10.0)
    } else {
        format!("{} minutes", (seconds / 60.0).round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_default_fits_in_three_minutes_on_two_cores() {
        let quick = Plan::new(false);
        assert!(quick.scenarios > 10);
        assert!(quick.seconds(2) <= 180.0, "{}", quick.seconds(2));
        let full = Plan::new(true);
        assert_eq!((full.replicates, full.days), quick.full);
        assert!(full.seconds(2) > quick.seconds(2));
        let text = quick.announce(2);
        assert!(text.contains("Ctrl-C"));
        assert!(text.contains("--full"));
        assert!(text.contains("<pack>/gaza"));
    }
}
