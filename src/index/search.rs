//! Searching the index: lenient query parsing with friendly aliases, facet filters (OR within
//! a facet, AND across facets) with disjunctive counts, sorting, pagination, highlighted
//! snippets, "did you mean" suggestions and the answer box.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use super::analysis::analysed;
use super::answers::Answer;
use super::expand::Clause;
use super::kb::KbIndex;
use super::query::{self};
use super::request::{Failures, SearchRequest, Sort, combine};
use super::snippets::{FieldSnippets, Snippet, snippet};
use super::suggest::Correction;
use crate::model::FacetName;

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Kind code.
    pub kind: String,
    /// What readers call the kind.
    pub kind_label: String,
    /// The areas the document covers, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<String>,
    /// Title.
    pub title: String,
    /// Site URL.
    pub url: String,
    /// Document date.
    pub date: String,
    /// Marking.
    pub marking: String,
    /// Status code (`approved`, `superseded`).
    pub status: String,
    /// What readers call the status.
    pub status_label: String,
    /// For a superseded document, the published documents that replace it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub superseded_by: Vec<HitLink>,
    /// An excerpt with the byte ranges of the words that match the query.
    pub snippet: Snippet,
    /// Relevance score (0 when sorted by date).
    pub score: f32,
}

/// A link to another published document.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HitLink {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Site URL.
    pub url: String,
}

/// The answer to a search (the shape of `/api/search`).
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// The query text as received.
    pub query: String,
    /// Number of matching documents.
    pub total: usize,
    /// Time taken in milliseconds.
    pub took_ms: u64,
    /// 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// What was ignored or changed in the query.
    pub warnings: Vec<String>,
    /// This page's hits.
    pub hits: Vec<Hit>,
    /// Counts per facet term; each facet's counts apply every other active filter.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// What readers call each facet term counted: facet → code → label.
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// When the query names a power: the agencies that hold it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// How many documents match some but not all of the words, when fewer than a page match
    /// every word (0 otherwise).
    #[serde(skip_serializing_if = "is_zero")]
    pub partial_total: usize,
    /// The best of those partial matches, most words matched first (not counted in `total`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partial_hits: Vec<Hit>,
    /// A corrected query when nothing matched and a likely misspelling was found, but the
    /// correction was not applied (the search was exact, or the corrected query found
    /// nothing either).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The correction applied: the results are those of `correction.query`, the words as
    /// typed matching nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
    /// The correction `suggestion` came from, for `search` to apply.
    #[serde(skip)]
    pending: Option<Correction>,
    /// Internal failures met while answering, in full, for the operator's log; `warnings`
    /// says only that part of the search could not be completed (an error's text can name
    /// server files, which a client is not shown).
    #[serde(skip)]
    pub errors: Vec<String>,
}

impl SearchResponse {
    /// Every document whose title or text this response shows, once each, in the order shown:
    /// the full matches, the partial matches, the documents that replace a superseded hit,
    /// and the agency notes of the answer box (DESIGN principle 7: the audit trail names them
    /// all). The marking comes with a hit; for the others the caller looks it up.
    pub fn shown(&self) -> Vec<(&str, Option<&str>)> {
        let mut out: Vec<(&str, Option<&str>)> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for h in self.hits.iter().chain(&self.partial_hits) {
            if seen.insert(h.id.as_str()) {
                out.push((h.id.as_str(), Some(h.marking.as_str())));
            }
        }
        let linked = self
            .hits
            .iter()
            .chain(&self.partial_hits)
            .flat_map(|h| h.superseded_by.iter().map(|l| l.id.as_str()))
            .chain(
                self.answers
                    .iter()
                    .flat_map(|a| a.holders.iter().map(|h| h.id.as_str())),
            );
        for id in linked {
            if seen.insert(id) {
                out.push((id, None));
            }
        }
        out
    }
}

