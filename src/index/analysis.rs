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

/// A list or range after a plural unit: `ss15, 21 and 23`, `ss76-77`, `arts 27 to 31`.
static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)([ \t]*(?:,|&|and|or|to|-|–)[ \t]*)([0-9]{1,3}[a-z]{0,2})\b")
        .expect("constant pattern compiles")
});

/// The longest range a `ss12-16` reference is expanded to, in sections.
const MAX_RANGE: u32 = 30;

/// One statute reference: its byte range, its compact term, and whether it continues a list
/// (`21` of `ss15, 21`), so the query side writes it as a word of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    /// Where the reference's text begins: a continuation's separator (`, ` of `ss15, 21`).
    lead: usize,
    start: usize,
    end: usize,
    term: String,
    continues: bool,
}

/// The statute references of `text`. A one-letter `s` counts only at the start of a word
/// group (after a space, a bracket or the start), so the `s` of `V1's 2` is not a section. A
/// plural unit carries on through a list or range: `ss15, 21, 23` is `s15 s21 s23`, and
/// `ss76-77` is `s76 s77` (every section of a range up to `MAX_RANGE` long, each at the
/// range's last number).
fn statute_references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for c in STATUTE.captures_iter(text) {
        let (Some(whole), Some(word), Some(number)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let word = word.as_str();
        let before = text[..whole.start()].chars().next_back();
        let short = word.len() <= 2 && word.to_ascii_lowercase().starts_with('s');
        if short && before.is_some_and(|b| !(b.is_whitespace() || matches!(b, '(' | '[' | '"'))) {
            continue;
        }
        let unit = unit(word);
        let number = number.as_str().to_ascii_lowercase();
        out.push(Reference {
            lead: whole.start(),
            start: whole.start(),
            end: whole.end(),
            term: format!("{unit}{number}"),
            continues: false,
        });
        if plural(word) {
            continue_list(text, whole.end(), unit, &number, &mut out);
        }
    }
    out
}

/// A plural unit (`ss`, `sections`, `arts`, `paras`…): it may head a list of numbers.
fn plural(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    w == "ss" || (w.len() > 3 && w.ends_with('s'))
}

/// The numbers that follow a plural reference ending at `end`.
fn continue_list(text: &str, mut end: usize, unit: &str, first: &str, out: &mut Vec<Reference>) {
    let mut previous = first.to_owned();
    while let Some(c) = CONTINUATION.captures(&text[end..]) {
        let (Some(sep), Some(number)) = (c.get(1), c.get(2)) else {
            break;
        };
        // The separator is skipped with the number that follows it, so it is not read as a
        // word; the term's offsets are the number's.
        let (lead, start, stop) = (end, end + number.start(), end + number.end());
        let number = number.as_str().to_ascii_lowercase();
        let range = matches!(sep.as_str().trim(), "-" | "–" | "to");
        if let (true, Ok(a), Ok(b)) = (range, previous.parse::<u32>(), number.parse::<u32>())
            && b > a
            && b - a <= MAX_RANGE
        {
            for n in a + 1..b {
                out.push(Reference {
                    lead,
                    start,
                    end: stop,
                    term: format!("{unit}{n}"),
                    continues: true,
                });
            }
        }
        out.push(Reference {
            lead,
            start,
            end: stop,
            term: format!("{unit}{number}"),
            continues: true,
        });
        previous = number;
        end = stop;
    }
}

/// The statute references of `text` as (start, end, term): a list's later number
/// (`21` of `ss15, 21`) spans the number alone.
pub(super) fn statute_terms(text: &str) -> Vec<(usize, usize, String)> {
    statute_references(text)
        .into_iter()
        .map(|r| (r.start, r.end, r.term))
        .collect()
}

/// Rewrites statute references in query text to their compact terms (`section 45` → `s45`,
/// `ss15, 21` → `s15 s21`).
pub(super) fn compact_statute_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in statute_references(text) {
        if r.lead >= at && !r.continues {
            out.push_str(&text[at..r.lead]);
        } else {
            out.push(' ');
        }
        out.push_str(&r.term);
        at = r.end;
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
            if next_reference.peek().is_some_and(|r| r.lead == at) {
                let mut end = at;
                while let Some(r) = next_reference.next_if(|r| r.lead == at) {
                    self.push(r.term.clone(), r.start, r.end, &mut position);
                    end = r.end;
                }
                while chars.peek().is_some_and(|(i, _)| *i < end) {
                    chars.next();
                }
                continue;
            }
            while next_reference.peek().is_some_and(|r| r.lead < at) {
                next_reference.next();
            }
            if !c.is_alphanumeric() {
                chars.next();
                continue;
            }
            let start = at;
            let mut end = at;
            while let Some(&(i, c)) = chars.peek() {
                if !c.is_alphanumeric() || next_reference.peek().is_some_and(|r| r.lead == i) {
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
        assert_eq!(terms("Sch 6 paras 1, 5"), vec!["sch6", "para1", "para5"]);
        assert_eq!(terms("Schedule 2 paragraph 3"), vec!["sch2", "para3"]);
        assert_eq!(terms("reg 4 and regulation 4"), vec!["reg4", "and", "reg4"]);
        assert_eq!(terms("ss14, 18-20"), vec!["s14", "s18", "s19", "s20"]);
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

    #[test]
    fn a_plural_unit_carries_through_lists_and_ranges() {
        assert_eq!(terms("ss15, 21, 23, 28"), vec!["s15", "s21", "s23", "s28"]);
        assert_eq!(
            terms("ss76-77 of the Act"),
            vec!["s76", "s77", "of", "the", "Act"]
        );
        assert_eq!(terms("ss12-14"), vec!["s12", "s13", "s14"]);
        assert_eq!(terms("sections 15 and 23"), vec!["s15", "s23"]);
        assert_eq!(terms("arts 27 to 31")[..2], ["art27", "art28"]);
        // A singular unit names one section: the next number is a number.
        assert_eq!(terms("s15, 21 days"), vec!["s15", "21", "days"]);
        // A range too long to be one is left as its two ends.
        assert_eq!(terms("ss1-200"), vec!["s1", "s200"]);
        assert_eq!(
            compact_statute_references("ss15, 21 and 23 orders"),
            "s15 s21 s23 orders"
        );
        assert_eq!(compact_statute_references("ss76-77"), "s76 s77");
    }
}
