//! Spelling: a word that matches nothing is searched as its nearest indexed word
//! ("traffiking" → "trafficking"), and "did you mean" offers the same correction where it is
//! not applied.
//!
//! The lexicon is the term dictionary of the unstemmed `words` field, with document
//! frequencies: it comes from the index itself, so it holds exactly the words of the published
//! documents and nothing above the build's marking ceiling. What is never corrected: a word of
//! three letters or fewer (`IoW`, `CSE`), a word of the vocabularies (a place no document
//! mentions is not a misspelling), an English word (`marriage` is not `carriage`), and the
//! name after "Operation" or "Op". A correction is never a function word (`Fort` is not
//! `for`). The edit distance allowed is 1 for a word of four or five letters, 2 for longer.

use serde::Serialize;

use super::dictionary::{is_english, is_function_word};
use super::kb::KbIndex;
use super::terms::from_index;

/// A query rewritten word by word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The corrected query text.
    pub query: String,
    /// Each word changed: as typed, and as searched.
    pub words: Vec<CorrectedWord>,
}

/// One corrected word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectedWord {
    /// As typed.
    pub typed: String,
    /// As searched.
    pub used: String,
}

impl KbIndex {
    /// The query with each word no document holds (`missing`; or, when `missing` is empty,
    /// each word the index does not know) replaced by its nearest known word, under the rules
    /// above. None when no word changes.
    pub(super) fn correct(&self, text: &str, missing: &[String]) -> Option<Correction> {
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
        let mut words = Vec::new();
        let mut previous = String::new();
        let out: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                let plain = w
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                let after_operation = matches!(previous.as_str(), "operation" | "op");
                previous = plain.clone();
                let wanted = missing.contains(&plain) || (missing.is_empty() && !known(&plain));
                let correctable = wanted
                    && !after_operation
                    && !w.contains(':')
                    && plain.chars().count() >= 4
                    && plain.chars().all(char::is_alphabetic)
                    && !is_english(&plain);
                match nearest(lexicon, domain, &plain).filter(|_| correctable) {
                    Some(n) => {
                        words.push(CorrectedWord {
                            typed: plain.clone(),
                            used: n.to_owned(),
                        });
                        w.to_lowercase().replace(&plain, n)
                    }
                    None => w.to_owned(),
                }
            })
            .collect();
        (!words.is_empty()).then(|| Correction {
            query: out.join(" "),
            words,
        })
    }
}

/// The nearest word to `word` within a small edit distance (1 for four or five letters, 2 for
/// longer), from the index's words and the vocabularies' (`domain`): fewest edits first, then
/// a word of the vocabularies, then the most frequent. Never `word` itself, never a function
/// word, and nothing for a word of the vocabularies: a place such as `Andover` that no
/// document mentions is not a misspelling of "handover".
pub(super) fn nearest<'a>(
    lexicon: &'a [(String, u64)],
    domain: &'a [String],
    word: &str,
) -> Option<&'a str> {
    let limit = if word.chars().count() > 5 { 2 } else { 1 };
    let in_domain = |w: &str| domain.binary_search_by(|d| d.as_str().cmp(w)).is_ok();
    if in_domain(word) {
        return None;
    }
    lexicon
        .iter()
        .map(|(w, n)| (w.as_str(), *n))
        .chain(domain.iter().map(|w| (w.as_str(), 0)))
        .filter(|(w, _)| {
            *w != word && w.len().abs_diff(word.len()) <= limit && !is_function_word(w)
        })
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
