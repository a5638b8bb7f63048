//! Searching the index: lenient query parsing with friendly aliases, facet filters (OR within
//! a facet, AND across facets) with disjunctive counts, sorting, pagination, highlighted
//! snippets, "did you mean" suggestions and similar documents.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, MultiCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, MoreLikeThisQuery, Occur, Query, QueryParser,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use super::IndexError;
use super::document::AgencyEntry;
use super::query::{self, AliasClause};
use super::schema::Fields;
use super::vocab::SearchVocab;
use super::write::{BuildMeta, open_checked, read_meta};
use crate::model::FacetName;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recent first.
    Newest,
}

/// A search as asked for by the command line or the server.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Query text.
    pub q: String,
    /// Facet filters: OR within a facet, AND across facets.
    pub filters: BTreeMap<FacetName, Vec<String>>,
    /// First year.
    pub from: Option<i32>,
    /// Last year.
    pub to: Option<i32>,
    /// Order.
    pub sort: Sort,
    /// 1-based page.
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
}

/// One result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Kind code.
    pub kind: String,
    /// What readers call the kind.
    pub kind_label: String,
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
    /// HTML-escaped excerpt with matches in `<mark>`.
    pub snippet_html: String,
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

/// An agency that holds a power, as the answer box lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Holder {
    /// The agency note's id (`AG-GLAA`).
    pub id: String,
    /// Agency code.
    pub agency: String,
    /// The agency's name.
    pub name: String,
    /// The power on the agency's page (`/agencies/AG-GLAA/#power-entry`).
    pub url: String,
    /// Each legal basis the agency holds the power under.
    pub powers: Vec<HolderPower>,
}

/// One legal basis of a power an agency holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HolderPower {
    /// Legal basis.
    pub basis: String,
    /// Whether a warrant is needed.
    pub warrant_required: bool,
    /// Who exercises it, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercised_by: Option<String>,
    /// Conditions and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The answer to a question naming a power ("who can close premises?"): every agency of the
/// build that holds it, from the structured powers of the agency notes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Answer {
    /// Power-type code.
    pub power_type: String,
    /// Its label.
    pub label: String,
    /// The officer's question it answers.
    pub question: String,
    /// The power's page.
    pub url: String,
    /// True for a power shown because a named one points readers to it (`see_also`).
    pub related: bool,
    /// The agencies that hold it.
    pub holders: Vec<Holder>,
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
    /// A corrected query when nothing matched and a likely misspelling was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Internal failures met while answering, in full, for the operator's log; `warnings`
    /// says only that part of the search could not be completed (an error's text can name
    /// server files, which a client is not shown).
    #[serde(skip)]
    pub errors: Vec<String>,
}

/// An open, checksum-verified index.
pub struct KbIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    facet_paths: BTreeMap<FacetName, Vec<Facet>>,
    lexicon: std::sync::OnceLock<Vec<(String, u64)>>,
    /// Labels and power types of the build.
    terms: SearchVocab,
    /// Power-type code → the agencies that hold it (agency notes in id order).
    holders: BTreeMap<String, Vec<Holder>>,
    /// Power-type code → the analysed forms of its label and everyday words.
    triggers: Vec<(String, Vec<Vec<String>>)>,
}

/// Errors met while answering one search, reported as warnings.
type Failures = std::cell::RefCell<Vec<String>>;

impl KbIndex {
    /// Opens the index at `dir` (verifying every file's checksum).
    pub fn open(dir: &Path) -> Result<KbIndex, IndexError> {
        let (index, fields) = open_checked(dir).map_err(IndexError::Corrupt)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(IndexError::tantivy)?;
        let searcher = reader.searcher();
        let mut facet_paths = BTreeMap::new();
        for name in FacetName::ALL {
            facet_paths.insert(name, facet_terms(&searcher, fields.facet(name)));
        }
        let terms = read_meta(&index).map(|m| m.terms).unwrap_or_default();
        let holders = holders(&searcher, &fields);
        let mut analyzer = index
            .tokenizer_for_field(fields.title)
            .map_err(IndexError::tantivy)?;
        let triggers = terms
            .power_types
            .iter()
            .map(|p| {
                let forms = std::iter::once(&p.label)
                    .chain(&p.words)
                    .map(|w| analysed(&mut analyzer, w))
                    .filter(|s| !s.is_empty())
                    .collect();
                (p.code.clone(), forms)
            })
            .collect();
        Ok(KbIndex {
            index,
            reader,
            fields,
            facet_paths,
            lexicon: std::sync::OnceLock::new(),
            terms,
            holders,
            triggers,
        })
    }

