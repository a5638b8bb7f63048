//! Repository states, committed versus working-tree content, configuration errors and the
//! output formats of `check`.

use crate::support::{TestRepo, run_in};

/// Exit code 2 and a single-line error on stderr.
fn assert_one_line_error(run: &crate::support::Run, expected: &str) {
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let stderr = run.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn not_a_repository() {
    let dir = TestRepo::empty();
    assert_one_line_error(&dir.run(&["check"]), "error: not a git repository");
}

#[test]
fn repository_without_commits() {
    let repo = TestRepo::fixture("base");
    repo.init();
    assert_one_line_error(&repo.run(&["check"]), "the repository has no commits yet");
    // The working tree can still be checked before the first commit.
    assert_eq!(repo.run(&["check", "--worktree"]).code(), 0);
}

#[test]
fn bare_repository() {
    let dir = TestRepo::empty();
    git2::Repository::init_bare(dir.path()).expect("bare");
    assert_one_line_error(&dir.run(&["check"]), "is a bare repository");
}

#[test]
fn missing_knowledge_folder() {
    let repo = TestRepo::empty();
    repo.write("README.md", "not a content repository\n");
    repo.commit("readme");
    assert_one_line_error(&repo.run(&["check"]), "no `knowledge/` folder in commit");
    // A fault in the commit itself: a server does not retry it at every poll.
    let opened = casebook::load::Repo::discover(repo.path()).expect("open");
    let err = opened
        .load(
            &casebook::load::Source::Revision("HEAD".into()),
            "knowledge",
        )
        .expect_err("no knowledge folder");
    assert!(!err.is_transient(), "{err}");
    let failure = casebook::serve::watch::Failure::from(casebook::error::Error::from(err));
    assert!(!failure.is_transient());
    assert!(
        failure.health().contains("no `knowledge/` folder"),
        "{}",
        failure.health()
    );
}

#[test]
fn unknown_revision() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_one_line_error(
        &repo.run(&["check", "--rev", "no-such-branch"]),
        "unknown revision `no-such-branch`",
    );
}

#[test]
fn detached_head_checks_the_commit_it_points_at() {
    let repo = TestRepo::fixture("base");
    let first = repo.commit("base");
    repo.write("knowledge/notes.md", "# stray\n");
    repo.commit("add a stray file");
    let git = git2::Repository::open(repo.path()).expect("open");
    git.set_head_detached(git2::Oid::from_str(&first).expect("oid"))
        .expect("detach");
    let run = repo.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().starts_with(&format!(
        "note: HEAD is detached; checking commit {}",
        &first[..7]
    )));
}

#[test]
fn rev_reads_an_older_commit() {
    let repo = TestRepo::fixture("base");
    let good = repo.commit("base");
    repo.write("knowledge/notes.md", "# stray\n");
    repo.commit("add a stray file");
    assert_eq!(repo.run(&["check"]).code(), 1);
    assert_eq!(repo.run(&["check", "--rev", &good]).code(), 0);
    assert_eq!(repo.run(&["check", "--rev", "HEAD~1"]).code(), 0);
}

