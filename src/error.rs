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
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    /// The search index cannot be written: another build holds it, or a file operation or
    /// tantivy failed (a damaged index is rebuilt by the build itself, never reported here).
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// A file or folder cannot be read or written (the cause is the error's `source`, so a
    /// report that prints the chain shows it once).
    #[error("{}", path.display())]
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
            Error::Repository(_) | Error::Io { .. } | Error::Index(_) => true,
            Error::Config { .. } | Error::Content(_) | Error::Render(_) => false,
        }
    }

    /// The error and its causes on one line (`public/x.html: No space left on device (os error
    /// 28)`), as `{:#}` of anyhow shows it.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            let text = e.to_string();
            if !out.ends_with(&text) {
                out.push_str(": ");
                out.push_str(&text);
            }
            cause = e.source();
        }
        out
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The rebuild loop retries what may pass and not what is wrong in the commit.
    #[test]
    fn transient_errors_are_told_from_faults_in_the_commit() {
        let busy = Error::from(crate::index::IndexError::Busy(PathBuf::from("index")));
        assert!(busy.is_transient());
        assert!(busy.to_string().starts_with("index busy"), "{busy}");
        assert!(Error::Repository("moved".into()).is_transient());
        assert!(!Error::Content("no `knowledge/` folder".into()).is_transient());
        let template = Error::from(crate::render::RenderError::Template {
            name: "page.html".into(),
            line: 3,
            message: "unexpected end".into(),
        });
        assert!(!template.is_transient());
        assert_eq!(
            template.to_string(),
            "template page.html, line 3: unexpected end"
        );
    }
}