impl KbIndex {
    /// Runs a search. A word that matches nothing and is a likely misspelling is searched as
    /// its nearest indexed word, and the response says so (`correction`), unless the request
    /// is `exact` or the corrected search finds nothing either.
    pub fn search(&self, req: &SearchRequest) -> SearchResponse {
        let started = Instant::now();
        let mut first = self.search_once(req);
        let Some(correction) = first.pending.take().filter(|_| !req.exact) else {
            return first;
        };
        let corrected = SearchRequest {
            q: correction.query.clone(),
            ..req.clone()
        };
        let mut second = self.search_once(&corrected);
        if second.total == 0 && second.partial_hits.is_empty() {
            return first;
        }
        second.query = req.q.clone();
        second.suggestion = None;
        second.pending = None;
        second.correction = Some(correction);
        second.took_ms = started.elapsed().as_millis() as u64;
        second.errors.extend(first.errors);
        second
    }

    /// One search of the words as given.
    fn search_once(&self, req: &SearchRequest) -> SearchResponse {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let prepared = query::prepare(&req.q);
        let mut warnings = prepared.warnings.clone();
        let failures = Failures::default();
        let mut aliases = self.alias_queries(&prepared.aliases, &mut warnings);
        aliases.extend(self.prefix_queries(&prepared.prefixes));
        aliases.extend(self.fuzzy_queries(&prepared.fuzzy));
        let filters = self.filter_queries(req, &mut warnings);
        let per_page = req.per_page.clamp(1, 100);
        let page = req.page.max(1);
        let mut clauses = self.clauses(&prepared.tokens);
        // A power word no document uses ("who can shut…") is answered by the answer box: it
        // is neither required (unless it is all the query says) nor reported as matching
        // nothing.
        let answered: Vec<String> = clauses
            .iter()
            .filter(|c| self.is_power_word(&c.written) && self.matches_none(&searcher, c))
            .map(|c| c.written.clone())
            .collect();
        if clauses.len() > answered.len() {
            clauses.retain(|c| !answered.contains(&c.written));
        }
        let written: String = clauses
            .iter()
            .map(|c| c.query.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let text = self.with_ids(
            self.text_query(&written, true, &mut warnings),
            &prepared.tokens,
        );
        let years = self.year_boost(&prepared.years);
        let grades = prepared
            .what_works
            .then(|| self.what_works_boost())
            .flatten();
        let years: Option<Box<dyn Query>> = match (years, grades) {
            (Some(y), Some(g)) => Some(Box::new(BooleanQuery::new(vec![
                (Occur::Should, y),
                (Occur::Should, g),
            ]))),
            (y, g) => y.or(g),
        };
        let main = boosted(
            combine(
                &text,
                &aliases,
                filters.values().flatten(),
                self.year_range(req),
            ),
            years.as_deref(),
        );
        let (total, top) = self.top(&searcher, &*main, (req.sort, page, per_page), &failures);
        // A word no document holds is said, not silently dropped.
        let mut missing = Vec::new();
        // Clauses in at most half the documents: a partial match must match one of them, so
        // a word most documents share ("Operation") never brings in half the knowledge base.
        let mut distinctive = Vec::new();
        let half = searcher.num_docs() / 2;
        // With a page of full matches there are no partial matches to find, and under the
        // conjunction every word matched something unless the query says OR: the words need
        // not be counted one by one (a fresh search's largest saving).
        let counted = total < per_page || prepared.tokens.iter().any(|t| t == "OR");
        for c in clauses.iter().filter(|c| !c.negated && counted) {
            let q = self.clause_query(&c.query);
            let n = searcher.search(&*q, &Count).unwrap_or(1) as u64;
            if n > 0 && n <= half.max(1) {
                distinctive.push(c);
            }
            let named = as_id(&c.written).is_some_and(|id| {
                let term = Term::from_field_text(self.fields.id, &id);
                let q = TermQuery::new(term, IndexRecordOption::Basic);
                searcher.search(&q, &Count).unwrap_or(0) > 0
            });
            if c.plain && n == 0 && !named && !answered.contains(&c.written) {
                let mut word: String = c.written.chars().take(60).collect();
                if word.len() < c.written.len() {
                    word.push('…');
                }
                warnings.push(format!("no document mentions `{word}`"));
                missing.push(c.written.clone());
            }
        }
        let prefer_powers = !self.named_powers(&req.q).is_empty();
        let hits = self.hits(&searcher, &*text, top, prefer_powers);
        // Fewer than a page match every word: the best partial matches follow, most words
        // matched first.
        let wanted: Vec<&Clause> = clauses.iter().filter(|c| !c.negated).collect();
        let partial =
            (page == 1 && total < per_page && wanted.len() >= 2 && !distinctive.is_empty()).then(
                || {
                    let any = self.any_of(&wanted, &distinctive);
                    let others = combine(
                        &*any,
                        &aliases,
                        filters.values().flatten(),
                        self.year_range(req),
                    );
                    let query = BooleanQuery::new(vec![
                        (Occur::Must, boosted(others, years.as_deref())),
                        (Occur::MustNot, main.box_clone()),
                    ]);
                    let room = per_page - hits.len();
                    let (n, docs) = self.top(&searcher, &query, (req.sort, 1, room), &failures);
                    let snippets_of = self.text_query(&written, false, &mut Vec::new());
                    (n, self.hits(&searcher, &*snippets_of, docs, prefer_powers))
                },
            );
        let (partial_total, partial_hits) = partial.unwrap_or_default();
        let counted: Box<dyn Query> = if total == 0 && partial_total > 0 {
            self.any_of(&wanted, &distinctive)
        } else {
            text.box_clone()
        };
        let facets = self.facet_counts(
            &searcher,
            &counted,
            &aliases,
            &filters,
            self.year_range(req),
            &failures,
        );
        let pending = (total == 0 || !missing.is_empty())
            .then(|| self.correct(&prepared.text, &missing))
            .flatten();
        let suggestion = pending.as_ref().map(|c| c.query.clone());
        let labels = facets
            .iter()
            .map(|(key, counts)| {
                let facet = FacetName::ALL.into_iter().find(|f| f.key() == key);
                let labels = counts
                    .keys()
                    .map(|code| {
                        let label = facet.map_or(code.as_str(), |f| self.terms.label(f, code));
                        (code.clone(), label.to_owned())
                    })
                    .collect();
                (key.clone(), labels)
            })
            .collect();
        let answers = self.answers(req);
        let mut errors = failures.into_inner();
        errors.dedup_by(|a, b| a.rsplit(": ").next() == b.rsplit(": ").next());
        if !errors.is_empty() {
            warnings.push("part of this search could not be completed".to_owned());
        }
        SearchResponse {
            query: req.q.clone(),
            total,
            took_ms: started.elapsed().as_millis() as u64,
            page,
            per_page,
            warnings,
            hits,
            facets,
            labels,
            answers,
            partial_total,
            partial_hits,
            suggestion,
            correction: None,
            pending,
            errors,
        }
    }

    /// True when the clause, a plain word, is one of the everyday words that name a power.
    fn is_power_word(&self, written: &str) -> bool {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.title) else {
            return false;
        };
        let stems = analysed(&mut analyzer, written);
        !stems.is_empty()
            && self
                .triggers
                .iter()
                .any(|(_, forms)| forms.contains(&stems))
            && !self.named_powers(written).is_empty()
    }

