//! The "Examples:" block of every subcommand's `--help` (clap's
//! `after_help`). Shipped names (`gaza/baseline`) work from any folder;
//! `stabsim scenarios` lists them.

/// `stabsim --help`.
pub const TOP: &str = "\
Examples:
  stabsim                                  the quick default comparison (about 3 minutes on 2 cores)
  stabsim --plan                           say what bare stabsim would run, and exit
  stabsim --full                           the default comparison at 20 replicates x 730 days
  stabsim scenarios                        the shipped scenarios and comparison files
  stabsim run gaza/baseline                one scenario's Monte Carlo batch
  stabsim compare comparisons/gaza_posture_and_size
  stabsim params gaza/baseline mandate     the mandate levers of the Gaza baseline";

/// `stabsim run --help`.
pub const RUN: &str = "\
Examples:
  stabsim run gaza/baseline                       a shipped scenario, its own replicates and days
  stabsim run gaza/baseline -n 4 --ticks 180      a quick look: 4 replicates, 180 days
  stabsim run my_scenario.toml --set citizens.vision=5
  stabsim run epstein --out outputs/epstein       every scenario of a shipped folder";

/// `stabsim compare --help`.
pub const COMPARE: &str = "\
Examples:
  stabsim compare gaza                                  the baseline against every lever
  stabsim compare comparisons/gaza_posture_and_size     a named comparison file
  stabsim compare gaza/baseline gaza/force_large -n 10 --ticks 365
  stabsim compare gaza --set mission.mandate.force_scale=1.5";

/// `stabsim plot --help`.
pub const PLOT: &str = "\
Examples:
  stabsim plot outputs/gaza                 redraw a comparison's charts and report
  stabsim plot outputs/gaza_baseline        redraw one run's charts";

/// `stabsim check --help`.
pub const CHECK: &str = "\
Examples:
  stabsim check my_scenario.toml
  stabsim check gaza/baseline --set citizens.vision=5";

/// `stabsim timing --help`.
pub const TIMING: &str = "\
Examples:
  stabsim timing epstein/mesa_default --ticks 200
  stabsim timing gaza/baseline --ticks 50 --seed 3";

/// `stabsim dock --help`.
pub const DOCK: &str = "\
Examples:
  stabsim dock epstein/mesa_default --reference mesa_runs.csv
  stabsim dock epstein/mesa_default --reference mesa_runs.csv -n 200 --ticks 100 --alpha 0.05";

/// `stabsim validate --help`.
pub const VALIDATE: &str = "\
Examples:
  stabsim validate --quick                  6 replicates, 180 days
  stabsim validate --only T01,T05,P04
  stabsim validate --context my_mission.toml";

/// `stabsim sweep --help`.
pub const SWEEP: &str = "\
Examples:
  stabsim sweep gaza/baseline --grid mission.mandate.force_scale=0.5,1,2 -n 4
  stabsim sweep gaza/baseline --lhs 32 mission.mandate.force_scale=0.5:2 -n 2 --ticks 365
  stabsim sweep gaza/baseline --design points.csv
  stabsim sweep gaza/baseline --lhs 32 -n 4 --outputs log1p:civilian_deaths,censored:collapse_tick
  stabsim sweep gaza/baseline --lhs 500 -n 2 --resume     go on after Ctrl-C or a kill
  stabsim sweep gaza/baseline --lhs 500 -n 2 --shard 0/8  one of 8 shards (stabsim merge)";

/// `stabsim sensitivity --help`.
pub const SENSITIVITY: &str = "\
Examples:
  stabsim sensitivity gaza/baseline --method morris -n 2 --ticks 180
  stabsim sensitivity gaza/baseline --method sobol -N 64 --params mission.mandate.force_scale
  stabsim sensitivity gaza/baseline --method morris --resume   go on after Ctrl-C or a kill";

/// `stabsim merge --help`.
pub const MERGE: &str = "\
Examples:
  stabsim run gaza/baseline -n 20 --shard 0/2 --out shards/0
  stabsim run gaza/baseline -n 20 --shard 1/2 --out shards/1
  stabsim merge shards/0 shards/1 --out outputs/gaza-baseline
  stabsim compare gaza -n 20 --shard 0/2 --out cmp/0      (a comparison: the same merge)
  stabsim sensitivity gaza/baseline --method morris --shard 1/4 --out morris/1
  stabsim merge morris/0 morris/1 morris/2 morris/3 --out outputs/gaza-morris";

/// `stabsim scenarios --help`.
pub const SCENARIOS: &str = "\
Examples:
  stabsim scenarios                         list the shipped scenarios, one line each
  stabsim scenarios export my_scenarios     write them out to edit
  stabsim run my_scenarios/gaza/baseline.toml";

/// `stabsim scenarios export --help`.
pub const EXPORT: &str = "\
Examples:
  stabsim scenarios export my_scenarios
  stabsim scenarios export my_scenarios --force     overwrite files already there";

/// `stabsim params --help`.
pub const PARAMS: &str = "\
Examples:
  stabsim params                            every parameter that can exist, at its default
  stabsim params gaza/baseline              with the Gaza baseline's values
  stabsim params gaza/baseline mandate      only keys containing `mandate`
  stabsim params vision                     a filter alone";

/// `stabsim completions --help`.
pub const COMPLETIONS: &str = "\
Examples:
  stabsim completions bash > ~/.local/share/bash-completion/completions/stabsim
  stabsim completions zsh > ~/.zfunc/_stabsim
  stabsim completions fish > ~/.config/fish/completions/stabsim.fish
  stabsim completions powershell >> $PROFILE";

/// `stabsim man --help`.
pub const MAN: &str = "\
Examples:
  stabsim man | man -l -                    read it now
  stabsim man --dir ~/.local/share/man/man1 one page per subcommand, for `man stabsim-run`";

/// `stabsim schema --help`.
pub const SCHEMA: &str = "\
Examples:
  stabsim schema > stabsim.schema.json
  then put `#:schema ./stabsim.schema.json` on the first line of a scenario file:
  taplo and VS Code's Even Better TOML check and complete it as you type";

/// `stabsim serve --help`.
pub const SERVE: &str = "\
Examples:
  stabsim serve                      # http://127.0.0.1:8017/
  stabsim serve gaza/baseline --open
  stabsim serve --port 0             # any free port (printed)";
