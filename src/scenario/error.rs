//! Located scenario errors.

use std::fmt;

/// Where in the input a problem is: a file (or `--set`), and a line and
/// column when there is one (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// File path as the user gave it, or `--set` for a command-line override.
    pub file: String,
    /// 1-based line, if known.
    pub line: Option<usize>,
    /// 1-based column, if known.
    pub col: Option<usize>,
}

impl Location {
    /// A whole file, without line or column.
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            col: None,
        }
    }

    /// A line and column (both 1-based) in `file`.
    pub fn at(file: impl Into<String>, line: usize, col: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            col: Some(col),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One step of a [`FieldPath`]: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSegment {
    /// A key in a table.
    Key(String),
    /// A 0-based index in an array.
    Index(usize),
}

/// The path of a field from the top of the scenario, e.g. `citizens.vision`
/// or `cops.reductions[1].tick`. Displayed the way it is written in TOML:
/// keys that are not bare (such as legend characters) are quoted, so
/// `world.legend."."`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldPath(pub Vec<PathSegment>);

impl FieldPath {
    /// The path of the given keys, e.g. `FieldPath::keys(&["run", "ticks"])`.
    pub fn keys(keys: &[&str]) -> Self {
        Self(
            keys.iter()
                .map(|k| PathSegment::Key((*k).to_string()))
                .collect(),
        )
    }

    /// This path with one more key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.to_string()));
        Self(segments)
    }

    /// This path with one more array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        Self(segments)
    }

    /// The last key of the path, if it ends with a key.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(PathSegment::Key(k)) => Some(k),
            _ => None,
        }
    }
}

/// Whether `key` can be written bare in TOML (else it must be quoted).
fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Index(index) => write!(f, "[{index}]")?,
                PathSegment::Key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if is_bare_key(key) {
                        f.write_str(key)?;
                    } else {
                        // Debug quoting escapes control characters, which
                        // keeps the message on one line.
                        write!(f, "{key:?}")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// An I/O error's reason without the `(os error N)` suffix, so that messages
/// read the same on every platform: `No such file or directory`.
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// `text` with control characters (newlines above all) escaped, so that a
/// message built from user input stays on one line.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Everything that can be wrong with a scenario. Displayed as one line.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// A file could not be read.
    #[error("{file}: cannot read: {reason}", reason = io_reason(source))]
    Io {
        /// The path as given.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid TOML.
    #[error("{location}: TOML syntax: {message}")]
    Syntax {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A field is unknown, has the wrong type, or is out of range.
    #[error("{location}: field {field}: {message}")]
    Field {
        /// Where the offending key or value is.
        location: Location,
        /// Dotted path, e.g. `citizens.vision`.
        field: String,
        /// What is wrong, ending with `(expected …)` where that helps.
        message: String,
    },
    /// `extends` forms a cycle.
    #[error(
        "{location}: field extends: cycle: {chain} (expected a chain of files that ends in one without `extends`)"
    )]
    ExtendsCycle {
        /// The `extends` that closes the cycle.
        location: Location,
        /// The files in the cycle, `a.toml -> b.toml -> a.toml`.
        chain: String,
    },
}

impl ScenarioError {
    /// A [`ScenarioError::Field`], with the field and message kept on one line.
    pub fn field(location: Location, field: &FieldPath, message: &str) -> Self {
        Self::Field {
            location,
            field: one_line(&field.to_string()),
            message: one_line(message),
        }
    }

    /// Where the error is, when it has a location (all but [`ScenarioError::Io`]).
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::Io { .. } => None,
            Self::Syntax { location, .. }
            | Self::Field { location, .. }
            | Self::ExtendsCycle { location, .. } => Some(location),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_display_as_toml_keys() {
        let path = FieldPath::keys(&["cops", "reductions"])
            .index(2)
            .key("tick");
        assert_eq!(path.to_string(), "cops.reductions[2].tick");
        let legend = FieldPath::keys(&["world", "legend", "."]);
        assert_eq!(legend.to_string(), "world.legend.\".\"");
    }

    #[test]
    fn io_reason_drops_the_os_error_number() {
        let error = std::io::Error::from_raw_os_error(2);
        assert!(!io_reason(&error).contains("os error"));
    }

    #[test]
    fn one_line_escapes_newlines() {
        assert_eq!(one_line("a\nb"), "a\\nb");
    }

    #[test]
    fn location_display_omits_missing_parts() {
        assert_eq!(Location::file("a.toml").to_string(), "a.toml");
        assert_eq!(Location::at("a.toml", 3, 7).to_string(), "a.toml:3:7");
    }
}
