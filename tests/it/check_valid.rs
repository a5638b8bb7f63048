//! Valid knowledge bases pass `check`: the base fixture, and the project's own sample
//! knowledge base (so CI fails when a sample document breaks).

use crate::support::TestRepo;

#[test]
fn base_fixture_passes_without_findings() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let run = repo.run(&["check"]);
    assert_eq!(run.stderr(), "checked 3 documents: 0 errors, 0 warnings\n");
    assert_eq!(run.code(), 0);
}

#[test]
fn sample_knowledge_base_passes_check() {
    let repo = crate::search::sample_repo();
    let run = repo.run(&["check", "--format", "json"]);
    let errors: Vec<_> = run
        .json()
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .cloned()
        .collect();
    assert_eq!(errors, Vec::<serde_json::Value>::new(), "{}", run.stderr());
    assert_eq!(run.code(), 0);
    let summary = run.stderr();
    let checked: usize = summary
        .strip_prefix("checked ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("summary line");
    assert!(checked >= 36, "{summary}");
}
