//! Helpers shared by the integration tests: running the `stabsim` binary
//! and reading what it wrote. Each test binary uses only some of them.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// The repository root, where the tests run `stabsim`.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `stabsim` binary with `args` in the repository root.
pub fn stabsim<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("stabsim runs")
}

/// What a run printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Bytes as text (lossy).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `stabsim` and asserts that it succeeded.
pub fn ok(args: &[String]) -> Output {
    let o = stabsim(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    o
}

/// Runs `stabsim` and asserts that it refused with exit 2 and one message
/// containing `needle`.
pub fn refused(args: &[String], needle: &str) {
    let o = stabsim(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let msg = stderr(&o);
    assert!(msg.contains(needle), "{needle}: {msg}");
    assert_eq!(msg.trim_end().lines().count(), 1, "one message: {msg}");
}

/// A CSV file's rows, its header first.
pub fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut out = vec![r.headers().unwrap().iter().map(String::from).collect()];
    out.extend(
        r.records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect()),
    );
    out
}

/// Starts the `stabsim` binary with `args` in the repository root, its
/// stdout discarded and its stderr piped.
pub fn spawn<S: AsRef<OsStr>>(args: &[S]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stabsim starts")
}

/// Every file under `dir` (paths relative to it, `/`-separated) and its
/// bytes, a manifest's without its `wall_seconds` (wall times differ
/// between any two runs: everything else counts).
pub fn all_bytes(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            for (n, b) in all_bytes(&p) {
                files.insert(format!("{name}/{n}"), b);
            }
        } else if name.ends_with("manifest.json") {
            let mut m: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            if let Some(o) = m.as_object_mut() {
                o.remove("wall_seconds");
            }
            files.insert(name, m.to_string().into_bytes());
        } else {
            files.insert(name, std::fs::read(&p).unwrap());
        }
    }
    files
}