    /// The labels and power types of the build.
    pub fn terms(&self) -> &SearchVocab {
        &self.terms
    }

    /// The agencies of the build that hold each power type.
    pub fn holders(&self) -> &BTreeMap<String, Vec<Holder>> {
        &self.holders
    }

    /// The power types a query names by label or everyday word (`close` → `closure`).
    fn named_powers(&self, q: &str) -> Vec<&str> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.title) else {
            return Vec::new();
        };
        let stems = analysed(&mut analyzer, &content_words(q).join(" "));
        self.triggers
            .iter()
            .filter(|(_, forms)| forms.iter().any(|f| contains_run(&stems, f)))
            .map(|(code, _)| code.as_str())
            .collect()
    }

    /// A query naming a power ranks the agencies that hold it higher, and their snippet shows
    /// that power: the label's terms in the powers field, optional.
    fn power_boost(&self, q: &str) -> Option<Box<dyn Query>> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.powers).ok()?;
        let clauses: Vec<(Occur, Box<dyn Query>)> = self
            .named_powers(q)
            .into_iter()
            .filter_map(|code| self.terms.power_type(code))
            .flat_map(|p| analysed(&mut analyzer, &p.label))
            .map(|stem| {
                let term = Term::from_field_text(self.fields.powers, &stem);
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, 2.0)) as Box<dyn Query>,
                )
            })
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// The answer box of a query: the powers it names (by label or everyday word), each with
    /// the agencies that hold it, then the powers those point readers to. Only for a question
    /// ("who can…", "…powers") or a short query, and not when the kinds filtered exclude
    /// agency notes.
    pub fn answers(&self, req: &SearchRequest) -> Vec<Answer> {
        let kinds = req.filters.get(&FacetName::Kind);
        if kinds.is_some_and(|k| !k.is_empty() && !k.iter().any(|k| k == "agency_powers")) {
            return Vec::new();
        }
        let words: Vec<String> = req
            .q
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let asks = words
            .iter()
            .any(|w| matches!(w.as_str(), "who" | "which" | "can" | "power" | "powers"));
        let content = content_words(&req.q);
        if content.is_empty() || !(asks || content.len() <= 3) {
            return Vec::new();
        }
        let named = self.named_powers(&req.q);
        let related: Vec<&str> = named
            .iter()
            .filter_map(|c| self.terms.power_type(c))
            .flat_map(|p| p.see_also.iter().map(String::as_str))
            .filter(|c| !named.contains(c))
            .fold(Vec::new(), |mut v, c| {
                if !v.contains(&c) {
                    v.push(c);
                }
                v
            });
        let answer = |code: &str, related: bool| -> Option<Answer> {
            let p = self.terms.power_type(code)?;
            let holders = self.holders.get(code).cloned().unwrap_or_default();
            (!related || !holders.is_empty()).then(|| Answer {
                power_type: p.code.clone(),
                label: p.label.clone(),
                question: p.question.clone(),
                url: format!("/powers/{}/", p.code),
                related,
                holders,
            })
        };
        named
            .iter()
            .filter_map(|c| answer(c, false))
            .chain(related.iter().filter_map(|c| answer(c, true)))
            .collect()
    }

    /// What the index was built from.
    pub fn meta(&self) -> Option<BuildMeta> {
        read_meta(&self.index)
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Every indexed document's id and source blob, sorted by id: what the index holds.
    pub fn manifest(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = super::write::indexed_blobs(&self.index)
            .unwrap_or_default()
            .into_iter()
            .collect();
        out.sort();
        out
    }

    /// Every indexed document's id and marking.
    pub fn markings(&self) -> HashMap<String, String> {
        super::write::column_by_id(&self.index, "marking").unwrap_or_default()
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> SearchResponse {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let prepared = query::prepare(&req.q);
        let mut warnings = prepared.warnings.clone();
        let failures = Failures::default();
        let mut aliases = self.alias_queries(&prepared.aliases, &mut warnings);
        aliases.extend(self.prefix_queries(&prepared.prefixes));
        let filters = self.filter_queries(req, &mut warnings);
        let per_page = req.per_page.clamp(1, 100);
        let page = req.page.max(1);
        let mut text = self.text_query(&prepared.text, true, &mut warnings);
        let mut main = combine(
            &text,
            &aliases,
            filters.values().flatten(),
            self.year_range(req),
        );
        let (mut total, mut top) =
            self.top(&searcher, &*main, (req.sort, page, per_page), &failures);
        if total == 0 && prepared.text.split_whitespace().count() > 1 {
            // No document has every word: fall back to any word, and say so.
            let any = self.text_query(&prepared.text, false, &mut Vec::new());
            let fallback = combine(
                &any,
                &aliases,
                filters.values().flatten(),
                self.year_range(req),
            );
            let (n, docs) = self.top(&searcher, &*fallback, (req.sort, page, per_page), &failures);
            if n > 0 {
                warnings.push(
                    "no document matches every word; showing documents that match any of them"
                        .to_owned(),
                );
                (text, main, total, top) = (any, fallback, n, docs);
            }
        }
        drop(main);
        let hits = self.hits(&searcher, &*text, top);
        let facets = self.facet_counts(
            &searcher,
            &text,
            &aliases,
            &filters,
            self.year_range(req),
            &failures,
        );
        let suggestion = (total == 0).then(|| self.suggest(&prepared.text)).flatten();
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
            suggestion,
            errors,
        }
    }

    /// The text part of the query: lenient parse over title, summary, body and learning, with
    /// boosts title > learning > summary > body.
    fn text_query(
        &self,
        text: &str,
        all_words: bool,
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
        let query: Box<dyn Query> = match self.power_boost(&text) {
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

    /// The facet path for a code written by a user, if the index has it.
    fn resolve(&self, facet: FacetName, code: &str) -> Option<&Facet> {
        self.facet_paths.get(&facet)?.iter().find(|f| {
            f.to_path()
                .last()
                .is_some_and(|leaf| leaf.eq_ignore_ascii_case(code))
        })
    }

    fn unknown(&self, facet: FacetName, code: &str) -> String {
        let leaves: Vec<&str> = self.facet_paths[&facet]
            .iter()
            .filter_map(|f| f.to_path().last().copied())
            .collect();
        let hint = crate::model::vocab::nearest(code, leaves.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        format!("no document has {} `{code}`{hint}", facet.key())
    }

    fn facet_query(&self, facet: FacetName, code: &str) -> Option<Box<dyn Query>> {
        let path = self.resolve(facet, code)?;
        let term = Term::from_facet(self.fields.facet(facet), path);
        Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
    }

    fn alias_queries(
        &self,
        aliases: &[AliasClause],
        warnings: &mut Vec<String>,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for a in aliases {
            let occur = if a.negated {
                Occur::MustNot
            } else {
                Occur::Must
            };
            match self.facet_query(a.facet, &a.value) {
                Some(q) => out.push((occur, q)),
                None => {
                    warnings.push(self.unknown(a.facet, &a.value));
                    if !a.negated {
                        out.push((Occur::Must, Box::new(EmptyQuery)));
                    }
                }
            }
        }
        out
    }

    /// `interp*`: any unstemmed word starting with the prefix.
    fn prefix_queries(&self, prefixes: &[(String, bool)]) -> Vec<(Occur, Box<dyn Query>)> {
        prefixes
            .iter()
            .filter_map(|(prefix, negated)| {
                let query =
                    RegexQuery::from_pattern(&format!("{prefix}.*"), self.fields.words).ok()?;
                let occur = if *negated {
                    Occur::MustNot
                } else {
                    Occur::Must
                };
                Some((occur, Box::new(query) as Box<dyn Query>))
            })
            .collect()
    }

    /// One OR-clause per facet with active filters.
    fn filter_queries(
        &self,
        req: &SearchRequest,
        warnings: &mut Vec<String>,
    ) -> BTreeMap<FacetName, Option<Box<dyn Query>>> {
        let mut out = BTreeMap::new();
        for (facet, values) in req.filters.iter().filter(|(_, v)| !v.is_empty()) {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for value in values {
                match self.facet_query(*facet, value) {
                    Some(q) => should.push((Occur::Should, q)),
                    None => warnings.push(self.unknown(*facet, value)),
                }
            }
            let q: Box<dyn Query> = if should.is_empty() {
                Box::new(EmptyQuery)
            } else {
                Box::new(BooleanQuery::new(should))
            };
            out.insert(*facet, Some(q));
        }
        out
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
            Sort::Relevance => searcher.search(q, &(Count, limit.order_by_score())),
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

    fn hits(&self, searcher: &Searcher, text: &dyn Query, top: Vec<(f32, DocAddress)>) -> Vec<Hit> {
        let f = &self.fields;
        let generators: Vec<FieldSnippets> = [f.summary, f.learning, f.powers, f.body]
            .into_iter()
            .filter_map(|field| FieldSnippets::new(searcher, text, field))
            .collect();
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
                Some(Hit {
                    kind_label: self.terms.label(FacetName::Kind, &kind).to_owned(),
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
                    snippet_html: snippet(&generators, &doc, &get(f.summary)),
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

    fn facet_counts(
        &self,
        searcher: &Searcher,
        text: &dyn Query,
        aliases: &[(Occur, Box<dyn Query>)],
        filters: &BTreeMap<FacetName, Option<Box<dyn Query>>>,
        years: Option<Box<dyn Query>>,
        failures: &Failures,
    ) -> BTreeMap<String, BTreeMap<String, u64>> {
        // A facet is counted under every filter but its own (disjunctive counts). Facets with
        // no filter of their own share one query, so they are counted in one pass.
        let (own, shared): (Vec<FacetName>, Vec<FacetName>) = FacetName::ALL
            .into_iter()
            .partition(|f| filters.contains_key(f));
        let mut groups: Vec<(Vec<FacetName>, Option<FacetName>)> = vec![(shared, None)];
        groups.extend(own.into_iter().map(|f| (vec![f], Some(f))));
        let mut out = BTreeMap::new();
        for (facets, excluded) in groups {
            if facets.is_empty() {
                continue;
            }
            let others = filters
                .iter()
                .filter(|(f, _)| Some(**f) != excluded)
                .flat_map(|(_, q)| q.iter());
            let q = combine(text, aliases, others, years.as_ref().map(|y| y.box_clone()));
            let mut multi = MultiCollector::new();
            let handles: Vec<_> = facets
                .iter()
                .map(|&facet| {
                    let (top, nested, root, parents) = self.facet_collectors(searcher, facet);
                    (
                        facet,
                        multi.add_collector(top),
                        multi.add_collector(nested),
                        root,
                        parents,
                    )
                })
                .collect();
            let mut fruits = match searcher.search(&*q, &multi) {
                Ok(fruits) => fruits,
                Err(e) => {
                    for facet in &facets {
                        let message = format!("facet counts for {} failed: {e}", facet.key());
                        failures.borrow_mut().push(message);
                        out.insert(facet.key().to_owned(), BTreeMap::new());
                    }
                    continue;
                }
            };
            for (facet, top, nested, root, parents) in handles {
                let (top_counts, nested_counts) =
                    (top.extract(&mut fruits), nested.extract(&mut fruits));
                let mut terms = BTreeMap::new();
                let children = top_counts
                    .get(root.clone())
                    .chain(parents.iter().flat_map(|p| nested_counts.get(p.clone())));
                for (f, n) in children {
                    if let Some(leaf) = f.to_path().last() {
                        terms.insert((*leaf).to_owned(), n);
                    }
                }
                out.insert(facet.key().to_owned(), terms);
            }
        }
        out
    }

    /// The collectors of one facet's counts, with the root and parents they count under. A
    /// collector may not hold a facet and its descendant: the root and the parents (siblings
    /// of each other) are collected separately, in the same pass.
    fn facet_collectors(
        &self,
        searcher: &Searcher,
        facet: FacetName,
    ) -> (FacetCollector, FacetCollector, Facet, BTreeSet<Facet>) {
        let field = self.fields.facet(facet);
        let name = searcher.schema().get_field_name(field).to_owned();
        let root = Facet::from_text(&format!("/{}", facet.key())).unwrap_or_else(|_| Facet::root());
        let parents: BTreeSet<Facet> = self.facet_paths[&facet]
            .iter()
            .filter_map(|p| {
                let path = p.to_path();
                (path.len() > 2).then(|| Facet::from_path(&path[..path.len() - 1]))
            })
            .collect();
        let mut top = FacetCollector::for_field(&name);
        top.add_facet(root.clone());
        let mut nested = FacetCollector::for_field(&name);
        parents.iter().for_each(|p| nested.add_facet(p.clone()));
        (top, nested, root, parents)
    }

    /// A corrected query, replacing words the index does not know by their nearest known word.
    fn suggest(&self, text: &str) -> Option<String> {
        let lexicon = self
            .lexicon
            .get_or_init(|| super::lexicon::from_index(&self.reader.searcher(), self.fields.words));
        let mut changed = false;
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                let plain = w
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if plain.len() < 3 || w.contains(':') || lexicon.iter().any(|(k, _)| *k == plain) {
                    return w.to_owned();
                }
                match super::lexicon::nearest(lexicon, &plain) {
                    Some(n) => {
                        changed = true;
                        w.to_lowercase().replace(&plain, n)
                    }
                    None => w.to_owned(),
                }
            })
            .collect();
        changed.then(|| words.join(" "))
    }

    /// The `n` documents most like `id` (over title, summary and learning), best first.
    pub fn similar(&self, id: &str, n: usize) -> Vec<Hit> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let by_id = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        let Ok(found) = searcher.search(&by_id, &TopDocs::with_limit(1).order_by_score()) else {
            return Vec::new();
        };
        let Some((_, address)) = found.first() else {
            return Vec::new();
        };
        let Ok(doc) = searcher.doc::<TantivyDocument>(*address) else {
            return Vec::new();
        };
        let values = |field| -> Vec<tantivy::schema::OwnedValue> {
            doc.get_all(field)
                .map(|v| {
                    tantivy::schema::OwnedValue::from(v.as_str().unwrap_or_default().to_owned())
                })
                .collect()
        };
        // Terms found in one document only cannot match another, so they are skipped
        // (min_doc_frequency 2) and the 20 query terms are all shared ones.
        // Deleted documents still count in term frequencies until segments merge; capping the
        // document frequency at the live count keeps MoreLikeThis's idf assertion
        // (doc_freq <= num_docs) true after incremental builds.
        let mlt = MoreLikeThisQuery::builder()
            .with_max_doc_frequency(searcher.num_docs())
            .with_min_doc_frequency(2)
            .with_min_term_frequency(1)
            .with_max_query_terms(20)
            .with_min_word_length(3)
            .with_document_fields(vec![
                (f.title, values(f.title)),
                (f.summary, values(f.summary)),
                (f.learning, values(f.learning)),
            ]);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(mlt)),
            (Occur::MustNot, Box::new(by_id)),
        ]);
        let search = || searcher.search(&query, &TopDocs::with_limit(n).order_by_score());
        let top = catch_unwind(AssertUnwindSafe(search))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        self.hits(&searcher, &EmptyQuery, top)
    }
}

/// `text` AND every alias clause AND every filter AND the year range.
fn combine<'a>(
    text: &dyn Query,
    aliases: &[(Occur, Box<dyn Query>)],
    filters: impl Iterator<Item = &'a Box<dyn Query>>,
    years: Option<Box<dyn Query>>,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text.box_clone())];
    clauses.extend(aliases.iter().map(|(o, q)| (*o, q.box_clone())));
    clauses.extend(filters.map(|q| (Occur::Must, q.box_clone())));
    clauses.extend(years.map(|y| (Occur::Must, y)));
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) || clauses.len() == 1 {
        if clauses.len() == 1 {
            return clauses.remove(0).1;
        }
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 220;

/// Bytes of a field's text handed to the snippet generator: a window around the first match.
const SNIPPET_WINDOW: usize = 1200;

/// A snippet generator for one field, with the query's terms in that field.
///
/// Tokenising and stemming a whole body for every hit was most of a search's time (measured:
/// about 7 ms of a 7 ms search on the sample), so the text is first searched for the terms'
/// stems (a plain substring search) and only a window around the first one is analysed.
struct FieldSnippets {
    field: tantivy::schema::Field,
    generator: SnippetGenerator,
    /// Lower-case prefixes every word analysed to one of the terms starts with.
    needles: Vec<String>,
}

impl FieldSnippets {
    fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: tantivy::schema::Field,
    ) -> Option<FieldSnippets> {
        let mut terms = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.insert(term.clone());
            }
        });
        let mut scores = BTreeMap::new();
        for term in &terms {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let df = searcher.doc_freq(term).ok()?;
            if df > 0 {
                scores.insert(text.to_owned(), 1.0 / (1.0 + df as f32));
            }
        }
        if scores.is_empty() {
            return None;
        }
        // The English stemmer only shortens or rewrites a word's ending (`story` → `stori`), so a
        // stem less its last letter starts every word that analyses to it.
        let needles = scores
            .keys()
            .map(|stem: &String| {
                let keep = stem.chars().count().saturating_sub(1).max(3);
                stem.chars()
                    .take(keep)
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .collect();
        let tokenizer = searcher.index().tokenizer_for_field(field).ok()?;
        Some(FieldSnippets {
            field,
            generator: SnippetGenerator::new(scores, tokenizer, field, SNIPPET_CHARS),
            needles,
        })
    }

    /// This field's text in `doc`.
    fn text<'d>(&self, doc: &'d TantivyDocument) -> &'d str {
        doc.get_first(self.field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }

    /// The snippet of `text`, whose candidate words start at `starts`: empty when none of them
    /// is a match.
    fn snippet(&self, text: &str, starts: &[usize]) -> tantivy::snippet::Snippet {
        if text.len() <= SNIPPET_WINDOW {
            return self.generator.snippet(text);
        }
        // A needle can start a word that is not a match (`car` in `carried`): try a few windows,
        // then the whole text, so a match is never missed.
        let (mut covered, mut tries) = (0, 0);
        for &at in starts {
            if at < covered {
                continue;
            }
            let (start, end) = window(text, at);
            let s = self.generator.snippet(&text[start..end]);
            if !s.is_empty() {
                return s;
            }
            (covered, tries) = (end, tries + 1);
            if tries == 3 {
                break;
            }
        }
        self.generator.snippet(text)
    }
}

