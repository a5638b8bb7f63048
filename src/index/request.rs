//! A search as the command line or the server asks for it, and how its parts are combined into
//! one tantivy query.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};

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
    /// Search the words exactly as typed: no automatic spelling correction.
    pub exact: bool,
}

/// Errors met while answering one search, reported as warnings.
pub(super) type Failures = std::cell::RefCell<Vec<String>>;

/// `text` AND every alias clause AND every filter AND the year range.
pub(super) fn combine<'a>(
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
