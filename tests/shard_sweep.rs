//! Sweeps and sensitivity analyses beyond one machine and across
//! interruptions, as a user meets them: `--resume` after Ctrl-C or
//! `kill -9` at random instants ends with the bytes of an uninterrupted
//! run (any thread count); `--shard K/N` + `stabsim merge` gives the bytes
//! of a single-machine run (every file; the manifest's command aside);
//! mismatched, duplicated, missing or unfinished shards are refused with a
//! located message and exit 2.

mod common;

use common::{ok, refused, spawn, stderr};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const EPSTEIN: &str = "scenarios/epstein/mesa_app_default.toml";
const GAZA: &str = "scenarios/gaza/baseline.toml";

/// A 16-point Latin hypercube on the Epstein model (2 replicates of 200
/// ticks each; some measures undefined at some runs), with two transformed
/// measures (which a merge and a resume must write too).
fn epstein_sweep(out: &Path, threads: &str, extra: &[&str]) -> Vec<String> {
    let mut args = words(&[
        "sweep",
        EPSTEIN,
        "--lhs",
        "16",
        "citizens.vision=2:6",
        "legitimacy.initial=0.5:0.9",
        "-n",
        "2",
        "--ticks",
        "200",
        "--seed",
        "5",
        "--threads",
        threads,
        "-q",
        "--outputs",
        "log1p:peak_active,censored:first_outburst_tick",
        "--out",
    ]);
    args.push(out.display().to_string());
    args.extend(words(extra));
    args
}

/// A small Sobol analysis of the Gaza baseline (2 x 4 points, charts).
fn gaza_sobol(out: &Path, threads: &str, extra: &[&str]) -> Vec<String> {
    let mut args = words(&[
        "sensitivity",
        GAZA,
        "--method",
        "sobol",
        "--params",
        "mission.mandate.force_scale=0.5:2",
        "citizens.vision=2:6",
        "-N",
        "2",
        "-n",
        "2",
        "--ticks",
        "12",
        "--threads",
        threads,
        "-q",
        "--out",
    ]);
    args.push(out.display().to_string());
    args.extend(words(extra));
    args
}

/// Every file of a folder, by name.
fn all_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect()
}

/// Every file's bytes; the manifest without the command it records (a
/// shard's differs in its --out).
fn outputs_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = all_bytes(dir);
    let mut m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    m.as_object_mut().unwrap().remove("command");
    files.insert("manifest.json".into(), m.to_string().into_bytes());
    files
}

/// A small xorshift generator: the kill instants, printed on failure.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        Rng(u64::from(nanos) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn kept(store: &Path) -> usize {
    stabsim::sweep::store::kept_count(store)
}

/// Waits until `store` holds `n` points (or the child ends).
fn wait_for_kept(child: &mut Child, store: &Path, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while kept(store) < n && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Starts `args`, kills it (SIGKILL or SIGINT) once `store` holds a random
/// number of points and a random delay has passed; returns what happened.
fn kill_at_random(args: &[String], store: &Path, points: usize, rng: &mut Rng) -> String {
    let mut child = spawn(args);
    let at = rng.below(points as u64) as usize;
    let delay = Duration::from_millis(rng.below(40));
    let sig = if rng.below(2) == 0 { "-KILL" } else { "-INT" };
    wait_for_kept(&mut child, store, at);
    std::thread::sleep(delay);
    let _ = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status();
    let o = child.wait_with_output().unwrap();
    let msg = stderr(&o);
    if o.status.code() == Some(130) {
        assert!(
            msg.contains("interrupted")
                && msg.contains("finished design points are kept in")
                && msg.contains("Resume with:")
                && msg.contains("--resume"),
            "{msg}"
        );
    }
    format!(
        "{sig} after {at} points + {delay:?} (exit {:?}, {} kept)",
        o.status.code(),
        kept(store)
    )
}

#[test]
fn an_interrupted_sweep_resumes_to_the_bytes_of_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    // Every run writes to the same path, so the recorded commands match.
    let out = tmp.path().join("out");
    let store = stabsim::output::resume::store_dir(&out);
    let mut rng = Rng::new();
    let mut first: Option<BTreeMap<String, Vec<u8>>> = None;
    for threads in ["1", "2"] {
        ok(&epstein_sweep(&out, threads, &[]));
        let expected = all_bytes(&out);
        assert!(!store.exists(), "the kept points outlive the outputs");
        // The same bytes with any thread count (the command line aside).
        let same = outputs_of(&out);
        assert!(
            first.get_or_insert_with(|| same.clone()) == &same,
            "threads {threads}"
        );
        fs::remove_dir_all(&out).unwrap();
        for round in 0..3 {
            let args = epstein_sweep(&out, threads, &[]);
            let mut resumed = args.clone();
            resumed.push("--resume".into());
            // Killed once or twice (the second time while resuming), then
            // resumed to the end.
            let mut log = vec![kill_at_random(&args, &store, 16, &mut rng)];
            if round > 0 {
                log.push(kill_at_random(&resumed, &store, 16, &mut rng));
            }
            ok(&resumed);
            assert_eq!(
                all_bytes(&out),
                expected,
                "threads {threads}, round {round}: {log:?}"
            );
            assert!(!store.exists(), "the kept points outlive the outputs");
            fs::remove_dir_all(&out).unwrap();
        }
    }
}

