//! The `stabsim` command line: a thin layer over the library.
//!
//! Exit codes: 0 success, 2 bad input (scenario, map, flags), 1 anything else
//! (e.g. an output folder that cannot be written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use stabsim::compare::{self, ComparisonFile, ComparisonSpec, ScenarioOutputs};
use stabsim::output::{self, RunOptions};
use stabsim::scenario::{self, Scenario, ScenarioError};
use stabsim::sweep;
use stabsim::validation;

mod cli;

use cli::progress::Progress;

/// stabsim: agent-based simulation of stabilization missions. It explores
/// mechanisms and counterfactuals; it does not forecast.
#[derive(Parser, Debug)]
#[command(name = "stabsim", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true, after_help = cli::help::TOP)]
struct Cli {
    /// Without a subcommand: run the default comparison at the pack's own
    /// settings (20 replicates x 730 days) instead of the quick one.
    #[arg(long)]
    full: bool,
    /// Without a subcommand: say what would run, and exit.
    #[arg(long)]
    plan: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run scenarios' Monte Carlo batches and write CSVs, charts and manifests.
    Run(RunArgs),
    /// Compare mandates: run scenarios with common random numbers, then
    /// paired differences against the baseline, charts and a report.
    Compare(CompareArgs),
    /// Redraw every chart (and the report) of an outputs folder without
    /// re-running.
    Plot(PlotArgs),
    /// Validate scenario files (and their maps) without running them.
    Check(CheckArgs),
    /// Time single-threaded ticks of one replicate (JSON on stdout), for
    /// side-by-side comparison with Mesa's `timing`.
    Timing(TimingArgs),
    /// Compare per-replicate outcomes with reference runs of another
    /// implementation (two-sample Kolmogorov–Smirnov tests).
    Dock(DockArgs),
    /// Validate the mission model: every stylized fact as a directional
    /// test on several contexts, published magnitudes side by side, and
    /// pattern tests (docs/VALIDATION.md).
    Validate(ValidateArgs),
    /// Run a design of parameter values (a grid, a Latin hypercube, Sobol
    /// points or a design file), every point x replicate with common random
    /// numbers, into one tidy CSV and a per-point summary.
    Sweep(SweepArgs),
    /// Global sensitivity analysis: Morris screening or Sobol indices of
    /// end-of-run measures over parameters' ranges (a sweep with common
    /// random numbers, replicates averaged per design point).
    Sensitivity(SensitivityArgs),
    /// Combine the shard folders of `run`, `compare`, `sweep` or
    /// `sensitivity` with `--shard K/N` into the outputs of one
    /// single-machine run (docs/CLUSTER.md).
    #[command(after_help = cli::help::MERGE)]
    Merge(MergeArgs),
    /// List the scenarios and comparison files shipped inside the binary,
    /// or export them to a folder to edit.
    Scenarios(ScenariosArgs),
    /// List every numeric parameter: key, value in a scenario, default,
    /// accepted and plausible range, unit and meaning.
    Params(ParamsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = cli::help::COMPLETIONS)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand.
    #[command(after_help = cli::help::MAN)]
    Man {
        /// Write stabsim.1 and stabsim-<subcommand>.1 into this folder
        /// instead.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Print the JSON Schema of scenario files, for editors (taplo, VS Code).
    #[command(after_help = cli::help::SCHEMA)]
    Schema,
    /// Explore in the browser: a local web page to pick a scenario, move
    /// the mandate levers and watch the map, charts and a second mandate
    /// side by side (everything embedded; no network needed).
    #[command(after_help = cli::help::SERVE)]
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::PARAMS)]
struct ParamsArgs {
    /// A scenario file or shipped name (omitted: every parameter that can
    /// exist, at its default), or FILTER when it names no scenario.
    scenario: Option<PathBuf>,
    /// Only keys containing this text (e.g. `mission.mandate` or `vision`).
    filter: Option<String>,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::SCENARIOS)]
struct ScenariosArgs {
    #[command(subcommand)]
    action: Option<ScenariosAction>,
}

#[derive(Subcommand, Debug)]
enum ScenariosAction {
    /// Write the shipped pack (scenarios, comparison files, maps) into DIR,
    /// laid out as in the repository's scenarios/ folder.
    #[command(after_help = cli::help::EXPORT)]
    Export {
        /// Destination folder (created if needed).
        dir: PathBuf,
        /// Overwrite files that already exist there.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Debug)]
struct MergeArgs {
    /// Shard folders, all N of one run, comparison, sweep or analysis, in
    /// any order.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Output folder (replaced as a whole).
    #[arg(long)]
    out: PathBuf,
    /// Worker threads; 0 = one per core. Outputs do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Scenario the page opens on, e.g. `gaza/baseline` (default: the first).
    scenario: Option<String>,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8017)]
    port: u16,
    /// Address to listen on; only this machine can reach the default.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Open the page in the default browser (xdg-open), if there is one.
    #[arg(long)]
    open: bool,
}

/// Scenario overrides shared by every subcommand.
#[derive(Args, Debug, Clone, Default)]
struct Overrides {
    /// Override a scenario field, e.g. `--set citizens.vision=5` (repeatable).
    /// `run` and `compare` then write to a default folder named
    /// `<name>--set-<hash of the overrides>`.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    set: Vec<String>,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::RUN)]
struct RunArgs {
    /// Scenario files (TOML), or folders whose `*.toml` files are all run
    /// (`baseline.toml` first, then by name).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Replicates (default: the scenario's `run.replicates`).
    #[arg(long, short = 'n')]
    replicates: Option<u32>,
    /// Master seed (default: the scenario's `run.seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Ticks per replicate (default: the scenario's `run.ticks`).
    #[arg(long)]
    ticks: Option<u32>,
    /// Worker threads; 0 = one per core. Outputs do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Output folder (default: outputs/<scenario name>/, or
    /// outputs/<scenario name>--set-<hash>/ with --set, so a modified
    /// scenario never overwrites the unmodified one's outputs); with several
    /// scenarios, the parent of one folder per scenario (default: outputs/).
    /// The folder is replaced as a whole.
    #[arg(long)]
    out: Option<PathBuf>,
    /// What to write: `minimal` (runs.csv, summary.csv, the resolved
    /// scenario and the manifest), `standard` (also timeseries.csv and
    /// charts; frames.csv only where maps are drawn) or `full` (frames.csv
    /// for every mission scenario too). Sizes are in the README.
    #[arg(long, default_value = "standard", value_parser = output::OutputLevel::NAMES)]
    outputs: String,
    /// Also write the per-tick rows as `timeseries.parquet` (Parquet, one
    /// row group per replicate; for pandas/pyarrow, polars, R's arrow).
    /// With `--shard`, the shard records it and `stabsim merge` writes the
    /// file, the same bytes as one machine's.
    #[arg(long)]
    columnar: bool,
    /// No progress bar and no summary table.
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    resilience: Resilience,
    /// Run only shard K of N: the replicates i with i mod N = K (seeds
    /// unchanged), into a shard folder (default outputs/<name>.shard-K-of-N)
    /// that `stabsim merge` combines with the others (docs/CLUSTER.md).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
}

/// Interrupted work and clusters (docs/CLUSTER.md).
#[derive(Args, Debug, Clone, Default)]
struct Resilience {
    /// Go on from the replicates an interrupted run of the same command
    /// kept (Ctrl-C, kill, full disk); the outputs are the same bytes as an
    /// uninterrupted run's.
    #[arg(long)]
    resume: bool,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::COMPARE)]
struct CompareArgs {
    /// Scenario files, folders (`baseline.toml` first, then by name), or a
    /// comparison file (TOML with a `scenarios` list).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// The baseline's scenario name (default: the first scenario).
    #[arg(long)]
    baseline: Option<String>,
    /// Replicates of every scenario (default: the baseline's `run.replicates`).
    #[arg(long, short = 'n')]
    replicates: Option<u32>,
    /// Master seed of every scenario (default: the baseline's `run.seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Days per replicate (default: the baseline's `run.ticks`).
    #[arg(long)]
    ticks: Option<u32>,
    /// Days drawn as maps, comma-separated, each recorded and drawn exactly
    /// (default: days ticks/8, ticks/2 and the last).
    #[arg(long, value_delimiter = ',')]
    map_days: Option<Vec<u32>>,
    /// Worker threads; 0 = one per core. Outputs do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Output folder (default: outputs/<folder or comparison file name>/,
    /// or outputs/comparison/; with --set, --set-<hash> is appended to the
    /// name). The folder is replaced as a whole.
    #[arg(long)]
    out: Option<PathBuf>,
    /// What to write: `minimal` (runs.csv, summary.csv, the resolved
    /// scenario and the manifest), `standard` (also timeseries.csv and
    /// charts; frames.csv only where maps are drawn) or `full` (frames.csv
    /// for every mission scenario too). Sizes are in the README.
    #[arg(long, default_value = "standard", value_parser = output::OutputLevel::NAMES)]
    outputs: String,
    /// Also write the per-tick rows as `timeseries.parquet` (Parquet, one
    /// row group per replicate; for pandas/pyarrow, polars, R's arrow).
    /// With `--shard`, the shard records it and `stabsim merge` writes the
    /// file, the same bytes as one machine's.
    #[arg(long)]
    columnar: bool,
    /// No progress bar and no table.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Robustness over the plausible space: `N` or `N:key,key=lo:hi,…` (a
    /// Latin hypercube of N points over those parameters; default: every
    /// parameter with a plausible range that no mandate sets), or a design
    /// file (.toml with `points`, `params`, `replicates`; .csv with explicit
    /// points). Every scenario runs at every point with the baseline's
    /// seeds; adds uncertain.csv, robustness.csv, prim.csv and a report
    /// section.
    #[arg(long, value_name = "DESIGN")]
    uncertain: Option<String>,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    resilience: Resilience,
    /// Run only shard K of N: the replicates i with i mod N = K of every
    /// scenario (seeds unchanged), into a shard folder (default
    /// outputs/<name>.shard-K-of-N) that `stabsim merge` combines with the
    /// others into the comparison folder (docs/CLUSTER.md).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::PLOT)]
struct PlotArgs {
    /// An outputs folder: a comparison (with comparison.json) or one
    /// scenario's run.
    dir: PathBuf,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::CHECK)]
