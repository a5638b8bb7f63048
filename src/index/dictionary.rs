//! The English words spelling correction must leave alone: a word of the language is never
//! "corrected" into another (`marriage` is not a misspelling of `carriage`), and a correction
//! is never a small function word (`Fort` is not `for`).
//!
//! The word list is SCOWL's British English list (words of four or more lower-case letters),
//! compiled in from `words/english.txt`; its copyright notice is `words/COPYRIGHT`.

use std::sync::LazyLock;

/// The compiled-in list, one word a line, sorted.
const ENGLISH: &str = include_str!("words/english.txt");

static WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| ENGLISH.lines().collect());

/// Words a search never offers as a correction: English stop words and the question words the
/// query drops.
const FUNCTION_WORDS: &[&str] = &[
    "also", "been", "between", "both", "but", "each", "from", "have", "here", "into", "just",
    "more", "most", "much", "must", "only", "other", "over", "same", "some", "such", "than",
    "that", "them", "then", "there", "these", "they", "this", "those", "upon", "very", "were",
    "what", "when", "where", "which", "while", "whom", "whose", "will", "with", "without", "would",
    "your",
];

/// True when `word` (lower case) is an English word of four letters or more.
pub(super) fn is_english(word: &str) -> bool {
    WORDS.binary_search(&word).is_ok()
}

/// True when `word` (lower case) is a small word a correction must never produce.
pub(super) fn is_function_word(word: &str) -> bool {
    word.chars().count() < 4
        || FUNCTION_WORDS.contains(&word)
        || super::query::is_question_word(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_knows_common_and_domain_words() {
        assert!(
            WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted for the binary search"
        );
        for word in [
            "marriage",
            "carriage",
            "fort",
            "trafficking",
            "interpreter",
            "labour",
        ] {
            assert!(is_english(word), "{word}");
        }
        for word in ["traffiking", "interpretor", "unlicenced", "zzqx"] {
            assert!(!is_english(word), "{word}");
        }
        assert!(is_function_word("for") && is_function_word("with") && is_function_word("how"));
        assert!(!is_function_word("labour"));
    }
}
