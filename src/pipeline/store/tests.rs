use std::path::Path;

use proptest::prelude::*;

use super::*;

/// One change a contributor commits to the knowledge folder.
#[derive(Debug, Clone)]
enum Step {
    Add(u8),
    Edit(u8),
    Rename(u8, u8),
    Delete(u8),
    /// A file beside the documents (not a document).
    Other(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u8..6).prop_map(Step::Add),
        (0u8..6).prop_map(Step::Edit),
        (0u8..6, 0u8..6).prop_map(|(a, b)| Step::Rename(a, b)),
        (0u8..6).prop_map(Step::Delete),
        (0u8..3).prop_map(Step::Other),
    ]
}

fn name(n: u8) -> String {
    format!("knowledge/case-reviews/CR-2026-{n:03}.md")
}

/// Commits everything in the working tree of `dir` (deletions included) on the first-parent
/// line; `count` makes each file's text differ from its last version.
fn commit(repo: &git2::Repository, message: &str, time: i64) {
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who =
        git2::Signature::new("A. Reviewer", "a@example.org", &git2::Time::new(time, 0)).unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &who, &who, message, &tree, &parents)
        .unwrap();
}

fn apply(root: &Path, step: &Step, n: usize) {
    let text = |i: u8| {
        format!(
            "---\nid: CR-2026-{i:03}\n---\n\nVersion {n} of a fictional review.\n{}",
            "Unchanged line of the review.\n".repeat(12)
        )
    };
    let path = |i: u8| root.join(name(i));
    match *step {
        Step::Add(i) | Step::Edit(i) => {
            fs::create_dir_all(path(i).parent().unwrap()).unwrap();
            fs::write(path(i), text(i)).unwrap();
        }
        Step::Rename(a, b) => {
            if path(a).exists() && !path(b).exists() {
                fs::rename(path(a), path(b)).unwrap();
            }
        }
        Step::Delete(i) => {
            let _ = fs::remove_file(path(i));
        }
        Step::Other(i) => {
            fs::create_dir_all(root.join("knowledge")).unwrap();
            fs::write(
                root.join(format!("knowledge/notes-{i}.txt")),
                format!("{n}"),
            )
            .unwrap();
        }
    }
}

/// The document paths at HEAD.
fn documents(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(root.join("knowledge/case-reviews")) {
        for e in entries.flatten() {
            out.push(format!(
                "knowledge/case-reviews/{}",
                e.file_name().to_string_lossy()
            ));
        }
    }
    out.sort();
    out
}

fn config() -> Config {
    Config::default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// After any run of commits, the history from the stored log extended commit by commit is
    /// the history a walk of the whole repository finds.
    #[test]
    fn an_extended_log_gives_the_history_of_a_whole_walk(steps in prop::collection::vec(step(), 1..14)) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let git = git2::Repository::init(root).unwrap();
        for (n, s) in steps.iter().enumerate() {
            apply(root, s, n);
            fs::write(root.join("README.md"), format!("{n}")).unwrap();
            commit(&git, &format!("step {n}: {s:?}"), 1_700_000_000 + n as i64 * 60);
            let repo = Repo::discover(root).unwrap();
            let head = repo.resolve("HEAD").unwrap();
            let paths = documents(root);
            let store = Store::open(&repo, &config());
            let extended = store.history(&repo, &head, "knowledge", &paths, 50).unwrap();
            let whole = repo.history(&head, "knowledge", &paths, 50).unwrap();
            prop_assert_eq!(&extended.files, &whole.files);
            prop_assert_eq!(&extended.recent, &whole.recent);
            prop_assert_eq!(&extended.paths_by_commit, &whole.paths_by_commit);
        }
    }
}

/// A repository with three commits of one review, and its store after a build of each.
fn three_commits() -> (tempfile::TempDir, Repo) {
    let tmp = tempfile::tempdir().unwrap();
    let git = git2::Repository::init(tmp.path()).unwrap();
    for n in 0..3 {
        apply(tmp.path(), &Step::Edit(1), n);
        commit(&git, &format!("version {n}"), 1_700_000_000 + n as i64);
    }
    let repo = Repo::discover(tmp.path()).unwrap();
    (tmp, repo)
}

fn revisions(store: &Store, repo: &Repo) -> usize {
    let head = repo.resolve("HEAD").unwrap();
    let h = store
        .history(repo, &head, "knowledge", &[name(1)], 50)
        .unwrap();
    h.files[&name(1)].commits.len()
}

#[test]
fn a_damaged_log_is_walked_again_not_trusted() {
    let (_tmp, repo) = three_commits();
    let store = Store::open(&repo, &config());
    assert_eq!(revisions(&store, &repo), 3);
    for damage in [&b"{\"head\": \"trunc"[..], b"\x00\xff not json", b"[]"] {
        fs::write(store.path().join("history.json"), damage).unwrap();
        assert_eq!(revisions(&store, &repo), 3);
    }
    // A log that claims HEAD but lists other commits is what a store of another repository
    // would hold: the header tells them apart.
    let head = repo.resolve("HEAD").unwrap();
    let forged = HistoryLog {
        head: head.id.clone(),
        dir: "knowledge".into(),
        shallow: false,
        commits: Vec::new(),
    };
    store.write("history.json", &forged);
    let other = Header {
        format: FORMAT,
        casebook: env!("CARGO_PKG_VERSION").to_owned(),
        schema: crate::index::SCHEMA_VERSION,
        repository: "/somewhere/else".into(),
    };
    store.write("store.json", &other);
    let reopened = Store::open(&repo, &config());
    assert!(
        !reopened.path().join("history.json").exists(),
        "another repository's store is emptied"
    );
    assert_eq!(revisions(&reopened, &repo), 3);
}

#[test]
fn a_store_of_another_version_is_emptied() {
    let (_tmp, repo) = three_commits();
    let store = Store::open(&repo, &config());
    assert_eq!(revisions(&store, &repo), 3);
    let mut header: serde_json::Value =
        serde_json::from_slice(&fs::read(store.path().join("store.json")).unwrap()).unwrap();
    header["casebook"] = "0.0.1".into();
    fs::write(store.path().join("store.json"), header.to_string()).unwrap();
    let reopened = Store::open(&repo, &config());
    assert!(!reopened.path().join("history.json").exists());
}

#[test]
fn a_rewritten_history_is_walked_again() {
    let (tmp, repo) = three_commits();
    let store = Store::open(&repo, &config());
    assert_eq!(revisions(&store, &repo), 3);
    // The last commit is replaced by two others (an amended, force-pushed branch).
    let git = git2::Repository::open(tmp.path()).unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    git.reset(
        head.parent(0).unwrap().as_object(),
        git2::ResetType::Hard,
        None,
    )
    .unwrap();
    for n in 10..12 {
        apply(tmp.path(), &Step::Edit(1), n);
        commit(&git, &format!("version {n}"), 1_800_000_000 + n as i64);
    }
    let repo = Repo::discover(tmp.path()).unwrap();
    assert_eq!(revisions(&store, &repo), 4);
}
