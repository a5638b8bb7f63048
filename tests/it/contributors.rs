//! Issue 12: the contributor's commands — `init`, `new`, `check --worktree`, `hooks`,
//! `history`, `stats` — walked as a contributor would, in fresh folders with a home folder of
//! their own (so the machine's git configuration plays no part).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Run, TODAY};

/// A contributor's machine: a home folder with a git identity, and a work folder.
struct Desk {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    work: PathBuf,
}

impl Desk {
    fn new(identity: bool) -> Desk {
        let tmp = tempfile::tempdir().expect("tempdir");
        let home = tmp.path().join("home");
        let work = tmp.path().join("work");
        std::fs::create_dir_all(&home).expect("home");
        std::fs::create_dir_all(&work).expect("work");
        if identity {
            std::fs::write(
                home.join(".gitconfig"),
                "[user]\n\tname = Dana Analyst\n\temail = dana@example.org\n[init]\n\tdefaultBranch = main\n",
            )
            .expect("gitconfig");
        }
        Desk {
            _tmp: tmp,
            home,
            work,
        }
    }

    fn env(&self, c: &mut Command) {
        c.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("CASEBOOK_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_AUTHOR_NAME")
            .env_remove("GIT_AUTHOR_EMAIL")
            .env_remove("GIT_COMMITTER_NAME")
            .env_remove("GIT_COMMITTER_EMAIL");
    }

    /// `casebook ARGS` in `dir`.
    fn casebook(&self, dir: &Path, args: &[&str]) -> Run {
        let mut c = Command::new(env!("CARGO_BIN_EXE_casebook"));
        c.args(args).current_dir(dir);
        self.env(&mut c);
        Run(c.output().expect("run casebook"))
    }

    /// `git ARGS` in `dir`.
    fn git(&self, dir: &Path, args: &[&str]) -> Run {
        let mut c = Command::new("git");
        c.args(args).current_dir(dir);
        self.env(&mut c);
        Run(c.output().expect("run git"))
    }
}

/// Replaces every placeholder of a case-review skeleton with a value a contributor would
/// write, by the field it fills (tracked through the top-level key for nested fields).
fn fill(skeleton: &str) -> String {
    let mut top = String::new();
    let mut out = String::new();
    for line in skeleton.lines() {
        if !line.starts_with([' ', '#', '-']) && line.contains(':') {
            top = line.split(':').next().unwrap_or_default().to_owned();
        }
        let filled = if line.starts_with("TODO:") {
            "At the premises the team found interpreters from outside the community; the tessellated rota showed the hours worked.".to_owned()
        } else if let Some((key, _)) = line
            .split_once(": \"TODO:")
            .or_else(|| line.split_once(" \"TODO:"))
        {
            let field = key
                .trim_start()
                .trim_start_matches("- ")
                .trim_end_matches(':');
            let value = match (top.as_str(), field) {
                (_, "marking") => "OFFICIAL",
                (_, "owner" | "lead_agency") => "HIOWC",
                (_, "operation") => "\"Operation Tessellate\"",
                (_, "review_type") => "debrief",
                ("investigation", "start") => "2025-01",
                (_, "review_date") => "2026-03-10",
                ("areas", "-") => "portsmouth",
                ("exploitation", "-") => "labour",
                ("offences", "code") => "MSA2015-s1",
                ("offences", "outcome") => "convicted",
                ("victims", "total" | "adults") => "2",
                ("victims", "children") => "0",
                ("perpetrators", "total") => "1",
                ("perpetrators", "-") => "employer",
                ("perpetrators", "ocg") => "false",
                (_, "referral_source") => "glaa",
                (_, "outcome") => "convicted",
                ("agencies", "code") => "HIOWC",
                ("themes", "-") => "interpreters",
                ("learning", "text") => "\"Interpreters were booked from outside the community.\"",
                ("learning", "-") => "interpreters",
                ("learning", "grade") => "promising",
                other => panic!("no value for {other:?} in: {line}"),
            };
            format!(
                "{key}{}{value}",
                if key.ends_with('-') { " " } else { ": " }
            )
        } else {
            line.to_owned()
        };
        out.push_str(&filled);
        out.push('\n');
    }
    out
}

