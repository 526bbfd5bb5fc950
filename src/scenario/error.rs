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

/// Everything that can be wrong with a scenario. Displayed as one line.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// A file could not be read.
    #[error("{file}: cannot read: {source}")]
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
    #[error("{location}: field extends: cycle: {chain}")]
    ExtendsCycle {
        /// The `extends` that closes the cycle.
        location: Location,
        /// The files in the cycle, `a.toml -> b.toml -> a.toml`.
        chain: String,
    },
}
