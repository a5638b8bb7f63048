//! `casebook build`: the marking ceiling and incremental builds through git commits.

use std::path::Path;

use casebook::index::{FacetName, KbIndex, SearchRequest};

use crate::support::TestRepo;

const BASE_REVIEW: &str = "knowledge/reviews/CR-2024-001-base.md";

/// The base fixture plus an OFFICIAL-SENSITIVE review carrying a nonce word everywhere.
fn repo_with_sensitive_review() -> TestRepo {
    let repo = TestRepo::fixture("base");
    let base = std::fs::read_to_string(repo.path().join(BASE_REVIEW)).expect("read");
    let sensitive = base
        .replace("id: CR-2024-001", "id: CR-2024-002")
        .replace("marking: OFFICIAL", "marking: OFFICIAL-SENSITIVE")
        .replace("Operation Base", "Operation Quillfeather")
        .replace("orders: [ORD-2024-001]\n", "")
        .replace(
            "Plan interpreters early.",
            "Quillfeather learning: plan interpreters early.",
        )
        .replace("areas: [southampton]", "areas: [isle-of-wight]");
    repo.write("knowledge/reviews/CR-2024-002-quillfeather.md", sensitive);
    repo.commit("add a sensitive review");
    repo
}

fn open(repo: &TestRepo, name: &str) -> KbIndex {
    KbIndex::open(&repo.path().join(".casebook").join(name)).expect("open index")
}

fn query(index: &KbIndex, q: &str) -> casebook::index::SearchResponse {
    index.search(&SearchRequest {
        q: q.to_owned(),
        page: 1,
        per_page: 50,
        ..SearchRequest::default()
    })
}

/// What search makes of a misspelling: the corrected query it searched, or the one it offers.
fn spelled(index: &KbIndex, q: &str) -> String {
    let r = query(index, q);
    r.correction
        .map(|c| c.query)
        .or(r.suggestion)
        .unwrap_or_default()
}

#[test]
fn nothing_above_the_ceiling_enters_the_official_index() {
    let repo = repo_with_sensitive_review();
    let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr()
            .contains("index: 3 added, 0 updated, 0 removed, 0 unchanged"),
        "{}",
        run.stderr()
    );
    let official = open(&repo, "index-official");
    let everything = query(&official, "");
    assert_eq!(everything.total, 3);
    for q in [
        "quillfeather",
        "Quillfeather",
        "title:quillfeather",
        "learning:quillfeather",
        "quillfeath*",
        "-interpreters quillfeather",
        "marking:OFFICIAL-SENSITIVE",
        "marking:*",
        "-marking:OFFICIAL",
        "id:CR-2024-002",
        "area:isle-of-wight",
        "*",
    ] {
        let r = query(&official, q);
        let text = serde_json::to_string(&r).expect("json").to_lowercase();
        assert!(
            !text.contains("quillfeather") || q.to_lowercase().contains("quillfeath"),
            "{q}: {text}"
        );
        assert!(
            r.hits
                .iter()
                .all(|h| h.id != "CR-2024-002" && h.marking == "OFFICIAL"),
            "{q}"
        );
        assert!(
            !r.facets["marking"].contains_key("OFFICIAL-SENSITIVE"),
            "{q}"
        );
        assert!(r.total <= 3, "{q}");
        assert!(
            !r.suggestion.unwrap_or_default().contains("quillfeather"),
            "{q}"
        );
    }
    let mut isle = SearchRequest::default();
    isle.filters
        .insert(FacetName::Area, vec!["isle-of-wight".to_owned()]);
    assert_eq!(official.search(&isle).total, 0);
    assert!(!everything.facets["area"].contains_key("isle-of-wight"));
    // Nothing in the index folder carries the nonce in plain text (lexicon included).
    assert_no_file_contains(
        &repo.path().join(".casebook/index-official"),
        "quillfeather",
    );
    // The same build at OFFICIAL-SENSITIVE has it: the test above can fail.
    assert_eq!(repo.run(&["build"]).code(), 0);
    let sensitive = open(&repo, "index-official-sensitive");
    assert_eq!(query(&sensitive, "quillfeather").hits[0].id, "CR-2024-002");
}

fn assert_no_file_contains(dir: &Path, needle: &str) {
    for entry in std::fs::read_dir(dir).expect("index folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(
            !text.contains(needle),
            "{} contains {needle}",
            path.display()
        );
    }
}