    /// True when no document matches the clause.
    fn matches_none(&self, searcher: &Searcher, c: &Clause) -> bool {
        let q = self.clause_query(&c.query);
        c.plain && !c.negated && searcher.search(&*q, &Count).unwrap_or(1) == 0
    }

    /// `text`, or any document whose id the query names (`ORD-2024-002`, `ag-glaa`), that
    /// document first. An id the index does not hold (unknown, or above the ceiling) adds
    /// nothing, so the answer is the same as for any word that matches nothing.
    fn with_ids(&self, text: Box<dyn Query>, tokens: &[String]) -> Box<dyn Query> {
        let ids: Vec<(Occur, Box<dyn Query>)> = tokens
            .iter()
            .filter_map(|t| as_id(t))
            .map(|id| {
                let term = Term::from_field_text(self.fields.id, &id);
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                let q: Box<dyn Query> = Box::new(ConstScoreQuery::new(q, ID_SCORE));
                (Occur::Should, q)
            })
            .collect();
        if ids.is_empty() {
            return text;
        }
        let mut any = ids;
        any.push((Occur::Should, text));
        Box::new(BooleanQuery::new(any))
    }

    /// One clause as a query of its own, every word required, for counting and the partial
    /// match: no power boost (it changes no count).
    pub(super) fn clause_query(&self, text: &str) -> Box<dyn Query> {
        self.parse(text, true, false, &mut Vec::new())
    }

