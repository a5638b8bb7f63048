//! Issue 10: the statistics count what is true, from one typed result. The figures of the
//! sample are recomputed here by hand from its front matter, and the page's JSON, its CSV
//! files, `/api/stats` and `casebook stats` must agree.

use crate::search::sample_repo;

fn stats(repo: &crate::support::TestRepo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["stats", "--format", "json"];
    all.extend_from_slice(args);
    let run = repo.run(&all);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    run.json()
}

fn figure(json: &serde_json::Value, id: &str) -> String {
    json["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["id"] == id)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("figure {id}"))
        .to_owned()
}

fn rows(json: &serde_json::Value, id: &str) -> Vec<(String, String)> {
    json["charts"]
        .as_array()
        .expect("charts")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("chart {id}"))["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["category"].as_str().unwrap_or_default().to_owned(),
                r["value"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The published reviews of the sample (status approved or superseded), by hand:
///
/// | review | marking | type | victims | counted? |
/// |---|---|---|---|---|
/// | CR-2019-004 | OFFICIAL | debrief | 5 | yes |
/// | CR-2020-003 | OFFICIAL | deep-dive, superseded | 9 | no: CR-2026-001 names it in `related` |
/// | CR-2021-002 | SENSITIVE | deep-dive | 7 | yes (OFFICIAL-SENSITIVE edition only) |
/// | CR-2021-007 | OFFICIAL | debrief | 6 | yes |
/// | CR-2022-001 | SENSITIVE | file-audit | 1 | yes (OFFICIAL-SENSITIVE edition only) |
/// | CR-2022-005 | OFFICIAL | debrief | 5 | yes |
/// | CR-2023-002 | OFFICIAL | deep-dive | 14 | yes |
/// | CR-2023-006 | OFFICIAL | deep-dive | 16 | yes |
/// | CR-2024-008 | SENSITIVE | deep-dive | 2 | yes (OFFICIAL-SENSITIVE edition only) |
/// | CR-2025-002 | OFFICIAL | thematic | 150 potential victims | no: on its own line |
/// | CR-2026-001 | OFFICIAL | deep-dive | 11 | yes |
///
/// CR-2024-003 (in review) and CR-2025-004 (draft) are not published. So the
/// OFFICIAL-SENSITIVE edition counts 9 reviews and 5+7+6+1+5+14+16+2+11 = 67 victims; the
/// OFFICIAL edition 6 reviews and 5+6+5+14+16+11 = 57 victims.
///
/// Orders: 12 records, of which ORD-2024-001 and ORD-2024-002 are in review and ORD-2025-003
/// a draft, leaves 9 (8 at OFFICIAL: ORD-2020-004 is OFFICIAL-SENSITIVE).
///
/// | record | basis | status | application | order made | subject |
/// |---|---|---|---|---|---|
/// | ORD-2019-002 | s14 | expired | none (sentencing) | yes | S-R2D8 |
/// | ORD-2020-001 | s14 | granted | none (sentencing) | yes | S-K4P7 |
/// | ORD-2020-004 | s15 (SENSITIVE) | granted | chief officer | yes | S-M5T3 |
/// | ORD-2021-002 + interim ORD-2021-003 | s23 + s28 | expired | chief officer, one | yes, one | S-J8V2 |
/// | ORD-2022-003 | s23 | considered, not pursued | none | no | |
/// | ORD-2022-006 | s23 | refused | GLAA | no | |
/// | ORD-2023-004 | s14 | granted | none (sentencing) | yes | |
/// | ORD-2025-001 | s14 | granted | none (sentencing) | yes | |
///
/// Applications 3 (2 at OFFICIAL), orders made 6 (5), people 6 (5): every made order is about
/// a different subject. Breaches: ORD-2020-001 1, ORD-2021-002 3, ORD-2023-004 1 = 5.
#[test]
fn the_sample_statistics_match_a_count_by_hand() {
    let repo = sample_repo();
    let sensitive = stats(&repo, &["--max-marking", "OFFICIAL-SENSITIVE"]);
    let official = stats(&repo, &["--max-marking", "OFFICIAL"]);
    for (id, at_sensitive, at_official) in [
        ("individual-reviews", "9", "6"),
        ("victims", "67", "57"),
        ("thematic-reviews", "1", "1"),
        ("thematic-potential-victims", "150", "150"),
        ("order-records", "9", "8"),
        ("applications", "3", "2"),
        ("orders-made", "6", "5"),
        ("people-subject-to-an-order", "6", "5"),
        ("breaches", "5", "5"),
    ] {
        assert_eq!(figure(&sensitive, id), at_sensitive, "{id}");
        assert_eq!(figure(&official, id), at_official, "{id} at OFFICIAL");
    }
    // Within an edition every count is exact: its readers can open every record counted.
    for edition in [&sensitive, &official] {
        assert_eq!(edition["small_numbers_suppressed"], false);
        assert!(edition.get("audit").is_none());
        assert!(!edition.to_string().contains("1-5"), "{edition}");
    }
    // Each year of review of the nine counted reviews: 2019 (CR-2019-004), 2021 (CR-2021-002,
    // CR-2021-007), 2022 (CR-2022-001, CR-2022-005), 2023 (CR-2023-002, CR-2023-006), 2024
    // (CR-2024-008), 2026 (CR-2026-001); the superseded CR-2020-003 is not counted twice.
    let years = rows(&sensitive, "reviews-by-year");
    let expected = pairs(&[
        ("2019", "1"),
        ("2021", "2"),
        ("2022", "2"),
        ("2023", "2"),
        ("2024", "1"),
        ("2026", "1"),
    ]);
    assert_eq!(years, expected);
    // Orders are dated by the month made, decided or applied for, never by last_reviewed:
    // ORD-2022-003 was considered in 2022.
    let order_years = rows(&sensitive, "orders-by-year");
    assert!(
        !order_years.iter().any(|(y, _)| y == "2026"),
        "{order_years:?}"
    );
    assert_eq!(
        rows(&sensitive, "orders-made-by-type"),
        pairs(&[("STPO", "5"), ("STRO", "1")]),
        "the interim STRO made pending ORD-2021-002 counts as that STRO"
    );
    assert_eq!(
        rows(&sensitive, "applications-by-applicant"),
        pairs(&[
            ("Chief officer of police", "2"),
            ("Gangmasters and Labour Abuse Authority", "1")
        ]),
        "s14 orders are not applied for; ORD-2022-003 was only considered"
    );
    assert_eq!(
        rows(&sensitive, "breaches-by-action"),
        pairs(&[
            ("Charged (s30): convicted", "3"),
            ("Charged (s30): left on file", "1"),
            ("Warning", "1"),
        ])
    );
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// A count as a reader of a release knows it: exact, from 1 to 5, or hidden (not zero).
fn known(value: &serde_json::Value) -> Option<u64> {
    value.as_str().and_then(|v| v.parse().ok())
}

fn chart<'j>(json: &'j serde_json::Value, id: &str) -> &'j serde_json::Value {
    json["charts"]
        .as_array()
        .expect("charts")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("chart {id}"))
}

/// Of `n` hidden counts each at least 1 that add up to at most `bound`, the values one of
/// them can take: 1 to bound - (n - 1).
fn values_left(bound: u64, n: u64) -> u64 {
    (bound + 1).saturating_sub(n)
}

/// The public release of the OFFICIAL edition resists the attacks that undid the earlier
/// small-number rule, computed here by hand from the published JSON alone.
#[test]
fn no_hidden_public_count_can_be_worked_out() {
    let repo = sample_repo();
    let public = stats(&repo, &["--audience", "public"]);
    assert_eq!(public["audience"], "public");
    assert_eq!(public["small_numbers_suppressed"], true);
    assert_eq!(public["audit"]["passed"], true);
    assert!(
        public.to_string().contains("1-5"),
        "small counts are hidden"
    );
    // 1. Records minus orders made bounds the records not made: with 8 records and 6 made
    //    both shown, "considered, not pursued" and "refused" were each exactly 1.
    let statuses = chart(&public, "orders-by-status");
    let not_made = [
        "Considered, not pursued",
        "Applied for",
        "Refused",
        "Application withdrawn",
    ];
    let rows = statuses["rows"].as_array().expect("rows");
    let hidden_not_made = rows
        .iter()
        .filter(|r| not_made.contains(&r["category"].as_str().unwrap_or_default()))
        .filter(|r| known(&r["value"]).is_none())
        .count() as u64;
    let shown_not_made: u64 = rows
        .iter()
        .filter(|r| not_made.contains(&r["category"].as_str().unwrap_or_default()))
        .filter_map(|r| known(&r["value"]))
        .sum();
    if let (Some(records), Some(made)) = (
        known(&figure_value(&public, "order-records")),
        known(&figure_value(&public, "orders-made")),
    ) && hidden_not_made > 0
    {
        let bound = records - made - shown_not_made;
        assert!(
            values_left(bound, hidden_not_made) >= 3,
            "records {records} - made {made}"
        );
    }
    // 2 and 3. Subtraction from a total, in every table: where a partition's total is known
    //    (shown, or equal to a shown figure of the same population), its hidden counts add up
    //    to the total less the shown ones; each must keep at least three possible values.
    let population = |id: &str| match id {
        "orders-by-year" | "orders-by-status" => Some("order-records"),
        "orders-made-by-type" => Some("orders-made"),
        "applications-by-applicant" => Some("applications"),
        "breaches-by-kind" | "breaches-by-action" => Some("breaches"),
        "reviews-by-year" | "reviews-by-outcome" => Some("individual-reviews"),
        _ => None,
    };
    for c in public["charts"].as_array().expect("charts") {
        let id = c["id"].as_str().expect("id");
        let Some(total) = known(&c["total"]["value"])
            .or_else(|| population(id).and_then(|p| known(&figure_value(&public, p))))
        else {
            continue;
        };
        let rows = c["rows"].as_array().expect("rows");
        let hidden = rows.iter().filter(|r| known(&r["value"]).is_none()).count() as u64;
        let shown: u64 = rows.iter().filter_map(|r| known(&r["value"])).sum();
        if hidden > 0 {
            assert!(
                values_left(total - shown, hidden) >= 3,
                "{id}: {hidden} hidden counts add up to {}",
                total - shown
            );
        }
    }
    // The edition's own page shows the same tables exactly.
    let partners = stats(&repo, &["--audience", "partners"]);
    assert_eq!(partners["audience"], "partners");
    assert_eq!(figure(&partners, "order-records"), "8");
}

fn figure_value(json: &serde_json::Value, id: &str) -> serde_json::Value {
    json["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["id"] == id)
        .map(|f| f["value"].clone())
        .unwrap_or_default()
}

/// A release for partners or the public counts OFFICIAL documents only; asking for more is a
/// usage error, not a silent change of ceiling.
#[test]
fn an_audience_beyond_the_edition_cannot_raise_the_ceiling() {
    let repo = sample_repo();
    for audience in ["partners", "public"] {
        let run = repo.run(&[
            "stats",
            "--audience",
            audience,
            "--max-marking",
            "OFFICIAL-SENSITIVE",
        ]);
        assert_eq!(run.code(), 2, "{}", run.stderr());
        assert!(
            run.stderr().contains("counts only OFFICIAL documents"),
            "{}",
            run.stderr()
        );
    }
    let table = repo.run(&["stats", "--audience", "public"]);
    assert_eq!(table.code(), 0, "{}", table.stderr());
    assert!(
        table.stdout().starts_with("Statistics for the public"),
        "{}",
        table.stdout()
    );
    assert!(table.stdout().contains("Audit: "), "{}", table.stdout());
    let internal = repo.run(&["stats"]);
    assert!(
        internal.stdout().contains("      1  thematic review\n"),
        "{}",
        internal.stdout()
    );
}

/// One typed result: the statistics page's JSON, its CSV downloads and `casebook stats` give
/// the same figures.
#[test]
fn page_csv_and_command_agree() {
    let repo = sample_repo();
    let run = repo.run(&["build", "--max-marking", "OFFICIAL"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let public = repo.path().join("public-official");
    let page: serde_json::Value = serde_json::from_slice(
        &std::fs::read(public.join("statistics/statistics.json")).expect("statistics.json"),
    )
    .expect("json");
    let command = stats(&repo, &["--max-marking", "OFFICIAL"]);
    assert_eq!(page, command);
    assert!(
        !page.to_string().contains("1-5"),
        "the edition's page is exact"
    );
    for chart in command["charts"].as_array().expect("charts") {
        let id = chart["id"].as_str().expect("id");
        let csv =
            std::fs::read_to_string(public.join(format!("statistics/{id}.csv"))).expect("csv");
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                format!(
                    "{},{}",
                    chart["category"].as_str().unwrap_or_default(),
                    chart["measure"].as_str().unwrap_or_default()
                )
                .as_str()
            )
        );
        for row in chart["rows"].as_array().expect("rows") {
            let line = lines.next().unwrap_or_default();
            assert!(
                line.ends_with(&format!(",{}", row["value"].as_str().unwrap_or_default())),
                "{id}: {line} for {row}"
            );
        }
    }
    let table = repo.run(&["stats", "--max-marking", "OFFICIAL"]);
    assert!(
        table.stdout().contains("reviews of individual cases"),
        "{}",
        table.stdout()
    );
    let csv = repo.run(&["stats", "--format", "csv", "--max-marking", "OFFICIAL"]);
    assert!(
        csv.stdout().starts_with("table,category,value\nfigures,"),
        "{}",
        csv.stdout()
    );
}

/// The register's text, row by row: each cell's text with its whitespace collapsed.
fn table_rows(html: &str, selector: &str) -> Vec<Vec<String>> {
    let page = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse(selector).expect("selector");
    let cells = scraper::Selector::parse("td").expect("selector");
    page.select(&rows)
        .map(|r| {
            r.select(&cells)
                .map(|c| {
                    c.text()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect()
}

/// Issue 15: every date of the register recomputed by hand for each published sample order
/// on 7 December 2026, a review due this month included.
///
/// | order | status | expires | renewal | travel ends | last review | next review |
/// |---|---|---|---|---|---|---|
/// | ORD-2019-002 | expired | 2024-05 | | | | |
/// | ORD-2020-001 | granted | 2030-11 | 2030-05 | | 2026-10 | 2027-01 (quarterly) |
/// | ORD-2020-004 | granted | 2027-10 (device controls 5 years: 2025-10) | 2027-04 | | 2026-03 | 2026-09, overdue (six-monthly) |
/// | ORD-2021-002 | expired | 2024-11 | | | | |
/// | ORD-2021-003 | interim, expired | 2021-11 | | | | |
/// | ORD-2022-003 | considered | | | | | |
/// | ORD-2022-006 | refused | | | | | |
/// | ORD-2023-004 | granted | 2031-09 | 2031-03 | 2028-09 (made 2023-09 + 5) | 2026-09 | 2026-12, this month |
/// | ORD-2025-001 | granted | until further order | | 2030-06 | 2026-09 | 2026-12, this month |
#[test]
fn the_register_dates_match_a_count_by_hand() {
    let repo = sample_repo();
    let run = repo.run_on("2026-12-07", &["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html =
        std::fs::read_to_string(repo.path().join("public/register/index.html")).expect("register");
    let rows = table_rows(&html, "table.register tbody tr:not(.reason)");
    let by_id: std::collections::BTreeMap<&str, &Vec<String>> =
        rows.iter().map(|r| (r[0].as_str(), r)).collect();
    // Columns: order, type, status, applicant, date, areas, expires, renewal, travel ends,
    // last review, next review, breaches.
    let dates = |id: &str| -> Vec<&str> { by_id[id][6..11].iter().map(String::as_str).collect() };
    assert_eq!(by_id.len(), 9, "{:?}", by_id.keys());
    assert_eq!(dates("ORD-2019-002"), ["2024-05", "", "", "", ""]);
    assert_eq!(
        dates("ORD-2020-001"),
        ["2030-11", "2030-05", "", "2026-10", "2027-01"]
    );
    assert_eq!(
        dates("ORD-2020-004"),
        [
            "2027-10 Device or phone controls: 2025-10",
            "2027-04",
            "",
            "2026-03",
            "2026-09 Overdue"
        ]
    );
    assert_eq!(dates("ORD-2021-003"), ["2021-11", "", "", "", ""]);
    assert_eq!(dates("ORD-2022-003"), ["", "", "", "", ""]);
    assert_eq!(
        dates("ORD-2023-004"),
        ["2031-09", "2031-03", "2028-09", "2026-09", "2026-12"]
    );
    assert_eq!(
        dates("ORD-2025-001"),
        ["until further order", "", "2030-06", "2026-09", "2026-12"]
    );
    // Due in the next six months, December to June: the overdue review first, then this
    // month's two reviews.
    let due =
        std::fs::read_to_string(repo.path().join("public/register/due/index.html")).expect("due");
    let due: Vec<String> = table_rows(&due, "tbody tr")
        .iter()
        .map(|r| r[..3].join(" | "))
        .collect();
    assert_eq!(
        due,
        [
            "2026-09 | Management review Overdue | ORD-2020-004",
            "2026-12 | Management review | ORD-2023-004",
            "2026-12 | Management review | ORD-2025-001",
            "2027-01 | Management review | ORD-2020-001",
            "2027-04 | Renewal preparation starts | ORD-2020-004",
        ]
    );
}