/// The build report of a run.
fn report(run: &crate::support::Run) -> String {
    let stderr = run.stderr();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("index: "))
        .unwrap_or_default();
    line.split(" in ").next().unwrap_or_default().to_owned()
}

/// After an incremental build, the index equals a full rebuild of the same commit.
fn assert_matches_full_rebuild(repo: &TestRepo) {
    let incremental = open(repo, "index-official-sensitive").manifest();
    let run = repo.run(&["build", "--full"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(
        open(repo, "index-official-sensitive").manifest(),
        incremental
    );
}

#[test]
fn incremental_builds_follow_commits() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let run = repo.run(&["build"]);
    assert_eq!(
        report(&run),
        "index: 3 added, 0 updated, 0 removed, 0 unchanged"
    );
    assert!(run.stderr().contains("(full rebuild: no index yet)"));
    assert_eq!(
        report(&repo.run(&["build"])),
        "index: 0 added, 0 updated, 0 removed, 3 unchanged"
    );

    let base = std::fs::read_to_string(repo.path().join(BASE_REVIEW)).expect("read");
    let added = base
        .replace("id: CR-2024-001", "id: CR-2024-003")
        .replace("orders: [ORD-2024-001]\n", "");
    repo.write("knowledge/reviews/CR-2024-003-added.md", &added);
    repo.commit("add a review");
    assert_eq!(
        report(&repo.run(&["build"])),
        "index: 1 added, 0 updated, 0 removed, 3 unchanged"
    );
    assert_matches_full_rebuild(&repo);

    repo.write(
        "knowledge/reviews/CR-2024-003-added.md",
        added.replace("A joint visit.", "A joint visit with HMRC."),
    );
    repo.commit("modify it");
    assert_eq!(
        report(&repo.run(&["build"])),
        "index: 0 added, 1 updated, 0 removed, 3 unchanged"
    );
    assert_matches_full_rebuild(&repo);

    std::fs::rename(
        repo.path().join("knowledge/reviews/CR-2024-003-added.md"),
        repo.path().join("knowledge/reviews/CR-2024-003-renamed.md"),
    )
    .expect("rename");
    repo.commit("rename it");
    // Same id, same content: the indexed document is unchanged.
    assert_eq!(
        report(&repo.run(&["build"])),
        "index: 0 added, 0 updated, 0 removed, 4 unchanged"
    );
    assert_matches_full_rebuild(&repo);

    std::fs::remove_file(repo.path().join("knowledge/reviews/CR-2024-003-renamed.md"))
        .expect("delete");
    repo.commit("delete it");
    assert_eq!(
        report(&repo.run(&["build"])),
        "index: 0 added, 0 updated, 1 removed, 3 unchanged"
    );
    assert_matches_full_rebuild(&repo);
}

#[test]
fn a_status_change_unpublishes_the_document() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_eq!(repo.run(&["build"]).code(), 0);
    let path = repo.path().join("knowledge/agencies/AG-GLAA.md");
    let text = std::fs::read_to_string(&path).expect("read");
    repo.write(
        "knowledge/agencies/AG-GLAA.md",
        text.replace("status: approved", "status: withdrawn"),
    );
    repo.commit("withdraw");
    // The review that names the note in `related` is indexed again, without the reference.
    assert_eq!(
        report(&repo.run(&["build"])),
        "index: 0 added, 1 updated, 1 removed, 1 unchanged"
    );
    assert_eq!(
        query(&open(&repo, "index-official-sensitive"), "GLAA")
            .hits
            .iter()
            .filter(|h| h.id == "AG-GLAA")
            .count(),
        0
    );
}

#[test]
fn content_errors_stop_the_build_and_keep_the_index() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_eq!(repo.run(&["build"]).code(), 0);
    let text = std::fs::read_to_string(repo.path().join(BASE_REVIEW)).expect("read");
    repo.write(
        BASE_REVIEW,
        text.replace("areas: [southampton]", "areas: [portsmuoth]"),
    );
    repo.commit("typo");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("error[E029]: unknown area `portsmuoth`")
    );
    assert!(
        run.stderr()
            .contains("build stopped: fix the errors above; nothing was written")
    );
    assert_eq!(open(&repo, "index-official-sensitive").num_docs(), 3);
}

#[test]
fn search_without_an_index_says_to_build() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let run = repo.run(&["search", "interpreters"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("run `casebook build` first"),
        "{}",
        run.stderr()
    );
}

