//! Snippets: the excerpt of each hit around the query's words, as plain text and the byte
//! ranges of the matches (data, not markup).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument};

/// A plain-text excerpt of a hit and where in it the query's words are: data, not markup
/// (the results page and the JSON API make `<mark>` of it, the command line bold).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Snippet {
    /// The excerpt.
    pub text: String,
    /// Byte ranges in `text` of the matching words, in order, not overlapping.
    pub highlights: Vec<(usize, usize)>,
}

/// Characters of a snippet.
pub(super) const SNIPPET_CHARS: usize = 220;

/// Bytes of a field's text handed to the snippet generator: a window around the first match.
pub(super) const SNIPPET_WINDOW: usize = 1200;

/// A snippet generator for one field, with the query's terms in that field.
///
/// Tokenising and stemming a whole body for every hit was most of a search's time (measured:
/// about 7 ms of a 7 ms search on the sample), so the text is first searched for the terms'
/// stems (a plain substring search) and only a window around the first one is analysed.
pub(super) struct FieldSnippets {
    field: tantivy::schema::Field,
    generator: SnippetGenerator,
    /// Lower-case prefixes every word analysed to one of the terms starts with.
    needles: Vec<String>,
}

impl FieldSnippets {
    pub(super) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: tantivy::schema::Field,
    ) -> Option<FieldSnippets> {
        let mut terms = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.insert(term.clone());
            }
        });
        let mut scores = BTreeMap::new();
        for term in &terms {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let df = searcher.doc_freq(term).ok()?;
            if df > 0 {
                scores.insert(text.to_owned(), 1.0 / (1.0 + df as f32));
            }
        }
        if scores.is_empty() {
            return None;
        }
        // The English stemmer only shortens or rewrites a word's ending (`story` → `stori`), so a
        // stem less its last letter starts every word that analyses to it.
        let needles = scores
            .keys()
            .map(|stem: &String| {
                // A statute term (`s45`) is written many ways (`section 45`): its number is
                // what the text certainly holds.
                let digits = stem.find(|c: char| c.is_ascii_digit());
                if let Some(at) = digits
                    .filter(|at| *at > 0 && stem[..*at].chars().all(|c| c.is_ascii_alphabetic()))
                {
                    return stem[at..].to_owned();
                }
                let keep = stem.chars().count().saturating_sub(1).max(3);
                stem.chars()
                    .take(keep)
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .collect();
        let tokenizer = searcher.index().tokenizer_for_field(field).ok()?;
        Some(FieldSnippets {
            field,
            generator: SnippetGenerator::new(scores, tokenizer, field, SNIPPET_CHARS),
            needles,
        })
    }

    /// This field's text in `doc`.
    pub(super) fn text<'d>(&self, doc: &'d TantivyDocument) -> &'d str {
        doc.get_first(self.field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }

    /// The snippet of `text`, whose candidate words start at `starts`: none when none of them
    /// is a match.
    pub(super) fn snippet(&self, text: &str, starts: &[usize]) -> Option<Snippet> {
        if text.len() <= SNIPPET_WINDOW {
            return self.fragment(text);
        }
        // A needle can start a word that is not a match (`car` in `carried`): try a few windows,
        // then the whole text, so a match is never missed.
        let (mut covered, mut tries) = (0, 0);
        for &at in starts {
            if at < covered {
                continue;
            }
            let (start, end) = window(text, at);
            if let Some(s) = self.fragment(&text[start..end]) {
                return Some(s);
            }
            (covered, tries) = (end, tries + 1);
            if tries == 3 {
                break;
            }
        }
        self.fragment(text)
    }

    /// The generator's best fragment of `text`, if any matches.
    fn fragment(&self, text: &str) -> Option<Snippet> {
        let s = self.generator.snippet(text);
        if s.is_empty() {
            return None;
        }
        let highlights = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
        Some(widen(text, s.fragment(), highlights))
    }
}

/// A fragment much shorter than a snippet (a match in a field's last words, where the
/// generator's fragment is just "exploited.") widened with the words before and after it in
/// `text`, its highlights moved with it.
pub(super) fn widen(text: &str, fragment: &str, highlights: Vec<(usize, usize)>) -> Snippet {
    let short = fragment.chars().count() < SNIPPET_CHARS / 2;
    let Some(at) = short.then(|| text.find(fragment)).flatten() else {
        return Snippet {
            text: fragment.to_owned(),
            highlights,
        };
    };
    let end = at + fragment.len();
    let mut start = end.saturating_sub(SNIPPET_CHARS).min(at);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    // Start at a word, never inside one.
    if start > 0
        && let Some(space) = text[start..at].find(char::is_whitespace)
    {
        start += space + 1;
    }
    let mut stop = end.max((start + SNIPPET_CHARS).min(text.len()));
    while !text.is_char_boundary(stop) {
        stop += 1;
    }
    // End after a word, never inside one.
    if stop < text.len()
        && let Some(space) = text[end..stop].rfind(char::is_whitespace)
    {
        stop = end + space;
    }
    let shift = at - start;
    Snippet {
        text: text[start..stop].to_owned(),
        highlights: highlights
            .into_iter()
            .map(|(a, b)| (a + shift, b + shift))
            .collect(),
    }
}

