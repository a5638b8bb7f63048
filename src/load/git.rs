//! Reading the knowledge folder from a commit's tree with git2 — the only home of git2.
//!
//! Blobs are read from the object database, never from the working directory, so only
//! committed content is published; symlinks are reported, never followed. libgit2's
//! repository ownership checks stay on.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use super::error::LoadError;

type Result<T, E = LoadError> = std::result::Result<T, E>;

use super::{Entry, EntryContent, MAX_FILE};

/// An open, non-bare repository.
pub struct Repo {
    repo: Repository,
    root: PathBuf,
}

/// The commit a revision resolved to.
#[derive(Debug, Clone)]
pub struct Commit {
    /// Full hex id.
    pub id: String,
    /// Set when HEAD is detached (the commit is still read, and this says so).
    pub detached: bool,
}

impl Repo {
    /// Finds the repository containing `start`, like git does.
    pub fn discover(start: &Path) -> Result<Repo> {
        let repo = Repository::discover(start).map_err(|e| match e.code() {
            ErrorCode::NotFound => LoadError::NotARepository(start.to_owned()),
            ErrorCode::Owner => LoadError::NotOwned(start.to_owned()),
            _ => LoadError::git(format!("cannot open the repository at {}", start.display()))(e),
        })?;
        let Some(root) = repo.workdir().map(Path::to_path_buf) else {
            return Err(LoadError::Bare(repo.path().to_owned()));
        };
        Ok(Repo { repo, root })
    }

    /// The working tree's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The underlying repository, for the other readers of this module.
    pub(super) fn git(&self) -> &Repository {
        &self.repo
    }