#[test]
fn bad_ceiling_is_a_usage_error() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let run = repo.run(&["build", "--max-marking", "SECRET"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("`--max-marking` is `SECRET`"),
        "{}",
        run.stderr()
    );
}

#[test]
fn generated_corpus_passes_check_and_builds() {
    let bin = Path::new(env!("CARGO_BIN_EXE_casebook"));
    let generator = bin
        .parent()
        .expect("target folder")
        .join("examples/gen_corpus");
    assert!(
        generator.exists(),
        "`cargo test` builds the examples: {}",
        generator.display()
    );
    let dir = TestRepo::empty();
    let out = dir.path().join("corpus");
    let status = std::process::Command::new(&generator)
        .env("CASEBOOK_TODAY", crate::support::TODAY)
        .args(["--docs", "90", "--commits", "12", "--out"])
        .arg(&out)
        .status()
        .expect("run the generator");
    assert!(status.success());
    let check = crate::support::run_in(&out, &["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    assert!(
        check
            .stderr()
            .ends_with("checked 90 documents: 0 errors, 0 warnings\n"),
        "{}",
        check.stderr()
    );
    let commits = git2::Repository::open(&out).expect("repo");
    let mut walk = commits.revwalk().expect("walk");
    walk.push_head().expect("head");
    assert_eq!(walk.count(), 12);
    let build = crate::support::run_in(&out, &["build"]);
    assert_eq!(build.code(), 0, "{}", build.stderr());
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// The files that differ between two sites (either side may lack one), by path.
fn differing(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut out: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Issue 12: two builds of one commit, the second from scratch, into two folders, write
/// byte-identical sites; `--base-url` reaches the feed.
#[test]
fn two_builds_of_one_commit_are_identical() {
    let repo = crate::search::sample_repo();
    let a = repo.path().join("site-a");
    let b = repo.path().join("site-b");
    let first = repo.run(&[
        "build",
        "--output-dir",
        "site-a",
        "--base-url",
        "https://kb.example.org",
    ]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let second = repo.run(&[
        "build",
        "--full",
        "--output-dir",
        "site-b",
        "--base-url",
        "https://kb.example.org",
    ]);
    assert_eq!(second.code(), 0, "{}", second.stderr());
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 100, "{} files", ta.len());
    let differ = differing(&ta, &tb);
    assert!(differ.is_empty(), "differ: {differ:?}");
    let feed = String::from_utf8(ta["feed.xml"].clone()).expect("utf-8");
    // minijinja escapes `/` in XML too (`&#x2f;`), which every XML reader decodes.
    assert!(
        feed.contains("https:&#x2f;&#x2f;kb.example.org&#x2f;"),
        "{feed}"
    );
}

/// Issue 13: a build after a commit that changes what other pages derive (a review's codes move
/// it between similar-document lists, one review is deleted, one body is revised) updates the
/// site in place, and the result equals a clean build of that commit byte for byte.
#[test]
fn an_incremental_site_equals_a_clean_build() {
    let repo = crate::search::sample_repo();
    let first = repo.run(&["build", "--output-dir", "site-a"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let before = tree(&repo.path().join("site-a"));

    let moved = "knowledge/reviews/CR-2019-004-industrial-units.md";
    let text = std::fs::read_to_string(repo.path().join(moved)).expect("read");
    repo.write(
        moved,
        text.replace(
            "exploitation: [cannabis-cultivation]",
            "exploitation: [labour]",
        )
        .replace(
            "tags: [industrial-units,",
            "tags: [agriculture, industrial-units,",
        ),
    );
    std::fs::remove_file(
        repo.path()
            .join("knowledge/reviews/CR-2024-008-kidney-donation-travel.md"),
    )
    .expect("delete");
    let revised = "knowledge/reviews/CR-2021-002-short-let-flats.md";
    let text = std::fs::read_to_string(repo.path().join(revised)).expect("read");
    repo.write(
        revised,
        format!("{text}\nA closing paragraph added on review.\n"),
    );
    repo.commit("recode, delete and revise");

    let incremental = repo.run(&["build", "--output-dir", "site-a"]);
    assert_eq!(incremental.code(), 0, "{}", incremental.stderr());
    let clean = repo.run(&["build", "--full", "--output-dir", "site-b"]);
    assert_eq!(clean.code(), 0, "{}", clean.stderr());
    let (ta, tb) = (
        tree(&repo.path().join("site-a")),
        tree(&repo.path().join("site-b")),
    );
    let differ = differing(&ta, &tb);
    assert!(differ.is_empty(), "differ from a clean build: {differ:?}");
    assert!(!ta.contains_key("reviews/CR-2024-008/index.html"));
    let changed = ta.keys().filter(|k| before.get(*k) != ta.get(*k)).count();
    assert!(
        changed > 3 && changed < ta.len() / 2,
        "{changed} of {} files changed",
        ta.len()
    );
}

/// Issue 14: when a site file cannot be written (here a folder stands where the build stages
/// it: an injected write error, as a full disk or a read-only folder would give), the build
/// fails naming the file, the index stays at the previous commit with the site, nothing staged
/// is left behind, and the next build needs no clean-up.
#[test]
fn a_site_that_cannot_be_written_leaves_index_and_site_in_step() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let first = repo.run(&["build"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let public = repo.path().join("public");
    let site_before = tree(&public);
    let index_before = open(&repo, "index-official-sensitive").manifest();

    let base = std::fs::read_to_string(repo.path().join(BASE_REVIEW)).expect("read");
    repo.write(
        BASE_REVIEW,
        base.replace("A joint visit.", "A joint visit with the zephyrine team."),
    );
    repo.commit("revise the review");
    let blocker = public.join("reviews/CR-2024-001/.index.html.partial");
    std::fs::create_dir_all(blocker.join("in-the-way")).expect("block the staging");

    let failed = repo.run(&["build"]);
    assert_eq!(failed.code(), 2, "{}", failed.stderr());
    assert!(
        failed.stderr().contains(".index.html.partial"),
        "the error names the file: {}",
        failed.stderr()
    );
    let index = open(&repo, "index-official-sensitive");
    assert_eq!(index.manifest(), index_before, "the index did not move on");
    assert_eq!(query(&index, "zephyrine").total, 0);
    std::fs::remove_dir_all(&blocker).expect("unblock");
    assert_eq!(
        tree(&public),
        site_before,
        "the site is as it was, with nothing staged left in it"
    );

    let next = repo.run(&["build"]);
    assert_eq!(next.code(), 0, "{}", next.stderr());
    assert_eq!(
        query(&open(&repo, "index-official-sensitive"), "zephyrine").total,
        1
    );
    let page =
        std::fs::read_to_string(public.join("reviews/CR-2024-001/index.html")).expect("page");
    assert!(page.contains("zephyrine"));
}

/// Issue 12: `--output-dir` never replaces a folder it did not write.
#[test]
fn output_dir_refuses_a_folder_it_did_not_write() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    repo.write("mine/notes.txt", "keep me");
    let run = repo.run(&["build", "--output-dir", "mine"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("did not write"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(repo.path().join("mine/notes.txt")).expect("kept"),
        "keep me"
    );
    // A folder it wrote itself is replaced on the next build.
    assert_eq!(repo.run(&["build", "--output-dir", "out"]).code(), 0);
    assert_eq!(repo.run(&["build", "--output-dir", "out"]).code(), 0);
    assert!(repo.path().join("out/index.html").is_file());
    let bad = repo.run(&["build", "--base-url", "kb.example.org"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("https://"), "{}", bad.stderr());
}

/// Issue 12: `--errors-only` leaves warnings out of what is printed (the summary still counts
/// them); `--quiet` prints nothing but diagnostics.
#[test]
fn errors_only_and_quiet_trim_the_output() {
    let repo = crate::search::sample_repo();
    let full = repo.run(&["check"]);
    assert_eq!(full.code(), 0);
    assert!(
        full.stderr().contains("warning[W10"),
        "the sample has warnings"
    );
    let errors_only = repo.run(&["check", "--errors-only"]);
    assert_eq!(errors_only.code(), 0);
    assert!(
        !errors_only.stderr().contains("warning["),
        "{}",
        errors_only.stderr()
    );
    // The summary, then what the check left unpublished and why.
    let stderr = full.stderr();
    let summary = stderr
        .find("\nchecked ")
        .map(|at| stderr[at + 1..].trim().to_owned())
        .unwrap_or_default();
    assert!(summary.starts_with("checked "), "{stderr}");
    assert!(
        summary.ends_with("set `status: approved` to publish"),
        "{summary}"
    );
    assert_eq!(
        errors_only.stderr().trim(),
        summary,
        "only the summary and what was left out"
    );
    let json = repo.run(&["check", "--errors-only", "--format", "json"]);
    assert_eq!(json.json(), serde_json::json!([]));
    let quiet = repo.run(&["build", "--quiet", "--errors-only"]);
    assert_eq!(quiet.code(), 0, "{}", quiet.stderr());
    assert_eq!(quiet.stderr(), "", "nothing to say");
    let quiet_warnings = repo.run(&["check", "-q"]);
    assert!(quiet_warnings.stderr().contains("warning["));
    assert!(
        !quiet_warnings.stderr().contains("checked "),
        "no summary line"
    );
}

/// Issue 14 (found by scripts/faults.sh): a build killed part-way through a full rebuild left
/// `index-….new` beside the index, and the previous index moved aside as `index-….old`; the
/// next build, incremental or not, puts the previous index back and removes both.
#[test]
fn a_killed_full_rebuilds_leftovers_are_swept_by_the_next_build() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let first = repo.run(&["build"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let state = repo.path().join(".casebook");
    let index = state.join("index-official-sensitive");
    let fresh = state.join("index-official-sensitive.new");
    let old = state.join("index-official-sensitive.old");
    // Killed while writing the new index: a half-written `.new`.
    std::fs::create_dir_all(&fresh).expect("mkdir");
    std::fs::write(fresh.join("meta.json"), "{").expect("write");
    let next = repo.run(&["build"]);
    assert_eq!(next.code(), 0, "{}", next.stderr());
    assert!(!fresh.exists(), "the unfinished index is removed");
    // Killed between moving the old index aside and moving the new one in.
    std::fs::rename(&index, &old).expect("move aside");
    std::fs::create_dir_all(&fresh).expect("mkdir");
    let after = repo.run(&["build"]);
    assert_eq!(after.code(), 0, "{}", after.stderr());
    assert!(index.join("meta.json").is_file(), "the index is back");
    assert!(!fresh.exists() && !old.exists(), "nothing left beside it");
    assert!(
        !after.stderr().contains("full rebuild") && after.stderr().contains("index: 0 added"),
        "the previous index was put back, not rebuilt: {}",
        after.stderr()
    );
    let search = repo.run(&["search", "--format", "json", "glaa"]);
    assert_eq!(search.code(), 0, "{}", search.stderr());
}

/// Every file of an index folder whose bytes hold `word` (any case).
fn files_holding(dir: &Path, word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("index folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        if String::from_utf8_lossy(&bytes)
            .to_lowercase()
            .contains(word)
        {
            out.push(path.display().to_string());
        }
    }
    out
}

/// The documents an index's segments still hold deleted (tantivy's `meta.json`): their text
/// stays in the segment files until the segment is merged.
fn deleted_documents(dir: &Path) -> u64 {
    let meta = std::fs::read_to_string(dir.join("meta.json")).expect("meta.json");
    let meta: serde_json::Value = serde_json::from_str(&meta).expect("json");
    let segments = meta["segments"].as_array().expect("segments");
    assert!(!segments.is_empty());
    segments
        .iter()
        .filter_map(|s| s["deletes"]["num_deleted_docs"].as_u64())
        .sum()
}

/// A review committed as OFFICIAL by mistake (and revised once, so that an earlier version sits
/// in another segment) leaves the OFFICIAL edition — re-marked, withdrawn or deleted — and with
/// it every byte of its text leaves that edition's index folder, in the same incremental build.
#[test]
fn a_document_that_leaves_an_edition_leaves_no_text_in_its_index() {
    const PATH: &str = "knowledge/reviews/CR-2022-009-quorvantix.md";
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("knowledge/reviews/CR-2022-005-city-centre-begging.md"),
    )
    .expect("read");
    let review = source
        .replace("id: CR-2022-005", "id: CR-2022-009")
        .replace("orders: [ORD-2022-003]\n", "")
        .replace("Operation Copse", "Operation Quorvantix");
    assert!(review.contains("marking: OFFICIAL\n") && review.contains("Quorvantix"));
    for leaves in ["re-marked", "withdrawn", "deleted"] {
        let repo = crate::search::sample_repo();
        repo.write(PATH, &review);
        repo.commit("a sensitive review committed as OFFICIAL");
        let build = || {
            let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
            assert_eq!(run.code(), 0, "{}", run.stderr());
            report(&run)
        };
        build();
        repo.write(
            PATH,
            review.replace("Pattern spotting.", "Spotting the pattern."),
        );
        repo.commit("revise it");
        assert_eq!(
            build(),
            "index: 0 added, 1 updated, 0 removed, 34 unchanged"
        );
        let dir = repo.path().join(".casebook/index-official");
        // The scan can fail: the text is there, in the live version and in the earlier one
        // (the doc stores of two segments).
        assert!(files_holding(&dir, "quorvantix").len() >= 2);
        assert_eq!(deleted_documents(&dir), 1, "the earlier version");
        let index = open(&repo, "index-official");
        assert_eq!(query(&index, "quorvantix").total, 1);
        let near_miss = spelled(&index, "quorvantics");
        assert!(near_miss.contains("quorvantix"), "{near_miss}");
        drop(index);
        match leaves {
            "re-marked" => repo.write(
                PATH,
                review.replace("marking: OFFICIAL\n", "marking: OFFICIAL-SENSITIVE\n"),
            ),
            "withdrawn" => repo.write(
                PATH,
                review.replace("status: approved", "status: withdrawn"),
            ),
            _ => {
                std::fs::remove_file(repo.path().join(PATH)).expect("delete");
                &repo
            }
        };
        repo.commit(leaves);
        assert_eq!(
            build(),
            "index: 0 added, 0 updated, 1 removed, 34 unchanged",
            "{leaves}"
        );
        let index = open(&repo, "index-official");
        assert_eq!(index.num_docs(), 34, "{leaves}");
        assert!(query(&index, "interpreters").total > 0, "{leaves}");
        let near_miss = spelled(&index, "quorvantics");
        assert!(!near_miss.contains("quorvantix"), "{leaves}: {near_miss}");
        assert_eq!(
            files_holding(&dir, "quorvantix"),
            Vec::<String>::new(),
            "{leaves}: the review's text is still on disk"
        );
        assert_eq!(deleted_documents(&dir), 0, "{leaves}");
    }
}

/// When an order is re-marked above the OFFICIAL ceiling, the OFFICIAL documents that name it
/// (CR-2021-007 in `orders` and its text, ORD-2021-003 in `application`, `related` and its
/// text) are indexed again in the same incremental build without its id, their earlier
/// versions are gone from disk, and the index equals a full rebuild's; marked back, the order
/// and the references return.
#[test]
fn documents_naming_one_that_leaves_are_indexed_again_without_its_id() {
    const ORDER: &str = "knowledge/orders/ORD-2021-002.md";
    let repo = crate::search::sample_repo();
    let official = || {
        let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        report(&run)
    };
    official();
    let dir = repo.path().join(".casebook/index-official");
    // The ids are not in the index files as plain bytes (compressed, or sharing prefixes in
    // term dictionaries), so the index is asked: by search, and for what its segments hold.
    // The hits of a query, and whether any of them (or the suggestion) shows the order's id.
    let hits = |q: &str| -> (Vec<String>, bool) {
        let r = query(&open(&repo, "index-official"), q);
        let shown = r.hits.iter().chain(&r.partial_hits).any(|h| {
            let hit = serde_json::to_string(h).expect("json").to_lowercase();
            hit.contains("ord-2021-002")
        }) || r
            .suggestion
            .as_deref()
            .is_some_and(|s| s.contains("2021-002"));
        (r.hits.into_iter().map(|h| h.id).collect(), shown)
    };
    let (found, shown) = hits("\"ORD-2021-002\"");
    assert!(
        shown && found.contains(&"CR-2021-007".to_owned()),
        "{found:?}"
    );
    assert_eq!(hits("id:ORD-2021-002").0, ["ORD-2021-002"]);
    let text = std::fs::read_to_string(repo.path().join(ORDER)).expect("read");
    let sensitive = text.replace("marking: OFFICIAL\n", "marking: OFFICIAL-SENSITIVE\n");
    assert_ne!(text, sensitive);
    repo.write(ORDER, &sensitive);
    repo.commit("re-mark the full order");
    assert_eq!(
        official(),
        "index: 0 added, 2 updated, 1 removed, 31 unchanged"
    );
    for q in [
        "id:ORD-2021-002",
        "ORD-2021-002",
        "\"ORD-2021-002\"",
        "county lines",
        "*",
    ] {
        let (found, shown) = hits(q);
        assert!(!shown && !found.contains(&"ORD-2021-002".to_owned()), "{q}");
    }
    assert_eq!(
        deleted_documents(&dir),
        0,
        "no earlier version is left on disk"
    );
    let incremental = open(&repo, "index-official").manifest();
    let full = repo.run(&["build", "--max-marking", "OFFICIAL", "--full"]);
    assert_eq!(full.code(), 0, "{}", full.stderr());
    assert_eq!(open(&repo, "index-official").manifest(), incremental);
    repo.write(ORDER, &text);
    repo.commit("mark it back");
    assert_eq!(
        official(),
        "index: 1 added, 2 updated, 0 removed, 31 unchanged"
    );
    assert!(
        hits("\"ORD-2021-002\"")
            .0
            .contains(&"CR-2021-007".to_owned())
    );
}

/// The files of the derived-fact store, by name, with their bytes.
fn store_files(repo: &TestRepo) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(&repo.path().join(".casebook/derived"))
}

/// One change a contributor commits, picked by `roll` (see the test below).
fn random_change(
    repo: &TestRepo,
    kind: u64,
    roll: u64,
    step: usize,
    added: &mut Vec<String>,
) -> String {
    let reviews = repo.path().join("knowledge/reviews");
    let mut names: Vec<String> = std::fs::read_dir(&reviews)
        .expect("reviews")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let pick = &names[roll as usize % names.len()];
    let path = format!("knowledge/reviews/{pick}");
    let text = std::fs::read_to_string(repo.path().join(&path)).expect("read");
    match kind {
        0 => {
            repo.write(
                &path,
                format!("{text}\nA paragraph added at step {step}.\n"),
            );
            format!("revise {pick}")
        }
        1 => {
            let recoded = text
                .replacen("tags: [", &format!("tags: [step-{step}, "), 1)
                .replacen("exploitation: [", "exploitation: [labour, ", 1);
            repo.write(&path, recoded);
            format!("recode {pick}")
        }
        2 => {
            let old_id = pick.get(..11).expect("id");
            // The review's year, which its id must carry.
            let id = format!("CR-{}-{:03}", &old_id[3..7], 900 + step);
            let copy = text.replace(&format!("id: {old_id}"), &format!("id: {id}"))
                + &format!("\nCopied at step {step}.\n");
            let name = format!("{id}-copy-{step}.md");
            repo.write(&format!("knowledge/reviews/{name}"), copy);
            added.push(name);
            format!("add {id}")
        }
        3 => {
            let to = pick.replace(".md", "-renamed.md");
            std::fs::rename(reviews.join(pick), reviews.join(&to)).expect("rename");
            format!("rename {pick}")
        }
        4 if !added.is_empty() => {
            let gone = added.remove(0);
            std::fs::remove_file(reviews.join(&gone)).expect("delete");
            format!("delete {gone}")
        }
        5 => {
            let vocab = repo.path().join("knowledge/vocabulary.yaml");
            let text = std::fs::read_to_string(&vocab).expect("vocabulary");
            let changed = text.replacen(
                "Victims rarely call themselves victims",
                &format!("Victims rarely call themselves victims (step {step})"),
                1,
            );
            std::fs::write(&vocab, changed).expect("write");
            "vocabulary".to_owned()
        }
        6 => {
            repo.write(
                "templates/404.html",
                format!("{{% extends \"base.html\" %}}{{% block content %}}<p>Not here ({step}).</p>{{% endblock %}}"),
            );
            "template".to_owned()
        }
        _ => {
            repo.write(
                "casebook.toml",
                format!("title = \"Partnership learning, edition {step}\"\n"),
            );
            "configuration".to_owned()
        }
    }
}

/// Issue 26: after any run of commits (revisions, recoding, additions, renames, deletions, a
/// vocabulary change, a template change, a configuration change), a build that reuses what the
/// last build derived (the stored history and similar lists, the pages whose keys did not
/// change) leaves the site, the index and the store byte for byte as a clean build of the same
/// commit does.
#[test]
fn builds_that_reuse_what_was_derived_equal_clean_builds() {
    let repo = crate::search::sample_repo();
    let first = repo.run(&["build", "--output-dir", "site-a"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    let mut state = 0x5eed_2026_u64;
    let mut roll = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    // Every kind of change once, in an order of the seed's, then changes to documents
    // only (each kind of change is then built on top of the others).
    let mut kinds: Vec<u64> = (0..8).collect();
    for i in (1..kinds.len()).rev() {
        kinds.swap(i, roll() as usize % (i + 1));
    }
    kinds.extend([1, 2, 0, 1, 4]);
    let mut added = Vec::new();
    for (step, kind) in kinds.into_iter().enumerate() {
        let what = random_change(&repo, kind, roll(), step, &mut added);
        repo.commit(&what);
        let reused = repo.run(&["build", "--output-dir", "site-a"]);
        assert_eq!(reused.code(), 0, "{what}: {}", reused.stderr());
        let index = open(&repo, "index-official-sensitive").manifest();
        let store = store_files(&repo);
        let _ = std::fs::remove_dir_all(repo.path().join("site-b"));
        let clean = repo.run(&["build", "--full", "--output-dir", "site-b"]);
        assert_eq!(clean.code(), 0, "{what}: {}", clean.stderr());
        let (ta, tb) = (
            tree(&repo.path().join("site-a")),
            tree(&repo.path().join("site-b")),
        );
        let differ = differing(&ta, &tb);
        assert!(
            differ.is_empty(),
            "after {what}, differ from a clean build: {differ:?}"
        );
        assert_eq!(
            open(&repo, "index-official-sensitive").manifest(),
            index,
            "after {what}"
        );
        assert_eq!(store_files(&repo), store, "after {what}");
    }
}

/// A site built with `args` (and `--output-dir DIR`) equals a clean build of the same commit
/// into a fresh folder, as if today were `today`.
fn assert_equals_clean(repo: &TestRepo, today: &str, dir: &str, args: &[&str]) {
    let mut reused: Vec<&str> = vec!["build", "--output-dir", dir];
    reused.extend(args);
    let run = repo.run_on(today, &reused);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let _ = std::fs::remove_dir_all(repo.path().join("site-clean"));
    let mut clean: Vec<&str> = vec!["build", "--full", "--output-dir", "site-clean"];
    clean.extend(args);
    let run = repo.run_on(today, &clean);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let (ta, tb) = (
        tree(&repo.path().join(dir)),
        tree(&repo.path().join("site-clean")),
    );
    let differ = differing(&ta, &tb);
    assert!(differ.is_empty(), "differ from a clean build: {differ:?}");
}

/// Issue 26: each input of a page's key that is not the document itself renders the page
/// again when it changes: the title of a document it names, the date (what falls due), and an
/// edition leaving out a document it names.
#[test]
fn a_page_is_rendered_again_when_what_it_shows_of_others_changes() {
    let repo = crate::search::sample_repo();
    let named = "knowledge/reviews/CR-2026-001-car-wash-network-follow-up.md";
    // An agency note that names the follow-up, which does not name it back (so the title
    // reaches the note's page only as a document it names, not as a backlink).
    let note = "knowledge/agencies/AG-SALV.md";
    let text = std::fs::read_to_string(repo.path().join(note)).expect("read");
    repo.write(
        note,
        text.replacen(
            "fictional: true\n",
            "fictional: true\nrelated: [CR-2026-001]\n",
            1,
        ),
    );
    repo.commit("the note names the follow-up");
    let page = |dir: &str| {
        std::fs::read_to_string(repo.path().join(dir).join("agencies/AG-SALV/index.html"))
            .expect("page")
    };
    assert_equals_clean(&repo, "2026-12-08", "site-a", &[]);
    assert_equals_clean(
        &repo,
        "2026-12-08",
        "site-o",
        &["--max-marking", "OFFICIAL"],
    );
    assert!(page("site-o").contains("CR-2026-001"));

    // The title of a document the page names.
    let text = std::fs::read_to_string(repo.path().join(named)).expect("read");
    repo.write(
        named,
        text.replace(
            "Operation Kestrel Lane follow-up:",
            "Kestrel Lane, the follow-up:",
        ),
    );
    repo.commit("retitle the follow-up");
    assert_equals_clean(&repo, "2026-12-08", "site-a", &[]);
    assert!(page("site-a").contains("Kestrel Lane, the follow-up:"));

    // The date: what is overdue and what falls due move.
    assert_equals_clean(&repo, "2026-12-31", "site-a", &[]);

    // The document it names goes above the OFFICIAL edition's ceiling.
    let text = std::fs::read_to_string(repo.path().join(named)).expect("read");
    repo.write(
        named,
        text.replacen("marking: OFFICIAL\n", "marking: OFFICIAL-SENSITIVE\n", 1),
    );
    repo.commit("raise the follow-up's marking");
    assert_equals_clean(
        &repo,
        "2026-12-08",
        "site-o",
        &["--max-marking", "OFFICIAL"],
    );
    assert!(!page("site-o").contains("CR-2026-001"));
}
