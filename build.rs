//! Records the git commit stabsim is built from, for `manifest.json`.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/index");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    // A source edit after the last commit makes the tree dirty.
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-env-changed=STABSIM_GIT_COMMIT");
    if std::env::var("STABSIM_GIT_COMMIT").is_ok() {
        return;
    }
    let run = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if let Some(commit) = run(&["rev-parse", "--short=12", "HEAD"]) {
        let dirty =
            run(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
        let suffix = if dirty { "+dirty" } else { "" };
        println!("cargo:rustc-env=STABSIM_GIT_COMMIT={commit}{suffix}");
    }
}
