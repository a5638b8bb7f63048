//! A throwaway content repository in a temp dir, built with git2 (no system git or git
//! configuration needed), and a runner for the `casebook` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{IndexAddOption, Repository, Signature, Time};
use tempfile::TempDir;

/// The date every test runs at, so date rules give the same answer on any day.
pub(crate) const TODAY: &str = "2026-11-29";

/// A folder holding a content repository under test.
pub(crate) struct TestRepo {
    dir: TempDir,
}

impl TestRepo {
    /// An empty folder (not yet a repository).
    pub(crate) fn empty() -> TestRepo {
        TestRepo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A folder with the files of `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> TestRepo {
        let repo = TestRepo::empty();
        copy_dir(&fixtures().join(name), repo.path());
        repo
    }

    /// The base fixture with an invalid case's files laid over it.
    pub(crate) fn invalid_case(case: &str) -> TestRepo {
        let repo = TestRepo::fixture("base");
        let dir = fixtures().join("invalid").join(case);
        copy_dir(&dir, repo.path());
        let removals = dir.join("remove.txt");
        if let Ok(list) = std::fs::read_to_string(&removals) {
            for rel in list.lines().filter(|l| !l.trim().is_empty()) {
                std::fs::remove_file(repo.path().join(rel.trim())).expect("remove listed file");
            }
            std::fs::remove_file(repo.path().join("remove.txt")).expect("remove remove.txt");
        }
        repo
    }

    /// The repository's folder.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(path, contents).expect("write file");
        self
    }

    /// `git init` here.
    pub(crate) fn init(&self) -> Repository {
        Repository::init(self.path()).expect("git init")
    }

    /// Stages everything and commits it, as `author`; returns the commit id.
    pub(crate) fn commit_as(&self, message: &str, author: &str) -> String {
        self.commit_at(message, author, 1_700_000_000)
    }

    /// Stages everything and commits it, as `author` at `time` (seconds since the epoch).
    pub(crate) fn commit_at(&self, message: &str, author: &str, time: i64) -> String {
        let repo = Repository::open(self.path()).unwrap_or_else(|_| self.init());
        let mut index = repo.index().expect("index");
        index
            .add_all(["*"], IndexAddOption::DEFAULT, None)
            .expect("add all");
        index.update_all(["*"], None).expect("update all");
        index.write().expect("write index");
        let tree = repo
            .find_tree(index.write_tree().expect("write tree"))
            .expect("tree");
        let sig = Signature::new(
            author,
            &format!("{}@example.org", author.to_lowercase()),
            &Time::new(time, 0),
        )
        .expect("signature");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<_> = parent.iter().collect();
        let id = repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .expect("commit");
        id.to_string()
    }

    /// Stages everything and commits it.
    pub(crate) fn commit(&self, message: &str) -> String {
        self.commit_as(message, "Tester")
    }

    /// Runs `casebook ARGS` in the repository's folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Runs `casebook ARGS` in the repository's folder as if today were `today`.
    pub(crate) fn run_on(&self, today: &str, args: &[&str]) -> Run {
        run_in_on(self.path(), today, args)
    }
}

/// Runs `casebook ARGS` in `dir`, at the fixed test date, without colour.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_in_on(dir, TODAY, args)
}

/// Runs `casebook ARGS` in `dir` as if today were `today`, without colour.
pub(crate) fn run_in_on(dir: &Path, today: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .current_dir(dir)
        .env("CASEBOOK_TODAY", today)
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run casebook");
    Run(output)
}

/// The result of one run.
pub(crate) struct Run(pub(crate) Output);

impl Run {
    /// Exit code.
    pub(crate) fn code(&self) -> i32 {
        self.0
            .status
            .code()
            .expect("exited normally, not by a signal")
    }

    /// Standard output.
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).expect("utf-8 stdout")
    }

    /// Standard error.
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8(self.0.stderr.clone()).expect("utf-8 stderr")
    }

    /// The diagnostics of `--format json`.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout()).expect("JSON on stdout")
    }
}

/// `tests/fixtures`.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies a folder tree.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
