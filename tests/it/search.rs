//! Search on the sample knowledge base, as the analysts and officers of USERS.md would use it:
//! relevance, facets, the marking ceiling, incremental builds and hostile queries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casebook::index::{FacetName, Hit, KbIndex, SearchRequest, SearchResponse, Sort};

/// A hit's snippet as the results page shows it, matches in `<mark>`.
fn marked(hit: &Hit) -> String {
    casebook::render::snippet_html(&hit.snippet.text, &hit.snippet.highlights)
}

use crate::support::TestRepo;

/// The sample knowledge base committed to a repository and built once for these tests.
pub(crate) fn sample() -> &'static (TestRepo, PathBuf) {
    static SAMPLE: OnceLock<(TestRepo, PathBuf)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let repo = sample_repo();
        let run = repo.run(&["build"]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let dir = repo.path().join(".casebook/index-official-sensitive");
        (repo, dir)
    })
}

/// A repository holding a copy of the sample knowledge base, committed.
pub(crate) fn sample_repo() -> TestRepo {
    let repo = TestRepo::empty();
    crate::support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"),
        &repo.path().join("knowledge"),
    );
    repo.commit("sample");
    repo
}

fn search(q: &str, filters: &[(FacetName, &[&str])]) -> SearchResponse {
    let index = KbIndex::open(&sample().1).expect("open index");
    let filters: BTreeMap<FacetName, Vec<String>> = filters
        .iter()
        .map(|(f, v)| (*f, v.iter().map(|s| (*s).to_owned()).collect()))
        .collect();
    index.search(&SearchRequest {
        q: q.to_owned(),
        filters,
        page: 1,
        per_page: 50,
        ..SearchRequest::default()
    })
}

fn ids(r: &SearchResponse) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

/// Each user story: the query, and the documents that must lead the results.
#[test]
fn relevance_user_stories() {
    let stories: &[(&str, &[&str])] = &[
        ("GLAA powers of entry", &["AG-GLAA"]),
        ("Article 31 prohibition notice", &["AG-HIWFRS"]),
        ("minimum wage", &["AG-HMRC-NMW"]),
        ("closure notice", &["AG-HOIE", "AG-HIOWC"]),
        ("kidney", &["CR-2024-008"]),
        ("domestic servitude", &["CR-2022-001"]),
        ("bank accounts benefit fraud", &["CR-2023-006"]),
        ("begging", &["ORD-2022-003", "CR-2022-005"]),
        ("cannabis", &["ORD-2019-002", "CR-2019-004"]),
        ("interpreters", &["CR-2021-002", "CR-2022-005"]),
        ("type:county-lines", &["CR-2021-007"]),
        ("\"same community\"", &["CR-2020-003", "CR-2021-002"]),
        ("kidn*", &["CR-2024-008"]),
        ("glasshouse* -begging", &["CR-2023-002"]),
    ];
    for (q, leading) in stories {
        let r = search(q, &[]);
        let top: Vec<&str> = ids(&r).into_iter().take(leading.len()).collect();
        for id in *leading {
            assert!(
                top.contains(id),
                "{q}: expected {id} in the top {}, got {:?}",
                leading.len(),
                ids(&r)
            );
        }
        assert!(r.warnings.is_empty(), "{q}: {:?}", r.warnings);
    }
}

#[test]
fn interpreters_in_portsmouth() {
    let r = search("interpreters", &[(FacetName::Area, &["portsmouth"])]);
    assert_eq!(ids(&r), vec!["CR-2021-002", "CR-2023-006"]);
    let html = marked(&r.hits[0]);
    assert!(html.contains("<mark>"), "{html}");
}

#[test]
fn exclusion_removes_documents() {
    let with = search("interpreters", &[]);
    let without = search("interpreters -labour", &[]);
    assert!(without.total < with.total);
    assert!(
        !ids(&without).contains(&"CR-2020-003"),
        "{:?}",
        ids(&without)
    );
    assert!(ids(&without).contains(&"CR-2021-002"));
}