/// Byte offsets in `text` where a word starts with one of the needles (ASCII
/// case-insensitive), in order.
fn word_starts(text: &str, needles: &[String]) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    let mut starts: Vec<usize> = needles
        .iter()
        .flat_map(|n| lower.match_indices(n.as_str()).map(|(at, _)| at))
        .filter(|&at| {
            lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The byte range of `SNIPPET_WINDOW` bytes of `text` around the offset `at`, on character
/// boundaries.
fn window(text: &str, at: usize) -> (usize, usize) {
    let mut start = at
        .saturating_sub(SNIPPET_WINDOW / 4)
        .min(text.len().saturating_sub(SNIPPET_WINDOW));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + SNIPPET_WINDOW).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// The best snippet: the field with the most highlighted matches, else the summary's start.
///
/// Fields are tried in order of how many words start like a query term (a substring count, far
/// cheaper than analysing the text), the earlier field (summary, learning, body) on a tie; the
/// first that gives a snippet wins.
fn snippet(generators: &[FieldSnippets], doc: &TantivyDocument, summary: &str) -> String {
    let mut candidates: Vec<(usize, &FieldSnippets, &str, Vec<usize>)> = generators
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let text = g.text(doc);
            (i, g, text, word_starts(text, &g.needles))
        })
        .filter(|(.., starts)| !starts.is_empty())
        .collect();
    candidates.sort_by_key(|(i, .., starts)| (std::cmp::Reverse(starts.len()), *i));
    let best = candidates.into_iter().find_map(|(_, g, text, starts)| {
        let mut s = g.snippet(text, &starts);
        s.set_snippet_prefix_postfix("<mark>", "</mark>");
        (!s.is_empty()).then_some(s)
    });
    match best {
        Some(s) => s.to_html(),
        None => {
            let mut start: String = summary.chars().take(200).collect();
            if start.len() < summary.len() {
                start.push('…');
            }
            escape(&start)
        }
    }
}

