//! Resilience as a user meets it: an output folder is replaced whole, so a
//! comparison killed at any instant leaves the complete previous outputs
//! or the complete new ones; interrupted batches resume (`--resume`) to the
//! bytes of an uninterrupted run; no write goes through a symlink; `plot`
//! refuses edited data; unwritable folders are clear messages.

mod common;

use common::{all_bytes, ok, spawn, stabsim, stderr};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// A small Gaza comparison into `out` with `seed` (seeds differ between the
/// old and the new outputs, so every data file differs).
fn comparison_args(out: &Path, seed: &str) -> Vec<String> {
    [
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/force_large.toml",
        "--replicates",
        "2",
        "--ticks",
        "20",
        "--map-days",
        "20",
        "--threads",
        "2",
        "--seed",
        seed,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec()
}

fn sha(bytes: &[u8]) -> String {
    stabsim::output::sha256_hex(bytes)
}

/// Checks that every file a manifest lists is there with its SHA-256, and
/// that nothing else is (besides the listed scenario folders); returns the
/// manifest's file hashes, which identify the outputs.
fn verified(dir: &Path) -> BTreeMap<String, String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut listed = BTreeMap::new();
    for f in manifest["files"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap().to_string();
        let bytes = fs::read(dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            sha(&bytes),
            f["sha256"].as_str().unwrap(),
            "{name} in {dir:?}"
        );
        listed.insert(name, f["sha256"].as_str().unwrap().to_string());
    }
    let scenarios: Vec<String> = manifest["scenarios"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    for s in &scenarios {
        for (name, hash) in verified(&dir.join(s)) {
            listed.insert(format!("{s}/{name}"), hash);
        }
    }
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == "manifest.json" || listed.contains_key(&name) || scenarios.contains(&name),
            "{name}: in {dir:?} but not in its manifest"
        );
    }
    listed
}

/// Data files and charts only: manifests hold wall times.
fn without_manifests(files: BTreeMap<String, String>) -> BTreeMap<String, String> {
    files
        .into_iter()
        .filter(|(n, _)| !n.ends_with("manifest.json"))
        .collect()
}

#[test]
fn a_comparison_killed_at_any_instant_leaves_the_old_or_the_new_outputs_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let args_old = comparison_args(&out, "11");
    let args_new = comparison_args(&out, "12");
    let run = |args: &[String]| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = stabsim(&refs);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    // The new outputs, for reference, then the old ones in place.
    let started = Instant::now();
    run(&args_new);
    let full = started.elapsed();
    let new = without_manifests(verified(&out));
    run(&args_old);
    let old = without_manifests(verified(&out));
    assert_ne!(old, new);
    // Kill instants spread over a whole run (a fixed pseudo-random
    // sequence, so a failure can be replayed), the later ones near the
    // final renames.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut saw_old, mut saw_new) = (0, 0);
    for i in 0..10 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let share = if i < 7 {
            (x % 1000) as f64 / 1000.0
        } else {
            0.9 + (x % 100) as f64 / 800.0
        };
        let delay = full.mul_f64(share);
        let refs: Vec<&str> = args_new.iter().map(String::as_str).collect();
        let mut child = spawn(&refs);
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        // On Linux the commit swaps the folders in one step: the folder is
        // never missing and nothing needs putting back. Elsewhere the next
        // run first puts back outputs moved aside, as done here.
        if cfg!(target_os = "linux") {
            assert_eq!(stabsim::output::recover(&out).unwrap(), None, "kill {i}");
        } else {
            stabsim::output::recover(&out).unwrap();
        }
        let now = without_manifests(verified(&out));
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
            // Back to the old outputs for the next kill.
            run(&args_old);
        } else {
            panic!("kill {i} after {delay:?}: the folder is neither the old nor the new outputs");
        }
    }
    assert!(saw_old > 0, "no kill landed before the commit");
    // A later run cleans up what the killed ones left beside the folder.
    run(&args_old);
    let left: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["cmp"], "saw old {saw_old}, new {saw_new}");
}

#[test]
fn a_run_of_another_kind_leaves_no_file_beside_the_new_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = stabsim(&[
        "run",
        "scenarios/gaza/baseline.toml",
        "-n",
        "2",
        "--ticks",
        "10",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("timeseries.csv").exists());
    let args = comparison_args(&out, "3");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = stabsim(&refs);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("timeseries.csv").exists());
    verified(&out);
}

