//! Why the documents could not be read: the repository, a revision, the knowledge folder or a
//! template override. Each failure keeps its cause, and whether trying again may succeed is
//! decided by that cause (`is_transient`).

use std::path::PathBuf;

/// A failure to read the repository or the working tree.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No repository at or above the folder.
    #[error("not a git repository (or any parent up to the root): {}", .0.display())]
    NotARepository(PathBuf),
    /// libgit2's ownership check refused the repository.
    #[error(
        "refusing to open {}: the repository is owned by another user (add it to git's safe.directory if you trust it)",
        .0.display()
    )]
    NotOwned(PathBuf),
    /// A repository without a working tree.
    #[error("{} is a bare repository: casebook needs a clone with a working tree", .0.display())]
    Bare(PathBuf),
    /// `HEAD` has no commit yet.
    #[error("the repository has no commits yet: commit your documents, or use `--worktree`")]
    NoCommits,
    /// A revision that names nothing.
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
    /// A revision that names something other than a commit (a tree, a blob).
    #[error("revision `{0}` is not a commit")]
    NotACommit(String),
    /// The commit or the staging area (`place`) has no knowledge folder `dir`.
    #[error(
        "no `{dir}/` folder in {place}: is this a casebook content repository? (`casebook init` creates one)"
    )]
    NoKnowledgeFolder {
        /// The knowledge folder.
        dir: String,
        /// Where it was looked for: `commit 1a2b3c4`, `the staging area`.
        place: String,
    },
    /// The working tree has no knowledge folder.
    #[error("no `{dir}/` folder in the working tree at {}", root.display())]
    NoWorktreeFolder {
        /// The knowledge folder.
        dir: String,
        /// The working tree.
        root: PathBuf,
    },
    /// A template override that is a link, too large, unreadable or not UTF-8.
    #[error("template `{path}` {why}")]
    Template {
        /// `templates/page.html`.
        path: String,
        /// What is wrong with it.
        why: &'static str,
        /// Whether it was read from a commit (a fault of the commit) or the working tree.
        committed: bool,
    },
    /// `init` was given a branch name git refuses.
    #[error("`{0}` is not a valid branch name")]
    BranchName(String),
    /// git has no user name and email for the first commit.
    #[error(
        "git does not know who you are, so the first commit cannot be made: run\n  git config --global user.name \"Your Name\"\n  git config --global user.email \"you@example.org\"\nthen `git add -A && git commit -m \"New knowledge base\"` in the new folder"
    )]
    NoIdentity,
    /// git failed while doing `what` (the message is git's; its code and class stay in
    /// `cause` for `is_transient`).
    #[error("{what}: {}", cause.message())]
    Git {
        /// What was being read: `cannot read the history`.
        what: String,
        /// git's error.
        cause: git2::Error,
    },
    /// A file or folder of the working tree cannot be read.
    #[error("{}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl LoadError {
    /// A git failure while doing `what`.
    pub(crate) fn git(what: impl Into<String>) -> impl Fn(git2::Error) -> LoadError {
        let what = what.into();
        move |cause| LoadError::Git {
            what: what.clone(),
            cause,
        }
    }

    /// Whether reading again, unchanged, may succeed: the repository was busy, moved or being
    /// written, or has no commit yet. A fault in a commit (no knowledge folder, a bad template)
    /// or in what was asked for (a branch name, git's identity) is not.
    pub fn is_transient(&self) -> bool {
        use git2::ErrorCode;
        match self {
            LoadError::NotARepository(_)
            | LoadError::NoCommits
            | LoadError::UnknownRevision(_)
            | LoadError::NoWorktreeFolder { .. } => true,
            LoadError::Git { cause, .. } => !matches!(
                cause.code(),
                ErrorCode::Owner
                    | ErrorCode::BareRepo
                    | ErrorCode::InvalidSpec
                    | ErrorCode::Invalid
                    | ErrorCode::Ambiguous
            ),
            LoadError::Io { source, .. } => !matches!(
                source.kind(),
                std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::Unsupported
            ),
            LoadError::Template { committed, .. } => !committed,
            LoadError::NotOwned(_)
            | LoadError::Bare(_)
            | LoadError::NotACommit(_)
            | LoadError::NoKnowledgeFolder { .. }
            | LoadError::BranchName(_)
            | LoadError::NoIdentity => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_is_decided_by_the_cause() {
        let locked = git2::Error::new(
            git2::ErrorCode::Locked,
            git2::ErrorClass::Index,
            "index.lock exists",
        );
        let busy = LoadError::git("cannot read the staging area")(locked);
        assert!(busy.is_transient());
        assert_eq!(
            busy.to_string(),
            "cannot read the staging area: index.lock exists"
        );
        let owner = git2::Error::new(git2::ErrorCode::Owner, git2::ErrorClass::Config, "owner");
        assert!(!LoadError::git("cannot open")(owner).is_transient());
        let disk = LoadError::Io {
            path: PathBuf::from("knowledge"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        assert!(disk.is_transient());
        let committed = LoadError::Template {
            path: "templates/page.html".into(),
            why: "is a symbolic link",
            committed: true,
        };
        assert!(!committed.is_transient(), "another commit fixes it");
        assert_eq!(
            committed.to_string(),
            "template `templates/page.html` is a symbolic link"
        );
        assert!(
            !LoadError::NoKnowledgeFolder {
                dir: "knowledge".into(),
                place: "commit 1a2b3c4".into()
            }
            .is_transient()
        );
    }
}
