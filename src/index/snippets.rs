//! Snippets: the excerpt of each hit around the query's words, as plain text and the byte
//! ranges of the matches (data, not markup).
//!
//! Finding the matches does not analyse the text: each query term's stem, less its last
//! letter, starts every word that analyses to it (the English stemmer only shortens or rewrites
//! a word's ending), so a substring search finds the candidate words, and only those are
//! analysed to confirm them. A statute term (`s45`) is confirmed from the few bytes before its
//! number (`section 45`, `ss15, 45`). Analysing every word of every hit's field was most of a
//! fresh search's time. The passage shown is the one whose matches weigh most, each distinct
//! word weighing by its rarity in the index, so it holds the rarest words asked for (as
//! Pagefind and Elasticsearch choose fragments); it starts and ends on a word's edge.

use std::collections::BTreeSet;

use serde::Serialize;
use tantivy::query::Query;
use tantivy::schema::{Field, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, TantivyDocument, Term};

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

/// Characters of context kept before a snippet's first match.
const LEAD_CHARS: usize = 60;

/// Bytes before a statute number searched for its unit (`section 45`, `ss15, 21, 23, 45`).
const STATUTE_REACH: usize = 80;

/// One query term in one field.
struct Wanted {
    /// The analysed term (`interpret`, `s45`).
    stem: String,
    /// What starts every word that analyses to it, lower case (`interpre`, `45`).
    needle: String,
    /// A statute term, confirmed from the bytes before its number.
    statute: bool,
    /// Weight: the rarer in the index, the more.
    weight: f32,
}

/// A confirmed match: byte range in the field's text, and which term.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Match {
    start: usize,
    end: usize,
    term: usize,
}

/// The snippet maker of one field, with the query's terms in that field.
pub(super) struct FieldSnippets {
    field: Field,
    analyzer: TextAnalyzer,
    wanted: Vec<Wanted>,
}

impl FieldSnippets {
    /// A snippet maker for `field`; `fields` are every text field snippets come from, whose
    /// document frequencies together say how rare each of the query's words is.
    pub(super) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        field: Field,
        fields: &[Field],
    ) -> Option<FieldSnippets> {
        let mut terms = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.insert(term.clone());
            }
        });
        let mut wanted = Vec::new();
        for term in &terms {
            let value = term.value();
            let Some(stem) = value.as_str() else {
                continue;
            };
            // The small words of an expanded form ("Gangmasters and Labour Abuse Authority")
            // are not what was asked for: never highlighted.
            if is_small_word(stem) || searcher.doc_freq(term).ok()? == 0 {
                continue;
            }
            // Rarity across every field snippets come from, so a word common in the bodies is
            // not made rare by a field that seldom holds it.
            let df = fields
                .iter()
                .filter_map(|f| searcher.doc_freq(&Term::from_field_text(*f, stem)).ok())
                .max()
                .unwrap_or(0);
            wanted.push(wanted_term(stem, 1.0 / (1.0 + df as f32)));
        }
        if wanted.is_empty() {
            return None;
        }
        let analyzer = searcher.index().tokenizer_for_field(field).ok()?;
        Some(FieldSnippets {
            field,
            analyzer,
            wanted,
        })
    }

    /// The field this maker makes snippets of.
    pub(super) fn field(&self) -> Field {
        self.field
    }

    /// This field's text in `doc`.
    pub(super) fn text<'d>(&self, doc: &'d TantivyDocument) -> &'d str {
        doc.get_first(self.field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }

    /// The words of `text` starting like a query term, weighed: (the rarest term's weight, all
    /// the distinct terms' weights), without confirming them (a cheap way to order fields).
    pub(super) fn weigh(&self, lower: &str) -> (f32, f32) {
        let found: Vec<f32> = self
            .wanted
            .iter()
            .filter(|w| !word_starts_in(lower, &w.needle).is_empty())
            .map(|w| w.weight)
            .collect();
        let rarest = found.iter().copied().fold(0.0, f32::max);
        (rarest, found.iter().sum())
    }

    /// The confirmed matches of the query's terms in `text` (`lower` is its ASCII lower case),
    /// in order.
    fn matches(&self, text: &str, lower: &str) -> Vec<Match> {
        let mut analyzer = self.analyzer.clone();
        let mut out = Vec::new();
        for (i, w) in self.wanted.iter().enumerate() {
            for at in word_starts_in(lower, &w.needle) {
                let end = word_end(text, at);
                let found = if w.statute {
                    statute_match(text, at, end, &w.stem)
                } else {
                    (first_term(&mut analyzer, &text[at..end]).as_deref() == Some(&w.stem))
                        .then_some((at, end))
                };
                if let Some((start, end)) = found {
                    out.push(Match {
                        start,
                        end,
                        term: i,
                    });
                }
            }
        }
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        // Nested or overlapping matches (a statute term over its number): the first, widest.
        let mut kept: Vec<Match> = Vec::with_capacity(out.len());
        for m in out {
            if kept.last().is_none_or(|k| m.start >= k.end) {
                kept.push(m);
            }
        }
        kept
    }

    /// The snippet of `text`: the passage whose distinct matched words weigh most, or none
    /// when no word of `text` is a match.
    pub(super) fn snippet(&self, text: &str, lower: &str) -> Option<Snippet> {
        let matches = self.matches(text, lower);
        let best = (0..matches.len())
            .map(|i| {
                let limit = matches[i].start + SNIPPET_CHARS;
                let mut terms = BTreeSet::new();
                let inside = matches[i..].iter().take_while(|m| m.end <= limit);
                let (mut weight, mut count) = (0.0, 0);
                for m in inside {
                    count += 1;
                    if terms.insert(m.term) {
                        weight += self.wanted[m.term].weight;
                    }
                }
                (i, weight, count)
            })
            // The heaviest distinct words, then the most matches, then the earliest.
            .max_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)).then(b.0.cmp(&a.0)))?;
        Some(passage(text, &matches, best.0))
    }
}

