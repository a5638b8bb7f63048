//! "Did you mean": a misspelt word replaced by the nearest word of the published documents or
//! of the vocabularies, preferring the vocabularies' and the tags' on a tie.
//!
//! The lexicon is the term dictionary of the unstemmed `words` field, with document
//! frequencies: it comes from the index itself, so it holds exactly the words of the published
//! documents and nothing above the build's marking ceiling.
use std::collections::BTreeMap;

use super::search::KbIndex;

impl KbIndex {
    /// A corrected query, replacing the words no document holds (`missing`), or when nothing
    /// matched any word the index does not know, by the nearest known word: a word of the
    /// published documents or of the vocabularies (labels, places, synonyms, power words),
    /// preferring the vocabularies' on a tie. Never the word typed.
    pub(super) fn suggest(&self, text: &str, missing: &[String]) -> Option<String> {
        let lexicon = self
            .lexicon
            .get_or_init(|| from_index(&self.reader.searcher(), self.fields.words));
        let domain = self.domain.get_or_init(|| {
            let tags = from_index(&self.reader.searcher(), self.fields.tags);
            let mut words: Vec<String> = tags.into_iter().map(|(w, _)| w).collect();
            words.extend(self.terms.domain_words.iter().cloned());
            words.sort();
            words.dedup();
            words
        });
        let known = |w: &str| {
            lexicon.binary_search_by(|(k, _)| k.as_str().cmp(w)).is_ok()
                || domain.binary_search_by(|k| k.as_str().cmp(w)).is_ok()
        };
        let missing: Vec<String> = missing.iter().map(|m| m.to_lowercase()).collect();
        let mut changed = false;
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                let plain = w
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                let wanted = missing.contains(&plain) || (missing.is_empty() && !known(&plain));
                if plain.chars().count() < 3 || w.contains(':') || !wanted {
                    return w.to_owned();
                }
                match nearest(lexicon, domain, &plain) {
                    Some(n) if n != plain => {
                        changed = true;
                        w.to_lowercase().replace(&plain, n)
                    }
                    _ => w.to_owned(),
                }
            })
            .collect();
        changed.then(|| words.join(" "))
    }
}

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

/// The nearest word to `word` within a small edit distance, from the index's words and the
/// vocabularies' (`domain`): fewest edits first, then a word of the vocabularies, then the
/// most frequent. Never `word` itself, and nothing for a word of the vocabularies: a place
/// such as `Andover` that no document mentions is not a misspelling of "handover".
pub(super) fn nearest<'a>(
    lexicon: &'a [(String, u64)],
    domain: &'a [String],
    word: &str,
) -> Option<&'a str> {
    let limit = if word.chars().count() > 7 { 2 } else { 1 };
    let in_domain = |w: &str| domain.binary_search_by(|d| d.as_str().cmp(w)).is_ok();
    if in_domain(word) {
        return None;
    }
    lexicon
        .iter()
        .map(|(w, n)| (w.as_str(), *n))
        .chain(domain.iter().map(|w| (w.as_str(), 0)))
        .filter(|(w, _)| *w != word && w.len().abs_diff(word.len()) <= limit)
        .map(|(w, n)| {
            (
                strsim::damerau_levenshtein(w, word),
                !in_domain(w),
                std::cmp::Reverse(n),
                w,
            )
        })
        .filter(|(d, ..)| *d <= limit)
        .min()
        .map(|(.., w)| w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_words_win_ties_and_the_word_typed_is_never_suggested() {
        let lexicon = vec![("cooking".to_owned(), 40), ("cuckooing".to_owned(), 2)];
        let domain = vec!["cuckooing".to_owned()];
        assert_eq!(nearest(&lexicon, &domain, "cookooing"), Some("cuckooing"));
        assert_eq!(nearest(&lexicon, &[], "cookooing"), Some("cooking"));
        assert_eq!(nearest(&lexicon, &domain, "cooking"), None);
        assert_eq!(nearest(&lexicon, &domain, "zzzz"), None);
        let lexicon = vec![("handover".to_owned(), 12)];
        let domain = vec!["andover".to_owned()];
        assert_eq!(nearest(&lexicon, &domain, "andover"), None);
        assert_eq!(nearest(&lexicon, &domain, "handovr"), Some("handover"));
    }
}
