//! Files other than scenarios that stabsim reads: a sweep's design, a
//! docking reference, an `--uncertain` design, and the files of earlier
//! outputs read back by `plot`, `merge` and `--resume` (manifests, CSVs,
//! `shard.json`, `state.json`, kept replicates). A FIFO in their place
//! used to block forever (opening it waits for a writer) and `/dev/zero`
//! was read until memory ran out; each is now refused with a message
//! naming the file. Every command runs under a deadline, so a hang fails
//! the test instead of stalling the suite.

#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const APP: &str = "scenarios/epstein/mesa_app_default.toml";

/// Runs `stabsim args`, killing it after `deadline`: its exit code
/// (`None` if it hung) and stderr.
fn run_within(args: &[&str], deadline: Duration) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args(args)
        .current_dir(common::root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stabsim starts");
    let start = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > deadline {
            // SIGKILL: a process blocked opening a FIFO may not act on SIGTERM.
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (code, err)
}

/// Makes a FIFO at `path`; false where `mkfifo` is missing.
fn mkfifo(path: &Path) -> bool {
    let _ = fs::remove_file(path);
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Replaces `path` by a symlink to `/dev/zero`.
fn zero(path: &Path) {
    let _ = fs::remove_file(path);
    std::os::unix::fs::symlink("/dev/zero", path).unwrap();
}

/// Asserts that `args` finished within the deadline with exit `code` and
/// a message naming `file` as not a regular file.
fn refused(args: &[&str], code: i32, file: &Path) {
    let (got, err) = run_within(args, Duration::from_secs(20));
    assert!(got.is_some(), "{args:?} hung (killed after 20 s): {err}");
    assert_eq!(got, Some(code), "{args:?}: {err}");
    assert!(
        err.contains(&format!("{}: ", file.display())) && err.contains("not a regular file"),
        "{args:?}: the message should name {} as not a regular file: {err}",
        file.display()
    );
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn input_files_named_by_flags_are_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("design.csv");
    if !mkfifo(&fifo) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let out = tmp.path().join("out");
    let zero_path = Path::new("/dev/zero");
    for file in [fifo.as_path(), zero_path] {
        refused(
            &["sweep", APP, "--design", s(file), "--out", s(&out)],
            2,
            file,
        );
        refused(&["dock", APP, "--reference", s(file)], 2, file);
    }
    refused(
        &[
            "compare",
            "gaza",
            "-n",
            "2",
            "--uncertain",
            s(&fifo),
            "--out",
            s(&out),
        ],
        2,
        &fifo,
    );
    assert!(!out.exists(), "nothing is written");
}

/// A finished run's folder and two shards of a batch, in `dir`.
fn outputs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = dir.join("run");
    let shards = [dir.join("s0"), dir.join("s1")];
    let common = ["-n", "4", "--ticks", "110", "--threads", "1", "--quiet"];
    let mut args = vec!["run", APP];
    args.extend(common);
    args.extend(["--out", s(&run)]);
    common::ok(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
    for (k, shard) in shards.iter().enumerate() {
        let part = format!("{k}/2");
        let mut args = vec!["run", APP];
        args.extend(common);
        args.extend(["--shard", &part, "--out", s(shard)]);
        common::ok(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
    }
    let [s0, s1] = shards;
    (run, s0, s1)
}

/// A copy of folder `from` at `to` (flat: output and shard folders are).
fn copy(from: &Path, to: &Path) {
    let _ = fs::remove_dir_all(to);
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn files_of_earlier_outputs_are_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    if !mkfifo(&tmp.path().join("probe")) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let (run, s0, s1) = outputs(tmp.path());
    let edited = tmp.path().join("edited");
    let merged = tmp.path().join("merged");

    // `plot` reads the manifest, then the CSVs it redraws from.
    for (name, fifo) in [
        ("manifest.json", true),
        ("summary.csv", true),
        ("runs.csv", false),
    ] {
        copy(&run, &edited);
        let file = edited.join(name);
        if fifo {
            mkfifo(&file);
        } else {
            zero(&file);
        }
        refused(&["plot", s(&edited)], 2, &file);
    }

    // `merge` reads each shard's shard.json, then its kept replicates.
    copy(&s0, &edited);
    let file = edited.join("shard.json");
    mkfifo(&file);
    refused(
        &["merge", s(&edited), s(&s1), "--out", s(&merged)],
        2,
        &file,
    );
    for fifo in [true, false] {
        copy(&s0, &edited);
        let file = edited.join("rep-00000002.bin");
        if fifo {
            mkfifo(&file);
        } else {
            zero(&file);
        }
        // Refused as a damaged kept replicate is (exit 2), named, not a
        // hang.
        refused(
            &["merge", s(&edited), s(&s1), "--out", s(&merged)],
            2,
            &file,
        );
    }
    assert!(!merged.exists(), "nothing is merged");

    // `--resume` reads the kept store's state.json.
    copy(&s0, &edited);
    let file = edited.join("state.json");
    mkfifo(&file);
    refused(
        &[
            "run",
            APP,
            "-n",
            "4",
            "--ticks",
            "110",
            "--quiet",
            "--shard",
            "0/2",
            "--resume",
            "--out",
            s(&edited),
        ],
        2,
        &file,
    );
}
