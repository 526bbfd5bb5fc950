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
        "18c7fe1e4804a611853f7742458c83c899afd37ce8ff802769990dd536586d52"
    );
    assert_eq!(
        runs,
        "647179d44b21214125d22c81976b3e148fc30c69c53e69cb7523eac699d2860d"
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
        "c5e3db34a42211cbe673d50b8332fb219c403fd19f24a5e545be8a4c0918e863"
    );
    assert_eq!(
        runs,
        "2125c018ac31ca18ad964f1415e08b91d2f4f2aa8f68c7f179fb8315e444820b"
    );
    assert_eq!(
        summary,
        "3b1797dbaf04ebed594bb3969a2d66efcea0de006f8405c6ed625251831b47d5"
    );
}
