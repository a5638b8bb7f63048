//! The static site: a crawl of the whole sample site, the marking ceiling, history, template
//! overrides, incremental output and snapshots of rendered pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::search::sample_repo;
use crate::support::TestRepo;

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The file a site URL is served from.
fn target(public: &Path, url: &str) -> PathBuf {
    let path = url
        .split(['#', '?'])
        .next()
        .unwrap_or_default()
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        public.join(path).join("index.html")
    } else {
        public.join(path)
    }
}

/// The README's first command (`cargo run --release -- serve` at the project root) builds the
/// project's own committed tree: the sample knowledge base with `casebook.toml` and the
/// `templates/` folder, whose files are overrides. Every file there must be one a build takes.
#[test]
fn the_project_root_builds_as_the_readme_runs_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = TestRepo::empty();
    for folder in ["knowledge", "templates"] {
        crate::support::copy_dir(&root.join(folder), &repo.path().join(folder));
    }
    std::fs::copy(
        root.join("casebook.toml"),
        repo.path().join("casebook.toml"),
    )
    .expect("copy casebook.toml");
    repo.commit("the project's own tree");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("site: "), "{}", run.stderr());
}

#[test]
fn the_whole_sample_site_is_linked_valid_and_inert() {
    let repo = sample_repo();
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let public = repo.path().join("public");
    let files = all_files(&public);
    let pages: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 100, "{} pages", pages.len());
    let links =
        Selector::parse("a[href], link[href], script, img, form[action]").expect("selector");
    let any = Selector::parse("*").expect("selector");
    let mut checked = BTreeSet::new();
    // Every id of every page, and every link that names a fragment (page, target, fragment).
    let mut ids: std::collections::BTreeMap<PathBuf, BTreeSet<String>> = Default::default();
    let mut fragments: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("read page");
        let html = Html::parse_document(&text);
        let mut own = BTreeSet::new();
        for el in html.select(&any) {
            if let Some(id) = el.value().attr("id") {
                assert!(
                    own.insert(id.to_owned()),
                    "{}: duplicate id {id}",
                    page.display()
                );
            }
        }
        ids.insert((*page).clone(), own);
        assert!(
            html.errors.is_empty(),
            "{}: {:?}",
            page.display(),
            html.errors
        );
        for el in html.select(&any) {
            for (name, value) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{}: {name}= attribute",
                    page.display()
                );
                let v = value.trim().to_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "{}: {name}={value}",
                    page.display()
                );
            }
        }
        for el in html.select(&links) {
            let e = el.value();
            assert!(
                e.name() != "script" || e.attr("src").is_some(),
                "{}: inline script",
                page.display()
            );
            let Some(url) = e.attr("href").or(e.attr("src")).or(e.attr("action")) else {
                continue;
            };
            if let Some(fragment) = url.strip_prefix('#') {
                fragments.push(((*page).clone(), (*page).clone(), fragment.to_owned()));
                continue;
            }
            if !url.starts_with('/') || url == "/search" {
                continue;
            }
            if let Some((_, fragment)) = url.split_once('#') {
                fragments.push(((*page).clone(), target(&public, url), fragment.to_owned()));
            }
            if checked.insert(url.to_owned()) {
                assert!(
                    target(&public, url).is_file(),
                    "{}: broken link {url}",
                    page.display()
                );
            }
        }
    }
    // Issue 9: every fragment a link names (`#powers`, `#power-closure`) exists on its page.
    assert!(
        fragments.iter().any(|(_, _, f)| f.starts_with("power-")),
        "the crawl saw links to powers on agency pages"
    );
    for (page, to, fragment) in &fragments {
        let found = ids.get(to).is_some_and(|i| i.contains(fragment));
        assert!(
            found,
            "{}: link to {}#{fragment}, which has no such id",
            page.display(),
            to.display()
        );
    }
    for required in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "powers/index.html",
        "powers/closure/index.html",
        "powers/order-applicant/index.html",
        "register/index.html",
        "recommendations/index.html",
        "statistics/index.html",
        "statistics/reviews-by-reporting-area.csv",
        "whats-new/index.html",
        "browse/index.html",
        "assets/style.css",
    ] {
        assert!(public.join(required).is_file(), "{required} missing");
    }
}

