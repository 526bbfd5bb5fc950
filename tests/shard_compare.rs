//! A comparison beyond one machine, as a user meets it: `compare --shard
//! K/N` + `stabsim merge` gives the comparison folder of one single-machine
//! run (every scenario's files, tables, report and charts; the manifests'
//! wall times aside), a killed shard resumes, and mismatched, duplicated or
//! missing shards are refused with a located message and exit 2.

mod common;

use common::{all_bytes, ok, refused};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small Gaza comparison of three mandates (maps, charts, report).
fn comparison(out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/force_large.toml",
        "scenarios/gaza/posture_community.toml",
        "--replicates",
        "5",
        "--ticks",
        "16",
        "--map-days",
        "16",
        "--threads",
        "1",
        "--seed",
        "3",
        "--quiet",
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(["--out".to_string(), out.display().to_string()]);
    args
}

fn merge_args(dirs: &[PathBuf], out: &Path) -> Vec<String> {
    let mut args = vec!["merge".to_string()];
    args.extend(dirs.iter().map(|d| d.display().to_string()));
    args.extend([
        "--out".to_string(),
        out.display().to_string(),
        "--threads".to_string(),
        "1".to_string(),
    ]);
    args
}

/// Runs the comparison (with `extra`) as shards 0..n of n into
/// `<tmp>/s<n>-<k>`, merges them, given in reverse order, into `out`,
/// asserts that the merge is `expected` byte for byte, and removes it.
fn shard_and_merge(
    tmp: &Path,
    n: usize,
    extra: &[&str],
    expected: &BTreeMap<String, Vec<u8>>,
    out: &Path,
) {
    let dirs: Vec<PathBuf> = (0..n)
        .map(|k| {
            let dir = tmp.join(format!("s{n}-{k}"));
            let shard = format!("{k}/{n}");
            let mut args = extra.to_vec();
            args.extend(["--shard", &shard]);
            let o = ok(&comparison(&dir, &args));
            let said = String::from_utf8_lossy(&o.stdout).into_owned();
            assert!(said.contains(&format!("wrote shard {k}/{n}")), "{said}");
            dir
        })
        .rev() // any order
        .collect();
    ok(&merge_args(&dirs, out));
    let differ = differing(expected, &all_bytes(out));
    assert!(differ.is_empty(), "{n} shards: {differ:?} differ");
    fs::remove_dir_all(out).unwrap();
}

/// The files whose bytes differ between two folders (or are in one only).
fn differing(
    expected: &BTreeMap<String, Vec<u8>>,
    merged: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut differ: Vec<String> = expected
        .keys()
        .chain(merged.keys())
        .filter(|f| expected.get(*f) != merged.get(*f))
        .cloned()
        .collect();
    differ.dedup();
    differ
}

/// `compare --columnar --shard K/N` + `stabsim merge`: every scenario's
/// `timeseries.parquet` is the single-machine file, byte for byte, as are
/// all the other files.
#[test]
fn merged_columnar_comparison_shards_write_the_single_machine_parquet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    ok(&comparison(&out, &["--columnar"]));
    let expected = all_bytes(&out);
    assert!(
        expected.contains_key("gaza_baseline/timeseries.parquet"),
        "{:?}",
        expected.keys()
    );
    fs::rename(&out, tmp.path().join("single")).unwrap();
    let dirs: Vec<PathBuf> = (0..2)
        .map(|k| {
            let dir = tmp.path().join(format!("s{k}"));
            ok(&comparison(
                &dir,
                &["--columnar", "--shard", &format!("{k}/2")],
            ));
            dir
        })
        .collect();
    ok(&merge_args(&dirs, &out));
    let differ = differing(&expected, &all_bytes(&out));
    assert!(differ.is_empty(), "{differ:?} differ");
}