#[test]
fn an_interrupted_sensitivity_analysis_resumes_to_the_same_indices_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sobol");
    let store = stabsim::output::resume::store_dir(&out);
    ok(&gaza_sobol(&out, "2", &[]));
    let expected = all_bytes(&out);
    assert!(expected.contains_key("sobol_civilian_deaths.png"));
    fs::remove_dir_all(&out).unwrap();
    let mut rng = Rng::new();
    let args = gaza_sobol(&out, "1", &[]);
    let log = kill_at_random(&args, &store, 8, &mut rng);
    ok(&gaza_sobol(&out, "2", &["--resume"]));
    // The thread count is not recorded in the bytes that matter: compare
    // all but the manifest's command.
    assert_eq!(outputs_of(&out), outputs_of_map(expected), "{log}");
    // A resume of another design is refused, and loses nothing kept.
    fs::remove_dir_all(&out).unwrap();
    let mut child = spawn(&args);
    wait_for_kept(&mut child, &store, 1);
    let _ = child.kill();
    child.wait().unwrap();
    // (Unless the run finished before the kill: nothing is kept then.)
    if store.exists() {
        let before = kept(&store);
        let other = gaza_sobol(&out, "1", &["--resume", "--seed", "6"]);
        refused(&other, "state.json");
        assert_eq!(kept(&store), before, "a refused resume lost kept points");
    }
}

/// [`outputs_of`] for bytes already read.
fn outputs_of_map(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let mut m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    m.as_object_mut().unwrap().remove("command");
    files.insert("manifest.json".into(), m.to_string().into_bytes());
    files
}

/// Runs `n` shards of `make` into `<tmp>/<tag><n>-<k>` and returns them.
fn shards(
    tmp: &Path,
    tag: &str,
    n: usize,
    make: &dyn Fn(&Path, &[&str]) -> Vec<String>,
) -> Vec<PathBuf> {
    (0..n)
        .map(|k| {
            let dir = tmp.join(format!("{tag}{n}-{k}"));
            let shard = format!("{k}/{n}");
            let o = ok(&make(&dir, &["--shard", &shard]));
            let said = String::from_utf8_lossy(&o.stdout).into_owned();
            assert!(said.contains(&format!("wrote shard {k}/{n}")), "{said}");
            dir
        })
        .collect()
}

fn merge_args(dirs: &[PathBuf], out: &Path) -> Vec<String> {
    let mut args = vec!["merge".to_string()];
    args.extend(dirs.iter().map(|d| d.display().to_string()));
    args.extend(["--out".to_string(), out.display().to_string()]);
    args
}

