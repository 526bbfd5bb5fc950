//! `stabsim sweep` as a user meets it: the tidy outputs, common random
//! numbers across points, bytes independent of the thread count, and bad
//! keys or ranges refused with one located message (exit 2).

mod common;

use common::{rows, stabsim, stderr};

use std::fs;
use std::path::Path;
use std::process::Output;

const GAZA: &str = "scenarios/gaza/baseline.toml";

/// A 2 x 2 grid on the Gaza baseline, 3 replicates of 30 days, with
/// `extra` flags.
fn grid(out: &Path, threads: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "sweep",
        GAZA,
        "--grid",
        "mission.mandate.force_scale=0.5,1.5",
        "citizens.vision=3,5",
        "-n",
        "3",
        "--ticks",
        "30",
        "--threads",
        threads,
        "-q",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    stabsim(&args)
}

#[test]
fn a_grid_writes_tidy_outputs_independent_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let o = grid(&one, "1", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = grid(&two, "2", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["runs.csv", "points.csv", "design.csv"] {
        assert_eq!(
            fs::read(one.join(f)).unwrap(),
            fs::read(two.join(f)).unwrap(),
            "{f} depends on --threads"
        );
    }
    assert!(one.join("manifest.json").is_file());

    let runs = rows(&one.join("runs.csv"));
    let header = &runs[0];
    assert_eq!(
        header[..5],
        [
            "point",
            "mission.mandate.force_scale",
            "citizens.vision",
            "replicate",
            "seed"
        ]
    );
    for m in ["civilian_deaths", "mean_trust", "ceasefire_collapsed"] {
        assert!(header.iter().any(|h| h == m), "no {m} column");
    }
    // A row per point x replicate, points in grid order (last key fastest).
    assert_eq!(runs.len() - 1, 4 * 3);
    assert_eq!(runs[1][..5], ["0", "0.5", "3", "0", "2026"]);
    assert_eq!(runs[4][..5], ["1", "0.5", "5", "0", "2026"]);
    assert_eq!(runs[12][..5], ["3", "1.5", "5", "2", "2026"]);

    // The points differ (the parameters act) ...
    let deaths = header.iter().position(|h| h == "civilian_deaths").unwrap();
    let at = |p: usize, r: usize| runs[1 + 3 * p + r][deaths].clone();
    assert!((0..3).any(|r| at(0, r) != at(3, r)));
    // ... and the summary has a row per point x measure.
    let points = rows(&one.join("points.csv"));
    let measures = header.len() - 5;
    assert_eq!(points.len() - 1, 4 * measures);
    assert_eq!(
        points[0][3..],
        ["measure", "n", "mean", "sd", "se"].map(String::from)
    );
}

#[test]
fn common_random_numbers_a_point_at_the_baseline_repeats_the_baseline() {
    // A point whose value is the scenario's own reproduces `stabsim run`.
    let tmp = tempfile::tempdir().unwrap();
    let sweep = tmp.path().join("s");
    let o = stabsim(&[
        "sweep",
        GAZA,
        "--grid",
        "mission.mandate.force_scale=1.0",
        "-n",
        "2",
        "--ticks",
        "20",
        "-q",
        "--out",
        sweep.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let run = tmp.path().join("r");
    let o = stabsim(&[
        "run",
        GAZA,
        "-n",
        "2",
        "--ticks",
        "20",
        "-q",
        "--out",
        run.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = rows(&sweep.join("runs.csv"));
    let r = rows(&run.join("runs.csv"));
    assert_eq!(s.len(), r.len());
    for (a, b) in s.iter().zip(&r) {
        // Sweep: point, key, replicate, seed, measures; run: scenario,
        // replicate, measures.
        assert_eq!(a[4..], b[2..]);
    }
}

#[test]
fn lhs_and_design_file_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let o = stabsim(&[
        "sweep",
        GAZA,
        "--lhs",
        "3",
        "mission.mandate.force_scale=0.5:2",
        "citizens.vision=2:6",
        "-n",
        "1",
        "--ticks",
        "10",
        "-q",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let design = rows(&a.join("design.csv"));
    assert_eq!(design.len(), 4);
    // Integers stay integers, reals are in range.
    for row in &design[1..] {
        let v: u32 = row[2].parse().unwrap();
        assert!((2..=6).contains(&v));
        let f: f64 = row[1].parse().unwrap();
        assert!((0.5..=2.0).contains(&f));
    }
    let b = tmp.path().join("b");
    let file = a.join("design.csv");
    let o = stabsim(&[
        "sweep",
        GAZA,
        "--design",
        file.to_str().unwrap(),
        "-n",
        "1",
        "--ticks",
        "10",
        "-q",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read(a.join("runs.csv")).unwrap(),
        fs::read(b.join("runs.csv")).unwrap()
    );
}

#[test]
fn bad_keys_and_ranges_are_located_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--grid", "mission.mandate.force_scal=1,2"],
            "force_scal: unknown key; did you mean `force_scale`?",
        ),
        (
            &["--grid", "mission.mandate.force_scale=1,-3"],
            "design point 1 (mission.mandate.force_scale=-3)",
        ),
        (
            &["--lhs", "4", "mission.mandate.force_scale=2:1"],
            "--lhs mission.mandate.force_scale: \"2:1\" is not a range",
        ),
        (
            &["--sobol", "4", "mission.mandate.force_scal=1:2"],
            "did you mean `mission.mandate.force_scale`?",
        ),
        (
            &["--grid", "run.ticks=5,6"],
            "run.ticks: a design cannot vary the run settings",
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["sweep", GAZA];
        args.extend_from_slice(flags);
        args.extend(["-n", "1", "--ticks", "5", "-q", "--out", out]);
        let o = stabsim(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{flags:?}: {err}");
        assert!(err.contains(expected), "{flags:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{flags:?}: one line: {err}");
        assert!(!Path::new(out).exists(), "{flags:?} wrote outputs");
    }
}

fn sensitivity(method: &str, size: &[&str], out: &Path, threads: &str) -> Output {
    let mut args = vec![
        "sensitivity",
        GAZA,
        "--method",
        method,
        "--params",
        "mission.mandate.force_scale=0.5:2",
        "mission.mandate.community_policing=0:1",
        "citizens.vision=2:6",
    ];
    args.extend_from_slice(size);
    args.extend([
        "-n",
        "2",
        "--ticks",
        "20",
        "--threads",
        threads,
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    stabsim(&args)
}

#[test]
fn morris_and_sobol_write_indices_independent_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    for (method, size, points) in [
        ("morris", ["--trajectories", "3"], 3 * 4),
        ("sobol", ["--samples", "4"], 4 * 5),
    ] {
        let (one, two) = (tmp.path().join("1"), tmp.path().join("2"));
        let o = sensitivity(method, &size, &one, "1");
        assert!(o.status.success(), "{method}: {}", stderr(&o));
        let o = sensitivity(method, &size, &two, "2");
        assert!(o.status.success(), "{method}: {}", stderr(&o));
        for f in ["indices.csv", "noise.csv", "runs.csv"] {
            assert_eq!(
                fs::read(one.join(f)).unwrap(),
                fs::read(two.join(f)).unwrap(),
                "{method}: {f} depends on --threads"
            );
        }
        assert_eq!(rows(&one.join("design.csv")).len() - 1, points, "{method}");
        let idx = rows(&one.join("indices.csv"));
        // Three default measures x three parameters.
        assert_eq!(idx.len() - 1, 9, "{method}");
        let col = if method == "morris" { "mu_star" } else { "st" };
        assert!(idx[0].iter().any(|h| h == col), "{method}: {:?}", idx[0]);
        let noise = rows(&one.join("noise.csv"));
        assert_eq!(noise.len() - 1, 3);
        assert!(noise[1][3].parse::<f64>().is_ok(), "{noise:?}");
    }
}

/// `--outputs log1p:COL,censored:COL`: the transform is named in
/// indices.csv, noise.csv, the chart's file name and its title.
#[test]
fn transformed_measures_are_named_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t");
    let size = [
        "--samples",
        "4",
        "--outputs",
        "log1p:civilian_deaths,censored:collapse_tick",
    ];
    let o = sensitivity("sobol", &size, &out, "1");
    assert!(o.status.success(), "{}", stderr(&o));
    let idx = rows(&out.join("indices.csv"));
    let named: Vec<&str> = idx[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        named,
        [["log1p:civilian_deaths"; 3], ["censored:collapse_tick"; 3]].concat()
    );
    let noise = rows(&out.join("noise.csv"));
    assert_eq!(noise[1][0], "log1p:civilian_deaths");
    let svg = fs::read_to_string(out.join("sobol_log1p_civilian_deaths.svg")).unwrap();
    assert!(svg.contains("log(1 + civilian_deaths)"), "title");
    let svg = fs::read_to_string(out.join("sobol_censored_collapse_tick.svg")).unwrap();
    assert!(svg.contains("censored at day 20"), "title");
    assert!(out.join("sobol_log1p_civilian_deaths.png").exists());
}

#[test]
fn sensitivity_refuses_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "--method",
                "sobol",
                "--params",
                "citizens.vision=2:6",
                "--outputs",
                "log:civilian_deaths",
            ],
            "--outputs: unknown transform \"log\"",
        ),
        (
            &[
                "--method",
                "sobol",
                "--params",
                "citizens.vision=2:6",
                "--outputs",
                "censored:civilian_deaths",
            ],
            "expected a *_tick column",
        ),
        (
            &[
                "--method",
                "sobol",
                "--samples",
                "6",
                "--params",
                "citizens.vision=2:6",
            ],
            "--samples: 6 is not a power of two",
        ),
        (
            &["--method", "morris", "--params", "citizens.vision"],
            "`citizens.vision` has no plausible range in its table",
        ),
        (
            &[
                "--method",
                "morris",
                "--params",
                "citizens.vision=2:6",
                "--outputs",
                "deaths",
            ],
            "--outputs: no measure \"deaths\"",
        ),
        (
            &[
                "--method",
                "morris",
                "--levels",
                "3",
                "--params",
                "citizens.vision=2:6",
            ],
            "--levels: 3 is out of range",
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["sensitivity", GAZA];
        args.extend_from_slice(flags);
        args.extend(["-n", "1", "--ticks", "5", "-q", "--out", out]);
        let o = stabsim(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{flags:?}: {err}");
        assert!(err.contains(expected), "{flags:?}: {err}");
        assert!(!Path::new(out).exists(), "{flags:?} wrote outputs");
    }
}

#[test]
fn sweep_transforms_are_per_run_named_and_independent_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |out: &Path, threads: &str| {
        let outputs = "log1p:civilian_deaths,civilian_deaths,censored:collapse_tick";
        let o = grid(out, threads, &["--outputs", outputs]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    run(&one, "1");
    run(&two, "2");
    for f in ["runs.csv", "points.csv"] {
        assert_eq!(
            fs::read(one.join(f)).unwrap(),
            fs::read(two.join(f)).unwrap(),
            "{f} depends on --threads"
        );
    }
    // runs.csv: the raw measures, then the transformed ones (a plain
    // column in --outputs is not repeated).
    let runs = rows(&one.join("runs.csv"));
    let col = |name: &str| runs[0].iter().position(|h| h == name).unwrap();
    let (deaths, log) = (col("civilian_deaths"), col("log1p:civilian_deaths"));
    assert_eq!(runs[0].len() - 2, col("log1p:civilian_deaths"));
    assert_eq!(runs[0].last().unwrap(), "censored:collapse_tick");
    assert_eq!(
        runs[0].iter().filter(|h| *h == "civilian_deaths").count(),
        1
    );
    let num = |s: &str| s.parse::<f64>().unwrap();
    for r in &runs[1..] {
        assert_eq!(num(&r[log]), num(&r[deaths]).ln_1p(), "{r:?}");
    }
    // points.csv: the transformed measure's mean is the mean of each
    // run's transform, not the transform of the mean.
    let points = rows(&one.join("points.csv"));
    let at = |name: &str| points[0].iter().position(|h| h == name).unwrap();
    let (measure, mean) = (at("measure"), at("mean"));
    let mean_of = |p: &str, m: &str| {
        num(&points[1..]
            .iter()
            .find(|r| r[0] == p && r[measure] == m)
            .unwrap()[mean])
    };
    let mut jensen = 0;
    for p in ["0", "1", "2", "3"] {
        let reps: Vec<&Vec<String>> = runs[1..].iter().filter(|r| r[0] == p).collect();
        let per_run = reps.iter().map(|r| num(&r[log])).sum::<f64>() / 3.0;
        let raw = reps.iter().map(|r| num(&r[deaths])).sum::<f64>() / 3.0;
        assert!((mean_of(p, "log1p:civilian_deaths") - per_run).abs() < 1e-12);
        assert!((mean_of(p, "civilian_deaths") - raw).abs() < 1e-9);
        if (per_run - raw.ln_1p()).abs() > 1e-6 {
            jensen += 1;
        }
    }
    assert!(jensen > 0, "replicates agree: the test cannot tell the two");
    let e = stabsim(&[
        "sweep",
        GAZA,
        "--grid",
        "citizens.vision=3,5",
        "--outputs",
        "log1p:deaths",
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(e.status.code(), Some(2));
    assert!(
        stderr(&e).starts_with("--outputs: no measure \"deaths\""),
        "{}",
        stderr(&e)
    );
}
