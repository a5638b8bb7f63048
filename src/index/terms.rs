//! What an index holds, read segment by segment: the facet paths of a facet field and the
//! words of a text field from the term dictionaries, and each document's id with another of
//! its fast string columns.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::schema::{Facet, Field};
use tantivy::{Index, Searcher};

use super::{Damage, IndexError};

/// Calls `each` with the id, the value of the fast string column `name` and whether the
/// document is alive, for every document of every segment, deleted ones included (their
/// segments keep them until merged away).
pub(super) fn each_column(
    index: &Index,
    name: &'static str,
    mut each: impl FnMut(&str, &str, bool),
) -> Result<(), IndexError> {
    // Read once, so no reload policy: the default one starts a thread that reads `meta.json`
    // every half second for as long as the index is open (a server's whole life).
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(IndexError::tantivy)?;
    let searcher = reader.searcher();
    let (mut id, mut value) = (String::new(), String::new());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let column = |name: &'static str| {
            fast.str(name)
                .map_err(IndexError::tantivy)?
                .ok_or(IndexError::Corrupt(Damage::NoColumn(name)))
        };
        let (ids, values) = (column("id")?, column(name)?);
        for doc in 0..segment.max_doc() {
            let (Some(i), Some(v)) = (ids.ords().first(doc), values.ords().first(doc)) else {
                continue;
            };
            id.clear();
            value.clear();
            ids.ord_to_str(i, &mut id)
                .and_then(|_| values.ord_to_str(v, &mut value))
                .map_err(|e| IndexError::Corrupt(Damage::Column(e)))?;
            each(&id, &value, !segment.is_deleted(doc));
        }
    }
    Ok(())
}

/// Calls `each` with every term of `field` in every segment and its document frequency there.
fn each_term(searcher: &Searcher, field: Field, mut each: impl FnMut(&[u8], u32)) {
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            each(stream.key(), stream.value().doc_freq);
        }
    }
}

/// Every facet path present in a facet field.
pub(super) fn facet_terms(searcher: &Searcher, field: Field) -> Vec<Facet> {
    let mut out = BTreeSet::new();
    each_term(searcher, field, |key, _| {
        if let Ok(f) = Facet::from_encoded(key.to_vec()) {
            out.insert(f);
        }
    });
    out.into_iter().collect()
}

/// Every word of the index (three letters or more, alphabetic) with its document frequency.
pub(super) fn from_index(searcher: &Searcher, field: Field) -> Vec<(String, u64)> {
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    each_term(searcher, field, |key, doc_freq| {
        if let Ok(word) = std::str::from_utf8(key)
            && word.chars().count() >= 3
            && word.chars().all(char::is_alphabetic)
        {
            *words.entry(word.to_owned()).or_insert(0) += u64::from(doc_freq);
        }
    });
    words.into_iter().collect()
}