    /// The text part of the query: lenient parse over title, summary, body and learning, with
    /// boosts title > learning > summary > body, and a power the query names raised.
    pub(super) fn text_query(
        &self,
        text: &str,
        all_words: bool,
        warnings: &mut Vec<String>,
    ) -> Box<dyn Query> {
        self.parse(text, all_words, true, warnings)
    }

    fn parse(
        &self,
        text: &str,
        all_words: bool,
        boost_powers: bool,
        warnings: &mut Vec<String>,
    ) -> Box<dyn Query> {
        if text.trim().is_empty() {
            return Box::new(AllQuery);
        }
        let f = &self.fields;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.title, f.learning, f.summary, f.body, f.meta, f.powers],
        );
        parser.set_field_boost(f.title, 4.0);
        parser.set_field_boost(f.powers, 1.0);
        parser.set_field_boost(f.meta, 1.5);
        parser.set_field_boost(f.learning, 2.0);
        parser.set_field_boost(f.summary, 1.5);
        if all_words {
            parser.set_conjunction_by_default();
        }
        // Only exclusions ("-labour"): exclude them from everything.
        let only_excluding = text
            .split_whitespace()
            .all(|w| w.starts_with('-') && w.len() > 1);
        let text = if only_excluding {
            format!("* {text}")
        } else {
            text.to_owned()
        };
        let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse_query_lenient(&text)));
        let Ok((query, errors)) = parsed else {
            warnings.push("the query could not be read and was ignored".to_owned());
            return Box::new(EmptyQuery);
        };
        let boost = boost_powers.then(|| self.power_boost(&text)).flatten();
        let query: Box<dyn Query> = match boost {
            Some(boost) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Should, boost),
            ])),
            None => query,
        };
        for e in errors.iter().take(5) {
            let mut message = format!("ignored part of the query: {e}");
            if message.len() > 160 {
                let mut cut = 157;
                while !message.is_char_boundary(cut) {
                    cut -= 1;
                }
                message.truncate(cut);
                message.push('…');
            }
            warnings.push(message);
        }
        query
    }

    fn year_range(&self, req: &SearchRequest) -> Option<Box<dyn Query>> {
        if req.from.is_none() && req.to.is_none() {
            return None;
        }
        let bound = |y: Option<i32>| match y {
            Some(y) => Bound::Included(Term::from_field_i64(self.fields.year, i64::from(y))),
            None => Bound::Unbounded,
        };
        Some(Box::new(RangeQuery::new(bound(req.from), bound(req.to))))
    }

    fn top(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
        (sort, page, per_page): (Sort, usize, usize),
        failures: &Failures,
    ) -> (usize, Vec<(f32, DocAddress)>) {
        let offset = (page - 1).saturating_mul(per_page).min(100_000);
        let limit = TopDocs::with_limit(per_page).and_offset(offset);
        let result = match sort {
            Sort::Relevance => searcher
                .search(q, &(Count, limit.tweak_score(demote_superseded)))
                .map(|(n, docs)| {
                    let docs = docs.into_iter().map(|((score, _), a)| (score, a)).collect();
                    (n, docs)
                }),
            Sort::Newest => searcher
                .search(
                    q,
                    &(
                        Count,
                        limit.order_by_fast_field::<i64>("date_sort", Order::Desc),
                    ),
                )
                .map(|(n, docs)| (n, docs.into_iter().map(|(_, a)| (0.0, a)).collect())),
        };
        result.unwrap_or_else(|e| {
            failures
                .borrow_mut()
                .push(format!("the search failed: {e}"));
            (0, Vec::new())
        })
    }

    pub(super) fn hits(
        &self,
        searcher: &Searcher,
        text: &dyn Query,
        top: Vec<(f32, DocAddress)>,
        prefer_powers: bool,
    ) -> Vec<Hit> {
        let f = &self.fields;
        let fields = [f.summary, f.learning, f.powers, f.body];
        let generators: Vec<FieldSnippets> = fields
            .into_iter()
            .filter_map(|field| FieldSnippets::new(searcher, text, field, &fields))
            .collect();
        let prefer = prefer_powers
            .then(|| generators.iter().position(|g| g.field() == f.powers))
            .flatten();
        top.into_iter()
            .filter_map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                let get = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                let (id, kind, status) = (get(f.id), get(f.kind), get(f.status));
                let superseded_by = if status == "superseded" {
                    self.successors(searcher, &id, &kind)
                } else {
                    Vec::new()
                };
                let areas = get(f.area_codes)
                    .split_whitespace()
                    .map(|a| self.terms.label(FacetName::Area, a).to_owned())
                    .collect();
                Some(Hit {
                    kind_label: self.terms.label(FacetName::Kind, &kind).to_owned(),
                    areas,
                    status_label: <crate::model::Status as crate::model::enums::Closed>::label_of(
                        &status,
                    )
                    .unwrap_or(&status)
                    .to_owned(),
                    id,
                    kind,
                    title: get(f.title),
                    url: get(f.url),
                    date: get(f.date),
                    marking: get(f.marking),
                    status,
                    superseded_by,
                    snippet: snippet(&generators, &doc, &get(f.summary), prefer),
                    score,
                })
            })
            .collect()
    }

    /// The published documents of the same kind that name `id` in `related` and are not
    /// superseded themselves: what replaced a superseded document.
    fn successors(&self, searcher: &Searcher, id: &str, kind: &str) -> Vec<HitLink> {
        let f = &self.fields;
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(f.refers, id)),
            (Occur::Must, term(f.kind, kind)),
            (Occur::MustNot, term(f.status, "superseded")),
        ]);
        let Ok(top) = searcher.search(&query, &TopDocs::with_limit(5).order_by_score()) else {
            return Vec::new();
        };
        let mut links: Vec<HitLink> = top
            .into_iter()
            .filter_map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).ok()?;
                let get = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned()
                };
                Some(HitLink {
                    id: get(f.id),
                    title: get(f.title),
                    url: get(f.url),
                })
            })
            .collect();
        links.sort_by(|a, b| a.id.cmp(&b.id));
        links
    }
}

