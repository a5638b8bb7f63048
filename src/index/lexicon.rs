//! The lexicon: every word of the published documents with its frequency, written beside the
//! index at build time and used for "did you mean" suggestions. It is built from the same
//! documents as the index, so it holds nothing above the build's marking ceiling.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::IndexError;
use super::document::IndexDoc;

const FILE: &str = "lexicon.txt";

/// Counts the words (three letters or more, lower-cased) of the documents' text.
pub(super) fn build(docs: &[IndexDoc]) -> BTreeMap<String, u64> {
    let mut words = BTreeMap::new();
    for d in docs {
        for text in [&d.title, &d.summary, &d.learning, &d.body] {
            for w in text.split(|c: char| !c.is_alphanumeric()) {
                if w.chars().count() >= 3 && w.chars().all(char::is_alphabetic) {
                    *words.entry(w.to_lowercase()).or_insert(0) += 1;
                }
            }
        }
    }
    words
}

/// Writes the lexicon into `dir` atomically.
pub(super) fn write(dir: &Path, words: &BTreeMap<String, u64>) -> Result<(), IndexError> {
    let text: String = words.iter().map(|(w, n)| format!("{w}\t{n}\n")).collect();
    let tmp = dir.join(format!("{FILE}.tmp"));
    fs::write(&tmp, text).map_err(|e| IndexError::io(&tmp, e))?;
    fs::rename(&tmp, dir.join(FILE)).map_err(|e| IndexError::io(dir, e))
}

/// Reads the lexicon of the index at `dir` (empty when missing).
pub(super) fn read(dir: &Path) -> Vec<(String, u64)> {
    let text = fs::read_to_string(dir.join(FILE)).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let (w, n) = l.split_once('\t')?;
            Some((w.to_owned(), n.parse().ok()?))
        })
        .collect()
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