/// A term of the query as the snippets look for it.
fn wanted_term(stem: &str, weight: f32) -> Wanted {
    // A statute term (`s45`, `art31`, `sch6`) is written many ways (`section 45`): its number
    // is what the text certainly holds.
    let digits = stem.find(|c: char| c.is_ascii_digit());
    if let Some(at) =
        digits.filter(|at| *at > 0 && stem[..*at].chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Wanted {
            stem: stem.to_owned(),
            needle: stem[at..].to_owned(),
            statute: true,
            weight,
        };
    }
    let keep = stem.chars().count().saturating_sub(1).max(3);
    Wanted {
        stem: stem.to_owned(),
        needle: stem
            .chars()
            .take(keep)
            .collect::<String>()
            .to_ascii_lowercase(),
        statute: false,
        weight,
    }
}

/// The first term `analyzer` makes of `word`.
fn first_term(analyzer: &mut TextAnalyzer, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    stream.advance().then(|| stream.token().text.clone())
}

/// The statute reference with term `stem` that ends at or covers the number `at..end`, read
/// from the bytes before it: its byte range.
fn statute_match(text: &str, at: usize, end: usize, stem: &str) -> Option<(usize, usize)> {
    let mut from = at.saturating_sub(STATUTE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    super::analysis::statute_terms(&text[from..end])
        .into_iter()
        .find(|(s, e, term)| term == stem && from + e >= end && from + s <= at)
        .map(|(s, e, _)| (from + s, from + e))
}

/// The passage around `matches[first]`: up to `LEAD_CHARS` of context before it, the snippet's
/// length in all, starting and ending on a word's edge, with the matches inside highlighted.
fn passage(text: &str, matches: &[Match], first: usize) -> Snippet {
    let anchor = matches[first].start;
    let mut start = back_chars(text, anchor, LEAD_CHARS);
    if start > 0 {
        // Start at a word, never inside one.
        match text[start..anchor].find(char::is_whitespace) {
            Some(space) => start += space + 1,
            None => start = anchor,
        }
    }
    let mut stop = forward_chars(text, start, SNIPPET_CHARS).max(matches[first].end);
    if stop < text.len() {
        // End after a word, never inside one.
        if let Some(space) = text[matches[first].end..stop].rfind(char::is_whitespace) {
            stop = matches[first].end + space;
        } else {
            stop = word_end(text, matches[first].end.min(stop));
        }
    }
    let highlights = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= stop)
        .map(|m| (m.start - start, m.end - start))
        .collect();
    Snippet {
        text: text[start..stop].trim_end().to_owned(),
        highlights,
    }
}

/// The byte offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// The end of the word starting at `at`: the first byte after its letters and digits.
fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(i, _)| at + i)
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

/// A field that may give the snippet: its position, maker, text, lower-cased text and weight.
type Candidate<'a> = (usize, &'a FieldSnippets, &'a str, String, (f32, f32));

