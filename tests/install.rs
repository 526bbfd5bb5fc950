//! Install anywhere: a copy of the built binary, run from a folder with no
//! `scenarios/` and no source tree next to it, lists, checks, runs and
//! exports the shipped pack by name.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary copied into `dir/bin/` (as `cargo install` would put it
/// somewhere else than the source tree).
fn installed(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let exe = bin.join(
        Path::new(env!("CARGO_BIN_EXE_stabsim"))
            .file_name()
            .unwrap(),
    );
    fs::copy(env!("CARGO_BIN_EXE_stabsim"), &exe).unwrap();
    exe
}

/// Runs `exe` in `cwd`.
///
/// Retries while exec reports ETXTBSY: the copy was just written, and a
/// test on another thread that forks at that moment holds the write
/// descriptor until its child execs (a known Linux race, rust-lang/rust
/// issue 114554), so the first exec can fail although the file is complete.
fn run(exe: &Path, cwd: &Path, args: &[&str]) -> Output {
    const ETXTBSY: i32 = 26;
    let mut tries = 0;
    loop {
        match Command::new(exe).args(args).current_dir(cwd).output() {
            Err(e) if e.raw_os_error() == Some(ETXTBSY) && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result.expect("stabsim runs"),
        }
    }
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A temporary folder with the installed binary and an empty working
/// folder `work/`.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let exe = installed(tmp.path());
    let work = tmp.path().join("work");
    fs::create_dir_all(&work).unwrap();
    (tmp, exe, work)
}

#[test]
fn scenarios_lists_the_shipped_pack_one_line_each() {
    let (_tmp, exe, work) = setup();
    let o = run(&exe, &work, &["scenarios"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("gaza/baseline "))
        .unwrap_or_else(|| panic!("no gaza/baseline line in:\n{out}"));
    assert!(line.contains("Stylized Gaza Strip"), "{line}");
    for name in [
        "gaza/force_small",
        "mali/baseline",
        "epstein/mesa_default",
        "comparisons/gaza_posture_and_size",
    ] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(name)),
            "{name} not listed:\n{out}"
        );
    }
}

#[test]
fn shipped_names_check_and_run_from_any_folder() {
    let (_tmp, exe, work) = setup();
    // `extends`, `map` and `sectors` resolve inside the pack.
    let o = run(
        &exe,
        &work,
        &["check", "gaza/force_small", "scenarios/mali/baseline.toml"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("gaza_force_small"), "{out}");
    let o = run(
        &exe,
        &work,
        &[
            "run",
            "gaza/force_small",
            "-n",
            "1",
            "--ticks",
            "3",
            "--quiet",
            "--out",
            "out",
        ],
    );
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let resolved = fs::read_to_string(work.join("out/scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("gaza_force_small"));
    // A shipped folder by name: every scenario in it.
    let o = run(
        &exe,
        &work,
        &[
            "run", "mali", "-n", "1", "--ticks", "3", "--quiet", "--out", "mali",
        ],
    );
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(work.join("mali/mali_baseline/runs.csv").is_file());
    assert!(
        work.join("mali/mali_no_political_horizon/runs.csv")
            .is_file()
    );
}

#[test]
fn a_real_file_wins_over_a_shipped_name() {
    let (_tmp, exe, work) = setup();
    fs::create_dir_all(work.join("gaza")).unwrap();
    fs::write(
        work.join("gaza/baseline.toml"),
        "name = \"mine\"\n[run]\nticks = 0\n",
    )
    .unwrap();
    let o = run(&exe, &work, &["check", "gaza/baseline.toml"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("gaza/baseline.toml:3:"), "{err}");
}

#[test]
fn an_unknown_name_is_one_located_message() {
    let (_tmp, exe, work) = setup();
    let o = run(&exe, &work, &["check", "gaza/no_such_scenario"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("gaza/no_such_scenario"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn export_writes_the_pack_and_refuses_to_overwrite() {
    let (_tmp, exe, work) = setup();
    let o = run(&exe, &work, &["scenarios", "export", "pack"]);
    assert!(o.status.success(), "{}", text(&o).1);
    assert!(work.join("pack/maps/gaza.txt").is_file());
    // The exported files work on their own (relative extends and maps).
    let o = run(&exe, &work, &["check", "pack/gaza/force_small.toml"]);
    assert!(o.status.success(), "{}", text(&o).1);
    let o = run(&exe, &work, &["scenarios", "export", "pack"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    let o = run(&exe, &work, &["scenarios", "export", "pack", "--force"]);
    assert!(o.status.success(), "{}", text(&o).1);
}