/// The OFFICIAL-SENSITIVE documents of `references_across_the_ceiling`.
pub(crate) const ABOVE: [&str; 5] = [
    "CR-2021-002",
    "CR-2022-001",
    "CR-2024-008",
    "ORD-2021-002",
    "AG-HMRC-NMW",
];

/// Its documents at or below OFFICIAL that a build without `--drafts` does not publish.
pub(crate) const UNPUBLISHED: [&str; 5] = [
    "CR-2024-003",
    "CR-2025-004",
    "ORD-2024-001",
    "ORD-2024-002",
    "ORD-2025-003",
];

/// `text` with `from` replaced, which it must hold.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

/// The sample knowledge base with OFFICIAL documents naming OFFICIAL-SENSITIVE and
/// unpublished ones in every way a document can: `case_review` (ORD-2020-004, now OFFICIAL,
/// comes from the sensitive CR-2021-002), `orders` and `application` (ORD-2021-002 is now
/// sensitive), `related`, links in the body by id and by path, bare ids in the body, a
/// heading, the title, a recommendation and a tag (CR-2023-002), and an agency note now
/// sensitive (AG-HMRC-NMW) that holds powers. The sensitive review carries the sentinel
/// word "Zephyrquill".
pub(crate) fn references_across_the_ceiling() -> TestRepo {
    let repo = sample_repo();
    let change = |path: &str, edits: &[(&str, &str)]| {
        let mut text = std::fs::read_to_string(repo.path().join(path)).expect("read");
        for (from, to) in edits {
            text = edit(&text, from, to);
        }
        repo.write(path, text);
    };
    change(
        "knowledge/reviews/CR-2021-002-short-let-flats.md",
        &[("Operation Harbour Light", "Operation Zephyrquill")],
    );
    change(
        "knowledge/orders/ORD-2020-004.md",
        &[("marking: OFFICIAL-SENSITIVE", "marking: OFFICIAL")],
    );
    for path in [
        "knowledge/orders/ORD-2021-002.md",
        "knowledge/agencies/AG-HMRC-NMW.md",
    ] {
        change(
            path,
            &[("marking: OFFICIAL\n", "marking: OFFICIAL-SENSITIVE\n")],
        );
    }
    change(
        "knowledge/reviews/CR-2023-002-island-glasshouses.md",
        &[
            ("refused STRO", "refused STRO, after CR-2022-001"),
            ("translation-app,", "translation-app, cr-2024-008,"),
            (
                "related: [AG-GLAA, AG-HMRC-NMW]",
                "related: [AG-GLAA, AG-HMRC-NMW, CR-2022-001, CR-2025-004]",
            ),
            (
                "text: \"Never use",
                "text: \"As CR-2024-008 found, never use",
            ),
            ("## Summary\n\n", "## Summary\n\nRead with CR-2022-001. "),
            (
                "## Learning\n",
                "## Notes on CR-2022-001\n\nCompare CR-2022-001 and [CR-2024-008](CR-2024-008); the [money mules debrief](CR-2025-004) and [CR-2024-003](CR-2024-003) are not published yet, nor is [the order](../orders/ORD-2025-003.md).\n\n## Learning\n",
            ),
        ],
    );
    repo.commit("references across the ceiling");
    repo
}

/// True when `text` (lower case) names the document `id` as written or as a tag is shown.
fn names(text: &str, id: &str) -> bool {
    let id = id.to_lowercase();
    text.contains(&id) || text.contains(&id.replace('-', " "))
}

