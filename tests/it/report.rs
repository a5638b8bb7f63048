//! Issue 20: `casebook report`, the periodic report, over a repository with commits on both
//! sides of the period's edges: it compares the knowledge base as it stood at the start of the
//! period with how it stood at the end, never reading commit messages, and a `public` report
//! lists no documents and passes its counts through disclosure control.

use crate::support::TestRepo;

/// Seconds since 1970 at noon UTC on a day of 2026.
fn noon(month: u32, day: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, month, day)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("date")
        .and_utc()
        .timestamp()
}

/// The base fixture committed in March, changed in May (a new review with graded learning, a
/// recommendation completed, a breach recorded) and in August (another review).
fn history() -> TestRepo {
    let repo = TestRepo::fixture("base");
    repo.commit_at("March: the knowledge base", "Alice Analyst", noon(3, 15));
    let base = std::fs::read_to_string(repo.path().join("knowledge/reviews/CR-2024-001-base.md"))
        .expect("review");
    let review = |id: &str, date: &str, operation: &str, point: &str| {
        base.replace("id: CR-2024-001", &format!("id: {id}"))
            .replace("review_date: 2024-02-15", &format!("review_date: {date}"))
            .replace("Operation Base", operation)
            .replace("orders: [ORD-2024-001]\n", "")
            .replace(
                "learning:\n  - {id: L1, text: \"Joint visit planned with the GLAA before the warrant.\", themes: [partnership-working], grade: promising}\n",
                &format!("learning:\n  - {{id: L1, text: \"{point}\", themes: [interpreters], grade: effective, evidence: \"All four victims gave accounts that stood up at trial.\"}}\n"),
            )
    };
    repo.write(
        "knowledge/reviews/CR-2026-001-may.md",
        review(
            "CR-2026-001",
            "2026-05-02",
            "Operation Maytide",
            "Book interpreters from another region, checked for links to the suspects.",
        ),
    );
    let path = "knowledge/reviews/CR-2024-001-base.md";
    repo.write(
        path,
        base.replace("due: 2027-03, status: open", "due: 2027-03, status: done"),
    );
    let order = "knowledge/orders/ORD-2024-001.md";
    let text = std::fs::read_to_string(repo.path().join(order)).expect("order");
    repo.write(
        order,
        text.replace(
            "breaches:\n",
            "breaches:\n  - {month: 2026-05, prohibition: act-as-gangmaster, action: warning}\n",
        ),
    );
    repo.commit_at(
        "May: a message the report must not read",
        "Bob Officer",
        noon(5, 20),
    );
    repo.write(
        "knowledge/reviews/CR-2026-002-august.md",
        review(
            "CR-2026-002",
            "2026-08-01",
            "Operation Lammas",
            "A late point the second quarter never saw.",
        ),
    );
    repo.commit_at("August", "Alice Analyst", noon(8, 3));
    repo
}

