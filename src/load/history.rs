//! The git history of the knowledge folder: for each document path at a commit, when it was
//! created (following renames), last changed, by whom and how often; and the recent commits
//! that touched the folder. One walk over the history serves every document.

use std::collections::{BTreeSet, HashMap};

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Sort};

use super::error::LoadError;

type Result<T, E = LoadError> = std::result::Result<T, E>;

use super::git::{Commit, Repo};

/// One commit as shown to users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full id.
    pub id: String,
    /// Commit time, seconds since the epoch (UTC).
    pub time: i64,
    /// Author name.
    pub author: String,
    /// First line of the message.
    pub summary: String,
}

/// The history of one document, by its path at the commit read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHistory {
    /// Commits that changed it, newest first.
    pub commits: Vec<CommitInfo>,
    /// Its path in each of those commits (it may have been renamed since), in the same order.
    pub paths: Vec<String>,
}

impl FileHistory {
    /// The commit that added it (the oldest).
    pub fn created(&self) -> Option<&CommitInfo> {
        self.commits.last()
    }

    /// The last commit that changed it.
    pub fn updated(&self) -> Option<&CommitInfo> {
        self.commits.first()
    }

    /// Distinct authors, in order of first contribution.
    pub fn contributors(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.commits
            .iter()
            .rev()
            .filter(|c| seen.insert(c.author.clone()))
            .map(|c| c.author.clone())
            .collect()
    }
}

/// The history of the knowledge folder.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Per document path (as at the commit read).
    pub files: HashMap<String, FileHistory>,
    /// Commits that touched the folder, newest first, each with the paths it changed (as at
    /// the commit read; deleted files are left out).
    pub recent: Vec<(CommitInfo, Vec<String>)>,
    /// For every commit that touched the folder: the document paths it changed, with the
    /// paths changed by anything else under the folder (so a caller can tell whether a
    /// commit touched a document it does not publish).
    pub paths_by_commit: HashMap<String, Vec<String>>,
    /// True when the repository is a shallow clone: dates may be wrong, so pages say so.
    pub shallow: bool,
}

impl Repo {
    /// Walks the history of `dir` from `commit` (first parents only), following renames, for
    /// the documents at `paths` (their paths at `commit`); keeps the `recent` newest commits.
    pub fn history(
        &self,
        commit: &Commit,
        dir: &str,
        paths: &[String],
        recent: usize,
    ) -> Result<History> {
        let repo = self.git();
        let err = LoadError::git("cannot read the history");
        let mut walk = repo.revwalk().map_err(&err)?;
        walk.push(Oid::from_str(&commit.id).map_err(&err)?)
            .map_err(&err)?;
        walk.simplify_first_parent().map_err(&err)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(&err)?;
        let mut history = History {
            shallow: repo.is_shallow(),
            ..History::default()
        };
        // Path in an older commit → the document's path at the commit read.
        let mut current: HashMap<String, String> =
            paths.iter().map(|p| (p.clone(), p.clone())).collect();
        for oid in walk {
            let c = repo.find_commit(oid.map_err(&err)?).map_err(&err)?;
            let tree = c.tree().map_err(&err)?;
            let parent = c
                .parents()
                .next()
                .map(|p| p.tree())
                .transpose()
                .map_err(&err)?;
            let mut opts = DiffOptions::new();
            opts.pathspec(dir);
            let mut diff = repo
                .diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))
                .map_err(&err)?;
            diff.find_similar(Some(DiffFindOptions::new().renames(true)))
                .map_err(&err)?;
            let info = CommitInfo {
                id: c.id().to_string(),
                time: c.time().seconds(),
                author: c.author().name().unwrap_or("unknown").to_owned(),
                summary: c.summary().ok().flatten().unwrap_or_default().to_owned(),
            };
            let mut touched = Vec::new();
            for delta in diff.deltas() {
                let path =
                    |f: git2::DiffFile<'_>| f.path().and_then(|p| p.to_str()).map(str::to_owned);
                let (Some(new), old) = (path(delta.new_file()), path(delta.old_file())) else {
                    continue;
                };
                if delta.status() == Delta::Deleted {
                    continue;
                }
                let Some(now) = current.get(&new).cloned() else {
                    continue;
                };
                if delta.status() == Delta::Renamed
                    && let Some(old) = old
                {
                    current.insert(old, now.clone());
                }
                let file = history.files.entry(now.clone()).or_default();
                file.commits.push(info.clone());
                file.paths.push(new.clone());
                touched.push(now);
            }
            history
                .paths_by_commit
                .entry(info.id.clone())
                .or_default()
                .extend(touched.iter().cloned());
            if !touched.is_empty() && history.recent.len() < recent {
                history.recent.push((info, touched));
            }
        }
        Ok(history)
    }
}
