//! Text analysis for the domain, one chain at index and query time:
//!
//! - **Statute references** are one term however they are written: `s.45`, `s 45`, `s45`,
//!   `section 45` and `sec. 45` all become `s45`; likewise `art`/`article`, `sch`/`schedule`,
//!   `para`/`paragraph` and `reg`/`regulation` (`Sch 6` is `sch6`). The term keeps the offsets
//!   of the words it came from, so a highlighted `section 45` is highlighted whole.
//! - **Unicode**: every token is NFKC-normalised (full-width `ｉｎｔｅｒｐｒｅｔｅｒ` is
//!   `interpreter`), then lower-cased by the chain.
//! - **Plural abbreviations**: an upper-case abbreviation with a lower-case plural `s` loses it
//!   (`STPOs` → `STPO`, `MS1s` → `MS1`), before lower-casing can hide the difference.
//!
//! The query side first rewrites statute references to the same compact form
//! (`compact_statute_references`), because tantivy's parser splits `section 45` into two words
//! before any analyser sees them.

use std::sync::LazyLock;

use regex::Regex;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// A statute reference: a unit word, an optional full stop and space, a number with an
/// optional letter suffix (`s59A`, `art 4`).
static STATUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(sections?|secs?|ss?|articles?|arts?|schedules?|sched|sch|paragraphs?|paras?|regulations?|regs?)\.?[ \t]?([0-9]{1,3}[a-z]{0,2})\b",
    )
    .expect("constant pattern compiles")
});

/// The compact form of a statute reference's unit: `section` → `s`.
fn unit(word: &str) -> &'static str {
    let w = word.to_ascii_lowercase();
    if w.starts_with("sch") {
        "sch"
    } else if w.starts_with("art") {
        "art"
    } else if w.starts_with("para") {
        "para"
    } else if w.starts_with("reg") {
        "reg"
    } else {
        "s"
    }
}

/// The statute references of `text`: (byte range, compact term). A one-letter `s` counts only
/// at the start of a word group (after a space, a bracket or the start), so the `s` of `V1's 2`
/// is not a section.
fn statute_references(text: &str) -> Vec<(usize, usize, String)> {
    STATUTE
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let word = c.get(1)?.as_str();
            let number = c.get(2)?.as_str();
            let before = text[..whole.start()].chars().next_back();
            let short = word.len() <= 2 && word.to_ascii_lowercase().starts_with('s');
            if short && before.is_some_and(|b| !(b.is_whitespace() || matches!(b, '(' | '[' | '"')))
            {
                return None;
            }
            let term = format!("{}{}", unit(word), number.to_ascii_lowercase());
            Some((whole.start(), whole.end(), term))
        })
        .collect()
}