#[test]
fn nothing_above_the_ceiling_appears_in_an_official_site() {
    let repo = references_across_the_ceiling();
    let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let public = repo.path().join("public-official");
    let files = all_files(&public);
    assert!(files.len() > 50);
    for file in &files {
        let text = String::from_utf8_lossy(&std::fs::read(file).expect("read")).to_lowercase();
        assert!(
            !text.contains("zephyrquill"),
            "{} contains the sentinel",
            file.display()
        );
        for id in ABOVE.iter().chain(&UNPUBLISHED) {
            assert!(!names(&text, id), "{} names {id}", file.display());
        }
        assert!(
            !text.contains("official-sensitive</"),
            "{} shows a sensitive marking",
            file.display()
        );
    }
    let page = |path: &str| std::fs::read_to_string(public.join(path)).expect(path);
    // What pages show instead: the kind and why, once per row, never the id.
    let row = |label: &str, items: &str| {
        format!("<dt>{label}</dt>\n    <dd><ul class=\"plain\">{items}</ul></dd>")
    };
    let order = page("orders/ORD-2020-004/index.html");
    let higher_review = row("Case review", "<li>a review at a higher marking</li>");
    assert!(order.contains(&higher_review), "{order}");
    let interim = page("orders/ORD-2021-003/index.html");
    let higher_order = row(
        "Main application",
        "<li>a document at a higher marking</li>",
    );
    assert!(interim.contains(&higher_order), "{interim}");
    let review = page("reviews/CR-2021-007/index.html");
    let orders = row(
        "Orders",
        "<li>a document at a higher marking</li><li><a href=\"&#x2f;orders&#x2f;ORD-2021-003&#x2f;\">ORD-2021-003 Interim STRO, expired — county lines, Basingstoke and Rushmoor</a></li>",
    );
    assert!(review.contains(&orders), "{review}");
    let glasshouses = page("reviews/CR-2023-002/index.html");
    for shown in [
        "<p>Compare a review at a higher marking and a review at a higher marking; the money mules debrief and an unpublished review are not published yet, nor is the order.</p>",
        "<h2 id=\"notes-on-a-review-at-a-higher-marking\">Notes on a review at a higher marking</h2>",
        "As a review at a higher marking found, never use",
        "refused STRO, after a review at a higher marking",
    ] {
        assert!(glasshouses.contains(shown), "{shown}: {glasshouses}");
    }
    // Every reader of the OFFICIAL edition can open every record its statistics count: the
    // counts are exact, and only what the OFFICIAL documents hold is counted.
    let stats = page("statistics/index.html");
    assert!(!stats.contains(">1-5<"), "exact counts in the edition");
    assert!(stats.contains("Counts are exact"), "the page says so");
    // A theme's briefing is drawn from this edition only: the sensitive review on
    // interpreters is not in the OFFICIAL briefing, page or data.
    let briefing = page("themes/interpreters/briefing/index.html");
    for part in 1..=7 {
        assert!(
            briefing.contains(&format!("id=\"part-{part}\"")),
            "part {part}"
        );
    }
    assert!(briefing.contains("up to OFFICIAL"), "{briefing}");
    let data = page("themes/interpreters/briefing/briefing.json");
    assert!(!data.contains("CR-2021-002") && data.contains("\"ceiling\": \"OFFICIAL\""));
    // The sensitive edition has them: the checks above can fail.
    assert_eq!(repo.run(&["build"]).code(), 0);
    let public = repo.path().join("public");
    let page = |path: &str| std::fs::read_to_string(public.join(path)).expect(path);
    assert!(page("reviews/CR-2021-002/index.html").contains("Zephyrquill"));
    let briefing = page("themes/interpreters/briefing/index.html");
    assert!(
        briefing.contains("CR-2021-002"),
        "the sensitive edition's briefing names it"
    );
    assert!(page("orders/ORD-2020-004/index.html").contains("CR-2021-002"));
    assert!(page("reviews/CR-2023-002/index.html").contains("Compare CR-2022-001"));
}

