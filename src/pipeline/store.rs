//! The derived-fact store: what a build derived from the repository, kept under
//! `state_dir/derived/` and keyed by what it was derived from, so that the next build reads
//! only what changed (DESIGN.md principle 3). Every fact can be derived again from git: a
//! store that is absent, damaged, written by another version of Casebook or for another
//! repository is emptied and refilled, never trusted, and a fact that cannot be stored is
//! simply derived again next time.
//!
//! What it holds:
//! - `store.json`: the header (format, Casebook's version, the index schema, the repository);
//! - `history.json`: the first-parent log of the knowledge folder (`load::HistoryLog`),
//!   extended by the commits made since it was written;
//! - `similar-EDITION.json`: each published document's codes and similar list
//!   (`model::similar::Kept`), so that only the lists a change can alter are computed again.
//!
//! The pages themselves are keyed in the site folder's manifest (`output::Stager`), since
//! they are facts about that folder.

use std::fs;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::load::{Commit, History, HistoryLog, LoadError, Repo};

/// The store's layout; a store of another format is emptied.
const FORMAT: u32 = 1;

/// What a store was written by and for.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: u32,
    casebook: String,
    schema: u32,
    repository: String,
}

/// The derived-fact store of one repository.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store of `repo`, emptied first when its header is not this version's for this
    /// repository. A store that cannot be created leaves every fact to be derived again.
    pub(crate) fn open(repo: &Repo, config: &Config) -> Store {
        let dir = repo.root().join(&config.state_dir).join("derived");
        let header = Header {
            format: FORMAT,
            casebook: env!("CARGO_PKG_VERSION").to_owned(),
            schema: crate::index::SCHEMA_VERSION,
            repository: fs::canonicalize(repo.root())
                .unwrap_or_else(|_| repo.root().to_owned())
                .to_string_lossy()
                .into_owned(),
        };
        let store = Store { dir };
        if store.read::<Header>("store.json").as_ref() != Some(&header) {
            let _ = fs::remove_dir_all(&store.dir);
            if fs::create_dir_all(&store.dir).is_ok() {
                store.write("store.json", &header);
            }
        }
        store
    }

    /// Forgets every fact (`build --full`): each is derived again and stored anew.
    pub(crate) fn clear(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name() != "store.json" {
                let _ = fs::remove_file(e.path());
            }
        }
    }

    /// The folder.
    #[cfg(test)]
    pub(crate) fn path(&self) -> &std::path::Path {
        &self.dir
    }

    /// A stored fact, when it is there and reads whole.
    pub(crate) fn read<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let bytes = fs::read(self.dir.join(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores a fact: written beside its place and renamed over it, so a reader finds the old
    /// fact or the new one. A failure (a full disk) leaves the old fact or none.
    pub(crate) fn write<T: Serialize>(&self, name: &str, value: &T) {
        let target = self.dir.join(name);
        let partial = self.dir.join(format!(".{name}.partial"));
        let written = serde_json::to_vec(value)
            .ok()
            .is_some_and(|bytes| fs::write(&partial, bytes).is_ok());
        if !written || fs::rename(&partial, &target).is_err() {
            let _ = fs::remove_file(&partial);
            let _ = fs::remove_file(&target);
        }
    }

    /// The history of the documents at `paths` (as at `commit`) in `dir`, keeping the `recent`
    /// newest commits: the stored log extended by the commits since it was written.
    pub(crate) fn history(
        &self,
        repo: &Repo,
        commit: &Commit,
        dir: &str,
        paths: &[String],
        recent: usize,
    ) -> Result<History, LoadError> {
        let since = self.read::<HistoryLog>("history.json");
        let unchanged = since.as_ref().is_some_and(|s| s.head == commit.id);
        let log = repo.history_log(commit, dir, since)?;
        if !unchanged {
            self.write("history.json", &log);
        }
        Ok(log.history(paths, recent))
    }
}

#[cfg(test)]
mod tests;
