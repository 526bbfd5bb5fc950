//! The shipped scenario pack, embedded in the binary: every file under the
//! repository's `scenarios/` (scenarios, comparison files, maps), so that an
//! installed `stabsim` runs them from any folder.
//!
//! A file of the pack has a path that starts with [`ROOT`], e.g.
//! `<pack>/gaza/baseline.toml`: it can never be the name of a real file
//! (`<` and `>` are not allowed in Windows file names and no one names a
//! Unix folder so), messages name it plainly, and `extends`, `map` and
//! `sectors` paths inside it resolve within the pack by the usual
//! `parent().join(..)`; [`read`] normalises the `..` away.

use std::path::{Component, Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/pack.rs"));

/// The first component of every path inside the pack.
pub const ROOT: &str = "<pack>";

/// Every file of the pack, sorted by path: (path below `scenarios/` with
/// `/` separators, text).
pub fn files() -> &'static [(&'static str, &'static str)] {
    PACK_FILES
}

/// Whether `path` names something inside the pack.
pub fn is_pack_path(path: &Path) -> bool {
    path.components()
        .next()
        .is_some_and(|c| c.as_os_str() == ROOT)
}

/// `path` below the pack's root, `..` and `.` resolved, a leading
/// `scenarios/` dropped, with `/` separators; `None` outside the pack or when `..` climbs out of it.
fn inner(path: &Path) -> Option<String> {
    if !is_pack_path(path) {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for c in path.components().skip(1) {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => return None,
        }
    }
    // The repository's layout (`<pack>/scenarios/gaza/…`) names the same
    // files, so a root joined with `scenarios/…` paths works.
    if parts.len() > 1 && parts[0] == "scenarios" {
        parts.remove(0);
    }
    Some(parts.join("/"))
}

/// The pack path of `inner` (a path below `scenarios/`).
fn pack_path(inner: &str) -> PathBuf {
    let mut path = PathBuf::from(ROOT);
    path.extend(inner.split('/').filter(|s| !s.is_empty()));
    path
}

/// `path` with `.` and `..` resolved when it is inside the pack (so that
/// messages name `<pack>/maps/gaza.txt`); any other path unchanged.
pub fn normalize(path: &Path) -> PathBuf {
    inner(path).map_or_else(|| path.to_path_buf(), |inner| pack_path(&inner))
}

/// The text of the pack file at `path`, if there is one.
pub fn read(path: &Path) -> Option<&'static str> {
    let inner = inner(path)?;
    PACK_FILES
        .binary_search_by(|(p, _)| (*p).cmp(inner.as_str()))
        .ok()
        .map(|i| PACK_FILES[i].1)
}

/// Whether `path` is a folder of the pack (the root included).
pub fn is_dir(path: &Path) -> bool {
    inner(path).is_some_and(|inner| {
        inner.is_empty()
            || PACK_FILES.iter().any(|(p, _)| {
                p.strip_prefix(inner.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
    })
}

/// The `*.toml` files directly in the pack folder `dir`, `baseline.toml`
/// first, then by name (as for a folder on disk).
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Some(inner) = inner(dir) else {
        return Vec::new();
    };
    let prefix = if inner.is_empty() {
        String::new()
    } else {
        format!("{inner}/")
    };
    let mut found: Vec<&str> = PACK_FILES
        .iter()
        .filter_map(|(p, _)| p.strip_prefix(prefix.as_str()))
        .filter(|rest| !rest.contains('/') && rest.ends_with(".toml"))
        .collect();
    found.sort_by_key(|name| (*name != "baseline.toml", *name));
    found
        .into_iter()
        .map(|name| pack_path(&format!("{prefix}{name}")))
        .collect()
}

/// What a scenario argument names: a real file or folder when one exists
/// at `arg` (a real path always wins), else the shipped scenario, folder or
/// comparison file of that name: `gaza/baseline`, `gaza/baseline.toml`,
/// `gaza`, `comparisons/gaza_posture_and_size`, each also with a leading
/// `scenarios/` (so the repository's paths work from any folder). Anything
/// else comes back unchanged, for the caller's "cannot read" message.
pub fn resolve(arg: &Path) -> PathBuf {
    if arg.exists() || arg.as_os_str().is_empty() || arg.is_absolute() {
        return arg.to_path_buf();
    }
    let written = pack_path(&arg.to_string_lossy().replace('\\', "/"));
    let Some(mut name) = inner(&written) else {
        return arg.to_path_buf();
    };
    if let Some(rest) = name.strip_prefix("scenarios/") {
        name = rest.to_string();
    }
    let candidate = pack_path(&name);
    if read(&candidate).is_some() || (is_dir(&candidate) && !name.is_empty()) {
        return candidate;
    }
    let with_ext = pack_path(&format!("{name}.toml"));
    if read(&with_ext).is_some() {
        return with_ext;
    }
    arg.to_path_buf()
}

/// The shipped name of a pack path: below the root, without `.toml`
/// (`<pack>/gaza/baseline.toml` is `gaza/baseline`).
pub fn name_of(path: &Path) -> Option<String> {
    let inner = inner(path)?;
    Some(inner.strip_suffix(".toml").unwrap_or(&inner).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pack_holds_the_shipped_scenarios_and_maps() {
        assert!(read(Path::new("<pack>/gaza/baseline.toml")).is_some());
        assert!(read(Path::new("<pack>/maps/gaza.txt")).is_some());
        // Relative paths inside the pack resolve within it.
        let map = Path::new("<pack>/gaza/baseline.toml")
            .parent()
            .unwrap()
            .join("../maps/gaza_sectors.txt");
        assert!(read(&map).is_some());
        // Climbing out of the pack reads nothing.
        assert!(read(Path::new("<pack>/../Cargo.toml")).is_none());
        assert!(read(Path::new("gaza/baseline.toml")).is_none());
        assert!(read(Path::new("<pack>/scenarios/epstein/mesa_default.toml")).is_some());
        assert!(is_dir(Path::new("<pack>/gaza")));
        assert!(!is_dir(Path::new("<pack>/gaz")));
        let files = toml_files(Path::new("<pack>/gaza"));
        assert!(files.len() > 5);
        assert_eq!(files[0], Path::new("<pack>/gaza/baseline.toml"));
    }

    #[test]
    fn names_resolve_to_the_pack_unless_a_real_file_exists() {
        let cases = [
            ("gaza/baseline", "<pack>/gaza/baseline.toml"),
            ("gaza/force_small.toml", "<pack>/gaza/force_small.toml"),
            (
                "comparisons/gaza_posture_and_size",
                "<pack>/comparisons/gaza_posture_and_size.toml",
            ),
            (
                "scenarios_that_do_not_exist/x",
                "scenarios_that_do_not_exist/x",
            ),
        ];
        for (arg, want) in cases {
            // Unit tests run in the repository root, where `scenarios/`
            // exists: a real path wins there.
            let got = resolve(Path::new(arg));
            assert_eq!(got, Path::new(want), "{arg}");
        }
        assert_eq!(
            resolve(Path::new("scenarios/gaza/baseline.toml")),
            Path::new("scenarios/gaza/baseline.toml")
        );
        assert_eq!(
            name_of(Path::new("<pack>/gaza/baseline.toml")).as_deref(),
            Some("gaza/baseline")
        );
    }
}