#[test]
fn history_follows_renames_and_counts_authors() {
    let repo = TestRepo::fixture("base");
    // 2025-01-10, 2025-03-05 and 2025-06-20, at noon UTC.
    repo.commit_at("add the knowledge base", "Alice Analyst", 1_736_510_400);
    let from = repo.path().join("knowledge/reviews/CR-2024-001-base.md");
    std::fs::rename(
        &from,
        repo.path()
            .join("knowledge/reviews/CR-2024-001-car-wash.md"),
    )
    .expect("rename");
    repo.commit_at("rename the review", "Bob Officer", 1_741_176_000);
    let path = "knowledge/reviews/CR-2024-001-car-wash.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace("A joint visit.", "A joint visit with HMRC."),
    );
    repo.commit_at("edit the review", "Bob Officer", 1_750_420_800);
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let page = std::fs::read_to_string(repo.path().join("public/reviews/CR-2024-001/index.html"))
        .expect("page");
    assert!(
        page.contains("<dt>Contributors</dt><dd>Alice Analyst, Bob Officer</dd>"),
        "{page}"
    );
    assert!(page.contains("<dt>Revisions</dt><dd>3</dd>"), "{page}");
    assert!(
        page.contains("<dt>Created</dt><dd>2025-01-10</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Last updated</dt><dd>2025-06-20</dd>"),
        "{page}"
    );
    let history = std::fs::read_to_string(
        repo.path()
            .join("public/reviews/CR-2024-001/history/index.html"),
    )
    .expect("history page");
    let rows: Vec<&str> = history
        .lines()
        .filter(|l| l.starts_with("<tr><td>20"))
        .collect();
    assert_eq!(rows.len(), 3, "{history}");
    assert!(
        rows[0].contains("2025-06-20") && rows[0].contains("edit the review"),
        "{}",
        rows[0]
    );
    assert!(
        rows[2].contains("Alice Analyst") && rows[2].contains("add the knowledge base"),
        "{}",
        rows[2]
    );
    let agency = std::fs::read_to_string(repo.path().join("public/agencies/AG-GLAA/index.html"))
        .expect("page");
    assert!(agency.contains("<dt>Revisions</dt><dd>1</dd>"), "{agency}");
    assert!(!page.contains("shallow clone"));
}

#[test]
fn a_shallow_clone_warns_that_history_is_incomplete() {
    let repo = TestRepo::fixture("base");
    repo.commit("first");
    repo.write(
        "knowledge/orders/ORD-2024-001.md",
        std::fs::read_to_string(repo.path().join("knowledge/orders/ORD-2024-001.md"))
            .expect("read")
            .replace("quarterly", "monthly"),
    );
    repo.commit("second");
    let clone = TestRepo::empty();
    let dest = clone.path().join("clone");
    let url = format!("file://{}", repo.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url])
        .arg(&dest)
        .status()
        .expect("git is installed");
    assert!(status.success());
    let run = crate::support::run_in(&dest, &["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains("warning: this is a shallow clone"),
        "{}",
        run.stderr()
    );
    let page =
        std::fs::read_to_string(dest.join("public/orders/ORD-2024-001/index.html")).expect("page");
    assert!(
        page.contains("shallow clone: the history shown is incomplete"),
        "{page}"
    );
}

#[test]
fn a_template_override_changes_only_its_pages() {
    let repo = TestRepo::fixture("base");
    repo.write("templates/review.html", "{% extends \"document.html\" %}{% block banners %}<p class=\"local\">Local review layout</p>{% endblock %}");
    repo.commit("override");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let review = std::fs::read_to_string(repo.path().join("public/reviews/CR-2024-001/index.html"))
        .expect("review");
    let order = std::fs::read_to_string(repo.path().join("public/orders/ORD-2024-001/index.html"))
        .expect("order");
    assert!(review.contains("Local review layout"));
    assert!(!order.contains("Local review layout"));
}

#[test]
fn a_broken_override_fails_the_build_and_keeps_the_site() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_eq!(repo.run(&["build"]).code(), 0);
    let before = std::fs::read(repo.path().join("public/index.html")).expect("home");
    repo.write(
        "templates/home.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ unclosed\n{% endblock %}",
    );
    repo.commit("broken override");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("template home.html, line 4"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read(repo.path().join("public/index.html")).expect("home"),
        before
    );
}