#[test]
fn aliases_filter_by_facet() {
    let r = search("agency:GLAA theme:interpreters", &[]);
    let mut found = ids(&r);
    found.sort_unstable();
    assert_eq!(found, vec!["CR-2020-003", "CR-2023-002", "CR-2023-006"]);
    let years = search("year:[2020 TO 2021]", &[]);
    assert!(
        years
            .hits
            .iter()
            .all(|h| h.date.starts_with("2020") || h.date.starts_with("2021"))
    );
    assert_eq!(years.total, 7);
}

#[test]
fn a_misspelling_is_searched_as_the_right_word() {
    let r = search("intrepreters", &[]);
    let c = r.correction.expect("corrected");
    assert_eq!(c.query, "interpreters");
    assert_eq!(
        (c.words[0].typed.as_str(), c.words[0].used.as_str()),
        ("intrepreters", "interpreters")
    );
    assert!(r.total > 0 && r.suggestion.is_none());
    assert_eq!(
        r.query, "intrepreters",
        "the response keeps the words as typed"
    );
    // Asked for exactly: nothing matches, and the correction is offered instead.
    let exact = casebook::index::KbIndex::open(&sample().1)
        .expect("index")
        .search(&SearchRequest {
            q: "intrepreters".to_owned(),
            page: 1,
            per_page: 10,
            exact: true,
            ..SearchRequest::default()
        });
    assert_eq!(exact.total, 0);
    assert!(exact.correction.is_none());
    assert_eq!(exact.suggestion.as_deref(), Some("interpreters"));
    let r = search("labor exploitaton", &[]);
    let c = r.correction.expect("corrected");
    assert_eq!(
        c.query, "labor exploitation",
        "labor is a spelling of labour, not an error"
    );
}

#[test]
fn drafts_and_withdrawn_documents_are_not_published() {
    // CR-2025-004 (money mules) is a draft: it is checked but never indexed.
    let r = search("Whitebeam", &[]);
    assert_eq!(r.total, 0, "{:?}", ids(&r));
}

