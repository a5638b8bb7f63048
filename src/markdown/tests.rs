/// The table cells pulldown-cmark makes of `body`.
fn parsed_cells(body: &str) -> usize {
    super::parser(body)
        .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
        .count()
}

#[test]
fn the_table_cell_bound_is_never_below_what_the_parser_makes() {
    let wide = |cols: usize, rows: usize, eol: &str| {
        format!(
            "{}|{eol}{}|{eol}{}",
            "|a".repeat(cols),
            "|-".repeat(cols),
            format!("x{eol}").repeat(rows)
        )
    };
    let cases = [
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 |\n\nafter\n".to_owned(),
        wide(300, 40, "\n"),
        wide(300, 40, "\r\n"),
        wide(300, 40, "\r"),
        format!("> {}", wide(50, 20, "\n> ")),
        format!("- item\n\n  {}", wide(40, 10, "\n  ")),
        format!("[^1]: {}", wide(30, 10, "\n    ")),
        // A delimiter-like row inside a table does not narrow it.
        format!("{}|-|\n{}", wide(200, 5, "\n"), "y\n".repeat(30)),
        // A line of other white space is not blank: the table goes on.
        format!("{}\u{3000}\n{}", wide(100, 3, "\n"), "z\n".repeat(30)),
        format!("{}\x0c\n{}", wide(100, 3, "\n"), "z\n".repeat(30)),
        "a | b\n- | -\nc | d\n".to_owned(),
        "|-|\n|-|\n".to_owned(),
        "------\ntext\n".to_owned(),
    ];
    for body in &cases {
        let (bound, made) = (table_cells(body).cells, parsed_cells(body));
        assert!(bound >= made, "{bound} < {made} for {body:?}");
    }
    // Ordinary tables are well inside the budget; the blow-up is found before parsing.
    assert_eq!(table_cells(&wide(10, 1000, "\n")).over_budget_at, None);
    let blowup = format!("# Notes\n\n{}", wide(362, 362, "\n").repeat(40));
    let found = table_cells(&blowup);
    assert!(found.cells > 100 * MAX_TABLE_CELLS, "{found:?}");
    // The first table's delimiter row, on the fourth line.
    assert_eq!(found.over_budget_at, Some(10 + 2 * 362 + 1));
    assert_eq!(table_cells("no tables here\n\n| just | pipes |\n").cells, 0);
}

#[test]
fn relative_paths_resolve_against_the_linking_file() {
    let from = "knowledge/reviews/CR-2024-001.md";
    assert_eq!(
        resolve_relative(from, "../orders/ORD-2020-001.md").as_deref(),
        Some("knowledge/orders/ORD-2020-001.md")
    );
    assert_eq!(
        resolve_relative(from, "CR-2020-003-x.md").as_deref(),
        Some("knowledge/reviews/CR-2020-003-x.md")
    );
    assert_eq!(resolve_relative(from, "../../../../x.md"), None);
    assert_eq!(resolve_relative(from, "AG-GLAA"), None);
    assert_eq!(resolve_relative(from, "/etc/passwd.md"), None);
}

use super::*;

#[test]
fn finds_headings_and_links_with_offsets() {
    let body =
        "## Summary\n\nSee [the note](AG-GLAA) and ![x](data:image/png,AA).\n\n## What `worked`\n";
    let o = outline(body);
    let texts: Vec<_> = o
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(texts, vec![(2, "Summary"), (2, "What worked")]);
    assert_eq!(o.links[0].target, "AG-GLAA");
    assert_eq!(
        &body[o.links[0].range.0..o.links[0].range.1],
        "[the note](AG-GLAA)"
    );
    assert!(o.links[1].image);
}

fn no_documents(_: &str) -> Option<String> {
    None
}

fn render(body: &str) -> String {
    to_html(
        body,
        &|t| (t == "AG-GLAA").then(|| "/agencies/AG-GLAA/".to_owned()),
        &keep,
    )
    .into_string()
}