/// The best snippet: the passage holding the rarest of the query's words, else the summary's
/// start.
///
/// Fields are tried in order of the weight of the distinct query words they hold (the rarest
/// first, then all of them; a substring search, far cheaper than analysing the text), the
/// earlier field (summary, learning, powers, body) on a tie, and `prefer` (the powers, when
/// the query names one) first when it holds any.
pub(super) fn snippet(
    makers: &[FieldSnippets],
    doc: &TantivyDocument,
    summary: &str,
    prefer: Option<usize>,
) -> Snippet {
    let mut candidates: Vec<Candidate<'_>> = makers
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let text = g.text(doc);
            let lower = text.to_ascii_lowercase();
            let weight = g.weigh(&lower);
            (i, g, text, lower, weight)
        })
        .filter(|(.., weight)| weight.1 > 0.0)
        .collect();
    candidates.sort_by(|a, b| {
        (Some(b.0) == prefer)
            .cmp(&(Some(a.0) == prefer))
            .then(b.4.0.total_cmp(&a.4.0))
            .then(b.4.1.total_cmp(&a.4.1))
            .then(a.0.cmp(&b.0))
    });
    candidates
        .iter()
        .find_map(|(_, g, text, lower, _)| g.snippet(text, lower))
        .unwrap_or_else(|| opening(summary))
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
    let cut = forward_chars(summary, 0, CHARS);
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

    fn words(text: &str, needle: &str) -> Vec<String> {
        word_starts_in(&text.to_ascii_lowercase(), needle)
            .iter()
            .map(|&at| text[at..word_end(text, at)].to_owned())
            .collect()
    }

    #[test]
    fn needles_are_found_only_at_word_starts() {
        let text = "Scarred? No: the car wash. CARS and carried goods.";
        assert_eq!(words(text, "car"), ["car", "CARS", "carried"]);
    }

    fn maker(terms: &[(&str, f32)]) -> FieldSnippets {
        let (_, fields) = super::super::schema::Fields::build();
        FieldSnippets {
            field: fields.body,
            analyzer: super::super::schema::analyzer(),
            wanted: terms.iter().map(|(s, w)| wanted_term(s, *w)).collect(),
        }
    }

    fn marked(s: &Snippet) -> Vec<&str> {
        s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect()
    }

    #[test]
    fn candidates_are_confirmed_by_their_stem() {
        let m = maker(&[("interpret", 0.5), ("car", 0.2)]);
        let text = "The interpreters, an interpreter and an interpreting service. A carried car.";
        let s = m
            .snippet(text, &text.to_ascii_lowercase())
            .expect("snippet");
        assert_eq!(
            marked(&s),
            ["interpreters", "interpreter", "interpreting", "car"],
            "not carried"
        );
    }

    #[test]
    fn a_statute_term_is_matched_however_written() {
        let m = maker(&[("s45", 0.5)]);
        for text in [
            "Raise the s.45 defence early.",
            "Raise the section 45 defence early.",
            "Under ss15, 21 and 45 of the Act.",
        ] {
            let s = m.snippet(text, &text.to_ascii_lowercase()).expect(text);
            let got = marked(&s);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert!(got[0].ends_with("45"), "{text}: {got:?}");
        }
        let text = "It was 45 minutes later.";
        assert!(
            m.snippet(text, &text.to_ascii_lowercase()).is_none(),
            "a bare number"
        );
    }

    #[test]
    fn the_passage_holds_the_rarest_words_and_starts_and_ends_on_word_edges() {
        let m = maker(&[("portsmouth", 0.1), ("interpret", 0.9)]);
        let filler = "Officers visited the premises again. ".repeat(12);
        let text = format!("Portsmouth first. {filler}The interpreter was booked. {filler}");
        let s = m
            .snippet(&text, &text.to_ascii_lowercase())
            .expect("snippet");
        assert!(s.text.contains("interpreter"), "{}", s.text);
        assert!(s.text.chars().count() <= SNIPPET_CHARS + 1);
        let at = text.find(&s.text).expect("a passage of the text");
        let before = text[..at].chars().next_back();
        let after = text[at + s.text.len()..].chars().next();
        assert!(
            before.is_none_or(|c| !c.is_alphanumeric()),
            "starts inside a word"
        );
        assert!(
            after.is_none_or(|c| !c.is_alphanumeric()),
            "ends inside a word"
        );
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
