//! The search index: the only home of tantivy. Builds one index per marking ceiling from the
//! publishable documents (incrementally, by source blob), and answers searches.
//!
//! Must not import `render`; the pipeline hands results to it as data.

mod analysis;
mod answers;
mod dictionary;
mod document;
mod expand;
mod facets;
mod holders;
mod kb;
mod purge;
mod query;
mod request;
mod schema;
mod search;
mod snippets;
mod suggest;
mod terms;
mod vocab;
mod write;

use std::path::{Path, PathBuf};

pub use crate::model::FacetName;
pub use answers::Answer;
pub use document::{IndexDoc, doc_key, index_doc};
pub use holders::{Holder, HolderPower};
pub use kb::KbIndex;
pub use query::{MAX_DEPTH, MAX_QUERY_BYTES, depth as query_depth};
pub use request::{SearchRequest, Sort};
pub use schema::SCHEMA_VERSION;
pub use search::{Hit, HitLink, SearchResponse};
pub use snippets::Snippet;
pub use suggest::{CorrectedWord, Correction};
pub use vocab::{PowerType, SearchVocab};
pub use write::{BuildMeta, LeftOut, Published, Report};

/// A failure of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Another build holds the index.
    #[error("index busy: another casebook build is writing {}", .0.display())]
    Busy(PathBuf),
    /// The index cannot be used and must be rebuilt.
    #[error("the index cannot be used: {0}")]
    Corrupt(#[from] Damage),
    /// tantivy failed (its error kept whole, for `is_transient`).
    #[error("index error: {0}")]
    Tantivy(tantivy::TantivyError),
    /// A file operation failed (the cause is the error's `source`, so a report that prints
    /// the chain shows it once).
    #[error("{}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Why an index on disk cannot be used as it is; a build rebuilds it from git.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    /// No index has been built in the folder yet.
    #[error("no index yet")]
    Missing,
    /// tantivy cannot open it.
    #[error("cannot open the index: {0}")]
    Open(tantivy::TantivyError),
    /// It was built with another schema.
    #[error("the index has another schema")]
    OtherSchema,
    /// Its checksums cannot be read.
    #[error("cannot verify the index: {0}")]
    Verify(tantivy::TantivyError),
    /// This many of its files fail their checksums.
    #[error("{0} index files failed their checksums")]
    Checksums(usize),
    /// It records no build (no commit payload).
    #[error("the index records no build")]
    NoBuild,
    /// A fast-field column every document has is missing.
    #[error("no `{0}` column")]
    NoColumn(&'static str),
    /// A column's dictionary cannot be read.
    #[error("a column cannot be read: {0}")]
    Column(std::io::Error),
    /// A segment merged away kept a file that could not be deleted.
    #[error("{} was merged away but could not be deleted", .0.display())]
    Undeleted(PathBuf),
}

impl IndexError {
    fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.to_owned(),
            source,
        }
    }

    fn tantivy(e: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy(e)
    }

    /// Whether writing again, unchanged, may succeed: another build held the index, or a file
    /// operation failed (a full disk, a folder being replaced). A schema or argument error
    /// of tantivy is not.
    pub fn is_transient(&self) -> bool {
        use tantivy::TantivyError as T;
        match self {
            IndexError::Busy(_) | IndexError::Io { .. } => true,
            IndexError::Tantivy(e) => !matches!(
                e,
                T::SchemaError(_) | T::InvalidArgument(_) | T::FieldNotFound(_)
            ),
            // Rebuilt by the build itself: a retry rebuilds it.
            IndexError::Corrupt(_) => true,
        }
    }
}

pub use write::{BuildLock, damaged, lock, update_locked};

/// A writer of one thread, as every build and purge uses; a lock held by another build is
/// `Busy`.
fn writer(index: &tantivy::Index) -> Result<tantivy::IndexWriter, IndexError> {
    index
        .writer_with_num_threads(1, 64 * 1024 * 1024)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Busy(PathBuf::from("index")),
            other => IndexError::tantivy(other),
        })
}