#[test]
fn merged_sweep_shards_are_the_bytes_of_a_single_machine_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    ok(&epstein_sweep(&single, "2", &[]));
    let expected = outputs_of(&single);
    for n in [2, 3, 5] {
        let make = |dir: &Path, extra: &[&str]| epstein_sweep(dir, "1", extra);
        let mut dirs = shards(tmp.path(), "s", n, &make);
        dirs.reverse(); // any order
        let merged = tmp.path().join(format!("merged{n}"));
        let o = ok(&merge_args(&dirs, &merged));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("merged sweep: 16 points"),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert_eq!(outputs_of(&merged), expected, "{n} shards");
    }
    // A killed shard resumes; the merge then is the same.
    let dir = tmp.path().join("killed");
    let args = epstein_sweep(&dir, "1", &["--shard", "1/2"]);
    let mut child = spawn(&args);
    wait_for_kept(&mut child, &dir, 2);
    let _ = child.kill();
    child.wait().unwrap();
    let s0 = tmp.path().join("s2-0");
    if !dir.join("shard.json").exists() {
        refused(
            &merge_args(&[s0.clone(), dir.clone()], &tmp.path().join("bad")),
            "unfinished one completes with the same command and --resume",
        );
    }
    let mut resumed = args.clone();
    resumed.push("--resume".into());
    ok(&resumed);
    let merged = tmp.path().join("merged-resumed");
    ok(&merge_args(&[s0, dir], &merged));
    assert_eq!(outputs_of(&merged), expected);

    // Missing, duplicated and mismatched shards are refused, located.
    let s = |k: usize| tmp.path().join(format!("s3-{k}"));
    let bad = tmp.path().join("bad");
    refused(&merge_args(&[s(0), s(1)], &bad), "shard 2/3 missing");
    refused(&merge_args(&[s(0), s(1), s(2), s(1)], &bad), "given twice");
    let other = tmp.path().join("other-seed");
    let mut args = epstein_sweep(&other, "1", &["--shard", "2/3"]);
    let seed = args.iter().position(|a| a == "--seed").unwrap();
    args[seed + 1] = "99".into();
    ok(&args);
    refused(&merge_args(&[s(0), s(1), other], &bad), "seed 99");
    let design = tmp.path().join("other-design");
    let mut args = epstein_sweep(&design, "1", &["--shard", "2/3"]);
    args[3] = "15".into(); // --lhs 15
    ok(&args);
    refused(&merge_args(&[s(0), s(1), design], &bad), "15 points");
    refused(
        &merge_args(&[s(0), s(1), tmp.path().join("s2-0")], &bad),
        "shard 0/2",
    );
    assert!(!bad.exists(), "a refused merge wrote outputs");
    // A shard folder edited after the fact is refused, not merged.
    let tampered = tmp.path().join("s3-2");
    fs::remove_file(tampered.join("point-00000005.bin")).unwrap();
    refused(
        &merge_args(&[s(0), s(1), tampered], &bad),
        "design point 5 is missing",
    );
    refused(
        &epstein_sweep(&bad, "1", &["--shard", "3/3"]),
        "--shard: \"3/3\"",
    );
}

#[test]
fn merged_sensitivity_shards_give_the_indices_and_charts_of_one_machine() {
    let tmp = tempfile::tempdir().unwrap();
    for method in ["sobol", "morris"] {
        let make = |dir: &Path, extra: &[&str]| {
            let mut args = gaza_sobol(dir, "1", extra);
            if method == "morris" {
                let at = args.iter().position(|a| a == "-N").unwrap();
                args.splice(at..at + 2, words(&["--trajectories", "3"]));
                args[3] = "morris".into();
            }
            args
        };
        let single = tmp.path().join(format!("{method}-single"));
        ok(&make(&single, &[]));
        let expected = outputs_of(&single);
        assert!(
            expected.contains_key(&format!("{method}_civilian_deaths.svg"))
                && expected.contains_key("indices.csv"),
            "{:?}",
            expected.keys()
        );
        let dirs = shards(tmp.path(), method, 3, &make);
        let merged = tmp.path().join(format!("{method}-merged"));
        ok(&merge_args(&dirs, &merged));
        assert_eq!(outputs_of(&merged), expected, "{method}");
    }
    // Shards of a sweep and of an analysis are not one job.
    let sweep = tmp.path().join("sweep");
    ok(&epstein_sweep(&sweep, "1", &["--shard", "0/3"]));
    let dirs = [
        tmp.path().join("sobol3-1"),
        tmp.path().join("sobol3-2"),
        sweep,
    ];
    refused(
        &merge_args(&dirs, &tmp.path().join("bad")),
        "expected shards of one sweep",
    );
}
