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

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