#[cfg(unix)]
#[test]
fn no_write_goes_through_a_symlink_in_an_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let args = comparison_args(&out, "5");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(stabsim(&refs).status.success());
    // Move a scenario's folder out and link it back in.
    let elsewhere = tmp.path().join("elsewhere");
    fs::rename(out.join("gaza_baseline"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("gaza_baseline")).unwrap();
    let before: Vec<(String, Vec<u8>)> = fs::read_dir(&elsewhere)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.display().to_string(), fs::read(&p).unwrap())
        })
        .collect();
    let o = stabsim(&["plot", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(msg.contains("gaza_baseline: is a symbolic link"), "{msg}");
    // A new comparison replaces the folder whole; the link goes, the
    // folder it pointed to stays as it was.
    assert!(stabsim(&refs).status.success());
    for (path, bytes) in &before {
        assert_eq!(
            &fs::read(path).unwrap(),
            bytes,
            "{path} was written through a link"
        );
    }
    assert!(
        !fs::symlink_metadata(out.join("gaza_baseline"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn plot_refuses_an_edited_comparison_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let args = comparison_args(&out, "6");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(stabsim(&refs).status.success());
    let path = out.join("comparison.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n")).unwrap();
    let o = stabsim(&["plot", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("comparison.json: changed since the run wrote it"),
        "{}",
        stderr(&o)
    );
}

/// An Epstein run of 40 replicates into `out`.
fn epstein_args(out: &Path, threads: &str, seed: &str) -> Vec<String> {
    [
        "run",
        "scenarios/epstein/mesa_app_default.toml",
        "--replicates",
        "40",
        "--ticks",
        "200",
        "--seed",
        seed,
        "--threads",
        threads,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec()
}

fn kept(store: &Path) -> usize {
    stabsim::output::resume::kept_count(store)
}

/// Waits until `store` holds at least `n` replicates (or the child ends).
fn wait_for_kept(child: &mut Child, store: &Path, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while kept(store) < n && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn interrupted_runs_resume_to_the_bytes_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    // Every run writes to the same path, so the recorded commands match.
    let out = tmp.path().join("out");
    let store = stabsim::output::resume::store_dir(&out);
    for threads in ["1", "2"] {
        let args = epstein_args(&out, threads, "21");
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = stabsim(&refs);
        assert!(o.status.success(), "{}", stderr(&o));
        let expected = all_bytes(&out);
        fs::remove_dir_all(&out).unwrap();
        for (sig, at) in [("-KILL", 1), ("-INT", 5), ("-KILL", 17), ("-INT", 30)] {
            let mut child = spawn(&refs);
            wait_for_kept(&mut child, &store, at);
            signal(&child, sig);
            let o = child.wait_with_output().unwrap();
            let msg = stderr(&o);
            if sig == "-INT" && o.status.code() == Some(130) {
                assert!(
                    msg.contains("interrupted") && msg.contains("Resume with:"),
                    "{msg}"
                );
                assert!(msg.contains("--resume"), "{msg}");
                assert!(!out.exists(), "an interrupted run wrote outputs");
            }
            let before = kept(&store);
            let mut again = args.clone();
            again.push("--resume".into());
            let again: Vec<&str> = again.iter().map(String::as_str).collect();
            let o = stabsim(&again);
            assert!(o.status.success(), "{}", stderr(&o));
            assert_eq!(
                all_bytes(&out),
                expected,
                "threads {threads}, {sig} after {before} kept replicates"
            );
            assert!(!store.exists(), "the kept replicates outlive the outputs");
            fs::remove_dir_all(&out).unwrap();
        }
    }
}

#[test]
fn resume_refuses_replicates_of_another_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let args = epstein_args(&out, "1", "21");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = spawn(&refs);
    let store = stabsim::output::resume::store_dir(&out);
    wait_for_kept(&mut child, &store, 2);
    signal(&child, "-KILL");
    child.wait().unwrap();
    let mut other = epstein_args(&out, "1", "22");
    other.push("--resume".into());
    let refs: Vec<&str> = other.iter().map(String::as_str).collect();
    let o = stabsim(&refs);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(
        msg.contains("state.json") && msg.contains("seed 21"),
        "{msg}"
    );
    assert!(kept(&store) >= 2, "a refused resume lost kept replicates");
}

#[test]
fn an_unwritable_folder_is_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where a folder should be: unwritable even for root.
    let file = tmp.path().join("plain");
    fs::write(&file, "x").unwrap();
    let out: PathBuf = file.join("out");
    let args = epstein_args(&out, "1", "21");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = stabsim(&refs);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(
        msg.contains("plain") && msg.contains("cannot write here"),
        "{msg}"
    );
    assert_eq!(msg.lines().count(), 1, "{msg}");

    // A read-only folder (chmod does not bind root: skipped as root).
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = tmp.path().join("ro");
        fs::create_dir(&ro).unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
        let args = epstein_args(&ro.join("out"), "1", "21");
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = stabsim(&refs);
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("cannot write here"), "{}", stderr(&o));
    }
}

/// A short Gaza run (map frames and charts included) as `--shard`s.
fn gaza_args(out: &Path, extra: &[&str]) -> Vec<String> {
    gaza_batch(out, 6, 20, extra)
}

/// A one-thread Gaza batch of `replicates` replicates of `ticks` days into
/// `out`, with `extra` flags.
fn gaza_batch(out: &Path, replicates: u32, ticks: u32, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "run",
        "scenarios/gaza/baseline.toml",
        "--replicates",
        &replicates.to_string(),
        "--ticks",
        &ticks.to_string(),
        "--threads",
        "1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Every file's bytes; the manifest without its wall times and command.
fn outputs_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = all_bytes(dir);
    let mut m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let o = m.as_object_mut().unwrap();
    o.remove("command");
    o.remove("scenario_file");
    files.insert("manifest.json".into(), m.to_string().into_bytes());
    files
}

#[test]
fn merged_shards_are_the_bytes_of_a_single_machine_run() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    ok(&gaza_args(&single, &[]));
    let expected = outputs_of(&single);
    assert!(expected.contains_key("frames.csv") && expected.contains_key("violence.png"));
    for n in [2, 3] {
        let shards: Vec<PathBuf> = (0..n)
            .map(|k| tmp.path().join(format!("s{n}-{k}")))
            .collect();
        for (k, dir) in shards.iter().enumerate() {
            let o = ok(&gaza_args(dir, &["--shard", &format!("{k}/{n}")]));
            assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("shard {k}/{n}")));
        }
        let merged = tmp.path().join(format!("merged{n}"));
        let mut args = vec!["merge".to_string()];
        // Any order.
        args.extend(shards.iter().rev().map(|p| p.display().to_string()));
        args.extend([
            "--out".into(),
            merged.display().to_string(),
            "--threads".into(),
            "1".into(),
        ]);
        ok(&args);
        assert_eq!(outputs_of(&merged), expected, "{n} shards");
    }
    // Missing, duplicated and mismatched shards are refused, located.
    let s = |k: usize| tmp.path().join(format!("s3-{k}")).display().to_string();
    let out = tmp.path().join("bad").display().to_string();
    let refused = |shards: &[String], needle: &str| {
        let mut args = vec!["merge"];
        args.extend(shards.iter().map(String::as_str));
        args.extend(["--out", &out]);
        let o = stabsim(&args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{needle}: {}", stderr(&o));
    };
    refused(&[s(0), s(1)], "shard 2/3 missing");
    refused(&[s(0), s(1), s(2), s(1)], "given twice");
    let other = tmp.path().join("other");
    ok(&gaza_args(&other, &["--shard", "2/3", "--seed", "99"]));
    refused(&[s(0), s(1), other.display().to_string()], "seed 99");
    refused(
        &[s(0), s(1), tmp.path().join("s2-0").display().to_string()],
        "shard 0/2",
    );
    let o = stabsim(&["run", "scenarios/gaza/baseline.toml", "--shard", "3/3"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--shard: \"3/3\""), "{}", stderr(&o));
}

