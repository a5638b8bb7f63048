//! The fuzz targets' shared parts: the sample knowledge base built once, and the properties
//! each target asserts (in `props.rs`, which the regression tests include too).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use casebook::pipeline::build::{self, BuildOptions};
use casebook::config::Config;
use casebook::load::Repo;
use casebook::model::{Date, Marking};
use casebook::pipeline::output::SiteSnapshot;
use casebook::serve::{AppState, AuditLog, Current, Inner};

#[path = "props.rs"]
pub mod props;

/// The sample knowledge base, committed to a repository in a temporary folder and built:
/// the folder (kept for the process's life) and its index folder.
pub fn sample() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static SAMPLE: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../knowledge");
        copy_dir(&from, &dir.path().join("knowledge"));
        commit_all(dir.path());
        let repo = Repo::discover(dir.path()).expect("the sample repository");
        let config = Config::default();
        build::build(
            &repo,
            &config,
            &BuildOptions::head(Marking::OfficialSensitive),
            Date::today(),
        )
        .expect("the sample builds");
        let index = build::index_dir(dir.path(), &config, Marking::OfficialSensitive, false);
        (dir, index)
    })
}

/// A server state over the built sample, as `serve` makes it (audit lines kept in memory).
pub fn state() -> AppState {
    let (dir, index) = sample();
    let site = SiteSnapshot::borrowed(&dir.path().join("public"));
    let current = Current::open(index, site, &[]).expect("open the built sample");
    AppState(Arc::new(Inner {
        audit: AuditLog::Memory(Arc::default()),
        ..Inner::new(current, "Fuzzed edition", Marking::OfficialSensitive)
    }))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn commit_all(dir: &Path) {
    let repo = git2::Repository::init(dir).expect("git init");
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let who = git2::Signature::now("Fuzz", "fuzz@example.org").expect("signature");
    repo.commit(Some("HEAD"), &who, &who, "sample", &tree, &[])
        .expect("commit");
}