#[test]
fn editing_one_document_rewrites_only_the_pages_that_show_it() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_eq!(repo.run(&["build"]).code(), 0);
    let public = repo.path().join("public");
    let times = |p: &str| {
        std::fs::metadata(public.join(p))
            .expect(p)
            .modified()
            .expect("mtime")
    };
    let agency_before = times("agencies/AG-GLAA/index.html");
    let matrix_before = times("powers/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let path = "knowledge/orders/ORD-2024-001.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(
        path,
        text.replace(
            "Made on sentencing",
            "Made by the Crown Court on sentencing",
        ),
    );
    repo.commit("edit the order");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("site: "), "{}", run.stderr());
    assert_eq!(
        times("agencies/AG-GLAA/index.html"),
        agency_before,
        "an unrelated page was rewritten"
    );
    assert_eq!(times("powers/index.html"), matrix_before);
    let order =
        std::fs::read_to_string(public.join("orders/ORD-2024-001/index.html")).expect("order");
    assert!(order.contains("Made by the Crown Court on sentencing"));
}

#[test]
fn rendered_pages_snapshots() {
    let repo = TestRepo::fixture("base");
    repo.commit("base");
    assert_eq!(repo.run(&["build"]).code(), 0);
    let public = repo.path().join("public");
    let commit = git2::Repository::open(repo.path())
        .expect("repo")
        .head()
        .expect("head")
        .target()
        .expect("oid")
        .to_string();
    let main = |p: &str| {
        let text = std::fs::read_to_string(public.join(p)).expect(p);
        let start = text.find("<main").expect("main");
        let end = text.find("</main>").expect("/main");
        text[start..end]
            .replace(&commit[..7], "[commit]")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    insta::with_settings!({ snapshot_path => "snapshots/site", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("review", main("reviews/CR-2024-001/index.html"));
        insta::assert_snapshot!("order", main("orders/ORD-2024-001/index.html"));
        insta::assert_snapshot!("agency", main("agencies/AG-GLAA/index.html"));
        insta::assert_snapshot!("power", main("powers/entry/index.html"));
        insta::assert_snapshot!("statistics", main("statistics/index.html"));
    });
}

/// Issue 9: pages read in words, not codes. No page of the sample site shows, as text, a code
/// of a vocabulary that a label stands for (`deep-dive`, `chief-officer-police`,
/// `england-wales`, `considered-not-pursued`, `test-valley`, `case_review`…).
#[test]
fn pages_show_labels_not_codes() {
    use casebook::model::enums::{
        AgeBand, AgencyRole, Applicant, Basis, BreachAction, Closed, Court, Jurisdiction, Kind,
        OrderStatus, PerpetratorRole, RecommendationStatus, ReviewFrequency, ReviewType, Status,
        TravelScope,
    };
    let repo = sample_repo();
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let vocab = casebook::load::built_in_vocabulary();
    let mut codes: BTreeSet<String> = BTreeSet::new();
    let closed: [&[&str]; 15] = [
        AgeBand::CODES,
        AgencyRole::CODES,
        Applicant::CODES,
        Basis::CODES,
        BreachAction::CODES,
        Court::CODES,
        Jurisdiction::CODES,
        Kind::CODES,
        OrderStatus::CODES,
        PerpetratorRole::CODES,
        RecommendationStatus::CODES,
        ReviewFrequency::CODES,
        ReviewType::CODES,
        Status::CODES,
        TravelScope::CODES,
    ];
    codes.extend(
        closed
            .iter()
            .flat_map(|c| c.iter().map(|s| (*s).to_owned())),
    );
    for name in casebook::model::VocabName::ALL {
        codes.extend(vocab.terms(name).iter().map(|t| t.code.clone()));
    }
    // A code that is also an ordinary word or a label of its own is not a code on the page.
    // Codes that are also ordinary English compounds ("cross-border work") may appear in the
    // authors' text of a note's limits or conditions.
    codes.retain(|c| {
        c.contains(['-', '_'])
            && !matches!(
                c.as_str(),
                "18-24" | "25-34" | "35-44" | "45-54" | "cross-border" | "information-sharing"
            )
    });
    let main = Selector::parse("main").expect("selector");
    let mut found = Vec::new();
    for page in all_files(&repo.path().join("public"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = Html::parse_document(&std::fs::read_to_string(page).expect("read"));
        for m in html.select(&main) {
            for node in m.descendants() {
                let Some(text) = node.value().as_text() else {
                    continue;
                };
                // The authors' own words (rendered bodies, summaries taken from them) may use
                // any hyphenated word: only what the pages build from codes is checked.
                let authored = node.ancestors().any(|a| {
                    a.value().as_element().is_some_and(|e| {
                        matches!(e.name(), "code" | "pre") || e.classes().any(|c| c == "prose")
                    })
                });
                if authored {
                    continue;
                }
                for word in text.split(|c: char| {
                    c.is_whitespace()
                        || matches!(c, ',' | '(' | ')' | '.' | ';' | ':' | '`' | '\'' | '"')
                }) {
                    if codes.contains(word) {
                        found.push(format!("{}: {word}", page.display()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "codes shown as text:\n{}",
        found.join("\n")
    );
}

/// Issue 12: "What's new" and the feed describe changes from the documents — published, the
/// fields and text that changed — never from commit messages, and a commit whose document had
/// errors gives no entry.
#[test]
fn whats_new_describes_documents_not_commit_messages() {
    let repo = TestRepo::fixture("base");
    repo.commit("Initial import QUILLMESSAGE1");
    let path = "knowledge/reviews/CR-2024-001-base.md";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    let revised = text.replace(
        "Plan interpreters early.",
        "Plan interpreters early, and book them from outside the community.",
    );
    repo.write(path, &revised);
    repo.commit("tidy QUILLMESSAGE2");
    // A commit that breaks the review (an unknown area), then one that fixes it and adds one.
    repo.write(
        path,
        revised.replace("areas: [southampton]", "areas: [southamptn]"),
    );
    repo.commit("broken QUILLMESSAGE3");
    repo.write(
        path,
        revised.replace("areas: [southampton]", "areas: [southampton, eastleigh]"),
    );
    repo.commit("fixed QUILLMESSAGE4");
    let order = "knowledge/orders/ORD-2024-001.md";
    let order_text = std::fs::read_to_string(repo.path().join(order)).expect("read");
    repo.write(
        order,
        order_text
            .replace("order_status: granted", "order_status: varied")
            .replace(
                "breaches:\n",
                "events:\n  - {month: 2025-06, event: varied, note: \"Prohibitions reworded.\"}\nbreaches:\n",
            ),
    );
    repo.commit("QUILLMESSAGE5");
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let page =
        std::fs::read_to_string(repo.path().join("public/whats-new/index.html")).expect("page");
    let feed = std::fs::read_to_string(repo.path().join("public/feed.xml")).expect("feed");
    for out in [&page, &feed] {
        assert!(!out.contains("QUILLMESSAGE"), "no commit message shown");
    }
    let items: Vec<&str> = page
        .split("<li>")
        .skip(1)
        .filter(|i| i.starts_with("<span class=\"date\">"))
        .collect();
    let entry = |needle: &str| items.iter().filter(|i| i.contains(needle)).count();
    assert_eq!(entry("order varied (was granted)"), 1, "{page}");
    // The fix is compared with the last publishable version (the tidy one), not the broken one.
    assert_eq!(
        entry("<span class=\"summary\">changed: areas</span>"),
        1,
        "{page}"
    );
    assert_eq!(
        entry("<span class=\"summary\">the text revised</span>"),
        1,
        "{page}"
    );
    // Three documents published by the first commit; nothing for the broken commit.
    assert_eq!(
        entry("— <span class=\"summary\">published</span>"),
        3,
        "{page}"
    );
    assert_eq!(items.len(), 3 + 1 + 1 + 1, "{page}");
    assert!(
        feed.contains("Order record: order varied (was granted)"),
        "{feed}"
    );
}

/// Issue 15: the officers' "who can apply for an order?" page says where the power runs: an
/// application under Part 2 of the Modern Slavery Act 2015 is an England and Wales power, even
/// for an agency whose other powers run across the United Kingdom.
#[test]
fn the_order_applicant_page_shows_where_the_power_runs() {
    let repo = sample_repo();
    let run = repo.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let page =
        std::fs::read_to_string(repo.path().join("public/powers/order-applicant/index.html"))
            .expect("page");
    let html = scraper::Html::parse_document(&page);
    let dt = scraper::Selector::parse("dt").expect("selector");
    let wheres: Vec<String> = html
        .select(&dt)
        .filter(|d| d.text().collect::<String>() == "Where")
        .filter_map(|d| d.next_siblings().find_map(scraper::ElementRef::wrap))
        .map(|dd| dd.text().collect())
        .collect();
    assert!(wheres.len() >= 4, "{wheres:?}");
    // A chief officer applies for people in the force area (s15(4)); everyone else in England
    // and Wales, never wider.
    assert!(
        wheres
            .iter()
            .all(|w| w == "England and Wales" || w == "Its own area only"),
        "{wheres:?}"
    );
    assert!(wheres.iter().filter(|w| *w == "England and Wales").count() >= 4);
    let glaa = std::fs::read_to_string(repo.path().join("public/agencies/AG-GLAA/index.html"))
        .expect("page");
    assert!(glaa.contains("<dt>Where it runs</dt><dd>England and Wales</dd>"));
}

/// Issue 20: `casebook brief` writes the briefing the site renders as one file to send: its
/// styles inside, its links absolute, its seven parts; an unknown theme and a theme no review
/// records are refused.
#[test]
fn brief_writes_a_theme_briefing_to_send() {
    let repo = sample_repo();
    let out = repo.path().join("interpreters.html");
    let run = repo.run(&[
        "brief",
        "interpreters",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(
        html.contains("<style>") && !html.contains("<script"),
        "self-contained"
    );
    for part in 1..=7 {
        assert!(html.contains(&format!("id=\"part-{part}\"")), "part {part}");
    }
    assert!(
        html.contains("href=\"http://127.0.0.1:8080&#x2f;reviews&#x2f;"),
        "links to the reviews are absolute"
    );
    // The same as the site's page, bar the styles and links.
    let page = std::fs::read_to_string(
        repo.path()
            .join("public/themes/interpreters/briefing/index.html"),
    )
    .expect("page");
    assert!(page.contains("Seven-minute briefing") && html.contains("Seven-minute briefing"));
    let stdout = repo.run(&["brief", "interpreters"]);
    assert_eq!(stdout.code(), 0);
    assert!(stdout.stdout().starts_with("<!doctype html>"));
    let unknown = repo.run(&["brief", "interpreter"]);
    assert_eq!(unknown.code(), 2);
    assert!(
        unknown.stderr().contains("did you mean `interpreters`?"),
        "{}",
        unknown.stderr()
    );
    // As a PDF: the seven parts read back, two A4 pages at most, the marking on each.
    #[cfg(feature = "pdf")]
    {
        let pdf = repo.path().join("interpreters.pdf");
        let run = repo.run(&[
            "brief",
            "interpreters",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().expect("path"),
        ]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        if let Some((text, pages, info)) = crate::report::read_back(&pdf) {
            for part in [
                "Background",
                "Why it matters",
                "What we found",
                "What works",
                "What did not work",
                "What to do",
                "Questions for reflection and further reading",
            ] {
                assert!(text.contains(part), "{part} in:\n{text}");
            }
            assert!((1..=2).contains(&pages), "{pages} pages");
            assert!(
                info.contains("Title:           Interpreters: seven-minute briefing"),
                "{info}"
            );
            assert!(
                info.contains("Tagged:          yes") && info.contains("(A4)"),
                "{info}"
            );
            assert_eq!(
                text.lines()
                    .filter(|l| l.trim() == "OFFICIAL-SENSITIVE")
                    .count(),
                2 * pages,
                "{text}"
            );
        }
    }
    let unused = repo.run(&["brief", "covert-tactics"]);
    assert_eq!(unused.code(), 2, "{}", unused.stderr());
    assert!(
        unused.stderr().contains("nothing to brief on"),
        "{}",
        unused.stderr()
    );
}
