//! Golden outputs: a short run of each Mesa-matched scenario must produce
//! exactly these bytes. Any change to the rules, the random streams or the
//! output format shows up here; if the change is intended, update the hashes
//! (and say why in the commit), since it changes every published result.

use std::process::Command;

use stabsim::output::sha256_hex;

fn run_hashes(scenario: &str) -> (String, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args([
            "run",
            scenario,
            "--replicates",
            "3",
            "--ticks",
            "120",
            "--quiet",
            "--out",
        ])
        .arg(tmp.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hash = |name: &str| sha256_hex(&std::fs::read(tmp.path().join(name)).unwrap());
    (
        hash("timeseries.csv"),
        hash("runs.csv"),
        hash("summary.csv"),
    )
}

#[test]
fn mesa_app_default_outputs_are_pinned() {
    let (ts, runs, summary) = run_hashes("scenarios/epstein/mesa_app_default.toml");
    assert_eq!(
        ts,
        "321c6d15e8055171a1399b448e82f1696716ba7e038d51cb9f66ec2cee3d4498"
    );
    assert_eq!(
        runs,
        "ec85596a7788ab0896360f2b823ecbc19116d98cc902d9cae1e87bef20fed8af"
    );
    assert_eq!(
        summary,
        "5b9655f361206b230a78b7fabf5a9c1d658b1be0be9efa77c6e335998ea2315b"
    );
}

#[test]
fn netlogo_rebellion_outputs_are_pinned() {
    let (ts, runs, summary) = run_hashes("scenarios/epstein/netlogo_rebellion.toml");
    assert_eq!(
        ts,
        "904db3d8058fda40ab02304c781580f37de8a3fd2d68b595ffa4f67add12aa6c"
    );
    assert_eq!(
        runs,
        "d3e4082c75bd90664ca8d91f18a86e5021ec0e444936d4708ff85791e98b8fb3"
    );
    assert_eq!(
        summary,
        "3b1797dbaf04ebed594bb3969a2d66efcea0de006f8405c6ed625251831b47d5"
    );
}