#[test]
fn committed_and_uncommitted_content_are_told_apart() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace("areas: [southampton]", "areas: [portsmuoth]"),
    );
    // `check` reads the commit: the uncommitted typo is not seen.
    assert_eq!(repo.run(&["check"]).code(), 0);
    // `check --worktree` reads the files: it is.
    let run = repo.run(&["check", "--worktree"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("error[E029]: unknown area `portsmuoth`"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("did you mean `portsmouth`?"));
}

#[cfg(unix)]
#[test]
fn committed_symlink_is_reported_and_never_followed() {
    let repo = TestRepo::fixture("base");
    std::os::unix::fs::symlink(
        "/etc/passwd",
        repo.path().join("knowledge/reviews/CR-2024-002.md"),
    )
    .expect("symlink");
    repo.commit("symlink");
    for args in [&["check"][..], &["check", "--worktree"][..]] {
        let run = repo.run(args);
        assert_eq!(run.code(), 1);
        let stderr = run.stderr();
        assert!(
            stderr.contains(
                "knowledge/reviews/CR-2024-002.md:1:1: error[E002]: symbolic links are not read"
            ),
            "{stderr}"
        );
        assert!(
            !stderr.contains("root:"),
            "the link target was read: {stderr}"
        );
    }
}

/// Issue 14: a committed link to a folder inside `knowledge/` is reported (E002), whatever its
/// name, and never followed.
#[cfg(unix)]
#[test]
fn symlinked_folder_is_reported_not_skipped() {
    let repo = TestRepo::fixture("base");
    std::os::unix::fs::symlink("/etc", repo.path().join("knowledge/reviews/more"))
        .expect("symlink");
    repo.commit("symlinked folder");
    for args in [&["check"][..], &["check", "--worktree"][..]] {
        let run = repo.run(args);
        assert_eq!(run.code(), 1, "{args:?}: {}", run.stderr());
        assert!(
            run.stderr()
                .contains("knowledge/reviews/more:1:1: error[E002]: symbolic links are not read"),
            "{args:?}: {}",
            run.stderr()
        );
    }
}

/// Issue 14: a FIFO where a document or the vocabulary should be is reported (E001) and never
/// opened, so `check --worktree` cannot block on it.
#[cfg(unix)]
#[test]
fn a_fifo_in_the_working_tree_is_reported_never_opened() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    for name in [
        "knowledge/reviews/CR-2024-009.md",
        "knowledge/vocabulary.yaml",
    ] {
        let made = std::process::Command::new("mkfifo")
            .arg(repo.path().join(name))
            .status()
            .expect("mkfifo");
        assert!(made.success());
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["check", "--worktree"])
        .current_dir(repo.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run casebook");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("check --worktree blocked on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for name in [
        "knowledge/reviews/CR-2024-009.md",
        "knowledge/vocabulary.yaml",
    ] {
        assert!(
            stderr.contains(&format!("{name}:1:1: error[E001]")),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

/// Issue 14: a file with thousands of findings of one kind, all on one long line, lists the
/// first 50 with a short code frame each and counts the rest in one more finding of the same
/// code (so the check still fails), in human and JSON output alike.
#[test]
fn findings_are_capped_per_file_with_short_code_frames() {
    let repo = TestRepo::fixture("base");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    let links = "[see](CR-2099-001) ".repeat(3000);
    repo.write(path, format!("{text}\n{links}\n"));
    repo.commit("many broken links on one line");

    let json = repo.run(&["check", "--format", "json"]);
    assert_eq!(json.code(), 1);
    let found = json.json();
    let e060: Vec<&serde_json::Value> = found
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["code"] == "E060")
        .collect();
    assert_eq!(e060.len(), 51, "50 listed and one counting the rest");
    assert!(
        e060.iter().any(|d| d["message"]
            == "2950 more `unresolved-link` findings in this file not listed (the first 50 are)"),
        "{e060:#?}"
    );
    let columns: Vec<u64> = e060.iter().filter_map(|d| d["column"].as_u64()).collect();
    assert_eq!(
        &columns[..3],
        &[1, 20, 39],
        "columns are counted right along the line"
    );

    let human = repo.run(&["check"]);
    assert_eq!(human.code(), 1);
    let stderr = human.stderr();
    assert_eq!(stderr.matches("error[E060]").count(), 51);
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        longest < 300,
        "a code frame shows a stretch of a long line, not all of it ({longest} characters)"
    );
    assert!(stderr.contains("…"), "a cut line is marked: {stderr}");
}

/// Issue 14: the link rule — only targets that name a document must resolve (E060); an e-mail
/// autolink and a path on the site are links; an empty target or another scheme-less target is
/// shown as text with a warning (W109).
#[test]
fn link_targets_follow_one_documented_rule() {
    let repo = TestRepo::fixture("base");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        format!(
            "{text}\nWrite to <casework@partnership.example> (the team inbox); see [the matrix](/powers/), [nothing]() and [a file](notes/site.txt).\n"
        ),
    );
    repo.commit("links");
    let found = repo.run(&["check", "--format", "json"]).json();
    let codes: Vec<(&str, &str)> = found
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["code"] == "E060" || d["code"] == "W109")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (
                "W109",
                "link with an empty target will be shown as plain text"
            ),
            (
                "W109",
                "link target `notes/site.txt` is neither a document nor a full address and will be shown as plain text"
            ),
        ]
    );
}

