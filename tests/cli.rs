//! The command line as a user meets it: outputs, determinism across thread
//! counts, atomic writes, and bad input (exit 2 with a located message).

mod common;

use common::{stabsim, stderr};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const APP: &str = "scenarios/epstein/mesa_app_default.toml";

/// A short run of the default Epstein scenario into `dir`.
fn short_run(dir: &Path, threads: &str) -> Output {
    stabsim(&[
        "run",
        APP,
        "--replicates",
        "20",
        "--ticks",
        "150",
        "--threads",
        threads,
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ])
}

const DATA_FILES: [&str; 8] = [
    "timeseries.csv",
    "summary.csv",
    "runs.csv",
    "scenario.resolved.toml",
    "timeseries.png",
    "timeseries.svg",
    "active.png",
    "active.svg",
];

#[test]
fn run_writes_every_output_and_is_identical_across_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("t1"), tmp.path().join("t2"));
    let o = short_run(&one, "1");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = short_run(&two, "2");
    assert!(o.status.success(), "{}", stderr(&o));
    for name in DATA_FILES {
        let a = fs::read(one.join(name)).unwrap_or_else(|_| panic!("{name} missing"));
        let b = fs::read(two.join(name)).unwrap();
        assert!(!a.is_empty(), "{name} is empty");
        assert!(a == b, "{name} differs between --threads 1 and --threads 2");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(one.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["replicates"], 20);
    assert_eq!(manifest["ticks"], 150);
    assert_eq!(manifest["threads"], 1);
    assert!(
        manifest["disclaimer"]
            .as_str()
            .unwrap()
            .contains("does not forecast")
    );
    assert_eq!(
        manifest["files"].as_array().unwrap().len(),
        DATA_FILES.len()
    );
    // No staging folder is left behind.
    let leftovers: Vec<_> = fs::read_dir(&one)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn summaries_beyond_the_exact_quantile_capacity_match_across_thread_counts() {
    // 300 replicates: per-tick quantiles leave the exact buffer (256) for
    // the t-digest, whose result depends on the order values arrive in.
    let tmp = tempfile::tempdir().unwrap();
    let run = |dir: &Path, threads: &str| {
        let o = stabsim(&[
            "run",
            APP,
            "--replicates",
            "300",
            "--ticks",
            "101",
            "--threads",
            threads,
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        fs::read(dir.join("summary.csv")).unwrap()
    };
    let one = run(&tmp.path().join("t1"), "1");
    let two = run(&tmp.path().join("t2"), "2");
    assert!(
        one == two,
        "summary.csv differs between --threads 1 and 2 at 300 replicates"
    );
}

#[test]
fn csv_outputs_have_the_documented_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let o = short_run(tmp.path(), "2");
    assert!(o.status.success(), "{}", stderr(&o));
    let ts = fs::read_to_string(tmp.path().join("timeseries.csv")).unwrap();
    let mut lines = ts.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,replicate,tick,quiescent,active,jailed,cops,legitimacy")
    );
    assert_eq!(lines.count(), 20 * 151);
    let summary = fs::read_to_string(tmp.path().join("summary.csv")).unwrap();
    assert!(summary.starts_with("tick,metric,n,mean,sd,p05,p50,p95\n0,quiescent,20,"));
    assert_eq!(summary.lines().count(), 1 + 151 * 5);
    let runs = fs::read_to_string(tmp.path().join("runs.csv")).unwrap();
    assert!(
        runs.starts_with("scenario,replicate,citizens,cops,mean_active,mean_jailed,peak_active,")
    );
    assert!(
        runs.lines()
            .skip(1)
            .all(|l| l.starts_with("mesa_app_default,"))
    );
    assert_eq!(runs.lines().count(), 21);
    // Every citizen is in exactly one status at every tick.
    let mut rdr = csv::Reader::from_reader(ts.as_bytes());
    let mut citizens = std::collections::HashMap::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let total: f64 = (3..6).map(|i| rec[i].parse::<f64>().unwrap()).sum();
        let first = *citizens.entry(rec[1].to_string()).or_insert(total);
        assert_eq!(
            total, first,
            "citizens not conserved in replicate {}",
            &rec[1]
        );
    }
}

