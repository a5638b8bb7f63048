//! The git history of the knowledge folder: for each document path at a commit, when it was
//! created (following renames), last changed, by whom and how often; and the recent commits
//! that touched the folder. One walk over the history serves every document.

use std::collections::{BTreeSet, HashMap};

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Sort};
use serde::{Deserialize, Serialize};

use super::error::LoadError;

type Result<T, E = LoadError> = std::result::Result<T, E>;

use super::git::{Commit, Repo};

/// One commit as shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// What a commit did under the folder, as git's first-parent diff names it (renames found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The path after the commit (for a deletion, the path deleted).
    pub new: String,
    /// The path before, for a rename.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// How: `A`dded, `M`odified, `D`eleted, `R`enamed, or another of git's letters.
    pub how: char,
}

/// One commit of the log, with every change it made under the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logged {
    /// The commit.
    pub info: CommitInfo,
    /// Its changes under the folder, in git's order.
    pub changes: Vec<Change>,
}

/// The first-parent history of a folder from one commit back to the first: what a walk of the
/// repository finds, kept so that the next build reads only the commits made since
/// (`Repo::history_log`). The history of any set of documents is computed from it
/// (`HistoryLog::history`), the same whether the log was walked whole or extended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLog {
    /// The commit the log starts from.
    pub head: String,
    /// The folder whose changes it records.
    pub dir: String,
    /// True when it was read from a shallow clone (and so stops early).
    pub shallow: bool,
    /// Commits, newest first.
    pub commits: Vec<Logged>,
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
        Ok(self.history_log(commit, dir, None)?.history(paths, recent))
    }

    /// The log of `dir` from `commit`. When `since` is the log of an earlier commit on the same
    /// first-parent line (same folder, same shallowness), only the commits after it are read
    /// and `since` is taken for the rest; otherwise (history rewritten, another folder) the
    /// whole history is walked. A commit that leaves the folder's tree as its parent had it is
    /// recorded without a diff.
    pub fn history_log(
        &self,
        commit: &Commit,
        dir: &str,
        since: Option<HistoryLog>,
    ) -> Result<HistoryLog> {
        let repo = self.git();
        let err = LoadError::git("cannot read the history");
        let shallow = repo.is_shallow();
        let since = since.filter(|s| s.dir == dir && s.shallow == shallow);
        let mut walk = repo.revwalk().map_err(&err)?;
        walk.push(Oid::from_str(&commit.id).map_err(&err)?)
            .map_err(&err)?;
        walk.simplify_first_parent().map_err(&err)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(&err)?;
        let mut log = HistoryLog {
            head: commit.id.clone(),
            dir: dir.to_owned(),
            shallow,
            commits: Vec::new(),
        };
        let mut met = None;
        for oid in walk {
            let oid = oid.map_err(&err)?;
            if let Some(since) = &since
                && since.head == oid.to_string()
            {
                met = Some(since);
                break;
            }
            let c = repo.find_commit(oid).map_err(&err)?;
            log.commits.push(Logged {
                info: CommitInfo {
                    id: c.id().to_string(),
                    time: c.time().seconds(),
                    author: c.author().name().unwrap_or("unknown").to_owned(),
                    summary: c.summary().ok().flatten().unwrap_or_default().to_owned(),
                },
                changes: changes(repo, &c, dir).map_err(&err)?,
            });
        }
        if let Some(since) = met {
            log.commits.extend(since.commits.iter().cloned());
        }
        Ok(log)
    }
}

/// What `c` changed under `dir` against its first parent (renames found).
fn changes(
    repo: &git2::Repository,
    c: &git2::Commit<'_>,
    dir: &str,
) -> Result<Vec<Change>, git2::Error> {
    let tree = c.tree()?;
    let parent = c.parents().next().map(|p| p.tree()).transpose()?;
    let subtree = |t: &git2::Tree<'_>| t.get_path(std::path::Path::new(dir)).ok().map(|e| e.id());
    if let Some(parent) = &parent
        && !dir.is_empty()
        && subtree(parent) == subtree(&tree)
    {
        return Ok(Vec::new());
    }
    let mut opts = DiffOptions::new();
    opts.pathspec(dir);
    let mut diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    let path = |f: git2::DiffFile<'_>| f.path().and_then(|p| p.to_str()).map(str::to_owned);
    Ok(diff
        .deltas()
        .filter_map(|delta| {
            let new = path(delta.new_file())?;
            let renamed = delta.status() == Delta::Renamed;
            Some(Change {
                new,
                old: if renamed {
                    path(delta.old_file())
                } else {
                    None
                },
                how: match delta.status() {
                    Delta::Added => 'A',
                    Delta::Deleted => 'D',
                    Delta::Modified => 'M',
                    Delta::Renamed => 'R',
                    Delta::Copied => 'C',
                    Delta::Typechange => 'T',
                    _ => 'X',
                },
            })
        })
        .collect())
}

impl HistoryLog {
    /// The history of the documents at `paths` (their paths at the log's head), following
    /// renames; keeps the `recent` newest commits that touched one of them.
    pub fn history(&self, paths: &[String], recent: usize) -> History {
        let mut history = History {
            shallow: self.shallow,
            ..History::default()
        };
        // Path in an older commit → the document's path at the commit read.
        let mut current: HashMap<String, String> =
            paths.iter().map(|p| (p.clone(), p.clone())).collect();
        for logged in &self.commits {
            let info = &logged.info;
            let mut touched = Vec::new();
            for change in &logged.changes {
                if change.how == 'D' {
                    continue;
                }
                let Some(now) = current.get(&change.new).cloned() else {
                    continue;
                };
                if let Some(old) = &change.old {
                    current.insert(old.clone(), now.clone());
                }
                let file = history.files.entry(now.clone()).or_default();
                file.commits.push(info.clone());
                file.paths.push(change.new.clone());
                touched.push(now);
            }
            history
                .paths_by_commit
                .entry(info.id.clone())
                .or_default()
                .extend(touched.iter().cloned());
            if !touched.is_empty() && history.recent.len() < recent {
                history.recent.push((info.clone(), touched));
            }
        }
        history
    }
}
