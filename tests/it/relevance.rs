//! Issue 11: the relevance suite (`tests/relevance/queries.toml`), measured on the sample.
//! Prints success@3 and nDCG@5 overall and by category, and fails below the floors, which are
//! set from the measured values (BENCHMARKS.md gives the standing; benchmarks/ has each run).

use std::collections::BTreeMap;

use casebook::index::{KbIndex, SearchRequest};

/// The lowest success@3 the suite may fall to (measured: see BENCHMARKS.md, "Search relevance").
const SUCCESS_AT_3_FLOOR: f64 = 0.95;
/// The lowest mean nDCG@5 the suite may fall to.
const NDCG_AT_5_FLOOR: f64 = 0.85;

#[derive(serde::Deserialize)]
struct Suite {
    query: Vec<Query>,
}

#[derive(serde::Deserialize)]
struct Query {
    q: String,
    category: String,
    judgements: BTreeMap<String, u32>,
}

/// The ids a searcher sees first: the hits that match every word, then the partial matches;
/// when nothing matched, those of the "did you mean" search the page links to.
fn ranked(index: &KbIndex, q: &str) -> Vec<String> {
    let search = |q: &str| {
        index.search(&SearchRequest {
            q: q.to_owned(),
            page: 1,
            per_page: 10,
            ..SearchRequest::default()
        })
    };
    let mut r = search(q);
    if r.hits.is_empty()
        && r.partial_hits.is_empty()
        && let Some(s) = r.suggestion.clone()
    {
        r = search(&s);
    }
    r.hits
        .iter()
        .chain(&r.partial_hits)
        .map(|h| h.id.clone())
        .collect()
}

/// A grade 3 document in the first three, or a grade 2 one when no document has grade 3.
fn success_at_3(ranking: &[String], judgements: &BTreeMap<String, u32>) -> f64 {
    let best = judgements.values().copied().max().unwrap_or(0);
    let hit = ranking
        .iter()
        .take(3)
        .any(|id| judgements.get(id).copied().unwrap_or(0) >= best.min(3));
    f64::from(u8::from(hit))
}

/// Normalised discounted cumulative gain at 5, gain 2^grade - 1.
fn ndcg_at_5(ranking: &[String], judgements: &BTreeMap<String, u32>) -> f64 {
    let gain = |g: u32| f64::from((1u32 << g) - 1);
    let dcg: f64 = ranking
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, id)| gain(judgements.get(id).copied().unwrap_or(0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = judgements.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, g)| gain(*g) / (i as f64 + 2.0).log2())
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

#[test]
fn relevance_suite_meets_its_floor() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance/queries.toml"),
    )
    .expect("queries.toml");
    let suite: Suite = toml::from_str(&text).expect("queries.toml parses");
    assert!(suite.query.len() >= 40, "{} queries", suite.query.len());
    let index = KbIndex::open(&crate::search::sample().1).expect("open");
    let mut by_category: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    let (mut success, mut ndcg) = (0.0, 0.0);
    let mut misses = Vec::new();
    for q in &suite.query {
        let ranking = ranked(&index, &q.q);
        let s = success_at_3(&ranking, &q.judgements);
        let n = ndcg_at_5(&ranking, &q.judgements);
        if s < 1.0 {
            misses.push(format!(
                "  miss: {:?} → {:?}",
                q.q,
                ranking.iter().take(3).collect::<Vec<_>>()
            ));
        }
        success += s;
        ndcg += n;
        let entry = by_category.entry(&q.category).or_default();
        *entry = (entry.0 + s, entry.1 + n, entry.2 + 1);
    }
    let count = suite.query.len() as f64;
    let (success, ndcg) = (success / count, ndcg / count);
    eprintln!("relevance suite: {} queries", suite.query.len());
    eprintln!("  success@3 {success:.3}  nDCG@5 {ndcg:.3}");
    for (category, (s, n, c)) in &by_category {
        let c = *c as f64;
        eprintln!(
            "  {category:<14} {:>2} queries  success@3 {:.2}  nDCG@5 {:.2}",
            c,
            s / c,
            n / c
        );
    }
    for m in &misses {
        eprintln!("{m}");
    }
    assert!(
        success >= SUCCESS_AT_3_FLOOR,
        "success@3 {success:.3} < {SUCCESS_AT_3_FLOOR}"
    );
    assert!(
        ndcg >= NDCG_AT_5_FLOOR,
        "nDCG@5 {ndcg:.3} < {NDCG_AT_5_FLOOR}"
    );
}

/// Issue 16's cases, written for this knowledge base: each thing an analyst tried that search
/// got wrong, as a search of the sample.
mod second_pass {
    use std::collections::BTreeSet;

    use casebook::index::{KbIndex, SearchRequest, SearchResponse};