/// The score a document named by its id gets: above any relevance score, so it comes first.
const ID_SCORE: f32 = 10_000.0;

/// A document id as written in a query, in its canonical form (`ord-2024-002` →
/// `ORD-2024-002`): `CR-` or `ORD-`, a year and three or more digits, or `AG-` and an agency
/// code.
fn as_id(token: &str) -> Option<String> {
    let upper = token
        .trim_matches(|c: char| c == '"' || c == '?' || c == ',')
        .to_uppercase();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let numbered = |rest: &str| {
        rest.split_once('-')
            .is_some_and(|(y, n)| y.len() == 4 && digits(y) && n.len() >= 3 && digits(n))
    };
    let ok = if let Some(rest) = upper.strip_prefix("CR-").or(upper.strip_prefix("ORD-")) {
        numbered(rest)
    } else if let Some(code) = upper.strip_prefix("AG-") {
        !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    } else {
        false
    };
    ok.then_some(upper)
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The relevance score with superseded documents demoted, from their `superseded` column.
/// A document's place in the results: its score, lowered for a superseded document, then its
/// id (first 16 bytes), so equal scores come in id order in every build.
type Ranked = (tantivy::Score, std::cmp::Reverse<(u64, u64)>);

fn demote_superseded(
    segment: &tantivy::SegmentReader,
) -> impl Fn(tantivy::DocId, tantivy::Score) -> Ranked + use<> {
    let column = |name: &str| {
        segment
            .fast_fields()
            .u64(name)
            .ok()
            .map(|c| c.first_or_default_col(0))
    };
    let (superseded, hi, lo) = (column("superseded"), column("id_hi"), column("id_lo"));
    move |doc, score| {
        let score = match &superseded {
            Some(c) if c.get_val(doc) == 1 => score * SUPERSEDED,
            _ => score,
        };
        let hi = hi.as_ref().map_or(0, |c| c.get_val(doc));
        let lo = lo.as_ref().map_or(0, |c| c.get_val(doc));
        (score, std::cmp::Reverse((hi, lo)))
    }
}

/// A superseded document's score is multiplied by this: it ranks below its successor.
const SUPERSEDED: f32 = 0.35;

/// `query`, with documents of the boosted years raised.
fn boosted(query: Box<dyn Query>, years: Option<&dyn Query>) -> Box<dyn Query> {
    match years {
        Some(y) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Should, y.box_clone()),
        ])),
        None => query,
    }
}
