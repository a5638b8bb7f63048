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

use std::collections::{BTreeMap, HashMap};

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

/// The `n` documents most like each document, best first, as indexes into `coded`: every
/// list computed (what `similar_since` must equal).
///
/// The candidates of a document are those sharing one of its rarest codes: codes are taken
/// from the rarest up while their documents number at most `BUDGET` together (always at least
/// one code). Candidates are ranked by the weights of every code they share, then by id. Each
/// step depends only on the documents, so the lists are a fixed function of the knowledge base,
/// and the work grows with the number of documents times the budget, not with its square.
#[cfg(test)]
fn similar(coded: &[Coded<'_>], n: usize) -> Vec<Vec<usize>> {
    let codes = Codes::new(coded);
    (0..coded.len())
        .into_par_iter()
        .map_init(
            || vec![false; coded.len()],
            |seen, d| codes.most_like(d, coded, n, seen),
        )
        .collect()
}

/// Each document's id and codes.
fn coded<'d>(docs: &[&'d Document], vocab: &Vocabulary) -> Vec<Coded<'d>> {
    docs.par_iter()
        .map(|d| Coded {
            id: &d.common.id,
            features: features(d, vocab),
        })
        .collect()
}

/// A document as similarity sees it: its id and its codes with their weights.
#[derive(Debug, Clone)]
struct Coded<'d> {
    id: &'d str,
    features: Vec<(String, f32)>,
}

/// The codes of a set of documents as numbers: each code's weight and documents, each
/// document's codes.
struct Codes {
    names: Vec<String>,
    weight_of: Vec<f32>,
    per_doc: Vec<Vec<usize>>,
    postings: Vec<Vec<usize>>,
}

impl Codes {
    fn new(docs: &[Coded<'_>]) -> Codes {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let mut weight_of: Vec<f32> = Vec::new();
        let per_doc: Vec<Vec<usize>> = docs
            .iter()
            .map(|d| {
                let mut codes: Vec<usize> = d
                    .features
                    .iter()
                    .map(|(key, w)| {
                        *ids.entry(key).or_insert_with(|| {
                            names.push(key.clone());
                            weight_of.push(*w);
                            names.len() - 1
                        })
                    })
                    .collect();
                codes.sort_unstable();
                codes
            })
            .collect();
        let mut postings: Vec<Vec<usize>> = vec![Vec::new(); weight_of.len()];
        for (d, codes) in per_doc.iter().enumerate() {
            for &c in codes {
                postings[c].push(d);
            }
        }
        Codes {
            names,
            weight_of,
            per_doc,
            postings,
        }
    }

    /// The codes of document `d` whose documents are its candidates: from the rarest up while
    /// their documents number at most `BUDGET` together (always at least one). Rarity ties are
    /// broken by the code's text, so the choice does not depend on the documents' order.
    fn chosen(&self, d: usize) -> Vec<usize> {
        let mut rare = self.per_doc[d].clone();
        rare.sort_by(|&a, &b| {
            self.postings[a]
                .len()
                .cmp(&self.postings[b].len())
                .then_with(|| self.names[a].cmp(&self.names[b]))
        });
        let mut looked = 0;
        let mut out = Vec::new();
        for (i, c) in rare.into_iter().enumerate() {
            if i > 0 && looked + self.postings[c].len() > BUDGET {
                break;
            }
            looked += self.postings[c].len();
            out.push(c);
        }
        out
    }

    /// The `n` documents most like document `d`; `seen` is all false, and is left so.
    fn most_like(&self, d: usize, docs: &[Coded<'_>], n: usize, seen: &mut [bool]) -> Vec<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        for c in self.chosen(d) {
            for &other in &self.postings[c] {
                if other != d && !seen[other] {
                    seen[other] = true;
                    candidates.push(other);
                }
            }
        }
        let mine = &self.per_doc[d];
        let scores: Vec<(usize, f32)> = candidates
            .iter()
            .map(|&o| {
                seen[o] = false;
                (o, shared(mine, &self.per_doc[o], &self.weight_of))
            })
            .collect();
        rank(scores, docs, n)
    }
}

/// The similar lists of a build, kept for the next (`similar_since`): each document's codes and
/// list, by id, and each code's weight.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Kept {
    /// How many each list holds.
    pub n: usize,
    /// Each document's codes, sorted.
    pub codes: BTreeMap<String, Vec<String>>,
    /// Each code's weight.
    pub weights: BTreeMap<String, f32>,
    /// Each document's list, as ids.
    pub lists: BTreeMap<String, Vec<String>>,
}

/// `similar`, computing again only the lists the documents changed since `kept` can alter, and
/// the lists to keep for the next build; with how many lists were computed. The lists equal
/// `similar`'s. A document's list is taken from `kept` when its codes are as they were, the
/// codes its candidates come from are the same ones, none of those codes gained or lost a
/// document, and no document whose codes changed shares a code with it that counts towards a
/// candidate's score. A code whose weight changed, or another `n`, computes every list.
pub(crate) fn similar_since(
    docs: &[&Document],
    vocab: &Vocabulary,
    n: usize,
    kept: Option<&Kept>,
) -> (Vec<Vec<usize>>, Kept, usize) {
    since(&coded(docs, vocab), n, kept)
}