#[test]
fn tables_scroll_in_their_own_region_and_align_with_classes() {
    let html = render(
        "| Year | Victims | Note |\n|:-----|------:|:----:|\n| 2021 | 12 | x |\n\n| a |\n|---|\n| b |\n",
    );
    assert!(!html.contains("style="), "{html}");
    assert!(
        html.contains(
            r#"<div class="table-wrap" role="region" aria-label="Table 1" tabindex="0">"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"aria-label="Table 2""#), "{html}");
    assert!(
        html.contains(r#"<th scope="col" class="align-left">Year</th>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<th scope="col" class="align-right">Victims</th>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<td class="align-right">12</td>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<td class="align-center">x</td>"#),
        "{html}"
    );
    assert!(html.contains("<td>b</td>"), "{html}");
    assert_eq!(html.matches("<tbody>").count(), 2, "{html}");
    assert_eq!(html.matches("</div>").count(), 2, "{html}");
    // A table with only a header row still closes properly.
    let head_only = render("| a | b |\n|---|---|\n");
    assert!(
        head_only.contains("</tr></thead>\n</table>\n</div>"),
        "{head_only}"
    );
}

#[test]
fn document_links_resolve_and_others_become_text() {
    let html = render(
        "See [the note](AG-GLAA#powers), [x](https://example.org/a?b=1&c=2) and [old](CR-2019-001).",
    );
    assert!(
        html.contains(r#"<a href="/agencies/AG-GLAA/#powers">the note</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="https://example.org/a?b=1&amp;c=2">x</a>"#),
        "{html}"
    );
    assert!(html.contains(" and old.</p>"), "{html}");
}

#[test]
fn images_on_other_sites_become_links_and_are_never_loaded() {
    let html = render(
        "![the yard](https://example.org/yard.png) ![map](https://example.org/m.png \"Map\") ![local](x.png)",
    );
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains(r#"<a href="https://example.org/yard.png" title="image on another site, not loaded">the yard</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="https://example.org/m.png" title="Map">map</a>"#),
        "{html}"
    );
    assert!(html.contains(" local</p>"), "{html}");
}

/// Issue 14: links never nest; e-mail autolinks keep `mailto:`; a path on the site is kept
/// while anything that would leave it without a scheme is text.
#[test]
fn links_never_nest_and_scheme_less_targets_follow_one_rule() {
    let html = render("[![moon](https://example.org/moon.jpg)](AG-GLAA)");
    assert_eq!(html.matches("<a ").count(), 1, "{html}");
    assert!(
        html.contains(r#"<a href="/agencies/AG-GLAA/">moon</a>"#),
        "{html}"
    );
    let html = render("<foo@bar.example.com> and [x](/powers/) and [y](//evil.example/x)");
    assert!(
        html.contains(r#"<a href="mailto:foo@bar.example.com">foo@bar.example.com</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"<a href="/powers/">x</a>"#), "{html}");
    assert!(html.contains(" and y</p>"), "{html}");
    for odd in [
        "[z](</\\evil.example>)",
        "[z](</\t/evil.example>)",
        "[z](train.jpg)",
    ] {
        let html = render(odd);
        assert!(!html.contains("<a"), "{odd}: {html}");
    }
    assert!(is_site_path("/reviews/"));
    assert!(!is_site_path("//host/"));
    assert!(!is_site_path("/\\host/"));
    assert!(!is_site_path("reviews/"));
    assert!(!is_site_path("\u{11}\u{0}/x"));
    assert!(!is_site_path("/\t/host/"));
    assert!(!is_site_path(" /x"));
}

/// What an edition shows for a review above its ceiling.
fn higher(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("CR-2021-002") {
        text.replace("CR-2021-002", "a review at a higher marking")
            .into()
    } else {
        text.into()
    }
}

#[test]
fn redacted_text_reaches_no_part_of_the_page() {
    let body = "## About CR-2021-002\n\nSee [CR-2021-002](CR-2021-002), CR\\-2021-002, `CR-2021-002`, <b>CR-2021-002</b> and ![CR-2021-002](x.png).";
    let html = to_html(body, &no_documents, &higher).into_string();
    assert!(!html.to_lowercase().contains("2021-002"), "{html}");
    assert!(
        html.contains(r#"<h2 id="about-a-review-at-a-higher-marking">"#),
        "{html}"
    );
    assert!(
        html.contains("See a review at a higher marking, a review at a higher marking, <code>a review at a higher marking</code>"),
        "{html}"
    );
    // Without it: the anchor, the heading, the link, the escaped id, the code, the HTML, the image.
    assert_eq!(
        to_html(body, &no_documents, &keep)
            .matches("2021-002")
            .count(),
        7
    );
}

#[test]
fn headings_get_unique_anchors() {
    let html = to_html(
        "## What worked\n\n## What worked\n\n### Émigré `code`!\n",
        &no_documents,
        &keep,
    );
    assert!(html.contains(r#"<h2 id="what-worked">"#), "{html}");
    assert!(html.contains(r#"<h2 id="what-worked-2">"#), "{html}");
    assert!(html.contains(r#"<h3 id="migr-code">"#), "{html}");
}

#[test]
fn the_fictional_notice_is_not_indexed() {
    let body = "*Fictional example for the sample; any resemblance is coincidental.*\n\n## Summary\n\nText.";
    assert_eq!(
        without_fictional_notice(body).trim_start(),
        "## Summary\n\nText."
    );
    let plain = "## Summary\n\n*Fictional* word.";
    assert_eq!(without_fictional_notice(plain), plain);
}

#[test]
fn heading_anchors_never_take_the_templates_ids() {
    let html = to_html(
        "## Powers\n\n## Main\n\n## Recommendations\n\n## Power: entry\n\n## Power: entry\n\n## Notes\n\n## Notes-2\n\n## Notes\n",
        &no_documents,
        &keep,
    );
    for id in [
        "powers-2",
        "main-2",
        "recommendations-2",
        "section-power-entry",
        "section-power-entry-2",
        "notes",
        "notes-2",
        "notes-3",
    ] {
        assert!(html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
    }
    for id in RESERVED_IDS {
        assert!(!html.contains(&format!(r#"id="{id}""#)), "{id}: {html}");
    }
}

#[test]
fn thousands_of_repeated_headings_get_anchors_in_linear_time() {
    let body = "## Notes\n\n".repeat(20_000);
    let html = to_html(&body, &no_documents, &keep);
    assert!(html.contains(r#"id="notes-20000""#));
}

/// RELIABILITY.md 3.A items 17–23: everything hostile renders inert.
#[test]
fn hostile_markdown_renders_inert() {
    let cases = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) <javascript:alert(1)> [z](java&#x09;script:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=) ![i](data:image/svg+xml,<svg onload=alert(1)>) [v](vbscript:msgbox)",
        "<iframe src=x></iframe><object data=x></object><embed src=x><form action=x></form><base href=x><meta http-equiv=refresh content=0><style>*{}</style>",
        "![a](\"onerror=\"alert(1)) [t](https://example.org \"\\\"><script>alert(1)</script>\")",
        "<a href=\"javascript:alert(1)\">raw</a>",
        "{{ 7*7 }} {% include 'x' %}",
    ];
    let handler = regex::Regex::new(r"<[a-z][^>]*\son[a-z]+\s*=").unwrap();
    for case in cases {
        let html = render(case).to_lowercase();
        for bad in [
            "<script",
            "<img src=x",
            "<svg",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<base",
            "<meta",
            "<style",
            "<a href=\"javascript",
            "href=\"data:",
            "href=\"vbscript",
            "src=\"data:",
        ] {
            assert!(!html.contains(bad), "{case:?} rendered {bad}: {html}");
        }
        assert!(
            !handler.is_match(&html),
            "{case:?}: an on* attribute in {html}"
        );
    }
    assert!(render("{{ 7*7 }}").contains("{{ 7*7 }}"));
}

/// RELIABILITY.md 3.A item 24: pathological inputs stay small (time is measured in
/// benchmarks, not asserted here).
#[test]
fn pathological_markdown_output_stays_bounded() {
    let inputs = [
        "[a](<b".repeat(50_000),
        "[ (](".repeat(40_000),
        "a***".repeat(80_000),
        format!("{}a", "* ".repeat(80_000)),
        "!-- <".repeat(20_000),
        format!("[x]: {}\n{}", "x".repeat(3000), "[x]".repeat(3000)),
        "[^a\n".repeat(20_000),
        "> ".repeat(50_000),
    ];
    for input in inputs {
        let html = to_html(&input, &no_documents, &keep);
        assert!(
            html.len() < input.len() * 20,
            "{} bytes in, {} out",
            input.len(),
            html.len()
        );
    }
}

#[test]
fn plain_text_and_sections() {
    let body = "*Note.*\n\n## Summary\n\nV1 was **moved** to <b>x</b> `code`.\n\n## Learning\n\n- Plan early.\n";
    assert_eq!(
        section_text(body, "summary").as_deref(),
        Some("V1 was moved to x code.")
    );
    assert_eq!(
        section_text(body, "Learning").as_deref(),
        Some("Plan early.")
    );
    assert_eq!(section_text(body, "Missing"), None);
    assert!(plain_text(body).starts_with("Note. Summary. V1 was moved"));
    assert_eq!(
        plain_text("With [adult social care](AG-LA-ASC), *a* **charity**."),
        "With adult social care, a charity."
    );
}
