//! The terms an index holds, read segment by segment from its term dictionaries: the facet
//! paths of a facet field and the words of a text field.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::Searcher;
use tantivy::schema::{Facet, Field};

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
