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
/// | CR-2020-003 | OFFICIAL | deep-dive, superseded | 9 | no: CR-2026-001 replaces it |
/// | CR-2021-002 | SENSITIVE | deep-dive | 7 | yes (OFFICIAL-SENSITIVE edition only) |
/// | CR-2021-007 | OFFICIAL | debrief | 6 | yes |
/// | CR-2022-001 | SENSITIVE | file-audit | 1 | yes (OFFICIAL-SENSITIVE edition only) |
/// | CR-2022-005 | OFFICIAL | debrief | 5 | yes |
/// | CR-2023-002 | OFFICIAL | deep-dive | 14 | yes |
/// | CR-2023-006 | OFFICIAL | deep-dive | 16 | yes |
/// | CR-2024-008 | SENSITIVE | deep-dive | 2 | yes (OFFICIAL-SENSITIVE edition only) |
/// | CR-2025-002 | OFFICIAL | thematic | 150 records | no: counted on its own line |
/// | CR-2026-001 | OFFICIAL | deep-dive | 11 | yes |
///
/// CR-2024-003 (in review) and CR-2025-004 (draft) are not published. So the
/// OFFICIAL-SENSITIVE edition counts 9 reviews and 5+7+6+1+5+14+16+2+11 = 67 victims; the
/// OFFICIAL edition 6 reviews and 5+6+5+14+16+11 = 57 victims. Orders: 12 records, of which
/// ORD-2024-001 and ORD-2024-002 are in review and ORD-2025-003 a draft, leaves 9; made: all
/// but ORD-2022-003 (not pursued) and ORD-2022-006 (refused) = 7; breaches: ORD-2020-001 1,
/// ORD-2021-002 3, ORD-2023-004 1 = 5.
#[test]
fn the_sample_statistics_match_a_count_by_hand() {
    let repo = sample_repo();
    let sensitive = stats(&repo, &["--max-marking", "OFFICIAL-SENSITIVE"]);
    for (id, value) in [
        ("individual-reviews", "9"),
        ("victims", "67"),
        ("thematic-reviews", "1"),
        ("thematic-records", "150"),
        ("orders", "9"),
        ("orders-made", "7"),
        ("breaches", "5"),
    ] {
        assert_eq!(figure(&sensitive, id), value, "{id}");
    }
    assert_eq!(sensitive["small_numbers_suppressed"], false);
    // Each year of review of the nine counted reviews: 2019 (CR-2019-004), 2021 (CR-2021-002,
    // CR-2021-007), 2022 (CR-2022-001, CR-2022-005), 2023 (CR-2023-002, CR-2023-006), 2024
    // (CR-2024-008), 2026 (CR-2026-001); the superseded CR-2020-003 is not counted twice.
    let years = rows(&sensitive, "reviews-by-year");
    let expected: Vec<(String, String)> = [
        ("2019", "1"),
        ("2021", "2"),
        ("2022", "2"),
        ("2023", "2"),
        ("2024", "1"),
        ("2026", "1"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(years, expected);
    // Orders are dated by the month made, decided or applied for, never by last_reviewed:
    // ORD-2022-003 was considered in 2022.
    let order_years = rows(&sensitive, "orders-by-year");
    assert!(
        !order_years.iter().any(|(y, _)| y == "2026"),
        "{order_years:?}"
    );
    let official = stats(&repo, &["--max-marking", "OFFICIAL"]);
    assert_eq!(official["small_numbers_suppressed"], true);
    assert_eq!(figure(&official, "individual-reviews"), "6");
    assert_eq!(figure(&official, "victims"), "57");
    assert_eq!(figure(&official, "thematic-reviews"), "1-5");
    assert!(
        official["rule"]
            .as_str()
            .unwrap_or_default()
            .contains("1-5")
    );
}

/// Issue 10: at OFFICIAL no hidden count can be recovered by subtracting the shown counts from
/// a shown total: every table with a total hides none of its counts, or two or more.
#[test]
fn no_hidden_count_can_be_worked_out_from_a_total() {
    let repo = sample_repo();
    let official = stats(&repo, &["--max-marking", "OFFICIAL"]);
    let mut protected = 0;
    for chart in official["charts"].as_array().expect("charts") {
        let total_shown = chart["total"]
            .as_object()
            .is_some_and(|t| t.get("suppressed").is_none());
        let hidden = chart["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter(|r| r.get("suppressed").is_some())
            .count();
        if total_shown {
            assert_ne!(
                hidden, 1,
                "{} leaves one hidden count: {chart}",
                chart["id"]
            );
            protected += usize::from(hidden >= 2);
        }
    }
    assert!(protected > 0, "the sample exercises secondary suppression");
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
