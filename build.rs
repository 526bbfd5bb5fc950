//! Records the git commit stabsim is built from, for `manifest.json`, and
//! embeds the shipped scenario pack (every file under `scenarios/`), so that
//! an installed binary runs the shipped scenarios from any folder.
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    embed_pack();
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

/// Writes `$OUT_DIR/pack.rs`: `PACK_FILES`, every file under `scenarios/`
/// as (path relative to `scenarios/` with `/` separators, text), sorted by
/// path. A build script rather than a crate (`include_dir`): cargo reruns it
/// when any file under `scenarios/` is added, removed or edited.
fn embed_pack() {
    println!("cargo:rerun-if-changed=scenarios");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code =
        String::from("/// Every file of the shipped pack: (path below `scenarios/`, text).\n");
    code.push_str("pub static PACK_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&root).expect("below scenarios/");
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            name.join("/"),
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("pack.rs");
    std::fs::write(out, code).expect("write pack.rs");
}

/// The text files below `dir` (hidden files skipped), recursively.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .is_some_and(|x| ["toml", "txt", "csv", "md"].contains(&&*x.to_string_lossy()))
        {
            out.push(path);
        }
    }
}
