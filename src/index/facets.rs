//! Facets: filters written in the query (`area:portsmouth`) and chosen on the form (OR within a
//! facet, AND across facets), and the counts beside each term, each facet counted under every
//! filter but its own so a count is what ticking the box returns.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::{FacetCollector, MultiCollector};
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::kb::KbIndex;
use super::query::AliasClause;
use super::request::{Failures, SearchRequest, combine};
use crate::model::FacetName;

impl KbIndex {
    /// The facet path for a code written by a user, if the index has it.
    pub(super) fn resolve(&self, facet: FacetName, code: &str) -> Option<&Facet> {
        self.facet_paths.get(&facet)?.iter().find(|f| {
            f.to_path()
                .last()
                .is_some_and(|leaf| leaf.eq_ignore_ascii_case(code))
        })
    }

    pub(super) fn unknown(&self, facet: FacetName, code: &str) -> String {
        let leaves: Vec<&str> = self.facet_paths[&facet]
            .iter()
            .filter_map(|f| f.to_path().last().copied())
            .collect();
        let hint = crate::model::vocab::nearest(code, leaves.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        format!("no document has {} `{code}`{hint}", facet.key())
    }

    pub(super) fn facet_query(&self, facet: FacetName, code: &str) -> Option<Box<dyn Query>> {
        let path = self.resolve(facet, code)?;
        let term = Term::from_facet(self.fields.facet(facet), path);
        Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
    }

    pub(super) fn alias_queries(
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

    /// One OR-clause per facet with active filters.
    pub(super) fn filter_queries(
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

    pub(super) fn facet_counts(
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
            // A facet with no parent paths (most) needs no nested collector: a collector
            // costs a pass over every match's facet column.
            let handles: Vec<_> = facets
                .iter()
                .map(|&facet| {
                    let (top, nested, root, parents) = self.facet_collectors(searcher, facet);
                    let nested = (!parents.is_empty()).then(|| multi.add_collector(nested));
                    (facet, multi.add_collector(top), nested, root, parents)
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
                let top_counts = top.extract(&mut fruits);
                let nested_counts = nested.map(|n| n.extract(&mut fruits));
                let mut terms = BTreeMap::new();
                let children = top_counts.get(root.clone()).chain(
                    nested_counts
                        .iter()
                        .flat_map(|n| parents.iter().flat_map(|p| n.get(p.clone()))),
                );
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
    pub(super) fn facet_collectors(
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
}