/// `similar_since` of documents as codes.
fn since(coded: &[Coded<'_>], n: usize, kept: Option<&Kept>) -> (Vec<Vec<usize>>, Kept, usize) {
    let codes = Codes::new(coded);
    let reuse = kept
        .filter(|k| k.n == n)
        .map(|k| reusable(coded, &codes, k));
    let at: HashMap<&str, usize> = coded.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let lists: Vec<Option<Vec<usize>>> = (0..coded.len())
        .into_par_iter()
        .map_init(
            || vec![false; coded.len()],
            |seen, d| match (&reuse, kept) {
                (Some(reuse), Some(kept)) if reuse[d] => kept.lists[coded[d].id]
                    .iter()
                    .map(|id| at.get(id.as_str()).copied())
                    .collect(),
                _ => Some(codes.most_like(d, coded, n, seen)),
            },
        )
        .collect();
    // A kept list naming a document that is gone cannot be (its codes changed); computed
    // again all the same should it happen.
    let mut computed = 0;
    let lists: Vec<Vec<usize>> = lists
        .into_iter()
        .enumerate()
        .map(|(d, list)| {
            let reused = reuse.as_ref().is_some_and(|r| r[d]) && list.is_some();
            if !reused {
                computed += 1;
            }
            list.unwrap_or_else(|| codes.most_like(d, coded, n, &mut vec![false; coded.len()]))
        })
        .collect();
    let next = Kept {
        n,
        codes: coded
            .iter()
            .map(|d| {
                (
                    d.id.to_owned(),
                    d.features.iter().map(|(k, _)| k.clone()).collect(),
                )
            })
            .collect(),
        weights: codes
            .names
            .iter()
            .cloned()
            .zip(codes.weight_of.iter().copied())
            .collect(),
        lists: coded
            .iter()
            .zip(&lists)
            .map(|(d, list)| {
                (
                    d.id.to_owned(),
                    list.iter().map(|&i| coded[i].id.to_owned()).collect(),
                )
            })
            .collect(),
    };
    (lists, next, computed)
}

/// For each document, whether its kept list is still its list (see `similar_since`).
fn reusable(coded: &[Coded<'_>], codes: &Codes, kept: &Kept) -> Vec<bool> {
    if codes
        .names
        .iter()
        .zip(&codes.weight_of)
        .any(|(name, w)| kept.weights.get(name).is_some_and(|old| old != w))
    {
        return vec![false; coded.len()];
    }
    let moves = Moves::since(coded, codes, kept);
    let before = codes.with_lengths_of(kept);
    (0..coded.len())
        .into_par_iter()
        .map(|d| {
            if !moves.same[d] || !kept.lists.contains_key(coded[d].id) {
                return false;
            }
            let mine = &codes.per_doc[d];
            let chosen = codes.chosen(d);
            if chosen != before.chosen(d) || chosen.iter().any(|c| moves.codes.contains(c)) {
                return false;
            }
            // Its candidates are the same documents; a changed one among them may score
            // differently if it gained or lost a code this document has.
            let touched = mine.iter().any(|c| moves.codes.contains(c));
            !(touched
                && moves
                    .changed
                    .iter()
                    .any(|c| chosen.iter().any(|k| c.contains(k))))
        })
        .collect()
}

/// What changed since the kept lists, in the numbers of `Codes`.
struct Moves {
    /// For each document, whether its codes are as they were.
    same: Vec<bool>,
    /// The codes documents gained or lost (added and removed documents: all of theirs).
    codes: std::collections::HashSet<usize>,
    /// The codes, before and after, of each document that changed, came or went.
    changed: Vec<std::collections::HashSet<usize>>,
}

impl Moves {
    fn since(coded: &[Coded<'_>], codes: &Codes, kept: &Kept) -> Moves {
        let number: HashMap<&str, usize> = codes
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let numbers = |keys: &mut dyn Iterator<Item = &str>| -> std::collections::HashSet<usize> {
            keys.filter_map(|k| number.get(k).copied()).collect()
        };
        let mut moves = Moves {
            same: vec![true; coded.len()],
            codes: std::collections::HashSet::new(),
            changed: Vec::new(),
        };
        let now: std::collections::HashSet<&str> = coded.iter().map(|d| d.id).collect();
        for (i, d) in coded.iter().enumerate() {
            let mine: Vec<&str> = d.features.iter().map(|(k, _)| k.as_str()).collect();
            let before: Vec<&str> = kept
                .codes
                .get(d.id)
                .map(|c| c.iter().map(String::as_str).collect())
                .unwrap_or_default();
            if !kept.codes.contains_key(d.id) || mine != before {
                moves.same[i] = false;
                moves
                    .codes
                    .extend(numbers(&mut symmetric(&mine, &before).into_iter()));
                moves
                    .changed
                    .push(numbers(&mut mine.into_iter().chain(before)));
            }
        }
        for (id, before) in &kept.codes {
            if !now.contains(id.as_str()) {
                let gone = numbers(&mut before.iter().map(String::as_str));
                moves.codes.extend(gone.iter().copied());
                moves.changed.push(gone);
            }
        }
        moves
    }
}

impl Codes {
    /// These codes with each one's number of documents as the kept codes counted them (for
    /// `chosen` as it was; the postings hold no documents).
    fn with_lengths_of(&self, kept: &Kept) -> Codes {
        let mut before_len: HashMap<&str, usize> = HashMap::new();
        for c in kept.codes.values().flatten() {
            *before_len.entry(c.as_str()).or_default() += 1;
        }
        Codes {
            names: self.names.clone(),
            weight_of: self.weight_of.clone(),
            per_doc: self.per_doc.clone(),
            postings: self
                .names
                .iter()
                .map(|name| vec![0; before_len.get(name.as_str()).copied().unwrap_or(0)])
                .collect(),
        }
    }
}

/// The codes in one sorted list and not the other.
fn symmetric<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    let (a_set, b_set): (
        std::collections::HashSet<&str>,
        std::collections::HashSet<&str>,
    ) = (a.iter().copied().collect(), b.iter().copied().collect());
    a_set.symmetric_difference(&b_set).copied().collect()
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
fn rank(mut scored: Vec<(usize, f32)>, docs: &[Coded<'_>], n: usize) -> Vec<usize> {
    let order = |a: &(usize, f32), b: &(usize, f32)| {
        b.1.total_cmp(&a.1)
            .then_with(|| docs[a.0].id.cmp(docs[b.0].id))
    };
    if scored.len() > n && n > 0 {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(order);
    scored.truncate(n);
    scored.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Documents as codes: `d` documents, each with some of `k` codes (weights by code, as
    /// `features` gives them) and a kind code all share.
    fn corpus() -> impl Strategy<Value = Vec<Vec<u8>>> {
        prop::collection::vec(prop::collection::vec(0u8..24, 0..6), 1..40)
    }

    fn coded(ids: &[String], docs: &[Vec<u8>]) -> Vec<Coded<'static>> {
        ids.iter()
            .zip(docs)
            .map(|(id, codes)| {
                let mut features: Vec<(String, f32)> = codes
                    .iter()
                    .map(|c| (format!("c:{c:02}"), 1.0 + f32::from(c % 4)))
                    .collect();
                features.push(("kind:review".into(), 0.5));
                features.sort_by(|a, b| a.0.cmp(&b.0));
                features.dedup_by(|a, b| a.0 == b.0);
                Coded {
                    id: Box::leak(id.clone().into_boxed_str()),
                    features,
                }
            })
            .collect()
    }

    /// A change to the documents: a document's codes replaced, a document added or removed.
    fn changes() -> impl Strategy<Value = Vec<(u8, u8, Vec<u8>)>> {
        prop::collection::vec(
            (0u8..3, 0u8..64, prop::collection::vec(0u8..24, 0..6)),
            1..5,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// After any changes, the lists kept where they still hold and computed again where
        /// not are the lists of computing them all.
        #[test]
        fn kept_lists_equal_lists_computed_afresh(docs in corpus(), steps in changes()) {
            let mut ids: Vec<String> = (0..docs.len()).map(|i| format!("CR-2026-{i:03}")).collect();
            let mut docs = docs;
            let first = coded(&ids, &docs);
            let (_, mut kept, _) = since(&first, 5, None);
            let mut next_id = docs.len();
            for (what, at, codes) in steps {
                let at = usize::from(at) % docs.len().max(1);
                match what {
                    0 if !docs.is_empty() => docs[at] = codes,
                    1 => {
                        ids.insert(at.min(ids.len()), format!("CR-2026-{next_id:03}"));
                        docs.insert(at.min(docs.len()), codes);
                        next_id += 1;
                    }
                    _ if docs.len() > 1 => {
                        ids.remove(at);
                        docs.remove(at);
                    }
                    _ => {}
                }
                let now = coded(&ids, &docs);
                let (lists, next, _) = since(&now, 5, Some(&kept));
                prop_assert_eq!(&lists, &similar(&now, 5));
                kept = next;
            }
        }
    }

    #[test]
    fn an_edit_that_keeps_the_codes_computes_no_list() {
        let ids: Vec<String> = (0..30).map(|i| format!("CR-2026-{i:03}")).collect();
        let docs: Vec<Vec<u8>> = (0..30u8).map(|i| vec![i % 7, i % 5 + 10]).collect();
        let (_, kept, all) = since(&coded(&ids, &docs), 5, None);
        assert_eq!(all, 30);
        let (_, _, again) = since(&coded(&ids, &docs), 5, Some(&kept));
        assert_eq!(again, 0);
        let mut edited = docs.clone();
        edited[3] = vec![3, 14, 20];
        let (_, _, some) = since(&coded(&ids, &edited), 5, Some(&kept));
        assert!((1..30).contains(&some), "{some} lists computed");
    }
}
