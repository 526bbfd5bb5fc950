//! `stabsim scenarios`: the shipped pack, listed one line per scenario and
//! comparison file, and exported to a folder to edit.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use stabsim::compare::ComparisonFile;
use stabsim::scenario::pack;

/// What a file of the pack is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A scenario (a TOML file with a `name`).
    Scenario,
    /// A comparison file (a TOML file with a `scenarios` list).
    Comparison,
}

/// One runnable file of the pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Its shipped name, e.g. `gaza/baseline`.
    pub name: String,
    /// Scenario or comparison.
    pub kind: Kind,
    /// Its description (a scenario's `description`, a comparison file's
    /// first comment sentence).
    pub title: String,
}

/// Every scenario and comparison file of the pack, by name. Other files
/// (maps, the validation suite's tables) are what these refer to.
pub fn listing() -> Vec<Listed> {
    let mut out = Vec::new();
    for (path, text) in pack::files() {
        let Some(name) = path.strip_suffix(".toml") else {
            continue;
        };
        let Ok(table) = toml::from_str::<toml::Table>(text) else {
            continue;
        };
        let (kind, title) = if ComparisonFile::is_comparison(text) {
            (Kind::Comparison, first_comment_sentence(text))
        } else if table.contains_key("name") {
            let description = table
                .get("description")
                .and_then(toml::Value::as_str)
                .unwrap_or_default();
            (Kind::Scenario, description.to_string())
        } else {
            continue;
        };
        out.push(Listed {
            name: name.to_string(),
            kind,
            title,
        });
    }
    out
}

/// The first sentence of the comment block a file opens with.
fn first_comment_sentence(text: &str) -> String {
    let comment: Vec<&str> = text
        .lines()
        .map_while(|l| l.strip_prefix('#'))
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let joined = comment.join(" ");
    match joined.find(". ") {
        Some(end) => joined[..=end].to_string(),
        None => joined,
    }
}

/// The listing as printed: aligned names, one line each, comparisons
/// after scenarios, and how to use a name.
pub fn render(list: &[Listed], width: usize) -> String {
    let name_width = list.iter().map(|l| l.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (kind, heading) in [
        (Kind::Scenario, "Scenarios"),
        (Kind::Comparison, "Comparison files (stabsim compare NAME)"),
    ] {
        out.push_str(heading);
        out.push_str(":\n");
        for l in list.iter().filter(|l| l.kind == kind) {
            let room = width.saturating_sub(name_width + 4).max(20);
            out.push_str(&format!(
                "  {:<name_width$}  {}\n",
                l.name,
                shorten(&l.title, room)
            ));
        }
    }
    out.push_str(
        "\nEvery subcommand takes these names where it takes a file (a real file of the\n\
         same name wins); a folder name (e.g. gaza) runs the whole folder.\n\
         `stabsim scenarios export DIR` writes the pack out to edit.\n",
    );
    out
}

/// `text` cut to `room` characters at most, with an ellipsis.
fn shorten(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_string();
    }
    let cut: String = text.chars().take(room.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Why an export failed: a bad destination (exit 2) or a write error.
#[derive(Debug)]
pub enum ExportError {
    /// The destination holds files the export would overwrite, or is not
    /// a folder.
    BadInput(String),
    /// Writing failed.
    Io(String),
}

/// Writes every file of the pack under `dir` (created if needed), laid
/// out as in the repository's `scenarios/`, so relative `extends` and map
/// paths keep working. Refuses to overwrite any existing file unless
/// `force`; checks every file before writing any.
pub fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>, ExportError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ExportError::BadInput(format!(
            "{}: not a folder (expected a folder to export the pack into)",
            dir.display()
        )));
    }
    let targets: Vec<(PathBuf, &str)> = pack::files()
        .iter()
        .map(|(p, text)| {
            (
                dir.join(p.replace('/', std::path::MAIN_SEPARATOR_STR)),
                *text,
            )
        })
        .collect();
    if !force {
        let existing: Vec<&PathBuf> = targets
            .iter()
            .map(|(p, _)| p)
            .filter(|p| p.exists())
            .collect();
        if let Some(first) = existing.first() {
            return Err(ExportError::BadInput(format!(
                "{}: already exists ({} of the pack's {} files do; expected an empty or new \
                 folder, or --force to overwrite them)",
                first.display(),
                existing.len(),
                targets.len()
            )));
        }
    }
    let io = |path: &Path, e: std::io::Error| ExportError::Io(format!("{}: {e}", path.display()));
    for (path, text) in &targets {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        let mut file = fs::File::create(path).map_err(|e| io(path, e))?;
        file.write_all(text.as_bytes()).map_err(|e| io(path, e))?;
    }
    Ok(targets.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_names_every_shipped_scenario_with_its_description() {
        let list = listing();
        let base = list.iter().find(|l| l.name == "gaza/baseline").unwrap();
        assert_eq!(base.kind, Kind::Scenario);
        assert!(base.title.starts_with("Stylized Gaza Strip"));
        let cmp = list
            .iter()
            .find(|l| l.name == "comparisons/gaza_posture_and_size")
            .unwrap();
        assert_eq!(cmp.kind, Kind::Comparison);
        assert!(cmp.title.starts_with("A named comparison"), "{}", cmp.title);
        // The validation suite's table is not a scenario.
        assert!(list.iter().all(|l| l.name != "validation/facts"));
        let text = render(&list, 100);
        assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    }

    #[test]
    fn export_refuses_to_overwrite_unless_forced() {
        let tmp = tempfile::tempdir().unwrap();
        let written = export(tmp.path(), false).unwrap();
        assert!(tmp.path().join("gaza/baseline.toml").is_file());
        assert!(tmp.path().join("maps/gaza.txt").is_file());
        assert_eq!(written.len(), pack::files().len());
        assert!(matches!(
            export(tmp.path(), false),
            Err(ExportError::BadInput(_))
        ));
        assert!(export(tmp.path(), true).is_ok());
    }
}
