//! The lexicon for "did you mean": the term dictionary of the unstemmed `words` field, with
//! document frequencies. It comes from the index itself, so it holds exactly the words of the
//! published documents and nothing above the build's marking ceiling.

use std::collections::BTreeMap;

use tantivy::Searcher;
use tantivy::schema::Field;

/// Every word of the index (three letters or more, alphabetic) with its document frequency.
pub(super) fn from_index(searcher: &Searcher, field: Field) -> Vec<(String, u64)> {
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if word.chars().count() >= 3 && word.chars().all(char::is_alphabetic) {
                *words.entry(word.to_owned()).or_insert(0) += u64::from(stream.value().doc_freq);
            }
        }
    }
    words.into_iter().collect()
}

/// The most frequent word within a small edit distance of `word`.
pub(super) fn nearest<'a>(lexicon: &'a [(String, u64)], word: &str) -> Option<&'a str> {
    let limit = if word.chars().count() > 7 { 2 } else { 1 };
    lexicon
        .iter()
        .filter(|(w, _)| w.len().abs_diff(word.len()) <= limit)
        .map(|(w, n)| (strsim::damerau_levenshtein(w, word), *n, w.as_str()))
        .filter(|(d, _, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, w)| w)
}