/// Rewrites statute references in query text to their compact term (`section 45` → `s45`).
pub(super) fn compact_statute_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, term) in statute_references(text) {
        out.push_str(&text[at..start]);
        out.push_str(&term);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// `STPOs` → `STPO`: an upper-case abbreviation (two or more capitals, digits allowed) with a
/// lower-case plural `s`.
fn singular_abbreviation(word: &str) -> Option<&str> {
    let stem = word.strip_suffix('s')?;
    let capitals = stem.chars().filter(char::is_ascii_uppercase).count();
    let ok = capitals >= 2
        && stem.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    ok.then_some(stem)
}

/// The domain tokenizer: statute references and words (runs of letters and digits), each
/// NFKC-normalised and with plural abbreviations made singular.
#[derive(Clone, Default)]
pub(super) struct DomainTokenizer {
    tokens: Vec<Token>,
}

/// The tokens of one text.
pub(super) struct DomainTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for DomainTokenizer {
    type TokenStream<'a> = DomainTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> DomainTokenStream<'a> {
        self.tokens.clear();
        let references = statute_references(text);
        let mut next_reference = references.iter().peekable();
        let mut chars = text.char_indices().peekable();
        let mut position = 0;
        while let Some(&(at, c)) = chars.peek() {
            if let Some((start, end, term)) = next_reference.peek().filter(|r| r.0 == at).copied() {
                self.push(term.clone(), *start, *end, &mut position);
                while chars.peek().is_some_and(|(i, _)| i < end) {
                    chars.next();
                }
                next_reference.next();
                continue;
            }
            while next_reference.peek().is_some_and(|r| r.0 < at) {
                next_reference.next();
            }
            if !c.is_alphanumeric() {
                chars.next();
                continue;
            }
            let start = at;
            let mut end = at;
            while let Some(&(i, c)) = chars.peek() {
                if !c.is_alphanumeric() || next_reference.peek().is_some_and(|r| r.0 == i) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            let word = &text[start..end];
            let word = singular_abbreviation(word).unwrap_or(word);
            // ASCII is already in NFKC: most words skip the normalisation.
            let normal: String = if word.is_ascii() {
                word.to_owned()
            } else {
                word.nfkc().collect()
            };
            self.push(normal, start, end, &mut position);
        }
        DomainTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl DomainTokenizer {
    fn push(&mut self, text: String, from: usize, to: usize, position: &mut usize) {
        self.tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position: *position,
            text,
            position_length: 1,
        });
        *position += 1;
    }
}

impl TokenStream for DomainTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The analysed tokens of `text` (lower-cased, stemmed), as the index stores them.
pub(super) fn analysed(analyzer: &mut tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut t = DomainTokenizer::default();
        let mut stream = t.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn statute_references_are_one_term_however_written() {
        for written in [
            "s.45",
            "s 45",
            "s45",
            "section 45",
            "Section 45",
            "sec. 45",
            "S.45",
        ] {
            assert_eq!(terms(written), vec!["s45"], "{written}");
        }
        assert_eq!(terms("the s.45 defence"), vec!["the", "s45", "defence"]);
        assert_eq!(terms("Article 31"), vec!["art31"]);
        assert_eq!(terms("art. 31"), vec!["art31"]);
        assert_eq!(terms("Sch 6 paras 1, 5"), vec!["sch6", "para1", "5"]);
        assert_eq!(terms("Schedule 2 paragraph 3"), vec!["sch2", "para3"]);
        assert_eq!(terms("reg 4 and regulation 4"), vec!["reg4", "and", "reg4"]);
        assert_eq!(terms("ss14, 18-20"), vec!["s14", "18", "20"]);
        assert_eq!(terms("SOA 2003 s59A"), vec!["SOA", "2003", "s59a"]);
    }

    #[test]
    fn words_that_only_look_like_references_are_left_alone() {
        assert_eq!(terms("V1's 2 children"), vec!["V1", "s", "2", "children"]);
        assert_eq!(terms("the 1990s"), vec!["the", "1990s"]);
        assert_eq!(terms("seasonal"), vec!["seasonal"]);
        assert_eq!(terms("paragraphs"), vec!["paragraphs"]);
    }

    #[test]
    fn unicode_is_normalised_and_abbreviations_singular() {
        assert_eq!(terms("ｉｎｔｅｒｐｒｅｔｅｒｓ"), vec!["interpreters"]);
        assert_eq!(terms("STPOs and MS1s"), vec!["STPO", "and", "MS1"]);
        assert_eq!(terms("NRMs, CPS, IDs"), vec!["NRM", "CPS", "ID"]);
        assert_eq!(terms("ADULTS"), vec!["ADULTS"]);
    }

    #[test]
    fn offsets_cover_the_words_a_term_came_from() {
        let mut t = DomainTokenizer::default();
        let text = "under section 45 today";
        let mut stream = t.token_stream(text);
        let mut spans = Vec::new();
        while stream.advance() {
            let tok = stream.token();
            spans.push(&text[tok.offset_from..tok.offset_to]);
        }
        assert_eq!(spans, vec!["under", "section 45", "today"]);
    }

    #[test]
    fn query_text_is_compacted_the_same_way() {
        assert_eq!(
            compact_statute_references("section 45 defence"),
            "s45 defence"
        );
        assert_eq!(compact_statute_references("\"s. 23\" risk"), "\"s23\" risk");
        assert_eq!(compact_statute_references("V1's 2"), "V1's 2");
    }
}
