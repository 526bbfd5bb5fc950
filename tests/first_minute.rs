//! The first minute of a new user: bare `stabsim` says what it will run,
//! how long that takes and how to stop it; progress shows without a
//! terminal; every subcommand's help has examples; `stabsim params` lists
//! the parameters.

mod common;

use common::stabsim;

use std::process::{Command, Output};

fn stabsim_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("stabsim runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The minutes in "about N minutes on 2 cores" (seconds count as 1).
fn minutes_on_two_cores(plan: &str) -> f64 {
    let at = plan.find(" on 2 cores").expect("an estimate on 2 cores");
    let words: Vec<&str> = plan[..at].split_whitespace().rev().take(2).collect();
    let n: f64 = words[1].parse().expect("a number");
    if words[0].starts_with("second") {
        n / 60.0
    } else {
        n
    }
}

#[test]
fn bare_stabsim_says_what_it_runs_how_long_where_and_how_to_stop() {
    let tmp = tempfile::tempdir().unwrap();
    let o = stabsim_in(tmp.path(), &["--plan"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.is_empty(), "the plan goes to stderr: {out}");
    // From the pack, not from the build machine's source tree.
    assert!(err.contains("<pack>/gaza"), "{err}");
    assert!(!err.contains(env!("CARGO_MANIFEST_DIR")), "{err}");
    assert!(
        err.contains("replicates x") && err.contains("days"),
        "{err}"
    );
    assert!(err.contains("outputs/gaza"), "{err}");
    assert!(err.contains("Ctrl-C"), "{err}");
    assert!(err.contains("--full"), "{err}");
    let minutes = minutes_on_two_cores(&err);
    assert!(
        minutes <= 3.0,
        "the quick default takes {minutes} minutes: {err}"
    );
    // Nothing was run or written.
    assert!(!tmp.path().join("outputs").exists());

    let o = stabsim_in(tmp.path(), &["--plan", "--full"]);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("20 replicates x 730 days"), "{err}");
}

#[test]
fn progress_is_a_plain_line_per_scenario_and_tenth_without_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eps");
    let o = stabsim(&[
        "run",
        "scenarios/epstein/mesa_default.toml",
        "scenarios/epstein/mesa_app_default.toml",
        "-n",
        "10",
        "--ticks",
        "105",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    // stderr is a pipe here: one line per scenario started, one per 10 %.
    assert!(err.contains("mesa_default ("), "{err}");
    assert!(err.contains("mesa_app_default ("), "{err}");
    for tenth in [10, 50, 100] {
        assert!(err.contains(&format!("{tenth} % done")), "{err}");
    }
    assert!(err.lines().count() <= 14, "{err}");
    // --quiet: nothing.
    let o = stabsim(&[
        "run",
        "scenarios/epstein/mesa_default.toml",
        "-n",
        "2",
        "--ticks",
        "105",
        "--quiet",
        "--out",
        tmp.path().join("quiet").to_str().unwrap(),
    ]);
    assert!(o.status.success() && o.stderr.is_empty(), "{}", text(&o).1);
}

#[test]
fn every_subcommand_help_has_examples() {
    let o = stabsim(&["--help"]);
    let (out, _) = text(&o);
    assert!(out.contains("Examples:"), "{out}");
    let subcommands: Vec<String> = out
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(subcommands.len() >= 12, "{subcommands:?}");
    for sub in &subcommands {
        let o = stabsim(&[sub, "--help"]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{sub}: {err}");
        assert!(
            out.contains("Examples:\n  stabsim"),
            "{sub} --help has no examples:\n{out}"
        );
    }
}

#[test]
fn params_lists_value_default_range_unit_and_meaning_aligned() {
    let o = stabsim(&["params", "gaza/baseline", "mission.mandate"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let header = out.lines().next().unwrap();
    for column in [
        "key",
        "value",
        "default",
        "accepts",
        "plausible",
        "unit",
        "meaning",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert!(
        out.lines()
            .skip(1)
            .all(|l| l.starts_with("mission.mandate.")),
        "{out}"
    );
    // Aligned: the value column starts at the same place on every line.
    let value_at = header.find("value").unwrap();
    for line in out.lines().skip(1) {
        assert_eq!(&line[value_at - 2..value_at - 1], " ", "{line}");
        assert_ne!(&line[value_at..=value_at], " ", "{line}");
    }
    // Without a scenario: every parameter that can exist, at its default.
    let o = stabsim(&["params", "vision"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("citizens.vision"), "{out}");
    // A filter that matches nothing is bad input.
    let o = stabsim(&["params", "gaza/baseline", "no_such_key"]);
    assert_eq!(o.status.code(), Some(2));
}