/// The contributor's walkthrough, end to end: `init` → `new case-review` → fill the
/// placeholders → `check --worktree` clean → commit → `build` → `search` finds it →
/// `history` shows the commit → `stats` equals the statistics page.
#[test]
fn a_new_knowledge_base_to_a_published_review() {
    let desk = Desk::new(true);
    let init = desk.casebook(&desk.work, &["init", "kb"]);
    assert_eq!(init.code(), 0, "{}", init.stderr());
    let kb = desk.work.join("kb");
    for path in [
        "casebook.toml",
        ".gitignore",
        "README.md",
        "knowledge/vocabulary.yaml",
        "knowledge/reviews/CR-2024-001-example-car-wash.md",
        "knowledge/orders/ORD-2024-001.md",
        "knowledge/agencies/AG-GLAA.md",
    ] {
        assert!(kb.join(path).is_file(), "{path}");
    }
    let log = desk.git(&kb, &["log", "--format=%an|%s"]);
    assert_eq!(
        log.stdout().trim(),
        "Dana Analyst|New knowledge base (casebook init)"
    );
    let check = desk.casebook(&kb, &["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
    assert!(
        check.stderr().contains("0 errors, 0 warnings"),
        "{}",
        check.stderr()
    );

    // A skeleton: only placeholder findings, one per field, each on its own line.
    let new = desk.casebook(
        &kb,
        &[
            "new",
            "case-review",
            "--title",
            "Operation Tessellate: nail bar workers — debrief",
        ],
    );
    assert_eq!(new.code(), 0, "{}", new.stderr());
    let rel = new.stdout().trim().to_owned();
    assert_eq!(
        rel,
        "knowledge/reviews/CR-2026-001-operation-tessellate-nail-bar-workers-debrief.md"
    );
    let file = kb.join(&rel);
    let skeleton = std::fs::read_to_string(&file).expect("skeleton");
    let open = desk.casebook(&kb, &["check", "--worktree", "--format", "json"]);
    assert_eq!(open.code(), 1);
    let found = open.json();
    let found = found.as_array().expect("diagnostics");
    assert!(found.len() > 20, "{found:?}");
    let mut lines = Vec::new();
    for d in found {
        assert_eq!(d["code"], "E090", "only placeholders: {d}");
        assert_eq!(d["path"], rel.as_str());
        let line = d["line"].as_u64().expect("line") as usize;
        let text = skeleton.lines().nth(line - 1).expect("the line exists");
        assert!(
            text.contains("TODO"),
            "line {line} is the placeholder's: {text}"
        );
        lines.push(line);
    }
    lines.dedup();
    assert_eq!(lines.len(), found.len(), "one finding per field");
    assert_eq!(
        skeleton.lines().filter(|l| l.contains("TODO")).count(),
        found.len(),
        "every placeholder is reported"
    );

    // The README's walk, as written. Filled in (the status stays `draft`, as `new` writes it):
    // clean; committed and built, it is named as not published, and why.
    std::fs::write(&file, fill(&skeleton)).expect("fill");
    let clean = desk.casebook(&kb, &["check", "--worktree"]);
    assert_eq!(clean.code(), 0, "{}", clean.stderr());
    // A check of HEAD says the working tree holds what it did not check.
    let stale = desk.casebook(&kb, &["check"]);
    assert!(
        stale.stderr().contains(&format!(
            "note: 1 file changed since HEAD was not checked ({rel}); `casebook check --worktree` checks it"
        )),
        "{}",
        stale.stderr()
    );
    assert_eq!(desk.git(&kb, &["add", "knowledge"]).code(), 0);
    let commit = desk.git(
        &kb,
        &["commit", "-q", "-m", "Add the Operation Tessellate debrief"],
    );
    assert_eq!(commit.code(), 0, "{}", commit.stderr());
    let build = desk.casebook(&kb, &["build"]);
    assert_eq!(build.code(), 0, "{}", build.stderr());
    assert!(
        build.stderr().contains(
            "1 draft not published: CR-2026-001 (draft); set `status: approved` to publish"
        ),
        "{}",
        build.stderr()
    );
    let checked = desk.casebook(&kb, &["check"]);
    assert!(
        checked
            .stderr()
            .contains("1 draft not published: CR-2026-001 (draft)")
            && !checked.stderr().contains("changed since HEAD"),
        "{}",
        checked.stderr()
    );
    let unfound = desk.casebook(&kb, &["search", "tessellated"]);
    assert!(
        unfound
            .stdout()
            .contains("note: 1 draft or document in review is not in this index"),
        "a search that finds nothing says a draft was left out: {}",
        unfound.stdout()
    );
    // Drafts searched too, for the writer and reviewers.
    let drafts = desk.casebook(&kb, &["build", "--drafts"]);
    assert_eq!(drafts.code(), 0, "{}", drafts.stderr());
    let found = desk.casebook(
        &kb,
        &["search", "--drafts", "tessellated", "--format", "json"],
    );
    assert_eq!(found.code(), 0, "{}", found.stderr());
    assert_eq!(found.json()["hits"][0]["id"], "CR-2026-001");
    // Signed off: `status: approved`, committed, built, found.
    let text = std::fs::read_to_string(&file).expect("review");
    assert!(text.contains("\nstatus: draft\n"), "{text}");
    std::fs::write(
        &file,
        text.replace("\nstatus: draft\n", "\nstatus: approved\n"),
    )
    .expect("approve");
    let approve = desk.git(
        &kb,
        &[
            "commit",
            "-q",
            "-am",
            "Approve the Operation Tessellate debrief",
        ],
    );
    assert_eq!(approve.code(), 0, "{}", approve.stderr());
    let head = desk
        .git(&kb, &["rev-parse", "HEAD"])
        .stdout()
        .trim()
        .to_owned();
    let build = desk.casebook(&kb, &["build"]);
    assert_eq!(build.code(), 0, "{}", build.stderr());
    assert!(
        !build.stderr().contains("not published"),
        "nothing left out now: {}",
        build.stderr()
    );
    assert!(
        desk.git(&kb, &["status", "--porcelain"])
            .stdout()
            .is_empty(),
        "the build output is ignored by git"
    );
    let search = desk.casebook(&kb, &["search", "tessellated", "--format", "json"]);
    assert_eq!(search.code(), 0, "{}", search.stderr());
    assert_eq!(search.json()["hits"][0]["id"], "CR-2026-001");
    let history = desk.casebook(&kb, &["history", "CR-2026-001", "--format", "json"]);
    assert_eq!(history.code(), 0, "{}", history.stderr());
    let h = history.json();
    assert_eq!(h["commits"][0]["commit"], head.as_str());
    assert_eq!(h["commits"][0]["author"], "Dana Analyst");
    assert_eq!(
        h["commits"][0]["message"],
        "Approve the Operation Tessellate debrief"
    );
    assert_eq!(
        h["commits"][1]["message"],
        "Add the Operation Tessellate debrief"
    );
    let human = desk.casebook(&kb, &["history", "CR-2026-001"]);
    assert!(human.stdout().contains(&head[..7]), "{}", human.stdout());
    let stats = desk.casebook(&kb, &["stats", "--format", "json"]);
    assert_eq!(stats.code(), 0, "{}", stats.stderr());
    let page: serde_json::Value = serde_json::from_slice(
        &std::fs::read(kb.join("public/statistics/statistics.json")).expect("statistics.json"),
    )
    .expect("json");
    assert_eq!(stats.json(), page);
    assert!(
        page.to_string().contains("\"2\""),
        "the two reviews are counted: {page}"
    );
}

#[test]
fn init_names_its_branch_whatever_git_defaults_to() {
    let desk = Desk::new(true);
    // A machine whose git starts repositories on `master`.
    std::fs::write(
        desk.home.join(".gitconfig"),
        "[user]\n\tname = Dana Analyst\n\temail = dana@example.org\n[init]\n\tdefaultBranch = master\n",
    )
    .expect("gitconfig");
    let init = desk.casebook(&desk.work, &["init", "kb"]);
    assert_eq!(init.code(), 0, "{}", init.stderr());
    assert!(
        init.stderr().contains("on branch main"),
        "{}",
        init.stderr()
    );
    let kb = desk.work.join("kb");
    assert_eq!(
        desk.git(&kb, &["branch", "--show-current"]).stdout().trim(),
        "main"
    );
    let other = desk.casebook(&desk.work, &["init", "trunk-kb", "--branch", "trunk"]);
    assert_eq!(other.code(), 0, "{}", other.stderr());
    assert_eq!(
        desk.git(&desk.work.join("trunk-kb"), &["branch", "--show-current"])
            .stdout()
            .trim(),
        "trunk"
    );
    let bad = desk.casebook(&desk.work, &["init", "bad-kb", "--branch", "no..dots"]);
    assert_eq!(bad.code(), 2);
    assert!(
        bad.stderr().contains("not a valid branch name"),
        "{}",
        bad.stderr()
    );
}

#[test]
fn init_refuses_a_folder_in_use_and_needs_a_git_identity() {
    let desk = Desk::new(true);
    std::fs::write(desk.work.join("notes.txt"), "mine").expect("write");
    let refused = desk.casebook(&desk.work, &["init"]);
    assert_eq!(refused.code(), 2);
    assert!(
        refused.stderr().contains("is not empty"),
        "{}",
        refused.stderr()
    );
    assert!(!desk.work.join("casebook.toml").exists());
    let forced = desk.casebook(&desk.work, &["init", "--force"]);
    assert_eq!(forced.code(), 0, "{}", forced.stderr());
    assert_eq!(
        std::fs::read_to_string(desk.work.join("notes.txt")).expect("kept"),
        "mine"
    );

    let anonymous = Desk::new(false);
    let run = anonymous.casebook(&anonymous.work, &["init", "kb"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("git config --global user.name"),
        "{}",
        run.stderr()
    );
}

#[test]
fn new_takes_the_next_free_id_and_never_overwrites() {
    let desk = Desk::new(true);
    assert_eq!(desk.casebook(&desk.work, &["init", "kb"]).code(), 0);
    let kb = desk.work.join("kb");
    // A review numbered 007 this year, written but not committed: the next is 008.
    std::fs::write(
        kb.join("knowledge/reviews/CR-2026-007-x.md"),
        "---\nid: CR-2026-007\n---\n",
    )
    .expect("write");
    let first = desk.casebook(&kb, &["new", "case-review"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert_eq!(first.stdout().trim(), "knowledge/reviews/CR-2026-008.md");
    let taken = desk.casebook(&kb, &["new", "case-review", "--id", "CR-2026-008"]);
    assert_eq!(taken.code(), 2);
    assert!(
        taken.stderr().contains("already used"),
        "{}",
        taken.stderr()
    );
    let bad = desk.casebook(&kb, &["new", "order", "--id", "ORD-26-1"]);
    assert_eq!(bad.code(), 2);
    assert!(
        bad.stderr().contains("not a order record id") || bad.stderr().contains("is not a"),
        "{}",
        bad.stderr()
    );
    let order = desk.casebook(&kb, &["new", "order"]);
    assert_eq!(order.stdout().trim(), "knowledge/orders/ORD-2026-001.md");
    // An agency note takes its id from the agency; an unknown code is refused with the nearest.
    let agency = desk.casebook(&kb, &["new", "agency", "--agency", "NCA"]);
    assert_eq!(agency.code(), 0, "{}", agency.stderr());
    assert_eq!(agency.stdout().trim(), "knowledge/agencies/AG-NCA.md");
    let again = desk.casebook(&kb, &["new", "agency", "--agency", "NCA"]);
    assert_eq!(again.code(), 2);
    let unknown = desk.casebook(&kb, &["new", "agency", "--agency", "GLA"]);
    assert_eq!(unknown.code(), 2);
    assert!(
        unknown.stderr().contains("did you mean `GLAA`"),
        "{}",
        unknown.stderr()
    );
    // Each skeleton gives only placeholder findings.
    let check = desk.casebook(&kb, &["check", "--worktree", "--format", "json"]);
    for d in check.json().as_array().expect("diagnostics") {
        let path = d["path"].as_str().unwrap_or_default();
        if path.ends_with("CR-2026-007-x.md") {
            continue;
        }
        assert_eq!(d["code"], "E090", "{d}");
    }
}

#[test]
fn the_hook_refuses_a_commit_with_errors_and_keeps_a_foreign_hook() {
    let desk = Desk::new(true);
    assert_eq!(desk.casebook(&desk.work, &["init", "kb"]).code(), 0);
    let kb = desk.work.join("kb");
    let install = desk.casebook(&kb, &["hooks", "install"]);
    assert_eq!(install.code(), 0, "{}", install.stderr());
    let again = desk.casebook(&kb, &["hooks", "install"]);
    assert_eq!(
        again.code(),
        0,
        "installing twice is harmless: {}",
        again.stderr()
    );
    let review = kb.join("knowledge/reviews/CR-2024-001-example-car-wash.md");
    let original = std::fs::read_to_string(&review).expect("review");
    // A phone number pasted from notes: refused before the commit is made.
    std::fs::write(
        &review,
        original.replace("## Learning\n", "## Learning\n\nCall V1 on 07700 900123.\n"),
    )
    .expect("edit");
    assert_eq!(desk.git(&kb, &["add", "-A"]).code(), 0);
    let refused = desk.git(&kb, &["commit", "-q", "-m", "notes"]);
    assert_ne!(refused.code(), 0, "the commit is refused");
    assert!(refused.stderr().contains("E070"), "{}", refused.stderr());
    assert!(
        refused
            .stderr()
            .contains("Fix them, 'git add' the files,\nthen commit again"),
        "the refusal says what to do: {}",
        refused.stderr()
    );
    assert_eq!(
        desk.git(&kb, &["rev-list", "--count", "HEAD"])
            .stdout()
            .trim(),
        "1"
    );
    // The staged content is what is checked: fixed in the working tree only, still refused.
    let edited = original.replace(
        "## Learning\n",
        "## Learning\n\nAgree the interpreter booking with the GLAA.\n",
    );
    std::fs::write(&review, &edited).expect("fix");
    let unstaged = desk.git(&kb, &["commit", "-q", "-m", "notes"]);
    assert_ne!(unstaged.code(), 0, "the staged file still has the number");
    // `git commit -a` stages the fix: accepted.
    let clean = desk.git(&kb, &["commit", "-q", "-a", "-m", "A clean edit"]);
    assert_eq!(clean.code(), 0, "{}", clean.stderr());
    assert_eq!(
        desk.git(&kb, &["rev-list", "--count", "HEAD"])
            .stdout()
            .trim(),
        "2"
    );

    // Uninstall removes only Casebook's hook; a foreign one is kept unless --force.
    let hooks = kb.join(".git/hooks");
    assert_eq!(desk.casebook(&kb, &["hooks", "uninstall"]).code(), 0);
    assert!(!hooks.join("pre-commit").exists());
    std::fs::write(hooks.join("pre-commit"), "#!/bin/sh\nexit 0\n").expect("foreign hook");
    let kept = desk.casebook(&kb, &["hooks", "install"]);
    assert_eq!(kept.code(), 2);
    assert!(kept.stderr().contains("--force"), "{}", kept.stderr());
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).expect("hook"),
        "#!/bin/sh\nexit 0\n"
    );
    let not_ours = desk.casebook(&kb, &["hooks", "uninstall"]);
    assert_eq!(not_ours.code(), 2);
    assert!(hooks.join("pre-commit").exists());
    assert_eq!(
        desk.casebook(&kb, &["hooks", "install", "--force"]).code(),
        0
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.before-casebook")).expect("kept"),
        "#!/bin/sh\nexit 0\n"
    );
    assert_eq!(desk.casebook(&kb, &["hooks", "uninstall"]).code(), 0);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).expect("restored"),
        "#!/bin/sh\nexit 0\n"
    );
}

#[test]
fn history_follows_renames_and_names_unknown_ids() {
    let desk = Desk::new(true);
    assert_eq!(desk.casebook(&desk.work, &["init", "kb"]).code(), 0);
    let kb = desk.work.join("kb");
    assert_eq!(
        desk.git(
            &kb,
            &[
                "mv",
                "knowledge/orders/ORD-2024-001.md",
                "knowledge/orders/ORD-2024-001-stpo.md"
            ]
        )
        .code(),
        0
    );
    assert_eq!(
        desk.git(&kb, &["commit", "-q", "-m", "Give the order a slug"])
            .code(),
        0
    );
    let run = desk.casebook(&kb, &["history", "ORD-2024-001"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = run.stdout();
    assert!(out.contains("Give the order a slug"), "{out}");
    assert!(out.contains("New knowledge base"), "{out}");
    assert!(
        out.contains("renamed from knowledge/orders/ORD-2024-001.md"),
        "{out}"
    );
    assert!(out.contains("2 commits, 1 contributor"), "{out}");
    let unknown = desk.casebook(&kb, &["history", "ORD-2024-01"]);
    assert_eq!(unknown.code(), 2);
    assert!(
        unknown.stderr().contains("did you mean `ORD-2024-001`"),
        "{}",
        unknown.stderr()
    );
}
