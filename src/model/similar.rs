//! Similar documents: the ones sharing most with a document by what the record says of it —
//! exploitation types, learning themes, offences, tags, prohibitions, power types, areas,
//! agencies — each kind of shared code with a fixed weight.
//!
//! The answer is a function of the published documents alone: no index statistics, no
//! segment order, no hash map order. Two builds of one commit, or an incremental build and a
//! clean one, list the same documents in the same order; equal scores are broken by id.
//!
//! Cost: a document is compared only with the documents sharing one of its rarest codes (see
//! `similar`), so the work grows linearly with the knowledge base.

use std::collections::HashMap;

use rayon::prelude::*;

use super::vocab::Vocabulary;
use super::{Document, FacetName};

/// A document's codes, each with the weight a shared one adds.
fn features(doc: &Document, vocab: &Vocabulary) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    let mut add = |key: String, weight: f32| out.push((key, weight));
    add(format!("kind:{}", doc.common.kind.folder()), 0.5);
    for t in &doc.common.tags {
        add(format!("tag:{t}"), 2.0);
    }
    // Each facet's codes as the model gives them, with the weight a shared one adds; a shared
    // parent (reporting area, exploitation type's parent) adds less than the code itself.
    for (facet, weight, parent_weight) in [
        (FacetName::Exploitation, 3.0, 1.0),
        (FacetName::Area, 1.5, 0.5),
        (FacetName::Theme, 2.0, 0.0),
        (FacetName::Offence, 2.0, 0.0),
        (FacetName::Agency, 1.0, 0.0),
        (FacetName::Prohibition, 2.0, 0.0),
        (FacetName::OrderType, 1.0, 0.0),
        (FacetName::Power, 2.0, 0.0),
    ] {
        for code in doc.codes(facet) {
            if let Some(parent) = facet.vocabulary().and_then(|v| vocab.parent(v, &code)) {
                add(format!("{}:{parent}", facet.key()), parent_weight);
            }
            add(format!("{}:{code}", facet.key()), weight);
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Documents looked at as candidates for one document, at most (see `similar`).
const BUDGET: usize = 3_000;

/// The `n` documents most like each document, best first, as indexes into `docs`.
///
/// The candidates of a document are those sharing one of its rarest codes: codes are taken
/// from the rarest up while their documents number at most `BUDGET` together (always at least
/// one code). Candidates are ranked by the weights of every code they share, then by id. Each
/// step depends only on the documents, so the lists are a fixed function of the knowledge base,
/// and the work grows with the number of documents times the budget, not with its square.
pub(crate) fn similar(docs: &[&Document], vocab: &Vocabulary, n: usize) -> Vec<Vec<usize>> {
    // Codes as numbers, and each document's codes (sorted) with their weights.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut weight_of: Vec<f32> = Vec::new();
    let per_doc: Vec<Vec<usize>> = docs
        .iter()
        .map(|d| {
            let mut codes: Vec<usize> = features(d, vocab)
                .into_iter()
                .map(|(key, w)| {
                    let next = ids.len();
                    let id = *ids.entry(key).or_insert(next);
                    if id == weight_of.len() {
                        weight_of.push(w);
                    }
                    id
                })
                .collect();
            codes.sort_unstable();
            codes
        })
        .collect();
    // Code numbers follow the order codes were first met, which follows `docs`; rarity ties
    // are broken by the code's text, so the choice does not depend on that order.
    let mut names: Vec<&str> = vec![""; weight_of.len()];
    for (name, &id) in &ids {
        names[id] = name;
    }
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); weight_of.len()];
    for (d, codes) in per_doc.iter().enumerate() {
        for &c in codes {
            postings[c].push(d);
        }
    }
    (0..docs.len())
        .into_par_iter()
        .map_init(
            || vec![false; docs.len()],
            |seen, d| {
                let mut rare = per_doc[d].clone();
                rare.sort_by(|&a, &b| {
                    postings[a]
                        .len()
                        .cmp(&postings[b].len())
                        .then_with(|| names[a].cmp(names[b]))
                });
                let mut candidates: Vec<usize> = Vec::new();
                let mut looked = 0;
                for (i, &c) in rare.iter().enumerate() {
                    if i > 0 && looked + postings[c].len() > BUDGET {
                        break;
                    }
                    looked += postings[c].len();
                    for &other in &postings[c] {
                        if other != d && !seen[other] {
                            seen[other] = true;
                            candidates.push(other);
                        }
                    }
                }
                let mine = &per_doc[d];
                let scores: Vec<(usize, f32)> = candidates
                    .iter()
                    .map(|&o| {
                        seen[o] = false;
                        (o, shared(mine, &per_doc[o], &weight_of))
                    })
                    .collect();
                rank(scores, docs, n)
            },
        )
        .collect()
}

/// The weight of the codes two sorted lists share.
fn shared(a: &[usize], b: &[usize], weight_of: &[f32]) -> f32 {
    let (mut i, mut j, mut total) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                total += weight_of[a[i]];
                i += 1;
                j += 1;
            }
        }
    }
    total
}

/// The best `n` of the scored candidates, best first: score, then id.
fn rank(mut scored: Vec<(usize, f32)>, docs: &[&Document], n: usize) -> Vec<usize> {
    let order = |a: &(usize, f32), b: &(usize, f32)| {
        b.1.total_cmp(&a.1)
            .then_with(|| docs[a.0].common.id.cmp(&docs[b.0].common.id))
    };
    if scored.len() > n && n > 0 {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(order);
    scored.truncate(n);
    scored.into_iter().map(|(i, _)| i).collect()
}