    fn index() -> KbIndex {
        KbIndex::open(&crate::search::sample().1).expect("open")
    }

    fn run(index: &KbIndex, q: &str) -> SearchResponse {
        index.search(&SearchRequest {
            q: q.to_owned(),
            page: 1,
            per_page: 20,
            ..SearchRequest::default()
        })
    }

    fn first(r: &SearchResponse) -> Option<&str> {
        r.hits.first().map(|h| h.id.as_str())
    }

    fn all(r: &SearchResponse) -> BTreeSet<String> {
        r.hits
            .iter()
            .chain(&r.partial_hits)
            .map(|h| h.id.clone())
            .collect()
    }

    #[test]
    fn a_document_id_typed_as_a_query_finds_that_document_first() {
        let index = index();
        for (q, id) in [
            ("ORD-2021-003", "ORD-2021-003"),
            ("ord-2022-006", "ORD-2022-006"),
            ("AG-HSE", "AG-HSE"),
            ("ag-la-hsg", "AG-LA-HSG"),
            ("CR-2023-002", "CR-2023-002"),
            ("CR-2023-002 glasshouse", "CR-2023-002"),
        ] {
            let r = run(&index, q);
            assert_eq!(first(&r), Some(id), "{q}");
            assert!(
                !r.warnings.iter().any(|w| w.contains("no document")),
                "{q}: {:?}",
                r.warnings
            );
        }
        // An id the index does not hold answers as any word that matches nothing.
        let unknown = run(&index, "ORD-2031-999");
        let nonsense = run(&index, "zzqxvw");
        assert_eq!((unknown.total, unknown.hits.len()), (0, 0));
        assert_eq!((nonsense.total, nonsense.hits.len()), (0, 0));
        assert_eq!(
            unknown.warnings,
            vec!["no document mentions `ORD-2031-999`".to_owned()]
        );
        assert!(unknown.suggestion.is_none() && unknown.correction.is_none());
    }

    #[test]
    fn an_id_above_the_ceiling_is_unknown_to_a_lower_edition() {
        let repo = crate::search::sample_repo();
        let run_cli = repo.run(&["build", "--max-marking", "OFFICIAL"]);
        assert_eq!(run_cli.code(), 0, "{}", run_cli.stderr());
        let search = |q: &str| -> serde_json::Value {
            let r = repo.run(&["search", q, "--max-marking", "OFFICIAL", "--format", "json"]);
            assert_eq!(r.code(), 0, "{}", r.stderr());
            r.json()
        };
        // CR-2022-001 is OFFICIAL-SENSITIVE: at OFFICIAL it is a word that matches nothing.
        let above = search("CR-2022-001");
        let unknown = search("CR-2022-999");
        assert_eq!(above["total"], 0);
        assert_eq!(above["hits"], unknown["hits"]);
        assert!(!above.to_string().contains("Marram"), "{above}");
    }

    #[test]
    fn misspellings_are_searched_as_the_indexed_word() {
        let index = index();
        for (typed, used) in [
            ("interpeters", "interpreters"),
            ("explotation", "exploitation"),
            ("gangmastr", "gangmaster"),
            ("trafiking", "trafficking"),
        ] {
            let r = run(&index, typed);
            let c = r
                .correction
                .clone()
                .unwrap_or_else(|| panic!("{typed}: {r:?}"));
            assert_eq!(c.query, used, "{typed}");
            assert!(r.total > 0, "{typed}");
        }
        // Never a function word, never one real word for another, never an operation name,
        // never a word of three letters.
        for q in ["Fort", "marriage", "Operation Kestral", "IoV", "CSX"] {
            let r = run(&index, q);
            assert!(r.correction.is_none(), "{q}: {:?}", r.correction);
            if let Some(s) = &r.suggestion {
                for bad in ["for", "carriage", "kestrel", "how", "use", "with"] {
                    assert!(!s.split_whitespace().any(|w| w == bad), "{q} → {s}");
                }
            }
        }
    }

    #[test]
    fn spelling_variants_and_short_forms_are_vocabulary_data() {
        let index = index();
        let same = |a: &str, b: &str| {
            let (x, y) = (all(&run(&index, a)), all(&run(&index, b)));
            assert!(!x.is_empty(), "{a}");
            assert_eq!(x, y, "{a} / {b}");
        };
        same("labor exploitation", "labour exploitation");
        same("gang master", "gangmaster");
        same("organized crime", "organised crime");
        assert_eq!(first(&run(&index, "Op Zannik")), Some("CR-2019-004"));
        let iow = all(&run(&index, "IoW glasshouse"));
        assert!(iow.contains("CR-2023-002"), "{iow:?}");
        let under = all(&run(&index, "under eighteen"));
        assert!(under.contains("ORD-2021-002"), "{under:?}");
    }