struct CheckArgs {
    /// Scenario files, folders of them, or comparison files to validate
    /// (everything `run` and `compare` accept).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    overrides: Overrides,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::TIMING)]
struct TimingArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Ticks to time.
    #[arg(long, default_value_t = 100)]
    ticks: u32,
    /// Replicate seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    overrides: Overrides,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::DOCK)]
struct DockArgs {
    /// Scenario file (TOML) matching the reference runs' parameters.
    scenario: PathBuf,
    /// Reference CSV with columns seed,step,quiescent,active,jailed.
    #[arg(long)]
    reference: PathBuf,
    /// Replicates of stabsim (default: the scenario's `run.replicates`).
    #[arg(long, short = 'n')]
    replicates: Option<u32>,
    /// Compare ticks 1..=T only (default: the scenario's `run.ticks`).
    #[arg(long)]
    ticks: Option<u32>,
    /// Significance level of each test.
    #[arg(long, default_value_t = 0.01)]
    alpha: f64,
    /// Worker threads; 0 = one per core.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    overrides: Overrides,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::VALIDATE)]
struct ValidateArgs {
    /// Replicates per arm (default 12; 6 with --quick: the fewest pairs at
    /// which a signed-rank test can reach p < 0.05).
    #[arg(long, short = 'n')]
    replicates: Option<u32>,
    /// A fast pass: 4 replicates, 180 days, survival over the same days.
    #[arg(long)]
    quick: bool,
    /// Days per replicate (default 365; 180 with --quick).
    #[arg(long)]
    ticks: Option<u32>,
    /// A context (mission scenario file) added to the default three
    /// (repeatable); with --only-contexts, the only ones.
    #[arg(long = "context", value_name = "FILE")]
    contexts: Vec<PathBuf>,
    /// Run only the --context files, not the default three.
    #[arg(long)]
    only_contexts: bool,
    /// Only these facts, comma-separated (e.g. T01,T05,P04); magnitudes run
    /// only with `magnitudes` in the list, patterns only with a P id.
    #[arg(long, value_delimiter = ',')]
    only: Option<Vec<String>>,
    /// Output folder (replaced as a whole).
    #[arg(long, default_value = "outputs/validate")]
    out: PathBuf,
    /// Worker threads; 0 = one per core. Outputs do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["grid", "lhs", "sobol", "design"])))]
#[command(after_help = cli::help::SWEEP)]
struct SweepArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Ranges of --lhs and --sobol, `key=lo:hi` (e.g.
    /// `mission.mandate.force_scale=0.5:2`), or `key` for its plausible
    /// range (default: every parameter with a plausible range).
    #[arg(value_name = "KEY[=LO:HI]")]
    ranges: Vec<String>,
    /// A full factorial grid: `key=a,b,c` per varied parameter.
    #[arg(long, num_args = 1.., value_name = "KEY=A,B,C")]
    grid: Vec<String>,
    /// A Latin hypercube of N points over the ranges (deterministic: drawn
    /// from the master seed).
    #[arg(long, value_name = "N")]
    lhs: Option<usize>,
    /// The first N points of a Sobol sequence over the ranges (the point
    /// at the origin skipped).
    #[arg(long, value_name = "N")]
    sobol: Option<usize>,
    /// A design file: CSV with one column per key and one row per point
    /// (a `point` column is ignored; a sweep's design.csv reads back).
    #[arg(long, value_name = "FILE")]
    design: Option<PathBuf>,
    /// Transformed measures added to runs.csv (columns after the raw
    /// measures) and points.csv (rows after them), comma-separated, each
    /// applied to every run before the per-point means: `log1p:COL` is
    /// log(1 + COL); `censored:COL` a day column (collapse_tick) with the
    /// horizon where the event did not happen. Plain columns are always
    /// there.
    #[arg(long, value_delimiter = ',', value_name = "TRANSFORM:COL")]
    outputs: Vec<String>,
    #[command(flatten)]
    runs: PointRuns,
    /// Output folder (default: outputs/<scenario name>-sweep/). Replaced as
    /// a whole.
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// How each design point of a sweep or a sensitivity analysis runs.
#[derive(Args, Debug)]
struct PointRuns {
    /// Replicates per design point (default: the scenario's
    /// `run.replicates`); a sensitivity analysis averages them.
    #[arg(long, short = 'n')]
    replicates: Option<u32>,
    /// Master seed, shared by every point (default: the scenario's `run.seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Days per replicate (default: the scenario's `run.ticks`).
    #[arg(long)]
    ticks: Option<u32>,
    /// Worker threads; 0 = one per core. Outputs do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    resilience: Resilience,
    /// Run only shard K of N: the design points p with p mod N = K, into a
    /// shard folder (default: the default output folder's name followed by
    /// `.shard-K-of-N`) that `stabsim merge` combines with the others
    /// (docs/CLUSTER.md).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
}

impl PointRuns {
    /// The base scenario with the `--set`s and shorthands, checked against
    /// the memory the threads would need.
    fn load(&self, scenario: &Path) -> Result<Scenario, Failure> {
        let shorthands = shorthands(self.replicates, self.seed, self.ticks);
        let base = load(scenario, &self.overrides, &shorthands)?;
        check_memory(&base, self.threads, false)?;
        Ok(base)
    }

    /// The overrides every point shares: the user's `--set`, then the run
    /// shorthands.
    fn overrides(&self) -> Vec<String> {
        let mut set = self.overrides.set.clone();
        let given = shorthands(self.replicates, self.seed, self.ticks);
        for (key, _, value) in given {
            if let Some(v) = value {
                set.push(format!("{key}={v}"));
            }
        }
        set
    }
}

/// A sensitivity method.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum MethodArg {
    /// Morris elementary effects (screening).
    Morris,
    /// Sobol first- and total-order indices.
    Sobol,
}

#[derive(Args, Debug)]
#[command(after_help = cli::help::SENSITIVITY)]
struct SensitivityArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Morris (screening) or Sobol (variance-based indices).
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Parameters, `key` (varied over its plausible range) or `key=lo:hi`
    /// (default: every parameter with a plausible range).
    #[arg(long, num_args = 1.., value_name = "KEY[=LO:HI]")]
    params: Vec<String>,
    /// End-of-run measures (runs.csv columns), comma-separated (default:
    /// civilian_deaths, mean_trust and collapse_risk where the model has
    /// them, else every measure). `log1p:COL` analyses log(1 + COL) of
    /// each run; `censored:COL` a day column (collapse_tick) with the
    /// horizon where the event did not happen.
    #[arg(long, value_delimiter = ',')]
    outputs: Option<Vec<String>>,
    /// Morris: trajectories.
    #[arg(long, default_value_t = 10)]
    trajectories: usize,
    /// Morris: trajectories drawn before the --trajectories of largest
    /// spread are kept (Campolongo et al. 2007); default 4 x
    /// --trajectories; at most --trajectories: no selection.
    #[arg(long, value_name = "M")]
    pool: Option<usize>,
    /// Morris: grid levels (even).
    #[arg(long, default_value_t = 4)]
    levels: usize,
    /// Sobol: base sample size N, a power of two (N (k + 2) design points).
    #[arg(long = "samples", short = 'N', default_value_t = 64)]
    samples: usize,
    #[command(flatten)]
    runs: PointRuns,
    /// Output folder (default: outputs/<scenario name>-<method>/). Replaced
    /// as a whole.
    #[arg(long)]
    out: Option<PathBuf>,
    /// No progress bar and no table.
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C (or SIGTERM) stops batches after their replicates in progress,
    // which are kept for --resume; a second one stops at once. The web
    // server keeps nothing to resume: it stops at the first.
    let serving = matches!(cli.command, Some(Command::Serve(_)));
    // `timing` and `dock` keep nothing either and do not poll the flag (one
    // tick of a large world can take seconds): they stop at the first,
    // saying so.
    let measuring = matches!(cli.command, Some(Command::Timing(_) | Command::Dock(_)));
    let _ = ctrlc::set_handler(move || {
        if measuring {
            eprintln!("stabsim: interrupted: stopped, nothing measured or written");
        }
        if serving || measuring || stabsim::batch::interrupted() {
            std::process::exit(130);
        }
        stabsim::batch::interrupt();
    });
    let command = match cli.command {
        Some(command) => command,
        None => {
            let plan = cli::first_minute::Plan::new(cli.full);
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            eprint!("{}", plan.announce(cores));
            if cli.plan {
                return ExitCode::SUCCESS;
            }
            default_command(&plan)
        }
    };
    let result = match command {
        Command::Run(args) => cmd_run(args),
        Command::Compare(args) => cmd_compare(args),
        Command::Plot(args) => cmd_plot(args),
        Command::Check(args) => cmd_check(args),
        Command::Timing(args) => cmd_timing(args),
        Command::Dock(args) => cmd_dock(args),
        Command::Validate(args) => cmd_validate(args),
        Command::Sweep(args) => cmd_sweep(args),
        Command::Sensitivity(args) => cmd_sensitivity(args),
        Command::Merge(args) => cmd_merge(args),
        Command::Scenarios(args) => cmd_scenarios(args),
        Command::Params(args) => cmd_params(args),
        Command::Completions { shell } => {
            let script = cli::docs::completions(<Cli as clap::CommandFactory>::command(), shell);
            print_out(&script)
        }
        Command::Man { dir } => cmd_man(dir),
        Command::Schema => print_out(cli::docs::schema().as_bytes()),
        Command::Serve(args) => cmd_serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Other(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Interrupted(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(130)
        }
    }
}

/// Most worker threads accepted: far beyond any workstation, low enough
/// that a typo cannot make the process spawn threads until it stalls.
const MAX_THREADS: usize = 1024;

fn check_threads(threads: usize) -> Result<(), Failure> {
    if threads > MAX_THREADS {
        return Err(Failure::BadInput(format!(
            "--threads: {threads} is out of range (expected 0 = one per core, or 1..={MAX_THREADS})"
        )));
    }
    Ok(())
}

/// Refuses a batch whose estimated peak memory exceeds what this process
/// may use (see [`output::check_batch_memory`]), before anything is
/// allocated or written, or that the CPU-time limit would end midway
/// ([`output::check_batch_time`]). `frames`: the command may record map
/// frames.
fn check_memory(sc: &Scenario, threads: usize, frames: bool) -> Result<(), Failure> {
    output::check_batch_memory(sc, threads, frames).map_err(Failure::BadInput)?;
    output::check_batch_time(sc, u64::from(sc.run.replicates), "this batch")
        .map_err(Failure::BadInput)
}

/// Memory only: [`check_memory`] without the CPU-time guard, for commands
/// that check the time once they know what a resume keeps
/// ([`check_time`]). A shard (`shard`) holds no per-tick summary.
fn check_memory_only(
    sc: &Scenario,
    threads: usize,
    frames: bool,
    shard: bool,
) -> Result<(), Failure> {
    match shard {
        true => output::check_shard_memory(sc, threads),
        false => output::check_batch_memory(sc, threads, frames),
    }
    .map_err(Failure::BadInput)
}

/// The replicates of `sc` still to run: the shard's own (all of them
/// without a shard), less those kept in `store` when resuming. Counting a
/// store that the resume will refuse only lowers the figure, and the
/// guard it feeds refuses only above it.
fn replicates_to_run(
    sc: &Scenario,
    shard: Option<(u32, u32)>,
    store: &Path,
    flags: &Resilience,
) -> u64 {
    let own = shard.map_or(sc.run.replicates, |s| {
        output::shard::own_replicates(sc.run.replicates, s)
    });
    let kept = match flags.resume {
        true => output::resume::kept_count(store),
        false => 0,
    };
    u64::from(own).saturating_sub(kept as u64)
}

/// The CPU-time guard ([`output::check_batches_time`]) over batches run
/// one after another, with the replicates each still has to run.
fn check_time(batches: &[(&Scenario, u64)], what: &str) -> Result<(), Failure> {
    output::check_batches_time(batches, what).map_err(Failure::BadInput)
}

/// How a command failed: the user's input (exit 2) or something else (exit 1).
enum Failure {
    BadInput(String),
    Other(String),
    /// Ctrl-C: what was kept and how to resume (exit 130).
    Interrupted(String),
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

/// `stabsim` alone: compare the shipped Gaza pack's mandates (always the
/// pack embedded in the binary, wherever it runs), quick or full.
fn default_command(plan: &cli::first_minute::Plan) -> Command {
    let quick = |v: u32| (!plan.is_full).then_some(v);
    Command::Compare(CompareArgs {
        scenarios: vec![plan.folder.clone()],
        baseline: None,
        replicates: quick(plan.replicates),
        seed: None,
        ticks: quick(plan.days),
        map_days: None,
        threads: 0,
        out: Some(PathBuf::from(cli::first_minute::DEFAULT_OUT)),
        outputs: "standard".to_string(),
        columnar: false,
        quiet: false,
        uncertain: None,
        overrides: Overrides::default(),
        resilience: Resilience::default(),
        shard: None,
    })
}

/// Loads a scenario with `--set` overrides plus the flags that are
/// shorthands for fields, validated like everything else.
fn load(path: &Path, overrides: &Overrides, shorthands: &[Shorthand]) -> Result<Scenario, Failure> {
    let path = &scenario::pack::resolve(path);
    let mut set = overrides.set.clone();
    for (key, _, value) in shorthands {
        if let Some(v) = value {
            set.push(format!("{key}={v}"));
        }
    }
    scenario::load(path, &set).map_err(|e| blame_flag(e, shorthands).into())
}

/// A flag that stands for a scenario field: (field, flag, value given).
type Shorthand = (&'static str, &'static str, Option<String>);

/// The run shorthands `--replicates`, `--seed` and `--ticks`, as given.
fn shorthands(replicates: Option<u32>, seed: Option<u64>, ticks: Option<u32>) -> [Shorthand; 3] {
    [
        (
            "run.replicates",
            "--replicates",
            replicates.map(|v| v.to_string()),
        ),
        ("run.seed", "--seed", seed.map(|v| v.to_string())),
        ("run.ticks", "--ticks", ticks.map(|v| v.to_string())),
    ]
}

/// Shorthand flags are applied as the last `--set`; an error in one names
/// the flag the user typed rather than a `--set` they did not.
fn blame_flag(error: ScenarioError, shorthands: &[Shorthand]) -> ScenarioError {
    match error {
        ScenarioError::Field {
            location,
            field,
            message,
        } if scenario::load::is_set_file(&location.file) => {
            let flag = shorthands
                .iter()
                .find(|(key, _, value)| *key == field && value.is_some())
                .map(|(_, flag, _)| *flag);
            let location = match flag {
                Some(flag) => scenario::Location {
                    file: flag.to_string(),
                    line: None,
                    col: None,
                },
                None => location,
            };
            ScenarioError::Field {
                location,
                field,
                message,
            }
        }
        other => other,
    }
}

fn cmd_run(args: RunArgs) -> Result<(), Failure> {
    check_threads(args.threads)?;
    let files = expand_scenarios(&args.scenarios)?;
    // Everything is loaded and checked before anything runs, so a bad file
    // late in the list costs no half-written outputs.
    let mut loaded = Vec::new();
    for file in &files {
        let t = Instant::now();
        let sc = load(
            file,
            &args.overrides,
            &shorthands(args.replicates, args.seed, args.ticks),
        )?;
        let frames = outputs_level(&args.outputs).writes_frames();
        check_memory_only(&sc, args.threads, frames, args.shard.is_some())?;
        loaded.push((file.clone(), sc, t.elapsed().as_secs_f64()));
    }
    if let Some(text) = &args.shard {
        return run_shard(&args, text, &loaded);
    }
    let several = loaded.len() > 1;
    let mut dirs = Vec::new();
    for (_, sc, _) in &loaded {
        let dir = match (&args.out, several) {
            (Some(out), false) => out.clone(),
            (Some(out), true) => out.join(&sc.name),
            (None, _) => output::default_out_dir(sc, &args.overrides.set),
        };
        if dirs.contains(&dir) {
            return Err(Failure::BadInput(format!(
                "{}: two scenarios would write to this folder (expected distinct scenario names)",
                dir.display()
            )));
        }
        output::check_replaceable(&dir).map_err(Failure::BadInput)?;
        dirs.push(dir);
    }
    // The scenarios run one after another: their CPU times add up.
    let batches: Vec<(&Scenario, u64)> = loaded
        .iter()
        .zip(&dirs)
        .map(|(l, dir)| {
            let store = output::resume::store_dir(dir);
            (
                &l.1,
                replicates_to_run(&l.1, None, &store, &args.resilience),
            )
        })
        .collect();
    check_time(&batches, if several { "these runs" } else { "this batch" })?;
    let stores = dirs
        .iter()
        .zip(&loaded)
        .map(|(dir, l)| open_store(&output::resume::store_dir(dir), &l.1, &args.resilience))
        .collect::<Result<Vec<_>, _>>()?;
    let bar = progress_bar(total_replicates(&loaded), args.quiet);
    let reports = run_all(
        &loaded,
        dirs,
        stores,
        RunSettings {
            threads: args.threads,
            map_days: &[],
            outputs: outputs_level(&args.outputs),
            columnar: args.columnar,
        },
        &bar,
        None,
    )?;
    if !args.quiet && !several {
        if let Some((sc, report)) = loaded.first().map(|l| &l.1).zip(reports.first()) {
            bar.suspend(|| print_outcomes(sc, report));
        }
    }
    let reports: Vec<_> = loaded.iter().map(|l| &l.1).zip(reports).collect();
    bar.finish_and_clear();
    if several {
        if !args.quiet {
            print_pack(&reports);
        }
        let parent = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs"));
        println!(
            "wrote {} scenarios under {}",
            reports.len(),
            parent.display()
        );
    } else if let Some((_, report)) = reports.first() {
        println!("wrote {}", report.dir.join("manifest.json").display());
    }
    Ok(())
}

/// `stabsim run --shard K/N`: one scenario's slice of replicates into a
/// shard folder.
fn run_shard(args: &RunArgs, text: &str, loaded: &[Loaded]) -> Result<(), Failure> {
    let shard = output::shard::parse_shard(text).map_err(Failure::BadInput)?;
    let [(file, sc, _)] = loaded else {
        return Err(Failure::BadInput(
            "--shard: runs one scenario (expected one scenario file)".to_string(),
        ));
    };
    let out = args.out.clone().unwrap_or_else(|| {
        let name = output::folder_name(&sc.name, &args.overrides.set);
        Path::new("outputs").join(format!("{name}.shard-{}-of-{}", shard.0, shard.1))
    });
    let to_run = replicates_to_run(sc, Some(shard), &out, &args.resilience);
    check_time(&[(sc, to_run)], "this shard")?;
    let store = open_store(&out, sc, &args.resilience)?;
    let own = output::shard::own_replicates(sc.run.replicates, shard);
    let bar = progress_bar(u64::from(own), args.quiet);
    // The recorded command is the single-machine one: without --shard K/N.
    let command = command_without_shard();
    let n = output::shard::run_shard(
        sc,
        &store,
        shard,
        args.threads,
        &file.display().to_string(),
        &command,
        args.out.as_ref().map(|o| o.display().to_string()),
        args.columnar,
        &mut |done| bar.set_position(done),
    )
    .map_err(|e| {
        bar.finish_and_clear();
        run_failure(e, &out, Some(&out))
    })?;
    bar.finish_and_clear();
    println!(
        "wrote shard {}/{} ({n} of {} replicates) to {}",
        shard.0,
        shard.1,
        sc.run.replicates,
        out.display()
    );
    Ok(())
}

fn cmd_merge(args: MergeArgs) -> Result<(), Failure> {
    check_threads(args.threads)?;
    output::check_replaceable(&args.out).map_err(Failure::BadInput)?;
    if args
        .shards
        .first()
        .is_some_and(|d| sweep::shard::is_sweep_shard(d))
    {
        return merge_sweep(&args);
    }
    if args
        .shards
        .first()
        .is_some_and(|d| compare::shard::is_compare_shard(d))
    {
        use compare::shard::MergeError;
        compare::shard::merge(&args.shards, &args.out, args.threads, &mut |_| {}).map_err(|e| {
            match e {
                MergeError::Shards(m) => Failure::BadInput(m),
                MergeError::Write(m) => Failure::Other(m),
            }
        })?;
        println!("report: {}", args.out.join("report.html").display());
        return Ok(());
    }
    let bar = progress_bar(0, true);
    let report =
        output::shard::merge(&args.shards, &args.out, args.threads, &mut |_| {}).map_err(|e| {
            match e {
                output::shard::MergeError::Shards(m) => Failure::BadInput(m),
                output::shard::MergeError::Run(e) => run_failure(e, &args.out, None),
            }
        })?;
    bar.finish_and_clear();
    println!("wrote {}", report.dir.join("manifest.json").display());
    Ok(())
}

/// `stabsim merge` of a sweep's (or sensitivity analysis's) shards.
fn merge_sweep(args: &MergeArgs) -> Result<(), Failure> {
    use sweep::shard::MergeError;
    let merged = sweep::shard::merge(&args.shards, &args.out).map_err(|e| match e {
        MergeError::Shards(m) => Failure::BadInput(m),
        MergeError::Sweep(e) => Failure::Other(format!("{}: {e}", args.out.display())),
    })?;
    for m in &merged.skipped {
        eprintln!("warning: {m}");
    }
    let file = if merged.kind == sweep::shard::KIND_SWEEP {
        "runs.csv"
    } else {
        "indices.csv"
    };
    println!(
        "merged {}: {} points x {} replicates; wrote {}",
        merged.kind,
        merged.points,
        merged.replicates,
        args.out.join(file).display()
    );
    Ok(())
}

/// The command line as a shard records it for the merged outputs: the
/// single-machine command, without `--shard K/N` (and `--resume`).
fn command_without_shard() -> String {
    let mut words: Vec<String> = std::env::args().filter(|a| a != "--resume").collect();
    if let Some(k) = words.iter().position(|a| a == "--shard") {
        words.drain(k..(k + 2).min(words.len()));
    }
    words.retain(|a| !a.starts_with("--shard="));
    words.join(" ")
}

/// A loaded scenario: its file, the scenario, and seconds spent loading it.
type Loaded = (PathBuf, Scenario, f64);

fn total_replicates(loaded: &[Loaded]) -> u64 {
    loaded
        .iter()
        .map(|(_, sc, _)| u64::from(sc.run.replicates))
        .sum()
}

/// The command line as recorded in manifests and reports: without
/// `--resume`, so a resumed run writes the same bytes as an uninterrupted one.
fn recorded_command() -> String {
    std::env::args()
        .filter(|a| a != "--resume")
        .collect::<Vec<_>>()
        .join(" ")
}

/// A scenario's replicate store (see [`output::resume::open`]).
fn open_store(
    dir: &Path,
    sc: &Scenario,
    flags: &Resilience,
) -> Result<output::resume::ReplicateStore, Failure> {
    use output::resume::OpenError;
    output::resume::open(dir, sc, flags.resume, &mut |note| eprintln!("{note}")).map_err(
        |e| match e {
            OpenError::Mismatch(m) => Failure::BadInput(m),
            OpenError::Io(m) => Failure::Other(m),
        },
    )
}

/// What an interrupted batch kept (`count` finished `what`, e.g.
/// "replicates", in `store`) and how to resume it into `out`.
fn kept_message(count: usize, what: &str, store: &Path, out: &Path) -> String {
    format!(
        "{count} finished {what} are kept in {}; the outputs in {} are unchanged.\nResume with: {}",
        store.display(),
        out.display(),
        output::resume::resume_command()
    )
}

/// `msg`, followed by what is kept (`count` finished `what` in `store`)
/// and how to resume into `out`, if anything is kept: a failure after
/// work was kept (a full disk while writing the outputs) loses none of it.
fn with_kept(msg: String, count: usize, what: &str, store: Option<&Path>, out: &Path) -> String {
    match store {
        Some(store) if count > 0 => format!("{msg}. {}", kept_message(count, what, store, out)),
        _ => msg,
    }
}

/// A kept piece that cannot be read back (another format, a failed
/// checksum, a wrong length, not a regular file): the message names the
/// file.
fn bad_kept(e: &std::io::Error) -> bool {
    output::kept::is_unusable_piece(e)
}

/// A run's failure, saying for an interrupt, a replicate that could not
/// be kept or read back, or outputs that could not be written, what was
/// kept in `store` (with its subfolders: a comparison's every scenario)
/// and how to resume.
fn run_failure(e: output::RunError, out: &Path, store: Option<&Path>) -> Failure {
    use stabsim::batch::BatchError;
    let count = store.map_or(0, output::resume::kept_count);
    let kept = |store: &Path| kept_message(count, "replicates", store, out);
    match (e, store) {
        (output::RunError::Batch(BatchError::Interrupted), Some(store)) => {
            Failure::Interrupted(format!("stabsim: interrupted. {}", kept(store)))
        }
        // Damaged or foreign kept data: the user's to delete.
        (output::RunError::Batch(BatchError::Keep(e)), store) if bad_kept(&e) => {
            Failure::BadInput(with_kept(e.to_string(), count, "replicates", store, out))
        }
        (output::RunError::Batch(BatchError::Keep(e)), Some(store)) => Failure::Other(format!(
            "{}: {e} (expected a writable folder with free space). {}",
            store.display(),
            kept(store)
        )),
        (e, store) => Failure::Other(with_kept(
            format!("{}: {e}", out.display()),
            count,
            "replicates",
            store,
            out,
        )),
    }
}

/// The `--outputs` level (clap has checked the name).
fn outputs_level(name: &str) -> output::OutputLevel {
    output::OutputLevel::from_name(name).unwrap_or_default()
}

/// Runs each scenario's batch into its folder, one after the other, with
/// one progress bar over all replicates; `map_days` are recorded in each
/// mission scenario's `frames.csv` exactly. Maps are drawn from the first
/// scenario (a comparison's baseline, or a single run). Each scenario's
/// kept replicates are removed once its folder is in place, unless the
/// folders are part of the comparison `comparison` (removed after it is).
/// What every scenario of a [`run_all`] shares.
struct RunSettings<'a> {
    threads: usize,
    /// Days recorded exactly in `frames.csv` (a comparison's maps).
    map_days: &'a [u32],
    outputs: output::OutputLevel,
    /// `--columnar`: also `timeseries.parquet`.
    columnar: bool,
}

fn run_all(
    loaded: &[Loaded],
    dirs: Vec<PathBuf>,
    stores: Vec<output::resume::ReplicateStore>,
    how: RunSettings,
    bar: &Progress,
    comparison: Option<&Path>,
) -> Result<Vec<output::RunReport>, Failure> {
    let RunSettings {
        threads,
        map_days,
        outputs,
        columnar,
    } = how;
    let mut done_before = 0u64;
    let mut reports = Vec::new();
    let is_comparison = !map_days.is_empty();
    for (k, (((file, sc, load_seconds), out_dir), store)) in
        loaded.iter().zip(dirs).zip(stores).enumerate()
    {
        let mut opts = RunOptions {
            threads,
            out_dir,
            source: file.display().to_string(),
            command: recorded_command(),
            load_seconds: *load_seconds,
            map_days: map_days.to_vec(),
            store: Some(store),
            outputs,
            columnar,
            maps_drawn: k == 0 && (is_comparison || loaded.len() == 1),
        };
        bar.set_message(sc.name.clone());
        let store_dir = opts
            .store
            .as_ref()
            .and_then(|s| s.dir())
            .map(Path::to_path_buf);
        let report =
            output::run_to_dir(sc, &opts, &mut |done| bar.set_position(done_before + done))
                .map_err(|e| {
                    bar.finish_and_clear();
                    let out = comparison.unwrap_or(&opts.out_dir);
                    // A comparison's scenarios keep their replicates side by
                    // side: what is kept is all of theirs.
                    let kept_in = match comparison {
                        Some(_) => store_dir.as_deref().and_then(Path::parent),
                        None => store_dir.as_deref(),
                    };
                    run_failure(e, out, kept_in)
                })?;
        if comparison.is_none() {
            if let Some(store) = opts.store.take() {
                store
                    .remove()
                    .map_err(|e| Failure::Other(format!("removing kept replicates: {e}")))?;
            }
        }
        done_before += u64::from(sc.run.replicates);
        reports.push(report);
    }
    Ok(reports)
}

/// Distinct output folders, one per scenario, under `parent`.
fn scenario_dirs(loaded: &[Loaded], parent: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (_, sc, _) in loaded {
        let dir = parent.join(&sc.name);
        if dirs.contains(&dir) {
            return Err(Failure::BadInput(format!(
                "{}: two scenarios would write to this folder (expected distinct scenario names)",
                dir.display()
            )));
        }
        dirs.push(dir);
    }
    Ok(dirs)
}

fn cmd_compare(args: CompareArgs) -> Result<(), Failure> {
    check_threads(args.threads)?;
    // Inputs: scenario files and folders, or comparison files whose
    // settings act as defaults under the flags.
    let mut paths = Vec::new();
    let mut from_file: Option<(PathBuf, ComparisonFile)> = None;
    for path in &args.scenarios {
        let path = &scenario::pack::resolve(path);
        let text = scenario::input::read_text(path).unwrap_or_default();
        if ComparisonFile::is_comparison(&text) {
            let file = ComparisonFile::load(path)?;
            paths.extend(file.scenarios.iter().map(|p| scenario::pack::normalize(p)));
            from_file = Some((path.clone(), file));
        } else {
            paths.push(path.clone());
        }
    }
    let files = expand_scenarios(&paths)?;
    let setting = |flag: Option<String>, file: Option<String>| flag.or(file);
    let f = from_file.as_ref().map(|(_, f)| f);
    // A scenario's overrides: the comparison file's for it, then the
    // command line's (which apply to every scenario).
    let overrides_for = |file: &Path, name: &str| -> Overrides {
        let mut set = f.map(|f| f.set_for(file, name)).unwrap_or_default();
        set.extend(args.overrides.set.iter().cloned());
        Overrides { set }
    };
    let replicates = setting(
        args.replicates.map(|v| v.to_string()),
        f.and_then(|f| f.replicates).map(|v| v.to_string()),
    );
    let seed = setting(
        args.seed.map(|v| v.to_string()),
        f.and_then(|f| f.seed).map(|v| v.to_string()),
    );
    let ticks = args.ticks.map(|v| v.to_string());
    let shorthands = |r: Option<String>, s: Option<String>, t: Option<String>| -> Vec<Shorthand> {
        vec![
            ("run.replicates", "--replicates", r),
            ("run.seed", "--seed", s),
            ("run.ticks", "--ticks", t),
        ]
    };
    let mut loaded: Vec<Loaded> = Vec::new();
    for file in &files {
        let t = Instant::now();
        let given = shorthands(replicates.clone(), seed.clone(), ticks.clone());
        let mut sc = load(file, &args.overrides, &given)?;
        let own = overrides_for(file, &sc.name);
        if own.set.len() > args.overrides.set.len() {
            sc = load(file, &own, &given)?;
        }
        loaded.push((file.clone(), sc, t.elapsed().as_secs_f64()));
    }
    if let Some((path, file)) = &from_file {
        let known = |key: &str| {
            loaded
                .iter()
                .any(|(file, sc, _)| sc.name == key || file.file_stem().is_some_and(|s| s == key))
        };
        if let Some(key) = file.set.keys().find(|k| !known(k)) {
            let names: Vec<&str> = loaded.iter().map(|l| l.1.name.as_str()).collect();
            return Err(Failure::BadInput(format!(
                "{}: field set.{key}: no scenario named {key:?} (expected a scenario name or file stem: {})",
                path.display(),
                names.join(", ")
            )));
        }
    }
    let baseline_name = args
        .baseline
        .clone()
        .or_else(|| f.and_then(|f| f.baseline.clone()));
    if let Some(name) = baseline_name {
        let k = loaded
            .iter()
            .position(|(file, sc, _)| {
                sc.name == name || file.file_stem().is_some_and(|s| s == name.as_str())
            })
            .ok_or_else(|| {
                let names: Vec<&str> = loaded.iter().map(|l| l.1.name.as_str()).collect();
                Failure::BadInput(format!(
                    "--baseline: no scenario named {name:?} (expected one of: {})",
                    names.join(", ")
                ))
            })?;
        let base = loaded.remove(k);
        loaded.insert(0, base);
    }
    // Common random numbers: every scenario runs with the baseline's seed,
    // replicates and horizon.
    let run = loaded[0].1.run.clone();
    for l in loaded.iter_mut().skip(1) {
        if (l.1.run.seed, l.1.run.replicates, l.1.run.ticks)
            != (run.seed, run.replicates, run.ticks)
        {
            l.1 = load(
                &l.0,
                &overrides_for(&l.0, &l.1.name),
                &shorthands(
                    Some(run.replicates.to_string()),
                    Some(run.seed.to_string()),
                    Some(run.ticks.to_string()),
                ),
            )?;
        }
    }
    for (_, sc, _) in &loaded {
        let frames = outputs_level(&args.outputs).writes_frames();
        check_memory_only(sc, args.threads, frames, args.shard.is_some())?;
    }
    // A variant that the overrides made identical to the baseline would be
    // reported under its old name with zero differences: say so up front
    // (the report says it too).
    let variants: Vec<&Scenario> = loaded.iter().skip(1).map(|l| &l.1).collect();
    for w in compare::changes::erased_variants(&loaded[0].1, &variants, &args.overrides.set) {
        eprintln!("warning: {w}");
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_comparison_dir(&args.scenarios, &args.overrides.set));
    // The comparison folder is replaced whole: its scenarios run into the
    // staging folder, which takes its place once the report is drawn.
    scenario_dirs(&loaded, &out)?;
    // A shard folder is not an output folder: `compare_shard` checks it.
    if args.shard.is_none() {
        output::check_replaceable(&out).map_err(Failure::BadInput)?;
    }
    let map_days = args
        .map_days
        .clone()
        .or_else(|| f.and_then(|f| f.map_days.clone()))
        .unwrap_or_else(|| default_map_days(run.ticks));
    // Blame the comparison file when its `map_days` were used.
    let days_from = f.filter(|_| args.map_days.is_none());
    compare::check_map_days(&map_days, run.ticks, days_from).map_err(Failure::BadInput)?;
    let plan = match &args.uncertain {
        Some(text) => {
            let arms = loaded
                .iter()
                .map(|l| {
                    let set = overrides_for(&l.0, &l.1.name).set;
                    (l.0.clone(), l.1.name.clone(), set)
                })
                .collect::<Vec<_>>();
            let scenarios: Vec<&Scenario> = loaded.iter().map(|l| &l.1).collect();
            Some(uncertain_plan(text, &scenarios, arms, args.threads)?)
        }
        None => None,
    };

    if let Some(text) = &args.shard {
        let weights = from_file
            .as_ref()
            .map(|(_, f)| f.weights.clone().into_iter().collect())
            .unwrap_or_default();
        return compare_shard(&args, text, &loaded, map_days, weights, plan.as_ref());
    }

    let store_root = output::resume::store_dir(&out);
    // The scenarios run one after another: their CPU times add up.
    let batches: Vec<(&Scenario, u64)> = loaded
        .iter()
        .map(|l| {
            let store = store_root.join(&l.1.name);
            (
                &l.1,
                replicates_to_run(&l.1, None, &store, &args.resilience),
            )
        })
        .collect();
    check_time(&batches, "this comparison")?;
    let stores = loaded
        .iter()
        .map(|l| open_store(&store_root.join(&l.1.name), &l.1, &args.resilience))
        .collect::<Result<Vec<_>, _>>()?;
    // The robustness run keeps its finished points beside the replicates,
    // opened now so that a resume of another design is refused before
    // anything runs.
    let points_root = store_root.join(compare::uncertain::SHARD_POINTS);
    let point_stores = match &plan {
        Some(plan) => Some(uncertain_stores(plan, &points_root, &args.resilience)?),
        None => None,
    };
    let mut staging = output::Staging::create(&out)
        .map_err(|e| Failure::Other(format!("{}: {e}", out.display())))?;
    let dirs = scenario_dirs(&loaded, staging.path())?;
    let bar = progress_bar(total_replicates(&loaded), args.quiet);
    run_all(
        &loaded,
        dirs,
        stores,
        RunSettings {
            threads: args.threads,
            map_days: &map_days,
            outputs: outputs_level(&args.outputs),
            columnar: args.columnar,
        },
        &bar,
        Some(&out),
    )?;
    if let (Some(plan), Some((_, stores))) = (&plan, &point_stores) {
        run_uncertain(plan, stores, &mut staging, &bar)
            .map_err(|e| points_failure(e, &out, Some(&points_root), &bar))?;
    }
    bar.set_message("drawing charts and the report");
    let spec = ComparisonSpec {
        scenarios: loaded.iter().map(|l| l.1.name.clone()).collect(),
        map_days,
        command: recorded_command(),
        overrides: args.overrides.set.clone(),
        weights: from_file
            .as_ref()
            .map(|(_, f)| f.weights.clone().into_iter().collect())
            .unwrap_or_default(),
    };
    // The comparison's outputs could not be written: every scenario's
    // replicates are kept.
    let failed = |msg: String| {
        bar.finish_and_clear();
        let count = output::resume::kept_count(&store_root);
        Failure::Other(with_kept(msg, count, "replicates", Some(&store_root), &out))
    };
    let outputs = spec
        .scenarios
        .iter()
        .map(|s| ScenarioOutputs::read(&staging.path().join(s)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| failed(e.to_string()))?;
    let drawn = compare::draw_staged(staging, &spec, &outputs)
        .map_err(|e| failed(format!("{}: {e}", out.display())))?;
    // The comparison is in place: the kept replicates are no longer needed.
    if let Err(e) = std::fs::remove_dir_all(&store_root) {
        if e.kind() != std::io::ErrorKind::NotFound {
            eprintln!("warning: {}: {e}", store_root.display());
        }
    }
    bar.finish_and_clear();
    if !args.quiet {
        print_moe(&outputs, &drawn.table);
    }
    println!("report: {}", out.join("report.html").display());
    Ok(())
}

/// `stabsim compare --shard K/N`: every scenario's slice of replicates
/// into one run shard each, under one comparison shard folder.
fn compare_shard(
    args: &CompareArgs,
    text: &str,
    loaded: &[Loaded],
    map_days: Vec<u32>,
    weights: Vec<(String, f64)>,
    plan: Option<&compare::uncertain::Plan>,
) -> Result<(), Failure> {
    let shard = output::shard::parse_shard(text).map_err(Failure::BadInput)?;
    let out = args.out.clone().unwrap_or_else(|| {
        let dir = default_comparison_dir(&args.scenarios, &args.overrides.set);
        let name = dir.file_name().map_or_else(
            || "comparison".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        dir.with_file_name(format!("{name}.shard-{}-of-{}", shard.0, shard.1))
    });
    output::refuse_symlink(&out).map_err(|e| Failure::BadInput(e.to_string()))?;
    let batches: Vec<(&Scenario, u64)> = loaded
        .iter()
        .zip(scenario_dirs(loaded, &out)?)
        .map(|(l, dir)| {
            let to_run = replicates_to_run(&l.1, Some(shard), &dir, &args.resilience);
            (&l.1, to_run)
        })
        .collect();
    check_time(&batches, "this shard of the comparison")?;
    // An earlier shard.json goes first: the folder is unfinished until the
    // new one is written.
    match std::fs::remove_file(out.join(output::shard::SHARD_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Failure::Other(format!("{}: {e}", out.display())));
        }
        _ => {}
    }
    let dirs = scenario_dirs(loaded, &out)?;
    let stores = dirs
        .iter()
        .zip(loaded)
        .map(|(dir, l)| open_store(dir, &l.1, &args.resilience))
        .collect::<Result<Vec<_>, _>>()?;
    let own = |sc: &Scenario| u64::from(output::shard::own_replicates(sc.run.replicates, shard));
    let bar = progress_bar(loaded.iter().map(|l| own(&l.1)).sum(), args.quiet);
    let command = command_without_shard();
    let given_out = args.out.as_ref().map(|o| o.display().to_string());
    let mut scenarios = Vec::new();
    let mut before = 0;
    for (((file, sc, _), dir), store) in loaded.iter().zip(&dirs).zip(&stores) {
        bar.set_message(sc.name.clone());
        output::shard::run_shard(
            sc,
            store,
            shard,
            args.threads,
            &file.display().to_string(),
            &command,
            given_out.clone(),
            args.columnar,
            &mut |done| bar.set_position(before + done),
        )
        .map_err(|e| {
            bar.finish_and_clear();
            run_failure(e, &out, Some(&out))
        })?;
        before += own(sc);
        let info = stabsim::scenario::input::read_text(&dir.join(output::shard::SHARD_FILE))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or_else(|| Failure::Other(format!("{}: shard.json unreadable", dir.display())))?;
        scenarios.push(info);
    }
    let uncertain = match plan {
        Some(plan) => Some(uncertain_shard(plan, shard, &out, &args.resilience, &bar)?),
        None => None,
    };
    let info = compare::shard::CompareShardInfo {
        kind: compare::shard::KIND_COMPARE.to_string(),
        shard: shard.0,
        of: shard.1,
        scenarios,
        map_days,
        outputs: args.outputs.clone(),
        overrides: args.overrides.set.clone(),
        weights,
        command,
        out: given_out,
        columnar: args.columnar,
        uncertain,
    };
    compare::shard::finish_shard(&out, &info)
        .map_err(|e| Failure::Other(format!("{}: {e}", out.display())))?;
    bar.finish_and_clear();
    println!(
        "wrote shard {}/{} of the comparison of {} scenarios to {}",
        shard.0,
        shard.1,
        loaded.len(),
        out.display()
    );
    Ok(())
}

/// Shard `shard` of a comparison's robustness run: every arm at this
/// shard's design points, kept (resumable) under the shard folder `out`.
fn uncertain_shard(
    plan: &compare::uncertain::Plan,
    shard: (u32, u32),
    out: &Path,
    resilience: &Resilience,
    bar: &Progress,
) -> Result<compare::uncertain::UncertainShard, Failure> {
    let root = out.join(compare::uncertain::SHARD_POINTS);
    let (states, stores) = uncertain_stores(plan, &root, resilience)?;
    let own = (0..plan.design.points.len())
        .filter(|&p| sweep::run::in_shard(p, Some(shard)))
        .count() as u64;
    let reps = u64::from(states.first().map_or(0, |s| s.replicates));
    bar.set_length(plan.arms.len() as u64 * own * reps);
    bar.set_position(0);
    bar.set_message(format!(
        "robustness: {own} points x {} scenarios",
        plan.arms.len()
    ));
    plan.simulate_kept(&stores, Some(shard), &|n| bar.set_position(n))
        .map_err(|e| points_failure(e, out, Some(&root), bar))?;
    Ok(compare::uncertain::UncertainShard {
        arms: plan.arms.clone(),
        design: plan.design.clone(),
        ranges: plan.ranges.clone(),
        states,
    })
}

/// Each arm's store of the robustness run's kept points, `root/<arm>`
/// (fresh, or with `--resume` the interrupted run's, which must be of the
/// same design), with the states they were opened for.
fn uncertain_stores(
    plan: &compare::uncertain::Plan,
    root: &Path,
    resilience: &Resilience,
) -> Result<(Vec<sweep::store::SweepState>, Vec<sweep::store::PointStore>), Failure> {
    let states = plan.states().map_err(sweep_failure)?;
    let stores = plan
        .arms
        .iter()
        .zip(&states)
        .map(|(arm, state)| open_point_store(&root.join(&arm.name), state, resilience))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((states, stores))
}

/// The robustness run of `compare --uncertain`: the design over the
/// baseline's parameters and one arm per scenario (`(file, name,
/// overrides)`, baseline first), all with the baseline's run settings;
/// every arm is checked at every point.
fn uncertain_plan(
    text: &str,
    scenarios: &[&Scenario],
    arms: Vec<(PathBuf, String, Vec<String>)>,
    threads: usize,
) -> Result<compare::uncertain::Plan, Failure> {
    use compare::uncertain;
    let base = scenarios[0];
    if scenarios.len() < 2 || base.mission.is_none() {
        return Err(Failure::BadInput(
            "--uncertain: needs a baseline and at least one mandate of the mission model \
             (expected two or more scenarios with [mission])"
                .to_string(),
        ));
    }
    let spec = uncertain::parse_spec(text).map_err(Failure::BadInput)?;
    let levers = uncertain::levers(scenarios);
    let (design, ranges) =
        uncertain::build_design(&spec, base, &levers, base.run.seed).map_err(Failure::BadInput)?;
    let run = &base.run;
    let replicates = spec.replicates.unwrap_or(run.replicates);
    let arms = arms
        .into_iter()
        .map(|(file, name, mut overrides)| {
            overrides.extend([
                format!("run.replicates={replicates}"),
                format!("run.seed={}", run.seed),
                format!("run.ticks={}", run.ticks),
            ]);
            uncertain::Arm {
                name: compare::short_name(&name, &base.name),
                file,
                overrides,
            }
        })
        .collect();
    let plan = uncertain::Plan {
        arms,
        design,
        ranges,
        threads,
    };
    plan.check().map_err(sweep_failure)?;
    Ok(plan)
}

/// Runs the robustness plan, keeping each finished point of each arm in
/// `stores` (the kept ones are not run again), and writes its files into
/// `staging`.
fn run_uncertain(
    plan: &compare::uncertain::Plan,
    stores: &[sweep::store::PointStore],
    staging: &mut output::Staging,
    bar: &Progress,
) -> Result<(), sweep::SweepError> {
    let reps = plan.arms[0]
        .overrides
        .iter()
        .rev()
        .find_map(|s| s.strip_prefix("run.replicates="))
        .and_then(|r| r.parse::<u64>().ok())
        .unwrap_or(1);
    let jobs = plan.arms.len() as u64 * plan.design.points.len() as u64 * reps;
    bar.set_length(jobs);
    bar.set_position(0);
    bar.set_message(format!(
        "robustness: {} points x {} scenarios",
        plan.design.points.len(),
        plan.arms.len()
    ));
    let results: Vec<_> = plan
        .simulate_kept(stores, None, &|n| bar.set_position(n))?
        .into_iter()
        .map(sweep::PointResults::complete)
        .collect();
    plan.write(staging, &results)?;
    Ok(())
}

/// `outputs/<folder or comparison file stem>/` for one input, else
/// `outputs/comparison/`; with `--set` overrides, `--set-<hash>` is
/// appended to the name, as for `stabsim run`.
fn default_comparison_dir(inputs: &[PathBuf], overrides: &[String]) -> PathBuf {
    let name = match inputs {
        [one] => one
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "comparison".to_string()),
        _ => "comparison".to_string(),
    };
    Path::new("outputs").join(output::folder_name(&name, overrides))
}

/// Maps early, midway and at the end of the run.
fn default_map_days(ticks: u32) -> Vec<u32> {
    let mut days = vec![ticks / 8, ticks / 2, ticks];
    days.dedup();
    days
}

/// The headline measures of effectiveness, one line per scenario, by
/// place (every measure is in moe.csv and the report).
fn print_moe(outputs: &[ScenarioOutputs], table: &compare::MoeTable) {
    let base = &outputs[0].scenario.name;
    // As wide as the longest name, so long names stay aligned.
    let header = "mandate (means; * Holm p < 0.05)";
    let width = outputs
        .iter()
        .map(|o| o.short_name(base).chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    print!("  {header:<width$}");
    let shown: Vec<usize> = (0..table.measures.len())
        .filter(|&m| table.measures[m].headline)
        .collect();
    for &m in &shown {
        print!(" {:>18}", table.measures[m].key);
    }
    println!(" {:>7}", "score");
    let mut order: Vec<usize> = (0..outputs.len()).collect();
    order.sort_by_key(|&s| table.place[s]);
    for s in order {
        print!("  {:<width$}", outputs[s].short_name(base));
        for &m in &shown {
            let c = &table.cells[s][m];
            let star = if c.diff.is_some_and(|d| d.significant()) {
                "*"
            } else {
                " "
            };
            if c.reached {
                print!(" {:>17.3}{star}", c.mean);
            } else {
                print!(" {:>17}{star}", "not reached");
            }
        }
        println!(" {:>+7.2}", table.score[s]);
    }
    println!("  ({})", stabsim::DISCLAIMER);
}

fn cmd_plot(args: PlotArgs) -> Result<(), Failure> {
    let dir = &args.dir;
    let bad = |what: &str| {
        Failure::BadInput(format!(
            "{}: {what} (expected an outputs folder of `stabsim run` or `stabsim compare`)",
            dir.display()
        ))
    };
    if !dir.is_dir() {
        return Err(bad("not a folder"));
    }
    let fail = |e: compare::CompareError| match e {
        compare::CompareError::Load(e) => Failure::BadInput(e.to_string()),
        other => Failure::Other(format!("{}: {other}", dir.display())),
    };
    if dir.join(compare::COMPARISON_FILE).exists() {
        compare::redraw_comparison(dir).map_err(fail)?;
        println!("report: {}", dir.join("report.html").display());
    } else if dir.join("summary.csv").exists() {
        let files = compare::redraw_scenario(dir).map_err(fail)?;
        println!("redrew {} files in {}", files.len(), dir.display());
    } else {
        return Err(bad("no comparison.json or summary.csv"));
    }
    Ok(())
}

/// Scenario files from the command line: files as given, folders as their
/// `*.toml` files with `baseline.toml` first, then by name.
fn expand_scenarios(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        // A shipped name (`gaza/baseline`, `gaza`) where no such file is.
        let path = &scenario::pack::resolve(path);
        if scenario::pack::is_pack_path(path) && scenario::pack::is_dir(path) {
            files.extend(scenario::pack::toml_files(path));
            continue;
        }
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| {
            Failure::BadInput(format!("{}: cannot read folder: {e}", path.display()))
        })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        found.sort_by_key(|p| {
            (
                p.file_name().is_none_or(|n| n != "baseline.toml"),
                p.clone(),
            )
        });
        if found.is_empty() {
            return Err(Failure::BadInput(format!(
                "{}: no scenario files (expected a folder with *.toml files)",
                path.display()
            )));
        }
        files.extend(found);
    }
    Ok(files)
}

/// One line per scenario: the mean of a few per-run outcomes.
fn print_pack(reports: &[(&Scenario, output::RunReport)]) {
    let columns = [
        ("civilian_deaths", "civ. deaths"),
        ("attacks_on_mission", "attacks"),
        ("final_trust_share", "trust share"),
        ("ceasefire_collapsed", "collapsed"),
        ("handover_achieved", "handed over"),
        ("mean_active_share", "active"),
    ];
    // As wide as the longest name, so long names stay aligned.
    let header = "scenario (means over replicates)";
    let width = reports
        .iter()
        .map(|(sc, _)| sc.name.chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    print!("  {header:<width$}");
    for (_, label) in &columns {
        print!(" {label:>12}");
    }
    println!();
    for (sc, report) in reports {
        print!("  {:<width$}", sc.name);
        for (name, _) in &columns {
            let value = report
                .outcomes
                .iter()
                .find(|(n, _)| n == name)
                .map_or("-".to_string(), |(_, m)| format!("{:.3}", m.mean()));
            print!(" {value:>12}");
        }
        println!();
    }
    println!("  ({})", stabsim::DISCLAIMER);
}

/// Progress on stderr: a bar with ETA on a terminal, a plain line per
/// scenario and per 10 % elsewhere, nothing with `--quiet`.
fn progress_bar(total: u64, quiet: bool) -> Progress {
    Progress::new(total, quiet)
}

fn print_outcomes(sc: &Scenario, report: &output::RunReport) {
    println!(
        "{}: {} replicates x {} ticks (seed {}); per-run outcomes after burn-in {}:",
        sc.name, sc.run.replicates, sc.run.ticks, sc.run.seed, sc.run.burn_in
    );
    let w = report
        .outcomes
        .iter()
        .map(|(name, _)| name.chars().count())
        .chain([22])
        .max()
        .unwrap_or(22);
    println!("  {:<w$} {:>12} {:>12} {:>6}", "outcome", "mean", "sd", "n");
    for (name, m) in &report.outcomes {
        println!(
            "  {:<w$} {:>12.4} {:>12.4} {:>6}",
            name,
            m.mean(),
            m.sd(),
            m.count()
        );
    }
    println!("  ({})", stabsim::DISCLAIMER);
}

fn cmd_check(args: CheckArgs) -> Result<(), Failure> {
    let mut errors = Vec::new();
    for input in &args.files {
        errors.extend(check_input(
            &scenario::pack::resolve(input),
            &args.overrides.set,
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::BadInput(errors.join("\n")))
    }
}

/// Checks one input of `check` as `run` or `compare` would load it: a
/// scenario file, a folder of them, or a comparison file (its scenarios
/// with their own overrides, its settings and map days). The errors found.
fn check_input(input: &Path, set: &[String]) -> Vec<String> {
    let text = scenario::input::read_text(input).unwrap_or_default();
    let file = if ComparisonFile::is_comparison(&text) {
        match ComparisonFile::load(input) {
            Ok(file) => Some(file),
            Err(e) => return vec![e.to_string()],
        }
    } else {
        None
    };
    let paths = file.as_ref().map_or_else(
        || vec![input.to_path_buf()],
        |f| {
            f.scenarios
                .iter()
                .map(|p| scenario::pack::normalize(p))
                .collect()
        },
    );
    let files = match expand_scenarios(&paths) {
        Ok(files) => files,
        Err(Failure::BadInput(e) | Failure::Other(e) | Failure::Interrupted(e)) => return vec![e],
    };
    let mut errors = Vec::new();
    let mut ticks = Vec::new();
    for path in &files {
        let given: Vec<Shorthand> = vec![
            (
                "run.replicates",
                "--replicates",
                file.as_ref()
                    .and_then(|f| f.replicates)
                    .map(|v| v.to_string()),
            ),
            (
                "run.seed",
                "--seed",
                file.as_ref().and_then(|f| f.seed).map(|v| v.to_string()),
            ),
        ];
        let mut loaded = load(path, &Overrides { set: set.to_vec() }, &given);
        if let (Ok(sc), Some(f)) = (&loaded, &file) {
            let mut own = f.set_for(path, &sc.name);
            if !own.is_empty() {
                own.extend(set.iter().cloned());
                loaded = load(path, &Overrides { set: own }, &given);
            }
        }
        match loaded {
            Ok(sc) => {
                println!("{}: ok ({})", path.display(), sc.name);
                let baseline = file.as_ref().and_then(|f| f.baseline.as_ref());
                ticks.push((baseline.is_some_and(|b| *b == sc.name), sc.run.ticks));
            }
            Err(Failure::BadInput(e) | Failure::Other(e) | Failure::Interrupted(e)) => {
                errors.push(e)
            }
        }
    }
    // The comparison runs at the baseline's horizon: its map days must fit.
    let horizon = ticks.iter().find(|t| t.0).or(ticks.first()).map(|t| t.1);
    if let (Some(f), Some(horizon)) = (&file, horizon) {
        let days = f.map_days.clone().unwrap_or_default();
        if let Err(e) = compare::check_map_days(&days, horizon, Some(f)) {
            errors.push(e);
        }
    }
    if file.is_some() && errors.is_empty() {
        println!(
            "{}: ok (comparison of {} scenarios)",
            input.display(),
            files.len()
        );
    }
    errors
}

fn cmd_timing(args: TimingArgs) -> Result<(), Failure> {
    let sc = load(
        &args.scenario,
        &args.overrides,
        &[
            ("run.seed", "--seed", Some(args.seed.to_string())),
            // Validated like the scenario's horizon (1..=1,000,000).
            ("run.ticks", "--ticks", Some(args.ticks.to_string())),
            ("run.burn_in", "--ticks", Some("0".to_string())),
        ],
    )?;
    // One replicate is timed, whatever the scenario's batch.
    output::check_batch_memory(&sc, 1, false).map_err(Failure::BadInput)?;
    output::check_batch_time(&sc, 1, "timing").map_err(Failure::BadInput)?;
    let report =
        validation::time_ticks(&sc, args.ticks).map_err(|e| Failure::Other(e.to_string()))?;
    println!("{}", report.to_json());
    Ok(())
}

fn cmd_dock(args: DockArgs) -> Result<(), Failure> {
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        return Err(Failure::BadInput(format!(
            "--alpha: {} is out of range (expected a number strictly between 0 and 1)",
            args.alpha
        )));
    }
    check_threads(args.threads)?;
    let given = shorthands(args.replicates, None, args.ticks);
    let sc = load(&args.scenario, &args.overrides, &given)?;
    check_memory(&sc, args.threads, false)?;
    let reference = validation::ReferenceRuns::load(&args.reference)
        .map_err(|e| Failure::BadInput(e.to_string()))?;
    let report =
        validation::dock(&sc, &reference, args.alpha, args.threads).map_err(|e| match e {
            // Asking for more ticks than the reference has is a bad flag.
            validation::DockError::TooShort { .. } => Failure::BadInput(format!("--ticks: {e}")),
            other => Failure::Other(other.to_string()),
        })?;
    println!("{}", report.to_markdown());
    if report.all_agree() {
        Ok(())
    } else {
        Err(Failure::Other(format!(
            "{} of {} tests reject distributional equivalence at alpha = {}",
            report.rejections(),
            report.tests.len(),
            args.alpha
        )))
    }
}

/// The repository root: the working folder when it holds the shipped
/// scenarios, else the pack embedded in the binary.
fn repo_root() -> PathBuf {
    if Path::new("scenarios/gaza").exists() {
        PathBuf::from(".")
    } else {
        PathBuf::from(scenario::pack::ROOT)
    }
}

fn cmd_validate(args: ValidateArgs) -> Result<(), Failure> {
    check_threads(args.threads)?;
    let replicates = args.replicates.unwrap_or(if args.quick { 6 } else { 12 });
    let ticks = args.ticks.unwrap_or(if args.quick { 180 } else { 365 });
    if !(2..=10_000).contains(&replicates) {
        return Err(Failure::BadInput(format!(
            "--replicates: {replicates} is out of range (expected 2..=10000: paired intervals need two)"
        )));
    }
    if !(1..=100_000).contains(&ticks) {
        return Err(Failure::BadInput(format!(
            "--ticks: {ticks} is out of range (expected 1..=100000)"
        )));
    }
    let mut suite = validation::Suite::embedded().map_err(Failure::Other)?;
    let root = repo_root();
    let mut files: Vec<PathBuf> = if args.only_contexts {
        Vec::new()
    } else {
        validation::DEFAULT_CONTEXTS
            .iter()
            .map(|c| root.join(c))
            .collect()
    };
    files.extend(args.contexts.iter().map(|c| scenario::pack::resolve(c)));
    if files.is_empty() {
        return Err(Failure::BadInput(
            "--only-contexts: no --context given (expected at least one mission scenario)".into(),
        ));
    }
    let mut contexts = Vec::new();
    let mut at_suite = Vec::new();
    for f in &files {
        let c = validation::Context::load(f).map_err(Failure::BadInput)?;
        if !c.mission {
            return Err(Failure::BadInput(format!(
                "{}: not a mission scenario (expected a [mission] table: the suite tests the mission model)",
                f.display()
            )));
        }
        if contexts
            .iter()
            .any(|o: &validation::Context| o.name == c.name)
        {
            return Err(Failure::BadInput(format!(
                "{}: two contexts are named {:?} (expected distinct scenario names)",
                f.display(),
                c.name
            )));
        }
        // The suite runs each context at these settings (and survival
        // runs longer): refuse before any world is allocated.
        let survival = if args.quick { ticks } else { ticks.max(730) };
        let at = [
            format!("run.ticks={survival}"),
            format!("run.replicates={replicates}"),
            "run.burn_in=0".to_string(),
        ];
        let sc = scenario::load(f, &at)?;
        check_memory_only(&sc, args.threads, false, false)?;
        at_suite.push(sc);
        contexts.push(c);
    }
    // The contexts run one after another, each many times over (a batch
    // per arm of each test): one batch each is a lower bound.
    let batches: Vec<(&Scenario, u64)> = at_suite
        .iter()
        .map(|sc| (sc, u64::from(sc.run.replicates)))
        .collect();
    check_time(&batches, "the validation suite")?;
    let (mut magnitudes, mut patterns) = (true, true);
    if let Some(only) = &args.only {
        let known = |id: &str| id == "magnitudes" || suite.fact(id).is_some();
        if let Some(bad) = only.iter().find(|id| !known(id)) {
            return Err(Failure::BadInput(format!(
                "--only: no fact {bad:?} (expected ids of stylized_facts.csv such as T01 or P04, or magnitudes)"
            )));
        }
        magnitudes = only.iter().any(|i| i == "magnitudes");
        patterns = only.iter().any(|i| i.starts_with('P'));
        suite.only(only);
    }
    output::check_replaceable(&args.out).map_err(Failure::BadInput)?;
    let options = validation::ValidationOptions {
        contexts: files,
        run: validation::RunSettings { replicates, ticks },
        survival_ticks: if args.quick { ticks } else { ticks.max(730) },
        threads: args.threads,
        magnitudes,
        patterns,
        root,
        command: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let bar = progress_bar(validation::planned_replicates(&suite, &options), args.quiet);
    bar.set_message("validate");
    let tick = || bar.inc(1);
    let v = validation::run_validation(suite, contexts, options, &tick);
    bar.finish_and_clear();
    validation::write_outputs(&v, &args.out)
        .map_err(|e| Failure::Other(format!("{}: {e}", args.out.display())))?;
    println!(
        "validate: {} (check x context){}; report: {}",
        v.counts(),
        v.unexpressible_note(),
        args.out.join("report.md").display()
    );
    println!("  ({})", stabsim::DISCLAIMER);
    Ok(())
}

/// Splits `key=rest` for `flag`'s messages.
fn split_factor<'a>(text: &'a str, flag: &str, form: &str) -> Result<(&'a str, &'a str), Failure> {
    text.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| {
            Failure::BadInput(format!(
                "{flag}: {text:?} is not a factor (expected {form})"
            ))
        })
}

/// The design the flags describe, over the base scenario `base`.
fn sweep_design(args: &SweepArgs, base: &Scenario) -> Result<sweep::Design, Failure> {
    use sweep::design;
    if let Some(file) = &args.design {
        if !args.ranges.is_empty() {
            return Err(Failure::BadInput(format!(
                "{}: ranges are not used with --design (expected the values in the file)",
                args.ranges[0]
            )));
        }
        let text = stabsim::scenario::input::read_text(file)
            .map_err(|e| Failure::BadInput(format!("{}: cannot read: {e}", file.display())))?;
        return design::Design::from_csv(&text, &file.display().to_string())
            .map_err(Failure::BadInput);
    }
    if !args.grid.is_empty() {
        if let Some(r) = args.ranges.first() {
            return Err(Failure::BadInput(format!(
                "{r}: a range is not used with --grid (expected levels, --grid key=a,b,c)"
            )));
        }
        let mut factors = Vec::new();
        for g in &args.grid {
            let (key, levels) = split_factor(g, "--grid", "key=a,b,c")?;
            let levels: Vec<String> = levels.split(',').map(|l| l.trim().to_string()).collect();
            if levels.iter().any(String::is_empty) {
                return Err(Failure::BadInput(format!(
                    "--grid: {g:?} has an empty level (expected key=a,b,c)"
                )));
            }
            factors.push((key.to_string(), levels));
        }
        return design::grid(&factors).map_err(Failure::BadInput);
    }
    let (flag, n) = match (args.lhs, args.sobol) {
        (Some(n), _) => ("--lhs", n),
        (_, Some(n)) => ("--sobol", n),
        _ => unreachable!("clap requires one design"),
    };
    if !(1..=design::MAX_POINTS).contains(&n) {
        return Err(Failure::BadInput(format!(
            "{flag}: {n} points is out of range (expected 1..={})",
            design::MAX_POINTS
        )));
    }
    let mut ranges = Vec::new();
    for r in &args.ranges {
        // `key=lo:hi`, or `key` alone for its plausible range.
        let (key, given) = match r.split_once('=') {
            Some((k, range)) => {
                let what = format!("{flag} {}", k.trim());
                let lohi = design::parse_range(range, &what).map_err(Failure::BadInput)?;
                (k.trim(), Some(lohi))
            }
            None => (r.trim(), None),
        };
        ranges.push(sweep::range_for(base, key, given, flag).map_err(Failure::BadInput)?);
    }
    if ranges.is_empty() {
        ranges = sweep::plausible_ranges(base);
    }
    if ranges.is_empty() {
        return Err(Failure::BadInput(format!(
            "{flag}: no ranges, and no parameter of this scenario has a plausible range \
             (expected key=lo:hi after the scenario, e.g. mission.mandate.force_scale=0.5:2)"
        )));
    }
    let unit = if flag == "--lhs" {
        design::latin_hypercube(n, ranges.len(), base.run.seed)
    } else {
        if ranges.len() > design::SOBOL_MAX_DIMS {
            return Err(Failure::BadInput(format!(
                "--sobol: {} parameters (expected at most {})",
                ranges.len(),
                design::SOBOL_MAX_DIMS
            )));
        }
        design::sobol_points(n, ranges.len(), 1)
    };
    Ok(design::from_unit(&ranges, &unit))
}

fn sweep_failure(e: sweep::SweepError) -> Failure {
    match e {
        sweep::SweepError::Point { .. }
        | sweep::SweepError::Base(_)
        | sweep::SweepError::Key(_) => Failure::BadInput(e.to_string()),
        other => Failure::Other(other.to_string()),
    }
}

fn cmd_sweep(mut args: SweepArgs) -> Result<(), Failure> {
    check_threads(args.runs.threads)?;
    args.scenario = scenario::pack::resolve(&args.scenario);
    let base_set = args.runs.overrides();
    let base = args.runs.load(&args.scenario)?;
    let design = sweep_design(&args, &base)?;
    let columns = stabsim::model::OutcomeRule::for_scenario(&base).columns();
    let transforms = sweep::measure::transformed(&args.outputs, columns, "--outputs")
        .map_err(Failure::BadInput)?;
    let spec = sweep::SweepSpec {
        file: args.scenario.clone(),
        base: base_set,
        design,
        threads: args.runs.threads,
        transforms,
    };
    spec.check().map_err(sweep_failure)?;
    let folder = format!("{}-sweep", base.name);
    let points = spec.design.points.len();
    let run = PointsRun {
        out: args.out.clone(),
        folder: &folder,
        resilience: &args.runs.resilience,
        shard: args.runs.shard.as_deref(),
        quiet: args.quiet,
        message: format!("sweep {points} points"),
    };
    let Some((out, store)) = run_points_or_shard(&run, &spec, &base, None)? else {
        return Ok(());
    };
    let bar = progress_bar(jobs(&spec, &base), args.quiet);
    bar.set_message(run.message.clone());
    let progress = |n: u64| bar.set_position(n);
    let store_dir = store.dir().map(Path::to_path_buf);
    sweep::run_sweep(&spec, &out, &recorded_command(), &store, &progress)
        .map_err(|e| points_failure(e, &out, store_dir.as_deref(), &bar))?;
    bar.finish_and_clear();
    remove_point_store(store);
    println!(
        "sweep: {} points x {} replicates; wrote {}",
        spec.design.points.len(),
        base.run.replicates,
        out.join("runs.csv").display()
    );
    Ok(())
}

/// Jobs (point x replicate) of a sweep.
fn jobs(spec: &sweep::SweepSpec, base: &Scenario) -> u64 {
    spec.design.points.len() as u64 * u64::from(base.run.replicates)
}

/// Where and how a sweep or sensitivity analysis runs.
struct PointsRun<'a> {
    /// `--out`.
    out: Option<PathBuf>,
    /// The default folder's name under outputs/.
    folder: &'a str,
    resilience: &'a Resilience,
    /// `--shard K/N`.
    shard: Option<&'a str>,
    quiet: bool,
    /// The progress bar's message.
    message: String,
}

/// With `--shard K/N`, runs the shard (`Ok(None)`: done); else the
/// output folder, checked, and the store of kept points beside it, opened
/// (fresh, or with `--resume` the interrupted run's).
fn run_points_or_shard(
    run: &PointsRun,
    spec: &sweep::SweepSpec,
    base: &Scenario,
    analysis: Option<sweep::shard::Analysis>,
) -> Result<Option<(PathBuf, sweep::store::PointStore)>, Failure> {
    let state = spec.state(base).map_err(sweep_failure)?;
    let Some(text) = run.shard else {
        let out = run
            .out
            .clone()
            .unwrap_or_else(|| Path::new("outputs").join(run.folder));
        output::check_replaceable(&out).map_err(Failure::BadInput)?;
        let store = open_point_store(&output::resume::store_dir(&out), &state, run.resilience)?;
        return Ok(Some((out, store)));
    };
    let shard = output::shard::parse_shard(text).map_err(Failure::BadInput)?;
    let out = run.out.clone().unwrap_or_else(|| {
        Path::new("outputs").join(format!("{}.shard-{}-of-{}", run.folder, shard.0, shard.1))
    });
    let store = open_point_store(&out, &state, run.resilience)?;
    let points = spec.design.points.len();
    let own = (0..points)
        .filter(|&p| sweep::run::in_shard(p, Some(shard)))
        .count();
    let bar = progress_bar(own as u64 * u64::from(base.run.replicates), run.quiet);
    bar.set_message(format!("{} (shard {}/{})", run.message, shard.0, shard.1));
    let progress = |n: u64| bar.set_position(n);
    let n = sweep::shard::run_shard(
        spec,
        base,
        &store,
        shard,
        &command_without_shard(),
        run.out.as_ref().map(|o| o.display().to_string()),
        analysis,
        &progress,
    )
    .map_err(|e| points_failure(e, &out, Some(&out), &bar))?;
    bar.finish_and_clear();
    println!(
        "wrote shard {}/{} ({n} of {points} design points) to {}",
        shard.0,
        shard.1,
        out.display()
    );
    Ok(None)
}

/// A sweep's store of kept design points (see [`sweep::store::open`]).
fn open_point_store(
    dir: &Path,
    state: &sweep::store::SweepState,
    flags: &Resilience,
) -> Result<sweep::store::PointStore, Failure> {
    sweep::store::open(dir, state, flags.resume, &mut |note| eprintln!("{note}")).map_err(|e| {
        match e {
            Ok(mismatch) => Failure::BadInput(mismatch),
            Err(io) => Failure::Other(io),
        }
    })
}

/// Removes a finished sweep's kept points (its outputs are in place).
fn remove_point_store(store: sweep::store::PointStore) {
    let dir = store.dir().map(Path::to_path_buf);
    if let (Err(e), Some(dir)) = (store.remove(), dir) {
        eprintln!("warning: {}: {e}", dir.display());
    }
}

/// A sweep's failure, saying for an interrupt, a point that could not be
/// kept or read back, or outputs that could not be written, what was kept
/// and how to resume.
fn points_failure(
    e: sweep::SweepError,
    out: &Path,
    store: Option<&Path>,
    bar: &Progress,
) -> Failure {
    bar.finish_and_clear();
    let count = store.map_or(0, sweep::store::kept_count);
    let kept = |store: &Path| kept_message(count, "design points", store, out);
    match (e, store) {
        (sweep::SweepError::Interrupted, Some(store)) => {
            Failure::Interrupted(format!("stabsim: interrupted. {}", kept(store)))
        }
        // Damaged or foreign kept data: the user's to delete.
        (sweep::SweepError::Keep(e), store) if bad_kept(&e) => {
            Failure::BadInput(with_kept(e.to_string(), count, "design points", store, out))
        }
        (sweep::SweepError::Keep(e), Some(store)) => Failure::Other(format!(
            "{e} (expected a writable folder with free space). {}",
            kept(store)
        )),
        // The outputs could not be written: the kept points are not lost.
        (e, store) => match sweep_failure(e) {
            Failure::Other(m) => Failure::Other(with_kept(m, count, "design points", store, out)),
            other => other,
        },
    }
}

/// The measures a sensitivity analysis reports by default, where the
/// model has them: civilian deaths, time-averaged trust, ceasefire collapse.
const DEFAULT_OUTPUTS: [&str; 3] = ["civilian_deaths", "mean_trust", "collapse_risk"];

/// The ranges `--params` names (or every plausible range).
fn sensitivity_ranges(
    args: &SensitivityArgs,
    base: &Scenario,
) -> Result<Vec<sweep::Range>, Failure> {
    let mut ranges = Vec::new();
    if args.params.is_empty() {
        ranges = sweep::plausible_ranges(base);
        if ranges.is_empty() {
            return Err(Failure::BadInput(
                "--params: this scenario's parameters have no plausible ranges (expected --params key=lo:hi ...)".into(),
            ));
        }
        return Ok(ranges);
    }
    for p in &args.params {
        let (key, given) = match p.split_once('=') {
            Some((k, r)) => {
                let what = format!("--params {}", k.trim());
                (
                    k.trim(),
                    Some(sweep::design::parse_range(r, &what).map_err(Failure::BadInput)?),
                )
            }
            None => (p.trim(), None),
        };
        if ranges.iter().any(|r: &sweep::Range| r.key == key) {
            return Err(Failure::BadInput(format!(
                "--params: `{key}` given twice (expected each parameter once)"
            )));
        }
        ranges.push(sweep::range_for(base, key, given, "--params").map_err(Failure::BadInput)?);
    }
    Ok(ranges)
}

fn cmd_sensitivity(mut args: SensitivityArgs) -> Result<(), Failure> {
    use sweep::sensitivity::{Method, run_sensitivity};
    check_threads(args.runs.threads)?;
    args.scenario = scenario::pack::resolve(&args.scenario);
    let base = args.runs.load(&args.scenario)?;
    let ranges = sensitivity_ranges(&args, &base)?;
    let method = match args.method {
        MethodArg::Morris => {
            if args.levels < 2 || args.levels % 2 != 0 || args.levels > 1000 {
                return Err(Failure::BadInput(format!(
                    "--levels: {} is out of range (expected an even number in 2..=1000)",
                    args.levels
                )));
            }
            if !(2..=100_000).contains(&args.trajectories) {
                return Err(Failure::BadInput(format!(
                    "--trajectories: {} is out of range (expected 2..=100000)",
                    args.trajectories
                )));
            }
            // Comparing every pair of a pool costs pool^2 (k + 1)^2 k / 2
            // operations: about 20 s at 4e10.
            let k = ranges.len() as f64;
            let most = ((8e10 / ((k + 1.0).powi(2) * k)).sqrt() as usize).max(args.trajectories);
            let pool = match args.pool {
                None => (4 * args.trajectories).min(most),
                Some(p) if p > most => {
                    return Err(Failure::BadInput(format!(
                        "--pool: {p} trajectories of {} parameters take too long to compare \
                         (expected at most {most})",
                        ranges.len()
                    )));
                }
                Some(p) => p,
            };
            Method::Morris {
                trajectories: args.trajectories,
                levels: args.levels,
                pool,
            }
        }
        MethodArg::Sobol => {
            if !args.samples.is_power_of_two() || !(2..=1 << 20).contains(&args.samples) {
                return Err(Failure::BadInput(format!(
                    "--samples: {} is not a power of two in 2..=1048576 (expected e.g. 64, 256 or 1024)",
                    args.samples
                )));
            }
            if 2 * ranges.len() > sweep::design::SOBOL_MAX_DIMS {
                return Err(Failure::BadInput(format!(
                    "--params: {} parameters (expected at most {} for Sobol indices)",
                    ranges.len(),
                    sweep::design::SOBOL_MAX_DIMS / 2
                )));
            }
            Method::Sobol { n: args.samples }
        }
    };
    let columns = stabsim::model::OutcomeRule::for_scenario(&base).columns();
    let measures: Vec<String> = match &args.outputs {
        Some(list) => {
            for m in list {
                sweep::measure::Measure::parse(m, columns, "--outputs")
                    .map_err(Failure::BadInput)?;
            }
            list.clone()
        }
        None => {
            let d: Vec<String> = DEFAULT_OUTPUTS
                .iter()
                .filter(|m| columns.contains(m))
                .map(|m| m.to_string())
                .collect();
            if d.is_empty() {
                columns.iter().map(|m| m.to_string()).collect()
            } else {
                d
            }
        }
    };
    let (design, morris) = method.design(&ranges, base.run.seed);
    let spec = sweep::SweepSpec {
        file: args.scenario.clone(),
        base: args.runs.overrides(),
        design,
        threads: args.runs.threads,
        transforms: Vec::new(),
    };
    let name = match args.method {
        MethodArg::Morris => "morris",
        MethodArg::Sobol => "sobol",
    };
    let folder = format!("{}-{name}", base.name);
    let points = spec.design.points.len();
    let run = PointsRun {
        out: args.out.clone(),
        folder: &folder,
        resilience: &args.runs.resilience,
        shard: args.runs.shard.as_deref(),
        quiet: args.quiet,
        message: format!("{name}: {} parameters, {points} points", ranges.len()),
    };
    let analysis = sweep::shard::Analysis {
        method,
        ranges: ranges.clone(),
        measures: measures.clone(),
    };
    // Every point is checked before anything runs or is kept.
    spec.check().map_err(sweep_failure)?;
    let Some((out, store)) = run_points_or_shard(&run, &spec, &base, Some(analysis))? else {
        return Ok(());
    };
    let bar = progress_bar(jobs(&spec, &base), args.quiet);
    bar.set_message(run.message.clone());
    let progress = |n: u64| bar.set_position(n);
    let store_dir = store.dir().map(Path::to_path_buf);
    let (results, skipped, replicates) = run_sensitivity(
        &spec,
        &method,
        morris.as_ref(),
        &ranges,
        &measures,
        &out,
        &recorded_command(),
        &store,
        &progress,
    )
    .map_err(|e| points_failure(e, &out, store_dir.as_deref(), &bar))?;
    remove_point_store(store);
    bar.finish_and_clear();
    for m in &skipped {
        eprintln!("warning: {m}");
    }
    if !args.quiet {
        for r in &results {
            print_indices(r, &ranges, replicates);
        }
        println!("  ({})", stabsim::DISCLAIMER);
    }
    println!(
        "{name}: {} parameters x {points} points x {replicates} replicates; wrote {}",
        ranges.len(),
        out.join("indices.csv").display()
    );
    Ok(())
}

/// One measure's indices, most influential first.
fn print_indices(r: &sweep::sensitivity::MeasureResult, ranges: &[sweep::Range], replicates: u32) {
    let noise = r.noise.map_or("n/a (one replicate)".to_string(), |n| {
        format!(
            "{:.0} % of the variance of point means ({replicates} replicates)",
            100.0 * n.of_means
        )
    });
    println!("{}: replicate noise {noise}", r.label);
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    // As wide as the longest key (array elements make long ones).
    let w = ranges
        .iter()
        .map(|r| r.key.chars().count())
        .chain([9])
        .max()
        .unwrap_or(9);
    if !r.morris.is_empty() {
        order.sort_by(|&a, &b| r.morris[b].mu_star.total_cmp(&r.morris[a].mu_star));
        println!(
            "  {:<w$} {:>12} {:>25} {:>12}",
            "parameter", "mu*", "95% CI", "sigma"
        );
        for i in order {
            let m = r.morris[i];
            println!(
                "  {:<w$} {:>12.4} {:>25} {:>12.4}",
                ranges[i].key,
                m.mu_star,
                format!("[{:.4}, {:.4}]", m.mu_star_ci.0, m.mu_star_ci.1),
                m.sigma
            );
        }
    } else {
        order.sort_by(|&a, &b| r.sobol[b].st.total_cmp(&r.sobol[a].st));
        println!(
            "  {:<w$} {:>7} {:>18} {:>7} {:>18}",
            "parameter", "S1", "95% CI", "ST", "95% CI"
        );
        for i in order {
            let s = r.sobol[i];
            println!(
                "  {:<w$} {:>7.3} {:>18} {:>7.3} {:>18}",
                ranges[i].key,
                s.s1,
                format!("[{:.3}, {:.3}]", s.s1_ci.0, s.s1_ci.1),
                s.st,
                format!("[{:.3}, {:.3}]", s.st_ci.0, s.st_ci.1)
            );
        }
    }
}

fn cmd_scenarios(args: ScenariosArgs) -> Result<(), Failure> {
    use cli::scenarios::{ExportError, export, listing, render};
    match args.action {
        None => {
            print!("{}", render(&listing(), 110));
            Ok(())
        }
        Some(ScenariosAction::Export { dir, force }) => {
            let written = export(&dir, force).map_err(|e| match e {
                ExportError::BadInput(m) => Failure::BadInput(m),
                ExportError::Io(m) => Failure::Other(m),
            })?;
            println!(
                "wrote {} files under {} (run e.g. stabsim run {})",
                written.len(),
                dir.display(),
                dir.join("gaza").join("baseline.toml").display()
            );
            Ok(())
        }
    }
}

fn cmd_params(args: ParamsArgs) -> Result<(), Failure> {
    use cli::params::{catalogue, render, rows};
    // One argument is the scenario when it names one, else the filter.
    let (scenario, filter) = match (args.scenario, args.filter) {
        (Some(s), f @ Some(_)) => (Some(s), f),
        (Some(s), None) => {
            let resolved = scenario::pack::resolve(&s);
            let is_scenario = resolved.is_file()
                || scenario::pack::read(&resolved).is_some()
                || s.extension().is_some_and(|x| x == "toml");
            if is_scenario {
                (Some(s), None)
            } else {
                (None, Some(s.display().to_string()))
            }
        }
        (None, f) => (None, f),
    };
    let sc = match &scenario {
        Some(path) => load(path, &Overrides::default(), &[])?,
        None => catalogue(),
    };
    let listed = rows(&sc, filter.as_deref());
    if listed.is_empty() {
        return Err(Failure::BadInput(format!(
            "{}: no parameter key contains this (expected part of a key, e.g. mission.mandate or vision)",
            filter.unwrap_or_default()
        )));
    }
    print!("{}", render(&listed, scenario.is_some()));
    Ok(())
}

/// Writes a generated document to stdout.
fn print_out(bytes: &[u8]) -> Result<(), Failure> {
    cli::docs::print_bytes(bytes).map_err(|e| Failure::Other(format!("stdout: {e}")))
}

fn cmd_man(dir: Option<PathBuf>) -> Result<(), Failure> {
    let command = <Cli as clap::CommandFactory>::command();
    match dir {
        None => {
            let page = cli::docs::man_page(command)
                .map_err(|e| Failure::Other(format!("man page: {e}")))?;
            print_out(&page)
        }
        Some(dir) => {
            let n = cli::docs::write_man_pages(command, &dir)
                .map_err(|e| Failure::Other(format!("{}: {e}", dir.display())))?;
            println!("wrote {n} man pages into {}", dir.display());
            Ok(())
        }
    }
}

fn cmd_serve(args: ServeArgs) -> Result<(), Failure> {
    use stabsim::serve::{ServeOptions, Server, catalog};
    let catalog = catalog::Catalog::shipped(&catalog::scenario_root());
    let opts = ServeOptions {
        host: args.host,
        port: args.port,
        scenario: args.scenario,
    };
    let server = Server::bind(&opts, catalog).map_err(Failure::BadInput)?;
    println!("stabsim serve: open {} (Ctrl-C to stop)", server.url);
    if args.open {
        let opened = std::process::Command::new("xdg-open")
            .arg(&server.url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok();
        if !opened {
            println!("(no xdg-open here: open the address above in a browser)");
        }
    }
    server.run();
    Ok(())
}