#[test]
fn a_quarter_is_what_changed_between_its_edges() {
    let repo = history();
    let run = repo.run(&["report", "--period", "2026-Q2", "--format", "md"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let md = run.stdout();
    assert!(
        md.starts_with("# April to June 2026: what the partnership learned"),
        "{md}"
    );
    // The review published in the quarter, with its graded learning; not August's.
    assert!(md.contains("### CR-2026-001 Operation Maytide"), "{md}");
    assert!(
        md.contains("- **Effective**: Book interpreters from another region"),
        "{md}"
    );
    assert!(
        !md.contains("CR-2026-002") && !md.contains("Lammas"),
        "{md}"
    );
    // The recommendation completed, the breach, and the figures beside January to March.
    let done = md
        .split("### Completed")
        .nth(1)
        .expect("completed")
        .split("###")
        .next()
        .unwrap_or_default();
    assert!(done.contains("CR-2024-001 R1"), "{done}");
    let breached = md.split("### Breached").nth(1).expect("breached");
    assert!(
        breached.contains("ORD-2024-001") && breached.contains("Acting as a gangmaster"),
        "{breached}"
    );
    assert!(
        md.contains("| Case reviews published | 1 | 1 |"),
        "one in Q2; the base review in Q1: {md}"
    );
    assert!(md.contains("| … graded effective | 1 | 0 |"), "{md}");
    assert!(
        md.contains("| Breaches of orders recorded | 1 | 0 |"),
        "{md}"
    );
    // Never the commit messages.
    assert!(!md.contains("must not read"), "{md}");

    // The third quarter holds August's review and nothing of May's.
    let q3 = repo.run(&["report", "--period", "2026-Q3", "--format", "md"]);
    assert_eq!(q3.code(), 0, "{}", q3.stderr());
    assert!(q3.stdout().contains("### CR-2026-002 Operation Lammas"));
    assert!(!q3.stdout().contains("### CR-2026-001"));
    // A year is the same with twelve months.
    let year = repo.run(&["report", "--period", "2026", "--format", "md"]);
    assert!(year.stdout().contains("### CR-2026-001") && year.stdout().contains("### CR-2026-002"));
}

#[test]
fn a_public_report_lists_no_documents_and_hides_small_numbers() {
    let repo = history();
    let out = repo.path().join("q2-public.html");
    let run = repo.run(&[
        "report",
        "--period",
        "2026-Q2",
        "--audience",
        "public",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(
        html.contains("<style>") && !html.contains("<script"),
        "one file"
    );
    assert!(
        html.contains("Small numbers are hidden"),
        "the page says so"
    );
    for id in ["CR-2026-001", "CR-2024-001", "ORD-2024-001", "Maytide"] {
        assert!(
            !html.contains(id),
            "a public report names no document: {id}"
        );
    }
    // The learning is there, graded; every count of 1 to 5 is shown as 1-5.
    assert!(html.contains("Book interpreters from another region"));
    assert!(
        !html.contains("stood up at trial"),
        "a public report gives the lesson, not what happened in the case"
    );
    assert!(html.contains("<td>1-5</td>"), "small counts hidden");
    assert!(!html.contains("<td>1</td>"), "no count of one shown");
    // The marking of what it holds.
    assert!(html.contains(">OFFICIAL</div>"), "marked OFFICIAL");
}

#[test]
fn periods_and_repositories_that_cannot_be_reported_are_refused() {
    let repo = history();
    for (period, said) in [
        ("2026-Q5", "is not a period"),
        ("2026-09..2026-07", "ends before it starts"),
        ("2025", "no commit before the end of 2025"),
        ("2027-Q3", "has not started yet"),
    ] {
        let run = repo.run(&["report", "--period", period]);
        assert_eq!(run.code(), 2, "{period}: {}", run.stderr());
        assert!(run.stderr().contains(said), "{period}: {}", run.stderr());
    }
}

/// The text of a PDF read back with poppler's `pdftotext -layout`, its page count from
/// `pdfinfo`, and whether its first page renders to a non-empty image (`pdftoppm`); none when
/// poppler is not installed (`scripts/test.sh` installs it).
pub(crate) fn read_back(pdf: &std::path::Path) -> Option<(String, usize, String)> {
    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        std::process::Command::new(program).args(args).output().ok()
    };
    let text = run(
        "pdftotext",
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    )?;
    let info = run("pdfinfo", &[pdf.as_os_str()])?;
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let png = pdf.with_extension("page");
    let image = run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "40".as_ref(),
            "-png".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            pdf.as_os_str(),
            png.as_os_str(),
        ],
    )?;
    assert!(image.status.success(), "pdftoppm renders the first page");
    let rendered = std::fs::read_dir(pdf.parent().expect("folder"))
        .expect("folder")
        .filter_map(Result::ok)
        .any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(&*png.file_name().expect("name").to_string_lossy())
                && name.ends_with(".png")
                && e.metadata().map(|m| m.len() > 1000).unwrap_or(false)
        });
    assert!(rendered, "the first page is an image with something on it");
    Some((
        String::from_utf8_lossy(&text.stdout).into_owned(),
        pages,
        info,
    ))
}

#[cfg(feature = "pdf")]
#[test]
fn the_report_as_a_pdf_reads_back_with_its_parts_and_figures() {
    let repo = history();
    let out = repo.path().join("q2.pdf");
    let run = repo.run(&[
        "report",
        "--period",
        "2026-Q2",
        "--format",
        "pdf",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let Some((text, pages, info)) = read_back(&out) else {
        eprintln!("poppler is not installed: the PDF's text was not read back");
        return;
    };
    for part in [
        "April to June 2026: what the partnership learned",
        "The period in figures",
        "Case reviews published",
        "Reviews published",
        "Operation Maytide",
        "Book interpreters from another region",
        "Recommendations",
        "Orders",
        "Partner infographic of the period",
    ] {
        assert!(text.contains(part), "{part} in:\n{text}");
    }
    assert!(
        !text.contains("Lammas"),
        "August is not in the second quarter"
    );
    assert!(pages >= 1, "{pages}");
    assert!(info.contains("Tagged:          yes"), "tagged:\n{info}");
    assert!(
        info.contains("Keywords:        OFFICIAL-SENSITIVE"),
        "the marking in its properties:\n{info}"
    );
    assert!(info.contains("(A4)"), "{info}");
    assert_eq!(
        text.lines()
            .filter(|l| l.trim() == "OFFICIAL-SENSITIVE")
            .count(),
        2 * pages,
        "the marking at the top and bottom of every page:\n{text}"
    );
}