    /// The `*.html` files directly under `dir` in the commit's tree (template overrides), as
    /// (file name, text); none when the folder is absent. Symlinks, oversized and non-UTF-8
    /// files are refused.
    pub fn read_templates(&self, commit: &Commit, dir: &str) -> Result<Vec<(String, String)>> {
        let err = LoadError::git(format!("cannot read `{dir}/`"));
        let oid = git2::Oid::from_str(&commit.id).map_err(&err)?;
        let tree = self
            .repo
            .find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(&err)?;
        let Ok(entry) = tree.get_path(Path::new(dir)) else {
            return Ok(Vec::new());
        };
        let Ok(sub) = self.repo.find_tree(entry.id()) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for e in sub.iter() {
            let Some(name) = e.name().ok().filter(|n| n.ends_with(".html")) else {
                continue;
            };
            let refuse = |why: &'static str| LoadError::Template {
                path: format!("{dir}/{name}"),
                why,
                committed: true,
            };
            match self.content(e.id(), e.filemode(), true)? {
                EntryContent::Bytes(b) => {
                    let text = String::from_utf8(b).map_err(|_| refuse("is not valid UTF-8"))?;
                    out.push((name.to_owned(), text));
                }
                EntryContent::Symlink => return Err(refuse("is a symbolic link")),
                _ => return Err(refuse("is too large")),
            }
        }
        Ok(out)
    }

    /// The template overrides in the working tree's `dir/` (`preview`): every `.html` file
    /// directly in it, as `read_templates` reads them from a commit.
    pub fn read_worktree_templates(&self, dir: &str) -> Result<Vec<(String, String)>> {
        let folder = self.root().join(dir);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".html") {
                continue;
            }
            let refuse = |why: &'static str| LoadError::Template {
                path: format!("{dir}/{name}"),
                why,
                committed: false,
            };
            let meta =
                std::fs::symlink_metadata(entry.path()).map_err(|_| refuse("cannot be read"))?;
            if meta.file_type().is_symlink() {
                return Err(refuse("is a symbolic link"));
            }
            if !meta.is_file() {
                continue;
            }
            if meta.len() > MAX_FILE as u64 {
                return Err(refuse("is too large"));
            }
            let bytes = std::fs::read(entry.path()).map_err(|_| refuse("cannot be read"))?;
            let text = String::from_utf8(bytes).map_err(|_| refuse("is not valid UTF-8"))?;
            out.push((name, text));
        }
        out.sort();
        Ok(out)
    }

    /// Resolves a revision (`HEAD`, a branch, a tag, a commit id) to a commit.
    pub fn resolve(&self, rev: &str) -> Result<Commit> {
        let head_unborn = self
            .repo
            .head()
            .err()
            .is_some_and(|e| e.code() == ErrorCode::UnbornBranch);
        if head_unborn && rev == "HEAD" {
            return Err(LoadError::NoCommits);
        }
        let object = self
            .repo
            .revparse_single(rev)
            .map_err(|_| LoadError::UnknownRevision(rev.to_owned()))?;
        let commit = object
            .peel_to_commit()
            .map_err(|_| LoadError::NotACommit(rev.to_owned()))?;
        let detached = rev == "HEAD" && self.repo.head_detached().unwrap_or(false);
        Ok(Commit {
            id: commit.id().to_string(),
            detached,
        })
    }

    /// Every file under `dir` in the commit's tree, with its content unless it is a symlink,
    /// has a non-UTF-8 name, or is over the size cap.
    pub fn read_tree(&self, commit: &Commit, dir: &str) -> Result<Vec<Entry>> {
        let git_err = LoadError::git(format!("cannot read commit {}", short(&commit.id)));
        let oid = git2::Oid::from_str(&commit.id).map_err(&git_err)?;
        let tree = self
            .repo
            .find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(&git_err)?;
        let sub = match tree.get_path(Path::new(dir)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => {
                self.repo.find_tree(entry.id()).map_err(&git_err)?
            }
            Ok(_) | Err(_) => {
                return Err(LoadError::NoKnowledgeFolder {
                    dir: dir.to_owned(),
                    place: format!("commit {}", short(&commit.id)),
                });
            }
        };
        let mut found = Vec::new();
        sub.walk(TreeWalkMode::PreOrder, |parent, entry| {
            if entry.kind() == Some(ObjectType::Blob) {
                let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                found.push((
                    format!("{dir}/{parent}{name}"),
                    entry.id(),
                    entry.filemode(),
                    entry.name().is_ok(),
                ));
            }
            TreeWalkResult::Ok
        })
        .map_err(&git_err)?;
        found
            .into_iter()
            // A symbolic link is reported whatever its name: it may stand for a folder.
            .filter(|(path, _, mode, _)| super::wanted(path, dir) || *mode == 0o120000)
            .map(|(path, id, mode, utf8_name)| {
                Ok(Entry {
                    content: self.content(id, mode, utf8_name)?,
                    path,
                    blob: id.to_string(),
                })
            })
            .collect()
    }

    /// The text of the file at `path` in commit `id`; none when it is not there, not a file,
    /// over the size cap or not UTF-8.
    pub fn read_file_at(&self, id: &str, path: &str) -> Option<String> {
        let oid = git2::Oid::from_str(id).ok()?;
        let tree = self.repo.find_commit(oid).ok()?.tree().ok()?;
        let entry = tree.get_path(Path::new(path)).ok()?;
        if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
            return None;
        }
        match self.content(entry.id(), entry.filemode(), true).ok()? {
            EntryContent::Bytes(b) => String::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// The folder git runs hooks from: `core.hooksPath` when set (relative to the working
    /// tree), else `hooks/` in the repository's git folder (shared by linked worktrees).
    pub fn hooks_dir(&self) -> PathBuf {
        let configured = self
            .repo
            .config()
            .and_then(|c| c.get_path("core.hooksPath"))
            .ok();
        match configured {
            Some(p) if p.is_absolute() => p,
            Some(p) => self.root().join(p),
            None => self.repo.commondir().join("hooks"),
        }
    }

    /// Every wanted file under `dir` in the git index: what the next commit will hold
    /// (`check --staged`, the pre-commit hook).
    pub fn read_staged(&self, dir: &str) -> Result<Vec<Entry>> {
        let fail = LoadError::git("cannot read the staging area");
        // A hook run by `git commit -a` or `git commit PATH` is given the index the commit will
        // record in GIT_INDEX_FILE (relative to the top of the working tree).
        let index = match std::env::var_os("GIT_INDEX_FILE") {
            Some(file) => git2::Index::open(&self.root().join(file)).map_err(&fail)?,
            None => self.repo.index().map_err(&fail)?,
        };
        let prefix = format!("{dir}/");
        let mut found = Vec::new();
        for entry in index.iter() {
            // Stage 0 only: a file with merge conflicts is reported by git itself.
            if (entry.flags >> 12) & 0x3 != 0 {
                continue;
            }
            let (path, utf8_name) = match std::str::from_utf8(&entry.path) {
                Ok(p) => (p.to_owned(), true),
                Err(_) => (String::from_utf8_lossy(&entry.path).into_owned(), false),
            };
            if !path.starts_with(&prefix)
                || !(super::wanted(&path, dir) || entry.mode as i32 == 0o120000)
            {
                continue;
            }
            found.push(Entry {
                content: self.content(entry.id, entry.mode as i32, utf8_name)?,
                path,
                blob: entry.id.to_string(),
            });
        }
        found.sort_by(|a, b| a.path.cmp(&b.path));
        if found.is_empty() && !index.iter().any(|e| e.path.starts_with(prefix.as_bytes())) {
            return Err(LoadError::NoKnowledgeFolder {
                dir: dir.to_owned(),
                place: "the staging area".to_owned(),
            });
        }
        Ok(found)
    }

    /// The last commit on `HEAD`'s first-parent history made before `edge` (seconds since
    /// 1970, UTC, by committer time): the knowledge base as it stood then. None when every
    /// commit is later.
    pub fn commit_before(&self, edge: i64) -> Result<Option<String>> {
        let err = LoadError::git("cannot read the history");
        let head = self.resolve("HEAD")?;
        let mut walk = self.repo.revwalk().map_err(&err)?;
        walk.push(Oid::from_str(&head.id).map_err(&err)?)
            .map_err(&err)?;
        walk.simplify_first_parent().map_err(&err)?;
        for oid in walk {
            let c = self.repo.find_commit(oid.map_err(&err)?).map_err(&err)?;
            if c.time().seconds() < edge {
                return Ok(Some(c.id().to_string()));
            }
        }
        Ok(None)
    }

    /// The files under `dir` whose working-tree content differs from `HEAD`'s: changed,
    /// added (untracked or staged) or deleted, ignored files left out. What `check` of a
    /// commit does not see.
    pub fn changed_since_head(&self, dir: &str) -> Result<Vec<String>> {
        let mut opts = git2::StatusOptions::new();
        opts.pathspec(format!("{dir}/"))
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true);
        let statuses = self
            .repo
            .statuses(Some(&mut opts))
            .map_err(LoadError::git("cannot compare the working tree with HEAD"))?;
        let mut out: Vec<String> = statuses
            .iter()
            .filter(|s| s.status() != git2::Status::CURRENT)
            .filter_map(|s| s.path().ok().map(str::to_owned))
            .filter(|p| super::wanted(p, dir))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    fn content(&self, id: git2::Oid, mode: i32, utf8_name: bool) -> Result<EntryContent> {
        if mode == 0o120000 {
            return Ok(EntryContent::Symlink);
        }
        if !utf8_name {
            return Ok(EntryContent::NonUtf8Name);
        }
        let odb = self
            .repo
            .odb()
            .map_err(LoadError::git("cannot open the object database"))?;
        let (size, _) = odb
            .read_header(id)
            .map_err(LoadError::git(format!("cannot read object {id}")))?;
        if size > MAX_FILE {
            return Ok(EntryContent::TooLarge(size));
        }
        let blob = self
            .repo
            .find_blob(id)
            .map_err(LoadError::git(format!("cannot read object {id}")))?;
        Ok(EntryContent::Bytes(blob.content().to_vec()))
    }
}

