//! Loading: reads the knowledge folder from a commit (git2) or the working tree, applies the
//! size, encoding and file-type checks before any parser, and parses front matter into raw
//! structs (serde_yaml). The only home of git2 and serde_yaml.

mod error;
mod front_matter;
mod git;
mod history;
mod vocab;
mod worktree;
mod yaml_events;

pub use error::LoadError;
pub use front_matter::{
    MAX_FRONT_MATTER, fields as front_matter_fields, parse, split, yaml_syntax,
};
pub use git::{Commit, Repo, init_and_commit, short};
pub use history::{CommitInfo, FileHistory, History, HistoryLog};
pub use vocab::{built_in as built_in_vocabulary, extend as extend_vocabulary};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::SourceFile;

/// The largest document file Casebook reads (1 MiB).
pub const MAX_FILE: usize = 1024 * 1024;

/// Where documents are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The tree of a commit (`HEAD`, a branch, a tag, an id).
    Revision(String),
    /// The working tree, committed or not.
    Worktree,
    /// The staging area (git index): what the next commit will hold.
    Staged,
}

/// A file found under the knowledge folder, before any checks.
#[derive(Debug)]
pub struct Entry {
    /// Path relative to the repository root.
    pub path: String,
    /// Git blob id of the content (empty when not read).
    pub blob: String,
    /// What was found there.
    pub content: EntryContent,
}

/// What a found file holds.
#[derive(Debug)]
pub enum EntryContent {
    /// The bytes (within the size cap).
    Bytes(Vec<u8>),
    /// A symbolic link (never followed).
    Symlink,
    /// A name that is not UTF-8.
    NonUtf8Name,
    /// Over the size cap (its size in bytes).
    TooLarge(usize),
    /// The operating system refused to read it.
    Unreadable(String),
    /// Not a regular file (a FIFO, socket or device): never opened, since reading one may
    /// block or never end.
    NotRegular,
}

/// The knowledge folder as read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Document files that passed the file-level checks, in path order.
    pub files: Vec<SourceFile>,
    /// `knowledge/vocabulary.yaml`, when present.
    pub vocabulary: Option<SourceFile>,
    /// File-level problems (symlink, binary, not UTF-8, too large).
    pub diagnostics: Vec<Diagnostic>,
    /// The commit read, unless reading the working tree.
    pub commit: Option<Commit>,
}

/// The git blob id of `bytes`: the content hash used for incremental builds.
pub fn content_hash(bytes: &[u8]) -> String {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
        .map_or_else(|_| String::new(), |o| o.to_string())
}

/// True for the files loading looks at: markdown anywhere under the knowledge folder, and
/// the vocabulary file at its top.
fn wanted(path: &str, dir: &str) -> bool {
    path.ends_with(".md") || path == format!("{dir}/vocabulary.yaml")
}

impl Repo {
    /// Reads the knowledge folder from `source`.
    pub fn load(&self, source: &Source, dir: &str) -> Result<Loaded, LoadError> {
        let (entries, commit) = match source {
            Source::Revision(rev) => {
                let commit = self.resolve(rev)?;
                (self.read_tree(&commit, dir)?, Some(commit))
            }
            Source::Worktree => (worktree::read_dir(self.root(), dir)?, None),
            Source::Staged => (self.read_staged(dir)?, None),
        };
        let mut loaded = Loaded {
            commit,
            ..Loaded::default()
        };
        let vocab_path = format!("{dir}/vocabulary.yaml");
        for entry in entries {
            match check_entry(entry) {
                Ok(file) if file.path == vocab_path => loaded.vocabulary = Some(file),
                Ok(file) => loaded.files.push(file),
                Err(d) => loaded.diagnostics.push(d),
            }
        }
        loaded.files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(loaded)
    }
}

/// The file-level checks every file passes before a parser sees it.
fn check_entry(entry: Entry) -> Result<SourceFile, Diagnostic> {
    let path = entry.path;
    let blob = entry.blob;
    let fail = |code: Code, message: String, hint: &str| {
        Err(Diagnostic::at_file(code, &path, message).hint(hint))
    };
    let bytes = match entry.content {
        EntryContent::Bytes(b) => b,
        EntryContent::Symlink => {
            return fail(
                Code::Symlink,
                "symbolic links are not read".into(),
                "commit the document itself, not a link to it",
            );
        }
        EntryContent::NonUtf8Name => {
            return fail(
                Code::NotUtf8,
                "the file name is not valid UTF-8".into(),
                "rename the file to its document id",
            );
        }
        EntryContent::TooLarge(size) => {
            let message =
                format!("the file is {size} bytes; the limit is {MAX_FILE} bytes (1 MiB)");
            return fail(
                Code::FileTooLarge,
                message,
                "split the document, or move attachments out of the knowledge base",
            );
        }
        EntryContent::NotRegular => {
            return fail(
                Code::ReadError,
                "not a regular file (a FIFO, socket or device); it is never opened".into(),
                "replace it with the document itself",
            );
        }
        EntryContent::Unreadable(e) => {
            return fail(
                Code::ReadError,
                format!("cannot read the file: {e}"),
                "check its permissions",
            );
        }
    };
    if bytes.iter().take(8000).any(|b| *b == 0) {
        return fail(
            Code::BinaryFile,
            "the file is binary, not a markdown document".into(),
            "only markdown documents belong in the knowledge folder",
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { path, text, blob }),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = crate::model::source::position(valid, valid.len());
            let message = "the file is not valid UTF-8".to_owned();
            let d = Diagnostic::at_file(Code::NotUtf8, &path, message).at(line, column, 0);
            Err(d.hint("save the file as UTF-8"))
        }
    }
}
