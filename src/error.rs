//! The library's error type for failures that stop a command (exit 2): the repository cannot
//! be read, the configuration is wrong, a file cannot be written. Problems with the content
//! itself are not errors but `Diagnostic`s, collected and reported together.

use std::path::PathBuf;

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The repository cannot be opened or read in the state it is in.
    #[error("{0}")]
    Repository(String),
    /// `casebook.toml` (or `--config`) is wrong.
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The revision itself cannot be built whatever is retried: it has no knowledge folder, or
    /// a template in it is a link, too large or not UTF-8. Another commit fixes it.
    #[error("{0}")]
    Content(String),
    /// The site cannot be rendered (a broken template override); nothing was written.
    #[error("{0}")]
    Render(String),
    /// A file or folder cannot be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the same build may succeed if tried again unchanged: the repository or a file
    /// could not be read or written (busy, moved, a full disk). A fault in the commit itself (its
    /// content, templates or configuration) is not transient.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Repository(_) | Error::Io { .. } => true,
            Error::Config { .. } | Error::Content(_) | Error::Render(_) => false,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