#[test]
fn merged_comparison_shards_are_the_bytes_of_a_single_machine_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    // The single-machine comparison and the merges write to the same path
    // (moved aside in between), so the recorded commands match too.
    let out = tmp.path().join("cmp");
    ok(&comparison(&out, &[]));
    let expected = all_bytes(&out);
    for f in [
        "report.html",
        "moe.csv",
        "comparison.json",
        "gaza_baseline/frames.csv",
    ] {
        assert!(expected.contains_key(f), "{f}: {:?}", expected.keys());
    }
    let single = tmp.path().join("single");
    fs::rename(&out, &single).unwrap();
    for n in [2, 3] {
        shard_and_merge(tmp.path(), n, &[], &expected, &out);
    }

    // A shard killed mid-way resumes; the merge is then the same.
    let killed = tmp.path().join("killed");
    let args = comparison(&killed, &["--shard", "1/2"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while stabsim::output::resume::kept_count(&killed) < 2
        && Instant::now() < deadline
        && child.try_wait().unwrap().is_none()
    {
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    child.wait().unwrap();
    let s = |n: usize, k: usize| tmp.path().join(format!("s{n}-{k}"));
    if !killed.join("shard.json").exists() {
        refused(
            &merge_args(&[s(2, 0), killed.clone()], &out),
            "unfinished one completes with the same command and --resume",
        );
    }
    let mut resumed = args.clone();
    resumed.push("--resume".into());
    ok(&resumed);
    ok(&merge_args(&[s(2, 0), killed], &out));
    assert!(all_bytes(&out) == expected, "after a resumed shard");

    // Missing, duplicated and mismatched shards are refused, located.
    let bad = tmp.path().join("bad");
    refused(&merge_args(&[s(3, 0), s(3, 1)], &bad), "shard 2/3 missing");
    refused(
        &merge_args(&[s(3, 0), s(3, 1), s(3, 2), s(3, 1)], &bad),
        "given twice",
    );
    refused(&merge_args(&[s(3, 0), s(3, 1), s(2, 0)], &bad), "shard 0/2");
    let other = tmp.path().join("other-seed");
    let mut args = comparison(&other, &["--shard", "2/3"]);
    let seed = args.iter().position(|a| a == "--seed").unwrap();
    args[seed + 1] = "4".into();
    ok(&args);
    refused(&merge_args(&[s(3, 0), s(3, 1), other], &bad), "seed 4");
    fs::remove_file(s(3, 2).join("gaza_force_large/rep-00000002.bin")).unwrap();
    refused(
        &merge_args(&[s(3, 0), s(3, 1), s(3, 2)], &bad),
        "replicate 2 is missing",
    );
    assert!(!bad.exists(), "a refused merge wrote outputs");
}

/// Two uncertain parameters, 4 points of a Latin hypercube.
const DESIGN: &str =
    "4:mission.civilians.trust_harm_loss,mission.civilians.rumour_weight=0.03:0.09";

/// `compare --uncertain DESIGN --shard K/N` + `stabsim merge`: the folder
/// of one single-machine comparison with its robustness run (uncertain.csv,
/// robustness.csv, prim.csv, the report's section), byte for byte, with 2
/// and 3 shards; a shard resumes its kept design points; shards of
/// different designs, or with and without --uncertain, are refused, located.
#[test]
fn merged_uncertain_comparison_shards_are_the_bytes_of_a_single_machine_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    ok(&comparison(&out, &["--uncertain", DESIGN]));
    let expected = all_bytes(&out);
    for f in ["uncertain.csv", "robustness.csv", "prim.csv", "report.md"] {
        assert!(expected.contains_key(f), "{f}: {:?}", expected.keys());
    }
    let md = String::from_utf8_lossy(&expected["report.md"]).into_owned();
    assert!(
        md.contains("## Robustness over the plausible space"),
        "{md}"
    );
    fs::rename(&out, tmp.path().join("single")).unwrap();
    let s = |n: usize, k: usize| tmp.path().join(format!("s{n}-{k}"));
    for n in [2, 3] {
        shard_and_merge(tmp.path(), n, &["--uncertain", DESIGN], &expected, &out);
    }

    // Points are dealt round robin, every arm of a point to one shard:
    // shard 1/3 holds point 1 of every arm, and only it.
    let points = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("point-"))
            .collect();
        names.sort();
        names
    };
    let arms = s(3, 1).join("uncertain-points");
    let mut arm_dirs: Vec<PathBuf> = fs::read_dir(&arms)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    arm_dirs.sort();
    assert_eq!(arm_dirs.len(), 3, "{arm_dirs:?}");
    for d in &arm_dirs {
        assert_eq!(points(d), ["point-00000001.bin"], "{}", d.display());
    }

    // A lost design point is missing at the merge, located; the shard's
    // command with --resume runs it again, and the merge is the same.
    fs::remove_file(arm_dirs[1].join("point-00000001.bin")).unwrap();
    let bad = tmp.path().join("bad");
    let three = [s(3, 0), s(3, 1), s(3, 2)];
    refused(&merge_args(&three, &bad), "design point 1 is missing");
    let mut resumed = comparison(&s(3, 1), &["--uncertain", DESIGN, "--shard", "1/3"]);
    resumed.push("--resume".into());
    ok(&resumed);
    ok(&merge_args(&three, &out));
    assert!(all_bytes(&out) == expected, "after a resumed shard");

    // Shards of another design, or of the comparison without --uncertain,
    // are not shards of this one.
    let other = tmp.path().join("other-design");
    ok(&comparison(
        &other,
        &[
            "--uncertain",
            "4:mission.civilians.trust_harm_loss",
            "--shard",
            "2/3",
        ],
    ));
    refused(
        &merge_args(&[s(3, 0), s(3, 1), other], &bad),
        "--uncertain over 4 points (design SHA-256",
    );
    let plain = tmp.path().join("plain");
    ok(&comparison(&plain, &["--shard", "2/3"]));
    refused(
        &merge_args(&[s(3, 0), s(3, 1), plain], &bad),
        "expected shards of one comparison",
    );
    assert!(!bad.exists(), "a refused merge wrote outputs");
}