/// Minimal HTML escaping for text content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every facet path present in a facet field.
fn facet_terms(searcher: &Searcher, field: tantivy::schema::Field) -> Vec<Facet> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(f) = Facet::from_encoded(stream.key().to_vec()) {
                out.insert(f);
            }
        }
    }
    out.into_iter().collect()
}

/// The agencies that hold each power type, from the stored powers of every agency note.
fn holders(searcher: &Searcher, f: &Fields) -> BTreeMap<String, Vec<Holder>> {
    let kind = TermQuery::new(
        Term::from_field_text(f.kind, "agency_powers"),
        IndexRecordOption::Basic,
    );
    let limit = (searcher.num_docs() as usize).clamp(1, 100_000);
    let top = searcher
        .search(&kind, &TopDocs::with_limit(limit).order_by_score())
        .unwrap_or_default();
    let mut notes: Vec<(String, String, AgencyEntry)> = top
        .into_iter()
        .filter_map(|(_, address)| {
            let doc: TantivyDocument = searcher.doc(address).ok()?;
            let get = |field| doc.get_first(field).and_then(|v| v.as_str());
            let entry = serde_json::from_str(get(f.powers_data)?).ok()?;
            Some((get(f.id)?.to_owned(), get(f.url)?.to_owned(), entry))
        })
        .collect();
    notes.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: BTreeMap<String, Vec<Holder>> = BTreeMap::new();
    for (id, url, entry) in notes {
        for p in entry.powers {
            let holders = out.entry(p.power_type.clone()).or_default();
            if holders.last().is_none_or(|h| h.id != id) {
                holders.push(Holder {
                    id: id.clone(),
                    agency: entry.agency.clone(),
                    name: entry.name.clone(),
                    url: format!("{url}#power-{}", p.power_type),
                    powers: Vec::new(),
                });
            }
            if let Some(h) = holders.last_mut() {
                h.powers.push(HolderPower {
                    basis: p.basis,
                    warrant_required: p.warrant_required,
                    exercised_by: p.exercised_by,
                    notes: p.notes,
                });
            }
        }
    }
    out
}

/// The words of a query that say what is sought: no question words, field clauses or
/// exclusions.
fn content_words(q: &str) -> Vec<&str> {
    q.split_whitespace()
        .filter(|w| !query::is_question_word(w) && !w.contains(':') && !w.starts_with('-'))
        .collect()
}

/// The analysed tokens of `text` (lower-cased, stemmed), as the index stores them.
fn analysed(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// True when `run` occurs in `words` as consecutive words.
fn contains_run(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && words.windows(run.len()).any(|w| w == run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_are_found_only_at_word_starts() {
        let text = "Scarred? No: the car wash. CARS and carried goods.";
        let starts = word_starts(text, &["car".to_owned()]);
        let words: Vec<&str> = starts
            .iter()
            .map(|&at| {
                text[at..]
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(words, ["car", "CARS", "carried"]);
    }

    #[test]
    fn windows_stay_on_character_boundaries() {
        let text = "é".repeat(2000);
        for at in [0, 1, 601, 2000, 3999] {
            let (start, end) = window(&text, at.min(text.len()));
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            assert!(end - start >= SNIPPET_WINDOW && end - start <= SNIPPET_WINDOW + 1);
        }
    }
}