    #[test]
    fn every_section_of_a_list_is_found_and_an_act_leads_to_its_own_section() {
        let index = index();
        // The force's note gives its order powers as "ss15, 21, 23, 28" and closure as
        // "ss76-77".
        for q in ["s21", "s.28", "s77", "section 76"] {
            assert!(all(&run(&index, q)).contains("AG-HIOWC"), "{q}");
        }
        assert_eq!(first(&run(&index, "Housing Act s.239")), Some("AG-LA-HSG"));
    }

    #[test]
    fn front_matter_sections_are_searchable_by_name() {
        let index = index();
        let reviews: BTreeSet<String> = run(&index, "kind:case_review")
            .hits
            .iter()
            .map(|h| h.id.clone())
            .collect();
        let recommendations = all(&run(&index, "recommendations"));
        assert!(
            reviews.is_subset(&recommendations),
            "{reviews:?} ⊄ {recommendations:?}"
        );
        let perpetrators = all(&run(&index, "perpetrators"));
        assert!(reviews.is_subset(&perpetrators));
        assert!(all(&run(&index, "\"good practice\"")).contains("CR-2023-006"));
    }

    #[test]
    fn power_questions_answer_as_officers_ask_them() {
        let index = index();
        // The agency named leads, the others follow.
        let r = run(&index, "GLAA powers of entry");
        let holders = &r.answers[0].holders;
        assert_eq!(holders[0].agency, "GLAA");
        assert!(holders[0].named && holders[1..].iter().all(|h| !h.named));
        // No warrant can apply to applying for an order.
        let r = run(&index, "who can apply for an STPO");
        assert_eq!(r.answers[0].power_type, "order-applicant");
        assert!(!r.answers[0].warrant);
        // A power word no document uses is answered, not reported missing.
        let r = run(&index, "who can shut a premises");
        assert_eq!(r.answers[0].power_type, "closure");
        assert!(
            !r.warnings.iter().any(|w| w.contains("shut")),
            "{:?}",
            r.warnings
        );
        // `without` is a question word; a power word inside a theme's name is not a question.
        let r = run(&index, "who can enter a house without a warrant");
        assert_eq!(r.answers[0].power_type, "entry");
        assert!(!r.warnings.iter().any(|w| w.contains("without")));
        assert!(run(&index, "premature closure").answers.is_empty());
    }

    #[test]
    fn partial_matches_rank_by_how_many_words_they_match() {
        let index = index();
        let both: BTreeSet<String> = run(&index, "interpreters Southampton")
            .hits
            .iter()
            .map(|h| h.id.clone())
            .collect();
        assert!(!both.is_empty());
        let r = run(&index, "qzxwv interpreters Southampton");
        let ranked: Vec<bool> = r
            .partial_hits
            .iter()
            .map(|h| both.contains(&h.id))
            .collect();
        assert!(
            ranked.contains(&false),
            "some match one word only: {ranked:?}"
        );
        let last_both = ranked.iter().rposition(|b| *b).unwrap_or(0);
        let first_one = ranked.iter().position(|b| !*b).unwrap_or(usize::MAX);
        assert!(last_both < first_one, "two words before one: {ranked:?}");
    }

    #[test]
    fn snippets_show_the_point() {
        let index = index();
        let snippet_of = |q: &str, id: &str| -> (String, Vec<String>) {
            let r = run(&index, q);
            let h = r
                .hits
                .iter()
                .chain(&r.partial_hits)
                .find(|h| h.id == id)
                .unwrap_or_else(|| panic!("{q}: {id}"));
            let marked = h
                .snippet
                .highlights
                .iter()
                .map(|&(a, b)| h.snippet.text[a..b].to_lowercase())
                .collect();
            (h.snippet.text.clone(), marked)
        };
        // An abbreviation's expansion highlights its content words, never "and" or "of".
        for (q, id) in [
            ("GLAA", "AG-GLAA"),
            ("STPO", "ORD-2019-002"),
            ("HMO", "AG-LA-HSG"),
        ] {
            let (_, marked) = snippet_of(q, id);
            assert!(!marked.is_empty(), "{q}");
            for small in ["and", "of", "in", "to", "the"] {
                assert!(!marked.iter().any(|m| m == small), "{q}: {marked:?}");
            }
        }
        // The passage holds the rarest word asked for.
        let (text, _) = snippet_of("interpreters labour exploitation Portsmouth", "CR-2023-006");
        assert!(text.to_lowercase().contains("interpret"), "{text}");
        let (text, _) = snippet_of("who can seize dangerous articles", "AG-HSE");
        assert!(text.to_lowercase().contains("seize"), "{text}");
        let (text, _) = snippet_of("Housing Act s.239 entry", "AG-LA-HSG");
        assert!(text.contains("239"), "{text}");
    }
}
