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
    /// Lower-case prefixes every word analysed to one of the terms starts with, each with the
    /// term's weight (rarer terms weigh more).
    needles: Vec<(String, f32)>,
}

impl FieldSnippets {
    /// A generator for `field`; `fields` are every text field snippets come from, whose
    /// document frequencies together say how rare each of the query's words is.
    pub(super) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: tantivy::schema::Field,
        fields: &[tantivy::schema::Field],
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
            // The small words of an expanded form ("Gangmasters and Labour Abuse Authority")
            // are not what was asked for: never highlighted.
            if is_small_word(text) {
                continue;
            }
            if searcher.doc_freq(term).ok()? == 0 {
                continue;
            }
            // Rarity across every field snippets come from, so a word common in the bodies is
            // not made rare by a field that seldom holds it.
            let df: u64 = fields
                .iter()
                .filter_map(|f| {
                    searcher
                        .doc_freq(&tantivy::Term::from_field_text(*f, text))
                        .ok()
                })
                .max()
                .unwrap_or(0);
            scores.insert(text.to_owned(), 1.0 / (1.0 + df as f32));
        }
        if scores.is_empty() {
            return None;
        }
        // The English stemmer only shortens or rewrites a word's ending (`story` → `stori`), so a
        // stem less its last letter starts every word that analyses to it.
        let needles = scores
            .iter()
            .map(|(stem, score): (&String, &f32)| {
                // A statute term (`s45`) is written many ways (`section 45`): its number is
                // what the text certainly holds.
                let digits = stem.find(|c: char| c.is_ascii_digit());
                if let Some(at) = digits
                    .filter(|at| *at > 0 && stem[..*at].chars().all(|c| c.is_ascii_alphabetic()))
                {
                    return (stem[at..].to_owned(), *score);
                }
                let keep = stem.chars().count().saturating_sub(1).max(3);
                let needle = stem
                    .chars()
                    .take(keep)
                    .collect::<String>()
                    .to_ascii_lowercase();
                (needle, *score)
            })
            .collect();
        let tokenizer = searcher.index().tokenizer_for_field(field).ok()?;
        Some(FieldSnippets {
            field,
            generator: SnippetGenerator::new(scores, tokenizer, field, SNIPPET_CHARS),
            needles,
        })
    }

    /// The field this generator makes snippets of.
    pub(super) fn field(&self) -> tantivy::schema::Field {
        self.field
    }

    /// This field's text in `doc`.
    pub(super) fn text<'d>(&self, doc: &'d TantivyDocument) -> &'d str {
        doc.get_first(self.field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }

    /// How much the rarest of the query's words found in `text` weighs (the rarer, the more),
    /// with the weight of them all, and the offsets of the rarest word's starts first: the passage shown holds the rarest words
    /// of the query, as Pagefind and Elasticsearch choose fragments.
    fn rarest_first(&self, text: &str) -> ((f32, f32), Vec<usize>) {
        let lower = text.to_ascii_lowercase();
        let mut found: Vec<(f32, Vec<usize>)> = self
            .needles
            .iter()
            .map(|(needle, score)| {
                let starts = word_starts_in(&lower, needle);
                (*score, starts)
            })
            .filter(|(_, starts)| !starts.is_empty())
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        let rarest = found.first().map_or(0.0, |(s, _)| *s);
        let weight = (rarest, found.iter().map(|(s, _)| s).sum());
        let mut starts: Vec<usize> = Vec::new();
        for (_, s) in found {
            starts.extend(s);
        }
        (weight, starts)
    }

    /// The snippet of `text`, whose candidate words start at `starts`: none when none of them
    /// is a match.
    pub(super) fn snippet(&self, text: &str, starts: &[usize]) -> Option<Snippet> {
        if text.len() <= SNIPPET_WINDOW {
            return self.fragment(text);
        }
        // A needle can start a word that is not a match (`car` in `carried`): try a few windows,
        // around the rarest words first, then the whole text, so a match is never missed.
        let mut tried: Vec<(usize, usize)> = Vec::new();
        for &at in starts {
            if tried.iter().any(|(s, e)| (*s..*e).contains(&at)) {
                continue;
            }
            let (start, end) = window(text, at);
            if let Some(s) = self.fragment(&text[start..end]) {
                return Some(s);
            }
            tried.push((start, end));
            if tried.len() == 3 {
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
#[cfg(test)]
pub(super) fn word_starts(text: &str, needles: &[String]) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    let mut starts: Vec<usize> = needles
        .iter()
        .flat_map(|n| word_starts_in(&lower, n))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Byte offsets in `lower` (already lower case) where a word starts with `needle`.
fn word_starts_in(lower: &str, needle: &str) -> Vec<usize> {
    lower
        .match_indices(needle)
        .map(|(at, _)| at)
        .filter(|&at| {
            lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .collect()
}

/// A word an expanded query carries that is never a match to show: English function words.
fn is_small_word(term: &str) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into",
        "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
        "these", "they", "this", "to", "was", "will", "with",
    ];
    SMALL.contains(&term) || super::query::is_question_word(term)
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

/// A field that may give the snippet: its position, generator, text, weight (the rarest
/// word's, then all of them) and the word starts to try, rarest first.
type Candidate<'a> = (usize, &'a FieldSnippets, &'a str, (f32, f32), Vec<usize>);

/// The best snippet: the passage holding the rarest of the query's words, else the summary's
/// start.
///
/// Fields are tried in order of the weight of the distinct query words they hold (rarer words
/// weigh more; a substring search, far cheaper than analysing the text), the earlier field
/// (summary, learning, powers, body) on a tie, and `prefer` (the powers, when the query names
/// one) first when it holds any; within a field, windows around the rarest word come first.
pub(super) fn snippet(
    generators: &[FieldSnippets],
    doc: &TantivyDocument,
    summary: &str,
    prefer: Option<usize>,
) -> Snippet {
    let mut candidates: Vec<Candidate<'_>> = generators
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let text = g.text(doc);
            let (weight, starts) = g.rarest_first(text);
            (i, g, text, weight, starts)
        })
        .filter(|(.., starts)| !starts.is_empty())
        .collect();
    candidates.sort_by(|a, b| {
        (Some(b.0) == prefer)
            .cmp(&(Some(a.0) == prefer))
            .then(b.3.0.total_cmp(&a.3.0))
            .then(b.3.1.total_cmp(&a.3.1))
            .then(a.0.cmp(&b.0))
    });
    let best = candidates
        .into_iter()
        .find_map(|(_, g, text, _, starts)| g.snippet(text, &starts));
    best.unwrap_or_else(|| opening(summary))
}

/// The start of the summary, cut after a whole word.
fn opening(summary: &str) -> Snippet {
    const CHARS: usize = 200;
    if summary.chars().count() <= CHARS {
        return Snippet {
            text: summary.to_owned(),
            highlights: Vec::new(),
        };
    }
    let cut = summary
        .char_indices()
        .nth(CHARS)
        .map_or(summary.len(), |(i, _)| i);
    let word_end = summary[..cut].rfind(char::is_whitespace).unwrap_or(cut);
    let mut text = summary[..word_end]
        .trim_end_matches([',', ';', ':'])
        .to_owned();
    text.push('…');
    Snippet {
        text,
        highlights: Vec::new(),
    }
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

    #[test]
    fn the_summary_opening_ends_after_a_whole_word() {
        let summary = format!(
            "{} unfinishedword",
            "Victims were moved between sites. ".repeat(6)
        );
        let s = opening(&summary);
        assert!(s.text.ends_with('…'), "{}", s.text);
        let shown = s.text.trim_end_matches('…');
        assert!(summary.starts_with(shown));
        let next = summary[shown.len()..].chars().next();
        assert!(
            next.is_none_or(char::is_whitespace),
            "cut inside a word: {}",
            s.text
        );
        assert_eq!(opening("Short summary.").text, "Short summary.");
    }
}