#[test]
fn resolved_scenario_reruns_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (first, second) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(short_run(&first, "2").status.success());
    let resolved = first.join("scenario.resolved.toml");
    let o = stabsim(&[
        "run",
        resolved.to_str().unwrap(),
        "--quiet",
        "--out",
        second.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in DATA_FILES {
        assert_eq!(
            fs::read(first.join(name)).unwrap(),
            fs::read(second.join(name)).unwrap(),
            "{name} differs when re-running the resolved scenario"
        );
    }
}

#[test]
fn an_interrupted_run_leaves_no_complete_looking_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args([
            "run",
            APP,
            "--replicates",
            "100000",
            "--threads",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .spawn()
        .unwrap();
    // Wait until the run has started writing (into a hidden staging folder
    // beside the output folder), then kill it.
    let partial = || -> Vec<PathBuf> {
        fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".killed.partial-")
            })
            .collect()
    };
    for _ in 0..200 {
        let started = partial()
            .first()
            .is_some_and(|p| fs::read_dir(p).map(|d| d.count() > 0).unwrap_or(false));
        if started {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    // No output folder poses as complete: only the hidden partial one
    // exists, beside the replicates kept for --resume.
    assert!(!out.exists(), "the output folder exists after a killed run");
    let others = fs::read_dir(tmp.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name() != ".killed.resume")
        .count();
    assert_eq!(others, 1);
    assert_eq!(partial().len(), 1);
}

#[test]
fn check_accepts_every_shipped_scenario() {
    let mut files: Vec<String> = Vec::new();
    for entry in
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/epstein")).unwrap()
    {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            files.push(format!(
                "scenarios/epstein/{}",
                p.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(files.len() >= 5);
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let o = stabsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Writes `text` to a scenario file in a temp dir and checks it with stabsim.
fn check_text(text: &str, extra: &[&str]) -> (i32, String, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bad.toml");
    fs::write(&path, text).unwrap();
    let mut args = vec!["check", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = stabsim(&args);
    (o.status.code().unwrap(), stderr(&o), path, tmp)
}

#[test]
fn bad_inputs_exit_2_with_one_located_line() {
    let cases: [(&str, &[&str], &str); 5] = [
        // Unknown key, with a suggestion.
        (
            "[citizens]\nvison = 7\n",
            &[],
            ":2:1: field citizens.vison: ",
        ),
        // Out of range.
        (
            "[citizens]\nvision = 0\n",
            &[],
            ":2:10: field citizens.vision: ",
        ),
        // Wrong type.
        ("[run]\nticks = \"many\"\n", &[], ":2:9: field run.ticks: "),
        // TOML syntax.
        ("[run\nticks = 3\n", &[], ":1:"),
        // Bad override from the shell.
        ("", &["--set", "cops.vision=-3"], "--set:1:"),
    ];
    for (text, extra, expected) in cases {
        let (code, err, path, _tmp) = check_text(text, extra);
        assert_eq!(code, 2, "input {text:?} {extra:?}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "one line expected: {err}"
        );
        assert!(err.contains(expected), "{err:?} lacks {expected:?}");
        if extra.is_empty() {
            assert!(err.starts_with(path.to_str().unwrap()), "{err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
    let (_, err, _, _tmp) = check_text("[citizens]\nvison = 7\n", &[]);
    assert!(err.contains("did you mean `vision`"), "{err}");
}

/// Special files named by a scenario are refused from their metadata: a
/// FIFO used to block `check` forever and `/dev/zero` was read until memory
/// ran out.
#[cfg(unix)]
#[test]
fn special_files_named_by_a_scenario_are_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut cases = vec![(
        "extends = \"/dev/zero\"\n".to_string(),
        ":1:11: field extends: ",
    )];
    if made.is_ok_and(|s| s.success()) {
        cases.push((
            "extends = \"pipe.toml\"\n".to_string(),
            ":1:11: field extends: ",
        ));
        cases.push((
            "[world]\nmap = \"pipe.toml\"\n".to_string(),
            ":2:7: field world.map: ",
        ));
    }
    for (text, expected) in cases {
        let path = tmp.path().join("s.toml");
        fs::write(&path, &text).unwrap();
        let o = stabsim(&["check", path.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(expected), "{err:?} lacks {expected:?}");
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

/// Every subcommand that runs the model refuses a batch too large for the
/// memory this process may use, counting `ulimit -v` (and cgroup limits),
/// not only physical memory: `dock` and `timing` had no guard and aborted.
#[cfg(unix)]
#[test]
fn too_large_batches_are_refused_under_the_address_space_limit_in_every_subcommand() {
    let big = "--set world.width=10000 --set world.height=10000";
    for cmd in [
        format!("timing {APP} {big}"),
        format!("dock {APP} --reference tests/data/mesa_epstein/mesa_app_default.csv {big}"),
        format!("run {APP} {big} --out /nonexistent/never-written"),
    ] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 4000000 && exec \"$0\" {cmd}",))
            .arg(env!("CARGO_BIN_EXE_stabsim"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("GiB of memory"), "{cmd}: {err}");
        assert!(err.contains("ulimit -v"), "{cmd}: {err}");
    }
}

#[test]
fn run_rejects_bad_input_before_writing_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let o = stabsim(&[
        "run",
        APP,
        "--set",
        "population.cop_density=2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("field population.cop_density"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    let o = stabsim(&["run", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("no/such/file.toml: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_flags_exit_2_naming_the_flag() {
    let reference = "tests/data/mesa_epstein/mesa_app_default.csv";
    let cases: [(&[&str], &str); 6] = [
        (
            &["run", APP, "--ticks", "5"],
            "--ticks: field run.ticks: 5 is not greater than run.burn_in",
        ),
        (
            &["run", APP, "--threads", "100000"],
            "--threads: 100000 is out of range",
        ),
        (
            &["timing", APP, "--ticks", "0"],
            "--ticks: field run.ticks: 0 is out of range",
        ),
        (
            &["dock", APP, "--reference", reference, "--alpha", "0"],
            "--alpha: 0 is out of range",
        ),
        (
            &["dock", APP, "--reference", reference, "--ticks", "2000"],
            "--ticks: reference runs stop at step 1000",
        ),
        (
            &["check", APP, "--set", "name=.."],
            "--set:1:6: field name: \"..\" starts with '.'",
        ),
    ];
    for (args, expected) in cases {
        let o = stabsim(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with(expected), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_rerun_into_the_same_folder_leaves_a_consistent_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(short_run(&out, "1").status.success());
    // A file of an earlier run that this run does not write.
    fs::write(out.join("map_day365.png"), "stale").unwrap();
    assert!(short_run(&out, "2").status.success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut listed = vec!["manifest.json".to_string()];
    for f in manifest["files"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        listed.push(name.to_string());
        let bytes = fs::read(out.join(name)).unwrap();
        assert_eq!(
            f["sha256"].as_str().unwrap(),
            stabsim::output::sha256_hex(&bytes)
        );
    }
    // Exactly the files of the last run: the stale one is gone, and no
    // staging or old folder is left beside it.
    let mut present: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    listed.sort();
    assert_eq!(present, listed);
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn run_refuses_to_replace_a_folder_that_is_not_an_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let o = short_run(tmp.path(), "1");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("not a stabsim output folder"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn timing_prints_json() {
    let o = stabsim(&["timing", APP, "--ticks", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["steps"], 5);
    assert!(v["agent_steps_per_s"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_run_with_set_does_not_overwrite_the_unmodified_scenarios_outputs() {
    // Default folders are relative to the working folder: run in a fresh one.
    let tmp = tempfile::tempdir().unwrap();
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join(APP);
    let run = |extra: &[&str]| -> Output {
        Command::new(env!("CARGO_BIN_EXE_stabsim"))
            .arg("run")
            .arg(&app)
            .args(["-n", "2", "--ticks", "120", "--quiet"])
            .args(extra)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let o = run(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let outputs = tmp.path().join("outputs");
    let folders = |d: &Path| -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let plain = folders(&outputs);
    assert_eq!(plain.len(), 1);
    let resolved = fs::read(outputs.join(&plain[0]).join("scenario.resolved.toml")).unwrap();
    let o = run(&["--set", "citizens.vision=5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let both = folders(&outputs);
    assert_eq!(both.len(), 2, "{both:?}");
    let modified = both.iter().find(|n| **n != plain[0]).unwrap();
    assert!(
        modified.starts_with(&format!("{}--set-", plain[0])),
        "{modified}"
    );
    // The unmodified scenario's outputs are untouched.
    assert_eq!(
        fs::read(outputs.join(&plain[0]).join("scenario.resolved.toml")).unwrap(),
        resolved
    );
    let text = fs::read_to_string(outputs.join(modified).join("scenario.resolved.toml")).unwrap();
    assert!(text.contains("vision = 5"), "{text}");
}