#[test]
fn newest_first_sorts_by_date() {
    let index = KbIndex::open(&sample().1).expect("open");
    let r = index.search(&SearchRequest {
        q: "STPO".into(),
        sort: Sort::Newest,
        page: 1,
        per_page: 50,
        ..Default::default()
    });
    let dates: Vec<&str> = r.hits.iter().map(|h| h.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(r.total > 3);
}

#[test]
fn pagination_splits_results_without_overlap() {
    let index = KbIndex::open(&sample().1).expect("open");
    let page = |n| {
        index.search(&SearchRequest {
            q: "order".into(),
            page: n,
            per_page: 5,
            ..Default::default()
        })
    };
    let (p1, p2) = (page(1), page(2));
    assert_eq!(p1.total, p2.total);
    assert_eq!(p1.hits.len(), 5);
    assert!(p1.hits.iter().all(|h| !p2.hits.contains(h)));
}

#[test]
fn facets_or_within_and_across() {
    let portsmouth = search("", &[(FacetName::Area, &["portsmouth"])]);
    let southampton = search("", &[(FacetName::Area, &["southampton"])]);
    let either = search("", &[(FacetName::Area, &["portsmouth", "southampton"])]);
    let mut union: Vec<&str> = ids(&portsmouth)
        .into_iter()
        .chain(ids(&southampton))
        .collect();
    union.sort();
    union.dedup();
    let mut got = ids(&either);
    got.sort();
    assert_eq!(got, union, "OR within a facet");
    let both = search(
        "",
        &[
            (FacetName::Area, &["portsmouth", "southampton"]),
            (FacetName::Theme, &["interpreters"]),
        ],
    );
    let themed = search("", &[(FacetName::Theme, &["interpreters"])]);
    for id in ids(&both) {
        assert!(
            ids(&either).contains(&id) && ids(&themed).contains(&id),
            "AND across facets: {id}"
        );
    }
    assert!(both.total < either.total);
}

#[test]
fn facet_counts_equal_what_a_click_returns() {
    let active: &[(FacetName, &[&str])] = &[
        (FacetName::Area, &["southampton"]),
        (FacetName::Theme, &["partnership-working"]),
    ];
    let r = search("", active);
    for (facet, values) in [
        (FacetName::Area, "area"),
        (FacetName::Theme, "theme"),
        (FacetName::Kind, "kind"),
    ] {
        for (term, count) in &r.facets[values] {
            // Clicking adds the term to its facet (OR within), keeping the other filters.
            let mut filters: Vec<(FacetName, Vec<&str>)> =
                active.iter().map(|(f, v)| (*f, v.to_vec())).collect();
            match filters.iter_mut().find(|(f, _)| *f == facet) {
                Some((_, v)) => *v = vec![term.as_str()],
                None => filters.push((facet, vec![term.as_str()])),
            }
            let as_slices: Vec<(FacetName, &[&str])> =
                filters.iter().map(|(f, v)| (*f, v.as_slice())).collect();
            let clicked = search("", &as_slices);
            assert_eq!(clicked.total as u64, *count, "{values}={term}");
        }
    }
}

#[test]
fn reporting_areas_roll_up_districts() {
    let r = search("", &[]);
    let area = &r.facets["area"];
    let hampshire = search("", &[(FacetName::Area, &["hampshire"])]);
    assert_eq!(area["hampshire"], hampshire.total as u64);
    assert!(area["hampshire"] >= area["havant"] && area["havant"] > 0);
    let criminal = search("", &[(FacetName::Exploitation, &["criminal"])]);
    assert!(
        ids(&criminal).contains(&"CR-2021-007"),
        "county lines rolls up to criminal"
    );
}

#[test]
fn similar_documents_exclude_the_document_itself() {
    let (repo, _) = sample();
    let page = std::fs::read_to_string(repo.path().join("public/reviews/CR-2020-003/index.html"))
        .expect("page");
    let section = page
        .split("<h3>Similar documents</h3>")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .expect("a similar documents list");
    let ids: Vec<&str> = section
        .split("</a>")
        .filter_map(|s| s.rsplit('>').next())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(ids.len(), 5, "{section}");
    assert!(!ids.contains(&"CR-2020-003"), "{ids:?}");
    assert_eq!(
        ids[0], "CR-2026-001",
        "its follow-up review comes first: {ids:?}"
    );
}

#[test]
fn cli_search_prints_ranked_results_and_facets() {
    let (repo, _) = sample();
    let run = repo.run(&["search", "labour exploitation interpreters"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = run.stdout();
    assert!(out.starts_with("  1. "), "{out}");
    assert!(out.lines().take(9).any(|l| l.contains(". CR-")), "{out}");
    assert!(out.contains("**interpreter"), "{out}");
    assert!(out.contains("\narea: "), "{out}");
    let json = repo
        .run(&[
            "search",
            "interpreters",
            "--area",
            "portsmouth",
            "--format",
            "json",
        ])
        .json();
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "query", "total", "took_ms", "page", "per_page", "warnings", "hits", "facets",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let hit = &json["hits"][0];
    for key in [
        "id",
        "kind",
        "title",
        "url",
        "date",
        "marking",
        "snippet_html",
        "score",
    ] {
        assert!(!hit[key].is_null(), "hit.{key} missing");
    }
    assert_eq!(json["total"], 2);
}

/// RELIABILITY.md 3.A items 25–34: each query gives results or a warning, never an error exit.
#[test]
fn hostile_queries_answer_with_results_or_warnings() {
    let (repo, _) = sample();
    let long = "x".repeat(100_000);
    let ands = "a AND ".repeat(2000);
    let deep = "(".repeat(800);
    let deeper = "(".repeat(2400);
    let balanced = format!("{}a{}", "(".repeat(1600), ")".repeat(1600));
    let plus_deep = "+(".repeat(800);
    let queries: Vec<&str> = vec![
        "- *",
        "+ *",
        "a:(^",
        "a:(a^",
        "*\u{b}",
        "*\u{85}",
        "IN [\u{0}",
        "title:IN [\u{b}",
        "\u{0}",
        &deep,
        &deeper,
        &plus_deep,
        &balanced,
        &long,
        &ands,
        "marking:OFFICIAL-SENSITIVE",
        "marking:*",
        "-marking:OFFICIAL",
        "_id:*",
        "nosuchfield:x",
        "body:/.*/",
        "body:{* TO *}",
        "a^999999999999999999999",
        "\"a b\"~4294967296",
        "a~99999",
        "<script>alert(1)</script>",
    ];
    for q in queries {
        // In process: no panic, a total, and warnings rather than errors.
        let r = search(q, &[]);
        assert!(r.hits.len() <= r.total, "{q:?}");
        assert!(
            r.warnings.iter().all(|w| w.len() <= 200),
            "{:?}",
            r.warnings
        );
        if q.contains('\0') {
            continue; // a process argument cannot hold NUL
        }
        let run = repo.run(&["search", q, "--format", "json"]);
        assert_eq!(
            run.code(),
            0,
            "query {:?}: {}",
            &q[..q.len().min(40)],
            run.stderr()
        );
        let json = run.json();
        assert!(json["total"].is_u64(), "{q:?}");
        let hits_text = json["hits"].to_string() + &json["warnings"].to_string();
        assert!(
            !hits_text.contains("<script>"),
            "unescaped markup in {hits_text}"
        );
    }
}

/// Issue 9: "who can close a premises?" — the question words are not required or highlighted,
/// "close" reaches the closure power, the agencies that hold it lead, and the answer box lists
/// every holder of closure, then of the prohibition powers it points to, from the structured
/// powers.
#[test]
fn a_question_naming_a_power_is_answered_from_the_structured_powers() {
    let r = search("who can close a premises?", &[]);
    assert!(r.total >= 2, "{:?}", ids(&r));
    let top: Vec<&str> = ids(&r).into_iter().take(2).collect();
    for id in ["AG-HIOWC", "AG-HOIE"] {
        assert!(top.contains(&id), "{id} leads: {:?}", ids(&r));
    }
    for hit in &r.hits {
        let html = marked(hit);
        let marked: Vec<&str> = html
            .split("<mark>")
            .skip(1)
            .filter_map(|s| s.split("</mark>").next())
            .collect();
        for m in &marked {
            let m = m.to_lowercase();
            assert!(
                !["who", "can", "a", "the"].contains(&m.as_str()),
                "{}: question word highlighted: {}",
                hit.id,
                html
            );
        }
    }
    let answers: Vec<(&str, bool, Vec<&str>)> = r
        .answers
        .iter()
        .map(|a| {
            let holders = a.holders.iter().map(|h| h.id.as_str()).collect();
            (a.power_type.as_str(), a.related, holders)
        })
        .collect();
    assert_eq!(
        answers[0],
        ("closure", false, vec!["AG-HIOWC", "AG-HOIE", "AG-LA-HSG"])
    );
    assert_eq!(answers[1].0, "prohibition-notice");
    assert_eq!(answers[1].2, vec!["AG-HIWFRS", "AG-HSE"]);
    assert_eq!(answers[2].0, "prohibition-order");
    assert!(
        answers[1].1 && answers[2].1,
        "see-also powers are marked related"
    );
    let hiowc = &r.answers[0].holders[0];
    assert_eq!(hiowc.url, "/agencies/AG-HIOWC/#power-closure");
    assert!(
        hiowc.powers[0]
            .basis
            .contains("Anti-social Behaviour, Crime and Policing Act 2014")
    );
    assert!(!hiowc.powers[0].warrant_required);
    assert_eq!(r.answers[0].url, "/powers/closure/");
}

/// The everyday forms of a power reach it, and an analyst's longer query, or one filtered to
/// reviews, gets no answer box.
#[test]
fn power_words_reach_the_power_and_the_answer_box_stays_out_of_analysts_way() {
    for (q, power) in [
        ("who can shut a business", "closure"),
        ("powers of entry", "entry"),
        ("who can seize cash", "seizure"),
        ("arrest", "arrest"),
        ("who can apply for an STPO?", "order-applicant"),
        ("STROs", "order-applicant"),
        ("risk order", "order-applicant"),
    ] {
        let r = search(q, &[]);
        assert_eq!(
            r.answers.first().map(|a| a.power_type.as_str()),
            Some(power),
            "{q}"
        );
        assert!(!r.answers[0].holders.is_empty(), "{q}");
    }
    let seize = search("seize", &[(FacetName::Kind, &["agency_powers"])]);
    let who = search("who can seize", &[]);
    let holders: Vec<&str> = who.answers[0]
        .holders
        .iter()
        .map(|h| h.id.as_str())
        .collect();
    for id in holders {
        assert!(
            ids(&seize).contains(&id),
            "seize finds {id}: {:?}",
            ids(&seize)
        );
    }
    assert!(
        search("interpreters labour exploitation arrest Portsmouth", &[])
            .answers
            .is_empty()
    );
    assert!(
        search("closure", &[(FacetName::Kind, &["case_review"])])
            .answers
            .is_empty()
    );
    assert!(search("interpreters", &[]).answers.is_empty());
    // The power facet filters agency notes by the powers they hold.
    let closure = search("", &[(FacetName::Power, &["closure"])]);
    assert_eq!(ids(&closure), vec!["AG-HIOWC", "AG-HOIE", "AG-LA-HSG"]);
}

/// Issue 9: a superseded review is badged with its successor in the results, and every hit
/// and facet term carries the label readers see.
#[test]
fn hits_carry_labels_and_a_superseded_document_names_its_successor() {
    let r = search("car wash", &[]);
    let old = r
        .hits
        .iter()
        .find(|h| h.id == "CR-2020-003")
        .expect("the superseded review is found");
    assert_eq!(
        (old.status.as_str(), old.status_label.as_str()),
        ("superseded", "Superseded")
    );
    let successors: Vec<&str> = old.superseded_by.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(successors, vec!["CR-2026-001"]);
    assert_eq!(old.superseded_by[0].url, "/reviews/CR-2026-001/");
    let new = r
        .hits
        .iter()
        .find(|h| h.id == "CR-2026-001")
        .expect("successor found");
    assert!(new.superseded_by.is_empty());
    assert_eq!(old.kind_label, "Case review");
    for (facet, terms) in &r.facets {
        for code in terms.keys() {
            let label = &r.labels[facet][code];
            assert!(!label.is_empty(), "{facet}:{code}");
        }
    }
    let all = search("", &[]);
    assert_eq!(all.labels["area"]["portsmouth"], "Portsmouth");
    assert_eq!(all.labels["kind"]["case_review"], "Case review");
    assert_eq!(
        all.labels["power"]["order-applicant"],
        "STPO/STRO applicant"
    );
    for (facet, terms) in &all.labels {
        if !matches!(facet.as_str(), "year" | "marking" | "order_type") {
            assert!(terms.iter().all(|(c, l)| c != l), "{facet}: {terms:?}");
        }
    }
}

/// Issue 11: `casebook search` takes `--max-marking` like `build`, and a flag is never taken
/// for the query.
#[test]
fn cli_search_takes_a_ceiling_and_never_swallows_flags() {
    let repo = sample_repo();
    assert_eq!(repo.run(&["build", "--max-marking", "OFFICIAL"]).code(), 0);
    let run = repo.run(&["search", "--max-marking"]);
    assert_eq!(run.code(), 2, "{}", run.stdout());
    assert!(run.stdout().is_empty(), "no search ran: {}", run.stdout());
    let official = repo.run(&[
        "search",
        "short-let",
        "--max-marking",
        "OFFICIAL",
        "--format",
        "json",
    ]);
    assert_eq!(official.code(), 0, "{}", official.stderr());
    let json = official.json();
    assert!(
        json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|h| h["marking"] == "OFFICIAL"),
        "{json}"
    );
    let missing = repo.run(&["search", "x", "--max-marking", "OFFICIAL-SENSITIVE"]);
    assert_eq!(missing.code(), 2);
    assert!(
        missing
            .stderr()
            .contains("casebook build --max-marking OFFICIAL-SENSITIVE"),
        "{}",
        missing.stderr()
    );
}

/// Issue 11: a superseded review ranks below the review that replaced it, whatever words find
/// both.
#[test]
fn a_superseded_review_ranks_below_its_successor() {
    for q in [
        "car wash",
        "Kestrel Lane",
        "hand car wash forced labour Southampton",
        "forced labour car wash Eastleigh",
    ] {
        let r = search(q, &[]);
        let found = ids(&r);
        let at = |id: &str| found.iter().position(|f| *f == id);
        let (Some(new), Some(old)) = (at("CR-2026-001"), at("CR-2020-003")) else {
            panic!("{q}: both reviews are found: {found:?}");
        };
        assert!(new < old, "{q}: the successor leads: {found:?}");
    }
}

/// Issue 11: a partnership adds its own synonym group in `knowledge/vocabulary.yaml`, and the
/// next build searches with it; removing it again takes it away.
#[test]
fn a_partnership_synonym_takes_effect_on_the_next_build() {
    let repo = sample_repo();
    let hits = |repo: &TestRepo| -> Vec<String> {
        let build = repo.run(&["build"]);
        assert_eq!(build.code(), 0, "{}", build.stderr());
        let run = repo.run(&["search", "valeting", "--format", "json"]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        run.json()["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert!(hits(&repo).is_empty(), "no document says valeting");
    let path = repo.path().join("knowledge/vocabulary.yaml");
    let original = std::fs::read_to_string(&path).expect("vocabulary");
    repo.write(
        "knowledge/vocabulary.yaml",
        format!(
            "{original}\nsynonyms:\n  - {{code: valeting, label: valeting, words: [car wash, car washes]}}\n"
        ),
    );
    repo.commit("valeting means car wash here");
    let found = hits(&repo);
    for id in ["CR-2026-001", "CR-2020-003"] {
        assert!(found.iter().any(|f| f == id), "{id}: {found:?}");
    }
    repo.write("knowledge/vocabulary.yaml", original);
    repo.commit("drop the synonym");
    assert!(hits(&repo).is_empty());
}

/// Issue 11: each search the issue saw fail, as an analyst typed it.
#[test]
fn the_searches_issue_11_saw_fail() {
    let set = |q: &str| -> Vec<String> {
        let mut found: Vec<String> = search_all(q).into_iter().collect();
        found.sort();
        found
    };
    // Statute references, however written, are one term.
    let s45 = set("s.45");
    assert!(s45.len() >= 8, "{s45:?}");
    for form in [
        "s45",
        "s 45",
        "section 45",
        "\"section 45\"",
        "sec. 45",
        "S.45",
    ] {
        assert_eq!(set(form), s45, "{form}");
    }
    for q in ["s.23", "s.30"] {
        assert!(!set(q).is_empty(), "{q}");
    }
    // Plurals of abbreviations, and abbreviations and their expansions, find the same set.
    for (a, b) in [
        ("STPO", "STPOs"),
        ("NRM", "National Referral Mechanism"),
        ("NRM", "ＮＲＭ"),
        ("GLAA", "Gangmasters and Labour Abuse Authority"),
        ("HMO", "house in multiple occupation"),
        ("HMO", "HMOs"),
        ("MS1", "MS1s"),
    ] {
        assert!(!set(a).is_empty(), "{a}");
        assert_eq!(set(a), set(b), "{a} and {b}");
    }
    for q in ["LAPO", "ICTG", "MS1s"] {
        assert!(!set(q).is_empty(), "{q} finds something");
    }
    // Front matter is text: tags, and a misspelt tag is corrected to the tag.
    assert!(set("agriculture").contains(&"CR-2023-002".to_owned()));
    assert!(set("cuckooing").contains(&"CR-2021-007".to_owned()));
    let corrected = |q: &str| search(q, &[]).correction.map(|c| c.query);
    assert_eq!(corrected("cookooing").as_deref(), Some("cuckooing"));
    assert_eq!(corrected("abstracton").as_deref(), Some("abstraction"));
    // A place no published document is in is reported, and not "corrected" to another word.
    let andover = search("Andover", &[]);
    assert_eq!(andover.total, 0);
    assert_eq!(andover.suggestion, None);
    assert!(andover.warnings.iter().any(|w| w.contains("`Andover`")));
    // Not every word must match: the county-lines review is among the first three.
    let county = search("county lines Portsmouth NRM", &[]);
    let first: Vec<&str> = county
        .hits
        .iter()
        .chain(&county.partial_hits)
        .take(3)
        .map(|h| h.id.as_str())
        .collect();
    assert!(first.contains(&"CR-2021-007"), "{first:?}");
    // A word nothing mentions is reported, and a word most documents share does not bring in
    // half the knowledge base as "partial matches".
    let aidant = search("Operation Aidant", &[]);
    assert!(
        aidant
            .warnings
            .contains(&"no document mentions `Aidant`".to_owned()),
        "{:?}",
        aidant.warnings
    );
    assert_eq!((aidant.total, aidant.partial_total), (0, 0));
    // A bare year raises that year's documents to the top without filtering the others out.
    let year = search("deep dive 2021", &[]);
    assert!(year.hits[0].date.starts_with("2021"), "{:?}", ids(&year));
    assert!(year.hits.iter().any(|h| !h.date.starts_with("2021")));
    // Fuzzy words.
    assert!(!set("interpreter~1").is_empty());
    assert!(set("interpretr~1").contains(&"CR-2021-002".to_owned()));
}

/// Every id a query finds, across all pages.
fn search_all(q: &str) -> Vec<String> {
    let index = KbIndex::open(&sample().1).expect("index");
    let r = index.search(&SearchRequest {
        q: q.to_owned(),
        per_page: 100,
        ..SearchRequest::default()
    });
    r.hits.into_iter().map(|h| h.id).collect()
}

/// Issue 16: the command line shows the partial matches under their own heading, searches the
/// drafts index with `--drafts`, and says, by count only, what a search that found nothing
/// left out.
#[test]
fn the_command_line_shows_partial_matches_and_what_was_left_out() {
    let repo = sample_repo();
    assert_eq!(repo.run(&["build"]).code(), 0);
    let partial = repo.run(&["search", "qzxwv interpreters Southampton"]);
    let out = partial.stdout();
    assert!(out.contains("0 of 0 results"), "{out}");
    assert!(out.contains("match some of the words:\n  1. "), "{out}");
    // CR-2024-003 (forced shop theft) is in review: not in the published index.
    let none = repo.run(&["search", "shoplifting"]);
    assert!(
        none.stdout().contains("0 of 0 results"),
        "{}",
        none.stdout()
    );
    assert!(
        none.stdout().contains(
            "drafts or documents in review are not in this index: `casebook build --drafts`"
        ),
        "{}",
        none.stdout()
    );
    assert_eq!(repo.run(&["build", "--drafts"]).code(), 0);
    let counted = repo.run(&["search", "shoplifting"]);
    assert!(
        counted
            .stdout()
            .contains("in review match: `casebook search --drafts` shows"),
        "{}",
        counted.stdout()
    );
    assert!(!counted.stdout().contains("CR-2024-003"), "only counted");
    let drafts = repo.run(&["search", "shoplifting", "--drafts", "--format", "json"]);
    assert_eq!(drafts.code(), 0, "{}", drafts.stderr());
    let hits = drafts.json()["hits"].clone();
    assert!(hits.to_string().contains("CR-2024-003"), "{hits}");
    // Below the configured ceiling, matches above it are counted, never shown.
    assert_eq!(repo.run(&["build", "--max-marking", "OFFICIAL"]).code(), 0);
    let lower = repo.run(&["search", "Marram", "--max-marking", "OFFICIAL"]);
    assert!(
        lower.stdout().contains("above OFFICIAL match"),
        "{}",
        lower.stdout()
    );
    assert!(
        !lower.stdout().contains("CR-2022-001"),
        "{}",
        lower.stdout()
    );
}

/// Issue 20: graded learning points in search. The published reviews of the sample and the
/// grades of their points, read through the model (not the index).
/// A review's id and its learning points' grades and themes.
type Graded = (
    String,
    Vec<(casebook::model::enums::LearningGrade, Vec<String>)>,
);

fn graded_reviews() -> Vec<Graded> {
    use casebook::model::KindData;
    let (repo, _) = sample();
    let opened = casebook::load::Repo::discover(repo.path()).expect("repo");
    let checked = casebook::pipeline::check::check(
        &opened,
        &casebook::load::Source::Revision("HEAD".to_owned()),
        &casebook::config::Config::default(),
        casebook::model::Date::parse(crate::support::TODAY).expect("today"),
    )
    .expect("check");
    checked
        .corpus
        .documents
        .iter()
        .filter(|d| d.common.status.is_published())
        .filter_map(|d| match &d.data {
            KindData::CaseReview(r) => Some((
                d.common.id.clone(),
                r.learning
                    .iter()
                    .map(|p| (p.grade, p.themes.clone()))
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn the_grade_facet_finds_reviews_by_what_their_learning_shows() {
    use casebook::model::enums::LearningGrade;
    let reviews = graded_reviews();
    let with = |g: LearningGrade| -> Vec<String> {
        reviews
            .iter()
            .filter(|(_, points)| points.iter().any(|(grade, _)| *grade == g))
            .map(|(id, _)| id.clone())
            .collect()
    };
    for (code, grade) in [
        ("effective", LearningGrade::Effective),
        ("ineffective", LearningGrade::Ineffective),
    ] {
        let expected = with(grade);
        assert!(!expected.is_empty(), "the sample has {code} points");
        let r = search("", &[(FacetName::Grade, &[code])]);
        let mut found: Vec<&str> = ids(&r);
        found.sort_unstable();
        let mut want: Vec<&str> = expected.iter().map(String::as_str).collect();
        want.sort_unstable();
        assert_eq!(found, want, "grade={code}");
        // The query-text form is the same filter.
        let typed = search(&format!("grade:{code}"), &[]);
        assert_eq!(typed.total, r.total, "grade:{code}");
    }
}

#[test]
fn what_works_puts_learning_shown_to_work_first() {
    use casebook::model::enums::LearningGrade;
    let reviews = graded_reviews();
    let effective_on = |theme: &str| -> Vec<String> {
        reviews
            .iter()
            .filter(|(_, points)| {
                points
                    .iter()
                    .any(|(g, t)| *g == LearningGrade::Effective && t.iter().any(|x| x == theme))
            })
            .map(|(id, _)| id.clone())
            .collect()
    };
    let effective = effective_on("interpreters");
    assert!(
        !effective.is_empty(),
        "the sample has effective interpreter points"
    );
    let asked = search("what works for interpreters", &[]);
    let first = asked.hits.first().map(|h| h.id.clone()).unwrap_or_default();
    let graded = reviews
        .iter()
        .find(|(id, _)| *id == first)
        .map(|(_, p)| p.iter().any(|(g, _)| *g == LearningGrade::Effective))
        .unwrap_or(false);
    assert!(
        graded,
        "the first hit {first} has learning graded effective: {:?}",
        ids(&asked)
    );
    // The words "what works" are not searched for: the same documents as "interpreters".
    let plain = search("interpreters", &[]);
    let mut a = ids(&asked);
    let mut b = ids(&plain);
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b);
}