/// `stabsim ARGS` under `prlimit LIMIT` (Linux), or `None` without prlimit.
#[cfg(target_os = "linux")]
fn under_prlimit(limit: &str, args: &[&str]) -> Option<Output> {
    let o = Command::new("prlimit")
        .arg(limit)
        .arg(env!("CARGO_BIN_EXE_stabsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    // prlimit itself refused (no permission to set the limit): skip.
    let err = stderr(&o);
    if err.starts_with("prlimit:") {
        return None;
    }
    Some(o)
}

/// Every command that allocates worlds refuses, before allocating, a batch
/// the process's own limits cannot hold: `ulimit -v` (RLIMIT_AS) and
/// `ulimit -d` (RLIMIT_DATA, which was ignored: the run aborted with a
/// backtrace), with the limit named; `validate --context` had no guard.
#[cfg(target_os = "linux")]
#[test]
fn every_world_allocating_command_refuses_beyond_the_process_memory_limits() {
    let gaza = "scenarios/gaza/baseline.toml";
    const REFINED_31: &[&str] = &[
        "--set",
        "world.refine=31",
        "--set",
        "citizens.vision=1",
        "--set",
        "mission.forces.vision_km=0.2",
        "--set",
        "mission.civilians.witness_radius_km=0.2",
        "--set",
        "mission.civilians.contagion_radius_km=0.2",
        "--ticks",
        "10",
    ];
    let as_limit = ("--as=2000000000", "the address-space limit (ulimit -v)");
    let data_limit = ("--data=2000000000", "the data-segment limit (ulimit -d)");
    let cases: Vec<((&str, &str), Vec<&str>)> = vec![
        (
            as_limit,
            vec!["run", gaza, "--ticks", "50000", "-n", "1", "--quiet"],
        ),
        (
            data_limit,
            vec!["run", gaza, "--ticks", "50000", "-n", "1", "--quiet"],
        ),
        // `timing` and `dock` record no map frames, so a long horizon alone
        // fits (the summary is bounded): a world refined 31-fold (8.6 M
        // cells, about 2 GB) does not.
        (data_limit, [&["timing", gaza][..], REFINED_31].concat()),
        (
            data_limit,
            [&["dock", gaza, "--reference", "/dev/null"][..], REFINED_31].concat(),
        ),
        (
            as_limit,
            vec![
                "validate",
                "--only-contexts",
                "--context",
                gaza,
                // No map frames in `validate` (and the summary is
                // bounded): 16 threads' windows of 100,000-day series are
                // what exceed the limit.
                "--ticks",
                "100000",
                "--threads",
                "16",
                "--replicates",
                "2",
                "--quiet",
            ],
        ),
        (
            data_limit,
            vec![
                "compare",
                gaza,
                "scenarios/gaza/force_large.toml",
                "--ticks",
                "50000",
                "--replicates",
                "2",
                "--quiet",
            ],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for ((limit, source), args) in cases {
        let out = tmp.path().join(args[0]);
        let mut args = args.clone();
        if args[0] != "timing" && args[0] != "dock" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let Some(o) = under_prlimit(limit, &args) else {
            return;
        };
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?} under {limit}: {err}");
        assert!(
            err.contains("would need about") && err.contains(source) && !err.contains("backtrace"),
            "{args:?} under {limit}: {err}"
        );
        assert!(!out.exists(), "{args:?} wrote outputs before refusing");
    }
}

/// A shard is guarded for what it holds (its worlds and series, not the
/// per-tick summary it never builds: a 700-day shard needing 30 MB was
/// refused at the whole batch's 0.3 GiB), and `stabsim merge`, which
/// builds the summary, is guarded at all (a merge of two 20,000-day Gaza
/// shards under `ulimit -d` 800 MB aborted with a backtrace).
#[cfg(target_os = "linux")]
#[test]
fn shards_and_their_merge_are_guarded_for_what_each_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let shard = tmp.path().join("s0");
    let merged = tmp.path().join("merged");
    let limit = "--data=150000000";
    let Some(o) = under_prlimit(
        limit,
        &[
            "run",
            "scenarios/gaza/baseline.toml",
            "-n",
            "1",
            "--ticks",
            "700",
            "--threads",
            "1",
            "--quiet",
            "--shard",
            "0/1",
            "--out",
            shard.to_str().unwrap(),
        ],
    ) else {
        return;
    };
    assert!(o.status.success(), "the shard was refused: {}", stderr(&o));
    let o = under_prlimit(
        limit,
        &[
            "merge",
            shard.to_str().unwrap(),
            "--threads",
            "1",
            "--out",
            merged.to_str().unwrap(),
        ],
    )
    .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("merging these shards would need about")
            && err.contains("the data-segment limit (ulimit -d)")
            && !err.contains("backtrace"),
        "{err}"
    );
    assert!(!merged.exists());
    // Without the limit the same merge goes through.
    let o = stabsim(&[
        "merge",
        shard.to_str().unwrap(),
        "--threads",
        "1",
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `stabsim ARGS` under `prlimit --fsize=BYTES` (Linux), with SIGXFSZ
/// ignored so that a write past the limit fails with EFBIG ("File too
/// large"), as on a full disk, instead of killing the process; `None`
/// without prlimit.
#[cfg(target_os = "linux")]
fn under_file_size_limit(bytes: u64, args: &[String]) -> Option<Output> {
    let script = "trap '' XFSZ; exec \"$0\" \"$@\"";
    let o = Command::new("prlimit")
        .arg(format!("--fsize={bytes}"))
        .args(["bash", "-c", script])
        .arg(env!("CARGO_BIN_EXE_stabsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    if stderr(&o).starts_with("prlimit:") {
        return None;
    }
    Some(o)
}

/// A full disk while the outputs are written (each kept replicate is a
/// small file, `timeseries.csv` is not: a file size limit between the two
/// lets every replicate be kept and the outputs fail) is a clear message
/// that names what is kept and the command that resumes; the previous
/// outputs stay as they were, and the resumed run writes the bytes of an
/// uninterrupted one. The message used to name only the failed write.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_while_writing_outputs_says_what_is_kept_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let store = stabsim::output::resume::store_dir(&out);
    let args = epstein_args(&out, "1", "21");
    ok(&args);
    let expected = all_bytes(&out);
    // The series (about 8 kB a replicate) go past the limit some ten
    // replicates in; each kept replicate (8 kB) is far below it.
    const LIMIT: u64 = 100_000;
    let series = expected["timeseries.csv"].len() as u64;
    assert!(series > 2 * LIMIT, "timeseries.csv is {series} bytes");
    // The previous outputs, of another seed, in place.
    ok(&epstein_args(&out, "1", "22"));
    let previous = all_bytes(&out);
    assert_ne!(previous, expected);
    let Some(o) = under_file_size_limit(LIMIT, &args) else {
        eprintln!("skipped: prlimit is not available");
        return;
    };
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{msg}");
    let count = kept(&store);
    assert!(count > 0, "nothing was kept: {msg}");
    for e in fs::read_dir(&store).unwrap() {
        let len = e.unwrap().metadata().unwrap().len();
        assert!(len < LIMIT / 4, "a kept file of {len} bytes");
    }
    assert!(
        msg.contains("File too large")
            && msg.contains(&format!(
                "{count} finished replicates are kept in {}",
                store.display()
            ))
            && msg.contains("Resume with: ")
            && msg.trim_end().ends_with("--resume"),
        "{msg}"
    );
    assert_eq!(all_bytes(&out), previous, "the previous outputs changed");
    let mut again = args.clone();
    again.push("--resume".into());
    ok(&again);
    assert_eq!(all_bytes(&out), expected);
    assert!(!store.exists(), "the kept replicates outlive the outputs");
}

/// Flips one bit in the middle of `path`'s payload (its length unchanged).
fn flip_a_bit(path: &Path) -> Vec<u8> {
    let mut bytes = fs::read(path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    fs::write(path, &bytes).unwrap();
    bytes
}

/// A kept replicate whose bytes changed (its length did not: bit rot, a
/// torn page) is refused on `--resume` and on `merge`, the file named with
/// what to do; nothing is overwritten. It used to be taken as finished.
#[test]
fn a_damaged_kept_replicate_is_refused_located_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let store = stabsim::output::resume::store_dir(&out);
    let args = epstein_args(&out, "1", "23");
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = spawn(&refs);
    wait_for_kept(&mut child, &store, 3);
    signal(&child, "-KILL");
    child.wait().unwrap();
    assert!(kept(&store) >= 3, "the run ended before it was killed");
    let piece = store.join("rep-00000001.bin");
    let damaged = flip_a_bit(&piece);
    let before = kept(&store);
    let mut again = args.clone();
    again.push("--resume".into());
    let o = stabsim(&again);
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains(&format!(
            "{}: its SHA-256 checksum does not match",
            piece.display()
        )) && msg.contains("delete it to run the replicate again"),
        "{msg}"
    );
    assert!(!out.exists(), "a refused resume wrote outputs");
    assert_eq!(fs::read(&piece).unwrap(), damaged, "the file was rewritten");
    assert!(
        kept(&store) >= before,
        "a refused resume lost kept replicates"
    );
    // As the message says: delete it and resume.
    fs::remove_file(&piece).unwrap();
    ok(&again);
    assert!(!store.exists());

    // A finished shard, one replicate damaged: its merge is refused.
    let shard = tmp.path().join("s0");
    ok(&gaza_args(&shard, &["--shard", "0/1"]));
    let piece = shard.join("rep-00000002.bin");
    flip_a_bit(&piece);
    let merged = tmp.path().join("merged");
    let o = stabsim(&[
        "merge",
        shard.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains(&format!(
            "{}: its SHA-256 checksum does not match",
            piece.display()
        )),
        "{msg}"
    );
    assert!(!merged.exists(), "a refused merge wrote outputs");
}

/// Ctrl-C in a comparison's second scenario counts every scenario's kept
/// replicates (the first's all kept, the second's so far), as the store
/// holds them and a resume uses them; it used to count the second's only.
#[test]
fn ctrl_c_in_a_comparison_counts_every_scenarios_kept_replicates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let root = stabsim::output::resume::store_dir(&out);
    let args: Vec<String> = [
        "compare",
        "scenarios/epstein/mesa_app_default.toml",
        "scenarios/epstein/mesa_default.toml",
        "--replicates",
        "40",
        "--ticks",
        "200",
        "--threads",
        "1",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = spawn(&refs);
    wait_for_kept(&mut child, &root.join("mesa_default"), 2);
    signal(&child, "-INT");
    let o = child.wait_with_output().unwrap();
    let msg = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{msg}");
    let count = kept(&root);
    assert!(count > 40, "{count} kept: {msg}");
    assert!(
        msg.contains(&format!(
            "{count} finished replicates are kept in {}",
            root.display()
        )),
        "{msg}"
    );
}

/// A batch that the CPU-time limit (`ulimit -t`) would end midway is
/// refused before it starts, naming the limit, at the pace measured on
/// replicate 0 (it was killed by SIGXCPU, with no message); a batch, a
/// shard or a timing that fits runs under the same limit.
#[cfg(target_os = "linux")]
#[test]
fn a_batch_beyond_the_cpu_time_limit_is_refused_and_one_within_it_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let limit = "--cpu=10";
    // 400 Gaza replicates of 4,000 days: 11 min of CPU on the development
    // machine's optimised build, half of it for half of the shards; the
    // guard refuses at a quarter, so a CPU 8 times faster is still refused.
    let big = |extra: &[&str]| gaza_batch(&out, 400, 4000, extra);
    let Some(o) = under_prlimit(limit, &as_refs(&big(&[]))) else {
        return;
    };
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("gaza_baseline: this batch would need at least")
            && err.contains("the CPU-time limit (ulimit -t)"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!out.exists(), "nothing is written");
    // Half of the shards is as certain to be cut short.
    let o = under_prlimit(limit, &as_refs(&big(&["--shard", "0/2"]))).unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("this shard would need at least"), "{err}");
    // A comparison, or a run of several scenarios, runs them one after
    // another: their times add.
    for (command, what) in [("compare", "this comparison"), ("run", "these runs")] {
        let o = under_prlimit(
            limit,
            &[
                command,
                "scenarios/gaza/baseline.toml",
                "scenarios/gaza/force_large.toml",
                "-n",
                "400",
                "--ticks",
                "4000",
                "--quiet",
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with(&format!(
                "gaza_baseline and 1 more: {what} would need at least"
            )) && err.contains("(2 scenarios, 800 replicates in all,"),
            "{err}"
        );
    }
    // A resume is charged for the replicates left: with 399 of 400 kept,
    // the guard lets it through (and the resume then refuses these
    // stand-in files, which are not a store).
    let store = stabsim::output::resume::store_dir(&out);
    fs::create_dir_all(&store).unwrap();
    for i in 0..399 {
        fs::write(store.join(format!("rep-{i:08}.bin")), b"").unwrap();
    }
    let o = under_prlimit(limit, &as_refs(&big(&["--resume"]))).unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        !err.contains("CPU time"),
        "the 399 kept were charged: {err}"
    );
    assert!(err.contains("state.json"), "{err}");
    let o = under_prlimit(limit, &as_refs(&big(&[]))).unwrap();
    assert!(stderr(&o).contains("CPU time"), "{}", stderr(&o));
    fs::remove_dir_all(&store).unwrap();
    // One replicate's shard fits, and runs.
    let o = under_prlimit(limit, &as_refs(&big(&["--shard", "0/400"]))).unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // `timing` times one replicate, whatever the scenario's batch.
    let o = under_prlimit(
        limit,
        &[
            "timing",
            "scenarios/gaza/baseline.toml",
            "--ticks",
            "50",
            "--set",
            "run.replicates=100000",
        ],
    )
    .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// `args` as `&str`s.
#[cfg(target_os = "linux")]
fn as_refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}