/// Byte offsets in `text` where a word starts with one of the needles (ASCII
/// case-insensitive), in order.
pub(super) fn word_starts(text: &str, needles: &[String]) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    let mut starts: Vec<usize> = needles
        .iter()
        .flat_map(|n| lower.match_indices(n.as_str()).map(|(at, _)| at))
        .filter(|&at| {
            lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The byte range of `SNIPPET_WINDOW` bytes of `text` around the offset `at`, on character
/// boundaries.
pub(super) fn window(text: &str, at: usize) -> (usize, usize) {
    let mut start = at
        .saturating_sub(SNIPPET_WINDOW / 4)
        .min(text.len().saturating_sub(SNIPPET_WINDOW));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    // Start at a word, never inside one.
    if start > 0
        && let Some(space) = text
            .get(start..at)
            .and_then(|t| t.find(char::is_whitespace))
    {
        start += space + 1;
    }
    let mut end = (start + SNIPPET_WINDOW).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// The best snippet: the field with the most highlighted matches, else the summary's start.
///
/// Fields are tried in order of how many words start like a query term (a substring count, far
/// cheaper than analysing the text), the earlier field (summary, learning, body) on a tie; the
/// first that gives a snippet wins.
pub(super) fn snippet(
    generators: &[FieldSnippets],
    doc: &TantivyDocument,
    summary: &str,
) -> Snippet {
    let mut candidates: Vec<(usize, &FieldSnippets, &str, Vec<usize>)> = generators
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let text = g.text(doc);
            (i, g, text, word_starts(text, &g.needles))
        })
        .filter(|(.., starts)| !starts.is_empty())
        .collect();
    candidates.sort_by_key(|(i, .., starts)| (std::cmp::Reverse(starts.len()), *i));
    let best = candidates
        .into_iter()
        .find_map(|(_, g, text, starts)| g.snippet(text, &starts));
    best.unwrap_or_else(|| {
        let mut text: String = summary.chars().take(200).collect();
        if text.len() < summary.len() {
            text.push('…');
        }
        Snippet {
            text,
            highlights: Vec::new(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_are_found_only_at_word_starts() {
        let text = "Scarred? No: the car wash. CARS and carried goods.";
        let starts = word_starts(text, &["car".to_owned()]);
        let words: Vec<&str> = starts
            .iter()
            .map(|&at| {
                text[at..]
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(words, ["car", "CARS", "carried"]);
    }

    #[test]
    fn a_short_fragment_is_widened_with_the_words_around_it() {
        let text = format!(
            "{} who are exploited.",
            "Adults with care and support needs ".repeat(8)
        );
        let s = widen(&text, "exploited.", vec![(0, 9)]);
        assert!(s.text.ends_with("who are exploited."), "{}", s.text);
        assert!(s.text.starts_with(char::is_alphabetic), "{}", s.text);
        assert!(s.text.chars().count() <= SNIPPET_CHARS && s.text.len() > 100);
        let (a, b) = s.highlights[0];
        assert_eq!(&s.text[a..b], "exploited");
        // A match early in a long field keeps the words after it, ending at a word.
        let text = format!("Exploited adults. {}", "Care and support needs ".repeat(20));
        let s = widen(&text, "Exploited adults.", vec![(0, 9)]);
        assert!(s.text.starts_with("Exploited adults. Care"), "{}", s.text);
        assert!(s.text.ends_with(char::is_alphabetic), "{}", s.text);
        assert_eq!(&s.text[s.highlights[0].0..s.highlights[0].1], "Exploited");
        // A full-length fragment is left as it is.
        let long = "word ".repeat(40);
        assert_eq!(widen(&long, &long, vec![]).text, long);
    }

    #[test]
    fn windows_stay_on_character_boundaries() {
        let text = "é".repeat(2000);
        for at in [0, 1, 601, 2000, 3999] {
            let (start, end) = window(&text, at.min(text.len()));
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            assert!(end - start <= SNIPPET_WINDOW + 1);
        }
    }
}