#[test]
fn oversized_file_is_reported_and_the_rest_still_loads() {
    let repo = TestRepo::fixture("base");
    let big = format!(
        "---\nid: CR-2024-002\n---\n{}",
        "Padding line of text.\n".repeat(50_000)
    );
    let size = big.len();
    repo.write("knowledge/reviews/CR-2024-002.md", big);
    repo.write("knowledge/reviews/CR-2024-003.md", "no front matter\n");
    repo.commit("big");
    let run = repo.run(&["check"]);
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    let expected = format!(
        "CR-2024-002.md:1:1: error[E005]: the file is {size} bytes; the limit is 1048576 bytes (1 MiB)"
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        stderr.contains("CR-2024-003.md:1:1: error[E006]"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("checked 5 documents: 2 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn unknown_configuration_key_names_file_and_line() {
    let repo = TestRepo::fixture("base");
    repo.write(
        "casebook.toml",
        "title = \"KB\"\n[serve]\nbnid = \"127.0.0.1:1\"\n",
    );
    repo.commit("config");
    let run = repo.run(&["check"]);
    assert_one_line_error(&run, "casebook.toml:3:1: unknown field `bnid`");
}

#[test]
fn configuration_moves_the_knowledge_folder() {
    let repo = TestRepo::fixture("base");
    std::fs::rename(repo.path().join("knowledge"), repo.path().join("content")).expect("rename");
    repo.write("casebook.toml", "knowledge_dir = \"content\"\n");
    repo.commit("moved");
    let run = repo.run(&["check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn missing_config_file_given_on_the_command_line() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let run = repo.run(&["check", "--config", "nope.toml"]);
    assert_one_line_error(&run, "nope.toml: No such file or directory");
}

#[test]
fn repo_option_works_from_another_directory() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    let elsewhere = TestRepo::empty();
    let path = repo.path().to_str().expect("utf-8 path");
    let run = run_in(elsewhere.path(), &["--repo", path, "check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}

#[test]
fn usage_errors_exit_2() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_eq!(
        repo.run(&["check", "--rev", "HEAD", "--worktree"]).code(),
        2
    );
    assert_eq!(repo.run(&["check", "--format", "xml"]).code(), 2);
    assert_eq!(repo.run(&["no-such-command"]).code(), 2);
}

#[test]
fn json_output_has_every_field() {
    let repo = TestRepo::invalid_case("unknown-area");
    repo.commit("fixture");
    let run = repo.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1);
    insta::assert_json_snapshot!(run.json(), @r#"
    [
      {
        "code": "E029",
        "column": 9,
        "field": "areas[0]",
        "hint": "did you mean `portsmouth`?",
        "line": 18,
        "message": "unknown area `portsmuoth`",
        "name": "unknown-term",
        "path": "knowledge/reviews/CR-2024-001-base.md",
        "severity": "error"
      }
    ]
    "#);
    assert_eq!(run.stderr(), "checked 3 documents: 1 error, 0 warnings\n");
}

#[test]
fn crlf_and_bom_files_report_the_same_lines() {
    let repo = TestRepo::invalid_case("unknown-area");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(path, format!("\u{feff}{}", text.replace('\n', "\r\n")));
    repo.commit("crlf");
    let run = repo.run(&["check", "--format", "json"]);
    let d = &run.json()[0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("E029"), Some(18), Some(9))
    );
}

#[test]
fn ownership_checks_are_never_disabled() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).expect("read");
                assert!(
                    !text.contains("set_verify_owner_validation"),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

/// An id, file name or `related:` entry with a multi-byte character where the year's digits
/// should be is a content error, never a crash (it once split a character in two).
#[test]
fn ids_with_multibyte_characters_are_errors_not_crashes() {
    let repo = TestRepo::fixture("base");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        "knowledge/reviews/CR-é€-odd.md",
        text.replace("id: CR-2024-001", "id: CR-é€")
            .replace("related: [AG-GLAA]", "related: [AG-GLAA, CR-20é4-001]"),
    );
    repo.commit("odd ids");
    let run = repo.run(&["check"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(out.contains("CR-é€"), "{out}");
    assert!(out.contains("CR-20é4-001"), "{out}");
}
