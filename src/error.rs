//! The library's error type for failures that stop a command (exit 2): the repository cannot
//! be read, the configuration is wrong, a file cannot be written. Problems with the content
//! itself are not errors but `Diagnostic`s, collected and reported together.

use std::path::PathBuf;

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The repository, a revision or the working tree cannot be read (the cause says whether
    /// trying again may succeed).
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
    /// `casebook.toml` (or `--config`) is wrong or cannot be read.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// `build --output-dir` was given a folder it did not write, whose files it would delete.
    #[error(
        "{} holds files that `casebook build` did not write; choose a new or empty folder (the build deletes files it no longer produces)",
        .0.display()
    )]
    ForeignFolder(PathBuf),
    /// The periodic report cannot be made for the period asked for.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A briefing or report cannot be typeset as a PDF.
    #[error("the {what} cannot be typeset as a PDF: {message}")]
    Typeset {
        /// `briefing`, `report`.
        what: &'static str,
        /// What the typesetter said.
        message: String,
    },
    /// This build of Casebook was made without the PDF engine (the `pdf` feature).
    #[error(
        "this casebook was built without the PDF engine (the `pdf` feature), so the {0} cannot be made as a PDF: use --format html"
    )]
    NoPdfEngine(&'static str),
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
            Error::Load(e) => e.is_transient(),
            Error::Index(e) => e.is_transient(),
            Error::Io { source, .. } => !matches!(
                source.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput
            ),
            Error::Config(e) => e.is_transient(),
            Error::ForeignFolder(_)
            | Error::Report(_)
            | Error::Typeset { .. }
            | Error::NoPdfEngine(_)
            | Error::Render(_) => false,
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

/// Why a periodic report cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period starts after today.
    #[error("the period {0} has not started yet")]
    NotStarted(String),
    /// Every commit is later than the period's end.
    #[error("the repository has no commit before the end of {0}: nothing to report")]
    NothingBefore(String),
    /// The public infographic's disclosure audit did not pass.
    #[error(
        "the disclosure audit could not prove every hidden count of the period's infographic safe: the report is not released"
    )]
    AuditFailed,
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
        let moved = crate::load::LoadError::NotARepository(PathBuf::from("/srv/kb"));
        assert!(Error::from(moved).is_transient());
        let no_folder = crate::load::LoadError::NoKnowledgeFolder {
            dir: "knowledge".into(),
            place: "commit 1a2b3c4".into(),
        };
        assert!(!Error::from(no_folder).is_transient());
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