/// Makes `dir` a git repository whose first branch is `branch` (or opens the one it is,
/// keeping its branch) and commits everything in it that `.gitignore` does not exclude, as the
/// author git is configured with. Returns the commit id and the branch it is on.
pub fn init_and_commit(dir: &Path, message: &str, branch: &str) -> Result<(String, String)> {
    let fail = |what: &str, e: git2::Error| LoadError::git(what)(e);
    if !git2::Reference::is_valid_name(&format!("refs/heads/{branch}")) {
        return Err(LoadError::BranchName(branch.to_owned()));
    }
    let repo = match Repository::open(dir) {
        Ok(r) => r,
        Err(_) => {
            // The branch is named rather than left to git's `init.defaultBranch`, which is
            // `master` on many machines while a server publishes `main`.
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head(branch);
            Repository::init_opts(dir, &opts)
                .map_err(|e| fail("cannot create the git repository", e))?
        }
    };
    let author = repo.signature().map_err(|_| LoadError::NoIdentity)?;
    let mut index = repo.index().map_err(|e| fail("cannot open the index", e))?;
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .map_err(|e| fail("cannot stage the files", e))?;
    index
        .write()
        .map_err(|e| fail("cannot write the index", e))?;
    let tree_id = index
        .write_tree()
        .map_err(|e| fail("cannot write the tree", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| fail("cannot read the tree", e))?;
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo
        .commit(Some("HEAD"), &author, &author, message, &tree, &parents)
        .map_err(|e| fail("cannot commit", e))?;
    let on = repo
        .head()
        .ok()
        .and_then(|h| h.shorthand().ok().map(str::to_owned))
        .unwrap_or_else(|| branch.to_owned());
    Ok((id.to_string(), on))
}

/// The first seven characters of a commit id.
pub fn short(id: &str) -> &str {
    &id[..id.len().min(7)]
}
